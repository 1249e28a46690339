//! The corpus commands: `khabar index`, `khabar search`, `khabar dedup`, `khabar serve`.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use khabar_index::analyzer::ArabicTokenizer;
use khabar_index::dedup::{self, Signature};
use khabar_index::search::{Corpus, Highlighted, SearchRequest};
use khabar_index::writer::{ArticleRecord, CorpusWriter, WriterOptions};
use rayon::prelude::*;

use crate::input::{self, Line};

/// Largest JSONL line read (longer ones are reported and skipped).
const MAX_LINE: usize = 32 << 20;
/// Lines analyzed together on all cores.
const BATCH: usize = 256;

/// How JSONL fields map to article fields.
#[derive(clap::Args, Debug, Clone)]
pub struct FieldArgs {
    /// The field holding the article text.
    #[arg(long, default_value = "text", value_name = "FIELD")]
    pub text_field: String,
    /// The field holding the title.
    #[arg(long, default_value = "title", value_name = "FIELD")]
    pub title_field: String,
    /// The field holding the date (`YYYY-MM-DD`, optionally with ` hh:mm:ss`).
    #[arg(long, default_value = "date", value_name = "FIELD")]
    pub date_field: String,
    /// The field holding the source (newspaper) id.
    #[arg(long, default_value = "source", value_name = "FIELD")]
    pub source_field: String,
    /// The field holding the URL.
    #[arg(long, default_value = "url", value_name = "FIELD")]
    pub url_field: String,
}

/// Flags of `khabar index`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  khabar index --input ../shared/data/saudinewsnet/articles.jsonl.gz --index idx\n  \
    khabar index --input articles.jsonl.gz --index idx --resume     # continue an interrupted run\n  \
    khabar index --input articles.jsonl.gz --index idx --text-only  # fast: no entity facets"
)]
pub struct IndexArgs {
    /// JSON Lines corpus, one article per line (gzip when the name ends in .gz; `-` for stdin).
    #[arg(long, value_name = "FILE")]
    pub input: String,
    /// The index directory (created; must be empty unless --resume).
    #[arg(long, value_name = "DIR")]
    pub index: PathBuf,
    /// Continue an interrupted run: skip the input lines the last commit holds.
    #[arg(long)]
    pub resume: bool,
    /// Run only the text layer (no NER, so no entity facets): several times faster.
    #[arg(long)]
    pub text_only: bool,
    /// Near-duplicate similarity threshold (estimated Jaccard of word 3-shingles).
    #[arg(long, default_value_t = 0.8)]
    pub threshold: f32,
    /// Commit (a durable checkpoint) at least every this many articles.
    #[arg(long, default_value_t = 5000)]
    pub commit_every: u64,
    /// Index only the first N input lines.
    #[arg(long, value_name = "N")]
    pub limit: Option<u64>,
    /// Worker threads (default: all cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Do not draw a progress bar.
    #[arg(long)]
    pub quiet: bool,
    #[command(flatten)]
    pub fields: FieldArgs,
}

/// Output format of `khabar search` and `khabar dedup`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutFormat {
    /// For people.
    Text,
    /// JSON.
    Json,
}

/// Flags of `khabar search`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Query syntax: words must all match (Arabic-aware: حفتر finds وحفتر, فايز finds فائز);\n  \
    \"a phrase\" in quotes; a OR b; -word excludes; title:word searches titles only.\n\
Examples:\n  khabar search --index idx 'الامم المتحده'\n  \
    khabar search --index idx '\"حكومة الوفاق\"' --from 2015-08-01 --to 2015-08-05 --source aawsat\n  \
    khabar search --index idx --entity 'فائز السراج' --format json"
)]
pub struct SearchArgs {
    /// The index directory.
    #[arg(long, value_name = "DIR")]
    pub index: PathBuf,
    /// The query (may be empty when filters are given).
    #[arg(default_value = "")]
    pub query: String,
    /// Only articles mentioning this entity (a name, or an id such as `PERS:فايز السراج`).
    #[arg(long, value_name = "NAME")]
    pub entity: Option<String>,
    /// From this day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Up to this day, inclusive (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Only this source.
    #[arg(long, value_name = "S")]
    pub source: Option<String>,
    /// Only articles with an amount of this kind: money, percent, count, number.
    #[arg(long, value_name = "KIND")]
    pub amount: Option<String>,
    /// Only articles with money in this currency (ISO 4217, e.g. USD, SAR).
    #[arg(long, value_name = "CODE")]
    pub currency: Option<String>,
    /// Number of results.
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub limit: usize,
    /// Results to skip.
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub offset: usize,
    /// Show near-duplicates instead of collapsing them.
    #[arg(long)]
    pub all: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutFormat,
    /// Benchmark: run every query of this file (one per line) this many times and print
    /// latency percentiles instead of results.
    #[arg(long, value_name = "FILE", hide = true)]
    pub bench_queries: Option<PathBuf>,
    /// Benchmark repetitions.
    #[arg(long, default_value_t = 5, hide = true)]
    pub bench_repeat: usize,
}

