//! Writing an index: one tantivy document per article, commits that record how far the
//! input was read (so an interrupted run can resume without duplicating articles), and the
//! online near-duplicate clustering.

use std::path::Path;

use serde::{Deserialize, Serialize};
use tantivy::schema::Facet;
use tantivy::{DateTime, Index, IndexWriter, TantivyDocument};

use crate::analyzer::ArabicTokenizer;
use crate::dedup::{Assignment, Lsh, Signature};
use crate::schema::{register, Fields};
use crate::{Error, Result};

/// One article to index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArticleRecord {
    /// Unique id (khabar uses the input line number, 1-based).
    pub id: u64,
    /// Title (may be empty).
    pub title: String,
    /// Body text (may be empty).
    pub text: String,
    /// `YYYY-MM-DD` or `YYYY-MM-DD hh:mm:ss`, if known.
    pub date: Option<String>,
    /// Newspaper id.
    pub source: String,
    /// URL.
    pub url: String,
}

/// What a commit records about the run (tantivy's commit payload, as JSON).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// The first input line not yet indexed (1-based); resuming skips the lines before it.
    pub next_line: u64,
    /// Articles indexed so far.
    pub articles: u64,
    /// Near-duplicate threshold the clusters were built with.
    pub threshold: f32,
}

/// Parses `YYYY-MM-DD` or `YYYY-MM-DD hh:mm:ss` (or `…Thh:mm:ss`) as UTC.
pub fn parse_datetime(s: &str) -> Option<DateTime> {
    let d = khabar::parse_date(s).ok()?;
    let t = s.trim();
    let (mut h, mut m, mut sec) = (0u32, 0u32, 0u32);
    if let Some(time) = t
        .get(10..)
        .map(|r| r.trim_start_matches([' ', 'T']))
        .filter(|r| !r.is_empty())
    {
        let mut parts = time
            .trim_end_matches('Z')
            .split(':')
            .map(|p| p.parse::<u32>().ok());
        h = parts.next().flatten().unwrap_or(0);
        m = parts.next().flatten().unwrap_or(0);
        sec = parts.next().flatten().unwrap_or(0);
    }
    let dt = d
        .and_hms_opt(h, m, sec)
        .or_else(|| d.and_hms_opt(0, 0, 0))?;
    Some(DateTime::from_timestamp_secs(dt.and_utc().timestamp()))
}

/// The facet of an entity: `/TYPE/canonical key` (see [`crate::identity`]).
pub fn entity_facet(kind: &str, name: &str) -> Facet {
    Facet::from_path([kind.to_string(), crate::identity::key_of(kind, name)])
}

/// The facet of a document's entity record: `/LOC/gn<id>` for a resolved place, else
/// `/TYPE/canonical key`.
pub fn record_facet(rec: &khabar::EntityRecord) -> Facet {
    let (kind, key) = crate::identity::facet_parts(rec);
    Facet::from_path([kind.to_string(), key])
}

/// The filter terms of an analysis's amounts: each kind once (`money`), and each currency
/// with an ISO code (`money:USD`).
pub fn amount_terms(doc: &khabar::Document) -> Vec<String> {
    let mut terms: Vec<String> = Vec::new();
    for a in &doc.amounts {
        let kind = a.kind.as_str().to_string();
        if !terms.contains(&kind) {
            terms.push(kind);
        }
        if a.kind == khabar::AmountKind::Money {
            if let Some(code) = a.unit.as_deref().filter(|u| u.len() == 3 && u.bytes().all(|b| b.is_ascii_uppercase())) {
                let t = format!("money:{code}");
                if !terms.contains(&t) {
                    terms.push(t);
                }
            }
        }
    }
    terms
}

