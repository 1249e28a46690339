//! `khabar train segmenter` and `khabar eval segment`.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use khabar_model::Blob;
use khabar_text::segment::train::{self as st, Example};
use khabar_text::segment::Segmenter;

/// Training flags.
#[derive(clap::Args, Debug)]
pub struct TrainArgs {
    /// UD Arabic-PUD CoNLL-U (surface tokens from SpaceAfter=No).
    #[arg(long)]
    pud: Option<PathBuf>,
    /// UD Arabic-PADT v1.3 CoNLL-U (dev split; never the test split).
    #[arg(long)]
    padt: Option<PathBuf>,
    /// Unlabeled news corpus, JSON Lines with a `text` field, gzip allowed (SaudiNewsNet).
    #[arg(long)]
    corpus: PathBuf,
    /// Read at most this many MB of corpus text (default: all).
    #[arg(long)]
    corpus_mb: Option<usize>,
    /// Where to write the model.
    #[arg(long)]
    out: PathBuf,
    /// Perceptron epochs.
    #[arg(long, default_value_t = 10)]
    epochs: usize,
    /// log2 of the hashed weight table size.
    #[arg(long, default_value_t = 19)]
    weight_bits: u32,
    /// Precompute the decision of corpus words seen at least this often.
    #[arg(long, default_value_t = 2)]
    cache_min_count: u32,
    /// Hold out every N-th sentence of the training data as a dev slice and report on it
    /// (0: train on everything).
    #[arg(long, default_value_t = 0)]
    holdout: usize,
    /// Print this many dev errors.
    #[arg(long, default_value_t = 0)]
    show_errors: usize,
}

/// Evaluation flags.
#[derive(clap::Args, Debug)]
pub struct EvalArgs {
    /// The model (default: models/segmenter.khm).
    #[arg(long, default_value = "models/segmenter.khm")]
    model: PathBuf,
    /// Farasa's WikiNews reference (`WikiNews.pos.ref`), mapped to khabar's scheme.
    #[arg(long)]
    wikinews: Option<PathBuf>,
    /// UD Arabic-PADT v1.3 test CoNLL-U.
    #[arg(long)]
    padt: Option<PathBuf>,
    /// UD Arabic-PUD CoNLL-U (training data: a sanity check, not a test figure).
    #[arg(long)]
    pud: Option<PathBuf>,
    /// Print this many errors per test set.
    #[arg(long, default_value_t = 0)]
    show_errors: usize,
    /// Also print the segmentation of these words.
    #[arg(long = "word")]
    words: Vec<String>,
}

fn flatten(s: Vec<Vec<Example>>, holdout: usize, train: &mut Vec<Example>, dev: &mut Vec<Example>) {
    for (i, sent) in s.into_iter().enumerate() {
        if holdout > 0 && i % holdout == holdout - 1 {
            dev.extend(sent);
        } else {
            train.extend(sent);
        }
    }
}

pub fn train(a: TrainArgs) -> anyhow::Result<()> {
    let t0 = Instant::now();
    let (mut train, mut dev) = (Vec::new(), Vec::new());
    if let Some(p) = &a.pud {
        let s = st::read_pud(p).with_context(|| format!("reading {}", p.display()))?;
        flatten(s, a.holdout, &mut train, &mut dev);
    }
    if let Some(p) = &a.padt {
        let s = st::read_padt(p).with_context(|| format!("reading {}", p.display()))?;
        flatten(s, a.holdout, &mut train, &mut dev);
    }
    anyhow::ensure!(
        !train.is_empty(),
        "no training data: pass --pud and/or --padt"
    );
    eprintln!(
        "labeled: {} train words, {} dev words",
        train.len(),
        dev.len()
    );
    let stats = st::corpus_stats(&a.corpus, a.corpus_mb.map(|m| m << 20))
        .with_context(|| format!("reading {}", a.corpus.display()))?;
    eprintln!(
        "corpus: {} articles, {} words, {} types ({:.1}s)",
        stats.articles,
        stats.tokens,
        stats.types(),
        t0.elapsed().as_secs_f64()
    );
    let cfg = st::TrainConfig {
        epochs: a.epochs,
        weight_bits: a.weight_bits,
        cache_min_count: a.cache_min_count,
        ..Default::default()
    };
    let (seg, rep) = st::train(&train, &stats, &cfg);
    eprintln!(
        "trained on {} words ({} unrepresentable, {} errors in the last epoch); table {} words, {} cached splits ({:.1}s)",
        rep.examples,
        rep.unrepresentable,
        rep.last_epoch_errors,
        rep.table_words,
        rep.cached_splits,
        t0.elapsed().as_secs_f64()
    );
    dev.retain(|e| !e.unanalysed);
    if !dev.is_empty() {
        let r = st::evaluate(&seg, &dev);
        println!(
            "dev: {:.2}% ({}/{})",
            100.0 * r.accuracy(),
            r.correct,
            r.total
        );
        for (s, g, p) in r.errors.iter().take(a.show_errors) {
            println!("  {s}\tgold {g}\tgot {p}");
        }
    }
    let bytes = seg.to_bytes();
    std::fs::write(&a.out, &bytes).with_context(|| format!("writing {}", a.out.display()))?;
    eprintln!("wrote {} ({} bytes)", a.out.display(), bytes.len());
    Ok(())
}

fn report(name: &str, seg: &Segmenter, ex: &[Example], extra: &str, show: usize) {
    let r = st::evaluate(seg, ex);
    println!(
        "{name}: {:.2}% word accuracy ({}/{} words{extra})",
        100.0 * r.accuracy(),
        r.correct,
        r.total
    );
    for (s, g, p) in r.errors.iter().take(show) {
        println!("  {s}\tgold {g}\tgot {p}");
    }
}

pub fn eval(a: EvalArgs) -> anyhow::Result<()> {
    let t = Instant::now();
    let blob = Blob::read(&a.model).with_context(|| format!("reading {}", a.model.display()))?;
    let seg =
        Segmenter::from_blob(blob).with_context(|| format!("loading {}", a.model.display()))?;
    eprintln!(
        "loaded {} in {:.1} ms",
        a.model.display(),
        t.elapsed().as_secs_f64() * 1e3
    );
    for w in &a.words {
        let segs: Vec<String> = seg.segment(w).into_iter().map(|s| s.form).collect();
        println!("{w}\t{}", segs.join(" + "));
    }
    anyhow::ensure!(
        a.wikinews.is_some() || a.padt.is_some() || a.pud.is_some() || !a.words.is_empty(),
        "pass --wikinews, --padt, --pud or --word"
    );
    if let Some(p) = &a.wikinews {
        let (ex, skipped) =
            st::read_wikinews(p).with_context(|| format!("reading {}", p.display()))?;
        report(
            "WikiNews",
            &seg,
            &ex,
            &format!("; {skipped} tokens not mappable"),
            a.show_errors,
        );
    }
    if let Some(p) = &a.padt {
        let ex: Vec<Example> = st::read_padt(p)?.into_iter().flatten().collect();
        report("PADT test (all words)", &seg, &ex, "", 0);
        let analysed: Vec<Example> = ex.into_iter().filter(|e| !e.unanalysed).collect();
        report(
            "PADT test (analysed words)",
            &seg,
            &analysed,
            ", without the analyser's unsplit X words",
            a.show_errors,
        );
    }
    if let Some(p) = &a.pud {
        let ex: Vec<Example> = st::read_pud(p)?.into_iter().flatten().collect();
        report("PUD (training data)", &seg, &ex, "", a.show_errors);
    }
    Ok(())
}
