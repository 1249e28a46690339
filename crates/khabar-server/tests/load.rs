//! Heavy analyses are bounded and stop when their request is abandoned (loopback only).

mod common;

use std::time::{Duration, Instant};

use common::{start, Client};

/// A body of about `mb` MB of Arabic news text (under the server's body limit below).
fn heavy_body(mb: f64) -> Vec<u8> {
    let sentence = "قال رئيس الوزراء البريطاني ديفيد كاميرون في لندن يوم الاثنين إن الحكومة ستنفق 20 مليون جنيه على الاستراتيجية الجديدة. ";
    let n = (mb * 1e6) as usize / sentence.len();
    serde_json::to_vec(&serde_json::json!({ "text": sentence.repeat(n) })).unwrap()
}

fn running(addr: std::net::SocketAddr) -> u64 {
    common::get(addr, "/health").json()["analyses_running"].as_u64().unwrap()
}

/// Polls `/health` until no analysis runs, at most `limit`; returns how long it took.
fn idle_within(addr: std::net::SocketAddr, limit: Duration) -> Option<Duration> {
    let t = Instant::now();
    while t.elapsed() < limit {
        if running(addr) == 0 {
            return Some(t.elapsed());
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    None
}

fn config(timeout_ms: u64, max_analyses: usize, queue: usize) -> khabar_server::Config {
    khabar_server::Config { max_body: 4 << 20, timeout: Duration::from_millis(timeout_ms), max_analyses, queue }
}

#[test]
fn after_a_burst_of_over_deadline_requests_the_server_is_idle_within_a_second() {
    let (addr, _stop, _h, _dir) = start(config(300, 2, 8));
    let body = heavy_body(1.8);
    let burst: Vec<_> = (0..4)
        .map(|_| {
            let body = body.clone();
            std::thread::spawn(move || Client::connect(addr).request("POST", "/v1/analyze", Some(("application/json", &body))).unwrap())
        })
        .collect();
    for h in burst {
        let r = h.join().unwrap();
        assert_eq!(r.status, 503, "{}", String::from_utf8_lossy(&r.body));
        assert_eq!(r.json()["error"]["code"], "timeout");
        assert_eq!(r.header("retry-after"), Some("1"));
    }
    // Meanwhile a small request is answered at once: the abandoned work has let go.
    let t = Instant::now();
    let small = Client::connect(addr).request("POST", "/v1/analyze", Some(("application/json", r#"{"text": "قال الوزير إن الاتفاق قائم."}"#.as_bytes()))).unwrap();
    let took = t.elapsed();
    assert_eq!(small.status, 200);
    assert!(took < Duration::from_millis(100), "a small request took {took:?}");
    let idle = idle_within(addr, Duration::from_secs(1));
    assert!(idle.is_some(), "analyses still running a second after their requests were answered");
}

#[test]
fn an_analysis_stops_when_its_client_goes_away() {
    let (addr, _stop, _h, _dir) = start(config(30_000, 2, 8));
    let body = heavy_body(1.8);
    let mut c = Client::connect(addr);
    let s = c.raw();
    std::io::Write::write_all(s, format!("POST /v1/analyze HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n", body.len()).as_bytes()).unwrap();
    std::io::Write::write_all(s, &body).unwrap();
    // Bounded wait for the analysis to start, then hang up.
    let t = Instant::now();
    while running(addr) == 0 && t.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(running(addr), 1, "the analysis did not start");
    s.shutdown(std::net::Shutdown::Both).unwrap();
    drop(c);
    assert!(idle_within(addr, Duration::from_secs(1)).is_some(), "the analysis went on after its client left");
}

#[test]
fn beyond_the_running_and_waiting_analyses_requests_are_refused_with_retry_after() {
    let (addr, _stop, _h, _dir) = start(config(2_000, 1, 0));
    let body = heavy_body(1.8);
    let first = {
        let body = body.clone();
        std::thread::spawn(move || Client::connect(addr).request("POST", "/v1/analyze", Some(("application/json", &body))).unwrap())
    };
    let t = Instant::now();
    while running(addr) == 0 && t.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(5));
    }
    let second = Client::connect(addr).request("POST", "/v1/analyze", Some(("application/json", &body))).unwrap();
    assert_eq!(second.status, 503);
    assert_eq!(second.json()["error"]["code"], "busy");
    assert_eq!(second.header("retry-after"), Some("1"));
    // Searches are not analyses: they are still served.
    assert_eq!(common::get(addr, "/v1/search?q=x").status, 200);
    let _ = first.join().unwrap();
}
