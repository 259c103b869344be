//! How PostgreSQL column values become JSON in evidence. The client always receives the
//! binary format, so each type is decoded here: numbers as JSON numbers (`numeric` and `money`
//! as exact decimal text), times as ISO 8601 / RFC 3339 text, `bytea` as base64, `json` as
//! JSON, arrays as arrays, NULL as null, network and bit types in their usual text form.

use std::error::Error as StdError;
use std::fmt::Write as _;

use postgres::types::{FromSql, Kind, Type};
use postgres_protocol::types as wire;
use serde_json::Value;

use crate::connectors::sql_server;

/// One column value as JSON. Accepts every type and never fails: a type it cannot decode
/// becomes its bytes as text when they are text (enums, `citext`, `ltree`), else base64.
pub(super) struct Cell(pub(super) Value);

impl<'a> FromSql<'a> for Cell {
    fn from_sql(ty: &Type, raw: &'a [u8]) -> Result<Cell, Box<dyn StdError + Sync + Send>> {
        Ok(Cell(decode(ty, raw).unwrap_or_else(|| text_or_base64(raw))))
    }

    fn from_sql_null(_: &Type) -> Result<Cell, Box<dyn StdError + Sync + Send>> {
        Ok(Cell(Value::Null))
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

fn decode(ty: &Type, raw: &[u8]) -> Option<Value> {
    fn get<'a, T: FromSql<'a>>(ty: &Type, raw: &'a [u8]) -> Option<T> {
        T::from_sql(ty, raw).ok()
    }
    let string = Value::String;
    if let Some(infinite) = infinity(ty, raw) {
        return Some(string(infinite.to_string()));
    }
    Some(match *ty {
        Type::BOOL => Value::Bool(get(ty, raw)?),
        Type::INT2 => Value::from(get::<i16>(ty, raw)?),
        Type::INT4 => Value::from(get::<i32>(ty, raw)?),
        Type::INT8 => Value::from(get::<i64>(ty, raw)?),
        Type::OID => Value::from(get::<u32>(ty, raw)?),
        Type::FLOAT4 => sql_server::float(f64::from(get::<f32>(ty, raw)?)),
        Type::FLOAT8 => sql_server::float(get(ty, raw)?),
        Type::NUMERIC => string(numeric_text(raw)?),
        Type::MONEY => string(money_text(wire::int8_from_sql(raw).ok()?)),
        Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN | Type::XML => {
            string(wire::text_from_sql(raw).ok()?.to_string())
        }
        Type::CHAR => string(char::from(wire::char_from_sql(raw).ok()? as u8).to_string()),
        Type::BYTEA => sql_server::base64(raw),
        Type::JSON | Type::JSONB => get::<Value>(ty, raw)?,
        Type::UUID => string(get::<uuid::Uuid>(ty, raw)?.to_string()),
        Type::DATE => string(get::<chrono::NaiveDate>(ty, raw)?.to_string()),
        Type::TIME => string(
            get::<chrono::NaiveTime>(ty, raw)?
                .format("%H:%M:%S%.f")
                .to_string(),
        ),
        Type::TIMETZ => string(timetz_text(raw)?),
        // Without a time zone there is no offset to write: ISO 8601 local date-time.
        Type::TIMESTAMP => string(
            get::<chrono::NaiveDateTime>(ty, raw)?
                .format("%Y-%m-%dT%H:%M:%S%.f")
                .to_string(),
        ),
        Type::TIMESTAMPTZ => string(
            get::<chrono::DateTime<chrono::Utc>>(ty, raw)?
                .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
        ),
        Type::INTERVAL => string(interval_text(raw)?),
        Type::INET | Type::CIDR => {
            let inet = wire::inet_from_sql(raw).ok()?;
            let full = if inet.addr().is_ipv4() { 32 } else { 128 };
            // Like PostgreSQL: an `inet` host address without its /32, a `cidr` always with.
            if *ty == Type::INET && inet.netmask() == full {
                string(inet.addr().to_string())
            } else {
                string(format!("{}/{}", inet.addr(), inet.netmask()))
            }
        }
        Type::MACADDR => {
            let mac = wire::macaddr_from_sql(raw).ok()?;
            string(
                mac.iter()
                    .map(|b| format!("{b:02x}"))
                    .collect::<Vec<_>>()
                    .join(":"),
            )
        }
        Type::BIT | Type::VARBIT => {
            let bits = wire::varbit_from_sql(raw).ok()?;
            string(
                (0..bits.len())
                    .map(|i| {
                        let byte = bits.bytes().get(i / 8).copied().unwrap_or(0);
                        if byte & (0x80 >> (i % 8)) != 0 {
                            '1'
                        } else {
                            '0'
                        }
                    })
                    .collect(),
            )
        }
        _ => match ty.kind() {
            Kind::Array(_) => Value::Array(
                get::<Vec<Cell>>(ty, raw)?
                    .into_iter()
                    .map(|c| c.0)
                    .collect(),
            ),
            Kind::Domain(base) => decode(base, raw)?,
            Kind::Enum(_) => string(wire::text_from_sql(raw).ok()?.to_string()),
            _ => return None,
        },
    })
}

/// PostgreSQL's `infinity` / `-infinity` dates and timestamps, which no calendar type holds.
fn infinity(ty: &Type, raw: &[u8]) -> Option<&'static str> {
    let (max, min) = match *ty {
        Type::TIMESTAMP | Type::TIMESTAMPTZ => {
            let t = wire::timestamp_from_sql(raw).ok()?;
            (t == i64::MAX, t == i64::MIN)
        }
        Type::DATE => {
            let d = wire::date_from_sql(raw).ok()?;
            (d == i32::MAX, d == i32::MIN)
        }
        _ => return None,
    };
    match (max, min) {
        (true, _) => Some("infinity"),
        (_, true) => Some("-infinity"),
        _ => None,
    }
}

fn text_or_base64(raw: &[u8]) -> Value {
    match std::str::from_utf8(raw) {
        Ok(s)
            if !s
                .chars()
                .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')) =>
        {
            Value::String(s.to_string())
        }
        _ => sql_server::base64(raw),
    }
}

/// PostgreSQL's binary `numeric` as exact decimal text (base-10000 digit groups; `weight`
/// is the power of the first group, `dscale` the digits after the point).
fn numeric_text(raw: &[u8]) -> Option<String> {
    let word = |i: usize| raw.get(i..i + 2).map(|b| i16::from_be_bytes([b[0], b[1]]));
    let ndigits = usize::try_from(word(0)?).ok()?;
    let weight = i64::from(word(2)?);
    let sign = word(4)? as u16;
    let dscale = usize::from(word(6)? as u16);
    let digits: Vec<i16> = (0..ndigits)
        .map(|i| word(8 + 2 * i))
        .collect::<Option<_>>()?;
    match sign {
        0x0000 | 0x4000 => {}
        0xC000 => return Some("NaN".to_string()),
        0xD000 => return Some("Infinity".to_string()),
        0xF000 => return Some("-Infinity".to_string()),
        _ => return None,
    }
    let group = |index: i64| {
        usize::try_from(index)
            .ok()
            .and_then(|i| digits.get(i))
            .copied()
            .unwrap_or(0)
    };
    let mut out = String::new();
    if sign == 0x4000 {
        out.push('-');
    }
    if weight < 0 {
        out.push('0');
    } else {
        let _ = write!(out, "{}", group(0));
        for index in 1..=weight {
            let _ = write!(out, "{:04}", group(index));
        }
    }
    if dscale > 0 {
        let mut fraction = String::new();
        let mut k = 1;
        while fraction.len() < dscale {
            let _ = write!(fraction, "{:04}", group(weight + k));
            k += 1;
        }
        fraction.truncate(dscale);
        out.push('.');
        out.push_str(&fraction);
    }
    Some(out)
}

/// `money` is an integer count of cents (for the usual two-decimal currencies); written as
/// a decimal without the locale's currency symbol.
fn money_text(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// `.25` for 250 000 µs, nothing for 0.
fn fraction(micros: u64) -> String {
    if micros == 0 {
        String::new()
    } else {
        format!(".{micros:06}").trim_end_matches('0').to_string()
    }
}

/// `time with time zone`: microseconds since midnight and the zone in seconds *west* of
/// UTC, written `HH:MM:SS[.f]+HH:MM`.
fn timetz_text(raw: &[u8]) -> Option<String> {
    let micros = u64::try_from(wire::time_from_sql(raw.get(..8)?).ok()?).ok()?;
    let west = i32::from_be_bytes(raw.get(8..12)?.try_into().ok()?);
    let (h, m, s) = (
        micros / 3_600_000_000,
        micros / 60_000_000 % 60,
        micros / 1_000_000 % 60,
    );
    let east = -i64::from(west);
    let sign = if east < 0 { '-' } else { '+' };
    let off = east.unsigned_abs();
    Some(format!(
        "{h:02}:{m:02}:{s:02}{}{sign}{:02}:{:02}",
        fraction(micros % 1_000_000),
        off / 3600,
        off / 60 % 60
    ))
}

/// `interval` (microseconds, days, months kept apart, as PostgreSQL does) as an ISO 8601
/// duration in PostgreSQL's `iso_8601` style: `P1Y2M3DT4H5M6.5S`, each part with its sign.
fn interval_text(raw: &[u8]) -> Option<String> {
    let micros = i64::from_be_bytes(raw.get(0..8)?.try_into().ok()?);
    let days = i32::from_be_bytes(raw.get(8..12)?.try_into().ok()?);
    let months = i32::from_be_bytes(raw.get(12..16)?.try_into().ok()?);
    let mut out = String::from("P");
    for (n, unit) in [(months / 12, 'Y'), (months % 12, 'M'), (days, 'D')] {
        if n != 0 {
            let _ = write!(out, "{n}{unit}");
        }
    }
    if micros != 0 {
        let sign = if micros < 0 { "-" } else { "" };
        let abs = micros.unsigned_abs();
        out.push('T');
        let (h, m, rest) = (abs / 3_600_000_000, abs / 60_000_000 % 60, abs % 60_000_000);
        if h != 0 {
            let _ = write!(out, "{sign}{h}H");
        }
        if m != 0 {
            let _ = write!(out, "{sign}{m}M");
        }
        if rest != 0 {
            let _ = write!(
                out,
                "{sign}{}{}S",
                rest / 1_000_000,
                fraction(rest % 1_000_000)
            );
        }
    }
    Some(if out == "P" { "PT0S".to_string() } else { out })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numeric(ndigits: i16, weight: i16, sign: u16, dscale: u16, digits: &[i16]) -> Vec<u8> {
        let mut raw = Vec::new();
        for w in [ndigits, weight, sign as i16, dscale as i16]
            .into_iter()
            .chain(digits.iter().copied())
        {
            raw.extend_from_slice(&w.to_be_bytes());
        }
        raw
    }

    #[test]
    fn numeric_is_exact_decimal_text() {
        let cases: &[(Vec<u8>, Option<&str>)] = &[
            (numeric(3, 1, 0, 3, &[1, 2345, 6780]), Some("12345.678")),
            (numeric(1, -1, 0, 3, &[10]), Some("0.001")),
            (numeric(1, 1, 0, 0, &[10]), Some("100000")),
            (numeric(1, -2, 0x4000, 5, &[1000]), Some("-0.00001")),
            (numeric(0, 0, 0, 2, &[]), Some("0.00")),
            (numeric(0, 0, 0xC000, 0, &[]), Some("NaN")),
            (vec![0, 1], None),
        ];
        for (raw, expected) in cases {
            assert_eq!(numeric_text(raw).as_deref(), *expected, "{raw:?}");
        }
    }

    fn interval(micros: i64, days: i32, months: i32) -> Vec<u8> {
        [
            micros.to_be_bytes().as_slice(),
            &days.to_be_bytes(),
            &months.to_be_bytes(),
        ]
        .concat()
    }

    #[test]
    fn interval_is_an_iso_8601_duration() {
        assert_eq!(
            interval_text(&interval(
                4 * 3_600_000_000 + 5 * 60_000_000 + 6_500_000,
                3,
                14
            ))
            .as_deref(),
            Some("P1Y2M3DT4H5M6.5S")
        );
        assert_eq!(
            interval_text(&interval(-90_000_000, 0, 0)).as_deref(),
            Some("PT-1M-30S")
        );
        assert_eq!(interval_text(&interval(0, 0, 0)).as_deref(), Some("PT0S"));
    }

    #[test]
    fn money_time_with_zone_and_fallbacks() {
        assert_eq!(money_text(-123_456), "-1234.56");
        assert_eq!(money_text(5), "0.05");
        let raw = [
            (13 * 3_600_000_000i64 + 5 * 60_000_000 + 7_250_000)
                .to_be_bytes()
                .as_slice(),
            &(-7200i32).to_be_bytes(),
        ]
        .concat();
        assert_eq!(timetz_text(&raw).as_deref(), Some("13:05:07.25+02:00"));
        assert_eq!(text_or_base64(b"gold"), Value::String("gold".into()));
        assert_eq!(
            text_or_base64(&[0, 0, 1, 244]),
            Value::String("AAAB9A==".into())
        );
    }
}
