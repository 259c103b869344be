//! DSAR desk core: cases, deadlines, register, store and audit trail — no front end.
#![warn(missing_docs)]

pub mod deadline;
pub mod domain;
pub mod register;
