//! From query text to a tantivy query, with lupe's German analysis on every
//! word.
//!
//! The text is read by [`super::syntax`] (lenient: any text is a query);
//! the leaves are built here rather than by tantivy's `QueryParser`,
//! because German needs what it cannot express: a hyphenated word is the
//! phrase of its parts *or* its joined spelling (`Open-Source` finds "Open
//! Source" and "Opensource"), and the words that matched must be known
//! exactly for highlighting.

use std::ops::{Bound, Range};

use rustc_hash::FxHashSet;
use tantivy::Term;
use tantivy::query::{
    BooleanQuery, BoostQuery, DisjunctionMaxQuery, EmptyQuery, Occur, PhrasePrefixQuery,
    PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};

use super::in_passage::InPassage;
use super::syntax::{self, Clause, DateBound, Node, Target, Words};
use super::thesaurus::{self, Thesaurus};
use crate::analysis::{Analyzer, Kind, Rule, Side, word};
use crate::index::{Fields, lookup};

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

/// How many of `words` top-level query words a passage must contain at
/// least. Short queries need one (a passage with all words still ranks
/// first: it also matches the all-words query, which adds to its score);
/// from four words on the minimum grows with the length, as Lucene's and
/// Elasticsearch's `minimum_should_match` does, without ever demanding
/// every word of a question or a pasted headline.
pub fn minimum_should_match(words: usize) -> usize {
    if words < super::LONG_QUERY_WORDS {
        1
    } else {
        words / 3 + 1
    }
}

/// Weight of a compound query word's parts, relative to the word itself:
/// "Datenspeicherung" finds "Vorratsdatenspeicherung" through its parts, but
/// below passages with the word itself.
pub const PART_WEIGHT: f32 = 0.5;

/// Weight of a query word found only as a part of a compound in the
/// passage ("Sicherheit" in "Sicherheitslücke"), relative to the word
/// itself. The parts are indexed in a field of their own
/// ([`crate::index::Fields::parts`]), with their own document frequencies
/// and without lengthening the passage. Chosen on bench/relevance (keyword
/// set, tuning half, nDCG@10): 1.0 → 0.883, 0.5 → 0.896, 0.3 → 0.899.
pub const IN_COMPOUND_WEIGHT: f32 = 0.3;

/// Weight of every compound-part match (a word inside a compound, a
/// compound's parts inside another or far apart) in a long query: in a
/// question or pasted sentence most words are ordinary words, and their
/// parts in other compounds only add noise ("Straße" in "Pferdestraßenbahn"
/// outranked the passage about the first paved street). Small but not
/// zero, so such passages are still found, below the others. Measured with
/// bench/relevance/wiki (100 questions over the peers' 166,147 Wikipedia
/// passages, MRR@10, lupe on the peers' passages): compound parts as in
/// analyzer v4 0.594; parts apart, weighted as for short queries 0.587;
/// 0.1 → 0.600; 0.01 → 0.621; none at all 0.625.
pub const LONG_QUERY_PART_WEIGHT: f32 = 0.01;

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

/// Finds index terms close to a term (for the typo fallback).
pub type Expander<'e> = &'e dyn Fn(&str) -> Vec<String>;

/// Finds the index terms that start with a prefix: at most a cap of them
/// (the most frequent), and whether there were more.
pub type PrefixExpander<'e> = &'e dyn Fn(&str) -> (Vec<String>, bool);

/// What the analysis makes of one [`Words`] leaf.
pub(super) struct Analysed {
    /// The words' own terms at their positions (from 0).
    pub(super) main: Vec<(usize, String)>,
    /// Joined spellings of hyphen groups (`opensource`).
    pub(super) joins: Vec<String>,
    /// Compound parts of a single word (`sicherheit`, `luck`).
    pub(super) parts: Vec<String>,
    /// Close spellings from the typo fallback.
    pub(super) expansions: Vec<String>,
}