fn bench_search(corpus: &Corpus, a: &SearchArgs, file: &std::path::Path) -> Result<()> {
    let queries = bench_query_lines(file)?;
    let mut lat = Vec::new();
    let mut hits = 0usize;
    for _ in 0..a.bench_repeat.max(1) {
        for q in &queries {
            let req = SearchRequest {
                query: q.clone(),
                limit: a.limit,
                collapse: !a.all,
                ..Default::default()
            };
            let t = Instant::now();
            let r = corpus.search(&req)?;
            lat.push(t.elapsed());
            hits += r.hits.len();
        }
    }
    println!(
        "{} searches ({} queries x {}), limit {}, snippets included: {}; {} docs in index, {hits} hits shown",
        lat.len(),
        queries.len(),
        a.bench_repeat.max(1),
        a.limit,
        percentiles(&mut lat),
        corpus.num_docs()
    );
    Ok(())
}

/// The non-empty lines of a benchmark's query file.
fn bench_query_lines(file: &std::path::Path) -> Result<Vec<String>> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    Ok(text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect())
}

/// `p50 … ms, p90 … ms, p99 … ms, max … ms` of a benchmark's latencies (at least one).
fn percentiles(lat: &mut [Duration]) -> String {
    lat.sort();
    let pct = |p: f64| {
        lat.get(((lat.len() as f64 * p) as usize).min(lat.len().saturating_sub(1)))
            .map_or(0.0, |d| d.as_secs_f64() * 1e3)
    };
    format!("p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms", pct(0.5), pct(0.9), pct(0.99), pct(1.0))
}

/// Flags of `khabar dedup`.
#[derive(clap::Args, Debug)]
pub struct DedupArgs {
    /// JSON Lines corpus (gzip when the name ends in .gz).
    #[arg(long, value_name = "FILE")]
    pub input: String,
    /// Similarity threshold (estimated Jaccard of normalized word 3-shingles).
    #[arg(long, default_value_t = 0.8)]
    pub threshold: f32,
    /// Read only the first N lines.
    #[arg(long, value_name = "N")]
    pub limit: Option<u64>,
    /// Also compute the exact Jaccard similarity of every reported pair and print the
    /// precision of the MinHash estimate (share of pairs whose exact similarity reaches the threshold).
    #[arg(long)]
    pub verify: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutFormat,
    #[command(flatten)]
    pub fields: FieldArgs,
}

/// Flags of `khabar serve`.
#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    /// The index directory.
    #[arg(long, value_name = "DIR")]
    pub index: PathBuf,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: String,
    /// Largest request body, in bytes.
    #[arg(long, default_value_t = 2 << 20)]
    pub max_body: usize,
    /// Request timeout, in seconds.
    #[arg(long, default_value_t = 30)]
    pub timeout: u64,
    /// Worker threads (default: all cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Analyses running at once (default: the number of cores); more wait in a queue.
    #[arg(long, value_name = "N")]
    pub max_analyses: Option<usize>,
    /// Analyses waiting for a turn (default: twice --max-analyses); beyond it requests are
    /// refused with 503 and Retry-After.
    #[arg(long, value_name = "N")]
    pub queue: Option<usize>,
}

/// One parsed input line.
struct Parsed {
    line: u64,
    rec: ArticleRecord,
    sig: Option<Signature>,
    doc: Option<khabar::Document>,
}

