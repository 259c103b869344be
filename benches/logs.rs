//! Benchmark of the `logs` connector against ripgrep on the same files: ≥ 1 GiB of generated
//! combined-format access logs (plain) and a `.gz` set, three identifiers, page cache warm.
//! Prints the median of 5 runs for each tool, the ratio (target: ours ≤ 1.0× ripgrep) and
//! whether both found the same lines; exits 1 when a target or the line check is missed.
//!
//! Baseline: `rg -F -w -e IP -e EMAIL -e PHONE FILES` (and `rg -z …` for `.gz`), Debian
//! package `ripgrep` (`bash scripts/bench-logs.sh` installs it). Data is generated once and
//! cached under `target/bench-data/logs/`.

use std::fs::{self, File};
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use dsar::connectors::logs::LogsSource;
use dsar::connectors::{Cancel, SearchKeys, Source};
use dsar::register::LogsSettings;

const IP: &str = "198.51.100.23";
const EMAIL: &str = "max.muster@example.org";
const PHONE: &str = "+491711234567";
const RUNS: usize = 5;
/// Bumped whenever the generator changes, so a stale cache is rebuilt.
const DATA_VERSION: &str = "v2";

const PLAIN_FILES: usize = 8;
const PLAIN_FILE_BYTES: u64 = 136 << 20; // 8 × 136 MiB = 1088 MiB ≥ 1 GiB
const GZ_FILES: usize = 4;
const GZ_FILE_BYTES: u64 = 64 << 20; // 256 MiB of log text, gzip -6

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const AGENTS: &[&str] = &[
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_7_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
    "Googlebot/2.1 (+http://www.google.com/bot.html)",
    "curl/8.11.0",
];
const PATHS: &[&str] = &[
    "/", "/index.html", "/products", "/cart", "/checkout", "/static/app.js", "/static/site.css",
    "/api/v1/items", "/blog/2026/11/datenschutz", "/login", "/account/orders",
];

/// One random access-log line; never the subject's identifiers, sometimes near-misses both
/// tools must reject (`198.51.100.230`, `xmax.muster@…`, a longer phone number).
fn line(rng: &mut Rng, out: &mut Vec<u8>) {
    let ip = match rng.below(5000) {
        0 => "198.51.100.230".to_string(),
        1 => "198.51.100.2".to_string(),
        _ => format!("{}.{}.{}.{}", 1 + rng.below(223), rng.below(256), rng.below(256), 1 + rng.below(254)),
    };
    let path = PATHS[rng.below(PATHS.len() as u64) as usize];
    let query = match rng.below(20) {
        0 => format!("?email=user{}%40example.com", rng.below(100_000)),
        1 => format!("?q=search+{}&page={}", rng.below(10_000), rng.below(20)),
        2 => format!("?tel=%2B4930{}", 1_000_000 + rng.below(8_999_999)),
        3 if rng.below(200) == 0 => "?ref=xmax.muster@example.org".to_string(),
        3 if rng.below(200) == 0 => "?tel=+4917112345678".to_string(),
        _ => String::new(),
    };
    let status = [200, 200, 200, 200, 304, 301, 404, 500][rng.below(8) as usize];
    let _ = writeln!(
        out,
        "{ip} - - [{:02}/Nov/2026:{:02}:{:02}:{:02} +0100] \"GET {path}{query} HTTP/1.1\" {status} {} \"https://www.example.com/\" \"{}\"",
        1 + rng.below(28),
        rng.below(24),
        rng.below(60),
        rng.below(60),
        rng.below(200_000),
        AGENTS[rng.below(AGENTS.len() as u64) as usize]
    );
}

/// A line for the subject: one, two or all three identifiers.
fn planted(rng: &mut Rng, out: &mut Vec<u8>) {
    let _ = match rng.below(4) {
        0 => writeln!(out, "{IP} - - [21/Nov/2026:10:00:00 +0100] \"GET /account HTTP/1.1\" 200 512 \"-\" \"curl/8.11.0\""),
        1 => writeln!(out, "10.1.2.3 - - [21/Nov/2026:10:00:00 +0100] \"POST /newsletter?email={EMAIL} HTTP/1.1\" 302 0 \"-\" \"curl/8.11.0\""),
        2 => writeln!(out, "10.1.2.4 - - [21/Nov/2026:10:00:00 +0100] \"GET /callback?tel={PHONE} HTTP/1.1\" 200 1 \"-\" \"-\""),
        _ => writeln!(out, "{IP} - max - [21/Nov/2026:10:00:00 +0100] \"GET /profile?email={EMAIL}&tel={PHONE} HTTP/1.1\" 200 1 \"-\" \"-\""),
    };
}

