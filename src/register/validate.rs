//! Checks the schema cannot express: unique ids, codes the deadline engine knows, ISO
//! durations, secret references, and connector consistency (query names, SQL parameters,
//! `match` keys, URL placeholders). Runs on the raw JSON so it reports alongside schema errors.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::connector::{ConnectorKind, Query, BUILTIN_IDENTIFIERS};
use super::error::{cut, join, Problems};
use super::period::Period;
use super::schema::{closest, describe};
use super::secret::secret_refs;
use crate::deadline::{Jurisdiction, Region};
use crate::domain::{IdentifierKind, Language};

/// Adds problems for everything wrong beyond the schema. A path the schema already complained
/// about is skipped, so one mistake gives one line.
pub(crate) fn check(doc: &Value, problems: &mut Problems) {
    let mut found = Problems::default();
    controller(doc, &mut found);
    secrets(doc, "", &mut found);
    if let Some(systems) = doc.get("systems").and_then(Value::as_array) {
        let mut first_at: HashMap<&str, usize> = HashMap::new();
        for (i, system) in systems.iter().enumerate() {
            let at = format!("/systems/{i}");
            if let Some(id) = system.get("id").and_then(Value::as_str) {
                match first_at.get(id) {
                    Some(first) => found.coded(
                        format!("{at}/id"),
                        "system.duplicate-id",
                        vec![("id", cut(id))],
                        format!(
                            "duplicate system id '{}' (also used by /systems/{first})",
                            cut(id)
                        ),
                        "give each system its own id",
                    ),
                    None => {
                        first_at.insert(id, i);
                    }
                }
            }
            period(
                system.pointer("/retention/period"),
                &format!("{at}/retention/period"),
                &mut found,
            );
            if let Some(duties) = system.get("statutory_retention").and_then(Value::as_array) {
                for (k, duty) in duties.iter().enumerate() {
                    period(
                        duty.get("period"),
                        &format!("{at}/statutory_retention/{k}/period"),
                        &mut found,
                    );
                    retained_datasets(system, duty, &format!("{at}/statutory_retention/{k}/datasets"), &mut found);
                }
            }
            if let Some(transfers) = system.get("transfers").and_then(Value::as_array) {
                for (k, t) in transfers.iter().enumerate() {
                    // A letter would have to tell the subject the transfer is unlawful (Art. 44).
                    if t.get("safeguard").and_then(Value::as_str) == Some("none") {
                        found.coded(
                            format!("{at}/transfers/{k}/safeguard"),
                            "transfer.no-safeguard",
                            Vec::new(),
                            "a transfer without a safeguard is not lawful (Art. 44) and cannot be answered for in a letter",
                            "name the safeguard relied on: dpf (a US company certified under the Data Privacy Framework), scc, bcr, adequacy, or art49 with the derogation among the legal bases — or stop the transfer and remove it",
                        );
                    }
                }
            }
            // A purpose may rest only on bases the system names (the letter lists both).
            if let Some(mapped) = system.get("purpose_bases").and_then(Value::as_array) {
                let bases: Vec<&str> = system.get("legal_bases").and_then(Value::as_array).map(|b| b.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
                for (k, pb) in mapped.iter().enumerate() {
                    for (j, b) in pb.get("legal_bases").and_then(Value::as_array).into_iter().flatten().enumerate() {
                        if let Some(code) = b.as_str().filter(|c| !bases.contains(c)) {
                            found.coded(
                                format!("{at}/purpose_bases/{k}/legal_bases/{j}"),
                                "purpose-basis.not-listed",
                                vec![("basis", cut(code))],
                                format!("{code} is not among the system's legal_bases"),
                                "add it to legal_bases, or map the purpose to one of them",
                            );
                        }
                    }
                }
            }
            if let Some(conn) = system.get("connector").and_then(Value::as_object) {
                connector(conn, &join(&at, "connector"), doc, &mut found);
            }
        }
    }
    let schema_paths: Vec<String> = problems.0.iter().map(|p| p.path.clone()).collect();
    for p in found.0 {
        if !schema_paths.contains(&p.path) {
            problems.coded(p.path, p.code, p.params, p.problem, p.fix);
        }
    }
}

fn controller(doc: &Value, p: &mut Problems) {
    let text = |key: &str| {
        doc.pointer(&format!("/controller/{key}"))
            .and_then(Value::as_str)
    };
    let region = text("region").map(|s| (s, s.parse::<Region>()));
    let jurisdiction = text("jurisdiction").map(|s| (s, s.parse::<Jurisdiction>()));
    if let Some((given, Err(e))) = &region {
        p.add(
            "/controller/region",
            format!("unknown region '{}'", cut(given)),
            format!("use one of {}", e.allowed),
        );
    }
    if let Some((given, Err(e))) = &jurisdiction {
        p.add(
            "/controller/jurisdiction",
            format!("unknown jurisdiction '{}'", cut(given)),
            format!("use one of {}", e.allowed),
        );
    }
    if let (Some((_, Ok(r))), Some((_, Ok(j)))) = (&region, &jurisdiction) {
        if !j.covers(*r) {
            let regions: Vec<&str> = j.regions().map(Region::code).collect();
            p.add(
                "/controller/region",
                format!("region '{r}' is not in jurisdiction '{j}'"),
                format!(
                    "use a region of {j} ({}) or change \"jurisdiction\" to {}",
                    regions.join(", "),
                    r.default_jurisdiction()
                ),
            );
        }
    }
    if let Some(given) = text("language") {
        if let Err(e) = given.parse::<Language>() {
            p.add(
                "/controller/language",
                format!("unsupported language '{}'", cut(given)),
                format!("use one of {}", e.allowed),
            );
        }
    }
}

fn period(v: Option<&Value>, at: &str, p: &mut Problems) {
    if let Some(Value::String(s)) = v {
        if let Err(e) = s.parse::<Period>() {
            p.coded(
                at,
                "period.invalid",
                Vec::new(),
                format!("'{}' is {e}", cut(s)),
                "write an ISO-8601 duration such as P10Y, P6M, P8W, P30D or P1Y6M",
            );
        }
    }
}

fn secrets(v: &Value, at: &str, p: &mut Problems) {
    match v {
        Value::String(s) => {
            if let Err(e) = secret_refs(s) {
                p.add(
                    at,
                    format!("malformed secret reference at character {}", s[..e.offset].chars().count() + 1),
                    "write {secret:NAME} with NAME of letters, digits, '_', '.', '-' (set it with `dsar secret set NAME`)",
                );
            }
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .for_each(|(i, item)| secrets(item, &join(at, i), p)),
        Value::Object(map) => map
            .iter()
            .for_each(|(k, item)| secrets(item, &join(at, k), p)),
        _ => {}
    }
}

fn strings(v: Option<&Value>) -> Vec<&str> {
    v.and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

fn connector(conn: &Map<String, Value>, at: &str, doc: &Value, p: &mut Problems) {
    let Some(kind) = conn
        .get("kind")
        .and_then(Value::as_str)
        .and_then(|k| k.parse::<ConnectorKind>().ok())
    else {
        return; // the schema reports a missing or unknown kind
    };
    let whose = describe(doc, at);
    acting_keys(kind, conn, at, p);

    // Keys kept for forward compatibility, unless they look like a misspelt known key.
    for key in conn
        .keys()
        .filter(|k| *k != "kind" && !kind.known_keys().contains(&k.as_str()) && !ACTING_KEYS.contains(&k.as_str()))
    {
        if let Some(near) = closest(key, kind.known_keys()) {
            p.add(
                join(at, key),
                format!("unknown {kind} connector key '{}'", cut(key)),
                format!("did you mean '{near}'?"),
            );
        }
    }

    // Custom identifier keys, derived identifiers, then the names usable in queries and `match`.
    let declared = strings(conn.get("identifiers"));
    for (i, key) in declared.iter().enumerate() {
        let path = format!("{at}/identifiers/{i}");
        if BUILTIN_IDENTIFIERS.contains(key) {
            p.add(
                path,
                format!("'{}' is a built-in identifier", cut(key)),
                "remove it from \"identifiers\"; built-in kinds need no declaration",
            );
        } else if let Ok(k) = IdentifierKind::from_key(key) {
            if k.key() != *key {
                p.add(
                    path,
                    format!("'{}' is another spelling of '{}'", cut(key), k.key()),
                    format!("use the built-in '{}' instead", k.key()),
                );
            }
        }
    }
    let derive = conn.get("derive").and_then(Value::as_object);
    let derived: Vec<&str> = derive
        .map(|d| d.keys().map(String::as_str).collect())
        .unwrap_or_default();
    for (name, spec) in derive.into_iter().flatten() {
        let path = join(&join(at, "derive"), name);
        if BUILTIN_IDENTIFIERS.contains(&name.as_str()) || declared.contains(&name.as_str()) {
            p.add(
                path.clone(),
                format!(
                    "derived identifier '{}' hides an identifier of that name",
                    cut(name)
                ),
                "give it its own name, e.g. phone_hash",
            );
        }
        if let Some(from) = spec.get("from").and_then(Value::as_str) {
            if !BUILTIN_IDENTIFIERS.contains(&from) && !declared.contains(&from) {
                p.add(
                    join(&path, "from"),
                    format!(
                        "derived identifier '{}' is computed from unknown identifier '{}'",
                        cut(name),
                        cut(from)
                    ),
                    format!(
                        "use one of {} or declare it in \"identifiers\"",
                        BUILTIN_IDENTIFIERS.join(", ")
                    ),
                );
            }
        }
    }
    let mut usable: Vec<&str> = BUILTIN_IDENTIFIERS.to_vec();
    usable.extend(&declared);
    usable.extend(&derived);
    yields(kind, conn, at, doc, &declared, &derived, p);

    if kind.is_sql() {
        for list in ["queries", "erase", "restrict", "lift"] {
            let Some(items) = conn.get(list).and_then(Value::as_array) else {
                continue;
            };
            let mut names: HashMap<&str, usize> = HashMap::new();
            for (j, item) in items.iter().enumerate() {
                let path = format!("{at}/{list}/{j}");
                if let Some(name) = item.get("name").and_then(Value::as_str) {
                    if let Some(first) = names.insert(name, j) {
                        p.add(
                            format!("{path}/name"),
                            format!(
                                "duplicate {list} name '{}' in {whose} (also {list}/{first})",
                                cut(name)
                            ),
                            format!("give each entry of \"{list}\" its own name"),
                        );
                    }
                }
                if let Some(sql) = item.get("sql").and_then(Value::as_str) {
                    sql_statement(kind, list, sql, &format!("{path}/sql"), &usable, p);
                }
            }
        }
    }

    match (kind, conn.get("match")) {
        (
            ConnectorKind::Csv | ConnectorKind::Json | ConnectorKind::Jsonl,
            Some(Value::Object(m)),
        ) => {
            for key in m.keys() {
                if !usable.contains(&key.as_str()) {
                    unknown_identifier(
                        &join(&join(at, "match"), key),
                        "match key",
                        key,
                        &usable,
                        p,
                    );
                }
            }
        }
        (ConnectorKind::Logs, Some(Value::Array(items))) => {
            for (j, item) in items.iter().enumerate() {
                let Some(key) = item.as_str() else { continue };
                let path = format!("{at}/match/{j}");
                if key == "name" {
                    p.add(path, "a log connector cannot search for a full name", "log lines are matched by whole tokens; use ip, email, phone, username or customer_id");
                } else if !usable.contains(&key) {
                    unknown_identifier(&path, "match kind", key, &usable, p);
                }
            }
        }
        _ => {}
    }

    if let Some(url) = conn.get("url").and_then(Value::as_str) {
        if url_has_plain_password(url) {
            p.add(
                format!("{at}/url"),
                "password written in the URL (value not shown)",
                "remove it from the URL, store it with `dsar secret set NAME` and add \"password\": \"{secret:NAME}\"",
            );
        }
    }
    if let Some(headers) = conn.get("headers").and_then(Value::as_object) {
        for (name, value) in headers {
            let lower = name.to_ascii_lowercase();
            let sensitive = [
                "authorization",
                "cookie",
                "token",
                "key",
                "secret",
                "auth",
                "password",
            ]
            .iter()
            .any(|w| lower.contains(w));
            if sensitive && value.as_str().is_some_and(|v| !v.contains("{secret:")) {
                p.add(
                    join(&join(at, "headers"), name),
                    format!("credential written in plain text in header '{}' (value not shown)", cut(name)),
                    "store it with `dsar secret set NAME` and reference it, e.g. \"Bearer {secret:NAME}\"",
                );
            }
        }
    }

    if kind == ConnectorKind::Imap {
        imap(conn, at, p);
    }

    if kind == ConnectorKind::Http {
        if let Some(url) = conn.get("url").and_then(Value::as_str) {
            for placeholder in placeholders(url) {
                if !placeholder.starts_with("secret") && !usable.contains(&placeholder) {
                    unknown_identifier(
                        &format!("{at}/url"),
                        "URL placeholder",
                        placeholder,
                        &usable,
                        p,
                    );
                }
            }
        }
    }
}

/// `imap`: mail is read only over TLS, so the plain IMAP port is refused at import (the
/// connector would refuse it at every pull); folders are listed once each.
fn imap(conn: &Map<String, Value>, at: &str, p: &mut Problems) {
    if conn.get("port").and_then(Value::as_u64) == Some(143) {
        p.add(
            join(at, "port"),
            "143 is the plain IMAP port; mailboxes are read only over TLS",
            "give the server's TLS port (IMAPS), usually 993",
        );
    }
    let folders = strings(conn.get("folders"));
    for (i, folder) in folders.iter().enumerate() {
        if folders[..i].contains(folder) {
            p.add(format!("{at}/folders/{i}"), format!("folder '{}' is listed twice", cut(folder)), "list each folder once");
        }
    }
}

/// `yields`: each key an identifier kind the subject can have (built-in, or declared in
/// `identifiers` here or by the system that searches with it), never the name or a derived
/// digest; the pointers themselves are checked by the schema.
fn yields(kind: ConnectorKind, conn: &Map<String, Value>, at: &str, doc: &Value, declared: &[&str], derived: &[&str], p: &mut Problems) {
    let Some(map) = conn.get("yields").and_then(Value::as_object) else { return };
    let base = join(at, "yields");
    if kind == ConnectorKind::Manual {
        p.add(
            base,
            "a manual system finds no records to read identifiers from",
            "remove \"yields\", or give the system a connector that searches (sqlite, csv, http, …)",
        );
        return;
    }
    let declared_anywhere: Vec<&str> = doc
        .get("systems")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .flat_map(|s| strings(s.pointer("/connector/identifiers")))
        .collect();
    let mut known: Vec<&str> = BUILTIN_IDENTIFIERS.iter().copied().filter(|k| *k != "name").collect();
    known.extend(declared);
    known.extend(&declared_anywhere);
    for key in map.keys() {
        let path = join(&base, key);
        if key == "name" {
            p.add(path, "the name is not an identifier a system can yield", "yield an identifier kind such as customer_id, email or phone; the subject's name is given on the case");
        } else if derived.contains(&key.as_str()) {
            p.add(path, format!("'{}' is derived here (a digest), not found in records", cut(key)), "yield the kind it is computed from, or give the yield its own name");
        } else if known.contains(&key.as_str()) {
            continue;
        } else if let Some(k) = IdentifierKind::from_key(key).ok().filter(|k| k.key() != key.as_str() && known.contains(&k.key())) {
            p.add(path, format!("'{}' is another spelling of '{}'", cut(key), k.key()), format!("use '{}' instead", k.key()));
        } else {
            p.add(
                path,
                format!("unknown identifier kind '{}'", cut(key)),
                format!(
                    "use one of {}, or declare the custom kind in \"identifiers\" of the connector that searches with it",
                    known.join(", ")
                ),
            );
        }
    }
}

fn sql_statement(
    kind: ConnectorKind,
    list: &str,
    sql: &str,
    at: &str,
    usable: &[&str],
    p: &mut Problems,
) {
    let q = Query {
        name: String::new(),
        sql: sql.to_string(),
    };
    let params = q.parameters();
    let verb = leading_keyword(sql);
    let (allowed, what): (&[&str], &str) = if list == "queries" {
        (&["SELECT", "WITH", "VALUES", "TABLE"], "a search query must only read: start it with SELECT")
    } else {
        (&["DELETE", "UPDATE"], "an erase, restrict or lift statement must be a DELETE or an UPDATE")
    };
    if !allowed.contains(&verb.as_str()) {
        let shown = if verb.is_empty() { "nothing".to_string() } else { format!("'{}'", cut(&verb)) };
        p.add(at, format!("the statement starts with {shown}"), what);
    }
    for param in &params {
        if !usable.contains(&param.name) {
            unknown_identifier(at, "SQL parameter", param.name, usable, p);
        }
    }
    if kind != ConnectorKind::Postgres && !q.positional_placeholders().is_empty() {
        p.add(
            at,
            "positional '?' parameters cannot be bound",
            "name the parameter instead, e.g. WHERE email = :email",
        );
    }
    if params.is_empty() {
        let consequence = if list == "queries" {
            "return every row for every subject"
        } else {
            "act on every row, not just the subject's"
        };
        p.add(
            at,
            format!("the statement uses no identifier parameter and would {consequence}"),
            "restrict it to the subject, e.g. WHERE lower(email) = :email",
        );
    }
}

fn unknown_identifier(at: &str, what: &str, name: &str, usable: &[&str], p: &mut Problems) {
    let suggestion = closest(name, usable).map(str::to_string).or_else(|| {
        IdentifierKind::from_key(name)
            .ok()
            .map(|k| k.key().to_string())
            .filter(|k| k != name && usable.contains(&k.as_str()))
    });
    let fix = match suggestion {
        Some(s) => format!("did you mean '{s}'?"),
        None => format!(
            "use one of {}; declare a custom identifier key in \"identifiers\" or a derived one in \"derive\"",
            usable.join(", ")
        ),
    };
    p.add(at, format!("unknown {what} '{}'", cut(name)), fix);
}

/// Whether `scheme://user:password@host` carries a password that is not a secret reference.
fn url_has_plain_password(url: &str) -> bool {
    let Some((_, rest)) = url.split_once("://") else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let Some((userinfo, _)) = authority.rsplit_once('@') else {
        return false;
    };
    let Some((_, password)) = userinfo.split_once(':') else {
        return false;
    };
    let is_reference = password.starts_with("{secret:") && password.ends_with('}');
    !password.is_empty() && !is_reference
}

/// The `{name}` placeholders of a URL template.
fn placeholders(url: &str) -> Vec<&str> {
    super::connector::url_placeholders(url)
}

/// The keys that make a system act on data.
const ACTING_KEYS: &[&str] = &["erase", "restrict", "lift"];

/// `erase`, `restrict` and `lift` only where the kind can carry them out (SPEC §10).
fn acting_keys(kind: ConnectorKind, conn: &Map<String, Value>, at: &str, p: &mut Problems) {
    for key in ACTING_KEYS.iter().filter(|k| conn.contains_key(**k)) {
        let (ok, fix) = match kind {
            ConnectorKind::Sqlite | ConnectorKind::Postgres | ConnectorKind::Mysql => (true, ""),
            ConnectorKind::Csv | ConnectorKind::Json | ConnectorKind::Jsonl => (
                *key == "erase",
                "a file can only be rewritten without the subject's records (\"erase\": \"rewrite\"); restrict it by hand (a task) or move the data into a database",
            ),
            ConnectorKind::Http => (*key == "erase", "an http system can only erase (\"erase\": {\"method\": \"DELETE\", \"url\": …}); restrict it by hand"),
            ConnectorKind::Logs => (false, "log files are never rewritten: remove the key; the plan says when the lines age out by retention.period"),
            ConnectorKind::Manual | ConnectorKind::Imap => (false, "remove the key; this system is acted on by hand (a task with a ready e-mail)"),
        };
        if !ok {
            p.add(join(at, key), format!("a {kind} connector cannot '{key}'"), fix);
        }
    }
}

/// A retention duty's `datasets` must name restrict statements of the system: those run
/// instead of the erase statement of the same name.
fn retained_datasets(system: &Value, duty: &Value, at: &str, p: &mut Problems) {
    let Some(names) = duty.get("datasets").and_then(Value::as_array) else { return };
    let conn = system.get("connector");
    let statements = |list: &str| -> Vec<&str> {
        conn.and_then(|c| c.get(list)).and_then(Value::as_array).map(|a| a.iter().filter_map(|q| q.get("name").and_then(Value::as_str)).collect()).unwrap_or_default()
    };
    let (erase, restrict) = (statements("erase"), statements("restrict"));
    for (i, name) in names.iter().enumerate() {
        let Some(name) = name.as_str() else { continue };
        if restrict.contains(&name) {
            continue;
        }
        let problem = if erase.contains(&name) {
            format!("dataset '{}' has an erase statement but no restrict statement of that name", cut(name))
        } else {
            format!("dataset '{}' names no statement of this system", cut(name))
        };
        let fix = if restrict.is_empty() {
            "add a \"restrict\" statement of that name to the connector (it runs instead of the erase statement while the duty lasts)".to_string()
        } else {
            format!("use one of the restrict statements: {}", restrict.join(", "))
        };
        p.add(join(at, i), problem, fix);
    }
}

/// The first SQL keyword, upper-case, after whitespace, comments and opening brackets.
pub(crate) fn leading_keyword(sql: &str) -> String {
    let mut rest = sql;
    loop {
        let t = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '(');
        if let Some(after) = t.strip_prefix("--") {
            rest = after.split_once('\n').map_or("", |(_, r)| r);
        } else if let Some(after) = t.strip_prefix("/*") {
            rest = after.split_once("*/").map_or("", |(_, r)| r);
        } else {
            return t.chars().take_while(char::is_ascii_alphabetic).collect::<String>().to_ascii_uppercase();
        }
    }
}
