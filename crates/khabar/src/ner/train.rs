//! Training (averaged structured perceptron) and evaluation of the NER tagger.
//!
//! * A development split is carved out of the training sentences (the last
//!   `dev_fraction`, contiguous, as ANERcorp's own split is sequential). Phase 1 trains on
//!   the rest and picks the epoch count with the best dev F1; phase 2 retrains on all the
//!   training sentences for that many epochs. Test data is never seen.
//! * Gazetteer features are mined from the training data with a leave-out scheme: the
//!   training sentences are cut into `folds` contiguous folds and each fold's features come
//!   from a gazetteer built on the other folds, so the model learns how far to trust a
//!   gazetteer hit on text it has not seen; the saved model carries the gazetteer of all
//!   the training data.
//! * Deterministic for a given seed: sentence order per epoch comes from a seeded generator
//!   and every map is iterated in sorted order when it matters.

use std::path::Path;

use khabar_text::corpus::TaggedSentence;

use super::features::{
    features, hash_str, mix, sentence_matches, tag_index, tag_type, FeatureSet, Gazetteer, IdMap, TokInfo, WordLex, NT,
};
use super::model::{viterbi, Model};
use super::score::{chunks, Scorer};
use super::wordlex::Rng;
use crate::{Error, Pipeline, Result};

/// Training settings.
#[derive(Clone, Debug)]
pub struct TrainConfig {
    /// Largest number of epochs tried on the dev split.
    pub max_epochs: usize,
    /// Seed for sentence order.
    pub seed: u64,
    /// Share of the training sentences held out as dev (0 disables: then `max_epochs` is used).
    pub dev_fraction: f64,
    /// Folds for the gazetteer leave-out scheme.
    pub folds: usize,
    /// Feature groups.
    pub features: FeatureSet,
    /// Longest gazetteer phrase, in tokens.
    pub max_phrase: usize,
    /// Stop phase 1 after this many epochs without a dev improvement.
    pub patience: usize,
    /// Epochs for the self-training labelers and the final tagger when self-training is on
    /// (`None`: the phase-1 choice). Chosen on the dev split: the self-trained tagger keeps
    /// improving after the epoch where the stage-1 tagger peaks.
    pub selftrain_epochs: Option<usize>,
    /// Final-tagger runs over different sentence orders whose weights are averaged.
    pub ensemble: usize,
    /// Self-training rounds: in each after the first, taggers trained with the previous
    /// round's tables label the unlabeled text again. One by default: a second round gave
    /// +0.4 dev F1 (two dev splits, three seeds each), within the noise, and no gain on test.
    pub selftrain_rounds: usize,
    /// Train the final model without the dev sentences too, so that they can score it
    /// (`khabar eval ner --tail`); by default phase 2 trains on every sentence.
    pub hold_out_dev: bool,
    /// The knowledge base for the knowledge-base features (none: those features are off).
    pub kb: Option<std::sync::Arc<khabar_kb::Kb>>,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            max_epochs: 20,
            seed: 1,
            dev_fraction: 0.1,
            folds: 5,
            features: FeatureSet::default(),
            max_phrase: 6,
            patience: 4,
            selftrain_epochs: None,
            ensemble: 1,
            selftrain_rounds: 1,
            hold_out_dev: false,
            kb: None,
        }
    }
}

/// What training did.
#[derive(Clone, Debug, Default)]
pub struct TrainReport {
    /// Dev F1 after each phase-1 epoch.
    pub dev_curve: Vec<f64>,
    /// The chosen number of epochs.
    pub epochs: usize,
    /// Dev scores at the chosen epoch (phase-1 model).
    pub dev: Option<Scorer>,
    /// Features in the final model.
    pub features: usize,
    /// Training sentences and tokens.
    pub sentences: usize,
    /// Tokens.
    pub tokens: usize,
}

/// Gold tag indices of a sentence; `I-X` not after `B-X`/`I-X` becomes `B-X`.
///
/// # Errors
/// [`Error::Invalid`] naming the sentence and token for a tag outside ANERcorp's nine.
pub fn gold_tags(sent: &TaggedSentence, n: usize) -> Result<Vec<usize>> {
    let mut out = Vec::with_capacity(sent.len());
    for (k, (tok, tag)) in sent.iter().enumerate() {
        let t = tag_index(tag).ok_or_else(|| {
            Error::Invalid(format!("sentence {}, token {} `{tok}`: unknown tag `{tag}` (expected O or B-/I- PERS, LOC, ORG, MISC)", n + 1, k + 1))
        })?;
        let prev = out.last().copied();
        let t = if t != 0 && t % 2 == 0 && !matches!(prev, Some(p) if p != 0 && tag_type(p) == tag_type(t)) { t - 1 } else { t };
        out.push(t);
    }
    Ok(out)
}

