//! The NIFs of erts' `prim_socket` (`prim_socket_nif.c`), under OTP's
//! `socket` module and the `socket` backend of `gen_tcp` and `gen_udp`.
//! `prim_socket.beam` is loaded unchanged (its `on_load` runs at its
//! first call: `enigma_kernel:service_call/3`); its `nif_*` stubs enter
//! these functions. A socket is a magic reference owning an
//! [`esock::Sock`]; a call that would block registers its caller with
//! [`select`] and answers `select` (or `{select, _}`), and the caller gets
//! `{'$socket', {'$socket', SockRef}, select, Handle}` when the socket is
//! ready, as BEAM's `enif_select` sends it.

use std::net::{Shutdown, SocketAddr};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use enigma_interp::port::esock::select::{self, Cancelled, Op};
use enigma_interp::port::esock::{self, Sock};
use enigma_vm::bif::BifEntry;
use enigma_vm::exception::Exception;
use enigma_vm::process::{Message, Process};
use enigma_vm::term::ids::fresh_ref_ids;
use enigma_vm::term::magic::Magic;
use enigma_vm::term::{Heap, Term};

use crate::bif::arg::entry;
use crate::bif::helpers::{atom, iodata_bytes, is_atom};

mod addr;
pub mod net;
mod opts;

const fn e(name: &'static str, arity: u32, f: enigma_vm::bif::BifFn) -> BifEntry {
    entry("prim_socket", name, arity, f)
}

/// The `prim_socket` NIFs.
pub const TABLE: &[BifEntry] = &[
    e("nif_info", 0, info_0),
    e("nif_info", 1, info_1),
    e("nif_supports", 0, opts::supports_0),
    e("nif_supports", 1, opts::supports_1),
    e("nif_command", 1, command_1),
    e("nif_open", 2, open_2),
    e("nif_open", 4, open_4),
    e("nif_bind", 2, bind_2),
    e("nif_connect", 1, connect_1),
    e("nif_connect", 3, connect_3),
    e("nif_listen", 2, listen_2),
    e("nif_accept", 2, accept_2),
    e("nif_send", 4, send_4),
    e("nif_sendto", 5, sendto_5),
    e("nif_recv", 4, recv_4),
    e("nif_recvfrom", 4, recvfrom_4),
    e("nif_close", 1, close_1),
    e("nif_finalize_close", 1, finalize_close_1),
    e("nif_shutdown", 2, shutdown_2),
    e("nif_setopt", 5, opts::setopt_5),
    e("nif_getopt", 3, opts::getopt_3),
    e("nif_sockname", 1, sockname_1),
    e("nif_peername", 1, peername_1),
    e("nif_cancel", 3, cancel_3),
];

/// Sockets open, by kind (`info/0`'s counters).
static COUNTS: [AtomicI64; 7] = [const { AtomicI64::new(0) }; 7];
const NUM_INET: usize = 0;
const NUM_INET6: usize = 1;
const NUM_STREAM: usize = 2;
const NUM_DGRAM: usize = 3;
const NUM_TCP: usize = 4;
const NUM_UDP: usize = 5;
const NUM_ALL: usize = 6;

/// Counts socket `s` in (`by` 1) or out (-1).
fn count(s: &Sock, by: i64) {
    let add = |i: usize| COUNTS[i].fetch_add(by, Ordering::Relaxed);
    add(NUM_ALL);
    add(if s.domain == libc::AF_INET6 {
        NUM_INET6
    } else {
        NUM_INET
    });
    match s.kind {
        libc::SOCK_STREAM => add(NUM_STREAM),
        libc::SOCK_DGRAM => add(NUM_DGRAM),
        _ => 0,
    };
    match s.protocol {
        libc::IPPROTO_TCP => add(NUM_TCP),
        libc::IPPROTO_UDP => add(NUM_UDP),
        _ => 0,
    };
}

/// The socket a reference owns (`badarg` for any other term).
fn sock(t: Term) -> Result<Arc<Magic>, Exception> {
    let m = t.as_magic().ok_or_else(Exception::badarg)?;
    m.get::<Sock>().ok_or_else(Exception::badarg)?;
    Ok(m)
}

/// The [`Sock`] in a magic reference [`sock`] checked.
fn get(m: &Magic) -> &Sock {
    m.get::<Sock>().expect("checked by sock()")
}

/// `{error, Reason}`.
fn error(p: &mut Process, reason: &str) -> Result<Term, Exception> {
    let r = atom(reason)?;
    Ok(p.heap.tuple(&[atom("error")?, r]))
}

