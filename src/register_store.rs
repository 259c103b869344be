//! The register as kept in the database: every import is a new version; the newest is current.

use std::path::Path;

use rusqlite::OptionalExtension;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::audit;
use crate::cases::Context;
use crate::error::{Error, InputError, Result};
use crate::register::{self, Register};
use crate::store::Store;

/// Imports a register file: validates it completely first, so a broken file changes nothing.
pub fn import_file(store: &mut Store, ctx: &Context, file: &Path) -> Result<Register> {
    let text = std::fs::read_to_string(file).map_err(|e| {
        InputError::new("FILE", format!("cannot read {}: {e}", file.display()), "check the path to the register JSON file")
    })?;
    // Relative connector paths are resolved against the register file's own folder.
    let dir = std::path::absolute(file).ok().and_then(|p| p.parent().map(Path::to_path_buf)).unwrap_or_default();
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    import_text(store, ctx, &text, &dir, &name)
}

/// Imports register JSON text; `base_dir` resolves relative connector paths.
pub fn import_text(store: &mut Store, ctx: &Context, text: &str, base_dir: &Path, source_name: &str) -> Result<Register> {
    Ok(store_version(store, ctx, text, base_dir, source_name, Base::Import)?.0)
}

/// The newest register version's number, if any.
fn newest_version(conn: &rusqlite::Connection) -> Result<Option<i64>> {
    Ok(conn.query_row("SELECT MAX(id) FROM register_versions", [], |r| r.get(0))?)
}

/// Refuses an edit made to `based_on` when another window or the CLI stored a newer version
/// meanwhile: saving it would silently undo that change.
fn still_current(conn: &rusqlite::Connection, based_on: Option<i64>) -> Result<()> {
    if newest_version(conn)? != based_on {
        return Err(InputError::new("register", "the register was changed meanwhile (in another window or with the dsar command)", "reload the register and make your change again").into());
    }
    Ok(())
}

/// What a new register version replaces.
enum Base {
    /// A whole register file: it replaces whatever is current.
    Import,
    /// An edit of the version with this number (`None`: no register yet), checked inside the
    /// write transaction.
    Edit(Option<i64>),
}

/// Validates `text` completely and stores it as the newest version; returns it and its number.
fn store_version(store: &mut Store, ctx: &Context, text: &str, base_dir: &Path, source_name: &str, base: Base) -> Result<(Register, i64)> {
    let reg = register::parse(text, base_dir)?;
    let canonical = register::to_json(&reg);
    let sha = hex::encode(Sha256::digest(canonical.as_bytes()));
    store.write(|tx| {
        if let Base::Edit(based_on) = base {
            still_current(tx, based_on)?;
        }
        tx.execute(
            "INSERT INTO register_versions (imported_at, source_name, sha256, json) VALUES (?1, ?2, ?3, ?4)",
            rusqlite::params![ctx.now.to_rfc3339(), source_name, sha, canonical],
        )?;
        let version = tx.last_insert_rowid();
        audit::append(
            tx,
            None,
            &ctx.actor,
            "register.imported",
            &json!({"version": version, "sha256": sha, "systems": reg.systems.len(), "source": source_name}),
            ctx.now,
        )?;
        crate::secrets::bind_unbound(tx, ctx, &reg)?;
        Ok::<_, Error>(version)
    })
    .map(|version| (reg, version))
}

/// Stores the current register with its controller section (controller, DPO, supervisory
/// authority, defaults) replaced by `controller`, as a new version. The result goes through
/// the same schema and checks as an import, so an edit cannot store what an import would refuse;
/// problems point at `/controller/...`. Audit event `register.controller-edited`.
pub fn update_controller(store: &mut Store, ctx: &Context, controller: &register::Controller) -> Result<Register> {
    let based_on = newest_version(store.conn())?;
    let Some(mut reg) = current(store)? else {
        return Err(InputError::new("register", "no register imported yet", "import the register first (Register screen, or dsar register import FILE)").into());
    };
    reg.controller = controller.clone();
    // Stored connector paths are absolute, so the base folder does not matter.
    let checked = register::parse(&register::to_json(&reg), Path::new("/"))?;
    let canonical = register::to_json(&checked);
    let sha = hex::encode(Sha256::digest(canonical.as_bytes()));
    store.write(|tx| {
        still_current(tx, based_on)?;
        tx.execute(
            "INSERT INTO register_versions (imported_at, source_name, sha256, json) VALUES (?1, ?2, ?3, ?4)",
            rusqlite::params![ctx.now.to_rfc3339(), "settings", sha, canonical],
        )?;
        let version = tx.last_insert_rowid();
        audit::append(tx, None, &ctx.actor, "register.controller-edited", &json!({"version": version, "sha256": sha, "dpo": checked.controller.dpo.is_some()}), ctx.now)?;
        Ok::<_, Error>(())
    })?;
    Ok(checked)
}

