//! The `postgres` connector: runs a system's named queries on a PostgreSQL server with the
//! subject's values bound as `$n` parameters, one read-only session per search.

use std::error::Error as StdError;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use bytes::BytesMut;
use postgres::config::{Host, SslMode};
use postgres::types::{Format, IsNull, ToSql, Type};
use postgres::{Client, Config, NoTls, Statement};
use serde_json::Value;

use self::values::Cell;
use super::sql_server::{
    self, Placeholders, ServerQuery, Session, CONNECT_TIMEOUT_SECS, READ_ONLY,
    STATEMENT_TIMEOUT_SECS,
};
use super::watchdog::{self, Heartbeat};
use super::{Cancel, ConnectorError, Found, OpenContext, SearchKeys, Source};
use crate::register::Settings;

mod values;

/// Opens a `postgres` system: parses its URL, looks up its password and rewrites its queries.
/// Nothing connects until a search or test.
pub(crate) fn open(cx: &OpenContext<'_>) -> Result<Box<dyn Source>, ConnectorError> {
    Ok(Box::new(PostgresSource(Arc::new(target(cx, Access::ReadOnly)?))))
}

/// Whether a session's transactions may write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    /// Searches: every transaction is read-only.
    ReadOnly,
    /// Acting (SPEC §10): the register's erase and restrict statements.
    ReadWrite,
}

/// The connection settings of a `postgres` system: URL, password, timeouts and TLS, the same
/// rules for searching and acting; only the read-only default differs.
fn target(cx: &OpenContext<'_>, access: Access) -> Result<Target, ConnectorError> {
    let Settings::Postgres(settings) = &cx.connector.settings else {
        return Err(ConnectorError::Unsupported {
            kind: cx.connector.kind().code().to_string(),
        });
    };
    let mut config: Config =
        settings
            .url
            .parse()
            .map_err(|e: postgres::Error| ConnectorError::Unreachable {
                endpoint: "the postgres URL".to_string(),
                reason: format!("the URL is not valid ({e})"),
            })?;
    let endpoint = endpoint(&config);
    if let Some(password) = sql_server::password(settings, cx)? {
        config.password(password);
    }
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(Duration::from_secs(CONNECT_TIMEOUT_SECS));
    }
    // Startup options cost no extra round trip. Read-only is also the session default, but
    // the guard that counts is the `BEGIN READ ONLY … ROLLBACK` around every query
    // (`PgSession::rows`). The URL's own `options` may raise the statement timeout, but never
    // switch the read-only default off: those settings are dropped and ours come last.
    let theirs = without_read_only_settings(config.get_options().unwrap_or_default());
    let timeout_secs = statement_timeout_secs(&theirs).unwrap_or(STATEMENT_TIMEOUT_SECS);
    // Acting sessions write only inside the transactions the acting code opens and ends
    // itself; their read-only default is simply not forced on.
    let read_only = match access {
        Access::ReadOnly => " -c default_transaction_read_only=on",
        Access::ReadWrite => "",
    };
    let options = format!(
        "-c statement_timeout={} {theirs}{read_only}",
        STATEMENT_TIMEOUT_SECS * 1000
    );
    config.options(&options);
    // The read-only default aside, a search's session is the one acting would open.
    let login_options = format!("-c statement_timeout={} {theirs}", STATEMENT_TIMEOUT_SECS * 1000);
    if config.get_application_name().is_none() {
        config.application_name("dsar-desk");
    }
    let all_local = config.get_hosts().iter().all(|h| match h {
        Host::Tcp(name) => sql_server::is_loopback(name),
        #[cfg(unix)]
        Host::Unix(_) => true,
    });
    // TLS is required off this machine: `prefer` goes on in plain text when anyone on the
    // path answers that the server has no TLS, so it is refused rather than honoured. On
    // loopback TLS protects nothing and is only used when the URL asks for it.
    if settings.url.contains("sslmode=") {
        if config.get_ssl_mode() == SslMode::Disable && !all_local {
            return Err(ConnectorError::Insecure {
                endpoint,
                detail: "sslmode=disable is only allowed for a server on this machine — turn \
                         on TLS on the server, or reach it through a tunnel on 127.0.0.1"
                    .to_string(),
            });
        }
        if config.get_ssl_mode() == SslMode::Prefer {
            return Err(ConnectorError::Insecure {
                endpoint,
                detail: "sslmode=prefer falls back to plain text whenever someone on the network \
                         claims the server has no TLS — use sslmode=require"
                    .to_string(),
            });
        }
    } else if all_local {
        config.ssl_mode(SslMode::Disable);
    } else {
        config.ssl_mode(SslMode::Require);
    }
    let tls = match config.get_ssl_mode() {
        SslMode::Disable => None,
        _ => Some(rustls_connector()),
    };
    Ok(Target {
        login: parking::key(&config, &login_options),
        config,
        tls,
        endpoint,
        timeout_secs,
        queries: sql_server::server_queries(settings, Placeholders::Numbered),
    })
}

