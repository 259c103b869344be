//! A full disk: the desk lives on a small tmpfs (a private mount namespace made by the test
//! with `unshare`), filled to the last byte. Pull, export, backup and restore each fail with
//! one clear error; the desk still opens, passes integrity_check and its audit chain, holds
//! what it held, and no partial file is left. Once space is freed, each works again.

mod common;
mod firms;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use dsar::cases::{self, NewCase};
use dsar::connectors::Cancel;
use dsar::domain::{Channel, IdentifierKind, Right};
use dsar::pull::{self, PullOptions};
use dsar::store::Store;

const TODAY: &str = "2026-11-21";

/// Fills the file system holding `dir` until writing fails with "no space".
fn fill(dir: &Path) -> PathBuf {
    let filler = dir.join("filler");
    let mut f = std::fs::File::create(&filler).unwrap();
    let block = vec![0u8; 64 * 1024];
    loop {
        match f.write_all(&block) {
            Ok(()) => {}
            Err(e) if e.raw_os_error() == Some(28) => break,
            Err(e) => panic!("filling the disk: {e}"),
        }
    }
    // Smaller writes take the last free bytes too.
    while f.write_all(&[0u8; 512]).is_ok() {}
    let _ = f.sync_all();
    filler
}

/// State that must survive every refused operation.
fn state(db: &Path) -> (i64, i64, i64) {
    let store = Store::open(db, PASS).unwrap_or_else(|e| panic!("the desk does not open on a full disk: {e}"));
    assert_eq!(store.integrity_check().unwrap(), Ok(()));
    assert!(dsar::audit::verify(store.conn()).unwrap().is_intact());
    let q = |sql: &str| -> i64 { store.conn().query_row(sql, [], |r| r.get(0)).unwrap() };
    (q("SELECT count(*) FROM cases"), q("SELECT count(*) FROM evidence"), q("SELECT count(*) FROM documents"))
}

fn names(dir: &Path) -> Vec<String> {
    let mut n: Vec<String> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    n.sort();
    n
}

/// Runs inside the private mount namespace, with `DSAR_FULL_DIR` a 4 MiB tmpfs.
#[test]
#[ignore = "the child process of pull_export_backup_and_restore_on_a_full_disk_fail_cleanly_and_change_nothing"]
fn full_disk_child() {
    let small = PathBuf::from(std::env::var("DSAR_FULL_DIR").expect("run by the disk-full test only"));
    let outside = PathBuf::from(std::env::var("DSAR_FULL_OUTSIDE").expect("DSAR_FULL_OUTSIDE"));
    let c = ctx(TODAY);
    let firm = firms::websmart(&outside.join("firm"), 500, 3);
    let db = small.join("desk.db");
    let reference = {
        let mut store = Store::create(&db, PASS).unwrap();
        dsar::register_store::import_file(&mut store, &c, &firm.register).unwrap();
        for (name, value) in &firm.secrets {
            dsar::secrets::set(&mut store, &c, name, value).unwrap();
        }
        let case = cases::create(
            &mut store,
            &c,
            NewCase {
                rights: vec![Right::Access],
                name: firm.name.clone(),
                address: vec![],
                identifiers: firm.identifiers.iter().map(|(k, v)| (IdentifierKind::from_key(k).unwrap(), v.clone())).collect(),
                received: date("2026-11-02"),
                jurisdiction: None,
                region: None,
                language: None,
                channel: Channel::Email,
            },
        )
        .unwrap();
        let reference = case.reference.to_string();
        pull::run(&mut store, &c, &reference, &PullOptions::default(), &|_| {}, &Cancel::new()).unwrap();
        dsar::backup::backup(&mut store, &c, &outside.join("good.bak")).unwrap();
        reference
    };
    let before = state(&db);
    assert!(before.1 > 0, "the first pull found records");
    let files_before = names(&small);

    // The app has the desk open when the disk fills up.
    let mut store = Store::open(&db, PASS).unwrap();
    let filler = fill(&small);
    // A pull writes evidence (a new pull time at least) and an audit event.
    let e = pull::run(&mut store, &c, &reference, &PullOptions::default(), &|_| {}, &Cancel::new()).unwrap_err();
    assert!(e.to_string().contains("disk") && e.to_string().contains("full"), "pull: {e}");
    let e = dsar::bundle::export(&mut store, &c, &reference, &small.join("answer.zip"), None).unwrap_err();
    assert!(e.to_string().contains("space") || e.to_string().contains("full"), "export: {e}");
    let e = dsar::backup::backup(&mut store, &c, &small.join("copy.bak")).unwrap_err();
    assert!(e.to_string().contains("space") || e.to_string().contains("full"), "backup: {e}");
    let e = dsar::backup::verify(&db, &outside.join("good.bak"), PASS).and_then(|v| v.replace(store, &c)).unwrap_err();
    assert!(e.to_string().contains("space") || e.to_string().contains("full"), "restore: {e}");
    assert_eq!(state(&db), before, "a refused operation changed the desk");
    let mut left = names(&small);
    left.retain(|n| n != "filler");
    let mut expected = files_before.clone();
    expected.retain(|n| n != "desk.db-wal" && n != "desk.db-shm");
    left.retain(|n| n != "desk.db-wal" && n != "desk.db-shm");
    assert_eq!(left, expected, "partial files were left on the full disk");

    // Space again: everything works and nothing was lost.
    std::fs::remove_file(&filler).unwrap();
    let mut store = Store::open(&db, PASS).unwrap();
    pull::run(&mut store, &c, &reference, &PullOptions::default(), &|_| {}, &Cancel::new()).unwrap();
    dsar::bundle::export(&mut store, &c, &reference, &small.join("answer.zip"), None).unwrap();
    dsar::backup::backup(&mut store, &c, &small.join("copy.bak")).unwrap();
    let after = state(&db);
    assert_eq!((after.0, after.1), (before.0, before.1));
    println!("full disk: pull, export, backup and restore refused cleanly; all work again with space");
}

#[test]
fn pull_export_backup_and_restore_on_a_full_disk_fail_cleanly_and_change_nothing() {
    let outside = tempfile::tempdir().unwrap();
    let small = outside.path().join("small");
    std::fs::create_dir(&small).unwrap();
    let me = std::env::current_exe().unwrap();
    // A private mount namespace (mapped to root when the test is not root) with a 4 MiB
    // tmpfs over `small`: nothing outside the test sees it, and it vanishes with the child.
    let script = format!(
        "mount -t tmpfs -o size=4m tmpfs '{}' && exec '{}' --exact full_disk_child --ignored --nocapture --test-threads=1",
        small.display(),
        me.display()
    );
    let out = Command::new("unshare")
        .args(["--mount", "--map-root-user", "sh", "-c", &script])
        .env("DSAR_FULL_DIR", &small)
        .env("DSAR_FULL_OUTSIDE", outside.path())
        .output()
        .expect("unshare (util-linux) runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && text.contains("all work again"),
        "{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
