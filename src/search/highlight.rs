//! Which words of a passage matched, and which part of it to show.
//!
//! The passage is re-analysed with the index-side analyzer, so a query word
//! highlights every form the index matched: `Sicherheit` marks the whole
//! «Sicherheitslücken», `Open-Source` marks «Open Source».

use std::ops::Range;

use super::query::Terms;
use crate::analysis::{Analyzer, Rule, tokenizer, word};

/// Byte ranges of `text` whose terms are in `terms`, sorted, overlaps merged.
pub fn find(analyzer: &mut Analyzer, text: &str, terms: &Terms) -> Vec<Range<usize>> {
    find_weighted(analyzer, text, terms).0
}

/// A word of the text that is a query word (`Datenschutz` for the query
/// `Datenschutz`).
const WHOLE: u8 = 2;
/// A word that matched only through a compound part, of the query word
/// (`Daten` for `Datenschutz`) or of the text's word (`Datenschutzregeln`).
const PART: u8 = 1;

/// Like [`find`], with the weight of each range: [`WHOLE`] or [`PART`].
pub fn find_weighted(
    analyzer: &mut Analyzer,
    text: &str,
    terms: &Terms,
) -> (Vec<Range<usize>>, Vec<u8>) {
    if terms.is_empty() {
        return (Vec::new(), Vec::new());
    }
    // Analysing every word of every hit (dictionary look-ups for each new
    // word) was most of the cost of a hit. A word can only produce a query
    // term if, folded, it contains the term's first letters: the term is
    // its stem, a compound part or its lemma. Only such words are analysed.
    let heads: Vec<String> = terms
        .exact
        .iter()
        .chain(&terms.prefixes)
        // Lowercase: acronym terms are in capitals (`KI`).
        .map(|t| {
            t.chars()
                .take(HEAD_CHARS)
                .collect::<String>()
                .to_lowercase()
        })
        .collect();
    let mut ranges: Vec<(Range<usize>, u8)> = Vec::new();
    for group in tokenizer::groups(text) {
        let (Some(first), Some(last)) = (group.parts.first(), group.parts.last()) else {
            continue;
        };
        let span = first.span.start..last.span.end;
        // Without hyphens: the joined spelling (`email` in "E-Mail") is a
        // term of the group too.
        let folded: String = fold(&text[span.clone()])
            .chars()
            .filter(|c| !matches!(c, '-' | '\u{2010}' | '\u{2011}'))
            .collect();
        if !heads.iter().any(|h| folded.contains(h.as_str())) {
            continue;
        }
        analyzer.for_each_token(&text[span.clone()], |t| {
            if terms.matches(t.term) {
                let weight = if t.rule == Rule::CompoundPart || terms.parts.contains(t.term) {
                    PART
                } else {
                    WHOLE
                };
                ranges.push((span.start + t.from..span.start + t.to, weight));
            }
        });
    }
    merge(ranges)
}

/// Letters of a query term a matching word must contain (after folding).
const HEAD_CHARS: usize = 2;

/// Lowercase, umlaut digraphs and accents folded the way index terms are.
fn fold(surface: &str) -> String {
    let lower = surface.to_lowercase();
    let (digraphs, _) = word::normalize_digraphs(&lower);
    word::fold_accents(digraphs).0
}

/// Sorts and merges overlapping ranges; a merged range keeps its
/// strongest weight.
fn merge(mut ranges: Vec<(Range<usize>, u8)>) -> (Vec<Range<usize>>, Vec<u8>) {
    ranges.sort_by_key(|(r, _)| (r.start, std::cmp::Reverse(r.end)));
    let mut out: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    let mut weights: Vec<u8> = Vec::with_capacity(ranges.len());
    for (r, w) in ranges {
        match (out.last_mut(), weights.last_mut()) {
            (Some(last), Some(lw)) if r.start < last.end => {
                last.end = last.end.max(r.end);
                *lw = (*lw).max(w);
            }
            _ => {
                out.push(r);
                weights.push(w);
            }
        }
    }
    (out, weights)
}

/// Converts byte ranges into `[start, end)` character offsets.
pub fn char_offsets(text: &str, ranges: &[Range<usize>]) -> Vec<[usize; 2]> {
    let mut out = Vec::with_capacity(ranges.len());
    let mut chars = 0;
    let mut byte = 0;
    let advance = |to: usize, chars: &mut usize, byte: &mut usize| {
        *chars += text[*byte..to].chars().count();
        *byte = to;
    };
    for r in ranges {
        advance(r.start, &mut chars, &mut byte);
        let start = chars;
        advance(r.end, &mut chars, &mut byte);
        out.push([start, chars]);
    }
    out
}

