//! From query text to a tantivy query, with lupe's German analysis on every
//! word.
//!
//! The syntax is tantivy's (phrases `"…"`, `+must`, `-must_not`, `AND`,
//! `OR`, parentheses, `^boost`, `field:word`, `date:[a TO b]`, `word*`),
//! parsed by tantivy's own grammar. The leaves are built here rather than by
//! tantivy's `QueryParser`, because German needs what it cannot express: a
//! hyphenated word is the phrase of its parts *or* its joined spelling
//! (`Open-Source` finds "Open Source" and "Opensource"), and the words that
//! matched must be known exactly for highlighting.

use std::ops::Bound;

use rustc_hash::FxHashSet;
use tantivy::DateTime;
use tantivy::Term;
use tantivy::query::{
    BooleanQuery, BoostQuery, Occur, PhrasePrefixQuery, PhraseQuery, Query, RangeQuery, RegexQuery,
    TermQuery,
};
use tantivy::query_grammar::{
    self, Delimiter, UserInputAst, UserInputBound, UserInputLeaf, UserInputLiteral,
};
use tantivy::schema::{Field, IndexRecordOption};
use unicode_normalization::UnicodeNormalization;

use crate::analysis::{Analyzer, Kind, Rule, Side, word};
use crate::article::date;
use crate::error::{Error, Result};
use crate::index::Fields;

/// How strictly a query matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Every word must occur, a compound as itself or as one compound
    /// containing its parts (tried first).
    All,
    /// Words without an operator are optional, and a compound's parts may
    /// stand apart (the fallback that still ranks partial matches).
    Any,
}

/// Weight of a compound query word's parts, relative to the word itself:
/// "Datenspeicherung" finds "Vorratsdatenspeicherung" through its parts, but
/// below passages with the word itself.
pub const PART_WEIGHT: f32 = 0.5;

/// Weight of a compound query word's parts anywhere in the passage
/// ("Erdbebenopfer" → "Opfer des Erdbebens"), in the relaxed mode only. It
/// is low so that the compound itself, which also contains its parts,
/// always ranks above parts far apart. Measured on the relevance set: with
/// it, nDCG@10 of whole-compound queries rose from 0.60 to 0.67–0.71; used
/// in the strict mode too, it let parts of two unrelated compounds
/// ("Landesstraße", "Gegenfahrbahn") stand for "Straßenbahn" (MRR@10 0.984
/// instead of 0.994).
pub const PARTS_ANYWHERE_WEIGHT: f32 = 0.3;

/// The words a query looks for, as index terms, for highlighting.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Terms {
    /// Exact terms.
    pub exact: FxHashSet<String>,
    /// Prefixes from `word*` queries.
    pub prefixes: Vec<String>,
    /// Those of `exact` that are only compound parts of a query word
    /// (weaker matches, when choosing which fragment to show).
    pub parts: FxHashSet<String>,
}

impl Terms {
    /// Does a word's own term match one of the query's words?
    pub fn matches(&self, term: &str) -> bool {
        self.exact.contains(term) || self.prefixes.iter().any(|p| term.starts_with(p.as_str()))
    }

    /// No words at all (a query of stop words, or only exclusions)?
    pub fn is_empty(&self) -> bool {
        self.exact.is_empty() && self.prefixes.is_empty()
    }
}

/// A parsed query, ready to be built in either [`Mode`].
pub struct Parsed {
    ast: UserInputAst,
}

/// Field names users may write before a colon.
const KNOWN_FIELDS: &str = "title:, text:, source: and date:[FROM TO UNTIL]";

/// Rewrites what German text has and tantivy's grammar would misread:
/// typographic quotes become `"`, the colon of `Entwickler:innen` and the
/// apostrophe of `OpenAI's` are escaped, and the text is NFC-normalised.
pub fn preprocess(query: &str) -> String {
    let text: String = query.nfc().collect();
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let prev_is_letter = i > 0 && chars[i - 1].is_alphanumeric();
        let next_is_letter = chars.get(i + 1).is_some_and(|c| c.is_alphanumeric());
        match c {
            '„' | '“' | '”' | '«' | '»' => out.push('"'),
            ':' if prev_is_letter && is_gender_suffix(&chars[i + 1..]) => out.push_str("\\:"),
            '\'' | '’' if prev_is_letter && next_is_letter => out.push_str("\\'"),
            c => out.push(c),
        }
    }
    out
}

