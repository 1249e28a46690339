//! khabar's HTTP API and web page (axum).
//!
//! | route | what |
//! |---|---|
//! | `GET /` | the web page (search, article view, entity pages; assets compiled in) |
//! | `GET /health` | liveness and the number of indexed articles |
//! | `POST /v1/analyze` | `{"text": …, "date": "YYYY-MM-DD"?}` → the analysis contract (`CONTRACT.md`) |
//! | `GET /v1/search` | `q`, `entity`, `from`, `to`, `source`, `amount` (kind), `currency` (ISO 4217), `limit`, `offset`, `all` → hits with highlighted snippets |
//! | `GET /v1/articles/{id}` | a stored article, its near-duplicates and its analysis |
//! | `GET /v1/entities` | `q`, `type`, `limit` → entities of the corpus, most mentioned first |
//! | `GET /v1/entities/{id}` | an entity's variants with counts, place fields, mentions per day, co-mentioned entities, recent articles |
//! | `GET /v1/places` | `q`, `entity`, `from`, `to`, `source`, `limit` → the resolved places of the matching articles, a GeoJSON FeatureCollection |
//! | `GET /v1/openapi.json` | the OpenAPI 3.1 description of all of this |
//!
//! Errors are JSON, `{"error": {"status": 400, "code": "bad_request", "message": "…"}}`,
//! with the matching HTTP status. Request bodies are capped ([`Config::max_body`]), every
//! request has a deadline ([`Config::timeout`]), analysis and search run on the blocking
//! pool so all cores serve, and [`serve`] stops gracefully on its shutdown signal.
//!
//! Analyses (`POST /v1/analyze`, `GET /v1/articles/{id}`) are the heavy work: at most
//! [`Config::max_analyses`] run at once, at most [`Config::queue`] more wait for a turn, and
//! any beyond are refused at once with 503 `busy` and `Retry-After`. An analysis stops
//! (between stages and sentences) as soon as its request is abandoned: when the deadline
//! answers 503 `timeout`, or when the client goes away. `GET /health` reports the analyses
//! running (`analyses_running`) and waiting (`analyses_waiting`).
#![deny(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Path, Query, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use khabar::{output::v1, Pipeline};
use khabar_index::search::{Corpus, SearchRequest};
use serde::{Deserialize, Serialize};

const INDEX_HTML: &str = include_str!("../assets/index.html");
const APP_JS: &str = include_str!("../assets/app.js");
const APP_CSS: &str = include_str!("../assets/app.css");
const OPENAPI: &str = include_str!("../assets/openapi.json");
const MAP_JS: &str = include_str!("../assets/map.js");
/// Country shapes of the npm package `world-atlas` 2.0.2 (Natural Earth, public domain).
const WORLD_110M: &str = include_str!("../assets/vendor/countries-110m.json");
const WORLD_LICENSE: &str = include_str!("../assets/vendor/world-atlas-LICENSE.txt");

/// Server limits.
#[derive(Debug, Clone)]
pub struct Config {
    /// Largest request body, in bytes.
    pub max_body: usize,
    /// Deadline for each request.
    pub timeout: Duration,
    /// Analyses running at once (default: the number of cores).
    pub max_analyses: usize,
    /// Analyses waiting for a turn beyond those; more are refused with 503 `busy`
    /// (default: twice `max_analyses`).
    pub queue: usize,
}

impl Default for Config {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Config {
            max_body: 2 << 20,
            timeout: Duration::from_secs(30),
            max_analyses: cores,
            queue: 2 * cores,
        }
    }
}

/// What the handlers share.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    corpus: Corpus,
    pipeline: Pipeline,
    config: Config,
    /// One permit per analysis allowed to run.
    analyses: Arc<tokio::sync::Semaphore>,
    /// Analyses running (holding a permit, until their work has really stopped).
    running: Arc<AtomicUsize>,
    /// Requests waiting for a permit.
    waiting: AtomicUsize,
}