/// An entity name as the index keys it: `search`-normalized, single spaces.
pub fn entity_key(name: &str) -> String {
    let n = khabar_text::normalize(name, khabar_text::Profile::Search);
    n.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Writes articles into a khabar index.
pub struct CorpusWriter {
    index: Index,
    /// The index directory (for the entity registry written beside tantivy's files).
    dir: std::path::PathBuf,
    registry: crate::identity::Registry,
    writer: IndexWriter,
    fields: Fields,
    lsh: Lsh,
    checkpoint: Checkpoint,
    /// The index's analyzer, for articles whose tokens the full pipeline already made.
    analyzer: ArabicTokenizer,
}

impl std::fmt::Debug for CorpusWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CorpusWriter")
            .field("checkpoint", &self.checkpoint)
            .finish()
    }
}

/// Options for [`CorpusWriter`].
#[derive(Debug, Clone)]
pub struct WriterOptions {
    /// Indexing threads (tantivy's, which also run the Arabic tokenizer).
    pub threads: usize,
    /// Memory budget over all threads, in bytes.
    pub memory: usize,
    /// Near-duplicate similarity threshold.
    pub threshold: f32,
}

impl Default for WriterOptions {
    fn default() -> Self {
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(8);
        WriterOptions {
            threads,
            memory: 64 << 20,
            threshold: 0.8,
        }
    }
}

impl CorpusWriter {
    /// Creates a new index in `dir` (created if needed; must not hold an index already).
    ///
    /// # Errors
    /// [`Error::Exists`] when `dir` already holds an index; I/O and tantivy errors.
    pub fn create(
        dir: &Path,
        tokenizer: ArabicTokenizer,
        opts: &WriterOptions,
    ) -> Result<CorpusWriter> {
        std::fs::create_dir_all(dir).map_err(|e| Error::Io {
            path: dir.display().to_string(),
            source: e,
        })?;
        if dir.join("meta.json").exists() {
            return Err(Error::Exists(dir.display().to_string()));
        }
        let (schema, fields) = Fields::build();
        let index = Index::create_in_dir(dir, schema)?;
        Self::with_index(
            index,
            dir,
            crate::identity::Registry::default(),
            fields,
            tokenizer,
            opts,
            Checkpoint {
                threshold: opts.threshold,
                ..Default::default()
            },
        )
    }

    /// Opens the index in `dir` to continue an interrupted run. The returned writer's
    /// [`CorpusWriter::checkpoint`] says where to continue.
    ///
    /// # Errors
    /// [`Error::Schema`] for a directory that is not a khabar index; tantivy errors.
    pub fn resume(
        dir: &Path,
        tokenizer: ArabicTokenizer,
        opts: &WriterOptions,
    ) -> Result<CorpusWriter> {
        let index = Index::open_in_dir(dir)?;
        let fields = Fields::of(&index.schema())?;
        let metas = index.load_metas()?;
        let mut checkpoint: Checkpoint = match metas.payload.as_deref() {
            Some(p) => serde_json::from_str(p)
                .map_err(|e| Error::Schema(format!("unreadable commit payload: {e}")))?,
            None => Checkpoint::default(),
        };
        if checkpoint.threshold == 0.0 {
            checkpoint.threshold = opts.threshold;
        }
        let mut opts = opts.clone();
        opts.threshold = checkpoint.threshold;
        let registry = crate::identity::Registry::load(dir)?;
        Self::with_index(index, dir, registry, fields, tokenizer, &opts, checkpoint)
    }

    fn with_index(
        index: Index,
        dir: &Path,
        registry: crate::identity::Registry,
        fields: Fields,
        tokenizer: ArabicTokenizer,
        opts: &WriterOptions,
        checkpoint: Checkpoint,
    ) -> Result<CorpusWriter> {
        register(&index, tokenizer.clone());
        let threads = opts.threads.max(1);
        // tantivy wants at least 15 MB per thread.
        let memory = opts.memory.max(threads * (16 << 20));
        let writer = index.writer_with_num_threads(threads, memory)?;
        Ok(CorpusWriter {
            index,
            dir: dir.to_path_buf(),
            registry,
            writer,
            fields,
            lsh: Lsh::new(opts.threshold),
            checkpoint,
            analyzer: tokenizer,
        })
    }

