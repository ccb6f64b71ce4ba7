//! `prim_socket`'s tables (`nif_supports/1`: protocols, options, message
//! flags) and socket options (`nif_setopt/5`, `nif_getopt/3`): the
//! integer and boolean options by the system's numbers, as erts'
//! `prim_socket_nif.c` lists them on Linux, `linger`, the read-only
//! `type`, `protocol`, `domain` and `acceptconn`, and the `otp` level
//! kept in the resource.

use enigma_interp::port::esock::Sock;
use enigma_vm::exception::Exception;
use enigma_vm::process::{Message, Process};
use enigma_vm::term::Term;

use super::{boolean, error, get, io_error, sock, tagged};
use crate::bif::helpers::{atom, is_atom};

/// How an option's value is read and written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Val {
    /// `true` or `false`, an `int` on the socket.
    Bool,
    /// An integer.
    Int,
    /// An integer the socket only reports.
    ReadInt,
    /// `true` or `false` the socket only reports.
    ReadBool,
    /// `#{onoff := boolean(), linger := integer()}`.
    Linger,
    /// `type`, `protocol`, `domain`: what the socket was opened with.
    Kind,
}

/// A level: `socket` or a protocol's number, and its options.
struct Level {
    num: Option<i32>,
    opts: &'static [(&'static str, i32, Val)],
}

const LEVELS: &[Level] = &[
    Level {
        num: None,
        opts: &[
            ("acceptconn", 30, Val::ReadBool),
            ("broadcast", 6, Val::Bool),
            ("debug", 1, Val::Int),
            ("domain", 39, Val::Kind),
            ("dontroute", 5, Val::Bool),
            ("keepalive", 9, Val::Bool),
            ("linger", 13, Val::Linger),
            ("oobinline", 10, Val::Bool),
            ("passcred", 16, Val::Bool),
            ("priority", 12, Val::Int),
            ("protocol", 38, Val::Kind),
            ("rcvbuf", 8, Val::Int),
            ("rcvlowat", 18, Val::Int),
            ("reuseaddr", 2, Val::Bool),
            ("reuseport", 15, Val::Bool),
            ("sndbuf", 7, Val::Int),
            ("sndlowat", 19, Val::Int),
            ("timestamp", 29, Val::Bool),
            ("type", 3, Val::Kind),
        ],
    },
    Level {
        num: Some(libc::IPPROTO_IP),
        opts: &[
            ("freebind", 15, Val::Bool),
            ("hdrincl", 3, Val::Bool),
            ("minttl", 21, Val::Int),
            ("mtu", 14, Val::ReadInt),
            ("multicast_all", 49, Val::Bool),
            ("multicast_loop", 34, Val::Bool),
            ("multicast_ttl", 33, Val::Int),
            ("nodefrag", 22, Val::Bool),
            ("pktinfo", 8, Val::Bool),
            ("recverr", 11, Val::Bool),
            ("recvopts", 6, Val::Bool),
            ("recvorigdstaddr", 20, Val::Bool),
            ("recvtos", 13, Val::Bool),
            ("recvttl", 12, Val::Bool),
            ("retopts", 7, Val::Bool),
            ("router_alert", 5, Val::Int),
            ("tos", 1, Val::Int),
            ("transparent", 19, Val::Bool),
            ("ttl", 2, Val::Int),
        ],
    },
    Level {
        num: Some(libc::IPPROTO_IPV6),
        opts: &[
            ("mtu", 24, Val::ReadInt),
            ("multicast_hops", 18, Val::Int),
            ("multicast_loop", 19, Val::Bool),
            ("recverr", 25, Val::Bool),
            ("recvhoplimit", 51, Val::Bool),
            ("recvpktinfo", 49, Val::Bool),
            ("recvtclass", 66, Val::Bool),
            ("tclass", 67, Val::Int),
            ("unicast_hops", 16, Val::Int),
            ("v6only", 26, Val::Bool),
        ],
    },
    Level {
        num: Some(libc::IPPROTO_TCP),
        opts: &[
            ("cork", 3, Val::Bool),
            ("maxseg", 2, Val::Int),
            ("nodelay", 1, Val::Bool),
        ],
    },
    Level {
        num: Some(libc::IPPROTO_UDP),
        opts: &[("cork", 1, Val::Bool)],
    },
];

