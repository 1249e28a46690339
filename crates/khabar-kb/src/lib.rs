//! khabar's knowledge base: what is known about names before any text is read.
//!
//! One artifact (`models/kb.khm`, built by `khabar train kb`) holds, keyed by the
//! `search`-normalized name (hamzas folded, ى → ي, ة → ه, no diacritics, single spaces):
//!
//! * places from GeoNames (populated places with their geonameid, country, coordinates and
//!   population), countries, continents and world regions from CLDR, ISO 3166-2
//!   subdivisions from CLDR (with and without their administrative word: `شعبية سبها`,
//!   `سبها`), capitals GeoNames has no Arabic name for (from CLDR's time-zone cities) and a
//!   small hand-checked list of the short names news uses (`السعودية`), each row with its source;
//! * currencies from CLDR (ISO 4217 code; singular, dual and plural names: `دولار أمريكي`,
//!   `جنيهان مصريان`), and their head words (`دولار`, `جنيه`);
//! * person-name parts from Wikidata (`مانويل`, `موغيريني`) with how many labels they came from;
//! * names found in the labeled training corpora (ANERcorp train, FANE), with their class
//!   and count.
//!
//! A key can have several candidates (`عمان`: Amman and Oman; `طرابلس`: Tripoli in Libya
//! and in Lebanon), most likely first. The fst and the candidate table are read in place
//! from the artifact's storage (static, owned or memory-mapped bytes): loading copies nothing.
//!
//! ```
//! let kb = khabar_kb::Kb::builtin_for_tests();
//! let best = kb.lookup("القاهرة").next().unwrap();
//! assert_eq!(best.kind, khabar_kb::Kind::City);
//! assert_eq!(best.country_code(), Some("EG"));
//! ```
#![deny(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

#[cfg(feature = "build")]
pub mod build;
pub mod countries;

use khabar_model::wire::{Reader, Writer};
use fst::Streamer;
use khabar_model::{Blob, BlobSlice, Bundle, HEADER_LEN};
use khabar_text::normalize::normalize;
use khabar_text::Profile;

/// The artifact kind in the bundle header.
pub const KIND: [u8; 4] = *b"KBAS";
/// The payload format version this build reads and writes.
pub const VERSION: u32 = 1;
/// Bytes per candidate record.
const RECORD: usize = 24;

/// What a name is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum Kind {
    /// A sovereign state or territory with an ISO 3166-1 code.
    Country = 1,
    /// A populated place.
    City = 2,
    /// A first-level subdivision or world region (`شعبية سبها`, `شمال أفريقيا`).
    Region = 3,
    /// A continent.
    Continent = 4,
    /// A currency (`code` is its ISO 4217 code, empty for an ambiguous head word).
    Currency = 5,
    /// A single given name or surname of a person (Wikidata).
    PersonName = 6,
    /// A person named in a training corpus.
    Person = 7,
    /// A place named in a training corpus.
    Place = 8,
    /// An organization named in a training corpus.
    Organization = 9,
    /// Another kind of name in a training corpus (ANERcorp's MISC).
    OtherName = 10,
}

/// Every kind, by its byte value minus one.
const KINDS: [Kind; 10] = [
    Kind::Country,
    Kind::City,
    Kind::Region,
    Kind::Continent,
    Kind::Currency,
    Kind::PersonName,
    Kind::Person,
    Kind::Place,
    Kind::Organization,
    Kind::OtherName,
];

impl Kind {
    fn from_u8(v: u8) -> Option<Kind> {
        KINDS.get(usize::from(v).checked_sub(1)?).copied()
    }

    /// Whether the kind is a place in the world (of GeoNames or CLDR, or named in a corpus).
    pub fn is_place(self) -> bool {
        matches!(self, Kind::Country | Kind::City | Kind::Region | Kind::Continent | Kind::Place)
    }

