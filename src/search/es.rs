//! Elasticsearch `_search` bodies built from lupe's own query analysis
//! (`lupe query --format es-query`), for a cluster loaded with `lupe
//! export`, whose documents carry lupe's index terms (`lupe_terms`,
//! `lupe_title_terms`, whitespace-analysed).
//!
//! The body is the query [`super::query::Builder`] builds for tantivy,
//! translated clause by clause: the same analysis (words, joins, compound
//! parts, acronyms, phrases, prefixes expanded against the index), the same
//! weights, the same filters, and the ranking of [`Searcher::search`] as one
//! scored query: every passage that matches some of the words, and those
//! that match all of them (short queries) or the minimum of a long query
//! lifted by [`PREFERENCE_BONUS`] above all others. What a single body
//! cannot do is said in the export's README: exclusions remove passages, not
//! whole articles; the per-article limit is the cluster's `collapse`; the
//! typo fallback is not part of it.

use std::ops::Bound;

use serde_json::{Map, Value, json};

use super::query::{
    self, Analysed, Mode, PART_WEIGHT, PARTS_ANYWHERE_WEIGHT, minimum_should_match,
};
use super::syntax::{self, Clause, Node, Target, Words};
use super::thesaurus::Thesaurus;
use super::{NothingFound, Parts, Request, Searcher};
use crate::analysis::{Analyzer, Side};
use crate::error::Result;
use crate::index::lookup;

/// The export's field with lupe's terms of the passage text.
pub const TERMS_FIELD: &str = "lupe_terms";
/// The export's field with lupe's terms of the article title.
pub const TITLE_TERMS_FIELD: &str = "lupe_title_terms";
/// The export's keyword field of the source (lowercase normaliser).
const SOURCE_FIELD: &str = "source";
/// The export's date field.
const DATE_FIELD: &str = "date";

/// The constant score added to passages that match all words of a short
/// query (or the minimum of a long one): above any BM25 score such a query
/// reaches, so they rank first, as lupe ranks its complete matches first.
/// Their order among themselves stays their BM25 score.
pub const PREFERENCE_BONUS: f32 = 1000.0;

/// A `_search` body for one request, or why there is none.
#[derive(Debug, Clone, PartialEq)]
pub struct EsQuery {
    /// The body, `None` when nothing can be searched (only stop words, only
    /// exclusions, an empty date range).
    pub body: Option<Value>,
    /// Why there is no body (the same reasons and words as a search's).
    pub nothing: Option<NothingFound>,
    /// Things the user should know (a source this index does not have, a
    /// capped prefix, syntax read as words).
    pub notes: Vec<String>,
}

