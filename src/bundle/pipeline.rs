//! Two cores for one archive entry: a producer thread turns records into JSON or CSV bytes
//! while the calling thread hashes, compresses (and encrypts) them. Bytes travel in a few
//! 256 KiB chunks that are handed back for reuse, so memory stays flat however large the entry.

use std::io::{self, Write};
use std::sync::mpsc::{self, Receiver, SyncSender};

/// Size of one chunk handed from the producer to the writer.
const CHUNK: usize = 256 * 1024;
/// Chunks in flight at most: enough to keep both threads busy, little memory.
const IN_FLIGHT: usize = 4;

/// The producer's end: a `Write` that ships full chunks to the writer thread.
pub struct Chunks {
    tx: SyncSender<Vec<u8>>,
    free: Receiver<Vec<u8>>,
    buf: Vec<u8>,
}

impl Chunks {
    fn ship(&mut self) -> io::Result<()> {
        let next = self.free.try_recv().unwrap_or_else(|_| Vec::with_capacity(CHUNK));
        let full = std::mem::replace(&mut self.buf, next);
        self.tx.send(full).map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the archive writer stopped"))
    }

    fn finish(mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            Ok(())
        } else {
            self.ship()
        }
    }
}

impl Write for Chunks {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK {
            self.ship()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        // Partial chunks go at the end: flushing early would only make chunks smaller.
        Ok(())
    }
}

/// Runs `produce` on a second thread and writes what it produces into `sink`, in order.
/// The sink's error wins over the producer's (the producer then only sees a closed channel).
pub fn stream<W: Write>(sink: &mut W, produce: impl FnOnce(&mut Chunks) -> io::Result<()> + Send) -> io::Result<()> {
    let (tx, rx) = mpsc::sync_channel::<Vec<u8>>(IN_FLIGHT);
    let (free_tx, free_rx) = mpsc::channel::<Vec<u8>>();
    std::thread::scope(|s| {
        let producer = s.spawn(move || {
            let mut chunks = Chunks { tx, free: free_rx, buf: Vec::with_capacity(CHUNK) };
            produce(&mut chunks)?;
            chunks.finish()
        });
        let mut written = Ok(());
        for mut chunk in rx.iter() {
            if let Err(e) = sink.write_all(&chunk) {
                written = Err(e);
                break;
            }
            chunk.clear();
            // The producer may have finished already; then the buffer is simply dropped.
            let _ = free_tx.send(chunk);
        }
        drop(rx);
        let produced = producer.join().unwrap_or_else(|_| Err(io::Error::other("the record writer stopped unexpectedly")));
        written.and(produced)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_arrive_complete_and_in_order() {
        let mut out = Vec::new();
        stream(&mut out, |w| {
            for i in 0..200_000u32 {
                write!(w, "{i},")?;
            }
            Ok(())
        })
        .unwrap();
        let want: String = (0..200_000u32).map(|i| format!("{i},")).collect();
        assert_eq!(String::from_utf8(out).unwrap(), want);
    }

    struct Full;
    impl Write for Full {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::Error::new(io::ErrorKind::StorageFull, "disk full"))
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_failing_sink_stops_the_producer_and_its_error_is_reported() {
        let e = stream(&mut Full, |w| {
            for _ in 0..10_000 {
                w.write_all(&[b'x'; 1024])?;
            }
            Ok(())
        })
        .unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::StorageFull);
        let e = stream(&mut Vec::new(), |_| Err(io::Error::other("bad record"))).unwrap_err();
        assert_eq!(e.to_string(), "bad record");
    }
}
