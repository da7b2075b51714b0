//! Test harness for lupe's end-to-end tests, in the style of ripgrep's and
//! fd's: every test gets a [`TestEnv`], a temporary folder holding a
//! `corpus/` for article files and an `index/` for the index, and runs the
//! real `lupe` binary in it. Helpers return a [`Run`], whose assertions print
//! the command line, exit status, stdout and stderr when they fail.
//!
//! Tests never look outside their temporary folder: `lupe` runs with the
//! folder as working directory (so the default `./corpus` and `./index` of a
//! developer's clone are never touched), with `LUPE_INDEX` and colour
//! variables removed, and always with an explicit `--index`.

#![allow(dead_code)]

use std::borrow::{Borrow, BorrowMut};
use std::ffi::{OsStr, OsString};
use std::fmt;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::{Value, json};
use tempfile::TempDir;

/// The binary under test, built by cargo for integration tests.
pub const LUPE: &str = env!("CARGO_BIN_EXE_lupe");

/// The hang guard: a lupe run in a test that takes longer than this is
/// killed and fails its test (generous: debug builds on a loaded 2-core CI
/// machine; tests that need longer use [`Run::capture_for`]).
pub const DEADLINE: Duration = Duration::from_secs(180);

/// A bare `lupe` command, for tests that set up their own folders.
pub fn lupe() -> Command {
    Command::new(LUPE)
}

