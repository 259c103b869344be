//! The `http` connector: one GET per combination of the subject's values for the URL's
//! `{placeholders}`, each value percent-encoded; the records are the JSON array at the
//! register's pointer in the answer.
//!
//! Secrets (`{secret:NAME}` in the URL or headers) are expanded once when the source is
//! opened and only ever sent; errors, locators and evidence are built from the URL as the
//! register writes it, with query values redacted, so neither secrets nor identifiers leave
//! the request. Errors of the HTTP client are never shown as text (they may quote the URL).

use std::fmt;
use std::time::Duration;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde_json::Value;
use ureq::http::{HeaderName, HeaderValue};

use super::{Cancel, ConnectorError, Found, OpenContext, SearchKeys, Source};
use crate::register::{expand_secrets, is_secret_name, ExpandError, HttpSettings, Settings};

/// Everything but RFC 3986's unreserved characters is encoded, so a value can never add a
/// path segment, a query parameter or a fragment (`a+b&c=d@x.org` arrives as one value).
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// The largest answer read; a bigger one is reported instead of filling memory.
const MAX_BODY_BYTES: u64 = 64 * 1024 * 1024;
/// The most JSON values (objects, arrays and their elements) an answer may hold. Within the
/// byte cap, `[{},{},…]` is 22 million objects — gigabytes once parsed; an answer about one
/// person is thousands of values at most.
const MAX_JSON_VALUES: u64 = 1_000_000;

/// The host of an `http(s)://` URL (bracketed for IPv6), without user, port or path.
fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if let Some(end) = host_port.find(']') {
        return host_port[..=end].to_string();
    }
    host_port.split(':').next().unwrap_or("").to_string()
}

/// Counts an answer's containers and elements without parsing it: `{`, `[` and `,` outside
/// strings. Cheap enough to run before serde builds the tree it would have to refuse.
fn json_values(body: &[u8]) -> u64 {
    let (mut n, mut in_string, mut escaped) = (0u64, false, false);
    for &b in body {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
        } else {
            match b {
                b'"' => in_string = true,
                b'{' | b'[' | b',' => n += 1,
                _ => {}
            }
        }
    }
    n
}

/// Shown for every query value in locators.
const REDACTED: &str = "***";

/// How long a request may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HttpTimeouts {
    /// Until the connection (including TLS) is up.
    pub connect: Duration,
    /// For the whole request, answer body included.
    pub total: Duration,
}

impl Default for HttpTimeouts {
    fn default() -> HttpTimeouts {
        HttpTimeouts {
            connect: Duration::from_secs(10),
            total: Duration::from_secs(30),
        }
    }
}

/// One piece of the URL template.
#[derive(Clone)]
enum Piece {
    /// Written in the register; sent as is.
    Literal(String),
    /// `{kind}`: one of the subject's values, percent-encoded.
    Identifier(String),
    /// `{secret:NAME}`: the stored value, percent-encoded, resolved at open.
    Secret { name: String, encoded: String },
}

/// An `http` system, ready to send requests.
pub struct HttpSource {
    pieces: Vec<Piece>,
    /// Header names and values, secrets expanded.
    headers: Vec<(HeaderName, HeaderValue)>,
    records: Option<String>,
    /// The URL as written, without credentials, query or fragment (for errors).
    endpoint: String,
    /// The URL as written, query values redacted (for locators).
    redacted: String,
    /// `scheme://host[:port]/`, what `test` calls.
    origin: String,
    dataset: String,
    timeouts: HttpTimeouts,
    agent: ureq::Agent,
}

impl fmt::Debug for HttpSource {
    // Secrets are in `pieces` and `headers`: show only what an error may show.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpSource")
            .field("endpoint", &self.endpoint)
            .field("timeouts", &self.timeouts)
            .finish_non_exhaustive()
    }
}

/// Opens an `http` system from its register entry, resolving its secrets.
// Called by the connector dispatch in `connectors` once it is wired for every kind.
pub(crate) fn open(cx: &OpenContext<'_>) -> Result<Box<dyn Source>, ConnectorError> {
    match &cx.connector.settings {
        Settings::Http(settings) => Ok(Box::new(HttpSource::new(settings, cx.secrets)?)),
        _ => Err(ConnectorError::Unsupported {
            kind: cx.connector.kind().code().to_string(),
        }),
    }
}

