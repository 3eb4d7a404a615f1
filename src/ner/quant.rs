//! int8 matrix products for the encoder's dense layers.
//!
//! Weights are quantized once, per output column (symmetric, ±127, `i8`); activations
//! per row as they arrive, onto the row's own range (`u8`, with a zero point: `x ≈
//! scale × (u − zero)`), so that every product is `u8 × i8`, the operand order of
//! `vpdpbusd`. Products accumulate exactly in `i32`, so every kernel gives the same
//! integers on every machine: AVX-512 VNNI (64 products an instruction), AVX-VNNI (the
//! same instruction on 256 bits: client cores without AVX-512) and the portable loop,
//! the reference of the tests. The zero point comes out afterwards with each column's
//! weight sum: `Σ (u − zero) w = Σ u w − zero Σ w`.
//!
//! Why a row's range and not ±max: a feed-forward input is a GELU output, from −0.17 to
//! its largest value, and a symmetric scale would leave half the codes unused. On
//! PolNeAR dev text the entities agree with f32's at 99.6 F1 with ranges, 99.3 with
//! ±max, 98.5 with seven-bit ±max (which would let AVX2's saturating `vpmaddubsw` run
//! the same products; a CPU without VNNI runs the model in f32 instead).
//!
//! Layout: weights packed in panels of [`PANEL`] output columns; within a panel, for
//! each group of four inputs, the panel's columns one after the other, four bytes each
//! (`[dout / PANEL][din / 4][PANEL][4]`): one `vpdpbusd` reads 16 columns' four weights.

use rayon::prelude::*;

/// Output columns per packed panel.
const PANEL: usize = 32;
/// The fewest rows worth splitting across threads.
const PARALLEL_ROWS: usize = 64;
/// Rows per kernel call (the VNNI kernel keeps `ROWS × 2` accumulators in registers).
const ROWS: usize = 8;

/// A dense layer's weights, quantized and packed.
pub struct QuantWeights {
    packed: Vec<i8>,
    /// Per output column: the factor from the integer product back to the weights' scale.
    scale: Vec<f32>,
    /// Per output column: `Σ_k w[k]` (quantized), to take the activations' zero point out.
    column_sum: Vec<i32>,
    din: usize,
    dout: usize,
}

/// Which int8 kernel a CPU runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kernel {
    /// AVX-512 VNNI (`vpdpbusd` on 512 bits).
    Avx512Vnni,
    /// AVX-VNNI (`vpdpbusd` on 256 bits).
    AvxVnni,
    /// Plain loops: the reference, far slower than f32 (never chosen for the model).
    Portable,
}

impl Kernel {
    /// The fastest kernel this CPU has; `None` when it has no VNNI (run f32 instead).
    pub fn detect() -> Option<Kernel> {
        [Kernel::Avx512Vnni, Kernel::AvxVnni]
            .into_iter()
            .find(|k| k.available())
    }

    /// Short name for reports.
    pub fn name(self) -> &'static str {
        match self {
            Kernel::Avx512Vnni => "avx512-vnni",
            Kernel::AvxVnni => "avx-vnni",
            Kernel::Portable => "portable",
        }
    }

    /// True when this CPU can run the kernel.
    pub fn available(self) -> bool {
        #[cfg(target_arch = "x86_64")]
        {
            match self {
                Kernel::Portable => true,
                Kernel::AvxVnni => is_x86_feature_detected!("avx2") && is_x86_feature_detected!("avxvnni"),
                Kernel::Avx512Vnni => {
                    is_x86_feature_detected!("avx512f")
                        && is_x86_feature_detected!("avx512bw")
                        && is_x86_feature_detected!("avx512vnni")
                }
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            self == Kernel::Portable
        }
    }
}

/// Activations of `n` rows, quantized: `u8` values and each row's scale and zero point
/// (`x ≈ scale × (u − zero)`). [`QuantRows::fill`] reuses the buffers.
#[derive(Default)]
pub struct QuantRows {
    data: Vec<u8>,
    scale: Vec<f32>,
    zero: Vec<i32>,
}

