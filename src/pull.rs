//! The pull: search every system of the register (or the chosen ones) for a case's subject,
//! concurrently and cancellably, then store what was found — one transport-neutral
//! operation for the CLI and the desktop app.
//!
//! Search first, write after: no transaction or lock is held while connectors run, so the
//! desk stays usable during a long pull; the results of all systems are then written in one
//! transaction with one `case.pulled` audit event.

mod processor_mail;
mod workers;
pub mod yields;

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Instant;

use chrono::{Days, NaiveDate};
use serde_json::json;
use zeroize::Zeroizing;

use crate::audit;
use crate::cases::{self, Context};
use crate::connectors::{self, keys, Cancel, ConnectorError, Found, OpenContext, SearchKeys, SearchReport};
use crate::domain::Subject;
use crate::error::{Error, InputError, Result};
use crate::evidence::{self, PullStatus, SystemResult};
use crate::register::{expand_secrets, yield_waves, Connector, ConnectorKind, ExpandError, Register, System};
use crate::store::Store;
use crate::{register_store, secrets, tasks};

use workers::{run_bounded, Step};

/// How to pull.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullOptions {
    /// System ids to pull; empty means every system of the register.
    pub systems: Vec<String>,
    /// How many systems are searched at once.
    pub concurrency: usize,
}

impl Default for PullOptions {
    fn default() -> Self {
        PullOptions { systems: Vec::new(), concurrency: 4 }
    }
}

/// Progress of a pull, reported as it happens (the desktop app forwards these to the UI).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PullEvent {
    /// A system's search began.
    Started {
        /// Register system id.
        system: String,
    },
    /// A system's search ended (or was cancelled before it began).
    Finished {
        /// Register system id.
        system: String,
        /// How it ended.
        status: PullStatus,
        /// Records found.
        records: u64,
        /// Wall time of the search.
        duration_ms: u64,
    },
}

/// One system's part of a pull.
#[derive(Debug, Clone, PartialEq)]
pub struct SystemPull {
    /// What was stored for the system (status, count, time, error).
    pub result: SystemResult,
    /// Something the user should know although the search succeeded (e.g. skipped lines).
    pub warning: Option<String>,
    /// The manual-search task created or refreshed for a manual system.
    pub task_id: Option<String>,
    /// Identifiers read out of its records under `yields` (dropped ones included).
    pub yielded: u64,
}

/// What a pull did, per system in register order. Partial success is a value: a system that
/// failed has status `error` and its message; the others are unaffected.
#[derive(Debug, Clone, PartialEq)]
pub struct PullReport {
    /// The case.
    pub reference: String,
    /// Per system.
    pub systems: Vec<SystemPull>,
    /// Whether the user cancelled (systems not finished are `cancelled`).
    pub cancelled: bool,
}

/// The outcome of testing one system's connection.
#[derive(Debug, Clone, PartialEq)]
pub struct SystemTest {
    /// Register system id.
    pub system_id: String,
    /// Connector kind.
    pub kind: ConnectorKind,
    /// What was checked, or why it failed.
    pub outcome: std::result::Result<String, ConnectorError>,
}

