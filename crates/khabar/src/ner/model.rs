//! The NER model: weights keyed by feature hash, BIO transitions, the word lexicon
//! learned from unlabeled text and the training-data gazetteer, framed as a khabar bundle.
//!
//! Payload (all little-endian, via `khabar_model::wire`):
//!
//! ```text
//! recipe str | feature-set u32 | tags u32 (= 9) | start f32s | transitions f32s (9×9)
//! | keys bytes (u64 each) | weights f32s (9 per key)
//! | lexicon bytes (18-byte records: hash u64, count u32, clusters 3×u16)
//! | gazetteer max phrase len u32 | tokens bytes (28-byte records: hash u64, 5×u32)
//! | phrases bytes (24-byte records: hash u64, 4×u32)
//! | self-training table bytes (28-byte records: hash u64, 5×u32)
//! | knowledge-base checksum u32 (0 when trained without one)
//! ```
//!
//! A model trained with knowledge-base features records the checksum of that knowledge
//! base and is used only with it: the built-in one is attached on load when it matches,
//! another one with [`Model::with_kb`], and a mismatch is an error, never silent drift.

use khabar_model::wire::{Reader, Writer};
use khabar_model::{Blob, Bundle};

use super::features::{
    context_features, mix, sentence_matches, tag_type, token_features, FeatureSet, Gazetteer, IdMap, TokInfo, WordInfo,
    WordLex, NT, OFFSETS,
};
use super::weights::FlatWeights;
use crate::Result;

/// The artifact kind in the bundle header.
pub const KIND: [u8; 4] = *b"NERT";
/// The payload format version this build reads and writes.
pub const VERSION: u32 = 3;

/// A trained tagger.
#[derive(Debug, Clone)]
pub struct Model {
    /// Feature hash → weights per tag.
    pub(crate) weights: FlatWeights,
    pub(crate) trans: Vec<f32>,
    pub(crate) start: Vec<f32>,
    pub(crate) lex: WordLex,
    pub(crate) gaz: Gazetteer,
    pub(crate) set: FeatureSet,
    pub(crate) recipe: String,
    /// Checksum of the knowledge base the model was trained with (0: none).
    pub(crate) kb_checksum: u32,
    /// The fine-type classifier (`subtype`), an optional last section of the file: a model
    /// written before it existed reads as one without subtypes.
    pub(crate) subtypes: std::sync::Arc<super::subtype::SubtypeModel>,
    /// Where organizations' names end (`khabar train extents`), an optional section after
    /// the subtypes.
    pub(crate) extents: std::sync::Arc<super::extents::NameExtents>,
    /// Organizations' own names learned from unlabeled news (`khabar train orgs`), an
    /// optional section after the extents.
    pub(crate) org_names: std::sync::Arc<super::orgnames::OrgNames>,
    /// Identifies `lex` and `weights` for the per-thread memos of [`Model::infos`] and
    /// [`Model::tag_infos`]: a clone shares it, as it shares the same lexicon and weights;
    /// a change of weights ([`Model::prune`]) takes a new one.
    pub(crate) lex_id: u64,
}

