//! Python bindings for khabar.
//!
//! Every result is the contract's JSON shape (`CONTRACT.md`) as plain Python objects;
//! offsets are Unicode code points, which are exactly Python string indices, so
//! `text[e["start"]:e["end"]] == e["text"]` for every span.
//!
//! The work happens with the GIL released: one `analyze` lets other Python threads run,
//! and `analyze_batch` spreads its texts over all cores (rayon), keeping input order.
#![deny(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

use std::path::PathBuf;
use std::sync::Arc;

use pyo3::create_exception;
use pyo3::exceptions::{PyOSError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};
use rayon::prelude::*;

mod convert;

// The text layer allocates small strings per token; mimalloc's thread-local free lists
// keep analyze_batch scaling across cores, as in the CLI.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

create_exception!(
    _khabar,
    ModelError,
    PyValueError,
    "A model file that is damaged, truncated, of another version or not a khabar model."
);

/// The analysis pipeline on the built-in models (or models given by path).
///
/// Build one and reuse it: loading takes tens of milliseconds, analysis microseconds
/// per sentence. A pipeline is safe to share between threads.
#[pyclass(frozen, module = "khabar")]
struct Pipeline {
    inner: Arc<khabar::Pipeline>,
    profile: &'static str,
    layers: &'static str,
}

#[pymethods]
impl Pipeline {
    #[new]
    #[pyo3(signature = (profile = "search", layers = "all", *, ner_model = None, segmenter_model = None, lexicon = None, ner_convention = "news"))]
    fn new(
        py: Python<'_>,
        profile: &str,
        layers: &str,
        ner_model: Option<PathBuf>,
        segmenter_model: Option<PathBuf>,
        lexicon: Option<PathBuf>,
        ner_convention: &str,
    ) -> PyResult<Self> {
        let convention: khabar::ner::Convention = ner_convention.parse().map_err(PyValueError::new_err)?;
        let (profile_value, profile) = parse_profile(profile)?;
        let (text_only, layers) = match layers {
            "all" => (false, "all"),
            "text" => (true, "text"),
            other => {
                return Err(PyValueError::new_err(format!(
                    "unknown layers `{other}`: expected \"all\" (every layer) or \"text\" (tokens, sentences, repairs, segments, stems)"
                )))
            }
        };
        let mut builder = khabar::Pipeline::builder().profile(profile_value).text_only(text_only).ner_convention(convention);
        if let Some(p) = &segmenter_model {
            builder = builder.segmenter_model(read_model(p)?);
        }
        if let Some(p) = &lexicon {
            builder = builder.lexicon(read_model(p)?);
        }
        if let Some(p) = &ner_model {
            builder = builder.ner_model(read_model(p)?);
        }
        let pipeline = py.detach(|| builder.build()).map_err(|e| {
            // The builder validates every model; name the files that were given so the
            // message points at the broken one.
            let given: Vec<String> = [("ner_model", &ner_model), ("segmenter_model", &segmenter_model), ("lexicon", &lexicon)]
                .iter()
                .filter_map(|(name, p)| p.as_ref().map(|p| format!("{name}={}", p.display())))
                .collect();
            let err = to_py_err(e);
            if given.is_empty() {
                err
            } else {
                prefix_err(py, err, &format!("loading models ({})", given.join(", ")))
            }
        })?;
        Ok(Pipeline { inner: Arc::new(pipeline), profile, layers })
    }

