//! DSAR desk core: cases, deadlines, register, store and audit trail — no front end.
//!
//! Every user action is one function here (e.g. [`cases::create`], [`cases::pause`],
//! [`register_store::import_file`]) called alike by the `dsar` CLI and the desktop app.
#![warn(missing_docs)]

pub mod acting;
pub mod audit;
pub mod backup;
pub mod bundle;
pub mod calendar;
pub mod connectors;
pub mod cases;
pub mod deadline;
pub mod demo;
pub mod documents;
pub mod domain;
pub mod error;
pub mod evidence;
pub mod identity;
pub mod intake;
pub mod pull;
pub mod mail;
pub mod output;
pub mod register;
pub mod register_diff;
pub mod register_store;
pub mod reminders;
pub mod secrets;
pub mod settings;
pub mod store;
pub mod suppression;
pub mod tasks;
pub mod letters;
pub mod pdf;

pub use error::{Error, InputError, Result};
