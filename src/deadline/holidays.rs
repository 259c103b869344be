//! The statutory holiday tables (RULES.md §1 "Public holidays"), one static table per country,
//! and the rule arithmetic (Easter computus, n-th weekday, substitute days) behind them.
//!
//! Rules are data, not code: a [`Rule`] says *when* (fixed date, Easter offset, n-th weekday,
//! …), *where* (a bit mask of [`Region`]s), *which years* and *what happens on a weekend*
//! (England's substitute days, US "observed" days). Lookups never allocate: [`builtin_on`]
//! tests a date against each rule of its country with a few integer comparisons, computing
//! Easter at most once and only for dates between March and June.

use chrono::{Datelike, Days, NaiveDate, Weekday};

use super::region::Region;

/// When a holiday falls in a given year (before any weekend substitution).
#[derive(Debug, Clone, Copy)]
pub(crate) enum When {
    /// A fixed month and day.
    Fixed(u32, u32),
    /// Days relative to (Western, Gregorian) Easter Sunday.
    Easter(i64),
    /// The `n`-th `weekday` of `month` (1-based); `n == -1` is the last one.
    Nth(u32, Weekday, i8),
    /// Buß- und Bettag: the Wednesday between 16 and 22 November.
    RepentanceDay,
    /// Koningsdag: 27 April, or 26 April when the 27th is a Sunday (since 2014).
    KingsDay,
    /// Koninginnedag: 30 April, or 29 April when the 30th is a Sunday (until 2013).
    QueensDay,
}

/// Which [`super::CalendarOverrides`] switch turns a rule off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Switch {
    /// `bavaria_assumption`: Mariä Himmelfahrt in Bavaria.
    BavariaAssumption,
}

/// One statutory holiday rule.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rule {
    pub when: When,
    /// Days to move the holiday when it falls on a Saturday / Sunday (0, 0 = never moves).
    pub shift: (i8, i8),
    pub since: i32,
    pub until: i32,
    /// When non-empty: only these years (one-off holidays).
    pub only: &'static [i32],
    /// Years in which the rule does not apply (the day was moved by a one-off rule).
    pub skip: &'static [i32],
    /// Bit mask over `Region as u32`.
    pub regions: u32,
    pub switch: Option<Switch>,
    /// English name.
    pub name: &'static str,
    /// English name when kept on a substitute/observed day.
    pub moved_name: &'static str,
    /// Name in the country's language, where it is not English.
    pub local: Option<&'static str>,
}

const ALL_REGIONS: u32 = u32::MAX;

const fn rule(when: When, name: &'static str) -> Rule {
    Rule {
        when,
        shift: (0, 0),
        since: i32::MIN,
        until: i32::MAX,
        only: &[],
        skip: &[],
        regions: ALL_REGIONS,
        switch: None,
        name,
        moved_name: name,
        local: None,
    }
}

const fn mask(regions: &[Region]) -> u32 {
    let mut m = 0;
    let mut i = 0;
    while i < regions.len() {
        m |= 1 << regions[i] as u32;
        i += 1;
    }
    m
}

impl Rule {
    const fn local(mut self, local: &'static str) -> Self {
        self.local = Some(local);
        self
    }
    const fn since(mut self, year: i32) -> Self {
        self.since = year;
        self
    }
    const fn until(mut self, year: i32) -> Self {
        self.until = year;
        self
    }
    const fn only(mut self, years: &'static [i32]) -> Self {
        self.only = years;
        self
    }
    const fn skip(mut self, years: &'static [i32]) -> Self {
        self.skip = years;
        self
    }
    const fn lands(mut self, regions: &[Region]) -> Self {
        self.regions = mask(regions);
        self
    }
    const fn switch(mut self, switch: Switch) -> Self {
        self.switch = Some(switch);
        self
    }
    /// Moves the day by `sat` / `sun` days when it falls on a Saturday / Sunday.
    const fn moved(mut self, sat: i8, sun: i8, moved_name: &'static str) -> Self {
        self.shift = (sat, sun);
        self.moved_name = moved_name;
        self
    }

