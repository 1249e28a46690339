//! Building the lexicon (`khabar train lexicon`) and the texts `khabar eval repair` counts
//! false splits on.

use std::collections::HashMap;

use super::{Entry, Lexicon, RepairParams};
use crate::corpus::ConlluSentence;
use crate::normalize::{normalize_into, Profile};
use crate::tokenize::{tokenize_into, RawToken, TokenKind};

/// How glue is recognised in the training text, and which words are kept.
#[derive(Clone, Debug)]
pub struct TrainConfig {
    /// Words seen fewer times are dropped (glue keys are kept regardless).
    pub min_count: u64,
    /// A pair `a b` must be seen at least this often to make `ab` a glue key.
    pub glue_min_pair: u64,
    /// …or this often when one word has at most 2 letters (`لا`, `من`, `او`) and `ab` was
    /// never seen whole.
    pub glue_min_pair_short: u64,
    /// Base rate at which a pair is written glued: `ab` seen `c` times whole needs the pair
    /// seen at least `c / glue_rate` times.
    pub glue_rate: f64,
    /// Weight of reading `ab` as clitics + a known word (`ك|انقطاع`, `ل|ماله`): not glue
    /// when `clitic_weight × count(stem)` exceeds `glue_rate × count(a b)`.
    pub clitic_weight: f64,
    /// `ab` seen more often than this as one token is a spelling, never glue (`عبدالله`).
    pub glue_max_whole: u64,
    /// The unknown-word model's parameters, stored in the artifact.
    pub params: RepairParams,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            min_count: 2,
            glue_min_pair: 8,
            glue_min_pair_short: 30,
            glue_rate: 0.005,
            clitic_weight: 0.05,
            glue_max_whole: 30,
            params: RepairParams::default(),
        }
    }
}

/// Parts never taken as the first word of a glue pair (bare proclitics, the article).
/// Also the first words of compound names (`عبد`, `ابو`, `بن` …) and `الا` (= `الأ…`).
const GLUE_BAD_FIRST: &[&str] = &[
    "ال", "وال", "بال", "فال", "كال", "لل", "ولل", "وب", "ول", "فب", "فل", "وك", "فك", "الا", "والا",
    "عبد", "وعبد", "ابو", "وابو", "ابا", "ابي", "ابن", "بن", "بنت", "ام", "نور",
];
/// Parts never taken as the second word of a glue pair (pronoun suffixes, `آل` = `ال`).
/// Also inflection endings that are words too (`سابق|ان` is a dual, `بحسب|ما` a spelling).
const GLUE_BAD_SECOND: &[&str] = &[
    "ال",
    "الله",
    "لله",
    "الدين",
    "ه",
    "ها",
    "هم",
    "هما",
    "هن",
    "كم",
    "كما",
    "كن",
    "نا",
    "ني",
    "ي",
    "ك",
    "ان",
    "ين",
    "ون",
    "ات",
    "تم",
    "ما",
    "يه",
    "يا",
    "وا",
    "اه",
    "ته",
    "تي",
    "تين",
    "تان",
];

/// Counts words and adjacent word pairs over training texts.
#[derive(Default)]
pub struct LexiconCounter {
    ids: HashMap<String, u32>,
    words: Vec<String>,
    counts: Vec<u64>,
    pairs: Vec<u64>,
    total: u64,
    toks: Vec<RawToken>,
    norm: String,
}

/// What a build produced.
#[derive(Clone, Debug, Default)]
pub struct BuildStats {
    /// Word tokens counted.
    pub tokens: u64,
    /// Distinct normalized words seen.
    pub types: usize,
    /// Keys written (words kept + glue keys).
    pub keys: usize,
    /// Keys that carry a split.
    pub glue_keys: usize,
    /// Size of the fst in bytes.
    pub fst_bytes: usize,
}

impl LexiconCounter {
    /// An empty counter.
    pub fn new() -> Self {
        Self::default()
    }

