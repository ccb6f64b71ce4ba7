//! The C library's name services under erts' `prim_net` (`net:gethostname/0`,
//! `net:if_names/0`, `net:getaddrinfo/1,2`).

use std::ffi::{CStr, CString};
use std::io::{Error, Result};
use std::net::SocketAddr;

/// The host's name (`gethostname(2)`).
pub fn hostname() -> Result<Vec<u8>> {
    super::super::netif::hostname()
}

/// The interfaces' indexes and names (`if_nameindex(3)`).
pub fn if_names() -> Result<Vec<(u32, Vec<u8>)>> {
    // SAFETY: plain library call; the array it answers is freed below.
    let list = unsafe { libc::if_nameindex() };
    if list.is_null() {
        return Err(Error::last_os_error());
    }
    let mut out = Vec::new();
    let mut at = list;
    loop {
        // SAFETY: the array ends with an all-zero entry, not passed yet.
        let e = unsafe { &*at };
        if e.if_index == 0 && e.if_name.is_null() {
            break;
        }
        // SAFETY: `if_name` is a NUL-terminated string of the array.
        let name = unsafe { CStr::from_ptr(e.if_name) }.to_bytes().to_vec();
        out.push((e.if_index, name));
        // SAFETY: the entry after one that is not the last is in the array.
        at = unsafe { at.add(1) };
    }
    // SAFETY: `list` came from `if_nameindex` and is freed once.
    unsafe { libc::if_freenameindex(list) };
    Ok(out)
}

/// One answer of `getaddrinfo(3)`: the address, its socket type and
/// protocol numbers.
pub struct AddrInfo {
    pub addr: SocketAddr,
    pub kind: i32,
    pub protocol: i32,
}

/// `getaddrinfo(3)` of `host` and `service` (either may be absent);
/// `Err` holds its `EAI_*` code.
pub fn getaddrinfo(
    host: Option<&[u8]>,
    service: Option<&[u8]>,
) -> std::result::Result<Vec<AddrInfo>, i32> {
    let host = host
        .map(|h| CString::new(h).map_err(|_| libc::EAI_NONAME))
        .transpose()?;
    let service = service
        .map(|s| CString::new(s).map_err(|_| libc::EAI_SERVICE))
        .transpose()?;
    let mut res: *mut libc::addrinfo = std::ptr::null_mut();
    // SAFETY: the names are NUL-terminated or null; `res` is written once.
    let r = unsafe {
        libc::getaddrinfo(
            host.as_ref().map_or(std::ptr::null(), |h| h.as_ptr()),
            service.as_ref().map_or(std::ptr::null(), |s| s.as_ptr()),
            std::ptr::null(),
            &raw mut res,
        )
    };
    if r != 0 {
        return Err(r);
    }
    let mut out = Vec::new();
    let mut at = res;
    while !at.is_null() {
        // SAFETY: `at` is a record of the list `getaddrinfo` answered.
        let a = unsafe { &*at };
        let addr = match a.ai_family {
            libc::AF_INET => {
                // SAFETY: an `AF_INET` record's address is a `sockaddr_in`.
                let s = unsafe { &*a.ai_addr.cast::<libc::sockaddr_in>() };
                let ip = std::net::Ipv4Addr::from(s.sin_addr.s_addr.to_ne_bytes());
                Some(SocketAddr::from((ip, u16::from_be(s.sin_port))))
            }
            libc::AF_INET6 => {
                // SAFETY: an `AF_INET6` record's address is a `sockaddr_in6`.
                let s = unsafe { &*a.ai_addr.cast::<libc::sockaddr_in6>() };
                let ip = std::net::Ipv6Addr::from(s.sin6_addr.s6_addr);
                Some(SocketAddr::V6(std::net::SocketAddrV6::new(
                    ip,
                    u16::from_be(s.sin6_port),
                    s.sin6_flowinfo,
                    s.sin6_scope_id,
                )))
            }
            _ => None,
        };
        if let Some(addr) = addr {
            out.push(AddrInfo {
                addr,
                kind: a.ai_socktype,
                protocol: a.ai_protocol,
            });
        }
        at = a.ai_next;
    }
    // SAFETY: `res` came from `getaddrinfo` and is freed once.
    unsafe { libc::freeaddrinfo(res) };
    Ok(out)
}
