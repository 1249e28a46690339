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
    /// Money, percentages, counts and other quantities.
    pub amounts: Vec<Amount>,
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
        self.amounts.clear();
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
    /// Its fine-grained type (`Politician`, `Nation`, `Media`; `ner::subtype::SUBTYPES`),
    /// voted by its mentions; `None` when no type fits or no classifier ran.
    pub subtype: Option<&'static str>,
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
    /// Beyond ISO 8601 (TimeML's forms): `2016-Q1` (quarter), `2020-H1` (half year),
    /// `2017-WI`/`SP`/`SU`/`FA` (season), and `H1441-09` (a Hijri month without a day).
    pub value: Option<String>,
    /// Which part of the period the text means (`مطلع` → start), if it says.
    pub modifier: Option<TimeMod>,
}

/// The part of a period a time expression points at (TimeML's `mod`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimeMod {
    /// `مطلع`، `بداية`، `أوائل`، `مستهل`.
    Start,
    /// `منتصف`، `أواسط`.
    Mid,
    /// `نهاية`، `أواخر`، `آخر`، `ختام`.
    End,
}

impl TimeMod {
    /// The contract's name: `START`, `MID`, `END`.
    pub fn as_str(self) -> &'static str {
        match self {
            TimeMod::Start => "START",
            TimeMod::Mid => "MID",
            TimeMod::End => "END",
        }
    }
}

/// What an [`Amount`] measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AmountKind {
    /// A sum of money; the unit is an ISO 4217 code (or the currency word as written).
    Money,
    /// A percentage; the unit is `%`.
    Percent,
    /// A number of things; the unit is the counted noun as written, without clitics.
    Count,
    /// Any other quantity (a score, a bare figure); no unit.
    Number,
}

impl AmountKind {
    /// The contract's name: `money`, `percent`, `count`, `number`.
    pub fn as_str(self) -> &'static str {
        match self {
            AmountKind::Money => "money",
            AmountKind::Percent => "percent",
            AmountKind::Count => "count",
            AmountKind::Number => "number",
        }
    }

    /// Parses the contract's name.
    pub fn parse(s: &str) -> Option<AmountKind> {
        Some(match s {
            "money" => AmountKind::Money,
            "percent" => AmountKind::Percent,
            "count" => AmountKind::Count,
            "number" => AmountKind::Number,
            _ => return None,
        })
    }
}

/// A quantity written in the text, with its value.
#[derive(Debug, Clone, PartialEq)]
pub struct Amount {
    /// From the number (after any clitic) to the end of its unit; cue words such as
    /// `نحو` stay outside.
    pub span: Span,
    /// Its kind.
    pub kind: AmountKind,
    /// The value in units of `unit` (scale words multiplied in: `2.5 مليار` is 2.5e9).
    /// Always finite.
    pub value: f64,
    /// ISO 4217 code, `%`, or the counted noun; `None` for a bare number.
    pub unit: Option<String>,
    /// Whether the text gives it as approximate (`نحو`، `أكثر من`…).
    pub approx: bool,
}
