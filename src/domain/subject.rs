//! The data subject and their identifiers, normalised once so every search compares alike.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

/// The person the request is about.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Subject {
    /// Full name as given.
    pub name: String,
    /// Postal address lines (may be empty).
    pub address: Vec<String>,
    /// Normalised identifiers, no duplicates.
    pub identifiers: Vec<Identifier>,
}

impl Subject {
    /// The first identifier of a kind, if any.
    pub fn first(&self, kind: &IdentifierKind) -> Option<&str> {
        self.identifiers.iter().find(|i| &i.kind == kind).map(|i| i.value.as_str())
    }

    /// Adds an identifier unless the same one is already there.
    pub fn add(&mut self, id: Identifier) {
        if !self.identifiers.contains(&id) {
            self.identifiers.push(id);
        }
    }
}

/// What kind of identifier a value is; decides how it is normalised and searched.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IdentifierKind {
    /// E-mail address (trimmed, lower-cased).
    Email,
    /// Telephone number (E.164).
    Phone,
    /// The firm's customer number.
    CustomerId,
    /// IPv4 or IPv6 address (canonical form).
    Ip,
    /// A user or login name.
    Username,
    /// Any other `key=value` identifier.
    Other(String),
}

impl IdentifierKind {
    /// Stable key, also the name of the connector query parameter (`:email`, `:customer_id`).
    pub fn key(&self) -> &str {
        match self {
            IdentifierKind::Email => "email",
            IdentifierKind::Phone => "phone",
            IdentifierKind::CustomerId => "customer_id",
            IdentifierKind::Ip => "ip",
            IdentifierKind::Username => "username",
            IdentifierKind::Other(k) => k,
        }
    }

    /// Parses a key; unknown keys become `Other` after checking they are usable as a
    /// query parameter name (lower-case letters, digits, `_`).
    pub fn from_key(key: &str) -> Result<IdentifierKind, IdentifierError> {
        let k = key.trim().to_ascii_lowercase().replace('-', "_");
        Ok(match k.as_str() {
            "email" | "e_mail" => IdentifierKind::Email,
            "phone" | "tel" | "telephone" => IdentifierKind::Phone,
            "customer_id" | "customer" | "customer_number" => IdentifierKind::CustomerId,
            "ip" => IdentifierKind::Ip,
            "username" | "user" | "login" => IdentifierKind::Username,
            "name" => return Err(IdentifierError::ReservedKey),
            _ => {
                let ok = !k.is_empty()
                    && k.len() <= 40
                    && k.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
                    && k.as_bytes()[0].is_ascii_lowercase();
                if !ok {
                    return Err(IdentifierError::BadKey);
                }
                IdentifierKind::Other(k)
            }
        })
    }
}

impl fmt::Display for IdentifierKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// One normalised identifier of a subject.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Identifier {
    /// Its kind.
    pub kind: IdentifierKind,
    /// The normalised value.
    pub value: String,
}

/// An identifier that cannot be normalised. Messages never repeat the value: it is
/// personal data and may end up in a log or a screenshot.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdentifierError {
    /// Empty value.
    #[error("{0} is empty: give a value or leave the field out")]
    Empty(&'static str),
    /// Not an e-mail address.
    #[error("email is not a valid e-mail address: expected name@example.org")]
    Email,
    /// Not a phone number.
    #[error("phone is not a valid telephone number: give it with country code, e.g. +49 30 1234567, or a national number of the controller's country")]
    Phone,
    /// Not an IP address.
    #[error("ip is not an IPv4 or IPv6 address: expected e.g. 198.51.100.23 or 2001:db8::1")]
    Ip,
    /// Key unusable as a parameter name.
    #[error("identifier key must be lower-case letters, digits or '_', starting with a letter (e.g. --id member_no=123)")]
    BadKey,
    /// `name` is not an identifier key.
    #[error("'name' is not an identifier key: the subject's name is given with --name")]
    ReservedKey,
    /// `key=value` without `=`.
    #[error("identifier must be KEY=VALUE, e.g. --id customer_id=K-1001")]
    NotKeyValue,
}

impl Identifier {
    /// Normalises `raw` as an identifier of `kind`. `default_country` (ISO alpha-2, the
    /// controller's) decides how national phone numbers without `+` are read.
    pub fn new(kind: IdentifierKind, raw: &str, default_country: &str) -> Result<Identifier, IdentifierError> {
        let value = normalise(&kind, raw, default_country)?;
        Ok(Identifier { kind, value })
    }

