//! Storage and framing for khabar's trained artifacts.
//!
//! Every model or lexicon khabar ships is a [`Bundle`]: a fixed header (magic, artifact kind,
//! format version, payload length, CRC-32 of the payload) followed by the payload bytes.
//! Loaders check length, magic, kind, version and checksum *before* reading the payload,
//! in that order (as `fst` does), so a truncated, foreign or corrupted file is an
//! [`Error`], never a panic.
//!
//! ```
//! use khabar_model::{Blob, Bundle};
//! let bytes = Bundle::encode(*b"DEMO", 3, b"payload");
//! let bundle = Bundle::parse(Blob::Owned(bytes), *b"DEMO", 3).unwrap();
//! assert_eq!(bundle.payload(), b"payload");
//! ```
#![deny(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

mod blob;
mod bundle;
mod error;
pub mod wire;

pub use blob::{Blob, BlobSlice};
pub use bundle::{Bundle, HEADER_LEN, MAGIC};
pub use error::{Error, Result};
