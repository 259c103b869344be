//! The `logs` and `http` connectors against real files and a real HTTP server on 127.0.0.1:
//! rotated and gzipped logs with planted lines and near-misses, URL encoding of injection
//! probes as the server receives them, secrets, and every error a system can report.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use dsar::connectors::http::{HttpSource, HttpTimeouts};
use dsar::connectors::logs::{LogsSource, ScanOptions};
use dsar::connectors::{Cancel, ConnectorError, SearchKeys, Source};
use dsar::register::{HttpSettings, LogsSettings, OrderedMap};

// ---------------------------------------------------------------------------------------
// logs

const IP: &str = "198.51.100.23";
const IP6: &str = "2001:db8::1";
const EMAIL: &str = "max@example.org";
const PHONE: &str = "+491711234567";

fn subject() -> SearchKeys {
    let mut k = SearchKeys::new();
    k.add("ip", IP);
    k.add("ip", IP6);
    k.add("email", EMAIL);
    k.add("phone", PHONE);
    k
}

/// A small deterministic generator, so a failure can be reproduced.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn other_line(rng: &mut Rng) -> String {
    let ip = loop {
        let ip = format!("{}.{}.{}.{}", 1 + rng.below(223), rng.below(256), rng.below(256), 1 + rng.below(254));
        if ip != IP {
            break ip;
        }
    };
    let path = match rng.below(4) {
        0 => format!("/products/{}", rng.below(100_000)),
        1 => format!("/newsletter?email=user{}%40example.com", rng.below(10_000)),
        2 => format!("/search?q=term{}&tel=%2B4930{}", rng.below(1000), 1_000_000 + rng.below(8_000_000)),
        _ => "/index.html".to_string(),
    };
    format!(
        "{ip} - - [21/Nov/2026:10:{:02}:{:02} +0100] \"GET {path} HTTP/1.1\" 200 {} \"-\" \"Mozilla/5.0 (X11; Linux x86_64) Firefox/{}.0\"",
        rng.below(60),
        rng.below(60),
        rng.below(90_000),
        100 + rng.below(40)
    )
}

/// Lines that hold the subject's identifiers as whole tokens.
const HITS: &[&str] = &[
    "198.51.100.23 - - [21/Nov/2026:10:00:01 +0100] \"GET /index.html HTTP/1.1\" 200 512 \"-\" \"curl/8.0\"",
    "10.0.0.7 - - [21/Nov/2026:10:00:02 +0100] \"GET /lookup/198.51.100.23/details HTTP/1.1\" 200 90 \"-\" \"curl/8.0\"",
    "10.0.0.8 - - [21/Nov/2026:10:00:03 +0100] \"GET /newsletter?email=max%40example.org HTTP/1.1\" 302 0 \"-\" \"Mozilla/5.0\"",
    "10.0.0.9 - - [21/Nov/2026:10:00:04 +0100] \"POST /account?mail=Max@Example.org HTTP/1.1\" 200 10 \"-\" \"Mozilla/5.0\"",
    "10.0.0.10 - - [21/Nov/2026:10:00:05 +0100] \"GET /callback?tel=%2B491711234567 HTTP/1.1\" 200 10 \"-\" \"Mozilla/5.0\"",
    "2001:0db8:0000:0000:0000:0000:0000:0001 - - [21/Nov/2026:10:00:06 +0100] \"GET / HTTP/1.1\" 200 1 \"-\" \"curl/8.0\"",
    "[2001:db8::1]:51234 upstream timeout tel=01711234567",
];