static NEXT_LEX_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// A fresh [`Model::lex_id`].
pub(crate) fn next_lex_id() -> u64 {
    NEXT_LEX_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// Token preprocessings kept per thread before the memo is cleared (bounded memory:
/// about 10 MB; news vocabulary is Zipfian, so this covers most tokens).
const TOK_MEMO_CAPACITY: usize = 50_000;

thread_local! {
    /// (lexicon id, surface → preprocessing): a token's [`TokInfo`] depends on its surface
    /// and the model's lexicon alone, and computing it (normalization, clitic readings
    /// weighed by corpus counts, hashes) was a tenth of the pipeline's time.
    static TOK_MEMO: std::cell::RefCell<(u64, rustc_hash::FxHashMap<Box<str>, TokInfo>)> =
        std::cell::RefCell::new((0, rustc_hash::FxHashMap::default()));
}

/// Whether tag `cur` may follow tag `prev` (`None` = sentence start): `I-X` only after `B-X`/`I-X`.
#[inline]
pub fn allowed(prev: Option<usize>, cur: usize) -> bool {
    if cur == 0 || cur % 2 == 1 {
        return true;
    }
    matches!(prev, Some(p) if p != 0 && tag_type(p) == tag_type(cur))
}

/// Best tag sequence under emission scores, transition scores (`prev * NT + cur`) and
/// start scores, with BIO constraints.
pub fn viterbi(em: &[[f32; NT]], trans: &[f32], start: &[f32]) -> Vec<usize> {
    let n = em.len();
    if n == 0 {
        return Vec::new();
    }
    let mut score = vec![[f32::NEG_INFINITY; NT]; n];
    let mut back = vec![[0u8; NT]; n];
    for t in 0..NT {
        if allowed(None, t) {
            score[0][t] = start.get(t).copied().unwrap_or(0.0) + em[0][t];
        }
    }
    for i in 1..n {
        for cur in 0..NT {
            let mut best = f32::NEG_INFINITY;
            let mut arg = 0u8;
            for prev in 0..NT {
                if !allowed(Some(prev), cur) {
                    continue;
                }
                let s = score[i - 1][prev] + trans.get(prev * NT + cur).copied().unwrap_or(0.0);
                if s > best {
                    best = s;
                    arg = prev as u8;
                }
            }
            score[i][cur] = best + em[i][cur];
            back[i][cur] = arg;
        }
    }
    let mut last = 0;
    for t in 1..NT {
        if score[n - 1][t] > score[n - 1][last] {
            last = t;
        }
    }
    let mut out = vec![0usize; n];
    out[n - 1] = last;
    for i in (1..n).rev() {
        out[i - 1] = back[i][out[i]] as usize;
    }
    out
}

impl Model {
    /// Loads a model from bundle bytes.
    ///
    /// # Errors
    /// A model error naming what is wrong: not a khabar file, another kind or version,
    /// truncated, corrupted, or a payload whose fields do not fit together.
    pub fn from_blob(blob: Blob) -> Result<Model> {
        let bundle = Bundle::parse(blob, KIND, VERSION)?;
        Self::from_payload(bundle.payload())?.attach_builtin_kb()
    }

    fn from_payload(p: &[u8]) -> khabar_model::Result<Model> {
        let bad = |m: String| khabar_model::Error::format(format!("NER model: {m}"));
        let mut r = Reader::new(p);
        let recipe = r.str("recipe")?.to_string();
        let set = FeatureSet::from_bits(r.u32("feature set")?);
        let nt = r.u32("tag count")? as usize;
        if nt != NT {
            return Err(bad(format!("{nt} tags, expected {NT}")));
        }
        let start = r.f32s("start scores")?;
        let trans = r.f32s("transitions")?;
        if start.len() != NT || trans.len() != NT * NT {
            return Err(bad("transition table has the wrong size".into()));
        }
        let keys = r.bytes("feature keys")?;
        if keys.len() % 8 != 0 {
            return Err(bad("feature key table is not a whole number of keys".into()));
        }
        let weights = r.f32s("weights")?;
        if weights.len() != keys.len() / 8 * NT {
            return Err(bad(format!("{} weights for {} features", weights.len(), keys.len() / 8)));
        }
        let table = FlatWeights::from_rows(keys.chunks_exact(8).zip(weights.chunks_exact(NT)).map(|(k, w)| {
            let mut row = [0f32; NT];
            row.copy_from_slice(w);
            (u64_le(k), row)
        }));
        // The file's copy is freed before the rest loads: it would add 8 MB to the peak.
        drop(weights);
        let weights = table;
        let lexb = r.bytes("lexicon")?;
        if lexb.len() % 18 != 0 {
            return Err(bad("lexicon table is not a whole number of records".into()));
        }
        let mut lex = WordLex::default();
        lex.words.reserve(lexb.len() / 18);
        for rec in lexb.chunks_exact(18) {
            let c = |o: usize| u16::from_le_bytes([rec[o], rec[o + 1]]);
            lex.words.insert(
                u64_le(&rec[0..8]),
                WordInfo { count: u32::from_le_bytes([rec[8], rec[9], rec[10], rec[11]]), clusters: [c(12), c(14), c(16)] },
            );
        }
        let max_len = r.u32("phrase length")? as usize;
        if max_len > 64 {
            return Err(bad(format!("gazetteer phrase length {max_len} is implausible")));
        }
        let tokb = r.bytes("gazetteer tokens")?;
        let phb = r.bytes("gazetteer phrases")?;
        let autob = r.bytes("self-training table")?;
        if tokb.len() % 28 != 0 || phb.len() % 24 != 0 || autob.len() % 28 != 0 {
            return Err(bad("gazetteer tables are not a whole number of records".into()));
        }
        let mut gaz = Gazetteer { max_len, ..Default::default() };
        for rec in tokb.chunks_exact(28) {
            gaz.tokens.insert(u64_le(&rec[0..8]), counts5(rec));
        }
        for rec in autob.chunks_exact(28) {
            gaz.auto.insert(u64_le(&rec[0..8]), counts5(rec));
        }
        for rec in phb.chunks_exact(24) {
            let mut c = [0u32; 4];
            for (k, v) in c.iter_mut().enumerate() {
                *v = u32_le(&rec[8 + 4 * k..12 + 4 * k]);
            }
            gaz.phrases.insert(u64_le(&rec[0..8]), c);
        }
        let kb_checksum = r.u32("knowledge-base checksum")?;
        let subtypes = if r.remaining() != 0 { super::subtype::SubtypeModel::from_bytes(r.bytes("subtypes")?)? } else { Default::default() };
        let extents = if r.remaining() != 0 { super::extents::NameExtents::from_bytes(r.bytes("name extents")?)? } else { Default::default() };
        let org_names = if r.remaining() != 0 { super::orgnames::OrgNames::from_bytes(r.bytes("organization names")?)? } else { Default::default() };
        if r.remaining() != 0 {
            return Err(bad(format!("{} unexpected bytes after the last field", r.remaining())));
        }
        Ok(Model { weights, trans, start, lex, gaz, set, recipe, kb_checksum, subtypes: std::sync::Arc::new(subtypes), extents: std::sync::Arc::new(extents), org_names: std::sync::Arc::new(org_names), lex_id: next_lex_id() })
    }

    /// Attaches the built-in knowledge base when the model was trained with it.
    ///
    /// # Errors
    /// A model error when the model was trained with another knowledge base.
    fn attach_builtin_kb(self) -> Result<Model> {
        if !self.set.kb || self.kb_checksum == 0 {
            return Ok(self);
        }
        #[cfg(feature = "embedded-model")]
        {
            // A mismatch is an error here too (`with_kb`): a model built for another KB
            // loads with `from_blob_with_kb`.
            self.with_kb(crate::models::kb()?)
        }
        #[cfg(not(feature = "embedded-model"))]
        Ok(self)
    }

    /// Loads a model and attaches this knowledge base (instead of the built-in one).
    ///
    /// # Errors
    /// As [`Model::from_blob`] and [`Model::with_kb`].
    pub fn from_blob_with_kb(blob: Blob, kb: std::sync::Arc<khabar_kb::Kb>) -> Result<Model> {
        let bundle = Bundle::parse(blob, KIND, VERSION)?;
        Self::from_payload(bundle.payload())?.with_kb(kb)
    }

    /// Uses this knowledge base for the knowledge-base features.
    ///
    /// # Errors
    /// A model error when the model was trained with a different knowledge base (checksums
    /// differ): its weights would not mean what they meant in training.
    pub fn with_kb(mut self, kb: std::sync::Arc<khabar_kb::Kb>) -> Result<Model> {
        if self.set.kb && self.kb_checksum != 0 && kb.checksum() != self.kb_checksum {
            return Err(khabar_model::Error::format(format!(
                "NER model was trained with knowledge base {:08x}, this one is {:08x} (retrain with `khabar train ner` or use the matching kb)",
                self.kb_checksum,
                kb.checksum()
            ))
            .into());
        }
        self.gaz.kb = Some(kb);
        Ok(self)
    }

    /// How much the model knows a normalized word as (part of) a name: whether the
    /// knowledge base has it as a place or a person's name part, and how often the training
    /// gazetteer and self-training saw it tagged as a name.
    pub(crate) fn name_evidence(&self, norm: &str) -> (bool, u64) {
        let h = super::features::hash_str(norm);
        let names = |c: Option<&[u32; 5]>| c.map_or(0, |c| c[1..].iter().map(|&x| u64::from(x)).sum::<u64>());
        let count = names(self.gaz.tokens.get(&h)) + names(self.gaz.auto.get(&h));
        let in_kb = self.gaz.kb.as_ref().is_some_and(|kb| {
            kb.lookup_key(norm).any(|c| c.source.is_external() && (c.kind.is_place() || c.kind == khabar_kb::Kind::PersonName))
        });
        (in_kb || count > 0, count)
    }

    /// Whether the knowledge base holds the normalized word as a place of GeoNames or CLDR,
    /// and whether as a Wikidata person's name part: (place, person name).
    pub(crate) fn kb_name_kinds(&self, norm: &str) -> (bool, bool) {
        let Some(kb) = self.gaz.kb.as_ref() else { return (false, false) };
        kb.lookup_key(norm).filter(|c| c.source.is_external()).fold((false, false), |(place, person), c| {
            (place || c.kind.is_place(), person || c.kind == khabar_kb::Kind::PersonName)
        })
    }

    /// Whether the unlabeled news supports a normalized word's first letter as part of the
    /// word, not a proclitic ([`super::features::corpus_reads_proclitic`]).
    pub(crate) fn corpus_keeps_first_letter(&self, norm: &str) -> bool {
        super::features::corpus_reads_proclitic(norm, &self.lex) == Some(false)
    }

    /// Whether the labeled training data wrote the normalized word outside any name.
    pub(crate) fn is_training_word(&self, norm: &str) -> bool {
        self.gaz.tokens.get(&super::features::hash_str(norm)).is_some_and(|c| c[0] > 0)
    }

    /// Whether the labeled training data saw the word (by hash of its core form) inside a
    /// person's name more often than outside any name.
    pub(crate) fn is_training_person_word(&self, h: u64) -> bool {
        self.gaz.tokens.get(&h).is_some_and(|c| c[1] > 0 && c[1] >= c[0])
    }

    /// Whether a mention's text names a currency in the knowledge base (`دولار`, `الدولار`,
    /// `اليورو`, `جنيه مصري`): an amount's unit, not a name, under the `news` convention.
    pub(crate) fn is_currency(&self, text: &str) -> bool {
        let Some(kb) = self.gaz.kb.as_ref() else { return false };
        let key = khabar_kb::key(text);
        // The corpora's names may hold the form with the article (`الدولار` tagged MISC in
        // ANERcorp), so the bare form is looked up too.
        let bare = key.strip_prefix("ال").filter(|r| r.chars().count() >= 2);
        std::iter::once(key.as_str())
            .chain(bare)
            .any(|k| kb.lookup_key(k).any(|c| c.kind == khabar_kb::Kind::Currency && c.source.is_external()))
    }

    /// The fine-type classifier (empty when the model file has no subtype section).
    pub fn subtypes(&self) -> &std::sync::Arc<super::subtype::SubtypeModel> {
        &self.subtypes
    }

    /// Where organizations' names end, learned from unlabeled news (empty when the model
    /// file has no such section).
    pub fn extents(&self) -> &super::extents::NameExtents {
        &self.extents
    }

    /// The organizations' names learned from unlabeled news.
    pub fn org_names(&self) -> &super::orgnames::OrgNames {
        &self.org_names
    }

    /// Replaces the organizations' names (`khabar train orgs`); `how` becomes the recipe's
    /// `organization names:` line.
    pub fn set_org_names(&mut self, names: super::orgnames::OrgNames, how: &str) {
        self.org_names = std::sync::Arc::new(names);
        let kept: Vec<&str> = self.recipe.lines().filter(|l| !l.starts_with("organization names: ")).collect();
        self.recipe = format!("{}\norganization names: {how}\n", kept.join("\n"));
    }

    /// Replaces the learned name extents (`khabar train extents`); `how` becomes the
    /// recipe's `extents:` line.
    pub fn set_extents(&mut self, extents: super::extents::NameExtents, how: &str) {
        self.extents = std::sync::Arc::new(extents);
        let kept: Vec<&str> = self.recipe.lines().filter(|l| !l.starts_with("extents: ")).collect();
        self.recipe = format!("{}\nextents: {how}\n", kept.join("\n"));
    }

    /// Replaces the fine-type classifier (`khabar train subtypes`); `how` (its data and
    /// settings) becomes the last line of the model's recipe.
    pub fn set_subtypes(&mut self, subtypes: super::subtype::SubtypeModel, how: &str) {
        self.subtypes = std::sync::Arc::new(subtypes);
        let kept: Vec<&str> = self.recipe.lines().filter(|l| !l.starts_with("subtypes: ")).collect();
        self.recipe = format!("{}\nsubtypes: {how}\n", kept.join("\n"));
    }

    /// The knowledge base attached to the model, if any.
    pub fn kb(&self) -> Option<&std::sync::Arc<khabar_kb::Kb>> {
        self.gaz.kb.as_ref()
    }

    /// Whether knowledge-base features are in use.
    pub fn has_kb(&self) -> bool {
        self.set.kb && self.gaz.kb.is_some()
    }

    /// Serializes the model as a bundle (header + payload). Keys are written in sorted
    /// order so the same model always gives the same bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::new();
        w.str(&self.recipe).u32(self.set.bits()).u32(NT as u32).f32s(&self.start).f32s(&self.trans);
        let mut rows: Vec<(u64, &[f32; NT])> = self.weights.iter().collect();
        rows.sort_unstable_by_key(|r| r.0);
        let mut keys = Vec::with_capacity(rows.len() * 8);
        let mut weights = Vec::with_capacity(rows.len() * NT);
        for (k, w) in &rows {
            keys.extend_from_slice(&k.to_le_bytes());
            weights.extend_from_slice(&w[..]);
        }
        w.bytes(&keys).f32s(&weights);
        let mut lex: Vec<(&u64, &WordInfo)> = self.lex.words.iter().collect();
        lex.sort_unstable_by_key(|(k, _)| **k);
        let mut lb = Vec::with_capacity(lex.len() * 18);
        for (k, info) in lex {
            lb.extend_from_slice(&k.to_le_bytes());
            lb.extend_from_slice(&info.count.to_le_bytes());
            for c in info.clusters {
                lb.extend_from_slice(&c.to_le_bytes());
            }
        }
        w.bytes(&lb);
        w.u32(self.gaz.max_len as u32);
        let tb = table5(&self.gaz.tokens);
        let mut phs: Vec<_> = self.gaz.phrases.iter().collect();
        phs.sort_unstable_by_key(|(k, _)| **k);
        let mut pb = Vec::with_capacity(phs.len() * 24);
        for (k, c) in phs {
            pb.extend_from_slice(&k.to_le_bytes());
            c.iter().for_each(|v| pb.extend_from_slice(&v.to_le_bytes()));
        }
        w.bytes(&tb).bytes(&pb).bytes(&table5(&self.gaz.auto));
        w.u32(self.kb_checksum);
        let sub = self.subtypes.to_bytes();
        let ext = self.extents.to_bytes();
        let orgs = self.org_names.to_bytes();
        // Each optional section follows the ones before it: an empty section is written
        // before a later one that is not.
        if !sub.is_empty() || !ext.is_empty() || !orgs.is_empty() {
            w.bytes(&sub);
        }
        if !ext.is_empty() || !orgs.is_empty() {
            w.bytes(&ext);
        }
        if !orgs.is_empty() {
            w.bytes(&orgs);
        }
        Bundle::encode(KIND, VERSION, &w.finish())
    }

    /// The training recipe recorded in the model (command, data hashes, hyperparameters).
    pub fn recipe(&self) -> &str {
        &self.recipe
    }

    /// How the stage-1 tagger labeled a word (by its core hash) across unlabeled news:
    /// counts of O, PERS, LOC, ORG, MISC; `None` when it never tagged it as a name.
    pub(crate) fn auto_counts(&self, h_core: u64) -> Option<[u32; 5]> {
        self.gaz.auto.get(&h_core).copied()
    }

    /// Drops the features whose largest weight (over the tags) is below `min_abs` in
    /// magnitude: a smaller, faster model at a cost measured on dev (`khabar eval ner
    /// --prune`, `khabar train ner --min-weight`). Returns how many were dropped.
    pub fn prune(&mut self, min_abs: f32) -> usize {
        let before = self.weights.len();
        let kept: Vec<(u64, [f32; NT])> =
            self.weights.iter().filter(|(_, ws)| ws.iter().any(|w| w.abs() >= min_abs)).map(|(k, ws)| (k, *ws)).collect();
        self.weights = FlatWeights::from_rows(kept);
        // The per-thread memos are keyed by this id: sums of the old weights must not be
        // read for the new ones.
        self.lex_id = next_lex_id();
        before - self.weights.len()
    }

    /// Number of weighted features.
    pub fn feature_count(&self) -> usize {
        self.weights.len()
    }

    /// Preprocesses token surfaces for [`Model::tag_infos`].
    pub fn infos<'a>(&self, words: impl IntoIterator<Item = &'a str>) -> Vec<TokInfo> {
        let mut scratch = String::new();
        TOK_MEMO.with(|memo| {
            let mut memo = memo.borrow_mut();
            if memo.0 != self.lex_id {
                *memo = (self.lex_id, rustc_hash::FxHashMap::default());
            }
            let map = &mut memo.1;
            words
                .into_iter()
                .map(|w| {
                    if let Some(t) = map.get(w) {
                        return t.clone();
                    }
                    let t = super::features::tok_info(w, &self.lex, &mut scratch);
                    if map.len() >= TOK_MEMO_CAPACITY {
                        map.clear();
                    }
                    map.insert(w.into(), t.clone());
                    t
                })
                .collect()
        })
    }

    /// Tags one sentence of token surfaces; returns tag indices into [`super::TAGS`].
    pub fn tag(&self, words: &[&str]) -> Vec<usize> {
        let infos = self.infos(words.iter().copied());
        self.tag_infos(&infos)
    }

    /// Tags one preprocessed sentence.
    ///
    /// A token's emission scores are the weights of its features summed. Most of them
    /// ([`token_features`]) read one token of the ±2 window alone, so their sums are kept
    /// per word type and offset ([`EmissionMemo`]); only the few that read two tokens or
    /// the sentence's matches ([`context_features`]) are looked up per token. The sums
    /// come in another order than one pass over [`super::features::features`] would add
    /// them, which can move a score in its last bits, never more.
    pub fn tag_infos(&self, toks: &[TokInfo]) -> Vec<usize> {
        viterbi(&self.emissions(toks), &self.trans, &self.start)
    }

    /// The emission scores of a sentence's tokens, one per tag (see [`Model::tag_infos`]).
    fn emissions(&self, toks: &[TokInfo]) -> Vec<[f32; NT]> {
        let matches = sentence_matches(toks, &self.gaz, self.set);
        let mut feats = Vec::with_capacity(96);
        // What a neighbour past the sentence's edge contributes, per offset.
        let mut edge = [[0f32; NT]; OFFSETS.len()];
        for (k, d) in OFFSETS.into_iter().enumerate() {
            if d != 0 {
                feats.clear();
                token_features(None, d, &self.lex, &self.gaz, self.set, &mut feats);
                edge[k] = self.score(&feats);
            }
        }
        let own: Vec<TypeSums> = EMISSION_MEMO.with(|memo| {
            let mut memo = memo.borrow_mut();
            memo.reset_for(self.lex_id);
            toks.iter()
                .map(|t| {
                    let key = type_key(t);
                    if let Some(sums) = memo.get(key) {
                        return *sums;
                    }
                    let mut sums = [[0f32; NT]; OFFSETS.len()];
                    for (k, d) in OFFSETS.into_iter().enumerate() {
                        feats.clear();
                        token_features(Some(t), d, &self.lex, &self.gaz, self.set, &mut feats);
                        sums[k] = self.score(&feats);
                    }
                    memo.put(key, sums);
                    sums
                })
                .collect()
        });
        let mut em = Vec::with_capacity(toks.len());
        for i in 0..toks.len() {
            feats.clear();
            context_features(toks, i, &self.lex, &self.gaz, &matches, self.set, &mut feats);
            let mut e = [0f32; NT];
            for (k, d) in OFFSETS.into_iter().enumerate() {
                let j = i as isize + d;
                let part = if j < 0 { &edge[k] } else { own.get(j as usize).map_or(&edge[k], |s| &s[k]) };
                for (a, b) in e.iter_mut().zip(part) {
                    *a += *b;
                }
            }
            for (a, b) in e.iter_mut().zip(self.score(&feats)) {
                *a += b;
            }
            em.push(e);
        }
        em
    }

    /// The weights of `feats` summed per tag (features the model never kept weigh nothing).
    fn score(&self, feats: &[u64]) -> [f32; NT] {
        let mut e = [0f32; NT];
        for &h in feats {
            self.weights.prefetch(h);
        }
        for &h in feats {
            if let Some(ws) = self.weights.get(h) {
                for (a, b) in e.iter_mut().zip(ws) {
                    *a += *b;
                }
            }
        }
        e
    }
}

