//! Erasure by rewrite for the file kinds (`csv`, `json`, `jsonl` with `"erase": "rewrite"`):
//! the file is read whole, the byte ranges of the subject's records are found with the same
//! `match` rules as the search, and everything else is written back byte for byte — header,
//! BOM, delimiter, quoting, encoding, line endings, indentation — to a temporary file in the
//! same folder that takes the original's permissions, is synced, and replaces it in one
//! rename. The removed records are never written anywhere.
//!
//! Reading whole files keeps the byte-exact splice simple; a file of one system that must be
//! rewritten for one person is a customer list or an export, not a log (logs are never
//! rewritten), and files over [`MAX_REWRITE_BYTES`] are refused with a message to erase by hand.

use std::io::Write;
use std::ops::Range;
use std::path::Path;

use ::csv::{ByteRecord, ReaderBuilder};
use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};
use serde_json::Value;

use super::matching::{self, Rule};
use super::{file, text_encoding, ConnectorError, SearchKeys};
use crate::register::{Connector, Settings};

/// The largest file rewritten in memory.
pub const MAX_REWRITE_BYTES: u64 = 512 * 1024 * 1024;

/// A file system's records of the subject, found for a rewrite.
#[derive(Debug)]
pub struct Matched {
    /// The file's bytes as read.
    bytes: Vec<u8>,
    /// Byte ranges to cut (each record with its separator), in order, not overlapping.
    cuts: Vec<Range<usize>>,
    /// How many records match.
    pub records: u64,
}

/// Whether the connector can erase by rewriting its file.
pub fn can_rewrite(connector: &Connector) -> bool {
    match &connector.settings {
        Settings::Csv(s) => s.erase.is_some(),
        Settings::Json(s) => s.erase.is_some(),
        Settings::Jsonl(s) => s.erase.is_some(),
        _ => false,
    }
}

/// The configured file of a rewritable connector.
pub fn path_of(connector: &Connector) -> Option<&Path> {
    match &connector.settings {
        Settings::Csv(s) => Some(&s.path),
        Settings::Json(s) => Some(&s.path),
        Settings::Jsonl(s) => Some(&s.path),
        _ => None,
    }
}

/// Reads the file and finds the subject's records (a dry run: nothing is written).
pub fn find(connector: &Connector, keys: &SearchKeys, country: &str) -> Result<Matched, ConnectorError> {
    let path = path_of(connector).ok_or_else(|| ConnectorError::Unsupported { kind: connector.kind().code().into() })?;
    let meta = std::fs::metadata(path).map_err(|e| file::io_error(path, &e))?;
    if meta.len() > MAX_REWRITE_BYTES {
        return Err(ConnectorError::BadData {
            location: file::name(path),
            detail: format!("the file is larger than {} MiB and is not rewritten by the desk — erase the records by hand", MAX_REWRITE_BYTES >> 20),
        });
    }
    let bytes = std::fs::read(path).map_err(|e| file::io_error(path, &e))?;
    let cuts = match &connector.settings {
        Settings::Csv(s) => {
            let rules = matching::rules(&s.match_on, keys, connector, country, |c| Ok(c.to_string()))?;
            csv_cuts(&bytes, path, s.delimiter.as_deref(), s.encoding.as_deref(), &rules)?
        }
        Settings::Json(s) => {
            let rules = matching::rules(&s.match_on, keys, connector, country, |p| Ok(p.to_string()))?;
            json_cuts(&bytes, path, s.records.as_deref().unwrap_or(""), &rules)?
        }
        Settings::Jsonl(s) => {
            let rules = matching::rules(&s.match_on, keys, connector, country, |p| Ok(p.to_string()))?;
            jsonl_cuts(&bytes, &rules)
        }
        _ => return Err(ConnectorError::Unsupported { kind: connector.kind().code().into() }),
    };
    let records = cuts.iter().map(|c| c.records).sum();
    Ok(Matched { bytes, cuts: cuts.into_iter().map(|c| c.range).collect(), records })
}

/// Rewrites the file without the matched records, if it still has exactly `planned` of them
/// and has not changed since `matched` was read; returns the number removed.
pub fn rewrite(connector: &Connector, keys: &SearchKeys, country: &str, planned: u64) -> Result<u64, RewriteError> {
    let path = path_of(connector).ok_or_else(|| ConnectorError::Unsupported { kind: connector.kind().code().into() })?;
    let matched = find(connector, keys, country)?;
    if matched.records != planned {
        return Err(RewriteError::Changed { planned, actual: matched.records });
    }
    if matched.records == 0 {
        return Ok(0);
    }
    let kept = splice(&matched.bytes, &matched.cuts);
    replace(path, &matched.bytes, &kept)?;
    Ok(matched.records)
}