/// Status, stdout and stderr of a finished command (an [`Output`] or a
/// [`Run`]), for assertion messages.
pub fn show<T: Borrow<Output>>(out: &T) -> String {
    let out: &Output = out.borrow();
    format!(
        "status: {}\nstdout:\n{}\nstderr:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The keys of one hit in `--json`/`--jsonl` output, in order (the library's
/// definition, which a unit test holds against the README's table).
pub const HIT_KEYS: [&str; 11] = lupe::search::HIT_FIELDS;

/// The keys of the `ingest --json` summary.
pub const SUMMARY_KEYS: [&str; 9] = [
    "added",
    "updated",
    "unchanged",
    "rejected",
    "skipped",
    "duplicates",
    "passages",
    "bytes",
    "seconds",
];

/// A temporary folder with a corpus and an index, and a way to run lupe in it.
pub struct TestEnv {
    dir: TempDir,
    corpus: PathBuf,
    index: PathBuf,
}

impl Default for TestEnv {
    fn default() -> Self {
        TestEnv::new()
    }
}

impl TestEnv {
    /// A fresh environment: `<tmp>/corpus/` exists, `<tmp>/index/` does not.
    pub fn new() -> TestEnv {
        let dir = tempfile::Builder::new()
            .prefix("lupe-e2e-")
            .tempdir()
            .expect("create a temporary folder");
        let corpus = dir.path().join("corpus");
        fs::create_dir_all(&corpus).expect("create the corpus folder");
        let index = dir.path().join("index");
        TestEnv { dir, corpus, index }
    }

    /// The temporary folder (lupe's working directory).
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// `<tmp>/corpus`.
    pub fn corpus(&self) -> &Path {
        &self.corpus
    }

    /// `<tmp>/<rel>`.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    /// `<tmp>/index`, passed as `--index` by the helpers.
    pub fn index(&self) -> &Path {
        &self.index
    }

    /// Writes `contents` to `corpus/<rel>` (creating folders) and returns the
    /// path as it is passed on lupe's command line: `corpus/<rel>`, relative
    /// to the working directory, which is also how lupe names it in messages.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> String {
        let path = self.corpus.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("create parent folders");
        }
        fs::write(&path, contents).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
        format!("corpus/{rel}")
    }

    /// Writes JSON Lines, one record per line.
    pub fn write_jsonl(&self, rel: &str, records: &[Value]) -> String {
        self.write(rel, jsonl(records))
    }

    /// A `lupe` command running in the temporary folder with a clean
    /// environment (no `LUPE_INDEX` or `LUPE_FAULT`, no colour or terminal hints).
    pub fn command(&self) -> Command {
        self.command_in(LUPE)
    }

    /// `program` (e.g. `script`, to run lupe on a terminal) with the same
    /// working directory and clean environment as [`TestEnv::command`].
    pub fn command_in(&self, program: impl AsRef<OsStr>) -> Command {
        let mut cmd = Command::new(program);
        cmd.current_dir(self.root())
            .env_remove("LUPE_INDEX")
            .env_remove("LUPE_FAULT")
            .env_remove("NO_COLOR")
            .env_remove("CLICOLOR")
            .env_remove("CLICOLOR_FORCE")
            .env_remove("COLUMNS")
            .env("TERM", "dumb")
            .stdin(Stdio::null());
        cmd
    }

    /// Like [`TestEnv::command`], but lupe runs as `nobody` through
    /// `setpriv`, for permission tests when the tests run as root (who
    /// reads mode-000 files). `None` when `setpriv` cannot switch users.
    /// Opens the temporary folder to everyone, so nobody can write the index.
    pub fn command_as_nobody(&self) -> Option<Command> {
        let nobody = setpriv_as_nobody()?;
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(self.root(), fs::Permissions::from_mode(0o777))
            .expect("open the temporary folder");
        let plain = self.command();
        let mut cmd = Command::new("setpriv");
        cmd.args(nobody).arg(LUPE).current_dir(self.root());
        for (key, value) in plain.get_envs() {
            match value {
                Some(v) => cmd.env(key, v),
                None => cmd.env_remove(key),
            };
        }
        cmd.stdin(Stdio::null());
        Some(cmd)
    }

    /// `ingest ARGS…` where `locked` has mode 000: as this user when that
    /// makes `locked` unreadable, else as `nobody` (see
    /// [`TestEnv::command_as_nobody`]); `None` when neither is possible.
    pub fn ingest_without_access<S: AsRef<OsStr>>(&self, locked: &Path, args: &[S]) -> Option<Run> {
        if !readable(locked) {
            return Some(self.ingest(args));
        }
        let mut cmd = self.command_as_nobody()?;
        cmd.args(self.ingest_args()).args(args);
        Some(Run::capture(cmd, None))
    }

    /// [`TestEnv::ingest_without_access`] with `--json`, and the summary.
    pub fn ingest_json_without_access<S: AsRef<OsStr>>(
        &self,
        locked: &Path,
        args: &[S],
    ) -> Option<(Run, Summary)> {
        let mut all: Vec<OsString> = vec!["--json".into()];
        all.extend(args.iter().map(|a| a.as_ref().to_os_string()));
        let run = self.ingest_without_access(locked, &all)?;
        let summary = run.summary();
        Some((run, summary))
    }

    /// Runs `lupe ARGS…` and captures its output.
    pub fn run<I, S>(&self, args: I) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut cmd = self.command();
        cmd.args(args);
        Run::capture(cmd, None)
    }

    /// Runs `lupe ARGS…`, killed after `deadline` instead of [`DEADLINE`].
    pub fn run_for<I, S>(&self, args: I, deadline: Duration) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut cmd = self.command();
        cmd.args(args);
        Run::capture_for(cmd, None, deadline)
    }

    /// Runs `lupe ARGS…` with `stdin` as standard input.
    pub fn run_with_stdin<I, S>(&self, args: I, stdin: &[u8]) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut cmd = self.command();
        cmd.args(args);
        Run::capture(cmd, Some(stdin))
    }

    /// The arguments `ingest --index <index> --threads 1` (one thread keeps
    /// segment layout and so BM25 statistics deterministic).
    fn ingest_args(&self) -> Vec<OsString> {
        vec![
            "ingest".into(),
            "--index".into(),
            self.index.clone().into_os_string(),
            "--threads".into(),
            "1".into(),
        ]
    }

    /// `lupe ingest --index <index> --threads 1 ARGS…` (ARGS: paths and
    /// options such as `--json`).
    pub fn ingest<S: AsRef<OsStr>>(&self, args: &[S]) -> Run {
        let mut all = self.ingest_args();
        all.extend(args.iter().map(|a| a.as_ref().to_os_string()));
        self.run(all)
    }

    /// [`TestEnv::ingest`], killed after `deadline`.
    pub fn ingest_for<S: AsRef<OsStr>>(&self, args: &[S], deadline: Duration) -> Run {
        let mut all = self.ingest_args();
        all.extend(args.iter().map(|a| a.as_ref().to_os_string()));
        self.run_for(all, deadline)
    }

    /// `ingest` that must exit 0 with an empty stderr.
    #[track_caller]
    pub fn ingest_ok<S: AsRef<OsStr>>(&self, args: &[S]) -> Run {
        self.ingest(args).code(0).stderr_empty()
    }

    /// `ingest --json ARGS…`, returning the run and its parsed summary.
    #[track_caller]
    pub fn ingest_json<S: AsRef<OsStr>>(&self, args: &[S]) -> (Run, Summary) {
        let mut all: Vec<OsString> = vec!["--json".into()];
        all.extend(args.iter().map(|a| a.as_ref().to_os_string()));
        let run = self.ingest(&all);
        let summary = run.summary();
        (run, summary)
    }

    /// `ingest -` with `stdin` as JSON Lines.
    pub fn ingest_stdin(&self, extra: &[&str], stdin: &[u8]) -> Run {
        let mut all = self.ingest_args();
        all.extend(extra.iter().map(OsString::from));
        all.push("-".into());
        self.run_with_stdin(all, stdin)
    }

    /// Writes `records` to `corpus/<rel>` and ingests that file (exit 0).
    #[track_caller]
    pub fn ingest_records(&self, rel: &str, records: &[Value]) -> Run {
        let path = self.write_jsonl(rel, records);
        self.ingest_ok(&[path])
    }

    /// `lupe query --index <index> ARGS…`.
    pub fn query<S: AsRef<OsStr>>(&self, args: &[S]) -> Run {
        let mut all: Vec<OsString> = vec![
            "query".into(),
            "--index".into(),
            self.index.clone().into_os_string(),
        ];
        all.extend(args.iter().map(|a| a.as_ref().to_os_string()));
        self.run(all)
    }

    /// `query --json -n 50 ARGS…` (no `-n 50` when ARGS set a limit): the
    /// hits, after checking that the exit status agrees with them (0 with
    /// hits, 1 without).
    #[track_caller]
    pub fn hits<S: AsRef<OsStr>>(&self, args: &[S]) -> Vec<Hit> {
        let mut all: Vec<OsString> = vec!["--json".into()];
        let has_limit = args
            .iter()
            .any(|a| a.as_ref() == "-n" || a.as_ref() == "--limit");
        if !has_limit {
            all.extend(["-n".into(), "50".into()]);
        }
        all.extend(args.iter().map(|a| a.as_ref().to_os_string()));
        let run = self.query(&all);
        let hits = run.hits();
        let want = if hits.is_empty() { 1 } else { 0 };
        run.code(want);
        hits
    }

    /// The distinct article ids of `hits(ARGS…)`, in rank order.
    #[track_caller]
    pub fn found<S: AsRef<OsStr>>(&self, args: &[S]) -> Vec<String> {
        article_ids(&self.hits(args))
    }
}

