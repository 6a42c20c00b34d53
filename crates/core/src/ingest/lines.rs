//! Splits a byte stream fed in chunks into lines, joining lines that cross chunk boundaries, and
//! telling each line's number (1-based) and byte offset. Accepts CRLF and a leading BOM.

/// One line, without its line ending.
#[derive(Debug, PartialEq, Eq)]
pub struct Line<'a> {
    pub number: u64,
    pub offset: u64,
    pub bytes: &'a [u8],
}

#[derive(Default)]
pub struct LineSplitter {
    carry: Vec<u8>,
    carry_offset: u64,
    next_number: u64,
    consumed: u64,
}

impl LineSplitter {
    pub fn new() -> Self {
        Self::default()
    }

    /// A splitter for a stream that starts at byte `offset` of the file (offsets stay absolute;
    /// line numbers count from 1 within the stream).
    pub fn starting_at(offset: u64) -> Self {
        LineSplitter {
            consumed: offset,
            ..Self::default()
        }
    }

    /// Feeds the next chunk; calls `f` for every line completed by it.
    pub fn feed(&mut self, chunk: &[u8], f: &mut dyn FnMut(Line<'_>)) {
        let chunk_offset = self.consumed;
        self.consumed += chunk.len() as u64;
        let mut start = 0;
        for nl in memchr::memchr_iter(b'\n', chunk) {
            if self.carry.is_empty() {
                self.emit(chunk_offset + start as u64, &chunk[start..nl], f);
            } else {
                let mut carry = std::mem::take(&mut self.carry);
                carry.extend_from_slice(&chunk[start..nl]);
                self.emit(self.carry_offset, &carry, f);
                carry.clear();
                self.carry = carry;
            }
            start = nl + 1;
        }
        if start < chunk.len() {
            if self.carry.is_empty() {
                self.carry_offset = chunk_offset + start as u64;
            }
            self.carry.extend_from_slice(&chunk[start..]);
        }
    }

    /// The number and offset of the line begun but not ended by the chunks fed so far.
    pub fn pending(&self) -> Option<(u64, u64)> {
        (!self.carry.is_empty()).then_some((self.next_number + 1, self.carry_offset))
    }

    /// Ends the stream: the last line may lack a newline.
    pub fn finish(&mut self, f: &mut dyn FnMut(Line<'_>)) {
        if !self.carry.is_empty() {
            let carry = std::mem::take(&mut self.carry);
            self.emit(self.carry_offset, &carry, f);
        }
    }

    fn emit(&mut self, offset: u64, mut bytes: &[u8], f: &mut dyn FnMut(Line<'_>)) {
        self.next_number += 1;
        if let Some(b) = bytes.strip_suffix(b"\r") {
            bytes = b;
        }
        let mut offset = offset;
        if offset == 0 {
            if let Some(b) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
                bytes = b;
                offset = 3;
            }
        }
        f(Line {
            number: self.next_number,
            offset,
            bytes,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split_all(chunks: &[&[u8]]) -> Vec<(u64, u64, Vec<u8>)> {
        let mut out = Vec::new();
        let mut s = LineSplitter::new();
        for c in chunks {
            s.feed(c, &mut |l| out.push((l.number, l.offset, l.bytes.to_vec())));
        }
        s.finish(&mut |l| out.push((l.number, l.offset, l.bytes.to_vec())));
        out
    }

    #[test]
    fn a_split_at_every_byte_gives_the_same_lines() {
        let text = "\u{FEFF}{\"a\": \"é\"}\r\n\n{\"b\": 2}\nlast";
        let bytes = text.as_bytes();
        let whole = split_all(&[bytes]);
        assert_eq!(whole.len(), 4);
        assert_eq!(whole[0], (1, 3, b"{\"a\": \"\xC3\xA9\"}".to_vec()));
        assert_eq!(whole[1], (2, 16, b"".to_vec()));
        assert_eq!(whole[2], (3, 17, b"{\"b\": 2}".to_vec()));
        assert_eq!(whole[3], (4, 26, b"last".to_vec()));
        for i in 0..=bytes.len() {
            for j in i..=bytes.len() {
                assert_eq!(
                    split_all(&[&bytes[..i], &bytes[i..j], &bytes[j..]]),
                    whole,
                    "split at {i},{j}"
                );
            }
        }
    }
}
