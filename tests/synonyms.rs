//! Synonyms end to end: lupe's thesaurus at query time, a user's own files
//! (`--synonyms FILE`, `synonyms.txt` in the index folder), what
//! `lupe analyze --query` shows, and malformed files.

mod util;
use util::{TestEnv, article};

/// Articles written for these tests: one says only "KI", one the words as
/// typed, one has the letters "Ki" in a name.
fn env() -> TestEnv {
    let env = TestEnv::new();
    env.ingest_records(
        "news.jsonl",
        &[
            article(
                "nur-ki",
                "Stadtverwaltung setzt auf KI",
                "Die Stadtverwaltung bearbeitet Anträge jetzt mit KI. Die KI sortiert \
                 die Post und schlägt Antworten vor, die ein Mensch freigibt.",
            ),
            article(
                "wortlaut",
                "Stadtverwaltung setzt auf neue Software",
                "Die Stadtverwaltung bearbeitet Anträge jetzt mit künstlicher Intelligenz. \
                 Ein Mensch gibt jede Antwort frei, bevor sie verschickt wird.",
            ),
            article(
                "ki-moon",
                "Besuch aus New York",
                "Der frühere Generalsekretär Ban Ki-moon besuchte die Stadtverwaltung \
                 und sprach über Klimaschutz und Entwicklung.",
            ),
            article(
                "rueckkuehler",
                "Neues Dach für das Rathaus",
                "Auf dem Dach des Rathauses wurde der alte Rückkühler durch ein \
                 leiseres Gerät ersetzt, das weniger Strom braucht.",
            ),
        ],
    );
    env
}

#[test]
fn a_phrase_finds_its_acronym_below_the_words_as_typed() {
    let env = env();
    let found = env.found(&["künstliche Intelligenz"]);
    assert_eq!(found, ["wortlaut", "nur-ki"], "words as typed first");
    // A one-word synonym is highlighted like a word typed.
    let hits = env.hits(&["künstliche Intelligenz"]);
    let nur_ki = hits.iter().find(|h| h.article_id == "nur-ki").unwrap();
    assert!(
        nur_ki.highlighted().contains(&"KI".to_string()),
        "{:?}",
        nur_ki.highlighted()
    );
    // The acronym's expansion is the acronym only: not Ban Ki-moon.
    let found = env.found(&["KI"]);
    assert_eq!(found, ["nur-ki", "wortlaut"]);
}

#[test]
fn synonyms_can_be_turned_off() {
    let env = env();
    assert_eq!(
        env.found(&["künstliche Intelligenz", "--no-synonyms"]),
        ["wortlaut"]
    );
    // A quoted phrase means exactly its words.
    assert_eq!(env.found(&["\"künstliche Intelligenz\""]), ["wortlaut"]);
}

#[test]
fn a_synonym_file_adds_groups() {
    let env = env();
    env.query(&["Kühlanlage"]).code(1);
    std::fs::write(
        env.root().join("eigene.txt"),
        "# our words\nKühlanlage, Rückkühler\n",
    )
    .unwrap();
    assert_eq!(
        env.found(&["Kühlanlage", "--synonyms", "eigene.txt"]),
        ["rueckkuehler"]
    );
    // batch takes the same option.
    let run = env
        .run_with_stdin(
            [
                "batch",
                "--index",
                env.index().to_str().unwrap(),
                "--format",
                "tsv",
                "--synonyms",
                "eigene.txt",
            ],
            b"K\xc3\xbchlanlage\n",
        )
        .success();
    assert!(run.stdout().contains("rueckkuehler#0"), "{run}");
}

#[test]
fn the_index_folder_synonym_file_is_read_by_every_query() {
    let env = env();
    std::fs::write(env.index().join("synonyms.txt"), "Kühlanlage, Rückkühler\n").unwrap();
    assert_eq!(env.found(&["Kühlanlage"]), ["rueckkuehler"]);
    // It extends lupe's thesaurus, which still applies.
    assert_eq!(
        env.found(&["künstliche Intelligenz"]),
        ["wortlaut", "nur-ki"]
    );
    env.query(&["Kühlanlage", "--no-synonyms"]).code(1);
}

#[test]
fn analyze_shows_what_a_query_expands_to() {
    let env = env();
    let run = env
        .run([
            "analyze",
            "--query",
            "künstliche Intelligenz im Rechenzentrum",
        ])
        .success();
    let out = run.stdout();
    assert!(out.contains("künstliche Intelligenz → KI |"), "{run}");
    assert!(out.contains("Rechenzentrum → Datacenter"), "{run}");
    // In JSON, each term of a run of words carries the run's synonyms.
    let run = env
        .run(["analyze", "--query", "--json", "KI und Chips"])
        .success();
    let rows: Vec<serde_json::Value> = run
        .stdout()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let ki = rows.iter().find(|r| r["term"] == "KI").unwrap();
    assert!(
        ki["synonyms"]
            .as_array()
            .unwrap()
            .contains(&"künstliche Intelligenz".into()),
        "{run}"
    );
    let chip = rows.iter().find(|r| r["term"] == "chip").unwrap();
    assert!(
        chip["synonyms"]
            .as_array()
            .unwrap()
            .contains(&"Halbleiter".into()),
        "{run}"
    );
    let und = rows.iter().find(|r| r["word"] == "und").unwrap();
    assert!(und.get("synonyms").is_none(), "{run}");
    // Without --query there is no query, and no synonyms.
    let run = env.run(["analyze", "KI"]).success();
    assert!(!run.stdout().contains("synonyms"), "{run}");
    // The user's files show too.
    std::fs::write(env.root().join("eigene.txt"), "Kühlanlage, Rückkühler\n").unwrap();
    let run = env
        .run([
            "analyze",
            "--query",
            "--synonyms",
            "eigene.txt",
            "Kühlanlage",
        ])
        .success();
    assert!(run.stdout().contains("Kühlanlage → Rückkühler"), "{run}");
}

#[test]
fn a_malformed_synonym_file_is_an_error_with_file_and_line() {
    let env = env();
    std::fs::write(
        env.root().join("kaputt.txt"),
        "# ok so far\nGPU, Grafikprozessor\nnur ein Eintrag\n",
    )
    .unwrap();
    let run = env.query(&["KI", "--synonyms", "kaputt.txt"]).code(2);
    let err = run.stderr();
    assert!(err.contains("kaputt.txt:3:"), "{run}");
    assert!(err.contains("at least two entries"), "{run}");
    std::fs::write(env.root().join("leer.txt"), "KI, der die das\n").unwrap();
    let run = env.query(&["KI", "--synonyms", "leer.txt"]).code(2);
    assert!(run.stderr().contains("leer.txt:1:"), "{run}");
    assert!(run.stderr().contains("stop words"), "{run}");
    // A file that does not exist is named.
    let run = env.query(&["KI", "--synonyms", "fehlt.txt"]).code(2);
    assert!(run.stderr().contains("fehlt.txt"), "{run}");
    // The index folder's file is checked the same way.
    std::fs::write(env.index().join("synonyms.txt"), "a => b\n").unwrap();
    let run = env.query(&["KI"]).code(2);
    assert!(run.stderr().contains("synonyms.txt:1:"), "{run}");
    assert!(run.stderr().contains("one-way"), "{run}");
}