/// A word type's [`token_features`] weight sums, one row per offset of [`OFFSETS`].
type TypeSums = [[f32; NT]; OFFSETS.len()];

/// What identifies a token's [`TokInfo`] (and so its [`token_features`]): every field is
/// a function of the normalized form and of the surface's shape, length and letters.
fn type_key(t: &TokInfo) -> u64 {
    let k = mix(mix(t.h_norm, t.shape), u64::from(t.len) << 1 | u64::from(t.wordish));
    // 0 marks an empty slot.
    k.max(1)
}

/// Word types whose sums a thread keeps: a direct-mapped table of about 6 MB, sized like
/// [`TOK_MEMO_CAPACITY`] (news vocabulary is Zipfian; a type that loses its slot is summed
/// again when it comes back).
const EMISSION_MEMO_SLOTS: usize = 1 << 15;

/// Per-thread [`TypeSums`] by [`type_key`], for the model whose `lex_id` it holds.
struct EmissionMemo {
    model: u64,
    keys: Vec<u64>,
    sums: Vec<TypeSums>,
}

impl EmissionMemo {
    /// Empties the table when it was filled for another model (allocating it on first use).
    fn reset_for(&mut self, model: u64) {
        if self.model != model || self.keys.is_empty() {
            self.model = model;
            self.keys = vec![0; EMISSION_MEMO_SLOTS];
            self.sums = vec![[[0.0; NT]; OFFSETS.len()]; EMISSION_MEMO_SLOTS];
        }
    }

