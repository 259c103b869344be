//! A small blocking IMAP4rev1 client (RFC 3501) over rustls: implicit TLS only, LOGIN,
//! EXAMINE (read-only), UID SEARCH and UID FETCH with `BODY.PEEK` so nothing on the server
//! changes — not even the \Seen flag.
//!
//! Why our own: the maintained crates are either async (`async-imap`, which would pull a
//! runtime into intake) or a long-running alpha with native-tls by default (`imap` 3); the
//! handful of commands the desk needs fit in this file on the rustls we already ship.
//!
//! Every value the desk sends (login, password, folder, search text) goes out as a quoted
//! string with `\` and `"` escaped, or as a synchronizing literal when it holds anything a
//! quoted string cannot (CR, LF, NUL, 8-bit) — never spliced into the command text.
//! Errors name the host, port and what to fix; they never quote the server's text, which can
//! carry addresses, nor any message content.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use rustls::{ClientConfig, ClientConnection, RootCertStore, StreamOwned};

/// How long connecting, the TLS handshake and each read or write may take.
pub const IMAP_TIMEOUT: Duration = Duration::from_secs(30);

/// The largest literal read from the server (a whole message); bigger ones are refused
/// before they fill memory. Intake itself refuses messages over 25 MB.
pub const MAX_LITERAL: usize = 64 * 1024 * 1024;

/// The most one command's answers may hold before it completes (a header fetch of 200
/// messages is a few hundred KB; one whole message at most [`MAX_LITERAL`]).
const MAX_COMMAND_BYTES: usize = MAX_LITERAL + 64 * 1024 * 1024;

/// The longest line of text between literals (a SEARCH answer with ~1 million UIDs).
const MAX_LINE: usize = 8 * 1024 * 1024;

/// Where and as whom to log in; the password is passed separately so this can be logged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImapConfig {
    /// Host name or IP address.
    pub host: String,
    /// The server's TLS port (993 for IMAPS).
    pub port: u16,
    /// Login name.
    pub user: String,
    /// A PEM file with a certificate authority to trust besides the Mozilla roots and the
    /// system's store (a firm's own CA; the tests' throw-away CA).
    pub ca_file: Option<PathBuf>,
    /// Connect, handshake and per-read limit.
    pub timeout: Duration,
}

impl ImapConfig {
    /// `host:port` for messages (never the user or the password).
    pub fn endpoint(&self) -> String {
        if self.host.contains(':') && !self.host.starts_with('[') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

/// Why the mailbox could not be read. Each says what to check; none quotes the server.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImapError {
    /// Nothing answers at host:port.
    #[error("cannot reach the IMAP server at {endpoint} — check the host and the port, and that the server runs")]
    Unreachable {
        /// host:port.
        endpoint: String,
    },
    /// The port does not speak TLS (a plain IMAP port, or something else).
    #[error("{endpoint} did not answer with TLS — give the server's TLS port (IMAPS, usually 993); mail is read only over TLS")]
    NoTls {
        /// host:port.
        endpoint: String,
    },
    /// The certificate is not trusted or not for this host.
    #[error("the TLS certificate of {endpoint} is not trusted or not issued for this host — check the host name, or give the firm's CA certificate (--ca-file / \"ca_file\")")]
    Certificate {
        /// host:port.
        endpoint: String,
    },
    /// The CA file cannot be used.
    #[error("CA file {path}: {reason} — give a PEM certificate file")]
    CaFile {
        /// The file.
        path: String,
        /// What was wrong.
        reason: String,
    },
    /// LOGIN was refused.
    #[error("{endpoint} refused the login — check the user name and the password")]
    AuthRefused {
        /// host:port.
        endpoint: String,
    },
    /// The folder does not exist (or may not be read).
    #[error("folder '{folder}' cannot be opened on {endpoint} — check the folder name (e.g. INBOX, Sent)")]
    NoFolder {
        /// The folder as configured.
        folder: String,
        /// host:port.
        endpoint: String,
    },
    /// No answer in time.
    #[error("no answer from {endpoint} within {seconds} s — check the host and the port, or try again later")]
    Timeout {
        /// host:port.
        endpoint: String,
        /// The limit.
        seconds: u64,
    },
    /// A message bigger than the desk reads.
    #[error("a message in the mailbox at {endpoint} is larger than {limit} bytes and was not read — save it as .eml and take it in by hand")]
    TooLarge {
        /// host:port.
        endpoint: String,
        /// The cap.
        limit: usize,
    },
    /// The server answered something that is not IMAP, refused a command, or hung up.
    #[error("{endpoint} did not answer as an IMAP server ({what}) — check the port, or try again later")]
    Protocol {
        /// host:port.
        endpoint: String,
        /// Which step (no server text).
        what: &'static str,
    },
}

/// The state of a folder opened with EXAMINE.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FolderState {
    /// UIDVALIDITY: UIDs are only meaningful together with it.
    pub uid_validity: u32,
    /// Number of messages.
    pub exists: u32,
}

