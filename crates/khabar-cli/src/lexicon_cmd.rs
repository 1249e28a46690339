//! `khabar train lexicon` and `khabar eval repair`: the frequency lexicon behind glued-word
//! repair, and the count of its splits on clean text. See docs/repair.md.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use khabar_model::Blob;
use khabar_text::corpus::{for_each_jsonl_field, read_conllu, read_tagged};
use khabar_text::lexicon::train::{padt_text, Holdout, LexiconCounter, TrainConfig};
use khabar_text::lexicon::{Lexicon, RepairParams};
use khabar_text::repair::Repairer;
use khabar_text::{normalize, tokenize, Profile, TokenKind};

/// Training flags.
#[derive(clap::Args, Debug)]
pub struct TrainArgs {
    /// SaudiNewsNet articles (`text` field of gzipped JSON Lines).
    #[arg(long, default_value = "../shared/data/saudinewsnet/articles.jsonl.gz")]
    corpus: PathBuf,
    /// ANERcorp training file (`token tag` lines); its tokens are counted too.
    #[arg(long, default_value = "../shared/data/anercorp/train.txt")]
    anercorp: PathBuf,
    /// Where to write the artifact.
    #[arg(long, default_value = "models/lexicon.khm")]
    out: PathBuf,
    #[command(flatten)]
    holdout: HoldoutArgs,
    /// Words seen fewer times are pruned.
    #[arg(long, default_value_t = 2)]
    min_count: u64,
    /// A pair `a b` must be seen this often to make `ab` a glue key (4x when `ab` was seen once).
    #[arg(long, default_value_t = 8)]
    glue_min_pair: u64,
    /// …or this often when one word has at most 2 letters and `ab` was never seen whole.
    #[arg(long, default_value_t = 30)]
    glue_min_pair_short: u64,
    /// Base glue rate: `ab` seen c times whole needs the pair seen c / rate times.
    #[arg(long, default_value_t = 0.005)]
    glue_rate: f64,
    /// Weight of reading `ab` as clitics + a known word, against rate × pair count.
    #[arg(long, default_value_t = 0.05)]
    clitic_weight: f64,
    /// `ab` seen more often than this as one token is a spelling, never glue.
    #[arg(long, default_value_t = 30)]
    glue_max_whole: u64,
    #[command(flatten)]
    params: ParamArgs,
}

/// Which SaudiNewsNet articles are held out of training.
#[derive(clap::Args, Debug, Clone, Copy)]
struct HoldoutArgs {
    /// Bytes of article text at the end of the corpus held out as the test slice.
    #[arg(long, default_value_t = 5_000_000)]
    test_bytes: usize,
    /// Bytes of article text before the test slice held out as the dev slice (tuning).
    #[arg(long, default_value_t = 5_000_000)]
    dev_bytes: usize,
}

/// The unknown-word model's hyperparameters (stored in the artifact).
#[derive(clap::Args, Debug, Clone, Copy)]
struct ParamArgs {
    /// Minimum count of each part of a split of an unknown word.
    #[arg(long)]
    min_part_count: Option<u64>,
    /// Log-penalty per inserted space.
    #[arg(long)]
    split_cost: Option<f32>,
    /// Log-penalty per clitic when explaining an unknown word whole.
    #[arg(long)]
    clitic_cost: Option<f32>,
    /// Pseudo-count of an unexplained unknown word.
    #[arg(long)]
    unknown_count: Option<f32>,
    /// Unknown words shorter than this many letters are never split.
    #[arg(long)]
    min_word_chars: Option<u32>,
}

impl ParamArgs {
    fn apply(&self, mut p: RepairParams) -> RepairParams {
        if let Some(v) = self.min_part_count {
            p.min_part_count = v;
        }
        if let Some(v) = self.split_cost {
            p.split_cost = v;
        }
        if let Some(v) = self.clitic_cost {
            p.clitic_cost = v;
        }
        if let Some(v) = self.unknown_count {
            p.unknown_count = v;
        }
        if let Some(v) = self.min_word_chars {
            p.min_word_chars = v;
        }
        p
    }
}

