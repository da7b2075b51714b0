//! Answering queries: ranked passages, at most a few per article, with the
//! matched words located for highlighting.
//!
//! Ranking is BM25 over the passage text plus the article title at a
//! measured weight, with one score that is printed as it ranked (see
//! `Searcher::run`): for short queries, passages with every
//! word come first and carry that in their score; long queries need only
//! some of their words (a minimum that grows with the length). Equal scores
//! are ordered by article and passage, never by segment layout.
//!
//! Query text is read leniently ([`syntax`]): every text is a query, and
//! what looked like syntax but was read as words is reported in a note.

pub mod es;
pub mod highlight;
mod in_passage;
pub mod query;
pub mod syntax;
pub mod thesaurus;

use std::ops::{Bound, Range};
use std::sync::OnceLock;

use rustc_hash::{FxHashMap, FxHashSet};
use tantivy::DocAddress;
use tantivy::Term;
use tantivy::collector::{Count, DocSetCollector, TopDocs};
use tantivy::query::{BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, Query};

use crate::analysis::Analyzer;
use crate::error::{Error, Result};
use crate::index::{LupeIndex, index_error, lookup};
pub use query::{Mode, Terms};
use syntax::{Clause, Node};

/// Weight of a title match relative to a passage-text match, on top of the
/// title's words in every passage's text (analyzer v7 indexes the title as
/// part of each passage's text, so a word in both saturates as one BM25
/// score, as in BM25F). Chosen on the tuning half of bench/relevance with
/// the title in the text (nDCG@10 keyword / domain): 0 → 0.895 / 0.845,
/// 0.1 → 0.897 / 0.851, 0.25 → 0.906 / 0.851, 0.5 → 0.900 / 0.842,
/// 1.0 → 0.897 / 0.841, 1.5 → 0.889 / 0.836. Before v7 (title only in its
/// own field) the best weight was 1.5: the title now counts in the text.
/// Long queries (questions, pasted headlines) had a weight of their own
/// before v7; with the title in the text, their tuning halves (Wikipedia
/// questions at passage level / news questions, MRR@10) give 0 → 0.570 /
/// 0.889, 0.25 → 0.583 / 0.922, 0.5 → 0.585 / 0.917, 0.75 → 0.577, 1.0 →
/// 0.577: 0.25 and 0.5 tie, so one title weight serves every query.
pub const TITLE_WEIGHT: f32 = 0.25;

/// From this many words (stop words not counted) a query is long: it
/// needs only some of its words, and a word found inside a compound
/// hardly counts ([`query::LONG_QUERY_PART_WEIGHT`]).
pub const LONG_QUERY_WORDS: usize = 4;

/// Weight of a synonym match relative to a match of the words typed: a
/// passage that says "künstliche Intelligenz" ranks above one that only
/// says "KI" for the query `künstliche Intelligenz`. Chosen on the tuning
/// half of the relevance set (bench/relevance/README.md, "Synonyms").
pub const SYNONYM_WEIGHT: f32 = 0.5;

/// The ranking settings: one value that search uses and that export
/// describes to a cluster, so both always agree.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RankingOptions {
    /// Weight of a title match relative to a passage-text match.
    pub title_weight: f32,
    /// Weight of a synonym match relative to the words typed.
    pub synonym_weight: f32,
}

impl Default for RankingOptions {
    fn default() -> Self {
        RankingOptions {
            title_weight: TITLE_WEIGHT,
            synonym_weight: SYNONYM_WEIGHT,
        }
    }
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
    /// Read the query with no syntax at all: every word as typed.
    pub literal: bool,
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
            literal: false,
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
}

/// The answer to a [`Request`].
#[derive(Debug, Clone, Default)]
pub struct Results {
    /// Ranked hits.
    pub hits: Vec<Hit>,
    /// Things the user should know about how the query was read (text read
    /// literally, a capped prefix, the typo fallback).
    pub notes: Vec<String>,
    /// When there are no hits: why (no passage matched; N matched but the
    /// filters removed them; an unknown source; an empty date range; only
    /// stop words).
    pub nothing_found: Option<NothingFound>,
}

