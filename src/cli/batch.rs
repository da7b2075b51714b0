//! `lupe batch`: many queries in one process, answered in parallel, written
//! in input order.
//!
//! Input is read in chunks, so memory stays bounded however long it is;
//! each chunk's queries run on all cores (rayon) against one index snapshot.

use std::fs::File;
use std::io::{self, BufRead, BufReader, IsTerminal, Write};
use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::{Args, ValueEnum};
use rayon::prelude::*;
use serde::Serialize;
use serde_json::Value;

use super::{EXIT_ERROR, EXIT_OK, IndexArg, Outcome};
use crate::article::date;
use crate::index::LupeIndex;
use crate::lines::Line;
use crate::search::{self, Detail, Hit, Request, Searcher};

/// Queries answered per chunk: enough to keep every core busy, small enough
/// that output starts early and memory stays flat.
const CHUNK: usize = 512;

/// A query line longer than this is an error entry (read to its end, not
/// kept): no query needs it, and memory stays flat on any input.
const MAX_LINE: usize = 64 << 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// One JSON object per query: {"id", "query", "hits"} or {"id", "query", "error"}.
    Jsonl,
    /// One line per hit: id, rank, passage_id, article_id, score.
    Tsv,
    /// TREC run format: qid Q0 passage_id rank score lupe.
    Trec,
}

#[derive(Debug, Args)]
pub(super) struct BatchArgs {
    #[command(flatten)]
    pub(super) index: IndexArg,

    /// Queries, one per line: plain text, or JSON objects
    /// {"id", "query", "limit", "source", "since", "until"}; `-` or nothing
    /// reads standard input. Blank lines and lines starting with # are skipped.
    #[arg(value_name = "FILE")]
    input: Option<PathBuf>,

    /// Maximum passages per query (a JSON "limit" overrides it).
    #[arg(long, short = 'n', value_name = "N", default_value_t = 10, value_parser = super::parse_limit)]
    limit: usize,

    /// Maximum passages per article (0: no limit).
    #[arg(long, value_name = "N", default_value_t = search::PER_ARTICLE)]
    per_article: usize,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Jsonl)]
    format: Format,

    /// Only these hit fields in jsonl output, comma-separated
    /// (e.g. passage_id,score).
    #[arg(long, value_delimiter = ',', value_name = "FIELDS")]
    fields: Vec<String>,
}

/// One line of input, parsed.
struct Entry {
    line: usize,
    id: Value,
    query: Option<String>,
    request: Result<Request, String>,
}

#[derive(serde::Deserialize)]
struct JsonQuery {
    id: Option<Value>,
    query: Option<Value>,
    limit: Option<usize>,
    per_article: Option<usize>,
    source: Option<String>,
    since: Option<String>,
    until: Option<String>,
}

