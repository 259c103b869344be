//! Desk settings kept in the encrypted database: the SMTP server letters go out through and
//! the IMAP mailbox requests arrive in.
//! Passwords are secrets (`secrets`); the SMTP settings name theirs, the IMAP password is
//! stored with its settings and bound to the server.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::audit;
use crate::cases::Context;
use crate::error::{Error, InputError, Result};
use crate::store::{put_setting, Store, StoreError};

const SMTP_KEY: &str = "smtp";

/// How the connection to the mail server is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// Plain connection upgraded with STARTTLS, which must succeed (port 587).
    StartTls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: only for a relay on this machine.
    None,
}

impl Security {
    /// Stable spelling.
    pub fn code(self) -> &'static str {
        match self {
            Security::StartTls => "starttls",
            Security::Tls => "tls",
            Security::None => "none",
        }
    }
}

impl fmt::Display for Security {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Security {
    type Err = InputError;
    fn from_str(s: &str) -> std::result::Result<Security, InputError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "starttls" => Ok(Security::StartTls),
            "tls" => Ok(Security::Tls),
            "none" => Ok(Security::None),
            _ => Err(InputError::new("security", "unknown security", "use starttls (port 587), tls (port 465) or none (local relay only)")),
        }
    }
}

/// The SMTP server letters are sent through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpSettings {
    /// Host name or IP address.
    pub host: String,
    /// Port (587 for STARTTLS, 465 for TLS, 25 for a local relay).
    pub port: u16,
    /// Connection security.
    pub security: Security,
    /// Login name; `None` for a server that needs no login.
    pub user: Option<String>,
    /// Name of the secret holding the password (`dsar secret set NAME`).
    pub password_secret: Option<String>,
    /// Sender address (the firm's data protection mailbox).
    pub from_address: String,
    /// Sender display name.
    pub from_name: Option<String>,
    /// A PEM file with a certificate authority to trust in addition to the system's (for a
    /// firm's own mail server with an internal CA).
    pub ca_file: Option<PathBuf>,
}

/// Whether `host` (trimmed) can be a host name or an IP address: what a server setting accepts.
fn is_host_name(host: &str) -> bool {
    let host = host.trim();
    !host.is_empty() && host.len() <= 253 && host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
}

