//! The `dsar` command line: parse, run, map errors to exit codes 0 / 1 / 2.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    // One line, never a trace: a panic is our bug, and its message may hold data.
    std::panic::set_hook(Box::new(|info| {
        let payload = info.payload();
        let message = payload.downcast_ref::<String>().map(String::as_str).or_else(|| payload.downcast_ref::<&str>().copied()).unwrap_or("");
        // The reader of our output went away (`dsar case list | head`): stop quietly, with the
        // status a shell gives a program ended by SIGPIPE.
        if message.contains("failed printing to stdout") {
            std::process::exit(141);
        }
        eprintln!("dsar: internal error — nothing was saved from the failed step; please report this with the command you ran");
    }));
    match std::panic::catch_unwind(cli::run) {
        Ok(code) => code,
        Err(_) => ExitCode::from(2),
    }
}
