//! Benchmark (b) of issue 3: one subject in `customers` (1 000 000 rows), `orders`
//! (3 000 000) and `login_events` (5 000 000), each joined on an indexed column, against `psql`
//! running the same three queries in one session on the same machine. Measured in one run,
//! alternating round by round (psql, connector, pull, CLI), medians of `RUNS` rounds:
//!
//! - **psql**: process start, connect (SCRAM), the 3 queries, rows printed.
//! - **connector search**: the `postgres` connector in-process: connect + 3 queries, 14 rows
//!   decoded to JSON records. No store.
//! - **`pull::run` in-process**: what the desktop app does on a desk unlocked once at start
//!   (encrypted store, key already derived): load the case and the current register, read
//!   the secret, connect + 3 queries on a worker thread, then one transaction writing the 14
//!   evidence records and the `case.pulled` audit event (WAL, `synchronous = FULL`: a real
//!   fsync on the same disk as `/tmp`).
//! - **CLI end to end**: `dsar case pull REF --json` as a new process on the same store:
//!   process start, SQLCipher key derivation (PBKDF2 with SQLCipher 4's default iterations,
//!   by design; the output names both), migration check, the same `pull::run`, JSON printed.
//!   Reported for transparency, next to its parts measured alone in the same rounds
//!   (`dsar --version`, `Store::open`, SQLCipher's key derivation on a raw connection).
//!
//! Needs the test server: `eval "$(bash scripts/sql-servers.sh start)"`, then
//! `cargo bench --bench postgres` (which also builds the release `dsar` binary the CLI row
//! runs). The tables are generated server-side once (schema `bench`) and reused by later runs.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use dsar::cases::{self, Context, NewCase};
use dsar::connectors::{open_sql_server, Cancel, OpenContext, SearchKeys};
use dsar::domain::{Channel, IdentifierKind, Right};
use dsar::evidence::PullStatus;
use dsar::pull::{self, PullEvent, PullOptions};
use dsar::store::Store;
use serde_json::json;

const RUNS: usize = 21;
const SUBJECT: &str = "bench.subject@example.org";
const PASSPHRASE: &str = "benchmark passphrase";
const QUERIES: [(&str, &str); 3] = [
    ("customers", "SELECT * FROM bench.customers WHERE email = :email"),
    (
        "orders",
        "SELECT o.* FROM bench.orders o JOIN bench.customers c ON c.id = o.customer_id WHERE c.email = :email",
    ),
    (
        "login_events",
        "SELECT l.* FROM bench.login_events l JOIN bench.customers c ON c.id = l.customer_id WHERE c.email = :email",
    ),
];

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        eprintln!("{name} is not set: run `eval \"$(bash scripts/sql-servers.sh start)\"` first");
        std::process::exit(1)
    })
}

/// The release `dsar` binary: the one cargo built for this bench (`CARGO_BIN_EXE_dsar`, set
/// for benchmarks of a package with a binary target), else `target/<profile>/dsar` next to
/// this bench executable (`target/<profile>/deps/postgres-HASH`).
fn dsar_binary() -> PathBuf {
    let beside = || {
        let exe = std::env::current_exe().unwrap_or_else(|e| panic!("current_exe: {e}"));
        exe.parent()
            .and_then(Path::parent)
            .map(|dir| dir.join(format!("dsar{}", std::env::consts::EXE_SUFFIX)))
            .unwrap_or_else(|| panic!("no target directory above {}", exe.display()))
    };
    let bin = option_env!("CARGO_BIN_EXE_dsar")
        .map(PathBuf::from)
        .unwrap_or_else(beside);
    if !bin.is_file() {
        eprintln!(
            "{} not found: run the benchmark through `cargo bench --bench postgres`, which builds it",
            bin.display()
        );
        std::process::exit(1)
    }
    bin
}

/// A timed series: wall times in rounds, reported as median (and min/max for spread).
#[derive(Default)]
struct Series(Vec<Duration>);

impl Series {
    fn time<T>(&mut self, f: impl FnOnce() -> T) -> T {
        let t = Instant::now();
        let out = f();
        self.0.push(t.elapsed());
        out
    }
    fn ms(d: Duration) -> f64 {
        d.as_secs_f64() * 1000.0
    }
    fn median(&self) -> f64 {
        let mut v = self.0.clone();
        v.sort();
        Self::ms(v[v.len() / 2])
    }
    fn min(&self) -> f64 {
        self.0.iter().min().map_or(f64::NAN, |d| Self::ms(*d))
    }
    fn max(&self) -> f64 {
        self.0.iter().max().map_or(f64::NAN, |d| Self::ms(*d))
    }
}

