use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::path::{Path, PathBuf};
use std::time::Duration;

use khabar_model::Blob;
use khabar_text::Profile;

use crate::text_layer::TextLayer;
use crate::{Date, Document, Error, Fields, Result};

/// The largest document [`Pipeline::analyze`] accepts, in bytes (16 MiB: about fifty
/// times the longest SaudiNewsNet article). Larger inputs are refused with
/// [`Error::InputTooLarge`] instead of exhausting memory.
pub const MAX_DOCUMENT_BYTES: usize = 16 << 20;

/// One stage of the pipeline. Stages run in a fixed order, each reading the layers
/// before it and adding its own.
pub trait Annotator: Send + Sync {
    /// A short name for messages and benchmarks.
    fn name(&self) -> &'static str;
    /// Adds this stage's layer to `doc`.
    ///
    /// # Errors
    /// Only for failures that make the document unusable; bad text is never an error.
    fn annotate(&self, doc: &mut Document) -> Result<()>;
}

/// The analysis pipeline: text layer, then the layers that build on it.
///
/// Build one and share it (`Arc<Pipeline>`) across threads: analysis takes `&self`.
pub struct Pipeline {
    stages: Vec<Box<dyn Annotator>>,
    max_bytes: usize,
}

impl std::fmt::Debug for Pipeline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<_> = self.stages.iter().map(|s| s.name()).collect();
        f.debug_struct("Pipeline").field("stages", &names).finish()
    }
}

impl Pipeline {
    /// The full pipeline on the models compiled into the library.
    ///
    /// # Errors
    /// When built without the `embedded-model` feature, or if an embedded model is damaged.
    pub fn builtin() -> Result<Pipeline> {
        PipelineBuilder::default().build()
    }

    /// A builder for a pipeline with other models, profile or layers.
    pub fn builder() -> PipelineBuilder {
        PipelineBuilder::default()
    }

    /// Analyzes one text.
    ///
    /// # Errors
    /// [`Error::InputTooLarge`] above the size limit.
    pub fn analyze(&self, text: &str, date: Option<Date>) -> Result<Document> {
        let mut doc = Document::default();
        self.analyze_into(text, date, &mut doc)?;
        Ok(doc)
    }

    /// Analyzes `text` into `doc`, reusing its allocations.
    ///
    /// # Errors
    /// As [`Pipeline::analyze`].
    pub fn analyze_into(&self, text: &str, date: Option<Date>, doc: &mut Document) -> Result<()> {
        self.analyze_with(text, date, doc, &mut Watch::default())
    }

    /// Analyzes `text` into `doc` under `watch`: the analysis stops with
    /// [`Error::Cancelled`] at the first stage boundary after `watch`'s flag is raised
    /// (a server whose client went away or whose deadline passed), and `watch` hears how
    /// long each stage took (`khabar bench`).
    ///
    /// # Errors
    /// As [`Pipeline::analyze`], and [`Error::Cancelled`].
    pub fn analyze_with(&self, text: &str, date: Option<Date>, doc: &mut Document, watch: &mut Watch<'_>) -> Result<()> {
        self.analyze_fields_with(text, date, Fields::ALL, doc, watch)
    }

    /// Analyzes one text for the chosen `fields` only: the stages no chosen field needs
    /// do not run (see [`crate::fields`]), and their layers stay empty.
    ///
    /// # Errors
    /// As [`Pipeline::analyze`].
    pub fn analyze_fields(&self, text: &str, date: Option<Date>, fields: Fields) -> Result<Document> {
        let mut doc = Document::default();
        self.analyze_fields_with(text, date, fields, &mut doc, &mut Watch::default())?;
        Ok(doc)
    }

    /// [`Pipeline::analyze_with`] for the chosen `fields` only.
    ///
    /// # Errors
    /// As [`Pipeline::analyze_with`].
    pub fn analyze_fields_with(&self, text: &str, date: Option<Date>, fields: Fields, doc: &mut Document, watch: &mut Watch<'_>) -> Result<()> {
        if text.len() > self.max_bytes {
            return Err(Error::InputTooLarge { len: text.len(), max: self.max_bytes });
        }
        doc.reset(Arc::<str>::from(text), date);
        // The long stages also look at the flag between sentences (see `stopped`).
        let _stop = StopGuard::set(watch.cancel.clone());
        for stage in self.stages.iter().filter(|s| fields.need_stage(s.name())) {
            if watch.cancelled() {
                return Err(Error::Cancelled);
            }
            let start = std::time::Instant::now();
            stage.annotate(doc)?;
            if let Some(f) = watch.on_stage.as_mut() {
                f(stage.name(), start.elapsed());
            }
        }
        if watch.cancelled() {
            return Err(Error::Cancelled);
        }
        Ok(())
    }