/// Searches a case's subject in the register's systems and stores the results.
pub fn run(
    store: &mut Store,
    ctx: &Context,
    reference: &str,
    options: &PullOptions,
    progress: &dyn Fn(&PullEvent),
    cancel: &Cancel,
) -> Result<PullReport> {
    let case = cases::get(store, reference)?;
    let register = current_register(store)?;
    let selected = select(&register, &options.systems)?;
    if options.concurrency == 0 {
        return Err(InputError::new("concurrency", "must be at least 1", "use e.g. 4 systems at once").into());
    }
    let secrets = load_secrets(store, &register)?;
    let overrides = cases::calendar_overrides(store.conn(), case.region)?;
    let due = case.effective_due(&case.deadline(&overrides)?);

    let jobs: Vec<Job<'_>> =
        selected.iter().map(|s| Job { system: s, connector: s.connector.clone().unwrap_or_else(Connector::manual) }).collect();
    let country = register.controller.country.as_str();
    // Systems that search with what others yield wait for them (SPEC §11); the register
    // refused cycles at import, so one here means a register stored before that check.
    let waves = yield_waves(&selected).map_err(|cycle| {
        InputError::new(
            "register",
            format!("systems {} yield identifiers to each other in a circle ({})", cycle.system_ids().join(" → "), cycle.explain()),
            "remove one of these yields from the register file and import it again",
        )
    })?;
    let dropped = yields::dropped_pairs(store.conn(), &case.id)?;
    // What systems outside this pull yielded earlier still stands (their evidence does), so
    // re-pulling only the invoicing still finds it by the CRM's customer number.
    let mut found_on_the_way = SearchKeys::new();
    let outside = yields::stored(store.conn(), &case.id)?
        .into_iter()
        .filter(|(system, _, _)| !selected.iter().any(|s| &s.id == system))
        .map(|(_, kind, value)| (kind, value));
    yields::add_to(&mut found_on_the_way, outside, &dropped);

    let mut searched: Vec<Option<Searched>> = jobs.iter().map(|_| None).collect();
    let mut harvests: Vec<yields::Harvest> = jobs.iter().map(|_| yields::Harvest::default()).collect();
    for wave in &waves {
        let wave_jobs: Vec<&Job<'_>> = wave.iter().map(|&i| &jobs[i]).collect();
        let keys_so_far = &found_on_the_way;
        run_bounded(
            &wave_jobs,
            options.concurrency,
            cancel,
            |job| search_one(job, &case.subject, keys_so_far, &secrets, country, cancel),
            |step| match step {
                Step::Started(k) => progress(&PullEvent::Started { system: jobs[wave[k]].system.id.clone() }),
                Step::Done(k, s) => {
                    progress(&finished(&jobs[wave[k]], &s));
                    searched[wave[k]] = Some(s);
                }
                Step::NotStarted(k) => {
                    let s = Searched::cancelled();
                    progress(&finished(&jobs[wave[k]], &s));
                    searched[wave[k]] = Some(s);
                }
            },
        );
        // Only after the whole wave: every system of the next one searches with the same keys.
        for &i in wave {
            let Some(s) = searched[i].as_mut() else { continue };
            if s.status != PullStatus::Ok || jobs[i].connector.yields.is_empty() {
                continue;
            }
            let harvest = yields::read(&jobs[i].connector, &s.found, country);
            s.warning = match (s.warning.take(), harvest.warning()) {
                (Some(a), Some(b)) => Some(format!("{a}; {b}")),
                (a, b) => a.or(b),
            };
            yields::add_to(&mut found_on_the_way, harvest.values.iter().map(|v| (v.kind.clone(), v.value.clone())), &dropped);
            harvests[i] = harvest;
        }
    }

    let pulled_at = ctx.now.to_rfc3339();
    let answer_by = processor_answer_by(ctx.today, due);
    // Whoever searches a manual system by hand gets the identifiers found on the way too (a
    // customer number the CRM holds finds the paper file keyed by it).
    let mut asked_for = case.subject.clone();
    for (kind, values) in found_on_the_way.iter() {
        let kind = crate::domain::IdentifierKind::from_key(kind).unwrap_or_else(|_| crate::domain::IdentifierKind::Other(kind.to_string()));
        for v in values {
            asked_for.add(crate::domain::Identifier { kind: kind.clone(), value: v.clone() });
        }
    }
    let case_ref = case.reference.to_string();
    let cancelled = searched.iter().any(|s| s.as_ref().is_none_or(|s| s.status == PullStatus::Cancelled));
    let mut report = PullReport { reference: case_ref.clone(), systems: Vec::with_capacity(jobs.len()), cancelled };
    store.write(|tx| {
        let mut audit_systems = Vec::with_capacity(jobs.len());
        for ((job, s), harvest) in jobs.iter().zip(searched).zip(harvests) {
            let s = s.unwrap_or_else(Searched::cancelled);
            let result = SystemResult {
                system_id: job.system.id.clone(),
                status: s.status,
                records: s.found.len() as u64,
                duration_ms: s.duration_ms,
                error: s.error,
                pulled_at: pulled_at.clone(),
            };
            // A cancelled system was not searched again: what an earlier pull found there
            // stays the evidence, with that pull's result. Only a first pull records it.
            let kept = if s.status == PullStatus::Cancelled {
                evidence::record_cancelled(tx, &case.id, &result)?
            } else {
                evidence::replace_system(tx, &case.id, &result, &s.found)?;
                // Yielded identifiers follow the evidence they were read from.
                yields::replace(tx, &case.id, &job.system.id, &harvest.values, &pulled_at)?;
                false
            };
            let task_id = if s.status == PullStatus::Manual {
                let (title, body) = processor_mail::compose(&processor_mail::MailInput {
                    controller: &register.controller,
                    system: job.system,
                    reference: &case_ref,
                    subject: &asked_for,
                    language: case.language,
                    answer_by,
                });
                Some(tasks::refresh(tx, &case.id, &job.system.id, tasks::MANUAL_SEARCH, &title, &body, &pulled_at)?)
            } else {
                None
            };
            // Status, counts and time only: no identifier, no record, no error text (a
            // server's message could quote a bound value).
            let mut entry = json!({"id": result.system_id, "status": result.status.code(), "records": result.records, "duration_ms": result.duration_ms});
            if s.skipped > 0 {
                entry["skipped"] = json!(s.skipped);
            }
            if kept {
                entry["earlier_evidence_kept"] = json!(true);
            }
            // A count only: the values are personal data.
            let yielded = harvest.values.len() as u64;
            if yielded > 0 {
                entry["yielded"] = json!(yielded);
            }
            audit_systems.push(entry);
            report.systems.push(SystemPull { result, warning: s.warning, task_id, yielded });
        }
        let details = json!({
            "reference": case_ref,
            "selection": if options.systems.is_empty() { "all" } else { "chosen" },
            "cancelled": report.cancelled,
            "systems": audit_systems,
        });
        audit::append(tx, Some(&case.id), &ctx.actor, "case.pulled", &details, ctx.now)?;
        crate::cases::start_work(tx, ctx, &case.id, "pulled")?;
        Ok::<_, Error>(())
    })?;
    Ok(report)
}

