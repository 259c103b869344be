//! The `logs` connector: every line of the register's log files (glob patterns, plain or
//! `.gz`) that holds one of the subject's identifiers as a whole token is one record.
//!
//! Each file is read once, in large blocks of whole lines, searched for all identifiers at
//! once (see `tokens`), and only at a hit is the enclosing line cut out; line numbers come
//! from counting newlines per block while it is still in the CPU cache. Large plain files are
//! split into segments so that one big file also uses every core; `.gz` files are streamed.
//! Every file is read with `read(2)` from its own descriptor per segment, never memory-mapped:
//! log rotation's `copytruncate`, or a file on NFS, can shrink a file at any moment, and a
//! truncated mapping kills the process with SIGBUS where a read just ends early.

use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use flate2::bufread::MultiGzDecoder;
use memchr::{memchr, memrchr};
use serde_json::json;

use super::tokens::{Engine, TokenMatcher};
use super::{Cancel, ConnectorError, Found, OpenContext, SearchKeys, SearchReport, Source};
use crate::register::{LogsSettings, Settings};

/// How a search splits and reads the files. The defaults suit page-cached logs of any size;
/// tests use small values to put hits on block and segment edges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScanOptions {
    /// Bytes read and searched at a time (grown for a longer line).
    pub block_bytes: usize,
    /// Plain files larger than this are searched as several segments in parallel.
    pub segment_bytes: u64,
    /// Worker threads (at most one per file segment).
    pub threads: usize,
}

impl Default for ScanOptions {
    fn default() -> ScanOptions {
        ScanOptions {
            // Fits the L2 cache, so counting newlines after the search reads cached bytes.
            block_bytes: 128 * 1024,
            segment_bytes: 64 * 1024 * 1024,
            threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
        }
    }
}

/// A line longer than this is not a log line; the file is reported as unexpected data
/// rather than buffered without bound.
const MAX_LINE_BYTES: usize = 64 * 1024 * 1024;


/// A `logs` system: glob patterns and the identifier kinds searched for.
#[derive(Debug, Clone)]
pub struct LogsSource {
    patterns: Vec<PathBuf>,
    kinds: Vec<String>,
    default_country: String,
    options: ScanOptions,
}

/// Opens a `logs` system from its register entry.
// Called by the connector dispatch in `connectors` once it is wired for every kind.
pub(crate) fn open(cx: &OpenContext<'_>) -> Result<Box<dyn Source>, ConnectorError> {
    match &cx.connector.settings {
        Settings::Logs(settings) => Ok(Box::new(LogsSource::new(settings, cx.default_country))),
        _ => Err(ConnectorError::Unsupported {
            kind: cx.connector.kind().code().to_string(),
        }),
    }
}

/// One log file found by the globs.
#[derive(Debug, Clone)]
struct LogFile {
    path: PathBuf,
    len: u64,
    gzip: bool,
}

/// The files the globs name, how many matches were refused because they resolve outside
/// their pattern's folder, and the folders that could not be read (skipped, not fatal).
struct Resolved {
    files: Vec<LogFile>,
    escaped: usize,
    unreadable: Vec<String>,
}

/// One unit of work: a byte range of a plain file, or a whole `.gz` file.
#[derive(Debug, Clone, Copy)]
struct Work {
    file: usize,
    /// Lines starting in `start..end` belong to this unit (plain files only).
    start: u64,
    end: u64,
}

/// What one unit found: newlines it covered and its hits by line number within the unit.
#[derive(Debug, Default)]
struct Part {
    newlines: u64,
    hits: Vec<(u64, String)>,
}

/// Why reading one unit stopped.
enum Stop {
    Cancelled,
    Failed(ConnectorError),
}

