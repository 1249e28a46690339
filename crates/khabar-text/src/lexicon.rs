//! A word-frequency lexicon over `search`-normalized forms, stored as an `fst::Map`.
//!
//! Built by `khabar train lexicon` (see `docs/repair.md`). Each key is a normalized word;
//! its `u64` value packs the word's corpus count and, for keys that the training data
//! shows to be two words glued together (`اكثرمن`, `وزيرالخارجيه`), where the space goes:
//!
//! ```text
//! bits  0..40  count of the key as a whole token in the training text
//! bits 40..48  split: byte offset in the normalized key where a space is missing (0 = none)
//! bits 48..64  reserved (0)
//! ```
//!
//! # Artifact
//! A [`khabar_model::Bundle`] of kind `LEXI`, version [`FORMAT_VERSION`], whose payload is
//! (via [`khabar_model::wire`]): `u64` total word tokens, the [`RepairParams`] of the
//! glued-word model, then the `fst` bytes as the last length-prefixed field. The map is
//! opened in place over that sub-range of the [`Blob`]: nothing is copied, so an embedded
//! (`include_bytes!`) or memory-mapped lexicon costs no heap.

use khabar_model::wire::{Reader, Writer};
use khabar_model::{Blob, BlobSlice, Bundle, HEADER_LEN};

use crate::Result;

#[cfg(feature = "train")]
pub mod train;

/// The artifact kind written in the bundle header.
pub const KIND: [u8; 4] = *b"LEXI";
/// The payload format this build reads and writes.
pub const FORMAT_VERSION: u32 = 1;

const COUNT_BITS: u32 = 40;
const COUNT_MASK: u64 = (1 << COUNT_BITS) - 1;

/// Hyperparameters of the glued-word model for words the lexicon does not know, stored in
/// the artifact beside the counts they were tuned with.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RepairParams {
    /// Each part of a split of an unknown word must have been seen at least this often.
    pub min_part_count: u64,
    /// Penalty (natural log) for every space inserted.
    pub split_cost: f32,
    /// Weight (natural log) of explaining the whole word as clitics + a known stem.
    pub clitic_cost: f32,
    /// Pseudo-count of a word that is neither known nor explained by clitics.
    pub unknown_count: f32,
    /// Unknown words shorter than this (in normalized characters) are never split.
    pub min_word_chars: u32,
}

impl Default for RepairParams {
    fn default() -> Self {
        RepairParams {
            min_part_count: 50,
            split_cost: 3.0,
            clitic_cost: 3.0,
            unknown_count: 0.5,
            min_word_chars: 6,
        }
    }
}

/// One lexicon entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    /// How often the key was seen as a whole token.
    pub count: u64,
    /// Byte offset in the normalized key where a space is missing, when the key is glue.
    pub split: Option<usize>,
}

impl Entry {
    /// Packs the entry into an fst value.
    pub fn pack(self) -> u64 {
        let s = self.split.filter(|&s| s > 0 && s < 256).unwrap_or(0) as u64;
        (self.count.min(COUNT_MASK)) | (s << COUNT_BITS)
    }
    /// Unpacks an fst value.
    pub fn unpack(v: u64) -> Entry {
        let s = ((v >> COUNT_BITS) & 0xFF) as usize;
        Entry {
            count: v & COUNT_MASK,
            split: (s > 0).then_some(s),
        }
    }
}


/// Word counts, looked up without copying the map out of its storage.
pub struct Lexicon {
    /// Read in place from the artifact's storage.
    map: Option<fst::Map<BlobSlice>>,
    total: u64,
    params: RepairParams,
}

impl Default for Lexicon {
    /// An empty lexicon: every count is 0 and nothing is ever split.
    fn default() -> Self {
        Lexicon {
            map: None,
            total: 0,
            params: RepairParams::default(),
        }
    }
}

impl std::fmt::Debug for Lexicon {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lexicon")
            .field("keys", &self.len())
            .field("total", &self.total)
            .field("params", &self.params)
            .finish()
    }
}

impl Lexicon {
    /// Loads a lexicon artifact.
    ///
    /// # Errors
    /// A model error when the bytes are not a valid lexicon (truncated, foreign, another
    /// kind or version, corrupted, or a payload whose fields do not parse).
    pub fn from_blob(blob: Blob) -> Result<Lexicon> {
        let bundle = Bundle::parse(blob, KIND, FORMAT_VERSION)?;
        let payload = bundle.payload();
        let mut r = Reader::new(payload);
        let total = r.u64("total")?;
        let params = RepairParams {
            min_part_count: r.u64("min_part_count")?,
            split_cost: r.f32("split_cost")?,
            clitic_cost: r.f32("clitic_cost")?,
            unknown_count: r.f32("unknown_count")?,
            min_word_chars: r.u32("min_word_chars")?,
        };
        let n = r.u64("fst")?;
        let start = HEADER_LEN + payload.len() - r.remaining();
        if usize::try_from(n).ok() != Some(r.remaining()) {
            return Err(khabar_model::Error::format(format!(
                "lexicon fst field announces {n} bytes but {} remain",
                r.remaining()
            ))
            .into());
        }
        let blob = bundle.into_blob();
        let end = blob.len();
        let map = fst::Map::new(BlobSlice::new(std::sync::Arc::new(blob), start..end)?)
            .map_err(|e| khabar_model::Error::format(format!("lexicon fst: {e}")))?;
        Ok(Lexicon {
            map: Some(map),
            total,
            params,
        })
    }