/// Tests one system's connection (file readable, queries prepare, secrets present). The
/// outer error is the desk's (no register, unknown id); the inner one the system's.
pub fn test_system(store: &Store, system_id: &str) -> Result<std::result::Result<String, ConnectorError>> {
    match test_systems(store, &[system_id.to_string()])?.pop() {
        Some(t) => Ok(t.outcome),
        None => Err(InputError::new("system", "no such system", "list the systems with: dsar register list").into()),
    }
}

/// Tests the given systems (all when `ids` is empty), a few at a time, in register order.
pub fn test_systems(store: &Store, ids: &[String]) -> Result<Vec<SystemTest>> {
    let register = current_register(store)?;
    let selected = select(&register, ids)?;
    let secrets = load_secrets(store, &register)?;
    let country = register.controller.country.as_str();
    let jobs: Vec<Job<'_>> =
        selected.iter().map(|s| Job { system: s, connector: s.connector.clone().unwrap_or_else(Connector::manual) }).collect();
    let mut out: Vec<Option<SystemTest>> = jobs.iter().map(|_| None).collect();
    run_bounded(
        &jobs,
        PullOptions::default().concurrency,
        &Cancel::new(),
        |job| SystemTest { system_id: job.system.id.clone(), kind: job.connector.kind(), outcome: test_one(job, &secrets, country) },
        |step| {
            if let Step::Done(i, t) = step {
                out[i] = Some(t);
            }
        },
    );
    Ok(out.into_iter().flatten().collect())
}