/// The current register, if one was imported.
pub fn current(store: &Store) -> Result<Option<Register>> {
    let text: Option<String> = store
        .conn()
        .query_row("SELECT json FROM register_versions ORDER BY id DESC LIMIT 1", [], |r| r.get(0))
        .optional()?;
    match text {
        // Stored paths are already absolute, so the base folder does not matter.
        Some(t) => Ok(Some(register::parse(&t, Path::new("/"))?)),
        None => Ok(None),
    }
}

/// The current register as `dsar-register` v1 JSON.
pub fn export(store: &Store) -> Result<String> {
    match current(store)? {
        Some(r) => Ok(register::to_json(&r)),
        None => Err(InputError::new("register", "no register imported yet", "run dsar register import FILE").into()),
    }
}

/// What a DPO edits of one system in the app: the human-facing fields, each in one language
/// (connector settings and secrets are left as they are).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SystemFields {
    /// Display name.
    pub name: String,
    /// `internal`, `processor` or `independent-controller`.
    pub role: String,
    /// Purposes of the processing.
    pub purposes: Vec<String>,
    /// Categories of personal data.
    pub data_categories: Vec<String>,
    /// Recipients or categories of recipients.
    pub recipients: Vec<String>,
    /// Legal basis codes, e.g. `art6-1-b`.
    pub legal_bases: Vec<String>,
    /// How long the data is kept, in words.
    pub retention: String,
    /// The same as an ISO 8601 period (e.g. `P3Y`), when there is one.
    pub retention_period: Option<String>,
    /// Where the data comes from.
    pub source: String,
}

/// The edited fields of system `id` in the current register, in the controller's language.
pub fn system_fields(store: &Store, id: &str) -> Result<SystemFields> {
    let reg = current(store)?.ok_or_else(no_register)?;
    let lang = reg.controller.language();
    let s = reg.system(id).ok_or_else(no_system)?;
    Ok(SystemFields {
        name: s.name.pick(lang, lang).to_string(),
        role: s.role.code().to_string(),
        purposes: s.purposes.pick(lang, lang).to_vec(),
        data_categories: s.data_categories.pick(lang, lang).to_vec(),
        recipients: s.recipients.names(lang, lang),
        legal_bases: s.legal_bases.iter().map(|b| b.code()).collect(),
        retention: s.retention.description.pick(lang, lang).to_string(),
        retention_period: s.retention.period.as_ref().map(ToString::to_string),
        source: s.source.pick(lang, lang).to_string(),
    })
}

/// Saves `fields` as system `id`'s new values (in the controller's language; other languages
/// of a localised text stay) as a new register version, through the same validation as an
/// import. Returns the version number.
pub fn edit_system(store: &mut Store, ctx: &Context, id: &str, fields: &SystemFields) -> Result<i64> {
    let (mut doc, lang, based_on) = current_doc(store)?;
    let system = systems_mut(&mut doc)?
        .iter_mut()
        .find(|s| s.get("id").and_then(Value::as_str) == Some(id))
        .ok_or_else(no_system)?;
    apply(system, fields, &lang);
    save_doc(store, ctx, &doc, "edited in the app", based_on)
}

/// Adds a system without a connector (searched by hand through `contact_email`) as a new
/// register version, validated as an import is. Returns the version number.
pub fn add_manual_system(store: &mut Store, ctx: &Context, id: &str, fields: &SystemFields, contact_email: &str) -> Result<i64> {
    let (mut doc, lang, based_on) = current_doc(store)?;
    let systems = systems_mut(&mut doc)?;
    if systems.iter().any(|s| s.get("id").and_then(Value::as_str) == Some(id)) {
        return Err(InputError::new("id", "a system with this id exists already", "choose another id, or edit that system").into());
    }
    let mut system = json!({
        "id": id,
        "transfers": [],
        "automated_decision_making": false,
        "connector": {"kind": "manual", "contact": {"email": contact_email.trim()}},
    });
    apply(&mut system, fields, &lang);
    systems.push(system);
    save_doc(store, ctx, &doc, "added in the app", based_on)
}

fn no_register() -> Error {
    InputError::new("register", "no register imported yet", "import the firm's register first").into()
}

