//! Crashes and interruptions: a killed or interrupted ingest never leaves a
//! half article, and running it again completes the corpus without
//! duplicates.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

mod util;
use util::{lupe, show};

const ARTICLES: usize = 2_000;
const PASSAGES_PER_ARTICLE: usize = 3;

/// A corpus of `ARTICLES` articles with three long paragraphs each.
fn write_corpus(dir: &Path) -> PathBuf {
    write_corpus_of(dir, ARTICLES)
}

/// A corpus of `articles` articles with three long paragraphs each.
fn write_corpus_of(dir: &Path, articles: usize) -> PathBuf {
    let words = [
        "Sicherheit",
        "Modelle",
        "Rechenzentrum",
        "Entwickler",
        "Daten",
        "Regulierung",
        "Chips",
        "Forschung",
        "Lücke",
        "Angriff",
        "Training",
        "Energie",
    ];
    let mut lines = Vec::with_capacity(articles);
    for i in 0..articles {
        let paragraph = |p: usize| {
            (0..40)
                .map(|k| words[(i * 7 + p * 3 + k) % words.len()])
                .collect::<Vec<_>>()
                .join(" ")
                + &format!(" Absatz {p} von Artikel {i}.")
        };
        let body = (0..PASSAGES_PER_ARTICLE)
            .map(paragraph)
            .collect::<Vec<_>>()
            .join("\n\n");
        lines.push(
            serde_json::json!({"id": format!("a{i:05}"), "title": format!("Artikel {i}"), "body": body})
                .to_string(),
        );
    }
    let path = dir.join(format!("corpus-{articles}.jsonl"));
    std::fs::write(&path, lines.join("\n")).expect("write corpus");
    path
}

fn start_ingest(index: &Path, corpus: &Path) -> Child {
    lupe()
        .args([
            "ingest",
            "-q",
            "-j",
            "1",
            "--commit-every",
            "300",
            "--index",
        ])
        .arg(index)
        .arg(corpus)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start lupe ingest")
}

fn signal(child: &Child, name: &str) {
    let status = Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .expect("run kill");
    assert!(status.success());
}

/// `lupe check` passes (when an index exists at all); returns the number of
/// articles.
fn check(index: &Path) -> usize {
    if !index.join("meta.json").exists() {
        return 0;
    }
    let out = lupe()
        .args(["check", "--index"])
        .arg(index)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "index not whole after a crash:\n{}",
        show(&out)
    );
    let out = lupe()
        .args(["stats", "--json", "--index"])
        .arg(index)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", show(&out));
    let stats: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    stats["articles"].as_u64().unwrap() as usize
}

/// [`check`] for the crash corpus, whose articles have three passages each.
fn check_corpus(index: &Path) -> usize {
    let articles = check(index);
    if articles > 0 {
        let out = lupe()
            .args(["stats", "--json", "--index"])
            .arg(index)
            .output()
            .unwrap();
        let stats: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(
            stats["passages"].as_u64().unwrap() as usize,
            articles * PASSAGES_PER_ARTICLE,
            "{stats}"
        );
    }
    articles
}

/// Has the index committed documents? (`meta.json` exists from the moment
/// the index is created, with no segments.)
fn has_commit(index: &Path) -> bool {
    std::fs::read_to_string(index.join("meta.json"))
        .ok()
        .and_then(|m| serde_json::from_str::<serde_json::Value>(&m).ok())
        .is_some_and(|m| m["segments"].as_array().is_some_and(|s| !s.is_empty()))
}

