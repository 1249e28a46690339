//! Learning word statistics and clusters from unlabeled news text (SaudiNewsNet bodies).
//!
//! 1. Stream article bodies, drop exact duplicates (same first 300 characters), tokenize with
//!    khabar's tokenizer and normalize with the `search` profile.
//! 2. Count words; keep counts of every word seen at least `min_count` times.
//! 3. For the `vocab` most frequent words, count their left and right neighbours at
//!    distance 1 and 2 among the `contexts` most frequent words, weight the counts by
//!    positive PMI (context distribution smoothed with α = 0.75) and reduce each sparse
//!    vector to `dims` dimensions with a fixed random ±1 projection; normalize to unit length.
//! 4. Cluster the vectors with spherical k-means, hierarchically: `levels[0]` clusters, each
//!    split into `levels[1]`, each of those into `levels[2]`, giving three nested
//!    granularities (like Brown-cluster bit-string prefixes, at a fraction of the cost).
//!
//! Everything is deterministic for a given seed (parallel steps reduce in a fixed order).

use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;

use khabar_text::normalize::normalize_into;
use khabar_text::Profile;

use super::features::{hash_str, WordInfo, WordLex};
use crate::{Error, Result};

/// Settings for [`build`].
#[derive(Clone, Debug)]
pub struct WordLexConfig {
    /// Stop after this many bytes of article text (all when `None`).
    pub limit_bytes: Option<usize>,
    /// Words to cluster (most frequent first).
    pub vocab: usize,
    /// Keep counts of words seen at least this often.
    pub min_count: u32,
    /// Context words (most frequent first).
    pub contexts: usize,
    /// Projected dimensions.
    pub dims: usize,
    /// Clusters per level (nested).
    pub levels: [usize; 3],
    /// k-means iterations per split.
    pub iters: usize,
    /// Random seed.
    pub seed: u64,
}

impl Default for WordLexConfig {
    fn default() -> Self {
        WordLexConfig { limit_bytes: None, vocab: 80_000, min_count: 2, contexts: 4000, dims: 128, levels: [32, 8, 8], iters: 12, seed: 7 }
    }
}

/// What [`build`] saw.
#[derive(Clone, Debug, Default)]
pub struct WordLexStats {
    /// Articles read.
    pub articles: usize,
    /// Articles skipped as duplicates.
    pub duplicates: usize,
    /// Tokens counted.
    pub tokens: usize,
    /// Distinct normalized words.
    pub types: usize,
    /// Words kept in the lexicon.
    pub kept: usize,
    /// Words clustered.
    pub clustered: usize,
}

/// A deterministic pseudo-random generator (SplitMix64).
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// Seeded generator.
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x853c_49e6_748f_ea9b)
    }
    /// Next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

const BOUNDARY: u32 = u32::MAX;

struct Interner {
    ids: HashMap<String, u32>,
    words: Vec<String>,
}

impl Interner {
    fn id(&mut self, w: &str) -> u32 {
        if let Some(&i) = self.ids.get(w) {
            return i;
        }
        let i = self.words.len() as u32;
        self.words.push(w.to_string());
        self.ids.insert(w.to_string(), i);
        i
    }
}

