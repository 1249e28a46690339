//! Near-duplicate detection: MinHash signatures over normalized word shingles, and an LSH
//! table that finds, for each new article, the earlier articles it probably duplicates.
//!
//! * Shingles: overlapping runs of [`SHINGLE`] words, each word normalized with the `search`
//!   profile (so harakat, tatweel, hamza seats, ta marbuta and digit scripts do not matter);
//!   punctuation is ignored. A text shorter than a shingle gives one shingle of all its words.
//! * Signature: [`HASHES`] minimums of independent 64-bit hashes of the shingles; the share
//!   of equal minimums between two signatures estimates the Jaccard similarity of the two
//!   shingle sets.
//! * LSH: the signature is cut into [`BANDS`] bands of [`ROWS`] rows; two articles sharing
//!   any band are candidates (probability `1 - (1 - J^6)^20`: 0.998 at J = 0.8, 0.27 at
//!   J = 0.5), then kept when their estimated similarity reaches the threshold.
//!
//! Clusters are built online, in input order: an article joins the cluster of its most
//! similar earlier article (single link), or starts its own. A cluster's id is the id of
//! its first article.

use rustc_hash::FxHashMap;

use khabar_text::normalize::normalize_into;
use khabar_text::{tokenize, Profile, TokenKind};

/// Words per shingle.
pub const SHINGLE: usize = 3;
/// Hash functions in a signature.
pub const HASHES: usize = BANDS * ROWS;
/// LSH bands.
pub const BANDS: usize = 20;
/// Rows per band.
pub const ROWS: usize = 6;

/// A MinHash signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature(pub [u32; HASHES]);

impl Signature {
    /// The estimated Jaccard similarity with `other` (share of equal minimums).
    pub fn similarity(&self, other: &Signature) -> f32 {
        let same = self
            .0
            .iter()
            .zip(other.0.iter())
            .filter(|(a, b)| a == b)
            .count();
        same as f32 / HASHES as f32
    }
}

#[inline]
fn mix(mut x: u64) -> u64 {
    // splitmix64 finalizer
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

fn hash_str(s: &str) -> u64 {
    // FNV-1a, then mixed: stable across runs and platforms.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    mix(h)
}

/// The hashes of the normalized word shingles of `text` (sorted, deduplicated).
pub fn shingles(text: &str) -> Vec<u64> {
    let mut words: Vec<u64> = Vec::new();
    let mut norm = String::new();
    for t in tokenize(text) {
        if matches!(t.kind, TokenKind::Punct | TokenKind::Symbol) {
            continue;
        }
        norm.clear();
        normalize_into(&text[t.span.range()], Profile::Search, &mut norm);
        if !norm.is_empty() {
            words.push(hash_str(&norm));
        }
    }
    let mut out: Vec<u64> = if words.len() < SHINGLE {
        if words.is_empty() {
            Vec::new()
        } else {
            vec![words.iter().fold(0u64, |h, &w| mix(h.rotate_left(17) ^ w))]
        }
    } else {
        words
            .windows(SHINGLE)
            .map(|w| w.iter().fold(0u64, |h, &x| mix(h.rotate_left(17) ^ x)))
            .collect()
    };
    out.sort_unstable();
    out.dedup();
    out
}

/// The MinHash signature of a shingle set, or `None` when it is empty.
pub fn signature_of(shingles: &[u64]) -> Option<Signature> {
    if shingles.is_empty() {
        return None;
    }
    let mut sig = [u32::MAX; HASHES];
    for &s in shingles {
        for (i, m) in sig.iter_mut().enumerate() {
            let h = (mix(s ^ SEEDS[i]) >> 32) as u32;
            if h < *m {
                *m = h;
            }
        }
    }
    Some(Signature(sig))
}

/// The MinHash signature of `text`, or `None` when it has no words.
pub fn signature(text: &str) -> Option<Signature> {
    signature_of(&shingles(text))
}

/// The exact Jaccard similarity of two sorted, deduplicated shingle sets.
pub fn jaccard(a: &[u64], b: &[u64]) -> f32 {
    let (mut i, mut j, mut inter) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                inter += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - inter;
    if union == 0 {
        0.0
    } else {
        inter as f32 / union as f32
    }
}

const SEEDS: [u64; HASHES] = {
    let mut s = [0u64; HASHES];
    let mut i = 0;
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    while i < HASHES {
        x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = x;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        s[i] = z ^ (z >> 31);
        i += 1;
    }
    s
};

/// What [`Lsh::insert`] decided for an article.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Assignment {
    /// The cluster id (the id of the cluster's first article).
    pub cluster: u64,
    /// The most similar earlier article and its estimated similarity, if one passed the threshold.
    pub nearest: Option<(u64, f32)>,
}

