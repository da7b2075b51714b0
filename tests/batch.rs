//! `lupe batch`: order under parallelism, mixed input, error entries, every
//! format, `--fields`, empty and stdin input, and a closed stdout.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::sync::OnceLock;

mod util;
use util::{lupe, show};

/// Words that each name exactly one article, so every query has a known answer.
const TOPICS: [&str; 12] = [
    "Sicherheitslücke",
    "Chipexporte",
    "Rechenzentrum",
    "Trainingsdaten",
    "Sprachmodelle",
    "Datenschutz",
    "Fachkräftemangel",
    "Urheberrecht",
    "Halbleiter",
    "Verordnung",
    "Quantencomputer",
    "Robotik",
];

/// One index for all tests (built once).
fn index() -> &'static Path {
    static INDEX: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &INDEX
        .get_or_init(|| {
            let dir = tempfile::tempdir().unwrap();
            let lines: Vec<String> = TOPICS
                .iter()
                .enumerate()
                .map(|(i, topic)| {
                    let body = format!("{topic} ist das Thema dieses Artikels. ").repeat(12);
                    serde_json::json!({"id": format!("t{i:02}"), "title": topic, "body": body,
                        "source": if i % 2 == 0 { "Gerade" } else { "Ungerade" },
                        "date": format!("2025-01-{:02}", i + 1)})
                    .to_string()
                })
                .collect();
            let corpus = dir.path().join("a.jsonl");
            std::fs::write(&corpus, lines.join("\n")).unwrap();
            let index = dir.path().join("index");
            let out = lupe()
                .args(["ingest", "-q", "-j", "1", "--index"])
                .arg(&index)
                .arg(&corpus)
                .output()
                .unwrap();
            assert!(out.status.success(), "{}", show(&out));
            (dir, index)
        })
        .1
}

fn batch(args: &[&str], input: &str) -> Output {
    let mut child = lupe()
        .arg("batch")
        .args(args)
        .arg("--index")
        .arg(index())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_string();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes());
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    out
}

fn json_lines(out: &Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect()
}

#[test]
fn order_is_kept_under_parallelism() {
    // Many more queries than one chunk, so several chunks run in parallel.
    let queries: Vec<&str> = (0..1500).map(|i| TOPICS[(i * 7) % TOPICS.len()]).collect();
    let out = batch(&["-n", "1"], &queries.join("\n"));
    assert!(out.status.success(), "{}", show(&out));
    let answers = json_lines(&out);
    assert_eq!(answers.len(), queries.len());
    for (i, (answer, query)) in answers.iter().zip(&queries).enumerate() {
        assert_eq!(answer["id"], i + 1, "plain lines are numbered by line");
        assert_eq!(answer["query"], *query);
        let want = format!("t{:02}", TOPICS.iter().position(|t| t == query).unwrap());
        assert_eq!(answer["hits"][0]["article_id"], want.as_str(), "{answer}");
    }
}

