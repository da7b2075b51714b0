//! End-to-end tests of `lupe query` (output formats, exit codes, options,
//! operators, ranking, passages) and `lupe completions`.

mod util;

use std::io::{BufRead, BufReader, Read};
use std::process::Stdio;

use serde_json::{Value, json};
use util::{TestEnv, article, article_ids, full_article, paragraph, sorted_ids};

// ---------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------

/// Short articles for the operators: three share topic words pairwise, two
/// contain "Daten" and "schützen" (adjacent in only one).
fn operator_corpus(env: &TestEnv) {
    env.ingest_records(
        "operatoren.jsonl",
        &[
            article(
                "quanten-krypto",
                "Quantencomputer bedrohen heutige Verschlüsselung",
                "Sobald Quantencomputer groß genug sind, lassen sich heutige Verfahren der \
                 Kryptografie brechen. Banken und Behörden stellen deshalb schon jetzt auf neue \
                 Algorithmen um, die auch künftigen Angriffen standhalten sollen.",
            ),
            article(
                "quanten-akku",
                "Simulationen für bessere Akkus",
                "Ein Chemiekonzern nutzt Quantencomputer, um neue Materialien für Batterien zu \
                 simulieren. Die Rechnungen sollen helfen, Zellen mit höherer Energiedichte und \
                 längerer Lebensdauer zu entwickeln.",
            ),
            article(
                "krypto-akku",
                "Batterien im vernetzten Auto",
                "In modernen Elektroautos überwacht ein Steuergerät jede Zelle. Die Kommunikation \
                 mit der Ladesäule ist durch Kryptografie geschützt, damit niemand den Ladevorgang \
                 manipulieren kann.",
            ),
            article(
                "daten-a",
                "Neue Richtlinie",
                "Die neue Richtlinie soll persönliche Daten schützen und zugleich Forschung mit \
                 Gesundheitsdaten erleichtern.",
            ),
            article(
                "daten-b",
                "Geschäftsgeheimnisse",
                "Viele Firmen schützen ihre Geschäftsgeheimnisse sorgfältig, geben aber Daten \
                 ihrer Kundschaft an Partner weiter.",
            ),
        ],
    );
}

/// Articles on different dates and from different sources, all mentioning
/// "Rechenzentrum".
fn dated_corpus(env: &TestEnv) {
    let body = |extra: &str| {
        format!(
            "Das neue Rechenzentrum des Betreibers geht {extra} in Betrieb und soll vor allem Sprachmodelle trainieren."
        )
    };
    env.ingest_records(
        "datiert.jsonl",
        &[
            full_article(
                "jan31",
                "Januar",
                &body("Ende Januar"),
                "2024-01-31",
                "KI-Kurier",
            ),
            full_article(
                "feb01",
                "Februar",
                &body("Anfang Februar"),
                "2024-02-01",
                "Tagblatt",
            ),
            full_article(
                "feb29",
                "Schalttag",
                &body("am Schalttag"),
                "2024-02-29T18:00:00Z",
                "ki-kurier",
            ),
            full_article(
                "mar01",
                "März",
                &body("im März"),
                "2024-03-01",
                "Der Tagesspiegel",
            ),
            json!({"id": "undatiert", "title": "Ohne Datum", "body": body("irgendwann")}),
        ],
    );
}

/// One article with four passages about "Rechenzentrum" and one short one.
fn long_article_corpus(env: &TestEnv) {
    let body = [
        paragraph("Rechenzentrum", 300),
        paragraph("Rechenzentrum", 320),
        paragraph("Rechenzentrum", 340),
        paragraph("Rechenzentrum", 360),
    ]
    .join("\n\n");
    env.ingest_records(
        "lang.jsonl",
        &[
            article("lang", "Ein langer Bericht über Rechenzentren", &body),
            article(
                "kurz",
                "Kurzmeldung",
                "Das Rechenzentrum in Frankfurt bekommt eine zweite Stromleitung.",
            ),
        ],
    );
}

/// One small article mentioning "Rechenleistung" after non-ASCII text.
fn unicode_corpus(env: &TestEnv) {
    env.ingest_records(
        "unicode.jsonl",
        &[full_article(
            "uni",
            "Größere Modelle brauchen mehr Rechenleistung",
            "Größere Modelle 🚀 brauchen mehr Rechenleistung – „Rechenleistung“ ist knapp, \
             sagt Ça-Va-Café-Gründerin Zoë Müller. Für 𝔐𝔞𝔱𝔥𝔢 gilt: Rechenleistung kostet.",
            "2025-01-15",
            "KI-Kurier",
        )],
    );
}

// ---------------------------------------------------------------------------
// Output formats
// ---------------------------------------------------------------------------

#[test]
fn json_output_is_one_array_with_the_documented_keys() {
    let env = TestEnv::new();
    dated_corpus(&env);
    let run = env.query(&["--json", "Rechenzentrum"]).code(0);
    let value = run.json();
    let array = value
        .as_array()
        .unwrap_or_else(|| panic!("not an array\n{run}"));
    assert_eq!(array.len(), 5, "{run}");
    for hit in array {
        let mut keys: Vec<&str> = hit
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort();
        let mut want = util::HIT_KEYS.to_vec();
        want.sort();
        assert_eq!(keys, want, "{run}");
    }
    let hits = run.hits();
    let ranks: Vec<usize> = hits.iter().map(|h| h.rank).collect();
    assert_eq!(ranks, [1, 2, 3, 4, 5]);
    for h in &hits {
        assert_eq!(h.passage_id, format!("{}#{}", h.article_id, h.passage));
        assert!(h.score.is_finite());
    }
    let undated = hits.iter().find(|h| h.article_id == "undatiert").unwrap();
    assert_eq!(undated.date, None);
    assert_eq!(undated.source, None);
    assert_eq!(undated.url, None);
}

#[test]
fn jsonl_output_is_one_object_per_line_matching_json() {
    let env = TestEnv::new();
    dated_corpus(&env);
    let lines = env.query(&["--jsonl", "Rechenzentrum"]).code(0);
    for line in lines.stdout().lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        assert!(v.is_object(), "{lines}");
    }
    let from_lines = lines.hit_lines();
    let from_array = env.query(&["--json", "Rechenzentrum"]).code(0).hits();
    assert_eq!(from_lines.len(), 5);
    let strip = |hits: &[util::Hit]| -> Vec<(usize, String, String)> {
        hits.iter()
            .map(|h| (h.rank, h.passage_id.clone(), h.text.clone()))
            .collect()
    };
    assert_eq!(strip(&from_lines), strip(&from_array));
}

#[test]
fn json_output_with_no_hits_is_an_empty_array_and_exit_1() {
    let env = TestEnv::new();
    dated_corpus(&env);
    let run = env.query(&["--json", "Quokka"]).code(1);
    assert_eq!(run.json(), json!([]), "{run}");
    env.query(&["--jsonl", "Quokka"]).code(1).stdout_empty();
    env.query(&["Quokka"]).code(1).stdout_empty();
}

#[test]
fn json_and_jsonl_conflict() {
    let env = TestEnv::new();
    dated_corpus(&env);
    env.query(&["--json", "--jsonl", "Rechenzentrum"]).code(2);
}

#[test]
fn highlights_are_character_offsets() {
    let env = TestEnv::new();
    unicode_corpus(&env);
    let hits = env.hits(&["Rechenleistung"]);
    assert_eq!(hits.len(), 1);
    let h = &hits[0];
    let words = h.highlighted();
    assert_eq!(
        words,
        ["Rechenleistung", "Rechenleistung", "Rechenleistung"],
        "highlights {:?} in {:?}",
        h.highlights,
        h.text
    );
    // Sorted and non-overlapping.
    for pair in h.highlights.windows(2) {
        assert!(pair[0][1] <= pair[1][0], "{:?}", h.highlights);
    }
}

