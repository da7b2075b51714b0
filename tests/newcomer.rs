//! What a first-time user trips over (issue 14): misleading advice and
//! messages, friction on the command line, and the polish of the output.
//! Every test drives the binary the way a user does.

mod util;

use serde_json::Value;
use util::{TestEnv, article, full_article};

/// Three dated articles around the turn of 2010/2011, all about Kakadus.
fn dated_corpus(env: &TestEnv) {
    let body = |n: &str| format!("Der Kakadu {n} lebt im Zoo und frisst Nüsse.");
    env.ingest_records(
        "dated.jsonl",
        &[
            full_article("silvester", "Silvester", &body("eins"), "2010-12-31", "Zoo"),
            full_article("januar", "Januar", &body("zwei"), "2011-01-15", "Zoo"),
            full_article("maerz", "März", &body("drei"), "2011-03-01", "Zoo"),
        ],
    );
}

/// The sorted article ids that `query ARGS… Kakadu` finds.
fn kakadus(env: &TestEnv, args: &[&str]) -> Vec<String> {
    let mut all = vec!["Kakadu"];
    all.extend_from_slice(args);
    util::sorted_ids(&env.hits(&all))
}

/// The command in the first pair of backticks of `message`.
fn advice(message: &str) -> String {
    let start = message.find('`').expect("the message suggests a command") + 1;
    let end = start + message[start..].find('`').expect("a closing backtick");
    message[start..end].to_string()
}

// 1. Advice must be advice that works.
#[test]
fn no_index_advice_works_for_a_file_a_foreign_folder_and_a_new_folder() {
    let env = TestEnv::new();
    let articles = env.write_jsonl("a.jsonl", &[article("a", "Titel", "Der Kakadu lebt.")]);
    std::fs::write(env.root().join("queries.txt"), "KI\n").unwrap();
    std::fs::create_dir(env.root().join("docs")).unwrap();
    std::fs::write(env.root().join("docs/notes.txt"), "Notizen\n").unwrap();
    for (at, new_folder) in [
        ("queries.txt", "neu1"),
        ("docs", "neu2"),
        ("fehlt", "fehlt"),
    ] {
        let run = env.run(["query", "Kakadu", "--index", at]).code(2);
        let err = run.stderr();
        assert!(err.contains(&format!("no lupe index at ./{at}")), "{run}");
        let command = advice(&err).replace("NEW-FOLDER", new_folder);
        let words: Vec<&str> = command.split_whitespace().collect();
        assert_eq!(words[..2], ["lupe", "ingest"], "{run}");
        assert_eq!(words.last(), Some(&"PATH…"), "{run}");
        // Following the advice, with real articles for PATH…, succeeds.
        let mut args: Vec<&str> = words[1..words.len() - 1].to_vec();
        args.push(&articles);
        env.run(&args).code(0);
        env.run(["query", "Kakadu", "--index", new_folder]).code(0);
    }
}

// 2. A passage id, as `lupe query` prints it, shows its article.
#[test]
fn show_accepts_a_passage_id_and_marks_the_passage() {
    let env = TestEnv::new();
    let first = util::paragraph("Kakadu", 400);
    let second = util::paragraph("Papagei", 400);
    env.ingest_records(
        "a.jsonl",
        &[article("zoo-1", "Im Zoo", &format!("{first}\n\n{second}"))],
    );
    let hit = &env.hits(&["Papagei"])[0];
    assert_eq!(hit.passage_id, "zoo-1#1");
    let index = env.index().to_str().unwrap();
    let run = env.run(["show", "--index", index, &hit.passage_id]).code(0);
    let out = run.stdout();
    assert!(out.starts_with("id         zoo-1\n"), "{run}");
    let marked: Vec<&str> = out.lines().filter(|l| l.contains("<==")).collect();
    assert_eq!(marked.len(), 1, "{run}");
    assert!(marked[0].starts_with("[zoo-1#1]"), "{run}");
    let json = env
        .run(["show", "--json", "--index", index, "zoo-1#0"])
        .code(0)
        .json();
    assert_eq!(json["id"], "zoo-1");
    assert_eq!(json["passage"], 0);
    assert!(
        env.run(["show", "--json", "--index", index, "zoo-1"])
            .code(0)
            .json()
            .get("passage")
            .is_none()
    );
    env.run(["show", "--index", index, "zoo-1#2"])
        .code(1)
        .stderr_has("has 2 passages (#0 to #1), not #2");
}