    /// Counts the words of `text`, and the pairs of words separated only by whitespace.
    pub fn add_text(&mut self, text: &str) {
        let mut toks = std::mem::take(&mut self.toks);
        toks.clear();
        tokenize_into(text, &mut toks);
        let mut prev: Option<(u32, usize)> = None;
        for t in &toks {
            if t.kind != TokenKind::Word {
                prev = None;
                continue;
            }
            self.norm.clear();
            normalize_into(&text[t.span.range()], Profile::Search, &mut self.norm);
            let id = match self.ids.get(self.norm.as_str()) {
                Some(&id) => id,
                None => {
                    let id = self.words.len() as u32;
                    self.ids.insert(self.norm.clone(), id);
                    self.words.push(self.norm.clone());
                    self.counts.push(0);
                    id
                }
            };
            self.counts[id as usize] += 1;
            self.total += 1;
            if let Some((p, end)) = prev {
                if text[end..t.span.start as usize]
                    .chars()
                    .all(char::is_whitespace)
                {
                    self.pairs.push((u64::from(p) << 32) | u64::from(id));
                }
            }
            prev = Some((id, t.span.end as usize));
        }
        self.toks = toks;
    }

    /// Builds the artifact bytes (deterministic for the same texts in the same order).
    pub fn build(mut self, cfg: &TrainConfig) -> (Vec<u8>, BuildStats) {
        self.pairs.sort_unstable();
        let count_of = |w: &str| self.ids.get(w).map_or(0, |&i| self.counts[i as usize]);
        // key -> (pair count, split byte offset)
        let mut glue: HashMap<String, (u64, usize)> = HashMap::new();
        let mut i = 0;
        while i < self.pairs.len() {
            let key = self.pairs[i];
            let mut j = i;
            while j < self.pairs.len() && self.pairs[j] == key {
                j += 1;
            }
            let c_ab = (j - i) as u64;
            i = j;
            if c_ab < cfg.glue_min_pair {
                continue;
            }
            let a = &self.words[(key >> 32) as usize];
            let b = &self.words[(key & 0xFFFF_FFFF) as usize];
            if !glue_parts_ok(a, b) || a.len() + b.len() > 250 {
                continue;
            }
            let ab = format!("{a}{b}");
            let c_w = count_of(&ab);
            // Expected glued count if this pair were glued at the base rate; the glued
            // form's own evidence (seen whole, or readable as clitics + a known word)
            // must not exceed it.
            let expected = cfg.glue_rate * c_ab as f64;
            let short = a.chars().count() <= 2 || b.chars().count() <= 2;
            let need = if c_w == 0 {
                if short {
                    cfg.glue_min_pair_short
                } else {
                    cfg.glue_min_pair
                }
            } else if c_w == 1 {
                // Seen glued once: as likely a stray glue as a rare word.
                if short {
                    cfg.glue_min_pair_short * 4
                } else {
                    cfg.glue_min_pair * 4
                }
            } else {
                cfg.glue_min_pair
                    .max((c_w as f64 / cfg.glue_rate).ceil() as u64)
            };
            if c_ab < need || c_w > cfg.glue_max_whole {
                continue;
            }
            let (c_stem, _) = crate::repair::clitic_stem_count(&ab, |w| count_of(w));
            if cfg.clitic_weight * c_stem as f64 > expected {
                continue;
            }
            let e = glue.entry(ab).or_insert((0, 0));
            if c_ab > e.0 || (c_ab == e.0 && a.len() < e.1) {
                *e = (c_ab, a.len());
            }
        }
        let mut keys: Vec<(&str, u64)> = Vec::new();
        for (w, &c) in self.words.iter().zip(&self.counts) {
            if let Some(&(_, s)) = glue.get(w) {
                keys.push((
                    w,
                    Entry {
                        count: c,
                        split: Some(s),
                    }
                    .pack(),
                ));
            } else if c >= cfg.min_count {
                keys.push((
                    w,
                    Entry {
                        count: c,
                        split: None,
                    }
                    .pack(),
                ));
            }
        }
        for (w, &(_, s)) in &glue {
            if !self.ids.contains_key(w) {
                keys.push((
                    w,
                    Entry {
                        count: 0,
                        split: Some(s),
                    }
                    .pack(),
                ));
            }
        }
        keys.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let mut b = fst::MapBuilder::memory();
        for (k, v) in &keys {
            // Keys are sorted and distinct, so insertion cannot fail.
            let _ = b.insert(k, *v);
        }
        let fst_bytes = b.into_inner().unwrap_or_default();
        let stats = BuildStats {
            tokens: self.total,
            types: self.words.len(),
            keys: keys.len(),
            glue_keys: glue.len(),
            fst_bytes: fst_bytes.len(),
        };
        (Lexicon::encode(&fst_bytes, self.total, &cfg.params), stats)
    }
}