#[test]
fn highlights_of_umlaut_words_are_character_offsets() {
    let env = TestEnv::new();
    unicode_corpus(&env);
    let hits = env.hits(&["Müller"]);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].highlighted(), ["Müller"], "{:?}", hits[0]);
    let hits = env.hits(&["größere"]);
    assert_eq!(hits[0].highlighted(), ["Größere"], "{:?}", hits[0]);
}

#[test]
fn human_output_marks_matches_without_a_terminal() {
    let env = TestEnv::new();
    unicode_corpus(&env);
    let run = env
        .query(&["Rechenleistung"])
        .code(0)
        .stdout_has("**Rechenleistung**")
        .stdout_has("uni#0")
        .stdout_has("2025-01-15")
        .stdout_has("KI-Kurier")
        .stdout_lacks("\u{1b}[");
    let first = run.stdout().lines().next().unwrap_or_default().to_string();
    assert!(first.starts_with("1. "), "{run}");
    assert!(first.contains("Rechenleistung"), "{run}");
}

#[test]
fn color_always_uses_ansi_escapes_and_no_markers() {
    let env = TestEnv::new();
    unicode_corpus(&env);
    env.query(&["--color", "always", "Rechenleistung"])
        .code(0)
        .stdout_has("\u{1b}[")
        .stdout_has("Rechenleistung")
        .stdout_lacks("**");
}

#[test]
fn color_never_and_no_color_give_plain_markers() {
    let env = TestEnv::new();
    unicode_corpus(&env);
    env.query(&["--color", "never", "Rechenleistung"])
        .code(0)
        .stdout_has("**Rechenleistung**")
        .stdout_lacks("\u{1b}[");
    let mut cmd = env.command();
    cmd.env("NO_COLOR", "1").args([
        "query",
        "--index",
        env.index().to_str().unwrap(),
        "--color",
        "auto",
        "Rechenleistung",
    ]);
    util::Run::capture(cmd, None)
        .code(0)
        .stdout_has("**Rechenleistung**")
        .stdout_lacks("\u{1b}[");
}

#[test]
fn color_option_is_validated() {
    let env = TestEnv::new();
    unicode_corpus(&env);
    env.query(&["--color", "manchmal", "Rechenleistung"])
        .code(2)
        .stdout_empty();
}

/// Runs `lupe ARGS` under a pseudo-terminal with `script(1)` (util-linux),
/// so that `--color auto` sees a terminal. `None` when `script` is missing.
#[cfg(target_os = "linux")]
fn run_in_pty(env: &TestEnv, no_color: bool, args: &[&str]) -> Option<String> {
    let mut line = String::from(util::LUPE);
    for a in args {
        line.push_str(&format!(" '{a}'"));
    }
    let mut cmd = std::process::Command::new("script");
    cmd.args(["-q", "-e", "-c", &line, "/dev/null"])
        .current_dir(env.root())
        .env_remove("LUPE_INDEX")
        .env_remove("NO_COLOR")
        .env("TERM", "xterm-256color")
        .stdin(Stdio::null());
    if no_color {
        cmd.env("NO_COLOR", "1");
    }
    let out = cmd.output().ok()?;
    if !out.status.success() {
        return None;
    }
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[cfg(target_os = "linux")]
#[test]
fn color_auto_on_a_terminal_respects_no_color() {
    let env = TestEnv::new();
    unicode_corpus(&env);
    let index = env.index().to_str().unwrap().to_string();
    let args = ["query", "--index", &index, "Rechenleistung"];
    let coloured =
        run_in_pty(&env, false, &args).expect("this test needs script(1) from util-linux");
    assert!(
        coloured.contains("\u{1b}[") && !coloured.contains("**"),
        "a terminal gets colour: {coloured:?}"
    );
    let plain = run_in_pty(&env, true, &args).expect("script worked a moment ago");
    assert!(
        !plain.contains("\u{1b}[") && plain.contains("**Rechenleistung**"),
        "NO_COLOR turns colour off: {plain:?}"
    );
}

#[test]
fn default_output_shows_a_fragment_and_full_shows_the_whole_passage() {
    let env = TestEnv::new();
    let opening = "Am Anfang dieses Absatzes steht ein Satz über Windparks an der Nordsee.";
    let filler = paragraph("Stromnetz", 700);
    let text = format!("{opening} {filler} Am Ende steht das Wort Seekabel.");
    assert!(text.chars().count() < 1000, "must stay one passage");
    env.ingest_records("lang.jsonl", &[article("wind", "Windkraft", &text)]);
    let short = env.query(&["Seekabel"]).code(0).stdout_has("**Seekabel**");
    assert!(
        !short.stdout().contains("Windparks"),
        "a fragment around the match, not the whole passage\n{short}"
    );
    assert!(short.stdout().contains('…'), "{short}");
    env.query(&["--full", "Seekabel"])
        .code(0)
        .stdout_has("Windparks")
        .stdout_has("**Seekabel**");
}

#[test]
fn query_into_a_closed_pipe_exits_0_quietly() {
    let env = TestEnv::new();
    unicode_corpus(&env);
    for format in ["--color=never", "--json", "--jsonl"] {
        let mut cmd = env.command();
        cmd.args([
            "query",
            "--index",
            env.index().to_str().unwrap(),
            format,
            "Rechenleistung",
        ]);
        util::run_with_closed_stdout(cmd).code(0).stderr_empty();
    }
}

#[test]
fn closed_stdout_is_not_an_error() {
    // `lupe query … | head -1`: far more output than a pipe buffer holds, and
    // the reader goes away after one line.
    let env = TestEnv::new();
    let records: Vec<Value> = (0..120)
        .map(|i| {
            let body = format!(
                "{}\n\n{}",
                paragraph("Rechenzentrum", 900),
                paragraph("Rechenzentrum", 900)
            );
            article(&format!("a{i:03}"), &format!("Bericht Nummer {i}"), &body)
        })
        .collect();
    env.ingest_records("viel.jsonl", &records);
    let mut cmd = env.command();
    cmd.args([
        "query",
        "--index",
        env.index().to_str().unwrap(),
        "--full",
        "-n",
        "240",
        "Rechenzentrum",
    ])
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let line = util::describe(&cmd);
    let mut child = cmd.spawn().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    drop(stdout);
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    assert!(
        first.trim_start().starts_with("1. "),
        "{line}: first line {first:?}"
    );
    assert_eq!(status.code(), Some(0), "{line}: {status}\nstderr: {stderr}");
    assert!(stderr.is_empty(), "{line}: stderr: {stderr}");
}

#[cfg(unix)]
#[test]
fn closed_stdout_in_a_shell_pipeline() {
    let env = TestEnv::new();
    let records: Vec<Value> = (0..80)
        .map(|i| {
            article(
                &format!("a{i:03}"),
                "Bericht",
                &format!(
                    "{}\n\n{}",
                    paragraph("Rechenzentrum", 900),
                    paragraph("Rechenzentrum", 900)
                ),
            )
        })
        .collect();
    env.ingest_records("viel.jsonl", &records);
    let script = format!(
        "'{}' query --index '{}' --json -n 160 Rechenzentrum | head -1; exit ${{PIPESTATUS[0]}}",
        util::LUPE,
        env.index().display()
    );
    let out = std::process::Command::new("bash")
        .args(["-c", &script])
        .current_dir(env.root())
        .env_remove("LUPE_INDEX")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{script}\nstderr: {stderr}");
    assert!(stderr.is_empty(), "{script}\nstderr: {stderr}");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "[\n");
}

// ---------------------------------------------------------------------------
// Exit codes and errors
// ---------------------------------------------------------------------------

#[test]
fn exit_0_with_hits_and_1_without() {
    let env = TestEnv::new();
    operator_corpus(&env);
    env.query(&["Quantencomputer"]).code(0).stderr_empty();
    env.query(&["Einhornzucht"])
        .code(1)
        .stdout_empty()
        .stderr_lacks("error");
}

