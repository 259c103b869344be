//! One small function per subcommand: parse strings into core types, call the core, print.

use std::io::Read;


use serde_json::{json, Value};

use dsar::cases::{self, Context, ListQuery, NewCase, PauseReason};
use dsar::deadline::{self, CalendarOverrides, DeadlineInput, Jurisdiction, Pause, Region};
use dsar::domain::{Channel, IdentifierKind, Outcome, Right, Status};
use dsar::{register_store, secrets, store::Store};

use super::args::{AuditCmd, CalendarCmd, CaseCmd, Command, DeadlineArgs, NewCaseArgs, RegisterCmd, SecretCmd};
use super::output::{print_table, CaseJson, DeadlineJson, SummaryJson};
use super::unlock::{db_path, open, passphrase};
use super::{Cli, Failure};

pub(super) fn ctx(cli: &Cli) -> Context {
    // The audit trail names who acted: the login's name, or the system's when the environment
    // has none (cron, containers, CI), never a bare "unknown" unless both are silent.
    let from_env = |k: &str| std::env::var(k).ok().filter(|u| !u.trim().is_empty());
    let user = from_env("USER")
        .or_else(|| from_env("LOGNAME"))
        .or_else(|| whoami::username().ok().filter(|u| !u.trim().is_empty()))
        .unwrap_or_else(|| "unknown".into());
    let mut c = Context::now(format!("cli:{user}"));
    if let Some(t) = cli.today {
        c.today = t;
    }
    c
}

pub(super) fn code<T: std::str::FromStr<Err = dsar::domain::UnknownCode>>(s: &str) -> Result<T, Failure> {
    s.parse::<T>().map_err(|e| Failure::user(e.to_string()))
}

pub(super) fn print_json(v: &impl serde::Serialize) -> Result<(), Failure> {
    let text = serde_json::to_string_pretty(v).map_err(|e| Failure { code: 2, message: format!("cannot write JSON: {e}") })?;
    println!("{text}");
    Ok(())
}

pub fn dispatch(cli: Cli) -> Result<(), Failure> {
    match &cli.command {
        Command::Init => {
            let path = db_path(&cli);
            if path.exists() {
                return Err(dsar::store::StoreError::Exists { path }.into());
            }
            let pass = passphrase(&cli, true)?;
            Store::create(&path, &pass)?;
            println!("created {}", path.display());
            Ok(())
        }
        Command::Demo { force, extra_cases } => demo(&cli, *force, *extra_cases),
        Command::Deadline(a) => deadline_cmd(a),
        Command::Register(r) => register_cmd(&cli, r),
        Command::Secret(s) => secret_cmd(&cli, s),
        Command::Case(c) => case_cmd(&cli, c),
        Command::Calendar(c) => calendar_cmd(&cli, c),
        Command::Task(t) => super::pull::task_cmd(&mut open(&cli)?, &ctx(&cli), t),
        Command::Suppression(s) => super::acting::suppression(&mut open(&cli)?, s),
        Command::NeedsYou { json } => super::acting::needs_you(&open(&cli)?, &ctx(&cli), *json),
        Command::Letter(a) => super::letter::letter_cmd(&cli, a),
        Command::Export(a) => super::export::export(&cli, a),
        Command::Settings(s) => super::export::settings_cmd(&cli, s),
        Command::Intake(a) => super::intake::intake(&cli, a),
        Command::Backup { out } => {
            let done = dsar::backup::backup(&mut open(&cli)?, &ctx(&cli), out)?;
            println!("{} ({} bytes)", done.path.display(), done.bytes);
            Ok(())
        }
        Command::Restore { file } => {
            // One passphrase (asked once) opens both: the CLI restores backups of this desk.
            let path = super::unlock::db_path(&cli);
            if !path.is_file() {
                return Err(dsar::store::StoreError::Missing { path }.into());
            }
            let pass = super::unlock::passphrase(&cli, false)?;
            let store = dsar::store::Store::open(&path, &pass)?;
            let verified = dsar::backup::verify(store.path(), file, &pass)?;
            let restored = verified.replace(store, &ctx(&cli))?;
            println!("restored; the previous database is kept as {}", restored.kept.display());
            Ok(())
        }
        Command::Audit(AuditCmd::Verify { json }) => {
            let store = open(&cli)?;
            let v = dsar::audit::verify(store.conn())?;
            if *json {
                print_json(&json!({"events": v.events, "intact": v.is_intact(), "problems": v.problems.iter().map(|p| p.to_string()).collect::<Vec<_>>()}))?;
            } else if v.is_intact() {
                println!("audit trail intact: {} events, every hash and link checks out", v.events);
            }
            if v.is_intact() {
                Ok(())
            } else {
                for p in &v.problems {
                    eprintln!("dsar: audit trail: {p}");
                }
                Err(Failure::user(format!("audit trail damaged: {} problem(s) in {} events — restore a backup and keep this file as evidence", v.problems.len(), v.events)))
            }
        }
    }
}

