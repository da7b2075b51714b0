//! Export to Elasticsearch / OpenSearch, for when one machine is not enough.
//!
//! Writes everything a cluster needs to serve the same passages with the
//! closest analysis these engines ship: the documents as a `_bulk` file,
//! index settings and mappings, lupe's dictionary and stop list as word
//! files, and a README that says what still differs.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use serde_json::json;

use crate::analysis::{Analyzer, Side, decompound, word};
use crate::error::{Error, Result};
use crate::index::LupeIndex;
use crate::index::articles::ArticleReader;
use crate::search::RankingOptions;

/// Dictionary words exported for the decompounder: frequent enough to be
/// compound parts. Lucene's decompounder splits at *every* dictionary word
/// it finds, so rare words would split far more than lupe does.
const EXPORT_MIN_ZIPF: f32 = 3.0;
/// Lucene's decompounder ignores subwords longer than this by default.
const EXPORT_MAX_PART_CHARS: usize = 15;

/// Files of an export, relative to its folder.
pub const BULK_FILE: &str = "bulk.ndjson";
/// Settings and mappings.
pub const INDEX_FILE: &str = "index.json";
/// Dictionary for `dictionary_decompounder` (`word_list_path`).
pub const WORDS_FILE: &str = "analysis/lupe_words_de.txt";
/// Stop list (`stopwords_path`).
pub const STOPWORDS_FILE: &str = "analysis/lupe_stopwords_de.txt";

/// lupe's own index terms of a passage's text, space separated (see
/// [`Analyzer::flat_terms`]), analysed by a plain whitespace analyzer.
pub const TERMS_FIELD: &str = "lupe_terms";
/// lupe's own index terms of the article's title.
pub const TITLE_TERMS_FIELD: &str = "lupe_title_terms";
/// The analyzer of the two terms fields: whitespace, nothing else.
const TERMS_ANALYZER: &str = "lupe_terms";

/// The export's README, with `{placeholders}` filled in by [`readme`].
const README_TEMPLATE: &str = include_str!("export/cluster-readme.md");

/// What an export wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ExportSummary {
    /// Articles exported.
    pub articles: u64,
    /// Passages (documents) exported.
    pub passages: u64,
    /// Words in the decompounder dictionary.
    pub dictionary_words: u64,
    /// The folder written.
    pub folder: PathBuf,
}

/// The analysis settings and mappings closest to lupe's own matching.
pub fn index_settings() -> serde_json::Value {
    let common_head = json!(["lupe_words", "lowercase", "lupe_stop"]);
    let common_tail = json!(["german_normalization", "lupe_stemmer", "asciifolding"]);
    let chain = |middle: &[&str]| {
        let mut filters: Vec<serde_json::Value> =
            common_head.as_array().cloned().unwrap_or_default();
        filters.extend(middle.iter().map(|f| json!(f)));
        filters.extend(common_tail.as_array().cloned().unwrap_or_default());
        filters
    };
    let mut index_filters = chain(&["lupe_decompound"]);
    index_filters.push(json!("flatten_graph"));
    json!({
        "settings": {
            "index": {
                "similarity": {
                    "lupe_bm25": {"type": "BM25", "k1": 1.2, "b": 0.75}
                }
            },
            "analysis": {
                "filter": {
                    "lupe_words": {
                        "type": "word_delimiter_graph",
                        "generate_word_parts": true,
                        "generate_number_parts": true,
                        "catenate_words": true,
                        "catenate_numbers": false,
                        "split_on_case_change": false,
                        "split_on_numerics": false,
                        "preserve_original": false,
                        "stem_english_possessive": true
                    },
                    "lupe_stop": {
                        "type": "stop",
                        "stopwords_path": STOPWORDS_FILE,
                        "ignore_case": true
                    },
                    "lupe_decompound": {
                        "type": "dictionary_decompounder",
                        "word_list_path": WORDS_FILE,
                        "min_word_size": 8,
                        "min_subword_size": 4,
                        "max_subword_size": EXPORT_MAX_PART_CHARS,
                        "only_longest_match": true
                    },
                    "lupe_stemmer": {
                        "type": "snowball",
                        "language": "German"
                    }
                },
                "analyzer": {
                    "lupe_german_index": {
                        "type": "custom",
                        "tokenizer": "whitespace",
                        "filter": index_filters
                    },
                    "lupe_german_search": {
                        "type": "custom",
                        "tokenizer": "whitespace",
                        "filter": chain(&[])
                    },
                    TERMS_ANALYZER: {
                        "type": "custom",
                        "tokenizer": "whitespace",
                        "filter": []
                    }
                },
                "normalizer": {
                    "lupe_keyword": {
                        "type": "custom",
                        "filter": ["lowercase"]
                    }
                }
            }
        },
        "mappings": {
            "dynamic": "strict",
            "properties": {
                "article_id": {"type": "keyword"},
                "passage_id": {"type": "keyword"},
                "passage": {"type": "integer"},
                "title": {
                    "type": "text",
                    "analyzer": "lupe_german_index",
                    "search_analyzer": "lupe_german_search",
                    "similarity": "lupe_bm25"
                },
                "text": {
                    "type": "text",
                    "analyzer": "lupe_german_index",
                    "search_analyzer": "lupe_german_search",
                    "similarity": "lupe_bm25"
                },
                "date": {"type": "date", "format": "strict_date_optional_time"},
                "source": {"type": "keyword", "normalizer": "lupe_keyword"},
                "url": {"type": "keyword", "index": false},
                TERMS_FIELD: {
                    "type": "text",
                    "analyzer": TERMS_ANALYZER,
                    "similarity": "lupe_bm25"
                },
                TITLE_TERMS_FIELD: {
                    "type": "text",
                    "analyzer": TERMS_ANALYZER,
                    "similarity": "lupe_bm25"
                }
            }
        }
    })
}

