//! End-to-end tests of `lupe ingest`: input formats, folders, standard
//! input, the summary, re-ingesting, and every kind of bad input.

mod util;

use serde_json::json;
use util::{TestEnv, article, full_article, paragraph, sorted_ids};

// ---------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------

const BODY_LUECKE: &str = "Forscherinnen eines Berliner Instituts haben eine Schwachstelle in \
einem verbreiteten Inferenzserver entdeckt. Über die Lücke können Angreifer fremden Code \
ausführen und vertrauliche Modellgewichte auslesen.";

const BODY_PFLEGE: &str = "Ein Klinikverbund in Niedersachsen lässt Pflegeberichte von einem \
Sprachmodell vorformulieren. Die Pflegekräfte prüfen jeden Entwurf, bevor er in die Akte geht.";

const BODY_CHIPS: &str = "Die Exportregeln für Grafikprozessoren werden erneut verschärft. \
Hersteller müssen künftig auch für kleinere Lieferungen eine Genehmigung beantragen.";

fn good_records() -> Vec<serde_json::Value> {
    vec![
        full_article(
            "luecke",
            "Schwachstelle im Inferenzserver",
            BODY_LUECKE,
            "2025-03-04",
            "KI-Kurier",
        ),
        full_article(
            "pflege",
            "Sprachmodelle in der Pflege",
            BODY_PFLEGE,
            "2024-06-12",
            "Tagblatt",
        ),
    ]
}

// ---------------------------------------------------------------------------
// Formats
// ---------------------------------------------------------------------------

#[test]
fn jsonl_with_all_fields_is_searchable_with_its_metadata() {
    let env = TestEnv::new();
    let file = env.write_jsonl("news.jsonl", &good_records());
    env.ingest_ok(&[&file])
        .stdout_has("2 added, 0 updated, 0 unchanged, 0 rejected;");
    let hits = env.hits(&["Inferenzserver"]);
    assert_eq!(hits.len(), 1, "{hits:?}");
    let h = &hits[0];
    assert_eq!(h.rank, 1);
    assert_eq!(h.article_id, "luecke");
    assert_eq!(h.passage_id, "luecke#0");
    assert_eq!(h.passage, 0);
    assert_eq!(h.title, "Schwachstelle im Inferenzserver");
    assert_eq!(h.date.as_deref(), Some("2025-03-04"));
    assert_eq!(h.source.as_deref(), Some("KI-Kurier"));
    assert_eq!(h.url.as_deref(), Some("https://news.example/luecke"));
    assert_eq!(h.text, BODY_LUECKE);
}

#[test]
fn ndjson_extension_is_json_lines() {
    let env = TestEnv::new();
    let file = env.write_jsonl("news.ndjson", &good_records());
    env.ingest_ok(&[&file]).stdout_has("2 added");
    assert_eq!(env.found(&["Pflegeberichte"]), ["pflege"]);
}

#[test]
fn optional_fields_may_be_missing_or_null() {
    let env = TestEnv::new();
    let file = env.write_jsonl(
        "minimal.jsonl",
        &[
            json!({"body": BODY_CHIPS}),
            json!({"id": "n", "title": null, "date": null, "source": null, "url": null,
                   "body": BODY_PFLEGE}),
        ],
    );
    env.ingest_ok(&[&file]).stdout_has("2 added");
    let hits = env.hits(&["Exportregeln"]);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].title, "");
    assert_eq!(hits[0].date, None);
    assert_eq!(hits[0].source, None);
    assert_eq!(hits[0].url, None);
    assert_eq!(env.found(&["Pflegeberichte"]), ["n"]);
}

#[test]
fn unknown_json_fields_are_ignored() {
    let env = TestEnv::new();
    let file = env.write_jsonl(
        "extra.jsonl",
        &[json!({
            "id": "extra",
            "title": "Exportregeln",
            "body": BODY_CHIPS,
            "category": "Politik",
            "tags": ["Chips", "Export"],
            "meta": {"words": 23, "nested": {"deep": [1, 2, 3]}},
            "paywall": false
        })],
    );
    env.ingest_ok(&[&file]).stdout_has("1 added");
    assert_eq!(env.found(&["Genehmigung"]), ["extra"]);
    // The ignored fields are not indexed.
    env.query(&["Politik"]).code(1);
}

#[test]
fn json_file_with_one_object() {
    let env = TestEnv::new();
    let file = env.write(
        "eins.json",
        serde_json::to_string_pretty(&article("chips", "Exportregeln", BODY_CHIPS)).unwrap(),
    );
    env.ingest_ok(&[&file]).stdout_has("1 added");
    assert_eq!(env.found(&["Grafikprozessoren"]), ["chips"]);
}

#[test]
fn json_file_with_an_array_of_objects() {
    let env = TestEnv::new();
    let records = vec![
        article("chips", "Exportregeln", BODY_CHIPS),
        article("pflege", "Pflege", BODY_PFLEGE),
    ];
    let file = env.write(
        "viele.json",
        serde_json::to_string_pretty(&records).unwrap(),
    );
    env.ingest_ok(&[&file]).stdout_has("2 added");
    assert_eq!(env.found(&["Grafikprozessoren"]), ["chips"]);
    assert_eq!(env.found(&["Pflegekräfte"]), ["pflege"]);
}