#[test]
fn missing_index_names_the_path_and_how_to_create_it() {
    let env = TestEnv::new();
    let index = env.index().display().to_string();
    env.query(&["Rechenzentrum"])
        .code(2)
        .stdout_empty()
        .stderr_has(&index)
        .stderr_has("lupe ingest");
    assert!(!env.index().exists(), "a query must not create the index");
}

#[test]
fn empty_index_folder_names_the_path_and_how_to_create_it() {
    let env = TestEnv::new();
    std::fs::create_dir_all(env.index()).unwrap();
    let index = env.index().display().to_string();
    env.query(&["Rechenzentrum"])
        .code(2)
        .stdout_empty()
        .stderr_has(&index)
        .stderr_has("lupe ingest");
}

#[test]
fn index_from_env_variable() {
    let env = TestEnv::new();
    operator_corpus(&env);
    let mut cmd = env.command();
    cmd.env("LUPE_INDEX", env.index())
        .args(["query", "Quantencomputer"]);
    util::Run::capture(cmd, None).code(0);
}

#[test]
fn pasted_text_is_never_refused() {
    let env = TestEnv::new();
    operator_corpus(&env);
    for q in [
        "Florida: Notlandung auf dreispuriger Straße",
        "Quantencomputer: Banken stellen um",
        "Cox' Mörder",
        "nicht nötig - Quantencomputer landet",
        "um 4:51 Uhr",
        "https://example.com/quanten?x=1&y=2",
        "KI (künstliche Intelligenz",
        "Was kostet \"GPT-4",
        "\"unclosed",
        "Quantencomputer)",
        "foo:bar",
        "title:",
        "date:gestern Quantencomputer",
        "AND Quantencomputer OR",
        "Quantencomputer^x ~2 [ ] { } ! ? \\",
    ] {
        let run = env.query(&["--", q]);
        assert!(matches!(run.exit_code(), 0 | 1), "{q}\n{run}");
        assert!(!run.stderr().contains("error"), "{q}\n{run}");
    }
    // A headline's colon is punctuation: the words are found, and a note
    // says what was read as words.
    let run = env.query(&["Quantencomputer: Banken stellen um"]).code(0);
    assert!(
        run.stderr().contains("read as words: Quantencomputer:"),
        "{run}"
    );
    let run = env.query(&["\"Daten schützen"]).code(0);
    assert!(run.stderr().contains("unclosed quotation mark"), "{run}");
    let run = env.query(&["Quantencomputer date:gestern"]);
    assert!(
        run.stderr()
            .contains("date:gestern (\"gestern\" is not a date"),
        "{run}"
    );
}

#[test]
fn text_without_words_exits_1_and_says_why() {
    let env = TestEnv::new();
    operator_corpus(&env);
    for q in ["", "   ", "AND", "*", "-", "-Quantencomputer", "( )"] {
        let run = env.query(&["--", q]).code(1).stdout_empty();
        assert!(run.stderr().contains("nothing found"), "{q}\n{run}");
    }
}

#[test]
fn literal_reads_all_syntax_as_words() {
    let env = TestEnv::new();
    operator_corpus(&env);
    env.query(&["--", "-Quantencomputer"]).code(1);
    assert_eq!(
        sorted_ids(&env.hits(&["--literal", "--", "-Quantencomputer"])),
        ["quanten-akku", "quanten-krypto"]
    );
    // "AND" is a word here, one no article has: the passages with
    // "Batterien" still answer, and nothing is reported as read literally.
    let run = env.query(&["--literal", "Batterien AND"]).code(0);
    assert!(!run.stderr().contains("note"), "{run}");
}

#[test]
fn deeply_nested_parentheses_are_read_as_text() {
    let env = TestEnv::new();
    operator_corpus(&env);
    let deep = format!(
        "{}Quantencomputer{}",
        "(".repeat(10_000),
        ")".repeat(10_000)
    );
    let run = env.query(&["--json", &deep]).code(0);
    assert!(run.stderr().contains("nested deeper"), "{run}");
    let unbalanced = "(".repeat(10_000) + "Quantencomputer";
    env.query(&["--json", &unbalanced]).code(0);
}

#[test]
fn only_stop_words_exits_1_with_a_note() {
    let env = TestEnv::new();
    operator_corpus(&env);
    let run = env.query(&["dass"]).code(1).stdout_empty();
    assert!(!run.stderr().trim().is_empty(), "a note is expected\n{run}");
    let run = env.query(&["dass der und"]).code(1).stdout_empty();
    assert!(!run.stderr().trim().is_empty(), "a note is expected\n{run}");
}

#[test]
fn usage_errors_exit_2() {
    let env = TestEnv::new();
    operator_corpus(&env);
    let index = env.index().to_str().unwrap();
    for args in [
        vec![],
        vec!["query", "--index", index],
        vec!["query", "--index", index, "-n", "viele", "Quantencomputer"],
        vec!["query", "--index", index, "-n", "0", "Quantencomputer"],
        vec![
            "query",
            "--index",
            index,
            "--per-article",
            "-1",
            "Quantencomputer",
        ],
        vec![
            "query",
            "--index",
            index,
            "--since",
            "gestern",
            "Quantencomputer",
        ],
        vec![
            "query",
            "--index",
            index,
            "--until",
            "2024-13-01",
            "Quantencomputer",
        ],
        vec!["query", "--index", index, "--frobnicate", "Quantencomputer"],
        vec!["frobnicate"],
    ] {
        env.run(&args).code(2).stdout_empty();
    }
}

#[test]
fn help_and_version_exit_0() {
    let env = TestEnv::new();
    env.run(["--help"]).code(0).stdout_has("query");
    env.run(["query", "--help"])
        .code(0)
        .stdout_has("--per-article");
    env.run(["ingest", "--help"]).code(0).stdout_has("--json");
    env.run(["--version"]).code(0).stdout_has("lupe");
}

// ---------------------------------------------------------------------------
// Passages and limits
// ---------------------------------------------------------------------------

#[test]
fn at_most_two_passages_per_article_by_default() {
    let env = TestEnv::new();
    long_article_corpus(&env);
    let hits = env.hits(&["Rechenzentrum"]);
    let from_long = hits.iter().filter(|h| h.article_id == "lang").count();
    assert_eq!(from_long, 2, "{hits:#?}");
    assert!(hits.iter().any(|h| h.article_id == "kurz"));
    assert_eq!(hits.len(), 3);
}

#[test]
fn per_article_limit_can_be_changed_or_lifted() {
    let env = TestEnv::new();
    long_article_corpus(&env);
    let one = env.hits(&["--per-article", "1", "Rechenzentrum"]);
    assert_eq!(one.iter().filter(|h| h.article_id == "lang").count(), 1);
    let all = env.hits(&["--per-article", "0", "Rechenzentrum"]);
    let mut ids: Vec<&str> = all
        .iter()
        .filter(|h| h.article_id == "lang")
        .map(|h| h.passage_id.as_str())
        .collect();
    ids.sort();
    assert_eq!(ids, ["lang#0", "lang#1", "lang#2", "lang#3"]);
    let three = env.hits(&["--per-article", "3", "Rechenzentrum"]);
    assert_eq!(three.iter().filter(|h| h.article_id == "lang").count(), 3);
}

#[test]
fn limit_caps_the_number_of_hits() {
    let env = TestEnv::new();
    long_article_corpus(&env);
    let run = env
        .query(&["--json", "-n", "2", "--per-article", "0", "Rechenzentrum"])
        .code(0);
    let hits = run.hits();
    assert_eq!(hits.len(), 2, "{run}");
    assert_eq!(hits.iter().map(|h| h.rank).collect::<Vec<_>>(), [1, 2]);
    let one = env
        .query(&["--json", "--limit", "1", "Rechenzentrum"])
        .code(0);
    assert_eq!(one.hits().len(), 1);
}

