//! A stand-in for BEAM's `udp_inet` driver (`inet_drv.c`): the control
//! operations OTP's `prim_inet` asks of a UDP socket port that only looks
//! at the host (`inet:gethostname/0,1`, `getifaddrs/0,1`, `getiflist/0,1`,
//! `ifget/2,3`, what `inet_config` and `net_adm:localhost/0` run on, and
//! the services database: `inet:getservbyname/2`, `getservbyport/2`) and
//! that open, bind and close it (`inet_udp:open/2`, `inet:port/1`,
//! `sockname/1`).
//! Each answers as the driver does: `[1 | Reply]` (`INET_REP_OK`) or
//! `[0 | Errno]`. The socket is a real one, bound where `BIND` asks; data
//! goes through it in `udp_io.rs`.

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, UdpSocket};

use std::os::fd::AsRawFd;

use super::netif::{self, Addr, IfQuery, IfValue};
use super::{sock, sockopts};

/// `ERTS_INET_DRV_CONTROL_MAGIC_NUMBER`, added to every request number.
pub(super) const MAGIC: u64 = 0x03f1_a300;

pub(super) const REQ_OPEN: u64 = 1;
pub(super) const REQ_NAME: u64 = 5;
pub(super) const REQ_BIND: u64 = 6;
pub(super) const REQ_SETOPTS: u64 = 7;
pub(super) const REQ_GETOPTS: u64 = 8;
const REQ_GETHOSTNAME: u64 = 12;
const REQ_GETSERVBYNAME: u64 = 17;
const REQ_GETSERVBYPORT: u64 = 18;
const REQ_GETIFLIST: u64 = 21;
const REQ_IFGET: u64 = 22;
pub(super) const REQ_SUBSCRIBE: u64 = 24;
const REQ_GETIFADDRS: u64 = 25;

pub(super) const AF_INET: u8 = 1;
pub(super) const AF_INET6: u8 = 2;
const AF_ANY: u8 = 3;
const AF_LOOPBACK: u8 = 4;

const IFOPT_ADDR: u8 = 1;
const IFOPT_BROADADDR: u8 = 2;
const IFOPT_DSTADDR: u8 = 3;
const IFOPT_MTU: u8 = 4;
const IFOPT_NETMASK: u8 = 5;
const IFOPT_FLAGS: u8 = 6;
const IFOPT_HWADDR: u8 = 7;

const OPT_LINGER: u8 = 3;
const OPT_BUFFER: u8 = 20;

/// The driver options a fresh UDP socket reports (`buffer`, `header`,
/// `active`, `packet`, `mode`, `deliver`, `exit_on_close`,
/// `packet_size`, `read_packets`, `high_msgq_watermark`,
/// `low_msgq_watermark`), by option number; socket options are read
/// from the socket (`sockopts.rs`).
const DEFAULT_OPTS: [(u8, &[u8]); 11] = [
    (OPT_BUFFER, &[0, 0, 0x20, 0]),
    (21, &[0, 0, 0, 0]),
    (22, &[0, 0, 0, 1]),
    (23, &[0, 0, 0, 0]),
    (24, &[0, 0, 0, 0]),
    (25, &[0, 0, 0, 1]),
    (26, &[0, 0, 0, 1]),
    (32, &[0, 0, 0, 0]),
    (33, &[0, 0, 0, 5]),
    (36, &[0, 0, 0x20, 0]),
    (37, &[0, 0, 0x10, 0]),
];

/// TCP's driver options and `netns`: a UDP socket leaves them out of
/// `getopts`' answer, as the driver does.
const TCP_ONLY_OPTS: [u8; 7] = [27, 28, 30, 31, 35, 38, 39];

/// A UDP socket port's state.
#[derive(Default)]
pub(crate) struct Udp {
    /// The address family `OPEN` gave (`INET_AF_*`).
    family: u8,
    pub(super) socket: Option<UdpSocket>,
    /// Options set, by number, as their encoded values.
    pub(super) opts: BTreeMap<u8, Vec<u8>>,
}

/// `[0 | Errno]`.
pub(super) fn error(errno: &str) -> Vec<u8> {
    let mut v = vec![0];
    v.extend_from_slice(errno.as_bytes());
    v
}

