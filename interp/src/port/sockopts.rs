//! Socket-level options by `inet_drv`'s numbers (`INET_OPT_*`,
//! `UDP_OPT_*`, `TCP_OPT_*`), shared by the TCP and UDP stand-ins: each
//! is set on the socket and read back from it, so `getopts` answers what
//! erl answers on the same kernel.

use std::io::Result;
use std::os::fd::RawFd;

use super::sock;

const OPT_LINGER: u8 = 3;
const OPT_MULTICAST_IF: u8 = 11;
const OPT_ADD_MEMBERSHIP: u8 = 14;
const OPT_DROP_MEMBERSHIP: u8 = 15;
const OPT_BIND_TO_DEVICE: u8 = 42;

/// An integer option's level and name for `setsockopt(2)`.
fn int_option(opt: u8) -> Option<(i32, i32)> {
    Some(match opt {
        0 => (libc::SOL_SOCKET, libc::SO_REUSEADDR),
        1 => (libc::SOL_SOCKET, libc::SO_KEEPALIVE),
        2 => (libc::SOL_SOCKET, libc::SO_DONTROUTE),
        4 => (libc::SOL_SOCKET, libc::SO_BROADCAST),
        5 => (libc::SOL_SOCKET, libc::SO_OOBINLINE),
        6 => (libc::SOL_SOCKET, libc::SO_SNDBUF),
        7 => (libc::SOL_SOCKET, libc::SO_RCVBUF),
        8 => (libc::SOL_SOCKET, libc::SO_PRIORITY),
        9 => (libc::IPPROTO_IP, libc::IP_TOS),
        10 => (libc::IPPROTO_TCP, libc::TCP_NODELAY),
        12 => (libc::IPPROTO_IP, libc::IP_MULTICAST_TTL),
        13 => (libc::IPPROTO_IP, libc::IP_MULTICAST_LOOP),
        16 => (libc::IPPROTO_IPV6, libc::IPV6_V6ONLY),
        41 => (libc::IPPROTO_IPV6, libc::IPV6_TCLASS),
        43 => (libc::IPPROTO_IP, libc::IP_RECVTOS),
        44 => (libc::IPPROTO_IPV6, libc::IPV6_RECVTCLASS),
        46 => (libc::IPPROTO_IP, libc::IP_TTL),
        47 => (libc::IPPROTO_IP, libc::IP_RECVTTL),
        48 => (libc::IPPROTO_TCP, libc::TCP_CORK),
        _ => return None,
    })
}

/// Whether `opt` is a socket-level option (set on the socket, not kept
/// by the driver).
pub(super) fn is_socket_option(opt: u8) -> bool {
    int_option(opt).is_some()
        || matches!(
            opt,
            OPT_LINGER
                | OPT_MULTICAST_IF
                | OPT_ADD_MEMBERSHIP
                | OPT_DROP_MEMBERSHIP
                | OPT_BIND_TO_DEVICE
        )
}

/// A 32-bit big-endian integer at `at`.
fn int32(v: &[u8], at: usize) -> i32 {
    v.get(at..at + 4)
        .and_then(|b| b.try_into().ok())
        .map_or(0, i32::from_be_bytes)
}

/// Sets socket option `opt` on `fd` from its encoded `value`; `None` if
/// `opt` is not a socket option.
pub(super) fn set(fd: RawFd, opt: u8, value: &[u8]) -> Option<Result<()>> {
    let ip = |at: usize| -> [u8; 4] {
        value
            .get(at..at + 4)
            .and_then(|b| b.try_into().ok())
            .unwrap_or([0; 4])
    };
    Some(match opt {
        OPT_LINGER => sock::set_linger(fd, int32(value, 0) != 0, int32(value, 4)),
        // An IPv4 address, as `struct in_addr`.
        OPT_MULTICAST_IF => sock::set_bytes(fd, libc::IPPROTO_IP, libc::IP_MULTICAST_IF, &ip(0)),
        // `struct ip_mreq`: the group, then the interface's address.
        OPT_ADD_MEMBERSHIP | OPT_DROP_MEMBERSHIP => {
            let name = if opt == OPT_ADD_MEMBERSHIP {
                libc::IP_ADD_MEMBERSHIP
            } else {
                libc::IP_DROP_MEMBERSHIP
            };
            let mut mreq = ip(0).to_vec();
            mreq.extend_from_slice(&ip(4));
            sock::set_bytes(fd, libc::IPPROTO_IP, name, &mreq)
        }
        // A length, then the interface's name.
        OPT_BIND_TO_DEVICE => {
            let name = value.get(4..).unwrap_or(&[]);
            sock::set_bytes(fd, libc::SOL_SOCKET, libc::SO_BINDTODEVICE, name)
        }
        _ => {
            let (level, name) = int_option(opt)?;
            sock::set_int(fd, level, name, int32(value, 0))
        }
    })
}

/// Appends socket option `opt`'s encoded value read from `fd` (nothing
/// for one the socket cannot read, IPv6's on an IPv4 socket, as the
/// driver leaves it out); `None` if `opt` is not one `getopts` reads.
pub(super) fn get(fd: Option<RawFd>, opt: u8, out: &mut Vec<u8>) -> Option<()> {
    if !is_socket_option(opt) || matches!(opt, OPT_ADD_MEMBERSHIP | OPT_DROP_MEMBERSHIP) {
        return None;
    }
    let Some(fd) = fd else {
        // No socket yet: a fresh one's values.
        out.push(opt);
        let zeros: &[u8] = if opt == OPT_LINGER { &[0; 8] } else { &[0; 4] };
        out.extend_from_slice(zeros);
        return Some(());
    };
    let start = out.len();
    out.push(opt);
    let got = match opt {
        OPT_LINGER => sock::get_linger(fd).map(|(on, secs)| {
            out.extend_from_slice(&i32::from(on).to_be_bytes());
            out.extend_from_slice(&secs.to_be_bytes());
        }),
        OPT_MULTICAST_IF => sock::get_bytes(fd, libc::IPPROTO_IP, libc::IP_MULTICAST_IF, 4)
            .map(|b| out.extend_from_slice(&b)),
        OPT_BIND_TO_DEVICE => {
            sock::get_bytes(fd, libc::SOL_SOCKET, libc::SO_BINDTODEVICE, libc::IFNAMSIZ).map(|b| {
                // The kernel's answer ends with its NUL.
                let name = b.split(|&c| c == 0).next().unwrap_or(&[]);
                out.extend_from_slice(&(name.len() as u32).to_be_bytes());
                out.extend_from_slice(name);
            })
        }
        _ => {
            let Some((level, name)) = int_option(opt) else {
                out.truncate(start);
                return None;
            };
            match sock::get_int(fd, level, name) {
                Ok(v) => {
                    out.extend_from_slice(&v.to_be_bytes());
                    Ok(())
                }
                // qemu-user does not translate every option
                // (`IP_RECVTTL`): a fresh socket's value, 0.
                Err(e) if e.raw_os_error() == Some(libc::ENOPROTOOPT) => {
                    out.extend_from_slice(&0i32.to_be_bytes());
                    Ok(())
                }
                Err(e) => Err(e),
            }
        }
    };
    if got.is_err() {
        out.truncate(start);
    }
    Some(())
}
