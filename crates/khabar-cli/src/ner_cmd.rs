//! `khabar train ner` and `khabar eval ner`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};
use khabar::ner::fane::{self, FaneMap, Titles};
use khabar::ner::{self, train::Marks, train::TrainConfig, wordlex::WordLexConfig, FeatureSet, Model};
use khabar_text::corpus::TaggedSentence;
use khabar_model::Blob;

/// Training flags.
#[derive(clap::Args, Debug)]
#[command(after_help = "Example:\n  khabar train ner --out models/ner.khm\n  khabar train ner --without wikifane --out /tmp/m.khm")]
pub struct TrainArgs {
    /// ANERcorp-style training file (`token tag` lines, blank line between sentences); its
    /// last `--dev-fraction` is the ANERcorp dev split.
    #[arg(long, value_name = "PATH", default_value = "../shared/data/anercorp/train.txt")]
    pub train: PathBuf,
    /// WikiFANE Gold (FANE format: `token<TAB>fine tag`), all of it training data.
    #[arg(long, value_name = "PATH", default_value = "../shared/data/fane/wikifane_gold.txt")]
    pub wikifane: PathBuf,
    /// NewsFANE Gold's training file; its last `--newsfane-dev-fraction` is the NewsFANE dev split.
    #[arg(long, value_name = "PATH", default_value = "../shared/data/fane/newsfane_gold_train.txt")]
    pub newsfane: PathBuf,
    /// Leave a corpus out of training (repeatable): anercorp, wikifane, newsfane.
    #[arg(long, value_name = "CORPUS", value_parser = ["anercorp", "wikifane", "newsfane"])]
    pub without: Vec<String>,
    /// Share of the NewsFANE training file held out (from the end) as its dev split.
    #[arg(long, default_value_t = 0.15)]
    pub newsfane_dev_fraction: f64,
    /// Changes to the FANE type mapping, `Type=CLASS,…` (types: FANE's fine types or
    /// Facility, Vehicle, Weapon, Product; classes O, PERS, LOC, ORG, MISC). See docs/ner.md.
    #[arg(long, value_name = "SPEC", default_value = "")]
    pub fane_map: String,
    /// Read FANE's untagged tokens as O for certain, instead of "O or an ANERcorp MISC name
    /// FANE does not annotate" (events, religions, currencies).
    #[arg(long)]
    pub fane_misc_as_o: bool,
    /// Keep FANE's titles inside persons' names (`الامير فيصل`) instead of moving them out.
    #[arg(long)]
    pub fane_keep_titles: bool,
    /// Train the final model without the dev sentences, so `khabar eval ner --tail` can
    /// score it on them (for choosing settings; the committed model trains on all).
    #[arg(long)]
    pub hold_out_dev: bool,
    /// Where to write the model; the recipe goes next to it as `<stem>-recipe.txt`.
    #[arg(long, value_name = "PATH")]
    pub out: PathBuf,
    /// Unlabeled news corpus (JSON Lines, field `text`, gzip allowed) for word clusters.
    #[arg(long, value_name = "PATH", default_value = "../shared/data/saudinewsnet/articles.jsonl.gz")]
    pub unlabeled: PathBuf,
    /// Read at most this many MB of unlabeled article text.
    #[arg(long, value_name = "MB")]
    pub unlabeled_mb: Option<usize>,
    /// Cache file for the word lexicon learned from the unlabeled corpus: read when it
    /// exists, written after building otherwise (speeds up repeated experiments).
    #[arg(long, value_name = "PATH")]
    pub lexicon_cache: Option<PathBuf>,
    /// Leave out the unlabeled-text features (clusters, corpus statistics).
    #[arg(long)]
    pub no_unlabeled: bool,
    /// Leave out the training-data gazetteer features.
    #[arg(long)]
    pub no_gazetteer: bool,
    /// The knowledge base for the knowledge-base features (`khabar train kb`); the model
    /// records its checksum and is used only with it, so rebuild khabar after both.
    #[arg(long, value_name = "PATH", default_value = "models/kb.khm")]
    pub kb: PathBuf,
    /// Drop features whose largest weight is below this from the final model (smaller and
    /// faster). 2 was chosen on dev with `khabar eval ner --prune` (0, 0.5, 1, 2, 3, 4 tried;
    /// 2 scored best on both dev splits); 0 keeps every weighted feature.
    #[arg(long, default_value_t = 2.0)]
    pub min_weight: f32,
    /// Leave out the knowledge-base features.
    #[arg(long)]
    pub no_kb: bool,
    /// Leave out self-training (a first-stage tagger labeling unlabeled news for the final one).
    #[arg(long)]
    pub no_selftrain: bool,
    /// Epochs for the self-training labelers and the final tagger (chosen on the dev split;
    /// the phase-1 choice applies without self-training).
    #[arg(long, default_value_t = 10)]
    pub selftrain_epochs: usize,
    /// Final-tagger runs over different sentence orders, weights averaged.
    #[arg(long, default_value_t = 1)]
    pub ensemble: usize,
    /// Self-training rounds (each after the first relabels the unlabeled text with taggers
    /// that use the previous round's tables).
    #[arg(long, default_value_t = 1)]
    pub selftrain_rounds: usize,
    /// MB of unlabeled article text the first-stage taggers label for self-training.
    #[arg(long, value_name = "MB", default_value_t = 48)]
    pub selftrain_mb: usize,
    /// Most epochs tried on the dev split.
    #[arg(long, default_value_t = 20)]
    pub epochs: usize,
    /// Stop after this many epochs without dev improvement.
    #[arg(long, default_value_t = 4)]
    pub patience: usize,
    /// Random seed (sentence order, clustering).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Share of the ANERcorp training sentences held out (from the end) as its dev split.
    #[arg(long, default_value_t = 0.1)]
    pub dev_fraction: f64,
    /// Folds of the gazetteer leave-out scheme.
    #[arg(long, default_value_t = 5)]
    pub folds: usize,
    /// Use only the first N training sentences of each corpus (quick runs).
    #[arg(long, value_name = "N")]
    pub slice: Option<usize>,
    /// Words to cluster.
    #[arg(long, default_value_t = 80_000)]
    pub vocab: usize,
    /// Passes of the fine-type (`subtype`) classifier over its training mentions (as
    /// `khabar train subtypes --epochs`).
    #[arg(long, default_value_t = 5)]
    pub subtype_epochs: u32,
    /// How the organizations' name extents are learned (as `khabar train extents`).
    #[command(flatten)]
    pub extents: ExtentLearning,
    /// Leave the learned name extents out of the model.
    #[arg(long)]
    pub no_extents: bool,
    /// How organizations' own names are learned from unlabeled news (as `khabar train
    /// orgs`; filtered with the labeled training sentences above, dev splits left out).
    #[command(flatten)]
    pub orgs: crate::orgs_cmd::OrgLearning,
    /// Leave the organizations' names learned from unlabeled news out of the model.
    #[arg(long)]
    pub no_orgs: bool,
}