    fn get(&self, key: u64) -> Option<&TypeSums> {
        let slot = key as usize & (EMISSION_MEMO_SLOTS - 1);
        (self.keys.get(slot) == Some(&key)).then(|| &self.sums[slot])
    }

    fn put(&mut self, key: u64, sums: TypeSums) {
        let slot = key as usize & (EMISSION_MEMO_SLOTS - 1);
        if let (Some(k), Some(s)) = (self.keys.get_mut(slot), self.sums.get_mut(slot)) {
            *k = key;
            *s = sums;
        }
    }
}

thread_local! {
    /// The emission sums of the word types this thread tagged last ([`Model::tag_infos`]).
    static EMISSION_MEMO: std::cell::RefCell<EmissionMemo> =
        const { std::cell::RefCell::new(EmissionMemo { model: 0, keys: Vec::new(), sums: Vec::new() }) };
}

/// The five counts of a 28-byte `hash u64, 5×u32` record.
fn counts5(rec: &[u8]) -> [u32; 5] {
    let mut c = [0u32; 5];
    for (k, v) in c.iter_mut().enumerate() {
        *v = u32_le(&rec[8 + 4 * k..12 + 4 * k]);
    }
    c
}

/// A `hash → 5 counts` table as sorted 28-byte records (same model, same bytes).
fn table5(map: &IdMap<[u32; 5]>) -> Vec<u8> {
    let mut rows: Vec<_> = map.iter().collect();
    rows.sort_unstable_by_key(|(k, _)| **k);
    let mut b = Vec::with_capacity(rows.len() * 28);
    for (k, c) in rows {
        b.extend_from_slice(&k.to_le_bytes());
        c.iter().for_each(|v| b.extend_from_slice(&v.to_le_bytes()));
    }
    b
}