fn is_gender_suffix(rest: &[char]) -> bool {
    ["innen", "in"].iter().any(|suffix| {
        let n = suffix.chars().count();
        rest.len() >= n
            && rest[..n].iter().copied().eq(suffix.chars())
            && rest.get(n).is_none_or(|c| !c.is_alphanumeric())
    })
}

/// Parses query text. A syntax error is an [`Error::Query`] that says what
/// to fix.
pub fn parse(query: &str) -> Result<Parsed> {
    let text = preprocess(query);
    if text.trim().is_empty() {
        return Err(Error::Query("the query is empty".into()));
    }
    let ast =
        query_grammar::parse_query(&text).map_err(|_| Error::Query(explain_syntax_error(&text)))?;
    Ok(Parsed { ast })
}

/// Finds the likely cause of a syntax error for the message.
fn explain_syntax_error(text: &str) -> String {
    let quotes = text.chars().filter(|&c| c == '"').count();
    let open = text.chars().filter(|&c| c == '(').count();
    let close = text.chars().filter(|&c| c == ')').count();
    let hint = if quotes % 2 == 1 {
        "a quotation mark is not closed".to_string()
    } else if open != close {
        format!("parentheses do not balance ({open} opened, {close} closed)")
    } else if text.trim_end().ends_with(':') || text.contains(": ") {
        "a field name with a colon needs a word right after it, e.g. title:KI".to_string()
    } else if text.contains('[') || text.contains('{') {
        "a range looks like date:[2024-01-01 TO 2024-12-31]".to_string()
    } else {
        "check operators (AND, OR, +, -), quotes and parentheses".to_string()
    };
    format!("{text:?}: {hint}")
}

/// Finds index terms close to a term (for the typo fallback).
pub type Expander<'e> = &'e dyn Fn(&str) -> Vec<String>;

/// Builds tantivy queries from parsed text.
pub struct Builder<'a> {
    fields: &'a Fields,
    analyzer: Analyzer,
    title_weight: f32,
    terms: Terms,
    expand: Option<Expander<'a>>,
    /// The mode of the query being built (set by [`Builder::build`]).
    mode: Mode,
}

/// Where an unqualified word is searched.
#[derive(Clone, Copy)]
enum Target {
    Default,
    Title,
    Text,
}

impl<'a> Builder<'a> {
    /// A builder for an index with `fields`; title matches count
    /// `title_weight` times a text match.
    pub fn new(fields: &'a Fields, kind: Kind, title_weight: f32) -> Self {
        Builder {
            fields,
            analyzer: Analyzer::new(Side::Query, kind),
            title_weight,
            terms: Terms::default(),
            expand: None,
            mode: Mode::All,
        }
    }

    /// Makes every single query word also match the terms `expand` finds
    /// for it (the typo fallback).
    pub fn with_expander(mut self, expand: Expander<'a>) -> Self {
        self.expand = Some(expand);
        self
    }

    /// Builds the query in `mode`. `None` when nothing is left to search
    /// (only stop words).
    pub fn build(&mut self, parsed: &Parsed, mode: Mode) -> Result<Option<Box<dyn Query>>> {
        if only_exclusions(&parsed.ast) {
            return Err(Error::Query(
                "the query only excludes words (-word); add a word to search for".into(),
            ));
        }
        self.terms = Terms::default();
        self.mode = mode;
        self.node(&parsed.ast, false)
    }

    /// The words of the last built query (not those under `-`).
    pub fn terms(&self) -> &Terms {
        &self.terms
    }

