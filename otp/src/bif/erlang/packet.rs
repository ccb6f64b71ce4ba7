//! `erlang:decode_packet/3`: its arguments read, the framing done by
//! `enigma_interp::port::packet` (which the TCP socket's `{packet, Type}`
//! shares).

use enigma_interp::port::packet::{find, http, ssl_tls, Found, Framing, Limits};
use enigma_vm::bif::{BifEntry, BifFn};
use enigma_vm::exception::Exception;
use enigma_vm::process::Process;
use enigma_vm::term::Term;

use crate::bif::arg::{arity, entry};
use crate::bif::helpers::{atom, is_atom};

/// The packet BIF.
pub const TABLE: &[BifEntry] = &[e("decode_packet", 3, decode_packet_3)];

const fn e(name: &'static str, arity: u32, f: BifFn) -> BifEntry {
    entry("erlang", name, arity, f)
}

/// The packet type's framing; `badarg` (`badopt`) for an unknown one.
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
        Some("asn1") => Ok(Framing::Asn1),
        Some("cdr") => Ok(Framing::Cdr),
        Some("sunrm") => Ok(Framing::SunRm),
        Some("fcgi") => Ok(Framing::Fcgi),
        Some("tpkt") => Ok(Framing::Tpkt),
        Some("ssl_tls") => Ok(Framing::SslTls),
        Some("http") => Ok(Framing::Http {
            header: false,
            binary: false,
        }),
        Some("httph") => Ok(Framing::Http {
            header: true,
            binary: false,
        }),
        Some("http_bin") => Ok(Framing::Http {
            header: false,
            binary: true,
        }),
        Some("httph_bin") => Ok(Framing::Http {
            header: true,
            binary: true,
        }),
        _ => Err(Exception::badarg_because("badopt")),
    }
}

/// The options, each `{Name, 0..2^32-1}`; `line_delimiter` (a byte)
/// only for `line`.
fn limits(opts: Term, framing: Framing) -> Result<Limits, Exception> {
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
            .and_then(|n| u32::try_from(n).ok())
            .ok_or_else(Exception::badarg)? as usize;
        if is_atom(k, "packet_size") {
            l.packet_size = n;
        } else if is_atom(k, "line_length") {
            l.line_length = n;
        } else if is_atom(k, "line_delimiter") && matches!(framing, Framing::Line) {
            l.delimiter = u8::try_from(n).map_err(|_| Exception::badarg())?;
        } else {
            return Err(Exception::badarg());
        }
    }
    Ok(l)
}

/// `{ok, Packet, Rest}`, `{more, Length | undefined}` or
/// `{error, invalid}`.
fn decode_packet_3(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [t, bin, opts] = arity(args)?;
    let framing = framing(t)?;
    // A bitstring's whole bytes are parsed, its last bits stay in the rest.
    let bits = bin.as_bits().ok_or_else(Exception::badarg)?;
    let size = bits.bit_size;
    let mut bytes = bits.to_vec();
    bytes.truncate(size / 8);
    let l = limits(opts, framing)?;
    Ok(match find(framing, &bytes, &l) {
        Found::Packet(from, to, next) => {
            let ok = atom("ok")?;
            let packet = match framing {
                Framing::Http { header, binary } => {
                    http::packet(&mut p.heap, Some(bin), &bytes[..to], header, binary)?
                }
                Framing::SslTls => ssl_tls(&mut p.heap, Term::NIL, &bytes[..to])?,
                _ => p.heap.sub_binary(bin, from * 8, (to - from) * 8),
            };
            let rest = p.heap.sub_binary(bin, next * 8, size - next * 8);
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