/// Whether `host` is this machine, the only place an unencrypted connection is allowed.
pub fn is_local_host(host: &str) -> bool {
    let h = host.trim().trim_start_matches('[').trim_end_matches(']');
    h.eq_ignore_ascii_case("localhost") || h.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

impl SmtpSettings {
    /// Checks every field; the error names the flag and the fix (never echoes values).
    pub fn validate(&self) -> Result<(), InputError> {
        if !is_host_name(&self.host) {
            return Err(InputError::new("--host", "not a host name or IP address", "e.g. --host smtp.example.com"));
        }
        if self.port == 0 {
            return Err(InputError::new("--port", "0 is not a port", "use 587 for starttls, 465 for tls"));
        }
        if self.security == Security::None && !is_local_host(&self.host) {
            return Err(InputError::new(
                "--security",
                "none sends letters and passwords unencrypted, allowed only for a mail relay on this machine (localhost, 127.0.0.1, ::1)",
                "use --security starttls (port 587) or tls (port 465)",
            ));
        }
        match (&self.user, &self.password_secret) {
            (Some(_), None) => {
                return Err(InputError::new("--password-secret", "a login needs a password", "store it with `dsar secret set NAME` and pass --password-secret NAME"))
            }
            (None, Some(_)) => return Err(InputError::new("--user", "a password without a login name", "add --user, or drop --password-secret")),
            (Some(u), Some(_)) if u.trim().is_empty() => return Err(InputError::new("--user", "empty login name", "give the mailbox login, e.g. --user dpo@example.com")),
            _ => {}
        }
        if let Some(name) = &self.password_secret {
            let ok = !name.is_empty() && name.len() <= 64 && name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'));
            if !ok {
                return Err(InputError::new("--password-secret", "not a secret name", "use the NAME given to `dsar secret set NAME`, e.g. smtp_password"));
            }
        }
        if !email_address::EmailAddress::is_valid(self.from_address.trim()) {
            return Err(InputError::new("--from", "not an e-mail address", "e.g. --from datenschutz@example.com"));
        }
        if self.from_name.as_deref().is_some_and(|n| n.chars().any(char::is_control)) {
            return Err(InputError::new("--from-name", "contains a line break or control character", "give the name on one line"));
        }
        Ok(())
    }
}

/// How the settings are stored (one JSON value under the `smtp` key).
#[derive(Serialize, Deserialize)]
struct Stored {
    host: String,
    port: u16,
    security: String,
    #[serde(default)]
    user: Option<String>,
    #[serde(default)]
    password_secret: Option<String>,
    from_address: String,
    #[serde(default)]
    from_name: Option<String>,
    #[serde(default)]
    ca_file: Option<PathBuf>,
}

/// The SMTP settings, if configured.
pub fn smtp(store: &Store) -> Result<Option<SmtpSettings>> {
    let Some(text) = store.setting(SMTP_KEY)? else { return Ok(None) };
    let corrupt = || Error::from(StoreError::Corrupt { what: "settings.smtp".into() });
    let s: Stored = serde_json::from_str(&text).map_err(|_| corrupt())?;
    Ok(Some(SmtpSettings {
        host: s.host,
        port: s.port,
        security: s.security.parse().map_err(|_| corrupt())?,
        user: s.user,
        password_secret: s.password_secret,
        from_address: s.from_address,
        from_name: s.from_name,
        ca_file: s.ca_file,
    }))
}

/// Validates and stores the SMTP settings, recording `settings.smtp` in the audit trail
/// (security, port and whether a login is used — no host names, addresses or secrets).
pub fn set_smtp(store: &mut Store, ctx: &Context, settings: &SmtpSettings) -> Result<()> {
    settings.validate()?;
    let stored = Stored {
        host: settings.host.trim().to_string(),
        port: settings.port,
        security: settings.security.code().to_string(),
        user: settings.user.clone(),
        password_secret: settings.password_secret.clone(),
        from_address: settings.from_address.trim().to_string(),
        from_name: settings.from_name.clone(),
        ca_file: settings.ca_file.clone(),
    };
    let text = serde_json::to_string(&stored).map_err(|_| StoreError::Corrupt { what: "settings.smtp".into() })?;
    store.write(|tx| {
        if let Some(name) = &settings.password_secret {
            crate::secrets::mark_smtp(tx, name)?;
        }
        put_setting(tx, SMTP_KEY, &text)?;
        let details = json!({"security": settings.security.code(), "port": settings.port, "login": settings.user.is_some(), "extra_ca": settings.ca_file.is_some()});
        audit::append(tx, None, &ctx.actor, "settings.smtp", &details, ctx.now)?;
        Ok::<_, Error>(())
    })
}

const DEFAULTS_KEY: &str = "case_defaults";

/// What the New case form starts with; `None` falls back to the register's controller defaults
/// (jurisdiction, region, language) or to e-mail (channel).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CaseDefaults {
    /// Law.
    pub jurisdiction: Option<crate::deadline::Jurisdiction>,
    /// Holiday calendar.
    pub region: Option<crate::deadline::Region>,
    /// Letter language.
    pub language: Option<crate::domain::Language>,
    /// How requests usually arrive.
    pub channel: Option<crate::domain::Channel>,
}

#[derive(Serialize, Deserialize, Default)]
struct StoredDefaults {
    #[serde(default)]
    jurisdiction: Option<String>,
    #[serde(default)]
    region: Option<String>,
    #[serde(default)]
    language: Option<String>,
    #[serde(default)]
    channel: Option<String>,
}

/// The defaults for new cases (all `None` until saved).
pub fn case_defaults(store: &Store) -> Result<CaseDefaults> {
    let Some(text) = store.setting(DEFAULTS_KEY)? else { return Ok(CaseDefaults::default()) };
    let corrupt = || Error::from(StoreError::Corrupt { what: "settings.case_defaults".into() });
    let s: StoredDefaults = serde_json::from_str(&text).map_err(|_| corrupt())?;
    Ok(CaseDefaults {
        jurisdiction: s.jurisdiction.map(|c| c.parse()).transpose().map_err(|_| corrupt())?,
        region: s.region.map(|c| c.parse()).transpose().map_err(|_| corrupt())?,
        language: s.language.map(|c| c.parse()).transpose().map_err(|_| corrupt())?,
        channel: s.channel.map(|c| c.parse()).transpose().map_err(|_| corrupt())?,
    })
}