impl HttpSource {
    /// A source for the register's `http` settings. Every `{secret:NAME}` in the URL and the
    /// headers is looked up now: a missing one is [`ConnectorError::SecretMissing`].
    pub fn new(settings: &HttpSettings, secrets: &dyn Fn(&str) -> Option<String>) -> Result<HttpSource, ConnectorError> {
        let url = settings.url.trim();
        let endpoint = without_query(&without_userinfo(url)).to_string();
        let bad = |detail: String| ConnectorError::BadData {
            location: endpoint.clone(),
            detail,
        };
        let lower = url.to_ascii_lowercase();
        if !(lower.starts_with("http://") || lower.starts_with("https://")) {
            return Err(bad("the URL must start with http:// or https://".into()));
        }
        // A token sent in plain text is a token given away to everyone on the path; only a
        // server on this machine may be spoken to without TLS then.
        let sends_secret = url.contains("{secret:") || settings.headers.0.iter().any(|(_, v)| v.contains("{secret:"));
        if sends_secret && lower.starts_with("http://") && !super::sql_server::is_loopback(&host_of(url)) {
            return Err(ConnectorError::Insecure {
                endpoint: endpoint.clone(),
                detail: "a {secret:…} would be sent over plain http — use the https:// address of the service".into(),
            });
        }
        let mut pieces = Vec::new();
        for piece in parse_template(url) {
            pieces.push(match piece {
                Piece::Secret { name, .. } => {
                    if !is_secret_name(&name) {
                        return Err(bad("malformed {secret:NAME} reference in the URL".into()));
                    }
                    let value = secrets(&name).ok_or(ConnectorError::SecretMissing { name: name.clone() })?;
                    Piece::Secret {
                        name,
                        encoded: utf8_percent_encode(&value, COMPONENT).to_string(),
                    }
                }
                other => other,
            });
        }
        let mut headers = Vec::new();
        for (name, value) in &settings.headers.0 {
            let expanded = expand_secrets(value, secrets).map_err(|e| match e {
                ExpandError::Missing(m) => ConnectorError::SecretMissing { name: m.0 },
                ExpandError::Malformed(_) => bad(format!("malformed {{secret:NAME}} reference in header '{name}'")),
            })?;
            let invalid = || bad(format!("header '{name}' is not a valid HTTP header (name or value)"));
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid())?;
            let mut value = HeaderValue::from_str(&expanded).map_err(|_| invalid())?;
            value.set_sensitive(true);
            headers.push((name, value));
        }
        let timeouts = HttpTimeouts::default();
        Ok(HttpSource {
            pieces,
            headers,
            records: settings.records.clone(),
            redacted: redact_query(&without_userinfo(url)),
            origin: origin_of(&endpoint),
            dataset: dataset_of(&endpoint),
            endpoint,
            timeouts,
            agent: agent(timeouts),
        })
    }

    /// The request a system erases with (`erase` in its connector), secrets resolved; the
    /// same rules as the search: encoded placeholders, no secret over plain http.
    pub fn for_erase(erase: &crate::register::HttpErase, secrets: &dyn Fn(&str) -> Option<String>) -> Result<HttpSource, ConnectorError> {
        let settings = HttpSettings { url: erase.url.clone(), headers: erase.headers.clone(), records: None, erase: None };
        HttpSource::new(&settings, secrets)
    }

    /// Sends `method` to every URL the subject's values give; the number of requests, each
    /// answered with a 2xx. The first other answer is the error (earlier requests stay sent:
    /// each is one erasure at the service, and the plan is re-run idempotently).
    pub fn send(&self, method: &str, keys: &SearchKeys, cancel: &Cancel) -> Result<u64, ConnectorError> {
        let mut sent = 0;
        for url in self.urls(keys) {
            if cancel.is_cancelled() {
                return Err(ConnectorError::Cancelled);
            }
            let mut request = ureq::http::Request::builder().method(method).uri(url.as_str());
            for (name, value) in &self.headers {
                request = request.header(name, value);
            }
            let request = request.body(()).map_err(|_| ConnectorError::BadData {
                location: self.endpoint.clone(),
                detail: "the erase request cannot be built from the register's URL and headers".into(),
            })?;
            let response = self.agent.run(request).map_err(|e| self.transport_error(e))?;
            match response.status().as_u16() {
                200..=299 => sent += 1,
                401 | 403 => return Err(ConnectorError::AuthRefused { endpoint: self.endpoint.clone() }),
                status => return Err(ConnectorError::HttpStatus { endpoint: self.endpoint.clone(), status }),
            }
        }
        Ok(sent)
    }

    /// The same source with other timeouts.
    pub fn with_timeouts(mut self, timeouts: HttpTimeouts) -> HttpSource {
        self.timeouts = timeouts;
        self.agent = agent(timeouts);
        self
    }

    /// The URLs to call: one per combination of the subject's values for the placeholders;
    /// none when the subject lacks a value for one of them.
    fn urls(&self, keys: &SearchKeys) -> Vec<String> {
        let mut urls = vec![String::new()];
        for piece in &self.pieces {
            match piece {
                Piece::Literal(s) => urls.iter_mut().for_each(|u| u.push_str(s)),
                Piece::Secret { encoded, .. } => urls.iter_mut().for_each(|u| u.push_str(encoded)),
                Piece::Identifier(kind) => {
                    let values = keys.get(kind);
                    urls = urls
                        .iter()
                        .flat_map(|u| values.iter().map(move |v| format!("{u}{}", utf8_percent_encode(v, COMPONENT))))
                        .collect();
                }
            }
        }
        urls
    }

    fn fetch(&self, url: &str) -> Result<Value, ConnectorError> {
        let mut request = self.agent.get(url);
        if !self.headers.iter().any(|(name, _)| name == ureq::http::header::ACCEPT) {
            request = request.header("Accept", "application/json");
        }
        for (name, value) in &self.headers {
            request = request.header(name, value);
        }
        let mut response = request.call().map_err(|e| self.transport_error(e))?;
        let status = response.status().as_u16();
        match status {
            401 | 403 => {
                return Err(ConnectorError::AuthRefused {
                    endpoint: self.endpoint.clone(),
                })
            }
            204 => return Ok(Value::Array(Vec::new())),
            200..=299 => {}
            _ => {
                return Err(ConnectorError::HttpStatus {
                    endpoint: self.endpoint.clone(),
                    status,
                })
            }
        }
        let body = response
            .body_mut()
            .with_config()
            .limit(MAX_BODY_BYTES)
            .read_to_vec()
            .map_err(|e| self.transport_error(e))?;
        if json_values(&body) > MAX_JSON_VALUES {
            return Err(ConnectorError::BadData {
                location: self.endpoint.clone(),
                detail: format!(
                    "the answer holds more than {MAX_JSON_VALUES} values, far more than one person's data — \
                     make the URL ask for the subject only"
                ),
            });
        }
        serde_json::from_slice(&body).map_err(|_| ConnectorError::BadData {
            location: self.endpoint.clone(),
            detail: "the answer is not valid JSON".into(),
        })
    }

    /// Maps a client error to ours by its kind only: its text may quote the URL.
    fn transport_error(&self, e: ureq::Error) -> ConnectorError {
        let unreachable = |reason: &str| ConnectorError::Unreachable {
            endpoint: self.endpoint.clone(),
            reason: reason.to_string(),
        };
        let timeout = |d: Duration| ConnectorError::Timeout {
            endpoint: self.endpoint.clone(),
            seconds: d.as_secs() + u64::from(d.subsec_nanos() > 0),
        };
        match e {
            ureq::Error::Timeout(ureq::Timeout::Connect | ureq::Timeout::Resolve) => timeout(self.timeouts.connect),
            ureq::Error::Timeout(_) => timeout(self.timeouts.total),
            ureq::Error::Io(io) => match io.kind() {
                std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => timeout(self.timeouts.total),
                std::io::ErrorKind::ConnectionRefused => unreachable("connection refused"),
                std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::ConnectionAborted => {
                    unreachable("the server closed the connection")
                }
                std::io::ErrorKind::UnexpectedEof => unreachable("the server closed the connection"),
                kind => unreachable(&kind.to_string()),
            },
            ureq::Error::HostNotFound => unreachable("host name not found"),
            ureq::Error::ConnectionFailed => unreachable("connection failed"),
            ureq::Error::Tls(_) | ureq::Error::Rustls(_) | ureq::Error::Pem(_) => {
                unreachable("TLS failed: the server's certificate is not trusted or the protocol does not match")
            }
            ureq::Error::Protocol(_) | ureq::Error::LargeResponseHeader(..) => {
                unreachable("the server's answer is not valid HTTP")
            }
            ureq::Error::BodyExceedsLimit(_) => ConnectorError::BadData {
                location: self.endpoint.clone(),
                detail: format!("the answer is larger than {} MiB", MAX_BODY_BYTES >> 20),
            },
            ureq::Error::BadUri(_) | ureq::Error::Http(_) => ConnectorError::BadData {
                location: self.endpoint.clone(),
                detail: "the URL in the register is not a valid http(s) URL".into(),
            },
            _ => unreachable("the request failed"),
        }
    }

    /// The records at the register's pointer, each with its JSON pointer in the answer.
    fn records_of(&self, answer: &Value) -> Result<Vec<(String, Value)>, ConnectorError> {
        let pointer = self.records.as_deref().unwrap_or("");
        let at = answer.pointer(pointer).ok_or_else(|| ConnectorError::BadData {
            location: self.endpoint.clone(),
            detail: format!("the answer has nothing at the records pointer '{pointer}'"),
        })?;
        let record = |v: &Value| match v {
            Value::Object(_) => v.clone(),
            other => serde_json::json!({ "value": other }),
        };
        Ok(match at {
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, v)| (format!("{pointer}/{i}"), record(v)))
                .collect(),
            Value::Object(_) => vec![(pointer.to_string(), record(at))],
            Value::Null => Vec::new(),
            _ => {
                return Err(ConnectorError::BadData {
                    location: self.endpoint.clone(),
                    detail: format!("'{pointer}' in the answer is not a list of records"),
                })
            }
        })
    }
}