/// `{error, Posix}` for an I/O error (`closed` on a closed socket).
fn io_error(p: &mut Process, e: &std::io::Error) -> Result<Term, Exception> {
    error(p, esock::errno_name(e))
}

/// `ok`, or `{error, Posix}`.
fn ok_or(p: &mut Process, r: std::io::Result<()>) -> Result<Term, Exception> {
    match r {
        Ok(()) => atom("ok"),
        Err(e) => io_error(p, &e),
    }
}

/// `{Tag, Value}`.
fn tagged(p: &mut Process, tag: &str, v: Term) -> Result<Term, Exception> {
    Ok(p.heap.tuple(&[atom(tag)?, v]))
}

/// `{'$socket', SockRef}`, the socket as `socket` shows it.
fn socket_term(h: &mut Heap, sref: Term) -> Result<Term, Exception> {
    Ok(h.tuple(&[atom("$socket")?, sref]))
}

/// Has the caller told when socket `sref` is ready for `op` (`Handle` the
/// select handle): registers it with [`select`], answers `select` (or
/// what `answer` makes of the atom).
fn wait(
    p: &mut Process,
    s: &Sock,
    sref: Term,
    op: Op,
    handle: Term,
    answer: impl FnOnce(&mut Process, Term) -> Result<Term, Exception>,
) -> Result<Term, Exception> {
    let fd = match s.with_fd(Ok) {
        Ok(fd) => fd,
        Err(e) => return io_error(p, &e),
    };
    let mut h = Heap::new();
    let st = socket_term(&mut h, sref)?;
    let ready = h.tuple(&[atom("$socket")?, st, atom("select")?, handle]);
    let why = h.tuple(&[handle, atom("closed")?]);
    let abort = h.tuple(&[atom("$socket")?, st, atom("abort")?, why]);
    let (Ok(ready), Ok(abort)) = (Message::copy(ready), Message::copy(abort)) else {
        return Err(Exception::badarg());
    };
    select::cancel(s.id, op, p.pid);
    if !select::add(s.id, fd, op, p.pid, ready, abort) {
        return error(p, "enomem");
    }
    let sel = atom("select")?;
    answer(p, sel)
}

/// The `socket_registry` process `prim_socket:on_load/1` started and
/// handed `erlang:load_nif/2` (`#{registry := Pid}`).
static REGISTRY: parking_lot::Mutex<Option<Term>> = parking_lot::Mutex::new(None);

/// Records the registry pid of `load_nif`'s `Extra` map for
/// `prim_socket`.
pub fn loaded(extra: Term) {
    let pid = atom("registry")
        .ok()
        .and_then(|k| extra.map_get(k))
        .filter(|t| t.as_local_pid().is_some());
    if pid.is_some() {
        *REGISTRY.lock() = pid;
    }
}

/// A call's error: `select` (the caller is told when the socket is
/// ready) if it would block, else `{error, Posix}`.
fn failed(
    p: &mut Process,
    s: &Sock,
    sref: Term,
    op: Op,
    handle: Term,
    e: &std::io::Error,
) -> Result<Term, Exception> {
    if e.kind() == std::io::ErrorKind::WouldBlock {
        wait(p, s, sref, op, handle, |_, sel| Ok(sel))
    } else {
        io_error(p, e)
    }
}

/// Counts a read of `n` bytes (`info/1`'s counters); the caller's wait
/// to read, if any, is over.
fn read_done(p: &Process, s: &Sock, n: usize) {
    select::cancel(s.id, Op::Recv, p.pid);
    let mut meta = s.meta.lock();
    meta.read_byte += n as u64;
    meta.read_pkg += 1;
}

/// Tells the socket registry (`socket:which_sockets/0`) of an opened
/// (`add`) or closed (`del`) socket.
fn registry(sref: Term, what: &str) -> Result<(), Exception> {
    let Some(reg) = *REGISTRY.lock() else {
        return Ok(());
    };
    let mut h = Heap::new();
    let st = socket_term(&mut h, sref)?;
    let msg = h.tuple(&[atom("$socket")?, atom(what)?, st]);
    if let Ok(m) = Message::copy(msg) {
        enigma_interp::sched::deliver(reg, m);
    }
    Ok(())
}

/// A new socket resource owned by `p`: `{ok, SockRef}`.
fn new_socket(p: &mut Process, s: Sock) -> Result<Term, Exception> {
    count(&s, 1);
    s.meta.lock().owner = Some(p.pid);
    let sref = p.heap.magic_ref(fresh_ref_ids(), Magic::new(s));
    registry(sref, "add")?;
    tagged(p, "ok", sref)
}