impl LogsSource {
    /// A source for the register's `logs` settings; `default_country` (ISO alpha-2) decides
    /// which national phone spelling is also searched.
    pub fn new(settings: &LogsSettings, default_country: &str) -> LogsSource {
        LogsSource {
            patterns: settings.paths.clone(),
            kinds: settings.match_on.clone(),
            default_country: default_country.to_string(),
            options: ScanOptions::default(),
        }
    }

    /// The same source with other read options.
    pub fn with_options(mut self, options: ScanOptions) -> LogsSource {
        self.options = options;
        self
    }

    fn resolve(&self) -> Result<Resolved, ConnectorError> {
        let mut files: Vec<LogFile> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut escaped = 0;
        let mut unreadable = Vec::new();
        for pattern in &self.patterns {
            let shown = pattern.to_string_lossy().into_owned();
            let text = pattern.to_str().ok_or_else(|| ConnectorError::BadData {
                location: shown.clone(),
                detail: "the path is not valid UTF-8, so it cannot be used as a pattern".into(),
            })?;
            let options = glob::MatchOptions {
                case_sensitive: true,
                // `*` stays inside one folder; only `**` descends, and only if written.
                require_literal_separator: true,
                require_literal_leading_dot: false,
            };
            let matches = glob::glob_with(text, options).map_err(|e| ConnectorError::BadData {
                location: shown.clone(),
                detail: format!("invalid path pattern ({})", e.msg),
            })?;
            let base = literal_base(pattern).and_then(|b| b.canonicalize().ok());
            let mut any = false;
            for entry in matches {
                // One folder the desk may not read (another service's, say) must not hide
                // every other file of the system: it is skipped and reported.
                let path = match entry {
                    Ok(path) => path,
                    Err(e) => {
                        unreadable.push(e.path().to_string_lossy().into_owned());
                        continue;
                    }
                };
                // Only regular files: a FIFO would block the search forever.
                let Ok(meta) = std::fs::metadata(&path) else { continue };
                if !meta.is_file() {
                    continue;
                }
                let Ok(real) = path.canonicalize() else { continue };
                if has_wildcard(pattern) && !base.as_ref().is_some_and(|b| real.starts_with(b)) {
                    // A symlink leading out of the folder the register names.
                    escaped += 1;
                    continue;
                }
                any = true;
                if seen.insert(real) {
                    let gzip = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("gz"));
                    files.push(LogFile { path, len: meta.len(), gzip });
                }
            }
            if !any && unreadable.is_empty() {
                return Err(ConnectorError::FileMissing { path: shown });
            }
        }
        if files.is_empty() {
            if let Some(folder) = unreadable.first() {
                return Err(ConnectorError::Unreadable { path: folder.clone(), reason: "permission denied or not readable".into() });
            }
        }
        Ok(Resolved { files, escaped, unreadable })
    }

    /// Splits the files into units of work, `.gz` first (they take longest).
    fn plan(&self, files: &[LogFile]) -> Vec<Work> {
        let segment = self.options.segment_bytes.max(1);
        let mut work = Vec::new();
        for (i, f) in files.iter().enumerate().filter(|(_, f)| f.gzip) {
            work.push(Work { file: i, start: 0, end: f.len });
        }
        for (i, f) in files.iter().enumerate().filter(|(_, f)| !f.gzip) {
            let mut start = 0;
            loop {
                let end = if f.len - start > segment { start + segment } else { f.len };
                work.push(Work { file: i, start, end });
                if end >= f.len {
                    break;
                }
                start = end;
            }
        }
        work
    }

    fn scan(&self, files: &[LogFile], matcher: &TokenMatcher, cancel: &Cancel) -> Result<Vec<Found>, ConnectorError> {
        let work = self.plan(files);
        let next = AtomicUsize::new(0);
        let stop = AtomicBool::new(false);
        let threads = self.options.threads.clamp(1, work.len().max(1));
        let mut parts: Vec<Option<Result<Part, Stop>>> = (0..work.len()).map(|_| None).collect();
        let worker = || {
            let mut done = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= work.len() || stop.load(Ordering::Relaxed) {
                    break;
                }
                let unit = work[i];
                let result = self.scan_unit(&files[unit.file], unit, matcher, cancel, &stop);
                if result.is_err() {
                    stop.store(true, Ordering::Relaxed);
                }
                done.push((i, result));
            }
            done
        };
        let finished: Vec<_> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads).map(|_| s.spawn(worker)).collect();
            handles.into_iter().map(|h| h.join()).collect()
        });
        for thread in finished {
            let Ok(done) = thread else {
                return Err(ConnectorError::BadData {
                    location: "log search".into(),
                    detail: "a search thread failed unexpectedly; please report this".into(),
                });
            };
            for (i, result) in done {
                parts[i] = Some(result);
            }
        }
        if cancel.is_cancelled() {
            return Err(ConnectorError::Cancelled);
        }
        // The first real failure in work order; units stopped because of it are not errors.
        for part in &parts {
            if let Some(Err(Stop::Failed(e))) = part {
                return Err(e.clone());
            }
        }
        // A plain file's segments are consecutive in `work`, so line numbers add up in order.
        let mut per_file: Vec<Vec<Found>> = files.iter().map(|_| Vec::new()).collect();
        let mut lines_before = vec![0u64; files.len()];
        for (unit, part) in work.iter().zip(parts) {
            let Some(Ok(part)) = part else {
                return Err(ConnectorError::Cancelled);
            };
            let file = &files[unit.file];
            let shown = file.path.to_string_lossy();
            let dataset = dataset_name(&file.path);
            for (line, text) in part.hits {
                let line = lines_before[unit.file] + line;
                per_file[unit.file].push(Found {
                    dataset: dataset.clone(),
                    locator: format!("{shown}:{line}"),
                    record: json!({"file": shown, "line": line, "text": text}),
                });
            }
            lines_before[unit.file] += part.newlines;
        }
        Ok(per_file.into_iter().flatten().collect())
    }

    fn scan_unit(
        &self,
        file: &LogFile,
        unit: Work,
        matcher: &TokenMatcher,
        cancel: &Cancel,
        stop: &AtomicBool,
    ) -> Result<Part, Stop> {
        let shown = || file.path.to_string_lossy().into_owned();
        let unreadable = |e: io::Error| {
            Stop::Failed(ConnectorError::Unreadable {
                path: shown(),
                reason: e.kind().to_string(),
            })
        };
        let stopped = || cancel.is_cancelled() || stop.load(Ordering::Relaxed);
        let block = self.options.block_bytes;
        let mut f = File::open(&file.path).map_err(unreadable)?;
        let scanned = if file.gzip {
            let reader = MultiGzDecoder::new(BufReader::with_capacity(block.max(64 * 1024), f));
            LineStream::new(reader, 0, None).scan(matcher, block, &stopped)
        } else {
            // Lines starting before `start` belong to the previous unit: read from the byte
            // before it, so a line starting exactly at `start` is recognised.
            let from = unit.start.saturating_sub(1);
            f.seek(SeekFrom::Start(from)).map_err(unreadable)?;
            LineStream::new(f, from, Some((unit.start > 0, unit.end))).scan(matcher, block, &stopped)
        };
        let is_gzip = file.gzip;
        scanned.map_err(
            |e| match e {
                StreamError::Cancelled => Stop::Cancelled,
                StreamError::LineTooLong => Stop::Failed(ConnectorError::BadData {
                    location: shown(),
                    detail: format!("a line is longer than {} MiB; this is not a text log", MAX_LINE_BYTES >> 20),
                }),
                StreamError::Io(e) if is_gzip && matches!(e.kind(), io::ErrorKind::InvalidInput | io::ErrorKind::InvalidData | io::ErrorKind::UnexpectedEof) => {
                    Stop::Failed(ConnectorError::BadData {
                        location: shown(),
                        detail: "not a complete gzip file".into(),
                    })
                }
                StreamError::Io(e) => unreadable(e),
            },
        )
    }
}