    /// Whether the rule is in force in `year` (the holiday's own year) for `region`.
    #[inline]
    fn applies(&self, region: Region, year: i32, bavaria_assumption: bool) -> bool {
        self.regions & (1 << region as u32) != 0
            && year >= self.since
            && year <= self.until
            && (self.only.is_empty() || self.only.contains(&year))
            && !self.skip.contains(&year)
            && match self.switch {
                None => true,
                Some(Switch::BavariaAssumption) => bavaria_assumption,
            }
    }

    /// The day the holiday is kept for holiday-year `year` (after substitution; a US New
    /// Year's Day on a Saturday is kept on 31 December of the year before), and whether it
    /// was moved.
    pub(crate) fn date_for(&self, year: i32) -> Option<(NaiveDate, bool)> {
        let date = match self.when {
            When::Fixed(m, d) => NaiveDate::from_ymd_opt(year, m, d)?,
            When::Easter(offset) => {
                let (m, d) = easter(year);
                let e = NaiveDate::from_ymd_opt(year, m, d)?;
                add_signed(e, offset)?
            }
            When::Nth(month, weekday, n) => nth_weekday(year, month, weekday, n)?,
            When::RepentanceDay => {
                let nov16 = NaiveDate::from_ymd_opt(year, 11, 16)?;
                let ahead = (7 + 2 - nov16.weekday().num_days_from_monday() as i64) % 7;
                add_signed(nov16, ahead)?
            }
            When::KingsDay => {
                let d = NaiveDate::from_ymd_opt(year, 4, 27)?;
                if d.weekday() == Weekday::Sun {
                    d.pred_opt()?
                } else {
                    d
                }
            }
            When::QueensDay => {
                let d = NaiveDate::from_ymd_opt(year, 4, 30)?;
                if d.weekday() == Weekday::Sun {
                    d.pred_opt()?
                } else {
                    d
                }
            }
        };
        let by = match date.weekday() {
            Weekday::Sat => self.shift.0,
            Weekday::Sun => self.shift.1,
            _ => 0,
        };
        if by == 0 {
            Some((date, false))
        } else {
            Some((add_signed(date, by as i64)?, true))
        }
    }
}

fn add_signed(date: NaiveDate, days: i64) -> Option<NaiveDate> {
    if days >= 0 {
        date.checked_add_days(Days::new(days as u64))
    } else {
        date.checked_sub_days(Days::new(days.unsigned_abs()))
    }
}

fn nth_weekday(year: i32, month: u32, weekday: Weekday, n: i8) -> Option<NaiveDate> {
    if n > 0 {
        NaiveDate::from_weekday_of_month_opt(year, month, weekday, n as u8)
    } else {
        // Last: step back from the first of the next month.
        let (ny, nm) = if month == 12 {
            (year + 1, 1)
        } else {
            (year, month + 1)
        };
        let first_next = NaiveDate::from_ymd_opt(ny, nm, 1)?;
        let last = first_next.pred_opt()?;
        let back = (7 + last.weekday().num_days_from_monday() as i64
            - weekday.num_days_from_monday() as i64)
            % 7;
        add_signed(last, -back)
    }
}

/// Easter Sunday (Gregorian calendar) as (month, day): the anonymous Gregorian algorithm
/// (Meeus/Jones/Butcher), valid for every Gregorian year; Euclidean division keeps it correct
/// for the proleptic years chrono allows.
pub(crate) fn easter(year: i32) -> (u32, u32) {
    let y = year as i64;
    let a = y.rem_euclid(19);
    let b = y.div_euclid(100);
    let c = y.rem_euclid(100);
    let d = b.div_euclid(4);
    let e = b.rem_euclid(4);
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c.div_euclid(4);
    let k = c.rem_euclid(4);
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l).div_euclid(451);
    let n = h + l - 7 * m + 114;
    ((n / 31) as u32, (n % 31 + 1) as u32)
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Day of the year of Easter Sunday.
fn easter_ordinal(year: i32) -> i64 {
    let (m, d) = easter(year);
    let before_march = 31 + 28 + is_leap(year) as i64;
    before_march + if m == 4 { 31 } else { 0 } + d as i64
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 => 28 + is_leap(year) as u32,
        _ => 31,
    }
}

