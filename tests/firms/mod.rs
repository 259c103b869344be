//! Realistic, seeded test data for the fixture firms: writes the files their registers name
//! (SQLite databases, CSV in UTF-8 and Windows-1252, JSON, JSON Lines, rotated and gzipped
//! access logs) with thousands of other people, one planted subject with known records per
//! system, and near-misses that must not match (similar e-mails, other numbers, longer IPs)
//! or must (other case, spacing, phone formats, mapped IPv6). Jaimo's CleverReach account is
//! a real HTTP server in the test process (`http_server`). Then copies the fixture register
//! next to the data, so its relative paths resolve there on import. Nothing large is
//! committed: the data is generated per test.
#![allow(dead_code)]

pub mod http_server;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rusqlite::{params, Connection};
use serde_json::{json, Value};

/// SplitMix64: a tiny deterministic generator, so every run writes the same files.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    pub fn digits(&mut self, n: usize) -> String {
        (0..n).map(|_| char::from(b'0' + self.below(10) as u8)).collect()
    }
}

const FIRST: &[&str] = &[
    "Anna", "Jürgen", "Sören", "Özlem", "Lukas", "Marie", "Jan", "Sophie", "Mehmet", "Lena", "Paul", "Emma", "Felix", "Mia",
    "Jonas", "Hannah", "Ben", "Lea", "Noah", "Clara", "Björn", "Zoë", "Thijs", "Femke", "Daan", "Sanne", "Ana", "Luca",
];
// The subjects' last names (Mustermann, Musterfrau, Beispiel) never occur among the others.
const LAST: &[&str] = &[
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann", "Schäfer",
    "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger",
    "de Vries", "van Dijk", "Jansen", "Bakker", "Yilmaz", "Kowalski", "Groß", "Weiß",
];
const DOMAINS: &[&str] = &["example.org", "example.com", "example.net", "mail.example", "firma.example", "beispiel.example"];
/// German mobile prefixes, without 171 (the planted subject's), so no other person matches.
const MOBILE: &[&str] = &["151", "152", "157", "160", "162", "163", "170", "172", "173", "174", "175", "176", "177", "178", "179"];

/// One of the "other people".
#[derive(Debug, Clone)]
pub struct Person {
    pub first: String,
    pub last: String,
    pub email: String,
    /// A phone number as a person would write it (random format).
    pub phone: String,
    /// The same number in E.164.
    pub phone_e164: String,
    pub ip: String,
}

fn ascii(s: &str) -> String {
    s.chars()
        .flat_map(|c| match c {
            'ä' => "ae".chars().collect::<Vec<_>>(),
            'ö' | 'Ö' => "oe".chars().collect(),
            'ü' => "ue".chars().collect(),
            'ß' => "ss".chars().collect(),
            'ë' => vec!['e'],
            'ı' => vec!['i'],
            ' ' => vec!['.'],
            c => vec![c.to_ascii_lowercase()],
        })
        .collect()
}

/// A number written in one of the ways people write German numbers.
pub fn phone_format(rng: &mut Rng, prefix: &str, rest: &str) -> String {
    match rng.below(6) {
        0 => format!("+49 {prefix} {rest}"),
        1 => format!("0{prefix} {rest}"),
        2 => format!("0{prefix}{rest}"),
        3 => format!("+49{prefix}{rest}"),
        4 => format!("0049 {prefix} {rest}"),
        _ => format!("+49 ({prefix}) {}-{}", &rest[..3], &rest[3..]),
    }
}

impl Person {
    pub fn random(rng: &mut Rng, n: usize) -> Person {
        let first = rng.pick(FIRST).to_string();
        let last = rng.pick(LAST).to_string();
        let domain = rng.pick(DOMAINS);
        let mut email = format!("{}.{}{n}@{domain}", ascii(&first), ascii(&last));
        if rng.below(5) == 0 {
            email = email.to_uppercase();
        }
        let prefix = rng.pick(MOBILE).to_string();
        let rest = rng.digits(7);
        let phone = phone_format(rng, &prefix, &rest);
        let mut ip = format!("198.51.{}.{}", rng.below(256), 1 + rng.below(254));
        if ip == SMART_CX_IP {
            // Nobody else shares the subject's address (a neighbour in the /24 is fine).
            ip = "198.51.100.24".into();
        }
        Person { first, last, email, phone, phone_e164: format!("+49{prefix}{rest}"), ip }
    }

    pub fn name(&self) -> String {
        format!("{} {}", self.first, self.last)
    }
}

/// What a pull of one system must find.
#[derive(Debug, Clone, Default)]
pub struct Expected {
    /// (dataset, locator, record) of every planted record.
    pub records: Vec<(String, String, Value)>,
}

impl Expected {
    fn push(&mut self, dataset: &str, locator: impl Into<String>, record: Value) {
        self.records.push((dataset.to_string(), locator.into(), record));
    }
}

/// A generated firm: where its register is, who the subject is, what each system holds.
#[derive(Debug)]
pub struct Firm {
    pub register: PathBuf,
    pub dir: PathBuf,
    /// Subject's name as entered.
    pub name: String,
    /// Identifiers as entered on the case (kind, raw value).
    pub identifiers: Vec<(String, String)>,
    /// Per searchable system: exactly what the pull must find.
    pub expected: BTreeMap<String, Expected>,
    /// Systems that become tasks.
    pub manual: Vec<String>,
    /// Secrets the register references, (name, value): the tests store them on the desk.
    pub secrets: Vec<(String, String)>,
    /// Every file written, by system id (a `logs` system: its folder).
    pub files: BTreeMap<String, PathBuf>,
    /// The firm's HTTP service (jaimo: CleverReach) as it is while this firm lives.
    pub service: Option<http_server::Lease>,
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/registers").join(format!("{name}.json"))
}

fn firm_dir(dir: &Path, register: &str) -> (PathBuf, PathBuf) {
    std::fs::create_dir_all(dir.join("data")).unwrap();
    let reg = dir.join("register.json");
    std::fs::copy(fixture(register), &reg).unwrap();
    (dir.to_path_buf(), reg)
}

