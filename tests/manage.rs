//! Index management end to end: stats, show, delete, rebuild, check.

use std::path::Path;

mod util;
use util::{Run, TestEnv};

fn long(words: &str) -> String {
    format!("{words} ").repeat(30)
}

/// An index of four articles from two sources over three years; `a` has
/// two passages.
fn indexed() -> TestEnv {
    let env = TestEnv::new();
    let articles = [
        serde_json::json!({"id": "a", "title": "Sicherheitslücke im Server", "date": "2023-05-01",
            "source": "KI-Kurier", "url": "https://x.example/a",
            "body": format!("{}\n\n{}", long("Erste Lücke gefunden."), long("Zweiter Absatz über Patches."))}),
        serde_json::json!({"id": "b", "title": "Chipexporte", "date": "2024-02-10",
            "source": "KI-Kurier", "body": long("Exportregeln für Chips.")}),
        serde_json::json!({"id": "c", "title": "Rechenzentren", "date": "2025-07-20",
            "source": "Datenblatt Berlin", "body": long("Neue Rechenzentren im Norden.")}),
        serde_json::json!({"id": "d", "title": "Ohne Datum", "body": long("Ein Text ohne Datum und Quelle.")}),
    ];
    env.ingest_records("a.jsonl", &articles);
    env
}

/// `lupe ARGS… --index <index>`.
fn run(env: &TestEnv, args: &[&str]) -> Run {
    let index = env.index().to_string_lossy().into_owned();
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--index", &index]);
    env.run(all)
}

/// The JSON printed by a successful `lupe ARGS…`.
#[track_caller]
fn json(env: &TestEnv, args: &[&str]) -> serde_json::Value {
    run(env, args).success().json()
}

/// Article ids found for `query`, one passage per article.
fn ids(env: &TestEnv, query: &str) -> Vec<String> {
    run(env, &["query", "--jsonl", "--per-article", "1", query])
        .stdout()
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["article_id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

#[test]
fn stats_counts_articles_passages_dates_and_sources() {
    let env = indexed();
    let s = json(&env, &["stats", "--json"]);
    assert_eq!(s["articles"], 4);
    assert_eq!(s["passages"], 5);
    assert_eq!(s["first_date"], "2023-05-01");
    assert_eq!(s["last_date"], "2025-07-20");
    assert_eq!(s["undated_articles"], 1);
    assert_eq!(s["sources"][0]["source"], "KI-Kurier");
    assert_eq!(s["sources"][0]["articles"], 2);
    assert_eq!(s["sources"][1]["source"], "Datenblatt Berlin");
    assert!(s["analyzer"].as_str().unwrap().starts_with("german v"));
    assert!(s["size_bytes"].as_u64().unwrap() > 0);
    let text = run(&env, &["stats"]).success().stdout();
    assert!(
        text.contains("articles   4") && text.contains("KI-Kurier"),
        "{text}"
    );
}

#[test]
fn show_prints_the_stored_article() {
    let env = indexed();
    let a = json(&env, &["show", "a", "--json"]);
    assert_eq!(a["id"], "a");
    assert_eq!(a["title"], "Sicherheitslücke im Server");
    assert_eq!(a["date"], "2023-05-01");
    assert_eq!(a["url"], "https://x.example/a");
    assert_eq!(a["passages"].as_array().unwrap().len(), 2);
    assert!(a["body"].as_str().unwrap().contains("Zweiter Absatz"));
    run(&env, &["show", "nope"]).code(1).stderr_has("nope");
}

#[test]
fn delete_by_id_source_and_date_with_dry_run() {
    let env = indexed();
    let text = run(&env, &["delete", "--source", "ki-kurier", "--dry-run"])
        .success()
        .stdout();
    assert!(
        text.contains("would delete a")
            && text.contains("would delete b")
            && text.contains("2 articles would"),
        "{text}"
    );
    assert_eq!(
        json(&env, &["stats", "--json"])["articles"],
        4,
        "a dry run changes nothing"
    );

    run(&env, &["delete", "--until", "2024-02-10"]).stdout_has("2 articles deleted");
    assert_eq!(json(&env, &["stats", "--json"])["articles"], 2);
    assert!(ids(&env, "Lücke").is_empty());

    run(&env, &["delete", "c", "zzz"])
        .success()
        .stderr_has("zzz");
    let s = json(&env, &["stats", "--json"]);
    assert_eq!(
        (s["articles"].as_u64(), s["passages"].as_u64()),
        (Some(1), Some(1))
    );

    run(&env, &["delete", "--source", "Niemand"]).code(1);
    // Needs ids, --source or --until.
    run(&env, &["delete"]).code(2);
}

/// Pretends an older lupe wrote the index.
fn age(index: &Path) {
    let meta_path = index.join("meta.json");
    let mut meta: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&meta_path).unwrap()).unwrap();
    let mut payload: serde_json::Value =
        serde_json::from_str(meta["payload"].as_str().unwrap()).unwrap();
    payload["analyzer_version"] = 0.into();
    meta["payload"] = payload.to_string().into();
    std::fs::write(&meta_path, meta.to_string()).unwrap();
}

#[test]
fn rebuild_upgrades_an_old_index_without_the_original_files() {
    let env = indexed();
    let before = json(&env, &["show", "a", "--json"]);
    age(env.index());
    run(&env, &["query", "Lücke"])
        .code(2)
        .stderr_has("lupe rebuild");

    let text = run(&env, &["rebuild", "-q"]).success().stdout();
    assert!(
        text.contains("4 articles") && text.contains("v0") && text.contains("in place"),
        "{text}"
    );

    assert_eq!(
        json(&env, &["show", "a", "--json"]),
        before,
        "the article survives unchanged"
    );
    assert_eq!(ids(&env, "Lücke"), ["a"]);
    run(&env, &["check"]).success();
    assert_eq!(json(&env, &["stats", "--json"])["passages"], 5);
}

#[test]
fn check_reports_a_complete_index() {
    let env = indexed();
    run(&env, &["check"])
        .success()
        .stdout_has("4 articles, 5 passages, all complete");
}