#[test]
fn mixed_plain_and_json_lines_with_options_and_skipped_lines() {
    let input = "# a comment\n\nRobotik\n{\"id\": \"q-2\", \"query\": \"Halbleiter\", \"limit\": 1}\n\
                 {\"id\": 7, \"query\": \"Thema\", \"source\": \"gerade\", \"limit\": 20}\n\
                 {\"id\": [1], \"query\": \"Thema\", \"since\": \"2025-01-11\", \"until\": \"2025-01-12\"}\n";
    let out = batch(&[], input);
    assert!(out.status.success(), "{}", show(&out));
    let answers = json_lines(&out);
    assert_eq!(answers.len(), 4);
    assert_eq!(answers[0]["id"], 3, "line number of the plain query");
    assert_eq!(answers[0]["hits"][0]["article_id"], "t11");
    assert_eq!(answers[1]["id"], "q-2");
    assert_eq!(answers[1]["hits"].as_array().unwrap().len(), 1);
    let gerade: Vec<&str> = answers[2]["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["source"].as_str().unwrap())
        .collect();
    assert_eq!(gerade.len(), 6);
    assert!(gerade.iter().all(|s| *s == "Gerade"));
    let dated: Vec<&str> = answers[3]["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["article_id"].as_str().unwrap())
        .collect();
    assert_eq!(dated.len(), 2, "{dated:?}");
    assert_eq!(answers[3]["id"], serde_json::json!([1]));
}

#[test]
fn hits_are_exactly_those_of_query_json() {
    let out = batch(&[], "Sicherheitslücke\n");
    let batch_hits = &json_lines(&out)[0]["hits"];
    let single = lupe()
        .args(["query", "--json", "--index"])
        .arg(index())
        .arg("Sicherheitslücke")
        .output()
        .unwrap();
    let query_hits: serde_json::Value = serde_json::from_slice(&single.stdout).unwrap();
    assert_eq!(*batch_hits, query_hits);
}

#[test]
fn failures_become_error_entries_and_exit_2() {
    let input = "Robotik\n{not json\n{\"id\": \"x\"}\n\"unclosed\n{\"id\": \"d\", \"query\": \"Robotik\", \"since\": \"gestern\"}\nHalbleiter\n";
    let out = batch(&[], input);
    assert_eq!(out.status.code(), Some(2), "{}", show(&out));
    let answers = json_lines(&out);
    assert_eq!(answers.len(), 6, "the batch goes on after errors");
    assert!(answers[0]["hits"].is_array());
    assert_eq!(answers[1]["id"], 2);
    assert!(
        answers[1]["error"]
            .as_str()
            .unwrap()
            .contains("invalid JSON")
    );
    assert!(
        answers[2]["error"]
            .as_str()
            .unwrap()
            .contains("missing \"query\"")
    );
    // Query text is never an error: an unclosed quote is read as words.
    assert!(answers[3]["hits"].is_array(), "{}", answers[3]);
    assert!(answers[3].get("error").is_none());
    assert!(answers[4]["error"].as_str().unwrap().contains("not a date"));
    assert_eq!(answers[5]["hits"][0]["article_id"], "t08");
}

#[test]
fn a_field_of_the_wrong_type_keeps_the_lines_id_and_names_the_field() {
    let input = "{\"id\": \"a\", \"query\": \"Robotik\", \"since\": 2020}\n\
                 {\"id\": 7, \"query\": \"Robotik\", \"limit\": \"zehn\"}\n\
                 {\"id\": \"c\", \"query\": \"Robotik\", \"literal\": null}\n";
    let out = batch(&[], input);
    assert_eq!(out.status.code(), Some(2), "{}", show(&out));
    let answers = json_lines(&out);
    assert_eq!(answers.len(), 3, "{}", show(&out));
    assert_eq!(answers[0]["id"], "a", "{}", answers[0]);
    let error = answers[0]["error"].as_str().unwrap();
    assert!(error.starts_with("\"since\": invalid type"), "{error}");
    assert_eq!(answers[1]["id"], 7, "{}", answers[1]);
    let error = answers[1]["error"].as_str().unwrap();
    assert!(error.starts_with("\"limit\": invalid type"), "{error}");
    // null means "not given", as leaving the field out does.
    assert!(answers[2]["hits"].is_array(), "{}", answers[2]);
}

#[test]
fn query_text_is_never_an_error() {
    // Headlines, stray syntax and arbitrary text: every line is answered.
    let lines = [
        "Florida: Notlandung auf dreispuriger Straße",
        "Cox' Mörder",
        "nicht nötig - Discovery landet",
        "um 4:51 Uhr",
        "https://example.com/robotik?x=1",
        "KI (künstliche Intelligenz",
        "Was kostet \"GPT-4",
        "AND",
        "*",
        "foo:bar Robotik",
        "date:gestern Robotik",
        "-Robotik",
        "((((((((((((((((((((((((((((((((((((((((Robotik))))))))))))))))))))))))))))))))))))))))",
    ];
    let input: String = lines.iter().map(|l| format!("{l}\n")).collect();
    let out = batch(&[], &input);
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    let answers = json_lines(&out);
    assert_eq!(answers.len(), lines.len());
    for a in &answers {
        assert!(a["hits"].is_array(), "{a}");
        assert!(a.get("error").is_none(), "{a}");
    }
}

#[test]
fn literal_turns_syntax_off() {
    let input = "{\"id\": 1, \"query\": \"source:nirgendwo Robotik\", \"literal\": true}\n\
                 {\"id\": 2, \"query\": \"source:nirgendwo Robotik\"}\n\
                 {\"id\": 3, \"query\": \"-Robotik\", \"literal\": true}\n\
                 {\"id\": 4, \"query\": \"-Robotik\"}\n";
    let out = batch(&["--fields", "article_id"], input);
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    let answers = json_lines(&out);
    // Literally, "source:nirgendwo" is two more words and "-Robotik" is the
    // word Robotik; as syntax the first is a filter on a source that does
    // not exist and the second only excludes (no hits either way).
    assert!(!answers[0]["hits"].as_array().unwrap().is_empty());
    assert_eq!(answers[1]["hits"].as_array().unwrap().len(), 0);
    assert!(!answers[2]["hits"].as_array().unwrap().is_empty());
    assert_eq!(answers[3]["hits"].as_array().unwrap().len(), 0);
    let flag = batch(&["--literal", "--fields", "article_id"], "-Robotik\n");
    assert!(!json_lines(&flag)[0]["hits"].as_array().unwrap().is_empty());
}

#[test]
fn tsv_and_trec_formats() {
    let out = batch(
        &["--format", "tsv", "-n", "2"],
        "Robotik\n{\"id\": \"q 2\", \"query\": \"Thema\"}\n",
    );
    assert!(out.status.success(), "{}", show(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0][..4], ["1", "1", "t11#0", "t11"]);
    assert!(rows[0][4].parse::<f32>().is_ok());
    assert_eq!(rows[1][0], "q_2", "whitespace in ids is replaced");
    assert_eq!(rows[2][1], "2");

    let out = batch(&["--format", "trec", "-n", "3"], "Robotik\n");
    let text = String::from_utf8_lossy(&out.stdout);
    let first: Vec<&str> = text.lines().next().unwrap().split(' ').collect();
    assert_eq!(first.len(), 6);
    assert_eq!(
        (first[0], first[1], first[2], first[3], first[5]),
        ("1", "Q0", "t11#0", "1", "lupe")
    );
}

#[test]
fn fields_limit_the_hit_objects() {
    let out = batch(&["--fields", "passage_id,score"], "Robotik\n");
    let hit = &json_lines(&out)[0]["hits"][0];
    let keys: Vec<&String> = hit.as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 2, "{hit}");
    assert_eq!(hit["passage_id"], "t11#0");
    let bad = batch(&["--fields", "passage_id,nope"], "Robotik\n");
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("nope"));
}

