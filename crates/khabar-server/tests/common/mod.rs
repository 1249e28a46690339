//! Shared by the server tests: an index of the committed sample, a server on loopback and a
//! minimal HTTP/1.1 client (keep-alive, Content-Length bodies) on std's TcpStream.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::sync::OnceLock;
use std::time::Duration;

use khabar_index::analyzer::ArabicTokenizer;
use khabar_index::dedup::signature;
use khabar_index::search::Corpus;
use khabar_index::writer::{ArticleRecord, CorpusWriter, WriterOptions};

pub fn sample_records() -> Vec<ArticleRecord> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../khabar-index/tests/data/sample.jsonl");
    let data = std::fs::read_to_string(p).unwrap();
    data.lines()
        .enumerate()
        .map(|(i, l)| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            let s = |k: &str| v[k].as_str().unwrap_or("").to_string();
            ArticleRecord {
                id: i as u64 + 1,
                title: s("title"),
                text: s("text"),
                date: Some(s("date")),
                source: s("source"),
                url: s("url"),
            }
        })
        .collect()
}

pub fn build_index(dir: &Path) {
    build_index_of(dir, &sample_records());
}

/// An index of `recs`, built as `khabar index` builds one.
pub fn build_index_of(dir: &Path, recs: &[ArticleRecord]) {
    let tok = ArabicTokenizer::builtin().unwrap();
    let pipeline = khabar::Pipeline::builtin().unwrap();
    let mut w = CorpusWriter::create(
        dir,
        tok,
        &WriterOptions {
            threads: 1,
            ..Default::default()
        },
    )
    .unwrap();
    for r in recs {
        if r.text.is_empty() && r.title.is_empty() {
            continue; // as `khabar index` does
        }
        let body = if r.text.is_empty() { &r.title } else { &r.text };
        let doc = pipeline.analyze(body, None).unwrap();
        w.add(r, Some(&doc), signature(body).as_ref()).unwrap();
    }
    w.finish(recs.len() as u64 + 1).unwrap();
}

/// Starts a server on 127.0.0.1 (random port) over a fresh index of the sample; the
/// returned sender stops it gracefully, and the join handle reports how it ended.
pub fn start(
    config: khabar_server::Config,
) -> (
    SocketAddr,
    tokio::sync::oneshot::Sender<()>,
    std::thread::JoinHandle<std::io::Result<()>>,
    tempfile::TempDir,
) {
    start_with(config, &sample_records())
}

/// As [`start`], over an index of `recs`.
pub fn start_with(
    config: khabar_server::Config,
    recs: &[ArticleRecord],
) -> (
    SocketAddr,
    tokio::sync::oneshot::Sender<()>,
    std::thread::JoinHandle<std::io::Result<()>>,
    tempfile::TempDir,
) {
    let dir = tempfile::tempdir().unwrap();
    build_index_of(dir.path(), recs);
    let corpus = Corpus::open(dir.path(), ArabicTokenizer::builtin().unwrap()).unwrap();
    let state = khabar_server::AppState::new(corpus, khabar::Pipeline::builtin().unwrap(), config);
    let (tx_addr, rx_addr) = std::sync::mpsc::channel();
    let (tx_stop, rx_stop) = tokio::sync::oneshot::channel::<()>();
    let handle = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx_addr.send(listener.local_addr().unwrap()).unwrap();
            khabar_server::serve(listener, state, async {
                let _ = rx_stop.await;
            })
            .await
        })
    });
    let addr = rx_addr.recv_timeout(Duration::from_secs(60)).unwrap();
    (addr, tx_stop, handle, dir)
}

/// One server shared by the tests of a file (never stopped; the process ends it).
pub fn shared() -> SocketAddr {
    static S: OnceLock<SocketAddr> = OnceLock::new();
    *S.get_or_init(|| {
        let (addr, tx, _h, dir) = start(khabar_server::Config {
            max_body: 64 << 10,
            ..Default::default()
        });
        std::mem::forget(tx);
        std::mem::forget(dir);
        addr
    })
}

pub fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub struct Response {
    pub status: u16,
    pub content_type: String,
    pub body: Vec<u8>,
    /// Every header, names lowercased.
    pub headers: Vec<(String, String)>,
}

impl Response {
    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
}

/// A keep-alive connection.
pub struct Client {
    reader: BufReader<TcpStream>,
}

impl Client {
    pub fn connect(addr: SocketAddr) -> Client {
        let s = TcpStream::connect(addr).unwrap();
        s.set_nodelay(true).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        Client {
            reader: BufReader::new(s),
        }
    }

    pub fn request(
        &mut self,
        method: &str,
        path: &str,
        body: Option<(&str, &[u8])>,
    ) -> std::io::Result<Response> {
        let mut req = format!("{method} {path} HTTP/1.1\r\nHost: localhost\r\n");
        if let Some((ct, b)) = body {
            req.push_str(&format!(
                "Content-Type: {ct}\r\nContent-Length: {}\r\n",
                b.len()
            ));
        }
        req.push_str("\r\n");
        let s = self.reader.get_mut();
        s.write_all(req.as_bytes())?;
        if let Some((_, b)) = body {
            // A server that refuses an oversized body may answer (413) and close before the
            // body is fully sent: the write then fails, but the response is there to read.
            match s.write_all(b) {
                Err(e) if matches!(e.kind(), std::io::ErrorKind::BrokenPipe | std::io::ErrorKind::ConnectionReset) => {}
                other => other?,
            }
        }
        let mut line = String::new();
        self.reader.read_line(&mut line)?;
        let status: u16 = line
            .split_whitespace()
            .nth(1)
            .and_then(|x| x.parse().ok())
            .ok_or_else(|| std::io::Error::other(format!("bad status line {line:?}")))?;
        let (mut len, mut ct, mut headers) = (None, String::new(), Vec::new());
        loop {
            line.clear();
            self.reader.read_line(&mut line)?;
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some((k, v)) = l.split_once(':') {
                headers.push((k.to_ascii_lowercase(), v.trim().to_string()));
                match k.to_ascii_lowercase().as_str() {
                    "content-length" => len = v.trim().parse::<usize>().ok(),
                    "content-type" => ct = v.trim().to_string(),
                    _ => {}
                }
            }
        }
        let len = len.ok_or_else(|| std::io::Error::other("no content-length"))?;
        let mut body = vec![0; len];
        self.reader.read_exact(&mut body)?;
        Ok(Response {
            status,
            content_type: ct,
            body,
            headers,
        })
    }

    /// The connection itself (to write a request by hand, or hang up).
    pub fn raw(&mut self) -> &mut TcpStream {
        self.reader.get_mut()
    }

    pub fn get(&mut self, path: &str) -> Response {
        self.request("GET", path, None).unwrap()
    }
}

pub fn get(addr: SocketAddr, path: &str) -> Response {
    Client::connect(addr).get(path)
}