    /// The `place_kind` word of a resolved place (`country`, `city`, `region`, `continent`).
    pub fn place_kind(self) -> Option<&'static str> {
        Some(match self {
            Kind::Country => "country",
            Kind::City => "city",
            Kind::Region => "region",
            Kind::Continent => "continent",
            _ => return None,
        })
    }

    /// A short name for messages and reports.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Country => "country",
            Kind::City => "city",
            Kind::Region => "region",
            Kind::Continent => "continent",
            Kind::Currency => "currency",
            Kind::PersonName => "person-name",
            Kind::Person => "person",
            Kind::Place => "place",
            Kind::Organization => "organization",
            Kind::OtherName => "other-name",
        }
    }
}

/// Where a candidate came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum Source {
    /// GeoNames (geonames.org, CC BY 4.0).
    GeoNames = 1,
    /// Unicode CLDR.
    Cldr = 2,
    /// Wikidata labels (CC0), via the NETransliteration data set.
    Wikidata = 3,
    /// A labeled training corpus (ANERcorp train, WikiFANE, NewsFANE train).
    Corpus = 4,
    /// The hand-checked list in `crates/khabar-kb/data/curated.tsv`.
    Curated = 5,
}

/// Every source, by its byte value minus one.
const SOURCES: [Source; 5] = [Source::GeoNames, Source::Cldr, Source::Wikidata, Source::Corpus, Source::Curated];

impl Source {
    fn from_u8(v: u8) -> Option<Source> {
        SOURCES.get(usize::from(v).checked_sub(1)?).copied()
    }

    /// Whether the source is knowledge from outside the labeled corpora. The tagger's
    /// knowledge-base features use only these: names from the training corpora reach it
    /// through its own leave-fold-out gazetteer instead.
    pub fn is_external(self) -> bool {
        !matches!(self, Source::Corpus)
    }
}

/// One thing a name may refer to.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Candidate {
    /// What it is.
    pub kind: Kind,
    /// Where the knowledge comes from.
    pub source: Source,
    /// How likely this reading is against others of its kind: the population of a place,
    /// the number of Wikidata labels of a name part, the corpus count of a corpus name.
    pub prior: u32,
    /// The GeoNames id (0 when none: CLDR regions, corpus names, currencies).
    pub geonameid: u32,
    /// ISO 3166-1 alpha-2 country code, as two ASCII letters (`[0, 0]` when none).
    pub country: [u8; 2],
    /// ISO 4217 code of a currency (`[0; 3]` when none).
    pub code: [u8; 3],
    /// Latitude (NaN when unknown).
    pub lat: f32,
    /// Longitude (NaN when unknown).
    pub lon: f32,
}

impl Candidate {
    /// The country code as text (`EG`), when the candidate has one.
    pub fn country_code(&self) -> Option<&str> {
        ascii(&self.country)
    }

    /// The currency code as text (`USD`), when the candidate has one.
    pub fn currency_code(&self) -> Option<&str> {
        ascii(&self.code)
    }

    /// The GeoNames id, when the candidate has one.
    pub fn geonameid(&self) -> Option<u32> {
        (self.geonameid != 0).then_some(self.geonameid)
    }

    /// Coordinates, when known.
    pub fn coordinates(&self) -> Option<(f32, f32)> {
        (!self.lat.is_nan() && !self.lon.is_nan()).then_some((self.lat, self.lon))
    }

    /// Population of a place in powers of ten (0: under 10 or unknown … 7: ten million or more).
    pub fn population_band(&self) -> u8 {
        if !self.kind.is_place() || self.prior == 0 {
            return 0;
        }
        (self.prior as f64).log10().floor().clamp(0.0, 7.0) as u8
    }

    fn encode(&self, out: &mut Vec<u8>) {
        out.push(self.kind as u8);
        out.push(self.source as u8);
        out.extend_from_slice(&self.country);
        out.extend_from_slice(&self.code);
        out.push(0);
        out.extend_from_slice(&self.geonameid.to_le_bytes());
        out.extend_from_slice(&self.prior.to_le_bytes());
        out.extend_from_slice(&self.lat.to_le_bytes());
        out.extend_from_slice(&self.lon.to_le_bytes());
    }

