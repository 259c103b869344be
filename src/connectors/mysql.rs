//! The `mysql` connector (MySQL and MariaDB): runs a system's named queries with the
//! subject's values bound as `?` parameters, one read-only session per search.

use std::time::Duration;

use mysql::consts::{CapabilityFlags, ColumnType};
use mysql::prelude::Queryable;
use mysql::{AccessMode, Column, Conn, Opts, OptsBuilder, Params, SslOpts, Statement, TxOpts};
use serde_json::Value;

use super::sql_server::{
    self, Placeholders, ServerQuery, Session, CONNECT_TIMEOUT_SECS, READ_ONLY,
    STATEMENT_TIMEOUT_SECS,
};
use super::{Cancel, ConnectorError, Found, OpenContext, SearchKeys, Source};
use crate::register::Settings;

/// MySQL's "binary" character set: the column holds bytes, not text.
const BINARY_CHARSET: u16 = 63;

/// Opens a `mysql` system: parses its URL, looks up its password and rewrites its queries.
/// Nothing connects until a search or test.
pub(crate) fn open(cx: &OpenContext<'_>) -> Result<Box<dyn Source>, ConnectorError> {
    let (opts, endpoint, settings) = options(cx, Access::ReadOnly)?;
    Ok(Box::new(MysqlSource {
        opts,
        endpoint,
        queries: sql_server::server_queries(settings, Placeholders::Question),
    }))
}

/// Whether a session's transactions may write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    /// Searches: the session is read-only.
    ReadOnly,
    /// Acting (SPEC §10): the register's erase and restrict statements.
    ReadWrite,
}

/// The connection options of a `mysql` system and its endpoint for messages: URL, password,
/// timeouts and TLS, the same rules for searching and acting; only the read-only session
/// and how UPDATE counts rows differ.
fn options<'c>(
    cx: &OpenContext<'c>,
    access: Access,
) -> Result<(Opts, String, &'c crate::register::ServerSettings), ConnectorError> {
    let Settings::Mysql(settings) = &cx.connector.settings else {
        return Err(ConnectorError::Unsupported {
            kind: cx.connector.kind().code().to_string(),
        });
    };
    let bad_url = |reason: String| ConnectorError::Unreachable {
        endpoint: "the mysql URL".to_string(),
        reason: format!("the URL is not valid ({reason})"),
    };
    let (url, sslmode) = take_sslmode(&settings.url).map_err(bad_url)?;
    let opts = Opts::from_url(&url).map_err(|e| bad_url(e.to_string()))?;
    let endpoint = format!(
        "{}:{}/{}",
        opts.get_ip_or_hostname(),
        opts.get_tcp_port(),
        opts.get_db_name().unwrap_or_default()
    );
    // Off this machine the connection is encrypted or not made: MySQL's own default is plain
    // text, which would carry every record found in clear over the firm's network.
    let local = sql_server::is_loopback(&opts.get_ip_or_hostname());
    let tls = match sslmode {
        Some(false) if !local => {
            return Err(ConnectorError::Insecure {
                endpoint,
                detail: "sslmode=disable is only allowed for a server on this machine — turn \
                         on TLS on the server, or reach it through a tunnel on 127.0.0.1"
                    .to_string(),
            })
        }
        Some(tls) => tls,
        None => !local,
    };
    let mut builder = OptsBuilder::from_opts(opts.clone())
        .pass(sql_server::password(settings, cx)?)
        .tcp_connect_timeout(Some(Duration::from_secs(CONNECT_TIMEOUT_SECS)))
        .read_timeout(Some(Duration::from_secs(STATEMENT_TIMEOUT_SECS)))
        .write_timeout(Some(Duration::from_secs(STATEMENT_TIMEOUT_SECS)))
        // Reconnecting over the server's Unix socket would change how it authenticates us.
        .prefer_socket(false)
        // TIMESTAMP values in UTC so they can be written with a `Z`; read-only so a search
        // query that writes fails instead of changing the firm's data.
        .init(match access {
            Access::ReadOnly => vec![
                "SET SESSION time_zone = '+00:00'",
                "SET SESSION TRANSACTION READ ONLY",
            ],
            Access::ReadWrite => vec!["SET SESSION time_zone = '+00:00'"],
        })
        // An UPDATE counts the rows it matched, as on PostgreSQL and SQLite, not only those
        // whose values changed: a restriction's count does not depend on flags already set.
        .additional_capabilities(match access {
            Access::ReadOnly => opts.get_additional_capabilities(),
            Access::ReadWrite => {
                opts.get_additional_capabilities() | CapabilityFlags::CLIENT_FOUND_ROWS
            }
        });
    if tls && opts.get_ssl_opts().is_none() {
        builder = builder.ssl_opts(SslOpts::default());
    }
    Ok((builder.into(), endpoint, settings))
}

