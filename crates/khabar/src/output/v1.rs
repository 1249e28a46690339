//! The contract's JSON, schema 1: the original text and every annotation as a span of
//! Unicode code point offsets into it, lists sorted by `(start, end)`, unknown values `null`.
//!
//! This module is the only place that converts byte spans to code point offsets; the CLI,
//! the server and the Python bindings all serialize through it.

use serde::Serialize;

use crate::{CodepointIndex, Document, Span};

/// The schema version written in every record.
pub const SCHEMA: u32 = 1;

/// A document in the contract's shape, borrowing from the [`Document`].
#[derive(Debug, Serialize)]
pub struct Analysis<'a> {
    /// Always [`SCHEMA`].
    pub schema: u32,
    /// The input, verbatim.
    pub text: &'a str,
    /// `YYYY-MM-DD` or null.
    pub date: Option<String>,
    /// Stories.
    pub articles: Vec<ArticleOut<'a>>,
    /// Sentences.
    pub sentences: Vec<SpanOut>,
    /// Tokens.
    pub tokens: Vec<TokenOut<'a>>,
    /// Glued-word repairs.
    pub repairs: Vec<RepairOut<'a>>,
    /// Entity mentions.
    pub entities: Vec<EntityOut<'a>>,
    /// Entities joined across mentions.
    pub entity_index: Vec<EntityRecordOut<'a>>,
    /// Reported speech.
    pub quotes: Vec<QuoteOut<'a>>,
    /// Temporal expressions.
    pub times: Vec<TimeOut<'a>>,
}

/// A bare span.
#[derive(Debug, Serialize, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct SpanOut {
    /// First code point.
    pub start: u32,
    /// One past the last code point.
    pub end: u32,
}

/// A span with the text it covers.
#[derive(Debug, Serialize)]
pub struct TextSpanOut<'a> {
    /// First code point.
    pub start: u32,
    /// One past the last code point.
    pub end: u32,
    /// `text[start:end]`.
    pub text: &'a str,
}

/// An article.
#[derive(Debug, Serialize)]
pub struct ArticleOut<'a> {
    /// First code point.
    pub start: u32,
    /// One past the last code point.
    pub end: u32,
    /// Its headline.
    pub headline: Option<TextSpanOut<'a>>,
}

/// A token.
#[derive(Debug, Serialize)]
pub struct TokenOut<'a> {
    /// First code point.
    pub start: u32,
    /// One past the last code point.
    pub end: u32,
    /// `text[start:end]`.
    pub text: &'a str,
    /// Normalized form.
    pub norm: &'a str,
    /// Clitic segments in reading order.
    pub segments: &'a [String],
    /// Light stem, null for non-words.
    pub stem: Option<&'a str>,
    /// `word`, `number`, `punct`, `latin`, `symbol`.
    pub kind: &'static str,
}

/// A repair.
#[derive(Debug, Serialize)]
pub struct RepairOut<'a> {
    /// First code point.
    pub start: u32,
    /// One past the last code point.
    pub end: u32,
    /// The glued word as written.
    pub text: &'a str,
    /// The word with the missing spaces.
    pub replacement: &'a str,
}

/// An entity mention.
#[derive(Debug, Serialize)]
pub struct EntityOut<'a> {
    /// First code point.
    pub start: u32,
    /// One past the last code point.
    pub end: u32,
    /// `text[start:end]`.
    pub text: &'a str,
    /// `PERS`, `LOC`, `ORG`, `MISC`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Its `entity_index` id.
    pub id: &'a str,
}

/// An entity record.
#[derive(Debug, Serialize)]
pub struct EntityRecordOut<'a> {
    /// `E1`…
    pub id: &'a str,
    /// Class.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Canonical (fullest) name.
    pub name: &'a str,
    /// Distinct surface forms.
    pub variants: &'a [String],
    /// Mention count.
    pub mentions: usize,
}

/// A quote.
#[derive(Debug, Serialize)]
pub struct QuoteOut<'a> {
    /// First code point of the words said.
    pub start: u32,
    /// One past the last code point.
    pub end: u32,
    /// The words said.
    pub text: &'a str,
    /// Reporting verb as written.
    pub cue: Option<&'a str>,
    /// Speaker entity id.
    pub speaker: Option<&'a str>,
    /// Speaker's text span (an extension of schema 1).
    pub speaker_span: Option<TextSpanOut<'a>>,
}

