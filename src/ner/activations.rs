//! Softmax and GELU, written so the compiler vectorizes them.
//!
//! With the matrix products in int8, the scalar `expf` of attention's softmax and a
//! GELU table lookup with branches took a third of the model's time (`perf` on PolNeAR
//! dev text, one thread). Here `exp` is a polynomial with the exponent put in by hand
//! (Cephes' `expf`, within 2 ulp), `erfc` a rational fit (Numerical Recipes' `erfcc`,
//! relative error below 1.2e-7), without branches or calls: loops over them become
//! vector code, and `dispatch!` (ner/dispatch.rs) compiles them for AVX2 and for
//! AVX-512 too, the widest this CPU has chosen at run time.

/// `e^x` for `x` in the range a softmax sees (below −87 it gives about 1.6e-38, not 0).
#[inline(always)]
fn exp(x: f32) -> f32 {
    const ROUND: f32 = 12_582_912.0; // 1.5 × 2²³: adding and taking it away rounds to nearest
                                     // (comparisons that send a NaN to −87, where `clamp` would keep it for the cast)
    let x = if x > -87.0 { x } else { -87.0 };
    let x = if x < 88.0 { x } else { 88.0 };
    let k = (x * std::f32::consts::LOG2_E + ROUND) - ROUND;
    // (ln 2 in two parts, so that x − k ln 2 stays exact)
    let r = x - k * 0.693_359_4 + k * 2.121_944_4e-4;
    let p = ((((1.987_569_1e-4 * r + 1.398_199_9e-3) * r + 8.333_452e-3) * r + 4.166_579_6e-2) * r + 1.666_666_5e-1)
        * r
        + 0.5;
    let e = p * r * r + r + 1.0;
    // SAFETY: `k` is a whole number in [−126, 127] (x was bounded).
    let k = unsafe { k.to_int_unchecked::<i32>() };
    e * f32::from_bits(((k + 127) << 23) as u32)
}

/// `erfc(z)` for `z ≥ 0`.
#[inline(always)]
fn erfc(z: f32) -> f32 {
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -1.265_512_2
        + t * (1.000_023_7
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_204 + t * (1.488_515_9 + t * (-0.822_152_2 + t * 0.170_872_77))))))));
    t * exp(-z * z + poly)
}

/// GELU, the exact (erf) form BERT uses: `x Φ(x) = x erfc(−x/√2) / 2`.
#[inline(always)]
fn gelu(x: f32) -> f32 {
    let e = erfc(x.abs() * std::f32::consts::FRAC_1_SQRT_2);
    // (erfc(−z) = 2 − erfc(z); beyond ±10 GELU is x or 0 to f32 precision, and the
    // formula would make inf × 0; a NaN falls through to the last arm and stays NaN)
    if x > 10.0 {
        x
    } else if x >= 0.0 {
        x - 0.5 * x * e
    } else if x < -10.0 {
        0.0
    } else {
        0.5 * x * e
    }
}

/// Lanes of the running maxima and sums (AVX-512's sixteen floats).
const LANES: usize = 16;

#[inline(always)]
fn softmax_row(row: &mut [f32]) {
    // (running maxima and sums in lanes, in plain loops: a float reduction vectorizes
    // only when written so, and an iterator adapter left out of line would be compiled
    // without the caller's target features)
    let mut lanes = [f32::NEG_INFINITY; LANES];
    let whole = row.len() / LANES * LANES;
    for c in row[..whole].chunks_exact(LANES) {
        for i in 0..LANES {
            // (a comparison, not `f32::max`, whose NaN rule keeps the loop scalar)
            lanes[i] = if c[i] > lanes[i] { c[i] } else { lanes[i] };
        }
    }
    let mut max = f32::NEG_INFINITY;
    for &v in lanes.iter().chain(&row[whole..]) {
        max = max.max(v);
    }
    let mut sums = [0f32; LANES];
    for c in row[..whole].chunks_exact_mut(LANES) {
        for i in 0..LANES {
            c[i] = exp(c[i] - max);
            sums[i] += c[i];
        }
    }
    let mut sum = 0.0;
    for v in &mut row[whole..] {
        *v = exp(*v - max);
        sum += *v;
    }
    for s in sums {
        sum += s;
    }
    let inv = 1.0 / sum;
    for v in row.iter_mut() {
        *v *= inv;
    }
}

#[inline(always)]
fn softmax_rows_generic(xs: &mut [f32], len: usize) {
    for row in xs.chunks_exact_mut(len) {
        softmax_row(row);
    }
}

#[inline(always)]
fn gelu_generic(xs: &mut [f32]) {
    for x in xs.iter_mut() {
        *x = gelu(*x);
    }
}

dispatch!(softmax_rows, softmax_rows_generic, (xs: &mut [f32], len: usize));
dispatch!(gelu_in_place, gelu_generic, (xs: &mut [f32]));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exp_is_within_two_ulp_of_the_library() {
        let mut x = -87.0f32;
        while x < 88.0 {
            let (got, want) = (exp(x), x.exp());
            assert!((got - want).abs() <= 2.5e-7 * want, "exp({x}) = {got}, not {want}");
            x += 0.01;
        }
    }

    #[test]
    fn gelu_matches_the_exact_form() {
        let mut worst = 0f64;
        let mut x = -12.0f32;
        while x < 12.0 {
            let exact = 0.5 * x as f64 * (1.0 + candle_core::cpu::erf::erf_f64(x as f64 / std::f64::consts::SQRT_2));
            worst = worst.max((gelu(x) as f64 - exact).abs());
            x += 0.001;
        }
        assert!(worst < 1e-6, "max error {worst}");
        assert!(gelu(f32::NAN).is_nan());
        let mut xs = [f32::INFINITY, f32::NEG_INFINITY, 100.0, -100.0];
        gelu_in_place(&mut xs);
        assert_eq!(xs, [f32::INFINITY, 0.0, 100.0, 0.0]);
    }

    #[test]
    fn softmax_rows_sum_to_one() {
        let mut xs: Vec<f32> = (0..3 * 11).map(|i| (i as f32 * 0.37).sin() * 20.0).collect();
        let want: Vec<f32> = xs
            .chunks_exact(11)
            .flat_map(|r| {
                let m = r.iter().copied().fold(f32::NEG_INFINITY, f32::max);
                let z: f32 = r.iter().map(|v| (v - m).exp()).sum();
                r.iter().map(move |v| (v - m).exp() / z).collect::<Vec<_>>()
            })
            .collect();
        softmax_rows(&mut xs, 11);
        for (g, w) in xs.iter().zip(&want) {
            assert!((g - w).abs() < 1e-6, "{g} vs {w}");
        }
    }
}