fn demo(cli: &Cli, force: bool, extra_cases: usize) -> Result<(), Failure> {
    let path = db_path(cli);
    if path.exists() && !force {
        return Err(Failure::user(format!("a file already exists at {}: use --force to replace it with a fresh demo, or another --db", path.display())));
    }
    let pass = passphrase(cli, false)?;
    let c = ctx(cli);
    let mut n = dsar::demo::create(&path, &pass, &c, force)?;
    if extra_cases > 0 {
        let mut store = dsar::store::Store::open(&path, &pass)?;
        n += dsar::demo::add_generated(&mut store, &c, extra_cases)?;
    }
    println!("demo database at {} with {n} cases", path.display());
    Ok(())
}

fn parse_pause(s: &str) -> Result<Pause, Failure> {
    let (a, b) = s.split_once("..").ok_or_else(|| Failure::user("--pause: not FROM..TO: use e.g. 2026-03-12..2026-03-19, or 2026-03-12.. while still waiting"))?;
    let from = super::args::parse_date(a).map_err(|e| Failure::user(format!("--pause: {e}")))?;
    let to = if b.trim().is_empty() { None } else { Some(super::args::parse_date(b).map_err(|e| Failure::user(format!("--pause: {e}")))?) };
    Ok(Pause::Clarification { asked: from, received: to })
}

fn deadline_cmd(a: &DeadlineArgs) -> Result<(), Failure> {
    let jurisdiction: Jurisdiction = code(&a.jurisdiction)?;
    let region: Region = match &a.region {
        Some(r) => code(r)?,
        None => jurisdiction.default_region(),
    };
    let rights = a.rights.iter().map(|r| code::<Right>(r)).collect::<Result<Vec<_>, _>>()?;
    let mut pauses = Vec::new();
    if let Some(asked) = a.identity_requested {
        pauses.push(Pause::Identity { asked, received: a.identity_received });
    }
    for p in &a.pauses {
        pauses.push(parse_pause(p)?);
    }
    let overrides = CalendarOverrides::default();
    let dl = deadline::compute(&DeadlineInput { received: a.received, jurisdiction, region, rights: &rights, pauses: &pauses, overrides: &overrides })
        .map_err(|e| Failure::from(dsar::Error::from(e)))?;
    print_json(&DeadlineJson::new(&dl, jurisdiction.code(), region.code()))
}

