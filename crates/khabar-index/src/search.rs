//! Reading an index: BM25 search with filters, snippets highlighted as the article wrote
//! them, duplicate collapsing, stored articles, and entity statistics.

use std::collections::BTreeMap;
use std::ops::Bound;
use std::path::Path;
use std::sync::Arc;

use serde::Serialize;
use tantivy::collector::{Count, DocSetCollector, FacetCollector, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, Occur, PhraseQuery, Query, QueryParser, RangeQuery, TermQuery,
};
use tantivy::schema::{Facet, IndexRecordOption, OwnedValue, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{
    DateTime, DocAddress, Index, IndexReader, ReloadPolicy, Searcher, TantivyDocument, Term,
};

use crate::analyzer::ArabicTokenizer;
use crate::schema::{register, Fields};
use crate::writer::{entity_key, Checkpoint};
use crate::{Error, Result};

/// The most results one request may ask for.
pub const MAX_LIMIT: usize = 200;

/// A search request.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchRequest {
    /// The query: words (all must match), `"a phrase"`, `OR`, `-word`, `title:word`.
    pub query: String,
    /// Only articles mentioning this entity: an entity id (`PERS:فايز السراج`) or a name.
    pub entity: Option<String>,
    /// Only articles from this day on (`YYYY-MM-DD`).
    pub from: Option<String>,
    /// Only articles up to this day, inclusive (`YYYY-MM-DD`).
    pub to: Option<String>,
    /// Only articles from this source.
    pub source: Option<String>,
    /// Only articles with an amount of this kind (`money`, `percent`, `count`, `number`).
    pub amount_kind: Option<String>,
    /// Only articles with money in this currency (ISO 4217, `USD`).
    pub currency: Option<String>,
    /// How many hits.
    pub limit: usize,
    /// Hits to skip (paging).
    pub offset: usize,
    /// Collapse near-duplicates into their best-ranked article.
    pub collapse: bool,
}

impl Default for SearchRequest {
    fn default() -> Self {
        SearchRequest {
            query: String::new(),
            entity: None,
            from: None,
            to: None,
            source: None,
            amount_kind: None,
            currency: None,
            limit: 10,
            offset: 0,
            collapse: true,
        }
    }
}

/// A highlighted piece of text.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Highlighted {
    /// The text, verbatim from the article.
    pub text: String,
    /// Highlighted ranges as `[start, end)` Unicode code point offsets into `text`.
    pub highlights: Vec<[usize; 2]>,
    /// The text HTML-escaped, with each highlight in `<mark>…</mark>`.
    pub html: String,
    /// Whether the text is cut from a longer one at its start / end.
    pub cut: [bool; 2],
}

/// One search hit.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Hit {
    /// Article id.
    pub id: u64,
    /// BM25 score.
    pub score: f32,
    /// Title with highlights.
    pub title: Highlighted,
    /// Best passage of the text with highlights.
    pub snippet: Highlighted,
    /// `YYYY-MM-DD hh:mm:ss` or null.
    pub date: Option<String>,
    /// Source id.
    pub source: String,
    /// URL.
    pub url: String,
    /// Near-duplicate cluster id.
    pub cluster: u64,
    /// Ids of near-duplicates collapsed into this hit (empty when not collapsing).
    pub duplicates: Vec<u64>,
}

/// Search results.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SearchResults {
    /// Articles matching the query and filters (before collapsing).
    pub total: usize,
    /// The hits, best first.
    pub hits: Vec<Hit>,
    /// Whether duplicates were collapsed.
    pub collapsed: bool,
}

/// A stored article.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct StoredArticle {
    /// Id.
    pub id: u64,
    /// Title.
    pub title: String,
    /// Text.
    pub text: String,
    /// `YYYY-MM-DD hh:mm:ss` or null.
    pub date: Option<String>,
    /// Source id.
    pub source: String,
    /// URL.
    pub url: String,
    /// Cluster id.
    pub cluster: u64,
    /// Entity ids (`TYPE:name`).
    pub entities: Vec<String>,
}

/// An entity of the corpus.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct EntitySummary {
    /// `TYPE:key`: `LOC:gn102358` for a place resolved to GeoNames, else the canonical key
    /// of the name (`PERS:فايز سراج`); stable across re-indexing.
    pub id: String,
    /// `PERS`, `LOC`, `ORG`, `MISC`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The most frequent surface form in the corpus (the key itself for an index that
    /// predates the entity registry).
    pub name: String,
    /// Articles mentioning it.
    pub articles: u64,
    /// The place's GeoNames fields, for a resolved place.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub place: Option<crate::identity::PlaceInfo>,
}

/// An entity with its timeline and neighbours.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct EntityDetail {
    /// The entity.
    #[serde(flatten)]
    pub entity: EntitySummary,
    /// Its surface forms with their mention counts, most frequent first.
    pub variants: Vec<(String, u64)>,
    /// Articles where it has context support (see [`crate::identity`]).
    pub supported_articles: u64,
    /// Whether it is left out of the corpus lists as likely noise.
    pub noise: bool,
    /// Articles per day (`YYYY-MM-DD`, count), in date order.
    pub timeline: Vec<(String, u64)>,
    /// Entities mentioned in the same articles, most frequent first.
    pub co_mentions: Vec<EntitySummary>,
    /// The most recent articles mentioning it (id, title, date).
    pub recent: Vec<(u64, String, Option<String>)>,
}

