//! `erlang:decode_packet/3` for the packet types of plain framing (`raw`,
//! `0`, `1`, `2`, `4`, `line`), with BEAM's `packet_parser.c` rules for
//! `packet_size`, `line_length` and `line_delimiter`. The protocol types
//! (`asn1`, `cdr`, `sunrm`, `fcgi`, `tpkt`, `http*`) are not provided: they
//! raise `notsup`.

use enigma_vm::bif::{BifEntry, BifFn};
use enigma_vm::exception::Exception;
use enigma_vm::process::Process;
use enigma_vm::term::Term;

use crate::bif::arg::{arity, entry};
use crate::bif::helpers::{atom, binary_bytes, is_atom};

/// The packet BIF.
pub const TABLE: &[BifEntry] = &[e("decode_packet", 3, decode_packet_3)];

const fn e(name: &'static str, arity: u32, f: BifFn) -> BifEntry {
    entry("erlang", name, arity, f)
}

/// A framing: the whole buffer, a length header of 1, 2 or 4 bytes, or a
/// line.
#[derive(Clone, Copy)]
enum Framing {
    Raw,
    Header(usize),
    Line,
}

/// The options: largest packet (0: no limit), longest line before it is
/// cut (0: none), the line's last byte.
struct Limits {
    packet_size: usize,
    line_length: usize,
    delimiter: u8,
}

fn framing(t: Term) -> Result<Framing, Exception> {
    if let Some(n) = t.as_small() {
        return match n {
            0 => Ok(Framing::Raw),
            1 | 2 | 4 => Ok(Framing::Header(n as usize)),
            _ => Err(Exception::badarg_because("badopt")),
        };
    }
    match t.as_atom().map(|a| a.name()) {
        Some("raw") => Ok(Framing::Raw),
        Some("line") => Ok(Framing::Line),
        Some(
            "asn1" | "cdr" | "sunrm" | "fcgi" | "tpkt" | "http" | "httph" | "http_bin"
            | "httph_bin",
        ) => Err(Exception::error(atom("notsup")?)),
        _ => Err(Exception::badarg_because("badopt")),
    }
}

fn limits(opts: Term) -> Result<Limits, Exception> {
    let mut l = Limits {
        packet_size: 0,
        line_length: 0,
        delimiter: b'\n',
    };
    let opts = opts.proper_list().ok_or_else(Exception::badarg)?;
    for o in opts {
        let Some(&[k, v]) = o.as_tuple().map(|t| t.elements()) else {
            return Err(Exception::badarg());
        };
        let n = v
            .as_small()
            .and_then(|n| usize::try_from(n).ok())
            .ok_or_else(Exception::badarg)?;
        if is_atom(k, "packet_size") {
            l.packet_size = n;
        } else if is_atom(k, "line_length") {
            l.line_length = n;
        } else if is_atom(k, "line_delimiter") {
            l.delimiter = u8::try_from(n).map_err(|_| Exception::badarg())?;
        } else {
            return Err(Exception::badarg());
        }
    }
    Ok(l)
}

/// What the buffer holds: a packet of this many bytes, more needed (the
/// whole length if known), or a packet over the limit.
enum Found {
    Packet(usize, usize),
    More(Option<usize>),
    Invalid,
}

/// `packet_parser.c`'s `packet_get_length`: the header's length and the
/// packet's length after it.
fn find(framing: Framing, bytes: &[u8], l: &Limits) -> Found {
    let n = bytes.len();
    let over = |len: usize| l.packet_size != 0 && len > l.packet_size;
    match framing {
        Framing::Raw if n == 0 => Found::More(None),
        Framing::Raw => Found::Packet(0, n),
        Framing::Header(h) if n < h => Found::More(None),
        Framing::Header(h) => {
            let len = bytes[..h]
                .iter()
                .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
            if over(len) {
                Found::Invalid
            } else if n < h + len {
                Found::More(Some(h + len))
            } else {
                Found::Packet(h, len)
            }
        }
        Framing::Line => match bytes.iter().position(|&b| b == l.delimiter) {
            None if over(n) => Found::Invalid,
            None if l.line_length != 0 && n >= l.line_length => Found::Packet(0, l.line_length),
            None => Found::More(None),
            Some(i) if over(i + 1) => Found::Invalid,
            Some(i) if l.line_length != 0 && i + 1 > l.line_length => {
                Found::Packet(0, l.line_length)
            }
            Some(i) => Found::Packet(0, i + 1),
        },
    }
}

/// `{ok, Packet, Rest}`, `{more, Length | undefined}` or
/// `{error, invalid}`.
fn decode_packet_3(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [t, bin, opts] = arity(args)?;
    let framing = framing(t)?;
    let bytes = binary_bytes(bin).ok_or_else(Exception::badarg)?;
    let l = limits(opts)?;
    Ok(match find(framing, &bytes, &l) {
        Found::Packet(h, len) => {
            let ok = atom("ok")?;
            let packet = p.heap.binary(&bytes[h..h + len]);
            let rest = p.heap.binary(&bytes[h + len..]);
            p.heap.tuple(&[ok, packet, rest])
        }
        Found::More(len) => {
            let more = atom("more")?;
            let len = match len {
                Some(n) => Term::small(n as i64),
                None => atom("undefined")?,
            };
            p.heap.tuple(&[more, len])
        }
        Found::Invalid => {
            let invalid = atom("invalid")?;
            p.heap.tuple(&[atom("error")?, invalid])
        }
    })
}
