//! Clitic segmentation: proclitics, base, pronominal enclitics.
//!
//! The scheme (see `docs/segmentation.md`): a word is `proclitics* base enclitic?` where
//! the proclitics are, in this order, an optional conjunction `و`/`ف`, then one of the
//! future particle `س`, a preposition `ب`/`ك`/`ل` or nothing, then the optional article
//! `ال`; the enclitic is one pronoun `ه ها هم هما هن ك كم كن ي ني نا`. Inflectional endings
//! (`ة ات ون ين ان`, verb subject suffixes, case alif) stay in the base. `لل` (`ل` + the
//! article with its alef elided) is written back as the two segments `ل` and `ال`; every
//! other segment's `form` is its surface slice, diacritics and tatweel included.
//!
//! The model is a linear ranker over the (few) segmentations the grammar allows for a
//! word: hashed features of the proclitic and enclitic choice crossed with character
//! n-grams at the base's edges, with the base's length, and with how often the base (and
//! the word without its proclitics or enclitic) occurs on its own in unlabeled news text
//! (SaudiNewsNet). It is trained as an averaged perceptron (`khabar train segmenter`,
//! behind the `train` feature). The frequent words' decisions are precomputed into the
//! artifact, so most calls are one hash lookup.
//!
//! ```no_run
//! # fn main() -> khabar_text::Result<()> {
//! use khabar_text::segment::Segmenter;
//! let seg = Segmenter::from_blob(khabar_model::Blob::read("models/segmenter.khm".as_ref())?)?;
//! let forms: Vec<String> = seg.segment("وبالسلام").into_iter().map(|s| s.form).collect();
//! assert_eq!(forms, ["و", "ب", "ال", "سلام"]);
//! # Ok(()) }
//! ```

use khabar_model::wire::{Reader, Writer};
use khabar_model::{Blob, Bundle};

use crate::chars::is_arabic_letter;
use crate::normalize::{normalize_char, Profile};
use crate::Result;

#[cfg(feature = "train")]
pub mod train;

/// The role of a segment inside its word.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SegmentRole {
    /// A prefix clitic: و ف ب ك ل س or the article ال.
    Proclitic,
    /// The word's base (stem with its inflectional endings).
    Base,
    /// A pronominal suffix clitic: ه ها هم هما هن ك كم كن ي ني نا.
    Enclitic,
}

/// One segment of a word.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    /// Byte range inside the word's surface string.
    pub range: std::ops::Range<usize>,
    /// The segment as written in the scheme (may differ from the surface: `لل` → `ل` + `ال`).
    pub form: String,
    /// Its role.
    pub role: SegmentRole,
}

/// Artifact kind of the segmenter model.
pub const KIND: [u8; 4] = *b"SEGM";
/// Format version of the segmenter model.
pub const VERSION: u32 = 1;

/// Words longer than this (in letters) are never split.
pub(crate) const MAX_CHARS: usize = 28;

/// One proclitic sequence: its normalized surface and its segments `(form, letters in the surface)`.
#[derive(Debug)]
pub(crate) struct Pre {
    pub(crate) surf: &'static [char],
    pub(crate) segs: &'static [(&'static str, u8)],
}

macro_rules! pre {
    ([$($c:literal),*], [$(($f:literal, $n:literal)),*]) => {
        Pre { surf: &[$($c),*], segs: &[$(($f, $n)),*] }
    };
}