fn main() {
    let url = env("DSAR_TEST_PG_URL");
    let password = env("DSAR_TEST_PG_PASSWORD");
    seed(&url, &password);
    let dsar_bin = dsar_binary();

    // --- the connector alone ---
    let register = register(&url);
    let system = &register.systems[0];
    let Some(connector) = system.connector.as_ref() else {
        unreachable!("the bench register has a connector")
    };
    let lookup = |_: &str| Some(password.clone());
    let mut keys = SearchKeys::new();
    keys.add("email", SUBJECT);
    let connector_search = || {
        let cx = OpenContext {
            system,
            connector,
            secrets: &lookup,
            default_country: "DE",
        };
        let source = open_sql_server(&cx).unwrap_or_else(|e| panic!("{e}"));
        let found = source
            .search(&keys, &Cancel::new())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(found.len(), 14, "1 customer + 3 orders + 10 login events");
    };

    // --- psql, the same three queries in one session ---
    let script: String = QUERIES
        .iter()
        .map(|(_, sql)| format!("{};\n", sql.replace(":email", &format!("'{SUBJECT}'"))))
        .collect();
    let psql = || {
        let mut child = Command::new("psql")
            .args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", &url])
            .env("PGPASSWORD", &password)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("psql: {e} (Debian package postgresql-client)"));
        if let Some(mut stdin) = child.stdin.take() {
            stdin
                .write_all(script.as_bytes())
                .unwrap_or_else(|e| panic!("psql stdin: {e}"));
        }
        let out = child
            .wait_with_output()
            .unwrap_or_else(|e| panic!("psql: {e}"));
        assert!(out.status.success(), "psql failed");
        assert_eq!(
            String::from_utf8_lossy(&out.stdout).lines().count(),
            14,
            "psql rows"
        );
    };

    // --- a desk: encrypted store, register, secret, case; unlocked once, as the app does ---
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let db = dir.path().join("desk.db");
    let ctx = Context::now("bench");
    let mut store = Store::create(&db, PASSPHRASE).unwrap_or_else(|e| panic!("{e}"));
    dsar::register_store::import_text(
        &mut store,
        &ctx,
        &register_json(&url).to_string(),
        Path::new("/"),
        "bench-register.json",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    dsar::secrets::set(&mut store, &ctx, "bench_pg", &password).unwrap_or_else(|e| panic!("{e}"));
    let case = cases::create(
        &mut store,
        &ctx,
        NewCase {
            rights: vec![Right::Access],
            name: "Bench Subject".into(),
            address: vec![],
            identifiers: vec![(IdentifierKind::Email, SUBJECT.into())],
            received: ctx.today,
            jurisdiction: None,
            region: None,
            language: None,
            channel: Channel::Email,
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let reference = case.reference.to_string();

    // The search part of a pull as the pull itself reports it (ms resolution).
    let mut search_ms: Vec<u64> = Vec::new();
    let pull_run = |store: &mut Store, search_ms: &mut Vec<u64>| {
        let searched = std::cell::Cell::new(None);
        let ctx = Context::now("bench");
        let report = pull::run(
            store,
            &ctx,
            &reference,
            &PullOptions::default(),
            &|e| {
                if let PullEvent::Finished { duration_ms, .. } = e {
                    searched.set(Some(*duration_ms));
                }
            },
            &Cancel::new(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(report.systems.len(), 1, "one system");
        let r = &report.systems[0].result;
        assert_eq!(r.status, PullStatus::Ok, "pull status: {:?}", r.error);
        assert_eq!(r.records, 14, "1 customer + 3 orders + 10 login events");
        assert!(!report.cancelled);
        search_ms.extend(searched.get());
    };

    let cli = || {
        let out = Command::new(&dsar_bin)
            .args(["case", "pull", &reference, "--json"])
            .env("DSAR_DB", &db)
            .env("DSAR_PASSPHRASE", PASSPHRASE)
            .env_remove("DSAR_TODAY")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .output()
            .unwrap_or_else(|e| panic!("{}: {e}", dsar_bin.display()));
        assert!(
            out.status.success(),
            "dsar case pull failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("dsar case pull --json: {e}"));
        assert_eq!(v["systems"][0]["status"], "ok", "CLI pull: {v}");
        assert_eq!(v["systems"][0]["records"], 14, "CLI pull: {v}");
    };
    // Parts of the CLI figure, for the reader: a process that only starts and exits, and
    // unlocking the store (key derivation + migration check) in-process.
    let spawn_only = || {
        let out = Command::new(&dsar_bin)
            .arg("--version")
            .stdout(Stdio::null())
            .status()
            .unwrap_or_else(|e| panic!("{}: {e}", dsar_bin.display()));
        assert!(out.success(), "dsar --version");
    };
    let unlock = || drop(Store::open(&db, PASSPHRASE).unwrap_or_else(|e| panic!("{e}")));
    // SQLCipher's key derivation alone: key the raw connection and read the first page.
    let derive_key = || {
        let conn = rusqlite::Connection::open(&db).unwrap_or_else(|e| panic!("{e}"));
        conn.pragma_update(None, "key", PASSPHRASE)
            .unwrap_or_else(|e| panic!("{e}"));
        let n: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(n > 0);
    };

    // One warm-up each: the server's caches, the page cache and the binary are then warm.
    psql();
    connector_search();
    pull_run(&mut store, &mut Vec::new());
    cli();
    spawn_only();
    unlock();
    derive_key();
    let kdf = {
        let conn = rusqlite::Connection::open(&db).unwrap_or_else(|e| panic!("{e}"));
        conn.pragma_update(None, "key", PASSPHRASE)
            .unwrap_or_else(|e| panic!("{e}"));
        let q = |p: &str| -> String {
            conn.query_row(&format!("PRAGMA {p}"), [], |r| r.get::<_, String>(0))
                .unwrap_or_else(|_| "?".into())
        };
        format!(
            "{}, {} iterations",
            q("cipher_kdf_algorithm"),
            q("kdf_iter")
        )
    };

    let [mut t_psql, mut t_conn, mut t_pull, mut t_cli, mut t_spawn, mut t_open, mut t_key] =
        std::array::from_fn::<Series, 7, _>(|_| Series::default());
    for _ in 0..RUNS {
        Series::time(&mut t_psql, psql);
        Series::time(&mut t_conn, connector_search);
        Series::time(&mut t_pull, || pull_run(&mut store, &mut search_ms));
        Series::time(&mut t_cli, cli);
        Series::time(&mut t_spawn, spawn_only);
        Series::time(&mut t_open, unlock);
        Series::time(&mut t_key, derive_key);
    }
    search_ms.sort_unstable();
    let search_median = search_ms.get(search_ms.len() / 2).copied().unwrap_or(0);

    let base = t_psql.median();
    let row = |name: &str, s: &Series, target: &str| {
        println!(
            "  {name:<34} {:>9.2} ms {:>8.2}x   [{:.2} .. {:.2}]  {target}",
            s.median(),
            s.median() / base,
            s.min(),
            s.max()
        );
    };
    println!();
    println!("postgres: 1 subject in 1M customers / 3M orders / 5M login events, 14 records");
    println!(
        "medians of {RUNS} alternating rounds (psql, connector, pull, CLI), after 1 warm-up each"
    );
    println!(
        "  {:<34} {:>12} {:>9}   [min .. max]",
        "", "median", "vs psql"
    );
    row("psql, same 3 queries, 1 session", &t_psql, "");
    row("connector search (connect + 3 q.)", &t_conn, "");
    row(
        "pull::run in-process (unlocked)",
        &t_pull,
        "(target <= 1.0x)",
    );
    row("CLI `dsar case pull --json`", &t_cli, "(for transparency)");
    println!("  breakdown (CLI = process start + Store::open + pull::run; search = the pull's connector part):");
    println!(
        "    `dsar --version` (process start)  {:>9.2} ms",
        t_spawn.median()
    );
    println!(
        "    Store::open (key + migration chk) {:>9.2} ms",
        t_open.median()
    );
    println!(
        "    SQLCipher key alone (PBKDF2)      {:>9.2} ms",
        t_key.median()
    );
    println!(
        "    search inside pull::run (event)   {:>9} ms  (ms resolution)",
        search_median
    );
    println!();
    println!("what each includes:");
    println!("  psql       process start, connect (SCRAM-SHA-256), 3 queries, 14 rows printed");
    println!("  connector  in-process: connect, 3 queries, 14 rows as JSON records; no store");
    println!("  pull::run  in-process on an already unlocked SQLCipher store (the desktop app):");
    println!(
        "             case + register + secret read, connect, 3 queries, evidence (14 records)"
    );
    println!(
        "             and the case.pulled audit event in one transaction (WAL, synchronous=FULL)"
    );
    println!("  CLI        new process ({}):", dsar_bin.display());
    println!("             start, SQLCipher key derivation ({kdf}, by design),");
    println!("             migration check, the same pull::run, JSON printed");
    println!(
        "ratio pull::run / psql: {:.2}x (target <= 1.0x); CLI / psql: {:.2}x",
        t_pull.median() / base,
        t_cli.median() / base
    );
}

fn register(url: &str) -> dsar::register::Register {
    dsar::register::parse(&register_json(url).to_string(), Path::new("/"))
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The register: one postgres system whose password is the secret `bench_pg`.
fn register_json(url: &str) -> serde_json::Value {
    let queries: Vec<_> = QUERIES
        .iter()
        .map(|(name, sql)| json!({"name": name, "sql": sql}))
        .collect();
    json!({
        "format": "dsar-register", "version": 1,
        "controller": {
            "name": "Bench GmbH", "address": ["Hauptstr. 1", "50667 Köln"], "email": "privacy@bench.example",
            "country": "DE", "region": "DE-NW", "language": "de", "jurisdiction": "gdpr",
            "supervisory_authority": {"name": "LDI NRW"}
        },
        "systems": [{
            "id": "shop", "name": "Shop", "role": "internal", "purposes": ["Vertrag"],
            "data_categories": ["E-Mail"], "legal_bases": ["art6-1-b"],
            "retention": {"description": "10 Jahre", "period": "P10Y"}, "recipients": [], "transfers": [],
            "source": "data-subject", "automated_decision_making": false,
            "connector": {"kind": "postgres", "url": url, "password": "{secret:bench_pg}", "queries": queries}
        }]
    })
}

/// Creates the tables once (about 10 s with the test server's settings); a finished set is marked by
/// `bench.ready` so later runs start at once.
fn seed(url: &str, password: &str) {
    let mut config: postgres::Config = url.parse().unwrap_or_else(|e| panic!("{e}"));
    config.password(password);
    let mut client = config
        .connect(postgres::NoTls)
        .unwrap_or_else(|e| panic!("{e}"));
    let ready = client
        .query_one("SELECT to_regclass('bench.ready') IS NOT NULL", &[])
        .map(|r| r.get::<_, bool>(0))
        .unwrap_or(false);
    if ready {
        return;
    }
    eprintln!("generating 1M customers, 3M orders, 5M login events (once)…");
    let t = Instant::now();
    client
        .batch_execute(&format!(
            r#"
DROP SCHEMA IF EXISTS bench CASCADE;
CREATE SCHEMA bench;
CREATE UNLOGGED TABLE bench.customers (id bigint PRIMARY KEY, email text NOT NULL, name text, phone text, created_at timestamptz);
INSERT INTO bench.customers
    SELECT i, 'customer' || i || '@example.com', 'Kunde ' || i, '+49151' || lpad(i::text, 8, '0'),
           timestamptz '2020-01-01 00:00:00+00' + i * interval '1 minute'
    FROM generate_series(1, 1000000) i;
UPDATE bench.customers SET email = '{SUBJECT}', name = 'Bench Subject' WHERE id = 500000;
CREATE INDEX ON bench.customers (email);
CREATE UNLOGGED TABLE bench.orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL, total numeric(10,2), placed date);
INSERT INTO bench.orders
    SELECT i, CASE WHEN i <= 3 THEN 500000 ELSE 1 + (i % 999999) + (CASE WHEN i % 999999 >= 499999 THEN 1 ELSE 0 END) END,
           (i % 10000) / 100.0, date '2020-01-01' + (i % 2000)
    FROM generate_series(1, 3000000) i;
CREATE INDEX ON bench.orders (customer_id);
CREATE UNLOGGED TABLE bench.login_events (id bigint PRIMARY KEY, customer_id bigint NOT NULL, ip inet, at timestamptz);
INSERT INTO bench.login_events
    SELECT i, CASE WHEN i <= 10 THEN 500000 ELSE 1 + (i % 999999) + (CASE WHEN i % 999999 >= 499999 THEN 1 ELSE 0 END) END,
           ('10.' || (i % 250) || '.' || (i % 249) || '.' || (i % 247 + 1))::inet,
           timestamptz '2024-01-01 00:00:00+00' + i * interval '1 second'
    FROM generate_series(1, 5000000) i;
CREATE INDEX ON bench.login_events (customer_id);
ANALYZE bench.customers, bench.orders, bench.login_events;
CREATE TABLE bench.ready ();
"#
        ))
        .unwrap_or_else(|e| panic!("{e}"));
    eprintln!("generated in {:.0} s", t.elapsed().as_secs_f64());
}
