//! The schema: one document per passage, with its article's fields.

use tantivy::IndexSettings;
use tantivy::schema::{
    DateOptions, DateTimePrecision, FAST, Field, INDEXED, IndexRecordOption, STORED, STRING,
    Schema, TextFieldIndexing, TextOptions,
};
use tantivy::store::Compressor;

use crate::analysis::{
    GERMAN_PARTS_TOKENIZER, GERMAN_TOKENIZER, GERMAN_WORDS_TOKENIZER, KEYWORD_TOKENIZER,
};

/// Handles of every field.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Article id, raw (the upsert key), also fast: id-only results need no
    /// stored-document reads.
    pub article_id: Field,
    /// Passage id, raw.
    pub passage_id: Field,
    /// Ordinal of the passage in its article (fast, stored).
    pub passage: Field,
    /// Number of passages in the article (stored).
    pub passages: Field,
    /// Hash of the article id (fast): groups passages by article cheaply.
    pub article_key: Field,
    /// Article title, German analysis, stored.
    pub title: Field,
    /// Passage text, German analysis with positions, stored. Its terms are
    /// the words; the parts of its compounds are in [`Fields::parts`]. The
    /// article's title is indexed here too, as a second value from
    /// [`TITLE_POSITION`] on, so BM25 ranks a passage together with its
    /// title (the stored text is the first value, the passage alone).
    pub text: Field,
    /// The compound parts of the passage text (`sicherheit` and `luck` of
    /// "Sicherheitslücke"), at their compounds' positions, then those of
    /// the title from [`TITLE_POSITION`] on; not stored.
    /// Apart from the words so that a part match can weigh less than the
    /// word itself and compounds do not lengthen the text's BM25 length.
    pub parts: Field,
    /// Article date as given (stored only).
    pub date: Field,
    /// Article date as an instant (indexed, fast) for `--since`/`--until`.
    pub published: Field,
    /// Source, lowercased keyword (indexed) and as given (stored).
    pub source: Field,
    /// URL (stored only).
    pub url: Field,
    /// Content hash of the article (fast, stored): "unchanged" detection.
    pub hash: Field,
}

/// Where the title's positions start in a passage's `text` and `parts`
/// fields: every position below it is the passage's own (passages are far
/// shorter than 16 million words), so `text:word` can leave out passages
/// that have the word only in their title.
pub const TITLE_POSITION: u32 = 1 << 24;

fn german(tokenizer: &str) -> TextFieldIndexing {
    TextFieldIndexing::default()
        .set_tokenizer(tokenizer)
        .set_index_option(IndexRecordOption::WithFreqsAndPositions)
}

/// Builds the schema. Changing it makes existing indexes unreadable to the
/// new build (they must be rebuilt), like an analyzer change.
pub fn build() -> Schema {
    let mut b = Schema::builder();
    b.add_text_field("article_id", STRING | STORED | FAST);
    b.add_text_field("passage_id", STRING | STORED);
    b.add_u64_field("passage", STORED | FAST);
    b.add_u64_field("passages", STORED);
    b.add_u64_field("article_key", FAST);
    let stored = || TextOptions::default().set_stored();
    b.add_text_field(
        "title",
        stored().set_indexing_options(german(GERMAN_TOKENIZER)),
    );
    b.add_text_field(
        "text",
        stored().set_indexing_options(german(GERMAN_WORDS_TOKENIZER)),
    );
    b.add_text_field(
        "parts",
        TextOptions::default().set_indexing_options(german(GERMAN_PARTS_TOKENIZER)),
    );
    b.add_text_field("date", STORED);
    b.add_date_field(
        "published",
        DateOptions::from(INDEXED)
            .set_fast()
            .set_precision(DateTimePrecision::Seconds),
    );
    b.add_text_field(
        "source",
        TextOptions::default().set_stored().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(KEYWORD_TOKENIZER)
                .set_index_option(IndexRecordOption::Basic),
        ),
    );
    b.add_text_field("url", STORED);
    b.add_u64_field("hash", STORED | FAST);
    b.build()
}

/// Index settings. Stored text is most of an index (every passage keeps
/// its text and its article's fields), so it is compressed with zstd:
/// measured on 25 MB of German Wikipedia, the store takes 12.6 MB with zstd
/// (level 3) against 17.9 MB with LZ4, and the whole index 24.9 MB against
/// 30.1 MB. Blocks stay at tantivy's 16 KiB, so showing a hit decompresses
/// little more than its own passage.
pub fn settings() -> IndexSettings {
    IndexSettings {
        docstore_compression: Compressor::Zstd(tantivy::store::ZstdCompressor {
            compression_level: None,
        }),
        ..IndexSettings::default()
    }
}

impl Fields {
    /// Looks up the handles in a schema made by [`build`].
    pub fn from_schema(schema: &Schema) -> Fields {
        let f = |name: &str| {
            schema
                .get_field(name)
                .expect("the schema was checked against build() when the index was opened")
        };
        Fields {
            article_id: f("article_id"),
            passage_id: f("passage_id"),
            passage: f("passage"),
            passages: f("passages"),
            article_key: f("article_key"),
            title: f("title"),
            text: f("text"),
            parts: f("parts"),
            date: f("date"),
            published: f("published"),
            source: f("source"),
            url: f("url"),
            hash: f("hash"),
        }
    }
}
