//! Fitting a retention table: the sBG always (it is gatesim's user model),
//! the beta-discrete-Weibull too when asked, with the likelihood-ratio test
//! between them; each model's chi-square against the observed counts; the
//! fitted survival over the data and a projection beyond it; and, when a
//! period is longer than a day, the per-day parameters gatesim needs
//! ([`super::rescale`]).

use super::bdw::{self, LrTest};
use super::rescale::{self, DailyParams};
use super::retention_data::{Counts, RetentionData};
use super::special::chi_square_sf;
use super::{Param, Period, sbg};
use serde::Serialize;

/// A retention model.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Model {
    /// Shifted-beta-geometric.
    Sbg,
    /// Beta-discrete-Weibull.
    Bdw,
}

impl Model {
    /// Its name in prose.
    pub fn title(self) -> &'static str {
        match self {
            Model::Sbg => "shifted-beta-geometric (sBG)",
            Model::Bdw => "beta-discrete-Weibull (BdW)",
        }
    }

    /// Its short name.
    pub fn short(self) -> &'static str {
        match self {
            Model::Sbg => "sBG",
            Model::Bdw => "BdW",
        }
    }
}

/// Pearson's chi-square of a fit against the observed counts: per cohort,
/// the users lost in each period and those still active at its end.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ChiSquare {
    /// Sum of (observed - expected)^2 / expected over the cells.
    pub statistic: f64,
    /// Independent cells minus parameters.
    pub df: u32,
    /// P(chi-square(df) > statistic); `None` without degrees of freedom.
    pub p_value: Option<f64>,
}

/// One model fitted to the table.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelFit {
    /// The model.
    pub model: Model,
    /// Its parameters with standard errors.
    pub parameters: Vec<Param>,
    /// The maximised log-likelihood.
    pub log_likelihood: f64,
    /// Its chi-square against the counts.
    pub chi_square: ChiSquare,
    /// Fitted survival S(t) at t = 0..=last period + projection.
    pub fitted: Vec<f64>,
    /// Whether an estimate ran to the edge of the search box or the
    /// likelihood is flat at the optimum: a limiting case of the model,
    /// without standard errors.
    pub at_bound: bool,
}

impl ModelFit {
    /// The estimate of parameter `name`.
    pub fn estimate(&self, name: &str) -> f64 {
        self.parameters
            .iter()
            .find(|p| p.name == name)
            .map_or(f64::NAN, |p| p.estimate)
    }
}

/// Everything fitted to one retention table.
#[derive(Clone, Debug, PartialEq)]
pub struct RetentionFit {
    /// What a period is.
    pub period: Period,
    /// The table.
    pub data: RetentionData,
    /// The model asked for.
    pub model: Model,
    /// The sBG fit (always made).
    pub sbg: ModelFit,
    /// The BdW fit, when asked for.
    pub bdw: Option<ModelFit>,
    /// BdW against sBG, when the BdW was fitted.
    pub lr_test: Option<LrTest>,
    /// Per-day parameters, when a period is longer than a day.
    pub per_day: Option<DailyParams>,
    /// Periods projected beyond the data.
    pub projection: usize,
}

impl RetentionFit {
    /// The fit of the model asked for.
    pub fn chosen(&self) -> &ModelFit {
        match (self.model, &self.bdw) {
            (Model::Bdw, Some(b)) => b,
            _ => &self.sbg,
        }
    }

    /// The last observed period.
    pub fn last_period(&self) -> usize {
        self.data.last_period()
    }

    /// The per-day sBG parameters (alpha, beta): derived, or the fit itself
    /// when a period is a day.
    pub fn daily(&self) -> (f64, f64) {
        match &self.per_day {
            Some(d) => (d.parameters[0].estimate, d.parameters[1].estimate),
            None => (self.sbg.estimate("alpha"), self.sbg.estimate("beta")),
        }
    }
}

/// How to fit a table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetentionOptions {
    /// What a period is.
    pub period: Period,
    /// The model asked for.
    pub model: Model,
    /// Periods to project (default: as many as observed, at least 3).
    pub project: Option<usize>,
}

/// Why a fit failed: the data were valid but no finite likelihood was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FitError {
    /// A retention model's likelihood (`sBG` or `BdW`) is not finite for
    /// any parameters tried.
    #[error("the {0} likelihood is not finite for any parameters tried")]
    Retention(&'static str),
    /// No duration family has a finite likelihood on the data.
    #[error("no distribution has a finite likelihood on these durations")]
    Durations,
}

fn chi_square(data: &RetentionData, survival: &[f64], params: usize) -> ChiSquare {
    let (mut stat, mut cells) = (0.0, 0usize);
    let mut add = |observed: f64, expected: f64| {
        if expected > 0.0 {
            stat += (observed - expected) * (observed - expected) / expected;
        }
    };
    for c in &data.cohorts {
        let n0 = c.size() as f64;
        for (t, w) in c.active.windows(2).enumerate() {
            add((w[0] - w[1]) as f64, n0 * (survival[t] - survival[t + 1]));
        }
        add(*c.active.last().unwrap_or(&0) as f64, n0 * survival[c.last_period()]);
        cells += c.last_period();
    }
    let df = cells.saturating_sub(params) as u32;
    ChiSquare {
        statistic: stat,
        df,
        p_value: (df > 0).then(|| chi_square_sf(stat, f64::from(df))),
    }
}

/// Fits `data` as `opts` say.
pub fn fit_retention(data: &RetentionData, opts: &RetentionOptions) -> Result<RetentionFit, FitError> {
    let counts = Counts::of(data);
    let last = data.last_period();
    let projection = opts.project.unwrap_or(last.max(3));
    let span = last + projection;
    let fail = FitError::Retention;
    let s = sbg::fit(&counts).ok_or_else(|| fail("sBG"))?;
    let params = s.params(&sbg::NAMES);
    let fitted = sbg::survival(params[0].estimate, params[1].estimate, span);
    let sbg_fit = ModelFit {
        model: Model::Sbg,
        chi_square: chi_square(data, &fitted, 2),
        parameters: params,
        log_likelihood: -s.value,
        fitted,
        at_bound: s.at_bound || s.covariance.is_none(),
    };
    let (bdw_fit, lr_test) = if opts.model == Model::Bdw {
        let b = bdw::fit(&counts, &s.x).ok_or_else(|| fail("BdW"))?;
        let params = b.params(&bdw::NAMES);
        let fitted = bdw::survival(params[0].estimate, params[1].estimate, params[2].estimate, span);
        let fit = ModelFit {
            model: Model::Bdw,
            chi_square: chi_square(data, &fitted, 3),
            parameters: params,
            log_likelihood: -b.value,
            fitted,
            at_bound: b.at_bound || b.covariance.is_none(),
        };
        let test = bdw::lr_test(fit.log_likelihood, sbg_fit.log_likelihood);
        (Some(fit), Some(test))
    } else {
        (None, None)
    };
    let per_day = if opts.period == Period::Day {
        None
    } else {
        let alpha_beta = (sbg_fit.estimate("alpha"), sbg_fit.estimate("beta"));
        let d = rescale::per_day(&counts, opts.period.days(), alpha_beta, &sbg_fit.fitted);
        Some(d.ok_or_else(|| fail("per-day sBG"))?)
    };
    Ok(RetentionFit {
        period: opts.period,
        data: data.clone(),
        model: opts.model,
        sbg: sbg_fit,
        bdw: bdw_fit,
        lr_test,
        per_day,
        projection,
    })
}