/// Waits until the index has a first commit (or the process ends).
fn wait_for_first_commit(index: &Path, child: &mut Child) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !has_commit(index) && Instant::now() < deadline {
        if child.try_wait().unwrap().is_some() {
            return;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn sigkill_during_ingest_leaves_whole_articles_and_a_rerun_completes() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = write_corpus(dir.path());
    let index = dir.path().join("index");
    let mut seen = Vec::new();
    for delay_ms in [0u64, 40, 150, 400] {
        let mut child = start_ingest(&index, &corpus);
        wait_for_first_commit(&index, &mut child);
        std::thread::sleep(Duration::from_millis(delay_ms));
        signal(&child, "KILL");
        let _ = child.wait();
        seen.push(check_corpus(&index));
    }
    // The same ingest, to completion: everything, once.
    let out = lupe()
        .args(["ingest", "-q", "--json", "-j", "1", "--index"])
        .arg(&index)
        .arg(&corpus)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", show(&out));
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let already = seen.last().copied().unwrap_or(0) as u64;
    assert_eq!(summary["unchanged"].as_u64(), Some(already), "{summary}");
    assert_eq!(
        summary["added"].as_u64(),
        Some(ARTICLES as u64 - already),
        "{summary}"
    );
    assert_eq!(
        check_corpus(&index),
        ARTICLES,
        "progress over the kills: {seen:?}"
    );
    // No duplicate hits for an article's unique words.
    let out = lupe()
        .args([
            "query",
            "--jsonl",
            "-n",
            "50",
            "--per-article",
            "0",
            "--index",
        ])
        .arg(&index)
        .arg("\"Artikel 1234\"")
        .output()
        .unwrap();
    let hits = String::from_utf8_lossy(&out.stdout).lines().count();
    assert_eq!(hits, PASSAGES_PER_ARTICLE, "{}", show(&out));
}

/// Corpus sizes for tests that need an ingest still running when they act:
/// when one finishes too fast on this machine, the next, larger one is tried,
/// and a test that never catches an ingest running fails.
const RUNNING_CORPUS_SIZES: [usize; 3] = [ARTICLES, 4 * ARTICLES, 16 * ARTICLES];

#[test]
fn ctrl_c_rolls_back_with_exit_130() {
    let dir = tempfile::tempdir().unwrap();
    for articles in RUNNING_CORPUS_SIZES {
        let corpus = write_corpus_of(dir.path(), articles);
        let index = dir.path().join(format!("index-{articles}"));
        let mut child = start_ingest(&index, &corpus);
        wait_for_first_commit(&index, &mut child);
        std::thread::sleep(Duration::from_millis(50));
        signal(&child, "INT");
        let out = child.wait_with_output().unwrap();
        if out.status.code() == Some(0) {
            continue; // finished before the signal arrived: try a larger corpus
        }
        assert_eq!(out.status.code(), Some(130), "{}", show(&out));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("interrupted") && stderr.contains("last commit"),
            "{stderr}"
        );
        let articles_kept = check_corpus(&index);
        assert!(articles_kept < articles);
        return;
    }
    panic!("every ingest finished before Ctrl-C arrived, even {RUNNING_CORPUS_SIZES:?} articles");
}

#[test]
fn a_second_writer_is_refused_and_readers_see_the_last_commit() {
    let dir = tempfile::tempdir().unwrap();
    for articles in RUNNING_CORPUS_SIZES {
        let corpus = write_corpus_of(dir.path(), articles);
        let index = dir.path().join(format!("index-{articles}"));
        let mut first = start_ingest(&index, &corpus);
        wait_for_first_commit(&index, &mut first);
        if first.try_wait().unwrap().is_some() {
            continue; // finished too fast to overlap: try a larger corpus
        }
        let second = lupe()
            .args(["ingest", "-q", "--index"])
            .arg(&index)
            .arg(&corpus)
            .output()
            .unwrap();
        let query = lupe()
            .args(["query", "--index"])
            .arg(&index)
            .arg("Sicherheit")
            .output()
            .unwrap();
        let finished_meanwhile = first.try_wait().unwrap().is_some();
        let _ = first.kill();
        let _ = first.wait();
        if finished_meanwhile {
            continue;
        }
        assert_eq!(second.status.code(), Some(2), "{}", show(&second));
        assert!(
            String::from_utf8_lossy(&second.stderr)
                .contains("being written by another lupe process"),
            "{}",
            show(&second)
        );
        assert_eq!(query.status.code(), Some(0), "{}", show(&query));
        return;
    }
    panic!("the first ingest always finished before the second started ({RUNNING_CORPUS_SIZES:?})");
}

