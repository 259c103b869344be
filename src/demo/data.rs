//! The demo firm's own systems: the files Jaimo's register points at (`demo-data/data/`),
//! holding a few hundred fictional customers and what Jaimo keeps on several of the demo
//! cases' subjects, so a pull finds something. The same today gives the same files: a
//! seeded xorshift picks names and counts, and every date is counted back from today.
//!
//! - `dashboard.sqlite`: the firm's own app (plain SQLite, no key): users, sessions, stages.
//! - `slack-notifications.jsonl`: the registration and new-stage notifications.
//! - `salesforce-contacts.csv`: a CRM export (UTF-8, comma).
//! - `fastbill-invoices.csv`: an invoice export as German office software writes it
//!   (`;`, Windows-1252, CRLF, decimal commas, „quotes“ and €).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use chrono::{Duration, NaiveDate, NaiveDateTime, SecondsFormat};
use rusqlite::{params, Connection};
use serde_json::json;

use crate::error::Result;
use crate::store::StoreError;

/// Fictional customers besides the demo subjects.
const OTHERS: usize = 320;

/// A demo case's subject who is a Jaimo customer, spelled as the firm's systems have them.
pub(super) struct Customer {
    pub name: &'static str,
    /// The dashboard login (the case has it in lower case; matching normalises).
    pub email: &'static str,
    pub phone: &'static str,
    company: &'static str,
    street: &'static str,
    city: &'static str,
    stages: &'static [&'static str],
    sessions: usize,
    invoices: usize,
    /// Salesforce contact's address; a different one is still found by the name.
    crm: Option<&'static str>,
}

const fn c(name: &'static str, email: &'static str, phone: &'static str, company: &'static str, street: &'static str, city: &'static str) -> Customer {
    Customer { name, email, phone, company, street, city, stages: &[], sessions: 1, invoices: 0, crm: Some(email) }
}

pub(super) const CUSTOMERS: &[Customer] = &[
    Customer {
        stages: &["Sommerfest 2026", "Firmenlauf Karlsruhe"],
        sessions: 3,
        invoices: 3,
        ..c("Max Mustermann", "Max.Mustermann@example.org", "+49 171 1234567", "Mustermann Events GmbH", "Große Straße 5", "76669 Bad Schönborn")
    },
    Customer {
        stages: &["Hochzeitsmesse Mannheim"],
        ..c("Erika Musterfrau", "erika.musterfrau@example.net", "0171 2345678", "", "Am Schloßpark 3", "68723 Schwetzingen")
    },
    Customer {
        stages: &["Open Air Durlach", "Weihnachtsmarkt Ettlingen"],
        sessions: 2,
        invoices: 4,
        ..c("Felix Hoffmann", "felix.hoffmann@example.org", "+49 160 5550123", "Hoffmann Bühnentechnik e. K.", "Königsallee 17", "76133 Karlsruhe")
    },
    Customer {
        stages: &["Kochshow live"],
        invoices: 2,
        crm: Some("ben@koch-soehne.example"),
        ..c("Ben Koch", "BEN.KOCH@EXAMPLE.ORG", "+49 721 9876543", "Koch & Söhne Catering", "Südendstraße 44", "76135 Karlsruhe")
    },
    Customer { stages: &["Chorkonzert Heidelberg"], sessions: 2, crm: None, ..c("Clara Richter", "clara.richter@example.org", "", "", "Weißdornweg 8", "69115 Heidelberg") },
    Customer {
        stages: &["London Tech Stage"],
        invoices: 1,
        ..c("Olivia Bennett", "olivia.bennett@example.com", "+44 20 7946 0958", "Bennett Live Ltd", "12 Baker Street", "London NW1 6XE")
    },
    Customer {
        stages: &["Bruchsaler Spargelfest"],
        sessions: 2,
        invoices: 3,
        ..c("Tim Krüger", "tim.krueger@example.org", "+49 152 3344556", "Krüger Veranstaltungsservice", "Märchenweg 2", "76646 Bruchsal")
    },
];