/// Records as JSON Lines text.
pub fn jsonl(records: &[Value]) -> String {
    let mut out = String::new();
    for r in records {
        out.push_str(&serde_json::to_string(r).expect("serialize a record"));
        out.push('\n');
    }
    out
}

/// A JSON article record with id, title and body.
pub fn article(id: &str, title: &str, body: &str) -> Value {
    json!({ "id": id, "title": title, "body": body })
}

/// An article record with every field.
pub fn full_article(id: &str, title: &str, body: &str, date: &str, source: &str) -> Value {
    json!({
        "id": id,
        "title": title,
        "body": body,
        "date": date,
        "source": source,
        "url": format!("https://news.example/{id}"),
    })
}

/// Distinct article ids in rank order.
pub fn article_ids(hits: &[Hit]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for h in hits {
        if !out.contains(&h.article_id) {
            out.push(h.article_id.clone());
        }
    }
    out
}

/// Distinct article ids, sorted (for set comparisons).
pub fn sorted_ids(hits: &[Hit]) -> Vec<String> {
    let mut ids = article_ids(hits);
    ids.sort();
    ids
}

/// One hit of `lupe query --json`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Hit {
    pub rank: usize,
    pub score: f64,
    pub article_id: String,
    pub passage_id: String,
    pub passage: u32,
    pub title: String,
    pub date: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub text: String,
    pub highlights: Vec<[usize; 2]>,
}

impl Hit {
    /// The highlighted substrings of `text`, cut at character (code point)
    /// offsets; panics when an offset is out of range.
    pub fn highlighted(&self) -> Vec<String> {
        let chars: Vec<char> = self.text.chars().collect();
        self.highlights
            .iter()
            .map(|&[start, end]| {
                assert!(
                    start < end && end <= chars.len(),
                    "highlight [{start}, {end}) outside text of {} characters in {}",
                    chars.len(),
                    self.passage_id
                );
                chars[start..end].iter().collect()
            })
            .collect()
    }
}

