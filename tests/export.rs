//! `lupe export --format elasticsearch`: valid files, every passage once,
//! and only analysis components that Elasticsearch and OpenSearch ship.

use std::collections::BTreeSet;

mod util;
use util::{TestEnv, full_article, lupe};

/// Analysis components built into both Elasticsearch and OpenSearch.
const SHIPPED: &[&str] = &[
    "custom",
    "whitespace",
    "standard",
    "word_delimiter_graph",
    "lowercase",
    "stop",
    "german_normalization",
    "dictionary_decompounder",
    "snowball",
    "asciifolding",
    "flatten_graph",
    "unique",
    "BM25",
];

#[test]
fn export_writes_valid_files_with_every_passage_once() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let corpus = env!("CARGO_MANIFEST_DIR").to_string() + "/corpus";
    let out = lupe()
        .args(["ingest", "-q", "-j", "1", "--index"])
        .arg(&index)
        .arg(&corpus)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stats = lupe()
        .args(["stats", "--json", "--index"])
        .arg(&index)
        .output()
        .unwrap();
    let stats: serde_json::Value = serde_json::from_slice(&stats.stdout).unwrap();

    let target = dir.path().join("es");
    let out = lupe()
        .args([
            "export",
            "--format",
            "elasticsearch",
            "--index-name",
            "news",
            "--index",
        ])
        .arg(&index)
        .arg(&target)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // bulk.ndjson: action/document pairs, one per passage, ids unique.
    let bulk = std::fs::read_to_string(target.join("bulk.ndjson")).unwrap();
    let lines: Vec<serde_json::Value> = bulk
        .lines()
        .map(|l| serde_json::from_str(l).expect("valid JSON line"))
        .collect();
    assert_eq!(lines.len() % 2, 0);
    let mut ids = BTreeSet::new();
    let mut per_article: std::collections::BTreeMap<String, Vec<u64>> = Default::default();
    for pair in lines.chunks(2) {
        let action = &pair[0]["index"];
        let doc = &pair[1];
        // No _index: the URL of the bulk request decides (README).
        assert!(action.get("_index").is_none(), "{action}");
        let id = action["_id"].as_str().unwrap().to_string();
        assert_eq!(doc["passage_id"], id.as_str());
        for field in [
            "article_id",
            "passage",
            "title",
            "date",
            "source",
            "url",
            "text",
            "lupe_terms",
            "lupe_title_terms",
        ] {
            assert!(doc.get(field).is_some(), "{field} missing in {doc}");
        }
        // lupe's own terms: lowercase stems, space separated, beside the text.
        let terms = doc["lupe_terms"].as_str().unwrap();
        assert!(!terms.is_empty() && !terms.contains("  "), "{terms}");
        assert!(!doc["text"].as_str().unwrap().is_empty());
        per_article
            .entry(doc["article_id"].as_str().unwrap().into())
            .or_default()
            .push(doc["passage"].as_u64().unwrap());
        assert!(ids.insert(id.clone()), "passage {id} exported twice");
    }
    assert_eq!(ids.len() as u64, stats["passages"].as_u64().unwrap());
    assert_eq!(
        per_article.len() as u64,
        stats["articles"].as_u64().unwrap()
    );
    for (article, ordinals) in per_article {
        let want: Vec<u64> = (0..ordinals.len() as u64).collect();
        assert_eq!(ordinals, want, "{article}");
    }

    // index.json: settings and mappings built from shipped components only.
    let settings: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(target.join("index.json")).unwrap()).unwrap();
    let analysis = &settings["settings"]["analysis"];
    let defined: BTreeSet<&str> = analysis["filter"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut types = Vec::new();
    for group in [
        "filter",
        "analyzer",
        "tokenizer",
        "normalizer",
        "char_filter",
    ] {
        if let Some(items) = analysis[group].as_object() {
            for item in items.values() {
                if let Some(t) = item["type"].as_str() {
                    types.push(t.to_string());
                }
            }
        }
    }
    for analyzer in analysis["analyzer"].as_object().unwrap().values() {
        types.push(analyzer["tokenizer"].as_str().unwrap().to_string());
        for filter in analyzer["filter"].as_array().unwrap() {
            let name = filter.as_str().unwrap();
            if !defined.contains(name) {
                types.push(name.to_string());
            }
        }
    }
    for t in &types {
        assert!(
            SHIPPED.contains(&t.as_str()),
            "{t} is not a built-in analysis component"
        );
    }
    let similarity = &settings["settings"]["index"]["similarity"]["lupe_bm25"];
    assert_eq!(
        (similarity["k1"].as_f64(), similarity["b"].as_f64()),
        (Some(1.2), Some(0.75))
    );
    let properties = settings["mappings"]["properties"].as_object().unwrap();
    for field in [
        "article_id",
        "passage_id",
        "passage",
        "title",
        "date",
        "source",
        "url",
        "text",
        "lupe_terms",
        "lupe_title_terms",
    ] {
        assert!(properties.contains_key(field), "mapping for {field}");
    }
    assert_eq!(
        settings["settings"]["analysis"]["analyzer"]
            [properties["lupe_terms"]["analyzer"].as_str().unwrap()]["tokenizer"],
        "whitespace"
    );

    // The word files the settings point to exist and hold lupe's lists.
    let words = std::fs::read_to_string(target.join("analysis/lupe_words_de.txt")).unwrap();
    // Normalised as german_normalization does (the decompounder runs after it).
    for w in ["sicherheit", "lucke", "modell", "daten"] {
        assert!(
            words.lines().any(|l| l == w),
            "{w} missing from the dictionary"
        );
    }
    let stop = std::fs::read_to_string(target.join("analysis/lupe_stopwords_de.txt")).unwrap();
    assert!(stop.lines().any(|l| l == "dass"));
    let readme = std::fs::read_to_string(target.join("README.md")).unwrap();
    assert!(readme.contains("What still differs") && readme.contains("When to move to a cluster"));
}