impl Searcher<'_> {
    /// The Elasticsearch `_search` body that asks a cluster holding this
    /// index's export what [`Searcher::search`] answers here.
    pub fn es_query(&self, request: &Request) -> Result<EsQuery> {
        let mut out = EsQuery {
            body: None,
            nothing: None,
            notes: Vec::new(),
        };
        let parsed = super::parse(request, &mut out.notes);
        let Parts {
            positive,
            excluded,
            sources: source_names,
            dates,
        } = Parts::of(&parsed);
        let mut filters: Vec<Value> = Vec::new();
        for (lower, upper) in dates {
            if super::is_empty_range(lower, upper) {
                out.nothing = Some(NothingFound::empty_date_clause());
                return Ok(out);
            }
            filters.push(date_range(lower, upper));
        }
        let mut sources: Vec<Value> = Vec::new();
        for name in source_names {
            sources.push(source_term(&self.source_key(name, &mut out.notes)?));
        }
        if let Some(source) = &request.source {
            filters.push(source_term(&self.source_key(source, &mut out.notes)?));
        }
        if !sources.is_empty() {
            filters.push(one_or_any(sources));
        }
        if request.since.is_some() || request.until.is_some() {
            let lower = request.since.map_or(Bound::Unbounded, Bound::Included);
            let upper = request.until.map_or(Bound::Unbounded, Bound::Excluded);
            if let (Some(since), Some(until)) = (request.since, request.until)
                && super::is_empty_range(lower, upper)
            {
                out.nothing = Some(NothingFound::since_after_until(since, until));
                return Ok(out);
            }
            filters.push(date_range(lower, upper));
        }
        if positive.is_empty() {
            let only_filters = !(excluded.is_empty() && filters.is_empty());
            out.nothing = Some(NothingFound::no_words(only_filters));
            return Ok(out);
        }
        let Some(bool_query) = self.scored_bool(&positive, &excluded, filters, &mut out.notes)
        else {
            out.nothing = Some(NothingFound::only_stop_words());
            return Ok(out);
        };
        out.body = Some(json!({
            "query": {"bool": bool_query},
            "size": request.limit,
            "_source": {"excludes": [TERMS_FIELD, TITLE_TERMS_FIELD]},
        }));
        Ok(out)
    }

    /// The one scored `bool` query of a request: any word must match,
    /// passages with all words (or a long query's minimum) are lifted
    /// above the rest, filters do not score, exclusions remove. `None`
    /// when the query has only stop words.
    fn scored_bool(
        &self,
        positive: &[Clause],
        excluded: &[Clause],
        filters: Vec<Value>,
        notes: &mut Vec<String>,
    ) -> Option<Map<String, Value>> {
        let prefixes = |p: &str| self.prefix_terms(p);
        let mut builder = EsBuilder::new(self.index.kind(), self.ranking.title_weight, &prefixes);
        builder.synonyms = self
            .thesaurus
            .as_ref()
            .map(|t| (t, self.ranking.synonym_weight))
            .filter(|(_, weight)| *weight > 0.0);
        let all = builder.build(positive, Mode::All, 1)?;
        let words = builder.words;
        let minimum = minimum_should_match(words);
        let any = builder
            .build(positive, Mode::Any, 1)
            .unwrap_or_else(|| all.clone());
        // Short queries prefer passages with every word; long ones those
        // with the minimum number of words. Both as lupe ranks them: first,
        // and among themselves by their BM25 score.
        let preferred = if minimum == 1 {
            all
        } else {
            builder
                .build(positive, Mode::Any, minimum)
                .unwrap_or_else(|| any.clone())
        };
        let mut bool_query = Map::new();
        bool_query.insert("must".into(), json!([any]));
        if preferred != any {
            bool_query.insert(
                "should".into(),
                json!([{"constant_score": {"filter": preferred, "boost": PREFERENCE_BONUS}}]),
            );
        }
        if !filters.is_empty() {
            bool_query.insert("filter".into(), Value::Array(filters));
        }
        if let Some(not) = builder.build_any(excluded) {
            bool_query.insert("must_not".into(), json!([not]));
        }
        notes.append(&mut builder.notes);
        Some(bool_query)
    }

    /// The source keyword a name stands for in this index, as `--source`
    /// resolves it; a name the index does not know is kept (normalised)
    /// with a note, since the cluster may hold more than this index.
    fn source_key(&self, name: &str, notes: &mut Vec<String>) -> Result<String> {
        Ok(match self.resolve_source(name)? {
            Ok(key) => key,
            Err(why) => {
                notes.push(why.message);
                lookup::source_keyword(name)
            }
        })
    }
}

fn source_term(key: &str) -> Value {
    json!({"term": {SOURCE_FIELD: key}})
}

/// A date filter as an Elasticsearch `range` on the export's `date` field.
fn date_range(lower: Bound<i64>, upper: Bound<i64>) -> Value {
    let mut range = Map::new();
    match lower {
        Bound::Included(s) => _ = range.insert("gte".into(), iso(s)),
        Bound::Excluded(s) => _ = range.insert("gt".into(), iso(s)),
        Bound::Unbounded => {}
    }
    match upper {
        Bound::Included(s) => _ = range.insert("lte".into(), iso(s)),
        Bound::Excluded(s) => _ = range.insert("lt".into(), iso(s)),
        Bound::Unbounded => {}
    }
    json!({"range": {DATE_FIELD: range}})
}

