//! German matching, end to end: compounds, spelling variants, gender forms,
//! and the precision rules that keep them from over-matching. Each case of
//! the German-matching issue is its own test, run against one shared index
//! built once from the fixtures below by the real `lupe` binary.

use std::path::PathBuf;
use std::sync::OnceLock;

mod util;
use util::{describe, lupe, show};

/// One article per spelling, so a hit's article id names the spelling found.
/// Each body is long enough to be a passage of its own.
const ARTICLES: &[(&str, &str)] = &[
    (
        "sicherheitsluecke",
        "Forscher melden eine schwere Sicherheitslücke im Inferenzserver.",
    ),
    (
        "sicherheitsluecken",
        "Im vergangenen Jahr wurden viele Sicherheitslücken in Werkzeugen gefunden.",
    ),
    (
        "it-sicherheit",
        "Die IT-Sicherheit der Behörden gilt als unzureichend ausgestattet.",
    ),
    (
        "cybersicherheit",
        "Cybersicherheit steht ganz oben auf der Agenda der Bundesregierung.",
    ),
    (
        "sprachmodelle",
        "Große Sprachmodelle werden in vielen Firmen eingesetzt.",
    ),
    (
        "ki-modellen",
        "Mit KI-Modellen lassen sich Texte zusammenfassen.",
    ),
    (
        "basismodell",
        "Das neue Basismodell wurde mit offenen Gewichten veröffentlicht.",
    ),
    ("chipexporte", "Die Chipexporte nach Asien brechen ein."),
    (
        "ki-chips",
        "Europa fehlt eine eigene Fertigung für KI-Chips.",
    ),
    (
        "trainingsdaten",
        "Die Herkunft der Trainingsdaten bleibt umstritten.",
    ),
    (
        "open-source",
        "Die Open-Source-Gemeinde diskutiert neue Lizenzen.",
    ),
    (
        "open-space-source",
        "Die Open Source Initiative diskutiert neue Lizenzen.",
    ),
    ("opensource", "Die Opensource-Bewegung wächst weiter."),
    (
        "open-source-software",
        "Behörden setzen verstärkt auf Open-Source-Software.",
    ),
    (
        "mueller",
        "Der Sprecher Jens Mueller äußerte sich nicht zum Vorfall.",
    ),
    (
        "mueller-umlaut",
        "Die Sprecherin Anna Müller kündigte eine Prüfung an.",
    ),
    ("groesser", "Die Modelle werden immer größer und teurer."),
    (
        "strasse",
        "Das Rechenzentrum liegt an der Straße nach Norden.",
    ),
    (
        "entwicklerinnen",
        "Entwicklerinnen bauen die Schnittstelle neu.",
    ),
    (
        "entwickler-colon",
        "Entwickler:innen fordern mehr Zeit für Tests.",
    ),
    (
        "entwickler-star",
        "Entwickler*innen kritisieren die Vorgaben.",
    ),
    ("entwickler-binnen-i", "EntwicklerInnen warnen vor Hektik."),
    ("openais", "OpenAIs neues Modell sorgt für Diskussionen."),
    (
        "kis",
        "Die KIs der großen Anbieter liefern ähnliche Ergebnisse.",
    ),
    (
        "rechenzentren",
        "Neue Rechenzentren entstehen in Skandinavien.",
    ),
    ("ueber", "Die Debatte über Regulierung geht weiter."),
    ("uber", "Der Fahrdienst Uber testet autonome Fahrzeuge."),
    ("beinhalten", "Die Verträge beinhalten strenge Auflagen."),
    ("bein", "Der Roboter hat ein drittes Bein bekommen."),
    ("verbraucher", "Verbraucher sollen besser geschützt werden."),
    (
        "sicher-adverb",
        "Sie ist sicher, dass das Projekt gelingt, und sicher ist sicher.",
    ),
    (
        "sicherheit",
        "Die Sicherheit der Nutzerdaten hat Vorrang vor allem anderen.",
    ),
    (
        "teile-getrennt",
        "Die Sicherheit der Anlage ist hoch. Eine Lücke im Zaun wurde geschlossen.",
    ),
    (
        "strassenbahnen",
        "Die Straßenbahn nach Norden fällt aus, und die Straßenbahn nach Süden fährt verspätet.",
    ),
    ("oecd", "Die OECD legt ihren Bericht zur Bildung vor."),
    (
        "ocd",
        "Die Diagnose OCD betrifft Menschen mit Zwangsstörungen.",
    ),
    (
        "strasse-gesperrt",
        "Die Straße im Norden der Stadt ist seit dem frühen Morgen wegen Bauarbeiten gesperrt.",
    ),
];

