//! `khabar eval entities`: PERS/LOC/ORG mentions of the pipeline against the real-news
//! entity fixture (SaudiNewsNet and ANT articles referred to by line).

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use khabar::ner::fixture::{parse_fixture, score_article, EntityScore};

use crate::analyze::ModelArgs;
use crate::places_cmd::{print_errors, Corpora};

/// Flags.
#[derive(clap::Args, Debug)]
#[command(after_help = "Example:\n  khabar eval entities crates/khabar/tests/data/entities/tune.tsv crates/khabar/tests/data/entities/sealed.tsv")]
pub struct EvalArgs {
    /// Fixture files (`# REF` lines, then `article<TAB>start<TAB>end<TAB>type<TAB>surface`); each is scored apart.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub corpora: Corpora,
    /// Print each missed or spurious mention (not for a file named `sealed*`).
    #[arg(long)]
    pub show_errors: bool,
    #[command(flatten)]
    pub models: ModelArgs,
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
    let pipeline = a.models.pipeline(khabar::Profile::Search, khabar::MAX_DOCUMENT_BYTES)?;
    let mut total = EntityScore::default();
    for file in &a.files {
        let text = std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
        let by_article = parse_fixture(&text).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
        let texts = a.corpora.articles(by_article.keys().map(String::as_str), file)?;
        let mut score = EntityScore::default();
        let mut errors = Vec::new();
        for (art, golds) in &by_article {
            let Some((text, date)) = texts.get(art) else { bail!("{}: article {art} not found", file.display()) };
            let date = date.as_deref().and_then(|d| khabar::parse_date(d).ok());
            let doc = pipeline.analyze(text, date)?;
            errors.extend(score_article(art, &doc, golds, &mut score));
        }
        report(&file.display().to_string(), &score);
        print_errors(file, &errors, a.show_errors);
        total.add(&score);
    }
    if a.files.len() > 1 {
        report("all", &total);
    }
    Ok(())
}
