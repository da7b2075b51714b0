//! What the targets that run searches (query, batch) share: a tiny index
//! built once per process, and the panics already reported (an input that
//! hits one is skipped so a run can look for new problems).

use std::panic;
use std::sync::OnceLock;

use lupe::analysis::Kind;
use lupe::article::Input;
use lupe::index::LupeIndex;
use lupe::ingest::{self, Silent};

/// Articles that give the queries something to match, highlight and filter
/// (shared with the regression tests in tests/reliability.rs).
const ARTICLES: &str = include_str!("../../fixture.jsonl");

/// The index of [`ARTICLES`], in a temporary folder.
pub struct Fixture {
    _dir: tempfile::TempDir,
    pub index: LupeIndex,
}

/// The fixture, built on first use (with the panic hook installed).
pub fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        install_hook();
        let dir = tempfile::tempdir().expect("temp dir");
        let index =
            LupeIndex::open_or_create(&dir.path().join("index"), Kind::German).expect("index");
        let input = Input::Memory {
            name: "seed.jsonl".into(),
            bytes: ARTICLES.as_bytes().to_vec(),
        };
        let options = ingest::Options {
            threads: 1,
            ..ingest::Options::default()
        };
        let summary = ingest::run(&index, &[input], &options, &mut Silent).expect("ingest");
        assert_eq!(summary.added, 2, "fixture articles must be valid");
        Fixture { _dir: dir, index }
    })
}

/// libFuzzer's hook aborts on every panic; let the known ones unwind to
/// `catch_unwind` instead.
fn install_hook() {
    let abort = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        if !is_known(info) {
            abort(info);
        }
    }));
}

/// Panics already reported, as (source file suffix, message). The one left
/// is a debug assertion inside tantivy; release builds answer correctly.
pub const KNOWN_PANICS: &[(&str, &str)] = &[
    // -"z z" next to a word that builds no query (\0, a stop word, *):
    // tantivy's debug assertion on a backward seek in the phrase scorer.
    (
        "src/query/phrase_query/phrase_scorer.rs",
        "should be greater than or equal to doc",
    ),
];

/// Whether a panic is one of [`KNOWN_PANICS`].
pub fn is_known(info: &panic::PanicHookInfo<'_>) -> bool {
    let message = info
        .payload()
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| info.payload().downcast_ref::<String>().cloned())
        .unwrap_or_default();
    let file = info.location().map_or("", |l| l.file());
    KNOWN_PANICS
        .iter()
        .any(|(f, m)| file.ends_with(f) && message.contains(m))
}