/// A time expression.
#[derive(Debug, Serialize)]
pub struct TimeOut<'a> {
    /// First code point.
    pub start: u32,
    /// One past the last code point.
    pub end: u32,
    /// `text[start:end]`.
    pub text: &'a str,
    /// ISO 8601 value, or null.
    pub value: Option<&'a str>,
}

/// Builds the contract view of `doc`.
pub fn analysis(doc: &Document) -> Analysis<'_> {
    let idx = CodepointIndex::new(doc.text());
    let sp = |s: Span| SpanOut { start: idx.cp(s.start), end: idx.cp(s.end) };
    let ts = |s: Span| TextSpanOut { start: idx.cp(s.start), end: idx.cp(s.end), text: doc.slice(s) };

    let mut articles: Vec<_> = doc
        .articles
        .iter()
        .map(|a| ArticleOut { start: idx.cp(a.span.start), end: idx.cp(a.span.end), headline: a.headline.map(ts) })
        .collect();
    articles.sort_by_key(|a| (a.start, a.end));
    let mut sentences: Vec<_> = doc.sentences.iter().map(|&s| sp(s)).collect();
    sentences.sort();
    let mut tokens: Vec<_> = doc
        .tokens
        .iter()
        .map(|t| TokenOut {
            start: idx.cp(t.span.start),
            end: idx.cp(t.span.end),
            text: doc.slice(t.span),
            norm: &t.norm,
            segments: &t.segments,
            stem: t.stem.as_deref(),
            kind: t.kind.as_str(),
        })
        .collect();
    tokens.sort_by_key(|t| (t.start, t.end));
    let mut repairs: Vec<_> = doc
        .repairs
        .iter()
        .map(|r| RepairOut { start: idx.cp(r.span.start), end: idx.cp(r.span.end), text: doc.slice(r.span), replacement: &r.replacement })
        .collect();
    repairs.sort_by_key(|r| (r.start, r.end));
    let mut entities: Vec<_> = doc
        .entities
        .iter()
        .map(|e| EntityOut { start: idx.cp(e.span.start), end: idx.cp(e.span.end), text: doc.slice(e.span), kind: e.kind.as_str(), id: &e.id })
        .collect();
    entities.sort_by_key(|e| (e.start, e.end));
    let entity_index = doc
        .entity_index
        .iter()
        .map(|r| EntityRecordOut { id: &r.id, kind: r.kind.as_str(), name: &r.name, variants: &r.variants, mentions: r.mentions })
        .collect();
    let mut quotes: Vec<_> = doc
        .quotes
        .iter()
        .map(|q| QuoteOut {
            start: idx.cp(q.span.start),
            end: idx.cp(q.span.end),
            text: doc.slice(q.span),
            cue: q.cue.as_deref(),
            speaker: q.speaker.as_deref(),
            speaker_span: q.speaker_span.map(ts),
        })
        .collect();
    quotes.sort_by_key(|q| (q.start, q.end));
    let mut times: Vec<_> = doc
        .times
        .iter()
        .map(|t| TimeOut { start: idx.cp(t.span.start), end: idx.cp(t.span.end), text: doc.slice(t.span), value: t.value.as_deref() })
        .collect();
    times.sort_by_key(|t| (t.start, t.end));

    Analysis {
        schema: SCHEMA,
        text: doc.text(),
        date: doc.date.map(|d| d.format("%Y-%m-%d").to_string()),
        articles,
        sentences,
        tokens,
        repairs,
        entities,
        entity_index,
        quotes,
        times,
    }
}

/// The contract JSON of `doc`, on one line.
pub fn to_json(doc: &Document) -> String {
    // Serializing borrowed strings and integers cannot fail.
    serde_json::to_string(&analysis(doc)).unwrap_or_default()
}

/// The contract JSON of `doc`, indented for people.
pub fn to_json_pretty(doc: &Document) -> String {
    serde_json::to_string_pretty(&analysis(doc)).unwrap_or_default()
}

/// The contract as a `serde_json::Value` (for surfaces that add fields, like JSONL `id`).
pub fn to_value(doc: &Document) -> serde_json::Value {
    serde_json::to_value(analysis(doc)).unwrap_or(serde_json::Value::Null)
}
