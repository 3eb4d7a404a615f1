//! GELU (the exact, erf form BERT uses) from a lookup table, on all cores.
//!
//! candle's `gelu_erf` evaluates erf per element on one thread and costs as much
//! as a feed-forward matmul. GELU is smooth, so a table over [-8, 8] with linear
//! interpolation (step 1/512) is within 4e-7 of the exact value; outside that range
//! GELU is 0 (below) or the identity (above) to f32 precision.

use candle_core::{CpuStorage, CustomOp1, Layout, Shape, Tensor};
use once_cell::sync::Lazy;

const LIMIT: f32 = 8.0;
const STEPS_PER_UNIT: f32 = 512.0;

static TABLE: Lazy<Vec<f32>> = Lazy::new(|| {
    let n = (2.0 * LIMIT * STEPS_PER_UNIT) as usize + 2;
    (0..n)
        .map(|i| {
            let x = -(LIMIT as f64) + i as f64 / STEPS_PER_UNIT as f64;
            (0.5 * x * (1.0 + candle_core::cpu::erf::erf_f64(x / std::f64::consts::SQRT_2))) as f32
        })
        .collect()
});

#[inline]
fn gelu(x: f32, table: &[f32]) -> f32 {
    if x >= LIMIT {
        return x;
    }
    if x.is_nan() || x <= -LIMIT {
        return if x.is_nan() { x } else { 0.0 };
    }
    let pos = (x + LIMIT) * STEPS_PER_UNIT;
    let i = pos as usize;
    let frac = pos - i as f32;
    table[i] + (table[i + 1] - table[i]) * frac
}

struct GeluLut;

impl CustomOp1 for GeluLut {
    fn name(&self) -> &'static str {
        "gelu-lut"
    }

    fn cpu_fwd(&self, storage: &CpuStorage, layout: &Layout) -> candle_core::Result<(CpuStorage, Shape)> {
        let (start, end) = layout
            .contiguous_offsets()
            .ok_or_else(|| candle_core::Error::Msg("gelu-lut needs a contiguous tensor".into()))?;
        let src = &storage.as_slice::<f32>()?[start..end];
        let table = TABLE.as_slice();
        let mut dst = vec![0f32; src.len()];
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        if threads > 1 && src.len() >= 1 << 16 {
            let chunk = src.len().div_ceil(threads);
            std::thread::scope(|scope| {
                for (s, d) in src.chunks(chunk).zip(dst.chunks_mut(chunk)) {
                    scope.spawn(move || d.iter_mut().zip(s).for_each(|(d, &x)| *d = gelu(x, table)));
                }
            });
        } else {
            dst.iter_mut().zip(src).for_each(|(d, &x)| *d = gelu(x, table));
        }
        Ok((CpuStorage::F32(dst), layout.shape().clone()))
    }
}

/// Exact-form GELU of an f32 tensor.
pub fn gelu_erf(x: &Tensor) -> candle_core::Result<Tensor> {
    x.contiguous()?.apply_op1_no_bwd(&GeluLut)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_exact_gelu() {
        let table = TABLE.as_slice();
        let mut worst = 0f64;
        let mut x = -12.0f32;
        while x < 12.0 {
            let exact = 0.5 * x as f64 * (1.0 + candle_core::cpu::erf::erf_f64(x as f64 / std::f64::consts::SQRT_2));
            worst = worst.max((gelu(x, table) as f64 - exact).abs());
            x += 0.001;
        }
        assert!(worst < 1e-6, "max error {worst}");
    }
}
