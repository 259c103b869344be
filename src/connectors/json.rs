//! The `json` connector: a JSON file whose records are the array at a JSON pointer
//! (`records`, e.g. `/messages`). The file is streamed: the parser walks down the pointer and
//! looks at one record at a time, so memory stays at one record however large the file is.

use std::fmt;
use std::io::BufReader;
use std::path::Path;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::matching::{self, Rule};
use super::{file, Cancel, ConnectorError, Found, OpenContext, SearchKeys, Source};
use crate::register::{Connector, JsonSettings, Settings};

/// Records `test()` reads: enough to see the shape, quick on any file size.
const TEST_RECORDS: u64 = 1000;

/// Opens a `json` system (checks the settings; the file is read at search time).
pub(crate) fn open(cx: &OpenContext<'_>) -> Result<Box<dyn Source>, ConnectorError> {
    let Settings::Json(settings) = &cx.connector.settings else {
        return Err(ConnectorError::Unsupported { kind: cx.connector.kind().code().into() });
    };
    let pointer = settings.records.clone().unwrap_or_default();
    let segments = parse_pointer(&pointer).ok_or_else(|| ConnectorError::BadData {
        location: file::name(&settings.path),
        detail: "records must be a JSON pointer such as /messages (or empty for the whole file)".into(),
    })?;
    Ok(Box::new(JsonSource {
        settings: settings.clone(),
        connector: cx.connector.clone(),
        pointer,
        segments,
        country: cx.default_country.to_string(),
    }))
}

/// RFC 6901: `""` is the document, `/a/b~1c` is `["a", "b/c"]`.
fn parse_pointer(p: &str) -> Option<Vec<String>> {
    if p.is_empty() {
        return Some(Vec::new());
    }
    let rest = p.strip_prefix('/')?;
    Some(rest.split('/').map(|s| s.replace("~1", "/").replace("~0", "~")).collect())
}

struct JsonSource {
    settings: JsonSettings,
    connector: Connector,
    pointer: String,
    segments: Vec<String>,
    country: String,
}

/// What the walk found; `on_record` decides about each element of the records array.
struct Walked<'r> {
    rules: Vec<&'r Rule<String>>,
    cancel: &'r Cancel,
    dataset: String,
    locator_prefix: String,
    found: Vec<Found>,
    records: u64,
    reached: bool,
    not_array: bool,
    cancelled: bool,
    /// Stop after this many records (a connection test need not read a huge file).
    limit: Option<u64>,
    stopped: bool,
}

impl Walked<'_> {
    /// Returns false to stop (cancelled).
    fn on_record(&mut self, index: u64, v: Value) -> bool {
        if self.cancel.is_cancelled() {
            self.cancelled = true;
            return false;
        }
        if self.limit.is_some_and(|l| self.records >= l) {
            self.stopped = true;
            return false;
        }
        self.records += 1;
        if v.is_object() && matching::json_matches(&self.rules, &v) {
            self.found.push(Found {
                dataset: self.dataset.clone(),
                locator: format!("{}/{index}", self.locator_prefix),
                record: v,
            });
        }
        true
    }
}

/// A serde seed that follows the remaining pointer segments and hands each element of the
/// array at the end to [`Walked::on_record`]; everything else is skipped without building it.
struct Walk<'a, 'r> {
    rest: &'a [String],
    walked: &'a mut Walked<'r>,
}

impl<'de> DeserializeSeed<'de> for Walk<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl Walk<'_, '_> {
    fn scalar<E>(self) -> Result<(), E> {
        if self.rest.is_empty() {
            self.walked.not_array = true;
        }
        Ok(())
    }
}