/// Evaluation flags.
#[derive(clap::Args, Debug)]
pub struct EvalArgs {
    /// The lexicon artifact.
    #[arg(long, default_value = "models/lexicon.khm")]
    lexicon: PathBuf,
    /// SaudiNewsNet articles; the held-out slice is counted.
    #[arg(long, default_value = "../shared/data/saudinewsnet/articles.jsonl.gz")]
    corpus: PathBuf,
    /// ANERcorp test file.
    #[arg(long, default_value = "../shared/data/anercorp/test.txt")]
    anercorp_test: PathBuf,
    /// PADT test treebank (UD v1.3, clitic-split rows).
    #[arg(long, default_value = "../shared/data/padt/test.conllu")]
    padt_test: PathBuf,
    /// Known glued cases: `glued<TAB>spaced` lines (`#` comments).
    #[arg(long, default_value = "crates/khabar-text/tests/data/glued.tsv")]
    glued: PathBuf,
    /// Which held-out SaudiNewsNet slice to count: `test` (report) or `dev` (tuning).
    #[arg(long, default_value = "test")]
    slice: String,
    #[command(flatten)]
    holdout: HoldoutArgs,
    /// List every proposed split (and every missed glued case).
    #[arg(long)]
    show: bool,
    #[command(flatten)]
    params: ParamArgs,
}

pub fn train(a: TrainArgs) -> anyhow::Result<()> {
    let t0 = Instant::now();
    let texts = read_bodies(&a.corpus)?;
    let h = Holdout::new(&texts, a.holdout.dev_bytes, a.holdout.test_bytes);
    let train_ix = h.train_indices(&texts);
    let mut counter = LexiconCounter::new();
    let mut train_bytes = 0usize;
    for &i in &train_ix {
        counter.add_text(&texts[i]);
        train_bytes += texts[i].len();
    }
    let aner =
        read_tagged(&a.anercorp).with_context(|| format!("reading {}", a.anercorp.display()))?;
    for s in &aner {
        let line: Vec<&str> = s.iter().map(|(t, _)| t.as_str()).collect();
        counter.add_text(&line.join(" "));
    }
    let cfg = TrainConfig {
        min_count: a.min_count,
        glue_min_pair: a.glue_min_pair,
        glue_min_pair_short: a.glue_min_pair_short,
        glue_rate: a.glue_rate,
        clitic_weight: a.clitic_weight,
        glue_max_whole: a.glue_max_whole,
        params: a.params.apply(RepairParams::default()),
    };
    let (bytes, stats) = counter.build(&cfg);
    if let Some(dir) = a.out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    std::fs::write(&a.out, &bytes).with_context(|| format!("writing {}", a.out.display()))?;
    eprintln!(
        "SaudiNewsNet: {} articles, trained on {} ({} bytes; {} held out as dev from #{}, test from #{}, {} duplicates of held-out articles dropped); ANERcorp train: {} sentences",
        texts.len(),
        train_ix.len(),
        train_bytes,
        texts.len() - h.dev_start,
        h.dev_start,
        h.test_start,
        h.dev_start - train_ix.len(),
        aner.len()
    );
    eprintln!(
        "{} word tokens, {} types; {} keys ({} glue keys), fst {} bytes; wrote {} ({} bytes) in {:.1}s; params {:?}",
        stats.tokens,
        stats.types,
        stats.keys,
        stats.glue_keys,
        stats.fst_bytes,
        a.out.display(),
        bytes.len(),
        t0.elapsed().as_secs_f64(),
        cfg.params
    );
    Ok(())
}

fn read_bodies(path: &Path) -> anyhow::Result<Vec<String>> {
    let mut texts = Vec::new();
    for_each_jsonl_field(path, "text", None, |s| texts.push(s.to_string()))
        .with_context(|| format!("reading {}", path.display()))?;
    Ok(texts)
}

struct Tally {
    name: String,
    tokens: usize,
    words: usize,
    splits: Vec<(String, String)>,
    split_ns: u128,
}

