//! `khabar analyze`: single documents, or a JSONL corpus streamed through all cores.

use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{bail, Context, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use khabar::{output, Date, Fields, Pipeline, Profile};

use crate::input::{self, Line};

/// Output formats.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// The contract's JSON, indented (one document per input).
    Json,
    /// The contract's JSON, one document per line.
    Jsonl,
    /// One token per line with normalized form, segments, stem, kind, entity tag and offsets.
    Conll,
    /// A rendering for people.
    Text,
}

/// Input kinds.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputKind {
    /// Each file (or standard input) is one document.
    Text,
    /// JSON Lines (gzip when the name ends in .gz): one article per line.
    Jsonl,
}

/// Flags of `khabar analyze`.
#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:\n  khabar analyze examples/seed-article.txt --date 2017-08-01\n  \
    khabar analyze --format text article.txt\n  \
    khabar analyze --input jsonl --text-field text --date-field date articles.jsonl.gz > out.jsonl")]
pub struct Args {
    /// Input files; `-` or nothing reads standard input.
    pub files: Vec<String>,
    /// Output format (default: json for documents, jsonl for --input jsonl).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Publication date (YYYY-MM-DD) for resolving relative times; in JSONL mode, the default
    /// for records without a date field.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    /// What the input files hold.
    #[arg(long, value_enum, default_value = "text")]
    pub input: InputKind,
    /// JSONL: the field holding the article text.
    #[arg(long, default_value = "text", value_name = "FIELD")]
    pub text_field: String,
    /// JSONL: the field holding the publication date (YYYY-MM-DD, time part ignored).
    #[arg(long, value_name = "FIELD")]
    pub date_field: Option<String>,
    /// JSONL: a field copied to the output record as `id`.
    #[arg(long, value_name = "FIELD")]
    pub id_field: Option<String>,
    /// Replace invalid UTF-8 with U+FFFD instead of stopping.
    #[arg(long)]
    pub lossy: bool,
    /// JSONL: stop at the first malformed line instead of reporting it and going on.
    #[arg(long)]
    pub strict: bool,
    /// The contract's top-level fields to compute and write, comma-separated (`schema` and
    /// `text` are always written): e.g. `entities,entity_index,quotes,times`. Stages no
    /// chosen field needs do not run (docs/performance.md lists what each field needs).
    /// JSON and JSONL only.
    #[arg(long, default_value = "all", value_name = "FIELDS")]
    pub fields: String,
    /// Normalization profile for tokens' `norm`.
    #[arg(long, default_value = "search", value_parser = ["search", "light"])]
    pub profile: String,
    /// Worker threads (default: all cores).
    #[arg(long, short = 'j')]
    pub threads: Option<usize>,
    /// Largest document, in bytes (a longer JSONL line is reported and skipped).
    #[arg(long, default_value_t = khabar::MAX_DOCUMENT_BYTES, value_name = "BYTES")]
    pub max_bytes: usize,
    /// Show a progress bar even when stderr is not a terminal (or never, with --no-progress).
    #[arg(long, overrides_with = "no_progress")]
    pub progress: bool,
    /// Never show a progress bar.
    #[arg(long)]
    pub no_progress: bool,
    #[command(flatten)]
    pub models: ModelArgs,
}

/// Model files that replace the built-in ones.
#[derive(clap::Args, Debug)]
pub struct ModelArgs {
    /// A segmenter model file (from `khabar train segmenter`).
    #[arg(long, value_name = "FILE")]
    pub segmenter_model: Option<PathBuf>,
    /// A lexicon file (from `khabar train lexicon`).
    #[arg(long, value_name = "FILE")]
    pub lexicon: Option<PathBuf>,
    /// A NER model file (from `khabar train ner`).
    #[arg(long, value_name = "FILE")]
    pub ner_model: Option<PathBuf>,
    /// Which names count as entities: `news` also reports institutions named by their
    /// function (`وزارة الخارجية المصرية`, `الحكومة الأردنية`) as ORG; `anercorp` follows
    /// ANERcorp's annotation, which leaves them out.
    #[arg(long, value_name = "CONVENTION", default_value = "news", value_parser = ["news", "anercorp"])]
    pub ner_convention: String,
}