/// The longest mention, in tokens, that document-level consistency copies.
const MAX_PROPAGATED: usize = 4;

impl Model {
    /// Tags the sentences of one document, then makes the document consistent with itself:
    /// a word sequence that was tagged as a name somewhere in the document is tagged
    /// the same way where it was missed (`البدري` recognized after `وقال` is also a person
    /// in `عودة البدري`), the majority type winning. Spans already tagged are never changed.
    /// News repeats its names, and the tagger, seeing one sentence at a time, often finds a
    /// name in one context and misses it in a weaker one.
    pub fn tag_document(&self, sentences: &[Vec<TokInfo>]) -> Vec<Vec<usize>> {
        let mut tags: Vec<Vec<usize>> = sentences.iter().map(|s| self.tag_infos(s)).collect();
        propagate(sentences, &mut tags);
        tags
    }
}

/// What document consistency reads of a token, a fifth of a [`TokInfo`]'s size, so a
/// long document's pass need not hold every token's full preprocessing at once.
#[derive(Clone, Copy, Debug)]
pub struct MentionTok {
    h_core: u64,
    h_norm: u64,
    wordish: bool,
    /// The normalized form has at least three letters (a surname worth propagating).
    long: bool,
}

impl MentionTok {
    /// The part of `t` that [`propagate_keys`] reads.
    pub fn of(t: &TokInfo) -> MentionTok {
        MentionTok { h_core: t.h_core, h_norm: t.h_norm, wordish: t.wordish, long: t.norm.chars().count() >= 3 }
    }
}