/// The shared index (built once per test process).
fn index() -> &'static PathBuf {
    static INDEX: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &INDEX
        .get_or_init(|| {
            let dir = tempfile::tempdir().expect("temp dir");
            let corpus = dir.path().join("articles.jsonl");
            let lines: Vec<String> = ARTICLES
                .iter()
                .map(|(id, text)| {
                    serde_json::json!({"id": id, "title": "", "body": text}).to_string()
                })
                .collect();
            std::fs::write(&corpus, lines.join("\n")).expect("write corpus");
            let index = dir.path().join("index");
            let mut cmd = lupe();
            cmd.args(["ingest", "-q", "-j", "1", "--index"])
                .arg(&index)
                .arg(&corpus);
            let out = cmd.output().expect("run lupe ingest");
            assert!(out.status.success(), "{}\n{}", describe(&cmd), show(&out));
            (dir, index)
        })
        .1
}

/// Article ids of the hits for `query`, best first (all hits, one per article).
fn found(query: &str) -> Vec<String> {
    hits(query)
        .into_iter()
        .map(|h| h["article_id"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn hits(query: &str) -> Vec<serde_json::Value> {
    let mut cmd = lupe();
    cmd.args([
        "query",
        "--jsonl",
        "-n",
        "50",
        "--per-article",
        "1",
        "--index",
    ])
    .arg(index())
    .arg("--")
    .arg(query);
    let out = cmd.output().expect("run lupe query");
    let code = out.status.code();
    assert!(
        code == Some(0) || code == Some(1),
        "{}\n{}",
        describe(&cmd),
        show(&out)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON hit per line"))
        .collect()
}

/// Where `id` is in `got` (0 = first), if it is there.
fn rank(got: &[String], id: &str) -> Option<usize> {
    got.iter().position(|g| g == id)
}

#[track_caller]
fn assert_finds(query: &str, ids: &[&str]) {
    let got = found(query);
    for id in ids {
        assert!(
            got.iter().any(|g| g == id),
            "query {query:?} should find {id:?}; found {got:?}"
        );
    }
}

#[track_caller]
fn assert_misses(query: &str, id: &str) {
    let got = found(query);
    assert!(
        !got.iter().any(|g| g == id),
        "query {query:?} must not find {id:?}; found {got:?}"
    );
}

#[test]
fn sicherheit_finds_compounds_with_it() {
    assert_finds(
        "Sicherheit",
        &[
            "sicherheitsluecke",
            "sicherheitsluecken",
            "it-sicherheit",
            "cybersicherheit",
        ],
    );
}

#[test]
fn luecke_finds_sicherheitsluecke() {
    assert_finds("Lücke", &["sicherheitsluecke", "sicherheitsluecken"]);
}

#[test]
fn modell_finds_compounds_and_inflections() {
    assert_finds("Modell", &["sprachmodelle", "ki-modellen", "basismodell"]);
}

#[test]
fn chip_and_export() {
    assert_finds("Chip", &["chipexporte", "ki-chips"]);
    assert_finds("Export", &["chipexporte"]);
}

#[test]
fn daten_and_training() {
    assert_finds("Daten", &["trainingsdaten"]);
    assert_finds("Training", &["trainingsdaten"]);
}

#[test]
fn open_source_spellings_find_one_another() {
    let all = [
        "open-source",
        "open-space-source",
        "opensource",
        "open-source-software",
    ];
    for query in ["Open Source", "Open-Source", "Opensource"] {
        assert_finds(query, &all);
    }
}

#[test]
fn umlaut_transliterations() {
    assert_finds("Müller", &["mueller", "mueller-umlaut"]);
    assert_finds("Mueller", &["mueller", "mueller-umlaut"]);
    assert_finds("Sicherheitsluecke", &["sicherheitsluecke"]);
    assert_finds("groesser", &["groesser"]);
    assert_finds("Strasse", &["strasse"]);
    assert_finds("Straße", &["strasse"]);
}

#[test]
fn gender_forms() {
    assert_finds(
        "Entwickler",
        &[
            "entwicklerinnen",
            "entwickler-colon",
            "entwickler-star",
            "entwickler-binnen-i",
        ],
    );
}

#[test]
fn genitive_and_plural_s_after_vowel() {
    assert_finds("OpenAI", &["openais"]);
    assert_finds("KI", &["kis"]);
}

#[test]
fn irregular_plural_of_compound() {
    assert_finds("Rechenzentrum", &["rechenzentren"]);
}

#[test]
fn typo_falls_back_to_close_spellings_with_highlights() {
    let hits = hits("Sicherheitslüke");
    let first = hits.first().expect("the typo fallback finds something");
    assert!(
        first["article_id"]
            .as_str()
            .unwrap()
            .starts_with("sicherheitsluecke"),
        "{hits:?}"
    );
    let text = first["text"].as_str().unwrap();
    let [start, end] = [0, 1].map(|i| first["highlights"][0][i].as_u64().unwrap() as usize);
    let marked: String = text.chars().skip(start).take(end - start).collect();
    assert!(
        marked.starts_with("Sicherheitslücke"),
        "highlighted {marked:?} in {text:?}"
    );
}

#[test]
fn uber_is_not_ueber() {
    assert_finds("Uber", &["uber"]);
    assert_misses("Uber", "ueber");
}

#[test]
fn bein_does_not_find_beinhalten() {
    assert_finds("Bein", &["bein"]);
    assert_misses("Bein", "beinhalten");
}

#[test]
fn verb_does_not_find_verbraucher() {
    assert_misses("Verb", "verbraucher");
}

#[test]
fn sicherheit_ranks_above_the_adverb_sicher() {
    let got = found("Sicherheit");
    let noun = rank(&got, "sicherheit").expect("finds Sicherheit");
    if let Some(adverb) = rank(&got, "sicher-adverb") {
        assert!(noun < adverb, "{got:?}");
    }
}

#[test]
fn exact_compound_ranks_above_parts_far_apart() {
    let got = found("Sicherheitslücke");
    let compound = rank(&got, "sicherheitsluecke").expect("finds the compound");
    if let Some(apart) = rank(&got, "teile-getrennt") {
        assert!(compound < apart, "{got:?}");
    }
}

#[test]
fn the_word_itself_ranks_above_the_word_inside_compounds() {
    // "Straßenbahn" twice against "Straße" once: as a part of a compound
    // the word still finds the passage, but weighs less than itself.
    let got = found("Straße");
    let word = rank(&got, "strasse-gesperrt").expect("finds Straße");
    let part = rank(&got, "strassenbahnen").expect("finds Straßenbahn through its part");
    assert!(word < part, "{got:?}");
}

#[test]
fn a_long_query_still_finds_a_word_inside_compounds() {
    // In a long query compound parts barely count for the rank, but a
    // passage that has a query word only inside a compound is still found.
    assert_finds(
        "Wo genau wurde die Lücke von den Prüfern gestern entdeckt",
        &["sicherheitsluecke"],
    );
}

#[test]
fn an_acronym_is_matched_as_written() {
    // OECD's "oe" is no umlaut: the acronym must not become OCD.
    assert_finds("OECD", &["oecd"]);
    assert_misses("OECD", "ocd");
    assert_finds("OCD", &["ocd"]);
    assert_misses("OCD", "oecd");
}

#[test]
fn a_part_highlights_the_whole_compound() {
    let hits = hits("Lücke");
    let hit = hits
        .iter()
        .find(|h| h["article_id"] == "sicherheitsluecke")
        .expect("finds the compound");
    let text = hit["text"].as_str().unwrap();
    let [start, end] = [0, 1].map(|i| hit["highlights"][0][i].as_u64().unwrap() as usize);
    let marked: String = text.chars().skip(start).take(end - start).collect();
    assert_eq!(marked, "Sicherheitslücke");
}

#[test]
fn analyze_explains_the_terms() {
    let mut cmd = lupe();
    cmd.args([
        "analyze",
        "Sicherheitslücken",
        "KI-Modelle",
        "Rechenzentren",
    ]);
    let out = cmd.output().expect("run lupe analyze");
    assert!(out.status.success(), "{}\n{}", describe(&cmd), show(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    for expected in [
        "compound-part",
        "hyphen-join",
        "irregular-plural",
        "sicherheit",
        "luck",
        "kimodell",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    let mut cmd = lupe();
    cmd.args(["analyze", "--query", "--json", "Open-Source"]);
    let out = cmd.output().expect("run lupe analyze");
    let rows: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let terms: Vec<&str> = rows.iter().map(|r| r["term"].as_str().unwrap()).collect();
    // Joins come at the first part of their group, in position order.
    assert_eq!(terms, ["open", "opensourc", "sourc"]);
}

#[test]
fn an_index_from_another_analyzer_version_asks_for_a_rebuild() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("a.jsonl");
    std::fs::write(&corpus, r#"{"id":"a","body":"Text über Sicherheit."}"#).unwrap();
    let index = dir.path().join("index");
    let out = lupe()
        .args(["ingest", "-q", "--index"])
        .arg(&index)
        .arg(&corpus)
        .output()
        .unwrap();
    assert!(out.status.success());
    // Pretend an older lupe wrote it.
    let meta_path = index.join("meta.json");
    let mut meta: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&meta_path).unwrap()).unwrap();
    let payload = meta["payload"]
        .as_str()
        .unwrap()
        .replace("\"analyzer_version\":", "\"analyzer_version\":1000");
    meta["payload"] = payload.into();
    std::fs::write(&meta_path, meta.to_string()).unwrap();
    for args in [vec!["query", "Sicherheit"], vec!["ingest", "-q"]] {
        let mut cmd = lupe();
        cmd.args(&args).arg("--index").arg(&index);
        if args[0] == "ingest" {
            cmd.arg(&corpus);
        }
        let out = cmd.output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(2),
            "{}\n{}",
            describe(&cmd),
            show(&out)
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("rebuild") && err.contains(&*index.to_string_lossy()),
            "{err}"
        );
    }
}