/// Where and how `khabar train extents` (and `khabar train ner`) learn where organizations'
/// names end.
#[derive(clap::Args, Debug, Clone)]
pub struct ExtentLearning {
    /// Unlabeled news (JSONL with a `text` field) the tagger is run over (repeatable).
    #[arg(long = "extents-corpus", value_name = "PATH", default_values = ["../shared/data/saudinewsnet/articles.jsonl.gz", "../shared/data/ant/articles.jsonl.gz"])]
    pub corpus: Vec<PathBuf>,
    /// Read at most this many MB of article text from each corpus.
    #[arg(long = "extents-mb", value_name = "MB")]
    pub mb: Option<usize>,
    /// Occurrences a name and each continuation need.
    #[arg(long = "extents-min-count", default_value_t = 10)]
    pub min_count: u32,
    /// Share of a name's occurrences a continuation's first word must follow it in.
    #[arg(long = "extents-first-share", default_value_t = 0.1)]
    pub first_share: f64,
    /// Share of occurrences each later word of a continuation must follow the words before it in.
    #[arg(long = "extents-tight-share", default_value_t = 0.5)]
    pub tight_share: f64,
}

/// `khabar train extents` flags.
#[derive(clap::Args, Debug)]
#[command(after_help = "Example:\n  khabar train extents --model models/ner.khm --out models/ner.khm")]
pub struct ExtentArgs {
    /// The NER model to learn for and give the extents to (default: the built-in model).
    #[arg(long, value_name = "PATH")]
    pub model: Option<PathBuf>,
    /// Where to write the model with its new extent section (may be `--model` itself).
    #[arg(long, value_name = "PATH")]
    pub out: PathBuf,
    /// Knowledge base the model was trained with (default: the built-in one).
    #[arg(long, value_name = "PATH")]
    pub kb: Option<PathBuf>,
    /// Print every learned (name, continuation) pair.
    #[arg(long)]
    pub list: bool,
    #[command(flatten)]
    pub learning: ExtentLearning,
}

