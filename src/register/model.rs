//! The register itself: the controller and its systems, typed as the `dsar-register` v1 file
//! format (this is the file format, so these types are serialisable on purpose).

use std::collections::BTreeSet;
use std::fmt::Display;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::connector::{Connector, ConnectorKind};
use super::legal::{LegalBasis, Role, Safeguard};
use super::period::Period;
use super::secret::secret_refs;
use super::recipients::Recipients;
use super::text::{Text, TextList};
use crate::deadline::{Jurisdiction, Region};
use crate::domain::Language;

/// The record of processing: who the controller is and which systems hold personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Register {
    /// The controller.
    pub controller: Controller,
    /// Its systems, in file order.
    pub systems: Vec<System>,
}

impl Register {
    /// The system with this id.
    pub fn system(&self, id: &str) -> Option<&System> {
        self.systems.iter().find(|s| s.id == id)
    }

    /// Every secret name referenced anywhere as `{secret:NAME}`, sorted, without repeats.
    pub fn secret_names(&self) -> BTreeSet<String> {
        let mut names = BTreeSet::new();
        if let Ok(v) = serde_json::to_value(self) {
            collect_secrets(&v, &mut names);
        }
        names
    }
}

impl System {
    /// The secret names this system's connector refers to as `{secret:NAME}`.
    pub fn secret_names(&self) -> BTreeSet<String> {
        let mut names = BTreeSet::new();
        if let Ok(v) = serde_json::to_value(self) {
            collect_secrets(&v, &mut names);
        }
        names
    }
}

fn collect_secrets(v: &serde_json::Value, out: &mut BTreeSet<String>) {
    match v {
        serde_json::Value::String(s) => {
            // Import rejects malformed references, so an error here means none to collect.
            for (_, name) in secret_refs(s).unwrap_or_default() {
                out.insert(name.to_string());
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|i| collect_secrets(i, out)),
        serde_json::Value::Object(map) => map.values().for_each(|i| collect_secrets(i, out)),
        _ => {}
    }
}

/// The firm responsible for the processing, and the defaults for its cases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Controller {
    /// Legal name.
    pub name: String,
    /// Postal address lines.
    pub address: Vec<String>,
    /// Contact e-mail for data protection requests.
    pub email: String,
    /// Telephone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// ISO 3166-1 alpha-2 country (default country for phone numbers).
    pub country: String,
    /// Default holiday calendar for deadlines.
    #[serde(with = "as_code")]
    pub region: Region,
    /// Default language of letters.
    #[serde(with = "as_code")]
    pub language: Language,
    /// Default law for deadlines; covers `region`.
    #[serde(with = "as_code")]
    pub jurisdiction: Jurisdiction,
    /// Data protection officer, if one is appointed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dpo: Option<Dpo>,
    /// The authority a subject may complain to (Art. 15(1)(f)).
    pub supervisory_authority: SupervisoryAuthority,
    /// A public body: in the Netherlands its decisions are Awb besluiten (art. 34 UAVG),
    /// challenged by bezwaar rather than the civil petition of art. 35 UAVG.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub public_body: bool,
    /// Who signs letters for the controller (the DPO stays the contact).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signatory: Option<Signatory>,
}

/// The person who signs letters for the controller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signatory {
    /// Their name.
    pub name: String,
    /// Their role, per language (e.g. {"de": "Geschäftsführerin", "en": "Managing Director"}).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Text>,
}

impl Controller {
    /// Default holiday calendar.
    pub fn region(&self) -> Region {
        self.region
    }

    /// Default law.
    pub fn jurisdiction(&self) -> Jurisdiction {
        self.jurisdiction
    }

    /// Default language.
    pub fn language(&self) -> Language {
        self.language
    }
}

/// The data protection officer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dpo {
    /// Name (a person or a firm).
    pub name: String,
    /// E-mail.
    pub email: String,
    /// Postal address lines.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Vec<String>>,
    /// Telephone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

