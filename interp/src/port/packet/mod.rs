//! Packet framing, shared by `erlang:decode_packet/3` and the TCP
//! socket's `{packet, Type}` option, as BEAM's `packet_parser.c` frames
//! them: plain framings (`raw`, `1`, `2`, `4`, `line`), the protocol
//! headers (`asn1` BER TLV, `cdr` GIOP, `sunrm`, `fcgi`, `tpkt`,
//! `ssl_tls`) with BEAM's rules for `packet_size`, `line_length` and
//! `line_delimiter` (a protocol packet comes with its header, an `fcgi`
//! one without its padding), and the `http*` types (`http`).

pub mod http;

use enigma_vm::atom::Atom;
use enigma_vm::exception::Exception;
use enigma_vm::term::{Heap, Term};

/// A framing: the whole buffer, a length header of 1, 2 or 4 bytes, a
/// line, or a protocol's header.
#[derive(Clone, Copy)]
pub enum Framing {
    Raw,
    Header(usize),
    Line,
    Asn1,
    Cdr,
    SunRm,
    Fcgi,
    Tpkt,
    SslTls,
    /// A request or status line, or (`header`) a header line; strings
    /// as binaries (`binary`) or lists.
    Http {
        header: bool,
        binary: bool,
    },
}

/// The options: largest packet (0: no limit), longest line before it is
/// cut (0: none), the line's last byte.
pub struct Limits {
    pub packet_size: usize,
    pub line_length: usize,
    pub delimiter: u8,
}

/// What the buffer holds: a packet (the bytes from .. to, the rest after
/// `next`), more needed (the whole length if known), or a packet over the
/// limit or with a bad header.
pub enum Found {
    Packet(usize, usize, usize),
    More(Option<usize>),
    Invalid,
}

/// A big-endian number.
fn be(bytes: &[u8]) -> usize {
    bytes.iter().fold(0, |acc, &b| (acc << 8) | usize::from(b))
}

/// `packet_parser.c`'s `packet_get_length` and `packet_get_body`.
pub fn find(framing: Framing, bytes: &[u8], l: &Limits) -> Found {
    let n = bytes.len();
    let over = |len: usize| l.packet_size != 0 && len > l.packet_size;
    // A header of `h` bytes announcing `len` more: the packet is all of it.
    // BEAM's lengths are C `int`s: a packet over 2^31-1 bytes is invalid.
    let remain = |h: usize, len: usize| {
        if over(len) || h + len > i32::MAX as usize {
            Found::Invalid
        } else if n < h + len {
            Found::More(Some(h + len))
        } else {
            Found::Packet(0, h + len, h + len)
        }
    };
    match framing {
        Framing::Raw if n == 0 => Found::More(None),
        Framing::Raw => Found::Packet(0, n, n),
        Framing::Header(h) if n < h => Found::More(None),
        Framing::Header(h) => match remain(h, be(&bytes[..h])) {
            Found::Packet(_, end, next) => Found::Packet(h, end, next),
            other => other,
        },
        Framing::Line => match bytes.iter().position(|&b| b == l.delimiter) {
            None if over(n) => Found::Invalid,
            None if l.line_length != 0 && n >= l.line_length => {
                Found::Packet(0, l.line_length, l.line_length)
            }
            None => Found::More(None),
            Some(i) if over(i + 1) => Found::Invalid,
            Some(i) if l.line_length != 0 && i + 1 > l.line_length => {
                Found::Packet(0, l.line_length, l.line_length)
            }
            Some(i) => Found::Packet(0, i + 1, i + 1),
        },
        Framing::SunRm if n < 4 => Found::More(None),
        Framing::SunRm => remain(4, be(&bytes[..4]) & 0x7fff_ffff),
        Framing::Asn1 => asn1(bytes).map_or(Found::More(None), |h| match h {
            Some((h, len)) => remain(h, len),
            None => Found::Invalid,
        }),
        Framing::Cdr if n < 12 => Found::More(None),
        Framing::Cdr if &bytes[..4] != b"GIOP" => Found::Invalid,
        Framing::Cdr => {
            let size = &bytes[8..12];
            let len = if bytes[6] & 1 == 1 {
                size.iter()
                    .rev()
                    .fold(0, |acc, &b| (acc << 8) | usize::from(b))
            } else {
                be(size)
            };
            remain(12, len)
        }
        Framing::Fcgi if n < 8 => Found::More(None),
        Framing::Fcgi if bytes[0] != 1 => Found::Invalid,
        Framing::Fcgi => {
            let padding = usize::from(bytes[6]);
            match remain(8, be(&bytes[4..6]) + padding) {
                Found::Packet(_, end, next) => Found::Packet(0, end - padding, next),
                other => other,
            }
        }
        Framing::Tpkt if n < 4 => Found::More(None),
        Framing::Tpkt if bytes[0] != 3 => Found::Invalid,
        // The length counts the header.
        Framing::Tpkt => match be(&bytes[2..4]) {
            0..=3 => Found::Invalid,
            len => remain(4, len - 4),
        },
        Framing::SslTls if n < 5 => Found::More(None),
        // An SSL 2 client hello: <<1:1, Len:15, 1:8, Version:16>>.
        Framing::SslTls if bytes[0] & 0x80 != 0 && bytes[2] == 1 => {
            match (be(&bytes[..2]) & 0x7fff).checked_sub(3) {
                Some(len) => remain(5, len),
                None => Found::Invalid,
            }
        }
        Framing::SslTls => remain(5, be(&bytes[3..5])),
        Framing::Http { header, .. } => http::length(bytes, l.packet_size, l.line_length, header),
    }
}

