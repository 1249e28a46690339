use std::ops::Deref;
use std::path::Path;

use crate::{Error, Result};

/// Bytes of an artifact, wherever they live: compiled into the binary, read into memory,
/// or mapped from a file. Every loader takes a `Blob`, so the embedded default model and a
/// model file on disk go through exactly the same checks.
pub enum Blob {
    /// Bytes compiled into the binary (`include_bytes!`).
    Static(&'static [u8]),
    /// Bytes owned in memory.
    Owned(Vec<u8>),
    /// A memory-mapped file.
    #[cfg(feature = "mmap")]
    Mapped(memmap2::Mmap),
}

impl Blob {
    /// Reads a whole file into memory.
    ///
    /// # Errors
    /// [`Error::Io`] naming the path when the file cannot be read.
    pub fn read(path: &Path) -> Result<Blob> {
        std::fs::read(path)
            .map(Blob::Owned)
            .map_err(|source| Error::Io { path: path.to_path_buf(), source })
    }

    /// Maps a file read-only. The file must not be modified while mapped.
    ///
    /// # Errors
    /// [`Error::Io`] naming the path when the file cannot be opened or mapped.
    #[cfg(feature = "mmap")]
    pub fn map(path: &Path) -> Result<Blob> {
        let io = |source| Error::Io { path: path.to_path_buf(), source };
        let file = std::fs::File::open(path).map_err(io)?;
        // SAFETY: the map is read-only; khabar never writes model files it has mapped, and
        // every reader validates length and checksum before trusting the bytes.
        let map = unsafe { memmap2::Mmap::map(&file) }.map_err(io)?;
        Ok(Blob::Mapped(map))
    }
}

impl Deref for Blob {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Blob::Static(b) => b,
            Blob::Owned(v) => v,
            #[cfg(feature = "mmap")]
            Blob::Mapped(m) => m,
        }
    }
}

impl AsRef<[u8]> for Blob {
    fn as_ref(&self) -> &[u8] {
        self
    }
}

impl std::fmt::Debug for Blob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self {
            Blob::Static(_) => "Static",
            Blob::Owned(_) => "Owned",
            #[cfg(feature = "mmap")]
            Blob::Mapped(_) => "Mapped",
        };
        write!(f, "Blob::{kind}({} bytes)", self.len())
    }
}

/// A byte range inside a shared [`Blob`]: an fst or a table read in place from an
/// artifact's payload, several of which can share one storage.
pub struct BlobSlice {
    blob: std::sync::Arc<Blob>,
    start: usize,
    end: usize,
}

impl BlobSlice {
    /// The bytes `range` of `blob`.
    ///
    /// # Errors
    /// A format error when the range does not lie inside the blob.
    pub fn new(blob: std::sync::Arc<Blob>, range: std::ops::Range<usize>) -> Result<BlobSlice> {
        if range.start > range.end || range.end > blob.len() {
            return Err(Error::format(format!("byte range {range:?} lies outside the {}-byte file", blob.len())));
        }
        Ok(BlobSlice { blob, start: range.start, end: range.end })
    }
}

impl AsRef<[u8]> for BlobSlice {
    fn as_ref(&self) -> &[u8] {
        // `start..end` was checked against the blob's length in `new`.
        self.blob.get(self.start..self.end).unwrap_or(&[])
    }
}
