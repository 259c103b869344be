//! The `dsar` CLI contract (SPEC §8): deadline vectors, the case lifecycle with JSON keys,
//! exit codes, and bad inputs that each give one clear line and change nothing.

mod common;

use common::*;
use serde_json::Value;

fn json(o: std::process::Output) -> Value {
    let text = ok(o);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}


#[test]
fn every_deadline_vector_through_dsar_deadline() {
    let mut checked = 0;
    for file in ["deadline-vectors.csv", "deadline-vectors-extra.csv"] {
        let path = data(file);
        let mut rdr = csv::Reader::from_path(&path).unwrap();
        let headers = rdr.headers().unwrap().clone();
        let col = |row: &csv::StringRecord, name: &str| -> String {
            headers.iter().position(|h| h == name).and_then(|i| row.get(i)).unwrap_or("").to_string()
        };
        for row in rdr.records() {
            let row = row.unwrap();
            let mut args = vec![
                "deadline".to_string(),
                "--received".into(),
                col(&row, "received"),
                "--jurisdiction".into(),
                col(&row, "jurisdiction"),
                "--region".into(),
                col(&row, "region"),
            ];
            if !col(&row, "identity_requested").is_empty() {
                args.extend(["--identity-requested".into(), col(&row, "identity_requested")]);
                if !col(&row, "identity_received").is_empty() {
                    args.extend(["--identity-received".into(), col(&row, "identity_received")]);
                }
            }
            if !col(&row, "pause_from").is_empty() {
                args.extend(["--pause".into(), format!("{}..{}", col(&row, "pause_from"), col(&row, "pause_to"))]);
            }
            if !col(&row, "right").is_empty() {
                args.extend(["--right".into(), col(&row, "right")]);
            }
            let out = dsar_cmd().args(&args).output().unwrap();
            let v = json(out);
            for key in ["due", "extension_notice_by", "extended_due", "acknowledge_by"] {
                let expected = col(&row, key);
                let got = v[key].as_str().unwrap_or("");
                assert_eq!(got, expected, "{file} row {} ({}): {key}", col(&row, "id"), col(&row, "note"));
                assert!(v.get(key).is_some(), "key {key} missing");
            }
            checked += 1;
        }
    }
    assert!(checked >= 20, "only {checked} vectors");
}

#[test]
fn the_audit_trail_names_the_os_account_when_the_environment_has_no_user() {
    let db = TempDb::new();
    let mut c = dsar_cmd();
    c.env("DSAR_DB", &db.path).env("DSAR_PASSPHRASE", PASS).env_remove("USER").env_remove("LOGNAME").arg("init");
    ok(c.output().unwrap());
    let mut c = dsar_cmd();
    let o = c
        .env("DSAR_DB", &db.path)
        .env("DSAR_PASSPHRASE", PASS)
        .env_remove("USER")
        .env_remove("LOGNAME")
        .args(["case", "new", "--right", "access", "--name", "Jana Beispiel", "--email", "jana@example.org", "--received", "2026-11-20"])
        .output()
        .unwrap();
    let reference = ok(o);
    let timeline: Value = serde_json::from_str(&ok(db.dsar(&["case", "timeline", reference.trim(), "--json"]))).unwrap();
    let actor = timeline[0]["actor"].as_str().unwrap();
    assert!(actor.starts_with("cli:") && actor != "cli:unknown" && actor != "cli:", "{actor}");
}

