use std::path::PathBuf;

/// Errors raised while reading or validating a model artifact.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The bytes are not a khabar artifact, or are damaged.
    #[error("not a valid khabar model{}: {reason}", path_suffix(.path))]
    Format {
        /// The file the bytes came from, when known.
        path: Option<PathBuf>,
        /// What is wrong, in words.
        reason: String,
    },
    /// The artifact is a khabar artifact of another kind (a lexicon where a segmenter was expected).
    #[error("wrong kind of khabar model{}: expected {expected}, found {found}", path_suffix(.path))]
    Kind {
        /// The file the bytes came from, when known.
        path: Option<PathBuf>,
        /// The kind the caller asked for.
        expected: String,
        /// The kind written in the header.
        found: String,
    },
    /// The artifact was written by another format version.
    #[error("unsupported khabar model version{}: expected {expected}, found {found} (retrain it with `khabar train`)", path_suffix(.path))]
    Version {
        /// The file the bytes came from, when known.
        path: Option<PathBuf>,
        /// The version this build reads.
        expected: u32,
        /// The version written in the header.
        found: u32,
    },
    /// Reading the artifact from disk failed.
    #[error("cannot read {}: {source}", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
}

fn path_suffix(path: &Option<PathBuf>) -> String {
    match path {
        Some(p) => format!(" ({})", p.display()),
        None => String::new(),
    }
}

impl Error {
    /// Attaches the file a model was read from, so the message names it.
    pub fn with_path(self, p: impl Into<PathBuf>) -> Self {
        let p = Some(p.into());
        match self {
            Error::Format { reason, .. } => Error::Format { path: p, reason },
            Error::Kind { expected, found, .. } => Error::Kind { path: p, expected, found },
            Error::Version { expected, found, .. } => Error::Version { path: p, expected, found },
            e @ Error::Io { .. } => e,
        }
    }

    /// A format error with no path yet.
    pub fn format(reason: impl Into<String>) -> Self {
        Error::Format { path: None, reason: reason.into() }
    }
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