enum Outcome {
    Ok(Box<Parsed>),
    Bad(u64, String),
}

fn parse_line(
    line: u64,
    bytes: &[u8],
    f: &FieldArgs,
) -> std::result::Result<ArticleRecord, String> {
    let v: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| format!("not JSON: {e}"))?;
    if !v.is_object() {
        return Err("not a JSON object".into());
    }
    let s = |k: &str| -> std::result::Result<String, String> {
        match v.get(k) {
            None | Some(serde_json::Value::Null) => Ok(String::new()),
            Some(serde_json::Value::String(s)) => Ok(s.clone()),
            Some(serde_json::Value::Number(n)) => Ok(n.to_string()),
            Some(_) => Err(format!("field `{k}` is not a string")),
        }
    };
    let date = s(&f.date_field)?;
    Ok(ArticleRecord {
        id: line,
        title: s(&f.title_field)?,
        text: s(&f.text_field)?,
        date: (!date.trim().is_empty()).then_some(date),
        source: s(&f.source_field)?,
        url: s(&f.url_field)?,
    })
}

/// One input line: its number and its bytes, or why it was not read.
type RawLine = (u64, std::result::Result<Vec<u8>, String>);

/// Cluster members: (id, the earlier article it duplicates and the similarity).
type Members = Vec<(u64, Option<(u64, f32)>)>;

/// Reads the input in batches of raw lines: `(line number, bytes)` or a too-long line.
struct LineReader {
    reader: Box<dyn io::BufRead + Send>,
    line: u64,
    limit: u64,
    buf: Vec<u8>,
    /// A read error (a truncated gzip): the number of the line it damaged and the error.
    /// The lines before it are still handed out; reading stops there.
    failed: Option<(u64, io::Error)>,
}

impl LineReader {
    fn open(name: &str, limit: Option<u64>) -> Result<LineReader> {
        let (reader, _) = input::open(name)?;
        Ok(LineReader {
            reader,
            line: 0,
            limit: limit.unwrap_or(u64::MAX),
            buf: Vec::new(),
            failed: None,
        })
    }

    /// The next batch: `Ok(bytes)` lines or `Err(message)`, with their line numbers.
    fn batch(&mut self, n: usize) -> Vec<RawLine> {
        let mut out = Vec::with_capacity(n);
        while out.len() < n && self.line < self.limit && self.failed.is_none() {
            let line = match input::read_line_capped(&mut *self.reader, MAX_LINE, &mut self.buf) {
                Ok(l) => l,
                Err(e) => {
                    self.failed = Some((self.line + 1, e));
                    break;
                }
            };
            match line {
                Line::Eof => break,
                Line::TooLong(len) => {
                    self.line += 1;
                    out.push((
                        self.line,
                        Err(format!(
                            "line is {len} bytes, above the {MAX_LINE}-byte limit"
                        )),
                    ));
                }
                Line::Ok(b) => {
                    self.line += 1;
                    if b.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    out.push((self.line, Ok(b)));
                }
            }
        }
        out
    }
}