/// Lines that only look like the subject's.
const NEAR_MISSES: &[&str] = &[
    "198.51.100.230 - - [21/Nov/2026:10:00:07 +0100] \"GET / HTTP/1.1\" 200 1 \"-\" \"curl/8.0\"",
    "198.51.100.2 - - [21/Nov/2026:10:00:08 +0100] \"GET / HTTP/1.1\" 200 1 \"-\" \"curl/8.0\"",
    "10.0.0.11 - - [21/Nov/2026:10:00:09 +0100] \"GET /x/1198.51.100.23 HTTP/1.1\" 404 1 \"-\" \"curl/8.0\"",
    "10.0.0.12 - - [21/Nov/2026:10:00:10 +0100] \"GET /newsletter?email=xmax%40example.org HTTP/1.1\" 302 0 \"-\" \"-\"",
    "10.0.0.13 - - [21/Nov/2026:10:00:11 +0100] \"GET /newsletter?email=max@example.org.uk HTTP/1.1\" 302 0 \"-\" \"-\"",
    "10.0.0.14 - - [21/Nov/2026:10:00:12 +0100] \"GET /cb?tel=%2B4917112345670 HTTP/1.1\" 200 1 \"-\" \"-\"",
    "2001:db8::10 - - [21/Nov/2026:10:00:13 +0100] \"GET / HTTP/1.1\" 200 1 \"-\" \"curl/8.0\"",
];

/// One generated log file: its lines, and which of them (1-based) must be found.
struct Planned {
    name: &'static str,
    lines: Vec<String>,
    hits: Vec<usize>,
}

fn plan(name: &'static str, seed: u64, count: usize, planted_every: usize) -> Planned {
    let mut rng = Rng(seed);
    let mut lines = Vec::new();
    let mut hits = Vec::new();
    for n in 1..=count {
        if n == 1 || n % planted_every == 0 || n == count {
            lines.push(HITS[(n / planted_every) % HITS.len()].to_string());
            hits.push(n);
        } else if n % 37 == 0 {
            lines.push(NEAR_MISSES[(n / 37) % NEAR_MISSES.len()].to_string());
        } else {
            lines.push(other_line(&mut rng));
        }
    }
    Planned { name, lines, hits }
}

/// Writes `access.log` (last line without newline, just written: read with `read`),
/// `access.log.1` (CRLF, two days old: memory-mapped) and `access.log.2.gz` (two gzip
/// members) and returns what each must yield.
fn rotated_logs(dir: &Path) -> Vec<Planned> {
    let current = plan("access.log", 1, 5000, 211);
    let first = plan("access.log.1", 2, 4000, 173);
    let second = plan("access.log.2.gz", 3, 6000, 149);
    fs::write(dir.join(current.name), current.lines.join("\n")).unwrap();
    fs::write(dir.join(first.name), first.lines.join("\r\n") + "\r\n").unwrap();
    let two_days_ago = std::time::SystemTime::now() - Duration::from_secs(2 * 86_400);
    fs::File::options()
        .write(true)
        .open(dir.join(first.name))
        .unwrap()
        .set_modified(two_days_ago)
        .unwrap();
    let mut gz = Vec::new();
    for half in second.lines.chunks(2500) {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        for line in half {
            enc.write_all(line.as_bytes()).unwrap();
            enc.write_all(b"\n").unwrap();
        }
        gz.extend(enc.finish().unwrap());
    }
    fs::write(dir.join(second.name), gz).unwrap();
    vec![current, first, second]
}

fn logs(patterns: &[PathBuf], kinds: &[&str]) -> LogsSource {
    let settings = LogsSettings {
        paths: patterns.to_vec(),
        match_on: kinds.iter().map(|k| k.to_string()).collect(),
    };
    LogsSource::new(&settings, "DE")
}

/// (locator, text) of every record expected, in file order (glob order: access.log,
/// access.log.1, access.log.2.gz).
fn expected(dir: &Path, planned: &[Planned]) -> Vec<(String, String)> {
    planned
        .iter()
        .flat_map(|p| {
            p.hits.iter().map(move |&n| {
                let locator = format!("{}:{n}", dir.join(p.name).display());
                (locator, p.lines[n - 1].clone())
            })
        })
        .collect()
}

fn got(source: &LogsSource) -> Vec<(String, String)> {
    let found = source.search(&subject(), &Cancel::new()).unwrap();
    for f in &found {
        assert_eq!(f.dataset, "access.log");
        let (file, line) = f.locator.rsplit_once(':').unwrap();
        assert_eq!(f.record["file"], file);
        assert_eq!(f.record["line"].as_u64().unwrap().to_string(), line);
    }
    found
        .into_iter()
        .map(|f| (f.locator, f.record["text"].as_str().unwrap().to_string()))
        .collect()
}

