//! The NIFs of erts' `prim_net` under `net:gethostname/0`,
//! `net:if_names/0` and `net:getaddrinfo/1,2` (`prim_net.erl` is loaded
//! unchanged; its `on_load` runs at its first call, as `prim_socket`'s).

use enigma_interp::port::esock::net;
use enigma_vm::bif::BifEntry;
use enigma_vm::exception::Exception;
use enigma_vm::process::Process;
use enigma_vm::term::Term;

use super::{addr, error, io_error, opts, tagged};
use crate::bif::arg::entry;
use crate::bif::helpers::{atom, is_atom};

/// The `prim_net` NIFs.
pub const TABLE: &[BifEntry] = &[
    entry("prim_net", "nif_gethostname", 0, gethostname_0),
    entry("prim_net", "nif_if_names", 0, if_names_0),
    entry("prim_net", "nif_getaddrinfo", 3, getaddrinfo_3),
];

/// A character list of bytes.
fn chars(p: &mut Process, b: &[u8]) -> Term {
    let cs: Vec<Term> = b.iter().map(|&c| Term::small(i64::from(c))).collect();
    p.heap.list(&cs)
}

/// `nif_gethostname()`: `{ok, Name}`.
fn gethostname_0(p: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    match net::hostname() {
        Ok(n) => {
            let s = chars(p, &n);
            tagged(p, "ok", s)
        }
        Err(e) => io_error(p, &e),
    }
}

/// `nif_if_names()`: `{ok, [{Index, Name}]}`.
fn if_names_0(p: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    match net::if_names() {
        Ok(names) => {
            let mut items = Vec::new();
            for (i, n) in names {
                let n = chars(p, &n);
                items.push(p.heap.tuple(&[Term::small(i64::from(i)), n]));
            }
            let l = p.heap.list(&items);
            tagged(p, "ok", l)
        }
        Err(e) => io_error(p, &e),
    }
}

/// A host or service argument: a string, or `undefined` for none.
fn name(t: Term) -> Result<Option<Vec<u8>>, Exception> {
    if is_atom(t, "undefined") {
        return Ok(None);
    }
    let l = t.proper_list().ok_or_else(Exception::badarg)?;
    l.iter()
        .map(|c| c.as_small().and_then(|c| u8::try_from(c).ok()))
        .collect::<Option<Vec<u8>>>()
        .map(Some)
        .ok_or_else(Exception::badarg)
}

/// `nif_getaddrinfo(Host, Service, Hints)`: `{ok, [#{family, type,
/// protocol, addr}]}` (the protocol by number: `prim_net` names it), or
/// `{error, Reason}` with `prim_net`'s names of the `EAI_*` codes.
fn getaddrinfo_3(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let host = name(args[0])?;
    let service = name(args[1])?;
    match net::getaddrinfo(host.as_deref(), service.as_deref()) {
        Ok(list) => {
            let mut items = Vec::new();
            for a in list {
                let fam = if a.addr.is_ipv4() { "inet" } else { "inet6" };
                let sa = addr::encode(&mut p.heap, &a.addr)?;
                let pairs = [
                    (atom("addr")?, sa),
                    (atom("family")?, atom(fam)?),
                    (atom("protocol")?, Term::small(i64::from(a.protocol))),
                    (atom("type")?, opts::type_atom(a.kind)?),
                ];
                items.push(p.heap.map_from_pairs(&pairs));
            }
            let l = p.heap.list(&items);
            tagged(p, "ok", l)
        }
        Err(code) => error(
            p,
            match code {
                libc::EAI_AGAIN => "eagain",
                libc::EAI_BADFLAGS => "ebadflags",
                libc::EAI_FAIL => "efail",
                libc::EAI_FAMILY => "efamily",
                libc::EAI_MEMORY => "emem",
                libc::EAI_NODATA => "enodata",
                libc::EAI_NONAME => "enoname",
                libc::EAI_SERVICE => "eservice",
                libc::EAI_SOCKTYPE => "esocktype",
                libc::EAI_SYSTEM => "esystem",
                _ => "einval",
            },
        ),
    }
}