/// Removes `sslmode=` from the URL (the PostgreSQL spelling, which the MySQL client does not
/// know) and says whether it asks for TLS: `require` / `verify-full` verify the server's
/// certificate, `disable` connects in plain, none leaves the choice to the host (TLS unless
/// it is this machine). The client's own TLS options (`root_cert_path`, …) stay in the URL
/// and also turn TLS on.
fn take_sslmode(url: &str) -> Result<(String, Option<bool>), String> {
    let mut parsed = url::Url::parse(url).map_err(|e| e.to_string())?;
    let mut tls = None;
    let mut rest = Vec::new();
    for (key, value) in parsed.query_pairs() {
        if key == "sslmode" {
            tls = match value.as_ref() {
                "disable" => Some(false),
                "require" | "verify-full" => Some(true),
                _ => return Err("sslmode must be disable, require or verify-full".to_string()),
            };
        } else {
            rest.push((key.into_owned(), value.into_owned()));
        }
    }
    if rest.is_empty() {
        parsed.set_query(None);
    } else {
        parsed.query_pairs_mut().clear().extend_pairs(rest);
    }
    Ok((parsed.into(), tls))
}

struct MysqlSource {
    opts: Opts,
    endpoint: String,
    queries: Vec<ServerQuery>,
}

impl MysqlSource {
    fn connect(&self) -> Result<MySession, ConnectorError> {
        sql_server::install_crypto_provider();
        let conn = Conn::new(self.opts.clone()).map_err(|e| connect_error(e, &self.endpoint))?;
        Ok(MySession {
            conn,
            endpoint: self.endpoint.clone(),
        })
    }
}

impl Source for MysqlSource {
    fn search(&self, keys: &SearchKeys, cancel: &Cancel) -> Result<Vec<Found>, ConnectorError> {
        sql_server::search(&self.queries, keys, cancel, || self.connect())
    }

    fn test(&self) -> Result<String, ConnectorError> {
        let n = sql_server::prepare_all(&self.queries, self.connect()?)?;
        Ok(format!(
            "connected to {}; {n} queries prepared",
            self.endpoint
        ))
    }
}

struct MySession {
    conn: Conn,
    endpoint: String,
}

impl Session for MySession {
    type Statement = Statement;

    fn prepare(&mut self, query: &ServerQuery) -> Result<Statement, ConnectorError> {
        let statement = self
            .conn
            .prep(&query.sql)
            .map_err(|e| statement_error(e, query, &self.endpoint, Stage::Prepare))?;
        // A statement without result columns (SELECT … INTO OUTFILE, SET, a bare DELETE)
        // has no business in a search and is refused before it ever runs: a read-only
        // transaction does not stop a file being written on the server.
        if statement.columns().is_empty() {
            return Err(sql_server::returns_no_rows(query));
        }
        Ok(statement)
    }

