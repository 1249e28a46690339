//! `khabar eval quotes`: quotes found, and found with the right speaker, on the real-news
//! quote fixture (articles of SaudiNewsNet and ANT referred to by line).

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use khabar::quotes::{parse_fixture, score_article, GoldQuote, QuoteScore};

use crate::analyze::ModelArgs;
use crate::places_cmd::{print_errors, Corpora};

/// Flags.
#[derive(clap::Args, Debug)]
#[command(after_help = "Example:\n  khabar eval quotes crates/khabar/tests/data/quotes/tune.tsv crates/khabar/tests/data/quotes/sealed.tsv")]
pub struct EvalArgs {
    /// Fixture files (`article<TAB>start<TAB>end<TAB>speaker`); each is scored apart.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub corpora: Corpora,
    /// Print each missed, spurious or wrongly attributed quote (not for a file named `sealed*`).
    #[arg(long)]
    pub show_errors: bool,
    #[command(flatten)]
    pub models: ModelArgs,
}

fn line(name: &str, s: &QuoteScore) -> String {
    let (p, r, f) = s.with_speaker();
    let (cp, cr, cf) = s.content_only();
    format!(
        "{name}: {} gold quotes, {} found; with speaker P {:.3} R {:.3} F1 {:.3}; content only P {:.3} R {:.3} F1 {:.3}",
        s.gold, s.system, p, r, f, cp, cr, cf
    )
}

pub fn eval(a: EvalArgs) -> Result<()> {
    let pipeline = a.models.pipeline(khabar::Profile::Search, khabar::MAX_DOCUMENT_BYTES)?;
    let mut total = QuoteScore::default();
    for file in &a.files {
        let text = std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
        let golds = parse_fixture(&text).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
        // Every annotated article, also one with no quote (a `# snn:N` line lists it).
        let mut by_article: BTreeMap<String, Vec<&GoldQuote>> = BTreeMap::new();
        for l in text.lines().filter_map(|l| l.strip_prefix("# ")).filter(|l| l.starts_with("snn:") || l.starts_with("ant:")) {
            by_article.entry(l.trim().to_string()).or_default();
        }
        for g in &golds {
            by_article.entry(g.article.clone()).or_default().push(g);
        }
        let texts = a.corpora.articles(by_article.keys().map(String::as_str), file)?;
        let mut score = QuoteScore::default();
        let mut errors = Vec::new();
        for (art, gs) in &by_article {
            let Some((text, date)) = texts.get(art) else { bail!("{}: article {art} not found", file.display()) };
            let date = date.as_deref().and_then(|d| khabar::parse_date(d).ok());
            let doc = pipeline.analyze(text, date)?;
            errors.extend(score_article(art, &doc, gs, &mut score));
        }
        println!("{}", line(&file.display().to_string(), &score));
        print_errors(file, &errors, a.show_errors);
        total.add(&score);
    }
    if a.files.len() > 1 {
        println!("{}", line("all", &total));
    }
    Ok(())
}