struct Defaults {
    limit: usize,
    per_article: usize,
    detail: Detail,
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

fn parse_entry(line_no: usize, line: &str, defaults: &Defaults) -> Entry {
    let base = |query: String| Request {
        query,
        limit: defaults.limit,
        per_article: defaults.per_article,
        source: None,
        since: None,
        until: None,
        detail: defaults.detail,
    };
    if !line.starts_with('{') {
        return Entry {
            line: line_no,
            id: Value::from(line_no),
            query: Some(line.to_string()),
            request: Ok(base(line.to_string())),
        };
    }
    let fallback_id = Value::from(line_no);
    let parsed: JsonQuery = match serde_json::from_str(line) {
        Ok(q) => q,
        Err(e) => {
            return Entry {
                line: line_no,
                id: fallback_id,
                query: None,
                request: Err(format!("invalid JSON: {e}")),
            };
        }
    };
    let id = parsed.id.unwrap_or(fallback_id);
    let query = match parsed.query {
        Some(Value::String(q)) => q,
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
        if let Some(limit) = parsed.limit {
            if limit == 0 {
                return Err("\"limit\" must be at least 1".to_string());
            }
            r.limit = limit;
        }
        if let Some(n) = parsed.per_article {
            r.per_article = n;
        }
        r.source = parsed.source;
        r.since = parse_date("since", parsed.since, false)?;
        r.until = parse_date("until", parsed.until, true)?;
        Ok(r)
    })();
    Entry {
        line: line_no,
        id,
        query: Some(query),
        request,
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

/// An id as one token for tsv and TREC output.
fn id_token(id: &Value) -> String {
    let s = match id {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let s = s.split_whitespace().collect::<Vec<_>>().join("_");
    super::printable::escaped(&s).into_owned()
}

/// Why a query failed.
struct Failed {
    message: String,
    /// tantivy failed on the index (not the query): maybe damage.
    index: bool,
}

/// Answers one entry; returns its output text and whether it failed.
fn answer(
    searcher: &Searcher,
    entry: &Entry,
    format: Format,
    fields: &[String],
) -> (String, Option<Failed>) {
    let result = entry
        .request
        .as_ref()
        .map_err(|message| Failed {
            message: message.clone(),
            index: false,
        })
        .and_then(|r| {
            searcher.search(r).map_err(|e| Failed {
                index: matches!(e, crate::error::Error::Index { .. }),
                // The whole chain: "index X" alone says nothing.
                message: format!("{:#}", anyhow::Error::from(e)),
            })
        });
    let hits = match result {
        Ok(results) => results.hits,
        Err(failed) => {
            let error = &failed.message;
            let text = match format {
                Format::Jsonl => {
                    let failure = Failure {
                        id: &entry.id,
                        query: entry.query.as_deref(),
                        error,
                    };
                    format!("{}\n", serde_json::to_string(&failure).unwrap_or_default())
                }
                Format::Tsv | Format::Trec => String::new(),
            };
            return (text, Some(failed));
        }
    };
    let query = entry.query.as_deref().unwrap_or("");
    let text = match format {
        Format::Jsonl if fields.is_empty() => {
            let answer = Answer {
                id: &entry.id,
                query,
                hits: &hits,
            };
            serde_json::to_string(&answer)
                .map(|s| s + "\n")
                .unwrap_or_default()
        }
        Format::Jsonl => {
            let filtered: Vec<serde_json::Map<String, Value>> =
                hits.iter().map(|h| select(h, fields)).collect();
            let answer = Answer {
                id: &entry.id,
                query,
                hits: filtered,
            };
            serde_json::to_string(&answer)
                .map(|s| s + "\n")
                .unwrap_or_default()
        }
        Format::Tsv => {
            let id = id_token(&entry.id);
            hits.iter()
                .map(|h| {
                    format!(
                        "{id}\t{}\t{}\t{}\t{}\n",
                        h.rank,
                        super::printable::escaped(&h.passage_id),
                        super::printable::escaped(&h.article_id),
                        h.score
                    )
                })
                .collect()
        }
        Format::Trec => {
            let id = id_token(&entry.id);
            hits.iter()
                .map(|h| {
                    let passage = super::printable::escaped(&h.passage_id);
                    format!("{id} Q0 {passage} {} {} lupe\n", h.rank, h.score)
                })
                .collect()
        }
    };
    (text, None)
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

pub(super) fn run(args: BatchArgs) -> Outcome {
    for f in &args.fields {
        if !search::HIT_FIELDS.contains(&f.as_str()) {
            bail!(
                "unknown field {f:?} in --fields; hits have: {}",
                search::HIT_FIELDS.join(", ")
            );
        }
    }
    let detail = match args.format {
        Format::Tsv | Format::Trec => Detail::Ids,
        Format::Jsonl
            if !args.fields.is_empty()
                && args
                    .fields
                    .iter()
                    .all(|f| search::ID_FIELDS.contains(&f.as_str())) =>
        {
            Detail::Ids
        }
        Format::Jsonl => Detail::Full,
    };
    let defaults = Defaults {
        limit: args.limit,
        per_article: args.per_article,
        detail,
    };
    let path = args.index.path();
    let index = LupeIndex::open(path)?;
    let searcher = Searcher::new(&index)?;
    let input: Box<dyn BufRead> = match &args.input {
        Some(p) if p.as_os_str() != "-" => Box::new(BufReader::new(
            File::open(p).with_context(|| format!("opening {}", p.display()))?,
        )),
        _ => {
            // Without a file, a batch on a terminal would wait silently.
            if io::stdin().is_terminal() {
                eprintln!(
                    "lupe: reading queries from standard input, one per line; end with Ctrl-D \
                     (or name a FILE: lupe batch queries.txt)"
                );
            }
            Box::new(BufReader::new(io::stdin()))
        }
    };
    let mut out = io::BufWriter::new(io::stdout().lock());
    let mut failed = 0usize;
    let mut index_failed = false;
    let mut chunk: Vec<Entry> = Vec::with_capacity(CHUNK);
    let mut input = input;
    let mut buf = Vec::new();
    let mut line_no = 0;
    loop {
        chunk.clear();
        while chunk.len() < CHUNK {
            let read = crate::lines::read_line(&mut *input, &mut buf, MAX_LINE)
                .with_context(|| format!("reading queries (line {})", line_no + 1))?;
            line_no += 1;
            // A bad line is one error entry; the batch goes on.
            let failed = |error: String| Entry {
                line: line_no,
                id: Value::from(line_no),
                query: None,
                request: Err(error),
            };
            let line = match read {
                Line::End => break,
                Line::TooLong { .. } => {
                    chunk.push(failed(format!(
                        "the line is longer than {} KiB",
                        MAX_LINE >> 10
                    )));
                    continue;
                }
                Line::Kept { .. } => match std::str::from_utf8(&buf) {
                    Ok(line) => line,
                    Err(e) => {
                        chunk.push(failed(format!(
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
            chunk.push(parse_entry(line_no, trimmed, &defaults));
        }
        if chunk.is_empty() {
            break;
        }
        let answers: Vec<(String, Option<Failed>)> = chunk
            .par_iter()
            .map(|entry| answer(&searcher, entry, args.format, &args.fields))
            .collect();
        for (entry, (text, error)) in chunk.iter().zip(answers) {
            out.write_all(text.as_bytes())?;
            if let Some(error) = error {
                failed += 1;
                index_failed |= error.index;
                if args.format != Format::Jsonl {
                    eprintln!(
                        "lupe: query {} (line {}): {}",
                        id_token(&entry.id),
                        entry.line,
                        super::printable::printable(&error.message)
                    );
                }
            }
        }
        out.flush()?;
    }
    out.flush()?;
    if failed > 0 {
        eprintln!(
            "lupe: {} failed",
            super::plural(failed as u64, "query", "queries")
        );
        if let Some(damage) = index_failed.then(|| super::damage(path)).flatten() {
            eprintln!("lupe: {damage}");
        }
        return Ok(EXIT_ERROR);
    }
    Ok(EXIT_OK)
}