/// An opened khabar index.
pub struct Corpus {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    parser: QueryParser,
    tokenizer: ArabicTokenizer,
    /// Listed entities (noise left out), most mentioned first.
    entities: Arc<Vec<Listed>>,
    /// Every entity the registry knows, by id.
    registry: Arc<crate::identity::Registry>,
    /// The registry's [`crate::identity::Registry::alias_groups`], worked out once per
    /// load: every full name's id → the short names' ids listed under it.
    alias_groups: Arc<BTreeMap<String, Vec<String>>>,
    /// Ids of the entities judged noise ([`crate::identity::EntityStats::is_noise`]).
    noise: Arc<std::collections::HashSet<String>>,
    /// The places of the whole index, counted on first use (the map's first view asks for
    /// them, and they take a pass over every article's facets); cleared by a reload.
    all_places: std::sync::OnceLock<Vec<PlaceCount>>,
    dir: Option<std::path::PathBuf>,
}

/// A listed entity with the normalized forms a name query is matched against.
#[derive(Debug, Clone)]
struct Listed {
    summary: EntitySummary,
    /// `|`-joined normalized key and surface forms.
    forms: String,
}

impl std::fmt::Debug for Corpus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Corpus")
            .field("docs", &self.num_docs())
            .finish()
    }
}

fn fmt_date(d: DateTime) -> Option<String> {
    let secs = d.into_timestamp_secs();
    chrono::DateTime::from_timestamp(secs, 0).map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
}

fn first_str(doc: &TantivyDocument, field: tantivy::schema::Field) -> String {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .unwrap_or("")
        .to_string()
}

fn first_u64(doc: &TantivyDocument, field: tantivy::schema::Field) -> u64 {
    doc.get_first(field).and_then(|v| v.as_u64()).unwrap_or(0)
}

fn first_date(doc: &TantivyDocument, field: tantivy::schema::Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_datetime())
        .and_then(fmt_date)
}

/// Splits an entity id `TYPE:name` into its facet.
pub fn entity_id_facet(id: &str) -> Option<Facet> {
    let (kind, name) = id.split_once(':')?;
    let kind = khabar::EntityType::parse(kind)?;
    let key = crate::identity::key_of(kind.as_str(), name);
    (!key.is_empty()).then(|| Facet::from_path([kind.as_str().to_string(), key]))
}

fn summary_of(facet: &Facet, articles: u64) -> Option<EntitySummary> {
    let parts: Vec<&str> = facet.to_path();
    if parts.len() != 2 {
        return None;
    }
    Some(EntitySummary {
        id: format!("{}:{}", parts[0], parts[1]),
        kind: parts[0].to_string(),
        name: parts[1].to_string(),
        articles,
        place: None,
    })
}

/// The registry's name and place for a summary built from a facet, for an entity with the
/// short names `aliases` listed under it: it is shown by the most frequent name of them all
/// (`حماس` rather than `حركة المقاومة الإسلامية` where articles mostly write the short one).
fn with_registry(mut s: EntitySummary, reg: &crate::identity::Registry, aliases: &[String]) -> EntitySummary {
    if let Some(st) = reg.entities.get(&s.id) {
        s.place = st.place.clone();
        if aliases.is_empty() {
            if let Some(n) = st.display_name() {
                s.name = n.to_string();
            }
            return s;
        }
        let mut all = crate::identity::EntityStats { kind: st.kind.clone(), ..Default::default() };
        for st in std::iter::once(st).chain(aliases.iter().filter_map(|a| reg.entities.get(a))) {
            let forms = if st.names.is_empty() { &st.variants } else { &st.names };
            for (v, n) in forms {
                *all.names.entry(v.clone()).or_default() += n;
            }
        }
        if let Some(n) = all.display_name() {
            s.name = n.to_string();
        }
    }
    s
}

/// [`crate::identity::Registry::alias_groups`] with owned strings, to be kept beside the
/// registry.
fn owned_groups(reg: &crate::identity::Registry) -> BTreeMap<String, Vec<String>> {
    reg.alias_groups().into_iter().map(|(t, a)| (t.to_string(), a.into_iter().map(str::to_string).collect())).collect()
}

/// Builds a highlighted text from tantivy's fragment and byte ranges.
fn highlighted(fragment: &str, ranges: &[std::ops::Range<usize>], cut: [bool; 2]) -> Highlighted {
    let mut html = String::with_capacity(fragment.len() + 32);
    let mut highlights = Vec::with_capacity(ranges.len());
    let mut last = 0;
    let cp = |b: usize| fragment.get(..b).map_or(0, |s| s.chars().count());
    for r in ranges {
        if r.start < last
            || r.end > fragment.len()
            || !fragment.is_char_boundary(r.start)
            || !fragment.is_char_boundary(r.end)
        {
            continue;
        }
        escape_into(&fragment[last..r.start], &mut html);
        html.push_str("<mark>");
        escape_into(&fragment[r.clone()], &mut html);
        html.push_str("</mark>");
        highlights.push([cp(r.start), cp(r.end)]);
        last = r.end;
    }
    escape_into(&fragment[last..], &mut html);
    Highlighted {
        text: fragment.to_string(),
        highlights,
        html,
        cut,
    }
}