impl Source for LogsSource {
    fn search(&self, keys: &SearchKeys, cancel: &Cancel) -> Result<Vec<Found>, ConnectorError> {
        if cancel.is_cancelled() {
            return Err(ConnectorError::Cancelled);
        }
        Ok(self.search_report(keys, cancel)?.found)
    }

    fn search_report(&self, keys: &SearchKeys, cancel: &Cancel) -> Result<SearchReport, ConnectorError> {
        if cancel.is_cancelled() {
            return Err(ConnectorError::Cancelled);
        }
        let resolved = self.resolve()?;
        let found = match TokenMatcher::new(keys, &self.kinds, &self.default_country, Engine::Fastest) {
            Some(matcher) => self.scan(&resolved.files, &matcher, cancel)?,
            None => Vec::new(),
        };
        Ok(SearchReport { found, skipped: resolved.unreadable.len() as u64, warning: unreadable_warning(&resolved.unreadable) })
    }

    fn test(&self) -> Result<String, ConnectorError> {
        let resolved = self.resolve()?;
        let mut bytes = 0u64;
        for f in &resolved.files {
            File::open(&f.path).map_err(|e| ConnectorError::Unreadable {
                path: f.path.to_string_lossy().into_owned(),
                reason: e.kind().to_string(),
            })?;
            bytes += f.len;
        }
        let n = resolved.files.len();
        let gz = resolved.files.iter().filter(|f| f.gzip).count();
        let mut out = format!(
            "{n} log file{} readable ({gz} gzip), {} on disk, from {} path pattern{}",
            if n == 1 { "" } else { "s" },
            human_bytes(bytes),
            self.patterns.len(),
            if self.patterns.len() == 1 { "" } else { "s" },
        );
        if let Some(w) = unreadable_warning(&resolved.unreadable) {
            out.push_str("; ");
            out.push_str(&w);
        }
        if resolved.escaped > 0 {
            out.push_str(&format!(
                "; {} match{} skipped: symlink leading outside the pattern's folder",
                resolved.escaped,
                if resolved.escaped == 1 { "" } else { "es" }
            ));
        }
        Ok(out)
    }
}

