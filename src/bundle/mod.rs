//! The export bundle (SPEC §6): one `.zip` with the subject's data per system and dataset as
//! JSON and CSV, the letter PDF, a plain-words `index.html` and a `manifest.json` with the size
//! and SHA-256 of every file — optionally AES-256 encrypted. [`verify`] checks one.
//!
//! Entries are streamed: every record is serialised straight into the compressor and hashed
//! on the way, so a bundle of a million records never holds its JSON or CSV as one string.

mod dataset;
mod export;
mod index;
mod manifest;
pub mod names;
mod pipeline;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Datelike, Timelike, Utc};
use serde_json::Value;
use zip::write::{FileOptions, SimpleFileOptions};
use zip::{AesMode, CompressionMethod, ZipArchive, ZipWriter};

use crate::cases::Case;
use crate::connectors::Cancel;
use crate::evidence::{Evidence, SystemResult};
use crate::register::Register;

pub use export::{export, export_watched, Exported, LETTER_KINDS};
pub use manifest::{Manifest, ManifestController, ManifestDataset, ManifestFile, ManifestSystem, FORMAT, VERSION};
use names::{component, PersonalWords, UniqueNames};

/// Shortest password accepted for an encrypted bundle: AES-256 is only as strong as the
/// password the subject receives.
pub const MIN_PASSWORD: usize = 10;

/// Deflate level. 1 keeps a million-record export close to `zip -1` in time while CSV and
/// JSON still shrink to a fraction (measured in `benches/bundle.rs`).
const DEFLATE_LEVEL: i64 = 1;

/// How far an export is: sent after every data file, so a large export shows a moving bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportProgress {
    /// Records written so far.
    pub records_done: u64,
    /// Records the bundle will hold.
    pub records_total: u64,
}

/// Receives [`ExportProgress`] from the thread building the bundle.
pub type ProgressFn = Arc<dyn Fn(ExportProgress) + Send + Sync>;

/// How to build a bundle.
#[derive(Clone)]
pub struct BundleOptions {
    /// Encrypt every entry with AES-256 under this password (handed to the subject separately).
    pub password: Option<String>,
    /// The moment recorded in the manifest and as every entry's date.
    pub generated_at: DateTime<Utc>,
    /// Told after every data file (the desktop app's progress bar).
    pub progress: Option<ProgressFn>,
    /// Checked before every data file: once set, the export stops and writes nothing.
    pub cancel: Option<Cancel>,
}

impl std::fmt::Debug for BundleOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BundleOptions")
            .field("password", &self.password.as_ref().map(|_| "<hidden>"))
            .field("generated_at", &self.generated_at)
            .field("progress", &self.progress.is_some())
            .field("cancel", &self.cancel.as_ref().map(Cancel::is_cancelled))
            .finish()
    }
}

