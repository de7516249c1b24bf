//! Flags that mean the same thing in every command that takes them,
//! defined once and flattened into each command's own flags: the scenario
//! overrides (`--set`, `--seed`), the run's size and split (`-n`, `-j`,
//! `--shard`) and where and how outputs are written (`--out`, `-q`,
//! `--format`, `--no-charts`, `--no-report`). Values are parsed by clap
//! into their types here (a shard, a list of chart formats), never passed
//! on as text.

use crate::experiments::shard::Shard;
use crate::present::plot::Format;
use clap::Args;
use std::path::{Path, PathBuf};

/// The largest seed: seeds are stored as TOML integers.
const MAX_SEED: u64 = i64::MAX as u64;

/// Overrides of the scenario (or, in `compare`, of every scenario).
#[derive(Clone, Debug, Default, Args)]
pub(crate) struct ScenarioFlags {
    /// Override a scenario key, e.g. `--set gatekeeper.reviewers=3` or
    /// `--set platforms.Taocaicai.class=standard` (repeatable; values are TOML,
    /// or else strings; in compare, applied to every scenario).
    #[arg(long = "set", value_name = "KEY.PATH=VALUE")]
    pub sets: Vec<String>,
    /// Seed of every random stream (overrides simulation.seed; 0 to 2^63-1).
    #[arg(long, value_parser = parse_seed)]
    pub seed: Option<u64>,
}

impl ScenarioFlags {
    /// The overrides as `--set` lines, the seed last.
    pub(crate) fn all_sets(&self) -> Vec<String> {
        let mut sets = self.sets.clone();
        if let Some(seed) = self.seed {
            sets.push(format!("simulation.seed={seed}"));
        }
        sets
    }
}

/// `--seed N`: a whole number from 0 to 2^63-1.
fn parse_seed(text: &str) -> Result<u64, String> {
    let seed: u64 = text
        .trim()
        .parse()
        .map_err(|_| format!("must be a whole number from 0 to {MAX_SEED}, got {text}"))?;
    if seed > MAX_SEED {
        return Err(format!("must be at most {MAX_SEED}, got {seed}"));
    }
    Ok(seed)
}

/// How many replications, on how many threads, and which shard of them.
#[derive(Clone, Debug, Args)]
pub(crate) struct RunFlags {
    /// Replications per scenario or point (default: simulation.replications of the (first) scenario;
    /// sensitivity: 50 for tornado, 4 for uncertainty, 2 for morris and sobol).
    #[arg(long, short = 'n', value_name = "N", value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
    pub replications: Option<u64>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, short = 'j', value_name = "T", value_parser = clap::value_parser!(u64).range(1..=4096))]
    pub threads: Option<u64>,
    /// Run only shard K of N of the replications (K from 1; for
    /// sensitivity, of the design points) and write its partial result to
    /// OUT/<name>.shard-K-of-N.partial instead of the outputs; `gatesim
    /// merge` puts the shards together.
    #[arg(long, value_name = "K/N", value_parser = parse_shard)]
    pub shard: Option<Shard>,
}

impl RunFlags {
    /// The worker threads: as asked, else one per core.
    pub(crate) fn threads(&self) -> usize {
        threads(self.threads)
    }
}

/// `t` worker threads, else one per core.
pub(crate) fn threads(t: Option<u64>) -> usize {
    match t {
        Some(t) => usize::try_from(t).unwrap_or(usize::MAX),
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
    }
}

/// `--shard K/N`.
fn parse_shard(text: &str) -> Result<Shard, String> {
    Shard::parse(text)
}

/// `--name`: one folder name, no path.
pub(super) fn parse_name(text: &str) -> Result<String, String> {
    let t = text.trim();
    if t.is_empty() || t == "." || t == ".." || t.contains(['/', '\\']) || t.starts_with('.') {
        return Err(format!(
            "a folder name without a path and not starting with a dot, e.g. guizhou-lowchurn; got `{text}`"
        ));
    }
    Ok(t.to_string())
}

/// The chart formats of `--format`, in the order given, repeats dropped.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Formats(pub Vec<Format>);

/// `--format png,svg`.
fn parse_formats(text: &str) -> Result<Formats, String> {
    Format::parse_list(text).map(Formats)
}

/// Where and how a command writes its outputs.
#[derive(Clone, Debug, Args)]
pub(crate) struct OutputFlags {
    /// Folder that receives the output folder (default: output; fit: print only, write nothing).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Name of the output folder under --out (default: the scenario's name,
    /// with the overrides appended when --set or --seed is given).
    #[arg(long, value_name = "NAME", value_parser = parse_name)]
    pub name: Option<String>,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
    /// Chart formats, comma-separated: png, svg (charts go to OUT/<name>/charts/).
    #[arg(long, value_name = "LIST", default_value = "png,svg", value_parser = parse_formats)]
    pub format: Formats,
    /// Write no charts.
    #[arg(long)]
    pub no_charts: bool,
    /// Write no report.html (the one-page report with the charts inlined).
    #[arg(long)]
    pub no_report: bool,
}

impl OutputFlags {
    /// The folder that receives the output folder: `--out`, else `output`.
    pub(crate) fn out_dir(&self) -> &Path {
        self.out.as_deref().unwrap_or(Path::new("output"))
    }

    /// The chart formats asked for (none with `--no-charts`).
    pub(crate) fn chart_formats(&self) -> Vec<Format> {
        if self.no_charts {
            Vec::new()
        } else {
            self.format.0.clone()
        }
    }
}