fn glue_parts_ok(a: &str, b: &str) -> bool {
    let letters = |s: &str| {
        s.chars()
            .all(|c| matches!(c, '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}'))
    };
    a.chars().count() >= 2
        && b.chars().count() >= 2
        && letters(a)
        && letters(b)
        && !GLUE_BAD_FIRST.contains(&a)
        && !GLUE_BAD_SECOND.contains(&b)
}

/// Article bodies split for training and held-out evaluation: counted from the end of the
/// file, the last articles that make `test_bytes` of text are the test slice, the ones
/// before them that make `dev_bytes` the dev slice; the rest trains the lexicon, minus any
/// article whose first 300 characters repeat a held-out one (syndicated copies).
pub struct Holdout {
    /// First article of the dev slice.
    pub dev_start: usize,
    /// First article of the test slice.
    pub test_start: usize,
}

impl Holdout {
    /// Computes the slices over the article bodies.
    pub fn new(texts: &[String], dev_bytes: usize, test_bytes: usize) -> Holdout {
        let mut i = texts.len();
        let mut acc = 0;
        while i > 0 && acc < test_bytes {
            i -= 1;
            acc += texts[i].len();
        }
        let test_start = i;
        acc = 0;
        while i > 0 && acc < dev_bytes {
            i -= 1;
            acc += texts[i].len();
        }
        Holdout {
            dev_start: i,
            test_start,
        }
    }

    /// Indices of the training articles.
    pub fn train_indices(&self, texts: &[String]) -> Vec<usize> {
        let head = |t: &str| t.chars().take(300).collect::<String>();
        let held: std::collections::HashSet<String> = texts[self.dev_start..]
            .iter()
            .filter(|t| !t.trim().is_empty())
            .map(|t| head(t))
            .collect();
        (0..self.dev_start)
            .filter(|&i| !held.contains(&head(&texts[i])))
            .collect()
    }
}

/// Rebuilds running text from a PADT (UD v1.3) sentence, whose rows are clitic-split and
/// vocalized: harakat are stripped, proclitic rows (`و ف ب ل ك س`) are attached to the
/// next row (`ل` + `ال…` → `لل…`) and pronoun-suffix rows (`PRON` with a genitive or
/// accusative `SP` tag) to the previous one.
pub fn padt_text(sent: &ConlluSentence) -> String {
    let strip = |s: &str| {
        s.chars()
            .filter(|&c| !crate::chars::is_harakah(c))
            .collect::<String>()
    };
    let mut words: Vec<String> = Vec::new();
    let mut pending = String::new();
    for r in &sent.rows {
        let form = strip(&r.form);
        let proclitic = matches!(form.as_str(), "و" | "ف" | "ب" | "ل" | "ك" | "س")
            && matches!(r.upos.as_str(), "CONJ" | "ADP" | "PART");
        let suffix = r.upos == "PRON"
            && !r.feats.is_empty()
            && r.lemma.chars().count() >= 1
            && is_suffix_pronoun(&form, &r.feats, &r.misc);
        if proclitic {
            pending.push_str(&form);
        } else if suffix && pending.is_empty() && !words.is_empty() {
            if let Some(w) = words.last_mut() {
                w.push_str(&form);
            }
        } else {
            let mut w = std::mem::take(&mut pending);
            if w.ends_with('ل') && (form.starts_with("ال") || form.starts_with("اَل")) {
                w.push_str(&form['ا'.len_utf8()..]);
            } else {
                w.push_str(&form);
            }
            words.push(w);
        }
    }
    if !pending.is_empty() {
        words.push(pending);
    }
    words.join(" ")
}

