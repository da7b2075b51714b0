//! Export to Elasticsearch / OpenSearch, for when one machine is not enough.
//!
//! Writes everything a cluster needs to serve the same passages: the
//! documents as `_bulk` files (split at a size a cluster accepts) carrying
//! lupe's own index terms beside the readable text, index settings and
//! mappings (the terms fields, and the closest German analysis the engines
//! ship for searching without lupe), that path's query as a search
//! template, lupe's dictionary and stop list as word files, and a README
//! with the commands and what still differs.

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

/// The bulk file when it is one file.
pub const BULK_FILE: &str = "bulk.ndjson";
/// Settings and mappings.
pub const INDEX_FILE: &str = "index.json";
/// The Elasticsearch search template of the ES-native path.
pub const TEMPLATE_FILE: &str = "search-template.json";
/// Dictionary for `dictionary_decompounder` (`word_list_path`).
pub const WORDS_FILE: &str = "analysis/lupe_words_de.txt";
/// Stop list (`stopwords_path`).
pub const STOPWORDS_FILE: &str = "analysis/lupe_stopwords_de.txt";
/// Default size at which the bulk file is split: below the 100 MB that
/// Elasticsearch accepts per request (`http.max_content_length`), and in
/// the range its documentation recommends for one bulk request.
pub const BULK_MAX_BYTES: u64 = 50_000_000;

pub use crate::search::es::{TERMS_FIELD, TITLE_TERMS_FIELD};
/// The analyzer of the two terms fields: whitespace, nothing else.
const TERMS_ANALYZER: &str = "lupe_terms";
/// The field that holds title and text for the ES-native path (`copy_to`).
pub const COMBINED_FIELD: &str = "title_text";
/// Elasticsearch's `minimum_should_match` for lupe's minimum of a long
/// query ([`crate::search::query::minimum_should_match`]): every word up to
/// three, then all but 66 % (rounded down) of them, which is
/// `words / 3 + 1` for every length up to 30 words.
pub const TEMPLATE_MINIMUM: &str = "3<-66%";

/// The export's README, with `{placeholders}` filled in by [`readme`].
const README_TEMPLATE: &str = include_str!("export/cluster-readme.md");

/// How to export.
#[derive(Debug, Clone)]
pub struct Options {
    /// The name users search (the alias in the README's commands).
    pub index_name: String,
    /// The ranking the README and the template describe.
    pub ranking: RankingOptions,
    /// Replace the export's files in a folder that holds files.
    pub overwrite: bool,
    /// Word lists inside index.json (`word_list`, `stopwords`) instead of
    /// files in the nodes' `config/analysis/`: for managed services.
    pub inline_word_lists: bool,
    /// The bulk file is split into parts of at most this many bytes
    /// (a single action/document pair larger than that is a part alone).
    pub bulk_max_bytes: u64,
}

impl Options {
    /// Defaults for an index name.
    pub fn new(index_name: impl Into<String>) -> Options {
        Options {
            index_name: index_name.into(),
            ranking: RankingOptions::default(),
            overwrite: false,
            inline_word_lists: false,
            bulk_max_bytes: BULK_MAX_BYTES,
        }
    }
}

/// What an export wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ExportSummary {
    /// Articles exported.
    pub articles: u64,
    /// Passages (documents) exported.
    pub passages: u64,
    /// Words in the decompounder dictionary.
    pub dictionary_words: u64,
    /// The bulk files, relative to the folder, in order.
    pub bulk_files: Vec<String>,
    /// The folder written.
    pub folder: PathBuf,
}