#[test]
fn short_paragraphs_merge_with_the_next() {
    let env = TestEnv::new();
    let body = format!(
        "Kurz notiert: Ein Quokka im Serverraum.\n\n{}\n\n{}",
        paragraph("Glasfaser", 300),
        paragraph("Pinguin", 300)
    );
    env.ingest_records("kurz.jsonl", &[article("merge", "Meldungen", &body)]);
    let quokka = env.hits(&["Quokka"]);
    assert_eq!(quokka.len(), 1);
    assert_eq!(quokka[0].passage_id, "merge#0");
    assert!(quokka[0].text.contains("Glasfaser"), "{:?}", quokka[0].text);
    assert_eq!(env.hits(&["Glasfaser"])[0].passage_id, "merge#0");
    let pinguin = env.hits(&["Pinguin"]);
    assert_eq!(pinguin[0].passage_id, "merge#1");
    assert!(!pinguin[0].text.contains("Quokka"));
    assert_eq!(
        env.hits(&["--per-article", "0", "Thema"]).len(),
        2,
        "exactly two passages"
    );
}

#[test]
fn a_short_last_paragraph_does_not_stand_alone() {
    let env = TestEnv::new();
    let body = format!(
        "{}\n\n{}\n\nDer Autor ist Redakteur beim Tagblatt.",
        paragraph("Glasfaser", 300),
        paragraph("Pinguin", 300)
    );
    env.ingest_records("kurz.jsonl", &[article("tail", "Meldungen", &body)]);
    let all = env.hits(&["--per-article", "0", "Thema OR Redakteur"]);
    assert_eq!(all.len(), 2, "{all:#?}");
    let tail = env.hits(&["Redakteur"]);
    assert_eq!(tail.len(), 1);
    assert!(tail[0].text.contains("Pinguin"), "{:?}", tail[0].text);
}

#[test]
fn long_paragraphs_split_at_sentence_ends_not_at_abbreviations() {
    // Paragraphs far longer than a passage, built only from sentences with
    // abbreviations and ordinals: every cut must fall after "…Rechenzentrum."
    // at the end of a whole sentence.
    let sentences = [
        "Das gilt z. B. für das neue Rechenzentrum.",
        "Laut Dr. Weber und Prof. Schulz wächst das Rechenzentrum.",
        "Betroffen sind u. a. Kunden im Rechenzentrum.",
        "Am 3. März eröffnete das Rechenzentrum.",
        "Seit dem 20. Jahrhundert gibt es ca. 300 Server, bzw. ein Rechenzentrum.",
        "Der Betreiber, d. h. die Stadtwerke GmbH, baut das Rechenzentrum.",
    ];
    let mut paragraph = String::new();
    let mut i = 0;
    while paragraph.chars().count() < 3500 {
        if !paragraph.is_empty() {
            paragraph.push(' ');
        }
        paragraph.push_str(sentences[i % sentences.len()]);
        i += 1;
    }
    assert_split_at_sentence_ends(&paragraph, &sentences);
}

fn assert_split_at_sentence_ends(paragraph: &str, sentences: &[&str]) {
    let env = TestEnv::new();
    env.ingest_records("lang.jsonl", &[article("saetze", "Sätze", paragraph)]);
    let mut hits = env.hits(&["--per-article", "0", "Rechenzentrum"]);
    hits.sort_by_key(|h| h.passage);
    assert!(hits.len() >= 3, "a long paragraph is split: {hits:#?}");
    for (i, h) in hits.iter().enumerate() {
        assert_eq!(h.passage as usize, i, "ordinals from 0 without gaps");
        assert_eq!(h.passage_id, format!("saetze#{i}"));
        assert!(
            h.text.chars().count() <= 1100,
            "passage {} has {} characters",
            h.passage_id,
            h.text.chars().count()
        );
        assert!(
            h.text.ends_with("Rechenzentrum."),
            "passage {} ends inside a sentence: …{:?}",
            h.passage_id,
            tail(&h.text, 60)
        );
        assert!(
            sentences.iter().any(|s| h.text.starts_with(s)),
            "passage {} starts inside a sentence: {:?}…",
            h.passage_id,
            h.text.chars().take(60).collect::<String>()
        );
    }
    // Nothing is lost: the passages put together are the paragraph.
    let joined: Vec<&str> = hits.iter().map(|h| h.text.as_str()).collect();
    assert_eq!(joined.join(" "), paragraph);
}

fn tail(s: &str, n: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    chars[chars.len().saturating_sub(n)..].iter().collect()
}

#[test]
fn passage_ids_count_from_zero_in_article_order() {
    let env = TestEnv::new();
    let body = ["Amsel", "Buchfink", "Cistensänger", "Dohle", "Elster"]
        .iter()
        .map(|w| paragraph(w, 260))
        .collect::<Vec<_>>()
        .join("\n\n");
    env.ingest_records("voegel.jsonl", &[article("voegel", "Vögel", &body)]);
    for (i, w) in ["Amsel", "Buchfink", "Cistensänger", "Dohle", "Elster"]
        .iter()
        .enumerate()
    {
        let hits = env.hits(&[w]);
        assert_eq!(hits.len(), 1, "{w}: {hits:#?}");
        assert_eq!(hits[0].passage_id, format!("voegel#{i}"), "{w}");
        assert_eq!(hits[0].passage as usize, i);
    }
}

// ---------------------------------------------------------------------------
// Operators and filters
// ---------------------------------------------------------------------------

#[test]
fn phrase_requires_adjacent_words_in_order() {
    let env = TestEnv::new();
    operator_corpus(&env);
    assert_eq!(env.found(&["\"Daten schützen\""]), ["daten-a"]);
    assert_eq!(env.found(&["Daten schützen"]).len(), 2);
    env.query(&["\"schützen Daten\""]).code(1);
}

#[test]
fn german_quotation_marks_make_a_phrase() {
    let env = TestEnv::new();
    operator_corpus(&env);
    assert_eq!(env.found(&["„Daten schützen“"]), ["daten-a"]);
}

#[test]
fn must_operator() {
    let env = TestEnv::new();
    operator_corpus(&env);
    let hits = env.hits(&["+Quantencomputer Kryptografie"]);
    assert_eq!(sorted_ids(&hits), ["quanten-akku", "quanten-krypto"]);
    assert_eq!(
        hits[0].article_id, "quanten-krypto",
        "both words rank first"
    );
}

#[test]
fn must_not_operator() {
    let env = TestEnv::new();
    operator_corpus(&env);
    assert_eq!(
        env.found(&["Quantencomputer -Batterien"]),
        ["quanten-krypto"]
    );
    assert_eq!(
        env.found(&["Kryptografie -Quantencomputer"]),
        ["krypto-akku"]
    );
}

#[test]
fn and_operator() {
    let env = TestEnv::new();
    operator_corpus(&env);
    assert_eq!(
        env.found(&["Quantencomputer AND Batterien"]),
        ["quanten-akku"]
    );
    env.query(&["Quantencomputer AND Ladesäule"]).code(1);
}

#[test]
fn or_operator() {
    let env = TestEnv::new();
    operator_corpus(&env);
    let hits = env.hits(&["Quantencomputer OR Kryptografie"]);
    assert_eq!(
        sorted_ids(&hits),
        ["krypto-akku", "quanten-akku", "quanten-krypto"]
    );
}

#[test]
fn title_field() {
    let env = TestEnv::new();
    operator_corpus(&env);
    // "Batterien" is in the title of one article and the text of another
    // (without synonyms: lupe's thesaurus makes "Akku", in the other's
    // title, a synonym).
    assert_eq!(
        env.found(&["title:Batterien", "--no-synonyms"]),
        ["krypto-akku"]
    );
    assert_eq!(
        env.found(&["title:Batterien"]),
        ["krypto-akku", "quanten-akku"]
    );
    assert_eq!(
        sorted_ids(&env.hits(&["Batterien"])),
        ["krypto-akku", "quanten-akku"]
    );
}

