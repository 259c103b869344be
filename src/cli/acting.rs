//! Acting's subcommands (SPEC §10): `case plan`, `case act`, `case verify`, `case notices`,
//! `case notice`, `suppression check|export`.
//!
//! `case act` exits 0 when some systems failed (each system's status is in the output, like
//! `case pull`); it exits 1 when nothing ran (no plan, a stale plan id, an unknown system).

use std::io::IsTerminal;

use serde::Serialize;
use serde_json::json;

use dsar::acting::{self, Action, NoticeStatus, NoticeUpdate, SystemOutcome};
use dsar::cases::Context;
use dsar::connectors::Cancel;
use dsar::domain::{Identifier, IdentifierKind};
use dsar::store::Store;

use super::args::SuppressionCmd;
use super::Failure;

fn print_json(v: &impl Serialize) -> Result<(), Failure> {
    let text = serde_json::to_string_pretty(v).map_err(|e| Failure { code: 2, message: format!("cannot write JSON: {e}") })?;
    println!("{text}");
    Ok(())
}

/// `dsar case plan REF [--lift] [--json]`.
pub fn plan(store: &mut Store, ctx: &Context, reference: &str, lift: bool, as_json: bool) -> Result<(), Failure> {
    let plan = if lift { acting::plan_lift(store, ctx, reference, &Cancel::new())? } else { acting::plan(store, ctx, reference, &Cancel::new())? };
    if as_json {
        let systems: Vec<_> = plan
            .systems
            .iter()
            .map(|s| {
                json!({"id": s.id, "action": s.action.code(), "records": s.records,
                "statements": s.statements.iter().map(|st| json!({"name": st.name, "action": st.action.code(), "rows": st.rows})).collect::<Vec<_>>(),
                "retained_until": s.retained_until.map(|d| d.to_string()), "retained_by": s.retained_by, "note": s.note, "error": s.error})
            })
            .collect();
        return print_json(&json!({"plan": plan.id, "reference": plan.reference, "suppress": plan.suppress, "systems": systems}));
    }
    println!("plan {} for {}", plan.id, plan.reference);
    for s in &plan.systems {
        let until = s.retained_until.map(|d| format!(" · kept until {d}")).unwrap_or_default();
        println!("  {:<20} {:<9} {:>6} records{until}", s.id, s.action.code(), s.records);
        for st in &s.statements {
            println!("      {:<9} {:<24} {:>6} rows", st.action.code(), st.name, st.rows);
        }
        if let Some(e) = &s.error {
            println!("      error: {e}");
        } else if let Some(n) = s.note.as_ref().filter(|_| s.action != Action::None || s.records > 0) {
            println!("      {n}");
        }
    }
    if plan.suppress {
        println!("  the subject's identifiers go on the suppression list (keyed hashes)");
    }
    println!("approve and carry it out with: dsar case act {} --plan {}", plan.reference, plan.id);
    Ok(())
}

/// `dsar case act REF --plan SHA256 [--system ID]... [--json]`.
pub fn act(store: &mut Store, ctx: &Context, reference: &str, plan_id: &str, systems: &[String], as_json: bool) -> Result<(), Failure> {
    let live = !as_json && std::io::stderr().is_terminal();
    let progress = |id: &str, o: &SystemOutcome| {
        if live {
            eprintln!("  {id}: {} ({} rows)", o.status, o.rows);
        }
    };
    let report = acting::act(store, ctx, reference, plan_id, systems, &progress, &Cancel::new())?;
    if as_json {
        let systems: Vec<_> = report.systems.iter().map(|o| json!({"id": o.id, "status": o.status, "rows": o.rows, "error": o.error})).collect();
        return print_json(&json!({"plan": report.plan, "systems": systems}));
    }
    for o in &report.systems {
        match &o.error {
            Some(e) if o.status == "error" => println!("  {:<20} error: {e}", o.id),
            _ => println!("  {:<20} {:<8} {:>6} rows", o.id, o.status, o.rows),
        }
    }
    println!("check the result with: dsar case verify {reference}");
    Ok(())
}

/// `dsar case verify REF [--json]`.
pub fn verify(store: &mut Store, ctx: &Context, reference: &str, as_json: bool) -> Result<(), Failure> {
    let verified = acting::verify(store, ctx, reference)?;
    if as_json {
        let systems: Vec<_> = verified.iter().map(|v| json!({"id": v.id, "records": v.records, "ok": v.ok, "note": v.note})).collect();
        return print_json(&json!({"systems": systems}));
    }
    if verified.is_empty() {
        println!("no system's data was changed by the plan: nothing to verify");
    }
    for v in &verified {
        println!("  {:<20} {:<4} {}", v.id, if v.ok { "ok" } else { "FAIL" }, v.note.as_deref().unwrap_or(""));
    }
    Ok(())
}