const FIRST: &[&str] = &[
    "Andreas", "Birgit", "Carsten", "Dörte", "Emil", "Franziska", "Günter", "Heike", "Ingo", "Jana", "Karin", "Lars", "Monika",
    "Niklas", "Oskar", "Petra", "Rüdiger", "Sabine", "Thorsten", "Ute", "Volker", "Wiebke", "Yvonne", "Zeynep", "Aylin", "Sven",
    "Jörg", "Maren", "Fenna", "Bram", "Chloé", "Mateo", "Agnieszka", "Ilse", "René", "Nele",
];
// No last name of a demo case's subject, so no stranger is found by name.
const LAST: &[&str] = &[
    "Müller", "Schmidt", "Schneider", "Meyer", "Bauer", "Schröder", "Walter", "Peters", "Kaiser", "Fuchs", "Vogel", "Jung",
    "Keller", "Günther", "Frank", "Berger", "Roth", "Beck", "Lorenz", "Baumann", "Albrecht", "Winkler", "Böhm", "Jäger",
    "Vogt", "Sommer", "Groß", "Seidel", "Brandt", "Haas", "Graf", "Dietrich", "Kühn", "Engel", "Öztürk", "Kowalski",
    "Jansen", "van Dijk", "Bakker", "Rossi", "García", "Nowak",
];
const DOMAINS: &[&str] = &["example.com", "example.net", "mail.example", "post.example", "verein.example", "agentur.example"];
const CITIES: &[&str] = &[
    "76669 Bad Schönborn", "76133 Karlsruhe", "69117 Heidelberg", "68159 Mannheim", "76646 Bruchsal", "75175 Pforzheim",
    "70173 Stuttgart", "79098 Freiburg im Breisgau", "77652 Offenburg", "74072 Heilbronn", "76530 Baden-Baden", "89073 Ulm",
];
const STREETS: &[&str] = &["Hauptstraße", "Schillerstraße", "Goethestraße", "Kirchweg", "Lindenallee", "Am Mühlbach", "Rheinstraße", "Bahnhofstraße", "Fliederweg", "Marktplatz"];
const EVENTS: &[&str] = &["Sommerfest", "Tag der offenen Tür", "Jubiläum", "Straßenfest", "Produktlaunch", "Vereinsabend", "Lesung", "Hochzeit", "Konzert", "Weihnachtsfeier"];
const TRADES: &[&str] = &["Eventtechnik GmbH", "Catering", "Musikschule", "Tanzstudio e. V.", "Kulturverein e. V.", "Agentur UG", "Fotografie"];
const SOURCES: &[&str] = &["instagram", "youtube", "tiktok", "facebook", "website", "rss"];
const AGENTS: &[&str] = &[
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/129.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 Version/18.0 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:131.0) Gecko/20100101 Firefox/131.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
];
/// Fastbill's price list: item and net price in cents.
const ITEMS: &[(&str, i64)] = &[
    ("Stage Basic (Monat)", 1_900),
    ("Stage Pro (Monat)", 4_900),
    ("Stage Pro (Jahr)", 49_000),
    ("Einrichtungspauschale", 14_900),
    ("Zusatzspeicher 50 GB", 990),
    ("Workshop „Stages für Vereine“", 29_000),
];

/// Marsaglia's xorshift64: enough to vary fictional data, and it never changes.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }

    fn of<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.roll(items.len())]
    }
}

/// One customer of the firm, a demo subject or a stranger.
struct Person {
    first: String,
    last: String,
    email: String,
    phone: String,
    company: String,
    street: String,
    city: String,
    /// Days before today the account was opened.
    since: i64,
    stages: Vec<String>,
    sessions: usize,
    invoices: usize,
    crm: Option<String>,
}

impl Person {
    fn name(&self) -> String {
        format!("{} {}", self.first, self.last)
    }

