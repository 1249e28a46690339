//! The HTTP API against a real server on loopback, and a bounded load test.

mod common;

use common::{enc, get, shared, Client};

#[test]
fn health_and_openapi() {
    let addr = shared();
    let h = get(addr, "/health");
    assert_eq!(h.status, 200);
    assert_eq!(h.json()["status"], "ok");
    assert_eq!(
        h.json()["articles"],
        11,
        "12 lines, one with neither title nor text"
    );
    let o = get(addr, "/v1/openapi.json");
    assert_eq!(o.status, 200);
    let doc = o.json();
    assert_eq!(doc["openapi"], "3.1.0");
    for p in [
        "/v1/analyze",
        "/v1/search",
        "/v1/articles/{id}",
        "/v1/entities",
        "/v1/entities/{id}",
        "/v1/places",
        "/health",
    ] {
        assert!(
            doc["paths"][p].is_object(),
            "{p} missing from the OpenAPI document"
        );
    }
}

#[test]
fn analyze_returns_the_contract() {
    let addr = shared();
    let mut c = Client::connect(addr);
    let body =
        serde_json::json!({"text": "قال فائز السراج أمس إن الحوار مستمر.", "date": "2017-08-01"})
            .to_string();
    let r = c
        .request(
            "POST",
            "/v1/analyze",
            Some(("application/json", body.as_bytes())),
        )
        .unwrap();
    assert_eq!(r.status, 200);
    assert!(r.content_type.starts_with("application/json"));
    let v = r.json();
    assert_eq!(v["schema"], 1);
    assert_eq!(v["date"], "2017-08-01");
    assert_eq!(v["text"], "قال فائز السراج أمس إن الحوار مستمر.");
    let chars: Vec<char> = v["text"].as_str().unwrap().chars().collect();
    for t in v["tokens"].as_array().unwrap() {
        let (s, e) = (
            t["start"].as_u64().unwrap() as usize,
            t["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(
            chars[s..e].iter().collect::<String>(),
            t["text"].as_str().unwrap()
        );
    }
    // The same connection keeps working (keep-alive).
    assert_eq!(c.get("/health").status, 200);
}

#[test]
fn analyze_returns_only_the_fields_asked_for() {
    let addr = shared();
    let mut c = Client::connect(addr);
    let body = serde_json::json!({"text": "قال فائز السراج أمس إن الحوار مستمر.", "date": "2017-08-01"}).to_string();
    let full = c.request("POST", "/v1/analyze", Some(("application/json", body.as_bytes()))).unwrap().json();
    let r = c
        .request("POST", "/v1/analyze?fields=entities,times", Some(("application/json", body.as_bytes())))
        .unwrap();
    assert_eq!(r.status, 200);
    let v = r.json();
    let mut keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["entities", "schema", "text", "times"]);
    assert_eq!(v["entities"], full["entities"]);
    assert_eq!(v["times"], full["times"]);
    assert!(!v["entities"].as_array().unwrap().is_empty() && !v["times"].as_array().unwrap().is_empty());
}