    fn rows(
        &mut self,
        query: &ServerQuery,
        statement: &Statement,
        run: &[&str],
    ) -> Result<Vec<Value>, ConnectorError> {
        let params: Vec<mysql::Value> = query
            .per_placeholder(run)
            .into_iter()
            .map(mysql::Value::from)
            .collect();
        let params = if params.is_empty() {
            Params::Empty
        } else {
            Params::Positional(params)
        };
        let endpoint = &self.endpoint;
        let fail = |e| statement_error(e, query, endpoint, Stage::Run);
        // Each run is its own read-only transaction, rolled back whatever happened, so no
        // statement can switch the guard off for the ones after it.
        let mut transaction = self
            .conn
            .start_transaction(TxOpts::default().set_access_mode(Some(AccessMode::ReadOnly)))
            .map_err(fail)?;
        let result = read_rows(&mut transaction, statement, params);
        let rolled_back = transaction.rollback();
        let out = result.map_err(fail)?;
        rolled_back.map_err(fail)?;
        Ok(out)
    }
}

/// A `mysql` system opened for acting (SPEC §10): the same URL, password, TLS and timeout
/// rules as a search, but its sessions may write. Nothing connects until
/// [`MyWritable::connect`].
pub(crate) struct MyWritable {
    opts: Opts,
    endpoint: String,
}

/// Opens a `mysql` system for acting.
pub(crate) fn open_writable(cx: &OpenContext<'_>) -> Result<MyWritable, ConnectorError> {
    let (opts, endpoint, _) = options(cx, Access::ReadWrite)?;
    Ok(MyWritable { opts, endpoint })
}

impl MyWritable {
    /// Connects; the socket's read and write timeouts bound every statement as in a search.
    pub fn connect(&self) -> Result<MyWriter, ConnectorError> {
        sql_server::install_crypto_provider();
        let conn = Conn::new(self.opts.clone()).map_err(|e| connect_error(e, &self.endpoint))?;
        Ok(MyWriter {
            conn,
            endpoint: self.endpoint.clone(),
            non_transactional: None,
        })
    }
}

/// One read-write connection. The caller opens the transaction and ends it; a connection
/// dropped inside one is rolled back by the server when it disconnects.
pub(crate) struct MyWriter {
    conn: Conn,
    endpoint: String,
    /// Tables the user can reach whose engine cannot roll back (MyISAM, Aria, MEMORY, …),
    /// lower-cased; read once per connection.
    non_transactional: Option<Vec<String>>,
}

impl MyWriter {
    fn control(&mut self, sql: &str) -> Result<(), ConnectorError> {
        let named = ServerQuery {
            name: sql.to_string(),
            sql: String::new(),
            names: Vec::new(),
            slots: Vec::new(),
        };
        self.conn
            .query_drop(sql)
            .map_err(|e| statement_error(e, &named, &self.endpoint, Stage::Run))
    }

    /// Starts the transaction every statement of a system runs in.
    pub fn begin(&mut self) -> Result<(), ConnectorError> {
        self.control("START TRANSACTION")
    }

    /// Rolls the transaction back.
    pub fn rollback(&mut self) -> Result<(), ConnectorError> {
        self.control("ROLLBACK")
    }

    /// Commits the transaction.
    pub fn commit(&mut self) -> Result<(), ConnectorError> {
        self.control("COMMIT")
    }

    /// Prepares an erase or restrict statement. One that returns rows (a SELECT, MariaDB's
    /// `RETURNING`) is refused, and so is one naming a table whose engine cannot roll back:
    /// a dry run there would really delete, and a count that differs from the plan could not
    /// be undone.
    pub fn prepare_writing(&mut self, query: &ServerQuery) -> Result<Statement, ConnectorError> {
        let statement = self
            .conn
            .prep(&query.sql)
            .map_err(|e| statement_error(e, query, &self.endpoint, Stage::Prepare))?;
        if !statement.columns().is_empty() {
            return Err(returns_rows(query));
        }
        let tables = self.non_transactional(query)?;
        let words: Vec<String> = identifiers(&query.sql);
        if let Some(table) = tables.iter().find(|t| words.contains(t)) {
            return Err(ConnectorError::QueryInvalid {
                query: query.name.clone(),
                detail: format!(
                    "table '{table}' uses a storage engine without transactions, so the desk can neither dry-run nor roll back this statement — convert it to InnoDB, or erase by hand"
                ),
            });
        }
        Ok(statement)
    }