/// Lucene's `GermanNormalizationFilter` on one lowercase word (`ä` → `a`,
/// `ß` → `ss`, `ae`/`oe`/`ue` → `a`/`o`/`u`), so that the decompounder's
/// words match the normalised tokens it runs on.
pub fn german_normalization(word: &str) -> String {
    // The filter's states: N = nothing, V = a vowel that keeps a following
    // `e`, U = `a`/`o`/`u` whose following `e` is dropped.
    #[derive(PartialEq)]
    enum S {
        N,
        V,
        U,
    }
    let mut out = String::with_capacity(word.len());
    let mut state = S::N;
    for c in word.chars() {
        match c {
            'a' | 'o' => {
                out.push(c);
                state = S::U;
            }
            'u' => {
                out.push(c);
                state = if state == S::N { S::U } else { S::V };
            }
            'e' => {
                if state != S::U {
                    out.push(c);
                }
                state = S::V;
            }
            'i' | 'q' | 'y' => {
                out.push(c);
                state = S::V;
            }
            'ä' => {
                out.push('a');
                state = S::V;
            }
            'ö' => {
                out.push('o');
                state = S::V;
            }
            'ü' => {
                out.push('u');
                state = S::V;
            }
            'ß' => {
                out.push_str("ss");
                state = S::N;
            }
            _ => {
                out.push(c);
                state = S::N;
            }
        }
    }
    out
}

/// The decompounder's words: lupe's frequent part words, normalised as the
/// tokens are when the decompounder sees them, each once.
pub fn decompounder_words() -> Vec<String> {
    let mut words: Vec<String> = decompound::dictionary()
        .part_words(EXPORT_MIN_ZIPF, EXPORT_MAX_PART_CHARS)
        .iter()
        .map(|w| german_normalization(w))
        .collect();
    words.sort();
    words.dedup();
    words
}

/// The analysis settings and mappings: lupe's own terms in whitespace
/// fields, and the closest German analysis the engines ship for searching
/// without lupe. With `inline`, the word lists are written into the
/// settings (`words` and `stop`), else named as files.
pub fn index_settings(inline: Option<(&[String], &[String])>) -> serde_json::Value {
    json!({
        "settings": {
            "index": {
                "similarity": {
                    "lupe_bm25": {"type": "BM25", "k1": 1.2, "b": 0.75}
                }
            },
            "analysis": analysis(inline)
        },
        "mappings": mappings()
    })
}