/// Builds tantivy queries from parsed text.
pub struct Builder<'a> {
    fields: &'a Fields,
    analyzer: Analyzer,
    title_weight: f32,
    terms: Terms,
    expand: Option<Expander<'a>>,
    prefixes: Option<PrefixExpander<'a>>,
    /// The mode of the query being built (set by [`Builder::build`]).
    mode: Mode,
    /// Top-level optional words that must match in [`Mode::Any`].
    minimum: usize,
    /// Top-level words without an operator in the last built query.
    words: usize,
    notes: Vec<String>,
    /// Synonyms, and the weight of a synonym relative to the words typed.
    synonyms: Option<(&'a Thesaurus, f32)>,
    /// A long query (a question, pasted text) is being built.
    long: bool,
    /// The separable-verb particle that ends the query's sentence ("ein"
    /// of "Schleppen Flüchtlinge Seuchen ein?"), if any.
    particle: Option<String>,
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
            prefixes: None,
            mode: Mode::All,
            minimum: 1,
            words: 0,
            notes: Vec::new(),
            synonyms: None,
            long: false,
            particle: None,
        }
    }

    /// Makes words that a group of `thesaurus` covers also match the
    /// group's other entries, at `weight` times a match of the words typed.
    pub fn with_synonyms(mut self, thesaurus: &'a Thesaurus, weight: f32) -> Self {
        if weight > 0.0 {
            self.synonyms = Some((thesaurus, weight));
        }
        self
    }

    /// Makes every single query word also match the terms `expand` finds
    /// for it (the typo fallback).
    pub fn with_expander(mut self, expand: Expander<'a>) -> Self {
        self.expand = Some(expand);
        self
    }

    /// Builds the queries from now on as those of a long query (a
    /// question, pasted text): compound-part matches at
    /// [`LONG_QUERY_PART_WEIGHT`].
    pub fn set_long(&mut self) {
        self.long = true;
    }

    /// Looks up the terms of `word*` with `prefixes` (without it, a prefix
    /// finds nothing).
    pub fn with_prefixes(mut self, prefixes: PrefixExpander<'a>) -> Self {
        self.prefixes = Some(prefixes);
        self
    }

    /// Builds `clauses` in `mode`. `None` when nothing is left to search
    /// (only stop words, or only exclusions).
    pub fn build(&mut self, clauses: &[Clause], mode: Mode) -> Option<Box<dyn Query>> {
        self.build_with_minimum(clauses, mode, 1)
    }

    /// As [`Builder::build`]; in [`Mode::Any`], at least `minimum` of the
    /// top-level words without an operator must match (or all of them,
    /// when there are fewer).
    pub fn build_with_minimum(
        &mut self,
        clauses: &[Clause],
        mode: Mode,
        minimum: usize,
    ) -> Option<Box<dyn Query>> {
        self.terms = Terms::default();
        self.mode = mode;
        self.words = 0;
        self.minimum = minimum;
        self.particle = separable_particle(clauses);
        self.group(clauses, false, true)
    }

    /// How many top-level words without an operator the last built query
    /// has (stop words do not count).
    pub fn word_count(&self) -> usize {
        self.words
    }

    /// Builds the words of `clauses` as one query matching any of them
    /// (for exclusions: `-word` removes every article that has the word).
    /// Their terms are not highlighted.
    pub fn build_any(&mut self, clauses: &[Clause]) -> Option<Box<dyn Query>> {
        self.mode = Mode::Any;
        let subs: Vec<(Occur, Box<dyn Query>)> = clauses
            .iter()
            .filter_map(|c| self.node(&c.node, true))
            .map(|q| (Occur::Should, q))
            .collect();
        match subs.len() {
            0 => None,
            1 => subs.into_iter().next().map(|(_, q)| q),
            _ => Some(Box::new(BooleanQuery::new(subs))),
        }
    }

    /// The words of the last built query (not those under `-`).
    pub fn terms(&self) -> &Terms {
        &self.terms
    }

    /// Notes made while building (e.g. a prefix with too many words).
    pub fn take_notes(&mut self) -> Vec<String> {
        std::mem::take(&mut self.notes)
    }

    fn group(&mut self, clauses: &[Clause], negated: bool, top: bool) -> Option<Box<dyn Query>> {
        let mut subs: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut optional = 0;
        let spans = if negated {
            Vec::new()
        } else {
            self.synonym_spans(clauses)
        };
        let mut spans = spans.into_iter().peekable();
        let mut at = 0;
        while at < clauses.len() {
            if let Some((range, synonyms)) = spans.next_if(|(r, _)| r.start == at) {
                at = range.end;
                let typed = clauses[range.start].occur;
                if let Some((occur, q, words)) = self.synonym_clause(&clauses[range], &synonyms) {
                    if top && typed == syntax::Occur::Default {
                        self.words += words;
                        if occur == Occur::Should {
                            optional += 1;
                        }
                    }
                    subs.push((occur, q));
                }
                continue;
            }
            let clause = &clauses[at];
            at += 1;
            let filter = matches!(clause.node, Node::Source(_) | Node::Date { .. });
            let occur = match clause.occur {
                syntax::Occur::Must => Occur::Must,
                syntax::Occur::Should => Occur::Should,
                syntax::Occur::MustNot => Occur::MustNot,
                // source: and date: written among words filter, even when
                // the words themselves are optional.
                syntax::Occur::Default if self.mode == Mode::All || filter => Occur::Must,
                syntax::Occur::Default => Occur::Should,
            };
            let negated = negated || occur == Occur::MustNot;
            if let Some(q) = self.node(&clause.node, negated) {
                if top && clause.occur == syntax::Occur::Default && !filter {
                    self.words += 1;
                    if occur == Occur::Should {
                        optional += 1;
                    }
                }
                subs.push((occur, q));
            }
        }
        if subs.iter().all(|(o, _)| *o == Occur::MustNot) {
            // "Everything except …" is no search: such a group is left out.
            return None;
        }
        if subs.len() == 1 && subs[0].0 != Occur::MustNot {
            return subs.pop().map(|(_, q)| q);
        }
        if top && self.minimum > 1 && optional > 1 {
            let minimum = self.minimum.min(optional);
            return Some(Box::new(BooleanQuery::with_minimum_required_clauses(
                subs, minimum,
            )));
        }
        Some(Box::new(BooleanQuery::new(subs)))
    }

    /// The runs of `clauses` that a synonym group covers, with the
    /// group's other entries.
    fn synonym_spans(&mut self, clauses: &[Clause]) -> Vec<(Range<usize>, Vec<String>)> {
        match self.synonyms {
            Some((thesaurus, _)) => synonym_spans(clauses, thesaurus, &mut self.analyzer),
            None => Vec::new(),
        }
    }

    /// One clause for words that a synonym group covers: the words as
    /// typed (all of them, where the query demands every word), or any of
    /// the synonyms at the synonym weight. Returns its occurrence, the
    /// query and how many words typed it stands for.
    fn synonym_clause(
        &mut self,
        clauses: &[Clause],
        synonyms: &[String],
    ) -> Option<(Occur, Box<dyn Query>, usize)> {
        let (_, weight) = self.synonyms?;
        let typed = clauses.first()?.occur;
        let target = match &clauses.first()?.node {
            Node::Words(w) => w.target,
            _ => return None,
        };
        let typed_queries: Vec<Box<dyn Query>> = clauses
            .iter()
            .filter_map(|c| self.node(&c.node, false))
            .collect();
        let words = typed_queries.len();
        let alternatives: Vec<Box<dyn Query>> = synonyms
            .iter()
            .filter_map(|text| {
                let entry = Words::exact(text, target);
                // Highlighting marks words, not phrases: the words of a
                // synonym of several words ("quelloffene Software") would
                // light up wherever one of them occurs, so only one-word
                // synonyms are highlighted.
                let one_word = text
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|w| !w.is_empty())
                    .count()
                    == 1;
                self.words(&entry, !one_word)
            })
            .collect();
        let occur = match typed {
            syntax::Occur::Must => Occur::Must,
            _ if self.mode == Mode::All => Occur::Must,
            _ => Occur::Should,
        };
        let mut subs: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if occur == Occur::Must && typed_queries.len() > 1 {
            let all = typed_queries
                .into_iter()
                .map(|q| (Occur::Must, q))
                .collect();
            subs.push((Occur::Should, Box::new(BooleanQuery::new(all))));
        } else {
            subs.extend(typed_queries.into_iter().map(|q| (Occur::Should, q)));
        }
        if !alternatives.is_empty() {
            // The best synonym counts, not their number.
            let best: Box<dyn Query> = if alternatives.len() == 1 {
                alternatives.into_iter().next()?
            } else {
                Box::new(DisjunctionMaxQuery::new(alternatives))
            };
            subs.push((Occur::Should, Box::new(BoostQuery::new(best, weight))));
        }
        if subs.is_empty() {
            return None;
        }
        Some((occur, one_or_all(subs), words))
    }

    fn node(&mut self, node: &Node, negated: bool) -> Option<Box<dyn Query>> {
        match node {
            Node::Words(words) => {
                let q = self.words(words, negated)?;
                // The text fields also hold the title: `text:` asks for
                // the passage's own words.
                let q: Box<dyn Query> = if words.target == Target::Text {
                    Box::new(InPassage::new(q))
                } else {
                    q
                };
                Some(match words.boost {
                    Some(b) if b != 1.0 => Box::new(BoostQuery::new(q, b)),
                    _ => q,
                })
            }
            Node::Group(clauses) => self.group(clauses, negated, false),
            // Filters must not change scores: weight zero.
            Node::Source(name) => Some(Box::new(BoostQuery::new(
                lookup::source_query(self.fields, &lookup::source_keyword(name)),
                0.0,
            ))),
            Node::Date { since, until } => Some(Box::new(BoostQuery::new(
                lookup::date_query(self.fields, lower_bound(*since), upper_bound(*until)),
                0.0,
            ))),
        }
    }

    /// The fields a leaf is searched in, with their weights.
    fn fields_of(&self, target: Target) -> Vec<(Field, f32)> {
        match target {
            Target::Default => vec![
                (self.fields.text, 1.0),
                (self.fields.title, self.title_weight),
            ],
            Target::Title => vec![(self.fields.title, 1.0)],
            Target::Text => vec![(self.fields.text, 1.0)],
        }
        .into_iter()
        .filter(|&(_, w)| w > 0.0)
        .collect()
    }

    fn words(&mut self, words: &Words, negated: bool) -> Option<Box<dyn Query>> {
        let fields = self.fields_of(words.target);
        if words.prefix && !words.quoted {
            return self.prefix(&words.text, &fields, negated);
        }
        let mut analysed = self.analyse(words)?;
        add_particle_verbs(
            &mut self.analyzer,
            self.particle.as_deref(),
            words,
            &mut analysed,
        );
        if !negated {
            let exact = &mut self.terms.exact;
            exact.extend(analysed.main.iter().map(|(_, t)| t.clone()));
            exact.extend(analysed.joins.iter().cloned());
            exact.extend(analysed.expansions.iter().cloned());
            exact.extend(analysed.parts.iter().cloned());
            self.terms.parts.extend(analysed.parts.iter().cloned());
        }
        // One flat union of every field's alternatives (the same sum as one
        // union per field): tantivy prunes a union of term queries by block
        // maxima, which a union nested in a union defeats.
        let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for &(field, weight) in &fields {
            let parts = (field == self.fields.text).then_some(self.fields.parts);
            for q in self.field_alternatives(field, parts, &analysed, words) {
                let q: Box<dyn Query> = if weight == 1.0 {
                    q
                } else {
                    Box::new(BoostQuery::new(q, weight))
                };
                alternatives.push((Occur::Should, q));
            }
        }
        Some(one_or_all(alternatives))
    }

    fn analyse(&mut self, words: &Words) -> Option<Analysed> {
        analyse(&mut self.analyzer, self.expand, words)
    }

    /// The weight of a compound-part match that weighs `short` in a
    /// short query.
    fn part_weight(&self, short: f32) -> f32 {
        if self.long {
            LONG_QUERY_PART_WEIGHT
        } else {
            short
        }
    }

    /// The alternatives for one analysed leaf in one field, any of which
    /// may match; `parts` is the field that holds that field's compound
    /// parts, when they are apart.
    fn field_alternatives(
        &self,
        field: Field,
        parts: Option<Field>,
        a: &Analysed,
        words: &Words,
    ) -> Vec<Box<dyn Query>> {
        let term = |t: &str| Term::from_field_text(field, t);
        let term_query = |t: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(term(t), IndexRecordOption::WithFreqs))
        };
        let parts_field = parts.unwrap_or(field);
        let part_term = |t: &str| Term::from_field_text(parts_field, t);
        let part_query = |t: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(part_term(t), IndexRecordOption::WithFreqs))
        };
        let mut alternatives: Vec<Box<dyn Query>> = Vec::new();
        let terms: Vec<(usize, Term)> = a.main.iter().map(|(p, t)| (*p, term(t))).collect();
        let main_query: Box<dyn Query> = if terms.len() == 1 {
            term_query(&a.main[0].1)
        } else if words.prefix {
            Box::new(PhrasePrefixQuery::new_with_offset(terms))
        } else {
            Box::new(PhraseQuery::new_with_offset_and_slop(terms, words.slop))
        };
        let weight = word_phrase_weight(words, a.main.len());
        alternatives.push(if weight == 1.0 {
            main_query
        } else {
            Box::new(BoostQuery::new(main_query, weight))
        });
        if parts.is_some() && a.main.len() == 1 {
            // The word as a part of a compound ("Sicherheit" in
            // "Sicherheitslücke"): weaker than the word itself.
            alternatives.push(Box::new(BoostQuery::new(
                part_query(&a.main[0].1),
                self.part_weight(IN_COMPOUND_WEIGHT),
            )));
        }
        for t in a.joins.iter().chain(&a.expansions) {
            alternatives.push(term_query(t));
        }
        if !a.parts.is_empty() {
            // The parts inside another compound (Datenspeicherung in
            // Vorratsdatenspeicherung: all at one position), or written
            // apart (Opensource as "Open Source"): weaker than the word.
            let same_position: Vec<(usize, Term)> =
                a.parts.iter().map(|p| (0, part_term(p))).collect();
            let apart: Vec<(usize, Term)> = a
                .parts
                .iter()
                .enumerate()
                .map(|(i, p)| (i, term(p)))
                .collect();
            for phrase in [same_position, apart] {
                alternatives.push(Box::new(BoostQuery::new(
                    Box::new(PhraseQuery::new_with_offset(phrase)),
                    self.part_weight(PART_WEIGHT),
                )));
            }
            // Only in the relaxed mode: parts from two different compounds
            // (Landes·straße, Gegen·fahr·bahn) must not make a passage count
            // as containing "Straßenbahn".
            if self.mode == Mode::Any {
                let all: Vec<(Occur, Box<dyn Query>)> = a
                    .parts
                    .iter()
                    .map(|p| {
                        let q = match parts {
                            Some(_) => one_or_all(vec![
                                (Occur::Should, term_query(p)),
                                (Occur::Should, part_query(p)),
                            ]),
                            None => term_query(p),
                        };
                        (Occur::Must, q)
                    })
                    .collect();
                alternatives.push(Box::new(BoostQuery::new(
                    Box::new(BooleanQuery::new(all)),
                    self.part_weight(PARTS_ANYWHERE_WEIGHT),
                )));
            }
        }
        alternatives
    }

    /// `Sicher*`: the index terms starting with the normalised, unstemmed
    /// prefix, scored as one word (the best of them counts).
    fn prefix(
        &mut self,
        word_text: &str,
        fields: &[(Field, f32)],
        negated: bool,
    ) -> Option<Box<dyn Query>> {
        let prefix = prefix_key(word_text)?;
        let (found, capped) = match self.prefixes {
            Some(lookup) => lookup(&prefix),
            None => (Vec::new(), false),
        };
        if capped {
            self.notes.push(format!(
                "{word_text}* stands for more words than lupe expands; the {} most frequent were searched",
                found.len()
            ));
        }
        if !negated {
            self.terms.prefixes.push(prefix.clone());
        }
        if found.is_empty() {
            return Some(Box::new(EmptyQuery));
        }
        let subs: Vec<(Occur, Box<dyn Query>)> = fields
            .iter()
            .map(|&(field, weight)| {
                let alternatives: Vec<Box<dyn Query>> = found
                    .iter()
                    .map(|t| {
                        Box::new(TermQuery::new(
                            Term::from_field_text(field, t),
                            IndexRecordOption::WithFreqs,
                        )) as Box<dyn Query>
                    })
                    .collect();
                let q: Box<dyn Query> = Box::new(DisjunctionMaxQuery::new(alternatives));
                (
                    Occur::Should,
                    Box::new(BoostQuery::new(q, weight)) as Box<dyn Query>,
                )
            })
            .collect();
        Some(one_or_all(subs))
    }
}