/// A small tmpfs mounted for one test. Needs root and `mount`, so the tests
/// that use it are `#[ignore]`d for `cargo test` on a developer's machine and
/// run by `.ci/run` (as root) with `--ignored`, where they must pass.
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    fn mount(size: &str) -> Option<Tmpfs> {
        let dir = tempfile::tempdir().ok()?;
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then_some(Tmpfs { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn read_only(&self) -> bool {
        Command::new("mount")
            .args(["-o", "remount,ro"])
            .arg(self.path())
            .status()
            .is_ok_and(|s| s.success())
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}

fn small_corpus(dir: &Path, name: &str, articles: usize, words: usize) -> PathBuf {
    let lines: Vec<String> = (0..articles)
        .map(|i| {
            // Distinct words, so the index cannot compress them away.
            let body: String = (0..words)
                .map(|j| format!("w{i}x{j}{name} "))
                .collect::<String>()
                + " Rechenzentrum.";
            serde_json::json!({"id": format!("{name}{i}"), "body": body}).to_string()
        })
        .collect();
    let path = dir.join(format!("{name}.jsonl"));
    std::fs::write(&path, lines.join("\n")).unwrap();
    path
}

/// `lupe ingest -q -j 1 --index INDEX INPUT`.
fn ingest_one_thread(index: &Path, input: &Path) -> std::process::Output {
    lupe()
        .args(["ingest", "-q", "-j", "1", "--index"])
        .arg(index)
        .arg(input)
        .output()
        .unwrap()
}

/// A tmpfs of `size` holding an index of five small articles (at `index/`
/// inside it, or, with `at_mount_point`, the mount point itself), and a
/// temporary folder for further corpora.
struct SmallIndex {
    disk: Tmpfs,
    dir: tempfile::TempDir,
    index: PathBuf,
}

fn small_index_on_tmpfs(size: &str, at_mount_point: bool) -> SmallIndex {
    let disk = Tmpfs::mount(size).expect("mount a tmpfs (run as root)");
    let dir = tempfile::tempdir().unwrap();
    let index = if at_mount_point {
        disk.path().to_path_buf()
    } else {
        disk.path().join("index")
    };
    let small = small_corpus(dir.path(), "klein", 5, 50);
    let out = ingest_one_thread(&index, &small);
    assert!(out.status.success(), "{}", show(&out));
    SmallIndex { disk, dir, index }
}

#[test]
#[ignore = "needs root to mount a tmpfs; .ci/run runs it"]
fn a_full_disk_is_a_clear_error_and_the_index_stays_usable() {
    let SmallIndex {
        disk: _disk,
        dir,
        index,
    } = small_index_on_tmpfs("700k", false);
    let big = small_corpus(dir.path(), "gross", 400, 400);
    let out = ingest_one_thread(&index, &big);
    assert_eq!(out.status.code(), Some(2), "{}", show(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("No space left") && stderr.contains(&*index.to_string_lossy()),
        "{stderr}"
    );
    assert_eq!(check(&index), 5, "the index is as it was");
    // The failed run's files are gone, so small additions still fit.
    let more = small_corpus(dir.path(), "mehr", 5, 50);
    let out = ingest_one_thread(&index, &more);
    assert!(out.status.success(), "{}", show(&out));
    assert_eq!(check(&index), 10);
}

#[test]
#[ignore = "needs root to mount a tmpfs; .ci/run runs it"]
fn a_read_only_index_refuses_writes_clearly_and_still_answers() {
    let SmallIndex { disk, dir, index } = small_index_on_tmpfs("2m", false);
    assert!(
        disk.read_only(),
        "remount the tmpfs read-only (run as root)"
    );
    let more = small_corpus(dir.path(), "mehr", 5, 50);
    let out = lupe()
        .args(["ingest", "-q", "--index"])
        .arg(&index)
        .arg(&more)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", show(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("cannot write") && stderr.contains("Read-only"),
        "{stderr}"
    );
    let query = lupe()
        .args(["query", "--index"])
        .arg(&index)
        .arg("Rechenzentrum")
        .output()
        .unwrap();
    assert_eq!(query.status.code(), Some(0), "{}", show(&query));
}

#[test]
#[ignore = "needs root to mount a tmpfs; .ci/run runs it"]
fn damage_on_a_read_only_mount_is_not_met_with_advice_to_rebuild_there() {
    let SmallIndex {
        disk,
        dir: _dir,
        index,
    } = small_index_on_tmpfs("2m", false);
    damage_postings(&index);
    assert!(
        disk.read_only(),
        "remount the tmpfs read-only (run as root)"
    );
    let out = lupe()
        .args(["check", "--index"])
        .arg(&index)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", show(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("damaged") && stderr.contains("read-only") && stderr.contains("COPY"),
        "{stderr}"
    );
    assert!(!stderr.contains("rebuild --index /"), "{stderr}");
}

/// Flips a byte in the middle of one postings file of `index`: the file then
/// fails its checksum, while the document store stays intact.
fn damage_postings(index: &Path) {
    let postings = std::fs::read_dir(index)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|e| e == "idx"))
        .expect("a postings file");
    let mut bytes = std::fs::read(&postings).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    std::fs::write(&postings, bytes).unwrap();
}

#[test]
#[ignore = "needs root to mount a tmpfs; .ci/run runs it"]
fn a_repair_rebuild_of_an_index_folder_that_is_a_mount_point() {
    // The index folder is the mount point itself: nothing can be renamed
    // onto or off it, so the swap must stay inside.
    let SmallIndex {
        disk: _disk, index, ..
    } = small_index_on_tmpfs("8m", true);
    let index = index.as_path();
    damage_postings(index);
    let out = lupe()
        .args(["check", "--index"])
        .arg(index)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", show(&out));
    let out = lupe()
        .args(["rebuild", "-q", "--index"])
        .arg(index)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", show(&out));
    assert_eq!(check(index), 5);
    let leftovers: Vec<_> = std::fs::read_dir(index)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("rebuild"))
        .collect();
    assert!(leftovers.is_empty(), "work folders left: {leftovers:?}");
}
