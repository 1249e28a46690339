//! Training and evaluation data for the segmenter, and the averaged-perceptron trainer.
//!
//! * UD Arabic-PUD: a surface token is a run of rows joined by `SpaceAfter=No`.
//! * UD Arabic-PADT (v1.3): no surface grouping; proclitic rows (`و ف ب ك ل س`) attach to
//!   the next row, pronoun-suffix rows (PRON, genitive/accusative, `ه ها هم …`) to the
//!   previous one; harakat are stripped and the spelling rebuilt (`ل`+`ال` → `لل`,
//!   `ة`/`ى`/`وا` before a suffix → `ت`/`ا`/`و`, `من`+`ما` → `مما`).
//! * Neither treebank splits the article; a row gets `ال` when it starts with `ال` and the
//!   annotation says it is definite (FEATS `Definite=Def|Com`, or a lemma without `ال`).
//! * WikiNews (Farasa's reference) is mapped to the scheme: only leading `و ف ب ك ل س ال`
//!   and a final object/possessive pronoun stay clitics; every other split merges into the
//!   base; restorations are undone to rebuild the surface.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::{bucket, build_segments, features, hash_chars, Cand, Freq, Segmenter, Table, WordChars};
use crate::corpus::{for_each_jsonl_field, read_conllu, ConlluRow};
use crate::segment::SegmentRole;
use crate::{Error, Result};

/// A word with its gold segmentation in the scheme.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Example {
    /// The surface token.
    pub surface: String,
    /// Gold `(form, role)` segments.
    pub gold: Vec<(String, SegmentRole)>,
    /// The treebank's analyser did not recognise the word (PADT `X` rows are never split,
    /// clitics or not): its gold is unreliable, so training skips it.
    pub unanalysed: bool,
}

/// Sentences of examples (for splitting train/dev by sentence).
pub type Sentences = Vec<Vec<Example>>;

const PROCLITIC_FORMS: [&str; 6] = ["و", "ف", "ب", "ك", "ل", "س"];
const ENCLITIC_FORMS: [&str; 11] = [
    "ه", "ها", "هم", "هما", "هن", "ك", "كم", "كن", "ي", "ني", "نا",
];
/// Treebank lemmas that start with ال but are not article + noun (label cleaning for
/// unanalysed `X` rows of PADT).
const NOT_ARTICLE: [&str; 10] = [
    "الذي",
    "التي",
    "الذين",
    "اللذين",
    "اللتين",
    "اللذان",
    "اللتان",
    "اللاتي",
    "اللواتي",
    "الله",
];
const CLOSED: [&str; 12] = [
    "PRON", "VERB", "DET", "PART", "ADP", "CONJ", "CCONJ", "SCONJ", "PUNCT", "AUX", "INTJ", "SYM",
];

fn strip_marks(s: &str) -> String {
    s.chars()
        .filter(|&c| !crate::chars::is_harakah(c) && !crate::chars::is_tatweel(c))
        .map(|c| if c == 'ٱ' { 'ا' } else { c })
        .collect()
}

fn norm_lemma(s: &str) -> String {
    strip_marks(s)
        .chars()
        .map(|c| {
            if matches!(c, 'أ' | 'إ' | 'آ') {
                'ا'
            } else {
                c
            }
        })
        .collect()
}

fn is_arabic_word(s: &str) -> bool {
    !s.is_empty() && s.chars().all(crate::chars::is_arabic_letter)
}

fn feat<'a>(feats: &'a str, key: &str) -> Option<&'a str> {
    feats
        .split('|')
        .find_map(|kv| kv.strip_prefix(key).and_then(|r| r.strip_prefix('=')))
}

/// A treebank row reduced to what the labeler needs (form already surface spelling).
#[derive(Clone, Debug)]
struct Row {
    form: String,
    lemma: String,
    upos: String,
    feats: String,
    /// Set when the spelling was rebuilt from `ل` + `ال…` (PADT).
    elided: Option<bool>,
}