fn readme(summary: &ExportSummary, index_name: &str, ranking: &RankingOptions) -> String {
    // A template file rather than a format string: the text is prose to edit
    // as Markdown, and its JSON example is full of braces.
    let title_weight = ranking.title_weight.to_string();
    let values: [(&str, &str); 10] = [
        ("passages", &summary.passages.to_string()),
        ("articles", &summary.articles.to_string()),
        ("version", env!("CARGO_PKG_VERSION")),
        ("bulk", BULK_FILE),
        ("index", INDEX_FILE),
        ("words", WORDS_FILE),
        ("stop", STOPWORDS_FILE),
        ("words_n", &summary.dictionary_words.to_string()),
        ("name", index_name),
        ("title_weight", &title_weight),
    ];
    fill_template(README_TEMPLATE, &values)
}

/// Replaces each `{key}` of `template` in one pass (so a value that happens
/// to contain `{name}` stays as given); other braces are left alone.
fn fill_template(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 256);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let key = &after[..close];
            values
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| (*v, close))
        });
        match value {
            Some((value, close)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Writes an Elasticsearch / OpenSearch export of `index` into `folder`.
///
/// A folder that already holds files is refused ([`Error::NotEmpty`]) unless
/// `overwrite` is set: an export would replace a `README.md` or
/// `index.json` of the user's without a word.
pub fn elasticsearch(
    index: &LupeIndex,
    folder: &Path,
    index_name: &str,
    ranking: &RankingOptions,
    overwrite: bool,
) -> Result<ExportSummary> {
    if !overwrite
        && let Ok(mut entries) = std::fs::read_dir(folder)
        && entries.next().is_some()
    {
        return Err(Error::NotEmpty {
            path: folder.to_path_buf(),
        });
    }
    std::fs::create_dir_all(folder.join("analysis")).map_err(Error::io("creating", folder))?;
    let mut summary = ExportSummary {
        folder: folder.to_path_buf(),
        ..ExportSummary::default()
    };

    let words = decompound::dictionary().part_words(EXPORT_MIN_ZIPF, EXPORT_MAX_PART_CHARS);
    summary.dictionary_words = words.len() as u64;
    let words_path = folder.join(WORDS_FILE);
    std::fs::write(&words_path, words.join("\n") + "\n")
        .map_err(Error::io("writing", &words_path))?;
    let stop_path = folder.join(STOPWORDS_FILE);
    std::fs::write(&stop_path, word::stop_words().join("\n") + "\n")
        .map_err(Error::io("writing", &stop_path))?;

    let settings_path = folder.join(INDEX_FILE);
    let settings = serde_json::to_string_pretty(&index_settings()).expect("settings serialise");
    std::fs::write(&settings_path, settings + "\n")
        .map_err(Error::io("writing", &settings_path))?;

    let bulk_path = folder.join(BULK_FILE);
    let file = File::create(&bulk_path).map_err(Error::io("creating", &bulk_path))?;
    let mut bulk = BufWriter::new(file);
    let searcher = index.reader()?.searcher();
    let reader = ArticleReader::new(&searcher, index.path())?;
    let mut analyzer = Analyzer::new(Side::Index, index.kind());
    let write_error = |e: std::io::Error| Error::io("writing", &bulk_path)(e);
    for id in reader.ids()? {
        let Some(article) = reader.article(&id)? else {
            continue;
        };
        let title_terms = analyzer.flat_terms(&article.title);
        for (ordinal, text) in article.passages.iter().enumerate() {
            let passage_id = crate::index::passage_id(&article.id, ordinal as u32);
            let action = json!({"index": {"_index": index_name, "_id": passage_id}});
            let doc = json!({
                "article_id": article.id,
                "passage_id": passage_id,
                "passage": ordinal,
                "title": article.title,
                "date": article.date,
                "source": article.source,
                "url": article.url,
                "text": text,
                TERMS_FIELD: analyzer.flat_terms(text),
                TITLE_TERMS_FIELD: title_terms,
            });
            writeln!(bulk, "{action}").map_err(write_error)?;
            writeln!(bulk, "{doc}").map_err(write_error)?;
            summary.passages += 1;
        }
        summary.articles += 1;
    }
    bulk.flush().map_err(write_error)?;

    let readme_path = folder.join("README.md");
    std::fs::write(&readme_path, readme(&summary, index_name, ranking))
        .map_err(Error::io("writing", &readme_path))?;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_fills_known_keys_once_and_keeps_other_braces() {
        let filled = fill_template(
            r#"{"q": {a}} {b} {unknown} {a"#,
            &[("a", "{b}"), ("b", "2")],
        );
        assert_eq!(filled, r#"{"q": {b}} 2 {unknown} {a"#);
    }

    #[test]
    fn readme_has_no_placeholder_left_and_names_the_licence() {
        let summary = ExportSummary {
            articles: 3,
            passages: 7,
            dictionary_words: 42,
            folder: PathBuf::from("out"),
        };
        let text = readme(&summary, "news", &RankingOptions::default());
        for key in [
            "{passages}",
            "{words}",
            "{name}",
            "{title_weight}",
            "{words_n}",
        ] {
            assert!(!text.contains(key), "{key} left in the README");
        }
        assert!(text.contains("7 passages of 3 articles"));
        assert!(text.contains("localhost:9200/news/_bulk"));
        assert!(text.contains("CC BY-SA 4.0") && text.contains("wordfreq"));
    }

    #[test]
    fn export_writes_every_passage_once_with_settings_and_word_files() {
        use crate::testing::{index_with, paragraph, record};
        let (dir, index) = index_with(&[
            record(
                "a",
                "Eins",
                &format!("{}\n\n{}", paragraph("Chips"), paragraph("Halbleiter")),
                "2025-01-02",
                "X",
            ),
            record("b", "Zwei", &paragraph("Pflege"), "2025-01-03", "Y"),
        ]);
        let folder = dir.path().join("es");
        let summary =
            elasticsearch(&index, &folder, "news", &RankingOptions::default(), false).unwrap();
        assert_eq!((summary.articles, summary.passages), (2, 3));

        let bulk = std::fs::read_to_string(folder.join(BULK_FILE)).unwrap();
        let lines: Vec<serde_json::Value> = bulk
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 6, "an action and a document per passage");
        let ids: Vec<&str> = lines
            .iter()
            .step_by(2)
            .map(|a| a["index"]["_id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["a#0", "a#1", "b#0"]);
        assert_eq!(lines[1]["text"], paragraph("Chips"));
        let mut analyzer = Analyzer::index();
        assert_eq!(
            lines[1][TERMS_FIELD],
            analyzer.flat_terms(&paragraph("Chips"))
        );
        assert_eq!(lines[1][TITLE_TERMS_FIELD], "ein");

        let settings: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(folder.join(INDEX_FILE)).unwrap())
                .unwrap();
        assert!(settings["mappings"]["properties"]["text"].is_object());
        let words = std::fs::read_to_string(folder.join(WORDS_FILE)).unwrap();
        assert_eq!(words.lines().count() as u64, summary.dictionary_words);
        let stop = std::fs::read_to_string(folder.join(STOPWORDS_FILE)).unwrap();
        assert!(stop.lines().any(|w| w == "dass"));
    }
}
