//! Index management end to end: stats, show, delete, rebuild, check.

use std::path::{Path, PathBuf};
use std::process::Output;

mod util;
use util::{lupe, show};

fn long(words: &str) -> String {
    format!("{words} ").repeat(30)
}

struct Env {
    _dir: tempfile::TempDir,
    index: PathBuf,
}

impl Env {
    /// Four articles from two sources over three years; a has two passages.
    fn new() -> Env {
        let dir = tempfile::tempdir().unwrap();
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
        let corpus = dir.path().join("a.jsonl");
        let lines: Vec<String> = articles.iter().map(|a| a.to_string()).collect();
        std::fs::write(&corpus, lines.join("\n")).unwrap();
        let index = dir.path().join("index");
        let out = lupe()
            .args(["ingest", "-q", "-j", "1", "--index"])
            .arg(&index)
            .arg(&corpus)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", show(&out));
        Env { _dir: dir, index }
    }

    fn run(&self, args: &[&str]) -> Output {
        lupe()
            .args(args)
            .arg("--index")
            .arg(&self.index)
            .output()
            .unwrap()
    }

    fn json(&self, args: &[&str]) -> serde_json::Value {
        let out = self.run(args);
        assert!(out.status.success(), "{}", show(&out));
        serde_json::from_slice(&out.stdout).unwrap()
    }

    fn ids(&self, query: &str) -> Vec<String> {
        let out = self.run(&["query", "--jsonl", "--per-article", "1", query]);
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| {
                serde_json::from_str::<serde_json::Value>(l).unwrap()["article_id"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    }
}

#[test]
fn stats_counts_articles_passages_dates_and_sources() {
    let env = Env::new();
    let s = env.json(&["stats", "--json"]);
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
    let text = String::from_utf8(env.run(&["stats"]).stdout).unwrap();
    assert!(
        text.contains("articles   4") && text.contains("KI-Kurier"),
        "{text}"
    );
}

#[test]
fn show_prints_the_stored_article() {
    let env = Env::new();
    let a = env.json(&["show", "a", "--json"]);
    assert_eq!(a["id"], "a");
    assert_eq!(a["title"], "Sicherheitslücke im Server");
    assert_eq!(a["date"], "2023-05-01");
    assert_eq!(a["url"], "https://x.example/a");
    assert_eq!(a["passages"].as_array().unwrap().len(), 2);
    assert!(a["body"].as_str().unwrap().contains("Zweiter Absatz"));
    let missing = env.run(&["show", "nope"]);
    assert_eq!(missing.status.code(), Some(1), "{}", show(&missing));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("nope"));
}

#[test]
fn delete_by_id_source_and_date_with_dry_run() {
    let env = Env::new();
    let dry = env.run(&["delete", "--source", "ki-kurier", "--dry-run"]);
    assert!(dry.status.success(), "{}", show(&dry));
    let text = String::from_utf8_lossy(&dry.stdout);
    assert!(
        text.contains("would delete a")
            && text.contains("would delete b")
            && text.contains("2 articles would"),
        "{text}"
    );
    assert_eq!(
        env.json(&["stats", "--json"])["articles"],
        4,
        "a dry run changes nothing"
    );

    let out = env.run(&["delete", "--until", "2024-02-10"]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("2 articles deleted"),
        "{}",
        show(&out)
    );
    assert_eq!(env.json(&["stats", "--json"])["articles"], 2);
    assert!(env.ids("Lücke").is_empty());

    let out = env.run(&["delete", "c", "zzz"]);
    assert!(out.status.success(), "{}", show(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("zzz"));
    let s = env.json(&["stats", "--json"]);
    assert_eq!(
        (s["articles"].as_u64(), s["passages"].as_u64()),
        (Some(1), Some(1))
    );

    let none = env.run(&["delete", "--source", "Niemand"]);
    assert_eq!(none.status.code(), Some(1));
    let usage = env.run(&["delete"]);
    assert_eq!(
        usage.status.code(),
        Some(2),
        "needs ids, --source or --until"
    );
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
    let env = Env::new();
    let before = env.json(&["show", "a", "--json"]);
    age(&env.index);
    let refused = env.run(&["query", "Lücke"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("lupe rebuild"),
        "{}",
        show(&refused)
    );

    let out = env.run(&["rebuild", "-q"]);
    assert!(out.status.success(), "{}", show(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("4 articles") && text.contains("v0") && text.contains("in place"),
        "{text}"
    );

    assert_eq!(
        env.json(&["show", "a", "--json"]),
        before,
        "the article survives unchanged"
    );
    assert_eq!(env.ids("Lücke"), ["a"]);
    let check = env.run(&["check"]);
    assert!(check.status.success(), "{}", show(&check));
    assert_eq!(env.json(&["stats", "--json"])["passages"], 5);
}

#[test]
fn check_reports_a_complete_index() {
    let env = Env::new();
    let out = env.run(&["check"]);
    assert!(out.status.success(), "{}", show(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("4 articles, 5 passages, all complete"));
}
