//! The user model's random streams: one set per platform (churn, activity,
//! the traits of acquired users) and one for the market's adoptions. Named
//! like every stream in gatesim, so they do not depend on the pipeline's
//! draws or on other platforms' users.

use crate::core::rng::{Stream, stream, stream_of};

/// One platform's user streams.
pub(crate) struct PlatformUserStreams {
    /// `users/<name>/churn`
    pub churn: Stream,
    /// `users/<name>/activity`
    pub activity: Stream,
    /// `users/<name>/acquisition`: traits of newly acquired users.
    pub acquisition: Stream,
}

/// All user streams of a replication.
pub(crate) struct UserStreams {
    /// Per platform, in scenario order.
    pub platforms: Vec<PlatformUserStreams>,
    /// `market/adoption`: who adopts and which platform.
    pub adoption: Stream,
}

impl UserStreams {
    /// The streams of replication `replication` for these platform names.
    pub(crate) fn new(seed: u64, replication: u64, names: &[String]) -> UserStreams {
        UserStreams {
            platforms: names
                .iter()
                .map(|n| PlatformUserStreams {
                    churn: stream_of(seed, replication, &["users/", n, "/churn"]),
                    activity: stream_of(seed, replication, &["users/", n, "/activity"]),
                    acquisition: stream_of(seed, replication, &["users/", n, "/acquisition"]),
                })
                .collect(),
            adoption: stream(seed, replication, "market/adoption"),
        }
    }
}