fn register_cmd(cli: &Cli, r: &RegisterCmd) -> Result<(), Failure> {
    let mut store = open(cli)?;
    match r {
        RegisterCmd::Import { file, dry_run: true } => {
            let p = dsar::register_diff::preview(&store, file)?;
            if !p.replaces {
                println!("no register yet: the import adds {} systems", p.added.len());
            } else if p.is_empty() {
                println!("the file is the current register: nothing would change");
            }
            for s in &p.added {
                println!("  added     {}  {}", s.id, s.name);
            }
            if p.replaces {
                for s in &p.removed {
                    println!("  removed   {}  {}  (no longer searched)", s.id, s.name);
                }
                for c in &p.changed {
                    println!("  changed   {}  {}: {}", c.system.id, c.system.name, c.fields.join(", "));
                }
                if !p.controller.is_empty() {
                    println!("  controller: {}", p.controller.join(", "));
                }
                println!("  unchanged {} system(s)", p.unchanged);
            }
            Ok(())
        }
        RegisterCmd::Import { file, dry_run: false } => {
            let reg = register_store::import_file(&mut store, &ctx(cli), file)?;
            println!("imported register of {} with {} systems", reg.controller.name, reg.systems.len());
            Ok(())
        }
        RegisterCmd::Export { file } => {
            let text = register_store::export(&store)?;
            match file {
                Some(f) => {
                    dsar::output::write_atomic(store.path(), f, (text + "\n").as_bytes()).map_err(|e| Failure::user(e.to_string()))?;
                    Ok(())
                }
                None => {
                    println!("{text}");
                    Ok(())
                }
            }
        }
        RegisterCmd::Test { ids, json } => super::pull::register_test(&store, ids, *json),
        RegisterCmd::List { json } => {
            let Some(reg) = register_store::current(&store)? else {
                return Err(Failure::user("no register imported yet: run dsar register import FILE"));
            };
            let lang = reg.controller.language();
            if *json {
                let systems: Vec<_> = reg
                    .systems
                    .iter()
                    .map(|s| json!({"id": s.id, "name": s.name.pick(lang, lang), "role": s.role.code(), "connector": s.connector_kind().code()}))
                    .collect();
                print_json(&json!({"controller": reg.controller.name, "systems": systems}))
            } else {
                println!("{} — {} systems", reg.controller.name, reg.systems.len());
                for s in &reg.systems {
                    println!("  {:<16} {:<24} {:<10} {}", s.id, s.role.code(), s.connector_kind().code(), s.name.pick(lang, lang));
                }
                Ok(())
            }
        }
    }
}

fn secret_cmd(cli: &Cli, s: &SecretCmd) -> Result<(), Failure> {
    let mut store = open(cli)?;
    match s {
        SecretCmd::Set { name } => {
            let mut value = String::new();
            std::io::stdin().read_to_string(&mut value).map_err(|_| Failure::user("value: standard input is not UTF-8 text"))?;
            let bound = secrets::set(&mut store, &ctx(cli), name, &value)?;
            match bound.is_empty() {
                true => println!("secret {name} stored"),
                false => {
                    let systems: Vec<String> = bound.iter().map(|(id, destination)| format!("{id} ({destination})")).collect();
                    println!("secret {name} stored, for {}", systems.join(", "));
                }
            }
            Ok(())
        }
        SecretCmd::Allow { name, system } => {
            let destination = secrets::allow(&mut store, &ctx(cli), name, system)?;
            println!("secret {name} allowed for {system} ({destination})");
            Ok(())
        }
        SecretCmd::List => {
            for n in secrets::names(&store)? {
                println!("{n}");
            }
            Ok(())
        }
    }
}

fn new_case(a: &NewCaseArgs) -> Result<NewCase, Failure> {
    let rights = a.rights.iter().map(|r| code::<Right>(r)).collect::<Result<Vec<_>, _>>()?;
    let mut identifiers = Vec::new();
    if let Some(e) = &a.email {
        identifiers.push((IdentifierKind::Email, e.clone()));
    }
    if let Some(p) = &a.phone {
        identifiers.push((IdentifierKind::Phone, p.clone()));
    }
    for pair in &a.ids {
        let (k, v) = pair.split_once('=').ok_or_else(|| Failure::user("--id: identifier must be KEY=VALUE, e.g. --id customer_id=K-1001"))?;
        let kind = IdentifierKind::from_key(k).map_err(|e| Failure::user(format!("--id: {e}")))?;
        identifiers.push((kind, v.to_string()));
    }
    Ok(NewCase {
        rights,
        name: a.name.clone(),
        address: a.address.clone(),
        identifiers,
        received: a.received,
        jurisdiction: a.jurisdiction.as_deref().map(code).transpose()?,
        region: a.region.as_deref().map(code).transpose()?,
        language: a.language.as_deref().map(code).transpose()?,
        channel: code::<Channel>(&a.channel)?,
    })
}