// 3. The summary counts the passages stored, not those replaced in the run.
#[test]
fn repeated_id_counts_the_passages_stored() {
    let env = TestEnv::new();
    let long = |topic: &str| {
        format!(
            "{}\n\n{}",
            util::paragraph(topic, 400),
            util::paragraph(topic, 400)
        )
    };
    let file = env.write_jsonl(
        "a.jsonl",
        &[
            article("x", "Erst", &long("Kakadu")),
            article("x", "Dann", "Nur ein kurzer Absatz über Papageien."),
        ],
    );
    let (run, summary) = env.ingest_json(&[&file]);
    run.code(0);
    assert_eq!(summary.passages, 1);
    assert_eq!(summary.duplicates, 1);
    let index = env.index().to_str().unwrap();
    let stats = env
        .run(["stats", "--json", "--index", index])
        .code(0)
        .json();
    assert_eq!(stats["passages"], 1);
}

/// `lupe ARGS… --help` output.
fn help(args: &[&str]) -> String {
    let env = TestEnv::new();
    let mut all = args.to_vec();
    all.push("--help");
    env.run(all).code(0).stdout()
}

// 4. Each command's help states its own exit statuses.
#[test]
fn each_command_states_its_exit_statuses() {
    let top = help(&[]);
    assert!(!top.contains("1 nothing found"), "{top}");
    assert!(top.contains("lupe COMMAND --help"), "{top}");
    for (command, expected) in [
        ("query", "1 nothing found"),
        ("batch", "2 a query failed"),
        ("ingest", "2 a record or file was rejected"),
        ("show", "1 no such article"),
        ("delete", "1 nothing matched"),
        ("check", "2 damaged files"),
        ("rebuild", "130 interrupted"),
        ("stats", "Exit status: 0 success, 2 error."),
        ("export", "Exit status: 0 written, 2 error."),
        ("analyze", "Exit status: 0 success, 2 error."),
    ] {
        let text = help(&[command])
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        assert!(text.contains(expected), "lupe {command} --help:\n{text}");
    }
}

// 5. `check --help` says what it verifies; `--format opensearch` is listed.
#[test]
fn check_help_mentions_checksums_and_export_lists_opensearch() {
    let check = help(&["check"]);
    assert!(check.contains("checksum"), "{check}");
    let export = help(&["export"]);
    assert!(
        export.contains("elasticsearch") && export.contains("opensearch"),
        "{export}"
    );
    let env = TestEnv::new();
    env.ingest_records("a.jsonl", &[article("a", "Titel", "Der Kakadu lebt.")]);
    let index = env.index().to_str().unwrap();
    // 20. Where --source is explained, so is where its values are.
    for command in ["query", "delete"] {
        let text = help(&[command])
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        assert!(text.contains("`lupe stats` lists the sources"), "{text}");
    }
    env.run(["export", "--index", index, "--format", "opensearch", "os"])
        .code(0);
    assert!(env.root().join("os/bulk.ndjson").is_file());
}

// 6. German dates, months and years in flags, `date:` and batch.
#[test]
fn german_dates_months_and_years_filter_everywhere() {
    let env = TestEnv::new();
    dated_corpus(&env);
    let all = ["januar", "maerz", "silvester"];
    assert_eq!(kakadus(&env, &["--since", "31.12.2010"]), all);
    assert_eq!(kakadus(&env, &["--since", "1.1.2011"]), all[..2]);
    assert_eq!(kakadus(&env, &["--since", "2011"]), all[..2]);
    assert_eq!(kakadus(&env, &["--until", "2010"]), ["silvester"]);
    assert_eq!(
        kakadus(&env, &["--until", "2011-01"]),
        ["januar", "silvester"]
    );
    assert_eq!(
        kakadus(&env, &["--since", "2011-02", "--until", "31.03.2011"]),
        ["maerz"]
    );
    assert_eq!(kakadus(&env, &["date:[2011 TO 2011]"]), all[..2]);
    assert_eq!(kakadus(&env, &["date:[01.01.2011 TO 2011-01]"]), ["januar"]);
    let index = env.index().to_str().unwrap();
    let batch = env
        .run_with_stdin(
            ["batch", "--index", index, "--format", "tsv"],
            br#"{"id": "q", "query": "Kakadu", "since": "2011", "until": "15.01.2011"}"#,
        )
        .code(0);
    let found: Vec<String> = batch
        .stdout()
        .lines()
        .map(|l| l.split('\t').nth(3).unwrap().to_string())
        .collect();
    assert_eq!(found, ["januar"], "{batch}");
    env.query(&["Kakadu", "--since", "31.12.10"])
        .code(2)
        .stderr_has("01.03.2025");
}