/// Why a rewrite did not happen.
#[derive(Debug)]
pub enum RewriteError {
    /// The file could not be read, parsed or written.
    Connector(ConnectorError),
    /// The file holds another number of the subject's records than the plan said.
    Changed {
        /// Records in the plan.
        planned: u64,
        /// Records now.
        actual: u64,
    },
}

impl From<ConnectorError> for RewriteError {
    fn from(e: ConnectorError) -> Self {
        RewriteError::Connector(e)
    }
}

fn splice(bytes: &[u8], cuts: &[Range<usize>]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    for c in cuts {
        out.extend_from_slice(&bytes[at..c.start]);
        at = c.end;
    }
    out.extend_from_slice(&bytes[at..]);
    out
}

/// Writes `kept` beside `path` with the original's permissions, syncs it, checks that the
/// original is still what was read, and renames it over the original.
fn replace(path: &Path, read: &[u8], kept: &[u8]) -> Result<(), ConnectorError> {
    let io = |e: std::io::Error| file::io_error(path, &e);
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let perms = std::fs::metadata(path).map_err(io)?.permissions();
    let prefix = format!(".{}.dsar-", file::name(path));
    // What a killed rewrite of this file left holds only records that were being kept, and
    // no other writer uses this name: it goes at once.
    crate::output::remove_leftovers(dir, std::time::Duration::ZERO, |name| name.starts_with(&prefix) && name.ends_with(".part"));
    let mut tmp = tempfile::Builder::new().prefix(&prefix).suffix(".part").tempfile_in(dir).map_err(io)?;
    tmp.write_all(kept).map_err(io)?;
    tmp.as_file().set_permissions(perms).map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    // Someone may have saved the file while it was being rewritten: their change would be lost.
    if std::fs::read(path).map_err(io)? != read {
        return Err(ConnectorError::BadData {
            location: file::name(path),
            detail: "the file changed while it was being rewritten — plan again".into(),
        });
    }
    tmp.persist(path).map_err(|e| io(e.error))?;
    if let Ok(d) = std::fs::File::open(dir) {
        // Makes the rename itself durable; a folder that cannot be synced still has the file.
        let _ = d.sync_all();
    }
    Ok(())
}

struct Cut {
    range: Range<usize>,
    records: u64,
}

fn csv_cuts(bytes: &[u8], path: &Path, delimiter: Option<&str>, encoding: Option<&str>, rules: &[Rule<String>]) -> Result<Vec<Cut>, ConnectorError> {
    let location = file::name(path);
    let delimiter = match delimiter {
        None => b',',
        Some(d) if d.len() == 1 && d.is_ascii() => d.as_bytes()[0],
        Some(_) => return Err(ConnectorError::BadData { location, detail: "the delimiter must be one ASCII character".into() }),
    };
    let encoding: Option<&'static Encoding> = encoding.map(|l| text_encoding::by_label(l, &location)).transpose()?;
    if encoding.is_some_and(|e| e != UTF_8 && !e.is_ascii_compatible()) {
        return Err(ConnectorError::BadData {
            location,
            detail: format!("{} files are not rewritten by the desk — erase the records by hand", encoding.map_or("", |e| e.name())),
        });
    }
    let text = |b: &[u8]| -> String {
        match encoding {
            Some(enc) if enc != UTF_8 => enc.decode_without_bom_handling(b).0.into_owned(),
            _ => match std::str::from_utf8(b) {
                Ok(s) => s.to_string(),
                Err(_) if encoding.is_none() => WINDOWS_1252.decode_without_bom_handling(b).0.into_owned(),
                Err(_) => String::from_utf8_lossy(b).into_owned(),
            },
        }
    };
    let mut reader = ReaderBuilder::new().delimiter(delimiter).flexible(true).has_headers(false).from_reader(bytes);
    let bad = |line: u64| ConnectorError::BadData { location: format!("{location}:{line}"), detail: "not a well-formed CSV record".into() };
    let mut rec = ByteRecord::new();
    if !reader.read_byte_record(&mut rec).map_err(|_| bad(1))? {
        return Ok(Vec::new());
    }
    let header: Vec<String> = rec.iter().enumerate().map(|(i, h)| {
        let t = text(h).trim().to_string();
        if i == 0 { t.trim_start_matches('\u{feff}').to_string() } else { t }
    }).collect();
    let index = |col: &str| header.iter().position(|h| h == col);
    let missing: Vec<&str> = rules.iter().flat_map(|r| r.targets.iter()).filter(|c| index(c).is_none()).map(String::as_str).collect();
    if !missing.is_empty() {
        return Err(ConnectorError::BadData { location, detail: format!("column(s) {} not in the header row", missing.join(", ")) });
    }
    let active: Vec<(&Rule<String>, Vec<usize>)> =
        rules.iter().filter(|r| r.is_active()).map(|r| (r, r.targets.iter().filter_map(|c| index(c)).collect())).collect();
    let mut starts: Vec<(usize, bool)> = Vec::new();
    let mut line = 2;
    loop {
        if !reader.read_byte_record(&mut rec).map_err(|_| bad(line))? {
            break;
        }
        line = reader.position().line();
        let start = rec.position().map_or(0, |p| p.byte()) as usize;
        let hit = active.iter().any(|(rule, cols)| {
            if rule.joins_targets() && cols.len() > 1 {
                let joined: Vec<String> = cols.iter().filter_map(|&i| rec.get(i)).map(&text).collect();
                rule.matches(&joined.join(" "))
            } else {
                cols.iter().filter_map(|&i| rec.get(i)).any(|b| rule.matches(&text(b)))
            }
        });
        starts.push((start, hit));
    }
    Ok(line_cuts(bytes, &starts))
}