#[test]
fn markdown_with_front_matter() {
    let env = TestEnv::new();
    let file = env.write(
        "2025-ki-verordnung.md",
        "---\n\
         id: ki-vo\n\
         title: \"KI-Verordnung: Fristen für Anbieter\"\n\
         date: 2025-02-02\n\
         source: KI-Kurier\n\
         url: https://news.example/ki-vo\n\
         ---\n\
         \n\
         # Eine Überschrift im Text\n\
         \n\
         Seit Februar gelten die ersten **Pflichten** der europäischen KI-Verordnung. \
         Anbieter von Basismodellen müssen ihre Trainingsdaten zusammenfassen.\n",
    );
    env.ingest_ok(&[&file]).stdout_has("1 added");
    let hits = env.hits(&["Trainingsdaten"]);
    assert_eq!(hits.len(), 1);
    let h = &hits[0];
    assert_eq!(h.article_id, "ki-vo");
    assert_eq!(h.title, "KI-Verordnung: Fristen für Anbieter");
    assert_eq!(h.date.as_deref(), Some("2025-02-02"));
    assert_eq!(h.source.as_deref(), Some("KI-Kurier"));
    assert_eq!(h.url.as_deref(), Some("https://news.example/ki-vo"));
    assert!(
        !h.text.contains("**"),
        "markup in passage text: {:?}",
        h.text
    );
    assert!(
        !h.text.contains('#'),
        "markup in passage text: {:?}",
        h.text
    );
}

#[test]
fn markdown_first_heading_is_the_title_and_markup_is_not_indexed() {
    let env = TestEnv::new();
    let file = env.write(
        "gpu.md",
        "# GPU-Preise in der Cloud fallen\n\
         \n\
         Die Mietpreise für *Grafikprozessoren* sind im Frühjahr deutlich gesunken, berichtet \
         [ein Marktforscher](https://markt.example/zauberwortlink). Vor allem ältere \
         Beschleuniger sind günstiger geworden.\n\
         \n\
         ![Diagramm mit Bildunterschriftwort](bild-geheimwort.png)\n\
         \n\
         <div class=\"htmlblockwort\">Werbung</div>\n",
    );
    env.ingest_ok(&[&file]).stdout_has("1 added");
    let hits = env.hits(&["Grafikprozessoren"]);
    assert_eq!(hits.len(), 1);
    let h = &hits[0];
    assert_eq!(h.title, "GPU-Preise in der Cloud fallen");
    assert!(
        !h.text.contains('*') && !h.text.contains("](") && !h.text.contains("<div"),
        "markup in passage text: {:?}",
        h.text
    );
    // Link text is text; the link target, images and HTML are markup.
    assert!(h.text.contains("ein Marktforscher"), "{:?}", h.text);
    env.query(&["Marktforscher"]).code(0);
    env.query(&["zauberwortlink"]).code(1);
    env.query(&["geheimwort"]).code(1);
    env.query(&["htmlblockwort"]).code(1);
    // The heading became the title; it is searchable as the title.
    assert_eq!(env.found(&["title:Cloud"]).len(), 1);
}

#[test]
fn text_file_first_line_is_the_title() {
    let env = TestEnv::new();
    let file = env.write(
        "pflege.txt",
        "\n\nKI in der Pflegedokumentation\n\nEin Klinikverbund lässt Pflegeberichte von einem \
         Sprachmodell vorformulieren.\n\nDie Pflegekräfte prüfen jeden Entwurf.\n",
    );
    env.ingest_ok(&[&file]).stdout_has("1 added");
    let hits = env.hits(&["Pflegeberichte"]);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].title, "KI in der Pflegedokumentation");
    assert!(
        hits[0].text.starts_with("Ein Klinikverbund"),
        "the title line must not be part of the body: {:?}",
        hits[0].text
    );
}

#[test]
fn articles_without_id_get_a_stable_derived_id() {
    let records = [json!({"title": "Exportregeln", "body": BODY_CHIPS})];
    let first = TestEnv::new();
    first.ingest_records("a.jsonl", &records);
    let id = first.hits(&["Exportregeln"])[0].article_id.clone();
    assert!(!id.is_empty());

    // Same title and body in another index (and another file name): same id.
    let second = TestEnv::new();
    second.ingest_records("anderer-name.jsonl", &records);
    assert_eq!(second.hits(&["Exportregeln"])[0].article_id, id);

    // Re-ingesting finds the article unchanged, not new.
    let (run, summary) = first.ingest_json(&["corpus/a.jsonl"]);
    assert_eq!(summary.counts(), (0, 0, 1, 0), "{run}");

    // Another title is another article.
    let third = TestEnv::new();
    third.ingest_records(
        "a.jsonl",
        &[json!({"title": "Neue Exportregeln", "body": BODY_CHIPS})],
    );
    assert_ne!(third.hits(&["Exportregeln"])[0].article_id, id);
}

