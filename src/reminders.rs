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
/// Which stage of each case the user was last reminded of (references only).
const SENT_KEY: &str = "reminders.sent";

/// The lead times used until the user chooses (SPEC §3: 7 and 2 days before the due date).
pub const DEFAULT_THRESHOLDS: [u32; 2] = [7, 2];
/// The longest lead time accepted: beyond a month every case would always be "due soon".
pub const MAX_DAYS_BEFORE: u32 = 30;
/// At most this many lead times: more would remind of the same case almost daily.
pub const MAX_THRESHOLDS: usize = 3;

/// The user's reminder choice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reminders {
    /// Whether the desk sends reminders at all.
    pub enabled: bool,
    /// Days before the due date at which a case is reminded of, longest first (e.g. 7, 2).
    pub thresholds: Vec<u32>,
}

impl Default for Reminders {
    fn default() -> Reminders {
        Reminders { enabled: true, thresholds: DEFAULT_THRESHOLDS.to_vec() }
    }
}

#[derive(Serialize, Deserialize)]
struct Stored {
    enabled: bool,
    /// Absent in settings saved before there were several lead times.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    thresholds: Option<Vec<u32>>,
    /// The single lead time of the first version, read so an old choice is kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    days_before: Option<u32>,
}

/// The reminder settings (the defaults until the user saves some).
pub fn reminders(store: &Store) -> Result<Reminders> {
    let Some(text) = store.setting(KEY)? else { return Ok(Reminders::default()) };
    let s: Stored = serde_json::from_str(&text).map_err(|_| StoreError::Corrupt { what: "settings.reminders".into() })?;
    let thresholds = match (s.thresholds, s.days_before) {
        (Some(t), _) => t,
        (None, Some(d)) => vec![d],
        (None, None) => DEFAULT_THRESHOLDS.to_vec(),
    };
    Ok(Reminders { enabled: s.enabled, thresholds })
}

/// The lead times checked and put in order (longest first): one to three, each 1 to 30 days,
/// no day twice.
pub fn check_thresholds(thresholds: &[u32]) -> std::result::Result<Vec<u32>, InputError> {
    let fix = "e.g. 7, 2 reminds a week before a case is due and again two days before";
    if thresholds.is_empty() || thresholds.len() > MAX_THRESHOLDS {
        return Err(InputError::new("thresholds", format!("give one to {MAX_THRESHOLDS} lead times"), fix));
    }
    if let Some(bad) = thresholds.iter().find(|d| **d == 0 || **d > MAX_DAYS_BEFORE) {
        return Err(InputError::new("thresholds", format!("{bad} is not 1 to {MAX_DAYS_BEFORE} days"), fix));
    }
    let mut sorted = thresholds.to_vec();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    sorted.dedup();
    if sorted.len() != thresholds.len() {
        return Err(InputError::new("thresholds", "a lead time is given twice", fix));
    }
    Ok(sorted)
}

/// Validates and stores the reminder settings; audit event `settings.reminders`.
pub fn set_reminders(store: &mut Store, ctx: &Context, r: Reminders) -> Result<()> {
    let thresholds = check_thresholds(&r.thresholds)?;
    let text = serde_json::to_string(&Stored { enabled: r.enabled, thresholds: Some(thresholds.clone()), days_before: None })
        .map_err(|_| StoreError::Corrupt { what: "settings.reminders".into() })?;
    store.write(|tx| {
        put_setting(tx, KEY, &text)?;
        audit::append(tx, None, &ctx.actor, "settings.reminders", &json!({"enabled": r.enabled, "thresholds": thresholds}), ctx.now)?;
        Ok::<_, Error>(())
    })
}

/// Where a case stands for reminders: past its due date, or within a lead time. Ordered by
/// urgency: overdue first, then the shortest lead time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Stage {
    /// Past the due date.
    Overdue,
    /// Due within this many days (the shortest lead time that holds it).
    Within(u32),
}

impl Stage {
    fn key(self) -> String {
        match self {
            Stage::Overdue => "overdue".into(),
            Stage::Within(d) => d.to_string(),
        }
    }

    fn parse(key: &str) -> Option<Stage> {
        if key == "overdue" {
            return Some(Stage::Overdue);
        }
        key.parse().ok().map(Stage::Within)
    }
}