/// Writes rows through the `csv` crate and returns, per row, the line it starts on.
fn csv_text(delimiter: u8, header: &[&str], rows: &[Vec<String>]) -> (String, Vec<u64>) {
    let mut w = csv::WriterBuilder::new().delimiter(delimiter).from_writer(Vec::new());
    w.write_record(header).unwrap();
    w.flush().unwrap();
    let mut lines = Vec::with_capacity(rows.len());
    let (mut newlines, mut seen) = (1u64, w.get_ref().len());
    for row in rows {
        lines.push(newlines + 1);
        w.write_record(row).unwrap();
        w.flush().unwrap();
        newlines += w.get_ref()[seen..].iter().filter(|b| **b == b'\n').count() as u64;
        seen = w.get_ref().len();
    }
    (String::from_utf8(w.into_inner().unwrap()).unwrap(), lines)
}

fn csv_record(header: &[&str], row: &[String]) -> Value {
    Value::Object(header.iter().zip(row).map(|(h, v)| (h.to_string(), Value::String(v.clone()))).collect())
}

/// Inserts `planted` rows at seeded positions among `others`; returns the merged rows and
/// the indexes where the planted ones ended up.
fn scatter<T>(rng: &mut Rng, mut others: Vec<T>, planted: Vec<T>) -> (Vec<T>, Vec<usize>) {
    let mut at = Vec::new();
    for p in planted {
        let i = rng.below(others.len() + 1);
        others.insert(i, p);
        for a in at.iter_mut() {
            if *a >= i {
                *a += 1;
            }
        }
        at.push(i);
    }
    (others, at)
}

fn timestamp(rng: &mut Rng) -> String {
    format!("2026-{:02}-{:02}T{:02}:{:02}:{:02}Z", 1 + rng.below(10), 1 + rng.below(28), rng.below(24), rng.below(60), rng.below(60))
}

// ---------------------------------------------------------------------------------------
// Jaimo Solutions: dashboard (sqlite), slack (jsonl), salesforce (csv), gmail (manual),
// fastbill (csv, ';', Windows-1252), cleverreach (http: `http_server` on 127.0.0.1:18080).

pub const JAIMO_EMAIL: &str = "max.mustermann@example.org";
pub const JAIMO_NEAR_EMAILS: &[&str] = &[
    "max.mustermann@example.org.evil",
    "xmax.mustermann@example.org",
    "max.mustermann@example.com",
    "max_mustermann@example.org",
    "max.mustermann2@example.org",
];
/// Numbers close to the subject's +49 171 1234567 that must not match.
pub const JAIMO_NEAR_PHONES: &[&str] = &["0171 1234568", "+43 171 1234567", "+49 171 12345670", "0171 123456", "+49 172 1234567"];
/// The subject's second address, used only for the newsletter: its `+` must reach the API
/// as `%2B` (a raw `+` is a space to the server).
pub const JAIMO_NEWSLETTER_EMAIL: &str = "max+newsletter@example.org";

/// Jaimo's CleverReach groups.
const CR_NEWSLETTER: (u64, &str) = (512_345, "Newsletter DE");
const CR_UPDATES: (u64, &str) = (512_346, "Produkt-Updates");
const CR_WEBINARS: (u64, &str) = (512_347, "Webinare");

#[allow(clippy::too_many_arguments)]
fn receiver(id: u64, email: &str, group: (u64, &str), first: &str, last: &str, registered: i64, deactivated: i64, source: &str, tags: &[&str]) -> Value {
    json!({
        "id": id, "email": email, "group_id": group.0, "group_name": group.1,
        "registered": registered, "activated": registered + 97, "deactivated": deactivated,
        "source": source, "attributes": {"firstname": first, "lastname": last},
        "tags": tags, "bounced": 0, "points": 12,
    })
}

/// The subject's receivers at CleverReach, in the order the API lists them per address.
pub fn cleverreach_planted() -> Vec<Value> {
    vec![
        receiver(104_857_601, JAIMO_EMAIL, CR_NEWSLETTER, "Max", "Mustermann", 1_767_225_600, 0, "Anmeldeformular jaimo.example", &["kunde", "de"]),
        receiver(104_857_602, JAIMO_NEWSLETTER_EMAIL, CR_UPDATES, "Max", "", 1_769_904_000, 0, "Checkout-Opt-in", &[]),
        receiver(104_857_603, JAIMO_EMAIL, CR_WEBINARS, "Max", "Mustermann", 1_772_323_200, 1_775_001_600, "Webinar 2026-03", &["webinar"]),
    ]
}

/// Every receiver in Jaimo's CleverReach account (fixed, whatever the firm's seed: one
/// server serves every test): 3 000 others, near-miss addresses, and the subject's.
pub fn cleverreach_receivers() -> Vec<Value> {
    let mut rng = Rng::new(0xC1E7_E7EA);
    let groups = [CR_NEWSLETTER, CR_UPDATES, CR_WEBINARS];
    let mut all = Vec::new();
    for n in 0..3000 {
        let p = Person::random(&mut rng, n);
        let email = p.email.to_lowercase();
        for g in 0..1 + rng.below(2) {
            let deactivated = if rng.below(6) == 0 { 1_775_000_000 + rng.below(1_000_000) as i64 } else { 0 };
            all.push(receiver(100_000_000 + all.len() as u64, &email, groups[(n + g) % 3], &p.first, &p.last, 1_700_000_000 + rng.below(70_000_000) as i64, deactivated, "Import", &[]));
        }
    }
    let near = JAIMO_NEAR_EMAILS.iter().copied().chain(["max.newsletter@example.org", "max+newsletter@example.org.evil", "max@example.org", "max.mustermann+news@example.org"]);
    for email in near {
        all.push(receiver(103_000_000 + all.len() as u64, email, CR_NEWSLETTER, "Max", "Mustermann", 1_767_225_600, 0, "Import", &[]));
    }
    all.extend(cleverreach_planted());
    all
}

