//! Glued-word repair: finds tokens that are two or more words written without a space
//! (`الولاياتالمتحدة`) and says where the spaces go.
//!
//! The decision is made on the `search`-normalized form of the token and mapped back to
//! byte offsets in the surface word through [`NormalizedText`]'s exact map, so harakat and
//! tatweel in the surface stay with the letter they follow. Three cases (see
//! `docs/repair.md`):
//!
//! 1. **Known glue.** The lexicon key carries a split: training saw the pair `a b` far more
//!    often than the glued `ab` (`اكثرمن`, `وزيرالخارجيه`). One fst lookup.
//! 2. **Known word.** Any other key is a word seen at least twice: never split. One fst
//!    lookup; this is the path almost every token takes.
//! 3. **Unknown word.** A unigram word-break: the best segmentation into known parts
//!    (each seen ≥ `min_part_count` times, none a bare clitic or suffix) scores
//!    `Σ ln c(part) − (k−1)·(ln N + split_cost)` and must beat the whole word, scored by
//!    its best clitic analysis (`و`/`ف` + `ب`/`ل`/`ك`/`س` + known stem + pronoun suffix,
//!    `ln c(stem) − clitic_cost` per clitic) or the unknown-word pseudo-count.

use crate::lexicon::{Entry, Lexicon, RepairParams};
use crate::normalize::{normalize_char, NormalizedText, Profile};

/// Longest normalized word (in bytes) the unknown-word search looks at.
const MAX_SEARCH_BYTES: usize = 96;
/// Most parts a word is split into.
const MAX_PARTS: usize = 3;

/// Proclitic clusters that may not stand as a part of their own (`و|الامم` is one word).
const PROCLITIC_PARTS: &[&str] = &[
    "و", "ف", "ب", "ل", "ك", "س", "وب", "فب", "ول", "فل", "وك", "فك", "وس", "فس", "لل", "ولل",
    "فلل", "ال", "وال", "فال", "بال", "كال", "وبال", "فبال", "وكال", "فكال", "لي", "ولي", "بي",
    "الا", "والا", "عبد", "ابو", "ابا", "ابي", "ابن", "بن", "بنت", "ام", "نور",
];
/// Suffixes and short function words that may not stand as a later part of an unknown
/// word (`الوزير|ان` is a dual, `كتاب|هم` a possessive).
const SUFFIX_PARTS: &[&str] = &[
    "ه",
    "ها",
    "هم",
    "هما",
    "هن",
    "ك",
    "كم",
    "كما",
    "كن",
    "نا",
    "ني",
    "ي",
    "ان",
    "ين",
    "ون",
    "ات",
    "ته",
    "تها",
    "تهم",
    "تي",
    "يه",
    "يا",
    "وا",
    "تم",
    "تما",
    "تن",
    "ما",
    "من",
    "ال",
    "اه",
    "يات",
    "يين",
    "يون",
    "يان",
    "تان",
    "تين",
    "ا",
    "ت",
    "ن",
    "لا",
    "لي",
    "له",
    "لها",
    "لهم",
    "في",
    "يه",
    "ية",
    "الله",
    "لله",
    "الدين",
];
/// Proclitics stripped when explaining an unknown word as one word.
const PREFIXES: &[&str] = &[
    "", "و", "ف", "ب", "ل", "ك", "س", "وب", "فب", "ول", "فل", "وك", "فك", "وس", "فس", "لل", "ولل",
    "فلل",
];
/// Pronoun suffixes stripped when explaining an unknown word as one word.
const SUFFIXES: &[&str] = &[
    "", "ه", "ها", "هم", "هما", "هن", "ك", "كم", "كما", "كن", "نا", "ني", "ي",
];

/// Decides whether, and where, to split glued words.
#[derive(Debug, Default)]
pub struct Repairer {
    lexicon: Lexicon,
}

impl Repairer {
    /// A repairer over a frequency lexicon.
    pub fn new(lexicon: Lexicon) -> Repairer {
        Repairer { lexicon }
    }

    /// The lexicon it uses.
    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    /// The lexicon, mutably (to try other hyperparameters).
    pub fn lexicon_mut(&mut self) -> &mut Lexicon {
        &mut self.lexicon
    }

    /// Byte offsets inside `word` (its surface form) where a space is missing, in
    /// increasing order; `None` when the word should stay whole. [`respace`] writes
    /// the corrected spacing.
    pub fn split(&self, word: &str) -> Option<Vec<usize>> {
        // Two glued words have at least 4 letters (8 bytes in Arabic script).
        if word.len() < 8 || self.lexicon.is_empty() {
            return None;
        }
        let mut buf = StackStr::new();
        for c in word.chars() {
            normalize_char(c, Profile::Search, &mut |n| buf.push(n));
        }
        let norm = buf.as_str()?;
        let points = self.split_normalized(norm)?;
        map_to_surface(word, norm, &points)
    }

