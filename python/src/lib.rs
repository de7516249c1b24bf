//! The compiled half of the `gatesim` Python package (`gatesim._gatesim`):
//! scenarios loaded and checked by the library's own loader and `--set`
//! code, commands run in-process through the library's command line with
//! their outputs handed back in memory (`gatesim::embed`), and the model
//! function. Every call that simulates releases the GIL and runs on a
//! worker thread while the calling thread watches for Python's signals: a
//! Ctrl-C stops the work (the library polls the stop flag) and raises
//! KeyboardInterrupt, with nothing written. The Python half
//! (`python/gatesim/`) turns the outputs into DataFrames.

use gatesim::embed::{self, Captured, Failure, FailureKind, ModelError, PointModel, ScenarioError};
use gatesim::sensitivity::Distribution;
use gatesim::{Loaded, load_scenario, load_scenario_str};
use pyo3::exceptions::{PyKeyboardInterrupt, PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

/// The gatesim binary's allocator, for the same speed (Python's objects
/// keep Python's allocator).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// How often the calling thread looks for signals while work runs.
const POLL: Duration = Duration::from_millis(20);

/// Runs `work` on a worker thread with the GIL released; the calling thread
/// checks Python's signals every [`POLL`] and calls `tick` (progress). On a
/// signal whose handler raises (Ctrl-C: KeyboardInterrupt), `halt` asks the
/// work to stop, the work is awaited, and the handler's exception is raised.
fn watched<T: Send>(
    py: Python<'_>,
    work: impl FnOnce() -> T + Send,
    halt: impl Fn(),
    mut tick: impl FnMut(Python<'_>) -> PyResult<()>,
) -> PyResult<T> {
    std::thread::scope(|scope| {
        let handle = scope.spawn(work);
        loop {
            let finished = py.detach(|| {
                let until = std::time::Instant::now() + POLL;
                while !handle.is_finished() && std::time::Instant::now() < until {
                    std::thread::sleep(Duration::from_millis(1));
                }
                handle.is_finished()
            });
            if finished {
                break;
            }
            let checked = py.check_signals().and_then(|()| tick(py));
            if let Err(e) = checked {
                halt();
                let _ = py.detach(|| handle.join());
                return Err(e);
            }
        }
        let _ = tick(py);
        handle
            .join()
            .map_err(|_| PyRuntimeError::new_err("the gatesim worker thread panicked"))
    })
}

/// An exception class of `gatesim._errors`.
fn error_class<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
    py.import("gatesim._errors")?.getattr(name)
}

/// A scenario's problems as `gatesim.ScenarioError`.
fn scenario_error(py: Python<'_>, e: &ScenarioError) -> PyErr {
    let message = gatesim::embed::readable(&e.to_string());
    let problems: Vec<(String, Option<usize>, Option<usize>, String)> = e
        .problems
        .iter()
        .map(|p| {
            (
                p.path.clone(),
                p.location.map(|l| l.0),
                p.location.map(|l| l.1),
                p.message.clone(),
            )
        })
        .collect();
    let file = e.file.display().to_string();
    match error_class(py, "ScenarioError").and_then(|c| c.call1((message.trim_end(), problems, file))) {
        Ok(v) => PyErr::from_value(v),
        Err(e) => e,
    }
}

/// A command's failure as the matching Python exception.
fn failure(py: Python<'_>, f: Failure) -> PyErr {
    let class = match f.kind {
        FailureKind::Interrupted => return PyKeyboardInterrupt::new_err(f.message),
        FailureKind::Usage => "UsageError",
        FailureKind::Run => "RunError",
    };
    match error_class(py, class).and_then(|c| c.call1((f.message,))) {
        Ok(v) => PyErr::from_value(v),
        Err(e) => e,
    }
}

/// A model's failure as the matching Python exception.
fn model_error(py: Python<'_>, e: ModelError) -> PyErr {
    match e {
        ModelError::Scenario(problems) => {
            let message = ModelError::Scenario(problems.clone()).to_string();
            let problems: Vec<(String, Option<usize>, Option<usize>, String)> = problems
                .into_iter()
                .map(|p| (p.path, p.location.map(|l| l.0), p.location.map(|l| l.1), p.message))
                .collect();
            match error_class(py, "ScenarioError").and_then(|c| c.call1((message, problems, ""))) {
                Ok(v) => PyErr::from_value(v),
                Err(e) => e,
            }
        }
        ModelError::Usage(m) => failure(
            py,
            Failure {
                kind: FailureKind::Usage,
                message: m,
            },
        ),
        ModelError::Run(gatesim::McError::Interrupted) => PyKeyboardInterrupt::new_err("interrupted"),
        ModelError::Run(e) => failure(
            py,
            Failure {
                kind: FailureKind::Run,
                message: e.to_string(),
            },
        ),
    }
}

/// Where a scenario comes from.
#[derive(Clone, Debug)]
enum Source {
    /// A file, by the path as given.
    File(String),
    /// Text, standing for a file of this (virtual) path.
    Text { path: String, text: String },
}

/// A scenario: its source, the `--set` overrides applied to it, and the
/// result of loading it (checked).
#[pyclass(module = "gatesim._gatesim", name = "_Scenario")]
#[derive(Clone)]
struct PyScenario {
    source: Source,
    sets: Vec<String>,
    loaded: Loaded,
}

impl PyScenario {
    fn load(py: Python<'_>, source: &Source, sets: &[String]) -> PyResult<Loaded> {
        let r = match source {
            Source::File(p) => load_scenario(Path::new(p), sets),
            Source::Text { path, text } => {
                let stem = Path::new(path)
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .unwrap_or("scenario");
                load_scenario_str(text, Path::new(path), stem, sets)
            }
        };
        r.map_err(|e| scenario_error(py, &e))
    }
}

#[pymethods]
impl PyScenario {
    /// Loads the scenario file `path` with `sets` (`key.path=value`) applied.
    #[staticmethod]
    #[pyo3(signature = (path, sets = Vec::new()))]
    fn from_file(py: Python<'_>, path: String, sets: Vec<String>) -> PyResult<PyScenario> {
        let source = Source::File(path);
        let loaded = PyScenario::load(py, &source, &sets)?;
        Ok(PyScenario { source, sets, loaded })
    }

    /// Reads scenario `text`, standing for a file named `path`.
    #[staticmethod]
    #[pyo3(signature = (text, path, sets = Vec::new()))]
    fn from_text(py: Python<'_>, text: String, path: String, sets: Vec<String>) -> PyResult<PyScenario> {
        let source = Source::Text { path, text };
        let loaded = PyScenario::load(py, &source, &sets)?;
        Ok(PyScenario { source, sets, loaded })
    }

    /// This scenario with the override `text` (`key.path=value`) added,
    /// checked exactly as `--set` is.
    fn with_set(&self, py: Python<'_>, text: String) -> PyResult<PyScenario> {
        let mut sets = self.sets.clone();
        sets.push(text);
        let loaded = PyScenario::load(py, &self.source, &sets)?;
        Ok(PyScenario {
            source: self.source.clone(),
            sets,
            loaded,
        })
    }

    /// The resolved scenario (defaults filled in) as TOML.
    fn to_toml(&self) -> String {
        self.loaded.resolved_toml()
    }

    /// The path the command line names (a file, or the stand-in of text).
    #[getter]
    fn path(&self) -> String {
        match &self.source {
            Source::File(p) => p.clone(),
            Source::Text { path, .. } => path.clone(),
        }
    }

    /// The scenario's text when it was given as text.
    #[getter]
    fn text(&self) -> Option<String> {
        match &self.source {
            Source::File(_) => None,
            Source::Text { text, .. } => Some(text.clone()),
        }
    }

    /// The overrides applied, as `--set` takes them.
    #[getter]
    fn sets(&self) -> Vec<String> {
        self.sets.clone()
    }

    /// The scenario's name.
    #[getter]
    fn name(&self) -> String {
        self.loaded.scenario.name.clone()
    }

    /// Its seed.
    #[getter]
    fn seed(&self) -> u64 {
        self.loaded.scenario.seed
    }

    /// Its replications by default.
    #[getter]
    fn replications(&self) -> u64 {
        self.loaded.scenario.replications
    }

    /// Its horizon (days).
    #[getter]
    fn horizon_days(&self) -> u32 {
        self.loaded.scenario.horizon_days
    }

    /// Its `[[uncertain]]` entries: (key, distribution, low, high, whole, base, why).
    #[getter]
    fn uncertain(&self) -> Vec<(String, String, f64, f64, bool, f64, String)> {
        self.loaded
            .uncertain
            .iter()
            .map(|u| {
                let (low, high) = u.distribution.range();
                (
                    u.key.clone(),
                    u.distribution.describe(),
                    low,
                    high,
                    u.whole,
                    u.base,
                    u.why.clone(),
                )
            })
            .collect()
    }
}

/// The outputs of a command, in memory.
#[pyclass(module = "gatesim._gatesim", name = "_Captured")]
struct PyCaptured {
    inner: Captured,
}

#[pymethods]
impl PyCaptured {
    /// The output folder's name.
    #[getter]
    fn folder(&self) -> String {
        self.inner.folder.clone()
    }

    /// Every file, name -> bytes, in the order the command writes them.
    #[getter]
    fn files<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for (name, bytes) in &self.inner.files {
            d.set_item(name, PyBytes::new(py, bytes))?;
        }
        Ok(d)
    }

    /// What the command prints.
    #[getter]
    fn text(&self) -> String {
        self.inner.text.clone()
    }

    /// The command line the result records.
    #[getter]
    fn command_line(&self) -> Vec<String> {
        self.inner.command_line.clone()
    }

    /// Writes the outputs into `out/<folder>` (or `out/<name>`) as the
    /// command line does; returns the folder written.
    #[pyo3(signature = (out, name = None))]
    fn write(&self, py: Python<'_>, out: PathBuf, name: Option<String>) -> PyResult<String> {
        let inner = &self.inner;
        let r = watched(py, || inner.write(&out, name.as_deref()), embed::stop, |_| Ok(()))?;
        r.map(|p| p.display().to_string()).map_err(|f| failure(py, f))
    }
}