/// One line naming the folders that were skipped because they cannot be read.
fn unreadable_warning(folders: &[String]) -> Option<String> {
    let first = folders.first()?;
    let more = match folders.len() {
        1 => String::new(),
        n => format!(" and {} more", n - 1),
    };
    Some(format!("skipped {first}{more}: not readable — give DSAR desk read access, or narrow the path pattern"))
}

/// Why a stream scan stopped early.
enum StreamError {
    Cancelled,
    LineTooLong,
    Io(io::Error),
}

/// Reads a byte stream as blocks of whole lines.
struct LineStream<R> {
    reader: R,
    /// Offset in the file of the first byte the reader yields.
    offset: u64,
    /// For a plain-file segment: whether the first (partial) line belongs to the previous
    /// segment, and the offset from which lines belong to the next one.
    segment: Option<(bool, u64)>,
}

impl<R: Read> LineStream<R> {
    fn new(reader: R, offset: u64, segment: Option<(bool, u64)>) -> LineStream<R> {
        LineStream { reader, offset, segment }
    }

    fn scan(mut self, matcher: &TokenMatcher, block_bytes: usize, stopped: &dyn Fn() -> bool) -> Result<Part, StreamError> {
        let mut part = Part::default();
        let mut buf = vec![0u8; block_bytes.max(4096)];
        let mut filled = 0;
        // Offset in the file of `buf[0]`.
        let mut buf_at = self.offset;
        let mut eof = false;
        let (mut skip_first, end) = match self.segment {
            Some((skip, end)) => (skip, Some(end)),
            None => (false, None),
        };
        loop {
            if stopped() {
                return Err(StreamError::Cancelled);
            }
            while filled < buf.len() && !eof {
                match self.reader.read(&mut buf[filled..]) {
                    Ok(0) => eof = true,
                    Ok(n) => filled += n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(StreamError::Io(e)),
                }
            }
            let mut from = 0;
            if skip_first {
                match memchr(b'\n', &buf[..filled]) {
                    Some(i) => {
                        from = i + 1;
                        skip_first = false;
                    }
                    None if eof => return Ok(part),
                    None => {
                        buf_at += filled as u64;
                        filled = 0;
                        continue;
                    }
                }
            }
            if end.is_some_and(|end| buf_at + from as u64 >= end) {
                return Ok(part);
            }
            let complete = match memrchr(b'\n', &buf[from..filled]) {
                Some(i) => from + i + 1,
                None if eof => filled,
                None => {
                    // A line longer than the buffer: keep it and read more.
                    if from > 0 {
                        buf.copy_within(from..filled, 0);
                        buf_at += from as u64;
                        filled -= from;
                    } else if buf.len() >= MAX_LINE_BYTES {
                        return Err(StreamError::LineTooLong);
                    } else {
                        buf.resize((buf.len() * 2).min(MAX_LINE_BYTES), 0);
                    }
                    continue;
                }
            };
            // Cut the block after the line that contains the segment's last byte.
            let mut last = eof && complete == filled;
            let mut upto = complete;
            if let Some(end) = end {
                let block_end = buf_at + complete as u64;
                if block_end > end {
                    let last_own = (end - 1 - buf_at) as usize;
                    upto = memchr(b'\n', &buf[last_own..complete]).map_or(complete, |i| last_own + i + 1);
                    last = true;
                }
            }
            scan_block(matcher, &buf[from..upto], &mut part);
            if last {
                return Ok(part);
            }
            buf.copy_within(complete..filled, 0);
            buf_at += complete as u64;
            filled -= complete;
        }
    }
}