// issue 12, 14: one date range, 1678 to 2261, enforced everywhere.
#[test]
fn dates_after_2261_are_refused_everywhere() {
    let env = TestEnv::new();
    dated_corpus(&env);
    let index = env.index().to_str().unwrap();
    let (run, summary) = env.ingest_json(&[env.write_jsonl(
        "late.jsonl",
        &[full_article(
            "spaet",
            "Spät",
            "Ein Kakadu.",
            "2262-04-11",
            "Zoo",
        )],
    )]);
    run.code(2).stderr_has("between 1678 and 2261");
    assert_eq!(summary.rejected, 1);
    for flag in ["--since", "--until"] {
        env.query(&["Kakadu", flag, "2262-04-11"])
            .code(2)
            .stderr_has("outside the dates lupe can store (1678 to 2261)");
    }
    // In the query text it is no error (issue 11: any text is a query): the
    // note says why the range was read as words.
    env.query(&["Kakadu date:[2000 TO 2262-04-11]"])
        .code(0)
        .stderr_has("outside the dates lupe can store (1678 to 2261)");
    env.run(["delete", "--index", index, "--until", "2262-04-11"])
        .code(2)
        .stderr_has("1678 to 2261");
    let batch = env
        .run_with_stdin(
            ["batch", "--index", index],
            br#"{"query": "Kakadu", "until": "2262-04-11"}"#,
        )
        .code(2);
    let line: Value = serde_json::from_str(batch.stdout().trim()).unwrap();
    assert!(
        line["error"].as_str().unwrap().contains("1678 to 2261"),
        "{batch}"
    );
    // The last accepted day still works, and covers everything before it.
    assert_eq!(kakadus(&env, &["--until", "2261-12-31"]).len(), 3);
    env.run(["delete", "--dry-run", "--index", index, "--until", "2261"])
        .code(0)
        .stdout_has("3 articles would be deleted");
}

// 7. `search` is what other engines call it.
#[test]
fn search_is_an_alias_of_query() {
    let env = TestEnv::new();
    dated_corpus(&env);
    let index = env.index().to_str().unwrap();
    let run = env
        .run([
            "search", "--index", index, "--json", "Kakadu", "--until", "2010",
        ])
        .code(0);
    assert_eq!(util::sorted_ids(&run.hits()), ["silvester"]);
    assert!(help(&[]).contains("[alias: search]"));
}

