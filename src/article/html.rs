//! News web pages: the article, not the page.
//!
//! Metadata comes from what publishers emit, in order of trust: JSON-LD
//! (`NewsArticle`, `Article`, …), Open Graph and `article:*` meta tags,
//! `<time datetime>`, `<link rel=canonical>`, then `<title>` and `<h1>`.
//!
//! The main text is found by scoring: the page is cut into text blocks
//! (paragraphs, headings, list items) and every container element gets
//! `good − λ·other`, where "good" counts the characters of sentence-like,
//! mostly unlinked blocks under it and "other" everything else it holds
//! (menus, teasers, link lists, bylines). Subtrees that are boilerplate by
//! tag (`nav`, `aside`, `footer`, forms controls, figures) or by
//! class/id/role (cookie banners, share buttons, comments, "related"
//! boxes) are not read at all. The best container's blocks are the body;
//! the lead is taken from before it when the page's description names it.
//! This measured better than a readability port on German news pages (see
//! the module's tests and the README).

use std::collections::HashSet;
use std::sync::LazyLock;

use ego_tree::NodeRef;
use memchr::memmem;
use scraper::{Html, Node};
use serde_json::Value;

use super::{ArticleError, RawArticle, date, nesting};

/// Deeper nesting than this is not read (the walk must not exhaust the
/// stack). Pages reach the parser with at most [`nesting::MAX_NESTING`]
/// elements inside each other, not counting those that need no end tag
/// (table rows and cells, list items, paragraphs), which add a few levels
/// each at most: all of their text is within reach.
const MAX_DEPTH: usize = 6 * nesting::MAX_NESTING;

/// Weight of "other" text against article text when choosing the container.
const OTHER_WEIGHT: f64 = 0.5;

/// A container inside the best one is taken instead when it holds this
/// share of the article text.
const TIGHTEN_SHARE: f64 = 0.85;

/// How far before the text the headline may stand for the blocks in
/// between to count as the lead.
const HEADER_BLOCKS: usize = 10;

/// A block counts as article text from this many characters on.
const GOOD_MIN_CHARS: usize = 60;

/// Decodes an HTML page: the byte order mark, then the charset of the
/// HTTP header, then `<meta charset>` (or `http-equiv`), else UTF-8 when
/// the bytes are valid UTF-8 and windows-1252 when not (what browsers do
/// for German pages without a declaration).
pub fn decode(bytes: &[u8], header_charset: Option<&str>) -> String {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return encoding
            .decode_without_bom_handling(&bytes[bom..])
            .0
            .into_owned();
    }
    let declared = header_charset
        .and_then(|c| encoding_rs::Encoding::for_label(c.trim().as_bytes()))
        .or_else(|| meta_charset(bytes));
    let encoding = match declared {
        // A page that declares UTF-16 in ASCII cannot be UTF-16 (the spec's rule).
        Some(e) if e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE => encoding_rs::UTF_8,
        Some(e) => e,
        None if std::str::from_utf8(bytes).is_ok() => encoding_rs::UTF_8,
        None => encoding_rs::WINDOWS_1252,
    };
    encoding.decode_without_bom_handling(bytes).0.into_owned()
}

/// The encoding named by `<meta charset=…>` or `<meta http-equiv=Content-Type
/// content="…; charset=…">` in the first 4 KB.
fn meta_charset(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut from = 0;
    while let Some(pos) = memmem::find(&lower[from..], b"<meta") {
        let start = from + pos;
        let end = memchr::memchr(b'>', &lower[start..]).map_or(lower.len(), |e| start + e);
        let tag = &lower[start..end];
        if let Some(c) = memmem::find(tag, b"charset=") {
            let rest = &tag[c + 8..];
            let rest = rest
                .strip_prefix(b"\"")
                .or_else(|| rest.strip_prefix(b"'"))
                .unwrap_or(rest);
            let len = rest
                .iter()
                .position(|b| matches!(b, b'"' | b'\'' | b';' | b' ' | b'/' | b'>'))
                .unwrap_or(rest.len());
            if let Some(e) = encoding_rs::Encoding::for_label(&rest[..len]) {
                return Some(e);
            }
        }
        from = end;
    }
    None
}

/// Everything lupe reads from a page.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Page {
    /// Headline without the site's name.
    pub title: Option<String>,
    /// Publication date as published (ISO 8601).
    pub date: Option<String>,
    /// Canonical URL.
    pub url: Option<String>,
    /// The publisher or site name.
    pub source: Option<String>,
    /// Authors, as named by JSON-LD or meta tags.
    pub authors: Vec<String>,
    /// Paragraphs and section headings of the article, the lead first.
    pub paragraphs: Vec<String>,
}

impl Page {
    /// The page as an article record; `fallback_id` (the file path) is the
    /// id when the page names no canonical URL.
    pub(crate) fn into_raw(self, fallback_id: &str) -> Result<RawArticle, ArticleError> {
        if self.paragraphs.is_empty() {
            return Err(ArticleError::NoArticle);
        }
        Ok(RawArticle {
            id: Some(self.url.clone().unwrap_or_else(|| fallback_id.to_string())),
            title: self.title,
            body: Some(self.paragraphs.join("\n\n")),
            date: self.date,
            source: self.source,
            url: self.url,
        })
    }
}

/// Reads a page's bytes (see [`decode`]) into a record; the id is the
/// canonical URL, else `fallback_id`.
pub(crate) fn parse_bytes(
    bytes: &[u8],
    header_charset: Option<&str>,
    fallback_id: &str,
) -> Result<RawArticle, ArticleError> {
    extract(&decode(bytes, header_charset)).into_raw(fallback_id)
}

/// Extracts the article of an HTML page.
pub fn extract(html: &str) -> Page {
    let doc = Html::parse_document(&nesting::bound(html, nesting::MAX_NESTING));
    let meta = Meta::read(&doc);
    let mut walker = Walker::default();
    walker.walk(doc.tree.root(), 0);
    walker.flush();
    let mut paragraphs = walker.body();
    let title = meta.title(&walker.top_lines());
    // The headline is not part of the text: neither as the title reads
    // nor as the page shows it (with its kicker or without).
    let headline: Vec<String> = title
        .iter()
        .chain(
            walker
                .shown_headlines()
                .into_iter()
                .flat_map(|h| std::iter::once(&h.text).chain(&h.without_kicker)),
        )
        .map(|h| comparable(h))
        .collect();
    paragraphs.retain(|p| !headline.contains(&comparable(p)));
    if let Some(lead) = walker.lead(meta.description.as_deref()) {
        paragraphs.insert(0, lead);
    }
    // Some pages render their text with scripts and carry it only in
    // JSON-LD: take it from there when the page shows much less.
    if let Some(text) = &meta.article_body {
        let shown: usize = paragraphs.iter().map(|p| p.chars().count()).sum();
        if shown * 2 < text.chars().count() {
            paragraphs = text
                .split('\n')
                .map(collapse)
                .filter(|p| !p.is_empty())
                .collect();
        }
    }
    Page {
        title,
        date: meta.date().or_else(|| walker.dateline()),
        url: meta.url(),
        source: meta.site_name.clone().or(meta.publisher.clone()),
        authors: meta.authors,
        paragraphs,
    }
}

/// Every text block of an HTML fragment (a feed item's content) as
/// paragraphs: no scoring, since the publisher chose the content, but
/// scripts, forms, figures and hidden parts are still left out.
pub fn fragment_paragraphs(html: &str) -> Vec<String> {
    let doc = Html::parse_fragment(&nesting::bound(html, nesting::MAX_NESTING));
    let mut walker = Walker::default();
    walker.walk(doc.tree.root(), 0);
    walker.flush();
    walker
        .blocks
        .into_iter()
        .filter(|b| !b.text.is_empty() && b.link_chars < b.chars.max(1))
        .map(|b| b.text)
        .collect()
}

/// Text with HTML character references (and stray tags) as it reads.
/// JSON-LD sits in a `<script>`, where the HTML parser decodes nothing,
/// and many CMSs write its strings HTML-escaped (`&quot;`, `&#8211;`).
fn unescape_html(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains(['&', '<']) {
        return s.into();
    }
    let fragment = Html::parse_fragment(s);
    let text: String = fragment
        .root_element()
        .descendants()
        .filter_map(|n| n.value().as_text().map(|t| &**t))
        .collect();
    text.into()
}

/// Lowercase letters and digits only, for comparing titles with text.
fn comparable(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whitespace collapsed; characters that show nothing (soft hyphens,
/// zero-width spaces and joiners-to-be, direction marks, byte order marks)
/// removed, so that titles and text compare and search as they read.
pub(crate) fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        let visible = word.chars().filter(|c| !is_invisible(*c));
        if out.is_empty() {
            out.extend(visible);
        } else {
            let before = out.len();
            out.push(' ');
            out.extend(visible);
            if out.len() == before + 1 {
                out.truncate(before);
            }
        }
    }
    out
}

/// Characters that format text but show nothing.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{ad}' | '\u{180e}' | '\u{200b}' | '\u{200c}' | '\u{200e}' | '\u{200f}' | '\u{2060}'
            ..='\u{2064}' | '\u{feff}'
    )
}

// ---------------------------------------------------------------------------
// Metadata

#[derive(Debug, Default)]
struct Meta {
    ld_headline: Option<String>,
    ld_published: Option<String>,
    ld_modified: Option<String>,
    ld_url: Option<String>,
    og_title: Option<String>,
    twitter_title: Option<String>,
    /// `<meta name=title>` (or microdata `itemprop=headline`): the title
    /// some publishers give search engines.
    meta_title: Option<String>,
    title_tag: Option<String>,
    h1: Option<String>,
    /// The first `<h1>` without the kicker it sets apart, if it does.
    h1_plain: Option<String>,
    meta_published: Option<String>,
    /// `<time datetime>`s outside comments, teasers and navigation, in
    /// page order, with where each stands.
    time_datetimes: Vec<(String, Place)>,
    /// Dates the page shows in its datelines and bylines, in page order,
    /// with where each stands.
    shown_dates: Vec<(date::ShownDate, Place)>,
    canonical: Option<String>,
    og_url: Option<String>,
    site_name: Option<String>,
    publisher: Option<String>,
    authors: Vec<String>,
    description: Option<String>,
    article_body: Option<String>,
}

/// Where a date stands on the page.
#[derive(Debug, Clone, Copy)]
struct Place {
    node: ego_tree::NodeId,
    /// Inside an `<article>` element.
    in_article: bool,
    /// Beside the page's first `<h1>`, in the box that holds it (above it
    /// or below), set once the whole page is read.
    near_h1: bool,
    /// After the page's first `<h1>`.
    after_h1: bool,
}

/// The first item that `fits`, in the `<article>` first (lists of other
/// articles after it are dated too), then beside the headline, then after
/// it (a site's header above it may show today's date), then anywhere.
fn first_by_place<T>(items: &[(T, Place)], fits: impl Fn(&T) -> bool) -> Option<&(T, Place)> {
    let places: [fn(&Place) -> bool; 4] =
        [|p| p.in_article, |p| p.near_h1, |p| p.after_h1, |_| true];
    places
        .iter()
        .find_map(|at| items.iter().find(|(item, place)| at(place) && fits(item)))
}

const ARTICLE_TYPES: [&str; 9] = [
    "NewsArticle",
    "Article",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "BackgroundNewsArticle",
    "BlogPosting",
    "LiveBlogPosting",
    "Report",
];

fn nonempty(s: Option<&str>) -> Option<String> {
    s.map(collapse).filter(|s| !s.is_empty())
}

/// A JSON-LD value as text: a string, or an object's `name` (or `@id`).
fn ld_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => nonempty(Some(&unescape_html(s))),
        Value::Object(o) => o.get("name").and_then(ld_text),
        Value::Array(a) => a.iter().find_map(ld_text),
        _ => None,
    }
}

fn ld_url(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => nonempty(Some(s)),
        Value::Object(o) => o.get("@id").or_else(|| o.get("url")).and_then(ld_url),
        _ => None,
    }
}

fn is_article(o: &serde_json::Map<String, Value>) -> bool {
    let is = |t: &Value| t.as_str().is_some_and(|t| ARTICLE_TYPES.contains(&t));
    match o.get("@type") {
        Some(Value::Array(types)) => types.iter().any(is),
        Some(t) => is(t),
        None => false,
    }
}

/// The first article object in a JSON-LD value (arrays and `@graph`s
/// included).
fn find_article(v: &Value, depth: usize) -> Option<&serde_json::Map<String, Value>> {
    if depth > 8 {
        return None;
    }
    match v {
        Value::Array(items) => items.iter().find_map(|i| find_article(i, depth + 1)),
        Value::Object(o) if is_article(o) => Some(o),
        Value::Object(o) => o
            .get("@graph")
            .or_else(|| o.get("mainEntity"))
            .and_then(|g| find_article(g, depth + 1)),
        _ => None,
    }
}

impl Meta {
    fn read(doc: &Html) -> Meta {
        let mut m = Meta::default();
        let mut h1_node = None;
        for node in doc.tree.root().descendants() {
            let Node::Element(el) = node.value() else {
                continue;
            };
            match el.name() {
                "script" if el.attr("type").is_some_and(|t| t.contains("ld+json")) => {
                    let text: String = node
                        .children()
                        .filter_map(|c| c.value().as_text().map(|t| t.to_string()))
                        .collect();
                    if m.ld_headline.is_none() && m.ld_published.is_none() {
                        m.read_json_ld(&text);
                    }
                }
                "meta" => m.read_meta(el),
                "link" => {
                    let rel = el.attr("rel").unwrap_or("");
                    if m.canonical.is_none()
                        && rel
                            .split_whitespace()
                            .any(|r| r.eq_ignore_ascii_case("canonical"))
                    {
                        m.canonical = nonempty(el.attr("href"));
                    }
                }
                "title" if m.title_tag.is_none() => {
                    m.title_tag = nonempty(Some(&text_of(node)));
                }
                "h1" if m.h1.is_none() => {
                    h1_node = Some(node);
                    m.h1 = nonempty(Some(&text_of(node)));
                    m.h1_plain = without_kicker(node);
                }
                "time" => {
                    if let Some(d) = el.attr("datetime").and_then(normalise_date)
                        && !in_page_furniture(node)
                    {
                        m.time_datetimes.push((d, m.place(node)));
                    }
                }
                _ => {}
            }
            // Only read when nothing better names the date (JSON-LD and
            // meta tags stand in the <head>, before any dateline).
            let dated = m.ld_published.is_some() || m.meta_published.is_some();
            if !dated
                && shows_date(el)
                && !in_page_furniture(node)
                && let Some(text) = short_text_of(node, DATELINE_MAX_CHARS)
            {
                let place = m.place(node);
                m.shown_dates
                    .extend(date::shown_dates(&text).into_iter().map(|d| (d, place)));
            }
        }
        m.mark_near(doc, h1_node);
        m
    }