/// `[1 | Reply]`.
pub(super) fn ok(reply: &[u8]) -> Vec<u8> {
    let mut v = vec![1];
    v.extend_from_slice(reply);
    v
}

/// The name of an I/O error's errno (`einval` for an unknown one).
pub(super) fn errno(e: &std::io::Error) -> &'static str {
    match e.raw_os_error() {
        Some(libc::ECONNREFUSED) => "econnrefused",
        Some(libc::ECONNRESET) => "econnreset",
        Some(libc::ECONNABORTED) => "econnaborted",
        Some(libc::ENOTCONN) => "enotconn",
        Some(libc::EISCONN) => "eisconn",
        Some(libc::EALREADY) => "ealready",
        Some(libc::ETIMEDOUT) => "etimedout",
        Some(libc::EPIPE) => "epipe",
        Some(libc::EHOSTUNREACH) => "ehostunreach",
        Some(libc::ENETUNREACH) => "enetunreach",
        Some(libc::EOPNOTSUPP) => "eopnotsupp",
        Some(libc::ENOPROTOOPT) => "enoprotoopt",
        Some(libc::EMSGSIZE) => "emsgsize",
        Some(libc::EADDRINUSE) => "eaddrinuse",
        Some(libc::EADDRNOTAVAIL) => "eaddrnotavail",
        Some(libc::EACCES) => "eacces",
        Some(libc::EAFNOSUPPORT) => "eafnosupport",
        Some(libc::EMFILE) => "emfile",
        Some(libc::ENFILE) => "enfile",
        Some(libc::ENOMEM) => "enomem",
        Some(libc::ENOBUFS) => "enobufs",
        _ => "einval",
    }
}

/// The encoded length of option `opt`'s value at the start of `rest`
/// (`None`: an option this stand-in does not parse).
pub(super) fn value_len(opt: u8, rest: &[u8]) -> Option<usize> {
    let len32 = |at: usize| -> Option<usize> {
        let b: [u8; 4] = rest.get(at..at + 4)?.try_into().ok()?;
        usize::try_from(u32::from_be_bytes(b)).ok()
    };
    match opt {
        // `{active, N}`: `INET_MULTI` and a 16-bit count.
        22 if rest.get(..4) == Some(&[0, 0, 0, 3]) => Some(6),
        OPT_LINGER | 14 | 15 => Some(8),
        34 => Some(12 + len32(8)?),
        38 | 42 => Some(4 + len32(0)?),
        0..=48 | 99 => Some(4),
        _ => None,
    }
}

/// Appends a socket address as `sockaddr_to_buf` encodes it.
fn put_addr(out: &mut Vec<u8>, opt: u8, a: &Addr) {
    out.push(opt);
    match a {
        Addr::V4(ip) => {
            out.push(AF_INET);
            out.extend_from_slice(ip);
        }
        Addr::V6(ip) => {
            out.push(AF_INET6);
            out.extend_from_slice(ip);
        }
        Addr::Link(hw) => {
            out.extend_from_slice(&(hw.len() as u16).to_be_bytes());
            out.extend_from_slice(hw);
        }
    }
}

/// The C library's `IFF_*` flags as the driver's `INET_IFF_*` ones
/// (`IFGET_FLAGS`: only the flags that are set).
fn if_flags(f: u32) -> u32 {
    let map = [
        (libc::IFF_UP, 0x01),
        (libc::IFF_BROADCAST, 0x02),
        (libc::IFF_LOOPBACK, 0x04),
        (libc::IFF_POINTOPOINT, 0x08),
        (libc::IFF_RUNNING, 0x10),
        (libc::IFF_MULTICAST, 0x20),
    ];
    map.iter()
        .filter(|(c, _)| f & (*c as u32) != 0)
        .fold(0, |acc, (_, bit)| acc | bit)
}