fn spinner(show: bool, what: &str) -> ProgressBar {
    if !show {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::new_spinner().with_style(
        ProgressStyle::with_template(&format!(
            "{{spinner}} [{{elapsed_precise}}] {{pos}} {what} ({{per_sec}}) {{msg}}"
        ))
        .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    pb.set_draw_target(ProgressDrawTarget::stderr_with_hz(4));
    pb
}

fn dir_size(p: &std::path::Path) -> u64 {
    std::fs::read_dir(p)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter_map(|e| e.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

fn thread_pool(threads: Option<usize>) -> Result<rayon::ThreadPool> {
    let mut b = rayon::ThreadPoolBuilder::new();
    if let Some(n) = threads {
        b = b.num_threads(n.max(1));
    }
    b.build().context("cannot start worker threads")
}

pub fn index(a: IndexArgs) -> Result<()> {
    if !(0.0..=1.0).contains(&a.threshold) {
        bail!("--threshold must be between 0 and 1");
    }
    let started = Instant::now();
    let pool = thread_pool(a.threads)?;
    let threads = pool.current_num_threads();
    let tokenizer = ArabicTokenizer::builtin().context("cannot load the text-layer models")?;
    let pipeline = if a.text_only {
        None
    } else {
        Some(Arc::new(
            khabar::Pipeline::builtin().context("cannot load the models")?,
        ))
    };
    let opts = WriterOptions {
        threads,
        memory: 64 << 20,
        threshold: a.threshold,
    };
    let exists = a.index.join("meta.json").exists();
    let mut writer = if a.resume && exists {
        CorpusWriter::resume(&a.index, tokenizer, &opts)
            .with_context(|| format!("cannot resume {}", a.index.display()))?
    } else {
        CorpusWriter::create(&a.index, tokenizer, &opts)
            .with_context(|| format!("cannot create {}", a.index.display()))?
    };
    let resume_from = writer.checkpoint().next_line.max(1);
    let already = writer.checkpoint().articles;
    let show = !a.quiet && io::stderr().is_terminal();
    let pb = spinner(show, "articles");
    if resume_from > 1 {
        eprintln!("khabar: resuming {}: {already} articles committed, continuing at input line {resume_from}", a.index.display());
    }
    let mut reader = LineReader::open(&a.input, a.limit)?;
    let (mut indexed, mut by_title, mut skipped_empty, mut bad, mut dups) =
        (0u64, 0u64, 0u64, 0u64, 0u64);
    let mut since_commit = 0u64;
    let failed = std::sync::atomic::AtomicU64::new(0);
    let mut last_commit = Instant::now();
    let mut next_line = resume_from;
    loop {
        let batch = reader.batch(BATCH);
        if batch.is_empty() {
            break;
        }
        let last_line = batch.last().map_or(0, |b| b.0);
        let outcomes: Vec<Outcome> = pool.install(|| {
            batch
                .into_par_iter()
                .map(|(line, bytes)| {
                    let bytes = match bytes {
                        Ok(b) => b,
                        Err(e) => return Outcome::Bad(line, e),
                    };
                    let rec = match parse_line(line, &bytes, &a.fields) {
                        Ok(r) => r,
                        Err(e) => return Outcome::Bad(line, e),
                    };
                    let sig = dedup::signature(if rec.text.trim().is_empty() {
                        &rec.title
                    } else {
                        &rec.text
                    });
                    // Already committed (resume): only the signature is needed.
                    let doc = match &pipeline {
                        Some(p) if line >= resume_from => {
                            let body = if rec.text.trim().is_empty() {
                                &rec.title
                            } else {
                                &rec.text
                            };
                            // A bug in one analysis layer must not stop a corpus run: the
                            // article is still indexed, without entity facets, and counted.
                            match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                                p.analyze(body, None)
                            })) {
                                Ok(Ok(d)) => Some(d),
                                _ => {
                                    failed.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                                    None
                                }
                            }
                        }
                        _ => None,
                    };
                    Outcome::Ok(Box::new(Parsed {
                        line,
                        rec,
                        sig,
                        doc,
                    }))
                })
                .collect()
        });
        for o in outcomes {
            match o {
                Outcome::Bad(line, e) => {
                    if line >= resume_from {
                        bad += 1;
                        pb.suspend(|| eprintln!("khabar: {}: line {line}: {e}; skipped", a.input));
                    }
                }
                Outcome::Ok(p) => {
                    if p.line < resume_from {
                        writer.observe(p.rec.id, p.sig.as_ref());
                        continue;
                    }
                    let empty_text = p.rec.text.trim().is_empty();
                    if empty_text && p.rec.title.trim().is_empty() {
                        skipped_empty += 1;
                        continue;
                    }
                    if empty_text {
                        by_title += 1;
                    }
                    let asg = writer.add(&p.rec, p.doc.as_ref(), p.sig.as_ref())?;
                    if asg.nearest.is_some() {
                        dups += 1;
                    }
                    indexed += 1;
                    since_commit += 1;
                    pb.inc(1);
                }
            }
        }
        next_line = next_line.max(last_line + 1);
        if since_commit >= a.commit_every
            || (since_commit > 0 && last_commit.elapsed() > Duration::from_secs(30))
        {
            writer.commit(next_line)?;
            since_commit = 0;
            last_commit = Instant::now();
        }
    }
    pb.set_message("committing and merging segments");
    // After a read error too: what was read before the damage is committed (and a later
    // --resume continues after it).
    let cp = writer.finish(next_line)?;
    pb.finish_and_clear();
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "khabar: indexed {indexed} articles in {secs:.1} s ({:.0} articles/s on {threads} threads{}); index {} holds {} articles, {:.1} MB",
        indexed as f64 / secs.max(1e-9),
        if a.text_only { ", text layer only" } else { "" },
        a.index.display(),
        cp.articles,
        dir_size(&a.index) as f64 / 1e6
    );
    eprintln!(
        "khabar: {by_title} without text indexed by title; {skipped_empty} without text or title skipped; \
         {bad} malformed lines skipped; {dups} near-duplicates of earlier articles (threshold {})",
        cp.threshold
    );
    let failed = failed.into_inner();
    if failed > 0 {
        eprintln!("khabar: warning: the analysis failed on {failed} articles; they are indexed without entity facets");
    }
    if let Some((line, e)) = reader.failed.take() {
        return Err(anyhow::Error::new(e).context(format!(
            "{}: line {line}: cannot read further; the {indexed} articles read before it are indexed and committed; index {} holds {} articles",
            a.input,
            a.index.display(),
            cp.articles
        )));
    }
    Ok(())
}