/// The terms of a leaf: its words and, for a word as typed, the
/// alternatives the analysis offers.
pub(super) fn analyse(
    analyzer: &mut Analyzer,
    expand: Option<Expander<'_>>,
    words: &Words,
) -> Option<Analysed> {
    let tokens = analyzer.tokens(&words.text);
    let mut main: Vec<(usize, String)> = tokens
        .iter()
        .filter(|t| !matches!(t.rule, Rule::HyphenJoin | Rule::CompoundPart))
        .map(|t| (t.position as usize, t.term.clone()))
        .collect();
    let first = main.first()?.0;
    for (pos, _) in &mut main {
        *pos -= first;
    }
    // Alternatives only for a word as typed: a quoted phrase means
    // exactly these words.
    let of_rule = |rule: Rule| -> Vec<String> {
        if words.quoted {
            return Vec::new();
        }
        tokens
            .iter()
            .filter(|t| t.rule == rule)
            .map(|t| t.term.clone())
            .collect()
    };
    let joins = of_rule(Rule::HyphenJoin);
    let mut parts = if main.len() == 1 {
        of_rule(Rule::CompoundPart)
    } else {
        Vec::new()
    };
    if parts.len() < 2 {
        parts.clear();
    }
    let expansions = match expand {
        Some(expand) if main.len() == 1 && !words.quoted => expand(&main[0].1),
        _ => Vec::new(),
    };
    Some(Analysed {
        main,
        joins,
        parts,
        expansions,
    })
}

