//! The `csv` connector: streams a delimited file record by record (the `csv` crate), decodes
//! it from the configured encoding, and returns every row where one of the `match` columns
//! holds one of the subject's identifiers (normalised on both sides).
//!
//! Without an `encoding`, the file is read as UTF-8 and any field that is not valid UTF-8 is
//! read as Windows-1252 — what German and Dutch office software writes by default.

use std::borrow::Cow;
use std::io::Read;
use std::path::Path;

use ::csv::{ByteRecord, ReaderBuilder};
use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};
use serde_json::{Map, Value};

use super::matching::{self, Rule};
use super::text_encoding::{self, DecodeReader};
use super::{file, Cancel, ConnectorError, Found, OpenContext, SearchKeys, Source};
use crate::register::{Connector, CsvSettings, Settings};

/// Opens a `csv` system (checks the settings; the file is read at search time).
pub(crate) fn open(cx: &OpenContext<'_>) -> Result<Box<dyn Source>, ConnectorError> {
    let Settings::Csv(settings) = &cx.connector.settings else {
        return Err(ConnectorError::Unsupported { kind: cx.connector.kind().code().into() });
    };
    let location = settings.path.display().to_string();
    let delimiter = match settings.delimiter.as_deref() {
        None => b',',
        Some(d) if d.len() == 1 && d.is_ascii() => d.as_bytes()[0],
        Some(_) => {
            return Err(ConnectorError::BadData {
                location,
                detail: "the delimiter must be one ASCII character such as ',' ';' or a tab".into(),
            })
        }
    };
    let encoding = settings.encoding.as_deref().map(|l| text_encoding::by_label(l, &location)).transpose()?;
    Ok(Box::new(CsvSource {
        settings: settings.clone(),
        connector: cx.connector.clone(),
        delimiter,
        encoding,
        country: cx.default_country.to_string(),
    }))
}

struct CsvSource {
    settings: CsvSettings,
    connector: Connector,
    delimiter: u8,
    encoding: Option<&'static Encoding>,
    country: String,
}

/// An open file positioned after its header row.
/// The longest one record may be. A single unclosed quote turns the rest of a file into one
/// record, which the CSV reader would otherwise hold in memory whole.
const MAX_RECORD_BYTES: u64 = 16 * 1024 * 1024;

/// Why [`Bounded`] stopped reading.
#[derive(Debug)]
struct RecordTooLong;

impl std::fmt::Display for RecordTooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "record longer than {} MiB", MAX_RECORD_BYTES >> 20)
    }
}

impl std::error::Error for RecordTooLong {}

/// The file as the CSV reader sees it, refusing to deliver more than [`MAX_RECORD_BYTES`]
/// past the end of the last complete record (which the search loop reports in `done`).
struct Bounded<R> {
    inner: R,
    read: u64,
    done: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let done = self.done.load(std::sync::atomic::Ordering::Relaxed);
        if self.read.saturating_sub(done) > MAX_RECORD_BYTES {
            return Err(std::io::Error::other(RecordTooLong));
        }
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        Ok(n)
    }
}

