//! Index management: `stats`, `show`, `delete`, `rebuild`, `check`.

use std::io::{self, IsTerminal, Write};

use anyhow::{Context, bail};
use clap::Args;

use super::{EXIT_ERROR, EXIT_NO_RESULTS, EXIT_OK, IndexArg, Outcome, ignore_broken_pipe, plural};
use crate::article::date;
use crate::index::articles::ArticleReader;
use crate::index::maintenance::{self, RebuildOptions};
use crate::index::stats::stats;
use crate::index::{LupeIndex, Selection};
use crate::printer::sanitize::printable;

#[derive(Debug, Args)]
pub(super) struct StatsArgs {
    #[command(flatten)]
    pub(super) index: IndexArg,
    /// Print one JSON object.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub(super) struct ShowArgs {
    #[command(flatten)]
    pub(super) index: IndexArg,
    /// The article id, or a passage id (`ID#3`, as `lupe query` prints
    /// them) to mark that passage.
    #[arg(value_name = "ID")]
    id: String,
    /// Print one JSON object.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("which").required(true).multiple(false).args(["ids", "source", "until"]))]
pub(super) struct DeleteArgs {
    #[command(flatten)]
    pub(super) index: IndexArg,
    /// Article ids to delete.
    #[arg(value_name = "ID")]
    ids: Vec<String>,
    /// Delete every article of this source (case-insensitive; `lupe stats`
    /// lists the sources).
    #[arg(long, value_name = "NAME")]
    source: Option<String>,
    /// Delete every article published on or before this date (2025-03-01,
    /// 01.03.2025, 2025-03 or 2025: the whole day, month or year counts).
    #[arg(long, value_name = "DATE", value_parser = date::parse_until)]
    until: Option<i64>,
    /// Only list what would be deleted.
    #[arg(long)]
    dry_run: bool,
}

#[derive(Debug, Args)]
pub(super) struct RebuildArgs {
    #[command(flatten)]
    pub(super) index: IndexArg,
    /// No progress bar.
    #[arg(long, short)]
    quiet: bool,
    /// Indexing threads [default: number of CPUs].
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..=64))]
    threads: Option<u16>,
}