    fn node(&mut self, ast: &UserInputAst, negated: bool) -> Result<Option<Box<dyn Query>>> {
        match ast {
            UserInputAst::Leaf(leaf) => self.leaf(leaf, negated),
            UserInputAst::Boost(sub, boost) => Ok(self.node(sub, negated)?.map(|q| {
                Box::new(BoostQuery::new(q, boost.into_inner() as f32)) as Box<dyn Query>
            })),
            UserInputAst::Clause(clauses) => {
                let mut subs: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                for (occur, sub) in clauses {
                    let occur = match occur {
                        Some(query_grammar::Occur::Must) => Occur::Must,
                        Some(query_grammar::Occur::Should) => Occur::Should,
                        Some(query_grammar::Occur::MustNot) => Occur::MustNot,
                        // source:x and date:[…] written among words filter,
                        // even when the words themselves are optional.
                        None if self.mode == Mode::All || is_filter(sub) => Occur::Must,
                        None => Occur::Should,
                    };
                    let negated = negated || occur == Occur::MustNot;
                    if let Some(q) = self.node(sub, negated)? {
                        subs.push((occur, q));
                    }
                }
                if subs.is_empty() {
                    return Ok(None);
                }
                if subs.iter().all(|(o, _)| *o == Occur::MustNot) {
                    // "Everything except …" is no search (and an excluded
                    // phrase against all passages trips tantivy's debug
                    // checks): ask for a word instead.
                    return Err(Error::Query(
                        "a group only excludes words (-word); add a word to search for".into(),
                    ));
                }
                if subs.len() == 1 && subs[0].0 != Occur::MustNot {
                    return Ok(subs.pop().map(|(_, q)| q));
                }
                Ok(Some(Box::new(BooleanQuery::new(subs))))
            }
        }
    }

    fn leaf(&mut self, leaf: &UserInputLeaf, negated: bool) -> Result<Option<Box<dyn Query>>> {
        match leaf {
            UserInputLeaf::Literal(literal) => self.literal(literal, negated),
            UserInputLeaf::All => Err(Error::Query(
                "* (every passage) is not a search; use words, or `lupe stats` and `lupe show` to browse"
                    .into(),
            )),
            UserInputLeaf::Range {
                field,
                lower,
                upper,
            } => match field.as_deref() {
                Some("date") => self.date_range(lower, upper).map(Some),
                Some(other) => Err(Error::Query(format!(
                    "ranges work on date only, not on {other:?}: date:[2024-01-01 TO 2024-12-31]"
                ))),
                None => Err(Error::Query(
                    "a range needs a field: date:[2024-01-01 TO 2024-12-31]".into(),
                )),
            },
            UserInputLeaf::Set { .. } => Err(Error::Query(
                "IN [...] sets are not supported; use OR between words".into(),
            )),
            UserInputLeaf::Exists { field } => Err(Error::Query(format!(
                "{field}:* (field exists) is not supported"
            ))),
            UserInputLeaf::Regex { .. } => Err(Error::Query(
                "regular expressions are not supported; use word* for a prefix".into(),
            )),
        }
    }

    fn target(&self, literal: &UserInputLiteral) -> Result<Option<Target>> {
        match literal.field_name.as_deref() {
            None => Ok(Some(Target::Default)),
            Some("title") => Ok(Some(Target::Title)),
            Some("text") => Ok(Some(Target::Text)),
            Some("source") => Ok(None),
            Some(other) => Err(Error::Query(format!(
                "unknown field {other:?} in {other}:{}: lupe knows {KNOWN_FIELDS}; \
                 to search the words, write {other}\\:{}",
                literal.phrase, literal.phrase
            ))),
        }
    }

