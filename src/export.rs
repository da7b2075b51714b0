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

use crate::analysis::{decompound, word};
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

fn io_error(path: &Path, action: &'static str) -> impl FnOnce(std::io::Error) -> Error {
    let path = path.to_path_buf();
    move |source| Error::Io {
        action,
        path,
        source,
    }
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
                "url": {"type": "keyword", "index": false}
            }
        }
    })
}

fn readme(summary: &ExportSummary, index_name: &str, ranking: &RankingOptions) -> String {
    format!(
        r#"# lupe export for Elasticsearch / OpenSearch

{passages} passages of {articles} articles, exported by lupe {version}.

| file | what |
| --- | --- |
| `{bulk}` | `_bulk` actions: one `index` action per passage, `_id` = passage id |
| `{index}` | settings (analysis, BM25 k1 = 1.2, b = 0.75) and mappings |
| `{words}` | lupe's dictionary for the `dictionary_decompounder` ({words_n} words; CC BY-SA 4.0, derived from wordfreq and Wiktionary) |
| `{stop}` | lupe's German stop list |

## Load it

1. Copy the `analysis/` folder into the `config/` folder of every node
   (the settings name the word files relative to it), then restart or
   reload the nodes.
2. Create the index and load the passages:

```sh
curl -XPUT "localhost:9200/{name}" -H 'Content-Type: application/json' --data-binary @{index}
curl -XPOST "localhost:9200/{name}/_bulk" -H 'Content-Type: application/x-ndjson' --data-binary @{bulk}
```

   For a large export, split `{bulk}` into parts of a few thousand lines
   (`split -l 10000`; keep the line count even: action and document lines
   come in pairs) and post them one by one.

3. Search like lupe: both fields, the title at weight {title_weight}, all words
   required first, and at most two passages per article:

```json
{{"query": {{"multi_match": {{"query": "Open-Source Sicherheit", "fields": ["text", "title^{title_weight}"],
  "type": "most_fields", "operator": "and"}}}},
 "collapse": {{"field": "article_id", "inner_hits": {{"name": "more", "size": 2}}}},
 "highlight": {{"fields": {{"text": {{}}}}}}}}
```

## What still differs from lupe

- **Compound splitting.** lupe splits a word only when its parts are more
  frequent than the whole word (so `Verbraucher` stays whole), the last part
  must be a noun (so `beinhalten` stays whole), and linking elements and a
  dropped final `e` are understood (`Sprach·modelle`). Lucene's
  `dictionary_decompounder` emits every dictionary word it finds inside a
  token; the exported word list holds only frequent words of 4–15 letters to
  limit false splits, but expect more of them than in lupe.
- **Irregular plurals** (`Rechenzentren` → `Rechenzentrum`, `Chips` → `Chip`)
  and **feminine forms** (`Entwicklerinnen`, `Entwickler:innen`) are not
  normalised: there is no shipped filter for them. Add a `synonym_graph`
  filter if they matter.
- **Umlaut digraphs.** `german_normalization` maps `ae/oe/ue` to `a/o/u`
  everywhere (so `Uber` = `über`, a known complaint); lupe only treats them as
  umlauts where they stand for one and keeps `über` a stop word.
- **`KIs`, `OpenAIs`** (an `s` after a capital) keep their `s`.
- **`Sicherheit` vs `sicher`**: Snowball gives both the same stem; lupe
  protects nouns in `-heit`/`-keit`. The `keyword_marker` filter can protect a
  list of such words if needed.
- **Ranking.** lupe ranks passages with every query word first and then
  passages with some of them; `operator: and` with a fallback query
  approximates it. The typo fallback (close spellings when nothing matches)
  corresponds to `fuzziness: "AUTO"` in a second query.
- **Highlights** come from Elasticsearch's highlighter, not as character
  offsets.

## When to move to a cluster

One lupe index serves a newsroom archive comfortably: about 100 MB of text
index in seconds and answer in milliseconds on two cores. Move to a cluster
when the archive no longer fits on one machine's disk or page cache (hundreds
of gigabytes of text), when many people or services query at once and need
replicas for throughput and availability, or when several writers must add
articles concurrently. Until then, a single index is simpler and faster.
"#,
        passages = summary.passages,
        articles = summary.articles,
        version = env!("CARGO_PKG_VERSION"),
        bulk = BULK_FILE,
        index = INDEX_FILE,
        words = WORDS_FILE,
        stop = STOPWORDS_FILE,
        words_n = summary.dictionary_words,
        name = index_name,
        title_weight = ranking.title_weight,
    )
}

/// Writes an Elasticsearch / OpenSearch export of `index` into `folder`.
pub fn elasticsearch(
    index: &LupeIndex,
    folder: &Path,
    index_name: &str,
    ranking: &RankingOptions,
) -> Result<ExportSummary> {
    std::fs::create_dir_all(folder.join("analysis")).map_err(io_error(folder, "creating"))?;
    let mut summary = ExportSummary {
        folder: folder.to_path_buf(),
        ..ExportSummary::default()
    };

    let words = decompound::dictionary().part_words(EXPORT_MIN_ZIPF, EXPORT_MAX_PART_CHARS);
    summary.dictionary_words = words.len() as u64;
    let words_path = folder.join(WORDS_FILE);
    std::fs::write(&words_path, words.join("\n") + "\n")
        .map_err(io_error(&words_path, "writing"))?;
    let stop_path = folder.join(STOPWORDS_FILE);
    std::fs::write(&stop_path, word::stop_words().join("\n") + "\n")
        .map_err(io_error(&stop_path, "writing"))?;

    let settings_path = folder.join(INDEX_FILE);
    let settings = serde_json::to_string_pretty(&index_settings()).expect("settings serialise");
    std::fs::write(&settings_path, settings + "\n").map_err(io_error(&settings_path, "writing"))?;

    let bulk_path = folder.join(BULK_FILE);
    let file = File::create(&bulk_path).map_err(io_error(&bulk_path, "creating"))?;
    let mut bulk = BufWriter::new(file);
    let searcher = index.reader()?.searcher();
    let reader = ArticleReader::new(&searcher, index.path())?;
    let write_error = |e: std::io::Error| io_error(&bulk_path, "writing")(e);
    for id in reader.ids()? {
        let Some(article) = reader.article(&id)? else {
            continue;
        };
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
        .map_err(io_error(&readme_path, "writing"))?;
    Ok(summary)
}
