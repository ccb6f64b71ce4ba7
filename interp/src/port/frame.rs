//! How a port cuts its program's output into messages, and frames what it
//! writes: `stream` (as it arrives), `{packet, N}` (an N-byte big-endian
//! length before each packet, both ways) and `{line, L}` (lines, without
//! their newline, as `{eol, Line}`; `{noeol, Part}` for L bytes of a longer
//! line, and for what is left at the end).

/// A port's framing mode.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Framing {
    Stream,
    /// `{packet, 1 | 2 | 4}`.
    Packet(u8),
    /// `{line, L}`.
    Line(usize),
}

/// One message's data.
pub(crate) enum Chunk {
    Bytes(Vec<u8>),
    /// A line: whole (`eol`) or not.
    Line {
        eol: bool,
        bytes: Vec<u8>,
    },
}

impl Framing {
    /// `data` as written to the program: with its length header in packet
    /// mode (`None` if it does not fit the header).
    pub(crate) fn frame_output(self, data: &[u8]) -> Option<Vec<u8>> {
        let Framing::Packet(n) = self else {
            return Some(data.to_vec());
        };
        let n = usize::from(n);
        let len = u64::try_from(data.len()).ok()?;
        if n < 8 && len >> (8 * n) != 0 {
            return None;
        }
        let mut out = Vec::with_capacity(n + data.len());
        out.extend_from_slice(&len.to_be_bytes()[8 - n..]);
        out.extend_from_slice(data);
        Some(out)
    }
}

/// Cuts a byte stream into chunks by a [`Framing`].
pub(crate) struct Deframer {
    framing: Framing,
    pending: Vec<u8>,
}

impl Deframer {
    pub(crate) fn new(framing: Framing) -> Deframer {
        Deframer {
            framing,
            pending: Vec::new(),
        }
    }

    /// The chunks complete once `bytes` arrived.
    pub(crate) fn push(&mut self, bytes: &[u8], out: &mut Vec<Chunk>) {
        match self.framing {
            Framing::Stream => out.push(Chunk::Bytes(bytes.to_vec())),
            Framing::Packet(n) => {
                self.pending.extend_from_slice(bytes);
                let n = usize::from(n);
                let mut at = 0;
                while self.pending.len() - at >= n {
                    let len = self.pending[at..at + n]
                        .iter()
                        .fold(0usize, |acc, &b| acc << 8 | usize::from(b));
                    if self.pending.len() - at - n < len {
                        break;
                    }
                    out.push(Chunk::Bytes(self.pending[at + n..at + n + len].to_vec()));
                    at += n + len;
                }
                self.pending.drain(..at);
            }
            Framing::Line(max) => {
                self.pending.extend_from_slice(bytes);
                let mut at = 0;
                loop {
                    let rest = &self.pending[at..];
                    match rest.iter().take(max + 1).position(|&b| b == b'\n') {
                        Some(i) => {
                            out.push(Chunk::Line {
                                eol: true,
                                bytes: rest[..i].to_vec(),
                            });
                            at += i + 1;
                        }
                        None if rest.len() > max => {
                            out.push(Chunk::Line {
                                eol: false,
                                bytes: rest[..max].to_vec(),
                            });
                            at += max;
                        }
                        None => break,
                    }
                }
                self.pending.drain(..at);
            }
        }
    }

    /// What is left at the end of the output: a line without its newline
    /// (`noeol`); an incomplete packet is dropped.
    pub(crate) fn finish(&mut self, out: &mut Vec<Chunk>) {
        if let Framing::Line(_) = self.framing {
            if !self.pending.is_empty() {
                out.push(Chunk::Line {
                    eol: false,
                    bytes: std::mem::take(&mut self.pending),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(max: usize, parts: &[&[u8]]) -> Vec<(bool, Vec<u8>)> {
        let mut d = Deframer::new(Framing::Line(max));
        let mut out = Vec::new();
        for p in parts {
            d.push(p, &mut out);
        }
        d.finish(&mut out);
        out.into_iter()
            .map(|c| match c {
                Chunk::Line { eol, bytes } => (eol, bytes),
                Chunk::Bytes(b) => (false, b),
            })
            .collect()
    }

    #[test]
    fn lines_split_at_their_limit() {
        let got = lines(3, &[b"a\nbcd", b"efgh\nij"]);
        let want: Vec<(bool, Vec<u8>)> = vec![
            (true, b"a".to_vec()),
            (false, b"bcd".to_vec()),
            (false, b"efg".to_vec()),
            (true, b"h".to_vec()),
            (false, b"ij".to_vec()),
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn packets_frame_both_ways() {
        let framed = Framing::Packet(2).frame_output(b"abc").unwrap();
        assert_eq!(framed, b"\0\x03abc");
        assert!(Framing::Packet(1).frame_output(&[0; 256]).is_none());
        let mut d = Deframer::new(Framing::Packet(2));
        let mut out = Vec::new();
        d.push(&framed[..3], &mut out);
        assert!(out.is_empty());
        d.push(&framed[3..], &mut out);
        assert!(matches!(&out[..], [Chunk::Bytes(b)] if b == b"abc"));
    }
}