    fn decode(b: &[u8]) -> Option<Candidate> {
        let u32_at = |o: usize| u32::from_le_bytes([b[o], b[o + 1], b[o + 2], b[o + 3]]);
        Some(Candidate {
            kind: Kind::from_u8(b[0])?,
            source: Source::from_u8(b[1])?,
            country: [b[2], b[3]],
            code: [b[4], b[5], b[6]],
            geonameid: u32_at(8),
            prior: u32_at(12),
            lat: f32::from_bits(u32_at(16)),
            lon: f32::from_bits(u32_at(20)),
        })
    }
}

fn ascii(b: &[u8]) -> Option<&str> {
    if b.iter().all(|c| c.is_ascii_alphanumeric()) && !b.is_empty() {
        std::str::from_utf8(b).ok()
    } else {
        None
    }
}

/// The key a name is stored and looked up under: `search`-normalized, letters and single
/// spaces only (punctuation such as `-` and `'` becomes a space).
pub fn key(name: &str) -> String {
    let n = normalize(name, Profile::Search);
    let mut out = String::with_capacity(n.len());
    for w in n.split(|c: char| !(c.is_alphanumeric())).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// The state of a phrase walk after its first word ([`Kb::phrase_start`]): small and
/// `Copy`, so a caller can keep one per word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PhraseStart {
    addr: fst::raw::CompiledAddr,
    out: u64,
    /// The first word's own value when it is a key.
    value: Option<u64>,
    /// The knowledge base it belongs to (checksum and key count).
    checksum: u32,
    keys: usize,
}

/// The knowledge base.
pub struct Kb {
    map: fst::Map<BlobSlice>,
    records: BlobSlice,
    recipe: String,
    checksum: u32,
}

impl std::fmt::Debug for Kb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Kb").field("keys", &self.map.len()).field("candidates", &self.candidate_count()).finish()
    }
}

/// Errors loading a knowledge base.
pub type Error = khabar_model::Error;

impl Kb {
    /// Loads a knowledge-base artifact.
    ///
    /// # Errors
    /// A model error when the bytes are not a valid KB: truncated, foreign, of another
    /// kind or version, corrupted, or with fields that do not fit together.
    pub fn from_blob(blob: Blob) -> Result<Kb, Error> {
        let bundle = Bundle::parse(blob, KIND, VERSION)?;
        let (recipe, rec_range, fst_range, checksum) = {
            let p = bundle.payload();
            let mut r = Reader::new(p);
            let recipe = r.str("recipe")?.to_string();
            let offset = |s: &[u8]| HEADER_LEN + (s.as_ptr() as usize - p.as_ptr() as usize);
            let rec = r.bytes("candidate table")?;
            if rec.len() % RECORD != 0 {
                return Err(Error::format(format!("knowledge base: candidate table of {} bytes is not a whole number of {RECORD}-byte records", rec.len())));
            }
            let rec_range = offset(rec)..offset(rec) + rec.len();
            let fst_bytes = r.bytes("fst")?;
            if r.remaining() != 0 {
                return Err(Error::format(format!("knowledge base: {} unexpected bytes after the last field", r.remaining())));
            }
            let fst_range = offset(fst_bytes)..offset(fst_bytes) + fst_bytes.len();
            (recipe, rec_range, fst_range, crc32_of(&bundle))
        };
        let blob = std::sync::Arc::new(bundle.into_blob());
        let map = fst::Map::new(BlobSlice::new(blob.clone(), fst_range)?)
            .map_err(|e| Error::format(format!("knowledge base fst: {e}")))?;
        let kb = Kb { map, records: BlobSlice::new(blob, rec_range)?, recipe, checksum };
        // No scan of every key here (loading stays a few milliseconds): a value pointing
        // outside the table or a record that does not decode yields fewer candidates at
        // lookup, never a panic (`candidates_of` clamps, `Candidates` skips).
        Ok(kb)
    }

    /// Reads a KB file (errors name it).
    ///
    /// # Errors
    /// As [`Kb::from_blob`], and I/O errors.
    pub fn from_path(path: &std::path::Path) -> Result<Kb, Error> {
        Kb::from_blob(Blob::read(path)?).map_err(|e| e.with_path(path))
    }