    fn non_transactional(&mut self, query: &ServerQuery) -> Result<Vec<String>, ConnectorError> {
        if let Some(t) = &self.non_transactional {
            return Ok(t.clone());
        }
        let endpoint = &self.endpoint;
        let tables: Vec<String> = self
            .conn
            .query(
                "SELECT DISTINCT LOWER(t.TABLE_NAME) FROM information_schema.TABLES t
                 JOIN information_schema.ENGINES e ON e.ENGINE = t.ENGINE
                 WHERE t.TABLE_TYPE = 'BASE TABLE' AND e.TRANSACTIONS <> 'YES'
                   AND t.TABLE_SCHEMA NOT IN ('mysql', 'information_schema', 'performance_schema', 'sys')",
            )
            .map_err(|e| statement_error(e, query, endpoint, Stage::Prepare))?;
        self.non_transactional = Some(tables.clone());
        Ok(tables)
    }

    /// Prepares a search query, to read the rows it returns inside the open transaction.
    pub fn prepare_reading(&mut self, query: &ServerQuery) -> Result<Statement, ConnectorError> {
        self.conn
            .prep(&query.sql)
            .map_err(|e| statement_error(e, query, &self.endpoint, Stage::Prepare))
    }

    /// Runs a prepared statement with one run's values (in `names` order); the rows it
    /// matched. MariaDB prepares `DELETE … RETURNING` without result columns, so what the
    /// execution returned is checked too: rows are an error, and the caller rolls back.
    pub fn execute(
        &mut self,
        query: &ServerQuery,
        statement: &Statement,
        run: &[&str],
    ) -> Result<u64, ConnectorError> {
        let MyWriter { conn, endpoint, .. } = self;
        let fail = |e| statement_error(e, query, endpoint, Stage::Run);
        let mut result = conn
            .exec_iter(statement, positional(query, run))
            .map_err(fail)?;
        let mut returned_rows = false;
        while let Some(set) = result.iter() {
            returned_rows |= !set.columns().as_ref().is_empty();
            for row in set {
                row.map_err(fail)?;
            }
        }
        drop(result);
        if returned_rows {
            return Err(returns_rows(query));
        }
        Ok(conn.affected_rows())
    }

    /// Runs a prepared search query with one run's values; its rows as JSON text.
    pub fn rows(
        &mut self,
        query: &ServerQuery,
        statement: &Statement,
        run: &[&str],
    ) -> Result<Vec<String>, ConnectorError> {
        let rows = read_rows(&mut self.conn, statement, positional(query, run))
            .map_err(|e| statement_error(e, query, &self.endpoint, Stage::Run))?;
        Ok(rows.iter().map(Value::to_string).collect())
    }
}

fn returns_rows(query: &ServerQuery) -> ConnectorError {
    ConnectorError::QueryInvalid {
        query: query.name.clone(),
        detail: "it returns rows: an erase or restrict statement must be a DELETE or UPDATE without RETURNING".to_string(),
    }
}

/// One run's values bound to the `?` placeholders in order.
fn positional(query: &ServerQuery, run: &[&str]) -> Params {
    let params: Vec<mysql::Value> = query
        .per_placeholder(run)
        .into_iter()
        .map(mysql::Value::from)
        .collect();
    if params.is_empty() {
        Params::Empty
    } else {
        Params::Positional(params)
    }
}

