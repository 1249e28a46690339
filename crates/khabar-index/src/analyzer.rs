//! khabar's Arabic analysis as a tantivy [`Tokenizer`].
//!
//! Each word of the text becomes one index term: the word's **base** after clitic
//! segmentation (`وحفتر` → `و` + `حفتر`), normalized with the `search` profile
//! (`فائز` → `فايز`, `المتحدة` → `المتحده`), then light-stemmed (Snowball Arabic). Numbers
//! and Latin words are indexed by their normalized form; punctuation and symbols give no
//! term. Glued words repaired by the text layer give one term per part.
//!
//! Offsets are **byte offsets into the original text** (tantivy's rule: filters may change
//! a token's text, never its offsets), so snippets highlight the words exactly as the article
//! wrote them, diacritics, tatweel and clitics included:
//!
//! ```text
//! original  وَلِحفتر   قال
//! term      حفتر       قال
//! offsets   0..14      15..21
//! ```
//!
//! Documents and queries go through the same function, [`terms`], so `حفتر` matches
//! `وحفتر` and `لحفتر`, and `الامم المتحده` matches `الأمم المتحدة`.
//!
//! **Place names are not stemmed.** Snowball cuts `السعودية` to `سعود` and `العراق` to `عرق`,
//! so a search for the country would find the given name and the word for sweat. A word that
//! the knowledge base knows as a country, continent or city of 100,000 people or more, or a
//! country's nationality adjective ([`PlaceNames`]), is indexed as its normalized base
//! without the article (`السعودية`, `للسعودية` →
//! `سعوديه`; `العراق` → `عراق`). Both sides of a search go through the same rule, so the name
//! still meets its clitic and spelling variants, and never a different word. The price is
//! that such a word's own inflections (a feminine or plural of an adjective that is also a
//! city's name) no longer meet it; the population floor keeps that to real cities.
//!
//! The analyzer's rules are part of an index: [`TOKENIZER_NAME`] names this version of them,
//! and an index built with another is refused when opened (rebuild it with `khabar index`).

use std::sync::{Arc, OnceLock};

use khabar::{Pipeline, Token, TokenKind};
use khabar_kb::countries::Countries;
use khabar_kb::{Kb, Kind, Source};
use khabar_text::normalize::normalize_into;
use khabar_text::stem::Stemmer;
use khabar_text::Profile;
use rustc_hash::FxHashSet;
use tantivy::tokenizer::{Token as TantivyToken, TokenStream, Tokenizer};

/// The name the tokenizer is registered under in every khabar index. It carries the
/// analyzer's version: `khabar_ar` stemmed place names, `khabar_ar2` keeps them whole.
pub const TOKENIZER_NAME: &str = "khabar_ar2";

/// The smallest population of a city whose name is kept whole. Smaller places are more
/// often named by ordinary words (`النصر`, `الحرية`); a word that names only those is stemmed
/// as any other word.
pub const CITY_POPULATION_FLOOR: u32 = 100_000;

/// Single-word place names that the analyzer never stems, as `search`-normalized words
/// without the article (`سعوديه`, `عراق`, `جزائر`), and the nationality adjectives of
/// countries (`سعودي`, `ليبيه`), which Snowball would cut to a given name or a root as well.
#[derive(Debug, Default)]
pub struct PlaceNames {
    words: FxHashSet<Box<str>>,
}

impl PlaceNames {
    /// The single-word countries, continents and cities of at least
    /// [`CITY_POPULATION_FLOOR`] people of `kb`, from outside sources only (GeoNames, CLDR,
    /// the curated list: a name a training corpus tagged as a place once is not enough), and
    /// the adjectives of `countries`. Subdivisions are left out: CLDR gives them no
    /// population, and many are ordinary words (`الشرقية`, `الشمال`, `الداخلية`).
    pub fn new(kb: &Kb, countries: &Countries) -> PlaceNames {
        let mut words = FxHashSet::default();
        kb.for_each(|key, candidates| {
            if key.contains(' ') {
                return;
            }
            let is_place = candidates.into_iter().any(|c| {
                c.source != Source::Corpus
                    && match c.kind {
                        Kind::Country | Kind::Continent => true,
                        Kind::City => c.prior >= CITY_POPULATION_FLOOR,
                        _ => false,
                    }
            });
            if is_place {
                words.insert(without_article(key).into());
            }
        });
        for adjective in countries.adjectives().filter(|a| !a.contains(' ')) {
            words.insert(without_article(adjective).into());
        }
        PlaceNames { words }
    }

    /// The place names of the built-in knowledge base and country table (built once per
    /// process; empty if they do not load, when every word is stemmed).
    pub fn builtin() -> Arc<PlaceNames> {
        static CELL: OnceLock<Arc<PlaceNames>> = OnceLock::new();
        CELL.get_or_init(|| {
            Arc::new(match (khabar::models::kb(), khabar::models::countries()) {
                (Ok(kb), Ok(countries)) => PlaceNames::new(&kb, &countries),
                _ => PlaceNames::default(),
            })
        })
        .clone()
    }

