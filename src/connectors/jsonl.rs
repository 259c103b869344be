//! The `jsonl` connector: a JSON Lines file read line by line (never whole), each line one
//! record matched by JSON pointers.
//!
//! A line that is not a JSON object is skipped and counted: the search still succeeds with
//! the other lines and reports "N lines skipped (first: line L)" as a warning, because one
//! torn line in an append-only export should not hide the subject's other records. Only a
//! file where no line is a JSON object is an error (it is not JSON Lines at all).

use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use serde::de::IgnoredAny;
use serde_json::Value;

use super::matching::{self, Rule};
use super::{file, Cancel, ConnectorError, Found, OpenContext, SearchKeys, SearchReport, Source};
use crate::register::{Connector, JsonlSettings, Settings};

/// Longest line read as a record; longer ones are skipped like any other bad line, so a file
/// without line breaks cannot make the connector hold it whole.
const MAX_LINE: usize = 16 * 1024 * 1024;
/// Lines `test()` reads: enough to see the format, quick on any file size.
const TEST_LINES: u64 = 1000;

/// Opens a `jsonl` system (checks the settings; the file is read at search time).
pub(crate) fn open(cx: &OpenContext<'_>) -> Result<Box<dyn Source>, ConnectorError> {
    let Settings::Jsonl(settings) = &cx.connector.settings else {
        return Err(ConnectorError::Unsupported { kind: cx.connector.kind().code().into() });
    };
    Ok(Box::new(JsonlSource { settings: settings.clone(), connector: cx.connector.clone(), country: cx.default_country.to_string() }))
}

struct JsonlSource {
    settings: JsonlSettings,
    connector: Connector,
    country: String,
}

#[derive(Default)]
struct Scan {
    found: Vec<Found>,
    objects: u64,
    skipped: u64,
    first_skipped: Option<u64>,
}

impl Scan {
    fn skip(&mut self, line: u64) {
        self.skipped += 1;
        self.first_skipped.get_or_insert(line);
    }
}

impl JsonlSource {
    fn path(&self) -> &Path {
        &self.settings.path
    }

    fn scan(&self, rules: &[&Rule<String>], cancel: &Cancel, limit: Option<u64>) -> Result<Scan, ConnectorError> {
        let f = file::open(self.path())?;
        let io = |e: std::io::Error| file::io_error(self.path(), &e);
        let (dataset, name) = (file::stem(self.path()), file::name(self.path()));
        let mut reader = BufReader::with_capacity(256 * 1024, f);
        let mut buf = Vec::new();
        let mut scan = Scan::default();
        // Most lines are other people's: when every rule compares literal text (e-mail,
        // keyed hashes), a line without any of the subject's values is not built as JSON.
        let needles: Option<Vec<String>> = if rules.is_empty() {
            None
        } else {
            rules.iter().map(|r| r.needles()).collect::<Option<Vec<Vec<String>>>>().map(|n| n.concat())
        };
        let mut lower = Vec::new();
        let mut line_no = 0u64;
        loop {
            if cancel.is_cancelled() {
                return Err(ConnectorError::Cancelled);
            }
            if limit.is_some_and(|l| line_no >= l) {
                break;
            }
            buf.clear();
            let n = (&mut reader).take(MAX_LINE as u64 + 1).read_until(b'\n', &mut buf).map_err(io)?;
            if n == 0 {
                break;
            }
            line_no += 1;
            if buf.len() > MAX_LINE && buf.last() != Some(&b'\n') {
                skip_rest_of_line(&mut reader).map_err(io)?;
                scan.skip(line_no);
                continue;
            }
            let line = buf.trim_ascii();
            if line.is_empty() {
                continue;
            }
            if let Some(needles) = &needles {
                if line.is_ascii() && !line.contains(&b'\\') {
                    lower.clear();
                    lower.extend(line.iter().map(u8::to_ascii_lowercase));
                    // ASCII, so this cannot fail; on failure the line is simply parsed.
                    let text = std::str::from_utf8(&lower).unwrap_or("");
                    if !text.is_empty() && !needles.iter().any(|n| text.contains(n.as_str())) {
                        // Cannot match: only check that it is a JSON object, without building it.
                        if line.first() == Some(&b'{') && serde_json::from_slice::<IgnoredAny>(line).is_ok() {
                            scan.objects += 1;
                        } else {
                            scan.skip(line_no);
                        }
                        continue;
                    }
                }
            }
            match serde_json::from_slice::<Value>(line) {
                Ok(v) if v.is_object() => {
                    scan.objects += 1;
                    if !rules.is_empty() && matching::json_matches(rules, &v) {
                        scan.found.push(Found { dataset: dataset.clone(), locator: format!("{name}:{line_no}"), record: v });
                    }
                }
                _ => scan.skip(line_no),
            }
        }
        if scan.objects == 0 && scan.skipped > 0 {
            return Err(ConnectorError::BadData {
                location: name,
                detail: format!("none of its {} non-empty lines is a JSON object: is this a JSON Lines file?", scan.skipped),
            });
        }
        Ok(scan)
    }
}

