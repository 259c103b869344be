//! Listing cases: filtered, sorted, paged in SQL so 100 000 cases list as fast as 30.

use chrono::NaiveDate;
use rusqlite::types::Value;

use crate::deadline::{Jurisdiction, Region};
use crate::domain::{Outcome, Right, Status};
use crate::error::Result;
use crate::store::Store;

/// Order of a listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Open cases first, soonest due first (the working view); closed ones after.
    #[default]
    Due,
    /// Newest received first.
    Received,
    /// By reference.
    Reference,
}

/// Which way a listing runs. Each [`Sort`] has its own natural way (due: soonest first;
/// received: newest first; reference: oldest first); `Ascending`/`Descending` name it outright,
/// as a clicked column header does. Open cases stay before closed ones in the due order
/// either way: the working view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Direction {
    /// The sort's natural way.
    #[default]
    Natural,
    /// Smallest (earliest, lowest number) first.
    Ascending,
    /// Largest (latest, highest number) first.
    Descending,
}

/// What to list.
#[derive(Debug, Clone)]
pub struct ListQuery {
    /// The day "overdue" and "days left" are measured from.
    pub today: NaiveDate,
    /// Only this status.
    pub status: Option<Status>,
    /// Only open, running cases past their due date.
    pub overdue: bool,
    /// Only open cases.
    pub open_only: bool,
    /// Only cases invoking this right.
    pub right: Option<Right>,
    /// Text in the subject's name or the reference.
    pub search: Option<String>,
    /// Order.
    pub sort: Sort,
    /// Which way the order runs.
    pub direction: Direction,
    /// Page size.
    pub limit: u32,
    /// Rows to skip.
    pub offset: u32,
}

impl ListQuery {
    /// First page of all cases, soonest due first.
    pub fn new(today: NaiveDate) -> ListQuery {
        ListQuery { today, status: None, overdue: false, open_only: false, right: None, search: None, sort: Sort::Due, direction: Direction::Natural, limit: 50, offset: 0 }
    }
}

/// One row of the case list.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseSummary {
    /// Reference.
    pub reference: String,
    /// Status.
    pub status: Status,
    /// Rights invoked.
    pub rights: Vec<Right>,
    /// Subject's name.
    pub subject_name: String,
    /// Day received.
    pub received: NaiveDate,
    /// The date that counts now (extended when extended).
    pub due: NaiveDate,
    /// Whether the period was extended.
    pub extended: bool,
    /// Law.
    pub jurisdiction: Jurisdiction,
    /// Calendar.
    pub region: Region,
    /// Outcome once closed.
    pub outcome: Option<Outcome>,
    /// Calendar days from today to the due date (negative when overdue).
    pub days_left: i64,
}

impl CaseSummary {
    /// Open, running and past its due date.
    pub fn is_overdue(&self) -> bool {
        self.status.is_open() && !self.status.is_paused() && self.days_left < 0
    }
}

/// A page of results and the total that matched.
#[derive(Debug, Clone)]
pub struct Page<T> {
    /// All rows matching the filter.
    pub total: u64,
    /// This page's rows.
    pub items: Vec<T>,
}

fn like_pattern(s: &str) -> String {
    let mut p = String::with_capacity(s.len() + 2);
    p.push('%');
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

/// Lists cases. Every filter value is a bound parameter.
pub fn list(store: &Store, q: &ListQuery) -> Result<Page<CaseSummary>> {
    let (filter, mut args) = filter(q);
    let conn = store.conn();
    let total: i64 = conn.query_row(&format!("SELECT count(*) FROM cases {filter}"), rusqlite::params_from_iter(args.iter()), |r| r.get(0))?;
    let total = u64::try_from(total).unwrap_or(0);
    let order = order_by(q);
    // Only fixed SQL fragments are formatted in; every value is bound.
    let sql = format!(
        "SELECT reference, status, rights, subject_name, received, effective_due, extended_on IS NOT NULL, jurisdiction, region, outcome
         FROM cases {filter} ORDER BY {order} LIMIT ? OFFSET ?"
    );
    args.push(Value::Integer(i64::from(q.limit)));
    args.push(Value::Integer(i64::from(q.offset)));
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(rusqlite::params_from_iter(args.iter()))?;
    let mut items = Vec::new();
    while let Some(r) = rows.next()? {
        let rights: String = r.get(2)?;
        let received: String = r.get(4)?;
        let due: String = r.get(5)?;
        let status: String = r.get(1)?;
        let due = NaiveDate::parse_from_str(&due, "%Y-%m-%d").unwrap_or(q.today);
        items.push(CaseSummary {
            reference: r.get(0)?,
            status: status.parse().unwrap_or(Status::New),
            rights: rights.split(',').filter_map(|s| s.parse().ok()).collect(),
            subject_name: r.get(3)?,
            received: NaiveDate::parse_from_str(&received, "%Y-%m-%d").unwrap_or(q.today),
            due,
            extended: r.get(6)?,
            jurisdiction: r.get::<_, String>(7)?.parse().unwrap_or(Jurisdiction::Gdpr),
            region: r.get::<_, String>(8)?.parse().unwrap_or(Region::DeNw),
            outcome: r.get::<_, Option<String>>(9)?.and_then(|o| o.parse().ok()),
            days_left: (due - q.today).num_days(),
        });
    }
    Ok(Page { total, items })
}

/// The ORDER BY of a query: fixed fragments only.
fn order_by(q: &ListQuery) -> &'static str {
    let desc = match q.direction {
        Direction::Natural => q.sort == Sort::Received,
        Direction::Ascending => false,
        Direction::Descending => true,
    };
    match (q.sort, desc) {
        // One status: "open first" is constant, and leaving it out lets cases_by_status
        // deliver the order instead of a sort of every matching row.
        (Sort::Due, false) if q.status.is_some() => "effective_due, year, seq",
        (Sort::Due, true) if q.status.is_some() => "effective_due DESC, year DESC, seq DESC",
        (Sort::Due, false) => "(status = 'closed'), effective_due, year, seq",
        (Sort::Due, true) => "(status = 'closed'), effective_due DESC, year DESC, seq DESC",
        (Sort::Received, true) => "received DESC, year DESC, seq DESC",
        (Sort::Received, false) => "received, year, seq",
        (Sort::Reference, false) => "year, seq",
        (Sort::Reference, true) => "year DESC, seq DESC",
    }
}