/// Why a query found nothing: a stable code for scripts and a sentence for
/// people. `lupe query` prints the sentence on stderr, `lupe batch` writes
/// both into the query's jsonl entry; both come from here.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NothingFound {
    /// What kind of reason it is.
    pub reason: Reason,
    /// The explanation in words (with counts, names, suggestions).
    pub message: String,
}

/// The kinds of [`NothingFound`], written in snake case (`no_match`, …);
/// the README lists them, and scripts may rely on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// No passage has the query's words.
    NoMatch,
    /// Passages have the words, but the filters (source, dates) remove
    /// all of them.
    Filtered,
    /// Passages have the words, but `-word` exclusions remove their
    /// articles.
    Excluded,
    /// The source filter names no source in the index.
    UnknownSource,
    /// The source filter is the start of several sources.
    AmbiguousSource,
    /// The date filters leave no date (`--since` after `--until`, or an
    /// empty `date:` range).
    EmptyDateRange,
    /// The query has no words to search for (nothing, or only exclusions
    /// and filters).
    NoWords,
    /// The query has only stop words.
    OnlyStopWords,
}

impl NothingFound {
    fn new(reason: Reason, message: impl Into<String>) -> Self {
        NothingFound {
            reason,
            message: message.into(),
        }
    }

    /// `--since` on or after `--until` (both as lupe stores them: `until`
    /// is the first second after the last day).
    pub(crate) fn since_after_until(since: i64, until: i64) -> Self {
        NothingFound::new(
            Reason::EmptyDateRange,
            format!(
                "--since {} is after --until {}: no date is in between",
                day(since),
                day(until - 1)
            ),
        )
    }

    /// A `date:` range in the query whose start is after its end.
    pub(crate) fn empty_date_clause() -> Self {
        NothingFound::new(
            Reason::EmptyDateRange,
            "the date: range in the query is empty (its start is after its end)",
        )
    }

    /// No word to search for; `only_filters` when the query has
    /// exclusions or filters but no word.
    pub(crate) fn no_words(only_filters: bool) -> Self {
        NothingFound::new(
            Reason::NoWords,
            if only_filters {
                "the query has no words to search for, only exclusions or filters; add a word"
            } else {
                "the query has no words to search for"
            },
        )
    }

    /// Every word of the query is a stop word.
    pub(crate) fn only_stop_words() -> Self {
        NothingFound::new(
            Reason::OnlyStopWords,
            "the query has only stop words (words like \"der\", \"und\", \"dass\"); add a content word",
        )
    }
}

impl std::fmt::Display for NothingFound {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// The request's query text, read leniently (or literally); what was read
/// as words rather than syntax becomes a note.
fn parse(request: &Request, notes: &mut Vec<String>) -> syntax::Parsed {
    let parsed = if request.literal {
        syntax::parse_literal(&request.query)
    } else {
        syntax::parse(&request.query)
    };
    if !parsed.notes.is_empty() {
        notes.push(format!("read as words: {}", parsed.notes.join(", ")));
    }
    parsed
}

/// A parsed query's top-level clauses by what they do: `source:` and
/// `date:` filter like `--source`, `--since` and `--until`; exclusions
/// remove whole articles; the rest is searched.
struct Parts<'q> {
    positive: Vec<Clause>,
    excluded: Vec<Clause>,
    sources: Vec<&'q str>,
    dates: Vec<(Bound<i64>, Bound<i64>)>,
}

