//! Answering queries: ranked passages, at most a few per article, with the
//! matched words located for highlighting.
//!
//! Ranking is BM25 over the passage text plus the article title at a
//! measured weight. Passages that contain every query word come first; when
//! fewer than the requested number do, passages matching some of the words
//! follow, so a long natural-language question still gets its best partial
//! answers.

pub mod highlight;
pub mod query;

use std::ops::Range;

use rustc_hash::{FxHashMap, FxHashSet};
use tantivy::collector::TopDocs;
use tantivy::columnar::{Column, StrColumn};
use tantivy::query::{
    BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, Query, RangeQuery, TermQuery,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{DateTime, DocAddress, Term};

use crate::analysis::Analyzer;
use crate::error::{Error, Result};
use crate::index::LupeIndex;
pub use query::{Mode, Terms};

/// Weight of a title match relative to a passage-text match, chosen on the
/// German relevance set (bench/relevance, 78 queries, nDCG@10 / R@10):
/// 0 → 0.800 / 0.823, 0.5 → 0.857 / 0.859, 1.0 → 0.861 / 0.854,
/// 1.5 → 0.866 / 0.849, 2.0 → 0.858 / 0.831. Without the title, queries
/// naming an article's topic by a compound in its headline lose most; above
/// 1.5 one article's passages start to crowd out better passages elsewhere.
pub const TITLE_WEIGHT: f32 = 1.5;

/// `LUPE_TITLE_WEIGHT` overrides [`TITLE_WEIGHT`], for relevance
/// experiments (`bench/relevance`); not meant for everyday use.
fn title_weight_override() -> Option<f32> {
    std::env::var("LUPE_TITLE_WEIGHT")
        .ok()?
        .parse()
        .ok()
        .filter(|w: &f32| w.is_finite() && *w >= 0.0)
}

/// How many passages of one article may appear by default.
pub const PER_ARTICLE: usize = 2;

/// One search.
#[derive(Debug, Clone)]
pub struct Request {
    /// The query text.
    pub query: String,
    /// Maximum number of hits.
    pub limit: usize,
    /// Maximum number of hits per article (0: no limit).
    pub per_article: usize,
    /// Only articles from this source (case-insensitive).
    pub source: Option<String>,
    /// Only articles published at or after this instant (Unix seconds).
    pub since: Option<i64>,
    /// Only articles published before this instant (Unix seconds).
    pub until: Option<i64>,
    /// How much of each hit to fill in.
    pub detail: Detail,
}

/// How much of each hit a request needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Detail {
    /// Every field, with highlights in the text (what JSON output needs).
    #[default]
    Full,
    /// As `Full`, plus highlights in the title (for people).
    Display,
    /// Rank, score and ids only: no stored text is read (fast, for batch
    /// runs and evaluation).
    Ids,
}

impl Request {
    /// A request for `query` with default limits.
    pub fn new(query: impl Into<String>) -> Request {
        Request {
            query: query.into(),
            limit: 10,
            per_article: PER_ARTICLE,
            source: None,
            since: None,
            until: None,
            detail: Detail::Full,
        }
    }
}

/// The fields of a [`Hit`] in JSON output, in schema order: the contract with
/// scripts (the README's "JSON output" table; a unit test holds the two
/// together).
pub const HIT_FIELDS: [&str; 11] = [
    "rank",
    "score",
    "article_id",
    "passage_id",
    "passage",
    "title",
    "date",
    "source",
    "url",
    "text",
    "highlights",
];

/// The hit fields that need no stored text: a batch that asks only for these
/// reads no documents ([`Detail::Ids`]).
pub const ID_FIELDS: [&str; 5] = ["rank", "score", "article_id", "passage_id", "passage"];

/// One ranked passage. The field order is the JSON schema (see the README);
/// changing it is a breaking change for scripts.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Hit {
    /// 1-based rank.
    pub rank: usize,
    /// BM25 score (comparable within one query only).
    pub score: f32,
    /// The article's id.
    pub article_id: String,
    /// `<article id>#<passage>`.
    pub passage_id: String,
    /// 0-based ordinal of the passage in its article.
    pub passage: u32,
    /// The article's title.
    pub title: String,
    /// The article's date (ISO 8601), if known.
    pub date: Option<String>,
    /// The article's source, if known.
    pub source: Option<String>,
    /// The article's URL, if known.
    pub url: Option<String>,
    /// The passage text.
    pub text: String,
    /// Matched words as `[start, end)` character offsets into `text`.
    pub highlights: Vec<[usize; 2]>,
    /// Matched words in `text`, as byte ranges (for terminal output).
    #[serde(skip)]
    pub text_ranges: Vec<Range<usize>>,
    /// How strongly each of `text_ranges` matched (see
    /// [`highlight::find_weighted`]), to choose the fragment to show.
    #[serde(skip)]
    pub text_weights: Vec<u8>,
    /// Matched words in `title`, as byte ranges.
    #[serde(skip)]
    pub title_ranges: Vec<Range<usize>>,
    /// Whether the passage matched every query word.
    #[serde(skip)]
    pub complete: bool,
}