#[test]
fn errors_are_json_with_status_codes() {
    let addr = shared();
    type Case<'a> = (&'a str, &'a str, Option<(&'a str, Vec<u8>)>, u16);
    let cases: Vec<Case> = vec![
        (
            "POST",
            "/v1/analyze",
            Some(("application/json", b"{not json".to_vec())),
            400,
        ),
        (
            "POST",
            "/v1/analyze",
            Some(("application/json", br#"{"txt": "x"}"#.to_vec())),
            422,
        ),
        (
            "POST",
            "/v1/analyze",
            Some(("text/plain", br#"{"text": "x"}"#.to_vec())),
            415,
        ),
        (
            "POST",
            "/v1/analyze",
            Some((
                "application/json",
                br#"{"text": "x", "date": "2017-13-45"}"#.to_vec(),
            )),
            400,
        ),
        (
            "POST",
            "/v1/analyze",
            Some((
                "application/json",
                format!(r#"{{"text": "{}"}}"#, "ب".repeat(40_000)).into_bytes(),
            )),
            413,
        ),
        (
            "POST",
            "/v1/analyze?fields=entities,speakers",
            Some(("application/json", br#"{"text": "x"}"#.to_vec())),
            400,
        ),
        ("GET", "/v1/search?q=x&limit=0", None, 400),
        ("GET", "/v1/search?q=x&limit=abc", None, 400),
        ("GET", "/v1/search?q=x&from=2015-99-01", None, 400),
        ("GET", "/v1/articles/abc", None, 400),
        ("GET", "/v1/articles/99999", None, 404),
        ("GET", "/v1/entities/NOPE", None, 400),
        ("GET", "/v1/entities?type=XYZ", None, 400),
        ("GET", "/v1/entities/PERS:%D9%84%D8%A7", None, 404),
        ("GET", "/no/such/route", None, 404),
        ("GET", "/v1/analyze", None, 405),
        ("DELETE", "/v1/search", None, 405),
    ];
    for (m, p, body, want) in cases {
        // A fresh connection per case: a refused body may leave the previous one closed.
        let mut c = Client::connect(addr);
        let r = c
            .request(m, p, body.as_ref().map(|(ct, b)| (*ct, b.as_slice())))
            .unwrap();
        assert_eq!(
            r.status,
            want,
            "{m} {p}: {}",
            String::from_utf8_lossy(&r.body)
        );
        let v = r.json();
        assert_eq!(v["error"]["status"], want, "{m} {p}");
        assert!(!v["error"]["message"].as_str().unwrap().is_empty());
        // Each status has its own code.
        let code = match want {
            400 => "bad_request",
            404 => "not_found",
            405 => "method_not_allowed",
            413 => "payload_too_large",
            415 => "unsupported_media_type",
            422 => "unprocessable_content",
            _ => unreachable!(),
        };
        assert_eq!(v["error"]["code"], code, "{m} {p}");
    }
}

#[test]
fn every_answer_carries_the_security_headers() {
    let addr = shared();
    for path in ["/", "/app.js", "/app.css", "/health", "/v1/search?q=x", "/v1/articles/99999", "/no/such/route"] {
        let r = common::get(addr, path);
        let csp = r.header("content-security-policy").unwrap_or_else(|| panic!("{path}: no CSP"));
        assert!(csp.contains("script-src 'self'") && csp.contains("style-src 'self'") && !csp.contains("unsafe-inline"), "{path}: {csp}");
        assert_eq!(r.header("x-content-type-options"), Some("nosniff"), "{path}");
        assert_eq!(r.header("referrer-policy"), Some("no-referrer"), "{path}");
    }
}

#[test]
fn search_is_arabic_aware_with_highlights() {
    let addr = shared();
    let r = get(addr, &format!("/v1/search?q={}&all=1", enc("حفتر")));
    assert_eq!(r.status, 200);
    let v = r.json();
    let mut ids: Vec<u64> = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_u64().unwrap())
        .collect();
    ids.sort();
    assert_eq!(ids, [1, 2, 3]);
    let two = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["id"] == 2)
        .unwrap();
    assert!(two["snippet"]["html"]
        .as_str()
        .unwrap()
        .contains("<mark>وحفتر</mark>"));
    // Collapsed by default: 1 and 3 are one story.
    let c = get(addr, &format!("/v1/search?q={}", enc("حفتر"))).json();
    assert_eq!(c["hits"].as_array().unwrap().len(), 2);
    assert_eq!(c["total"], 3);
    assert!(c["took_ms"].as_f64().unwrap() >= 0.0);
    // Phrase + filters.
    let p = get(
        addr,
        &format!(
            "/v1/search?q={}&source=sabq&from=2015-08-01&to=2015-08-31",
            enc("\"الامم المتحده\"")
        ),
    )
    .json();
    let pids: Vec<u64> = p["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_u64().unwrap())
        .collect();
    assert_eq!(pids, [7]);
    // Amount filters: article 4 has a percentage; no article has money; a bad kind is a 400.
    let pc = get(addr, "/v1/search?amount=percent").json();
    assert_eq!(pc["hits"].as_array().unwrap().iter().map(|h| h["id"].as_u64().unwrap()).collect::<Vec<_>>(), [4]);
    assert_eq!(get(addr, "/v1/search?amount=money&currency=USD").json()["total"], 0);
    assert_eq!(get(addr, "/v1/search?amount=cash").status, 400);
}

#[test]
fn article_has_analysis_duplicates_and_highlights() {
    let addr = shared();
    let r = get(addr, &format!("/v1/articles/2?q={}", enc("حفتر")));
    assert_eq!(r.status, 200);
    let v = r.json();
    assert_eq!(v["id"], 2);
    assert_eq!(v["source"], "alriyadh");
    assert_eq!(v["analysis"]["schema"], 1);
    assert_eq!(v["analysis"]["text"], v["text"]);
    let chars: Vec<char> = v["text"].as_str().unwrap().chars().collect();
    let hl: Vec<String> = v["highlights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            chars[h[0].as_u64().unwrap() as usize..h[1].as_u64().unwrap() as usize]
                .iter()
                .collect()
        })
        .collect();
    assert_eq!(hl, ["وحفتر", "لحفتر"]);
    let one = get(addr, "/v1/articles/1").json();
    assert_eq!(one["duplicates"], serde_json::json!([3]));
    for (eid, cid) in one["entity_ids"].as_object().unwrap() {
        assert!(eid.starts_with('E') && cid.as_str().unwrap().contains(':'));
    }
}

#[test]
fn entities_list_and_detail() {
    let addr = shared();
    let list = get(addr, "/v1/entities?limit=5").json();
    let list = list["entities"].as_array().unwrap();
    assert!(!list.is_empty(), "no entities in the sample index");
    let top = &list[0];
    let id = top["id"].as_str().unwrap();
    let d = get(addr, &format!("/v1/entities/{}", enc(id)));
    assert_eq!(d.status, 200, "{}", String::from_utf8_lossy(&d.body));
    let d = d.json();
    assert_eq!(d["id"], id);
    let total: u64 = d["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x[1].as_u64().unwrap())
        .sum();
    assert_eq!(total, top["articles"].as_u64().unwrap());
    // Search by the entity gives the same count.
    let s = get(
        addr,
        &format!("/v1/search?entity={}&all=1&limit=50", enc(id)),
    )
    .json();
    assert_eq!(s["total"], top["articles"]);
    // Name search finds it.
    let name = top["name"].as_str().unwrap();
    let found = get(addr, &format!("/v1/entities?q={}", enc(name))).json();
    assert!(found["entities"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["id"] == id));
}

#[test]
fn web_page_is_served() {
    let addr = shared();
    let r = get(addr, "/");
    assert_eq!(r.status, 200);
    assert!(r.content_type.starts_with("text/html"));
    let html = String::from_utf8(r.body).unwrap();
    assert!(html.contains("dir=\"rtl\"") && html.contains("/app.js"));
    assert!(get(addr, "/app.js")
        .content_type
        .starts_with("text/javascript"));
    assert!(get(addr, "/app.css").content_type.starts_with("text/css"));
}

#[test]
fn graceful_shutdown_finishes() {
    let (addr, stop, handle, _dir) = common::start(khabar_server::Config::default());
    let mut c = Client::connect(addr);
    assert_eq!(c.get("/health").status, 200);
    drop(c);
    stop.send(()).unwrap();
    handle.join().unwrap().unwrap();
    assert!(
        std::net::TcpStream::connect(addr).is_err(),
        "still listening after shutdown"
    );
}

/// About 10,000 search requests on 32 keep-alive connections: no errors allowed; prints p50/p99.
#[test]
fn load_test_10k_requests_32_connections() {
    let addr = shared();
    let queries: Vec<String> = [
        "حفتر",
        "الامم المتحده",
        "\"حكومة الوفاق\"",
        "أرامكو",
        "فايز",
        "ليبيا",
        "الهلال النصر",
        "تونس",
        "وزير الخارجية",
        "مكة",
    ]
    .iter()
    .map(|q| format!("/v1/search?q={}", enc(q)))
    .collect();
    const CONNS: usize = 32;
    const PER: usize = 313; // 32 × 313 = 10,016
    let start = std::time::Instant::now();
    let threads: Vec<_> = (0..CONNS)
        .map(|i| {
            let queries = queries.clone();
            std::thread::spawn(move || {
                let mut c = Client::connect(addr);
                let mut lat = Vec::with_capacity(PER);
                let mut errors = 0usize;
                for j in 0..PER {
                    let t = std::time::Instant::now();
                    match c.request("GET", &queries[(i + j) % queries.len()], None) {
                        Ok(r) if r.status == 200 => {}
                        _ => {
                            errors += 1;
                            c = Client::connect(addr);
                        }
                    }
                    lat.push(t.elapsed());
                }
                (lat, errors)
            })
        })
        .collect();
    let mut all = Vec::new();
    let mut errors = 0;
    for t in threads {
        let (l, e) = t.join().unwrap();
        all.extend(l);
        errors += e;
    }
    let wall = start.elapsed();
    all.sort();
    let pct = |p: f64| all[((all.len() as f64 * p) as usize).min(all.len() - 1)];
    eprintln!(
        "load test: {} requests on {CONNS} connections in {:.2} s ({:.0} req/s), {errors} errors, p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        all.len(),
        wall.as_secs_f64(),
        all.len() as f64 / wall.as_secs_f64(),
        pct(0.50).as_secs_f64() * 1e3,
        pct(0.99).as_secs_f64() * 1e3,
        all.last().unwrap().as_secs_f64() * 1e3
    );
    assert_eq!(errors, 0);
    assert_eq!(all.len(), CONNS * PER);
}

#[test]
fn places_are_a_geojson_feature_collection() {
    let addr = shared();
    let r = get(addr, "/v1/places");
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert!(r.content_type.starts_with("application/geo+json"), "{}", r.content_type);
    let g = r.json();
    assert_eq!(g["type"], "FeatureCollection");
    let fs = g["features"].as_array().unwrap();
    let paris = fs.iter().find(|f| f["properties"]["geonameid"] == 2988507).expect("Paris is a place of the sample");
    assert_eq!(paris["type"], "Feature");
    assert_eq!(paris["properties"]["country"], "FR");
    assert_eq!(paris["geometry"]["type"], "Point");
    let c = paris["geometry"]["coordinates"].as_array().unwrap();
    assert!((c[0].as_f64().unwrap() - 2.35).abs() < 0.1 && (c[1].as_f64().unwrap() - 48.85).abs() < 0.1, "[lon, lat]: {c:?}");
    assert!(paris["properties"]["articles"].as_u64().unwrap() >= 2);
    assert!(paris["properties"]["co_mentions"].as_array().unwrap().iter().all(|e| e["id"] != paris["id"]));
    // Most mentioned first; a query narrows the articles counted.
    let n: Vec<u64> = fs.iter().map(|f| f["properties"]["articles"].as_u64().unwrap()).collect();
    assert!(n.windows(2).all(|w| w[0] >= w[1]), "{n:?}");
    // The whole index's answer is kept after the first count: the same answer again, and a
    // smaller limit is its head.
    assert_eq!(get(addr, "/v1/places").json(), g);
    let two = get(addr, "/v1/places?limit=2").json();
    assert_eq!(two["features"].as_array().unwrap()[..], fs[..2.min(fs.len())]);
    let q = get(addr, &format!("/v1/places?q={}", enc("تونس"))).json();
    let total_q: u64 = q["features"].as_array().unwrap().iter().map(|f| f["properties"]["articles"].as_u64().unwrap()).max().unwrap_or(0);
    assert!(total_q <= n[0]);
    // The place's entity page: its variants, counts and coordinates.
    let d = get(addr, &format!("/v1/entities/{}", enc(paris["id"].as_str().unwrap())));
    assert_eq!(d.status, 200);
    let d = d.json();
    assert_eq!(d["geonameid"], 2988507);
    assert!(d["lat"].is_f64() && d["lon"].is_f64());
    assert!(d["variants"].as_array().unwrap().iter().any(|v| v[0] == "باريس"));
    for bad in ["/v1/places?limit=0", "/v1/places?limit=abc", "/v1/places?from=2015-99-01", "/v1/places?to=x"] {
        let r = get(addr, bad);
        assert_eq!(r.status, 400, "{bad}");
        assert_eq!(r.json()["error"]["code"], "bad_request", "{bad}");
    }
}

#[test]
fn one_entity_per_real_world_thing() {
    // Spelling variants in different articles: one corpus entity each, shown under a
    // surface form (never its key), with its variants counted.
    let rec = |id: u64, text: &str| khabar_index::writer::ArticleRecord {
        id,
        title: String::new(),
        text: text.to_string(),
        date: Some("2015-08-01".into()),
        source: "test".into(),
        url: String::new(),
    };
    let recs = [
        rec(1, "استقبل خادم الحرمين الشريفين الملك سلمان بن عبدالعزيز في الرياض أمس وفدا من الأمم المتحدة."),
        rec(2, "بحث الملك سلمان بن عبد العزيز مع مبعوث الامم المتحدة الوضع في اليمن."),
        rec(3, "أكد الملك سلمان بن عبدالعزيز دعم المملكة لجهود الأمم المتحدة في السعودية والمنطقة."),
    ];
    let (addr, _stop, _h, _dir) = common::start_with(khabar_server::Config::default(), &recs);
    for (name, kind, variants) in [
        ("سلمان بن عبدالعزيز", "PERS", ["سلمان بن عبدالعزيز", "سلمان بن عبد العزيز"]),
        ("الأمم المتحدة", "ORG", ["الأمم المتحدة", "الامم المتحدة"]),
    ] {
        let list = get(addr, &format!("/v1/entities?type={kind}&q={}", enc(name))).json();
        let found: Vec<&serde_json::Value> = list["entities"].as_array().unwrap().iter().collect();
        assert_eq!(found.len(), 1, "{name}: {found:?}");
        assert_eq!(found[0]["articles"], 3, "{name}");
        let d = get(addr, &format!("/v1/entities/{}", enc(found[0]["id"].as_str().unwrap()))).json();
        let vs: Vec<&str> = d["variants"].as_array().unwrap().iter().map(|v| v[0].as_str().unwrap()).collect();
        for v in variants {
            assert!(vs.contains(&v), "{name}: {vs:?}");
        }
        assert_eq!(d["name"], variants[0], "the most frequent form");
    }
    // A resolved place is one entity by its GeoNames id, whatever the name.
    let sa = get(addr, "/v1/entities/LOC:gn102358");
    assert_eq!(sa.status, 200, "{}", String::from_utf8_lossy(&sa.body));
}