impl Row {
    fn from(r: &ConlluRow, strip: bool) -> Row {
        let form = if strip {
            strip_marks(&r.form)
        } else {
            r.form.clone()
        };
        Row {
            form,
            lemma: norm_lemma(&r.lemma),
            upos: r.upos.clone(),
            feats: r.feats.clone(),
            elided: None,
        }
    }
    fn definite(&self) -> bool {
        matches!(feat(&self.feats, "Definite"), Some("Def" | "Com"))
    }
    fn closed(&self) -> bool {
        CLOSED.contains(&self.upos.as_str())
    }
    /// `ال` + base.
    fn has_article(&self) -> bool {
        let f = &self.form;
        if !f.starts_with("ال") || f.chars().count() < 4 || self.closed() {
            return false;
        }
        if NOT_ARTICLE.contains(&f.as_str()) || NOT_ARTICLE.contains(&self.lemma.as_str()) {
            return false;
        }
        self.upos == "X" || self.upos == "NUM" || self.definite() || !self.lemma.starts_with("ال")
    }
    /// After `ل`: the article's alef elided (`ل` + `لسلطة`).
    fn has_elided_article(&self) -> bool {
        if let Some(e) = self.elided {
            return e;
        }
        let f = &self.form;
        f.starts_with('ل')
            && !f.starts_with("ال")
            && f.chars().count() >= 3
            && !self.closed()
            && !self.lemma.starts_with('ل')
            && (self.definite() || self.upos == "X" || self.upos == "PROPN" || self.upos == "NUM")
    }
    fn is_proclitic(&self) -> bool {
        PROCLITIC_FORMS.contains(&self.form.as_str())
            && !matches!(self.upos.as_str(), "X" | "PRON" | "NOUN")
    }
}

/// Builds the example of one surface token from its rows (`pros`, `base`, `enc`), in
/// surface spelling. `None` when the token is not an Arabic word or does not fit the scheme.
fn token_example(mut pros: Vec<Row>, mut base: Vec<Row>, enc: Vec<Row>) -> Option<Example> {
    if enc.len() > 1 {
        return None;
    }
    if base.is_empty() {
        base.push(pros.pop()?);
    }
    let mut gold: Vec<(String, SegmentRole)> = pros
        .iter()
        .map(|r| (r.form.clone(), SegmentRole::Proclitic))
        .collect();
    let mut base_text: String = base.iter().map(|r| r.form.as_str()).collect();
    if base.len() == 1 {
        let r = &base[0];
        if pros.last().is_some_and(|p| p.form == "ل") && r.has_elided_article() {
            gold.push(("ال".to_string(), SegmentRole::Proclitic));
            // The elided article's lam is the base's first letter in the surface.
            let mut s = pros.iter().map(|r| r.form.as_str()).collect::<String>();
            s.push('ل');
            base_text = r.form['ل'.len_utf8()..].to_string();
            let surface = s + &base_text + &enc.iter().map(|r| r.form.as_str()).collect::<String>();
            gold.push((base_text, SegmentRole::Base));
            gold.extend(enc.iter().map(|r| (r.form.clone(), SegmentRole::Enclitic)));
            return check(surface, gold);
        }
        if r.has_article() {
            gold.push(("ال".to_string(), SegmentRole::Proclitic));
            base_text = r.form["ال".len()..].to_string();
        }
    }
    gold.push((base_text, SegmentRole::Base));
    gold.extend(enc.iter().map(|r| (r.form.clone(), SegmentRole::Enclitic)));
    let surface: String = pros
        .iter()
        .chain(&base)
        .chain(&enc)
        .map(|r| r.form.as_str())
        .collect();
    check(surface, gold)
}

fn check(surface: String, gold: Vec<(String, SegmentRole)>) -> Option<Example> {
    (is_arabic_word(&surface) && gold.iter().all(|(f, _)| !f.is_empty())).then_some(Example {
        surface,
        gold,
        unanalysed: false,
    })
}

/// Reads UD Arabic-PUD: surface tokens rebuilt from `SpaceAfter=No`.
///
/// # Errors
/// I/O and format errors of the file.
pub fn read_pud(path: &Path) -> Result<Sentences> {
    let mut out = Vec::new();
    for sent in read_conllu(path)? {
        let mut ex = Vec::new();
        let mut run: Vec<Row> = Vec::new();
        let flush = |run: &mut Vec<Row>, ex: &mut Vec<Example>| {
            let rows = std::mem::take(run);
            if rows.is_empty() {
                return;
            }
            let mut enc = Vec::new();
            let mut rest = rows;
            if rest.len() >= 2 {
                let last = &rest[rest.len() - 1];
                if last.upos == "PRON" && ENCLITIC_FORMS.contains(&last.form.as_str()) {
                    enc.extend(rest.pop());
                }
            }
            let npro = rest
                .iter()
                .take_while(|r| r.is_proclitic())
                .count()
                .min(rest.len().saturating_sub(1));
            let base = rest.split_off(npro);
            ex.extend(token_example(rest, base, enc));
        };
        for r in &sent.rows {
            let row = Row::from(r, false);
            if is_arabic_word(&row.form) {
                run.push(row);
            } else {
                flush(&mut run, &mut ex);
            }
            if !r.no_space_after() {
                flush(&mut run, &mut ex);
            }
        }
        flush(&mut run, &mut ex);
        out.push(ex);
    }
    Ok(out)
}

