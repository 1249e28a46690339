//! The contract as Python objects, built directly from the document.
//!
//! Materializing millions of small dicts is most of what the bindings cost (a SaudiNewsNet
//! article is ~600 tokens, each a dict of seven fields), so this avoids every avoidable
//! allocation: keys are interned once, a word's text, norm, stem and segments share one
//! Python string per distinct value within a document, and the cyclic garbage collector,
//! which would otherwise rescan the young dicts again and again while they are built, is
//! paused around a batch (`GcPause`). Key order and values are the contract's, equal to
//! `json.loads` of what the CLI prints (pinned by the tests).

use rustc_hash::FxHashMap as HashMap;

use khabar::output::v1::{self, Analysis, TextSpanOut};
use khabar::{Field, Fields};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};

/// Per-document cache of Python strings for repeated token strings.
struct Strings<'py, 'a> {
    py: Python<'py>,
    cache: HashMap<&'a str, Bound<'py, PyString>>,
}

impl<'py, 'a> Strings<'py, 'a> {
    fn get(&mut self, s: &'a str) -> Bound<'py, PyString> {
        let py = self.py;
        self.cache.entry(s).or_insert_with(|| PyString::new(py, s)).clone()
    }
}

/// One document as the contract's dict.
pub fn document<'py>(py: Python<'py>, doc: &khabar::Document, fields: Fields) -> PyResult<Bound<'py, PyDict>> {
    let a: Analysis<'_> = v1::analysis_fields(doc, fields);
    let mut strings = Strings { py, cache: HashMap::with_capacity_and_hasher(a.tokens.len(), Default::default()) };
    let d = PyDict::new(py);
    d.set_item(intern!(py, "schema"), a.schema)?;
    d.set_item(intern!(py, "text"), a.text)?;
    if fields.contains(Field::Date) {
        d.set_item(intern!(py, "date"), a.date.as_deref())?;
    }

    if fields.contains(Field::Articles) {
        let list = PyList::empty(py);
        for art in &a.articles {
            let x = span(py, art.start, art.end)?;
            x.set_item(intern!(py, "headline"), art.headline.as_ref().map(|h| text_span(py, h)).transpose()?)?;
            list.append(x)?;
        }
        d.set_item(intern!(py, "articles"), list)?;
    }

    if fields.contains(Field::Sentences) {
        let list = PyList::empty(py);
        for s in &a.sentences {
            list.append(span(py, s.start, s.end)?)?;
        }
        d.set_item(intern!(py, "sentences"), list)?;
    }

    if fields.contains(Field::Tokens) {
        let list = PyList::empty(py);
        for t in &a.tokens {
            let x = span(py, t.start, t.end)?;
            x.set_item(intern!(py, "text"), strings.get(t.text))?;
            x.set_item(intern!(py, "norm"), strings.get(t.norm))?;
            let segs = PyList::empty(py);
            for s in t.segments {
                segs.append(strings.get(s))?;
            }
            x.set_item(intern!(py, "segments"), segs)?;
            x.set_item(intern!(py, "stem"), t.stem.map(|s| strings.get(s)))?;
            x.set_item(intern!(py, "kind"), PyString::intern(py, t.kind))?;
            list.append(x)?;
        }
        d.set_item(intern!(py, "tokens"), list)?;
    }

    if fields.contains(Field::Repairs) {
        let list = PyList::empty(py);
        for r in &a.repairs {
            let x = span(py, r.start, r.end)?;
            x.set_item(intern!(py, "text"), r.text)?;
            x.set_item(intern!(py, "replacement"), r.replacement)?;
            list.append(x)?;
        }
        d.set_item(intern!(py, "repairs"), list)?;
    }

    if fields.contains(Field::Entities) {
        let list = PyList::empty(py);
        for e in &a.entities {
            let x = span(py, e.start, e.end)?;
            x.set_item(intern!(py, "text"), e.text)?;
            x.set_item(intern!(py, "type"), PyString::intern(py, e.kind))?;
            x.set_item(intern!(py, "id"), e.id)?;
            x.set_item(intern!(py, "subtype"), e.subtype)?;
            list.append(x)?;
        }
        d.set_item(intern!(py, "entities"), list)?;
    }

    if fields.contains(Field::EntityIndex) {
        let list = PyList::empty(py);
        for r in &a.entity_index {
            let x = PyDict::new(py);
            x.set_item(intern!(py, "id"), r.id)?;
            x.set_item(intern!(py, "type"), PyString::intern(py, r.kind))?;
            x.set_item(intern!(py, "name"), r.name)?;
            x.set_item(intern!(py, "variants"), PyList::new(py, r.variants)?)?;
            x.set_item(intern!(py, "mentions"), r.mentions)?;
            x.set_item(intern!(py, "subtype"), r.subtype)?;
            // A resolved place's fields, present only then (as in the JSON).
            if let Some(g) = r.geonameid {
                x.set_item(intern!(py, "geonameid"), g)?;
            }
            if let Some(c) = r.country {
                x.set_item(intern!(py, "country"), c)?;
            }
            if let Some(v) = r.lat {
                x.set_item(intern!(py, "lat"), v)?;
            }
            if let Some(v) = r.lon {
                x.set_item(intern!(py, "lon"), v)?;
            }
            if let Some(k) = r.place_kind {
                x.set_item(intern!(py, "place_kind"), PyString::intern(py, k))?;
            }
            list.append(x)?;
        }
        d.set_item(intern!(py, "entity_index"), list)?;
    }

    if fields.contains(Field::Quotes) {
        let list = PyList::empty(py);
        for q in &a.quotes {
            let x = span(py, q.start, q.end)?;
            x.set_item(intern!(py, "text"), q.text)?;
            x.set_item(intern!(py, "cue"), q.cue)?;
            x.set_item(intern!(py, "speaker"), q.speaker)?;
            x.set_item(intern!(py, "speaker_span"), q.speaker_span.as_ref().map(|s| text_span(py, s)).transpose()?)?;
            list.append(x)?;
        }
        d.set_item(intern!(py, "quotes"), list)?;
    }

    if fields.contains(Field::Times) {
        let list = PyList::empty(py);
        for t in &a.times {
            let x = span(py, t.start, t.end)?;
            x.set_item(intern!(py, "text"), t.text)?;
            x.set_item(intern!(py, "value"), t.value)?;
            x.set_item(intern!(py, "mod"), t.modifier)?;
            list.append(x)?;
        }
        d.set_item(intern!(py, "times"), list)?;
    }

    if fields.contains(Field::Amounts) {
        let list = PyList::empty(py);
        for m in &a.amounts {
            let x = span(py, m.start, m.end)?;
            x.set_item(intern!(py, "text"), m.text)?;
            x.set_item(intern!(py, "kind"), PyString::intern(py, m.kind))?;
            // An int when the contract writes one (as `json.loads` of the CLI gives), else a float.
            let v = m.value.0;
            if v.fract() == 0.0 && v.abs() < 9_007_199_254_740_992.0 {
                x.set_item(intern!(py, "value"), v as i64)?;
            } else {
                x.set_item(intern!(py, "value"), v)?;
            }
            x.set_item(intern!(py, "unit"), m.unit)?;
            x.set_item(intern!(py, "approx"), m.approx)?;
            list.append(x)?;
        }
        d.set_item(intern!(py, "amounts"), list)?;
    }
    Ok(d)
}