struct Data {
    infos: Vec<Vec<TokInfo>>,
    gold: Vec<Vec<usize>>,
    /// Per sentence: its `O` tokens may be MISC names the corpus does not annotate.
    misc_open: Vec<bool>,
}

/// What a training sentence is for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Marks {
    /// A dev sentence: phase 1 scores on it instead of training on it.
    pub dev: bool,
    /// The corpus does not annotate ANERcorp's MISC names (events, religions, currencies:
    /// FANE), so its `O` tokens may be MISC. Training takes as gold the best-scoring tag
    /// sequence that agrees with every annotated tag and reads `O` as O or MISC (a latent
    /// structured perceptron): an unannotated MISC name is neither taught as O nor as MISC.
    pub misc_open: bool,
}

fn gazetteer(data: &Data, ids: &[usize], max_phrase: usize) -> Gazetteer {
    let mut g = Gazetteer { max_len: 0, ..Default::default() };
    for &s in ids {
        let (inf, gold) = (&data.infos[s], &data.gold[s]);
        for (ti, &t) in inf.iter().zip(gold) {
            if ti.wordish {
                g.tokens.entry(ti.h_core).or_insert([0; 5])[tag_type(t)] += 1;
            }
        }
        for (a, b, ty) in chunks(gold) {
            if b - a >= 2 && b - a <= max_phrase {
                let mut h = inf[a].h_core;
                for ti in &inf[a + 1..b] {
                    h = mix(h, ti.h_core);
                }
                g.phrases.entry(h).or_insert([0; 4])[ty - 1] += 1;
                g.max_len = g.max_len.max(b - a);
            }
        }
    }
    // Words seen only outside entities carry no gazetteer signal; drop them to keep the model small.
    g.tokens.retain(|_, c| c[1..].iter().any(|&v| v > 0));
    g
}

/// Feature ids per token of a sentence (flattened with offsets).
struct SentFeats {
    ids: Vec<u32>,
    offs: Vec<u32>,
}

struct Trainer {
    w: Vec<f32>,
    acc: Vec<f64>,
    trans: Vec<f32>,
    trans_acc: Vec<f64>,
    start: Vec<f32>,
    start_acc: Vec<f64>,
    c: f64,
}

impl Trainer {
    fn new(nf: usize) -> Trainer {
        Trainer {
            w: vec![0.0; nf * NT],
            acc: vec![0.0; nf * NT],
            trans: vec![0.0; NT * NT],
            trans_acc: vec![0.0; NT * NT],
            start: vec![0.0; NT],
            start_acc: vec![0.0; NT],
            c: 1.0,
        }
    }

    fn emissions(w: &[f32], sf: &SentFeats) -> Vec<[f32; NT]> {
        (0..sf.offs.len() - 1)
            .map(|i| {
                let mut e = [0f32; NT];
                for &f in &sf.ids[sf.offs[i] as usize..sf.offs[i + 1] as usize] {
                    let r = f as usize * NT;
                    for (a, b) in e.iter_mut().zip(&w[r..r + NT]) {
                        *a += *b;
                    }
                }
                e
            })
            .collect()
    }

