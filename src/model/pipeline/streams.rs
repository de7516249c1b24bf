//! The random streams of one platform's part of the pipeline. Each has its
//! own name, so each sequence depends only on the seed, the replication and
//! that name: the gatekeeper's hold, review and decision draws for a platform
//! come from that platform's own streams, in the order of its own
//! submissions, whatever the other platforms do.

use crate::core::rng::{Stream, stream_of};

/// Named streams of one platform.
pub(crate) struct PlatformStreams {
    /// `platform/<name>/development`: first build, cadence, appeal, fix times.
    pub development: Stream,
    /// `platform/<name>/defects`: defects found per day.
    pub defects: Stream,
    /// `platform/<name>/release`: release delays.
    pub release: Stream,
    /// `gatekeeper/<name>/hold`: holds before review.
    pub hold: Stream,
    /// `gatekeeper/<name>/review`: review durations.
    pub review: Stream,
    /// `gatekeeper/<name>/decision`: approve or reject.
    pub decision: Stream,
}

impl PlatformStreams {
    /// The streams of platform `name` in replication `replication`.
    pub(crate) fn new(seed: u64, replication: u64, name: &str) -> PlatformStreams {
        let s = |scope: &str, what: &str| stream_of(seed, replication, &[scope, name, what]);
        PlatformStreams {
            development: s("platform/", "/development"),
            defects: s("platform/", "/defects"),
            release: s("platform/", "/release"),
            hold: s("gatekeeper/", "/hold"),
            review: s("gatekeeper/", "/review"),
            decision: s("gatekeeper/", "/decision"),
        }
    }
}

/// The key of the draws of population `name`'s members in replication
/// `replication` (the stream key of `population/<name>`): member i draws
/// from [`crate::core::keyed::entity_key`] of it and i.
pub(crate) fn population_key(seed: u64, replication: u64, name: &str) -> u64 {
    crate::core::rng::stream_key_of(seed, replication, &["population/", name])
}
