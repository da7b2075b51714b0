//! The command line: clap definitions, validation into library options, and
//! the runners for each command. The only module that prints.
//!
//! Exit codes are an interface for scripts: 0 = success (with results),
//! 1 = the query ran but found nothing, 2 = error (usage errors included).

mod analyze;
mod batch;
mod export;
mod extract;
mod ingest;
mod manage;
mod query;

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

use crate::index::LupeIndex;
use crate::printer::sanitize;

/// Exit status: success, with results.
pub const EXIT_OK: u8 = 0;
/// Exit status: the query ran but found nothing.
pub const EXIT_NO_RESULTS: u8 = 1;
/// Exit status: something went wrong.
pub const EXIT_ERROR: u8 = 2;

/// `lupe --version`: the version and the attribution the embedded dictionary's
/// CC BY-SA 4.0 licence asks for wherever the binary goes.
const LONG_VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    "\n\nlupe is MIT OR Apache-2.0. It embeds a German dictionary derived from\n",
    "wordfreq 3.1.1 (Robyn Speer and contributors) and german-nouns 1.2.5\n",
    "(gambolputty, from the German Wiktionary), licensed CC BY-SA 4.0\n",
    "(https://creativecommons.org/licenses/by-sa/4.0/); see NOTICE."
);

/// Search German news about the AI industry: ranked, highlighted passages.
#[derive(Debug, Parser)]
#[command(name = "lupe", version, long_version = LONG_VERSION, about, max_term_width = 100)]
#[command(
    after_help = "Exit status: 0 success, 2 error, 130 interrupted by Ctrl-C; what else a \
                         command returns (e.g. 1: `query` found nothing) is in `lupe COMMAND --help`."
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Add or update articles (JSON Lines, JSON, Markdown, text) in the index.
    #[command(
        after_help = "Exit status: 0 every record was ingested (files of other types in \
                            folders are skipped), 2 a record or file was rejected (the others are \
                            ingested) or an error, 130 interrupted by Ctrl-C (nothing since the \
                            last commit is kept)."
    )]
    Ingest(ingest::IngestArgs),
    /// Search the index and print the best passages.
    #[command(
        visible_alias = "search",
        after_help = "Exit status: 0 passages found, 1 nothing found, 2 error (e.g. a query \
                      that cannot be parsed, or no index)."
    )]
    Query(query::QueryArgs),
    /// Answer many queries (one per line) in one process, in parallel.
    #[command(
        after_help = "Exit status: 0 every query was answered (with or without hits), \
                            2 a query failed (its error is in the output, the others are \
                            answered) or an error."
    )]
    Batch(batch::BatchArgs),
    /// Summarise the index: articles, passages, size, analyzer, dates, sources.
    #[command(after_help = "Exit status: 0 success, 2 error.")]
    Stats(manage::StatsArgs),
    /// Print a stored article with all its fields and passages.
    #[command(after_help = "Exit status: 0 shown, 1 no such article, 2 error.")]
    Show(manage::ShowArgs),
    /// Remove articles (by id, source or date) with all their passages.
    #[command(
        after_help = "Exit status: 0 articles were deleted (or, with --dry-run, would be), \
                            1 nothing matched, 2 error."
    )]
    Delete(manage::DeleteArgs),
    /// Re-index every stored article with this lupe's analyzer.
    #[command(
        after_help = "Exit status: 0 rebuilt, 2 error, 130 interrupted by Ctrl-C (the \
                            index stays as it was)."
    )]
    Rebuild(manage::RebuildArgs),
    /// Verify every index file against its checksum, then that every article is complete.
    #[command(
        long_about = "Verify the index: first every index file against the checksum written \
                      with it (finds damage on disk: bit rot, a truncated copy), then that every \
                      article has all its passages. Names the damaged files and says how to \
                      repair them.",
        after_help = "Exit status: 0 checksums correct and every article complete, 2 damaged \
                      files, incomplete articles, or an error."
    )]
    Check(manage::CheckArgs),
    /// Write the index for Elasticsearch / OpenSearch (when one machine is not enough).
    #[command(after_help = "Exit status: 0 written, 2 error.")]
    Export(export::ExportArgs),
    /// Print the articles lupe would ingest from pages, feeds or files, without indexing.
    Extract(extract::ExtractArgs),
    /// Show the terms lupe makes of a text: why did (or didn't) it match?
    #[command(after_help = "Exit status: 0 success, 2 error.")]
    Analyze(analyze::AnalyzeArgs),
    /// Print shell completions.
    Completions {
        /// The shell to complete for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// Ranking settings for experiments (hidden: the defaults are measured).
#[derive(Debug, Args)]
struct RankingArgs {
    /// Weight of a title match relative to a passage-text match.
    #[arg(
        long,
        value_name = "W",
        env = "LUPE_TITLE_WEIGHT",
        hide = true,
        value_parser = parse_weight
    )]
    title_weight: Option<f32>,
    /// Weight of a synonym match relative to the words typed.
    #[arg(
        long,
        value_name = "W",
        env = "LUPE_SYNONYM_WEIGHT",
        hide = true,
        value_parser = parse_weight
    )]
    synonym_weight: Option<f32>,
}

