//! `dsar intake FILE.eml... [--json] [--accept]` (SPEC §11): proposals from request e-mails,
//! or cases created from them. One line per file that cannot be taken in; the others go on.
//! `dsar intake --imap [--folder NAME] [--since DATE] [--json] [--accept | --dismiss imap:FOLDER/UID]` does the
//! same for the intake mailbox (`intake::mailbox`), with `imap:FOLDER/UID` in place of a file.

use serde_json::{json, Value};

use dsar::intake::mailbox::{self, ReadOptions, Which};
use dsar::intake::{self, Proposal};

use super::args::IntakeArgs;
use super::commands::{ctx, print_json};
use super::unlock::open;
use super::{Cli, Failure};

pub(super) fn intake(cli: &Cli, a: &IntakeArgs) -> Result<(), Failure> {
    if a.imap {
        return imap(cli, a);
    }
    let c = ctx(cli);
    // Read every file before asking for the passphrase: a wrong path fails fast.
    let mut read: Vec<(String, Result<Vec<u8>, intake::IntakeError>)> = Vec::new();
    for path in &a.files {
        read.push((path.display().to_string(), intake::read(path)));
    }
    let mut store = open(cli)?;
    let mut failed: Vec<(String, String)> = Vec::new();
    let mut proposals: Vec<(String, String, Vec<u8>, Proposal)> = Vec::new();
    for (file, bytes) in read {
        let base = std::path::Path::new(&file).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        match bytes.map_err(dsar::Error::from).and_then(|b| intake::propose(&store, &c, &b).map(|p| (b, p))) {
            Ok((b, p)) => proposals.push((file, base, b, p)),
            Err(e) if e.is_user_error() => failed.push((file, e.to_string())),
            Err(e) => return Err(e.into()),
        }
    }
    if a.accept {
        let mut accepted = Vec::new();
        for (file, base, bytes, p) in &proposals {
            match intake::accept(&mut store, &c, p, bytes, base) {
                Ok(case) => accepted.push((file.clone(), case.reference.to_string(), p.duplicate_of.map(|r| r.to_string()))),
                Err(e) if e.is_user_error() => failed.push((file.clone(), e.to_string())),
                Err(e) => return Err(e.into()),
            }
        }
        if a.json {
            let cases: Vec<Value> = accepted.iter().map(|(f, r, d)| json!({"file": f, "reference": r, "duplicate_of": d})).collect();
            print_json(&json!({"cases": cases, "errors": errors_json(&failed)}))?;
        } else {
            for (file, reference, dup) in &accepted {
                println!("{reference}\t{file}");
                if let Some(d) = dup {
                    eprintln!("dsar: note: {reference} repeats {d} (same sender address) — link or close one of them");
                }
            }
        }
    } else if a.json {
        let list: Vec<Value> = proposals.iter().map(|(file, _, _, p)| proposal_json(file, p)).collect();
        print_json(&json!({"proposals": list, "errors": errors_json(&failed)}))?;
    } else {
        for (file, _, _, p) in &proposals {
            print_text(file, p);
        }
    }
    finish(&failed, a.json)
}

fn finish(failed: &[(String, String)], json: bool) -> Result<(), Failure> {
    if !json {
        for (file, e) in failed.iter().skip(1) {
            eprintln!("dsar: {file}: {e}");
        }
    }
    match failed.first() {
        None => Ok(()),
        // JSON has them all under "errors"; the exit line names the first.
        Some((file, e)) if json => Err(Failure::user(format!("{file}: {e} ({} file(s) not taken in, see \"errors\")", failed.len()))),
        Some((file, e)) => Err(Failure::user(format!("{file}: {e}"))),
    }
}

fn errors_json(failed: &[(String, String)]) -> Vec<Value> {
    failed.iter().map(|(f, e)| json!({"file": f, "error": e})).collect()
}

fn proposal_json(file: &str, p: &Proposal) -> Value {
    json!({
        "file": file,
        "from": p.from,
        "name": p.name,
        "received": p.received.to_string(),
        "rights": p.rights.iter().map(|r| r.code()).collect::<Vec<_>>(),
        "language": p.language.code(),
        "duplicate_of": p.duplicate_of.map(|r| r.to_string()),
        "attachments": p.attachments.iter().map(|x| json!({"name": x.name, "size": x.size, "type": x.media_type})).collect::<Vec<_>>(),
        "warnings": p.warnings.iter().map(|w| json!({"field": w.field, "message": w.message})).collect::<Vec<_>>(),
        "sha256": p.sha256,
    })
}

