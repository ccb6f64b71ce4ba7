//! The system side of OTP's `socket` module (erts' `prim_socket_nif.c`):
//! a non-blocking socket owned by a `prim_socket` resource, the calls its
//! NIFs make on it (`otp::bif::socket` turns terms into these and back),
//! and the readiness messages of its `select` protocol ([`select`]).
//!
//! Every call answers at once: one that would block answers
//! `WouldBlock`, and the NIF then asks [`select`] to tell its caller when
//! the socket is ready (`{'$socket', Socket, select, Handle}`), as BEAM's
//! `enif_select` does.

use std::io::{Error, ErrorKind, Result};
use std::mem::ManuallyDrop;
use std::net::{Shutdown, SocketAddr, TcpStream, UdpSocket};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::sync::atomic::{AtomicU64, Ordering};

use parking_lot::{Mutex, RwLock};

use super::sock;

pub mod net;
pub mod select;

/// What a socket's resource keeps beside its descriptor.
#[derive(Default)]
pub struct Meta {
    /// The controlling process.
    pub owner: Option<enigma_vm::term::Term>,
    /// `bind` succeeded.
    pub bound: bool,
    /// `listen` succeeded.
    pub listening: bool,
    /// Connected (by `connect` or `accept`).
    pub connected: bool,
    /// A `connect` is under way.
    pub connecting: bool,
    /// `{otp, rcvbuf}`: what a `recv` of length 0 reads at most.
    pub rcvbuf: usize,
    /// `{otp, rcvbuf}` given as `{Count, Size}`: the count.
    pub rcvbuf_count: Option<usize>,
    /// `{more, _}` answers in a row so far (up to the count).
    pub more_reads: usize,
    /// `{otp, meta}`.
    pub meta: Option<enigma_vm::process::Message>,
    /// Bytes read and written, reads and writes (`info/1`'s counters).
    pub read_byte: u64,
    pub read_pkg: u64,
    pub write_byte: u64,
    pub write_pkg: u64,
}

/// A `prim_socket` socket: its descriptor (`None` once closed), its
/// domain, type and protocol as the system numbers them.
pub struct Sock {
    fd: RwLock<Option<OwnedFd>>,
    /// `AF_INET` or `AF_INET6`.
    pub domain: i32,
    /// `SOCK_STREAM`, `SOCK_DGRAM`, ...
    pub kind: i32,
    /// The protocol's number (`SO_PROTOCOL`).
    pub protocol: i32,
    /// This socket's number among those [`select`] waits on.
    pub id: u64,
    /// The rest of its state.
    pub meta: Mutex<Meta>,
}

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// The error of a call on a closed socket.
fn closed() -> Error {
    Error::new(ErrorKind::NotConnected, "closed")
}

/// Whether `e` is the error of a call on a closed socket.
pub fn is_closed(e: &Error) -> bool {
    e.raw_os_error().is_none() && e.kind() == ErrorKind::NotConnected
}

/// A view of `fd` as the standard library's socket types, which never
/// closes it.
fn view<T: FromRawFd>(fd: RawFd) -> ManuallyDrop<T> {
    // SAFETY: the descriptor stays open while the view lives (the caller
    // holds the socket's lock) and the view never closes it.
    ManuallyDrop::new(unsafe { T::from_raw_fd(fd) })
}

/// The result of a C call that answers -1 on failure.
fn check(r: isize) -> Result<usize> {
    usize::try_from(r).map_err(|_| Error::last_os_error())
}

