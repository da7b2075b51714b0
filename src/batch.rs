//! Many queries in one process (`lupe batch`): read line by line, answered
//! in parallel on all cores against one index snapshot, written in input
//! order.
//!
//! Input is read in chunks, so memory stays bounded however long it is. A
//! line is plain query text or a JSON object with its own id, limits and
//! filters. A line that cannot be used (bad JSON, a bad `"since"`, too long,
//! not UTF-8) becomes one error entry and the batch goes on.

use std::io::{self, BufRead, Write};

use rayon::prelude::*;
use serde_json::Value;

use crate::article::date;
use crate::lines::{self, Line};
use crate::printer::{self, BatchFormat};
use crate::search::{Detail, Request, Searcher};

/// Queries answered per chunk: enough to keep every core busy, small enough
/// that output starts early and memory stays flat.
const CHUNK: usize = 512;

/// A query line longer than this is an error entry (read to its end, not
/// kept): no query needs it, and memory stays flat on any input.
pub const MAX_LINE: usize = 64 << 10;

/// How a batch runs.
#[derive(Debug, Clone)]
pub struct Options {
    /// Passages per query unless a JSON line says otherwise.
    pub limit: usize,
    /// Passages per article unless a JSON line says otherwise.
    pub per_article: usize,
    /// How answers are written.
    pub format: BatchFormat,
    /// Read queries with no syntax unless a JSON line says otherwise.
    pub literal: bool,
}

/// One line of input, parsed.
#[derive(Debug, Clone)]
pub struct Entry {
    /// 1-based line number.
    pub line: usize,
    /// The query's id: the JSON line's `"id"`, else the line number.
    pub id: Value,
    /// The query text, when there is one.
    pub query: Option<String>,
    /// The request, or why the line cannot be one.
    pub request: Result<Request, String>,
}

/// The field `name` of a JSON query line, read as a `T`; a value of the
/// wrong type is an error that names the field.
fn field<T: serde::de::DeserializeOwned>(
    object: &serde_json::Map<String, Value>,
    name: &str,
) -> Result<Option<T>, String> {
    match object.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => T::deserialize(value)
            .map(Some)
            .map_err(|e| format!("\"{name}\": {e}")),
    }
}

fn parse_date(field: &str, value: Option<String>, until: bool) -> Result<Option<i64>, String> {
    let Some(text) = value else {
        return Ok(None);
    };
    let parsed = if until {
        date::parse_until(&text)
    } else {
        date::parse_since(&text)
    };
    parsed.map(Some).map_err(|e| format!("\"{field}\": {e}"))
}

/// Parses one (trimmed, non-empty) input line.
pub fn parse_entry(line_no: usize, line: &str, options: &Options) -> Entry {
    let detail = if options.format.ids_only() {
        Detail::Ids
    } else {
        Detail::Full
    };
    let base = |query: String| Request {
        query,
        limit: options.limit,
        per_article: options.per_article,
        source: None,
        since: None,
        until: None,
        detail,
        literal: options.literal,
    };
    if !line.starts_with('{') {
        return Entry {
            line: line_no,
            id: Value::from(line_no),
            query: Some(line.to_string()),
            request: Ok(base(line.to_string())),
        };
    }
    parse_json_entry(line_no, line, base)
}

/// Parses one JSON query line: an object first, then its fields one by
/// one, so that a field of the wrong type (`"since": 5`) does not cost the
/// line its id, or a script could not match the error to its question.
fn parse_json_entry(line_no: usize, line: &str, base: impl Fn(String) -> Request) -> Entry {
    let fallback_id = Value::from(line_no);
    let object: serde_json::Map<String, Value> = match serde_json::from_str(line) {
        Ok(object) => object,
        Err(e) => {
            return Entry {
                line: line_no,
                id: fallback_id,
                query: None,
                request: Err(format!("invalid JSON: {e}")),
            };
        }
    };
    let id = match object.get("id") {
        None | Some(Value::Null) => fallback_id,
        Some(id) => id.clone(),
    };
    let query = match object.get("query") {
        Some(Value::String(q)) => q.clone(),
        Some(_) => {
            return Entry {
                line: line_no,
                id,
                query: None,
                request: Err("\"query\" must be a string".into()),
            };
        }
        None => {
            return Entry {
                line: line_no,
                id,
                query: None,
                request: Err("missing \"query\"".into()),
            };
        }
    };
    let request = (|| {
        let mut r = base(query.clone());
        if let Some(limit) = field::<usize>(&object, "limit")? {
            if limit == 0 {
                return Err("\"limit\" must be at least 1".to_string());
            }
            r.limit = limit;
        }
        if let Some(n) = field(&object, "per_article")? {
            r.per_article = n;
        }
        r.source = field(&object, "source")?;
        if let Some(literal) = field(&object, "literal")? {
            r.literal = literal;
        }
        r.since = parse_date("since", field(&object, "since")?, false)?;
        r.until = parse_date("until", field(&object, "until")?, true)?;
        Ok(r)
    })();
    Entry {
        line: line_no,
        id,
        query: Some(query),
        request,
    }
}