/// The system's number for a domain atom.
fn domain(t: Term) -> Option<i32> {
    match t.as_atom()?.name() {
        "inet" => Some(libc::AF_INET),
        "inet6" => Some(libc::AF_INET6),
        "local" => Some(libc::AF_UNIX),
        _ => None,
    }
}

/// The system's number for a type atom.
fn kind(t: Term) -> Option<i32> {
    match t.as_atom()?.name() {
        "stream" => Some(libc::SOCK_STREAM),
        "dgram" => Some(libc::SOCK_DGRAM),
        "seqpacket" => Some(libc::SOCK_SEQPACKET),
        "raw" => Some(libc::SOCK_RAW),
        _ => None,
    }
}

/// `nif_open(Domain, Type, Protocol, Opts)`.
fn open_4(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let d = domain(args[0]).or_else(|| i32::try_from(args[0].as_small()?).ok());
    let Some(d) = d else {
        return tagged(p, "invalid", atom("domain")?);
    };
    let k = kind(args[1]).or_else(|| i32::try_from(args[1].as_small()?).ok());
    let Some(k) = k else {
        return tagged(p, "invalid", atom("type")?);
    };
    let proto = args[2]
        .as_small()
        .and_then(|n| i32::try_from(n).ok())
        .ok_or_else(Exception::badarg)?;
    if args[3].map_size().is_none() {
        return Err(Exception::badarg());
    }
    match Sock::open(d, k, proto) {
        Ok(s) => new_socket(p, s),
        Err(e) => io_error(p, &e),
    }
}

/// `nif_open(FD, Opts)`: a socket of a descriptor is not supported.
fn open_2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    if args[0].as_small().is_none() || args[1].map_size().is_none() {
        return Err(Exception::badarg());
    }
    error(p, "enotsup")
}

/// `nif_bind(SockRef, SockAddr)`.
fn bind_2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let m = sock(args[0])?;
    let s = get(&m);
    let Some(a) = addr::decode(args[1]) else {
        return tagged(p, "invalid", atom("sockaddr")?);
    };
    let r = s.bind(&a);
    if r.is_ok() {
        s.meta.lock().bound = true;
    }
    ok_or(p, r)
}

/// `nif_listen(SockRef, Backlog)`.
fn listen_2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let m = sock(args[0])?;
    let s = get(&m);
    let backlog = args[1]
        .as_small()
        .and_then(|n| i32::try_from(n).ok())
        .ok_or_else(Exception::badarg)?;
    let r = s.listen(backlog);
    if r.is_ok() {
        s.meta.lock().listening = true;
    }
    ok_or(p, r)
}

/// `nif_accept(LSockRef, Ref)`: `{ok, SockRef}`, `select` or an error.
fn accept_2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let m = sock(args[0])?;
    let s = get(&m);
    if s.is_open() && !s.meta.lock().listening {
        return error(p, "einval");
    }
    match s.accept() {
        Ok(n) => {
            select::cancel(s.id, Op::Accept, p.pid);
            {
                let mut meta = n.meta.lock();
                meta.connected = true;
                meta.bound = true;
            }
            new_socket(p, n)
        }
        Err(e) => failed(p, s, args[0], Op::Accept, args[1], &e),
    }
}

/// `nif_connect(SockRef, ConnectRef, SockAddr)`: `ok`, `select` (under
/// way: `nif_connect/1` ends it once the select message came) or an
/// error.
fn connect_3(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let m = sock(args[0])?;
    let s = get(&m);
    let Some(a) = addr::decode(args[2]) else {
        return tagged(p, "invalid", atom("sockaddr")?);
    };
    // A second call while connecting (`gen_tcp_socket` calls again
    // after the select message) asks the system again: `EISCONN` once
    // connected, `EALREADY` while under way, else the connect's error.
    let again = s.meta.lock().connecting;
    let r = match s.connect(&a) {
        Err(e) if again && e.raw_os_error() == Some(libc::EISCONN) => Ok(true),
        Err(e) if again && e.raw_os_error() == Some(libc::EALREADY) => Ok(false),
        r => r,
    };
    match r {
        Ok(true) => {
            let mut meta = s.meta.lock();
            meta.connecting = false;
            meta.connected = true;
            drop(meta);
            select::cancel(s.id, Op::Connect, p.pid);
            atom("ok")
        }
        Ok(false) => {
            s.meta.lock().connecting = true;
            wait(p, s, args[0], Op::Connect, args[1], |_, sel| Ok(sel))
        }
        Err(e) => {
            s.meta.lock().connecting = false;
            io_error(p, &e)
        }
    }
}