impl QuantRows {
    /// Quantize `x` (`[n, din]`, row-major), each row on its own range.
    pub fn new(x: &[f32], din: usize) -> Self {
        let mut rows = QuantRows::default();
        rows.fill(x, din);
        rows
    }

    /// Quantize `x` into these buffers (a layer's product runs on every batch: one
    /// allocation per thread, not one per product).
    pub fn fill(&mut self, x: &[f32], din: usize) {
        let n = x.len() / din;
        self.data.resize(n * din, 0);
        self.scale.resize(n, 0.0);
        self.zero.resize(n, 0);
        quantize_rows(&x[..n * din], din, &mut self.data, &mut self.scale, &mut self.zero);
    }
}

#[inline(always)]
fn quantize_rows_generic(x: &[f32], din: usize, data: &mut [u8], scale: &mut [f32], zero: &mut [i32]) {
    // (rounding without `f32::round`, a call per element where SSE2 has no rounding
    // instruction: adding and taking away 1.5 × 2²³ rounds to nearest)
    const ROUND: f32 = 12_582_912.0;
    for (r, (row, q_row)) in x.chunks_exact(din).zip(data.chunks_exact_mut(din)).enumerate() {
        let (min, max) = range(row);
        let (s, inv, z) = if max > min && (max - min).is_finite() {
            let s = (max - min) / 255.0;
            (s, 1.0 / s, ((-min / s) + ROUND) - ROUND)
        } else {
            (0.0, 0.0, 0.0)
        };
        scale[r] = s;
        // SAFETY: `z` is a whole number in [0, 255]
        zero[r] = unsafe { z.to_int_unchecked::<i32>() };
        for i in 0..din {
            // (comparisons that send a NaN to 0, where `clamp` would keep it for the cast)
            let v = row[i] * inv + z;
            let v = if v > 0.0 { v } else { 0.0 };
            let v = if v < 255.0 { v } else { 255.0 };
            let v = (v + ROUND) - ROUND;
            // SAFETY: `v` is a whole number in [0, 255]
            q_row[i] = unsafe { v.to_int_unchecked::<i32>() } as u8;
        }
    }
}

dispatch!(quantize_rows, quantize_rows_generic, (x: &[f32], din: usize, data: &mut [u8], scale: &mut [f32], zero: &mut [i32]));

/// The smallest and largest value of a row, and 0 between them (zero stays exact: an
/// activation of 0, as GELU gives for most negative inputs, quantizes to itself).
#[inline(always)]
fn range(row: &[f32]) -> (f32, f32) {
    // (running extremes in lanes, plain loops: see dispatch.rs)
    const LANES: usize = 16;
    let (mut lo, mut hi) = ([0f32; LANES], [0f32; LANES]);
    let whole = row.len() / LANES * LANES;
    for c in row[..whole].chunks_exact(LANES) {
        for i in 0..LANES {
            // (comparisons, not `f32::min`, whose NaN rule keeps the loop scalar; a NaN
            // is skipped either way)
            lo[i] = if c[i] < lo[i] { c[i] } else { lo[i] };
            hi[i] = if c[i] > hi[i] { c[i] } else { hi[i] };
        }
    }
    let (mut min, mut max) = (0f32, 0f32);
    for &v in &row[whole..] {
        min = min.min(v);
        max = max.max(v);
    }
    for i in 0..LANES {
        min = min.min(lo[i]);
        max = max.max(hi[i]);
    }
    (min, max)
}

