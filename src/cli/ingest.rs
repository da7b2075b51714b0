//! `lupe ingest`: progress bar, rejection messages, summary line.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use clap::Args;
use indicatif::ProgressBar;

use super::{EXIT_ERROR, EXIT_OK, IndexArg, Outcome, plural};
use crate::analysis::Kind;
use crate::article::{ArticleError, Input, Location, Rejected, input_size};
use crate::fetch;
use crate::index::LupeIndex;
use crate::ingest::{self, Observer, Options, Summary};

#[derive(Debug, Args)]
pub(super) struct IngestArgs {
    #[command(flatten)]
    pub(super) index: IndexArg,

    /// Files or folders to read (folders recursively, in name order); `-`
    /// reads JSON Lines from standard input; http(s) URLs of pages or feeds
    /// are fetched.
    #[arg(required = true, value_name = "PATH|URL")]
    paths: Vec<PathBuf>,

    /// For feed URLs: fetch each item's page and index its full text
    /// (feeds often carry only a teaser).
    #[arg(long)]
    full_text: bool,

    /// Give up on a URL after this many seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
    timeout: f64,

    /// Seconds between two requests to the same host.
    #[arg(long, value_name = "SECONDS", default_value_t = 1.0)]
    delay: f64,

    /// A busy server (429, 503) that asks to come back after at most this
    /// many seconds is asked again then (twice at most); 0: never.
    #[arg(long, value_name = "SECONDS", default_value_t = 60.0)]
    max_retry_wait: f64,

    /// Largest response accepted, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 10 << 20, hide = true)]
    max_size: u64,

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

/// Rejections listed per file; beyond them a file gets one line saying
/// how many more there were (a binary file could otherwise print a line
/// for every "line" of it).
const LISTED_PER_FILE: usize = 5;

/// The progress bar when the input size is known. Decimal units (MB), as
/// in the summary line.
const BAR: &str = "{spinner} [{elapsed_precise}] {wide_bar} {decimal_bytes}/{decimal_total_bytes} \
                   {msg} ({decimal_bytes_per_sec}, {eta} left)";

/// The progress spinner for standard input.
const SPINNER: &str =
    "{spinner} [{elapsed_precise}] {decimal_bytes} {msg} ({decimal_bytes_per_sec})";

/// Shows progress on a terminal and reports problems on stderr.
struct Reporter {
    bar: ProgressBar,
    /// The file of the last rejection, with how many of its rejections were
    /// listed and how many were not.
    file: Option<(String, usize, u64)>,
    /// Files of other types skipped in folders, by extension.
    skipped: std::collections::BTreeMap<String, u64>,
    /// Report every fetched URL (not with `--quiet`).
    talk: bool,
}

impl Reporter {
    fn new(total: Option<u64>, show: bool) -> Reporter {
        let template = if total.is_some() { BAR } else { SPINNER };
        let bar = super::progress_bar(show, total, template);
        if show {
            bar.enable_steady_tick(Duration::from_millis(200));
        }
        Reporter {
            bar,
            file: None,
            skipped: Default::default(),
            talk: false,
        }
    }

    /// Says how many rejections of the last file were not listed.
    fn end_file(&mut self) {
        if let Some((path, _, hidden)) = self.file.take()
            && hidden > 0
        {
            self.say(format!(
                "lupe: skipped {} in {path} (the first {LISTED_PER_FILE} are listed above)",
                plural(hidden, "more record", "more records")
            ));
        }
    }

    /// The closing lines: unlisted rejections, files of other types.
    fn finish(&mut self) {
        self.end_file();
        if !self.skipped.is_empty() {
            let files: u64 = self.skipped.values().sum();
            let types: Vec<&str> = self.skipped.keys().map(String::as_str).collect();
            self.say(format!(
                "lupe: skipped {} of other types: {}",
                plural(files, "file", "files"),
                types.join(", ")
            ));
        }
    }

    fn say(&self, line: String) {
        let line = crate::printer::sanitize::printable(&line).into_owned();
        if self.bar.is_hidden() {
            let _ = writeln!(io::stderr(), "{line}");
        } else {
            self.bar.println(line);
        }
    }
}

impl Observer for Reporter {
    fn fetched(&mut self, event: &fetch::Event) {
        if !self.talk {
            return;
        }
        self.say(match event {
            fetch::Event::Fetched { url, articles } => {
                format!(
                    "lupe: fetched {url}: {}",
                    plural(*articles as u64, "article", "articles")
                )
            }
            fetch::Event::NotModified { url } => {
                format!("lupe: not modified since the last run: {url}")
            }
            fetch::Event::Disallowed { url } => {
                format!("lupe: robots.txt disallows {url}; the feed's own text is indexed")
            }
            fetch::Event::Retrying { url, status, wait } => retrying(url, *status, *wait),
        });
    }

    fn rejected(&mut self, r: &Rejected) {
        if self
            .file
            .as_ref()
            .is_none_or(|(path, _, _)| *path != r.location.path)
        {
            self.end_file();
            self.file = Some((r.location.path.clone(), 0, 0));
        }
        let Some((_, listed, hidden)) = &mut self.file else {
            return;
        };
        if *listed < LISTED_PER_FILE {
            *listed += 1;
            self.say(format!("lupe: skipped {}: {}", r.location, r.error));
        } else {
            *hidden += 1;
        }
    }

