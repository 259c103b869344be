//! Case operations — one transport-neutral function per user action, shared by the CLI and
//! the desktop app. Each runs in one transaction and records one audit event.

mod listing;
pub mod links;
pub mod queue;
pub mod requester;
pub mod salutation;
mod record;
mod stats;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Transaction};
use serde_json::json;

use crate::audit;
pub use crate::deadline::PauseReason;
use crate::deadline::{CalendarOverrides, Jurisdiction, Pause, Region};
use crate::domain::{CaseRef, Channel, Identifier, IdentifierKind, Language, Outcome, Right, Status, Subject};
use crate::error::{Error, InputError, Result};
use crate::store::Store;

pub use listing::{export_csv, list, write_csv, CaseSummary, Direction, ListQuery, Page, Sort, CSV_COLUMNS};
pub use record::Case;
pub use queue::{this_week, NextStep, QueueItem, Why};
pub use stats::{dashboard, Dashboard, MonthCount, MONTHS};

/// Who acts and when: "today" is always passed in, never read inside the core.
#[derive(Debug, Clone)]
pub struct Context {
    /// The acting user, e.g. `cli:anna`.
    pub actor: String,
    /// The user's calendar day.
    pub today: NaiveDate,
    /// The instant, for audit timestamps.
    pub now: DateTime<Utc>,
}

impl Context {
    /// A context for `actor` at the current time, with the local calendar day.
    pub fn now(actor: impl Into<String>) -> Context {
        Context { actor: actor.into(), today: chrono::Local::now().date_naive(), now: Utc::now() }
    }
}

/// What the user enters for a new case.
#[derive(Debug, Clone)]
pub struct NewCase {
    /// Rights invoked (at least one).
    pub rights: Vec<Right>,
    /// Subject's name.
    pub name: String,
    /// Subject's postal address lines.
    pub address: Vec<String>,
    /// Identifiers as entered; normalised on create.
    pub identifiers: Vec<(IdentifierKind, String)>,
    /// Day the request reached the controller.
    pub received: NaiveDate,
    /// Law; default from the register's controller, else `gdpr`.
    pub jurisdiction: Option<Jurisdiction>,
    /// Holiday calendar; default from the register's controller, else the jurisdiction's.
    pub region: Option<Region>,
    /// Language of the correspondence; default the controller's, else English.
    pub language: Option<Language>,
    /// How it arrived.
    pub channel: Channel,
}

/// Defaults a new case takes from the register's controller.
#[derive(Debug, Clone)]
struct Defaults {
    jurisdiction: Option<Jurisdiction>,
    region: Option<Region>,
    language: Option<Language>,
    country: Option<String>,
}

fn controller_defaults(store: &Store) -> Result<Defaults> {
    let reg = crate::register_store::current(store)?;
    Ok(match reg {
        Some(r) => Defaults {
            jurisdiction: Some(r.controller.jurisdiction()),
            region: Some(r.controller.region()),
            language: Some(r.controller.language()),
            country: Some(r.controller.country.clone()),
        },
        None => Defaults { jurisdiction: None, region: None, language: None, country: None },
    })
}

/// The same day one year earlier (28 February for a 29th): the window in which a request
/// counts as a repeat (Art. 12(5)) and intake looks for duplicates.
pub fn twelve_months_before(day: NaiveDate) -> NaiveDate {
    use chrono::Datelike;
    day.with_year(day.year() - 1).or_else(|| day.pred_opt().and_then(|d| d.with_year(day.year() - 1))).unwrap_or(day)
}