/// HTML-escapes `s` into `out`.
pub fn escape_into(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

impl Corpus {
    /// Opens the index in `dir`.
    ///
    /// # Errors
    /// [`Error::Schema`] for a directory that is not a khabar index; tantivy errors
    /// (no index there, unreadable files).
    pub fn open(dir: &Path, tokenizer: ArabicTokenizer) -> Result<Corpus> {
        if !dir.join("meta.json").exists() {
            return Err(Error::NotAnIndex(dir.display().to_string()));
        }
        let index = Index::open_in_dir(dir)?;
        let mut c = Self::from_index(index, tokenizer)?;
        c.dir = Some(dir.to_path_buf());
        c.reload()?;
        Ok(c)
    }

    /// Wraps an opened index.
    ///
    /// # Errors
    /// As [`Corpus::open`].
    pub fn from_index(index: Index, tokenizer: ArabicTokenizer) -> Result<Corpus> {
        let fields = Fields::of(&index.schema())?;
        register(&index, tokenizer.clone());
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let mut parser = QueryParser::for_index(&index, vec![fields.title, fields.body]);
        parser.set_conjunction_by_default();
        parser.set_field_boost(fields.title, 2.0);
        let mut corpus = Corpus {
            index,
            reader,
            fields,
            parser,
            tokenizer,
            entities: Arc::new(Vec::new()),
            registry: Arc::new(crate::identity::Registry::default()),
            alias_groups: Arc::new(BTreeMap::new()),
            noise: Arc::new(Default::default()),
            all_places: std::sync::OnceLock::new(),
            dir: None,
        };
        corpus.entities = Arc::new(corpus.scan_entities()?);
        Ok(corpus)
    }

    /// Reloads the reader (to see commits made since opening).
    ///
    /// # Errors
    /// Tantivy errors.
    pub fn reload(&mut self) -> Result<()> {
        self.reader.reload()?;
        if let Some(dir) = &self.dir {
            self.registry = Arc::new(crate::identity::Registry::load(dir)?);
        }
        self.alias_groups = Arc::new(owned_groups(&self.registry));
        self.noise = Arc::new(self.find_noise());
        self.entities = Arc::new(self.scan_entities()?);
        self.all_places = std::sync::OnceLock::new();
        Ok(())
    }

    /// The registry's entities that are noise: single-word persons and organizations
    /// lacking support, or whose word the corpus mostly uses otherwise.
    fn find_noise(&self) -> std::collections::HashSet<String> {
        let searcher = self.searcher();
        let mut out = std::collections::HashSet::new();
        for (id, st) in &self.registry.entities {
            let Some((_, key)) = id.split_once(':') else { continue };
            if key.contains(' ') || !matches!(st.kind.as_str(), "PERS" | "ORG") {
                continue;
            }
            let word = st.display_name().unwrap_or(key);
            let df = match self.tokenizer.terms(word).first() {
                Some(t) => searcher.doc_freq(&Term::from_field_text(self.fields.body, &t.text)).unwrap_or(0),
                None => 0,
            };
            if st.is_noise(key, df) {
                out.insert(id.clone());
            }
        }
        out
    }

    /// Whether an entity is left out of lists as likely noise.
    pub fn is_noise(&self, id: &str) -> bool {
        self.noise.contains(id)
    }

    /// Articles in the index.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// The last commit's checkpoint.
    pub fn checkpoint(&self) -> Option<Checkpoint> {
        let metas = self.index.load_metas().ok()?;
        metas
            .payload
            .as_deref()
            .and_then(|p| serde_json::from_str(p).ok())
    }

    /// The fields.
    pub fn fields(&self) -> &Fields {
        &self.fields
    }

    /// The analyzer the index uses.
    pub fn tokenizer(&self) -> &ArabicTokenizer {
        &self.tokenizer
    }

    fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    fn scan_entities(&self) -> Result<Vec<Listed>> {
        let searcher = self.searcher();
        let mut counts: BTreeMap<Vec<u8>, u64> = BTreeMap::new();
        for seg in searcher.segment_readers() {
            let inv = seg.inverted_index(self.fields.entity)?;
            let mut stream = inv.terms().stream().map_err(|e| Error::Io {
                path: "entity terms".into(),
                source: e,
            })?;
            while stream.advance() {
                *counts.entry(stream.key().to_vec()).or_default() +=
                    u64::from(stream.value().doc_freq);
            }
        }
        let reg = &self.registry;
        let mut out: Vec<Listed> = Vec::new();
        for (k, n) in counts {
            let Some(mut s) = Facet::from_encoded(k).ok().and_then(|f| summary_of(&f, n)) else { continue };
            // A short name listed under its organization's full name is not listed itself.
            if reg.canonical_id(&s.id) != s.id {
                continue;
            }
            let key = s.name.clone();
            let mut forms = entity_key(&key);
            if self.noise.contains(&s.id) {
                continue;
            }
            let aliases = self.aliases_of(&s.id);
            if !aliases.is_empty() {
                // Articles naming it either way, each once.
                s.articles = searcher.search(&*self.facets_query(&self.entity_facets(&s.id)), &Count)? as u64;
            }
            for id in std::iter::once(s.id.as_str()).chain(aliases.iter().map(String::as_str)) {
                if let Some(st) = reg.entities.get(id) {
                    for v in st.variants.keys() {
                        forms.push('|');
                        forms.push_str(&entity_key(v));
                    }
                }
            }
            out.push(Listed { summary: with_registry(s, reg, aliases), forms });
        }
        out.sort_by(|a, b| b.summary.articles.cmp(&a.summary.articles).then_with(|| a.summary.id.cmp(&b.summary.id)));
        Ok(out)
    }

    /// Entities whose normalized name or a surface form contains `q` (normalized), most
    /// mentioned first (an exact match first); all entities when `q` is empty. Likely noise
    /// is left out (see [`crate::identity`]).
    pub fn entities(&self, q: &str, kind: Option<&str>, limit: usize) -> Vec<EntitySummary> {
        let key = entity_key(q);
        let mut exact = Vec::new();
        let mut rest = Vec::new();
        for e in self.entities.iter() {
            if kind.is_some_and(|k| k != e.summary.kind) {
                continue;
            }
            if key.is_empty() || e.forms.contains(&key) {
                if e.forms.split('|').any(|f| f == key) {
                    exact.push(e.summary.clone());
                } else {
                    rest.push(e.summary.clone());
                }
            }
            if key.is_empty() && rest.len() >= limit {
                break;
            }
        }
        exact.extend(rest);
        exact.truncate(limit);
        exact
    }

    /// The registry's record of an entity.
    pub fn entity_stats(&self, id: &str) -> Option<&crate::identity::EntityStats> {
        self.registry.entities.get(id)
    }

    fn analyzed_phrase(&self, field: tantivy::schema::Field, text: &str) -> Option<Box<dyn Query>> {
        let terms: Vec<Term> = self
            .tokenizer
            .terms(text)
            .into_iter()
            .map(|t| Term::from_field_text(field, &t.text))
            .collect();
        match terms.len() {
            0 => None,
            1 => Some(Box::new(TermQuery::new(
                terms[0].clone(),
                IndexRecordOption::Basic,
            ))),
            _ => Some(Box::new(PhraseQuery::new(terms))),
        }
    }

    /// The id an entity id is listed and searched under (see
    /// [`crate::identity::Registry::canonical_id`]), normalized to its key; `None` for a
    /// string that is not `TYPE:name`.
    fn resolve_id(&self, id: &str) -> Option<String> {
        let parts = entity_id_facet(id)?;
        let path = parts.to_path();
        let id = format!("{}:{}", path.first()?, path.get(1)?);
        Some(self.registry.canonical_id(&id).to_string())
    }

    /// The short names' ids listed under an organization's full name `id` (none for any
    /// other id).
    fn aliases_of(&self, id: &str) -> &[String] {
        self.alias_groups.get(id).map_or(&[], Vec::as_slice)
    }

    /// The facets an entity's articles carry: its own, and those of the short names listed
    /// under it.
    fn entity_facets(&self, id: &str) -> Vec<Facet> {
        let mut out: Vec<Facet> = entity_id_facet(id).into_iter().collect();
        out.extend(self.aliases_of(id).iter().filter_map(|a| entity_id_facet(a)));
        out
    }

    /// Articles carrying any of `facets`.
    fn facets_query(&self, facets: &[Facet]) -> Box<dyn Query> {
        let term = |f: &Facet| -> Box<dyn Query> {
            Box::new(TermQuery::new(Term::from_facet(self.fields.entity, f), IndexRecordOption::Basic))
        };
        match facets {
            [one] => term(one),
            many => Box::new(BooleanQuery::new(many.iter().map(|f| (Occur::Should, term(f))).collect())),
        }
    }

    /// The query for an entity filter: its exact facet (`TYPE:name`, with the short names
    /// listed under it), or, for a bare name, the facet under any type or the name as a
    /// phrase among entity mentions.
    fn entity_query(&self, entity: &str) -> Result<Box<dyn Query>> {
        let f = self.fields.entity;
        if let Some(id) = self.resolve_id(entity) {
            return Ok(self.facets_query(&self.entity_facets(&id)));
        }
        let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for kind in ["PERS", "LOC", "ORG", "MISC"] {
            let facet = Facet::from_path([kind.to_string(), crate::identity::key_of(kind, entity)]);
            should.push((
                Occur::Should,
                Box::new(TermQuery::new(
                    Term::from_facet(f, &facet),
                    IndexRecordOption::Basic,
                )),
            ));
        }
        // A short name also finds the articles that name its organization in full.
        let own = format!("ORG:{}", crate::identity::key_of("ORG", entity));
        let listed = self.registry.canonical_id(&own);
        if listed != own {
            should.push((Occur::Should, self.facets_query(&self.entity_facets(listed))));
        }
        if let Some(q) = self.analyzed_phrase(self.fields.entity_names, entity) {
            should.push((Occur::Should, q));
        }
        if should.is_empty() {
            return Err(Error::BadRequest(format!("empty entity name `{entity}`")));
        }
        Ok(Box::new(BooleanQuery::new(should)))
    }

    fn date_bound(&self, s: &str, end: bool) -> Result<Bound<Term>> {
        let d = khabar::parse_date(s)
            .map_err(|_| Error::BadRequest(format!("invalid date `{s}` (expected YYYY-MM-DD)")))?;
        let d = if end { d.succ_opt().unwrap_or(d) } else { d };
        let secs = d
            .and_hms_opt(0, 0, 0)
            .map_or(0, |t| t.and_utc().timestamp());
        let term =
            Term::from_field_date_for_search(self.fields.date, DateTime::from_timestamp_secs(secs));
        Ok(if end {
            Bound::Excluded(term)
        } else {
            Bound::Included(term)
        })
    }

    /// The amount filters of a request as terms of the `amount` field.
    ///
    /// # Errors
    /// [`Error::BadRequest`] for an unknown kind, a currency that is not three letters, or an
    /// index written before amounts.
    fn amount_filter_terms(&self, req: &SearchRequest) -> Result<Vec<Term>> {
        let kind = req.amount_kind.as_deref().map(str::trim).filter(|s| !s.is_empty());
        let currency = req.currency.as_deref().map(str::trim).filter(|s| !s.is_empty());
        if kind.is_none() && currency.is_none() {
            return Ok(Vec::new());
        }
        let Some(field) = self.fields.amount else {
            return Err(Error::BadRequest("this index was built before amounts: rebuild it to filter by amount or currency".into()));
        };
        let mut terms = Vec::new();
        if let Some(k) = kind {
            if khabar::AmountKind::parse(k).is_none() {
                return Err(Error::BadRequest(format!("unknown amount kind `{k}` (money, percent, count, number)")));
            }
            terms.push(Term::from_field_text(field, k));
        }
        if let Some(c) = currency {
            let c = c.to_ascii_uppercase();
            if c.len() != 3 || !c.bytes().all(|b| b.is_ascii_uppercase()) {
                return Err(Error::BadRequest(format!("currency `{c}` is not an ISO 4217 code such as USD")));
            }
            terms.push(Term::from_field_text(field, &format!("money:{c}")));
        }
        Ok(terms)
    }

    /// Builds the tantivy query of a request (text query and filters).
    ///
    /// # Errors
    /// [`Error::BadRequest`] for an invalid date or empty entity.
    pub fn build_query(&self, req: &SearchRequest) -> Result<Box<dyn Query>> {
        let mut must: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let q = req.query.trim();
        if !q.is_empty() {
            let (query, _errors) = self.parser.parse_query_lenient(q);
            must.push((Occur::Must, query));
        }
        if let Some(e) = req.entity.as_deref().filter(|e| !e.trim().is_empty()) {
            must.push((Occur::Must, self.entity_query(e)?));
        }
        for term in self.amount_filter_terms(req)? {
            must.push((Occur::Must, Box::new(TermQuery::new(term, IndexRecordOption::Basic))));
        }
        if let Some(s) = req.source.as_deref().filter(|s| !s.trim().is_empty()) {
            let t = Term::from_field_text(self.fields.source, s.trim());
            must.push((
                Occur::Must,
                Box::new(TermQuery::new(t, IndexRecordOption::Basic)),
            ));
        }
        let from = req
            .from
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .map(|s| self.date_bound(s, false))
            .transpose()?;
        let to = req
            .to
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .map(|s| self.date_bound(s, true))
            .transpose()?;
        if from.is_some() || to.is_some() {
            must.push((
                Occur::Must,
                Box::new(RangeQuery::new(
                    from.unwrap_or(Bound::Unbounded),
                    to.unwrap_or(Bound::Unbounded),
                )),
            ));
        }
        Ok(match must.len() {
            0 => Box::new(AllQuery),
            1 if !q.is_empty() => must.remove(0).1,
            _ => Box::new(BooleanQuery::new(must)),
        })
    }

    /// Runs a search.
    ///
    /// # Errors
    /// [`Error::BadRequest`] for invalid filters; tantivy errors.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults> {
        let limit = req.limit.clamp(1, MAX_LIMIT);
        let query = self.build_query(req)?;
        let searcher = self.searcher();
        let want = req.offset + limit;
        // Collapsing needs more candidates than it shows.
        let fetch = if req.collapse { want * 3 + 20 } else { want };
        let (top, total) = searcher.search(
            &query,
            &(TopDocs::with_limit(fetch).order_by_score(), Count),
        )?;
        let clusters: Vec<(f32, DocAddress, u64)> = {
            let mut cols = Vec::new();
            for seg in searcher.segment_readers() {
                cols.push(seg.fast_fields().u64("cluster")?);
            }
            top.iter()
                .map(|&(s, a)| {
                    let c = cols
                        .get(a.segment_ord as usize)
                        .and_then(|c| c.first(a.doc_id))
                        .unwrap_or(u64::MAX);
                    (s, a, c)
                })
                .collect()
        };
        // Group by cluster, best-ranked first.
        let mut groups: Vec<(f32, DocAddress, Vec<DocAddress>)> = Vec::new();
        let mut index_of: rustc_hash::FxHashMap<u64, usize> = Default::default();
        for (s, a, c) in clusters {
            if req.collapse {
                if let Some(&i) = index_of.get(&c) {
                    groups[i].2.push(a);
                    continue;
                }
                index_of.insert(c, groups.len());
            }
            groups.push((s, a, Vec::new()));
        }
        let mut title_gen = SnippetGenerator::create(&searcher, &*query, self.fields.title)?;
        title_gen.set_max_num_chars(400);
        let mut text_gen = SnippetGenerator::create(&searcher, &*query, self.fields.body)?;
        text_gen.set_max_num_chars(260);
        let mut hits = Vec::with_capacity(limit);
        for (score, addr, dups) in groups.into_iter().skip(req.offset).take(limit) {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let f = &self.fields;
            let title = first_str(&doc, f.title);
            let text = first_str(&doc, f.text);
            let ts = title_gen.snippet(&title);
            let title_h = if ts.highlighted().is_empty() {
                highlighted(&title, &[], [false, false])
            } else {
                // Keep the whole title, highlighting inside it.
                let off = ts.fragment_range().start;
                let ranges: Vec<_> = ts
                    .highlighted()
                    .iter()
                    .map(|r| r.start + off..r.end + off)
                    .collect();
                highlighted(&title, &ranges, [false, false])
            };
            let sn = text_gen.snippet(&text);
            let snippet = if sn.fragment().is_empty() {
                let end = text.char_indices().nth(200).map_or(text.len(), |(i, _)| i);
                highlighted(&text[..end], &[], [false, end < text.len()])
            } else {
                let r = sn.fragment_range();
                highlighted(
                    sn.fragment(),
                    sn.highlighted(),
                    [r.start > 0, r.end < text.len()],
                )
            };
            let mut duplicates = Vec::with_capacity(dups.len());
            for d in dups {
                let dd: TantivyDocument = searcher.doc(d)?;
                duplicates.push(first_u64(&dd, f.id));
            }
            hits.push(Hit {
                id: first_u64(&doc, f.id),
                score,
                title: title_h,
                snippet,
                date: first_date(&doc, f.date),
                source: first_str(&doc, f.source),
                url: first_str(&doc, f.url),
                cluster: first_u64(&doc, f.cluster),
                duplicates,
            });
        }
        Ok(SearchResults {
            total,
            hits,
            collapsed: req.collapse,
        })
    }

    fn doc_by_id(&self, searcher: &Searcher, id: u64) -> Result<Option<TantivyDocument>> {
        let q = TermQuery::new(
            Term::from_field_u64(self.fields.id, id),
            IndexRecordOption::Basic,
        );
        let top = searcher.search(&q, &TopDocs::with_limit(1).order_by_score())?;
        match top.first() {
            Some(&(_, addr)) => Ok(Some(searcher.doc(addr)?)),
            None => Ok(None),
        }
    }

    /// The stored article with this id.
    ///
    /// # Errors
    /// Tantivy errors.
    pub fn article(&self, id: u64) -> Result<Option<StoredArticle>> {
        let searcher = self.searcher();
        let Some(doc) = self.doc_by_id(&searcher, id)? else {
            return Ok(None);
        };
        let f = &self.fields;
        let entities = doc
            .get_all(f.entity)
            .filter_map(|v| match OwnedValue::from(v) {
                // By the id each entity is listed under (a short name's, its full name's).
                OwnedValue::Facet(facet) => summary_of(&facet, 0).map(|s| self.registry.canonical_id(&s.id).to_string()),
                _ => None,
            })
            .collect::<Vec<String>>();
        let mut entities = entities;
        let mut seen = std::collections::HashSet::new();
        entities.retain(|e| seen.insert(e.clone()));
        Ok(Some(StoredArticle {
            id: first_u64(&doc, f.id),
            title: first_str(&doc, f.title),
            text: first_str(&doc, f.text),
            date: first_date(&doc, f.date),
            source: first_str(&doc, f.source),
            url: first_str(&doc, f.url),
            cluster: first_u64(&doc, f.cluster),
            entities,
        }))
    }

    /// Ids of the articles in a duplicate cluster (at most 100), in id order.
    ///
    /// # Errors
    /// Tantivy errors.
    pub fn cluster_members(&self, cluster: u64) -> Result<Vec<u64>> {
        let searcher = self.searcher();
        let q = TermQuery::new(
            Term::from_field_u64(self.fields.cluster, cluster),
            IndexRecordOption::Basic,
        );
        let top = searcher.search(&q, &TopDocs::with_limit(100).order_by_score())?;
        let mut ids = Vec::with_capacity(top.len());
        for (_, a) in top {
            let d: TantivyDocument = searcher.doc(a)?;
            ids.push(first_u64(&d, self.fields.id));
        }
        ids.sort_unstable();
        Ok(ids)
    }

    /// An entity's timeline, co-mentioned entities and recent articles.
    ///
    /// # Errors
    /// [`Error::BadRequest`] for an id that is not `TYPE:name`; tantivy errors.
    pub fn entity(&self, id: &str) -> Result<Option<EntityDetail>> {
        let invalid = || Error::BadRequest(format!("invalid entity id `{id}` (expected TYPE:name, e.g. PERS:فايز السراج)"));
        // A short name listed under an organization's full name opens the full name's page.
        let id = self.resolve_id(id).ok_or_else(invalid)?;
        let facets = self.entity_facets(&id);
        let facet = facets.first().cloned().ok_or_else(invalid)?;
        let searcher = self.searcher();
        let q = self.facets_query(&facets);
        let mut fc = FacetCollector::for_field("entity");
        for k in ["/PERS", "/LOC", "/ORG", "/MISC"] {
            fc.add_facet(k);
        }
        let (docs, counts) = searcher.search(&*q, &(DocSetCollector, fc))?;
        if docs.is_empty() {
            return Ok(None);
        }
        let mut days: BTreeMap<String, u64> = BTreeMap::new();
        let mut dated: Vec<(i64, DocAddress)> = Vec::with_capacity(docs.len());
        let mut cols = Vec::new();
        for seg in searcher.segment_readers() {
            cols.push(seg.fast_fields().date("date")?);
        }
        for a in &docs {
            if let Some(d) = cols
                .get(a.segment_ord as usize)
                .and_then(|c| c.first(a.doc_id))
            {
                let secs = d.into_timestamp_secs();
                dated.push((secs, *a));
                if let Some(s) = fmt_date(d) {
                    *days.entry(s.get(..10).unwrap_or(&s).to_string()).or_default() += 1;
                }
            } else {
                dated.push((i64::MIN, *a));
            }
        }
        // Co-mentions by the id they are listed under (a short name's articles count for
        // its full name).
        let mut co_counts: BTreeMap<String, (u64, usize)> = BTreeMap::new();
        for k in ["/PERS", "/LOC", "/ORG", "/MISC"] {
            for (f, n) in counts.get(k) {
                if facets.contains(f) {
                    continue;
                }
                if let Some(s) = summary_of(f, n) {
                    let cid = self.registry.canonical_id(&s.id).to_string();
                    if cid != id && !self.noise.contains(&cid) {
                        let e = co_counts.entry(cid).or_default();
                        e.0 += n;
                        e.1 += 1;
                    }
                }
            }
        }
        // A neighbour met under both its names: its articles counted once each.
        for (cid, (n, parts)) in co_counts.iter_mut() {
            if *parts > 1 {
                let both = BooleanQuery::new(vec![(Occur::Must, q.box_clone()), (Occur::Must, self.facets_query(&self.entity_facets(cid)))]);
                *n = searcher.search(&both, &Count)? as u64;
            }
        }
        let co_counts: BTreeMap<String, u64> = co_counts.into_iter().map(|(k, (n, _))| (k, n)).collect();
        let mut co: Vec<EntitySummary> =
            co_counts.into_iter().filter_map(|(cid, n)| entity_id_facet(&cid).and_then(|f| summary_of(&f, n))).collect();
        co.sort_by(|a, b| b.articles.cmp(&a.articles).then_with(|| a.id.cmp(&b.id)));
        co.truncate(20);
        // Named after the cut: only the twenty shown need the registry.
        let co: Vec<EntitySummary> = co
            .into_iter()
            .map(|s| {
                let aliases = self.aliases_of(&s.id);
                with_registry(s, &self.registry, aliases)
            })
            .collect();
        dated.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut recent = Vec::new();
        for &(_, a) in dated.iter().take(10) {
            let d: TantivyDocument = searcher.doc(a)?;
            recent.push((
                first_u64(&d, self.fields.id),
                first_str(&d, self.fields.title),
                first_date(&d, self.fields.date),
            ));
        }
        let entity = summary_of(&facet, docs.len() as u64)
            .ok_or_else(|| Error::BadRequest(format!("invalid entity id `{id}`")))?;
        // The variants and support of the short names listed under it are its own.
        let mut merged: Option<crate::identity::EntityStats> = None;
        for fid in std::iter::once(entity.id.as_str()).chain(self.aliases_of(&entity.id).iter().map(String::as_str)) {
            let Some(st) = self.registry.entities.get(fid) else { continue };
            let m = merged.get_or_insert_with(|| crate::identity::EntityStats { kind: st.kind.clone(), ..Default::default() });
            for (v, n) in &st.variants {
                *m.variants.entry(v.clone()).or_default() += n;
            }
            m.supported += st.supported;
        }
        let variants = merged.as_ref().map(|s| s.variants_by_count()).unwrap_or_default();
        let supported_articles = merged.as_ref().map_or(0, |s| s.supported.min(docs.len() as u64));
        let noise = self.noise.contains(&entity.id);
        let aliases = self.aliases_of(&entity.id);
        let entity = with_registry(entity, &self.registry, aliases);
        Ok(Some(EntityDetail {
            entity,
            variants,
            supported_articles,
            noise,
            timeline: days.into_iter().collect(),
            co_mentions: co,
            recent,
        }))
    }
}

