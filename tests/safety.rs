//! Nothing lost, nothing leaks (issue 12): a rebuild keeps the user's own
//! files in the index folder, every writing command holds the same lock for
//! its whole run, a kill at any step of rebuild, repair or delete leaves
//! exactly the old or the new index (fault injection, which debug builds
//! such as `cargo test`'s have), export does not overwrite files it did not
//! write, Ctrl-C in a commit is told the truth, and hostile input (huge
//! limits, endless lines, bad bytes, control characters, symlinks) meets
//! bounds and clear messages.

use std::fs;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

mod util;
use util::{Run, TestEnv, lupe, show};

const ARTICLES: usize = 12;

/// The shared harness's temporary folder with `corpus.jsonl` and an index
/// of its articles in `index/` (one thread, one commit: one segment).
struct Fixture {
    env: TestEnv,
}

fn body(i: usize) -> String {
    format!(
        "Die Sicherheitslücke Nummer {i} betraf Open-Source-Modelle und ihre Nutzer.\n\n\
         Forscherinnen aus Wien prüften {i} Rechenzentren und fanden Trainingsdaten mit \
         Fehlern. {}",
        "Die Datenschutzbehörde verlangt Auskunft. ".repeat(i + 3)
    )
}

impl std::ops::Deref for Fixture {
    type Target = TestEnv;

    fn deref(&self) -> &TestEnv {
        &self.env
    }
}

impl Fixture {
    fn new() -> Fixture {
        let env = TestEnv::new();
        let lines: Vec<String> = (0..ARTICLES)
            .map(|i| {
                serde_json::json!({
                    "id": format!("a{i}"),
                    "title": format!("Bericht {i}"),
                    "source": if i % 2 == 0 { "KI-Kurier" } else { "Datenblatt" },
                    "body": body(i),
                })
                .to_string()
            })
            .collect();
        fs::write(env.path("corpus.jsonl"), lines.join("\n")).unwrap();
        let env = Fixture { env };
        env.run(&["ingest", "-q", "-j", "1", "corpus.jsonl"])
            .success();
        env
    }

    /// `lupe ARGS… --index index`, run in the temporary folder.
    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = self.env.command();
        cmd.args(args).arg("--index").arg(self.index());
        cmd
    }

    fn run(&self, args: &[&str]) -> Run {
        Run::capture(self.command(args), None)
    }

    /// Runs with `LUPE_FAULT=fault`.
    fn run_faulty(&self, fault: &str, args: &[&str]) -> Run {
        let mut cmd = self.command(args);
        cmd.env("LUPE_FAULT", fault);
        Run::capture(cmd, None)
    }

    /// `show --json` of every article of the corpus that the index holds.
    fn contents(&self) -> Vec<serde_json::Value> {
        (0..ARTICLES)
            .filter_map(|i| {
                let run = self.run(&["show", "--json", &format!("a{i}")]);
                match run.outcome() {
                    Some(0) => Some(run.json()),
                    Some(1) => None,
                    _ => panic!("show failed\n{run}"),
                }
            })
            .collect()
    }

    /// The first index file with extension `ext`.
    fn index_file(&self, ext: &str) -> PathBuf {
        let mut files: Vec<PathBuf> = fs::read_dir(self.index())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == ext))
            .collect();
        files.sort();
        assert!(!files.is_empty(), "no .{ext} file");
        files[0].clone()
    }

    /// Damages the term dictionary: the stored articles stay intact, so a
    /// rebuild repairs the index from the document store.
    fn damage(&self) {
        use std::io::{Seek, SeekFrom, Write};
        let path = self.index_file("term");
        let mut file = fs::OpenOptions::new().write(true).open(&path).unwrap();
        file.seek(SeekFrom::Start(0)).unwrap();
        file.write_all(&[0xFF; 64]).unwrap();
    }

    /// Pretends an older analyzer wrote the index (a rebuild in place).
    fn age(&self) {
        let meta_path = self.index().join("meta.json");
        let mut meta: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(&meta_path).unwrap()).unwrap();
        let mut payload: serde_json::Value =
            serde_json::from_str(meta["payload"].as_str().unwrap()).unwrap();
        payload["analyzer_version"] = 0.into();
        meta["payload"] = payload.to_string().into();
        fs::write(&meta_path, meta.to_string()).unwrap();
    }

    /// Files of the user's in the index folder.
    fn add_user_files(&self) {
        fs::write(self.index().join("README.md"), "my notes\n").unwrap();
        fs::write(self.index().join(".env"), "TOKEN=1\n").unwrap();
        fs::create_dir_all(self.index().join(".git")).unwrap();
        fs::write(self.index().join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    }

    #[track_caller]
    fn assert_user_files(&self, when: &str) {
        let read = |rel: &str| fs::read_to_string(self.index().join(rel)).ok();
        assert_eq!(read("README.md").as_deref(), Some("my notes\n"), "{when}");
        assert_eq!(read(".env").as_deref(), Some("TOKEN=1\n"), "{when}");
        assert_eq!(
            read(".git/HEAD").as_deref(),
            Some("ref: refs/heads/main\n"),
            "{when}"
        );
    }

    /// Every segment file in the index folder belongs to the last commit,
    /// and no work folder is left over, in the index folder or beside it.
    #[track_caller]
    fn assert_no_debris(&self) {
        let meta: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(self.index().join("meta.json")).unwrap())
                .unwrap();
        let segments: Vec<String> = meta["segments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["segment_id"].as_str().unwrap().replace('-', ""))
            .collect();
        for entry in fs::read_dir(self.index()).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            let looks_like_segment =
                name.len() > 32 && name[..32].bytes().all(|b| b.is_ascii_hexdigit());
            assert!(
                !looks_like_segment || segments.iter().any(|s| name.starts_with(s.as_str())),
                "{name} belongs to no segment of the last commit"
            );
            assert!(!name.contains("rebuild"), "work folder {name} left over");
        }
        for entry in fs::read_dir(self.root()).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            assert!(
                ["index", "corpus", "corpus.jsonl"].contains(&name.as_str())
                    || name == "more.jsonl",
                "{name} left beside the index"
            );
        }
    }
}