fn open_corpus(dir: &std::path::Path) -> Result<Corpus> {
    let tokenizer = ArabicTokenizer::builtin().context("cannot load the text-layer models")?;
    Corpus::open(dir, tokenizer).with_context(|| format!("cannot open the index {}", dir.display()))
}

fn render(h: &Highlighted, color: bool) -> String {
    let mut out = String::new();
    if h.cut[0] {
        out.push('…');
    }
    let chars: Vec<char> = h.text.chars().collect();
    let mut last = 0;
    for &[s, e] in &h.highlights {
        if s < last || e > chars.len() {
            continue;
        }
        out.extend(&chars[last..s]);
        out.push_str(if color { "\x1b[1;33m" } else { "[" });
        out.extend(&chars[s..e]);
        out.push_str(if color { "\x1b[0m" } else { "]" });
        last = e;
    }
    out.extend(&chars[last..]);
    if h.cut[1] {
        out.push('…');
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub fn search(a: SearchArgs) -> Result<()> {
    let corpus = open_corpus(&a.index)?;
    if let Some(file) = &a.bench_queries {
        return bench_search(&corpus, &a, file);
    }
    let req = SearchRequest {
        query: a.query.clone(),
        entity: a.entity.clone(),
        from: a.from.clone(),
        to: a.to.clone(),
        source: a.source.clone(),
        amount_kind: a.amount.clone(),
        currency: a.currency.clone(),
        limit: a.limit,
        offset: a.offset,
        collapse: !a.all,
    };
    let t = Instant::now();
    let res = corpus.search(&req)?;
    let took = t.elapsed();
    let stdout = io::stdout();
    let color = stdout.is_terminal();
    let mut out = io::BufWriter::new(stdout.lock());
    match a.format {
        OutFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &res)?;
            writeln!(out)?;
        }
        OutFormat::Text => {
            writeln!(
                out,
                "{} matching articles{} ({:.1} ms)",
                res.total,
                if res.collapsed {
                    ", near-duplicates collapsed (--all shows them)"
                } else {
                    ""
                },
                took.as_secs_f64() * 1e3
            )?;
            for (i, h) in res.hits.iter().enumerate() {
                writeln!(out)?;
                writeln!(
                    out,
                    "{}. [{}] {}",
                    i + 1 + a.offset,
                    h.id,
                    render(&h.title, color)
                )?;
                writeln!(
                    out,
                    "   {} · {} · score {:.2}{}",
                    h.date.as_deref().unwrap_or("no date"),
                    h.source,
                    h.score,
                    if h.duplicates.is_empty() {
                        String::new()
                    } else {
                        format!(
                            " · {} near-duplicates: {:?}",
                            h.duplicates.len(),
                            h.duplicates
                        )
                    }
                )?;
                writeln!(out, "   {}", render(&h.snippet, color))?;
                if !h.url.is_empty() {
                    writeln!(out, "   {}", h.url)?;
                }
            }
        }
    }
    out.flush()?;
    Ok(())
}