fn no_system() -> Error {
    InputError::new("system", "no system with this id in the current register", "reload the register and choose a listed system").into()
}

/// The current register as JSON, with the language edits are made in and its version.
fn current_doc(store: &Store) -> Result<(Value, String, Option<i64>)> {
    let based_on = newest_version(store.conn())?;
    let reg = current(store)?.ok_or_else(no_register)?;
    let lang = reg.controller.language().code().to_string();
    let doc = serde_json::from_str(&register::to_json(&reg)).map_err(|_| crate::store::StoreError::Corrupt { what: "register_versions.json".into() })?;
    Ok((doc, lang, based_on))
}

fn systems_mut(doc: &mut Value) -> Result<&mut Vec<Value>> {
    doc.get_mut("systems")
        .and_then(Value::as_array_mut)
        .ok_or_else(|| crate::store::StoreError::Corrupt { what: "register_versions.json".into() }.into())
}

fn save_doc(store: &mut Store, ctx: &Context, doc: &Value, source_name: &str, based_on: Option<i64>) -> Result<i64> {
    let text = serde_json::to_string_pretty(doc).map_err(|_| crate::store::StoreError::Corrupt { what: "register_versions.json".into() })?;
    // Stored connector paths are absolute already, so the base folder does not matter.
    Ok(store_version(store, ctx, &text, Path::new("/"), source_name, Base::Edit(based_on))?.1)
}

/// Writes `fields` into a system's JSON. Text the user left empty is written empty, so the
/// validation reports it at its field instead of silently keeping the old value.
fn apply(system: &mut Value, f: &SystemFields, lang: &str) {
    let Some(obj) = system.as_object_mut() else { return };
    let trimmed = |v: &[String]| v.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).map(Value::from).collect::<Vec<_>>();
    set_text(obj.entry("name").or_insert(Value::Null), lang, Value::from(f.name.trim()));
    obj.insert("role".into(), Value::from(f.role.trim()));
    set_text(obj.entry("purposes").or_insert(Value::Null), lang, Value::Array(trimmed(&f.purposes)));
    set_text(obj.entry("data_categories").or_insert(Value::Null), lang, Value::Array(trimmed(&f.data_categories)));
    let recipients = keep_structured(obj.get("recipients"), &trimmed(&f.recipients));
    set_text(obj.entry("recipients").or_insert(Value::Null), lang, Value::Array(recipients));
    obj.insert("legal_bases".into(), Value::Array(trimmed(&f.legal_bases)));
    set_text(obj.entry("source").or_insert(Value::Null), lang, Value::from(f.source.trim()));
    let retention = obj.entry("retention").or_insert_with(|| json!({}));
    if let Some(r) = retention.as_object_mut() {
        set_text(r.entry("description").or_insert(Value::Null), lang, Value::from(f.retention.trim()));
        match f.retention_period.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
            Some(p) => r.insert("period".into(), Value::from(p)),
            None => r.remove("period"),
        };
    }
}

/// The form edits recipients as lines of text; a line that names a recipient written with its
/// country (or a category) keeps that entry, so editing the list does not drop the countries.
fn keep_structured(old: Option<&Value>, lines: &[Value]) -> Vec<Value> {
    let old: Vec<&Value> = old.and_then(Value::as_array).map(|a| a.iter().collect()).unwrap_or_default();
    let text_of = |v: &Value| -> Vec<String> {
        match v {
            Value::Object(o) => o
                .get("name")
                .map(|n| vec![n.as_str().unwrap_or_default().to_string()])
                .or_else(|| o.get("category").map(|c| match c {
                    Value::Object(per) => per.values().filter_map(Value::as_str).map(str::to_string).collect(),
                    other => vec![other.as_str().unwrap_or_default().to_string()],
                }))
                .unwrap_or_default(),
            _ => Vec::new(),
        }
    };
    lines
        .iter()
        .map(|line| {
            let t = line.as_str().unwrap_or_default();
            old.iter().find(|o| text_of(o).iter().any(|x| x == t)).map_or_else(|| line.clone(), |o| (*o).clone())
        })
        .collect()
}