#[test]
fn case_lifecycle_through_the_cli() {
    let db = TempDb::new();
    ok(db.dsar(&["init"]));
    ok(db.dsar(&["register", "import", data("registers/smart-cx.json").to_str().unwrap()]));
    let list = ok(db.dsar(&["register", "list"]));
    assert!(list.contains("hosting-logs") && list.contains("twilio"), "{list}");

    let v = json(db.dsar(&[
        "case", "new", "--right", "access", "--right", "erasure", "--name", "Jana Beispiel", "--email", " Jana.Beispiel@Example.ORG ",
        "--phone", "02151 123456", "--id", "customer_id=K-1001", "--received", "2026-11-02", "--json",
    ]));
    assert_eq!(v["reference"], "DSAR-2026-0001");
    assert_eq!(v["rights"], serde_json::json!(["access", "erasure"]));
    assert_eq!(v["status"], "new");
    assert_eq!(v["received"], "2026-11-02");
    // The controller (SMART CJM, Krefeld) is in NW: 2 Dec 2026 is a Wednesday.
    assert_eq!(v["due"], "2026-12-02");
    assert_eq!(v["region"], "DE-NW");
    assert!(v["extended_due"].is_null());
    assert_eq!(v["subject"]["name"], "Jana Beispiel");
    let ids = v["subject"]["identifiers"].as_array().unwrap();
    assert!(ids.contains(&serde_json::json!({"kind": "email", "value": "jana.beispiel@example.org"})));
    assert!(ids.contains(&serde_json::json!({"kind": "phone", "value": "+492151123456"})));
    assert!(ids.contains(&serde_json::json!({"kind": "customer_id", "value": "K-1001"})));

    // Second case of the year gets the next number.
    assert_eq!(ok(db.dsar(&["case", "new", "--right", "access", "--name", "Kai", "--received", "2026-11-20"])).trim(), "DSAR-2026-0002");

    ok(db.dsar(&["case", "pause", "DSAR-2026-0001", "--reason", "identity", "--from", "2026-11-03"]));
    let v = json(db.dsar(&["case", "show", "DSAR-2026-0001", "--json"]));
    assert_eq!(v["status"], "awaiting-identity");
    assert_eq!(v["clock_stopped_since"], "2026-11-03");
    ok(db.dsar(&["case", "resume", "DSAR-2026-0001", "--on", "2026-11-13"]));
    let v = json(db.dsar(&["case", "show", "DSAR-2026-0001", "--json"]));
    assert_eq!(v["status"], "in-progress");
    // GDPR: 10 days of waiting are added: 2 Dec + 10 = 12 Dec (Saturday) → Monday 14 Dec.
    assert_eq!(v["due"], "2026-12-14");

    ok(db.dsar(&["case", "extend", "DSAR-2026-0001", "--reason", "many systems", "--on", "2026-11-21"]));
    let v = json(db.dsar(&["case", "show", "DSAR-2026-0001", "--json"]));
    assert_eq!(v["extended_due"], "2027-02-12");
    assert_eq!(v["effective_due"], "2027-02-12");

    let listed = json(db.dsar(&["case", "list", "--json"]));
    assert_eq!(listed["total"], 2);
    // Search: substring of the name, of an identifier, of the reference; probes match nothing.
    for (term, expected) in [("beisp", 1), ("jana.beispiel@exam", 1), ("2026-0002", 1), ("DSAR-2026", 2), ("Ka", 1), ("' OR 1=1 --", 0), ("\" OR \"", 0), ("%", 0)] {
        let found = json(db.dsar(&["case", "list", "--search", term, "--json"]));
        assert_eq!(found["total"], expected, "search {term:?}");
    }
    let overdue = json(db.dsar(&["case", "list", "--overdue", "--json"]));
    assert_eq!(overdue["total"], 0);

    ok(db.dsar(&["case", "close", "DSAR-2026-0002", "--outcome", "no-data", "--on", "2026-11-21"]));
    let closed = json(db.dsar(&["case", "list", "--status", "closed", "--json"]));
    assert_eq!(closed["cases"][0]["reference"], "DSAR-2026-0002");
    assert_eq!(closed["cases"][0]["outcome"], "no-data");

    let timeline = json(db.dsar(&["case", "timeline", "DSAR-2026-0001", "--json"]));
    let actions: Vec<&str> = timeline.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["case.created", "case.paused", "case.resumed", "case.extended"]);
    // The trail holds no personal data of the subject.
    let raw = serde_json::to_string(&timeline).unwrap();
    assert!(!raw.contains("Jana") && !raw.contains("example.org") && !raw.contains("2151"), "{raw}");

    let verify = ok(db.dsar(&["audit", "verify"]));
    assert!(verify.contains("intact"), "{verify}");

    // Export gives back a register that imports again.
    let exported = db.dir.path().join("export.json");
    ok(db.dsar(&["register", "export", exported.to_str().unwrap()]));
    ok(db.dsar(&["register", "import", exported.to_str().unwrap()]));
}