#[test]
fn logs_find_exactly_the_planted_lines_in_rotated_and_gzipped_files() {
    let dir = tempfile::tempdir().unwrap();
    let planned = rotated_logs(dir.path());
    let want = expected(dir.path(), &planned);
    assert_eq!(want.len(), 25 + 25 + 42, "the fixture plants what it says");
    let source = logs(&[dir.path().join("access.log*")], &["ip", "email", "phone"]);
    assert_eq!(got(&source), want);
}

#[test]
fn logs_give_the_same_lines_whatever_the_block_segment_and_thread_sizes() {
    let dir = tempfile::tempdir().unwrap();
    let planned = rotated_logs(dir.path());
    let want = expected(dir.path(), &planned);
    let base = logs(&[dir.path().join("access.log*")], &["ip", "email", "phone"]);
    // Many block sizes near the line length put read boundaries inside planted lines,
    // in plain and decompressed streams alike; small segments split the plain files.
    for (i, block) in (4096..4096 + 40 * 97).step_by(97).enumerate() {
        let options = ScanOptions {
            block_bytes: block,
            segment_bytes: 20_000 + 3_331 * i as u64,
            threads: 1 + i % 3,
        };
        assert_eq!(got(&base.clone().with_options(options)), want, "block {block}");
    }
}

#[test]
fn logs_search_only_the_kinds_the_register_lists() {
    let dir = tempfile::tempdir().unwrap();
    let planned = rotated_logs(dir.path());
    let source = logs(&[dir.path().join("access.log")], &["email"]);
    let found = got(&source);
    let want: Vec<_> = expected(dir.path(), &planned[..1])
        .into_iter()
        .filter(|(_, text)| text.to_ascii_lowercase().contains("max"))
        .collect();
    assert!(!want.is_empty());
    assert_eq!(found, want);
    // No value for the listed kinds: nothing to find, nothing read.
    let mut only_name = SearchKeys::new();
    only_name.add("name", "Max Muster");
    assert!(source.search(&only_name, &Cancel::new()).unwrap().is_empty());
}

#[test]
fn logs_report_missing_files_and_test_counts_what_is_there() {
    let dir = tempfile::tempdir().unwrap();
    rotated_logs(dir.path());
    let source = logs(&[dir.path().join("access.log*")], &["ip"]);
    let report = source.test().unwrap();
    assert!(report.starts_with("3 log files readable (1 gzip)"), "{report}");

    let missing = dir.path().join("nothing-*.log");
    let source = logs(&[dir.path().join("access.log*"), missing.clone()], &["ip"]);
    let want = ConnectorError::FileMissing {
        path: missing.display().to_string(),
    };
    assert_eq!(source.test().unwrap_err(), want);
    assert_eq!(source.search(&subject(), &Cancel::new()).unwrap_err(), want);
}

#[test]
fn logs_do_not_follow_a_symlink_out_of_the_named_folder() {
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("secret.log"), format!("{IP} outside\n")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("app.log"), format!("x\n{IP} inside\n")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.log"), dir.path().join("z.log")).unwrap();
    let source = logs(&[dir.path().join("*.log")], &["ip"]);
    let found = source.search(&subject(), &Cancel::new()).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].locator, format!("{}:2", dir.path().join("app.log").display()));
    let report = source.test().unwrap();
    assert!(report.contains("1 match skipped"), "{report}");
}