fn skip_rest_of_line(reader: &mut impl BufRead) -> std::io::Result<()> {
    loop {
        let avail = reader.fill_buf()?;
        if avail.is_empty() {
            return Ok(());
        }
        match avail.iter().position(|b| *b == b'\n') {
            Some(at) => {
                reader.consume(at + 1);
                return Ok(());
            }
            None => {
                let len = avail.len();
                reader.consume(len);
            }
        }
    }
}

impl Source for JsonlSource {
    fn search(&self, keys: &SearchKeys, cancel: &Cancel) -> Result<Vec<Found>, ConnectorError> {
        Ok(self.search_report(keys, cancel)?.found)
    }

    fn search_report(&self, keys: &SearchKeys, cancel: &Cancel) -> Result<SearchReport, ConnectorError> {
        let rules = matching::rules(&self.settings.match_on, keys, &self.connector, &self.country, |p| Ok(p.to_string()))?;
        let active: Vec<&Rule<String>> = rules.iter().filter(|r| r.is_active()).collect();
        if active.is_empty() {
            file::check_readable(self.path())?;
            return Ok(SearchReport::default());
        }
        let scan = self.scan(&active, cancel, None)?;
        let warning = scan.first_skipped.map(|first| {
            format!(
                "{} line(s) of {} skipped: not a JSON object (first: line {first}); the other lines were searched",
                scan.skipped,
                file::name(self.path())
            )
        });
        Ok(SearchReport { found: scan.found, skipped: scan.skipped, warning })
    }

    fn test(&self) -> Result<String, ConnectorError> {
        let scan = self.scan(&[], &Cancel::new(), Some(TEST_LINES))?;
        let mut msg = format!("{} readable; {} JSON records in the first lines", file::name(self.path()), scan.objects);
        if let Some(first) = scan.first_skipped {
            msg.push_str(&format!(", {} line(s) not JSON (first: line {first})", scan.skipped));
        }
        Ok(msg)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(path: &Path) -> Box<dyn Source> {
        crate::connectors::test_support::open_json(serde_json::json!({"kind": "jsonl", "path": path, "match": {"email": ["/to"]}})).unwrap()
    }

    #[test]
    fn escaped_and_cased_values_match_and_bad_lines_are_counted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("events.jsonl");
        let lines = [
            r#"{"to": "other@example.org"}"#,
            r#"{"to": "MAX@Example.ORG"}"#,
            r#"{"to": "max\u0040example.org"}"#,
            r#"{"to": "other@example.org", "torn": "#,
            r#"["not", "an", "object"]"#,
            r#"{"to": "max@example.org.evil"}"#,
            "",
            r#"{"to": ["x@example.org", " max@example.org "]}"#,
        ];
        std::fs::write(&path, lines.join("\n")).unwrap();
        let mut keys = SearchKeys::new();
        keys.add("email", "max@example.org");
        let report = source(&path).search_report(&keys, &Cancel::new()).unwrap();
        let locs: Vec<_> = report.found.iter().map(|f| f.locator.as_str()).collect();
        assert_eq!(locs, ["events.jsonl:2", "events.jsonl:3", "events.jsonl:8"]);
        assert_eq!(report.skipped, 2);
        assert_eq!(report.warning.as_deref(), Some("2 line(s) of events.jsonl skipped: not a JSON object (first: line 4); the other lines were searched"));
        std::fs::write(&path, "a\nb\n").unwrap();
        assert!(matches!(source(&path).search(&keys, &Cancel::new()), Err(ConnectorError::BadData { .. })));
    }
}