#[test]
fn derived_id_is_the_same_for_the_same_article_in_text_and_json() {
    let env = TestEnv::new();
    let txt = env.write("chips.txt", format!("Exportregeln\n\n{BODY_CHIPS}\n"));
    let jsonl = env.write_jsonl(
        "chips.jsonl",
        &[json!({"title": "Exportregeln", "body": BODY_CHIPS})],
    );
    let (_, first) = env.ingest_json(&[&txt]);
    assert_eq!(first.added, 1);
    let (run, second) = env.ingest_json(&[&jsonl]);
    assert_eq!(second.counts(), (0, 0, 1, 0), "{run}");
    assert_eq!(env.hits(&["Grafikprozessoren"]).len(), 1);
}

// ---------------------------------------------------------------------------
// Folders, several paths, standard input
// ---------------------------------------------------------------------------

#[test]
fn folders_are_walked_recursively_skipping_hidden_files_and_readme() {
    let env = TestEnv::new();
    env.write_jsonl(
        "top.jsonl",
        &[article("top", "Oben", "Das Wort Kolibri steht oben.")],
    );
    env.write(
        "sub/deeper/tief.md",
        "# Tief unten\n\nDas Wort Pinguin steht tief unten.\n",
    );
    env.write(
        "sub/notiz.txt",
        "Notiz\n\nDas Wort Erdmännchen steht in einer Notiz.\n",
    );
    env.write_jsonl(
        ".versteckt.jsonl",
        &[article(
            "hidden",
            "Versteckt",
            "Das Wort Flamingo ist versteckt.",
        )],
    );
    env.write_jsonl(
        ".git/objekte.jsonl",
        &[article(
            "hidden-dir",
            "Versteckt",
            "Das Wort Nashorn ist versteckt.",
        )],
    );
    env.write(
        "README.md",
        "# Über diesen Korpus\n\nDas Wort Okapi steht nur in der Beschreibung.\n",
    );
    env.write(
        "sub/README.md",
        "# Auch Doku\n\nDas Wort Tapir steht nur in der Beschreibung.\n",
    );
    let (run, summary) = env.ingest_json(&["corpus"]);
    assert_eq!(summary.counts(), (3, 0, 0, 0), "{run}");
    assert_eq!(env.found(&["Kolibri"]), ["top"]);
    assert_eq!(env.found(&["Pinguin"]).len(), 1);
    assert_eq!(env.found(&["Erdmännchen"]).len(), 1);
    for skipped in ["Flamingo", "Nashorn", "Okapi", "Tapir"] {
        env.query(&[skipped]).code(1);
    }
}

#[test]
fn folders_are_walked_in_sorted_order() {
    // The same id in two files: the file later in name order wins, whatever
    // order the files were created in.
    let env = TestEnv::new();
    env.write_jsonl(
        "b/zwei.jsonl",
        &[article(
            "same",
            "Zweite Fassung",
            "Das Wort Zebra steht in der zweiten Fassung.",
        )],
    );
    env.write_jsonl(
        "a.jsonl",
        &[article(
            "same",
            "Erste Fassung",
            "Das Wort Antilope steht in der ersten Fassung.",
        )],
    );
    let run = env.ingest(&["corpus"]).code(0);
    assert!(run.stderr().contains("same"), "{run}");
    assert_eq!(env.found(&["Zebra"]), ["same"]);
    env.query(&["Antilope"]).code(1);
}

#[test]
fn several_paths_in_one_run() {
    let env = TestEnv::new();
    let a = env.write_jsonl("a.jsonl", &[article("a", "A", BODY_CHIPS)]);
    let b = env.write("b.txt", format!("Pflege\n\n{BODY_PFLEGE}\n"));
    let c = env.write("c.md", format!("# Lücke\n\n{BODY_LUECKE}\n"));
    env.ingest_ok(&[&a, &b, &c]).stdout_has("3 added");
    assert_eq!(env.found(&["Grafikprozessoren"]), ["a"]);
    assert_eq!(env.found(&["Pflegekräfte"]).len(), 1);
    assert_eq!(env.found(&["Modellgewichte"]).len(), 1);
}

#[test]
fn json_lines_from_standard_input() {
    let env = TestEnv::new();
    let input = util::jsonl(&good_records());
    env.ingest_stdin(&[], input.as_bytes())
        .code(0)
        .stdout_has("2 added, 0 updated, 0 unchanged, 0 rejected;");
    assert_eq!(env.found(&["Modellgewichte"]), ["luecke"]);
    assert_eq!(env.found(&["Pflegekräfte"]), ["pflege"]);
}