/// Runs the model's tagger (its learned extents left out) over unlabeled news and learns
/// where organizations' names end; returns them with a line for the recipe.
fn learn_extents(model: &Model, l: &ExtentLearning) -> Result<(ner::extents::NameExtents, String)> {
    use rayon::prelude::*;
    let t0 = Instant::now();
    let text_layer = khabar::Pipeline::builder().text_only(true).build()?;
    let tagger = ner::NerTagger::from_model(model.clone());
    let cfg = ner::extents::ExtentConfig {
        min_count: l.min_count,
        first_share: l.first_share,
        tight_share: l.tight_share,
        ..Default::default()
    };
    let mut counter = ner::extents::ExtentCounter::default();
    let mut sources = Vec::new();
    let mut bytes = 0usize;
    for path in &l.corpus {
        let mut batch: Vec<String> = Vec::new();
        let run = |batch: &mut Vec<String>, counter: &mut ner::extents::ExtentCounter| -> Result<()> {
            let part = batch
                .par_iter()
                .map(|t| -> Result<ner::extents::ExtentCounter> {
                    let mut c = ner::extents::ExtentCounter::default();
                    let doc = text_layer.analyze(t, None)?;
                    tagger.count_extents(&doc, &mut c, cfg.max_words);
                    Ok(c)
                })
                .try_reduce(ner::extents::ExtentCounter::default, |mut a, b| {
                    a.merge(b);
                    Ok(a)
                })?;
            counter.merge(part);
            batch.clear();
            Ok(())
        };
        let mut failed = None;
        let skipped = khabar_text::corpus::for_each_jsonl_field(path, "text", l.mb.map(|m| m << 20), |t| {
            bytes += t.len();
            batch.push(t.to_string());
            if batch.len() == 2000 && failed.is_none() {
                failed = run(&mut batch, &mut counter).err();
            }
        })
        .with_context(|| format!("reading {}", path.display()))?;
        if let Some(e) = failed {
            return Err(e);
        }
        run(&mut batch, &mut counter)?;
        sources.push(format!("{} sha256 {}{}", path.display(), sha256(path), if skipped > 0 { format!(" ({skipped} unreadable lines skipped)") } else { String::new() }));
    }
    let ext = tagger.finish_extents(&counter, &cfg);
    let how = format!(
        "{} names with continuations of {} organization names the tagger found in {} MB of {} (min count {}, first share {}, tight share {}), {:.0}s",
        ext.len(),
        counter.names(),
        bytes >> 20,
        sources.join(", "),
        cfg.min_count,
        cfg.first_share,
        cfg.tight_share,
        t0.elapsed().as_secs_f64()
    );
    Ok((ext, how))
}

/// A NER model from `path` (default: the built-in one), with the knowledge base at `kb`
/// (default: the built-in one); errors name the file.
pub(crate) fn load_ner_model(path: Option<&Path>, kb: Option<&Path>) -> Result<Model> {
    let blob = match path {
        Some(p) => Blob::read(p).map_err(|e| e.with_path(p.to_path_buf()))?,
        None => Blob::Static(khabar::models::NER),
    };
    let what = || format!("loading the NER model{}", path.map(|p| format!(" {}", p.display())).unwrap_or_default());
    Ok(match kb {
        Some(p) => Model::from_blob_with_kb(blob, std::sync::Arc::new(khabar_kb::Kb::from_path(p)?)).with_context(what)?,
        None => Model::from_blob(blob).with_context(what)?,
    })
}

pub fn train_extents(a: ExtentArgs) -> Result<()> {
    let t0 = Instant::now();
    let mut model = load_ner_model(a.model.as_deref(), a.kb.as_deref())?;
    let (ext, how) = learn_extents(&model, &a.learning)?;
    eprintln!("extents: {how}");
    if a.list {
        for (name, cont) in ext.pairs() {
            println!("{name}\t{cont}");
        }
    }
    model.set_extents(ext, &how);
    let bytes = model.to_bytes();
    std::fs::write(&a.out, &bytes).with_context(|| format!("writing {}", a.out.display()))?;
    eprintln!("wrote {} ({} bytes) in {:.1}s", a.out.display(), bytes.len(), t0.elapsed().as_secs_f64());
    Ok(())
}

/// `khabar train subtypes` flags.
#[derive(clap::Args, Debug)]
#[command(after_help = "Example:\n  khabar train subtypes --model models/ner.khm --out models/ner.khm")]
pub struct SubtypeArgs {
    /// The NER model to give the classifier to (default: the built-in model).
    #[arg(long, value_name = "PATH")]
    pub model: Option<PathBuf>,
    /// Where to write the model with its new subtype section (may be `--model` itself).
    #[arg(long, value_name = "PATH")]
    pub out: PathBuf,
    /// ANERcorp's training file (its MISC names teach "no subtype").
    #[arg(long, value_name = "PATH", default_value = "../shared/data/anercorp/train.txt")]
    pub train: PathBuf,
    /// WikiFANE Gold.
    #[arg(long, value_name = "PATH", default_value = "../shared/data/fane/wikifane_gold.txt")]
    pub wikifane: PathBuf,
    /// NewsFANE Gold's training file.
    #[arg(long, value_name = "PATH", default_value = "../shared/data/fane/newsfane_gold_train.txt")]
    pub newsfane: PathBuf,
    /// Leave out the dev splits (the last `--dev-fraction` of ANERcorp's, the last
    /// `--newsfane-dev-fraction` of NewsFANE's), so `khabar eval ner --tail` scores unseen text.
    #[arg(long)]
    pub hold_out_dev: bool,
    /// Share of ANERcorp's training sentences that is its dev split.
    #[arg(long, default_value_t = 0.1)]
    pub dev_fraction: f64,
    /// Share of NewsFANE's training file that is its dev split.
    #[arg(long, default_value_t = 0.15)]
    pub newsfane_dev_fraction: f64,
    /// Passes over the training mentions (5 and 10 tried on the NewsFANE dev split: 81.56%
    /// and 80.88% of fine types right).
    #[arg(long, default_value_t = 5)]
    pub epochs: u32,
    /// Random seed (mention order).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Knowledge base the model was trained with (default: the built-in one).
    #[arg(long, value_name = "PATH")]
    pub kb: Option<PathBuf>,
}