/// Why a bundle could not be written or does not check out. Messages name archive paths
/// (sanitised, free of the subject's name) but never record content or the password.
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    /// The password is too short.
    #[error("password: shorter than {min} characters — use a longer one (a passphrase of several words is easy to pass on by phone)")]
    WeakPassword {
        /// Minimum length.
        min: usize,
    },
    /// Writing the archive failed (disk full, folder not writable).
    #[error("cannot write the bundle: {0} — check free disk space and that the folder is writable")]
    Write(#[source] io::Error),
    /// The chosen file is the desk's own database.
    #[error(transparent)]
    Target(#[from] crate::output::OutputError),
    /// The output file could not be created or moved into place.
    #[error("cannot write {path}: {source} — check the folder exists and is writable")]
    Output {
        /// The file.
        path: PathBuf,
        /// Cause.
        source: io::Error,
    },
    /// The zip library refused an entry (a bug, not the user's input).
    #[error("cannot build the zip archive: {0}")]
    Zip(String),
    /// The index page could not be rendered (a bug in the template or its texts).
    #[error("cannot render index.html: {0}")]
    Template(String),
    /// The bundle date cannot be stored in a zip (years 1980–2107 only).
    #[error("the bundle date {0} cannot be stored in a zip archive (1980–2107): check the system clock")]
    Date(String),
    /// The file to verify cannot be read.
    #[error("cannot read {path}: {source} — check the path")]
    Open {
        /// The file.
        path: PathBuf,
        /// Cause.
        source: io::Error,
    },
    /// The archive is encrypted and no password, or a wrong one, was given.
    #[error("the bundle is encrypted and the password is missing or wrong: give the password the bundle was exported with")]
    Password,
    /// The file is not a DSAR bundle.
    #[error("not a DSAR bundle: {0} — check you picked the exported .zip")]
    NotABundle(String),
    /// A file differs from what the manifest says.
    #[error("{path} in the bundle does not match the manifest ({what}): the bundle was changed or damaged — export it again")]
    Mismatch {
        /// Archive path.
        path: String,
        /// What differs.
        what: String,
    },
    /// No register to name the systems and the controller.
    #[error("no register imported: run `dsar register import FILE` before exporting")]
    NoRegister,
    /// The user stopped the export; no file was left behind.
    #[error("the export was cancelled: no file was written — export again when ready")]
    Cancelled,
    /// Loading the case, its evidence or storing the document failed.
    #[error(transparent)]
    Core(#[from] crate::Error),
}

impl BundleError {
    /// Whether the user can fix this (exit code 1) rather than a fault of the program (2).
    pub fn is_user_error(&self) -> bool {
        match self {
            BundleError::Zip(_) | BundleError::Template(_) => false,
            BundleError::Core(e) => e.is_user_error(),
            _ => true,
        }
    }
}

impl From<crate::store::StoreError> for BundleError {
    fn from(e: crate::store::StoreError) -> BundleError {
        BundleError::Core(e.into())
    }
}

impl From<zip::result::ZipError> for BundleError {
    fn from(e: zip::result::ZipError) -> BundleError {
        match e {
            zip::result::ZipError::Io(io) => BundleError::Write(io),
            other => BundleError::Zip(other.to_string()),
        }
    }
}

fn zip_date(at: &DateTime<Utc>) -> Result<zip::DateTime, BundleError> {
    let bad = || BundleError::Date(at.to_rfc3339());
    let year = u16::try_from(at.year()).map_err(|_| bad())?;
    // Zip dates have no zone; UTC keeps a bundle identical wherever it is made.
    zip::DateTime::from_date_and_time(
        year,
        u8::try_from(at.month()).map_err(|_| bad())?,
        u8::try_from(at.day()).map_err(|_| bad())?,
        u8::try_from(at.hour()).map_err(|_| bad())?,
        u8::try_from(at.minute()).map_err(|_| bad())?,
        u8::try_from(at.second()).map_err(|_| bad())?,
    )
    .map_err(|_| bad())
}

/// One dataset of one system, with its records in the order found.
struct Group<'a> {
    name: &'a str,
    records: Vec<&'a Value>,
}

/// Groups evidence by system and dataset; datasets sorted by name for a stable archive.
fn group(evidence: &[Evidence]) -> BTreeMap<&str, Vec<Group<'_>>> {
    let mut by: BTreeMap<&str, BTreeMap<&str, Vec<&Value>>> = BTreeMap::new();
    // Evidence arrives sorted by system and dataset: collect runs, look up once per run.
    let mut run: Option<(&str, &str, Vec<&Value>)> = None;
    for e in evidence {
        match &mut run {
            Some((sys, ds, records)) if *sys == e.system_id && *ds == e.dataset => records.push(&e.record),
            _ => {
                if let Some((sys, ds, records)) = run.take() {
                    by.entry(sys).or_default().entry(ds).or_default().extend(records);
                }
                run = Some((e.system_id.as_str(), e.dataset.as_str(), vec![&e.record]));
            }
        }
    }
    if let Some((sys, ds, records)) = run {
        by.entry(sys).or_default().entry(ds).or_default().extend(records);
    }
    by.into_iter()
        .map(|(sys, ds)| (sys, ds.into_iter().map(|(name, records)| Group { name, records }).collect()))
        .collect()
}

/// A safe, unique name for a folder or file stem; a neutral `fallback-N` when the raw name
/// would reveal whose bundle it is.
fn safe_stem(raw: &str, fallback: &str, n: usize, personal: &PersonalWords, taken: &mut UniqueNames) -> String {
    let mut stem = component(raw, fallback);
    if personal.found_in(raw) || personal.found_in(&stem) {
        stem = format!("{fallback}-{n}");
    }
    taken.claim(&stem)
}

/// Writes one entry from a closure that streams its bytes (on a second thread, see
/// `pipeline`), and returns its manifest line.
fn entry<W: Write + Seek>(
    zip: &mut ZipWriter<W>,
    path: &str,
    media_type: &str,
    options: FileOptions<'_, 'static, ()>,
    body: impl FnOnce(&mut pipeline::Chunks) -> io::Result<()> + Send,
) -> Result<ManifestFile, BundleError> {
    zip.start_file(path, options)?;
    let mut digesting = dataset::Digesting::new(&mut *zip);
    pipeline::stream(&mut digesting, body).map_err(BundleError::Write)?;
    let (bytes, sha256) = digesting.finish();
    Ok(ManifestFile { path: path.to_string(), bytes, sha256, media_type: media_type.to_string() })
}

