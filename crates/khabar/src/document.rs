use std::sync::Arc;

use khabar_text::{Span, TokenKind};

use crate::Date;

/// One analyzed text: the original, verbatim, and every layer as spans into it.
///
/// Spans are byte offsets internally; [`crate::output::v1`] converts them to the
/// contract's code point offsets once, at output.
#[derive(Debug, Clone, Default)]
pub struct Document {
    text: Arc<str>,
    /// Publication date used to resolve relative times.
    pub date: Option<Date>,
    /// Story boundaries, each with its headline when it has one.
    pub articles: Vec<Article>,
    /// Sentence spans.
    pub sentences: Vec<Span>,
    /// Tokens, after glued-word repair.
    pub tokens: Vec<Token>,
    /// Glued words that were split.
    pub repairs: Vec<Repair>,
    /// Named-entity mentions.
    pub entities: Vec<Entity>,
    /// One record per real-world entity, joined across mentions.
    pub entity_index: Vec<EntityRecord>,
    /// Direct and indirect speech.
    pub quotes: Vec<Quote>,
    /// Temporal expressions.
    pub times: Vec<Time>,
}

impl Document {
    /// A document holding `text`, with no annotations yet.
    pub fn new(text: impl Into<Arc<str>>, date: Option<Date>) -> Document {
        Document { text: text.into(), date, ..Default::default() }
    }

    /// The original text, exactly as given.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The original text, shared (cheap to clone).
    pub fn shared_text(&self) -> Arc<str> {
        Arc::clone(&self.text)
    }

    /// The original text behind a span.
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.range()).unwrap_or("")
    }

    /// Tokens (a convenience for `&doc.tokens`).
    pub fn tokens(&self) -> &[Token] {
        &self.tokens
    }

    /// Replaces the text and clears every layer, keeping allocations for reuse.
    pub fn reset(&mut self, text: impl Into<Arc<str>>, date: Option<Date>) {
        self.text = text.into();
        self.date = date;
        self.articles.clear();
        self.sentences.clear();
        self.tokens.clear();
        self.repairs.clear();
        self.entities.clear();
        self.entity_index.clear();
        self.quotes.clear();
        self.times.clear();
    }
}

/// A document with raw tokens and sentences only (no repair, norms, segments or models),
/// so a later stage (articles, linking, quotes, times) can be run or tested alone on
/// mentions placed by hand. The stage modules' tests and the integration tests share it.
pub fn bare_document(text: &str, date: Option<Date>) -> Document {
    let mut d = Document::new(text, date);
    let raw = khabar_text::tokenize(text);
    d.sentences = khabar_text::split_sentences(text, &raw);
    d.tokens = raw
        .iter()
        .map(|t| Token { span: t.span, kind: t.kind, norm: String::new(), segments: vec![], base: 0, stem: None, repaired: false })
        .collect();
    d
}

/// A token: a span of the original with its analyses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Byte span in the original text (for a repaired token: its part of the glued word).
    pub span: Span,
    /// Its kind.
    pub kind: TokenKind,
    /// The normalized form (the pipeline's profile, `search` by default).
    pub norm: String,
    /// Clitic segments in reading order, as written in khabar's scheme.
    pub segments: Vec<String>,
    /// Index into `segments` of the base (the rest are clitics).
    pub base: usize,
    /// The light stem, for words.
    pub stem: Option<String>,
    /// Whether this token came from splitting a glued word.
    pub repaired: bool,
}

/// A glued word and its corrected spacing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repair {
    /// The glued word's span in the original.
    pub span: Span,
    /// The word with the missing spaces inserted.
    pub replacement: String,
}

/// A story inside the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    /// The whole story, headline included.
    pub span: Span,
    /// The headline line that opens it, if any.
    pub headline: Option<Span>,
}

/// ANERcorp's entity classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntityType {
    /// Persons.
    Pers,
    /// Locations.
    Loc,
    /// Organizations.
    Org,
    /// Other names (events, products, nationalities…).
    Misc,
}

impl EntityType {
    /// The contract's name.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Pers => "PERS",
            EntityType::Loc => "LOC",
            EntityType::Org => "ORG",
            EntityType::Misc => "MISC",
        }
    }

    /// Parses `PERS`, `LOC`, `ORG`, `MISC`.
    pub fn parse(s: &str) -> Option<EntityType> {
        match s {
            "PERS" | "PER" => Some(EntityType::Pers),
            "LOC" => Some(EntityType::Loc),
            "ORG" => Some(EntityType::Org),
            "MISC" => Some(EntityType::Misc),
            _ => None,
        }
    }
}

/// A mention of a named entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entity {
    /// The mention's span (clitics such as و/ل/ب excluded where the tokens allow).
    pub span: Span,
    /// Its class.
    pub kind: EntityType,
    /// The `EntityRecord` it belongs to (`E1`, `E2`, …).
    pub id: String,
}

/// One real-world entity of the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityRecord {
    /// `E1`, `E2`, … in order of first mention.
    pub id: String,
    /// Its class.
    pub kind: EntityType,
    /// The fullest form among its mentions.
    pub name: String,
    /// Every distinct surface form.
    pub variants: Vec<String>,
    /// Number of mentions.
    pub mentions: usize,
    /// The place in GeoNames it names, when it is a place the `places` stage resolved.
    pub place: Option<Place>,
}

/// A place resolved against GeoNames (`entity_index[].geonameid` … in the contract).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Place {
    /// The GeoNames id.
    pub geonameid: u32,
    /// ISO 3166-1 alpha-2 code of its country (none for a continent).
    pub country: Option<[u8; 2]>,
    /// Latitude, when known (a country's is its capital's).
    pub lat: Option<f32>,
    /// Longitude, when known.
    pub lon: Option<f32>,
    /// What kind of place it is.
    pub kind: PlaceKind,
}

// Coordinates are never NaN (unknown ones are `None`), so equality is an equivalence.
impl Eq for Place {}

impl Place {
    /// The country code as text (`LY`).
    pub fn country_code(&self) -> Option<&str> {
        self.country.as_ref().and_then(|c| std::str::from_utf8(c).ok())
    }
}

/// The contract's `place_kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlaceKind {
    /// A sovereign state or territory.
    Country,
    /// A populated place.
    City,
    /// A subdivision or world region.
    Region,
    /// A continent.
    Continent,
}

impl PlaceKind {
    /// `country`, `city`, `region`, `continent`.
    pub fn as_str(self) -> &'static str {
        match self {
            PlaceKind::Country => "country",
            PlaceKind::City => "city",
            PlaceKind::Region => "region",
            PlaceKind::Continent => "continent",
        }
    }
}

/// Reported speech.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    /// The words said, without the cue or the quote marks.
    pub span: Span,
    /// The reporting verb as written.
    pub cue: Option<String>,
    /// The speaker's entity id.
    pub speaker: Option<String>,
    /// The speaker's text span, when the text names one.
    pub speaker_span: Option<Span>,
}

/// A temporal expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Time {
    /// The expression's span.
    pub span: Span,
    /// ISO 8601 value at the text's precision, or `None` when it cannot be resolved.
    pub value: Option<String>,
}
