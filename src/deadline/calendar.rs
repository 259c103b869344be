//! Public-holiday calendars per [`Region`]: which days are holidays, and which are working
//! days, with the user's own additions and removals ([`CalendarOverrides`]).
//!
//! Why our own tables rather than a crate: no maintained crate covers all our regions with
//! the rules of RULES.md §1. `holiday_de` covers only Germany (and adds days RULES.md does not
//! list: the nationwide Reformation Day 2017 and Berlin's 17 June 2028) and builds a `Vec` per
//! lookup; `bdays` has US and Brazilian *settlement* (banking) calendars, which include
//! Carnival and leave out the Netherlands, England and the German Länder; the generic
//! business-day crates ship no holidays at all. Holidays are statutory facts that change by
//! statute (Berlin 2019, Mecklenburg-Vorpommern 2023, Brazil 2024), so they belong in one
//! reviewed table next to the rules that use them: see `holidays.rs`. `holiday_de` stays a
//! dev-dependency as an independent oracle for the German tables (tests/deadlines.rs).
//!
//! Lookups ([`is_working_day`], [`holiday_on`]) allocate nothing; only [`holidays`], which
//! lists a year for display, builds a `Vec`.

use std::borrow::Cow;

use chrono::{Datelike, NaiveDate, Weekday};

use super::holidays::{builtin_in_year, builtin_on};
use super::region::Region;

/// The user's changes to a region's statutory calendar: company or municipal holidays, days
/// added by Royal Decree (NL), statutory days the controller works on, and the Bavarian
/// Assumption Day switch. `CalendarOverrides::default()` is the calendar of RULES.md as is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarOverrides {
    /// Extra non-working days with their names (e.g. Augsburg's Peace Festival, 8 August).
    pub added: Vec<(NaiveDate, String)>,
    /// Statutory holidays that are working days for this controller. Removing a day never
    /// makes a Saturday or Sunday a working day. A removed date wins over an added one.
    pub removed: Vec<NaiveDate>,
    /// Assumption Day (15 August) in Bavaria: a holiday only in municipalities with a
    /// Catholic majority — most of them, so on by default (RULES.md **Decision**).
    pub bavaria_assumption: bool,
}

static DEFAULT_OVERRIDES: CalendarOverrides = CalendarOverrides {
    added: Vec::new(),
    removed: Vec::new(),
    bavaria_assumption: true,
};

impl Default for CalendarOverrides {
    fn default() -> Self {
        DEFAULT_OVERRIDES.clone()
    }
}

impl CalendarOverrides {
    /// The RULES.md calendar with no changes, as a `'static` reference (handy for
    /// [`super::DeadlineInput::new`]).
    pub fn defaults() -> &'static CalendarOverrides {
        &DEFAULT_OVERRIDES
    }
}

/// A day on which the region does not work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holiday {
    /// The day it is kept (for England and the US: the substitute or observed day).
    pub date: NaiveDate,
    /// English name, e.g. "Easter Monday", "Christmas Day (substitute day)".
    pub name: Cow<'static, str>,
    /// Name in the region's language where that is not English, e.g. "Ostermontag".
    pub local_name: Option<&'static str>,
    /// Kept on another day because the holiday itself fell on a weekend.
    pub substitute: bool,
    /// Added by the user through [`CalendarOverrides::added`] rather than by statute.
    pub user_added: bool,
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The name of the holiday on `date`, borrowed (static for statutory days); no allocation.
pub(crate) fn holiday_name_on(
    region: Region,
    date: NaiveDate,
    overrides: &CalendarOverrides,
) -> Option<&str> {
    if overrides.removed.contains(&date) {
        return None;
    }
    if let Some((rule, moved)) = builtin_on(region, date, overrides.bavaria_assumption) {
        return Some(if moved { rule.moved_name } else { rule.name });
    }
    overrides
        .added
        .iter()
        .find(|(d, _)| *d == date)
        .map(|(_, n)| n.as_str())
}

/// The name of the holiday on `date` for explanations: borrowed for statutory days, owned
/// (one allocation) only for user-added ones.
pub(crate) fn holiday_label(
    region: Region,
    date: NaiveDate,
    overrides: &CalendarOverrides,
) -> Option<Cow<'static, str>> {
    if overrides.removed.contains(&date) {
        return None;
    }
    if let Some((rule, moved)) = builtin_on(region, date, overrides.bavaria_assumption) {
        return Some(Cow::Borrowed(if moved {
            rule.moved_name
        } else {
            rule.name
        }));
    }
    overrides
        .added
        .iter()
        .find(|(d, _)| *d == date)
        .map(|(_, n)| Cow::Owned(n.clone()))
}

