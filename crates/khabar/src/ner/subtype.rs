//! Fine-grained types of entities (`subtype`: `Politician`, `Athlete`, `Nation`,
//! `Population-Center`, `Media`, …), learned from WikiFANE and NewsFANE's 50 ACE-style types.
//!
//! The tagger finds names in ANERcorp's four classes; this classifier then picks, for each
//! mention, one of the fine types that fall under its class (a PERS is never given `Nation`).
//! It is a multiclass averaged perceptron over the mention's words (with clitics and ال
//! stripped), the two words before it and the one after it (`اللاعب`, `مدينة`, `نادي`), the
//! last word's ending (nisba `ية`), its length, and what the knowledge base knows of the
//! whole phrase and of its last word (a country, a city, a region, a given name). ANERcorp's
//! MISC names (events, religions, languages) have no FANE type, so its MISC mentions train a
//! "no subtype" answer under MISC: a MISC mention gets a subtype only when it looks like one
//! of FANE's products, vehicles or weapons.
//!
//! The model is a section of the NER model file (`Model::subtypes`); `khabar train ner`
//! trains it, `khabar train subtypes` retrains just that section of an existing model.

use std::collections::HashMap;

use khabar_model::wire::{Reader, Writer};
use khabar_text::normalize::normalize;
use khabar_text::Profile;

use super::features::{hash_str, mix};
use super::weights::prefetch;
use crate::document::EntityType;

/// Every subtype the classifier can give, with the class it falls under. The names are
/// FANE's (ACE 2005's subtypes), except that vehicles and weapons carry their group
/// (`Vehicle-Air`, not FANE's bare `Air`), so that a name read alone says what it is.
pub const SUBTYPES: &[(&str, &str, EntityType)] = &[
    ("Politician", "Politician", EntityType::Pers),
    ("Artist", "Artist", EntityType::Pers),
    ("Religious_PER", "Religious_PER", EntityType::Pers),
    ("Other_PER", "Other_PER", EntityType::Pers),
    ("Athlete", "Athlete", EntityType::Pers),
    ("Scientist", "Scientist", EntityType::Pers),
    ("Businessperson", "Businessperson", EntityType::Pers),
    ("Engineer", "Engineer", EntityType::Pers),
    ("Lawyer", "Lawyer", EntityType::Pers),
    ("Police", "Police", EntityType::Pers),
    ("Government", "Government", EntityType::Org),
    ("Non-Governmental", "Non-Governmental", EntityType::Org),
    ("Commercial", "Commercial", EntityType::Org),
    ("Educational", "Educational", EntityType::Org),
    ("Media", "Media", EntityType::Org),
    ("Religious_ORG", "Religious_ORG", EntityType::Org),
    ("Sports", "Sports", EntityType::Org),
    ("Medical-Science", "Medical-Science", EntityType::Org),
    ("Entertainment", "Entertainment", EntityType::Org),
    ("Nation", "Nation", EntityType::Loc),
    ("Population-Center", "Population-Center", EntityType::Loc),
    ("State-or-Province", "State-or-Province", EntityType::Loc),
    ("County-or-District", "County-or-District", EntityType::Loc),
    ("GPE-Cluster", "GPE-Cluster", EntityType::Loc),
    ("Continent", "Continent", EntityType::Loc),
    ("Water-Body", "Water-Body", EntityType::Loc),
    ("Land-Region-Natural", "Land-Region-Natural", EntityType::Loc),
    ("Celestial", "Celestial", EntityType::Loc),
    ("Building-Grounds", "Building-Grounds", EntityType::Loc),
    ("Airport", "Airport", EntityType::Loc),
    ("Path", "Path", EntityType::Loc),
    ("Subarea-Facility", "Subarea-Facility", EntityType::Loc),
    ("Plant", "Plant", EntityType::Loc),
    ("Air", "Vehicle-Air", EntityType::Misc),
    ("Water", "Vehicle-Water", EntityType::Misc),
    ("Land", "Vehicle-Land", EntityType::Misc),
    ("Projectile", "Weapon-Projectile", EntityType::Misc),
    ("Shooting", "Weapon-Shooting", EntityType::Misc),
    ("Blunt", "Weapon-Blunt", EntityType::Misc),
    ("Exploding", "Weapon-Exploding", EntityType::Misc),
    ("Nuclear", "Weapon-Nuclear", EntityType::Misc),
    ("Chemical", "Weapon-Chemical", EntityType::Misc),
    ("Sharp", "Weapon-Sharp", EntityType::Misc),
    ("Book", "Book", EntityType::Misc),
    ("Software", "Software", EntityType::Misc),
    ("Hardware", "Hardware", EntityType::Misc),
    ("Movie", "Movie", EntityType::Misc),
    ("Sound", "Sound", EntityType::Misc),
    ("Food", "Food", EntityType::Misc),
    ("Drug", "Drug", EntityType::Misc),
];

