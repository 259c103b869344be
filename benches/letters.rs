//! Benchmark: 1 000 access letters (Jaimo's register, data in four systems) rendered to PDF,
//! against `groff -Tpdf` typesetting the same letter text as the baseline tool.
//!
//! Run: `cargo bench --bench letters` (needs `groff`: `apt-get install groff`). Target: < 20 ms
//! per letter. Prints mean, median, p95 and max; the figures are the result, nothing asserts.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{NaiveDate, Utc};
use dsar::cases::{self, Context, NewCase};
use dsar::domain::{Channel, IdentifierKind, Language, Right};
use dsar::evidence::{self, Found, PullStatus, SystemResult};
use dsar::letters::{self, LetterExtra, LetterInput, LetterKind, Templates};
use dsar::register_store;
use dsar::store::Store;


/// `BENCH_SMOKE=1` (`scripts/bench.sh --smoke`, run in CI): small data, gates computed and
/// printed but not enforced — the code and its gates are exercised so they cannot rot.
fn smoke() -> bool {
    std::env::var_os("BENCH_SMOKE").is_some()
}

/// Letters rendered (20 in a smoke run).
fn letters_n() -> usize {
    if smoke() { 20 } else { 1000 }
}

/// groff runs for the baseline (3 in a smoke run).
fn baseline_runs() -> usize {
    if smoke() { 3 } else { 50 }
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let today = NaiveDate::from_ymd_opt(2026, 11, 21).expect("date");
    let ctx = Context { actor: "bench".into(), today, now: Utc::now() };
    let mut store = Store::create(&dir.path().join("bench.db"), "benchmark passphrase").expect("store");
    let register_file = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/registers/jaimo.json");
    let register = register_store::import_file(&mut store, &ctx, &register_file).expect("register");
    let case = cases::create(
        &mut store,
        &ctx,
        NewCase {
            rights: vec![Right::Access],
            name: "Jana Beispiel".into(),
            address: vec!["Musterweg 1".into(), "12345 Musterstadt".into()],
            identifiers: vec![(IdentifierKind::Email, "jana@example.org".into())],
            received: NaiveDate::from_ymd_opt(2026, 11, 2).expect("date"),
            jurisdiction: None,
            region: None,
            language: Some(Language::De),
            channel: Channel::Email,
        },
    )
    .expect("case");
    for (id, n, status) in [("dashboard", 3, PullStatus::Ok), ("slack", 2, PullStatus::Ok), ("fastbill", 12, PullStatus::Ok), ("salesforce", 1, PullStatus::Ok), ("gmail", 0, PullStatus::Manual), ("cleverreach", 0, PullStatus::Ok)] {
        let found: Vec<Found> = (0..n).map(|i| Found { dataset: "records".into(), locator: format!("row {i}"), record: serde_json::json!({"n": i}) }).collect();
        let result = SystemResult { system_id: id.into(), status, records: n as u64, duration_ms: 1, error: None, pulled_at: "2026-11-20T10:00:00Z".into() };
        store.write(|tx| evidence::replace_system(tx, &case.id, &result, &found)).expect("evidence");
    }
    let ev = evidence::for_case(store.conn(), &case.id).expect("evidence");
    let results = evidence::results(store.conn(), &case.id).expect("results");
    let overrides = cases::calendar_overrides(store.conn(), case.region).expect("calendar");
    let deadline = case.deadline(&overrides).expect("deadline");
    let extra = LetterExtra::default();
    let templates = Templates::builtin();
    let input = LetterInput { kind: LetterKind::AccessResponse, case: &case, register: &register, evidence: &ev, results: &results, language: Language::De, today, deadline: &deadline, extra: &extra, acted: &dsar::acting::Acted::default(), earlier_access: None };

    // The first letter parses the embedded fonts and compiles the templates: reported apart.
    let t = Instant::now();
    let first = letters::render(&input, &templates).expect("letter");
    let warm_up = t.elapsed();
    let mut times = Vec::with_capacity(letters_n());
    let mut bytes = 0;
    for _ in 0..letters_n() {
        let t = Instant::now();
        let letter = letters::render(&input, &templates).expect("letter");
        times.push(t.elapsed());
        bytes = letter.pdf.len();
    }
    let pages = count_pages(&first.pdf);
    println!("letters: {} access letters (Jaimo register, {} systems), {pages} pages, {bytes} bytes each", letters_n(), register.systems.len());
    println!("letters: first letter (fonts parsed, templates compiled): {:.2} ms", ms(warm_up));
    report("dsar letters::render", &mut times);
    println!("letters: target < 20 ms per letter");

    match baseline(&first.text, dir.path()) {
        Ok(mut base) => report("baseline groff -Tpdf (same text, no tables)", &mut base),
        Err(e) => println!("baseline groff -Tpdf: not run ({e}); install it with apt-get install groff"),
    }
}

/// Typesets the letter's plain text with groff (as a process, as a user would run it).
fn baseline(text: &str, dir: &Path) -> Result<Vec<Duration>, String> {
    // troff reads lines starting with . or ' as requests and \ as escapes: neutralise them.
    let mut input = String::from(".ll 16c\n.po 2.5c\n");
    for line in text.lines() {
        let l = line.replace('\\', "\\e");
        if l.starts_with('.') || l.starts_with('\'') {
            input.push_str("\\&");
        }
        input.push_str(&l);
        input.push('\n');
    }
    let out = dir.join("groff.pdf");
    let mut times = Vec::with_capacity(baseline_runs());
    for _ in 0..baseline_runs() {
        let t = Instant::now();
        let mut child = Command::new("groff")
            .args(["-k", "-Kutf8", "-Tpdf"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start groff: {e}"))?;
        child.stdin.take().ok_or("no stdin")?.write_all(input.as_bytes()).map_err(|e| e.to_string())?;
        let o = child.wait_with_output().map_err(|e| e.to_string())?;
        times.push(t.elapsed());
        if !o.status.success() || !o.stdout.starts_with(b"%PDF") {
            return Err("groff produced no PDF".into());
        }
        std::fs::write(&out, &o.stdout).map_err(|e| e.to_string())?;
    }
    Ok(times)
}

/// Page objects in the PDF: `/Type/Page` not followed by `s` (that is the page tree).
fn count_pages(pdf: &[u8]) -> usize {
    let key = b"/Type/Page";
    pdf.windows(key.len() + 1).filter(|w| w.starts_with(key) && w[key.len()] != b's').count()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn report(what: &str, times: &mut [Duration]) {
    times.sort();
    let n = times.len();
    let mean = times.iter().map(|d| ms(*d)).sum::<f64>() / n as f64;
    let p = |q: f64| ms(times[((n as f64 * q).ceil() as usize).clamp(1, n) - 1]);
    println!("{what}: n={n} mean {mean:.2} ms, median {:.2} ms, p95 {:.2} ms, max {:.2} ms", p(0.5), p(0.95), p(1.0));
}
