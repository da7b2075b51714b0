//! Invariants shared by the `article_*` targets.

use lupe::article::{At, Item, read_bytes};
use unicode_normalization::is_nfc;

/// Reads `bytes` as a file called `name` and checks every item.
pub fn check_file(name: &str, bytes: &[u8]) {
    let items = read_bytes(name, bytes);
    let mut last_bytes = 0u64;
    for item in &items {
        match item {
            Item::Article(record) => {
                let a = &record.article;
                // Validation promises.
                assert!(!a.body.trim().is_empty(), "empty body: {a:?}");
                assert!(!a.id.is_empty(), "empty id: {a:?}");
                assert!(a.id.len() <= 512, "id longer than 512 bytes: {a:?}");
                assert!(
                    !a.id.chars().any(|c| c.is_whitespace() || c.is_control()),
                    "id with whitespace or control characters: {:?}",
                    a.id
                );
                let optional = [a.source.as_deref(), a.url.as_deref()];
                let fields = [
                    Some(a.id.as_str()),
                    Some(a.title.as_str()),
                    Some(a.body.as_str()),
                ];
                for text in fields.into_iter().chain(optional).flatten() {
                    assert!(is_nfc(text), "not NFC: {text:?}");
                    assert!(!text.contains('\0'), "NUL byte: {text:?}");
                    assert!(!text.contains('\r'), "carriage return: {text:?}");
                    assert!(
                        !text.chars().any(|c| c < ' ' && c != '\n' && c != '\t'),
                        "C0 control character: {text:?}"
                    );
                }
                // One-line fields are single-spaced and trimmed.
                for text in [Some(a.title.as_str())]
                    .into_iter()
                    .chain(optional)
                    .flatten()
                {
                    assert!(
                        !text.contains('\n'),
                        "newline in a one-line field: {text:?}"
                    );
                    assert_eq!(text, text.trim(), "untrimmed one-line field");
                }
                for text in optional.into_iter().flatten() {
                    assert!(!text.is_empty(), "Some(\"\") instead of None: {a:?}");
                }
                // A stored date reads back as itself.
                if let Some(d) = &a.date {
                    let again = lupe::article::date::parse(&d.text);
                    assert_eq!(again.as_ref(), Some(d), "date does not round-trip");
                }
                // Progress counts never run backwards or past the input.
                assert!(record.bytes >= last_bytes, "progress went backwards");
                assert!(
                    record.bytes <= bytes.len() as u64,
                    "progress {} beyond the input's {} bytes",
                    record.bytes,
                    bytes.len()
                );
                last_bytes = record.bytes;
                assert_eq!(record.location.path, name);
                // What ingest does next: a valid body gives passages.
                let passages = lupe::passage::split(&a.body);
                assert!(
                    !passages.is_empty(),
                    "valid body without passages: {:?}",
                    a.body
                );
                assert_eq!(a.content_hash(), a.clone().content_hash());
            }
            Item::Rejected(r) => {
                assert_eq!(r.location.path, name);
                // Every message must render (and say something).
                assert!(!r.error.to_string().is_empty());
            }
        }
        let location = match item {
            Item::Article(r) => &r.location,
            Item::Rejected(r) => &r.location,
        };
        if let Some(At::Line(n) | At::Record(n)) = location.at {
            assert!(n >= 1, "line and record numbers count from 1");
        }
    }
    // Any non-empty input gives at least one item: an article or a reason.
    if !bytes.is_empty() {
        assert!(!items.is_empty(), "input silently ignored");
    }
}