/// Every proclitic sequence the scheme allows: `(و|ف)? (س|ب|ك|ل)? (ال)?`, with `لل` for
/// `ل` + elided article. Index = conjunction × 9 + rest.
pub(crate) const PREFIXES: [Pre; 27] = [
    pre!([], []),
    pre!(['س'], [("س", 1)]),
    pre!(['ب'], [("ب", 1)]),
    pre!(['ك'], [("ك", 1)]),
    pre!(['ل'], [("ل", 1)]),
    pre!(['ا', 'ل'], [("ال", 2)]),
    pre!(['ب', 'ا', 'ل'], [("ب", 1), ("ال", 2)]),
    pre!(['ك', 'ا', 'ل'], [("ك", 1), ("ال", 2)]),
    pre!(['ل', 'ل'], [("ل", 1), ("ال", 1)]),
    pre!(['و'], [("و", 1)]),
    pre!(['و', 'س'], [("و", 1), ("س", 1)]),
    pre!(['و', 'ب'], [("و", 1), ("ب", 1)]),
    pre!(['و', 'ك'], [("و", 1), ("ك", 1)]),
    pre!(['و', 'ل'], [("و", 1), ("ل", 1)]),
    pre!(['و', 'ا', 'ل'], [("و", 1), ("ال", 2)]),
    pre!(['و', 'ب', 'ا', 'ل'], [("و", 1), ("ب", 1), ("ال", 2)]),
    pre!(['و', 'ك', 'ا', 'ل'], [("و", 1), ("ك", 1), ("ال", 2)]),
    pre!(['و', 'ل', 'ل'], [("و", 1), ("ل", 1), ("ال", 1)]),
    pre!(['ف'], [("ف", 1)]),
    pre!(['ف', 'س'], [("ف", 1), ("س", 1)]),
    pre!(['ف', 'ب'], [("ف", 1), ("ب", 1)]),
    pre!(['ف', 'ك'], [("ف", 1), ("ك", 1)]),
    pre!(['ف', 'ل'], [("ف", 1), ("ل", 1)]),
    pre!(['ف', 'ا', 'ل'], [("ف", 1), ("ال", 2)]),
    pre!(['ف', 'ب', 'ا', 'ل'], [("ف", 1), ("ب", 1), ("ال", 2)]),
    pre!(['ف', 'ك', 'ا', 'ل'], [("ف", 1), ("ك", 1), ("ال", 2)]),
    pre!(['ف', 'ل', 'ل'], [("ف", 1), ("ل", 1), ("ال", 1)]),
];

/// The pronominal enclitics (index 0: none).
pub(crate) const ENCLITICS: [&[char]; 12] = [
    &[],
    &['ه'],
    &['ه', 'ا'],
    &['ه', 'م'],
    &['ه', 'م', 'ا'],
    &['ه', 'ن'],
    &['ك'],
    &['ك', 'م'],
    &['ك', 'ن'],
    &['ي'],
    &['ن', 'ي'],
    &['ن', 'ا'],
];

/// A segmentation choice: proclitic sequence and enclitic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub(crate) struct Cand {
    pub(crate) pre: u8,
    pub(crate) enc: u8,
}

impl Cand {
    #[cfg_attr(not(feature = "train"), allow(dead_code))]
    pub(crate) fn code(self) -> u16 {
        u16::from(self.pre) * ENCLITICS.len() as u16 + u16::from(self.enc)
    }
    pub(crate) fn from_code(code: u16) -> Option<Cand> {
        let pre = code / ENCLITICS.len() as u16;
        let enc = code % ENCLITICS.len() as u16;
        (usize::from(pre) < PREFIXES.len()).then_some(Cand {
            pre: pre as u8,
            enc: enc as u8,
        })
    }
}

/// A word's letters after feature normalization, each with the surface bytes it covers.
#[derive(Clone, Copy, Debug)]
pub(crate) struct WordChars {
    pub(crate) c: [char; MAX_CHARS],
    /// Whether the letter is written as its normalized form (not `أ` for `ا`, `ئ` for `ي`…).
    pub(crate) plain: [bool; MAX_CHARS],
    pub(crate) span: [(u32, u32); MAX_CHARS],
    pub(crate) len: usize,
}

