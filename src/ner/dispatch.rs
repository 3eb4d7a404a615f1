//! One function compiled for several instruction sets, the widest chosen at run time.
//!
//! The default build targets baseline x86-64 (SSE2), so that one binary runs anywhere;
//! loops over floats then vectorize four wide. `dispatch!` compiles a generic body
//! again with AVX2 + FMA and with AVX-512 enabled and calls the widest this CPU has:
//! the same code, vectorized eight or sixteen wide. (The body must inline into the
//! wrappers: plain loops and `#[inline(always)]` helpers, not iterator adapters, which
//! may be left out of line and then run without the features.)

/// Compile `$generic` for AVX-512, for AVX2 + FMA and for the baseline, and run the
/// widest this CPU has (`is_x86_feature_detected!` caches what it finds).
macro_rules! dispatch {
    ($name:ident, $generic:ident, ($($arg:ident: $ty:ty),*)) => {
        pub(crate) fn $name($($arg: $ty),*) {
            #[cfg(target_arch = "x86_64")]
            {
                #[target_feature(enable = "avx512f,avx2,fma")]
                unsafe fn avx512($($arg: $ty),*) {
                    $generic($($arg),*)
                }
                #[target_feature(enable = "avx2,fma")]
                unsafe fn avx2($($arg: $ty),*) {
                    $generic($($arg),*)
                }
                if is_x86_feature_detected!("avx512f") {
                    // SAFETY: the CPU has the features the function was compiled for.
                    return unsafe { avx512($($arg),*) };
                }
                if is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma") {
                    // SAFETY: as above.
                    return unsafe { avx2($($arg),*) };
                }
            }
            $generic($($arg),*)
        }
    };
}