/// An instant as `2024-01-01T00:00:00Z` (the mapping's
/// `strict_date_optional_time` reads it).
fn iso(secs: i64) -> Value {
    let text = time::OffsetDateTime::from_unix_timestamp(secs)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_else(|| secs.to_string());
    Value::String(text)
}

/// A query with a weight: the weight inside a `bool`, `dis_max` or
/// `match_phrase`-like object, else a `bool` around it.
fn boosted(query: Value, boost: f32) -> Value {
    if boost == 1.0 {
        return query;
    }
    let mut query = query;
    if let Some(object) = query.as_object_mut().filter(|o| o.len() == 1) {
        let key = if object.contains_key("bool") {
            "bool"
        } else {
            "dis_max"
        };
        if let Some(inner) = object
            .get_mut(key)
            .and_then(Value::as_object_mut)
            .filter(|o| !o.contains_key("boost"))
        {
            inner.insert("boost".into(), json!(boost));
            return query;
        }
    }
    json!({"bool": {"must": [query], "boost": boost}})
}

/// One query, or a `bool` matching any of several.
fn one_or_any(mut queries: Vec<Value>) -> Value {
    if queries.len() == 1 {
        return queries.pop().unwrap_or(Value::Null);
    }
    json!({"bool": {"should": queries}})
}

fn term(field: &str, term: &str) -> Value {
    json!({"term": {field: {"value": term}}})
}

/// The translation of [`query::Builder`], clause by clause, into the query
/// DSL over the export's terms fields.
struct EsBuilder<'a> {
    analyzer: Analyzer,
    title_weight: f32,
    prefixes: query::PrefixExpander<'a>,
    /// For phrase slops: how the export wrote the phrase's words.
    index_analyzer: Analyzer,
    mode: Mode,
    minimum: usize,
    words: usize,
    notes: Vec<String>,
    /// Synonyms, and the weight of a synonym relative to the words typed.
    synonyms: Option<(&'a Thesaurus, f32)>,
    /// The query's sentence-final separable particle, if any.
    particle: Option<String>,
}

impl<'a> EsBuilder<'a> {
    fn new(
        kind: crate::analysis::Kind,
        title_weight: f32,
        prefixes: query::PrefixExpander<'a>,
    ) -> Self {
        EsBuilder {
            analyzer: Analyzer::new(Side::Query, kind),
            title_weight,
            prefixes,
            index_analyzer: Analyzer::new(Side::Index, kind),
            mode: Mode::All,
            minimum: 1,
            words: 0,
            notes: Vec::new(),
            synonyms: None,
            particle: None,
        }
    }

    fn build(&mut self, clauses: &[Clause], mode: Mode, minimum: usize) -> Option<Value> {
        self.mode = mode;
        self.minimum = minimum;
        self.words = 0;
        self.notes.clear();
        self.particle = query::separable_particle(clauses);
        self.group(clauses, false, true)
    }

    /// As [`query::Builder::build_any`]: any of the words (exclusions).
    fn build_any(&mut self, clauses: &[Clause]) -> Option<Value> {
        self.mode = Mode::Any;
        let subs: Vec<Value> = clauses
            .iter()
            .filter_map(|c| self.node(&c.node, true))
            .collect();
        (!subs.is_empty()).then(|| one_or_any(subs))
    }