impl WordChars {
    /// Normalizes `word` for features: the `search` profile (harakat, tatweel and invisible
    /// characters dropped, hamzated alefs → `ا`, `ؤ` → `و`, `ئ` → `ي`) except that `ة`
    /// and `ى` are kept (they tell a base's end from an enclitic). `None` when the word is
    /// empty, too long, or holds anything but Arabic letters.
    pub(crate) fn new(word: &str) -> Option<WordChars> {
        let mut w = WordChars {
            c: ['\0'; MAX_CHARS],
            plain: [false; MAX_CHARS],
            span: [(0, 0); MAX_CHARS],
            len: 0,
        };
        let mut pending: Option<u32> = None;
        let mut ok = true;
        for (i, ch) in word.char_indices() {
            let (s, e) = (i as u32, (i + ch.len_utf8()) as u32);
            let before = w.len;
            let mut push = |n: char| {
                if w.len >= MAX_CHARS || !is_arabic_letter(n) {
                    ok = false;
                    return;
                }
                w.c[w.len] = n;
                w.plain[w.len] = n == ch || ch == 'ٱ';
                w.span[w.len] = (s, e);
                w.len += 1;
            };
            match ch {
                // Fast path: plain Arabic letters (ة and ى kept), hamza seats, marks.
                'أ' | 'إ' | 'آ' | 'ٱ' => push('ا'),
                'ؤ' => push('و'),
                'ئ' => push('ي'),
                '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}' => push(ch),
                '\u{0640}' | '\u{064B}'..='\u{0652}' => {}
                _ => normalize_char(ch, Profile::Search, &mut push),
            }
            if !ok {
                return None;
            }
            if w.len == before {
                if before == 0 {
                    pending.get_or_insert(s);
                } else {
                    let prev = w.span[before - 1].0;
                    for k in (0..before).rev() {
                        if w.span[k].0 != prev {
                            break;
                        }
                        w.span[k].1 = e;
                    }
                }
            } else if let Some(p) = pending.take() {
                for k in before..w.len {
                    w.span[k].0 = p;
                }
            }
        }
        (w.len > 0).then_some(w)
    }

    pub(crate) fn chars(&self) -> &[char] {
        &self.c[..self.len]
    }

    /// Whether a boundary may sit before letter `i` (not inside one surface character).
    fn can_cut(&self, i: usize) -> bool {
        i == 0 || i >= self.len || self.span[i].0 != self.span[i - 1].0
    }

    /// Whether `cand` is a segmentation the grammar allows for this word.
    pub(crate) fn allows(&self, cand: Cand) -> bool {
        let (Some(p), Some(e)) = (
            PREFIXES.get(usize::from(cand.pre)),
            ENCLITICS.get(usize::from(cand.enc)),
        ) else {
            return false;
        };
        let w = self.chars();
        let (pl, el) = (p.surf.len(), e.len());
        if pl + el >= w.len() || !w.starts_with(p.surf) || !w.ends_with(e) {
            return false;
        }
        let base = &w[pl..w.len() - el];
        let has_article = p.segs.last().is_some_and(|s| s.0 == "ال");
        if has_article && base.len() < 2 {
            return false;
        }
        // The future particle only comes before an imperfect verb.
        if p.segs.iter().any(|s| s.0 == "س") && !matches!(base[0], 'ي' | 'ت' | 'ن' | 'ا') {
            return false;
        }
        // Clitic letters are written plainly: أ of ألوان is no article, ئ of مبادئ no pronoun.
        if !self.plain[..pl].iter().all(|&b| b)
            || !self.plain[w.len() - el..w.len()].iter().all(|&b| b)
        {
            return false;
        }
        let mut pos = 0;
        for &(_, n) in p.segs {
            pos += usize::from(n);
            if !self.can_cut(pos) {
                return false;
            }
        }
        self.can_cut(w.len() - el)
    }

    /// All allowed candidates, unsegmented first.
    pub(crate) fn candidates(&self, out: &mut [Cand; 64]) -> usize {
        let w = self.chars();
        let mut n = 0;
        for (pi, p) in PREFIXES.iter().enumerate() {
            if !w.starts_with(p.surf) {
                continue;
            }
            for (ei, e) in ENCLITICS.iter().enumerate() {
                if !w.ends_with(e) {
                    continue;
                }
                let c = Cand {
                    pre: pi as u8,
                    enc: ei as u8,
                };
                if n < out.len() && self.allows(c) {
                    out[n] = c;
                    n += 1;
                }
            }
        }
        n
    }
}