impl QuantWeights {
    /// Quantize `Wᵀ` stored row-major `[din, dout]` (the f32 layer's layout). `None`
    /// when the shape does not fit the kernels (`din` a multiple of 4, `dout` of
    /// [`PANEL`]): that layer stays f32.
    pub fn new(weight_t: &[f32], din: usize, dout: usize) -> Option<Self> {
        if din == 0 || !din.is_multiple_of(4) || dout == 0 || !dout.is_multiple_of(PANEL) {
            return None;
        }
        // (row by row: `weight_t` is [din, dout], so a column's values are dout apart)
        let mut max = vec![0f32; dout];
        for row in weight_t[..din * dout].chunks_exact(dout) {
            for (m, w) in max.iter_mut().zip(row) {
                *m = m.max(w.abs());
            }
        }
        let scale: Vec<f32> = max.iter().map(|m| m / 127.0).collect();
        let inv: Vec<f32> = scale.iter().map(|&s| if s > 0.0 { 1.0 / s } else { 0.0 }).collect();
        let q: Vec<i8> = weight_t[..din * dout]
            .iter()
            .enumerate()
            .map(|(i, w)| (w * inv[i % dout]).round().clamp(-127.0, 127.0) as i8)
            .collect();
        let mut column_sum = vec![0i32; dout];
        for row in q.chunks_exact(dout) {
            for (sum, &v) in column_sum.iter_mut().zip(row) {
                *sum += v as i32;
            }
        }
        let mut packed = Vec::with_capacity(din * dout);
        for panel in 0..dout / PANEL {
            for k4 in 0..din / 4 {
                for c in 0..PANEL {
                    for b in 0..4 {
                        packed.push(q[(4 * k4 + b) * dout + panel * PANEL + c]);
                    }
                }
            }
        }
        Some(QuantWeights {
            packed,
            scale,
            column_sum,
            din,
            dout,
        })
    }

    /// `out[n, dout] += x · Wᵀ`, with `x` quantized; rows split across rayon's threads
    /// when `parallel`. `kernel` must be [`Kernel::available`] (checked: panics if not).
    pub fn matmul_add(&self, x: &QuantRows, out: &mut [f32], kernel: Kernel, parallel: bool) {
        let n = x.scale.len();
        assert_eq!(x.data.len(), n * self.din);
        assert_eq!(out.len(), n * self.dout);
        assert!(kernel.available(), "int8 kernel {} not on this CPU", kernel.name());
        let block = ROWS * self.dout;
        let run = |(b, out): (usize, &mut [f32])| {
            let r0 = b * ROWS;
            let rows = out.len() / self.dout;
            let a = &x.data[r0 * self.din..(r0 + rows) * self.din];
            self.rows(a, &x.scale[r0..r0 + rows], &x.zero[r0..r0 + rows], out, kernel);
        };
        // (a short row set runs on this thread: splitting 20 rows of one sentence across
        // two threads made batch-1 NER 1.7× slower than leaving it on one)
        if parallel && n >= PARALLEL_ROWS {
            out.par_chunks_mut(block).enumerate().for_each(run);
        } else {
            out.chunks_mut(block).enumerate().for_each(run);
        }
    }

    /// Up to [`ROWS`] rows through every panel.
    fn rows(&self, a: &[u8], row_scale: &[f32], row_zero: &[i32], out: &mut [f32], kernel: Kernel) {
        let rows = row_scale.len();
        let mut acc = [[0i32; PANEL]; ROWS];
        let panel_len = self.din * PANEL;
        for panel in 0..self.dout / PANEL {
            let b = &self.packed[panel * panel_len..(panel + 1) * panel_len];
            match kernel {
                // SAFETY: the CPU has the features (asserted above); `a` holds `rows × din`
                // bytes and `b` one panel (`din × PANEL`), as the kernels read.
                #[cfg(target_arch = "x86_64")]
                Kernel::Avx512Vnni => unsafe { x86::avx512_vnni(a, b, self.din, rows, &mut acc) },
                #[cfg(target_arch = "x86_64")]
                Kernel::AvxVnni => unsafe { x86::avx_vnni(a, b, self.din, rows, &mut acc) },
                _ => portable(a, b, self.din, rows, &mut acc),
            }
            let j0 = panel * PANEL;
            let (scale, sum) = (&self.scale[j0..j0 + PANEL], &self.column_sum[j0..j0 + PANEL]);
            add_panel(&mut out[j0..], self.dout, &acc[..rows], scale, sum, row_scale, row_zero);
        }
    }
}

