//! Connector work that may block on a socket forever (the PostgreSQL client has no read
//! timeout: a stalled server or a dropped link keeps it waiting for hours) runs on a thread
//! of its own, watched from the caller's thread. The caller returns as soon as the user
//! cancels or the work has made no progress within its current limit; the abandoned thread
//! ends by itself when the socket finally fails or answers, and touches nothing of the desk.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use super::{Cancel, ConnectorError};

/// How often the caller looks at the cancel flag and the deadline.
const POLL: Duration = Duration::from_millis(100);

/// The work's promise of progress: each blocking step first sets how long it may take.
#[derive(Clone)]
pub(crate) struct Heartbeat {
    start: Instant,
    /// Milliseconds after `start` by which the current step must be done.
    deadline_ms: Arc<AtomicU64>,
    /// The current step's limit in milliseconds, for the timeout message.
    limit_ms: Arc<AtomicU64>,
}

impl Heartbeat {
    fn new(first: Duration) -> Heartbeat {
        let beat = Heartbeat { start: Instant::now(), deadline_ms: Arc::new(AtomicU64::new(0)), limit_ms: Arc::new(AtomicU64::new(0)) };
        beat.step(first);
        beat
    }

    /// A blocking step begins that may take up to `limit`.
    pub fn step(&self, limit: Duration) {
        self.limit_ms.store(u64::try_from(limit.as_millis()).unwrap_or(u64::MAX), Ordering::Relaxed);
        let due = self.start.elapsed().saturating_add(limit);
        self.deadline_ms.store(u64::try_from(due.as_millis()).unwrap_or(u64::MAX), Ordering::Relaxed);
    }

    fn limit(&self) -> Duration {
        Duration::from_millis(self.limit_ms.load(Ordering::Relaxed))
    }

    fn overdue(&self) -> bool {
        let now = u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX);
        now > self.deadline_ms.load(Ordering::Relaxed)
    }
}

/// Runs `work` on its own thread and waits for it, unless `cancel` is set (then
/// `Cancelled`) or a step overruns its limit (then `timeout(limit)`). `first` is the limit of the
/// work's first step (usually connecting).
pub(crate) fn watched<T: Send + 'static>(
    first: Duration,
    cancel: &Cancel,
    timeout: impl FnOnce(Duration) -> ConnectorError,
    work: impl FnOnce(Heartbeat) -> Result<T, ConnectorError> + Send + 'static,
) -> Result<T, ConnectorError> {
    let beat = Heartbeat::new(first);
    let (tx, rx) = mpsc::channel();
    let worker_beat = beat.clone();
    std::thread::Builder::new()
        .name("dsar-connector".into())
        .spawn(move || {
            // The caller may have given up; then nobody listens and the result is dropped.
            let _ = tx.send(work(worker_beat));
        })
        .map_err(|e| ConnectorError::Unreachable { endpoint: "this machine".into(), reason: format!("cannot start a thread: {e}") })?;
    loop {
        match rx.recv_timeout(POLL) {
            Ok(result) => return result,
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                return Err(ConnectorError::Unreachable { endpoint: "this machine".into(), reason: "the search stopped unexpectedly".into() })
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                if cancel.is_cancelled() {
                    return Err(ConnectorError::Cancelled);
                }
                if beat.overdue() {
                    return Err(timeout(beat.limit()));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stalled(_: Duration) -> ConnectorError {
        ConnectorError::Timeout { endpoint: "x".into(), seconds: 0 }
    }

    #[test]
    fn a_stalled_step_returns_timeout_while_the_thread_still_blocks() {
        let t = Instant::now();
        let r: Result<(), _> = watched(Duration::from_millis(200), &Cancel::new(), stalled, |_| {
            std::thread::sleep(Duration::from_secs(5));
            Ok(())
        });
        assert_eq!(r, Err(stalled(Duration::ZERO)));
        assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
    }

    #[test]
    fn progress_keeps_it_alive_and_cancel_stops_the_wait() {
        let r = watched(Duration::from_millis(300), &Cancel::new(), stalled, |beat| {
            for _ in 0..5 {
                beat.step(Duration::from_millis(300));
                std::thread::sleep(Duration::from_millis(150));
            }
            Ok(7)
        });
        assert_eq!(r, Ok(7));
        let cancel = Cancel::new();
        let c = cancel.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(200));
            c.cancel();
        });
        let t = Instant::now();
        let r: Result<(), _> = watched(Duration::from_secs(60), &cancel, stalled, |_| {
            std::thread::sleep(Duration::from_secs(5));
            Ok(())
        });
        assert_eq!(r, Err(ConnectorError::Cancelled));
        assert!(t.elapsed() < Duration::from_secs(2));
    }
}
