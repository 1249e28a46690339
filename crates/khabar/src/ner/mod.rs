//! Named-entity recognition. (Being built: the trained tagger replaces this placeholder,
//! which finds nothing.)

use khabar_model::Blob;

use crate::{Annotator, Document, Result};

/// The NER stage: tags tokens with ANERcorp's classes and fills `entities`.
pub struct NerTagger {}

impl NerTagger {
    /// Loads a NER model.
    ///
    /// # Errors
    /// A model error when the bytes are not a valid NER model.
    pub fn from_blob(_blob: Blob) -> Result<NerTagger> {
        Ok(NerTagger {})
    }
}

impl Annotator for NerTagger {
    fn name(&self) -> &'static str {
        "ner"
    }
    fn annotate(&self, _doc: &mut Document) -> Result<()> {
        Ok(())
    }
}