/// An ASN.1 BER header: its length and the content's (`Some(None)` for a
/// length field of more than 4 bytes), or `None` if more bytes are needed.
fn asn1(bytes: &[u8]) -> Option<Option<(usize, usize)>> {
    if bytes.len() < 2 {
        return None;
    }
    let mut at = 1;
    if bytes[0] & 0x1f == 0x1f {
        // A long tag: its bytes with the top bit set, then one more.
        while at < bytes.len() && bytes[at] & 0x80 != 0 {
            at += 1;
        }
        if bytes.len() - at < 2 {
            return None;
        }
        at += 1;
    }
    let first = bytes[at];
    at += 1;
    if first & 0x80 == 0 {
        return Some(Some((at, usize::from(first))));
    }
    let k = usize::from(first & 0x7f);
    if bytes.len() - at < k {
        return None;
    }
    if k > 4 {
        return Some(None);
    }
    Some(Some((at + k, be(&bytes[at..at + k]))))
}

/// `{ssl_tls, Tag, Type, {Major, Minor}, Data}` of an SSL/TLS record
/// (`Tag` is `[]` from `decode_packet/3`, the port from a socket); an SSL
/// 2 client hello is a handshake (22) whose data starts with `<<1,
/// Length:24>>`.
pub fn ssl_tls(h: &mut Heap, tag: Term, packet: &[u8]) -> Result<Term, Exception> {
    let (kind, version, data) = if packet[0] & 0x80 != 0 && packet[2] == 1 {
        let len = packet.len() - 3;
        let mut data = vec![1, (len >> 16) as u8, (len >> 8) as u8, len as u8];
        data.extend_from_slice(&packet[3..]);
        (22, (packet[3], packet[4]), data)
    } else {
        (packet[0], (packet[1], packet[2]), packet[5..].to_vec())
    };
    let version = h.tuple(&[
        Term::small(i64::from(version.0)),
        Term::small(i64::from(version.1)),
    ]);
    let data = h.binary(&data);
    let name = atom("ssl_tls")?;
    Ok(h.tuple(&[name, tag, Term::small(i64::from(kind)), version, data]))
}

/// The atom `name`; `system_limit` if the atom table is full.
fn atom(name: &str) -> Result<Term, Exception> {
    Atom::intern(name)
        .map(Term::atom)
        .map_err(|_| Exception::system_limit())
}