/// `GETIFADDRS`: per record of `getifaddrs(3)`, its name, a zero, its
/// flags, its IP addresses (address, netmask, destination or broadcast)
/// or link address, and a zero.
fn getifaddrs() -> Vec<u8> {
    let ifs = match netif::interfaces() {
        Ok(ifs) => ifs,
        Err(e) => return error(errno(&e)),
    };
    let mut out = vec![1];
    for i in ifs {
        out.extend_from_slice(&i.name);
        out.push(0);
        out.push(IFOPT_FLAGS);
        out.extend_from_slice(&if_flags(i.flags).to_be_bytes());
        match &i.addr {
            Some(a @ (Addr::V4(_) | Addr::V6(_))) => {
                put_addr(&mut out, IFOPT_ADDR, a);
                if let Some(m) = &i.netmask {
                    put_addr(&mut out, IFOPT_NETMASK, m);
                }
                let other = if i.flags & libc::IFF_POINTOPOINT as u32 != 0 {
                    Some(IFOPT_DSTADDR)
                } else if i.flags & libc::IFF_BROADCAST as u32 != 0 {
                    Some(IFOPT_BROADADDR)
                } else {
                    None
                };
                if let (Some(opt), Some(o)) = (other, &i.other) {
                    put_addr(&mut out, opt, o);
                }
            }
            Some(hw @ Addr::Link(bytes)) if !bytes.is_empty() => {
                put_addr(&mut out, IFOPT_HWADDR, hw);
            }
            _ => {}
        }
        out.push(0);
    }
    out
}

/// `GETIFLIST`: the names of the interfaces with an IPv4 address
/// (`SIOCGIFCONF`'s), each ended by a zero.
fn getiflist() -> Vec<u8> {
    match netif::interfaces() {
        Ok(ifs) => {
            let mut out = vec![1];
            for i in ifs.iter().filter(|i| matches!(i.addr, Some(Addr::V4(_)))) {
                out.extend_from_slice(&i.name);
                out.push(0);
            }
            out
        }
        Err(e) => error(errno(&e)),
    }
}

/// The services database's entries (`/etc/services`, what the C library's
/// `files` source reads): name, port, protocol and aliases, in order.
fn services() -> Vec<(String, u16, String, Vec<String>)> {
    let text = std::fs::read_to_string("/etc/services").unwrap_or_default();
    text.lines()
        .filter_map(|line| {
            let line = line.split('#').next()?;
            let mut words = line.split_whitespace();
            let name = words.next()?.to_string();
            let (port, proto) = words.next()?.split_once('/')?;
            let aliases = words.map(str::to_string).collect();
            Some((name, port.parse().ok()?, proto.to_string(), aliases))
        })
        .collect()
}

/// Splits `[Len | Bytes]` into the text and what follows it.
fn counted(data: &[u8]) -> Option<(&[u8], &[u8])> {
    let (&n, rest) = data.split_first()?;
    let n = usize::from(n);
    Some((rest.get(..n)?, rest.get(n..)?))
}

/// `GETSERVBYNAME`: `[NameLen, Name.., ProtoLen, Proto..]`; the port of the
/// service so named (or aliased) for that protocol, `einval` if none.
fn getservbyname(data: &[u8]) -> Vec<u8> {
    let Some((name, rest)) = counted(data) else {
        return error("einval");
    };
    let Some((proto, _)) = counted(rest) else {
        return error("einval");
    };
    let found = services().into_iter().find(|(n, _, p, aliases)| {
        p.as_bytes() == proto
            && (n.as_bytes() == name || aliases.iter().any(|a| a.as_bytes() == name))
    });
    match found {
        Some((_, port, _, _)) => ok(&port.to_be_bytes()),
        None => error("einval"),
    }
}

/// `GETSERVBYPORT`: `[PortHi, PortLo, ProtoLen, Proto..]`; the name of the
/// service on that port and protocol, `einval` if none.
fn getservbyport(data: &[u8]) -> Vec<u8> {
    let Some((port, rest)) = data.split_first_chunk::<2>() else {
        return error("einval");
    };
    let Some((proto, _)) = counted(rest) else {
        return error("einval");
    };
    let port = u16::from_be_bytes(*port);
    let found = services()
        .into_iter()
        .find(|(_, p, pr, _)| *p == port && pr.as_bytes() == proto);
    match found {
        Some((name, _, _, _)) => ok(name.as_bytes()),
        None => error("einval"),
    }
}