/// Reads UD Arabic-PADT v1.3: surface tokens rebuilt from the clitic rows.
///
/// # Errors
/// I/O and format errors of the file.
pub fn read_padt(path: &Path) -> Result<Sentences> {
    struct Tok {
        pros: Vec<Row>,
        base: Vec<Row>,
        enc: Vec<Row>,
    }
    let mut out = Vec::new();
    for sent in read_conllu(path)? {
        let mut toks: Vec<Tok> = Vec::new();
        let mut pending: Vec<Row> = Vec::new();
        let mut last_was_base = false;
        for r in &sent.rows {
            let mut row = Row::from(r, true);
            let is_enc = row.upos == "PRON"
                && ENCLITIC_FORMS.contains(&row.form.as_str())
                && matches!(feat(&row.feats, "Case"), Some("Gen" | "Acc"));
            if !is_arabic_word(&row.form) {
                pending.clear();
                last_was_base = false;
                continue;
            }
            if row.is_proclitic() && !is_enc {
                pending.push(row);
                last_was_base = false;
                continue;
            }
            if is_enc {
                if !pending.is_empty() {
                    let base = pending.pop().into_iter().collect();
                    toks.push(Tok {
                        pros: std::mem::take(&mut pending),
                        base,
                        enc: vec![row],
                    });
                } else if let Some(t) = toks.last_mut() {
                    t.enc.push(row);
                }
                last_was_base = false;
                continue;
            }
            // مما، عما، ممن: written as one word.
            if last_was_base
                && row.upos == "PRON"
                && row.feats == "_"
                && matches!(row.form.as_str(), "ما" | "من")
            {
                if let Some(t) = toks.last_mut() {
                    if t.enc.is_empty()
                        && t.base.len() == 1
                        && matches!(t.base[0].form.as_str(), "من" | "عن")
                    {
                        let head = if t.base[0].form == "من" { "م" } else { "ع" };
                        t.base[0].form = format!("{head}{}", row.form);
                        t.base[0].upos = "ADP".into();
                        last_was_base = false;
                        continue;
                    }
                }
            }
            // ل + ال: the article's alef is not written (and its lam neither before a lam).
            if pending.last().is_some_and(|p| p.form == "ل") && row.form.starts_with("ال") {
                let rest = &row.form["ال".len()..];
                let article = !rest.starts_with('ل') && row.has_article();
                row.form = if rest.starts_with('ل') {
                    rest.to_string()
                } else {
                    format!("ل{rest}")
                };
                row.elided = Some(article);
            }
            toks.push(Tok {
                pros: std::mem::take(&mut pending),
                base: vec![row],
                enc: Vec::new(),
            });
            last_was_base = true;
        }
        let mut ex = Vec::new();
        for mut t in toks {
            if t.enc.len() == 1 {
                if let Some(b) = t.base.last_mut() {
                    if let Some(s) = b.form.strip_suffix('ة') {
                        b.form = format!("{s}ت");
                    } else if let Some(s) = b.form.strip_suffix('ى') {
                        b.form = format!("{s}ا");
                    } else if let Some(s) = b.form.strip_suffix("وا") {
                        b.form = format!("{s}و");
                    }
                }
            }
            let unanalysed =
                t.pros.is_empty() && t.enc.is_empty() && t.base.iter().all(|r| r.upos == "X");
            ex.extend(token_example(t.pros, t.base, t.enc).map(|e| Example { unanalysed, ..e }));
        }
        out.push(ex);
    }
    Ok(out)
}