    fn update(&mut self, sf: &SentFeats, gold: &[usize], misc_open: bool) {
        let em = Self::emissions(&self.w, sf);
        let pred = viterbi(&em, &self.trans, &self.start);
        let constrained;
        let gold = if misc_open {
            // The best sequence the partial annotation allows: annotated tags as given, O as
            // O, B-MISC or I-MISC.
            let mut cem = em.clone();
            for (e, &g) in cem.iter_mut().zip(gold) {
                for (t, v) in e.iter_mut().enumerate() {
                    let ok = if g == 0 { t == 0 || tag_type(t) == 4 } else { t == g };
                    if !ok {
                        *v = -1e9;
                    }
                }
            }
            constrained = viterbi(&cem, &self.trans, &self.start);
            &constrained[..]
        } else {
            gold
        };
        if pred == gold {
            self.c += 1.0;
            return;
        }
        let c = self.c;
        for i in 0..gold.len() {
            if gold[i] != pred[i] {
                for &f in &sf.ids[sf.offs[i] as usize..sf.offs[i + 1] as usize] {
                    let r = f as usize * NT;
                    self.w[r + gold[i]] += 1.0;
                    self.acc[r + gold[i]] += c;
                    self.w[r + pred[i]] -= 1.0;
                    self.acc[r + pred[i]] -= c;
                }
            }
            let (gp, pp) = if i == 0 { (None, None) } else { (Some(gold[i - 1]), Some(pred[i - 1])) };
            if (gp, gold[i]) != (pp, pred[i]) {
                match gp {
                    None => {
                        self.start[gold[i]] += 1.0;
                        self.start_acc[gold[i]] += c;
                    }
                    Some(p) => {
                        self.trans[p * NT + gold[i]] += 1.0;
                        self.trans_acc[p * NT + gold[i]] += c;
                    }
                }
                match pp {
                    None => {
                        self.start[pred[i]] -= 1.0;
                        self.start_acc[pred[i]] -= c;
                    }
                    Some(p) => {
                        self.trans[p * NT + pred[i]] -= 1.0;
                        self.trans_acc[p * NT + pred[i]] -= c;
                    }
                }
            }
        }
        self.c += 1.0;
    }

    fn averaged(&self) -> (Vec<f32>, Vec<f32>, Vec<f32>) {
        let avg = |w: &[f32], a: &[f64]| -> Vec<f32> { w.iter().zip(a).map(|(&w, &a)| (f64::from(w) - a / self.c) as f32).collect() };
        (avg(&self.w, &self.acc), avg(&self.trans, &self.trans_acc), avg(&self.start, &self.start_acc))
    }
}

fn intern_feats(
    data: &Data,
    s: usize,
    lex: &WordLex,
    gaz: &Gazetteer,
    set: FeatureSet,
    map: &mut IdMap<u32>,
    keys: &mut Vec<u64>,
    grow: bool,
) -> SentFeats {
    let inf = &data.infos[s];
    let ph = sentence_matches(inf, gaz, set);
    let mut buf = Vec::new();
    let mut sf = SentFeats { ids: Vec::new(), offs: vec![0] };
    for i in 0..inf.len() {
        features(inf, i, lex, gaz, &ph, set, &mut buf);
        for &h in &buf {
            let id = match map.get(&h) {
                Some(&id) => Some(id),
                None if grow => {
                    let id = keys.len() as u32;
                    keys.push(h);
                    map.insert(h, id);
                    Some(id)
                }
                None => None,
            };
            if let Some(id) = id {
                sf.ids.push(id);
            }
        }
        sf.offs.push(sf.ids.len() as u32);
    }
    sf
}