    /// Analyzes one text; returns the contract's dict.
    ///
    /// `date` (a `YYYY-MM-DD` string or a `datetime.date`) resolves relative times
    /// such as أمس; without it they get `value: None`.
    ///
    /// `fields` (a comma-separated string or a list of names, e.g.
    /// `["entities", "quotes"]`) chooses the contract's top-level fields to compute and
    /// return; `schema` and `text` are always there. Default: all.
    #[pyo3(signature = (text, date = None, *, fields = None))]
    fn analyze<'py>(
        &self,
        py: Python<'py>,
        text: &Bound<'py, PyString>,
        date: Option<&Bound<'py, PyAny>>,
        fields: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let date = match date {
            Some(d) => parse_date_arg(d)?,
            None => None,
        };
        let fields = parse_fields_arg(fields)?;
        let text = text.to_str()?;
        let pipeline = &self.inner;
        let doc = py.detach(|| pipeline.analyze_fields(text, date, fields)).map_err(to_py_err)?;
        let _gc = convert::GcPause::new(py);
        Ok(convert::document(py, &doc, fields)?.into_any())
    }

    /// Analyzes many texts on all cores with the GIL released; returns one dict per
    /// text, in input order, equal to calling `analyze` on each.
    ///
    /// `dates`, when given, has one date (or None) per text; `fields` is as in `analyze`.
    #[pyo3(signature = (texts, dates = None, *, fields = None))]
    fn analyze_batch<'py>(
        &self,
        py: Python<'py>,
        texts: &Bound<'py, PyAny>,
        dates: Option<&Bound<'py, PyAny>>,
        fields: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyList>> {
        let fields = parse_fields_arg(fields)?;
        if texts.is_instance_of::<PyString>() {
            return Err(PyTypeError::new_err("analyze_batch takes a list of texts, not one string: use analyze(text) for a single text"));
        }
        let mut owned: Vec<String> = Vec::new();
        for (i, t) in texts.try_iter()?.enumerate() {
            let t = t?;
            let s = t.cast::<PyString>().map_err(|_| {
                PyTypeError::new_err(format!("texts[{i}] is {}, not str", type_name(&t)))
            })?;
            owned.push(s.to_str().map_err(|e| PyValueError::new_err(format!("texts[{i}]: {e}")))?.to_owned());
        }
        let parsed_dates: Vec<Option<khabar::Date>> = match dates {
            None => vec![None; owned.len()],
            Some(ds) => {
                let mut v = Vec::with_capacity(owned.len());
                for (i, d) in ds.try_iter()?.enumerate() {
                    let d = d?;
                    v.push(parse_date_arg(&d).map_err(|e| prefix_err(py, e, &format!("dates[{i}]")))?);
                }
                if v.len() != owned.len() {
                    return Err(PyValueError::new_err(format!(
                        "dates has {} items but texts has {}: give one date (or None) per text",
                        v.len(),
                        owned.len()
                    )));
                }
                v
            }
        };
        // Workers analyze on all cores without the GIL and hand each document over as it
        // is done; this thread, holding the GIL only while it builds a result, turns them
        // into dicts meanwhile, so building Python objects overlaps the analysis.
        let n = owned.len();
        let out = PyList::new(py, (0..n).map(|_| py.None()))?;
        let pipeline = &self.inner;
        let (tx, rx) = crossbeam_channel::unbounded::<(usize, khabar::Result<khabar::Document>)>();
        let mut first_err: Option<(usize, khabar::Error)> = None;
        // Set on Ctrl-C (or any pending Python signal): workers skip what is left.
        let cancel = std::sync::atomic::AtomicBool::new(false);
        let mut interrupted: Option<PyErr> = None;
        std::thread::scope(|scope| -> PyResult<()> {
            let (owned, parsed_dates, cancel) = (&owned, &parsed_dates, &cancel);
            scope.spawn(move || {
                owned.par_iter().zip(parsed_dates.par_iter()).enumerate().for_each_with(tx, |tx, (i, (text, date))| {
                    if cancel.load(std::sync::atomic::Ordering::Relaxed) {
                        return;
                    }
                    // A send fails only when the receiver is gone after an error; stop quietly.
                    let _ = tx.send((i, pipeline.analyze_fields(text, *date, fields)));
                });
            });
            let _gc = convert::GcPause::new(py);
            while let Ok((i, result)) = py.detach(|| rx.recv()) {
                if interrupted.is_none() {
                    if let Err(e) = py.check_signals() {
                        cancel.store(true, std::sync::atomic::Ordering::Relaxed);
                        interrupted = Some(e);
                    }
                }
                if interrupted.is_some() {
                    continue;
                }
                match result {
                    Ok(doc) if first_err.is_none() => out.set_item(i, convert::document(py, &doc, fields)?)?,
                    Ok(_) => {}
                    // Report the first failing text in input order, whatever order they finish in.
                    Err(e) => {
                        if first_err.as_ref().is_none_or(|(j, _)| i < *j) {
                            first_err = Some((i, e));
                        }
                    }
                }
            }
            Ok(())
        })?;
        if let Some(e) = interrupted {
            return Err(e);
        }
        if let Some((i, e)) = first_err {
            return Err(prefix_err(py, to_py_err(e), &format!("texts[{i}]")));
        }
        Ok(out)
    }

    /// The pipeline's stages, in the order they run.
    #[getter]
    fn stages(&self) -> Vec<&'static str> {
        self.inner.stage_names()
    }

    fn __repr__(&self) -> String {
        format!("khabar.Pipeline(profile={:?}, layers={:?})", self.profile, self.layers)
    }
}

/// Normalizes text for matching: `search` conflates spelling variants (أ/إ/آ→ا, ة→ه,
/// ى→ي, ؤ→و, ئ→ي; drops diacritics and tatweel), `light` only makes changes that
/// never alter meaning.
#[pyfunction]
#[pyo3(signature = (text, profile = "search"))]
fn normalize(text: &str, profile: &str) -> PyResult<String> {
    let (p, _) = parse_profile(profile)?;
    Ok(khabar_text::normalize::normalize(text, p))
}

