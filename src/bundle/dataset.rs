//! One dataset written twice: as a JSON array of the records (exact, machine-readable) and as
//! a CSV table (one row per record, for a spreadsheet). Both are streamed record by record,
//! so a million records never exist as one big string.

use std::collections::HashSet;
use std::io::{self, Write};

use serde_json::Value;
use sha2::{Digest, Sha256};

/// Byte-order mark at the start of every CSV: without it Excel reads UTF-8 as the local
/// code page and garbles ä, ß, € and ĳ; LibreOffice, Numbers and Python's csv accept it.
pub const CSV_BOM: &[u8] = b"\xEF\xBB\xBF";

/// A writer that counts and hashes what passes through it, so the manifest's size and
/// SHA-256 come from the very bytes written, without a second pass.
pub struct Digesting<W> {
    inner: W,
    hasher: Sha256,
    bytes: u64,
}

impl<W: Write> Digesting<W> {
    /// Wraps `inner`.
    pub fn new(inner: W) -> Digesting<W> {
        Digesting { inner, hasher: Sha256::new(), bytes: 0 }
    }

    /// Size and lower-case hex SHA-256 of everything written.
    pub fn finish(self) -> (u64, String) {
        (self.bytes, hex::encode(self.hasher.finalize()))
    }
}

impl<W: Write> Write for Digesting<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// The records as a JSON array, one record per line: exact values, and still readable in a
/// text editor. Each record is also shown to `columns`, so the CSV header is known without
/// another pass over a million records.
pub fn write_json<'a, W: Write>(out: &mut W, records: &[&'a Value], columns: &mut Columns<'a>) -> io::Result<()> {
    if records.is_empty() {
        return out.write_all(b"[]\n");
    }
    out.write_all(b"[\n")?;
    // One write per record: serde_json writes token by token, which is cheapest into a Vec.
    let mut line = Vec::with_capacity(512);
    for (i, r) in records.iter().enumerate() {
        line.clear();
        if i > 0 {
            line.extend_from_slice(b",\n");
        }
        serde_json::to_writer(&mut line, r)?;
        out.write_all(&line)?;
        columns.observe(r);
    }
    out.write_all(b"\n]\n")
}

/// Collects the CSV header: every key of every record, in the order first seen; records that
/// are not JSON objects go into one extra column named `value` (or `value_`… if a key has
/// that name).
#[derive(Debug, Default)]
pub struct Columns<'a> {
    cols: Vec<&'a str>,
    seen: HashSet<&'a str>,
    scalar: bool,
    previous: Option<&'a serde_json::Map<String, Value>>,
}

impl<'a> Columns<'a> {
    /// Notes one record's keys.
    pub fn observe(&mut self, r: &'a Value) {
        match r {
            Value::Object(obj) => {
                // Records of one dataset usually share their keys: skip the set look-ups then.
                if self.previous.is_some_and(|p| p.len() == obj.len() && p.keys().eq(obj.keys())) {
                    return;
                }
                for k in obj.keys() {
                    if self.seen.insert(k.as_str()) {
                        self.cols.push(k.as_str());
                    }
                }
                self.previous = Some(obj);
            }
            _ => self.scalar = true,
        }
    }

    /// The header.
    pub fn finish(mut self) -> Vec<&'a str> {
        if self.scalar {
            self.cols.push(scalar_column(&self.seen));
        }
        self.cols
    }
}

/// The CSV header of `records` (see [`Columns`]).
#[cfg(test)]
pub fn columns<'a>(records: &[&'a Value]) -> Vec<&'a str> {
    let mut c = Columns::default();
    records.iter().for_each(|r| c.observe(r));
    c.finish()
}

fn scalar_column(seen: &HashSet<&str>) -> &'static str {
    const NAMES: &[&str] = &["value", "value_", "value__", "__value__"];
    NAMES.iter().copied().find(|n| !seen.contains(n)).unwrap_or("__value__")
}

/// The first characters that make a spreadsheet read a cell as a formula (or, for TAB and CR,
/// that Excel strips before doing so).
const FORMULA_STARTS: [u8; 6] = [b'=', b'+', b'-', b'@', b'\t', b'\r'];

/// Text as a CSV cell that no spreadsheet runs: a cell that would start a formula
/// (`=HYPERLINK(…)`, `@SUM(…)`, `+cmd|…`) gets a leading `'`, which spreadsheets show as
/// text and hide. The JSON beside it keeps the exact value.
fn text_cell<'v>(s: &'v str, scratch: &'v mut Vec<u8>) -> &'v [u8] {
    if s.as_bytes().first().is_some_and(|b| FORMULA_STARTS.contains(b)) {
        scratch.clear();
        scratch.push(b'\'');
        scratch.extend_from_slice(s.as_bytes());
        scratch.as_slice()
    } else {
        s.as_bytes()
    }
}

/// How one JSON value reads in a CSV cell: text as is (formula starts neutralised, see
/// [`text_cell`]), numbers and booleans in JSON spelling, null as an empty cell, arrays and
/// objects as JSON text.
pub fn cell<'v>(v: &'v Value, scratch: &'v mut Vec<u8>) -> &'v [u8] {
    match v {
        Value::Null => b"",
        Value::String(s) => text_cell(s, scratch),
        Value::Bool(true) => b"true",
        Value::Bool(false) => b"false",
        other => {
            scratch.clear();
            // Writing a Value into a Vec cannot fail.
            let _ = serde_json::to_writer(&mut *scratch, other);
            scratch.as_slice()
        }
    }
}

