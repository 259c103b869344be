//! The deadline rules of RULES.md §1 as one pure function, [`compute`]: from the day a request
//! was received, its pauses, the law and the region's calendar to the due dates, with an
//! [`Adjustment`] for everything that moved them so the UI can explain the date.
//!
//! Pauses under the CCPA and the LGPD (a **decision**, the conservative reading): neither law
//! nor regulation suspends the period while the business verifies identity or asks what is
//! meant — 11 CCR § 7021 counts the 45 days "beginning on the day the business receives the
//! request, regardless of time required to verify", and LGPD Art. 19 has no suspension at all.
//! So pauses never move a CCPA or LGPD date; they are still validated and are listed as
//! [`Adjustment::PauseIgnored`] so the user sees why the date did not move.

use std::borrow::Cow;
use std::fmt;

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};

use super::calendar::{holiday_label, is_working_day, CalendarOverrides};
use super::region::{Jurisdiction, Region};
use crate::domain::Right;

/// Why the controller stopped the clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PauseReason {
    /// Information needed to identify the subject (GDPR Art. 12(6); UK GDPR Art. 12A).
    Identity,
    /// Information needed to specify the request (Recital 63; UK "stop the clock").
    Clarification,
}

impl PauseReason {
    /// Stable spelling for the CLI, the database and JSON.
    pub fn code(self) -> &'static str {
        match self {
            PauseReason::Identity => "identity",
            PauseReason::Clarification => "clarification",
        }
    }
}

impl std::str::FromStr for PauseReason {
    type Err = crate::domain::UnknownCode;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "identity" => Ok(PauseReason::Identity),
            "clarification" => Ok(PauseReason::Clarification),
            _ => Err(crate::domain::UnknownCode {
                field: "reason",
                given: s.chars().take(40).collect(),
                allowed: "identity, clarification".into(),
            }),
        }
    }
}

impl fmt::Display for PauseReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PauseReason::Identity => "identity check",
            PauseReason::Clarification => "clarification",
        })
    }
}

/// A request from the controller to the subject that may stop the clock: asked on one day,
/// answered on another (or not yet: `received: None`, the clock is stopped now).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pause {
    /// Proof of identity was asked for.
    Identity {
        /// The day the controller asked.
        asked: NaiveDate,
        /// The day the proof arrived; `None` while it is awaited.
        received: Option<NaiveDate>,
    },
    /// The subject was asked to specify the request.
    Clarification {
        /// The day the controller asked.
        asked: NaiveDate,
        /// The day the answer arrived; `None` while it is awaited.
        received: Option<NaiveDate>,
    },
}

impl Pause {
    /// Identity check or clarification.
    pub fn reason(&self) -> PauseReason {
        match self {
            Pause::Identity { .. } => PauseReason::Identity,
            Pause::Clarification { .. } => PauseReason::Clarification,
        }
    }

    /// The day the controller asked.
    pub fn asked(&self) -> NaiveDate {
        match *self {
            Pause::Identity { asked, .. } | Pause::Clarification { asked, .. } => asked,
        }
    }

    /// The day the answer arrived, if it has.
    pub fn received(&self) -> Option<NaiveDate> {
        match *self {
            Pause::Identity { received, .. } | Pause::Clarification { received, .. } => received,
        }
    }
}

/// Everything a deadline depends on. "Today" is deliberately absent: the result is the same
/// whenever it is computed.
#[derive(Debug, Clone, Copy)]
pub struct DeadlineInput<'a> {
    /// The day the request reached any official channel (counted from that day, even a
    /// Sunday).
    pub received: NaiveDate,
    /// The law whose period applies.
    pub jurisdiction: Jurisdiction,
    /// Whose holidays roll the date; must be covered by `jurisdiction`.
    pub region: Region,
    /// The rights invoked; only the CCPA looks at them (opt-out and limit are fast-track).
    /// Empty means a standard request (CCPA: 45 days).
    pub rights: &'a [Right],
    /// The controller's identity and clarification requests, in any order.
    pub pauses: &'a [Pause],
    /// The user's changes to the region's calendar.
    pub overrides: &'a CalendarOverrides,
}

impl DeadlineInput<'static> {
    /// A request with no rights listed, no pauses and the default calendar; set the other
    /// fields with struct update syntax: `DeadlineInput { pauses: &p, ..DeadlineInput::new(..) }`.
    pub fn new(received: NaiveDate, jurisdiction: Jurisdiction, region: Region) -> Self {
        DeadlineInput {
            received,
            jurisdiction,
            region,
            rights: &[],
            pauses: &[],
            overrides: CalendarOverrides::defaults(),
        }
    }
}