impl RankingArgs {
    fn options(&self) -> crate::search::RankingOptions {
        let mut options = crate::search::RankingOptions::default();
        if let Some(w) = self.title_weight {
            options.title_weight = w;
        }
        if let Some(w) = self.synonym_weight {
            options.synonym_weight = w;
        }
        options
    }
}

/// Which synonyms a query uses.
#[derive(Debug, Args)]
struct SynonymArgs {
    /// A synonym file that extends lupe's thesaurus: one group per line,
    /// its entries separated by commas (`KI, künstliche Intelligenz`).
    /// May be given more than once. `synonyms.txt` in the index folder is
    /// read too.
    #[arg(long, value_name = "FILE", conflicts_with = "no_synonyms")]
    synonyms: Vec<PathBuf>,

    /// Use no synonyms at all (neither lupe's thesaurus nor synonym files).
    #[arg(long)]
    no_synonyms: bool,
}

impl SynonymArgs {
    /// lupe's thesaurus, plus `synonyms.txt` in `index` when there is one,
    /// plus the files named; `None` with `--no-synonyms`.
    fn thesaurus(
        &self,
        index: Option<&Path>,
        kind: crate::analysis::Kind,
    ) -> anyhow::Result<Option<crate::search::thesaurus::Thesaurus>> {
        use crate::search::thesaurus::{INDEX_FILE, Synonyms, Thesaurus};
        if self.no_synonyms {
            return Ok(None);
        }
        let mut synonyms = Synonyms::builtin();
        let in_index = index
            .map(|dir| dir.join(INDEX_FILE))
            .filter(|f| f.is_file());
        for file in in_index.iter().chain(&self.synonyms) {
            synonyms.extend(Synonyms::read(file)?);
        }
        Ok(Some(Thesaurus::compile(&synonyms, kind)?))
    }
}

/// A search session on `index` with the ranking and synonyms the command
/// line asks for: what `query` and `batch` share.
fn searcher<'i>(
    index: &'i LupeIndex,
    ranking: &RankingArgs,
    synonyms: &SynonymArgs,
) -> anyhow::Result<crate::search::Searcher<'i>> {
    let searcher = crate::search::Searcher::new(index)?.with_ranking(ranking.options());
    Ok(
        match synonyms.thesaurus(Some(index.path()), index.kind())? {
            Some(thesaurus) => searcher.with_thesaurus(thesaurus),
            None => searcher,
        },
    )
}

fn parse_weight(s: &str) -> Result<f32, String> {
    s.parse::<f32>()
        .ok()
        .filter(|w| w.is_finite() && *w >= 0.0)
        .ok_or_else(|| format!("{s:?} is not a weight (a number from 0)"))
}