    /// Byte offsets inside a `search`-normalized word where a space is missing.
    pub fn split_normalized(&self, norm: &str) -> Option<Vec<usize>> {
        match self.lexicon.entry(norm) {
            Some(Entry { split: Some(s), .. }) => {
                (s < norm.len() && norm.is_char_boundary(s)).then(|| vec![s])
            }
            Some(_) => None,
            None => self.search(norm),
        }
    }

    /// The word-break search for a word the lexicon does not know.
    fn search(&self, norm: &str) -> Option<Vec<usize>> {
        let p = self.lexicon.params();
        if norm.len() > MAX_SEARCH_BYTES || !norm.chars().all(is_plain_letter) {
            return None;
        }
        let bounds: Vec<usize> = norm
            .char_indices()
            .map(|(i, _)| i)
            .chain(std::iter::once(norm.len()))
            .collect();
        let n = bounds.len() - 1;
        if n < p.min_word_chars as usize {
            return None;
        }
        let ln_n = (self.lexicon.total().max(2) as f32).ln();
        // best[i][k]: best score of norm[..bounds[i]] as k+1 parts, with the back pointer.
        let mut best: Vec<[Option<(f32, usize)>; MAX_PARTS]> = vec![[None; MAX_PARTS]; n + 1];
        // Char index of each byte offset, for the walk's callbacks.
        let mut char_at = vec![usize::MAX; norm.len() + 1];
        for (ci, &b) in bounds.iter().enumerate() {
            char_at[b] = ci;
        }
        for j in 0..n {
            if j > 0 && best[j].iter().all(Option::is_none) {
                continue;
            }
            let first = j == 0;
            let rest = &norm[bounds[j]..];
            self.lexicon.for_each_prefix(rest, |len, e| {
                let end = char_at[bounds[j] + len];
                if end == usize::MAX || end < j + 3 || (first && end == n) {
                    return;
                }
                let piece = &rest[..len];
                if (first && PROCLITIC_PARTS.contains(&piece))
                    || (!first && SUFFIX_PARTS.contains(&piece))
                {
                    return;
                }
                if e.split.is_some() || e.count < p.min_part_count {
                    return;
                }
                let score = (e.count as f32).ln();
                if first {
                    best[end][0] = max_opt(best[end][0], (score, 0));
                } else {
                    for k in 1..MAX_PARTS {
                        if let Some((prev, _)) = best[j][k - 1] {
                            let s = prev + score - ln_n - p.split_cost;
                            best[end][k] = max_opt(best[end][k], (s, j));
                        }
                    }
                }
            });
        }
        let (k, (score, _)) = best[n]
            .iter()
            .enumerate()
            .filter_map(|(k, b)| b.map(|b| (k, b)))
            .max_by(|a, b| a.1 .0.total_cmp(&b.1 .0))?;
        if k == 0 || score <= self.whole_score(norm, &p) {
            return None;
        }
        let mut points = Vec::with_capacity(k);
        let (mut i, mut kk) = (n, k);
        while kk > 0 {
            let (_, j) = best[i][kk]?;
            points.push(bounds[j]);
            i = j;
            kk -= 1;
        }
        points.reverse();
        Some(points)
    }

    /// Log-count of the word left whole: its best analysis as clitics + a known stem.
    fn whole_score(&self, norm: &str, p: &RepairParams) -> f32 {
        let mut best = p.unknown_count.max(1e-9).ln();
        let (c, layers) = clitic_stem_count(norm, |w| self.stem_count(w));
        if c > 0 && layers > 0 {
            best = best.max((c as f32).ln() - p.clitic_cost * layers as f32);
        }
        best
    }

    fn stem_count(&self, stem: &str) -> u64 {
        match self.lexicon.entry(stem) {
            Some(Entry { split: None, count }) => count,
            _ => 0,
        }
    }
}

/// `word` with a space inserted at each of `points` (increasing byte offsets on char
/// boundaries, as [`Repairer::split`] returns them): the corrected spacing of a repair.
pub fn respace(word: &str, points: &[usize]) -> String {
    let mut s = String::with_capacity(word.len() + points.len());
    let mut last = 0;
    for &p in points {
        s.push_str(&word[last..p]);
        s.push(' ');
        last = p;
    }
    s.push_str(&word[last..]);
    s
}

/// The best reading of `word` as proclitics + a stem + a pronoun suffix with at least one
/// clitic: the stem's count (from `count`) and the number of clitics, `(0, 0)` when none.
/// `لل` + stem also tries `ال` + stem; a stem ending in `ت` before a suffix also tries `ه`.
pub fn clitic_stem_count(word: &str, count: impl Fn(&str) -> u64) -> (u64, usize) {
    let mut best = (0u64, 0usize);
    for pre in PREFIXES {
        let Some(rest) = word.strip_prefix(pre) else {
            continue;
        };
        for suf in SUFFIXES {
            if pre.is_empty() && suf.is_empty() {
                continue;
            }
            let Some(stem) = rest.strip_suffix(suf) else {
                continue;
            };
            if stem.chars().count() < 2 {
                continue;
            }
            let layers = usize::from(!pre.is_empty()) + usize::from(!suf.is_empty());
            let mut c = count(stem);
            if pre.ends_with("لل") {
                c = c.max(count(&format!("ال{stem}")));
            }
            if !suf.is_empty() {
                if let Some(t) = stem.strip_suffix('ت') {
                    c = c.max(count(&format!("{t}ه")));
                }
            }
            if c > best.0 || (c == best.0 && c > 0 && layers < best.1) {
                best = (c, layers);
            }
        }
    }
    best
}