impl Udp {
    /// Answers control request `op` with argument `data`.
    pub(crate) fn control(&mut self, op: u64, data: &[u8]) -> Vec<u8> {
        match op.wrapping_sub(MAGIC) {
            REQ_OPEN => match data.first() {
                Some(&f @ (AF_INET | AF_INET6)) => {
                    self.family = f;
                    ok(&[])
                }
                _ => error("eafnosupport"),
            },
            REQ_SETOPTS => self.setopts(data),
            REQ_GETOPTS => self.getopts(data),
            REQ_BIND => self.bind(data),
            REQ_NAME => self.name(),
            REQ_GETHOSTNAME => match netif::hostname() {
                Ok(name) => ok(&name),
                Err(e) => error(errno(&e)),
            },
            REQ_GETIFADDRS => getifaddrs(),
            REQ_GETSERVBYNAME => getservbyname(data),
            REQ_GETSERVBYPORT => getservbyport(data),
            REQ_GETIFLIST => getiflist(),
            REQ_IFGET => self.ifget(data),
            // `subs_empty_out_q`: nothing is ever queued.
            REQ_SUBSCRIBE if data == [1] => ok(&[1, 0, 0, 0, 0]),
            2..=48 => error("enotsup"),
            _ => error("exbadport"),
        }
    }

    /// `SETOPTS`: socket options go to the socket once it is bound (and
    /// are kept until then), driver options are kept; stops at one it
    /// cannot parse.
    fn setopts(&mut self, mut data: &[u8]) -> Vec<u8> {
        while let Some((&opt, rest)) = data.split_first() {
            let Some(n) = value_len(opt, rest).filter(|&n| n <= rest.len()) else {
                break;
            };
            let value = &rest[..n];
            data = &rest[n..];
            let fd = self.socket.as_ref().map(AsRawFd::as_raw_fd);
            if let Some(Err(e)) = fd.and_then(|fd| sockopts::set(fd, opt, value)) {
                return error(errno(&e));
            }
            if fd.is_none() || !sockopts::is_socket_option(opt) {
                self.opts.insert(opt, value.to_vec());
            }
        }
        ok(&[])
    }

    /// The size datagrams are cut to (the `buffer` option, 8192 at first).
    pub(super) fn buffer(&self) -> usize {
        let v = self
            .opts
            .get(&OPT_BUFFER)
            .and_then(|v| <[u8; 4]>::try_from(v.as_slice()).ok());
        v.map_or(8192, |b| {
            usize::try_from(i32::from_be_bytes(b)).unwrap_or(0)
        })
    }

    /// `GETOPTS`: each option asked for with its value, set or default.
    fn getopts(&self, data: &[u8]) -> Vec<u8> {
        let mut out = vec![1];
        for &opt in data {
            if TCP_ONLY_OPTS.contains(&opt) {
                continue;
            }
            if let Some(s) = self.socket.as_ref() {
                if sockopts::get(Some(s.as_raw_fd()), opt, &mut out).is_some() {
                    continue;
                }
            } else if !self.opts.contains_key(&opt) && sockopts::get(None, opt, &mut out).is_some()
            {
                continue;
            }
            let default = DEFAULT_OPTS.iter().find(|(o, _)| *o == opt);
            let value = self
                .opts
                .get(&opt)
                .map(Vec::as_slice)
                .or(default.map(|d| d.1));
            match value {
                Some(v) => {
                    out.push(opt);
                    out.extend_from_slice(v);
                }
                None => return error("einval"),
            }
        }
        out
    }

    /// `BIND`: `[Family, PortHi, PortLo | Address]`; answers the port.
    fn bind(&mut self, data: &[u8]) -> Vec<u8> {
        let Some(addr) = parse_addr(data, self.family) else {
            return error("einval");
        };
        // Data goes through it without blocking (`udp_io.rs`); the
        // socket options set so far apply before it is bound, as on a
        // driver's socket made at `OPEN` (`reuseaddr` among them).
        let fd = match sock::datagram(addr.is_ipv6()) {
            Ok(fd) => fd,
            Err(e) => return error(errno(&e)),
        };
        for (&opt, value) in &self.opts {
            let _ = sockopts::set(fd.as_raw_fd(), opt, value);
        }
        if let Err(e) = sock::bind(&fd, &addr) {
            return error(errno(&e));
        }
        let s = UdpSocket::from(fd);
        let bound = s.local_addr().map(|a| a.port()).unwrap_or(addr.port());
        self.socket = Some(s);
        ok(&bound.to_be_bytes())
    }

