//! Printing search results: the one place that decides how a hit looks, for
//! scripts (a JSON array, JSON Lines, and `lupe batch`'s jsonl, tsv and TREC
//! lines) and for people ([`human`]). Kept apart from the searcher, as
//! ripgrep keeps its printer, so `lupe query` and `lupe batch` print through
//! the same code. Everything that reaches a terminal or a line-based format
//! goes through [`sanitize`].

pub mod human;
pub mod sanitize;

use std::io::{self, Write};

use serde::Serialize;
use serde_json::Value;

use crate::search::Hit;

pub use human::{Style, human};

/// All hits as one JSON array (`lupe query --json`).
pub fn json_array(out: &mut impl Write, hits: &[Hit]) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, hits)?;
    writeln!(out)
}

/// One JSON object per hit and line (`lupe query --jsonl`).
pub fn json_lines(out: &mut impl Write, hits: &[Hit]) -> io::Result<()> {
    for hit in hits {
        serde_json::to_writer(&mut *out, hit)?;
        writeln!(out)?;
    }
    Ok(())
}

/// How `lupe batch` writes one query's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BatchFormat {
    /// One JSON object per query, `{"id", "query", "hits"}` or
    /// `{"id", "query", "error"}`, with all hit fields or only `fields`.
    Jsonl {
        /// The hit fields to keep (empty: all of them).
        fields: Vec<String>,
    },
    /// One line per hit: id, rank, passage_id, article_id, score.
    Tsv,
    /// TREC run format: `qid Q0 passage_id rank score lupe`.
    Trec,
    /// No search: one `{"id", "body"}` per query, the Elasticsearch
    /// `_search` body built from lupe's analysis (`lupe batch --format
    /// es-query`).
    EsQuery,
}

impl BatchFormat {
    /// Whether only ids and scores are printed, so no stored text need be read.
    pub fn ids_only(&self) -> bool {
        match self {
            BatchFormat::Tsv | BatchFormat::Trec | BatchFormat::EsQuery => true,
            BatchFormat::Jsonl { fields } => {
                !fields.is_empty()
                    && fields
                        .iter()
                        .all(|f| crate::search::ID_FIELDS.contains(&f.as_str()))
            }
        }
    }
}

#[derive(Serialize)]
struct Answer<'a, H: Serialize> {
    id: &'a Value,
    query: &'a str,
    hits: H,
}

#[derive(Serialize)]
struct Failure<'a> {
    id: &'a Value,
    query: Option<&'a str>,
    error: &'a str,
}

/// The answer to one batch query, as `format` writes it.
pub fn batch_answer(format: &BatchFormat, id: &Value, query: &str, hits: &[Hit]) -> String {
    match format {
        BatchFormat::Jsonl { fields } if fields.is_empty() => {
            let answer = Answer { id, query, hits };
            serde_json::to_string(&answer)
                .map(|s| s + "\n")
                .unwrap_or_default()
        }
        BatchFormat::Jsonl { fields } => {
            let filtered: Vec<serde_json::Map<String, Value>> =
                hits.iter().map(|h| select(h, fields)).collect();
            let answer = Answer {
                id,
                query,
                hits: filtered,
            };
            serde_json::to_string(&answer)
                .map(|s| s + "\n")
                .unwrap_or_default()
        }
        BatchFormat::Tsv => {
            let id = id_token(id);
            hits.iter()
                .map(|h| {
                    format!(
                        "{id}\t{}\t{}\t{}\t{}\n",
                        h.rank,
                        sanitize::escaped(&h.passage_id),
                        sanitize::escaped(&h.article_id),
                        h.score
                    )
                })
                .collect()
        }
        // The searcher writes these, through `batch_es_query`.
        BatchFormat::EsQuery => String::new(),
        BatchFormat::Trec => {
            let id = id_token(id);
            hits.iter()
                .map(|h| {
                    let passage = sanitize::escaped(&h.passage_id);
                    format!("{id} Q0 {passage} {} {} lupe\n", h.rank, h.score)
                })
                .collect()
        }
    }
}

/// A failed batch query, as `format` writes it: an error entry in jsonl,
/// nothing in tsv and TREC (whose readers expect hits only; the caller
/// reports the error on stderr).
pub fn batch_failure(format: &BatchFormat, id: &Value, query: Option<&str>, error: &str) -> String {
    match format {
        BatchFormat::Jsonl { .. } | BatchFormat::EsQuery => {
            let failure = Failure { id, query, error };
            format!("{}\n", serde_json::to_string(&failure).unwrap_or_default())
        }
        BatchFormat::Tsv | BatchFormat::Trec => String::new(),
    }
}

/// One query's Elasticsearch body as a `{"id", "body"}` line; a query with
/// nothing to search has `"body": null` and says why in `"nothing"`.
pub fn batch_es_query(id: &Value, body: Option<&Value>, nothing: Option<&str>) -> String {
    let mut line = serde_json::Map::new();
    line.insert("id".into(), id.clone());
    line.insert("body".into(), body.cloned().unwrap_or(Value::Null));
    if body.is_none()
        && let Some(why) = nothing
    {
        line.insert("nothing".into(), Value::String(why.into()));
    }
    format!("{}\n", Value::Object(line))
}

/// An id as one token for tsv and TREC output.
pub fn id_token(id: &Value) -> String {
    let s = match id {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let s = s.split_whitespace().collect::<Vec<_>>().join("_");
    sanitize::escaped(&s).into_owned()
}

/// The chosen fields of a hit, through the one hit serializer.
fn select(hit: &Hit, fields: &[String]) -> serde_json::Map<String, Value> {
    // Through text, so numbers keep the serializer's shortest form.
    let Ok(Value::Object(mut all)) =
        serde_json::to_string(hit).and_then(|s| serde_json::from_str(&s))
    else {
        return serde_json::Map::new();
    };
    all.retain(|k, _| fields.iter().any(|f| f == k));
    all
}
