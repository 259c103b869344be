//! The `imap` connector: a mailbox searched for messages from, to or copied to the subject's
//! e-mail addresses (SPEC §5). Each folder is opened read-only; the server's SEARCH narrows
//! the messages (the address is sent as a quoted string or literal, never spliced into the
//! command), and each candidate's From/To/Cc are then compared in full with the subject's
//! normalised addresses, because IMAP SEARCH matches substrings: `anna@example.de` must not
//! find `joanna@example.de`. Records are the headers (date, from, to, cc, subject); the text
//! only with `"bodies": true`. Locators are `folder/UID`.

use mail_parser::{Address, MessageParser};
use serde_json::{json, Value};

use super::{Cancel, ConnectorError, Found, OpenContext, SearchKeys, Source};
use crate::domain::subject::normalise;
use crate::domain::IdentifierKind;
use crate::mail::imap::{Criterion, ImapConfig, ImapError, ImapSession, IMAP_TIMEOUT};
use crate::register::{expand_secrets, ExpandError, ImapSettings, Settings};

/// Messages whose headers are fetched per round trip.
const HEADER_BATCH: usize = 200;

/// An `imap` system, ready to log in.
pub struct ImapSource {
    config: ImapConfig,
    password: zeroize::Zeroizing<String>,
    folders: Vec<String>,
    bodies: bool,
    country: String,
}

impl std::fmt::Debug for ImapSource {
    // The password stays out of debug output.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImapSource")
            .field("endpoint", &self.config.endpoint())
            .field("folders", &self.folders)
            .finish_non_exhaustive()
    }
}

/// Opens an `imap` system from its register entry, resolving its password secret.
pub(crate) fn open(cx: &OpenContext<'_>) -> Result<Box<dyn Source>, ConnectorError> {
    match &cx.connector.settings {
        Settings::Imap(settings) => Ok(Box::new(ImapSource::new(settings, cx.secrets, cx.default_country)?)),
        _ => Err(ConnectorError::Unsupported {
            kind: cx.connector.kind().code().to_string(),
        }),
    }
}

/// What the pull reports for a mailbox that could not be read. A plain function, not a
/// `From` impl: a second conversion into `ConnectorError` makes `?` in closures elsewhere
/// ambiguous.
pub(crate) fn connector_error(e: ImapError) -> ConnectorError {
    match e {
        ImapError::Unreachable { endpoint } => ConnectorError::Unreachable {
            endpoint,
            reason: "no IMAP server answers".into(),
        },
        ImapError::NoTls { endpoint } => ConnectorError::Insecure {
            endpoint,
            detail: "the port does not speak TLS — give the server's TLS port (IMAPS, usually 993) in \"port\"".into(),
        },
        ImapError::Certificate { endpoint } => ConnectorError::Insecure {
            endpoint,
            detail: "its certificate is not trusted or not for this host — check \"host\", or give the firm's CA in \"ca_file\"".into(),
        },
        ImapError::AuthRefused { endpoint } => ConnectorError::AuthRefused { endpoint },
        ImapError::Timeout { endpoint, seconds } => ConnectorError::Timeout { endpoint, seconds },
        e @ (ImapError::CaFile { .. } | ImapError::NoFolder { .. } | ImapError::TooLarge { .. } | ImapError::Protocol { .. }) => {
            let text = e.to_string();
            let location = match &e {
                ImapError::CaFile { path, .. } => path.clone(),
                ImapError::NoFolder { endpoint, .. } | ImapError::TooLarge { endpoint, .. } | ImapError::Protocol { endpoint, .. } => endpoint.clone(),
                _ => String::new(),
            };
            ConnectorError::BadData { location, detail: text }
        }
    }
}

impl ImapSource {
    /// A source for the register's `imap` settings; the password secret is looked up now.
    pub fn new(settings: &ImapSettings, secrets: &dyn Fn(&str) -> Option<String>, country: &str) -> Result<ImapSource, ConnectorError> {
        let password = expand_secrets(&settings.password, secrets).map_err(|e| match e {
            ExpandError::Missing(m) => ConnectorError::SecretMissing { name: m.0 },
            ExpandError::Malformed(_) => ConnectorError::BadData {
                location: "password".into(),
                detail: "malformed {secret:NAME} reference".into(),
            },
        })?;
        Ok(ImapSource {
            config: ImapConfig {
                host: settings.host.trim().to_string(),
                port: settings.port(),
                user: settings.user.clone(),
                ca_file: settings.ca_file.clone(),
                timeout: IMAP_TIMEOUT,
            },
            password: zeroize::Zeroizing::new(password),
            folders: settings.folders(),
            bodies: settings.bodies,
            country: country.to_string(),
        })
    }