/// The words of a statement that could name a table, lower-cased, without backticks.
fn identifiers(sql: &str) -> Vec<String> {
    sql.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn read_rows(
    transaction: &mut impl Queryable,
    statement: &Statement,
    params: Params,
) -> Result<Vec<Value>, mysql::Error> {
    let mut out = Vec::new();
    for row in transaction.exec_iter(statement, params)? {
        let row = row?;
        let columns = row.columns_ref();
        out.push(sql_server::record(columns.iter().enumerate().map(
            |(i, column)| {
                let value = row.as_ref(i).map_or(Value::Null, |v| cell(v, column));
                (column.name_str().into_owned(), value)
            },
        )));
    }
    Ok(out)
}

/// One column value as JSON: integers and floats as numbers, DECIMAL as exact decimal text,
/// DATE / DATETIME as ISO 8601 text, TIMESTAMP as RFC 3339 in UTC, TIME as `[-]HH:MM:SS`,
/// BIT as a number, binary columns (BLOB, VARBINARY, geometry) as base64, JSON as JSON, NULL
/// as null.
fn cell(value: &mysql::Value, column: &Column) -> Value {
    use mysql::Value as My;
    let kind = column.column_type();
    match value {
        My::NULL => Value::Null,
        My::Int(i) => Value::from(*i),
        My::UInt(u) => Value::from(*u),
        My::Float(f) => sql_server::float(f64::from(*f)),
        My::Double(d) => sql_server::float(*d),
        My::Date(y, mo, d, h, mi, s, us) => {
            let date = format!("{y:04}-{mo:02}-{d:02}");
            let fraction = if *us > 0 {
                format!(".{us:06}")
            } else {
                String::new()
            };
            Value::String(match kind {
                ColumnType::MYSQL_TYPE_DATE | ColumnType::MYSQL_TYPE_NEWDATE => date,
                ColumnType::MYSQL_TYPE_TIMESTAMP | ColumnType::MYSQL_TYPE_TIMESTAMP2 => {
                    format!("{date}T{h:02}:{mi:02}:{s:02}{fraction}Z")
                }
                _ => format!("{date}T{h:02}:{mi:02}:{s:02}{fraction}"),
            })
        }
        My::Time(negative, days, h, mi, s, us) => {
            let hours = u64::from(*days) * 24 + u64::from(*h);
            let sign = if *negative { "-" } else { "" };
            let fraction = if *us > 0 {
                format!(".{us:06}")
            } else {
                String::new()
            };
            Value::String(format!("{sign}{hours:02}:{mi:02}:{s:02}{fraction}"))
        }
        My::Bytes(bytes) => match kind {
            ColumnType::MYSQL_TYPE_DECIMAL | ColumnType::MYSQL_TYPE_NEWDECIMAL => {
                Value::String(String::from_utf8_lossy(bytes).into_owned())
            }
            // BIT(n) arrives as big-endian bytes; up to 64 bits it is a number.
            ColumnType::MYSQL_TYPE_BIT if bytes.len() <= 8 => {
                Value::from(bytes.iter().fold(0u64, |n, b| (n << 8) | u64::from(*b)))
            }
            ColumnType::MYSQL_TYPE_JSON => {
                serde_json::from_slice(bytes).unwrap_or_else(|_| text(bytes))
            }
            _ if column.character_set() == BINARY_CHARSET => sql_server::base64(bytes),
            _ => text(bytes),
        },
    }
}

fn text(bytes: &[u8]) -> Value {
    match std::str::from_utf8(bytes) {
        Ok(s) => Value::String(s.to_string()),
        Err(_) => sql_server::base64(bytes),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Stage {
    Prepare,
    Run,
}

/// Server errors whose message is about the statement (unknown column or table, syntax,
/// access, collations), never about a bound value, so they can be shown at run time too.
const STATEMENT_ERRORS: &[u16] = &[1054, 1064, 1142, 1143, 1146, 1253, 1267, 1271];
/// MySQL's `max_execution_time` and MariaDB's `max_statement_time` interruptions.
const TIMEOUT_ERRORS: &[u16] = &[3024, 1969];

fn statement_error(
    e: mysql::Error,
    query: &ServerQuery,
    endpoint: &str,
    stage: Stage,
) -> ConnectorError {
    let timeout = ConnectorError::Timeout {
        endpoint: endpoint.to_string(),
        seconds: STATEMENT_TIMEOUT_SECS,
    };
    match e {
        mysql::Error::MySqlError(server) if TIMEOUT_ERRORS.contains(&server.code) => timeout,
        mysql::Error::MySqlError(server) if server.code == 1792 => ConnectorError::QueryInvalid {
            query: query.name.clone(),
            detail: format!("{READ_ONLY} (error 1792)"),
        },
        mysql::Error::MySqlError(server) => {
            let detail = if stage == Stage::Prepare || STATEMENT_ERRORS.contains(&server.code) {
                format!("{} (error {})", server.message, server.code)
            } else {
                format!("the server refused to run it (error {})", server.code)
            };
            ConnectorError::QueryInvalid {
                query: query.name.clone(),
                detail,
            }
        }
        mysql::Error::IoError(io) if is_timeout(io.kind()) => timeout,
        _ => ConnectorError::Unreachable {
            endpoint: endpoint.to_string(),
            reason: "the connection was lost".to_string(),
        },
    }
}

fn connect_error(e: mysql::Error, endpoint: &str) -> ConnectorError {
    use mysql::DriverError;
    let unreachable = |reason: String| ConnectorError::Unreachable {
        endpoint: endpoint.to_string(),
        reason,
    };
    let timeout = ConnectorError::Timeout {
        endpoint: endpoint.to_string(),
        seconds: CONNECT_TIMEOUT_SECS,
    };
    let io = |kind: std::io::ErrorKind, what: String| match kind {
        k if is_timeout(k) => timeout.clone(),
        std::io::ErrorKind::ConnectionRefused => unreachable("connection refused".to_string()),
        _ => unreachable(what),
    };
    match e {
        // Access denied (with or without a password, or to the database): the server's
        // message names the user, so only the fact is reported.
        mysql::Error::MySqlError(server) if matches!(server.code, 1044 | 1045 | 1698) => {
            ConnectorError::AuthRefused { endpoint: endpoint.to_string() }
        }
        mysql::Error::MySqlError(server) if server.code == 1049 => unreachable("the database does not exist".to_string()),
        mysql::Error::MySqlError(server) => {
            unreachable(format!("the server refused the connection (error {})", server.code))
        }
        mysql::Error::DriverError(DriverError::ConnectTimeout) => timeout,
        mysql::Error::DriverError(DriverError::CouldNotConnect(Some((_, what, kind)))) => io(kind, what),
        mysql::Error::IoError(e) => io(e.kind(), e.to_string()),
        mysql::Error::TlsError(e) => unreachable(format!("TLS: {e}")),
        mysql::Error::DriverError(DriverError::TlsNotSupported) => {
            unreachable("the server does not offer TLS — enable it there, or remove sslmode=require from the URL".to_string())
        }
        other => unreachable(other.to_string()),
    }
}

fn is_timeout(kind: std::io::ErrorKind) -> bool {
    matches!(
        kind,
        std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sslmode_is_taken_out_of_the_url_and_other_options_stay() {
        let (url, tls) = take_sslmode(
            "mysql://app@db.example:3306/crm?sslmode=require&tcp_connect_timeout_ms=500",
        )
        .unwrap();
        assert_eq!(tls, Some(true));
        assert_eq!(
            url,
            "mysql://app@db.example:3306/crm?tcp_connect_timeout_ms=500"
        );
        let (url, tls) = take_sslmode("mysql://app@127.0.0.1:3306/crm").unwrap();
        assert_eq!(tls, None);
        assert_eq!(url, "mysql://app@127.0.0.1:3306/crm");
        assert!(take_sslmode("mysql://app@h/db?sslmode=sometimes").is_err());
    }
}