impl ModelArgs {
    /// Builds a pipeline with these models (the built-in ones where none is given).
    pub fn pipeline(&self, profile: Profile, max_bytes: usize) -> Result<Pipeline> {
        Ok(self.builder(profile, max_bytes)?.build().context("cannot load the models")?)
    }

    /// A pipeline builder with these models.
    pub fn builder(&self, profile: Profile, max_bytes: usize) -> Result<khabar::PipelineBuilder> {
        let convention = self.ner_convention.parse().map_err(anyhow::Error::msg)?;
        let mut b = Pipeline::builder().profile(profile).max_document_bytes(max_bytes).ner_convention(convention);
        if let Some(p) = &self.segmenter_model {
            b = b.segmenter_model_file(p)?;
        }
        if let Some(p) = &self.lexicon {
            b = b.lexicon_file(p)?;
        }
        if let Some(p) = &self.ner_model {
            b = b.ner_model_file(p)?;
        }
        Ok(b)
    }
}

pub fn run(a: Args) -> Result<()> {
    let date = a.date.as_deref().map(khabar::parse_date).transpose()?;
    let profile: Profile = a.profile.parse().map_err(anyhow::Error::msg)?;
    if a.max_bytes == 0 {
        bail!("--max-bytes must be at least 1");
    }
    let fields: Fields = a.fields.parse().context("--fields")?;
    if !fields.is_all() && matches!(a.format, Some(Format::Conll | Format::Text)) {
        bail!("--fields chooses fields of the JSON output; --format conll and text always show tokens and entities");
    }
    if let Some(n) = a.threads {
        if n == 0 {
            bail!("--threads must be at least 1");
        }
        rayon::ThreadPoolBuilder::new().num_threads(n).build_global().context("cannot start worker threads")?;
    }
    let pipeline = Arc::new(a.models.pipeline(profile, a.max_bytes)?);
    let files = if a.files.is_empty() { vec!["-".to_string()] } else { a.files.clone() };
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    match a.input {
        InputKind::Text => {
            let format = a.format.unwrap_or(Format::Json);
            for name in &files {
                let text = input::read_document(name, a.max_bytes, a.lossy)?;
                let doc = pipeline.analyze_fields(&text, date, fields).with_context(|| format!("cannot analyze {name}"))?;
                write_doc(&mut out, &doc, format, fields, None)?;
                out.flush()?;
            }
        }
        InputKind::Jsonl => {
            let format = a.format.unwrap_or(Format::Jsonl);
            for name in &files {
                stream_jsonl(&a, name, &pipeline, date, format, fields, &mut out)?;
            }
        }
    }
    out.flush()?;
    Ok(())
}

fn write_doc(out: &mut impl Write, doc: &khabar::Document, format: Format, fields: Fields, id: Option<&serde_json::Value>) -> Result<()> {
    match format {
        Format::Json | Format::Jsonl => {
            // The library's one serializer, in the contract's key order (`id` after
            // `schema`), streamed: a 16 MiB document's JSON is never one string in memory.
            output::v1::write_json_fields(doc, id, fields, format == Format::Json, &mut *out)?;
            out.write_all(b"\n")?;
        }
        Format::Conll => {
            out.write_all(output::conll::render(doc).as_bytes())?;
            out.write_all(b"\n")?;
        }
        Format::Text => {
            out.write_all(output::text::render(doc).as_bytes())?;
            out.write_all(b"\n")?;
        }
    }
    Ok(())
}

/// Records read per batch, per thread: enough to keep every core busy to the batch's end,
/// few enough that memory stays bounded (at most two batches are held, one analyzed while
/// the next is read, each with its records' output: 512 records, the former fixed size,
/// held 50–70 MB more at the peak of a 2-thread run than 64, at the same speed).
const BATCH_RECORDS_PER_THREAD: usize = 32;
/// A batch's records, at least and at most.
const BATCH_RECORDS_MIN: usize = 64;
const BATCH_RECORDS_MAX: usize = 512;
const BATCH_BYTES: usize = 8 << 20;

struct Record {
    line_no: u64,
    /// The `--id-field` value, when the line is a JSON object that has it.
    id: Option<serde_json::Value>,
    outcome: std::result::Result<(String, Option<Date>), String>,
}

/// What `--input jsonl` writes for an input line it could not analyze, so that output line
/// N is always input line N (documented in docs/errors_and_security.md):
/// `{"line":N,"id":…,"error":"…"}`, keys in that order; `id` is the `--id-field` value or null.
fn error_record(line: u64, id: &serde_json::Value, error: &str) -> String {
    // `Value`'s Display is its compact JSON.
    format!("{{\"line\":{line},\"id\":{id},\"error\":{}}}", serde_json::Value::from(error))
}

