//! The Settings screen's operations as plain functions over [`Desk`], like `api`: controller
//! and DPO (a new register version), defaults for new cases, SMTP (+ test e-mail), reminders,
//! passphrase change, backup and restore. Each parses the wire strings and calls the core.

use std::path::Path;
use std::str::FromStr;

use dsar::domain::{Channel, Language, UnknownCode};
use dsar::register::{Controller, Dpo, SupervisoryAuthority};
use dsar::settings::{CaseDefaults, Security, SmtpSettings};
use dsar::{backup, mail, register_store, reminders, secrets, settings};

use crate::desk::Desk;
use crate::error::{ApiError, ErrorCode};
use crate::settings_dto::*;

/// The secret the SMTP password is stored under when set from the Settings screen.
pub const SMTP_PASSWORD_SECRET: &str = "smtp_password";

/// Shortest passphrase the desktop app accepts (the Unlock screen asks the same at creation).
pub const MIN_PASSPHRASE: usize = 12;

fn opt(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

fn lines(v: Vec<String>) -> Vec<String> {
    v.into_iter().map(|l| l.trim().to_string()).filter(|l| !l.is_empty()).collect()
}

fn code<T: FromStr<Err = UnknownCode>>(field: &str, s: &str) -> Result<T, ApiError> {
    crate::api::code(field, s)
}

fn opt_code<T: FromStr<Err = UnknownCode>>(field: &str, s: Option<String>) -> Result<Option<T>, ApiError> {
    opt(s).map(|s| code(field, &s)).transpose()
}

fn controller_dto(c: &Controller) -> ControllerDto {
    let dpo = c.dpo.as_ref();
    let sa = &c.supervisory_authority;
    ControllerDto {
        name: c.name.clone(),
        address: c.address.clone(),
        email: c.email.clone(),
        phone: c.phone.clone(),
        country: c.country.clone(),
        jurisdiction: c.jurisdiction.code().into(),
        region: c.region.code().into(),
        language: c.language.code().into(),
        dpo_name: dpo.map(|d| d.name.clone()),
        dpo_email: dpo.map(|d| d.email.clone()),
        dpo_phone: dpo.and_then(|d| d.phone.clone()),
        dpo_address: dpo.and_then(|d| d.address.clone()).unwrap_or_default(),
        authority_name: sa.name.clone(),
        authority_address: sa.address.clone().unwrap_or_default(),
        authority_email: sa.email.clone(),
        authority_url: sa.url.clone(),
    }
}

fn controller_from(d: ControllerDto) -> Result<Controller, ApiError> {
    let dpo = match opt(d.dpo_name) {
        Some(name) => {
            let address = lines(d.dpo_address);
            Some(Dpo { name, email: opt(d.dpo_email).unwrap_or_default(), address: (!address.is_empty()).then_some(address), phone: opt(d.dpo_phone) })
        }
        None if opt(d.dpo_email.clone()).is_some() => return Err(ApiError::input("dpo_name", "an e-mail without a name: give the DPO's name (a person or a firm), or clear the e-mail").because(crate::reason::Reason::SettingsDpoNameMissing)),
        None => None,
    };
    let authority_address = lines(d.authority_address);
    Ok(Controller {
        name: d.name.trim().to_string(),
        address: lines(d.address),
        email: d.email.trim().to_string(),
        phone: opt(d.phone),
        country: d.country.trim().to_ascii_uppercase(),
        region: code("region", &d.region)?,
        language: code::<Language>("language", &d.language)?,
        jurisdiction: code("jurisdiction", &d.jurisdiction)?,
        dpo,
        supervisory_authority: SupervisoryAuthority {
            name: d.authority_name.trim().to_string(),
            address: (!authority_address.is_empty()).then_some(authority_address),
            email: opt(d.authority_email),
            url: opt(d.authority_url),
        },
        // Not on the settings form: save_controller keeps the register's own.
        public_body: false,
        signatory: None,
    })
}

/// The form field a register problem at `/controller/...` belongs to (`/controller/dpo/email`
/// → `dpo_email`, `/controller/address/0` → `address`).
pub fn controller_field(pointer: &str) -> String {
    let mut parts = pointer.trim_start_matches("/controller").split('/').filter(|s| !s.is_empty());
    match (parts.next(), parts.next()) {
        (Some("dpo"), Some(f)) => format!("dpo_{f}"),
        (Some("dpo"), None) => "dpo_name".into(),
        (Some("supervisory_authority"), Some(f)) => format!("authority_{f}"),
        (Some("supervisory_authority"), None) => "authority_name".into(),
        (Some(f), _) => f.to_string(),
        (None, _) => "name".into(),
    }
}

fn defaults_dto(d: &CaseDefaults) -> CaseDefaultsDto {
    CaseDefaultsDto {
        jurisdiction: d.jurisdiction.map(|x| x.code().into()),
        region: d.region.map(|x| x.code().into()),
        language: d.language.map(|x| x.code().into()),
        channel: d.channel.map(|x| x.code().into()),
    }
}

/// Everything the Settings screen shows (no secret values).
pub fn get_settings(desk: &Desk) -> Result<SettingsDto, ApiError> {
    let db_path = desk.db_path()?.display().to_string();
    desk.with_store(|s| {
        let controller = register_store::current(s)?.map(|r| controller_dto(&r.controller));
        let smtp = match settings::smtp(s)? {
            Some(m) => {
                let password_set = match &m.password_secret {
                    Some(name) => secrets::get(s, name)?.is_some(),
                    None => false,
                };
                Some(SmtpDto { host: m.host, port: m.port, security: m.security.code().into(), user: m.user, from_address: m.from_address, from_name: m.from_name, password_set })
            }
            None => None,
        };
        let r = reminders::reminders(s)?;
        Ok(SettingsDto {
            controller,
            defaults: defaults_dto(&settings::case_defaults(s)?),
            smtp,
            reminders: RemindersDto { enabled: r.enabled, thresholds: r.thresholds },
            db_path,
        })
    })
}

/// Stores the edited controller section as a new register version; a problem is reported at
/// its form field.
pub fn save_controller(desk: &Desk, controller: ControllerDto) -> Result<ControllerDto, ApiError> {
    let mut c = controller_from(controller)?;
    let ctx = desk.context();
    desk.with_store(|s| {
        // What the form does not show stays as the register has it.
        if let Some(current) = register_store::current(s)? {
            c.public_body = current.controller.public_body;
            c.signatory = current.controller.signatory.clone();
        }
        save(s, &ctx, &c)
    })
}

fn save(s: &mut dsar::store::Store, ctx: &dsar::cases::Context, c: &Controller) -> Result<ControllerDto, ApiError> {
    match register_store::update_controller(s, ctx, c) {
        Ok(reg) => Ok(controller_dto(&reg.controller)),
        Err(dsar::Error::Register(r)) => {
            let p = r.problems.iter().find(|p| p.path.starts_with("/controller")).or(r.problems.first());
            Err(match p {
                Some(p) => {
                    let field = controller_field(&p.path);
                    let e = ApiError::input(&field, format!("{} — {}", p.problem, p.fix));
                    // The schema only says "invalid value" of a malformed address: worded as
                    // what it is, so the form says "not an e-mail address" in the UI's language.
                    if p.code == "value.invalid" && field.ends_with("email") { e.at(crate::reason::Reason::IdentifierEmail, &field) } else { e }
                }
                None => ApiError::input("name", r.to_string()),
            })
        }
        Err(dsar::Error::Input(i)) if i.field == "register" => Err(crate::error::input_as(ErrorCode::Conflict, &i)),
        Err(e) => Err(e.into()),
    }
}

/// Stores the defaults the New case form starts with.
pub fn save_case_defaults(desk: &Desk, defaults: CaseDefaultsDto) -> Result<CaseDefaultsDto, ApiError> {
    let d = CaseDefaults {
        jurisdiction: opt_code("jurisdiction", defaults.jurisdiction)?,
        region: opt_code("region", defaults.region)?,
        language: opt_code::<Language>("language", defaults.language)?,
        channel: opt_code::<Channel>("channel", defaults.channel)?,
    };
    let ctx = desk.context();
    desk.with_store(|s| {
        settings::set_case_defaults(s, &ctx, &d).map_err(|e| match e {
            dsar::Error::Input(i) => ApiError::input(&i.field, format!("{} — {}", i.problem, i.fix)),
            other => other.into(),
        })?;
        Ok(defaults_dto(&d))
    })
}

/// The core's SMTP flag names (`--host`) as the form's fields (`host`).
fn smtp_field(flag: &str) -> &'static str {
    match flag {
        "--host" => "host",
        "--port" => "port",
        "--security" => "security",
        "--user" => "user",
        "--password-secret" => "password",
        "--from" => "from_address",
        "--from-name" => "from_name",
        _ => "host",
    }
}

