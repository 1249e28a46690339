//! Glued-word repair: finds tokens that are two or more words written without a space
//! (`الولاياتالمتحدة`) and says where the spaces go.
//!
//! (Being built: the lexicon-driven model replaces this placeholder, which splits nothing.)

use crate::lexicon::Lexicon;

/// Decides whether, and where, to split glued words.
#[derive(Debug, Default)]
pub struct Repairer {
    lexicon: Lexicon,
}

impl Repairer {
    /// A repairer over a frequency lexicon.
    pub fn new(lexicon: Lexicon) -> Repairer {
        Repairer { lexicon }
    }

    /// The lexicon it uses.
    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    /// Byte offsets inside `word` (its surface form) where a space is missing, in
    /// increasing order; `None` when the word should stay whole.
    pub fn split(&self, _word: &str) -> Option<Vec<usize>> {
        None
    }
}