/// The dates a case must meet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deadline {
    /// The day the period counts from: the received date, or under the UK GDPR the day the
    /// identity information arrived.
    pub start: NaiveDate,
    /// The answer is due by the end of this day.
    pub due: NaiveDate,
    /// The latest day to tell the subject the period is extended; `None` where the law
    /// allows no extension.
    pub extension_notice_by: Option<NaiveDate>,
    /// The due date if extended; `None` where the law allows no extension.
    pub extended_due: Option<NaiveDate>,
    /// CCPA: confirm receipt by this day (10 business days); `None` elsewhere.
    pub acknowledge_by: Option<NaiveDate>,
    /// Set while a pause is unanswered: the clock stands still since this day, and the dates
    /// above are the earliest possible ones (as if the answer had come the day it was asked).
    pub clock_stopped_since: Option<NaiveDate>,
    /// What moved the dates, in order: pauses, month-end clamping, weekends and holidays.
    pub explanation: Vec<Adjustment>,
}

/// Days until a due date; negative when it has passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DaysLeft {
    /// Calendar days from today to the due date (0 on the due date itself).
    pub calendar: i64,
    /// Working days of the region after today up to and including the due date; when
    /// overdue, minus the working days after the due date up to and including today.
    pub working: i64,
}

impl Deadline {
    /// Days left until the due date (or, with `extended`, the extended due date where there
    /// is one) as seen on `today`, counting working days in `region`'s calendar.
    pub fn days_left(
        &self,
        today: NaiveDate,
        extended: bool,
        region: Region,
        overrides: &CalendarOverrides,
    ) -> DaysLeft {
        let target = if extended {
            self.extended_due.unwrap_or(self.due)
        } else {
            self.due
        };
        let calendar = (target - today).num_days();
        let (from, to, sign) = if target >= today {
            (today, target, 1)
        } else {
            (target, today, -1)
        };
        let working = from
            .iter_days()
            .skip(1)
            .take_while(|d| *d <= to)
            .filter(|d| is_working_day(region, *d, overrides))
            .count() as i64;
        DaysLeft {
            calendar,
            working: sign * working,
        }
    }
}

/// Which date an adjustment moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Milestone {
    /// The due date (and with it the extension-notice date).
    Due,
    /// The extended due date.
    ExtendedDue,
    /// The CCPA acknowledgement date.
    Acknowledge,
}

impl fmt::Display for Milestone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Milestone::Due => "due date",
            Milestone::ExtendedDue => "extended due date",
            Milestone::Acknowledge => "acknowledgement date",
        })
    }
}

/// One reason a date is where it is; `Display` gives an English sentence for the UI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Adjustment {
    /// The start day's number does not exist in the target month, so the period ends on that
    /// month's last day (Regulation 1182/71 Art. 3(2)(c)).
    MonthEndClamped {
        /// The date moved.
        milestone: Milestone,
        /// The day the period counts from.
        start: NaiveDate,
        /// The last day of the month it ends on.
        to: NaiveDate,
    },
    /// The date fell on a weekend and moved to the next working day.
    RolledPastWeekend {
        /// The date moved.
        milestone: Milestone,
        /// First weekend day skipped.
        from: NaiveDate,
        /// Last weekend day skipped.
        to: NaiveDate,
    },
    /// The date fell on a holiday and moved to the next working day.
    RolledPastHoliday {
        /// The date moved.
        milestone: Milestone,
        /// The holiday skipped.
        date: NaiveDate,
        /// Its name.
        name: Cow<'static, str>,
    },
    /// A holiday that did not count as a business day (CCPA business-day periods).
    HolidayNotCounted {
        /// The date moved.
        milestone: Milestone,
        /// The holiday.
        date: NaiveDate,
        /// Its name.
        name: Cow<'static, str>,
    },
    /// A pause added `days` to every date.
    Paused {
        /// Identity or clarification.
        reason: PauseReason,
        /// Asked on.
        from: NaiveDate,
        /// Answered on.
        to: NaiveDate,
        /// Days added.
        days: i64,
    },
    /// A pause is unanswered: the clock stands still; dates are the earliest possible.
    ClockStopped {
        /// Identity or clarification.
        reason: PauseReason,
        /// Asked on.
        since: NaiveDate,
    },
    /// UK GDPR: the identity information arrived and the period restarts from that day.
    Restarted {
        /// The new start day.
        on: NaiveDate,
    },
    /// A pause that, under this law, does not move the dates.
    PauseIgnored {
        /// Identity or clarification.
        reason: PauseReason,
        /// Asked on.
        asked: NaiveDate,
        /// Why it is ignored.
        why: &'static str,
    },
    /// The period cannot be extended.
    NoExtension {
        /// Why not.
        why: &'static str,
    },
}

