//! End to end in headless Chromium (Debian package `chromium`): load the page, type a query
//! and press the search button, check the highlighted snippets, open an article, check
//! its highlights and entity colouring, open an entity page, and save screenshots at
//! phone width (412 px) under the target directory.
//!
//! Chromium is driven through its DevTools protocol over `--remote-debugging-pipe`
//! (NUL-separated JSON on file descriptors 3 and 4), so no WebSocket client and no
//! browser download is needed. Skips, saying so, when no Chromium is installed.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

fn find_chromium() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("KHABAR_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for name in ["chromium", "chromium-browser", "google-chrome", "chrome"] {
            let p = dir.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

struct Cdp {
    child: Child,
    stdin: ChildStdin,
    rx: Receiver<Value>,
    next: u64,
    session: Option<String>,
}

impl Cdp {
    fn launch(bin: &PathBuf, profile: &std::path::Path) -> Cdp {
        // fd 3 = our stdin pipe (commands), fd 4 = our stdout pipe (replies and events).
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(r#"exec "$0" "$@" 3<&0 4>&1 0</dev/null 1>/dev/null"#)
            .arg(bin)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-dev-shm-usage",
                "--remote-debugging-pipe",
                "--window-size=412,915",
                "--hide-scrollbars",
                "--lang=ar",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg("about:blank")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("cannot start chromium");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            let mut buf = Vec::new();
            while let Ok(n) = r.read_until(0, &mut buf) {
                if n == 0 {
                    break;
                }
                if buf.last() == Some(&0) {
                    buf.pop();
                }
                if let Ok(v) = serde_json::from_slice::<Value>(&buf) {
                    if tx.send(v).is_err() {
                        break;
                    }
                }
                buf.clear();
            }
        });
        Cdp {
            child,
            stdin,
            rx,
            next: 1,
            session: None,
        }
    }

    fn call(&mut self, method: &str, params: Value) -> Value {
        let id = self.next;
        self.next += 1;
        let mut msg = json!({"id": id, "method": method, "params": params});
        if let Some(s) = &self.session {
            msg["sessionId"] = json!(s);
        }
        let mut bytes = serde_json::to_vec(&msg).unwrap();
        bytes.push(0);
        self.stdin.write_all(&bytes).unwrap();
        self.stdin.flush().unwrap();
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let v = self
                .rx
                .recv_timeout(left)
                .unwrap_or_else(|_| panic!("no reply to {method}"));
            if v["id"] == json!(id) {
                if let Some(e) = v.get("error") {
                    panic!("{method} failed: {e}");
                }
                return v["result"].clone();
            }
        }
    }

    fn eval(&mut self, js: &str) -> Value {
        let r = self.call(
            "Runtime.evaluate",
            json!({"expression": js, "returnByValue": true, "awaitPromise": true}),
        );
        if let Some(e) = r.get("exceptionDetails") {
            panic!("JS error in `{js}`: {e}");
        }
        r["result"]["value"].clone()
    }

    fn wait_state(&mut self, want: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let s = self.eval("document.body && document.body.dataset.state || ''");
            if s == json!(want) {
                return;
            }
            assert!(
                s != json!("error"),
                "page shows an error: {}",
                self.eval("document.getElementById('view').innerText")
            );
            assert!(
                Instant::now() < deadline,
                "page never reached state `{want}` (state {s})"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn screenshot(&mut self, path: &std::path::Path) {
        let r = self.call(
            "Page.captureScreenshot",
            json!({"format": "png", "captureBeyondViewport": true}),
        );
        let png = base64_decode(r["data"].as_str().unwrap());
        assert!(png.starts_with(b"\x89PNG"), "not a PNG");
        std::fs::write(path, png).unwrap();
        eprintln!("screenshot: {}", path.display());
    }
}

impl Drop for Cdp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn base64_decode(s: &str) -> Vec<u8> {
    let val = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0);
    for c in s.bytes().filter_map(val) {
        acc = (acc << 6) | c;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

#[test]
fn search_open_article_and_highlights_in_chromium() {
    let Some(bin) = find_chromium() else {
        eprintln!("SKIPPED: no Chromium found (install the Debian package `chromium`, or set KHABAR_CHROMIUM)");
        return;
    };
    let (addr, _stop, _h, _dir) = common::start(khabar_server::Config::default());
    let profile = tempfile::tempdir().unwrap();
    let mut b = Cdp::launch(&bin, profile.path());
    let deadline = Instant::now() + Duration::from_secs(15);
    let page = loop {
        let targets = b.call("Target.getTargets", json!({}));
        if let Some(p) = targets["targetInfos"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["type"] == "page")
        {
            break p.clone();
        }
        assert!(Instant::now() < deadline, "chromium opened no page");
        std::thread::sleep(Duration::from_millis(100));
    };
    let attached = b.call(
        "Target.attachToTarget",
        json!({"targetId": page["targetId"], "flatten": true}),
    );
    b.session = Some(attached["sessionId"].as_str().unwrap().to_string());
    b.call("Page.enable", json!({}));
    b.call("Runtime.enable", json!({}));
    // A phone: 412 CSS px wide (Pixel 7 class), touch, mobile viewport rules.
    b.call(
        "Emulation.setDeviceMetricsOverride",
        json!({"width": 412, "height": 915, "deviceScaleFactor": 1, "mobile": true}),
    );
    b.call("Page.navigate", json!({"url": format!("http://{addr}/")}));
    b.wait_state("idle");
    assert_eq!(b.eval("document.documentElement.dir"), json!("rtl"));

    // Search the way a person does: type, press the button.
    b.eval(
        "document.getElementById('q').value = 'حفتر'; document.getElementById('go').click(); true",
    );
    b.wait_state("results");
    let marks =
        b.eval("Array.from(document.querySelectorAll('.result mark')).map(m => m.textContent)");
    let marks: Vec<String> = serde_json::from_value(marks).unwrap();
    assert!(
        marks.iter().any(|m| m == "وحفتر"),
        "snippets highlight the word as written: {marks:?}"
    );
    assert!(marks.iter().all(|m| m.ends_with("حفتر")), "{marks:?}");
    let results = b.eval("document.querySelectorAll('.result').length");
    assert_eq!(
        results,
        json!(2),
        "three matches, a duplicate pair collapsed"
    );
    assert!(
        b.eval("document.querySelector('.dups') !== null") == json!(true),
        "collapsed duplicates are shown"
    );
    // Nothing overflows a phone-width screen.
    assert_eq!(b.eval("window.innerWidth"), json!(412));
    let overflow = b.eval("document.documentElement.scrollWidth <= window.innerWidth + 1");
    assert_eq!(
        overflow,
        json!(true),
        "the page is wider than the phone screen"
    );
    let shots = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    b.screenshot(&shots.join("khabar-e2e-search.png"));

    // Open article 2 (written with وحفتر and لحفتر) from the result list.
    b.eval("document.querySelector('.result[data-id=\"2\"] a.open').click(); true");
    b.wait_state("article");
    let hl = b.eval("Array.from(document.querySelectorAll('#body mark')).map(m => m.textContent)");
    let hl: Vec<String> = serde_json::from_value(hl).unwrap();
    assert_eq!(
        hl,
        ["وحفتر", "لحفتر"],
        "the article highlights the query words as written"
    );
    let ents = b
        .eval("document.querySelectorAll('#body .ent').length")
        .as_u64()
        .unwrap();
    eprintln!(
        "article 2: {} highlights, {ents} entity mentions coloured",
        hl.len()
    );
    b.screenshot(&shots.join("khabar-e2e-article.png"));

    // Entity page, when the analysis found one.
    if ents > 0 {
        b.eval("document.querySelector('.chips a').click(); true");
        b.wait_state("entity");
        assert_eq!(
            b.eval("document.getElementById('chart') !== null"),
            json!(true),
            "the entity page has a timeline chart"
        );
        b.screenshot(&shots.join("khabar-e2e-entity.png"));
    }

    // Article 4 states a quantity and a percentage: the article view marks both amounts
    // and lists them with their values.
    b.eval("document.body.dataset.state = ''; location.hash = '#/article/4'; true");
    b.wait_state("article");
    let amounts = b.eval("Array.from(document.querySelectorAll('#body .amount')).map(m => [m.textContent, m.title])");
    let amounts: Vec<(String, String)> = serde_json::from_value(amounts).unwrap();
    assert!(amounts.iter().any(|(t, title)| t == "10.5 مليون برميل" && title.contains("10,500,000") && title.contains("برميل")), "{amounts:?}");
    assert!(amounts.iter().any(|(t, title)| t == "1.2%" && title.contains("نسبة")), "{amounts:?}");
    assert_eq!(b.eval("document.querySelectorAll('ul.amounts li').length").as_u64().unwrap() as usize, amounts.len());
    b.screenshot(&shots.join("khabar-e2e-amounts.png"));
    let _ = b.call("Browser.close", json!({}));
}

#[test]
fn hostile_corpus_records_are_shown_never_run_in_chromium() {
    let Some(bin) = find_chromium() else {
        eprintln!("SKIPPED: no Chromium found (install the Debian package `chromium`, or set KHABAR_CHROMIUM)");
        return;
    };
    // Every field a corpus line brings tries to run script: title, text, source, url, and
    // names in the text (entity names, variants and chips come from it).
    let pwn = "window.__pwned=(window.__pwned||0)+1";
    let rec = |id: u64, url: &str| khabar_index::writer::ArticleRecord {
        id,
        title: format!("<script>{pwn}</script>عنوان <img src=x onerror=\"{pwn}\"> حفتر"),
        text: format!(
            "قال المشير خليفة حفتر<img src=x onerror=\"{pwn}\"> إن فايز السراج<script>{pwn}</script> وافق. \
             وأضاف حفتر أن <svg onload=\"{pwn}\"> الاتفاق قائم في طرابلس."
        ),
        date: Some("2017-08-01".into()),
        source: format!("<script>{pwn}</script>مصدر"),
        url: url.to_string(),
    };
    let recs = [rec(1, &format!("javascript:{pwn}")), rec(2, "JaVaScRiPt:alert(1)"), rec(3, "data:text/html,<script>alert(1)</script>")];
    let (addr, _stop, _h, _dir) = common::start_with(khabar_server::Config::default(), &recs);
    let profile = tempfile::tempdir().unwrap();
    let mut b = Cdp::launch(&bin, profile.path());
    let deadline = Instant::now() + Duration::from_secs(15);
    let page = loop {
        let targets = b.call("Target.getTargets", json!({}));
        if let Some(p) = targets["targetInfos"].as_array().unwrap().iter().find(|t| t["type"] == "page") {
            break p.clone();
        }
        assert!(Instant::now() < deadline, "chromium opened no page");
        std::thread::sleep(Duration::from_millis(100));
    };
    let attached = b.call("Target.attachToTarget", json!({"targetId": page["targetId"], "flatten": true}));
    b.session = Some(attached["sessionId"].as_str().unwrap().to_string());
    b.call("Page.enable", json!({}));
    b.call("Runtime.enable", json!({}));
    b.call("Page.navigate", json!({"url": format!("http://{addr}/#/search?q=%D8%AD%D9%81%D8%AA%D8%B1")}));
    b.wait_state("results");
    assert!(b.eval("document.querySelectorAll('.result').length").as_u64().unwrap() >= 1);
    for id in 1..=3 {
        b.eval(&format!("location.hash = '#/article/{id}'; true"));
        b.wait_state("article");
        // The script-like text is on the page as text.
        assert_eq!(b.eval("document.getElementById('view').innerText.includes('<script>')"), json!(true), "article {id}");
        // No link runs script or opens a data: page, whatever its case.
        let bad = b.eval("Array.from(document.querySelectorAll('a')).filter(a => !/^(https?:|#|\\/)/i.test(a.getAttribute('href') || '#')).map(a => a.getAttribute('href'))");
        assert_eq!(bad, json!([]), "article {id}: links that are not http(s) or in-page");
        // Nothing injected became an element.
        assert_eq!(b.eval("document.querySelectorAll('#view script, #view img, #view svg[onload]').length"), json!(0), "article {id}");
        // Entity pages show the names as text too.
        if b.eval("document.querySelector('.chips a') !== null") == json!(true) {
            b.eval("document.querySelector('.chips a').click(); true");
            b.wait_state("entity");
        }
    }
    assert_eq!(b.eval("window.__pwned === undefined"), json!(true), "injected script ran");
    let _ = b.call("Browser.close", json!({}));
}

/// Attaches to Chromium's first page and enables the domains the tests use.
fn attach(b: &mut Cdp) {
    let deadline = Instant::now() + Duration::from_secs(15);
    let page = loop {
        let targets = b.call("Target.getTargets", json!({}));
        if let Some(p) = targets["targetInfos"].as_array().unwrap().iter().find(|t| t["type"] == "page") {
            break p.clone();
        }
        assert!(Instant::now() < deadline, "chromium opened no page");
        std::thread::sleep(Duration::from_millis(100));
    };
    let attached = b.call("Target.attachToTarget", json!({"targetId": page["targetId"], "flatten": true}));
    b.session = Some(attached["sessionId"].as_str().unwrap().to_string());
    b.call("Page.enable", json!({}));
    b.call("Runtime.enable", json!({}));
}

#[test]
fn map_of_places_in_chromium() {
    let Some(bin) = find_chromium() else {
        eprintln!("SKIPPED: no Chromium found (install the Debian package `chromium`, or set KHABAR_CHROMIUM)");
        return;
    };
    let (addr, _stop, _h, _dir) = common::start(khabar_server::Config::default());
    let profile = tempfile::tempdir().unwrap();
    let mut b = Cdp::launch(&bin, profile.path());
    attach(&mut b);
    let shots = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    b.call("Emulation.setDeviceMetricsOverride", json!({"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": false}));
    // The places of a search's results, drawn by the page from the vendored shapes.
    b.call("Page.navigate", json!({"url": format!("http://{addr}/#/search?q=%D9%84%D9%8A%D8%A8%D9%8A%D8%A7")}));
    b.wait_state("results");
    assert_eq!(b.eval("document.documentElement.dir"), json!("rtl"));
    let circles = b.eval("document.querySelectorAll('#map circle.place').length").as_u64().unwrap();
    assert!(circles >= 2, "the map shows the results' places ({circles})");
    assert_eq!(b.eval("document.querySelector('#map path.land').getAttribute('d').length > 10000"), json!(true), "country shapes drawn");
    // Larger circles for places in more articles.
    let radii = b.eval("Array.from(document.querySelectorAll('#map circle.place')).map(c => +c.getAttribute('r'))");
    let radii: Vec<f64> = serde_json::from_value(radii).unwrap();
    assert!(radii.first() >= radii.last(), "{radii:?}");
    assert_eq!(b.eval("document.querySelector('.foot').innerText.includes('GeoNames')"), json!(true), "GeoNames attribution");
    // Nothing but this server was asked for anything.
    let foreign = b.eval("performance.getEntriesByType('resource').map(r => r.name).filter(u => !u.startsWith(location.origin))");
    assert_eq!(foreign, json!([]), "requests to other origins");
    b.screenshot(&shots.join("khabar-e2e-map-desktop.png"));

    // A phone: the map fits the width.
    b.call("Emulation.setDeviceMetricsOverride", json!({"width": 412, "height": 915, "deviceScaleFactor": 1, "mobile": true}));
    b.eval("location.hash = '#/'; true");
    b.wait_state("idle");
    b.eval("location.hash = '#/search?q=%D9%84%D9%8A%D8%A8%D9%8A%D8%A7'; true");
    b.wait_state("results");
    assert_eq!(b.eval("document.documentElement.scrollWidth <= window.innerWidth + 1"), json!(true), "the page is wider than the phone screen");
    assert_eq!(b.eval("document.getElementById('map').getBoundingClientRect().width <= 412"), json!(true));
    b.screenshot(&shots.join("khabar-e2e-map-412.png"));

    // Clicking a place runs the search for it.
    let id = b.eval("document.querySelector('#map circle.place').dataset.id");
    let id = id.as_str().unwrap().to_string();
    assert!(id.starts_with("LOC:gn"), "{id}");
    // The state is reset first, so waiting for `results` waits for the new search's.
    b.eval("document.body.dataset.state = 'picking'; document.querySelector('#map circle.place').dispatchEvent(new MouseEvent('click', {bubbles: true})); true");
    let deadline = Instant::now() + Duration::from_secs(10);
    while b.eval("decodeURIComponent(location.hash)").as_str().unwrap_or("").contains(&id) == false {
        assert!(Instant::now() < deadline, "the click did not search for the place");
        std::thread::sleep(Duration::from_millis(100));
    }
    b.wait_state("results");
    assert_eq!(b.eval("document.getElementById('entity').value"), json!(id));
    assert!(b.eval("document.querySelectorAll('.result').length").as_u64().unwrap() >= 1);
    b.screenshot(&shots.join("khabar-e2e-map-click.png"));
    let _ = b.call("Browser.close", json!({}));
}
