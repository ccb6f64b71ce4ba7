//! `prim_socket`'s socket addresses: the maps `socket` speaks
//! (`#{family := inet, port := P, addr := {A, B, C, D}}`, with `flowinfo`
//! and `scope_id` for `inet6`) to and from the standard library's.

use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};

use enigma_vm::exception::Exception;
use enigma_vm::term::{Heap, Term};

use crate::bif::helpers::{atom, is_atom};

/// The address a map names (`prim_socket` has merged the defaults in);
/// `None` for one it does not.
pub(super) fn decode(t: Term) -> Option<SocketAddr> {
    let get = |k: &str| t.map_get(Term::atom(enigma_vm::atom::Atom::intern(k).ok()?));
    let port = u16::try_from(get("port")?.as_small()?).ok()?;
    let addr = get("addr")?;
    let family = get("family")?;
    if is_atom(family, "inet") {
        let ip = if is_atom(addr, "any") {
            Ipv4Addr::UNSPECIFIED
        } else if is_atom(addr, "loopback") {
            Ipv4Addr::LOCALHOST
        } else if is_atom(addr, "broadcast") {
            Ipv4Addr::BROADCAST
        } else {
            let e = addr.as_tuple()?;
            let b: Vec<u8> = e
                .elements()
                .iter()
                .map(|x| u8::try_from(x.as_small()?).ok())
                .collect::<Option<_>>()?;
            Ipv4Addr::from(<[u8; 4]>::try_from(b).ok()?)
        };
        Some(SocketAddr::V4(SocketAddrV4::new(ip, port)))
    } else if is_atom(family, "inet6") {
        let ip = if is_atom(addr, "any") {
            Ipv6Addr::UNSPECIFIED
        } else if is_atom(addr, "loopback") {
            Ipv6Addr::LOCALHOST
        } else {
            let e = addr.as_tuple()?;
            let b: Vec<u16> = e
                .elements()
                .iter()
                .map(|x| u16::try_from(x.as_small()?).ok())
                .collect::<Option<_>>()?;
            Ipv6Addr::from(<[u16; 8]>::try_from(b).ok()?)
        };
        let flow = u32::try_from(get("flowinfo")?.as_small()?).ok()?;
        let scope = u32::try_from(get("scope_id")?.as_small()?).ok()?;
        Some(SocketAddr::V6(SocketAddrV6::new(ip, port, flow, scope)))
    } else {
        None
    }
}

/// The map of `addr`.
pub(super) fn encode(h: &mut Heap, addr: &SocketAddr) -> Result<Term, Exception> {
    let port = Term::small(i64::from(addr.port()));
    Ok(match addr {
        SocketAddr::V4(a) => {
            let o: Vec<Term> = a
                .ip()
                .octets()
                .iter()
                .map(|&b| Term::small(i64::from(b)))
                .collect();
            let ip = h.tuple(&o);
            h.map_from_pairs(&[
                (atom("family")?, atom("inet")?),
                (atom("port")?, port),
                (atom("addr")?, ip),
            ])
        }
        SocketAddr::V6(a) => {
            let s: Vec<Term> = a
                .ip()
                .segments()
                .iter()
                .map(|&x| Term::small(i64::from(x)))
                .collect();
            let ip = h.tuple(&s);
            h.map_from_pairs(&[
                (atom("family")?, atom("inet6")?),
                (atom("port")?, port),
                (atom("addr")?, ip),
                (atom("flowinfo")?, Term::small(i64::from(a.flowinfo()))),
                (atom("scope_id")?, Term::small(i64::from(a.scope_id()))),
            ])
        }
    })
}
