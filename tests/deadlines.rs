//! Deadline engine against the legal test vectors (tests/data/*.csv), the error contract, and
//! the German holiday tables against an independent oracle (the `holiday_de` crate).

use std::collections::BTreeSet;
use std::path::Path;

use chrono::{Datelike, NaiveDate};
use dsar::deadline::{
    compute, holiday_on, holidays, is_working_day, Adjustment, CalendarOverrides, DaysLeft,
    DeadlineError, DeadlineInput, Jurisdiction, Pause, Region,
};
use dsar::domain::Right;

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

// ---------------------------------------------------------------- CSV vectors

/// One line of a vectors file, cells by column name.
struct Row {
    cells: Vec<(String, String)>,
}

impl Row {
    fn get(&self, column: &str) -> &str {
        self.cells
            .iter()
            .find(|(c, _)| c == column)
            .map(|(_, v)| v.as_str())
            .unwrap_or_else(|| panic!("no column {column}"))
    }

    /// An empty cell is `None`.
    fn date(&self, column: &str) -> Option<NaiveDate> {
        let v = self.get(column);
        (!v.is_empty()).then(|| {
            NaiveDate::parse_from_str(v, "%Y-%m-%d")
                .unwrap_or_else(|e| panic!("row {}: {column} = {v:?}: {e}", self.get("id")))
        })
    }
}

/// Splits one CSV line, honouring double quotes (and "" inside them).
fn split_csv_line(line: &str) -> Vec<String> {
    let mut cells = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                cells.last_mut().unwrap().push('"');
            }
            '"' => quoted = !quoted,
            ',' if !quoted => cells.push(String::new()),
            _ => cells.last_mut().unwrap().push(c),
        }
    }
    cells
}

fn read_vectors(file: &str) -> Vec<Row> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let header = split_csv_line(lines.next().expect("header"));
    lines
        .map(|line| {
            let cells = split_csv_line(line);
            assert_eq!(
                cells.len(),
                header.len(),
                "{file}: wrong number of cells: {line}"
            );
            Row {
                cells: header.iter().cloned().zip(cells).collect(),
            }
        })
        .collect()
}

/// Runs one vector through `compute`; returns a description of every mismatch.
fn check(row: &Row) -> Result<(), String> {
    let id = row.get("id");
    let note = row.get("note");
    let fail = |what: String| format!("row {id} ({note}): {what}");
    let jurisdiction: Jurisdiction = row
        .get("jurisdiction")
        .parse()
        .map_err(|e| fail(format!("{e}")))?;
    let region: Region = row
        .get("region")
        .parse()
        .map_err(|e| fail(format!("{e}")))?;
    let received = row
        .date("received")
        .ok_or_else(|| fail("no received date".into()))?;
    let mut pauses = Vec::new();
    if let Some(asked) = row.date("identity_requested") {
        pauses.push(Pause::Identity {
            asked,
            received: row.date("identity_received"),
        });
    }
    if let Some(asked) = row.date("pause_from") {
        pauses.push(Pause::Clarification {
            asked,
            received: row.date("pause_to"),
        });
    }
    let input = DeadlineInput {
        pauses: &pauses,
        ..DeadlineInput::new(received, jurisdiction, region)
    };
    let got = compute(&input).map_err(|e| fail(format!("error: {e}")))?;
    let mut wrong = Vec::new();
    let mut cmp = |column: &str, got: Option<NaiveDate>| {
        let want = row.date(column);
        if got != want {
            wrong.push(format!("{column}: want {want:?}, got {got:?}"));
        }
    };
    cmp("due", Some(got.due));
    cmp("extension_notice_by", got.extension_notice_by);
    cmp("extended_due", got.extended_due);
    cmp("acknowledge_by", got.acknowledge_by);
    if wrong.is_empty() {
        Ok(())
    } else {
        let why: Vec<String> = got.explanation.iter().map(|a| a.to_string()).collect();
        Err(fail(format!(
            "{}\n    explanation: {}",
            wrong.join("; "),
            why.join(" | ")
        )))
    }
}