pub fn dedup(a: DedupArgs) -> Result<()> {
    if !(0.0..=1.0).contains(&a.threshold) {
        bail!("--threshold must be between 0 and 1");
    }
    let started = Instant::now();
    let mut reader = LineReader::open(&a.input, a.limit)?;
    let mut lsh = dedup::Lsh::new(a.threshold);
    // Per article: (id, title, source, date) and, with --verify, its shingles.
    struct Meta {
        id: u64,
        title: String,
        source: String,
        date: String,
    }
    let mut metas: Vec<Meta> = Vec::new();
    let mut shingles: rustc_hash_map::Map = Default::default();
    // cluster id -> members (id, nearest, similarity)
    let mut clusters: std::collections::BTreeMap<u64, Members> = Default::default();
    let pb = spinner(io::stderr().is_terminal(), "articles");
    let mut bad = 0u64;
    loop {
        let batch = reader.batch(BATCH * 4);
        if batch.is_empty() {
            break;
        }
        let parsed: Vec<_> = batch
            .into_par_iter()
            .map(|(line, bytes)| {
                let rec = bytes.and_then(|b| parse_line(line, &b, &a.fields));
                rec.map(|r| {
                    let body = if r.text.trim().is_empty() {
                        r.title.clone()
                    } else {
                        r.text.clone()
                    };
                    let sh = dedup::shingles(&body);
                    let sig = dedup::signature_of(&sh);
                    (r, sh, sig)
                })
                .map_err(|e| (line, e))
            })
            .collect();
        for p in parsed {
            match p {
                Err((line, e)) => {
                    bad += 1;
                    pb.suspend(|| eprintln!("khabar: {}: line {line}: {e}; skipped", a.input));
                }
                Ok((r, sh, sig)) => {
                    let asg = lsh.insert(r.id, sig.as_ref());
                    if a.verify {
                        shingles.insert(r.id, sh);
                    }
                    clusters
                        .entry(asg.cluster)
                        .or_default()
                        .push((r.id, asg.nearest));
                    metas.push(Meta {
                        id: r.id,
                        title: r.title,
                        source: r.source,
                        date: r.date.unwrap_or_default(),
                    });
                    pb.inc(1);
                }
            }
        }
    }
    pb.finish_and_clear();
    let meta_of: rustc_hash_map::MetaIdx =
        metas.iter().enumerate().map(|(i, m)| (m.id, i)).collect();
    let multi: Vec<(&u64, &Members)> = clusters.iter().filter(|(_, m)| m.len() > 1).collect();
    let pairs: Vec<(u64, u64, f32)> = multi
        .iter()
        .flat_map(|(_, m)| m.iter().filter_map(|&(id, n)| n.map(|(o, s)| (o, id, s))))
        .collect();
    let exact: Vec<f32> = if a.verify {
        pairs
            .iter()
            .map(|&(x, y, _)| match (shingles.get(&x), shingles.get(&y)) {
                (Some(p), Some(q)) => dedup::jaccard(p, q),
                _ => 0.0,
            })
            .collect()
    } else {
        Vec::new()
    };
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let in_clusters: usize = multi.iter().map(|(_, m)| m.len()).sum();
    match a.format {
        OutFormat::Json => {
            let cl: Vec<serde_json::Value> = multi
                .iter()
                .map(|(c, m)| {
                    serde_json::json!({
                        "cluster": c,
                        "articles": m.iter().map(|&(id, n)| {
                            let meta = meta_of.get(&id).map(|&i| &metas[i]);
                            serde_json::json!({
                                "id": id,
                                "title": meta.map(|m| m.title.as_str()),
                                "source": meta.map(|m| m.source.as_str()),
                                "date": meta.map(|m| m.date.as_str()),
                                "duplicate_of": n.map(|x| x.0),
                                "similarity": n.map(|x| (x.1 * 1000.0).round() / 1000.0),
                            })
                        }).collect::<Vec<_>>(),
                    })
                })
                .collect();
            serde_json::to_writer_pretty(
                &mut out,
                &serde_json::json!({ "threshold": a.threshold, "articles": metas.len(), "clusters": cl }),
            )?;
            writeln!(out)?;
        }
        OutFormat::Text => {
            for (c, m) in &multi {
                writeln!(out, "cluster {c} ({} articles)", m.len())?;
                for &(id, n) in m.iter() {
                    let meta = meta_of.get(&id).map(|&i| &metas[i]);
                    let sim = n.map_or("     ".to_string(), |x| format!("{:.3}", x.1));
                    writeln!(
                        out,
                        "  {id:>7}  {sim}  {:<19} {:<12} {}",
                        meta.map_or("", |m| m.date.as_str()),
                        meta.map_or("", |m| m.source.as_str()),
                        meta.map_or("", |m| m.title.as_str())
                    )?;
                }
            }
        }
    }
    out.flush()?;
    eprintln!(
        "khabar: {} articles, {} clusters of near-duplicates holding {in_clusters} articles ({} duplicate pairs at threshold {}); \
         {bad} malformed lines skipped; {:.1} s",
        metas.len(),
        multi.len(),
        pairs.len(),
        a.threshold,
        started.elapsed().as_secs_f64()
    );
    if a.verify && !pairs.is_empty() {
        let ok = exact.iter().filter(|&&j| j >= a.threshold).count();
        let close = exact.iter().filter(|&&j| j >= a.threshold - 0.1).count();
        let mean = exact.iter().sum::<f32>() / exact.len() as f32;
        eprintln!(
            "khabar: verify: {ok}/{} reported pairs have exact Jaccard >= {} (precision {:.3}); {close} >= {:.2}; mean exact Jaccard {mean:.3}",
            pairs.len(),
            a.threshold,
            ok as f64 / pairs.len() as f64,
            a.threshold - 0.1
        );
    }
    if let Some((line, e)) = reader.failed.take() {
        // The clusters above are those of the lines before the damage.
        return Err(anyhow::Error::new(e).context(format!("{}: line {line}: cannot read further; the clusters above cover the lines before it", a.input)));
    }
    Ok(())
}

