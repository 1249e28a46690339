//! Clitic segmentation: proclitics, base, pronominal enclitics.
//!
//! (Being built: the trained model replaces this placeholder, which keeps every word whole.)

use khabar_model::Blob;

use crate::Result;

/// The role of a segment inside its word.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SegmentRole {
    /// A prefix clitic: و ف ب ك ل س or the article ال.
    Proclitic,
    /// The word's base (stem with its inflectional endings).
    Base,
    /// A pronominal suffix clitic: ه ها هم هما هن ك كم كن ي ني نا.
    Enclitic,
}

/// One segment of a word.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    /// Byte range inside the word's surface string.
    pub range: std::ops::Range<usize>,
    /// The segment as written in the scheme (may differ from the surface: `لل` → `ل` + `ال`).
    pub form: String,
    /// Its role.
    pub role: SegmentRole,
}

/// A trained clitic segmenter.
#[derive(Debug, Default)]
pub struct Segmenter {}

impl Segmenter {
    /// Loads a segmenter model.
    ///
    /// # Errors
    /// A model error when the bytes are not a valid segmenter model.
    pub fn from_blob(_blob: Blob) -> Result<Segmenter> {
        Ok(Segmenter {})
    }

    /// Segments one word (its surface form as written, diacritics and all).
    pub fn segment(&self, word: &str) -> Vec<Segment> {
        vec![Segment { range: 0..word.len(), form: word.to_string(), role: SegmentRole::Base }]
    }
}
