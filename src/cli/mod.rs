//! Command-line arguments (clap) and dispatch to the core's operations.

mod acting;
mod args;
mod commands;
mod letter;
mod export;
mod identity;
mod intake;
mod output;
mod pull;
mod unlock;
mod yields;

use std::process::ExitCode;

use clap::Parser;

pub use args::Cli;

/// A failure with its exit code: 1 for the user's input, 2 for the program.
pub struct Failure {
    code: u8,
    message: String,
}

impl Failure {
    pub fn user(message: impl Into<String>) -> Failure {
        Failure { code: 1, message: message.into() }
    }

    /// Exit 1 when the core says the user can fix it, else 2.
    pub(crate) fn classified(user_error: bool, e: &dyn std::fmt::Display) -> Failure {
        Failure { code: if user_error { 1 } else { 2 }, message: e.to_string() }
    }
}

impl From<dsar::Error> for Failure {
    fn from(e: dsar::Error) -> Failure {
        Failure::classified(e.is_user_error(), &e)
    }
}

impl From<dsar::bundle::BundleError> for Failure {
    fn from(e: dsar::bundle::BundleError) -> Failure {
        Failure::classified(e.is_user_error(), &e)
    }
}

impl From<dsar::mail::MailError> for Failure {
    fn from(e: dsar::mail::MailError) -> Failure {
        Failure::classified(e.is_user_error(), &e)
    }
}

impl From<dsar::store::StoreError> for Failure {
    fn from(e: dsar::store::StoreError) -> Failure {
        dsar::Error::from(e).into()
    }
}

impl From<dsar::backup::BackupError> for Failure {
    fn from(e: dsar::backup::BackupError) -> Failure {
        Failure::classified(e.is_user_error(), &e)
    }
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Failure {
        Failure { code: 2, message: format!("i/o error: {e}") }
    }
}

/// Parses the arguments and runs the command.
pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            use clap::error::ErrorKind;
            if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand) {
                let _ = e.print();
                return ExitCode::SUCCESS;
            }
            // clap's first line names the argument and the problem; the usage block is noise here.
            let text = e.to_string();
            let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("invalid arguments");
            eprintln!("dsar: {} (see dsar --help)", first.trim_start_matches("error: "));
            return ExitCode::from(1);
        }
    };
    match commands::dispatch(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("dsar: {}", f.message);
            ExitCode::from(f.code)
        }
    }
}
