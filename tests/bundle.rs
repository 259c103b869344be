//! The export bundle and stored documents: round trip through independent tools (`unzip`,
//! `7z`, `check-jsonschema`), hostile names, escaping, encryption, tamper detection, the
//! `dsar export` command.

mod common;

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use chrono::{DateTime, Datelike, TimeZone, Timelike, Utc};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use common::*;
use dsar::bundle::{self, BundleError, BundleOptions, Manifest};
use dsar::cases::{self, Case, NewCase};
use dsar::connectors::Cancel;
use dsar::documents::{self, media, NewDocument};
use dsar::domain::{Channel, IdentifierKind, Language, Right};
use dsar::evidence::{self, Found, PullStatus, SystemResult};
use dsar::register::{Register, Text};
use dsar::store::Store;

const NAME: &str = "Jana Beispiel";
const EMAIL: &str = "jana.beispiel@example.org";
const PASSWORD: &str = "Pferd Batterie Heftklammer";
const LETTER: &[u8] = b"%PDF-1.7\n% a stand-in letter for the bundle tests\n%%EOF\n";

fn generated_at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 21, 14, 30, 12).unwrap()
}

/// An independent program the test runs; fails (never skips) with how to get it.
fn tool(name: &str) -> PathBuf {
    let peers = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/python-peers/bin").join(name);
    if peers.is_file() {
        return peers;
    }
    let on_path = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).map(|d| d.join(name)).find(|c| c.is_file()))
        .unwrap_or_default();
    on_path.unwrap_or_else(|| {
        panic!("`{name}` is needed by this test and was not found: run `bash scripts/test.sh` (it installs p7zip-full, unzip and check-jsonschema), or `bash scripts/python-peers.sh` and `apt-get install p7zip-full unzip`")
    })
}

struct Desk {
    _db: TempDb,
    store: Store,
    case: Case,
    register: Register,
}

fn desk(register: &str, language: Language) -> Desk {
    let db = TempDb::new();
    let mut store = db.create();
    let c = ctx("2026-11-21");
    let register = dsar::register_store::import_file(&mut store, &c, &data(&format!("registers/{register}.json"))).unwrap();
    let case = cases::create(
        &mut store,
        &c,
        NewCase {
            rights: vec![Right::Access, Right::Portability],
            name: NAME.into(),
            address: vec!["Musterstraße 5".into(), "50667 Köln".into()],
            identifiers: vec![(IdentifierKind::Email, EMAIL.into()), (IdentifierKind::Phone, "+49 171 5550123".into())],
            received: date("2026-11-02"),
            jurisdiction: None,
            region: None,
            language: Some(language),
            channel: Channel::Email,
        },
    )
    .unwrap();
    Desk { _db: db, store, case, register }
}

/// Records as connectors return them: umlauts, quotes, commas, line breaks, nested values,
/// numbers, nulls, keys missing in some records, a non-object record.
fn sample(system: &str) -> Vec<(&'static str, Vec<Value>)> {
    vec![
        (
            "kunden",
            vec![
                json!({"id": 1001, "name": NAME, "email": EMAIL, "ort": "Köln, Altstadt-Nord", "umsatz": 1234.5, "newsletter": true}),
                json!({"id": 1002, "name": NAME, "email": EMAIL, "notiz": "sagt \"danke\"\nzweite Zeile", "tags": ["vip", "ĳsselmeer"], "meta": {"quelle": system}, "gelöscht": null}),
            ],
        ),
        ("rechnungen 2025", vec![json!({"nr": "R-2025-17", "betrag": "99,90 €", "kunde": 1001}), json!("log line: GET /€ 200")]),
    ]
}

fn add(store: &mut Store, case: &Case, system: &str, status: PullStatus, datasets: &[(&str, Vec<Value>)]) -> u64 {
    let found: Vec<Found> = datasets
        .iter()
        .flat_map(|(ds, recs)| recs.iter().enumerate().map(move |(i, r)| Found { dataset: ds.to_string(), locator: format!("{ds}:{i}"), record: r.clone() }))
        .collect();
    let n = found.len() as u64;
    let result = SystemResult { system_id: system.into(), status, records: n, duration_ms: 3, error: None, pulled_at: "2026-11-20T10:00:00Z".into() };
    store.write(|tx| evidence::replace_system(tx, &case.id, &result, &found)).unwrap();
    n
}

fn build_file(d: &Desk, path: &Path, letter: Option<(&str, &[u8])>, password: Option<&str>) -> Manifest {
    build_with(d, &d.register, path, letter, password).unwrap()
}

fn build_with(d: &Desk, register: &Register, path: &Path, letter: Option<(&str, &[u8])>, password: Option<&str>) -> Result<Manifest, BundleError> {
    let found = evidence::for_case(d.store.conn(), &d.case.id).unwrap();
    let results = evidence::results(d.store.conn(), &d.case.id).unwrap();
    let options = BundleOptions { password: password.map(str::to_string), generated_at: generated_at(), progress: None, cancel: None };
    let mut out = BufWriter::new(File::create(path).unwrap());
    let m = bundle::build(&d.case, register, &found, &results, letter, &options, &mut out)?;
    out.flush().unwrap();
    Ok(m)
}

fn run(cmd: &mut Command) -> std::process::Output {
    cmd.stdin(Stdio::null()).output().unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"))
}