fn show(store: &Store, c: &Context, reference: &str, as_json: bool) -> Result<(), Failure> {
    let case = cases::get(store, reference)?;
    let ov = cases::calendar_overrides(store.conn(), case.region)?;
    let dl = case.deadline(&ov)?;
    let left = (case.status.is_open() && dl.clock_stopped_since.is_none()).then(|| {
        let d = dl.days_left(c.today, case.extended_on.is_some(), case.region, &ov);
        (d.calendar, d.working)
    });
    let mut j = CaseJson::new(&case, &dl, left);
    j.yielded = super::yields::for_case(store, &case.id)?;
    let intake = super::identity::show_json(store, &case)?;
    if as_json {
        let mut v = serde_json::to_value(&j).map_err(|e| Failure::classified(false, &e))?;
        if let (Some(obj), Value::Object(more)) = (v.as_object_mut(), intake) {
            obj.extend(more);
        }
        return print_json(&v);
    }
    println!("{}  {}  [{}]", j.reference, j.subject.name, j.status);
    println!("  rights      {}", j.rights.join(", "));
    println!("  received    {} by {} — {} / {} / {}", j.received, j.channel, j.jurisdiction, j.region, j.language);
    for i in &j.subject.identifiers {
        println!("  {:<11} {}", i.kind, i.value);
    }
    super::yields::print_text(&j.yielded);
    println!("  due         {}", j.due);
    if let Some(d) = j.extension_notice_by {
        println!("  extend by   {d} (latest day to send an extension notice)");
    }
    if let Some(d) = dl.extended_due {
        println!("  extended    {d}{}", if case.extended_on.is_some() { " (extended)" } else { " (if extended)" });
    }
    if let Some(d) = j.acknowledge_by {
        println!("  acknowledge {d}");
    }
    if let Some(d) = j.clock_stopped_since {
        println!("  clock       stopped since {d}");
    }
    if let Some(l) = &j.days_left {
        println!("  left        {} calendar days, {} working days (until {})", l.calendar, l.working, j.effective_due);
    }
    for e in &j.explanation {
        println!("  why         {e}");
    }
    if let Some(o) = j.outcome {
        println!("  closed      {} ({o})", j.closed_on.map(|d| d.to_string()).unwrap_or_default());
    }
    if let Some(r) = &case.requester {
        println!("  requester   {} ({}) — letters go to them", r.name, r.authority);
    }
    match intake["identity"]["checks"].as_array().map(Vec::len) {
        Some(n) if n > 0 => println!("  identity    established ({n} check{})", if n == 1 { "" } else { "s" }),
        _ => println!("  identity    not established"),
    }
    for l in intake["linked"].as_array().into_iter().flatten() {
        println!("  linked      {} ({})", l["reference"].as_str().unwrap_or_default(), l["status"].as_str().unwrap_or_default());
    }
    if let Some(r) = intake["possible_repeat_of"].as_str() {
        println!("  repeat?     {r} asked the same within 12 months (Art. 12(5) — your judgment)");
    }
    Ok(())
}