impl Sock {
    /// A new non-blocking socket (`socket(2)`).
    pub fn open(domain: i32, kind: i32, protocol: i32) -> Result<Sock> {
        let flags = kind | libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC;
        // SAFETY: plain system call; the descriptor it answers is owned here.
        let fd = unsafe { libc::socket(domain, flags, protocol) };
        if fd < 0 {
            return Err(Error::last_os_error());
        }
        // SAFETY: `fd` is a fresh descriptor nobody else owns.
        let fd = unsafe { OwnedFd::from_raw_fd(fd) };
        // The default protocol as the socket reports it; an emulator that
        // refuses `SO_PROTOCOL` (qemu-user) gets the type's usual one.
        let protocol = match protocol {
            0 => sock::get_int(fd.as_raw_fd(), libc::SOL_SOCKET, libc::SO_PROTOCOL)
                .ok()
                .filter(|&p| p != 0)
                .unwrap_or(match kind {
                    libc::SOCK_STREAM => libc::IPPROTO_TCP,
                    libc::SOCK_DGRAM => libc::IPPROTO_UDP,
                    _ => 0,
                }),
            p => p,
        };
        Ok(Sock::of(fd, domain, kind, protocol))
    }

    /// A socket resource for `fd`.
    fn of(fd: OwnedFd, domain: i32, kind: i32, protocol: i32) -> Sock {
        Sock {
            fd: RwLock::new(Some(fd)),
            domain,
            kind,
            protocol,
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            meta: Mutex::new(Meta {
                rcvbuf: 8192,
                ..Meta::default()
            }),
        }
    }

    /// Runs `f` on the open descriptor (a closed-socket error otherwise).
    pub fn with_fd<R>(&self, f: impl FnOnce(RawFd) -> Result<R>) -> Result<R> {
        let g = self.fd.read();
        f(g.as_ref().ok_or_else(closed)?.as_raw_fd())
    }

    /// Whether the socket is still open.
    pub fn is_open(&self) -> bool {
        self.fd.read().is_some()
    }

    /// `bind(2)`.
    pub fn bind(&self, addr: &SocketAddr) -> Result<()> {
        let g = self.fd.read();
        sock::bind(g.as_ref().ok_or_else(closed)?, addr)
    }

    /// `listen(2)`.
    pub fn listen(&self, backlog: i32) -> Result<()> {
        let g = self.fd.read();
        sock::listen(g.as_ref().ok_or_else(closed)?, backlog)
    }

    /// Starts `connect(2)`: true once connected, false while under way.
    pub fn connect(&self, addr: &SocketAddr) -> Result<bool> {
        let g = self.fd.read();
        sock::connect(g.as_ref().ok_or_else(closed)?, addr)
    }

    /// The socket's pending error (`SO_ERROR`), which ends a connect.
    pub fn take_error(&self) -> Result<Option<Error>> {
        self.with_fd(|fd| {
            let e = sock::get_int(fd, libc::SOL_SOCKET, libc::SO_ERROR)?;
            Ok((e != 0).then(|| Error::from_raw_os_error(e)))
        })
    }

    /// `accept(2)`: a new socket of the same kind, non-blocking.
    pub fn accept(&self) -> Result<Sock> {
        let fd = self.with_fd(|fd| {
            // SAFETY: plain system call; null address arguments are allowed.
            let r = unsafe {
                libc::accept4(
                    fd,
                    std::ptr::null_mut(),
                    std::ptr::null_mut(),
                    libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC,
                )
            };
            check(r as isize).map(|fd| fd as RawFd)
        })?;
        // SAFETY: `accept4` answered a fresh descriptor nobody else owns.
        let fd = unsafe { OwnedFd::from_raw_fd(fd) };
        Ok(Sock::of(fd, self.domain, self.kind, self.protocol))
    }

    /// `send(2)` with `flags` (never raising `SIGPIPE`): bytes written.
    pub fn send(&self, data: &[u8], flags: i32) -> Result<usize> {
        self.with_fd(|fd| {
            // SAFETY: `data` is readable for its whole length, which is passed.
            let r = unsafe {
                libc::send(
                    fd,
                    data.as_ptr().cast(),
                    data.len(),
                    flags | libc::MSG_NOSIGNAL,
                )
            };
            check(r)
        })
    }