    fn group(&mut self, clauses: &[Clause], negated: bool, top: bool) -> Option<Value> {
        let (mut must, mut should, mut must_not) = (Vec::new(), Vec::new(), Vec::new());
        let mut optional = 0;
        let spans = match self.synonyms {
            Some((thesaurus, _)) if !negated => {
                query::synonym_spans(clauses, thesaurus, &mut self.analyzer)
            }
            _ => Vec::new(),
        };
        let mut spans = spans.into_iter().peekable();
        let mut at = 0;
        while at < clauses.len() {
            if let Some((range, synonyms)) = spans.next_if(|(r, _)| r.start == at) {
                at = range.end;
                let typed = clauses[range.start].occur;
                if let Some((required, q, words)) = self.synonym_clause(&clauses[range], &synonyms)
                {
                    if top && typed == syntax::Occur::Default {
                        self.words += words;
                        if !required {
                            optional += 1;
                        }
                    }
                    if required {
                        must.push(q);
                    } else {
                        should.push(q);
                    }
                }
                continue;
            }
            let clause = &clauses[at];
            at += 1;
            let filter = matches!(clause.node, Node::Source(_) | Node::Date { .. });
            let occur = match clause.occur {
                syntax::Occur::Default if self.mode == Mode::All || filter => syntax::Occur::Must,
                syntax::Occur::Default => syntax::Occur::Should,
                other => other,
            };
            let negated = negated || occur == syntax::Occur::MustNot;
            if let Some(q) = self.node(&clause.node, negated) {
                if top && clause.occur == syntax::Occur::Default && !filter {
                    self.words += 1;
                    if occur == syntax::Occur::Should {
                        optional += 1;
                    }
                }
                match occur {
                    syntax::Occur::MustNot => must_not.push(q),
                    syntax::Occur::Should => should.push(q),
                    _ => must.push(q),
                }
            }
        }
        if must.is_empty() && should.is_empty() {
            return None;
        }
        if must_not.is_empty() && must.len() + should.len() == 1 {
            return must.pop().or_else(|| should.pop());
        }
        let mut bool_query = Map::new();
        for (key, list) in [("must", must), ("should", should), ("must_not", must_not)] {
            if !list.is_empty() {
                bool_query.insert(key.into(), Value::Array(list));
            }
        }
        if top && self.minimum > 1 && optional > 1 {
            bool_query.insert(
                "minimum_should_match".into(),
                json!(self.minimum.min(optional)),
            );
        }
        Some(json!({"bool": bool_query}))
    }

    /// As [`query::Builder`]'s synonym clause: the words as typed (all of
    /// them where the query demands every word), or the best of the
    /// group's other entries, each as a phrase, at the synonym weight.
    /// Returns whether it is required, the query, and how many typed words
    /// it stands for.
    fn synonym_clause(
        &mut self,
        clauses: &[Clause],
        synonyms: &[String],
    ) -> Option<(bool, Value, usize)> {
        let (_, weight) = self.synonyms?;
        let typed = clauses.first()?.occur;
        let target = match &clauses.first()?.node {
            Node::Words(w) => w.target,
            _ => return None,
        };
        let typed_queries: Vec<Value> = clauses
            .iter()
            .filter_map(|c| self.node(&c.node, false))
            .collect();
        let words = typed_queries.len();
        let mut alternatives: Vec<Value> = synonyms
            .iter()
            .filter_map(|text| self.words(&Words::exact(text, target), false))
            .collect();
        let required = typed == syntax::Occur::Must || self.mode == Mode::All;
        let mut subs: Vec<Value> = Vec::new();
        if required && typed_queries.len() > 1 {
            subs.push(json!({"bool": {"must": typed_queries}}));
        } else {
            subs.extend(typed_queries);
        }
        if !alternatives.is_empty() {
            // The best synonym counts, not their number.
            let best = if alternatives.len() == 1 {
                alternatives.pop()?
            } else {
                json!({"dis_max": {"queries": alternatives}})
            };
            subs.push(boosted(best, weight));
        }
        if subs.is_empty() {
            return None;
        }
        Some((required, one_or_any(subs), words))
    }