/// One search criterion of `UID SEARCH` (RFC 3501 §6.4.4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Criterion {
    /// Every message.
    All,
    /// From header contains the text.
    From(String),
    /// To header contains the text.
    To(String),
    /// Cc header contains the text.
    Cc(String),
    /// Either of two criteria.
    Or(Box<Criterion>, Box<Criterion>),
    /// Arrived (internal date) on or after the day.
    Since(chrono::NaiveDate),
}

impl Criterion {
    /// `a OR b OR c …` over several criteria (`None` when empty).
    pub fn any(mut items: Vec<Criterion>) -> Option<Criterion> {
        let last = items.pop()?;
        Some(items.into_iter().rev().fold(last, |acc, c| Criterion::Or(Box::new(c), Box::new(acc))))
    }

    fn write(&self, out: &mut Vec<Arg>) {
        match self {
            Criterion::All => out.push(Arg::Atom("ALL".into())),
            Criterion::From(s) => out.extend([Arg::Atom("FROM".into()), Arg::Str(s.as_bytes().to_vec())]),
            Criterion::To(s) => out.extend([Arg::Atom("TO".into()), Arg::Str(s.as_bytes().to_vec())]),
            Criterion::Cc(s) => out.extend([Arg::Atom("CC".into()), Arg::Str(s.as_bytes().to_vec())]),
            Criterion::Or(a, b) => {
                out.push(Arg::Atom("OR".into()));
                a.write(out);
                b.write(out);
            }
            // Our own formatting of a date (RFC 3501 date-text), not user text.
            Criterion::Since(day) => out.push(Arg::Atom(format!("SINCE {}", day.format("%-d-%b-%Y")))),
        }
    }

    fn has_8bit(&self) -> bool {
        match self {
            Criterion::All | Criterion::Since(_) => false,
            Criterion::From(s) | Criterion::To(s) | Criterion::Cc(s) => !s.is_ascii(),
            Criterion::Or(a, b) => a.has_8bit() || b.has_8bit(),
        }
    }
}

/// A piece of a command: fixed protocol text, or a value that is quoted or sent as literal.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Arg {
    /// Written as is: only ever our own constants and numbers.
    Atom(String),
    /// A value from the user or the register.
    Str(Vec<u8>),
}

/// How a value goes on the wire: a quoted string when every byte may appear in one, else a
/// literal (RFC 3501 §4.3).
fn quote(value: &[u8]) -> Option<Vec<u8>> {
    if value.iter().any(|&b| b == b'\r' || b == b'\n' || b == 0 || b >= 0x80) {
        return None;
    }
    let mut out = Vec::with_capacity(value.len() + 2);
    out.push(b'"');
    for &b in value {
        if b == b'"' || b == b'\\' {
            out.push(b'\\');
        }
        out.push(b);
    }
    out.push(b'"');
    Some(out)
}