impl AppState {
    /// State over an opened corpus and an analysis pipeline.
    pub fn new(corpus: Corpus, pipeline: Pipeline, config: Config) -> AppState {
        let permits = config.max_analyses.max(1);
        AppState {
            inner: Arc::new(Inner {
                corpus,
                pipeline,
                config,
                analyses: Arc::new(tokio::sync::Semaphore::new(permits)),
                running: Arc::new(AtomicUsize::new(0)),
                waiting: AtomicUsize::new(0),
            }),
        }
    }

    /// Analyses running now (their work not yet stopped).
    pub fn analyses_running(&self) -> usize {
        self.inner.running.load(Ordering::SeqCst)
    }

    /// Articles in the index.
    pub fn num_docs(&self) -> u64 {
        self.inner.corpus.num_docs()
    }
}

/// An API error: a status and a message, rendered as JSON.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }
    fn bad(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }
    fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", message)
    }
    fn internal(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", message)
    }
    fn busy() -> ApiError {
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "busy", "too many analyses in progress; retry shortly")
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({
            "error": { "status": self.status.as_u16(), "code": self.code, "message": self.message }
        });
        let mut r = (self.status, Json(body)).into_response();
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            // Both 503s (`busy`, `timeout`) are load: a client may retry after a second.
            r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        r
    }
}

impl From<khabar_index::Error> for ApiError {
    fn from(e: khabar_index::Error) -> ApiError {
        match e {
            khabar_index::Error::BadRequest(m) => ApiError::bad(m),
            other => ApiError::internal(other.to_string()),
        }
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> ApiError {
        let status = r.status();
        let code = match status {
            StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
            StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
            // Well-formed JSON of the wrong shape (a missing `text`, an unknown field).
            StatusCode::UNPROCESSABLE_ENTITY => "unprocessable_content",
            _ => "bad_request",
        };
        ApiError::new(status, code, r.body_text())
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> ApiError {
        ApiError::bad(r.body_text())
    }
}

impl From<PathRejection> for ApiError {
    fn from(r: PathRejection) -> ApiError {
        ApiError::bad(r.body_text())
    }
}

type ApiResult<T> = Result<T, ApiError>;

/// Runs blocking work (analysis, search) on tokio's blocking pool.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> ApiResult<T> + Send + 'static,
) -> ApiResult<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ApiError::internal(format!("worker failed: {e}")))?
}

/// Raises its flag when dropped: a handler's future is dropped when the deadline answers
/// for it or the client goes away, and the analysis it started sees the flag and stops.
struct CancelOnDrop(Arc<AtomicBool>);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// Counts one waiting request while alive.
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Counts one running analysis while alive (moved into the blocking task with its permit,
/// so the count falls when the work has stopped, not when the answer was sent).
struct Running(Arc<AtomicUsize>);

impl Drop for Running {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Runs an analysis `f` (given its cancellation flag) on the blocking pool, under the
/// concurrency bound: waits for a turn in the bounded queue, or answers 503 `busy` when the
/// queue is full. Dropping the returned future (deadline, client gone) cancels the work.
async fn analysis<T: Send + 'static>(
    s: &AppState,
    f: impl FnOnce(Arc<AtomicBool>) -> ApiResult<T> + Send + 'static,
) -> ApiResult<T> {
    let inner = &s.inner;
    let permit = match Arc::clone(&inner.analyses).try_acquire_owned() {
        Ok(p) => p,
        Err(_) => {
            if inner.waiting.fetch_add(1, Ordering::SeqCst) >= inner.config.queue {
                inner.waiting.fetch_sub(1, Ordering::SeqCst);
                return Err(ApiError::busy());
            }
            let _w = Waiting(&inner.waiting);
            Arc::clone(&inner.analyses)
                .acquire_owned()
                .await
                .map_err(|_| ApiError::internal("the server is shutting down"))?
        }
    };
    inner.running.fetch_add(1, Ordering::SeqCst);
    let running = Running(Arc::clone(&inner.running));
    let flag = Arc::new(AtomicBool::new(false));
    let _cancel = CancelOnDrop(Arc::clone(&flag));
    tokio::task::spawn_blocking(move || {
        let _held = (permit, running);
        f(flag)
    })
    .await
    .map_err(|e| ApiError::internal(format!("worker failed: {e}")))?
}

/// An analysis error as an API error.
fn analysis_error(e: khabar::Error) -> ApiError {
    match e {
        khabar::Error::InputTooLarge { .. } => ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", e.to_string()),
        // Only seen when the request was abandoned: nobody reads this answer.
        khabar::Error::Cancelled => ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "timeout", "the request took too long"),
        other => ApiError::internal(other.to_string()),
    }
}

