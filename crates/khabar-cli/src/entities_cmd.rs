//! `khabar eval entities`: PERS/LOC/ORG mentions of the pipeline against the real-news
//! entity fixture (SaudiNewsNet and ANT articles referred to by line).

use std::path::PathBuf;

use anyhow::{Context, Result};
use khabar::ner::fixture::{parse_fixture, score_article, EntityScore};

use crate::places_cmd::FixtureArgs;

/// Flags.
#[derive(clap::Args, Debug)]
#[command(after_help = "Example:\n  khabar eval entities crates/khabar/tests/data/entities/tune.tsv crates/khabar/tests/data/entities/sealed.tsv")]
pub struct EvalArgs {
    /// Fixture files (`# REF` lines, then `article<TAB>start<TAB>end<TAB>type<TAB>surface`); each is scored apart.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub fixture: FixtureArgs,
}

fn report(name: &str, s: &EntityScore) {
    let (p, r, f) = s.prf(None);
    let gold: usize = s.gold.iter().sum();
    println!(
        "{name}: {gold} gold mentions, {} found; span + type P {p:.3} R {r:.3} F1 {f:.3}; span alone R {:.3}",
        s.system.iter().sum::<usize>(),
        if gold == 0 { 1.0 } else { s.span_only as f64 / gold as f64 }
    );
    for (i, t) in ["PERS", "LOC", "ORG"].iter().enumerate() {
        let (p, r, f) = s.prf(Some(i));
        println!("  {t:<4} gold {:>4} found {:>4} correct {:>4}  P {p:.3} R {r:.3} F1 {f:.3}", s.gold[i], s.system[i], s.correct[i]);
    }
}

pub fn eval(a: EvalArgs) -> Result<()> {
    let pipeline = a.fixture.pipeline()?;
    let mut total = EntityScore::default();
    for file in &a.files {
        let text = std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
        let by_article = parse_fixture(&text).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
        let refs: Vec<&str> = by_article.keys().map(String::as_str).collect();
        let mut score = EntityScore::default();
        let mut errors = Vec::new();
        a.fixture.analyze_each(&pipeline, &refs, file, |art, doc| errors.extend(score_article(art, doc, &by_article[art], &mut score)))?;
        report(&file.display().to_string(), &score);
        a.fixture.print_errors(file, &errors);
        total.add(&score);
    }
    if a.files.len() > 1 {
        report("all", &total);
    }
    Ok(())
}