#[test]
fn empty_input_and_a_file_argument() {
    let out = batch(&[], "");
    assert!(
        out.status.success() && out.stdout.is_empty(),
        "{}",
        show(&out)
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("q.txt");
    std::fs::write(&file, "Robotik\nHalbleiter\n").unwrap();
    let out = lupe()
        .arg("batch")
        .arg("--index")
        .arg(index())
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", show(&out));
    assert_eq!(json_lines(&out).len(), 2);
}

#[test]
fn a_closed_stdout_is_not_an_error() {
    let queries = vec!["Thema"; 5000].join("\n");
    let mut child = lupe()
        .args(["batch", "--index"])
        .arg(index())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(queries.as_bytes());
    });
    // Read one line, then hang up.
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 64];
    let _ = std::io::Read::read(&mut stdout, &mut first).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
}

#[test]
fn an_empty_answer_says_why_with_a_stable_reason() {
    let cases = [
        ("Xylophonkonzert", "no_match"),
        (
            "{\"query\": \"Robotik\", \"source\": \"Grade\"}",
            "unknown_source",
        ),
        (
            "{\"query\": \"Robotik\", \"since\": \"2025-01-05\", \"until\": \"2025-01-02\"}",
            "empty_date_range",
        ),
        (
            "{\"query\": \"Robotik\", \"source\": \"gerade\"}",
            "filtered",
        ),
        ("Robotik -Thema", "excluded"),
        ("der und", "only_stop_words"),
        ("-Robotik", "no_words"),
    ];
    let input: String = cases
        .iter()
        .map(|(q, _)| format!("{q}\nRobotik\n"))
        .collect();
    let out = batch(&[], &input);
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    let answers = json_lines(&out);
    assert_eq!(answers.len(), 2 * cases.len());
    for (pair, (query, reason)) in answers.chunks(2).zip(cases) {
        let (empty, found) = (&pair[0], &pair[1]);
        assert_eq!(empty["hits"], serde_json::json!([]), "{query}: {empty}");
        assert_eq!(empty["nothing_found"]["reason"], reason, "{query}: {empty}");
        let message = empty["nothing_found"]["message"].as_str().unwrap();
        assert!(!message.is_empty(), "{empty}");
        assert!(
            found.get("nothing_found").is_none() && !found["hits"].as_array().unwrap().is_empty(),
            "an answer with hits has no reason: {found}"
        );
    }
    // The unknown source names the closest one, as `lupe query` does.
    let unknown = answers[2]["nothing_found"]["message"].as_str().unwrap();
    assert!(unknown.contains("did you mean \"gerade\""), "{unknown}");
    // One explanation for both commands: the message is the sentence that
    // `lupe query` prints.
    let single = lupe()
        .args(["query", "--index"])
        .arg(index())
        .args(["--source", "gerade", "--", "Robotik"])
        .output()
        .unwrap();
    assert_eq!(single.status.code(), Some(1), "{}", show(&single));
    let message = answers[6]["nothing_found"]["message"].as_str().unwrap();
    assert!(message.contains("remove all of them"), "{message}");
    assert!(
        String::from_utf8_lossy(&single.stderr).contains(&format!("nothing found: {message}")),
        "{}",
        show(&single)
    );
    // --fields keeps the reason (it is not a hit field); tsv and TREC stay
    // lines of hits only.
    let fields = batch(&["--fields", "passage_id"], "Xylophonkonzert\n");
    assert_eq!(
        json_lines(&fields)[0]["nothing_found"]["reason"],
        "no_match"
    );
    for format in ["tsv", "trec"] {
        let out = batch(&["--format", format], "Xylophonkonzert\nRobotik\n");
        assert!(out.status.success(), "{}", show(&out));
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.lines().all(|l| l.starts_with('2')), "{format}: {text}");
    }
}
