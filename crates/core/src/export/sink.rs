//! Where exported bytes go: a buffer, gzip-compressed or not, drained in chunks, so a caller can
//! hand the output on (as `Blob` parts, or to a file) while it grows and never hold it whole.

use flate2::write::GzEncoder;
use std::io::Write;

use super::options::Compression;

pub enum Sink {
    Plain(Vec<u8>),
    Gzip(GzEncoder<Vec<u8>>),
}

impl Sink {
    pub fn new(c: Compression) -> Sink {
        match c {
            Compression::None => Sink::Plain(Vec::new()),
            Compression::Gzip => {
                Sink::Gzip(GzEncoder::new(Vec::new(), flate2::Compression::new(6)))
            }
        }
    }

    pub fn write(&mut self, bytes: &[u8]) {
        match self {
            Sink::Plain(v) => v.extend_from_slice(bytes),
            // Writing into a Vec cannot fail.
            Sink::Gzip(g) => {
                let _ = g.write_all(bytes);
            }
        }
    }

    /// Output bytes ready to be taken.
    pub fn ready(&self) -> usize {
        match self {
            Sink::Plain(v) => v.len(),
            Sink::Gzip(g) => g.get_ref().len(),
        }
    }

    /// Takes the output so far (the encoder only ever appends to its buffer, so what was taken
    /// followed by what comes later is the whole stream).
    pub fn take(&mut self) -> Vec<u8> {
        match self {
            Sink::Plain(v) => std::mem::take(v),
            Sink::Gzip(g) => std::mem::take(g.get_mut()),
        }
    }

    /// Ends the stream and returns the rest of the output.
    pub fn finish(self) -> Vec<u8> {
        match self {
            Sink::Plain(v) => v,
            Sink::Gzip(g) => g.finish().unwrap_or_default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn gzip_taken_in_chunks_is_one_stream() {
        let mut s = Sink::new(Compression::Gzip);
        let mut out = Vec::new();
        let mut expected = Vec::new();
        for i in 0..20_000 {
            let line = format!("{{\"n\": {i}, \"pad\": \"{}\"}}\n", "x".repeat(i % 50));
            expected.extend_from_slice(line.as_bytes());
            s.write(line.as_bytes());
            if s.ready() > 4096 {
                out.extend(s.take());
            }
        }
        out.extend(s.finish());
        let mut back = Vec::new();
        flate2::read::GzDecoder::new(out.as_slice())
            .read_to_end(&mut back)
            .unwrap();
        assert_eq!(back, expected);
    }
}
