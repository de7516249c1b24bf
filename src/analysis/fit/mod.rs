//! Fitting gatesim's models to the user's own data by maximum likelihood:
//! the shifted-beta-geometric retention model (and the beta-discrete-Weibull
//! that extends it) to cohort counts, and duration distributions
//! (exponential, gamma, log-normal, Weibull) to review logs, with standard
//! errors from the observed information.
//!
//! Layers: [`retention_data`] and [`duration_data`] (the two file formats
//! and their checks, on the core's CSV reader, [`crate::core::table`]);
//! [`special`] (digamma, incomplete gamma, normal tails) and [`optimise`]
//! (multi-start Nelder-Mead on log parameters, Newton polish, covariance
//! from the Hessian); the models [`sbg`], [`bdw`] with the generic
//! [`boundary`] likelihood, [`rescale`] (per-period to per-day) and
//! [`durations`]; and the results, [`retention`]. Depends only on the
//! core ([`crate::core::theory`], [`crate::core::table`]); every logarithm
//! and exponential is `libm`'s, so the estimates are the same on every
//! machine.

pub(crate) mod bdw;
pub(crate) mod boundary;
pub(crate) mod duration_data;
pub(crate) mod durations;
pub(crate) mod optimise;
pub(crate) mod rescale;
pub(crate) mod retention;
pub(crate) mod retention_data;
pub(crate) mod sbg;
pub(crate) mod special;

pub(crate) use duration_data::read_durations;
pub(crate) use durations::{DurationsFit, Family, FamilyFit, Unit, fit_durations};
pub(crate) use retention::{Model, ModelFit, RetentionFit, fit_retention};
pub(crate) use retention_data::{RetentionColumns, read_retention_with};

use serde::Serialize;

pub use crate::core::table::InputError;

/// One estimated parameter with its standard error (`None` when the
/// estimate sits on the edge of the search box, where the curvature says
/// nothing).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Param {
    /// Name, as in a scenario where it has one (`alpha`, `median`, ...).
    pub name: &'static str,
    /// Maximum-likelihood estimate.
    pub estimate: f64,
    /// Standard error from the observed information.
    pub se: Option<f64>,
}

/// What one period of a retention table is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Period {
    /// One day: gatesim's own step.
    Day,
    /// Seven days.
    Week,
    /// Thirty days (as gatesim's `_per_month` keys).
    Month,
    /// 365 days (as gatesim's `_per_year` keys).
    Year,
}

impl Period {
    /// Days in one period.
    pub fn days(self) -> u32 {
        match self {
            Period::Day => 1,
            Period::Week => 7,
            Period::Month => 30,
            Period::Year => 365,
        }
    }

    /// Its name: "day", "week", "month", "year".
    pub fn name(self) -> &'static str {
        match self {
            Period::Day => "day",
            Period::Week => "week",
            Period::Month => "month",
            Period::Year => "year",
        }
    }
}
