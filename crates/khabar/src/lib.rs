//! khabar: Arabic news understanding.
//!
//! One [`Document`] flows through a [`Pipeline`] of annotators; every annotation is a span
//! into the untouched original text. [`output::v1`] turns a document into the JSON contract
//! (`CONTRACT.md`) with Unicode code point offsets, for every surface: CLI, server, Python.
//!
//! ```
//! let pipeline = khabar::Pipeline::builtin().unwrap();
//! let doc = pipeline.analyze("قال الرئيس إن الاجتماع كان مثمرا.", None).unwrap();
//! assert_eq!(doc.tokens().len(), 7);
//! let json = khabar::output::v1::to_json(&doc);
//! assert!(json.starts_with("{\"schema\":1,"));
//! ```
#![deny(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod amounts;
pub mod articles;
mod codepoint;
mod document;
mod error;
pub mod fields;
pub mod hijri;
pub mod link;
pub mod models;
pub mod ner;
pub mod output;
mod pipeline;
pub mod places;
pub mod quotes;
mod text_layer;
pub mod times;

pub use codepoint::CodepointIndex;
pub use document::{bare_document, Amount, AmountKind, Article, Document, Entity, EntityRecord, EntityType, Place, PlaceKind, Quote, Repair, Time, TimeMod, Token};
pub use error::{Error, Result};
pub use fields::{Field, Fields};
pub use khabar_text::{Profile, Span, TokenKind};
pub use pipeline::{Annotator, Pipeline, PipelineBuilder, Watch, MAX_DOCUMENT_BYTES};

/// A calendar date (publication dates, resolved times).
pub type Date = chrono::NaiveDate;

/// Parses a `YYYY-MM-DD` date, refusing impossible ones (`2017-13-45`) with a clear message.
///
/// # Errors
/// [`Error::InvalidDate`] naming the value.
pub fn parse_date(s: &str) -> Result<Date> {
    let t = s.trim();
    // Accept `YYYY-MM-DD hh:mm:ss` (SaudiNewsNet's crawl time) by its date part.
    let d = t.split([' ', 'T']).next().unwrap_or(t);
    chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
        .ok()
        .filter(|_| d.len() == 10)
        .ok_or_else(|| Error::InvalidDate { value: s.to_string() })
}

/// A unit as amounts compare it: `search`-normalized letters and digits only, so `ريالاً`,
/// `ريالا` and `ريالًا` are one unit (evaluation and index filters use it).
pub fn normalize_unit(unit: &str) -> String {
    khabar_text::normalize(unit, Profile::Search).chars().filter(|c| c.is_alphanumeric() || *c == '%').collect()
}