#[test]
fn bad_line_on_standard_input_is_named_by_line() {
    let env = TestEnv::new();
    let mut input = util::jsonl(&good_records()[..1]);
    input.push_str("{\"id\": \"kaputt\", \"body\": \n");
    input.push_str(&util::jsonl(&good_records()[1..]));
    let run = env.ingest_stdin(&[], input.as_bytes()).code(2);
    let line = run.skipped_line("-:2");
    assert!(line.contains("JSON"), "{run}");
    assert_eq!(env.found(&["Modellgewichte"]), ["luecke"]);
    assert_eq!(env.found(&["Pflegekräfte"]), ["pflege"]);
}

// ---------------------------------------------------------------------------
// Summary
// ---------------------------------------------------------------------------

#[test]
fn summary_line_counts_and_mentions_the_index() {
    let env = TestEnv::new();
    let file = env.write_jsonl("news.jsonl", &good_records());
    let run = env.ingest_ok(&["-q", &file]);
    let out = run.stdout();
    assert_eq!(out.lines().count(), 1, "{run}");
    assert!(
        out.starts_with("2 added, 0 updated, 0 unchanged, 0 rejected; "),
        "{run}"
    );
    let index = env.index().display().to_string();
    assert!(
        out.contains(&index),
        "the summary should name the index\n{run}"
    );
}

#[test]
fn json_summary_has_exactly_the_documented_keys() {
    let env = TestEnv::new();
    let file = env.write_jsonl("news.jsonl", &good_records());
    let (run, summary) = env.ingest_json(&[&file]);
    let run = run.code(0).stderr_empty();
    let value = run.json();
    let mut keys: Vec<&str> = value
        .as_object()
        .unwrap_or_else(|| panic!("not an object\n{run}"))
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort();
    let mut want = util::SUMMARY_KEYS.to_vec();
    want.sort();
    assert_eq!(keys, want, "{run}");
    assert_eq!(summary.counts(), (2, 0, 0, 0));
    assert_eq!(summary.duplicates, 0);
    assert_eq!(summary.passages, 2);
    assert!(summary.bytes > 0, "{run}");
    assert!(summary.seconds >= 0.0, "{run}");
}

#[test]
fn threads_option_is_validated() {
    let env = TestEnv::new();
    let file = env.write_jsonl("news.jsonl", &good_records());
    env.run(["ingest", "--index", "index", "-j", "0", &file])
        .code(2);
    env.run(["ingest", "--index", "index", "--threads", "viele", &file])
        .code(2);
    env.run(["ingest", "--index", "index", "-j", "2", "-q", &file])
        .code(0)
        .stdout_has("2 added");
}

#[test]
fn ingest_without_paths_is_a_usage_error() {
    let env = TestEnv::new();
    env.run(["ingest", "--index", "index"])
        .code(2)
        .stdout_empty();
}

// ---------------------------------------------------------------------------
// Re-ingesting and updates
// ---------------------------------------------------------------------------

#[test]
fn reingesting_the_same_file_changes_nothing() {
    let env = TestEnv::new();
    let long_body = format!(
        "{}\n\n{}\n\n{}",
        paragraph("Rechenzentrum", 300),
        paragraph("Rechenzentrum", 300),
        paragraph("Kühlung", 300)
    );
    let file = env.write_jsonl(
        "news.jsonl",
        &[
            article("lang", "Ein langer Bericht", &long_body),
            article(
                "kurz",
                "Ein kurzer Bericht",
                "Das Rechenzentrum braucht Strom.",
            ),
        ],
    );
    let (_, first) = env.ingest_json(&[&file]);
    assert_eq!(first.counts(), (2, 0, 0, 0));
    let before = env.hits(&["--per-article", "0", "Rechenzentrum"]);

    let (run, second) = env.ingest_json(&[&file]);
    let run = run.code(0).stderr_empty();
    assert_eq!(second.counts(), (0, 0, 2, 0), "{run}");

    let after = env.hits(&["--per-article", "0", "Rechenzentrum"]);
    let ids = |hits: &[util::Hit]| {
        let mut v: Vec<String> = hits.iter().map(|h| h.passage_id.clone()).collect();
        v.sort();
        v
    };
    assert_eq!(ids(&after), ids(&before));
    let mut dedup = ids(&after);
    dedup.dedup();
    assert_eq!(dedup.len(), after.len(), "duplicate passages: {after:?}");
    assert_eq!(after.len(), 3, "lang#0, lang#1, kurz#0: {after:?}");
}

#[test]
fn changed_body_is_updated_and_old_text_is_gone() {
    let env = TestEnv::new();
    let old_body = format!(
        "{}\n\n{}\n\n{}",
        paragraph("Altwort", 300),
        paragraph("Zwischenwort", 300),
        paragraph("Schlusswort", 300)
    );
    env.write_jsonl("news.jsonl", &[article("artikel", "Bericht", &old_body)]);
    let (_, first) = env.ingest_json(&["corpus/news.jsonl"]);
    assert_eq!(first.counts(), (1, 0, 0, 0));
    assert_eq!(env.hits(&["Schlusswort"])[0].passage_id, "artikel#2");

    // The new version is shorter: its stale passages must disappear too.
    env.write_jsonl(
        "news.jsonl",
        &[article("artikel", "Bericht", "Das Neuwort ersetzt alles.")],
    );
    let (run, second) = env.ingest_json(&["corpus/news.jsonl"]);
    assert_eq!(second.counts(), (0, 1, 0, 0), "{run}");
    for gone in ["Altwort", "Zwischenwort", "Schlusswort"] {
        env.query(&[gone]).code(1);
    }
    let hits = env.hits(&["Neuwort"]);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].passage_id, "artikel#0");
    // Exactly one passage is left for the article.
    let all = env.hits(&["--per-article", "0", "Bericht"]);
    assert_eq!(all.len(), 1, "{all:?}");
}

