//! The dashboard's numbers, counted in SQL so they stay instant at 100 000 cases.

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate};
use rusqlite::params;

use crate::domain::Right;
use crate::error::Result;
use crate::store::Store;

/// How many months [`Dashboard::per_month`] covers, ending with today's month.
pub const MONTHS: u32 = 12;

/// Cases received and closed in one calendar month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthCount {
    /// `YYYY-MM`.
    pub month: String,
    /// Cases received that month.
    pub received: u64,
    /// Cases closed that month.
    pub closed: u64,
}

/// What the DPO sees first: what is late, what is due soon, what waits for the subject.
#[derive(Debug, Clone, PartialEq)]
pub struct Dashboard {
    /// Open, running cases past their due date (the same rule as `ListQuery::overdue`).
    pub overdue: u64,
    /// Open, running cases due from today through the sixth day after it.
    pub due_this_week: u64,
    /// Cases waiting for the subject (identity or clarification): their clock is stopped.
    pub paused: u64,
    /// Open cases per right, in [`Right::ALL`] order; a case invoking two rights counts twice.
    pub open_by_right: Vec<(Right, u64)>,
    /// The last [`MONTHS`] months, oldest first, months without cases included as zeros.
    pub per_month: Vec<MonthCount>,
    /// Median of (closed on − received) in calendar days over all closed cases.
    pub median_days_to_close: Option<f64>,
}

// `(status = 'closed') = 0` is the leading column of the `cases_by_due` index (V4): written
// this way the counts are index range searches over open cases only.
const RUNNING: &str = "(status = 'closed') = 0 AND status NOT IN ('awaiting-identity', 'awaiting-clarification')";

fn count(store: &Store, sql: &str, args: impl rusqlite::Params) -> Result<u64> {
    let n: i64 = store.conn().query_row(sql, args, |r| r.get(0))?;
    Ok(u64::try_from(n).unwrap_or(0))
}

fn first_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

/// The months of the chart, oldest first, as `YYYY-MM`.
fn months_ending(today: NaiveDate) -> Vec<String> {
    let mut m = first_of_month(today);
    let mut out = Vec::with_capacity(MONTHS as usize);
    for _ in 0..MONTHS {
        out.push(m.format("%Y-%m").to_string());
        m = first_of_month(m - Duration::days(1));
    }
    out.reverse();
    out
}

fn median(sorted: &[f64]) -> Option<f64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
    }
}

/// Counts the dashboard's numbers as seen on `today`.
pub fn dashboard(store: &Store, today: NaiveDate) -> Result<Dashboard> {
    let day = today.to_string();
    let week_end = (today + Duration::days(6)).to_string();
    let overdue = count(store, &format!("SELECT count(*) FROM cases WHERE {RUNNING} AND effective_due < ?1"), params![day])?;
    let due_this_week =
        count(store, &format!("SELECT count(*) FROM cases WHERE {RUNNING} AND effective_due BETWEEN ?1 AND ?2"), params![day, week_end])?;
    let paused = count(store, "SELECT count(*) FROM cases WHERE status IN ('awaiting-identity', 'awaiting-clarification')", [])?;

    // Few distinct right combinations exist, so grouping by the stored list is cheap.
    let mut by_right: BTreeMap<&'static str, u64> = BTreeMap::new();
    let conn = store.conn();
    let mut stmt = conn.prepare_cached("SELECT rights, count(*) FROM cases WHERE (status = 'closed') = 0 GROUP BY rights")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let rights: String = r.get(0)?;
        let n = u64::try_from(r.get::<_, i64>(1)?).unwrap_or(0);
        for right in rights.split(',').filter_map(|s| s.parse::<Right>().ok()) {
            *by_right.entry(right.code()).or_default() += n;
        }
    }
    let open_by_right = Right::ALL.iter().map(|r| (*r, by_right.get(r.code()).copied().unwrap_or(0))).collect();

    let months = months_ending(today);
    let (first, last) = (months.first().cloned().unwrap_or_default(), months.last().cloned().unwrap_or_default());
    let mut per: BTreeMap<String, (u64, u64)> = months.iter().map(|m| (m.clone(), (0, 0))).collect();
    for (column, closed) in [("received", false), ("closed_on", true)] {
        // Only the two fixed column names above are formatted in.
        let sql = format!("SELECT substr({column}, 1, 7) AS m, count(*) FROM cases WHERE {column} IS NOT NULL AND m BETWEEN ?1 AND ?2 GROUP BY m");
        let mut stmt = conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(params![first, last])?;
        while let Some(r) = rows.next()? {
            let m: String = r.get(0)?;
            let n = u64::try_from(r.get::<_, i64>(1)?).unwrap_or(0);
            if let Some(e) = per.get_mut(&m) {
                if closed {
                    e.1 = n;
                } else {
                    e.0 = n;
                }
            }
        }
    }
    let per_month = per.into_iter().map(|(month, (received, closed))| MonthCount { month, received, closed }).collect();

    let mut stmt = conn.prepare_cached(
        "SELECT julianday(closed_on) - julianday(received) AS d FROM cases WHERE closed_on IS NOT NULL AND d IS NOT NULL ORDER BY d",
    )?;
    let days = stmt.query_map([], |r| r.get::<_, f64>(0))?.collect::<rusqlite::Result<Vec<f64>>>()?;

    Ok(Dashboard { overdue, due_this_week, paused, open_by_right, per_month, median_days_to_close: median(&days) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_cover_a_year_across_new_year() {
        let m = months_ending(NaiveDate::from_ymd_opt(2026, 2, 14).unwrap());
        assert_eq!(m.len(), 12);
        assert_eq!(m.first().map(String::as_str), Some("2025-03"));
        assert_eq!(m.last().map(String::as_str), Some("2026-02"));
    }

    #[test]
    fn median_of_odd_even_and_no_values() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[3.0, 5.0, 40.0]), Some(5.0));
        assert_eq!(median(&[3.0, 5.0, 7.0, 40.0]), Some(6.0));
    }
}