impl<'q> Parts<'q> {
    fn of(parsed: &'q syntax::Parsed) -> Parts<'q> {
        let mut parts = Parts {
            positive: Vec::new(),
            excluded: Vec::new(),
            sources: Vec::new(),
            dates: Vec::new(),
        };
        for clause in &parsed.clauses {
            match (clause.occur, &clause.node) {
                (syntax::Occur::MustNot, _) => parts.excluded.push(clause.clone()),
                (syntax::Occur::Default | syntax::Occur::Must, Node::Source(name)) => {
                    parts.sources.push(name)
                }
                (syntax::Occur::Default | syntax::Occur::Must, Node::Date { since, until }) => {
                    parts
                        .dates
                        .push((query::lower_bound(*since), query::upper_bound(*until)))
                }
                _ => parts.positive.push(clause.clone()),
            }
        }
        parts
    }
}

/// Passages picked so far for one request, across its query modes.
#[derive(Default)]
struct Picks {
    picked: Vec<(f32, DocAddress)>,
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

/// `word*` stands for at most this many index terms (the most frequent):
/// `Sicher*` has hundreds, and each one costs a posting list.
pub const MAX_PREFIX_TERMS: usize = 64;

/// At most this many terms are looked at per segment for one prefix, so a
/// two-letter prefix cannot walk the whole term dictionary.
const MAX_PREFIX_SCAN: usize = 20_000;

/// Sources listed in a "no such source" message.
const MAX_LISTED_SOURCES: usize = 20;

/// The filters of one request, with words for the explanations.
#[derive(Default)]
struct Filters {
    queries: Vec<Box<dyn Query>>,
    described: Vec<String>,
}

/// A search session over one snapshot of an index; reuse it for many
/// queries.
pub struct Searcher<'a> {
    index: &'a LupeIndex,
    searcher: tantivy::Searcher,
    columns: lookup::Columns,
    ranking: RankingOptions,
    sources: OnceLock<Vec<String>>,
    thesaurus: Option<thesaurus::Thesaurus>,
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
        let columns = lookup::Columns::open(&searcher, index.path())?;
        Ok(Searcher {
            index,
            searcher,
            columns,
            ranking: RankingOptions::default(),
            sources: OnceLock::new(),
            thesaurus: None,
        })
    }

    /// Ranks with other settings (for relevance experiments).
    pub fn with_ranking(mut self, ranking: RankingOptions) -> Self {
        self.ranking = ranking;
        self
    }

    /// Expands query words by the groups of `thesaurus` (without it, no
    /// synonyms are used).
    pub fn with_thesaurus(mut self, thesaurus: thesaurus::Thesaurus) -> Self {
        self.thesaurus = Some(thesaurus);
        self
    }

    /// Number of passages in the snapshot.
    pub fn passages(&self) -> u64 {
        self.searcher.num_docs()
    }

    /// The source keywords of the index (computed once per session).
    fn sources(&self) -> Result<&[String]> {
        if let Some(s) = self.sources.get() {
            return Ok(s);
        }
        let found =
            lookup::source_keywords(&self.searcher, self.index.fields(), self.index.path())?;
        Ok(self.sources.get_or_init(|| found))
    }

    /// The source keyword a name stands for: the source itself
    /// (case-insensitive) or the one source it is the start of. Otherwise
    /// the message that explains why nothing can be found.
    fn resolve_source(&self, name: &str) -> Result<std::result::Result<String, NothingFound>> {
        let key = lookup::source_keyword(name);
        let sources = self.sources()?;
        if sources.binary_search(&key).is_ok() {
            return Ok(Ok(key));
        }
        let starting: Vec<&String> = sources.iter().filter(|s| s.starts_with(&key)).collect();
        if starting.len() == 1 && !key.is_empty() {
            return Ok(Ok(starting[0].clone()));
        }
        if starting.len() > 1 && !key.is_empty() {
            return Ok(Err(NothingFound::new(
                Reason::AmbiguousSource,
                format!(
                    "source {name:?} is the start of several sources ({}); write more of the name",
                    list(starting.iter().map(|s| s.as_str()))
                ),
            )));
        }
        let mut message = format!("no source is called {name:?}");
        if let Some(best) = closest(&key, sources) {
            message.push_str(&format!("; did you mean {best:?}?"));
        }
        if sources.is_empty() {
            message.push_str(" (no article in the index has a source)");
        } else {
            message.push_str(&format!(
                " Sources in the index: {}",
                list(sources.iter().map(|s| s.as_str()))
            ));
        }
        Ok(Err(NothingFound::new(Reason::UnknownSource, message)))
    }