    /// Whether `word` (normalized, with or without the article) is a kept place name.
    pub fn contains(&self, word: &str) -> bool {
        self.words.contains(without_article(word))
    }

    /// The kept place name `word` is, once the clitics the segmenter left on it are taken off
    /// (`للسعوديه`, `وبمصر`): the normalized name without the article, or `None`.
    pub fn name_in<'w>(&self, word: &'w str) -> Option<&'w str> {
        // Conjunction, then preposition, then article; `لل` is `ل` + `ال` with the alef
        // dropped. Each cut must leave at least three letters.
        const CONJUNCTIONS: [&str; 3] = ["", "و", "ف"];
        const PREPOSITIONS: [&str; 5] = ["", "ب", "ك", "ل", "لل"];
        for c in CONJUNCTIONS {
            let Some(rest) = word.strip_prefix(c) else { continue };
            for p in PREPOSITIONS {
                let Some(rest) = rest.strip_prefix(p) else { continue };
                let name = without_article(rest);
                if name.chars().count() >= 3 && self.words.contains(name) {
                    return Some(name);
                }
            }
        }
        None
    }

    /// How many names are kept.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// Whether no name is kept.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

/// `word` without a leading `ال` when at least two letters remain.
fn without_article(word: &str) -> &str {
    match word.strip_prefix("ال") {
        Some(rest) if rest.chars().count() >= 2 => rest,
        _ => word,
    }
}

/// One index term with the original byte span it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// Byte offset of the word's first byte in the analyzed text.
    pub start: usize,
    /// Byte offset one past the word's last byte.
    pub end: usize,
    /// The term (normalized, segmented, stemmed).
    pub text: String,
}

/// The term of one analyzed token, or `None` for punctuation and symbols.
pub fn term_of(token: &Token, stemmer: &Stemmer, places: &PlaceNames) -> Option<String> {
    match token.kind {
        TokenKind::Word => {
            let base = token
                .segments
                .get(token.base)
                .map(String::as_str)
                .unwrap_or("");
            let mut norm = String::with_capacity(base.len());
            normalize_into(base, Profile::Search, &mut norm);
            if norm.is_empty() {
                norm.clone_from(&token.norm);
            }
            if norm.is_empty() {
                return None;
            }
            // The whole word first, then the base: the segmenter may read a name's last
            // letter as a suffix (`للسعوديه` as `…سعودي` + the pronoun `ه`). `token.norm` is
            // in the `search` profile in the pipelines the index uses.
            if let Some(name) = places.name_in(&token.norm).or_else(|| places.name_in(&norm)) {
                return Some(name.to_string());
            }
            // Snowball needs a few letters to work on; very short bases stay as they are.
            if norm.chars().count() <= 3 {
                return Some(norm);
            }
            let stem = stemmer.stem_cached(&norm);
            Some(if stem.chars().count() >= 2 {
                stem
            } else {
                norm
            })
        }
        TokenKind::Number | TokenKind::Latin => {
            (!token.norm.is_empty()).then(|| token.norm.clone())
        }
        TokenKind::Punct | TokenKind::Symbol => None,
    }
}

/// The index terms of `text`, in order, with their original byte offsets.
///
/// `pipeline` should be a text-only pipeline ([`text_pipeline`]); a text it refuses (over
/// its size limit) gives no terms.
pub fn terms(pipeline: &Pipeline, stemmer: &Stemmer, places: &PlaceNames, text: &str) -> Vec<Term> {
    match pipeline.analyze(text, None) {
        Ok(doc) => terms_of_tokens(doc.tokens(), stemmer, places),
        Err(_) => Vec::new(),
    }
}

/// The index terms of tokens that were already analyzed (by any pipeline).
pub fn terms_of_tokens(tokens: &[Token], stemmer: &Stemmer, places: &PlaceNames) -> Vec<Term> {
    tokens
        .iter()
        .filter_map(|t| {
            term_of(t, stemmer, places).map(|text| Term {
                start: t.span.start as usize,
                end: t.span.end as usize,
                text,
            })
        })
        .collect()
}

/// A text-layer-only pipeline on the built-in models (tokens, repair, segments, stems).
///
/// # Errors
/// When the built-in models are missing or damaged.
pub fn text_pipeline() -> khabar::Result<Pipeline> {
    Pipeline::builder().text_only(true).build()
}

/// khabar's analysis as a tantivy tokenizer (cheap to clone: the pipeline is shared).
#[derive(Clone)]
pub struct ArabicTokenizer {
    pipeline: Arc<Pipeline>,
    stemmer: Arc<Stemmer>,
    places: Arc<PlaceNames>,
}

impl std::fmt::Debug for ArabicTokenizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ArabicTokenizer")
    }
}