/// The `otp` level's options (`prim_socket`'s numbers).
const OTP_DEBUG: i64 = 1001;
const OTP_IOW: i64 = 1002;
const OTP_CTRL_PROC: i64 = 1003;
const OTP_RCVBUF: i64 = 1004;
const OTP_FD: i64 = 1008;
const OTP_META: i64 = 1009;
const OTP_USE_REGISTRY: i64 = 1010;
const OTP_DOMAIN: i64 = 1999;

/// The message flags, by the system's numbers.
const MSG_FLAGS: &[(&str, i32)] = &[
    ("cmsg_cloexec", libc::MSG_CMSG_CLOEXEC),
    ("confirm", libc::MSG_CONFIRM),
    ("ctrunc", libc::MSG_CTRUNC),
    ("dontroute", libc::MSG_DONTROUTE),
    ("eor", libc::MSG_EOR),
    ("errqueue", libc::MSG_ERRQUEUE),
    ("more", libc::MSG_MORE),
    ("nosignal", libc::MSG_NOSIGNAL),
    ("oob", libc::MSG_OOB),
    ("peek", libc::MSG_PEEK),
    ("trunc", libc::MSG_TRUNC),
];

/// `nif_supports()`: the features (no SCTP, local sockets, `netns` or
/// `sendfile` here).
pub(super) fn supports_0(p: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    let f = atom("false")?;
    let t = atom("true")?;
    let pairs = [
        ("sctp", f),
        ("ipv6", t),
        ("local", f),
        ("netns", f),
        ("sendfile", f),
    ];
    let mut items = Vec::new();
    for (k, v) in pairs {
        let k = atom(k)?;
        items.push(p.heap.tuple(&[k, v]));
    }
    Ok(p.heap.list(&items))
}

/// `nif_supports(Key)`: `protocols` (the system's database,
/// `/etc/protocols`, as `getprotoent(3)` reads it: `{[Name | Aliases],
/// Number}`, the aliases and the entries last first, as the NIF builds
/// its lists), `options` (`{socket | LevelNumber, [{Name, Number}]}`),
/// `msg_flags`; the `ioctl` tables are empty; anything else `[]`.
pub(super) fn supports_1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let key = args[0].as_atom().map(|a| a.name());
    let mut items = Vec::new();
    match key {
        Some("protocols") => {
            let text = std::fs::read_to_string("/etc/protocols").unwrap_or_default();
            for line in text.lines() {
                let line = line.split('#').next().unwrap_or("");
                let mut words = line.split_whitespace();
                let (Some(name), Some(num)) = (words.next(), words.next()) else {
                    continue;
                };
                let Ok(num) = num.parse::<i64>() else {
                    continue;
                };
                let aliases: Vec<&str> = words.collect();
                let names: Vec<Term> = std::iter::once(name)
                    .chain(aliases.into_iter().rev())
                    .map(atom)
                    .collect::<Result<_, _>>()?;
                let names = p.heap.list(&names);
                items.push(p.heap.tuple(&[names, Term::small(num)]));
            }
        }
        Some("options") => {
            for l in LEVELS {
                let mut opts = Vec::new();
                for &(name, num, _) in l.opts {
                    let n = atom(name)?;
                    opts.push(p.heap.tuple(&[n, Term::small(i64::from(num))]));
                }
                let level = match l.num {
                    None => atom("socket")?,
                    Some(n) => Term::small(i64::from(n)),
                };
                let opts = p.heap.list(&opts);
                items.push(p.heap.tuple(&[level, opts]));
            }
        }
        Some("msg_flags") => {
            for &(name, num) in MSG_FLAGS {
                let n = atom(name)?;
                items.push(p.heap.tuple(&[n, Term::small(i64::from(num))]));
            }
        }
        _ => {}
    }
    if key == Some("protocols") {
        // The NIF lists the database backwards (so the first of two
        // entries of one number, `ip` before `hopopt`, names it).
        items.reverse();
    }
    Ok(p.heap.list(&items))
}