    /// Marks the dates that stand in the box of the headline `h1`: its
    /// element's children and grandchildren, as an old CMS sets "Interview
    /// · 14.10.2026" above the headline and lists other articles' dates
    /// in a column below. A headline straight in the `<body>` has no box.
    fn mark_near(&mut self, doc: &Html, h1: Option<NodeRef<'_, Node>>) {
        let Some(header) = h1.and_then(|h| h.parent()).filter(|p| {
            p.value()
                .as_element()
                .is_some_and(|e| !matches!(e.name(), "body" | "html"))
        }) else {
            return;
        };
        let places = (self.time_datetimes.iter_mut().map(|(_, p)| p))
            .chain(self.shown_dates.iter_mut().map(|(_, p)| p));
        for place in places {
            place.near_h1 = doc
                .tree
                .get(place.node)
                .is_some_and(|n| n.ancestors().take(2).any(|a| a.id() == header.id()));
        }
    }

    fn read_json_ld(&mut self, text: &str) {
        // Publishers leave raw newlines and tabs in JSON-LD strings.
        let Ok(v) = serde_json::from_str::<Value>(text)
            .or_else(|_| serde_json::from_str::<Value>(&text.replace(['\n', '\r', '\t'], " ")))
        else {
            return;
        };
        let Some(a) = find_article(&v, 0) else {
            return;
        };
        let get = |k: &str| a.get(k).and_then(ld_text);
        self.ld_headline = get("headline").or_else(|| get("name"));
        self.ld_published = get("datePublished").or_else(|| get("dateCreated"));
        self.ld_modified = get("dateModified");
        self.ld_url = a
            .get("url")
            .and_then(ld_url)
            .or_else(|| a.get("mainEntityOfPage").and_then(ld_url));
        if let Some(p) = a.get("publisher").and_then(ld_text) {
            self.publisher = Some(p);
        }
        let authors = match a.get("author") {
            Some(Value::Array(list)) => list.iter().filter_map(ld_text).collect(),
            Some(v) => ld_text(v).into_iter().collect(),
            None => Vec::new(),
        };
        if !authors.is_empty() {
            self.authors = authors;
        }
        if let Some(d) = get("description") {
            self.description = Some(d);
        }
        self.article_body = a
            .get("articleBody")
            .and_then(Value::as_str)
            .map(str::to_string);
    }

    fn read_meta(&mut self, el: &scraper::node::Element) {
        let key = el
            .attr("property")
            .or_else(|| el.attr("name"))
            .or_else(|| el.attr("itemprop"))
            .unwrap_or("")
            .to_ascii_lowercase();
        let content = el.attr("content");
        let set = |slot: &mut Option<String>| {
            if slot.is_none() {
                *slot = nonempty(content);
            }
        };
        match key.as_str() {
            "og:title" => set(&mut self.og_title),
            "twitter:title" => set(&mut self.twitter_title),
            "title" | "headline" => set(&mut self.meta_title),
            "og:url" => set(&mut self.og_url),
            "og:site_name" => set(&mut self.site_name),
            "description" | "og:description" | "twitter:description" => set(&mut self.description),
            "article:published_time"
            | "og:published_time"
            | "og:article:published_time"
            | "datepublished"
            | "date"
            | "pubdate"
            | "publishdate"
            | "publish-date"
            | "dc.date"
            | "dc.date.issued"
            | "dcterms.date"
            | "sailthru.date"
            | "parsely-pub-date"
                if self.meta_published.is_none() =>
            {
                self.meta_published = content.and_then(normalise_date);
            }
            "author" | "article:author" if self.authors.is_empty() => {
                if let Some(a) = nonempty(content).filter(|a| !a.starts_with("http")) {
                    self.authors.push(a);
                }
            }
            _ => {}
        }
    }

    fn date(&self) -> Option<String> {
        [&self.ld_published, &self.meta_published]
            .into_iter()
            .find_map(|d| d.as_deref().and_then(normalise_date))
            .or_else(|| first_by_place(&self.time_datetimes, |_| true).map(|(d, _)| d.clone()))
            .or_else(|| self.shown_date())
            .or_else(|| self.ld_modified.as_deref().and_then(normalise_date))
    }

    /// The publication date a page without date metadata shows, by place
    /// ([`first_by_place`]); a first publication before an update.
    fn shown_date(&self) -> Option<String> {
        [false, true].into_iter().find_map(|updated| {
            first_by_place(&self.shown_dates, |d| d.updated == updated).map(|(d, _)| d.text.clone())
        })
    }

    /// Where a node stands on the page, as read so far.
    fn place(&self, node: NodeRef<'_, Node>) -> Place {
        Place {
            node: node.id(),
            near_h1: false,
            in_article: node.ancestors().any(|a| is_element(a, &["article"])),
            after_h1: self.h1.is_some(),
        }
    }

    fn url(&self) -> Option<String> {
        [&self.canonical, &self.og_url, &self.ld_url]
            .into_iter()
            .flatten()
            .find(|u| u.starts_with("http://") || u.starts_with("https://"))
            .map(|u| u.split('#').next().unwrap_or(u).to_string())
    }

    /// Names the site goes by: Open Graph's site name, the JSON-LD
    /// publisher, acronyms in them ("SRF" of "Schweizer Radio und Fernsehen
    /// (SRF)"), and the host of the page's address ("sn.at" for
    /// `https://www.sn.at/…`), which titles often end with.
    fn site_names(&self) -> Vec<String> {
        let host = [&self.canonical, &self.og_url, &self.ld_url]
            .into_iter()
            .flatten()
            .find(|u| u.starts_with("https://") || u.starts_with("http://"))
            .map(|u| {
                let host = super::host_of(u).split(':').next().unwrap_or("");
                host.strip_prefix("www.").unwrap_or(host).to_string()
            });
        let acronyms = [&self.site_name, &self.publisher]
            .into_iter()
            .flatten()
            .flat_map(|n| n.split(|c: char| !c.is_alphanumeric()))
            // Three letters at most: these match whole tails only.
            .filter(|w| (2..=3).contains(&w.chars().count()) && w.chars().all(char::is_uppercase))
            .map(str::to_string)
            .collect::<Vec<_>>();
        [&self.site_name, &self.publisher, &host]
            .into_iter()
            .flatten()
            .chain(&acronyms)
            .map(|n| comparable(n))
            .filter(|n| !n.is_empty())
            .collect()
    }

    /// The article's title as its publisher gives it: the first of its
    /// metadata titles in order of trust (Open Graph, JSON-LD, `<meta
    /// name=title>`, Twitter, `<title>`) without the site's name; the
    /// page's `<h1>` only when it has none. `lines` are the short lines
    /// around the article's top, comparable: old sites' `<title>`s end
    /// with the headline shown there ("Site - Section - Headline").
    fn title(&self, lines: &[String]) -> Option<String> {
        let names = self.site_names();
        let h1: Vec<String> = [&self.h1, &self.h1_plain]
            .into_iter()
            .flatten()
            .map(|h| comparable(h))
            .filter(|h| !h.is_empty())
            .collect();
        // Publishers title an article for search engines (JSON-LD, <meta
        // name=title>), for shares (Open Graph) and for browser tabs
        // (<title>), and the page may show its headline worded yet another
        // way, or with a kicker set apart above it. The publisher's
        // metadata title is the one its own parsers take (fundus's take
        // the JSON-LD headline or og:title, never the <h1>), and the one
        // it meant to be read wherever the article is listed.
        [
            &self.og_title,
            &self.ld_headline,
            &self.meta_title,
            &self.twitter_title,
            &self.title_tag,
            &self.h1,
        ]
        .into_iter()
        .flatten()
        .map(|t| {
            let t = strip_site_name(t, &names, &h1);
            shown_tail(&t, lines).unwrap_or(t)
        })
        // A share title that is the site's name alone ("DER SPIEGEL")
        // names no article.
        .find(|t| {
            let c = comparable(t);
            !c.is_empty() && !names.contains(&c)
        })
    }
}

const TITLE_SEPARATORS: [&str; 7] = [" | ", " - ", " – ", " — ", " · ", " :: ", " // "];

/// "Headline | Site" → "Headline"; also "Headline – DW – 13.06.2023", and
/// "Headline - Section - Site" when the `<h1>` (`h1`: with and without its
/// kicker, comparable) shows "Headline".
fn strip_site_name(title: &str, names: &[String], h1: &[String]) -> String {
    let mut title = title.trim().to_string();
    // The headline the <h1> shows, then a separator: the rest is the
    // site's (sections, names, dates), however it reads.
    let mut cuts: Vec<usize> = TITLE_SEPARATORS
        .iter()
        .flat_map(|sep| title.match_indices(sep).map(|(i, _)| i))
        .collect();
    cuts.sort_unstable();
    if let Some(&at) = cuts
        .iter()
        .find(|&&at| h1.contains(&comparable(&title[..at])))
    {
        title.truncate(at);
        return title.trim_end().to_string();
    }
    loop {
        let cut = TITLE_SEPARATORS
            .iter()
            .filter_map(|sep| title.rfind(sep).map(|i| (i, sep.len())))
            .max_by_key(|&(i, _)| i);
        let Some((at, len)) = cut else { break };
        let (head, tail) = (&title[..at], &title[at + len..]);
        let tail_c = comparable(tail);
        // The tail is the name, part of it ("SRF" of "Schweizer Radio und
        // Fernsehen (SRF)"), or a few words around the name
        // ("derStandard.at › Panorama"); a short name inside a word ("DW"
        // in "Landwirtschaft") or a phrase that starts with the name
        // ("Spiegel-Affäre erschütterte die Republik") is not.
        let few_words = tail.split_whitespace().count() <= 3;
        let is_name = !tail_c.is_empty()
            && names.iter().any(|n| {
                *n == tail_c
                    || (tail_c.chars().count() >= 3 && n.contains(&tail_c))
                    || (few_words
                        && n.chars().count() >= 4
                        && (tail_c.starts_with(n.as_str()) || tail_c.ends_with(n.as_str())))
            });
        let is_date = !tail_c.is_empty()
            && tail
                .chars()
                .all(|c| c.is_ascii_digit() || ".-/ ".contains(c));
        let h1_is_head = h1.contains(&comparable(head));
        // A short tail after the last separator, when the head alone is the
        // visible headline, is the site's name too.
        if is_name
            || is_date
            || h1_is_head
            || (tail.split_whitespace().count() <= 2 && looks_like_site(tail, names.is_empty()))
        {
            title = head.trim().to_string();
        } else {
            break;
        }
    }
    // "Site: Headline" / "Site | Headline" with the site first.
    for sep in TITLE_SEPARATORS {
        if let Some((head, tail)) = title.split_once(sep) {
            let head_c = comparable(head);
            if !head_c.is_empty() && names.contains(&head_c) {
                title = tail.trim().to_string();
                break;
            }
        }
    }
    title
}

/// "Site - Section - Headline" → "Headline", as old sites write titles,
/// when the page shows that headline (`shown`: lines of the page,
/// comparable) and it has three words or more (a section's name or a
/// kicker may be shown too).
fn shown_tail(title: &str, shown: &[String]) -> Option<String> {
    TITLE_SEPARATORS
        .iter()
        .flat_map(|sep| title.match_indices(sep).map(|(i, s)| i + s.len()))
        .map(|from| title[from..].trim())
        .filter(|tail| tail.split_whitespace().count() >= 3)
        .find(|tail| shown.contains(&comparable(tail)))
        .map(str::to_string)
}

/// "DW", "SPIEGEL", "heise online", "golem.de": a brand rather than words.
/// An all-capitals word counts only when the page names no site: else
/// it is more likely part of the headline ("Neue Regeln für Chips - EU").
fn looks_like_site(s: &str, no_names: bool) -> bool {
    let s = s.trim();
    s.contains(".de")
        || s.contains(".at")
        || s.contains(".ch")
        || s.contains(".com")
        || (no_names
            && s.len() <= 12
            && s.chars()
                .filter(|c| c.is_alphabetic())
                .all(char::is_uppercase))
}

/// An ISO 8601 date or date-time as lupe stores it, from the spellings
/// publishers use (`+0200` offsets, missing seconds, fractions).
pub(crate) fn normalise_date(s: &str) -> Option<String> {
    let s = s.trim();
    if let Some(d) = date::parse(s) {
        return Some(d.text);
    }
    let mut fixed = s.replacen(' ', "T", 1);
    // +0200 → +02:00
    let bytes = fixed.as_bytes();
    if bytes.len() > 5 {
        let tail = &fixed[fixed.len() - 5..];
        if (tail.starts_with('+') || tail.starts_with('-'))
            && tail[1..].bytes().all(|b| b.is_ascii_digit())
        {
            fixed.insert(fixed.len() - 2, ':');
        }
    }
    if let Some(d) = date::parse(&fixed) {
        return Some(d.text);
    }
    // 2025-06-05T14:46+02:00 (no seconds)
    if fixed.len() >= 16
        && fixed.as_bytes().get(13) == Some(&b':')
        && fixed.as_bytes().get(16) != Some(&b':')
    {
        let with_seconds = format!("{}:00{}", &fixed[..16], &fixed[16..]);
        if let Some(d) = date::parse(&with_seconds) {
            return Some(d.text);
        }
    }
    s.get(..10).and_then(date::parse).map(|d| d.text)
}