struct Job<'r> {
    system: &'r System,
    connector: Connector,
}

/// One system's search, before it is stored.
struct Searched {
    status: PullStatus,
    found: Vec<Found>,
    error: Option<String>,
    warning: Option<String>,
    skipped: u64,
    duration_ms: u64,
}

impl Searched {
    fn cancelled() -> Searched {
        Searched { status: PullStatus::Cancelled, found: Vec::new(), error: None, warning: None, skipped: 0, duration_ms: 0 }
    }
}

fn finished(job: &Job<'_>, s: &Searched) -> PullEvent {
    PullEvent::Finished { system: job.system.id.clone(), status: s.status, records: s.found.len() as u64, duration_ms: s.duration_ms }
}

fn search_one(
    job: &Job<'_>,
    subject: &Subject,
    found_on_the_way: &SearchKeys,
    secrets: &HashMap<String, SystemSecrets>,
    country: &str,
    cancel: &Cancel,
) -> Searched {
    let start = Instant::now();
    let none = SystemSecrets::default();
    let mine = secrets.get(&job.system.id).unwrap_or(&none);
    let lookup = |name: &str| mine.lookup(name);
    let outcome = if job.connector.kind() == ConnectorKind::Manual {
        Ok(None)
    } else {
        // A bug in one connector must not take the other systems' results with it.
        catch_unwind(AssertUnwindSafe(|| -> std::result::Result<Option<SearchReport>, ConnectorError> {
            mine.check(&job.system.id)?;
            let keys = keys::for_system_with(subject, found_on_the_way, &job.connector, &lookup)?;
            let cx = OpenContext { system: job.system, connector: &job.connector, secrets: &lookup, default_country: country };
            let source = connectors::open(&cx)?;
            source.search_report(&keys, cancel).map(Some)
        }))
        .unwrap_or_else(|_| {
            Err(ConnectorError::BadData { location: job.system.id.clone(), detail: "the connector failed unexpectedly; please report this".into() })
        })
    };
    let duration_ms = u64::try_from(start.elapsed().as_millis()).unwrap_or(u64::MAX);
    let base = Searched { status: PullStatus::Ok, found: Vec::new(), error: None, warning: None, skipped: 0, duration_ms };
    match outcome {
        // The user cancelled while this system was being asked (an HTTP answer or a query
        // cannot be taken back mid-way): what came after the cancel is not a finished search,
        // so it is dropped as the systems not started are — "finished systems are kept"
        // means finished before the cancel.
        Ok(Some(_)) if cancel.is_cancelled() => Searched { status: PullStatus::Cancelled, ..base },
        Ok(None) => Searched { status: PullStatus::Manual, ..base },
        Ok(Some(r)) => Searched { found: r.found, warning: r.warning, skipped: r.skipped, ..base },
        Err(ConnectorError::Cancelled) => Searched { status: PullStatus::Cancelled, ..base },
        Err(e) => Searched { status: PullStatus::Error, error: Some(e.to_string()), ..base },
    }
}

fn test_one(job: &Job<'_>, secrets: &HashMap<String, SystemSecrets>, country: &str) -> std::result::Result<String, ConnectorError> {
    let none = SystemSecrets::default();
    let mine = secrets.get(&job.system.id).unwrap_or(&none);
    mine.check(&job.system.id)?;
    let lookup = |name: &str| mine.lookup(name);
    // Derived identifiers need their keys even if this test searches for no one.
    for (_, d) in job.connector.derive.iter() {
        match expand_secrets(&d.hmac_sha256_key, lookup) {
            Err(ExpandError::Missing(m)) => return Err(ConnectorError::SecretMissing { name: m.0 }),
            Err(ExpandError::Malformed(_)) => {
                return Err(ConnectorError::BadData { location: "derive".into(), detail: "hmac_sha256_key is not a {secret:NAME} reference".into() })
            }
            Ok(_) => {}
        }
    }
    let cx = OpenContext { system: job.system, connector: &job.connector, secrets: &lookup, default_country: country };
    catch_unwind(AssertUnwindSafe(|| connectors::open(&cx)?.test())).unwrap_or_else(|_| {
        Err(ConnectorError::BadData { location: job.system.id.clone(), detail: "the connector failed unexpectedly; please report this".into() })
    })
}