/// Cuts for records that start at the given offsets and run to the next record's start (the
/// last to the end of the file). When the last record goes and the file did not end with a
/// line break, the kept record before it gives up its line break instead, so the file still
/// ends as it did.
fn line_cuts(bytes: &[u8], starts: &[(usize, bool)]) -> Vec<Cut> {
    let mut cuts: Vec<Cut> = Vec::new();
    for (i, &(start, hit)) in starts.iter().enumerate() {
        if !hit {
            continue;
        }
        let end = starts.get(i + 1).map_or(bytes.len(), |n| n.0);
        match cuts.last_mut() {
            Some(c) if c.range.end == start => {
                c.range.end = end;
                c.records += 1;
            }
            _ => cuts.push(Cut { range: start..end, records: 1 }),
        }
    }
    let ends_open = !bytes.ends_with(b"\n");
    if let Some(last) = cuts.last_mut() {
        if ends_open && last.range.end == bytes.len() && last.range.start > 0 {
            // The CSV reader may start a record at the \n of a \r\n: take the whole break.
            let before = &bytes[..last.range.start];
            let nl = before.iter().rev().take(2).take_while(|b| matches!(b, b'\r' | b'\n')).count();
            last.range.start -= nl;
        }
    }
    cuts
}

fn jsonl_cuts(bytes: &[u8], rules: &[Rule<String>]) -> Vec<Cut> {
    let active: Vec<&Rule<String>> = rules.iter().filter(|r| r.is_active()).collect();
    let mut starts = Vec::new();
    let mut at = 0;
    for line in bytes.split_inclusive(|b| *b == b'\n') {
        let body = line.strip_suffix(b"\n").unwrap_or(line);
        let body = body.strip_suffix(b"\r").unwrap_or(body);
        let hit = !active.is_empty()
            && serde_json::from_slice::<Value>(body).is_ok_and(|v| v.is_object() && matching::json_matches(&active, &v));
        starts.push((at, hit));
        at += line.len();
    }
    line_cuts(bytes, &starts)
}