/// Averaged weights smaller than this are dropped from the trained model (chosen on the
/// NewsFANE dev split: 0.001, 0.1, 0.3, 1, 2 kept 81.56%, 81.56%, 81.71%, 80.80%, 78.53% of
/// fine types right).
const MIN_WEIGHT: f32 = 0.3;

/// Words of context on each side of a mention.
pub const WINDOW: usize = 5;

/// The class index of "no subtype" (ANERcorp's MISC names that are none of FANE's types).
const NONE: usize = SUBTYPES.len();

/// The subtype index of a FANE fine type (`Politician`, `Air`), if it is one.
pub fn fane_index(fine: &str) -> Option<usize> {
    SUBTYPES.iter().position(|(f, _, _)| *f == fine)
}

/// The contract's name of subtype `k` (`Vehicle-Air` for FANE's `Air`).
pub fn name(k: usize) -> Option<&'static str> {
    SUBTYPES.get(k).map(|(_, n, _)| *n)
}

/// The answers allowed under a class: its subtypes, and "none" under MISC.
fn allowed(class: EntityType) -> impl Iterator<Item = usize> {
    (0..=NONE).filter(move |&k| match SUBTYPES.get(k) {
        Some((_, _, c)) => *c == class,
        None => class == EntityType::Misc,
    })
}

/// One mention to classify: its words as the tokens show them, up to [`WINDOW`] words
/// before and after it in its sentence, and its class.
#[derive(Debug, Clone)]
pub struct Mention<'a> {
    /// The mention's words.
    pub words: Vec<&'a str>,
    /// Up to [`WINDOW`] words before it.
    pub before: Vec<&'a str>,
    /// Up to [`WINDOW`] words after it.
    pub after: Vec<&'a str>,
    /// The words of its sentence and the sentences next to it (what the story is about),
    /// each already as [`core`] makes it.
    pub topic: Vec<&'a str>,
    /// Its class.
    pub class: EntityType,
    /// Whether `before` and `after` are already `search`-normalized (the tokens' `norm`
    /// under the default profile), so the features need not normalize them again.
    pub context_normalized: bool,
}

/// A word as the features see it: `search`-normalized, without a leading و/ف, ب/ل/ك and ال
/// when enough is left (the tagger's spans drop clitics; FANE's joined tokens keep them).
pub fn core(word: &str) -> String {
    core_of_normalized(&normalize(word, Profile::Search)).to_string()
}

/// A context word as [`core`] makes it, from its normalized form when the tokens give it.
fn context_core(w: &str, normalized: bool) -> std::borrow::Cow<'_, str> {
    if normalized {
        std::borrow::Cow::Borrowed(core_of_normalized(w))
    } else {
        std::borrow::Cow::Owned(core(w))
    }
}

/// [`core`] of a word already `search`-normalized (a token's `norm` under the default profile).
pub fn core_of_normalized(n: &str) -> &str {
    let mut s = n;
    let long = |r: &str| r.chars().count() >= 2;
    if let Some(r) = s.strip_prefix('و').or_else(|| s.strip_prefix('ف')).filter(|r| long(r)) {
        s = r;
    }
    if let Some(r) = s.strip_prefix("لل").filter(|r| long(r)) {
        return r;
    }
    if let Some(r) = ['ب', 'ل', 'ك'].iter().find_map(|&p| s.strip_prefix(p)).filter(|r| r.starts_with("ال")) {
        s = r;
    }
    if let Some(r) = s.strip_prefix("ال").filter(|r| long(r)) {
        s = r;
    }
    s
}

/// A feature's key: its template and value hashed together (no string built per feature).
fn key(template: &str, value: &str) -> u64 {
    mix(hash_str(template), hash_str(value))
}

fn ending(w: &str, n: usize) -> &str {
    let k = w.char_indices().rev().nth(n.saturating_sub(1)).map_or(0, |(b, _)| b);
    &w[k..]
}

/// The topic feature of a word already as [`core`] makes it (`None`: too short to say much).
fn topic_key(core: &str) -> Option<u64> {
    (core.chars().count() >= 3).then(|| key("t", core))
}

/// The hashed features of a mention, in this order: the mention's own and its
/// context's ([`own_and_kb_features`]), the topic words' (sorted, once each), the
/// knowledge base's.
fn features(m: &Mention<'_>, kb: Option<&khabar_kb::Kb>) -> Vec<u64> {
    let (mut f, kb_features) = own_and_kb_features(m, kb);
    f.reserve(m.topic.len() + kb_features.len());
    f.extend(sorted_once_each(m.topic.iter().filter_map(|c| topic_key(c)).collect()));
    f.extend(kb_features);
    f
}