mod rustc_hash_map {
    pub type Map = std::collections::HashMap<u64, Vec<u64>>;
    pub type MetaIdx = std::collections::HashMap<u64, usize>;
}

pub fn serve(a: ServeArgs) -> Result<()> {
    let corpus = open_corpus(&a.index)?;
    let pipeline = khabar::Pipeline::builtin().context("cannot load the models")?;
    let defaults = khabar_server::Config::default();
    let max_analyses = a.max_analyses.unwrap_or(defaults.max_analyses).max(1);
    let config = khabar_server::Config {
        max_body: a.max_body,
        timeout: Duration::from_secs(a.timeout.max(1)),
        max_analyses,
        queue: a.queue.unwrap_or(2 * max_analyses),
    };
    let state = khabar_server::AppState::new(corpus, pipeline, config);
    let mut rt = tokio::runtime::Builder::new_multi_thread();
    if let Some(n) = a.threads {
        rt.worker_threads(n.max(1));
    }
    let rt = rt
        .enable_all()
        .build()
        .context("cannot start the runtime")?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(&a.addr)
            .await
            .with_context(|| format!("cannot listen on {}", a.addr))?;
        let addr = listener.local_addr()?;
        eprintln!(
            "khabar: serving {} ({} articles) on http://{addr}/  (Ctrl-C stops)",
            a.index.display(),
            state.num_docs()
        );
        khabar_server::serve(listener, state, khabar_server::shutdown_signal()).await?;
        eprintln!("khabar: stopped");
        Ok(())
    })
}

/// `khabar places` flags.
#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:\n  khabar places --index idx --format geojson\n  khabar places --index idx --query اليمن --from 2015-08-01 --format csv")]
pub struct PlacesArgs {
    /// The index directory.
    #[arg(long, value_name = "DIR")]
    pub index: PathBuf,
    /// Only the places of the articles this query matches (all articles when absent).
    #[arg(long, value_name = "Q", default_value = "")]
    pub query: String,
    /// Only articles mentioning this entity.
    #[arg(long, value_name = "NAME")]
    pub entity: Option<String>,
    /// From this day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Up to this day, inclusive (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// At most this many places, most mentioned first.
    #[arg(long, default_value_t = 100, value_name = "N")]
    pub limit: usize,
    /// `geojson` (a FeatureCollection) or `csv`.
    #[arg(long, value_enum, default_value = "geojson")]
    pub format: PlacesFormat,
    /// Benchmark: answer the places of every query of this file (one per line; the whole
    /// index first) this many times and print latency percentiles instead of places.
    #[arg(long, value_name = "FILE", hide = true)]
    pub bench_queries: Option<PathBuf>,
    /// Benchmark repetitions.
    #[arg(long, default_value_t = 5, hide = true)]
    pub bench_repeat: usize,
}

