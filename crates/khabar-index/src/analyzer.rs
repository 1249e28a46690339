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

use std::sync::Arc;

use khabar::{Pipeline, Token, TokenKind};
use khabar_text::normalize::normalize_into;
use khabar_text::stem::Stemmer;
use khabar_text::Profile;
use tantivy::tokenizer::{Token as TantivyToken, TokenStream, Tokenizer};

/// The name the tokenizer is registered under in every khabar index.
pub const TOKENIZER_NAME: &str = "khabar_ar";

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
pub fn term_of(token: &Token, stemmer: &Stemmer) -> Option<String> {
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
pub fn terms(pipeline: &Pipeline, stemmer: &Stemmer, text: &str) -> Vec<Term> {
    match pipeline.analyze(text, None) {
        Ok(doc) => terms_of_tokens(doc.tokens(), stemmer),
        Err(_) => Vec::new(),
    }
}

/// The index terms of tokens that were already analyzed (by any pipeline).
pub fn terms_of_tokens(tokens: &[Token], stemmer: &Stemmer) -> Vec<Term> {
    tokens
        .iter()
        .filter_map(|t| {
            term_of(t, stemmer).map(|text| Term {
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
        terms(&self.pipeline, &self.stemmer, text)
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