    fn from_customer(k: &Customer, dice: &mut Dice) -> Person {
        let (first, last) = k.name.split_once(' ').unwrap_or((k.name, ""));
        Person {
            first: first.into(),
            last: last.into(),
            email: k.email.into(),
            phone: k.phone.into(),
            company: k.company.into(),
            street: k.street.into(),
            city: k.city.into(),
            since: 200 + dice.roll(400) as i64,
            stages: k.stages.iter().map(|s| s.to_string()).collect(),
            sessions: k.sessions,
            invoices: k.invoices,
            crm: k.crm.map(String::from),
        }
    }

    fn stranger(dice: &mut Dice, taken: &mut HashSet<String>) -> Person {
        let (first, last) = (dice.of(FIRST), dice.of(LAST));
        let (f, l, domain) = (mailbox(first), mailbox(last), dice.of(DOMAINS));
        let mut email = match dice.roll(4) {
            0 => format!("{f}.{l}@{domain}"),
            1 => format!("{}.{l}@{domain}", &f[..1]),
            2 => format!("{f}{l}{}@{domain}", 60 + dice.roll(40)),
            _ => format!("{l}.{f}@{domain}"),
        };
        if !taken.insert(email.clone()) {
            email = format!("{f}.{l}.{}@{domain}", taken.len());
            taken.insert(email.clone());
        }
        // Mobile prefixes and the Bad Schönborn area code; none of the demo subjects' numbers.
        let phone = match dice.roll(4) {
            0 => String::new(),
            1 => format!("07253 {}", 10_000 + dice.roll(89_999)),
            2 => format!("+49 {} {}", dice.of(&["157", "162", "176", "179"]), 1_000_000 + dice.roll(8_999_999)),
            _ => format!("0{}{}", dice.of(&["151", "163", "175", "178"]), 1_000_000 + dice.roll(8_999_999)),
        };
        let company = match dice.roll(3) {
            0 => format!("{last} {}", dice.of(TRADES)),
            _ => String::new(),
        };
        let city = dice.of(CITIES).to_string();
        let town = city.split_once(' ').map_or(city.as_str(), |(_, t)| t).to_string();
        let stages = (0..dice.roll(3)).map(|_| format!("{} {town}", dice.of(EVENTS))).collect();
        let crm = (dice.roll(5) < 3).then(|| if dice.roll(4) == 0 { email.to_uppercase() } else { email.clone() });
        Person {
            first: first.into(),
            last: last.into(),
            street: format!("{} {}", dice.of(STREETS), 1 + dice.roll(120)),
            city,
            since: 14 + dice.roll(900) as i64,
            stages,
            sessions: dice.roll(4),
            invoices: if dice.roll(2) == 0 { 0 } else { 1 + dice.roll(4) },
            email,
            phone,
            company,
            crm,
        }
    }
}

/// The strangers and, scattered among them, the demo subjects who are customers.
fn people() -> Vec<Person> {
    let mut dice = Dice(0x4A61_696D_6F20_4465);
    let mut taken = HashSet::new();
    let mut all: Vec<Person> = (0..OTHERS).map(|_| Person::stranger(&mut dice, &mut taken)).collect();
    for k in CUSTOMERS {
        let at = dice.roll(all.len());
        let p = Person::from_customer(k, &mut dice);
        all.insert(at, p);
    }
    all
}

/// An e-mail local part from a name: ASCII, lower case, no spaces.
fn mailbox(s: &str) -> String {
    let mut out = String::new();
    for ch in s.to_lowercase().chars() {
        match ch {
            'ä' => out.push_str("ae"),
            'ö' => out.push_str("oe"),
            'ü' => out.push_str("ue"),
            'ß' => out.push_str("ss"),
            'é' => out.push('e'),
            'í' => out.push('i'),
            ' ' => {}
            c => out.push(c),
        }
    }
    out
}

/// A moment `days` before `today`, at a working-hours time picked by the dice.
fn moment(today: NaiveDate, days: i64, dice: &mut Dice) -> NaiveDateTime {
    let day = today - Duration::days(days.max(1));
    day.and_hms_opt(7 + dice.roll(12) as u32, dice.roll(60) as u32, dice.roll(60) as u32).unwrap_or_default()
}