fn csv_io(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => io,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// Writes the bundle for `case` into `out` and returns its manifest.
///
/// Every system of the register is listed (with its pull status from `results`, or
/// `not-searched`), followed by any system evidence came from that the register no longer
/// has. `letter_pdf` is `(file name, bytes)` of the answer letter to include.
pub fn build(
    case: &Case,
    register: &Register,
    evidence: &[Evidence],
    results: &[SystemResult],
    letter_pdf: Option<(&str, &[u8])>,
    options: &BundleOptions,
    out: &mut (impl Write + Seek),
) -> Result<Manifest, BundleError> {
    if let Some(p) = &options.password {
        if p.chars().count() < MIN_PASSWORD {
            return Err(BundleError::WeakPassword { min: MIN_PASSWORD });
        }
    }
    let lang = case.language;
    let controller_lang = register.controller.language();
    let personal = PersonalWords::new(&case.subject.name, case.subject.identifiers.iter().map(|i| i.value.as_str()));
    let mut groups = group(evidence);
    let records_total = evidence.len() as u64;
    let mut records_done = 0u64;
    let tell = |records_done: u64| {
        if let Some(p) = &options.progress {
            p(ExportProgress { records_done, records_total });
        }
    };
    let cancelled = || options.cancel.as_ref().is_some_and(Cancel::is_cancelled);
    tell(0);
    let status: HashMap<&str, &str> = results.iter().map(|r| (r.system_id.as_str(), r.status.code())).collect();

    let mut base = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(DEFLATE_LEVEL))
        .last_modified_time(zip_date(&options.generated_at)?)
        .unix_permissions(0o644);
    if let Some(p) = &options.password {
        base = base.with_aes_encryption(AesMode::Aes256, p.as_str());
    }
    // Data files may pass 4 GiB; zip64 headers cost 20 bytes and every current unzip reads them.
    let data_opts = base.large_file(true);

    let mut zip = ZipWriter::new(out);
    let mut files = Vec::new();
    let mut systems = Vec::new();
    let mut folders = UniqueNames::new();

    let mut order: Vec<(&str, String)> =
        register.systems.iter().map(|s| (s.id.as_str(), s.name.pick(lang, controller_lang).to_string())).collect();
    let known: HashSet<&str> = order.iter().map(|(id, _)| *id).collect();
    let extra: Vec<&str> = groups.keys().copied().filter(|id| !known.contains(id)).collect();
    order.extend(extra.into_iter().map(|id| (id, id.to_string())));

    for (n, (id, name)) in order.into_iter().enumerate() {
        let datasets = groups.remove(id).unwrap_or_default();
        let mut sys = ManifestSystem {
            id: id.to_string(),
            name,
            status: status.get(id).copied().unwrap_or("not-searched").to_string(),
            records: 0,
            files: vec![],
            datasets: vec![],
        };
        if !datasets.is_empty() {
            let folder = safe_stem(id, "system", n + 1, &personal, &mut folders);
            let mut stems = UniqueNames::new();
            for (k, g) in datasets.iter().enumerate() {
                if cancelled() {
                    return Err(BundleError::Cancelled);
                }
                let stem = safe_stem(g.name, "dataset", k + 1, &personal, &mut stems);
                let json_path = format!("data/{folder}/{stem}.json");
                let csv_path = format!("data/{folder}/{stem}.csv");
                let mut columns = dataset::Columns::default();
                files.push(entry(&mut zip, &json_path, "application/json", data_opts, |w| dataset::write_json(w, &g.records, &mut columns))?);
                let cols = columns.finish();
                files.push(entry(&mut zip, &csv_path, "text/csv", data_opts, |w| {
                    dataset::write_csv(w, &g.records, &cols).map_err(csv_io)
                })?);
                let count = g.records.len() as u64;
                records_done += count;
                tell(records_done);
                sys.records += count;
                sys.files.push(json_path.clone());
                sys.files.push(csv_path.clone());
                sys.datasets.push(ManifestDataset { name: g.name.to_string(), records: count, json: json_path, csv: csv_path });
            }
        }
        systems.push(sys);
    }

    let mut root = UniqueNames::new();
    for fixed in ["index", "manifest", "data"] {
        root.reserve(fixed);
    }
    let letter_path = match letter_pdf {
        Some((file_name, bytes)) => {
            let raw = file_name.strip_suffix(".pdf").or_else(|| file_name.strip_suffix(".PDF")).unwrap_or(file_name);
            let path = format!("{}.pdf", safe_stem(raw, "letter", 1, &personal, &mut root));
            files.push(entry(&mut zip, &path, "application/pdf", base, |w| w.write_all(bytes))?);
            Some(path)
        }
        None => None,
    };

    let c = &register.controller;
    let mut manifest = Manifest {
        format: FORMAT.to_string(),
        version: VERSION,
        reference: case.reference.to_string(),
        rights: case.rights.iter().map(|r| r.code().to_string()).collect(),
        language: lang.code().to_string(),
        controller: ManifestController { name: c.name.clone(), address: c.address.clone(), email: c.email.clone(), phone: c.phone.clone() },
        generated_at: options.generated_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        encrypted: options.password.is_some(),
        records: systems.iter().map(|s| s.records).sum(),
        systems,
        files,
    };
    let html = index::render(&manifest, lang, &options.generated_at, letter_path.as_deref())?;
    let index_file = entry(&mut zip, "index.html", "text/html", base, |w| w.write_all(html.as_bytes()))?;
    manifest.files.push(index_file);
    let text = serde_json::to_vec_pretty(&manifest).map_err(|e| BundleError::Zip(e.to_string()))?;
    entry(&mut zip, "manifest.json", "application/json", base, |w| {
        w.write_all(&text)?;
        w.write_all(b"\n")
    })?;
    zip.finish()?;
    Ok(manifest)
}