/// Runs `lupe ARGS…` with a pseudo-terminal as standard input, output and
/// error, through `script(1)` (util-linux); returns what the terminal
/// showed. Standard input of `script` is empty, so lupe reads an end of
/// file right away.
#[cfg(target_os = "linux")]
fn on_a_terminal(env: &TestEnv, vars: &[(&str, &str)], args: &[&str]) -> String {
    // `timeout`: should a `script` not pass the end of its input on, a
    // waiting lupe must not hang the suite (what it printed is kept).
    let mut line = format!("timeout --foreground 30 {}", util::LUPE);
    for a in args {
        line.push_str(&format!(" '{a}'"));
    }
    let mut cmd = env.command_in("script");
    cmd.args(["-q", "-e", "-c", &line, "/dev/null"])
        .env("TERM", "xterm-256color");
    for (key, value) in vars {
        cmd.env(key, value);
    }
    let out = cmd
        .output()
        .expect("script(1) from util-linux runs lupe on a terminal");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

// 8. A batch on a terminal says where it reads from.
#[cfg(target_os = "linux")]
#[test]
fn batch_on_a_terminal_says_it_reads_standard_input() {
    let env = TestEnv::new();
    dated_corpus(&env);
    let index = env.index().to_str().unwrap().to_string();
    let shown = on_a_terminal(&env, &[], &["batch", "--index", &index]);
    assert!(
        shown.contains("reading queries from standard input") && shown.contains("Ctrl-D"),
        "{shown:?}"
    );
    // Not on a pipe: scripts see only the answers.
    env.run_with_stdin(["batch", "--index", &index], b"Kakadu\n")
        .code(0)
        .stderr_empty();
}

// 9. Files of other types in a folder are skipped with one line, exit 0;
// a file named on the command line is still an error.
#[test]
fn files_of_other_types_in_a_folder_are_skipped_with_one_line() {
    let env = TestEnv::new();
    env.write_jsonl("news/a.jsonl", &[article("a", "Titel", "Der Kakadu lebt.")]);
    env.write("news/tabelle.csv", "a,b\n1,2\n");
    env.write("news/unter/bericht.pdf", "%PDF-1.7");
    env.write("news/unter/zweite.csv", "c,d\n");
    let (run, summary) = env.ingest_json(&["corpus/news"]);
    let run = run.code(0);
    assert_eq!(summary.counts(), (1, 0, 0, 0), "{run}");
    assert_eq!(summary.skipped, 3, "{run}");
    let stderr = run.stderr();
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(
        lines,
        ["lupe: skipped 3 files of other types: .csv, .pdf"],
        "{run}"
    );
    let (run, summary) = env.ingest_json(&["corpus/news/tabelle.csv"]);
    run.code(2).stderr_has("unknown file type \".csv\"");
    assert_eq!(summary.rejected, 1);
}

// 10. A binary file is called binary once; a file with many bad records
// lists a few and counts the rest.
#[test]
fn a_binary_file_or_many_bad_records_do_not_flood_stderr() {
    let env = TestEnv::new();
    // 200 kB of pseudo-random bytes (xorshift), without a NUL in the
    // first few hundred bytes that the old test would have caught alone.
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    let blob: Vec<u8> = (0..200_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect();
    let blob = env.write("blob.jsonl", blob);
    let run = env.ingest(&[&blob]).code(2);
    assert_eq!(run.stderr().lines().count(), 1, "{run}");
    run.skipped_line("corpus/blob.jsonl");
    run.stderr_has("binary file");

    let mut text = String::new();
    for i in 0..500 {
        text.push_str(&format!("{{\"id\": \"kaputt-{i}\"}}\n"));
    }
    text.push_str(&util::jsonl(&[article("gut", "Gut", "Der Kakadu lebt.")]));
    let bad = env.write("bad.jsonl", text);
    let run = env.ingest(&[&bad]).code(2);
    let listed = run.stderr_lines_starting("lupe: skipped corpus/bad.jsonl:");
    assert_eq!(listed.len(), 5, "{run}");
    let run = run.stderr_has("lupe: skipped 495 more records in corpus/bad.jsonl");
    assert_eq!(run.stderr().lines().count(), 6, "{run}");
    assert!(
        run.stdout()
            .starts_with("1 added, 0 updated, 0 unchanged, 500 rejected")
    );
}

// 11. Nothing ingested, nothing created.
#[test]
fn a_missing_path_creates_no_index() {
    let env = TestEnv::new();
    env.ingest(&["corpus/gibt-es-nicht.jsonl"])
        .code(2)
        .stdout_has("(nothing stored, so no index was created)");
    assert!(!env.index().exists(), "an empty index was created");
    // A folder the user made for the index keeps what it held, and no more.
    std::fs::create_dir(env.index()).unwrap();
    std::fs::write(env.index().join(".gitkeep"), "").unwrap();
    env.ingest(&["corpus/gibt-es-nicht.jsonl"]).code(2);
    let left: Vec<_> = std::fs::read_dir(env.index())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, [".gitkeep"]);
    // An existing index stays as it is.
    env.ingest_records("a.jsonl", &[article("a", "Titel", "Der Kakadu lebt.")]);
    env.ingest(&["corpus/gibt-es-nicht.jsonl"]).code(2);
    env.query(&["Kakadu"]).code(0);
}

// 12. `analyze` shows the stop words it dropped.
#[test]
fn analyze_shows_dropped_stop_words() {
    let env = TestEnv::new();
    let run = env
        .run(["analyze", "--json", "Die Sicherheit der Modelle"])
        .code(0);
    let rows: Vec<Value> = run
        .stdout()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let summary: Vec<(u64, &str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r["position"].as_u64().unwrap(),
                r["word"].as_str().unwrap(),
                r["rule"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (0, "Die", "stop"),
            (1, "Sicherheit", "protected"),
            (2, "der", "stop"),
            (3, "Modelle", "stem"),
        ]
    );
    env.run(["analyze", "dass"])
        .code(0)
        .stdout_has("stop")
        .stdout_has("dropped");
}

// 18. The fragment shown holds the strongest matches: the query word
// itself before its compound parts.
#[test]
fn fragment_prefers_the_whole_query_word_to_its_parts() {
    let env = TestEnv::new();
    let filler = util::paragraph("Wetter", 600);
    let text = format!(
        "Die Daten bei Facebook wachsen. {filler} Der Datenschutz bei Facebook bleibt umstritten."
    );
    env.ingest_records("a.jsonl", &[article("fb", "Ein Konzern", &text)]);
    let run = env.query(&["Datenschutz", "Facebook"]).code(0);
    let out = run.stdout();
    assert!(out.contains("**Datenschutz**"), "{run}");
    assert!(!out.contains("**Daten**"), "{run}");
}

// 13. Plurals.
#[test]
fn one_is_singular() {
    let env = TestEnv::new();
    let file = env.write_jsonl(
        "a.jsonl",
        &[
            article("a", "Erst", "Der Kakadu lebt."),
            article("a", "Dann", "Der Kakadu lebt noch."),
        ],
    );
    let run = env.ingest(&[&file]).code(0);
    let out = run.stdout();
    assert!(out.contains("; 1 passage from"), "{run}");
    assert!(out.contains("1 repeated id (last one won)"), "{run}");
    let index = env.index().to_str().unwrap();
    env.run(["delete", "--dry-run", "--index", index, "a"])
        .code(0)
        .stdout_has("1 article would be deleted");
    env.run(["check", "--index", index])
        .code(0)
        .stdout_has("1 article, 1 passage, all complete");
    env.run(["stats", "--index", index])
        .code(0)
        .stdout_has("passages   1 in 1 segment\n");
    env.run(["delete", "--index", index, "a"])
        .code(0)
        .stdout_has("1 article deleted");
}

// 15. Ranks line up; titles and text hang under the title.
#[cfg(target_os = "linux")]
#[test]
fn ranks_line_up_and_text_hangs_under_the_title() {
    let env = TestEnv::new();
    let records: Vec<Value> = (0..12)
        .map(|i| {
            article(
                &format!("k{i:02}"),
                "Ein langer Titel über den Kakadu im Zoo von Berlin",
                &format!("Der Kakadu Nummer {i} lebt im Zoo."),
            )
        })
        .collect();
    env.ingest_records("a.jsonl", &records);
    let index = env.index().to_str().unwrap();
    let args = [
        "query",
        "--index",
        index,
        "-n",
        "12",
        "--per-article",
        "0",
        "--color",
    ];
    let shown = on_a_terminal(
        &env,
        &[("COLUMNS", "40")],
        &[&args[..], &["never", "Kakadu"]].concat(),
    );
    let out = shown.replace("\r\n", "\n");
    let run = &out;
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].starts_with(" 1. Ein langer Titel über den"),
        "{run}"
    );
    assert!(lines[1].starts_with("    "), "{run}");
    assert!(out.contains("\n10. Ein langer Titel über den"), "{run}");
    for line in &lines {
        assert!(
            line.chars().count() <= 40,
            "{line:?} is wider than 40\n{run}"
        );
        assert!(
            line.is_empty() || line.starts_with("    ") || line.as_bytes()[2] == b'.',
            "{line:?} is not aligned\n{run}"
        );
    }
}

