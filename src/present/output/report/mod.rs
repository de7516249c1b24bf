//! `report.html`: one self-contained page a person opens, written beside
//! the data files of every `run`, `compare`, `sweep` and `fit`. [`Report`]
//! is a small builder any command can fill (title, question, headline
//! tables, charts with captions, assumptions, notes); [`html`] renders it
//! with inline CSS and the charts inlined as SVG, so the page references
//! no file, font, script or network address, reads on a phone and prints.
//! The per-command builders are [`run`], [`compare`], [`sweep`],
//! [`sensitivity`] and [`fit`]. The bytes are deterministic (no timestamps).

use crate::experiments::provenance::Provenance;

pub(crate) mod calibration;
pub(crate) mod captions;
pub(crate) mod compare;
pub(crate) mod elements;
pub(crate) mod fit;
pub(crate) mod html;
pub(crate) mod markdown;
pub(crate) mod populations;
pub(crate) mod run;
pub(crate) mod sensitivity;
pub(crate) mod sweep;

/// A table of text cells; the first column is a label, the others are
/// right-aligned values.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Table {
    /// Says what the table holds (shown above it; may be empty).
    pub caption: String,
    /// Column headings.
    pub header: Vec<String>,
    /// Rows of cells, as many as headings.
    pub rows: Vec<Vec<String>>,
}

/// One block of a section.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Block {
    /// A table.
    Table(Table),
    /// Markdown (headings, paragraphs, pipe tables, fenced code), as
    /// gatesim's own `.md` files write it.
    Markdown(String),
    /// A chart, beside the table it illustrates.
    Figure(Chart),
}

/// A titled part of the page.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Section {
    /// Heading.
    pub heading: String,
    /// Contents, in order.
    pub blocks: Vec<Block>,
}

/// A chart inlined in the page.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Chart {
    /// Short name shown before the caption.
    pub title: String,
    /// One line saying how to read it.
    pub caption: String,
    /// The SVG document as rendered by [`crate::present::plot`].
    pub svg: String,
}

/// A report page under construction.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Report {
    /// What kind of report, e.g. "gatesim run".
    pub kind: String,
    /// Page title.
    pub title: String,
    /// The question the run answers (the scenario's description).
    pub question: String,
    /// Lines under the question (replications, seed, ...).
    pub lines: Vec<String>,
    /// Headline results.
    pub results: Vec<Section>,
    /// Charts, in order.
    pub charts: Vec<Chart>,
    /// Named facts the results rest on (seed, replications, version, ...).
    pub assumptions: Vec<(String, String)>,
    /// Inputs as run (heading and text, e.g. a resolved scenario).
    pub inputs: Vec<(String, String)>,
    /// Remarks at the end.
    pub notes: Vec<String>,
    /// Where the result came from: (what, value) lines in the header.
    pub provenance: Vec<(String, String)>,
}

/// Every SVG among chart `files` (named `charts/<stem>.svg` or
/// `<stem>.svg`), in order, captioned by [`captions::caption`].
pub(crate) fn svg_charts(files: &[(String, Vec<u8>)]) -> Vec<Chart> {
    files
        .iter()
        .filter_map(|(name, bytes)| {
            let file = name.rsplit('/').next().unwrap_or(name);
            let stem = file.strip_suffix(".svg")?;
            let (title, caption) = captions::caption(stem);
            Some(Chart {
                title,
                caption,
                svg: String::from_utf8_lossy(bytes).into_owned(),
            })
        })
        .collect()
}

impl Report {
    /// An empty report of `kind` titled `title`.
    pub(crate) fn new(kind: impl Into<String>, title: impl Into<String>) -> Report {
        Report {
            kind: kind.into(),
            title: title.into(),
            ..Report::default()
        }
    }

    /// Records where the result came from, shown in the page's header.
    pub(crate) fn provenance(mut self, p: &Provenance) -> Report {
        self.provenance = p.lines();
        self
    }

    /// Sets the question.
    pub(crate) fn question(mut self, q: impl Into<String>) -> Report {
        self.question = q.into();
        self
    }

    /// Adds a line under the question.
    pub(crate) fn line(mut self, l: impl Into<String>) -> Report {
        self.lines.push(l.into());
        self
    }

    /// Adds a section of results.
    pub(crate) fn section(mut self, heading: impl Into<String>, blocks: Vec<Block>) -> Report {
        self.results.push(Section {
            heading: heading.into(),
            blocks,
        });
        self
    }

    /// Adds every SVG among chart `files` (named `charts/<stem>.svg` or
    /// `<stem>.svg`), in order, captioned by [`captions::caption`].
    pub(crate) fn charts_from(mut self, files: &[(String, Vec<u8>)]) -> Report {
        self.charts.extend(svg_charts(files));
        self
    }

    /// Adds an assumption.
    pub(crate) fn assumption(mut self, name: impl Into<String>, value: impl Into<String>) -> Report {
        self.assumptions.push((name.into(), value.into()));
        self
    }

    /// Adds an input as run (e.g. "Scenario guizhou, resolved" and its TOML).
    pub(crate) fn input(mut self, heading: impl Into<String>, text: impl Into<String>) -> Report {
        self.inputs.push((heading.into(), text.into()));
        self
    }

    /// Adds a note.
    pub(crate) fn note(mut self, n: impl Into<String>) -> Report {
        self.notes.push(n.into());
        self
    }

    /// The page's bytes.
    pub(crate) fn to_html(&self) -> Vec<u8> {
        html::page(self).into_bytes()
    }
}
