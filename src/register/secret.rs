//! `{secret:NAME}` references: how the register names a credential kept only in the
//! encrypted database, so the register itself (and its exports) never holds one.

/// A `{secret` that is not a well-formed `{secret:NAME}` reference.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("malformed secret reference at byte {offset}: write {{secret:NAME}} with NAME of letters, digits, '_', '.', '-'")]
pub struct BadSecretRef {
    /// Byte offset of the `{secret` in the string.
    pub offset: usize,
}

/// Whether `name` is a valid secret name (`[A-Za-z0-9_.-]+`).
pub fn is_secret_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
}

/// The secret names referenced in `s`, in order, with their byte ranges (including braces).
/// Every occurrence of `{secret` must be a well-formed reference.
pub fn secret_refs(s: &str) -> Result<Vec<(std::ops::Range<usize>, &str)>, BadSecretRef> {
    const OPEN: &str = "{secret";
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(found) = s[from..].find(OPEN) {
        let start = from + found;
        let after = &s[start + OPEN.len()..];
        let bad = BadSecretRef { offset: start };
        let name_and_rest = after.strip_prefix(':').ok_or(bad.clone())?;
        let end = name_and_rest.find('}').ok_or(bad.clone())?;
        let name = &name_and_rest[..end];
        if !is_secret_name(name) {
            return Err(bad);
        }
        let stop = start + OPEN.len() + 1 + end + 1;
        out.push((start..stop, name));
        from = stop;
    }
    Ok(out)
}

/// A referenced secret that the lookup does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("secret '{0}' is not set: run `dsar secret set {0}`")]
pub struct MissingSecret(pub String);

/// Replaces every `{secret:NAME}` in `s` with `lookup(NAME)`; for connectors, at the moment
/// they connect (the result must not be logged or stored).
pub fn expand_secrets(
    s: &str,
    lookup: impl Fn(&str) -> Option<String>,
) -> Result<String, ExpandError> {
    let refs = secret_refs(s)?;
    let mut out = String::with_capacity(s.len());
    let mut last = 0;
    for (range, name) in refs {
        out.push_str(&s[last..range.start]);
        out.push_str(&lookup(name).ok_or_else(|| MissingSecret(name.to_string()))?);
        last = range.end;
    }
    out.push_str(&s[last..]);
    Ok(out)
}

/// Why [`expand_secrets`] failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExpandError {
    /// A reference is malformed.
    #[error(transparent)]
    Malformed(#[from] BadSecretRef),
    /// A referenced secret is not stored.
    #[error(transparent)]
    Missing(#[from] MissingSecret),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_found_and_malformed_ones_rejected() {
        let refs = secret_refs("Bearer {secret:cr_token} and {secret:a.b-c}").unwrap();
        assert_eq!(
            refs.iter().map(|r| r.1).collect::<Vec<_>>(),
            ["cr_token", "a.b-c"]
        );
        for bad in [
            "{secret:}",
            "{secret:x",
            "{secret x}",
            "{secret:bad name}",
            "{secret}",
            "{secret:ä}",
        ] {
            assert!(secret_refs(bad).is_err(), "{bad}");
        }
        let out = expand_secrets("Bearer {secret:t}!", |n| {
            (n == "t").then(|| "XYZ".to_string())
        })
        .unwrap();
        assert_eq!(out, "Bearer XYZ!");
        assert!(matches!(
            expand_secrets("{secret:u}", |_| None),
            Err(ExpandError::Missing(_))
        ));
    }
}