/// Jaimo with CleverReach working.
pub fn jaimo(dir: &Path, others: usize, seed: u64) -> Firm {
    jaimo_with(dir, others, seed, http_server::shared())
}

/// Jaimo while CleverReach answers every receivers request with HTTP 500 (other jaimo
/// firms wait until this one is dropped).
pub fn jaimo_cleverreach_500(dir: &Path, others: usize, seed: u64) -> Firm {
    jaimo_with(dir, others, seed, http_server::failing(500))
}

fn jaimo_with(dir: &Path, others: usize, seed: u64, service: http_server::Lease) -> Firm {
    let (dir, register) = firm_dir(dir, "jaimo");
    let mut rng = Rng::new(seed);
    let people: Vec<Person> = (0..others).map(|n| Person::random(&mut rng, n)).collect();
    let mut expected = BTreeMap::new();
    let mut files = BTreeMap::new();

    // dashboard: users, sessions, stages
    let path = dir.join("data/dashboard.sqlite");
    let c = Connection::open(&path).unwrap();
    c.execute_batch(
        "CREATE TABLE users (id INTEGER PRIMARY KEY, first_name TEXT, last_name TEXT, phone TEXT, email TEXT, last_login_at TEXT, password_hash TEXT);
         CREATE TABLE sessions (id INTEGER PRIMARY KEY, user_id INTEGER, ip TEXT, user_agent TEXT, last_activity_at TEXT);
         CREATE TABLE stages (id INTEGER PRIMARY KEY, owner_id INTEGER, name TEXT, handle TEXT, sources TEXT);
         BEGIN;",
    )
    .unwrap();
    let planted_at = rng.below(others.max(1));
    let mut exp = Expected::default();
    let mut uid = 0i64;
    let agents = ["Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0", "Mozilla/5.0 (Macintosh) Safari/605.1", "Mozilla/5.0 (Windows NT 10.0) Chrome/126.0"];
    let mut add_user = |c: &Connection, rng: &mut Rng, first: &str, last: &str, phone: &str, email: &str, sessions: usize, stages: usize, exp: Option<&mut Expected>| {
        uid += 1;
        let login = timestamp(rng);
        c.execute("INSERT INTO users VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", params![uid, first, last, phone, email, login, format!("$2y$10${}", rng.digits(20))]).unwrap();
        let mut recs = vec![("users", json!({"id": uid, "first_name": first, "last_name": last, "phone": phone, "email": email, "last_login_at": login}))];
        for _ in 0..sessions {
            let (ip, ua, at) = (format!("203.0.113.{}", 1 + rng.below(254)), rng.pick(&agents).to_string(), timestamp(rng));
            c.execute("INSERT INTO sessions (user_id, ip, user_agent, last_activity_at) VALUES (?1, ?2, ?3, ?4)", params![uid, ip, ua, at]).unwrap();
            recs.push(("sessions", json!({"ip": ip, "user_agent": ua, "last_activity_at": at})));
        }
        for s in 0..stages {
            let (name, handle) = (format!("Stage {s} of {first}"), format!("stage-{uid}-{s}"));
            let sources = json!(["webform", "newsletter"]).to_string();
            c.execute("INSERT INTO stages (owner_id, name, handle, sources) VALUES (?1, ?2, ?3, ?4)", params![uid, name, handle, sources]).unwrap();
            recs.push(("stages", json!({"name": name, "handle": handle, "sources": sources})));
        }
        if let Some(exp) = exp {
            for (q, r) in recs {
                exp.push(q, format!("query {q}"), r);
            }
        }
    };
    for (i, p) in people.iter().enumerate() {
        if i == planted_at {
            add_user(&c, &mut rng, "Max", "Mustermann", "+49 171 1234567", "Max.Mustermann@Example.org", 3, 2, Some(&mut exp));
            for near in JAIMO_NEAR_EMAILS {
                add_user(&c, &mut rng, "Max", "Mustermann", "+49 171 1234568", near, 1, 1, None);
            }
        }
        let (s, st) = (rng.below(4), rng.below(3));
        add_user(&c, &mut rng, &p.first, &p.last, &p.phone, &p.email, s, st, None);
    }
    c.execute_batch("COMMIT;").unwrap();
    drop(c);
    expected.insert("dashboard".to_string(), exp);
    files.insert("dashboard".to_string(), path);

    // slack: JSON Lines with email and phone; two torn lines that are skipped and counted.
    let mut lines: Vec<String> = people
        .iter()
        .map(|p| json!({"ts": timestamp(&mut rng), "channel": "#leads", "event": "signup", "name": p.name(), "email": p.email, "phone": p.phone}).to_string())
        .collect();
    for near in JAIMO_NEAR_EMAILS {
        lines.push(json!({"ts": "2026-05-01T10:00:00Z", "channel": "#leads", "event": "signup", "email": near, "phone": null}).to_string());
    }
    for near in JAIMO_NEAR_PHONES {
        lines.push(json!({"ts": "2026-05-01T10:00:00Z", "channel": "#calls", "event": "callback", "email": null, "phone": near}).to_string());
    }
    lines.push("{\"ts\": \"2026-05-02T10:00:00Z\", \"channel\": \"#leads\", \"email\": \"max.mustermann@exa".to_string());
    lines.push("not json at all".to_string());
    let planted: Vec<Value> = vec![
        json!({"ts": "2026-03-01T09:12:00Z", "channel": "#leads", "event": "signup", "name": "Max Mustermann", "email": " MAX.Mustermann@example.org ", "phone": null}),
        json!({"ts": "2026-03-02T09:12:00Z", "channel": "#leads", "event": "demo-booked", "name": "Max Mustermann", "email": "max.mustermann@example.org", "phone": "+49 171 1234567"}),
        json!({"ts": "2026-03-03T09:12:00Z", "channel": "#calls", "event": "callback", "email": null, "phone": "0171 1234567"}),
        json!({"ts": "2026-03-04T09:12:00Z", "channel": "#calls", "event": "callback", "email": "", "phone": "+49 (171) 123-4567"}),
        json!({"ts": "2026-03-05T09:12:00Z", "channel": "#calls", "event": "voicemail", "email": "m.m@firma.example", "phone": "0049 171 1234567"}),
    ];
    let (lines, at) = scatter(&mut rng, lines, planted.iter().map(Value::to_string).collect());
    let path = dir.join("data/slack-notifications.jsonl");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    let mut exp = Expected::default();
    for (rec, i) in planted.into_iter().zip(at) {
        exp.push("slack-notifications", format!("slack-notifications.jsonl:{}", i + 1), rec);
    }
    expected.insert("slack".to_string(), exp);
    files.insert("slack".to_string(), path);

    // salesforce: contacts; one planted by e-mail, one by name only (other e-mail).
    let header = ["Id", "FirstName", "LastName", "Email", "Phone", "Company", "CreatedDate"];
    let companies = ["Müller, Schmidt & Co. KG", "Bakker \"De Molen\" B.V.", "Weber GmbH", "Schäfer\nLogistik", ""];
    let mut rows: Vec<Vec<String>> = people
        .iter()
        .enumerate()
        .map(|(n, p)| vec![format!("003{n:012}"), p.first.clone(), p.last.clone(), p.email.clone(), p.phone.clone(), rng.pick(&companies).to_string(), timestamp(&mut rng)])
        .collect();
    for (first, last) in [("Maxi", "Mustermann"), ("Max", "Mustermann-Schulz"), ("Max", "Musterman"), ("Max", "")] {
        rows.push(vec!["003NEAR".into(), first.into(), last.into(), "someone@example.net".into(), "".into(), "".into(), "2026-01-01".into()]);
    }
    for near in JAIMO_NEAR_EMAILS {
        rows.push(vec!["003NEARMAIL".into(), "M.".into(), "M.".into(), near.to_string(), "".into(), "".into(), "2026-01-01".into()]);
    }
    let planted = vec![
        vec!["003PLANTED1".into(), "Max".into(), "Mustermann".into(), "max.mustermann@EXAMPLE.org".into(), "0171 1234567".into(), "Müller, Schmidt & Co. KG".into(), "2025-11-03".into()],
        vec!["003PLANTED2".into(), "max ".into(), " MUSTERMANN".into(), "m.mustermann@firma.example".into(), "".into(), "Mustermann IT".into(), "2024-02-29".into()],
    ];
    let (rows, at) = scatter(&mut rng, rows, planted);
    let (text, line_of) = csv_text(b',', &header, &rows);
    let path = dir.join("data/salesforce-contacts.csv");
    std::fs::write(&path, text).unwrap();
    let mut exp = Expected::default();
    for i in at {
        exp.push("salesforce-contacts", format!("salesforce-contacts.csv:{}", line_of[i]), csv_record(&header, &rows[i]));
    }
    expected.insert("salesforce".to_string(), exp);
    files.insert("salesforce".to_string(), path);

    // fastbill: invoices, ';'-separated, Windows-1252 (the register declares no encoding).
    let header = ["Rechnungsnr", "Datum", "Kunde", "Straße", "E-Mail", "Betrag", "Währung"];
    let mut rows: Vec<Vec<String>> = people
        .iter()
        .enumerate()
        .filter(|(n, _)| n % 2 == 0)
        .map(|(n, p)| vec![format!("RE-2026-{n:06}"), "15.03.2026".into(), p.name(), format!("Hauptstraße {}", 1 + n % 99), p.email.clone(), format!("{},{:02}", 10 + n % 900, n % 100), "€".into()])
        .collect();
    for near in JAIMO_NEAR_EMAILS {
        rows.push(vec!["RE-NEAR".into(), "01.01.2026".into(), "Max Mustermann".into(), "Weg 1".into(), near.to_string(), "1,00".into(), "€".into()]);
    }
    let planted = vec![
        vec!["RE-2026-900001".into(), "02.01.2026".into(), "Max Mustermann".into(), "Große Straße 5".into(), "max.mustermann@example.org".into(), "1.234,56".into(), "€".into()],
        vec!["RE-2026-900002".into(), "02.02.2026".into(), "Max Mustermann".into(), "Große Straße 5".into(), "MAX.MUSTERMANN@EXAMPLE.ORG".into(), "99,00".into(), "€".into()],
        vec!["RE-2026-900003".into(), "02.03.2026".into(), "Mustermann, Max".into(), "Große Straße 5".into(), " max.mustermann@example.org ".into(), "12,50".into(), "€".into()],
    ];
    let (rows, at) = scatter(&mut rng, rows, planted);
    let (text, line_of) = csv_text(b';', &header, &rows);
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&text);
    assert!(!unmappable, "test data must be representable in Windows-1252");
    let path = dir.join("data/fastbill-invoices.csv");
    std::fs::write(&path, &bytes).unwrap();
    let mut exp = Expected::default();
    for i in at {
        exp.push("fastbill-invoices", format!("fastbill-invoices.csv:{}", line_of[i]), csv_record(&header, &rows[i]));
    }
    expected.insert("fastbill".to_string(), exp);
    files.insert("fastbill".to_string(), path);

    // cleverreach: what the API answers for each of the subject's addresses.
    let mut exp = Expected::default();
    for email in [JAIMO_EMAIL, JAIMO_NEWSLETTER_EMAIL] {
        for (i, r) in cleverreach_planted().into_iter().filter(|r| r["email"] == email).enumerate() {
            exp.push("receivers", format!("http://{}/v3/receivers?email=***#/data/{i}", http_server::ADDR), r);
        }
    }
    expected.insert("cleverreach".to_string(), exp);

    Firm {
        register,
        dir,
        name: "Max Mustermann".into(),
        identifiers: vec![
            ("email".into(), "Max.Mustermann@Example.org".into()),
            ("phone".into(), "0171 1234567".into()),
            ("email".into(), "Max+Newsletter@Example.org".into()),
        ],
        expected,
        manual: vec!["gmail".into()],
        secrets: vec![("cleverreach_token".into(), http_server::TOKEN.into())],
        files,
        service: Some(service),
    }
}