fn case_cmd(cli: &Cli, cmd: &CaseCmd) -> Result<(), Failure> {
    let c = ctx(cli);
    match cmd {
        CaseCmd::New(a) => {
            // Parse everything before asking for the passphrase or opening the file.
            let new = new_case(a)?;
            let rep = match &a.requester_name {
                Some(n) => Some(super::identity::new_requester(
                    n,
                    &a.requester_address,
                    a.requester_email.as_deref(),
                    a.authority.as_deref(),
                    a.authority_note.as_deref(),
                    a.authority_document.as_deref(),
                )?),
                None => None,
            };
            let form = a.salutation.as_deref().map(super::identity::salutation_form).transpose()?.flatten();
            let mut store = open(cli)?;
            let case = match &rep {
                Some(r) => cases::requester::create_case(&mut store, &c, new, r)?,
                None => cases::create(&mut store, &c, new)?,
            };
            if form.is_some() {
                cases::salutation::set(&mut store, &c, &case.reference.to_string(), form, a.family_name.as_deref())?;
            }
            if let Some(d) = dsar::intake::duplicates::find(store.conn(), &case.subject.identifiers, c.today, Some(&case.id))? {
                eprintln!("dsar: note: {} has an identifier of {d} (open or closed within 12 months) — link or close one of them", case.reference);
            }
            if a.json {
                show(&store, &c, &case.reference.to_string(), true)
            } else {
                println!("{}", case.reference);
                Ok(())
            }
        }
        CaseCmd::List { json, status, overdue, open: open_only, right, search, sort, reverse, csv, limit, offset } => {
            let mut q = ListQuery::new(c.today);
            q.status = status.as_deref().map(code::<Status>).transpose()?;
            q.right = right.as_deref().map(code::<Right>).transpose()?;
            q.overdue = *overdue;
            q.open_only = *open_only;
            q.search = search.clone();
            q.limit = (*limit).clamp(1, 10_000);
            q.offset = *offset;
            q.sort = match sort.as_str() {
                "due" => cases::Sort::Due,
                "received" => cases::Sort::Received,
                "reference" => cases::Sort::Reference,
                other => return Err(Failure::user(format!("--sort: unknown order '{other}': use due, received or reference"))),
            };
            if *reverse {
                q.direction = match q.sort {
                    cases::Sort::Received => cases::Direction::Ascending,
                    _ => cases::Direction::Descending,
                };
            }
            let store = open(cli)?;
            if let Some(file) = csv {
                let n = cases::export_csv(&store, &q, file)?;
                println!("{n} {} written to {}", if n == 1 { "case" } else { "cases" }, file.display());
                return Ok(());
            }
            let page = cases::list(&store, &q)?;
            if *json {
                let items: Vec<_> = page.items.iter().map(SummaryJson::new).collect();
                print_json(&json!({"total": page.total, "offset": q.offset, "cases": items}))
            } else {
                print_table(&page.items);
                let overdue = page.items.iter().filter(|s| s.is_overdue()).count();
                println!("{} of {} cases shown · {overdue} overdue on this page · today {}", page.items.len(), page.total, c.today);
                Ok(())
            }
        }
        CaseCmd::Show { reference, json } => show(&open(cli)?, &c, reference, *json),
        CaseCmd::Pause { reference, reason, from } => {
            let reason: PauseReason = code(reason)?;
            let case = cases::pause(&mut open(cli)?, &c, reference, reason, *from)?;
            println!("{}: clock stopped since {from} ({})", case.reference, case.status);
            Ok(())
        }
        CaseCmd::Resume { reference, on } => {
            let mut store = open(cli)?;
            let case = cases::resume(&mut store, &c, reference, *on)?;
            println!("{}: clock running again from {on}", case.reference);
            show(&store, &c, reference, false)
        }
        CaseCmd::Extend { reference, reason, on } => {
            let mut store = open(cli)?;
            let case = cases::extend(&mut store, &c, reference, reason, on.unwrap_or(c.today))?;
            println!("{}: period extended", case.reference);
            show(&store, &c, reference, false)
        }
        CaseCmd::Status { reference, to } => {
            let to: Status = code(to)?;
            let case = cases::set_status(&mut open(cli)?, &c, reference, to)?;
            println!("{}: {}", case.reference, case.status);
            Ok(())
        }
        CaseCmd::Close { reference, outcome, on } => {
            let outcome: Outcome = code(outcome)?;
            let case = cases::close(&mut open(cli)?, &c, reference, outcome, on.unwrap_or(c.today))?;
            println!("{}: closed ({outcome})", case.reference);
            Ok(())
        }
        CaseCmd::Pull { reference, systems, concurrency, json } => super::pull::case_pull(&mut open(cli)?, &c, reference, systems, *concurrency, *json),
        CaseCmd::Plan { reference, lift, json } => super::acting::plan(&mut open(cli)?, &c, reference, *lift, *json),
        CaseCmd::Act { reference, plan, systems, json } => super::acting::act(&mut open(cli)?, &c, reference, plan, systems, *json),
        CaseCmd::Rectify { reference, field, old, new, system } => {
            let c2 = dsar::acting::rectify::Correction { system: system.clone(), field: field.clone(), old: old.clone(), new: new.clone() };
            dsar::acting::rectify::record(&mut open(cli)?, &c, reference, &[c2])?;
            println!("correction noted on {reference}; the plan turns it into a task for each system holding the data");
            Ok(())
        }
        CaseCmd::Verify { reference, json } => super::acting::verify(&mut open(cli)?, &c, reference, *json),
        CaseCmd::Notices { reference, json } => super::acting::notices(&open(cli)?, reference, *json),
        CaseCmd::Notice { id, sent, channel, impossible, disproportionate, reason } => {
            super::acting::notice(&mut open(cli)?, &c, id, *sent, channel.as_deref(), *impossible, *disproportionate, reason.as_deref())
        }
        CaseCmd::Identity(a) => super::identity::identity(&mut open(cli)?, &c, a),
        CaseCmd::Requester(a) => super::identity::set_requester(&mut open(cli)?, &c, a),
        CaseCmd::Salutation { reference, form, family_name } => super::identity::salutation(&mut open(cli)?, &c, reference, form, family_name.as_deref()),
        CaseCmd::Link { reference, other } => super::identity::link(&mut open(cli)?, &c, reference, other, false),
        CaseCmd::Unlink { reference, other } => super::identity::link(&mut open(cli)?, &c, reference, other, true),
        CaseCmd::Evidence { reference, system, json } => super::pull::case_evidence(&open(cli)?, reference, system.as_deref(), *json),
        CaseCmd::Tasks { reference, json } => super::pull::case_tasks(&open(cli)?, reference, *json),
        CaseCmd::Identifier(super::args::IdentifierCmd::Drop { reference, kind, value, json }) => {
            super::yields::drop(&mut open(cli)?, &c, reference, kind, value, *json)
        }
        CaseCmd::Timeline { reference, json } => {
            let store = open(cli)?;
            let case = cases::get(&store, reference)?;
            let events = dsar::audit::for_case(store.conn(), &case.id)?;
            if *json {
                let v: Vec<_> = events
                    .iter()
                    .map(|e| json!({"seq": e.seq, "at": e.at, "actor": e.actor, "action": e.action, "details": serde_json::from_str::<serde_json::Value>(&e.details).unwrap_or_default()}))
                    .collect();
                print_json(&v)
            } else {
                for e in &events {
                    println!("{:>6}  {}  {:<22} {:<14} {}", e.seq, e.at, e.action, e.actor, e.details);
                }
                Ok(())
            }
        }
    }
}