/// A small index for the es-query tests.
fn es_env() -> TestEnv {
    let env = TestEnv::new();
    env.ingest_records(
        "news.jsonl",
        &[
            full_article(
                "luecke",
                "Sicherheitslücke entdeckt",
                "Eine Sicherheitslücke im KI-Modell wurde gemeldet.",
                "2024-03-12",
                "KI-Kurier",
            ),
            full_article(
                "pflege",
                "Pflege",
                "Die Pflege braucht Daten.",
                "2025-01-15",
                "Netzspiegel",
            ),
        ],
    );
    env
}

#[test]
fn query_format_es_query_prints_the_body_and_searches_nothing() {
    let env = es_env();
    let run = env
        .query(&[
            "--format",
            "es-query",
            "-n",
            "5",
            "Sicherheitslücke -Pflege",
        ])
        .code(0);
    let body: serde_json::Value = serde_json::from_str(&run.stdout()).expect("one JSON body");
    assert_eq!(body["size"], 5);
    let query = &body["query"]["bool"];
    let must = query["must"][0].to_string();
    assert!(
        must.contains(r#"{"term":{"lupe_terms":{"value":"sicherheitsluck"}}}"#),
        "{must}"
    );
    assert!(must.contains("lupe_title_terms"), "{must}");
    assert!(
        query["must_not"][0]
            .to_string()
            .contains(r#""value":"pfleg""#)
    );

    // Only stop words: no body, exit 1, and why.
    let run = env.query(&["--format", "es-query", "der die das"]).code(1);
    assert!(run.stdout().is_empty() && run.stderr().contains("nothing to search"));
    // --json and --format exclude each other.
    env.query(&["--json", "--format", "es-query", "KI"]).code(2);
}

#[test]
fn batch_format_es_query_prints_one_id_and_body_per_query() {
    let env = es_env();
    let input = env.write(
        "queries.jsonl",
        "{\"id\": \"q1\", \"query\": \"Pflege\", \"source\": \"netzspiegel\"}\nKI-Modell\nder\n{bad\n",
    );
    let run = env.run([
        "batch",
        "--index",
        env.index().to_str().unwrap(),
        "--format",
        "es-query",
        &input,
    ]);
    let lines: Vec<serde_json::Value> = run
        .stdout()
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert_eq!(lines.len(), 4, "{}", run.stdout());
    assert_eq!(lines[0]["id"], "q1");
    assert_eq!(
        lines[0]["body"]["query"]["bool"]["filter"][0],
        serde_json::json!({"term": {"source": "netzspiegel"}})
    );
    assert_eq!(lines[1]["id"], 2);
    assert!(
        lines[1]["body"]
            .to_string()
            .contains(r#""value":"kimodell""#),
        "{}",
        lines[1]
    );
    assert!(lines[2]["body"].is_null() && lines[2]["nothing"].is_string());
    assert!(lines[3]["error"].is_string(), "{}", lines[3]);
    assert_eq!(run.exit_code(), 2, "a bad line fails the batch");
}

#[test]
fn bulk_splits_at_the_size_limit_on_pair_boundaries() {
    let env = es_env();
    let export = |dir: &str, extra: &[&str]| {
        let mut args = vec![
            "export",
            "--format",
            "elasticsearch",
            "--index",
            env.index().to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        args.push(dir);
        env.run(args).code(0);
        env.root().join(dir)
    };
    let whole = export("whole", &[]);
    let one = std::fs::read_to_string(whole.join("bulk.ndjson")).unwrap();
    assert!(!whole.join("bulk-0001.ndjson").exists());

    // A limit below one pair: every pair is a part of its own, in order.
    let split = export("split", &["--bulk-max-bytes", "10", "--inline-word-lists"]);
    assert!(!split.join("bulk.ndjson").exists());
    let mut parts = Vec::new();
    for n in 1.. {
        let path = split.join(format!("bulk-{n:04}.ndjson"));
        if !path.exists() {
            break;
        }
        parts.push(std::fs::read_to_string(path).unwrap());
    }
    assert_eq!(parts.len(), one.lines().count() / 2, "one pair per part");
    for part in &parts {
        let lines: Vec<serde_json::Value> = part
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2);
        assert!(lines[0]["index"]["_id"].is_string() && lines[1]["text"].is_string());
    }
    assert_eq!(
        parts.concat(),
        one,
        "the parts are the whole file, in order"
    );

    // --inline-word-lists: the lists are inside index.json.
    let settings: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(split.join("index.json")).unwrap()).unwrap();
    let filters = &settings["settings"]["analysis"]["filter"];
    assert!(
        filters["lupe_decompound"]["word_list"]
            .as_array()
            .unwrap()
            .len()
            > 1000
    );
    assert!(
        filters["lupe_stop"]["stopwords"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w == "dass")
    );
    let readme = std::fs::read_to_string(split.join("README.md")).unwrap();
    assert!(readme.contains("`bulk-0001.ndjson`") && readme.contains("nothing"));

    // A smaller re-export with --force leaves no stale part behind.
    env.run([
        "export",
        "--format",
        "elasticsearch",
        "--force",
        "--index",
        env.index().to_str().unwrap(),
        "split",
    ])
    .code(0);
    assert!(split.join("bulk.ndjson").exists() && !split.join("bulk-0001.ndjson").exists());
}

#[test]
fn search_template_is_a_mustache_script_that_stays_json_with_quotes() {
    let env = es_env();
    env.run([
        "export",
        "--format",
        "elasticsearch",
        "--index",
        env.index().to_str().unwrap(),
        "es",
    ])
    .code(0);
    let template: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(env.root().join("es/search-template.json")).unwrap(),
    )
    .expect("search-template.json is JSON");
    assert_eq!(template["script"]["lang"], "mustache");
    let source = template["script"]["source"].as_str().unwrap();
    let query = r#"Sicherheitslücke "KI-Modell" \ Router"#;
    let filled = source.replace(
        "{{#toJson}}query{{/toJson}}",
        &serde_json::to_string(query).unwrap(),
    );
    assert!(!filled.contains("{{"), "one parameter only: {source}");
    let body: serde_json::Value = serde_json::from_str(&filled).expect("valid JSON");
    assert_eq!(
        body["query"]["bool"]["must"][0]["match"]["title_text"]["query"],
        query
    );
    // The fields it searches are in the mappings.
    let settings: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(env.root().join("es/index.json")).unwrap())
            .unwrap();
    let properties = &settings["mappings"]["properties"];
    assert_eq!(properties["text"]["copy_to"], "title_text");
    assert_eq!(properties["title_text"]["analyzer"], "lupe_german_index");
}
