//! Sanitising what is printed.
//!
//! Text printed for people comes from articles, files and users: titles,
//! passages, sources, ids, file names, query text. Control characters (C0,
//! DEL, C1 such as U+009B CSI) and bidi overrides (U+202E) in it would move
//! the cursor, recolour or clear the terminal, or show a line reordered, so
//! they never reach it raw. Machine formats escape them instead.

use std::borrow::Cow;

use crate::search::Hit;

/// Does `c` act on the terminal or on the order of the text, rather than
/// show? Line ends and tabs are layout, and stay.
fn is_hostile(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(
            c,
            '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

/// `s` with every hostile character replaced by a visible one of the same
/// UTF-8 length (`?`, `¿` or `�`), so that byte offsets into it, such as
/// highlight ranges, stay valid.
pub fn printable(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_hostile) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| match c {
                c if !is_hostile(c) => c,
                c if c.len_utf8() == 1 => '?',
                c if c.len_utf8() == 2 => '¿',
                _ => '\u{fffd}',
            })
            .collect(),
    )
}

/// `s` with every hostile character written as an escape (`\u{1b}`): for
/// ids in TSV and TREC output.
pub fn escaped(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_hostile) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_hostile(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A hit whose text fields are [`printable`] (its ranges stay valid).
pub fn hit(hit: &Hit) -> Cow<'_, Hit> {
    let fields = [
        Some(&hit.title),
        Some(&hit.text),
        Some(&hit.article_id),
        Some(&hit.passage_id),
        hit.date.as_ref(),
        hit.source.as_ref(),
        hit.url.as_ref(),
    ];
    if !fields.iter().flatten().any(|f| f.chars().any(is_hostile)) {
        return Cow::Borrowed(hit);
    }
    let clean = |s: &String| printable(s).into_owned();
    let mut out = hit.clone();
    out.title = clean(&hit.title);
    out.text = clean(&hit.text);
    out.article_id = clean(&hit.article_id);
    out.passage_id = clean(&hit.passage_id);
    out.date = hit.date.as_ref().map(clean);
    out.source = hit.source.as_ref().map(clean);
    out.url = hit.url.as_ref().map(clean);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_characters_become_visible_ones_of_the_same_length() {
        let s = "a\u{1b}[2J\u{7f}\u{9b}\u{202e}b\n\tc";
        let p = printable(s);
        assert_eq!(p, "a?[2J?¿\u{fffd}b\n\tc");
        assert_eq!(p.len(), s.len());
        assert!(matches!(printable("Grüße"), Cow::Borrowed(_)));
    }

    #[test]
    fn ids_are_escaped_for_machine_formats() {
        assert_eq!(escaped("q\u{1b}x\u{202e}"), "q\\u{1b}x\\u{202e}");
        assert_eq!(escaped("plain"), "plain");
    }
}
