//! A synthetic review log for the scale bench and its whole-process
//! measurement: `submissions` rows over `platforms` platforms across the
//! year 2021, in order of submission, as ISO 8601 date-times with the
//! offset +08:00 to the second. Platforms differ in size (each's share
//! drawn uniformly between half and one and a half times the average);
//! every review takes a log-normal time (median 20 hours, sigma 0.6), ten
//! platforms (class `held`) wait three days more; 5% of decisions are
//! rejections, 3% of submissions are withdrawn before their decision, and
//! those not decided by the end of the year are pending. Deterministic
//! (its own generator, seeded), so every run writes the same bytes.

use std::io::{self, Write};

/// The platforms whose reviews are held.
pub const HELD: usize = 10;

/// A small, fast generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in (0, 1).
    fn uniform(&mut self) -> f64 {
        ((self.next() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }

    /// Standard normal (Box-Muller).
    fn normal(&mut self) -> f64 {
        let (u, v) = (self.uniform(), self.uniform());
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }
}

/// Seconds in 2021.
const YEAR: u64 = 365 * 86_400;

/// `2021-MM-DDThh:mm:ss+08:00` for `s` seconds from 2021-01-01T00:00+08:00.
fn iso(s: u64, days: &[String]) -> String {
    let (d, rest) = ((s / 86_400) as usize, s % 86_400);
    let day = days.get(d).map_or("2022-01-01", String::as_str);
    format!("{day}T{:02}:{:02}:{:02}+08:00", rest / 3600, rest / 60 % 60, rest % 60)
}

/// The dates of 2021 and 2022-01-01 to 2022-12-31 (for decisions after the year).
fn dates() -> Vec<String> {
    let lengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let mut out = Vec::new();
    for year in [2021, 2022] {
        for (m, &n) in lengths.iter().enumerate() {
            for d in 1..=n {
                out.push(format!("{year}-{:02}-{d:02}", m + 1));
            }
        }
    }
    out
}

/// Writes the log to `out`. The log is taken at 2022-01-01T00:00:00+08:00.
pub fn write_log(out: &mut impl Write, submissions: u64, platforms: usize, seed: u64) -> io::Result<()> {
    let mut rng = Rng(seed);
    let days = dates();
    // Cumulative shares of the platforms, for drawing one per submission.
    let weights: Vec<f64> = (0..platforms).map(|_| 0.5 + rng.uniform()).collect();
    let total: f64 = weights.iter().sum();
    let mut cumulative = Vec::with_capacity(platforms);
    let mut sum = 0.0;
    for w in &weights {
        sum += w / total;
        cumulative.push(sum);
    }
    let names: Vec<String> = (0..platforms).map(|p| format!("platform-{p:05}")).collect();
    writeln!(
        out,
        "# A synthetic review log ({submissions} submissions over {platforms} platforms, 2021), taken at 2022-01-01T00:00:00+08:00"
    )?;
    writeln!(out, "platform,class,submitted,decided,outcome")?;
    for i in 0..submissions {
        let submitted = i * YEAR / submissions.max(1);
        let u = rng.uniform();
        let p = cumulative.partition_point(|&c| c < u).min(platforms - 1);
        let held = p < HELD;
        let mut hours = 20.0 * (0.6 * rng.normal()).exp();
        if held {
            hours += 72.0;
        }
        let duration = (hours * 3600.0) as u64;
        let withdrawn = rng.uniform() < 0.03;
        let rejected = rng.uniform() < 0.05;
        let (end, outcome) = if withdrawn {
            ((duration as f64 * rng.uniform()) as u64, "withdrawn")
        } else if rejected {
            (duration, "rejected")
        } else {
            (duration, "approved")
        };
        let class = if held { "held" } else { "standard" };
        if submitted + end >= YEAR {
            writeln!(out, "{},{class},{},,", names[p], iso(submitted, &days))?;
        } else {
            writeln!(
                out,
                "{},{class},{},{},{outcome}",
                names[p],
                iso(submitted, &days),
                iso(submitted + end, &days)
            )?;
        }
    }
    out.flush()
}
