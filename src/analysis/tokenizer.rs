//! Splits text into words and hyphen groups, with byte spans.
//!
//! This is the only place that decides where a word starts and ends. It knows
//! three German conventions that a plain "split on non-alphanumerics"
//! tokenizer gets wrong:
//!
//! - hyphen compounds (`Open-Source-Software`, `KI-Modelle`) come out as one
//!   [`Group`] of parts, so the analyzer can index the parts *and* the joined
//!   spelling (`opensource`);
//! - gender suffixes written with a separator (`Entwickler:innen`,
//!   `Forscher*innen`, `Nutzer_innen`) stay with their word instead of becoming
//!   a stray `innen` token; the analyzer then drops the suffix;
//! - a possessive `'s` (`OpenAI's`) belongs to its word.
//!
//! It does not lowercase, stem or look words up: that is [`super::word`]'s job.

use std::ops::Range;

/// One word inside a [`Group`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// Byte range of the word itself (what gets analysed).
    pub word: Range<usize>,
    /// Byte range to highlight: the word plus a gender or possessive suffix.
    pub span: Range<usize>,
}

/// A run of words joined by hyphens; a plain word is a group of one part.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Group {
    /// The parts in text order (at least one).
    pub parts: Vec<Part>,
}

/// Characters that join the parts of a hyphen compound. En and em dashes are
/// not among them: German uses them with spaces, as punctuation.
fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Separators of the gender star, colon and underscore forms.
fn is_gender_separator(c: char) -> bool {
    matches!(c, ':' | '*' | '_' | '/' | '\u{00B7}')
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}')
}

/// Returns the length in bytes of `suffix` at the start of `rest` when it is
/// followed by a non-word character or the end, case-insensitively for ASCII.
fn suffix_then_boundary(rest: &str, suffix: &str) -> Option<usize> {
    let head = rest.get(..suffix.len())?;
    if !head.eq_ignore_ascii_case(suffix) {
        return None;
    }
    match rest[suffix.len()..].chars().next() {
        Some(c) if is_word_char(c) => None,
        _ => Some(suffix.len()),
    }
}

/// Programming names are one word: `C++`, `C#`, `F#` (a letter or two
/// with `++` or `#`) and `Node.js`, `Vue.js` (a name with `.js`), so that
/// `C++` does not search for the letter c. Returns the suffix's length.
fn programming_suffix(word: &str, rest: &str) -> usize {
    let short = (1..=2).contains(&word.len()) && word.chars().all(|c| c.is_ascii_alphabetic());
    let candidates: &[&str] = if short { &["++", "#"] } else { &[".js"] };
    for suffix in candidates {
        if rest.starts_with(suffix)
            && !rest[suffix.len()..]
                .chars()
                .next()
                .is_some_and(is_word_char)
            && !(suffix.starts_with('.') && word.chars().next().is_some_and(char::is_lowercase))
        {
            return suffix.len();
        }
    }
    0
}

/// `.NET` starting at the dot: the dot belongs to the name when nothing
/// but a space or punctuation stands before it.
fn dotnet_start(text: &str, start: usize) -> usize {
    let name = &text[start..];
    let is_net = name.get(..3).is_some_and(|n| n.eq_ignore_ascii_case("net"))
        && !name[3..].chars().next().is_some_and(is_word_char);
    if !is_net || start == 0 || text.as_bytes()[start - 1] != b'.' {
        return start;
    }
    // The dot is one byte, so `start - 1` is a char boundary.
    let free_before = text[..start - 1]
        .chars()
        .next_back()
        .is_none_or(|c| !is_word_char(c) && c != '.');
    if free_before { start - 1 } else { start }
}

/// Iterator over the [`Group`]s of a text.
pub struct Groups<'a> {
    text: &'a str,
    pos: usize,
}

/// Splits `text` into groups.
pub fn groups(text: &str) -> Groups<'_> {
    Groups { text, pos: 0 }
}

impl Groups<'_> {
    /// Byte length of the word starting at `start` (a run of word chars,
    /// or a programming name).
    fn word_end(&self, start: usize) -> usize {
        // `.NET` starts at its dot (see `dotnet_start`).
        let letters = start + usize::from(self.text[start..].starts_with('.'));
        let rest = &self.text[letters..];
        let end = rest
            .char_indices()
            .find(|&(_, c)| !is_word_char(c))
            .map_or(self.text.len(), |(i, _)| letters + i);
        if letters > start {
            return end;
        }
        end + programming_suffix(&self.text[start..end], &self.text[end..])
    }

    /// Extends a word ending at `end` over a gender or possessive suffix.
    fn suffix_end(&self, end: usize) -> usize {
        let rest = &self.text[end..];
        let mut chars = rest.chars();
        let Some(sep) = chars.next() else {
            return end;
        };
        let after = &rest[sep.len_utf8()..];
        if is_gender_separator(sep) {
            // "Entwickler/-innen" is rare but occurs in official texts.
            let (after, dash) = match after.strip_prefix('-') {
                Some(a) if sep == '/' => (a, 1),
                _ => (after, 0),
            };
            for suffix in ["innen", "in"] {
                if let Some(n) = suffix_then_boundary(after, suffix) {
                    return end + sep.len_utf8() + dash + n;
                }
            }
        } else if is_apostrophe(sep)
            && let Some(n) = suffix_then_boundary(after, "s")
        {
            return end + sep.len_utf8() + n;
        }
        end
    }
}