    fn literal(
        &mut self,
        literal: &UserInputLiteral,
        negated: bool,
    ) -> Result<Option<Box<dyn Query>>> {
        let Some(target) = self.target(literal)? else {
            let term = Term::from_field_text(
                self.fields.source,
                &crate::analysis::keyword(&literal.phrase),
            );
            return Ok(Some(Box::new(TermQuery::new(
                term,
                IndexRecordOption::Basic,
            ))));
        };
        let fields: Vec<(Field, f32)> = match target {
            Target::Default => vec![
                (self.fields.text, 1.0),
                (self.fields.title, self.title_weight),
            ],
            Target::Title => vec![(self.fields.title, 1.0)],
            Target::Text => vec![(self.fields.text, 1.0)],
        }
        .into_iter()
        .filter(|&(_, w)| w > 0.0)
        .collect();
        if literal.prefix && literal.delimiter == Delimiter::None {
            return Ok(self.prefix(&literal.phrase, &fields, negated));
        }
        let tokens = self.analyzer.tokens(&literal.phrase);
        let mut main: Vec<(usize, String)> = tokens
            .iter()
            .filter(|t| !matches!(t.rule, Rule::HyphenJoin | Rule::CompoundPart))
            .map(|t| (t.position as usize, t.term.clone()))
            .collect();
        if main.is_empty() {
            return Ok(None);
        }
        let first = main[0].0;
        for (pos, _) in &mut main {
            *pos -= first;
        }
        // Alternatives only for a word as typed: a quoted phrase means
        // exactly these words.
        let unquoted = literal.delimiter == Delimiter::None;
        let of_rule = |rule: Rule| -> Vec<String> {
            if !unquoted {
                return Vec::new();
            }
            tokens
                .iter()
                .filter(|t| t.rule == rule)
                .map(|t| t.term.clone())
                .collect()
        };
        let joins = of_rule(Rule::HyphenJoin);
        let parts = if main.len() == 1 {
            of_rule(Rule::CompoundPart)
        } else {
            Vec::new()
        };
        let mut expansions: Vec<String> = Vec::new();
        if let Some(expand) = self.expand
            && main.len() == 1
            && unquoted
        {
            expansions = expand(&main[0].1);
        }
        if !negated {
            self.terms.exact.extend(main.iter().map(|(_, t)| t.clone()));
            self.terms.exact.extend(joins.iter().cloned());
            self.terms.exact.extend(expansions.iter().cloned());
            if parts.len() >= 2 {
                self.terms.exact.extend(parts.iter().cloned());
                self.terms.parts.extend(parts.iter().cloned());
            }
        }
        let mut per_field: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (field, weight) in fields {
            let term = |t: &str| Term::from_field_text(field, t);
            let term_query = |t: &str| -> Box<dyn Query> {
                Box::new(TermQuery::new(term(t), IndexRecordOption::WithFreqs))
            };
            let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            let terms: Vec<(usize, Term)> = main.iter().map(|(p, t)| (*p, term(t))).collect();
            let main_query: Box<dyn Query> = if terms.len() == 1 {
                term_query(&main[0].1)
            } else if literal.prefix {
                Box::new(PhrasePrefixQuery::new_with_offset(terms))
            } else {
                Box::new(PhraseQuery::new_with_offset_and_slop(terms, literal.slop))
            };
            alternatives.push((Occur::Should, main_query));
            for t in joins.iter().chain(&expansions) {
                alternatives.push((Occur::Should, term_query(t)));
            }
            if parts.len() >= 2 {
                // The parts inside another compound (Datenspeicherung in
                // Vorratsdatenspeicherung: all at one position), or written
                // apart (Opensource as "Open Source"): weaker than the word.
                let same_position: Vec<(usize, Term)> =
                    parts.iter().map(|p| (0, term(p))).collect();
                let apart: Vec<(usize, Term)> = parts
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (i, term(p)))
                    .collect();
                for phrase in [same_position, apart] {
                    alternatives.push((
                        Occur::Should,
                        Box::new(BoostQuery::new(
                            Box::new(PhraseQuery::new_with_offset(phrase)),
                            PART_WEIGHT,
                        )),
                    ));
                }
                // Only in the relaxed mode: parts from two different
                // compounds (Landes·straße, Gegen·fahr·bahn) must not make a
                // passage count as containing "Straßenbahn".
                if self.mode == Mode::Any {
                    let all: Vec<(Occur, Box<dyn Query>)> =
                        parts.iter().map(|p| (Occur::Must, term_query(p))).collect();
                    alternatives.push((
                        Occur::Should,
                        Box::new(BoostQuery::new(
                            Box::new(BooleanQuery::new(all)),
                            PARTS_ANYWHERE_WEIGHT,
                        )),
                    ));
                }
            }
            let query: Box<dyn Query> = if alternatives.len() == 1 {
                alternatives.pop().map(|(_, q)| q).expect("one alternative")
            } else {
                Box::new(BooleanQuery::new(alternatives))
            };
            let query = if weight == 1.0 {
                query
            } else {
                Box::new(BoostQuery::new(query, weight))
            };
            per_field.push((Occur::Should, query));
        }
        Ok(Some(if per_field.len() == 1 {
            per_field.pop().map(|(_, q)| q).expect("one field")
        } else {
            Box::new(BooleanQuery::new(per_field))
        }))
    }

    /// `Sicher*`: every term starting with the normalised, unstemmed prefix.
    fn prefix(
        &mut self,
        word_text: &str,
        fields: &[(Field, f32)],
        negated: bool,
    ) -> Option<Box<dyn Query>> {
        let lower = word_text.trim_end_matches('*').to_lowercase();
        let (normalized, _) = word::normalize_digraphs(&lower);
        // Index terms carry umlauts folded (Snowball's postlude) and ß as ss.
        let (folded, _) = word::fold_accents(normalized);
        let prefix: String = folded.chars().filter(|c| c.is_alphanumeric()).collect();
        if prefix.is_empty() {
            return None;
        }
        if !negated {
            self.terms.prefixes.push(prefix.clone());
        }
        let pattern = format!("{}.*", regex_escape(&prefix));
        let subs: Vec<(Occur, Box<dyn Query>)> = fields
            .iter()
            .filter_map(|&(field, weight)| {
                let q = RegexQuery::from_pattern(&pattern, field).ok()?;
                Some((
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(q), weight)) as Box<dyn Query>,
                ))
            })
            .collect();
        Some(Box::new(BooleanQuery::new(subs)))
    }

    fn date_range(&self, lower: &UserInputBound, upper: &UserInputBound) -> Result<Box<dyn Query>> {
        let field = self.fields.published;
        let bound = |b: &UserInputBound, is_upper: bool| -> Result<Bound<Term>> {
            let parse = |s: &str| date::parse_period(s).map_err(|e| Error::Query(e.to_string()));
            let term = |secs: i64| {
                Term::from_field_date_for_search(field, DateTime::from_timestamp_secs(secs))
            };
            Ok(match b {
                UserInputBound::Unbounded => Bound::Unbounded,
                UserInputBound::Inclusive(s) if s == "*" => Bound::Unbounded,
                UserInputBound::Inclusive(s) => {
                    let d = parse(s)?;
                    if is_upper {
                        Bound::Excluded(term(d.end))
                    } else {
                        Bound::Included(term(d.start))
                    }
                }
                UserInputBound::Exclusive(s) => {
                    let d = parse(s)?;
                    if is_upper {
                        Bound::Excluded(term(d.start))
                    } else {
                        Bound::Included(term(d.end))
                    }
                }
            })
        };
        let (lower, upper) = (bound(lower, false)?, bound(upper, true)?);
        if matches!((&lower, &upper), (Bound::Unbounded, Bound::Unbounded)) {
            return Err(Error::Query(
                "a date range needs at least one date: date:[2024-01-01 TO *]".into(),
            ));
        }
        Ok(Box::new(RangeQuery::new(lower, upper)))
    }
}