/// The holiday kept on `date` in `region`, if any (statutory, unless removed, or user-added).
/// A weekend day is returned only when a holiday falls on it.
pub fn holiday_on(
    region: Region,
    date: NaiveDate,
    overrides: &CalendarOverrides,
) -> Option<Holiday> {
    if overrides.removed.contains(&date) {
        return None;
    }
    if let Some((rule, moved)) = builtin_on(region, date, overrides.bavaria_assumption) {
        return Some(Holiday {
            date,
            name: Cow::Borrowed(if moved { rule.moved_name } else { rule.name }),
            local_name: rule.local,
            substitute: moved,
            user_added: false,
        });
    }
    overrides
        .added
        .iter()
        .find(|(d, _)| *d == date)
        .map(|(_, name)| Holiday {
            date,
            name: Cow::Owned(name.clone()),
            local_name: None,
            substitute: false,
            user_added: true,
        })
}

/// Whether `date` is a working day in `region`: Monday to Friday and not a holiday.
/// Saturdays and Sundays are never working days. Allocates nothing.
pub fn is_working_day(region: Region, date: NaiveDate, overrides: &CalendarOverrides) -> bool {
    !is_weekend(date) && holiday_name_on(region, date, overrides).is_none()
}

/// Every holiday of `region` kept in calendar `year`, sorted by date, including user-added
/// days and without removed ones. Weekend holidays are listed too (they matter for display,
/// not for counting). Where a user-added day falls on a statutory one, the statutory name wins.
pub fn holidays(region: Region, year: i32, overrides: &CalendarOverrides) -> Vec<Holiday> {
    let mut list: Vec<Holiday> = builtin_in_year(region, year, overrides.bavaria_assumption)
        .filter(|(date, _, _)| !overrides.removed.contains(date))
        .map(|(date, rule, moved)| Holiday {
            date,
            name: Cow::Borrowed(if moved { rule.moved_name } else { rule.name }),
            local_name: rule.local,
            substitute: moved,
            user_added: false,
        })
        .collect();
    for (date, name) in &overrides.added {
        if date.year() == year
            && !overrides.removed.contains(date)
            && !list.iter().any(|h| h.date == *date)
        {
            list.push(Holiday {
                date: *date,
                name: Cow::Owned(name.clone()),
                local_name: None,
                substitute: false,
                user_added: true,
            });
        }
    }
    list.sort_by_key(|h| h.date);
    list.dedup_by_key(|h| h.date);
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn dates(region: Region, year: i32) -> Vec<String> {
        holidays(region, year, &CalendarOverrides::default())
            .iter()
            .map(|h| h.date.format("%m-%d").to_string())
            .collect()
    }

    #[test]
    fn england_substitute_days() {
        // 2021: 25 Dec Saturday → 27 and 28 Dec; 2022: 25 Dec Sunday → 26 (Mon) and 27 (Tue);
        // 2020: 26 Dec Saturday → 28 Dec; 2022: 1 Jan Saturday → 3 Jan; 2023: Sunday → 2 Jan.
        let d = dates(Region::GbEng, 2021);
        assert!(d.ends_with(&["12-27".into(), "12-28".into()]), "{d:?}");
        let d = dates(Region::GbEng, 2022);
        assert_eq!(d[0], "01-03");
        assert!(d.ends_with(&["12-26".into(), "12-27".into()]), "{d:?}");
        let d = dates(Region::GbEng, 2020);
        assert!(d.ends_with(&["12-25".into(), "12-28".into()]), "{d:?}");
        assert!(
            d.contains(&"05-08".into()) && !d.contains(&"05-04".into()),
            "{d:?}"
        );
        assert_eq!(dates(Region::GbEng, 2023)[0], "01-02");
        let h = holiday_on(
            Region::GbEng,
            ymd(2021, 12, 28),
            &CalendarOverrides::default(),
        );
        assert_eq!(h.unwrap().name, "Boxing Day (substitute day)");
        assert!(holiday_on(Region::GbEng, ymd(2021, 12, 25), &Default::default()).is_none());
        // 2022: 2 and 3 June instead of 30 May, plus the state funeral; 2023 coronation.
        let d = dates(Region::GbEng, 2022);
        assert!(
            d.contains(&"06-02".into()) && d.contains(&"06-03".into()),
            "{d:?}"
        );
        assert!(
            !d.contains(&"05-30".into()) && d.contains(&"09-19".into()),
            "{d:?}"
        );
        assert_eq!(dates(Region::GbEng, 2022).len(), 10);
        assert_eq!(dates(Region::GbEng, 2023).len(), 9);
        assert!(dates(Region::GbEng, 2023).contains(&"05-08".into()));
    }

    #[test]
    fn us_observed_days() {
        // 2021: 1 Jan 2022 is a Saturday → observed Friday 31 Dec 2021; Juneteenth (Sat 19
        // June) → 18 June; 4 July (Sun) → 5 July; 25 Dec (Sat) → 24 Dec.
        let d = dates(Region::UsCa, 2021);
        assert_eq!(
            d,
            [
                "01-01", "01-18", "02-15", "05-31", "06-18", "07-05", "09-06", "10-11", "11-11",
                "11-25", "12-24", "12-31"
            ]
        );
        // 2022 keeps no New Year's Day of its own (it was observed in 2021).
        let d = dates(Region::UsCa, 2022);
        assert_eq!(d[0], "01-17");
        assert_eq!(d.len(), 10);
        let h = holiday_on(Region::UsCa, ymd(2021, 12, 31), &Default::default()).unwrap();
        assert_eq!(h.name, "New Year's Day (observed)");
        assert!(h.substitute);
        // 2023: 1 Jan Sunday → 2 Jan; Veterans Day Sat 11 Nov → 10 Nov; Christmas Monday.
        let d = dates(Region::UsCa, 2023);
        assert!(
            d.contains(&"01-02".into()) && d.contains(&"11-10".into()),
            "{d:?}"
        );
        assert!(!is_working_day(
            Region::UsCa,
            ymd(2023, 1, 2),
            &Default::default()
        ));
        // Juneteenth only since 2021.
        assert!(!dates(Region::UsCa, 2020).contains(&"06-19".into()));
    }

    #[test]
    fn netherlands_kings_day_and_liberation_day() {
        // 27 April 2025 is a Sunday → 26 April; 5 May every year.
        let d = dates(Region::Nl, 2025);
        assert!(
            d.contains(&"04-26".into()) && !d.contains(&"04-27".into()),
            "{d:?}"
        );
        assert!(d.contains(&"05-05".into()));
        assert!(dates(Region::Nl, 2026).contains(&"04-27".into()));
        assert!(dates(Region::Nl, 2027).contains(&"05-05".into()));
        assert_eq!(dates(Region::Nl, 2026).len(), 9);
    }

    #[test]
    fn brazil_black_consciousness_day_since_2024() {
        assert!(!dates(Region::Br, 2023).contains(&"11-20".into()));
        assert!(dates(Region::Br, 2024).contains(&"11-20".into()));
        assert_eq!(dates(Region::Br, 2026).len(), 10);
    }

    #[test]
    fn overrides_add_remove_and_bavaria() {
        let mut o = CalendarOverrides::default();
        assert!(o.bavaria_assumption);
        let aug15 = ymd(2025, 8, 15); // Friday
        assert!(!is_working_day(Region::DeBy, aug15, &o));
        o.bavaria_assumption = false;
        assert!(is_working_day(Region::DeBy, aug15, &o));
        assert!(!is_working_day(Region::DeSl, aug15, &o));

        let aug8 = ymd(2025, 8, 8);
        o.added.push((aug8, "Augsburger Friedensfest".into()));
        let h = holiday_on(Region::DeBy, aug8, &o).unwrap();
        assert!(h.user_added);
        assert_eq!(h.name, "Augsburger Friedensfest");
        assert!(holidays(Region::DeBy, 2025, &o)
            .iter()
            .any(|h| h.date == aug8));

        let may1 = ymd(2025, 5, 1); // Thursday
        o.removed.push(may1);
        assert!(is_working_day(Region::DeBy, may1, &o));
        assert!(holidays(Region::DeBy, 2025, &o)
            .iter()
            .all(|h| h.date != may1));
        // Removing never makes a weekend working.
        o.removed.push(ymd(2025, 5, 3));
        assert!(!is_working_day(Region::DeBy, ymd(2025, 5, 3), &o));
    }

    #[test]
    fn german_local_names() {
        let h = holiday_on(Region::DeSn, ymd(2025, 11, 19), &Default::default()).unwrap();
        assert_eq!(h.local_name, Some("Buß- und Bettag"));
        assert!(holiday_on(Region::DeBe, ymd(2025, 11, 19), &Default::default()).is_none());
    }
}