/// Loads the user's calendar overrides (added/removed days) for a region.
pub fn calendar_overrides(conn: &rusqlite::Connection, region: Region) -> Result<CalendarOverrides> {
    let mut ov = CalendarOverrides::default();
    let mut stmt = conn.prepare_cached("SELECT date, kind, name FROM calendar_days WHERE region = ?1 ORDER BY date")?;
    let mut rows = stmt.query([region.code()])?;
    while let Some(r) = rows.next()? {
        let date: String = r.get(0)?;
        let kind: String = r.get(1)?;
        let name: String = r.get(2)?;
        let Ok(date) = NaiveDate::parse_from_str(&date, "%Y-%m-%d") else { continue };
        if kind == "added" {
            ov.added.push((date, name));
        } else {
            ov.removed.push(date);
        }
    }
    if let Some(v) = setting_value(conn, "bavaria_assumption")? {
        ov.bavaria_assumption = v != "off";
    }
    Ok(ov)
}

fn setting_value(conn: &rusqlite::Connection, key: &str) -> Result<Option<String>> {
    use rusqlite::OptionalExtension;
    Ok(conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0)).optional()?)
}

fn not_future(field: &str, date: NaiveDate, today: NaiveDate) -> Result<()> {
    if date > today {
        return Err(InputError::new(field, format!("{date} is in the future"), "give the day it actually happened (today or earlier)").into());
    }
    Ok(())
}

/// The first day a request can have been received: the GDPR applies from 25 May 2018
/// (Art. 99(2)); the UK GDPR continued it and the CCPA came later. An earlier year is a typo
/// (`0206-03-01`, `2106` for `2026` is caught by [`not_future`]).
fn plausible(field: &str, date: NaiveDate) -> Result<()> {
    let first = NaiveDate::from_ymd_opt(2018, 5, 25).unwrap_or(NaiveDate::MIN);
    if date < first {
        return Err(InputError::new(field, format!("{date} is before 25 May 2018, when the GDPR began to apply"), "check the year: use YYYY-MM-DD, e.g. 2026-03-05").into());
    }
    Ok(())
}

/// Refuses terminal escapes, NUL and other control characters in text a person typed: they
/// are never part of a name and would reach terminals, letters and file names raw.
fn no_control_characters(field: &str, text: &str) -> Result<()> {
    if let Some(c) = text.chars().find(|c| c.is_control()) {
        return Err(InputError::new(field, format!("contains the control character U+{:04X}", u32::from(c)), "retype it as plain text (no tabs, line breaks or escape sequences)").into());
    }
    Ok(())
}

fn validate_rights(rights: &[Right], jurisdiction: Jurisdiction) -> Result<Vec<Right>> {
    if rights.is_empty() {
        return Err(InputError::new("right", "no right given", "name at least one, e.g. --right access").into());
    }
    let ccpa = jurisdiction == Jurisdiction::Ccpa;
    let mut out: Vec<Right> = Vec::new();
    for r in rights {
        let is_ccpa_right = matches!(r, Right::Know | Right::Delete | Right::Correct | Right::OptOut | Right::Limit);
        if is_ccpa_right != ccpa {
            let fix = if ccpa {
                "under ccpa use know, delete, correct, opt-out or limit"
            } else {
                "know, delete, correct, opt-out and limit are CCPA rights: use access, erasure, rectification… or --jurisdiction ccpa"
            };
            return Err(InputError::new("right", format!("'{r}' does not exist under {jurisdiction}"), fix).into());
        }
        if !out.contains(r) {
            out.push(*r);
        }
    }
    Ok(out)
}

