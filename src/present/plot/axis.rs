//! An axis: its title (with unit), the range it spans, linear or
//! logarithmic scale, and its ticks with their labels (optionally coloured,
//! e.g. platform names on a categorical axis). Built from data with "nice"
//! steps, or given explicitly.

use super::ticks::{self, NumberFormat};
use crate::core::calendar::Date;
use plotters::style::RGBColor;

/// Linear or base-10 logarithmic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scale {
    /// Linear.
    Linear,
    /// Logarithmic (positive values only).
    Log,
}

/// One tick: position (data units), label, and an optional label colour.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Tick {
    /// Position in data units.
    pub value: f64,
    /// Label.
    pub label: String,
    /// Colour of the label (default: ink).
    pub colour: Option<RGBColor>,
}

/// An axis.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Axis {
    /// Title, with the unit: "Active users", "Day".
    pub title: String,
    /// Lower end (data units).
    pub lo: f64,
    /// Upper end (data units).
    pub hi: f64,
    /// Scale.
    pub scale: Scale,
    /// Ticks (inside `lo..=hi`).
    pub ticks: Vec<Tick>,
    /// Whether to draw grid lines at the ticks.
    pub grid: bool,
}

fn to_ticks(t: Vec<(f64, String)>) -> Vec<Tick> {
    t.into_iter()
        .map(|(value, label)| Tick {
            value,
            label,
            colour: None,
        })
        .collect()
}

impl Axis {
    /// An axis over exactly `lo..hi` with nice ticks inside it.
    pub(crate) fn fixed(title: &str, lo: f64, hi: f64, format: NumberFormat, target: usize) -> Axis {
        let hi = if hi > lo { hi } else { lo + 1.0 };
        Axis {
            title: title.into(),
            lo,
            hi,
            scale: Scale::Linear,
            ticks: to_ticks(ticks::ticks_within(lo, hi, target, format)),
            grid: true,
        }
    }

    /// Days `lo..hi` of a run: ticked by day number ("Day"), or by date
    /// ("Date") when the run starts on a calendar date.
    pub(crate) fn days(lo: f64, hi: f64, target: usize, start: Option<Date>) -> Axis {
        match start {
            None => Axis::fixed("Day", lo, hi, NumberFormat::Days, target),
            Some(start) => {
                let hi = if hi > lo { hi } else { lo + 1.0 };
                Axis {
                    title: "Date".into(),
                    lo,
                    hi,
                    scale: Scale::Linear,
                    ticks: to_ticks(ticks::date_ticks(lo, hi, start, target)),
                    grid: true,
                }
            }
        }
    }

    /// An axis rounded out to nice ticks around `lo..hi` (data extent).
    pub(crate) fn rounded(title: &str, lo: f64, hi: f64, format: NumberFormat, target: usize) -> Axis {
        let t = ticks::linear_ticks(lo, hi, target, format);
        let (a, b) = match (t.first(), t.last()) {
            (Some(a), Some(b)) if b.0 > a.0 => (a.0, b.0),
            _ => (lo, lo + 1.0),
        };
        Axis {
            title: title.into(),
            lo: a,
            hi: b,
            scale: Scale::Linear,
            ticks: to_ticks(t),
            grid: true,
        }
    }

    /// A logarithmic time axis over `lo..hi` hours, ticks in hours, days, months.
    pub(crate) fn log_hours(title: &str, lo: f64, hi: f64) -> Axis {
        Axis {
            title: title.into(),
            lo,
            hi,
            scale: Scale::Log,
            ticks: to_ticks(ticks::log_time_ticks(lo, hi)),
            grid: true,
        }
    }

    /// A categorical axis: category `i` sits at `i` (the range is
    /// `-0.5..n-0.5`), labelled with its name in its colour.
    pub(crate) fn categories(title: &str, names: &[(String, Option<RGBColor>)]) -> Axis {
        Axis {
            title: title.into(),
            lo: -0.5,
            hi: names.len() as f64 - 0.5,
            scale: Scale::Linear,
            ticks: names
                .iter()
                .enumerate()
                .map(|(i, (label, colour))| Tick {
                    value: i as f64,
                    label: label.clone(),
                    colour: *colour,
                })
                .collect(),
            grid: false,
        }
    }

    /// A value axis over `lo..hi` with zero always inside, padded by
    /// `pad.0` of the span below and `pad.1` above, negative labels written
    /// with a true minus (differences, which may go either way).
    pub(crate) fn around_zero(title: &str, lo: f64, hi: f64, pad: (f64, f64), target: usize) -> Axis {
        let (lo, hi) = (lo.min(0.0), hi.max(0.0));
        let span = if hi > lo { hi - lo } else { 1.0 };
        let mut a = Axis::fixed(title, lo - pad.0 * span, hi + pad.1 * span, NumberFormat::Human, target);
        for t in &mut a.ticks {
            t.label = ticks::true_minus(&t.label);
        }
        a
    }

    /// Extends the upper end by `share` of the span (headroom for notes),
    /// keeping the ticks.
    pub(crate) fn with_headroom(mut self, share: f64) -> Axis {
        if self.scale == Scale::Linear {
            self.hi += (self.hi - self.lo) * share;
        }
        self
    }

    /// Where `v` falls along the axis, from 0 (lo) to 1 (hi); values
    /// outside the range fall outside 0..1.
    pub(crate) fn fraction(&self, v: f64) -> f64 {
        match self.scale {
            Scale::Linear => (v - self.lo) / (self.hi - self.lo),
            Scale::Log => {
                let (l, h) = (
                    self.lo.max(f64::MIN_POSITIVE).log10(),
                    self.hi.max(f64::MIN_POSITIVE).log10(),
                );
                (v.max(f64::MIN_POSITIVE).log10() - l) / (h - l)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounded_axes_end_on_ticks_and_log_axes_map_decades_evenly() {
        let a = Axis::rounded("Active users", 0.0, 2_040_000.0, NumberFormat::Human, 6);
        assert_eq!((a.lo, a.hi), (0.0, 2_500_000.0));
        let l = Axis::log_hours("Time", 0.1, 1000.0);
        assert!((l.fraction(1.0) - 0.25).abs() < 1e-12);
        assert!((l.fraction(10.0) - 0.5).abs() < 1e-12);
        let c = Axis::categories("", &[("a".into(), None), ("b".into(), None)]);
        assert_eq!((c.lo, c.hi), (-0.5, 1.5));
    }
}
