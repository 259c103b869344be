//! The pull's subcommands: `case pull`, `case evidence`, `case tasks`, `task done` and
//! `register test` — each parses, calls the core (`dsar::pull`, `dsar::tasks`) and prints.
//!
//! `case pull` exits 0 when some systems failed: partial success is a result (each system's
//! status and error are in the output), not a failure of the command. It exits 1 only when
//! nothing could be pulled (unknown case or system id, no register).

use std::io::IsTerminal;

use serde::Serialize;
use serde_json::json;

use dsar::cases::Context;
use dsar::connectors::Cancel;
use dsar::pull::{self, PullEvent, PullOptions, PullReport};
use dsar::store::Store;
use dsar::{evidence, register_store, tasks};

use super::args::TaskCmd;
use super::Failure;

fn print_json(v: &impl Serialize) -> Result<(), Failure> {
    let text = serde_json::to_string_pretty(v).map_err(|e| Failure { code: 2, message: format!("cannot write JSON: {e}") })?;
    println!("{text}");
    Ok(())
}

/// SPEC §8: `{"systems": [{"id", "status", "records", "duration_ms", "error"}]}`.
#[derive(Serialize)]
struct PullJson<'a> {
    systems: Vec<SystemPullJson<'a>>,
}

#[derive(Serialize)]
struct SystemPullJson<'a> {
    id: &'a str,
    status: &'static str,
    records: u64,
    duration_ms: u64,
    error: Option<&'a str>,
}

#[derive(Serialize)]
struct EvidenceJson<'a> {
    system: &'a str,
    dataset: &'a str,
    locator: &'a str,
    record: &'a serde_json::Value,
    pulled_at: &'a str,
}

#[derive(Serialize)]
struct TaskJson<'a> {
    id: &'a str,
    system: Option<&'a str>,
    kind: &'a str,
    status: &'static str,
    title: &'a str,
    body: &'a str,
    created_at: &'a str,
    done_at: Option<&'a str>,
}

/// `dsar case pull REF [--system ID]... [--concurrency N] [--json]`.
pub fn case_pull(store: &mut Store, ctx: &Context, reference: &str, systems: &[String], concurrency: usize, as_json: bool) -> Result<(), Failure> {
    let options = PullOptions { systems: systems.to_vec(), concurrency };
    let live = !as_json && std::io::stderr().is_terminal();
    let progress = |e: &PullEvent| {
        if let (true, PullEvent::Finished { system, status, records, duration_ms }) = (live, e) {
            eprintln!("  {system}: {} ({records} records, {duration_ms} ms)", status.code());
        }
    };
    let report = pull::run(store, ctx, reference, &options, &progress, &Cancel::new())?;
    // Warnings (e.g. skipped lines) go to stderr so the JSON on stdout keeps the SPEC shape.
    for s in &report.systems {
        if let Some(w) = &s.warning {
            eprintln!("dsar: warning: {}: {w}", s.result.system_id);
        }
    }
    if as_json {
        print_json(&pull_json(&report))
    } else {
        print_pull(&report);
        Ok(())
    }
}

fn pull_json(report: &PullReport) -> PullJson<'_> {
    PullJson {
        systems: report
            .systems
            .iter()
            .map(|s| SystemPullJson {
                id: &s.result.system_id,
                status: s.result.status.code(),
                records: s.result.records,
                duration_ms: s.result.duration_ms,
                error: s.result.error.as_deref(),
            })
            .collect(),
    }
}

fn print_pull(report: &PullReport) {
    println!("{:<18} {:<10} {:>8} {:>9}  ERROR", "SYSTEM", "STATUS", "RECORDS", "TIME");
    for s in &report.systems {
        let r = &s.result;
        println!("{:<18} {:<10} {:>8} {:>6} ms  {}", r.system_id, r.status.code(), r.records, r.duration_ms, r.error.as_deref().unwrap_or(""));
    }
    let count = |st: evidence::PullStatus| report.systems.iter().filter(|s| s.result.status == st).count();
    let records: u64 = report.systems.iter().map(|s| s.result.records).sum();
    println!(
        "{}: {records} records from {} systems; {} manual (see dsar case tasks {}); {} failed; {} cancelled",
        report.reference,
        count(evidence::PullStatus::Ok),
        count(evidence::PullStatus::Manual),
        report.reference,
        count(evidence::PullStatus::Error),
        count(evidence::PullStatus::Cancelled)
    );
    let yielded: Vec<String> = report.systems.iter().filter(|s| s.yielded > 0).map(|s| format!("{} {}", s.result.system_id, s.yielded)).collect();
    if !yielded.is_empty() {
        println!("identifiers found on the way (searched with in the systems after them): {} — see dsar case show {}", yielded.join(", "), report.reference);
    }
}