// ---------------------------------------------------------------------------------------
// Websmart: webchat (csv, UTF-8 with BOM), messenger (manual), crm (sqlite), newsletter (jsonl).

pub const WEBSMART_EMAIL: &str = "erika.musterfrau@example.de";

pub fn websmart(dir: &Path, others: usize, seed: u64) -> Firm {
    let (dir, register) = firm_dir(dir, "websmart");
    let mut rng = Rng::new(seed);
    let people: Vec<Person> = (0..others).map(|n| Person::random(&mut rng, n)).collect();
    let near_emails = ["erika.musterfrau@example.de.evil", "xerika.musterfrau@example.de", "erika.musterfrau@example.com", "erika-musterfrau@example.de"];
    let mut expected = BTreeMap::new();
    let mut files = BTreeMap::new();

    // webchat
    let header = ["Chat-ID", "Datum", "Name", "E-Mail", "IP", "Nachricht"];
    let messages = ["Hallo, ich habe eine Frage zu meinem Vertrag.", "Können Sie mich zurückrufen?", "Danke, \"super\" Service!", "Wie lange dauert die Lieferung?"];
    let mut rows: Vec<Vec<String>> = people
        .iter()
        .enumerate()
        .map(|(n, p)| vec![format!("chat-{n}"), timestamp(&mut rng), p.name(), p.email.clone(), p.ip.clone(), rng.pick(&messages).to_string()])
        .collect();
    for near in near_emails {
        rows.push(vec!["chat-near".into(), "2026-01-01T00:00:00Z".into(), "Erika Muster".into(), near.into(), "198.51.100.1".into(), "Hallo".into()]);
    }
    for name in ["Erika Musterfrau-Klein", "Erik Musterfrau", "Erika Musterfra"] {
        rows.push(vec!["chat-near-name".into(), "2026-01-01T00:00:00Z".into(), name.into(), "".into(), "198.51.100.2".into(), "Hallo".into()]);
    }
    let planted = vec![
        vec!["chat-p1".into(), "2026-04-01T08:00:00Z".into(), "Erika Musterfrau".into(), "Erika.Musterfrau@example.de".into(), "198.51.100.23".into(), "Ich möchte mein Konto löschen, bitte.".into()],
        vec!["chat-p2".into(), "2026-04-02T08:00:00Z".into(), "E. Musterfrau".into(), "erika.musterfrau@example.de".into(), "198.51.100.23".into(), "Noch eine Frage: \"Rückruf\"?".into()],
        vec!["chat-p3".into(), "2026-04-03T08:00:00Z".into(), "erika   MUSTERFRAU".into(), "".into(), "2001:db8::17".into(), "Hallo\nzweite Zeile".into()],
    ];
    let (rows, at) = scatter(&mut rng, rows, planted);
    let (text, line_of) = csv_text(b',', &header, &rows);
    let path = dir.join("data/webchat-export.csv");
    std::fs::write(&path, format!("\u{feff}{text}")).unwrap();
    let mut exp = Expected::default();
    for i in at {
        exp.push("webchat-export", format!("webchat-export.csv:{}", line_of[i]), csv_record(&header, &rows[i]));
    }
    expected.insert("webchat".to_string(), exp);
    files.insert("webchat".to_string(), path);

    // crm: kunden and vertraege (with a BLOB column, which evidence carries as base64)
    let path = dir.join("data/crm.sqlite");
    let c = Connection::open(&path).unwrap();
    c.execute_batch(
        "CREATE TABLE kunden (id INTEGER PRIMARY KEY, anrede TEXT, vorname TEXT, nachname TEXT, email TEXT, strasse TEXT, plz TEXT, ort TEXT, iban TEXT, unterschrift BLOB);
         CREATE TABLE vertraege (id INTEGER PRIMARY KEY, kunde_id INTEGER, produkt TEXT, beginn TEXT, betrag_monat REAL);
         BEGIN;",
    )
    .unwrap();
    let products = ["smartsite", "smartshop", "DHL-Kunde", "Hosting XL"];
    let planted_at = rng.below(others.max(1));
    let mut exp = Expected::default();
    let mut kid = 0i64;
    let mut add = |c: &Connection, rng: &mut Rng, vor: &str, nach: &str, email: &str, contracts: usize, exp: Option<&mut Expected>| {
        kid += 1;
        let (strasse, iban, sig) = (format!("Fürst-Leopold-Platz {}", 1 + rng.below(40)), format!("DE{}", rng.digits(20)), vec![0u8, 255, rng.below(256) as u8, 7]);
        c.execute(
            "INSERT INTO kunden VALUES (?1, 'Frau', ?2, ?3, ?4, ?5, '46284', 'Dorsten', ?6, ?7)",
            params![kid, vor, nach, email, strasse, iban, sig],
        )
        .unwrap();
        let mut recs = vec![("kunden", json!({"id": kid, "anrede": "Frau", "vorname": vor, "nachname": nach, "email": email, "strasse": strasse, "plz": "46284", "ort": "Dorsten", "iban": iban, "unterschrift": base64_std(&sig)}))];
        for _ in 0..contracts {
            let (produkt, beginn, betrag) = (rng.pick(&products).to_string(), format!("2025-{:02}-01", 1 + rng.below(12)), (10 + rng.below(90)) as f64 + 0.5);
            c.execute("INSERT INTO vertraege (kunde_id, produkt, beginn, betrag_monat) VALUES (?1, ?2, ?3, ?4)", params![kid, produkt, beginn, betrag]).unwrap();
            let vid = c.last_insert_rowid();
            recs.push(("vertraege", json!({"id": vid, "kunde_id": kid, "produkt": produkt, "beginn": beginn, "betrag_monat": betrag})));
        }
        if let Some(exp) = exp {
            for (q, r) in recs {
                exp.push(q, format!("query {q}"), r);
            }
        }
    };
    for (i, p) in people.iter().enumerate() {
        if i == planted_at {
            add(&c, &mut rng, "Erika", "Musterfrau", "Erika.Musterfrau@Example.de", 2, Some(&mut exp));
            for near in near_emails {
                add(&c, &mut rng, "Erika", "Musterfrau", near, 1, None);
            }
        }
        let n = rng.below(3);
        add(&c, &mut rng, &p.first, &p.last, &p.email, n, None);
    }
    c.execute_batch("COMMIT;").unwrap();
    drop(c);
    expected.insert("crm".to_string(), exp);
    files.insert("crm".to_string(), path);

    // newsletter: JSON Lines of opens and clicks
    let events = ["sent", "open", "click", "bounce"];
    let mut lines: Vec<String> = people
        .iter()
        .flat_map(|p| {
            let n = 1 + rng.below(3);
            (0..n).map(|_| json!({"event": rng.pick(&events), "recipient": p.email, "campaign": format!("2026-{:02}", 1 + rng.below(10)), "ts": timestamp(&mut rng)}).to_string()).collect::<Vec<_>>()
        })
        .collect();
    for near in near_emails {
        lines.push(json!({"event": "open", "recipient": near, "campaign": "2026-01", "ts": "2026-01-05T10:00:00Z"}).to_string());
    }
    let planted: Vec<Value> = (0..6)
        .map(|i| {
            let recipient = match i % 3 {
                0 => "erika.musterfrau@example.de",
                1 => "Erika.Musterfrau@Example.DE",
                _ => "  erika.musterfrau@example.de",
            };
            json!({"event": events[i % 3], "recipient": recipient, "campaign": format!("2026-0{}", 1 + i), "ts": format!("2026-0{}-10T07:00:00Z", 1 + i), "link": if i % 3 == 2 { json!("https://websmart.example/angebot?id=7") } else { Value::Null }})
        })
        .collect();
    let (lines, at) = scatter(&mut rng, lines, planted.iter().map(Value::to_string).collect());
    let path = dir.join("data/newsletter-events.jsonl");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    let mut exp = Expected::default();
    for (rec, i) in planted.into_iter().zip(at) {
        exp.push("newsletter-events", format!("newsletter-events.jsonl:{}", i + 1), rec);
    }
    expected.insert("newsletter".to_string(), exp);
    files.insert("newsletter".to_string(), path);

    Firm {
        register,
        dir,
        name: "Erika Musterfrau".into(),
        identifiers: vec![("email".into(), " Erika.Musterfrau@example.de".into()), ("phone".into(), "02362 1234567".into())],
        expected,
        manual: vec!["messenger".into()],
        secrets: vec![],
        files,
        service: None,
    }
}