    /// The stages, in order.
    pub fn stage_names(&self) -> Vec<&'static str> {
        self.stages.iter().map(|s| s.name()).collect()
    }
}

/// What a caller of [`Pipeline::analyze_with`] watches over: a cancellation flag, and a
/// callback told each stage's name and time.
#[derive(Default)]
pub struct Watch<'a> {
    cancel: Option<Arc<AtomicBool>>,
    on_stage: Option<Box<dyn FnMut(&'static str, Duration) + 'a>>,
}

impl<'a> Watch<'a> {
    /// Stops the analysis (with [`Error::Cancelled`]) once `flag` is true: at the next
    /// stage boundary, or the next sentence of the text and NER stages (the long ones).
    pub fn cancel_on(mut self, flag: Arc<AtomicBool>) -> Self {
        self.cancel = Some(flag);
        self
    }

    /// Calls `f` with each stage's name and duration after it ran.
    pub fn on_stage(mut self, f: impl FnMut(&'static str, Duration) + 'a) -> Self {
        self.on_stage = Some(Box::new(f));
        self
    }

    fn cancelled(&self) -> bool {
        self.cancel.as_ref().is_some_and(|c| c.load(Ordering::Relaxed))
    }
}

thread_local! {
    /// The cancellation flag of the analysis running on this thread (an analysis runs on
    /// one thread), so a stage can stop early without the flag in its signature.
    static STOP: std::cell::RefCell<Option<Arc<AtomicBool>>> = const { std::cell::RefCell::new(None) };
}

/// Whether the analysis running on this thread was cancelled. Long stages check it between
/// sentences and return early; [`Pipeline::analyze_with`] then answers [`Error::Cancelled`]
/// and the partial layers are never seen.
pub(crate) fn stopped() -> bool {
    STOP.with(|s| s.borrow().as_ref().is_some_and(|c| c.load(Ordering::Relaxed)))
}

/// Sets this thread's flag for one analysis and restores the previous one after it.
struct StopGuard(Option<Arc<AtomicBool>>);

impl StopGuard {
    fn set(flag: Option<Arc<AtomicBool>>) -> StopGuard {
        StopGuard(STOP.with(|s| s.replace(flag)))
    }
}

impl Drop for StopGuard {
    fn drop(&mut self) {
        let prev = self.0.take();
        STOP.with(|s| *s.borrow_mut() = prev);
    }
}

/// Chooses models, normalization profile and layers for a [`Pipeline`].
#[derive(Debug, Default)]
pub struct PipelineBuilder {
    profile: Profile,
    segmenter: Option<Blob>,
    lexicon: Option<Blob>,
    ner: Option<Blob>,
    ner_convention: crate::ner::Convention,
    text_only: bool,
    max_bytes: Option<usize>,
    /// The files the models came from (`*_model_file`), so a load error names its file.
    segmenter_path: Option<PathBuf>,
    lexicon_path: Option<PathBuf>,
    ner_path: Option<PathBuf>,
}

impl PipelineBuilder {
    /// The normalization profile for tokens' `norm` (default `search`).
    pub fn profile(mut self, profile: Profile) -> Self {
        self.profile = profile;
        self
    }
    /// Uses this segmenter model instead of the built-in one.
    pub fn segmenter_model(mut self, blob: Blob) -> Self {
        self.segmenter = Some(blob);
        self
    }
    /// Uses this lexicon instead of the built-in one.
    pub fn lexicon(mut self, blob: Blob) -> Self {
        self.lexicon = Some(blob);
        self
    }
    /// Uses this NER model instead of the built-in one.
    pub fn ner_model(mut self, blob: Blob) -> Self {
        self.ner = Some(blob);
        self
    }
    /// Reads the segmenter model from `path` (load errors name the file).
    ///
    /// # Errors
    /// The file cannot be read.
    pub fn segmenter_model_file(mut self, path: &Path) -> Result<Self> {
        self.segmenter = Some(Blob::read(path)?);
        self.segmenter_path = Some(path.to_path_buf());
        Ok(self)
    }
    /// Reads the lexicon from `path` (load errors name the file).
    ///
    /// # Errors
    /// The file cannot be read.
    pub fn lexicon_file(mut self, path: &Path) -> Result<Self> {
        self.lexicon = Some(Blob::read(path)?);
        self.lexicon_path = Some(path.to_path_buf());
        Ok(self)
    }
    /// Reads the NER model from `path` (load errors name the file).
    ///
    /// # Errors
    /// The file cannot be read.
    pub fn ner_model_file(mut self, path: &Path) -> Result<Self> {
        self.ner = Some(Blob::read(path)?);
        self.ner_path = Some(path.to_path_buf());
        Ok(self)
    }
    /// Which names the NER stage reports (default [`crate::ner::Convention::News`]).
    pub fn ner_convention(mut self, convention: crate::ner::Convention) -> Self {
        self.ner_convention = convention;
        self
    }
    /// Runs only the text layer (tokens, sentences, repairs, segments, stems).
    pub fn text_only(mut self, yes: bool) -> Self {
        self.text_only = yes;
        self
    }
    /// Overrides the document size limit.
    pub fn max_document_bytes(mut self, max: usize) -> Self {
        self.max_bytes = Some(max);
        self
    }