/// Trains on `train_ids`; when `dev` is given, returns the dev F1 after each epoch
/// (stopping after `patience` epochs without improvement). Returns the final trainer state.
#[allow(clippy::too_many_arguments)]
fn fit(
    data: &Data,
    train_ids: &[usize],
    dev: Option<&[usize]>,
    epochs: usize,
    lex: &WordLex,
    cfg: &TrainConfig,
    auto: Option<AutoRef<'_>>,
    mut on_epoch: impl FnMut(usize, Option<&Scorer>),
) -> (Trainer, Vec<u64>, IdMap<u32>, Gazetteer, Vec<f64>, Option<Scorer>) {
    let set = cfg.features;
    let folds = cfg.folds.max(2);
    let n = train_ids.len();
    let fold_of = |pos: usize| pos * folds / n.max(1);
    // The knowledge base is outside knowledge: every fold sees all of it.
    let kb = if set.kb { cfg.kb.clone() } else { None };
    let mut full_gaz = if set.gazetteer { gazetteer(data, train_ids, cfg.max_phrase) } else { Gazetteer::default() };
    full_gaz.kb = kb.clone();
    let fold_gaz: Vec<Gazetteer> = (0..folds)
        .map(|k| {
            let mut g = if set.gazetteer {
                let others: Vec<usize> = train_ids.iter().enumerate().filter(|(p, _)| fold_of(*p) != k).map(|(_, &s)| s).collect();
                gazetteer(data, &others, cfg.max_phrase)
            } else {
                Gazetteer::default()
            };
            g.kb = kb.clone();
            g
        })
        .collect();
    if let Some(a) = auto {
        full_gaz.auto = a.run.clone();
    }
    let mut map = IdMap::default();
    let mut keys = Vec::new();
    // A training sentence sees the gazetteer of its fold within `train_ids` and the
    // self-training table of its fold within all the data (the folds the tables were made
    // for); the two are the same folds when training on all the data.
    let n_all = data.gold.len().max(1);
    let mut with_auto: std::collections::HashMap<(usize, usize), Gazetteer> = std::collections::HashMap::new();
    let mut feats: Vec<SentFeats> = Vec::with_capacity(n);
    for (p, &s) in train_ids.iter().enumerate() {
        let k = fold_of(p);
        let gaz = match auto {
            Some(a) => {
                let table = (s * folds / n_all).min(a.folds.len().saturating_sub(1));
                with_auto.entry((k, table)).or_insert_with(|| {
                    let mut g = fold_gaz[k].clone();
                    g.auto = a.folds.get(table).cloned().unwrap_or_default();
                    g
                })
            }
            None => &fold_gaz[k],
        };
        feats.push(intern_feats(data, s, lex, gaz, set, &mut map, &mut keys, true));
    }
    let dev_feats: Vec<(SentFeats, usize)> = dev
        .unwrap_or(&[])
        .iter()
        .map(|&s| (intern_feats(data, s, lex, &full_gaz, set, &mut map, &mut keys, false), s))
        .collect();
    let mut tr = Trainer::new(keys.len());
    let mut rng = Rng::new(cfg.seed);
    let mut order: Vec<usize> = (0..feats.len()).collect();
    let mut curve = Vec::new();
    let mut best: Option<(f64, Scorer)> = None;
    let mut since_best = 0;
    for e in 0..epochs {
        for i in (1..order.len()).rev() {
            let j = rng.below(i + 1);
            order.swap(i, j);
        }
        for &k in &order {
            tr.update(&feats[k], &data.gold[train_ids[k]], data.misc_open[train_ids[k]]);
        }
        if dev.is_some() {
            let (w, t, st) = tr.averaged();
            let mut sc = Scorer::default();
            for (sf, s) in &dev_feats {
                let pred = viterbi(&Trainer::emissions(&w, sf), &t, &st);
                sc.add_tags(&data.gold[*s], &pred);
            }
            let f = sc.micro().f1;
            curve.push(f);
            on_epoch(e + 1, Some(&sc));
            if best.as_ref().map_or(true, |(bf, _)| f > *bf) {
                best = Some((f, sc));
                since_best = 0;
            } else {
                since_best += 1;
                if since_best >= cfg.patience {
                    break;
                }
            }
        } else {
            on_epoch(e + 1, None);
        }
    }
    (tr, keys, map, full_gaz, curve, best.map(|b| b.1))
}

/// Trains a model on tagged sentences. `recipe` is recorded in the model as is.
/// `progress` receives one line per epoch.
///
/// With the `selftrain` feature group and `unlabeled` sentences, training has two stages:
/// stage-1 taggers (one per fold, one on all data) label the unlabeled sentences, and the
/// final tagger also sees how each word was labeled there (see [`Gazetteer::auto`]).
///
/// # Errors
/// [`Error::Invalid`] for an unknown tag (naming the sentence) or empty training data.
pub fn train(
    sentences: &[TaggedSentence],
    lex: WordLex,
    unlabeled: &[Vec<String>],
    cfg: &TrainConfig,
    recipe: &str,
    progress: impl FnMut(&str),
) -> Result<(Model, TrainReport)> {
    let n_dev = (sentences.len() as f64 * cfg.dev_fraction).round() as usize;
    let n_dev = if n_dev < sentences.len() { n_dev } else { 0 };
    let marks: Vec<Marks> = (0..sentences.len()).map(|i| Marks { dev: i >= sentences.len() - n_dev, misc_open: false }).collect();
    train_split(sentences, &marks, lex, unlabeled, cfg, recipe, progress)
}