/// An online LSH table of MinHash signatures.
#[derive(Debug)]
pub struct Lsh {
    threshold: f32,
    buckets: FxHashMap<u64, Vec<u32>>,
    ids: Vec<u64>,
    clusters: Vec<u64>,
    sigs: Vec<Signature>,
}

impl Lsh {
    /// An empty table keeping pairs with estimated similarity `>= threshold`.
    pub fn new(threshold: f32) -> Lsh {
        Lsh {
            threshold,
            buckets: FxHashMap::default(),
            ids: Vec::new(),
            clusters: Vec::new(),
            sigs: Vec::new(),
        }
    }

    /// The similarity threshold.
    pub fn threshold(&self) -> f32 {
        self.threshold
    }

    /// Articles in the table.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    fn band_key(sig: &Signature, band: usize) -> u64 {
        let rows = &sig.0[band * ROWS..(band + 1) * ROWS];
        rows.iter()
            .fold(mix(band as u64 + 1), |h, &r| mix(h ^ u64::from(r)))
    }

    /// Adds article `id`, returning its cluster and nearest earlier duplicate. An article
    /// without a signature (no words) is its own cluster and is not added.
    pub fn insert(&mut self, id: u64, sig: Option<&Signature>) -> Assignment {
        let Some(sig) = sig else {
            return Assignment {
                cluster: id,
                nearest: None,
            };
        };
        let mut best: Option<(usize, f32)> = None;
        let mut seen: Vec<u32> = Vec::new();
        for band in 0..BANDS {
            if let Some(list) = self.buckets.get(&Self::band_key(sig, band)) {
                for &j in list {
                    if seen.contains(&j) {
                        continue;
                    }
                    seen.push(j);
                    let s = sig.similarity(&self.sigs[j as usize]);
                    if s >= self.threshold && best.is_none_or(|(_, b)| s > b) {
                        best = Some((j as usize, s));
                    }
                }
            }
        }
        let idx = self.ids.len() as u32;
        for band in 0..BANDS {
            self.buckets
                .entry(Self::band_key(sig, band))
                .or_default()
                .push(idx);
        }
        let (cluster, nearest) = match best {
            Some((j, s)) => (self.clusters[j], Some((self.ids[j], s))),
            None => (id, None),
        };
        self.ids.push(id);
        self.clusters.push(cluster);
        self.sigs.push(sig.clone());
        Assignment { cluster, nearest }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_duplicates_are_similar_and_others_not() {
        let a = "أعلنت وزارة الصحة اليوم عن تسجيل حالات جديدة من فيروس كورونا في مدينة الرياض وقالت الوزارة إن الحالات مستقرة وتتلقى العلاج اللازم في المستشفيات";
        let b = "أعلنت وزارة الصّحة اليوم عن تسجيل حالات جديدة من فيروس كورونا في مدينة الرياض، وقالت الوزارة إن الحالات مستقرة وتتلقى العلاج اللازم في المستشفيات.";
        let c = "فاز فريق الهلال على النصر بهدفين مقابل هدف في المباراة التي أقيمت مساء أمس على ملعب الملك فهد الدولي بالرياض";
        let (sa, sb, sc) = (
            signature(a).unwrap(),
            signature(b).unwrap(),
            signature(c).unwrap(),
        );
        assert!(sa.similarity(&sb) > 0.95, "{}", sa.similarity(&sb));
        assert!(sa.similarity(&sc) < 0.1);
        let mut lsh = Lsh::new(0.8);
        assert_eq!(lsh.insert(10, Some(&sa)).cluster, 10);
        assert_eq!(lsh.insert(11, Some(&sc)).cluster, 11);
        let as_b = lsh.insert(12, Some(&sb));
        assert_eq!(as_b.cluster, 10);
        assert_eq!(as_b.nearest.map(|n| n.0), Some(10));
        assert_eq!(lsh.insert(13, None).cluster, 13);
    }

    #[test]
    fn jaccard_is_exact() {
        assert_eq!(jaccard(&[1, 2, 3, 4], &[3, 4, 5, 6]), 2.0 / 6.0);
        assert_eq!(jaccard(&[], &[]), 0.0);
    }
}