fn json_response(body: String) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response()
}

fn asset(ct: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(ct)),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
        body,
    )
        .into_response()
}

async fn health(State(s): State<AppState>) -> Response {
    Json(serde_json::json!({
        "status": "ok",
        "articles": s.num_docs(),
        "version": env!("CARGO_PKG_VERSION"),
        "analyses_running": s.analyses_running(),
        "analyses_waiting": s.inner.waiting.load(Ordering::SeqCst),
    }))
    .into_response()
}

/// Body of `POST /v1/analyze`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnalyzeBody {
    /// The text.
    pub text: String,
    /// Publication date `YYYY-MM-DD` (resolves relative times).
    #[serde(default)]
    pub date: Option<String>,
}

/// Query string of `POST /v1/analyze`.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct AnalyzeParams {
    /// The contract's top-level fields to compute and return, comma-separated (default:
    /// all); `schema` and `text` are always returned.
    pub fields: Option<String>,
}

async fn analyze(
    State(s): State<AppState>,
    params: Result<Query<AnalyzeParams>, QueryRejection>,
    body: Result<Json<AnalyzeBody>, JsonRejection>,
) -> ApiResult<Response> {
    let Query(params) = params?;
    let fields = match params.fields.as_deref() {
        Some(f) => f.parse::<khabar::Fields>().map_err(|e| ApiError::bad(format!("fields: {e}")))?,
        None => khabar::Fields::ALL,
    };
    let Json(body) = body?;
    let date = match body.date.as_deref().filter(|d| !d.trim().is_empty()) {
        Some(d) => Some(khabar::parse_date(d).map_err(|e| ApiError::bad(e.to_string()))?),
        None => None,
    };
    let state = s.clone();
    analysis(&s, move |cancel| {
        let mut doc = khabar::Document::default();
        let mut watch = khabar::Watch::default().cancel_on(cancel);
        state.inner.pipeline.analyze_fields_with(&body.text, date, fields, &mut doc, &mut watch).map_err(analysis_error)?;
        Ok(json_response(v1::to_json_fields(&doc, fields)))
    })
    .await
}

/// Query string of `GET /v1/search`.
#[derive(Debug, Deserialize, Default)]
pub struct SearchParams {
    /// Query.
    #[serde(default)]
    pub q: String,
    /// Entity id or name.
    pub entity: Option<String>,
    /// From day.
    pub from: Option<String>,
    /// To day (inclusive).
    pub to: Option<String>,
    /// Source.
    pub source: Option<String>,
    /// Amount kind (`money`, `percent`, `count`, `number`).
    pub amount: Option<String>,
    /// Currency of a money amount (ISO 4217).
    pub currency: Option<String>,
    /// Hits (1–200, default 10).
    pub limit: Option<usize>,
    /// Offset.
    pub offset: Option<usize>,
    /// Show near-duplicates (`true`/`1`).
    pub all: Option<String>,
}

#[derive(Serialize)]
struct SearchOut {
    #[serde(flatten)]
    results: khabar_index::search::SearchResults,
    took_ms: f64,
}

fn truthy(s: Option<&str>) -> bool {
    matches!(s, Some("1" | "true" | "yes" | "on" | ""))
}