/// Searches one block of whole lines, adding hits (numbered from `part.newlines + 1`) and
/// the block's newlines to `part`.
fn scan_block(matcher: &TokenMatcher, block: &[u8], part: &mut Part) {
    let mut line = part.newlines + 1;
    let mut counted = 0;
    let mut from = 0;
    while let Some(hit) = matcher.find(block, from) {
        let start = memrchr(b'\n', &block[..hit]).map_or(0, |i| i + 1);
        let end = memchr(b'\n', &block[hit..]).map_or(block.len(), |i| hit + i);
        line += bytecount::count(&block[counted..start], b'\n') as u64;
        counted = start;
        let text = block[start..end].strip_suffix(b"\r").unwrap_or(&block[start..end]);
        part.hits.push((line, String::from_utf8_lossy(text).into_owned()));
        from = end + 1;
    }
    line += bytecount::count(&block[counted..], b'\n') as u64;
    part.newlines = line - 1;
}

/// The file name without rotation suffixes: `access.log.2.gz` and `access.log-20261120`
/// both belong to the dataset `access.log`.
pub(crate) fn dataset_name(path: &Path) -> String {
    let mut name = path.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    if name.len() > 3 && name.to_ascii_lowercase().ends_with(".gz") {
        name.truncate(name.len() - 3);
    }
    let strip = |name: &mut String, sep: char, digits: Option<usize>| {
        if let Some((head, tail)) = name.rsplit_once(sep) {
            let ok = !head.is_empty()
                && !tail.is_empty()
                && tail.bytes().all(|b| b.is_ascii_digit())
                && digits.is_none_or(|d| tail.len() == d);
            if ok {
                name.truncate(head.len());
            }
        }
    };
    strip(&mut name, '.', None);
    strip(&mut name, '-', Some(8));
    name
}

fn has_wildcard(p: &Path) -> bool {
    p.to_string_lossy().contains(['*', '?', '['])
}