/// Reads Farasa's WikiNews reference (`WikiNews.pos.ref`) and maps it to the scheme.
/// Returns the examples and the number of Arabic tokens that could not be mapped.
///
/// # Errors
/// I/O errors, and a corpus error for a line without a tab.
pub fn read_wikinews(path: &Path) -> Result<(Vec<Example>, usize)> {
    let text = crate::corpus::read_text(path)?;
    let mut out = Vec::new();
    let mut skipped = 0;
    for (n, line) in text.lines().enumerate().skip(1) {
        let line = line.trim_end_matches('\r');
        if line.is_empty() {
            continue;
        }
        let Some((tok, pos)) = line.split_once('\t') else {
            return Err(Error::Corpus {
                path: path.into(),
                line: n + 1,
                reason: "expected `token<TAB>pos`".into(),
            });
        };
        match wikinews_example(tok, pos) {
            Some(e) => out.push(e),
            None => skipped += usize::from(tok.chars().any(crate::chars::is_arabic_letter)),
        }
    }
    Ok((out, skipped))
}

/// Maps one WikiNews token (`و+ال+تلفزيون`, `CONJ+DET+NOUN`) to the scheme.
pub fn wikinews_example(tok: &str, pos: &str) -> Option<Example> {
    if tok == "+" || tok.starts_with('+') || tok.ends_with('+') {
        return None;
    }
    let segs: Vec<&str> = tok.split('+').collect();
    let tags: Vec<&str> = pos.split('+').collect();
    let tag = |i: usize| {
        if tags.len() == segs.len() {
            tags[i]
        } else {
            "?"
        }
    };
    let n = segs.len();
    // The enclitic: a final object/possessive pronoun (a verb's subject نا is inflection).
    let mut end = n;
    // After a bare conjunction, future particle or article a pronoun is independent (و+هم).
    if n >= 2
        && tag(n - 1) == "PRON"
        && ENCLITIC_FORMS.contains(&segs[n - 1])
        && !(segs[n - 1] == "نا" && tag(n - 2) == "V")
        && !matches!(tag(n - 2), "CONJ" | "FUT_PART" | "DET")
    {
        end = n - 1;
    }
    let mut start = 0;
    while start + 1 < end {
        let ok = matches!(
            (segs[start], tag(start)),
            ("و" | "ف", "CONJ" | "?")
                | ("ب" | "ك" | "ل", "PREP" | "PART" | "?")
                | ("س", "FUT_PART" | "?")
                | ("ال", "DET" | "?")
        );
        if !ok {
            break;
        }
        start += 1;
    }
    let mut gold: Vec<(String, SegmentRole)> = Vec::new();
    let mut surface = String::new();
    for i in 0..start {
        let s = segs[i];
        if s == "ال" && i > 0 && segs[i - 1] == "ل" {
            // ل+ال: one lam in the surface; before a lam-initial base none (للغة = ل + لغة).
            if segs[start].starts_with('ل') {
                continue;
            }
            surface.push('ل');
        } else {
            surface.push_str(s);
        }
        gold.push((s.to_string(), SegmentRole::Proclitic));
    }
    let mut base = segs[start..end].join("+");
    for (a, b) in [
        ("من+ما", "مما"),
        ("عن+ما", "عما"),
        ("من+من", "ممن"),
        ("أن+لا", "ألا"),
        ("كن+نا", "كنا"),
    ] {
        base = base.replace(a, b);
    }
    let base = base.replace('+', "");
    surface.push_str(&base);
    gold.push((base, SegmentRole::Base));
    if end < n {
        surface.push_str(segs[n - 1]);
        gold.push((segs[n - 1].to_string(), SegmentRole::Enclitic));
    }
    check(surface, gold)
}

/// The candidate of `ex` that reproduces its gold segments, if any.
fn gold_cand(w: &WordChars, ex: &Example) -> Option<Cand> {
    let mut cands = [Cand::default(); 64];
    let n = w.candidates(&mut cands);
    cands[..n].iter().copied().find(|&c| {
        let segs = build_segments(&ex.surface, w, c);
        segs.len() == ex.gold.len()
            && segs
                .iter()
                .zip(&ex.gold)
                .all(|(s, (f, r))| &s.form == f && s.role == *r)
    })
}

/// Word counts of an unlabeled corpus (feature-normalized Arabic words).
#[derive(Debug, Default)]
pub struct CorpusStats {
    counts: HashMap<u64, u32>,
    /// Words seen at least twice, by hash.
    words: HashMap<u64, String>,
    /// Articles read (after removing duplicates) and Arabic words counted.
    pub articles: usize,
    /// Arabic word tokens counted.
    pub tokens: u64,
}