fn json_cuts(bytes: &[u8], path: &Path, pointer: &str, rules: &[Rule<String>]) -> Result<Vec<Cut>, ConnectorError> {
    let bad = |detail: &str| ConnectorError::BadData { location: file::name(path), detail: detail.to_string() };
    if serde_json::from_slice::<serde::de::IgnoredAny>(bytes).is_err() {
        return Err(bad("the file is not valid JSON"));
    }
    let segments: Vec<String> = if pointer.is_empty() {
        Vec::new()
    } else {
        let rest = pointer.strip_prefix('/').ok_or_else(|| bad("records must be a JSON pointer such as /messages"))?;
        rest.split('/').map(|s| s.replace("~1", "/").replace("~0", "~")).collect()
    };
    let elements = spans::array_at(bytes, &segments).ok_or_else(|| bad("there is no list of records at the records pointer"))?;
    let active: Vec<&Rule<String>> = rules.iter().filter(|r| r.is_active()).collect();
    let hits: Vec<bool> = elements
        .iter()
        .map(|r| !active.is_empty() && serde_json::from_slice::<Value>(&bytes[r.clone()]).is_ok_and(|v| v.is_object() && matching::json_matches(&active, &v)))
        .collect();
    // An element goes with the separator after it; the elements after the last kept one go
    // with the separator before them, so no comma is left dangling.
    let last_kept = hits.iter().rposition(|h| !h);
    let mut cuts: Vec<Cut> = Vec::new();
    for (i, r) in elements.iter().enumerate() {
        if !hits[i] {
            continue;
        }
        let range = match last_kept {
            Some(k) if i < k => r.start..elements[i + 1].start,
            Some(k) => elements[k].end..r.end,
            None => r.start..r.end,
        };
        match cuts.last_mut() {
            Some(c) if c.range.end >= range.start && c.range.start <= range.start => {
                c.range.end = c.range.end.max(range.end);
                c.records += 1;
            }
            _ => cuts.push(Cut { range, records: 1 }),
        }
    }
    // With no element kept, the whitespace between the removed ones goes too.
    if last_kept.is_none() {
        if let (Some(first), Some(last)) = (elements.first(), elements.last()) {
            let n = cuts.iter().map(|c| c.records).sum();
            cuts = vec![Cut { range: first.start..last.end, records: n }];
        }
    }
    Ok(cuts)
}

/// Byte spans inside a JSON text that is already known to be valid: just enough of a scanner
/// to walk a pointer and list an array's elements. serde_json parses each element; this only
/// says where they are, which no maintained JSON crate reports for nested values.
mod spans {
    use std::ops::Range;