/// `nif_connect(SockRef)`: how the connect under way ended.
fn connect_1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let m = sock(args[0])?;
    let s = get(&m);
    if !s.meta.lock().connecting {
        return error(p, "einval");
    }
    let r = match s.take_error() {
        Ok(None) => Ok(()),
        Ok(Some(e)) | Err(e) => Err(e),
    };
    {
        let mut meta = s.meta.lock();
        meta.connecting = false;
        meta.connected = r.is_ok();
    }
    ok_or(p, r)
}

/// Bytes of the data argument of a send (`badarg` for anything else).
fn data(t: Term) -> Result<Vec<u8>, Exception> {
    iodata_bytes(t).ok_or_else(Exception::badarg)
}

/// Flags as the system numbers them (`prim_socket` encoded them).
fn flags(t: Term) -> Result<i32, Exception> {
    t.as_small()
        .and_then(|n| i32::try_from(n).ok())
        .ok_or_else(Exception::badarg)
}

/// What a send answers for `n` of `len` bytes written (or its error).
fn sent(
    p: &mut Process,
    s: &Sock,
    sref: Term,
    op: Op,
    handle: Term,
    r: std::io::Result<usize>,
    len: usize,
) -> Result<Term, Exception> {
    match r {
        Ok(n) => {
            {
                let mut meta = s.meta.lock();
                meta.write_byte += n as u64;
                meta.write_pkg += 1;
            }
            select::cancel(s.id, op, p.pid);
            if n >= len {
                return atom("ok");
            }
            let w = Term::small(n as i64);
            wait(p, s, sref, op, handle, |p, sel| Ok(p.heap.tuple(&[sel, w])))
        }
        Err(e) => failed(p, s, sref, op, handle, &e),
    }
}

/// `nif_send(SockRef, Data, Flags, SendRef)`.
fn send_4(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let m = sock(args[0])?;
    let s = get(&m);
    let bytes = data(args[1])?;
    let f = flags(args[2])?;
    let r = s.send(&bytes, f);
    sent(p, s, args[0], Op::Send, args[3], r, bytes.len())
}

/// `nif_sendto(SockRef, Data, Dest, Flags, SendRef)`.
fn sendto_5(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let m = sock(args[0])?;
    let s = get(&m);
    let bytes = data(args[1])?;
    flags(args[3])?;
    let Some(to) = addr::decode(args[2]) else {
        return tagged(p, "invalid", atom("sockaddr")?);
    };
    let r = s.send_to(&bytes, &to);
    sent(p, s, args[0], Op::Send, args[4], r, bytes.len())
}

/// A receive's length argument: 0 or more.
fn length(t: Term) -> Result<usize, Exception> {
    t.as_small()
        .and_then(|n| usize::try_from(n).ok())
        .ok_or_else(Exception::badarg)
}

/// `nif_recv(SockRef, Length, Flags, RecvRef)`: `{ok, Bin}` (`Length`
/// bytes, or what there was for 0), `{more, Bin}` (0, and the buffer
/// filled), `{select, Bin}` (part of `Length`), `select`, or an error
/// (`closed` at the end of the stream).
fn recv_4(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let m = sock(args[0])?;
    let s = get(&m);
    let len = length(args[1])?;
    let f = flags(args[2])?;
    let bufsz = s.meta.lock().rcvbuf;
    let want = if len == 0 { bufsz } else { len };
    let dgram = s.kind != libc::SOCK_STREAM;
    match s.recv(want, f) {
        Ok(b) if b.is_empty() && !dgram && want > 0 => {
            select::cancel(s.id, Op::Recv, p.pid);
            error(p, "closed")
        }
        Ok(b) => {
            read_done(p, s, b.len());
            let bin = p.heap.binary(&b);
            if dgram || b.len() == len {
                tagged(p, "ok", bin)
            } else if len == 0 {
                tagged(
                    p,
                    if more(s, b.len() == bufsz) {
                        "more"
                    } else {
                        "ok"
                    },
                    bin,
                )
            } else {
                wait(p, s, args[0], Op::Recv, args[3], |p, sel| {
                    Ok(p.heap.tuple(&[sel, bin]))
                })
            }
        }
        Err(e) => failed(p, s, args[0], Op::Recv, args[3], &e),
    }
}