/// The index-term prefix that `word*` stands for: normalised, unstemmed;
/// `None` when shorter than two letters.
pub(super) fn prefix_key(word_text: &str) -> Option<String> {
    let lower = word_text.to_lowercase();
    let (normalized, _) = word::normalize_digraphs(&lower);
    // Index terms carry umlauts folded (Snowball's postlude) and ß as ss.
    let (folded, _) = word::fold_accents(normalized);
    let prefix: String = folded.chars().filter(|c| c.is_alphanumeric()).collect();
    (prefix.chars().count() >= 2).then_some(prefix)
}

/// The runs of `clauses` that a group of `thesaurus` covers (runs of
/// plain words with one operator and one field), with the group's other
/// entries.
pub(super) fn synonym_spans(
    clauses: &[Clause],
    thesaurus: &Thesaurus,
    analyzer: &mut Analyzer,
) -> Vec<(Range<usize>, Vec<String>)> {
    let mut found = Vec::new();
    let mut start = 0;
    while start < clauses.len() {
        let Some(first) = synonym_words(&clauses[start]) else {
            start += 1;
            continue;
        };
        let mut end = start + 1;
        while end < clauses.len()
            && synonym_words(&clauses[end]).is_some_and(|w| w.target == first.target)
            && clauses[end].occur == clauses[start].occur
        {
            end += 1;
        }
        let units: Vec<thesaurus::Unit<'_>> = clauses[start..end]
            .iter()
            .filter_map(synonym_words)
            .map(|w| thesaurus::Unit {
                text: &w.text,
                terms: thesaurus::key(analyzer, &w.text).into_vec(),
            })
            .collect();
        for span in thesaurus.spans(&units, analyzer) {
            found.push((
                start + span.units.start..start + span.units.end,
                span.synonyms.into_iter().map(String::from).collect(),
            ));
        }
        start = end;
    }
    found
}