    /// The request's own filters plus `source:`/`date:` from the query.
    /// `Err` holds why nothing can be found (unknown source, empty range).
    fn filters(
        &self,
        request: &Request,
        query_sources: &[&str],
        query_dates: &[(Bound<i64>, Bound<i64>)],
    ) -> Result<std::result::Result<Filters, NothingFound>> {
        let fields = self.index.fields();
        let mut filters = Filters::default();
        if let Some(source) = &request.source {
            match self.resolve_source(source)? {
                Ok(key) => {
                    filters.queries.push(lookup::source_query(fields, &key));
                    filters.described.push(format!("--source {source}"));
                }
                Err(why) => return Ok(Err(why)),
            }
        }
        if !query_sources.is_empty() {
            // Several source: values: articles from any of them.
            let mut any: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            for name in query_sources {
                match self.resolve_source(name)? {
                    Ok(key) => any.push((Occur::Should, lookup::source_query(fields, &key))),
                    Err(why) => return Ok(Err(why)),
                }
                filters.described.push(format!("source:{name}"));
            }
            filters.queries.push(Box::new(BooleanQuery::new(any)));
        }
        let flags = (
            request.since.map_or(Bound::Unbounded, Bound::Included),
            request.until.map_or(Bound::Unbounded, Bound::Excluded),
        );
        if request.since.is_some() || request.until.is_some() {
            if let (Some(since), Some(until)) = (request.since, request.until)
                && since >= until
            {
                return Ok(Err(NothingFound::since_after_until(since, until)));
            }
            filters
                .queries
                .push(lookup::date_query(fields, flags.0, flags.1));
            filters.described.push("--since/--until".into());
        }
        for &(lower, upper) in query_dates {
            if is_empty_range(lower, upper) {
                return Ok(Err(NothingFound::empty_date_clause()));
            }
            filters
                .queries
                .push(lookup::date_query(fields, lower, upper));
            filters.described.push("date:".into());
        }
        Ok(Ok(filters))
    }

    fn with_filters(query: Box<dyn Query>, filters: &Filters) -> Box<dyn Query> {
        if filters.queries.is_empty() {
            return query;
        }
        let mut clauses = vec![(Occur::Must, query)];
        for f in &filters.queries {
            // A filter must not change scores: weight zero.
            clauses.push((Occur::Must, Box::new(BoostQuery::new(f.box_clone(), 0.0))));
        }
        Box::new(BooleanQuery::new(clauses))
    }

    /// Runs one request. Any query text is valid: errors come only from the
    /// index.
    pub fn search(&self, request: &Request) -> Result<Results> {
        let mut results = Results::default();
        let parsed = parse(request, &mut results.notes);
        let Parts {
            positive,
            excluded,
            sources,
            dates,
        } = Parts::of(&parsed);
        let filters = match self.filters(request, &sources, &dates)? {
            Ok(f) => f,
            Err(why) => {
                results.nothing_found = Some(why);
                return Ok(results);
            }
        };
        if positive.is_empty() {
            let only_filters = !(excluded.is_empty() && dates.is_empty() && sources.is_empty());
            results.nothing_found = Some(NothingFound::no_words(only_filters));
            return Ok(results);
        }
        let fields = self.index.fields();
        let prefixes = |p: &str| self.prefix_terms(p);
        let new_builder = || {
            let builder = query::Builder::new(fields, self.index.kind(), self.ranking.title_weight)
                .with_prefixes(&prefixes);
            match &self.thesaurus {
                Some(t) => builder.with_synonyms(t, self.ranking.synonym_weight),
                None => builder,
            }
        };
        let excluded_articles = self.excluded_articles(&excluded, new_builder())?;
        let mut state = Picks::default();
        let mut builder = new_builder();
        let Some(mut terms) = self.run(
            &positive,
            &mut builder,
            &filters,
            &excluded_articles,
            request,
            &mut state,
        )?
        else {
            results.nothing_found = Some(NothingFound::only_stop_words());
            return Ok(results);
        };
        results.notes.extend(builder.take_notes());
        if state.picked.is_empty() && terms.exact.len() <= MAX_FUZZY_WORDS {
            // Nothing matched as typed: try close spellings of each word.
            let expand = |term: &str| self.similar_terms(term);
            let mut fuzzy = new_builder().with_expander(&expand);
            let found = self.run(
                &positive,
                &mut fuzzy,
                &filters,
                &excluded_articles,
                request,
                &mut state,
            )?;
            if let Some(t) = found.filter(|_| !state.picked.is_empty()) {
                terms = t;
                results
                    .notes
                    .push("no exact matches; showing passages with similar spellings".into());
            }
        }
        if state.picked.is_empty() {
            results.nothing_found = Some(self.explain_nothing(
                &positive,
                &filters,
                &excluded_articles,
                new_builder(),
            )?);
            return Ok(results);
        }
        if request.detail == Detail::Ids {
            for (rank, (score, address)) in state.picked.into_iter().enumerate() {
                results.hits.push(self.id_hit(rank + 1, score, address)?);
            }
            return Ok(results);
        }
        results.hits = self.hits(state.picked, &terms, request.detail)?;
        Ok(results)
    }