/// A reader that hashes and counts what is read through it.
struct Tee<R> {
    inner: R,
    hasher: sha2::Sha256,
    bytes: u64,
    /// Where the current CSV record began (`u64::MAX`: no record is being read). One record
    /// may not run on for more than [`MAX_RECORD_BYTES`]: the CSV reader would hold it whole,
    /// and a zip bomb makes one field of any size.
    record_start: std::rc::Rc<std::cell::Cell<u64>>,
}

/// The largest `manifest.json` read.
const MAX_MANIFEST_BYTES: u64 = 64 << 20;
/// The longest CSV record read while counting records.
const MAX_RECORD_BYTES: u64 = 64 << 20;

impl<R: Read> Read for Tee<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        use sha2::Digest;
        let start = self.record_start.get();
        if start != u64::MAX && self.bytes.saturating_sub(start) > MAX_RECORD_BYTES {
            return Err(io::Error::other(format!("a CSV record longer than {} MiB", MAX_RECORD_BYTES >> 20)));
        }
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
}

fn is_safe_path(p: &str) -> bool {
    !p.is_empty()
        && !p.starts_with('/')
        && !p.contains('\\')
        && p.split('/').all(|seg| !seg.is_empty() && seg != "." && seg != ".." && component(seg, "") == seg)
}

