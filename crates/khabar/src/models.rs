//! The models khabar ships, compiled into the library with the `embedded-model` feature.
//!
//! Each is rebuilt by a `khabar train …` command from `../shared/data` (see the README);
//! `models/RECIPES.md` records the commands, data hashes and hyperparameters.

/// The clitic segmenter (`khabar train segmenter`).
#[cfg(feature = "embedded-model")]
pub static SEGMENTER: &[u8] = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../models/segmenter.khm"));
/// The word-frequency lexicon for glued-word repair (`khabar train lexicon`).
#[cfg(feature = "embedded-model")]
pub static LEXICON: &[u8] = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../models/lexicon.khm"));
/// The named-entity tagger (`khabar train ner`).
#[cfg(feature = "embedded-model")]
pub static NER: &[u8] = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../models/ner.khm"));
