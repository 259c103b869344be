//! Acting on a request (SPEC §10): **plan → approve → execute → verify → notify**. A
//! confirmation letter may only say what these records show.
//!
//! - `plan.rs`: [`Plan`], [`SystemPlan`], [`Action`]; the plan's id is the SHA-256 of its content.
//! - `statements.rs`: the SQL contract — dry run in a rolled-back transaction, execution
//!   committed only when every statement changed the planned rows.
//! - `sqlite.rs`, `postgres.rs`, `mysql.rs`: the SQL kinds; files are rewritten by
//!   [`crate::connectors::rewrite`], http erases with [`crate::connectors::http::HttpSource::send`].
//! - `instructions.rs`: the ready e-mails of tasks and Art. 19 notices.
//! - `records.rs`: what was done, read back for the case screen and the letters ([`Acted`]).
//!
//! No store lock is held while a system acts: each system's result is written in its own
//! transaction, `running` before and the outcome after, so a run that was killed is known
//! when it is run again.

pub mod answers;
mod instructions;
mod mysql;
mod needs;
mod plan;
mod postgres;
pub mod rectify;
mod records;
mod sqlite;
mod statements;

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate};
use rusqlite::{params, OptionalExtension};
use serde_json::json;

pub use needs::{needs_you, Need, NeedsYou, ANSWER_DAYS};
pub use plan::{Action, Plan, PlannedStatement, SystemPlan};
pub use records::{acted, notices, update_notice, Acted, ActedSystem, Notice, NoticeStatus, NoticeUpdate};
pub use statements::StatementAction;

use crate::audit;
use crate::cases::{self, Case, Context};
use crate::connectors::{self, http::HttpSource, keys, rewrite, Cancel, ConnectorError, OpenContext, SearchKeys};
use crate::domain::Right;
use crate::error::{Error, InputError, Result};
use crate::pull::{self, SystemSecrets};
use crate::register::{Connector, ConnectorKind, LegalBasis, Query, Register, Role, Settings, System};
use crate::store::Store;
use crate::suppression;
use crate::tasks;
use instructions::{Ask, To};
use statements::{ActFailure, SqlActor, Step};

/// Task kind: act on a system by hand (erase, restrict or correct).
pub const ACT_BY_HAND: &str = "act-by-hand";
/// Task kind: erase retained data once its retention ends.
pub const ERASE_AFTER: &str = "erase-after";

/// What the rights of a case ask of one system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Intent {
    erase: bool,
    restrict: bool,
    rectify: bool,
    suppress: bool,
}

fn intent(rights: &[Right], system: &System) -> Intent {
    let mut i = Intent::default();
    let all_consent = !system.legal_bases.is_empty() && system.legal_bases.iter().all(|b| b.is_consent());
    let objectionable = system.legal_bases.iter().any(|b: &LegalBasis| b.is_legitimate_interest() || b.code() == "art6-1-e");
    for r in rights {
        match r {
            Right::Erasure | Right::Delete => i.erase = true,
            Right::Restriction | Right::Limit => i.restrict = true,
            Right::Rectification | Right::Correct => i.rectify = true,
            // An accepted objection ends the processing objected to: erasure under Art.
            // 17(1)(c); marketing stops for good (the suppression list).
            Right::Objection => {
                i.suppress = true;
                i.erase |= objectionable;
            }
            // Without consent, processing based only on it has no basis left (Art. 17(1)(b)).
            Right::WithdrawConsent | Right::OptOut => {
                i.suppress = true;
                i.erase |= all_consent;
            }
            _ => {}
        }
    }
    i
}

fn acts(rights: &[Right]) -> bool {
    rights.iter().any(|r| {
        matches!(
            r,
            Right::Erasure | Right::Delete | Right::Restriction | Right::Limit | Right::Rectification | Right::Correct | Right::Objection | Right::WithdrawConsent | Right::OptOut
        )
    })
}

/// Everything plan, act and verify share about one case.
struct Setting {
    case: Case,
    register: Register,
    register_version: i64,
    secrets: std::collections::HashMap<String, SystemSecrets>,
    corrections: Vec<rectify::Correction>,
    /// Identifiers the pulls found on the way and the DPO kept: a system keyed only by a
    /// customer number is acted on with the number the CRM yielded, as it was searched.
    found: SearchKeys,
}

fn load(store: &Store, reference: &str) -> Result<Setting> {
    let case = cases::get(store, reference)?;
    let register = pull::current_register(store)?;
    let register_version: i64 = store.conn().query_row("SELECT coalesce(max(id), 0) FROM register_versions", [], |r| r.get(0))?;
    let secrets = pull::load_secrets(store, &register)?;
    let corrections = rectify::for_case(store, reference)?;
    let found = pull::yields::active_keys(store.conn(), &case.id)?;
    Ok(Setting { case, register, register_version, secrets, corrections, found })
}

/// A system ready to act: its connector, search keys and the secrets it may use.
struct Opened<'s> {
    system: &'s System,
    connector: Connector,
    keys: SearchKeys,
    lookup: Box<dyn Fn(&str) -> Option<String> + 's>,
    country: &'s str,
}