/// A URL's `options` without any setting of `default_transaction_read_only` or
/// `transaction_read_only` (`-c name=v`, `-cname=v`, `--name=v`; the server folds case and
/// reads `-` as `_`).
fn without_read_only_settings(options: &str) -> String {
    let is_guard = |setting: &str| {
        let name = setting.split('=').next().unwrap_or("");
        let name = name.to_ascii_lowercase().replace('-', "_");
        name == "default_transaction_read_only" || name == "transaction_read_only"
    };
    let mut kept: Vec<&str> = Vec::new();
    let mut tokens = options.split_whitespace();
    while let Some(token) = tokens.next() {
        if token == "-c" {
            match tokens.next() {
                Some(setting) if is_guard(setting) => {}
                Some(setting) => kept.extend(["-c", setting]),
                None => kept.push(token),
            }
        } else if let Some(setting) = token.strip_prefix("--").or_else(|| token.strip_prefix("-c")) {
            if !is_guard(setting) {
                kept.push(token);
            }
        } else {
            kept.push(token);
        }
    }
    kept.join(" ")
}

/// The statement timeout a URL's `options` set (`-c statement_timeout=120000` or `=2min`),
/// in whole seconds, for the timeout message.
fn statement_timeout_secs(options: &str) -> Option<u64> {
    // The last setting wins on the server too.
    let value = options
        .split_whitespace()
        .rev()
        .find_map(|t| t.strip_prefix("statement_timeout="))?;
    let digits = value
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(value.len());
    let number: u64 = value[..digits].parse().ok()?;
    let ms_per_unit = match value[digits..].trim() {
        "" | "ms" => 1,
        "s" => 1000,
        "min" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        _ => return None,
    };
    Some(number.saturating_mul(ms_per_unit).div_ceil(1000))
}

/// TLS with the server certificate checked against the Mozilla roots and the system's
/// store (where a firm installs its own CA).
fn rustls_connector() -> tokio_postgres_rustls::MakeRustlsConnect {
    sql_server::install_crypto_provider();
    let mut roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    // A system store that cannot be read leaves the Mozilla roots, which is still safe.
    for cert in rustls_native_certs::load_native_certs().certs {
        let _ = roots.add(cert);
    }
    // The provider installed above (or one another crate installed) makes this infallible.
    let config = rustls::ClientConfig::builder()
        .with_root_certificates(roots)
        .with_no_client_auth();
    tokio_postgres_rustls::MakeRustlsConnect::new(config)
}

