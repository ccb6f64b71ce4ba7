//! The `http`, `httph`, `http_bin` and `httph_bin` packet types (of
//! `erlang:decode_packet/3` and sockets), as BEAM's `packet_parser.c`
//! frames and parses them: a request or status line (`http`, `http_bin`) or a header
//! line with its continuation lines (`httph`, `httph_bin`), with BEAM's
//! known methods and header names as atoms, header names' case made
//! canonical, `http_eoh` for the empty line and `{http_error, Line}` for
//! a line that does not parse. The `_bin` types give binaries where the
//! others give strings.

use enigma_vm::exception::Exception;
use enigma_vm::term::{Heap, Term};

use super::{atom, Found};

/// The header names BEAM knows (`http_hdr_strings`): a known header is
/// `{http_header, Index + 1, 'Name', ...}`.
const HEADERS: [&str; 52] = [
    "Cache-Control",
    "Connection",
    "Date",
    "Pragma",
    "Transfer-Encoding",
    "Upgrade",
    "Via",
    "Accept",
    "Accept-Charset",
    "Accept-Encoding",
    "Accept-Language",
    "Authorization",
    "From",
    "Host",
    "If-Modified-Since",
    "If-Match",
    "If-None-Match",
    "If-Range",
    "If-Unmodified-Since",
    "Max-Forwards",
    "Proxy-Authorization",
    "Range",
    "Referer",
    "User-Agent",
    "Age",
    "Location",
    "Proxy-Authenticate",
    "Public",
    "Retry-After",
    "Server",
    "Vary",
    "Warning",
    "Www-Authenticate",
    "Allow",
    "Content-Base",
    "Content-Encoding",
    "Content-Language",
    "Content-Length",
    "Content-Location",
    "Content-Md5",
    "Content-Range",
    "Content-Type",
    "Etag",
    "Expires",
    "Last-Modified",
    "Accept-Ranges",
    "Set-Cookie",
    "Set-Cookie2",
    "X-Forwarded-For",
    "Cookie",
    "Keep-Alive",
    "Proxy-Connection",
];

/// The methods BEAM gives as atoms (matched case-sensitively).
const METHODS: [&str; 7] = ["OPTIONS", "GET", "HEAD", "POST", "PUT", "DELETE", "TRACE"];

/// Header names longer than this are never known and keep their case.
const MAX_NAME_LEN: usize = 50;

/// `packet_get_length` for the http types: one line, or (`header`) a
/// header line and the continuation lines after it (a line starting with
/// a space or tab), which needs the next line's first byte to be known.
/// `packet_size` limits the line (`line_length` when it is 0, as BEAM
/// keeps for old callers); a line is never cut.
pub fn length(bytes: &[u8], packet_size: usize, line_length: usize, header: bool) -> Found {
    let n = bytes.len();
    if bytes == b"\n" || bytes == b"\r\n" {
        return Found::Packet(0, n, n);
    }
    let max = if packet_size == 0 {
        line_length
    } else {
        packet_size
    };
    let over = |len: usize| max != 0 && len > max;
    let mut from = 0;
    loop {
        let Some(i) = bytes[from..].iter().position(|&b| b == b'\n') else {
            return if max != 0 && n >= max {
                Found::Invalid
            } else {
                Found::More(None)
            };
        };
        let len = from + i + 1;
        if over(len) {
            return Found::Invalid;
        }
        if !header || (len < n && !(is_space(bytes[len]) && len > 2)) {
            return Found::Packet(0, len, len);
        }
        if len == n {
            return Found::More(None);
        }
        from = len;
    }
}

