//! The deadline engine: a pure function from (received date, clock events, jurisdiction,
//! region, calendar overrides) to due dates and an explanation of what moved them.

mod region;

pub use region::{Jurisdiction, Region};
