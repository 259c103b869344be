//! `dsar::domain::normalise`, `Identifier::new`, `Identifier::parse_pair` and
//! `IdentifierKind::from_key`: every input is a value or an `IdentifierError`, and a
//! normalised value normalises to itself (the subject's values and the values found in
//! systems go through the same function and are compared as strings).
#![no_main]

use dsar::domain::subject::normalise;
use dsar::domain::{Identifier, IdentifierKind};
use libfuzzer_sys::fuzz_target;

/// The controllers' countries, plus ones phonenumber knows differently and nonsense.
const COUNTRIES: &[&str] = &["DE", "NL", "GB", "US", "BR", "FR", "AT", "CH", "IT", "", "XX", "de", "ZZZ", "001"];

// Input: one byte choosing the controller's country, then the text. The text is normalised
// as every kind; the part before its first `=` is tried as a key, and the whole as `--id`.
fuzz_target!(|data: &[u8]| {
    let Some((&c, rest)) = data.split_first() else { return };
    let Ok(raw) = std::str::from_utf8(rest) else { return };
    let key = raw.split_once('=').map_or(raw, |(k, _)| k);
    let country = COUNTRIES[usize::from(c) % COUNTRIES.len()];
    let kinds = [
        IdentifierKind::Email,
        IdentifierKind::Phone,
        IdentifierKind::CustomerId,
        IdentifierKind::Ip,
        IdentifierKind::Username,
        IdentifierKind::Other("member_no".into()),
    ];
    for kind in &kinds {
        match normalise(kind, raw, country) {
            Ok(value) => {
                let again = normalise(kind, &value, country);
                assert_eq!(again.as_deref(), Ok(value.as_str()), "normalise is not idempotent for {kind:?}");
                let id = Identifier::new(kind.clone(), raw, country).expect("new agrees with normalise");
                assert_eq!(id.value, value);
            }
            Err(e) => {
                let _ = e.to_string();
            }
        }
    }
    if let Ok(kind) = IdentifierKind::from_key(key) {
        assert_eq!(IdentifierKind::from_key(kind.key()).as_ref(), Ok(&kind), "from_key(key()) round trip");
    }
    let _ = Identifier::parse_pair(raw, country);
    let _ = dsar::connectors::keys::collapse_whitespace(raw);
});
