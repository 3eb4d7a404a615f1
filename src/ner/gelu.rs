//! GELU (the exact, erf form BERT uses) from a lookup table.
//!
//! Evaluating erf per element costs as much as a feed-forward matmul. GELU is smooth, so a table over [-8, 8] with linear
//! interpolation (step 1/512) is within 4e-7 of the exact value; outside that range
//! GELU is 0 (below) or the identity (above) to f32 precision.

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

/// GELU of every element, in place.
pub fn gelu_in_place(xs: &mut [f32]) {
    let table = TABLE.as_slice();
    xs.iter_mut().for_each(|x| *x = gelu(*x, table));
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