/// Validates and normalises a new case without writing anything.
fn prepare(new: NewCase, defaults: &Defaults, ctx: &Context) -> Result<Prepared> {
    let name = new.name.trim().to_string();
    if name.is_empty() {
        return Err(InputError::new("name", "the subject's name is empty", "enter the name as the subject gave it").into());
    }
    if name.chars().count() > 300 {
        return Err(InputError::new("name", "longer than 300 characters", "shorten it").into());
    }
    no_control_characters("name", &name)?;
    for line in &new.address {
        no_control_characters("address", line)?;
    }
    not_future("received", new.received, ctx.today)?;
    plausible("received", new.received)?;
    let jurisdiction = new
        .jurisdiction
        .or_else(|| new.region.map(Region::default_jurisdiction))
        .or(defaults.jurisdiction)
        .unwrap_or(Jurisdiction::Gdpr);
    let region = match new.region {
        Some(r) => r,
        None => defaults.region.filter(|r| jurisdiction.covers(*r)).unwrap_or_else(|| jurisdiction.default_region()),
    };
    if !jurisdiction.covers(region) {
        let allowed: Vec<&str> = jurisdiction.regions().map(|r| r.code()).collect();
        return Err(InputError::new("region", format!("{region} is not in the territory of {jurisdiction}"), format!("use one of {}", allowed.join(", "))).into());
    }
    let language = new.language.or(defaults.language).unwrap_or(Language::En);
    let rights = validate_rights(&new.rights, jurisdiction)?;
    let country = defaults.country.clone().unwrap_or_else(|| region.country().to_string());
    let mut subject = Subject { name, address: new.address.iter().map(|l| l.trim().to_string()).filter(|l| !l.is_empty()).collect(), identifiers: vec![] };
    for (kind, raw) in &new.identifiers {
        no_control_characters(kind.key(), raw)?;
        subject.add(Identifier::new(kind.clone(), raw, &country)?);
    }
    Ok(Prepared { new: NewCase { rights, ..new }, subject, jurisdiction, region, language })
}

/// A new case after validation: defaults applied, identifiers normalised.
struct Prepared {
    new: NewCase,
    subject: Subject,
    jurisdiction: Jurisdiction,
    region: Region,
    language: Language,
}

fn insert_case(tx: &Transaction<'_>, ctx: &Context, p: &Prepared, overrides: &CalendarOverrides) -> Result<Case> {
    let Prepared { new, subject, jurisdiction, region, language } = p;
    let (jurisdiction, region, language) = (*jurisdiction, *region, *language);
    let year = chrono::Datelike::year(&new.received);
    let seq: u32 = tx.query_row("SELECT COALESCE(MAX(seq), 0) + 1 FROM cases WHERE year = ?1", [year], |r| r.get(0))?;
    let reference = CaseRef { year, number: seq };
    let mut case = Case {
        id: uuid::Uuid::now_v7().to_string(),
        reference,
        rights: new.rights.clone(),
        subject: subject.clone(),
        channel: new.channel,
        received: new.received,
        jurisdiction,
        region,
        language,
        status: Status::New,
        outcome: None,
        closed_on: None,
        extended_on: None,
        extension_reason: None,
        pauses: vec![],
        requester: None,
        salutation: None,
    };
    let dl = case.deadline(overrides)?;
    let now = ctx.now.to_rfc3339();
    tx.execute(
        "INSERT INTO cases (id, year, seq, reference, rights, subject_name, subject_address, channel, received,
                            jurisdiction, region, language, status, due, extended_due, effective_due, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?17)",
        params![
            case.id, year, seq, reference.to_string(), record::rights_code(&case.rights), case.subject.name,
            serde_json::to_string(&case.subject.address).unwrap_or_else(|_| "[]".into()), case.channel.code(),
            case.received.to_string(), jurisdiction.code(), region.code(), language.code(), case.status.code(),
            dl.due.to_string(), dl.extended_due.map(|d| d.to_string()), dl.due.to_string(), now
        ],
    )?;
    {
        let mut ins = tx.prepare_cached("INSERT INTO identifiers (case_id, kind, value) VALUES (?1, ?2, ?3)")?;
        for id in &case.subject.identifiers {
            ins.execute(params![case.id, id.kind.key(), id.value])?;
        }
    }
    let search_text = std::iter::once(reference.to_string())
        .chain(std::iter::once(case.subject.name.clone()))
        .chain(case.subject.identifiers.iter().map(|i| i.value.clone()))
        .collect::<Vec<_>>()
        .join(" ");
    tx.prepare_cached("INSERT INTO case_search (case_id, text) VALUES (?1, ?2)")?.execute(params![case.id, search_text])?;
    // Only codes and dates: the subject's name and identifiers stay out of the audit trail.
    let details = json!({
        "reference": reference.to_string(),
        "rights": case.rights.iter().map(|r| r.code()).collect::<Vec<_>>(),
        "channel": case.channel.code(),
        "received": case.received.to_string(),
        "jurisdiction": jurisdiction.code(),
        "region": region.code(),
        "language": language.code(),
        "identifier_kinds": case.subject.identifiers.iter().map(|i| i.kind.key().to_string()).collect::<Vec<_>>(),
        "due": dl.due.to_string(),
    });
    audit::append(tx, Some(&case.id), &ctx.actor, "case.created", &details, ctx.now)?;
    case.status = Status::New;
    Ok(case)
}

