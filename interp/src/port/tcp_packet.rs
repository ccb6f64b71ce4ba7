//! How a TCP socket cuts what it reads into packets by its `{packet,
//! Type}` (`packet_parser.c` as `inet_drv` uses it: `crate::port::packet`
//! does the framing), and how each packet is shown: data by the socket's
//! mode, an http line as its term (`{http, Port, Packet}` when active), a
//! TLS record as `{ssl_tls, Port, Type, Version, Data}`.

use enigma_vm::term::{Heap, Term};

use super::packet::{find, http, ssl_tls, Found, Framing, Limits};
use super::tcp::{State, OPT_BUFFER, OPT_PACKET, OPT_PACKET_SIZE};
use super::tcp_io::Shape;
use crate::sched::atom;

/// A packet cut from a socket's input.
pub(super) enum Packet {
    /// Data, its header (for `1`, `2`, `4`) or padding (`fcgi`) removed.
    Bytes(Vec<u8>),
    /// An http line and what it parsed to (`None`: `http_error`);
    /// strings as binaries if `binary`.
    Http {
        line: Vec<u8>,
        parsed: Option<http::Line>,
        binary: bool,
    },
    /// A whole SSL/TLS record.
    SslTls(Vec<u8>),
}

impl Packet {
    /// Its size, for the socket's receive statistics.
    pub(super) fn len(&self) -> usize {
        match self {
            Packet::Bytes(d) | Packet::SslTls(d) => d.len(),
            Packet::Http { line, .. } => line.len(),
        }
    }

    /// What a receive returns, or an active message carries after its
    /// tag and port.
    pub(super) fn term(self, h: &mut Heap, port: Term, shape: Shape) -> Term {
        match self {
            Packet::Bytes(d) => shape.term(h, &d),
            Packet::Http {
                line,
                parsed,
                binary,
            } => http::term(h, None, &line, parsed, binary).unwrap_or_else(|_| atom("undefined")),
            Packet::SslTls(record) => {
                ssl_tls(h, port, &record).unwrap_or_else(|_| atom("undefined"))
            }
        }
    }

    /// The message an active socket sends its process.
    pub(super) fn message(self, h: &mut Heap, port: Term, shape: Shape) -> Term {
        let tag = match self {
            Packet::Bytes(_) => "tcp",
            Packet::Http { .. } => "http",
            // The record's tuple is the message.
            Packet::SslTls(_) => return self.term(h, port, shape),
        };
        let v = self.term(h, port, shape);
        h.tuple(&[atom(tag), port, v])
    }
}

/// The framing of `{packet, Type}`'s code (`TCP_PB_*`); `None` for an
/// unknown code. The http types are their header form once a request
/// or status line has been read (`in_headers`), as `inet_drv` switches.
pub(super) fn framing(code: i32, in_headers: bool) -> Option<Framing> {
    let http = |header: bool, binary: bool| Framing::Http {
        header: header || in_headers,
        binary,
    };
    Some(match code {
        0 => Framing::Raw,
        1 => Framing::Header(1),
        2 => Framing::Header(2),
        3 => Framing::Header(4),
        4 => Framing::Asn1,
        5 => Framing::SunRm,
        6 => Framing::Cdr,
        7 => Framing::Fcgi,
        8 => Framing::Line,
        9 => Framing::Tpkt,
        10 => http(false, false),
        11 => http(true, false),
        12 => Framing::SslTls,
        13 => http(false, true),
        14 => http(true, true),
        _ => return None,
    })
}

/// The next packet of `st.input` for a receive of `want` bytes (0: any,
/// only for raw sockets); `None` if it is not all there yet, `Err` for a
/// packet over `packet_size` or a bad header (`emsgsize`).
pub(super) fn take(st: &mut State, want: usize) -> Result<Option<Packet>, &'static str> {
    let Some(framing) = framing(st.opt(OPT_PACKET), st.in_headers) else {
        return Err("einval");
    };
    if matches!(framing, Framing::Raw) {
        let input = &mut st.input;
        return Ok(match want {
            0 if !input.is_empty() => Some(Packet::Bytes(std::mem::take(input))),
            n if n > 0 && input.len() >= n => Some(Packet::Bytes(input.drain(..n).collect())),
            _ => None,
        });
    }
    let limits = Limits {
        packet_size: usize::try_from(st.opt(OPT_PACKET_SIZE)).unwrap_or(0),
        // Lines are cut at the buffer's size, as `inet_drv` reads them.
        line_length: usize::try_from(st.opt(OPT_BUFFER)).unwrap_or(1460).max(1),
        delimiter: st.line_delimiter(),
    };
    let (from, to, next) = match find(framing, &st.input, &limits) {
        Found::Packet(from, to, next) => (from, to, next),
        Found::More(_) => return Ok(None),
        Found::Invalid => return Err("emsgsize"),
    };
    let bytes = st.input[from..to].to_vec();
    st.input.drain(..next);
    Ok(Some(match framing {
        Framing::Http { header, binary } => {
            // `httph` reads headers from here on, whatever the line is.
            st.in_headers |= header;
            let parsed = http::parse(&bytes, header);
            // A request or status line starts the headers; the empty
            // line ends them. A line that does not parse changes nothing.
            if let Some(line) = &parsed {
                st.in_headers = !line.is_eoh();
            }
            Packet::Http {
                line: bytes,
                parsed,
                binary,
            }
        }
        Framing::SslTls => Packet::SslTls(bytes),
        _ => Packet::Bytes(bytes),
    }))
}