// 16. The default index is named as the user would: ./index.
#[test]
fn the_default_index_is_named_like_a_path() {
    let env = TestEnv::new();
    let elsewhere = env.root().join("leer");
    std::fs::create_dir(&elsewhere).unwrap();
    let mut cmd = env.command();
    cmd.current_dir(&elsewhere).args(["query", "Kakadu"]);
    util::Run::capture(cmd, None).code(2).stderr_has(
        "no lupe index at ./index: create one with `lupe ingest --index ./index PATH…`",
    );
}

// 17. One language: an untitled article is "(untitled)".
#[test]
fn an_untitled_article_is_untitled_in_english() {
    let env = TestEnv::new();
    env.ingest_records(
        "a.jsonl",
        &[serde_json::json!({"id": "t", "body": "Der Kakadu lebt."})],
    );
    env.query(&["Kakadu"])
        .code(0)
        .stdout_has("1. (untitled)\n")
        .stdout_lacks("ohne Titel");
}

// issue 13: colour as cargo and ripgrep decide it.
#[test]
fn colour_honours_no_color_clicolor_and_clicolor_force() {
    let env = TestEnv::new();
    env.ingest_records("a.jsonl", &[article("a", "Titel", "Der Kakadu lebt.")]);
    let query = |vars: &[(&str, &str)]| {
        let mut cmd = env.command();
        cmd.args(["query", "--index"])
            .arg(env.index())
            .arg("Kakadu");
        for (key, value) in vars {
            cmd.env(key, value);
        }
        util::Run::capture(cmd, None).code(0).stdout()
    };
    assert!(!query(&[]).contains('\u{1b}'));
    assert!(query(&[("CLICOLOR_FORCE", "1")]).contains("\u{1b}["));
    let plain = query(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]);
    assert!(
        !plain.contains('\u{1b}') && plain.contains("**Kakadu**"),
        "{plain}"
    );
    #[cfg(target_os = "linux")]
    {
        let index = env.index().to_str().unwrap();
        let args = ["query", "--index", index, "Kakadu"];
        assert!(on_a_terminal(&env, &[], &args).contains("\u{1b}["));
        let off = on_a_terminal(&env, &[("CLICOLOR", "0")], &args);
        assert!(
            !off.contains("\u{1b}[") && off.contains("**Kakadu**"),
            "{off:?}"
        );
        assert!(!on_a_terminal(&env, &[("NO_COLOR", "1")], &args).contains("\u{1b}["));
    }
}