impl<'de> Visitor<'de> for Walk<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Walk { rest, walked } = self;
        let Some((head, tail)) = rest.split_first() else {
            walked.not_array = true;
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            return Ok(());
        };
        let mut done = false;
        while let Some(key) = map.next_key::<String>()? {
            if !done && key == *head {
                map.next_value_seed(Walk { rest: tail, walked: &mut *walked })?;
                done = true;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let Walk { rest, walked } = self;
        let Some((head, tail)) = rest.split_first() else {
            walked.reached = true;
            let mut index = 0;
            while let Some(v) = seq.next_element::<Value>()? {
                if !walked.on_record(index, v) {
                    return Err(de::Error::custom("cancelled"));
                }
                index += 1;
            }
            return Ok(());
        };
        let wanted: Option<usize> = head.parse().ok();
        let mut i = 0usize;
        loop {
            let more = if Some(i) == wanted {
                seq.next_element_seed(Walk { rest: tail, walked: &mut *walked })?.is_some()
            } else {
                seq.next_element::<IgnoredAny>()?.is_some()
            };
            if !more {
                return Ok(());
            }
            i += 1;
        }
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        self.scalar()
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        self.scalar()
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        self.scalar()
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        self.scalar()
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        self.scalar()
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        self.scalar()
    }
}

impl JsonSource {
    fn path(&self) -> &Path {
        &self.settings.path
    }

    /// Walks the file (the first `limit` records); `rules` empty still validates the shape.
    fn walk<'r>(&self, rules: Vec<&'r Rule<String>>, cancel: &'r Cancel, limit: Option<u64>) -> Result<Walked<'r>, ConnectorError> {
        let f = file::open(self.path())?;
        let name = file::name(self.path());
        let mut walked = Walked {
            rules,
            cancel,
            dataset: file::stem(self.path()),
            locator_prefix: format!("{name}#{}", self.pointer),
            found: Vec::new(),
            records: 0,
            reached: false,
            not_array: false,
            cancelled: false,
            limit,
            stopped: false,
        };
        let mut de = serde_json::Deserializer::from_reader(BufReader::with_capacity(256 * 1024, f));
        let walk = Walk { rest: &self.segments, walked: &mut walked };
        let parsed = walk.deserialize(&mut de).and_then(|()| de.end());
        if walked.cancelled {
            return Err(ConnectorError::Cancelled);
        }
        if !walked.stopped {
            parsed.map_err(|e| self.json_error(&e))?;
        }
        let shown = if self.pointer.is_empty() { "the top level".to_string() } else { format!("pointer {}", self.pointer) };
        if walked.not_array {
            return Err(ConnectorError::BadData { location: name, detail: format!("the value at {shown} is not an array of records") });
        }
        if !walked.reached {
            return Err(ConnectorError::BadData { location: name, detail: format!("nothing at {shown}: check \"records\" in the register") });
        }
        Ok(walked)
    }

    /// serde_json's messages can quote the data; ours give only the position.
    fn json_error(&self, e: &serde_json::Error) -> ConnectorError {
        let location = format!("{}:{}:{}", file::name(self.path()), e.line(), e.column());
        match e.classify() {
            serde_json::error::Category::Io => ConnectorError::Unreadable {
                path: self.path().display().to_string(),
                reason: "read error".into(),
            },
            serde_json::error::Category::Eof => ConnectorError::BadData { location, detail: "the file ends too early (truncated?)".into() },
            _ => ConnectorError::BadData { location, detail: "not valid JSON".into() },
        }
    }
}

impl Source for JsonSource {
    fn search(&self, keys: &SearchKeys, cancel: &Cancel) -> Result<Vec<Found>, ConnectorError> {
        let rules = matching::rules(&self.settings.match_on, keys, &self.connector, &self.country, |p| {
            if parse_pointer(p).is_some() {
                Ok(p.to_string())
            } else {
                Err(ConnectorError::BadData { location: file::name(self.path()), detail: format!("match pointer '{p}' must start with /") })
            }
        })?;
        let active: Vec<&Rule<String>> = rules.iter().filter(|r| r.is_active()).collect();
        if active.is_empty() {
            // Nothing to look for, but a missing file is still worth reporting.
            file::check_readable(self.path())?;
            return Ok(Vec::new());
        }
        Ok(self.walk(active, cancel, None)?.found)
    }

