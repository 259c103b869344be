//! The case list as the DPO's weekly desk uses it: sorting both ways by due date, received
//! day and reference; the yearly-report CSV of every matching case (codes and dates only, no
//! personal data), from the core and from `dsar case list --csv`; and a case moving from
//! `new` to `in-progress` when work starts (its first search or letter).

mod common;

use common::*;
use dsar::cases::{self, Direction, ListQuery, NewCase, Sort};
use dsar::domain::{Channel, IdentifierKind, Outcome, Right};
use dsar::store::Store;

const TODAY: &str = "2026-11-21";

fn new_case(name: &str, received: &str, rights: Vec<Right>) -> NewCase {
    NewCase {
        rights,
        name: name.into(),
        address: vec![],
        identifiers: vec![(IdentifierKind::Email, format!("{}@example.org", name.to_lowercase().replace(' ', ".")))],
        received: date(received),
        jurisdiction: None,
        region: None,
        language: None,
        channel: Channel::Email,
    }
}

/// Three cases received in an order that differs from their due order once one is closed.
fn desk() -> (TempDb, Store, Vec<String>) {
    let db = TempDb::new();
    let mut store = db.create();
    let c = ctx(TODAY);
    let mut refs = Vec::new();
    for (name, received, rights) in [
        ("Anna Alt", "2026-10-01", vec![Right::Access]),
        ("Bernd Bauer", "2026-11-10", vec![Right::Access, Right::Erasure]),
        ("Carla Clausen", "2026-10-20", vec![Right::Objection]),
    ] {
        refs.push(cases::create(&mut store, &c, new_case(name, received, rights)).unwrap().reference.to_string());
    }
    cases::close(&mut store, &c, &refs[0], Outcome::Fulfilled, date("2026-10-15")).unwrap();
    (db, store, refs)
}

fn order(store: &Store, sort: Sort, direction: Direction) -> Vec<String> {
    let mut q = ListQuery::new(date(TODAY));
    q.sort = sort;
    q.direction = direction;
    cases::list(store, &q).unwrap().items.into_iter().map(|c| c.reference).collect()
}

#[test]
fn the_list_sorts_each_column_both_ways() {
    let (_db, store, r) = desk();
    let refs = |ix: [usize; 3]| ix.iter().map(|&i| r[i].clone()).collect::<Vec<_>>();
    // Due: open cases first, soonest due first; descending keeps open first, latest due first.
    assert_eq!(order(&store, Sort::Due, Direction::Natural), refs([2, 1, 0]));
    assert_eq!(order(&store, Sort::Due, Direction::Ascending), refs([2, 1, 0]));
    assert_eq!(order(&store, Sort::Due, Direction::Descending), refs([1, 2, 0]));
    // Received: newest first is the natural way.
    assert_eq!(order(&store, Sort::Received, Direction::Natural), refs([1, 2, 0]));
    assert_eq!(order(&store, Sort::Received, Direction::Ascending), refs([0, 2, 1]));
    assert_eq!(order(&store, Sort::Reference, Direction::Natural), refs([0, 1, 2]));
    assert_eq!(order(&store, Sort::Reference, Direction::Descending), refs([2, 1, 0]));
}