    /// The recipe recorded by `khabar train kb` (command, data hashes, counts).
    pub fn recipe(&self) -> &str {
        &self.recipe
    }

    /// CRC-32 of the payload: a tagger trained with this KB records it and refuses another.
    pub fn checksum(&self) -> u32 {
        self.checksum
    }

    /// Number of keys.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether the KB has no keys.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Number of candidate records.
    pub fn candidate_count(&self) -> usize {
        self.records.as_ref().len() / RECORD
    }

    fn candidate(&self, i: usize) -> Option<Candidate> {
        self.records.as_ref().get(i * RECORD..(i + 1) * RECORD).and_then(Candidate::decode)
    }

    fn candidates_of(&self, v: u64) -> Candidates<'_> {
        let n = self.candidate_count();
        let (first, len) = (((v >> 8) as usize).min(n), (v & 0xFF) as usize);
        Candidates { kb: self, next: first, end: (first + len).min(n) }
    }

    /// The candidates of an already normalized key ([`key`]), most likely first.
    pub fn lookup_key(&self, key: &str) -> Candidates<'_> {
        match self.map.get(key) {
            Some(v) => self.candidates_of(v),
            None => Candidates { kb: self, next: 0, end: 0 },
        }
    }

    /// The candidates of a name as written (normalized here). A name not found as written
    /// is looked up without its article, or with one (`ال`), as news writes both: its
    /// candidates then come from that form.
    pub fn lookup(&self, name: &str) -> Candidates<'_> {
        let k = key(name);
        let direct = self.lookup_key(&k);
        if direct.len() > 0 {
            return direct;
        }
        let alt = match k.strip_prefix("ال") {
            Some(rest) if rest.chars().count() >= 2 => rest.to_string(),
            Some(_) => return direct,
            None => format!("ال{k}"),
        };
        self.lookup_key(&alt)
    }

    /// Walks the fst along normalized words: `words[0]`, then ` ` + `words[1]` …, and calls
    /// `hit(n, candidates)` for every `n`-word phrase that is a key. Stops at the first word
    /// no key continues with, so a sentence costs one walk per starting word.
    pub fn for_each_prefix<'w>(&self, words: impl IntoIterator<Item = &'w str>, hit: impl FnMut(usize, Candidates<'_>)) {
        let mut words = words.into_iter();
        if let Some(start) = words.next().and_then(|w| self.phrase_start(w)) {
            self.for_each_prefix_after(start, words, hit);
        }
    }

    /// Where the walk of [`Kb::for_each_prefix`] stands after a phrase's first word, or
    /// `None` when no key begins with it. A caller that meets the same word often (a
    /// tagger over a corpus) keeps these per word and walks on from them.
    pub fn phrase_start(&self, first: &str) -> Option<PhraseStart> {
        if first.is_empty() {
            return None;
        }
        let fst = self.map.as_fst();
        let mut node = fst.root();
        let mut out = fst::raw::Output::zero();
        for &b in first.as_bytes() {
            let i = node.find_input(b)?;
            let t = node.transition(i);
            out = out.cat(t.out);
            node = fst.node(t.addr);
        }
        let value = node.is_final().then(|| out.cat(node.final_output()).value());
        Some(PhraseStart { addr: node.addr(), out: out.value(), value, checksum: self.checksum, keys: self.map.len() })
    }

    /// [`Kb::for_each_prefix`] from a first word's [`PhraseStart`]: calls `hit(1, …)` when
    /// the first word is a key, then walks on along `rest`.
    pub fn for_each_prefix_after<'w>(
        &self,
        start: PhraseStart,
        rest: impl IntoIterator<Item = &'w str>,
        mut hit: impl FnMut(usize, Candidates<'_>),
    ) {
        // A start from another knowledge base would walk a foreign address.
        if start.checksum != self.checksum || start.keys != self.map.len() {
            return;
        }
        if let Some(v) = start.value {
            hit(1, self.candidates_of(v));
        }
        let fst = self.map.as_fst();
        let mut node = fst.node(start.addr);
        let mut out = fst::raw::Output::new(start.out);
        for (k, w) in rest.into_iter().enumerate() {
            for &b in b" ".iter().chain(w.as_bytes()) {
                let Some(i) = node.find_input(b) else { return };
                let t = node.transition(i);
                out = out.cat(t.out);
                node = fst.node(t.addr);
            }
            if w.is_empty() {
                return;
            }
            if node.is_final() {
                hit(k + 2, self.candidates_of(out.cat(node.final_output()).value()));
            }
        }
    }

    /// Every key with its candidates, in key order (for reports and tests).
    pub fn for_each(&self, mut f: impl FnMut(&str, Candidates<'_>)) {
        let mut stream = self.map.stream();
        while let Some((k, v)) = stream.next() {
            if let Ok(k) = std::str::from_utf8(k) {
                f(k, self.candidates_of(v));
            }
        }
    }

    /// Frames a KB artifact: recipe, candidate records and the fst of keys (whose values
    /// are `first record << 8 | count`).
    pub fn encode(recipe: &str, candidates: &[Candidate], fst_bytes: &[u8]) -> Vec<u8> {
        let mut rec = Vec::with_capacity(candidates.len() * RECORD);
        for c in candidates {
            c.encode(&mut rec);
        }
        let mut w = Writer::new();
        w.str(recipe).bytes(&rec).bytes(fst_bytes);
        Bundle::encode(KIND, VERSION, &w.finish())
    }

    /// A small KB built in memory, for examples and tests of code that reads a KB.
    #[doc(hidden)]
    pub fn builtin_for_tests() -> Kb {
        let place = |kind, country: &[u8; 2], prior, geonameid| Candidate {
            kind,
            source: Source::GeoNames,
            prior,
            geonameid,
            country: *country,
            code: [0; 3],
            lat: 30.0,
            lon: 31.0,
        };
        let entries = vec![
            ("القاهرة", vec![place(Kind::City, b"EG", 9_606_916, 360_630)]),
            ("عمان", vec![place(Kind::City, b"JO", 1_275_857, 250_441), Candidate { kind: Kind::Country, source: Source::Cldr, geonameid: 0, ..place(Kind::Country, b"OM", 0, 0) }]),
        ];
        let mut cands = Vec::new();
        let mut keys: Vec<(String, u64)> = Vec::new();
        for (name, cs) in entries {
            keys.push((key(name), ((cands.len() as u64) << 8) | cs.len() as u64));
            cands.extend(cs);
        }
        keys.sort();
        let mut b = fst::MapBuilder::memory();
        for (k, v) in &keys {
            let _ = b.insert(k, *v);
        }
        let fst_bytes = b.into_inner().unwrap_or_default();
        #[allow(clippy::unwrap_used)]
        Kb::from_blob(Blob::Owned(Kb::encode("test", &cands, &fst_bytes))).unwrap()
    }
}

