//! Light stemming with the Snowball Arabic algorithm (`rust-stemmers`).
//!
//! Snowball Arabic removes diacritics, normalizes hamza forms and strips the common
//! prefixes and suffixes; it is the stemmer Lucene and Elasticsearch ship for Arabic.

use rust_stemmers::{Algorithm, Stemmer as Snowball};

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
    /// The light stem of `word`.
    pub fn stem<'a>(&self, word: &'a str) -> std::borrow::Cow<'a, str> {
        self.inner.stem(word)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_common_affixes() {
        let s = Stemmer::default();
        assert_eq!(s.stem("رحبت"), "رحب");
        assert_eq!(s.stem("والمعلمون"), "معلم");
    }
}
