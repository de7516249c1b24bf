//! A posterior read back from the `posterior.csv` a calibration writes:
//! `particle,weight[,distance],<parameter>...`, one row per particle. The
//! file is read by the core's CSV reader ([`crate::core::table`]); every
//! refusal names its line: a missing `weight` column, no parameter column,
//! a weight or value that is not a finite number (a weight below 0), fewer
//! than two particles, weights that sum to 0.

use crate::core::table::{self, InputError, NumberError, Table};
use std::path::Path;

/// The columns that are not parameters.
const BOOKKEEPING: [&str; 3] = ["particle", "weight", "distance"];

/// A posterior's particles.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct PosteriorFile {
    /// The parameters' names (key paths), in column order.
    pub(crate) names: Vec<String>,
    /// The particles' values, one row per particle.
    pub(crate) particles: Vec<Vec<f64>>,
    /// Their weights, normalised to sum to 1.
    pub(crate) weights: Vec<f64>,
    /// The line of each particle in the file.
    pub(crate) lines: Vec<usize>,
}

impl PosteriorFile {
    /// The weighted `q`-quantile of parameter `j` (as the calibration
    /// computes it).
    pub(crate) fn quantile(&self, j: usize, q: f64) -> Option<f64> {
        let xs: Vec<f64> = self.particles.iter().map(|p| p[j]).collect();
        super::population::weighted_quantile(&xs, &self.weights, q)
    }
}

/// Reads the posterior in `file`.
pub(crate) fn read_posterior(file: &Path) -> Result<PosteriorFile, InputError> {
    from_table(&table::read(file)?)
}

/// Parses a posterior from `text`, the contents of `file`.
#[cfg_attr(not(test), expect(dead_code, reason = "the module's tests read text"))]
pub(crate) fn parse_posterior(text: &str, file: &Path) -> Result<PosteriorFile, InputError> {
    from_table(&table::parse(text, file)?)
}

fn from_table(t: &Table) -> Result<PosteriorFile, InputError> {
    let at_header = |m: String| t.error(t.header_line, m);
    let weight = t.column("weight").ok_or_else(|| {
        at_header(format!(
            "no column `weight`; the columns are {}. A posterior file is the posterior.csv of gatesim calibrate: \
             particle,weight,distance and one column per parameter",
            t.columns()
        ))
    })?;
    let params: Vec<usize> = (0..t.header.len())
        .filter(|&k| !BOOKKEEPING.contains(&t.header[k].to_lowercase().as_str()))
        .collect();
    if params.is_empty() {
        return Err(at_header(
            "no parameter column: after particle, weight and distance, a posterior file has one column per parameter"
                .into(),
        ));
    }
    let mut particles = Vec::with_capacity(t.records.len());
    let mut weights = Vec::with_capacity(t.records.len());
    let mut lines = Vec::with_capacity(t.records.len());
    for r in &t.records {
        let at = |m: String| t.error(r.line, m);
        let number = |k: usize| -> Result<f64, InputError> {
            let f = &r.fields[k];
            match t.number(f) {
                Ok(v) => Ok(v),
                Err(NumberError::Missing) => Err(at(format!("`{}` is missing", t.header[k]))),
                Err(e) => Err(at(format!("`{}` is `{f}`, not a number{}", t.header[k], e.why()))),
            }
        };
        let w = number(weight)?;
        if w < 0.0 {
            return Err(at(format!("the weight {w} is negative")));
        }
        particles.push(params.iter().map(|&k| number(k)).collect::<Result<Vec<f64>, _>>()?);
        weights.push(w);
        lines.push(r.line);
    }
    if particles.len() < 2 {
        return Err(t.error(
            t.last_line,
            format!(
                "{} particle: a posterior needs at least 2",
                if particles.is_empty() { "no" } else { "only one" }
            ),
        ));
    }
    let total: f64 = weights.iter().sum();
    if !(total > 0.0 && total.is_finite()) {
        return Err(t.error(t.last_line, "the weights sum to 0: no particle has any weight"));
    }
    Ok(PosteriorFile {
        names: params.iter().map(|&k| t.header[k].clone()).collect(),
        particles,
        weights: weights.iter().map(|w| w / total).collect(),
        lines,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Result<PosteriorFile, InputError> {
        parse_posterior(text, Path::new("posterior.csv"))
    }

    #[test]
    fn a_calibrations_posterior_reads_back_with_normalised_weights() {
        let f = p("particle,weight,distance,users.a,users.b\n0,0.25,,1,10\n1,0.75,0.5,3,30\n").unwrap();
        assert_eq!(f.names, ["users.a", "users.b"]);
        assert_eq!(f.particles, [[1.0, 10.0], [3.0, 30.0]]);
        assert_eq!(f.weights, [0.25, 0.75]);
        assert_eq!(f.lines, [2, 3]);
        let f = p("weight,x\n2,1\n2,2\n").unwrap();
        assert_eq!(f.weights, [0.5, 0.5]);
        assert_eq!(f.quantile(0, 0.5), Some(1.5));
    }

    #[test]
    fn bad_posteriors_are_refused_with_their_line() {
        let cases: [(&str, usize, &str); 7] = [
            ("particle,x\n0,1\n", 1, "no column `weight`"),
            ("particle,weight,distance\n0,1,\n", 1, "no parameter column"),
            ("weight,x\n1,1\n-1,2\n", 3, "negative"),
            ("weight,x\n1,1\n1,inf\n", 3, "not a number"),
            ("weight,x\n1,1\n1,\n", 3, "`x` is missing"),
            ("weight,x\n1,1\n", 2, "only one particle"),
            ("weight,x\n0,1\n0,2\n", 3, "sum to 0"),
        ];
        for (text, line, fragment) in cases {
            let e = p(text).unwrap_err();
            assert_eq!(e.line, Some(line), "{text}: {e}");
            assert!(e.message.contains(fragment), "{text}: {e}");
        }
    }
}