/// A date broken into the parts the rules compare, computed once per lookup.
struct Probe {
    date: NaiveDate,
    year: i32,
    month: u32,
    day: u32,
    weekday: Weekday,
    /// Day of the year of Easter, computed on first use.
    easter: Option<i64>,
}

impl Probe {
    fn new(date: NaiveDate) -> Self {
        Probe {
            date,
            year: date.year(),
            month: date.month(),
            day: date.day(),
            weekday: date.weekday(),
            easter: None,
        }
    }

    /// Whether `rule` (already known to apply in the probe's year) falls on the probe's
    /// date, without substitution.
    #[inline]
    fn hits_unmoved(&mut self, when: When) -> bool {
        match when {
            When::Fixed(m, d) => self.month == m && self.day == d,
            When::Easter(offset) => {
                // Easter-2 .. Easter+60 lies between 20 March and 24 June.
                if !(3..=6).contains(&self.month) {
                    return false;
                }
                let year = self.year;
                let e = *self.easter.get_or_insert_with(|| easter_ordinal(year));
                self.date.ordinal() as i64 == e + offset
            }
            When::Nth(month, weekday, n) => {
                self.month == month
                    && self.weekday == weekday
                    && if n > 0 {
                        (self.day - 1) / 7 + 1 == n as u32
                    } else {
                        self.day + 7 > days_in_month(self.year, month)
                    }
            }
            When::RepentanceDay => {
                self.month == 11 && self.weekday == Weekday::Wed && (16..=22).contains(&self.day)
            }
            When::KingsDay => {
                self.month == 4
                    && ((self.day == 27 && self.weekday != Weekday::Sun)
                        || (self.day == 26 && self.weekday == Weekday::Sat))
            }
            When::QueensDay => {
                self.month == 4
                    && ((self.day == 30 && self.weekday != Weekday::Sun)
                        || (self.day == 29 && self.weekday == Weekday::Sat))
            }
        }
    }
}

/// The statutory holiday kept on `date` in `region`, if any, and whether it is a
/// substitute/observed day. Never allocates.
pub(crate) fn builtin_on(
    region: Region,
    date: NaiveDate,
    bavaria_assumption: bool,
) -> Option<(&'static Rule, bool)> {
    let mut probe = Probe::new(date);
    for rule in table(region) {
        if rule.shift == (0, 0) {
            if rule.applies(region, probe.year, bavaria_assumption) && probe.hits_unmoved(rule.when)
            {
                return Some((rule, false));
            }
            continue;
        }
        // Movable by substitution: only fixed dates move, by at most two days either way,
        // so only a date in the same month, or 31 December for 1 January, can match.
        let When::Fixed(m, d) = rule.when else {
            continue;
        };
        let holiday_year = if m == 1 && probe.month == 12 {
            probe.year + 1
        } else {
            probe.year
        };
        let near = probe.month == m || (m == 1 && d <= 2 && probe.month == 12 && probe.day >= 30);
        if near && rule.applies(region, holiday_year, bavaria_assumption) {
            if let Some((kept, moved)) = rule.date_for(holiday_year) {
                if kept == date {
                    return Some((rule, moved));
                }
            }
        }
    }
    None
}