/// `host:port/db` for messages: never the user or the password.
fn endpoint(config: &Config) -> String {
    let hosts: Vec<String> = config
        .get_hosts()
        .iter()
        .map(|h| match h {
            Host::Tcp(name) => name.clone(),
            #[cfg(unix)]
            Host::Unix(path) => path.display().to_string(),
        })
        .collect();
    let host = if hosts.is_empty() {
        "localhost".to_string()
    } else {
        hosts.join(",")
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let db = config
        .get_dbname()
        .or(config.get_user())
        .unwrap_or("postgres");
    format!("{host}:{port}/{db}")
}

/// Everything a search needs, shared with the thread it runs on.
struct Target {
    /// Where and as whom its sessions log in, read-only default aside ([`parking`]).
    login: [u8; 32],
    config: Config,
    tls: Option<tokio_postgres_rustls::MakeRustlsConnect>,
    endpoint: String,
    timeout_secs: u64,
    queries: Vec<ServerQuery>,
}

/// The client blocks on its socket without a read timeout, so every search and test runs
/// under a [`watchdog`](super::watchdog): a server that stops answering costs the pull at
/// most the statement timeout (plus a margin), and Cancel returns at once.
struct PostgresSource(Arc<Target>);

/// Added to the statement timeout before the watchdog gives up: the server's own timeout
/// should fire first and say so.
const STALL_MARGIN: Duration = Duration::from_secs(5);

impl Target {
    fn connect_limit(&self) -> Duration {
        self.config.get_connect_timeout().copied().unwrap_or(Duration::from_secs(CONNECT_TIMEOUT_SECS)) + STALL_MARGIN
    }

    fn statement_limit(&self) -> Duration {
        Duration::from_secs(self.timeout_secs) + STALL_MARGIN
    }

    fn stalled(&self, limit: Duration) -> ConnectorError {
        ConnectorError::Timeout { endpoint: self.endpoint.clone(), seconds: limit.as_secs() + u64::from(limit.subsec_nanos() > 0) }
    }

    fn connect(&self, beat: &Heartbeat) -> Result<PgSession, ConnectorError> {
        beat.step(self.connect_limit());
        let client = match &self.tls {
            None => self.config.connect(NoTls),
            Some(tls) => self.config.connect(tls.clone()),
        };
        let client = client.map_err(|e| connect_error(&e, &self.endpoint))?;
        Ok(PgSession {
            client,
            endpoint: self.endpoint.clone(),
            timeout_secs: self.timeout_secs,
            beat: beat.clone(),
            limit: self.statement_limit(),
        })
    }
}

impl Source for PostgresSource {
    fn search(&self, keys: &SearchKeys, cancel: &Cancel) -> Result<Vec<Found>, ConnectorError> {
        let target = Arc::clone(&self.0);
        let (keys, inner_cancel) = (keys.clone(), cancel.clone());
        watchdog::watched(self.0.connect_limit(), cancel, |limit| self.0.stalled(limit), move |beat| {
            let mut session = None;
            let found = sql_server::search(&target.queries, &keys, &inner_cancel, || Ok(session.insert(target.connect(&beat)?)))?;
            if let Some(s) = session {
                parking::park(&target, s.client);
            }
            Ok(found)
        })
    }

    fn test(&self) -> Result<String, ConnectorError> {
        let target = Arc::clone(&self.0);
        let n = watchdog::watched(self.0.connect_limit(), &Cancel::new(), |limit| self.0.stalled(limit), move |beat| {
            sql_server::prepare_all(&target.queries, target.connect(&beat)?)
        })?;
        Ok(format!(
            "connected to {}; {n} queries prepared",
            self.0.endpoint
        ))
    }
}

/// A search's connection, kept for a moment for the statements that follow a search when a
/// case is planned or verified: a new connection (SCRAM, a server process) costs more than
/// the statements. Only a session to the same server, as the same user with the same
/// password and options, is taken; one not taken within [`parking::KEPT`] is closed.
mod parking {
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::Mutex;
    use std::time::Duration;

    use postgres::{Client, Config};
    use sha2::{Digest, Sha256};

    use super::Target;

    /// How long a parked session waits.
    pub(super) const KEPT: Duration = Duration::from_secs(2);

    struct Parked {
        key: [u8; 32],
        client: Client,
        generation: u64,
    }

    static PARKED: Mutex<Option<Parked>> = Mutex::new(None);
    static GENERATION: AtomicU64 = AtomicU64::new(0);

    /// Everything that decides where and as whom a session is logged in, with `options`
    /// standing in for the config's own (which differ by the read-only default).
    pub(super) fn key(c: &Config, options: &str) -> [u8; 32] {
        let mut h = Sha256::new();
        for part in [
            format!("{:?}", c.get_hosts()),
            format!("{:?}", c.get_ports()),
            format!("{:?}", c.get_dbname()),
            format!("{:?}", c.get_user()),
            format!("{:?}", c.get_application_name()),
            format!("{:?}", c.get_ssl_mode()),
            options.to_string(),
        ] {
            h.update(part.as_bytes());
            h.update([0]);
        }
        h.update(c.get_password().unwrap_or_default());
        h.finalize().into()
    }

    /// Keeps `client` for [`KEPT`], closing any session parked before.
    pub(super) fn park(target: &Target, client: Client) {
        if client.is_closed() {
            return;
        }
        let generation = GENERATION.fetch_add(1, Ordering::Relaxed) + 1;
        let earlier = match PARKED.lock() {
            Ok(mut slot) => slot.replace(Parked { key: target.login, client, generation }),
            Err(_) => return,
        };
        drop(earlier);
        // The session must not outlive its moment: a thread closes it unless it was taken.
        let _ = std::thread::Builder::new().name("dsar-pg-parked".into()).spawn(move || {
            std::thread::sleep(KEPT);
            let stale = PARKED.lock().ok().and_then(|mut slot| {
                if slot.as_ref().is_some_and(|p| p.generation == generation) {
                    slot.take()
                } else {
                    None
                }
            });
            drop(stale);
        });
    }

    /// The parked session to `target`'s server and user, if there is one.
    pub(super) fn take(target: &Target) -> Option<Client> {
        let mut slot = PARKED.lock().ok()?;
        if slot.as_ref().is_some_and(|p| p.key == target.login) {
            slot.take().map(|p| p.client).filter(|c| !c.is_closed())
        } else {
            None
        }
    }
}

struct PgSession {
    client: Client,
    endpoint: String,
    timeout_secs: u64,
    /// Told before each round trip how long it may take.
    beat: Heartbeat,
    limit: Duration,
}

impl PgSession {
    fn at(&self) -> At<'_> {
        At {
            endpoint: &self.endpoint,
            timeout_secs: self.timeout_secs,
        }
    }
}