/// The `ingest --json` summary.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Summary {
    pub added: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub rejected: u64,
    /// Files of other types skipped in folders (`SUMMARY_KEYS` checks that
    /// lupe prints the key; the default lets a test run against an older
    /// binary and fail on behaviour, not on parsing).
    #[serde(default)]
    pub skipped: u64,
    pub duplicates: u64,
    pub passages: u64,
    pub bytes: u64,
    pub seconds: f64,
}

impl Summary {
    /// `(added, updated, unchanged, rejected)`.
    pub fn counts(&self) -> (u64, u64, u64, u64) {
        (self.added, self.updated, self.unchanged, self.rejected)
    }
}

/// A finished lupe process: the command and what it printed.
pub struct Run {
    /// The command line, for messages.
    pub cmd: String,
    /// What the process returned.
    pub output: Output,
    /// How long it ran.
    pub elapsed: Duration,
    /// Killed by the hang guard.
    pub timed_out: bool,
}

impl Run {
    /// Runs `cmd`, feeding it `stdin` when given, under the hang guard
    /// [`DEADLINE`].
    pub fn capture(cmd: impl BorrowMut<Command>, stdin: Option<&[u8]>) -> Run {
        Run::capture_for(cmd, stdin, DEADLINE)
    }

    /// Runs `cmd`, feeding it `stdin` when given; kills it once `deadline`
    /// has passed (the run then fails every assertion with "did not
    /// finish"), so a hang fails one test instead of stalling the suite.
    pub fn capture_for(
        mut cmd: impl BorrowMut<Command>,
        stdin: Option<&[u8]>,
        deadline: Duration,
    ) -> Run {
        let cmd: &mut Command = cmd.borrow_mut();
        let line = describe(cmd);
        cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
        if stdin.is_some() {
            cmd.stdin(Stdio::piped());
        }
        let start = Instant::now();
        let mut child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {line}: {e}"));
        if let Some(bytes) = stdin {
            let mut pipe = child.stdin.take().expect("piped stdin");
            let bytes = bytes.to_vec();
            // A writer thread, so a large input cannot deadlock against a
            // full stdout pipe.
            std::thread::spawn(move || {
                let _ = pipe.write_all(&bytes);
            });
        }
        // A watchdog thread rather than polling `try_wait`: the common,
        // quick run then costs no sleep at all.
        let pid = child.id().to_string();
        let (done, finished) = mpsc::channel::<()>();
        let watchdog = std::thread::spawn(move || {
            if let Err(RecvTimeoutError::Timeout) = finished.recv_timeout(deadline) {
                let _ = Command::new("kill")
                    .args(["-KILL", &pid])
                    .stderr(Stdio::null())
                    .status();
                return true;
            }
            false
        });
        let output = child
            .wait_with_output()
            .unwrap_or_else(|e| panic!("waiting for {line}: {e}"));
        let _ = done.send(());
        let timed_out = watchdog.join().unwrap_or(false);
        Run {
            cmd: line,
            output,
            elapsed: start.elapsed(),
            timed_out,
        }
    }

    /// The exit code (panics when the process was killed by a signal).
    #[track_caller]
    pub fn exit_code(&self) -> i32 {
        assert!(!self.timed_out, "lupe did not finish in time\n{self}");
        match self.output.status.code() {
            Some(c) => c,
            None => panic!("lupe was killed by a signal\n{self}"),
        }
    }

    /// The exit code, or `None` when killed by a signal, after asserting
    /// that lupe finished by itself and did not panic (for tests that allow
    /// more than one outcome).
    #[track_caller]
    pub fn outcome(&self) -> Option<i32> {
        assert!(!self.timed_out, "lupe did not finish in time\n{self}");
        self.output.status.code()
    }