fn open_system<'s>(s: &'s Setting, system: &'s System) -> std::result::Result<Opened<'s>, ConnectorError> {
    let connector = system.connector.clone().unwrap_or_else(Connector::manual);
    let mine = s.secrets.get(&system.id);
    if let Some(m) = mine {
        m.check(&system.id)?;
    }
    let lookup: Box<dyn Fn(&str) -> Option<String> + 's> = Box::new(move |name: &str| mine.and_then(|m| m.lookup(name)));
    let keys = keys::for_system_with(&s.case.subject, &s.found, &connector, &*lookup)?;
    Ok(Opened { system, connector, keys, lookup, country: s.register.controller.country.as_str() })
}

impl Opened<'_> {
    fn search(&self, cancel: &Cancel) -> std::result::Result<Vec<connectors::Found>, ConnectorError> {
        if self.connector.kind() == ConnectorKind::Manual {
            return Ok(Vec::new());
        }
        let cx = OpenContext { system: self.system, connector: &self.connector, secrets: &*self.lookup, default_country: self.country };
        Ok(connectors::open(&cx)?.search_report(&self.keys, cancel)?.found)
    }
}

/// A SQL connector's statement lists.
struct SqlStatements {
    queries: Vec<Query>,
    erase: Vec<Query>,
    restrict: Vec<Query>,
    lift: Vec<Query>,
}

fn statements_of(c: &Connector) -> Option<SqlStatements> {
    match &c.settings {
        Settings::Sqlite(s) => Some(SqlStatements { queries: s.queries.clone(), erase: s.erase.clone(), restrict: s.restrict.clone(), lift: s.lift.clone() }),
        Settings::Postgres(s) | Settings::Mysql(s) => {
            Some(SqlStatements { queries: s.queries.clone(), erase: s.erase.clone(), restrict: s.restrict.clone(), lift: s.lift.clone() })
        }
        _ => None,
    }
}

fn sql_actor(o: &Opened<'_>) -> Option<Box<dyn SqlActor>> {
    let cx = OpenContext { system: o.system, connector: &o.connector, secrets: &*o.lookup, default_country: o.country };
    match &o.connector.settings {
        Settings::Sqlite(s) => Some(Box::new(sqlite::SqliteActor { path: s.path.clone() })),
        Settings::Postgres(_) => Some(Box::new(postgres::PostgresActor::open(&cx))),
        Settings::Mysql(_) => Some(Box::new(mysql::MysqlActor::open(&cx))),
        _ => None,
    }
}

/// The retention duties of a system: the dataset names they cover (empty: the whole
/// system), the day the longest ends (counted from the end of the plan's calendar year, as
/// HGB § 257(5) and AO § 147(4) count), and the laws.
fn retention(system: &System, today: NaiveDate, lang: crate::domain::Language) -> (BTreeSet<String>, bool, Option<NaiveDate>, Vec<String>) {
    let mut datasets = BTreeSet::new();
    let mut whole = false;
    let mut until: Option<NaiveDate> = None;
    let mut laws = Vec::new();
    let year_end = NaiveDate::from_ymd_opt(today.year(), 12, 31).unwrap_or(today);
    for d in &system.statutory_retention {
        if d.datasets.is_empty() {
            whole = true;
        }
        datasets.extend(d.datasets.iter().cloned());
        let end = d.period.after(year_end);
        until = match (until, end) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        let law = d.law.pick(lang, lang).to_string();
        if !laws.contains(&law) {
            laws.push(law);
        }
    }
    (datasets, whole, until, laws)
}

/// The steps one system runs for an intent: `(steps, action, retained datasets)`.
fn sql_steps<'q>(st: &'q SqlStatements, i: Intent, retained: &BTreeSet<String>, whole: bool) -> (Vec<Step<'q>>, Action) {
    let restrict_all = || st.restrict.iter().map(|q| Step { query: q, action: StatementAction::Restrict }).collect::<Vec<_>>();
    if i.erase {
        if whole {
            return (restrict_all(), Action::Retain);
        }
        let mut steps = Vec::new();
        // Retained datasets are restricted first, then the rest is erased in register order.
        for q in st.restrict.iter().filter(|q| retained.contains(&q.name)) {
            steps.push(Step { query: q, action: StatementAction::Restrict });
        }
        for q in st.erase.iter().filter(|q| !retained.contains(&q.name)) {
            steps.push(Step { query: q, action: StatementAction::Erase });
        }
        let action = if steps.iter().any(|s| s.action == StatementAction::Restrict) { Action::Retain } else { Action::Erase };
        (steps, action)
    } else if i.restrict {
        (restrict_all(), Action::Restrict)
    } else {
        (Vec::new(), Action::None)
    }
}

/// Plans a case: for every system, what its rights would do and to how many records. The
/// plan is stored with the case (planning again over unchanged data gives the same id).
pub fn plan(store: &mut Store, ctx: &Context, reference: &str, cancel: &Cancel) -> Result<Plan> {
    let s = load(store, reference)?;
    if !acts(&s.case.rights) {
        return Err(InputError::new(
            "right",
            format!("case {} asks for no right that changes data", s.case.reference),
            "plans are for erasure, restriction, rectification, objection and consent withdrawal; answer access and portability with a letter and the export",
        )
        .into());
    }
    let only_rectify = s.case.rights.iter().all(|r| !matches!(r, Right::Erasure | Right::Delete | Right::Restriction | Right::Limit | Right::Objection | Right::WithdrawConsent | Right::OptOut));
    if only_rectify && s.corrections.is_empty() {
        return Err(InputError::new(
            "rectification",
            format!("case {} has no corrections noted", s.case.reference),
            format!("note what to correct first: dsar case rectify {} --field NAME --old VALUE --new VALUE", s.case.reference),
        )
        .into());
    }
    let lang = s.register.controller.language();
    let mut systems = Vec::with_capacity(s.register.systems.len());
    let mut suppress = false;
    for system in &s.register.systems {
        if cancel.is_cancelled() {
            return Err(InputError::new("plan", "cancelled", "plan again when you are ready").into());
        }
        let i = intent(&s.case.rights, system);
        suppress |= i.suppress;
        systems.push(plan_system(&s, system, i, ctx.today, lang, cancel));
    }
    let plan = Plan {
        id: String::new(),
        reference: s.case.reference.to_string(),
        register_version: s.register_version,
        rights: s.case.rights.iter().map(|r| r.code().to_string()).collect(),
        suppress,
        planned_on: ctx.today,
        systems,
    };
    store_plan(store, ctx, &s, plan)
}