    /// Loads the models and assembles the stages.
    ///
    /// # Errors
    /// A model error naming what is wrong with a model; a missing model when the
    /// `embedded-model` feature is off and none was given.
    pub fn build(self) -> Result<Pipeline> {
        let segmenter = khabar_text::segment::Segmenter::from_blob(pick(self.segmenter, "segmenter", embedded::SEGMENTER)?)
            .map_err(|e| named(e.into(), &self.segmenter_path))?;
        let lexicon = khabar_text::lexicon::Lexicon::from_blob(pick(self.lexicon, "lexicon", embedded::LEXICON)?)
            .map_err(|e| named(e.into(), &self.lexicon_path))?;
        let mut stages: Vec<Box<dyn Annotator>> =
            vec![Box::new(TextLayer::new(self.profile, segmenter, khabar_text::repair::Repairer::new(lexicon)))];
        if !self.text_only {
            // Order matters: stories first (sentences never straddle a headline), then
            // entities, their linking, the speech that names them, and times.
            stages.push(Box::new(crate::articles::ArticleDetector::default()));
            let ner = crate::ner::NerTagger::from_blob(pick(self.ner, "ner", embedded::NER)?).map_err(|e| named(e, &self.ner_path))?;
            let subtypes = crate::ner::subtype::SubtypeClassifier::new(ner.model().subtypes().clone(), ner.model().kb().cloned(), self.profile);
            stages.push(Box::new(ner.with_convention(self.ner_convention)));
            stages.push(Box::new(crate::link::EntityLinker::default()));
            // Places need the knowledge base, which only an embedded build carries.
            #[cfg(feature = "embedded-model")]
            stages.push(Box::new(crate::places::PlaceLinker::builtin()?));
            stages.push(Box::new(crate::quotes::QuoteFinder::default()));
            stages.push(Box::new(subtypes));
            stages.push(Box::new(crate::times::TimeResolver::default()));
            // Amounts last: dates and names are not amounts, and the story's places name
            // a bare `ريال`'s country.
            stages.push(Box::new(crate::amounts::AmountFinder::new(builtin_kb())));
        }
        Ok(Pipeline { stages, max_bytes: self.max_bytes.unwrap_or(MAX_DOCUMENT_BYTES) })
    }
}

/// The built-in knowledge base for the amounts stage's currency names (none without the
/// `embedded-model` feature, or if it does not parse: money is then found by head words).
fn builtin_kb() -> Option<Arc<khabar_kb::Kb>> {
    #[cfg(feature = "embedded-model")]
    {
        crate::models::kb().ok()
    }
    #[cfg(not(feature = "embedded-model"))]
    None
}

/// Names the model file in a load error (`not a valid khabar model (ner.khm): …`).
fn named(e: Error, path: &Option<PathBuf>) -> Error {
    let Some(p) = path else { return e };
    match e {
        Error::Model(m) => Error::Model(m.with_path(p)),
        Error::Text(khabar_text::Error::Model(m)) => Error::Model(m.with_path(p)),
        other => other,
    }
}

fn pick(given: Option<Blob>, what: &str, embedded: Option<&'static [u8]>) -> Result<Blob> {
    match (given, embedded) {
        (Some(b), _) => Ok(b),
        (None, Some(e)) => Ok(Blob::Static(e)),
        (None, None) => Err(Error::Invalid(format!(
            "no {what} model: this build has no embedded models (feature `embedded-model`), so pass one explicitly"
        ))),
    }
}

mod embedded {
    #[cfg(feature = "embedded-model")]
    pub const SEGMENTER: Option<&[u8]> = Some(crate::models::SEGMENTER);
    #[cfg(feature = "embedded-model")]
    pub const LEXICON: Option<&[u8]> = Some(crate::models::LEXICON);
    #[cfg(feature = "embedded-model")]
    pub const NER: Option<&[u8]> = Some(crate::models::NER);
    #[cfg(not(feature = "embedded-model"))]
    pub const SEGMENTER: Option<&[u8]> = None;
    #[cfg(not(feature = "embedded-model"))]
    pub const LEXICON: Option<&[u8]> = None;
    #[cfg(not(feature = "embedded-model"))]
    pub const NER: Option<&[u8]> = None;
}
