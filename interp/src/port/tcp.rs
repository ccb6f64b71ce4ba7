//! A stand-in for BEAM's `tcp_inet` driver (`inet_drv.c`): what OTP's
//! `prim_inet` asks of a TCP socket port, over a real non-blocking socket.
//!
//! Control requests (`port_control/3`) answer as the driver does,
//! `[1 | Reply]` or `[0 | Errno]`; those that wait (`CONNECT`, `ACCEPT`,
//! `TCP_REQ_RECV`) answer a 16-bit reference at once and their result
//! later as `{inet_async, Port, Ref, Result}` to the process that asked.
//! Data written with `port_command` is answered `{inet_reply, Port,
//! Status}`: it is written at once as far as the socket takes it, the rest
//! queued for the port's I/O thread (`tcp_io.rs`), which also reads,
//! accepts, finishes connections and delivers `{tcp, Port, Data}`,
//! `{tcp_closed, Port}`, `{tcp_error, Port, Reason}` and `{tcp_passive,
//! Port}` to the connected process. The thread waits in `poll(2)` on the
//! socket and a wake pipe: no scheduler ever blocks on a socket.
//!
//! Locking: a request holds the port's state lock and may then take the
//! scheduler's (to deliver); nothing holding the scheduler's lock takes a
//! port's state lock (closing only sets [`Tcp::close`]'s flag).