/// Output of `khabar places`.
#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum PlacesFormat {
    /// A GeoJSON FeatureCollection, as `GET /v1/places` returns.
    Geojson,
    /// One place a line: geonameid, name, country, kind, lat, lon, articles, co-mentions.
    Csv,
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

pub fn places(a: PlacesArgs) -> Result<()> {
    let corpus = open_corpus(&a.index)?;
    if let Some(file) = &a.bench_queries {
        let mut queries = vec![String::new()];
        queries.extend(bench_query_lines(file)?);
        let mut lat = Vec::new();
        let mut found = 0usize;
        for _ in 0..a.bench_repeat.max(1) {
            for q in &queries {
                let req = SearchRequest { query: q.clone(), ..Default::default() };
                let t = Instant::now();
                let places = corpus.places(&req, a.limit.clamp(1, 10_000))?;
                // What `GET /v1/places` also does before it answers.
                std::hint::black_box(khabar_index::search::places_geojson(&places).to_string());
                lat.push(t.elapsed());
                found += places.len();
            }
        }
        println!(
            "{} places answers (the whole index + {} queries, x {}), limit {}, GeoJSON built: {}; {} docs in index, {found} places returned",
            lat.len(),
            queries.len() - 1,
            a.bench_repeat.max(1),
            a.limit,
            percentiles(&mut lat),
            corpus.num_docs()
        );
        return Ok(());
    }
    let req = SearchRequest { query: a.query.clone(), entity: a.entity.clone(), from: a.from.clone(), to: a.to.clone(), ..Default::default() };
    let places = corpus.places(&req, a.limit.clamp(1, 10_000))?;
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match a.format {
        PlacesFormat::Geojson => {
            serde_json::to_writer(&mut out, &khabar_index::search::places_geojson(&places))?;
            writeln!(out)?;
        }
        PlacesFormat::Csv => {
            writeln!(out, "geonameid,name,country,place_kind,lat,lon,articles,co_mentions")?;
            for p in &places {
                let co: Vec<String> = p.co_mentions.iter().map(|(_, n, c)| format!("{n} ({c})")).collect();
                let f = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
                writeln!(
                    out,
                    "{},{},{},{},{},{},{},{}",
                    p.place.geonameid,
                    csv_field(&p.name),
                    p.place.country.as_deref().unwrap_or(""),
                    p.place.place_kind,
                    f(p.place.lat),
                    f(p.place.lon),
                    p.articles,
                    csv_field(&co.join("; "))
                )?;
            }
        }
    }
    out.flush()?;
    Ok(())
}

/// `khabar entities` flags.
#[derive(clap::Args, Debug)]
#[command(after_help = "Example:\n  khabar entities --index idx --type PERS --limit 100")]
pub struct EntitiesArgs {
    /// The index directory.
    #[arg(long, value_name = "DIR")]
    pub index: PathBuf,
    /// Only entities whose name contains this (normalized).
    #[arg(default_value = "")]
    pub query: String,
    /// `PERS`, `LOC`, `ORG` or `MISC`.
    #[arg(long = "type", value_name = "TYPE")]
    pub kind: Option<String>,
    /// How many, most mentioned first.
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub limit: usize,
}

pub fn entities(a: EntitiesArgs) -> Result<()> {
    if let Some(k) = a.kind.as_deref() {
        if khabar::EntityType::parse(k).is_none() {
            anyhow::bail!("--type must be PERS, LOC, ORG or MISC, got `{k}`");
        }
    }
    let corpus = open_corpus(&a.index)?;
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    for (i, e) in corpus.entities(&a.query, a.kind.as_deref(), a.limit).iter().enumerate() {
        writeln!(out, "{:>4}\t{}\t{}\t{}", i + 1, e.articles, e.name, e.id)?;
    }
    out.flush()?;
    Ok(())
}
