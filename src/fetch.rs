//! Fetching news from the web: pages and feeds by URL, politely.
//!
//! One HTTP client (ureq with rustls) with timeouts, a redirect limit, a
//! size limit, gzip and brotli, and a `User-Agent` naming lupe and its
//! version. Requests to one host go one at a time with a delay between
//! them; item pages of a feed (`--full-text`) are fetched only where the
//! host's robots.txt allows it. ETag and Last-Modified of every response
//! are remembered (in the index folder), so the next run asks "changed
//! since?" and a 304 costs one round trip. A server that is busy (429, or
//! 503) and names a short `Retry-After` is asked again after that wait, a
//! bounded number of times; a longer wait is reported with the time to
//! come back. Every failure names its URL and the run goes on.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use ureq::ResponseExt;

use crate::article::feed::{self, FeedItem};
use crate::article::{self, ArticleError, Item, Location, RawArticle, Record, Rejected, html};

/// Name of the file in the index folder that remembers validators.
pub const STATE_FILE: &str = "fetch-state.json";

/// How fetching behaves.
#[derive(Debug, Clone)]
pub struct Options {
    /// Whole-request timeout.
    pub timeout: Duration,
    /// Pause between two requests to the same host.
    pub delay: Duration,
    /// Largest accepted response body.
    pub max_bytes: u64,
    /// Redirects followed.
    pub max_redirects: u32,
    /// Fetch and extract each feed item's page.
    pub full_text: bool,
    /// Longest `Retry-After` (of a 429 or 503) that lupe waits for before
    /// asking again; a longer one is reported instead.
    pub max_retry_wait: Duration,
    /// How often one URL is asked again after such a wait.
    pub retries: u32,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            timeout: Duration::from_secs(30),
            delay: Duration::from_secs(1),
            max_bytes: 10 << 20,
            max_redirects: 5,
            full_text: false,
            max_retry_wait: Duration::from_secs(60),
            retries: 2,
        }
    }
}

/// What happened to one URL, for progress reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A page or feed was read; `articles` came of it.
    Fetched {
        /// The URL.
        url: String,
        /// Articles it yielded.
        articles: usize,
    },
    /// The server said nothing changed since the last run.
    NotModified {
        /// The URL.
        url: String,
    },
    /// robots.txt forbids fetching this page.
    Disallowed {
        /// The URL.
        url: String,
    },
    /// The server is busy and asked lupe to come back after `wait`, which
    /// it does.
    Retrying {
        /// The URL.
        url: String,
        /// The HTTP status (429 or 503).
        status: u16,
        /// How long lupe waits before it asks again.
        wait: Duration,
    },
}

/// Validators remembered per URL.
#[derive(Debug, Default, Serialize, Deserialize)]
struct State {
    urls: HashMap<String, Validators>,
}

#[derive(Debug, Default, Clone, Serialize, Deserialize)]
struct Validators {
    etag: Option<String>,
    last_modified: Option<String>,
}

/// A successful response.
struct Body {
    bytes: Vec<u8>,
    content_type: Option<String>,
    /// Where the redirects ended.
    url: String,
}

enum Outcome {
    Body(Body),
    NotModified,
}

/// One request's answer, before retrying.
enum Attempt {
    Done(Outcome),
    /// 429 or 503 with a `Retry-After`.
    Busy {
        status: String,
        code: u16,
        /// The header as sent.
        after: String,
        /// The wait it asks for, when it can be read.
        wait: Option<Duration>,
    },
}

/// The wait a `Retry-After` value asks for at `now`: seconds, or an HTTP
/// date (a date in the past asks for no wait).
fn retry_after(value: &str, now: time::OffsetDateTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at =
        time::OffsetDateTime::parse(value, &time::format_description::well_known::Rfc2822).ok()?;
    Some(Duration::try_from(at - now).unwrap_or(Duration::ZERO))
}

/// "120 s, at 2026-05-18T07:12:00Z": a wait and when it ends.
fn wait_until(wait: Duration) -> String {
    let at = time::OffsetDateTime::now_utc() + wait;
    let at = at
        .replace_nanosecond(0)
        .unwrap_or(at)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    format!("{} s, at {at}", wait.as_secs())
}