    /// The picked passages as hits: stored fields, and where the query's
    /// terms are in the text (and, for people, in the title).
    fn hits(
        &self,
        picked: Vec<(f32, DocAddress)>,
        terms: &Terms,
        detail: Detail,
    ) -> Result<Vec<Hit>> {
        let mut analyzer = Analyzer::new(crate::analysis::Side::Index, self.index.kind());
        let mut hits = Vec::with_capacity(picked.len());
        for (rank, (score, address)) in picked.into_iter().enumerate() {
            let stored = self.index.load(&self.searcher, address)?;
            let (text_ranges, text_weights) =
                highlight::find_weighted(&mut analyzer, &stored.text, terms);
            let title_ranges = if detail == Detail::Display {
                highlight::find(&mut analyzer, &stored.title, terms)
            } else {
                Vec::new()
            };
            hits.push(Hit {
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
            });
        }
        Ok(hits)
    }

    /// The articles that `-word` clauses exclude: every article with a
    /// passage that has the word, not only the passage itself.
    fn excluded_articles(
        &self,
        excluded: &[Clause],
        mut builder: query::Builder<'_>,
    ) -> Result<FxHashSet<u64>> {
        let mut keys = FxHashSet::default();
        if excluded.is_empty() {
            return Ok(keys);
        }
        let Some(query) = builder.build_any(excluded) else {
            return Ok(keys);
        };
        let addresses = self
            .searcher
            .search(&*query, &DocSetCollector)
            .map_err(index_error(self.index.path()))?;
        keys.extend(addresses.into_iter().map(|a| self.columns.article_key(a)));
        Ok(keys)
    }

    /// Why a query found nothing: nothing matches its words, or passages
    /// match but the filters or exclusions removed them.
    fn explain_nothing(
        &self,
        positive: &[Clause],
        filters: &Filters,
        excluded: &FxHashSet<u64>,
        mut builder: query::Builder<'_>,
    ) -> Result<NothingFound> {
        let no_match = || NothingFound::new(Reason::NoMatch, "no passage matches the query");
        let Some(query) = builder.build(positive, Mode::Any) else {
            return Ok(no_match());
        };
        let count = |q: &dyn Query| {
            self.searcher
                .search(q, &Count)
                .map_err(index_error(self.index.path()))
        };
        let matching = count(&*query)?;
        if matching == 0 {
            return Ok(no_match());
        }
        let passages = |n: usize| if n == 1 { "passage" } else { "passages" };
        if !filters.queries.is_empty() {
            let filtered = count(&*Self::with_filters(query.box_clone(), filters))?;
            if filtered == 0 {
                return Ok(NothingFound::new(
                    Reason::Filtered,
                    format!(
                        "{matching} {} match the words, but the filters ({}) remove all of them",
                        passages(matching),
                        filters.described.join(", ")
                    ),
                ));
            }
        }
        if !excluded.is_empty() {
            return Ok(NothingFound::new(
                Reason::Excluded,
                format!(
                    "{matching} {} match the words, but the excluded words (-word) remove their articles",
                    passages(matching)
                ),
            ));
        }
        Ok(NothingFound::new(
            Reason::NoMatch,
            "no passage matches all the words of the query",
        ))
    }

