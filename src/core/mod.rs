//! The core: what every layer above builds on and nothing here knows of
//! the review pipeline. Simulated time ([`time`]), the named random
//! streams ([`rng`]) and the keyed draws of very many entities
//! ([`keyed`]), the portable samplers ([`sample`]) and the duration
//! distributions built on them ([`dist`]), statistics across replications
//! ([`stats`]), closed forms the simulation is checked against
//! ([`theory`]), numbers written for people ([`numbers`]), the catalogue
//! of metrics every output names ([`metric`]), the one reader of the
//! CSV files users give ([`table`]), calendar dates ([`calendar`]), the
//! currencies of money metrics ([`money`]) and a memory prefetch hint
//! ([`prefetch`]).

pub(crate) mod calendar;
pub(crate) mod dist;
pub(crate) mod event;
pub(crate) mod keyed;
pub(crate) mod metric;
pub(crate) mod money;
pub(crate) mod numbers;
pub(crate) mod prefetch;
pub(crate) mod rng;
pub(crate) mod sample;
pub(crate) mod stats;
pub(crate) mod table;
pub(crate) mod theory;
pub(crate) mod time;