struct Opened {
    reader: ::csv::Reader<Box<dyn Read + Send>>,
    header: Vec<String>,
    /// Where the last complete record ended (bytes), for [`Bounded`].
    done: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl CsvSource {
    fn path(&self) -> &Path {
        &self.settings.path
    }

    fn open_file(&self) -> Result<Opened, ConnectorError> {
        let f = file::open(self.path())?;
        let decoded: Box<dyn Read + Send> = match self.encoding {
            Some(enc) if enc != UTF_8 => Box::new(DecodeReader::new(f, enc)),
            _ => Box::new(f),
        };
        let done = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
        let input: Box<dyn Read + Send> = Box::new(Bounded { inner: decoded, read: 0, done: done.clone() });
        let mut reader = ReaderBuilder::new()
            .delimiter(self.delimiter)
            .flexible(true)
            .has_headers(true)
            .buffer_capacity(256 * 1024)
            .from_reader(input);
        let raw = reader.byte_headers().map_err(|e| self.csv_error(&e, 1))?.clone();
        let mut header: Vec<String> = Vec::with_capacity(raw.len());
        for (i, h) in raw.iter().enumerate() {
            let mut name = self.text(h).trim().to_string();
            if i == 0 {
                name = name.trim_start_matches('\u{feff}').to_string();
            }
            // A repeated column name keeps both values apart in the record.
            if header.contains(&name) {
                name = format!("{name} ({})", i + 1);
            }
            header.push(name);
        }
        Ok(Opened { reader, header, done })
    }

    /// Every `match` column must be in the header; the header's content is not echoed (a
    /// file without a header row would have a person's data there).
    fn check_columns(&self, header: &[String]) -> Result<(), ConnectorError> {
        let missing: Vec<&str> = self
            .settings
            .match_on
            .iter()
            .flat_map(|(_, cols)| cols.iter())
            .filter(|c| !header.iter().any(|h| h == *c))
            .map(String::as_str)
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        let hint = if header.len() <= 1 {
            format!("; the header has {} column(s): check the delimiter", header.len())
        } else {
            format!("; the header has {} columns", header.len())
        };
        Err(ConnectorError::BadData {
            location: file::name(self.path()),
            detail: format!("column(s) {} not in the header row{hint}", quoted(&missing)),
        })
    }

    fn text<'a>(&self, bytes: &'a [u8]) -> Cow<'a, str> {
        match std::str::from_utf8(bytes) {
            Ok(s) => Cow::Borrowed(s),
            Err(_) if self.encoding.is_none() => WINDOWS_1252.decode_without_bom_handling(bytes).0,
            Err(_) => String::from_utf8_lossy(bytes),
        }
    }

    /// `line` is where the failing record began (I/O errors carry no position of their own).
    fn csv_error(&self, e: &::csv::Error, line: u64) -> ConnectorError {
        match e.kind() {
            ::csv::ErrorKind::Io(io) if io.get_ref().is_some_and(|inner| inner.is::<RecordTooLong>()) => ConnectorError::BadData {
                location: format!("{}:{line}", file::name(self.path())),
                detail: format!(
                    "a record runs on for more than {} MiB — most likely a quote that is never closed; fix the file there",
                    MAX_RECORD_BYTES >> 20
                ),
            },
            ::csv::ErrorKind::Io(io) => file::io_error(self.path(), io),
            // csv's own messages may quote field content; ours name only the place.
            _ => ConnectorError::BadData {
                location: format!("{}:{}", file::name(self.path()), e.position().map_or(0, |p| p.line())),
                detail: "not a well-formed CSV record".into(),
            },
        }
    }

    fn rule_matches(&self, rule: &Rule<usize>, rec: &ByteRecord) -> bool {
        if rule.joins_targets() && rule.targets.len() > 1 {
            let joined: Vec<Cow<'_, str>> = rule.targets.iter().filter_map(|&i| rec.get(i)).map(|b| self.text(b)).collect();
            rule.matches(&joined.join(" "))
        } else {
            rule.targets.iter().filter_map(|&i| rec.get(i)).any(|b| rule.matches(&self.text(b)))
        }
    }

    fn record(&self, header: &[String], rec: &ByteRecord) -> Value {
        let mut obj = Map::new();
        for (i, field) in rec.iter().enumerate() {
            let key = header.get(i).cloned().unwrap_or_else(|| format!("column {}", i + 1));
            obj.insert(key, Value::String(self.text(field).into_owned()));
        }
        Value::Object(obj)
    }
}

fn quoted(items: &[&str]) -> String {
    items.iter().map(|c| format!("'{c}'")).collect::<Vec<_>>().join(", ")
}