    fn test(&self) -> Result<String, ConnectorError> {
        let cancel = Cancel::new();
        let walked = self.walk(Vec::new(), &cancel, Some(TEST_RECORDS))?;
        let at = if self.pointer.is_empty() { "the top level" } else { &self.pointer };
        Ok(if walked.stopped {
            format!("{} readable; records found at {at} (checked the first {TEST_RECORDS})", file::name(self.path()))
        } else {
            format!("{} is valid JSON with {} records at {at}", file::name(self.path()), walked.records)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_follow_rfc_6901() {
        assert_eq!(parse_pointer(""), Some(vec![]));
        assert_eq!(parse_pointer("/a~1b/~0c/0"), Some(vec!["a/b".to_string(), "~c".into(), "0".into()]));
        assert_eq!(parse_pointer("a"), None);
    }

    fn source(dir: &Path, body: &str, records: &str) -> Box<dyn Source> {
        let path = dir.join("msgs.json");
        std::fs::write(&path, body).unwrap();
        crate::connectors::test_support::open_json(serde_json::json!({"kind": "json", "path": path, "records": records, "match": {"phone": ["/to"]}})).unwrap()
    }

    #[test]
    fn streams_the_array_at_the_pointer_and_reports_bad_shapes() {
        let dir = tempfile::tempdir().unwrap();
        let mut keys = SearchKeys::new();
        keys.add("phone", "+491711234567");
        let body = r#"{"meta": {"messages": [{"to": "0171 1234567"}]}, "messages": [{"to": "+49 171 1234567"}, {"to": 491711234567}, {"to": ["x", "01711234567"]}, {"to": "+491711234568"}], "tail": [1]}"#;
        let found = source(dir.path(), body, "/messages").search(&keys, &Cancel::new()).unwrap();
        let locs: Vec<_> = found.iter().map(|f| f.locator.as_str()).collect();
        // A number is read like text: 491711234567 carries Germany's country code.
        assert_eq!(locs, ["msgs.json#/messages/0", "msgs.json#/messages/1", "msgs.json#/messages/2"]);
        assert_eq!(found[0].record, serde_json::json!({"to": "+49 171 1234567"}));
        let nested = source(dir.path(), body, "/meta/messages").search(&keys, &Cancel::new()).unwrap();
        assert_eq!(nested.len(), 1);
        let e = source(dir.path(), body, "/nope").search(&keys, &Cancel::new()).unwrap_err();
        assert!(e.to_string().contains("nothing at pointer /nope"), "{e}");
        let e = source(dir.path(), body, "/meta").search(&keys, &Cancel::new()).unwrap_err();
        assert!(e.to_string().contains("not an array"), "{e}");
        let e = source(dir.path(), r#"{"messages": [{"to": "+491711234567"}, oops]}"#, "/messages").search(&keys, &Cancel::new()).unwrap_err();
        assert!(matches!(e, ConnectorError::BadData { .. }) && !e.to_string().contains("oops"), "{e}");
        assert_eq!(source(dir.path(), body, "/messages").test().unwrap(), "msgs.json is valid JSON with 4 records at /messages");
        // The connection test reads only the first records; the search reads all and finds the damage.
        let many = format!("{{\"messages\": [{} {{\"to\": 1}}, oops]}}", "{\"to\": 1},".repeat(1500));
        let src = source(dir.path(), &many, "/messages");
        assert!(src.test().unwrap().contains("checked the first 1000"));
        assert!(matches!(src.search(&keys, &Cancel::new()), Err(ConnectorError::BadData { .. })));
        let cancel = Cancel::new();
        cancel.cancel();
        assert_eq!(source(dir.path(), body, "/messages").search(&keys, &cancel).unwrap_err(), ConnectorError::Cancelled);
    }
}
