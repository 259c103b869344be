//! The letter templates: built into the binary from `templates/letters/<lang>/*.j2`, and
//! overridable per firm by a file of the same name in the firm's template folder.

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use minijinja::{AutoEscape, Environment, UndefinedBehavior};

macro_rules! builtin {
    ($($lang:literal: [$($name:literal),* $(,)?]),* $(,)?) => {
        &[$($((concat!($lang, "/", $name, ".j2"), include_str!(concat!("../../templates/letters/", $lang, "/", $name, ".j2"))),)*)*]
    };
}

/// Every built-in template as (name, source): one per kind and language plus the shared
/// parts (`_layout`, `_system`, `_rights`, `_complaint`).
pub(super) const BUILTIN: &[(&str, &str)] = builtin! {
    "de": ["_layout", "_system", "_rights", "_complaint", "acknowledgement", "identity-request", "clarification-request", "extension-notice", "access-response", "portability-response", "erasure-confirmation", "erasure-partial", "restriction-confirmation", "restriction-lift-notice", "objection-accepted", "objection-rejected", "rectification-confirmation", "rectification-refused", "recipients-informed", "refusal", "no-data", "access-supplement", "objection-not-applicable", "identity-not-established", "fee-notice", "consent-withdrawal-confirmation", "request-by-representative"],
    "en": ["_layout", "_system", "_rights", "_complaint", "acknowledgement", "identity-request", "clarification-request", "extension-notice", "access-response", "portability-response", "erasure-confirmation", "erasure-partial", "restriction-confirmation", "restriction-lift-notice", "objection-accepted", "objection-rejected", "rectification-confirmation", "rectification-refused", "recipients-informed", "refusal", "no-data", "access-supplement", "objection-not-applicable", "identity-not-established", "fee-notice", "consent-withdrawal-confirmation", "request-by-representative"],
    "nl": ["_layout", "_system", "_rights", "_complaint", "acknowledgement", "identity-request", "clarification-request", "extension-notice", "access-response", "portability-response", "erasure-confirmation", "erasure-partial", "restriction-confirmation", "restriction-lift-notice", "objection-accepted", "objection-rejected", "rectification-confirmation", "rectification-refused", "recipients-informed", "refusal", "no-data", "access-supplement", "objection-not-applicable", "identity-not-established", "fee-notice", "consent-withdrawal-confirmation", "request-by-representative"],
};

/// The templates letters are rendered with.
///
/// Auto-escaping is on for every template (their output is markup), and undefined values
/// are errors when printed, so a typo in a firm's template fails loudly instead of leaving a
/// gap in a legal letter.
pub struct Templates {
    env: Environment<'static>,
    overrides: Option<PathBuf>,
}

impl Default for Templates {
    fn default() -> Self {
        Templates::builtin()
    }
}

impl std::fmt::Debug for Templates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Templates").field("overrides", &self.overrides).finish()
    }
}

impl Templates {
    /// Only the templates built into the program.
    pub fn builtin() -> Templates {
        Templates::make(None)
    }

    /// The built-in templates, each replaced by `<dir>/<lang>/<name>.j2` where that file
    /// exists (e.g. `<dir>/de/access-response.j2`, or `<dir>/de/_layout.j2` for the letterhead
    /// of every German letter). Each file is read the first time this value renders a letter
    /// that needs it; a missing folder simply means no overrides.
    pub fn with_overrides(dir: &Path) -> Templates {
        Templates::make(Some(dir.to_path_buf()))
    }

    /// The folder overrides are read from, if any.
    pub fn override_dir(&self) -> Option<&Path> {
        self.overrides.as_deref()
    }

    fn make(overrides: Option<PathBuf>) -> Templates {
        let mut env = Environment::new();
        env.set_auto_escape_callback(|_| AutoEscape::Html);
        env.set_undefined_behavior(UndefinedBehavior::SemiStrict);
        let dir = overrides.clone().map(Arc::new);
        env.set_loader(move |name| {
            let Some(rel) = safe_name(name) else { return Ok(None) };
            if let Some(d) = &dir {
                let path = d.join(&rel);
                match std::fs::read_to_string(&path) {
                    Ok(s) => return Ok(Some(s)),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => {
                        return Err(minijinja::Error::new(
                            minijinja::ErrorKind::TemplateNotFound,
                            format!("cannot read the firm's template {}: {e}", path.display()),
                        ))
                    }
                }
            }
            Ok(BUILTIN.iter().find(|(n, _)| *n == name).map(|(_, src)| (*src).to_string()))
        });
        Templates { env, overrides }
    }

    pub(super) fn render(&self, name: &str, ctx: minijinja::Value) -> Result<String, minijinja::Error> {
        self.env.get_template(name)?.render(ctx)
    }
}

/// A template name as a relative path inside the override folder: `de/refusal.j2`; names
/// that would leave the folder are not looked up there.
fn safe_name(name: &str) -> Option<PathBuf> {
    let p = Path::new(name);
    p.components().all(|c| matches!(c, Component::Normal(_))).then(|| p.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_cannot_leave_the_override_folder() {
        assert!(safe_name("de/refusal.j2").is_some());
        assert!(safe_name("../etc/passwd").is_none());
        assert!(safe_name("/etc/passwd").is_none());
        assert!(safe_name("de/../../x").is_none());
    }
}