/// Topic words' keys as the features take them: sorted, once each.
fn sorted_once_each(mut keys: Vec<u64>) -> Vec<u64> {
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// The features of [`features`] that are not the topic's: those of the mention and its
/// context, and those of the knowledge base.
fn own_and_kb_features(m: &Mention<'_>, kb: Option<&khabar_kb::Kb>) -> (Vec<u64>, Vec<u64>) {
    let mut f: Vec<u64> = Vec::with_capacity(64);
    let cores: Vec<String> = m.words.iter().map(|w| core(w)).collect();
    f.push(key("bias", ""));
    for c in &cores {
        f.push(key("w", c));
    }
    if let (Some(first), Some(last)) = (cores.first(), cores.last()) {
        f.push(key("f", first));
        f.push(key("l", last));
        f.push(key("l2", ending(last, 2)));
        f.push(key("l3", ending(last, 3)));
        f.push(cores.iter().fold(hash_str("p"), |h, c| mix(h, hash_str(c))));
    }
    f.push(mix(hash_str("n"), cores.len().min(4) as u64));
    let ctx = |w| context_core(w, m.context_normalized);
    let b1 = m.before.last().map(|w| ctx(w));
    let b2 = m.before.len().checked_sub(2).map(|i| ctx(m.before[i]));
    if let Some(b) = &b1 {
        f.push(key("b1", b));
    }
    if let (Some(a), Some(b)) = (&b2, &b1) {
        f.push(key("b2", a));
        f.push(mix(key("b12", a), hash_str(b)));
    }
    if let Some(a) = m.after.first() {
        f.push(key("a1", &ctx(a)));
    }
    // The words around it, as a bag: a match report, a film, a ministry's statement.
    for w in m.before.iter().rev().skip(2).chain(m.after.iter().skip(1)) {
        f.push(key("x", &ctx(w)));
    }
    let mut k: Vec<u64> = Vec::new();
    if let Some(kb) = kb {
        let phrase: Vec<String> = m.words.iter().map(|w| normalize(w, Profile::Search)).collect();
        let kinds = |template: &str, name: &str, f: &mut Vec<u64>| {
            let mut seen = 0u32;
            for c in kb.lookup(name).filter(|c| c.source.is_external()) {
                let bit = 1u32 << (c.kind as u32 & 31);
                if seen & bit == 0 {
                    seen |= bit;
                    let k = key(template, c.kind.name());
                    f.push(k);
                    if c.kind.is_place() {
                        f.push(mix(k, 1 + u64::from(c.population_band())));
                    }
                }
            }
        };
        kinds("k", &phrase.join(" "), &mut k);
        if let Some(last) = cores.last() {
            kinds("kl", last, &mut k);
        }
        if cores.len() > 1 {
            kinds("kf", &cores[0], &mut k);
        }
    }
    (f, k)
}

/// A score per answer.
type Scores = [f32; NONE + 1];

/// The trained classifier: for each feature (sorted keys), its weights for the few answers
/// it touched, in one flat table (a hash map of small vectors cost 20 MB and 20 ms to load).
#[derive(Debug, Clone, Default)]
pub struct SubtypeModel {
    /// Features with weights (the keys of `index`).
    features: usize,
    /// Each key's entries, for classifying: see [`RowTable`]. The only copy of the weights:
    /// [`SubtypeModel::to_bytes`] reads them back from it.
    index: RowTable,
    epochs: u32,
}

/// Feature → its (answer, weight) entries, laid out for lookups: an open-addressing table
/// at most half full of 16-byte slots (key and entry range; four to a cache line) over the
/// entries as interleaved pairs. A hash map into three arrays cost four or five cache
/// misses per feature and made this stage a seventh of the pipeline's time.
#[derive(Debug, Clone, Default)]
struct RowTable {
    slots: Vec<RowSlot>,
    entries: Vec<Entry>,
}

#[derive(Debug, Clone, Copy, Default)]
#[repr(C, align(16))]
struct RowSlot {
    key: u64,
    lo: u32,
    /// One past the last entry; 0 marks an empty slot (every kept feature has an entry).
    hi: u32,
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    weight: f32,
    answer: u8,
}

impl RowTable {
    fn build(keys: &[u64], rows: &[u32], answers: &[u8], weights: &[f32]) -> RowTable {
        let cap = (keys.len() * 2).next_power_of_two().max(16);
        let mut t = RowTable {
            slots: vec![RowSlot::default(); cap],
            entries: answers.iter().zip(weights).map(|(&answer, &weight)| Entry { weight, answer }).collect(),
        };
        let mask = cap - 1;
        for (i, &key) in keys.iter().enumerate() {
            let (lo, hi) = (rows[i], rows[i + 1]);
            if hi <= lo {
                continue;
            }
            let mut j = key as usize & mask;
            while t.slots[j].hi != 0 {
                j = (j + 1) & mask;
            }
            t.slots[j] = RowSlot { key, lo, hi };
        }
        t
    }

    #[inline]
    fn slot_of(&self, key: u64) -> usize {
        key as usize & self.slots.len().saturating_sub(1)
    }

    #[inline]
    fn find(&self, key: u64) -> Option<(u32, u32)> {
        let mask = self.slots.len().checked_sub(1)?;
        let mut j = key as usize & mask;
        loop {
            let s = self.slots.get(j)?;
            if s.hi == 0 {
                return None;
            }
            if s.key == key {
                return Some((s.lo, s.hi));
            }
            j = (j + 1) & mask;
        }
    }
}


impl SubtypeModel {
    fn from_rows(mut rows: Vec<(u64, Vec<(u8, f32)>)>, epochs: u32) -> SubtypeModel {
        rows.sort_unstable_by_key(|(k, _)| *k);
        let (mut keys, mut bounds, mut answers, mut weights) = (Vec::new(), vec![0u32], Vec::new(), Vec::new());
        for (k, row) in rows {
            keys.push(k);
            for (a, w) in row {
                answers.push(a);
                weights.push(w);
            }
            bounds.push(answers.len() as u32);
        }
        SubtypeModel::from_arrays(&keys, &bounds, &answers, &weights, epochs)
    }

    /// A model of sorted `keys`, key i's entries being `bounds[i]..bounds[i + 1]` of
    /// `answers` and `weights`.
    fn from_arrays(keys: &[u64], bounds: &[u32], answers: &[u8], weights: &[f32], epochs: u32) -> SubtypeModel {
        let index = RowTable::build(keys, bounds, answers, weights);
        let features = index.slots.iter().filter(|s| s.hi != 0).count();
        SubtypeModel { features, index, epochs }
    }

    /// The subtype of a mention (`None`: no FANE type fits, or the model is empty).
    pub fn classify(&self, m: &Mention<'_>, kb: Option<&khabar_kb::Kb>) -> Option<&'static str> {
        if self.features == 0 {
            return None;
        }
        let topic = self.topic_scores(&sorted_once_each(m.topic.iter().filter_map(|c| topic_key(c)).collect()));
        self.classify_with_topic(m, kb, &topic)
    }

    /// The topic features' part of the scores, from their keys ([`sorted_once_each`] of
    /// [`topic_key`]s): the mentions of one sentence share it (some eighty words, whose
    /// entries were most of this stage's time when read again for every mention).
    fn topic_scores(&self, keys: &[u64]) -> Scores {
        let mut score = [0f32; NONE + 1];
        self.add(&self.found(keys), &mut score);
        score
    }

    /// [`SubtypeModel::classify`] for a mention with its topic's part of the scores already
    /// summed ([`SubtypeModel::topic_scores`]). The scores are summed in three parts, the
    /// mention's own and its context's features, the topic's, then the knowledge base's,
    /// the same way for every caller, so a cached topic part gives the same answer.
    fn classify_with_topic(&self, m: &Mention<'_>, kb: Option<&khabar_kb::Kb>, topic: &Scores) -> Option<&'static str> {
        if self.features == 0 {
            return None;
        }
        let (own, kb_features) = own_and_kb_features(m, kb);
        let mut score = [0f32; NONE + 1];
        self.add(&self.found(&own), &mut score);
        for (s, t) in score.iter_mut().zip(topic) {
            *s += t;
        }
        self.add(&self.found(&kb_features), &mut score);
        let best = allowed(m.class).max_by(|&a, &b| score[a].total_cmp(&score[b]).then(b.cmp(&a)))?;
        name(best)
    }

    /// The entry ranges of the features present among `keys`, in their order. Found in a
    /// pass after one that only touches their slots, so that the loads overlap.
    fn found(&self, keys: &[u64]) -> Vec<(u32, u32)> {
        let t = &self.index;
        for &h in keys {
            prefetch(t.slots.as_ptr().wrapping_add(t.slot_of(h)));
        }
        keys.iter().filter_map(|&h| t.find(h)).collect()
    }

    /// Adds the entries of `found` to `score`, in order (after touching each first entry,
    /// as [`SubtypeModel::found`] does the slots).
    fn add(&self, found: &[(u32, u32)], score: &mut Scores) {
        let t = &self.index;
        for &(lo, _) in found {
            prefetch(t.entries.as_ptr().wrapping_add(lo as usize));
        }
        for &(lo, hi) in found {
            for e in t.entries.get(lo as usize..hi as usize).unwrap_or_default() {
                if let Some(s) = score.get_mut(e.answer as usize) {
                    *s += e.weight;
                }
            }
        }
    }

    /// Whether the model has no weights (a NER model without a subtype section).
    pub fn is_empty(&self) -> bool {
        self.features == 0
    }

    /// Features kept (for reports).
    pub fn feature_count(&self) -> usize {
        self.features
    }

    /// The section's bytes (empty for an empty model).
    pub fn to_bytes(&self) -> Vec<u8> {
        if self.features == 0 {
            return Vec::new();
        }
        let t = &self.index;
        let mut slots: Vec<&RowSlot> = t.slots.iter().filter(|s| s.hi != 0).collect();
        slots.sort_unstable_by_key(|s| s.key);
        let mut b = Vec::with_capacity(slots.len() * 9 + t.entries.len() * 5);
        for s in slots {
            let entries = t.entries.get(s.lo as usize..s.hi as usize).unwrap_or_default();
            b.extend_from_slice(&s.key.to_le_bytes());
            b.push(entries.len() as u8);
            for e in entries {
                b.push(e.answer);
                b.extend_from_slice(&e.weight.to_le_bytes());
            }
        }
        let mut w = Writer::new();
        w.u32(SUBTYPES.len() as u32).u32(self.epochs).bytes(&b);
        w.finish()
    }

    /// Reads a section written by [`SubtypeModel::to_bytes`].
    ///
    /// # Errors
    /// A model error when the section does not parse or names answers this build lacks.
    pub fn from_bytes(bytes: &[u8]) -> khabar_model::Result<SubtypeModel> {
        if bytes.is_empty() {
            return Ok(SubtypeModel::default());
        }
        let bad = |m: &str| khabar_model::Error::format(format!("NER model, subtype section: {m}"));
        let mut r = Reader::new(bytes);
        let n = r.u32("subtype count")? as usize;
        if n != SUBTYPES.len() {
            return Err(bad(&format!("{n} subtypes, this build knows {}", SUBTYPES.len())));
        }
        let epochs = r.u32("subtype epochs")?;
        let rows = r.bytes("subtype weights")?;
        if r.remaining() != 0 {
            return Err(bad("unexpected bytes after the weights"));
        }
        // Each key takes at least 14 bytes (a 9-byte head and one 5-byte entry).
        let (mut keys, mut bounds) = (Vec::with_capacity(rows.len() / 14), Vec::with_capacity(rows.len() / 14 + 1));
        let (mut answers, mut weights) = (Vec::new(), Vec::new());
        bounds.push(0u32);
        let mut i = 0;
        while i < rows.len() {
            let head = rows.get(i..i + 9).ok_or_else(|| bad("truncated row"))?;
            let key = u64::from_le_bytes(head[..8].try_into().map_err(|_| bad("truncated key"))?);
            if keys.last().is_some_and(|&last| last >= key) {
                return Err(bad("keys out of order"));
            }
            let len = head[8] as usize;
            i += 9;
            let body = rows.get(i..i + 5 * len).ok_or_else(|| bad("truncated row"))?;
            for e in body.chunks_exact(5) {
                if e[0] as usize > NONE {
                    return Err(bad("weight for an unknown subtype"));
                }
                answers.push(e[0]);
                weights.push(f32::from_le_bytes([e[1], e[2], e[3], e[4]]));
            }
            i += 5 * len;
            keys.push(key);
            bounds.push(answers.len() as u32);
        }
        Ok(SubtypeModel::from_arrays(&keys, &bounds, &answers, &weights, epochs))
    }
}

/// A training mention: the mention and its answer (an index into [`SUBTYPES`], or "none").
#[derive(Debug, Clone)]
pub struct Example {
    /// The mention's words.
    pub words: Vec<String>,
    /// Up to [`WINDOW`] words before it.
    pub before: Vec<String>,
    /// Up to [`WINDOW`] words after it.
    pub after: Vec<String>,
    /// The words of its sentence and the sentences next to it.
    pub topic: Vec<String>,
    /// Its class.
    pub class: EntityType,
    /// The subtype index (into [`SUBTYPES`]), or "none".
    pub answer: usize,
}

impl Example {
    fn mention(&self) -> Mention<'_> {
        Mention {
            words: self.words.iter().map(String::as_str).collect(),
            before: self.before.iter().map(String::as_str).collect(),
            after: self.after.iter().map(String::as_str).collect(),
            topic: self.topic.iter().map(String::as_str).collect(),
            class: self.class,
            context_normalized: false,
        }
    }
}

/// The mentions of a tagged sentence (BIO tags over FANE's fine types, or ANERcorp's
/// classes, whose MISC names become "none" examples and whose other names are skipped).
/// `is_title(word)` says which leading words stay outside a person's name, as the tagger
/// is trained to leave them.
pub fn examples(sent: &[(String, String)], is_title: &dyn Fn(&str) -> bool) -> Vec<Example> {
    let mut out = Vec::new();
    let mut k = 0;
    while k < sent.len() {
        let Some(ty) = sent[k].1.strip_prefix("B-").or_else(|| sent[k].1.strip_prefix("I-")) else {
            k += 1;
            continue;
        };
        let mut e = k + 1;
        while e < sent.len() && sent[e].1.strip_prefix("I-") == Some(ty) {
            e += 1;
        }
        let found = match fane_index(ty) {
            Some(i) => Some((SUBTYPES[i].2, i)),
            None if ty == "MISC" => Some((EntityType::Misc, NONE)),
            None => None,
        };
        if let Some((class, answer)) = found {
            let mut s = k;
            if class == EntityType::Pers && e - s > 1 && is_title(&sent[s].0) {
                s += 1;
            }
            out.push(Example {
                words: sent[s..e].iter().map(|(w, _)| w.clone()).collect(),
                before: sent[s.saturating_sub(WINDOW)..s].iter().map(|(w, _)| w.clone()).collect(),
                after: sent[e..(e + WINDOW).min(sent.len())].iter().map(|(w, _)| w.clone()).collect(),
                topic: Vec::new(),
                class,
                answer,
            });
        }
        k = e;
    }
    out
}

/// The mentions of consecutive sentences of a corpus (as [`examples`]), each with the
/// words of its sentence and of the sentences before and after it as its topic.
pub fn examples_in(sents: &[Vec<(String, String)>], is_title: &dyn Fn(&str) -> bool) -> Vec<Example> {
    let mut out = Vec::new();
    for (i, s) in sents.iter().enumerate() {
        let around = sents[i.saturating_sub(1)..(i + 2).min(sents.len())].iter().flatten();
        let topic: Vec<String> = around.map(|(w, _)| core(w)).collect();
        for mut e in examples(s, is_title) {
            e.topic = topic.clone();
            out.push(e);
        }
    }
    out
}

/// Trains the classifier: `epochs` passes in an order shuffled by `seed`, weights averaged.
pub fn train(examples: &[Example], kb: Option<&khabar_kb::Kb>, epochs: u32, seed: u64) -> SubtypeModel {
    let feats: Vec<Vec<u64>> = examples.iter().map(|e| features(&e.mention(), kb)).collect();
    // Averaged perceptron with lazy averaging: w, the sum of updates weighted by their time.
    let mut w: HashMap<u64, [f32; NONE + 1]> = HashMap::new();
    let mut u: HashMap<u64, [f32; NONE + 1]> = HashMap::new();
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut t = 1f32;
    for _ in 0..epochs {
        for i in (1..order.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            order.swap(i, (state % (i as u64 + 1)) as usize);
        }
        for &i in &order {
            let ex = &examples[i];
            let mut score = [0f32; NONE + 1];
            for h in &feats[i] {
                if let Some(row) = w.get(h) {
                    for (s, v) in score.iter_mut().zip(row) {
                        *s += v;
                    }
                }
            }
            let Some(pred) = allowed(ex.class).max_by(|&a, &b| score[a].total_cmp(&score[b]).then(b.cmp(&a))) else { continue };
            if pred != ex.answer {
                for h in &feats[i] {
                    let row = w.entry(*h).or_insert([0.0; NONE + 1]);
                    row[ex.answer] += 1.0;
                    row[pred] -= 1.0;
                    let acc = u.entry(*h).or_insert([0.0; NONE + 1]);
                    acc[ex.answer] += t;
                    acc[pred] -= t;
                }
            }
            t += 1.0;
        }
    }
    let mut rows = Vec::with_capacity(w.len());
    for (h, row) in w {
        let acc = u.get(&h).copied().unwrap_or([0.0; NONE + 1]);
        let avg: Vec<(u8, f32)> = row
            .iter()
            .zip(acc.iter())
            .enumerate()
            .map(|(k, (v, a))| (k as u8, v - a / t))
            .filter(|(_, v)| v.abs() >= MIN_WEIGHT)
            .collect();
        if !avg.is_empty() {
            rows.push((h, avg));
        }
    }
    SubtypeModel::from_rows(rows, epochs)
}

/// Accuracy of the classifier on examples, overall and per class: (class, right, total).
pub fn accuracy(model: &SubtypeModel, examples: &[Example], kb: Option<&khabar_kb::Kb>) -> Vec<(EntityType, usize, usize)> {
    let classes = [EntityType::Pers, EntityType::Loc, EntityType::Org, EntityType::Misc];
    let mut out: Vec<(EntityType, usize, usize)> = classes.iter().map(|&c| (c, 0, 0)).collect();
    for ex in examples {
        let got = model.classify(&ex.mention(), kb);
        let want = name(ex.answer);
        if let Some(row) = out.iter_mut().find(|r| r.0 == ex.class) {
            row.2 += 1;
            if got == want {
                row.1 += 1;
            }
        }
    }
    out
}

/// The pipeline stage: after linking and quotes (which add mentions of their own), each
/// mention is classified in its context and each `entity_index` record takes the answer
/// most of its mentions give (ties: the longest mention's), so one entity has one subtype.
#[derive(Debug, Clone)]
pub struct SubtypeClassifier {
    model: std::sync::Arc<SubtypeModel>,
    kb: Option<std::sync::Arc<khabar_kb::Kb>>,
    /// Whether tokens' `norm` is the `search` form the features read (the default profile),
    /// so the topic words need no second normalization.
    norms_are_search: bool,
}

impl SubtypeClassifier {
    /// The stage around a classifier and the knowledge base its features read.
    pub fn new(model: std::sync::Arc<SubtypeModel>, kb: Option<std::sync::Arc<khabar_kb::Kb>>, profile: Profile) -> SubtypeClassifier {
        SubtypeClassifier { model, kb, norms_are_search: profile == Profile::Search }
    }
}

impl crate::pipeline::Annotator for SubtypeClassifier {
    fn name(&self) -> &'static str {
        "subtype"
    }

    fn annotate(&self, doc: &mut crate::document::Document) -> crate::Result<()> {
        if self.model.is_empty() || doc.entities.is_empty() {
            return Ok(());
        }
        // Tokens as topic words, computed once per document and only where a mention reads them.
        let mut topic_keys: Vec<Option<Option<u64>>> = vec![None; doc.tokens.len()];
        // Per record id: (answer, votes, longest mention voting for it).
        let mut votes: HashMap<&str, Vec<(Option<&'static str>, usize, usize)>> = HashMap::new();
        // The sentence of the last mention and its topic's part of the scores.
        let mut window: Option<(usize, Scores)> = None;
        for e in &doc.entities {
            let surface = doc.slice(e.span);
            let first = doc.tokens.partition_point(|t| t.span.end <= e.span.start);
            let next = doc.tokens.partition_point(|t| t.span.start < e.span.end);
            // The context stays inside the mention's sentence, as in training.
            let si = doc.sentences.partition_point(|s| s.end <= e.span.start);
            let sentence = doc.sentences.get(si).filter(|s| s.start <= e.span.start).copied();
            let inside = |t: &&crate::document::Token| sentence.is_none_or(|s| s.start <= t.span.start && t.span.end <= s.end);
            // The context words as the features read them: the tokens' `norm` when it is
            // the `search` form, else their surfaces (normalized by the features).
            let search = self.norms_are_search;
            let before: Vec<&str> = doc.tokens[first.saturating_sub(WINDOW)..first]
                .iter()
                .filter(inside)
                .map(|t| if search { t.norm.as_str() } else { doc.slice(t.span) })
                .collect();
            let after: Vec<&str> = doc.tokens[next.min(doc.tokens.len())..(next + WINDOW).min(doc.tokens.len())]
                .iter()
                .filter(inside)
                .map(|t| if search { t.norm.as_str() } else { doc.slice(t.span) })
                .collect();
            // The topic words are the sentence's and its neighbours': found once per sentence.
            if window.as_ref().is_none_or(|(wi, _)| *wi != si) {
                let (from, to) = (doc.sentences.get(si.saturating_sub(1)), doc.sentences.get(si + 1).or(doc.sentences.get(si)));
                let topic: Vec<u64> = match (from, to) {
                    (Some(a), Some(b)) => {
                        let lo = doc.tokens.partition_point(|t| t.span.start < a.start);
                        let hi = doc.tokens.partition_point(|t| t.span.start < b.end);
                        for k in lo..hi {
                            if topic_keys[k].is_none() {
                                let t = &doc.tokens[k];
                                let c = if self.norms_are_search { topic_key(core_of_normalized(&t.norm)) } else { topic_key(&core(doc.slice(t.span))) };
                                topic_keys[k] = Some(c);
                            }
                        }
                        topic_keys[lo..hi].iter().flatten().flatten().copied().collect()
                    }
                    _ => Vec::new(),
                };
                window = Some((si, self.model.topic_scores(&sorted_once_each(topic))));
            }
            let topic = window.as_ref().map_or(&[0f32; NONE + 1], |(_, t)| t);
            let m = Mention {
                words: surface.split_whitespace().collect(),
                before,
                after,
                topic: Vec::new(),
                class: e.kind,
                context_normalized: self.norms_are_search,
            };
            let got = self.model.classify_with_topic(&m, self.kb.as_deref(), topic);
            let v = votes.entry(e.id.as_str()).or_default();
            match v.iter_mut().find(|x| x.0 == got) {
                Some(x) => {
                    x.1 += 1;
                    x.2 = x.2.max(surface.len());
                }
                None => v.push((got, 1, surface.len())),
            }
        }
        let chosen: HashMap<String, Option<&'static str>> = votes
            .into_iter()
            .map(|(id, v)| (id.to_string(), v.into_iter().max_by_key(|x| (x.1, x.2)).and_then(|x| x.0)))
            .collect();
        for r in &mut doc.entity_index {
            r.subtype = chosen.get(&r.id).copied().flatten();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sent(s: &str) -> Vec<(String, String)> {
        s.split_whitespace()
            .map(|p| {
                let (w, t) = p.split_once('/').unwrap_or((p, "O"));
                (w.to_string(), t.to_string())
            })
            .collect()
    }

    #[test]
    fn examples_keep_fine_types_drop_titles_and_read_anercorp_misc_as_none() {
        let title = |w: &str| w == "الرئيس";
        let ex = examples(&sent("قال الرئيس/B-Politician باراك/I-Politician اوباما/I-Politician في واشنطن/B-Population-Center"), &title);
        assert_eq!(ex.len(), 2);
        assert_eq!(ex[0].words, ["باراك", "اوباما"]);
        assert_eq!(ex[0].before, ["قال", "الرئيس"]);
        assert_eq!(ex[0].after, ["في", "واشنطن"]);
        assert_eq!(name(ex[0].answer), Some("Politician"));
        assert_eq!(ex[1].class, EntityType::Loc);
        let ex = examples(&sent("عيد/B-MISC الفطر/I-MISC في عمان/B-LOC"), &title);
        assert_eq!(ex.len(), 1, "ANERcorp's LOC has no fine type to learn");
        assert_eq!((ex[0].class, ex[0].answer), (EntityType::Misc, NONE));
    }

    #[test]
    fn the_answer_always_falls_under_the_mentions_class() {
        // Trained only on a city, the model still never calls a person a city.
        let ex = examples(&sent("في دمشق/B-Population-Center و زار سامي/B-Athlete"), &|_| false);
        let m = train(&ex, None, 3, 1);
        let person = Mention { words: vec!["دمشق"], before: vec!["في"], after: vec![], topic: vec![], class: EntityType::Pers, context_normalized: false };
        let got = m.classify(&person, None).expect("a person subtype");
        assert!(SUBTYPES.iter().any(|(_, n, c)| *n == got && *c == EntityType::Pers), "{got}");
        assert_eq!(allowed(EntityType::Misc).last(), Some(NONE));
    }

    #[test]
    fn sections_round_trip_and_damage_is_an_error() {
        let ex = examples(&sent("في دمشق/B-Population-Center و زار سامي/B-Athlete و نادي/B-Sports الوحدة/I-Sports"), &|_| false);
        let m = train(&ex, None, 5, 1);
        let b = m.to_bytes();
        let back = SubtypeModel::from_bytes(&b).expect("round trip");
        assert_eq!(back.feature_count(), m.feature_count());
        assert_eq!(back.to_bytes(), b);
        let mention = Mention { words: vec!["الوحدة"], before: vec!["نادي"], after: vec![], topic: vec![], class: EntityType::Org, context_normalized: false };
        assert_eq!(back.classify(&mention, None), m.classify(&mention, None));
        assert!(SubtypeModel::from_bytes(&b[..b.len() - 3]).is_err());
        assert!(SubtypeModel::from_bytes(&[]).expect("empty section").classify(&mention, None).is_none());
    }

    #[test]
    fn cores_drop_clitics_and_the_article() {
        assert_eq!(core("وبالعراق"), "عراق");
        assert_eq!(core("للاتحاد"), "اتحاد");
        assert_eq!(core("والسراج"), "سراج");
        assert_eq!(core("بشار"), "بشار");
        assert_eq!(core("ال"), "ال");
    }
}
