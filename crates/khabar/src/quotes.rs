//! Direct and indirect reported speech with cue and speaker. (Being built: this placeholder adds nothing.)

use crate::{Annotator, Document, Result};

/// The `quotes` stage.
#[derive(Debug, Default)]
pub struct QuoteFinder {}

impl Annotator for QuoteFinder {
    fn name(&self) -> &'static str {
        "quotes"
    }
    fn annotate(&self, _doc: &mut Document) -> Result<()> {
        Ok(())
    }
}
