//! `khabar bench`: throughput (documents/s, MB/s) and peak memory of the pipeline over a
//! corpus, for the figures in the README. Criterion benches (`cargo bench`) cover the
//! individual text-layer steps.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use khabar::{Document, Pipeline, Profile};
use rayon::prelude::*;

/// Flags of `khabar bench`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// JSONL corpus (gzip when it ends in .gz).
    #[arg(long, default_value = "../shared/data/saudinewsnet/articles.jsonl.gz")]
    pub input: PathBuf,
    /// The field with the article text.
    #[arg(long, default_value = "text")]
    pub text_field: String,
    /// Use the first this many megabytes of text.
    #[arg(long, default_value_t = 10)]
    pub mb: usize,
    /// Which layers: `text` (normalize, sentences, tokens, repair, segments, stem) or `all`.
    #[arg(long, default_value = "text", value_parser = ["text", "all"])]
    pub layers: String,
    /// Thread counts to measure, comma-separated.
    #[arg(long, default_value = "1,2", value_delimiter = ',')]
    pub threads: Vec<usize>,
    /// Repeat each measurement this many times and keep the fastest.
    #[arg(long, default_value_t = 2)]
    pub repeat: usize,
    #[command(flatten)]
    pub models: crate::analyze::ModelArgs,
}

pub fn run(a: Args) -> Result<()> {
    if a.threads.iter().any(|&t| t == 0) || a.repeat == 0 || a.mb == 0 {
        bail!("--threads, --repeat and --mb must be at least 1");
    }
    let mut docs = Vec::new();
    let mut bytes = 0usize;
    khabar_text::corpus::for_each_jsonl_field(&a.input, &a.text_field, Some(a.mb << 20), |t| {
        bytes += t.len();
        docs.push(t.to_string());
    })
    .with_context(|| format!("cannot read {}", a.input.display()))?;
    if docs.is_empty() {
        bail!("no `{}` text found in {}", a.text_field, a.input.display());
    }
    let t0 = Instant::now();
    let pipeline: Pipeline = a.models.builder(Profile::Search, khabar::MAX_DOCUMENT_BYTES)?.text_only(a.layers == "text").build()?;
    let load = t0.elapsed();
    println!("corpus      {} ({} documents, {:.1} MB of text)", a.input.display(), docs.len(), bytes as f64 / 1e6);
    println!("pipeline    {} (loaded in {:.1} ms)", pipeline.stage_names().join(" → "), load.as_secs_f64() * 1e3);
    let mut base = None;
    for &threads in &a.threads {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().context("cannot start threads")?;
        let mut best = f64::MAX;
        let mut tokens = 0usize;
        for _ in 0..a.repeat {
            let start = Instant::now();
            let counts: Result<Vec<usize>, khabar::Error> = pool.install(|| {
                docs.par_iter()
                    .map_init(Document::default, |doc, text| pipeline.analyze_into(text, None, doc).map(|()| doc.tokens.len()))
                    .collect()
            });
            // Every document must analyze: a failure here is a bug worth stopping for.
            tokens = counts.context("a document failed to analyze")?.iter().sum();
            best = best.min(start.elapsed().as_secs_f64());
        }
        let mbs = bytes as f64 / 1e6 / best;
        let speedup = base.map(|b: f64| mbs / b).unwrap_or(1.0);
        base.get_or_insert(mbs);
        println!(
            "threads {threads}   {:>8.1} docs/s  {:>6.2} MB/s  {:>10.0} tokens/s  ({:.2}x of 1 thread, best of {})",
            docs.len() as f64 / best,
            mbs,
            tokens as f64 / best,
            speedup,
            a.repeat
        );
    }
    if let Some(rss) = peak_rss_kb() {
        println!("peak RSS    {:.1} MB (includes the corpus held in memory: {:.1} MB)", rss as f64 / 1024.0, bytes as f64 / 1e6);
    }
    Ok(())
}

/// Peak resident set size from /proc (Linux); `None` elsewhere.
pub fn peak_rss_kb() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    s.lines().find(|l| l.starts_with("VmHWM:"))?.split_whitespace().nth(1)?.parse().ok()
}