#[derive(Debug, Args)]
pub(super) struct CheckArgs {
    #[command(flatten)]
    pub(super) index: IndexArg,
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

pub(super) fn run_stats(args: StatsArgs) -> Outcome {
    let index = LupeIndex::open(args.index.path())?;
    let s = stats(&index)?;
    let mut out = io::stdout().lock();
    let written = (|| -> io::Result<()> {
        if args.json {
            serde_json::to_writer_pretty(&mut out, &s)?;
            return writeln!(out);
        }
        writeln!(out, "index      {}", printable(&s.index))?;
        writeln!(out, "articles   {}", s.articles)?;
        writeln!(
            out,
            "passages   {} in {}",
            s.passages,
            plural(s.segments as u64, "segment", "segments")
        )?;
        writeln!(out, "size       {}", megabytes(s.size_bytes))?;
        writeln!(
            out,
            "analyzer   {} (written by lupe {})",
            s.analyzer, s.written_by
        )?;
        match (&s.first_date, &s.last_date) {
            (Some(a), Some(b)) => {
                let (a, b) = (printable(a), printable(b));
                writeln!(out, "dates      {a} … {b} ({} undated)", s.undated_articles)?
            }
            _ => writeln!(out, "dates      none")?,
        }
        writeln!(out, "sources    {}", s.sources.len())?;
        for source in &s.sources {
            writeln!(
                out,
                "  {:>6}  {}",
                source.articles,
                printable(&source.source)
            )?;
        }
        Ok(())
    })();
    ignore_broken_pipe(written.and_then(|()| out.flush()))?;
    Ok(EXIT_OK)
}

pub(super) fn run_show(args: ShowArgs) -> Outcome {
    let path = args.index.path();
    let index = LupeIndex::open(path)?;
    let searcher = index.reader()?.searcher();
    let reader = ArticleReader::new(&searcher, path)?;
    // `lupe query` prints passage ids (`ID#3`): such an id shows its
    // article with that passage marked. An article id may itself hold `#`,
    // so the whole id is tried first.
    let mut marked = None;
    let mut article = reader.article(&args.id)?;
    if article.is_none()
        && let Some((id, n)) = args.id.rsplit_once('#')
        && let Ok(n) = n.parse::<usize>()
        && let Some(found) = reader.article(id)?
    {
        if n >= found.passages.len() {
            eprintln!(
                "lupe: article {id:?} has {} (#0 to #{}), not #{n}",
                plural(found.passages.len() as u64, "passage", "passages"),
                found.passages.len().saturating_sub(1)
            );
            return Ok(EXIT_NO_RESULTS);
        }
        marked = Some(n);
        article = Some(found);
    }
    let Some(article) = article else {
        eprintln!(
            "lupe: no article with id {:?} in {}",
            args.id,
            path.display()
        );
        return Ok(EXIT_NO_RESULTS);
    };
    let mut out = io::stdout().lock();
    let written = (|| -> io::Result<()> {
        if args.json {
            #[derive(serde::Serialize)]
            struct Shown<'a> {
                #[serde(flatten)]
                article: &'a crate::index::articles::StoredArticle,
                /// The passage named by a passage id.
                #[serde(skip_serializing_if = "Option::is_none")]
                passage: Option<usize>,
            }
            let shown = Shown {
                article: &article,
                passage: marked,
            };
            serde_json::to_writer_pretty(&mut out, &shown)?;
            return writeln!(out);
        }
        writeln!(out, "id         {}", printable(&article.id))?;
        writeln!(out, "title      {}", printable(&article.title))?;
        for (name, value) in [
            ("date", &article.date),
            ("source", &article.source),
            ("url", &article.url),
        ] {
            if let Some(v) = value {
                writeln!(out, "{name:<10} {}", printable(v))?;
            }
        }
        writeln!(out, "passages   {}", article.passages.len())?;
        for (i, passage) in article.passages.iter().enumerate() {
            let mark = if marked == Some(i) {
                "  <== the passage you asked for"
            } else {
                ""
            };
            let (id, passage) = (printable(&article.id), printable(passage));
            writeln!(out, "\n[{id}#{i}]{mark}\n{passage}")?;
        }
        Ok(())
    })();
    ignore_broken_pipe(written.and_then(|()| out.flush()))?;
    Ok(EXIT_OK)
}

pub(super) fn run_delete(args: DeleteArgs) -> Outcome {
    let path = args.index.path();
    // A delete holds the writer lock from the selection to the commit.
    let index = if args.dry_run {
        LupeIndex::open(path)?
    } else {
        LupeIndex::open_writable(path)?
    };
    let selection = if let Some(source) = &args.source {
        Selection::Source(source.clone())
    } else if let Some(until) = args.until {
        Selection::Until(until)
    } else {
        Selection::Ids(args.ids.clone())
    };
    let searcher = index.reader()?.searcher();
    let ids = index.select(&searcher, &selection)?;
    if let Selection::Ids(wanted) = &selection {
        for id in wanted.iter().filter(|w| !ids.contains(w)) {
            eprintln!("lupe: no article with id {id:?}");
        }
    }
    let reader = ArticleReader::new(&searcher, path)?;
    let mut out = io::stdout().lock();
    let verb = if args.dry_run {
        "would delete"
    } else {
        "deleting"
    };
    for id in &ids {
        let title = reader.article(id)?.map(|a| a.title).unwrap_or_default();
        let (id, title) = (printable(id), printable(&title));
        ignore_broken_pipe(writeln!(out, "{verb} {id}\t{title}"))?;
    }
    if !args.dry_run && !ids.is_empty() {
        let mut writer = index.writer(1)?;
        writer.delete_articles(&ids);
        writer.finish()?;
    }
    let summary = if args.dry_run {
        format!(
            "{} would be deleted (dry run; nothing changed)",
            plural(ids.len() as u64, "article", "articles")
        )
    } else {
        format!(
            "{} deleted from {}",
            plural(ids.len() as u64, "article", "articles"),
            path.display()
        )
    };
    let summary = printable(&summary);
    ignore_broken_pipe(writeln!(out, "{summary}").and_then(|()| out.flush()))?;
    Ok(if ids.is_empty() {
        EXIT_NO_RESULTS
    } else {
        EXIT_OK
    })
}

