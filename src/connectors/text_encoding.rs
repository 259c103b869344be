//! Reading files in the encoding the register names (Windows-1252, ISO-8859-15, UTF-16…):
//! a streaming `Read` adapter that turns any `encoding_rs` encoding into UTF-8, so a 1 GB
//! export is decoded chunk by chunk, never loaded whole.

use std::io::{self, Read};

use encoding_rs::{CoderResult, Decoder, Encoding};

use super::ConnectorError;

const CHUNK: usize = 64 * 1024;

/// Looks up an encoding label (`windows-1252`, `latin1`, `utf-16le`, …) as the WHATWG
/// Encoding Standard defines them.
pub(crate) fn by_label(label: &str, location: &str) -> Result<&'static Encoding, ConnectorError> {
    Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| ConnectorError::BadData {
        location: location.to_string(),
        detail: format!("unknown encoding '{}'", label.chars().take(40).collect::<String>()),
    })
}

/// Decodes `inner` from `encoding` to UTF-8 as it is read. A byte-order mark, if present,
/// wins over the configured encoding and is removed; undecodable bytes become U+FFFD.
pub(crate) struct DecodeReader<R> {
    inner: R,
    decoder: Decoder,
    input: Vec<u8>,
    in_start: usize,
    in_end: usize,
    input_done: bool,
    output: Vec<u8>,
    out_start: usize,
    out_end: usize,
    finished: bool,
}

impl<R: Read> DecodeReader<R> {
    /// Wraps a reader.
    pub(crate) fn new(inner: R, encoding: &'static Encoding) -> DecodeReader<R> {
        DecodeReader {
            inner,
            decoder: encoding.new_decoder(),
            input: vec![0; CHUNK],
            in_start: 0,
            in_end: 0,
            input_done: false,
            // UTF-8 output of a chunk is at most three times its input (UTF-16 → UTF-8).
            output: vec![0; CHUNK * 3 + 16],
            out_start: 0,
            out_end: 0,
            finished: false,
        }
    }
}

impl<R: Read> Read for DecodeReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.out_start < self.out_end {
                let n = buf.len().min(self.out_end - self.out_start);
                buf[..n].copy_from_slice(&self.output[self.out_start..self.out_start + n]);
                self.out_start += n;
                return Ok(n);
            }
            if self.finished {
                return Ok(0);
            }
            if self.in_start == self.in_end && !self.input_done {
                let n = self.inner.read(&mut self.input)?;
                self.in_start = 0;
                self.in_end = n;
                self.input_done = n == 0;
            }
            let (result, read, written, _) = self.decoder.decode_to_utf8(
                &self.input[self.in_start..self.in_end],
                &mut self.output,
                self.input_done,
            );
            self.in_start += read;
            self.out_start = 0;
            self.out_end = written;
            if self.input_done && result == CoderResult::InputEmpty {
                self.finished = true;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8], label: &str) -> String {
        let enc = by_label(label, "t").unwrap();
        let mut out = String::new();
        // A one-byte inner reader exercises every chunk boundary.
        struct Slow<'a>(&'a [u8]);
        impl Read for Slow<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                if self.0.is_empty() || buf.is_empty() {
                    return Ok(0);
                }
                buf[0] = self.0[0];
                self.0 = &self.0[1..];
                Ok(1)
            }
        }
        DecodeReader::new(Slow(bytes), enc).read_to_string(&mut out).unwrap();
        out
    }

    #[test]
    fn decodes_legacy_and_utf16_streams() {
        assert_eq!(decode(b"M\xfcller;Stra\xdfe;\x80", "windows-1252"), "Müller;Straße;€");
        assert_eq!(decode(b"\xff\xfeA\x00\xe4\x00", "windows-1252"), "Aä", "a UTF-16 BOM wins");
        assert_eq!(decode(b"B\x00\xf6\x00", "utf-16le"), "Bö");
        assert!(by_label("klingon", "t").is_err());
    }
}
