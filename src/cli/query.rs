//! `lupe query`: one search, printed for people or scripts.

use std::io::{self, IsTerminal, Write};
use std::path::Path;

use anyhow::Context;
use clap::{Args, ValueEnum};

use super::{ColorChoice, EXIT_NO_RESULTS, EXIT_OK, IndexArg, Outcome};
use crate::analysis::Kind;
use crate::article::{Input, date};
use crate::index::{self, LupeIndex};
use crate::ingest::Options;
use crate::printer::{self, Style};
use crate::search::{self, Request, Searcher};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Hits for people (the default).
    Human,
    /// All hits as one JSON array (as --json).
    Json,
    /// One JSON object per hit (as --jsonl).
    Jsonl,
    /// The Elasticsearch _search body built from lupe's analysis.
    EsQuery,
}

#[derive(Debug, Args)]
pub(super) struct QueryArgs {
    #[command(flatten)]
    pub(super) index: IndexArg,

    /// What to look for: words, "phrases", +must, -mustnot, AND, OR,
    /// title:word, source:name, date:[2024-01-01 TO 2024-12-31], word*.
    /// Several arguments are joined with spaces. Any text is a query:
    /// what is not clearly syntax is searched as words.
    #[arg(required = true, value_name = "QUERY")]
    query: Vec<String>,

    /// Maximum number of passages.
    #[arg(long, short = 'n', value_name = "N", default_value_t = 10, value_parser = super::parse_limit)]
    limit: usize,

    /// Maximum passages per article (0: no limit).
    #[arg(long, value_name = "N", default_value_t = search::PER_ARTICLE)]
    per_article: usize,

    /// Only articles from this source (case-insensitive; `lupe stats` lists
    /// the sources).
    #[arg(long, value_name = "NAME")]
    source: Option<String>,

    /// Only articles published on or after this date: 2025-03-01, 01.03.2025,
    /// 2025-03 or 2025 (from its first day), or a date-time.
    #[arg(long, value_name = "DATE", value_parser = date::parse_since)]
    since: Option<i64>,

    /// Only articles published on or before this date (the whole day, month
    /// or year counts).
    #[arg(long, value_name = "DATE", value_parser = date::parse_until)]
    until: Option<i64>,

    /// Print all hits as one JSON array.
    #[arg(long, conflicts_with = "jsonl")]
    json: bool,

    /// Print one JSON object per hit and line.
    #[arg(long)]
    jsonl: bool,

    /// Output format: human, json, jsonl, or es-query (no search: the
    /// Elasticsearch _search body for a cluster loaded with `lupe export`).
    #[arg(long, value_enum, value_name = "FORMAT", conflicts_with_all = ["json", "jsonl"])]
    format: Option<Format>,

    /// Show whole passages instead of their best fragment.
    #[arg(long)]
    full: bool,

    /// Search the text exactly as words: no operators, fields or quotes.
    #[arg(long)]
    literal: bool,

    #[command(flatten)]
    ranking: super::RankingArgs,

    #[command(flatten)]
    synonyms: super::SynonymArgs,

    /// When to colour the output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    color: ColorChoice,
}

/// On first use with the default index, build `index/` from `corpus/` so the
/// README's first command works on a fresh clone.
fn build_default_index_if_missing(path: &Path) -> anyhow::Result<()> {
    let corpus = Path::new("corpus");
    if !corpus.is_dir() {
        return Ok(());
    }
    let empty = !index::exists(path)
        || LupeIndex::open(path)
            .and_then(|i| Searcher::new(&i).map(|_| ()))
            .is_err_and(|e| matches!(e, crate::Error::EmptyIndex { .. }));
    if !empty {
        return Ok(());
    }
    eprintln!(
        "lupe: {} is empty; building it from {}/ first (once)",
        crate::error::shown(path),
        corpus.display()
    );
    let summary = super::ingest::ingest_into(
        path,
        &[Input::Path(corpus.to_path_buf())],
        &Options::default(),
        Kind::German,
        true,
    )?;
    eprintln!(
        "lupe: indexed {} ({}) in {:.2} s",
        super::plural(
            summary.added + summary.updated + summary.unchanged,
            "article",
            "articles"
        ),
        super::plural(summary.passages, "passage", "passages"),
        summary.seconds
    );
    Ok(())
}

pub(super) fn run(args: QueryArgs) -> Outcome {
    let path = args.index.path();
    if args.index.is_default() {
        build_default_index_if_missing(path)?;
    }
    let index = LupeIndex::open(path)?;
    let searcher = super::searcher(&index, &args.ranking, &args.synonyms)?;
    let format = match args.format {
        Some(f) => f,
        None if args.json => Format::Json,
        None if args.jsonl => Format::Jsonl,
        None => Format::Human,
    };
    let request = Request {
        query: args.query.join(" "),
        limit: args.limit,
        per_article: args.per_article,
        source: args.source.clone(),
        since: args.since,
        until: args.until,
        detail: if matches!(format, Format::Json | Format::Jsonl) {
            search::Detail::Full
        } else {
            search::Detail::Display
        },
        literal: args.literal,
    };
    if format == Format::EsQuery {
        return es_query(&searcher, &request);
    }
    let results = searcher
        .search(&request)
        .with_context(|| format!("searching {}", path.display()))?;
    for note in &results.notes {
        eprintln!("lupe: note: {}", printer::sanitize::printable(note));
    }
    if let Some(why) = &results.nothing_found {
        eprintln!(
            "lupe: nothing found: {}",
            printer::sanitize::printable(&why.message)
        );
    }
    let mut out = io::BufWriter::new(io::stdout().lock());
    if format == Format::Json {
        printer::json_array(&mut out, &results.hits)?;
    } else if format == Format::Jsonl {
        printer::json_lines(&mut out, &results.hits)?;
    } else {
        let width = io::stdout()
            .is_terminal()
            .then(super::terminal_width)
            .flatten();
        let style = Style::new(args.color.enabled(), args.full, width);
        printer::human(&mut out, &results.hits, &style)?;
    }
    out.flush()?;
    Ok(if results.hits.is_empty() {
        EXIT_NO_RESULTS
    } else {
        EXIT_OK
    })
}

/// `--format es-query`: prints the body, searches nothing.
fn es_query(searcher: &Searcher, request: &Request) -> Outcome {
    let es = searcher.es_query(request)?;
    for note in &es.notes {
        eprintln!("lupe: note: {}", printer::sanitize::printable(note));
    }
    let Some(body) = es.body else {
        let why = es.nothing.map(|n| n.message).unwrap_or_default();
        eprintln!(
            "lupe: nothing to search: {}",
            printer::sanitize::printable(&why)
        );
        return Ok(EXIT_NO_RESULTS);
    };
    let mut out = io::stdout().lock();
    let text = serde_json::to_string_pretty(&body)?;
    writeln!(out, "{text}")?;
    out.flush()?;
    Ok(EXIT_OK)
}