/// The answer to a [`Request`].
#[derive(Debug, Clone, Default)]
pub struct Results {
    /// Ranked hits.
    pub hits: Vec<Hit>,
    /// Something the user should know (e.g. the query had only stop words).
    pub note: Option<String>,
}

/// Passages picked so far for one request, across its query modes.
#[derive(Default)]
struct Picks {
    picked: Vec<(f32, DocAddress, bool)>,
    per_article: FxHashMap<u64, usize>,
    taken: FxHashSet<DocAddress>,
}

/// The typo fallback runs only for queries of at most this many words: a
/// long text that matches nothing is not a typo, and expanding thousands of
/// words would take seconds.
const MAX_FUZZY_WORDS: usize = 8;

/// At most this many close spellings are tried per query word: enough for
/// the inflections of a misspelt word, few enough to stay fast.
const MAX_SIMILAR_TERMS: usize = 32;

/// A search session over one snapshot of an index; reuse it for many
/// queries.
pub struct Searcher<'a> {
    index: &'a LupeIndex,
    searcher: tantivy::Searcher,
    article_keys: Vec<Column<u64>>,
    article_ids: Vec<StrColumn>,
    ordinals: Vec<Column<u64>>,
    title_weight: f32,
}

fn index_error(index: &LupeIndex) -> impl Fn(tantivy::TantivyError) -> Error + '_ {
    |source| Error::Index {
        path: index.path().to_path_buf(),
        source,
    }
}

