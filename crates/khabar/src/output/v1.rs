//! The contract's JSON, schema 1: the original text and every annotation as a span of
//! Unicode code point offsets into it, lists sorted by `(start, end)`, unknown values `null`.
//!
//! This module is the only place that converts byte spans to code point offsets; the CLI,
//! the server and the Python bindings all serialize through it.

use serde::Serialize;

use crate::{CodepointIndex, Document, Field, Fields, Span};

/// The schema version written in every record.
pub const SCHEMA: u32 = 1;

/// A document in the contract's shape, borrowing from the [`Document`].
#[derive(Debug, Serialize)]
pub struct Analysis<'a> {
    /// Always [`SCHEMA`].
    pub schema: u32,
    /// The caller's record id (`khabar analyze --input jsonl --id-field`), right after
    /// `schema`; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<&'a serde_json::Value>,
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
    /// Money, percentages, counts and other quantities.
    pub amounts: Vec<AmountOut<'a>>,
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
    /// Its entity's fine-grained type (`Politician`, `Nation`, …), or null.
    pub subtype: Option<&'static str>,
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
    /// Fine-grained type (`Politician`, `Nation`, …), or null.
    pub subtype: Option<&'static str>,
    /// GeoNames id of the place it names (absent when not a resolved place).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub geonameid: Option<u32>,
    /// ISO 3166-1 alpha-2 code of the place's country (absent for a continent or unresolved).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<&'a str>,
    /// Latitude of the place in degrees, to 5 decimals (a country's: its capital's).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    /// Longitude of the place in degrees, to 5 decimals.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lon: Option<f64>,
    /// `country`, `city`, `region` or `continent`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place_kind: Option<&'static str>,
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
    /// ISO 8601 value (or TimeML's `2016-Q1`, `2020-H1`, `2017-WI`, and `H1441-09` for a
    /// Hijri month), or null.
    pub value: Option<&'a str>,
    /// `START`, `MID`, `END` (`مطلع`/`منتصف`/`نهاية` …), or null.
    #[serde(rename = "mod")]
    pub modifier: Option<&'static str>,
}

/// An amount.
#[derive(Debug, Serialize)]
pub struct AmountOut<'a> {
    /// First code point.
    pub start: u32,
    /// One past the last code point.
    pub end: u32,
    /// `text[start:end]`.
    pub text: &'a str,
    /// `money`, `percent`, `count`, `number`.
    pub kind: &'static str,
    /// The value (an integer when it is one and exact in a double, else a decimal).
    pub value: AmountValue,
    /// ISO 4217 code, `%`, the counted noun, or null.
    pub unit: Option<&'a str>,
    /// Whether the text gives it as approximate.
    pub approx: bool,
}

/// An amount's value, written as an integer when it is one (`2500000000`, not
/// `2500000000.0`) and exact in a double (below 2^53), else as a decimal.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AmountValue(pub f64);

impl AmountValue {
    /// The value as the JSON writes it.
    pub fn display(self) -> String {
        serde_json::to_string(&self).unwrap_or_default()
    }
}

impl Serialize for AmountValue {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let v = self.0;
        if v.fract() == 0.0 && v.abs() < 9_007_199_254_740_992.0 {
            s.serialize_i64(v as i64)
        } else {
            s.serialize_f64(v)
        }
    }
}

/// A coordinate to 5 decimals (about a metre), as an f64 that prints the same in JSON and
/// in Python.
fn degrees(v: f32) -> f64 {
    (f64::from(v) * 1e5).round() / 1e5
}

/// Builds the contract view of `doc`.
pub fn analysis(doc: &Document) -> Analysis<'_> {
    analysis_fields(doc, Fields::ALL)
}

/// Builds the contract view of `doc` for a surface that writes only `fields`: the tokens,
/// most of the work, are built only when chosen (the other lists are built either way,
/// and the caller leaves out those it was not asked for).
pub fn analysis_fields(doc: &Document, fields: Fields) -> Analysis<'_> {
    let idx = CodepointIndex::new(doc.text());
    let mut a = analysis_with(doc, &idx, false);
    if fields.contains(Field::Tokens) {
        a.tokens = token_order(doc, &idx).into_iter().map(|i| token_out(doc, &idx, &doc.tokens[i as usize])).collect();
    }
    a
}

fn token_out<'a>(doc: &'a Document, idx: &CodepointIndex, t: &'a crate::Token) -> TokenOut<'a> {
    TokenOut {
        start: idx.cp(t.span.start),
        end: idx.cp(t.span.end),
        text: doc.slice(t.span),
        norm: &t.norm,
        segments: &t.segments,
        stem: t.stem.as_deref(),
        kind: t.kind.as_str(),
    }
}

/// Indices of `doc.tokens` sorted by `(start, end)` (stable).
fn token_order(doc: &Document, idx: &CodepointIndex) -> Vec<u32> {
    let mut order: Vec<u32> = (0..doc.tokens.len() as u32).collect();
    order.sort_by_key(|&i| {
        let t = &doc.tokens[i as usize];
        (idx.cp(t.span.start), idx.cp(t.span.end))
    });
    order
}

