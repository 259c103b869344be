//! Jaimo's CleverReach account as its register calls it: a real HTTP server (tiny_http) on
//! 127.0.0.1:18080, the address in `tests/data/registers/jaimo.json`, serving
//! `GET /v3/receivers?email=…` with `Authorization: Bearer <TOKEN>` → `{"data": [...]}`
//! (the receivers whose address equals the decoded `email` exactly, `[]` for none), 401
//! without the right token, 404 for other paths, and 200 to `HEAD /` (what `register test`
//! sends).
//!
//! One server per test binary, started on first use. Every test whose pull may call it
//! holds a [`Lease`] for its duration: [`shared`] for the normal service (any number at
//! once), [`failing`] to make the API answer an error status, which waits for the shared
//! ones to finish and keeps them out until the lease is dropped. If the port is taken the
//! test fails with a message naming it; it never skips.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use serde_json::{json, Value};

/// Where the jaimo register's `cleverreach` system sends its requests.
pub const ADDR: &str = "127.0.0.1:18080";
/// The API token the server accepts; the tests store it as the secret `cleverreach_token`.
pub const TOKEN: &str = "cr-7Hq2xL9-pAt0k3n";

struct Service {
    /// Receivers by e-mail address, as stored at CleverReach.
    receivers: BTreeMap<String, Vec<Value>>,
    /// 0 = serve normally; otherwise the status every `/v3/receivers` request gets.
    failing: AtomicU16,
    /// The decoded `email` of every receivers request, in arrival order.
    asked: Mutex<Vec<String>>,
}

static SERVICE: OnceLock<Arc<Service>> = OnceLock::new();
static GATE: RwLock<()> = RwLock::new(());

fn service() -> &'static Arc<Service> {
    SERVICE.get_or_init(|| {
        let server = tiny_http::Server::http(ADDR).unwrap_or_else(|e| {
            panic!(
                "cannot listen on {ADDR}: {e}. The jaimo register's `cleverreach` system calls \
                 http://{ADDR}/v3/receivers, so these tests need that port: find what holds it \
                 (`ss -ltnp 'sport = :18080'`, e.g. another run of `cargo test --test pull`) and stop it"
            )
        });
        let mut receivers: BTreeMap<String, Vec<Value>> = BTreeMap::new();
        for r in super::cleverreach_receivers() {
            receivers.entry(r["email"].as_str().unwrap().to_string()).or_default().push(r);
        }
        let service = Arc::new(Service { receivers, failing: AtomicU16::new(0), asked: Mutex::new(Vec::new()) });
        let server = Arc::new(server);
        for _ in 0..2 {
            let (server, service) = (Arc::clone(&server), Arc::clone(&service));
            std::thread::spawn(move || {
                while let Ok(request) = server.recv() {
                    answer(&service, request);
                }
            });
        }
        service
    })
}

fn answer(service: &Service, request: tiny_http::Request) {
    let url = request.url().to_string();
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    let authorized = request
        .headers()
        .iter()
        .any(|h| h.field.equiv("Authorization") && h.value.as_str() == format!("Bearer {TOKEN}"));
    let (status, body) = match (request.method(), path) {
        (tiny_http::Method::Head | tiny_http::Method::Get, "/") => (200, String::new()),
        (tiny_http::Method::Get, "/v3/receivers") => {
            let email = query.split('&').find_map(|p| p.strip_prefix("email=")).map(form_decode);
            service.asked.lock().unwrap_or_else(PoisonError::into_inner).push(email.clone().unwrap_or_default());
            match service.failing.load(Ordering::SeqCst) {
                0 if !authorized => (401, json!({"error": {"code": 401, "message": "Unauthorized: invalid token"}}).to_string()),
                0 => {
                    let data = email.and_then(|e| service.receivers.get(&e).cloned()).unwrap_or_default();
                    (200, json!({"data": data, "meta": {"total": data.len()}}).to_string())
                }
                status => (status, "<html><body><h1>Internal Server Error</h1></body></html>".to_string()),
            }
        }
        _ => (404, json!({"error": {"code": 404, "message": "Not Found"}}).to_string()),
    };
    let response = tiny_http::Response::from_string(body)
        .with_status_code(status)
        .with_header(tiny_http::Header::from_bytes("Content-Type", "application/json").unwrap());
    let _ = request.respond(response);
}

/// A query value as a server decodes it: `+` is a space, then percent escapes. So an
/// address sent with a raw `+` would not be found: the connector must send `%2B`.
fn form_decode(v: &str) -> String {
    percent_encoding::percent_decode_str(&v.replace('+', " ")).decode_utf8_lossy().into_owned()
}

enum Guard {
    Shared(RwLockReadGuard<'static, ()>),
    Exclusive(RwLockWriteGuard<'static, ()>),
}

/// The right to use the server as it is for as long as this lives. Hold at most one per test.
pub struct Lease(Guard);

impl fmt::Debug for Lease {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Guard::Shared(_) => f.write_str("Lease(shared)"),
            Guard::Exclusive(_) => f.write_str("Lease(failing)"),
        }
    }
}

impl Drop for Lease {
    // Runs before the guard is released: the next lease holder sees a working server.
    fn drop(&mut self) {
        if let Guard::Exclusive(_) = self.0 {
            service().failing.store(0, Ordering::SeqCst);
        }
    }
}

/// The server running normally (started if needed), for as long as the lease lives.
pub fn shared() -> Lease {
    service();
    Lease(Guard::Shared(GATE.read().unwrap_or_else(PoisonError::into_inner)))
}

/// The server answering `status` to every receivers request while the lease lives; no
/// other test uses it meanwhile.
pub fn failing(status: u16) -> Lease {
    let service = service();
    let guard = GATE.write().unwrap_or_else(PoisonError::into_inner);
    service.failing.store(status, Ordering::SeqCst);
    Lease(Guard::Exclusive(guard))
}

/// The decoded `email` of every receivers request so far (all tests of this binary).
pub fn asked() -> Vec<String> {
    service().asked.lock().unwrap_or_else(PoisonError::into_inner).clone()
}