    /// Where the last commit left off.
    pub fn checkpoint(&self) -> &Checkpoint {
        &self.checkpoint
    }

    /// The index being written.
    pub fn index(&self) -> &Index {
        &self.index
    }

    /// Records an already-indexed article's signature (when resuming), so that later
    /// articles can join its cluster.
    pub fn observe(&mut self, id: u64, sig: Option<&Signature>) {
        self.lsh.insert(id, sig);
    }

    /// Adds one article, with its analysis when there is one (for entity facets), and its
    /// MinHash signature (for duplicate clusters). Returns the cluster assignment.
    ///
    /// # Errors
    /// Tantivy errors (the writer's threads failed).
    pub fn add(
        &mut self,
        rec: &ArticleRecord,
        analysis: Option<&khabar::Document>,
        sig: Option<&Signature>,
    ) -> Result<Assignment> {
        let f = &self.fields;
        let assignment = self.lsh.insert(rec.id, sig);
        let mut doc = TantivyDocument::default();
        doc.add_u64(f.id, rec.id);
        doc.add_text(f.title, &rec.title);
        doc.add_text(f.text, &rec.text);
        match analysis.filter(|a| a.text() == rec.text) {
            // Reuse the pipeline's tokens: the text layer does not run a second time.
            Some(a) => {
                let tokens = self
                    .analyzer
                    .terms_of_tokens(a.tokens())
                    .into_iter()
                    .enumerate()
                    .map(|(i, t)| tantivy::tokenizer::Token {
                        offset_from: t.start,
                        offset_to: t.end,
                        position: i,
                        text: t.text,
                        position_length: 1,
                    })
                    .collect();
                doc.add_pre_tokenized_text(
                    f.body,
                    tantivy::tokenizer::PreTokenizedString {
                        text: rec.text.clone(),
                        tokens,
                    },
                );
            }
            None => doc.add_text(f.body, &rec.text),
        }
        if let Some(d) = rec.date.as_deref().and_then(parse_datetime) {
            doc.add_date(f.date, d);
        }
        doc.add_text(f.source, &rec.source);
        doc.add_text(f.url, &rec.url);
        doc.add_u64(f.cluster, assignment.cluster);
        if let Some(a) = analysis {
            let mut seen = rustc_hash::FxHashSet::default();
            self.registry.add_document(a);
            for e in &a.entity_index {
                let facet = record_facet(e);
                if seen.insert(facet.to_string()) {
                    doc.add_facet(f.entity, facet);
                }
                doc.add_text(f.entity_names, e.variants.join(" ، "));
            }
            if let Some(field) = f.amount {
                for term in amount_terms(a) {
                    doc.add_text(field, term);
                }
            }
        }
        self.writer.add_document(doc)?;
        self.checkpoint.articles += 1;
        Ok(assignment)
    }

    /// Commits everything added so far, recording that input lines before `next_line` are
    /// done. After a crash the index holds exactly what the last commit held.
    ///
    /// # Errors
    /// Tantivy errors.
    pub fn commit(&mut self, next_line: u64) -> Result<()> {
        self.checkpoint.next_line = next_line;
        let payload = serde_json::to_string(&self.checkpoint).unwrap_or_default();
        let mut prepared = self.writer.prepare_commit()?;
        prepared.set_payload(&payload);
        prepared.commit()?;
        // After tantivy's commit: a crash in between loses the last batch's counts, never
        // counts an article the index does not hold.
        self.registry.save(&self.dir)?;
        Ok(())
    }

    /// Commits, waits for segment merges and closes the writer.
    ///
    /// # Errors
    /// Tantivy errors.
    pub fn finish(mut self, next_line: u64) -> Result<Checkpoint> {
        self.commit(next_line)?;
        self.writer.wait_merging_threads()?;
        Ok(self.checkpoint)
    }
}