#[test]
fn logs_handle_empty_tiny_and_settled_files_alike() {
    let dir = tempfile::tempdir().unwrap();
    let old = std::time::SystemTime::now() - Duration::from_secs(86_400);
    let files: [(&str, &[u8], bool); 6] = [
        ("a-empty.log", b"", false),
        ("b-empty.log", b"", true),
        ("c-newline.log", b"\n", true),
        ("d-only.log", b"198.51.100.23", true),
        ("e-only.log", b"198.51.100.23", false),
        ("f-crlf.log", b"\r\n198.51.100.23\r\n\r\n", true),
    ];
    for (name, content, settled) in files {
        fs::write(dir.path().join(name), content).unwrap();
        if settled {
            fs::File::options().write(true).open(dir.path().join(name)).unwrap().set_modified(old).unwrap();
        }
    }
    let found = logs(&[dir.path().join("*.log")], &["ip"]).search(&subject(), &Cancel::new()).unwrap();
    let got: Vec<_> = found.iter().map(|f| (f.locator.clone(), f.record["text"].clone())).collect();
    let at = |name: &str, line: u32| format!("{}:{line}", dir.path().join(name).display());
    assert_eq!(
        got,
        [
            (at("d-only.log", 1), serde_json::json!(IP)),
            (at("e-only.log", 1), serde_json::json!(IP)),
            (at("f-crlf.log", 2), serde_json::json!(IP)),
        ]
    );
    assert_eq!(found[0].dataset, "d-only.log");
}

#[test]
fn logs_stop_when_cancelled_and_refuse_a_broken_gzip() {
    let dir = tempfile::tempdir().unwrap();
    rotated_logs(dir.path());
    let source = logs(&[dir.path().join("access.log*")], &["ip"]);
    let cancel = Cancel::new();
    cancel.cancel();
    assert_eq!(source.search(&subject(), &cancel).unwrap_err(), ConnectorError::Cancelled);

    let gz = fs::read(dir.path().join("access.log.2.gz")).unwrap();
    fs::write(dir.path().join("cut.log.gz"), &gz[..gz.len() / 2]).unwrap();
    let source = logs(&[dir.path().join("cut.log.gz")], &["ip"]);
    let err = source.search(&subject(), &Cancel::new()).unwrap_err();
    assert!(matches!(err, ConnectorError::BadData { .. }), "{err:?}");
    assert!(!err.to_string().contains(IP));
}

// ---------------------------------------------------------------------------------------
// http

/// What the test server saw of one request.
#[derive(Debug, Clone)]
struct Seen {
    url: String,
    authorization: Option<String>,
}

