//! `lupe batch`: arguments and the terminal; the batch itself (chunks,
//! parallel answers in input order, error entries) is [`crate::batch`].

use std::fs::File;
use std::io::{self, BufRead, BufReader, IsTerminal, Write};
use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::{Args, ValueEnum};

use super::{EXIT_ERROR, EXIT_OK, IndexArg, Outcome};
use crate::batch;
use crate::index::LupeIndex;
use crate::printer::{self, BatchFormat, sanitize};
use crate::search;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// One JSON object per query: {"id", "query", "hits"} or {"id", "query", "error"}.
    Jsonl,
    /// One line per hit: id, rank, passage_id, article_id, score.
    Tsv,
    /// TREC run format: qid Q0 passage_id rank score lupe.
    Trec,
    /// No search: one {"id", "body"} per query, the Elasticsearch _search
    /// body built from lupe's analysis, for a cluster loaded with `lupe export`.
    EsQuery,
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

    /// Read every query with no syntax at all (a JSON "literal" overrides it).
    #[arg(long)]
    literal: bool,

    #[command(flatten)]
    ranking: super::RankingArgs,

    #[command(flatten)]
    synonyms: super::SynonymArgs,

    /// Only these hit fields in jsonl output, comma-separated
    /// (e.g. passage_id,score).
    #[arg(long, value_delimiter = ',', value_name = "FIELDS")]
    fields: Vec<String>,
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
    let options = batch::Options {
        limit: args.limit,
        per_article: args.per_article,
        format: match args.format {
            Format::Jsonl => BatchFormat::Jsonl {
                fields: args.fields.clone(),
            },
            Format::Tsv => BatchFormat::Tsv,
            Format::Trec => BatchFormat::Trec,
            Format::EsQuery => BatchFormat::EsQuery,
        },
        literal: args.literal,
    };
    let path = args.index.path();
    let index = LupeIndex::open(path)?;
    let searcher = super::searcher(&index, &args.ranking, &args.synonyms)?;
    let mut input: Box<dyn BufRead> = match &args.input {
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
    // jsonl writes failures as error entries; tsv and TREC readers expect
    // hits only, so their failures go to stderr.
    let on_stderr = !matches!(args.format, Format::Jsonl | Format::EsQuery);
    let summary = batch::run(
        &searcher,
        &mut *input,
        &mut out,
        &options,
        &mut |entry, failed| {
            if on_stderr {
                eprintln!(
                    "lupe: query {} (line {}): {}",
                    printer::id_token(&entry.id),
                    entry.line,
                    sanitize::printable(&failed.message)
                );
            }
        },
    )?;
    out.flush()?;
    if summary.failed > 0 {
        eprintln!(
            "lupe: {} failed",
            super::plural(summary.failed as u64, "query", "queries")
        );
        if let Some(damage) = summary.index_failed.then(|| super::damage(path)).flatten() {
            eprintln!("lupe: {damage}");
        }
        return Ok(EXIT_ERROR);
    }
    Ok(EXIT_OK)
}