    /// `IFGET`: `[NameLen, Name.. | Options]`; each option the interface
    /// has, with its value (an unknown interface has only empty flags).
    fn ifget(&self, data: &[u8]) -> Vec<u8> {
        let Some((name, opts)) = counted(data) else {
            return error("einval");
        };
        // The requests go to a socket of the port's family; before `BIND`
        // it has none yet, so a passing one is made.
        let passing;
        let fd = match &self.socket {
            Some(s) => s.as_raw_fd(),
            None => match UdpSocket::bind((Ipv4Addr::UNSPECIFIED, 0)) {
                Ok(s) => {
                    passing = s;
                    passing.as_raw_fd()
                }
                Err(e) => return error(errno(&e)),
            },
        };
        let mut out = vec![1];
        for &opt in opts {
            let what = match opt {
                IFOPT_ADDR => IfQuery::Addr,
                IFOPT_BROADADDR => IfQuery::BroadAddr,
                IFOPT_DSTADDR => IfQuery::DstAddr,
                IFOPT_MTU => IfQuery::Mtu,
                IFOPT_NETMASK => IfQuery::Netmask,
                IFOPT_FLAGS => IfQuery::Flags,
                IFOPT_HWADDR => IfQuery::HwAddr,
                _ => return error("einval"),
            };
            match netif::ask(fd, name, what) {
                Some(IfValue::Addr(a)) => put_addr(&mut out, opt, &a),
                Some(IfValue::Int(n)) => {
                    let n = if opt == IFOPT_FLAGS {
                        if_flags(n as u32) as i32
                    } else {
                        n
                    };
                    out.push(opt);
                    out.extend_from_slice(&n.to_be_bytes());
                }
                // The driver answers flags even for an interface it cannot
                // ask (none set); the other options it leaves out.
                None if opt == IFOPT_FLAGS => {
                    out.push(opt);
                    out.extend_from_slice(&[0; 4]);
                }
                None => {}
            }
        }
        out
    }

    /// `NAME`: the bound address, `[Family, PortHi, PortLo | Address]`.
    fn name(&self) -> Vec<u8> {
        match self.socket.as_ref().and_then(|s| s.local_addr().ok()) {
            Some(addr) => addr_reply(addr),
            None => error("einval"),
        }
    }
}

/// A socket address as `enc_value(set, addr, _)` encodes it:
/// `[Family, PortHi, PortLo | Address]`, `any` and `loopback` in the
/// socket's `family`.
pub(super) fn parse_addr(data: &[u8], family: u8) -> Option<SocketAddr> {
    let (&af, rest) = data.split_first()?;
    let port = u16::from_be_bytes(rest.get(..2)?.try_into().ok()?);
    let ip: IpAddr = match (af, family) {
        (AF_INET, _) => {
            let a: [u8; 4] = rest.get(2..6)?.try_into().ok()?;
            Ipv4Addr::from(a).into()
        }
        (AF_INET6, _) => {
            let a: [u8; 16] = rest.get(2..18)?.try_into().ok()?;
            Ipv6Addr::from(a).into()
        }
        (AF_ANY, AF_INET6) => Ipv6Addr::UNSPECIFIED.into(),
        (AF_ANY, _) => Ipv4Addr::UNSPECIFIED.into(),
        (AF_LOOPBACK, AF_INET6) => Ipv6Addr::LOCALHOST.into(),
        (AF_LOOPBACK, _) => Ipv4Addr::LOCALHOST.into(),
        _ => return None,
    };
    Some(SocketAddr::new(ip, port))
}

/// `[1, Family, PortHi, PortLo | Address]`: `NAME`'s and `PEER`'s reply.
pub(super) fn addr_reply(addr: SocketAddr) -> Vec<u8> {
    let mut out = vec![1];
    match addr {
        SocketAddr::V4(a) => {
            out.push(AF_INET);
            out.extend_from_slice(&a.port().to_be_bytes());
            out.extend_from_slice(&a.ip().octets());
        }
        SocketAddr::V6(a) => {
            out.push(AF_INET6);
            out.extend_from_slice(&a.port().to_be_bytes());
            out.extend_from_slice(&a.ip().octets());
        }
    }
    out
}