#[test]
fn several_arguments_are_one_query() {
    let env = TestEnv::new();
    operator_corpus(&env);
    let joined = env.hits(&["Quantencomputer -Batterien"]);
    assert_eq!(article_ids(&joined), ["quanten-krypto"]);
    assert_eq!(
        env.hits(&["Quantencomputer", "+Kryptografie"]),
        env.hits(&["Quantencomputer +Kryptografie"])
    );
    // A word starting with "-" is taken for an option unless after "--".
    assert_eq!(env.hits(&["Quantencomputer", "--", "-Batterien"]), joined);
}

#[test]
fn source_filter_is_case_insensitive() {
    let env = TestEnv::new();
    dated_corpus(&env);
    let want = ["feb29", "jan31"];
    assert_eq!(
        sorted_ids(&env.hits(&["--source", "KI-Kurier", "Rechenzentrum"])),
        want
    );
    assert_eq!(
        sorted_ids(&env.hits(&["--source", "ki-kurier", "Rechenzentrum"])),
        want
    );
    assert_eq!(
        sorted_ids(&env.hits(&["--source", "KI-KURIER", "Rechenzentrum"])),
        want
    );
    assert_eq!(
        env.found(&["--source", "der tagesspiegel", "Rechenzentrum"]),
        ["mar01"]
    );
    env.query(&["--source", "Nirgendwo", "Rechenzentrum"])
        .code(1);
}

#[test]
fn since_and_until_are_inclusive() {
    let env = TestEnv::new();
    dated_corpus(&env);
    assert_eq!(
        sorted_ids(&env.hits(&[
            "--since",
            "2024-02-01",
            "--until",
            "2024-02-29",
            "Rechenzentrum"
        ])),
        ["feb01", "feb29"]
    );
    assert_eq!(
        sorted_ids(&env.hits(&["--since", "2024-02-01", "Rechenzentrum"])),
        ["feb01", "feb29", "mar01"]
    );
    assert_eq!(
        sorted_ids(&env.hits(&["--until", "2024-02-01", "Rechenzentrum"])),
        ["feb01", "jan31"]
    );
    // A date-time late on the last day counts.
    assert_eq!(
        env.found(&[
            "--since",
            "2024-02-29",
            "--until",
            "2024-02-29",
            "Rechenzentrum"
        ]),
        ["feb29"]
    );
    env.query(&["--since", "2024-03-02", "Rechenzentrum"])
        .code(1);
}

#[test]
fn since_accepts_a_date_time() {
    let env = TestEnv::new();
    dated_corpus(&env);
    assert_eq!(
        sorted_ids(&env.hits(&["--since", "2024-02-29T12:00:00Z", "Rechenzentrum"])),
        ["feb29", "mar01"]
    );
}

#[test]
fn filters_combine() {
    let env = TestEnv::new();
    dated_corpus(&env);
    assert_eq!(
        env.found(&[
            "--source",
            "ki-kurier",
            "--since",
            "2024-02-01",
            "Rechenzentrum"
        ]),
        ["feb29"]
    );
}

#[test]
fn prefix_query() {
    let env = TestEnv::new();
    operator_corpus(&env);
    assert_eq!(
        sorted_ids(&env.hits(&["Quanten*"])),
        ["quanten-akku", "quanten-krypto"]
    );
}

// ---------------------------------------------------------------------------
// Ranking
// ---------------------------------------------------------------------------

#[test]
fn passages_with_all_words_rank_first() {
    let env = TestEnv::new();
    env.ingest_records(
        "ranking.jsonl",
        &[
            article(
                "nur-rz",
                "Rechenzentrum, Rechenzentrum",
                "Das Rechenzentrum, das Rechenzentrum und noch einmal das Rechenzentrum: Im \
                 Rechenzentrum dreht sich alles um das Rechenzentrum.",
            ),
            article(
                "beides",
                "Neue Technik",
                "Der Betreiber stellt im Rechenzentrum auf eine neue Kühlung mit Flusswasser um \
                 und spart damit viel Strom, wie er am Montag mitteilte. Die Umstellung dauert \
                 mehrere Monate und kostet einen zweistelligen Millionenbetrag.",
            ),
            article(
                "nur-k",
                "Kühlung, Kühlung",
                "Kühlung hier, Kühlung dort: Ohne Kühlung geht nichts, und die Kühlung wird teurer.",
            ),
        ],
    );
    let hits = env.hits(&["Rechenzentrum Kühlung"]);
    assert_eq!(hits[0].article_id, "beides", "{hits:#?}");
    assert_eq!(
        sorted_ids(&hits),
        ["beides", "nur-k", "nur-rz"],
        "partial matches follow"
    );
}

#[test]
fn natural_language_question_returns_partial_matches() {
    let env = TestEnv::new();
    env.ingest_records(
        "sport.jsonl",
        &[
            full_article(
                "panthers",
                "Panthers gewinnen knapp",
                "Die Verteidigung der Panthers ließ im dritten Spiel der Saison nur 17 Punkte zu. \
                 Trainer Weber lobte vor allem die Abwehrreihe, die den gegnerischen Angriff immer \
                 wieder stoppte.",
                "2024-02-12",
                "Sportdienst",
            ),
            full_article(
                "handball",
                "Handball: Auswärtssieg",
                "Die Handballerinnen aus Leipzig siegten mit 31 zu 27 und bleiben Tabellenführer.",
                "2024-02-11",
                "Sportdienst",
            ),
            full_article(
                "chips",
                "Exportregeln für Chips",
                "Die Exportregeln für Grafikprozessoren werden erneut verschärft.",
                "2024-02-10",
                "Wirtschaftsecho",
            ),
        ],
    );
    let question = "Wie viele Punkte gab die Verteidigung der Panthers ab?";
    let hits = env.hits(&[question]);
    assert_eq!(hits[0].article_id, "panthers", "{hits:#?}");
    assert!(!article_ids(&hits).contains(&"chips".to_string()));
}

#[test]
fn a_hyphenated_word_counts_as_one_word_of_a_pasted_headline() {
    // A phrase scores the sum of its words' IDFs, so "Saudi-Arabien" had
    // counted as two words and the passages that only repeat it outranked
    // the one with the headline's other three words.
    let env = TestEnv::new();
    env.ingest_records(
        "headline.jsonl",
        &[
            article(
                "saudi-steuer",
                "Saudi-Arabien führt eine Steuer ein",
                "Saudi-Arabien führt zum Jahresbeginn eine Mehrwertsteuer ein. Die Regierung in \
                 Saudi-Arabien erhofft sich Einnahmen jenseits des Öls.",
            ),
            article(
                "saudi-koenig",
                "König von Saudi-Arabien begnadigt junge Frau",
                "Der König von Saudi-Arabien hat eine junge Frau begnadigt, deren Fall weltweit \
                 Empörung ausgelöst hatte.",
            ),
            article(
                "pilz-ausfuhr",
                "Abgeordneter prangert Ausfuhrbewilligung an",
                "Der Abgeordnete Pilz kritisiert die Waffenexporte in den Nahen Osten und \
                 verlangt Auskunft vom Ministerium.",
            ),
            article(
                "kritik-bahn",
                "Fahrgastverband kritisiert Bahn",
                "Der Fahrgastverband kritisiert die vielen Verspätungen im Fernverkehr und \
                 fordert Entschädigungen.",
            ),
            article(
                "kritik-schule",
                "Eltern kritisieren Schulreform",
                "Eltern kritisieren die geplante Schulreform, weil Lehrkräfte fehlen und Klassen \
                 größer werden.",
            ),
        ],
    );
    let hits = env.hits(&["Pilz kritisiert Waffenexporte nach Saudi-Arabien"]);
    assert_eq!(hits[0].article_id, "pilz-ausfuhr", "{hits:#?}");
    // The hyphenated word still finds its passages.
    let ids = article_ids(&hits);
    assert!(ids.contains(&"saudi-steuer".to_string()), "{ids:?}");
}

