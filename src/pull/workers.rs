//! A bounded set of worker threads that runs one job per system and reports each start and
//! end to the calling thread — where the progress callback runs, so it need not be `Sync`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use crate::connectors::Cancel;

/// What happened to job `i`.
pub(crate) enum Step<R> {
    /// A worker took the job.
    Started(usize),
    /// The job ended with its result.
    Done(usize, R),
    /// Cancellation came before a worker took the job.
    NotStarted(usize),
}

/// Runs `work` for every job on at most `workers` threads, in job order, and calls `on_step`
/// on the calling thread as jobs start and end. Returns when every job has ended or was
/// skipped because `cancel` was set.
pub(crate) fn run_bounded<J: Sync, R: Send>(
    jobs: &[J],
    workers: usize,
    cancel: &Cancel,
    work: impl Fn(&J) -> R + Sync,
    mut on_step: impl FnMut(Step<R>),
) {
    let workers = workers.clamp(1, jobs.len().max(1));
    let next = AtomicUsize::new(0);
    let (tx, rx) = mpsc::channel::<Step<R>>();
    std::thread::scope(|s| {
        for _ in 0..workers {
            let tx = tx.clone();
            let (next, work) = (&next, &work);
            s.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(job) = jobs.get(i) else { break };
                // A closed channel means the caller is gone; nothing is left to report to.
                if cancel.is_cancelled() {
                    let _ = tx.send(Step::NotStarted(i));
                    continue;
                }
                let _ = tx.send(Step::Started(i));
                let r = work(job);
                let _ = tx.send(Step::Done(i, r));
            });
        }
        drop(tx);
        for step in rx {
            on_step(step);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    #[test]
    fn never_runs_more_than_the_bound_and_reports_every_job() {
        let running = AtomicUsize::new(0);
        let peak = AtomicUsize::new(0);
        let jobs: Vec<usize> = (0..12).collect();
        let mut done = vec![false; jobs.len()];
        run_bounded(&jobs, 3, &Cancel::new(), |j| {
            let now = running.fetch_add(1, Ordering::SeqCst) + 1;
            peak.fetch_max(now, Ordering::SeqCst);
            std::thread::sleep(std::time::Duration::from_millis(5));
            running.fetch_sub(1, Ordering::SeqCst);
            j * 2
        }, |step| {
            if let Step::Done(i, r) = step {
                assert_eq!(r, i * 2);
                done[i] = true;
            }
        });
        assert!(done.iter().all(|d| *d));
        assert!(peak.load(Ordering::SeqCst) <= 3 && peak.load(Ordering::SeqCst) >= 1);
    }

    #[test]
    fn cancelled_before_start_runs_nothing() {
        let cancel = Cancel::new();
        cancel.cancel();
        let mut skipped = 0;
        run_bounded(&[1, 2, 3], 2, &cancel, |_| panic!("must not run"), |step| {
            if let Step::NotStarted(_) = step {
                skipped += 1;
            }
        });
        assert_eq!(skipped, 3);
    }
}
