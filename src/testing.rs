//! Fixtures for the in-process unit tests of `index`, `search`, `ingest` and
//! `export`: a temporary index filled from JSON Lines held in memory, so the
//! library is tested without starting the binary.

use serde_json::json;
use tempfile::TempDir;

use crate::analysis::Kind;
use crate::article::Input;
use crate::index::LupeIndex;
use crate::ingest::{self, Options, Silent, Summary};

/// A body long enough to be a passage of its own, about `topic`.
pub fn paragraph(topic: &str) -> String {
    format!(
        "{topic} steht im Mittelpunkt dieses Absatzes. Die Redaktion hat mit Fachleuten aus \
         Forschung und Wirtschaft gesprochen, Zahlen geprüft und Stellungnahmen eingeholt. \
         Was daraus folgt, ist noch offen; die Beteiligten wollen im Herbst weiterreden."
    )
}

/// One JSON Lines record.
pub fn record(id: &str, title: &str, body: &str, date: &str, source: &str) -> String {
    json!({"id": id, "title": title, "body": body, "date": date, "source": source}).to_string()
}

/// A fresh German index in a temporary folder (kept while the `TempDir` lives).
pub fn empty_index() -> (TempDir, LupeIndex) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let index =
        LupeIndex::open_or_create(&dir.path().join("index"), Kind::German).expect("create index");
    (dir, index)
}

/// Ingests `lines` (JSON Lines) into `index` with one thread.
pub fn ingest_lines(index: &LupeIndex, lines: &[String]) -> Summary {
    let input = Input::Memory {
        name: "memory.jsonl".into(),
        bytes: (lines.join("\n") + "\n").into_bytes(),
    };
    let options = Options {
        threads: 1,
        ..Options::default()
    };
    ingest::run(index, &[input], &options, &mut Silent).expect("ingest")
}

/// A German index holding `lines`.
pub fn index_with(lines: &[String]) -> (TempDir, LupeIndex) {
    let (dir, index) = empty_index();
    ingest_lines(&index, lines);
    (dir, index)
}
