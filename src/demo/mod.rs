//! Demo data: the Jaimo Solutions register, the firm's own systems as files beside the
//! database (`demo-data/data/`, see `data`), and ~30 cases in every state, dated relative to
//! today; a handful of open cases are already pulled. So a first look shows a living desk
//! (overdue, due this week, paused, extended, closed; evidence, a manual-search task, and
//! CleverReach failing because its server does not run on this machine).

mod data;
mod scale;

pub use scale::add_generated;

use std::path::Path;

use chrono::{Duration, NaiveDate};

use crate::cases::{self, Context, NewCase, PauseReason};
use crate::connectors::Cancel;
use crate::deadline::{Jurisdiction, Region};
use crate::domain::{Channel, IdentifierKind, Language, Outcome, Right, Status};
use crate::error::{InputError, Result};
use crate::pull::{self, PullOptions};
use crate::store::{Store, StoreError};
use crate::{audit, register_store, secrets};

/// The demo firm's register (one of the three real-firm fixtures).
pub const REGISTER: &str = include_str!("jaimo-demo.json");

/// The folder beside the database that holds the demo firm's systems (the register's
/// relative paths, `data/…`, resolve against it).
pub const DATA_DIR: &str = "demo-data";

/// The settings key that marks a database as a demo desk: only such a file is ever replaced
/// by `dsar demo --force`.
const MARKER: &str = "demo_desk";

/// Whether the file at `path` opens with `passphrase` and carries the demo marker. A real
/// desk, a file of another program or a wrong passphrase all say no.
pub fn is_demo(path: &Path, passphrase: &str) -> bool {
    Store::open(path, passphrase).and_then(|s| s.setting(MARKER)).is_ok_and(|v| v.as_deref() == Some("1"))
}

/// Whether the open `store` is a demo desk (the desktop app shows a banner while it is open).
pub fn is_demo_store(store: &Store) -> std::result::Result<bool, StoreError> {
    Ok(store.setting(MARKER)?.as_deref() == Some("1"))
}

enum Step {
    Work,
    Ready,
    Pause(PauseReason, i64),
    Resume(i64),
    Extend(i64),
    Close(Outcome, i64),
}

struct Demo {
    days_ago: i64,
    rights: &'static [Right],
    name: &'static str,
    email: &'static str,
    phone: Option<&'static str>,
    language: Language,
    channel: Channel,
    law: Option<(Jurisdiction, Region)>,
    steps: &'static [Step],
    /// Searched in the firm's systems once the cases exist.
    pull: bool,
}

use Right::*;
use Step::*;

const fn d(days_ago: i64, rights: &'static [Right], name: &'static str, email: &'static str, steps: &'static [Step]) -> Demo {
    Demo { days_ago, rights, name, email, phone: None, language: Language::De, channel: Channel::Email, law: None, steps, pull: false }
}

fn cases() -> Vec<Demo> {
    vec![
        // New, just in.
        Demo { pull: true, ..d(0, &[Access], "Max Mustermann", "max.mustermann@example.org", &[]) },
        Demo { phone: Some("+49 171 2345678"), channel: Channel::WebForm, pull: true, ..d(1, &[Access, Erasure], "Erika Musterfrau", "erika.musterfrau@example.net", &[]) },
        Demo { language: Language::En, pull: true, ..d(2, &[Portability], "Olivia Bennett", "olivia.bennett@example.com", &[]) },
        Demo { channel: Channel::Letter, ..d(3, &[Objection], "Hans Becker", "hans.becker@example.de", &[]) },
        // In progress, comfortable.
        // Searched, nothing found: not a customer.
        Demo { pull: true, ..d(6, &[Access], "Lena Fischer", "lena.fischer@example.org", &[Work]) },
        d(9, &[Erasure], "Jonas Weber", "jonas.weber@example.org", &[Work]),
        Demo { language: Language::Nl, ..d(12, &[Access], "Sophie de Vries", "sophie.devries@example.nl", &[Work]) },
        d(15, &[Rectification], "Paul Wagner", "paul.wagner@example.org", &[Work]),
        d(18, &[WithdrawConsent, Erasure], "Mia Schulz", "mia.schulz@example.org", &[Work]),
        // Due this week.
        Demo { pull: true, ..d(25, &[Access], "Felix Hoffmann", "felix.hoffmann@example.org", &[Work]) },
        d(27, &[Restriction], "Anna Schäfer", "anna.schaefer@example.org", &[Work]),
        Demo { phone: Some("0721 9876543"), pull: true, ..d(28, &[Access, Portability], "Ben Koch", "ben.koch@example.org", &[Work, Ready]) },
        // Overdue.
        Demo { pull: true, ..d(36, &[Access], "Clara Richter", "clara.richter@example.org", &[Work]) },
        d(44, &[Erasure], "Noah Klein", "noah.klein@example.org", &[]),
        d(52, &[Access, Objection], "Emma Wolf", "emma.wolf@example.org", &[Work]),
        // Clock paused.
        d(10, &[Access], "Luis Neumann", "luis.neumann@example.org", &[Pause(PauseReason::Identity, 2)]),
        d(20, &[Erasure], "Hannah Schwarz", "hannah.schwarz@example.org", &[Work, Pause(PauseReason::Clarification, 5)]),
        Demo { channel: Channel::Phone, ..d(8, &[Access], "Elias Zimmermann", "elias.zimmermann@example.org", &[Pause(PauseReason::Identity, 1)]) },
        // Paused and resumed: the due date moved.
        d(30, &[Access], "Lea Braun", "lea.braun@example.org", &[Pause(PauseReason::Identity, 2), Resume(12)]),
        // Extended.
        Demo { pull: true, ..d(40, &[Access, Portability], "Tim Krüger", "tim.krueger@example.org", &[Work, Extend(20)]) },
        d(60, &[Erasure, Restriction], "Marie Hofmann", "marie.hofmann@example.org", &[Work, Extend(25)]),
        // Closed, with every outcome.
        d(70, &[Access], "Leon Hartmann", "leon.hartmann@example.org", &[Work, Close(Outcome::Fulfilled, 21)]),
        d(95, &[Erasure], "Lina Lange", "lina.lange@example.org", &[Work, Close(Outcome::PartiallyFulfilled, 28)]),
        d(120, &[Access], "Finn Schmitt", "finn.schmitt@example.org", &[Close(Outcome::Refused, 20)]),
        d(150, &[Objection], "Ella Werner", "ella.werner@example.org", &[Close(Outcome::Withdrawn, 6)]),
        d(180, &[Access], "Moritz Krause", "moritz.krause@example.org", &[Work, Close(Outcome::NoData, 9)]),
        d(210, &[Portability], "Emilia Meier", "emilia.meier@example.org", &[Work, Close(Outcome::Fulfilled, 25)]),
        d(250, &[Erasure], "Jakob Lehmann", "jakob.lehmann@example.org", &[Work, Close(Outcome::Fulfilled, 14)]),
        // Other laws: a UK and a Dutch request handled by the same desk.
        Demo { language: Language::En, law: Some((Jurisdiction::UkGdpr, Region::GbEng)), ..d(14, &[Access], "George Thompson", "george.thompson@example.co.uk", &[Work]) },
        Demo { language: Language::Nl, law: Some((Jurisdiction::Gdpr, Region::Nl)), ..d(22, &[Erasure], "Daan Visser", "daan.visser@example.nl", &[Work]) },
    ]
}