/// Stores the SMTP settings; a new password goes into the secrets table (never shown back).
pub fn save_smtp(desk: &Desk, input: SmtpInput) -> Result<SmtpDto, ApiError> {
    let security = input.security.parse::<Security>().map_err(|e| ApiError::input("security", format!("{} — {}", e.problem, e.fix)).at(crate::reason::Reason::InputChoiceUnknown, "security"))?;
    let user = opt(input.user);
    let password = input.password.filter(|p| !p.is_empty());
    let ctx = desk.context();
    desk.with_store(|s| {
        let stored = secrets::get(s, SMTP_PASSWORD_SECRET)?.is_some();
        if user.is_some() && password.is_none() && !stored {
            return Err(ApiError::input("password", "a login needs a password: enter the mailbox password").because(crate::reason::Reason::MailLoginIncomplete));
        }
        let settings = SmtpSettings {
            host: input.host.trim().to_string(),
            port: input.port,
            security,
            password_secret: user.as_ref().map(|_| SMTP_PASSWORD_SECRET.to_string()),
            user,
            from_address: input.from_address.trim().to_string(),
            from_name: opt(input.from_name),
            ca_file: settings::smtp(s)?.and_then(|m| m.ca_file),
        };
        settings.validate().map_err(|i| ApiError::input(smtp_field(&i.field), format!("{} — {}", i.problem, i.fix)))?;
        // Both writes validated first, so a refused form changes neither.
        if let (Some(p), Some(_)) = (&password, &settings.user) {
            secrets::set(s, &ctx, SMTP_PASSWORD_SECRET, p)?;
        }
        settings::set_smtp(s, &ctx, &settings)?;
        let password_set = settings.user.is_some() && secrets::get(s, SMTP_PASSWORD_SECRET)?.is_some();
        Ok(SmtpDto {
            host: settings.host,
            port: settings.port,
            security: settings.security.code().into(),
            user: settings.user,
            from_address: settings.from_address,
            from_name: settings.from_name,
            password_set,
        })
    })
}