/// The candidates of one key, most likely first.
pub struct Candidates<'a> {
    kb: &'a Kb,
    next: usize,
    end: usize,
}

impl Candidates<'_> {
    /// How many candidates are left.
    #[allow(clippy::len_without_is_empty)]
    pub fn len(&self) -> usize {
        self.end - self.next
    }
}

impl Iterator for Candidates<'_> {
    type Item = Candidate;
    fn next(&mut self) -> Option<Candidate> {
        while self.next < self.end {
            let i = self.next;
            self.next += 1;
            if let Some(c) = self.kb.candidate(i) {
                return Some(c);
            }
        }
        None
    }
}

/// The payload's CRC-32 as the bundle header records it (bytes 24..28, verified on load).
fn crc32_of(bundle: &Bundle) -> u32 {
    let b: &[u8] = bundle.blob_bytes();
    u32::from_le_bytes([b[24], b[25], b[26], b[27]])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_sources_round_trip_through_their_byte() {
        for k in KINDS {
            assert_eq!(Kind::from_u8(k as u8), Some(k));
        }
        for s in SOURCES {
            assert_eq!(Source::from_u8(s as u8), Some(s));
        }
        assert_eq!((Kind::from_u8(0), Kind::from_u8(11), Source::from_u8(6)), (None, None, None));
    }
}
