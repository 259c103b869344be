//! Identifiers found on the way (SPEC §11) on the command line: the `yielded` list of
//! `dsar case show` and `dsar case identifier drop`.

use serde::Serialize;

use dsar::cases::{self, Context};
use dsar::pull::yields::{self, Yielded};
use dsar::store::Store;

use super::commands::print_json;
use super::output::printable;
use super::Failure;

/// One entry of `case show --json`'s `"yielded"`.
#[derive(Serialize)]
pub struct YieldedJson {
    pub kind: String,
    pub value: String,
    pub system: String,
    pub dropped: bool,
    /// Where it was read (empty when no system yields it any more and only the drop is left).
    pub dataset: String,
    pub locator: String,
}

impl YieldedJson {
    fn new(y: Yielded) -> YieldedJson {
        YieldedJson { kind: y.kind, value: y.value, system: y.system_id, dropped: y.dropped, dataset: y.dataset, locator: y.locator }
    }
}

/// The case's identifiers found on the way, as `case show` prints them.
pub(super) fn for_case(store: &Store, case_id: &str) -> Result<Vec<YieldedJson>, Failure> {
    Ok(yields::list(store.conn(), case_id)?.into_iter().map(YieldedJson::new).collect())
}

/// The text view's lines: value, then where it came from.
pub(super) fn print_text(list: &[YieldedJson]) {
    for y in list {
        let source = if y.locator.is_empty() { y.system.clone() } else { format!("{} ({}, {})", y.system, y.dataset, y.locator) };
        let dropped = if y.dropped { " — dropped, not searched" } else { "" };
        println!("  found       {} {} in {}{dropped}", y.kind, printable(&y.value), printable(&source));
    }
}

/// `dsar case identifier drop REF --kind K --value V`.
pub(super) fn drop(store: &mut Store, c: &Context, reference: &str, kind: &str, value: &str, json: bool) -> Result<(), Failure> {
    let d = yields::drop(store, c, reference, kind, value)?;
    let reference = cases::get(store, reference)?.reference.to_string();
    if json {
        return print_json(&serde_json::json!({"reference": reference, "kind": kind, "from_systems": d.from_systems, "repull": d.repull}));
    }
    println!("{reference}: the {kind} found in {} is dropped; later pulls do not search with it", d.from_systems.join(", "));
    if !d.repull.is_empty() {
        println!("  what it found stays until those systems are pulled again: dsar case pull {reference} --system {}", d.repull.join(" --system "));
    }
    Ok(())
}