/// `dsar case evidence REF [--system ID] [--json]`: the records with their locators.
pub fn case_evidence(store: &Store, reference: &str, system: Option<&str>, as_json: bool) -> Result<(), Failure> {
    let case = dsar::cases::get(store, reference)?;
    if let Some(id) = system {
        let known = register_store::current(store)?.map(|r| r.systems.iter().map(|s| s.id.clone()).collect::<Vec<_>>()).unwrap_or_default();
        if !known.iter().any(|k| k == id) {
            return Err(Failure::user(format!("--system: unknown system id '{}': use one of {}", id.chars().take(40).collect::<String>(), known.join(", "))));
        }
    }
    let all = evidence::for_case(store.conn(), &case.id)?;
    let items: Vec<_> = all.iter().filter(|e| system.is_none_or(|id| e.system_id == id)).collect();
    if as_json {
        let v: Vec<EvidenceJson<'_>> = items
            .iter()
            .map(|e| EvidenceJson { system: &e.system_id, dataset: &e.dataset, locator: &e.locator, record: &e.record, pulled_at: &e.pulled_at })
            .collect();
        return print_json(&json!({"reference": case.reference.to_string(), "evidence": v}));
    }
    println!("{:<16} {:<20} {:<32} RECORD", "SYSTEM", "DATASET", "LOCATOR");
    for e in &items {
        println!("{:<16} {:<20} {:<32} {}", e.system_id, cut(&e.dataset, 20), cut(&e.locator, 32), cut(&e.record.to_string(), 100));
    }
    println!("{} records", items.len());
    Ok(())
}

/// `dsar case tasks REF [--json]`: to-dos with their ready e-mails.
pub fn case_tasks(store: &Store, reference: &str, as_json: bool) -> Result<(), Failure> {
    let list = tasks::for_case(store, reference)?;
    if as_json {
        let v: Vec<TaskJson<'_>> = list
            .iter()
            .map(|t| TaskJson {
                id: &t.id,
                system: t.system_id.as_deref(),
                kind: &t.kind,
                status: t.status.code(),
                title: &t.title,
                body: &t.body,
                created_at: &t.created_at,
                done_at: t.done_at.as_deref(),
            })
            .collect();
        return print_json(&json!({"tasks": v}));
    }
    for t in &list {
        println!("[{}] {}  {}  {}", t.status.code(), t.id, t.system_id.as_deref().unwrap_or("-"), t.title);
        if t.status == tasks::TaskStatus::Open {
            for line in t.body.lines() {
                println!("    {line}");
            }
        }
    }
    if list.is_empty() {
        println!("no tasks");
    }
    Ok(())
}

/// `dsar task done TASK_ID`.
pub fn task_cmd(store: &mut Store, ctx: &Context, cmd: &TaskCmd) -> Result<(), Failure> {
    match cmd {
        TaskCmd::Done { task_id } => {
            let t = tasks::mark_done(store, ctx, task_id)?;
            println!("task {} done ({})", t.id, t.title);
            Ok(())
        }
        TaskCmd::Answer { task_id, on, confirmed, note, reply } => {
            use dsar::acting::answers;
            let confirmed = answers::Confirmed::parse(confirmed)?;
            let reply = match reply {
                Some(path) => {
                    let content = std::fs::read(path).map_err(|e| Failure::user(format!("--reply: cannot read {}: {e}", path.display())))?;
                    let file_name = path.file_name().map_or_else(|| "reply".to_string(), |n| n.to_string_lossy().into_owned());
                    Some(answers::Reply { file_name, content })
                }
                None => None,
            };
            answers::record(store, ctx, task_id, *on, confirmed, note.as_deref(), reply)?;
            println!("answer recorded ({})", confirmed.code());
            Ok(())
        }
    }
}

/// `dsar register test [ID]...`: exit 1 if any system fails.
pub fn register_test(store: &Store, ids: &[String], as_json: bool) -> Result<(), Failure> {
    let results = pull::test_systems(store, ids)?;
    let failed: Vec<&str> = results.iter().filter(|t| t.outcome.is_err()).map(|t| t.system_id.as_str()).collect();
    if as_json {
        let v: Vec<_> = results
            .iter()
            .map(|t| match &t.outcome {
                Ok(m) => json!({"id": t.system_id, "kind": t.kind.code(), "ok": true, "message": m}),
                Err(e) => json!({"id": t.system_id, "kind": t.kind.code(), "ok": false, "message": e.to_string()}),
            })
            .collect();
        print_json(&json!({"systems": v}))?;
    } else {
        for t in &results {
            match &t.outcome {
                Ok(m) => println!("ok    {:<16} {:<8} {m}", t.system_id, t.kind.code()),
                Err(e) => println!("FAIL  {:<16} {:<8} {e}", t.system_id, t.kind.code()),
            }
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(Failure::user(format!("{} of {} systems failed the test: {}", failed.len(), results.len(), failed.join(", "))))
    }
}

fn cut(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}