/// A simple splitter (whitespace, then punctuation peeled off both ends; digit runs
/// become `<num>`). Independent of the pipeline tokenizer so that the lexicon does not
/// change when the tokenizer does; words are normalized exactly as the tagger does.
fn push_text(text: &str, inter: &mut Interner, stream: &mut Vec<u32>, scratch: &mut String) {
    for chunk in text.split_whitespace() {
        let is_core = |c: char| c.is_alphanumeric() || khabar_text::chars::is_harakah(c) || khabar_text::chars::is_tatweel(c);
        let start = chunk.find(is_core);
        let Some(start) = start else {
            for c in chunk.chars().take(4) {
                let mut b = [0u8; 4];
                stream.push(inter.id(c.encode_utf8(&mut b)));
            }
            continue;
        };
        let end = chunk.rfind(is_core).map_or(chunk.len(), |e| e + chunk[e..].chars().next().map_or(1, char::len_utf8));
        for c in chunk[..start].chars().take(2) {
            let mut b = [0u8; 4];
            stream.push(inter.id(c.encode_utf8(&mut b)));
        }
        let word = &chunk[start..end];
        scratch.clear();
        if word.chars().any(|c| c.is_numeric()) && !word.chars().any(khabar_text::chars::is_arabic_letter) {
            scratch.push_str("<num>");
        } else {
            normalize_into(word, Profile::Search, scratch);
        }
        if !scratch.is_empty() {
            stream.push(inter.id(scratch));
        }
        for c in chunk[end..].chars().take(2) {
            let mut b = [0u8; 4];
            stream.push(inter.id(c.encode_utf8(&mut b)));
        }
    }
    stream.push(BOUNDARY);
}

/// Builds the word lexicon from a JSON Lines corpus (field `text`), plus `extra` token
/// sentences (the labeled training text, so its words get clusters too).
///
/// # Errors
/// I/O errors reading the corpus.
pub fn build(path: &Path, extra: &[Vec<String>], cfg: &WordLexConfig) -> Result<(WordLex, WordLexStats)> {
    let mut stats = WordLexStats::default();
    let mut inter = Interner { ids: HashMap::new(), words: Vec::new() };
    let mut stream: Vec<u32> = Vec::with_capacity(10_000_000);
    let mut seen = std::collections::HashSet::new();
    let mut scratch = String::new();
    khabar_text::corpus::for_each_jsonl_field(path, "text", cfg.limit_bytes, |body| {
        stats.articles += 1;
        let head: String = body.chars().take(300).collect();
        if !seen.insert(hash_str(&head)) {
            stats.duplicates += 1;
            return;
        }
        push_text(body, &mut inter, &mut stream, &mut scratch);
    })
    .map_err(Error::from)?;
    for sent in extra {
        for w in sent {
            scratch.clear();
            normalize_into(w, Profile::Search, &mut scratch);
            if !scratch.is_empty() {
                stream.push(inter.id(&scratch));
            }
        }
        stream.push(BOUNDARY);
    }
    stats.tokens = stream.iter().filter(|&&x| x != BOUNDARY).count();
    stats.types = inter.words.len();
    Ok(cluster(&inter.words, &stream, cfg, stats))
}