// 19. `-word` on the command line: the error says how to write it, and
// both ways work.
#[test]
fn a_leading_minus_word_gets_advice_that_works() {
    let env = TestEnv::new();
    env.ingest_records(
        "a.jsonl",
        &[
            article("g", "Google", "Google baut ein Rechenzentrum."),
            article("a", "Android", "Google verteilt Android an Telefone."),
        ],
    );
    env.query(&["Google", "-Android"])
        .code(2)
        .stderr_has("lupe query 'Google -Android'")
        .stderr_has("lupe query Google -- -Android");
    assert_eq!(util::sorted_ids(&env.hits(&["Google -Android"])), ["g"]);
    assert_eq!(
        util::sorted_ids(&env.hits(&["Google", "--", "-Android"])),
        ["g"]
    );
}

// issue 13: --limit is validated by clap, the same way for query and batch.
#[test]
fn limit_is_checked_like_every_other_value() {
    let env = TestEnv::new();
    env.ingest_records("a.jsonl", &[article("a", "Titel", "Der Kakadu lebt.")]);
    let index = env.index().to_str().unwrap();
    for command in ["query", "batch"] {
        for (bad, says) in [("0", "at least 1"), ("viele", "not a number")] {
            let run = env
                .run_with_stdin(
                    [command, "--index", index, "-n", bad, "Kakadu"],
                    b"Kakadu\n",
                )
                .code(2)
                .stdout_empty();
            run.stderr_has(&format!("invalid value '{bad}' for '--limit <N>'"))
                .stderr_has(says);
        }
    }
}
