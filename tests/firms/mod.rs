//! Realistic, seeded test data for the fixture firms: writes the files their registers name
//! (SQLite databases, CSV in UTF-8 and Windows-1252, JSON, JSON Lines) with thousands of
//! other people, one planted subject with known records per system, and near-misses that
//! must not match (similar e-mails, other numbers) or must (other case, spacing, phone
//! formats). Then copies the fixture register next to the data, so its relative paths
//! resolve there on import. Nothing large is committed: the data is generated per test.
#![allow(dead_code)]

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
        let ip = format!("198.51.{}.{}", rng.below(256), 1 + rng.below(254));
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
    /// Systems of kinds this branch cannot search yet (logs, http): status error.
    pub unsupported: Vec<String>,
    /// Every file written, by system id.
    pub files: BTreeMap<String, PathBuf>,
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
// fastbill (csv, ';', Windows-1252), cleverreach (http, not searchable on this branch).

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

pub fn jaimo(dir: &Path, others: usize, seed: u64) -> Firm {
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

    Firm {
        register,
        dir,
        name: "Max Mustermann".into(),
        identifiers: vec![("email".into(), "Max.Mustermann@Example.org".into()), ("phone".into(), "0171 1234567".into())],
        expected,
        manual: vec!["gmail".into()],
        unsupported: vec!["cleverreach".into()],
        files,
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
        unsupported: vec![],
        files,
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
// SMART CJM: appointments (sqlite), mailjet (csv), twilio (json), cdn (manual); hosting-logs
// (logs) is not searchable on this branch.

pub fn smart_cx(dir: &Path, others: usize, seed: u64) -> Firm {
    let (dir, register) = firm_dir(dir, "smart-cx");
    let mut rng = Rng::new(seed);
    let people: Vec<Person> = (0..others).map(|n| Person::random(&mut rng, n)).collect();
    let mut expected = BTreeMap::new();
    let mut files = BTreeMap::new();
    let near_phones_e164 = ["+492151123457", "+4921511234560", "+432151123456", "+49215112345"];

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
        identifiers: vec![("email".into(), "jana.beispiel@example.org".into()), ("phone".into(), "02151 123456".into())],
        expected,
        manual: vec!["cdn".into()],
        unsupported: vec!["hosting-logs".into()],
        files,
    }
}