fn unzip_to(zip: &Path, dir: &Path) {
    let o = run(Command::new(tool("unzip")).arg("-q").arg(zip).arg("-d").arg(dir));
    assert!(o.status.success(), "unzip failed: {}", String::from_utf8_lossy(&o.stderr));
}

/// Every file under `dir`, as `/`-separated relative paths.
fn walk(dir: &Path) -> Vec<String> {
    fn go(base: &Path, d: &Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                go(base, &p, out);
            } else {
                out.push(p.strip_prefix(base).unwrap().to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let mut out = Vec::new();
    go(dir, dir, &mut out);
    out.sort();
    out
}

/// How a JSON value must read in a CSV cell (written independently of the exporter).
fn expected_cell(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

fn check_schema(manifest: &Path) -> std::process::Output {
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/bundle-manifest.schema.json");
    run(Command::new(tool("check-jsonschema")).arg("--schemafile").arg(schema).arg(manifest))
}

/// The full round trip on an unpacked bundle: files exactly as listed, sizes and checksums,
/// schema-valid manifest, and every CSV holding the same rows as its JSON.
fn check_unpacked(dir: &Path, m: &Manifest) {
    let mut listed: Vec<String> = m.files.iter().map(|f| f.path.clone()).collect();
    listed.push("manifest.json".into());
    listed.sort();
    assert_eq!(walk(dir), listed, "the archive holds exactly the manifest's files");
    for f in &m.files {
        let bytes = std::fs::read(dir.join(&f.path)).unwrap();
        assert_eq!(bytes.len() as u64, f.bytes, "size of {}", f.path);
        assert_eq!(hex::encode(Sha256::digest(&bytes)), f.sha256, "sha256 of {}", f.path);
    }
    let on_disk: Manifest = serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(&on_disk, m);
    let o = check_schema(&dir.join("manifest.json"));
    assert!(o.status.success(), "check-jsonschema rejected the manifest:\n{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));

    let mut total = 0;
    for s in &m.systems {
        let mut sum = 0;
        for d in &s.datasets {
            let records: Vec<Value> = serde_json::from_slice(&std::fs::read(dir.join(&d.json)).unwrap()).unwrap();
            assert_eq!(records.len() as u64, d.records, "{}", d.json);
            let raw = std::fs::read(dir.join(&d.csv)).unwrap();
            assert!(raw.starts_with(b"\xEF\xBB\xBF"), "{} starts with a UTF-8 BOM", d.csv);
            let mut rdr = csv::Reader::from_reader(&raw[3..]);
            let header: Vec<String> = rdr.headers().unwrap().iter().map(str::to_string).collect();
            // The expected header, derived independently: keys in first-seen order, plus one
            // column (named `value` unless a key has that name) for records that are not objects.
            let mut want_header: Vec<String> = Vec::new();
            for r in &records {
                for k in r.as_object().map(|o| o.keys().collect::<Vec<_>>()).unwrap_or_default() {
                    if !want_header.contains(k) {
                        want_header.push(k.clone());
                    }
                }
            }
            let scalar_col = records.iter().any(|r| !r.is_object()).then(|| {
                ["value", "value_", "value__"].into_iter().find(|c| !want_header.iter().any(|h| h == c)).unwrap().to_string()
            });
            want_header.extend(scalar_col.clone());
            assert_eq!(header, want_header, "{} header", d.csv);
            let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
            assert_eq!(rows.len(), records.len(), "{}: one CSV row per JSON record", d.csv);
            for (row, rec) in rows.iter().zip(&records) {
                for (col, cell) in header.iter().zip(row.iter()) {
                    let want = match rec {
                        Value::Object(o) => expected_cell(o.get(col)),
                        scalar if Some(col) == scalar_col.as_ref() => expected_cell(Some(scalar)),
                        _ => String::new(),
                    };
                    assert_eq!(cell, want, "{} column {col}", d.csv);
                }
            }
            sum += d.records;
        }
        assert_eq!(sum, s.records, "{}", s.id);
        total += sum;
    }
    assert_eq!(total, m.records);
}

#[test]
fn round_trip_every_checksum_count_and_row_matches_for_each_fixture_firm() {
    for (register, lang, systems) in [
        ("jaimo", Language::De, ["dashboard", "salesforce"]),
        ("smart-cx", Language::En, ["appointments", "hosting-logs"]),
        ("websmart", Language::Nl, ["crm", "newsletter"]),
    ] {
        let mut d = desk(register, lang);
        let mut expected = BTreeMap::new();
        for s in systems {
            let n = add(&mut d.store, &d.case, s, PullStatus::Ok, &sample(s));
            expected.insert(s.to_string(), n);
        }
        let tmp = tempfile::tempdir().unwrap();
        let zip = tmp.path().join("bundle.zip");
        let m = build_file(&d, &zip, Some(("DSAR-2026-0001-access-response.pdf", LETTER)), None);
        assert_eq!(m.format, "dsar-bundle");
        assert_eq!(m.version, 1);
        assert_eq!(m.reference, d.case.reference.to_string());
        assert_eq!(m.rights, ["access", "portability"]);
        assert_eq!(m.language, lang.code());
        assert_eq!(m.controller.name, d.register.controller.name);
        assert_eq!(m.generated_at, "2026-11-21T14:30:12Z");
        assert_eq!(m.systems.len(), d.register.systems.len(), "{register}: every register system is listed");
        for s in &m.systems {
            assert_eq!(s.records, expected.get(&s.id).copied().unwrap_or(0), "{register}/{}", s.id);
            let want_status = if expected.contains_key(&s.id) { "ok" } else { "not-searched" };
            assert_eq!(s.status, want_status);
        }
        let letter = m.files.iter().find(|f| f.media_type == "application/pdf").expect("letter in the bundle");
        assert_eq!(letter.path, "DSAR-2026-0001-access-response.pdf");

        let out = tmp.path().join("unpacked");
        unzip_to(&zip, &out);
        check_unpacked(&out, &m);
        assert_eq!(std::fs::read(out.join(&letter.path)).unwrap(), LETTER);
        assert_eq!(bundle::verify(&zip, None).unwrap(), m);
    }
}

#[test]
fn manifest_snapshot() {
    let mut d = desk("jaimo", Language::De);
    add(&mut d.store, &d.case, "dashboard", PullStatus::Ok, &sample("dashboard"));
    add(&mut d.store, &d.case, "gmail", PullStatus::Manual, &[]);
    let tmp = tempfile::tempdir().unwrap();
    let zip = tmp.path().join("b.zip");
    let m = build_file(&d, &zip, Some(("Auskunft.pdf", LETTER)), None);
    // Reviewed like code: a change here is a change of the file format or of what the subject reads.
    insta::assert_snapshot!("manifest", serde_json::to_string_pretty(&m).unwrap());
    let mut html = String::new();
    zip::ZipArchive::new(File::open(&zip).unwrap()).unwrap().by_name("index.html").unwrap().read_to_string(&mut html).unwrap();
    insta::assert_snapshot!("index_de", html);
}

#[test]
fn the_schema_validator_rejects_what_the_schema_forbids() {
    let mut d = desk("jaimo", Language::En);
    add(&mut d.store, &d.case, "dashboard", PullStatus::Ok, &sample("dashboard"));
    let tmp = tempfile::tempdir().unwrap();
    let m = build_file(&d, &tmp.path().join("b.zip"), None, None);
    let mut v = serde_json::to_value(&m).unwrap();
    let good = tmp.path().join("good.json");
    std::fs::write(&good, v.to_string()).unwrap();
    assert!(check_schema(&good).status.success());
    for (pointer, bad) in [
        ("/files/0/path", json!("../../etc/passwd")),
        ("/files/0/path", json!("data/CON/x.json")),
        ("/files/0/path", json!("data/a:b/x.json")),
        ("/files/0/sha256", json!("not-a-checksum")),
        ("/format", json!("zip")),
        ("/systems/0/status", json!("maybe")),
    ] {
        let mut broken = v.clone();
        *broken.pointer_mut(pointer).unwrap() = bad.clone();
        let p = tmp.path().join("bad.json");
        std::fs::write(&p, broken.to_string()).unwrap();
        assert!(!check_schema(&p).status.success(), "schema accepted {pointer} = {bad}");
    }
    v.as_object_mut().unwrap().insert("surprise".into(), json!(1));
    let p = tmp.path().join("extra.json");
    std::fs::write(&p, v.to_string()).unwrap();
    assert!(!check_schema(&p).status.success(), "schema accepted an unknown key");
}

#[test]
fn encrypted_bundle_opens_with_7z_and_the_password_only() {
    let mut d = desk("jaimo", Language::De);
    add(&mut d.store, &d.case, "salesforce", PullStatus::Ok, &sample("salesforce"));
    let tmp = tempfile::tempdir().unwrap();
    let zip = tmp.path().join("secret.zip");
    let m = build_file(&d, &zip, Some(("letter.pdf", LETTER)), Some(PASSWORD));
    assert!(m.encrypted);

    let raw = std::fs::read(&zip).unwrap();
    for needle in ["Beispiel", "jana.beispiel", "Altstadt", "R-2025-17", "dsar-bundle", "<html"] {
        assert!(!raw.windows(needle.len()).any(|w| w == needle.as_bytes()), "{needle:?} readable in the encrypted archive");
    }

    let sevenz = tool("7z");
    let out = tmp.path().join("with-password");
    let o = run(Command::new(&sevenz).arg("x").arg(format!("-p{PASSWORD}")).arg(format!("-o{}", out.display())).arg(&zip));
    assert!(o.status.success(), "7z could not open it with the password: {}", String::from_utf8_lossy(&o.stdout));
    check_unpacked(&out, &m);

    for (label, arg) in [("wrong password", "-pnot the password".to_string()), ("no password", "-p".to_string())] {
        let out = tmp.path().join(label.replace(' ', "-"));
        let o = run(Command::new(&sevenz).arg("x").arg(&arg).arg(format!("-o{}", out.display())).arg(&zip));
        assert!(!o.status.success(), "7z opened the bundle with {label}");
        let leaked = walk(&out).into_iter().any(|p| std::fs::read(out.join(&p)).map(|b| !b.is_empty()).unwrap_or(false));
        assert!(!leaked, "7z wrote content with {label}");
    }
    let o = run(Command::new(tool("unzip")).arg("-P").arg("wrong").arg("-q").arg(&zip).arg("-d").arg(tmp.path().join("unzip")));
    assert!(!o.status.success(), "unzip opened it with a wrong password");

    assert_eq!(bundle::verify(&zip, Some(PASSWORD)).unwrap(), m);
    assert!(matches!(bundle::verify(&zip, None), Err(BundleError::Password)));
    assert!(matches!(bundle::verify(&zip, Some("wrong wrong wrong")), Err(BundleError::Password)));
}

#[test]
fn a_short_password_is_refused_before_anything_is_written() {
    let d = desk("jaimo", Language::De);
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("b.zip");
    let e = build_with(&d, &d.register, &path, None, Some("kurz")).unwrap_err();
    assert!(matches!(e, BundleError::WeakPassword { .. }), "{e}");
    assert!(e.to_string().contains("password"), "{e}");
    assert_eq!(std::fs::metadata(&path).unwrap().len(), 0);
}

#[test]
fn hostile_system_and_dataset_names_become_safe_unique_and_anonymous() {
    let mut d = desk("jaimo", Language::En);
    let hostile_datasets = [
        "../../../etc/passwd",
        "/absolute/path",
        "C:\\Windows\\system32\\drivers",
        "CON",
        "nul.txt",
        "a<b>c:d\"e|f?g*h",
        "trailing dots...",
        "trailing space ",
        ".hidden",
        "..",
        "",
        "Orders",
        "orders",
        "ORDERS",
        "line\nbreak\ttab\u{7}",
        "right-to-left \u{202E}fdp.exe",
        "export Jana Beispiel",
        "jana.beispiel@example.org",
        "4917155501232",
        &"x".repeat(300),
    ];
    let datasets: Vec<(&str, Vec<Value>)> = hostile_datasets.iter().map(|n| (*n, vec![json!({"k": n})])).collect();
    add(&mut d.store, &d.case, "dashboard", PullStatus::Ok, &datasets);
    add(&mut d.store, &d.case, "../escape", PullStatus::Ok, &[("x", vec![json!({"a": 1})])]);
    add(&mut d.store, &d.case, "Jana-Beispiel", PullStatus::Ok, &[("x", vec![json!({"a": 2})])]);

    let tmp = tempfile::tempdir().unwrap();
    let zip = tmp.path().join("b.zip");
    let m = build_file(&d, &zip, Some(("Brief an Jana Beispiel.pdf", LETTER)), None);

    let names: Vec<String> = {
        let a = zip::ZipArchive::new(File::open(&zip).unwrap()).unwrap();
        a.file_names().map(|n| n.unwrap().into_owned()).collect()
    };
    assert_eq!(names.len(), (hostile_datasets.len() + 2) * 2 + 3, "{names:#?}");
    let mut lower: Vec<String> = names.iter().map(|n| n.to_lowercase()).collect();
    lower.sort();
    lower.dedup();
    assert_eq!(lower.len(), names.len(), "names unique even ignoring case: {names:#?}");
    let reserved = ["con", "prn", "aux", "nul", "com1", "lpt1"];
    for n in &names {
        assert!(!n.starts_with('/') && !n.contains('\\'), "{n:?}");
        for seg in n.split('/') {
            assert!(!seg.is_empty() && seg != ".." && seg != ".", "{n:?}");
            assert!(!seg.starts_with('.'), "hidden or relative component in {n:?}");
            assert!(!seg.ends_with('.') && !seg.ends_with(' '), "{n:?}");
            assert!(seg.len() <= 90, "{n:?} too long");
            assert!(!seg.chars().any(|c| "<>:\"|?*".contains(c) || c.is_control() || c == '\u{202E}'), "{n:?}");
            let stem = seg.split('.').next().unwrap().to_lowercase();
            assert!(!reserved.contains(&stem.as_str()), "{n:?} is a Windows device name");
        }
        let l = n.to_lowercase();
        for personal in ["jana", "beispiel", "example.org", "4917155501232"] {
            assert!(!l.contains(personal), "{n:?} reveals the subject");
        }
    }
    assert!(names.iter().any(|n| n == "data/dashboard/_CON.json"), "{names:#?}");
    for n in ["data/dashboard/ORDERS.json", "data/dashboard/Orders-2.json", "data/dashboard/orders-3.csv", "letter-1.pdf"] {
        assert!(names.iter().any(|x| x == n), "{n} missing in {names:#?}");
    }

    // Unpacking puts everything inside the target folder and nowhere else.
    let out = tmp.path().join("unpacked");
    unzip_to(&zip, &out);
    assert_eq!(walk(tmp.path()).len(), names.len() + 1, "only the archive and its files exist: {:#?}", walk(tmp.path()));
    check_unpacked(&out, &m);
    // The original names are kept inside the manifest, where the subject can read them.
    let dash = m.systems.iter().find(|s| s.id == "dashboard").unwrap();
    assert!(dash.datasets.iter().any(|ds| ds.name == "../../../etc/passwd"));
    assert!(m.systems.iter().any(|s| s.id == "../escape" && s.files[0].starts_with("data/_escape/")));
}

#[test]
fn index_html_is_escaped_self_contained_and_in_the_case_language() {
    for (lang, heading) in [(Language::De, "Kopie Ihrer personenbezogenen Daten"), (Language::En, "Copy of your personal data"), (Language::Nl, "Kopie van uw persoonsgegevens")] {
        let mut d = desk("jaimo", lang);
        add(&mut d.store, &d.case, "dashboard", PullStatus::Ok, &[("<img src=x onerror=alert(1)>", vec![json!({"a": 1})])]);
        add(&mut d.store, &d.case, "gmail", PullStatus::Manual, &[]);
        let mut register = d.register.clone();
        register.systems[0].name = Text::Plain("<script>alert(\"x\")</script> & {{ 7*7 }}".into());
        register.controller.name = "Jaimo <b>Solutions</b> GmbH".into();
        let tmp = tempfile::tempdir().unwrap();
        let zip = tmp.path().join("b.zip");
        build_with(&d, &register, &zip, Some(("letter.pdf", LETTER)), None).unwrap();
        let mut a = zip::ZipArchive::new(File::open(&zip).unwrap()).unwrap();
        let mut html = String::new();
        a.by_name("index.html").unwrap().read_to_string(&mut html).unwrap();

        assert!(html.contains(&format!("<html lang=\"{}\">", lang.code())), "{lang}");
        assert!(html.contains(heading), "{lang}: heading");
        assert!(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;&#x2f;script&gt; &amp; {{ 7*7 }}"), "{lang}: system name escaped and printed literally:\n{html}");
        assert!(!html.contains("<script") && !html.contains("<img") && !html.contains("<b>"), "{lang}: markup from the register leaked");
        assert!(html.contains("Jaimo &lt;b&gt;Solutions&lt;&#x2f;b&gt; GmbH"), "{lang}");
        assert!(!html.contains("http://") && !html.contains("https://") && !html.contains("src=\""), "{lang}: external resource");
        assert!(html.contains("default-src 'none'"), "{lang}: CSP");
        assert!(html.contains("href=\"letter.pdf\""), "{lang}: letter linked");
        assert!(html.contains("href=\"data/dashboard/_img%20src%3Dx%20onerror%3Dalert%281%29_.csv\""), "{lang}: dataset linked:\n{html}");
        assert!(!html.contains(NAME) && !html.contains(EMAIL), "{lang}: the page does not need the subject's name");
    }
}

#[test]
fn entries_carry_the_bundle_date_not_1980() {
    let mut d = desk("jaimo", Language::De);
    add(&mut d.store, &d.case, "dashboard", PullStatus::Ok, &sample("dashboard"));
    let tmp = tempfile::tempdir().unwrap();
    let zip = tmp.path().join("b.zip");
    build_file(&d, &zip, None, Some(PASSWORD));
    let mut a = zip::ZipArchive::new(File::open(&zip).unwrap()).unwrap();
    let t = generated_at();
    for i in 0..a.len() {
        let f = a.by_index_raw(i).unwrap();
        let m = f.last_modified().expect("entry date");
        assert_eq!(
            (m.year(), m.month(), m.day(), m.hour(), m.minute(), m.second()),
            (t.year() as u16, t.month() as u8, t.day() as u8, t.hour() as u8, t.minute() as u8, t.second() as u8),
            "{:?}",
            f.name()
        );
    }
}

/// Copies a bundle, letting `change` alter, drop or add entries.
fn rewrite(src: &Path, dst: &Path, change: impl Fn(&str, Vec<u8>) -> Option<Vec<u8>>, add: Option<(&str, &[u8])>) {
    let mut a = zip::ZipArchive::new(File::open(src).unwrap()).unwrap();
    let mut w = zip::ZipWriter::new(File::create(dst).unwrap());
    for i in 0..a.len() {
        let mut f = a.by_index(i).unwrap();
        let name = f.name().unwrap().into_owned();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        if let Some(b) = change(&name, bytes) {
            w.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
            w.write_all(&b).unwrap();
        }
    }
    if let Some((name, b)) = add {
        w.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        w.write_all(b).unwrap();
    }
    w.finish().unwrap();
}

#[test]
fn verify_finds_changed_missing_and_extra_files() {
    let mut d = desk("jaimo", Language::De);
    add(&mut d.store, &d.case, "dashboard", PullStatus::Ok, &sample("dashboard"));
    let tmp = tempfile::tempdir().unwrap();
    let zip = tmp.path().join("b.zip");
    build_file(&d, &zip, None, None);
    let bad = tmp.path().join("bad.zip");

    rewrite(&zip, &bad, |n, mut b| {
        if n.ends_with("kunden.csv") {
            b.extend_from_slice(b"1003,Mallory\r\n");
        }
        Some(b)
    }, None);
    let e = bundle::verify(&bad, None).unwrap_err();
    assert!(matches!(&e, BundleError::Mismatch { path, .. } if path.ends_with("kunden.csv")), "{e}");

    rewrite(&zip, &bad, |n, b| (!n.ends_with("kunden.json")).then_some(b), None);
    let e = bundle::verify(&bad, None).unwrap_err();
    assert!(e.to_string().contains("kunden.json"), "{e}");

    rewrite(&zip, &bad, |_, b| Some(b), Some(("data/dashboard/extra.json", b"[]")));
    let e = bundle::verify(&bad, None).unwrap_err();
    assert!(e.to_string().contains("not in the manifest"), "{e}");

    rewrite(&zip, &bad, |n, b| {
        if n == "manifest.json" {
            let mut m: Manifest = serde_json::from_slice(&b).unwrap();
            m.systems[0].datasets[0].records += 1;
            m.systems[0].records += 1;
            m.records += 1;
            return Some(serde_json::to_vec(&m).unwrap());
        }
        Some(b)
    }, None);
    let e = bundle::verify(&bad, None).unwrap_err();
    assert!(e.to_string().contains("records"), "{e}");

    std::fs::write(&bad, b"not a zip").unwrap();
    assert!(matches!(bundle::verify(&bad, None), Err(BundleError::NotABundle(_))));
}

#[test]
fn systems_without_data_are_listed_with_how_their_search_went() {
    let mut d = desk("jaimo", Language::En);
    add(&mut d.store, &d.case, "dashboard", PullStatus::Ok, &sample("dashboard"));
    add(&mut d.store, &d.case, "slack", PullStatus::Ok, &[]);
    add(&mut d.store, &d.case, "gmail", PullStatus::Manual, &[]);
    add(&mut d.store, &d.case, "cleverreach", PullStatus::Error, &[]);
    let tmp = tempfile::tempdir().unwrap();
    let zip = tmp.path().join("b.zip");
    let m = build_file(&d, &zip, None, None);
    let status: BTreeMap<&str, (&str, u64, usize)> = m.systems.iter().map(|s| (s.id.as_str(), (s.status.as_str(), s.records, s.files.len()))).collect();
    assert_eq!(status["dashboard"], ("ok", 4, 4));
    assert_eq!(status["slack"], ("ok", 0, 0));
    assert_eq!(status["gmail"], ("manual", 0, 0));
    assert_eq!(status["cleverreach"], ("error", 0, 0));
    assert_eq!(status["fastbill"], ("not-searched", 0, 0));
    let mut a = zip::ZipArchive::new(File::open(&zip).unwrap()).unwrap();
    let mut html = String::new();
    a.by_name("index.html").unwrap().read_to_string(&mut html).unwrap();
    for phrase in ["4 records", "Searched: nothing about you found", "Searched by hand", "Could not be searched automatically", "Not searched automatically"] {
        assert!(html.contains(phrase), "index.html lacks {phrase:?}");
    }
}

fn store_letter(d: &mut Desk, kind: &str, pdf: &[u8], file_name: &str) -> documents::Document {
    let c = ctx("2026-11-21");
    let case = d.case.clone();
    d.store
        .write(|tx| {
            documents::insert(
                tx,
                &c,
                &case,
                &NewDocument { kind, language: case.language, file_name, media_type: media::PDF, content: pdf, sent_at: None, message_id: None },
                Value::Null,
            )
        })
        .unwrap()
}

#[test]
fn documents_keep_exact_bytes_list_in_order_and_find_the_newest_answer_letter() {
    let mut d = desk("jaimo", Language::De);
    let ack = store_letter(&mut d, "acknowledgement", b"%PDF ack", "ack.pdf");
    let first = store_letter(&mut d, "access-response", b"%PDF first", "a1.pdf");
    let second = store_letter(&mut d, "portability-response", b"%PDF second", "p2.pdf");
    let conn = d.store.conn();
    let list = documents::list(conn, &d.case.id).unwrap();
    assert_eq!(list.iter().map(|x| x.id.as_str()).collect::<Vec<_>>(), [&ack.id, &first.id, &second.id]);
    assert_eq!(first.sha256, hex::encode(Sha256::digest(b"%PDF first")));
    assert_eq!(first.bytes, 10);
    let (doc, bytes) = documents::read(conn, &d.case.id, &first.id).unwrap();
    assert_eq!((doc, bytes.as_slice()), (first.clone(), &b"%PDF first"[..]));
    let (newest, bytes) = documents::newest(conn, &d.case.id, bundle::LETTER_KINDS, media::PDF).unwrap().unwrap();
    assert_eq!((newest.id.as_str(), bytes.as_slice()), (second.id.as_str(), &b"%PDF second"[..]));
    assert!(documents::newest(conn, &d.case.id, &["refusal"], media::PDF).unwrap().is_none());
    let e = documents::read(conn, &d.case.id, "no-such-id").unwrap_err();
    assert!(e.is_user_error() && e.to_string().contains("document"), "{e}");

    let events = dsar::audit::for_case(conn, &d.case.id).unwrap();
    let saved: Vec<_> = events.iter().filter(|e| e.action == "document.saved").collect();
    assert_eq!(saved.len(), 3);
    let details: Value = serde_json::from_str(&saved[1].details).unwrap();
    assert_eq!(details["kind"], "access-response");
    assert_eq!(details["sha256"], first.sha256);
    assert_eq!(details["document"], first.id);
}

#[test]
fn a_changed_stored_document_is_reported_not_handed_out() {
    let mut d = desk("jaimo", Language::De);
    let doc = store_letter(&mut d, "access-response", b"%PDF original", "a.pdf");
    d.store.conn().execute("UPDATE documents SET content = ?1 WHERE id = ?2", rusqlite::params![&b"%PDF forged"[..], doc.id]).unwrap();
    let e = documents::read(d.store.conn(), &d.case.id, &doc.id).unwrap_err();
    assert!(!e.is_user_error() && e.to_string().contains("changed outside"), "{e}");
}

#[test]
fn export_writes_the_bundle_with_the_newest_letter_and_stores_it_as_a_document() {
    let db = TempDb::new();
    {
        let mut store = db.create();
        dsar::register_store::import_file(&mut store, &ctx("2026-11-21"), &data("registers/jaimo.json")).unwrap();
    }
    let reference = ok(db.dsar(&["case", "new", "--right", "access", "--name", NAME, "--email", EMAIL, "--received", "2026-11-02", "--language", "nl"]));
    let reference = reference.trim();
    let mut d = {
        let store = db.open();
        let case = cases::get(&store, reference).unwrap();
        let register = dsar::register_store::current(&store).unwrap().unwrap();
        Desk { _db: TempDb::new(), store, case, register }
    };
    add(&mut d.store, &d.case, "dashboard", PullStatus::Ok, &sample("dashboard"));
    add(&mut d.store, &d.case, "fastbill", PullStatus::Ok, &[("invoices", vec![json!({"nr": 1}), json!({"nr": 2}), json!({"nr": 3})])]);
    store_letter(&mut d, "access-response", b"%PDF old", "old.pdf");
    store_letter(&mut d, "access-response", LETTER, "DSAR-2026-0001-antwoord.pdf");
    store_letter(&mut d, "acknowledgement", b"%PDF ack", "ack.pdf");
    let case_id = d.case.id.clone();
    drop(d);

    let dir = tempfile::tempdir().unwrap();
    let pw = dir.path().join("pw.txt");
    std::fs::write(&pw, format!("{PASSWORD}\n")).unwrap();
    let out = dir.path().join("export.zip");
    let stdout = ok(db.dsar(&["export", reference, "--out", out.to_str().unwrap(), "--password-file", pw.to_str().unwrap()]));
    let mut lines = stdout.lines();
    assert_eq!(lines.next(), Some(out.to_str().unwrap()));
    let summary = lines.next().unwrap();
    assert!(summary.contains("7 records from 2 of 6 systems") && summary.contains("AES-256") && summary.contains("DSAR-2026-0001-antwoord.pdf"), "{summary}");
    assert_eq!(walk(dir.path()), ["export.zip", "pw.txt"], "no temporary file left");

    let m = bundle::verify(&out, Some(PASSWORD)).unwrap();
    assert_eq!((m.records, m.language.as_str(), m.encrypted), (7, "nl", true));
    let letter = m.files.iter().find(|f| f.media_type == "application/pdf").unwrap();
    assert_eq!(letter.sha256, hex::encode(Sha256::digest(LETTER)));

    let store = db.open();
    let docs = documents::list(store.conn(), &case_id).unwrap();
    let b = docs.iter().find(|x| x.kind == "bundle").expect("bundle stored");
    let bytes = std::fs::read(&out).unwrap();
    assert_eq!((b.media_type.as_str(), b.file_name.as_str(), b.bytes), ("application/zip", "export.zip", bytes.len() as u64));
    assert_eq!(b.sha256, hex::encode(Sha256::digest(&bytes)));
    // The bundle is kept once, where the user saved it: the desk holds its size, hash and
    // path, not a second copy (a value in SQLite cannot pass 1 GB).
    let err = documents::read(store.conn(), &case_id, &b.id).unwrap_err();
    assert!(err.to_string().contains(&format!("written to {}", out.display())), "{err}");
    let stored: (i64, Option<String>) = store
        .conn()
        .query_row("SELECT length(content), path FROM documents WHERE id = ?1", [&b.id], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    assert_eq!(stored, (0, Some(out.display().to_string())));

    let events = dsar::audit::for_case(store.conn(), &case_id).unwrap();
    let e = events.iter().rev().find(|e| e.action == "document.saved").unwrap();
    let details: Value = serde_json::from_str(&e.details).unwrap();
    assert_eq!((details["kind"].as_str(), details["records"].as_u64(), details["encrypted"].as_bool()), (Some("bundle"), Some(7), Some(true)));
    for personal in ["Jana", "Beispiel", "example.org", PASSWORD] {
        assert!(!e.details.contains(personal), "audit details leak {personal:?}: {}", e.details);
    }
    ok(db.dsar(&["audit", "verify"]));

    let json_out = ok(db.dsar(&["export", reference, "--out", dir.path().join("plain.zip").to_str().unwrap(), "--json"]));
    let v: Value = serde_json::from_str(&json_out).unwrap();
    assert_eq!((v["records"].as_u64(), v["systems"].as_u64(), v["encrypted"].as_bool()), (Some(7), Some(2), Some(false)));
    assert_eq!(v["sha256"].as_str().unwrap(), hex::encode(Sha256::digest(std::fs::read(dir.path().join("plain.zip")).unwrap())));
}

#[test]
fn export_refuses_bad_input_with_one_line_and_leaves_nothing_behind() {
    let db = TempDb::new();
    {
        let mut store = db.create();
        dsar::register_store::import_file(&mut store, &ctx("2026-11-21"), &data("registers/jaimo.json")).unwrap();
    }
    let reference = ok(db.dsar(&["case", "new", "--right", "access", "--name", NAME, "--received", "2026-11-02"]));
    let reference = reference.trim();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.zip");
    let short = dir.path().join("short.txt");
    std::fs::write(&short, "kurz\n").unwrap();
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "\n").unwrap();
    let cases: Vec<(Vec<String>, &str)> = vec![
        (vec!["export".into(), "DSAR-2026-0099".into(), "--out".into(), out.display().to_string()], "no case DSAR-2026-0099"),
        (vec!["export".into(), reference.into(), "--out".into(), out.display().to_string(), "--password-file".into(), short.display().to_string()], "shorter than"),
        (vec!["export".into(), reference.into(), "--out".into(), out.display().to_string(), "--password-file".into(), empty.display().to_string()], "is empty"),
        (vec!["export".into(), reference.into(), "--out".into(), out.display().to_string(), "--password-file".into(), "/no/such/file".into()], "cannot read"),
        (vec!["export".into(), reference.into(), "--out".into(), dir.path().join("missing/dir/x.zip").display().to_string()], "cannot write"),
    ];
    for (args, want) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = db.dsar(&args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: one line: {err}");
        assert!(err.contains(want), "{args:?}: {err}");
        assert!(!err.contains(NAME), "{err}");
    }
    assert_eq!(walk(dir.path()), ["empty.txt", "short.txt"], "no partial bundle");

    let bare = TempDb::new();
    bare.create();
    let o = bare.dsar(&["case", "new", "--right", "access", "--name", NAME, "--received", "2026-11-02"]);
    let r = ok(o);
    let o = bare.dsar(&["export", r.trim(), "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("no register imported"), "{}", stderr(&o));
}

#[test]
fn export_reports_progress_per_data_file_and_a_cancelled_export_leaves_nothing() {
    let mut d = desk("jaimo", Language::De);
    let records = add(&mut d.store, &d.case, "dashboard", PullStatus::Ok, &sample("dashboard"))
        + add(&mut d.store, &d.case, "fastbill", PullStatus::Ok, &[("invoices", vec![json!({"nr": 1}), json!({"nr": 2}), json!({"nr": 3})])]);
    let reference = d.case.reference.to_string();
    let c = ctx("2026-11-21");
    let dir = tempfile::tempdir().unwrap();

    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = std::sync::Arc::clone(&seen);
    let progress: bundle::ProgressFn = std::sync::Arc::new(move |p: bundle::ExportProgress| sink.lock().unwrap().push(p));
    let out = dir.path().join("watched.zip");
    let done = bundle::export_watched(&mut d.store, &c, &reference, &out, None, Some(progress), Some(Cancel::new())).unwrap();
    assert_eq!(done.manifest.records, records);
    let seen = seen.lock().unwrap().clone();
    // One report before the first file, then one per dataset (dashboard: 2, fastbill: 1).
    assert_eq!(seen.len(), 4, "{seen:?}");
    assert!(seen.windows(2).all(|w| w[0].records_done <= w[1].records_done), "{seen:?}");
    assert!(seen.iter().all(|p| p.records_total == records));
    assert_eq!(seen.first().map(|p| p.records_done), Some(0));
    assert_eq!(seen.last().map(|p| p.records_done), Some(records));

    let documents_before = documents::list(d.store.conn(), &d.case.id).unwrap().len();
    let cancel = Cancel::new();
    cancel.cancel();
    let out = dir.path().join("cancelled.zip");
    let err = bundle::export_watched(&mut d.store, &c, &reference, &out, None, None, Some(cancel)).unwrap_err();
    assert!(matches!(err, BundleError::Cancelled), "{err}");
    assert!(err.is_user_error());
    assert_eq!(walk(dir.path()), ["watched.zip"], "neither the bundle nor a temporary file is left");
    assert_eq!(documents::list(d.store.conn(), &d.case.id).unwrap().len(), documents_before, "no document recorded");

    // Cancel pressed while the bundle is half written: after the first data file.
    let events_before = dsar::audit::for_case(d.store.conn(), &d.case.id).unwrap().len();
    let cancel = Cancel::new();
    let pressed = cancel.clone();
    let written = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let at_cancel = std::sync::Arc::clone(&written);
    let progress: bundle::ProgressFn = std::sync::Arc::new(move |p: bundle::ExportProgress| {
        if p.records_done > 0 {
            at_cancel.store(p.records_done, std::sync::atomic::Ordering::SeqCst);
            pressed.cancel();
        }
    });
    let out = dir.path().join("half.zip");
    let err = bundle::export_watched(&mut d.store, &c, &reference, &out, None, Some(progress), Some(cancel)).unwrap_err();
    assert!(matches!(err, BundleError::Cancelled), "{err}");
    let at = written.load(std::sync::atomic::Ordering::SeqCst);
    assert!(at > 0 && at < records, "cancelled mid-way ({at} of {records} records written)");
    assert_eq!(walk(dir.path()), ["watched.zip"], "the half-written bundle was removed");
    assert_eq!(documents::list(d.store.conn(), &d.case.id).unwrap().len(), documents_before, "no document recorded");
    assert_eq!(dsar::audit::for_case(d.store.conn(), &d.case.id).unwrap().len(), events_before, "no audit event");
}

#[test]
fn zip_bombs_found_by_the_fuzzer_are_refused_without_reading_them_whole() {
    // Two archives of ~1 MB whose manifest.json or one CSV field inflates to 1 100 MiB
    // (fuzz/regressions/bundle_verify/: the first byte is the fuzz target's mode, the rest
    // the zip). Before, verify read each into memory whole.
    use std::io::Read;
    let dir = tempfile::tempdir().unwrap();
    for name in ["manifest-json-1100mib.gz", "csv-field-1100mib.gz"] {
        let mut raw = Vec::new();
        flate2::read::GzDecoder::new(std::fs::File::open(data(&format!("bombs/{name}"))).unwrap()).read_to_end(&mut raw).unwrap();
        let zip = dir.path().join(name.replace(".gz", ".zip"));
        std::fs::write(&zip, &raw[1..]).unwrap();
        let started = std::time::Instant::now();
        let err = bundle::verify(&zip, None).unwrap_err();
        assert!(err.to_string().contains("larger than 64 MiB") || err.to_string().contains("longer than 64 MiB"), "{name}: {err}");
        assert!(started.elapsed() < std::time::Duration::from_secs(30), "{name}: {:?}", started.elapsed());
    }
}