    /// Standard output as text.
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }

    /// Standard error as text.
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    /// Asserts the exit code.
    #[track_caller]
    pub fn code(self, expected: i32) -> Run {
        let code = self.exit_code();
        assert_eq!(
            code, expected,
            "expected exit code {expected}, got {code}\n{self}"
        );
        if expected != 101 {
            self.no_panic();
        }
        self
    }

    /// Asserts exit code 0.
    #[track_caller]
    pub fn success(self) -> Run {
        self.code(0)
    }

    /// Asserts that lupe finished by itself and did not panic: no exit
    /// code 101, no Rust panic message, and not lupe's own "internal error"
    /// report of a caught panic.
    #[track_caller]
    pub fn no_panic(&self) -> &Run {
        let code = self.exit_code();
        assert_ne!(code, 101, "lupe panicked\n{self}");
        let err = self.stderr();
        for sign in ["panicked", "internal error", "RUST_BACKTRACE"] {
            assert!(
                !err.contains(sign),
                "lupe panicked ({sign:?} on stderr)\n{self}"
            );
        }
        self
    }

    /// Asserts that stdout contains `needle`.
    #[track_caller]
    pub fn stdout_has(self, needle: &str) -> Run {
        assert!(
            self.stdout().contains(needle),
            "stdout does not contain {needle:?}\n{self}"
        );
        self
    }

    /// Asserts that stdout does not contain `needle`.
    #[track_caller]
    pub fn stdout_lacks(self, needle: &str) -> Run {
        assert!(
            !self.stdout().contains(needle),
            "stdout contains {needle:?}\n{self}"
        );
        self
    }

    /// Asserts that stderr contains `needle`.
    #[track_caller]
    pub fn stderr_has(self, needle: &str) -> Run {
        assert!(
            self.stderr().contains(needle),
            "stderr does not contain {needle:?}\n{self}"
        );
        self
    }

    /// Asserts that stderr does not contain `needle`.
    #[track_caller]
    pub fn stderr_lacks(self, needle: &str) -> Run {
        assert!(
            !self.stderr().contains(needle),
            "stderr contains {needle:?}\n{self}"
        );
        self
    }

    /// Asserts that stdout is empty.
    #[track_caller]
    pub fn stdout_empty(self) -> Run {
        assert!(
            self.output.stdout.is_empty(),
            "expected no output on stdout\n{self}"
        );
        self
    }

    /// Asserts that stderr is empty.
    #[track_caller]
    pub fn stderr_empty(self) -> Run {
        assert!(
            self.output.stderr.is_empty(),
            "expected nothing on stderr\n{self}"
        );
        self
    }

    /// Asserts that some stderr line contains every one of `parts`.
    #[track_caller]
    pub fn stderr_line(self, parts: &[&str]) -> Run {
        assert!(
            has_line(&self.stderr(), parts),
            "no stderr line contains all of {parts:?}\n{self}"
        );
        self
    }

    /// Asserts that some stdout line contains every one of `parts`.
    #[track_caller]
    pub fn stdout_line(self, parts: &[&str]) -> Run {
        assert!(
            has_line(&self.stdout(), parts),
            "no stdout line contains all of {parts:?}\n{self}"
        );
        self
    }

    /// Asserts that stderr reports no skipped file or record.
    #[track_caller]
    pub fn nothing_skipped(self) -> Run {
        self.stderr_lacks("skipped")
    }

    /// The lines of stderr that start with `prefix`.
    pub fn stderr_lines_starting(&self, prefix: &str) -> Vec<String> {
        self.stderr()
            .lines()
            .filter(|l| l.starts_with(prefix))
            .map(str::to_string)
            .collect()
    }

    /// Asserts that stderr has exactly one line starting with
    /// `lupe: skipped <location>: ` and returns that line.
    #[track_caller]
    pub fn skipped_line(&self, location: &str) -> String {
        let prefix = format!("lupe: skipped {location}: ");
        let lines = self.stderr_lines_starting(&prefix);
        assert_eq!(
            lines.len(),
            1,
            "expected exactly one stderr line starting with {prefix:?}\n{self}"
        );
        lines[0].clone()
    }

    /// Parses stdout as `query --json` output.
    #[track_caller]
    pub fn hits(&self) -> Vec<Hit> {
        serde_json::from_str(&self.stdout())
            .unwrap_or_else(|e| panic!("stdout is not a JSON array of hits: {e}\n{self}"))
    }

    /// Parses stdout as `query --jsonl` output.
    #[track_caller]
    pub fn hit_lines(&self) -> Vec<Hit> {
        self.stdout()
            .lines()
            .map(|l| {
                serde_json::from_str(l)
                    .unwrap_or_else(|e| panic!("line {l:?} is not a JSON hit: {e}\n{self}"))
            })
            .collect()
    }

    /// Parses stdout as `ingest --json` output (one object on one line).
    #[track_caller]
    pub fn summary(&self) -> Summary {
        let out = self.stdout();
        assert_eq!(
            out.lines().count(),
            1,
            "ingest --json must print exactly one line\n{self}"
        );
        serde_json::from_str(&out)
            .unwrap_or_else(|e| panic!("stdout is not an ingest summary: {e}\n{self}"))
    }

    /// Parses stdout as JSON.
    #[track_caller]
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout())
            .unwrap_or_else(|e| panic!("stdout is not JSON: {e}\n{self}"))
    }
}