/// The search borrows the session, so that it can be parked afterwards.
impl Session for &mut PgSession {
    type Statement = Statement;

    fn prepare(&mut self, query: &ServerQuery) -> Result<Statement, ConnectorError> {
        (**self).prepare(query)
    }

    fn rows(&mut self, query: &ServerQuery, statement: &Statement, run: &[&str]) -> Result<Vec<Value>, ConnectorError> {
        (**self).rows(query, statement, run)
    }
}

/// Where a statement failed, for its error.
#[derive(Clone, Copy)]
struct At<'a> {
    endpoint: &'a str,
    timeout_secs: u64,
}

impl Session for PgSession {
    type Statement = Statement;

    fn prepare(&mut self, query: &ServerQuery) -> Result<Statement, ConnectorError> {
        self.beat.step(self.limit);
        let statement = self
            .client
            .prepare(&query.sql)
            .map_err(|e| statement_error(&e, query, self.at(), Stage::Prepare))?;
        // A statement without result columns (COPY … TO PROGRAM, SET, a bare DELETE) has no
        // business in a search and is refused before it ever runs.
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
        self.beat.step(self.limit);
        let params: Vec<TextParam<'_>> = run.iter().map(|v| TextParam(v)).collect();
        let refs: Vec<&(dyn ToSql + Sync)> =
            params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
        // Each run is its own read-only transaction, rolled back whatever happened: a
        // statement cannot switch the guard off (set_config, SET) for the ones after it, and
        // a data-modifying CTE fails with SQLSTATE 25006 instead of deleting.
        let at = At {
            endpoint: &self.endpoint,
            timeout_secs: self.timeout_secs,
        };
        let mut transaction = self
            .client
            .build_transaction()
            .read_only(true)
            .start()
            .map_err(|e| statement_error(&e, query, at, Stage::Run))?;
        let result = transaction.query(statement, &refs);
        let rolled_back = transaction.rollback();
        let rows = match result {
            Ok(rows) => rows,
            Err(e) if value_cannot_match(&e) => return Ok(Vec::new()),
            Err(e) => return Err(statement_error(&e, query, at, Stage::Run)),
        };
        rolled_back.map_err(|e| statement_error(&e, query, at, Stage::Run))?;
        Ok(rows.iter().map(record).collect())
    }
}

/// A row as a JSON object.
fn record(row: &postgres::Row) -> Value {
    sql_server::record(row.columns().iter().enumerate().map(|(i, column)| {
        // `Cell` accepts every type and never fails, so an error here is a row
        // shorter than its description: show the gap rather than drop the record.
        let value = row.try_get::<_, Cell>(i).map_or(Value::Null, |c| c.0);
        (column.name().to_string(), value)
    }))
}

/// A `postgres` system opened for acting (SPEC §10): the same URL, password, TLS and timeout
/// rules as a search, but its transactions may write. Nothing connects until
/// [`PgWritable::run`].
pub(crate) struct PgWritable(Arc<Target>);

/// Opens a `postgres` system for acting.
pub(crate) fn open_writable(cx: &OpenContext<'_>) -> Result<PgWritable, ConnectorError> {
    Ok(PgWritable(Arc::new(target(cx, Access::ReadWrite)?)))
}

