//! Simulated time: instants ([`SimTime`]) and spans ([`SimDuration`]) as whole
//! ticks of one millisecond.
//!
//! Integer ticks make the event order exact and identical on every machine
//! (no floating-point comparison decides which event fires first), and one
//! millisecond is fine enough for reviews of a few hours and holds of many
//! months alike: `u64` milliseconds span half a billion years. Conversions from
//! floating-point hours or days round to the nearest tick and saturate, so a
//! sampled duration can never wrap around. This module knows nothing of
//! events or of the domain.

use std::fmt;

/// Ticks in one second of simulated time (one tick is one millisecond).
pub(crate) const TICKS_PER_SECOND: u64 = 1_000;
/// Ticks in one hour of simulated time.
pub(crate) const TICKS_PER_HOUR: u64 = 3_600 * TICKS_PER_SECOND;
/// Ticks in one day of simulated time.
pub(crate) const TICKS_PER_DAY: u64 = 24 * TICKS_PER_HOUR;

/// An instant of simulated time, in milliseconds since the start of the run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SimTime(u64);

/// A non-negative span of simulated time, in milliseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SimDuration(u64);

/// Converts an amount of units of `ticks_per_unit` ticks to whole ticks,
/// rounding halves up and saturating (NaN and negatives give zero).
fn ticks_from(amount: f64, ticks_per_unit: u64) -> u64 {
    let t = amount * ticks_per_unit as f64;
    // Adding one half and truncating rounds a non-negative number to nearest
    // without a call to `round` (which the baseline x86-64 target lacks as an
    // instruction); `as` saturates at u64::MAX. NaN fails `t > 0.0`.
    if t > 0.0 { (t + 0.5) as u64 } else { 0 }
}

impl SimTime {
    /// The start of every run.
    pub const ZERO: SimTime = SimTime(0);
    /// The latest representable instant; used as "never".
    pub const MAX: SimTime = SimTime(u64::MAX);

    /// The instant `ticks` milliseconds after the start.
    pub const fn from_ticks(ticks: u64) -> SimTime {
        SimTime(ticks)
    }

    /// Milliseconds since the start.
    pub const fn ticks(self) -> u64 {
        self.0
    }

    /// The instant at the start of day `day` (day 0 starts the run).
    pub const fn from_days(day: u64) -> SimTime {
        SimTime(day.saturating_mul(TICKS_PER_DAY))
    }

    /// The instant `days` (fractional) days after the start, rounded to a tick.
    pub fn from_days_f64(days: f64) -> SimTime {
        SimTime(ticks_from(days, TICKS_PER_DAY))
    }

    /// Days since the start, as a fraction.
    pub fn as_days(self) -> f64 {
        self.0 as f64 / TICKS_PER_DAY as f64
    }

    /// Hours since the start, as a fraction.
    pub fn as_hours(self) -> f64 {
        self.0 as f64 / TICKS_PER_HOUR as f64
    }

    /// The whole day this instant falls in (day 0 is the first).
    pub const fn day(self) -> u64 {
        self.0 / TICKS_PER_DAY
    }

    /// `self + d`, or `None` past [`SimTime::MAX`].
    pub fn checked_add(self, d: SimDuration) -> Option<SimTime> {
        self.0.checked_add(d.0).map(SimTime)
    }

    /// `self + d`, saturating at [`SimTime::MAX`].
    pub fn saturating_add(self, d: SimDuration) -> SimTime {
        SimTime(self.0.saturating_add(d.0))
    }

    /// The span from `earlier` to `self`; zero if `earlier` is later.
    pub fn since(self, earlier: SimTime) -> SimDuration {
        SimDuration(self.0.saturating_sub(earlier.0))
    }
}

impl SimDuration {
    /// No time at all.
    pub const ZERO: SimDuration = SimDuration(0);

    /// A span of `ticks` milliseconds.
    pub const fn from_ticks(ticks: u64) -> SimDuration {
        SimDuration(ticks)
    }

    /// The span in milliseconds.
    pub const fn ticks(self) -> u64 {
        self.0
    }

    /// A span of `hours` (fractional), rounded to a tick and saturating.
    pub fn from_hours(hours: f64) -> SimDuration {
        SimDuration(ticks_from(hours, TICKS_PER_HOUR))
    }

    /// A span of `days` (fractional), rounded to a tick and saturating.
    pub fn from_days(days: f64) -> SimDuration {
        SimDuration(ticks_from(days, TICKS_PER_DAY))
    }

    /// The span in hours, as a fraction.
    pub fn as_hours(self) -> f64 {
        self.0 as f64 / TICKS_PER_HOUR as f64
    }

    /// The span in days, as a fraction.
    pub fn as_days(self) -> f64 {
        self.0 as f64 / TICKS_PER_DAY as f64
    }
}

impl fmt::Display for SimTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "day {:.4}", self.as_days())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions_round_to_the_nearest_millisecond() {
        assert_eq!(SimDuration::from_hours(1.0).ticks(), 3_600_000);
        assert_eq!(SimDuration::from_days(0.5).ticks(), 43_200_000);
        assert_eq!(SimDuration::from_hours(1.0 / 3_600_000.0 * 0.4).ticks(), 0);
        assert_eq!(SimDuration::from_hours(1.0 / 3_600_000.0 * 0.6).ticks(), 1);
    }

    #[test]
    fn conversions_saturate_instead_of_wrapping() {
        assert_eq!(SimDuration::from_days(f64::INFINITY).ticks(), u64::MAX);
        assert_eq!(SimDuration::from_days(-3.0).ticks(), 0);
        assert_eq!(SimDuration::from_days(f64::NAN).ticks(), 0);
        assert_eq!(SimTime::MAX.saturating_add(SimDuration::from_days(1.0)), SimTime::MAX);
        assert_eq!(SimTime::MAX.checked_add(SimDuration::from_ticks(1)), None);
    }

    #[test]
    fn day_of_an_instant_is_the_floor_of_its_days() {
        assert_eq!(SimTime::from_days_f64(6.999).day(), 6);
        assert_eq!(SimTime::from_days(7).day(), 7);
        assert_eq!(SimTime::from_days(7).since(SimTime::from_days(9)), SimDuration::ZERO);
    }
}
