//! Generated cases for trying and measuring the desk at scale (`dsar demo --extra-cases N`,
//! the desktop benchmark): fictitious people spread over two years up to today, most of the
//! older ones closed, as on a desk that has been in use for a while.

use chrono::Duration;

use crate::cases::{self, Context, NewCase};
use crate::domain::{Channel, IdentifierKind, Right};
use crate::error::Result;
use crate::store::Store;

const BATCH: usize = 10_000;

/// Adds `n` generated cases in batches of 10 000 (one transaction each); returns how many.
/// Cases received more than 60 days ago are then closed as fulfilled, except every 50th,
/// which stays open and overdue. The closing is one SQL statement, without an audit event per
/// case: these are synthetic load data, and 100 000 separate closings would take minutes.
pub fn add_generated(store: &mut Store, ctx: &Context, n: usize) -> Result<usize> {
    let rights = [Right::Access, Right::Erasure, Right::Portability, Right::Objection, Right::Restriction];
    let mut done = 0;
    while done < n {
        let batch: Vec<NewCase> = (done..(done + BATCH).min(n))
            .map(|i| NewCase {
                rights: vec![rights[i % rights.len()]],
                name: format!("Person {i:06} Beispiel"),
                address: vec![],
                identifiers: vec![(IdentifierKind::Email, format!("person{i}@example.org"))],
                received: ctx.today - Duration::days((i % 730) as i64),
                jurisdiction: None,
                region: None,
                language: None,
                channel: Channel::Email,
            })
            .collect();
        done += batch.len();
        cases::create_many(store, ctx, batch)?;
    }
    let cutoff = (ctx.today - Duration::days(60)).to_string();
    store.write(|tx| {
        tx.execute(
            "UPDATE cases SET status = 'closed', outcome = 'fulfilled', closed_on = received
             WHERE received < ?1 AND seq % 50 <> 0 AND subject_name LIKE 'Person % Beispiel'",
            [cutoff],
        )
        .map_err(crate::store::StoreError::from)
    })?;
    Ok(done)
}