/// Why a query failed.
#[derive(Debug, Clone)]
pub struct Failed {
    /// The whole error chain, for the error entry.
    pub message: String,
    /// tantivy failed on the index (not the query): maybe damage.
    pub index: bool,
}

/// What a batch did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Queries answered or failed.
    pub queries: usize,
    /// Queries that failed.
    pub failed: usize,
    /// Whether any failure came from the index rather than the query.
    pub index_failed: bool,
}

/// A batch that could not go on: its input or its output failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Reading the queries failed.
    #[error("reading queries (line {line})")]
    Read {
        /// The line being read.
        line: usize,
        /// The underlying error.
        source: io::Error,
    },
    /// Writing the answers failed (a closed pipe among them).
    #[error("writing answers")]
    Write(#[source] io::Error),
}

/// What answering one entry gave.
enum Answered {
    Hits(crate::search::Results),
    Body(crate::search::es::EsQuery),
}

fn failed(e: &crate::error::Error) -> Failed {
    Failed {
        index: matches!(e, crate::error::Error::Index { .. }),
        // The whole chain: "index X" alone says nothing.
        message: error_chain(e),
    }
}

/// Answers one entry; returns its output text and, if it failed, why.
fn answer(searcher: &Searcher, entry: &Entry, format: &BatchFormat) -> (String, Option<Failed>) {
    let result = entry
        .request
        .as_ref()
        .map_err(|message| Failed {
            message: message.clone(),
            index: false,
        })
        .and_then(|r| {
            if *format == BatchFormat::EsQuery {
                return searcher
                    .es_query(r)
                    .map(Answered::Body)
                    .map_err(|e| failed(&e));
            }
            searcher
                .search(r)
                .map(Answered::Hits)
                .map_err(|e| failed(&e))
        });
    match result {
        Ok(Answered::Hits(results)) => {
            let query = entry.query.as_deref().unwrap_or("");
            let text = printer::batch_answer(
                format,
                &entry.id,
                query,
                &results.hits,
                results.nothing_found.as_ref(),
            );
            (text, None)
        }
        Ok(Answered::Body(es)) => {
            let text = printer::batch_es_query(&entry.id, es.body.as_ref(), es.nothing.as_ref());
            (text, None)
        }
        Err(failed) => {
            let text =
                printer::batch_failure(format, &entry.id, entry.query.as_deref(), &failed.message);
            (text, Some(failed))
        }
    }
}

/// "a: b: c": an error with its sources.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(e) = source {
        message.push_str(": ");
        message.push_str(&e.to_string());
        source = e.source();
    }
    message
}