impl CorpusStats {
    /// Counts one text.
    pub fn add_text(&mut self, text: &str) {
        for chunk in text.split(|c: char| {
            !(crate::chars::is_arabic_word_char(c)
                || crate::chars::is_invisible(c)
                || crate::chars::is_joiner(c))
        }) {
            if let Some(w) = WordChars::new(chunk) {
                let h = hash_chars(w.chars());
                let c = self.counts.entry(h).or_insert(0);
                *c += 1;
                self.tokens += 1;
                if *c == 2 {
                    self.words.insert(h, w.chars().iter().collect());
                }
            }
        }
    }

    /// Distinct words seen.
    pub fn types(&self) -> usize {
        self.counts.len()
    }
}

impl Freq for CorpusStats {
    fn bucket_of(&self, h: u64) -> u8 {
        bucket(self.counts.get(&h).copied().unwrap_or(0).into())
    }
}

/// Reads the `text` field of a JSONL corpus (SaudiNewsNet), skipping articles whose first
/// 300 characters were already seen, up to `limit_bytes` of text.
///
/// # Errors
/// I/O errors.
pub fn corpus_stats(path: &Path, limit_bytes: Option<usize>) -> Result<CorpusStats> {
    let mut st = CorpusStats::default();
    let mut seen = HashSet::new();
    for_each_jsonl_field(path, "text", limit_bytes, |t| {
        let head: String = t.chars().take(300).collect();
        if seen.insert(head) {
            st.articles += 1;
            st.add_text(t);
        }
    })?;
    Ok(st)
}

/// Trainer settings.
#[derive(Clone, Debug)]
pub struct TrainConfig {
    /// Perceptron passes over the data.
    pub epochs: usize,
    /// log2 of the hashed weight table size.
    pub weight_bits: u32,
    /// Corpus words seen at least this often get their decision precomputed.
    pub cache_min_count: u32,
    /// Seed of the example shuffle.
    pub seed: u64,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            epochs: 10,
            weight_bits: 19,
            cache_min_count: 2,
            seed: 0x6b68_6162_6172,
        }
    }
}

/// What training saw.
#[derive(Clone, Debug, Default)]
pub struct TrainReport {
    /// Examples used.
    pub examples: usize,
    /// Examples whose gold segmentation no candidate reproduces (skipped).
    pub unrepresentable: usize,
    /// Training-set errors in the last epoch.
    pub last_epoch_errors: usize,
    /// Words in the frequency table, and how many of them have a cached decision.
    pub table_words: usize,
    /// Cached decisions that split the word.
    pub cached_splits: usize,
}

struct Inst {
    feats: Vec<Vec<u32>>,
    gold: usize,
}

/// Trains a segmenter on `examples` with corpus statistics `stats`.
pub fn train(
    examples: &[Example],
    stats: &CorpusStats,
    cfg: &TrainConfig,
) -> (Segmenter, TrainReport) {
    let mask = (1usize << cfg.weight_bits) - 1;
    let mut rep = TrainReport::default();
    let mut insts = Vec::new();
    for ex in examples.iter().filter(|e| !e.unanalysed) {
        let Some(w) = WordChars::new(&ex.surface) else {
            continue;
        };
        let Some(g) = gold_cand(&w, ex) else {
            rep.unrepresentable += 1;
            continue;
        };
        let mut cands = [Cand::default(); 64];
        let n = w.candidates(&mut cands);
        rep.examples += 1;
        if n < 2 {
            continue;
        }
        let mut feats = Vec::with_capacity(n);
        let mut gold = 0;
        for (i, &c) in cands[..n].iter().enumerate() {
            if c == g {
                gold = i;
            }
            let mut f = Vec::with_capacity(32);
            features(&w, c, stats, |h| f.push((h as usize & mask) as u32));
            feats.push(f);
        }
        insts.push(Inst { feats, gold });
    }
    let mut w = vec![0f32; mask + 1];
    let mut u = vec![0f32; mask + 1];
    let mut t = 1f32;
    let mut order: Vec<usize> = (0..insts.len()).collect();
    let mut rng = cfg.seed | 1;
    for _ in 0..cfg.epochs {
        for i in (1..order.len()).rev() {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            order.swap(i, (rng % (i as u64 + 1)) as usize);
        }
        let mut errors = 0;
        for &k in &order {
            let inst = &insts[k];
            let score = |f: &Vec<u32>| f.iter().map(|&j| w[j as usize]).sum::<f32>();
            let mut best = 0;
            let mut bs = f32::NEG_INFINITY;
            for (i, f) in inst.feats.iter().enumerate() {
                let s = score(f);
                if s > bs {
                    bs = s;
                    best = i;
                }
            }
            if best != inst.gold {
                errors += 1;
                for &j in &inst.feats[inst.gold] {
                    w[j as usize] += 1.0;
                    u[j as usize] += t;
                }
                for &j in &inst.feats[best] {
                    w[j as usize] -= 1.0;
                    u[j as usize] -= t;
                }
            }
            t += 1.0;
        }
        rep.last_epoch_errors = errors;
    }
    let weights: Vec<f32> = w.iter().zip(&u).map(|(&a, &b)| a - b / t).collect();
    let mut seg = Segmenter {
        weights,
        table: Table::default(),
    };
    seg.table = build_table(stats, &seg, cfg, &mut rep);
    (seg, rep)
}

