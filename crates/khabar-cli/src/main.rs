//! The `khabar` command. All behaviour lives in the libraries; this crate parses flags,
//! reads and writes files, draws progress bars and turns errors into messages and exit codes
//! (2 on error, 0 on a closed pipe).

use std::process::ExitCode;

use clap::{Parser, Subcommand};

// The text layer allocates small strings per token; mimalloc's thread-local free lists
// cost a fraction of glibc malloc's consolidation in that pattern (measured with `khabar bench`).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod analyze;
mod bench;
mod corpus_cmd;
mod doc_cmd;
mod entities_cmd;
mod input;
mod kb_cmd;
mod lexicon_cmd;
mod ner_cmd;
mod orgs_cmd;
mod places_cmd;
mod quotes_cmd;
mod segment_cmd;
mod tokens_cmd;

/// khabar (خبر): Arabic news understanding.
///
/// Turns raw Arabic news text into tokens, clitic segments, repaired glued words, named
/// entities, quotes, dates and story boundaries, as JSON whose offsets are Unicode code
/// points into the untouched original.
#[derive(Parser, Debug)]
#[command(name = "khabar", version, propagate_version = true, max_term_width = 100)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Analyze texts or a JSONL corpus and print the contract's JSON (or a rendering).
    Analyze(analyze::Args),
    /// Train a model or lexicon from ../shared/data.
    #[command(subcommand)]
    Train(TrainCommand),
    /// Measure accuracy on a test set.
    #[command(subcommand)]
    Eval(EvalCommand),
    /// Measure throughput and memory of the pipeline on a corpus.
    Bench(bench::Args),
    /// Build a search index over a JSONL corpus.
    Index(corpus_cmd::IndexArgs),
    /// Search an index.
    Search(corpus_cmd::SearchArgs),
    /// Find near-duplicate articles (MinHash + LSH).
    Dedup(corpus_cmd::DedupArgs),
    /// The resolved places of an index (or of a query's articles) as GeoJSON or CSV.
    Places(corpus_cmd::PlacesArgs),
    /// The entities of an index, most mentioned first (likely noise left out).
    Entities(corpus_cmd::EntitiesArgs),
    /// Look names up in the knowledge base (places, currencies, name parts, corpus names).
    Kb(kb_cmd::LookupArgs),
    /// Serve the HTTP API and the web page.
    Serve(corpus_cmd::ServeArgs),
}

#[derive(Subcommand, Debug)]
enum TrainCommand {
    /// Build the word-frequency lexicon used to repair glued words.
    Lexicon(lexicon_cmd::TrainArgs),
    /// Train the clitic segmenter.
    Segmenter(segment_cmd::TrainArgs),
    /// Build the knowledge base (GeoNames, CLDR, Wikidata names, corpus names).
    Kb(kb_cmd::TrainArgs),
    /// Build the country table of place linking (GeoNames ids, capitals, nationality adjectives).
    Countries(kb_cmd::CountriesArgs),
    /// Train the named-entity tagger (and its fine-type classifier).
    Ner(Box<ner_cmd::TrainArgs>),
    /// Retrain only the fine-type (`subtype`) classifier of a NER model.
    Subtypes(ner_cmd::SubtypeArgs),
    /// Learn where organizations' names end from unlabeled news, for a NER model.
    Extents(ner_cmd::ExtentArgs),
    /// Learn organizations' own names from unlabeled news (`تنظيم داعش`، `جماعة الحوثي`), for a NER model.
    Orgs(orgs_cmd::OrgArgs),
}

#[derive(Subcommand, Debug)]
enum EvalCommand {
    /// Sentence and token agreement with a CoNLL-U treebank that has `# text` (UD PUD).
    Tokens(tokens_cmd::Args),
    /// Word-level clitic segmentation accuracy (WikiNews, PADT test).
    Segment(segment_cmd::EvalArgs),
    /// Count glued-word splits on clean text (false splits) and check known glued cases.
    Repair(lexicon_cmd::EvalArgs),
    /// Precision, recall and F1 of named entities (CoNLL exact spans).
    Ner(ner_cmd::EvalArgs),
    /// Entity linking, quotes, times and headlines against a gold document set.
    Doc(doc_cmd::Args),
    /// Precision and recall of place linking (GeoNames ids) on the annotated fixture.
    Places(places_cmd::EvalArgs),
    /// Quotes found and found with the right speaker on the real-news quote fixture.
    Quotes(quotes_cmd::EvalArgs),
    /// PERS/LOC/ORG mentions on the real-news entity fixture.
    Entities(entities_cmd::EvalArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Analyze(a) => analyze::run(a),
        Command::Train(TrainCommand::Lexicon(a)) => lexicon_cmd::train(a),
        Command::Train(TrainCommand::Segmenter(a)) => segment_cmd::train(a),
        Command::Train(TrainCommand::Ner(a)) => ner_cmd::train(*a),
        Command::Train(TrainCommand::Kb(a)) => kb_cmd::train(a),
        Command::Train(TrainCommand::Subtypes(a)) => ner_cmd::train_subtypes(a),
        Command::Train(TrainCommand::Extents(a)) => ner_cmd::train_extents(a),
        Command::Train(TrainCommand::Orgs(a)) => orgs_cmd::train_orgs(a),
        Command::Train(TrainCommand::Countries(a)) => kb_cmd::train_countries(a),
        Command::Kb(a) => kb_cmd::lookup(a),
        Command::Eval(EvalCommand::Tokens(a)) => tokens_cmd::run(a),
        Command::Eval(EvalCommand::Segment(a)) => segment_cmd::eval(a),
        Command::Eval(EvalCommand::Repair(a)) => lexicon_cmd::eval(a),
        Command::Eval(EvalCommand::Ner(a)) => ner_cmd::eval(a),
        Command::Eval(EvalCommand::Doc(a)) => doc_cmd::run(a),
        Command::Eval(EvalCommand::Places(a)) => places_cmd::eval(a),
        Command::Eval(EvalCommand::Quotes(a)) => quotes_cmd::eval(a),
        Command::Eval(EvalCommand::Entities(a)) => entities_cmd::eval(a),
        Command::Bench(a) => bench::run(a),
        Command::Index(a) => corpus_cmd::index(a),
        Command::Search(a) => corpus_cmd::search(a),
        Command::Dedup(a) => corpus_cmd::dedup(a),
        Command::Places(a) => corpus_cmd::places(a),
        Command::Entities(a) => corpus_cmd::entities(a),
        Command::Serve(a) => corpus_cmd::serve(a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("khabar: error: {}", message(&e));
            ExitCode::from(2)
        }
    }
}

/// The error and its causes, `: `-joined, leaving out a cause whose text the message
/// already ends with (library errors that print their source, such as
/// `cannot read x.khm: No such file or directory`, would otherwise show it twice).
fn message(e: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in e.chain() {
        let c = cause.to_string();
        if out.is_empty() {
            out = c;
        } else if !out.ends_with(&c) {
            out.push_str(": ");
            out.push_str(&c);
        }
    }
    out
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe))
}
