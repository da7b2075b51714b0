//! Articles: reading them from files, validating them, giving them ids.
//!
//! Readers turn files into a stream of [`Item`]s: valid [`Record`]s, or
//! [`Rejected`] entries that say where (file and line or record) and why.
//! One bad record never stops the others. All text leaves this module in
//! Unicode NFC with `\n` line ends, so the analyzer sees one spelling of
//! every word.

pub mod date;
pub mod feed;
pub mod html;
mod json;
mod markdown;
mod nesting;
mod read;
mod text;

use std::fmt;

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

pub use date::ArticleDate;
pub use read::{Input, Reader, input_size, read_bytes};

/// Ids longer than this are rejected: an id is a key, not content.
const MAX_ID_BYTES: usize = 512;

/// A validated article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    /// Unique key; given, or derived from title and body.
    pub id: String,
    /// Headline (may be empty).
    pub title: String,
    /// Full text, paragraphs separated by blank lines.
    pub body: String,
    /// Publication date.
    pub date: Option<ArticleDate>,
    /// Publisher or outlet.
    pub source: Option<String>,
    /// Where the article lives online.
    pub url: Option<String>,
}

impl Article {
    /// A hash of everything that is indexed; equal hashes mean "unchanged".
    pub fn content_hash(&self) -> u64 {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        for part in [
            self.id.as_str(),
            &self.title,
            &self.body,
            self.date.as_ref().map_or("", |d| d.text.as_str()),
            self.source.as_deref().unwrap_or(""),
            self.url.as_deref().unwrap_or(""),
        ] {
            h.update(&(part.len() as u64).to_le_bytes());
            h.update(part.as_bytes());
        }
        h.digest()
    }
}

/// Where a record came from, for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file (`-` for standard input).
    pub path: String,
    /// Line number (JSON Lines) or record number (JSON arrays), from 1.
    pub at: Option<At>,
}

/// A position inside a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum At {
    /// A line of a JSON Lines file.
    Line(usize),
    /// An element of a JSON array.
    Record(usize),
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.at {
            None => write!(f, "{}", self.path),
            Some(At::Line(n)) => write!(f, "{}:{n}", self.path),
            Some(At::Record(n)) => write!(f, "{} (record {n})", self.path),
        }
    }
}

/// The longest JSON Lines record lupe reads (one line): longer ones are
/// rejected and skipped without being held in memory.
pub const MAX_RECORD_BYTES: usize = 256 << 20;

/// Why a record or file was not ingested.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ArticleError {
    /// The file could not be read.
    #[error("cannot read: {0}")]
    Unreadable(String),
    /// The file's extension names no supported format.
    #[error(
        "unknown file type {0:?}: lupe reads .jsonl, .ndjson, .json, .md, .markdown, .txt, .html and .htm"
    )]
    UnknownFormat(String),
    /// A file in a folder whose extension names no supported format: a
    /// file of another type, skipped (not rejected).
    #[error("a file of another type ({0}), skipped")]
    OtherType(String),
    /// The file holds nothing.
    #[error("the file is empty")]
    EmptyFile,
    /// The bytes are not UTF-8 text.
    #[error("not UTF-8 text (byte {0}); convert the file to UTF-8")]
    InvalidUtf8(usize),
    /// A symbolic link in a folder leads out of it.
    #[error("a symbolic link out of the folder (to {0}); not followed without --follow")]
    LinkOut(String),
    /// A FIFO, socket or device in a folder.
    #[error("{0}, not a file; skipped")]
    Special(&'static str),
    /// The file looks like a binary format.
    #[error("this is a binary file ({0}), not text")]
    Binary(&'static str),
    /// A JSON Lines record longer than [`MAX_RECORD_BYTES`].
    #[error("the record is longer than {max} MiB ({0} bytes); it was skipped", max = MAX_RECORD_BYTES >> 20)]
    RecordTooLong(u64),
    /// JSON syntax error.
    #[error("invalid JSON: {0}")]
    Json(String),
    /// A JSON record is not an object.
    #[error("expected a JSON object with a \"body\", found {0}")]
    NotAnObject(&'static str),
    /// A field has the wrong JSON type.
    #[error("field \"{field}\" must be a string, found {found}")]
    WrongType {
        /// The field name.
        field: &'static str,
        /// The JSON type found.
        found: &'static str,
    },
    /// No `body`.
    #[error("missing \"body\"")]
    MissingBody,
    /// A `body` with no text.
    #[error("\"body\" is empty")]
    EmptyBody,
    /// An unusable id.
    #[error("invalid id {id:?}: {reason}")]
    BadId {
        /// The id as given (shortened).
        id: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A date that is not ISO 8601.
    #[error(
        "invalid date {0:?}: use ISO 8601 between 1678 and 2261, e.g. 2025-03-01 or 2025-03-01T09:30:00+01:00"
    )]
    BadDate(String),
    /// A URL that could not be fetched.
    #[error("{0}")]
    Fetch(String),
    /// A feed that could not be parsed.
    #[error("invalid feed: {0}")]
    Feed(String),
    /// A web page in which no article text was found.
    #[error("no article text found in this page")]
    NoArticle,
    /// Broken YAML front matter.
    #[error("invalid front matter: {0}")]
    FrontMatter(String),
}

/// A record that could not be ingested.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    /// Where it was.
    pub location: Location,
    /// Why it was rejected.
    pub error: ArticleError,
}