#[test]
fn the_passage_that_answers_outranks_passages_sharing_the_title_word() {
    // Every passage of the article "Zürichsee" has the lake in its title;
    // the question's other word, "Hügel", is only in the passage that
    // answers it. The title counts with the passage's text, saturating,
    // so it no longer lifts the passage that only repeats the lake's name.
    let env = TestEnv::new();
    let lake = "Der Zürichsee ist ein See in der Schweiz, der sich vom Stadtzentrum Zürichs bis \
        weit in das Land hinein erstreckt. Am Zürichsee liegen zahlreiche Gemeinden, und der \
        Zürichsee ist eines der beliebtesten Ausflugsziele der Region. Im Sommer baden viele \
        Menschen im Zürichsee, und auf dem Zürichsee fahren Kursschiffe zwischen den Orten hin \
        und her. Das Wasser des Zürichsees dient außerdem als Trinkwasser für die Stadt.";
    let hills = "Über den Gemeinden am rechten und am linken Ufer erheben sich die Hügel des \
        Pfannenstiels und des Zimmerbergs. Diese Hügel sind mit Wäldern, Wiesen und Obstgärten \
        bedeckt und laden zu langen Wanderungen ein. Von ihren Aussichtspunkten reicht der \
        Blick bei klarem Wetter bis zu den Glarner Alpen. Auf den Hügeln liegen zudem viele \
        kleine Weiler und Bauernhöfe, die seit Jahrhunderten bewirtschaftet werden.";
    let ships = "Die Schifffahrt begann im neunzehnten Jahrhundert mit dem ersten Dampfschiff, \
        das zwischen Zürich und Rapperswil verkehrte. Heute betreibt eine Gesellschaft eine ganze \
        Flotte von Motorschiffen und einigen historischen Raddampfern. Im Winter fahren nur \
        wenige Kurse, im Sommer dagegen verkehren die Schiffe fast jede Stunde. Besonders beliebt \
        sind Rundfahrten am Abend, bei denen an Bord gegessen wird.";
    env.ingest_records(
        "seen.jsonl",
        &[
            article(
                "zuerichsee",
                "Zürichsee",
                &format!("{lake}\n\n{hills}\n\n{ships}"),
            ),
            article(
                "bodensee",
                "Bodensee",
                "Der Bodensee liegt zwischen Deutschland, Österreich und der Schweiz. Am \
                 Bodensee wird Wein angebaut.",
            ),
        ],
    );
    let hits = env.hits(&[
        "--per-article",
        "0",
        "Wie heißen die Hügel über dem Zürichsee?",
    ]);
    assert_eq!(hits.len(), 3, "{hits:#?}");
    assert!(hits[0].text.contains("Hügel"), "{hits:#?}");
}

#[test]
fn text_field_leaves_out_words_only_in_the_title() {
    let env = TestEnv::new();
    env.ingest_records(
        "router.jsonl",
        &[
            article(
                "im-titel",
                "Sicherheitslücke im Router entdeckt",
                "Forscher haben in einem verbreiteten Heimgerät einen schweren Fehler gefunden, \
                 der Angreifern den Zugriff erlaubt.",
            ),
            article(
                "im-text",
                "Neue Firmware verfügbar",
                "Der Hersteller schließt mit dem Update eine Sicherheitslücke im Router und \
                 bittet um rasche Installation.",
            ),
        ],
    );
    // Without a field, the title counts: both articles.
    assert_eq!(sorted_ids(&env.hits(&["Router"])), ["im-text", "im-titel"]);
    for query in [
        "text:Router",
        "text:Sicherheit",
        "text:Sicherheitslücke",
        "text:\"im Router\"",
        "text:Rout*",
    ] {
        assert_eq!(article_ids(&env.hits(&[query])), ["im-text"], "{query}");
    }
    assert_eq!(article_ids(&env.hits(&["text:Forscher"])), ["im-titel"]);
    // Excluding a word of the text does not exclude an article that has it
    // only in its title.
    assert_eq!(
        sorted_ids(&env.hits(&["Router -text:Firmware"])),
        ["im-text", "im-titel"]
    );
}

#[test]
fn a_separable_verb_is_found_joined() {
    // "Schleppen … ein?" is the verb "einschleppen": the article that says
    // so ranks above the one about "Schlepper" (whose stem "Schleppen"
    // shares), and the joined verb is highlighted.
    let env = TestEnv::new();
    env.ingest_records(
        "seuchen.jsonl",
        &[
            article(
                "einschleppen",
                "Kommissar widerspricht Warnungen",
                "Immer wieder heißt es, dass Flüchtlinge Seuchen nach Europa einschleppen \
                 könnten. Der Kommissar hält die Gefahr einer Einschleppung von Krankheiten für \
                 äußerst gering.",
            ),
            article(
                "schlepper",
                "Schlepper in Messina festgenommen",
                "Die Polizei hat sechs Schlepper festgenommen, die Flüchtlinge nach Europa \
                 gebracht haben sollen. Die Schlepper verlangten hohe Summen von den Flüchtlingen.",
            ),
            article(
                "europa",
                "Flüchtlinge in Europa",
                "Europa streitet über die Verteilung der Flüchtlinge. Mehrere Staaten wollen \
                 keine Flüchtlinge aufnehmen.",
            ),
        ],
    );
    let hits = env.hits(&["Schleppen Flüchtlinge Seuchen nach Europa ein?"]);
    assert_eq!(hits[0].article_id, "einschleppen", "{hits:#?}");
    let text: Vec<char> = hits[0].text.chars().collect();
    let marked: Vec<String> = hits[0]
        .highlights
        .iter()
        .map(|[from, to]| text[*from..*to].iter().collect())
        .collect();
    assert!(marked.contains(&"einschleppen".to_string()), "{marked:?}");
}

// ---------------------------------------------------------------------------
// Completions
// ---------------------------------------------------------------------------

#[test]
fn completions_for_bash_zsh_and_fish() {
    let env = TestEnv::new();
    for shell in ["bash", "zsh", "fish"] {
        let run = env.run(["completions", shell]).code(0).stderr_empty();
        assert!(run.stdout().trim().len() > 100, "{run}");
        assert!(run.stdout().contains("lupe"), "{run}");
        assert!(run.stdout().contains("query"), "{run}");
    }
}

#[test]
fn completions_into_a_closed_pipe_do_not_panic() {
    let env = TestEnv::new();
    for shell in ["bash", "zsh", "fish"] {
        let mut cmd = env.command();
        cmd.args(["completions", shell]);
        util::run_with_closed_stdout(cmd).code(0).stderr_empty();
    }
}

#[test]
fn completions_for_an_unknown_shell_is_a_usage_error() {
    let env = TestEnv::new();
    env.run(["completions", "cmd.exe"]).code(2).stdout_empty();
    env.run(["completions"]).code(2).stdout_empty();
}

// ---------------------------------------------------------------------------
// Locking
// ---------------------------------------------------------------------------

#[test]
fn a_second_ingest_while_one_runs_is_refused_and_queries_still_work() {
    let env = TestEnv::new();
    operator_corpus(&env);
    // An ingest from standard input holds the index's writer until its input
    // ends; keep the pipe open while the other commands run.
    let mut cmd = env.command();
    cmd.args([
        "ingest",
        "--index",
        env.index().to_str().unwrap(),
        "--threads",
        "1",
        "-",
    ])
    .stdin(Stdio::piped())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut first = cmd.spawn().unwrap();
    let mut stdin = first.stdin.take().unwrap();
    use std::io::Write;
    stdin
        .write_all(util::jsonl(&[article("neu", "Neu", "Das Wort Kolibri ist neu.")]).as_bytes())
        .unwrap();
    // lupe reads its input only once it holds the index writer. Blank lines
    // (skipped by the reader) well beyond a pipe buffer make `write_all`
    // return only after lupe has read, and so has taken the lock.
    stdin.write_all(&vec![b'\n'; 512 * 1024]).unwrap();
    stdin.flush().unwrap();
    let file = env.write_jsonl("zwei.jsonl", &[article("zwei", "Zwei", "Das Wort Okapi.")]);
    let index = env.index().display().to_string();
    let refused = env.ingest(&[&file]);
    refused.code(2).stderr_has(&index);
    // Readers see the last commit meanwhile.
    assert_eq!(
        env.found(&["Quantencomputer AND Batterien"]),
        ["quanten-akku"]
    );
    drop(stdin);
    let out = first.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(env.found(&["Kolibri"]), ["neu"]);
    env.query(&["Okapi"]).code(1);
}

