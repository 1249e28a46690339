//! Entity linking within a document: one id per real-world entity. (Being built: this placeholder adds nothing.)

use crate::{Annotator, Document, Result};

/// The `link` stage.
#[derive(Debug, Default)]
pub struct EntityLinker {}

impl Annotator for EntityLinker {
    fn name(&self) -> &'static str {
        "link"
    }
    fn annotate(&self, _doc: &mut Document) -> Result<()> {
        Ok(())
    }
}