/// The words of a clause that synonyms may stand for: words as typed
/// (not quoted, no prefix, no boost) that must or may occur.
fn synonym_words(clause: &Clause) -> Option<&Words> {
    match (&clause.node, clause.occur) {
        (Node::Words(w), syntax::Occur::Default | syntax::Occur::Must)
            if !w.quoted && !w.prefix && w.boost.is_none() =>
        {
            Some(w)
        }
        _ => None,
    }
}

/// The weight of the phrase a leaf of `terms` terms makes: a quoted
/// phrase counts as written, but an unquoted hyphenated word
/// ("Saudi-Arabien") is one word of the query. A phrase scores the sum of
/// its words' IDFs, so unweighted it would count as two words and outrank
/// passages with the query's other words.
pub(super) fn word_phrase_weight(words: &Words, terms: usize) -> f32 {
    if words.quoted || terms < 2 {
        1.0
    } else {
        1.0 / terms as f32
    }
}

/// A word joined with a sentence's separable particle, as index terms, as
/// the text writes the verb: "Schleppen … ein" is "einschleppen",
/// "Einschleppung" (`einschlepp`); "stellt … vor" is "vorstellen"
/// (`vorstell`) and "vorgestellt". Forms that are no word find nothing.
pub fn particle_verbs(analyzer: &mut Analyzer, particle: &str, word_text: &str) -> Vec<String> {
    let verb = word_text
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    if verb.is_empty() || !verb.chars().all(char::is_alphabetic) || verb == particle {
        return Vec::new();
    }
    let mut forms = vec![format!("{particle}{verb}")];
    if let Some(stem) = verb.strip_suffix('t') {
        forms.push(format!("{particle}{stem}"));
        forms.push(format!("{particle}ge{verb}"));
    }
    let mut terms: Vec<String> = Vec::new();
    for form in forms {
        let tokens = analyzer.tokens(&form);
        let mut own = tokens
            .iter()
            .filter(|t| !matches!(t.rule, Rule::HyphenJoin | Rule::CompoundPart));
        if let (Some(t), None) = (own.next(), own.next())
            && !terms.contains(&t.term)
        {
            terms.push(t.term.clone());
        }
    }
    terms
}