#[test]
fn ingest_refuses_a_folder_that_holds_other_files() {
    let env = TestEnv::new();
    std::fs::create_dir_all(env.index()).unwrap();
    std::fs::write(env.index().join("notizen.txt"), "meine Notizen").unwrap();
    let file = env.write_jsonl("a.jsonl", &[article("a", "A", "Das Wort Kolibri.")]);
    let index = env.index().display().to_string();
    env.ingest(&[&file]).code(2).stderr_has(&index);
    assert_eq!(
        std::fs::read_to_string(env.index().join("notizen.txt")).unwrap(),
        "meine Notizen"
    );
}

// ---------------------------------------------------------------------------
// Known bugs (ignored until fixed; see the ignore reasons)
// ---------------------------------------------------------------------------

#[test]
fn more_german_abbreviations_do_not_end_sentences() {
    let cases = [
        (
            "dr-med",
            "Laut Dr. med. Anna Schmidt wächst der Bedarf im neuen Rechenzentrum.",
        ),
        (
            "fa",
            "Die Fa. Müller aus Kassel liefert die Kühltechnik für das neue Rechenzentrum.",
        ),
        (
            "abg",
            "Laut Abg. Weber braucht die Region dringend ein neues und größeres Rechenzentrum.",
        ),
        (
            "min",
            "Nach 90 Min. Stromausfall lief das neue Rechenzentrum wieder mit voller Leistung.",
        ),
        (
            "jg",
            "Im Jg. 2024 des Jahrbuchs steht ein Bericht über das neue Rechenzentrum.",
        ),
        (
            "hg",
            "Als Hg. Meier das Buch vorstellte, ging es vor allem um das neue Rechenzentrum.",
        ),
        (
            "gebr",
            "Die Gebr. Schulz GmbH baut seit dem Frühjahr an dem neuen Rechenzentrum.",
        ),
        (
            "febr",
            "Am 3. Febr. 2025 öffnete der Betreiber das neue Rechenzentrum für Besucher.",
        ),
    ];
    let env = TestEnv::new();
    let records: Vec<Value> = cases
        .iter()
        .map(|(id, sentence)| {
            let mut body = String::new();
            while body.chars().count() < 6000 {
                if !body.is_empty() {
                    body.push(' ');
                }
                body.push_str(sentence);
            }
            article(id, "Abkürzungen", &body)
        })
        .collect();
    env.ingest_records("abk.jsonl", &records);
    let hits = env.hits(&["--per-article", "0", "-n", "1000", "Rechenzentrum"]);
    let mut broken = Vec::new();
    for (id, sentence) in cases {
        let mut passages: Vec<&util::Hit> = hits.iter().filter(|h| h.article_id == id).collect();
        passages.sort_by_key(|h| h.passage);
        if let Some(h) = passages.iter().find(|h| !h.text.ends_with(sentence)) {
            broken.push(format!(
                "{} ends with …{:?}",
                h.passage_id,
                tail(&h.text, 40)
            ));
        }
    }
    assert!(
        broken.is_empty(),
        "passages cut inside a sentence:\n{}",
        broken.join("\n")
    );
}

#[test]
fn source_filter_is_normalised_like_the_source() {
    let env = TestEnv::new();
    env.ingest_records(
        "quellen.jsonl",
        &[full_article(
            "merkur",
            "Rechenzentrum",
            "Das Rechenzentrum in München wächst.",
            "2024-05-05",
            "Münchner Merkur",
        )],
    );
    for source in [
        "münchner merkur",
        // NFD, as typed on some systems or pasted from file names.
        "Mu\u{0308}nchner Merkur",
        // The stored source has its spaces collapsed.
        "Münchner  Merkur",
    ] {
        assert_eq!(
            env.found(&["--source", source, "Rechenzentrum"]),
            ["merkur"],
            "--source {source:?}"
        );
    }
}

// ---------------------------------------------------------------------------
// Operators mean what they say (issue 11)
// ---------------------------------------------------------------------------

#[test]
fn date_in_the_query_filters_like_since_and_until() {
    let env = TestEnv::new();
    dated_corpus(&env);
    let flags = sorted_ids(&env.hits(&[
        "--since",
        "2024-02-01",
        "--until",
        "2024-02-29",
        "Rechenzentrum",
    ]));
    assert_eq!(flags, ["feb01", "feb29"]);
    for q in [
        "Rechenzentrum date:[2024-02-01 TO 2024-02-29]",
        "date:[2024-02-01 TO 2024-02-29] Rechenzentrum",
        // A word no article has: the relaxed pass must not let the date
        // range become optional.
        "Rechenzentrum Wasserstoffzug date:[2024-02-01 TO 2024-02-29]",
        "Rechenzentrum date:>=2024-02-01 date:<=2024-02-29",
    ] {
        assert_eq!(sorted_ids(&env.hits(&[q])), flags, "{q}");
    }
    assert_eq!(env.found(&["Rechenzentrum date:2024-02-29"]), ["feb29"]);
    assert_eq!(
        sorted_ids(&env.hits(&["Rechenzentrum -date:[2024-02-01 TO 2024-12-31]"])),
        ["jan31", "undatiert"]
    );
}

#[test]
fn source_in_the_query_filters_like_the_flag() {
    let env = TestEnv::new();
    dated_corpus(&env);
    let flag = sorted_ids(&env.hits(&["--source", "KI-Kurier", "Rechenzentrum"]));
    assert_eq!(flag, ["feb29", "jan31"]);
    for q in [
        "Rechenzentrum source:KI-Kurier",
        "Rechenzentrum source:ki-kurier",
        "Rechenzentrum Wasserstoffzug source:ki-kurier",
        "source:\"KI-Kurier\" Rechenzentrum",
    ] {
        assert_eq!(sorted_ids(&env.hits(&[q])), flag, "{q}");
    }
    assert_eq!(
        env.found(&["Rechenzentrum source:\"Der Tagesspiegel\""]),
        ["mar01"]
    );
    // Two sources: articles from either.
    assert_eq!(
        sorted_ids(&env.hits(&["Rechenzentrum source:tagblatt source:\"der tagesspiegel\""])),
        ["feb01", "mar01"]
    );
}

#[test]
fn excluding_a_word_removes_the_whole_article() {
    let env = TestEnv::new();
    let body = [paragraph("Rechenzentrum", 300), paragraph("Android", 300)].join("\n\n");
    env.ingest_records(
        "ausschluss.jsonl",
        &[
            article("mit-android", "Bericht", &body),
            article(
                "ohne",
                "Kurzmeldung",
                "Das Rechenzentrum in Frankfurt bekommt eine zweite Stromleitung.",
            ),
        ],
    );
    assert_eq!(
        sorted_ids(&env.hits(&["Rechenzentrum"])),
        ["mit-android", "ohne"]
    );
    // The passage about the Rechenzentrum does not say "Android", its
    // article does.
    assert_eq!(env.found(&["Rechenzentrum -Android"]), ["ohne"]);
    assert_eq!(env.found(&["Rechenzentrum -\"Thema Android\""]), ["ohne"]);
    assert_eq!(env.found(&["Rechenzentrum NOT Android"]), ["ohne"]);
}