/// The byte range of `text` to show when it is longer than `max_chars`:
/// the window with the strongest distinct highlighted words (whole query
/// words before compound parts; `weights` parallel to `highlights`, empty
/// for all equal), widened to word boundaries. The whole text when it fits.
pub fn window(
    text: &str,
    highlights: &[Range<usize>],
    weights: &[u8],
    max_chars: usize,
) -> Range<usize> {
    let total = text.chars().count();
    if total <= max_chars {
        return 0..text.len();
    }
    // Character index of every byte offset we care about.
    let char_at = |byte: usize| text[..byte].chars().count();
    let byte_at = |ch: usize| text.char_indices().nth(ch).map_or(text.len(), |(b, _)| b);
    let lead = max_chars / 6;
    let mut best = (0usize, 0usize); // (score, start char)
    for (i, h) in highlights.iter().enumerate() {
        let start = char_at(h.start).saturating_sub(lead);
        let end = start + max_chars;
        let mut seen: Vec<(String, usize)> = Vec::new();
        for (j, other) in highlights.iter().enumerate().skip(i) {
            if char_at(other.end) > end {
                break;
            }
            let word = text[other.clone()].to_lowercase();
            let weight = usize::from(weights.get(j).copied().unwrap_or(WHOLE));
            match seen.iter_mut().find(|(w, _)| *w == word) {
                Some((_, best)) => *best = (*best).max(weight),
                None => seen.push((word, weight)),
            }
        }
        let strength: usize = seen.iter().map(|(_, w)| w).sum();
        let score = strength * 1000 + (highlights.len() - i);
        if score > best.0 {
            best = (score, start);
        }
    }
    let start_char = best.1.min(total.saturating_sub(max_chars));
    let mut start = byte_at(start_char);
    let mut end = byte_at(start_char + max_chars);
    // Widen to word boundaries so no word is cut in half.
    if start > 0 {
        start = text[..start].rfind(char::is_whitespace).map_or(0, |i| {
            i + text[i..].chars().next().map_or(1, char::len_utf8)
        });
    }
    if end < text.len() {
        end = text[end..]
            .find(char::is_whitespace)
            .map_or(text.len(), |i| end + i);
    }
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(words: &[&str]) -> Terms {
        Terms {
            exact: words.iter().map(|w| w.to_string()).collect(),
            ..Terms::default()
        }
    }

    #[test]
    fn stemmed_and_hyphen_forms_highlight_whole_words() {
        let text = "Sicherheitslücken in Open-Source-Modellen";
        let mut a = Analyzer::index();
        let found = find(&mut a, text, &terms(&["sicherheitsluck", "opensourc"]));
        let spans: Vec<&str> = found.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(spans, vec!["Sicherheitslücken", "Open-Source"]);
    }

    #[test]
    fn char_offsets_count_characters() {
        let text = "Größe über alles";
        let r = vec![Range { start: 0, end: 7 }];
        assert_eq!(&text[0..7], "Größe");
        assert_eq!(char_offsets(text, &r), vec![[0, 5]]);
        let r = vec![Range { start: 14, end: 19 }];
        assert_eq!(&text[14..19], "alles");
        assert_eq!(char_offsets(text, &r), vec![[11, 16]]);
    }

    #[test]
    fn window_prefers_dense_matches_and_whole_words() {
        let filler = "wort ".repeat(100);
        let text = format!("{filler}KI Sicherheit KI {filler}");
        let start = text.find("KI").unwrap();
        let h = vec![start..start + 2, start + 3..start + 13];
        let w = window(&text, &h, &[], 100);
        assert!(w.start <= start && w.end >= start + 13);
        assert!(text[w.clone()].chars().count() <= 110);
        assert!(!text[w.clone()].starts_with(' ') && text[..w.start].ends_with(' '));
    }

    #[test]
    fn short_text_is_shown_whole() {
        assert_eq!(window("kurz", &[], &[], 100), 0..4);
    }

    #[test]
    fn window_prefers_whole_query_words_to_compound_parts() {
        let filler = "wort ".repeat(100);
        let text = format!("Daten bei Facebook {filler}Datenschutz bei Facebook {filler}");
        let mut a = Analyzer::index();
        let mut t = terms(&["datenschutz", "dat", "schutz", "facebook"]);
        t.parts = ["dat", "schutz"].iter().map(|w| w.to_string()).collect();
        let (ranges, weights) = find_weighted(&mut a, &text, &t);
        let spans: Vec<&str> = ranges.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(spans, ["Daten", "Facebook", "Datenschutz", "Facebook"]);
        assert_eq!(weights, [PART, WHOLE, WHOLE, WHOLE]);
        let w = window(&text, &ranges, &weights, 100);
        assert!(text[w].contains("Datenschutz bei Facebook"));
        // Without weights, the first window (as many distinct words) wins.
        let w = window(&text, &ranges, &[], 100);
        assert!(text[w].starts_with("Daten bei Facebook"));
    }
}
