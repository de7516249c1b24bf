//! A design: the points (in parameter units) at which the model must be
//! evaluated, in a fixed order, with the structure the method's estimators
//! need to read the outputs back (which rows are Saltelli's A, B and AB_i,
//! which Morris steps move which parameter, ...). Built by the methods'
//! constructors ([`super::sobol_design`], [`super::morris_design`],
//! [`super::tornado_design`], [`super::uncertainty_design`]); the caller
//! only reads the points and hands back one set of outputs per point.

use super::space::ParameterSummary;
use serde::Serialize;

/// A method of analysis.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// One at a time: each parameter at its low and high value, the others
    /// at the base.
    Tornado,
    /// Elementary effects along random trajectories (screening).
    Morris,
    /// Variance-based first-order and total indices.
    Sobol,
    /// The distribution of the outputs over the parameters' distributions.
    Uncertainty,
}

impl Method {
    /// Every method, in the order `--method` lists them.
    pub const ALL: [Method; 4] = [Method::Sobol, Method::Morris, Method::Tornado, Method::Uncertainty];

    /// The method named `name` (as [`Method::name`] writes it).
    pub fn named(name: &str) -> Option<Method> {
        Method::ALL.into_iter().find(|m| m.name() == name)
    }

    /// The method's name in outputs: `tornado`, `morris`, `sobol`, `uncertainty`.
    pub fn name(self) -> &'static str {
        match self {
            Method::Tornado => "tornado",
            Method::Morris => "morris",
            Method::Sobol => "sobol",
            Method::Uncertainty => "uncertainty",
        }
    }
}

/// How the points of the unit cube behind a Sobol design are drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Sampling {
    /// Owen-scrambled Sobol sequence (the default; best with a power-of-two
    /// base sample).
    ScrambledSobol,
    /// Latin hypercube.
    LatinHypercube,
}

/// What the estimators need to know of a design's structure.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Layout {
    /// Saltelli's scheme: `n` blocks of `p + 2` rows, A, AB_1..AB_p, B.
    Saltelli { n: usize, sampling: Sampling },
    /// `moves[t][s]`: the parameter moved by step `s` of trajectory `t`
    /// and the signed step in the unit cube; trajectory `t` occupies rows
    /// `t * (p + 1)` to `t * (p + 1) + p`.
    Morris {
        levels: usize,
        moves: Vec<Vec<(usize, f64)>>,
        candidates: Option<usize>,
    },
    /// Row 0 the base, then for parameter `i` rows `1 + 2i` (low) and
    /// `2 + 2i` (high).
    Tornado,
    /// `n` points: a Latin hypercube, or (`source` naming it) a sample
    /// drawn from a posterior.
    Uncertainty { n: usize, source: Option<String> },
}

/// Where a point sits in its design, for the design's CSV.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PointRole {
    /// Its group: Saltelli's base row, Morris' trajectory, the sample's
    /// index (0 for every tornado point).
    pub group: usize,
    /// Its role in the group: `A`, `B`, `AB:<parameter>`; `start`,
    /// `step:<parameter>`; `base`, `low:<parameter>`, `high:<parameter>`;
    /// `sample`.
    pub role: String,
}

/// The points of an analysis and their structure.
#[derive(Clone, Debug, PartialEq)]
pub struct Design {
    pub(crate) method: Method,
    pub(crate) seed: u64,
    pub(crate) parameters: Vec<ParameterSummary>,
    pub(crate) points: Vec<Vec<f64>>,
    pub(crate) layout: Layout,
}

impl Design {
    /// The method the design serves.
    pub fn method(&self) -> Method {
        self.method
    }

    /// The seed it was drawn with (also the bootstrap's).
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The parameters, in the order of each point's coordinates.
    pub fn parameters(&self) -> &[ParameterSummary] {
        &self.parameters
    }

    /// Every point, in parameter units: `points()[i][k]` is parameter
    /// `k`'s value at point `i`.
    pub fn points(&self) -> &[Vec<f64>] {
        &self.points
    }

    /// Number of points.
    pub fn len(&self) -> usize {
        self.points.len()
    }

    /// Whether there is no point.
    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    /// The base sample size: Saltelli's N, Morris' trajectories, the
    /// uncertainty sample; 1 for a tornado.
    pub fn samples(&self) -> usize {
        match &self.layout {
            Layout::Saltelli { n, .. } | Layout::Uncertainty { n, .. } => *n,
            Layout::Morris { moves, .. } => moves.len(),
            Layout::Tornado => 1,
        }
    }

    /// Where point `i` sits in the design.
    pub fn role(&self, i: usize) -> PointRole {
        let p = self.parameters.len();
        let name = |k: usize| self.parameters.get(k).map_or("", |s| s.name.as_str());
        match &self.layout {
            Layout::Saltelli { .. } => {
                let (group, r) = (i / (p + 2), i % (p + 2));
                let role = match r {
                    0 => "A".to_string(),
                    r if r == p + 1 => "B".to_string(),
                    r => format!("AB:{}", name(r - 1)),
                };
                PointRole { group, role }
            }
            Layout::Morris { moves, .. } => {
                let (group, s) = (i / (p + 1), i % (p + 1));
                let role = if s == 0 {
                    "start".to_string()
                } else {
                    let k = moves.get(group).and_then(|m| m.get(s - 1)).map_or(0, |m| m.0);
                    format!("step:{}", name(k))
                };
                PointRole { group, role }
            }
            Layout::Tornado => {
                let role = match i {
                    0 => "base".to_string(),
                    i if i % 2 == 1 => format!("low:{}", name((i - 1) / 2)),
                    i => format!("high:{}", name((i - 2) / 2)),
                };
                PointRole { group: 0, role }
            }
            Layout::Uncertainty { .. } => PointRole {
                group: i,
                role: "sample".into(),
            },
        }
    }

    /// The same design with the coordinates of the parameters marked in
    /// `whole` rounded to the nearest whole number (halves away from zero),
    /// for a model that takes them as whole numbers: the design then lists
    /// the values actually run. The estimators read only the outputs and
    /// the layout, so nothing else changes (a Morris effect is still per
    /// whole range of its parameter).
    pub fn with_whole_numbers(mut self, whole: &[bool]) -> Design {
        for x in &mut self.points {
            for (v, &w) in x.iter_mut().zip(whole) {
                if w {
                    *v = v.round();
                }
            }
        }
        self
    }

    /// A description of the design for outputs: "Saltelli's scheme on a
    /// scrambled Sobol sequence, N = 1024", "20 Morris trajectories over 4
    /// levels", ...
    pub fn describe(&self) -> String {
        match &self.layout {
            Layout::Saltelli { n, sampling } => format!(
                "Saltelli's scheme on {}, N = {n} ({} points)",
                match sampling {
                    Sampling::ScrambledSobol => "a scrambled Sobol sequence",
                    Sampling::LatinHypercube => "a Latin hypercube",
                },
                self.len()
            ),
            Layout::Morris {
                levels,
                moves,
                candidates,
            } => {
                let mut s = format!("{} Morris trajectories over {levels} levels", moves.len());
                if let Some(m) = candidates {
                    s.push_str(&format!(", the most spread of {m} candidates"));
                }
                s
            }
            Layout::Tornado => "each parameter at its low and high value, the others at the base".into(),
            Layout::Uncertainty { n, source: None } => format!("a Latin hypercube of {n} points"),
            Layout::Uncertainty { n, source: Some(s) } => format!("{n} points drawn from {s}"),
        }
    }
}