/// Every statutory holiday kept in calendar year `year` in `region`, unsorted.
pub(crate) fn builtin_in_year(
    region: Region,
    year: i32,
    bavaria_assumption: bool,
) -> impl Iterator<Item = (NaiveDate, &'static Rule, bool)> {
    table(region).iter().flat_map(move |rule| {
        [year, year + 1].into_iter().filter_map(move |y| {
            if !rule.applies(region, y, bavaria_assumption) {
                return None;
            }
            let (date, moved) = rule.date_for(y)?;
            (date.year() == year).then_some((date, rule, moved))
        })
    })
}

fn table(region: Region) -> &'static [Rule] {
    match region.country() {
        "DE" => GERMANY,
        "NL" => NETHERLANDS,
        "GB" => ENGLAND_AND_WALES,
        "US" => UNITED_STATES,
        _ => BRAZIL,
    }
}

use Region::*;
use Weekday::{Mon, Thu};

/// Germany: nationwide days, then Land-specific ones (RULES.md §1).
static GERMANY: &[Rule] = &[
    rule(When::Fixed(1, 1), "New Year's Day").local("Neujahr"),
    rule(When::Fixed(1, 6), "Epiphany")
        .local("Heilige Drei Könige")
        .lands(&[DeBw, DeBy, DeSt]),
    rule(When::Fixed(3, 8), "International Women's Day")
        .local("Internationaler Frauentag")
        .lands(&[DeBe])
        .since(2019),
    rule(When::Fixed(3, 8), "International Women's Day")
        .local("Internationaler Frauentag")
        .lands(&[DeMv])
        .since(2023),
    rule(When::Easter(-2), "Good Friday").local("Karfreitag"),
    rule(When::Easter(1), "Easter Monday").local("Ostermontag"),
    rule(When::Fixed(5, 1), "Labour Day").local("Tag der Arbeit"),
    rule(When::Fixed(5, 8), "Liberation Day")
        .local("Tag der Befreiung")
        .lands(&[DeBe])
        .only(&[2020, 2025]),
    rule(When::Easter(39), "Ascension Day").local("Christi Himmelfahrt"),
    rule(When::Easter(50), "Whit Monday").local("Pfingstmontag"),
    rule(When::Easter(60), "Corpus Christi")
        .local("Fronleichnam")
        .lands(&[DeBw, DeBy, DeHe, DeNw, DeRp, DeSl]),
    rule(When::Fixed(8, 15), "Assumption Day")
        .local("Mariä Himmelfahrt")
        .lands(&[DeSl]),
    rule(When::Fixed(8, 15), "Assumption Day")
        .local("Mariä Himmelfahrt")
        .lands(&[DeBy])
        .switch(Switch::BavariaAssumption),
    rule(When::Fixed(9, 20), "World Children's Day")
        .local("Weltkindertag")
        .lands(&[DeTh])
        .since(2019),
    rule(When::Fixed(10, 3), "Day of German Unity")
        .local("Tag der Deutschen Einheit")
        .since(1990),
    rule(When::Fixed(10, 31), "Reformation Day")
        .local("Reformationstag")
        .lands(&[DeBb, DeMv, DeSn, DeSt, DeTh]),
    rule(When::Fixed(10, 31), "Reformation Day")
        .local("Reformationstag")
        .lands(&[DeHb, DeHh, DeNi, DeSh])
        .since(2018),
    rule(When::Fixed(11, 1), "All Saints' Day")
        .local("Allerheiligen")
        .lands(&[DeBw, DeBy, DeNw, DeRp, DeSl]),
    rule(When::RepentanceDay, "Day of Repentance and Prayer")
        .local("Buß- und Bettag")
        .lands(&[DeSn]),
    rule(When::Fixed(12, 25), "Christmas Day").local("1. Weihnachtsfeiertag"),
    rule(When::Fixed(12, 26), "Boxing Day").local("2. Weihnachtsfeiertag"),
];

