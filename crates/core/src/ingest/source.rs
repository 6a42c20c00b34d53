//! Random-access byte sources: the one seam between ingest and where the bytes live (memory, a
//! native file, a browser `Blob` in `worker::blob`). Offsets are u64 all the way: files over 2 GiB.

use std::io;

/// Something we can read byte ranges from. Reads may return fewer bytes only at the end.
/// Send + Sync because the parquet crate's reader asks it (a browser `Blob` source, used on one
/// thread only, says so in the one unsafe impl of the project).
pub trait ByteSource: Send + Sync {
    fn len(&self) -> u64;
    fn read_at(&self, offset: u64, len: usize) -> io::Result<Vec<u8>>;
    /// `read_at` into a buffer the caller keeps: a source that can fill it in place (a native
    /// file) saves a fresh allocation per read, which for large reads means fresh pages that
    /// the kernel must fault in and clear.
    fn read_into(&self, offset: u64, len: usize, buf: &mut Vec<u8>) -> io::Result<()> {
        *buf = self.read_at(offset, len)?;
        Ok(())
    }
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl ByteSource for [u8] {
    fn len(&self) -> u64 {
        <[u8]>::len(self) as u64
    }
    fn read_at(&self, offset: u64, len: usize) -> io::Result<Vec<u8>> {
        let start = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(<[u8]>::len(self));
        let end = start.saturating_add(len).min(<[u8]>::len(self));
        Ok(self[start..end].to_vec())
    }
}

impl<T: ByteSource + ?Sized> ByteSource for &T {
    fn len(&self) -> u64 {
        (**self).len()
    }
    fn read_at(&self, offset: u64, len: usize) -> io::Result<Vec<u8>> {
        (**self).read_at(offset, len)
    }
    fn read_into(&self, offset: u64, len: usize, buf: &mut Vec<u8>) -> io::Result<()> {
        (**self).read_into(offset, len, buf)
    }
}

impl<T: ByteSource + ?Sized> ByteSource for std::sync::Arc<T> {
    fn len(&self) -> u64 {
        (**self).len()
    }
    fn read_at(&self, offset: u64, len: usize) -> io::Result<Vec<u8>> {
        (**self).read_at(offset, len)
    }
    fn read_into(&self, offset: u64, len: usize, buf: &mut Vec<u8>) -> io::Result<()> {
        (**self).read_into(offset, len, buf)
    }
}

impl ByteSource for Vec<u8> {
    fn len(&self) -> u64 {
        self.as_slice().len() as u64
    }
    fn read_at(&self, offset: u64, len: usize) -> io::Result<Vec<u8>> {
        self.as_slice().read_at(offset, len)
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl ByteSource for std::fs::File {
    fn len(&self) -> u64 {
        self.metadata().map(|m| m.len()).unwrap_or(0)
    }
    fn read_at(&self, offset: u64, len: usize) -> io::Result<Vec<u8>> {
        let mut buf = Vec::new();
        self.read_into(offset, len, &mut buf)?;
        Ok(buf)
    }
    fn read_into(&self, offset: u64, len: usize, buf: &mut Vec<u8>) -> io::Result<()> {
        use std::os::unix::fs::FileExt;
        // Only bytes past the buffer's length are zeroed: a reused buffer costs no clearing.
        buf.resize(len, 0);
        let mut filled = 0;
        while filled < len {
            match FileExt::read_at(self, &mut buf[filled..], offset + filled as u64) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    buf.truncate(filled);
                    return Err(e);
                }
            }
        }
        buf.truncate(filled);
        Ok(())
    }
}

/// Bytes read per slice: large slices are what make `Blob` reads fast in browsers.
pub const CHUNK: usize = 8 << 20;

/// The first read of a `SourceReader` (and of a JSONL pass) is this small, so the first figures
/// come quickly; reads then double up to the chunk size.
pub const FIRST_READ: usize = 256 << 10;

/// Reads a source front to back in chunks, as `std::io::Read` (for decompressors).
pub struct SourceReader<S: ByteSource> {
    source: S,
    pos: u64,
    end: u64,
    chunk: usize,
    /// The next read's size: `FIRST_READ`, doubling up to `chunk`.
    next: usize,
    buf: Vec<u8>,
    buf_pos: usize,
}

impl<S: ByteSource> SourceReader<S> {
    pub fn new(source: S, start: u64, chunk: usize) -> Self {
        let end = source.len();
        SourceReader {
            source,
            pos: start,
            end,
            chunk,
            next: FIRST_READ.min(chunk),
            buf: Vec::new(),
            buf_pos: 0,
        }
    }
    /// Bytes of the source consumed so far (for progress).
    pub fn position(&self) -> u64 {
        self.pos - (self.buf.len() - self.buf_pos) as u64
    }

    /// Bytes of the source after `position`.
    pub fn remaining(&self) -> u64 {
        self.end.saturating_sub(self.position())
    }

    /// The next `n` bytes (fewer at the end), without consuming them.
    pub fn peek(&self, n: usize) -> io::Result<Vec<u8>> {
        let at = self.buf_pos;
        if self.buf.len() - at >= n {
            return Ok(self.buf[at..at + n].to_vec());
        }
        self.source.read_at(self.position(), n)
    }
}

impl<S: ByteSource> io::Read for SourceReader<S> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = {
            let buf = io::BufRead::fill_buf(self)?;
            let n = out.len().min(buf.len());
            out[..n].copy_from_slice(&buf[..n]);
            n
        };
        io::BufRead::consume(self, n);
        Ok(n)
    }
}

/// Buffered reading, so a decompressor (`flate2::bufread`) consumes exactly what it decodes and
/// `position` is exact where it stops.
impl<S: ByteSource> io::BufRead for SourceReader<S> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.buf_pos == self.buf.len() && self.pos < self.end {
            let want = self.next.min((self.end - self.pos) as usize);
            self.next = (self.next * 2).min(self.chunk);
            if let Err(e) = self.source.read_into(self.pos, want, &mut self.buf) {
                // Nothing of the failed read is kept: `position` stays where the bytes ended.
                self.buf.clear();
                self.buf_pos = 0;
                return Err(e);
            }
            self.pos += self.buf.len() as u64;
            self.buf_pos = 0;
        }
        Ok(&self.buf[self.buf_pos..])
    }

    fn consume(&mut self, n: usize) {
        self.buf_pos = (self.buf_pos + n).min(self.buf.len());
    }
}