/// A place of a set of articles (`GET /v1/places`, `khabar places`).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PlaceCount {
    /// Corpus id (`LOC:gn<geonameid>`).
    pub id: String,
    /// The most frequent surface form.
    pub name: String,
    /// GeoNames fields.
    #[serde(flatten)]
    pub place: crate::identity::PlaceInfo,
    /// Articles among the set that mention it.
    pub articles: u64,
    /// The entities most often mentioned with it in those articles (id, name, articles).
    pub co_mentions: Vec<(String, String, u64)>,
}

/// How many co-mentioned entities each place lists.
const PLACE_CO_MENTIONS: usize = 5;

impl Corpus {
    /// The resolved places of the articles a request matches (its query, entity, dates and
    /// source; limit and offset ignored), most mentioned first, at most `limit`. One pass
    /// over the matching articles' entity facets counts places and their co-mentions; the
    /// answer for the whole index (no query, no filter) is counted once and kept until the
    /// next reload.
    ///
    /// # Errors
    /// [`Error::BadRequest`] for invalid filters; tantivy errors.
    pub fn places(&self, req: &SearchRequest, limit: usize) -> Result<Vec<PlaceCount>> {
        let query = self.build_query(req)?;
        // No query and no filter: `build_query` matches every article.
        if query.downcast_ref::<AllQuery>().is_none() {
            return self.count_places(&*query, limit);
        }
        if self.all_places.get().is_none() {
            let all = self.count_places(&*query, usize::MAX)?;
            // Another thread may have counted them meanwhile: the same answer either way.
            let _ = self.all_places.set(all);
        }
        let all = self.all_places.get().map_or(&[][..], Vec::as_slice);
        Ok(all.iter().take(limit).cloned().collect())
    }