/// Whether a `recv` of length 0 that read `full` (the whole buffer)
/// answers `{more, Bin}`: with `{otp, rcvbuf}` set to `{N, Size}`, up to
/// N reads in a row do; one read otherwise.
fn more(s: &Sock, full: bool) -> bool {
    let mut meta = s.meta.lock();
    let n = meta.rcvbuf_count.unwrap_or(1);
    if full && meta.more_reads + 1 < n {
        meta.more_reads += 1;
        true
    } else {
        meta.more_reads = 0;
        false
    }
}

/// `nif_recvfrom(SockRef, Length, Flags, RecvRef)`: `{ok, {Source,
/// Bin}}`, `select` or an error.
fn recvfrom_4(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let m = sock(args[0])?;
    let s = get(&m);
    let len = length(args[1])?;
    let f = flags(args[2])?;
    let want = if len == 0 { s.meta.lock().rcvbuf } else { len };
    match s.recv_from(want, f & libc::MSG_PEEK != 0) {
        Ok((b, from)) => {
            read_done(p, s, b.len());
            let bin = p.heap.binary(&b);
            let src = addr::encode(&mut p.heap, &from)?;
            let pair = p.heap.tuple(&[src, bin]);
            tagged(p, "ok", pair)
        }
        Err(e) => failed(p, s, args[0], Op::Recv, args[3], &e),
    }
}

/// `nif_close(SockRef)`: closes the socket at once (`ok`, then
/// `nif_finalize_close/1`); processes waiting on it get their abort
/// message; `{error, closed}` if it was closed.
fn close_1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let m = sock(args[0])?;
    let s = get(&m);
    let Some(waiters) = s.close() else {
        return error(p, "closed");
    };
    count(s, -1);
    for w in waiters {
        if w.pid != p.pid {
            enigma_interp::sched::deliver(w.pid, w.abort);
        }
    }
    registry(args[0], "del")?;
    atom("ok")
}

/// `nif_finalize_close(SockRef)`: nothing left to do.
fn finalize_close_1(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    sock(args[0])?;
    atom("ok")
}

/// `nif_shutdown(SockRef, How)`.
fn shutdown_2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let m = sock(args[0])?;
    let how = match args[1].as_atom().map(|a| a.name()) {
        Some("read") => Shutdown::Read,
        Some("write") => Shutdown::Write,
        Some("read_write") => Shutdown::Both,
        _ => {
            let how = p.heap.tuple(&[atom("how")?, args[1]]);
            let why = p.heap.tuple(&[atom("invalid")?, how]);
            return Err(Exception::error(why));
        }
    };
    let r = get(&m).shutdown(how);
    ok_or(p, r)
}

/// `{ok, SockAddr}` or an error.
fn name(p: &mut Process, r: std::io::Result<SocketAddr>) -> Result<Term, Exception> {
    match r {
        Ok(a) => {
            let t = addr::encode(&mut p.heap, &a)?;
            tagged(p, "ok", t)
        }
        Err(e) => io_error(p, &e),
    }
}

/// `nif_sockname(SockRef)`.
fn sockname_1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let m = sock(args[0])?;
    let r = get(&m).sockname();
    name(p, r)
}

/// `nif_peername(SockRef)`.
fn peername_1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let m = sock(args[0])?;
    let r = get(&m).peername();
    name(p, r)
}

/// `nif_cancel(SockRef, Op, Handle)`: `ok` when the caller's wait was
/// dropped, `select_sent` when its message went already (`socket` then
/// flushes it), `not_found` for neither, `{error, closed}` on a closed
/// socket.
fn cancel_3(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let m = sock(args[0])?;
    let s = get(&m);
    let op = match args[1].as_atom().map(|a| a.name()) {
        Some("accept") => Op::Accept,
        Some("connect") => Op::Connect,
        Some("send" | "sendto" | "sendmsg") => Op::Send,
        Some("recv" | "recvfrom" | "recvmsg") => Op::Recv,
        _ => return Err(Exception::badarg()),
    };
    if !s.is_open() {
        return error(p, "closed");
    }
    if op == Op::Connect {
        s.meta.lock().connecting = false;
    }
    match select::cancel(s.id, op, p.pid) {
        Cancelled::Waiting => atom("ok"),
        Cancelled::Sent => atom("select_sent"),
        Cancelled::NotFound => atom("not_found"),
    }
}

/// `nif_command(Command)`: the debug switches, which change nothing here.
fn command_1(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    if args[0].map_size().is_none() {
        return Err(Exception::badarg());
    }
    atom("ok")
}