impl PgWritable {
    /// Connects (or takes over the session a search just parked) and runs `work` under the
    /// [`watchdog`], as searches do: a server that stops answering costs at most the
    /// statement timeout instead of blocking the desk. Once the watchdog has given up, the
    /// abandoned session can no longer commit.
    pub fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut PgWriter) -> Result<T, ConnectorError> + Send + 'static,
    ) -> Result<T, ConnectorError> {
        let target = Arc::clone(&self.0);
        let abandoned = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&abandoned);
        let result = watchdog::watched(self.0.connect_limit(), &Cancel::new(), |limit| self.0.stalled(limit), move |beat| {
            let session = match parking::take(&target) {
                Some(client) => PgSession {
                    client,
                    endpoint: target.endpoint.clone(),
                    timeout_secs: target.timeout_secs,
                    beat: beat.clone(),
                    limit: target.statement_limit(),
                },
                None => target.connect(&beat)?,
            };
            let mut writer = PgWriter { session, abandoned: flag, in_transaction: false };
            work(&mut writer)
        });
        if result.is_err() {
            abandoned.store(true, Ordering::SeqCst);
        }
        result
    }
}

/// One read-write connection inside [`PgWritable::run`]. The caller opens the transaction and
/// ends it; a session dropped inside one is rolled back by the server when it disconnects.
pub(crate) struct PgWriter {
    session: PgSession,
    abandoned: Arc<AtomicBool>,
    in_transaction: bool,
}

impl PgWriter {
    /// The client and where its statements fail, borrowed apart; the heartbeat is told a
    /// round trip begins.
    fn client(&mut self) -> (&mut Client, At<'_>) {
        let session = &mut self.session;
        session.beat.step(session.limit);
        (&mut session.client, At { endpoint: &session.endpoint, timeout_secs: session.timeout_secs })
    }

    /// Runs a transaction-control command; its errors are named after `name`.
    fn control(&mut self, sql: &str, name: &str) -> Result<(), ConnectorError> {
        let (client, at) = self.client();
        client.batch_execute(sql).map_err(|e| {
            let named = ServerQuery { name: name.to_string(), sql: String::new(), names: Vec::new(), slots: Vec::new() };
            write_error(&e, &named, at, Stage::Run)
        })
    }

    /// Starts the transaction every statement of a system runs in. `READ WRITE` spelled out:
    /// a session taken over from a search is read-only by default.
    pub fn begin(&mut self) -> Result<(), ConnectorError> {
        self.control("BEGIN READ WRITE", "BEGIN")?;
        self.in_transaction = true;
        Ok(())
    }

    /// Rolls the transaction back.
    pub fn rollback(&mut self) -> Result<(), ConnectorError> {
        self.in_transaction = false;
        self.control("ROLLBACK", "ROLLBACK")
    }

    /// Commits the transaction, unless the watchdog has already reported this session as
    /// failed: then it is rolled back rather than make a change the desk records as not made.
    /// (A COMMIT whose answer is lost stays in doubt, as on any server; running the plan
    /// again then finds nothing where it counted rows, and says so.)
    pub fn commit(&mut self) -> Result<(), ConnectorError> {
        if self.abandoned.load(Ordering::SeqCst) {
            let _ = self.rollback();
            return Err(self.session_lost());
        }
        self.in_transaction = false;
        self.control("COMMIT", "COMMIT")
    }

    fn session_lost(&self) -> ConnectorError {
        ConnectorError::Unreachable { endpoint: self.session.endpoint.clone(), reason: "the connection was lost".to_string() }
    }

    /// Prepares an erase or restrict statement; one that returns rows (a SELECT, `RETURNING`)
    /// is refused before it runs.
    pub fn prepare_writing(&mut self, query: &ServerQuery) -> Result<Statement, ConnectorError> {
        let (client, at) = self.client();
        let statement = client.prepare(&query.sql).map_err(|e| write_error(&e, query, at, Stage::Prepare))?;
        if !statement.columns().is_empty() {
            return Err(ConnectorError::QueryInvalid {
                query: query.name.clone(),
                detail: "it returns rows: an erase or restrict statement must be a DELETE or UPDATE without RETURNING".to_string(),
            });
        }
        Ok(statement)
    }

    /// Prepares a search query, to read the rows it returns inside the open transaction.
    pub fn prepare_reading(&mut self, query: &ServerQuery) -> Result<Statement, ConnectorError> {
        let (client, at) = self.client();
        client.prepare(&query.sql).map_err(|e| write_error(&e, query, at, Stage::Prepare))
    }