    /// Parses `key=value` (the CLI's `--id`).
    pub fn parse_pair(pair: &str, default_country: &str) -> Result<Identifier, IdentifierError> {
        let (k, v) = pair.split_once('=').ok_or(IdentifierError::NotKeyValue)?;
        Identifier::new(IdentifierKind::from_key(k)?, v, default_country)
    }
}

/// Normalises one value; the same function is used for the subject and for values found
/// in connected systems, so comparisons are like for like.
pub fn normalise(kind: &IdentifierKind, raw: &str, default_country: &str) -> Result<String, IdentifierError> {
    let t = raw.trim();
    if t.is_empty() {
        return Err(IdentifierError::Empty(match kind {
            IdentifierKind::Email => "email",
            IdentifierKind::Phone => "phone",
            IdentifierKind::CustomerId => "customer_id",
            IdentifierKind::Ip => "ip",
            IdentifierKind::Username => "username",
            IdentifierKind::Other(_) => "identifier",
        }));
    }
    match kind {
        IdentifierKind::Email => normalise_email(t),
        IdentifierKind::Phone => normalise_phone(t, default_country),
        IdentifierKind::Ip => normalise_ip(t),
        _ => Ok(t.to_string()),
    }
}

fn normalise_email(t: &str) -> Result<String, IdentifierError> {
    let lower = t.to_lowercase();
    let parsed = email_address::EmailAddress::from_str(&lower).map_err(|_| IdentifierError::Email)?;
    // Display names ("Max <m@x>") and dot-less domains are accepted by the RFC but never what
    // a DPO means; requiring a dot in the domain catches typos like "max@gmailcom".
    if parsed.display_part() != "" || !parsed.domain().contains('.') || parsed.domain().ends_with('.') {
        return Err(IdentifierError::Email);
    }
    Ok(parsed.email())
}

fn normalise_phone(t: &str, default_country: &str) -> Result<String, IdentifierError> {
    let country = default_country.parse::<phonenumber::country::Id>().ok();
    let number = phonenumber::parse(country, t).map_err(|_| IdentifierError::Phone)?;
    if !phonenumber::is_valid(&number) {
        return Err(IdentifierError::Phone);
    }
    Ok(number.format().mode(phonenumber::Mode::E164).to_string())
}

fn normalise_ip(t: &str) -> Result<String, IdentifierError> {
    let ip: IpAddr = t.trim_start_matches('[').trim_end_matches(']').parse().map_err(|_| IdentifierError::Ip)?;
    // An IPv4-mapped IPv6 address is the same host; logs write it either way.
    Ok(ip.to_canonical().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(kind: IdentifierKind, raw: &str) -> Result<String, IdentifierError> {
        normalise(&kind, raw, "DE")
    }

    #[test]
    fn normalises_like_for_like() {
        assert_eq!(n(IdentifierKind::Email, "  Max.Muster@Example.ORG ").unwrap(), "max.muster@example.org");
        assert_eq!(n(IdentifierKind::Phone, "0171 1234567").unwrap(), "+491711234567");
        assert_eq!(n(IdentifierKind::Phone, "+49 (171) 123-4567").unwrap(), "+491711234567");
        assert_eq!(n(IdentifierKind::Phone, "0049 171 1234567").unwrap(), "+491711234567");
        assert_eq!(normalise(&IdentifierKind::Phone, "020 7946 0018", "GB").unwrap(), "+442079460018");
        assert_eq!(n(IdentifierKind::Ip, "2001:DB8:0:0::1").unwrap(), "2001:db8::1");
        assert_eq!(n(IdentifierKind::Ip, "::ffff:198.51.100.23").unwrap(), "198.51.100.23");
    }

    #[test]
    fn rejects_malformed_without_echoing_the_value() {
        for bad in ["max", "max@", "@x.org", "max@examplecom", "Max <max@x.org>", "a b@x.org"] {
            let e = n(IdentifierKind::Email, bad).unwrap_err();
            assert_eq!(e, IdentifierError::Email, "{bad}");
        }
        assert_eq!(n(IdentifierKind::Phone, "12").unwrap_err(), IdentifierError::Phone);
        assert_eq!(n(IdentifierKind::Ip, "198.51.100.256").unwrap_err(), IdentifierError::Ip);
        let e = Identifier::parse_pair("Member No=secret-value", "DE").unwrap_err();
        assert!(!e.to_string().contains("secret-value"));
        assert_eq!(Identifier::parse_pair("member_no=  M-7 ", "DE").unwrap().value, "M-7");
    }
}
