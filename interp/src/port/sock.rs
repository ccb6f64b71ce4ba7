//! The socket calls the TCP driver's stand-in makes that the standard
//! library does not offer separately (a socket made before it is bound,
//! bound before it listens or connects; a connect that does not wait;
//! options by number; `poll(2)`). Every socket is non-blocking.

use std::io::{Error, Result};
use std::net::{SocketAddr, TcpStream};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::sync::atomic::{AtomicBool, Ordering};

/// The result of a C call that answers -1 on failure.
fn check(r: libc::c_int) -> Result<libc::c_int> {
    if r < 0 {
        Err(Error::last_os_error())
    } else {
        Ok(r)
    }
}

/// A new non-blocking TCP socket of the IPv6 family or the IPv4 one.
pub(super) fn stream(v6: bool) -> Result<OwnedFd> {
    socket(v6, libc::SOCK_STREAM)
}

/// A new non-blocking UDP socket of the IPv6 family or the IPv4 one.
pub(super) fn datagram(v6: bool) -> Result<OwnedFd> {
    socket(v6, libc::SOCK_DGRAM)
}

fn socket(v6: bool, kind: i32) -> Result<OwnedFd> {
    let af = if v6 { libc::AF_INET6 } else { libc::AF_INET };
    let kind = kind | libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC;
    // SAFETY: plain system call; the descriptor it answers is owned here.
    let fd = check(unsafe { libc::socket(af, kind, 0) })?;
    // SAFETY: `fd` is a fresh descriptor nobody else owns.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// `addr` as a C socket address and its length.
fn raw_addr(addr: &SocketAddr) -> (libc::sockaddr_storage, libc::socklen_t) {
    // SAFETY: all-zero bytes are a valid `sockaddr_storage`.
    let mut st: libc::sockaddr_storage = unsafe { std::mem::zeroed() };
    let len = match addr {
        SocketAddr::V4(a) => {
            // SAFETY: `sockaddr_storage` is larger than and aligned for `sockaddr_in`.
            let sin = unsafe { &mut *(&raw mut st).cast::<libc::sockaddr_in>() };
            sin.sin_family = libc::AF_INET as libc::sa_family_t;
            sin.sin_port = a.port().to_be();
            sin.sin_addr.s_addr = u32::from_ne_bytes(a.ip().octets());
            std::mem::size_of::<libc::sockaddr_in>()
        }
        SocketAddr::V6(a) => {
            // SAFETY: `sockaddr_storage` is larger than and aligned for `sockaddr_in6`.
            let sin6 = unsafe { &mut *(&raw mut st).cast::<libc::sockaddr_in6>() };
            sin6.sin6_family = libc::AF_INET6 as libc::sa_family_t;
            sin6.sin6_port = a.port().to_be();
            sin6.sin6_addr.s6_addr = a.ip().octets();
            sin6.sin6_flowinfo = a.flowinfo();
            sin6.sin6_scope_id = a.scope_id();
            std::mem::size_of::<libc::sockaddr_in6>()
        }
    };
    (st, len as libc::socklen_t)
}

/// Binds `fd` to `addr`.
pub(super) fn bind(fd: &OwnedFd, addr: &SocketAddr) -> Result<()> {
    let (st, len) = raw_addr(addr);
    // SAFETY: `st` holds a socket address of `len` bytes.
    check(unsafe { libc::bind(fd.as_raw_fd(), (&raw const st).cast(), len) }).map(drop)
}

/// Makes `fd` listen with `backlog`.
pub(super) fn listen(fd: &OwnedFd, backlog: i32) -> Result<()> {
    // SAFETY: plain system call on an owned descriptor.
    check(unsafe { libc::listen(fd.as_raw_fd(), backlog) }).map(drop)
}

/// Starts connecting `fd` to `addr`: true if it is connected already,
/// false if the connection is under way (`EINPROGRESS`).
pub(super) fn connect(fd: &OwnedFd, addr: &SocketAddr) -> Result<bool> {
    let (st, len) = raw_addr(addr);
    // SAFETY: `st` holds a socket address of `len` bytes.
    match check(unsafe { libc::connect(fd.as_raw_fd(), (&raw const st).cast(), len) }) {
        Ok(_) => Ok(true),
        Err(e) if e.raw_os_error() == Some(libc::EINPROGRESS) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Sets option `name` at `level` to `value` (a C `int` or struct).
fn set_raw<T: Copy>(fd: RawFd, level: i32, name: i32, value: T) -> Result<()> {
    let len = std::mem::size_of::<T>() as libc::socklen_t;
    // SAFETY: `value` is a plain C value of `len` bytes.
    check(unsafe { libc::setsockopt(fd, level, name, (&raw const value).cast(), len) }).map(drop)
}

/// Reads option `name` at `level` into `value` (a C `int` or struct).
fn get_raw<T: Copy>(fd: RawFd, level: i32, name: i32, mut value: T) -> Result<T> {
    let mut len = std::mem::size_of::<T>() as libc::socklen_t;
    // SAFETY: `value` is a writable plain C value of `len` bytes.
    check(unsafe { libc::getsockopt(fd, level, name, (&raw mut value).cast(), &raw mut len) })?;
    Ok(value)
}

/// Sets integer option `name` at `level`.
pub(super) fn set_int(fd: RawFd, level: i32, name: i32, value: i32) -> Result<()> {
    set_raw(fd, level, name, value)
}

/// Reads integer option `name` at `level`.
pub(super) fn get_int(fd: RawFd, level: i32, name: i32) -> Result<i32> {
    get_raw(fd, level, name, 0i32)
}

/// Sets option `name` at `level` to the bytes of `value` (a C struct or
/// string).
pub(super) fn set_bytes(fd: RawFd, level: i32, name: i32, value: &[u8]) -> Result<()> {
    let len = value.len() as libc::socklen_t;
    // SAFETY: `value` is readable for `len` bytes.
    check(unsafe { libc::setsockopt(fd, level, name, value.as_ptr().cast(), len) }).map(drop)
}

/// Reads option `name` at `level` as up to `max` bytes.
pub(super) fn get_bytes(fd: RawFd, level: i32, name: i32, max: usize) -> Result<Vec<u8>> {
    let mut buf = vec![0u8; max];
    let mut len = max as libc::socklen_t;
    // SAFETY: `buf` is writable for `len` bytes.
    check(unsafe { libc::getsockopt(fd, level, name, buf.as_mut_ptr().cast(), &raw mut len) })?;
    buf.truncate(len as usize);
    Ok(buf)
}

/// Sets `SO_LINGER`.
pub(super) fn set_linger(fd: RawFd, on: bool, secs: i32) -> Result<()> {
    let l = libc::linger {
        l_onoff: i32::from(on),
        l_linger: secs,
    };
    set_raw(fd, libc::SOL_SOCKET, libc::SO_LINGER, l)
}

/// Reads `SO_LINGER`: whether it is on, and its seconds.
pub(super) fn get_linger(fd: RawFd) -> Result<(bool, i32)> {
    let l = libc::linger {
        l_onoff: 0,
        l_linger: 0,
    };
    let l = get_raw(fd, libc::SOL_SOCKET, libc::SO_LINGER, l)?;
    Ok((l.l_onoff != 0, l.l_linger))
}

/// A connected socket as the standard library's stream (reads and writes,
/// names, shutdown); it stays non-blocking.
pub(super) fn into_stream(fd: OwnedFd) -> TcpStream {
    TcpStream::from(fd)
}

/// Waits up to `timeout_ms` (-1: without end) for the events asked of
/// each descriptor; answers what each got.
pub(super) fn poll(fds: &[(RawFd, i16)], timeout_ms: i32) -> Vec<i16> {
    let mut p: Vec<libc::pollfd> = fds
        .iter()
        .map(|&(fd, events)| libc::pollfd {
            fd,
            events,
            revents: 0,
        })
        .collect();
    // SAFETY: `p` is a writable array of `p.len()` `pollfd`s.
    let r = unsafe { libc::poll(p.as_mut_ptr(), p.len() as libc::nfds_t, timeout_ms) };
    if r <= 0 {
        return vec![0; p.len()];
    }
    p.iter().map(|x| x.revents).collect()
}

/// `poll(2)`'s timeout for `deadline`: -1 for none, else the
/// milliseconds left rounded up (the deadline has passed when it ends).
pub(super) fn timeout_ms(deadline: Option<std::time::Instant>) -> i32 {
    deadline.map_or(-1, |d| {
        let ms = d
            .saturating_duration_since(std::time::Instant::now())
            .as_millis();
        i32::try_from(ms + 1).unwrap_or(i32::MAX)
    })
}

/// How a socket port's thread is woken: a non-blocking pipe it polls
/// beside its socket, and the flag that says the port closed.
pub(super) struct Waker {
    closed: AtomicBool,
    /// The thread is in `poll(2)`, which keeps the descriptors it polls
    /// open even once closed.
    polling: AtomicBool,
    read: OwnedFd,
    write: OwnedFd,
}

impl Waker {
    pub(super) fn new() -> Result<Waker> {
        let mut fds = [0 as RawFd; 2];
        // SAFETY: `fds` is a writable array of two descriptors.
        check(unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_NONBLOCK | libc::O_CLOEXEC) })?;
        // SAFETY: both are fresh descriptors nobody else owns.
        let (read, write) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
        Ok(Waker {
            closed: AtomicBool::new(false),
            polling: AtomicBool::new(false),
            read,
            write,
        })
    }

    /// Wakes the thread to look at its port's state again (a full pipe
    /// wakes it already).
    pub(super) fn wake(&self) {
        let b = 1u8;
        // SAFETY: one readable byte; a failure (a full pipe) needs nothing.
        let _ = unsafe { libc::write(self.write.as_raw_fd(), (&raw const b).cast(), 1) };
    }

    /// The port closed: the thread ends.
    pub(super) fn close(&self) {
        self.closed.store(true, Ordering::SeqCst);
        self.wake();
    }

    /// Once the port closed and its socket was dropped: waits (up to a
    /// second) for the woken thread to leave `poll(2)`, so the socket is
    /// closed when the caller returns, as BEAM's `port_close` leaves it.
    pub(super) fn settle(&self) {
        let until = std::time::Instant::now() + std::time::Duration::from_secs(1);
        while self.polling.load(Ordering::SeqCst) && std::time::Instant::now() < until {
            std::thread::yield_now();
        }
    }

    pub(super) fn is_closed(&self) -> bool {
        self.closed.load(Ordering::SeqCst)
    }

    /// Waits up to `timeout_ms` (-1: without end) for `events` on `fd` or
    /// a wake-up; answers what `fd` got.
    pub(super) fn wait(&self, fd: RawFd, events: i16, timeout_ms: i32) -> i16 {
        self.polling.store(true, Ordering::SeqCst);
        let rev = poll(
            &[(self.read.as_raw_fd(), libc::POLLIN), (fd, events)],
            timeout_ms,
        );
        self.polling.store(false, Ordering::SeqCst);
        if rev[0] != 0 {
            let mut buf = [0u8; 64];
            // SAFETY: `buf` is writable for its whole length, which is passed.
            while unsafe { libc::read(self.read.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len()) }
                > 0
            {}
        }
        rev[1]
    }
}

/// Shuts both directions of `fd` down (a listening socket stops
/// listening); a failure (a socket never connected) needs nothing.
pub(super) fn shutdown_all(fd: RawFd) {
    // SAFETY: plain system call on a descriptor the caller keeps open.
    let _ = unsafe { libc::shutdown(fd, libc::SHUT_RDWR) };
}
