//! Random cases for the property tests, drawn from a fixed seed: the same
//! cases on every run and machine. A failing case is printed whole, with
//! its number, after the failed assertion's message.

use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;
use std::fmt::Debug;

/// The generator a case is drawn from.
pub type Rng = Xoshiro256PlusPlus;

/// Checks `cases` cases drawn one after another by `draw` from a generator
/// seeded with `seed`.
pub fn for_cases<T: Debug>(seed: u64, cases: usize, draw: impl Fn(&mut Rng) -> T, check: impl Fn(&T)) {
    let mut rng = Rng::seed_from_u64(seed);
    for i in 0..cases {
        check_one(&format!("number {i} of seed {seed}"), &draw(&mut rng), &check);
    }
}

/// Checks one case, printing it and its `name` if the check panics.
pub fn check_one<T: Debug>(name: &str, case: &T, check: impl Fn(&T)) {
    let _naming = Naming(name, case);
    check(case);
}

/// Prints its case if the check of it panics.
struct Naming<'a, T: Debug>(&'a str, &'a T);

impl<T: Debug> Drop for Naming<'_, T> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("the failing case ({}): {:#?}", self.0, self.1);
        }
    }
}