/// Splits text into tokens (no glued-word repair; use `Pipeline(layers="text")` for
/// repaired tokens with segments and stems). Returns dicts with `start`, `end`
/// (Python string indices), `text` and `kind` (word, number, punct, latin, symbol).
#[pyfunction]
fn tokenize<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyList>> {
    let tokens = khabar_text::tokenize::tokenize(text);
    let index = khabar::CodepointIndex::new(text);
    let out = PyList::empty(py);
    for t in tokens {
        let d = PyDict::new(py);
        d.set_item("start", index.cp(t.span.start))?;
        d.set_item("end", index.cp(t.span.end))?;
        d.set_item("text", &text[t.span.start as usize..t.span.end as usize])?;
        d.set_item("kind", t.kind.as_str())?;
        out.append(d)?;
    }
    Ok(out)
}

fn parse_profile(profile: &str) -> PyResult<(khabar::Profile, &'static str)> {
    match profile.parse::<khabar::Profile>() {
        Ok(khabar::Profile::Light) => Ok((khabar::Profile::Light, "light")),
        Ok(_) => Ok((khabar::Profile::Search, "search")),
        Err(msg) => Err(PyValueError::new_err(msg)),
    }
}

/// A `fields` argument: None (every field), a comma-separated string, or a list or tuple
/// of names.
fn parse_fields_arg(f: Option<&Bound<'_, PyAny>>) -> PyResult<khabar::Fields> {
    let Some(f) = f.filter(|f| !f.is_none()) else {
        return Ok(khabar::Fields::ALL);
    };
    let list: String = if let Ok(s) = f.cast::<PyString>() {
        s.to_str()?.to_owned()
    } else {
        let mut names = Vec::new();
        for (i, x) in f.try_iter().map_err(|_| PyTypeError::new_err(format!("fields must be a string or a list of names, not {}", type_name(f))))?.enumerate() {
            let x = x?;
            let s = x.cast::<PyString>().map_err(|_| PyTypeError::new_err(format!("fields[{i}] is {}, not str", type_name(&x))))?;
            names.push(s.to_str()?.to_owned());
        }
        names.join(",")
    };
    list.parse().map_err(|e: khabar::Error| PyValueError::new_err(format!("fields: {e}")))
}

/// A date argument: None, a `YYYY-MM-DD` string, or anything with `isoformat()`
/// (`datetime.date`, `datetime.datetime`, pandas' Timestamp).
fn parse_date_arg(d: &Bound<'_, PyAny>) -> PyResult<Option<khabar::Date>> {
    if d.is_none() {
        return Ok(None);
    }
    let s: String = if let Ok(s) = d.cast::<PyString>() {
        s.to_str()?.to_owned()
    } else if d.hasattr("isoformat")? {
        d.call_method0("isoformat")?.extract()?
    } else {
        return Err(PyTypeError::new_err(format!(
            "date must be a 'YYYY-MM-DD' string, a datetime.date or None, not {}",
            type_name(d)
        )));
    };
    khabar::parse_date(&s).map(Some).map_err(to_py_err)
}

fn read_model(path: &std::path::Path) -> PyResult<khabar_model::Blob> {
    khabar_model::Blob::read(path).map_err(|e| match e {
        e @ khabar_model::Error::Io { .. } => PyOSError::new_err(e.to_string()),
        other => ModelError::new_err(other.with_path(path).to_string()),
    })
}

fn to_py_err(e: khabar::Error) -> PyErr {
    match e {
        khabar::Error::Model(m) => ModelError::new_err(m.to_string()),
        khabar::Error::Text(khabar_text::Error::Model(m)) => ModelError::new_err(m.to_string()),
        khabar::Error::Io { .. } => PyOSError::new_err(e.to_string()),
        other => PyValueError::new_err(other.to_string()),
    }
}

/// The same exception type, its message prefixed with where it happened.
fn prefix_err(py: Python<'_>, e: PyErr, what: &str) -> PyErr {
    let msg = e.value(py).str().map(|s| s.to_string()).unwrap_or_default();
    let ty = e.get_type(py);
    match ty.call1((format!("{what}: {msg}"),)) {
        Ok(obj) => PyErr::from_value(obj),
        Err(_) => e,
    }
}

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "an object".to_string())
}

/// khabar's native module; import `khabar`, which re-exports it with type stubs.
#[pymodule]
fn _khabar(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Pipeline>()?;
    m.add_function(wrap_pyfunction!(normalize, m)?)?;
    m.add_function(wrap_pyfunction!(tokenize, m)?)?;
    m.add("ModelError", m.py().get_type::<ModelError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