/// Opens the bundle at `zip_path` and checks it against its manifest: every file present with
/// the stated size and SHA-256, nothing else in the archive, every path safe, each dataset's
/// JSON and CSV holding the stated number of records, and the counts adding up.
pub fn verify(zip_path: &Path, password: Option<&str>) -> Result<Manifest, BundleError> {
    use sha2::Digest;
    let open_err = |source| BundleError::Open { path: zip_path.to_path_buf(), source };
    let file = std::fs::File::open(zip_path).map_err(open_err)?;
    let mut zip = ZipArchive::new(io::BufReader::new(file)).map_err(|e| BundleError::NotABundle(format!("not a zip archive ({e})")))?;

    fn open_entry<'z, R: Read + Seek>(
        zip: &'z mut ZipArchive<R>,
        name: &str,
        password: Option<&str>,
    ) -> Result<zip::read::ZipFile<'z, R>, BundleError> {
        let r = match password {
            Some(p) => zip.by_name_decrypt(name, p.as_bytes()),
            None => zip.by_name(name),
        };
        r.map_err(|e| match e {
            zip::result::ZipError::InvalidPassword => BundleError::Password,
            zip::result::ZipError::UnsupportedArchive(m) if m == zip::result::ZipError::PASSWORD_REQUIRED => BundleError::Password,
            zip::result::ZipError::FileNotFound => {
                BundleError::Mismatch { path: name.to_string(), what: "listed but missing".into() }
            }
            other => BundleError::NotABundle(format!("{name}: {other}")),
        })
    }

    let manifest: Manifest = {
        let mut text = Vec::new();
        // A manifest lists files, not records: far below this. A zip bomb's is not read whole.
        open_entry(&mut zip, "manifest.json", password)
            .map_err(|e| match e {
                BundleError::Mismatch { .. } => BundleError::NotABundle("manifest.json is missing".into()),
                other => other,
            })?
            .take(MAX_MANIFEST_BYTES + 1)
            .read_to_end(&mut text)
            .map_err(|e| if password.is_some() { BundleError::Password } else { BundleError::NotABundle(e.to_string()) })?;
        if text.len() as u64 > MAX_MANIFEST_BYTES {
            return Err(BundleError::NotABundle(format!("manifest.json is larger than {} MiB", MAX_MANIFEST_BYTES >> 20)));
        }
        serde_json::from_slice(&text).map_err(|e| BundleError::NotABundle(format!("manifest.json is not a dsar-bundle manifest ({e})")))?
    };
    if manifest.format != FORMAT || manifest.version != VERSION {
        return Err(BundleError::NotABundle(format!("format {} version {} (this build reads {FORMAT} {VERSION})", manifest.format, manifest.version)));
    }

    let listed: HashSet<&str> = manifest.files.iter().map(|f| f.path.as_str()).collect();
    if listed.len() != manifest.files.len() {
        return Err(BundleError::NotABundle("manifest.json lists a file twice".into()));
    }
    for name in zip.file_names() {
        let name = name.map_err(|e| BundleError::NotABundle(format!("unreadable file name ({e})")))?;
        if name != "manifest.json" && !listed.contains(name.as_ref()) {
            return Err(BundleError::Mismatch { path: name.to_string(), what: "in the archive but not in the manifest".into() });
        }
    }
    let mismatch = |path: &str, what: String| BundleError::Mismatch { path: path.to_string(), what };
    // Record counts of every JSON and CSV file, found while checking its checksum.
    let kind_of: HashMap<&str, bool> = manifest
        .systems
        .iter()
        .flat_map(|s| s.datasets.iter())
        .flat_map(|d| [(d.json.as_str(), true), (d.csv.as_str(), false)])
        .collect();
    let mut counts: HashMap<String, u64> = HashMap::new();
    for f in &manifest.files {
        if !is_safe_path(&f.path) {
            return Err(mismatch(&f.path, "unsafe file name".into()));
        }
        let entry = open_entry(&mut zip, &f.path, password)?;
        let mark = std::rc::Rc::new(std::cell::Cell::new(u64::MAX));
        let mut tee = Tee { inner: entry, hasher: sha2::Sha256::new(), bytes: 0, record_start: std::rc::Rc::clone(&mark) };
        let read_err = |e: &dyn std::fmt::Display| mismatch(&f.path, format!("unreadable: {e}"));
        match kind_of.get(f.path.as_str()) {
            Some(true) => {
                let items: Vec<serde::de::IgnoredAny> =
                    serde_json::from_reader(&mut tee).map_err(|e| mismatch(&f.path, format!("not a JSON array ({e})")))?;
                counts.insert(f.path.clone(), items.len() as u64);
            }
            Some(false) => {
                mark.set(0);
                let mut rdr = csv::ReaderBuilder::new().has_headers(true).flexible(false).from_reader(&mut tee);
                let mut n = 0u64;
                let mut rec = csv::ByteRecord::new();
                while rdr.read_byte_record(&mut rec).map_err(|e| read_err(&e))? {
                    n += 1;
                    mark.set(rdr.position().byte());
                }
                // The rest is hashed below without the per-record cap.
                mark.set(u64::MAX);
                counts.insert(f.path.clone(), n);
            }
            None => {}
        }
        io::copy(&mut tee, &mut io::sink()).map_err(|e| read_err(&e))?;
        let sha = hex::encode(tee.hasher.finalize());
        if tee.bytes != f.bytes {
            return Err(mismatch(&f.path, format!("{} bytes, manifest says {}", tee.bytes, f.bytes)));
        }
        if sha != f.sha256 {
            return Err(mismatch(&f.path, "SHA-256 differs".into()));
        }
    }
    let mut total = 0;
    for s in &manifest.systems {
        let mut sum = 0;
        for d in &s.datasets {
            for path in [&d.json, &d.csv] {
                match counts.get(path.as_str()) {
                    Some(n) if *n == d.records => {}
                    Some(n) => return Err(mismatch(path, format!("{n} records, manifest says {}", d.records))),
                    None => return Err(mismatch(path, "listed for a dataset but not as a file".into())),
                }
            }
            sum += d.records;
        }
        if sum != s.records {
            return Err(mismatch(&format!("data/{}", s.id), format!("datasets hold {sum} records, manifest says {}", s.records)));
        }
        total += sum;
    }
    if total != manifest.records {
        return Err(mismatch("manifest.json", format!("systems hold {total} records, manifest says {}", manifest.records)));
    }
    Ok(manifest)
}
