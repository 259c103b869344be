//! What must be on record before a letter of a kind may go out as final, beyond the acting
//! records (`Acted::missing_for`): the desk never says what it cannot show (RULES.md §3).
//! Each unmet condition is one line saying what to record or which letter fits instead.

use chrono::DateTime;
use rusqlite::Connection;

use super::context::{Finding, FindingStatus};
use super::{LetterInput, LetterKind, Unrecorded};
use crate::deadline::Pause;
use crate::error::Result;
use crate::register::Article;

/// The unmet conditions for the input's kind (empty: it may go out).
pub(super) fn unmet(conn: &Connection, input: &LetterInput<'_>, found: &[Finding<'_>]) -> Result<Vec<Unrecorded>> {
    let reference = input.case.reference.to_string();
    let mut out = Vec::new();
    match input.kind {
        LetterKind::AccessSupplement => match input.earlier_access {
            None => out.push(Unrecorded::new("unrecorded.no-access-answer", vec![], format!("no access answer has been saved for {reference}: a supplement completes one — send access-response first"))),
            Some((_, at)) => {
                if new_since(input, at).is_empty() {
                    out.push(Unrecorded::new("unrecorded.nothing-new", vec![], "no system returned results after the last access answer: pull the systems still being checked, or record their operators' answers"));
                }
            }
        },
        LetterKind::ObjectionNotApplicable => {
            let held: Vec<&Finding<'_>> = found.iter().filter(|f| matches!(f.status, FindingStatus::Found { .. })).collect();
            if held.is_empty() {
                out.push(Unrecorded::new("unrecorded.nothing-held", vec![], "no system holds data about the subject: there is nothing the objection could apply to — answer with no-data once every system is searched"));
            }
            for f in &held {
                if let Some(b) = f.system.legal_bases.iter().find(|b| b.article() == Article::Art6 && matches!(b.point(), 'e' | 'f')) {
                    out.push(Unrecorded::new(
                        "unrecorded.objection-applies",
                        vec![("system", f.system.id.clone()), ("basis", b.code())],
                        format!("system {} rests on {}: the objection applies there — weigh it and answer with objection-accepted or objection-rejected", f.system.id, b.code()),
                    ));
                }
            }
        }
        LetterKind::IdentityNotEstablished => {
            if !input.case.pauses.iter().any(|p| matches!(p, Pause::Identity { .. })) {
                out.push(Unrecorded::new(
                    "unrecorded.identity-never-asked",
                    vec![],
                    format!("the subject was never asked to confirm their identity: send identity-request and stop the clock (dsar case pause {reference} --reason identity --from DATE)"),
                ));
            }
            if crate::identity::established(conn, &input.case.id)? {
                out.push(Unrecorded::new("unrecorded.identity-established", vec![], format!("identity is recorded as established for {reference}: answer the request instead")));
            }
        }
        LetterKind::RequestByRepresentative => {
            if input.case.requester.is_none() {
                out.push(Unrecorded::new("unrecorded.no-requester", vec![], format!("no requester is recorded for {reference}: record who made the request (dsar case requester {reference} …)")));
            }
        }
        LetterKind::ConsentWithdrawalConfirmation => {
            if !input.case.rights.iter().any(|r| matches!(r, crate::domain::Right::WithdrawConsent | crate::domain::Right::OptOut)) {
                out.push(Unrecorded::new("unrecorded.no-consent-right", vec![], "the case does not ask to withdraw consent: add the right, or choose the letter for what was asked"));
            }
        }
        _ => {}
    }
    Ok(out)
}

/// Systems whose results were stored after the earlier letter (time `at`, RFC 3339), that
/// hold data: what a supplement adds.
pub(super) fn new_since<'a>(input: &'a LetterInput<'_>, at: &str) -> Vec<&'a str> {
    let Ok(at) = DateTime::parse_from_rfc3339(at) else { return Vec::new() };
    input
        .results
        .iter()
        .filter(|r| DateTime::parse_from_rfc3339(&r.pulled_at).is_ok_and(|p| p > at))
        .filter(|r| r.records > 0 || input.evidence.iter().any(|e| e.system_id == r.system_id))
        .map(|r| r.system_id.as_str())
        .collect()
}