/// Runs the command line `args` in-process and hands its outputs back;
/// `texts` are (path, text) pairs standing for scenario files; `progress`
/// is called with (done, total) while it runs.
#[pyfunction]
#[pyo3(signature = (args, texts = Vec::new(), progress = None))]
fn capture(
    py: Python<'_>,
    args: Vec<String>,
    texts: Vec<(String, String)>,
    progress: Option<Py<PyAny>>,
) -> PyResult<PyCaptured> {
    let texts: Vec<(PathBuf, String)> = texts.into_iter().map(|(p, t)| (PathBuf::from(p), t)).collect();
    let tick = |py: Python<'_>| -> PyResult<()> {
        if let Some(f) = &progress {
            let (done, total) = embed::progress();
            f.call1(py, (done, total))?;
        }
        Ok(())
    };
    let r = watched(py, || embed::capture(&args, &texts), embed::stop, tick)?;
    r.map(|inner| PyCaptured { inner }).map_err(|f| failure(py, f))
}

/// A scenario as a function from values of keys to headline outputs.
#[pyclass(module = "gatesim._gatesim", name = "_Model")]
struct PyModel {
    inner: Arc<PointModel>,
}

#[pymethods]
impl PyModel {
    #[new]
    #[pyo3(signature = (scenario, vary, metrics, replications, threads))]
    fn new(
        py: Python<'_>,
        scenario: &PyScenario,
        vary: Vec<String>,
        metrics: Vec<String>,
        replications: u64,
        threads: usize,
    ) -> PyResult<PyModel> {
        PointModel::new(&scenario.loaded, &vary, &metrics, replications, threads)
            .map(|inner| PyModel { inner: Arc::new(inner) })
            .map_err(|e| model_error(py, e))
    }