fn print_text(file: &str, p: &Proposal) {
    let rights: Vec<&str> = p.rights.iter().map(|r| r.code()).collect();
    println!("{file}");
    println!("  from:      {}", p.from.as_deref().unwrap_or("?"));
    println!("  name:      {}", p.name.as_deref().unwrap_or("?"));
    println!("  received:  {}", p.received);
    println!("  rights:    {}", if rights.is_empty() { "?".to_string() } else { rights.join(", ") });
    println!("  language:  {}", p.language.code());
    if let Some(d) = p.duplicate_of {
        println!("  duplicate: {d}");
    }
    for x in &p.attachments {
        println!("  attached:  {} ({}, {} bytes)", if x.name.is_empty() { "(no name)" } else { &x.name }, x.media_type, x.size);
    }
    for w in &p.warnings {
        println!("  check {}: {}", w.field, w.message);
    }
}

/// `dsar intake --imap`: new messages proposed once; `--accept` takes in every undecided one;
/// `--dismiss` marks one as not a request.
fn imap(cli: &Cli, a: &IntakeArgs) -> Result<(), Failure> {
    let c = ctx(cli);
    let mut store = open(cli)?;
    if let Some(locator) = &a.dismiss {
        let bad = || Failure::user("--dismiss: not a message locator — give it as printed, e.g. imap:INBOX/42");
        let (folder, uid) = locator.trim().strip_prefix("imap:").and_then(|l| l.rsplit_once('/')).ok_or_else(bad)?;
        let uid: u32 = uid.parse().map_err(|_| bad())?;
        let key = mailbox::find_proposed(&store, folder, uid)?
            .ok_or_else(|| Failure::user("--dismiss: the desk has not proposed this message — run dsar intake --imap first"))?;
        mailbox::dismiss(&mut store, &c, &key)?;
        if a.json {
            return print_json(&json!({"dismissed": key.locator()}));
        }
        println!("dismissed {}", key.locator());
        return Ok(());
    }
    let since = match &a.since {
        Some(d) => Some(
            chrono::NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").map_err(|_| Failure::user("--since: not a date — write it as YYYY-MM-DD"))?,
        ),
        None => None,
    };
    let opts = ReadOptions { folder: a.folder.clone(), which: if a.accept { Which::Undecided } else { Which::New }, since };
    let show = !a.json && std::io::IsTerminal::is_terminal(&std::io::stderr());
    let report = mailbox::read(&mut store, &c, &opts, &dsar::connectors::Cancel::new(), &mut |p| {
        if show && p.total > 0 {
            eprint!("\rreading message {}/{}", p.done, p.total);
            if p.done == p.total {
                eprintln!();
            }
        }
    })?;
    // A message that is not taken in stays waiting for --accept until it is dismissed: say so.
    let or_dismiss = |locator: String, e: String| {
        let hint = format!("{e} (not a request? dsar intake --imap --dismiss {locator})");
        (locator, hint)
    };
    let mut failed: Vec<(String, String)> = report.failed.iter().map(|(k, e)| or_dismiss(k.locator(), e.clone())).collect();
    if a.accept {
        let mut accepted = Vec::new();
        for p in &report.proposals {
            match mailbox::accept(&mut store, &c, p) {
                Ok(case) => accepted.push((p.key.locator(), case.reference.to_string(), p.proposal.duplicate_of.map(|r| r.to_string()))),
                Err(e) if e.is_user_error() => failed.push(or_dismiss(p.key.locator(), e.to_string())),
                Err(e) => return Err(e.into()),
            }
        }
        if a.json {
            let cases: Vec<Value> =
                accepted.iter().map(|(l, r, d)| json!({"file": l, "locator": l, "reference": r, "duplicate_of": d})).collect();
            print_json(&json!({"cases": cases, "errors": errors_json(&failed)}))?;
        } else {
            for (locator, reference, dup) in &accepted {
                println!("{reference}\t{locator}");
                if let Some(d) = dup {
                    eprintln!("dsar: note: {reference} repeats {d} (same sender address) — link or close one of them");
                }
            }
            if accepted.is_empty() && failed.is_empty() {
                println!("no messages waiting in the mailbox");
            }
        }
    } else if a.json {
        let list: Vec<Value> = report
            .proposals
            .iter()
            .map(|p| {
                let mut v = proposal_json(&p.key.locator(), &p.proposal);
                v["locator"] = Value::String(p.key.locator());
                v
            })
            .collect();
        print_json(&json!({"proposals": list, "errors": errors_json(&failed)}))?;
    } else {
        for p in &report.proposals {
            print_text(&p.key.locator(), &p.proposal);
        }
        if report.proposals.is_empty() && failed.is_empty() {
            println!("no new messages in the mailbox");
        }
    }
    finish(&failed, a.json)
}