/// A valid article and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The article.
    pub article: Article,
    /// Where it was read.
    pub location: Location,
    /// Bytes of input consumed up to and including this record (for progress).
    pub bytes: u64,
}

/// One result of reading input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// A valid article.
    Article(Record),
    /// A record or file that was skipped.
    Rejected(Rejected),
}

/// Article fields as found in a file, before validation.
#[derive(Debug, Default)]
pub(crate) struct RawArticle {
    pub id: Option<String>,
    pub title: Option<String>,
    pub body: Option<String>,
    pub date: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
}

/// The host of a URL as written, with its port: `heise.de:443` of
/// `https://heise.de:443/news?x` (the part after the scheme, up to the
/// path, query or fragment).
pub fn host_of(url: &str) -> &str {
    url.split("://")
        .nth(1)
        .unwrap_or(url)
        .split(['/', '?', '#'])
        .next()
        .unwrap_or("")
}

/// Unicode NFC, `\n` line ends, no NUL or other C0 controls except tab and
/// newline (they break terminals and mean nothing in news text).
pub fn clean_text(s: &str) -> String {
    let needs_scrub = s.bytes().any(|b| b < 0x20 && b != b'\n' && b != b'\t');
    let scrubbed: std::borrow::Cow<str> = if needs_scrub {
        let s = s.replace("\r\n", "\n").replace('\r', "\n");
        s.chars()
            .filter(|&c| c >= ' ' || c == '\n' || c == '\t')
            .collect::<String>()
            .into()
    } else {
        s.into()
    };
    if is_nfc_quick(scrubbed.chars()) == IsNormalized::Yes {
        scrubbed.into_owned()
    } else {
        scrubbed.nfc().collect()
    }
}

fn clean_optional(s: Option<String>) -> Option<String> {
    s.map(|s| clean_text(s.trim()))
        .filter(|s| !s.is_empty())
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// A stable id for an article without one: a hash of its title and body.
pub fn derived_id(title: &str, body: &str) -> String {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(title.as_bytes());
    h.update(&[0]);
    h.update(body.as_bytes());
    format!("{:016x}", h.digest())
}

fn check_id(id: &str) -> Result<(), ArticleError> {
    let reason = if id.is_empty() {
        Some("it is empty")
    } else if id.len() > MAX_ID_BYTES {
        Some("it is longer than 512 bytes")
    } else if id.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Some("ids may not contain spaces, tabs, newlines or control characters")
    } else {
        None
    };
    match reason {
        Some(reason) => Err(ArticleError::BadId {
            id: id.chars().take(80).collect(),
            reason,
        }),
        None => Ok(()),
    }
}

impl RawArticle {
    /// Validates and normalises the fields into an [`Article`].
    pub(crate) fn validate(self) -> Result<Article, ArticleError> {
        let body = self.body.ok_or(ArticleError::MissingBody)?;
        let body = clean_text(body.trim());
        if body.trim().is_empty() {
            return Err(ArticleError::EmptyBody);
        }
        let title = clean_optional(self.title).unwrap_or_default();
        let date = match self.date.map(|d| d.trim().to_string()) {
            Some(d) if !d.is_empty() => Some(
                date::parse(&d)
                    .ok_or_else(|| ArticleError::BadDate(d.chars().take(60).collect()))?,
            ),
            _ => None,
        };
        let id = match self.id {
            Some(id) => {
                let id = clean_text(&id);
                check_id(&id)?;
                id
            }
            None => derived_id(&title, &body),
        };
        Ok(Article {
            id,
            title,
            body,
            date,
            source: clean_optional(self.source),
            url: clean_optional(self.url),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(body: &str) -> RawArticle {
        RawArticle {
            body: Some(body.into()),
            ..RawArticle::default()
        }
    }

    #[test]
    fn nfc_and_line_ends() {
        let a = raw("Lu\u{0308}cke\r\n\r\nzwei").validate().unwrap();
        assert_eq!(a.body, "Lücke\n\nzwei");
    }

    #[test]
    fn nul_bytes_are_removed() {
        assert_eq!(clean_text("a\0b"), "ab");
    }

    #[test]
    fn derived_ids_are_stable_and_content_based() {
        let a = raw("Text").validate().unwrap();
        let b = raw("Text").validate().unwrap();
        let c = raw("Anderer Text").validate().unwrap();
        assert_eq!(a.id, b.id);
        assert_ne!(a.id, c.id);
        assert_eq!(a.id.len(), 16);
    }

    #[test]
    fn validation_errors() {
        assert_eq!(
            RawArticle::default().validate(),
            Err(ArticleError::MissingBody)
        );
        assert_eq!(raw("  \n ").validate(), Err(ArticleError::EmptyBody));
        let mut r = raw("x");
        r.id = Some("a b".into());
        assert!(matches!(r.validate(), Err(ArticleError::BadId { .. })));
        let mut r = raw("x");
        r.date = Some("morgen".into());
        assert!(matches!(r.validate(), Err(ArticleError::BadDate(_))));
    }

    #[test]
    fn hash_changes_with_any_field() {
        let a = raw("Text").validate().unwrap();
        let mut b = a.clone();
        b.source = Some("Quelle".into());
        assert_ne!(a.content_hash(), b.content_hash());
        assert_eq!(a.content_hash(), a.clone().content_hash());
    }
}
