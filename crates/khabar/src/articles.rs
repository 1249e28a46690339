//! Story boundaries and headlines in concatenated news text. (Being built: this placeholder adds nothing.)

use crate::{Annotator, Document, Result};

/// The `articles` stage.
#[derive(Debug, Default)]
pub struct ArticleDetector {}

impl Annotator for ArticleDetector {
    fn name(&self) -> &'static str {
        "articles"
    }
    fn annotate(&self, _doc: &mut Document) -> Result<()> {
        Ok(())
    }
}
