//! Arbitrary UTF-8 as the YAML front matter of a `.md` file (`---`, the
//! bytes, `---`, a body): no panics, no blow-up (aliases and front matter
//! over 64 KiB are refused; run with `-rss_limit_mb`), and every article
//! satisfies the validation invariants (see `common`).
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(yaml) = std::str::from_utf8(data) else {
        return;
    };
    let file = format!("---\n{yaml}\n---\n# Titel\n\nEin Text über Rechenzentren.\n");
    common::check_file("x.md", file.as_bytes());
});
