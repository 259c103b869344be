//! Wire types of the Settings screen (controller and DPO, defaults for new cases, SMTP,
//! reminders, backup and restore), TypeScript generated into `ui/src/bindings/` like `dto`.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The controller section of the register as the form edits it. Address fields are one line
/// per entry; empty optional fields are `null`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ControllerDto {
    /// Legal name.
    pub name: String,
    /// Postal address lines.
    pub address: Vec<String>,
    /// Contact e-mail for data protection requests.
    pub email: String,
    /// Telephone.
    pub phone: Option<String>,
    /// ISO 3166-1 alpha-2 country.
    pub country: String,
    /// Law code, e.g. `gdpr`.
    pub jurisdiction: String,
    /// Holiday calendar code, e.g. `DE-NW`.
    pub region: String,
    /// Letter language code, e.g. `de`.
    pub language: String,
    /// The DPO's name; `null` when no DPO is appointed (then the other DPO fields are ignored).
    pub dpo_name: Option<String>,
    /// The DPO's e-mail.
    pub dpo_email: Option<String>,
    /// The DPO's telephone.
    pub dpo_phone: Option<String>,
    /// The DPO's postal address lines.
    pub dpo_address: Vec<String>,
    /// The supervisory authority's name.
    pub authority_name: String,
    /// Its postal address lines.
    pub authority_address: Vec<String>,
    /// Its e-mail.
    pub authority_email: Option<String>,
    /// Its web site.
    pub authority_url: Option<String>,
}

/// Defaults for the New case form; `null` means "the register's" (channel: e-mail).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct CaseDefaultsDto {
    /// Law code.
    pub jurisdiction: Option<String>,
    /// Holiday calendar code.
    pub region: Option<String>,
    /// Letter language code.
    pub language: Option<String>,
    /// Channel code.
    pub channel: Option<String>,
}

/// The SMTP settings as shown; the password never leaves the database, only whether one is set.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SmtpDto {
    /// Host name or IP address.
    pub host: String,
    /// Port.
    pub port: u16,
    /// `starttls`, `tls` or `none` (local relay only).
    pub security: String,
    /// Login name.
    pub user: Option<String>,
    /// Sender address.
    pub from_address: String,
    /// Sender display name.
    pub from_name: Option<String>,
    /// Whether a password is stored.
    pub password_set: bool,
}

/// The SMTP form as submitted. An empty `password` keeps the stored one.
#[derive(Debug, Clone, PartialEq, Deserialize, TS)]
pub struct SmtpInput {
    /// Host name or IP address.
    pub host: String,
    /// Port.
    pub port: u16,
    /// `starttls`, `tls` or `none`.
    pub security: String,
    /// Login name (empty: no login).
    pub user: Option<String>,
    /// A new password; `null` or empty keeps the stored one.
    pub password: Option<String>,
    /// Sender address.
    pub from_address: String,
    /// Sender display name.
    pub from_name: Option<String>,
}

/// Whether and how early the desk reminds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct RemindersDto {
    /// Reminders on.
    pub enabled: bool,
    /// Days before the due date at which a case is reminded of (one to three, e.g. 7 and 2),
    /// longest first as stored.
    pub thresholds: Vec<u32>,
}

/// Everything the Settings screen shows.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SettingsDto {
    /// The register's controller section; `null` before the first register import.
    pub controller: Option<ControllerDto>,
    /// Defaults for new cases.
    pub defaults: CaseDefaultsDto,
    /// SMTP; `null` until configured.
    pub smtp: Option<SmtpDto>,
    /// Reminders.
    pub reminders: RemindersDto,
    /// The database file (shown beside backup and restore).
    pub db_path: String,
}

/// A secret the register refers to (`{secret:NAME}`) or the desk holds: its name and whether
/// it is set, never its value.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SecretDto {
    /// The name used in `{secret:NAME}`.
    pub name: String,
    /// Whether a value is stored.
    pub set: bool,
    /// Register systems whose connector refers to it (empty: only stored, e.g. the SMTP password).
    pub used_by: Vec<String>,
    /// Systems that refer to it but may not use it (set for other systems or another address).
    pub blocked: Vec<SecretBlockDto>,
}

/// A system that refers to a stored secret it may not use, and why.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SecretBlockDto {
    /// Register system id.
    pub system: String,
    /// Why: `smtp` (it is the SMTP password), `not-for-system` (set for other systems) or
    /// `moved` (set for this system at another address); the UI words it.
    pub reason: String,
    /// For `moved`: the address it was allowed for.
    pub allowed: Option<String>,
    /// The address the system sends it to now.
    pub now: String,
}

/// Cases a reminder is about: references only, never names.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct DueSoonDto {
    /// Whether reminders are on (the UI sends nothing when off).
    pub enabled: bool,
    /// Overdue cases, most overdue first.
    pub overdue: Vec<String>,
    /// One window per lead time, shortest first; a case is in the shortest that holds it.
    pub windows: Vec<DueWindowDto>,
    /// Cases that reached a stage not yet reminded of (newly within a lead time, within a
    /// shorter one, or newly overdue): the UI notifies only when this is above zero.
    pub fresh: u32,
    /// Follow-ups due ("erase after …": retained data to erase now), as task ids.
    pub follow_ups: Vec<String>,
}

/// Cases due within one lead time.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct DueWindowDto {
    /// The lead time in days.
    pub days: u32,
    /// References, soonest first.
    pub references: Vec<String>,
}

/// A written backup.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct BackupDto {
    /// Where it was written.
    pub path: String,
    /// Its size in bytes.
    #[ts(type = "number")]
    pub bytes: u64,
}

/// A finished restore.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct RestoreDto {
    /// Where the replaced database was kept.
    pub kept_path: String,
    /// Cases in the restored database.
    #[ts(type = "number")]
    pub cases: u64,
}

/// What keeps the open desk safe in everyday use: whether it is the demo, when it locks
/// itself, and how old the last backup is.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SafetyDto {
    /// The demo desk is open (the app shows a banner: not for real requests).
    pub demo: bool,
    /// Minutes without mouse or keyboard input after which the app locks the desk.
    pub idle_lock_minutes: u32,
    /// When the last backup was written (RFC 3339, UTC); `null`: never.
    pub last_backup: Option<String>,
    /// Never backed up, or the last backup is older than seven days: remind.
    pub backup_due: bool,
}

/// Writes the TypeScript of these types into `dir`.
pub fn export_bindings(dir: &std::path::Path) -> Result<(), ts_rs::ExportError> {
    SettingsDto::export_all_to(dir)?;
    SmtpInput::export_all_to(dir)?;
    DueSoonDto::export_all_to(dir)?;
    DueWindowDto::export_all_to(dir)?;
    BackupDto::export_all_to(dir)?;
    RestoreDto::export_all_to(dir)?;
    SecretDto::export_all_to(dir)?;
    SecretBlockDto::export_all_to(dir)?;
    SafetyDto::export_all_to(dir)?;
    Ok(())
}