/// Records a new case and computes its deadline.
pub fn create(store: &mut Store, ctx: &Context, new: NewCase) -> Result<Case> {
    let defaults = controller_defaults(store)?;
    let prepared = prepare(new, &defaults, ctx)?;
    let overrides = calendar_overrides(store.conn(), prepared.region)?;
    store.write(|tx| insert_case(tx, ctx, &prepared, &overrides))
}

/// Records a new case and, in the same transaction, whatever `then` stores with it (intake
/// keeps the original e-mail): the case and its source exist together or not at all.
pub fn create_with<T>(store: &mut Store, ctx: &Context, new: NewCase, then: impl FnOnce(&Transaction<'_>, &Case) -> Result<T>) -> Result<(Case, T)> {
    let defaults = controller_defaults(store)?;
    let prepared = prepare(new, &defaults, ctx)?;
    let overrides = calendar_overrides(store.conn(), prepared.region)?;
    store.write(|tx| {
        let case = insert_case(tx, ctx, &prepared, &overrides)?;
        let extra = then(tx, &case)?;
        Ok((case, extra))
    })
}

/// Records many cases in one transaction (spreadsheet import, benchmarks): all or none.
pub fn create_many(store: &mut Store, ctx: &Context, cases: Vec<NewCase>) -> Result<Vec<CaseRef>> {
    let defaults = controller_defaults(store)?;
    let mut prepared = Vec::with_capacity(cases.len());
    for (i, new) in cases.into_iter().enumerate() {
        let p = prepare(new, &defaults, ctx).map_err(|e| match e {
            Error::Input(mut ie) => {
                ie.field = format!("case {}: {}", i + 1, ie.field);
                Error::Input(ie)
            }
            other => other,
        })?;
        prepared.push(p);
    }
    let mut overrides: Vec<(Region, CalendarOverrides)> = Vec::new();
    for p in &prepared {
        if !overrides.iter().any(|(x, _)| *x == p.region) {
            overrides.push((p.region, calendar_overrides(store.conn(), p.region)?));
        }
    }
    let default = CalendarOverrides::default();
    store.write(|tx| {
        let mut refs = Vec::with_capacity(prepared.len());
        for p in &prepared {
            let ov = overrides.iter().find(|(x, _)| *x == p.region).map_or(&default, |(_, o)| o);
            refs.push(insert_case(tx, ctx, p, ov)?.reference);
        }
        Ok(refs)
    })
}

/// Loads one case by reference.
pub fn get(store: &Store, reference: &str) -> Result<Case> {
    record::load(store.conn(), reference)
}

/// Applies a change to a case inside one transaction: loads it, lets `change` modify it and
/// name the audit action, recomputes and caches the deadline, stores it, records the event.
/// The case is read inside the (immediate) write transaction: when the CLI and the app change
/// the same case at once, the second sees the first's change instead of overwriting it.
fn modify(
    store: &mut Store,
    ctx: &Context,
    reference: &str,
    change: impl FnOnce(&mut Case, &CalendarOverrides) -> Result<(&'static str, serde_json::Value)>,
) -> Result<Case> {
    store.write(|tx| {
        let mut case = record::load(tx, reference)?;
        let overrides = calendar_overrides(tx, case.region)?;
        let (action, details) = change(&mut case, &overrides)?;
        let dl = case.deadline(&overrides)?;
        record::save(tx, &case, &dl, ctx)?;
        let mut details = details;
        if let Some(obj) = details.as_object_mut() {
            obj.insert("reference".into(), json!(case.reference.to_string()));
            obj.insert("status".into(), json!(case.status.code()));
            obj.insert("due".into(), json!(case.effective_due(&dl).to_string()));
        }
        audit::append(tx, Some(&case.id), &ctx.actor, action, &details, ctx.now)?;
        Ok::<_, Error>(case)
    })
}

/// Stops the clock: identity check or clarification asked on `from`.
pub fn pause(store: &mut Store, ctx: &Context, reference: &str, reason: PauseReason, from: NaiveDate) -> Result<Case> {
    modify(store, ctx, reference, |case, _| {
        not_future("from", from, ctx.today)?;
        if from < case.received {
            return Err(InputError::new("from", format!("{from} is before the request was received ({})", case.received), "give the day you asked the subject").into());
        }
        if case.open_pause().is_some() {
            return Err(InputError::new("case", "the clock is already paused", format!("resume it first: dsar case resume {} --on DATE", case.reference)).into());
        }
        if let Some(last) = case.pauses.iter().filter_map(pause_end).max() {
            if from < last {
                return Err(InputError::new("from", format!("{from} is before the previous pause ended ({last})"), "pauses cannot overlap: give a later date").into());
            }
        }
        case.status = case.status.transition(match reason {
            PauseReason::Identity => Status::AwaitingIdentity,
            PauseReason::Clarification => Status::AwaitingClarification,
        })?;
        case.pauses.push(match reason {
            PauseReason::Identity => Pause::Identity { asked: from, received: None },
            PauseReason::Clarification => Pause::Clarification { asked: from, received: None },
        });
        Ok(("case.paused", json!({"reason": reason.code(), "from": from.to_string()})))
    })
}

fn pause_end(p: &Pause) -> Option<NaiveDate> {
    match p {
        Pause::Identity { received, .. } | Pause::Clarification { received, .. } => *received,
    }
}

/// Restarts the clock: what was asked for arrived on `on`.
pub fn resume(store: &mut Store, ctx: &Context, reference: &str, on: NaiveDate) -> Result<Case> {
    modify(store, ctx, reference, |case, _| {
        not_future("on", on, ctx.today)?;
        let reference = case.reference;
        let Some(p) = case.open_pause_mut() else {
            return Err(InputError::new("case", "the clock is not paused", format!("nothing to resume; see dsar case show {reference}")).into());
        };
        let (Pause::Identity { asked, received } | Pause::Clarification { asked, received }) = p;
        if on < *asked {
            return Err(InputError::new("on", format!("{on} is before the pause began ({asked})"), "give the day the subject's answer arrived").into());
        }
        *received = Some(on);
        case.status = case.status.transition(Status::InProgress)?;
        Ok(("case.resumed", json!({"on": on.to_string()})))
    })
}

/// Extends the period (Art. 12(3)); the notice must go out before the first period ends.
pub fn extend(store: &mut Store, ctx: &Context, reference: &str, reason: &str, on: NaiveDate) -> Result<Case> {
    modify(store, ctx, reference, |case, ov| {
        not_future("on", on, ctx.today)?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(InputError::new("reason", "no reason given", "the subject must be told why (complexity, number of requests)").into());
        }
        if !case.status.is_open() {
            return Err(InputError::new("case", "the case is closed", "a closed case cannot be extended").into());
        }
        if case.extended_on.is_some() {
            return Err(InputError::new("case", "the period was already extended", "the law allows one extension").into());
        }
        let dl = case.deadline(ov)?;
        let Some(by) = dl.extension_notice_by else {
            return Err(InputError::new("case", format!("{} has no extension of the period", case.jurisdiction), "answer by the due date").into());
        };
        if on > by {
            return Err(InputError::new("on", format!("too late: the extension notice had to be sent by {by}"), "answer by the due date; an extension can no longer be claimed").into());
        }
        if on < case.received {
            return Err(InputError::new("on", format!("{on} is before the request was received"), "give the day the notice was sent").into());
        }
        case.extended_on = Some(on);
        case.extension_reason = Some(reason.to_string());
        // The reason is the firm's text; it stays on the case, the audit trail records the fact.
        Ok(("case.extended", json!({"on": on.to_string(), "extended_due": dl.extended_due.map(|d| d.to_string())})))
    })
}

/// Moves a case along the workflow (e.g. to in-progress or ready-to-send).
pub fn set_status(store: &mut Store, ctx: &Context, reference: &str, to: Status) -> Result<Case> {
    modify(store, ctx, reference, |case, _| {
        if to.is_paused() {
            return Err(InputError::new("status", format!("{to} stops the clock"), format!("use dsar case pause {} --reason … --from DATE", case.reference)).into());
        }
        if to == Status::Closed {
            return Err(InputError::new("status", "closing needs an outcome", format!("use dsar case close {} --outcome …", case.reference)).into());
        }
        let from = case.status;
        case.status = case.status.transition(to)?;
        Ok(("case.status-changed", json!({"from": from.code(), "to": to.code()})))
    })
}

/// Moves a case from `new` to `in-progress` when work on it starts — its first search of the
/// systems or its first letter — inside the caller's transaction, so the CLI and the app move
/// it alike and the DPO never sees "New" on a case already worked on. `because` (`pulled`,
/// `letter`) goes into the audit event. Any other status is left as it is (a paused case
/// stays paused; a closed one closed). Returns whether the status changed.
pub(crate) fn start_work(tx: &Transaction<'_>, ctx: &Context, case_id: &str, because: &str) -> Result<bool> {
    use rusqlite::OptionalExtension;
    let found: Option<(String, String, String)> = tx
        .query_row("SELECT reference, status, effective_due FROM cases WHERE id = ?1", [case_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let Some((reference, status, due)) = found else { return Ok(false) };
    if status != Status::New.code() {
        return Ok(false);
    }
    let to = Status::New.transition(Status::InProgress)?;
    tx.execute("UPDATE cases SET status = ?1, updated_at = ?2 WHERE id = ?3", params![to.code(), ctx.now.to_rfc3339(), case_id])?;
    let details = json!({"from": Status::New.code(), "to": to.code(), "because": because, "reference": reference, "status": to.code(), "due": due});
    audit::append(tx, Some(case_id), &ctx.actor, "case.status-changed", &details, ctx.now)?;
    Ok(true)
}

/// Closes a case with its outcome.
pub fn close(store: &mut Store, ctx: &Context, reference: &str, outcome: Outcome, on: NaiveDate) -> Result<Case> {
    modify(store, ctx, reference, |case, _| {
        not_future("on", on, ctx.today)?;
        if on < case.received {
            return Err(InputError::new("on", format!("{on} is before the request was received ({})", case.received), "give the day the answer was sent").into());
        }
        case.status = case.status.transition(Status::Closed)?;
        case.outcome = Some(outcome);
        case.closed_on = Some(on);
        Ok(("case.closed", json!({"outcome": outcome.code(), "on": on.to_string()})))
    })
}

/// Recomputes, inside the caller's transaction, the cached due dates of the open cases of
/// `region` (all regions when `None`) — after the user changed a calendar.
pub(crate) fn recompute_open(tx: &Transaction<'_>, ctx: &Context, region: Option<Region>) -> Result<usize> {
    let refs: Vec<String> = {
        let mut stmt = tx.prepare("SELECT reference FROM cases WHERE status <> 'closed' AND (?1 IS NULL OR region = ?1)")?;
        let rows = stmt.query_map([region.map(|r| r.code())], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for r in &refs {
        let c = record::load(tx, r)?;
        let ov = calendar_overrides(tx, c.region)?;
        let dl = c.deadline(&ov)?;
        record::save(tx, &c, &dl, ctx)?;
    }
    Ok(refs.len())
}