/// Everything but the tokens when `with_tokens` is false.
fn analysis_with<'a>(doc: &'a Document, idx: &CodepointIndex, with_tokens: bool) -> Analysis<'a> {
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
    let mut tokens: Vec<_> = if with_tokens { doc.tokens.iter().map(|t| token_out(doc, idx, t)).collect() } else { Vec::new() };
    tokens.sort_by_key(|t| (t.start, t.end));
    let mut repairs: Vec<_> = doc
        .repairs
        .iter()
        .map(|r| RepairOut { start: idx.cp(r.span.start), end: idx.cp(r.span.end), text: doc.slice(r.span), replacement: &r.replacement })
        .collect();
    repairs.sort_by_key(|r| (r.start, r.end));
    // Each mention carries its record's subtype: one map, not a scan of the records per
    // mention (quadratic in a long document).
    let subtypes: std::collections::HashMap<&str, &'static str> =
        doc.entity_index.iter().filter_map(|r| Some((r.id.as_str(), r.subtype?))).collect();
    let subtype_of = |id: &str| subtypes.get(id).copied();
    let mut entities: Vec<_> = doc
        .entities
        .iter()
        .map(|e| EntityOut {
            start: idx.cp(e.span.start),
            end: idx.cp(e.span.end),
            text: doc.slice(e.span),
            kind: e.kind.as_str(),
            id: &e.id,
            subtype: subtype_of(&e.id),
        })
        .collect();
    entities.sort_by_key(|e| (e.start, e.end));
    let entity_index = doc
        .entity_index
        .iter()
        .map(|r| EntityRecordOut {
            id: &r.id,
            kind: r.kind.as_str(),
            name: &r.name,
            variants: &r.variants,
            mentions: r.mentions,
            subtype: r.subtype,
            geonameid: r.place.map(|p| p.geonameid),
            country: r.place.as_ref().and_then(|p| p.country_code()),
            lat: r.place.and_then(|p| p.lat).map(degrees),
            lon: r.place.and_then(|p| p.lon).map(degrees),
            place_kind: r.place.map(|p| p.kind.as_str()),
        })
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
        .map(|t| TimeOut {
            start: idx.cp(t.span.start),
            end: idx.cp(t.span.end),
            text: doc.slice(t.span),
            value: t.value.as_deref(),
            modifier: t.modifier.map(|m| m.as_str()),
        })
        .collect();
    times.sort_by_key(|t| (t.start, t.end));
    let mut amounts: Vec<_> = doc
        .amounts
        .iter()
        .map(|a| AmountOut {
            start: idx.cp(a.span.start),
            end: idx.cp(a.span.end),
            text: doc.slice(a.span),
            kind: a.kind.as_str(),
            value: AmountValue(a.value),
            unit: a.unit.as_deref(),
            approx: a.approx,
        })
        .collect();
    amounts.sort_by_key(|a| (a.start, a.end));

    Analysis {
        schema: SCHEMA,
        id: None,
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
        amounts,
    }
}

/// Writes the contract JSON of `doc` to `w` (indented when `pretty`), with `id` after
/// `schema` when given: the one serializer of every surface, streamed so a large document
/// is never held twice in memory (as its analysis and as one string of JSON).
///
/// # Errors
/// Only `w`'s errors.
pub fn write_json(doc: &Document, id: Option<&serde_json::Value>, pretty: bool, w: impl std::io::Write) -> std::io::Result<()> {
    write_json_fields(doc, id, Fields::ALL, pretty, w)
}

/// [`write_json`] of the chosen `fields` only (`schema`, `id` and `text` are always
/// written); with [`Fields::ALL`] the same bytes as [`write_json`].
///
/// # Errors
/// Only `w`'s errors.
pub fn write_json_fields(
    doc: &Document,
    id: Option<&serde_json::Value>,
    fields: Fields,
    pretty: bool,
    w: impl std::io::Write,
) -> std::io::Result<()> {
    let idx = CodepointIndex::new(doc.text());
    let a = analysis_with(doc, &idx, false);
    let has = |f: Field| fields.contains(f);
    // The tokens are most of a document's JSON: they are written one by one from the
    // document instead of being collected as `TokenOut`s first.
    let streamed = Streamed {
        schema: a.schema,
        id,
        text: a.text,
        date: has(Field::Date).then_some(a.date),
        articles: has(Field::Articles).then_some(a.articles),
        sentences: has(Field::Sentences).then_some(a.sentences),
        tokens: has(Field::Tokens).then(|| TokenStream { doc, idx: &idx, order: token_order(doc, &idx) }),
        repairs: has(Field::Repairs).then_some(a.repairs),
        entities: has(Field::Entities).then_some(a.entities),
        entity_index: has(Field::EntityIndex).then_some(a.entity_index),
        quotes: has(Field::Quotes).then_some(a.quotes),
        times: has(Field::Times).then_some(a.times),
        amounts: has(Field::Amounts).then_some(a.amounts),
    };
    let r = if pretty { serde_json::to_writer_pretty(w, &streamed) } else { serde_json::to_writer(w, &streamed) };
    r.map_err(std::io::Error::from)
}

/// [`Analysis`] with its tokens serialized straight from the document (the same JSON),
/// and each field left out when not chosen.
#[derive(Serialize)]
struct Streamed<'a> {
    schema: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a serde_json::Value>,
    text: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    articles: Option<Vec<ArticleOut<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sentences: Option<Vec<SpanOut>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tokens: Option<TokenStream<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    repairs: Option<Vec<RepairOut<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    entities: Option<Vec<EntityOut<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    entity_index: Option<Vec<EntityRecordOut<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    quotes: Option<Vec<QuoteOut<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    times: Option<Vec<TimeOut<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    amounts: Option<Vec<AmountOut<'a>>>,
}

struct TokenStream<'a> {
    doc: &'a Document,
    idx: &'a CodepointIndex,
    order: Vec<u32>,
}

impl Serialize for TokenStream<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.order.iter().map(|&i| token_out(self.doc, self.idx, &self.doc.tokens[i as usize])))
    }
}

/// The contract JSON of the chosen `fields` of `doc`, on one line.
pub fn to_json_fields(doc: &Document, fields: Fields) -> String {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail, and serde_json writes UTF-8.
    let _ = write_json_fields(doc, None, fields, false, &mut out);
    String::from_utf8(out).unwrap_or_default()
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
