use std::path::PathBuf;

/// Errors of the text layer: model artifacts that fail to load, training input that does
/// not parse.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A model or lexicon artifact is damaged, foreign or of another version.
    #[error(transparent)]
    Model(#[from] khabar_model::Error),
    /// A training or evaluation file has a malformed line.
    #[error("{}:{line}: {reason}", .path.display())]
    Corpus {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// A file could not be read or written.
    #[error("{}: {source}", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
