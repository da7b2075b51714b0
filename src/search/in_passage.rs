//! `text:word`: a match in the passage itself, not in its title.
//!
//! Every passage's `text` and `parts` fields also hold its article's title,
//! from [`TITLE_POSITION`] on (see [`crate::index::Fields::text`]), so that
//! BM25 ranks a passage together with its title. A query restricted to the
//! text must not be satisfied by the title alone: [`InPassage`] keeps the
//! documents of its inner query in which one of the inner query's terms
//! occurs at a position of the passage. The score is the inner query's.

use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, TantivyError, Term};

use crate::index::TITLE_POSITION;

/// The documents of `inner` that have one of its terms in the passage's
/// own text (for a phrase: one of its words).
#[derive(Debug)]
pub struct InPassage {
    inner: Box<dyn Query>,
}

impl InPassage {
    pub fn new(inner: Box<dyn Query>) -> InPassage {
        InPassage { inner }
    }

    fn terms(&self) -> Vec<Term> {
        let mut terms: Vec<Term> = Vec::new();
        self.inner
            .query_terms(&mut |term, _| terms.push(term.clone()));
        terms.sort();
        terms.dedup();
        terms
    }
}

impl Clone for InPassage {
    fn clone(&self) -> Self {
        InPassage {
            inner: self.inner.box_clone(),
        }
    }
}

impl Query for InPassage {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(InPassageWeight {
            inner: self.inner.weight(enable_scoring)?,
            terms: self.terms(),
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.inner.query_terms(visitor);
    }
}

struct InPassageWeight {
    inner: Box<dyn Weight>,
    terms: Vec<Term>,
}

impl Weight for InPassageWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut postings = Vec::with_capacity(self.terms.len());
        for term in &self.terms {
            let inverted = reader.inverted_index(term.field())?;
            if let Some(p) =
                inverted.read_postings(term, IndexRecordOption::WithFreqsAndPositions)?
            {
                postings.push(p);
            }
        }
        let mut scorer = InPassageScorer {
            inner: self.inner.scorer(reader, boost)?,
            postings,
            positions: Vec::new(),
        };
        scorer.settle();
        Ok(Box::new(scorer))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(TantivyError::InvalidArgument(format!(
                "document {doc} has none of the words in its passage text"
            )));
        }
        self.inner.explain(reader, doc)
    }
}

struct InPassageScorer {
    inner: Box<dyn Scorer>,
    postings: Vec<SegmentPostings>,
    positions: Vec<u32>,
}

impl InPassageScorer {
    /// Does `doc` have one of the terms before the title's positions?
    fn in_passage(&mut self, doc: DocId) -> bool {
        for p in &mut self.postings {
            if p.doc() < doc {
                p.seek(doc);
            }
            if p.doc() == doc {
                self.positions.clear();
                p.positions(&mut self.positions);
                // Positions come sorted: the first one decides.
                if self
                    .positions
                    .first()
                    .is_some_and(|&pos| pos < TITLE_POSITION)
                {
                    return true;
                }
            }
        }
        false
    }

    /// Moves the inner scorer on to the first document, from its current
    /// one, that matches in the passage.
    fn settle(&mut self) -> DocId {
        let mut doc = self.inner.doc();
        while doc != TERMINATED && !self.in_passage(doc) {
            doc = self.inner.advance();
        }
        doc
    }
}

impl DocSet for InPassageScorer {
    fn advance(&mut self) -> DocId {
        self.inner.advance();
        self.settle()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.inner.seek(target);
        self.settle()
    }

    fn doc(&self) -> DocId {
        self.inner.doc()
    }

    fn size_hint(&self) -> u32 {
        self.inner.size_hint()
    }
}

impl Scorer for InPassageScorer {
    fn score(&mut self) -> Score {
        self.inner.score()
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use crate::search::{Request, Searcher};
    use crate::testing::{empty_index, ingest_lines};

    /// Words that share no stem and are no part of one another.
    const WORDS: [&str; 6] = ["Katze", "Wolke", "Tisch", "Garten", "Vogel", "Brücke"];

    fn sentence(picks: &[usize]) -> String {
        let words: Vec<&str> = picks.iter().map(|&i| WORDS[i]).collect();
        format!("{}.", words.join(" und "))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        /// `text:word` finds exactly the passages whose own text has the
        /// word, whatever their titles say; without the field, the title
        /// counts too. Two ingests make two segments.
        #[test]
        fn text_field_is_the_passage_alone(
            articles in proptest::collection::vec(
                (proptest::collection::vec(0..WORDS.len(), 1..3),
                 proptest::collection::vec(0..WORDS.len(), 1..5)),
                2..7,
            )
        ) {
            let (_dir, index) = empty_index();
            let lines: Vec<String> = articles
                .iter()
                .enumerate()
                .map(|(i, (title, body))| {
                    serde_json::json!({
                        "id": format!("a{i}"),
                        "title": sentence(title),
                        "body": sentence(body),
                    })
                    .to_string()
                })
                .collect();
            let (first, second) = lines.split_at(lines.len() / 2);
            ingest_lines(&index, first);
            ingest_lines(&index, second);
            let searcher = Searcher::new(&index).unwrap();
            for (w, word) in WORDS.iter().enumerate() {
                let found = |query: String| -> Vec<String> {
                    let mut request = Request::new(query);
                    request.limit = 100;
                    request.per_article = 0;
                    let mut ids: Vec<String> = searcher
                        .search(&request)
                        .unwrap()
                        .hits
                        .into_iter()
                        .map(|h| h.article_id)
                        .collect();
                    ids.sort();
                    ids
                };
                let having = |in_title: bool| -> Vec<String> {
                    articles
                        .iter()
                        .enumerate()
                        .filter(|(_, (title, body))| {
                            body.contains(&w) || (in_title && title.contains(&w))
                        })
                        .map(|(i, _)| format!("a{i}"))
                        .collect()
                };
                prop_assert_eq!(found(format!("text:{word}")), having(false), "text:{}", word);
                prop_assert_eq!(found((*word).to_string()), having(true), "{}", word);
            }
        }
    }
}