/// A real HTTP server on 127.0.0.1 that answers by path and records every request.
struct Server {
    port: u16,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    fn start() -> Server {
        let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
        let port = server.server_addr().to_ip().unwrap().port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&seen);
        std::thread::spawn(move || {
            for request in server.incoming_requests() {
                let authorization = request
                    .headers()
                    .iter()
                    .find(|h| h.field.equiv("Authorization"))
                    .map(|h| h.value.to_string());
                let url = request.url().to_string();
                log.lock().unwrap().push(Seen { url: url.clone(), authorization });
                std::thread::spawn(move || answer(request, &url));
            }
        });
        Server { port, seen }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

fn answer(request: tiny_http::Request, url: &str) {
    let path = url.split('?').next().unwrap_or("");
    let query = url.split_once('?').map_or("", |(_, q)| q);
    let email = query
        .split('&')
        .find_map(|p| p.strip_prefix("email="))
        .map(|v| percent_encoding::percent_decode_str(v).decode_utf8_lossy().to_lowercase());
    let (status, body) = match path {
        "/v3/receivers" if email.as_deref() == Some(EMAIL) => (
            200,
            r#"{"data": [{"id": 17, "email": "max@example.org", "list": "news"}, {"id": 18, "email": "max@example.org", "list": "offers"}], "total": 2}"#.to_string(),
        ),
        "/v3/receivers" => (200, r#"{"data": [], "total": 0}"#.to_string()),
        "/status/500" => (500, "oops".to_string()),
        "/status/401" => (401, r#"{"error": "token"}"#.to_string()),
        "/status/403" => (403, "{}".to_string()),
        "/status/404" => (404, "{}".to_string()),
        "/bad-json" => (200, "<html>not json</html>".to_string()),
        // Two million empty objects: 6 MB on the wire, gigabytes as a parsed tree.
        "/tiny-objects" => (200, format!("{{\"data\": [{}{{}}]}}", "{},".repeat(2_000_000))),
        "/moved" => (302, "{}".to_string()),
        "/slow" => {
            std::thread::sleep(Duration::from_secs(3));
            (200, "{\"data\": []}".to_string())
        }
        _ => (404, "{}".to_string()),
    };
    let response = tiny_http::Response::from_string(body)
        .with_status_code(status)
        .with_header(tiny_http::Header::from_bytes("Content-Type", "application/json").unwrap());
    let _ = request.respond(response);
}

const TOKEN: &str = "tok-9f8e7d-SECRET";

fn http(url: &str, records: Option<&str>) -> HttpSource {
    let settings = HttpSettings {
        url: url.to_string(),
        headers: OrderedMap(vec![("Authorization".into(), "Bearer {secret:cr_token}".into())]),
        records: records.map(str::to_string),
        erase: None,
    };
    HttpSource::new(&settings, &|name| (name == "cr_token").then(|| TOKEN.to_string())).unwrap()
}

fn emails(values: &[&str]) -> SearchKeys {
    let mut k = SearchKeys::new();
    for v in values {
        k.add("email", *v);
    }
    k
}

/// No error may repeat a secret or an identifier, raw or encoded.
fn assert_clean(e: &ConnectorError, values: &[&str]) {
    let text = e.to_string();
    assert!(!text.contains(TOKEN), "{text}");
    for v in values {
        let encoded = percent_encoding::utf8_percent_encode(v, percent_encoding::NON_ALPHANUMERIC).to_string();
        assert!(!text.contains(v) && !text.contains(&encoded), "{text}");
    }
}

#[test]
fn http_finds_the_records_at_the_pointer_with_the_stored_token() {
    let server = Server::start();
    let source = http(&server.url("/v3/receivers?email={email}&limit=50"), Some("/data"));
    let found = source.search(&emails(&[EMAIL]), &Cancel::new()).unwrap();
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].record["list"], "news");
    assert_eq!(found[1].record["id"], 18);
    assert_eq!(found[0].dataset, "receivers");
    assert_eq!(found[1].locator, server.url("/v3/receivers?email=***&limit=***#/data/1"));
    for f in &found {
        assert!(!f.locator.contains("max") && !f.locator.contains(TOKEN), "{}", f.locator);
    }
    let seen = server.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].url, "/v3/receivers?email=max%40example.org&limit=50");
    assert_eq!(seen[0].authorization.as_deref(), Some("Bearer tok-9f8e7d-SECRET"));
}

#[test]
fn http_sends_one_request_per_value_and_none_without_one() {
    let server = Server::start();
    let source = http(&server.url("/v3/receivers?email={email}"), Some("/data"));
    assert!(source.search(&SearchKeys::new(), &Cancel::new()).unwrap().is_empty());
    assert!(server.seen().is_empty(), "no e-mail: no request");
    let found = source.search(&emails(&["other@example.org", EMAIL]), &Cancel::new()).unwrap();
    assert_eq!(found.len(), 2);
    assert_eq!(server.seen().len(), 2);
    // Two spellings that the server resolves to the same records: each record once.
    let found = source.search(&emails(&[EMAIL, "MAX@example.org"]), &Cancel::new()).unwrap();
    assert_eq!(found.len(), 2);
    assert_eq!(server.seen().len(), 4);
}