async fn search(
    State(s): State<AppState>,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> ApiResult<Response> {
    let Query(p) = params?;
    let limit = p.limit.unwrap_or(10);
    if limit == 0 || limit > khabar_index::search::MAX_LIMIT {
        return Err(ApiError::bad(format!(
            "limit must be between 1 and {}",
            khabar_index::search::MAX_LIMIT
        )));
    }
    let req = SearchRequest {
        query: p.q,
        entity: p.entity,
        from: p.from,
        to: p.to,
        source: p.source,
        amount_kind: p.amount,
        currency: p.currency,
        limit,
        offset: p.offset.unwrap_or(0).min(10_000),
        collapse: !truthy(p.all.as_deref()),
    };
    blocking(move || {
        let t = Instant::now();
        let results = s.inner.corpus.search(&req)?;
        let out = SearchOut {
            results,
            took_ms: t.elapsed().as_secs_f64() * 1e3,
        };
        Ok(json_response(
            serde_json::to_string(&out).map_err(|e| ApiError::internal(e.to_string()))?,
        ))
    })
    .await
}

#[derive(Serialize)]
struct ArticleOut<'a> {
    #[serde(flatten)]
    article: &'a khabar_index::search::StoredArticle,
    /// Other articles of its near-duplicate cluster.
    duplicates: Vec<u64>,
    /// For each entity record of the analysis (`E1`…), its corpus entity id.
    entity_ids: std::collections::BTreeMap<&'a str, String>,
    /// Words of the text matching the `q` parameter, as `[start, end)` code point offsets.
    highlights: Vec<[u32; 2]>,
    analysis: v1::Analysis<'a>,
}

/// Query string of `GET /v1/articles/{id}`.
#[derive(Debug, Deserialize, Default)]
pub struct ArticleParams {
    /// A search query whose words to highlight in the text.
    #[serde(default)]
    pub q: String,
}

async fn article(
    State(s): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    params: Result<Query<ArticleParams>, QueryRejection>,
) -> ApiResult<Response> {
    let Path(id) = id?;
    let Query(params) = params?;
    let id: u64 = id
        .parse()
        .map_err(|_| ApiError::bad(format!("article id must be a number, got `{id}`")))?;
    let state = s.clone();
    analysis(&state, move |cancel| {
        let a = s
            .inner
            .corpus
            .article(id)?
            .ok_or_else(|| ApiError::not_found(format!("no article {id}")))?;
        let date = a.date.as_deref().and_then(|d| khabar::parse_date(d).ok());
        let mut doc = khabar::Document::default();
        let mut watch = khabar::Watch::default().cancel_on(cancel);
        s.inner.pipeline.analyze_with(&a.text, date, &mut doc, &mut watch).map_err(analysis_error)?;
        let duplicates = s
            .inner
            .corpus
            .cluster_members(a.cluster)?
            .into_iter()
            .filter(|&x| x != a.id)
            .collect();
        let entity_ids = doc
            .entity_index
            .iter()
            .map(|r| (r.id.as_str(), khabar_index::identity::corpus_id(r)))
            .collect();
        let mut highlights = Vec::new();
        if !params.q.trim().is_empty() {
            let tok = s.inner.corpus.tokenizer();
            let wanted: std::collections::HashSet<String> =
                tok.terms(&params.q).into_iter().map(|t| t.text).collect();
            let idx = khabar::CodepointIndex::new(&a.text);
            for t in tok.terms_of_tokens(doc.tokens()) {
                if wanted.contains(&t.text) {
                    highlights.push([idx.cp(t.start as u32), idx.cp(t.end as u32)]);
                }
            }
        }
        let out = ArticleOut {
            article: &a,
            duplicates,
            entity_ids,
            highlights,
            analysis: v1::analysis(&doc),
        };
        Ok(json_response(
            serde_json::to_string(&out).map_err(|e| ApiError::internal(e.to_string()))?,
        ))
    })
    .await
}

/// Query string of `GET /v1/places`.
#[derive(Debug, Deserialize, Default)]
pub struct PlacesParams {
    /// Query (all articles when empty).
    #[serde(default)]
    pub q: String,
    /// Entity id or name: the places co-mentioned with it.
    pub entity: Option<String>,
    /// From day.
    pub from: Option<String>,
    /// To day (inclusive).
    pub to: Option<String>,
    /// Source.
    pub source: Option<String>,
    /// Places (1–1000, default 100), most mentioned first.
    pub limit: Option<usize>,
}

async fn places(
    State(s): State<AppState>,
    params: Result<Query<PlacesParams>, QueryRejection>,
) -> ApiResult<Response> {
    let Query(p) = params?;
    let limit = p.limit.unwrap_or(100);
    if limit == 0 || limit > 1000 {
        return Err(ApiError::bad("limit must be between 1 and 1000"));
    }
    let req = SearchRequest { query: p.q, entity: p.entity, from: p.from, to: p.to, source: p.source, ..Default::default() };
    blocking(move || {
        let places = s.inner.corpus.places(&req, limit)?;
        let body = khabar_index::search::places_geojson(&places);
        let mut r = json_response(body.to_string());
        r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/geo+json"));
        Ok(r)
    })
    .await
}

