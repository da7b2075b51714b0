//! Panics already reported, shared by the targets that run searches (query,
//! batch): an input that hits one is skipped so a run can look for new
//! problems.

use std::panic;

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