impl Adjustment {
    /// An English sentence for the UI.
    pub fn describe(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for Adjustment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Adjustment::MonthEndClamped {
                milestone,
                start,
                to,
            } => write!(
                f,
                "{milestone}: {} has no day {}, so the period ends on the last day of the \
                 month, {to}",
                to.format("%B %Y"),
                start.day()
            ),
            Adjustment::RolledPastWeekend {
                milestone,
                from,
                to,
            } if from == to => {
                write!(
                    f,
                    "{milestone}: {from} is a {}, moved to the next working day",
                    day(*from)
                )
            }
            Adjustment::RolledPastWeekend {
                milestone,
                from,
                to,
            } => write!(
                f,
                "{milestone}: {from} to {to} is a weekend, moved to the next working day"
            ),
            Adjustment::RolledPastHoliday {
                milestone,
                date,
                name,
            } => write!(
                f,
                "{milestone}: {date} is a public holiday ({name}), moved to the next working day"
            ),
            Adjustment::HolidayNotCounted {
                milestone,
                date,
                name,
            } => {
                write!(
                    f,
                    "{milestone}: {date} ({name}) is not a business day and is not counted"
                )
            }
            Adjustment::Paused {
                reason,
                from,
                to,
                days,
            } => write!(
                f,
                "{reason} asked on {from}, answered on {to}: the clock stopped for {days} \
                 day{}, added to every date",
                if *days == 1 { "" } else { "s" }
            ),
            Adjustment::ClockStopped { reason, since } => write!(
                f,
                "{reason} asked on {since} and not yet answered: the clock is stopped; the \
                 dates shown are the earliest possible"
            ),
            Adjustment::Restarted { on } => {
                write!(
                    f,
                    "identity information received on {on}: the period restarts from that day"
                )
            }
            Adjustment::PauseIgnored { reason, asked, why } => {
                write!(
                    f,
                    "{reason} asked on {asked} does not move the dates: {why}"
                )
            }
            Adjustment::NoExtension { why } => write!(f, "no extension: {why}"),
        }
    }
}

fn day(date: NaiveDate) -> &'static str {
    match date.weekday() {
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
        _ => "weekday",
    }
}

/// Why a deadline cannot be computed; each message names the field and the fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeadlineError {
    /// The region's calendar is not one of the jurisdiction's.
    #[error("region {region} is not valid for jurisdiction {jurisdiction}: use {allowed}")]
    RegionNotCovered {
        /// The law asked for.
        jurisdiction: Jurisdiction,
        /// The region given.
        region: Region,
        /// The regions that would be accepted, e.g. `US-CA`.
        allowed: String,
    },
    /// A pause was asked before the request arrived.
    #[error(
        "pause {number} ({reason}): asked date {asked} is before the request was received on \
         {received}: a pause can only start on or after the received date"
    )]
    PauseBeforeRequest {
        /// 1-based position in the pauses given.
        number: usize,
        /// Identity or clarification.
        reason: PauseReason,
        /// Asked on.
        asked: NaiveDate,
        /// The request's received date.
        received: NaiveDate,
    },
    /// A pause's answer is dated before its question.
    #[error(
        "pause {number} ({reason}): received date {answered} is before the asked date {asked}: \
         swap or correct the two dates"
    )]
    PauseAnsweredBeforeAsked {
        /// 1-based position in the pauses given.
        number: usize,
        /// Identity or clarification.
        reason: PauseReason,
        /// Asked on.
        asked: NaiveDate,
        /// Answered on.
        answered: NaiveDate,
    },
    /// Two pauses overlap (the clock can only be stopped once at a time).
    #[error(
        "pauses {first} and {second} overlap: the clock can be stopped only once at a time; \
         end the earlier pause (its received date) on or before the later one's asked date, or \
         merge them"
    )]
    OverlappingPauses {
        /// 1-based position of one pause.
        first: usize,
        /// 1-based position of the other.
        second: usize,
    },
    /// A date fell outside the range of dates that can be represented.
    #[error(
        "the {what} computed from {from} is outside the supported date range: check the \
         received and pause dates"
    )]
    DateOutOfRange {
        /// Which date could not be computed.
        what: &'static str,
        /// The date it was computed from.
        from: NaiveDate,
    },
}