/// FxHash-style mixing of one value into a running hash.
#[inline]
fn fx(h: u64, x: u64) -> u64 {
    (h.rotate_left(5) ^ x).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95)
}

/// The splitmix64 finalizer.
#[inline]
fn fin(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Hash of a string of letters (the word table's key).
#[inline]
pub(crate) fn hash_chars(cs: &[char]) -> u64 {
    let mut h = 0x2545_f491_4f6c_dd1d;
    for &c in cs {
        h = fx(h, c as u64);
    }
    fin(fx(h, cs.len() as u64))
}

/// Hash of the concatenation of up to three letter strings.
#[inline]
fn hash_parts(a: &[char], b: &[char], c: &[char]) -> u64 {
    let mut h = 0x2545_f491_4f6c_dd1d;
    for &x in a.iter().chain(b).chain(c) {
        h = fx(h, x as u64);
    }
    fin(fx(h, (a.len() + b.len() + c.len()) as u64))
}

/// Frequency bucket of a count seen in the unlabeled corpus (0: unseen or seen once).
#[cfg_attr(not(feature = "train"), allow(dead_code))]
pub(crate) fn bucket(count: u64) -> u8 {
    if count < 2 {
        0
    } else {
        (64 - count.leading_zeros()).min(24) as u8
    }
}

/// Where features find corpus frequency buckets.
pub(crate) trait Freq {
    /// The bucket of the word whose [`hash_chars`] is `h`.
    fn bucket_of(&self, h: u64) -> u8;
}

/// Calls `f` with the hashed feature of every template for candidate `cand` of word `w`.
#[inline]
pub(crate) fn features(w: &WordChars, cand: Cand, freq: &impl Freq, mut f: impl FnMut(u64)) {
    let chars = w.chars();
    let p = &PREFIXES[usize::from(cand.pre)];
    let e = ENCLITICS[usize::from(cand.enc)];
    let base = &chars[p.surf.len()..chars.len() - e.len()];
    let (pi, ei) = (u64::from(cand.pre) + 1, u64::from(cand.enc) + 1);
    let n = base.len();
    let b = |i: usize| base.get(i).map_or(0, |&c| c as u64);
    let r = |i: usize| if i < n { base[n - 1 - i] as u64 } else { 0 };
    let lb = n.min(8) as u64;
    // Corpus evidence: the base alone, the word without its proclitics, without its enclitic.
    let mut fb = freq.bucket_of(hash_chars(base));
    // The proclitic letters read as part of the base (وزارتها: وزارة is a word).
    let mut fpa = if cand.pre != 0 {
        freq.bucket_of(hash_parts(p.surf, base, &[]))
    } else {
        0
    };
    if cand.enc != 0 && n >= 2 {
        // مدرسته → مدرسة, مستواه → مستوى
        let alt = match base[n - 1] {
            'ت' => Some('ة'),
            'ا' => Some('ى'),
            _ => None,
        };
        if let Some(a) = alt {
            fb = fb.max(freq.bucket_of(hash_parts(&base[..n - 1], &[a], &[])));
            if cand.pre != 0 {
                fpa = fpa.max(freq.bucket_of(hash_parts(p.surf, &base[..n - 1], &[a])));
            }
        }
    }
    let fpa = u64::from(fpa);
    let fr = if cand.pre != 0 {
        freq.bucket_of(hash_parts(base, e, &[]))
    } else {
        0
    };
    let fl = if cand.enc != 0 {
        freq.bucket_of(hash_parts(p.surf, base, &[]))
    } else {
        0
    };
    let fw = freq.bucket_of(hash_chars(chars));
    let (fb, fr, fl, fw) = (u64::from(fb), u64::from(fr), u64::from(fl), u64::from(fw));
    let d = (fb + 24).saturating_sub(fw);
    let t = |k: u64| fx(0x9e37_79b9_7f4a_7c15, k);
    f(fin(fx(t(1), pi)));
    f(fin(fx(t(2), ei)));
    f(fin(fx(fx(t(3), pi), ei)));
    f(fin(fx(fx(t(4), pi), b(0))));
    f(fin(fx(fx(fx(t(5), pi), b(0)), b(1))));
    f(fin(fx(fx(fx(fx(t(6), pi), b(0)), b(1)), b(2))));
    f(fin(fx(fx(t(7), ei), r(0))));
    f(fin(fx(fx(fx(t(8), ei), r(0)), r(1))));
    f(fin(fx(fx(fx(fx(t(9), ei), r(0)), r(1)), r(2))));
    f(fin(fx(fx(t(10), pi), lb)));
    f(fin(fx(fx(t(11), ei), lb)));
    f(fin(fx(t(12), hash_chars(base))));
    f(fin(fx(fx(fx(t(13), hash_chars(chars)), pi), ei)));
    f(fin(fx(fx(t(14), pi), fb)));
    f(fin(fx(fx(t(15), ei), fb)));
    f(fin(fx(fx(fx(t(16), pi), ei), fb)));
    f(fin(fx(fx(t(17), pi), d)));
    f(fin(fx(fx(t(18), ei), d)));
    f(fin(fx(fx(t(19), pi), fr)));
    f(fin(fx(fx(t(20), ei), fl)));
    f(fin(fx(fx(fx(t(21), pi), fb), lb)));
    f(fin(fx(fx(fx(t(22), ei), fb), lb)));
    f(fin(fx(fx(fx(fx(t(23), pi), ei), b(0)), r(0))));
    // The letter before the base (last proclitic letter) with the base's first two.
    let prev = if p.surf.is_empty() {
        0
    } else {
        p.surf[p.surf.len() - 1] as u64
    };
    f(fin(fx(fx(fx(fx(t(24), pi), prev), b(0)), fb.min(1))));
    f(fin(fx(fx(fx(fx(t(25), ei), r(0)), fl.min(1)), fb.min(1))));
    f(fin(fx(fx(fx(t(26), pi), fpa / 2), fb / 2)));
    f(fin(fx(fx(t(27), pi), (fpa + 24).saturating_sub(fb))));
}

/// The word table: open addressing over 64-bit word hashes, each slot a 32-bit
/// fingerprint (0 = empty) and a 16-bit value: frequency bucket (5 bits) and the cached
/// decision's code + 1 (0 = not cached).
#[derive(Debug, Default)]
pub(crate) struct Table {
    pub(crate) fps: Vec<u32>,
    pub(crate) vals: Vec<u16>,
    pub(crate) max_probe: u32,
}

impl Table {
    #[inline]
    pub(crate) fn fingerprint(h: u64) -> u32 {
        ((h >> 32) as u32) | 1
    }

    #[inline]
    pub(crate) fn get(&self, h: u64) -> Option<u16> {
        let mask = self.fps.len().checked_sub(1)?;
        let fp = Table::fingerprint(h);
        let mut i = (h as usize) & mask;
        for _ in 0..=self.max_probe {
            let s = *self.fps.get(i)?;
            if s == fp {
                return self.vals.get(i).copied();
            }
            if s == 0 {
                return None;
            }
            i = (i + 1) & mask;
        }
        None
    }
}

impl Freq for Table {
    #[inline]
    fn bucket_of(&self, h: u64) -> u8 {
        self.get(h).map_or(0, |v| (v & 31) as u8)
    }
}

/// A trained clitic segmenter.
#[derive(Debug, Default)]
pub struct Segmenter {
    /// Hashed feature weights (length a power of two; empty: keep every word whole).
    pub(crate) weights: Vec<f32>,
    pub(crate) table: Table,
}

impl Segmenter {
    /// Loads a segmenter model.
    ///
    /// # Errors
    /// A model error when the bytes are not a valid segmenter model (truncated, foreign,
    /// another kind or version, corrupted, or with inconsistent tables).
    pub fn from_blob(blob: Blob) -> Result<Segmenter> {
        let bundle = Bundle::parse(blob, KIND, VERSION)?;
        let mut r = Reader::new(bundle.payload());
        let bad = |what: &str| khabar_model::Error::format(format!("segmenter model: {what}"));
        let wbits = r.u32("weight_bits")?;
        let tbits = r.u32("table_bits")?;
        let max_probe = r.u32("max_probe")?;
        if !(4..=26).contains(&wbits) || !(4..=26).contains(&tbits) {
            return Err(bad("table sizes out of range").into());
        }
        let weights = r.f32s("weights")?;
        let fps = r.bytes("table_fingerprints")?;
        let vals = r.bytes("table_values")?;
        let (wn, tn) = (1usize << wbits, 1usize << tbits);
        if weights.len() != wn
            || fps.len() != 4 * tn
            || vals.len() != 2 * tn
            || max_probe as usize >= tn
        {
            return Err(bad("table lengths do not match their sizes").into());
        }
        if r.remaining() != 0 {
            return Err(bad("trailing bytes after the tables").into());
        }
        if weights.iter().any(|w| !w.is_finite()) {
            return Err(bad("non-finite weight").into());
        }
        let fps = fps
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        let vals = vals
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        Ok(Segmenter {
            weights,
            table: Table {
                fps,
                vals,
                max_probe,
            },
        })
    }

    /// The model as artifact bytes (what [`Segmenter::from_blob`] reads).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::new();
        w.u32(self.weights.len().trailing_zeros());
        w.u32(self.table.fps.len().trailing_zeros());
        w.u32(self.table.max_probe);
        w.f32s(&self.weights);
        let fps: Vec<u8> = self
            .table
            .fps
            .iter()
            .flat_map(|x| x.to_le_bytes())
            .collect();
        let vals: Vec<u8> = self
            .table
            .vals
            .iter()
            .flat_map(|x| x.to_le_bytes())
            .collect();
        w.bytes(&fps);
        w.bytes(&vals);
        Bundle::encode(KIND, VERSION, &w.finish())
    }

    #[inline]
    pub(crate) fn score(&self, w: &WordChars, cand: Cand, freq: &impl Freq) -> f32 {
        let mask = self.weights.len().wrapping_sub(1);
        let mut s = 0.0;
        features(w, cand, freq, |h| {
            s += self
                .weights
                .get((h as usize) & mask)
                .copied()
                .unwrap_or(0.0)
        });
        s
    }

    /// The best candidate by the model (no cache).
    pub(crate) fn decide_with(&self, w: &WordChars, freq: &impl Freq) -> Cand {
        let mut cands = [Cand::default(); 64];
        let n = w.candidates(&mut cands);
        let mut best = Cand::default();
        let mut best_score = f32::NEG_INFINITY;
        for &c in &cands[..n] {
            let s = self.score(w, c, freq);
            if s > best_score {
                best_score = s;
                best = c;
            }
        }
        best
    }

    fn decide(&self, w: &WordChars) -> Cand {
        if self.weights.is_empty() {
            return Cand::default();
        }
        if let Some(v) = self.table.get(hash_chars(w.chars())) {
            if let Some(c) = (v >> 5).checked_sub(1).and_then(Cand::from_code) {
                if c == Cand::default() || w.allows(c) {
                    return c;
                }
            }
        }
        self.decide_with(w, &self.table)
    }

    /// Whether the decision for `word` is precomputed in the model (diagnostics).
    #[doc(hidden)]
    pub fn is_cached(&self, word: &str) -> bool {
        WordChars::new(word)
            .and_then(|w| self.table.get(hash_chars(w.chars())))
            .is_some_and(|v| v >> 5 != 0)
    }

    /// Segments one word (its surface form as written, diacritics and all).
    pub fn segment(&self, word: &str) -> Vec<Segment> {
        let whole = || {
            vec![Segment {
                range: 0..word.len(),
                form: word.to_string(),
                role: SegmentRole::Base,
            }]
        };
        let Some(w) = WordChars::new(word) else {
            return whole();
        };
        let cand = self.decide(&w);
        if cand == Cand::default() {
            return whole();
        }
        build_segments(word, &w, cand)
    }
}

/// Turns a candidate into surface segments.
pub(crate) fn build_segments(word: &str, w: &WordChars, cand: Cand) -> Vec<Segment> {
    let p = &PREFIXES[usize::from(cand.pre)];
    let e = ENCLITICS[usize::from(cand.enc)];
    let mut out = Vec::with_capacity(p.segs.len() + 2);
    // Byte offset where letter `i` starts (the word's end for `i == len`).
    let at = |i: usize| {
        if i == 0 {
            0
        } else if i >= w.len {
            word.len()
        } else {
            w.span[i].0 as usize
        }
    };
    let mut i = 0;
    for &(form, n) in p.segs {
        let j = i + usize::from(n);
        let range = at(i)..at(j);
        let slice = word.get(range.clone()).unwrap_or_default();
        // The article elided after ل keeps its scheme form.
        let form = if form == "ال" && n == 1 {
            form.to_string()
        } else {
            slice.to_string()
        };
        out.push(Segment {
            range,
            form,
            role: SegmentRole::Proclitic,
        });
        i = j;
    }
    let j = w.len - e.len();
    let range = at(i)..at(j);
    out.push(Segment {
        form: word.get(range.clone()).unwrap_or_default().to_string(),
        range,
        role: SegmentRole::Base,
    });
    if !e.is_empty() {
        let range = at(j)..word.len();
        out.push(Segment {
            form: word.get(range.clone()).unwrap_or_default().to_string(),
            range,
            role: SegmentRole::Enclitic,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_chars_map_back_to_the_surface() {
        let w = WordChars::new("وبِالسّلامِ").unwrap();
        assert_eq!(w.chars().iter().collect::<String>(), "وبالسلام");
        let segs = build_segments("وبِالسّلامِ", &w, Cand { pre: 15, enc: 0 });
        let forms: Vec<&str> = segs.iter().map(|s| s.form.as_str()).collect();
        assert_eq!(forms, ["و", "بِ", "ال", "سّلامِ"]);
        assert!(WordChars::new("abc").is_none());
        assert!(WordChars::new("ـ").is_none());
    }

    #[test]
    fn restored_article_and_enclitic() {
        let w = WordChars::new("للمرة").unwrap();
        let segs = build_segments("للمرة", &w, Cand { pre: 8, enc: 0 });
        let forms: Vec<&str> = segs.iter().map(|s| s.form.as_str()).collect();
        assert_eq!(forms, ["ل", "ال", "مرة"]);
        assert_eq!(segs[1].range, 2..4);
        let w = WordChars::new("كتابهم").unwrap();
        assert!(w.allows(Cand { pre: 0, enc: 3 }));
        assert!(!WordChars::new("مدرسة")
            .unwrap()
            .allows(Cand { pre: 0, enc: 1 }));
        let segs = build_segments("كتابهم", &w, Cand { pre: 0, enc: 3 });
        assert_eq!(segs[1].form, "هم");
        assert_eq!(segs[1].role, SegmentRole::Enclitic);
    }

    #[test]
    fn empty_model_keeps_words_whole_and_round_trips() {
        let s = Segmenter::default();
        assert_eq!(s.segment("وبالسلام").len(), 1);
        let s = Segmenter {
            weights: vec![0.0; 16],
            table: Table {
                fps: vec![0; 16],
                vals: vec![0; 16],
                max_probe: 0,
            },
        };
        let b = s.to_bytes();
        assert!(Segmenter::from_blob(Blob::Owned(b.clone())).is_ok());
        assert!(Segmenter::from_blob(Blob::Owned(b[..b.len() - 1].to_vec())).is_err());
    }
}
