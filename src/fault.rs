//! Fault injection for the crash tests: named points on the way through
//! the writing commands (rebuild, delete, repair, commits) where a test
//! can have the process killed, stopped or interrupted, to check that the
//! index survives every step.
//!
//! Only debug builds (those `cargo test` runs) have the hook; in a release
//! build [`point`] is empty. The environment variable `LUPE_FAULT` takes
//! `ACTION@WHERE`: ACTION is `kill` (SIGKILL), `stop` (SIGSTOP, for a test
//! that acts while the process holds its locks) or `int` (SIGINT, as from
//! Ctrl-C); WHERE is a point's name, or N for the N-th point the process
//! passes, so a test can walk through every step without knowing them.
//! A fault fires once per process, at the first pass of a named point.

/// A step of a writing command at which a test may stop the process.
#[cfg(debug_assertions)]
pub fn point(name: &str) {
    use std::sync::atomic::AtomicBool;
    use std::sync::atomic::{AtomicU64, Ordering};
    static PASSED: AtomicU64 = AtomicU64::new(0);
    static FIRED: AtomicBool = AtomicBool::new(false);
    let Some(spec) = std::env::var_os("LUPE_FAULT") else {
        return;
    };
    let spec = spec.to_string_lossy();
    let Some((action, at)) = spec.split_once('@') else {
        return;
    };
    let n = PASSED.fetch_add(1, Ordering::SeqCst) + 1;
    let hit = match at.parse::<u64>() {
        Ok(k) => k == n,
        Err(_) => at == name,
    };
    let signal = match action {
        "kill" => "KILL",
        "stop" => "STOP",
        "int" => "INT",
        _ => return,
    };
    // A fault fires once: at the first pass of a named point.
    if !hit || FIRED.swap(true, Ordering::SeqCst) {
        return;
    }
    eprintln!("lupe: fault injection: SIG{signal} at {name} (point {n})");
    let _ = std::process::Command::new("kill")
        .arg(format!("-{signal}"))
        .arg(std::process::id().to_string())
        .status();
    match action {
        // `kill` could not be run: end as abruptly.
        "kill" => std::process::abort(),
        // Give the Ctrl-C handler's thread time to see the signal.
        "int" => std::thread::sleep(std::time::Duration::from_millis(300)),
        _ => {}
    }
}

/// A step of a writing command (no fault injection in release builds).
#[cfg(not(debug_assertions))]
#[inline(always)]
pub fn point(_name: &str) {}