fn max_opt(a: Option<(f32, usize)>, b: (f32, usize)) -> Option<(f32, usize)> {
    match a {
        Some(x) if x.0 >= b.0 => Some(x),
        _ => Some(b),
    }
}

/// Arabic letters of the normalized alphabet (no digits, Latin or marks).
fn is_plain_letter(c: char) -> bool {
    matches!(c, '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}')
}

/// Maps split points in the normalized word to byte offsets in the surface word.
fn map_to_surface(word: &str, norm: &str, points: &[usize]) -> Option<Vec<usize>> {
    let nt = NormalizedText::new(word, Profile::Search);
    if nt.as_str() != norm {
        return None;
    }
    let mut out = Vec::with_capacity(points.len());
    let mut last = 0;
    for &p in points {
        if p == 0 || p >= norm.len() || !norm.is_char_boundary(p) {
            return None;
        }
        let s = nt.to_original(p, p + 1).start as usize;
        if s <= last || s >= word.len() || !word.is_char_boundary(s) {
            return None;
        }
        out.push(s);
        last = s;
    }
    Some(out)
}

/// A small stack buffer for the normalized word, so the common path does not allocate.
struct StackStr {
    buf: [u8; 192],
    len: usize,
    overflow: bool,
}

impl StackStr {
    fn new() -> Self {
        StackStr {
            buf: [0; 192],
            len: 0,
            overflow: false,
        }
    }
    #[inline]
    fn push(&mut self, c: char) {
        let n = c.len_utf8();
        match self.buf.get_mut(self.len..self.len + n) {
            Some(dst) => {
                c.encode_utf8(dst);
                self.len += n;
            }
            None => self.overflow = true,
        }
    }
    fn as_str(&self) -> Option<&str> {
        if self.overflow {
            return None;
        }
        std::str::from_utf8(self.buf.get(..self.len)?).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use khabar_model::Blob;

    fn repairer() -> Repairer {
        let mut words: Vec<(&str, u64)> = vec![
            ("الولايات", 3000),
            ("المتحده", 4000),
            ("الامم", 1200),
            ("الامريكيه", 2000),
            ("وزير", 6000),
            ("الخارجيه", 3000),
            ("من", 200000),
            ("اكثر", 10000),
            ("عمل", 3000),
            ("والمتحده", 300),
        ];
        words.sort();
        let mut b = fst::MapBuilder::memory();
        for (w, c) in &words {
            b.insert(w, *c).unwrap();
        }
        let params = RepairParams {
            unknown_count: 1e-8,
            split_cost: 1.0,
            ..RepairParams::default()
        };
        let bytes = Lexicon::encode(&b.into_inner().unwrap(), 8_000_000, &params);
        Repairer::new(Lexicon::from_blob(Blob::Owned(bytes)).unwrap())
    }

    fn spaced(r: &Repairer, w: &str) -> String {
        r.split(w).map_or_else(|| w.to_string(), |p| respace(w, &p))
    }

    #[test]
    fn splits_unknown_glue_into_known_words() {
        let r = repairer();
        assert_eq!(spaced(&r, "الولاياتالمتحدة"), "الولايات المتحدة");
        assert_eq!(spaced(&r, "الأممالمتحدة"), "الأمم المتحدة");
        assert_eq!(
            spaced(&r, "الولاياتالمتحدةالأمريكية"),
            "الولايات المتحدة الأمريكية"
        );
        assert_eq!(spaced(&r, "وزيرالخارجية"), "وزير الخارجية");
    }

    #[test]
    fn diacritics_and_tatweel_stay_with_the_first_part() {
        let r = repairer();
        assert_eq!(spaced(&r, "الأُممُالمتحدة"), "الأُممُ المتحدة");
        assert_eq!(spaced(&r, "الأممـالمتحدة"), "الأممـ المتحدة");
    }

    #[test]
    fn clitics_and_known_words_stay_whole() {
        let r = repairer();
        for w in ["والمتحدة", "بالعمل", "المتحدة", "الولايات", "وبالولايات"]
        {
            assert_eq!(r.split(w), None, "{w}");
        }
    }

    #[test]
    fn empty_lexicon_splits_nothing() {
        assert_eq!(Repairer::default().split("الولاياتالمتحدة"), None);
    }
}