impl Iterator for Groups<'_> {
    type Item = Group;

    fn next(&mut self) -> Option<Group> {
        let text = self.text;
        // Skip to the next word character.
        let start = text[self.pos..]
            .char_indices()
            .find(|&(_, c)| is_word_char(c))
            .map(|(i, _)| self.pos + i)?;
        let start = dotnet_start(text, start);
        let mut group = Group::default();
        let mut word_start = start;
        loop {
            let word_end = self.word_end(word_start);
            let span_end = self.suffix_end(word_end);
            group.parts.push(Part {
                word: word_start..word_end,
                span: word_start..span_end,
            });
            self.pos = span_end;
            // Continue the group over a hyphen that is followed by a word.
            let mut rest = text[span_end..].chars();
            match (rest.next(), rest.next()) {
                (Some(h), Some(c)) if span_end == word_end && is_hyphen(h) && is_word_char(c) => {
                    word_start = span_end + h.len_utf8();
                }
                _ => break,
            }
        }
        Some(group)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<Vec<&str>> {
        groups(text)
            .map(|g| g.parts.iter().map(|p| &text[p.word.clone()]).collect())
            .collect()
    }

    fn spans(text: &str) -> Vec<&str> {
        groups(text)
            .flat_map(|g| g.parts)
            .map(|p| &text[p.span])
            .collect()
    }

    #[test]
    fn plain_words_and_punctuation() {
        assert_eq!(
            words("Die KI, sagt sie: „gut“."),
            vec![
                vec!["Die"],
                vec!["KI"],
                vec!["sagt"],
                vec!["sie"],
                vec!["gut"]
            ]
        );
    }

    #[test]
    fn programming_names_are_words() {
        assert_eq!(
            words("C++ und C# oder .NET mit Node.js, nicht Fayçal C. oder Ende.NET"),
            vec![
                vec!["C++"],
                vec!["und"],
                vec!["C#"],
                vec!["oder"],
                vec![".NET"],
                vec!["mit"],
                vec!["Node.js"],
                vec!["nicht"],
                vec!["Fayçal"],
                vec!["C"],
                vec!["oder"],
                vec!["Ende"],
                vec!["NET"],
            ]
        );
    }

    #[test]
    fn hyphen_groups() {
        assert_eq!(
            words("Open-Source-Software für KI-Modelle"),
            vec![
                vec!["Open", "Source", "Software"],
                vec!["für"],
                vec!["KI", "Modelle"]
            ]
        );
    }

    #[test]
    fn suspended_hyphen_and_dash_are_not_groups() {
        assert_eq!(
            words("Sicherheits- und Datenschutzfragen – heute"),
            vec![
                vec!["Sicherheits"],
                vec!["und"],
                vec!["Datenschutzfragen"],
                vec!["heute"]
            ]
        );
    }

    #[test]
    fn gender_suffixes_stay_with_their_word() {
        let text = "Entwickler:innen, Forscher*innen und Nutzer_innen sowie Lehrer/-innen";
        assert_eq!(
            words(text),
            vec![
                vec!["Entwickler"],
                vec!["Forscher"],
                vec!["und"],
                vec!["Nutzer"],
                vec!["sowie"],
                vec!["Lehrer"]
            ]
        );
        assert_eq!(
            spans(text),
            vec![
                "Entwickler:innen",
                "Forscher*innen",
                "und",
                "Nutzer_innen",
                "sowie",
                "Lehrer/-innen"
            ]
        );
    }

    #[test]
    fn colon_before_other_words_is_punctuation() {
        assert_eq!(
            words("Fazit:Innovation"),
            vec![vec!["Fazit"], vec!["Innovation"]]
        );
    }

    #[test]
    fn possessive_s() {
        assert_eq!(spans("OpenAI's Modell"), vec!["OpenAI's", "Modell"]);
        assert_eq!(words("geht's"), vec![vec!["geht"]]);
    }

    #[test]
    fn umlauts_and_digits() {
        assert_eq!(
            words("GPT-4o größer 3,5"),
            vec![vec!["GPT", "4o"], vec!["größer"], vec!["3"], vec!["5"]]
        );
    }
}