/// The rights marker of a plan that lifts this case's restrictions.
pub const LIFT: &str = "lift";

/// Plans lifting the restrictions this case made (Art. 18(3)): per system restricted by an
/// earlier execution of the case, its `lift` statements in a dry run, or a task where the
/// register has none. Carried out by [`act`] like any plan — once the subject has been told
/// (a `restriction-lift-notice` letter stored on the case).
pub fn plan_lift(store: &mut Store, ctx: &Context, reference: &str, cancel: &Cancel) -> Result<Plan> {
    let s = load(store, reference)?;
    let restricted = restricted_by_case(store, &s.case.id)?;
    if restricted.is_empty() {
        return Err(InputError::new("lift", format!("case {} has restricted nothing", s.case.reference), "only a restriction this case carried out can be lifted").into());
    }
    let mut systems = Vec::with_capacity(s.register.systems.len());
    for system in &s.register.systems {
        if cancel.is_cancelled() {
            return Err(InputError::new("plan", "cancelled", "plan again when you are ready").into());
        }
        let mut p = SystemPlan { id: system.id.clone(), action: Action::None, records: 0, statements: Vec::new(), retained_until: None, retained_by: Vec::new(), note: None, error: None };
        if !restricted.contains(&system.id) {
            p.note = Some("this case restricted nothing here".into());
            systems.push(p);
            continue;
        }
        let opened = match open_system(&s, system) {
            Ok(o) => o,
            Err(e) => {
                p.action = Action::Task;
                p.error = Some(e.to_string());
                systems.push(p);
                continue;
            }
        };
        match (statements_of(&opened.connector), sql_actor(&opened)) {
            (Some(st), Some(actor)) if !st.lift.is_empty() => {
                let steps: Vec<Step<'_>> = st.lift.iter().map(|q| Step { query: q, action: StatementAction::Lift }).collect();
                match actor.dry_run(&steps, &opened.keys) {
                    Ok(rows) => {
                        p.statements = steps.iter().zip(rows).map(|(st, rows)| PlannedStatement { name: st.query.name.clone(), action: StatementAction::Lift, rows }).collect();
                        p.records = p.statements.iter().map(|x| x.rows).sum();
                        p.action = Action::Lift;
                    }
                    Err(e) => {
                        p.action = Action::Task;
                        p.error = Some(e.to_string());
                    }
                }
            }
            _ => {
                p.action = Action::Task;
                p.note = Some("the register has no lift statements for this system: lift the restriction by hand".into());
            }
        }
        systems.push(p);
    }
    let plan = Plan {
        id: String::new(),
        reference: s.case.reference.to_string(),
        register_version: s.register_version,
        rights: vec![LIFT.to_string()],
        suppress: false,
        planned_on: ctx.today,
        systems,
    };
    store_plan(store, ctx, &s, plan)
}