#[test]
fn every_legal_vector_passes() {
    let mut failures = Vec::new();
    let mut count = 0;
    for file in ["deadline-vectors.csv", "deadline-vectors-extra.csv"] {
        for row in read_vectors(file) {
            count += 1;
            if let Err(e) = check(&row) {
                failures.push(format!("{file}: {e}"));
            }
        }
    }
    assert!(count >= 60, "only {count} vectors read");
    assert!(
        failures.is_empty(),
        "{} of {count} vectors failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_shared_vectors_are_copied_unchanged() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/legal/deadline-vectors.csv");
    // Missing is a failure, not a pass: CI lays shared/ beside the repository.
    let original = std::fs::read(&shared).unwrap_or_else(|e| {
        panic!("{} cannot be read ({e}): check out shared/ beside the repository", shared.display())
    });
    let copy = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/deadline-vectors.csv"),
    )
    .unwrap();
    assert!(
        original == copy,
        "tests/data/deadline-vectors.csv differs from {}",
        shared.display()
    );
}

#[test]
fn csv_reader_handles_quotes() {
    assert_eq!(
        split_csv_line(r#"1,"a, b",,"say ""hi""""#),
        ["1", "a, b", "", r#"say "hi""#]
    );
}

// ---------------------------------------------------------------- rules not in the CSV columns

fn ccpa(received: NaiveDate, rights: &[Right]) -> dsar::deadline::Deadline {
    compute(&DeadlineInput {
        rights,
        ..DeadlineInput::new(received, Jurisdiction::Ccpa, Region::UsCa)
    })
    .unwrap()
}

#[test]
fn ccpa_opt_out_is_fifteen_business_days_without_extension() {
    // Mon 5 Jan 2026: 6-9, 12-16, (19 MLK Day), 20-23, 26, 27 -> 15th business day 27 Jan.
    let d = ccpa(ymd(2026, 1, 5), &[Right::OptOut]);
    assert_eq!(d.due, ymd(2026, 1, 27));
    assert_eq!(
        (d.extension_notice_by, d.extended_due, d.acknowledge_by),
        (None, None, None)
    );
    assert!(d.explanation.iter().any(
        |a| matches!(a, Adjustment::HolidayNotCounted { date, .. } if *date == ymd(2026, 1, 19))
    ));
    assert!(d
        .explanation
        .iter()
        .any(|a| matches!(a, Adjustment::NoExtension { .. })));
    assert_eq!(ccpa(ymd(2026, 1, 5), &[Right::Limit]).due, ymd(2026, 1, 27));
}

#[test]
fn ccpa_mixed_rights_earliest_due_wins() {
    let d = ccpa(ymd(2026, 1, 5), &[Right::Know, Right::OptOut]);
    assert_eq!(d.due, ymd(2026, 1, 27));
    assert_eq!(
        d.acknowledge_by,
        Some(ymd(2026, 1, 20)),
        "the know part is still acknowledged"
    );
    assert_eq!(d.extended_due, None, "an opt-out cannot be extended");
    // Know / delete / correct, and an empty list (the CLI default), are the 45-day track.
    for rights in [&[Right::Know][..], &[Right::Delete, Right::Correct], &[]] {
        let d = ccpa(ymd(2026, 1, 5), rights);
        assert_eq!(
            (d.due, d.extended_due),
            (ymd(2026, 2, 19), Some(ymd(2026, 4, 5))),
            "{rights:?}"
        );
    }
}

#[test]
fn bavaria_assumption_can_be_switched_off() {
    let overrides = CalendarOverrides {
        bavaria_assumption: false,
        ..Default::default()
    };
    let input = DeadlineInput {
        overrides: &overrides,
        ..DeadlineInput::new(ymd(2025, 7, 15), Jurisdiction::Gdpr, Region::DeBy)
    };
    assert_eq!(compute(&input).unwrap().due, ymd(2025, 8, 15));
}

#[test]
fn user_added_and_removed_days_move_the_date_and_are_named() {
    // Augsburg's Peace Festival, Fri 8 Aug 2025, as a user-added day.
    let overrides = CalendarOverrides {
        added: vec![(ymd(2025, 8, 8), "Augsburger Friedensfest".into())],
        ..Default::default()
    };
    let input = DeadlineInput {
        overrides: &overrides,
        ..DeadlineInput::new(ymd(2025, 7, 8), Jurisdiction::Gdpr, Region::DeBy)
    };
    let d = compute(&input).unwrap();
    assert_eq!(d.due, ymd(2025, 8, 11));
    assert!(
        d.explanation
            .iter()
            .any(|a| a.to_string().contains("Augsburger Friedensfest")),
        "{:?}",
        d.explanation
    );
    // Vector 1 with Easter Monday removed: due Monday 6 April.
    let overrides = CalendarOverrides {
        removed: vec![ymd(2026, 4, 6)],
        ..Default::default()
    };
    let input = DeadlineInput {
        overrides: &overrides,
        ..DeadlineInput::new(ymd(2026, 3, 5), Jurisdiction::Gdpr, Region::DeBe)
    };
    assert_eq!(compute(&input).unwrap().due, ymd(2026, 4, 6));
}

#[test]
fn explanation_says_what_moved_each_date() {
    // Vector 1: due Sun 5 Apr (Easter Sunday) -> Easter Monday -> Tue 7 Apr.
    let d = compute(&DeadlineInput::new(
        ymd(2026, 3, 5),
        Jurisdiction::Gdpr,
        Region::DeBe,
    ))
    .unwrap();
    let text: Vec<String> = d.explanation.iter().map(|a| a.describe()).collect();
    assert_eq!(
        text,
        ["due date: 2026-04-05 is a Sunday, moved to the next working day",
         "due date: 2026-04-06 is a public holiday (Easter Monday), moved to the next working day"],
    );
    // Vector 2: 31 January -> 28 February.
    let d = compute(&DeadlineInput::new(
        ymd(2025, 1, 31),
        Jurisdiction::Gdpr,
        Region::DeNw,
    ))
    .unwrap();
    assert!(
        matches!(d.explanation[0], Adjustment::MonthEndClamped { to, .. } if to == ymd(2025, 2, 28))
    );
    assert!(
        d.explanation[0]
            .to_string()
            .contains("February 2025 has no day 31"),
        "{}",
        d.explanation[0]
    );
}

#[test]
fn open_pause_stops_the_clock() {
    let pauses = [Pause::Identity {
        asked: ymd(2026, 3, 11),
        received: None,
    }];
    let input = DeadlineInput {
        pauses: &pauses,
        ..DeadlineInput::new(ymd(2026, 3, 10), Jurisdiction::Gdpr, Region::DeBe)
    };
    let d = compute(&input).unwrap();
    assert_eq!(d.clock_stopped_since, Some(ymd(2026, 3, 11)));
    let input = DeadlineInput {
        jurisdiction: Jurisdiction::UkGdpr,
        region: Region::GbEng,
        ..input
    };
    let d = compute(&input).unwrap();
    assert_eq!(
        (d.start, d.clock_stopped_since),
        (ymd(2026, 3, 11), Some(ymd(2026, 3, 11)))
    );
    // Closed pauses leave the clock running.
    let pauses = [Pause::Identity {
        asked: ymd(2026, 3, 11),
        received: Some(ymd(2026, 3, 25)),
    }];
    let input = DeadlineInput {
        pauses: &pauses,
        ..input
    };
    assert_eq!(compute(&input).unwrap().clock_stopped_since, None);
}

#[test]
fn days_left_counts_calendar_and_working_days() {
    // Vector 1: due Tue 7 Apr 2026 in Berlin.
    let d = compute(&DeadlineInput::new(
        ymd(2026, 3, 5),
        Jurisdiction::Gdpr,
        Region::DeBe,
    ))
    .unwrap();
    let o = CalendarOverrides::default();
    // From Wed 1 Apr: 2 Apr (Thu), [3 Good Friday, 4, 5, 6 Easter Monday], 7 Apr.
    assert_eq!(
        d.days_left(ymd(2026, 4, 1), false, Region::DeBe, &o),
        DaysLeft {
            calendar: 6,
            working: 2
        }
    );
    assert_eq!(
        d.days_left(ymd(2026, 4, 7), false, Region::DeBe, &o),
        DaysLeft {
            calendar: 0,
            working: 0
        }
    );
    assert_eq!(
        d.days_left(ymd(2026, 4, 9), false, Region::DeBe, &o),
        DaysLeft {
            calendar: -2,
            working: -2
        }
    );
    // Extended: Fri 5 Jun 2026.
    assert_eq!(
        d.days_left(ymd(2026, 6, 1), true, Region::DeBe, &o),
        DaysLeft {
            calendar: 4,
            working: 4
        }
    );
    // No extension (LGPD): the due date is used.
    let d = compute(&DeadlineInput::new(
        ymd(2026, 8, 23),
        Jurisdiction::Lgpd,
        Region::Br,
    ))
    .unwrap();
    assert_eq!(
        d.days_left(ymd(2026, 9, 4), true, Region::Br, &o),
        DaysLeft {
            calendar: 4,
            working: 1
        }
    );
}

// ---------------------------------------------------------------- errors

fn error(input: DeadlineInput<'_>) -> DeadlineError {
    compute(&input).expect_err("should be refused")
}

#[test]
fn region_must_belong_to_the_jurisdiction() {
    let e = error(DeadlineInput::new(
        ymd(2026, 1, 5),
        Jurisdiction::Ccpa,
        Region::Nl,
    ));
    assert_eq!(
        e.to_string(),
        "region NL is not valid for jurisdiction ccpa: use US-CA"
    );
    let e = error(DeadlineInput::new(
        ymd(2026, 1, 5),
        Jurisdiction::Gdpr,
        Region::GbEng,
    ));
    assert!(
        e.to_string().starts_with(
            "region GB-ENG is not valid for jurisdiction gdpr: use one of DE-BW, DE-BY"
        ),
        "{e}"
    );
}

#[test]
fn bad_pauses_are_refused_with_the_fix() {
    let base = DeadlineInput::new(ymd(2026, 3, 10), Jurisdiction::Gdpr, Region::DeBe);
    let p = [Pause::Identity {
        asked: ymd(2026, 3, 9),
        received: Some(ymd(2026, 3, 12)),
    }];
    let e = error(DeadlineInput { pauses: &p, ..base });
    assert!(
        matches!(e, DeadlineError::PauseBeforeRequest { number: 1, .. }),
        "{e:?}"
    );
    assert!(
        e.to_string()
            .contains("asked date 2026-03-09 is before the request was received on 2026-03-10"),
        "{e}"
    );

    let p = [Pause::Clarification {
        asked: ymd(2026, 3, 12),
        received: Some(ymd(2026, 3, 11)),
    }];
    let e = error(DeadlineInput { pauses: &p, ..base });
    assert!(
        matches!(e, DeadlineError::PauseAnsweredBeforeAsked { number: 1, .. }),
        "{e:?}"
    );
    assert!(e.to_string().contains("swap or correct"), "{e}");

    let p = [
        Pause::Identity {
            asked: ymd(2026, 3, 11),
            received: Some(ymd(2026, 3, 20)),
        },
        Pause::Clarification {
            asked: ymd(2026, 3, 15),
            received: Some(ymd(2026, 3, 25)),
        },
    ];
    assert!(matches!(
        error(DeadlineInput { pauses: &p, ..base }),
        DeadlineError::OverlappingPauses {
            first: 1,
            second: 2
        }
    ));
    // An open pause overlaps everything after it.
    let p = [
        Pause::Clarification {
            asked: ymd(2026, 3, 30),
            received: Some(ymd(2026, 4, 2)),
        },
        Pause::Identity {
            asked: ymd(2026, 3, 11),
            received: None,
        },
    ];
    assert!(matches!(
        error(DeadlineInput { pauses: &p, ..base }),
        DeadlineError::OverlappingPauses { .. }
    ));
    // Back to back is fine: one ends the day the next is asked.
    let p = [
        Pause::Identity {
            asked: ymd(2026, 3, 11),
            received: Some(ymd(2026, 3, 20)),
        },
        Pause::Clarification {
            asked: ymd(2026, 3, 20),
            received: Some(ymd(2026, 3, 25)),
        },
    ];
    assert!(compute(&DeadlineInput { pauses: &p, ..base }).is_ok());
    // Pauses are validated under every law, even where they do not move the date.
    let p = [Pause::Identity {
        asked: ymd(2026, 3, 9),
        received: None,
    }];
    let ccpa = DeadlineInput {
        pauses: &p,
        ..DeadlineInput::new(ymd(2026, 3, 10), Jurisdiction::Ccpa, Region::UsCa)
    };
    assert!(matches!(
        error(ccpa),
        DeadlineError::PauseBeforeRequest { .. }
    ));
}

#[test]
fn date_overflow_is_an_error_not_a_panic() {
    for j in Jurisdiction::ALL {
        let e = error(DeadlineInput::new(NaiveDate::MAX, *j, j.default_region()));
        assert!(
            matches!(e, DeadlineError::DateOutOfRange { .. }),
            "{j}: {e:?}"
        );
        assert!(
            e.to_string().contains("outside the supported date range"),
            "{e}"
        );
    }
    let base = DeadlineInput::new(ymd(2026, 3, 10), Jurisdiction::Gdpr, Region::DeBe);
    let p = [Pause::Identity {
        asked: ymd(2026, 3, 11),
        received: Some(NaiveDate::MAX),
    }];
    assert!(matches!(
        error(DeadlineInput { pauses: &p, ..base }),
        DeadlineError::DateOutOfRange { .. }
    ));
}

// ---------------------------------------------------------------- German calendar oracle

fn oracle_region(r: Region) -> holiday_de::GermanRegion {
    use holiday_de::GermanRegion as G;
    match r {
        Region::DeBw => G::BadenWuerttemberg,
        Region::DeBy => G::Bayern,
        Region::DeBe => G::Berlin,
        Region::DeBb => G::Brandenburg,
        Region::DeHb => G::Bremen,
        Region::DeHh => G::Hamburg,
        Region::DeHe => G::Hessen,
        Region::DeMv => G::MechlenburgVorpommern,
        Region::DeNi => G::Niedersachsen,
        Region::DeNw => G::NordrheinWestfalen,
        Region::DeRp => G::RheinlandPfalz,
        Region::DeSl => G::Saarland,
        Region::DeSn => G::Sachsen,
        Region::DeSt => G::SachsenAnhalt,
        Region::DeSh => G::SchleswigHolstein,
        Region::DeTh => G::Thueringen,
        _ => unreachable!("not a German Land"),
    }
}

/// Days `holiday_de` has and RULES.md §1 deliberately does not (ours, theirs).
fn documented_difference(region: Region, date: NaiveDate) -> bool {
    // 500 years of the Reformation: a one-off nationwide holiday on 31 Oct 2017 that RULES.md
    // does not list (it lists Reformation Day in HB/HH/NI/SH only since 2018).
    let reformation_2017 = date == ymd(2017, 10, 31);
    // Berlin's one-off 17 June 2028 (holiday_de cites the Berlin holiday law as of May 2025);
    // RULES.md lists only 8 May 2020 and 2025. A Saturday, so it never moves a deadline.
    let berlin_2028 = region == Region::DeBe && date == ymd(2028, 6, 17);
    reformation_2017 || berlin_2028
}

#[test]
fn german_holidays_match_holiday_de_2000_to_2060() {
    use holiday_de::DateExt;
    let o = CalendarOverrides::default();
    let mut differences = Vec::new();
    for &region in Region::ALL.iter().filter(|r| r.country() == "DE") {
        let theirs_region = oracle_region(region);
        for year in 2000..=2060 {
            // The listing path.
            let ours: BTreeSet<NaiveDate> =
                holidays(region, year, &o).iter().map(|h| h.date).collect();
            let theirs: BTreeSet<NaiveDate> = theirs_region
                .holiday_dates_in_year(year)
                .into_iter()
                .map(|(d, _)| d)
                .collect();
            for d in ours.symmetric_difference(&theirs) {
                if !documented_difference(region, *d) {
                    differences.push(format!(
                        "{region} {d}: ours {} theirs {}",
                        ours.contains(d),
                        theirs.contains(d)
                    ));
                }
            }
            // The lookup path, day by day (what deadlines use).
            let mut d = ymd(year, 1, 1);
            while d.year() == year {
                let mine = holiday_on(region, d, &o).is_some();
                if mine != d.is_public_holiday_in(theirs_region)
                    && !documented_difference(region, d)
                {
                    differences.push(format!("{region} {d} (lookup): ours {mine}"));
                }
                d = d.succ_opt().unwrap();
            }
        }
    }
    assert!(
        differences.is_empty(),
        "undocumented differences from holiday_de:\n{}",
        differences.join("\n")
    );
}

#[test]
fn bavaria_without_assumption_differs_from_holiday_de_only_on_15_august() {
    use holiday_de::DateExt;
    let o = CalendarOverrides {
        bavaria_assumption: false,
        ..Default::default()
    };
    for year in 2000..=2060 {
        let aug15 = ymd(year, 8, 15);
        assert!(aug15.is_public_holiday_in(holiday_de::GermanRegion::Bayern));
        assert!(holiday_on(Region::DeBy, aug15, &o).is_none());
        assert!(
            holiday_on(Region::DeSl, aug15, &o).is_some(),
            "Saarland keeps it"
        );
        if aug15.weekday().num_days_from_monday() < 5 {
            assert!(is_working_day(Region::DeBy, aug15, &o));
        }
    }
}

// Throughput is measured by `cargo bench --bench desk`, not by a timed test.
