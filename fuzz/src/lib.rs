//! Shared pieces of the fuzz targets: the 1 GiB allocation cap, a per-process scratch folder
//! for targets that must hand the `dsar` API a file, and the in-process HTTP responder of
//! `http_answer`.
//!
//! Every target links this crate, so the capped allocator below is the global allocator of
//! every fuzz binary.

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

/// The largest single allocation a target may make (1 GiB, as `-malloc_limit_mb=1024`).
pub const MAX_ALLOCATION: usize = 1 << 30;

/// The system allocator, aborting on one allocation over [`MAX_ALLOCATION`].
///
/// libFuzzer's `-malloc_limit_mb` needs the malloc hooks of a sanitizer runtime; the targets
/// are built with `--sanitizer none` (safe Rust gains little from ASan, which slows every
/// run), so the cap is enforced here. The abort is a crash to libFuzzer: it saves the
/// input as `crash-…` like any panic.
pub struct CappedAlloc;

fn over_cap(size: usize) -> ! {
    // No formatting machinery (it may allocate): write the size digit by digit.
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    let mut n = size;
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    let mut err = std::io::stderr();
    let _ = err.write_all(b"==dsar-fuzz== allocation of ");
    let _ = err.write_all(&buf[i..]);
    let _ = err.write_all(b" bytes is over the 1 GiB cap (-malloc_limit_mb=1024)\n");
    std::process::abort()
}

unsafe impl GlobalAlloc for CappedAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if layout.size() > MAX_ALLOCATION {
            over_cap(layout.size());
        }
        System.alloc(layout)
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if layout.size() > MAX_ALLOCATION {
            over_cap(layout.size());
        }
        System.alloc_zeroed(layout)
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size > MAX_ALLOCATION {
            over_cap(new_size);
        }
        System.realloc(ptr, layout, new_size)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
}

#[global_allocator]
static ALLOC: CappedAlloc = CappedAlloc;

/// This process's scratch folder, made once and reused by every iteration:
/// `$DSAR_FUZZ_TMP/<pid>` (scripts/fuzz.sh sets it and removes it afterwards), else
/// `<temp dir>/dsar-fuzz-<pid>`.
pub fn scratch_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let pid = std::process::id();
        let dir = match std::env::var_os("DSAR_FUZZ_TMP") {
            Some(base) => PathBuf::from(base).join(pid.to_string()),
            None => std::env::temp_dir().join(format!("dsar-fuzz-{pid}")),
        };
        std::fs::create_dir_all(&dir).expect("create the fuzz scratch folder");
        dir
    })
}

/// Writes `bytes` to `name` in the scratch folder (replacing it) and returns its path.
pub fn scratch_file(name: &str, bytes: &[u8]) -> PathBuf {
    let path = scratch_dir().join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("create a scratch subfolder");
    }
    std::fs::write(&path, bytes).expect("write the scratch file");
    path
}

/// A tiny HTTP responder on 127.0.0.1, started once per process: every connection gets the
/// request read up to its blank line, then the bytes last given to [`Responder::set`], then
/// the connection is closed.
pub struct Responder {
    addr: SocketAddr,
    response: Arc<Mutex<Vec<u8>>>,
}

impl Responder {
    /// The process's responder (started on first use).
    pub fn get() -> &'static Responder {
        static R: OnceLock<Responder> = OnceLock::new();
        R.get_or_init(|| {
            let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
            let addr = listener.local_addr().expect("local address");
            let response = Arc::new(Mutex::new(Vec::new()));
            let shared = Arc::clone(&response);
            std::thread::Builder::new()
                .name("fuzz-http".into())
                .spawn(move || {
                    for stream in listener.incoming() {
                        let Ok(mut stream) = stream else { continue };
                        let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
                        let _ = stream.set_write_timeout(Some(Duration::from_secs(2)));
                        // Read the request head (GET/HEAD: no body).
                        let mut head = Vec::new();
                        let mut buf = [0u8; 4096];
                        while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 65536 {
                            match stream.read(&mut buf) {
                                Ok(0) | Err(_) => break,
                                Ok(n) => head.extend_from_slice(&buf[..n]),
                            }
                        }
                        let answer = shared.lock().map(|r| r.clone()).unwrap_or_default();
                        let _ = stream.write_all(&answer);
                        let _ = stream.flush();
                        let _ = stream.shutdown(Shutdown::Write);
                        // Let the client read to the end before the socket goes away.
                        let _ = stream.read(&mut buf);
                    }
                })
                .expect("start the responder thread");
            Responder { addr, response }
        })
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The raw bytes (status line, headers, body) every following request is answered with.
    pub fn set(&self, raw: Vec<u8>) {
        *self.response.lock().unwrap_or_else(|e| e.into_inner()) = raw;
    }
}

/// A fixture firm's register, parsed once per process (from tests/data/registers/).
pub fn register(firm: usize) -> &'static dsar::register::Register {
    const FIRMS: [&str; 4] = [
        include_str!("../../tests/data/registers/minimal.json"),
        include_str!("../../tests/data/registers/jaimo.json"),
        include_str!("../../tests/data/registers/smart-cx.json"),
        include_str!("../../tests/data/registers/websmart.json"),
    ];
    static PARSED: OnceLock<Vec<dsar::register::Register>> = OnceLock::new();
    let all = PARSED.get_or_init(|| {
        FIRMS
            .iter()
            .map(|text| dsar::register::parse(text, Path::new("/fuzz/registers")).expect("fixture register parses"))
            .collect()
    });
    &all[firm % all.len()]
}

/// A GDPR case received on 2 November 2026 for `subject`, with the given texts.
pub fn case(subject: dsar::domain::Subject, language: dsar::domain::Language, extension_reason: Option<String>) -> dsar::cases::Case {
    use dsar::deadline::{Jurisdiction, Region};
    use dsar::domain::{Channel, Right, Status};
    dsar::cases::Case {
        id: "0190a8f0-0000-7000-8000-000000000000".into(),
        reference: dsar::domain::CaseRef { year: 2026, number: 42 },
        rights: vec![Right::Access, Right::Erasure],
        subject,
        channel: Channel::Email,
        received: chrono::NaiveDate::from_ymd_opt(2026, 11, 2).expect("date"),
        jurisdiction: Jurisdiction::Gdpr,
        region: Region::DeNw,
        language,
        status: Status::InProgress,
        outcome: None,
        closed_on: None,
        extended_on: None,
        extension_reason,
        pauses: Vec::new(),
        requester: None,
        salutation: None,
    }
}
