//! `khabar eval tokens`: sentence and token agreement with UD Arabic-PUD.

use std::path::PathBuf;

use anyhow::{Context, Result};
use khabar_text::{agreement, corpus};

/// Flags of `khabar eval tokens`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// A CoNLL-U file with `# text` comments.
    #[arg(long, default_value = "../shared/data/pud/test.conllu")]
    pub conllu: PathBuf,
    /// Print this many sentences where the tokens disagree.
    #[arg(long, default_value_t = 0)]
    pub show: usize,
}

pub fn run(a: Args) -> Result<()> {
    let sents = corpus::read_conllu(&a.conllu).with_context(|| format!("cannot read {}", a.conllu.display()))?;
    let r = agreement::measure(&sents, a.show);
    println!("treebank     {}  ({} sentences, {} not alignable with # text)", a.conllu.display(), sents.len(), r.unaligned);
    for (name, p) in [("tokens", r.tokens), ("sentences", r.sentences)] {
        println!(
            "{name:<12} P {:.2}%  R {:.2}%  F1 {:.2}%  (gold {}, predicted {}, exact {})",
            100.0 * p.precision(),
            100.0 * p.recall(),
            100.0 * p.f1(),
            p.gold,
            p.predicted,
            p.correct
        );
    }
    for (g, p) in &r.examples {
        println!("\ngold: {g}\nours: {p}");
    }
    Ok(())
}
