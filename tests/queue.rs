//! The dashboard's work queue for the week: each open case that needs the DPO appears once,
//! under its most urgent reason, with the next step.

mod common;

use common::*;
use dsar::cases::{self, NewCase, NextStep, PauseReason, Why};
use dsar::domain::{Channel, IdentifierKind, Right};

fn case(store: &mut dsar::store::Store, name: &str, received: &str) -> String {
    let new = NewCase {
        rights: vec![Right::Access],
        name: name.into(),
        address: vec![],
        identifiers: vec![(IdentifierKind::Email, format!("{}@example.org", name.to_lowercase().replace(' ', ".")))],
        received: date(received),
        jurisdiction: None,
        region: None,
        language: None,
        channel: Channel::Email,
    };
    cases::create(store, &ctx("2026-11-21"), new).unwrap().reference.to_string()
}

#[test]
fn overdue_due_soon_and_long_waits_are_queued_once_with_their_next_step() {
    let db = TempDb::new();
    let mut store = db.create();
    let overdue = case(&mut store, "Olga Alt", "2026-09-01");
    let soon = case(&mut store, "Sven Bald", "2026-10-24");
    let later = case(&mut store, "Lena Spaet", "2026-11-20");
    let waiting = case(&mut store, "Wim Wartet", "2026-10-01");
    let fresh_wait = case(&mut store, "Frida Frisch", "2026-11-15");
    cases::pause(&mut store, &ctx("2026-11-21"), &waiting, PauseReason::Identity, date("2026-10-02")).unwrap();
    cases::pause(&mut store, &ctx("2026-11-21"), &fresh_wait, PauseReason::Clarification, date("2026-11-18")).unwrap();
    let closed = case(&mut store, "Carl Zu", "2026-09-01");
    cases::close(&mut store, &ctx("2026-11-21"), &closed, dsar::domain::Outcome::Fulfilled, date("2026-11-01")).unwrap();

    let q = cases::this_week(&store, date("2026-11-21")).unwrap();
    let got: Vec<(&str, Why, NextStep)> = q.iter().map(|i| (i.reference.as_str(), i.why, i.next)).collect();
    assert_eq!(
        got,
        [(overdue.as_str(), Why::Overdue, NextStep::Search), (soon.as_str(), Why::DueSoon, NextStep::Search), (waiting.as_str(), Why::StoppedLong, NextStep::FollowUpSubject)],
        "{q:#?}"
    );
    assert!(!got.iter().any(|(r, _, _)| *r == later || *r == fresh_wait || *r == closed));
    let w = q.iter().find(|i| i.reference == waiting).unwrap();
    assert_eq!(w.stopped_since, Some(date("2026-10-02")));
    assert!(q[0].days_left < 0 && (0..7).contains(&q[1].days_left));
    // Nothing to do: an empty queue.
    let empty = TempDb::new();
    assert!(cases::this_week(&empty.create(), date("2026-11-21")).unwrap().is_empty());
}