/// Where reading the input stopped early: the line being read and why.
struct ReadFailure {
    line: u64,
    error: anyhow::Error,
}

fn stream_jsonl(
    a: &Args,
    name: &str,
    pipeline: &Arc<Pipeline>,
    default_date: Option<Date>,
    format: Format,
    fields: Fields,
    out: &mut impl Write,
) -> Result<()> {
    let shown = if name == "-" { "standard input".to_string() } else { name.to_string() };
    let (mut reader, len) = input::open(name)?;
    let show = !a.no_progress && (a.progress || io::stderr().is_terminal());
    let bar = progress_bar(show, if name.ends_with(".gz") { None } else { len });
    let mut line_no: u64 = 0;
    let (mut ok, mut bad) = (0u64, 0u64);
    let mut eof = false;
    // A read error (a truncated gzip, a failing disk) ends the input, but every complete
    // line read before it is still analyzed and written; the error is reported at the end.
    let mut failure: Option<ReadFailure> = None;
    let mut batch = read_batch(a, &mut *reader, &mut line_no, default_date, &mut eof, &mut failure, &bar);
    let null = serde_json::Value::Null;
    while !batch.is_empty() {
        // Analyze this batch on all cores while the next one is read.
        let (results, next) = rayon::join(
            || analyze_batch(pipeline, &batch, format, fields),
            || if eof { Vec::new() } else { read_batch(a, &mut *reader, &mut line_no, default_date, &mut eof, &mut failure, &bar) },
        );
        for (rec, res) in batch.iter().zip(results) {
            match res {
                Ok(body) => {
                    out.write_all(body.as_bytes())?;
                    ok += 1;
                }
                Err(msg) => {
                    bad += 1;
                    bar.suspend(|| eprintln!("khabar: {shown}:{}: {msg}", rec.line_no));
                    if matches!(format, Format::Json | Format::Jsonl) {
                        out.write_all(error_record(rec.line_no, rec.id.as_ref().unwrap_or(&null), &msg).as_bytes())?;
                        out.write_all(b"\n")?;
                    }
                    if a.strict {
                        out.flush()?;
                        bail!("{shown}:{}: {msg} (stopped by --strict)", rec.line_no);
                    }
                }
            }
        }
        out.flush()?;
        bar.set_message(format!("{ok} analyzed, {bad} skipped"));
        batch = next;
    }
    bar.finish_and_clear();
    if let Some(f) = failure {
        return Err(f.error.context(format!(
            "{shown}: line {}: cannot read further ({ok} records analyzed and written, {bad} skipped before it)",
            f.line
        )));
    }
    if bad > 0 || show {
        eprintln!("khabar: {shown}: {ok} records analyzed, {bad} skipped");
    }
    if ok == 0 && bad > 0 {
        bail!("{shown}: none of its {bad} lines could be analyzed (see the messages above)");
    }
    Ok(())
}

fn analyze_batch(pipeline: &Pipeline, batch: &[Record], format: Format, fields: Fields) -> Vec<std::result::Result<String, String>> {
    use rayon::prelude::*;
    batch
        .par_iter()
        .map_init(khabar::Document::default, |doc, rec| {
            let (text, date) = rec.outcome.as_ref().map_err(|e| e.clone())?;
            pipeline.analyze_fields_with(text, *date, fields, doc, &mut khabar::Watch::default()).map_err(|e| e.to_string())?;
            // Tokens are most of the JSON (about 15 bytes out per byte in); without them
            // the record is near the size of its text.
            let per_byte = if fields.contains(khabar::Field::Tokens) { 16 } else { 2 };
            let mut buf = Vec::with_capacity(text.len() * per_byte);
            write_doc(&mut buf, doc, format, fields, rec.id.as_ref()).map_err(|e| e.to_string())?;
            String::from_utf8(buf).map_err(|e| e.to_string())
        })
        .collect()
}

