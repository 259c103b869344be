//! The search keys of one system: the subject's normalised identifiers plus the system's
//! derived identifiers (keyed hashes such as `phone_hash`), computed once per pull.

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::{ConnectorError, SearchKeys};
use crate::domain::Subject;
use crate::register::{expand_secrets, Connector, Derivation, DigestEncoding, ExpandError};

/// The subject's own keys: every identifier under its kind (`email`, `phone`, `customer_id`,
/// `ip`, `username`, custom keys) and `name`, already normalised by the case.
pub fn subject_keys(subject: &Subject) -> SearchKeys {
    let mut keys = SearchKeys::new();
    for id in &subject.identifiers {
        keys.add(id.kind.key(), id.value.clone());
    }
    let name = collapse_whitespace(&subject.name);
    if !name.is_empty() {
        keys.add("name", name);
    }
    keys
}

/// The keys one system searches with: the subject's keys plus the connector's derived
/// identifiers. A derivation whose source identifier the subject lacks adds nothing (and so
/// needs no secret); one that is needed but whose secret is not stored is `SecretMissing`.
pub fn for_system(
    subject: &Subject,
    connector: &Connector,
    secrets: &dyn Fn(&str) -> Option<String>,
) -> Result<SearchKeys, ConnectorError> {
    for_system_with(subject, &SearchKeys::new(), connector, secrets)
}

/// Like [`for_system`], with identifiers found on the way (SPEC §11: what earlier systems
/// of the pull yielded, already normalised) added to the subject's before the derivations,
/// so a derived key is computed from a yielded value too.
pub fn for_system_with(
    subject: &Subject,
    found_on_the_way: &SearchKeys,
    connector: &Connector,
    secrets: &dyn Fn(&str) -> Option<String>,
) -> Result<SearchKeys, ConnectorError> {
    let mut keys = subject_keys(subject);
    for (kind, values) in found_on_the_way.iter() {
        for v in values {
            keys.add(kind, v.clone());
        }
    }
    for (name, derivation) in connector.derive.iter() {
        let sources: Vec<String> = keys.get(&derivation.from).to_vec();
        for value in sources {
            let digest = derive(name, derivation, &value, secrets)?;
            keys.add(name, digest);
        }
    }
    Ok(keys)
}

/// `encoding(HMAC-SHA256(key, prefix + value))` for one normalised value; `name` is the
/// derived identifier's name, used only in error messages.
pub fn derive(
    name: &str,
    derivation: &Derivation,
    value: &str,
    secrets: &dyn Fn(&str) -> Option<String>,
) -> Result<String, ConnectorError> {
    let key = expand_secrets(&derivation.hmac_sha256_key, secrets).map_err(|e| match e {
        ExpandError::Missing(m) => ConnectorError::SecretMissing { name: m.0 },
        ExpandError::Malformed(_) => ConnectorError::BadData {
            location: format!("derive.{name}.hmac_sha256_key"),
            detail: "not a {secret:NAME} reference".into(),
        },
    })?;
    // HMAC accepts keys of any length; the error exists only for fixed-size MACs.
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).map_err(|_| ConnectorError::BadData {
        location: format!("derive.{name}.hmac_sha256_key"),
        detail: "the key cannot be used for HMAC-SHA256".into(),
    })?;
    mac.update(derivation.prefix.as_deref().unwrap_or("").as_bytes());
    mac.update(value.as_bytes());
    let digest = mac.finalize().into_bytes();
    Ok(match derivation.encoding.unwrap_or_default() {
        DigestEncoding::Hex => hex::encode(digest),
        DigestEncoding::Base64 => base64::engine::general_purpose::STANDARD.encode(digest),
    })
}

/// Trims and collapses runs of whitespace to one space (names are compared this way).
pub fn collapse_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Identifier, IdentifierKind};

    fn subject() -> Subject {
        let mut s = Subject { name: "  Max   Mustermann ".into(), ..Subject::default() };
        s.add(Identifier::new(IdentifierKind::Phone, "0171 1234567", "DE").unwrap());
        s.add(Identifier::new(IdentifierKind::Email, "Max@Example.org", "DE").unwrap());
        s
    }

    fn connector(encoding: &str) -> Connector {
        serde_json::from_value(serde_json::json!({
            "kind": "csv", "path": "/x.csv", "match": {"phone_hash": ["h"]},
            "derive": {"phone_hash": {"from": "phone", "hmac_sha256_key": "{secret:k}", "prefix": "wa:", "encoding": encoding}}
        }))
        .unwrap()
    }

    #[test]
    fn derived_identifier_is_hmac_of_prefix_and_normalised_value() {
        // Reference values from Python's hmac module:
        // hmac.new(b'key', b'wa:+491711234567', hashlib.sha256)
        let lookup = |n: &str| (n == "k").then(|| "key".to_string());
        let keys = for_system(&subject(), &connector("hex"), &lookup).unwrap();
        assert_eq!(keys.get("phone_hash"), ["48fb6a581c3bd399daf3032f9f75127627b3d238fa7fff400a221d702b11765f"]);
        assert_eq!(keys.get("email"), ["max@example.org"]);
        assert_eq!(keys.get("name"), ["Max Mustermann"]);
        let b64 = for_system(&subject(), &connector("base64"), &lookup).unwrap();
        assert_eq!(b64.get("phone_hash"), ["SPtqWBw705na8wMvn3USdiez0jj6f/9ACiIdcCsRdl8="]);
    }

    #[test]
    fn identifiers_found_on_the_way_are_searched_and_derived_from() {
        let lookup = |n: &str| (n == "k").then(|| "key".to_string());
        let no_phone = Subject { name: "Max Mustermann".into(), ..Subject::default() };
        let mut found = SearchKeys::new();
        found.add("phone", "+491711234567");
        found.add("customer_id", "K-1001");
        let keys = for_system_with(&no_phone, &found, &connector("hex"), &lookup).unwrap();
        assert_eq!(keys.get("customer_id"), ["K-1001"]);
        // The same digest as from the subject's own number above.
        assert_eq!(keys.get("phone_hash"), ["48fb6a581c3bd399daf3032f9f75127627b3d238fa7fff400a221d702b11765f"]);
    }

    #[test]
    fn missing_secret_is_reported_only_when_needed() {
        let none = |_: &str| None;
        let e = for_system(&subject(), &connector("hex"), &none).unwrap_err();
        assert_eq!(e, ConnectorError::SecretMissing { name: "k".into() });
        let no_phone = Subject { name: "A".into(), ..Subject::default() };
        assert!(for_system(&no_phone, &connector("hex"), &none).unwrap().get("phone_hash").is_empty());
    }
}