    /// Runs a prepared statement with one run's values (in `names` order); the rows it changed.
    pub fn execute(&mut self, query: &ServerQuery, statement: &Statement, run: &[&str]) -> Result<u64, ConnectorError> {
        self.guarded(query, |client, refs| client.execute(statement, refs), run).map(|n| n.unwrap_or(0))
    }

    /// Runs a prepared search query with one run's values; its rows as JSON text.
    pub fn rows(&mut self, query: &ServerQuery, statement: &Statement, run: &[&str]) -> Result<Vec<String>, ConnectorError> {
        let rows = self.guarded(query, |client, refs| client.query(statement, refs), run)?.unwrap_or_default();
        Ok(rows.iter().map(|row| record(row).to_string()).collect())
    }

    /// Runs `f` inside a savepoint: a value the column's type cannot take (`abc` for an
    /// integer) fails the statement, which matches nothing as it does in a search, without
    /// aborting the transaction around it. `None` for such a run.
    fn guarded<T>(
        &mut self,
        query: &ServerQuery,
        f: impl FnOnce(&mut Client, &[&(dyn ToSql + Sync)]) -> Result<T, postgres::Error>,
        run: &[&str],
    ) -> Result<Option<T>, ConnectorError> {
        if !self.in_transaction {
            return Err(ConnectorError::QueryInvalid { query: query.name.clone(), detail: "run outside a transaction".to_string() });
        }
        let params: Vec<TextParam<'_>> = run.iter().map(|v| TextParam(v)).collect();
        let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
        self.control("SAVEPOINT dsar_run", &query.name)?;
        let (client, at) = self.client();
        match f(client, &refs) {
            Ok(out) => {
                self.control("RELEASE SAVEPOINT dsar_run", &query.name)?;
                Ok(Some(out))
            }
            Err(e) if value_cannot_match(&e) => {
                self.control("ROLLBACK TO SAVEPOINT dsar_run", &query.name)?;
                Ok(None)
            }
            Err(e) => Err(write_error(&e, query, at, Stage::Run)),
        }
    }
}

/// [`statement_error`] for acting: a read-only refusal comes from the server or the user's
/// settings here, not from the search guard.
fn write_error(e: &postgres::Error, query: &ServerQuery, at: At<'_>, stage: Stage) -> ConnectorError {
    use postgres::error::SqlState;
    if e.code() == Some(&SqlState::READ_ONLY_SQL_TRANSACTION) {
        return ConnectorError::QueryInvalid {
            query: query.name.clone(),
            detail: "the server only allows reading in this session (SQLSTATE 25006): acting needs a user and database that may write".to_string(),
        };
    }
    statement_error(e, query, at, stage)
}

/// A subject's value sent in text form, so the server converts it to whatever type it
/// inferred for the parameter (`customer_id = $1` on an integer column gets an integer).
#[derive(Debug)]
struct TextParam<'a>(&'a str);

impl ToSql for TextParam<'_> {
    fn to_sql(
        &self,
        _: &Type,
        out: &mut BytesMut,
    ) -> Result<IsNull, Box<dyn StdError + Sync + Send>> {
        out.extend_from_slice(self.0.as_bytes());
        Ok(IsNull::No)
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    fn encode_format(&self, _: &Type) -> Format {
        Format::Text
    }

    postgres::types::to_sql_checked!();
}

