//! `khabar eval quotes`: quotes found, and found with the right speaker, on the real-news
//! quote fixture (articles of SaudiNewsNet and ANT referred to by line).

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::{Context, Result};
use khabar::quotes::{parse_fixture, score_article, GoldQuote, QuoteScore};

use crate::places_cmd::FixtureArgs;

/// Flags.
#[derive(clap::Args, Debug)]
#[command(after_help = "Example:\n  khabar eval quotes crates/khabar/tests/data/quotes/tune.tsv crates/khabar/tests/data/quotes/sealed.tsv")]
pub struct EvalArgs {
    /// Fixture files (`article<TAB>start<TAB>end<TAB>speaker`); each is scored apart.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub fixture: FixtureArgs,
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
    let pipeline = a.fixture.pipeline()?;
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
        let refs: Vec<&str> = by_article.keys().map(String::as_str).collect();
        let mut score = QuoteScore::default();
        let mut errors = Vec::new();
        a.fixture.analyze_each(&pipeline, &refs, file, |art, doc| errors.extend(score_article(art, doc, &by_article[art], &mut score)))?;
        println!("{}", line(&file.display().to_string(), &score));
        a.fixture.print_errors(file, &errors);
        total.add(&score);
    }
    if a.files.len() > 1 {
        println!("{}", line("all", &total));
    }
    Ok(())
}