/// The subtype classifier's training mentions: WikiFANE's and NewsFANE's names with their
/// fine types (clitics re-attached and titles left out as for the tagger), and ANERcorp's
/// MISC names as "no subtype"; dev splits left out when `hold_out`.
#[allow(clippy::too_many_arguments)]
fn subtype_examples(
    anercorp: Option<&Path>,
    wikifane: Option<&Path>,
    newsfane: Option<&Path>,
    dev_fraction: f64,
    newsfane_dev_fraction: f64,
    hold_out: bool,
    titles: &Titles,
    count: &dyn Fn(&str) -> u32,
) -> Result<Vec<ner::subtype::Example>> {
    let keep = |n: usize, f: f64| if hold_out { n - ((n as f64 * f).round() as usize).min(n) } else { n };
    let is_title = |w: &str| titles.contains(w);
    let mut out = Vec::new();
    if let Some(p) = anercorp {
        let s = ner::train::read(p).with_context(|| format!("reading {}", p.display()))?;
        let n = keep(s.len(), dev_fraction);
        out.extend(ner::subtype::examples_in(&s[..n], &is_title).into_iter().filter(|e| e.class == khabar::EntityType::Misc));
    }
    for (p, f) in [(wikifane, 0.0), (newsfane, newsfane_dev_fraction)] {
        let Some(p) = p else { continue };
        let raw = khabar_text::corpus::read_tagged(p).with_context(|| format!("reading {}", p.display()))?;
        let n = keep(raw.len(), f);
        let joined: Vec<TaggedSentence> = raw[..n].iter().map(|s| fane::reattach(s, count)).collect();
        out.extend(ner::subtype::examples_in(&joined, &is_title));
    }
    Ok(out)
}

pub fn train_subtypes(a: SubtypeArgs) -> Result<()> {
    let t0 = Instant::now();
    let mut model = load_ner_model(a.model.as_deref(), a.kb.as_deref())?;
    let aner = ner::train::read(&a.train).with_context(|| format!("reading {}", a.train.display()))?;
    let titles = Titles::learn(&aner, 3);
    let count = news_count()?;
    let ex = subtype_examples(
        Some(&a.train),
        Some(&a.wikifane),
        Some(&a.newsfane),
        a.dev_fraction,
        a.newsfane_dev_fraction,
        a.hold_out_dev,
        &titles,
        &count,
    )?;
    let sub = ner::subtype::train(&ex, model.kb().map(|k| &**k), a.epochs, a.seed);
    let how = format!(
        "{} mentions of {} (MISC), {} and {}{}, {} epochs, seed {}, {} features",
        ex.len(),
        a.train.display(),
        a.wikifane.display(),
        a.newsfane.display(),
        if a.hold_out_dev { " without their dev splits" } else { "" },
        a.epochs,
        a.seed,
        sub.feature_count()
    );
    eprintln!("subtypes: {how}");
    model.set_subtypes(sub, &how);
    let bytes = model.to_bytes();
    std::fs::write(&a.out, &bytes).with_context(|| format!("writing {}", a.out.display()))?;
    eprintln!("wrote {} ({} bytes) in {:.1}s", a.out.display(), bytes.len(), t0.elapsed().as_secs_f64());
    Ok(())
}

/// Evaluation flags.
#[derive(clap::Args, Debug)]
#[command(after_help = "Example:\n  khabar eval ner --test ../shared/data/anercorp/test.txt")]
pub struct EvalArgs {
    /// Test file: ANERcorp's format (`token tag`) or FANE's (`token<TAB>fine tag`, mapped
    /// to PERS/LOC/ORG/MISC as for training; told apart by the tags).
    #[arg(long, value_name = "PATH")]
    pub test: PathBuf,
    /// Score only the last FRACTION of the file's sentences (a dev split: 0.1 for ANERcorp
    /// train, 0.15 for NewsFANE train, as `khabar train ner` holds them out).
    #[arg(long, value_name = "FRACTION")]
    pub tail: Option<f64>,
    /// Drop the model's features whose largest weight is below this before scoring (what
    /// `khabar train ner --min-weight` would cost).
    #[arg(long, value_name = "WEIGHT")]
    pub prune: Option<f32>,
    /// Knowledge base the model was trained with (default: the built-in one).
    #[arg(long, value_name = "PATH")]
    pub kb: Option<PathBuf>,
    /// Changes to the FANE type mapping for a FANE test file (as for `khabar train ner`).
    #[arg(long, value_name = "SPEC", default_value = "")]
    pub fane_map: String,
    /// Model file (default: the built-in model).
    #[arg(long, value_name = "PATH")]
    pub model: Option<PathBuf>,
    /// Skip the realistic setting (raw sentence text through the whole pipeline).
    #[arg(long)]
    pub no_raw: bool,
    /// Skip the speed measurements.
    #[arg(long)]
    pub no_speed: bool,
    /// Also write every token as `token gold predicted` (conlleval's input format, a blank
    /// line between sentences) to this file, for error analysis.
    #[arg(long, value_name = "PATH")]
    pub predictions: Option<PathBuf>,
}

