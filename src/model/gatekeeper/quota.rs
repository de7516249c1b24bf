//! The host's rationing, counted per platform: withdrawals per calendar day
//! and per 30-day block from day 0 (not rolling windows), and expedited
//! reviews per 365-day year of the run.

use super::WithdrawalCaps;

/// A count within one period (a day, a 30-day block, a year), reset when
/// the period changes.
/// Periods are numbered in 32 bits (a century is 36,525 days), so that a
/// member of a population keeps its three counts in 24 bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct PeriodCount {
    period: u32,
    count: u32,
}

impl PeriodCount {
    const NONE: PeriodCount = PeriodCount {
        period: u32::MAX,
        count: 0,
    };

    fn in_period(self, period: u64) -> u32 {
        if u64::from(self.period) == period {
            self.count
        } else {
            0
        }
    }

    fn add(&mut self, period: u64) {
        let period = u32::try_from(period).unwrap_or(u32::MAX - 1);
        *self = PeriodCount {
            period,
            count: self.in_period(u64::from(period)).saturating_add(1),
        };
    }
}

/// Length of the withdrawal caps' month (days).
const MONTH_DAYS: u64 = 30;
/// Length of the expedite quota's year (days).
const YEAR_DAYS: u64 = 365;

/// One platform's withdrawals and expedited reviews so far.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Quotas {
    day: PeriodCount,
    month: PeriodCount,
    year: PeriodCount,
}

impl Default for Quotas {
    fn default() -> Quotas {
        Quotas {
            day: PeriodCount::NONE,
            month: PeriodCount::NONE,
            year: PeriodCount::NONE,
        }
    }
}

impl Quotas {
    /// Whether `caps` allow another withdrawal on whole day `day`.
    pub(crate) fn withdrawal_allowed(&self, caps: WithdrawalCaps, day: u64) -> bool {
        caps.per_day.is_none_or(|c| self.day.in_period(day) < c)
            && caps
                .per_month
                .is_none_or(|c| self.month.in_period(day / MONTH_DAYS) < c)
    }

    /// Counts a withdrawal on whole day `day`.
    pub(crate) fn withdrew(&mut self, day: u64) {
        self.day.add(day);
        self.month.add(day / MONTH_DAYS);
    }

    /// Uses an expedited review on whole day `day` if fewer than `per_year`
    /// were used this year; returns whether it did.
    pub(crate) fn take_expedite(&mut self, per_year: u32, day: u64) -> bool {
        let year = day / YEAR_DAYS;
        if self.year.in_period(year) >= per_year {
            return false;
        }
        self.year.add(year);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_daily_cap_resets_with_the_calendar_day() {
        let caps = WithdrawalCaps {
            per_day: Some(1),
            per_month: None,
        };
        let mut q = Quotas::default();
        assert!(q.withdrawal_allowed(caps, 0));
        q.withdrew(0);
        assert!(!q.withdrawal_allowed(caps, 0));
        assert!(q.withdrawal_allowed(caps, 1));
    }

    #[test]
    fn the_monthly_cap_counts_thirty_day_blocks_from_day_zero() {
        let caps = WithdrawalCaps {
            per_day: None,
            per_month: Some(2),
        };
        let mut q = Quotas::default();
        q.withdrew(28);
        q.withdrew(29);
        assert!(!q.withdrawal_allowed(caps, 29));
        // Day 30 starts a new block, although days 28 and 29 are a day ago.
        assert!(q.withdrawal_allowed(caps, 30));
    }

    #[test]
    fn the_expedite_quota_counts_per_year_of_the_run() {
        let mut q = Quotas::default();
        assert!(q.take_expedite(2, 10));
        assert!(q.take_expedite(2, 300));
        assert!(!q.take_expedite(2, 364));
        assert!(q.take_expedite(2, 365));
    }
}
