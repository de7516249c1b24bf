//! One-at-a-time (tornado) analysis: the base point, then each parameter at
//! the low and at the high end of its plausible range with the others at
//! the base. Every point runs the same replications (common random
//! numbers), so the effect of a parameter is a paired difference,
//! replication by replication, from the base; its 95% interval is Student
//! t over the replications' differences, with their skewness checked as
//! a run's headlines are. Per parameter and output: `low`
//! (low minus base), `high` (high minus base) and `swing` (high minus low);
//! per output, `base` (the output at the base).

use super::design::{Design, Layout, Method};
use super::error::SensitivityError;
use super::evaluations::Evaluations;
use super::result::{Index, Record};
use super::space::ParameterSpace;
use crate::core::stats::Summary;

/// Builds the tornado's points around `base` (one value per parameter, in
/// parameter units, typically the scenario's own values).
pub fn tornado_design(space: &ParameterSpace, base: &[f64], seed: u64) -> Result<Design, SensitivityError> {
    let p = space.len();
    if base.len() != p {
        return Err(SensitivityError::Design(format!(
            "the tornado's base has {} values for {p} parameters",
            base.len()
        )));
    }
    for (par, &b) in space.parameters().iter().zip(base) {
        if !b.is_finite() {
            return Err(SensitivityError::Parameter {
                name: par.name.clone(),
                message: format!("the base value must be a finite number, got {b}"),
            });
        }
    }
    let mut points = vec![base.to_vec()];
    for (i, par) in space.parameters().iter().enumerate() {
        let (low, high) = par.distribution.range();
        for v in [low, high] {
            let mut x = base.to_vec();
            x[i] = v;
            points.push(x);
        }
    }
    Ok(Design {
        method: Method::Tornado,
        seed,
        parameters: space.summaries(Some(base)),
        points,
        layout: Layout::Tornado,
    })
}

/// The mean and 95% interval of `xs`.
fn mean_ci(xs: &[f64]) -> (Option<f64>, Option<(f64, f64)>) {
    let s = Summary::of(xs);
    (s.mean, s.ci_low.zip(s.ci_high))
}

/// Paired differences `a - b`, replication by replication.
fn minus(a: &[f64], b: &[f64]) -> Vec<f64> {
    a.iter().zip(b).map(|(x, y)| x - y).collect()
}

/// The base, low, high and swing records of every output.
pub(crate) fn analyse(design: &Design, ev: &Evaluations) -> Vec<Record> {
    let mut records = Vec::new();
    for (o, output) in ev.outputs().iter().enumerate() {
        let base = ev.values(0, o);
        let (m, ci) = mean_ci(base);
        records.push(Record::new(None, output, Index::Base, m, ci).checked(base));
        for (i, par) in design.parameters.iter().enumerate() {
            let (low, high) = (ev.values(1 + 2 * i, o), ev.values(2 + 2 * i, o));
            let name = Some(par.name.as_str());
            for (index, d) in [
                (Index::Low, minus(low, base)),
                (Index::High, minus(high, base)),
                (Index::Swing, minus(high, low)),
            ] {
                let (m, ci) = mean_ci(&d);
                records.push(Record::new(name, output, index, m, ci).checked(&d));
            }
        }
    }
    records
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::sensitivity::{Distribution, Parameter};

    #[test]
    fn each_parameter_goes_to_its_ends_with_the_others_at_the_base() {
        let space = ParameterSpace::new(vec![
            Parameter::new("a", Distribution::uniform(1.0, 3.0).unwrap()),
            Parameter::new("b", Distribution::normal(0.0, 1.0).unwrap()),
        ])
        .unwrap();
        let d = tornado_design(&space, &[2.0, 0.5], 0).unwrap();
        let pts = d.points();
        assert_eq!(pts[0], [2.0, 0.5]);
        assert_eq!(pts[1], [1.0, 0.5]);
        assert_eq!(pts[2], [3.0, 0.5]);
        // An unbounded parameter spans its central 95%.
        assert!((pts[3][1] + 1.959_964).abs() < 1e-5 && pts[3][0] == 2.0);
        assert!((pts[4][1] - 1.959_964).abs() < 1e-5);
        assert_eq!(d.role(3).role, "low:b");
        assert_eq!(d.parameters()[1].base, Some(0.5));
        assert!(tornado_design(&space, &[1.0], 0).is_err());
        assert!(tornado_design(&space, &[1.0, f64::NAN], 0).is_err());
    }
}