/// Stores the defaults for new cases; audit event `settings.case-defaults` with the codes.
pub fn set_case_defaults(store: &mut Store, ctx: &Context, d: &CaseDefaults) -> Result<()> {
    if let (Some(j), Some(r)) = (d.jurisdiction, d.region) {
        if !j.covers(r) {
            return Err(InputError::new("region", format!("{} is not a region of {}", r.code(), j.code()), "choose a region the jurisdiction covers, or leave it empty").into());
        }
    }
    let stored = StoredDefaults {
        jurisdiction: d.jurisdiction.map(|x| x.code().to_string()),
        region: d.region.map(|x| x.code().to_string()),
        language: d.language.map(|x| x.code().to_string()),
        channel: d.channel.map(|x| x.code().to_string()),
    };
    let text = serde_json::to_string(&stored).map_err(|_| StoreError::Corrupt { what: "settings.case_defaults".into() })?;
    store.write(|tx| {
        put_setting(tx, DEFAULTS_KEY, &text)?;
        let details = json!({"jurisdiction": stored.jurisdiction, "region": stored.region, "language": stored.language, "channel": stored.channel});
        audit::append(tx, None, &ctx.actor, "settings.case-defaults", &details, ctx.now)?;
        Ok::<_, Error>(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> SmtpSettings {
        SmtpSettings {
            host: "smtp.example.com".into(),
            port: 587,
            security: Security::StartTls,
            user: Some("dpo@example.com".into()),
            password_secret: Some("smtp_password".into()),
            from_address: "dpo@example.com".into(),
            from_name: Some("Datenschutz".into()),
            ca_file: None,
        }
    }

    #[test]
    fn plain_smtp_only_for_this_machine() {
        for local in ["localhost", "127.0.0.1", "::1", "[::1]", "127.0.0.2"] {
            assert!(is_local_host(local), "{local}");
        }
        for remote in ["smtp.example.com", "10.0.0.1", "localhost.example.com", "192.168.1.1"] {
            assert!(!is_local_host(remote), "{remote}");
        }
        let mut s = settings();
        s.security = Security::None;
        let e = s.validate().unwrap_err();
        assert_eq!(e.field, "--security");
        s.host = "127.0.0.1".into();
        assert!(s.validate().is_ok());
    }

    #[test]
    fn login_needs_both_user_and_password_secret() {
        let mut s = settings();
        s.password_secret = None;
        assert_eq!(s.validate().unwrap_err().field, "--password-secret");
        let mut s = settings();
        s.user = None;
        assert_eq!(s.validate().unwrap_err().field, "--user");
        let mut s = settings();
        s.from_address = "not an address".into();
        assert_eq!(s.validate().unwrap_err().field, "--from");
        let mut s = settings();
        s.host = "smtp.example.com; rm -rf /".into();
        assert_eq!(s.validate().unwrap_err().field, "--host");
    }
}

const IMAP_KEY: &str = "imap";

/// The secret that holds the intake mailbox's password. It is bound to the mailbox's
/// `host:port` (system [`IMAP_SECRET_HOLDER`] in `secret_bindings`) and kept apart from the
/// connectors like the SMTP password, so no register can send it anywhere.
pub const IMAP_PASSWORD_SECRET: &str = "imap_password";

/// The pseudo-system the intake mailbox's password is bound to.
pub const IMAP_SECRET_HOLDER: &str = "settings:imap";

/// The mailbox requests arrive in (`dsar intake --imap`). Read only over TLS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImapIntakeSettings {
    /// Host name or IP address.
    pub host: String,
    /// The server's TLS port (993).
    pub port: u16,
    /// Login name.
    pub user: String,
    /// The folder read when none is given (`INBOX`).
    pub folder: String,
    /// A PEM CA certificate to trust besides the system's (a firm's own CA).
    pub ca_file: Option<PathBuf>,
}

impl ImapIntakeSettings {
    /// Checks every field; the error names the flag and the fix (never echoes values).
    pub fn validate(&self) -> Result<(), InputError> {
        if !is_host_name(&self.host) {
            return Err(InputError::new("--host", "not a host name or IP address", "e.g. --host imap.example.com"));
        }
        match self.port {
            0 => return Err(InputError::new("--port", "0 is not a port", "give the server's TLS port (IMAPS), usually 993")),
            143 => {
                return Err(InputError::new(
                    "--port",
                    "143 is the plain IMAP port; mail is read only over TLS",
                    "give the server's TLS port (IMAPS), usually 993",
                ))
            }
            _ => {}
        }
        if self.user.trim().is_empty() || self.user.chars().any(char::is_control) {
            return Err(InputError::new("--user", "empty or contains a control character", "give the mailbox login, e.g. --user datenschutz@example.com"));
        }
        if self.folder.trim().is_empty() || self.folder.chars().any(char::is_control) {
            return Err(InputError::new("--folder", "empty or contains a control character", "e.g. --folder INBOX"));
        }
        Ok(())
    }

    /// `host:port`, where the password may be sent.
    pub fn destination(&self) -> String {
        format!("{}:{}", self.host.trim().to_ascii_lowercase(), self.port)
    }

    /// `user@host:port`: the mailbox account whose messages intake remembers.
    pub fn account(&self) -> String {
        format!("{}@{}", self.user, self.destination())
    }
}

#[derive(Serialize, Deserialize)]
struct StoredImap {
    host: String,
    port: u16,
    user: String,
    folder: String,
    #[serde(default)]
    ca_file: Option<PathBuf>,
}

/// The intake mailbox, if configured.
pub fn imap(store: &Store) -> Result<Option<ImapIntakeSettings>> {
    let Some(text) = store.setting(IMAP_KEY)? else { return Ok(None) };
    let s: StoredImap = serde_json::from_str(&text).map_err(|_| StoreError::Corrupt { what: "settings.imap".into() })?;
    Ok(Some(ImapIntakeSettings { host: s.host, port: s.port, user: s.user, folder: s.folder, ca_file: s.ca_file }))
}

/// Validates and stores the intake mailbox and its password (secret [`IMAP_PASSWORD_SECRET`],
/// bound to the mailbox's `host:port`) in one transaction, recording `settings.imap` (port and
/// whether an extra CA is used — no host, user, folder or password).
pub fn set_imap(store: &mut Store, ctx: &Context, settings: &ImapIntakeSettings, password: &str) -> Result<()> {
    settings.validate()?;
    // A trailing newline from `echo password |` is never part of the password.
    let password = password.strip_suffix('\n').map(|v| v.strip_suffix('\r').unwrap_or(v)).unwrap_or(password);
    if password.is_empty() {
        return Err(InputError::new("password", "no password on standard input", "pipe it in, e.g. dsar settings imap … < password.txt").into());
    }
    let stored = StoredImap {
        host: settings.host.trim().to_string(),
        port: settings.port,
        user: settings.user.trim().to_string(),
        folder: settings.folder.trim().to_string(),
        ca_file: settings.ca_file.clone(),
    };
    let text = serde_json::to_string(&stored).map_err(|_| StoreError::Corrupt { what: "settings.imap".into() })?;
    store.write(|tx| {
        let users: Vec<String> = {
            let mut stmt = tx.prepare("SELECT system_id FROM secret_bindings WHERE secret = ?1 AND system_id <> ?2 ORDER BY system_id")?;
            let rows = stmt.query_map([IMAP_PASSWORD_SECRET, IMAP_SECRET_HOLDER], |r| r.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        if !users.is_empty() {
            return Err(InputError::new(
                "password",
                format!("the secret '{IMAP_PASSWORD_SECRET}' is a connector credential of {}", users.join(", ")),
                "rename that system's secret in the register; the intake mailbox keeps its password under its own name",
            )
            .into());
        }
        // Kept apart from connectors like the SMTP password ('smtp' purpose: never handed to
        // a connector), and bound to where it may go.
        tx.execute(
            "INSERT INTO secrets (name, value, updated_at, purpose) VALUES (?1, ?2, ?3, 'smtp')
             ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, purpose = 'smtp'",
            rusqlite::params![IMAP_PASSWORD_SECRET, password.as_bytes(), ctx.now.to_rfc3339()],
        )?;
        tx.execute(
            "INSERT INTO secret_bindings (secret, system_id, destination, bound_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (secret, system_id) DO UPDATE SET destination = excluded.destination, bound_at = excluded.bound_at",
            rusqlite::params![IMAP_PASSWORD_SECRET, IMAP_SECRET_HOLDER, settings.destination(), ctx.now.to_rfc3339()],
        )?;
        put_setting(tx, IMAP_KEY, &text)?;
        let details = json!({"port": settings.port, "extra_ca": settings.ca_file.is_some(), "secret": IMAP_PASSWORD_SECRET});
        audit::append(tx, None, &ctx.actor, "settings.imap", &details, ctx.now)?;
        Ok::<_, Error>(())
    })
}

/// The intake mailbox's password, refused when it was stored for another `host:port` than
/// the settings now name.
pub fn imap_password(store: &Store, settings: &ImapIntakeSettings) -> Result<zeroize::Zeroizing<String>> {
    use rusqlite::OptionalExtension;
    let row: Option<(Vec<u8>, Option<String>)> = store
        .conn()
        .query_row(
            "SELECT s.value, b.destination FROM secrets s
             LEFT JOIN secret_bindings b ON b.secret = s.name AND b.system_id = ?2 WHERE s.name = ?1",
            [IMAP_PASSWORD_SECRET, IMAP_SECRET_HOLDER],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let again = "set the mailbox again: dsar settings imap --host H --port P --user U < password.txt";
    match row {
        None => Err(InputError::new("password", "no password stored for the intake mailbox", again).into()),
        Some((_, bound)) if bound.as_deref() != Some(settings.destination().as_str()) => Err(InputError::new(
            "password",
            format!("the stored password was set for {}, not for {}", bound.as_deref().unwrap_or("no server"), settings.destination()),
            again,
        )
        .into()),
        Some((value, _)) => Ok(zeroize::Zeroizing::new(String::from_utf8_lossy(&value).into_owned())),
    }
}

const IDLE_LOCK_KEY: &str = "idle_lock_minutes";

/// Minutes without mouse or keyboard input after which the desktop app locks the desk, until
/// the user sets another time.
pub const DEFAULT_IDLE_LOCK_MINUTES: u32 = 15;

/// The shortest idle time allowed (a minute: shorter would lock while the user reads a letter).
pub const MIN_IDLE_LOCK_MINUTES: u32 = 1;

/// The longest idle time allowed (a working day); a desk holding requesters' data never stays
/// open indefinitely.
pub const MAX_IDLE_LOCK_MINUTES: u32 = 480;

/// Minutes of no input after which the desk locks ([`DEFAULT_IDLE_LOCK_MINUTES`] until set).
pub fn idle_lock_minutes(store: &Store) -> Result<u32> {
    match store.setting(IDLE_LOCK_KEY)? {
        None => Ok(DEFAULT_IDLE_LOCK_MINUTES),
        Some(text) => text.parse().map_err(|_| StoreError::Corrupt { what: "settings.idle_lock_minutes".into() }.into()),
    }
}

/// Stores the idle time before the desk locks (between [`MIN_IDLE_LOCK_MINUTES`] and
/// [`MAX_IDLE_LOCK_MINUTES`]); audit event `settings.idle-lock` with the minutes.
pub fn set_idle_lock_minutes(store: &mut Store, ctx: &Context, minutes: u32) -> Result<()> {
    if !(MIN_IDLE_LOCK_MINUTES..=MAX_IDLE_LOCK_MINUTES).contains(&minutes) {
        return Err(InputError::new(
            "idle_lock_minutes",
            format!("{minutes} minutes is outside {MIN_IDLE_LOCK_MINUTES} to {MAX_IDLE_LOCK_MINUTES}"),
            format!("give a number of minutes from {MIN_IDLE_LOCK_MINUTES} to {MAX_IDLE_LOCK_MINUTES}, e.g. {DEFAULT_IDLE_LOCK_MINUTES}"),
        )
        .into());
    }
    store.write(|tx| {
        put_setting(tx, IDLE_LOCK_KEY, &minutes.to_string())?;
        audit::append(tx, None, &ctx.actor, "settings.idle-lock", &json!({"minutes": minutes}), ctx.now)?;
        Ok::<_, Error>(())
    })
}

/// The settings key under which [`crate::backup::backup`] records when it last succeeded.
pub(crate) const LAST_BACKUP_KEY: &str = "last_backup";

/// How old a backup may get before the desk reminds the user to make one.
pub const BACKUP_REMINDER_DAYS: i64 = 7;

/// When the last backup of this desk was written successfully (`None`: never). Backups made
/// before the time was recorded are found in the audit trail (`store.backup`).
pub fn last_backup(store: &Store) -> Result<Option<chrono::DateTime<chrono::Utc>>> {
    let corrupt = || Error::from(StoreError::Corrupt { what: "settings.last_backup".into() });
    if let Some(text) = store.setting(LAST_BACKUP_KEY)? {
        return chrono::DateTime::parse_from_rfc3339(&text).map(|t| Some(t.with_timezone(&chrono::Utc))).map_err(|_| corrupt());
    }
    // Desk-wide events have no case: the case index keeps this to them.
    let at: Option<String> = store
        .conn()
        .query_row("SELECT max(at) FROM audit_events WHERE case_id IS NULL AND action = 'store.backup'", [], |r| r.get(0))
        .map_err(StoreError::from)?;
    at.map(|t| chrono::DateTime::parse_from_rfc3339(&t).map(|t| t.with_timezone(&chrono::Utc)).map_err(|_| corrupt())).transpose()
}

/// Whether the user should be reminded to make a backup at `now`: never made, or older than
/// [`BACKUP_REMINDER_DAYS`].
pub fn backup_due(last: Option<chrono::DateTime<chrono::Utc>>, now: chrono::DateTime<chrono::Utc>) -> bool {
    last.is_none_or(|at| now - at > chrono::Duration::days(BACKUP_REMINDER_DAYS))
}