/// The rebuild's progress bar.
const REBUILD_BAR: &str =
    "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} articles ({eta} left)";

pub(super) fn run_rebuild(args: RebuildArgs) -> Outcome {
    let path = args.index.path();
    let mut options = RebuildOptions {
        cancel: super::cancel_on_ctrl_c(),
        ..RebuildOptions::default()
    };
    if let Some(n) = args.threads {
        options.threads = usize::from(n);
    }
    let bar = super::progress_bar(
        !args.quiet && io::stderr().is_terminal(),
        Some(0),
        REBUILD_BAR,
    );
    let summary = maintenance::rebuild(path, &options, &mut |done, total| {
        bar.set_length(total);
        bar.set_position(done);
    })
    .with_context(|| format!("rebuilding {}", path.display()))?;
    bar.finish_and_clear();
    let how = if summary.in_place {
        "in place"
    } else if summary.salvaged {
        "from the stored articles alone (other index files were damaged), beside it and \
         swapped in"
    } else {
        "beside it and swapped in (schema changed)"
    };
    let line = format!(
        "rebuilt {}: {}, {}, from {} to {} {how}, in {:.2} s",
        path.display(),
        plural(summary.articles, "article", "articles"),
        plural(summary.passages, "passage", "passages"),
        summary.from,
        summary.to,
        summary.seconds
    );
    let mut out = io::stdout().lock();
    let line = printable(&line);
    ignore_broken_pipe(writeln!(out, "{line}").and_then(|()| out.flush()))?;
    Ok(EXIT_OK)
}

pub(super) fn run_check(args: CheckArgs) -> Outcome {
    let path = args.index.path();
    let index = LupeIndex::open(path)?;
    let report = maintenance::check(&index)?;
    if !report.damaged_files.is_empty() {
        bail!(super::damage_message(
            path,
            &report.damaged_files,
            super::writable(path)
        ));
    }
    for article in &report.incomplete {
        eprintln!(
            "lupe: article {:?} has {} of its {}",
            article.id,
            article.found,
            plural(article.expected, "passage", "passages")
        );
    }
    if report.strays() > 0 {
        bail!(
            "{} passages belong to no readable article ({} passages, {} in articles)",
            report.strays(),
            report.documents,
            report.passages
        );
    }
    let mut out = io::stdout().lock();
    let line = if report.incomplete.is_empty() {
        format!(
            "{}: {}, {}, all complete, checksums correct",
            path.display(),
            plural(report.articles, "article", "articles"),
            plural(report.passages, "passage", "passages")
        )
    } else {
        let damaged = report.incomplete.len();
        format!(
            "{}: {damaged} of {} {} incomplete",
            path.display(),
            plural(report.articles, "article", "articles"),
            if damaged == 1 { "is" } else { "are" }
        )
    };
    let line = printable(&line);
    ignore_broken_pipe(writeln!(out, "{line}").and_then(|()| out.flush()))?;
    Ok(if report.is_whole() {
        EXIT_OK
    } else {
        EXIT_ERROR
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_rebuild_bar_is_a_valid_template() {
        assert!(indicatif::ProgressStyle::with_template(super::REBUILD_BAR).is_ok());
    }
}
