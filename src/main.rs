//! The `lupe` binary: everything lives in the library; see `lupe::cli`.

use std::process::ExitCode;

fn main() -> ExitCode {
    lupe::cli::main()
}
