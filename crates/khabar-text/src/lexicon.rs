//! A word-frequency lexicon over `search`-normalized forms, stored as an `fst::Map`.
//!
//! (Being built: `khabar train lexicon` writes the real artifact.)

use khabar_model::Blob;

use crate::Result;

/// Word counts, looked up without copying the map out of its storage.
#[derive(Debug, Default)]
pub struct Lexicon {}

impl Lexicon {
    /// Loads a lexicon artifact.
    ///
    /// # Errors
    /// A model error when the bytes are not a valid lexicon.
    pub fn from_blob(_blob: Blob) -> Result<Lexicon> {
        Ok(Lexicon {})
    }

    /// How often the normalized `word` was seen (0 when unknown).
    pub fn count(&self, _word: &str) -> u64 {
        0
    }
}