/// Sends a test e-mail through the saved SMTP settings to the sender address itself, on its
/// own connection (a slow server holds up only this call).
pub fn send_test_email(desk: &Desk) -> Result<String, ApiError> {
    let _work = desk.start_check()?;
    let store = desk.second_connection()?;
    let Some(smtp) = settings::smtp(&store)? else {
        return Err(ApiError::input("host", "no SMTP server saved yet: fill in the form and save it first").because(crate::reason::Reason::MailNotConfigured));
    };
    let password = match &smtp.password_secret {
        Some(name) => Some(secrets::smtp_password(&store, name)?.ok_or_else(|| ApiError::input("password", "no password stored: enter it and save").because(crate::reason::Reason::MailPasswordMissing))?),
        None => None,
    };
    let me = mail::mailbox(smtp.from_name.as_deref(), &smtp.from_address, "from_address")?;
    let msg = mail::compose(&me, &me, "DSAR desk: test e-mail", "This test e-mail shows that DSAR desk can send letters through this server.\n\nDiese Test-E-Mail zeigt, dass DSAR desk Briefe über diesen Server versenden kann.\n", &[])?;
    mail::send(&msg, &smtp, password.as_ref().map(|p| p.as_str()))?;
    Ok(smtp.from_address)
}

/// Stores the reminder settings; returns them as stored (lead times longest first).
pub fn save_reminders(desk: &Desk, reminders: RemindersDto) -> Result<RemindersDto, ApiError> {
    let ctx = desk.context();
    let r = reminders::Reminders { enabled: reminders.enabled, thresholds: reminders.thresholds };
    desk.with_store(|s| {
        reminders::set_reminders(s, &ctx, r).map_err(|e| match e {
            dsar::Error::Input(i) => ApiError::input(&i.field, format!("{} — {}", i.problem, i.fix)),
            other => other.into(),
        })?;
        let stored = reminders::reminders(s)?;
        Ok(RemindersDto { enabled: stored.enabled, thresholds: stored.thresholds })
    })
}

