//! The readable layout of hits for people: rank and title, date, source and
//! passage id, and the fragment that holds the strongest matches, wrapped by
//! display width with a hanging indent; highlights in colour when the caller
//! asks for it, as `**markers**` otherwise.

use std::io::{self, Write};
use std::ops::Range;

use anstyle::{AnsiColor, Effects, Style as Ansi};
use unicode_width::UnicodeWidthStr;

use crate::search::Hit;
use crate::search::highlight;

/// Characters of a passage shown by default: about five terminal lines.
const FRAGMENT_CHARS: usize = 400;

/// Wrap width when the terminal's width is unknown or very wide.
const MAX_WIDTH: usize = 100;

/// What an untitled article shows in place of a title.
const UNTITLED: &str = "(untitled)";

/// How human output looks.
pub struct Style {
    color: bool,
    full: bool,
    width: Option<usize>,
}

impl Style {
    /// Colour on or off, whole passages or fragments, and the width to wrap
    /// at (none: no wrapping, as for a pipe). A width is clamped to 40–100
    /// columns: narrower is unreadable, wider lines are hard to follow.
    pub fn new(color: bool, full: bool, width: Option<usize>) -> Style {
        Style {
            color,
            full,
            width: width.map(|w| w.clamp(40, MAX_WIDTH)),
        }
    }

    fn paint(&self, out: &mut impl Write, text: &str, style: Ansi) -> io::Result<()> {
        if self.color {
            write!(out, "{}{text}{}", style.render(), style.render_reset())
        } else {
            out.write_all(text.as_bytes())
        }
    }
}

const MATCH: Ansi = Ansi::new()
    .fg_color(Some(anstyle::Color::Ansi(AnsiColor::Red)))
    .effects(Effects::BOLD);
const TITLE: Ansi = Ansi::new().effects(Effects::BOLD);
const META: Ansi = Ansi::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::BrightBlack)));

/// A run of text, highlighted or not.
struct Segment<'a> {
    text: &'a str,
    matched: bool,
}

/// Cuts `text[window]` into segments at the highlight boundaries.
fn segments<'a>(text: &'a str, window: Range<usize>, ranges: &[Range<usize>]) -> Vec<Segment<'a>> {
    let mut out = Vec::new();
    let mut at = window.start;
    for r in ranges {
        let (start, end) = (r.start.max(window.start), r.end.min(window.end));
        if start >= end {
            continue;
        }
        if start > at {
            out.push(Segment {
                text: &text[at..start],
                matched: false,
            });
        }
        out.push(Segment {
            text: &text[start..end],
            matched: true,
        });
        at = end;
    }
    if at < window.end {
        out.push(Segment {
            text: &text[at..window.end],
            matched: false,
        });
    }
    out
}

/// Writes segments after `indent` (which the caller has written, or a
/// prefix as wide), wrapping at `style.width` by display width (a CJK
/// character or an emoji takes two columns) with `indent` before every
/// further line: a hanging indent. Unmatched text is painted `plain`.
/// Paragraph breaks (blank lines) in the text are kept.
fn write_wrapped(
    out: &mut impl Write,
    segs: &[Segment],
    style: &Style,
    indent: &str,
    plain: Option<Ansi>,
) -> io::Result<()> {
    let width = style.width.map(|w| w.saturating_sub(indent.width()));
    let mut column = 0;
    let mut space = false;
    for seg in segs {
        let mut first_word = true;
        // Split into words and whitespace, keeping paragraph breaks.
        let mut rest = seg.text;
        while !rest.is_empty() {
            let ws_len = rest.len() - rest.trim_start().len();
            if ws_len > 0 {
                let ws = &rest[..ws_len];
                rest = &rest[ws_len..];
                if ws.matches('\n').count() >= 2 {
                    write!(out, "\n\n{indent}")?;
                    column = 0;
                    space = false;
                } else {
                    space = column > 0;
                }
                continue;
            }
            let word_len = rest.find(char::is_whitespace).unwrap_or(rest.len());
            let word = &rest[..word_len];
            rest = &rest[word_len..];
            // Markers take columns too.
            let markers = if seg.matched && !style.color {
                2 * (usize::from(first_word) + usize::from(rest.trim_start().is_empty()))
            } else {
                0
            };
            let n = word.width() + markers;
            if let Some(w) = width
                && column > 0
                && column + 1 + n > w
            {
                write!(out, "\n{indent}")?;
                column = 0;
            } else if space {
                out.write_all(b" ")?;
                column += 1;
            }
            space = false;
            if seg.matched && style.color {
                style.paint(out, word, MATCH)?;
            } else {
                // One pair of markers around a whole highlighted run.
                if seg.matched && first_word {
                    out.write_all(b"**")?;
                }
                match plain {
                    Some(p) if !seg.matched => style.paint(out, word, p)?,
                    _ => out.write_all(word.as_bytes())?,
                }
            }
            first_word = false;
            column += n;
        }
        if seg.matched && !style.color && !first_word {
            out.write_all(b"**")?;
        }
    }
    writeln!(out)
}