#[test]
fn http_injection_probes_arrive_as_single_literal_values() {
    let server = Server::start();
    let source = http(&server.url("/v3/receivers?email={email}"), Some("/data"));
    let probes = ["a+b&c=d@example.org", "' OR 1=1 --", "{secret:cr_token}", "../../etc/passwd#x", "%00?"];
    let found = source.search(&emails(&probes), &Cancel::new()).unwrap();
    assert!(found.is_empty());
    let seen = server.seen();
    assert_eq!(seen.len(), probes.len());
    for (probe, request) in probes.iter().zip(&seen) {
        let (path, query) = request.url.split_once('?').unwrap();
        assert_eq!(path, "/v3/receivers", "the value cannot change the path");
        assert_eq!(query.split('&').count(), 1, "the value cannot add a parameter: {query}");
        let value = query.strip_prefix("email=").unwrap();
        let decoded = percent_encoding::percent_decode_str(value).decode_utf8().unwrap();
        assert_eq!(decoded, *probe);
        assert!(!request.url.contains(TOKEN), "a subject value is never expanded as a secret");
    }
    assert_eq!(seen[0].url, "/v3/receivers?email=a%2Bb%26c%3Dd%40example.org");
    assert_eq!(seen[1].url, "/v3/receivers?email=%27%20OR%201%3D1%20--");
    assert_eq!(seen[2].url, "/v3/receivers?email=%7Bsecret%3Acr_token%7D");
}

#[test]
fn http_maps_each_failure_to_its_own_error_without_secrets_or_identifiers() {
    let server = Server::start();
    let keys = emails(&[EMAIL]);
    type Expect = fn(&ConnectorError) -> bool;
    let cases: Vec<(&str, Option<&str>, Expect)> = vec![
        ("/status/500?email={email}", None, |e| matches!(e, ConnectorError::HttpStatus { status: 500, .. })),
        ("/status/404?email={email}", None, |e| matches!(e, ConnectorError::HttpStatus { status: 404, .. })),
        ("/status/401?email={email}", None, |e| matches!(e, ConnectorError::AuthRefused { .. })),
        ("/status/403?email={email}", None, |e| matches!(e, ConnectorError::AuthRefused { .. })),
        ("/bad-json?email={email}", None, |e| matches!(e, ConnectorError::BadData { .. })),
        ("/moved?email={email}", None, |e| matches!(e, ConnectorError::HttpStatus { status: 302, .. })),
        ("/v3/receivers?email={email}", Some("/items"), |e| matches!(e, ConnectorError::BadData { .. })),
        ("/v3/receivers?email={email}", Some("/total"), |e| matches!(e, ConnectorError::BadData { .. })),
    ];
    for (path, records, expected) in cases {
        let err = http(&server.url(path), records).search(&keys, &Cancel::new()).unwrap_err();
        assert!(expected(&err), "{path}: {err:?}");
        assert_clean(&err, &[EMAIL]);
        let endpoint = server.url(path.split('?').next().unwrap());
        assert!(err.to_string().contains(&endpoint), "{err}");
    }
}

#[test]
fn http_reports_a_closed_port_as_unreachable_and_a_slow_server_as_timeout() {
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let source = http(&format!("http://127.0.0.1:{closed}/v3/receivers?email={{email}}"), None);
    let err = source.search(&emails(&[EMAIL]), &Cancel::new()).unwrap_err();
    assert!(matches!(err, ConnectorError::Unreachable { .. }), "{err:?}");
    assert_clean(&err, &[EMAIL]);
    assert!(matches!(source.test().unwrap_err(), ConnectorError::Unreachable { .. }));

    let server = Server::start();
    let source = http(&server.url("/slow?email={email}"), Some("/data")).with_timeouts(HttpTimeouts {
        connect: Duration::from_secs(2),
        total: Duration::from_millis(400),
    });
    // The server answers after 3 s: only the 400 ms total timeout can produce this error.
    let err = source.search(&emails(&[EMAIL]), &Cancel::new()).unwrap_err();
    assert!(matches!(err, ConnectorError::Timeout { seconds: 1, .. }), "{err:?}");
    assert_clean(&err, &[EMAIL]);
}

#[test]
fn http_test_reaches_the_server_without_calling_the_search_url() {
    let server = Server::start();
    let source = http(&server.url("/v3/receivers?email={email}"), Some("/data"));
    let report = source.test().unwrap();
    assert!(report.contains(&server.url("/")) && report.contains("HTTP 404"), "{report}");
    let seen = server.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].url, "/");
    assert_eq!(seen[0].authorization, None, "no credentials sent to the root");
}