fn cluster(words: &[String], stream: &[u32], cfg: &WordLexConfig, mut stats: WordLexStats) -> (WordLex, WordLexStats) {
    let nw = words.len();
    let mut counts = vec![0u32; nw];
    for &w in stream {
        if w != BOUNDARY {
            counts[w as usize] += 1;
        }
    }
    let mut order: Vec<u32> = (0..nw as u32).collect();
    order.sort_by(|&a, &b| counts[b as usize].cmp(&counts[a as usize]).then_with(|| words[a as usize].cmp(&words[b as usize])));
    let mut rank = vec![u32::MAX; nw];
    for (r, &w) in order.iter().enumerate() {
        rank[w as usize] = r as u32;
    }
    let vocab = cfg.vocab.min(order.iter().take_while(|&&w| counts[w as usize] >= 5).count());
    let ctxs = cfg.contexts.min(vocab);
    stats.clustered = vocab;

    // Co-occurrence pairs (word rank << 32 | context feature).
    let mut pairs: Vec<u64> = Vec::with_capacity(stream.len() * 3);
    let nf = 4 * ctxs;
    for i in 0..stream.len() {
        let w = stream[i];
        if w == BOUNDARY || rank[w as usize] as usize >= vocab {
            continue;
        }
        let r = u64::from(rank[w as usize]) << 32;
        let mut push = |d: isize, slot: usize| {
            let j = i as isize + d;
            if j < 0 || j as usize >= stream.len() {
                return;
            }
            let c = stream[j as usize];
            if c == BOUNDARY {
                return;
            }
            let cr = rank[c as usize] as usize;
            if cr < ctxs {
                pairs.push(r | (slot * ctxs + cr) as u64);
            }
        };
        // Stop at sentence/article boundaries for distance 2 as well.
        let left_ok = i >= 1 && stream[i - 1] != BOUNDARY;
        let right_ok = i + 1 < stream.len() && stream[i + 1] != BOUNDARY;
        push(-1, 0);
        push(1, 1);
        if left_ok {
            push(-2, 2);
        }
        if right_ok {
            push(2, 3);
        }
    }
    pairs.par_sort_unstable();
    // Run-length counts, grouped per word.
    let mut rows: Vec<Vec<(u32, f32)>> = vec![Vec::new(); vocab];
    let mut feat_tot = vec![0f64; nf];
    let mut k = 0;
    while k < pairs.len() {
        let p = pairs[k];
        let mut n = 0u32;
        while k < pairs.len() && pairs[k] == p {
            n += 1;
            k += 1;
        }
        let w = (p >> 32) as usize;
        let f = (p & 0xffff_ffff) as usize;
        rows[w].push((f as u32, n as f32));
        feat_tot[f] += f64::from(n);
    }
    drop(pairs);
    let alpha = 0.75;
    let feat_s: Vec<f64> = feat_tot.iter().map(|&c| c.powf(alpha)).collect();
    let sum_s: f64 = feat_s.iter().sum::<f64>().max(1.0);
    // Random ±1 projection, one row per context feature.
    let dims = cfg.dims;
    let mut rng = Rng::new(cfg.seed);
    let proj: Vec<f32> = (0..nf * dims).map(|_| if rng.next_u64() & 1 == 0 { 1.0 } else { -1.0 }).collect();
    let vecs: Vec<Vec<f32>> = rows
        .par_iter()
        .map(|row| {
            let tot: f64 = row.iter().map(|(_, c)| f64::from(*c)).sum::<f64>().max(1.0);
            let mut v = vec![0f32; dims];
            for &(f, c) in row {
                let pmi = ((f64::from(c) * sum_s) / (tot * feat_s[f as usize])).ln();
                if pmi > 0.0 {
                    let base = f as usize * dims;
                    for (a, b) in v.iter_mut().zip(&proj[base..base + dims]) {
                        *a += pmi as f32 * b;
                    }
                }
            }
            let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
            if norm > 0.0 {
                v.iter_mut().for_each(|x| *x /= norm);
            }
            v
        })
        .collect();

    // Hierarchical spherical k-means.
    let mut assign = vec![[u16::MAX; 3]; vocab];
    let all: Vec<usize> = (0..vocab).collect();
    let mut groups: Vec<(usize, Vec<usize>)> = vec![(0, all)];
    for (level, &k) in cfg.levels.iter().enumerate() {
        let mut next = Vec::new();
        for (gid, members) in groups {
            let labels = kmeans(&vecs, &members, k, cfg.iters, cfg.seed.wrapping_add((level * 100_000 + gid) as u64));
            let mut subs: Vec<Vec<usize>> = vec![Vec::new(); k];
            for (&m, &l) in members.iter().zip(&labels) {
                subs[l].push(m);
            }
            for (l, sub) in subs.into_iter().enumerate() {
                let id = gid * k + l;
                for &m in &sub {
                    assign[m][level] = id as u16;
                }
                next.push((id, sub));
            }
        }
        groups = next;
    }

    let mut lex = WordLex::default();
    for (r, &w) in order.iter().enumerate() {
        let c = counts[w as usize];
        if c < cfg.min_count {
            break;
        }
        let word = &words[w as usize];
        if word == "<num>" {
            continue;
        }
        let clusters = if r < vocab { assign[r] } else { [u16::MAX; 3] };
        lex.words.insert(hash_str(word), WordInfo { count: c, clusters });
    }
    stats.kept = lex.words.len();
    (lex, stats)
}