/// Merges `**a** **b**` into one marked run when highlights touch words that
/// are separated by only a space, so markers stay readable.
fn join_adjacent(text: &str, ranges: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    for r in ranges {
        if let Some(last) = out.last_mut()
            && text[last.end..r.start]
                .chars()
                .all(|c| c == '-' || (c.is_whitespace() && c != '\n'))
        {
            last.end = r.end;
            continue;
        }
        out.push(r.clone());
    }
    out
}

/// The readable layout: `rank. title` (ranks right-aligned), then
/// date · source · passage id and the fragment, indented under the title.
pub fn human(out: &mut impl Write, hits: &[Hit], style: &Style) -> io::Result<()> {
    let digits = hits
        .iter()
        .map(|h| h.rank)
        .max()
        .unwrap_or(1)
        .to_string()
        .len();
    let indent = " ".repeat(digits + 2);
    for (i, hit) in hits.iter().enumerate() {
        let hit = &*super::sanitize::hit(hit);
        if i > 0 {
            writeln!(out)?;
        }
        style.paint(out, &format!("{:>digits$}. ", hit.rank), TITLE)?;
        if hit.title.is_empty() {
            style.paint(out, UNTITLED, TITLE)?;
            writeln!(out)?;
        } else {
            let title_ranges = join_adjacent(&hit.title, &hit.title_ranges);
            let segs = segments(&hit.title, 0..hit.title.len(), &title_ranges);
            write_wrapped(out, &segs, style, &indent, Some(TITLE))?;
        }
        let mut meta: Vec<&str> = Vec::new();
        if let Some(d) = &hit.date {
            meta.push(d.get(..10).unwrap_or(d));
        }
        if let Some(s) = &hit.source {
            meta.push(s);
        }
        meta.push(&hit.passage_id);
        out.write_all(indent.as_bytes())?;
        style.paint(out, &meta.join(" · "), META)?;
        writeln!(out)?;
        let window = if style.full {
            0..hit.text.len()
        } else {
            highlight::window(
                &hit.text,
                &hit.text_ranges,
                &hit.text_weights,
                FRAGMENT_CHARS,
            )
        };
        let ranges = join_adjacent(&hit.text, &hit.text_ranges);
        let mut segs = Vec::new();
        if window.start > 0 {
            segs.push(Segment {
                text: "… ",
                matched: false,
            });
        }
        segs.extend(segments(&hit.text, window.clone(), &ranges));
        if window.end < hit.text.len() {
            segs.push(Segment {
                text: " …",
                matched: false,
            });
        }
        out.write_all(indent.as_bytes())?;
        write_wrapped(out, &segs, style, &indent, None)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(text: &str, ranges: Vec<Range<usize>>) -> Hit {
        Hit {
            rank: 1,
            score: 1.0,
            article_id: "a".into(),
            passage_id: "a#0".into(),
            passage: 0,
            title: "Titel".into(),
            date: Some("2025-03-01".into()),
            source: Some("KI-Kurier".into()),
            url: None,
            text: text.into(),
            highlights: vec![],
            text_ranges: ranges,
            text_weights: vec![],
            title_ranges: vec![],
        }
    }

    #[test]
    fn markers_without_colour() {
        let h = hit("Die Sicherheit von KI", vec![Range { start: 4, end: 14 }]);
        let mut buf = Vec::new();
        let style = Style {
            color: false,
            full: false,
            width: None,
        };
        human(&mut buf, &[h], &style).unwrap();
        let s = String::from_utf8(buf).unwrap();
        assert_eq!(
            s,
            "1. Titel\n   2025-03-01 · KI-Kurier · a#0\n   Die **Sicherheit** von KI\n"
        );
    }

    #[test]
    fn colour_uses_ansi() {
        let h = hit("Die Sicherheit", vec![Range { start: 4, end: 14 }]);
        let mut buf = Vec::new();
        let style = Style {
            color: true,
            full: false,
            width: None,
        };
        human(&mut buf, &[h], &style).unwrap();
        let s = String::from_utf8(buf).unwrap();
        assert!(s.contains("\u{1b}["));
        assert!(!s.contains("**"));
    }

    #[test]
    fn wrapping_and_paragraphs() {
        let h = hit("eins zwei drei vier\n\nfünf", vec![]);
        let mut buf = Vec::new();
        let style = Style {
            color: false,
            full: true,
            width: Some(15),
        };
        human(&mut buf, &[h], &style).unwrap();
        let s = String::from_utf8(buf).unwrap();
        assert!(
            s.ends_with("   eins zwei\n   drei vier\n\n   fünf\n"),
            "{s:?}"
        );
    }

    #[test]
    fn ranks_align_and_long_titles_hang_under_the_title() {
        let mut hits: Vec<Hit> = (1..=10)
            .map(|rank| Hit {
                rank,
                ..hit("Text", vec![])
            })
            .collect();
        hits[9].title = "Ein sehr langer Titel über Rechenzentren".into();
        let mut buf = Vec::new();
        let style = Style {
            color: false,
            full: true,
            width: Some(24),
        };
        human(&mut buf, &hits, &style).unwrap();
        let s = String::from_utf8(buf).unwrap();
        assert!(
            s.starts_with(" 1. Titel\n    2025-03-01 · KI-Kurier · a#0\n    Text\n"),
            "{s}"
        );
        assert!(
            s.ends_with("10. Ein sehr langer\n    Titel über\n    Rechenzentren\n    2025-03-01 · KI-Kurier · a#0\n    Text\n"),
            "{s}"
        );
    }

    #[test]
    fn wide_characters_wrap_by_display_width() {
        // Six CJK characters are twelve columns: with 3 + 13 columns, two
        // such words do not fit on one line, though they are 13 characters.
        let h = hit("人工智能研究 人工智能研究", vec![]);
        let mut buf = Vec::new();
        let style = Style {
            color: false,
            full: true,
            width: Some(16),
        };
        human(&mut buf, &[h], &style).unwrap();
        let s = String::from_utf8(buf).unwrap();
        assert!(s.ends_with("   人工智能研究\n   人工智能研究\n"), "{s:?}");
    }

    #[test]
    fn untitled_is_english() {
        let mut h = hit("Text", vec![]);
        h.title.clear();
        let mut buf = Vec::new();
        let style = Style {
            color: false,
            full: true,
            width: None,
        };
        human(&mut buf, &[h], &style).unwrap();
        assert!(
            String::from_utf8(buf)
                .unwrap()
                .starts_with("1. (untitled)\n")
        );
    }

    #[test]
    fn adjacent_highlights_join() {
        let text = "Open Source Software";
        assert_eq!(join_adjacent(text, &[0..4, 5..11]), vec![0..11]);
    }
}