/// Words of a query (as typed) with the verb forms they make with the
/// query's separable particle.
pub type ParticleVerbs = Vec<(String, Vec<String>)>;

/// Adds to a single word as typed its verb forms with the sentence's
/// separable `particle` ([`particle_verbs`]), as alternatives like a
/// hyphen join.
pub(super) fn add_particle_verbs(
    analyzer: &mut Analyzer,
    particle: Option<&str>,
    words: &Words,
    a: &mut Analysed,
) {
    let Some(particle) = particle else {
        return;
    };
    if words.quoted || words.prefix || a.main.len() != 1 {
        return;
    }
    let verbs = particle_verbs(analyzer, particle, &words.text);
    let main = &a.main[0].1;
    a.joins.extend(verbs.into_iter().filter(|t| t != main));
}

/// The separable particle that ends `clauses` and the verb forms each
/// other word makes with it (what `lupe analyze --query` shows).
pub fn separable_verbs(
    analyzer: &mut Analyzer,
    clauses: &[Clause],
) -> Option<(String, ParticleVerbs)> {
    let particle = separable_particle(clauses)?;
    let mut verbs = Vec::new();
    for clause in clauses {
        // Exactly what the builder adds to each word (stop words, which
        // are not searched, make no analysis).
        if let (Node::Words(w), syntax::Occur::Default) = (&clause.node, clause.occur)
            && let Some(mut a) = analyse(analyzer, None, w)
        {
            let before = a.joins.len();
            add_particle_verbs(analyzer, Some(&particle), w, &mut a);
            if a.joins.len() > before {
                verbs.push((w.text.clone(), a.joins.split_off(before)));
            }
        }
    }
    Some((particle, verbs))
}

