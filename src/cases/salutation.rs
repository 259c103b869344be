//! A formal salutation for the subject. Letters greet neutrally by default ("Guten Tag Erika
//! Muster"), which never guesses a gender; the DPO may set the form the subject uses
//! ("Sehr geehrte Frau Muster") with the family name as it is to be written (Dutch names keep
//! their tussenvoegsel: "mevrouw Van der Berg").

use rusqlite::{params, Connection, OptionalExtension};
use serde_json::json;

use super::Context;
use crate::audit;
use crate::domain::{Language, SalutationForm};
use crate::error::{Error, InputError, Result};
use crate::store::{Store, StoreError};

/// The salutation a case has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Salutation {
    /// Ms or Mr.
    pub form: SalutationForm,
    /// The family name as it follows the form.
    pub family_name: String,
}

impl Salutation {
    /// The greeting line, without its comma.
    pub fn greeting(&self, lang: Language) -> String {
        let name = self.family_name.as_str();
        match (lang, self.form) {
            (Language::De, SalutationForm::Ms) => format!("Sehr geehrte Frau {name}"),
            (Language::De, SalutationForm::Mr) => format!("Sehr geehrter Herr {name}"),
            (Language::En, SalutationForm::Ms) => format!("Dear Ms {name}"),
            (Language::En, SalutationForm::Mr) => format!("Dear Mr {name}"),
            // Without a first name in front, a Dutch tussenvoegsel takes a capital.
            (Language::Nl, SalutationForm::Ms) => format!("Geachte mevrouw {}", capitalised(name)),
            (Language::Nl, SalutationForm::Mr) => format!("Geachte heer {}", capitalised(name)),
        }
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// The neutral greeting of a person by their full name.
pub fn neutral(name: &str, lang: Language) -> String {
    match lang {
        Language::De => format!("Guten Tag {name}"),
        Language::En => format!("Dear {name}"),
        Language::Nl => format!("Geachte {name}"),
    }
}

/// The case's salutation, if set.
pub fn load(conn: &Connection, case_id: &str) -> Result<Option<Salutation>> {
    let row: Option<(String, String)> =
        conn.query_row("SELECT form, family_name FROM salutations WHERE case_id = ?1", [case_id], |r| Ok((r.get(0)?, r.get(1)?))).optional()?;
    row.map(|(form, family_name)| {
        let form = form.parse().map_err(|_| Error::Store(StoreError::Corrupt { what: "salutations.form".into() }))?;
        Ok(Salutation { form, family_name })
    })
    .transpose()
}

/// Sets (or with `None` removes) the case's salutation. Without `family_name` the last word
/// of the subject's name is taken.
pub fn set(store: &mut Store, ctx: &Context, reference: &str, form: Option<SalutationForm>, family_name: Option<&str>) -> Result<Option<Salutation>> {
    let case = super::get(store, reference)?;
    let salutation = match form {
        None => None,
        Some(form) => {
            let family_name = match family_name.map(str::trim).filter(|n| !n.is_empty()) {
                Some(n) => n.to_string(),
                None => case.subject.name.split_whitespace().last().unwrap_or_default().to_string(),
            };
            if family_name.is_empty() || family_name.chars().any(char::is_control) {
                return Err(InputError::new("--family-name", "is empty or has control characters", "write the family name as the salutation should print it").into());
            }
            Some(Salutation { form, family_name })
        }
    };
    store.write(|tx| {
        match &salutation {
            Some(s) => tx.execute(
                "INSERT INTO salutations (case_id, form, family_name) VALUES (?1, ?2, ?3)
                 ON CONFLICT (case_id) DO UPDATE SET form = excluded.form, family_name = excluded.family_name",
                params![case.id, s.form.code(), s.family_name],
            )?,
            None => tx.execute("DELETE FROM salutations WHERE case_id = ?1", [&case.id])?,
        };
        // The form only: the name is the subject's.
        let details = json!({"reference": case.reference.to_string(), "form": salutation.as_ref().map(|s| s.form.code())});
        audit::append(tx, Some(&case.id), &ctx.actor, "case.salutation-set", &details, ctx.now)?;
        Ok::<_, Error>(())
    })?;
    Ok(salutation)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn greetings_read_as_each_language_writes_them() {
        let ms = Salutation { form: SalutationForm::Ms, family_name: "van der Berg".into() };
        assert_eq!(ms.greeting(Language::De), "Sehr geehrte Frau van der Berg");
        assert_eq!(ms.greeting(Language::Nl), "Geachte mevrouw Van der Berg");
        let mr = Salutation { form: SalutationForm::Mr, family_name: "Muster".into() };
        assert_eq!(mr.greeting(Language::De), "Sehr geehrter Herr Muster");
        assert_eq!(mr.greeting(Language::En), "Dear Mr Muster");
        assert_eq!(neutral("Erika Muster", Language::De), "Guten Tag Erika Muster");
    }
}