#[test]
fn csv_export_has_every_matching_case_and_no_personal_data() {
    let (db, store, r) = desk();
    let mut q = ListQuery::new(date(TODAY));
    q.sort = Sort::Reference;
    q.limit = 1; // the export ignores the page
    let path = db.dir.path().join("jahresbericht.csv");
    assert_eq!(cases::export_csv(&store, &q, &path).unwrap(), 3);
    let text = std::fs::read_to_string(&path).unwrap();
    let bernd = cases::get(&store, &r[1]).unwrap();
    let bernd_due = cases::list(&store, &ListQuery { search: Some(r[1].clone()), ..ListQuery::new(date(TODAY)) }).unwrap().items[0].due;
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "reference,received,rights,status,due,closed,outcome");
    assert_eq!(lines[2], format!("{},2026-11-10,access;erasure,new,{bernd_due},,", bernd.reference));
    assert!(lines[1].starts_with(&format!("{},2026-10-01,access,closed,", r[0])), "{}", lines[1]);
    assert!(lines[1].ends_with(",2026-10-15,fulfilled"), "{}", lines[1]);
    assert_eq!(lines.len(), 4);
    for name in ["Anna", "Bernd", "Carla", "example.org"] {
        assert!(!text.contains(name), "the CSV must not hold {name}: {text}");
    }
    // A filter applies: only open cases.
    q.open_only = true;
    assert_eq!(cases::export_csv(&store, &q, &path).unwrap(), 2);
    assert!(!std::fs::read_to_string(&path).unwrap().contains(&r[0]));
}

#[test]
fn cli_case_list_csv_writes_the_filtered_cases() {
    let (db, store, r) = desk();
    drop(store);
    let path = db.dir.path().join("report.csv");
    let out = ok(db.dsar(&["case", "list", "--right", "access", "--sort", "reference", "--csv", path.to_str().unwrap()]));
    assert!(out.contains("2 cases written"), "{out}");
    let text = std::fs::read_to_string(&path).unwrap();
    let refs: Vec<&str> = text.lines().skip(1).map(|l| l.split(',').next().unwrap()).collect();
    assert_eq!(refs, vec![r[0].as_str(), r[1].as_str()]);
    let out = ok(db.dsar(&["case", "list", "--sort", "reference", "--reverse", "--json"]));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let listed: Vec<&str> = v["cases"].as_array().unwrap().iter().map(|c| c["reference"].as_str().unwrap()).collect();
    assert_eq!(listed, vec![r[2].as_str(), r[1].as_str(), r[0].as_str()]);
}

fn status(db: &TempDb, reference: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(&ok(db.dsar(&["case", "show", reference, "--json"]))).unwrap();
    v["status"].as_str().unwrap().to_string()
}

#[test]
fn a_case_is_in_progress_once_its_systems_are_searched_or_a_letter_is_saved() {
    let db = TempDb::new();
    let mut store = db.create();
    dsar::register_store::import_file(&mut store, &ctx(TODAY), &data("registers/minimal.json")).unwrap();
    let c = ctx(TODAY);
    let pulled = cases::create(&mut store, &c, new_case("Dora Dorn", "2026-11-18", vec![Right::Access])).unwrap().reference.to_string();
    let lettered = cases::create(&mut store, &c, new_case("Emil Ernst", "2026-11-18", vec![Right::Access])).unwrap().reference.to_string();
    let paused = cases::create(&mut store, &c, new_case("Frida Frei", "2026-11-18", vec![Right::Access])).unwrap().reference.to_string();
    cases::pause(&mut store, &c, &paused, cases::PauseReason::Identity, date("2026-11-19")).unwrap();
    drop(store);
    assert_eq!(status(&db, &pulled), "new");

    // A pull starts the work, whatever the systems answered.
    let _ = db.dsar(&["case", "pull", &pulled]);
    assert_eq!(status(&db, &pulled), "in-progress");
    let pdf = db.dir.path().join("eingang.pdf");
    ok(db.dsar(&["letter", &lettered, "--kind", "acknowledgement", "--out", pdf.to_str().unwrap()]));
    assert_eq!(status(&db, &lettered), "in-progress");
    // A stopped clock stays stopped.
    let _ = db.dsar(&["case", "pull", &paused]);
    assert_eq!(status(&db, &paused), "awaiting-identity");

    // The move is audited with what started it.
    let store = db.open();
    let case = cases::get(&store, &pulled).unwrap();
    let because: Vec<String> = store
        .conn()
        .prepare("SELECT json_extract(details, '$.because') FROM audit_events WHERE case_id = ?1 AND action = 'case.status-changed'")
        .unwrap()
        .query_map([&case.id], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(because, vec!["pulled".to_string()]);
}