impl Source for HttpSource {
    fn search(&self, keys: &SearchKeys, cancel: &Cancel) -> Result<Vec<Found>, ConnectorError> {
        let mut found: Vec<Found> = Vec::new();
        // Two of the subject's addresses may return the same record: keep it once.
        let mut seen = std::collections::HashSet::new();
        for url in self.urls(keys) {
            if cancel.is_cancelled() {
                return Err(ConnectorError::Cancelled);
            }
            let answer = self.fetch(&url)?;
            for (pointer, record) in self.records_of(&answer)? {
                if !seen.insert(record.to_string()) {
                    continue;
                }
                found.push(Found {
                    dataset: self.dataset.clone(),
                    locator: format!("{}#{pointer}", self.redacted),
                    record,
                });
            }
        }
        Ok(found)
    }

    /// Calls `HEAD` on the server's root without credentials: any HTTP answer shows that the
    /// address, the network path and TLS work. The search URL itself is not called — without
    /// a subject it would either fail or, worse, match everyone — and the secrets were
    /// already resolved when the source was opened.
    fn test(&self) -> Result<String, ConnectorError> {
        let response = self.agent.head(&self.origin).call().map_err(|e| self.transport_error(e))?;
        Ok(format!(
            "{} answered (HTTP {}); secrets resolved; the search URL needs a subject and was not called",
            self.origin,
            response.status().as_u16()
        ))
    }
}