/// Writes `count` files named `access.log`, `access.log.1`, … (gzipped when `gzip`) of
/// about `bytes` each; returns the paths and how many lines were planted.
fn generate(dir: &Path, count: usize, bytes: u64, gzip: bool, seed: u64) -> (Vec<PathBuf>, usize) {
    let marker = dir.join(format!("complete-{DATA_VERSION}"));
    let names: Vec<PathBuf> = (0..count)
        .map(|i| {
            let base = if i == 0 { "access.log".to_string() } else { format!("access.log.{i}") };
            dir.join(if gzip { format!("{base}.gz") } else { base })
        })
        .collect();
    if let Ok(text) = fs::read_to_string(&marker) {
        if let Ok(planted) = text.trim().parse() {
            return (names, planted);
        }
    }
    let _ = fs::remove_dir_all(dir);
    fs::create_dir_all(dir).expect("create benchmark data folder");
    eprintln!("generating {} in {} (once) …", if gzip { "gzip logs" } else { "plain logs" }, dir.display());
    let mut rng = Rng(seed);
    let mut planted_lines = 0;
    for path in &names {
        let file = BufWriter::with_capacity(1 << 20, File::create(path).expect("create log file"));
        let mut fill = |sink: &mut dyn Write| {
            let mut written = 0u64;
            let mut buf = Vec::with_capacity(1 << 20);
            while written < bytes {
                buf.clear();
                while buf.len() < (1 << 20) - 1024 {
                    if rng.below(100_000) == 0 {
                        planted(&mut rng, &mut buf);
                        planted_lines += 1;
                    } else {
                        line(&mut rng, &mut buf);
                    }
                }
                sink.write_all(&buf).expect("write log file");
                written += buf.len() as u64;
            }
        };
        if gzip {
            let mut enc = flate2::write::GzEncoder::new(file, flate2::Compression::new(6));
            fill(&mut enc);
            enc.finish().expect("finish gzip").flush().expect("flush log file");
        } else {
            let mut file = file;
            fill(&mut file);
            file.flush().expect("flush log file");
        }
    }
    fs::write(&marker, planted_lines.to_string()).expect("write marker");
    (names, planted_lines)
}

/// Dates the files like a real rotation set: `access.log` is live (just written, so the
/// connector reads it with `read`), `access.log.N` was rotated N days ago (memory-mapped).
fn date_like_rotation(files: &[PathBuf]) {
    let now = std::time::SystemTime::now();
    for (age_days, f) in files.iter().enumerate() {
        let when = now - Duration::from_secs(age_days as u64 * 86_400);
        File::options()
            .write(true)
            .open(f)
            .and_then(|file| file.set_modified(when))
            .expect("set the file's modification time");
    }
}

