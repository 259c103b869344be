//! `dsar::bundle::verify` on hostile archives. Half the inputs are raw bytes (any zip, or
//! none); the other half are archives built here with the `zip` crate from arbitrary
//! entries — names with `..`, `/`, `\`, duplicates; stored, deflated or AES-256 entries — and
//! a `manifest.json` that is either arbitrary bytes or written to match the entries (sizes
//! and SHA-256 right) and then tampered with in one chosen way, so the checks behind the
//! manifest (paths, hashes, JSON and CSV record counts, totals) are reached too.
//! Every archive must give a manifest or a `BundleError`: no panic, no hang, no huge
//! allocation.
#![no_main]

use std::io::{Cursor, Write};

use arbitrary::Arbitrary;
use dsar::bundle::{self, Manifest, ManifestController, ManifestDataset, ManifestFile, ManifestSystem};
use libfuzzer_sys::fuzz_target;
use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;
use zip::{AesMode, CompressionMethod, ZipWriter};

const PASSWORD: &str = "correct horse";

#[derive(Debug, Arbitrary)]
struct Built<'a> {
    entries: Vec<Entry<'a>>,
    manifest: ManifestIn<'a>,
    /// AES-256 for every entry, and verify with (or without) the password.
    encrypt: bool,
    give_password: bool,
    wrong_password: bool,
}

#[derive(Debug, Arbitrary)]
struct Entry<'a> {
    name: Name<'a>,
    data: &'a [u8],
    deflate: bool,
    /// 0: a plain file; 1: a dataset's JSON; 2: its CSV.
    role: u8,
    /// Records the manifest states for a dataset (JSON role).
    records: u8,
}

#[derive(Debug, Arbitrary)]
enum Name<'a> {
    Data(u8),
    Fixed(u8),
    Any(&'a str),
}