/// A localised text (`{"de": …, "en": …}`) gets `value` in `lang` and keeps its other
/// languages; a plain one is replaced.
fn set_text(slot: &mut Value, lang: &str, value: Value) {
    match slot.as_object_mut() {
        Some(per_lang) => {
            per_lang.insert(lang.to_string(), value);
        }
        None => *slot = value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store_with(register: &str) -> (tempfile::TempDir, Store, Context) {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::create(&dir.path().join("t.db"), "correct horse battery").unwrap();
        let ctx = Context::now("test");
        let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/registers").join(register);
        import_file(&mut store, &ctx, &file).unwrap();
        (dir, store, ctx)
    }

    fn versions(store: &Store) -> i64 {
        store.conn().query_row("SELECT count(*) FROM register_versions", [], |r| r.get(0)).unwrap()
    }

    #[test]
    fn an_edit_becomes_a_new_version_and_keeps_the_connector() {
        let (_d, mut store, ctx) = store_with("jaimo.json");
        let before = current(&store).unwrap().unwrap();
        let mut f = system_fields(&store, "dashboard").unwrap();
        assert_eq!(f.name, "Stage Dashboard");
        f.purposes.push("Support".into());
        f.retention_period = Some("P2Y".into());
        let v = edit_system(&mut store, &ctx, "dashboard", &f).unwrap();
        assert_eq!(v, 2);
        assert_eq!(system_fields(&store, "dashboard").unwrap(), f);
        let after = current(&store).unwrap().unwrap();
        let (old, new) = (before.system("dashboard").unwrap(), after.system("dashboard").unwrap());
        assert_eq!(old.connector, new.connector);
        assert_eq!(before.systems.len(), after.systems.len());
    }

    #[test]
    fn editing_recipients_as_lines_keeps_the_countries_of_those_still_listed() {
        let (_d, mut store, ctx) = store_with("jaimo.json");
        let mut doc: Value = serde_json::from_str(crate::demo::REGISTER).unwrap();
        doc["systems"][1]["recipients"] = json!([{"name": "Slack Inc.", "country": "US"}, {"category": {"de": "IT-Dienstleister", "en": "IT service providers"}}]);
        import_text(&mut store, &ctx, &doc.to_string(), Path::new("/"), "jaimo-demo.json").unwrap();
        let mut f = system_fields(&store, "slack").unwrap();
        assert_eq!(f.recipients, ["Slack Inc.", "IT-Dienstleister"]);
        f.recipients.push("Kunz & Partner".into());
        edit_system(&mut store, &ctx, "slack", &f).unwrap();
        let reg = current(&store).unwrap().unwrap();
        let shown = reg.system("slack").unwrap().recipients.pick(crate::domain::Language::En, crate::domain::Language::De);
        assert_eq!(shown[0].country.as_deref(), Some("US"));
        assert_eq!((shown[1].text.as_str(), shown[1].category), ("IT service providers", true));
        assert_eq!((shown[2].text.as_str(), shown[2].country.as_deref()), ("Kunz & Partner", None));
    }

    #[test]
    fn an_invalid_edit_lists_every_problem_at_its_pointer_and_stores_nothing() {
        let (_d, mut store, ctx) = store_with("jaimo.json");
        let mut f = system_fields(&store, "dashboard").unwrap();
        f.purposes.clear();
        f.legal_bases = vec!["art99".into()];
        f.role = "friend".into();
        let e = edit_system(&mut store, &ctx, "dashboard", &f).unwrap_err();
        let Error::Register(r) = e else { panic!("{e}") };
        for field in ["purposes", "legal_bases/0", "role"] {
            assert!(r.problems.iter().any(|p| p.path == format!("/systems/0/{field}")), "{field} missing in {r}");
        }
        assert_eq!(versions(&store), 1);
    }

    #[test]
    fn a_manual_system_is_added_once_with_its_contact() {
        let (_d, mut store, ctx) = store_with("jaimo.json");
        let f = SystemFields {
            name: "Paper files".into(),
            role: "internal".into(),
            purposes: vec!["Contracts".into()],
            data_categories: vec!["Name".into()],
            legal_bases: vec!["art6-1-b".into()],
            retention: "Ten years".into(),
            source: "data-subject".into(),
            ..SystemFields::default()
        };
        add_manual_system(&mut store, &ctx, "paper", &f, "archive@example.com").unwrap();
        let reg = current(&store).unwrap().unwrap();
        let s = reg.system("paper").unwrap();
        assert_eq!(s.connector_kind().code(), "manual");
        let e = add_manual_system(&mut store, &ctx, "paper", &f, "archive@example.com").unwrap_err();
        assert!(e.to_string().contains("exists already"), "{e}");
        let e = add_manual_system(&mut store, &ctx, "paper2", &f, "not-an-address").unwrap_err();
        let Error::Register(r) = e else { panic!("{e}") };
        assert!(r.problems.iter().any(|p| p.path.ends_with("/connector/contact/email")), "{r}");
        assert_eq!(versions(&store), 2);
    }
}