#[test]
fn a_trailing_star_is_a_prefix() {
    let env = TestEnv::new();
    env.ingest_records(
        "praefix.jsonl",
        &[
            article(
                "bahn",
                "Verkehr",
                "Die Schnellbahnlinien der Region werden bis 2030 elektrifiziert.",
            ),
            article("andere", "Anderes", "Die Straßenbahn fährt wieder."),
        ],
    );
    assert_eq!(env.found(&["Schnellbahnl*"]), ["bahn"]);
    assert_eq!(env.found(&["schnellbahn*"]), ["bahn"]);
    // One letter is no prefix: the word is searched as typed.
    let run = env.query(&["S*"]).code(1);
    assert!(run.stderr().contains("two letters"), "{run}");
    // The highlight covers the whole word.
    let hits = env.hits(&["Schnellbahnl*"]);
    assert_eq!(hits[0].highlights.len(), 1, "{hits:?}");
}

#[test]
fn a_prefix_with_too_many_words_says_so() {
    let env = TestEnv::new();
    let words: Vec<String> = (0..80)
        .map(|i| {
            format!(
                "Zuggattung{}{}",
                (b'a' + (i / 26) as u8) as char,
                (b'a' + (i % 26) as u8) as char
            )
        })
        .collect();
    env.ingest_records(
        "viele.jsonl",
        &[article("viele", "Viele", &words.join(" "))],
    );
    let run = env.query(&["Zuggattung*"]).code(0);
    assert!(
        run.stderr().contains("most frequent were searched"),
        "{run}"
    );
}

// ---------------------------------------------------------------------------
// Nothing found explains itself (issue 11)
// ---------------------------------------------------------------------------

#[test]
fn nothing_found_says_why() {
    let env = TestEnv::new();
    dated_corpus(&env);
    let why = |args: &[&str]| {
        let run = env.query(args).code(1).stdout_empty();
        run.stderr()
    };
    let e = why(&["Wasserstoffzug"]);
    assert!(e.contains("nothing found: no passage matches"), "{e}");
    let e = why(&["--since", "2025-01-01", "Rechenzentrum"]);
    assert!(
        e.contains("5 passages match the words, but the filters (--since/--until)"),
        "{e}"
    );
    let e = why(&["--source", "Nirgendwo", "Rechenzentrum"]);
    assert!(e.contains("no source is called \"Nirgendwo\""), "{e}");
    assert!(e.contains("\"tagblatt\""), "the sources are listed: {e}");
    let e = why(&["--source", "KI-Kurir", "Rechenzentrum"]);
    assert!(e.contains("did you mean \"ki-kurier\"?"), "{e}");
    let e = why(&["Rechenzentrum source:Tagesblatt"]);
    assert!(e.contains("did you mean \"tagblatt\"?"), "{e}");
    let e = why(&[
        "--since",
        "2024-03-01",
        "--until",
        "2024-02-01",
        "Rechenzentrum",
    ]);
    assert!(
        e.contains("--since 2024-03-01 is after --until 2024-02-01"),
        "{e}"
    );
    let e = why(&["Rechenzentrum date:[2024-03-01 TO 2024-02-01]"]);
    assert!(e.contains("range in the query is empty"), "{e}");
    env.ingest_records(
        "mehr.jsonl",
        &[full_article(
            "apr01",
            "April",
            "Kein Wort über Rechenanlagen.",
            "2024-04-01",
            "Tagesschau",
        )],
    );
    let e = why(&["--source", "tag", "Rechenzentrum"]);
    assert!(
        e.contains("\"tag\" is the start of several sources (\"tagblatt\", \"tagesschau\")"),
        "{e}"
    );
}

#[test]
fn source_matches_by_a_unique_start() {
    let env = TestEnv::new();
    dated_corpus(&env);
    assert_eq!(
        env.found(&["--source", "der tag", "Rechenzentrum"]),
        ["mar01"]
    );
    assert_eq!(env.found(&["--source", "TAGB", "Rechenzentrum"]), ["feb01"]);
    assert_eq!(
        sorted_ids(&env.hits(&["--source", "ki", "Rechenzentrum"])),
        ["feb29", "jan31"]
    );
}

// ---------------------------------------------------------------------------
// One ranking, honest scores (issue 11)
// ---------------------------------------------------------------------------

/// Articles where some passages have both query words and others only one,
/// with one strong one-word match.
fn mixed_corpus(env: &TestEnv) {
    env.ingest_records(
        "gemischt.jsonl",
        &[
            article(
                "nur-rz",
                "Rechenzentrum, Rechenzentrum",
                "Das Rechenzentrum, das Rechenzentrum und noch einmal das Rechenzentrum.",
            ),
            article(
                "beides",
                "Neue Technik",
                "Der Betreiber stellt im Rechenzentrum auf eine neue Kühlung mit Flusswasser um.",
            ),
            article(
                "beides-2",
                "Kühlung im Rechenzentrum",
                "Die Kühlung braucht viel Wasser, sagt der Betreiber.",
            ),
            article("nur-k", "Kühlung", "Kühlung hier, Kühlung dort."),
            article(
                "fern",
                "Sonstiges",
                "Ein Bericht über Züge, Straßen und eine Kühlung für Lastwagen.",
            ),
        ],
    );
}

fn assert_non_increasing(scores: &[f64], what: &str) {
    assert!(
        scores.windows(2).all(|w| w[0] >= w[1]),
        "{what}: scores go up again: {scores:?}"
    );
}

#[test]
fn scores_never_go_up_in_any_format() {
    let env = TestEnv::new();
    mixed_corpus(&env);
    for q in [
        "Rechenzentrum Kühlung",
        "Kühlung",
        "Wie kühlt der Betreiber sein Rechenzentrum mit Wasser und Flusswasser?",
    ] {
        let hits = env.hits(&[q]);
        assert!(hits.len() >= 3, "{q}: {hits:?}");
        let scores: Vec<f64> = hits.iter().map(|h| h.score).collect();
        assert_non_increasing(&scores, q);
        let index = env.index().to_str().unwrap().to_string();
        for format in ["tsv", "trec", "jsonl"] {
            let run = env.run_with_stdin(
                ["batch", "--index", &index, "--format", format, "-n", "50"],
                format!("{q}\n").as_bytes(),
            );
            let out = run.stdout();
            let batch_scores: Vec<f64> = match format {
                "tsv" => out
                    .lines()
                    .map(|l| l.split('\t').nth(4).unwrap().parse().unwrap())
                    .collect(),
                "trec" => out
                    .lines()
                    .map(|l| l.split(' ').nth(4).unwrap().parse().unwrap())
                    .collect(),
                _ => {
                    let v: Value = serde_json::from_str(out.trim()).unwrap();
                    v["hits"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|h| h["score"].as_f64().unwrap())
                        .collect()
                }
            };
            assert_eq!(batch_scores.len(), hits.len(), "{format}\n{run}");
            assert_non_increasing(&batch_scores, format);
        }
    }
    // Passages with both words still come first.
    let hits = env.hits(&["Rechenzentrum Kühlung"]);
    let first_two = sorted_ids(&hits[..2]);
    assert_eq!(first_two, ["beides", "beides-2"], "{hits:#?}");
}

#[test]
fn equal_scores_have_one_order_whatever_the_ingest_order() {
    let records: Vec<Value> = (0..12)
        .map(|i| {
            article(
                &format!("gleich-{i:02}"),
                "Meldung",
                "Das Rechenzentrum bekommt eine neue Kühlung.",
            )
        })
        .collect();
    let forward = TestEnv::new();
    forward.ingest_records("a.jsonl", &records);
    let backward = TestEnv::new();
    let mut reversed = records.clone();
    reversed.reverse();
    // Two files, two commits: other segments, other document numbers.
    backward.ingest_records("b1.jsonl", &reversed[..5]);
    backward.ingest_records("b2.jsonl", &reversed[5..]);
    for q in ["Rechenzentrum", "Rechenzentrum Kühlung"] {
        let a = forward.hits(&["-n", "8", q]);
        let b = backward.hits(&["-n", "8", q]);
        assert_eq!(article_ids(&a), article_ids(&b), "{q}");
    }
}