fn span(py: Python<'_>, start: u32, end: u32) -> PyResult<Bound<'_, PyDict>> {
    let x = PyDict::new(py);
    x.set_item(intern!(py, "start"), start)?;
    x.set_item(intern!(py, "end"), end)?;
    Ok(x)
}

fn text_span<'py>(py: Python<'py>, s: &TextSpanOut<'_>) -> PyResult<Bound<'py, PyDict>> {
    let x = span(py, s.start, s.end)?;
    x.set_item(intern!(py, "text"), s.text)?;
    Ok(x)
}

/// Pauses Python's cyclic garbage collector while many containers are created, and
/// restores it (only if it was on) when dropped, also on error.
pub struct GcPause<'py> {
    gc: Option<Bound<'py, PyModule>>,
}

impl<'py> GcPause<'py> {
    pub fn new(py: Python<'py>) -> GcPause<'py> {
        let gc = py.import("gc").ok().filter(|gc| {
            gc.call_method0("isenabled").and_then(|v| v.extract::<bool>()).unwrap_or(false)
                && gc.call_method0("disable").is_ok()
        });
        GcPause { gc }
    }
}

impl Drop for GcPause<'_> {
    fn drop(&mut self) {
        if let Some(gc) = &self.gc {
            let _ = gc.call_method0("enable");
        }
    }
}