#[test]
fn http_names_a_missing_secret_without_its_value() {
    let settings = HttpSettings {
        url: "http://127.0.0.1:9/v3/receivers?email={email}".into(),
        headers: OrderedMap(vec![("Authorization".into(), "Bearer {secret:cr_token}".into())]),
        records: None,
        erase: None,
    };
    let err = HttpSource::new(&settings, &|_| None).unwrap_err();
    assert_eq!(err, ConnectorError::SecretMissing { name: "cr_token".into() });
}

#[test]
fn http_refuses_an_answer_of_millions_of_tiny_objects_before_parsing_it() {
    let server = Server::start();
    let source = http(&server.url("/tiny-objects?email={email}"), Some("/data"));
    let e = source.search(&emails(&[EMAIL]), &Cancel::new()).unwrap_err();
    assert!(
        matches!(&e, ConnectorError::BadData { detail, .. } if detail.contains("more than 1000000 values")),
        "{e:?}"
    );
    assert_clean(&e, &[EMAIL]);
}

#[test]
fn http_refuses_to_send_a_secret_over_plain_http_to_another_host() {
    let settings = HttpSettings {
        url: "http://api.example.com/v3/receivers?email={email}".to_string(),
        headers: OrderedMap(vec![("Authorization".into(), "Bearer {secret:cr_token}".into())]),
        records: None,
        erase: None,
    };
    match HttpSource::new(&settings, &|_| Some(TOKEN.to_string())) {
        Err(e @ ConnectorError::Insecure { .. }) => {
            assert!(e.to_string().contains("https://"), "{e}");
            assert_clean(&e, &[]);
        }
        Err(e) => panic!("{e:?}"),
        Ok(_) => panic!("a bearer token would have gone over plain http"),
    }
    // Without a secret, or on this machine, plain http stays possible.
    let public = HttpSettings { headers: OrderedMap(vec![]), ..settings.clone() };
    assert!(HttpSource::new(&public, &|_| None).is_ok());
    let local = HttpSettings { url: "http://127.0.0.1:9/x?e={email}".into(), ..settings };
    assert!(HttpSource::new(&local, &|_| Some(TOKEN.to_string())).is_ok());
}

#[test]
fn logs_survive_a_rotated_file_truncated_during_the_search() {
    // A log unchanged for a day (once memory-mapped) is truncated mid-search, as logrotate's
    // copytruncate does: with a mapping the process died of SIGBUS; reads just end early.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("access.log.1");
    let line = b"198.51.100.99 - - [01/Nov/2026:10:00:00 +0000] \"GET /index.html HTTP/1.1\" 200 512\n";
    {
        let mut f = std::io::BufWriter::new(fs::File::create(&path).unwrap());
        std::io::Write::write_all(&mut f, b"198.51.100.23 first\n").unwrap();
        for _ in 0..(160 << 20) / line.len() {
            std::io::Write::write_all(&mut f, line).unwrap();
        }
        std::io::Write::write_all(&mut f, b"198.51.100.23 last\n").unwrap();
    }
    fs::File::options().write(true).open(&path).unwrap().set_modified(std::time::SystemTime::now() - Duration::from_secs(86_400)).unwrap();
    let source = logs(&[dir.path().join("access.log*")], &["ip"]).with_options(ScanOptions { block_bytes: 64 * 1024, segment_bytes: 16 << 20, threads: 2 });
    let truncate = {
        let path = path.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(15));
            fs::File::options().write(true).open(&path).unwrap().set_len(0).unwrap();
        })
    };
    // Any outcome but a crash is right: the first line may or may not have been read.
    let result = source.search(&subject(), &Cancel::new());
    truncate.join().unwrap();
    if let Ok(found) = result {
        assert!(found.len() <= 2, "{}", found.len());
    }
    assert_eq!(fs::metadata(&path).unwrap().len(), 0);
}