/// Whether the walker leaves an element out: not text, hidden, or
/// boilerplate.
fn skipped(node: NodeRef<'_, Node>, el: &scraper::node::Element) -> bool {
    SKIP_TAGS.contains(el.name())
        || (is_hidden(el) && !is_paywalled_text(node, el))
        || is_boilerplate(node, el)
}

/// The article's text behind a paywall, which sites blur or hide while
/// the page carries it: a long element that a name or a data attribute
/// marks as paywalled or paid (`paywalled-content`,
/// `article__body--paid`, `data-paid-content`).
fn is_paywalled_text(node: NodeRef<'_, Node>, el: &scraper::node::Element) -> bool {
    let paid = |n: &str| {
        let n = n.to_ascii_lowercase();
        n.contains("paywall") || n.contains("paid")
    };
    let marked = [el.attr("class"), el.attr("id")]
        .into_iter()
        .flatten()
        .any(paid)
        || has_data_attribute(el, paid);
    marked && short_text_of(node, BOX_MAX_CHARS).is_none()
}

/// Whether an element has a `data-` attribute whose name `fits`
/// (`data-paywall-overlay`, `data-paid-content`).
fn has_data_attribute(el: &scraper::node::Element, fits: impl Fn(&str) -> bool) -> bool {
    el.attrs()
        .any(|(name, _)| name.starts_with("data-") && fits(name))
}

/// What a reader sees of a node (depth-bounded like the walk),
/// whitespace not yet collapsed.
fn visible_text(node: NodeRef<'_, Node>, depth: usize, out: &mut String) {
    if depth > MAX_DEPTH {
        return;
    }
    match node.value() {
        Node::Text(t) => out.push_str(t),
        Node::Element(el) if el.name() == "br" => out.push(' '),
        Node::Element(el) if skipped(node, el) => {}
        Node::Element(_) => {
            for child in node.children() {
                visible_text(child, depth + 1, out);
            }
        }
        _ => {}
    }
}

/// The headline of an `<h1>` that sets a kicker apart: its first visible
/// part is an element of its own and more text follows. Wrappers around
/// the whole heading are looked through. The split is only a proposal:
/// [`Meta::title`] takes it when a metadata title confirms it.
fn without_kicker(h1: NodeRef<'_, Node>) -> Option<String> {
    let mut node = h1;
    for _ in 0..4 {
        // (came from an element, the part's text, the element)
        let mut parts: Vec<(bool, String, NodeRef<'_, Node>)> = Vec::new();
        let mut loose = String::new();
        for child in node.children() {
            match child.value() {
                Node::Text(t) => loose.push_str(t),
                Node::Element(el) if el.name() == "br" => loose.push(' '),
                Node::Element(el) if skipped(child, el) => {}
                Node::Element(_) => {
                    let mut text = String::new();
                    visible_text(child, 0, &mut text);
                    let text = collapse(&text);
                    if text.is_empty() {
                        continue;
                    }
                    let before = collapse(&loose);
                    loose.clear();
                    if !before.is_empty() {
                        parts.push((false, before, child));
                    }
                    parts.push((true, text, child));
                }
                _ => {}
            }
        }
        let after = collapse(&loose);
        if !after.is_empty() {
            parts.push((false, after, node));
        }
        match parts.as_slice() {
            [(true, _, only)] => node = *only,
            [(true, _, _), rest @ ..] if !rest.is_empty() => {
                let headline: Vec<&str> = rest.iter().map(|(_, t, _)| t.as_str()).collect();
                return Some(headline.join(" "));
            }
            _ => return None,
        }
    }
    None
}

/// The longest text read as a dateline: longer elements hold more than a
/// byline, and their own datelines are read on their own.
const DATELINE_MAX_CHARS: usize = 200;

/// Parts of class names and ids of the elements that show an article's
/// date: datelines, bylines, the meta line under a headline.
const DATE_CLASSES: [&str; 10] = [
    "date", "datum", "time", "zeit", "publish", "byline", "meta", "info", "autor", "author",
];

/// Whether an element may show the article's date: a `<time>` without a
/// readable `datetime`, or an element named like a dateline.
fn shows_date(el: &scraper::node::Element) -> bool {
    el.name() == "time"
        || el
            .attr("class")
            .into_iter()
            .chain(el.attr("id"))
            .chain(el.attr("itemprop"))
            .any(|names| {
                let names = names.to_ascii_lowercase();
                DATE_CLASSES.iter().any(|c| names.contains(c))
            })
}

/// Parts of class names and ids (split at `-` and `_`) of what shows other
/// articles' dates: comments, teasers, navigation.
const FURNITURE: [&str; 16] = [
    "comment",
    "comments",
    "discussion",
    "diskussion",
    // Not "kommentar": German sites name an opinion piece so.
    "kommentare",
    "related",
    "recommendation",
    "recommendations",
    "recommended",
    "teaser",
    "teasers",
    "sidebar",
    "nav",
    "navigation",
    "menu",
    "newsletter",
];

/// Whether a node sits in page furniture that shows other dates than the
/// article's. (An `<aside>` may be the article's own byline column, a
/// footer the article's own date line.)
fn in_page_furniture(node: NodeRef<'_, Node>) -> bool {
    node.ancestors().any(|a| {
        let Node::Element(el) = a.value() else {
            return false;
        };
        el.name() == "nav"
            || name_parts(names_of(el, true)).any(|part| FURNITURE.contains(&part.as_str()))
    })
}

/// The text of a node, whitespace collapsed, unless it has more than
/// `max` characters.
fn short_text_of(node: NodeRef<'_, Node>, max: usize) -> Option<String> {
    let mut s = String::new();
    for d in node.descendants() {
        if let Node::Text(t) = d.value() {
            s.push_str(t);
            s.push(' ');
            // Whitespace collapses, but not by this much in a dateline.
            if s.len() > max.saturating_mul(8) {
                return None;
            }
        }
    }
    let s = collapse(&s);
    (s.chars().count() <= max).then_some(s)
}

/// The visible text of a node, whitespace collapsed.
fn text_of(node: NodeRef<'_, Node>) -> String {
    short_text_of(node, usize::MAX).unwrap_or_default()
}

// ---------------------------------------------------------------------------
// Main text

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Heading(u8),
    Paragraph,
    ListItem,
    Other,
}

#[derive(Debug)]
struct Block {
    text: String,
    chars: usize,
    link_chars: usize,
    kind: Kind,
    /// In a box of links to other articles that a heading names as such.
    in_box: bool,
    /// The list a list item is an item of.
    list: Option<usize>,
}

/// An `<h1>` or `<h2>` as the reader sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Headline {
    /// 1 or 2.
    level: u8,
    /// Its first block.
    at: usize,
    /// All of its visible text.
    text: String,
    /// The headline without its kicker, when the `<h1>` sets a kicker
    /// (Dachzeile, overline) apart in an element of its own before it:
    /// `<h1><span class=kicker>Nahost</span> <span>Der Titel</span></h1>`.
    without_kicker: Option<String>,
}

impl Block {
    fn is_good(&self) -> bool {
        !matches!(self.kind, Kind::Heading(_))
            && self.chars >= GOOD_MIN_CHARS
            && self.link_chars * 4 < self.chars
    }
}

#[derive(Default)]
struct Walker {
    blocks: Vec<Block>,
    buf: String,
    buf_link_chars: usize,
    /// The page's visible `<h1>`s and `<h2>`s in order.
    headlines: Vec<Headline>,
    kinds: Vec<Kind>,
    links: usize,
    /// The lists (`<ul>`, `<ol>`, `<dl>`) open at this point of the walk,
    /// innermost last, and how many have been opened.
    lists: Vec<usize>,
    lists_seen: usize,
    /// Containers: first block, end block.
    containers: Vec<(usize, usize)>,
    /// [`Walker::best`], once the walk is done.
    best: std::cell::OnceCell<Option<(usize, usize, usize)>>,
}

static SKIP_TAGS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    [
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "math",
        "iframe",
        "object",
        "embed",
        "canvas",
        "video",
        "audio",
        "picture",
        "img",
        "button",
        "select",
        "input",
        "textarea",
        "option",
        "label",
        "nav",
        "aside",
        "footer",
        "figure",
        "figcaption",
        "dialog",
        "head",
    ]
    .into_iter()
    .collect()
});

static BLOCK_TAGS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    [
        "address",
        "article",
        "blockquote",
        "body",
        "center",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "fieldset",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "html",
        "li",
        "main",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
        "caption",
    ]
    .into_iter()
    .collect()
});

/// Parts of class names and ids that mark what is not the article.
static BOILERPLATE: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    [
        "nav",
        "navbar",
        "navigation",
        "menu",
        "footer",
        "comment",
        "comments",
        "kommentare",
        "discussion",
        "diskussion",
        "community",
        "forum",
        "talkback",
        "leserbriefe",
        "leserkommentare",
        "related",
        "recommendation",
        "recommendations",
        "recommended",
        "recirc",
        "viewed",
        "meistgelesen",
        "share",
        "sharing",
        "social",
        "socials",
        "cookie",
        "cookies",
        "consent",
        "cmp",
        "banner",
        "newsletter",
        "infobox",
        "weitere",
        "more",
        "donation",
        "spenden",
        "promo",
        "advert",
        "advertisement",
        "ad",
        "ads",
        "anzeige",
        "werbung",
        "sponsored",
        "breadcrumb",
        "breadcrumbs",
        "sidebar",
        "widget",
        "subscribe",
        "popup",
        "modal",
        "outbrain",
        "taboola",
        "toolbar",
        "pagination",
        "tag",
        "taglist",
        "byline",
        "author",
        "authors",
        "autor",
        "autoren",
        "autorenzeile",
        "meta",
        "tags",
        "topics",
        "caption",
        "bildunterschrift",
        "credit",
        "credits",
        "copyright",
        "skip",
        "hidden",
        "sr",
        "visually",
        "print",
        "gallery",
        "slider",
        // Embedded posts of other services, quoted beside the article.
        "embed",
        "embedded",
        "tweet",
        "twitter",
        "instagram",
        "bluesky",
        "tiktok",
        "carousel",
        "login",
        "signup",
        "rating",
        "poll",
        "survey",
    ]
    .into_iter()
    .collect()
});

const BOILERPLATE_ROLES: [&str; 7] = [
    "navigation",
    "banner",
    "contentinfo",
    "complementary",
    "dialog",
    "alertdialog",
    "menu",
];

fn is_hidden(el: &scraper::node::Element) -> bool {
    el.attr("hidden").is_some()
        || el.attr("aria-hidden") == Some("true")
        || el.attr("style").is_some_and(|s| {
            let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
            let s = s.to_ascii_lowercase();
            s.contains("display:none") || s.contains("visibility:hidden")
        })
}

/// The words of an element's names ([`names_of`]), lowercased, each name
/// split at `-`, `_` and camel case (`c-teaser-list` → `c`, `teaser`,
/// `list`; `NewsletterBox` → `newsletter`, `box`, and the whole
/// `newsletterbox`, since `c-infoBox` is an infobox), without
/// BEM modifiers (`article--has-ads` is an article that has ads).
fn name_parts<'a>(names: impl IntoIterator<Item = &'a str>) -> impl Iterator<Item = String> {
    names
        .into_iter()
        .flat_map(str::split_whitespace)
        // styled-components add a hash (`sc-dhKdcB`, `Title-sc-1t0mz3r-0`),
        // whose letters name nothing.
        .map(|name| {
            if name.starts_with("sc-") {
                ""
            } else {
                name.split("-sc-").next().unwrap_or(name)
            }
        })
        .map(|name| name.split("--").next().unwrap_or(name))
        .flat_map(|name| name.split(['-', '_']))
        // styled-components name a class after its file and component:
        // `Infoboxstyled__Wrapper-sc-1t0mz3r-0`.
        .map(|piece| {
            piece
                .strip_suffix("styled")
                .filter(|p| !p.is_empty())
                .unwrap_or(piece)
        })
        .flat_map(|piece| {
            let compound = camel_words(piece).nth(1).is_some();
            camel_words(piece).chain(compound.then_some(piece))
        })
        .map(str::to_ascii_lowercase)
}

/// Attributes that name a component of the page the way a class does, on
/// sites whose classes only style (utility CSS such as Tailwind's
/// `mx-auto p-24`): `data-component="NewsletterBox"`,
/// `data-area="related_articles"`.
const NAMING_ATTRIBUTES: [&str; 5] = [
    "data-component",
    "data-area",
    "data-module",
    "data-role",
    "data-testid",
];

/// The names an element goes by: its classes, its `id` (if `with_id`) and
/// its [`NAMING_ATTRIBUTES`].
fn names_of(el: &scraper::node::Element, with_id: bool) -> impl Iterator<Item = &str> {
    el.attr("class")
        .into_iter()
        .chain(el.attr("id").filter(|_| with_id))
        .chain(NAMING_ATTRIBUTES.iter().filter_map(|a| el.attr(a)))
}

/// `NewsletterBox` → `Newsletter`, `Box`: CSS modules (React, Next.js)
/// name components in camel case (`ArticleFooter_root__a2Lk4`).
/// A name splits only into words of three letters or more: a hash's
/// humps (`kxIyHn`, `tagGq`) are not words.
fn camel_words(name: &str) -> impl Iterator<Item = &str> {
    let bytes = name.as_bytes();
    let starts = std::iter::once(0).chain(
        (1..bytes.len())
            .filter(move |&i| bytes[i].is_ascii_uppercase() && bytes[i - 1].is_ascii_lowercase()),
    );
    let ends = starts.clone().skip(1).chain([bytes.len()]);
    let words = starts.zip(ends).map(move |(from, to)| &name[from..to]);
    let whole = words.clone().any(|w| w.len() < 3);
    words
        .filter(move |_| !whole)
        .chain(std::iter::once(name).filter(move |_| whole))
}

/// Parts of the names of an image's or a player's box.
const MEDIA: [&str; 10] = [
    "media", "image", "img", "photo", "foto", "bild", "picture", "video", "audio", "player",
];

/// The longest caption with its credit.
const CAPTION_MAX_CHARS: usize = 500;