/// As [`train`], with each sentence's [`Marks`] given (which are dev, which leave MISC
/// unannotated) instead of the last `dev_fraction` as dev: training on several corpora,
/// each has its own dev part and annotation scheme.
///
/// # Errors
/// As [`train`]; also when `marks` and `sentences` differ in length.
pub fn train_split(
    sentences: &[TaggedSentence],
    marks: &[Marks],
    lex: WordLex,
    unlabeled: &[Vec<String>],
    cfg: &TrainConfig,
    recipe: &str,
    mut progress: impl FnMut(&str),
) -> Result<(Model, TrainReport)> {
    if marks.len() != sentences.len() {
        return Err(Error::Invalid(format!("{} sentence marks for {} sentences", marks.len(), sentences.len())));
    }
    let dev: Vec<bool> = marks.iter().map(|m| m.dev).collect();
    if sentences.is_empty() {
        return Err(Error::Invalid("no training sentences".into()));
    }
    let lex = if cfg.features.unlabeled { lex } else { WordLex::default() };
    let mut scratch = String::new();
    let mut gold = Vec::with_capacity(sentences.len());
    let mut infos = Vec::with_capacity(sentences.len());
    for (n, s) in sentences.iter().enumerate() {
        gold.push(gold_tags(s, n)?);
        infos.push(s.iter().map(|(w, _)| super::features::tok_info(w, &lex, &mut scratch)).collect());
    }
    let data = Data { infos, gold, misc_open: marks.iter().map(|m| m.misc_open).collect() };
    // Stage 1 is the tagger without self-training features; it picks the epoch count and,
    // when self-training, labels the unlabeled text for stage 2.
    let set1 = FeatureSet { selftrain: false, ..cfg.features };
    let cfg1 = TrainConfig { features: set1, ..cfg.clone() };
    let mut report = TrainReport { sentences: sentences.len(), tokens: sentences.iter().map(Vec::len).sum(), ..Default::default() };
    let tr_ids: Vec<usize> = (0..sentences.len()).filter(|&i| !dev[i]).collect();
    let dev_ids: Vec<usize> = (0..sentences.len()).filter(|&i| dev[i]).collect();
    let all: Vec<usize> = if cfg.hold_out_dev { tr_ids.clone() } else { (0..sentences.len()).collect() };
    let epochs = if !dev_ids.is_empty() && !tr_ids.is_empty() {
        let (tr_ids, dev_ids) = (&tr_ids[..], &dev_ids[..]);
        progress(&format!("phase 1: {} training sentences, {} dev sentences", tr_ids.len(), dev_ids.len()));
        let (_, _, _, _, curve, best) = fit(&data, tr_ids, Some(dev_ids), cfg.max_epochs, &lex, &cfg1, None, |e, sc| {
            if let Some(sc) = sc {
                let m = sc.micro();
                progress(&format!("  epoch {e:>2}: dev P {:.2} R {:.2} F1 {:.2}", m.precision, m.recall, m.f1));
            }
        });
        let best_e = curve.iter().enumerate().fold((0, f64::MIN), |b, (i, &f)| if f > b.1 { (i + 1, f) } else { b }).0;
        report.dev_curve = curve;
        report.dev = best;
        best_e.max(1)
    } else {
        cfg.max_epochs
    };
    let selftraining = cfg.features.selftrain && !unlabeled.is_empty();
    let epochs = if selftraining { cfg.selftrain_epochs.unwrap_or(epochs).max(1) } else { epochs };
    report.epochs = epochs;
    let auto = if selftraining {
        let folds = cfg.folds.max(2);
        // Folds by index over all the sentences, as `fit` picks a sentence's table.
        let n = data.gold.len().max(1);
        let ntok: usize = unlabeled.iter().map(Vec::len).sum();
        progress(&format!("self-training: {folds} fold taggers and one on all data label {} unlabeled sentences ({ntok} tokens)", unlabeled.len()));
        // Round 1: taggers without self-training features label the unlabeled text. Each
        // further round relabels it with taggers that use the previous round's tables (fold
        // tagger k the table made without fold k), as the final tagger does. The folds are
        // the same contiguous folds as `fit` uses for the gazetteer over all sentences.
        let mut tables: Option<AutoTables> = None;
        for round in 1..=cfg.selftrain_rounds.max(1) {
            let (cfg_r, set_r) = if tables.is_some() { (cfg, cfg.features) } else { (&cfg1, set1) };
            let mut next = AutoTables::default();
            for k in 0..=folds {
                let ids: Vec<usize> = all.iter().copied().filter(|&s| k == folds || s * folds / n != k).collect();
                let prev = tables.as_ref().map(|t| AutoRef { run: if k == folds { &t.full } else { &t.folds[k] }, folds: &t.folds });
                let (tr, keys, _, gaz, _, _) = fit(&data, &ids, None, epochs, &lex, cfg_r, prev, |_, _| {});
                let tagger = assemble(&tr, &keys, lex.clone(), gaz, set_r, "");
                let table = auto_table(&tagger, unlabeled);
                let who = if k == folds { "all data".to_string() } else { format!("fold {}", k + 1) };
                let label = if round == 1 { who } else { format!("round {round}, {who}") };
                progress(&format!("  {label}: {} words tagged as names", table.len()));
                if k == folds {
                    next.full = table;
                } else {
                    next.folds.push(table);
                }
            }
            tables = Some(next);
        }
        tables
    } else {
        None
    };
    let set = if auto.is_some() { cfg.features } else { set1 };
    let cfg2 = TrainConfig { features: set, ..cfg.clone() };
    let runs = cfg.ensemble.max(1);
    progress(&format!("phase 2: {epochs} epochs on {} sentences, {runs} sentence orders averaged", all.len()));
    // The perceptron's result depends on the order it sees the sentences in; averaging
    // the weights of runs over different orders removes part of that noise.
    let mut sum: Option<(IdMap<usize>, Vec<u64>, Vec<f32>, Vec<f32>, Vec<f32>, Gazetteer)> = None;
    for r in 0..runs {
        let cfg_r = TrainConfig { seed: cfg.seed.wrapping_add(r as u64 * 7919), ..cfg2.clone() };
        let (tr, keys, _map, gaz, _, _) = fit(&data, &all, None, epochs, &lex, &cfg_r, auto.as_ref().map(AutoTables::view), |_, _| {});
        let (w, trans, start) = tr.averaged();
        let acc = sum.get_or_insert_with(|| (IdMap::default(), Vec::new(), Vec::new(), vec![0.0; NT * NT], vec![0.0; NT], gaz));
        for (id, &h) in keys.iter().enumerate() {
            let row = match acc.0.get(&h) {
                Some(&row) => row,
                None => {
                    let row = acc.1.len();
                    acc.0.insert(h, row);
                    acc.1.push(h);
                    acc.2.extend_from_slice(&[0.0; NT]);
                    row
                }
            };
            for (a, b) in acc.2[row * NT..row * NT + NT].iter_mut().zip(&w[id * NT..id * NT + NT]) {
                *a += *b / runs as f32;
            }
        }
        for (a, b) in acc.3.iter_mut().zip(&trans) {
            *a += *b / runs as f32;
        }
        for (a, b) in acc.4.iter_mut().zip(&start) {
            *a += *b / runs as f32;
        }
    }
    let Some((_, keys, w, trans, start, gaz)) = sum else {
        return Err(Error::Invalid("no training run".into()));
    };
    let model = keep_weighted(&keys, &w, trans, start, lex, gaz, set, recipe);
    report.features = model.feature_count();
    Ok((model, report))
}

