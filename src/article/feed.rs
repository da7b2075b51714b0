//! News feeds (RSS 2.0 and 1.0, Atom 1.0, JSON Feed), read with feed-rs:
//! one article per item.
//!
//! An item's id is its guid / Atom id / JSON Feed id, else its link; the
//! source is the feed's title; the body comes from the full content
//! (`content:encoded`, Atom `content`, JSON Feed `content_html`), HTML
//! turned into paragraphs, else from the summary.

use super::{ArticleError, RawArticle, html};

/// One item of a feed, before validation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedItem {
    /// guid / id, else the link.
    pub id: Option<String>,
    /// Headline.
    pub title: Option<String>,
    /// Published (else updated), RFC 3339.
    pub date: Option<String>,
    /// The feed's title.
    pub source: Option<String>,
    /// The item's link.
    pub url: Option<String>,
    /// Paragraphs of the content, else of the summary.
    pub paragraphs: Vec<String>,
    /// Whether the paragraphs come from full content rather than a summary.
    pub full_content: bool,
}

impl FeedItem {
    /// The item as an article record.
    pub(crate) fn into_raw(self) -> RawArticle {
        RawArticle {
            id: self.id,
            title: self.title,
            body: (!self.paragraphs.is_empty()).then(|| self.paragraphs.join("\n\n")),
            date: self.date,
            source: self.source,
            url: self.url,
        }
    }
}

/// Whether `head` (the first bytes of a file or response) is a feed.
pub fn looks_like_feed(head: &[u8]) -> bool {
    let head = &head[..head.len().min(2048)];
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    let start = text.trim_start_matches('\u{feff}').trim_start();
    if start.starts_with('{') {
        return text.contains("jsonfeed.org/version");
    }
    if !start.starts_with('<') {
        return false;
    }
    // Past the XML declaration, comments and stylesheets, the root element.
    ["<rss", "<feed", "<rdf:rdf"]
        .iter()
        .any(|root| text.contains(root))
        && !start.starts_with("<!doctype html")
        && !start.starts_with("<html")
}

/// Text of a feed text construct (HTML in Atom `type="html"` titles
/// included).
fn plain(s: &str) -> Option<String> {
    let s = if s.contains('<') {
        html::fragment_paragraphs(s).join(" ")
    } else {
        html::collapse(s)
    };
    (!s.is_empty()).then_some(s)
}

fn paragraphs(body: &str, is_html: bool) -> Vec<String> {
    if is_html || body.contains("</") || body.contains("<p") || body.contains("<br") {
        html::fragment_paragraphs(body)
    } else {
        body.split("\n\n")
            .map(html::collapse)
            .filter(|p| !p.is_empty())
            .collect()
    }
}

/// Reads a feed; `base` resolves relative links.
pub fn parse(bytes: &[u8], base: Option<&str>) -> Result<Vec<FeedItem>, ArticleError> {
    // An item without an id is keyed by its link (below), not by a hash
    // feed-rs would make up.
    let parser = feed_rs::parser::Builder::new()
        .base_uri(base)
        .id_generator(|_, _, _| String::new())
        .build();
    let feed = parser
        .parse(bytes)
        .map_err(|e| ArticleError::Feed(e.to_string()))?;
    let source = feed.title.as_ref().and_then(|t| plain(&t.content));
    Ok(feed
        .entries
        .into_iter()
        .map(|e| {
            let url = e
                .links
                .iter()
                .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
                .or(e.links.first())
                .map(|l| l.href.trim().to_string())
                .filter(|l| !l.is_empty());
            let id = Some(e.id.trim().to_string())
                .filter(|i| !i.is_empty())
                .or_else(|| url.clone());
            let content = e.content.as_ref().and_then(|c| {
                let body = c.body.as_deref()?;
                let p = paragraphs(body, c.content_type.essence().to_string().contains("html"));
                (!p.is_empty()).then_some(p)
            });
            let full_content = content.is_some();
            let paragraphs = content
                .or_else(|| {
                    let s = e.summary.as_ref()?;
                    let p = paragraphs(&s.content, s.content_type.to_string().contains("html"));
                    (!p.is_empty()).then_some(p)
                })
                .unwrap_or_default();
            FeedItem {
                id,
                title: e.title.as_ref().and_then(|t| plain(&t.content)),
                date: e.published.or(e.updated).map(|d| d.to_rfc3339()),
                source: source.clone(),
                url,
                paragraphs,
                full_content,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    const RSS: &[u8] = include_bytes!("../../tests/fixtures/news/kikurier-rss.xml");
    const ATOM: &[u8] = include_bytes!("../../tests/fixtures/news/forschung-atom.xml");
    const JSON_FEED: &[u8] = include_bytes!("../../tests/fixtures/news/blog-feed.json");

    #[test]
    fn rss_items_with_full_content_and_with_teasers() {
        assert!(looks_like_feed(RSS));
        let items = parse(RSS, None).unwrap();
        assert_eq!(items.len(), 3);
        let first = &items[0];
        assert_eq!(first.id.as_deref(), Some("kikurier-2025-0412"));
        assert_eq!(
            first.title.as_deref(),
            Some("Rechenzentrum in Brandenburg nimmt Betrieb auf")
        );
        assert_eq!(first.source.as_deref(), Some("KI-Kurier"));
        assert_eq!(first.date.as_deref(), Some("2025-04-12T07:30:00+00:00"));
        assert_eq!(
            first.url.as_deref(),
            Some("https://kikurier.example/2025/rechenzentrum-brandenburg")
        );
        assert!(first.full_content);
        assert_eq!(first.paragraphs.len(), 3, "{:?}", first.paragraphs);
        assert_eq!(first.paragraphs[1], "Kühlung mit Seewasser");
        // A teaser-only item: the description is the body.
        assert!(!items[1].full_content);
        assert_eq!(items[1].paragraphs.len(), 1);
        // No guid: the link is the id.
        assert_eq!(
            items[2].id.as_deref(),
            Some("https://kikurier.example/2025/ohne-guid")
        );
    }

    #[test]
    fn atom_and_json_feed() {
        assert!(looks_like_feed(ATOM));
        let items = parse(ATOM, None).unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(
            items[0].id.as_deref(),
            Some("tag:forschung.example,2025:sprachmodelle-dialekte")
        );
        assert_eq!(items[0].source.as_deref(), Some("Forschung aktuell"));
        assert_eq!(items[0].date.as_deref(), Some("2025-05-02T08:00:00+00:00"));
        assert!(items[0].full_content);
        assert!(!items[1].full_content);
        assert!(looks_like_feed(JSON_FEED));
        let items = parse(JSON_FEED, None).unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(
            items[0].id.as_deref(),
            Some("https://blog.example/2025/eval")
        );
        assert_eq!(items[0].paragraphs.len(), 2);
        assert_eq!(
            items[1].paragraphs,
            ["Nur eine kurze Zusammenfassung ohne Auszeichnung."]
        );
    }

    #[test]
    fn html_and_junk_are_not_feeds() {
        assert!(!looks_like_feed(
            b"<!DOCTYPE html><html><body><p>rss</p></body></html>"
        ));
        assert!(!looks_like_feed(b"{\"body\": \"x\"}"));
        assert!(matches!(
            parse(b"kein feed", None),
            Err(ArticleError::Feed(_))
        ));
    }
}