/// The fetcher: one client, the remembered validators, robots.txt per host
/// and the time of the last request per host.
pub struct Fetcher {
    agent: ureq::Agent,
    options: Options,
    state: State,
    state_path: Option<PathBuf>,
    robots: HashMap<String, Option<texting_robots::Robot>>,
    last: HashMap<String, Instant>,
}

/// The `User-Agent` lupe sends.
pub fn user_agent() -> String {
    format!(
        "lupe/{} (news search; +https://github.com/lupe-search/lupe)",
        env!("CARGO_PKG_VERSION")
    )
}

/// The host (with port) that politeness and robots.txt are kept per.
fn host_of(url: &str) -> String {
    article::host_of(url).to_ascii_lowercase()
}

fn failure(url: &str, reason: String) -> Item {
    Item::Rejected(Rejected {
        location: Location {
            path: url.to_string(),
            at: None,
        },
        error: ArticleError::Fetch(reason),
    })
}

fn describe(e: &ureq::Error) -> String {
    match e {
        ureq::Error::HostNotFound => "host not found (DNS)".into(),
        ureq::Error::Timeout(_) => "timed out".into(),
        ureq::Error::TooManyRedirects => "too many redirects".into(),
        ureq::Error::BodyExceedsLimit(n) => format!("response larger than {n} bytes"),
        ureq::Error::ConnectionFailed => "connection failed".into(),
        other => other.to_string(),
    }
}