    fn node(&mut self, node: &Node, negated: bool) -> Option<Value> {
        match node {
            Node::Words(words) => {
                let q = self.words(words, negated)?;
                Some(match words.boost {
                    Some(b) => boosted(q, b),
                    None => q,
                })
            }
            Node::Group(clauses) => self.group(clauses, negated, false),
            // Filters inside a group must not change scores: weight zero.
            Node::Source(name) => Some(json!({"constant_score": {
                "filter": source_term(&lookup::source_keyword(name)), "boost": 0.0}})),
            Node::Date { since, until } => Some(json!({"constant_score": {
                "filter": date_range(query::lower_bound(*since), query::upper_bound(*until)),
                "boost": 0.0}})),
        }
    }

    fn fields_of(&self, target: Target) -> Vec<(&'static str, f32)> {
        match target {
            Target::Default => vec![(TERMS_FIELD, 1.0), (TITLE_TERMS_FIELD, self.title_weight)],
            Target::Title => vec![(TITLE_TERMS_FIELD, 1.0)],
            Target::Text => vec![(TERMS_FIELD, 1.0)],
        }
        .into_iter()
        .filter(|&(_, w)| w > 0.0)
        .collect()
    }

    fn words(&mut self, words: &Words, _negated: bool) -> Option<Value> {
        let fields = self.fields_of(words.target);
        if words.prefix && !words.quoted {
            return self.prefix(&words.text, &fields);
        }
        let mut analysed = query::analyse(&mut self.analyzer, None, words)?;
        query::add_particle_verbs(
            &mut self.analyzer,
            self.particle.as_deref(),
            words,
            &mut analysed,
        );
        let per_field: Vec<Value> = fields
            .iter()
            .map(|&(field, weight)| boosted(self.field_query(field, &analysed, words), weight))
            .collect();
        Some(one_or_any(per_field))
    }

    /// The slop a phrase of `main` needs in the export's terms: the
    /// terms that share a position with a word stand between the words
    /// there (see `Analyzer::flat_terms`).
    fn interleaved(&mut self, text: &str, main: &[(usize, String)]) -> u32 {
        let flat = self.index_analyzer.flat_tokens(text);
        let Some(first) = flat.iter().map(|(p, _)| *p).min() else {
            return 0;
        };
        let shifts: Vec<i64> = main
            .iter()
            .enumerate()
            .filter_map(|(i, (p, t))| {
                let position = first + u32::try_from(*p).ok()?;
                let at = flat
                    .iter()
                    .position(|(q, u)| *q == position && u == t)
                    .or_else(|| flat.iter().position(|(q, _)| *q == position))?;
                Some(at as i64 - i as i64)
            })
            .collect();
        let (min, max) = (shifts.iter().min(), shifts.iter().max());
        match (min, max) {
            (Some(min), Some(max)) => u32::try_from(max - min).unwrap_or(u32::MAX),
            _ => 0,
        }
    }

    fn field_query(&mut self, field: &str, a: &Analysed, words: &Words) -> Value {
        let mut alternatives: Vec<Value> = Vec::new();
        let main: Vec<&str> = a.main.iter().map(|(_, t)| t.as_str()).collect();
        alternatives.push(if main.len() == 1 {
            term(field, main[0])
        } else {
            let slop = words
                .slop
                .saturating_add(self.interleaved(&words.text, &a.main));
            let kind = if words.prefix {
                "match_phrase_prefix"
            } else {
                "match_phrase"
            };
            let mut phrase = json!({"query": main.join(" "), "slop": slop});
            let weight = query::word_phrase_weight(words, main.len());
            if weight != 1.0 {
                phrase["boost"] = json!(weight);
            }
            json!({kind: {field: phrase}})
        });
        for t in a.joins.iter().chain(&a.expansions) {
            alternatives.push(term(field, t));
        }
        if !a.parts.is_empty() {
            // lupe's two phrases of the parts (inside one compound, and
            // written apart) are one phrase in the export's terms: the
            // parts follow each other in both.
            alternatives.push(json!({"match_phrase": {field: {
                "query": a.parts.join(" "), "slop": 0, "boost": PART_WEIGHT}}}));
            if self.mode == Mode::Any {
                let all: Vec<Value> = a.parts.iter().map(|p| term(field, p)).collect();
                alternatives.push(json!({"bool": {"must": all, "boost": PARTS_ANYWHERE_WEIGHT}}));
            }
        }
        one_or_any(alternatives)
    }