impl<'a> Searcher<'a> {
    /// Opens a session on the last commit of `index`. Fails with
    /// [`Error::EmptyIndex`] when the index holds nothing.
    pub fn new(index: &'a LupeIndex) -> Result<Searcher<'a>> {
        let searcher = index.reader()?.searcher();
        if searcher.num_docs() == 0 {
            return Err(Error::EmptyIndex {
                path: index.path().to_path_buf(),
            });
        }
        let columns = |name: &str| {
            searcher
                .segment_readers()
                .iter()
                .map(|s| s.fast_fields().u64(name))
                .collect::<tantivy::Result<Vec<_>>>()
                .map_err(index_error(index))
        };
        let article_keys = columns("article_key")?;
        let ordinals = columns("passage")?;
        let article_ids = searcher
            .segment_readers()
            .iter()
            .map(|s| {
                s.fast_fields().str("article_id")?.ok_or_else(|| {
                    tantivy::TantivyError::SchemaError("article_id is not a fast field".into())
                })
            })
            .collect::<tantivy::Result<Vec<_>>>()
            .map_err(index_error(index))?;
        Ok(Searcher {
            index,
            searcher,
            article_keys,
            article_ids,
            ordinals,
            title_weight: title_weight_override().unwrap_or(TITLE_WEIGHT),
        })
    }

    /// Overrides the title weight (for relevance experiments).
    pub fn with_title_weight(mut self, weight: f32) -> Self {
        self.title_weight = weight;
        self
    }

    /// Number of passages in the snapshot.
    pub fn passages(&self) -> u64 {
        self.searcher.num_docs()
    }

    fn filters(&self, request: &Request) -> Vec<Box<dyn Query>> {
        let fields = self.index.fields();
        let mut filters: Vec<Box<dyn Query>> = Vec::new();
        if let Some(source) = &request.source {
            let term = Term::from_field_text(fields.source, &crate::analysis::keyword(source));
            filters.push(Box::new(TermQuery::new(term, IndexRecordOption::Basic)));
        }
        if request.since.is_some() || request.until.is_some() {
            let term = |secs: i64| {
                Term::from_field_date_for_search(
                    fields.published,
                    DateTime::from_timestamp_secs(secs),
                )
            };
            let lower = request.since.map_or(std::ops::Bound::Unbounded, |s| {
                std::ops::Bound::Included(term(s))
            });
            let upper = request.until.map_or(std::ops::Bound::Unbounded, |s| {
                std::ops::Bound::Excluded(term(s))
            });
            filters.push(Box::new(RangeQuery::new(lower, upper)));
        }
        filters
    }

    fn with_filters(query: Box<dyn Query>, filters: &[Box<dyn Query>]) -> Box<dyn Query> {
        if filters.is_empty() {
            return query;
        }
        let mut clauses = vec![(Occur::Must, query)];
        for f in filters {
            // A filter must not change scores: weight zero.
            clauses.push((Occur::Must, Box::new(BoostQuery::new(f.box_clone(), 0.0))));
        }
        Box::new(BooleanQuery::new(clauses))
    }

    /// Runs one request.
    pub fn search(&self, request: &Request) -> Result<Results> {
        let parsed = query::parse(&request.query)?;
        let filters = self.filters(request);
        let mut state = Picks::default();
        let fields = self.index.fields();
        let mut builder = query::Builder::new(fields, self.index.kind(), self.title_weight);
        let mut results = Results::default();
        let Some(mut terms) = self.run(&parsed, &mut builder, &filters, request, &mut state)?
        else {
            results.note = Some(
                "the query has only stop words (words like \"der\", \"und\", \"dass\"); add a content word"
                    .into(),
            );
            return Ok(results);
        };
        if state.picked.is_empty() && terms.exact.len() <= MAX_FUZZY_WORDS {
            // Nothing matched as typed: try close spellings of each word.
            let expand = |term: &str| self.similar_terms(term);
            let mut fuzzy = query::Builder::new(fields, self.index.kind(), self.title_weight)
                .with_expander(&expand);
            if let Some(t) = self.run(&parsed, &mut fuzzy, &filters, request, &mut state)?
                && !state.picked.is_empty()
            {
                terms = t;
                results.note =
                    Some("no exact matches; showing passages with similar spellings".into());
            }
        }
        if request.detail == Detail::Ids {
            for (rank, (score, address, complete)) in state.picked.into_iter().enumerate() {
                results
                    .hits
                    .push(self.id_hit(rank + 1, score, address, complete)?);
            }
            return Ok(results);
        }
        let mut analyzer = Analyzer::new(crate::analysis::Side::Index, self.index.kind());
        for (rank, (score, address, complete)) in state.picked.into_iter().enumerate() {
            let stored = self.index.load(&self.searcher, address)?;
            let (text_ranges, text_weights) =
                highlight::find_weighted(&mut analyzer, &stored.text, &terms);
            let title_ranges = if request.detail == Detail::Display {
                highlight::find(&mut analyzer, &stored.title, &terms)
            } else {
                Vec::new()
            };
            results.hits.push(Hit {
                rank: rank + 1,
                score,
                highlights: highlight::char_offsets(&stored.text, &text_ranges),
                article_id: stored.article_id,
                passage_id: stored.passage_id,
                passage: stored.passage,
                title: stored.title,
                date: stored.date,
                source: stored.source,
                url: stored.url,
                text: stored.text,
                text_ranges,
                text_weights,
                title_ranges,
                complete,
            });
        }
        Ok(results)
    }

    /// A hit with rank, score and ids only, from fast fields.
    fn id_hit(&self, rank: usize, score: f32, address: DocAddress, complete: bool) -> Result<Hit> {
        let segment = address.segment_ord as usize;
        let mut article_id = String::new();
        let ids = &self.article_ids[segment];
        if let Some(ord) = ids.ords().first(address.doc_id) {
            ids.ord_to_str(ord, &mut article_id)
                .map_err(|e| Error::Index {
                    path: self.index.path().to_path_buf(),
                    source: e.into(),
                })?;
        }
        let passage = self.ordinals[segment].first(address.doc_id).unwrap_or(0) as u32;
        Ok(Hit {
            rank,
            score,
            passage_id: crate::index::passage_id(&article_id, passage),
            article_id,
            passage,
            title: String::new(),
            date: None,
            source: None,
            url: None,
            text: String::new(),
            highlights: Vec::new(),
            text_ranges: Vec::new(),
            text_weights: Vec::new(),
            title_ranges: Vec::new(),
            complete,
        })
    }

    /// Runs the strict mode, then (if hits are missing) the relaxed one. Returns the query's terms,
    /// or `None` when nothing but stop words is left.
    fn run(
        &self,
        parsed: &query::Parsed,
        builder: &mut query::Builder<'_>,
        filters: &[Box<dyn Query>],
        request: &Request,
        state: &mut Picks,
    ) -> Result<Option<Terms>> {
        let modes: &[Mode] = &[Mode::All, Mode::Any];
        let mut terms = None;
        for &mode in modes {
            if state.picked.len() >= request.limit {
                break;
            }
            let Some(q) = builder.build(parsed, mode)? else {
                return Ok(None);
            };
            if terms.is_none() {
                terms = Some(builder.terms().clone());
            }
            let q = Self::with_filters(q, filters);
            let want = request.limit - state.picked.len();
            for (score, address) in self.collect(
                &*q,
                want,
                request.per_article,
                &mut state.per_article,
                &mut state.taken,
            )? {
                state.picked.push((score, address, mode == Mode::All));
            }
        }
        Ok(terms)
    }

    /// Index terms within a small edit distance of `term` (one edit for
    /// words of 4–7 letters, two from 8), for the typo fallback.
    fn similar_terms(&self, term: &str) -> Vec<String> {
        let letters = term.chars().count();
        let distance = match letters {
            0..4 => return Vec::new(),
            4..8 => 1,
            _ => 2,
        };
        let field = self.index.fields().text;
        let query = FuzzyTermQuery::new(Term::from_field_text(field, term), distance, true);
        let mut found: Vec<String> = Vec::new();
        for segment in self.searcher.segment_readers() {
            let (Ok(inverted), Ok(automaton)) = (segment.inverted_index(field), query.automaton())
            else {
                continue;
            };
            let Ok(mut stream) = inverted.terms().search(automaton).into_stream() else {
                continue;
            };
            while stream.advance() {
                if let Ok(t) = std::str::from_utf8(stream.key())
                    && t != term
                    && !found.iter().any(|f| f == t)
                {
                    found.push(t.to_string());
                }
                if found.len() >= MAX_SIMILAR_TERMS {
                    return found;
                }
            }
        }
        found
    }

    /// The best `want` documents of `query` that are not `taken`, with at
    /// most `per_article` per article counted across calls.
    fn collect(
        &self,
        query: &dyn Query,
        want: usize,
        per_article: usize,
        counts: &mut FxHashMap<u64, usize>,
        taken: &mut FxHashSet<DocAddress>,
    ) -> Result<Vec<(f32, DocAddress)>> {
        // No more hits than passages, whatever the limit (`-n 1000000000`
        // would otherwise allocate tantivy's heap for a billion hits).
        let docs = usize::try_from(self.searcher.num_docs()).unwrap_or(usize::MAX);
        let want = want.min(docs);
        if want == 0 {
            return Ok(Vec::new());
        }
        // Fetch a few more than wanted, since some are dropped by the
        // per-article limit; widen only if that was not enough.
        let cap = docs.saturating_add(1);
        let mut fetch = want.saturating_mul(3).saturating_add(10).min(cap);
        loop {
            let top = self
                .searcher
                .search(query, &TopDocs::with_limit(fetch).order_by_score())
                .map_err(index_error(self.index))?;
            let exhausted = top.len() < fetch;
            let mut local = counts.clone();
            let mut out = Vec::with_capacity(want);
            for (score, address) in top {
                if taken.contains(&address) {
                    continue;
                }
                let key = self.article_keys[address.segment_ord as usize]
                    .first(address.doc_id)
                    .unwrap_or(u64::MAX);
                let n = local.entry(key).or_insert(0);
                if per_article > 0 && *n >= per_article {
                    continue;
                }
                *n += 1;
                out.push((score, address));
                if out.len() == want {
                    break;
                }
            }
            if out.len() == want || exhausted {
                *counts = local;
                taken.extend(out.iter().map(|&(_, a)| a));
                return Ok(out);
            }
            fetch = fetch.saturating_mul(4).min(cap);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{index_with, paragraph, record};

    fn corpus() -> (tempfile::TempDir, LupeIndex) {
        index_with(&[
            record(
                "luecke",
                "Sicherheitslücke in Modellhafen",
                &format!(
                    "{}\n\n{}",
                    paragraph("Eine Sicherheitslücke"),
                    paragraph("Die Sicherheitslücke")
                ),
                "2024-03-12",
                "KI-Kurier",
            ),
            record(
                "chips",
                "Exportregeln",
                &paragraph("Grafikprozessoren"),
                "2025-06-01",
                "Netzspiegel",
            ),
            record(
                "pflege",
                "Pflegeberichte",
                &paragraph("Die Pflege und ihre Lücke"),
                "2023-01-15",
                "KI-Kurier",
            ),
        ])
    }

    fn ids(results: &Results) -> Vec<&str> {
        results.hits.iter().map(|h| h.article_id.as_str()).collect()
    }

    /// Article ids, each once, in rank order.
    fn ids_of(results: &Results) -> Vec<&str> {
        let mut out = ids(results);
        let mut seen = std::collections::HashSet::new();
        out.retain(|id| seen.insert(*id));
        out
    }

    #[test]
    fn a_compound_part_finds_the_compound() {
        let (_dir, index) = corpus();
        let searcher = Searcher::new(&index).unwrap();
        let results = searcher.search(&Request::new("Lücke")).unwrap();
        let found = ids(&results);
        assert!(
            found.contains(&"luecke") && found.contains(&"pflege"),
            "{found:?}"
        );
        for hit in &results.hits {
            assert_eq!(
                hit.passage_id,
                format!("{}#{}", hit.article_id, hit.passage)
            );
            assert!(!hit.highlights.is_empty(), "{hit:?}");
        }
    }

    #[test]
    fn filters_keep_only_matching_articles() {
        let (_dir, index) = corpus();
        let searcher = Searcher::new(&index).unwrap();
        let mut request = Request::new("Lücke");
        request.source = Some("ki-kurier".into());
        request.since = Some(crate::article::date::parse("2024-01-01").unwrap().timestamp);
        let results = searcher.search(&request).unwrap();
        assert_eq!(ids_of(&results), ["luecke"]);
        request.source = Some("Netzspiegel".into());
        assert!(searcher.search(&request).unwrap().hits.is_empty());
    }

    #[test]
    fn per_article_limits_passages_of_one_article() {
        let (_dir, index) = corpus();
        let searcher = Searcher::new(&index).unwrap();
        let mut request = Request::new("Sicherheitslücke");
        request.per_article = 1;
        assert_eq!(ids(&searcher.search(&request).unwrap()), ["luecke"]);
        request.per_article = 0;
        assert_eq!(
            ids(&searcher.search(&request).unwrap()),
            ["luecke", "luecke"]
        );
    }

    #[test]
    fn ids_detail_reads_no_stored_text() {
        let (_dir, index) = corpus();
        let searcher = Searcher::new(&index).unwrap();
        let mut request = Request::new("Grafikprozessoren");
        request.detail = Detail::Ids;
        let results = searcher.search(&request).unwrap();
        assert_eq!(ids(&results), ["chips"]);
        assert!(results.hits[0].text.is_empty() && results.hits[0].title.is_empty());
    }

    #[test]
    fn hit_fields_are_the_serialised_fields_and_the_readme_table() {
        let (_dir, index) = corpus();
        let searcher = Searcher::new(&index).unwrap();
        let hit = &searcher.search(&Request::new("Lücke")).unwrap().hits[0];
        // serde_json's map sorts its keys: read the order off the text.
        let json = serde_json::to_string(hit).unwrap();
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value.as_object().unwrap().len(), HIT_FIELDS.len(), "{json}");
        let at: Vec<usize> = HIT_FIELDS
            .iter()
            .map(|f| json.find(&format!("\"{f}\":")).expect(f))
            .collect();
        assert!(at.is_sorted(), "fields out of order: {json}");
        assert!(ID_FIELDS.iter().all(|f| HIT_FIELDS.contains(f)));

        let readme = include_str!("../../README.md");
        let table = &readme[readme.find("## JSON output").expect("JSON output section")..];
        let documented: Vec<&str> = table
            .lines()
            .skip_while(|l| !l.starts_with("| field |"))
            .skip(2)
            .take_while(|l| l.starts_with('|'))
            .flat_map(|l| l.split('|').nth(1))
            .flat_map(|cell| cell.split(','))
            .map(|name| name.trim().trim_matches('`'))
            .collect();
        assert_eq!(documented, HIT_FIELDS, "README's JSON output table");
    }

    #[test]
    fn an_empty_index_is_an_error_of_its_own() {
        let (_dir, index) = crate::testing::empty_index();
        assert!(matches!(
            Searcher::new(&index),
            Err(Error::EmptyIndex { .. })
        ));
    }
}