/// Computes the dates of a request under its jurisdiction's rules (RULES.md §1).
pub fn compute(input: &DeadlineInput<'_>) -> Result<Deadline, DeadlineError> {
    if !input.jurisdiction.covers(input.region) {
        let allowed: Vec<&str> = input.jurisdiction.regions().map(Region::code).collect();
        let allowed = if allowed.len() == 1 {
            allowed[0].to_string()
        } else {
            format!("one of {}", allowed.join(", "))
        };
        return Err(DeadlineError::RegionNotCovered {
            jurisdiction: input.jurisdiction,
            region: input.region,
            allowed,
        });
    }
    check_pauses(input.received, input.pauses)?;
    let mut cx = Cx {
        region: input.region,
        overrides: input.overrides,
        out: Vec::new(),
    };
    let deadline = match input.jurisdiction {
        Jurisdiction::Gdpr => gdpr(input, &mut cx)?,
        Jurisdiction::UkGdpr => uk_gdpr(input, &mut cx)?,
        Jurisdiction::Ccpa => ccpa(input, &mut cx)?,
        Jurisdiction::Lgpd => lgpd(input, &mut cx)?,
    };
    Ok(Deadline {
        explanation: cx.out,
        ..deadline
    })
}

fn check_pauses(received: NaiveDate, pauses: &[Pause]) -> Result<(), DeadlineError> {
    for (i, p) in pauses.iter().enumerate() {
        if p.asked() < received {
            return Err(DeadlineError::PauseBeforeRequest {
                number: i + 1,
                reason: p.reason(),
                asked: p.asked(),
                received,
            });
        }
        if let Some(answered) = p.received() {
            if answered < p.asked() {
                return Err(DeadlineError::PauseAnsweredBeforeAsked {
                    number: i + 1,
                    reason: p.reason(),
                    asked: p.asked(),
                    answered,
                });
            }
        }
    }
    // Pauses as half-open spans [asked, received): one may begin the day another ends.
    // An open pause runs to the end of time.
    let span = |p: &Pause| (p.asked(), p.received().unwrap_or(NaiveDate::MAX));
    for (i, a) in pauses.iter().enumerate() {
        for (j, b) in pauses.iter().enumerate().skip(i + 1) {
            let ((a0, a1), (b0, b1)) = (span(a), span(b));
            if a0 < b1 && b0 < a1 {
                return Err(DeadlineError::OverlappingPauses {
                    first: i + 1,
                    second: j + 1,
                });
            }
        }
    }
    Ok(())
}

/// The calendar and the explanation being written.
struct Cx<'a> {
    region: Region,
    overrides: &'a CalendarOverrides,
    out: Vec<Adjustment>,
}

impl Cx<'_> {
    /// `start` plus `months` calendar months (clamped to the month's end, never month by
    /// month), plus `extra` days of pauses, rolled to the next working day.
    fn months_later(
        &mut self,
        start: NaiveDate,
        months: u32,
        extra: i64,
        milestone: Milestone,
    ) -> Result<NaiveDate, DeadlineError> {
        let what = milestone_name(milestone);
        let end = start
            .checked_add_months(Months::new(months))
            .ok_or(DeadlineError::DateOutOfRange { what, from: start })?;
        if end.day() != start.day() {
            self.out.push(Adjustment::MonthEndClamped {
                milestone,
                start,
                to: end,
            });
        }
        let end = add_days(end, extra, what)?;
        self.roll(end, milestone)
    }

    /// The next working day on or after `date`, explaining every day skipped.
    fn roll(&mut self, date: NaiveDate, milestone: Milestone) -> Result<NaiveDate, DeadlineError> {
        let mut d = date;
        let mut weekend: Option<(NaiveDate, NaiveDate)> = None;
        loop {
            let is_weekend = matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
            if let Some(name) = holiday_label(self.region, d, self.overrides) {
                self.flush_weekend(&mut weekend, milestone);
                self.out.push(Adjustment::RolledPastHoliday {
                    milestone,
                    date: d,
                    name,
                });
            } else if is_weekend {
                weekend = Some((weekend.map_or(d, |w| w.0), d));
            } else {
                self.flush_weekend(&mut weekend, milestone);
                return Ok(d);
            }
            d = d.succ_opt().ok_or(DeadlineError::DateOutOfRange {
                what: milestone_name(milestone),
                from: date,
            })?;
        }
    }

    fn flush_weekend(
        &mut self,
        weekend: &mut Option<(NaiveDate, NaiveDate)>,
        milestone: Milestone,
    ) {
        if let Some((from, to)) = weekend.take() {
            self.out.push(Adjustment::RolledPastWeekend {
                milestone,
                from,
                to,
            });
        }
    }

    /// The `n`-th business day after `from` (the day of receipt is not counted).
    fn business_days_after(
        &mut self,
        from: NaiveDate,
        n: u32,
        milestone: Milestone,
    ) -> Result<NaiveDate, DeadlineError> {
        let mut d = from;
        let mut counted = 0;
        while counted < n {
            d = d.succ_opt().ok_or(DeadlineError::DateOutOfRange {
                what: milestone_name(milestone),
                from,
            })?;
            if matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
                continue;
            }
            if let Some(name) = holiday_label(self.region, d, self.overrides) {
                self.out.push(Adjustment::HolidayNotCounted {
                    milestone,
                    date: d,
                    name,
                });
                continue;
            }
            counted += 1;
        }
        Ok(d)
    }
}