/// The competent supervisory authority.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupervisoryAuthority {
    /// Name.
    pub name: String,
    /// Postal address lines.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Vec<String>>,
    /// E-mail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Web site.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// One system (processing activity) in the register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct System {
    /// Stable id (`^[a-z0-9][a-z0-9_-]*$`), unique in the register.
    pub id: String,
    /// Display name.
    pub name: Text,
    /// Who runs it.
    pub role: Role,
    /// The vendor, for processors and external tools.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor: Option<Vendor>,
    /// Purposes of the processing (Art. 15(1)(a)).
    pub purposes: TextList,
    /// Categories of personal data (Art. 15(1)(b)).
    pub data_categories: TextList,
    /// Legal bases.
    pub legal_bases: Vec<LegalBasis>,
    /// Which purpose rests on which basis, where the system has several of each.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub purpose_bases: Vec<PurposeBasis>,
    /// The legitimate interest pursued, where a basis is Art. 6(1)(f) (Art. 13(1)(d)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legitimate_interest: Option<Text>,
    /// How long data is kept (Art. 15(1)(d)).
    pub retention: Retention,
    /// Retention duties that block erasure (then restriction instead).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub statutory_retention: Vec<StatutoryRetention>,
    /// Recipients, named with their country, or categories of recipients (Art. 15(1)(c)).
    pub recipients: Recipients,
    /// The register says explicitly that nobody outside the firm receives the data (an empty
    /// `recipients` alone does not: letters say "none" only on this word).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub no_recipients: bool,
    /// Transfers to third countries (Art. 15(2)).
    pub transfers: Vec<Transfer>,
    /// Where the data comes from (Art. 15(1)(g)), e.g. `data-subject`, `automatic`.
    pub source: Text,
    /// Whether automated decision-making incl. profiling takes place (Art. 22).
    pub automated_decision_making: bool,
    /// The logic involved; present when `automated_decision_making` is true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logic: Option<Text>,
    /// The significance and envisaged consequences of automated decisions for the subject
    /// (Art. 15(1)(h)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub significance: Option<Text>,
    /// How to search it; absent means manual.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connector: Option<Connector>,
}

impl System {
    /// The connector's kind; `manual` when there is no connector.
    pub fn connector_kind(&self) -> ConnectorKind {
        self.connector
            .as_ref()
            .map_or(ConnectorKind::Manual, Connector::kind)
    }
}

/// A purpose with the legal bases it rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurposeBasis {
    /// The purpose, per language.
    pub purpose: Text,
    /// Its bases (each one of the system's `legal_bases`).
    pub legal_bases: Vec<LegalBasis>,
}

/// A system's vendor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vendor {
    /// Legal name.
    pub name: String,
    /// Address, one line or several.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
    /// ISO 3166-1 alpha-2 country.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

/// An address written as one line or as a list of lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Address {
    /// `"Alt-Moabit 2, 10557 Berlin"`.
    Line(String),
    /// `["Alt-Moabit 2", "10557 Berlin"]`.
    Lines(Vec<String>),
}

impl Address {
    /// The lines (one for a one-line address).
    pub fn lines(&self) -> Vec<&str> {
        match self {
            Address::Line(l) => vec![l.as_str()],
            Address::Lines(ls) => ls.iter().map(String::as_str).collect(),
        }
    }
}

/// How long a system keeps data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Retention {
    /// In words, for letters.
    pub description: Text,
    /// As a duration, when there is a fixed one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
}

/// A legal duty to keep some of a system's data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatutoryRetention {
    /// The law, e.g. `HGB § 257, AO § 147`.
    pub law: Text,
    /// What it applies to, e.g. invoices.
    pub applies_to: Text,
    /// How long.
    pub period: Period,
    /// The statements (by name) the duty covers; empty: the whole system.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub datasets: Vec<String>,
}

/// A transfer to a third country.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transfer {
    /// ISO 3166-1 alpha-2 country.
    pub country: String,
    /// The instrument relied on.
    pub safeguard: Safeguard,
    /// Details for the letter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
}

/// Serde through a type's code: `Display` out, `FromStr` in.
mod as_code {
    use super::*;

    pub fn serialize<T: Display, S: Serializer>(value: &T, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(value)
    }

    pub fn deserialize<'de, T, D>(d: D) -> Result<T, D::Error>
    where
        T: FromStr,
        T::Err: Display,
        D: Deserializer<'de>,
    {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}
