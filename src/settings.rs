//! Desk settings kept in the encrypted database: the SMTP server letters go out through.
//! The password itself is a secret (`secrets`); settings only name it.

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

/// Whether `host` is this machine, the only place an unencrypted connection is allowed.
pub fn is_local_host(host: &str) -> bool {
    let h = host.trim().trim_start_matches('[').trim_end_matches(']');
    h.eq_ignore_ascii_case("localhost") || h.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

impl SmtpSettings {
    /// Checks every field; the error names the flag and the fix (never echoes values).
    pub fn validate(&self) -> Result<(), InputError> {
        let host = self.host.trim();
        let host_ok = !host.is_empty()
            && host.len() <= 253
            && host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
        if !host_ok {
            return Err(InputError::new("--host", "not a host name or IP address", "e.g. --host smtp.example.com"));
        }
        if self.port == 0 {
            return Err(InputError::new("--port", "0 is not a port", "use 587 for starttls, 465 for tls"));
        }
        if self.security == Security::None && !is_local_host(host) {
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