#[test]
fn changed_metadata_is_an_update() {
    let env = TestEnv::new();
    env.ingest_records(
        "news.jsonl",
        &[full_article(
            "chips",
            "Exportregeln",
            BODY_CHIPS,
            "2023-06-15",
            "Wirtschaftsecho",
        )],
    );
    env.write_jsonl(
        "news.jsonl",
        &[full_article(
            "chips",
            "Exportregeln verschärft",
            BODY_CHIPS,
            "2023-06-16",
            "Tagblatt",
        )],
    );
    let (run, summary) = env.ingest_json(&["corpus/news.jsonl"]);
    assert_eq!(summary.counts(), (0, 1, 0, 0), "{run}");
    let hits = env.hits(&["Grafikprozessoren"]);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].title, "Exportregeln verschärft");
    assert_eq!(hits[0].date.as_deref(), Some("2023-06-16"));
    assert_eq!(hits[0].source.as_deref(), Some("Tagblatt"));
}

#[test]
fn same_id_twice_in_one_file_last_one_wins_with_a_warning() {
    let env = TestEnv::new();
    let file = env.write_jsonl(
        "news.jsonl",
        &[
            article(
                "doppelt",
                "Erste Fassung",
                "Das Wort Giraffe steht in der ersten Fassung.",
            ),
            article("anderes", "Anderes", BODY_CHIPS),
            article(
                "doppelt",
                "Zweite Fassung",
                "Das Wort Elefant steht in der zweiten Fassung.",
            ),
        ],
    );
    let (run, summary) = env.ingest_json(&[&file]);
    let run = run.code(0);
    let warnings: Vec<String> = run
        .stderr()
        .lines()
        .filter(|l| l.contains("doppelt"))
        .map(str::to_string)
        .collect();
    assert_eq!(warnings.len(), 1, "one warning naming the id\n{run}");
    assert!(warnings[0].contains("corpus/news.jsonl"), "{run}");
    assert!(
        !warnings[0].contains("skipped"),
        "a duplicate is no rejection\n{run}"
    );
    assert_eq!(summary.duplicates, 1, "{run}");
    assert_eq!(summary.rejected, 0, "{run}");
    assert_eq!(env.found(&["Elefant"]), ["doppelt"]);
    env.query(&["Giraffe"]).code(1);
    let hits = env.hits(&["Elefant"]);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].title, "Zweite Fassung");
    assert_eq!(env.found(&["Grafikprozessoren"]), ["anderes"]);
}

#[test]
fn updated_article_from_another_format() {
    let env = TestEnv::new();
    env.ingest_records("a.jsonl", &[article("chips", "Exportregeln", BODY_CHIPS)]);
    let md = env.write(
        "chips.md",
        "---\nid: chips\ntitle: Exportregeln\n---\n\nDie Exportregeln für Beschleunigerkarten \
         bleiben unverändert.\n",
    );
    let (run, summary) = env.ingest_json(&[&md]);
    assert_eq!(summary.counts(), (0, 1, 0, 0), "{run}");
    env.query(&["Grafikprozessoren"]).code(1);
    assert_eq!(env.found(&["Beschleunigerkarten"]), ["chips"]);
}

// ---------------------------------------------------------------------------
// Bad input: each rejection names the file (and line or record), the run
// exits 2, and the valid articles of the same run are searchable.
// ---------------------------------------------------------------------------

/// Writes `corpus/good.jsonl` with two valid articles and returns its path.
fn write_good(env: &TestEnv) -> String {
    env.write_jsonl("good.jsonl", &good_records())
}

/// Both valid articles of [`write_good`] (and of the `good_records()` lines
/// of a mixed file) are searchable.
#[track_caller]
fn assert_good_searchable(env: &TestEnv) {
    assert_eq!(env.found(&["Modellgewichte"]), ["luecke"]);
    assert_eq!(env.found(&["Pflegekräfte"]), ["pflege"]);
}

/// A JSON Lines file: good record, `bad` line, good record.
fn write_mixed(env: &TestEnv, name: &str, bad: &[u8]) -> String {
    let records = good_records();
    let mut bytes = util::jsonl(&records[..1]).into_bytes();
    bytes.extend_from_slice(bad);
    bytes.push(b'\n');
    bytes.extend_from_slice(util::jsonl(&records[1..]).as_bytes());
    env.write(name, bytes)
}

