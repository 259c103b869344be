//! The `http` connector's handling of answers. Its fetch and records extraction are
//! crate-private, so they are reached through the public `HttpSource` against a real
//! socket: a tiny responder on 127.0.0.1 (one per process, on an ephemeral port, reused by
//! every iteration) answers each request with bytes from the input — either a whole raw
//! HTTP response (status line, headers, chunking, all hostile) or a JSON body behind a
//! chosen status — and `search` must return records or a `ConnectorError`. The records
//! pointer is chosen by the input too (it comes from the register).
#![no_main]

use std::time::Duration;

use dsar::connectors::http::{HttpSource, HttpTimeouts};
use dsar::connectors::{Cancel, SearchKeys, Source};
use dsar::register::HttpSettings;
use dsar_fuzz::Responder;
use libfuzzer_sys::fuzz_target;

/// Input: `flags status pointer` (three bytes; flags bit 0: the rest is a raw response,
/// bit 1: also call `test`, bit 2: the subject has two e-mail addresses), then — when the
/// pointer byte picks "own" — the records pointer up to the first newline, then the body.
struct Input<'a> {
    raw: bool,
    call_test: bool,
    two_emails: bool,
    status: u8,
    pointer: u8,
    own_pointer: &'a str,
    body: &'a [u8],
}

impl<'a> Input<'a> {
    fn read(data: &'a [u8]) -> Option<Input<'a>> {
        let (head, mut body) = data.split_at_checked(3)?;
        let mut own_pointer = "";
        if POINTERS[usize::from(head[2]) % POINTERS.len()] == Some("data") {
            let nl = body.iter().position(|&b| b == b'\n').unwrap_or(body.len());
            own_pointer = std::str::from_utf8(&body[..nl]).ok()?;
            body = body.get(nl + 1..).unwrap_or(&[]);
        }
        Some(Input {
            raw: head[0] & 1 != 0,
            call_test: head[0] & 2 != 0,
            two_emails: head[0] & 4 != 0,
            status: head[1],
            pointer: head[2],
            own_pointer,
            body,
        })
    }
}

const STATUSES: &[u16] = &[200, 200, 200, 201, 204, 206, 301, 401, 403, 404, 500, 999];
const POINTERS: &[Option<&str>] = &[None, Some(""), Some("/data"), Some("/data/items"), Some("/0"), Some("/a~1b"), Some("data")];

fuzz_target!(|data: &[u8]| {
    let Some(input) = Input::read(data) else { return };
    let responder = Responder::get();
    let answer = if input.raw {
        input.body.to_vec()
    } else {
        let status = STATUSES[usize::from(input.status) % STATUSES.len()];
        let mut a = format!(
            "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            input.body.len()
        )
        .into_bytes();
        a.extend_from_slice(input.body);
        a
    };
    responder.set(answer);
    let records = match POINTERS[usize::from(input.pointer) % POINTERS.len()] {
        Some("data") => Some(input.own_pointer.to_string()),
        other => other.map(str::to_string),
    };
    let settings: HttpSettings = serde_json::from_value(serde_json::json!({
        "url": format!("{}/v3/receivers?email={{email}}&page=1", responder.base_url()),
        "headers": {"Accept": "application/json"},
        "records": records,
    }))
    .expect("the fuzz target's http settings are valid");
    let none = |_: &str| None;
    let source = match HttpSource::new(&settings, &none) {
        Ok(s) => s.with_timeouts(HttpTimeouts { connect: Duration::from_secs(2), total: Duration::from_secs(5) }),
        Err(e) => panic!("opening the fixed http source failed: {e}"),
    };
    let mut keys = SearchKeys::new();
    keys.add("email", "jana.beispiel@example.org");
    if input.two_emails {
        keys.add("email", "j+b@example.org");
    }
    match source.search(&keys, &Cancel::new()) {
        Ok(found) => {
            for f in &found {
                assert!(f.locator.contains("***"), "a locator shows the query value: {}", f.locator);
            }
        }
        Err(e) => {
            // Errors name the register's endpoint and pointer, never the subject's value
            // (unless the register's own pointer spells it, as a fuzzed one may).
            let msg = e.to_string();
            if !input.own_pointer.contains("jana.beispiel") {
                assert!(!msg.contains("jana.beispiel"), "an error repeats the identifier: {msg}");
            }
        }
    }
    if input.call_test {
        let _ = source.test();
    }
});