/// `dsar case notices REF [--json]`.
pub fn notices(store: &Store, reference: &str, as_json: bool) -> Result<(), Failure> {
    let list = acting::notices(store, reference)?;
    if as_json {
        let v: Vec<_> = list
            .iter()
            .map(|n| {
                json!({"id": n.id, "system": n.system_id, "recipient": n.recipient, "kind": n.kind, "action": n.action, "status": n.status.code(),
                "sent_on": n.sent_on.map(|d| d.to_string()), "channel": n.channel, "reason": n.reason, "title": n.letter.0, "letter": n.letter.1})
            })
            .collect();
        return print_json(&v);
    }
    if list.is_empty() {
        println!("no notices: they are made when a plan changes data in a system with recipients");
    }
    for n in &list {
        let how = match n.status {
            NoticeStatus::Sent => format!("sent {} by {}", n.sent_on.map(|d| d.to_string()).unwrap_or_default(), n.channel.as_deref().unwrap_or("")),
            NoticeStatus::Open => "open".to_string(),
            other => format!("closed: {}", other.code()),
        };
        println!("{}  {:<18} {:<22} {:<32} {how}", n.id, n.system_id, n.kind, n.recipient);
    }
    Ok(())
}

/// `dsar case notice ID --sent DATE --channel C | --impossible|--disproportionate --reason R`.
pub fn notice(store: &mut Store, ctx: &Context, id: &str, sent: Option<chrono::NaiveDate>, channel: Option<&str>, impossible: bool, disproportionate: bool, reason: Option<&str>) -> Result<(), Failure> {
    let update = match (sent, impossible, disproportionate) {
        (Some(on), false, false) => NoticeUpdate::Sent { on, channel: channel.unwrap_or("").to_string() },
        (None, true, false) => NoticeUpdate::Closed { status: NoticeStatus::Impossible, reason: reason.unwrap_or("").to_string() },
        (None, false, true) => NoticeUpdate::Closed { status: NoticeStatus::Disproportionate, reason: reason.unwrap_or("").to_string() },
        _ => return Err(Failure::user("notice: give --sent DATE --channel C, or --impossible / --disproportionate with --reason TEXT")),
    };
    acting::update_notice(store, ctx, id, update)?;
    println!("notice {} recorded", id.trim());
    Ok(())
}

/// `dsar suppression check|export`.
pub fn suppression(store: &mut Store, cmd: &SuppressionCmd) -> Result<(), Failure> {
    match cmd {
        SuppressionCmd::Check { email, phone, ids } => {
            let country = dsar::register_store::current(store)?.map_or_else(|| "DE".to_string(), |r| r.controller.country.clone());
            let mut identifiers = Vec::new();
            let mut add = |kind: IdentifierKind, raw: &str, flag: &str| -> Result<(), Failure> {
                let id = Identifier::new(kind, raw, &country).map_err(|e| Failure::user(format!("{flag}: {e}")))?;
                identifiers.push(id);
                Ok(())
            };
            if let Some(e) = email {
                add(IdentifierKind::Email, e, "--email")?;
            }
            if let Some(p) = phone {
                add(IdentifierKind::Phone, p, "--phone")?;
            }
            for pair in ids {
                let (k, v) = pair.split_once('=').ok_or_else(|| Failure::user("--id: identifier must be KEY=VALUE, e.g. --id customer_id=K-1001"))?;
                let kind = IdentifierKind::from_key(k).map_err(|e| Failure::user(format!("--id: {e}")))?;
                add(kind, v, "--id")?;
            }
            if identifiers.is_empty() {
                return Err(Failure::user("suppression check: give --email, --phone or --id KEY=VALUE"));
            }
            let on = dsar::suppression::check(store, &identifiers)?;
            println!("{}", if on { "suppressed" } else { "not suppressed" });
            Ok(())
        }
        SuppressionCmd::Export { out } => {
            let csv = dsar::suppression::export_csv(store)?;
            match out {
                Some(path) => {
                    dsar::output::write_atomic(store.path(), path, csv.as_bytes()).map_err(|e| Failure::user(e.to_string()))?;
                    eprintln!("{} ({} entries)", path.display(), dsar::suppression::count(store)?);
                }
                None => print!("{csv}"),
            }
            Ok(())
        }
    }
}

/// `dsar needs-you [--json]`.
pub fn needs_you(store: &Store, ctx: &Context, as_json: bool) -> Result<(), Failure> {
    let n = acting::needs_you(store, ctx.today)?;
    let list = |items: &[acting::Need]| -> Vec<serde_json::Value> {
        items.iter().map(|i| json!({"reference": i.reference, "system": i.system_id, "id": i.id, "title": i.title, "due": i.due.to_string()})).collect()
    };
    if as_json {
        return print_json(&json!({"follow_ups_due": list(&n.follow_ups_due), "answers_overdue": list(&n.answers_overdue), "notices_open": list(&n.notices_open)}));
    }
    if n.is_empty() {
        println!("nothing needs you");
    }
    for (head, items) in [("retained data to erase now", &n.follow_ups_due), ("answers overdue", &n.answers_overdue), ("notices not yet sent", &n.notices_open)] {
        if items.is_empty() {
            continue;
        }
        println!("{head}:");
        for i in items.iter() {
            println!("  {}  {}  {}  (since {})", i.reference, i.system_id.as_deref().unwrap_or("-"), i.title, i.due);
        }
    }
    Ok(())
}