fn milestone_name(m: Milestone) -> &'static str {
    match m {
        Milestone::Due => "due date",
        Milestone::ExtendedDue => "extended due date",
        Milestone::Acknowledge => "acknowledgement date",
    }
}

fn add_days(date: NaiveDate, days: i64, what: &'static str) -> Result<NaiveDate, DeadlineError> {
    date.checked_add_days(Days::new(days.max(0) as u64))
        .ok_or(DeadlineError::DateOutOfRange { what, from: date })
}

/// EU GDPR: one month (three if extended) from receipt; pauses add (received − asked) days to
/// the unrolled dates; then roll to the next working day.
fn gdpr(input: &DeadlineInput<'_>, cx: &mut Cx<'_>) -> Result<Deadline, DeadlineError> {
    let start = input.received;
    let mut paused = 0i64;
    let mut clock_stopped_since = None;
    for p in input.pauses {
        match p.received() {
            Some(answered) => {
                let days = (answered - p.asked()).num_days();
                paused += days;
                cx.out.push(Adjustment::Paused {
                    reason: p.reason(),
                    from: p.asked(),
                    to: answered,
                    days,
                });
            }
            None => {
                clock_stopped_since = Some(p.asked());
                cx.out.push(Adjustment::ClockStopped {
                    reason: p.reason(),
                    since: p.asked(),
                });
            }
        }
    }
    let due = cx.months_later(start, 1, paused, Milestone::Due)?;
    let extended = cx.months_later(start, 3, paused, Milestone::ExtendedDue)?;
    Ok(Deadline {
        start,
        due,
        extension_notice_by: Some(due),
        extended_due: Some(extended),
        acknowledge_by: None,
        clock_stopped_since,
        explanation: Vec::new(),
    })
}

/// UK GDPR: identity restarts the period from the day it arrives (the latest one counts);
/// clarification stops the clock for the days from asking up to and including the answer.
///
/// Two edge cases decided here: a clarification that ended before the period restarted is
/// ignored (the restart wipes it); and the start day itself is never a counted day, so a
/// clarification asked on the start day stops the clock from the day after.
fn uk_gdpr(input: &DeadlineInput<'_>, cx: &mut Cx<'_>) -> Result<Deadline, DeadlineError> {
    let mut start = input.received;
    let mut clock_stopped_since = None;
    let latest_identity = input
        .pauses
        .iter()
        .filter(|p| p.reason() == PauseReason::Identity)
        .max_by_key(|p| p.asked());
    for p in input
        .pauses
        .iter()
        .filter(|p| p.reason() == PauseReason::Identity)
    {
        if Some(p) != latest_identity {
            cx.out.push(Adjustment::PauseIgnored {
                reason: PauseReason::Identity,
                asked: p.asked(),
                why: "a later identity request restarted the period",
            });
            continue;
        }
        if p.received().is_none() {
            clock_stopped_since = Some(p.asked());
            cx.out.push(Adjustment::ClockStopped {
                reason: PauseReason::Identity,
                since: p.asked(),
            });
        }
        start = p.received().unwrap_or(p.asked());
        cx.out.push(Adjustment::Restarted { on: start });
    }
    let mut stopped = 0i64;
    for p in input
        .pauses
        .iter()
        .filter(|p| p.reason() == PauseReason::Clarification)
    {
        if p.asked() < start {
            cx.out.push(Adjustment::PauseIgnored {
                reason: PauseReason::Clarification,
                asked: p.asked(),
                why: "it ended before the period restarted",
            });
            continue;
        }
        let answered = match p.received() {
            Some(answered) => answered,
            None => {
                clock_stopped_since = Some(p.asked());
                cx.out.push(Adjustment::ClockStopped {
                    reason: PauseReason::Clarification,
                    since: p.asked(),
                });
                p.asked()
            }
        };
        let first_counted = p.asked().max(start.succ_opt().unwrap_or(start));
        let days = if answered >= first_counted {
            (answered - first_counted).num_days() + 1
        } else {
            0
        };
        stopped += days;
        cx.out.push(Adjustment::Paused {
            reason: PauseReason::Clarification,
            from: p.asked(),
            to: answered,
            days,
        });
    }
    let due = cx.months_later(start, 1, stopped, Milestone::Due)?;
    let extended = cx.months_later(start, 3, stopped, Milestone::ExtendedDue)?;
    Ok(Deadline {
        start,
        due,
        extension_notice_by: Some(due),
        extended_due: Some(extended),
        acknowledge_by: None,
        clock_stopped_since,
        explanation: Vec::new(),
    })
}

