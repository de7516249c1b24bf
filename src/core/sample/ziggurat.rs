//! Ziggurat samplers for the standard normal and the unit exponential
//! (Marsaglia and Tsang, 2000, with 256 layers), on plain arithmetic: about
//! 99% of draws take one 64-bit word, a table look-up, a multiplication and a
//! comparison, with no logarithm. The rare wedge and tail draws use the
//! portable `libm`. The tables are built once from `libm` too, so they are
//! the same bits on every system.

use rand::{Rng, RngExt};
use std::sync::LazyLock;

/// Layers of each ziggurat.
const LAYERS: usize = 256;

/// The layer boundaries x_0 > x_1 > ... > x_256 = 0 (x_0 is the base
/// layer's equivalent width) and the density at each, f_i = f(x_i).
struct Table {
    x: [f64; LAYERS + 1],
    f: [f64; LAYERS + 1],
}

/// Builds the table of an unnormalised decreasing density `f` with inverse
/// `f_inv`, rightmost boundary `r` and layer area `v`.
fn build(f: fn(f64) -> f64, f_inv: fn(f64) -> f64, r: f64, v: f64) -> Table {
    let mut x = [0.0; LAYERS + 1];
    x[0] = v / f(r);
    x[1] = r;
    for i in 1..LAYERS - 1 {
        x[i + 1] = f_inv(v / x[i] + f(x[i]));
    }
    x[LAYERS] = 0.0;
    let mut fx = [0.0; LAYERS + 1];
    for (fi, xi) in fx.iter_mut().zip(&x) {
        *fi = f(*xi);
    }
    fx[LAYERS] = 1.0;
    Table { x, f: fx }
}

fn normal_f(x: f64) -> f64 {
    libm::exp(-0.5 * x * x)
}

fn normal_f_inv(y: f64) -> f64 {
    libm::sqrt(-2.0 * libm::log(y))
}

fn exp_f(x: f64) -> f64 {
    libm::exp(-x)
}

fn exp_f_inv(y: f64) -> f64 {
    -libm::log(y)
}

/// Rightmost boundary and layer area of the normal ziggurat (Marsaglia and Tsang).
const NORMAL_R: f64 = 3.654_152_885_361_009;
const NORMAL_V: f64 = 0.004_928_673_233_99;
/// Rightmost boundary and layer area of the exponential ziggurat.
const EXP_R: f64 = 7.697_117_470_131_05;
const EXP_V: f64 = 0.003_949_659_822_581_557;

static NORMAL: LazyLock<Table> = LazyLock::new(|| build(normal_f, normal_f_inv, NORMAL_R, NORMAL_V));
static EXP: LazyLock<Table> = LazyLock::new(|| build(exp_f, exp_f_inv, EXP_R, EXP_V));

/// 2^-52.
const EPS52: f64 = 1.0 / 4_503_599_627_370_496.0;

/// The top 52 bits of `bits` as a uniform in (0, 1).
#[inline]
fn open01(bits: u64) -> f64 {
    ((bits >> 12) as f64 + 0.5) * EPS52
}

/// A uniform draw in [0, 1).
#[inline]
fn u01<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    rng.random::<f64>()
}

/// Standard normal.
#[inline]
pub fn normal<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    let t: &Table = &NORMAL;
    loop {
        let bits = rng.next_u64();
        let i = (bits & 0xff) as usize;
        // Symmetric in (-1, 1): the sign comes with the uniform.
        let u = 2.0 * open01(bits) - 1.0;
        let x = u * t.x[i];
        if x.abs() < t.x[i + 1] {
            return x;
        }
        if i == 0 {
            // The tail beyond r (Marsaglia, 1964).
            loop {
                let a = -libm::log(1.0 - u01(rng)) / NORMAL_R;
                let b = -libm::log(1.0 - u01(rng));
                if 2.0 * b >= a * a {
                    return if u < 0.0 { -(NORMAL_R + a) } else { NORMAL_R + a };
                }
            }
        }
        if t.f[i + 1] + (t.f[i] - t.f[i + 1]) * u01(rng) < normal_f(x) {
            return x;
        }
    }
}

/// Exponential with mean 1.
#[inline]
pub fn exp1<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    let t: &Table = &EXP;
    loop {
        let bits = rng.next_u64();
        let i = (bits & 0xff) as usize;
        let x = open01(bits) * t.x[i];
        if x < t.x[i + 1] {
            return x;
        }
        if i == 0 {
            // Memoryless tail: r plus a fresh exponential.
            return EXP_R - libm::log(1.0 - u01(rng));
        }
        if t.f[i + 1] + (t.f[i] - t.f[i + 1]) * u01(rng) < exp_f(x) {
            return x;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_layer_of_each_ziggurat_has_the_same_area() {
        for (t, f, v) in [(&*NORMAL, normal_f as fn(f64) -> f64, NORMAL_V), (&*EXP, exp_f, EXP_V)] {
            // Layer i (1..255) is the rectangle x_i by (f_{i+1} - f_i).
            for i in 1..LAYERS - 1 {
                let area = t.x[i] * (t.f[i + 1] - t.f[i]);
                assert!((area - v).abs() < 1e-9, "layer {i}: {area} vs {v}");
            }
            // The construction closes: the top layer ends at the mode.
            let top = t.x[LAYERS - 1] * (1.0 - t.f[LAYERS - 1]);
            assert!((top - v).abs() < 1e-9, "top layer {top} vs {v}");
            assert!(t.x.windows(2).all(|w| w[0] > w[1]));
            assert_eq!(t.f[1], f(t.x[1]));
        }
    }
}