use std::collections::{BTreeMap, VecDeque};
use std::io::{ErrorKind, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::os::fd::{AsRawFd, OwnedFd, RawFd};

use parking_lot::Mutex;

use enigma_vm::term::Term;

use super::inet::{self, errno, error, ok, AF_INET, AF_INET6};
use super::sock;
use super::sockopts;
use super::tcp_busy;
use super::tcp_io;
use super::tcp_packet;
use super::waiting::{int32, Active, Pending};
use super::{CommandFlags, Sent};

const REQ_CONNECT: u64 = 3;
const REQ_PEER: u64 = 4;
const REQ_GETSTAT: u64 = 11;
const REQ_GETFD: u64 = 14;
const REQ_ACCEPT: u64 = 26;
const REQ_LISTEN: u64 = 27;
const TCP_REQ_RECV: u64 = 42;
const TCP_REQ_SHUTDOWN: u64 = 44;

/// Driver options (`INET_LOPT_*`) and their defaults, as erl reports them
/// for a fresh TCP socket.
const LOPT_DEFAULTS: [(u8, i32); 15] = [
    (OPT_BUFFER, 1460),
    (OPT_HEADER, 0),
    (OPT_PACKET, 0),
    (OPT_MODE, 0),
    (25, 1),
    (OPT_EXIT_ON_CLOSE, 1),
    (27, 8192),
    (28, 4096),
    (30, -1),
    (31, 0),
    (OPT_PACKET_SIZE, 0),
    (35, 0),
    (36, 8192),
    (37, 4096),
    (39, 0),
];
pub(super) const OPT_BUFFER: u8 = 20;
pub(super) const OPT_HEADER: u8 = 21;
const OPT_ACTIVE: u8 = 22;
pub(super) const OPT_PACKET: u8 = 23;
pub(super) const OPT_MODE: u8 = 24;
pub(super) const OPT_EXIT_ON_CLOSE: u8 = 26;
pub(super) const OPT_PACKET_SIZE: u8 = 32;
pub(super) const OPT_SHOW_ECONNRESET: u8 = 39;
const OPT_READ_PACKETS: u8 = 33;
const OPT_NETNS: u8 = 38;

pub(super) const OPT_LINE_DELIMITER: u8 = 40;

/// Where the socket is in its life.
pub(super) enum Sock {
    /// None yet, or closed: requests answer `enotconn`.
    None,
    /// Made (and perhaps bound), neither listening nor connected.
    Open(OwnedFd),
    Listening(TcpListener),
    Connecting(OwnedFd),
    Connected(TcpStream),
}

/// Counters for `inet:getstat/2`.
#[derive(Default, Clone, Copy)]
pub(super) struct Stats {
    pub recv_oct: u64,
    pub recv_cnt: u32,
    pub recv_max: u32,
    pub send_oct: u64,
    pub send_cnt: u32,
    pub send_max: u32,
}

/// A TCP socket port's state, under its lock.
pub(super) struct State {
    family: u8,
    pub sock: Sock,
    /// Driver options set, by number (values as `i32`).
    opts: BTreeMap<u8, i32>,
    /// Socket options set before the socket exists (applied at `OPEN`).
    early: Vec<(u8, Vec<u8>)>,
    pub active: Active,
    /// Bytes read and not yet delivered.
    pub input: Vec<u8>,
    /// An http socket has read a request or status line and not yet the
    /// empty line after its headers (`inet_drv`'s `http_state`).
    pub in_headers: bool,
    /// Bytes accepted by `send` and not yet written.
    pub output: VecDeque<u8>,
    /// The send that made the port busy, and the commands that found it
    /// busy (`tcp_busy.rs`).
    pub busy: Option<tcp_busy::Busy>,
    pub blocked: VecDeque<tcp_busy::Blocked>,
    pub accepts: VecDeque<Pending>,
    pub recvs: VecDeque<Pending>,
    pub connect: Option<Pending>,
    next_ref: u16,
    /// The peer closed its side (a read found the end).
    pub eof: bool,
    /// A read failed with this errno.
    pub read_error: Option<&'static str>,
    /// `shutdown(write)` asked and not yet done (output still queued).
    pub shut_write: bool,
    /// The socket closed under the user: the next send (and receive)
    /// answers `closed` once, then `enotconn`, as the driver's
    /// `TCP_ADDF_DELAYED_CLOSE_*` flags do.
    pub closed_send: bool,
    pub closed_recv: bool,
    /// The socket (or, without `exit_on_close`, its read side) closed
    /// while passive and no `{tcp_closed, S}` was sent: made active, the
    /// socket sends it (and closes with `exit_on_close`), as the driver
    /// does.
    pub closed_passive: bool,
    /// `{tcp_closed, S}` was sent: the driver sends it once.
    pub close_sent: bool,
    pub stats: Stats,
}

/// A TCP socket port's driver.
pub(crate) struct Tcp {
    pub(super) number: u64,
    pub(super) state: Mutex<State>,
    pub(super) waker: sock::Waker,
}

impl State {
    fn new(family: u8, sock: Sock) -> State {
        State {
            family,
            sock,
            opts: BTreeMap::new(),
            early: Vec::new(),
            active: Active::Passive,
            input: Vec::new(),
            in_headers: false,
            output: VecDeque::new(),
            busy: None,
            blocked: VecDeque::new(),
            accepts: VecDeque::new(),
            recvs: VecDeque::new(),
            connect: None,
            next_ref: 0,
            eof: false,
            read_error: None,
            shut_write: false,
            closed_send: false,
            closed_recv: false,
            closed_passive: false,
            close_sent: false,
            stats: Stats::default(),
        }
    }

    /// The byte that ends a `{packet, line}` line (`line_delimiter`,
    /// which `setopts` sets and `getopts` does not read, as on erl).
    pub(super) fn line_delimiter(&self) -> u8 {
        self.opts
            .get(&OPT_LINE_DELIMITER)
            .and_then(|&v| u8::try_from(v).ok())
            .unwrap_or(b'\n')
    }

    /// Driver option `opt`'s value.
    pub(super) fn opt(&self, opt: u8) -> i32 {
        self.opts.get(&opt).copied().unwrap_or_else(|| {
            LOPT_DEFAULTS
                .iter()
                .find(|(o, _)| *o == opt)
                .map_or(0, |d| d.1)
        })
    }

    /// The socket's descriptor, if it has one.
    pub(super) fn fd(&self) -> Option<RawFd> {
        match &self.sock {
            Sock::None => None,
            Sock::Open(fd) | Sock::Connecting(fd) => Some(fd.as_raw_fd()),
            Sock::Listening(l) => Some(l.as_raw_fd()),
            Sock::Connected(s) => Some(s.as_raw_fd()),
        }
    }

    /// Whether `{linger, {true, 0}}` is set: closing resets the
    /// connection and drops what is queued.
    pub(super) fn linger_zero(&self) -> bool {
        self.fd()
            .and_then(|fd| sock::get_linger(fd).ok())
            .is_some_and(|l| l == (true, 0))
    }

    fn pending(&mut self, caller: Term, ms: i32, len: usize) -> Pending {
        Pending::new(&mut self.next_ref, caller, ms, len)
    }

    /// The socket closes under the user (the peer's end, a failed send or
    /// receive, an oversized packet): later requests answer `enotconn`.
    pub(super) fn lose(&mut self) {
        self.sock = Sock::None;
        self.input.clear();
        self.output.clear();
        self.closed_send = true;
        self.closed_recv = true;
    }

    /// The socket closes under the user with nothing said: later
    /// requests answer `enotconn` (`send_timeout_close`).
    pub(super) fn drop_socket(&mut self) {
        self.lose();
        self.closed_send = false;
        self.closed_recv = false;
    }

    /// The state an accepted socket starts with: the listening one's
    /// driver options and `active`.
    pub(super) fn accepted(&self, stream: TcpStream) -> State {
        let mut st = State::new(self.family, Sock::Connected(stream));
        st.opts = self.opts.clone();
        st.active = self.active;
        st
    }
}

impl Tcp {
    /// A fresh socket port's driver (no socket until `OPEN`).
    pub(crate) fn new(number: u64) -> std::io::Result<Tcp> {
        Tcp::with_state(number, State::new(AF_INET, Sock::None))
    }

    pub(super) fn with_state(number: u64, st: State) -> std::io::Result<Tcp> {
        Ok(Tcp {
            number,
            state: Mutex::new(st),
            waker: sock::Waker::new()?,
        })
    }

    /// Wakes the port's thread to look at its state again.
    fn wake(&self) {
        self.waker.wake();
    }

    /// Closes the socket at once unless output waits to be written (the
    /// port's thread then writes it and closes the socket).
    /// With `{linger, {true, 0}}` the socket is reset: what is queued is
    /// dropped and no `FIN` goes first, so the peer's receive answers
    /// `closed` (`econnreset` with `show_econnreset`), as on erl.
    pub(crate) fn close_now(&self) {
        let mut st = self.state.lock();
        let reset = st.linger_zero();
        if reset {
            st.output.clear();
        }
        if st.output.is_empty() {
            // The thread may be polling the socket, which keeps it open
            // past `close`: shut down, it stops listening or sends its end
            // now. A reset waits for the thread to leave `poll(2)` instead.
            if let Some(fd) = st.fd().filter(|_| !reset) {
                sock::shutdown_all(fd);
            }
            st.sock = Sock::None;
            drop(st);
            self.waker.settle();
        }
    }

    /// Answers control request `op` from `caller`.
    pub(crate) fn control(&self, caller: Term, op: u64, data: &[u8]) -> Vec<u8> {
        let mut st = self.state.lock();
        let reply = match op.wrapping_sub(inet::MAGIC) {
            inet::REQ_OPEN => open(&mut st, data),
            inet::REQ_BIND => bind(&st, data),
            REQ_LISTEN => listen(&mut st, data),
            REQ_CONNECT => connect(&mut st, caller, data),
            REQ_ACCEPT => match (&st.sock, int32(data, 0)) {
                (Sock::Listening(_), Some(ms)) => {
                    let p = st.pending(caller, ms, 0);
                    let r = p.reference;
                    st.accepts.push_back(p);
                    ok(&r.to_be_bytes())
                }
                (Sock::None, _) => error("closed"),
                _ => error("einval"),
            },
            TCP_REQ_RECV => recv(&mut st, self.number, caller, data),
            TCP_REQ_SHUTDOWN => shutdown(&mut st, data),
            inet::REQ_SETOPTS => return self.setopts(st, data),
            inet::REQ_GETOPTS => getopts(&st, data),
            inet::REQ_NAME => name(&st, false),
            REQ_PEER => name(&st, true),
            REQ_GETSTAT => getstat(&st, data),
            REQ_GETFD => match st.fd() {
                Some(fd) => ok(&fd.to_be_bytes()),
                None => error("einval"),
            },
            // `subs_empty_out_q`: the port's thread writes what is queued
            // when it closes, so closing need not wait.
            inet::REQ_SUBSCRIBE if data == [1] => ok(&[1, 0, 0, 0, 0]),
            2..=48 => error("enotsup"),
            _ => error("exbadport"),
        };
        drop(st);
        self.wake();
        reply
    }

    /// `SETOPTS`: socket options go to the socket, driver options are
    /// kept; `active` may deliver what is buffered at once, or
    /// `{tcp_passive, Port}` when `{active, N}` runs out.
    fn setopts(&self, mut st: parking_lot::MutexGuard<'_, State>, mut data: &[u8]) -> Vec<u8> {
        while let Some((&opt, rest)) = data.split_first() {
            let Some(n) = inet::value_len(opt, rest).filter(|&n| n <= rest.len()) else {
                return error("einval");
            };
            let value = &rest[..n];
            data = &rest[n..];
            let Some(v) = int32(value, 0) else {
                return error("einval");
            };
            if opt == OPT_ACTIVE {
                let Some((active, passive)) = st.active.set(value) else {
                    return error("einval");
                };
                st.active = active;
                if passive {
                    tcp_io::to_owner(self.number, tcp_io::Note::Passive, &st);
                }
            } else if opt == OPT_PACKET && tcp_packet::framing(v, false).is_none() {
                return error("einval");
            } else if sockopts::is_socket_option(opt) {
                match st.fd().and_then(|fd| sockopts::set(fd, opt, value)) {
                    Some(Err(e)) => return error(errno(&e)),
                    Some(Ok(())) => {}
                    None => st.early.push((opt, value.to_vec())),
                }
            } else {
                st.opts.insert(opt, v);
            }
        }
        tcp_io::deliver_ready(self.number, &mut st);
        drop(st);
        self.wake();
        ok(&[])
    }

    /// `port_command` on the socket from `caller`: queued or written, and
    /// answered `{inet_reply, Port, ok | {error, Reason}}`, or kept while
    /// the port is busy (`tcp_busy.rs`).
    pub(crate) fn send(&self, caller: Term, data: &[u8], flags: CommandFlags) -> Sent {
        let mut st = self.state.lock();
        let sent = tcp_busy::command(self.number, &mut st, caller, data, flags);
        drop(st);
        self.wake();
        sent
    }
}

/// `OPEN`: `[Family, Type]`; makes the socket.
fn open(st: &mut State, data: &[u8]) -> Vec<u8> {
    let family = match data.first() {
        Some(&f @ (AF_INET | AF_INET6)) => f,
        _ => return error("eafnosupport"),
    };
    if data.get(1) != Some(&1) {
        return error("eprotonosupport");
    }
    let fd = match sock::stream(family == AF_INET6) {
        Ok(fd) => fd,
        Err(e) => return error(errno(&e)),
    };
    for (opt, value) in std::mem::take(&mut st.early) {
        let _ = sockopts::set(fd.as_raw_fd(), opt, &value);
    }
    st.family = family;
    st.sock = Sock::Open(fd);
    ok(&[])
}

/// `BIND`: `[Family, PortHi, PortLo | Address]`; answers the port bound.
fn bind(st: &State, data: &[u8]) -> Vec<u8> {
    let Sock::Open(fd) = &st.sock else {
        return error("einval");
    };
    let Some(addr) = inet::parse_addr(data, st.family) else {
        return error("einval");
    };
    if let Err(e) = sock::bind(fd, &addr) {
        return error(errno(&e));
    }
    let s = socket_name(fd.as_raw_fd(), false);
    ok(&s.map_or(addr.port(), |a| a.port()).to_be_bytes())
}

/// The address of `fd`'s own end, or its peer's.
fn socket_name(fd: RawFd, peer: bool) -> Option<std::net::SocketAddr> {
    // The standard library asks `getsockname`/`getpeername` of a stream;
    // this one is borrowed, so it must not close the descriptor.
    // SAFETY: `fd` is open for the whole call and `ManuallyDrop` keeps
    // the borrowed stream from closing it.
    let s = std::mem::ManuallyDrop::new(unsafe {
        <TcpStream as std::os::fd::FromRawFd>::from_raw_fd(fd)
    });
    if peer {
        s.peer_addr().ok()
    } else {
        s.local_addr().ok()
    }
}

/// `LISTEN`: `[BacklogHi, BacklogLo]`.
fn listen(st: &mut State, data: &[u8]) -> Vec<u8> {
    let backlog = data
        .get(..2)
        .map_or(5, |b| i32::from(i16::from_be_bytes([b[0], b[1]])));
    match std::mem::replace(&mut st.sock, Sock::None) {
        Sock::Open(fd) => match sock::listen(&fd, backlog) {
            Ok(()) => {
                st.sock = Sock::Listening(TcpListener::from(fd));
                ok(&[])
            }
            Err(e) => {
                st.sock = Sock::Open(fd);
                error(errno(&e))
            }
        },
        Sock::None => error("enotconn"),
        other => {
            st.sock = other;
            error("einval")
        }
    }
}

/// `CONNECT`: `[Timeout32 | Address]`; answers a reference, the result
/// comes when the connection is made or fails.
fn connect(st: &mut State, caller: Term, data: &[u8]) -> Vec<u8> {
    let (Some(ms), Some(addr)) = (
        int32(data, 0),
        data.get(4..).and_then(|a| inet::parse_addr(a, st.family)),
    ) else {
        return error("einval");
    };
    let fd = match std::mem::replace(&mut st.sock, Sock::None) {
        Sock::Open(fd) => fd,
        Sock::None => return error("enotconn"),
        other => {
            st.sock = other;
            return error("eisconn");
        }
    };
    match sock::connect(&fd, &addr) {
        Ok(_) => {
            // Done or under way: the thread sees it writable either way.
            st.sock = Sock::Connecting(fd);
            let p = st.pending(caller, ms, 0);
            let r = p.reference;
            st.connect = Some(p);
            ok(&r.to_be_bytes())
        }
        Err(e) => {
            st.sock = Sock::Open(fd);
            error(errno(&e))
        }
    }
}

/// `TCP_REQ_RECV`: `[Timeout32, Length32]`.
fn recv(st: &mut State, number: u64, caller: Term, data: &[u8]) -> Vec<u8> {
    let (Some(ms), Some(len)) = (int32(data, 0), int32(data, 4)) else {
        return error("einval");
    };
    if !matches!(st.sock, Sock::Connected(_)) {
        if st.closed_recv {
            st.closed_recv = false;
            return error("closed");
        }
        return error("enotconn");
    }
    let framed = st.opt(OPT_PACKET) != 0;
    if st.active != Active::Passive || len < 0 || (framed && len != 0) {
        return error("einval");
    }
    let p = st.pending(caller, ms, usize::try_from(len).unwrap_or(0));
    let r = p.reference;
    st.recvs.push_back(p);
    tcp_io::deliver_ready(number, st);
    ok(&r.to_be_bytes())
}

/// `TCP_REQ_SHUTDOWN`: `[How]` (0 read, 1 write, 2 both); the write side
/// closes once what is queued is written.
fn shutdown(st: &mut State, data: &[u8]) -> Vec<u8> {
    let Sock::Connected(s) = &st.sock else {
        return error("enotconn");
    };
    let how = data.first().copied().unwrap_or(2);
    if how != 1 {
        if let Err(e) = s.shutdown(Shutdown::Read) {
            return error(errno(&e));
        }
    }
    if how != 0 {
        if st.output.is_empty() {
            if let Err(e) = s.shutdown(Shutdown::Write) {
                return error(errno(&e));
            }
        } else {
            st.shut_write = true;
        }
    }
    ok(&[])
}

/// `GETOPTS`: each option asked for with its value.
fn getopts(st: &State, data: &[u8]) -> Vec<u8> {
    let mut out = vec![1];
    for &opt in data {
        out.push(opt);
        if opt == OPT_ACTIVE {
            out.extend_from_slice(&st.active.encode());
        } else if sockopts::is_socket_option(opt) {
            out.pop();
            sockopts::get(st.fd(), opt, &mut out);
        } else if matches!(opt, OPT_READ_PACKETS | OPT_NETNS) {
            // UDP's, and a namespace never set: left out, as the driver.
            out.pop();
        } else if LOPT_DEFAULTS.iter().any(|(o, _)| *o == opt) {
            out.extend_from_slice(&st.opt(opt).to_be_bytes());
        } else {
            return error("einval");
        }
    }
    out
}

/// `NAME` / `PEER`: `[Family, PortHi, PortLo | Address]`.
fn name(st: &State, peer: bool) -> Vec<u8> {
    if peer && !matches!(st.sock, Sock::Connected(_)) {
        return error("enotconn");
    }
    match st.fd().and_then(|fd| socket_name(fd, peer)) {
        Some(a) => inet::addr_reply(a),
        None => error("einval"),
    }
}

/// `GETSTAT`: each counter asked for (octet counts in 64 bits).
fn getstat(st: &State, data: &[u8]) -> Vec<u8> {
    let s = &st.stats;
    let avg = |oct: u64, cnt: u32| {
        if cnt == 0 {
            0
        } else {
            (oct / u64::from(cnt)) as u32
        }
    };
    let mut out = vec![1];
    for &code in data {
        out.push(code);
        let v: u32 = match code {
            9 | 10 => {
                let oct = if code == 9 { s.recv_oct } else { s.send_oct };
                out.extend_from_slice(&oct.to_be_bytes());
                continue;
            }
            1 => s.recv_cnt,
            2 => s.recv_max,
            3 => avg(s.recv_oct, s.recv_cnt),
            5 => s.send_cnt,
            6 => s.send_max,
            7 => avg(s.send_oct, s.send_cnt),
            8 => st.output.len() as u32,
            4 => 0,
            _ => return error("einval"),
        };
        out.extend_from_slice(&v.to_be_bytes());
    }
    out
}

/// Frames `data` by the packet mode and writes it, queueing what the
/// socket does not take now.
pub(super) fn send_data(number: u64, st: &mut State, data: &[u8]) -> Result<(), &'static str> {
    if !matches!(st.sock, Sock::Connected(_)) {
        if st.closed_send {
            st.closed_send = false;
            return Err("closed");
        }
        return Err("enotconn");
    }
    let mut framed = Vec::with_capacity(data.len() + 4);
    // The driver writes the length's low bytes, whatever the length.
    match st.opt(OPT_PACKET) {
        1 => framed.push(data.len() as u8),
        2 => framed.extend_from_slice(&(data.len() as u16).to_be_bytes()),
        3 => framed.extend_from_slice(&(data.len() as u32).to_be_bytes()),
        _ => {}
    }
    framed.extend_from_slice(data);
    let s = &mut st.stats;
    s.send_oct += data.len() as u64;
    s.send_cnt = s.send_cnt.wrapping_add(1);
    s.send_max = s.send_max.max(data.len() as u32);
    let mut from = 0;
    if st.output.is_empty() {
        let Sock::Connected(stream) = &mut st.sock else {
            return Err("enotconn");
        };
        // One write, as the driver's one `writev`: what the socket does
        // not take now is queued (and may make the port busy).
        loop {
            match stream.write(&framed) {
                Ok(n) => from = n,
                Err(e) if e.kind() == ErrorKind::WouldBlock => {}
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) => return Err(tcp_io::write_failed(number, st, &e)),
            }
            break;
        }
    }
    st.output.extend(&framed[from..]);
    Ok(())
}
