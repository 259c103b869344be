//! The day a request was received: the message's Date read in the controller's time zone.
//! A mail sent at 23:30 in Berlin on 31 March is a 31 March request even though it is
//! 1 April in UTC — deadlines count from the controller's calendar day.
//!
//! The desk's regions have few zones, so their rules are written out here rather than pulling
//! in the whole tz database: Central European (DE, NL) and British time with the EU's summer
//! time (last Sunday of March to last Sunday of October, switching at 01:00 UTC), Pacific time
//! with the US rules since 2007 (second Sunday of March to first Sunday of November, 02:00
//! local), Brasília without summer time (abolished 2019).

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc, Weekday};

use crate::deadline::Region;

/// The calendar day of `instant` in the time zone of `region`.
pub fn local_day(instant: DateTime<Utc>, region: Region) -> NaiveDate {
    (instant + offset(instant, region)).date_naive()
}

/// The name of the zone, for the warning that says which one was used.
pub fn zone_name(region: Region) -> &'static str {
    match region.country() {
        "GB" => "Europe/London",
        "US" => "America/Los_Angeles",
        "BR" => "America/Sao_Paulo",
        "NL" => "Europe/Amsterdam",
        _ => "Europe/Berlin",
    }
}

fn offset(instant: DateTime<Utc>, region: Region) -> Duration {
    let year = instant.year();
    match region.country() {
        "GB" => Duration::hours(i64::from(eu_summer(instant, year))),
        "US" => {
            // 02:00 local standard time is 10:00 UTC; 02:00 local daylight time is 09:00 UTC.
            let start = utc_at(nth_weekday(year, 3, 2), 10);
            let end = utc_at(nth_weekday(year, 11, 1), 9);
            Duration::hours(if instant >= start && instant < end { -7 } else { -8 })
        }
        "BR" => Duration::hours(-3),
        _ => Duration::hours(1 + i64::from(eu_summer(instant, year))),
    }
}

fn eu_summer(instant: DateTime<Utc>, year: i32) -> u8 {
    let start = utc_at(last_sunday(year, 3), 1);
    let end = utc_at(last_sunday(year, 10), 1);
    u8::from(instant >= start && instant < end)
}

fn utc_at(day: NaiveDate, hour: u32) -> DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_hms_opt(hour, 0, 0).unwrap_or_default())
}

fn last_sunday(year: i32, month: u32) -> NaiveDate {
    // Day 31 exists in both March and October.
    let mut d = NaiveDate::from_ymd_opt(year, month, 31).unwrap_or_default();
    while d.weekday() != Weekday::Sun {
        d = d.pred_opt().unwrap_or_default();
    }
    d
}

fn nth_weekday(year: i32, month: u32, n: u32) -> NaiveDate {
    NaiveDate::from_weekday_of_month_opt(year, month, Weekday::Sun, n as u8).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).map(|d| d.with_timezone(&Utc)).expect("test date")
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test day")
    }

    #[test]
    fn late_evening_in_berlin_is_still_that_day_and_early_morning_the_next() {
        assert_eq!(local_day(at("2026-03-31T21:30:00Z"), Region::DeNw), day("2026-03-31"));
        assert_eq!(local_day(at("2026-03-31T22:30:00Z"), Region::DeNw), day("2026-04-01"));
        // Winter: UTC+1.
        assert_eq!(local_day(at("2026-01-15T22:30:00Z"), Region::Nl), day("2026-01-15"));
        assert_eq!(local_day(at("2026-01-15T23:30:00Z"), Region::Nl), day("2026-01-16"));
    }

    #[test]
    fn london_california_brazil() {
        assert_eq!(local_day(at("2026-07-01T23:30:00Z"), Region::GbEng), day("2026-07-02"));
        assert_eq!(local_day(at("2026-12-01T23:30:00Z"), Region::GbEng), day("2026-12-01"));
        assert_eq!(local_day(at("2026-07-02T06:00:00Z"), Region::UsCa), day("2026-07-01"));
        assert_eq!(local_day(at("2026-07-02T07:30:00Z"), Region::UsCa), day("2026-07-02"));
        assert_eq!(local_day(at("2026-12-02T07:30:00Z"), Region::UsCa), day("2026-12-01"));
        assert_eq!(local_day(at("2026-05-02T02:00:00Z"), Region::Br), day("2026-05-01"));
    }
}