/// The columns of the yearly-report CSV, in order. Codes and dates only: the report counts
/// requests, rights, outcomes and timeliness, and needs no one's name, address or identifier
/// (data minimisation, Art. 5(1)(c)) — which also keeps every cell free of text a person typed,
/// so no cell can start a spreadsheet formula.
pub const CSV_COLUMNS: [&str; 7] = ["reference", "received", "rights", "status", "due", "closed", "outcome"];

/// Writes every case matching `q`'s filter (all of them: `limit` and `offset` are ignored) to
/// the CSV file `path`, with a header row ([`CSV_COLUMNS`]), in `q`'s order; rights are codes
/// joined by `;`, `due` is the date that counts (extended when extended), `closed` and
/// `outcome` are empty for an open case. The file is written beside `path` and renamed over
/// it, so a failed export leaves no half file. Returns the number of rows written.
pub fn export_csv(store: &Store, q: &ListQuery, path: &std::path::Path) -> Result<u64> {
    let io = |source: std::io::Error| crate::error::Error::Store(crate::store::StoreError::Io { path: path.to_path_buf(), source });
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
    let tmp = tempfile::NamedTempFile::new_in(dir).map_err(io)?;
    let n = write_csv(store, q, std::io::BufWriter::new(tmp.as_file()))?;
    tmp.as_file().sync_all().map_err(io)?;
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(n)
}

/// [`export_csv`] to any writer.
pub fn write_csv(store: &Store, q: &ListQuery, out: impl std::io::Write) -> Result<u64> {
    let (filter, args) = filter(q);
    let order = order_by(q);
    let sql = format!("SELECT reference, received, rights, status, effective_due, closed_on, outcome FROM cases {filter} ORDER BY {order}");
    let mut w = csv::Writer::from_writer(out);
    let io = |e: csv::Error| crate::error::Error::Store(crate::store::StoreError::Io { path: "CSV".into(), source: std::io::Error::other(e.to_string()) });
    w.write_record(CSV_COLUMNS).map_err(io)?;
    let conn = store.conn();
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query(rusqlite::params_from_iter(args.iter()))?;
    let mut n = 0u64;
    while let Some(r) = rows.next()? {
        let rights: String = r.get(2)?;
        let rights = rights.split(',').filter(|s| !s.is_empty()).collect::<Vec<_>>().join(";");
        let closed: Option<String> = r.get(5)?;
        let outcome: Option<String> = r.get(6)?;
        w.write_record([
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            rights,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            closed.unwrap_or_default(),
            outcome.unwrap_or_default(),
        ])
        .map_err(io)?;
        n += 1;
    }
    w.flush().map_err(|e| io(e.into()))?;
    Ok(n)
}

/// The WHERE clause of a query and its bound values.
fn filter(q: &ListQuery) -> (String, Vec<Value>) {
    let mut conds: Vec<&str> = Vec::new();
    let mut args: Vec<Value> = Vec::new();
    // "Open" is written `(status = 'closed') = 0`, the leading column of the list indexes (V4),
    // so open and overdue lists are index range searches, counted without the table.
    if q.overdue {
        conds.push("(status = 'closed') = 0 AND status NOT IN ('awaiting-identity', 'awaiting-clarification') AND effective_due < ?");
        args.push(Value::Text(q.today.to_string()));
    } else if q.open_only {
        conds.push("(status = 'closed') = 0");
    }
    if let Some(s) = q.status {
        conds.push("status = ?");
        args.push(Value::Text(s.code().into()));
    }
    if let Some(r) = q.right {
        conds.push("(',' || rights || ',') LIKE ?");
        args.push(Value::Text(format!("%,{},%", r.code())));
    }
    if let Some(s) = q.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        if s.chars().count() >= 3 {
            // Trigram index: the term is one quoted FTS5 string, so its characters are never
            // read as query syntax.
            conds.push("id IN (SELECT case_id FROM case_search WHERE case_search MATCH ?)");
            args.push(Value::Text(format!("\"{}\"", s.replace('"', "\"\""))));
        } else {
            conds.push("(subject_name LIKE ? ESCAPE '\\' OR reference LIKE ? ESCAPE '\\')");
            args.push(Value::Text(like_pattern(s)));
            args.push(Value::Text(like_pattern(&s.to_ascii_uppercase())));
        }
    }
    let filter = if conds.is_empty() { String::new() } else { format!("WHERE {}", conds.join(" AND ")) };
    (filter, args)
}