impl ArabicTokenizer {
    /// A tokenizer running `pipeline`'s text layer.
    pub fn new(pipeline: Arc<Pipeline>) -> ArabicTokenizer {
        ArabicTokenizer {
            pipeline,
            stemmer: Arc::new(Stemmer::default()),
            places: PlaceNames::builtin(),
        }
    }

    /// A tokenizer on the built-in models.
    ///
    /// # Errors
    /// When the built-in models are missing or damaged.
    pub fn builtin() -> khabar::Result<ArabicTokenizer> {
        Ok(ArabicTokenizer::new(Arc::new(text_pipeline()?)))
    }

    /// The terms of `text` (what the token stream yields).
    pub fn terms(&self, text: &str) -> Vec<Term> {
        terms(&self.pipeline, &self.stemmer, &self.places, text)
    }

    /// The terms of tokens another pipeline already analyzed, by this tokenizer's rules
    /// (the index writer reuses the full pipeline's tokens this way).
    pub fn terms_of_tokens(&self, tokens: &[Token]) -> Vec<Term> {
        terms_of_tokens(tokens, &self.stemmer, &self.places)
    }
}

/// The token stream of [`ArabicTokenizer`].
pub struct ArabicTokenStream {
    terms: std::vec::IntoIter<Term>,
    token: TantivyToken,
    position: usize,
}

impl Tokenizer for ArabicTokenizer {
    type TokenStream<'a> = ArabicTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> ArabicTokenStream {
        ArabicTokenStream {
            terms: self.terms(text).into_iter(),
            token: TantivyToken::default(),
            position: 0,
        }
    }
}

impl TokenStream for ArabicTokenStream {
    fn advance(&mut self) -> bool {
        match self.terms.next() {
            Some(t) => {
                self.token.offset_from = t.start;
                self.token.offset_to = t.end;
                self.token.position = self.position;
                self.token.position_length = 1;
                self.token.text = t.text;
                self.position += 1;
                true
            }
            None => false,
        }
    }

    fn token(&self) -> &TantivyToken {
        &self.token
    }

    fn token_mut(&mut self) -> &mut TantivyToken {
        &mut self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(text: &str) -> Vec<String> {
        let tok = ArabicTokenizer::builtin().unwrap();
        tok.terms(text).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn clitics_and_spelling_variants_meet() {
        assert_eq!(t("حفتر"), t("وحفتر"));
        assert_eq!(t("حفتر"), t("لحفتر"));
        assert_eq!(t("فايز"), t("فائز"));
        assert_eq!(t("الامم المتحده"), t("الأمم المتحدة"));
        assert_eq!(t("الرئيس"), t("والرئيس"));
    }

    #[test]
    fn a_place_name_does_not_meet_the_word_its_stem_would_be() {
        assert_ne!(t("السعودية"), t("سعود"));
        assert_ne!(t("العراق"), t("عرق"));
        assert_ne!(t("الجزائر"), t("جزر"));
        // …while it still meets its clitic and spelling variants.
        assert_eq!(t("السعودية"), t("والسعودية"));
        assert_eq!(t("السعودية"), t("للسعوديه"));
        assert_eq!(t("السعودية"), t("بالسعودية"));
        assert_eq!(t("العراق"), t("والعراق"));
        assert_eq!(t("العراق"), t("عراق"));
        assert_eq!(t("مصر"), t("وبمصر"));
        assert_ne!(t("السعودي"), t("سعود"), "nor does its adjective");
        // Ordinary words are stemmed as before.
        assert_eq!(t("المدارس"), t("والمدارس"));
    }

    #[test]
    fn kept_place_names_come_from_outside_sources_and_skip_small_places() {
        let places = PlaceNames::builtin();
        assert!(places.contains("سعوديه"));
        assert!(places.contains("العراق"));
        assert!(places.contains("مصر"));
        assert!(places.contains("الليبيه"), "nationality adjectives are kept");
        assert!(!places.contains("سعود"), "a given name is not a place");
        assert!(!places.contains("الشرقيه"), "subdivisions are not kept");
        assert!(places.len() > 200, "{} names", places.len());
    }

    #[test]
    fn offsets_point_into_the_original() {
        let text = "قال المشير وَلِحفتر: «الأُمم المتحـــدة» 2017";
        let tok = ArabicTokenizer::builtin().unwrap();
        let terms = tok.terms(text);
        let surfaces: Vec<&str> = terms.iter().map(|t| &text[t.start..t.end]).collect();
        assert_eq!(
            surfaces,
            ["قال", "المشير", "وَلِحفتر", "الأُمم", "المتحـــدة", "2017"]
        );
    }

    #[test]
    fn token_stream_positions_are_consecutive() {
        let mut tok = ArabicTokenizer::builtin().unwrap();
        let mut s = tok.token_stream("الأمم ، المتحدة .");
        let mut pos = Vec::new();
        while s.advance() {
            pos.push(s.token().position);
        }
        assert_eq!(pos, [0, 1]);
    }
}