    /// `Sicher*`: the same index terms lupe expands it to, the best of them
    /// counting.
    fn prefix(&mut self, word_text: &str, fields: &[(&str, f32)]) -> Option<Value> {
        let prefix = query::prefix_key(word_text)?;
        let (found, capped) = (self.prefixes)(&prefix);
        if capped {
            self.notes.push(format!(
                "{word_text}* stands for more words than lupe expands; the {} most frequent were searched",
                found.len()
            ));
        }
        let subs: Vec<Value> = fields
            .iter()
            .map(|&(field, weight)| {
                if found.is_empty() {
                    // Matches nothing, as lupe's empty query.
                    return json!({"terms": {field: []}});
                }
                let alternatives: Vec<Value> = found.iter().map(|t| term(field, t)).collect();
                json!({"dis_max": {"queries": alternatives, "boost": weight}})
            })
            .collect();
        Some(one_or_any(subs))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{index_with, paragraph, record};

    fn body(query: &str) -> Value {
        let (_dir, index) = index_with(&[
            record(
                "a",
                "Sicherheitslücke",
                &paragraph("Eine Sicherheitslücke im KI-Modell"),
                "2024-03-12",
                "KI-Kurier",
            ),
            record(
                "b",
                "Pflege",
                &paragraph("Die Pflege"),
                "2025-01-01",
                "Netz",
            ),
        ]);
        let searcher = Searcher::new(&index).unwrap();
        let mut request = Request::new(query);
        request.limit = 7;
        let es = searcher.es_query(&request).unwrap();
        es.body
            .unwrap_or_else(|| panic!("no body: {:?}", es.nothing))
    }

    fn text(v: &Value) -> String {
        v.to_string()
    }

    #[test]
    fn a_compound_is_its_term_or_its_parts_as_a_weaker_phrase() {
        let b = body("Sicherheitslücke");
        assert_eq!(b["size"], 7);
        let must = &b["query"]["bool"]["must"][0];
        let s = text(must);
        assert!(
            s.contains(r#"{"term":{"lupe_terms":{"value":"sicherheitsluck"}}}"#),
            "{s}"
        );
        assert!(
            s.contains(
                r#""match_phrase":{"lupe_terms":{"boost":0.5,"query":"sicherheit luck","slop":0}}"#
            ),
            "{s}"
        );
        // The title at lupe's weight.
        assert!(
            s.contains(&format!(r#""boost":{}"#, crate::search::TITLE_WEIGHT))
                && s.contains("lupe_title_terms"),
            "{s}"
        );
        // Any mode has the parts anywhere; the preference (All) does not.
        assert!(s.contains(r#""boost":0.30000001192092896"#) || s.contains(r#""boost":0.3"#));
        let preferred = text(&b["query"]["bool"]["should"][0]["constant_score"]["filter"]);
        assert!(!preferred.contains("0.3"), "{preferred}");
        assert_eq!(
            b["query"]["bool"]["should"][0]["constant_score"]["boost"],
            json!(PREFERENCE_BONUS)
        );
    }

    #[test]
    fn an_acronym_is_searched_as_the_acronym_term() {
        let s = text(&body("KI Sicherheit"));
        assert!(
            s.contains(r#"{"term":{"lupe_terms":{"value":"KI"}}}"#),
            "{s}"
        );
        assert!(!s.contains(r#""value":"ki""#), "{s}");
    }

    #[test]
    fn a_sentence_final_particle_joins_the_verb_as_in_lupe() {
        let s = text(&body("Schleppen Flüchtlinge Seuchen ein?"));
        assert!(s.contains(r#""value":"einschlepp""#), "{s}");
    }

    #[test]
    fn hyphen_words_are_a_phrase_or_their_join() {
        let s = text(&body("Open-Source"));
        assert!(
            s.contains(
                r#""match_phrase":{"lupe_terms":{"boost":0.5,"query":"open sourc","slop":0}}"#
            ),
            "{s}"
        );
        assert!(s.contains(r#""value":"opensourc""#), "{s}");
    }

    #[test]
    fn quoted_phrases_get_the_slop_of_interleaved_terms() {
        let s = text(&body("\"Sicherheitslücke im KI-Modell\""));
        // sicherheit, luck and ki stand between the words; the stop word
        // leaves no gap.
        assert!(
            s.contains(r#""query":"sicherheitsluck KI modell","slop":3"#),
            "{s}"
        );
    }

    #[test]
    fn exclusions_and_filters() {
        let b = body("Sicherheitslücke -Pflege source:ki-kurier date:2024");
        let q = &b["query"]["bool"];
        assert_eq!(
            q["must_not"][0],
            json!({"bool": {"should": [
                {"term": {"lupe_terms": {"value": "pfleg"}}},
                {"bool": {"must": [{"term": {"lupe_title_terms": {"value": "pfleg"}}}], "boost": crate::search::TITLE_WEIGHT}}
            ]}})
        );
        let filters = text(&q["filter"]);
        assert!(
            filters.contains(r#"{"term":{"source":"ki-kurier"}}"#),
            "{filters}"
        );
        assert!(
            filters.contains(r#""gte":"2024-01-01T00:00:00Z""#)
                && filters.contains(r#""lt":"2025-01-01T00:00:00Z""#),
            "{filters}"
        );
    }

    #[test]
    fn long_queries_prefer_the_minimum_and_weigh_the_title_less() {
        let b = body("Sicherheitslücke Modell Pflege Netz Kurier Daten");
        let q = &b["query"]["bool"];
        let preferred = &q["should"][0]["constant_score"]["filter"]["bool"];
        assert_eq!(preferred["minimum_should_match"], json!(3), "{b}");
        assert_eq!(preferred["should"].as_array().unwrap().len(), 6);
        assert!(q["must"][0]["bool"].get("minimum_should_match").is_none());
        assert!(text(&b).contains(r#""boost":0.5"#));
    }

    #[test]
    fn synonyms_are_the_best_entry_at_the_synonym_weight() {
        use crate::search::thesaurus::{Synonyms, Thesaurus};
        let (_dir, index) = index_with(&[record(
            "a",
            "KI",
            &paragraph("Künstliche Intelligenz"),
            "2024-01-01",
            "X",
        )]);
        let thesaurus = Thesaurus::compile(
            &Synonyms::parse(
                "KI, künstliche Intelligenz, artificial intelligence",
                "test",
            )
            .unwrap(),
            index.kind(),
        )
        .unwrap();
        let searcher = Searcher::new(&index).unwrap().with_thesaurus(thesaurus);
        let es = searcher.es_query(&Request::new("KI Chips")).unwrap();
        let s = es.body.unwrap().to_string();
        assert!(
            s.contains(
                r#""match_phrase":{"lupe_terms":{"query":"kunstlich intelligenz","slop":0}}"#
            ),
            "{s}"
        );
        assert!(s.contains(r#""dis_max":{"boost":0.5,"queries""#), "{s}");
        // Without a thesaurus, no synonyms.
        let plain = Searcher::new(&index).unwrap();
        let s = plain
            .es_query(&Request::new("KI Chips"))
            .unwrap()
            .body
            .unwrap()
            .to_string();
        assert!(!s.contains("intelligenz"), "{s}");
    }

    #[test]
    fn only_stop_words_or_exclusions_give_no_body() {
        let (_dir, index) = index_with(&[record("a", "T", &paragraph("Text"), "2024-01-01", "X")]);
        let searcher = Searcher::new(&index).unwrap();
        for q in ["der die das", "-Text"] {
            let es = searcher.es_query(&Request::new(q)).unwrap();
            assert!(es.body.is_none() && es.nothing.is_some(), "{q}: {es:?}");
        }
    }
}