/// Where the index lives.
#[derive(Debug, Args)]
struct IndexArg {
    /// Index folder [default: $LUPE_INDEX, else ./index]
    #[arg(
        long,
        short = 'i',
        value_name = "DIR",
        env = "LUPE_INDEX",
        hide_env = true
    )]
    index: Option<PathBuf>,
}

/// The folder used when neither `--index` nor `LUPE_INDEX` is given.
const DEFAULT_INDEX: &str = "index";

impl IndexArg {
    fn path(&self) -> &Path {
        self.index.as_deref().unwrap_or(Path::new(DEFAULT_INDEX))
    }

    fn is_default(&self) -> bool {
        self.index.is_none()
    }
}

/// When to use colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
enum ColorChoice {
    /// Colour on a terminal; NO_COLOR, CLICOLOR=0 and CLICOLOR_FORCE=1 are honoured.
    #[default]
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

impl ColorChoice {
    fn enabled(self) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            // As cargo and ripgrep decide: NO_COLOR, CLICOLOR=0 and
            // TERM=dumb turn colour off, CLICOLOR_FORCE turns it on even
            // in a pipe; otherwise colour on a terminal.
            ColorChoice::Auto => {
                anstream::AutoStream::choice(&io::stdout()) != anstream::ColorChoice::Never
            }
        }
    }
}

/// `--limit`: a number of passages, at least 1, checked by clap like every
/// other value (so the error names the flag and the exit status is 2).
fn parse_limit(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(0) => Err("the limit must be at least 1".into()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("{s:?} is not a number of passages (1 or more)")),
    }
}

/// `1 passage`, `2 passages`: a count with its noun.
pub(crate) fn plural(n: impl Into<u64>, one: &str, many: &str) -> String {
    let n = n.into();
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The outcome of a command that completed.
pub(crate) type Outcome = anyhow::Result<u8>;

/// Exit status: stopped by Ctrl-C (128 + SIGINT, as shells report it).
pub const EXIT_INTERRUPTED: u8 = 130;

fn is_interrupted(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        matches!(
            cause.downcast_ref::<crate::Error>(),
            Some(crate::Error::Interrupted { .. })
        )
    })
}

/// A cancellation token set by Ctrl-C (a second Ctrl-C exits at once).
fn cancel_on_ctrl_c() -> crate::cancel::Cancel {
    let cancel = crate::cancel::Cancel::new();
    let handler = cancel.clone();
    // Without a handler (one is installed already) Ctrl-C simply ends the
    // process, which the index survives like any crash.
    let _ = ctrlc::set_handler(move || {
        let message = match handler.cancel() {
            crate::cancel::Stop::Again => std::process::exit(i32::from(EXIT_INTERRUPTED)),
            crate::cancel::Stop::RollBack => {
                "stopping; rolling back to the last commit (Ctrl-C again to quit at once)"
            }
            crate::cancel::Stop::AfterCommit => {
                "stopping after the commit that is being written; it will be kept \
                 (Ctrl-C again to quit at once; the index is then at its last commit)"
            }
            crate::cancel::Stop::TooLate => {
                "the commit had already finished: everything of this run is kept"
            }
        };
        eprintln!("\nlupe: {message}");
    });
    cancel
}

