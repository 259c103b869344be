//! The deadline engine: a pure function from (received date, clock events, jurisdiction,
//! region, calendar overrides) to due dates and an explanation of what moved them.
//!
//! - `region.rs`: [`Jurisdiction`] (which law) and [`Region`] (whose holidays).
//! - `calendar.rs`: public holidays and working days per region, with [`CalendarOverrides`].
//! - `holidays.rs`: the statutory holiday tables and the Easter computus behind them.
//! - `engine.rs`: [`compute`], the rules of RULES.md §1, and the [`Adjustment`]s that explain
//!   a date.

mod calendar;
mod engine;
mod holidays;
mod region;

pub use calendar::{holiday_on, holidays, is_working_day, CalendarOverrides, Holiday};
pub use engine::{
    compute, Adjustment, DaysLeft, Deadline, DeadlineError, DeadlineInput, Milestone, Pause,
    PauseReason,
};
pub use region::{Jurisdiction, Region};