/// `out[r, c] += (acc[r][c] − zero[r] sum[c]) row_scale[r] scale[c]` for one panel's
/// columns of each row (`out` starts at the panel's first column; rows are `dout` apart).
#[inline(always)]
fn add_panel_generic(
    out: &mut [f32],
    dout: usize,
    acc: &[[i32; PANEL]],
    scale: &[f32],
    sum: &[i32],
    row_scale: &[f32],
    row_zero: &[i32],
) {
    let (scale, sum): (&[f32; PANEL], &[i32; PANEL]) = (scale.try_into().unwrap(), sum.try_into().unwrap());
    for (r, acc_row) in acc.iter().enumerate() {
        let o: &mut [f32; PANEL] = (&mut out[r * dout..r * dout + PANEL]).try_into().unwrap();
        let (z, s) = (row_zero[r], row_scale[r]);
        for c in 0..PANEL {
            o[c] += (acc_row[c] - z * sum[c]) as f32 * (s * scale[c]);
        }
    }
}

dispatch!(add_panel, add_panel_generic, (out: &mut [f32], dout: usize, acc: &[[i32; PANEL]], scale: &[f32], sum: &[i32], row_scale: &[f32], row_zero: &[i32]));

/// The reference kernel: `acc[r][c] = Σ_k a[r, k] · b[k, c]` over one panel.
fn portable(a: &[u8], b: &[i8], din: usize, rows: usize, acc: &mut [[i32; PANEL]; ROWS]) {
    for (r, acc_row) in acc.iter_mut().enumerate().take(rows) {
        *acc_row = [0; PANEL];
        let a_row = &a[r * din..(r + 1) * din];
        for (k4, group) in b.chunks_exact(4 * PANEL).enumerate() {
            let x = &a_row[4 * k4..4 * k4 + 4];
            for (c, w) in group.chunks_exact(4).enumerate() {
                acc_row[c] += (0..4).map(|i| x[i] as i32 * w[i] as i32).sum::<i32>();
            }
        }
    }
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use super::{PANEL, ROWS};
    use std::arch::x86_64::*;

    /// Four activations of row `r` at input group `k4`, as one `i32`.
    #[inline(always)]
    unsafe fn four(a: &[u8], din: usize, r: usize, k4: usize) -> i32 {
        std::ptr::read_unaligned(a.as_ptr().add(r * din + 4 * k4) as *const i32)
    }

    /// One panel, `R` rows, 32 columns in two 512-bit registers per row.
    #[target_feature(enable = "avx512f,avx512bw,avx512vnni")]
    unsafe fn avx512_rows<const R: usize>(a: &[u8], b: &[i8], din: usize, acc: &mut [[i32; PANEL]; ROWS]) {
        let mut sum = [[_mm512_setzero_si512(); 2]; R];
        let bp = b.as_ptr();
        for k4 in 0..din / 4 {
            let b0 = _mm512_loadu_si512(bp.add(k4 * 4 * PANEL) as *const _);
            let b1 = _mm512_loadu_si512(bp.add(k4 * 4 * PANEL + 64) as *const _);
            for (r, s) in sum.iter_mut().enumerate() {
                let x = _mm512_set1_epi32(four(a, din, r, k4));
                s[0] = _mm512_dpbusd_epi32(s[0], x, b0);
                s[1] = _mm512_dpbusd_epi32(s[1], x, b1);
            }
        }
        for (r, s) in sum.iter().enumerate() {
            _mm512_storeu_si512(acc[r].as_mut_ptr() as *mut _, s[0]);
            _mm512_storeu_si512(acc[r].as_mut_ptr().add(16) as *mut _, s[1]);
        }
    }

    /// One panel, `R` rows, 32 columns in four 256-bit registers per row.
    #[target_feature(enable = "avx2,avxvnni")]
    unsafe fn avx_rows<const R: usize>(a: &[u8], b: &[i8], din: usize, acc: &mut [[i32; PANEL]]) {
        assert!(acc.len() >= R && a.len() >= R * din);
        let mut sum = [[_mm256_setzero_si256(); 4]; R];
        let bp = b.as_ptr();
        for k4 in 0..din / 4 {
            let w: [__m256i; 4] =
                std::array::from_fn(|i| _mm256_loadu_si256(bp.add(k4 * 4 * PANEL + 32 * i) as *const _));
            for (r, s) in sum.iter_mut().enumerate() {
                let x = _mm256_set1_epi32(four(a, din, r, k4));
                for i in 0..4 {
                    s[i] = _mm256_dpbusd_avx_epi32(s[i], x, w[i]);
                }
            }
        }
        for (r, s) in sum.iter().enumerate() {
            for (i, v) in s.iter().enumerate() {
                _mm256_storeu_si256(acc[r].as_mut_ptr().add(8 * i) as *mut _, *v);
            }
        }
    }

    /// # Safety
    /// The CPU has AVX-512 F, BW and VNNI.
    pub(super) unsafe fn avx512_vnni(a: &[u8], b: &[i8], din: usize, rows: usize, acc: &mut [[i32; PANEL]; ROWS]) {
        assert!(a.len() >= rows * din && b.len() >= din * PANEL);
        match rows {
            8 => avx512_rows::<8>(a, b, din, acc),
            7 => avx512_rows::<7>(a, b, din, acc),
            6 => avx512_rows::<6>(a, b, din, acc),
            5 => avx512_rows::<5>(a, b, din, acc),
            4 => avx512_rows::<4>(a, b, din, acc),
            3 => avx512_rows::<3>(a, b, din, acc),
            2 => avx512_rows::<2>(a, b, din, acc),
            1 => avx512_rows::<1>(a, b, din, acc),
            _ => {}
        }
    }

    /// # Safety
    /// The CPU has AVX2 and AVX-VNNI.
    pub(super) unsafe fn avx_vnni(a: &[u8], b: &[i8], din: usize, rows: usize, acc: &mut [[i32; PANEL]; ROWS]) {
        assert!(a.len() >= rows * din && b.len() >= din * PANEL);
        // (two rows at a time: their eight accumulators, four weight registers and the
        // broadcast fill most of the sixteen registers a CPU without AVX-512 has)
        for r0 in (0..rows).step_by(2) {
            let (a, acc) = (&a[r0 * din..], &mut acc[r0..]);
            if rows - r0 >= 2 {
                avx_rows::<2>(a, b, din, acc);
            } else {
                avx_rows::<1>(a, b, din, acc);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator (no dependency for tests).
    fn values(n: usize, seed: u64) -> Vec<f32> {
        let mut s = seed;
        (0..n)
            .map(|_| {
                s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                ((s >> 33) as f32 / (1u64 << 31) as f32) * 2.0 - 1.0
            })
            .collect()
    }

    #[test]
    fn every_kernel_gives_the_same_integers_and_the_product_is_close() {
        let (n, din, dout) = (13, 68, 64);
        let x = values(n * din, 1);
        let w = values(din * dout, 2);
        let q = QuantWeights::new(&w, din, dout).expect("shape fits");
        let rows = QuantRows::new(&x, din);
        let kernels: Vec<Kernel> = [Kernel::Portable, Kernel::AvxVnni, Kernel::Avx512Vnni]
            .into_iter()
            .filter(|k| k.available())
            .collect();
        let results: Vec<Vec<f32>> = kernels
            .iter()
            .map(|&k| {
                let mut out = vec![0f32; n * dout];
                q.matmul_add(&rows, &mut out, k, k == Kernel::Portable);
                out
            })
            .collect();
        for r in &results[1..] {
            assert_eq!(r, &results[0], "kernels {kernels:?} disagree");
        }
        for i in 0..n {
            for j in 0..dout {
                let exact: f32 = (0..din).map(|k| x[i * din + k] * w[k * dout + j]).sum();
                let got = results[0][i * dout + j];
                assert!((got - exact).abs() < 0.25, "row {i} col {j}: {got} vs {exact}");
            }
        }
    }

    #[test]
    fn shapes_the_kernels_cannot_take_stay_f32() {
        assert!(QuantWeights::new(&[0.0; 6 * 32], 6, 32).is_none());
        assert!(QuantWeights::new(&[0.0; 8 * 9], 8, 9).is_none());
        let zero = QuantWeights::new(&[0.0; 8 * 32], 8, 32).expect("fits");
        let mut out = vec![1f32; 32];
        zero.matmul_add(&QuantRows::new(&[0.0; 8], 8), &mut out, Kernel::Portable, false);
        assert_eq!(out, vec![1f32; 32]);
    }
}