/// The option at `level` (the atom `socket` or a protocol's number)
/// numbered `opt`: the system's level and its value's shape.
fn option(level: Term, opt: i64) -> Option<(i32, i32, Val)> {
    let l = if is_atom(level, "socket") {
        &LEVELS[0]
    } else {
        let n = i32::try_from(level.as_small()?).ok()?;
        LEVELS.iter().find(|l| l.num == Some(n))?
    };
    let &(_, num, val) = l.opts.iter().find(|o| i64::from(o.1) == opt)?;
    Some((l.num.unwrap_or(libc::SOL_SOCKET), num, val))
}

/// The domain's atom.
pub(super) fn domain_atom(d: i32) -> Result<Term, Exception> {
    match d {
        libc::AF_INET => atom("inet"),
        libc::AF_INET6 => atom("inet6"),
        libc::AF_UNIX => atom("local"),
        n => Ok(Term::small(i64::from(n))),
    }
}

/// The type's atom.
pub(super) fn type_atom(k: i32) -> Result<Term, Exception> {
    match k {
        libc::SOCK_STREAM => atom("stream"),
        libc::SOCK_DGRAM => atom("dgram"),
        libc::SOCK_SEQPACKET => atom("seqpacket"),
        libc::SOCK_RAW => atom("raw"),
        n => Ok(Term::small(i64::from(n))),
    }
}

/// `{invalid, What}`.
fn invalid(p: &mut Process, what: &str) -> Result<Term, Exception> {
    let w = atom(what)?;
    tagged(p, "invalid", w)
}

/// `nif_setopt(SockRef, Level, Opt, Value, Native)`.
pub(super) fn setopt_5(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let m = sock(args[0])?;
    let s = get(&m);
    let opt = args[2].as_small().ok_or_else(Exception::badarg)?;
    let v = args[3];
    if is_atom(args[1], "otp") {
        return set_otp(p, s, opt, v);
    }
    if !s.is_open() {
        return error(p, "closed");
    }
    let Some((level, num, val)) = option(args[1], opt) else {
        return invalid(p, "socket_option");
    };
    let r = match val {
        Val::Bool => match boolean(v) {
            Some(b) => s.set_int(level, num, i32::from(b)),
            None => return invalid(p, "value"),
        },
        Val::Int => match v.as_small().and_then(|n| i32::try_from(n).ok()) {
            Some(n) => s.set_int(level, num, n),
            None => return invalid(p, "value"),
        },
        Val::Linger => {
            let get = |k: &str| atom(k).ok().and_then(|k| v.map_get(k));
            let on = get("onoff").and_then(boolean);
            let secs = get("linger").and_then(|t| i32::try_from(t.as_small()?).ok());
            match (on, secs) {
                (Some(on), Some(secs)) => s.set_linger(on, secs),
                _ => return invalid(p, "value"),
            }
        }
        Val::ReadInt | Val::ReadBool | Val::Kind => return invalid(p, "socket_option"),
    };
    match r {
        Ok(()) => atom("ok"),
        Err(e) => io_error(p, &e),
    }
}