/// German separable-verb particles: at the end of a sentence they belong
/// to its verb ("Schleppen Flüchtlinge Seuchen ein?", "Apple stellt das
/// iPhone vor").
const SEPARABLE_PARTICLES: &[&str] = &[
    "ab", "an", "auf", "aus", "bei", "dar", "ein", "fest", "fort", "heim", "her", "heran",
    "heraus", "herein", "hin", "hinaus", "hinein", "hinzu", "los", "mit", "nach", "nieder", "um",
    "vor", "voran", "voraus", "vorbei", "weg", "weiter", "zu", "zurück", "zusammen",
];

/// The particle that ends the query's words, when it is a separable-verb
/// particle and other words come before it: the last top-level word
/// without an operator or field, read without its punctuation.
pub(super) fn separable_particle(clauses: &[Clause]) -> Option<String> {
    let plain: Vec<&Words> = clauses
        .iter()
        .filter_map(|c| match (&c.node, c.occur) {
            (Node::Words(w), syntax::Occur::Default)
                if w.target == Target::Default && !w.quoted && !w.prefix =>
            {
                Some(w)
            }
            _ => None,
        })
        .collect();
    let (last, before) = plain.split_last()?;
    if before.is_empty() {
        return None;
    }
    let word = last
        .text
        .trim_end_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    SEPARABLE_PARTICLES.contains(&word.as_str()).then_some(word)
}