fn due_dto(d: reminders::DueSoon) -> DueSoonDto {
    DueSoonDto {
        enabled: true,
        fresh: u32::try_from(d.fresh).unwrap_or(u32::MAX),
        overdue: d.overdue,
        windows: d.windows.into_iter().map(|w| DueWindowDto { days: w.days, references: w.references }).collect(),
        follow_ups: d.follow_ups,
    }
}

/// What a reminder is about today: overdue cases and those within each lead time, and how many
/// of them the user has not been reminded of yet (none when reminders are off).
pub fn due_reminders(desk: &Desk) -> Result<DueSoonDto, ApiError> {
    let today = desk.context().today;
    desk.with_store(|s| {
        let r = reminders::reminders(s)?;
        if !r.enabled {
            return Ok(DueSoonDto { enabled: false, overdue: vec![], windows: vec![], fresh: 0, follow_ups: vec![] });
        }
        Ok(due_dto(reminders::due_soon(s, today, &r.thresholds)?))
    })
}

/// Records that the reminder was shown: every case listed now counts as reminded of at its
/// current stage. Returns what was recorded.
pub fn reminders_shown(desk: &Desk) -> Result<DueSoonDto, ApiError> {
    let today = desk.context().today;
    desk.with_store(|s| {
        let r = reminders::reminders(s)?;
        let due = reminders::due_soon(s, today, &r.thresholds)?;
        reminders::mark_reminded(s, &due)?;
        Ok(due_dto(due))
    })
}

/// Changes the passphrase: `current` must be the one the desk was unlocked with, `new` at
/// least [`MIN_PASSPHRASE`] characters and equal to `repeat`.
pub fn change_passphrase(desk: &Desk, current: String, new: String, repeat: String) -> Result<(), ApiError> {
    if new.chars().count() < MIN_PASSPHRASE {
        return Err(ApiError::input("new", format!("too short: use at least {MIN_PASSPHRASE} characters")).with(crate::reason::Reason::StoreWeakPassphrase, crate::reason::params([("min", MIN_PASSPHRASE.to_string())])));
    }
    if new != repeat {
        return Err(ApiError::input("repeat", "the two new passphrases differ: type the same one twice").because(crate::reason::Reason::PassphraseMismatch));
    }
    if new == current {
        return Err(ApiError::input("new", "the same as the current one: choose a different passphrase").because(crate::reason::Reason::PassphraseSame));
    }
    desk.change_passphrase(&current, &new)
}

/// Writes an encrypted backup (same passphrase) to `path`.
pub fn backup_database(desk: &Desk, path: String) -> Result<BackupDto, ApiError> {
    let ctx = desk.context();
    let out = Path::new(&path);
    desk.with_store(|s| {
        let done = backup::backup(s, &ctx, out)?;
        Ok(BackupDto { path: done.path.display().to_string(), bytes: done.bytes })
    })
}