/// The lookup key of a mention: the core of its first token (clitics stripped: وحفتر
/// matches حفتر) and the normalized forms of the rest.
fn mention_key(toks: &[MentionTok]) -> Vec<u64> {
    toks.iter().enumerate().map(|(k, t)| if k == 0 { t.h_core } else { t.h_norm }).collect()
}

/// See [`Model::tag_document`].
pub fn propagate(sentences: &[Vec<TokInfo>], tags: &mut [Vec<usize>]) {
    let keys: Vec<Vec<MentionTok>> = sentences.iter().map(|s| s.iter().map(MentionTok::of).collect()).collect();
    propagate_keys(&keys, tags);
}

/// Nouns in construct after which the labeled training text nearly always writes an
/// organization's name (`فريق بوروسيا دورتموند`، `نادي النصر`): of the names right after
/// them in ANERcorp train, WikiFANE and NewsFANE train, 78 of 90 and 66 of 67 are ORG.
/// Cores as `tok_info` gives them (`لفريق` → `فريق`; `الفريق`, a rank, is another core).
const TEAM_NOUNS: &[&str] = &["فريق", "نادي"];

/// Nouns after which the same text writes a place (`مدينة` 607 of 608 names, `ولاية` 148
/// of 150): a name after one is the place even where the story also names its club.
const PLACE_NOUNS: &[&str] = &["مدينه", "ولايه"];