/// A progress bar on stderr with `template` (indicatif's syntax), redrawn at
/// most ten times a second; hidden unless `show` (a terminal, no `-q`).
fn progress_bar(show: bool, length: Option<u64>, template: &str) -> indicatif::ProgressBar {
    use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
    if !show {
        return ProgressBar::hidden();
    }
    let bar = match length {
        Some(n) => ProgressBar::new(n),
        None => ProgressBar::new_spinner(),
    };
    let bar = bar.with_style(
        // The templates are constants of this crate (tested in cli::ingest).
        ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.set_draw_target(ProgressDrawTarget::stderr_with_hz(10));
    bar
}

/// The terminal's width in columns: `COLUMNS` when set, else what the
/// terminal on standard output says.
fn terminal_width() -> Option<usize> {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .or_else(|| {
            let (terminal_size::Width(cols), _) = terminal_size::terminal_size_of(io::stdout())?;
            Some(usize::from(cols))
        })
}

/// Is this error (anywhere in its chain) a closed standard output?
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// Treats a closed standard output as success (the reader has all it wanted).
pub(crate) fn ignore_broken_pipe(result: io::Result<()>) -> io::Result<()> {
    match result {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// Parses the arguments, runs the command, and returns the exit status.
pub fn main() -> ExitCode {
    let cli = match parse_args() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    install_panic_hook();
    let index = cli.command.index().map(|i| i.path().to_path_buf());
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(cli)));
    let Ok(outcome) = outcome else {
        let panic = PANIC
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
            .unwrap_or_else(|| "unknown".into());
        report_panic(&panic, index.as_deref());
        return ExitCode::from(EXIT_ERROR);
    };
    match outcome {
        Ok(code) => ExitCode::from(code),
        Err(err) if is_broken_pipe(&err) => ExitCode::from(EXIT_OK),
        Err(err) if is_interrupted(&err) => {
            let _ = writeln!(
                io::stderr(),
                "lupe: {}",
                sanitize::printable(&format!("{err:#}"))
            );
            ExitCode::from(EXIT_INTERRUPTED)
        }
        Err(err) => {
            report_error(&err, index.as_deref());
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// The parsed command line, or the exit status of a rejected one (after
/// clap's message and, where it helps, a hint).
fn parse_args() -> Result<Cli, ExitCode> {
    let e = match Cli::try_parse() {
        Ok(cli) => return Ok(cli),
        Err(e) => e,
    };
    if e.use_stderr() {
        // The rejected value is the user's text: print it plain.
        let message = e.render().to_string();
        let _ = write!(io::stderr(), "{}", sanitize::printable(&message));
    } else {
        let _ = e.print();
    }
    // `lupe query Google -Android`: the shell hands `-Android` over as a
    // word of its own, which reads like an option.
    let query = std::env::args()
        .nth(1)
        .is_some_and(|c| c == "query" || c == "search");
    if query && e.kind() == clap::error::ErrorKind::UnknownArgument {
        let _ = writeln!(
            io::stderr(),
            "lupe: hint: to exclude a word, quote the whole query \
             (lupe query 'Google -Android') or put -- before it (lupe query Google -- -Android)"
        );
    }
    Err(ExitCode::from(if e.use_stderr() {
        EXIT_ERROR
    } else {
        EXIT_OK
    }))
}

/// A panic must not end in a backtrace and exit 101. The hook only records
/// it (it may run on a worker thread); what to say is decided once it is
/// known whether the index is damaged ([`report_panic`]).
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown".into());
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let mut first = PANIC.lock().unwrap_or_else(|e| e.into_inner());
        first.get_or_insert(format!("{message}{place}"));
    }));
}

/// Prints a failed command's error and, when tantivy failed on the index,
/// whether its files are damaged and what to do.
fn report_error(err: &anyhow::Error, index: Option<&Path>) {
    let message = format!("{err:#}");
    let _ = writeln!(
        io::stderr(),
        "lupe: error: {}",
        sanitize::printable(&shorten(&message))
    );
    let tantivy = err.chain().find_map(|e| match e.downcast_ref() {
        Some(crate::error::Error::Index { source, .. }) => Some(source),
        _ => None,
    });
    let damage = index.filter(|_| tantivy.is_some()).and_then(damage);
    // A file tantivy cannot even open (a broken footer) also stops the
    // checksum test from running.
    let unreadable = matches!(
        tantivy,
        Some(tantivy::TantivyError::OpenReadError(_) | tantivy::TantivyError::DataCorruption(_))
    );
    if let Some(damage) = damage {
        let _ = writeln!(io::stderr(), "lupe: {damage}");
    } else if unreadable || message.to_lowercase().contains("corrupt") {
        let _ = writeln!(
            io::stderr(),
            "lupe: hint: the index is damaged; ingest the articles again into a new index \
             (or restore a backup of the index folder)"
        );
    }
}

