//! Shared helpers for the integration tests: temporary databases and running the CLI.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use chrono::NaiveDate;
use dsar::cases::Context;
use dsar::store::Store;

pub const PASS: &str = "correct horse battery";

pub fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
}

pub fn ctx(today: &str) -> Context {
    Context { actor: "test".into(), today: date(today), now: chrono::Utc::now() }
}

pub fn data(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(rel)
}

pub struct TempDb {
    pub dir: tempfile::TempDir,
    pub path: PathBuf,
}

impl TempDb {
    pub fn new() -> TempDb {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("desk.db");
        TempDb { dir, path }
    }

    pub fn create(&self) -> Store {
        Store::create(&self.path, PASS).expect("create store")
    }

    pub fn open(&self) -> Store {
        Store::open(&self.path, PASS).expect("open store")
    }

    /// Runs the CLI on this database with the right passphrase and a fixed today.
    pub fn dsar(&self, args: &[&str]) -> Output {
        dsar_cmd().env("DSAR_DB", &self.path).env("DSAR_PASSPHRASE", PASS).args(args).output().expect("run dsar")
    }
}

pub fn dsar_cmd() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_dsar"));
    c.env_remove("DSAR_DB").env_remove("DSAR_PASSPHRASE").env("DSAR_TODAY", "2026-11-21").env("USER", "tester");
    c
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Asserts success and returns stdout.
#[track_caller]
pub fn ok(o: Output) -> String {
    assert!(o.status.success(), "expected success, got {:?}\nstdout: {}\nstderr: {}", o.status.code(), stdout(&o), stderr(&o));
    stdout(&o)
}