fn agent(timeouts: HttpTimeouts) -> ureq::Agent {
    let config = ureq::Agent::config_builder()
        .timeout_connect(Some(timeouts.connect))
        .timeout_global(Some(timeouts.total))
        .http_status_as_error(false)
        // An API that redirects is misconfigured in the register; say so rather than follow.
        .max_redirects(0)
        .user_agent("dsar-desk")
        .build();
    ureq::Agent::new_with_config(config)
}

/// Splits a URL template into literal text, `{identifier}` and `{secret:NAME}` pieces.
/// Braces around anything else stay literal (the register check reports them).
fn parse_template(url: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut rest = url;
    let mut literal = String::new();
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else { break };
        let inner = &rest[open + 1..close];
        let piece = if let Some(name) = inner.strip_prefix("secret:") {
            Some(Piece::Secret {
                name: name.to_string(),
                encoded: String::new(),
            })
        } else if !inner.is_empty() && inner.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_') {
            Some(Piece::Identifier(inner.to_string()))
        } else {
            None
        };
        match piece {
            Some(p) => {
                literal.push_str(&rest[..open]);
                if !literal.is_empty() {
                    out.push(Piece::Literal(std::mem::take(&mut literal)));
                }
                out.push(p);
            }
            None => literal.push_str(&rest[..=close]),
        }
        rest = &rest[close + 1..];
    }
    literal.push_str(rest);
    if !literal.is_empty() {
        out.push(Piece::Literal(literal));
    }
    out
}

/// Removes `user:password@` from the authority.
fn without_userinfo(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}://{}", &rest[at + 1..]),
        None => url.to_string(),
    }
}

fn without_query(url: &str) -> &str {
    &url[..url.find(['?', '#']).unwrap_or(url.len())]
}

/// The URL with every query value replaced by `***`; the fragment dropped.
fn redact_query(url: &str) -> String {
    let url = &url[..url.find('#').unwrap_or(url.len())];
    let Some((base, query)) = url.split_once('?') else {
        return url.to_string();
    };
    let pairs: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((key, _)) => format!("{key}={REDACTED}"),
            None => pair.to_string(),
        })
        .collect();
    format!("{base}?{}", pairs.join("&"))
}

/// `scheme://authority/` of an endpoint.
fn origin_of(endpoint: &str) -> String {
    let Some((scheme, rest)) = endpoint.split_once("://") else {
        return endpoint.to_string();
    };
    let authority = &rest[..rest.find('/').unwrap_or(rest.len())];
    format!("{scheme}://{authority}/")
}