/// Verifies the backup at `path` with `passphrase`, then replaces the database with it (the
/// old file kept beside it). From then on the desk uses the backup's passphrase.
pub fn restore_database(desk: &Desk, path: String, passphrase: String) -> Result<RestoreDto, ApiError> {
    desk.restore(Path::new(&path), passphrase)
}

/// The secrets the register refers to and those stored, with the systems that use each; values
/// never leave the store.
pub fn list_secrets(desk: &Desk) -> Result<Vec<SecretDto>, ApiError> {
    desk.with_store(|s| {
        let stored: std::collections::BTreeSet<String> = secrets::names(s)?.into_iter().collect();
        let mut out: std::collections::BTreeMap<String, (Vec<String>, Vec<SecretBlockDto>)> = stored.iter().map(|n| (n.clone(), Default::default())).collect();
        if let Some(reg) = register_store::current(s)? {
            for system in &reg.systems {
                for name in system.secret_names() {
                    out.entry(name).or_default().0.push(system.id.clone());
                }
                let now = secrets::system_destination(system);
                for (name, why) in secrets::for_system(s, system)?.1 {
                    let (reason, allowed) = match why {
                        secrets::Refusal::Smtp => ("smtp", None),
                        secrets::Refusal::NotForSystem => ("not-for-system", None),
                        secrets::Refusal::Moved { allowed, .. } => ("moved", Some(allowed)),
                    };
                    out.entry(name).or_default().1.push(SecretBlockDto { system: system.id.clone(), reason: reason.into(), allowed, now: now.clone() });
                }
            }
        }
        Ok(out.into_iter().map(|(name, (used_by, blocked))| SecretDto { set: stored.contains(&name), name, used_by, blocked }).collect())
    })
}

/// Lets `system` use secret `name` where the register now sends it (the user's consent after
/// an import moved it); audited as `secret.allowed`.
pub fn allow_secret(desk: &Desk, name: String, system: String) -> Result<Vec<SecretDto>, ApiError> {
    let ctx = desk.context();
    desk.with_store(|s| Ok(secrets::allow(s, &ctx, &name, &system)?))?;
    list_secrets(desk)
}

/// Stores or replaces secret `name` (a connector token, a database password). An empty value is
/// refused at the field; the audit trail gets the name only.
pub fn set_secret(desk: &Desk, name: String, value: String) -> Result<Vec<SecretDto>, ApiError> {
    if value.trim().is_empty() {
        return Err(ApiError::input("value", "the secret is empty — paste the token or password").because(crate::reason::Reason::SecretEmpty));
    }
    let ctx = desk.context();
    desk.with_store(|s| Ok(secrets::set(s, &ctx, &name, &value)?))?;
    list_secrets(desk)
}

/// The open desk's everyday safety: demo or not, the idle time before it locks, the last
/// backup and whether a reminder is due.
pub fn safety_status(desk: &Desk) -> Result<SafetyDto, ApiError> {
    let now = desk.context().now;
    desk.with_store(|s| {
        let last = settings::last_backup(s)?;
        Ok(SafetyDto {
            demo: dsar::demo::is_demo_store(s)?,
            idle_lock_minutes: settings::idle_lock_minutes(s)?,
            last_backup: last.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
            backup_due: settings::backup_due(last, now),
        })
    })
}

/// Stores the idle time before the desk locks itself; a number out of range is refused at the
/// field.
pub fn save_idle_lock(desk: &Desk, minutes: u32) -> Result<SafetyDto, ApiError> {
    let ctx = desk.context();
    desk.with_store(|s| {
        settings::set_idle_lock_minutes(s, &ctx, minutes).map_err(|e| match e {
            dsar::Error::Input(i) => ApiError::input(&i.field, format!("{} — {}", i.problem, i.fix)),
            other => other.into(),
        })
    })?;
    safety_status(desk)
}