pub(crate) fn sha256(path: &Path) -> String {
    std::process::Command::new("sha256sum")
        .arg(path)
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "unavailable".into())
}

/// One labeled corpus read for training: its sentences in ANERcorp's classes and which of
/// them are dev.
struct Corpus {
    name: &'static str,
    path: PathBuf,
    sentences: Vec<TaggedSentence>,
    dev_from: usize,
}

/// The built-in frequency lexicon's count of a word, for spelling FANE's `لال…` as news does.
pub(crate) fn news_count() -> Result<impl Fn(&str) -> u32> {
    let lex = khabar_text::lexicon::Lexicon::from_blob(Blob::Static(khabar::models::LEXICON)).context("loading the built-in lexicon")?;
    Ok(move |w: &str| lex.count(&khabar_text::normalize::normalize(w, khabar_text::Profile::Search)).min(u64::from(u32::MAX)) as u32)
}

/// Reads a FANE file as training sentences in ANERcorp's classes (see `ner::fane`).
pub(crate) fn read_fane(path: &Path, map: &FaneMap, titles: &Titles, count: &dyn Fn(&str) -> u32) -> Result<Vec<TaggedSentence>> {
    let raw = khabar_text::corpus::read_tagged(path).with_context(|| format!("reading {}", path.display()))?;
    fane_training(&raw, path, map, titles, count)
}

/// FANE sentences already read from `path`, as training sentences in ANERcorp's classes.
fn fane_training(raw: &[TaggedSentence], path: &Path, map: &FaneMap, titles: &Titles, count: &dyn Fn(&str) -> u32) -> Result<Vec<TaggedSentence>> {
    raw.iter()
        .enumerate()
        .map(|(n, s)| fane::to_training(s, map, titles, count).map_err(|e| anyhow::anyhow!("{}: sentence {}: {e}", path.display(), n + 1)))
        .collect()
}

/// Whether a tagged file uses FANE's fine types rather than ANERcorp's classes.
fn is_fane(sents: &[TaggedSentence]) -> bool {
    sents.iter().flatten().any(|(_, t)| t != "O" && ner::tag_index(t).is_none())
}

/// Sentences of several corpora in one list, interleaved fold by fold (fold k of each
/// corpus, then fold k+1 …) so that each of the leave-out folds, which are contiguous in
/// the list, holds a share of every corpus; with each sentence's dev mark.
fn interleave(corpora: &[Corpus], folds: usize, misc_open_fane: bool) -> (Vec<TaggedSentence>, Vec<Marks>) {
    let mut sents = Vec::new();
    let mut marks = Vec::new();
    for k in 0..folds {
        for c in corpora {
            let n = c.sentences.len();
            for i in k * n / folds..(k + 1) * n / folds {
                sents.push(c.sentences[i].clone());
                marks.push(Marks { dev: i >= c.dev_from, misc_open: misc_open_fane && c.name != "anercorp" });
            }
        }
    }
    (sents, marks)
}

