//! `khabar eval places`: precision and recall of place linking on the annotated fixture.

use std::collections::{BTreeMap, HashMap};
use std::io::BufRead;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use khabar::places::{parse_fixture, score_article, GoldMention, LinkScore};

use crate::analyze::ModelArgs;

/// Flags.
#[derive(clap::Args, Debug)]
#[command(after_help = "Example:\n  khabar eval places crates/khabar/tests/data/places/tune.tsv crates/khabar/tests/data/places/sealed.tsv")]
pub struct EvalArgs {
    /// Fixture files (`article<TAB>start<TAB>end<TAB>surface<TAB>gold`); each is scored apart.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub fixture: FixtureArgs,
}

/// What every evaluation on a real-news fixture (places, quotes, entities) takes besides
/// its files.
#[derive(clap::Args, Debug)]
pub struct FixtureArgs {
    #[command(flatten)]
    pub corpora: Corpora,
    /// Print each error under its file's score: a wrong, missed or spurious answer (not for
    /// a file named `sealed*`).
    #[arg(long)]
    pub show_errors: bool,
    #[command(flatten)]
    pub models: ModelArgs,
}

impl FixtureArgs {
    /// The pipeline the fixtures are scored with.
    pub(crate) fn pipeline(&self) -> Result<khabar::Pipeline> {
        self.models.pipeline(khabar::Profile::Search, khabar::MAX_DOCUMENT_BYTES)
    }

    /// Analyzes each named article (`snn:N` / `ant:N`) of a fixture file with its date and
    /// hands it to `score`, in the order of `refs`.
    ///
    /// # Errors
    /// An unreadable corpus, an article the corpus lacks, a failed analysis.
    pub(crate) fn analyze_each<'a>(
        &self,
        pipeline: &khabar::Pipeline,
        refs: &[&'a str],
        file: &Path,
        mut score: impl FnMut(&'a str, &khabar::Document),
    ) -> Result<()> {
        let texts = self.corpora.articles(refs.iter().copied(), file)?;
        for &art in refs {
            let Some((text, date)) = texts.get(art) else { bail!("{}: article {art} not found", file.display()) };
            let date = date.as_deref().and_then(|d| khabar::parse_date(d).ok());
            score(art, &pipeline.analyze(text, date)?);
        }
        Ok(())
    }

    /// Prints a fixture file's errors under its score when asked, except for a sealed split
    /// (a file named `sealed*`): that one is reported, never read error by error.
    pub(crate) fn print_errors(&self, file: &Path, errors: &[String]) {
        if !self.show_errors {
            return;
        }
        if file.file_name().is_some_and(|n| n.to_string_lossy().starts_with("sealed")) {
            println!("  (errors of a sealed file are not printed)");
            return;
        }
        for e in errors {
            println!("  {e}");
        }
    }
}

/// Where the fixtures' articles are: `snn:N` / `ant:N` name line N (from 1) of these files.
#[derive(clap::Args, Debug)]
pub struct Corpora {
    /// SaudiNewsNet's articles (`snn:N` is its line N).
    #[arg(long, value_name = "PATH", default_value = "../shared/data/saudinewsnet/articles.jsonl.gz")]
    pub saudinewsnet: PathBuf,
    /// ANT's articles (`ant:N` is its line N).
    #[arg(long, value_name = "PATH", default_value = "../shared/data/ant/articles.jsonl.gz")]
    pub ant: PathBuf,
}

impl Corpora {
    /// The text and date of each named article, read in one pass per corpus; `file` names
    /// the fixture in errors.
    ///
    /// # Errors
    /// A name that is not `snn:N` / `ant:N`, an unreadable corpus.
    pub(crate) fn articles<'a>(&self, refs: impl IntoIterator<Item = &'a str>, file: &Path) -> Result<HashMap<String, (String, Option<String>)>> {
        let mut lines: HashMap<&str, Vec<usize>> = HashMap::new();
        for art in refs {
            let Some((corpus, n)) = art.split_once(':') else { bail!("{}: article `{art}` is not corpus:line", file.display()) };
            let n: usize = n.parse().with_context(|| format!("{}: article `{art}`", file.display()))?;
            lines.entry(corpus).or_default().push(n);
        }
        let mut texts = HashMap::new();
        for (corpus, ns) in &lines {
            let path = match *corpus {
                "snn" => &self.saudinewsnet,
                "ant" => &self.ant,
                other => bail!("{}: unknown corpus `{other}` (snn or ant)", file.display()),
            };
            for (n, t) in read_lines(path, ns)? {
                texts.insert(format!("{corpus}:{n}"), t);
            }
        }
        Ok(texts)
    }
}

/// The `text` (and date) of the given lines of a JSONL.gz file.
fn read_lines(path: &Path, wanted: &[usize]) -> Result<HashMap<usize, (String, Option<String>)>> {
    let mut out = HashMap::new();
    if wanted.is_empty() {
        return Ok(out);
    }
    let f = std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let r = std::io::BufReader::new(flate2::read::GzDecoder::new(f));
    let last = wanted.iter().copied().max().unwrap_or(0);
    for (i, line) in r.lines().enumerate() {
        let n = i + 1;
        if n > last {
            break;
        }
        let line = line.with_context(|| format!("reading {}", path.display()))?;
        if wanted.contains(&n) {
            let v: serde_json::Value = serde_json::from_str(&line).with_context(|| format!("{} line {n}", path.display()))?;
            let date = v["date"].as_str().and_then(|d| d.get(..10)).map(str::to_string);
            out.insert(n, (v["text"].as_str().unwrap_or("").to_string(), date));
        }
    }
    Ok(out)
}

pub fn eval(a: EvalArgs) -> Result<()> {
    let pipeline = a.fixture.pipeline()?;
    let mut total = LinkScore::default();
    for file in &a.files {
        let text = std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
        let golds = parse_fixture(&text).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
        let mut by_article: BTreeMap<&str, Vec<&GoldMention>> = BTreeMap::new();
        for g in &golds {
            by_article.entry(g.article.as_str()).or_default().push(g);
        }
        let refs: Vec<&str> = by_article.keys().copied().collect();
        let mut score = LinkScore::default();
        let mut errors = Vec::new();
        a.fixture.analyze_each(&pipeline, &refs, file, |art, doc| errors.extend(score_article(doc, &by_article[art], &mut score)))?;
        println!(
            "{}: {} mentions, {} resolvable; resolved {}, correct {}; precision {:.2}% recall {:.2}%",
            file.display(),
            score.mentions,
            score.resolvable,
            score.resolved,
            score.correct,
            100.0 * score.precision(),
            100.0 * score.recall()
        );
        a.fixture.print_errors(file, &errors);
        total.mentions += score.mentions;
        total.resolvable += score.resolvable;
        total.resolved += score.resolved;
        total.correct += score.correct;
    }
    if a.files.len() > 1 {
        println!(
            "all: {} mentions, {} resolvable; resolved {}, correct {}; precision {:.2}% recall {:.2}%",
            total.mentions,
            total.resolvable,
            total.resolved,
            total.correct,
            100.0 * total.precision(),
            100.0 * total.recall()
        );
    }
    Ok(())
}