/// Systems where an execution of this case restricted rows.
fn restricted_by_case(store: &Store, case_id: &str) -> Result<BTreeSet<String>> {
    let mut stmt = store.conn().prepare("SELECT system_id, statements FROM action_results WHERE case_id = ?1 AND status = 'done'")?;
    let rows = stmt.query_map([case_id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    let mut out = BTreeSet::new();
    for r in rows {
        let (system, statements) = r?;
        let statements: Vec<PlannedStatement> = serde_json::from_str(&statements).unwrap_or_default();
        if statements.iter().any(|st| st.action == StatementAction::Restrict && st.rows > 0) {
            out.insert(system);
        }
    }
    Ok(out)
}

fn store_plan(store: &mut Store, ctx: &Context, s: &Setting, mut plan: Plan) -> Result<Plan> {
    plan.id = plan.content_id();
    let body = serde_json::to_string(&plan).map_err(|_| InputError::new("plan", "cannot be stored", "report this"))?;
    let details = json!({
        "reference": plan.reference,
        "plan": plan.id,
        "rows": plan.rows(),
        "suppress": plan.suppress,
        "systems": plan.systems.iter().map(|p| json!({"id": p.id, "action": p.action.code(), "records": p.records, "retained_until": p.retained_until.map(|d| d.to_string()),
            "statements": p.statements.iter().map(|st| json!({"name": st.name, "action": st.action.code(), "rows": st.rows})).collect::<Vec<_>>(),
            "error": p.error.is_some()})).collect::<Vec<_>>(),
    });
    let case_id = s.case.id.clone();
    store.write(|tx| {
        tx.execute(
            "INSERT INTO action_plans (id, case_id, body, created_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (id) DO UPDATE SET created_at = excluded.created_at",
            params![plan.id, case_id, body, ctx.now.to_rfc3339()],
        )?;
        audit::append(tx, Some(&case_id), &ctx.actor, "case.planned", &details, ctx.now)?;
        Ok::<_, Error>(())
    })?;
    Ok(plan)
}

fn plan_system(s: &Setting, system: &System, i: Intent, today: NaiveDate, lang: crate::domain::Language, cancel: &Cancel) -> SystemPlan {
    let mut p = SystemPlan {
        id: system.id.clone(),
        action: Action::None,
        records: 0,
        statements: Vec::new(),
        retained_until: None,
        retained_by: Vec::new(),
        note: None,
        error: None,
    };
    if !(i.erase || i.restrict || i.rectify || i.suppress) {
        p.note = Some("no right of this case concerns the system".into());
        return p;
    }
    let opened = match open_system(s, system) {
        Ok(o) => o,
        Err(e) => {
            p.action = Action::Task;
            p.error = Some(e.to_string());
            return p;
        }
    };
    let kind = opened.connector.kind();
    let found = match opened.search(cancel) {
        Ok(f) => f,
        Err(e) => {
            p.action = Action::Task;
            p.error = Some(e.to_string());
            return p;
        }
    };
    p.records = found.len() as u64;
    if kind == ConnectorKind::Manual || kind == ConnectorKind::Imap {
        p.action = if i.erase || i.restrict || i.rectify { Action::Task } else { Action::Suppress };
        p.note = Some("the desk cannot search or change this system: the task's e-mail asks whoever runs it".into());
        return p;
    }
    if p.records == 0 {
        p.note = Some("the search found nothing about the subject".into());
        return p;
    }
    let (retained, whole, until, laws) = retention(system, today, lang);
    let has_duty = !system.statutory_retention.is_empty();
    if i.rectify && !i.erase && !i.restrict {
        p.action = Action::Task;
        p.note = Some("corrections are made by hand: the task lists what to change".into());
        return p;
    }
    if !(i.erase || i.restrict) {
        p.action = Action::Suppress;
        p.note = Some("the data stays; the subject goes on the suppression list".into());
        return p;
    }
    if let Some(st) = statements_of(&opened.connector) {
        let (steps, action) = sql_steps(&st, i, &retained, whole);
        if steps.is_empty() {
            p.action = Action::Task;
            p.note = Some(format!("the register has no {} statements for this system", if i.erase && !whole { "erase" } else { "restrict" }));
            return p;
        }
        let Some(actor) = sql_actor(&opened) else {
            p.action = Action::Task;
            p.note = Some(format!("acting on {kind} systems is not available in this version: the task's e-mail asks whoever runs it"));
            return p;
        };
        match actor.dry_run(&steps, &opened.keys) {
            Ok(rows) => {
                p.statements = steps.iter().zip(rows).map(|(st, rows)| PlannedStatement { name: st.query.name.clone(), action: st.action, rows }).collect();
                p.action = action;
                if action == Action::Retain {
                    p.retained_until = until;
                    p.retained_by = laws;
                }
            }
            Err(e) => {
                p.action = Action::Task;
                p.error = Some(e.to_string());
            }
        }
        return p;
    }
    if i.erase && has_duty {
        p.action = Action::Task;
        p.retained_until = until;
        p.retained_by = laws;
        p.note = Some("a retention duty applies and this system cannot be restricted by the desk: restrict it by hand, erase when the duty ends".into());
        return p;
    }
    match (&opened.connector.settings, i.erase) {
        (Settings::Csv(_) | Settings::Json(_) | Settings::Jsonl(_), true) if rewrite::can_rewrite(&opened.connector) => {
            match rewrite::find(&opened.connector, &opened.keys, opened.country) {
                Ok(m) => {
                    let name = rewrite::path_of(&opened.connector).and_then(|p| p.file_name()).map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                    p.statements = vec![PlannedStatement { name, action: StatementAction::Erase, rows: m.records }];
                    p.action = Action::Erase;
                }
                Err(e) => {
                    p.action = Action::Task;
                    p.error = Some(e.to_string());
                }
            }
        }
        (Settings::Http(h), true) if h.erase.is_some() => {
            let method = h.erase.as_ref().map_or("DELETE", |e| e.method.as_str());
            p.statements = vec![PlannedStatement { name: method.to_string(), action: StatementAction::Erase, rows: p.records }];
            p.action = Action::Erase;
        }
        (Settings::Logs(_), true) => {
            p.action = Action::Retain;
            p.retained_until = system.retention.period.as_ref().and_then(|per| per.after(today));
            p.note = Some(match p.retained_until {
                Some(d) => format!("log files are never rewritten: the lines age out by {d} under the system's retention period"),
                None => "log files are never rewritten and the register gives no retention period: set one, or delete the lines by hand".into(),
            });
            if p.retained_until.is_none() {
                p.action = Action::Task;
            }
        }
        _ => {
            p.action = Action::Task;
            p.note = Some("the register has no statement for this: the task's e-mail asks whoever runs the system".into());
        }
    }
    p
}

/// The case's latest plan.
pub fn latest_plan(store: &Store, reference: &str) -> Result<Option<Plan>> {
    let case = cases::get(store, reference)?;
    let body: Option<String> = store
        .conn()
        .query_row("SELECT body FROM action_plans WHERE case_id = ?1 ORDER BY created_at DESC, rowid DESC LIMIT 1", [&case.id], |r| r.get(0))
        .optional()?;
    match body {
        Some(b) => Ok(Some(serde_json::from_str(&b).map_err(|_| crate::store::StoreError::Corrupt { what: "action_plans.body".into() })?)),
        None => Ok(None),
    }
}

/// How one system's execution ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SystemOutcome {
    /// Register system id.
    pub id: String,
    /// `done`, `task`, `error` or `skipped`.
    pub status: &'static str,
    /// Rows (records) changed.
    pub rows: u64,
    /// Why it failed or was skipped; no personal data.
    pub error: Option<String>,
}

/// What `act` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActReport {
    /// The plan carried out.
    pub plan: String,
    /// Per system of the plan (or of the chosen ones).
    pub systems: Vec<SystemOutcome>,
    /// Whether the user cancelled (the remaining systems are `skipped`).
    pub cancelled: bool,
}

