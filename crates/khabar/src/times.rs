//! Temporal expressions resolved against the document date. (Being built: this placeholder adds nothing.)

use crate::{Annotator, Document, Result};

/// The `times` stage.
#[derive(Debug, Default)]
pub struct TimeResolver {}

impl Annotator for TimeResolver {
    fn name(&self) -> &'static str {
        "times"
    }
    fn annotate(&self, _doc: &mut Document) -> Result<()> {
        Ok(())
    }
}