/// One query, or a disjunction of several.
fn one_or_all(mut subs: Vec<(Occur, Box<dyn Query>)>) -> Box<dyn Query> {
    if subs.len() == 1 {
        return subs.pop().map(|(_, q)| q).expect("one query");
    }
    Box::new(BooleanQuery::new(subs))
}

/// The lower end of a date filter as a bound in seconds.
pub fn lower_bound(b: DateBound) -> Bound<i64> {
    match b {
        DateBound::Open => Bound::Unbounded,
        DateBound::Inclusive(s) => Bound::Included(s),
        DateBound::Exclusive(s) => Bound::Excluded(s),
    }
}

/// The upper end of a date filter as a bound in seconds (an inclusive end
/// is already the end of its day, exclusive in seconds).
pub fn upper_bound(b: DateBound) -> Bound<i64> {
    match b {
        DateBound::Open => Bound::Unbounded,
        DateBound::Inclusive(s) | DateBound::Exclusive(s) => Bound::Excluded(s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn particle_of(query: &str) -> Option<String> {
        separable_particle(&syntax::parse(query).clauses)
    }

    #[test]
    fn a_particle_counts_only_at_the_end_after_other_words() {
        assert_eq!(
            particle_of("Schleppen Flüchtlinge Seuchen ein?").as_deref(),
            Some("ein")
        );
        assert_eq!(
            particle_of("Apple stellt das iPhone vor.").as_deref(),
            Some("vor")
        );
        assert_eq!(
            particle_of("Wie kommt das Geld zurück").as_deref(),
            Some("zurück")
        );
        assert_eq!(particle_of("ein"), None, "no other word");
        assert_eq!(particle_of("Flüge nach Paris"), None, "not at the end");
        assert_eq!(particle_of("Paris \"ab\""), None, "quoted");
        assert_eq!(particle_of("Paris title:ab"), None, "in a field");
    }

    #[test]
    fn particle_verbs_are_the_joined_forms_as_index_terms() {
        let mut analyzer = Analyzer::new(Side::Query, Kind::German);
        let mut verbs = |particle: &str, word: &str| particle_verbs(&mut analyzer, particle, word);
        assert_eq!(verbs("ein", "Schleppen"), ["einschlepp"]);
        assert_eq!(
            verbs("vor", "stellt"),
            ["vorstellt", "vorstell", "vorgestellt"]
        );
        assert!(verbs("vor", "GPT-5").is_empty(), "not a word");
        assert!(verbs("vor", "vor").is_empty());
    }
}