/// The folder part of a pattern before its first wildcard: matches must stay inside it.
fn literal_base(pattern: &Path) -> Option<PathBuf> {
    let mut base = PathBuf::new();
    for c in pattern.components() {
        if let Component::Normal(s) = c {
            if s.to_string_lossy().contains(['*', '?', '[']) {
                return Some(base);
            }
        }
        base.push(c.as_os_str());
    }
    base.parent().map(Path::to_path_buf)
}

fn human_bytes(n: u64) -> String {
    const MIB: f64 = 1024.0 * 1024.0;
    if n >= 1 << 20 {
        format!("{:.1} MiB", n as f64 / MIB)
    } else {
        format!("{:.1} KiB", n as f64 / 1024.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_reads_the_register_entry() {
        let json = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/registers/smart-cx.json")).unwrap();
        let register = crate::register::parse(&json, Path::new("/srv/firm")).unwrap();
        let (system, connector) = register
            .systems
            .iter()
            .find_map(|s| s.connector.as_ref().filter(|c| matches!(c.settings, Settings::Logs(_))).map(|c| (s, c)))
            .unwrap();
        let cx = OpenContext { system, connector, secrets: &|_| None, default_country: "DE" };
        let source = open(&cx).unwrap();
        assert_eq!(
            source.test().unwrap_err(),
            ConnectorError::FileMissing { path: "/srv/firm/data/logs/access.log*".into() }
        );
        let manual = crate::register::Connector::manual();
        let cx = OpenContext { system, connector: &manual, secrets: &|_| None, default_country: "DE" };
        assert!(matches!(open(&cx), Err(ConnectorError::Unsupported { .. })));
    }

    #[test]
    fn dataset_names_drop_rotation_suffixes() {
        for (path, want) in [
            ("/l/access.log", "access.log"),
            ("/l/access.log.1", "access.log"),
            ("/l/access.log.2.gz", "access.log"),
            ("/l/access.log-20261120.gz", "access.log"),
            ("/l/error.log-2026", "error.log-2026"),
            ("/l/app.json.gz", "app.json"),
        ] {
            assert_eq!(dataset_name(Path::new(path)), want, "{path}");
        }
    }

    #[test]
    fn the_literal_base_ends_before_the_first_wildcard() {
        assert_eq!(literal_base(Path::new("/a/b/*.log")), Some(PathBuf::from("/a/b")));
        assert_eq!(literal_base(Path::new("/a/**/x.log")), Some(PathBuf::from("/a")));
        assert_eq!(literal_base(Path::new("/a/b/x.log")), Some(PathBuf::from("/a/b")));
    }

    fn scan_text(text: &[u8], block: usize) -> Part {
        let mut keys = SearchKeys::new();
        keys.add("ip", "198.51.100.23");
        let m = TokenMatcher::new(&keys, &["ip".into()], "DE", Engine::Fastest).unwrap();
        LineStream::new(text, 0, None).scan(&m, block, &|| false).ok().unwrap()
    }

    #[test]
    fn lines_are_counted_across_blocks_and_long_lines() {
        let mut text = Vec::new();
        let mut want = Vec::new();
        for i in 1..=3000u64 {
            let filler = "x".repeat((i as usize * 37) % 9000);
            if i % 250 == 0 {
                text.extend_from_slice(format!("{filler} 198.51.100.23 n{i}\r\n").as_bytes());
                want.push(i);
            } else {
                text.extend_from_slice(format!("{filler} 198.51.100.230 n{i}\n").as_bytes());
            }
        }
        text.extend_from_slice(b"198.51.100.23");
        want.push(3001);
        for block in [4096, 10_000, 1 << 20] {
            let part = scan_text(&text, block);
            assert_eq!(part.hits.iter().map(|h| h.0).collect::<Vec<_>>(), want, "block {block}");
            assert_eq!(part.newlines, 3000);
            assert!(part.hits[0].1.ends_with("n250"), "CR is stripped");
        }
    }
}
