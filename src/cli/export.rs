//! `dsar export` and `dsar settings`: parse, call the core (`bundle::export`,
//! `settings::set_smtp`), print.

use std::path::Path;

use serde_json::json;

use dsar::bundle::{self, BundleError};
use dsar::settings::{self, SmtpSettings};

use super::args::{ExportArgs, ImapArgs, SettingsCmd, SmtpArgs};
use super::commands::{ctx, print_json};
use super::unlock::open;
use super::{Cli, Failure};

/// The bundle password from a file: the first line, without its line break.
fn read_password(path: &Path) -> Result<String, Failure> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::user(format!("--password-file: cannot read {}: {e}", path.display())))?;
    let first = text.lines().next().unwrap_or("").to_string();
    if first.trim().is_empty() {
        return Err(Failure::user(format!("--password-file: {} is empty: write the password on its first line", path.display())));
    }
    Ok(first)
}

pub fn export(cli: &Cli, a: &ExportArgs) -> Result<(), Failure> {
    let password = a.password_file.as_deref().map(read_password).transpose()?;
    if password.as_ref().is_some_and(|p| p.chars().count() < bundle::MIN_PASSWORD) {
        return Err(BundleError::WeakPassword { min: bundle::MIN_PASSWORD }.into());
    }
    let mut store = open(cli)?;
    let done = bundle::export(&mut store, &ctx(cli), &a.reference, &a.out, password)?;
    let m = &done.manifest;
    let with_data = m.systems.iter().filter(|s| s.records > 0).count();
    if a.json {
        return print_json(&json!({
            "path": done.path,
            "reference": m.reference,
            "records": m.records,
            "systems": with_data,
            "files": m.files.len() + 1,
            "bytes": done.document.bytes,
            "sha256": done.document.sha256,
            "encrypted": m.encrypted,
            "letter": done.letter,
            "document": done.document.id,
        }));
    }
    println!("{}", done.path.display());
    println!(
        "{}: {} records from {} of {} systems, {} files{}{}",
        m.reference,
        m.records,
        with_data,
        m.systems.len(),
        m.files.len() + 1,
        if m.encrypted { ", AES-256 encrypted" } else { "" },
        match &done.letter {
            Some(l) => format!(", with letter {l}"),
            None => ", no access/portability letter stored yet".to_string(),
        }
    );
    Ok(())
}

fn smtp_settings(a: &SmtpArgs) -> Result<SmtpSettings, Failure> {
    let secret = a.password_secret.as_deref().map(|s| {
        // Accept the register's spelling too: {secret:NAME}.
        s.trim().strip_prefix("{secret:").and_then(|r| r.strip_suffix('}')).unwrap_or(s.trim()).to_string()
    });
    Ok(SmtpSettings {
        host: a.host.clone(),
        port: a.port,
        security: a.security.parse().map_err(|e: dsar::InputError| Failure::user(e.to_string()))?,
        user: a.user.clone(),
        password_secret: secret,
        from_address: a.from.clone(),
        from_name: a.from_name.clone(),
        ca_file: a.ca_file.as_ref().map(|p| std::path::absolute(p).unwrap_or_else(|_| p.clone())),
    })
}

pub fn settings_cmd(cli: &Cli, cmd: &SettingsCmd) -> Result<(), Failure> {
    match cmd {
        SettingsCmd::Smtp(a) => {
            let s = smtp_settings(a)?;
            let mut store = open(cli)?;
            settings::set_smtp(&mut store, &ctx(cli), &s)?;
            println!("mail server set: {}:{} ({})", s.host, s.port, s.security);
            if let Some(name) = &s.password_secret {
                if dsar::secrets::get(&store, name)?.is_none() {
                    println!("note: secret {name} is not stored yet — run `dsar secret set {name}` before sending");
                }
            }
            Ok(())
        }
        SettingsCmd::Imap(a) => settings_imap(cli, a),
        SettingsCmd::Show { json } => {
            let store = open(cli)?;
            let imap = settings::imap(&store)?;
            let smtp = settings::smtp(&store)?;
            let secret_stored = match smtp.as_ref().and_then(|s| s.password_secret.as_ref()) {
                Some(name) => Some(dsar::secrets::get(&store, name)?.is_some()),
                None => None,
            };
            if *json {
                let smtp = smtp.as_ref().map(|s| {
                    json!({
                        "host": s.host, "port": s.port, "security": s.security.code(), "user": s.user,
                        "password_secret": s.password_secret, "password_stored": secret_stored,
                        "from": s.from_address, "from_name": s.from_name, "ca_file": s.ca_file,
                    })
                });
                let imap = imap.as_ref().map(|s| {
                    json!({"host": s.host, "port": s.port, "user": s.user, "folder": s.folder, "ca_file": s.ca_file,
                           "password_secret": settings::IMAP_PASSWORD_SECRET})
                });
                return print_json(&json!({"smtp": smtp, "imap": imap}));
            }
            match &smtp {
                None => println!("smtp: not configured (dsar settings smtp --host H --port P --security starttls --from ADDR)"),
                Some(s) => {
                    println!("smtp");
                    println!("  host      {}:{}", s.host, s.port);
                    println!("  security  {}", s.security);
                    println!("  user      {}", s.user.as_deref().unwrap_or("(no login)"));
                    if let Some(name) = &s.password_secret {
                        let state = if secret_stored == Some(true) { "stored" } else { "NOT stored: run dsar secret set" };
                        println!("  password  secret {name} ({state})");
                    }
                    match &s.from_name {
                        Some(n) => println!("  from      {n} <{}>", s.from_address),
                        None => println!("  from      {}", s.from_address),
                    }
                    if let Some(ca) = &s.ca_file {
                        println!("  extra CA  {}", ca.display());
                    }
                }
            }
            match &imap {
                None => println!("imap: not configured (dsar settings imap --host H --port 993 --user U < password.txt)"),
                Some(s) => {
                    println!("imap (intake)");
                    println!("  host      {}:{} (TLS)", s.host, s.port);
                    println!("  user      {}", s.user);
                    println!("  folder    {}", s.folder);
                    println!("  password  secret {}", settings::IMAP_PASSWORD_SECRET);
                    if let Some(ca) = &s.ca_file {
                        println!("  extra CA  {}", ca.display());
                    }
                }
            }
            Ok(())
        }
    }
}

/// `dsar settings imap`: the password comes from standard input (never a flag: it would sit in
/// the shell history and the process list).
fn settings_imap(cli: &Cli, a: &ImapArgs) -> Result<(), Failure> {
    use std::io::Read as _;
    let s = settings::ImapIntakeSettings {
        host: a.host.clone(),
        port: a.port,
        user: a.user.clone(),
        folder: a.folder.clone(),
        ca_file: a.ca_file.as_ref().map(|p| std::path::absolute(p).unwrap_or_else(|_| p.clone())),
    };
    // Checked before reading the password, so a typo in a flag fails before anything is typed.
    s.validate().map_err(|e| Failure::user(e.to_string()))?;
    let mut password = zeroize::Zeroizing::new(String::new());
    std::io::stdin()
        .read_to_string(&mut password)
        .map_err(|_| Failure::user("password: standard input is not UTF-8 text"))?;
    let mut store = open(cli)?;
    settings::set_imap(&mut store, &ctx(cli), &s, &password)?;
    println!("intake mailbox set: {}:{} (TLS), folder {}; password stored as secret {}", s.host, s.port, s.folder, settings::IMAP_PASSWORD_SECRET);
    Ok(())
}
