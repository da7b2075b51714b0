//! `lupe ingest URL` and `lupe extract URL` against a small HTTP server on
//! 127.0.0.1 that each test starts itself: redirects, conditional requests
//! (304), 429 with Retry-After, timeouts, oversized bodies, robots.txt and
//! `--full-text`. No test reaches the internet.

mod util;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use util::TestEnv;

const CHIP_PAGE: &str = include_str!("fixtures/news/kikurier-chipfabrik.html");

/// A request as the server saw it.
#[derive(Debug, Clone)]
struct Seen {
    path: String,
    headers: HashMap<String, String>,
}

struct Server {
    base: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    /// Serves until the test process ends; `routes` answers each request.
    fn start(routes: fn(&Seen, &str) -> Vec<u8>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let base = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&seen);
        let base2 = base.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let log = Arc::clone(&log);
                let base = base2.clone();
                std::thread::spawn(move || serve(stream, routes, &log, &base));
            }
        });
        Server { base, seen }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn requests(&self, path: &str) -> Vec<Seen> {
        let seen = self.seen.lock().unwrap();
        seen.iter().filter(|s| s.path == path).cloned().collect()
    }
}

fn serve(
    stream: TcpStream,
    routes: fn(&Seen, &str) -> Vec<u8>,
    log: &Mutex<Vec<Seen>>,
    base: &str,
) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut writer = stream;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
        let mut headers = HashMap::new();
        loop {
            let mut h = String::new();
            if reader.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
                break;
            }
            if let Some((k, v)) = h.split_once(':') {
                headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
            }
        }
        let seen = Seen { path, headers };
        log.lock().unwrap().push(seen.clone());
        let response = routes(&seen, base);
        if writer.write_all(&response).is_err() {
            return;
        }
        let _ = writer.flush();
    }
}

fn response(status: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status}\r\nContent-Length: {}\r\n", body.len());
    for (k, v) in headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str("\r\n");
    let mut out = out.into_bytes();
    out.extend_from_slice(body);
    out
}

fn feed(base: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Lokalfeed</title><link>{base}/</link>
<item><title>Chipfabrik verzögert sich</title><link>{base}/artikel/chip.html</link><guid>lokal-1</guid>
<pubDate>Tue, 04 Mar 2025 09:15:00 +0100</pubDate><description>Nur ein Anriss zur Fabrik.</description></item>
<item><title>Geheimer Bericht</title><link>{base}/privat/bericht.html</link><guid>lokal-2</guid>
<description>Anriss eines Berichts, dessen Seite robots.txt sperrt.</description></item>
</channel></rss>"#
    )
}

fn routes(req: &Seen, base: &str) -> Vec<u8> {
    let html = [("Content-Type", "text/html; charset=utf-8")];
    match req.path.as_str() {
        "/feed.xml" => {
            if req.headers.get("if-none-match").map(String::as_str) == Some("\"v1\"") {
                return response("304 Not Modified", &[("ETag", "\"v1\"")], b"");
            }
            response(
                "200 OK",
                &[("Content-Type", "application/rss+xml"), ("ETag", "\"v1\"")],
                feed(base).as_bytes(),
            )
        }
        "/robots.txt" => response(
            "200 OK",
            &[("Content-Type", "text/plain")],
            b"User-agent: *\nDisallow: /privat/\n",
        ),
        "/artikel/chip.html" => response("200 OK", &html, CHIP_PAGE.as_bytes()),
        "/alt" => response(
            "301 Moved Permanently",
            &[("Location", "/artikel/chip.html")],
            b"",
        ),
        "/schleife" => response("302 Found", &[("Location", "/schleife")], b""),
        "/busy" => response("429 Too Many Requests", &[("Retry-After", "120")], b""),
        "/gross" => response("200 OK", &html, &vec![b'a'; 11 << 20]),
        "/langsam" => {
            std::thread::sleep(Duration::from_secs(5));
            response("200 OK", &html, CHIP_PAGE.as_bytes())
        }
        _ => response("404 Not Found", &html, b"<html><body>weg</body></html>"),
    }
}

