//! Writes the synthetic review log of the scale bench to a file, for the
//! whole-process measurement in the book ("Performance"):
//!
//! ```sh
//! cargo run --release --example review_log_big -- /tmp/big.csv 10000000 10000
//! /usr/bin/time -v target/release/gatesim fit reviews /tmp/big.csv --out /tmp/out --no-report
//! ```
//!
//! Arguments: the file, the number of submissions (default 10,000,000) and
//! of platforms (default 10,000). See `benches/common/review_log.rs`.

#[path = "../benches/common/review_log.rs"]
mod review_log;

use std::io::BufWriter;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let file = args.next().unwrap_or_else(|| "review_log_big.csv".into());
    let submissions: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(10_000_000);
    let platforms: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let mut out = BufWriter::with_capacity(1 << 20, std::fs::File::create(&file)?);
    review_log::write_log(&mut out, submissions, platforms.max(1), 20211116)?;
    println!("{file}: {submissions} submissions over {platforms} platforms");
    Ok(())
}