fn is_suffix_pronoun(form: &str, feats: &str, _misc: &str) -> bool {
    let personal = feats.contains("PronType=Prs");
    let oblique = feats.contains("Case=Gen") || feats.contains("Case=Acc");
    personal
        && oblique
        && matches!(
            form,
            "ه" | "ها"
                | "هم"
                | "هما"
                | "هن"
                | "ك"
                | "كم"
                | "كما"
                | "كن"
                | "نا"
                | "ني"
                | "ي"
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::ConlluRow;
    use crate::repair::Repairer;
    use khabar_model::Blob;

    fn row(form: &str, upos: &str, feats: &str) -> ConlluRow {
        ConlluRow {
            form: form.into(),
            lemma: form.into(),
            upos: upos.into(),
            feats: feats.into(),
            misc: String::new(),
        }
    }

    #[test]
    fn padt_rows_become_orthographic_words() {
        let s = ConlluSentence {
            comments: vec![],
            rows: vec![
                row("وَ", "CONJ", "_"),
                row("قَالَ", "VERB", "_"),
                row("لِ", "ADP", "_"),
                row("اَلصَّحَافِيِّينَ", "NOUN", "_"),
                row("يَملِكُ", "VERB", "_"),
                row(
                    "هَا",
                    "PRON",
                    "Case=Acc|Gender=Fem|Number=Sing|Person=3|PronType=Prs",
                ),
                row("هُوَ", "PRON", "Case=Nom|PronType=Prs"),
            ],
        };
        assert_eq!(padt_text(&s), "وقال للصحافيين يملكها هو");
    }

    #[test]
    fn pairs_seen_far_more_often_than_the_glued_form_become_glue_keys() {
        let mut c = LexiconCounter::new();
        for _ in 0..20 {
            c.add_text("قال وزير الخارجية إن عبدالله وعبد الله جاءا، الولايات المتحدة.");
        }
        let (bytes, stats) = c.build(&TrainConfig::default());
        assert!(stats.glue_keys >= 2, "{stats:?}");
        let lex = Lexicon::from_blob(Blob::Owned(bytes)).unwrap();
        assert_eq!(
            lex.entry("وزيرالخارجيه").and_then(|e| e.split),
            Some("وزير".len())
        );
        assert_eq!(
            lex.entry("الولاياتالمتحده").and_then(|e| e.split),
            Some("الولايات".len())
        );
        // Written glued as often as apart: a spelling, not glue.
        assert_eq!(lex.entry("عبدالله").and_then(|e| e.split), None);
        // Pairs across punctuation are not counted.
        assert_eq!(lex.entry("جاءاالولايات"), None);
        assert_eq!(
            Repairer::new(lex).split("وزيرالخارجية"),
            Some(vec!["وزير".len()])
        );
    }

    #[test]
    fn holdout_takes_whole_articles_from_the_end() {
        let texts: Vec<String> = (0..10).map(|i| format!("{i:0>10}")).collect();
        let h = Holdout::new(&texts, 20, 25);
        assert_eq!((h.dev_start, h.test_start), (5, 7));
        assert_eq!(h.train_indices(&texts), vec![0, 1, 2, 3, 4]);
    }
}