    /// Uses another timeout for connecting and each read (tests of a stalled server).
    pub fn with_timeout(mut self, timeout: std::time::Duration) -> ImapSource {
        self.config.timeout = timeout;
        self
    }

    /// The normalised addresses in a header's address list (groups flattened).
    fn addresses(&self, list: Option<&Address<'_>>) -> Vec<String> {
        let Some(list) = list else { return Vec::new() };
        list.iter()
            .filter_map(|a| a.address())
            .filter_map(|a| normalise(&IdentifierKind::Email, a, &self.country).ok())
            .collect()
    }
}

impl Source for ImapSource {
    fn search(&self, keys: &SearchKeys, cancel: &Cancel) -> Result<Vec<Found>, ConnectorError> {
        let emails: Vec<String> = keys.get("email").to_vec();
        if emails.is_empty() {
            // A mailbox is searched by address only; without one nothing can match.
            return Ok(Vec::new());
        }
        if cancel.is_cancelled() {
            return Err(ConnectorError::Cancelled);
        }
        let criterion = Criterion::any(
            emails
                .iter()
                .flat_map(|e| [Criterion::From(e.clone()), Criterion::To(e.clone()), Criterion::Cc(e.clone())])
                .collect(),
        )
        .unwrap_or(Criterion::All);
        let mut session = ImapSession::connect(&self.config, &self.password).map_err(connector_error)?;
        let mut found = Vec::new();
        for folder in &self.folders {
            if cancel.is_cancelled() {
                return Err(ConnectorError::Cancelled);
            }
            session.examine(folder).map_err(connector_error)?;
            let candidates = session.search(&criterion).map_err(connector_error)?;
            // Headers a batch at a time, so a cancel is seen between batches of a big folder.
            let mut headers = Vec::new();
            for batch in candidates.chunks(HEADER_BATCH) {
                if cancel.is_cancelled() {
                    return Err(ConnectorError::Cancelled);
                }
                headers.extend(session.fetch_headers(batch).map_err(connector_error)?);
            }
            for (uid, header) in headers {
                if cancel.is_cancelled() {
                    return Err(ConnectorError::Cancelled);
                }
                let Some(msg) = MessageParser::default().parse_headers(&header) else {
                    continue;
                };
                let from = self.addresses(msg.from());
                let to = self.addresses(msg.to());
                let cc = self.addresses(msg.cc());
                if !from.iter().chain(&to).chain(&cc).any(|a| emails.contains(a)) {
                    continue;
                }
                let mut record = json!({
                    "folder": folder,
                    "uid": uid,
                    "date": msg.date().map(|d| d.to_rfc3339()),
                    "from": from,
                    "to": to,
                    "cc": cc,
                    "subject": msg.subject(),
                });
                if self.bodies {
                    let text = match session.fetch_message(uid).map_err(connector_error)? {
                        Some(bytes) => MessageParser::default().parse(&bytes).and_then(|m| m.body_text(0).map(|t| t.into_owned())),
                        None => None,
                    };
                    record["text"] = text.map_or(Value::Null, Value::String);
                }
                found.push(Found {
                    dataset: folder.clone(),
                    locator: format!("{folder}/{uid}"),
                    record,
                });
            }
        }
        session.logout();
        Ok(found)
    }

    fn test(&self) -> Result<String, ConnectorError> {
        let mut session = ImapSession::connect(&self.config, &self.password).map_err(connector_error)?;
        let mut counts = Vec::new();
        for folder in &self.folders {
            let state = session.examine(folder).map_err(connector_error)?;
            counts.push(format!("{folder}: {} messages", state.exists));
        }
        let endpoint = session.endpoint().to_string();
        session.logout();
        Ok(format!("logged in to {endpoint} over TLS; {}", counts.join(", ")))
    }
}