/// Creates (or with `replace`, re-creates) a demo database and the demo firm's files in
/// [`DATA_DIR`] beside it; returns the number of cases.
pub fn create(path: &Path, passphrase: &str, ctx: &Context, replace: bool) -> Result<usize> {
    let path = std::path::absolute(path).map_err(|source| StoreError::Io { path: path.to_path_buf(), source })?;
    let data_dir = path.parent().map(|p| p.join(DATA_DIR)).unwrap_or_else(|| DATA_DIR.into());
    if replace && path.exists() && !is_demo(&path, passphrase) {
        return Err(InputError::new(
            "--force",
            format!("{} is not a demo desk (or not with this passphrase) and is kept", path.display()),
            "--force only replaces a demo desk made by `dsar demo`: choose another --db for the demo",
        )
        .into());
    }
    if replace {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
        match std::fs::remove_dir_all(&data_dir) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(StoreError::Io { path: data_dir, source: e }.into()),
            _ => {}
        }
    }
    data::write(&data_dir.join("data"), ctx.today)?;
    let mut store = Store::create(&path, passphrase)?;
    store.write(|tx| {
        tx.execute("INSERT INTO settings (key, value) VALUES (?1, '1')", [MARKER])?;
        audit::append(tx, None, &ctx.actor, "desk.demo", &serde_json::json!({}), ctx.now)?;
        Ok::<_, crate::Error>(())
    })?;
    register_store::import_text(&mut store, ctx, REGISTER, &data_dir, "jaimo.json")?;
    // A token is configured; the CleverReach server just does not run on this machine.
    secrets::set(&mut store, ctx, "cleverreach_token", "demo-token-for-cleverreach")?;
    let list = cases();
    let mut to_pull = Vec::new();
    for demo in &list {
        let received = ctx.today - Duration::days(demo.days_ago);
        let at = |days: i64| -> NaiveDate { (received + Duration::days(days)).min(ctx.today) };
        let mut identifiers = vec![(IdentifierKind::Email, demo.email.to_string())];
        if let Some(p) = demo.phone {
            identifiers.push((IdentifierKind::Phone, p.to_string()));
        }
        let case = cases::create(
            &mut store,
            ctx,
            NewCase {
                rights: demo.rights.to_vec(),
                name: demo.name.into(),
                address: vec![],
                identifiers,
                received,
                jurisdiction: demo.law.map(|l| l.0),
                region: demo.law.map(|l| l.1),
                language: Some(demo.language),
                channel: demo.channel,
            },
        )?;
        let r = case.reference.to_string();
        if demo.pull {
            to_pull.push(r.clone());
        }
        for step in demo.steps {
            match step {
                Work => {
                    cases::set_status(&mut store, ctx, &r, Status::InProgress)?;
                }
                Ready => {
                    cases::set_status(&mut store, ctx, &r, Status::ReadyToSend)?;
                }
                Pause(reason, after) => {
                    cases::pause(&mut store, ctx, &r, *reason, at(*after))?;
                }
                Resume(after) => {
                    cases::resume(&mut store, ctx, &r, at(*after))?;
                }
                Extend(after) => {
                    cases::extend(&mut store, ctx, &r, "Umfangreiche Anfrage über mehrere Systeme und Auftragsverarbeiter", at(*after))?;
                }
                Close(outcome, after) => {
                    cases::close(&mut store, ctx, &r, *outcome, at(*after))?;
                }
            }
        }
    }
    for r in &to_pull {
        pull::run(&mut store, ctx, r, &PullOptions::default(), &|_| {}, &Cancel::new())?;
    }
    Ok(list.len())
}