/// A folder name in IMAP's modified UTF-7 (RFC 3501 §5.1.3): `Entwürfe` → `Entw&APw-rfe`.
pub fn encode_folder(name: &str) -> String {
    use base64::Engine as _;
    let mut out = String::new();
    let mut pending: Vec<u16> = Vec::new();
    let flush = |pending: &mut Vec<u16>, out: &mut String| {
        if pending.is_empty() {
            return;
        }
        let bytes: Vec<u8> = pending.iter().flat_map(|u| u.to_be_bytes()).collect();
        let b64 = base64::engine::general_purpose::STANDARD_NO_PAD.encode(bytes).replace('/', ",");
        out.push('&');
        out.push_str(&b64);
        out.push('-');
        pending.clear();
    };
    for c in name.chars() {
        if (' '..='~').contains(&c) {
            flush(&mut pending, &mut out);
            if c == '&' {
                out.push_str("&-");
            } else {
                out.push(c);
            }
        } else {
            let mut buf = [0u16; 2];
            pending.extend_from_slice(c.encode_utf16(&mut buf));
        }
    }
    flush(&mut pending, &mut out);
    out
}

/// One server response: its text with each literal replaced by `{}` and the literals apart.
#[derive(Debug, Default)]
struct Response {
    text: Vec<u8>,
    literals: Vec<Vec<u8>>,
}

impl Response {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.text).into_owned()
    }
}

/// Why a response could not be read (turned into an [`ImapError`] by the session).
#[derive(Debug)]
enum ReadFail {
    Io(std::io::Error),
    Closed,
    LineTooLong,
    TooLarge,
}

/// Reads one response — a line, and after each `{n}` at its end n bytes of literal and the
/// rest of the line — from `r`. Every size the server announces is checked before memory is
/// taken for it: a line of at most [`MAX_LINE`], literals of at most [`MAX_LITERAL`] together.
fn read_response<R: BufRead>(r: &mut R) -> Result<Response, ReadFail> {
    let mut out = Response::default();
    let mut literal_bytes = 0usize;
    loop {
        let mut line = Vec::new();
        let n = r.take(MAX_LINE as u64 + 1).read_until(b'\n', &mut line).map_err(ReadFail::Io)?;
        if n == 0 {
            return Err(ReadFail::Closed);
        }
        if line.len() > MAX_LINE {
            return Err(ReadFail::LineTooLong);
        }
        while matches!(line.last(), Some(b'\n' | b'\r')) {
            line.pop();
        }
        // A line ending in {n} announces n bytes of literal data, then the line goes on.
        let literal = line.strip_suffix(b"}").and_then(|head| {
            let open = head.iter().rposition(|&b| b == b'{')?;
            let digits = std::str::from_utf8(&head[open + 1..]).ok()?;
            let size: usize = digits.parse().ok()?;
            Some((open, size))
        });
        let Some((open, size)) = literal else {
            out.text.extend_from_slice(&line);
            return Ok(out);
        };
        literal_bytes = literal_bytes.saturating_add(size);
        if literal_bytes > MAX_LITERAL {
            return Err(ReadFail::TooLarge);
        }
        out.text.extend_from_slice(&line[..open]);
        out.text.extend_from_slice(b"{}");
        let mut data = Vec::new();
        // `take` + `read_to_end` instead of a buffer of the announced size: a server that
        // announces 60 MB and sends 10 bytes costs 10 bytes.
        r.take(size as u64).read_to_end(&mut data).map_err(ReadFail::Io)?;
        if data.len() < size {
            return Err(ReadFail::Closed);
        }
        out.literals.push(data);
    }
}

/// How a tagged command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Done {
    Ok,
    No,
    Bad,
}

type Tls = StreamOwned<ClientConnection, TcpStream>;

/// A logged-in session. Dropping it closes the connection; [`ImapSession::logout`] says
/// goodbye first.
pub struct ImapSession {
    stream: BufReader<Tls>,
    tag: u32,
    endpoint: String,
    timeout: Duration,
}