    fn count_places(&self, query: &dyn Query, limit: usize) -> Result<Vec<PlaceCount>> {
        let searcher = self.searcher();
        let docs = searcher.search(query, &DocSetCollector)?;
        let mut by_segment: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
        for a in docs {
            by_segment.entry(a.segment_ord).or_default().push(a.doc_id);
        }
        // Facet string → (articles, co-mentioned facet string → articles). Counted by facet
        // ordinal within each segment (no string per mention), named once per segment.
        let mut places: rustc_hash::FxHashMap<String, (u64, rustc_hash::FxHashMap<String, u64>)> = Default::default();
        let groups = &self.alias_groups;
        for (seg_ord, ids) in by_segment {
            let seg = searcher.segment_reader(seg_ord);
            let reader = seg.facet_reader("entity")?;
            // An organization's short names are counted as its full name, once per article
            // that writes either: their ordinals map to the group's first one present.
            let mut to_group: rustc_hash::FxHashMap<u64, u64> = Default::default();
            for (target, aliases) in groups.iter() {
                let ord_of = |id: &str| -> Option<u64> {
                    let f = entity_id_facet(id)?;
                    reader.facet_dict().term_ord(f.encoded_str()).ok().flatten()
                };
                let members: Vec<u64> = std::iter::once(target.as_str()).chain(aliases.iter().map(String::as_str)).filter_map(ord_of).collect();
                if let Some((&head, rest)) = members.split_first() {
                    for &m in rest {
                        to_group.insert(m, head);
                    }
                }
            }
            // The places' facets (`/LOC/gn…`) are one run of ordinals: read from the facet
            // dictionary, so no other facet is ever turned back into its string.
            let mut place_ords: rustc_hash::FxHashSet<u64> = Default::default();
            let mut stream = reader
                .facet_dict()
                .range()
                .ge(b"LOC\0gn")
                .lt(b"LOC\0go")
                .into_stream()
                .map_err(|e| Error::Io { path: "entity facets".into(), source: e })?;
            while stream.advance() {
                place_ords.insert(stream.term_ord());
            }
            let mut facet = Facet::root();
            let mut counts: rustc_hash::FxHashMap<u64, (u64, rustc_hash::FxHashMap<u64, u64>)> = Default::default();
            let mut ords: Vec<u64> = Vec::new();
            for doc in ids {
                ords.clear();
                ords.extend(reader.facet_ords(doc));
                if !to_group.is_empty() {
                    for o in ords.iter_mut() {
                        if let Some(&g) = to_group.get(o) {
                            *o = g;
                        }
                    }
                    ords.sort_unstable();
                    ords.dedup();
                }
                for &p in ords.iter().filter(|o| place_ords.contains(o)) {
                    let e = counts.entry(p).or_default();
                    e.0 += 1;
                    for &o in ords.iter().filter(|&&o| o != p) {
                        *e.1.entry(o).or_default() += 1;
                    }
                }
            }
            let mut name = |o: u64| -> Result<String> {
                reader.facet_from_ord(o, &mut facet)?;
                Ok(facet.to_path_string())
            };
            for (p, (n, co)) in counts {
                let key = name(p)?;
                let e = places.entry(key).or_default();
                e.0 += n;
                // Only each place's most frequent neighbours of this segment are named (with
                // room for those the noise filter drops): naming is the costly part.
                let mut co: Vec<(u64, u64)> = co.into_iter().collect();
                co.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
                for (o, c) in co.into_iter().take(4 * PLACE_CO_MENTIONS) {
                    *e.1.entry(name(o)?).or_default() += c;
                }
            }
        }
        let id_of = |path: &str| -> Option<String> {
            let mut parts = path.trim_start_matches('/').splitn(2, '/');
            Some(format!("{}:{}", parts.next()?, parts.next()?))
        };
        let mut out: Vec<PlaceCount> = Vec::new();
        for (path, (n, co)) in places {
            let Some(id) = id_of(&path) else { continue };
            let Some(stats) = self.registry.entities.get(&id) else { continue };
            let Some(place) = stats.place.clone() else { continue };
            // By the id each neighbour is listed under (a short name's articles count for its
            // organization's full name).
            let mut merged: BTreeMap<String, u64> = BTreeMap::new();
            for (p, n) in co {
                if let Some(cid) = id_of(&p) {
                    *merged.entry(self.registry.canonical_id(&cid).to_string()).or_default() += n;
                }
            }
            let mut co: Vec<(String, u64)> = merged.into_iter().collect();
            co.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            let co_mentions = co
                .into_iter()
                .filter_map(|(cid, n)| {
                    if self.noise.contains(&cid) {
                        return None;
                    }
                    // An id the registry lacks keeps its key as its name.
                    let key = cid.split_once(':').map_or("", |(_, k)| k).to_string();
                    let s = EntitySummary { id: cid.clone(), kind: String::new(), name: key, articles: n, place: None };
                    let name = with_registry(s, &self.registry, self.aliases_of(&cid)).name;
                    Some((cid, name, n))
                })
                .take(PLACE_CO_MENTIONS)
                .collect();
            out.push(PlaceCount { id, name: stats.display_name().unwrap_or("").to_string(), place, articles: n, co_mentions });
        }
        out.sort_by(|a, b| b.articles.cmp(&a.articles).then(a.id.cmp(&b.id)));
        out.truncate(limit);
        Ok(out)
    }
}

/// Places as a GeoJSON FeatureCollection (RFC 7946: coordinates are `[lon, lat]`; a place
/// without coordinates has a `null` geometry).
pub fn places_geojson(places: &[PlaceCount]) -> serde_json::Value {
    let features: Vec<serde_json::Value> = places
        .iter()
        .map(|p| {
            let geometry = match (p.place.lon, p.place.lat) {
                (Some(lon), Some(lat)) => serde_json::json!({"type": "Point", "coordinates": [lon, lat]}),
                _ => serde_json::Value::Null,
            };
            serde_json::json!({
                "type": "Feature",
                "id": p.id,
                "geometry": geometry,
                "properties": {
                    "id": p.id,
                    "geonameid": p.place.geonameid,
                    "name": p.name,
                    "country": p.place.country,
                    "place_kind": p.place.place_kind,
                    "articles": p.articles,
                    "co_mentions": p.co_mentions.iter().map(|(id, name, n)| serde_json::json!({"id": id, "name": name, "articles": n})).collect::<Vec<_>>(),
                }
            })
        })
        .collect();
    serde_json::json!({"type": "FeatureCollection", "features": features})
}
