//! `khabar train orgs`: organizations' own names learned from unlabeled news, for a NER model.

use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};
use khabar::ner::fane::{FaneMap, Titles};
use khabar::ner::orgnames::{self, MiningConfig, OrgCounter, OrgNames};
use khabar::ner::{self, Model};
use khabar_text::corpus::TaggedSentence;

use crate::ner_cmd::{load_ner_model, news_count, read_fane, sha256};

/// Where and how organizations' names are learned (also the last step of `khabar train ner`,
/// which filters them with the labeled sentences it trained on). The ids are explicit:
/// flattened into `train ner` beside the extents' flags, `corpus` and `mb` would otherwise
/// be one argument for both.
#[derive(clap::Args, Debug, Clone)]
pub struct OrgLearning {
    /// Unlabeled news (JSON Lines, field `text`, gzip allowed) to learn the names from.
    #[arg(id = "orgs_corpus", long = "orgs-corpus", value_name = "PATH", default_values = ["../shared/data/saudinewsnet/articles.jsonl.gz", "../shared/data/ant/articles.jsonl.gz"])]
    pub corpus: Vec<PathBuf>,
    /// Read at most this many MB of article text of each corpus.
    #[arg(id = "orgs_mb", long = "orgs-mb", value_name = "MB")]
    pub mb: Option<usize>,
    /// Fewest uses of a name right after a noun that names a body (`تنظيم`، `جماعة`، `حركة` …).
    #[arg(id = "orgs_min_after", long = "orgs-min-after", default_value_t = 10)]
    pub min_after: u32,
    /// Smallest share of a name's uses that are right after such a noun.
    #[arg(id = "orgs_min_share", long = "orgs-min-share", default_value_t = 0.2)]
    pub min_share: f64,
    /// Largest share of the uses of a name's base in the other form (with `ال` when the
    /// name has none, without it when it has): a common noun changes form, a name does not.
    #[arg(id = "orgs_max_other_form", long = "orgs-max-other-form", default_value_t = 0.1)]
    pub max_other_form: f64,
}

/// `khabar train orgs` flags.
#[derive(clap::Args, Debug)]
#[command(after_help = "Example:\n  khabar train orgs --model models/ner.khm --out models/ner.khm --list")]
pub struct OrgArgs {
    /// The NER model to learn for and give the names to (default: the built-in model).
    #[arg(long, value_name = "PATH")]
    pub model: Option<PathBuf>,
    /// Where to write the model with its new section (may be `--model` itself).
    #[arg(long, value_name = "PATH")]
    pub out: PathBuf,
    /// Knowledge base the model was trained with (default: the built-in one).
    #[arg(long, value_name = "PATH")]
    pub kb: Option<PathBuf>,
    /// Print every name with its uses after a body noun and in all.
    #[arg(long)]
    pub list: bool,
    /// ANERcorp's training file: a word it mostly writes outside names is no name.
    #[arg(long = "orgs-anercorp", value_name = "PATH", default_value = "../shared/data/anercorp/train.txt")]
    pub anercorp: PathBuf,
    /// WikiFANE Gold (read as ANERcorp is).
    #[arg(long = "orgs-wikifane", value_name = "PATH", default_value = "../shared/data/fane/wikifane_gold.txt")]
    pub wikifane: PathBuf,
    /// NewsFANE Gold's training file (its last 15%, the dev split, is never read).
    #[arg(long = "orgs-newsfane", value_name = "PATH", default_value = "../shared/data/fane/newsfane_gold_train.txt")]
    pub newsfane: PathBuf,
    #[command(flatten)]
    pub learning: OrgLearning,
}

/// Per word core (hash): uses outside names and inside names in labeled sentences.
pub(crate) fn count_labeled<'a>(model: &Model, sentences: impl IntoIterator<Item = &'a TaggedSentence>) -> orgnames::LabeledCounts {
    let mut counts = orgnames::LabeledCounts::default();
    for s in sentences {
        let infos = model.infos(s.iter().map(|(w, _)| w.as_str()));
        for (t, (_, tag)) in infos.iter().zip(s) {
            if t.wordish {
                counts.entry(t.h_core).or_default()[usize::from(tag != "O")] += 1;
            }
        }
    }
    counts
}

/// The labeled corpora's counts for `khabar train orgs`, read as `khabar train ner` reads
/// them. The dev splits (ANERcorp's last 10%, NewsFANE's last 15%) are never read, so a
/// model scored on them has not seen their labels here either.
fn labeled_counts(model: &Model, a: &OrgArgs) -> Result<orgnames::LabeledCounts> {
    let aner = ner::train::read(&a.anercorp).with_context(|| format!("reading {}", a.anercorp.display()))?;
    let titles = Titles::learn(&aner, 3);
    let map = FaneMap::with_overrides("").map_err(|e| anyhow::anyhow!("FANE mapping: {e}"))?;
    let count = news_count()?;
    let keep = |n: usize, f: f64| n - ((n as f64 * f).round() as usize).min(n);
    let mut sentences: Vec<TaggedSentence> = Vec::new();
    let n = keep(aner.len(), 0.1);
    sentences.extend(aner.into_iter().take(n));
    for (p, f) in [(&a.wikifane, 0.0), (&a.newsfane, 0.15)] {
        let s = read_fane(p, &map, &titles, &count)?;
        let n = keep(s.len(), f);
        sentences.extend(s.into_iter().take(n));
    }
    Ok(count_labeled(model, &sentences))
}