/// A club is often named like its city (`دورتموند`، `مارسيليا`، `إشبيلية`), and the tagger,
/// which sees a sentence at a time, reads the name as the city. Where the document itself
/// writes the name after a team noun ([`TEAM_NOUNS`]) and the tagger did not take it for
/// a person (`فريق ترامب` is Trump's team), that mention and every other mention of the
/// same name in the document (as [`propagate_keys`] compares them; the last word of a longer
/// name too: `بوروسيا دورتموند` … `لدورتموند`) that the tagger read as a place or MISC
/// become ORG. A mention right after a place noun ([`PLACE_NOUNS`]: `مدينة الخليل`) stays.
pub fn retype_clubs(sentences: &[Vec<MentionTok>], tags: &mut [Vec<usize>]) {
    const ORG: usize = 3;
    let team: Vec<u64> = TEAM_NOUNS.iter().map(|w| super::features::hash_str(w)).collect();
    let place: Vec<u64> = PLACE_NOUNS.iter().map(|w| super::features::hash_str(w)).collect();
    let before = |toks: &[MentionTok], a: usize, list: &[u64]| a > 0 && list.contains(&toks[a - 1].h_core);
    let retype = |tg: &mut [usize], a: usize, b: usize| {
        tg[a] = 2 * ORG - 1;
        for t in &mut tg[a + 1..b] {
            *t = 2 * ORG;
        }
    };
    let mut clubs: std::collections::HashSet<Vec<u64>> = std::collections::HashSet::new();
    for (toks, tg) in sentences.iter().zip(tags.iter_mut()) {
        for (a, b, ty) in super::score::chunks(tg) {
            if ty == 1 || !before(toks, a, &team) {
                continue;
            }
            if ty != ORG {
                retype(tg, a, b);
            }
            clubs.insert(mention_key(&toks[a..b]));
            if b - a >= 2 && toks[b - 1].long {
                clubs.insert(vec![toks[b - 1].h_core]);
            }
        }
    }
    if clubs.is_empty() {
        return;
    }
    for (toks, tg) in sentences.iter().zip(tags.iter_mut()) {
        for (a, b, ty) in super::score::chunks(tg) {
            if (ty == 2 || ty == 4) && !before(toks, a, &place) && clubs.contains(&mention_key(&toks[a..b])) {
                retype(tg, a, b);
            }
        }
    }
}