impl fmt::Display for Run {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "command: {}", self.cmd)?;
        let killed = if self.timed_out {
            " (killed by the hang guard)"
        } else {
            ""
        };
        writeln!(
            f,
            "status:  {} after {:.2?}{killed}",
            self.output.status, self.elapsed
        )?;
        writeln!(f, "---- stdout ----\n{}", cut(&self.stdout()))?;
        write!(f, "---- stderr ----\n{}", cut(&self.stderr()))
    }
}

impl Borrow<Output> for Run {
    fn borrow(&self) -> &Output {
        &self.output
    }
}

impl fmt::Debug for Run {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Does some line of `text` contain every one of `parts`?
fn has_line(text: &str, parts: &[&str]) -> bool {
    text.lines().any(|l| parts.iter().all(|p| l.contains(p)))
}

/// `s`, cut after about 4,000 bytes: a failing test over megabytes of
/// output should still print a readable message.
fn cut(s: &str) -> String {
    if s.len() <= 4000 {
        return s.to_string();
    }
    let mut end = 4000;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… ({} bytes)", &s[..end], s.len())
}

/// Runs `cmd` with a standard output whose reading end is already closed
/// (like `lupe … | head -0`), so that lupe's first write fails with a broken
/// pipe, deterministically.
pub fn run_with_closed_stdout(mut cmd: Command) -> Run {
    let (reader, writer) = std::io::pipe().expect("create a pipe");
    drop(reader);
    let line = describe(&cmd);
    let start = Instant::now();
    let output = cmd
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .unwrap_or_else(|e| panic!("cannot run {line}: {e}"));
    Run {
        cmd: line,
        output,
        elapsed: start.elapsed(),
        timed_out: false,
    }
}

/// A shell-like rendering of a command line.
pub fn describe(cmd: &Command) -> String {
    let mut parts = vec!["lupe".to_string()];
    for a in cmd.get_args() {
        let s = a.to_string_lossy();
        if s.is_empty() || s.contains(|c: char| c.is_whitespace() || "\"'$*?;|&<>".contains(c)) {
            parts.push(format!("'{}'", s.replace('\'', "'\\''")));
        } else {
            parts.push(s.into_owned());
        }
    }
    let mut line = parts.join(" ");
    if let Some(dir) = cmd.get_current_dir() {
        line = format!("(cd {} && {line})", dir.display());
    }
    line
}

/// A German sentence-rich paragraph of at least `min_chars` characters
/// about `topic` (a noun that appears in every sentence).
pub fn paragraph(topic: &str, min_chars: usize) -> String {
    const SENTENCES: [&str; 6] = [
        "Fachleute beobachten das Thema {} seit Jahren mit großer Aufmerksamkeit.",
        "In den Berichten zum Thema {} geht es oft um Kosten, Personal und Zeitpläne.",
        "Mehrere Unternehmen haben angekündigt, beim Thema {} enger zusammenzuarbeiten.",
        "Kritiker bemängeln, dass beim Thema {} wichtige Fragen offen bleiben.",
        "Die Verbände wollen das Thema {} im Herbst erneut auf die Tagesordnung setzen.",
        "Für viele Beschäftigte ist das Thema {} längst Teil des Arbeitsalltags.",
    ];
    let mut out = String::new();
    let mut i = 0;
    while out.chars().count() < min_chars {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&SENTENCES[i % SENTENCES.len()].replace("{}", topic));
        i += 1;
    }
    out
}

/// Can the current user read `path`, a file or a folder? (Root reads
/// mode 000, so tests of unreadable files probe first.)
pub fn readable(path: &Path) -> bool {
    if path.is_dir() {
        fs::read_dir(path).is_ok()
    } else {
        fs::File::open(path).is_ok()
    }
}

/// `setpriv` arguments that run the rest of a command line as `nobody`,
/// when `setpriv` may switch users here (as root): permission tests drop
/// root this way instead of skipping.
pub fn setpriv_as_nobody() -> Option<[&'static str; 4]> {
    const NOBODY: [&str; 4] = ["--reuid=65534", "--regid=65534", "--clear-groups", "--"];
    Command::new("setpriv")
        .args(NOBODY)
        .arg("true")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
        .then_some(NOBODY)
}