/// Self-training tables: the one from the tagger trained on all the data (saved in the
/// model) and one per fold from the tagger trained without that fold (training features).
#[derive(Default)]
struct AutoTables {
    full: IdMap<[u32; 5]>,
    folds: Vec<IdMap<[u32; 5]>>,
}

impl AutoTables {
    /// The tables as the final tagger is trained with them.
    fn view(&self) -> AutoRef<'_> {
        AutoRef { run: &self.full, folds: &self.folds }
    }
}

/// The self-training tables one tagger is trained with, borrowed: `run`, the table it sees
/// when it tags (kept in its model), and `folds`, the tables of its training sentences by
/// their fold over all the data.
#[derive(Clone, Copy)]
struct AutoRef<'a> {
    run: &'a IdMap<[u32; 5]>,
    folds: &'a [IdMap<[u32; 5]>],
}

/// The averaged weights of a trainer as a model, keeping only features with a weight.
fn assemble(tr: &Trainer, keys: &[u64], lex: WordLex, gaz: Gazetteer, set: FeatureSet, recipe: &str) -> Model {
    let (w, trans, start) = tr.averaged();
    keep_weighted(keys, &w, trans, start, lex, gaz, set, recipe)
}

/// A model from weight rows (`NT` per key), keeping only features with a weight.
#[allow(clippy::too_many_arguments)]
fn keep_weighted(
    keys: &[u64],
    w: &[f32],
    trans: Vec<f32>,
    start: Vec<f32>,
    lex: WordLex,
    gaz: Gazetteer,
    set: FeatureSet,
    recipe: &str,
) -> Model {
    let weights = super::weights::FlatWeights::from_rows(keys.iter().enumerate().filter_map(|(id, &h)| {
        let mut row = [0f32; NT];
        row.copy_from_slice(&w[id * NT..id * NT + NT]);
        row.iter().any(|x| x.abs() > 1e-6).then_some((h, row))
    }));
    let kb_checksum = if set.kb { gaz.kb.as_ref().map_or(0, |kb| kb.checksum()) } else { 0 };
    Model { weights, trans, start, lex, gaz, set, recipe: recipe.to_string(), kb_checksum, subtypes: Default::default(), extents: Default::default(), org_names: Default::default(), lex_id: super::model::next_lex_id() }
}

