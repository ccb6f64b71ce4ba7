//! The I/O thread of a TCP socket port (`tcp.rs`), and how it cuts what
//! it reads into packets and messages.
//!
//! The thread waits in `poll(2)` for what the port's state asks (a
//! connection to finish, one to accept, room to write, data to read while
//! the socket is active or a receive waits) or for its wake pipe, then
//! does what it can without blocking and delivers the results. When the
//! port closes it fails what still waits with `closed`, writes what is
//! queued (for up to ten seconds) and closes the socket.

use std::io::{ErrorKind, Read, Write};
use std::net::Shutdown;
use std::sync::Arc;
use std::time::{Duration, Instant};

use enigma_vm::atom::Atom;
use enigma_vm::process::Message;
use enigma_vm::term::{Heap, Term};

use super::tcp::{Sock, State, Tcp, OPT_EXIT_ON_CLOSE, OPT_HEADER, OPT_MODE, OPT_SHOW_ECONNRESET};
use super::tcp_busy;
use super::tcp_packet::{take, Packet};
use super::waiting::{Active, Pending};
use super::{sock, Driver};
use crate::sched::{self, atom, pid_number};

/// A result carried by `{inet_async, Port, Ref, Result}` or
/// `{inet_reply, Port, Result}`.
pub(super) enum Res {
    Ok,
    /// A packet a TCP socket cut from its input.
    Packet(Packet),
    /// A datagram: its source address's bytes, then its data.
    Datagram(Vec<u8>, Vec<u8>),
    Port(u64),
    Err(&'static str),
}

/// A reply to the process that asked.
pub(super) enum Reply {
    Async(u16, Res),
    Inet(Res),
}

/// A message to the port's connected process.
pub(super) enum Note {
    Packet(Packet),
    Closed,
    Error(&'static str),
    Passive,
}

/// How data is shown: a binary (`binary` mode, its first `header` bytes
/// as a list before it) or a byte list.
#[derive(Clone, Copy)]
pub(super) struct Shape {
    pub binary: bool,
    pub header: usize,
}

impl Shape {
    fn of(st: &State) -> Shape {
        Shape {
            binary: st.opt(OPT_MODE) == 1,
            header: usize::try_from(st.opt(OPT_HEADER)).unwrap_or(0),
        }
    }