/// The value a value of this type cannot take (`abc` for an integer, a date out of range, a
/// NUL byte): that run matches nothing. The server's message quotes the value, so it is
/// never shown.
fn value_cannot_match(e: &postgres::Error) -> bool {
    use postgres::error::SqlState;
    e.code().is_some_and(|c| {
        [
            SqlState::INVALID_TEXT_REPRESENTATION,
            SqlState::NUMERIC_VALUE_OUT_OF_RANGE,
            SqlState::INVALID_DATETIME_FORMAT,
            SqlState::DATETIME_FIELD_OVERFLOW,
            SqlState::CHARACTER_NOT_IN_REPERTOIRE,
            SqlState::UNTRANSLATABLE_CHARACTER,
            SqlState::STRING_DATA_RIGHT_TRUNCATION,
        ]
        .contains(c)
    })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Stage {
    Prepare,
    Run,
}

fn statement_error(
    e: &postgres::Error,
    query: &ServerQuery,
    at: At<'_>,
    stage: Stage,
) -> ConnectorError {
    use postgres::error::SqlState;
    let Some(db) = e.as_db_error() else {
        return ConnectorError::Unreachable {
            endpoint: at.endpoint.to_string(),
            reason: "the connection was lost".to_string(),
        };
    };
    if *db.code() == SqlState::QUERY_CANCELED {
        return ConnectorError::Timeout {
            endpoint: at.endpoint.to_string(),
            seconds: at.timeout_secs,
        };
    }
    let code = db.code().code();
    if *db.code() == SqlState::READ_ONLY_SQL_TRANSACTION {
        return ConnectorError::QueryInvalid {
            query: query.name.clone(),
            detail: format!("{READ_ONLY} (SQLSTATE {code})"),
        };
    }
    // Before any value is bound, and for syntax or access rules (class 42), the message is
    // about the statement; at run time other messages may quote the subject's values.
    let detail = if stage == Stage::Prepare || code.starts_with("42") {
        format!("{} (SQLSTATE {code})", db.message())
    } else {
        format!("the server refused to run it (SQLSTATE {code})")
    };
    ConnectorError::QueryInvalid {
        query: query.name.clone(),
        detail,
    }
}

fn connect_error(e: &postgres::Error, endpoint: &str) -> ConnectorError {
    use postgres::error::SqlState;
    let unreachable = |reason: String| ConnectorError::Unreachable {
        endpoint: endpoint.to_string(),
        reason,
    };
    if let Some(db) = e.as_db_error() {
        let code = db.code();
        return if *code == SqlState::INVALID_PASSWORD
            || *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION
        {
            ConnectorError::AuthRefused {
                endpoint: endpoint.to_string(),
            }
        } else if *code == SqlState::INVALID_CATALOG_NAME {
            unreachable("the database does not exist".to_string())
        } else {
            // Other refusals (too many connections, starting up) may name the user: the
            // code is enough to look up.
            unreachable(format!(
                "the server refused the connection (SQLSTATE {})",
                code.code()
            ))
        };
    }
    if let Some(io) = io_source(e) {
        return match io.kind() {
            std::io::ErrorKind::TimedOut => ConnectorError::Timeout {
                endpoint: endpoint.to_string(),
                seconds: CONNECT_TIMEOUT_SECS,
            },
            std::io::ErrorKind::ConnectionRefused => unreachable("connection refused".to_string()),
            _ => unreachable(io.to_string()),
        };
    }
    let text = chain(e);
    // tokio-postgres exposes no error kind for these; its messages are fixed strings.
    if text.contains("password missing") || text.contains("error performing authentication") {
        return ConnectorError::AuthRefused {
            endpoint: endpoint.to_string(),
        };
    }
    if text.contains("TLS") || text.contains("certificate") {
        return unreachable(format!(
            "{text} — the server must offer TLS with a certificate this machine trusts; \
             install the firm's CA certificate in the system's certificate store"
        ));
    }
    unreachable(text)
}

/// The error and its causes, `a: b: c` (tokio-postgres puts the reason in the cause).
fn chain(e: &postgres::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let part = s.to_string();
        if !text.contains(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
        source = s.source();
    }
    text
}

fn io_source(e: &postgres::Error) -> Option<&std::io::Error> {
    let mut source = e.source();
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            return Some(io);
        }
        source = s.source();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_never_shows_user_or_password() {
        let config: Config = "postgres://alice:hunter2@db.example:6543/crm"
            .parse()
            .unwrap();
        assert_eq!(endpoint(&config), "db.example:6543/crm");
    }

    #[test]
    fn url_options_cannot_switch_the_read_only_default_off() {
        assert_eq!(
            without_read_only_settings(
                "-c default_transaction_read_only=off -c statement_timeout=5s \
                 -cdefault-transaction-read-only=0 --Transaction_Read_Only=off -c work_mem=64MB"
            ),
            "-c statement_timeout=5s -c work_mem=64MB"
        );
        assert_eq!(without_read_only_settings(""), "");
    }

    #[test]
    fn statement_timeout_from_url_options() {
        assert_eq!(
            statement_timeout_secs("-c statement_timeout=1500 -c x=y"),
            Some(2)
        );
        assert_eq!(
            statement_timeout_secs("-c statement_timeout=9 -c statement_timeout=5min"),
            Some(300)
        );
        assert_eq!(
            statement_timeout_secs("-c statement_timeout=5fortnights"),
            None
        );
        assert_eq!(statement_timeout_secs(""), None);
    }
}