    /// The keys, in order: (key, distribution kind, a, b, whole, base,
    /// description), `a` and `b` the parameters of the kind (uniform and
    /// loguniform: low, high; normal: mean, sd; lognormal: median, sigma).
    #[getter]
    fn parameters(&self) -> Vec<(String, String, f64, f64, bool, f64, String)> {
        self.inner
            .parameters()
            .iter()
            .map(|u| {
                let (kind, a, b) = match &u.distribution {
                    Distribution::Uniform { low, high } => ("uniform", *low, *high),
                    Distribution::LogUniform { low, high } => ("loguniform", *low, *high),
                    Distribution::Normal { mean, sd } => ("normal", *mean, *sd),
                    Distribution::LogNormal { median, sigma } => ("lognormal", *median, *sigma),
                    other => {
                        let (low, high) = other.range();
                        ("quantile", low, high)
                    }
                };
                (
                    u.key.clone(),
                    kind.to_string(),
                    a,
                    b,
                    u.whole,
                    u.base,
                    u.distribution.describe(),
                )
            })
            .collect()
    }

    /// The outputs, in order: (scope, metric, unit).
    #[getter]
    fn outputs(&self) -> Vec<(String, String, String)> {
        self.inner
            .outputs()
            .iter()
            .map(|o| (o.scope.clone(), o.metric.clone(), o.unit.clone()))
            .collect()
    }