    pub(super) fn term(self, h: &mut Heap, d: &[u8]) -> Term {
        let byte = |b: &u8| Term::small(i64::from(*b));
        if !self.binary || d.len() <= self.header && self.header > 0 {
            let items: Vec<Term> = d.iter().map(byte).collect();
            return h.list(&items);
        }
        if self.header == 0 {
            return h.binary(d);
        }
        let items: Vec<Term> = d[..self.header].iter().map(byte).collect();
        let rest = h.binary(&d[self.header..]);
        h.list_with_tail(&items, rest)
    }
}

impl Res {
    fn term(self, h: &mut Heap, port: Term, shape: Shape) -> Term {
        match self {
            Res::Ok => atom("ok"),
            Res::Packet(p) => {
                let d = p.term(h, port, shape);
                h.tuple(&[atom("ok"), d])
            }
            Res::Port(n) => h.tuple(&[atom("ok"), Term::port(n)]),
            Res::Datagram(from, d) => {
                let tail = if shape.binary {
                    h.binary(&d)
                } else {
                    let items: Vec<Term> = d.iter().map(|&b| Term::small(i64::from(b))).collect();
                    h.list(&items)
                };
                let head: Vec<Term> = from.iter().map(|&b| Term::small(i64::from(b))).collect();
                let v = h.list_with_tail(&head, tail);
                h.tuple(&[atom("ok"), v])
            }
            Res::Err(e) => h.tuple(&[atom("error"), atom(e)]),
        }
    }
}

/// Sends `reply` about port `number` to `to`.
pub(super) fn reply(number: u64, to: Term, reply: Reply, st: &State) {
    reply_shaped(number, to, reply, Shape::of(st));
}

/// Sends `reply` about port `number` to `to`, its data shown as `shape`.
pub(super) fn reply_shaped(number: u64, to: Term, reply: Reply, shape: Shape) {
    let port = Term::port(number);
    let mut h = Heap::new();
    let msg = match reply {
        Reply::Async(r, res) => {
            let res = res.term(&mut h, port, shape);
            h.tuple(&[atom("inet_async"), port, Term::small(i64::from(r)), res])
        }
        Reply::Inet(res) => {
            let res = res.term(&mut h, port, shape);
            h.tuple(&[atom("inet_reply"), port, res])
        }
    };
    if let (Some(n), Ok(m)) = (pid_number(to), Message::copy(msg)) {
        sched::with(|s| s.deliver_to(n, m));
    }
}

/// Sends `note` to port `number`'s connected process (nothing if the
/// port is closed).
pub(super) fn to_owner(number: u64, note: Note, st: &State) {
    to_owner_then(number, note, st, |_| {});
}

/// [`to_owner`], then `after` in the same critical section.
fn to_owner_then(number: u64, note: Note, st: &State, after: impl FnOnce(&mut sched::Sched)) {
    let shape = Shape::of(st);
    to_owner_with_then(
        number,
        |h, port| match note {
            Note::Packet(p) => p.message(h, port, shape),
            Note::Closed => h.tuple(&[atom("tcp_closed"), port]),
            Note::Error(e) => h.tuple(&[atom("tcp_error"), port, atom(e)]),
            Note::Passive => h.tuple(&[atom("tcp_passive"), port]),
        },
        after,
    );
}

/// Sends what `build` makes of the port's term to port `number`'s
/// connected process (nothing if the port is closed).
pub(super) fn to_owner_with(number: u64, build: impl FnOnce(&mut Heap, Term) -> Term) {
    to_owner_with_then(number, build, |_| {});
}

/// [`to_owner_with`], then `after` in the same critical section.
fn to_owner_with_then(
    number: u64,
    build: impl FnOnce(&mut Heap, Term) -> Term,
    after: impl FnOnce(&mut sched::Sched),
) {
    let mut h = Heap::new();
    let msg = build(&mut h, Term::port(number));
    let m = Message::copy(msg).ok();
    sched::with(|s| {
        let owner = s.ports.get(&number).and_then(|p| pid_number(p.owner));
        if let (Some(n), Some(m)) = (owner, m) {
            s.deliver_to(n, m);
        }
        after(s);
    });
}

/// Delivers what the state allows: packets to waiting receives (passive)
/// or to the connected process (active), and the end of the stream or a
/// read error once nothing more can be delivered.
pub(super) fn deliver_ready(number: u64, st: &mut State) {
    loop {
        if st.active == Active::Passive {
            let Some(want) = st.recvs.front().map(|p| p.len) else {
                return;
            };
            let res = match take(st, want) {
                Ok(Some(p)) => {
                    count_recv(st, p.len());
                    Res::Packet(p)
                }
                Ok(None) if st.eof || st.read_error.is_some() => {
                    let why = st.read_error.filter(|_| !st.eof).unwrap_or("closed");
                    st.closed_passive = !st.close_sent;
                    if st.opt(OPT_EXIT_ON_CLOSE) == 0 {
                        // Only the read side closes: later receives
                        // answer `closed`, sends go on.
                        read_closed(st);
                    } else {
                        lose(st);
                        st.closed_recv = false;
                    }
                    Res::Err(why)
                }
                Ok(None) => return,
                Err(why) => {
                    lose(st);
                    st.closed_recv = false;
                    Res::Err(why)
                }
            };
            if let Some(p) = st.recvs.pop_front() {
                reply(number, p.caller, Reply::Async(p.reference, res), st);
            }
            // After an error, later receives answer `enotconn`.
            if !matches!(st.sock, Sock::Connected(_)) {
                fail_all(number, st, "enotconn");
                return;
            }
            continue;
        }
        if std::mem::take(&mut st.closed_passive) {
            return close_active(number, st, None);
        }
        match take(st, 0) {
            Ok(Some(p)) => {
                count_recv(st, p.len());
                to_owner(number, Note::Packet(p), st);
                let (active, passive) = st.active.after_message();
                st.active = active;
                if passive {
                    to_owner(number, Note::Passive, st);
                }
            }
            Ok(None) if (st.eof || st.read_error.is_some()) && !st.close_sent => {
                let why = st.read_error.filter(|_| !st.eof);
                return close_active(number, st, why);
            }
            Ok(None) => return,
            Err(why) => return close_active(number, st, Some(why)),
        }
    }
}

fn count_recv(st: &mut State, n: usize) {
    let s = &mut st.stats;
    s.recv_cnt = s.recv_cnt.wrapping_add(1);
    s.recv_max = s.recv_max.max(n as u32);
}

/// The socket closes under the user.
fn lose(st: &mut State) {
    st.lose();
    st.eof = false;
    st.read_error = None;
}

/// Without `exit_on_close`, the stream's end closes only the read side
/// (`inet_drv`'s `desc_close_read`): receives answer `closed` from then
/// on, sends go on until one fails, and the send after that failure
/// answers `closed` too.
fn read_closed(st: &mut State) {
    st.input.clear();
    st.eof = true;
    st.read_error = None;
    st.closed_send = true;
}

/// A write failed with `e`: the socket closes under the user, as after
/// `inet_drv`'s `tcp_send_error`. An active socket sends `{tcp_closed,
/// S}` unless it did (and its port closes with `exit_on_close`); a
/// passive one answers the next receive `closed`, and says `tcp_closed`
/// when made active. The answer to the send: `closed`, or `econnreset`
/// for a reset with `show_econnreset`.
pub(super) fn write_failed(number: u64, st: &mut State, e: &std::io::Error) -> &'static str {
    let why = if e.raw_os_error() == Some(libc::ECONNRESET) && st.opt(OPT_SHOW_ECONNRESET) != 0 {
        "econnreset"
    } else {
        "closed"
    };
    // A read side closed before leaves one more `closed` for the next send.
    let delayed = st.closed_send;
    lose(st);
    if st.active == Active::Passive {
        st.closed_passive = !st.close_sent;
    } else {
        st.closed_recv = false;
        if !st.close_sent {
            if why != "closed" {
                to_owner(number, Note::Error(why), st);
            }
            // The driver's `driver_exit(port, 0)`: reason `normal`.
            close_active(number, st, None);
        }
    }
    st.closed_send = delayed;
    why
}

/// An active socket's stream ended (or failed with `why`):
/// `{tcp_error, Port, Why}` (a reset only if asked), `{tcp_closed, Port}`,
/// and with `exit_on_close` the port closes as `inet_drv`'s
/// `driver_exit(port, err)` closes it: unlinked from its owner first, with
/// reason `normal` at the stream's end or after a failed write, and the
/// error's atom after a read error (`Sched::port_driver_exit`).
fn close_active(number: u64, st: &mut State, why: Option<&'static str>) {
    if let Some(e) = why.filter(|&e| e != "closed") {
        to_owner(number, Note::Error(e), st);
    }
    let exit = st.opt(OPT_EXIT_ON_CLOSE) != 0;
    st.close_sent = true;
    match st.sock {
        Sock::Connected(_) if why.is_none() && !exit => read_closed(st),
        // Lost already (a failed write, a passive receive): its flags stay.
        Sock::None => {}
        _ => lose(st),
    }
    // A failed write ("closed") ends it as `normal`, as the driver's.
    let reason = why
        .filter(|&e| e != "closed")
        .map_or(Term::atom(Atom::NORMAL), atom);
    // In one critical section with `tcp_closed`: a process that has seen
    // it finds the port closed (`einval`), as after the driver's exit; a
    // request between the two found the port and then a lost socket, and
    // `setopts` answered `ok` (OTP's ssl then waited for data that never
    // came: `recv` timed out instead of `{error, closed}`).
    to_owner_then(number, Note::Closed, st, |s| {
        if exit {
            s.port_driver_exit(number, reason);
            s.flush_signals();
        }
    });
}

/// Answers every waiting request with `{error, why}`.
fn fail_all(number: u64, st: &mut State, why: &'static str) {
    let waiting: Vec<_> = st
        .accepts
        .drain(..)
        .chain(st.recvs.drain(..))
        .chain(st.connect.take())
        .collect();
    for p in waiting {
        reply(
            number,
            p.caller,
            Reply::Async(p.reference, Res::Err(why)),
            st,
        );
    }
}

/// Starts port `t`'s thread; false if it could not start.
pub(super) fn start(t: Arc<Tcp>) -> bool {
    start_thread("tcp-port", move || run(&t))
}

/// Starts a socket port's thread `body`, counted as a source of messages
/// while it runs; false if it could not start.
pub(super) fn start_thread(name: &str, body: impl FnOnce() + Send + 'static) -> bool {
    sched::external_source(true);
    let started = std::thread::Builder::new()
        .name(name.into())
        .spawn(move || {
            body();
            sched::external_source(false);
        })
        .is_ok();
    if !started {
        sched::external_source(false);
    }
    started
}

/// What the thread waits for: the socket, its events, the poll timeout.
fn interest(st: &State) -> (i32, i16, i32) {
    let deadline = st
        .accepts
        .iter()
        .chain(st.recvs.iter())
        .chain(st.connect.iter())
        .filter_map(|p| p.deadline)
        .chain(tcp_busy::deadline(st))
        .min();
    let timeout = sock::timeout_ms(deadline);
    let events = match &st.sock {
        Sock::Connecting(_) => libc::POLLOUT,
        Sock::Listening(_) if !st.accepts.is_empty() => libc::POLLIN,
        Sock::Connected(_) => {
            let mut ev = 0;
            if !st.output.is_empty() {
                ev |= libc::POLLOUT;
            }
            if wants_read(st) {
                ev |= libc::POLLIN;
            }
            ev
        }
        _ => 0,
    };
    // A socket nobody waits on is not polled: its errors and hang-ups
    // would end every poll at once.
    let fd = if events == 0 {
        -1
    } else {
        st.fd().unwrap_or(-1)
    };
    (fd, events, timeout)
}

/// Whether someone waits for data the socket may still give.
fn wants_read(st: &State) -> bool {
    !st.eof && st.read_error.is_none() && (st.active != Active::Passive || !st.recvs.is_empty())
}

fn run(t: &Tcp) {
    while !t.waker.is_closed() {
        let (fd, events, timeout) = interest(&t.state.lock());
        let revents = t.waker.wait(fd, events, timeout);
        if t.waker.is_closed() {
            break;
        }
        step(t, revents);
    }
    let mut st = t.state.lock();
    fail_all(t.number, &mut st, "closed");
    tcp_busy::closed(t.number, &mut st);
    if st.linger_zero() {
        st.output.clear();
    }
    flush(&mut st);
    st.sock = Sock::None;
}

/// Does what the socket allows now, then what has timed out.
fn step(t: &Tcp, revents: i16) {
    let mut st = t.state.lock();
    let st = &mut *st;
    let number = t.number;
    match &st.sock {
        Sock::Connecting(fd) if revents != 0 => {
            let err = sock::get_int(
                std::os::fd::AsRawFd::as_raw_fd(fd),
                libc::SOL_SOCKET,
                libc::SO_ERROR,
            )
            .unwrap_or(libc::EINVAL);
            let res = if err == 0 {
                if let Sock::Connecting(fd) = std::mem::replace(&mut st.sock, Sock::None) {
                    st.sock = Sock::Connected(sock::into_stream(fd));
                }
                Res::Ok
            } else {
                st.sock = Sock::None;
                Res::Err(super::inet::errno(&std::io::Error::from_raw_os_error(err)))
            };
            if let Some(p) = st.connect.take() {
                reply(number, p.caller, Reply::Async(p.reference, res), st);
            }
        }
        Sock::Listening(_) => accept_ready(number, st),
        Sock::Connected(_) => {
            write_ready(st);
            tcp_busy::drained(number, st);
            if wants_read(st) {
                read_ready(st);
            }
            deliver_ready(number, st);
        }
        _ => {}
    }
    expire(number, st);
}

/// Accepts connections while someone waits for one: each becomes a port
/// connected to (and linked with) the process that asked.
fn accept_ready(number: u64, st: &mut State) {
    while let Some(caller) = st.accepts.front().map(|p| p.caller) {
        let Sock::Listening(l) = &st.sock else {
            return;
        };
        let stream = match l.accept() {
            Ok((s, _)) => s,
            Err(e) if e.kind() == ErrorKind::WouldBlock => return,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => {
                let why = super::inet::errno(&e);
                if let Some(p) = st.accepts.pop_front() {
                    reply(
                        number,
                        p.caller,
                        Reply::Async(p.reference, Res::Err(why)),
                        st,
                    );
                }
                continue;
            }
        };
        if stream.set_nonblocking(true).is_err() {
            continue;
        }
        // A caller that died meanwhile gets no port; its request goes.
        let res = match super::open_tcp(caller, st.accepted(stream)) {
            Some(n) => Res::Port(n),
            None => Res::Err("closed"),
        };
        if let Some(p) = st.accepts.pop_front() {
            reply(number, p.caller, Reply::Async(p.reference, res), st);
        }
    }
}

/// Writes what is queued, as far as the socket takes it; then the write
/// side's shutdown if one waits.
fn write_ready(st: &mut State) {
    let Sock::Connected(s) = &mut st.sock else {
        return;
    };
    let mut failed = false;
    while !st.output.is_empty() {
        let (front, _) = st.output.as_slices();
        match s.write(front) {
            Ok(n) => {
                st.output.drain(..n);
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) if e.kind() == ErrorKind::WouldBlock => break,
            Err(_) => {
                failed = true;
                break;
            }
        }
    }
    if failed {
        st.output.clear();
        st.read_error.get_or_insert("closed");
    } else if st.shut_write && st.output.is_empty() {
        st.shut_write = false;
        let _ = s.shutdown(Shutdown::Write);
    }
}

/// Reads what is there (up to a megabyte at a time).
fn read_ready(st: &mut State) {
    // A reset ends the stream as a close does unless `show_econnreset`.
    let show_reset = st.opt(OPT_SHOW_ECONNRESET) != 0;
    let Sock::Connected(s) = &mut st.sock else {
        return;
    };
    let mut buf = [0u8; 65536];
    let mut got = 0;
    while got < 1 << 20 {
        match s.read(&mut buf) {
            Ok(0) => {
                st.eof = true;
                break;
            }
            Ok(n) => {
                got += n;
                st.input.extend_from_slice(&buf[..n]);
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) if e.kind() == ErrorKind::WouldBlock => break,
            Err(e) if e.raw_os_error() == Some(libc::ECONNRESET) && !show_reset => {
                st.eof = true;
                break;
            }
            Err(e) => {
                st.read_error = Some(super::inet::errno(&e));
                break;
            }
        }
    }
    st.stats.recv_oct += got as u64;
}

/// Answers the requests whose time is up with `timeout`; a connection
/// that timed out is dropped.
fn expire(number: u64, st: &mut State) {
    let now = Instant::now();
    tcp_busy::expire(number, st, now);
    let due = |p: &Pending| p.deadline.is_some_and(|d| d <= now);
    let mut gone = Vec::new();
    for q in [&mut st.accepts, &mut st.recvs] {
        let (late, keep): (Vec<_>, Vec<_>) = q.drain(..).partition(due);
        q.extend(keep);
        gone.extend(late);
    }
    if st.connect.as_ref().is_some_and(due) {
        gone.extend(st.connect.take());
        st.sock = Sock::None;
    }
    for p in gone {
        reply(
            number,
            p.caller,
            Reply::Async(p.reference, Res::Err("timeout")),
            st,
        );
    }
}

/// Writes what is queued before the socket closes, for up to ten seconds.
fn flush(st: &mut State) {
    let until = Instant::now() + Duration::from_secs(10);
    while !st.output.is_empty() && Instant::now() < until {
        let Some(fd) = st.fd() else {
            return;
        };
        sock::poll(&[(fd, libc::POLLOUT)], 100);
        let before = st.output.len();
        write_ready(st);
        if st.read_error.is_some() && st.output.len() == before {
            return;
        }
    }
}

impl Driver {
    /// Ends a socket driver's thread when its port closes.
    pub(super) fn closed(&self) {
        match self {
            Driver::Tcp(t) => t.waker.close(),
            Driver::Udp(u) => u.waker.close(),
        }
    }
}