/// Spherical k-means (cosine similarity on unit vectors) with k-means++ seeding; returns a
/// label per member.
fn kmeans(vecs: &[Vec<f32>], members: &[usize], k: usize, iters: usize, seed: u64) -> Vec<usize> {
    let n = members.len();
    if n == 0 {
        return Vec::new();
    }
    let k = k.min(n);
    let dims = vecs[members[0]].len();
    let dot = |a: &[f32], b: &[f32]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f32>();
    let mut rng = Rng::new(seed);
    let mut cents: Vec<Vec<f32>> = vec![vecs[members[rng.below(n)]].clone()];
    let mut dist: Vec<f32> = members.iter().map(|&m| (1.0 - dot(&vecs[m], &cents[0])).max(0.0)).collect();
    while cents.len() < k {
        let tot: f64 = dist.iter().map(|&d| f64::from(d)).sum();
        let pick = if tot <= 0.0 {
            rng.below(n)
        } else {
            let mut x = rng.unit() * tot;
            let mut p = n - 1;
            for (i, &d) in dist.iter().enumerate() {
                x -= f64::from(d);
                if x <= 0.0 {
                    p = i;
                    break;
                }
            }
            p
        };
        let c = vecs[members[pick]].clone();
        for (d, &m) in dist.iter_mut().zip(members) {
            *d = d.min((1.0 - dot(&vecs[m], &c)).max(0.0));
        }
        cents.push(c);
    }
    let mut labels = vec![0usize; n];
    for _ in 0..iters {
        labels = members
            .par_iter()
            .map(|&m| {
                let v = &vecs[m];
                let mut best = 0;
                let mut bs = f32::NEG_INFINITY;
                for (c, cent) in cents.iter().enumerate() {
                    let s = dot(v, cent);
                    if s > bs {
                        bs = s;
                        best = c;
                    }
                }
                best
            })
            .collect();
        let mut sums = vec![vec![0f32; dims]; k];
        for (&m, &l) in members.iter().zip(&labels) {
            for (a, b) in sums[l].iter_mut().zip(&vecs[m]) {
                *a += b;
            }
        }
        for (c, s) in sums.into_iter().enumerate() {
            let norm = s.iter().map(|x| x * x).sum::<f32>().sqrt();
            if norm > 0.0 {
                cents[c] = s.into_iter().map(|x| x / norm).collect();
            }
        }
    }
    labels
}

/// Writes a lexicon to a cache file (the model payload's lexicon record format).
///
/// # Errors
/// I/O errors.
pub fn save(lex: &WordLex, path: &Path) -> Result<()> {
    let mut v: Vec<_> = lex.words.iter().collect();
    v.sort_unstable_by_key(|(k, _)| **k);
    let mut b = Vec::with_capacity(v.len() * 18);
    for (k, i) in v {
        b.extend_from_slice(&k.to_le_bytes());
        b.extend_from_slice(&i.count.to_le_bytes());
        i.clusters.iter().for_each(|c| b.extend_from_slice(&c.to_le_bytes()));
    }
    std::fs::write(path, b).map_err(|source| Error::Io { path: path.to_path_buf(), source })
}

/// Reads a lexicon cache file written by [`save`].
///
/// # Errors
/// I/O errors, or a file that is not a whole number of records.
pub fn load(path: &Path) -> Result<WordLex> {
    let b = std::fs::read(path).map_err(|source| Error::Io { path: path.to_path_buf(), source })?;
    if b.len() % 18 != 0 {
        return Err(Error::Invalid(format!("{}: not a word-lexicon cache file", path.display())));
    }
    let mut lex = WordLex::default();
    for r in b.chunks_exact(18) {
        let mut k = [0u8; 8];
        k.copy_from_slice(&r[..8]);
        let c = |o: usize| u16::from_le_bytes([r[o], r[o + 1]]);
        lex.words.insert(
            u64::from_le_bytes(k),
            WordInfo { count: u32::from_le_bytes([r[8], r[9], r[10], r[11]]), clusters: [c(12), c(14), c(16)] },
        );
    }
    Ok(lex)
}