/// The longest text of a box: a paywall element that is the publisher's
/// offer rather than a wrapper around the article it keeps from
/// non-subscribers, a sidebar's widget rather than a blog's column of posts.
const BOX_MAX_CHARS: usize = 1_000;

fn is_boilerplate(node: NodeRef<'_, Node>, el: &scraper::node::Element) -> bool {
    if el.name() == "article" {
        return is_teaser_card(node);
    }
    if matches!(el.name(), "html" | "body" | "main") {
        return false;
    }
    if el
        .attr("role")
        .is_some_and(|r| BOILERPLATE_ROLES.contains(&r.to_ascii_lowercase().as_str()))
    {
        return true;
    }
    // A heading's id is an anchor made from its words ("nav_gigawatt" for
    // a table of contents), not a name for what it is.
    let heading = matches!(el.name(), "h1" | "h2" | "h3" | "h4" | "h5" | "h6");
    let parts: Vec<String> = name_parts(names_of(el, !heading)).collect();
    let paywall = parts.iter().any(|p| p.starts_with("paywall"))
        || has_data_attribute(el, |name| name.contains("paywall"));
    let mut teaser = false;
    for part in &parts {
        teaser |= part.starts_with("teaser");
        if !BOILERPLATE.contains(part.as_str()) {
            continue;
        }
        // What a paywall hides ("paywall-hidden") is the article's text,
        // which the page carries all the same.
        if paywall && part == "hidden" {
            continue;
        }
        // Blog software names its main column a widget too (Blogger's
        // "widget Blog"): a widget as long as an article is one.
        if part == "widget" && short_text_of(node, BOX_MAX_CHARS).is_none() {
            continue;
        }
        return !is_summary_box(node);
    }
    // An image's box beside its caption, where a site builds a figure of
    // <div>s ("mediaCon", "article-image"): the caption and credit are
    // not the article's text.
    let media = parts.iter().any(|p| MEDIA.contains(&p.as_str()));
    if media
        && node
            .descendants()
            .any(|d| is_element(d, &["img", "picture", "video", "audio"]))
        && short_text_of(node, CAPTION_MAX_CHARS).is_some()
    {
        return true;
    }
    // A teaser of another article links to it, from inside or from the
    // headline before it; a "teaser" without such a link is the article's
    // own lead, as many German CMSs name it (an author's link beside it
    // does not make it another article's).
    if teaser {
        let has_link = |n: NodeRef<'_, Node>| n.descendants().any(|d| is_element(d, &["a"]));
        return has_link(node)
            || node.prev_siblings().any(|sib| {
                is_element(sib, &["a"])
                    || (is_element(sib, &["h2", "h3", "h4", "h5", "h6"]) && has_link(sib))
            });
    }
    // Sites wrap a paywalled article in a "paywall" element, or mark each
    // of its paragraphs so, and also name so their offer to subscribe:
    // only a short box is boilerplate, and not what the paywall hides
    // ("paywall-hidden"), which may be a list of the article's.
    let text_block = matches!(
        el.name(),
        "p" | "h2" | "h3" | "h4" | "h5" | "h6" | "li" | "blockquote"
    );
    let hidden_text = parts.iter().any(|p| p == "hidden");
    paywall && !text_block && !hidden_text && short_text_of(node, BOX_MAX_CHARS).is_some()
}

/// The longest heading, in characters other than whitespace: a longer one
/// is a paragraph set in a heading's type.
const HEADING_MAX_CHARS: usize = 200;

/// Headings of boxes that list other articles, beside the
/// [`BOILERPLATE_STARTS`] that head them too.
const RELATED_HEADINGS: [&str; 4] = [
    "weitere informationen",
    "weitere meldungen",
    "mehr zu diesem thema",
    "zum thema",
];

/// How a box that sums up the article opens.
const SUMMARY_HEADINGS: [&str; 6] = [
    "darum geht",
    "das wichtigste in kürze",
    "das wichtigste im überblick",
    "in kürze",
    "auf einen blick",
    "zusammenfassung",
];

/// Whether a box sums up the article ("Darum gehts", "Das Wichtigste in
/// Kürze"): its text, whatever the box is named (20 Minuten's `InfoBox`).
fn is_summary_box(node: NodeRef<'_, Node>) -> bool {
    short_text_of(node, BOX_MAX_CHARS).is_some_and(|t| opens_with(&t, &SUMMARY_HEADINGS))
}

/// The longest teaser of another article, as a card of its own.
const TEASER_MAX_CHARS: usize = 600;

/// Whether an `<article>` is a card that teases another article: short,
/// under a headline that links to it (lists of "Weitere Meldungen").
fn is_teaser_card(node: NodeRef<'_, Node>) -> bool {
    const HEADINGS: [&str; 4] = ["h1", "h2", "h3", "h4"];
    // The text's length first: it stops early on the page's own article,
    // which the walk for a linked headline would read whole.
    short_text_of(node, TEASER_MAX_CHARS).is_some()
        && node.descendants().any(|d| {
            is_element(d, &HEADINGS) && d.descendants().any(|a| is_element(a, &["a"]))
                || is_element(d, &["a"]) && d.descendants().any(|h| is_element(h, &HEADINGS))
        })
}

/// Whether a node is an element of one of these names.
fn is_element(node: NodeRef<'_, Node>, names: &[&str]) -> bool {
    node.value()
        .as_element()
        .is_some_and(|e| names.contains(&e.name()))
}

/// Whether a text opens with one of these phrases (lowercase), whatever
/// its case.
fn opens_with<'a>(text: &str, phrases: impl IntoIterator<Item = &'a &'a str>) -> bool {
    let lower = text.to_lowercase();
    phrases.into_iter().any(|p| lower.starts_with(p))
}

/// Blocks that name other articles or services rather than say anything.
const BOILERPLATE_STARTS: [&str; 25] = [
    "lesen sie auch",
    "lesen sie mehr",
    "mehr zum thema",
    "das könnte sie auch interessieren",
    "das könnte dich auch interessieren",
    "auch interessant",
    "weitere artikel",
    "empfohlene artikel",
    "zum thema:",
    "anzeige",
    "werbung",
    "mehr dazu",
    "hier finden sie",
    "abonnieren sie",
    "publiziert",
    "veröffentlicht am",
    "aktualisiert am",
    "aktualisiert:",
    "veröffentlicht:",
    "fehler gefunden",
    "jetzt abonnieren",
    "ihr browser ist veraltet",
    // Public broadcasters' note on their programme: "Über dieses Thema
    // berichtete die tagesschau am …", "Dieses Thema im Programm: …".
    "über dieses thema berichte",
    "dieses thema im programm",
    "zitiervorschlag",
];

impl Walker {
    fn walk(&mut self, node: NodeRef<'_, Node>, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        match node.value() {
            Node::Text(t) => {
                self.buf.push_str(t);
                if self.links > 0 {
                    self.buf_link_chars += t.chars().filter(|c| !c.is_whitespace()).count();
                }
            }
            Node::Document | Node::Fragment => {
                for child in node.children() {
                    self.walk(child, depth + 1);
                }
            }
            Node::Element(el) => {
                let name = el.name();
                if skipped(node, el) {
                    return;
                }
                if name == "br" {
                    self.buf.push('\n');
                    return;
                }
                let block = BLOCK_TAGS.contains(name);
                if block {
                    self.flush();
                    self.kinds.push(match name {
                        "h1" => Kind::Heading(1),
                        "h2" => Kind::Heading(2),
                        "h3" => Kind::Heading(3),
                        "h4" | "h5" | "h6" => Kind::Heading(4),
                        "p" | "blockquote" | "pre" => Kind::Paragraph,
                        "li" | "dd" | "dt" => Kind::ListItem,
                        _ => Kind::Other,
                    });
                }
                let start = self.blocks.len();
                let link = name == "a";
                if link {
                    self.links += 1;
                }
                let list = matches!(name, "ul" | "ol" | "dl");
                if list {
                    self.lists.push(self.lists_seen);
                    self.lists_seen += 1;
                }
                for child in node.children() {
                    self.walk(child, depth + 1);
                }
                if list {
                    self.lists.pop();
                }
                if link {
                    self.links -= 1;
                }
                if block {
                    self.flush();
                    self.kinds.pop();
                    // (An <h2> as long as a paragraph was read as one.)
                    if matches!(name, "h1" | "h2")
                        && self
                            .blocks
                            .get(start)
                            .is_some_and(|b| b.kind != Kind::Paragraph)
                    {
                        let text = self.blocks[start..]
                            .iter()
                            .flat_map(|b| b.text.lines())
                            .collect::<Vec<_>>()
                            .join(" ");
                        self.headlines.push(Headline {
                            level: if name == "h1" { 1 } else { 2 },
                            at: start,
                            text,
                            without_kicker: without_kicker(node),
                        });
                    }
                    if matches!(name, "div" | "article" | "section" | "main" | "body" | "td")
                        && self.blocks.len() > start
                    {
                        self.containers.push((start, self.blocks.len()));
                    }
                    if matches!(name, "div" | "article" | "section" | "ul" | "ol") {
                        self.mark_related_box(start);
                    }
                }
            }
            _ => {}
        }
    }

    fn flush(&mut self) {
        if self.buf.trim().is_empty() {
            self.buf.clear();
            self.buf_link_chars = 0;
            return;
        }
        let lines: Vec<String> = self
            .buf
            .split('\n')
            .map(collapse)
            .filter(|l| !l.is_empty())
            .collect();
        let text = lines.join("\n");
        let chars = text.chars().filter(|c| !c.is_whitespace()).count();
        let kind = match self.kinds.last().copied().unwrap_or(Kind::Other) {
            // A paragraph styled as a heading, as AFP sets its lead in an
            // `<h3 class="chapo">`.
            Kind::Heading(level) if level > 1 && chars > HEADING_MAX_CHARS => Kind::Paragraph,
            kind => kind,
        };
        self.blocks.push(Block {
            text,
            chars,
            link_chars: self.buf_link_chars.min(chars),
            kind,
            in_box: false,
            list: (kind == Kind::ListItem)
                .then(|| self.lists.last().copied())
                .flatten(),
        });
        self.buf.clear();
        self.buf_link_chars = 0;
    }

    /// Marks the blocks from `start` on as a box of other articles when a
    /// heading names them so ("Weitere Informationen", "Mehr zum Thema")
    /// and at least half of what follows it links away: teasers whose
    /// text is longer than their link, as public broadcasters list them,
    /// pass the link share that drops a plain list of links.
    fn mark_related_box(&mut self, start: usize) {
        let Some((heading, rest)) = self.blocks[start..].split_first() else {
            return;
        };
        // Every container closing calls this: the heading first, so that
        // only a named box's blocks are counted.
        let named = matches!(heading.kind, Kind::Heading(_))
            && opens_with(
                &heading.text,
                RELATED_HEADINGS.iter().chain(&BOILERPLATE_STARTS),
            );
        if !named {
            return;
        }
        let linked = rest.iter().filter(|b| b.link_chars > 0).count();
        let chars: usize = rest.iter().map(|b| b.chars).sum();
        if linked > 0 && linked * 2 >= rest.len() && chars <= BOX_MAX_CHARS {
            for b in &mut self.blocks[start..] {
                b.in_box = true;
            }
        }
    }

    /// The best container's blocks, and (`.0`) where its header starts:
    /// the container the text was first found in, or its last `<h1>`.
    /// Computed once, after the walk.
    fn best(&self) -> Option<(usize, usize, usize)> {
        *self.best.get_or_init(|| self.find_best())
    }

    fn find_best(&self) -> Option<(usize, usize, usize)> {
        let mut good = vec![0f64; self.blocks.len() + 1];
        let mut other = vec![0f64; self.blocks.len() + 1];
        for (i, b) in self.blocks.iter().enumerate() {
            let (g, o) = if b.is_good() {
                ((b.chars - b.link_chars) as f64, b.link_chars as f64)
            } else {
                (0.0, b.chars as f64)
            };
            good[i + 1] = good[i] + g;
            other[i + 1] = other[i] + o;
        }
        self.containers
            .iter()
            .map(|&(s, e)| {
                let score = (good[e] - good[s]) - OTHER_WEIGHT * (other[e] - other[s]);
                (score, s, e)
            })
            // Ties go to the innermost container (pushed first).
            .fold(None, |best: Option<(f64, usize, usize)>, c| match best {
                Some(b) if b.0 >= c.0 => Some(b),
                _ => Some(c),
            })
            .filter(|&(score, _, _)| score > 0.0)
            .map(|(_, s, e)| {
                let (start, end) = self.tighten((s, e), &good, &other);
                let near = s.min(start.saturating_sub(HEADER_BLOCKS));
                // Some sites set the headline in an <h2> and have no <h1>.
                let level = if self.headlines.iter().any(|h| h.level == 1) {
                    1
                } else {
                    2
                };
                let header = self.blocks[near..start]
                    .iter()
                    .rposition(|b| b.kind == Kind::Heading(level))
                    .map_or(start, |h| near + h + 1);
                (header, start, end)
            })
    }

    /// Descends from `range` into the container inside it that holds
    /// nearly all of its article text: the rest is what surrounds an
    /// article (notices, newsletter boxes, outdated-browser warnings).
    fn tighten(&self, mut range: (usize, usize), good: &[f64], other: &[f64]) -> (usize, usize) {
        let sum = |v: &[f64], (s, e): (usize, usize)| v[e] - v[s];
        loop {
            let inner = self
                .containers
                .iter()
                .copied()
                .filter(|&(s, e)| s >= range.0 && e <= range.1 && (s, e) != range)
                .max_by(|&a, &b| {
                    sum(good, a)
                        .total_cmp(&sum(good, b))
                        .then(sum(other, b).total_cmp(&sum(other, a)))
                });
            match inner {
                Some(c) if sum(good, c) >= TIGHTEN_SHARE * sum(good, range) => range = c,
                _ => return range,
            }
        }
    }

    /// The headlines a reader may take for the article's: its `<h1>`s,
    /// then the `<h2>`s above its text (some sites show the headline in an
    /// `<h2>` and keep the `<h1>` for search engines); later `<h2>`s are
    /// section headings.
    fn shown_headlines(&self) -> Vec<&Headline> {
        let text_starts = self.text_starts().unwrap_or(0);
        let h1 = self.headlines.iter().filter(|h| h.level == 1);
        let h2 = self
            .headlines
            .iter()
            .filter(|h| h.level == 2 && h.at < text_starts);
        h1.chain(h2).collect()
    }

    fn body(&self) -> Vec<String> {
        let Some((header, start, end)) = self.best() else {
            return Vec::new();
        };
        // The lead sits between the headline and the text, often outside
        // the text's own container.
        let lead = self.blocks[header..start]
            .iter()
            .filter(|b| matches!(b.kind, Kind::Paragraph | Kind::Other) && b.is_good() && keep(b));
        // A live ticker's entries each start with their time: short
        // blocks that are otherwise left out as datelines.
        let text = &self.blocks[start..end];
        let ticker = text.iter().filter(|b| is_time_stamp(&b.text)).count() >= TICKER_ENTRIES;
        // A list of the article's keeps its short items ("Nothing Phone
        // (3)") beside the items long enough to be kept on their own.
        let lists: HashSet<usize> = text
            .iter()
            .filter(|b| keep(b))
            .filter_map(|b| b.list)
            .collect();
        let in_list = |b: &Block| b.list.is_some_and(|l| lists.contains(&l)) && !left_out(b);
        lead.chain(
            text.iter()
                // A press release's text ends where its press contact starts.
                .take_while(|b| !is_press_contact(&b.text))
                .filter(|b| keep(b) || in_list(b) || (ticker && is_time_stamp(&b.text))),
        )
        .map(|b| b.text.clone())
        .collect()
    }

    /// The short lines around the top of the article (comparable), where
    /// its headline stands.
    fn top_lines(&self) -> Vec<String> {
        self.top()
            .iter()
            .flat_map(|b| b.text.lines())
            .filter(|l| l.chars().count() <= DATELINE_MAX_CHARS)
            .map(comparable)
            .filter(|l| !l.is_empty())
            .collect()
    }

    /// The blocks around the start of the article's text: its header,
    /// whether the chosen container holds it or not, and the first blocks
    /// of the text.
    fn top(&self) -> &[Block] {
        let (Some((header, _, end)), Some(text_starts)) = (self.best(), self.text_starts()) else {
            return &[];
        };
        let from = header.min(text_starts).saturating_sub(HEADER_BLOCKS);
        &self.blocks[from..(text_starts + 3).min(end)]
    }

    /// The first block of the article's text: the best container's first
    /// good block (else its first).
    fn text_starts(&self) -> Option<usize> {
        let (_, start, end) = self.best()?;
        Some(
            (start..end)
                .find(|&i| self.blocks[i].is_good())
                .unwrap_or(start),
        )
    }

    /// The date shown by a short line around the headline or at the top
    /// of the text, for pages that mark up no dateline at all: the first
    /// publication's, else the first.
    fn dateline(&self) -> Option<String> {
        let near = self.top();
        // Lines, not blocks: an old table layout may hold the headline, the
        // dateline and the text in one cell, apart only by <br>s.
        let shown: Vec<date::ShownDate> = near
            .iter()
            .flat_map(|b| b.text.lines())
            .filter(|l| l.chars().count() <= DATELINE_MAX_CHARS)
            .flat_map(date::shown_dates)
            .collect();
        shown
            .iter()
            .find(|d| !d.updated)
            .or(shown.first())
            .map(|d| d.text.clone())
    }

    /// The lead paragraph, when it stands before the body (in the
    /// article's header) and the page's description names it.
    fn lead(&self, description: Option<&str>) -> Option<String> {
        let description = comparable(description?);
        let probe: String = description.chars().take(40).collect();
        if probe.chars().count() < 20 {
            return None;
        }
        let (header, _, _) = self.best()?;
        let start = header;
        let in_body = self.blocks[start..]
            .iter()
            .take(3)
            .any(|b| comparable(&b.text).starts_with(&probe));
        if in_body {
            return None;
        }
        self.blocks[..start]
            .iter()
            .rev()
            .take(30)
            .find(|b| {
                let c = comparable(&b.text);
                c.len() >= probe.len() && (c.starts_with(&probe) || description.starts_with(&c))
            })
            .map(|b| b.text.clone())
    }
}

