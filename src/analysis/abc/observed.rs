//! The observed data a calibration fits: named series of numbers (weekly
//! active users on one platform, say), each point optionally with its own
//! standard error, and each series with a weight in the distance. The
//! evaluator returns, for each parameter vector, the model's values at the
//! same points: all series one after the other, in this order.

use super::error::AbcError;

/// One observed series.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Series {
    /// Name, for outputs (unique among the series).
    name: String,
    /// The observed values, finite.
    values: Vec<f64>,
    /// Each value's standard error, when it has one (finite, above 0).
    standard_errors: Vec<Option<f64>>,
    /// The series' weight in the distance (finite, at least 0; default 1).
    weight: f64,
}

impl Series {
    /// Series `name` of `values`, without standard errors, of weight 1.
    pub(crate) fn new(name: impl Into<String>, values: Vec<f64>) -> Series {
        let n = values.len();
        Series {
            name: name.into(),
            values,
            standard_errors: vec![None; n],
            weight: 1.0,
        }
    }

    /// The same series with each value's standard error (`None` where a
    /// value has none); one per value.
    pub(crate) fn with_standard_errors(mut self, standard_errors: Vec<Option<f64>>) -> Series {
        self.standard_errors = standard_errors;
        self
    }

    /// The same series with weight `weight` in the distance (each of its
    /// scaled residuals is multiplied by it; 0 leaves the series out).
    #[cfg_attr(
        not(test),
        expect(
            dead_code,
            reason = "the calibration command weighs every series alike; the tests weigh them"
        )
    )]
    pub(crate) fn with_weight(mut self, weight: f64) -> Series {
        self.weight = weight;
        self
    }

    /// Name.
    #[cfg_attr(not(test), expect(dead_code, reason = "used by the module's tests"))]
    pub(crate) fn name(&self) -> &str {
        &self.name
    }

    #[cfg_attr(not(test), expect(dead_code, reason = "used by the module's tests"))]
    /// The observed values.
    pub(crate) fn values(&self) -> &[f64] {
        &self.values
    }

    /// Each value's standard error, if any.
    pub(crate) fn standard_errors(&self) -> &[Option<f64>] {
        &self.standard_errors
    }

    /// Weight in the distance.
    pub(crate) fn weight(&self) -> f64 {
        self.weight
    }
}

/// All observed series, checked, in the order the evaluator's summaries
/// follow.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Observed {
    /// The series.
    series: Vec<Series>,
    /// All values, series after series.
    values: Vec<f64>,
    /// Where each series starts in `values`, and the total at the end.
    offsets: Vec<usize>,
}

impl Observed {
    /// The observed `series`: at least one, each named (uniquely) and
    /// non-empty, values finite, one standard error slot per value (each
    /// finite and above 0 when given), weights finite and at least 0 and
    /// not all 0.
    pub(crate) fn new(series: Vec<Series>) -> Result<Observed, AbcError> {
        let bad = |m: String| Err(AbcError::Observed(m));
        if series.is_empty() {
            return bad("no series to fit".into());
        }
        for (i, s) in series.iter().enumerate() {
            let name = &s.name;
            if name.trim().is_empty() {
                return bad(format!("series {} has no name", i + 1));
            }
            if series[..i].iter().any(|t| &t.name == name) {
                return bad(format!("series `{name}` is given twice"));
            }
            if s.values.is_empty() {
                return bad(format!("series `{name}` has no values"));
            }
            if let Some((k, v)) = s.values.iter().enumerate().find(|(_, v)| !v.is_finite()) {
                return bad(format!("series `{name}`: value {} is {v}, not a finite number", k + 1));
            }
            if s.standard_errors.len() != s.values.len() {
                return bad(format!(
                    "series `{name}` has {} values but {} standard error slots",
                    s.values.len(),
                    s.standard_errors.len()
                ));
            }
            let bad_se = s
                .standard_errors
                .iter()
                .enumerate()
                .find_map(|(k, se)| se.filter(|e| !(e.is_finite() && *e > 0.0)).map(|e| (k, e)));
            if let Some((k, e)) = bad_se {
                return bad(format!(
                    "series `{name}`: the standard error of value {} is {e}; it must be a finite number above 0",
                    k + 1
                ));
            }
            if !(s.weight.is_finite() && s.weight >= 0.0) {
                return bad(format!(
                    "series `{name}`: weight {} must be a finite number, at least 0",
                    s.weight
                ));
            }
        }
        if series.iter().all(|s| s.weight == 0.0) {
            return bad("every series has weight 0".into());
        }
        let mut offsets = vec![0];
        let mut values = Vec::new();
        for s in &series {
            values.extend_from_slice(&s.values);
            offsets.push(values.len());
        }
        Ok(Observed {
            series,
            values,
            offsets,
        })
    }

    /// The series, in order.
    pub(crate) fn series(&self) -> &[Series] {
        &self.series
    }

    /// All observed values, series after series: what each simulated
    /// summary vector is compared with, point by point.
    pub(crate) fn values(&self) -> &[f64] {
        &self.values
    }

    /// The number of observed points (the length of every summary vector).
    pub(crate) fn points(&self) -> usize {
        self.values.len()
    }

    /// The positions of series `s`'s points in a summary vector.
    pub(crate) fn range(&self, s: usize) -> std::ops::Range<usize> {
        self.offsets[s]..self.offsets[s + 1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn series_are_laid_end_to_end_in_order() {
        let o = Observed::new(vec![
            Series::new("wau", vec![1.0, 2.0, 3.0]),
            Series::new("share", vec![0.5]).with_standard_errors(vec![Some(0.1)]),
        ])
        .unwrap();
        assert_eq!(o.points(), 4);
        assert_eq!(o.values(), &[1.0, 2.0, 3.0, 0.5]);
        assert_eq!((o.range(0), o.range(1)), (0..3, 3..4));
        assert_eq!(o.series()[1].standard_errors(), &[Some(0.1)]);
        assert_eq!(o.series()[0].weight(), 1.0);
    }

    #[test]
    fn invalid_series_are_refused_with_a_reason() {
        let reason = |s: Vec<Series>| match Observed::new(s) {
            Err(AbcError::Observed(m)) => m,
            other => panic!("expected an error, got {other:?}"),
        };
        assert!(reason(vec![]).contains("no series"));
        assert!(reason(vec![Series::new(" ", vec![1.0])]).contains("no name"));
        assert!(reason(vec![Series::new("a", vec![1.0]), Series::new("a", vec![2.0])]).contains("twice"));
        assert!(reason(vec![Series::new("a", vec![])]).contains("no values"));
        assert!(reason(vec![Series::new("a", vec![1.0, f64::NAN])]).contains("value 2 is NaN"));
        let short = Series::new("a", vec![1.0, 2.0]).with_standard_errors(vec![None]);
        assert!(reason(vec![short]).contains("2 values but 1"));
        let zero = Series::new("a", vec![1.0]).with_standard_errors(vec![Some(0.0)]);
        assert!(reason(vec![zero]).contains("above 0"));
        assert!(reason(vec![Series::new("a", vec![1.0]).with_weight(-1.0)]).contains("weight"));
        assert!(reason(vec![Series::new("a", vec![1.0]).with_weight(0.0)]).contains("weight 0"));
    }
}