/// The Netherlands: Algemene termijnenwet Art. 3 as listed in RULES.md §1.
static NETHERLANDS: &[Rule] = &[
    rule(When::Fixed(1, 1), "New Year's Day").local("Nieuwjaarsdag"),
    rule(When::Easter(-2), "Good Friday").local("Goede Vrijdag"),
    rule(When::Easter(1), "Easter Monday").local("Tweede Paasdag"),
    rule(When::KingsDay, "King's Day")
        .local("Koningsdag")
        .since(2014),
    rule(When::QueensDay, "Queen's Day")
        .local("Koninginnedag")
        .until(2013),
    rule(When::Fixed(5, 5), "Liberation Day").local("Bevrijdingsdag"),
    rule(When::Easter(39), "Ascension Day").local("Hemelvaartsdag"),
    rule(When::Easter(50), "Whit Monday").local("Tweede Pinksterdag"),
    rule(When::Fixed(12, 25), "Christmas Day").local("Eerste Kerstdag"),
    rule(When::Fixed(12, 26), "Boxing Day").local("Tweede Kerstdag"),
];

/// England and Wales bank holidays, with substitute days and the one-offs of RULES.md §1.
static ENGLAND_AND_WALES: &[Rule] = &[
    rule(When::Fixed(1, 1), "New Year's Day").moved(2, 1, "New Year's Day (substitute day)"),
    rule(When::Easter(-2), "Good Friday"),
    rule(When::Easter(1), "Easter Monday"),
    rule(When::Nth(5, Mon, 1), "Early May bank holiday")
        .since(1978)
        .skip(&[2020]),
    rule(When::Fixed(5, 8), "Early May bank holiday (VE Day)").only(&[2020]),
    rule(When::Nth(5, Mon, -1), "Spring bank holiday").skip(&[2022]),
    rule(When::Fixed(6, 2), "Spring bank holiday").only(&[2022]),
    rule(When::Fixed(6, 3), "Platinum Jubilee bank holiday").only(&[2022]),
    rule(When::Nth(8, Mon, -1), "Summer bank holiday"),
    rule(
        When::Fixed(9, 19),
        "Bank Holiday for the State Funeral of Queen Elizabeth II",
    )
    .only(&[2022]),
    rule(
        When::Fixed(5, 8),
        "Bank holiday for the coronation of King Charles III",
    )
    .only(&[2023]),
    // 25th on Saturday: 27th and 28th; 25th on Sunday: 27th (26th is Monday);
    // 26th on Saturday: 28th.
    rule(When::Fixed(12, 25), "Christmas Day").moved(2, 2, "Christmas Day (substitute day)"),
    rule(When::Fixed(12, 26), "Boxing Day").moved(2, 2, "Boxing Day (substitute day)"),
];

/// US federal holidays, 5 U.S.C. § 6103, kept on the observed day (Saturday → Friday,
/// Sunday → Monday).
static UNITED_STATES: &[Rule] = &[
    rule(When::Fixed(1, 1), "New Year's Day").moved(-1, 1, "New Year's Day (observed)"),
    rule(When::Nth(1, Mon, 3), "Birthday of Martin Luther King, Jr.").since(1986),
    rule(When::Nth(2, Mon, 3), "Washington's Birthday"),
    rule(When::Nth(5, Mon, -1), "Memorial Day"),
    rule(When::Fixed(6, 19), "Juneteenth National Independence Day")
        .since(2021)
        .moved(-1, 1, "Juneteenth National Independence Day (observed)"),
    rule(When::Fixed(7, 4), "Independence Day").moved(-1, 1, "Independence Day (observed)"),
    rule(When::Nth(9, Mon, 1), "Labor Day"),
    rule(When::Nth(10, Mon, 2), "Columbus Day"),
    rule(When::Fixed(11, 11), "Veterans Day").moved(-1, 1, "Veterans Day (observed)"),
    rule(When::Nth(11, Thu, 4), "Thanksgiving Day"),
    rule(When::Fixed(12, 25), "Christmas Day").moved(-1, 1, "Christmas Day (observed)"),
];