/// Carries out the case's latest plan, which `plan_id` approves. Each system acts in its
/// own transaction; a system already done is not run again; one failing system does not
/// stop the others; cancelling stops between systems.
pub fn act(store: &mut Store, ctx: &Context, reference: &str, plan_id: &str, only: &[String], progress: &dyn Fn(&str, &SystemOutcome), cancel: &Cancel) -> Result<ActReport> {
    let s = load(store, reference)?;
    let plan = approved(store, ctx, &s, plan_id)?;
    let unknown: Vec<&String> = only.iter().filter(|id| plan.system(id).is_none()).collect();
    if let Some(id) = unknown.first() {
        return Err(InputError::new("--system", format!("system '{}' is not in the plan", id.chars().take(40).collect::<String>()), "use an id from dsar case plan REF").into());
    }
    let lang = s.case.language;
    let mut report = ActReport { plan: plan.id.clone(), systems: Vec::new(), cancelled: false };
    for sp in plan.systems.iter().filter(|p| only.is_empty() || only.contains(&p.id)) {
        if cancel.is_cancelled() {
            report.cancelled = true;
        }
        let outcome = if report.cancelled {
            SystemOutcome { id: sp.id.clone(), status: "skipped", rows: 0, error: Some("cancelled before this system".into()) }
        } else {
            act_system(store, ctx, &s, &plan, sp, lang, cancel)?
        };
        progress(&sp.id, &outcome);
        report.systems.push(outcome);
    }
    // The list and the notices follow from what was done, whether or not all systems ran.
    let case_ref = s.case.reference.to_string();
    store.write(|tx| {
        let now = ctx.now.to_rfc3339();
        let mut added = 0;
        if plan.suppress && !report.cancelled {
            let reason = if s.case.rights.contains(&Right::Objection) { suppression::Reason::Objection } else { suppression::Reason::WithdrawnConsent };
            added = suppression::add(tx, &s.case.subject.identifiers, reason, &case_ref, &now)?;
        }
        let notices = records::create_notices(tx, &s.case, &s.register, &plan, lang, &now)?;
        audit::append(
            tx,
            Some(&s.case.id),
            &ctx.actor,
            "case.acted",
            &json!({"reference": case_ref, "plan": plan.id, "cancelled": report.cancelled, "suppressed": added, "notices": notices,
                "systems": report.systems.iter().map(|o| json!({"id": o.id, "status": o.status, "rows": o.rows})).collect::<Vec<_>>()}),
            ctx.now,
        )?;
        Ok::<_, Error>(())
    })?;
    Ok(report)
}

/// Checks `plan_id` against the case's latest plan and the current register, and records
/// the approval the first time.
fn approved(store: &mut Store, ctx: &Context, s: &Setting, plan_id: &str) -> Result<Plan> {
    let given = plan_id.trim().to_ascii_lowercase();
    let reference = s.case.reference.to_string();
    let again = format!("run dsar case plan {reference}, check it, and act with the id it prints");
    if given.is_empty() {
        return Err(InputError::new("--plan", "no plan id given", again).into());
    }
    let Some(plan) = latest_plan(store, &reference)? else {
        return Err(InputError::new("--plan", format!("case {reference} has no plan yet"), again).into());
    };
    if plan.id != given {
        let known: bool = store.conn().query_row("SELECT count(*) FROM action_plans WHERE id = ?1 AND case_id = ?2", params![given, s.case.id], |r| r.get::<_, i64>(0))? > 0;
        let problem = if known { "is not the case's latest plan (it is stale)" } else { "is not a plan of this case" };
        return Err(InputError::new("--plan", format!("plan {} {problem}", given.chars().take(16).collect::<String>()), again).into());
    }
    if plan.register_version != s.register_version {
        return Err(InputError::new("--plan", "the register changed since the plan was made", again).into());
    }
    if plan.rights == [LIFT] {
        // Art. 18(3): the subject is told before the restriction is lifted.
        let told: i64 = store.conn().query_row("SELECT count(*) FROM documents WHERE case_id = ?1 AND kind = 'restriction-lift-notice'", [&s.case.id], |r| r.get(0))?;
        if told == 0 {
            return Err(InputError::new(
                "--plan",
                "the subject has not been told that the restriction will be lifted (Art. 18(3))",
                format!("send the restriction-lift-notice letter first: dsar letter {reference} --kind restriction-lift-notice --out FILE.pdf"),
            )
            .into());
        }
    }
    let first: bool = store.conn().query_row("SELECT approved_at IS NULL FROM action_plans WHERE id = ?1", [&plan.id], |r| r.get(0))?;
    if first {
        let case_id = s.case.id.clone();
        store.write(|tx| {
            tx.execute("UPDATE action_plans SET approved_at = ?2, approved_by = ?3 WHERE id = ?1", params![plan.id, ctx.now.to_rfc3339(), ctx.actor])?;
            audit::append(tx, Some(&case_id), &ctx.actor, "plan.approved", &json!({"reference": reference, "plan": plan.id, "rows": plan.rows(), "systems": plan.systems.len()}), ctx.now)?;
            Ok::<_, Error>(())
        })?;
    }
    Ok(plan)
}