/// CPU seconds (user + system) used so far by this process and by its waited-for children,
/// from `/proc/self/stat` (Linux; zeros elsewhere).
fn cpu_seconds() -> (f64, f64) {
    let stat = fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the parenthesised command name; utime is field 14 of the whole line.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<f64> = rest.split_whitespace().map(|x| x.parse().unwrap_or(0.0)).collect();
    let tick = 100.0; // USER_HZ on Linux
    let get = |i: usize| f.get(i).copied().unwrap_or(0.0) / tick;
    (get(11) + get(12), get(13) + get(14))
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// Reads every file once so both tools search page-cached data.
fn warm(files: &[PathBuf]) -> u64 {
    let mut buf = vec![0u8; 1 << 20];
    let mut total = 0;
    for f in files {
        let mut file = File::open(f).expect("open for warming");
        while let Ok(n) = file.read(&mut buf) {
            if n == 0 {
                break;
            }
            total += n as u64;
        }
    }
    total
}

/// One search by the connector: wall time and lines found.
fn ours(dir: &Path, gzip: bool) -> (Duration, usize) {
    let pattern = dir.join(if gzip { "access.log*.gz" } else { "access.log*" });
    let settings = LogsSettings {
        paths: vec![pattern],
        match_on: vec!["ip".into(), "email".into(), "phone".into()],
    };
    let source = LogsSource::new(&settings, "DE");
    let mut keys = SearchKeys::new();
    keys.add("ip", IP);
    keys.add("email", EMAIL);
    keys.add("phone", PHONE);
    let t = Instant::now();
    let found = source.search(&keys, &Cancel::new()).expect("logs search");
    (t.elapsed(), found.len())
}

/// One ripgrep run over the same files: wall time and lines printed.
fn ripgrep(files: &[PathBuf], gzip: bool) -> (Duration, usize) {
    let mut cmd = Command::new("rg");
    cmd.args(["--no-config", "-F", "-w", "-e", IP, "-e", EMAIL, "-e", PHONE]);
    if gzip {
        cmd.arg("-z");
    }
    cmd.args(files);
    let t = Instant::now();
    let out = cmd.output().expect("run rg");
    let elapsed = t.elapsed();
    (elapsed, out.stdout.iter().filter(|&&b| b == b'\n').count())
}

/// Dates the files as logrotate leaves them: `access.log` is the live log (written now),
/// `access.log.N` was rotated N days ago. The connector reads settled files through a memory
/// map and the live one with read(2) (a truncated mapping would SIGBUS), so this is the
/// realistic mix; freshly generated data would otherwise all look live.
fn date_like_rotated_logs(files: &[PathBuf]) {
    let now = std::time::SystemTime::now();
    for (i, f) in files.iter().enumerate() {
        let age = std::time::Duration::from_secs(86_400 * i as u64);
        let file = File::options().append(true).open(f).expect("open to date");
        file.set_modified(now - age).expect("set modification time");
    }
}

fn report(title: &str, files: &[PathBuf], dir: &Path, gzip: bool, planted: usize) -> bool {
    date_like_rotated_logs(files);
    let on_disk: u64 = files.iter().map(|f| fs::metadata(f).map_or(0, |m| m.len())).sum();
    let text_bytes = if gzip { GZ_FILES as u64 * GZ_FILE_BYTES } else { on_disk };
    warm(files);
    // Alternate the two tools so that load from other processes hits both alike.
    let (mut our_times, mut rg_times) = (Vec::new(), Vec::new());
    let (mut our_lines, mut rg_lines) = (0, 0);
    let (mut our_cpu, mut rg_cpu) = (0.0, 0.0);
    for _ in 0..RUNS {
        let before = cpu_seconds();
        let (t, n) = ours(dir, gzip);
        our_cpu += cpu_seconds().0 - before.0;
        our_times.push(t);
        our_lines = n;
        let before = cpu_seconds();
        let (t, n) = ripgrep(files, gzip);
        rg_cpu += cpu_seconds().1 - before.1;
        rg_times.push(t);
        rg_lines = n;
    }
    let (our_cpu, rg_cpu) = (our_cpu / RUNS as f64, rg_cpu / RUNS as f64);
    let (our_time, rg_time) = (median(our_times), median(rg_times));
    let ratio = our_time.as_secs_f64() / rg_time.as_secs_f64();
    let gib_s = |d: Duration| text_bytes as f64 / (1u64 << 30) as f64 / d.as_secs_f64();
    println!(
        "{title}: {} files, {:.0} MiB of log text ({:.0} MiB on disk), 3 identifiers, page cache warm, median of {RUNS}",
        files.len(),
        text_bytes as f64 / (1u64 << 20) as f64,
        on_disk as f64 / (1u64 << 20) as f64
    );
    println!(
        "  dsar logs connector   {:>8.3} s  {:>5.2} GiB/s  CPU {our_cpu:.2} s  {our_lines} lines",
        our_time.as_secs_f64(),
        gib_s(our_time)
    );
    println!(
        "  ripgrep -F -w{}      {:>8.3} s  {:>5.2} GiB/s  CPU {rg_cpu:.2} s  {rg_lines} lines",
        if gzip { " -z" } else { "   " },
        rg_time.as_secs_f64(),
        gib_s(rg_time)
    );
    let same = our_lines == rg_lines && our_lines == planted;
    println!(
        "  ratio ours/ripgrep    {ratio:>8.2}×  (target ≤ 1.00×: {})   same lines: {} (planted {planted})",
        if ratio <= 1.0 { "met" } else { "MISSED" },
        if same { "yes" } else { "NO" }
    );
    ratio <= 1.0 && same
}

fn main() {
    if Command::new("rg").arg("--version").output().is_err() {
        eprintln!("ripgrep (rg) is missing: run `bash scripts/bench-logs.sh`, which installs it");
        std::process::exit(1);
    }
    let version = Command::new("rg").arg("--version").output().map(|o| String::from_utf8_lossy(&o.stdout).lines().next().unwrap_or("").to_string()).unwrap_or_default();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("logs benchmark — baseline {version} (its default threads), {threads} cores; CPU = user + system time per run");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-data/logs");
    let (plain, plain_planted) = generate(&root.join("plain"), PLAIN_FILES, PLAIN_FILE_BYTES, false, 7);
    let (gz, gz_planted) = generate(&root.join("gz"), GZ_FILES, GZ_FILE_BYTES, true, 11);
    date_like_rotation(&plain);
    date_like_rotation(&gz);
    let ok_plain = report("plain", &plain, &root.join("plain"), false, plain_planted);
    let ok_gz = report("gzip", &gz, &root.join("gz"), true, gz_planted);
    if !(ok_plain && ok_gz) {
        std::process::exit(1);
    }
}
