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
/// The knowledge base (`khabar train kb`): places, currencies, name parts, corpus names.
#[cfg(feature = "embedded-model")]
pub static KB: &[u8] = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../models/kb.khm"));

/// The built-in knowledge base, parsed once per process and shared.
///
/// # Errors
/// A model error when the embedded artifact does not parse (a build from a damaged checkout).
#[cfg(feature = "embedded-model")]
pub fn kb() -> crate::Result<std::sync::Arc<khabar_kb::Kb>> {
    static KB_CELL: std::sync::OnceLock<std::sync::Arc<khabar_kb::Kb>> = std::sync::OnceLock::new();
    if let Some(kb) = KB_CELL.get() {
        return Ok(kb.clone());
    }
    let kb = std::sync::Arc::new(khabar_kb::Kb::from_blob(khabar_model::Blob::Static(KB))?);
    Ok(KB_CELL.get_or_init(|| kb).clone())
}

/// The country table of place linking (`khabar train countries`): GeoNames ids, capitals'
/// coordinates, nationality adjectives.
#[cfg(feature = "embedded-model")]
pub static COUNTRIES: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../models/countries.tsv"));

/// The built-in country table, parsed once per process and shared.
///
/// # Errors
/// A model error when the embedded table does not parse.
#[cfg(feature = "embedded-model")]
pub fn countries() -> crate::Result<std::sync::Arc<khabar_kb::countries::Countries>> {
    static CELL: std::sync::OnceLock<std::sync::Arc<khabar_kb::countries::Countries>> = std::sync::OnceLock::new();
    if let Some(t) = CELL.get() {
        return Ok(t.clone());
    }
    let t = khabar_kb::countries::Countries::parse(COUNTRIES).map_err(crate::Error::Invalid)?;
    Ok(CELL.get_or_init(|| std::sync::Arc::new(t)).clone())
}