#[derive(Debug, Arbitrary)]
enum ManifestIn<'a> {
    Raw(&'a [u8]),
    Matching { tamper: u8, value: u64, text: &'a str },
    Missing,
}

const FIXED: &[&str] = &[
    "index.html", "letter.pdf", "manifest.json", "../evil", "/abs", "a\\b", "data/./x.json", "data//x.csv",
    "data/crm/records.json", "data/crm/records.csv", "", "data/", "MANIFEST.JSON", "data/crm/records.json ",
];

fn name_of(n: &Name<'_>, i: usize, role: u8) -> String {
    match n {
        Name::Data(k) => format!("data/s{}/d{i}.{}", k % 4, if role % 3 == 2 { "csv" } else { "json" }),
        Name::Fixed(k) => FIXED[usize::from(*k) % FIXED.len()].to_string(),
        Name::Any(s) => s.to_string(),
    }
}

fn build(b: &Built<'_>) -> Option<Vec<u8>> {
    let entries: Vec<(String, &Entry<'_>)> = b.entries.iter().take(12).enumerate().map(|(i, e)| (name_of(&e.name, i, e.role), e)).collect();
    let options = |deflate: bool| {
        let o = SimpleFileOptions::default().compression_method(if deflate { CompressionMethod::Deflated } else { CompressionMethod::Stored });
        if b.encrypt {
            o.with_aes_encryption(AesMode::Aes256, PASSWORD)
        } else {
            o
        }
    };
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, e) in &entries {
        // The writer refuses some names (duplicates): such an entry is left out.
        if zip.start_file(name.as_str(), options(e.deflate)).is_ok() {
            zip.write_all(e.data).ok()?;
        }
    }
    let manifest_bytes: Option<Vec<u8>> = match &b.manifest {
        ManifestIn::Missing => None,
        ManifestIn::Raw(bytes) => Some(bytes.to_vec()),
        ManifestIn::Matching { tamper, value, text } => Some(matching_manifest(&entries, *tamper, *value, text, b.encrypt)),
    };
    if let Some(m) = manifest_bytes {
        if zip.start_file("manifest.json", options(true)).is_ok() {
            zip.write_all(&m).ok()?;
        }
    }
    Some(zip.finish().ok()?.into_inner())
}

/// A manifest that matches the entries, then changed in the one way `tamper` picks.
fn matching_manifest(entries: &[(String, &Entry<'_>)], tamper: u8, value: u64, text: &str, encrypted: bool) -> Vec<u8> {
    let mut files: Vec<ManifestFile> = entries
        .iter()
        .filter(|(name, _)| name != "manifest.json")
        .map(|(name, e)| ManifestFile {
            path: name.clone(),
            bytes: e.data.len() as u64,
            sha256: hex::encode(Sha256::digest(e.data)),
            media_type: "application/octet-stream".into(),
        })
        .collect();
    // Each dataset pairs a JSON entry with the next CSV entry.
    let mut datasets = Vec::new();
    let mut pending: Option<(String, u64)> = None;
    for (name, e) in entries {
        match e.role % 3 {
            1 => pending = Some((name.clone(), u64::from(e.records))),
            2 => {
                if let Some((json, records)) = pending.take() {
                    datasets.push(ManifestDataset { name: "records".into(), records, json, csv: name.clone() });
                }
            }
            _ => {}
        }
    }
    let records: u64 = datasets.iter().map(|d| d.records).sum();
    let mut systems = vec![ManifestSystem {
        id: "crm".into(),
        name: "CRM".into(),
        status: "ok".into(),
        records,
        files: datasets.iter().flat_map(|d| [d.json.clone(), d.csv.clone()]).collect(),
        datasets,
    }];
    let mut m = Manifest {
        format: bundle::FORMAT.into(),
        version: bundle::VERSION,
        reference: "DSAR-2026-0042".into(),
        rights: vec!["access".into()],
        language: "en".into(),
        controller: ManifestController { name: "Beispiel GmbH".into(), address: vec![], email: "privacy@beispiel.example".into(), phone: None },
        generated_at: "2026-11-21T10:00:00Z".into(),
        encrypted,
        records,
        systems: Vec::new(),
        files: Vec::new(),
    };
    let pick = |n: usize| if n == 0 { 0 } else { (value as usize) % n };
    match tamper % 12 {
        0 => {}
        1 if !files.is_empty() => { let i = pick(files.len()); files[i].bytes = value; }
        2 if !files.is_empty() => { let i = pick(files.len()); files[i].sha256 = text.to_string(); }
        3 if !files.is_empty() => { let i = pick(files.len()); files[i].path = text.to_string(); }
        4 if !files.is_empty() => { let i = pick(files.len()); let f = files[i].clone(); files.push(f); }
        5 if !files.is_empty() => { files.remove(pick(files.len())); }
        6 => m.records = value,
        7 => systems[0].records = value,
        8 => { if let Some(d) = systems[0].datasets.first_mut() { d.records = value; } }
        9 => m.format = text.to_string(),
        10 => m.version = value as u32,
        11 => { if let Some(d) = systems[0].datasets.first_mut() { d.json = text.to_string(); } }
        _ => {}
    }
    m.systems = systems;
    m.files = files;
    serde_json::to_vec(&m).expect("manifest serialises")
}

// Input: one byte — even: the rest is the archive (bit 1: verify with the password); odd:
// the rest is read with `arbitrary` as a [`Built`] archive description.
fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let (bytes, password) = match mode & 1 {
        0 => (rest.to_vec(), (mode & 2 != 0).then_some(PASSWORD)),
        _ => {
            let Ok(b) = Built::arbitrary_take_rest(arbitrary::Unstructured::new(rest)) else { return };
            let Some(bytes) = build(&b) else { return };
            let password = match (b.give_password, b.wrong_password) {
                (false, _) => None,
                (true, false) => Some(PASSWORD),
                (true, true) => Some("wrong"),
            };
            (bytes, password)
        }
    };
    let path = dsar_fuzz::scratch_file("bundle.zip", &bytes);
    match bundle::verify(&path, password) {
        Ok(manifest) => {
            // What verify accepted is consistent: every listed path is safe.
            for f in &manifest.files {
                assert!(!f.path.starts_with('/') && !f.path.split('/').any(|s| s == ".."), "unsafe path accepted");
            }
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