/// `nif_info()`: the global counters and switches.
fn info_0(p: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    let c = |i: usize| Term::small(COUNTS[i].load(Ordering::Relaxed));
    let zero = Term::small(0);
    let counters = p.heap.map_from_pairs(&[
        (atom("num_cnt_bits")?, Term::small(64)),
        (atom("num_dinet")?, c(NUM_INET)),
        (atom("num_dinet6")?, c(NUM_INET6)),
        (atom("num_dlocal")?, zero),
        (atom("num_pip")?, zero),
        (atom("num_psctp")?, zero),
        (atom("num_ptcp")?, c(NUM_TCP)),
        (atom("num_pudp")?, c(NUM_UDP)),
        (atom("num_sockets")?, c(NUM_ALL)),
        (atom("num_tdgrams")?, c(NUM_DGRAM)),
        (atom("num_tseqpkgs")?, zero),
        (atom("num_tstreams")?, c(NUM_STREAM)),
    ]);
    let f = atom("false")?;
    Ok(p.heap.map_from_pairs(&[
        (atom("counters")?, counters),
        (atom("debug")?, f),
        (atom("iov_max")?, Term::small(1024)),
        (atom("iow")?, f),
        (atom("socket_debug")?, f),
        (atom("use_registry")?, atom("true")?),
    ]))
}

/// `nif_info(SockRef)`: the socket's kind, owner, states and counters.
fn info_1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let m = sock(args[0])?;
    let s = get(&m);
    let open = s.is_open();
    let (owner, rstates, wstates, cnt) = {
        let meta = s.meta.lock();
        let mut r = Vec::new();
        let mut w = Vec::new();
        if !open {
            r.push("closed");
            w.push("closed");
        } else {
            if meta.bound {
                r.push("bound");
            }
            if meta.listening {
                r.push("listening");
            }
            if meta.connected {
                w.push("connected");
            }
            if meta.connecting {
                w.push("connecting");
            }
        }
        let cnt = [
            meta.read_byte,
            meta.read_pkg,
            meta.write_byte,
            meta.write_pkg,
        ];
        (meta.owner, r, w, cnt)
    };
    let n = |v: u64| Term::small(v as i64);
    let zero = Term::small(0);
    let counters = p.heap.map_from_pairs(&[
        (atom("acc_fails")?, zero),
        (atom("acc_success")?, zero),
        (atom("acc_tries")?, zero),
        (atom("acc_waits")?, zero),
        (atom("read_byte")?, n(cnt[0])),
        (atom("read_fails")?, zero),
        (atom("read_pkg")?, n(cnt[1])),
        (atom("read_pkg_max")?, zero),
        (atom("read_tries")?, zero),
        (atom("read_waits")?, zero),
        (atom("write_byte")?, n(cnt[2])),
        (atom("write_fails")?, zero),
        (atom("write_pkg")?, n(cnt[3])),
        (atom("write_pkg_max")?, zero),
        (atom("write_tries")?, zero),
        (atom("write_waits")?, zero),
    ]);
    let atoms = |p: &mut Process, v: &[&str]| -> Result<Term, Exception> {
        let t: Vec<Term> = v.iter().map(|a| atom(a)).collect::<Result<_, _>>()?;
        Ok(p.heap.list(&t))
    };
    let r = atoms(p, &rstates)?;
    let w = atoms(p, &wstates)?;
    let waiting = |op: Op| Term::small(select::count(s.id, op) as i64);
    let pairs = [
        (atom("counters")?, counters),
        (atom("ctype")?, atom("normal")?),
        (atom("domain")?, opts::domain_atom(s.domain)?),
        (atom("num_acceptors")?, waiting(Op::Accept)),
        (atom("num_readers")?, waiting(Op::Recv)),
        (atom("num_writers")?, waiting(Op::Send)),
        (atom("owner")?, owner.unwrap_or(p.pid)),
        (atom("protocol")?, Term::small(i64::from(s.protocol))),
        (atom("rstates")?, r),
        (atom("type")?, opts::type_atom(s.kind)?),
        (atom("wstates")?, w),
    ];
    Ok(p.heap.map_from_pairs(&pairs))
}

/// Whether `t` is the atom `true` or `false`, as a boolean.
fn boolean(t: Term) -> Option<bool> {
    if is_atom(t, "true") {
        Some(true)
    } else if is_atom(t, "false") {
        Some(false)
    } else {
        None
    }
}