/// How a press release (ots, APA-OTS, pressetext) heads the contact that
/// follows its text.
const PRESS_CONTACTS: [&str; 4] = [
    "pressekontakt",
    "medienkontakt",
    "kontakt für medien",
    "rückfragehinweis",
];

/// Whether a block heads a press release's contact details.
fn is_press_contact(text: &str) -> bool {
    text.chars().count() <= 40 && opens_with(text, &PRESS_CONTACTS)
}

/// Time stamps in a text from which on it is a live ticker.
const TICKER_ENTRIES: usize = 3;

/// "13:42", "17:42 Uhr", "29.11.2026 • 13:42 Uhr", "+++ 16:20 Uhr +++".
static TIME_STAMP: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(
        r"(?i)^[\s+•|·–-]*(?:\d{1,2}\.\s?\d{1,2}\.(?:\s?\d{2,4})?[\s,•|·–-]*)?(?:um\s+)?\d{1,2}[:.]\d{2}(?:\s*uhr)?[\s+•|·–-]*$",
    )
    .expect("a valid pattern")
});

/// Whether a block is nothing but a time stamp.
fn is_time_stamp(text: &str) -> bool {
    text.len() <= 40 && TIME_STAMP.is_match(text)
}

/// Whether a block of the chosen container belongs to the body.
fn keep(b: &Block) -> bool {
    if left_out(b) {
        return false;
    }
    match b.kind {
        Kind::Heading(_) => b.chars >= 2 && b.chars <= HEADING_MAX_CHARS,
        // Text straight in a <div> is article text only when it is long:
        // short ones are datelines, bylines and widgets, and so is a
        // dateline that goes on with its update and reading time.
        Kind::Other => {
            b.is_good() && !(b.chars <= DATELINE_MAX_CHARS && date::starts_with_date(&b.text))
        }
        _ => b.chars >= 25 || b.text.ends_with(['.', '!', '?', ':', '“', '"', '«', '»']),
    }
}