impl std::fmt::Debug for ImapSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImapSession").field("endpoint", &self.endpoint).finish_non_exhaustive()
    }
}

fn tls_config(cfg: &ImapConfig) -> Result<Arc<ClientConfig>, ImapError> {
    crate::connectors::sql_server::install_crypto_provider();
    let mut roots = RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    // A system store that cannot be read leaves the Mozilla roots, which is still safe.
    for cert in rustls_native_certs::load_native_certs().certs {
        let _ = roots.add(cert);
    }
    if let Some(path) = &cfg.ca_file {
        let ca_err = |reason: String| ImapError::CaFile {
            path: path.display().to_string(),
            reason,
        };
        let pem = std::fs::read(path).map_err(|e| ca_err(e.to_string()))?;
        let mut added = 0;
        for cert in CertificateDer::pem_slice_iter(&pem) {
            let cert = cert.map_err(|_| ca_err("not a PEM certificate".into()))?;
            roots.add(cert).map_err(|_| ca_err("the certificate cannot be used as a CA".into()))?;
            added += 1;
        }
        if added == 0 {
            return Err(ca_err("holds no PEM certificate".into()));
        }
    }
    Ok(Arc::new(ClientConfig::builder().with_root_certificates(roots).with_no_client_auth()))
}

/// Whether an I/O error is a timeout (`WouldBlock` is what a socket read timeout gives on Unix).
fn is_timeout(e: &std::io::Error) -> bool {
    matches!(e.kind(), std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock)
}

impl ImapSession {
    /// Connects with TLS, checks the greeting and logs in.
    pub fn connect(cfg: &ImapConfig, password: &str) -> Result<ImapSession, ImapError> {
        let endpoint = cfg.endpoint();
        let host = cfg.host.trim().trim_start_matches('[').trim_end_matches(']').to_string();
        let tls = tls_config(cfg)?;
        let unreachable = || ImapError::Unreachable { endpoint: endpoint.clone() };
        let timeout = || ImapError::Timeout {
            endpoint: endpoint.clone(),
            seconds: cfg.timeout.as_secs(),
        };
        let addrs: Vec<_> = (host.as_str(), cfg.port).to_socket_addrs().map_err(|_| unreachable())?.collect();
        let mut last = unreachable();
        let mut tcp = None;
        for addr in addrs {
            match TcpStream::connect_timeout(&addr, cfg.timeout) {
                Ok(s) => {
                    tcp = Some(s);
                    break;
                }
                Err(e) if is_timeout(&e) => last = timeout(),
                Err(_) => last = unreachable(),
            }
        }
        let mut tcp = tcp.ok_or(last)?;
        tcp.set_read_timeout(Some(cfg.timeout)).map_err(|_| unreachable())?;
        tcp.set_write_timeout(Some(cfg.timeout)).map_err(|_| unreachable())?;
        let name = ServerName::try_from(host.clone()).map_err(|_| unreachable())?;
        let mut conn = ClientConnection::new(tls, name).map_err(|_| ImapError::NoTls { endpoint: endpoint.clone() })?;
        // The handshake is driven here, not on first read, so its failures can be told apart
        // from the server's: a plain port answers "* OK" where a TLS record belongs.
        while conn.is_handshaking() {
            if let Err(e) = conn.complete_io(&mut tcp) {
                return Err(match e.get_ref().and_then(|inner| inner.downcast_ref::<rustls::Error>()) {
                    Some(rustls::Error::InvalidCertificate(_)) => ImapError::Certificate { endpoint },
                    Some(_) => ImapError::NoTls { endpoint },
                    None if is_timeout(&e) => timeout(),
                    // A reset or EOF while shaking hands is what a non-TLS peer does too.
                    None => ImapError::NoTls { endpoint },
                });
            }
        }
        let mut session = ImapSession {
            stream: BufReader::new(StreamOwned::new(conn, tcp)),
            tag: 0,
            endpoint,
            timeout: cfg.timeout,
        };
        let greeting = session.read_response()?;
        if greeting.text.starts_with(b"* BYE") {
            return Err(session.protocol("the server closed the connection at once"));
        }
        if !greeting.text.starts_with(b"* OK") && !greeting.text.starts_with(b"* PREAUTH") {
            return Err(session.protocol("no IMAP greeting"));
        }
        if greeting.text.starts_with(b"* OK") {
            let args = [
                Arg::Atom("LOGIN".into()),
                Arg::Str(cfg.user.as_bytes().to_vec()),
                Arg::Str(password.as_bytes().to_vec()),
            ];
            match session.command(&args)? {
                (Done::Ok, _) => {}
                _ => {
                    return Err(ImapError::AuthRefused {
                        endpoint: session.endpoint.clone(),
                    })
                }
            }
        }
        Ok(session)
    }