fn fast(env: &TestEnv, args: &[String]) -> util::Run {
    let mut all: Vec<String> = vec!["--delay".into(), "0".into(), "--timeout".into(), "2".into()];
    all.extend(args.iter().cloned());
    env.ingest(&all)
}

#[test]
fn a_feed_with_full_text_respects_robots_and_a_rerun_is_a_304() {
    let server = Server::start(routes);
    let env = TestEnv::new();
    let run = fast(
        &env,
        &[
            "--json".into(),
            "--full-text".into(),
            server.url("/feed.xml"),
        ],
    )
    .code(0);
    let summary: serde_json::Value = serde_json::from_str(run.stdout().trim()).unwrap();
    assert_eq!(summary["added"], 2, "{run}");
    // The item page was fetched and extracted; the disallowed one was not
    // fetched and keeps the feed's teaser.
    assert_eq!(env.found(&["Reinraumtechnik"]), ["lokal-1"]);
    assert_eq!(env.found(&["sperrt"]), ["lokal-2"]);
    assert!(server.requests("/privat/bericht.html").is_empty());
    assert_eq!(server.requests("/robots.txt").len(), 1);
    let ua = &server.requests("/feed.xml")[0].headers["user-agent"];
    assert!(
        ua.starts_with(&format!("lupe/{}", env!("CARGO_PKG_VERSION"))),
        "{ua}"
    );
    assert!(env.index().join("fetch-state.json").exists());
    // From cron again: the feed answers 304 and nothing is fetched or added.
    let again = fast(
        &env,
        &[
            "--json".into(),
            "--full-text".into(),
            server.url("/feed.xml"),
        ],
    )
    .code(0);
    let summary: serde_json::Value = serde_json::from_str(again.stdout().trim()).unwrap();
    assert_eq!(summary["added"], 0);
    assert_eq!(summary["unchanged"], 0);
    let feeds = server.requests("/feed.xml");
    assert_eq!(feeds.len(), 2);
    assert_eq!(
        feeds[1].headers.get("if-none-match").map(String::as_str),
        Some("\"v1\"")
    );
    assert_eq!(server.requests("/artikel/chip.html").len(), 1);
}

#[test]
fn failures_name_their_url_and_the_run_goes_on() {
    let server = Server::start(routes);
    let env = TestEnv::new();
    let urls = ["/busy", "/fehlt", "/schleife", "/gross", "/langsam", "/alt"];
    let args: Vec<String> = urls.iter().map(|u| server.url(u)).collect();
    let run = fast(&env, &args).code(2);
    let err = run.stderr();
    let line = |path: &str| {
        let url = server.url(path);
        err.lines()
            .find(|l| l.contains(&url))
            .unwrap_or_else(|| panic!("no line for {url}\n{err}"))
            .to_string()
    };
    // Too long a wait is not waited for but reported, with when to come back.
    assert!(
        line("/busy").contains("HTTP 429")
            && line("/busy").contains("retry after 120 s, at 20")
            && line("/busy").contains("waits at most 60 s"),
        "{err}"
    );
    assert_eq!(server.requests("/busy").len(), 1);
    assert!(line("/fehlt").contains("HTTP 404"), "{err}");
    assert!(line("/schleife").contains("redirect"), "{err}");
    assert!(line("/gross").contains("larger than"), "{err}");
    assert!(line("/langsam").contains("timed out"), "{err}");
    // The redirect was followed and its page ingested under its canonical URL.
    assert_eq!(
        env.found(&["Reinraumtechnik"]),
        ["https://kikurier.example/2025/chipfabrik-verzoegert"]
    );
}