/// Brazil, national holidays (Lei 662/1949 and later laws; 20 November by Lei 14.759/2023).
static BRAZIL: &[Rule] = &[
    rule(When::Fixed(1, 1), "New Year's Day").local("Confraternização Universal"),
    rule(When::Easter(-2), "Good Friday").local("Paixão de Cristo"),
    rule(When::Fixed(4, 21), "Tiradentes Day").local("Tiradentes"),
    rule(When::Fixed(5, 1), "Labour Day").local("Dia do Trabalho"),
    rule(When::Fixed(9, 7), "Independence Day").local("Independência do Brasil"),
    rule(When::Fixed(10, 12), "Our Lady of Aparecida").local("Nossa Senhora Aparecida"),
    rule(When::Fixed(11, 2), "All Souls' Day").local("Finados"),
    rule(When::Fixed(11, 15), "Republic Proclamation Day").local("Proclamação da República"),
    rule(When::Fixed(11, 20), "Black Consciousness Day")
        .local("Dia Nacional de Zumbi e da Consciência Negra")
        .since(2024),
    rule(When::Fixed(12, 25), "Christmas Day").local("Natal"),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn easter_sunday_in_known_years() {
        // Published dates, including the extremes 22 March (1818, 2285) and 25 April (1943,
        // 2038).
        for (y, m, d) in [
            (1818, 3, 22),
            (1943, 4, 25),
            (2000, 4, 23),
            (2008, 3, 23),
            (2011, 4, 24),
            (2019, 4, 21),
            (2024, 3, 31),
            (2025, 4, 20),
            (2026, 4, 5),
            (2027, 3, 28),
            (2038, 4, 25),
            (2285, 3, 22),
        ] {
            assert_eq!(easter(y), (m, d), "{y}");
            assert_eq!(ymd(y, m, d).weekday(), Weekday::Sun, "{y}");
        }
    }

    #[test]
    fn easter_ordinal_matches_chrono() {
        for y in 1583..2500 {
            let (m, d) = easter(y);
            assert_eq!(easter_ordinal(y), ymd(y, m, d).ordinal() as i64, "{y}");
        }
    }

    #[test]
    fn repentance_day_is_the_wednesday_between_16_and_22_november() {
        let r = rule(When::RepentanceDay, "x");
        assert_eq!(r.date_for(2025), Some((ymd(2025, 11, 19), false)));
        assert_eq!(r.date_for(2026), Some((ymd(2026, 11, 18), false)));
        assert_eq!(r.date_for(2028), Some((ymd(2028, 11, 22), false)));
        assert_eq!(r.date_for(2023), Some((ymd(2023, 11, 22), false)));
        assert_eq!(r.date_for(2034), Some((ymd(2034, 11, 22), false)));
        assert_eq!(r.date_for(2029), Some((ymd(2029, 11, 21), false)));
        assert_eq!(r.date_for(2027), Some((ymd(2027, 11, 17), false)));
        assert_eq!(r.date_for(2033), Some((ymd(2033, 11, 16), false)));
    }

    /// Every lookup path (`builtin_on`) agrees with the listing path (`date_for`) for every
    /// day of a long span of years, in every region, with both Bavarian settings.
    #[test]
    fn lookup_agrees_with_listing() {
        for &region in Region::ALL {
            for bav in [true, false] {
                let mut listed = std::collections::BTreeSet::new();
                for y in 1998..=2062 {
                    for (d, _, _) in builtin_in_year(region, y, bav) {
                        listed.insert(d);
                    }
                }
                let mut d = ymd(1998, 1, 1);
                while d <= ymd(2062, 12, 31) {
                    assert_eq!(
                        builtin_on(region, d, bav).is_some(),
                        listed.contains(&d),
                        "{region} {d} bavaria_assumption={bav}"
                    );
                    d = d.succ_opt().unwrap();
                }
            }
        }
    }
}
