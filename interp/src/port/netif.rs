//! The host's name and network interfaces, read from the C library as
//! BEAM's inet driver reads them (`gethostname(2)`, `getifaddrs(3)`).

use std::ffi::CStr;
use std::os::fd::RawFd;

/// The host's name, as `gethostname(2)` gives it.
pub(super) fn hostname() -> std::io::Result<Vec<u8>> {
    let mut buf = [0u8; 256];
    // SAFETY: `buf` is writable for its whole length, which is passed.
    let r = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) };
    if r != 0 {
        return Err(std::io::Error::last_os_error());
    }
    let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
    Ok(buf[..end].to_vec())
}

/// An address of an interface record.
pub(super) enum Addr {
    V4([u8; 4]),
    V6([u8; 16]),
    /// A link-layer (`AF_PACKET`) address.
    Link(Vec<u8>),
}

/// One record of `getifaddrs(3)`: an interface with one of its addresses.
pub(super) struct IfAddr {
    pub name: Vec<u8>,
    /// The C library's `IFF_*` flags.
    pub flags: u32,
    pub addr: Option<Addr>,
    pub netmask: Option<Addr>,
    /// The broadcast or point-to-point destination address.
    pub other: Option<Addr>,
}

/// Reads a socket address (`None` for a null pointer or another family).
///
/// # Safety
///
/// `sa` is null or points to a socket address of its family's size.
unsafe fn addr(sa: *const libc::sockaddr) -> Option<Addr> {
    if sa.is_null() {
        return None;
    }
    match i32::from((*sa).sa_family) {
        libc::AF_INET => {
            let sin = &*sa.cast::<libc::sockaddr_in>();
            Some(Addr::V4(sin.sin_addr.s_addr.to_ne_bytes()))
        }
        libc::AF_INET6 => {
            let sin6 = &*sa.cast::<libc::sockaddr_in6>();
            Some(Addr::V6(sin6.sin6_addr.s6_addr))
        }
        #[cfg(target_os = "linux")]
        libc::AF_PACKET => {
            let sll = &*sa.cast::<libc::sockaddr_ll>();
            let n = usize::from(sll.sll_halen).min(sll.sll_addr.len());
            Some(Addr::Link(sll.sll_addr[..n].to_vec()))
        }
        _ => None,
    }
}

/// Every record of `getifaddrs(3)`, in its order.
pub(super) fn interfaces() -> std::io::Result<Vec<IfAddr>> {
    let mut first: *mut libc::ifaddrs = std::ptr::null_mut();
    // SAFETY: `first` receives a list the C library allocated.
    if unsafe { libc::getifaddrs(&mut first) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    let mut out = Vec::new();
    let mut at = first;
    while !at.is_null() {
        // SAFETY: `at` is a record of the list, valid until `freeifaddrs`;
        // its name is a C string and its addresses null or of their
        // family's size.
        unsafe {
            let ifa = &*at;
            out.push(IfAddr {
                name: CStr::from_ptr(ifa.ifa_name).to_bytes().to_vec(),
                flags: ifa.ifa_flags,
                addr: addr(ifa.ifa_addr),
                netmask: addr(ifa.ifa_netmask),
                other: addr(ifa.ifa_ifu),
            });
            at = ifa.ifa_next;
        }
    }
    // SAFETY: `first` came from `getifaddrs` and is freed once.
    unsafe { libc::freeifaddrs(first) };
    Ok(out)
}

/// What `inet:ifget/3` asks of one interface (`SIOCGIF*` requests).
#[derive(Clone, Copy)]
pub(super) enum IfQuery {
    Addr,
    BroadAddr,
    DstAddr,
    Netmask,
    Mtu,
    Flags,
    HwAddr,
}

/// An interface's answer to an `IfQuery`.
pub(super) enum IfValue {
    Addr(Addr),
    /// The MTU, or the C library's `IFF_*` flags.
    Int(i32),
}

/// Asks the socket `fd` about interface `name`, as the driver asks with
/// `ioctl` (`None`: no such interface, or no such value of it).
pub(super) fn ask(fd: RawFd, name: &[u8], what: IfQuery) -> Option<IfValue> {
    if name.len() >= libc::IFNAMSIZ || name.contains(&0) {
        return None;
    }
    // SAFETY: `ifreq` is plain data; all zeroes is a valid value.
    let mut ifr: libc::ifreq = unsafe { std::mem::zeroed() };
    for (d, &s) in ifr.ifr_name.iter_mut().zip(name) {
        *d = s as libc::c_char;
    }
    let request = match what {
        IfQuery::Addr => libc::SIOCGIFADDR,
        IfQuery::BroadAddr => libc::SIOCGIFBRDADDR,
        IfQuery::DstAddr => libc::SIOCGIFDSTADDR,
        IfQuery::Netmask => libc::SIOCGIFNETMASK,
        IfQuery::Mtu => libc::SIOCGIFMTU,
        IfQuery::Flags => libc::SIOCGIFFLAGS,
        IfQuery::HwAddr => libc::SIOCGIFHWADDR,
    };
    // SAFETY: these requests read a NUL-terminated name from `ifr` and
    // write one field of its union; `ifr` lives across the call.
    if unsafe { libc::ioctl(fd, request as _, &mut ifr) } != 0 {
        return None;
    }
    // SAFETY: the request answered fills the union field read here.
    unsafe {
        Some(match what {
            IfQuery::Mtu => IfValue::Int(ifr.ifr_ifru.ifru_mtu),
            IfQuery::Flags => IfValue::Int(i32::from(ifr.ifr_ifru.ifru_flags as u16)),
            IfQuery::HwAddr => {
                let data = ifr.ifr_ifru.ifru_hwaddr.sa_data;
                IfValue::Addr(Addr::Link(data[..6].iter().map(|&b| b as u8).collect()))
            }
            _ => IfValue::Addr(addr(&ifr.ifr_ifru.ifru_addr)?),
        })
    }
}
