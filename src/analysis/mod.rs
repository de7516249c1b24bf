//! Model-free estimators, beside the core: they know no scenario and no
//! simulation. Sensitivity designs and their estimators on any model with
//! uncertain parameters ([`sensitivity`]), maximum-likelihood fits of
//! the retention and duration models to the user's own data ([`fit`]),
//! and survival statistics of review logs (Kaplan-Meier, log-rank, Cox,
//! proportions; [`survival`]).

pub(crate) mod fit;
pub(crate) mod sensitivity;
pub(crate) mod survival;