/// Is this a `source:` or `date:[…]` leaf?
fn is_filter(ast: &UserInputAst) -> bool {
    match ast {
        UserInputAst::Leaf(leaf) => match leaf.as_ref() {
            UserInputLeaf::Literal(l) => l.field_name.as_deref() == Some("source"),
            UserInputLeaf::Range { field, .. } => field.as_deref() == Some("date"),
            _ => false,
        },
        _ => false,
    }
}

fn only_exclusions(ast: &UserInputAst) -> bool {
    match ast {
        UserInputAst::Clause(clauses) => {
            !clauses.is_empty()
                && clauses
                    .iter()
                    .all(|(o, _)| *o == Some(query_grammar::Occur::MustNot))
        }
        _ => false,
    }
}

fn regex_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if !c.is_alphanumeric() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preprocess_german_punctuation() {
        assert_eq!(preprocess("Entwickler:innen"), "Entwickler\\:innen");
        assert_eq!(preprocess("title:KI"), "title:KI");
        assert_eq!(preprocess("OpenAI's Modell"), "OpenAI\\'s Modell");
        assert_eq!(preprocess("„Open Source“"), "\"Open Source\"");
    }

    #[test]
    fn syntax_errors_are_explained() {
        let err = parse("\"offenes Zitat").err().map(|e| e.to_string());
        // tantivy's grammar tolerates some of these; when it does not, the
        // message must say why.
        if let Some(msg) = err {
            assert!(msg.contains("quotation mark"), "{msg}");
        }
        assert!(parse("   ").is_err());
        let msg = parse("(a OR b").err().map(|e| e.to_string());
        if let Some(msg) = msg {
            assert!(msg.contains("parentheses"), "{msg}");
        }
    }
}
