//! Presentation: what people read. Exporters, pure functions from result
//! types to bytes (CSV, JSON, Markdown, the terminal's tables and
//! `report.html`), with the one atomic writer ([`output`]); and the charts,
//! the only place that knows plotters ([`plot`]). They see result types
//! only, never the model's internals.

pub(crate) mod output;
pub(crate) mod plot;