fn is_space(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// BEAM's `is_tspecial`: controls, space, non-ASCII and HTTP separators.
fn is_tspecial(b: u8) -> bool {
    !(33..128).contains(&b) || b"()<>@,;:\\\"/[]?={} \t".contains(&b)
}

/// A string of the result: bytes of the packet (from, length) or bytes
/// of its own (a header name with its case changed, a default path).
enum Str {
    At(usize, usize),
    Own(Vec<u8>),
}

/// The request's URI (`http_parse_uri`).
enum Uri {
    Star,
    AbsPath(Str),
    Absolute {
        https: bool,
        host: Str,
        port: Option<i32>,
        path: Str,
    },
    Scheme(Str, Str),
    String(Str),
}

/// A parsed line, its strings as places in the line's bytes.
pub struct Line(Parsed);

impl Line {
    /// Whether it is the empty line that ends the headers.
    pub fn is_eoh(&self) -> bool {
        matches!(self.0, Parsed::Eoh)
    }
}

/// What a line holds (`packet_parse_http`'s callbacks).
enum Parsed {
    Response {
        version: (i32, i32),
        status: i32,
        phrase: Str,
    },
    Request {
        method: Result<&'static str, Str>,
        uri: Uri,
        version: (i32, i32),
    },
    Header {
        name: Result<(usize, &'static str), Str>,
        original: Str,
        value: Str,
    },
    Eoh,
}

/// Digits from `at` as C's `int` arithmetic reads them (wrapping), and
/// where they end.
fn digits(buf: &[u8], mut at: usize, end: usize) -> (i32, usize) {
    let mut v: i32 = 0;
    while at < end && buf[at].is_ascii_digit() {
        v = v.wrapping_mul(10).wrapping_add(i32::from(buf[at] - b'0'));
        at += 1;
    }
    (v, at)
}

/// `Major.Minor` from `at`: the numbers and where they end, or `None`.
fn version(buf: &[u8], at: usize, end: usize) -> Option<((i32, i32), usize)> {
    let (major, dot) = digits(buf, at, end);
    if dot == at || dot == end || buf[dot] != b'.' {
        return None;
    }
    let (minor, after) = digits(buf, dot + 1, end);
    (after != dot + 1).then_some(((major, minor), after))
}

fn skip_spaces(buf: &[u8], mut at: usize, end: usize) -> usize {
    while at < end && is_space(buf[at]) {
        at += 1;
    }
    at
}

/// `packet_parse_http`: the line without its line end, as a request or
/// status line (`header` false) or a header line; `None` for an error.
pub fn parse(buf: &[u8], header: bool) -> Option<Line> {
    parse_line(buf, header).map(Line)
}

fn parse_line(buf: &[u8], header: bool) -> Option<Parsed> {
    let n = buf.len();
    let end = if n >= 2 && buf[n - 2] == b'\r' {
        n - 2
    } else if n >= 1 && buf[n - 1] == b'\n' {
        n - 1
    } else {
        n
    };
    if header {
        return parse_header(buf, end);
    }
    if end >= 5 && buf.starts_with(b"HTTP/") {
        let (version, at) = version(buf, 5, end)?;
        let spaced = skip_spaces(buf, at, end);
        if spaced == at {
            return None;
        }
        let (status, at) = digits(buf, spaced, end);
        let phrase = skip_spaces(buf, at, end);
        if phrase == at && phrase < end {
            return None;
        }
        return Some(Parsed::Response {
            version,
            status,
            phrase: Str::At(phrase, end - phrase),
        });
    }
    let mut at = 0;
    while at < end && !is_tspecial(buf[at]) {
        at += 1;
    }
    if at == end || at == 0 || !is_space(buf[at]) {
        return None;
    }
    let method = &buf[..at];
    let method = METHODS
        .iter()
        .find(|m| m.as_bytes() == method)
        .copied()
        .ok_or(Str::At(0, at));
    let from = skip_spaces(buf, at, end);
    let mut to = from;
    while to < end && !is_space(buf[to]) {
        to += 1;
    }
    if to == from {
        return None;
    }
    let uri = uri(buf, from, to);
    let at = skip_spaces(buf, to, end);
    let version = if at == end {
        (0, 9)
    } else if end - at < 8 || !buf[at..].starts_with(b"HTTP/") {
        return None;
    } else {
        version(buf, at + 5, end)?.0
    };
    Some(Parsed::Request {
        method,
        uri,
        version,
    })
}

/// A header line: the name up to the colon (its case made canonical: a
/// capital first and after each `-`), the value after the colon and the
/// spaces after it.
fn parse_header(buf: &[u8], end: usize) -> Option<Parsed> {
    if end == 0 {
        return Some(Parsed::Eoh);
    }
    let mut canonical = Vec::new();
    let mut up = true;
    let mut at = 0;
    while !is_tspecial(buf[at]) {
        let mut c = buf[at];
        if up {
            c = c.to_ascii_uppercase();
            up = false;
        } else if c.is_ascii_uppercase() {
            c = c.to_ascii_lowercase();
        } else if c == b'-' {
            up = true;
        }
        canonical.push(c);
        at += 1;
        if at == end {
            return None;
        }
    }
    if buf[at] != b':' {
        return None;
    }
    let name = if at <= MAX_NAME_LEN {
        HEADERS
            .iter()
            .enumerate()
            .find(|(_, h)| h.as_bytes() == canonical.as_slice())
            .map(|(i, &h)| (i + 1, h))
            .ok_or(Str::Own(canonical))
    } else {
        Err(Str::At(0, at))
    };
    let value = skip_spaces(buf, at + 1, end);
    Some(Parsed::Header {
        name,
        original: Str::At(0, at),
        value: Str::At(value, end - value),
    })
}

/// `http_parse_uri`: `*`, a path, an `http://` or `https://` URI (any
/// case), a `scheme:rest` or any other string.
fn uri(buf: &[u8], from: usize, to: usize) -> Uri {
    let s = &buf[from..to];
    let prefixed = |p: &[u8]| s.len() >= p.len() && s[..p.len()].eq_ignore_ascii_case(p);
    if s == b"*" {
        Uri::Star
    } else if s.len() <= 1 || s[0] == b'/' {
        Uri::AbsPath(Str::At(from, s.len()))
    } else if prefixed(b"http://") {
        absolute(buf, from + 7, to, false)
    } else if prefixed(b"https://") {
        absolute(buf, from + 8, to, true)
    } else {
        match s.iter().position(|&b| b == b':') {
            None => Uri::String(Str::At(from, s.len())),
            Some(i) => Uri::Scheme(Str::At(from, i), Str::At(from + i + 1, s.len() - i - 1)),
        }
    }
}

/// `host[:port][/path]` (OTP 25 reads no `[IPv6]` host): the port only
/// if all digits and not 0, the path `/` if none.
fn absolute(buf: &[u8], from: usize, to: usize, https: bool) -> Uri {
    let (host_end, path) = match buf[from..to].iter().position(|&b| b == b'/') {
        None => (to, Str::Own(b"/".to_vec())),
        Some(i) => (from + i, Str::At(from + i, to - from - i)),
    };
    let (host, port) = match buf[from..host_end].iter().position(|&b| b == b':') {
        None => (Str::At(from, host_end - from), None),
        Some(i) => {
            let (port, after) = digits(buf, from + i + 1, host_end);
            let port = (after == host_end && port != 0).then_some(port);
            (Str::At(from, i), port)
        }
    };
    Uri::Absolute {
        https,
        host,
        port,
        path,
    }
}

/// Builds a parsed packet's term: strings as lists, or (`binary`)
/// sub-binaries of `orig` (whose whole bytes are `buf`) if there is one,
/// else binaries of their own.
struct Builder<'a> {
    orig: Option<Term>,
    buf: &'a [u8],
    binary: bool,
}

impl Builder<'_> {
    fn string(&self, h: &mut Heap, s: Str) -> Term {
        match (s, self.orig) {
            (Str::At(from, len), Some(orig)) if self.binary => {
                h.sub_binary(orig, from * 8, len * 8)
            }
            (Str::At(from, len), _) if self.binary => h.binary(&self.buf[from..from + len]),
            (Str::At(from, len), _) => self.bytes(h, &self.buf[from..from + len]),
            (Str::Own(bytes), _) if self.binary => h.binary(&bytes),
            (Str::Own(bytes), _) => self.bytes(h, &bytes),
        }
    }

    fn bytes(&self, h: &mut Heap, bytes: &[u8]) -> Term {
        let chars: Vec<Term> = bytes.iter().map(|&b| Term::small(i64::from(b))).collect();
        h.list(&chars)
    }

    fn version(&self, h: &mut Heap, (major, minor): (i32, i32)) -> Term {
        h.tuple(&[Term::small(i64::from(major)), Term::small(i64::from(minor))])
    }

    fn uri(&self, h: &mut Heap, uri: Uri) -> Result<Term, Exception> {
        Ok(match uri {
            Uri::Star => atom("*")?,
            Uri::AbsPath(s) => {
                let s = self.string(h, s);
                h.tuple(&[atom("abs_path")?, s])
            }
            Uri::Absolute {
                https,
                host,
                port,
                path,
            } => {
                let host = self.string(h, host);
                let path = self.string(h, path);
                let scheme = atom(if https { "https" } else { "http" })?;
                let port = match port {
                    Some(n) => Term::small(i64::from(n)),
                    None => atom("undefined")?,
                };
                h.tuple(&[atom("absoluteURI")?, scheme, host, port, path])
            }
            Uri::Scheme(scheme, rest) => {
                let scheme = self.string(h, scheme);
                let rest = self.string(h, rest);
                h.tuple(&[atom("scheme")?, scheme, rest])
            }
            Uri::String(s) => self.string(h, s),
        })
    }

    fn line(&self, h: &mut Heap, line: Line) -> Result<Term, Exception> {
        Ok(match line.0 {
            Parsed::Response {
                version,
                status,
                phrase,
            } => {
                let phrase = self.string(h, phrase);
                let version = self.version(h, version);
                let status = Term::small(i64::from(status));
                h.tuple(&[atom("http_response")?, version, status, phrase])
            }
            Parsed::Request {
                method,
                uri,
                version,
            } => {
                let method = match method {
                    Ok(name) => atom(name)?,
                    Err(s) => self.string(h, s),
                };
                let uri = self.uri(h, uri)?;
                let version = self.version(h, version);
                h.tuple(&[atom("http_request")?, method, uri, version])
            }
            Parsed::Header {
                name,
                original,
                value,
            } => {
                let (index, name) = match name {
                    Ok((index, name)) => (index, atom(name)?),
                    Err(s) => (0, self.string(h, s)),
                };
                let original = self.string(h, original);
                let value = self.string(h, value);
                let index = Term::small(index as i64);
                h.tuple(&[atom("http_header")?, index, name, original, value])
            }
            Parsed::Eoh => atom("http_eoh")?,
        })
    }
}

/// The term of an http packet (`buf`, the whole bytes of the packet,
/// at the start of `orig` if given): a request, response, header,
/// `http_eoh`, or `{http_error, Line}` with the line as it came.
pub fn packet(
    h: &mut Heap,
    orig: Option<Term>,
    buf: &[u8],
    header: bool,
    binary: bool,
) -> Result<Term, Exception> {
    term(h, orig, buf, parse(buf, header), binary)
}

/// The term of `line`, parsed from `buf` (`None`: it did not parse), as
/// [`packet`] builds it.
pub fn term(
    h: &mut Heap,
    orig: Option<Term>,
    buf: &[u8],
    line: Option<Line>,
    binary: bool,
) -> Result<Term, Exception> {
    let b = Builder { orig, buf, binary };
    match line {
        Some(line) => b.line(h, line),
        None => {
            let line = b.string(h, Str::At(0, buf.len()));
            Ok(h.tuple(&[atom("http_error")?, line]))
        }
    }
}
