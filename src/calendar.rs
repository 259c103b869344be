//! The firm's own calendar changes: days added (company holidays, municipal days, Royal Decree
//! days) or removed per region. A change recomputes the open cases of that region in the same
//! transaction, so no case ever shows a date computed with the old calendar.

use chrono::NaiveDate;
use serde_json::json;

use crate::audit;
use crate::cases::{self, Context};
use crate::deadline::{self, Holiday, Region};
use crate::error::{Error, InputError, Result};
use crate::store::{put_setting, Store};

/// What the user did to a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayChange {
    /// The day is a holiday for deadline purposes.
    Added,
    /// A statutory holiday that the firm works (it no longer rolls dates).
    Removed,
}

/// Adds (or with `DayChange::Removed`, removes) a holiday for `region`; returns how many open
/// cases were recomputed.
pub fn change_day(store: &mut Store, ctx: &Context, region: Region, date: NaiveDate, change: DayChange, name: &str) -> Result<usize> {
    let name = name.trim();
    if change == DayChange::Added && name.is_empty() {
        return Err(InputError::new("name", "no name for the day", "e.g. --name \"Augsburger Friedensfest\"").into());
    }
    if change == DayChange::Removed && deadline::holiday_on(region, date, &cases::calendar_overrides(store.conn(), region)?).is_none() {
        return Err(InputError::new("DATE", format!("{date} is not a holiday in {region}"), "only a holiday can be removed; see dsar calendar list").into());
    }
    store.write(|tx| {
        tx.execute(
            "INSERT INTO calendar_days (region, date, kind, name) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (region, date) DO UPDATE SET kind = excluded.kind, name = excluded.name",
            rusqlite::params![region.code(), date.to_string(), if change == DayChange::Added { "added" } else { "removed" }, name],
        )?;
        let n = cases::recompute_open(tx, ctx, Some(region))?;
        let action = if change == DayChange::Added { "calendar.day-added" } else { "calendar.day-removed" };
        audit::append(tx, None, &ctx.actor, action, &json!({"region": region.code(), "date": date.to_string(), "name": name, "recomputed": n}), ctx.now)?;
        Ok::<_, Error>(n)
    })
}

/// Undoes an earlier add or remove of `date`.
pub fn reset_day(store: &mut Store, ctx: &Context, region: Region, date: NaiveDate) -> Result<usize> {
    store.write(|tx| {
        let gone = tx.execute("DELETE FROM calendar_days WHERE region = ?1 AND date = ?2", [region.code(), &date.to_string()])?;
        if gone == 0 {
            return Err(InputError::new("DATE", format!("{date} has no change in {region}"), "see dsar calendar list").into());
        }
        let n = cases::recompute_open(tx, ctx, Some(region))?;
        audit::append(tx, None, &ctx.actor, "calendar.day-reset", &json!({"region": region.code(), "date": date.to_string(), "recomputed": n}), ctx.now)?;
        Ok::<_, Error>(n)
    })
}

/// Switches Assumption Day (15 Aug) in Bavaria on or off (on by default: most municipalities
/// keep it); recomputes open Bavarian cases.
pub fn set_bavaria_assumption(store: &mut Store, ctx: &Context, on: bool) -> Result<usize> {
    store.write(|tx| {
        put_setting(tx, "bavaria_assumption", if on { "on" } else { "off" })?;
        let n = cases::recompute_open(tx, ctx, Some(Region::DeBy))?;
        audit::append(tx, None, &ctx.actor, "calendar.bavaria-assumption", &json!({"on": on, "recomputed": n}), ctx.now)?;
        Ok::<_, Error>(n)
    })
}

/// The holidays of `region` in `year` as the deadlines see them (statutory, plus added, minus
/// removed).
pub fn list(store: &Store, region: Region, year: i32) -> Result<Vec<Holiday>> {
    let ov = cases::calendar_overrides(store.conn(), region)?;
    Ok(deadline::holidays(region, year, &ov))
}