/// How the dashboard stores times.
fn stamp(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%d %H:%M:%S").to_string()
}

/// `1234567` cents as `12.345,67`.
fn euro(cents: i64) -> String {
    let units = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, ch) in units.chars().enumerate() {
        if i > 0 && (units.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(ch);
    }
    format!("{grouped},{:02}", cents % 100)
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> crate::error::Error + '_ {
    move |source| StoreError::Io { path: path.to_path_buf(), source }.into()
}

/// Writes the four files into `dir` (created if needed), replacing earlier ones.
pub(super) fn write(dir: &Path, today: NaiveDate) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let people = people();
    let mut dice = Dice(0x5374_6167_6573_2121);
    dashboard(&dir.join("dashboard.sqlite"), &people, today, &mut dice)?;
    slack(&dir.join("slack-notifications.jsonl"), &people, today, &mut dice)?;
    salesforce(&dir.join("salesforce-contacts.csv"), &people, today, &mut dice)?;
    fastbill(&dir.join("fastbill-invoices.csv"), &people, today, &mut dice)
}

fn dashboard(path: &Path, people: &[Person], today: NaiveDate, dice: &mut Dice) -> Result<()> {
    for stale in [PathBuf::from(path), PathBuf::from(format!("{}-journal", path.display()))] {
        match std::fs::remove_file(&stale) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(io(&stale)(e)),
            _ => {}
        }
    }
    let mut db = Connection::open(path)?;
    let tx = db.transaction()?;
    tx.execute_batch(
        "CREATE TABLE users (id INTEGER PRIMARY KEY, first_name TEXT NOT NULL, last_name TEXT NOT NULL, phone TEXT,
                             email TEXT NOT NULL UNIQUE, password_hash TEXT NOT NULL, created_at TEXT NOT NULL, last_login_at TEXT);
         CREATE TABLE sessions (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id), ip TEXT NOT NULL,
                                user_agent TEXT, last_activity_at TEXT NOT NULL);
         CREATE TABLE stages (id INTEGER PRIMARY KEY, owner_id INTEGER NOT NULL REFERENCES users(id), name TEXT NOT NULL,
                              handle TEXT NOT NULL UNIQUE, sources TEXT NOT NULL, token_encrypted BLOB, created_at TEXT NOT NULL);
         CREATE INDEX users_email ON users (lower(email));",
    )?;
    let mut stage_id = 0;
    for (id, p) in (1i64..).zip(people) {
        let hash = format!("$argon2id$v=19$m=65536,t=3,p=4${:016x}{:016x}", dice.roll(usize::MAX), dice.roll(usize::MAX));
        let login = stamp(moment(today, dice.roll(p.since as usize) as i64, dice));
        let phone = (!p.phone.is_empty()).then_some(p.phone.as_str());
        tx.execute(
            "INSERT INTO users VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![id, p.first, p.last, phone, p.email, hash, stamp(moment(today, p.since, dice)), login],
        )?;
        for _ in 0..p.sessions {
            let ip = format!("{}.{}", dice.of(&["192.0.2", "198.51.100", "203.0.113"]), 1 + dice.roll(254));
            let at = stamp(moment(today, dice.roll(p.since as usize) as i64, dice));
            tx.execute("INSERT INTO sessions (user_id, ip, user_agent, last_activity_at) VALUES (?1, ?2, ?3, ?4)", params![id, ip, dice.of(AGENTS), at])?;
        }
        for name in &p.stages {
            stage_id += 1;
            let handle = format!("{}-{stage_id}", mailbox(name).replace(|c: char| !c.is_ascii_alphanumeric(), ""));
            let sources: Vec<&str> = SOURCES.iter().copied().filter(|_| dice.roll(2) == 0).collect();
            let token: Vec<u8> = (0..24).map(|_| dice.roll(256) as u8).collect();
            tx.execute(
                "INSERT INTO stages VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![stage_id, id, name, handle, json!(sources).to_string(), token, stamp(moment(today, p.since - 3, dice))],
            )?;
        }
    }
    tx.commit()?;
    Ok(())
}