    /// A hit with rank, score and ids only, from fast fields.
    fn id_hit(&self, rank: usize, score: f32, address: DocAddress) -> Result<Hit> {
        let article_id = self.columns.article_id(address, self.index.path())?;
        let passage = self.columns.ordinal(address);
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
        })
    }

    /// Ranks the passages for `clauses`, with one score that is printed as
    /// it ranked.
    ///
    /// Up to three words, passages with every word come first: their score
    /// is their BM25 score for all words plus the best score of the
    /// passages with only some of the words (which fill up when there are
    /// too few complete ones), so the order is the score order. From four
    /// words on, no word is demanded: passages must contain at least
    /// [`query::minimum_should_match`] of the words, ranked by BM25 alone;
    /// when that leaves too few, passages with fewer words fill up, ranked
    /// by the same score. Returns the query's terms, or `None` when nothing
    /// but stop words is left.
    fn run(
        &self,
        clauses: &[Clause],
        builder: &mut query::Builder<'_>,
        filters: &Filters,
        excluded: &FxHashSet<u64>,
        request: &Request,
        state: &mut Picks,
    ) -> Result<Option<Terms>> {
        let Some(mut all) = builder.build(clauses, Mode::All) else {
            return Ok(None);
        };
        if builder.word_count() >= LONG_QUERY_WORDS {
            builder.set_long();
            all = builder.build(clauses, Mode::All).unwrap_or(all);
        }
        let mut terms = builder.terms().clone();
        let minimum = query::minimum_should_match(builder.word_count());
        let mut complete: Vec<(f32, DocAddress)> = Vec::new();
        if minimum == 1 {
            let q = Self::with_filters(all, filters);
            complete = self.collect(&*q, request.limit, request.per_article, excluded, state)?;
        }
        let mut partial: Vec<(f32, DocAddress)> = Vec::new();
        let mut minimums = vec![minimum];
        if minimum > 1 {
            minimums.push(1);
        }
        for minimum in minimums {
            let want = request.limit - complete.len() - partial.len();
            if want == 0 {
                break;
            }
            let Some(any) = builder.build_with_minimum(clauses, Mode::Any, minimum) else {
                return Ok(None);
            };
            terms = builder.terms().clone();
            let q = Self::with_filters(any, filters);
            partial.extend(self.collect(&*q, want, request.per_article, excluded, state)?);
        }
        // Complete matches rank above every partial one, and say so in
        // their score.
        let best_partial = partial.iter().map(|p| p.0).fold(0.0_f32, f32::max);
        state.picked.extend(
            complete
                .into_iter()
                .map(|(score, address)| (score + best_partial, address)),
        );
        state.picked.extend(partial);
        // One order for all: score, then a key that does not depend on how
        // the index happens to be laid out in segments.
        state.picked.sort_by(|a, b| {
            b.0.total_cmp(&a.0)
                .then_with(|| self.tie_key(a.1).cmp(&self.tie_key(b.1)))
        });
        Ok(Some(terms))
    }

    /// The tie-break of equal scores: article key, then passage ordinal
    /// (both from the article id, so two identical ingests agree).
    fn tie_key(&self, address: DocAddress) -> (u64, u32) {
        (
            self.columns.article_key(address),
            self.columns.ordinal(address),
        )
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

    /// The index terms starting with `prefix`: the [`MAX_PREFIX_TERMS`]
    /// most frequent, and whether there were more.
    fn prefix_terms(&self, prefix: &str) -> (Vec<String>, bool) {
        let field = self.index.fields().text;
        let mut freq: FxHashMap<String, u64> = FxHashMap::default();
        let mut truncated = false;
        for segment in self.searcher.segment_readers() {
            let Ok(inverted) = segment.inverted_index(field) else {
                continue;
            };
            let Ok(mut stream) = inverted.terms().range().ge(prefix.as_bytes()).into_stream()
            else {
                continue;
            };
            let mut scanned = 0;
            while stream.advance() {
                if !stream.key().starts_with(prefix.as_bytes()) {
                    break;
                }
                scanned += 1;
                if scanned > MAX_PREFIX_SCAN {
                    truncated = true;
                    break;
                }
                if let Ok(t) = std::str::from_utf8(stream.key()) {
                    *freq.entry(t.to_string()).or_default() += u64::from(stream.value().doc_freq);
                }
            }
        }
        let mut terms: Vec<(String, u64)> = freq.into_iter().collect();
        terms.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let capped = truncated || terms.len() > MAX_PREFIX_TERMS;
        terms.truncate(MAX_PREFIX_TERMS);
        (terms.into_iter().map(|(t, _)| t).collect(), capped)
    }

    /// The best `want` documents of `query` that are not taken yet nor in
    /// an excluded article, with at most `per_article` per article counted
    /// across calls.
    fn collect(
        &self,
        query: &dyn Query,
        want: usize,
        per_article: usize,
        excluded: &FxHashSet<u64>,
        state: &mut Picks,
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
                .map_err(index_error(self.index.path()))?;
            let exhausted = top.len() < fetch;
            let mut top = top;
            top.sort_by(|a, b| {
                b.0.total_cmp(&a.0)
                    .then_with(|| self.tie_key(a.1).cmp(&self.tie_key(b.1)))
            });
            let mut local = state.per_article.clone();
            let mut out = Vec::with_capacity(want);
            for (score, address) in top {
                if state.taken.contains(&address) {
                    continue;
                }
                let key = self.columns.article_key(address);
                if excluded.contains(&key) {
                    continue;
                }
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
                state.per_article = local;
                state.taken.extend(out.iter().map(|&(_, a)| a));
                return Ok(out);
            }
            fetch = fetch.saturating_mul(4).min(cap);
        }
    }
}

