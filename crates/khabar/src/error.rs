/// Errors of the analysis pipeline.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A text-layer failure (a model artifact that does not load, a corpus line that does not parse).
    #[error(transparent)]
    Text(#[from] khabar_text::Error),
    /// A model artifact is damaged, foreign or of another version.
    #[error(transparent)]
    Model(#[from] khabar_model::Error),
    /// The document is larger than the pipeline accepts.
    #[error("document is {len} bytes; the largest document khabar analyzes is {max} bytes (split it, or use JSONL input with one article per line)")]
    InputTooLarge {
        /// Its size.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// A date that is not a real `YYYY-MM-DD` day.
    #[error("invalid date `{value}`: expected a real calendar day as YYYY-MM-DD, e.g. 2017-08-01")]
    InvalidDate {
        /// What was given.
        value: String,
    },
    /// A file could not be read or written.
    #[error("{}: {source}", .path.display())]
    Io {
        /// The file.
        path: std::path::PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The caller stopped the analysis (see [`crate::Watch`]) before it finished.
    #[error("analysis cancelled")]
    Cancelled,
    /// A training or evaluation input that cannot be used, with the reason.
    #[error("{0}")]
    Invalid(String),
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