/// [`propagate`] on the tokens' [`MentionTok`]s.
pub fn propagate_keys(sentences: &[Vec<MentionTok>], tags: &mut [Vec<usize>]) {
    let mut found: std::collections::HashMap<Vec<u64>, [u32; 5]> = std::collections::HashMap::new();
    for (toks, tg) in sentences.iter().zip(tags.iter()) {
        for (a, b, ty) in super::score::chunks(tg) {
            if b - a <= MAX_PROPAGATED && toks[a].wordish {
                found.entry(mention_key(&toks[a..b])).or_insert([0; 5])[ty] += 1;
            }
            // A person's surname alone names them later in the story (`عمار بلحيمر` …
            // `وكان بلحيمر`).
            if ty == 1 && b - a >= 2 && toks[b - 1].wordish && toks[b - 1].long {
                found.entry(mention_key(&toks[b - 1..b])).or_insert([0; 5])[1] += 1;
            }
        }
    }
    if found.is_empty() {
        return;
    }
    for (toks, tg) in sentences.iter().zip(tags.iter_mut()) {
        let mut i = 0;
        while i < toks.len() {
            let mut step = 1;
            if tg[i] == 0 && toks[i].wordish {
                for len in (1..=MAX_PROPAGATED.min(toks.len() - i)).rev() {
                    if tg[i..i + len].iter().any(|&t| t != 0) {
                        continue;
                    }
                    let Some(c) = found.get(&mention_key(&toks[i..i + len])) else {
                        continue;
                    };
                    // Majority type; ties go to the lower type index, deterministically.
                    let ty = (1..5).max_by_key(|&k| (c[k], std::cmp::Reverse(k))).unwrap_or(1);
                    tg[i] = 2 * ty - 1;
                    for t in &mut tg[i + 1..i + len] {
                        *t = 2 * ty;
                    }
                    step = len;
                    break;
                }
            }
            i += step;
        }
    }
}

fn u64_le(b: &[u8]) -> u64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(&b[..8]);
    u64::from_le_bytes(a)
}

fn u32_le(b: &[u8]) -> u32 {
    u32::from_le_bytes([b[0], b[1], b[2], b[3]])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn viterbi_respects_bio_constraints() {
        // Emissions prefer I-PERS everywhere, but I- cannot start a sentence or follow O.
        let mut e = [0f32; NT];
        e[2] = 5.0;
        e[1] = 4.0;
        let tags = viterbi(&[e, e], &vec![0.0; NT * NT], &[0.0; NT]);
        assert_eq!(tags, vec![1, 2]);
        assert!(!allowed(None, 2));
        assert!(!allowed(Some(3), 2));
        assert!(allowed(Some(1), 2) && allowed(Some(2), 2) && allowed(Some(0), 3));
    }

    /// Emissions summed per word type and offset are those of one pass over every feature
    /// of the token, to rounding, on real news with the built-in model.
    #[cfg(feature = "embedded-model")]
    #[test]
    fn per_type_sums_give_the_emissions_of_all_features() {
        let model = Model::from_blob(Blob::Static(crate::models::NER)).expect("built-in model");
        let text = include_str!("../../../../examples/seed-article.txt");
        let mut sentences = 0;
        // Twice: the second pass reads every type from the memo.
        for _ in 0..2 {
            for line in text.split(['\n', '.', '،']).filter(|l| !l.trim().is_empty()) {
                let words: Vec<&str> = line.split_whitespace().collect();
                let toks = model.infos(words.iter().copied());
                let matches = sentence_matches(&toks, &model.gaz, model.set);
                let mut feats = Vec::new();
                let direct: Vec<[f32; NT]> = (0..toks.len())
                    .map(|i| {
                        super::super::features::features(&toks, i, &model.lex, &model.gaz, &matches, model.set, &mut feats);
                        model.score(&feats)
                    })
                    .collect();
                let memo = model.emissions(&toks);
                assert_eq!(direct.len(), memo.len());
                for (d, m) in direct.iter().zip(&memo) {
                    for (a, b) in d.iter().zip(m) {
                        assert!((a - b).abs() <= 1e-3 * a.abs().max(1.0), "{a} vs {b} in {line}");
                    }
                }
                assert_eq!(viterbi(&direct, &model.trans, &model.start), model.tag_infos(&toks));
                sentences += 1;
            }
        }
        assert!(sentences > 10);
    }
}