#[test]
fn extract_a_url_prints_the_page_without_an_index() {
    let server = Server::start(routes);
    let env = TestEnv::new();
    let run = env
        .run([
            "extract",
            "--json",
            server.url("/artikel/chip.html").as_str(),
        ])
        .code(0);
    let articles: Vec<serde_json::Value> = serde_json::from_str(&run.stdout()).unwrap();
    assert_eq!(
        articles[0]["title"],
        "Neue Chipfabrik in Magdeburg verzögert sich"
    );
    assert!(!env.index().exists());
}

static BUSY_ONCE: AtomicUsize = AtomicUsize::new(0);
static DOWN_ONCE: AtomicUsize = AtomicUsize::new(0);

fn busy_routes(req: &Seen, base: &str) -> Vec<u8> {
    let html = [("Content-Type", "text/html; charset=utf-8")];
    match req.path.as_str() {
        // Busy the first time, with a wait lupe takes.
        "/einmal-busy" if BUSY_ONCE.fetch_add(1, Ordering::SeqCst) == 0 => {
            response("429 Too Many Requests", &[("Retry-After", "0")], b"")
        }
        "/einmal-busy" => response("200 OK", &html, CHIP_PAGE.as_bytes()),
        // Down for maintenance the first time.
        "/wartung" if DOWN_ONCE.fetch_add(1, Ordering::SeqCst) == 0 => {
            response("503 Service Unavailable", &[("Retry-After", "1")], b"")
        }
        "/wartung" => response(
            "200 OK",
            &[("Content-Type", "application/rss+xml")],
            feed(base).as_bytes(),
        ),
        "/immer-busy" => response("429 Too Many Requests", &[("Retry-After", "0")], b""),
        // A 503 without Retry-After is a plain failure.
        "/kaputt" => response("503 Service Unavailable", &[], b""),
        _ => response("404 Not Found", &html, b""),
    }
}

#[test]
fn a_busy_server_with_a_short_retry_after_is_asked_again() {
    let server = Server::start(busy_routes);
    let env = TestEnv::new();
    let args: Vec<String> = ["/einmal-busy", "/wartung", "/immer-busy", "/kaputt"]
        .iter()
        .map(|u| server.url(u))
        .collect();
    let run = fast(&env, &args).code(2);
    let err = run.stderr();
    // The page and the feed came on the second request.
    assert_eq!(server.requests("/einmal-busy").len(), 2);
    assert_eq!(server.requests("/wartung").len(), 2);
    assert_eq!(
        env.found(&["Reinraumtechnik"]),
        ["https://kikurier.example/2025/chipfabrik-verzoegert"]
    );
    assert_eq!(env.found(&["sperrt"]), ["lokal-2"]);
    for (path, status) in [("/einmal-busy", 429), ("/wartung", 503)] {
        let says = format!(
            "{} is busy (HTTP {status}); asking again in",
            server.url(path)
        );
        assert!(err.contains(&says), "{says:?} not in\n{err}");
    }
    // A server that stays busy is asked twice more, then reported.
    assert_eq!(server.requests("/immer-busy").len(), 3);
    let line = err
        .lines()
        .find(|l| l.contains(&server.url("/immer-busy")) && l.contains("still"))
        .unwrap_or_else(|| panic!("no report for /immer-busy\n{err}"));
    assert!(
        line.contains("HTTP 429") && line.contains("still after 2 retries"),
        "{line}"
    );
    assert_eq!(server.requests("/kaputt").len(), 1);
    assert!(err.contains("HTTP 503 Service Unavailable"), "{err}");
}

#[test]
fn max_retry_wait_zero_never_waits() {
    let server = Server::start(busy_routes);
    let env = TestEnv::new();
    let run = env
        .run([
            "extract",
            "--max-retry-wait",
            "0",
            server.url("/immer-busy").as_str(),
        ])
        .code(2);
    assert!(
        run.stderr()
            .contains("HTTP 429 Too Many Requests (retry after 0 s, at "),
        "{run}"
    );
    assert_eq!(server.requests("/immer-busy").len(), 1);
}