/// Error messages longer than this are cut: tantivy quotes a whole damaged
/// `meta.json` (kilobytes of JSON) in its message, which buries the hint
/// that follows it.
const MAX_ERROR_CHARS: usize = 600;

/// `message`, cut after [`MAX_ERROR_CHARS`] characters with a note of how
/// much was left out.
fn shorten(message: &str) -> std::borrow::Cow<'_, str> {
    match message.char_indices().nth(MAX_ERROR_CHARS) {
        None => message.into(),
        Some((cut, _)) => {
            let rest = message[cut..].chars().count();
            format!("{}… ({rest} more characters)", &message[..cut]).into()
        }
    }
}

/// The first panic of this run, recorded by the panic hook.
static PANIC: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);

/// Explains a panic: tantivy panics on some kinds of damaged index files,
/// so when the command used an index, its checksums decide whether to
/// report a damaged index (with the files) or a bug in lupe.
fn report_panic(panic: &str, index: Option<&Path>) {
    let message = match index.and_then(damage) {
        Some(damage) => format!("error: {damage}"),
        None => format!(
            "error: internal error ({panic}); if this happened while reading an index, \
             the index may be damaged: check it with `lupe check`, rebuild it with `lupe rebuild`, \
             or ingest the articles into a new index; please report this"
        ),
    };
    let _ = writeln!(io::stderr(), "lupe: {}", sanitize::printable(&message));
}

/// "the index at … is damaged: …" when files of the index at `path` fail
/// their checksums; `None` when they pass or cannot be checked.
pub(super) fn damage(path: &Path) -> Option<String> {
    // The check itself reads the damaged files: it must not panic either.
    let files = std::panic::catch_unwind(|| LupeIndex::open(path)?.damaged_files());
    let files = files.ok()?.ok().filter(|f| !f.is_empty())?;
    Some(damage_message(path, &files, writable(path)))
}

/// Can lupe create files in the folder `path`? (A read-only mount or share
/// says no only when one tries: the permission bits may allow it.)
fn writable(path: &Path) -> bool {
    let probe = path.join(format!(".lupe-write-probe-{}", std::process::id()));
    let created = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&probe)
        .is_ok();
    if created {
        let _ = std::fs::remove_file(&probe);
    }
    created
}

/// What to say about an index with `files` failing their checksums.
fn damage_message(path: &Path, files: &[PathBuf], writable: bool) -> String {
    let list = files
        .iter()
        .map(|f| f.display().to_string())
        .collect::<Vec<_>>()
        .join(", ");
    // `rebuild` re-indexes from the stored articles, so it repairs any
    // damage outside the document store.
    let store_damaged = files
        .iter()
        .any(|f| f.extension().is_some_and(|e| e == "store"));
    let remedy = if store_damaged {
        "the stored articles are affected: restore a backup of the index folder, or ingest \
         the articles again into a new index"
            .to_string()
    } else if writable {
        format!(
            "the stored articles are intact: `lupe rebuild --index {}` re-indexes them",
            path.display()
        )
    } else {
        // A rebuild writes beside the index, which cannot happen here.
        "the stored articles are intact, but the folder is read-only: copy it to a writable \
         place and run `lupe rebuild --index COPY` there"
            .to_string()
    };
    format!(
        "the index at {} is damaged (files that fail their checksum: {list}); {remedy}",
        path.display()
    )
}