    /// host:port of this session.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    fn protocol(&self, what: &'static str) -> ImapError {
        ImapError::Protocol {
            endpoint: self.endpoint.clone(),
            what,
        }
    }

    fn io_error(&self, e: &std::io::Error) -> ImapError {
        if is_timeout(e) {
            ImapError::Timeout {
                endpoint: self.endpoint.clone(),
                seconds: self.timeout.as_secs(),
            }
        } else {
            self.protocol("the connection broke off")
        }
    }

    /// Reads one response, with its literals.
    fn read_response(&mut self) -> Result<Response, ImapError> {
        read_response(&mut self.stream).map_err(|e| match e {
            ReadFail::Io(e) => self.io_error(&e),
            ReadFail::Closed => self.protocol("the server closed the connection"),
            ReadFail::LineTooLong => self.protocol("an answer line is too long"),
            ReadFail::TooLarge => ImapError::TooLarge { endpoint: self.endpoint.clone(), limit: MAX_LITERAL },
        })
    }

    fn send(&mut self, bytes: &[u8]) -> Result<(), ImapError> {
        let stream = self.stream.get_mut();
        stream.write_all(bytes).and_then(|()| stream.flush()).map_err(|e| self.io_error(&e))
    }

    /// Sends a tagged command and collects the untagged responses until its completion.
    fn command(&mut self, args: &[Arg]) -> Result<(Done, Vec<Response>), ImapError> {
        self.tag += 1;
        let tag = format!("d{}", self.tag);
        let mut pending = tag.clone().into_bytes();
        let mut untagged = Vec::new();
        for arg in args {
            pending.push(b' ');
            match arg {
                Arg::Atom(a) => pending.extend_from_slice(a.as_bytes()),
                Arg::Str(v) => match quote(v) {
                    Some(q) => pending.extend_from_slice(&q),
                    None => {
                        // A synchronizing literal: the server says "+" before the bytes.
                        pending.extend_from_slice(format!("{{{}}}\r\n", v.len()).as_bytes());
                        self.send(&pending)?;
                        pending.clear();
                        loop {
                            let resp = self.read_response()?;
                            if resp.text.starts_with(b"+") {
                                break;
                            }
                            if resp.text.starts_with(tag.as_bytes()) {
                                return Ok((status_of(&resp.text[tag.len()..]), untagged));
                            }
                            untagged.push(resp);
                        }
                        pending.extend_from_slice(v);
                    }
                },
            }
        }
        pending.extend_from_slice(b"\r\n");
        self.send(&pending)?;
        let mut held = 0usize;
        loop {
            let resp = self.read_response()?;
            if resp.text.starts_with(tag.as_bytes()) && resp.text.get(tag.len()) == Some(&b' ') {
                return Ok((status_of(&resp.text[tag.len()..]), untagged));
            }
            if resp.text.starts_with(b"* BYE") {
                return Err(self.protocol("the server ended the session"));
            }
            // One command's answers are held until it completes: bounded, so a server that
            // never completes cannot fill memory.
            held += resp.text.len() + resp.literals.iter().map(Vec::len).sum::<usize>();
            if held > MAX_COMMAND_BYTES {
                return Err(ImapError::TooLarge { endpoint: self.endpoint.clone(), limit: MAX_COMMAND_BYTES });
            }
            untagged.push(resp);
        }
    }

    /// Opens `folder` read-only (EXAMINE).
    pub fn examine(&mut self, folder: &str) -> Result<FolderState, ImapError> {
        let args = [Arg::Atom("EXAMINE".into()), Arg::Str(encode_folder(folder).into_bytes())];
        let (done, untagged) = self.command(&args)?;
        if done != Done::Ok {
            return Err(ImapError::NoFolder {
                folder: folder.to_string(),
                endpoint: self.endpoint.clone(),
            });
        }
        let mut state = FolderState { uid_validity: 0, exists: 0 };
        for r in &untagged {
            let t = r.text();
            if let Some(rest) = t.strip_prefix("* OK [UIDVALIDITY ") {
                state.uid_validity = rest.split(']').next().and_then(|n| n.trim().parse().ok()).unwrap_or(0);
            } else if let Some(n) = t.strip_prefix("* ").and_then(|r| r.strip_suffix(" EXISTS")) {
                state.exists = n.trim().parse().unwrap_or(0);
            }
        }
        if state.uid_validity == 0 {
            // Without it a UID could name another message after the folder is rebuilt.
            return Err(self.protocol("no UIDVALIDITY for the folder"));
        }
        Ok(state)
    }

    /// `UID SEARCH` in the open folder: the UIDs, ascending.
    pub fn search(&mut self, criterion: &Criterion) -> Result<Vec<u32>, ImapError> {
        let mut args = vec![Arg::Atom("UID SEARCH".into())];
        if criterion.has_8bit() {
            args.push(Arg::Atom("CHARSET UTF-8".into()));
        }
        criterion.write(&mut args);
        let (done, untagged) = self.command(&args)?;
        if done != Done::Ok {
            return Err(self.protocol("the search was refused"));
        }
        let mut uids: Vec<u32> = Vec::new();
        for r in &untagged {
            let t = r.text();
            if let Some(rest) = t.strip_prefix("* SEARCH") {
                uids.extend(rest.split_ascii_whitespace().filter_map(|n| n.parse::<u32>().ok()));
            }
        }
        uids.sort_unstable();
        uids.dedup();
        Ok(uids)
    }

    /// The whole message `uid` (exact bytes), `None` when it is gone. BODY.PEEK leaves its
    /// flags as they were.
    pub fn fetch_message(&mut self, uid: u32) -> Result<Option<Vec<u8>>, ImapError> {
        Ok(self.fetch(&uid.to_string(), "BODY.PEEK[]")?.into_iter().next().map(|(_, b)| b))
    }

    /// The header fields the connector reports (Date, From, To, Cc, Subject, Message-ID) of
    /// each UID in `uids`, as `(uid, raw header bytes)`.
    pub fn fetch_headers(&mut self, uids: &[u32]) -> Result<Vec<(u32, Vec<u8>)>, ImapError> {
        let mut out = Vec::new();
        // Sets of a few hundred keep each command line short.
        for chunk in uids.chunks(200) {
            let set: Vec<String> = chunk.iter().map(u32::to_string).collect();
            out.extend(self.fetch(&set.join(","), "BODY.PEEK[HEADER.FIELDS (DATE FROM TO CC SUBJECT MESSAGE-ID)]")?);
        }
        Ok(out)
    }

    fn fetch(&mut self, set: &str, item: &str) -> Result<Vec<(u32, Vec<u8>)>, ImapError> {
        let args = [Arg::Atom(format!("UID FETCH {set} (UID {item})"))];
        let (done, untagged) = self.command(&args)?;
        if done != Done::Ok {
            return Err(self.protocol("a fetch was refused"));
        }
        let mut out = Vec::new();
        for r in untagged {
            let t = r.text();
            if !(t.starts_with("* ") && t.contains(" FETCH (")) {
                continue;
            }
            let Some(uid) = fetch_uid(&t) else {
                continue;
            };
            let body = match r.literals.into_iter().next() {
                Some(lit) => lit,
                // Small values may come as a quoted string; NIL means nothing there.
                None => match quoted_after_body(&t) {
                    Some(v) => v,
                    None => continue,
                },
            };
            out.push((uid, body));
        }
        Ok(out)
    }

    /// Says goodbye; errors are ignored (the work is done).
    pub fn logout(mut self) {
        let _ = self.command(&[Arg::Atom("LOGOUT".into())]);
    }
}