/// A bad input beside good articles: what the run must report.
struct Rejection {
    /// What is tested (named when a case fails).
    what: &'static str,
    /// Files to write under `corpus/`; a name without content is passed
    /// only as a path. `MIXED` stands for a JSON Lines file whose second
    /// line is the content given, between the good records.
    files: &'static [(&'static str, &'static [u8])],
    /// The location each rejection line must name, in order of the files.
    at: &'static [&'static str],
    /// Words the rejection's reason must contain.
    reason: &'static [&'static str],
    /// A word only the rejected record holds, which must not be found.
    absent: Option<&'static str>,
}

/// The file name that [`REJECTIONS`] use for a bad line between good ones.
const MIXED: &str = "mixed.jsonl";

/// Every kind of bad input the readers reject, with the file and line (or
/// record) and the reason the user is told. (Unreadable files, missing
/// paths, binary files and ids with spaces are tested in reliability.rs.)
const REJECTIONS: &[Rejection] = &[
    Rejection {
        what: "a malformed JSON line",
        files: &[(MIXED, br#"{"id": "kaputt", "body": "Text ohne Ende"#)],
        at: &["corpus/mixed.jsonl:2"],
        reason: &["JSON"],
        absent: None,
    },
    Rejection {
        what: "a line that is not an object",
        files: &[(MIXED, br#"["body", "in einer Liste"]"#)],
        at: &["corpus/mixed.jsonl:2"],
        reason: &["object"],
        absent: None,
    },
    Rejection {
        what: "a missing body",
        files: &[(MIXED, br#"{"id": "ohne-text", "title": "Nur ein Titel"}"#)],
        at: &["corpus/mixed.jsonl:2"],
        reason: &["body"],
        absent: Some("Titel"),
    },
    Rejection {
        what: "an empty body",
        files: &[(
            MIXED,
            br#"{"id": "leer", "title": "Leerer Artikel", "body": "  \n\t "}"#,
        )],
        at: &["corpus/mixed.jsonl:2"],
        reason: &["body", "empty"],
        absent: Some("Leerer"),
    },
    Rejection {
        what: "a Latin-1 line",
        files: &[(
            MIXED,
            b"{\"id\": \"latin1\", \"body\": \"Gr\xF6\xDFe in Latin-1 kodiert\"}",
        )],
        at: &["corpus/mixed.jsonl:2"],
        reason: &["UTF-8"],
        absent: None,
    },
    Rejection {
        what: "a Latin-1 text file",
        files: &[("latin1.txt", b"Titel\n\nGr\xF6\xDFere Modelle\n")],
        at: &["corpus/latin1.txt"],
        reason: &["UTF-8"],
        absent: None,
    },
    Rejection {
        what: "a number as id",
        files: &[(
            MIXED,
            br#"{"id": 42, "title": "Zahl als Id", "body": "Das Wort Kakadu steht hier."}"#,
        )],
        at: &["corpus/mixed.jsonl:2"],
        reason: &["id"],
        absent: Some("Kakadu"),
    },
    Rejection {
        what: "a list as title",
        files: &[(
            MIXED,
            br#"{"id": "t", "title": ["kein", "Text"], "body": "Das Wort Kakadu steht hier."}"#,
        )],
        at: &["corpus/mixed.jsonl:2"],
        reason: &["title"],
        absent: Some("Kakadu"),
    },
    Rejection {
        what: "an impossible date",
        files: &[(
            MIXED,
            br#"{"id": "datum", "date": "31.02.2025", "body": "Das Wort Kakadu steht hier."}"#,
        )],
        at: &["corpus/mixed.jsonl:2"],
        reason: &["date", "31.02.2025"],
        absent: Some("Kakadu"),
    },
    Rejection {
        what: "an impossible date in front matter",
        files: &[(
            "datum.md",
            b"---\nid: md-datum\ndate: 2025-02-30\n---\n\nDas Wort Kakadu steht hier.\n",
        )],
        at: &["corpus/datum.md"],
        reason: &["2025-02-30"],
        absent: Some("Kakadu"),
    },
    Rejection {
        what: "a bad record in a JSON array",
        files: &[(
            "batch.json",
            br#"[{"id": "gut", "body": "Das Wort Zebra steht hier."},
                 {"id": "ohne-text", "title": "Nur ein Titel"}]"#,
        )],
        at: &["corpus/batch.json (record 2)"],
        reason: &["body"],
        absent: Some("Titel"),
    },
    Rejection {
        what: "a malformed JSON file",
        files: &[("kaputt.json", b"[{\"body\": \"Text\"},")],
        at: &["corpus/kaputt.json"],
        reason: &["JSON"],
        absent: None,
    },
    Rejection {
        what: "a file named with an unknown extension",
        files: &[(
            "bericht.pdf",
            b"Ein Bericht\n\nDas Wort Kakadu steht hier.\n",
        )],
        at: &["corpus/bericht.pdf"],
        reason: &[".pdf"],
        absent: Some("Kakadu"),
    },
    Rejection {
        what: "empty files of every format",
        files: &[
            ("leer.jsonl", b""),
            ("leer.json", b""),
            ("leer.md", b""),
            ("leer.txt", b""),
        ],
        at: &[
            "corpus/leer.jsonl",
            "corpus/leer.json",
            "corpus/leer.md",
            "corpus/leer.txt",
        ],
        reason: &["empty"],
        absent: None,
    },
    Rejection {
        what: "a JSON Lines file of blank lines",
        files: &[("blank.jsonl", b"\n  \n\n")],
        at: &["corpus/blank.jsonl"],
        reason: &["empty"],
        absent: None,
    },
];

#[test]
fn rejects_bad_input_with_file_line_and_reason_and_keeps_the_rest() {
    for case in REJECTIONS {
        let env = TestEnv::new();
        let mut args: Vec<String> = Vec::new();
        for (name, content) in case.files {
            if *name == MIXED {
                args.push(write_mixed(&env, name, content));
            } else {
                args.push(env.write(name, content));
            }
        }
        let mixed = case.files.iter().any(|(name, _)| *name == MIXED);
        if !mixed {
            args.insert(0, write_good(&env));
        }
        let (run, summary) = env.ingest_json(&args);
        let run = run.code(2);
        for at in case.at {
            let line = run.skipped_line(at);
            for word in case.reason {
                assert!(
                    line.contains(word),
                    "{}: the reason should say {word:?}\n{run}",
                    case.what
                );
            }
        }
        let good_articles = if case.files[0].0 == "batch.json" {
            3
        } else {
            2
        };
        assert_eq!(
            summary.counts(),
            (good_articles, 0, 0, case.at.len() as u64),
            "{}\n{run}",
            case.what
        );
        assert_good_searchable(&env);
        if let Some(word) = case.absent {
            env.query(&[word]).code(1);
        }
    }
}

#[test]
fn every_rejection_in_one_run_is_reported() {
    let env = TestEnv::new();
    let records = good_records();
    let mut text = util::jsonl(&records[..1]);
    text.push_str("{kaputt\n");
    text.push_str("{\"id\": 7, \"body\": \"x\"}\n");
    text.push('\n');
    text.push_str("{\"id\": \"x\"}\n");
    text.push_str(&util::jsonl(&records[1..]));
    let file = env.write("mixed.jsonl", text);
    let pdf = env.write("x.pdf", "kein pdf");
    let (run, summary) = env.ingest_json(&[&file, &pdf]);
    let run = run.code(2);
    run.skipped_line("corpus/mixed.jsonl:2");
    run.skipped_line("corpus/mixed.jsonl:3");
    run.skipped_line("corpus/mixed.jsonl:5");
    run.skipped_line("corpus/x.pdf");
    assert_eq!(summary.counts(), (2, 0, 0, 4), "{run}");
    assert_good_searchable(&env);
}

#[test]
fn rejections_are_reported_without_json_too() {
    let env = TestEnv::new();
    let file = write_mixed(&env, "mixed.jsonl", b"{\"body\": 5}");
    let run = env.ingest(&[&file]).code(2);
    run.skipped_line("corpus/mixed.jsonl:2");
    assert!(
        run.stdout()
            .starts_with("2 added, 0 updated, 0 unchanged, 1 rejected;"),
        "{run}"
    );
    assert_good_searchable(&env);
}

#[test]
fn a_run_with_only_rejections_leaves_a_queryable_error() {
    let env = TestEnv::new();
    let bad = env.write("bad.jsonl", "{\"title\": \"ohne Text\"}\n");
    env.ingest(&[&bad]).code(2);
    let index = env.index().display().to_string();
    env.query(&["Text"])
        .code(2)
        .stderr_has(&index)
        .stderr_has("lupe ingest");
}

#[test]
fn sources_differ_only_in_case_are_one_source() {
    let env = TestEnv::new();
    env.ingest_records(
        "news.jsonl",
        &[
            full_article("a", "A", BODY_CHIPS, "2023-06-15", "KI-Kurier"),
            full_article("b", "B", BODY_PFLEGE, "2023-06-15", "ki-kurier"),
            full_article("c", "C", BODY_LUECKE, "2023-06-15", "Tagblatt"),
        ],
    );
    let hits = env.hits(&[
        "--source",
        "KI-Kurier",
        "Grafikprozessoren OR Pflegekräfte OR Lücke",
    ]);
    assert_eq!(sorted_ids(&hits), ["a", "b"]);
}

// ---------------------------------------------------------------------------
// Known bugs (ignored until fixed; see the ignore reasons)
// ---------------------------------------------------------------------------

#[test]
fn reingesting_a_file_with_a_repeated_id_is_unchanged() {
    let env = TestEnv::new();
    let file = env.write_jsonl(
        "news.jsonl",
        &[
            article(
                "doppelt",
                "Erste Fassung",
                "Das Wort Giraffe steht in der ersten Fassung.",
            ),
            article(
                "doppelt",
                "Zweite Fassung",
                "Das Wort Elefant steht in der zweiten Fassung.",
            ),
        ],
    );
    let (first, _) = env.ingest_json(&[&file]);
    first.code(0);
    let (run, again) = env.ingest_json(&[&file]);
    let run = run.code(0);
    assert_eq!(
        (again.added, again.updated, again.rejected),
        (0, 0, 0),
        "nothing changed, so nothing may be added or updated\n{run}"
    );
    assert!(again.unchanged >= 1, "{run}");
    assert_eq!(env.found(&["Elefant"]), ["doppelt"]);
    env.query(&["Giraffe"]).code(1);
}

#[test]
fn reingesting_a_folder_with_a_repeated_id_is_unchanged() {
    let env = TestEnv::new();
    env.write_jsonl(
        "a.jsonl",
        &[article(
            "same",
            "Erste Fassung",
            "Das Wort Antilope steht in der ersten Fassung.",
        )],
    );
    env.write_jsonl(
        "b.jsonl",
        &[article(
            "same",
            "Zweite Fassung",
            "Das Wort Zebra steht in der zweiten Fassung.",
        )],
    );
    env.ingest(&["corpus"]).code(0);
    let (run, again) = env.ingest_json(&["corpus"]);
    assert_eq!(
        (again.added, again.updated, again.rejected),
        (0, 0, 0),
        "nothing changed, so nothing may be added or updated\n{run}"
    );
}

#[test]
fn repeated_id_is_warned_even_when_the_first_record_is_already_indexed() {
    let env = TestEnv::new();
    let first = article(
        "doppelt",
        "Erste Fassung",
        "Das Wort Giraffe steht in der ersten Fassung.",
    );
    let second = article(
        "doppelt",
        "Zweite Fassung",
        "Das Wort Elefant steht in der zweiten Fassung.",
    );
    env.ingest_records("alt.jsonl", std::slice::from_ref(&first));
    let file = env.write_jsonl("neu.jsonl", &[first, second]);
    let (run, summary) = env.ingest_json(&[&file]);
    let run = run.code(0);
    assert!(
        run.stderr().lines().any(|l| l.contains("doppelt")),
        "a warning naming the repeated id is expected\n{run}"
    );
    assert_eq!(summary.duplicates, 1, "{run}");
    assert_eq!(env.found(&["Elefant"]), ["doppelt"]);
    env.query(&["Giraffe"]).code(1);
}

#[test]
fn rejections_exit_2_even_when_stdout_is_closed() {
    let env = TestEnv::new();
    let file = write_mixed(&env, "mixed.jsonl", br#"{"title": "ohne Text"}"#);
    let mut cmd = env.command();
    cmd.args([
        "ingest",
        "--index",
        env.index().to_str().unwrap(),
        "--threads",
        "1",
        &file,
    ]);
    let run = util::run_with_closed_stdout(cmd).code(2);
    run.skipped_line("corpus/mixed.jsonl:2");
    assert_good_searchable(&env);
}

#[test]
fn ingest_into_a_closed_pipe_exits_0_quietly() {
    let env = TestEnv::new();
    let file = write_good(&env);
    let mut cmd = env.command();
    cmd.args([
        "ingest",
        "--index",
        env.index().to_str().unwrap(),
        "--threads",
        "1",
        &file,
    ]);
    util::run_with_closed_stdout(cmd).code(0).stderr_empty();
    assert_good_searchable(&env);
}

#[test]
fn hyphen_group_repeating_its_own_join_is_indexed() {
    // "Ki-Modell-Kimodell": the join `kimodell` (position 0) was emitted after
    // the part `kimodell` (position 2), and tantivy's indexing thread panicked
    // on the decreasing positions: the whole ingest failed.
    let env = TestEnv::new();
    let body = format!(
        "Das Ki-Modell-Kimodell ist ein Wortspiel. {}",
        paragraph("Sprachmodelle", 300)
    );
    env.ingest_records("kimodell.jsonl", &[article("kimodell", "Titel", &body)])
        .success();
    assert_eq!(sorted_ids(&env.hits(&["Kimodell"])), ["kimodell"]);
}

/// Nine nested YAML aliases in 384 bytes: expanded, they grow to gigabytes.
#[test]
fn billion_laughs_front_matter_is_rejected_and_the_run_goes_on() {
    let env = TestEnv::new();
    let mut yaml = String::from("---\na: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n");
    for (below, name) in "abcdefgh".chars().zip("bcdefghi".chars()) {
        yaml += &format!(
            "{name}: &{name} [{}]\n",
            vec![format!("*{below}"); 9].join(",")
        );
    }
    yaml += "---\nText\n";
    assert!(yaml.len() < 400, "{}", yaml.len());
    let bomb = env.write("docs/bomb.md", &yaml);
    env.write(
        "docs/good.md",
        "---\nid: gut\ntitle: Gut\n---\nEin Text über Rechenzentren und ihre Kühlung.\n",
    );
    let run = env.ingest(&["--json", "corpus/docs"]).code(2);
    let line = run.skipped_line(&bomb);
    assert!(line.contains("aliases"), "{line}");
    let summary = run.summary();
    assert_eq!((summary.added, summary.rejected), (1, 1));
}
