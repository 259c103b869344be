//! Sending over SMTP with lettre (rustls, no system OpenSSL): STARTTLS or TLS, plain only to
//! this machine, and lettre's errors turned into what the user can act on — without the
//! server's reply text, which often quotes the addresses.

use std::time::Duration;

use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{Message, SmtpTransport, Transport};

use super::MailError;
use crate::settings::{Security, SmtpSettings};

/// How long to wait for the server at each step before giving up.
pub const TIMEOUT: Duration = Duration::from_secs(30);

fn tls_parameters(settings: &SmtpSettings) -> Result<TlsParameters, MailError> {
    let mut builder = TlsParameters::builder(settings.host.trim().trim_start_matches('[').trim_end_matches(']').to_string());
    if let Some(path) = &settings.ca_file {
        let ca_err = |reason: String| MailError::CaFile { path: path.clone(), reason };
        let pem = std::fs::read(path).map_err(|e| ca_err(e.to_string()))?;
        let cert = Certificate::from_pem(&pem).map_err(|_| ca_err("not a PEM certificate".into()))?;
        builder = builder.add_root_certificate(cert);
    }
    builder.build_rustls().map_err(|_| MailError::Tls {
        host: settings.host.clone(),
        port: settings.port,
        security: settings.security.code(),
    })
}

/// Sends `message` through the configured server, logging in with `password` when the
/// settings name a user. Refuses an unencrypted connection to anything but this machine.
pub fn send(message: &Message, settings: &SmtpSettings, password: Option<&str>) -> Result<(), MailError> {
    settings.validate()?;
    let host = settings.host.trim();
    let mut builder = SmtpTransport::builder_dangerous(host).port(settings.port).timeout(Some(TIMEOUT));
    builder = match settings.security {
        Security::StartTls => builder.tls(Tls::Required(tls_parameters(settings)?)),
        Security::Tls => builder.tls(Tls::Wrapper(tls_parameters(settings)?)),
        Security::None => builder.tls(Tls::None),
    };
    if let Some(user) = &settings.user {
        builder = builder.credentials(Credentials::new(user.clone(), password.unwrap_or_default().to_string()));
    }
    let transport = builder.build();
    transport.send(message).map(|_| ()).map_err(|e| classify(&e, settings))
}

/// Maps a lettre error to what the user can do about it.
fn classify(e: &lettre::transport::smtp::Error, settings: &SmtpSettings) -> MailError {
    let host = settings.host.clone();
    let port = settings.port;
    if e.is_timeout() {
        return MailError::Timeout { host, port, secs: TIMEOUT.as_secs() };
    }
    if e.is_tls() {
        return MailError::Tls { host, port, security: settings.security.code() };
    }
    if let Some(code) = e.status() {
        let text = code.to_string();
        return match text.as_str() {
            "535" | "534" | "538" => MailError::AuthRefused { code: text },
            "530" => MailError::AuthRequired { code: text },
            _ if e.is_transient() => MailError::Temporary { code: text },
            _ => MailError::Rejected { code: text },
        };
    }
    if e.is_client() {
        // lettre reports a server without STARTTLS and one without a usable login method as
        // client errors; only the text tells them apart (tests/mail.rs pins both).
        if settings.security == Security::StartTls && e.to_string().contains("STARTTLS") {
            return MailError::Tls { host, port, security: settings.security.code() };
        }
        return if settings.user.is_some() { MailError::NoAuthMethod } else { MailError::Protocol { host, port } };
    }
    if e.is_response() {
        return MailError::Protocol { host, port };
    }
    // Connection and network errors: refused, reset, no route, name not resolved. A reset
    // during the TLS handshake on a port that speaks plain SMTP also lands here.
    let io_kind = std::error::Error::source(e).and_then(|s| s.downcast_ref::<std::io::Error>()).map(std::io::Error::kind);
    match io_kind {
        Some(std::io::ErrorKind::InvalidData) => MailError::Tls { host, port, security: settings.security.code() },
        _ => MailError::Unreachable { host, port },
    }
}