/// The endpoint's last path segment without a placeholder (`receivers` for
/// `/v3/receivers?email={email}`), else its host.
fn dataset_of(endpoint: &str) -> String {
    let rest = endpoint.split_once("://").map_or(endpoint, |(_, r)| r);
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    path.split('/')
        .rev()
        .find(|s| !s.is_empty() && !s.contains('{'))
        .unwrap_or(authority)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_values_counts_containers_and_elements_outside_strings() {
        assert_eq!(json_values(br#"{"a": [1, 2, {"b": "x,{[\"]"}]}"#), 5);
        assert_eq!(json_values(b"[]"), 1);
        assert_eq!(json_values(b"\"just text, with commas\""), 0);
    }

    #[test]
    fn host_of_urls() {
        assert_eq!(host_of("http://user:pw@127.0.0.1:8080/x?y"), "127.0.0.1");
        assert_eq!(host_of("http://[::1]:80/x"), "[::1]");
        assert_eq!(host_of("https://api.example.com/v3/{email}"), "api.example.com");
    }

    fn source(url: &str) -> HttpSource {
        let settings = HttpSettings {
            url: url.into(),
            headers: Default::default(),
            records: Some("/data".into()),
            erase: None,
        };
        HttpSource::new(&settings, &|_| Some("s3cr&t".into())).unwrap()
    }

    #[test]
    fn locators_and_errors_show_the_template_never_values() {
        let s = source("https://u:{secret:pw}@api.example:8443/v3/receivers/{email}/x?email={email}&key={secret:k}&flag#frag");
        assert_eq!(s.endpoint, "https://api.example:8443/v3/receivers/{email}/x");
        assert_eq!(s.redacted, "https://api.example:8443/v3/receivers/{email}/x?email=***&key=***&flag");
        assert_eq!(s.origin, "https://api.example:8443/");
        assert_eq!(s.dataset, "x");
        assert_eq!(source("http://h/v1/users/{email}").dataset, "users");
        assert_eq!(source("http://h:1?x={email}").dataset, "h:1");
    }

    #[test]
    fn one_url_per_value_combination_and_none_without_a_value() {
        let s = source("https://h/a?e={email}&p={phone}&k={secret:k}&lit={notakey!}");
        let mut keys = SearchKeys::new();
        assert!(s.urls(&keys).is_empty(), "no email: no request");
        keys.add("email", "a+b&c=d@example.org");
        keys.add("email", "{secret:k}");
        keys.add("phone", "+491711234567");
        assert_eq!(
            s.urls(&keys),
            [
                "https://h/a?e=a%2Bb%26c%3Dd%40example.org&p=%2B491711234567&k=s3cr%26t&lit={notakey!}",
                "https://h/a?e=%7Bsecret%3Ak%7D&p=%2B491711234567&k=s3cr%26t&lit={notakey!}",
            ]
        );
    }

    #[test]
    fn open_reads_the_register_entry_and_its_secrets() {
        let json = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/registers/jaimo.json")).unwrap();
        let register = crate::register::parse(&json, std::path::Path::new("/srv/firm")).unwrap();
        let (system, connector) = register
            .systems
            .iter()
            .find_map(|s| s.connector.as_ref().filter(|c| matches!(c.settings, Settings::Http(_))).map(|c| (s, c)))
            .unwrap();
        let cx = OpenContext { system, connector, secrets: &|_| Some("t".into()), default_country: "DE" };
        assert!(open(&cx).is_ok());
        let cx = OpenContext { system, connector, secrets: &|_| None, default_country: "DE" };
        assert_eq!(open(&cx).err(), Some(ConnectorError::SecretMissing { name: "cleverreach_token".into() }));
    }

    #[test]
    fn a_missing_secret_is_named_and_other_urls_are_refused() {
        let settings = HttpSettings {
            url: "https://h/a?e={email}".into(),
            headers: crate::register::OrderedMap(vec![("Authorization".to_string(), "Bearer {secret:tok}".to_string())]),
            records: None,
            erase: None,
        };
        let e = HttpSource::new(&settings, &|_| None).unwrap_err();
        assert_eq!(e, ConnectorError::SecretMissing { name: "tok".into() });
        let settings = HttpSettings {
            url: "file:///etc/passwd?{email}".into(),
            headers: Default::default(),
            records: None,
            erase: None,
        };
        assert!(matches!(HttpSource::new(&settings, &|_| None), Err(ConnectorError::BadData { .. })));
    }
}
