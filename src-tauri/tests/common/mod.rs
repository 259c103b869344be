//! Shared fixtures of the shell's tests: a desk in a temporary folder (fixed day), a fresh
//! encrypted database, the Jaimo fixture register, a new case's input and a list query.
#![allow(dead_code)]

use std::path::Path;

use chrono::NaiveDate;
use dsar_desk::api;
use dsar_desk::dto::{CaseQuery, NewCaseInput};
use dsar_desk::{Desk, DeskConfig};

pub const PASS: &str = "correct horse battery";
pub const TODAY: &str = "2026-11-21";

pub fn today() -> NaiveDate {
    NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").unwrap()
}

/// The desk's configuration for files in `dir`.
pub fn config(dir: &Path) -> DeskConfig {
    DeskConfig {
        db_path: dir.join("dsar.db"),
        demo_path: dir.join("demo").join("dsar-demo.db"),
        documents_dir: dir.join("app-data").join("documents"),
        today: Some(today()),
        actor: "app:test".into(),
        demo_at_start: false,
    }
}

pub fn desk_in(dir: &Path) -> Desk {
    Desk::new(config(dir))
}

/// A new encrypted database, unlocked, without a register.
pub fn fresh_desk() -> (tempfile::TempDir, Desk) {
    let dir = tempfile::tempdir().unwrap();
    let desk = desk_in(dir.path());
    api::create_desk(&desk, PASS.into()).unwrap();
    (dir, desk)
}

pub fn fixture_register(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/registers").join(name).display().to_string()
}

/// A fresh desk with Jaimo Solutions' register imported.
pub fn with_register() -> (tempfile::TempDir, Desk) {
    let (dir, desk) = fresh_desk();
    api::import_register(&desk, fixture_register("jaimo.json")).unwrap();
    (dir, desk)
}

/// Every case, open first by due date, 50 a page.
pub fn query() -> CaseQuery {
    CaseQuery { status: None, overdue: false, open_only: false, right: None, search: None, sort: "due".into(), direction: None, limit: 50, offset: 0 }
}

/// An access request by e-mail.
pub fn new_case(name: &str, email: &str, received: &str) -> NewCaseInput {
    NewCaseInput {
        rights: vec!["access".into()],
        name: name.into(),
        email: Some(email.into()),
        phone: None,
        ids: vec![],
        address: vec![],
        received: received.into(),
        jurisdiction: None,
        region: None,
        language: None,
        channel: "email".into(),
        requester: None,
    }
}