    fn ws(b: &[u8], mut i: usize) -> usize {
        while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r') {
            i += 1;
        }
        i
    }

    /// The end of the string starting at `i` (at its opening quote).
    fn string_end(b: &[u8], mut i: usize) -> usize {
        i += 1;
        while i < b.len() {
            match b[i] {
                b'\\' => i += 2,
                b'"' => return i + 1,
                _ => i += 1,
            }
        }
        b.len()
    }

    /// The end of the value starting at `i`; nesting is counted, not recursed.
    fn value_end(b: &[u8], i: usize) -> usize {
        match b.get(i) {
            Some(b'"') => string_end(b, i),
            Some(b'{' | b'[') => {
                let mut depth = 0usize;
                let mut j = i;
                while j < b.len() {
                    match b[j] {
                        b'"' => {
                            j = string_end(b, j);
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth -= 1;
                            if depth == 0 {
                                return j + 1;
                            }
                        }
                        _ => {}
                    }
                    j += 1;
                }
                b.len()
            }
            _ => {
                let mut j = i;
                while j < b.len() && !matches!(b[j], b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r') {
                    j += 1;
                }
                j
            }
        }
    }

    /// The elements of the container starting at `i` (an object's as (key, value span)).
    fn members(b: &[u8], i: usize) -> Vec<(Option<String>, Range<usize>)> {
        let object = b.get(i) == Some(&b'{');
        let mut out = Vec::new();
        let mut j = ws(b, i + 1);
        while j < b.len() && !matches!(b[j], b'}' | b']') {
            let key = if object {
                let end = string_end(b, j);
                let key = serde_json::from_slice::<String>(&b[j..end]).ok();
                j = ws(b, end);
                j = ws(b, j + 1); // the colon
                key
            } else {
                None
            };
            let end = value_end(b, j);
            out.push((key, j..end));
            j = ws(b, end);
            if b.get(j) == Some(&b',') {
                j = ws(b, j + 1);
            }
        }
        out
    }

    /// The spans of the elements of the array at `segments`, or `None` when there is none.
    pub(super) fn array_at(b: &[u8], segments: &[String]) -> Option<Vec<Range<usize>>> {
        let mut at = ws(b, 0);
        if b.starts_with(b"\xef\xbb\xbf") {
            at = ws(b, 3);
        }
        for seg in segments {
            let children = members(b, at);
            let found = match b.get(at) {
                Some(b'{') => children.into_iter().find(|(k, _)| k.as_deref() == Some(seg.as_str())),
                Some(b'[') => seg.parse::<usize>().ok().and_then(|n| children.into_iter().nth(n)),
                _ => None,
            }?;
            at = found.1.start;
        }
        (b.get(at) == Some(&b'[')).then(|| members(b, at).into_iter().map(|(_, r)| r).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn connector(v: serde_json::Value) -> Connector {
        serde_json::from_value(v).unwrap()
    }

    fn keys(email: &str) -> SearchKeys {
        let mut k = SearchKeys::new();
        k.add("email", email);
        k
    }

    #[test]
    fn json_cuts_keep_valid_json_and_every_other_byte() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("m.json");
        let text = "{\"meta\": {\"v\": \"[x]\"},\n \"data\": {\"messages\": [\n  {\"to\": \"a@x.org\", \"t\": \"}\\\"]\"},\n  {\"to\": \"b@x.org\"},\n  {\"to\": \"A@X.org\"}\n ]}}\n";
        for (email, expect) in [
            ("a@x.org", "{\"meta\": {\"v\": \"[x]\"},\n \"data\": {\"messages\": [\n  {\"to\": \"b@x.org\"}\n ]}}\n"),
            ("b@x.org", "{\"meta\": {\"v\": \"[x]\"},\n \"data\": {\"messages\": [\n  {\"to\": \"a@x.org\", \"t\": \"}\\\"]\"},\n  {\"to\": \"A@X.org\"}\n ]}}\n"),
        ] {
            std::fs::write(&p, text).unwrap();
            let c = connector(serde_json::json!({"kind": "json", "path": p, "records": "/data/messages", "match": {"email": ["/to"]}, "erase": "rewrite"}));
            let n = find(&c, &keys(email), "DE").unwrap().records;
            assert_eq!(rewrite(&c, &keys(email), "DE", n).unwrap(), n);
            assert_eq!(std::fs::read_to_string(&p).unwrap(), expect, "{email}");
            serde_json::from_str::<Value>(expect).unwrap();
        }
        std::fs::write(&p, "[{\"to\": \"a@x.org\"}, {\"to\": \"a@x.org\"}]").unwrap();
        let c = connector(serde_json::json!({"kind": "json", "path": p, "match": {"email": ["/to"]}, "erase": "rewrite"}));
        assert_eq!(rewrite(&c, &keys("a@x.org"), "DE", 2).unwrap(), 2);
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "[]");
    }

    #[test]
    fn csv_and_jsonl_lose_only_the_matching_lines_and_a_changed_count_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("k.csv");
        std::fs::write(&p, "E-Mail;Name\r\na@x.org;\"A;\r\nB\"\r\nb@x.org;B\r\nA@x.org;C").unwrap();
        let c = connector(serde_json::json!({"kind": "csv", "path": p, "delimiter": ";", "match": {"email": ["E-Mail"]}, "erase": "rewrite"}));
        assert!(matches!(rewrite(&c, &keys("a@x.org"), "DE", 1), Err(RewriteError::Changed { planned: 1, actual: 2 })));
        assert_eq!(rewrite(&c, &keys("a@x.org"), "DE", 2).unwrap(), 2);
        assert_eq!(std::fs::read(&p).unwrap(), b"E-Mail;Name\r\nb@x.org;B");
        let p = dir.path().join("k.jsonl");
        std::fs::write(&p, "{\"r\":\"a@x.org\"}\nnot json a@x.org\n{\"r\":\"b@x.org\"}\n").unwrap();
        let c = connector(serde_json::json!({"kind": "jsonl", "path": p, "match": {"email": ["/r"]}, "erase": "rewrite"}));
        assert_eq!(rewrite(&c, &keys("a@x.org"), "DE", 1).unwrap(), 1);
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "not json a@x.org\n{\"r\":\"b@x.org\"}\n");
        // What a killed rewrite left is swept by the next one; other hidden files stay.
        std::fs::write(dir.path().join(".k.jsonl.dsar-abc.part"), "x").unwrap();
        std::fs::write(dir.path().join(".other"), "x").unwrap();
        std::fs::write(&p, "{\"r\":\"b@x.org\"}\n").unwrap();
        assert_eq!(rewrite(&c, &keys("b@x.org"), "DE", 1).unwrap(), 1);
        assert!(!dir.path().join(".k.jsonl.dsar-abc.part").exists());
        assert!(dir.path().join(".other").exists());
    }
}
