//! What the CLI prints: JSON wire shapes (SPEC §8 keys) and human tables. The core's types
//! stay free of serde; these are their serializable counterparts.

use chrono::NaiveDate;
use serde::Serialize;

use dsar::cases::{Case, CaseSummary};
use dsar::deadline::Deadline;

#[derive(Serialize)]
pub struct DeadlineJson {
    pub due: NaiveDate,
    pub extension_notice_by: Option<NaiveDate>,
    pub extended_due: Option<NaiveDate>,
    pub acknowledge_by: Option<NaiveDate>,
    pub start: NaiveDate,
    pub clock_stopped_since: Option<NaiveDate>,
    pub jurisdiction: String,
    pub region: String,
    pub explanation: Vec<String>,
}

impl DeadlineJson {
    pub fn new(dl: &Deadline, jurisdiction: &str, region: &str) -> DeadlineJson {
        DeadlineJson {
            due: dl.due,
            extension_notice_by: dl.extension_notice_by,
            extended_due: dl.extended_due,
            acknowledge_by: dl.acknowledge_by,
            start: dl.start,
            clock_stopped_since: dl.clock_stopped_since,
            jurisdiction: jurisdiction.into(),
            region: region.into(),
            explanation: dl.explanation.iter().map(|a| a.to_string()).collect(),
        }
    }
}

#[derive(Serialize)]
pub struct IdentifierJson {
    pub kind: String,
    pub value: String,
}

#[derive(Serialize)]
pub struct SubjectJson {
    pub name: String,
    pub address: Vec<String>,
    pub identifiers: Vec<IdentifierJson>,
}

#[derive(Serialize)]
pub struct PauseJson {
    pub reason: &'static str,
    pub asked: NaiveDate,
    pub received: Option<NaiveDate>,
}

#[derive(Serialize)]
pub struct DaysLeftJson {
    pub calendar: i64,
    pub working: i64,
}

#[derive(Serialize)]
pub struct CaseJson {
    pub id: String,
    pub reference: String,
    pub rights: Vec<&'static str>,
    pub status: &'static str,
    pub outcome: Option<&'static str>,
    pub channel: &'static str,
    pub received: NaiveDate,
    pub jurisdiction: &'static str,
    pub region: &'static str,
    pub language: &'static str,
    pub due: NaiveDate,
    pub extended_due: Option<NaiveDate>,
    pub extension_notice_by: Option<NaiveDate>,
    pub acknowledge_by: Option<NaiveDate>,
    pub extended_on: Option<NaiveDate>,
    pub extension_reason: Option<String>,
    /// The date that counts now.
    pub effective_due: NaiveDate,
    pub clock_stopped_since: Option<NaiveDate>,
    pub days_left: Option<DaysLeftJson>,
    pub closed_on: Option<NaiveDate>,
    pub pauses: Vec<PauseJson>,
    pub explanation: Vec<String>,
    pub subject: SubjectJson,
    /// Identifiers pulls found on the way (SPEC §11), filled in by `case show`.
    pub yielded: Vec<super::yields::YieldedJson>,
}

impl CaseJson {
    pub fn new(c: &Case, dl: &Deadline, days_left: Option<(i64, i64)>) -> CaseJson {
        use dsar::deadline::Pause;
        CaseJson {
            id: c.id.clone(),
            reference: c.reference.to_string(),
            rights: c.rights.iter().map(|r| r.code()).collect(),
            status: c.status.code(),
            outcome: c.outcome.map(|o| o.code()),
            channel: c.channel.code(),
            received: c.received,
            jurisdiction: c.jurisdiction.code(),
            region: c.region.code(),
            language: c.language.code(),
            due: dl.due,
            extended_due: if c.extended_on.is_some() { dl.extended_due } else { None },
            extension_notice_by: dl.extension_notice_by,
            acknowledge_by: dl.acknowledge_by,
            extended_on: c.extended_on,
            extension_reason: c.extension_reason.clone(),
            effective_due: c.effective_due(dl),
            clock_stopped_since: dl.clock_stopped_since,
            days_left: days_left.map(|(calendar, working)| DaysLeftJson { calendar, working }),
            closed_on: c.closed_on,
            pauses: c
                .pauses
                .iter()
                .map(|p| match p {
                    Pause::Identity { asked, received } => PauseJson { reason: "identity", asked: *asked, received: *received },
                    Pause::Clarification { asked, received } => PauseJson { reason: "clarification", asked: *asked, received: *received },
                })
                .collect(),
            explanation: dl.explanation.iter().map(|a| a.to_string()).collect(),
            subject: SubjectJson {
                name: c.subject.name.clone(),
                address: c.subject.address.clone(),
                identifiers: c.subject.identifiers.iter().map(|i| IdentifierJson { kind: i.kind.key().to_string(), value: i.value.clone() }).collect(),
            },
            yielded: Vec::new(),
        }
    }
}

#[derive(Serialize)]
pub struct SummaryJson {
    pub reference: String,
    pub status: &'static str,
    pub rights: Vec<&'static str>,
    pub subject_name: String,
    pub received: NaiveDate,
    pub due: NaiveDate,
    pub extended: bool,
    pub days_left: i64,
    pub overdue: bool,
    pub outcome: Option<&'static str>,
    pub jurisdiction: &'static str,
    pub region: &'static str,
}

impl SummaryJson {
    pub fn new(s: &CaseSummary) -> SummaryJson {
        SummaryJson {
            reference: s.reference.clone(),
            status: s.status.code(),
            rights: s.rights.iter().map(|r| r.code()).collect(),
            subject_name: s.subject_name.clone(),
            received: s.received,
            due: s.due,
            extended: s.extended,
            days_left: s.days_left,
            overdue: s.is_overdue(),
            outcome: s.outcome.map(|o| o.code()),
            jurisdiction: s.jurisdiction.code(),
            region: s.region.code(),
        }
    }
}

/// "12 days left", "due today", "3 days overdue", "paused", "closed (fulfilled)".
pub fn left_text(s: &CaseSummary) -> String {
    if !s.status.is_open() {
        return format!("closed ({})", s.outcome.map(|o| o.code()).unwrap_or("-"));
    }
    if s.status.is_paused() {
        return "clock paused".into();
    }
    match s.days_left {
        0 => "due today".into(),
        1 => "1 day left".into(),
        n if n > 1 => format!("{n} days left"),
        -1 => "1 day OVERDUE".into(),
        n => format!("{} days OVERDUE", -n),
    }
}

fn cut(s: &str, n: usize) -> String {
    let s = printable(s);
    if s.chars().count() <= n {
        s
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('…');
        t
    }
}

/// Text for the terminal with control characters shown as `\u{1b}` escapes: a name from a
/// file or an older desk must not move the cursor, recolour or retitle the user's terminal.
pub fn printable(s: &str) -> String {
    s.chars().flat_map(|c| if c.is_control() { c.escape_unicode().collect::<Vec<_>>() } else { vec![c] }).collect()
}

pub fn print_table(items: &[CaseSummary]) {
    println!("{:<15} {:<22} {:<22} {:<24} {:<10} {:<10} LEFT", "REFERENCE", "STATUS", "RIGHTS", "SUBJECT", "RECEIVED", "DUE");
    for s in items {
        let rights: Vec<&str> = s.rights.iter().map(|r| r.code()).collect();
        println!(
            "{:<15} {:<22} {:<22} {:<24} {:<10} {:<10} {}",
            s.reference,
            s.status.code(),
            cut(&rights.join(","), 22),
            cut(&s.subject_name, 24),
            s.received,
            s.due,
            left_text(s)
        );
    }
}
