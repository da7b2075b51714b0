//! `lupe export`: hand the index over to a search cluster.

use std::io::{self, Write};
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::{EXIT_OK, IndexArg, Outcome, ignore_broken_pipe, plural};
use crate::export;
use crate::index::LupeIndex;

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    /// Elasticsearch: _bulk files, settings and mappings, search template, analysis word files.
    Elasticsearch,
    /// OpenSearch: the same files (OpenSearch reads Elasticsearch's formats).
    Opensearch,
}

#[derive(Debug, Args)]
pub(super) struct ExportArgs {
    #[command(flatten)]
    pub(super) index: IndexArg,
    /// What to export for.
    #[arg(long, value_enum)]
    format: Format,
    /// The name users search in the cluster (an alias in the README's
    /// commands, over an index named after it and the export's time).
    #[arg(long, value_name = "NAME", default_value = "lupe")]
    index_name: String,
    #[command(flatten)]
    ranking: super::RankingArgs,
    /// Overwrite the export's files in a folder that already holds files.
    #[arg(long)]
    force: bool,
    /// Put the word lists into index.json instead of files for the nodes'
    /// config/analysis/ (for managed services).
    #[arg(long)]
    inline_word_lists: bool,
    /// Split the bulk file into parts of at most this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = export::BULK_MAX_BYTES,
          value_parser = clap::value_parser!(u64).range(1..))]
    bulk_max_bytes: u64,
    /// Folder to write (created if missing; must be empty unless --force).
    #[arg(value_name = "DIR")]
    dir: PathBuf,
}

pub(super) fn run(args: ExportArgs) -> Outcome {
    let index = LupeIndex::open(args.index.path())?;
    let summary = match args.format {
        Format::Elasticsearch | Format::Opensearch => export::elasticsearch(
            &index,
            &args.dir,
            &export::Options {
                index_name: args.index_name.clone(),
                ranking: args.ranking.options(),
                overwrite: args.force,
                inline_word_lists: args.inline_word_lists,
                bulk_max_bytes: args.bulk_max_bytes,
            },
        )?,
    };
    let mut out = io::stdout().lock();
    let line = format!(
        "exported {} of {} to {} (see its README.md)",
        plural(summary.passages as u64, "passage", "passages"),
        plural(summary.articles as u64, "article", "articles"),
        summary.folder.display()
    );
    ignore_broken_pipe(writeln!(out, "{line}").and_then(|()| out.flush()))?;
    Ok(EXIT_OK)
}
