//! Gzip, member by member, so that damage is placed exactly: a stream cut off inside a member
//! (a partial download), a damaged member, and bytes after the last member that are not gzip
//! (trailing garbage) are told apart, and everything decoded before the damage is kept.

use std::io::{self, Read};

use flate2::bufread::GzDecoder;

use super::source::{ByteSource, SourceReader};

/// The decompressed text of every gzip member of a source, in order, as `Read`.
pub struct Members<S: ByteSource> {
    state: State<S>,
}

enum State<S: ByteSource> {
    /// Decoding a member.
    Member(Box<GzDecoder<SourceReader<S>>>),
    /// Between members (or before the first).
    Between(SourceReader<S>),
    /// Done: the source ended, or what follows the last member is not gzip.
    Ended {
        reader: SourceReader<S>,
        trailing: Option<Trailing>,
    },
    /// Only while moving from one state to the next.
    Moving,
}

/// Bytes after the last gzip member that do not start another member.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Trailing {
    /// Where they start in the file.
    pub offset: u64,
    /// How many there are.
    pub bytes: u64,
}

impl<S: ByteSource> Members<S> {
    pub fn new(reader: SourceReader<S>) -> Self {
        Members {
            state: State::Between(reader),
        }
    }

    /// Bytes of the file consumed so far: exact, since members are decoded from a `BufRead`.
    pub fn position(&self) -> u64 {
        match &self.state {
            State::Member(d) => d.get_ref().position(),
            State::Between(r) | State::Ended { reader: r, .. } => r.position(),
            State::Moving => 0,
        }
    }

    /// Bytes after the last member that are not gzip, once the stream has ended.
    pub fn trailing(&self) -> Option<Trailing> {
        match &self.state {
            State::Ended { trailing, .. } => *trailing,
            _ => None,
        }
    }
}

impl<S: ByteSource> Read for Members<S> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        loop {
            match std::mem::replace(&mut self.state, State::Moving) {
                State::Member(mut d) => match d.read(out) {
                    Ok(0) if !out.is_empty() => self.state = State::Between(d.into_inner()),
                    other => {
                        self.state = State::Member(d);
                        return other;
                    }
                },
                State::Between(r) => {
                    let head = match r.peek(2) {
                        Ok(h) => h,
                        Err(e) => {
                            self.state = State::Between(r);
                            return Err(e);
                        }
                    };
                    if head.is_empty() {
                        self.state = State::Ended {
                            reader: r,
                            trailing: None,
                        };
                    } else if head.starts_with(&[0x1f, 0x8b]) {
                        self.state = State::Member(Box::new(GzDecoder::new(r)));
                    } else {
                        let offset = r.position();
                        let bytes = r.remaining();
                        self.state = State::Ended {
                            reader: r,
                            trailing: Some(Trailing { offset, bytes }),
                        };
                    }
                }
                ended @ State::Ended { .. } => {
                    self.state = ended;
                    return Ok(0);
                }
                State::Moving => return Ok(0),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn gz(text: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(text).unwrap();
        e.finish().unwrap()
    }

    fn decode(bytes: Vec<u8>, chunk: usize) -> (Vec<u8>, io::Result<()>, Option<Trailing>) {
        let mut m = Members::new(SourceReader::new(bytes, 0, chunk));
        let mut out = Vec::new();
        let r = m.read_to_end(&mut out).map(|_| ());
        (out, r, m.trailing())
    }

    #[test]
    fn members_follow_one_another_and_garbage_after_them_is_placed() {
        let mut bytes = gz(b"one\n");
        bytes.extend(gz(b"two\n"));
        let end = bytes.len() as u64;
        for chunk in [1, 2, 3, 7, 1 << 20] {
            let (out, r, trailing) = decode(bytes.clone(), chunk);
            assert_eq!(out, b"one\ntwo\n", "chunk {chunk}");
            assert!(r.is_ok());
            assert_eq!(trailing, None);
        }
        bytes.extend_from_slice(b"<html>not found</html>");
        let (out, r, trailing) = decode(bytes, 5);
        assert_eq!(out, b"one\ntwo\n");
        assert!(r.is_ok());
        assert_eq!(
            trailing,
            Some(Trailing {
                offset: end,
                bytes: 22
            })
        );
    }

    #[test]
    fn a_cut_member_keeps_what_was_decoded_and_fails() {
        let text: Vec<u8> = (0..20_000)
            .flat_map(|i| format!("line {i}\n").into_bytes())
            .collect();
        let bytes = gz(&text);
        let cut = bytes[..bytes.len() * 3 / 4].to_vec();
        let mut m = Members::new(SourceReader::new(cut, 0, 4096));
        let mut out = Vec::new();
        let mut buf = [0u8; 1000];
        let err = loop {
            match m.read(&mut buf) {
                Ok(0) => panic!("a cut stream must not end cleanly"),
                Ok(n) => out.extend_from_slice(&buf[..n]),
                Err(e) => break e,
            }
        };
        assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof, "{err}");
        assert!(
            out.len() > text.len() / 2,
            "{} of {}",
            out.len(),
            text.len()
        );
        assert_eq!(out, text[..out.len()]);
    }
}