/// Cases due within one lead time (and not within a shorter one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueWindow {
    /// The lead time in days.
    pub days: u32,
    /// References, soonest first.
    pub references: Vec<String>,
}

/// Open, running cases that need attention, as of one day.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DueSoon {
    /// References of cases past their due date, most overdue first.
    pub overdue: Vec<String>,
    /// One window per lead time, shortest first; a case is in the shortest that holds it.
    pub windows: Vec<DueWindow>,
    /// How many cases reached a stage they have not been reminded of ([`mark_reminded`]):
    /// newly within a lead time, within a shorter one, or newly overdue — plus follow-ups
    /// newly due.
    pub fresh: usize,
    /// Follow-ups whose day has come ("erase after …": retained data to erase now), as
    /// task ids; see [`crate::acting::needs_you`].
    pub follow_ups: Vec<String>,
}

impl DueSoon {
    fn stages(&self) -> impl Iterator<Item = (&str, Stage)> {
        let over = self.overdue.iter().map(|r| (r.as_str(), Stage::Overdue));
        let within = self.windows.iter().flat_map(|w| w.references.iter().map(move |r| (r.as_str(), Stage::Within(w.days))));
        // A follow-up is keyed by its task id (never a case reference), and is due or not.
        let follow = self.follow_ups.iter().map(|t| (t.as_str(), Stage::Overdue));
        over.chain(within).chain(follow)
    }
}

/// Cases overdue or due within the longest of `thresholds` days of `today`, each in the
/// shortest lead time that holds it, and how many are fresh. Paused cases (clock stopped) and
/// closed ones are left out, the same rule as the dashboard's counts.
pub fn due_soon(store: &Store, today: NaiveDate, thresholds: &[u32]) -> Result<DueSoon> {
    let mut windows: Vec<u32> = thresholds.to_vec();
    windows.sort_unstable();
    windows.dedup();
    let longest = windows.last().copied().unwrap_or(0);
    let until = (today + Duration::days(i64::from(longest))).to_string();
    let conn = store.conn();
    let mut stmt = conn.prepare_cached(
        "SELECT reference, effective_due FROM cases
         WHERE status NOT IN ('closed', 'awaiting-identity', 'awaiting-clarification') AND effective_due <= ?1
         ORDER BY effective_due, reference",
    )?;
    let mut rows = stmt.query(params![until])?;
    let mut out = DueSoon { windows: windows.iter().map(|d| DueWindow { days: *d, references: Vec::new() }).collect(), ..DueSoon::default() };
    while let Some(r) = rows.next()? {
        let reference: String = r.get(0)?;
        let due: String = r.get(1)?;
        let Ok(due) = NaiveDate::parse_from_str(&due, "%Y-%m-%d") else {
            return Err(StoreError::Corrupt { what: format!("cases.effective_due of {reference}") }.into());
        };
        let left = (due - today).num_days();
        if left < 0 {
            out.overdue.push(reference);
        } else if let Some(w) = out.windows.iter_mut().find(|w| left <= i64::from(w.days)) {
            w.references.push(reference);
        }
    }
    out.follow_ups = crate::acting::needs_you(store, today)?.follow_ups_due.into_iter().map(|n| n.id).collect();
    let sent = reminded(store)?;
    out.fresh = out
        .stages()
        .filter(|(reference, stage)| sent.get(*reference).and_then(|k| Stage::parse(k)).is_none_or(|last| *stage < last))
        .count();
    Ok(out)
}

fn reminded(store: &Store) -> Result<std::collections::HashMap<String, String>> {
    let Some(text) = store.setting(SENT_KEY)? else { return Ok(Default::default()) };
    serde_json::from_str(&text).map_err(|_| StoreError::Corrupt { what: "settings.reminders.sent".into() }.into())
}

/// Records that the user was reminded of `due`: each case's current stage is remembered, and
/// cases no longer due (closed, paused, extended) are forgotten, so they are reminded again
/// when they next come due.
pub fn mark_reminded(store: &mut Store, due: &DueSoon) -> Result<()> {
    let map: std::collections::BTreeMap<&str, String> = due.stages().map(|(r, s)| (r, s.key())).collect();
    let text = serde_json::to_string(&map).map_err(|_| StoreError::Corrupt { what: "settings.reminders.sent".into() })?;
    store.write(|tx| {
        put_setting(tx, SENT_KEY, &text)?;
        Ok::<_, Error>(())
    })
}
