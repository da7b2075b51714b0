//! Arbitrary bytes read as a `.md` file: no panics, and every article
//! satisfies the validation invariants (see `common`).
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    common::check_file("x.md", data);
});