impl Command {
    /// The index the command works on, if any.
    fn index(&self) -> Option<&IndexArg> {
        match self {
            Command::Ingest(a) => Some(&a.index),
            Command::Query(a) => Some(&a.index),
            Command::Batch(a) => Some(&a.index),
            Command::Stats(a) => Some(&a.index),
            Command::Show(a) => Some(&a.index),
            Command::Delete(a) => Some(&a.index),
            Command::Rebuild(a) => Some(&a.index),
            Command::Check(a) => Some(&a.index),
            Command::Export(a) => Some(&a.index),
            Command::Analyze(_) | Command::Extract(_) | Command::Completions { .. } => None,
        }
    }
}

/// Sets glibc's allocator up for a long indexing run. tantivy's indexing
/// and merge threads allocate their arenas and buffers in large blocks and
/// free them at every flushed segment; glibc gives each thread an arena of
/// its own (up to eight per core), and memory freed in one stays there,
/// fragmented, while the next block is taken from another. On 1 GB of
/// German Wikipedia (`bench/ingest_memory.sh`) the peak RSS crept up over
/// the run to 290 MB that way; two arenas: 237 MB, at the same CPU time.
/// (A fixed mmap threshold brought 175 MB, but cost ~10 % more CPU in page
/// faults.)
fn tune_allocator_for_indexing() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes glibc's allocator parameters; it is
    // called before any indexing thread starts.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Outcome {
    if matches!(cli.command, Command::Ingest(_) | Command::Rebuild(_)) {
        tune_allocator_for_indexing();
    }
    match cli.command {
        Command::Ingest(args) => ingest::run(args),
        Command::Query(args) => query::run(args),
        Command::Analyze(args) => analyze::run(args),
        Command::Extract(args) => extract::run(args),
        Command::Batch(args) => batch::run(args),
        Command::Stats(args) => manage::run_stats(args),
        Command::Show(args) => manage::run_show(args),
        Command::Delete(args) => manage::run_delete(args),
        Command::Rebuild(args) => manage::run_rebuild(args),
        Command::Check(args) => manage::run_check(args),
        Command::Export(args) => export::run(args),
        Command::Completions { shell } => {
            // clap_complete panics on write errors: render first, then write.
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "lupe", &mut script);
            let mut out = io::stdout().lock();
            ignore_broken_pipe(out.write_all(&script).and_then(|()| out.flush()))?;
            Ok(EXIT_OK)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn long_error_messages_are_cut_at_a_character_boundary() {
        assert_eq!(shorten("kurz"), "kurz");
        let long = "ä".repeat(MAX_ERROR_CHARS + 25);
        let cut = shorten(&long);
        assert!(cut.starts_with(&"ä".repeat(MAX_ERROR_CHARS)));
        assert!(cut.ends_with("… (25 more characters)"), "{cut}");
    }

    #[test]
    fn damage_advice_fits_the_folder() {
        let path = Path::new("archiv");
        let postings = [PathBuf::from("archiv/abc.idx")];
        let store = [PathBuf::from("archiv/abc.store")];
        let here = damage_message(path, &postings, true);
        assert!(here.contains("`lupe rebuild --index archiv`"), "{here}");
        // On a read-only mount a rebuild in place cannot succeed.
        let read_only = damage_message(path, &postings, false);
        assert!(
            read_only.contains("read-only") && read_only.contains("COPY"),
            "{read_only}"
        );
        assert!(!read_only.contains("--index archiv"), "{read_only}");
        let lost = damage_message(path, &store, true);
        assert!(
            lost.contains("restore a backup") && !lost.contains("rebuild"),
            "{lost}"
        );
    }

    #[test]
    fn a_folder_we_can_write_is_writable_and_leaves_no_probe() {
        let dir = std::env::temp_dir().join(format!("lupe-writable-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        assert!(writable(&dir));
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
        std::fs::remove_dir(&dir).unwrap();
        assert!(!writable(&dir.join("missing")));
    }
}