/// Query string of `GET /v1/entities`.
#[derive(Debug, Deserialize, Default)]
pub struct EntityParams {
    /// Part of a name (normalized match).
    #[serde(default)]
    pub q: String,
    /// `PERS`, `LOC`, `ORG` or `MISC`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// How many (1–200, default 20).
    pub limit: Option<usize>,
}

async fn entities(
    State(s): State<AppState>,
    params: Result<Query<EntityParams>, QueryRejection>,
) -> ApiResult<Response> {
    let Query(p) = params?;
    if let Some(k) = p.kind.as_deref() {
        if khabar::EntityType::parse(k).is_none() {
            return Err(ApiError::bad(format!(
                "type must be PERS, LOC, ORG or MISC, got `{k}`"
            )));
        }
    }
    let limit = p.limit.unwrap_or(20).clamp(1, 200);
    let list = s.inner.corpus.entities(&p.q, p.kind.as_deref(), limit);
    Ok(Json(serde_json::json!({ "entities": list })).into_response())
}

async fn entity(
    State(s): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> ApiResult<Response> {
    let Path(id) = id?;
    blocking(move || {
        let d = s
            .inner
            .corpus
            .entity(&id)?
            .ok_or_else(|| ApiError::not_found(format!("no entity {id}")))?;
        Ok(Json(d).into_response())
    })
    .await
}

async fn not_found() -> ApiError {
    ApiError::not_found("no such route; see /v1/openapi.json")
}

async fn method_not_allowed(req: Request) -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        format!("{} is not allowed on {}; see /v1/openapi.json", req.method(), req.uri().path()),
    )
}

/// Sent with every answer: the page's scripts and styles come from this server only (no
/// inline script, no other origin), nothing is sniffed into another type, and links to
/// sources do not leak the page's address.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; \
                   object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

async fn security_headers(req: Request, next: Next) -> Response {
    let mut r = next.run(req).await;
    let h = r.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    r
}

async fn deadline(State(s): State<AppState>, req: Request, next: Next) -> Response {
    match tokio::time::timeout(s.inner.config.timeout, next.run(req)).await {
        Ok(r) => r,
        Err(_) => ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "timeout",
            "the request took too long",
        )
        .into_response(),
    }
}

/// The application's routes.
pub fn router(state: AppState) -> Router {
    let max_body = state.inner.config.max_body;
    Router::new()
        .route(
            "/",
            get(|| async { asset("text/html; charset=utf-8", INDEX_HTML) }),
        )
        .route(
            "/app.js",
            get(|| async { asset("text/javascript; charset=utf-8", APP_JS) }),
        )
        .route(
            "/app.css",
            get(|| async { asset("text/css; charset=utf-8", APP_CSS) }),
        )
        .route(
            "/map.js",
            get(|| async { asset("text/javascript; charset=utf-8", MAP_JS) }),
        )
        .route(
            "/vendor/countries-110m.json",
            get(|| async { asset("application/json", WORLD_110M) }),
        )
        .route(
            "/vendor/world-atlas-LICENSE.txt",
            get(|| async { asset("text/plain; charset=utf-8", WORLD_LICENSE) }),
        )
        .route("/health", get(health))
        .route(
            "/v1/openapi.json",
            get(|| async { json_response(OPENAPI.to_string()) }),
        )
        .route("/v1/analyze", post(analyze))
        .route("/v1/search", get(search))
        .route("/v1/articles/{id}", get(article))
        .route("/v1/entities", get(entities))
        .route("/v1/entities/{id}", get(entity))
        .route("/v1/places", get(places))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(state.clone(), deadline))
        .layer(DefaultBodyLimit::max(max_body))
        .layer(middleware::from_fn(security_headers))
        .with_state(state)
}

/// Serves until `shutdown` resolves, then finishes the requests in flight.
///
/// # Errors
/// I/O errors of the listener.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