/// The child of `logs_skip_an_unreadable_folder_with_a_warning`: runs as an unprivileged user
/// (root reads every folder), searching the folder it is given.
#[test]
#[ignore = "a child process of logs_skip_an_unreadable_folder_with_a_warning"]
fn unreadable_folder_child() {
    let dir = PathBuf::from(std::env::var("DSAR_LOGS_DIR").expect("run only by logs_skip_an_unreadable_folder_with_a_warning"));
    let source = logs(&[dir.join("**/*.log")], &["ip"]);
    let report = source.search_report(&subject(), &Cancel::new()).unwrap();
    assert_eq!(report.found.len(), 1, "{report:?}");
    assert_eq!(report.skipped, 1);
    let warning = report.warning.unwrap();
    assert!(warning.contains("secret") && warning.contains("not readable"), "{warning}");
    assert!(source.test().unwrap().contains("not readable"));
    println!("child checked");
}

#[test]
fn logs_skip_an_unreadable_folder_with_a_warning() {
    use std::os::unix::fs::PermissionsExt;
    let root = tempfile::Builder::new().prefix("dsar-logs-").tempdir_in("/tmp").unwrap();
    let open_dir = root.path().join("web");
    let closed_dir = root.path().join("secret");
    fs::create_dir_all(&open_dir).unwrap();
    fs::create_dir_all(&closed_dir).unwrap();
    fs::write(open_dir.join("access.log"), "198.51.100.23 GET /\n").unwrap();
    fs::write(closed_dir.join("access.log"), "198.51.100.23 GET /admin\n").unwrap();
    for (p, mode) in [(root.path(), 0o755), (open_dir.as_path(), 0o755), (closed_dir.as_path(), 0o000)] {
        fs::set_permissions(p, fs::Permissions::from_mode(mode)).unwrap();
    }
    fs::set_permissions(open_dir.join("access.log"), fs::Permissions::from_mode(0o644)).unwrap();
    // A copy of this test binary beside the logs, where the unprivileged user can run it.
    let me = root.path().join("child-test");
    fs::copy(std::env::current_exe().unwrap(), &me).unwrap();
    fs::set_permissions(&me, fs::Permissions::from_mode(0o755)).unwrap();
    let is_root = std::process::Command::new("id").arg("-u").output().map(|o| o.stdout.starts_with(b"0\n")).unwrap_or(false);
    let mut child = if is_root {
        // As root every folder is readable: drop to nobody, as a desk user would be.
        let mut c = std::process::Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"]).arg(&me);
        c
    } else {
        std::process::Command::new(&me)
    };
    let out = child
        .args(["--exact", "unreadable_folder_child", "--ignored", "--nocapture", "--test-threads=1"])
        .env("DSAR_LOGS_DIR", root.path())
        .output()
        .unwrap();
    fs::set_permissions(&closed_dir, fs::Permissions::from_mode(0o755)).unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && text.contains("child checked"), "{text}\n{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn logs_stop_mid_scan_when_cancelled() {
    // A 192 MiB log that takes longer than the 30 ms before Cancel is pressed.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("access.log");
    let line = b"198.51.100.99 - - [01/Nov/2026:10:00:00 +0000] \"GET /index.html HTTP/1.1\" 200 512\n";
    {
        let mut f = std::io::BufWriter::new(fs::File::create(&path).unwrap());
        for _ in 0..(192 << 20) / line.len() {
            f.write_all(line).unwrap();
        }
        f.write_all(b"198.51.100.23 at the very end\n").unwrap();
    }
    let source = logs(&[path.clone()], &["ip"]).with_options(ScanOptions { block_bytes: 64 * 1024, segment_bytes: 8 << 20, threads: 1 });
    let cancel = Cancel::new();
    let pressed = cancel.clone();
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(30));
        pressed.cancel();
    });
    let started = std::time::Instant::now();
    assert_eq!(source.search(&subject(), &cancel).unwrap_err(), ConnectorError::Cancelled);
    let stopped_after = started.elapsed();
    // The whole file, uncancelled, finds the last line: the cancel really cut a running scan.
    let started = std::time::Instant::now();
    assert_eq!(source.search(&subject(), &Cancel::new()).unwrap().len(), 1);
    let whole = started.elapsed();
    assert!(stopped_after < whole, "cancel after {stopped_after:?}, whole scan {whole:?}");
}