/// The records as CSV (RFC 4180: comma, CRLF, quotes doubled) with a UTF-8 BOM and a header
/// row of [`columns`]; a record lacking a column gets an empty cell.
pub fn write_csv<W: Write>(out: &mut W, records: &[&Value], cols: &[&str]) -> csv::Result<()> {
    out.write_all(CSV_BOM)?;
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(out);
    let mut scratch = Vec::with_capacity(64);
    for c in cols {
        w.write_field(text_cell(c, &mut scratch))?;
    }
    w.write_record(None::<&[u8]>)?;
    let scalar_col = cols.last().copied();
    for r in records {
        match r {
            Value::Object(obj) => {
                let in_order = obj.len() == cols.len() && obj.keys().zip(cols).all(|(k, c)| k == c);
                if in_order {
                    for v in obj.values() {
                        w.write_field(cell(v, &mut scratch))?;
                    }
                } else {
                    for c in cols {
                        match obj.get(*c) {
                            Some(v) => w.write_field(cell(v, &mut scratch))?,
                            None => w.write_field(b"")?,
                        }
                    }
                }
            }
            scalar => {
                for c in cols {
                    if Some(*c) == scalar_col {
                        w.write_field(cell(scalar, &mut scratch))?;
                    } else {
                        w.write_field(b"")?;
                    }
                }
            }
        }
        w.write_record(None::<&[u8]>)?;
    }
    w.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn csv_text(records: &[Value]) -> String {
        let refs: Vec<&Value> = records.iter().collect();
        let cols = columns(&refs);
        let mut out = Vec::new();
        write_csv(&mut out, &refs, &cols).unwrap();
        assert!(out.starts_with(CSV_BOM));
        String::from_utf8(out[3..].to_vec()).unwrap()
    }

    #[test]
    fn csv_takes_the_union_of_keys_and_quotes_per_rfc_4180() {
        let recs = vec![
            json!({"id": 1, "name": "Jana \"JB\" Beispiel", "tags": ["a", "b"]}),
            json!({"id": 2, "city": "Köln, Altstadt", "note": "line1\nline2", "ok": true, "n": null}),
        ];
        let text = csv_text(&recs);
        assert_eq!(
            text,
            "id,name,tags,city,note,ok,n\r\n\
             1,\"Jana \"\"JB\"\" Beispiel\",\"[\"\"a\"\",\"\"b\"\"]\",,,,\r\n\
             2,,,\"Köln, Altstadt\",\"line1\nline2\",true,\r\n"
        );
    }

    #[test]
    fn csv_formula_injection_is_neutralised_in_cells_and_headers_but_json_stays_exact() {
        let recs = vec![json!({
            "=cmd|' /C calc'!A0": "=HYPERLINK(\"http://evil.example\",\"click\")",
            "plus": "+49 151 234", "minus": "-2+3", "at": "@SUM(A1)", "tab": "\t=1", "cr": "\r=1",
            "n": -5, "fine": "a=b", "empty": ""
        })];
        let text = csv_text(&recs);
        let mut lines = text.split("\r\n");
        assert_eq!(lines.next().unwrap(), "'=cmd|' /C calc'!A0,plus,minus,at,tab,cr,n,fine,empty");
        assert_eq!(
            lines.next().unwrap(),
            "\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\",'+49 151 234,'-2+3,'@SUM(A1),'\t=1,\"'\r=1\",-5,a=b,"
        );
        // The JSON twin keeps every value exactly.
        let refs: Vec<&Value> = recs.iter().collect();
        let mut cols = Columns::default();
        let mut json_out = Vec::new();
        write_json(&mut json_out, &refs, &mut cols).unwrap();
        let back: Vec<Value> = serde_json::from_slice(&json_out).unwrap();
        assert_eq!(back, recs);
    }

    #[test]
    fn csv_puts_non_object_records_in_a_value_column() {
        let recs = vec![json!("198.51.100.23 - GET /"), json!({"value": 1})];
        let text = csv_text(&recs);
        assert_eq!(text, "value,value_\r\n,198.51.100.23 - GET /\r\n1,\r\n");
    }

    #[test]
    fn json_is_an_array_with_one_record_per_line() {
        let recs = [json!({"a": 1}), json!({"b": "ü"})];
        let refs: Vec<&Value> = recs.iter().collect();
        let mut out = Vec::new();
        let mut cols = Columns::default();
        write_json(&mut out, &refs, &mut cols).unwrap();
        assert_eq!(cols.finish(), ["a", "b"]);
        assert_eq!(String::from_utf8(out.clone()).unwrap(), "[\n{\"a\":1},\n{\"b\":\"ü\"}\n]\n");
        let back: Vec<Value> = serde_json::from_slice(&out).unwrap();
        assert_eq!(back, recs);
        let mut empty = Vec::new();
        write_json(&mut empty, &[], &mut Columns::default()).unwrap();
        assert_eq!(empty, b"[]\n");
    }

    #[test]
    fn digesting_counts_and_hashes_what_passes() {
        let mut d = Digesting::new(Vec::new());
        d.write_all(b"abc").unwrap();
        let (n, h) = d.finish();
        assert_eq!(n, 3);
        assert_eq!(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