#[test]
fn secrets_are_stored_but_never_printed() {
    let db = TempDb::new();
    ok(db.dsar(&["init"]));
    let mut child = dsar_cmd()
        .env("DSAR_DB", &db.path)
        .env("DSAR_PASSPHRASE", PASS)
        .args(["secret", "set", "cleverreach_token"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(b"tok-SUPERSECRET-123\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stdout(&out).contains("SUPERSECRET") && !stderr(&out).contains("SUPERSECRET"));
    assert_eq!(ok(db.dsar(&["secret", "list"])).trim(), "cleverreach_token");
    let store = db.open();
    assert_eq!(dsar::secrets::get(&store, "cleverreach_token").unwrap().as_deref(), Some("tok-SUPERSECRET-123"));
    let trail: String = store.conn().query_row("SELECT group_concat(details) FROM audit_events", [], |r| r.get(0)).unwrap();
    assert!(!trail.contains("SUPERSECRET"));
}

#[test]
fn demo_database_is_a_living_desk() {
    let db = TempDb::new();
    ok(db.dsar(&["demo"]));
    let all = json(db.dsar(&["case", "list", "--json", "--limit", "1000"]));
    let cases = all["cases"].as_array().unwrap();
    assert!(cases.len() >= 25, "{}", cases.len());
    let has = |f: &dyn Fn(&Value) -> bool| cases.iter().any(f);
    assert!(has(&|c| c["overdue"] == true), "no overdue case");
    assert!(has(&|c| c["status"] != "closed" && c["days_left"].as_i64().is_some_and(|d| (0..=7).contains(&d)) && !c["status"].as_str().unwrap().starts_with("awaiting")), "none due this week");
    assert!(has(&|c| c["status"].as_str().unwrap().starts_with("awaiting")), "none paused");
    assert!(has(&|c| c["extended"] == true), "none extended");
    for outcome in ["fulfilled", "partially-fulfilled", "refused", "withdrawn", "no-data"] {
        assert!(has(&|c| c["outcome"] == outcome), "no {outcome}");
    }
    assert!(ok(db.dsar(&["audit", "verify"])).contains("intact"));
    // Human listing shows days left.
    let table = ok(db.dsar(&["case", "list"]));
    assert!(table.contains("OVERDUE") && table.contains("days left"), "{table}");

    // The firm's systems exist beside the database, and the demo already pulled some open
    // cases: an open access case has records from the SQLite, JSON Lines and both CSV systems.
    let data_dir = db.dir.path().join("demo-data/data");
    for f in ["dashboard.sqlite", "slack-notifications.jsonl", "salesforce-contacts.csv", "fastbill-invoices.csv"] {
        assert!(data_dir.join(f).is_file(), "{f} missing");
    }
    let systems_of = |r: &str| -> Vec<String> {
        let ev = json(db.dsar(&["case", "evidence", r, "--json"]));
        let mut s: Vec<String> = ev["evidence"].as_array().unwrap().iter().map(|e| e["system"].as_str().unwrap().to_string()).collect();
        s.sort();
        s.dedup();
        s
    };
    let open_access = cases.iter().filter(|c| c["status"] != "closed" && c["rights"].as_array().unwrap().iter().any(|r| r == "access"));
    let pulled: Vec<(String, Vec<String>)> = open_access.map(|c| c["reference"].as_str().unwrap().to_string()).map(|r| (r.clone(), systems_of(&r))).collect();
    let full = ["dashboard", "slack", "salesforce", "fastbill"];
    let (r, _) = pulled.iter().find(|(_, s)| full.iter().all(|f| s.iter().any(|x| x == f))).unwrap_or_else(|| panic!("no open access case with evidence from every file system: {pulled:?}"));
    assert!(pulled.iter().filter(|(_, s)| !s.is_empty()).count() >= 3, "{pulled:?}");
    let r = r.as_str();
    let ev = json(db.dsar(&["case", "evidence", r, "--json", "--system", "fastbill"]));
    let bill = &ev["evidence"][0]["record"];
    assert!(bill["Straße"].is_string() && bill["Währung"] == "€", "Windows-1252 read back: {bill}");
    let tasks = json(db.dsar(&["case", "tasks", r, "--json"]));
    assert!(tasks["tasks"].as_array().unwrap().iter().any(|t| t["system"] == "gmail" && t["status"] == "open"), "{tasks}");

    // Pulling again gives the same picture, with per-system counts and statuses.
    let pull = json(db.dsar(&["case", "pull", r, "--json"]));
    let sys = |id: &str| pull["systems"].as_array().unwrap().iter().find(|s| s["id"] == id).unwrap_or_else(|| panic!("{id} missing: {pull}")).clone();
    for id in full {
        assert!(sys(id)["status"] == "ok" && sys(id)["records"].as_u64().unwrap() > 0, "{id}: {pull}");
    }
    assert_eq!(sys("gmail")["status"], "manual");
    assert_eq!(sys("cleverreach")["status"], "error");
    assert!(sys("cleverreach")["error"].as_str().unwrap().contains("127.0.0.1:18080"), "{pull}");

    // The access letter and the export work for it.
    let pdf = db.dir.path().join("answer.pdf");
    let zip_path = db.dir.path().join("answer.zip");
    // The demo register is complete in German and English: no gap blocks the final letter,
    // but it warns while identity is open and names what is still being checked.
    let letter = db.dsar(&["letter", r, "--kind", "access-response", "--out", pdf.to_str().unwrap()]);
    let warned = stderr(&letter);
    ok(letter);
    assert!(!warned.contains("(accepted)") && !warned.contains("retention.description"), "{warned}");
    assert!(warned.contains("is not established") && warned.contains("still being checked (listed as such in the letter): gmail, cleverreach"), "{warned}");
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));
    ok(db.dsar(&["export", r, "--out", zip_path.to_str().unwrap()]));
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&zip_path).unwrap()).unwrap();
    let manifest: Value = serde_json::from_reader(archive.by_name("manifest.json").unwrap()).unwrap();
    let listed: Vec<&str> = manifest["systems"].as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap()).collect();
    for id in ["dashboard", "slack", "salesforce", "gmail", "fastbill", "cleverreach"] {
        assert!(listed.contains(&id), "{id} not in the manifest: {manifest}");
    }
    assert!(manifest["records"].as_u64().unwrap() > 0);
    assert!(ok(db.dsar(&["audit", "verify"])).contains("intact"));

    // --force starts over: a fresh database and fresh demo files.
    std::fs::write(data_dir.join("stray.txt"), "old").unwrap();
    assert_eq!(db.dsar(&["demo"]).status.code(), Some(1), "an existing demo is not overwritten without --force");
    ok(db.dsar(&["demo", "--force"]));
    assert!(!data_dir.join("stray.txt").exists() && data_dir.join("dashboard.sqlite").is_file());
    assert_eq!(systems_of(r).len(), 4, "the fresh demo pulled the case again");
}

