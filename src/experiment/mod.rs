//! Experiments on scenarios built from the core's designs: a sensitivity
//! analysis runs a scenario at every point of a design over its uncertain
//! assumptions ([`sensitivity`]), reading the headline metrics it is asked
//! for ([`probe`]). Built on [`crate::montecarlo`]'s replications and
//! [`crate::sensitivity`]'s estimators; knows nothing of files.

pub(crate) mod probe;
pub(crate) mod sensitivity;