/// The analyzers: `lupe_german_index`/`_search` (the engines' own German
/// analysis, as close to lupe's as they allow) and the whitespace analyzer
/// of lupe's own terms.
fn analysis(inline: Option<(&[String], &[String])>) -> serde_json::Value {
    let (decompound_words, stop_words) = match inline {
        Some((words, stop)) => (("word_list", json!(words)), ("stopwords", json!(stop))),
        None => (
            ("word_list_path", json!(WORDS_FILE)),
            ("stopwords_path", json!(STOPWORDS_FILE)),
        ),
    };
    let mut decompounder = json!({
        "type": "dictionary_decompounder",
        "min_word_size": 8,
        "min_subword_size": 4,
        "max_subword_size": EXPORT_MAX_PART_CHARS,
        "only_longest_match": true
    });
    decompounder[decompound_words.0] = decompound_words.1;
    let mut stop = json!({"type": "stop", "ignore_case": true});
    stop[stop_words.0] = stop_words.1;
    // Decompounding after german_normalization, so that its words meet
    // `fuss` for `Fuß` and `lucke` for `Lücke` in any spelling; `unique`
    // at the end drops the whole word the decompounder emits again when it
    // is itself a dictionary word, and parts that stem to the word's stem.
    let index_filters = json!([
        "lupe_words",
        "lowercase",
        "lupe_stop",
        "german_normalization",
        "lupe_decompound",
        "lupe_stemmer",
        "asciifolding",
        "lupe_unique",
        "flatten_graph"
    ]);
    let search_filters = json!([
        "lupe_words",
        "lowercase",
        "lupe_stop",
        "german_normalization",
        "lupe_stemmer",
        "asciifolding"
    ]);
    json!({
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
            "lupe_stop": stop,
            "lupe_decompound": decompounder,
            "lupe_stemmer": {
                "type": "snowball",
                "language": "German"
            },
            "lupe_unique": {
                "type": "unique",
                "only_on_same_position": true
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
                "filter": search_filters
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
    })
}

/// The fields of a passage document.
fn mappings() -> serde_json::Value {
    let german = |copy: bool| {
        let mut field = json!({
            "type": "text",
            "analyzer": "lupe_german_index",
            "search_analyzer": "lupe_german_search",
            "similarity": "lupe_bm25"
        });
        if copy {
            field["copy_to"] = json!(COMBINED_FIELD);
        }
        field
    };
    let terms = json!({
        "type": "text",
        "analyzer": TERMS_ANALYZER,
        "similarity": "lupe_bm25"
    });
    json!({
        "dynamic": "strict",
        "properties": {
            "article_id": {"type": "keyword"},
            "passage_id": {"type": "keyword"},
            "passage": {"type": "integer"},
            "title": german(true),
            "text": german(true),
            COMBINED_FIELD: german(false),
            "date": {"type": "date", "format": "strict_date_optional_time"},
            "source": {"type": "keyword", "normalizer": "lupe_keyword"},
            "url": {"type": "keyword", "index": false},
            TERMS_FIELD: terms,
            TITLE_TERMS_FIELD: terms
        }
    })
}

/// A passage's `lupe_terms`: its text's terms, then its title's, as lupe
/// indexes every passage with its article's title.
fn passage_terms(analyzer: &mut Analyzer, text: &str, title_terms: &str) -> String {
    let mut terms = analyzer.flat_terms(text);
    if !title_terms.is_empty() {
        if !terms.is_empty() {
            terms.push(' ');
        }
        terms.push_str(title_terms);
    }
    terms
}

/// The ES-native query as an Elasticsearch mustache search template (a
/// stored script) whose one parameter is `query`, the user's text: every
/// passage with some of the words in title or text, those with all words
/// (up to three; from four words on lupe's minimum) lifted above the rest,
/// as lupe ranks, and a title match adding `title_weight` on top of the
/// combined field's own (which holds the title once, as lupe's text does).
pub fn search_template(ranking: &RankingOptions) -> serde_json::Value {
    const Q: &str = "{{#toJson}}query{{/toJson}}";
    let extra_title = ranking.title_weight;
    let source = format!(
        concat!(
            r#"{{"query": {{"bool": {{"must": [{{"match": {{"{combined}": {{"query": {q}}}}}}}], "#,
            r#""should": [{{"constant_score": {{"filter": {{"match": {{"{combined}": {{"query": {q}, "#,
            r#""minimum_should_match": "{minimum}"}}}}}}, "boost": {bonus}}}}}, "#,
            r#"{{"match": {{"title": {{"query": {q}, "boost": {title}}}}}}}]}}}}, "size": 10}}"#
        ),
        combined = COMBINED_FIELD,
        q = Q,
        minimum = TEMPLATE_MINIMUM,
        bonus = crate::search::es::PREFERENCE_BONUS,
        title = extra_title,
    );
    json!({"script": {"lang": "mustache", "source": source}})
}

fn readme(summary: &ExportSummary, options: &Options, stamp: &str) -> String {
    // A template file rather than a format string: the text is prose to edit
    // as Markdown, and its JSON example is full of braces.
    let title_weight = options.ranking.title_weight.to_string();
    let bulk_list = summary
        .bulk_files
        .iter()
        .map(|f| format!("`{f}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let analysis_step = if options.inline_word_lists {
        "The word lists are inside `{index}` (`--inline-word-lists`): nothing \
         to copy to the nodes."
            .to_string()
    } else {
        "Copy the `analysis/` folder into the `config/` folder of every node \
         (the settings name the word files relative to it), then restart the \
         nodes. On a managed service that cannot place files there, export \
         again with `--inline-word-lists`."
            .to_string()
    };
    let analysis_step = analysis_step.replace("{index}", INDEX_FILE);
    let values: [(&str, &str); 15] = [
        ("passages", &summary.passages.to_string()),
        ("articles", &summary.articles.to_string()),
        ("version", env!("CARGO_PKG_VERSION")),
        ("bulk_files", &bulk_list),
        ("index", INDEX_FILE),
        ("template", TEMPLATE_FILE),
        ("words", WORDS_FILE),
        ("stop", STOPWORDS_FILE),
        ("words_n", &summary.dictionary_words.to_string()),
        ("name", &options.index_name),
        ("stamp", stamp),
        ("title_weight", &title_weight),
        ("analysis_step", &analysis_step),
        ("combined", COMBINED_FIELD),
        ("minimum", TEMPLATE_MINIMUM),
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

/// The bulk file, written in parts of at most `max` bytes that each end
/// after a whole action/document pair.
struct BulkWriter {
    folder: PathBuf,
    max: u64,
    part: Option<(BufWriter<File>, u64)>,
    files: Vec<String>,
}

impl BulkWriter {
    fn part_name(n: usize) -> String {
        format!("bulk-{n:04}.ndjson")
    }

    fn write_pair(&mut self, pair: &str) -> Result<()> {
        let len = pair.len() as u64;
        if let Some((_, written)) = &self.part
            && *written > 0
            && written + len > self.max
        {
            self.finish_part()?;
        }
        if self.part.is_none() {
            let name = Self::part_name(self.files.len() + 1);
            let path = self.folder.join(&name);
            let file = File::create(&path).map_err(Error::io("creating", &path))?;
            self.part = Some((BufWriter::new(file), 0));
            self.files.push(name);
        }
        if let Some((out, written)) = &mut self.part {
            let path = self
                .folder
                .join(self.files.last().map_or("", String::as_str));
            out.write_all(pair.as_bytes())
                .map_err(Error::io("writing", &path))?;
            *written += len;
        }
        Ok(())
    }

    fn finish_part(&mut self) -> Result<()> {
        if let Some((mut out, _)) = self.part.take() {
            let path = self
                .folder
                .join(self.files.last().map_or("", String::as_str));
            out.flush().map_err(Error::io("writing", &path))?;
        }
        Ok(())
    }

    /// Closes the last part; a bulk that fits one part is `bulk.ndjson`.
    fn finish(mut self) -> Result<Vec<String>> {
        self.finish_part()?;
        if self.files.len() == 1 {
            let from = self.folder.join(&self.files[0]);
            let to = self.folder.join(BULK_FILE);
            std::fs::rename(&from, &to).map_err(Error::io("renaming", &from))?;
            self.files[0] = BULK_FILE.to_string();
        }
        Ok(self.files)
    }
}

/// Writes an Elasticsearch / OpenSearch export of `index` into `folder`.
///
/// A folder that already holds files is refused ([`Error::NotEmpty`]) unless
/// `options.overwrite` is set: an export would replace a `README.md` or
/// `index.json` of the user's without a word.
pub fn elasticsearch(index: &LupeIndex, folder: &Path, options: &Options) -> Result<ExportSummary> {
    prepare_folder(folder, options.overwrite)?;
    let mut summary = ExportSummary {
        folder: folder.to_path_buf(),
        ..ExportSummary::default()
    };
    summary.dictionary_words = write_settings(folder, options)?;
    write_bulk(index, folder, options, &mut summary)?;
    let now = time::OffsetDateTime::now_utc();
    let stamp = format!(
        "{:04}{:02}{:02}{:02}{:02}{:02}",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second()
    );
    let readme_path = folder.join("README.md");
    std::fs::write(&readme_path, readme(&summary, options, &stamp))
        .map_err(Error::io("writing", &readme_path))?;
    Ok(summary)
}

/// Refuses a folder that holds files (unless `overwrite`), creates it, and
/// removes the bulk files of an earlier export, which would otherwise be
/// loaded with ours.
fn prepare_folder(folder: &Path, overwrite: bool) -> Result<()> {
    if !overwrite
        && let Ok(mut entries) = std::fs::read_dir(folder)
        && entries.next().is_some()
    {
        return Err(Error::NotEmpty {
            path: folder.to_path_buf(),
        });
    }
    std::fs::create_dir_all(folder.join("analysis")).map_err(Error::io("creating", folder))?;
    if let Ok(entries) = std::fs::read_dir(folder) {
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name == BULK_FILE || (name.starts_with("bulk-") && name.ends_with(".ndjson")) {
                let path = entry.path();
                std::fs::remove_file(&path).map_err(Error::io("removing", &path))?;
            }
        }
    }
    Ok(())
}

/// Writes the word lists, `index.json` and the search template; returns
/// the number of dictionary words.
fn write_settings(folder: &Path, options: &Options) -> Result<u64> {
    let words = decompounder_words();
    let stop = word::stop_words();
    let words_path = folder.join(WORDS_FILE);
    std::fs::write(&words_path, words.join("\n") + "\n")
        .map_err(Error::io("writing", &words_path))?;
    let stop_path = folder.join(STOPWORDS_FILE);
    std::fs::write(&stop_path, stop.join("\n") + "\n").map_err(Error::io("writing", &stop_path))?;

    let stop_owned: Vec<String> = stop.iter().map(|w| w.to_string()).collect();
    let inline = options
        .inline_word_lists
        .then_some((words.as_slice(), stop_owned.as_slice()));
    let settings_path = folder.join(INDEX_FILE);
    let settings =
        serde_json::to_string_pretty(&index_settings(inline)).expect("settings serialise");
    std::fs::write(&settings_path, settings + "\n")
        .map_err(Error::io("writing", &settings_path))?;
    let template_path = folder.join(TEMPLATE_FILE);
    let template = serde_json::to_string_pretty(&search_template(&options.ranking))
        .expect("template serialises");
    std::fs::write(&template_path, template + "\n")
        .map_err(Error::io("writing", &template_path))?;
    Ok(words.len() as u64)
}

/// Writes every passage as a bulk action and document, with lupe's own
/// terms beside the readable text, into one or more bulk files.
fn write_bulk(
    index: &LupeIndex,
    folder: &Path,
    options: &Options,
    summary: &mut ExportSummary,
) -> Result<()> {
    let mut bulk = BulkWriter {
        folder: folder.to_path_buf(),
        max: options.bulk_max_bytes.max(1),
        part: None,
        files: Vec::new(),
    };
    let searcher = index.reader()?.searcher();
    let reader = ArticleReader::new(&searcher, index.path())?;
    let mut analyzer = Analyzer::new(Side::Index, index.kind());
    for id in reader.ids()? {
        let Some(article) = reader.article(&id)? else {
            continue;
        };
        let title_terms = analyzer.flat_terms(&article.title);
        for (ordinal, text) in article.passages.iter().enumerate() {
            let passage_id = crate::index::passage_id(&article.id, ordinal as u32);
            // No `_index`: the URL of the request names the index, so one
            // export loads into any (versioned) index behind an alias.
            let action = json!({"index": {"_id": passage_id}});
            let doc = json!({
                "article_id": article.id,
                "passage_id": passage_id,
                "passage": ordinal,
                "title": article.title,
                "date": article.date,
                "source": article.source,
                "url": article.url,
                "text": text,
                TERMS_FIELD: passage_terms(&mut analyzer, text, &title_terms),
                TITLE_TERMS_FIELD: title_terms,
            });
            bulk.write_pair(&format!("{action}\n{doc}\n"))?;
            summary.passages += 1;
        }
        summary.articles += 1;
    }
    summary.bulk_files = bulk.finish()?;
    Ok(())
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
            bulk_files: vec![BULK_FILE.into()],
            folder: PathBuf::from("out"),
        };
        let text = readme(&summary, &Options::new("news"), "20260101000000");
        for key in [
            "{passages}",
            "{words}",
            "{name}",
            "{title_weight}",
            "{words_n}",
            "{stamp}",
            "{analysis_step}",
            "{bulk_files}",
            "{combined}",
            "{minimum}",
            "{template}",
        ] {
            assert!(!text.contains(key), "{key} left in the README");
        }
        assert!(text.contains("7 passages of 3 articles"));
        assert!(text.contains("INDEX=news-20260101000000"), "{text}");
        assert!(text.contains(r#"{"add": {"index": "'$INDEX'", "alias": "news"}}"#));
        assert!(text.contains("--data-binary @search-template.json"));
        assert!(text.contains("{{#toJson}}query{{/toJson}}"));
        assert!(text.contains("CC BY-SA 4.0") && text.contains("wordfreq"));
    }

    #[test]
    fn german_normalization_is_lucenes() {
        for (word, want) in [
            ("lücke", "lucke"),
            ("fuß", "fuss"),
            ("quelle", "quelle"),
            ("steuer", "steuer"),
            ("mauer", "mauer"),
            ("boeing", "boing"),
            ("muell", "mull"),
            ("sicherheit", "sicherheit"),
        ] {
            assert_eq!(german_normalization(word), want, "{word}");
        }
    }

    /// The template's source with its one parameter filled as mustache's
    /// `toJson` does, parsed.
    fn render(template: &serde_json::Value, query: &str) -> serde_json::Value {
        assert_eq!(template["script"]["lang"], "mustache");
        let source = template["script"]["source"].as_str().unwrap();
        let filled = source.replace(
            "{{#toJson}}query{{/toJson}}",
            &serde_json::to_string(query).unwrap(),
        );
        serde_json::from_str(&filled).unwrap_or_else(|e| panic!("{e}: {filled}"))
    }

    #[test]
    fn the_search_template_is_valid_json_for_any_query() {
        let template = search_template(&RankingOptions::default());
        let source = template["script"]["source"].as_str().unwrap();
        // Its only parameter is the query.
        let mut rest = source;
        while let Some(at) = rest.find("{{") {
            assert!(
                rest[at..].starts_with("{{#toJson}}query{{/toJson}}"),
                "{rest}"
            );
            rest = &rest[at + "{{#toJson}}query{{/toJson}}".len()..];
        }
        for query in ["Open-Source Sicherheit", r#"er sagte "KI\" und {x}"#, ""] {
            let body = render(&template, query);
            let bool_query = &body["query"]["bool"];
            assert_eq!(
                bool_query["must"][0]["match"][COMBINED_FIELD]["query"],
                query
            );
            let preferred = &bool_query["should"][0]["constant_score"]["filter"]["match"];
            assert_eq!(
                preferred[COMBINED_FIELD]["minimum_should_match"],
                TEMPLATE_MINIMUM
            );
            assert_eq!(
                bool_query["should"][1]["match"]["title"]["boost"],
                f64::from(crate::search::TITLE_WEIGHT)
            );
        }
    }

    #[test]
    fn the_template_minimum_is_lupes_minimum() {
        // "3<-66%": all words up to 3, then n - floor(0.66 n).
        for n in 1..=30usize {
            let es = if n <= 3 { n } else { n - (n * 66 / 100) };
            let lupe = if n < crate::search::LONG_QUERY_WORDS {
                n
            } else {
                crate::search::query::minimum_should_match(n)
            };
            assert_eq!(es, lupe, "{n} words");
        }
    }

    #[test]
    fn inline_word_lists_replace_the_paths() {
        let words = vec!["daten".to_string()];
        let stop = vec!["der".to_string()];
        let settings = index_settings(Some((&words, &stop)));
        let filters = &settings["settings"]["analysis"]["filter"];
        assert_eq!(filters["lupe_decompound"]["word_list"], json!(["daten"]));
        assert_eq!(filters["lupe_stop"]["stopwords"], json!(["der"]));
        assert!(filters["lupe_decompound"].get("word_list_path").is_none());
        let files = index_settings(None);
        assert_eq!(
            files["settings"]["analysis"]["filter"]["lupe_stop"]["stopwords_path"],
            STOPWORDS_FILE
        );
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
        let summary = elasticsearch(&index, &folder, &Options::new("news")).unwrap();
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
            format!("{} ein", analyzer.flat_terms(&paragraph("Chips"))),
            "the text's terms, then the title's"
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
