//! khabar's corpus layer: an Arabic-aware [tantivy] index of news articles.
//!
//! * [`analyzer`]: khabar's normalization, clitic segmentation and stem as a tantivy
//!   tokenizer whose offsets point into the original text;
//! * [`schema`]: the fields (title, text, date, source, url, entity facets, duplicate cluster);
//! * [`writer`]: indexing with resumable commits;
//! * [`search`]: BM25 search with filters, highlighted snippets, duplicate collapsing,
//!   entity timelines and co-mentions;
//! * [`dedup`]: MinHash signatures and LSH for near-duplicate articles;
//! * [`identity`]: one id per real-world entity across the corpus, its variants and noise control.
//!
//! ```
//! use khabar_index::{analyzer::ArabicTokenizer, search::{Corpus, SearchRequest}, writer::*};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let dir = tempfile::tempdir()?;
//! let tok = ArabicTokenizer::builtin()?;
//! let mut w = CorpusWriter::create(dir.path(), tok.clone(), &WriterOptions::default())?;
//! let rec = ArticleRecord { id: 1, title: "لقاء في تونس".into(),
//!     text: "التقى المشير خليفة حفتر وفائز السراج في باريس.".into(), ..Default::default() };
//! w.add(&rec, None, khabar_index::dedup::signature(&rec.text).as_ref())?;
//! w.finish(2)?;
//! let corpus = Corpus::open(dir.path(), tok)?;
//! let res = corpus.search(&SearchRequest { query: "فايز".into(), ..Default::default() })?;
//! assert_eq!(res.hits[0].snippet.html.matches("<mark>").count(), 1);
//! assert!(res.hits[0].snippet.html.contains("<mark>وفائز</mark>"));
//! # Ok(()) }
//! ```
#![deny(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod analyzer;
pub mod dedup;
pub mod identity;
pub mod schema;
pub mod search;
pub mod writer;

/// Errors of the corpus layer.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An error from tantivy (I/O in the index directory, a damaged index, a busy writer).
    #[error("index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// An error opening an index directory.
    #[error("index: {0}")]
    OpenDirectory(#[from] tantivy::directory::error::OpenDirectoryError),
    /// A file-system error.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: String,
        /// The error.
        source: std::io::Error,
    },
    /// The directory already holds an index.
    #[error(
        "{0} already holds an index; pass --resume to continue it, or choose an empty directory"
    )]
    Exists(String),
    /// The directory holds no index.
    #[error("{0} holds no khabar index (no meta.json); build one with `khabar index`")]
    NotAnIndex(String),
    /// The index was not written by khabar (or by an incompatible version).
    #[error("not a khabar index: {0}")]
    Schema(String),
    /// A request that cannot be answered as given (bad date, bad entity id).
    #[error("{0}")]
    BadRequest(String),
    /// An analysis error.
    #[error(transparent)]
    Analysis(#[from] khabar::Error),
}

/// Results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