/// Reads queries from `input` and writes their answers to `out` in input
/// order; `failure` hears of every failed query (the jsonl format also writes
/// it as an error entry). Blank lines and lines starting with `#` are
/// skipped.
pub fn run(
    searcher: &Searcher,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    options: &Options,
    failure: &mut dyn FnMut(&Entry, &Failed),
) -> Result<Summary, Error> {
    let mut summary = Summary::default();
    let mut chunk: Vec<Entry> = Vec::with_capacity(CHUNK);
    let mut buf = Vec::new();
    let mut line_no = 0;
    loop {
        chunk.clear();
        while chunk.len() < CHUNK {
            let read =
                lines::read_line(input, &mut buf, MAX_LINE).map_err(|source| Error::Read {
                    line: line_no + 1,
                    source,
                })?;
            line_no += 1;
            // A bad line is one error entry; the batch goes on.
            let bad = |error: String| Entry {
                line: line_no,
                id: Value::from(line_no),
                query: None,
                request: Err(error),
            };
            let line = match read {
                Line::End => break,
                Line::TooLong { .. } => {
                    chunk.push(bad(format!(
                        "the line is longer than {} KiB",
                        MAX_LINE >> 10
                    )));
                    continue;
                }
                Line::Kept { .. } => match std::str::from_utf8(&buf) {
                    Ok(line) => line,
                    Err(e) => {
                        chunk.push(bad(format!(
                            "the line is not valid UTF-8 (byte {})",
                            e.valid_up_to() + 1
                        )));
                        continue;
                    }
                },
            };
            let trimmed = line.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            chunk.push(parse_entry(line_no, trimmed, options));
        }
        if chunk.is_empty() {
            break;
        }
        let answers: Vec<(String, Option<Failed>)> = chunk
            .par_iter()
            .map(|entry| answer(searcher, entry, &options.format))
            .collect();
        for (entry, (text, failed)) in chunk.iter().zip(answers) {
            out.write_all(text.as_bytes()).map_err(Error::Write)?;
            summary.queries += 1;
            if let Some(failed) = failed {
                summary.failed += 1;
                summary.index_failed |= failed.index;
                failure(entry, &failed);
            }
        }
        out.flush().map_err(Error::Write)?;
    }
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{index_with, paragraph, record};

    fn options(format: BatchFormat) -> Options {
        Options {
            limit: 3,
            per_article: 1,
            format,
            literal: false,
        }
    }

    #[test]
    fn answers_in_input_order_with_error_entries_in_place() {
        let (_dir, index) = index_with(&[
            record("a", "Eins", &paragraph("Sprachmodelle"), "2025-01-02", "X"),
            record("b", "Zwei", &paragraph("Rechenzentren"), "2025-01-03", "Y"),
        ]);
        let searcher = Searcher::new(&index).unwrap();
        let mut input: Vec<u8> = Vec::new();
        for i in 0..1200 {
            let query = if i % 2 == 0 {
                "Sprachmodelle"
            } else {
                "Rechenzentren"
            };
            input
                .extend_from_slice(format!("{{\"id\": {i}, \"query\": \"{query}\"}}\n").as_bytes());
        }
        input.extend_from_slice(b"# a comment\n\n{\"id\": \"bad\", \"query\": \"x\", \"since\": \"gestern\"}\nGr\xf6\xdfe\n");
        let mut out = Vec::new();
        let mut failures = Vec::new();
        let summary = run(
            &searcher,
            &mut &input[..],
            &mut out,
            &options(BatchFormat::Jsonl {
                fields: vec!["article_id".into()],
            }),
            &mut |entry, failed| failures.push((entry.line, failed.message.clone())),
        )
        .unwrap();
        assert_eq!((summary.queries, summary.failed), (1202, 2));
        let lines: Vec<Value> = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 1202);
        for (i, line) in lines.iter().take(1200).enumerate() {
            assert_eq!(line["id"], i);
            let want = if i % 2 == 0 { "a" } else { "b" };
            assert_eq!(line["hits"][0]["article_id"], want, "{line}");
            assert!(
                line["hits"][0].get("text").is_none(),
                "only the fields asked for"
            );
        }
        assert_eq!(lines[1200]["id"], "bad");
        assert!(lines[1201]["error"].as_str().unwrap().contains("UTF-8"));
        assert_eq!(failures.len(), 2);
        assert_eq!(failures[1].0, 1204, "line numbers count every line");
    }

    #[test]
    fn trec_lines_and_ids_only_detail() {
        let (_dir, index) = index_with(&[record(
            "a",
            "Eins",
            &paragraph("Sprachmodelle"),
            "2025-01-02",
            "X",
        )]);
        let searcher = Searcher::new(&index).unwrap();
        let entry = parse_entry(7, "Sprachmodelle", &options(BatchFormat::Trec));
        assert_eq!(entry.request.as_ref().unwrap().detail, Detail::Ids);
        let (text, failed) = answer(&searcher, &entry, &BatchFormat::Trec);
        assert!(failed.is_none());
        let fields: Vec<&str> = text.split_whitespace().collect();
        assert_eq!(fields[..4], ["7", "Q0", "a#0", "1"]);
        assert_eq!(fields[5], "lupe");
    }
}