/// The UID in a FETCH response's item list: `UID n` right after `(` or a space.
fn fetch_uid(text: &str) -> Option<u32> {
    let items = &text[text.find(" FETCH (")? + 8..];
    let mut from = 0;
    while let Some(at) = items[from..].find("UID ") {
        let at = from + at;
        if at == 0 || items.as_bytes()[at - 1] == b' ' {
            let digits: String = items[at + 4..].chars().take_while(char::is_ascii_digit).collect();
            return digits.parse().ok();
        }
        from = at + 4;
    }
    None
}

fn status_of(rest: &[u8]) -> Done {
    let rest = String::from_utf8_lossy(rest);
    let word = rest.split_ascii_whitespace().next().unwrap_or("");
    match word.to_ascii_uppercase().as_str() {
        "OK" => Done::Ok,
        "NO" => Done::No,
        _ => Done::Bad,
    }
}

/// The quoted string after `BODY[…] ` in a FETCH response, unescaped.
fn quoted_after_body(text: &str) -> Option<Vec<u8>> {
    let at = text.find("BODY[")?;
    let close = text[at..].find("] ")? + at + 2;
    let rest = &text.as_bytes()[close..];
    if rest.first() != Some(&b'"') {
        return None;
    }
    let mut out = Vec::new();
    let mut escaped = false;
    for &b in &rest[1..] {
        match b {
            _ if escaped => {
                out.push(b);
                escaped = false;
            }
            b'\\' => escaped = true,
            b'"' => return Some(out),
            _ => out.push(b),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_quoted_with_escapes_or_need_a_literal() {
        assert_eq!(quote(b"a\"b\\c").as_deref(), Some(&b"\"a\\\"b\\\\c\""[..]));
        assert_eq!(quote(b"x\r\nA1 DELETE INBOX"), None);
        assert_eq!(quote("grüße@example.de".as_bytes()), None);
    }

    #[test]
    fn folder_names_use_modified_utf7() {
        assert_eq!(encode_folder("INBOX"), "INBOX");
        assert_eq!(encode_folder("Entwürfe"), "Entw&APw-rfe");
        assert_eq!(encode_folder("A&B"), "A&-B");
        // RFC 3501's example: "~peter/mail/台北/日本語".
        assert_eq!(encode_folder("~peter/mail/台北/日本語"), "~peter/mail/&U,BTFw-/&ZeVnLIqe-");
    }

    #[test]
    fn or_chains_nest_to_the_right() {
        let c = Criterion::any(vec![Criterion::From("a".into()), Criterion::To("a".into()), Criterion::Cc("a".into())]).unwrap();
        let mut args = Vec::new();
        c.write(&mut args);
        let words: Vec<String> = args
            .iter()
            .map(|a| match a {
                Arg::Atom(s) => s.clone(),
                Arg::Str(v) => String::from_utf8_lossy(v).into_owned(),
            })
            .collect();
        assert_eq!(words, ["OR", "FROM", "a", "OR", "TO", "a", "CC", "a"]);
        let mut args = Vec::new();
        Criterion::Since(chrono::NaiveDate::from_ymd_opt(2026, 11, 6).expect("day")).write(&mut args);
        assert_eq!(args, [Arg::Atom("SINCE 6-Nov-2026".into())]);
        assert_eq!(Criterion::any(vec![]), None);
    }

    #[test]
    fn the_uid_is_read_from_the_fetch_items() {
        assert_eq!(fetch_uid("* 1 FETCH (UID 42 BODY[] {})"), Some(42));
        assert_eq!(fetch_uid("* 3 FETCH (BODY[HEADER] {} UID 7)"), Some(7));
        assert_eq!(fetch_uid("* 3 FETCH (FLAGS (\\Seen))"), None);
    }

    fn parse(bytes: &[u8]) -> Result<Response, ReadFail> {
        read_response(&mut std::io::Cursor::new(bytes))
    }

    #[test]
    fn responses_with_literals_are_read_whole_and_sizes_are_checked_first() {
        let r = parse(b"* 1 FETCH (UID 9 BODY[] {5}\r\nab\r\nc)\r\nd1 OK done\r\n").expect("fetch");
        assert_eq!(r.text, b"* 1 FETCH (UID 9 BODY[] {})");
        assert_eq!(r.literals, [b"ab\r\nc".to_vec()]);
        let r = parse(b"* 2 FETCH (UID 3 BODY[HEADER] {0}\r\n)\r\n").expect("empty literal");
        assert_eq!(r.literals, [Vec::<u8>::new()]);
        // Announced sizes beyond the cap are refused before any memory is taken.
        assert!(matches!(parse(b"* 1 FETCH (BODY[] {99999999999}\r\n"), Err(ReadFail::TooLarge)));
        let two = format!("* 1 FETCH (A {{{}}}\r\n", MAX_LITERAL / 2 + 1);
        let mut bytes = two.into_bytes();
        bytes.extend(std::iter::repeat_n(b'x', MAX_LITERAL / 2 + 1));
        bytes.extend_from_slice(format!(" B {{{}}}\r\n", MAX_LITERAL / 2 + 1).as_bytes());
        assert!(matches!(parse(&bytes), Err(ReadFail::TooLarge)), "literals of one response count together");
        // A literal cut short, and a silent peer.
        assert!(matches!(parse(b"* 1 FETCH (BODY[] {10}\r\nabc"), Err(ReadFail::Closed)));
        assert!(matches!(parse(b""), Err(ReadFail::Closed)));
        // Not a literal: braces inside the line, or no number.
        assert_eq!(parse(b"* OK {x}\r\n").expect("text").text, b"* OK {x}");
        assert_eq!(parse(b"* OK [ALERT] {\r\n").expect("text").text, b"* OK [ALERT] {");
    }

    #[test]
    fn arbitrary_bytes_never_panic() {
        // A cheap stand-in for a fuzz target: every prefix of a realistic session, and
        // shifted garbage, must end in a value or an error.
        let session: &[u8] = b"* OK ready\r\n* 2 EXISTS\r\n* OK [UIDVALIDITY 5] x\r\n* 1 FETCH (UID 4 BODY[] {3}\r\nabc)\r\n* SEARCH 1 2\r\nd1 OK\r\n";
        for end in 0..=session.len() {
            let mut cursor = std::io::Cursor::new(&session[..end]);
            while read_response(&mut cursor).is_ok() {}
        }
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..2000 {
            let bytes: Vec<u8> = (0..64)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    b"{}0123456789\r\n* OK"[(seed % 18) as usize]
                })
                .collect();
            let mut cursor = std::io::Cursor::new(bytes);
            while read_response(&mut cursor).is_ok() {}
        }
        assert_eq!(fetch_uid("* 1 FETCH (UID"), None);
        assert_eq!(quoted_after_body("* 1 FETCH (BODY[] \"unterminated"), None);
    }

    #[test]
    fn a_quoted_fetch_value_is_unescaped() {
        assert_eq!(quoted_after_body(r#"* 1 FETCH (UID 7 BODY[HEADER] "a\"b")"#), Some(b"a\"b".to_vec()));
        assert_eq!(quoted_after_body("* 1 FETCH (UID 7 BODY[] NIL)"), None);
    }
}
