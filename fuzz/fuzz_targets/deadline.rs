//! `dsar::deadline::compute` on arbitrary inputs: any received date chrono can hold, any law
//! and region (covered or not), any rights, pauses in any order (overlapping, reversed, open)
//! and any calendar overrides. Every input gives dates or a `DeadlineError` — never a panic
//! or an overflow — and the dates it gives are in order. The explanation, `days_left` and the
//! holiday tables of the years involved are exercised too.
#![no_main]

use arbitrary::Arbitrary;
use chrono::{Datelike, Days, NaiveDate};
use dsar::deadline::{self, CalendarOverrides, DeadlineInput, Jurisdiction, Pause, Region};
use dsar::domain::Right;
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Input {
    /// Days from 0001-01-01; folded into 1990–2100 unless `extreme`.
    received: i32,
    extreme: bool,
    jurisdiction: u8,
    region: u8,
    rights: Vec<u8>,
    pauses: Vec<PauseIn>,
    added: Vec<(i16, String)>,
    removed: Vec<i16>,
    bavaria_assumption: bool,
    /// "Today" for `days_left`, days from the received date (folded into ±2 years: each day
    /// between today and the due date is a working-day lookup).
    today: i16,
    extended: bool,
}

#[derive(Debug, Arbitrary)]
struct PauseIn {
    identity: bool,
    /// Days after the received date (negative: before it, which must be refused).
    asked: i16,
    /// Days after the asked date; `None` while awaited.
    answered: Option<i16>,
}

/// `base` moved by `days` (either sign), if chrono can hold the result.
fn shift(base: NaiveDate, days: i64) -> Option<NaiveDate> {
    if days >= 0 {
        base.checked_add_days(Days::new(days as u64))
    } else {
        base.checked_sub_days(Days::new(days.unsigned_abs()))
    }
}

fuzz_target!(|input: Input| {
    let _ = dsar_fuzz::MAX_ALLOCATION;
    let days = if input.extreme {
        input.received
    } else {
        // 1990-01-01 is day 726 468 from 0001-01-01; 40 177 days reach 2100.
        726_468 + input.received.rem_euclid(40_177)
    };
    let Some(received) = NaiveDate::from_num_days_from_ce_opt(days) else { return };
    let jurisdiction = Jurisdiction::ALL[usize::from(input.jurisdiction) % Jurisdiction::ALL.len()];
    let region = Region::ALL[usize::from(input.region) % Region::ALL.len()];
    let rights: Vec<Right> = input.rights.iter().map(|r| Right::ALL[usize::from(*r) % Right::ALL.len()]).collect();
    let mut pauses = Vec::new();
    for p in &input.pauses {
        let Some(asked) = shift(received, i64::from(p.asked)) else { return };
        let answered = match p.answered {
            Some(d) => match shift(asked, i64::from(d)) {
                Some(a) => Some(a),
                None => return,
            },
            None => None,
        };
        pauses.push(if p.identity {
            Pause::Identity { asked, received: answered }
        } else {
            Pause::Clarification { asked, received: answered }
        });
    }
    let mut overrides = CalendarOverrides {
        added: Vec::new(),
        removed: Vec::new(),
        bavaria_assumption: input.bavaria_assumption,
    };
    for (d, name) in &input.added {
        if let Some(day) = shift(received, i64::from(*d)) {
            overrides.added.push((day, name.clone()));
        }
    }
    for d in &input.removed {
        if let Some(day) = shift(received, i64::from(*d)) {
            overrides.removed.push(day);
        }
    }
    let dl_input = DeadlineInput { received, jurisdiction, region, rights: &rights, pauses: &pauses, overrides: &overrides };
    match deadline::compute(&dl_input) {
        Ok(dl) => {
            assert!(dl.start <= dl.due, "due {} before start {}", dl.due, dl.start);
            if let Some(ext) = dl.extended_due {
                assert!(dl.due <= ext, "extended due {ext} before due {}", dl.due);
            }
            for a in &dl.explanation {
                let _ = a.describe();
                let _ = a.to_string();
            }
            if let Some(today) = shift(received, i64::from(input.today % 730)) {
                let left = dl.days_left(today, input.extended, region, &overrides);
                assert!(left.working.abs() <= left.calendar.abs(), "more working than calendar days: {left:?}");
            }
            for year in [received.year(), dl.due.year()] {
                let _ = deadline::holidays(region, year, &overrides);
            }
            let _ = deadline::holiday_on(region, dl.due, &overrides);
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
