//! The `dsar` command line: parse, run, map errors to exit codes 0 / 1 / 2.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    // One line, never a trace: a panic is our bug, and its message may hold data.
    std::panic::set_hook(Box::new(|_| {
        eprintln!("dsar: internal error — nothing was saved from the failed step; please report this with the command you ran");
    }));
    match std::panic::catch_unwind(cli::run) {
        Ok(code) => code,
        Err(_) => ExitCode::from(2),
    }
}