pub fn train(a: TrainArgs) -> Result<()> {
    let t0 = Instant::now();
    let use_corpus = |name: &str| !a.without.iter().any(|w| w == name);
    let map = FaneMap::with_overrides(&a.fane_map).map_err(|e| anyhow::anyhow!("--fane-map: {e}"))?;
    let aner = ner::train::read(&a.train).with_context(|| format!("reading {}", a.train.display()))?;
    // FANE's titles are moved out of names by ANERcorp's convention, learned from its train
    // split (never its test split), plus khabar's list of ranks.
    let titles = if a.fane_keep_titles { Titles::default() } else { Titles::learn(&aner, 3) };
    let count = news_count()?;
    let mut corpora = Vec::new();
    let cut = |n: usize, f: f64| n - ((n as f64 * f).round() as usize).min(n);
    if use_corpus("anercorp") {
        let mut s = aner;
        if let Some(n) = a.slice {
            s.truncate(n);
        }
        let dev_from = cut(s.len(), a.dev_fraction);
        corpora.push(Corpus { name: "anercorp", path: a.train.clone(), sentences: s, dev_from });
    }
    for (name, path, dev_fraction) in [("newsfane", &a.newsfane, a.newsfane_dev_fraction), ("wikifane", &a.wikifane, 0.0)] {
        if !use_corpus(name) {
            continue;
        }
        let mut s = read_fane(path, &map, &titles, &count)?;
        if let Some(n) = a.slice {
            s.truncate(n);
        }
        let dev_from = cut(s.len(), dev_fraction);
        corpora.push(Corpus { name, path: path.clone(), sentences: s, dev_from });
    }
    if corpora.is_empty() {
        anyhow::bail!("--without left no training corpus (choose at most two of anercorp, wikifane, newsfane)");
    }
    for c in &corpora {
        eprintln!(
            "{}: {} sentences from {} ({} dev)",
            c.name,
            c.sentences.len(),
            c.path.display(),
            c.sentences.len() - c.dev_from
        );
    }
    let (sents, dev) = interleave(&corpora, a.folds.max(2), !a.fane_misc_as_o);
    let features = FeatureSet { unlabeled: !a.no_unlabeled, gazetteer: !a.no_gazetteer, selftrain: !a.no_selftrain, kb: !a.no_kb };
    let kb = if features.kb {
        let kb = khabar_kb::Kb::from_path(&a.kb)?;
        eprintln!("knowledge base: {} ({} keys, checksum {:08x})", a.kb.display(), kb.len(), kb.checksum());
        Some(std::sync::Arc::new(kb))
    } else {
        None
    };
    let wl_cfg = WordLexConfig {
        limit_bytes: a.unlabeled_mb.map(|m| m << 20),
        vocab: a.vocab,
        seed: a.seed.wrapping_add(6),
        ..Default::default()
    };
    let lex = if !features.unlabeled {
        Default::default()
    } else if let Some(lex) = a.lexicon_cache.as_deref().filter(|p| p.exists()).map(ner::wordlex::load).transpose()? {
        eprintln!("word lexicon: {} words from cache", lex.words.len());
        lex
    } else {
        let t = Instant::now();
        let extra: Vec<Vec<String>> = sents.iter().map(|s| s.iter().map(|(w, _)| w.clone()).collect()).collect();
        let (lex, st) = ner::wordlex::build(&a.unlabeled, &extra, &wl_cfg)
            .with_context(|| format!("learning word clusters from {}", a.unlabeled.display()))?;
        eprintln!(
            "word lexicon: {} articles ({} duplicates skipped), {} tokens, {} types; kept {}, clustered {} ({:.1}s)",
            st.articles,
            st.duplicates,
            st.tokens,
            st.types,
            st.kept,
            st.clustered,
            t.elapsed().as_secs_f64()
        );
        if let Some(p) = &a.lexicon_cache {
            ner::wordlex::save(&lex, p)?;
        }
        lex
    };
    let cfg = TrainConfig {
        max_epochs: a.epochs,
        seed: a.seed,
        dev_fraction: a.dev_fraction,
        folds: a.folds,
        hold_out_dev: a.hold_out_dev,
        kb: kb.clone(),
        features,
        patience: a.patience,
        selftrain_epochs: Some(a.selftrain_epochs),
        ensemble: a.ensemble,
        selftrain_rounds: a.selftrain_rounds,
        ..Default::default()
    };
    let args: Vec<String> = std::env::args().collect();
    let mut recipe = format!("command: {}\n", args.join(" "));
    for c in &corpora {
        recipe += &format!(
            "train ({}): {} sha256 {}, {} sentences, dev = the last {}{}\n",
            c.name,
            c.path.display(),
            sha256(&c.path),
            c.sentences.len(),
            c.sentences.len() - c.dev_from,
            a.slice.map(|n| format!(" (first {n} sentences)")).unwrap_or_default()
        );
    }
    if corpora.iter().any(|c| c.name != "anercorp") {
        recipe += &format!("FANE mapping: {}\nFANE titles moved out of names: {}\n", map.describe(), titles.sorted().join(" "));
    }
    if features.unlabeled {
        recipe += &format!("unlabeled: {} sha256 {}\nword lexicon: {wl_cfg:?}\n", a.unlabeled.display(), sha256(&a.unlabeled));
    }
    recipe += &format!("training: {cfg:?}\nfinal model: features whose every weight is below {} dropped (--min-weight)\nkhabar {}\n", a.min_weight, env!("CARGO_PKG_VERSION"));
    let unlabeled = if features.selftrain {
        let u = ner::train::unlabeled_sentences(&a.unlabeled, a.selftrain_mb << 20)
            .with_context(|| format!("reading unlabeled sentences from {}", a.unlabeled.display()))?;
        recipe += &format!("self-training: first {} MB of {} ({} sentences)\n", a.selftrain_mb, a.unlabeled.display(), u.len());
        u
    } else {
        Vec::new()
    };
    let (model, report) = ner::train::train_split(&sents, &dev, lex, &unlabeled, &cfg, &recipe, |l| eprintln!("{l}"))?;
    let mut model = model;
    if a.min_weight > 0.0 {
        let dropped = model.prune(a.min_weight);
        eprintln!("dropped {dropped} features with every weight below {} (--min-weight)", a.min_weight);
    }
    let sub_ex = subtype_examples(
        use_corpus("anercorp").then_some(a.train.as_path()),
        use_corpus("wikifane").then_some(a.wikifane.as_path()),
        use_corpus("newsfane").then_some(a.newsfane.as_path()),
        a.dev_fraction,
        a.newsfane_dev_fraction,
        a.hold_out_dev,
        &titles,
        &count,
    )?;
    let sub = ner::subtype::train(&sub_ex, kb.as_deref(), a.subtype_epochs, a.seed);
    let how = format!(
        "{} mentions{}, {} epochs, seed {}, {} features",
        sub_ex.len(),
        if a.hold_out_dev { " (dev splits left out)" } else { "" },
        a.subtype_epochs,
        a.seed,
        sub.feature_count()
    );
    eprintln!("subtypes: {how}");
    model.set_subtypes(sub, &how);
    if !a.no_extents {
        let (ext, how) = learn_extents(&model, &a.extents)?;
        eprintln!("extents: {how}");
        model.set_extents(ext, &how);
    }
    if !a.no_orgs {
        // The labeled sentences it trained on, dev splits left out as `khabar train orgs` does.
        let training = sents.iter().zip(&dev).filter(|(_, m)| !m.dev).map(|(s, _)| s);
        let labeled = crate::orgs_cmd::count_labeled(&model, training);
        let (names, how) = crate::orgs_cmd::learn_org_names(&model, &a.orgs, &labeled)?;
        eprintln!("organization names: {how}");
        model.set_org_names(names, &how);
    }
    let bytes = model.to_bytes();
    std::fs::write(&a.out, &bytes).with_context(|| format!("writing {}", a.out.display()))?;
    let stem = a.out.file_stem().and_then(|s| s.to_str()).unwrap_or("ner");
    let recipe_path = a.out.with_file_name(format!("{stem}-recipe.txt"));
    let dev = report.dev.as_ref().map(|d| d.micro().f1);
    let summary = format!(
        "{recipe}result: {} epochs (stage-1 dev F1 {}), {} features, {} bytes, {:.1}s\n",
        report.epochs,
        dev.map_or("n/a".into(), |f| format!("{f:.2}")),
        model.feature_count(),
        bytes.len(),
        t0.elapsed().as_secs_f64()
    );
    std::fs::write(&recipe_path, &summary).with_context(|| format!("writing {}", recipe_path.display()))?;
    if let Some(d) = &report.dev {
        eprintln!("dev split scores at epoch {} (stage 1: before self-training and document consistency):\n{}", report.epochs, d.table());
    }
    eprintln!("wrote {} ({} bytes, {} features) and {}", a.out.display(), bytes.len(), model.feature_count(), recipe_path.display());
    Ok(())
}