/// Whether a block is not the article's whatever its length: the
/// headline, a box of other articles, links, a box's opening words, a
/// dateline, a credit.
fn left_out(b: &Block) -> bool {
    if b.kind == Kind::Heading(1) || b.in_box || b.link_chars * 2 > b.chars {
        return true;
    }
    opens_with(&b.text, &BOILERPLATE_STARTS)
        // A dateline above the text, where the page shows it.
        || date::is_dateline(&b.text)
        // Image credits and captions that are not in a <figure>.
        || (b.text.contains('©') && b.chars < 300)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NEWS_PAGE: &str = include_str!("../../tests/fixtures/news/kikurier-chipfabrik.html");
    const CP1252_PAGE: &[u8] = include_bytes!("../../tests/fixtures/news/buergeramt-cp1252.html");

    #[test]
    fn news_page_metadata_by_trust() {
        let page = extract(NEWS_PAGE);
        // JSON-LD's date wins over Open Graph's; the site's name leaves the title.
        assert_eq!(
            page.title.as_deref(),
            Some("Neue Chipfabrik in Magdeburg verzögert sich")
        );
        assert_eq!(page.date.as_deref(), Some("2025-03-04T09:15:00+01:00"));
        assert_eq!(
            page.url.as_deref(),
            Some("https://kikurier.example/2025/chipfabrik-verzoegert")
        );
        assert_eq!(page.source.as_deref(), Some("KI-Kurier"));
        assert_eq!(page.authors, ["Jana Beispiel", "Ole Muster"]);
    }

    #[test]
    fn news_page_text_without_boilerplate() {
        let page = extract(NEWS_PAGE);
        let body = page.paragraphs.join("\n\n");
        assert!(
            page.paragraphs[0].starts_with("Der Bau der Halbleiterfabrik"),
            "lead first: {body}"
        );
        assert!(
            page.paragraphs
                .contains(&"Gewerkschaft fordert Klarheit".to_string())
        );
        assert!(body.ends_with("von großer Bedeutung."), "{body}");
        for noise in [
            "Cookies",
            "Akzeptieren",
            "Politik",
            "Teilen",
            "Anzeige",
            "Lesen Sie auch",
            "Fördermittel",
            "Start-up aus Jena",
            "abzusehen",
            "Rechte vorbehalten",
            "Foto",
            "Jana Beispiel",
            "Halbleiter\n",
        ] {
            assert!(!body.contains(noise), "{noise:?} in {body}");
        }
        assert_eq!(page.paragraphs.len(), 6, "{body}");
    }

    #[test]
    fn windows_1252_page_with_only_title_and_time() {
        let page = extract(&decode(CP1252_PAGE, None));
        assert_eq!(page.title.as_deref(), Some("Bürgerämter prüfen Chatbots"));
        assert_eq!(page.date.as_deref(), Some("2023-06-13T11:30:00+02:00"));
        assert_eq!(page.url, None);
        assert_eq!(page.paragraphs.len(), 3, "{:?}", page.paragraphs);
        assert!(page.paragraphs[2].contains("„für alle, die lieber mit Menschen sprechen“"));
        let raw = page.into_raw("/saved/seite.html").unwrap();
        assert_eq!(raw.id.as_deref(), Some("/saved/seite.html"));
    }

    #[test]
    fn a_page_of_links_has_no_article() {
        let page = extract(
            "<html><body><nav><a href=/a>Politik</a></nav><ul><li><a href=/b>Neue Chipfabrik \
             in Magdeburg verzögert sich erheblich, sagt das Ministerium</a></li></ul></body></html>",
        );
        assert!(page.paragraphs.is_empty(), "{:?}", page.paragraphs);
        assert!(matches!(page.into_raw("x"), Err(ArticleError::NoArticle)));
    }

    #[test]
    fn text_only_in_json_ld_is_used() {
        let html = r#"<html><head><script type="application/ld+json">
            {"@type":"NewsArticle","headline":"Nur im Skript","articleBody":"Erster Absatz des Artikels, der nur im Skript steht.\nZweiter Absatz mit mehr Text."}
            </script></head><body><div id="app"></div></body></html>"#;
        let page = extract(html);
        assert_eq!(page.title.as_deref(), Some("Nur im Skript"));
        assert_eq!(page.paragraphs.len(), 2);
    }

    #[test]
    fn deep_nesting_is_read_flat() {
        // Hostile nesting must neither exhaust the stack nor cost the
        // parser quadratic time (see `nesting`); the text deep down stays.
        let deep =
            "Tief unten steht ein Satz, der lang genug ist, um als Absatz des Artikels zu zählen.";
        for open in [
            "<div>",
            "<span>",
            "<b>",
            "<div/>",
            "<table><tr><td>",
            "<ul><li>",
        ] {
            let html = format!(
                "<html><body>{}<p>{deep}</p></body></html>",
                open.repeat(20_000)
            );
            let page = extract(&html);
            assert_eq!(page.paragraphs, [deep], "{open}");
        }
    }

    /// A page with the given head and, before its text, the given header.
    fn page_with(head: &str, header: &str) -> String {
        format!(
            "<html><head>{head}</head><body><article>{header}<div class=text>\
             <p>Der erste Absatz des Artikels erzählt, was geschehen ist, und zwar ausführlich genug.</p>\
             <p>Der zweite Absatz ergänzt, was die Beteiligten dazu sagen, ebenfalls in ganzen Sätzen.</p>\
             </div></article></body></html>"
        )
    }

    #[test]
    fn the_share_title_wins_whichever_headline_the_page_shows() {
        // Open Graph carries a share title, JSON-LD and the page another.
        let head = r#"<meta property="og:title" content="Wie ein Dorf seinen Zug rettet">
            <script type="application/ld+json">{"@type":"NewsArticle","headline":"Die Bahn fährt wieder nach Unterdorf"}</script>
            <title>Wie ein Dorf seinen Zug rettet</title>"#;
        let page = extract(&page_with(
            head,
            "<h1>\n  Die Bahn fährt wieder nach Unterdorf\n</h1>",
        ));
        assert_eq!(
            page.title.as_deref(),
            Some("Wie ein Dorf seinen Zug rettet")
        );
        // "Kicker: Headline" stays whole.
        let head = r#"<meta property="og:title" content="Nach der Wahl: Die Bahn fährt wieder nach Unterdorf">"#;
        let page = extract(&page_with(
            head,
            "<h1>Die Bahn fährt wieder nach Unterdorf</h1>",
        ));
        assert_eq!(
            page.title.as_deref(),
            Some("Nach der Wahl: Die Bahn fährt wieder nach Unterdorf")
        );
    }

    #[test]
    fn the_publishers_metadata_title_wins_in_order_of_trust() {
        // Open Graph, then JSON-LD, <meta name=title>, Twitter, <title>,
        // whatever the page shows.
        let titles = [
            r#"<meta property="og:title" content="Eins">"#,
            r#"<script type="application/ld+json">{"@type":"NewsArticle","headline":"Zwei"}</script>"#,
            r#"<meta name="title" content="Drei">"#,
            r#"<meta name="twitter:title" content="Vier">"#,
            "<title>Fünf</title>",
        ];
        for first in 0..titles.len() {
            let head = titles[first..].concat();
            let page = extract(&page_with(&head, "<h1>Sechs</h1>"));
            let want = ["Eins", "Zwei", "Drei", "Vier", "Fünf"][first];
            assert_eq!(page.title.as_deref(), Some(want), "{head}");
        }
        let page = extract(&page_with("", "<h1>Sechs</h1>"));
        assert_eq!(page.title.as_deref(), Some("Sechs"));
    }

    #[test]
    fn a_kicker_stays_as_the_publisher_titles_it() {
        // The page shows the kicker apart; the metadata titles join it to
        // the headline, or leave it out: the title is theirs either way.
        let header = r#"<h1><span class="kicker">Streit um die Strecke</span><span aria-hidden="true"> – </span>
            <span class="text">Die Bahn fährt wieder nach Unterdorf</span></h1>"#;
        for (head, want) in [
            (
                r#"<meta property="og:title" content="Die Bahn fährt wieder nach Unterdorf">
                <script type="application/ld+json">{"@type":"NewsArticle","headline":"Streit um die Strecke: Die Bahn fährt wieder nach Unterdorf"}</script>"#,
                "Die Bahn fährt wieder nach Unterdorf",
            ),
            (
                r#"<meta property="og:title" content="Streit um die Strecke: Die Bahn fährt wieder nach Unterdorf">
                <script type="application/ld+json">{"@type":"NewsArticle","headline":"Die Bahn fährt wieder nach Unterdorf"}</script>"#,
                "Streit um die Strecke: Die Bahn fährt wieder nach Unterdorf",
            ),
            (
                r#"<meta property="og:title" content="Streit um die Strecke: Die Bahn fährt wieder nach Unterdorf">"#,
                "Streit um die Strecke: Die Bahn fährt wieder nach Unterdorf",
            ),
        ] {
            let page = extract(&page_with(head, header));
            assert_eq!(page.title.as_deref(), Some(want), "{head}");
            // Neither the headline as shown nor as titled is text.
            let body = page.paragraphs.join("\n");
            assert!(!body.contains("Unterdorf"), "{body}");
        }
        // A kicker is an element of its own before the headline; inline
        // markup inside a headline is not one.
        let h1 = |html: &str| {
            without_kicker(
                Html::parse_fragment(html)
                    .root_element()
                    .first_child()
                    .unwrap(),
            )
        };
        assert_eq!(
            h1("<h1><div><em>Verkehr:</em> Die Bahn fährt wieder</div></h1>").as_deref(),
            Some("Die Bahn fährt wieder")
        );
        assert_eq!(h1("<h1>Die <em>Bahn</em> fährt wieder</h1>"), None);
    }

    #[test]
    fn a_headline_shown_in_an_h2_above_the_text_is_not_text() {
        // The <h1> ends the breadcrumb trail, for search engines; readers
        // see the <h2> above the text, with its kicker apart. Neither is
        // the share title, and neither is text.
        let head = r#"<meta property="og:title" content="Wie ein Dorf seinen Zug rettet">
            <script type="application/ld+json">{"@type":"NewsArticle","headline":"Bahnstrecke Unterdorf wieder in Betrieb"}</script>"#;
        let header = r#"<div class="crumbs"><a href="/">Start</a><span>|</span><a href="/region">Region</a><span>|</span>
            <h1>Bahnstrecke Unterdorf wieder in Betrieb</h1></div>
            <h2 class="head"><span class="overline">Verkehr</span><span class="text">Der Zug nach Unterdorf fährt wieder</span></h2>"#;
        let page = extract(&page_with(head, header));
        assert_eq!(
            page.title.as_deref(),
            Some("Wie ein Dorf seinen Zug rettet")
        );
        let body = page.paragraphs.join("\n");
        assert!(
            !body.contains("Bahnstrecke") && !body.contains("Der Zug nach Unterdorf"),
            "{body}"
        );
    }

    #[test]
    fn the_site_name_is_known_from_the_pages_address() {
        // No og:site_name, no publisher: the canonical URL names the site.
        let head = r#"<link rel="canonical" href="https://www.technikwelt.de/chips/knapp-123">
            <title>Neue Chips für Rechenzentren – Technikwelt</title>"#;
        let page = extract(&page_with(head, ""));
        assert_eq!(page.title.as_deref(), Some("Neue Chips für Rechenzentren"));
    }

    #[test]
    fn a_section_after_the_headline_without_its_kicker_leaves_the_title() {
        // Only the browser-tab title is left, "Headline - Section - Site";
        // the <h1> shows the headline under a kicker.
        let head = r#"<meta property="og:site_name" content="Radio Beispiel (RB)">
            <title>Die Bahn fährt wieder nach Unterdorf - Regional - RB</title>"#;
        let header = r#"<h1><span class="overline">Verkehr im Tal</span>
            <span class="text">Die Bahn fährt wieder nach Unterdorf</span></h1>"#;
        let page = extract(&page_with(head, header));
        assert_eq!(
            page.title.as_deref(),
            Some("Die Bahn fährt wieder nach Unterdorf")
        );
    }

    #[test]
    fn json_ld_strings_are_read_as_html_text() {
        let head = r#"<script type="application/ld+json">{"@type":"NewsArticle",
            "headline":"Merz &amp; Scholz: &quot;Keine Chips ohne Strom&quot; &#8211; <em>Analyse</em>",
            "author":{"@type":"Person","name":"J&ouml;rg Beispiel"}}</script>"#;
        let page = extract(&page_with(head, ""));
        assert_eq!(
            page.title.as_deref(),
            Some("Merz & Scholz: \"Keine Chips ohne Strom\" – Analyse")
        );
        assert_eq!(page.authors, ["Jörg Beispiel"]);
        // A bare ampersand or a lone "<" stays.
        assert_eq!(
            unescape_html("Forschung & Entwicklung"),
            "Forschung & Entwicklung"
        );
        assert_eq!(unescape_html("Wenn 1 < 2 gilt"), "Wenn 1 < 2 gilt");
    }

    #[test]
    fn invisible_characters_leave_titles_and_text() {
        let head =
            "<meta property=\"og:title\" content=\"Helikopter\u{ad}landeplatz am \u{200e}Fluss\">";
        let page = extract(&page_with(
            head,
            "<div><p>Vor\u{ad}spann mit wei\u{200b}chem Trenn\u{ad}strich, lang genug, um als Absatz \
             des Artikels zu zählen, und \u{ad} mit einem Zeichen allein.</p>",
        ));
        assert_eq!(page.title.as_deref(), Some("Helikopterlandeplatz am Fluss"));
        let body = page.paragraphs.join("\n");
        assert!(body.contains("Vorspann mit weichem Trennstrich,"), "{body}");
        assert!(body.contains("und mit einem"), "{body}");
        assert!(!body.contains(['\u{ad}', '\u{200b}', '\u{200e}']), "{body}");
    }

    #[test]
    fn dates_in_publisher_spellings() {
        assert_eq!(
            normalise_date("2025-06-05T14:46:12+0200").as_deref(),
            Some("2025-06-05T14:46:12+02:00")
        );
        assert_eq!(
            normalise_date("2024-05-03T15:47:42.389Z").as_deref(),
            Some("2024-05-03T15:47:42.389Z")
        );
        assert_eq!(
            normalise_date("2025-06-05T14:46+02:00").as_deref(),
            Some("2025-06-05T14:46:00+02:00")
        );
        assert_eq!(normalise_date("2025-06-05").as_deref(), Some("2025-06-05"));
        assert_eq!(normalise_date("gestern"), None);
    }

    /// A page body of ordinary paragraphs, for the date tests.
    fn dated_page(before_h1: &str, after_h1: &str, after_text: &str) -> String {
        let para = "Die Stadtwerke steuern ihr Stromnetz künftig mit einem lernenden \
                    System, das Lastspitzen Stunden im Voraus erkennt und meldet.";
        format!(
            "<html><body><header>{before_h1}</header><article><h1>Stadtwerke setzen auf \
             lernende Netzsteuerung</h1>{after_h1}<p>{para}</p><p>{para}</p><p>{para}</p>\
             </article>{after_text}</body></html>"
        )
    }

    #[test]
    fn an_opinion_piece_named_kommentar_shows_its_own_date() {
        let page = dated_page(
            "",
            "<div class=\"Article Kommentar\"><div class=\"ArticleMeta\">Aus: Ausgabe vom \
             28.11.2026, Seite 8 / Ansichten</div></div>",
            "",
        );
        assert_eq!(extract(&page).date.as_deref(), Some("2026-11-28"));
    }

    #[test]
    fn pages_without_date_metadata_give_the_date_they_show() {
        let comments = "<section class=\"comments\"><p class=\"comment-date\">01.12.2026, \
                        08:00</p><p>Ein Kommentar von einem Leser zum Artikel oben.</p></section>";
        // A byline under the headline, with a time: Central European Time.
        let page = dated_page(
            "<div class=\"today\">Sonntag, 29. November 2026</div>",
            "<p class=\"byline\">Von Eva Muster | 27.11.2026, 14:03 Uhr</p>",
            comments,
        );
        assert_eq!(
            extract(&page).date.as_deref(),
            Some("2026-11-27T14:03:00+01:00")
        );
        // The first publication, not the update.
        let page = dated_page(
            "",
            "<div class=\"article-meta\">Aktualisiert am 28. Nov. 2026 · \
             Erstmals erschienen am 26. Nov. 2026</div>",
            comments,
        );
        assert_eq!(extract(&page).date.as_deref(), Some("2026-11-26"));
        // No dateline marked up at all (an old CMS): the short line under
        // the headline.
        let page = dated_page("", "<font size=\"1\">Limburg, 24.11.2026</font>", comments);
        assert_eq!(extract(&page).date.as_deref(), Some("2026-11-24"));
        // Only comments and a teaser are dated: no date.
        let teaser = "<div class=\"teaser\"><span class=\"date\">02.11.2026</span></div>";
        let page = dated_page("", "", &format!("{comments}{teaser}"));
        assert_eq!(extract(&page).date, None);
        // Date metadata still wins over what the page shows.
        let page = dated_page(
            "<meta property=\"article:published_time\" content=\"2026-11-20T10:00:00+01:00\">",
            "<p class=\"byline\">27.11.2026</p>",
            "",
        );
        assert_eq!(
            extract(&page).date.as_deref(),
            Some("2026-11-20T10:00:00+01:00")
        );
    }

    /// Ten paragraphs of article text (1,400 characters).
    /// Fails unless none of `gone` is in the extracted text.
    /// The page's text as lupe extracts it, a paragraph a line.
    fn body_of(page: &str) -> String {
        extract(page).paragraphs.join("\n")
    }

    fn assert_left_out(body: &str, gone: &[&str]) {
        for g in gone {
            assert!(!body.contains(g), "{g}: {body}");
        }
    }

    fn article_text() -> String {
        (1..=10)
            .map(|i| {
                format!(
                    "<p>Absatz {i}: Die Stadtwerke steuern ihr Stromnetz künftig mit einem \
                     lernenden System, das Lastspitzen Stunden im Voraus erkennt.</p>"
                )
            })
            .collect()
    }

    #[test]
    fn a_paywalled_article_is_text_and_the_offer_is_not() {
        let text = article_text();
        let page = format!(
            "<html><body><article><h1>Netz unter Last</h1>\
             <div class=\"storyline-paywall\">{text}</div>\
             <section class=\"a-paywall__box\"><h2>Lesen Sie jetzt weiter mit Plus</h2>\
             <ul><li>Zugriff auf alle Plus-Artikel</li><li>Einen Monat gratis testen</li></ul>\
             </section></article></body></html>"
        );
        let body = body_of(&page);
        assert!(
            body.contains("Absatz 1:") && body.contains("Absatz 10:"),
            "{body}"
        );
        assert!(
            !body.contains("weiter mit Plus") && !body.contains("gratis"),
            "{body}"
        );
        // Blurred and hidden from screen readers, the paywalled text is
        // still the article's; a hidden offer is not.
        let page = format!(
            "<html><body><article><h1>Netz unter Last</h1>\
             <p>Die Stadtwerke haben ihr neues Steuersystem am Montag vorgestellt, vor vollem Saal.</p>\
             <div class=\"bi-paywall-content is-blurred\" aria-hidden=\"true\">{text}</div>\
             <div class=\"paywall-teaser\" aria-hidden=\"true\"><p>Jetzt weiterlesen mit Plus, \
             die ersten vier Wochen gratis.</p></div></article></body></html>"
        );
        let body = body_of(&page);
        assert!(
            body.contains("Absatz 1:") && body.contains("Absatz 10:"),
            "{body}"
        );
        assert!(!body.contains("gratis"), "{body}");
    }

    #[test]
    fn paragraphs_a_paywall_hides_by_class_are_text() {
        let page = format!(
            "<html><body><article><h1>Netz unter Last</h1>\
             <p>Die Stadtwerke haben ihr neues Steuersystem am Montag vorgestellt, vor vollem Saal.</p>\
             <h3 class=\"article-subheadline paywall-hidden\">Was das System kann</h3>\
             {}<ul class=\"article-text-list paywall-hidden\"><li>Lastspitzen früher erkennen,</li></ul>\
             <div class=\"paywall\"><p>Weiterlesen mit Plus: die ersten vier Wochen gratis.</p></div>\
             </article></body></html>",
            article_text().replace("<p>", "<p class=\"article-text paywall-hidden\">")
        );
        let body = body_of(&page);
        assert!(
            body.contains("Was das System kann") && body.contains("Absatz 10:"),
            "{body}"
        );
        assert!(body.contains("Lastspitzen früher erkennen,"), "{body}");
        assert!(!body.contains("gratis"), "{body}");
        // Marked by a BEM modifier or an attribute, and hidden.
        for wrapper in [
            "<div class=\"article__body--paywalled\" aria-hidden=\"true\">",
            "<div class=\"rest\" data-paywall=\"blurred\" aria-hidden=\"true\">",
            "<div class=\"article__body--paid\" style=\"display:none\">",
            "<div data-paid-content=\"true\" hidden>",
        ] {
            let page = format!(
                "<html><body><article><h1>Netz unter Last</h1>\
                 <p>Die Stadtwerke haben ihr neues Steuersystem am Montag vorgestellt, vor vollem Saal.</p>\
                 {wrapper}{}</div></article></body></html>",
                article_text()
            );
            let body = body_of(&page);
            assert!(body.contains("Absatz 10:"), "{wrapper}: {body}");
        }
    }

    #[test]
    fn german_names_of_captions_letters_and_appeals_are_boilerplate() {
        let text = article_text();
        let page = format!(
            "<html><body><article><h1>Netz unter Last</h1>\
             <div class=\"bild\"><img src=\"a.jpg\"><div class=\"bildunterschrift\">Die Leitwarte \
             der Stadtwerke in Unterdorf, aufgenommen am Montagmorgen. Bild: Stadtwerke</div></div>\
             <div class=\"text\">{text}</div>\
             <div class=\"donation-box\"><p>Unabhängiger Journalismus braucht Sie: Unterstützen Sie \
             unsere Arbeit mit einer Spende, schon ab fünf Euro im Monat.</p></div>\
             <div class=\"zitiervorschlag\"><b>Zitiervorschlag</b><br>Netz unter Last. In: Talblatt, \
             27.11.2026, https://talblatt.example/a/1</div>\
             <div class=\"leserbriefe\"><h3>Leserbriefe (1)</h3><p>Ein kluger Beitrag, dem ich in \
             der Analyse zustimme, nicht aber in der Schlussfolgerung, die er daraus zieht.</p></div>\
             <div class=\"Infobox\"><h4>Hintergrund: Lastspitzen</h4><p>Lastspitzen entstehen, wenn \
             viele Verbraucher zur selben Zeit viel Strom brauchen, etwa am frühen Abend.</p></div>\
             </article><section class=\"agency-more\"><h2>Weitere Meldungen</h2><ul>\
             <li><a href=\"/a/2\">Glasfaser auf dem Land</a> Der Bund hat Milliarden bereitgestellt, \
             doch der Ausbau auf dem Land geht nur schleppend voran, weil Baufirmen fehlen.</li>\
             </ul></section><section id=\"story-community\"><h2>Forum</h2><p>Diskutieren Sie \
             respektvoll, mit der Nutzung des Forums akzeptieren Sie die Richtlinien.</p></section>\
             <div class=\"talkback\"><h3>Ihre Meinung</h3><p>Finde ich gut, dass sie das testen \
             und nicht einfach blind einführen, am Schluss schaut ein Mensch drüber.</p></div>\
             </body></html>"
        );
        let body = body_of(&page);
        assert!(body.contains("Absatz 10:"), "{body}");
        assert_left_out(
            &body,
            &[
                "Leitwarte",
                "Spende",
                "Zitiervorschlag",
                "Leserbriefe",
                "kluger Beitrag",
                "Lastspitzen entstehen",
                "Glasfaser",
                "Forum",
                "blind einführen",
            ],
        );
    }

    #[test]
    fn a_blogs_main_column_named_widget_is_read() {
        // Blogger names the column of posts "widget Blog"; a sidebar's
        // widget stays boilerplate.
        let text = article_text();
        let page = format!(
            "<html><body><div class='main section'><div class='widget Blog' id='Blog1'>\
             <div class='post hentry'><h3 class='post-title entry-title'>Netz unter Last</h3>\
             <div class='post-body entry-content'>{text}</div></div></div></div>\
             <div class='sidebar'><div class='widget HTML'><p>Folgen Sie uns auf allen Kanälen, \
             es lohnt sich wirklich, versprochen, jeden Tag neu.</p></div></div>\
             <div class=\"RecircRecentWrapper\"><h2>Mehr von uns</h2><p>Von Pastell bis Metallic: \
             Diese Looks sehen wir in der kommenden Saison überall, und so tragen Sie sie.</p></div>\
             </body></html>"
        );
        let body = body_of(&page);
        assert!(
            body.contains("Absatz 1:") && body.contains("Absatz 10:"),
            "{body}"
        );
        assert_left_out(&body, &["Folgen Sie uns", "Metallic"]);
    }

    #[test]
    fn bylines_datelines_and_programme_notes_are_not_text() {
        let text = article_text();
        let page = format!(
            "<html><body><article><h1>Netz unter Last</h1>\
             <p class=\"programInfo\">Stand: 29.11.2026, 13:05 Uhr</p>\
             <p class=\"einleitung\">Die Stadtwerke steuern ihr Netz künftig mit einem lernenden System, \
             das Lastspitzen erkennt, bevor sie entstehen.</p>\
             <p class=\"autorenzeile\">Von Lena Brinkhoff und Marco Siebert</p>\
             <div><span class=\"article-header__date\">Aktualisiert: 29.11.2026, 08:05 · \
             Veröffentlicht: 28.11.2026, 17:30 Uhr, von der Redaktion</span></div>\
             <div class=\"text\">{text}\
             <p class=\"sendungsbezug\">Über dieses Thema berichtet der WDR am 29.11.2026 auch im \
             Fernsehen: Aktuelle Stunde, 18.45 Uhr.</p>\
             <p>Dieses Thema im Programm: Hallo Niedersachsen | 27.11.2026 | 19:30 Uhr</p>\
             </div></article></body></html>"
        );
        let body = body_of(&page);
        assert!(body.starts_with("Die Stadtwerke steuern"), "{body}");
        assert!(body.contains("Absatz 10:"), "{body}");
        assert_left_out(
            &body,
            &[
                "Stand:",
                "Brinkhoff",
                "Aktualisiert",
                "Über dieses Thema",
                "im Programm",
            ],
        );
    }

    #[test]
    fn section_headings_stay_whatever_their_anchor_ids_say() {
        let text = article_text();
        let page = format!(
            "<html><body><article><h1>Netz unter Last</h1>{text}\
             <h3 id=\"nav_gigawatt_auf_der_warteliste\">Gigawatt auf der Warteliste</h3>\
             {text}</article></body></html>"
        );
        let body = extract(&page).paragraphs;
        assert!(
            body.iter().any(|p| p == "Gigawatt auf der Warteliste"),
            "{body:?}"
        );
    }

    #[test]
    fn embedded_posts_are_not_article_text() {
        let text = article_text();
        let page = format!(
            "<html><body><article><h1>Netz unter Last</h1>{text}\
             <div class=\"embed embed--social\"><p>Dieser Beitrag enthält einen Inhalt von X. \
             Mit Ihrer Zustimmung wird er geladen.</p><blockquote class=\"twitter-tweet\">\
             <p>Großer Andrang beim Netzgipfel, die Säle sind voll und die Stimmung ist gut.</p>\
             </blockquote></div>{text}</article></body></html>"
        );
        let body = body_of(&page);
        assert!(
            !body.contains("Zustimmung") && !body.contains("Andrang"),
            "{body}"
        );
    }

    #[test]
    fn a_lead_set_as_a_heading_is_text() {
        let page = format!(
            "<html><body><article><div class=\"article-header\"><h1>Nein, die EU verbietet \
             Chatbots nicht</h1></div><div class=\"article-entry\"><h3 class=\"chapo\"><strong>\
             In Onlinenetzwerken verbreitet sich seit Mitte November die Behauptung, die \
             Europäische Union werde Privatpersonen ab dem 1. Januar 2027 die Nutzung von \
             KI-Chatbots verbieten. Wer dagegen verstoße, müsse mit Bußgeldern rechnen. Das ist \
             falsch, wie ein Blick in die Verordnung zeigt.</strong>\
             </h3><div class=\"field-body\">{}</div></div></article></body></html>",
            article_text()
        );
        let paragraphs = extract(&page).paragraphs;
        assert!(
            paragraphs[0].starts_with("In Onlinenetzwerken"),
            "{paragraphs:?}"
        );
        assert_eq!(paragraphs.len(), 11, "{paragraphs:?}");
    }

    #[test]
    fn components_named_in_data_attributes_are_read_like_classes() {
        let text = article_text();
        let cut = text.match_indices("<p>").nth(5).map_or(0, |(i, _)| i);
        let (first, second) = text.split_at(cut);
        let page = format!(
            "<html><body><article data-area=\"article\"><h1>Netz unter Last</h1>\
             <div class=\"RichText lg:w-8/12 mx-auto\">{first}\
             <div data-component=\"NewsletterBox\" class=\"mx-auto p-24\"><h3>Newsletter Netzwelt</h3>\
             <p>Die wichtigsten Digitalnachrichten der Woche, jeden Freitag in Ihrem Postfach.</p></div>\
             {second}\
             <section data-area=\"discussion\" class=\"mx-auto mt-40\"><h3>Diskutieren Sie mit</h3>\
             <div class=\"text-base mt-8\">Schön, dass es mal eine positive Nachricht gibt, aber das Geld \
             kommt wieder aus London und die Rechenzentren stehen in Finnland.</div></section>\
             <section class=\"css-4bvtsk\" data-role=\"discussion\"><h3>Dialog</h3><div>Sehr gutes \
             Gespräch, danke, ich arbeite selbst seit zwanzig Jahren in einer Verwaltung.</div></section>\
             </div></article></body></html>"
        );
        let body = body_of(&page);
        assert!(body.contains("Absatz 10"), "{body}");
        assert_left_out(
            &body,
            &[
                "Newsletter",
                "Postfach",
                "Diskutieren",
                "London",
                "Dialog",
                "Gespräch",
            ],
        );
    }

    #[test]
    fn an_images_box_of_divs_is_left_out_with_its_caption() {
        let text = article_text();
        let page = format!(
            "<html><body><article><h1>Netz unter Last</h1>\
             <div class=\"mediaCon mediaConMain\"><div class=\"media mediaA\"><a href=\"/big.html\">\
             <img src=\"/reinraum.jpg\" alt=\"\"></a><div class=\"subtitle\"><p class=\"mediaText\">\
             Blick in einen Reinraum im Dresdner Norden. Hier soll die neue Fertigungslinie entstehen.\
             </p><p class=\"copyright\">Bildrechte: MDR/Anne Richter</p></div></div></div>\
             <div class=\"article-image\">{text}</div></article></body></html>"
        );
        let body = body_of(&page);
        // A text that only names itself like an image box stays.
        assert!(
            body.contains("Absatz 1:") && body.contains("Absatz 10"),
            "{body}"
        );
        assert_left_out(&body, &["Reinraum", "Bildrechte"]);
    }

    #[test]
    fn a_dateline_above_the_headline_beats_a_list_of_dates_below() {
        let page = format!(
            "<html><body><table><tr><td class=\"inhalt\"><div class=\"artikel\">\
             <span class=\"rubrik\">Interview</span> &middot; <span class=\"datum\">14.10.2026</span><br>\
             <h1>Der Channel muss KI-Kompetenz erst aufbauen</h1>{}</div></td>\
             <td class=\"rechtespalte\"><table class=\"archivliste\">\
             <tr><td class=\"datum\">13.10.2026</td><td><a href=\"/a\">Distributor meldet Rekord</a></td></tr>\
             </table></td></tr></table></body></html>",
            article_text()
        );
        assert_eq!(extract(&page).date.as_deref(), Some("2026-10-14"));
        // A site's header shows today's date above a headline of the body.
        let page = format!(
            "<html><body><div class=\"kopf\"><span class=\"datum\">29.11.2026</span></div>\
             <h1>Der Channel muss KI-Kompetenz erst aufbauen</h1>\
             <p class=\"datum\">14.10.2026</p>{}</body></html>",
            article_text()
        );
        assert_eq!(extract(&page).date.as_deref(), Some("2026-10-14"));
    }

    #[test]
    fn the_lead_under_a_headline_set_in_an_h2_is_text() {
        let page = format!(
            "<html><body><article><header><h2><span>Künstliche Intelligenz</span> \
             <span>Start-up sammelt 600 Millionen Euro ein</span></h2>\
             <div class=\"intro\">Es ist eine der größten Finanzierungsrunden der deutschen \
             Tech-Geschichte, doch hinter dem Erfolg stehen auch Fragen.</div>\
             <div class=\"authors\">Von Jonas Kessler</div></header>\
             <section class=\"body\">{}</section></article></body></html>",
            article_text()
        );
        let paragraphs = extract(&page).paragraphs;
        assert!(
            paragraphs[0].starts_with("Es ist eine der größten"),
            "{paragraphs:?}"
        );
    }

    #[test]
    fn a_dateline_with_its_update_and_reading_time_is_not_the_lead() {
        let page = format!(
            "<html><body><article><header><h2>KI-Assistent gab Kundendaten preis</h2>\
             <div class=\"css-1f2f6gp\"><time datetime=\"2026-11-26 09:18:00\">26. November 2026, \
             9:18 Uhr</time><span> | Aktualisiert am 26. November 2026, 15:40 Uhr</span>\
             <span>Lesezeit: 4 Min.</span></div></header><section>{}</section></article></body></html>",
            article_text()
        );
        let paragraphs = extract(&page).paragraphs;
        assert!(paragraphs[0].starts_with("Absatz 1:"), "{paragraphs:?}");
    }

    #[test]
    fn a_lists_short_items_are_kept_with_its_long_ones() {
        let text = article_text();
        let page = format!(
            "<html><body><article><h1>Diese Handys bekommen das Update</h1>\
             <ul class=\"toolbar\"><li>Teilen</li><li>Drucken</li></ul>{text}\
             <ul class=\"wp-block-list\"><li>Samsung Galaxy S25 und S26 (alle Varianten)</li>\
             <li>OnePlus 13 und OnePlus 15</li><li>Nothing Phone (3)</li></ul>\
             </article></body></html>"
        );
        let paragraphs = extract(&page).paragraphs;
        assert_eq!(
            paragraphs[10..],
            [
                "Samsung Galaxy S25 und S26 (alle Varianten)",
                "OnePlus 13 und OnePlus 15",
                "Nothing Phone (3)"
            ],
            "{paragraphs:?}"
        );
        assert!(!paragraphs.iter().any(|p| p == "Teilen"), "{paragraphs:?}");
    }

    #[test]
    fn a_paywall_offer_named_by_a_data_attribute_is_left_out() {
        let text = article_text();
        let page = format!(
            "<html><body><article><h1>Netz unter Last</h1>{text}\
             <div data-paywall-overlay class=\"relative z-10 p-24\"><p>Mehr Perspektiven, mehr \
             verstehen.</p><ul><li>Freier Zugang zu allen Artikeln, Videos und Podcasts</li>\
             <li>Jederzeit kündbar</li></ul></div></article></body></html>"
        );
        let body = body_of(&page);
        assert!(body.contains("Absatz 10"), "{body}");
        assert_left_out(&body, &["Perspektiven", "Freier Zugang", "kündbar"]);
    }

    #[test]
    fn article_cards_that_tease_other_articles_are_left_out() {
        let text = article_text();
        let card = |i: usize| {
            format!(
                "<article class=\"ticker-story\"><span>Inland</span><h3><a href=\"/stories/{i}\">\
                 Pensionen steigen um 2,7 Prozent</a></h3><p>Für kleine Pensionen gibt es eine \
                 zusätzliche Einmalzahlung, wie der Minister nach dem Ministerrat bekanntgab.</p></article>"
            )
        };
        let cards: String = (0..8).map(card).collect();
        let page = format!(
            "<html><body><main><article><h1>Netz unter Last</h1>{text}</article>\
             <section class=\"oon-grid\"><h2>Im Überblick</h2>{cards}</section></main></body></html>"
        );
        let body = body_of(&page);
        assert!(
            body.contains("Absatz 1:") && body.contains("Absatz 10"),
            "{body}"
        );
        assert_left_out(&body, &["Pensionen", "Einmalzahlung", "Inland"]);
    }

    #[test]
    fn a_box_that_sums_up_the_article_is_its_text() {
        let text = article_text();
        let page = format!(
            "<html><body><article><h1>Netz unter Last</h1>\
             <div type=\"typeInfoboxSummary\" class=\"sc-92253cc8-0 kGbdVO\" data-testid=\"InfoBox\">\
             <h2>Darum gehts</h2><ul><li>Die Stadtwerke steuern ihr Netz künftig mit einer Software.</li>\
             <li>Das Land fördert das Projekt mit 450.000 Euro.</li></ul></div>{text}\
             <div data-testid=\"InfoBox\"><h2>Zur Person</h2><p>Anke Ebel leitet die Stadtwerke \
             seit 2019 und war zuvor Ingenieurin.</p></div></article></body></html>"
        );
        let body = body_of(&page);
        assert!(
            body.contains("mit einer Software.") && body.contains("450.000 Euro"),
            "{body}"
        );
        assert_left_out(&body, &["Zur Person", "Ingenieurin"]);
    }

    #[test]
    fn a_box_a_heading_names_as_other_articles_is_left_out() {
        let text = article_text();
        let page = format!(
            "<html><body><article><h1>Netz unter Last</h1>{text}\
             <div class=\"box_links\"><h3>Weitere Informationen</h3><ul>\
             <li><a href=\"/drohnen.html\">Drohnen über dem Emsland</a><br>Landwirte setzen \
             Drohnen ein, um Felder gezielter zu düngen. Das spart Geld. (12.11.2026)</li>\
             <li><a href=\"/milch.html\">Milchpreis: Bauern unter Druck</a><br>Die Molkereien \
             zahlen wieder weniger, viele Betriebe kämpfen ums Überleben. (03.11.2026)</li>\
             </ul></div></article></body></html>"
        );
        let body = body_of(&page);
        assert!(body.contains("Absatz 10"), "{body}");
        assert_left_out(&body, &["Weitere Informationen", "Drohnen", "Molkereien"]);
        // A section of the article's own under such a heading stays.
        let page = format!(
            "<html><body><article><h1>Netz unter Last</h1>{text}\
             <div><h3>Weitere Informationen</h3><p>Die Stadtwerke beantworten Fragen zum neuen \
             System montags bis freitags am Servicetelefon und im Kundenzentrum.</p></div>\
             </article></body></html>"
        );
        let body = body_of(&page);
        assert!(body.contains("Servicetelefon"), "{body}");
    }

    #[test]
    fn css_module_names_in_camel_case_are_read_word_by_word() {
        let text = article_text();
        let page = format!(
            "<html><body><article><h1>Netz unter Last</h1>\
             <div class=\"ArticleBody_root__x1Yz2\">{text}</div>\
             <div class=\"NewsletterBox_root__Jq3z1\"><h3>Das Wichtigste vom Tag</h3>\
             <p>Unser Newsletter informiert Sie montags bis freitags kompakt.</p></div>\
             </article></body></html>"
        );
        let body = body_of(&page);
        assert!(body.contains("Absatz 10"), "{body}");
        assert!(
            !body.contains("Newsletter") && !body.contains("Wichtigste"),
            "{body}"
        );
        let words: Vec<String> = name_parts(["ArticleFooter_root__a2Lk4 iOS"])
            .filter(|w| !w.is_empty())
            .collect();
        assert_eq!(
            words,
            ["article", "footer", "articlefooter", "root", "a2lk4", "ios"]
        );
        let words: Vec<String> = name_parts(["Infoboxstyled__Wrapper-sc-1t0mz3r-0"]).collect();
        assert_eq!(words, ["infobox", "", "wrapper"]);
        // Hashes are not words: styled-components' `sc-` names, and humps
        // shorter than three letters.
        let words: Vec<String> = name_parts(["sc-tagGq kxIyHn mediaConMain"])
            .filter(|w| !w.is_empty())
            .collect();
        assert_eq!(words, ["kxiyhn", "media", "con", "main", "mediaconmain"]);
        // A camel-case compound is also read whole: `infoBox` is an infobox.
        let page = format!(
            "<html><body><article><h1>Netz unter Last</h1>{text}\
             <div class=\"c-infoBox c-infoBox--person\"><h2 class=\"c-infoBox__title\">Zur Person</h2>\
             <p>Anke Ebel, Jahrgang 1979, leitet seit 2019 die Stadtwerke und zuvor ein Ingenieurbüro.</p>\
             </div></article></body></html>"
        );
        let body = body_of(&page);
        assert!(body.contains("Absatz 10"), "{body}");
        assert_left_out(&body, &["Zur Person", "Jahrgang"]);
        let page = page.replace("c-infoBox", "Infoboxstyled__Wrapper-sc-1t0mz3r-0");
        let body = body_of(&page);
        assert!(body.contains("Absatz 10"), "{body}");
        assert_left_out(&body, &["Zur Person", "Jahrgang"]);
    }

    #[test]
    fn a_live_tickers_entries_keep_their_times() {
        let entry = |time: &str| {
            format!(
                "<div class=\"entry\"><div>{time}</div><p>Die Stadtwerke melden um {time} \
                 einen neuen Stand der Netzlast, die Lage bleibt nach ihren Angaben ruhig.</p></div>"
            )
        };
        let entries: String = ["13:42 Uhr", "13:05 Uhr", "12:21 Uhr"]
            .iter()
            .map(|t| entry(t))
            .collect();
        let page = format!(
            "<html><body><article><h1>Netzlast im Ticker</h1>{entries}</article></body></html>"
        );
        let body = extract(&page).paragraphs;
        assert_eq!(body[0], "13:42 Uhr", "{body:?}");
        assert_eq!(body.iter().filter(|p| p.ends_with("Uhr")).count(), 3);
        // One time line in an ordinary article is a dateline, left out.
        let text = article_text();
        let page = format!(
            "<html><body><article><h1>Netz unter Last</h1><div>13:42 Uhr</div>{text}\
             </article></body></html>"
        );
        let body = extract(&page).paragraphs;
        assert!(!body.iter().any(|p| p == "13:42 Uhr"), "{body:?}");
    }

    #[test]
    fn a_title_that_starts_with_the_site_ends_with_the_headline_shown() {
        // An old CMS: no <h1>, no metadata, a table cell with the kicker,
        // the headline and the dateline apart by <br>s.
        let text = article_text();
        let page = format!(
            "<html><head><title>Lahntal-Bote - Lokales Limburg - Stadtwerke setzen auf KI</title>\
             </head><body><table><tr><td class=\"text\"><span>Limburg</span><br>\
             <span class=\"ueberschrift\">Stadtwerke setzen auf KI</span><br><br>\
             <font size=\"1\">Artikel vom 12.11.2026</font>{text}</td></tr></table></body></html>"
        );
        let page = extract(&page);
        assert_eq!(page.title.as_deref(), Some("Stadtwerke setzen auf KI"));
        assert_eq!(page.date.as_deref(), Some("2026-11-12"));
    }

    #[test]
    fn a_teaser_is_the_lead_unless_it_links_to_another_article() {
        let text = article_text();
        let page = format!(
            "<html><body><article><h2>Drohnen-Start-up erhält Auftrag</h2>\
             <div class=\"content\"><div class=\"picture\"><img src=\"d.jpg\" alt=\"\"></div>\
             <div class=\"author\"><a href=\"/autor/reindl\">Tobias Reindl</a></div>\
             <p class=\"teaser\">Das Nürnberger Unternehmen hat einen Auftrag über autonome \
             Drohnen erhalten, rund 60 Millionen Euro wert.</p>{text}</div></article>\
             <section><h2>Weitere Meldungen</h2><ul><li><a href=\"/a\">Busse fahren ohne \
             Fahrer</a><p class=\"teaser\">Ab dem Frühjahr sollen fahrerlose Kleinbusse in drei \
             weiteren Stadtteilen unterwegs sein, vorerst mit Begleiter.</p></li>\
             <li><div class=\"teaser-box\"><a href=\"/b\">Glasfaser kommt</a> Viele Kommunen \
             warten seit Jahren auf schnelles Internet und verweisen auf Baukosten.</div></li>\
             </ul></section></body></html>"
        );
        let body = extract(&page).paragraphs;
        assert!(
            body[0].starts_with("Das Nürnberger Unternehmen"),
            "{body:?}"
        );
        let all = body.join("\n");
        assert!(
            !all.contains("Kleinbusse") && !all.contains("Glasfaser"),
            "{all}"
        );
    }

    #[test]
    fn the_dateline_in_the_article_wins_over_dated_lists_after_it() {
        let text = article_text();
        let page = format!(
            "<html><body><article><p class=\"date\">19.11.2026 – 11:05</p>\
             <h1>Verdant Logic schließt Finanzierung ab</h1>{text}</article>\
             <section class=\"more-stories\"><ul><li><time>02.10.2026</time> \
             <a href=\"/x\">Pilotprogramm gestartet</a></li></ul></section></body></html>"
        );
        assert_eq!(
            extract(&page).date.as_deref(),
            Some("2026-11-19T11:05:00+01:00")
        );
    }

    #[test]
    fn only_a_shown_headline_ends_a_title_not_a_shown_label() {
        let shown = [
            comparable("Stadtwerke setzen auf KI"),
            comparable("Wirtschaft"),
        ];
        assert_eq!(
            shown_tail("Lahntal-Bote - Lokales - Stadtwerke setzen auf KI", &shown).as_deref(),
            Some("Stadtwerke setzen auf KI")
        );
        assert_eq!(
            shown_tail("Neue Chipfabrik eröffnet - Wirtschaft", &shown),
            None
        );
    }

    #[test]
    fn a_time_element_of_a_teaser_list_does_not_date_the_article() {
        let text = article_text();
        let page = format!(
            "<html><body><div class=\"teaser-list\"><time datetime=\"2026-10-01\">1.10.</time>\
             <a href=\"/x\">Älterer Artikel</a></div><main><h1>Uni startet KI-Labor</h1>\
             {text}<div class=\"footer\"><time datetime=\"2026-11-17\">17.11.2026</time>\
             </div></main></body></html>"
        );
        assert_eq!(extract(&page).date.as_deref(), Some("2026-11-17"));
    }

    #[test]
    fn a_press_release_ends_where_its_press_contact_starts() {
        let text = article_text();
        let page = format!(
            "<html><body><article><h1>Verdant Logic schließt Finanzierung ab</h1>{text}\
             <p><b>Pressekontakt:</b></p><p>Verdant Logic GmbH<br>Sophie Reindl<br>\
             Telefon: +49 89 2000 4410<br>E-Mail: presse@verdantlogic.example</p>\
             <p>Original-Content von: Verdant Logic GmbH, übermittelt durch news aktuell</p>\
             </article></body></html>"
        );
        let body = body_of(&page);
        assert!(body.contains("Absatz 10:"), "{body}");
        assert!(
            !body.contains("Pressekontakt") && !body.contains("Telefon"),
            "{body}"
        );
    }

    #[test]
    fn site_names_leave_titles() {
        let names = vec![comparable("Börsen-Zeitung"), comparable("DW")];
        assert_eq!(
            strip_site_name("KI-Chips werden knapp | Börsen-Zeitung", &names, &[]),
            "KI-Chips werden knapp"
        );
        assert_eq!(
            strip_site_name("KI-Chips werden knapp – DW – 13.06.2023", &names, &[]),
            "KI-Chips werden knapp"
        );
        assert_eq!(
            strip_site_name("Open Source - Chance oder Risiko?", &[], &[]),
            "Open Source - Chance oder Risiko?"
        );
        // A short site name inside a word of the headline is not the name.
        assert_eq!(
            strip_site_name(
                "Bauern protestieren - Landwirtschaft in der Krise",
                &names,
                &[]
            ),
            "Bauern protestieren - Landwirtschaft in der Krise"
        );
        // An acronym after a dash is the site only when the page names none.
        assert_eq!(
            strip_site_name("Neue Regeln für Chips - EU", &names, &[]),
            "Neue Regeln für Chips - EU"
        );
        assert_eq!(
            strip_site_name("Neue Regeln für Chips - KK", &[], &[]),
            "Neue Regeln für Chips"
        );
        assert_eq!(
            strip_site_name(
                "Rückblick - Spiegel-Affäre erschütterte die Republik",
                &[comparable("Spiegel")],
                &[]
            ),
            "Rückblick - Spiegel-Affäre erschütterte die Republik"
        );
        for names in [vec![comparable("derstandard.at")], vec![]] {
            assert_eq!(
                strip_site_name(
                    "Kalifat-Rufe in Hamburg - Panorama - derStandard.at › Panorama",
                    &names,
                    &[comparable("Kalifat-Rufe in Hamburg")]
                ),
                "Kalifat-Rufe in Hamburg"
            );
        }
    }

    #[test]
    fn charset_from_meta_and_fallback() {
        let page =
            b"<html><head><meta charset=\"windows-1252\"></head><body>Gr\xfc\xdfe</body></html>";
        assert!(decode(page, None).contains("Grüße"));
        let undeclared = b"<p>M\xfcller</p>";
        assert!(decode(undeclared, None).contains("Müller"));
        let header = b"<p>M\xfcller</p>";
        assert!(decode(header, Some("iso-8859-1")).contains("Müller"));
        let bom = b"\xEF\xBB\xBF<meta charset=windows-1252><p>M\xc3\xbcller</p>";
        assert!(decode(bom, None).contains("Müller"));
        let http_equiv = b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-15\"><p>\xa4</p>";
        assert!(decode(http_equiv, None).contains('€'));
    }
}
