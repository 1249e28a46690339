//! Light stemming with the Snowball Arabic algorithm (`rust-stemmers`).
//!
//! Snowball Arabic removes diacritics, normalizes hamza forms and strips the common
//! prefixes and suffixes; it is the stemmer Lucene and Elasticsearch ship for Arabic.
//! It costs about a microsecond per word, so stems are memoized per thread: news
//! vocabulary is Zipfian and most words repeat within a few documents.

use std::cell::RefCell;

use rust_stemmers::{Algorithm, Stemmer as Snowball};
use rustc_hash::FxHashMap;

/// Entries kept per thread before the memo is cleared (bounded memory: ~10 MB).
const MEMO_CAPACITY: usize = 100_000;

thread_local! {
    static MEMO: RefCell<FxHashMap<Box<str>, Box<str>>> = RefCell::new(FxHashMap::default());
}

/// A reusable stemmer (construction allocates tables once).
pub struct Stemmer {
    inner: Snowball,
}

impl Default for Stemmer {
    fn default() -> Self {
        Stemmer { inner: Snowball::create(Algorithm::Arabic) }
    }
}

impl std::fmt::Debug for Stemmer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Stemmer(snowball-arabic)")
    }
}

impl Stemmer {
    /// The light stem of `word`, computed by Snowball.
    pub fn stem<'a>(&self, word: &'a str) -> std::borrow::Cow<'a, str> {
        self.inner.stem(word)
    }

    /// The light stem of `word`, memoized per thread.
    pub fn stem_cached(&self, word: &str) -> String {
        MEMO.with(|m| {
            let mut m = m.borrow_mut();
            if let Some(s) = m.get(word) {
                return s.to_string();
            }
            let s = self.inner.stem(word).into_owned();
            if m.len() >= MEMO_CAPACITY {
                m.clear();
            }
            m.insert(word.into(), s.as_str().into());
            s
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_common_affixes() {
        let s = Stemmer::default();
        assert_eq!(s.stem("رحبت"), "رحب");
        assert_eq!(s.stem("المعلمون"), "معلم");
        assert_eq!(s.stem("معلمون"), "معلم");
    }

    #[test]
    fn memo_gives_the_same_stems() {
        let s = Stemmer::default();
        for w in ["رحبت", "والمعلمون", "رحبت", "السراج"] {
            assert_eq!(s.stem_cached(w), s.stem(w));
        }
    }
}
