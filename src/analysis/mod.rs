//! Model-free estimators, beside the core: they know no scenario and no
//! simulation. Sensitivity designs and their estimators on any model with
//! uncertain parameters ([`sensitivity`]), and maximum-likelihood fits of
//! the retention and duration models to the user's own data ([`fit`]).

pub(crate) mod fit;
pub(crate) mod sensitivity;
