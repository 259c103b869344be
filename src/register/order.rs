//! The order systems are searched in when some yield identifiers to others (SPEC §11): a
//! graph from each yielding system to the systems that search with what it yields, sorted
//! topologically into waves. A cycle has no order and is refused at import.

use std::collections::BTreeSet;

use super::error::{join, Problems};
use super::model::System;

/// One link of the graph: `from` yields `kind`, which `to` searches with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YieldLink {
    /// The yielding system's id.
    pub from: String,
    /// The identifier kind.
    pub kind: String,
    /// The searching system's id.
    pub to: String,
}

/// Systems that yield identifiers to each other in a circle, so none can be searched first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YieldCycle {
    /// Index (into the slice given to [`waves`]) of each system in the cycle, in the cycle's order.
    pub members: Vec<usize>,
    /// The links that close the circle, one per member.
    pub links: Vec<YieldLink>,
}

impl YieldCycle {
    /// "crm yields customer_id, which billing searches with; billing yields email, which crm searches with".
    pub fn explain(&self) -> String {
        self.links
            .iter()
            .map(|l| format!("{} yields {}, which {} searches with", l.from, l.kind, l.to))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// The system ids in the cycle, in its order.
    pub fn system_ids(&self) -> Vec<&str> {
        self.links.iter().map(|l| l.from.as_str()).collect()
    }
}

/// The kinds `from` yields that `to` searches with (none for the same system: a system is
/// searched once per pull, so what it yields cannot widen its own search).
fn shared_kinds(from: &System, to: &System) -> Vec<String> {
    if from.id == to.id {
        return Vec::new();
    }
    let (Some(yielder), Some(searcher)) = (&from.connector, &to.connector) else { return Vec::new() };
    if yielder.yields.is_empty() {
        return Vec::new();
    }
    let searched: BTreeSet<String> = searcher.searched_kinds();
    yielder.yields.keys().filter(|k| searched.contains(*k)).map(str::to_string).collect()
}

/// Sorts `systems` into waves: the first holds every system that waits for no one (in the
/// given order), each later one the systems whose yielding systems are all in earlier waves.
/// Only the given systems count: one not being searched yields nothing to wait for.
pub fn waves(systems: &[&System]) -> Result<Vec<Vec<usize>>, YieldCycle> {
    let n = systems.len();
    // waits_for[j] = the systems j needs searched before it.
    let waits_for: Vec<Vec<usize>> = (0..n)
        .map(|j| (0..n).filter(|&i| !shared_kinds(systems[i], systems[j]).is_empty()).collect())
        .collect();
    let mut wave_of: Vec<Option<usize>> = vec![None; n];
    let mut out: Vec<Vec<usize>> = Vec::new();
    loop {
        let wave: Vec<usize> = (0..n)
            .filter(|&j| wave_of[j].is_none() && waits_for[j].iter().all(|&i| wave_of[i].is_some()))
            .collect();
        if wave.is_empty() {
            break;
        }
        for &j in &wave {
            wave_of[j] = Some(out.len());
        }
        out.push(wave);
    }
    match (0..n).find(|&j| wave_of[j].is_none()) {
        None => Ok(out),
        Some(start) => Err(find_cycle(systems, &waits_for, &wave_of, start)),
    }
}

/// A cycle among the unplaced systems: each of them waits for another unplaced one, so
/// walking backwards from `start` must come round to a system already seen.
fn find_cycle(systems: &[&System], waits_for: &[Vec<usize>], wave_of: &[Option<usize>], start: usize) -> YieldCycle {
    let mut path: Vec<usize> = vec![start];
    let mut at = start;
    let begin = loop {
        // An unplaced system waits for at least one unplaced system (else it would be placed).
        let Some(&prev) = waits_for[at].iter().find(|&&i| wave_of[i].is_none()) else { break 0 };
        if let Some(pos) = path.iter().position(|&p| p == prev) {
            break pos;
        }
        path.push(prev);
        at = prev;
    };
    // `path` walks against the links (searcher → yielder); the cycle in yield order is the
    // loop part reversed, started at its first system in register order.
    let mut members: Vec<usize> = path[begin..].iter().rev().copied().collect();
    if let Some(first) = members.iter().enumerate().min_by_key(|(_, m)| **m).map(|(i, _)| i) {
        members.rotate_left(first);
    }
    let links = members
        .iter()
        .enumerate()
        .map(|(k, &from)| {
            let to = members[(k + 1) % members.len()];
            let kind = shared_kinds(systems[from], systems[to]).into_iter().next().unwrap_or_default();
            YieldLink { from: systems[from].id.clone(), kind, to: systems[to].id.clone() }
        })
        .collect();
    YieldCycle { members, links }
}

/// The import's check: every system of the register in one graph; a cycle is one problem at
/// the `yields` of its first system (register order), naming every system in it.
pub(crate) fn check(systems: &[System], problems: &mut Problems) {
    let all: Vec<&System> = systems.iter().collect();
    if let Err(cycle) = waves(&all) {
        let first = cycle.members.first().copied().unwrap_or(0);
        let ids = cycle.system_ids();
        problems.add(
            join(&format!("/systems/{first}/connector"), "yields"),
            format!("systems {} yield identifiers to each other in a circle ({}), so none can be searched first", ids.join(" → "), cycle.explain()),
            "remove one of these yields, or the match or query that searches with it, so the systems can be searched one after the other",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn system(id: &str, connector: Value) -> System {
        serde_json::from_value(json!({
            "id": id, "name": id, "role": "internal", "purposes": ["x"], "data_categories": ["x"], "legal_bases": ["art6-1-b"],
            "retention": {"description": "x"}, "recipients": [], "transfers": [], "source": "x",
            "automated_decision_making": false, "connector": connector
        }))
        .expect("test system")
    }

    fn csv(matching: Value, yields: Value) -> Value {
        json!({"kind": "csv", "path": "/x.csv", "match": matching, "yields": yields})
    }

    fn ids(systems: &[System], waves: &[Vec<usize>]) -> Vec<Vec<String>> {
        waves.iter().map(|w| w.iter().map(|&i| systems[i].id.clone()).collect()).collect()
    }

    #[test]
    fn yielding_systems_come_first_and_the_rest_stay_together() {
        let systems = vec![
            // Listed first, but searches with what the CRM yields.
            system("invoicing", csv(json!({"customer_id": ["Kundennummer"]}), json!({}))),
            system("newsletter", csv(json!({"email": ["E-Mail"]}), json!({}))),
            system("crm", csv(json!({"email": ["E-Mail"]}), json!({"customer_id": "/Kundennummer", "member_no": "/Mitglied"}))),
            system("shop", json!({"kind": "sqlite", "path": "/s.sqlite", "identifiers": ["member_no"], "queries": [{"name": "o", "sql": "SELECT * FROM o WHERE m = :member_no"}]})),
            // Reaches the CRM's customer number through a derivation.
            system("tracking", json!({"kind": "csv", "path": "/t.csv", "match": {"cid_hash": ["h"]},
                "derive": {"cid_hash": {"from": "customer_id", "hmac_sha256_key": "{secret:k}"}}, "yields": {"ip": "/ip"}})),
            system("logs", json!({"kind": "logs", "paths": ["/l.log"], "match": ["ip"]})),
            system("manual", json!({"kind": "manual"})),
        ];
        let refs: Vec<&System> = systems.iter().collect();
        let w = waves(&refs).unwrap();
        assert_eq!(
            ids(&systems, &w),
            vec![vec!["newsletter", "crm", "manual"], vec!["invoicing", "shop", "tracking"], vec!["logs"]]
        );
        // Without the CRM in the selection nothing waits for it.
        let without: Vec<&System> = systems.iter().filter(|s| s.id != "crm").collect();
        let w = waves(&without).unwrap();
        assert_eq!(w.len(), 2, "tracking still goes before logs");
        assert_eq!(w[0].len(), 5);
    }

    #[test]
    fn a_system_yielding_what_it_searches_with_waits_for_no_one() {
        let systems = vec![system("crm", csv(json!({"customer_id": ["K"], "email": ["E"]}), json!({"customer_id": "/K"})))];
        let refs: Vec<&System> = systems.iter().collect();
        assert_eq!(waves(&refs).unwrap(), vec![vec![0]]);
    }

    #[test]
    fn a_longer_cycle_is_told_in_the_direction_of_its_yields() {
        let systems = vec![
            system("c", json!({"kind": "csv", "path": "/c.csv", "identifiers": ["y_no"], "match": {"y_no": ["Y"]}, "yields": {"ip": "/ip"}})),
            system("a", json!({"kind": "logs", "paths": ["/a.log"], "match": ["ip"], "yields": {"customer_id": "/x"}})),
            system("b", csv(json!({"customer_id": ["K"]}), json!({"y_no": "/y"}))),
        ];
        let refs: Vec<&System> = systems.iter().collect();
        let cycle = waves(&refs).unwrap_err();
        assert_eq!(cycle.system_ids(), ["c", "a", "b"]);
        assert_eq!(
            cycle.explain(),
            "c yields ip, which a searches with; a yields customer_id, which b searches with; b yields y_no, which c searches with"
        );
    }

    #[test]
    fn a_cycle_names_its_systems_in_order() {
        let systems = vec![
            system("newsletter", csv(json!({"email": ["E"]}), json!({}))),
            system("billing", csv(json!({"customer_id": ["K"]}), json!({"email": "/mail"}))),
            system("crm", csv(json!({"email": ["E"]}), json!({"customer_id": "/K"}))),
        ];
        let refs: Vec<&System> = systems.iter().collect();
        let cycle = waves(&refs).unwrap_err();
        assert_eq!(cycle.system_ids(), ["billing", "crm"]);
        assert_eq!(cycle.members, [1, 2]);
        assert_eq!(
            cycle.explain(),
            "billing yields email, which crm searches with; crm yields customer_id, which billing searches with"
        );
        let mut p = Problems::default();
        check(&systems, &mut p);
        assert_eq!(p.0.len(), 1);
        assert_eq!(p.0[0].path, "/systems/1/connector/yields");
        assert!(p.0[0].problem.contains("billing → crm"), "{}", p.0[0].problem);
    }
}