/// Learns the organizations' names from `l.corpus` for `model`, leaving out the words
/// `labeled` ([`count_labeled`]) mostly has outside names; returns them with a line for the
/// recipe.
pub(crate) fn learn_org_names(model: &Model, l: &OrgLearning, labeled: &orgnames::LabeledCounts) -> Result<(OrgNames, String)> {
    use rayon::prelude::*;
    let t0 = Instant::now();
    let heads = orgnames::body_noun_cores(&model.infos(orgnames::BODY_NOUNS.iter().copied()));
    let mut counter = OrgCounter::default();
    let mut sources = Vec::new();
    let mut bytes = 0usize;
    let mut articles = 0usize;
    let mut seen = std::collections::HashSet::new();
    let count_batch = |batch: &mut Vec<String>, counter: &mut OrgCounter| {
        let part = batch
            .par_chunks(64)
            .map(|texts| {
                let mut c = OrgCounter::default();
                for text in texts {
                    let words: Vec<&str> = khabar_text::tokenize::tokenize(text).iter().map(|t| &text[t.span.start as usize..t.span.end as usize]).collect();
                    c.add(&model.infos(words.iter().copied()), &heads);
                }
                c
            })
            .reduce(OrgCounter::default, |mut a, b| {
                a.merge(b);
                a
            });
        counter.merge(part);
        batch.clear();
    };
    for path in &l.corpus {
        let mut batch: Vec<String> = Vec::new();
        let skipped = khabar_text::corpus::for_each_jsonl_field(path, "text", l.mb.map(|m| m << 20), |t| {
            // Syndicated copies would count one article's words several times.
            let head: String = t.chars().take(300).collect();
            let mut h = std::collections::hash_map::DefaultHasher::new();
            head.hash(&mut h);
            if !seen.insert(h.finish()) {
                return;
            }
            bytes += t.len();
            articles += 1;
            batch.push(t.to_string());
            if batch.len() == 2000 {
                count_batch(&mut batch, &mut counter);
            }
        })
        .with_context(|| format!("reading {}", path.display()))?;
        count_batch(&mut batch, &mut counter);
        sources.push(format!("{} sha256 {}{}", path.display(), sha256(path), if skipped > 0 { format!(" ({skipped} unreadable lines skipped)") } else { String::new() }));
    }
    let cfg = MiningConfig { min_after: l.min_after, min_share: l.min_share, max_other_form: l.max_other_form, ..Default::default() };
    let outside_names = |h: u64, _: &str| labeled.get(&h).is_some_and(|&[outside, inside]| outside + inside >= 3 && inside * 2 < outside + inside);
    let kb = model.kb().cloned();
    let known_other = |core: &str| {
        kb.as_ref().is_some_and(|kb| kb.lookup(core).any(|c| c.source.is_external() && (c.kind.is_place() || c.kind == khabar_kb::Kind::PersonName)))
    };
    let names = counter.finish(&cfg, &outside_names, &known_other);
    let how = format!(
        "{} words written after a noun that names a body at least {} times and in at least {} of their uses, in the other form of the article in at most {} of their base's, in {} articles ({} MB) of {}; none mostly outside names in the labeled training sentences (dev splits unread), none a place or given name of the knowledge base",
        names.names().len(),
        cfg.min_after,
        cfg.min_share,
        cfg.max_other_form,
        articles,
        bytes >> 20,
        sources.join(", "),
    );
    // The time stays out of the recipe line, so the same command writes the same bytes.
    eprintln!("organization names learned in {:.1}s", t0.elapsed().as_secs_f64());
    Ok((names, how))
}

pub fn train_orgs(a: OrgArgs) -> Result<()> {
    let t0 = Instant::now();
    let mut model = load_ner_model(a.model.as_deref(), a.kb.as_deref())?;
    let labeled = labeled_counts(&model, &a)?;
    let (names, how) = learn_org_names(&model, &a.learning, &labeled)?;
    eprintln!("organization names: {how}");
    if a.list {
        for n in names.names() {
            println!("{}\t{}\t{}\t{}", n.core, n.after, n.total, n.rest.join(" "));
        }
    }
    model.set_org_names(names, &how);
    let bytes = model.to_bytes();
    std::fs::write(&a.out, &bytes).with_context(|| format!("writing {}", a.out.display()))?;
    eprintln!("wrote {} ({} bytes) in {:.1}s", a.out.display(), bytes.len(), t0.elapsed().as_secs_f64());
    Ok(())
}