/// State that must not change when a command is refused.
fn snapshot(db: &TempDb) -> (String, String) {
    let list = ok(db.dsar(&["case", "list", "--json", "--limit", "10000"]));
    let audit = ok(db.dsar(&["audit", "verify", "--json"]));
    (list, audit)
}

#[test]
fn bad_inputs_give_one_clear_line_and_change_nothing() {
    let db = TempDb::new();
    ok(db.dsar(&["init"]));
    ok(db.dsar(&["register", "import", data("registers/jaimo.json").to_str().unwrap()]));
    ok(db.dsar(&["case", "new", "--right", "access", "--name", "Existing Person", "--email", "e@example.org", "--received", "2026-11-02"]));
    ok(db.dsar(&["case", "new", "--right", "access", "--name", "Old Case", "--received", "2026-09-01"]));
    let before = snapshot(&db);
    let broken = db.dir.path().join("broken");
    std::fs::create_dir_all(&broken).unwrap();
    let reg = std::fs::read_to_string(data("registers/jaimo.json")).unwrap();
    let write = |name: &str, text: &str| {
        let p = broken.join(name);
        std::fs::write(&p, text).unwrap();
        p.to_str().unwrap().to_string()
    };
    let missing_field = write("missing.json", &reg.replacen("\"role\": \"internal\",", "", 1));
    let wrong_type = write("type.json", &reg.replacen("\"automated_decision_making\": false", "\"automated_decision_making\": \"no\"", 1));
    let dup = write("dup.json", &reg.replacen("\"id\": \"slack\"", "\"id\": \"dashboard\"", 1));
    let not_json = write("trunc.json", &reg[..reg.len() / 2]);
    let new = |extra: &[&str]| -> Vec<String> {
        let mut v: Vec<String> = ["case", "new", "--right", "access", "--name", "Max Muster", "--received", "2026-11-02"].iter().map(|s| s.to_string()).collect();
        for e in extra {
            v.push(e.to_string());
        }
        v
    };
    let with = |base: Vec<String>, from: &str, to: &str| -> Vec<String> { base.into_iter().map(|a| if a == from { to.to_string() } else { a }).collect() };
    let s = |a: &[&str]| a.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let cases: Vec<(&str, Vec<String>, &str)> = vec![
        ("impossible date", with(new(&[]), "2026-11-02", "2026-02-30"), "not a day of the calendar"),
        ("german date format", with(new(&[]), "2026-11-02", "02.11.2026"), "YYYY-MM-DD"),
        ("date in the future", with(new(&[]), "2026-11-02", "2026-12-24"), "future"),
        ("unknown right", with(new(&[]), "access", "acess"), "unknown right"),
        ("CCPA right under GDPR", with(new(&[]), "access", "know"), "CCPA"),
        ("unknown region", new(&["--region", "DE-XX"]), "unknown region"),
        ("unknown jurisdiction", new(&["--jurisdiction", "eu"]), "unknown jurisdiction"),
        ("region outside jurisdiction", new(&["--jurisdiction", "ccpa", "--region", "DE-NW"]), "region"),
        ("malformed e-mail", new(&["--email", "max.muster@"]), "e-mail"),
        ("e-mail without domain dot", new(&["--email", "max@examplecom"]), "e-mail"),
        ("malformed phone", new(&["--phone", "12"]), "telephone"),
        ("bad identifier key", new(&["--id", "Member No=77"]), "identifier key"),
        ("identifier without =", new(&["--id", "customer"]), "KEY=VALUE"),
        ("bad ip", new(&["--id", "ip=198.51.100.300"]), "IPv4"),
        ("empty name", with(new(&[]), "Max Muster", "  "), "name"),
        ("unknown channel", new(&["--channel", "fax"]), "unknown channel"),
        ("unknown language", new(&["--language", "fr"]), "unknown language"),
        ("register missing field", s(&["register", "import", &missing_field]), "/systems/0"),
        ("register wrong type", s(&["register", "import", &wrong_type]), "automated_decision_making"),
        ("register duplicate id", s(&["register", "import", &dup]), "dashboard"),
        ("register not JSON", s(&["register", "import", &not_json]), "line"),
        ("register file missing", s(&["register", "import", "/nonexistent/register.json"]), "cannot read"),
        ("unknown case", s(&["case", "show", "DSAR-2026-0099"]), "no case DSAR-2026-0099"),
        ("malformed reference", s(&["case", "show", "2026-42"]), "DSAR-YYYY-NNNN"),
        ("unknown pause reason", s(&["case", "pause", "DSAR-2026-0001", "--reason", "holiday", "--from", "2026-11-03"]), "identity, clarification"),
        ("pause before receipt", s(&["case", "pause", "DSAR-2026-0001", "--reason", "identity", "--from", "2026-10-01"]), "before the request was received"),
        ("resume without pause", s(&["case", "resume", "DSAR-2026-0001", "--on", "2026-11-10"]), "not paused"),
        ("extension too late", s(&["case", "extend", "DSAR-2026-0002", "--reason", "complex", "--on", "2026-11-21"]), "too late"),
        ("unknown outcome", s(&["case", "close", "DSAR-2026-0001", "--outcome", "done"]), "unknown outcome"),
        ("unknown status filter", s(&["case", "list", "--status", "open"]), "unknown status"),
        ("deadline bad month", s(&["deadline", "--received", "2026-13-01"]), "not a day of the calendar"),
        ("bad secret name", s(&["secret", "set", "bad name!"]), "secret name"),
    ];
    assert!(cases.len() >= 20);
    for (what, args, needle) in &cases {
        let out = db.dsar(&args.iter().map(String::as_str).collect::<Vec<_>>());
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{what}: exit {:?}, stderr: {err}", out.status.code());
        assert_eq!(err.trim_end().lines().count(), 1, "{what}: not one line: {err}");
        assert!(err.starts_with("dsar: "), "{what}: {err}");
        assert!(err.contains(needle), "{what}: expected '{needle}' in: {err}");
        assert!(!err.contains("panicked") && !err.contains("RUST_BACKTRACE"), "{what}: {err}");
        assert!(!err.contains("max.muster@") && !err.contains("Member No=77"), "{what}: personal data echoed: {err}");
    }
    assert_eq!(snapshot(&db), before, "a refused command changed the database");

    // Wrong passphrase and a missing database file: clear, exit 1, nothing created.
    let out = dsar_cmd().env("DSAR_DB", &db.path).env("DSAR_PASSPHRASE", "not the passphrase").args(["case", "list"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("wrong passphrase"), "{}", stderr(&out));
    let missing = db.dir.path().join("typo.db");
    let out = dsar_cmd().env("DSAR_DB", &missing).env("DSAR_PASSPHRASE", PASS).args(["case", "list"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("dsar init"), "{}", stderr(&out));
    assert!(!missing.exists());
    let out = dsar_cmd().env("DSAR_DB", &missing).env("DSAR_PASSPHRASE", "short").args(["init"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("at least 8"), "{}", stderr(&out));
    assert!(!missing.exists());
    assert_eq!(snapshot(&db), before);
}


#[test]
fn firm_calendar_changes_move_open_cases_and_explain_why() {
    let db = TempDb::new();
    ok(db.dsar(&["init"]));
    ok(db.dsar(&["register", "import", data("registers/smart-cx.json").to_str().unwrap()]));
    ok(db.dsar(&["case", "new", "--right", "access", "--name", "A", "--received", "2026-11-02"]));
    let due = |db: &TempDb| json(db.dsar(&["case", "show", "DSAR-2026-0001", "--json"]));
    assert_eq!(due(&db)["due"], "2026-12-02");
    // A company holiday on the due date (region defaults to the controller's, DE-NW).
    ok(db.dsar(&["calendar", "add", "2026-12-02", "--name", "Betriebsausflug"]));
    let v = due(&db);
    assert_eq!(v["due"], "2026-12-03");
    assert!(v["explanation"].to_string().contains("Betriebsausflug"), "{}", v["explanation"]);
    // The list of cases uses the recomputed date too (cached in the same transaction).
    let listed = json(db.dsar(&["case", "list", "--json"]));
    assert_eq!(listed["cases"][0]["due"], "2026-12-03");
    let days = json(db.dsar(&["calendar", "list", "--year", "2026", "--json"]));
    assert!(days["holidays"].as_array().unwrap().iter().any(|h| h["date"] == "2026-12-02" && h["user_added"] == true));
    ok(db.dsar(&["calendar", "reset", "2026-12-02"]));
    assert_eq!(due(&db)["due"], "2026-12-02");
    // Removing a day that is no holiday is refused; removing a real one works.
    let out = db.dsar(&["calendar", "remove", "2026-12-02"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("not a holiday"), "{}", stderr(&out));
    let timeline = ok(db.dsar(&["audit", "verify", "--json"]));
    assert!(timeline.contains("\"intact\": true"), "{timeline}");
}

#[test]
fn demo_force_never_replaces_a_real_desk() {
    let db = TempDb::new();
    ok(db.dsar(&["init"]));
    ok(db.dsar(&["case", "new", "--right", "access", "--name", "Real Person", "--email", "real@example.org", "--received", "2026-11-02"]));
    let before = std::fs::read(&db.path).unwrap();
    let out = db.dsar(&["demo", "--force"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("not a demo desk") && err.lines().count() == 1, "{err}");
    assert_eq!(std::fs::read(&db.path).unwrap(), before, "the real desk was touched");
    let list = ok(db.dsar(&["case", "list", "--json"]));
    assert!(list.contains("DSAR-2026-0001"), "{list}");

    // A demo desk opened with another passphrase is not known to be a demo either.
    let demo = TempDb::new();
    ok(demo.dsar(&["demo"]));
    let other = dsar_cmd().env("DSAR_DB", &demo.path).env("DSAR_PASSPHRASE", "another passphrase").args(["demo", "--force"]).output().unwrap();
    assert_eq!(other.status.code(), Some(1), "{}", stderr(&other));
    ok(demo.dsar(&["demo", "--force"]));
}

#[test]
fn a_letter_export_or_register_saved_over_the_open_database_is_refused() {
    let db = TempDb::new();
    ok(db.dsar(&["init"]));
    ok(db.dsar(&["register", "import", data("registers/jaimo.json").to_str().unwrap()]));
    ok(db.dsar(&["case", "new", "--right", "access", "--name", "Jana Beispiel", "--email", "jana@example.org", "--received", "2026-11-02"]));
    let before = snapshot(&db);
    let desk = db.path.to_str().unwrap().to_string();
    let wal = format!("{desk}-wal");
    let dotted = db.dir.path().join(".").join("desk.db").to_str().unwrap().to_string();
    let link = db.dir.path().join("answer.pdf");
    std::os::unix::fs::symlink(&db.path, &link).unwrap();
    let link = link.to_str().unwrap().to_string();
    for args in [
        vec!["letter", "DSAR-2026-0001", "--kind", "access-response", "--out", desk.as_str()],
        vec!["letter", "DSAR-2026-0001", "--kind", "access-response", "--out", dotted.as_str()],
        vec!["letter", "DSAR-2026-0001", "--kind", "access-response", "--out", link.as_str()],
        vec!["export", "DSAR-2026-0001", "--out", desk.as_str()],
        vec!["export", "DSAR-2026-0001", "--out", wal.as_str()],
        vec!["register", "export", desk.as_str()],
    ] {
        let out = db.dsar(&args);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains("the desk's own database"), "{args:?}: {}", stderr(&out));
        assert_eq!(snapshot(&db), before, "{args:?} changed the desk");
    }
    assert!(ok(db.dsar(&["audit", "verify"])).contains("intact"));
}

#[test]
fn implausible_years_and_control_characters_are_refused_at_the_field() {
    let db = TempDb::new();
    ok(db.dsar(&["init"]));
    for (args, field, words) in [
        (vec!["--name", "Jana Beispiel", "--received", "0206-03-01"], "received", "2018"),
        (vec!["--name", "Jana Beispiel", "--received", "2017-12-31"], "received", "2018"),
        (vec!["--name", "Jana \u{1b}]0;pwned\u{7}Beispiel", "--received", "2026-11-02"], "name", "U+001B"),
        (vec!["--name", "Jana Beispiel", "--address", "Hauptstr. 1\u{1b}[2J", "--received", "2026-11-02"], "address", "U+001B"),
        (vec!["--name", "Jana Beispiel", "--id", "customer_id=K-1\u{1}", "--received", "2026-11-02"], "customer_id", "U+0001"),
    ] {
        let mut full = vec!["case", "new", "--right", "access"];
        full.extend(args.iter().copied());
        let out = db.dsar(&full);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(err.contains(field) && err.contains(words) && err.lines().count() == 1, "{args:?}: {err}");
        assert!(!err.contains('\u{1b}'), "the escape reached the terminal: {err:?}");
    }
    let list = ok(db.dsar(&["case", "list", "--json"]));
    assert!(!list.contains("DSAR-"), "a refused case was created: {list}");
}

/// A register with one `http` system whose bearer token is `{secret:tok}`.
fn register_with_http(dir: &std::path::Path, name: &str, url: &str) -> std::path::PathBuf {
    let doc = serde_json::json!({
        "format": "dsar-register", "version": 1,
        "controller": {
            "name": "Beispiel GmbH", "address": ["Hauptstr. 1", "50667 Köln"],
            "email": "privacy@beispiel.example", "country": "DE", "region": "DE-NW",
            "language": "de", "jurisdiction": "gdpr", "supervisory_authority": {"name": "LDI NRW"}
        },
        "systems": [{
            "id": "crm", "name": {"de": "CRM", "en": "CRM"}, "role": "processor",
            "purposes": ["Vertrag"], "data_categories": ["E-Mail"], "legal_bases": ["art6-1-b"],
            "retention": {"description": "Bis Vertragsende", "period": "P3Y"},
            "recipients": [], "transfers": [], "source": "data-subject",
            "automated_decision_making": false,
            "connector": {"kind": "http", "url": url, "headers": {"Authorization": "Bearer {secret:tok}"}, "records": "/data"}
        }]
    });
    let path = dir.join(name);
    std::fs::write(&path, doc.to_string()).unwrap();
    path
}

/// Counts the connections a listener on `addr` receives (what a token sent there would reach).
fn counting_listener(addr: &str) -> (u16, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind(addr).unwrap();
    let port = listener.local_addr().unwrap().port();
    let count = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let seen = count.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\nConnection: close\r\n\r\n{\"data\":[]}");
        }
    });
    (port, count)
}

#[test]
fn a_secret_goes_only_where_it_was_set_for_until_the_user_allows_more() {
    let db = TempDb::new();
    ok(db.dsar(&["init"]));
    let (old_port, old_seen) = counting_listener("127.0.0.1:0");
    let (new_port, new_seen) = counting_listener("127.0.0.2:0");
    let first = register_with_http(db.dir.path(), "first.json", &format!("http://127.0.0.1:{old_port}/v3/receivers?email={{email}}"));
    ok(db.dsar(&["register", "import", first.to_str().unwrap()]));
    let mut set = dsar_cmd().env("DSAR_DB", &db.path).env("DSAR_PASSPHRASE", PASS).args(["secret", "set", "tok"]).stdin(std::process::Stdio::piped()).stdout(std::process::Stdio::piped()).spawn().unwrap();
    std::io::Write::write_all(set.stdin.as_mut().unwrap(), b"tok-123-SECRET").unwrap();
    let out = ok(set.wait_with_output().unwrap());
    assert!(out.contains(&format!("for crm (127.0.0.1:{old_port})")), "{out}");
    ok(db.dsar(&["case", "new", "--right", "access", "--name", "Jana Beispiel", "--email", "jana@example.org", "--received", "2026-11-02"]));
    let pulled = json(db.dsar(&["case", "pull", "DSAR-2026-0001", "--json"]));
    assert_eq!(pulled["systems"][0]["status"], "ok", "{pulled}");
    assert!(old_seen.load(std::sync::atomic::Ordering::SeqCst) >= 1);

    // A new register file points the CRM at another address: the token does not follow.
    let moved = register_with_http(db.dir.path(), "moved.json", &format!("http://127.0.0.2:{new_port}/v3/receivers?email={{email}}"));
    ok(db.dsar(&["register", "import", moved.to_str().unwrap()]));
    let pulled = json(db.dsar(&["case", "pull", "DSAR-2026-0001", "--json"]));
    let crm = &pulled["systems"][0];
    assert_eq!(crm["status"], "error", "{pulled}");
    let error = crm["error"].as_str().unwrap();
    assert!(error.contains(&format!("was set for 127.0.0.1:{old_port}")) && error.contains(&format!("127.0.0.2:{new_port}")), "{error}");
    assert!(error.contains("dsar secret allow tok --system crm") && !error.contains("tok-123"), "{error}");
    assert_eq!(new_seen.load(std::sync::atomic::Ordering::SeqCst), 0, "the token reached the new address");
    let tested = db.dsar(&["register", "test"]);
    assert!(stdout(&tested).contains("was set for") || stderr(&tested).contains("was set for"), "{}{}", stdout(&tested), stderr(&tested));
    assert_eq!(new_seen.load(std::sync::atomic::Ordering::SeqCst), 0);

    // The user's consent, audited, lets it go there.
    let allowed = ok(db.dsar(&["secret", "allow", "tok", "--system", "crm"]));
    assert!(allowed.contains(&format!("127.0.0.2:{new_port}")), "{allowed}");
    let pulled = json(db.dsar(&["case", "pull", "DSAR-2026-0001", "--json"]));
    assert_eq!(pulled["systems"][0]["status"], "ok", "{pulled}");
    assert!(new_seen.load(std::sync::atomic::Ordering::SeqCst) >= 1);
    assert!(ok(db.dsar(&["audit", "verify"])).contains("intact"));

    // The connector's token cannot double as the SMTP password, and back.
    let smtp = db.dsar(&["settings", "smtp", "--host", "smtp.example.com", "--port", "587", "--security", "starttls", "--user", "dpo@example.com", "--password-secret", "tok", "--from", "dpo@example.com"]);
    assert_eq!(smtp.status.code(), Some(1), "{}", stderr(&smtp));
    assert!(stderr(&smtp).contains("connector credential of crm"), "{}", stderr(&smtp));
}