impl Fetcher {
    /// A fetcher that remembers validators in `state_dir` (the index
    /// folder), or nowhere (`lupe extract`).
    pub fn new(options: Options, state_dir: Option<&Path>) -> Fetcher {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(options.timeout))
            .max_redirects(options.max_redirects)
            .user_agent(user_agent())
            .http_status_as_error(false)
            .build()
            .into();
        let state_path = state_dir.map(|d| d.join(STATE_FILE));
        // A missing or unreadable state only costs full downloads.
        let state = state_path
            .as_ref()
            .and_then(|p| std::fs::read(p).ok())
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        Fetcher {
            agent,
            options,
            state,
            state_path,
            robots: HashMap::new(),
            last: HashMap::new(),
        }
    }

    /// Writes the remembered validators (atomically).
    pub fn save(&self) -> std::io::Result<()> {
        let Some(path) = &self.state_path else {
            return Ok(());
        };
        let tmp = path.with_extension("json.tmp");
        std::fs::write(&tmp, serde_json::to_vec(&self.state)?)?;
        std::fs::rename(&tmp, path)
    }

    /// Waits until the host of `url` may be asked again.
    fn politely(&mut self, url: &str) {
        let host = host_of(url);
        if let Some(last) = self.last.get(&host) {
            let since = last.elapsed();
            if since < self.options.delay {
                std::thread::sleep(self.options.delay - since);
            }
        }
        self.last.insert(host, Instant::now());
    }

    /// GET `url`; a busy server's short `Retry-After` is waited for and the
    /// request made again (`report` hears of it), up to `retries` times.
    fn get(
        &mut self,
        url: &str,
        conditional: bool,
        report: &mut dyn FnMut(&Event),
    ) -> Result<Outcome, String> {
        let mut retried = 0;
        loop {
            let (status, code, after, wait) = match self.get_once(url, conditional)? {
                Attempt::Done(outcome) => return Ok(outcome),
                Attempt::Busy {
                    status,
                    code,
                    after,
                    wait,
                } => (status, code, after, wait),
            };
            // A cap of zero turns waiting off, even for `Retry-After: 0`.
            let cap = self.options.max_retry_wait;
            let short = |wait: Duration| !cap.is_zero() && wait <= cap;
            match wait {
                Some(wait) if short(wait) && retried < self.options.retries => {
                    retried += 1;
                    report(&Event::Retrying {
                        url: url.to_string(),
                        status: code,
                        wait,
                    });
                    std::thread::sleep(wait);
                }
                Some(wait) if short(wait) => {
                    let times = if retried == 1 { "retry" } else { "retries" };
                    return Err(format!(
                        "{status} (still after {retried} {times}; retry after {})",
                        wait_until(wait)
                    ));
                }
                Some(wait) => {
                    return Err(format!(
                        "{status} (retry after {}; lupe waits at most {} s)",
                        wait_until(wait),
                        cap.as_secs()
                    ));
                }
                None => return Err(format!("{status} (retry after {after})")),
            }
        }
    }

    fn get_once(&mut self, url: &str, conditional: bool) -> Result<Attempt, String> {
        self.politely(url);
        let mut request = self.agent.get(url);
        if conditional && let Some(v) = self.state.urls.get(url) {
            if let Some(etag) = &v.etag {
                request = request.header("If-None-Match", etag);
            }
            if let Some(lm) = &v.last_modified {
                request = request.header("If-Modified-Since", lm);
            }
        }
        let mut response = request.call().map_err(|e| describe(&e))?;
        let status = response.status();
        if status.as_u16() == 304 {
            return Ok(Attempt::Done(Outcome::NotModified));
        }
        if !status.is_success() {
            let reason = format!(
                "HTTP {} {}",
                status.as_u16(),
                status.canonical_reason().unwrap_or("")
            )
            .trim_end()
            .to_string();
            let after = response
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok());
            return match after {
                Some(after) if matches!(status.as_u16(), 429 | 503) => Ok(Attempt::Busy {
                    status: reason,
                    code: status.as_u16(),
                    after: after.to_string(),
                    wait: retry_after(after, time::OffsetDateTime::now_utc()),
                }),
                Some(after) => Err(format!("{reason} (retry after {after})")),
                None => Err(reason),
            };
        }
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let validators = Validators {
            etag: header("etag"),
            last_modified: header("last-modified"),
        };
        let content_type = header("content-type");
        let final_url = response.get_uri().to_string();
        let bytes = response
            .body_mut()
            .with_config()
            .limit(self.options.max_bytes)
            .read_to_vec()
            .map_err(|e| describe(&e))?;
        if conditional && (validators.etag.is_some() || validators.last_modified.is_some()) {
            self.state.urls.insert(url.to_string(), validators);
        }
        Ok(Attempt::Done(Outcome::Body(Body {
            bytes,
            content_type,
            url: final_url,
        })))
    }

    /// Whether robots.txt of `url`'s host allows lupe to fetch it. A
    /// robots.txt that cannot be fetched (404, error) allows everything.
    fn allowed(&mut self, url: &str, report: &mut dyn FnMut(&Event)) -> bool {
        let host = host_of(url);
        if !self.robots.contains_key(&host) {
            let robot = texting_robots::get_robots_url(url)
                .ok()
                .and_then(|robots_url| match self.get(&robots_url, false, report) {
                    Ok(Outcome::Body(b)) => texting_robots::Robot::new("lupe", &b.bytes).ok(),
                    _ => None,
                });
            self.robots.insert(host.clone(), robot);
        }
        match self.robots.get(&host) {
            Some(Some(robot)) => robot.allowed(url),
            _ => true,
        }
    }

    /// Fetches `url` (a page or a feed) and returns its articles or the
    /// failures, each naming its URL; `report` hears about every URL.
    pub fn items(&mut self, url: &str, report: &mut dyn FnMut(&Event)) -> Vec<Item> {
        let body = match self.get(url, true, report) {
            Ok(Outcome::Body(b)) => b,
            Ok(Outcome::NotModified) => {
                report(&Event::NotModified { url: url.into() });
                return Vec::new();
            }
            Err(reason) => return vec![failure(url, reason)],
        };
        let items = if feed::looks_like_feed(&body.bytes) {
            match feed::parse(&body.bytes, Some(&body.url)) {
                Ok(entries) => entries
                    .into_iter()
                    .enumerate()
                    .filter_map(|(i, e)| self.feed_item(url, i, e, report))
                    .collect(),
                Err(e) => vec![Item::Rejected(Rejected {
                    location: Location {
                        path: url.into(),
                        at: None,
                    },
                    error: e,
                })],
            }
        } else if is_html(&body) {
            vec![page_item(url, &body)]
        } else {
            let kind = body
                .content_type
                .as_deref()
                .unwrap_or("unknown content type");
            vec![failure(
                url,
                format!("neither a web page nor a feed ({kind})"),
            )]
        };
        let articles = items
            .iter()
            .filter(|i| matches!(i, Item::Article(_)))
            .count();
        report(&Event::Fetched {
            url: url.into(),
            articles,
        });
        items
    }

    /// One feed item as an article; with `--full-text`, its page's text
    /// replaces the feed's. `None` when its page did not change since the
    /// last run (the article is already in the index).
    fn feed_item(
        &mut self,
        feed_url: &str,
        index: usize,
        item: FeedItem,
        report: &mut dyn FnMut(&Event),
    ) -> Option<Item> {
        let location = Location {
            path: feed_url.to_string(),
            at: Some(crate::article::At::Record(index + 1)),
        };
        let link = item.url.clone();
        let mut raw = item.into_raw();
        if self.options.full_text
            && let Some(link) = link
        {
            if !self.allowed(&link, report) {
                // The feed's own text is still the publisher's to give.
                report(&Event::Disallowed { url: link });
            } else {
                match self.get(&link, true, report) {
                    Ok(Outcome::Body(body)) => {
                        let charset = charset_of(body.content_type.as_deref());
                        let page = html::extract(&html::decode(&body.bytes, charset.as_deref()));
                        if page.paragraphs.is_empty() {
                            return Some(failure(&link, ArticleError::NoArticle.to_string()));
                        }
                        // The feed's id, title and date stay: the item is the
                        // same article with or without --full-text.
                        raw.body = Some(page.paragraphs.join("\n\n"));
                        raw.title = raw.title.or(page.title);
                        raw.date = raw.date.or(page.date);
                    }
                    Ok(Outcome::NotModified) => {
                        report(&Event::NotModified { url: link });
                        return None;
                    }
                    Err(reason) => return Some(failure(&link, reason)),
                }
            }
        }
        Some(record(raw, location))
    }
}

