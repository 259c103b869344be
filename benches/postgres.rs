//! Benchmark (b) of issue 3: the `postgres` connector searching for one subject in
//! `customers` (1 000 000 rows), `orders` (3 000 000) and `login_events` (5 000 000), each
//! joined on an indexed column, against `psql` running the same three queries in one session
//! on the same machine. Both connect anew each run; the figures are medians.
//!
//! Needs the test server: `eval "$(bash scripts/sql-servers.sh start)"`, then
//! `cargo bench --bench postgres`. The tables are generated server-side once (schema `bench`)
//! and reused by later runs.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use dsar::connectors::{open_sql_server, Cancel, OpenContext, SearchKeys};
use serde_json::json;

const RUNS: usize = 21;
const SUBJECT: &str = "bench.subject@example.org";
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

fn main() {
    let url = env("DSAR_TEST_PG_URL");
    let password = env("DSAR_TEST_PG_PASSWORD");
    seed(&url, &password);

    let register = register(&url);
    let system = &register.systems[0];
    let Some(connector) = system.connector.as_ref() else {
        unreachable!("the bench register has a connector")
    };
    let lookup = |_: &str| Some(password.clone());
    let mut keys = SearchKeys::new();
    keys.add("email", SUBJECT);

    let ours = || {
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

    // One warm-up each: the server's caches and the page cache are then equal for both.
    ours();
    psql();
    let (ours_ms, psql_ms) = (median(RUNS, ours), median(RUNS, psql));
    println!("postgres search, 1 subject in 1M customers / 3M orders / 5M login events (14 records, connect included)");
    println!("  dsar postgres connector  median {ours_ms:8.2} ms  ({RUNS} runs)");
    println!("  psql, same 3 queries     median {psql_ms:8.2} ms  ({RUNS} runs)");
    println!(
        "  ratio dsar / psql        {:8.2}x  (target <= 1.0x)",
        ours_ms / psql_ms
    );
}

/// Median wall time of `runs` calls, in milliseconds (alternating calls are not needed: the
/// server's caches are warm and nothing else changes between runs).
fn median(runs: usize, f: impl Fn()) -> f64 {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2].as_secs_f64() * 1000.0
}

fn register(url: &str) -> dsar::register::Register {
    let queries: Vec<_> = QUERIES
        .iter()
        .map(|(name, sql)| json!({"name": name, "sql": sql}))
        .collect();
    let doc = json!({
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
    });
    dsar::register::parse(&doc.to_string(), std::path::Path::new("/"))
        .unwrap_or_else(|e| panic!("{e}"))
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