/// Tags the unlabeled sentences (all cores) and counts, per core form, how often each
/// type was given; only words tagged as a name at least once are kept.
fn auto_table(tagger: &Model, unlabeled: &[Vec<String>]) -> IdMap<[u32; 5]> {
    use rayon::prelude::*;
    let mut table = unlabeled
        .par_chunks(512)
        .map(|chunk| {
            let mut m: IdMap<[u32; 5]> = IdMap::default();
            for sent in chunk {
                let infos = tagger.infos(sent.iter().map(String::as_str));
                for (ti, tag) in infos.iter().zip(tagger.tag_infos(&infos)) {
                    if ti.wordish {
                        m.entry(ti.h_core).or_insert([0; 5])[tag_type(tag)] += 1;
                    }
                }
            }
            m
        })
        .reduce(IdMap::default, |mut a, b| {
            for (k, v) in b {
                let e = a.entry(k).or_insert([0; 5]);
                for (x, y) in e.iter_mut().zip(v) {
                    *x += y;
                }
            }
            a
        });
    table.retain(|_, c| c[1..].iter().any(|&v| v > 0));
    table
}

/// Sentences of unlabeled news for self-training: the first `max_bytes` of article text
/// in a JSON Lines corpus (field `text`), duplicates skipped, cut into sentences at
/// sentence-final punctuation (and every 80 tokens), tokenized as ANERcorp is.
///
/// # Errors
/// I/O and format errors reading the corpus.
pub fn unlabeled_sentences(path: &Path, max_bytes: usize) -> Result<Vec<Vec<String>>> {
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    khabar_text::corpus::for_each_jsonl_field(path, "text", Some(max_bytes), |body| {
        let head: String = body.chars().take(300).collect();
        if !seen.insert(hash_str(&head)) {
            return;
        }
        let mut cur: Vec<String> = Vec::new();
        for t in khabar_text::tokenize::tokenize(body) {
            let w = &body[t.span.start as usize..t.span.end as usize];
            cur.push(w.to_string());
            if matches!(w, "." | "!" | "?" | "؟" | "…") || w.starts_with("..") || cur.len() >= 80 {
                out.push(std::mem::take(&mut cur));
            }
        }
        if !cur.is_empty() {
            out.push(cur);
        }
    })?;
    Ok(out)
}

/// ANERcorp marks sentences but not articles; evaluation reads each run of this many
/// consecutive sentences as one document (about one news article) for the tagger's
/// document-level consistency pass.
pub const EVAL_DOCUMENT_SENTENCES: usize = 30;

/// Tags gold-token sentences as the pipeline would, document by document (runs of
/// [`EVAL_DOCUMENT_SENTENCES`]); one tag sequence per sentence.
pub fn tag_sentences(model: &Model, sentences: &[TaggedSentence]) -> Vec<Vec<usize>> {
    let mut out = Vec::with_capacity(sentences.len());
    for block in sentences.chunks(EVAL_DOCUMENT_SENTENCES) {
        let infos: Vec<Vec<TokInfo>> = block.iter().map(|s| model.infos(s.iter().map(|(w, _)| w.as_str()))).collect();
        out.extend(model.tag_document(&infos));
    }
    out
}