/// Waits until `child` has stopped itself (SIGSTOP from the fault hook).
fn wait_until_stopped(child: &mut Child) {
    let stat = format!("/proc/{}/stat", child.id());
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let state = fs::read_to_string(&stat).unwrap_or_default();
        // "pid (comm) S …": the state follows the closing parenthesis.
        if state
            .rsplit_once(')')
            .is_some_and(|(_, rest)| rest.trim_start().starts_with('T'))
        {
            return;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "the process ended before it reached the fault point"
        );
        assert!(Instant::now() < deadline, "the process never stopped");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn resume(child: &Child) {
    let status = Command::new("kill")
        .args(["-CONT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

fn killed(run: &Run) -> bool {
    use std::os::unix::process::ExitStatusExt;
    run.output.status.signal().is_some()
}

// ---------------------------------------------------------------------------
// Item 1: a rebuild replaces only lupe's own files
// ---------------------------------------------------------------------------

#[test]
fn repair_rebuild_keeps_the_users_files_in_the_index_folder() {
    let env = Fixture::new();
    let before = env.contents();
    env.add_user_files();
    env.damage();
    let out = env.run(&["rebuild", "-q"]);
    assert!(out.output.status.success(), "{}", show(&out));
    assert!(
        out.stdout().contains("from the stored articles alone"),
        "{}",
        show(&out)
    );
    env.assert_user_files("after a repair");
    assert_eq!(env.contents(), before);
    let check = env.run(&["check"]);
    assert!(check.output.status.success(), "{}", show(&check));
    env.assert_no_debris();
}

// ---------------------------------------------------------------------------
// Item 2: every writing command holds the same lock for its whole run
// ---------------------------------------------------------------------------

#[test]
fn writers_are_refused_while_a_repair_rebuild_runs() {
    let env = Fixture::new();
    let before = env.contents();
    env.damage();
    fs::write(
        env.root().join("more.jsonl"),
        serde_json::json!({"id": "neu", "title": "Neu", "body": body(99)}).to_string(),
    )
    .unwrap();
    let mut rebuild = env
        .command(&["rebuild", "-q", "-j", "1"])
        .env("LUPE_FAULT", "stop@rebuild:article")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_until_stopped(&mut rebuild);
    let ingest = env.run(&["ingest", "-q", "more.jsonl"]);
    let delete = env.run(&["delete", "a1"]);
    let second = env.run(&["rebuild", "-q"]);
    resume(&rebuild);
    let first = rebuild.wait_with_output().unwrap();
    assert!(first.status.success(), "{}", show(&first));
    for (what, out) in [
        ("ingest", &ingest),
        ("delete", &delete),
        ("rebuild", &second),
    ] {
        assert_eq!(out.output.status.code(), Some(2), "{what}: {}", show(out));
        assert!(
            out.stderr()
                .contains("being written by another lupe process"),
            "{what}: {}",
            show(out)
        );
    }
    assert_eq!(
        env.contents(),
        before,
        "nothing vanished, nothing half done"
    );
    env.assert_no_debris();
}

// ---------------------------------------------------------------------------
// Item 3: a kill at any step leaves exactly the old or the new index
// ---------------------------------------------------------------------------

/// Runs `args` with a SIGKILL at its 1st, 2nd, … fault point until a run
/// passes all of them; after each kill, `after_kill` checks the index and
/// the run is repeated on a fresh `setup()`. Returns the number of kills.
fn kill_at_every_step(
    setup: &dyn Fn() -> Fixture,
    args: &[&str],
    after_kill: &dyn Fn(&Fixture, &str),
) -> u64 {
    for n in 1.. {
        let env = setup();
        let out = env.run_faulty(&format!("kill@{n}"), args);
        if !killed(&out) {
            assert!(out.output.status.success(), "{}", show(&out));
            return n - 1;
        }
        let stderr = out.stderr();
        let at = stderr
            .lines()
            .find_map(|l| l.strip_prefix("lupe: fault injection: SIGKILL at "))
            .unwrap_or("?")
            .to_string();
        after_kill(&env, &at);
        assert!(n < 500, "no end to the fault points");
    }
    unreachable!()
}

#[test]
fn sigkill_at_every_step_of_a_repair_leaves_the_old_or_the_new_index() {
    let original = Fixture::new().contents();
    let setup = || {
        let env = Fixture::new();
        env.add_user_files();
        env.damage();
        env
    };
    let kills = kill_at_every_step(&setup, &["rebuild", "-q", "-j", "1"], &|env, at| {
        let check = env.run(&["check"]);
        match check.output.status.code() {
            // The old index: still damaged, and said so.
            Some(2) => assert!(
                check.stderr().contains("is damaged"),
                "killed at {at}: {}",
                show(&check)
            ),
            // The new one: whole, with every article as it was.
            Some(0) => assert_eq!(env.contents(), original, "killed at {at}"),
            _ => panic!(
                "killed at {at}: neither the old nor the new index\n{}",
                show(&check)
            ),
        }
        env.assert_user_files(&format!("killed at {at}"));
        // The repair can always be run again, and completes.
        let again = env.run(&["rebuild", "-q"]);
        assert!(
            again.output.status.success(),
            "killed at {at}: {}",
            show(&again)
        );
        assert_eq!(env.contents(), original, "killed at {at}, then rebuilt");
        env.assert_user_files(&format!("killed at {at}, then rebuilt"));
        env.assert_no_debris();
    });
    assert!(kills >= 5, "only {kills} fault points");
}

#[test]
fn sigkill_at_every_step_of_a_rebuild_in_place_leaves_the_old_or_the_new_index() {
    let original = Fixture::new().contents();
    let setup = || {
        let env = Fixture::new();
        env.age();
        env
    };
    let kills = kill_at_every_step(&setup, &["rebuild", "-q", "-j", "1"], &|env, at| {
        let query = env.run(&["query", "Sicherheitslücke"]);
        match query.output.status.code() {
            Some(2) => assert!(
                query.stderr().contains("lupe rebuild"),
                "killed at {at}: {}",
                show(&query)
            ),
            Some(0) => assert_eq!(env.contents(), original, "killed at {at}"),
            _ => panic!("killed at {at}\n{}", show(&query)),
        }
        let again = env.run(&["rebuild", "-q"]);
        assert!(
            again.output.status.success(),
            "killed at {at}: {}",
            show(&again)
        );
        assert_eq!(env.contents(), original, "killed at {at}, then rebuilt");
    });
    assert!(kills >= 3, "only {kills} fault points");
}

#[test]
fn sigkill_at_every_step_of_a_delete_leaves_the_old_or_the_new_index() {
    let original = Fixture::new().contents();
    let without: Vec<_> = original
        .iter()
        .filter(|a| a["source"] != "Datenblatt")
        .cloned()
        .collect();
    let kills = kill_at_every_step(
        &Fixture::new,
        &["delete", "--source", "Datenblatt"],
        &|env, at| {
            let check = env.run(&["check"]);
            assert!(
                check.output.status.success(),
                "killed at {at}: {}",
                show(&check)
            );
            let now = env.contents();
            assert!(
                now == original || now == without,
                "killed at {at}: {} articles",
                now.len()
            );
        },
    );
    assert!(kills >= 2, "only {kills} fault points");
}

// ---------------------------------------------------------------------------
// Item 15: `--index .` and a symlinked index folder
// ---------------------------------------------------------------------------

#[test]
fn repair_rebuild_of_the_current_folder() {
    let env = Fixture::new();
    let before = env.contents();
    env.damage();
    let check = Run::capture(
        lupe()
            .current_dir(env.index())
            .args(["check", "--index", "."]),
        None,
    );
    assert!(
        check.stderr().contains("`lupe rebuild --index .`"),
        "{}",
        show(&check)
    );
    let out = Run::capture(
        lupe()
            .current_dir(env.index())
            .args(["rebuild", "-q", "--index", "."]),
        None,
    );
    assert!(out.output.status.success(), "{}", show(&out));
    assert_eq!(env.contents(), before);
    env.assert_no_debris();
}

#[test]
fn repair_rebuild_through_a_symlinked_index_folder() {
    let env = Fixture::new();
    let before = env.contents();
    env.damage();
    let link = env.root().join("more.jsonl"); // a name assert_no_debris allows
    std::os::unix::fs::symlink(env.index(), &link).unwrap();
    let out = Run::capture(lupe().args(["rebuild", "-q", "--index"]).arg(&link), None);
    assert!(out.output.status.success(), "{}", show(&out));
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link stays a link"
    );
    assert_eq!(env.contents(), before, "the linked folder holds the repair");
    let check = env.run(&["check"]);
    assert!(check.output.status.success(), "{}", show(&check));
    env.assert_no_debris();
}

// ---------------------------------------------------------------------------
// Item 4: export does not overwrite a folder that holds files
// ---------------------------------------------------------------------------

#[test]
fn export_refuses_a_folder_with_files_unless_forced() {
    let env = Fixture::new();
    let target = env.root().join("es");
    fs::create_dir_all(target.join("analysis")).unwrap();
    let mine = [
        ("README.md", "my readme\n"),
        ("index.json", "{\"mine\": true}\n"),
        ("analysis/lupe_words_de.txt", "meine Wörter\n"),
    ];
    for (rel, text) in mine {
        fs::write(target.join(rel), text).unwrap();
    }
    let export = |extra: &[&str]| {
        let mut cmd = env.command(&["export", "--format", "elasticsearch"]);
        cmd.args(extra).arg(&target);
        Run::capture(cmd, None)
    };
    let refused = export(&[]);
    assert_eq!(refused.output.status.code(), Some(2), "{}", show(&refused));
    let stderr = refused.stderr();
    assert!(
        stderr.contains("not empty") && stderr.contains("--force"),
        "{stderr}"
    );
    for (rel, text) in mine {
        assert_eq!(fs::read_to_string(target.join(rel)).unwrap(), text, "{rel}");
    }
    assert!(!target.join("bulk.ndjson").exists());

    let forced = export(&["--force"]);
    assert!(forced.output.status.success(), "{}", show(&forced));
    assert_ne!(
        fs::read_to_string(target.join("README.md")).unwrap(),
        mine[0].1
    );

    // An empty folder needs no --force.
    let empty = env.root().join("leer");
    fs::create_dir_all(&empty).unwrap();
    let out = Run::capture(
        env.command(&["export", "--format", "elasticsearch"])
            .arg(&empty),
        None,
    );
    assert!(out.output.status.success(), "{}", show(&out));
}

// ---------------------------------------------------------------------------
// Item 5: Ctrl-C during the final commit
// ---------------------------------------------------------------------------

#[test]
fn ctrl_c_while_the_final_commit_is_prepared_rolls_back_with_130() {
    let env = Fixture::new();
    let before = env.contents();
    fs::write(
        env.root().join("more.jsonl"),
        serde_json::json!({"id": "neu", "title": "Neu", "body": body(99)}).to_string(),
    )
    .unwrap();
    let out = env.run_faulty("int@commit:prepared", &["ingest", "-q", "more.jsonl"]);
    assert_eq!(out.output.status.code(), Some(130), "{}", show(&out));
    let stderr = out.stderr();
    assert!(
        stderr.contains("rolling back") && stderr.contains("last commit"),
        "{stderr}"
    );
    assert_eq!(env.contents(), before, "nothing of the run was kept");
    let show_new = env.run(&["show", "neu"]);
    assert_eq!(
        show_new.output.status.code(),
        Some(1),
        "{}",
        show(&show_new)
    );
}

#[test]
fn ctrl_c_after_the_final_commit_says_the_commit_finished() {
    let env = Fixture::new();
    fs::write(
        env.root().join("more.jsonl"),
        serde_json::json!({"id": "neu", "title": "Neu", "body": body(99)}).to_string(),
    )
    .unwrap();
    let out = env.run_faulty("int@commit:done", &["ingest", "-q", "more.jsonl"]);
    let stderr = out.stderr();
    assert!(
        !stderr.contains("rolling back"),
        "the commit was written: nothing is rolled back\n{}",
        show(&out)
    );
    assert!(stderr.contains("commit"), "{}", show(&out));
    let show_new = env.run(&["show", "neu"]);
    assert_eq!(
        show_new.output.status.code(),
        Some(0),
        "{}",
        show(&show_new)
    );
}

// ---------------------------------------------------------------------------
// Item 8: huge limits are capped, not allocated
// ---------------------------------------------------------------------------

#[test]
fn huge_limits_are_capped_at_the_passages_there_are() {
    let env = Fixture::new();
    let passages = env.run(&["stats", "--json"]);
    let passages: serde_json::Value = serde_json::from_slice(&passages.output.stdout).unwrap();
    let passages = passages["passages"].as_u64().unwrap() as usize;
    for n in [
        "1000000000",
        &u64::MAX.to_string(),
        &(usize::MAX - 1).to_string(),
    ] {
        let out = env.run(&[
            "query",
            "--jsonl",
            "--per-article",
            "0",
            "-n",
            n,
            "Sicherheitslücke",
        ]);
        assert_eq!(out.output.status.code(), Some(0), "-n {n}: {}", show(&out));
        let hits = out.stdout().lines().count();
        assert!(hits > 0 && hits <= passages, "-n {n}: {hits} hits");
        let line = format!("{{\"id\": 1, \"query\": \"Rechenzentren\", \"limit\": {n}}}\n");
        let batch = Run::capture(env.command(&["batch"]), Some(line.as_bytes()));
        assert_eq!(
            batch.output.status.code(),
            Some(0),
            "limit {n}: {}",
            show(&batch)
        );
        let answer: serde_json::Value = serde_json::from_slice(&batch.output.stdout).unwrap();
        assert!(!answer["hits"].as_array().unwrap().is_empty(), "{answer}");
    }
}

// ---------------------------------------------------------------------------
// Items 9 and 10: batch lines are bounded, and a bad line is one error entry
// ---------------------------------------------------------------------------

/// Runs `lupe batch ARGS…` on `input`.
fn batch(env: &Fixture, args: &[&str], input: Vec<u8>) -> Run {
    let mut all = vec!["batch"];
    all.extend_from_slice(args);
    Run::capture(env.command(&all), Some(&input))
}

fn json_lines(out: &Run) -> Vec<serde_json::Value> {
    out.stdout()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

#[test]
fn a_non_utf8_batch_line_is_one_error_entry_and_the_batch_goes_on() {
    let env = Fixture::new();
    let mut input = Vec::new();
    for _ in 0..1000 {
        input.extend_from_slice(b"Rechenzentren\n");
    }
    input.extend_from_slice(b"Gr\xfc\xdfe aus K\xf6ln\n"); // Latin-1
    input.extend_from_slice(b"Sicherheitsl\xc3\xbccke\n");
    let out = batch(&env, &["-n", "1"], input);
    assert_eq!(out.output.status.code(), Some(2), "{}", show(&out));
    let answers = json_lines(&out);
    assert_eq!(answers.len(), 1002, "{}", out.stderr());
    assert_eq!(answers[1000]["id"], 1001);
    assert!(
        answers[1000]["error"].as_str().unwrap().contains("UTF-8"),
        "{}",
        answers[1000]
    );
    assert!(!answers[1001]["hits"].as_array().unwrap().is_empty());
}

#[test]
fn an_overlong_batch_line_is_one_error_entry_and_the_batch_goes_on() {
    let env = Fixture::new();
    let mut input = b"Rechenzentren\n".to_vec();
    input.extend(std::iter::repeat_n(b'x', 100 << 10));
    input.extend_from_slice(b"\nSicherheitsl\xc3\xbccke\n");
    for format in ["jsonl", "tsv"] {
        let out = batch(&env, &["--format", format], input.clone());
        assert_eq!(out.output.status.code(), Some(2), "{}", show(&out));
        let stderr = out.stderr();
        if format == "jsonl" {
            let answers = json_lines(&out);
            assert_eq!(answers.len(), 3, "{stderr}");
            let error = answers[1]["error"].as_str().unwrap();
            assert!(error.contains("longer than 64 KiB"), "{error}");
            assert!(!answers[2]["hits"].as_array().unwrap().is_empty());
        } else {
            assert!(
                stderr.contains("(line 2): ") && stderr.contains("64 KiB"),
                "{stderr}"
            );
            assert!(out.stdout().lines().any(|l| l.starts_with("3\t")));
        }
    }
}

#[test]
fn an_overlong_json_lines_record_is_rejected_and_the_run_goes_on() {
    let env = Fixture::new();
    // 257 MiB in one record, written in pieces: the test holds none of it.
    let mut cmd = env.command(&["ingest", "-q", "--json", "-"]);
    let started = std::time::Instant::now();
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        use std::io::Write;
        stdin.write_all(br#"{"id": "riesig", "body": ""#)?;
        let piece = vec![b'a'; 1 << 20];
        for _ in 0..257 {
            stdin.write_all(&piece)?;
        }
        stdin.write_all(b"\"}\n")?;
        let good = serde_json::json!({"id": "klein", "body": body(1)}).to_string() + "\n";
        stdin.write_all(good.as_bytes())
    });
    let out = Run {
        cmd: util::describe(&cmd),
        output: child.wait_with_output().unwrap(),
        elapsed: started.elapsed(),
        timed_out: false,
    };
    writer.join().unwrap().unwrap();
    assert_eq!(out.output.status.code(), Some(2), "{}", show(&out));
    let stderr = out.stderr();
    assert!(
        stderr.contains("lupe: skipped -:1: ") && stderr.contains("256 MiB"),
        "{stderr}"
    );
    let summary: serde_json::Value = serde_json::from_slice(&out.output.stdout).unwrap();
    assert_eq!(summary["rejected"], 1, "{summary}");
    assert_eq!(env.run(&["show", "klein"]).output.status.code(), Some(0));
}

// ---------------------------------------------------------------------------
// Item 12: symlinks out of a folder, FIFOs in it
// ---------------------------------------------------------------------------

#[test]
fn symlinks_out_of_a_folder_are_skipped_unless_follow_and_fifos_are_skipped() {
    let env = Fixture::new();
    let corpus = env.root().join("docs");
    let outside = env.root().join("elsewhere");
    fs::create_dir_all(&corpus).unwrap();
    fs::create_dir_all(&outside).unwrap();
    fs::write(corpus.join("a.txt"), format!("Drinnen\n\n{}", body(1))).unwrap();
    fs::write(outside.join("b.txt"), format!("Draussen\n\n{}", body(2))).unwrap();
    fs::write(outside.join("c.txt"), format!("Datei\n\n{}", body(3))).unwrap();
    std::os::unix::fs::symlink(&outside, corpus.join("dir-link")).unwrap();
    std::os::unix::fs::symlink(outside.join("c.txt"), corpus.join("file-link.txt")).unwrap();
    let fifo = Command::new("mkfifo")
        .arg(corpus.join("pipe.jsonl"))
        .status()
        .unwrap();
    assert!(fifo.success());

    let ingest = |extra: &[&str]| {
        let mut args = vec!["ingest", "-q", "--json"];
        args.extend_from_slice(extra);
        args.push("docs");
        let out = env.run(&args);
        let summary: serde_json::Value = serde_json::from_slice(&out.output.stdout)
            .unwrap_or_else(|e| panic!("{e}\n{}", show(&out)));
        (out, summary)
    };
    let (out, summary) = ingest(&[]);
    let stderr = out.stderr();
    assert_eq!(summary["added"], 1, "{}", show(&out));
    for name in ["dir-link", "file-link.txt"] {
        assert!(
            stderr
                .lines()
                .any(|l| l.starts_with(&format!("lupe: skipped docs/{name}: "))
                    && l.contains("--follow")),
            "{name}: {stderr}"
        );
    }
    assert!(
        stderr
            .lines()
            .any(|l| l.starts_with("lupe: skipped docs/pipe.jsonl: ") && l.contains("FIFO")),
        "{stderr}"
    );
    assert_eq!(out.output.status.code(), Some(2), "{}", show(&out));

    let (out, summary) = ingest(&["--follow"]);
    assert_eq!(summary["added"], 2, "{}", show(&out));
    assert_eq!(summary["unchanged"], 1, "{}", show(&out));
}

// ---------------------------------------------------------------------------
// Item 13: a truncated .managed.json (tantivy's list of its files)
// ---------------------------------------------------------------------------

#[test]
fn a_truncated_file_list_is_repaired_and_blocks_nothing() {
    let env = Fixture::new();
    let before = env.contents();
    let managed = env.index().join(".managed.json");
    let text = fs::read(&managed).unwrap();
    fs::write(&managed, &text[..text.len() / 2]).unwrap();

    let query = env.run(&["query", "Sicherheitslücke"]);
    assert_eq!(query.output.status.code(), Some(0), "{}", show(&query));
    let check = env.run(&["check"]);
    assert_eq!(check.output.status.code(), Some(0), "{}", show(&check));
    assert_eq!(env.contents(), before);

    // A writer repairs the list on disk.
    fs::write(
        env.root().join("more.jsonl"),
        serde_json::json!({"id": "neu", "title": "Neu", "body": body(99)}).to_string(),
    )
    .unwrap();
    let ingest = env.run(&["ingest", "-q", "more.jsonl"]);
    assert_eq!(ingest.output.status.code(), Some(0), "{}", show(&ingest));
    let list: Vec<String> = serde_json::from_slice(&fs::read(&managed).unwrap())
        .unwrap_or_else(|e| panic!("{e}: the list is still broken"));
    assert!(list.iter().any(|f| f.ends_with(".store")), "{list:?}");
    let rebuild = env.run(&["rebuild", "-q"]);
    assert_eq!(rebuild.output.status.code(), Some(0), "{}", show(&rebuild));
    assert_eq!(env.contents(), before);
    assert_eq!(env.run(&["show", "neu"]).output.status.code(), Some(0));
    env.assert_no_debris();
}

// ---------------------------------------------------------------------------
// Item 11: control characters never reach the terminal raw
// ---------------------------------------------------------------------------

/// Characters that move the cursor, change colours, hide or reorder text.
const HOSTILE: [char; 6] = ['\u{1b}', '\u{7}', '\u{7f}', '\u{9b}', '\u{85}', '\u{202e}'];

#[track_caller]
fn assert_clean(what: &str, out: &Run) {
    for stream in [&out.output.stdout, &out.output.stderr] {
        let text = String::from_utf8_lossy(stream);
        for c in HOSTILE {
            assert!(
                !text.contains(c),
                "{what}: raw U+{:04X} in the output\n{}",
                c as u32,
                show(out)
            );
        }
    }
}

#[test]
fn control_characters_are_sanitized_for_humans_and_escaped_in_machine_formats() {
    let env = Fixture::new();
    let bad = "X\u{1b}[2J\u{7}\u{7f}\u{9b}31m\u{85}\u{202e}Y";
    // Ids with control characters are rejected at ingest (with an escaped
    // message); titles, sources and text keep theirs.
    let id = "böse-id".to_string();
    let rejected = serde_json::json!({"id": format!("x{bad}"), "body": body(4)});
    let record = serde_json::json!({
        "id": id,
        "title": format!("Titel {bad}"),
        "source": format!("Quelle{bad}"),
        "body": format!("Rechenzentren {bad} {}", body(5)),
    });
    fs::write(
        env.root().join("more.jsonl"),
        format!("{record}\n{rejected}\n"),
    )
    .unwrap();
    let out = env.run(&["ingest", "more.jsonl"]);
    assert_clean("ingest", &out);
    assert_eq!(out.output.status.code(), Some(2), "{}", show(&out));

    for args in [
        vec!["query", "--color", "never", "Rechenzentren", "-n", "50"],
        vec!["query", "--full", "Rechenzentren", "-n", "50"],
        vec!["show", &id],
        vec!["stats"],
        vec!["delete", "--dry-run", &id],
        vec!["query", "--since", bad],
    ] {
        let out = env.run(&args);
        assert_clean(&args.join(" "), &out);
    }
    // A file name with control characters in an error message.
    let name = format!("datei{bad}.txt");
    fs::write(env.root().join(&name), "").unwrap();
    let out = env.run(&["ingest", &name]);
    assert_clean("ingest of a bad file name", &out);

    // Machine formats: JSON escapes; TSV and TREC carry no raw control characters.
    let query = serde_json::json!({"id": format!("q{bad}"), "query": "Rechenzentren"}).to_string();
    for format in ["tsv", "trec"] {
        let out = batch(
            &env,
            &["--format", format],
            format!("{query}\n").into_bytes(),
        );
        assert_clean(format, &out);
        assert!(out.output.status.success(), "{}", show(&out));
    }
}

// ---------------------------------------------------------------------------
// Adversarial pass: SIGKILL at random moments (not only at the fault points)
// ---------------------------------------------------------------------------

/// An index of `n` articles (two passages each), ingested in one thread.
fn big_env(n: usize) -> Fixture {
    let env = Fixture::new();
    let lines: Vec<String> = (0..n)
        .map(|i| {
            serde_json::json!({
                "id": format!("b{i:04}"),
                "title": format!("Beitrag {i}"),
                "source": if i % 3 == 0 { "Datenblatt" } else { "Wochenblick" },
                "body": body(i % 7),
            })
            .to_string()
        })
        .collect();
    fs::write(env.root().join("more.jsonl"), lines.join("\n")).unwrap();
    let out = env.run(&["ingest", "-q", "-j", "1", "more.jsonl"]);
    assert!(out.output.status.success(), "{}", show(&out));
    env
}

fn stats(env: &Fixture) -> (u64, u64) {
    let out = env.run(&["stats", "--json"]);
    assert!(out.output.status.success(), "{}", show(&out));
    let s: serde_json::Value = serde_json::from_slice(&out.output.stdout).unwrap();
    (
        s["articles"].as_u64().unwrap(),
        s["passages"].as_u64().unwrap(),
    )
}

/// Starts `args`, kills it with SIGKILL after `delay` (or lets it end).
fn kill_after(env: &Fixture, args: &[&str], delay: Duration) -> bool {
    let mut child = env
        .command(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(delay);
    let ended = child.try_wait().unwrap().is_some();
    let _ = child.kill();
    let _ = child.wait();
    !ended
}

#[test]
fn sigkill_at_random_moments_of_rebuild_and_delete_leaves_a_whole_index() {
    const N: usize = 600;
    let mut killed = 0;
    for delay_ms in [5u64, 60, 250, 700, 1500] {
        let delay = Duration::from_millis(delay_ms);
        // A repair rebuild.
        let env = big_env(N);
        let whole = stats(&env);
        env.add_user_files();
        env.damage();
        killed += u32::from(kill_after(&env, &["rebuild", "-q", "-j", "1"], delay));
        let check = env.run(&["check"]);
        match check.output.status.code() {
            Some(2) => assert!(check.stderr().contains("is damaged"), "{}", show(&check)),
            Some(0) => assert_eq!(stats(&env), whole, "after {delay_ms} ms"),
            _ => panic!("after {delay_ms} ms: {}", show(&check)),
        }
        env.assert_user_files(&format!("rebuild killed after {delay_ms} ms"));
        let again = env.run(&["rebuild", "-q"]);
        assert!(again.output.status.success(), "{}", show(&again));
        assert_eq!(stats(&env), whole);
        env.assert_no_debris();

        // A delete.
        let before = stats(&env);
        killed += u32::from(kill_after(
            &env,
            &["delete", "--source", "Datenblatt"],
            delay,
        ));
        let check = env.run(&["check"]);
        assert!(check.output.status.success(), "{}", show(&check));
        let now = stats(&env);
        let gone = (N as u64).div_ceil(3) + (ARTICLES as u64) / 2;
        assert!(
            now == before || now.0 == before.0 - gone,
            "after {delay_ms} ms: {now:?} of {before:?}"
        );
    }
    eprintln!("{killed} of 10 runs were killed before they ended");
    assert!(killed > 0, "no run was killed: make the index bigger");
}