    /// `sendto(2)` to `to`.
    pub fn send_to(&self, data: &[u8], to: &SocketAddr) -> Result<usize> {
        self.with_fd(|fd| view::<UdpSocket>(fd).send_to(data, to))
    }

    /// `recv(2)` of up to `len` bytes with `flags`; empty at the end of
    /// the stream.
    pub fn recv(&self, len: usize, flags: i32) -> Result<Vec<u8>> {
        self.with_fd(|fd| {
            let mut buf = vec![0u8; len];
            // SAFETY: `buf` is writable for its whole length, which is passed.
            let r = unsafe { libc::recv(fd, buf.as_mut_ptr().cast(), len, flags) };
            buf.truncate(check(r)?);
            Ok(buf)
        })
    }

    /// `recvfrom(2)` of one datagram cut to `len` bytes.
    pub fn recv_from(&self, len: usize, peek: bool) -> Result<(Vec<u8>, SocketAddr)> {
        self.with_fd(|fd| {
            let mut buf = vec![0u8; len];
            let s = view::<UdpSocket>(fd);
            let (n, from) = if peek {
                s.peek_from(&mut buf)?
            } else {
                s.recv_from(&mut buf)?
            };
            buf.truncate(n);
            Ok((buf, from))
        })
    }

    /// `shutdown(2)`.
    pub fn shutdown(&self, how: Shutdown) -> Result<()> {
        self.with_fd(|fd| view::<TcpStream>(fd).shutdown(how))
    }

    /// `getsockname(2)`.
    pub fn sockname(&self) -> Result<SocketAddr> {
        self.with_fd(|fd| view::<UdpSocket>(fd).local_addr())
    }

    /// `getpeername(2)`.
    pub fn peername(&self) -> Result<SocketAddr> {
        self.with_fd(|fd| view::<UdpSocket>(fd).peer_addr())
    }

    /// Sets integer option `name` at `level`.
    pub fn set_int(&self, level: i32, name: i32, value: i32) -> Result<()> {
        self.with_fd(|fd| sock::set_int(fd, level, name, value))
    }

    /// Reads integer option `name` at `level`.
    pub fn get_int(&self, level: i32, name: i32) -> Result<i32> {
        self.with_fd(|fd| sock::get_int(fd, level, name))
    }

    /// Sets `SO_LINGER`.
    pub fn set_linger(&self, on: bool, secs: i32) -> Result<()> {
        self.with_fd(|fd| sock::set_linger(fd, on, secs))
    }

    /// Reads `SO_LINGER`.
    pub fn get_linger(&self) -> Result<(bool, i32)> {
        self.with_fd(sock::get_linger)
    }

    /// Closes the socket: what waited on it is dropped from [`select`]
    /// (answered the pids and abort messages, for the caller to send) and
    /// the descriptor closed once [`select`]'s thread no longer polls it.
    /// `None` if it was closed already.
    pub fn close(&self) -> Option<Vec<select::Waiter>> {
        let mut g = self.fd.write();
        let fd = g.take()?;
        let waiters = select::forget(self.id);
        drop(fd);
        Some(waiters)
    }
}

/// The name of an I/O error's errno as the socket NIFs answer it
/// (`closed` for a call on a closed socket).
pub fn errno_name(e: &Error) -> &'static str {
    if is_closed(e) {
        return "closed";
    }
    match e.raw_os_error() {
        Some(libc::EAGAIN) => "eagain",
        Some(libc::EBADF) => "ebadf",
        Some(libc::EPROTONOSUPPORT) => "eprotonosupport",
        Some(libc::EPROTOTYPE) => "eprototype",
        Some(libc::ENOTSOCK) => "enotsock",
        Some(libc::EINPROGRESS) => "einprogress",
        Some(libc::EDESTADDRREQ) => "edestaddrreq",
        Some(libc::ESOCKTNOSUPPORT) => "esocktnosupport",
        _ => super::inet::errno(e),
    }
}