/// Scores a model on gold tokens.
///
/// # Errors
/// [`Error::Invalid`] for an unknown tag.
pub fn evaluate(model: &Model, sentences: &[TaggedSentence]) -> Result<Scorer> {
    let mut sc = Scorer::default();
    for (n, (s, pred)) in sentences.iter().zip(tag_sentences(model, sentences)).enumerate() {
        sc.add_tags(&gold_tags(s, n)?, &pred);
    }
    Ok(sc)
}

/// Scores the realistic setting: each sentence's tokens are joined with spaces into raw
/// text, one line per sentence and [`EVAL_DOCUMENT_SENTENCES`] lines per document, which khabar's text layer (`text_layer`, built with `text_only`: tokenizer,
/// normalizer, glued-word repair, segmenter) analyzes once and then each of `taggers`; mentions are compared as exact byte spans. A predicted
/// mention is extended back to the start of its first token (the pipeline leaves clitics
/// out of mention spans; ANERcorp includes them). One scorer per tagger, in order.
///
/// # Errors
/// [`Error::Invalid`] for an unknown tag; pipeline errors.
pub fn evaluate_raw(text_layer: &Pipeline, taggers: &[&super::NerTagger], sentences: &[TaggedSentence]) -> Result<Vec<Scorer>> {
    use crate::Annotator;
    let mut scorers = vec![Scorer::default(); taggers.len()];
    let mut text = String::new();
    for (b, block) in sentences.chunks(EVAL_DOCUMENT_SENTENCES).enumerate() {
        text.clear();
        let mut gold_spans = Vec::new();
        for (k, s) in block.iter().enumerate() {
            let gold = gold_tags(s, b * EVAL_DOCUMENT_SENTENCES + k)?;
            if k > 0 {
                text.push('\n');
            }
            let mut offs = Vec::with_capacity(s.len());
            for (j, (w, _)) in s.iter().enumerate() {
                if j > 0 {
                    text.push(' ');
                }
                offs.push((text.len(), text.len() + w.len()));
                text.push_str(w);
            }
            gold_spans.extend(chunks(&gold).into_iter().map(|(a, b, t)| (offs[a].0, offs[b - 1].1, t)));
        }
        let mut doc = text_layer.analyze(&text, None)?;
        for (tagger, sc) in taggers.iter().zip(&mut scorers) {
            // Each tagger replaces the entities of the one before.
            tagger.annotate(&mut doc)?;
            let pred: Vec<(usize, usize, usize)> = doc
                .entities
                .iter()
                .map(|e| {
                    let start = doc
                        .tokens
                        .iter()
                        .find(|t| t.span.start <= e.span.start && e.span.start < t.span.end)
                        .map_or(e.span.start as usize, |t| t.span.start as usize);
                    let ty = match e.kind {
                        crate::EntityType::Pers => 1,
                        crate::EntityType::Loc => 2,
                        crate::EntityType::Org => 3,
                        crate::EntityType::Misc => 4,
                    };
                    (start, e.span.end as usize, ty)
                })
                .collect();
            sc.add_spans(&gold_spans, &pred);
        }
    }
    Ok(scorers)
}

/// Reads an ANERcorp-style file.
///
/// # Errors
/// I/O errors and malformed lines (the message names the file and line).
pub fn read(path: &Path) -> Result<Vec<TaggedSentence>> {
    let s = khabar_text::corpus::read_tagged(path)?;
    // The reader checks the `token tag` shape; check the types too, naming the line.
    let mut line = 0usize;
    for sent in &s {
        line += 1;
        for (tok, tag) in sent {
            if tag_index(tag).is_none() {
                let text = khabar_text::corpus::read_text(path)?;
                let at = text
                    .lines()
                    .position(|l| l.split_whitespace().nth(1) == Some(tag.as_str()) && l.split_whitespace().next() == Some(tok.as_str()))
                    .map_or(line, |p| p + 1);
                return Err(Error::Invalid(format!(
                    "{}:{at}: unknown tag `{tag}` (expected O or B-/I- PERS, LOC, ORG, MISC)",
                    path.display()
                )));
            }
            line += 1;
        }
    }
    Ok(s)
}

/// The stable hash used for feature keys (exposed for tests that pin it).
pub fn stable_hash(s: &str) -> u64 {
    hash_str(s)
}