impl Source for CsvSource {
    fn search(&self, keys: &SearchKeys, cancel: &Cancel) -> Result<Vec<Found>, ConnectorError> {
        let Opened { mut reader, header, done } = self.open_file()?;
        self.check_columns(&header)?;
        let rules = matching::rules(&self.settings.match_on, keys, &self.connector, &self.country, |col| {
            Ok(header.iter().position(|h| h == col).unwrap_or(usize::MAX))
        })?;
        let active: Vec<&Rule<usize>> = rules.iter().filter(|r| r.is_active()).collect();
        if active.is_empty() {
            return Ok(Vec::new());
        }
        let (dataset, name) = (file::stem(self.path()), file::name(self.path()));
        let mut found = Vec::new();
        let mut rec = ByteRecord::new();
        let mut next_line = 2;
        loop {
            if cancel.is_cancelled() {
                return Err(ConnectorError::Cancelled);
            }
            if !reader.read_byte_record(&mut rec).map_err(|e| self.csv_error(&e, next_line))? {
                break;
            }
            next_line = reader.position().line();
            done.store(reader.position().byte(), std::sync::atomic::Ordering::Relaxed);
            if active.iter().any(|r| self.rule_matches(r, &rec)) {
                let line = rec.position().map_or(0, |p| p.line());
                found.push(Found { dataset: dataset.clone(), locator: format!("{name}:{line}"), record: self.record(&header, &rec) });
            }
        }
        Ok(found)
    }

    fn test(&self) -> Result<String, ConnectorError> {
        let bytes = file::check_readable(self.path())?;
        let Opened { header, .. } = self.open_file()?;
        self.check_columns(&header)?;
        Ok(format!("{} readable ({bytes} bytes), header has every match column", file::name(self.path())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn search(path: &Path, extra: serde_json::Value, keys: &SearchKeys) -> Result<Vec<Found>, ConnectorError> {
        let mut c = serde_json::json!({"kind": "csv", "path": path, "match": {"email": ["E-Mail"], "name": ["Vorname", "Nachname"]}});
        if let (Some(o), Some(e)) = (c.as_object_mut(), extra.as_object()) {
            o.extend(e.clone());
        }
        crate::connectors::test_support::open_json(c)?.search(keys, &Cancel::new())
    }

    fn keys() -> SearchKeys {
        let mut k = SearchKeys::new();
        k.add("email", "jürgen@example.org");
        k.add("name", "Jürgen Groß");
        k
    }

    #[test]
    fn windows_1252_with_and_without_declared_encoding() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("kunden.csv");
        let (bytes, _, _) = WINDOWS_1252.encode("Vorname;Nachname;E-Mail\nJürgen;Groß;x@example.org\nAnna;Öz;JÜRGEN@example.org\nJürgen;Grosz;y@example.org\n");
        std::fs::write(&p, &bytes).unwrap();
        for extra in [serde_json::json!({"delimiter": ";", "encoding": "windows-1252"}), serde_json::json!({"delimiter": ";"})] {
            let found = search(&p, extra, &keys()).unwrap();
            let locs: Vec<_> = found.iter().map(|f| f.locator.as_str()).collect();
            assert_eq!(locs, ["kunden.csv:2", "kunden.csv:3"]);
            assert_eq!(found[0].record["Nachname"], "Groß");
            assert_eq!(found[0].dataset, "kunden");
        }
    }

    #[test]
    fn an_unclosed_quote_stops_at_the_record_cap_with_the_line() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("kunden.csv");
        let mut text = String::from("Vorname,Nachname,E-Mail\nJürgen,Groß,jürgen@example.org\nAnna,\"Öz,a@example.org\n");
        let line = "Name,Name,name@example.org\n";
        while (text.len() as u64) < MAX_RECORD_BYTES + (1 << 20) {
            text.push_str(line);
        }
        std::fs::write(&p, &text).unwrap();
        let e = search(&p, serde_json::json!({}), &keys()).unwrap_err();
        assert!(matches!(&e, ConnectorError::BadData { location, detail } if location == "kunden.csv:3" && detail.contains("never closed")), "{e:?}");
    }

    #[test]
    fn utf16_file_and_wrong_delimiter() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("u.csv");
        let text = "\u{feff}Vorname,Nachname,E-Mail\r\nJürgen,Groß,a@example.org\r\n";
        let bytes: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        std::fs::write(&p, bytes).unwrap();
        let found = search(&p, serde_json::json!({"encoding": "utf-16le"}), &keys()).unwrap();
        assert_eq!(found.len(), 1);
        let e = search(&p, serde_json::json!({"encoding": "utf-16le", "delimiter": ";"}), &keys()).unwrap_err();
        assert!(e.to_string().contains("check the delimiter"), "{e}");
        assert!(!e.to_string().contains("Vorname,Nachname"), "header content must not be echoed: {e}");
    }
}