    /// Frames a lexicon artifact from a built fst map's bytes.
    pub fn encode(fst_bytes: &[u8], total: u64, params: &RepairParams) -> Vec<u8> {
        let mut w = Writer::new();
        w.u64(total)
            .u64(params.min_part_count)
            .f32(params.split_cost)
            .f32(params.clitic_cost)
            .f32(params.unknown_count)
            .u32(params.min_word_chars)
            .bytes(fst_bytes);
        Bundle::encode(KIND, FORMAT_VERSION, &w.finish())
    }

    /// How often the normalized `word` was seen (0 when unknown).
    #[inline]
    pub fn count(&self, word: &str) -> u64 {
        self.entry(word).map_or(0, |e| e.count)
    }

    /// The entry of the normalized `word`, when it is a key.
    #[inline]
    pub fn entry(&self, word: &str) -> Option<Entry> {
        self.map.as_ref()?.get(word).map(Entry::unpack)
    }

    /// Calls `f(len, entry)` for every key that is a prefix of `text` (`len` in bytes), in
    /// one walk down the fst: the word-break search's inner loop.
    pub fn for_each_prefix(&self, text: &str, mut f: impl FnMut(usize, Entry)) {
        let Some(m) = &self.map else { return };
        let fst = m.as_fst();
        let mut node = fst.root();
        let mut out = fst::raw::Output::zero();
        for (i, &b) in text.as_bytes().iter().enumerate() {
            let Some(t) = node.find_input(b).map(|k| node.transition(k)) else {
                return;
            };
            out = out.cat(t.out);
            node = fst.node(t.addr);
            if node.is_final() && text.is_char_boundary(i + 1) {
                f(i + 1, Entry::unpack(out.cat(node.final_output()).value()));
            }
        }
    }

    /// Total word tokens counted in the training text.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// Number of keys.
    pub fn len(&self) -> usize {
        self.map.as_ref().map_or(0, |m| m.len())
    }

    /// Whether the lexicon has no keys (the empty placeholder).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The glued-word model's hyperparameters stored with the counts.
    pub fn params(&self) -> RepairParams {
        self.params
    }

    /// Replaces the hyperparameters (for tuning; the artifact keeps its own).
    pub fn set_params(&mut self, params: RepairParams) {
        self.params = params;
    }

    /// Iterates over every `(key, entry)` in byte order.
    pub fn for_each(&self, mut f: impl FnMut(&[u8], Entry)) {
        use fst::Streamer;
        if let Some(m) = &self.map {
            let mut s = m.stream();
            while let Some((k, v)) = s.next() {
                f(k, Entry::unpack(v));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny() -> Vec<u8> {
        let mut b = fst::MapBuilder::memory();
        b.insert("الامم", 10).unwrap();
        b.insert(
            "الواياتالمتحده",
            Entry {
                count: 1,
                split: Some(12),
            }
            .pack(),
        )
        .unwrap();
        Lexicon::encode(&b.into_inner().unwrap(), 100, &RepairParams::default())
    }

    #[test]
    fn round_trips_and_reads_in_place() {
        let lex = Lexicon::from_blob(Blob::Owned(tiny())).unwrap();
        assert_eq!(lex.count("الامم"), 10);
        assert_eq!(lex.count("غير"), 0);
        assert_eq!(
            lex.entry("الواياتالمتحده"),
            Some(Entry {
                count: 1,
                split: Some(12)
            })
        );
        assert_eq!(lex.total(), 100);
        assert_eq!(lex.len(), 2);
    }

    #[test]
    fn every_truncation_is_an_error_not_a_panic() {
        let bytes = tiny();
        for n in 0..bytes.len() {
            assert!(
                Lexicon::from_blob(Blob::Owned(bytes[..n].to_vec())).is_err(),
                "prefix {n}"
            );
        }
        assert!(Lexicon::from_blob(Blob::Owned(vec![0x5a; 300])).is_err());
        assert!(Lexicon::from_blob(Blob::Static(b"")).is_err());
    }

    #[test]
    fn a_bad_fst_inside_a_valid_bundle_is_an_error() {
        let b = Lexicon::encode(b"not an fst at all, just text", 1, &RepairParams::default());
        assert!(Lexicon::from_blob(Blob::Owned(b)).is_err());
    }
}