    fn skipped(&mut self, r: &Rejected) {
        if let ArticleError::OtherType(ext) = &r.error {
            *self.skipped.entry(ext.clone()).or_default() += 1;
        }
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
        "{} added, {} updated, {} unchanged, {} rejected; {} from {:.1} MB in {:.2} s ({:.1} MB/s) into {}",
        s.added,
        s.updated,
        s.unchanged,
        s.rejected,
        plural(s.passages, "passage", "passages"),
        mb,
        s.seconds,
        rate,
        crate::error::shown(index)
    );
    if s.duplicates > 0 {
        line.push_str(&format!(
            "; {} (last one won)",
            plural(s.duplicates, "repeated id", "repeated ids")
        ));
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
    // A run that stores nothing (a mistyped path) must not leave an empty
    // index behind: remember what was there, to remove what lupe created.
    let new = NewIndex::before(path);
    let index = LupeIndex::open_or_create(path, kind)
        .with_context(|| format!("opening index {}", path.display()))?;
    let show = show_progress && io::stderr().is_terminal();
    let mut reporter = Reporter::new(if show { input_size(inputs) } else { None }, show);
    reporter.talk = show_progress;
    let result = ingest::run(&index, inputs, options, &mut reporter);
    reporter.bar.finish_and_clear();
    reporter.finish();
    drop(index);
    let stored = result
        .as_ref()
        .is_ok_and(|s| s.added + s.updated + s.unchanged > 0);
    if let Some(new) = new
        && !stored
    {
        new.remove(path);
    }
    Ok(result?)
}

/// What was at an index path before lupe created an index there: nothing,
/// or a folder with these entries (hidden files, a README).
struct NewIndex {
    entries: Option<std::collections::HashSet<std::ffi::OsString>>,
}

impl NewIndex {
    /// `None` when an index exists at `path` (nothing to undo there).
    fn before(path: &Path) -> Option<NewIndex> {
        if crate::index::exists(path) {
            return None;
        }
        if !path.exists() {
            return Some(NewIndex { entries: None });
        }
        // A folder lupe cannot list is left alone.
        let dir = std::fs::read_dir(path).ok()?;
        let entries = dir.filter_map(|e| e.ok()).map(|e| e.file_name()).collect();
        Some(NewIndex {
            entries: Some(entries),
        })
    }

    /// Removes what lupe created at `path`. Best effort: what stays behind
    /// is an empty index, harmless.
    fn remove(self, path: &Path) {
        let Some(entries) = self.entries else {
            let _ = std::fs::remove_dir_all(path);
            return;
        };
        let Ok(dir) = std::fs::read_dir(path) else {
            return;
        };
        for entry in dir.filter_map(|e| e.ok()) {
            if !entries.contains(&entry.file_name()) {
                let p = entry.path();
                let _ = if p.is_dir() {
                    std::fs::remove_dir_all(&p)
                } else {
                    std::fs::remove_file(&p)
                };
            }
        }
    }
}

pub(super) fn run(args: IngestArgs) -> Outcome {
    let (urls, paths): (Vec<&PathBuf>, Vec<&PathBuf>) = args
        .paths
        .iter()
        .partition(|p| p.to_str().is_some_and(fetch::is_url));
    let inputs: Vec<Input> = paths.iter().map(|p| Input::from_arg(p)).collect();
    let mut options = Options {
        cancel: super::cancel_on_ctrl_c(),
        follow_links: args.follow,
        urls: urls
            .iter()
            .filter_map(|u| u.to_str().map(str::to_string))
            .collect(),
        fetch: fetch_options(&FetchArgs {
            timeout: args.timeout,
            delay: args.delay,
            max_size: args.max_size,
            full_text: args.full_text,
            max_retry_wait: args.max_retry_wait,
        })?,
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
        let mut line = summary_line(&summary, path);
        if !crate::index::exists(path) {
            line.push_str(" (nothing stored, so no index was created)");
        }
        writeln!(out, "{line}")
    };
    // A closed stdout must not hide the rejections' exit status.
    super::ignore_broken_pipe(written.and_then(|()| out.flush()))?;
    Ok(code)
}

/// The line that says lupe waits for a busy server.
pub(super) fn retrying(url: &str, status: u16, wait: Duration) -> String {
    format!(
        "lupe: {url} is busy (HTTP {status}); asking again in {} s, as it asks",
        wait.as_secs_f64().ceil()
    )
}

/// The command line's fetch settings.
pub(super) struct FetchArgs {
    pub timeout: f64,
    pub delay: f64,
    pub max_size: u64,
    pub full_text: bool,
    pub max_retry_wait: f64,
}

/// Fetch options from the command line's numbers.
pub(super) fn fetch_options(args: &FetchArgs) -> anyhow::Result<fetch::Options> {
    let seconds = |v: f64, what: &str| {
        Duration::try_from_secs_f64(v)
            .map_err(|_| anyhow::anyhow!("--{what} must be a number of seconds, not {v}"))
    };
    Ok(fetch::Options {
        timeout: seconds(args.timeout, "timeout")?,
        delay: seconds(args.delay, "delay")?,
        max_bytes: args.max_size,
        full_text: args.full_text,
        max_retry_wait: seconds(args.max_retry_wait, "max-retry-wait")?,
        ..fetch::Options::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_and_summary_use_one_unit() {
        for template in [BAR, SPINNER] {
            assert!(indicatif::ProgressStyle::with_template(template).is_ok());
            assert!(!template.contains("binary_"), "{template}");
            assert!(template.contains("{decimal_bytes"), "{template}");
        }
        let summary = Summary {
            bytes: 2_500_000,
            seconds: 1.0,
            ..Summary::default()
        };
        let line = summary_line(&summary, Path::new("index"));
        assert!(line.contains("2.5 MB in 1.00 s (2.5 MB/s)"), "{line}");
    }
}