/// A date range that no instant is in.
fn is_empty_range(lower: Bound<i64>, upper: Bound<i64>) -> bool {
    let low = match lower {
        Bound::Included(s) => s,
        Bound::Excluded(s) => s.saturating_add(1),
        Bound::Unbounded => return false,
    };
    match upper {
        Bound::Included(s) => low > s,
        Bound::Excluded(s) => low >= s,
        Bound::Unbounded => false,
    }
}

/// The day of an instant, as `2025-03-01` (UTC).
fn day(secs: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(secs)
        .map(|t| t.date().to_string())
        .unwrap_or_else(|_| secs.to_string())
}

/// Names for a message, the first few of them.
fn list<'s>(names: impl ExactSizeIterator<Item = &'s str>) -> String {
    let total = names.len();
    let mut shown: Vec<String> = names
        .take(MAX_LISTED_SOURCES)
        .map(|n| format!("{n:?}"))
        .collect();
    if total > shown.len() {
        shown.push(format!("and {} more", total - shown.len()));
    }
    shown.join(", ")
}

/// The name closest to `given` in edit distance, if any is close enough to
/// be a plausible slip (at most a third of its letters differ).
fn closest<'s>(given: &str, names: &'s [String]) -> Option<&'s str> {
    let given_len = given.chars().count();
    names
        .iter()
        .map(|n| (edit_distance(given, n), n))
        .filter(|(d, n)| *d * 3 <= given_len.max(n.chars().count()))
        .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)))
        .map(|(_, n)| n.as_str())
}

/// Levenshtein distance in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (diagonal + usize::from(ca != cb))
                .min(row[j] + 1)
                .min(above + 1);
            diagonal = above;
        }
    }
    row[b.len()]
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

    #[test]
    fn closest_source_name() {
        let names = vec![
            "der standard".to_string(),
            "heise".into(),
            "ki-kurier".into(),
        ];
        assert_eq!(closest("heiss", &names), Some("heise"));
        assert_eq!(closest("ki kurier", &names), Some("ki-kurier"));
        assert_eq!(closest("zeit", &names), None);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    #[test]
    fn empty_ranges() {
        assert!(is_empty_range(Bound::Included(10), Bound::Excluded(10)));
        assert!(!is_empty_range(Bound::Included(10), Bound::Excluded(11)));
        assert!(!is_empty_range(Bound::Unbounded, Bound::Excluded(0)));
    }
}