fn read_batch(
    a: &Args,
    reader: &mut dyn io::BufRead,
    line_no: &mut u64,
    default_date: Option<Date>,
    eof: &mut bool,
    failure: &mut Option<ReadFailure>,
    bar: &ProgressBar,
) -> Vec<Record> {
    let records = (BATCH_RECORDS_PER_THREAD * rayon::current_num_threads()).clamp(BATCH_RECORDS_MIN, BATCH_RECORDS_MAX);
    let mut batch = Vec::with_capacity(records);
    let mut bytes = 0usize;
    let mut buf = Vec::new();
    let id_wanted = a.id_field.is_some();
    while batch.len() < records && bytes < BATCH_BYTES {
        let line = match input::read_line_capped(reader, a.max_bytes.saturating_mul(2), &mut buf) {
            Ok(l) => l,
            Err(e) => {
                // The line being read is incomplete: it is not analyzed, but all before it are.
                *failure = Some(ReadFailure { line: *line_no + 1, error: anyhow::Error::new(e) });
                *eof = true;
                break;
            }
        };
        *line_no += 1;
        let (id, outcome) = match line {
            Line::Eof => {
                *eof = true;
                break;
            }
            Line::TooLong(n) => {
                bar.inc(n + 1);
                let limit = a.max_bytes.saturating_mul(2);
                (None, Err(format!("line is {n} bytes, longer than {limit} bytes (twice --max-bytes {}, room for JSON escapes); skipped", a.max_bytes)))
            }
            Line::Ok(l) => {
                bar.inc(l.len() as u64 + 1);
                bytes += l.len();
                if l.iter().all(|b| b.is_ascii_whitespace()) {
                    (None, Err("blank line; skipped".to_string()))
                } else {
                    parse_record(a, l, default_date)
                }
            }
        };
        let id = if id_wanted { Some(id.unwrap_or(serde_json::Value::Null)) } else { None };
        batch.push(Record { line_no: *line_no, id, outcome });
    }
    batch
}

/// The `--id-field` value of a line (when it is a JSON object that has one), and the text
/// and date to analyze or why the line cannot be analyzed.
type Parsed = (Option<serde_json::Value>, std::result::Result<(String, Option<Date>), String>);

fn parse_record(a: &Args, line: Vec<u8>, default_date: Option<Date>) -> Parsed {
    let line = match String::from_utf8(line) {
        Ok(s) => s,
        Err(e) if a.lossy => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        Err(e) => return (None, Err(format!("invalid UTF-8 at byte {} of the line (use --lossy to replace)", e.utf8_error().valid_up_to()))),
    };
    let v: serde_json::Value = match serde_json::from_str(&line) {
        Ok(v) => v,
        Err(e) => return (None, Err(format!("malformed JSON: {e}"))),
    };
    let Some(obj) = v.as_object() else {
        return (None, Err("malformed record: expected a JSON object".to_string()));
    };
    let id = a.id_field.as_ref().and_then(|f| obj.get(f)).cloned();
    (id, text_and_date(a, obj, default_date))
}

fn text_and_date(
    a: &Args,
    obj: &serde_json::Map<String, serde_json::Value>,
    default_date: Option<Date>,
) -> std::result::Result<(String, Option<Date>), String> {
    let text = match obj.get(&a.text_field) {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(serde_json::Value::Null) | None => return Err(format!("record has no `{}` field (set --text-field)", a.text_field)),
        Some(_) => return Err(format!("field `{}` is not a string", a.text_field)),
    };
    let date = match a.date_field.as_ref().and_then(|f| obj.get(f)) {
        Some(serde_json::Value::String(s)) if !s.trim().is_empty() => {
            Some(khabar::parse_date(s).map_err(|e| format!("field `{}`: {e}", a.date_field.as_deref().unwrap_or("date")))?)
        }
        _ => default_date,
    };
    if text.len() > a.max_bytes {
        return Err(format!("text is {} bytes, above --max-bytes {}; skipped", text.len(), a.max_bytes));
    }
    Ok((text, date))
}

pub fn progress_bar(show: bool, len: Option<u64>) -> ProgressBar {
    if !show {
        return ProgressBar::hidden();
    }
    let bar = match len {
        Some(n) => ProgressBar::new(n).with_style(
            ProgressStyle::with_template("{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} ({bytes_per_sec}, eta {eta}) {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        ),
        None => ProgressBar::new_spinner().with_style(
            ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bytes} read ({bytes_per_sec}) {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        ),
    };
    bar.set_draw_target(ProgressDrawTarget::stderr_with_hz(5));
    bar
}