pub(crate) fn current_register(store: &Store) -> Result<Register> {
    register_store::current(store)?
        .ok_or_else(|| InputError::new("register", "no register imported yet", "import the firm's register first: dsar register import FILE").into())
}

/// The chosen systems in register order; every id must exist (nothing runs otherwise).
pub(crate) fn select<'r>(register: &'r Register, ids: &[String]) -> Result<Vec<&'r System>> {
    let unknown: Vec<String> =
        ids.iter().filter(|id| register.system(id.trim()).is_none()).map(|id| format!("'{}'", id.chars().take(40).collect::<String>())).collect();
    if !unknown.is_empty() {
        let known: Vec<&str> = register.systems.iter().map(|s| s.id.as_str()).collect();
        return Err(InputError::new(
            "system",
            format!("unknown system id {}", unknown.join(", ")),
            format!("use one of: {}", known.join(", ")),
        )
        .into());
    }
    Ok(register.systems.iter().filter(|s| ids.is_empty() || ids.iter().any(|id| id.trim() == s.id)).collect())
}

/// Each system's own secrets (those bound to it where it sends them, see
/// [`secrets::for_system`]), read before the search so no connector needs the store (whose
/// connection is not shared between threads); they live only for the pull and are wiped
/// when dropped. A secret the system may not use becomes that system's error.
pub(crate) fn load_secrets(store: &Store, register: &Register) -> Result<HashMap<String, SystemSecrets>> {
    let mut out = HashMap::new();
    for system in &register.systems {
        let (allowed, refused) = secrets::for_system(store, system)?;
        out.insert(system.id.clone(), SystemSecrets { allowed, refused });
    }
    Ok(out)
}

/// What one system may use.
#[derive(Default)]
pub(crate) struct SystemSecrets {
    allowed: HashMap<String, Zeroizing<String>>,
    refused: Vec<(String, secrets::Refusal)>,
}

impl SystemSecrets {
    /// The first refusal as the system's error.
    pub(crate) fn check(&self, system_id: &str) -> std::result::Result<(), ConnectorError> {
        match self.refused.first() {
            Some((name, why)) => Err(ConnectorError::SecretNotAllowed { name: name.clone(), system: system_id.to_string(), detail: why.to_string() }),
            None => Ok(()),
        }
    }

    pub(crate) fn lookup(&self, name: &str) -> Option<String> {
        self.allowed.get(name).map(|v| v.to_string())
    }
}

/// The day a processor is asked to answer by: a week from today, but at the latest three
/// days before the case is due (time to read the answer), and never before tomorrow.
fn processor_answer_by(today: NaiveDate, due: NaiveDate) -> NaiveDate {
    let week = today.checked_add_days(Days::new(7)).unwrap_or(today);
    let before_due = due.checked_sub_days(Days::new(3)).unwrap_or(due);
    let tomorrow = today.checked_add_days(Days::new(1)).unwrap_or(today);
    week.min(before_due).max(tomorrow)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn processor_deadline_leaves_time_before_the_due_date() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(processor_answer_by(d("2026-11-02"), d("2026-12-02")), d("2026-11-09"));
        assert_eq!(processor_answer_by(d("2026-11-25"), d("2026-12-02")), d("2026-11-29"));
        assert_eq!(processor_answer_by(d("2026-12-01"), d("2026-12-02")), d("2026-12-02"));
        assert_eq!(processor_answer_by(d("2026-12-10"), d("2026-12-02")), d("2026-12-11"));
    }
}