fn base64_std(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18, 12, 6, 0].iter().enumerate() {
            if i <= chunk.len() {
                out.push(A[((n >> shift) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// SMART CJM: hosting-logs (logs: rotated access logs, plain and gzipped), cdn (manual),
// appointments (sqlite), mailjet (csv), twilio (json).

/// The subject's IP address (the case gives it; the access logs hold it).
pub const SMART_CX_IP: &str = "198.51.100.23";

/// The rotated access logs, oldest first: (file name, day of November 2026, gzip members).
const ACCESS_LOGS: &[(&str, u32, usize)] = &[("access.log.3.gz", 17, 2), ("access.log.2.gz", 18, 1), ("access.log.1", 19, 0), ("access.log", 20, 0)];

/// One access-log line in the combined log format.
#[allow(clippy::too_many_arguments)]
fn combined(client: &str, user: &str, day: u32, secs: u32, request: &str, status: u16, bytes: usize, referer: &str, agent: &str) -> String {
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    let bytes = if bytes == 0 { "-".to_string() } else { bytes.to_string() };
    format!("{client} - {user} [{day:02}/Nov/2026:{h:02}:{m:02}:{s:02} +0100] \"{request} HTTP/1.1\" {status} {bytes} \"{referer}\" \"{agent}\"")
}

/// Writes `data/logs/access.log*` for smart-cx: per file a day of traffic from the other
/// people (and some IPv6 clients and bots), the subject's planted lines, and near-misses
/// of the subject's IP that must not be found. Returns what the pull must find.
fn access_logs(dir: &Path, people: &[Person], rng: &mut Rng) -> Expected {
    let folder = dir.join("data/logs");
    std::fs::create_dir_all(&folder).unwrap();
    let pages = ["/", "/leistungen", "/leistungen/customer-journey", "/blog/cx-trends-2026", "/kontakt", "/impressum", "/assets/app.css", "/assets/app.js", "/img/team.webp", "/wp-login.php"];
    let agents = [
        "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    ];
    let referers = ["-", "https://www.google.com/", "https://www.smart-cx.example/", "https://www.linkedin.com/"];
    let ff = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
    let admin = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";
    let ip = SMART_CX_IP;
    // (file index, second of the day, line, planted, CRLF ending)
    let mut special: Vec<(usize, u32, String, bool, bool)> = vec![
        // Found: the subject as client (IPv4 and IPv4-mapped IPv6), in a path, in a query.
        (0, 31_000, combined(ip, "-", 17, 31_000, "GET /", 200, 18_211, "https://www.google.com/", ff), true, false),
        (0, 61_000, combined(ip, "-", 17, 61_000, "GET /leistungen/customer-journey", 200, 24_007, "https://www.smart-cx.example/", ff), true, false),
        (1, 40_000, combined(&format!("::ffff:{ip}"), "-", 18, 40_000, "GET /kontakt", 200, 9_120, "https://www.smart-cx.example/leistungen", ff), true, false),
        (1, 52_000, combined("10.20.0.5", "monitor", 18, 52_000, &format!("GET /admin/geoip/{ip}/lookup"), 200, 312, "-", "curl/8.9.1"), true, false),
        (2, 33_000, combined(ip, "-", 19, 33_000, "POST /termin/buchen", 302, 0, "https://www.smart-cx.example/kontakt", ff), true, false),
        (2, 33_004, combined(ip, "-", 19, 33_004, "GET /termin/bestaetigt?id=T-4711", 200, 7_344, "https://www.smart-cx.example/kontakt", ff), true, false),
        (2, 33_005, combined(ip, "-", 19, 33_005, "GET /favicon.ico", 404, 153, "https://www.smart-cx.example/termin/bestaetigt?id=T-4711", ff), true, true),
        (3, 45_000, combined(ip, "-", 20, 45_000, "GET /datenschutz", 200, 15_870, "-", ff), true, false),
        (3, 70_000, combined("10.20.0.9", "admin", 20, 70_000, &format!("GET /admin/sessions?ip={ip}&days=7"), 200, 2_048, "https://www.smart-cx.example/admin/", admin), true, false),
        // Not found: other addresses that contain or are contained in the subject's, and
        // the subject's e-mail (this system matches the IP only).
        (0, 31_500, combined("198.51.100.230", "-", 17, 31_500, "GET /", 200, 18_211, "-", ff), false, false),
        (0, 50_000, combined("203.0.113.77", "-", 17, 50_000, "GET /track?v=1198.51.100.23", 204, 0, "-", "python-requests/2.32"), false, false),
        (1, 41_000, combined("198.51.100.2", "-", 18, 41_000, "GET /kontakt", 200, 9_120, "-", ff), false, false),
        (1, 60_000, combined("203.0.113.78", "-", 18, 60_000, "GET /dns/4.198.51.100.23", 404, 153, "-", "python-requests/2.32"), false, false),
        (2, 34_000, combined("203.0.113.79", "-", 19, 34_000, "GET /", 200, 18_211, "http://198.51.100.23.7/", ff), false, false),
        (2, 35_000, combined("203.0.113.80", "-", 19, 35_000, "GET /s?session=id198.51.100.23", 200, 512, "-", ff), false, false),
        (3, 46_000, combined("203.0.113.81", "-", 20, 46_000, "GET /newsletter/bestaetigen?email=jana.beispiel%40example.org", 200, 4_096, "-", ff), false, false),
        (3, 47_000, combined("2001:db8:100:23::198", "-", 20, 47_000, "GET /", 200, 18_211, "-", ff), false, false),
    ];
    let mut expected = Expected::default();
    let mut planted_written = 0;
    for (f, (name, day, members)) in ACCESS_LOGS.iter().enumerate() {
        let mut lines: Vec<(u32, String, bool, bool)> = people
            .iter()
            .enumerate()
            .map(|(n, p)| {
                let client = if n % 10 == 3 { format!("2001:db8:{:x}::{:x}", rng.below(65_536), 1 + rng.below(65_535)) } else { p.ip.clone() };
                let secs = rng.below(86_400) as u32;
                let status = *rng.pick(&[200, 200, 200, 304, 404, 301]);
                let (page, referer, agent) = (*rng.pick(&pages), *rng.pick(&referers), *rng.pick(&agents));
                let text = combined(&client, "-", *day, secs, &format!("GET {page}"), status, 100 + rng.below(40_000), referer, agent);
                (secs, text, false, false)
            })
            .collect();
        lines.extend(special.iter().filter(|s| s.0 == f).map(|s| (s.1, s.2.clone(), s.3, s.4)));
        lines.sort_by_key(|l| l.0);
        let path = folder.join(name);
        let mut text = Vec::new();
        for (i, (_, line, planted, crlf)) in lines.iter().enumerate() {
            text.extend_from_slice(line.as_bytes());
            text.extend_from_slice(if *crlf { b"\r\n" } else { b"\n" });
            if *planted {
                let shown = path.to_string_lossy().into_owned();
                expected.push("access.log", format!("{shown}:{}", i + 1), json!({"file": shown, "line": i + 1, "text": line}));
                planted_written += 1;
            }
        }
        let bytes = if *members == 0 {
            text
        } else {
            // `members` gzip streams one after the other (as `cat a.gz b.gz` writes).
            let cut = text.len() / 2 + text[text.len() / 2..].iter().position(|b| *b == b'\n').unwrap() + 1;
            let parts: Vec<&[u8]> = if *members == 2 { vec![&text[..cut], &text[cut..]] } else { vec![&text[..]] };
            parts
                .into_iter()
                .flat_map(|part| {
                    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
                    std::io::Write::write_all(&mut gz, part).unwrap();
                    gz.finish().unwrap()
                })
                .collect()
        };
        std::fs::write(&path, bytes).unwrap();
        // Rotated files are old (searched through a memory map); the live log is fresh.
        let age = std::time::Duration::from_secs(86_400 * (ACCESS_LOGS.len() - 1 - f) as u64);
        std::fs::File::options().write(true).open(&path).unwrap().set_modified(std::time::SystemTime::now() - age).unwrap();
    }
    special.retain(|s| s.3);
    assert_eq!(planted_written, special.len(), "every planted line was written");
    expected
}

pub fn smart_cx(dir: &Path, others: usize, seed: u64) -> Firm {
    let (dir, register) = firm_dir(dir, "smart-cx");
    let mut rng = Rng::new(seed);
    let people: Vec<Person> = (0..others).map(|n| Person::random(&mut rng, n)).collect();
    let mut expected = BTreeMap::new();
    let mut files = BTreeMap::new();
    let near_phones_e164 = ["+492151123457", "+4921511234560", "+432151123456", "+49215112345"];

    // hosting-logs: a day per file, the subject's visits among everyone else's.
    expected.insert("hosting-logs".to_string(), access_logs(&dir, &people, &mut rng));
    files.insert("hosting-logs".to_string(), dir.join("data/logs"));

    // appointments: termine, matched by e-mail or E.164 phone
    let path = dir.join("data/smartcx.sqlite");
    let c = Connection::open(&path).unwrap();
    c.execute_batch(
        "CREATE TABLE termine (id INTEGER PRIMARY KEY, datum TEXT, uhrzeit TEXT, name TEXT, email TEXT, telefon TEXT, anliegen TEXT);
         BEGIN;",
    )
    .unwrap();
    let topics = ["Beratung Customer Journey", "Workshop", "Rückruf", "Angebot"];
    let mut rows: Vec<(String, String, String, String)> =
        people.iter().map(|p| (p.name(), p.email.clone(), p.phone_e164.clone(), rng.pick(&topics).to_string())).collect();
    for near in near_phones_e164 {
        rows.push(("Jana Beispiel".into(), "someone@example.net".into(), near.into(), "Rückruf".into()));
    }
    rows.push(("Jana Beispiel".into(), "jana.beispiel@example.org.evil".into(), "".into(), "Workshop".into()));
    let planted = vec![
        ("Jana Beispiel".to_string(), "Jana.Beispiel@example.org".to_string(), "+492151123456".to_string(), "Erstgespräch".to_string()),
        ("Jana Beispiel".into(), "jana.beispiel@example.org".into(), "".into(), "Workshop".into()),
        ("J. Beispiel".into(), "jb@firma.example".into(), "+492151123456".into(), "Rückruf".into()),
    ];
    let (rows, at) = scatter(&mut rng, rows, planted);
    let mut exp = Expected::default();
    for (i, (name, email, tel, topic)) in rows.iter().enumerate() {
        let (datum, uhrzeit) = (format!("2026-{:02}-{:02}", 1 + i % 12, 1 + i % 28), format!("{:02}:00", 8 + i % 9));
        c.execute("INSERT INTO termine VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", params![i as i64 + 1, datum, uhrzeit, name, email, tel, topic]).unwrap();
        if at.contains(&i) {
            exp.push("termine", "query termine", json!({"id": i + 1, "datum": datum, "uhrzeit": uhrzeit, "name": name, "email": email, "telefon": tel, "anliegen": topic}));
        }
    }
    c.execute_batch("COMMIT;").unwrap();
    drop(c);
    expected.insert("appointments".to_string(), exp);
    files.insert("appointments".to_string(), path);

    // mailjet: messages sent
    let header = ["MessageID", "To", "Subject", "Status", "SentAt"];
    let mut rows: Vec<Vec<String>> = people
        .iter()
        .enumerate()
        .map(|(n, p)| vec![format!("{}", 288230376151711744u64 + n as u64), p.email.clone(), "Ihr Termin bei SMART CJM".into(), "delivered".into(), timestamp(&mut rng)])
        .collect();
    for near in ["jana.beispiel@example.org.evil", "xjana.beispiel@example.org", "jana.beispiel@example.com"] {
        rows.push(vec!["1".into(), near.into(), "Hallo".into(), "delivered".into(), "2026-01-01".into()]);
    }
    let planted = vec![
        vec!["900000000000000001".into(), "jana.beispiel@example.org".into(), "Ihr Termin, Frau Beispiel".into(), "opened".into(), "2026-05-01T10:00:00Z".into()],
        vec!["900000000000000002".into(), "JANA.BEISPIEL@EXAMPLE.ORG".into(), "Erinnerung".into(), "delivered".into(), "2026-05-02T10:00:00Z".into()],
        vec!["900000000000000003".into(), " Jana.Beispiel@Example.org ".into(), "Feedback".into(), "clicked".into(), "2026-05-03T10:00:00Z".into()],
    ];
    let (rows, at) = scatter(&mut rng, rows, planted);
    let (text, line_of) = csv_text(b',', &header, &rows);
    let path = dir.join("data/mailjet-messages.csv");
    std::fs::write(&path, text).unwrap();
    let mut exp = Expected::default();
    for i in at {
        exp.push("mailjet-messages", format!("mailjet-messages.csv:{}", line_of[i]), csv_record(&header, &rows[i]));
    }
    expected.insert("mailjet".to_string(), exp);
    files.insert("mailjet".to_string(), path);

    // twilio: {"messages": [...]} matched by /to in any phone format
    let mut msgs: Vec<Value> = people
        .iter()
        .enumerate()
        .map(|(n, p)| json!({"sid": format!("SM{n:032}"), "to": p.phone, "from": "+4921514474700", "body": "Ihr Termin morgen um 10 Uhr.", "status": "delivered", "date_sent": timestamp(&mut rng)}))
        .collect();
    for near in ["+49 2151 123457", "+43 2151 123456", "+49 2151 1234560", "02151 12345"] {
        msgs.push(json!({"sid": "SMNEAR", "to": near, "from": "+4921514474700", "body": "x", "status": "sent", "date_sent": "2026-01-01"}));
    }
    let planted: Vec<Value> = ["+492151123456", "+49 2151 123456", "02151 123456", "0049 2151 123456"]
        .iter()
        .enumerate()
        .map(|(i, to)| json!({"sid": format!("SMPLANTED{i}"), "to": to, "from": "+4921514474700", "body": "Erinnerung: Termin bei SMART CJM", "status": "delivered", "date_sent": format!("2026-06-0{}", i + 1)}))
        .collect();
    let (msgs, at) = scatter(&mut rng, msgs, planted.clone());
    let path = dir.join("data/twilio-messages.json");
    std::fs::write(&path, serde_json::to_string_pretty(&json!({"account": "AC123", "messages": msgs, "next_page": null})).unwrap()).unwrap();
    let mut exp = Expected::default();
    for (rec, i) in planted.into_iter().zip(at) {
        exp.push("twilio-messages", format!("twilio-messages.json#/messages/{i}"), rec);
    }
    expected.insert("twilio".to_string(), exp);
    files.insert("twilio".to_string(), path);

    Firm {
        register,
        dir,
        name: "Jana Beispiel".into(),
        identifiers: vec![("email".into(), "jana.beispiel@example.org".into()), ("phone".into(), "02151 123456".into()), ("ip".into(), SMART_CX_IP.into())],
        expected,
        manual: vec!["cdn".into()],
        secrets: vec![],
        files,
        service: None,
    }
}