/// `setopt` at the `otp` level.
fn set_otp(p: &mut Process, s: &Sock, opt: i64, v: Term) -> Result<Term, Exception> {
    if !s.is_open() {
        return error(p, "closed");
    }
    let mut meta = s.meta.lock();
    match opt {
        OTP_DEBUG | OTP_IOW | OTP_USE_REGISTRY => {
            if boolean(v).is_none() {
                drop(meta);
                return invalid(p, "value");
            }
        }
        OTP_CTRL_PROC => {
            if v.as_local_pid().is_none() {
                drop(meta);
                return invalid(p, "value");
            }
            if meta.owner != Some(p.pid) {
                drop(meta);
                return error(p, "not_owner");
            }
            meta.owner = Some(v);
        }
        OTP_RCVBUF => {
            let size = |t: Term| usize::try_from(t.as_small()?).ok().filter(|&n| n > 0);
            let parsed = match v.as_tuple() {
                Some(t) if t.len() == 2 => {
                    let n = usize::try_from(t.elements()[0].as_small().unwrap_or(0)).ok();
                    n.filter(|&n| n > 0)
                        .and_then(|n| Some((Some(n), size(t.elements()[1])?)))
                }
                _ => size(v).map(|sz| (None, sz)),
            };
            let Some((n, sz)) = parsed else {
                drop(meta);
                return invalid(p, "value");
            };
            meta.rcvbuf = sz;
            meta.rcvbuf_count = n;
        }
        OTP_META => meta.meta = Message::copy(v).ok(),
        _ => {
            drop(meta);
            return invalid(p, "socket_option");
        }
    }
    atom("ok")
}

/// `nif_getopt(SockRef, Level, Opt)`.
pub(super) fn getopt_3(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let m = sock(args[0])?;
    let s = get(&m);
    let opt = args[2].as_small().ok_or_else(Exception::badarg)?;
    if !s.is_open() {
        return error(p, "closed");
    }
    if is_atom(args[1], "otp") {
        return get_otp(p, s, opt);
    }
    let Some((level, num, val)) = option(args[1], opt) else {
        return invalid(p, "socket_option");
    };
    let v = match val {
        Val::Bool | Val::ReadBool => s.get_int(level, num).map(|n| Term::bool(n != 0)),
        Val::Int | Val::ReadInt => s.get_int(level, num).map(|n| Term::small(i64::from(n))),
        Val::Linger => match s.get_linger() {
            Ok((on, secs)) => {
                let pairs = [
                    (atom("linger")?, Term::small(i64::from(secs))),
                    (atom("onoff")?, Term::bool(on)),
                ];
                Ok(p.heap.map_from_pairs(&pairs))
            }
            Err(e) => Err(e),
        },
        Val::Kind => Ok(match num {
            39 => domain_atom(s.domain)?,
            3 => type_atom(s.kind)?,
            _ => Term::small(i64::from(s.protocol)),
        }),
    };
    match v {
        Ok(v) => tagged(p, "ok", v),
        Err(e) => io_error(p, &e),
    }
}

/// `getopt` at the `otp` level.
fn get_otp(p: &mut Process, s: &Sock, opt: i64) -> Result<Term, Exception> {
    let meta = s.meta.lock();
    let v = match opt {
        OTP_DEBUG | OTP_IOW => atom("false")?,
        OTP_USE_REGISTRY => atom("true")?,
        OTP_CTRL_PROC => meta.owner.unwrap_or(p.pid),
        OTP_RCVBUF => match meta.rcvbuf_count {
            Some(n) => {
                let sz = Term::small(meta.rcvbuf as i64);
                p.heap.tuple(&[Term::small(n as i64), sz])
            }
            None => Term::small(meta.rcvbuf as i64),
        },
        OTP_META => match &meta.meta {
            Some(m) => enigma_vm::term::copy::copy_onto(m.term, &mut p.heap)
                .map_err(|_| Exception::badarg())?,
            None => atom("undefined")?,
        },
        OTP_DOMAIN => domain_atom(s.domain)?,
        OTP_FD => match s.with_fd(Ok) {
            Ok(fd) => Term::small(i64::from(fd)),
            Err(_) => Term::small(-1),
        },
        _ => {
            drop(meta);
            return invalid(p, "socket_option");
        }
    };
    drop(meta);
    tagged(p, "ok", v)
}
