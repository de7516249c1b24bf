//! Model-free estimators, beside the core: they know no scenario and no
//! simulation. Sensitivity designs and their estimators on any model with
//! uncertain parameters ([`sensitivity`]), maximum-likelihood fits of
//! the retention and duration models to the user's own data ([`fit`]),
//! survival statistics of review logs (Kaplan-Meier, log-rank, Cox,
//! proportions; [`survival`]), and the calibration of uncertain parameters
//! to observed aggregate series by approximate Bayesian computation
//! ([`abc`]), and review logs read into evidence of unequal treatment and
//! into review classes ([`reviews`], on [`survival`]).

pub(crate) mod abc;
pub(crate) mod fit;
pub(crate) mod reviews;
pub(crate) mod sensitivity;
pub(crate) mod survival;