pub fn eval(a: EvalArgs) -> Result<()> {
    let mut raw = khabar_text::corpus::read_tagged(&a.test).with_context(|| format!("reading {}", a.test.display()))?;
    let fane_file = is_fane(&raw);
    let mut sents = if fane_file {
        let map = FaneMap::with_overrides(&a.fane_map).map_err(|e| anyhow::anyhow!("--fane-map: {e}"))?;
        // The same titles as training moves out of names; they come from ANERcorp's train split.
        let aner = Path::new("../shared/data/anercorp/train.txt");
        let titles = if aner.exists() { Titles::learn(&ner::train::read(aner)?, 3) } else { Titles::learn(&[], 3) };
        let count = news_count()?;
        println!("(FANE file: fine types mapped to PERS/LOC/ORG/MISC, clitics re-attached, titles out of names)");
        fane_training(&raw, &a.test, &map, &titles, &count)?
    } else {
        // Every tag is O or one of ANERcorp's (`is_fane` found none other): read once.
        std::mem::take(&mut raw)
    };
    if let Some(f) = a.tail {
        if !(0.0..=1.0).contains(&f) {
            anyhow::bail!("--tail {f}: expected a fraction between 0 and 1");
        }
        let keep = ((sents.len() as f64 * f).round() as usize).min(sents.len());
        sents.drain(..sents.len() - keep);
        println!("(the last {keep} sentences: --tail {f})");
    }
    let load = || -> Result<Blob> {
        Ok(match &a.model {
            Some(p) => Blob::read(p).map_err(|e| e.with_path(p.clone()))?,
            None => Blob::Static(khabar::models::NER),
        })
    };
    let kb = a.kb.as_deref().map(khabar_kb::Kb::from_path).transpose()?.map(std::sync::Arc::new);
    let load_model = || -> Result<Model> {
        let what = || format!("loading the NER model{}", a.model.as_ref().map(|p| format!(" {}", p.display())).unwrap_or_default());
        let mut m = match &kb {
            Some(kb) => Model::from_blob_with_kb(load()?, kb.clone()).with_context(what)?,
            None => Model::from_blob(load()?).with_context(what)?,
        };
        if let Some(w) = a.prune {
            m.prune(w);
        }
        Ok(m)
    };
    let t = Instant::now();
    let model = load_model()?;
    let load_ms = t.elapsed().as_secs_f64() * 1e3;
    let ntok: usize = sents.iter().map(Vec::len).sum();
    println!("{}: {} sentences, {} tokens", a.test.display(), sents.len(), ntok);
    println!("\ngold tokens (CoNLL exact spans):");
    let sc = ner::train::evaluate(&model, &sents)?;
    print!("{}", sc.table());
    if fane_file && !model.subtypes().is_empty() {
        // The same sentences as above (`--tail` keeps the last ones), with their fine types.
        let aner = Path::new("../shared/data/anercorp/train.txt");
        let titles = if aner.exists() { Titles::learn(&ner::train::read(aner)?, 3) } else { Titles::learn(&[], 3) };
        let count = news_count()?;
        let skip = raw.len() - sents.len();
        let joined: Vec<TaggedSentence> = raw.iter().map(|s| fane::reattach(s, &count)).collect();
        // Topics read the sentences next to each one, as in training (one before the tail may be read).
        let all = ner::subtype::examples_in(&joined, &|w| titles.contains(w));
        let before_tail: usize = joined[..skip].iter().map(|s| ner::subtype::examples(s, &|w| titles.contains(w)).len()).sum();
        let ex = all[before_tail..].to_vec();
        print!("{}", subtype_table(&ner::subtype::accuracy(&model.subtypes(), &ex, model.kb().map(|k| &**k)), &ex));
    }
    if let Some(p) = &a.predictions {
        let mut out = String::new();
        for (n, (s, pred)) in sents.iter().zip(ner::train::tag_sentences(&model, &sents)).enumerate() {
            let gold = ner::train::gold_tags(s, n)?;
            for (((w, _), g), pr) in s.iter().zip(gold).zip(pred) {
                out += &format!("{w} {} {}\n", ner::TAGS[g], ner::TAGS[pr]);
            }
            out.push('\n');
        }
        std::fs::write(p, out).with_context(|| format!("writing {}", p.display()))?;
        println!("(predictions written to {})", p.display());
    }
    if !a.no_raw {
        let text_layer = khabar::Pipeline::builder().text_only(true).build()?;
        let news = ner::NerTagger::from_model(load_model()?);
        let anercorp = ner::NerTagger::from_model(load_model()?).with_convention(ner::Convention::Anercorp);
        let [raw, raw_anercorp]: [ner::score::Scorer; 2] = ner::train::evaluate_raw(&text_layer, &[&news, &anercorp], &sents)?
            .try_into()
            .map_err(|_| anyhow::anyhow!("one score per tagger"))?;
        println!("\nraw text (sentence tokens joined by spaces, khabar's tokenizer, normalizer and segmenter; exact character spans;");
        println!("the NER stage of `khabar analyze` as it runs by default, --ner-convention news):");
        print!("{}", raw.table());
        let m = raw_anercorp.micro();
        println!(
            "raw text, --ner-convention anercorp (institutions named by their function left out, as ANERcorp does): micro P {:.2} R {:.2} F1 {:.2}",
            m.precision, m.recall, m.f1
        );
    }
    if !a.no_speed {
        let t = Instant::now();
        let mut done = 0usize;
        let mut rounds = 0;
        while rounds < 1 || t.elapsed().as_secs_f64() < 2.0 {
            std::hint::black_box(ner::train::tag_sentences(&model, &sents));
            done += ntok;
            rounds += 1;
        }
        let tps = done as f64 / t.elapsed().as_secs_f64();
        println!("\nspeed: {tps:.0} tokens/s tagging on one thread (features + Viterbi + document consistency, gold tokens); model load {load_ms:.1} ms");
    }
    Ok(())
}

/// Subtype accuracy per class, beside the best constant guess per class (its most frequent
/// subtype in the same mentions: a baseline the classifier has to beat).
fn subtype_table(acc: &[(khabar::EntityType, usize, usize)], ex: &[ner::subtype::Example]) -> String {
    let mut out = String::from("\nsubtypes (gold spans and classes; accuracy of the fine type):\n");
    let (mut right, mut total, mut base_all) = (0, 0, 0);
    for &(class, r, t) in acc {
        if t == 0 {
            continue;
        }
        let mut freq: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
        for e in ex.iter().filter(|e| e.class == class) {
            *freq.entry(e.answer).or_default() += 1;
        }
        let base = freq.values().copied().max().unwrap_or(0);
        out += &format!("  {:<5} {:>6.2}%  ({r}/{t}; most frequent subtype alone {:.2}%)\n", class.as_str(), 100.0 * r as f64 / t as f64, 100.0 * base as f64 / t as f64);
        right += r;
        total += t;
        base_all += base;
    }
    if total > 0 {
        out += &format!("  all   {:>6.2}%  ({right}/{total}; most frequent subtype alone {:.2}%)\n", 100.0 * right as f64 / total as f64, 100.0 * base_all as f64 / total as f64);
    }
    out
}