fn count_splits(r: &Repairer, name: &str, texts: impl Iterator<Item = String>) -> Tally {
    let mut t = Tally {
        name: name.to_string(),
        tokens: 0,
        words: 0,
        splits: Vec::new(),
        split_ns: 0,
    };
    for text in texts {
        for tok in tokenize(&text) {
            t.tokens += 1;
            if tok.kind != TokenKind::Word {
                continue;
            }
            t.words += 1;
            let w = &text[tok.span.range()];
            let t0 = Instant::now();
            let got = r.split(w);
            t.split_ns += t0.elapsed().as_nanos();
            if let Some(p) = got {
                let how = if r.lexicon().entry(&normalize(w, Profile::Search)).is_some() {
                    "glue key"
                } else {
                    "search"
                };
                t.splits
                    .push((w.to_string(), format!("{}\t[{how}]", khabar_text::repair::respace(w, &p))));
            }
        }
    }
    t
}

pub fn eval(a: EvalArgs) -> anyhow::Result<()> {
    let blob =
        Blob::read(&a.lexicon).with_context(|| format!("reading {}", a.lexicon.display()))?;
    let mut lex =
        Lexicon::from_blob(blob).with_context(|| format!("loading {}", a.lexicon.display()))?;
    let p = a.params.apply(lex.params());
    lex.set_params(p);
    println!(
        "lexicon {}: {} keys, {} training tokens; params {:?}",
        a.lexicon.display(),
        lex.len(),
        lex.total(),
        p
    );
    let r = Repairer::new(lex);

    let mut tallies = Vec::new();
    let aner = read_tagged(&a.anercorp_test)
        .with_context(|| format!("reading {}", a.anercorp_test.display()))?;
    tallies.push(count_splits(
        &r,
        "ANERcorp test",
        aner.iter().map(|s| {
            s.iter()
                .map(|(t, _)| t.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        }),
    ));
    let padt =
        read_conllu(&a.padt_test).with_context(|| format!("reading {}", a.padt_test.display()))?;
    tallies.push(count_splits(&r, "PADT test", padt.iter().map(padt_text)));
    let texts = read_bodies(&a.corpus)?;
    let h = Holdout::new(&texts, a.holdout.dev_bytes, a.holdout.test_bytes);
    let (from, to) = match a.slice.as_str() {
        "test" => (h.test_start, texts.len()),
        "dev" => (h.dev_start, h.test_start),
        other => anyhow::bail!("--slice must be `test` or `dev`, not `{other}`"),
    };
    let bytes: usize = texts[from..to].iter().map(String::len).sum();
    tallies.push(count_splits(
        &r,
        &format!(
            "SaudiNewsNet {} (articles {from}..{to}, {bytes} bytes)",
            a.slice
        ),
        texts[from..to].iter().cloned(),
    ));

    println!("\nsplits on text that should have none (per 10,000 word tokens):");
    for t in &tallies {
        println!(
            "  {:<58} {:>7} tokens {:>7} words {:>5} splits  {:.2} / 10k words",
            t.name,
            t.tokens,
            t.words,
            t.splits.len(),
            t.splits.len() as f64 * 10_000.0 / t.words.max(1) as f64
        );
        println!(
            "      split(): {:.0} ns per word (timer included)",
            t.split_ns as f64 / t.words.max(1) as f64
        );
        if a.show {
            for (w, s) in &t.splits {
                println!("      {w}\t→ {s}");
            }
        }
    }

    let cases = std::fs::read_to_string(&a.glued)
        .with_context(|| format!("reading {}", a.glued.display()))?;
    let (mut n, mut hit) = (0, 0);
    let mut misses = Vec::new();
    for line in cases
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
    {
        let Some((glued, want)) = line.split_once('\t') else {
            continue;
        };
        let want = want.split('\t').next().unwrap_or(want).trim();
        n += 1;
        let got = r
            .split(glued.trim())
            .map(|p| khabar_text::repair::respace(glued.trim(), &p))
            .unwrap_or_else(|| glued.trim().to_string());
        if got == want {
            hit += 1;
        } else {
            misses.push((glued.to_string(), want.to_string(), got));
        }
    }
    println!(
        "\nglued cases {}: {hit}/{n} repaired exactly (recall {:.1}%)",
        a.glued.display(),
        100.0 * hit as f64 / n.max(1) as f64
    );
    if a.show {
        for (g, w, got) in &misses {
            println!("      miss: {g}\twant {w}\tgot {got}");
        }
    }
    Ok(())
}