fn record(raw: RawArticle, location: Location) -> Item {
    match raw.validate() {
        Ok(article) => Item::Article(Record {
            article,
            location,
            bytes: 0,
        }),
        Err(error) => Item::Rejected(Rejected { location, error }),
    }
}

fn charset_of(content_type: Option<&str>) -> Option<String> {
    content_type?
        .split(';')
        .filter_map(|p| p.trim().strip_prefix("charset="))
        .map(|c| c.trim_matches('"').to_string())
        .next()
}

fn is_html(body: &Body) -> bool {
    body.content_type
        .as_deref()
        .is_some_and(|t| t.contains("html"))
        || {
            let head = String::from_utf8_lossy(&body.bytes[..body.bytes.len().min(1024)])
                .to_ascii_lowercase();
            head.contains("<html") || head.contains("<!doctype html")
        }
}

fn page_item(url: &str, body: &Body) -> Item {
    let charset = charset_of(body.content_type.as_deref());
    let mut page = html::extract(&html::decode(&body.bytes, charset.as_deref()));
    // Without a canonical link, the URL the page was fetched from is both
    // its address and its id.
    page.url = page.url.or_else(|| Some(body.url.clone()));
    let location = Location {
        path: url.to_string(),
        at: None,
    };
    match page.into_raw(&body.url) {
        Ok(raw) => record(raw, location),
        Err(error) => Item::Rejected(Rejected { location, error }),
    }
}

/// Whether a command-line argument is a URL rather than a path.
pub fn is_url(arg: &str) -> bool {
    arg.starts_with("http://") || arg.starts_with("https://")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_and_charsets() {
        assert_eq!(host_of("https://Heise.de:443/news?x"), "heise.de:443");
        assert_eq!(
            charset_of(Some("text/html; charset=\"windows-1252\"")).as_deref(),
            Some("windows-1252")
        );
        assert!(user_agent().starts_with(&format!("lupe/{}", env!("CARGO_PKG_VERSION"))));
        assert!(is_url("https://x.example/") && !is_url("feeds/x.xml"));
    }

    #[test]
    fn retry_after_in_seconds_or_as_a_date() {
        let now = time::OffsetDateTime::from_unix_timestamp(1_445_412_400).unwrap(); // 2015-10-21 07:26:40 UTC
        assert_eq!(retry_after(" 120 ", now), Some(Duration::from_secs(120)));
        assert_eq!(
            retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now),
            Some(Duration::from_secs(80))
        );
        assert_eq!(
            retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after("bald", now), None);
        assert_eq!(retry_after("-5", now), None);
    }
}