const CCPA_PAUSE: &str = "under the CCPA the period runs from receipt, whatever the time \
                          needed to verify or clarify (11 CCR § 7021)";
const LGPD_PAUSE: &str = "LGPD Art. 19 provides no suspension of the 15 days";

/// CCPA: know/delete/correct (and any right that is not fast-track) 45 calendar days,
/// extendable to 90, acknowledged within 10 business days; opt-out/limit 15 business days,
/// not extendable. Calendar-day dates are not rolled. With several rights the earliest due
/// date wins, and no extension is offered once a fast-track right is part of the request
/// (the opt-out part cannot be extended, and one case has one extended due date).
fn ccpa(input: &DeadlineInput<'_>, cx: &mut Cx<'_>) -> Result<Deadline, DeadlineError> {
    for p in input.pauses {
        cx.out.push(Adjustment::PauseIgnored {
            reason: p.reason(),
            asked: p.asked(),
            why: CCPA_PAUSE,
        });
    }
    let received = input.received;
    let fast = input.rights.iter().any(|r| r.is_ccpa_fast_track());
    let standard = input.rights.is_empty() || input.rights.iter().any(|r| !r.is_ccpa_fast_track());
    let mut due: Option<NaiveDate> = None;
    let mut acknowledge_by = None;
    let mut extended_due = None;
    if standard {
        due = Some(add_days(received, 45, "due date")?);
        acknowledge_by = Some(cx.business_days_after(received, 10, Milestone::Acknowledge)?);
        if !fast {
            extended_due = Some(add_days(received, 90, "extended due date")?);
        }
    }
    if fast {
        let quick = cx.business_days_after(received, 15, Milestone::Due)?;
        due = Some(due.map_or(quick, |d| d.min(quick)));
        cx.out.push(Adjustment::NoExtension {
            why: "opt-out and limit requests must be answered within 15 business days \
                  (11 CCR § 7026)",
        });
    }
    let due = due.unwrap_or(received);
    Ok(Deadline {
        start: received,
        due,
        extension_notice_by: extended_due.map(|_| due),
        extended_due,
        acknowledge_by,
        clock_stopped_since: None,
        explanation: Vec::new(),
    })
}

/// LGPD: 15 days from the request, rolled to the next business day; no extension.
fn lgpd(input: &DeadlineInput<'_>, cx: &mut Cx<'_>) -> Result<Deadline, DeadlineError> {
    for p in input.pauses {
        cx.out.push(Adjustment::PauseIgnored {
            reason: p.reason(),
            asked: p.asked(),
            why: LGPD_PAUSE,
        });
    }
    let due = add_days(input.received, 15, "due date")?;
    let due = cx.roll(due, Milestone::Due)?;
    cx.out.push(Adjustment::NoExtension {
        why: "LGPD Art. 19 II sets 15 days with no extension",
    });
    Ok(Deadline {
        start: input.received,
        due,
        extension_notice_by: None,
        extended_due: None,
        acknowledge_by: None,
        clock_stopped_since: None,
        explanation: Vec::new(),
    })
}
