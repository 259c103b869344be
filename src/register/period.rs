//! ISO-8601 durations (`P10Y`, `P8W`, `P1Y6M`, `PT12H`) for retention periods.

use std::fmt;
use std::str::FromStr;

use chrono::{Days, Months, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An ISO-8601 duration in calendar units, kept as written (not converted to days: a month
/// or a year has no fixed length, and retention ends on a calendar date).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Period {
    /// Years.
    pub years: u32,
    /// Months.
    pub months: u32,
    /// Weeks.
    pub weeks: u32,
    /// Days.
    pub days: u32,
    /// Hours.
    pub hours: u32,
    /// Minutes.
    pub minutes: u32,
    /// Seconds.
    pub seconds: u32,
}

/// A string that is not an ISO-8601 duration.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not an ISO-8601 duration: {0}")]
pub struct BadPeriod(pub &'static str);

impl Period {
    /// The date this period after `start` (whole days; the time part is ignored), or `None`
    /// past the end of the calendar.
    pub fn after(&self, start: NaiveDate) -> Option<NaiveDate> {
        let months = self.years.checked_mul(12)?.checked_add(self.months)?;
        let days = u64::from(self.weeks) * 7 + u64::from(self.days);
        start
            .checked_add_months(Months::new(months))?
            .checked_add_days(Days::new(days))
    }
}

impl FromStr for Period {
    type Err = BadPeriod;
    fn from_str(s: &str) -> Result<Self, BadPeriod> {
        let rest = s
            .strip_prefix('P')
            .ok_or(BadPeriod("it must start with 'P'"))?;
        let (date, time) = match rest.split_once('T') {
            Some((d, t)) => (d, Some(t)),
            None => (rest, None),
        };
        let mut p = Period::default();
        let mut any = false;
        {
            let mut slots: [(char, &mut u32); 4] = [
                ('Y', &mut p.years),
                ('M', &mut p.months),
                ('W', &mut p.weeks),
                ('D', &mut p.days),
            ];
            any |= parse_units(date, &mut slots)?;
        }
        if let Some(time) = time {
            let mut slots: [(char, &mut u32); 3] = [
                ('H', &mut p.hours),
                ('M', &mut p.minutes),
                ('S', &mut p.seconds),
            ];
            if !parse_units(time, &mut slots)? {
                return Err(BadPeriod(
                    "'T' must be followed by hours, minutes or seconds",
                ));
            }
            any = true;
        }
        if !any {
            return Err(BadPeriod("it names no amount, e.g. P1Y"));
        }
        Ok(p)
    }
}

/// Parses `12Y3M…` into the slots, which must appear in order and at most once.
fn parse_units(mut s: &str, slots: &mut [(char, &mut u32)]) -> Result<bool, BadPeriod> {
    let mut next_slot = 0;
    let mut any = false;
    while !s.is_empty() {
        let digits = s.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return Err(BadPeriod(
                "each unit needs a whole number before it, e.g. P6M",
            ));
        }
        let (number, tail) = s.split_at(digits);
        let unit = tail
            .chars()
            .next()
            .ok_or(BadPeriod("a number lacks its unit (Y, M, W, D, H, M or S)"))?;
        let at = slots[next_slot..]
            .iter()
            .position(|(u, _)| *u == unit)
            .ok_or(BadPeriod(
                "units must be Y, M, W, D (then T and H, M, S), in that order, each once",
            ))?;
        let value = number
            .parse::<u32>()
            .map_err(|_| BadPeriod("a number is too large"))?;
        *slots[next_slot + at].1 = value;
        next_slot += at + 1;
        any = true;
        s = &tail[unit.len_utf8()..];
    }
    Ok(any)
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("P")?;
        let date = [
            (self.years, 'Y'),
            (self.months, 'M'),
            (self.weeks, 'W'),
            (self.days, 'D'),
        ];
        let time = [(self.hours, 'H'), (self.minutes, 'M'), (self.seconds, 'S')];
        let has_time = time.iter().any(|(n, _)| *n > 0);
        let has_date = date.iter().any(|(n, _)| *n > 0);
        for (n, u) in date {
            if n > 0 {
                write!(f, "{n}{u}")?;
            }
        }
        if has_time {
            f.write_str("T")?;
            for (n, u) in time {
                if n > 0 {
                    write!(f, "{n}{u}")?;
                }
            }
        } else if !has_date {
            f.write_str("0D")?;
        }
        Ok(())
    }
}

impl Serialize for Period {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_durations_parse_and_print_canonically() {
        for (s, canonical) in [
            ("P8Y", "P8Y"),
            ("P8W", "P8W"),
            ("P6M", "P6M"),
            ("P10Y", "P10Y"),
            ("P1Y6M", "P1Y6M"),
            ("P30D", "P30D"),
            ("PT12H", "PT12H"),
            ("P1DT2H3M4S", "P1DT2H3M4S"),
            ("P0D", "P0D"),
            ("P1Y0M", "P1Y"),
        ] {
            assert_eq!(s.parse::<Period>().unwrap().to_string(), canonical, "{s}");
        }
        for bad in [
            "",
            "P",
            "PT",
            "P1DT",
            "8Y",
            "P8",
            "PY",
            "P6M1Y",
            "P1Y1Y",
            "P1.5Y",
            "p1y",
            "P1YT",
            "P99999999999Y",
            "P1Ü",
        ] {
            assert!(bad.parse::<Period>().is_err(), "{bad}");
        }
        let d = NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
        assert_eq!(
            "P1Y".parse::<Period>().unwrap().after(d),
            NaiveDate::from_ymd_opt(2025, 2, 28)
        );
        assert_eq!(
            "P8W".parse::<Period>().unwrap().after(d),
            NaiveDate::from_ymd_opt(2024, 4, 25)
        );
    }
}