fn build_table(
    stats: &CorpusStats,
    seg: &Segmenter,
    cfg: &TrainConfig,
    rep: &mut TrainReport,
) -> Table {
    let mut entries: Vec<(u64, u32)> = stats
        .counts
        .iter()
        .filter(|(_, &c)| c >= 2)
        .map(|(&h, &c)| (h, c))
        .collect();
    entries.sort_unstable();
    let n = entries.len().max(1);
    let bits = (usize::BITS - (n * 10 / 7).leading_zeros()).max(4);
    let size = 1usize << bits;
    let mut table = Table {
        fps: vec![0; size],
        vals: vec![0; size],
        max_probe: 0,
    };
    let mask = size - 1;
    let mut slots = Vec::with_capacity(entries.len());
    for &(h, c) in &entries {
        let fp = Table::fingerprint(h);
        let mut i = (h as usize) & mask;
        let mut d = 0;
        while table.fps[i] != 0 && table.fps[i] != fp {
            i = (i + 1) & mask;
            d += 1;
        }
        table.fps[i] = fp;
        table.vals[i] = u16::from(bucket(c.into()));
        table.max_probe = table.max_probe.max(d);
        slots.push((i, h, c));
    }
    rep.table_words = entries.len();
    // Decisions are computed against the finished frequency table, exactly as at run time.
    let mut codes = Vec::with_capacity(slots.len());
    for &(i, h, c) in &slots {
        if c < cfg.cache_min_count {
            continue;
        }
        let Some(word) = stats.words.get(&h) else {
            continue;
        };
        let Some(w) = WordChars::new(word) else {
            continue;
        };
        let cand = seg.decide_with(&w, &table);
        if cand != Cand::default() {
            rep.cached_splits += 1;
        }
        codes.push((i, cand.code() + 1));
    }
    for (i, code) in codes {
        table.vals[i] |= code << 5;
    }
    table
}

/// Accuracy of a segmenter on examples.
#[derive(Clone, Debug, Default)]
pub struct EvalReport {
    /// Words whose segments all match.
    pub correct: usize,
    /// Words evaluated.
    pub total: usize,
    /// Wrong words: surface, gold, predicted (segments joined by `+`).
    pub errors: Vec<(String, String, String)>,
}

impl EvalReport {
    /// `correct / total`.
    pub fn accuracy(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.correct as f64 / self.total as f64
        }
    }
}

fn show(segs: impl Iterator<Item = (String, SegmentRole)>) -> String {
    segs.map(|(f, r)| match r {
        SegmentRole::Proclitic => format!("{f}+"),
        SegmentRole::Base => f,
        SegmentRole::Enclitic => format!("+{f}"),
    })
    .collect::<Vec<_>>()
    .join(" ")
}

/// Runs `seg` on every example's surface and compares with the gold segments.
pub fn evaluate(seg: &Segmenter, examples: &[Example]) -> EvalReport {
    let mut rep = EvalReport::default();
    for ex in examples {
        let got = seg.segment(&ex.surface);
        rep.total += 1;
        let ok = got.len() == ex.gold.len()
            && got
                .iter()
                .zip(&ex.gold)
                .all(|(s, (f, r))| &s.form == f && s.role == *r);
        if ok {
            rep.correct += 1;
        } else {
            rep.errors.push((
                ex.surface.clone(),
                show(ex.gold.iter().cloned()),
                show(got.into_iter().map(|s| (s.form, s.role))),
            ));
        }
    }
    rep
}