fn act_system(store: &mut Store, ctx: &Context, s: &Setting, plan: &Plan, sp: &SystemPlan, lang: crate::domain::Language, cancel: &Cancel) -> Result<SystemOutcome> {
    let earlier: Option<(String, i64)> = store
        .conn()
        .query_row("SELECT status, rows FROM action_results WHERE plan_id = ?1 AND system_id = ?2", params![plan.id, sp.id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    if let Some((status, rows)) = &earlier {
        if status == "done" || status == "task" {
            let status = if status == "done" { "done" } else { "task" };
            return Ok(SystemOutcome { id: sp.id.clone(), status, rows: *rows as u64, error: None });
        }
    }
    let resumed = earlier.as_ref().is_some_and(|(st, _)| st == "running");
    let Some(system) = s.register.system(&sp.id) else {
        return Ok(SystemOutcome { id: sp.id.clone(), status: "error", rows: 0, error: Some("the system is no longer in the register: plan again".into()) });
    };
    let now = ctx.now.to_rfc3339();
    let case_id = s.case.id.clone();
    let statements_json = serde_json::to_string(&sp.statements).unwrap_or_else(|_| "[]".into());
    let retained_until = sp.retained_until.map(|d| d.to_string());
    // Written before the system is touched: a kill from here on is seen by the next run.
    store.write(|tx| {
        tx.execute(
            "INSERT INTO action_results (case_id, plan_id, system_id, action, status, statements, retained_until, started_at)
             VALUES (?1, ?2, ?3, ?4, 'running', ?5, ?6, ?7)
             ON CONFLICT (plan_id, system_id) DO UPDATE SET status = 'running', error = NULL, started_at = excluded.started_at",
            params![case_id, plan.id, sp.id, sp.action.code(), statements_json, retained_until, now],
        )?;
        Ok::<_, Error>(())
    })?;
    let (status, rows, error, statements) = run_system(s, system, sp, resumed, cancel);
    let outcome = SystemOutcome { id: sp.id.clone(), status, rows, error };
    let reference = s.case.reference.to_string();
    let task = task_for(s, system, sp, lang, ctx.today, plan.rights == [LIFT]);
    store.write(|tx| {
        let finished = ctx.now.to_rfc3339();
        let statements_json = serde_json::to_string(&statements).unwrap_or_else(|_| "[]".into());
        tx.execute(
            "UPDATE action_results SET status = ?3, rows = ?4, error = ?5, statements = ?6, finished_at = ?7 WHERE plan_id = ?1 AND system_id = ?2",
            params![plan.id, sp.id, outcome.status, outcome.rows as i64, outcome.error, statements_json, finished],
        )?;
        if let Some((kind, title, body, due)) = &task {
            if outcome.status != "error" {
                let id = tasks::refresh(tx, &case_id, &sp.id, kind, title, body, &finished)?;
                tx.execute("UPDATE tasks SET due_on = ?2 WHERE id = ?1", params![id, due])?;
            }
        }
        // Names and counts only: the error text of a server might quote a value.
        audit::append(
            tx,
            Some(&case_id),
            &ctx.actor,
            "system.acted",
            &json!({"reference": reference, "plan": plan.id, "system": sp.id, "action": sp.action.code(), "status": outcome.status, "rows": outcome.rows,
                "resumed": resumed, "retained_until": sp.retained_until.map(|d| d.to_string()), "statements": statements.iter().map(|st| json!({"name": st.name, "action": st.action.code(), "rows": st.rows})).collect::<Vec<_>>()}),
            ctx.now,
        )?;
        Ok::<_, Error>(())
    })?;
    Ok(outcome)
}

/// The follow-up task a system's action leaves: `(kind, title, body, due)`.
fn task_for(s: &Setting, system: &System, sp: &SystemPlan, lang: crate::domain::Language, today: NaiveDate, lifting: bool) -> Option<(&'static str, String, String, Option<String>)> {
    let name = system.name.pick(lang, s.register.controller.language()).to_string();
    let firm = s.register.controller.name.as_str();
    let reference = s.case.reference.to_string();
    match sp.action {
        Action::Retain if sp.retained_until.is_some() && system.connector_kind() != ConnectorKind::Logs => {
            let until = sp.retained_until?;
            let (title, body) = match lang {
                crate::domain::Language::De => (format!("{name}: nach dem {until} löschen"), format!("Die Daten in {name} sind wegen {} bis {until} gesperrt. Danach löschen: dsar case plan {reference}.", sp.retained_by.join(", "))),
                crate::domain::Language::Nl => (format!("{name}: wissen na {until}"), format!("De gegevens in {name} zijn vanwege {} beperkt tot {until}. Daarna wissen: dsar case plan {reference}.", sp.retained_by.join(", "))),
                _ => (format!("{name}: erase after {until}"), format!("The data in {name} is restricted under {} until {until}. Erase it then: dsar case plan {reference}.", sp.retained_by.join(", "))),
            };
            Some((ERASE_AFTER, title, body, Some(until.to_string())))
        }
        Action::Task => {
            let ask = if lifting {
                Ask::Lift
            } else if s.case.rights.iter().any(|r| matches!(r, Right::Erasure | Right::Delete | Right::Objection | Right::WithdrawConsent | Right::OptOut)) {
                Ask::Erase
            } else if s.case.rights.iter().any(|r| matches!(r, Right::Restriction | Right::Limit)) {
                Ask::Restrict
            } else {
                Ask::Rectify
            };
            let to = if system.role == Role::Processor { To::Processor } else { To::Operator };
            let (title, mut body) = instructions::compose(lang, ask, to, firm, &reference, &name, &s.case.subject);
            if ask == Ask::Rectify {
                let mine: Vec<String> = s
                    .corrections
                    .iter()
                    .filter(|c| c.system.as_deref().is_none_or(|id| id == system.id))
                    .map(|c| format!("  {}: {} → {}", c.field, c.old, c.new))
                    .collect();
                body = instructions::with_corrections(lang, &body, &mine);
            }
            // The answer is due in a week, as the e-mail asks; then it shows under "Needs you".
            Some((ACT_BY_HAND, title, body, Some((today + chrono::Duration::days(needs::ANSWER_DAYS)).to_string())))
        }
        _ => None,
    }
}

/// Runs one system's part; `(status, rows, error, statements as run)`.
fn run_system(s: &Setting, system: &System, sp: &SystemPlan, resumed: bool, cancel: &Cancel) -> (&'static str, u64, Option<String>, Vec<PlannedStatement>) {
    let fail = |e: String| ("error", 0, Some(e), Vec::new());
    match sp.action {
        Action::None => return ("skipped", 0, sp.note.clone(), Vec::new()),
        Action::Task => return ("task", 0, None, Vec::new()),
        Action::Suppress => return ("done", 0, None, Vec::new()),
        Action::Erase | Action::Restrict | Action::Retain | Action::Lift => {}
    }
    if sp.statements.is_empty() {
        // Logs: nothing is rewritten; the lines age out.
        return ("done", 0, None, Vec::new());
    }
    let opened = match open_system(s, system) {
        Ok(o) => o,
        Err(e) => return fail(e.to_string()),
    };
    let changed = |planned: u64, actual: u64, statement: &str| {
        format!("the data changed since the plan ('{statement}' would change {actual} rows, the plan said {planned}): plan again — nothing was changed in this system")
    };
    if let (Some(st), Some(actor)) = (statements_of(&opened.connector), sql_actor(&opened)) {
        let mut steps = Vec::new();
        for ps in &sp.statements {
            let list = match ps.action {
                StatementAction::Erase => &st.erase,
                StatementAction::Restrict => &st.restrict,
                StatementAction::Lift => &st.lift,
            };
            match list.iter().find(|q| q.name == ps.name) {
                Some(q) => steps.push(Step { query: q, action: ps.action }),
                None => return fail(format!("statement '{}' is no longer in the register: plan again", ps.name)),
            }
        }
        let planned: Vec<u64> = sp.statements.iter().map(|p| p.rows).collect();
        return match actor.execute(&steps, &opened.keys, &planned, resumed) {
            Ok(rows) => {
                let done: Vec<PlannedStatement> = sp.statements.iter().zip(&rows).map(|(p, r)| PlannedStatement { rows: *r, ..p.clone() }).collect();
                ("done", rows.iter().sum(), None, done)
            }
            Err(ActFailure::Changed { statement, planned, actual }) => fail(changed(planned, actual, &statement)),
            Err(ActFailure::Connector(e)) => fail(format!("{e} — nothing was changed in this system")),
        };
    }
    match &opened.connector.settings {
        Settings::Csv(_) | Settings::Json(_) | Settings::Jsonl(_) => {
            let planned = sp.statements.first().map_or(0, |p| p.rows);
            match rewrite::rewrite(&opened.connector, &opened.keys, opened.country, planned) {
                Ok(n) => ("done", n, None, sp.statements.clone()),
                Err(rewrite::RewriteError::Changed { planned, actual }) if resumed && actual == 0 => {
                    let _ = planned;
                    ("done", 0, None, sp.statements.iter().map(|p| PlannedStatement { rows: 0, ..p.clone() }).collect())
                }
                Err(rewrite::RewriteError::Changed { planned, actual }) => {
                    let name = sp.statements.first().map_or("the file", |p| p.name.as_str()).to_string();
                    fail(changed(planned, actual, &name))
                }
                Err(rewrite::RewriteError::Connector(e)) => fail(format!("{e} — the file was not changed")),
            }
        }
        Settings::Http(h) => {
            let Some(erase) = &h.erase else { return fail("the register has no erase request for this system: plan again".into()) };
            let source = match HttpSource::for_erase(erase, &*opened.lookup) {
                Ok(src) => src,
                Err(e) => return fail(e.to_string()),
            };
            match source.send(&erase.method, &opened.keys, cancel) {
                Ok(_) => ("done", sp.records, None, sp.statements.clone()),
                Err(e) => fail(e.to_string()),
            }
        }
        _ => fail(format!("acting on {} systems is not available in this version", opened.connector.kind())),
    }
}

/// One system's verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// Register system id.
    pub id: String,
    /// Records the search finds now (for retained systems: outside the retained datasets).
    pub records: u64,
    /// Whether erased data is gone and restricted data carries its flag.
    pub ok: bool,
    /// What was checked or why it failed; no personal data.
    pub note: Option<String>,
}

/// Searches the systems the latest approved plan acted on again and records whether erased
/// data is gone (0 records) and restricted data carries its flag (running the restrict
/// statements again would change nothing the search returns).
pub fn verify(store: &mut Store, ctx: &Context, reference: &str) -> Result<Vec<Verified>> {
    let s = load(store, reference)?;
    let plan_row: Option<String> = store
        .conn()
        .query_row("SELECT body FROM action_plans WHERE case_id = ?1 AND approved_at IS NOT NULL ORDER BY approved_at DESC, rowid DESC LIMIT 1", [&s.case.id], |r| r.get(0))
        .optional()?;
    let Some(body) = plan_row else {
        return Err(InputError::new("plan", "nothing has been carried out for this case yet", format!("run dsar case plan {} and dsar case act", s.case.reference)).into());
    };
    let plan: Plan = serde_json::from_str(&body).map_err(|_| crate::store::StoreError::Corrupt { what: "action_plans.body".into() })?;
    let done: Vec<String> = {
        let mut stmt = store.conn().prepare("SELECT system_id FROM action_results WHERE plan_id = ?1 AND status = 'done'")?;
        let rows = stmt.query_map([&plan.id], |r| r.get::<_, String>(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let mut out = Vec::new();
    let cancel = Cancel::new();
    for sp in plan.systems.iter().filter(|p| done.contains(&p.id) && (p.action.changes_data() || p.action == Action::Lift) && !p.statements.is_empty()) {
        let Some(system) = s.register.system(&sp.id) else { continue };
        out.push(verify_system(&s, system, sp, &cancel));
    }
    let case_id = s.case.id.clone();
    let reference = s.case.reference.to_string();
    store.write(|tx| {
        let now = ctx.now.to_rfc3339();
        for v in &out {
            tx.execute(
                "INSERT INTO verifications (case_id, plan_id, system_id, records, ok, note, verified_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (plan_id, system_id) DO UPDATE SET records = excluded.records, ok = excluded.ok, note = excluded.note, verified_at = excluded.verified_at",
                params![case_id, plan.id, v.id, v.records as i64, v.ok, v.note, now],
            )?;
        }
        audit::append(tx, Some(&case_id), &ctx.actor, "case.verified", &json!({"reference": reference, "plan": plan.id,
            "systems": out.iter().map(|v| json!({"id": v.id, "records": v.records, "ok": v.ok})).collect::<Vec<_>>()}), ctx.now)?;
        Ok::<_, Error>(())
    })?;
    Ok(out)
}

fn verify_system(s: &Setting, system: &System, sp: &SystemPlan, cancel: &Cancel) -> Verified {
    let mut v = Verified { id: sp.id.clone(), records: 0, ok: false, note: None };
    let opened = match open_system(s, system) {
        Ok(o) => o,
        Err(e) => {
            v.note = Some(e.to_string());
            return v;
        }
    };
    let found = match opened.search(cancel) {
        Ok(f) => f,
        Err(e) => {
            v.note = Some(e.to_string());
            return v;
        }
    };
    let restricted_names: BTreeSet<&str> = sp.statements.iter().filter(|p| p.action == StatementAction::Restrict).map(|p| p.name.as_str()).collect();
    let erased_anything = sp.statements.iter().any(|p| p.action == StatementAction::Erase);
    // What must be gone: everything, except the datasets that were restricted instead.
    v.records = if erased_anything { found.iter().filter(|f| !restricted_names.contains(f.dataset.as_str())).count() as u64 } else { 0 };
    let gone = v.records == 0;
    let flagged = if restricted_names.is_empty() {
        true
    } else if let (Some(st), Some(actor)) = (statements_of(&opened.connector), sql_actor(&opened)) {
        let steps: Vec<Step<'_>> = st.restrict.iter().filter(|q| restricted_names.contains(q.name.as_str())).map(|q| Step { query: q, action: StatementAction::Restrict }).collect();
        match actor.restricted(&steps, &st.queries, &opened.keys) {
            Ok(flag) => flag,
            Err(e) => {
                v.note = Some(e.to_string());
                return v;
            }
        }
    } else {
        false
    };
    let lift_names: BTreeSet<&str> = sp.statements.iter().filter(|p| p.action == StatementAction::Lift).map(|p| p.name.as_str()).collect();
    let lifted = if lift_names.is_empty() {
        true
    } else if let (Some(st), Some(actor)) = (statements_of(&opened.connector), sql_actor(&opened)) {
        let steps: Vec<Step<'_>> = st.lift.iter().filter(|q| lift_names.contains(q.name.as_str())).map(|q| Step { query: q, action: StatementAction::Lift }).collect();
        match actor.restricted(&steps, &st.queries, &opened.keys) {
            Ok(done) => done,
            Err(e) => {
                v.note = Some(e.to_string());
                return v;
            }
        }
    } else {
        false
    };
    if !lift_names.is_empty() {
        v.ok = lifted;
        v.note = Some(if lifted { "searched again: restriction lifted".into() } else { "the records still carry the restriction: run the plan again".into() });
        return v;
    }
    v.ok = gone && flagged;
    v.note = Some(match (gone, flagged) {
        (true, true) if restricted_names.is_empty() => "searched again: nothing found".into(),
        (true, true) => "searched again: erased data gone, restricted data flagged".into(),
        (false, _) => format!("searched again: {} record(s) still found — act again or erase by hand", v.records),
        (true, false) => "the restricted records do not carry their flag: run the plan again".into(),
    });
    v
}