fn calendar_cmd(cli: &Cli, cmd: &CalendarCmd) -> Result<(), Failure> {
    use dsar::calendar::{self, DayChange};
    let c = ctx(cli);
    let mut store = open(cli)?;
    let region = |r: &Option<String>, store: &Store| -> Result<Region, Failure> {
        match r {
            Some(r) => code(r),
            None => match register_store::current(store)? {
                Some(reg) => Ok(reg.controller.region()),
                None => Err(Failure::user("--region: no register imported, so no default region: give --region, e.g. DE-BY")),
            },
        }
    };
    let n = match cmd {
        CalendarCmd::Add { date, region: r, name } => {
            let region = region(r, &store)?;
            calendar::change_day(&mut store, &c, region, *date, DayChange::Added, name)?
        }
        CalendarCmd::Remove { date, region: r } => {
            let region = region(r, &store)?;
            calendar::change_day(&mut store, &c, region, *date, DayChange::Removed, "")?
        }
        CalendarCmd::Reset { date, region: r } => {
            let region = region(r, &store)?;
            calendar::reset_day(&mut store, &c, region, *date)?
        }
        CalendarCmd::BavariaAssumption { state } => {
            let on = match state.as_str() {
                "on" => true,
                "off" => false,
                _ => return Err(Failure::user("state: use on or off")),
            };
            calendar::set_bavaria_assumption(&mut store, &c, on)?
        }
        CalendarCmd::List { region: r, year, json } => {
            let region = region(r, &store)?;
            let year = year.unwrap_or(chrono::Datelike::year(&c.today));
            let days = calendar::list(&store, region, year)?;
            if *json {
                let v: Vec<_> = days
                    .iter()
                    .map(|h| json!({"date": h.date, "name": h.name, "local_name": h.local_name, "substitute": h.substitute, "user_added": h.user_added}))
                    .collect();
                return print_json(&json!({"region": region.code(), "year": year, "holidays": v}));
            }
            println!("{} ({}) — {year}", region.name(), region.code());
            for h in &days {
                let mark = if h.user_added { "  (added by you)" } else { "" };
                println!("  {}  {}{}", h.date.format("%a %Y-%m-%d"), h.local_name.unwrap_or(&h.name), mark);
            }
            return Ok(());
        }
    };
    println!("calendar changed; {n} open case(s) recomputed");
    Ok(())
}
