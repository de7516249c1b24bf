//! The results of an analysis in long form: one [`Record`] per (parameter,
//! scope, metric, index) with its estimate and 95% interval, and what the
//! exporters and charts need besides (the parameters and their ranges, the
//! outputs, the design's size, and for an uncertainty analysis every
//! point's value of every output). Undefined statistics are `None`, never
//! NaN.

use super::design::Method;
use super::evaluations::Output;
use super::space::ParameterSummary;
use serde::Serialize;

/// The statistic a record holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Index {
    /// Tornado: the output at the base (no parameter).
    Base,
    /// Tornado: output with the parameter at its low value minus the base
    /// (paired over replications).
    Low,
    /// Tornado: output with the parameter at its high value minus the base.
    High,
    /// Tornado: high minus low.
    Swing,
    /// Morris: mean elementary effect (output units per unit of the
    /// parameter's range).
    Mu,
    /// Morris: mean absolute elementary effect.
    MuStar,
    /// Morris: standard deviation of the elementary effects.
    Sigma,
    /// Sobol: first-order index (Saltelli 2010).
    FirstOrder,
    /// Sobol: total index (Jansen 1999).
    Total,
    /// Sobol: the sum of the first-order indices (no parameter); 1 for an
    /// additive model.
    SumFirstOrder,
    /// Uncertainty: mean over the parameters' distribution.
    Mean,
    /// Uncertainty: 5th percentile.
    P05,
    /// Uncertainty: median.
    P50,
    /// Uncertainty: 95th percentile.
    P95,
    /// Uncertainty: standard deviation across points.
    Sd,
    /// Uncertainty: the share of the variance across points that is Monte
    /// Carlo noise (mean within-point variance of the mean over the
    /// variance of the point means).
    NoiseShare,
}

impl Index {
    /// The index's name in outputs (`first_order`, `mu_star`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Index::Base => "base",
            Index::Low => "low",
            Index::High => "high",
            Index::Swing => "swing",
            Index::Mu => "mu",
            Index::MuStar => "mu_star",
            Index::Sigma => "sigma",
            Index::FirstOrder => "first_order",
            Index::Total => "total",
            Index::SumFirstOrder => "sum_first_order",
            Index::Mean => "mean",
            Index::P05 => "p05",
            Index::P50 => "p50",
            Index::P95 => "p95",
            Index::Sd => "sd",
            Index::NoiseShare => "noise_share",
        }
    }
}

/// One estimate.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Record {
    /// The parameter; `None` for statistics of the whole (the tornado's
    /// base, the sum of first-order indices, uncertainty summaries).
    pub parameter: Option<String>,
    /// Platform name, `gatekeeper` or `market`.
    pub scope: String,
    /// Metric name.
    pub metric: String,
    /// The statistic.
    pub index: Index,
    /// Estimate; `None` when undefined (e.g. an output constant over the
    /// design has no variance to share out).
    pub estimate: Option<f64>,
    /// Lower end of its 95% interval.
    pub ci_low: Option<f64>,
    /// Upper end of its 95% interval.
    pub ci_high: Option<f64>,
    /// For a tornado's Student t intervals: the skewness (G1) of the
    /// replications' values the interval is made of.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skewness: Option<f64>,
    /// For a tornado: the replications from which Cochran's rule trusts
    /// the t interval at that skewness (it may cover less than 95% below).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replications_for_t: Option<u64>,
}

impl Record {
    pub(crate) fn new(
        parameter: Option<&str>,
        output: &Output,
        index: Index,
        estimate: Option<f64>,
        ci: Option<(f64, f64)>,
    ) -> Record {
        let finite = |x: Option<f64>| x.filter(|v| v.is_finite());
        let ci = ci.filter(|(a, b)| a.is_finite() && b.is_finite());
        Record {
            parameter: parameter.map(str::to_string),
            scope: output.scope.clone(),
            metric: output.metric.clone(),
            index,
            estimate: finite(estimate),
            ci_low: ci.map(|c| c.0),
            ci_high: ci.map(|c| c.1),
            skewness: None,
            replications_for_t: None,
        }
    }

    /// The record with the skewness check of the values `xs` its interval
    /// was made of.
    pub(crate) fn checked(self, xs: &[f64]) -> Record {
        let check = crate::core::stats::interval::skew_check(xs);
        Record {
            skewness: check.map(|c| c.skewness),
            replications_for_t: check.map(|c| c.replications_needed),
            ..self
        }
    }

    /// Whether its interval may cover less than 95% at `n` replications.
    pub fn may_under_cover(&self, n: usize) -> bool {
        self.replications_for_t.is_some_and(|needed| (n as u64) < needed)
    }
}

/// An analysis' results.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SensitivityResult {
    /// The method.
    pub method: Method,
    /// The design, described.
    pub design: String,
    /// The seed (design and bootstrap).
    pub seed: u64,
    /// The parameters, in order.
    pub parameters: Vec<ParameterSummary>,
    /// The outputs analysed, in order.
    pub outputs: Vec<Output>,
    /// Design points.
    pub points: usize,
    /// Replications per point.
    pub replications: usize,
    /// Base sample size (Saltelli's N, trajectories, sample size; 1 for a
    /// tornado).
    pub samples: usize,
    /// Bootstrap resamples behind the intervals (0 for a tornado, whose
    /// intervals are Student t over replications).
    pub resamples: usize,
    /// Every estimate, output by output, parameter by parameter.
    pub records: Vec<Record>,
    /// Uncertainty only: `distributions[o]` is output `o`'s mean at every
    /// point, in design order (empty for the other methods).
    pub distributions: Vec<Vec<f64>>,
}

impl SensitivityResult {
    /// The record of `index` for `parameter` (`None`: the whole) of an
    /// output.
    pub fn record(&self, parameter: Option<&str>, scope: &str, metric: &str, index: Index) -> Option<&Record> {
        self.records
            .iter()
            .find(|r| r.parameter.as_deref() == parameter && r.scope == scope && r.metric == metric && r.index == index)
    }

    /// The index of the output `scope`/`metric` among the outputs.
    pub fn output(&self, scope: &str, metric: &str) -> Option<usize> {
        self.outputs.iter().position(|o| o.scope == scope && o.metric == metric)
    }
}