    /// The quantile of each parameter's distribution at `u` (a point of the unit cube).
    fn quantiles(&self, u: Vec<f64>) -> Vec<f64> {
        self.inner
            .parameters()
            .iter()
            .zip(u)
            .map(|(p, u)| p.distribution.quantile(u))
            .collect()
    }

    /// The outputs at `points` (rows of values, or of quantiles with
    /// `unit`). The work starts on the model's own threads (no thread is
    /// made per call); this thread waits with the GIL released and checks
    /// Python's signals every [`POLL`].
    #[pyo3(signature = (points, unit = false))]
    fn evaluate<'py>(&self, py: Python<'py>, points: Vec<Vec<f64>>, unit: bool) -> PyResult<Bound<'py, PyList>> {
        let stop = Arc::new(AtomicBool::new(false));
        if points.len() == 1 && self.inner.replications() == 1 {
            // One replication (milliseconds) runs on this thread with the
            // GIL released; a Ctrl-C meanwhile is raised when it returns.
            let inner = &self.inner;
            let rows = py
                .detach(|| inner.evaluate(&points, unit, &stop))
                .map_err(|e| model_error(py, e))?;
            return PyList::new(py, rows);
        }
        let (tx, rx) = mpsc::channel();
        let (model, halt) = (Arc::clone(&self.inner), Arc::clone(&stop));
        self.inner.pool().spawn(move || {
            let r = std::panic::catch_unwind(AssertUnwindSafe(|| model.evaluate(&points, unit, &halt)));
            let _ = tx.send(r);
        });
        let mut rx = rx;
        let r = loop {
            // The receiver goes to the GIL-free closure and comes back.
            let (got, back) = py.detach(move || (rx.recv_timeout(POLL), rx));
            rx = back;
            match got {
                Ok(r) => break r,
                Err(RecvTimeoutError::Timeout) => {
                    if let Err(e) = py.check_signals() {
                        stop.store(true, Ordering::SeqCst);
                        let _ = py.detach(move || rx.recv());
                        return Err(e);
                    }
                }
                Err(RecvTimeoutError::Disconnected) => break Err(Box::new("the worker stopped")),
            }
        };
        let rows = r
            .map_err(|_| PyRuntimeError::new_err("the gatesim worker thread panicked"))?
            .map_err(|e| model_error(py, e))?;
        PyList::new(py, rows)
    }
}

/// Runs the `gatesim` command with `argv` (the program's name first) and
/// returns its exit code: the package's `gatesim` console command.
#[pyfunction]
fn main(py: Python<'_>, argv: Vec<String>) -> u8 {
    py.detach(|| gatesim::embed::main_from(argv))
}

/// The gatesim library's version.
#[pyfunction]
fn version() -> &'static str {
    gatesim::embed::VERSION
}

/// Checks that a `--set` text parses (its key path and value), without a
/// scenario: the message of the library's parser otherwise.
#[pyfunction]
fn parse_set(text: &str) -> PyResult<String> {
    gatesim::overrides::parse(text)
        .map(|o| o.text)
        .map_err(|e| PyValueError::new_err(e.to_string()))
}

/// Seconds per replication of `scenario`, timed in Rust alone: its
/// replication 0 run `repeats` times on this thread (the reference the
/// model function's per-call overhead is measured against).
#[pyfunction]
fn time_replication(py: Python<'_>, scenario: &PyScenario, repeats: u32) -> PyResult<f64> {
    let s = &scenario.loaded.scenario;
    py.detach(|| {
        let start = std::time::Instant::now();
        for _ in 0..repeats.max(1) {
            let r = gatesim::run_replication(s, 0, false).map_err(|e| PyRuntimeError::new_err(e.to_string()))?;
            std::hint::black_box(r);
        }
        Ok(start.elapsed().as_secs_f64() / f64::from(repeats.max(1)))
    })
}

#[pymodule]
fn _gatesim(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyScenario>()?;
    m.add_class::<PyCaptured>()?;
    m.add_class::<PyModel>()?;
    m.add_function(wrap_pyfunction!(capture, m)?)?;
    m.add_function(wrap_pyfunction!(main, m)?)?;
    m.add_function(wrap_pyfunction!(version, m)?)?;
    m.add_function(wrap_pyfunction!(parse_set, m)?)?;
    m.add_function(wrap_pyfunction!(time_replication, m)?)?;
    Ok(())
}