fn slack(path: &Path, people: &[Person], today: NaiveDate, dice: &mut Dice) -> Result<()> {
    let mut lines: Vec<(NaiveDateTime, String)> = Vec::new();
    for p in people {
        let at = moment(today, p.since, dice);
        let from = if p.company.is_empty() { "privat".to_string() } else { p.company.clone() };
        let phone = (!p.phone.is_empty()).then_some(p.phone.as_str());
        let text = format!(":tada: Neue Registrierung: {} ({from})", p.name());
        lines.push((at, json!({"ts": at.and_utc().to_rfc3339_opts(SecondsFormat::Secs, true), "channel": "#registrierungen", "event": "user.registered", "name": p.name(), "email": p.email, "phone": phone, "text": text}).to_string()));
        for stage in &p.stages {
            let at = moment(today, p.since - 1 - dice.roll(10) as i64, dice);
            let text = format!("{} hat die Stage „{stage}“ angelegt", p.name());
            lines.push((at, json!({"ts": at.and_utc().to_rfc3339_opts(SecondsFormat::Secs, true), "channel": "#neue-stages", "event": "stage.created", "name": p.name(), "email": p.email, "stage": stage, "text": text}).to_string()));
        }
    }
    lines.sort();
    let text: String = lines.into_iter().map(|(_, l)| l + "\n").collect();
    std::fs::write(path, text).map_err(io(path))
}

