//! `lupe ingest`: progress bar, rejection messages, summary line.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::{EXIT_ERROR, EXIT_OK, IndexArg, Outcome};
use crate::analysis::Kind;
use crate::article::{Input, Location, Rejected, input_size};
use crate::index::LupeIndex;
use crate::ingest::{self, Observer, Options, Summary};

#[derive(Debug, Args)]
pub(super) struct IngestArgs {
    #[command(flatten)]
    pub(super) index: IndexArg,

    /// Files or folders to read (folders recursively, in name order); `-`
    /// reads JSON Lines from standard input.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,

    /// Follow symbolic links in folders that lead out of them (by default
    /// they are skipped and reported).
    #[arg(long)]
    follow: bool,

    /// No progress bar.
    #[arg(long, short)]
    quiet: bool,

    /// Print the summary as one JSON object.
    #[arg(long)]
    json: bool,

    /// Indexing threads [default: number of CPUs].
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..=64))]
    threads: Option<u16>,

    /// Analysis for a new index: german (the product), or plain (lowercase
    /// words only; for benchmarks).
    #[arg(long, value_enum, default_value = "german", hide = true)]
    analyzer: AnalyzerArg,

    /// Commit after this many passages (tests use small values to get
    /// several commits from a small corpus).
    #[arg(long, value_name = "N", hide = true, value_parser = clap::value_parser!(u64).range(1..))]
    commit_every: Option<u64>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum AnalyzerArg {
    German,
    Plain,
}

/// Shows progress on a terminal and reports problems on stderr.
struct Reporter {
    bar: ProgressBar,
}

impl Reporter {
    fn new(total: Option<u64>, show: bool) -> Reporter {
        if !show {
            return Reporter {
                bar: ProgressBar::hidden(),
            };
        }
        let bar = match total {
            Some(bytes) => ProgressBar::new(bytes).with_style(
                ProgressStyle::with_template(
                    "{spinner} [{elapsed_precise}] {wide_bar} {binary_bytes}/{binary_total_bytes} \
                     {msg} ({binary_bytes_per_sec}, {eta} left)",
                )
                .expect("a valid template"),
            ),
            None => ProgressBar::new_spinner().with_style(
                ProgressStyle::with_template(
                    "{spinner} [{elapsed_precise}] {binary_bytes} {msg} ({binary_bytes_per_sec})",
                )
                .expect("a valid template"),
            ),
        };
        bar.set_draw_target(ProgressDrawTarget::stderr_with_hz(10));
        bar.enable_steady_tick(Duration::from_millis(200));
        Reporter { bar }
    }

    fn say(&self, line: String) {
        let line = super::printable::printable(&line).into_owned();
        if self.bar.is_hidden() {
            let _ = writeln!(io::stderr(), "{line}");
        } else {
            self.bar.println(line);
        }
    }
}

impl Observer for Reporter {
    fn rejected(&mut self, r: &Rejected) {
        self.say(format!("lupe: skipped {}: {}", r.location, r.error));
    }

    fn duplicate(&mut self, id: &str, location: &Location) {
        self.say(format!(
            "lupe: warning: {location}: id {id:?} occurs again in this run; this record replaces the earlier one"
        ));
    }

    fn progress(&mut self, articles: u64, bytes: u64) {
        self.bar.set_position(bytes);
        self.bar.set_message(format!("{articles} articles"));
    }
}

fn summary_line(s: &Summary, index: &Path) -> String {
    let mb = s.bytes as f64 / 1e6;
    let rate = if s.seconds > 0.0 { mb / s.seconds } else { 0.0 };
    let mut line = format!(
        "{} added, {} updated, {} unchanged, {} rejected; {} passages from {:.1} MB in {:.2} s ({:.1} MB/s) into {}",
        s.added,
        s.updated,
        s.unchanged,
        s.rejected,
        s.passages,
        mb,
        s.seconds,
        rate,
        index.display()
    );
    if s.duplicates > 0 {
        line.push_str(&format!("; {} repeated ids (last one won)", s.duplicates));
    }
    line
}

/// Ingests `inputs` into the index at `path`, reporting on stderr.
pub(super) fn ingest_into(
    path: &Path,
    inputs: &[Input],
    options: &Options,
    kind: Kind,
    show_progress: bool,
) -> anyhow::Result<Summary> {
    let index = LupeIndex::open_or_create(path, kind)
        .with_context(|| format!("opening index {}", path.display()))?;
    let show = show_progress && io::stderr().is_terminal();
    let mut reporter = Reporter::new(if show { input_size(inputs) } else { None }, show);
    let result = ingest::run(&index, inputs, options, &mut reporter);
    reporter.bar.finish_and_clear();
    Ok(result?)
}

pub(super) fn run(args: IngestArgs) -> Outcome {
    let inputs: Vec<Input> = args.paths.iter().map(|p| Input::from_arg(p)).collect();
    let mut options = Options {
        cancel: super::cancel_on_ctrl_c(),
        follow_links: args.follow,
        ..Options::default()
    };
    if let Some(n) = args.threads {
        options.threads = usize::from(n);
    }
    if let Some(n) = args.commit_every {
        options.commit_every = n;
    }
    let kind = match args.analyzer {
        AnalyzerArg::German => Kind::German,
        AnalyzerArg::Plain => Kind::Plain,
    };
    let path = args.index.path();
    let summary = ingest_into(path, &inputs, &options, kind, !args.quiet)?;
    let code = if summary.rejected > 0 {
        EXIT_ERROR
    } else {
        EXIT_OK
    };
    let mut out = io::stdout().lock();
    let written = if args.json {
        serde_json::to_writer(&mut out, &summary)
            .map_err(io::Error::from)
            .and_then(|()| writeln!(out))
    } else {
        writeln!(out, "{}", summary_line(&summary, path))
    };
    // A closed stdout must not hide the rejections' exit status.
    super::ignore_broken_pipe(written.and_then(|()| out.flush()))?;
    Ok(code)
}
