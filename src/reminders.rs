//! Deadline reminders: whether and how early the desk reminds, and which open cases are due
//! soon or overdue — counts and references only, so a reminder never carries a name.

use chrono::{Duration, NaiveDate};
use rusqlite::params;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::audit;
use crate::cases::Context;
use crate::error::{Error, InputError, Result};
use crate::store::{put_setting, Store, StoreError};

const KEY: &str = "reminders";

/// Days before the due date a reminder starts when the user has not chosen.
pub const DEFAULT_DAYS_BEFORE: u32 = 3;
/// The longest lead time accepted: beyond a month every case would always be "due soon".
pub const MAX_DAYS_BEFORE: u32 = 30;

/// The user's reminder choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reminders {
    /// Whether the desk sends reminders at all.
    pub enabled: bool,
    /// Remind of cases due within this many days (today included).
    pub days_before: u32,
}

impl Default for Reminders {
    fn default() -> Reminders {
        Reminders { enabled: true, days_before: DEFAULT_DAYS_BEFORE }
    }
}

#[derive(Serialize, Deserialize)]
struct Stored {
    enabled: bool,
    days_before: u32,
}

/// The reminder settings (the defaults until the user saves some).
pub fn reminders(store: &Store) -> Result<Reminders> {
    let Some(text) = store.setting(KEY)? else { return Ok(Reminders::default()) };
    let s: Stored = serde_json::from_str(&text).map_err(|_| StoreError::Corrupt { what: "settings.reminders".into() })?;
    Ok(Reminders { enabled: s.enabled, days_before: s.days_before })
}

/// Validates and stores the reminder settings; audit event `settings.reminders`.
pub fn set_reminders(store: &mut Store, ctx: &Context, r: Reminders) -> Result<()> {
    if r.days_before == 0 || r.days_before > MAX_DAYS_BEFORE {
        return Err(InputError::new("days_before", format!("must be 1 to {MAX_DAYS_BEFORE} days"), "e.g. 3 reminds three days before a case is due").into());
    }
    let text = serde_json::to_string(&Stored { enabled: r.enabled, days_before: r.days_before })
        .map_err(|_| StoreError::Corrupt { what: "settings.reminders".into() })?;
    store.write(|tx| {
        put_setting(tx, KEY, &text)?;
        audit::append(tx, None, &ctx.actor, "settings.reminders", &json!({"enabled": r.enabled, "days_before": r.days_before}), ctx.now)?;
        Ok::<_, Error>(())
    })
}

/// Open, running cases that need attention, as of one day.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DueSoon {
    /// References of cases past their due date, most overdue first.
    pub overdue: Vec<String>,
    /// References of cases due from today through `days` days ahead, soonest first.
    pub due_soon: Vec<String>,
    /// The lead time asked for.
    pub days: u32,
}

/// Cases due within `days` days of `today` or overdue. Paused cases (clock stopped) and closed
/// ones are left out, the same rule as the dashboard's counts.
pub fn due_soon(store: &Store, today: NaiveDate, days: u32) -> Result<DueSoon> {
    let day = today.to_string();
    let until = (today + Duration::days(i64::from(days))).to_string();
    let conn = store.conn();
    let mut stmt = conn.prepare_cached(
        "SELECT reference, effective_due < ?1 FROM cases
         WHERE status NOT IN ('closed', 'awaiting-identity', 'awaiting-clarification') AND effective_due <= ?2
         ORDER BY effective_due, reference",
    )?;
    let mut rows = stmt.query(params![day, until])?;
    let mut out = DueSoon { days, ..DueSoon::default() };
    while let Some(r) = rows.next()? {
        let reference: String = r.get(0)?;
        if r.get::<_, bool>(1)? {
            out.overdue.push(reference);
        } else {
            out.due_soon.push(reference);
        }
    }
    Ok(out)
}