/// Rows as CSV text with the given delimiter and line ending.
fn csv_text(delimiter: u8, crlf: bool, header: &[&str], rows: &[Vec<String>]) -> String {
    let terminator = if crlf { csv::Terminator::CRLF } else { csv::Terminator::Any(b'\n') };
    let mut w = csv::WriterBuilder::new().delimiter(delimiter).terminator(terminator).from_writer(Vec::new());
    // Writing to memory cannot fail.
    let _ = w.write_record(header);
    for r in rows {
        let _ = w.write_record(r);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

fn salesforce(path: &Path, people: &[Person], today: NaiveDate, dice: &mut Dice) -> Result<()> {
    let notes = ["", "", "Rückruf gewünscht, Angebot \"Pro\" geschickt", "Kam über die Messe\nStand 4B", "Zahlt per Lastschrift", "Interesse an Workshop"];
    let mut rows: Vec<(NaiveDate, Vec<String>)> = Vec::new();
    for (n, p) in people.iter().enumerate() {
        let Some(email) = &p.crm else { continue };
        let created = (today - Duration::days(p.since + 5)).format("%Y-%m-%d").to_string();
        let row = vec![
            format!("003AP00000{:08X}", 0x5EED + n * 7_919),
            p.first.clone(),
            p.last.clone(),
            email.clone(),
            p.phone.clone(),
            p.company.clone(),
            p.street.clone(),
            p.city.clone(),
            dice.of(&["Web", "Messe", "Empfehlung", "Newsletter"]).to_string(),
            created,
            dice.of(&notes).to_string(),
        ];
        rows.push((today - Duration::days(p.since + 5), row));
    }
    rows.sort_by_key(|r| r.0);
    let header = ["Id", "FirstName", "LastName", "Email", "Phone", "Account", "MailingStreet", "MailingCity", "LeadSource", "CreatedDate", "Description"];
    let rows: Vec<Vec<String>> = rows.into_iter().map(|(_, r)| r).collect();
    std::fs::write(path, csv_text(b',', false, &header, &rows)).map_err(io(path))
}

fn fastbill(path: &Path, people: &[Person], today: NaiveDate, dice: &mut Dice) -> Result<()> {
    let mut invoices: Vec<(NaiveDate, &Person, &str, i64)> = Vec::new();
    for p in people {
        for i in 0..p.invoices {
            let (item, net) = ITEMS[dice.roll(ITEMS.len())];
            let days = (p.since - 2 - 30 * i as i64).max(2);
            invoices.push((today - Duration::days(days), p, item, net));
        }
    }
    invoices.sort_by_key(|i| i.0);
    let rows: Vec<Vec<String>> = (1..)
        .zip(invoices)
        .map(|(n, (date, p, item, net))| {
            let vat = (net * 19 + 50) / 100;
            let status = match (today - date).num_days() {
                0..=13 => "offen",
                14..=30 if dice.roll(3) == 0 => "überfällig",
                _ => "bezahlt",
            };
            let customer = if p.company.is_empty() { p.name() } else { p.company.clone() };
            vec![
                format!("RE-{}-{n:05}", date.format("%Y")),
                date.format("%d.%m.%Y").to_string(),
                customer,
                format!("{} {}", p.first, p.last),
                p.street.clone(),
                p.city.clone(),
                p.email.to_lowercase(),
                item.to_string(),
                euro(net),
                euro(vat),
                euro(net + vat),
                "€".into(),
                status.into(),
            ]
        })
        .collect();
    let header = ["Rechnungsnr.", "Datum", "Kunde", "Ansprechpartner", "Straße", "PLZ/Ort", "E-Mail", "Leistung", "Netto", "USt. 19 %", "Brutto", "Währung", "Status"];
    let text = csv_text(b';', true, &header, &rows);
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&text);
    std::fs::write(path, bytes).map_err(io(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digits(s: &str) -> String {
        let d: String = s.chars().filter(char::is_ascii_digit).collect();
        d[d.len().saturating_sub(7)..].to_string()
    }

    #[test]
    fn customers_are_demo_subjects_and_no_stranger_looks_like_one() {
        let cases = super::super::cases();
        for k in CUSTOMERS {
            let case = cases.iter().find(|d| d.name == k.name).unwrap_or_else(|| panic!("{} is no demo case", k.name));
            assert_eq!(case.email, k.email.to_lowercase(), "{}", k.name);
        }
        let people = people();
        assert_eq!(people.len(), OTHERS + CUSTOMERS.len());
        let strangers = people.iter().filter(|p| !CUSTOMERS.iter().any(|k| k.name == p.name()));
        let mut emails = HashSet::new();
        for p in strangers {
            assert!(emails.insert(p.email.to_lowercase()), "duplicate {}", p.email);
            for d in &cases {
                assert_ne!(p.name(), d.name);
                assert_ne!(p.email.to_lowercase(), d.email);
                assert!(d.phone.is_none_or(|ph| p.phone.is_empty() || digits(ph) != digits(&p.phone)), "{}", p.phone);
            }
            for k in CUSTOMERS {
                assert!(k.phone.is_empty() || p.phone.is_empty() || digits(k.phone) != digits(&p.phone), "{}", p.phone);
            }
        }
    }

    #[test]
    fn files_are_written_the_same_for_the_same_today() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
        let tmp = tempfile::tempdir().unwrap();
        let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
        write(&a, today).unwrap();
        write(&b, today).unwrap();
        write(&b, today).unwrap(); // again over the old files
        for f in ["slack-notifications.jsonl", "salesforce-contacts.csv", "fastbill-invoices.csv"] {
            assert_eq!(std::fs::read(a.join(f)).unwrap(), std::fs::read(b.join(f)).unwrap(), "{f}");
        }
        let bill = std::fs::read(a.join("fastbill-invoices.csv")).unwrap();
        assert!(std::str::from_utf8(&bill).is_err(), "Windows-1252, not UTF-8");
        let (text, _, bad) = encoding_rs::WINDOWS_1252.decode(&bill);
        assert!(!bad && !text.contains("&#"), "every character fits Windows-1252");
        assert!(text.starts_with("Rechnungsnr.;Datum;Kunde;") && text.contains("Straße") && text.contains('€') && text.contains("\r\n"));
        let db = Connection::open(a.join("dashboard.sqlite")).unwrap();
        let n: i64 = db.query_row("SELECT count(*) FROM users WHERE lower(email) = 'max.mustermann@example.org'", [], |r| r.get(0)).unwrap();
        assert_eq!(n, 1);
    }
}
