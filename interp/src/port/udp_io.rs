//! UDP data through the `udp_inet` stand-in (`inet.rs` answers its host
//! look-ups and options): `gen_udp:send/4` (`port_command` with the
//! destination before the data, answered `{inet_reply, Port, Status}`),
//! `gen_udp:recv/2,3` (`PACKET_REQ_RECV`, answered `{inet_async, Port,
//! Ref, {ok, [Family, PortHi, PortLo, Address.. | Data]}}`), and active
//! mode (`{udp, Port, IP, InPort, Data}`, `{udp_passive, Port}`).
//!
//! Datagrams are read without blocking when someone wants them (the
//! socket is active or a receive waits); a thread of the port's own,
//! started the first time that happens, waits for more in `poll(2)`.

use std::collections::VecDeque;
use std::io::ErrorKind;
use std::net::{IpAddr, SocketAddr, UdpSocket};
use std::os::fd::AsRawFd;
use std::sync::Arc;
use std::time::Instant;

use parking_lot::Mutex;

use enigma_vm::term::{Heap, Term};

use super::inet::{self, errno, error, ok, Udp};
use super::sock::{self, Waker};
use super::tcp_io::{reply_shaped, start_thread, to_owner_with, Reply, Res, Shape};
use super::waiting::{int32, Active, Pending};
use crate::sched::atom;

const REQ_CONNECT: u64 = 3;
const REQ_PEER: u64 = 4;
const PACKET_REQ_RECV: u64 = 60;
const OPT_ACTIVE: u8 = 22;
const OPT_MODE: u8 = 24;

/// A UDP socket port's state, under its lock.
#[derive(Default)]
pub(crate) struct UdpState {
    udp: Udp,
    active: Active,
    recvs: VecDeque<Pending>,
    next_ref: u16,
    /// Whether the port's thread runs.
    started: bool,
}

/// A UDP socket port's driver.
pub(crate) struct UdpPort {
    number: u64,
    state: Mutex<UdpState>,
    pub(super) waker: Waker,
}

impl UdpState {
    fn shape(&self) -> Shape {
        Shape {
            binary: self
                .udp
                .opts
                .get(&OPT_MODE)
                .is_some_and(|v| v == &[0, 0, 0, 1]),
            header: 0,
        }
    }

    /// Keeps `active` in the stand-in's options as `GETOPTS` answers it.
    fn sync_active(&mut self) {
        let active = self.active.encode();
        self.udp.opts.insert(OPT_ACTIVE, active);
    }

    /// Whether someone waits for datagrams.
    fn wants(&self) -> bool {
        self.udp.socket.is_some() && (self.active != Active::Passive || !self.recvs.is_empty())
    }
}

impl UdpPort {
    pub(crate) fn new(number: u64) -> std::io::Result<UdpPort> {
        Ok(UdpPort {
            number,
            state: Mutex::new(UdpState::default()),
            waker: Waker::new()?,
        })
    }

    /// Answers control request `op` from `caller`.
    pub(crate) fn control(self: &Arc<Self>, caller: Term, op: u64, data: &[u8]) -> Vec<u8> {
        let mut st = self.state.lock();
        st.sync_active();
        let reply = match op.wrapping_sub(inet::MAGIC) {
            PACKET_REQ_RECV => match (int32(data, 0), int32(data, 4)) {
                _ if st.udp.socket.is_none() => error("enotconn"),
                (Some(ms), Some(len)) if len >= 0 && st.active == Active::Passive => {
                    let p = Pending::new(&mut st.next_ref, caller, ms, 0);
                    let r = p.reference;
                    st.recvs.push_back(p);
                    ok(&r.to_be_bytes())
                }
                _ => error("einval"),
            },
            REQ_CONNECT => self.connect(&mut st, caller, data),
            REQ_PEER => match st.udp.socket.as_ref().map(UdpSocket::peer_addr) {
                Some(Ok(a)) => inet::addr_reply(a),
                Some(Err(e)) => error(errno(&e)),
                None => error("enotconn"),
            },
            inet::REQ_SETOPTS => match self.set_active(&mut st, data) {
                Ok(()) => st.udp.control(op, data),
                Err(()) => error("einval"),
            },
            _ => st.udp.control(op, data),
        };
        st.sync_active();
        pump(self.number, &mut st);
        if st.wants() && !st.started {
            st.started = start(self.clone());
        }
        drop(st);
        self.waker.wake();
        reply
    }

    /// `CONNECT`: `[Timeout32 | Address]`; the socket sends there by
    /// default and hears only from there. Done at once, answered with a
    /// reference and `{inet_async, Port, Ref, ok}`, as the driver does.
    fn connect(&self, st: &mut UdpState, caller: Term, data: &[u8]) -> Vec<u8> {
        let to = data
            .get(4..)
            .and_then(|a| inet::parse_addr(a, inet::AF_INET));
        let (Some(sock), Some(to)) = (&st.udp.socket, to) else {
            return error("einval");
        };
        if let Err(e) = sock.connect(to) {
            return error(errno(&e));
        }
        let p = Pending::new(&mut st.next_ref, caller, -1, 0);
        reply_shaped(
            self.number,
            caller,
            Reply::Async(p.reference, Res::Ok),
            st.shape(),
        );
        ok(&p.reference.to_be_bytes())
    }

    /// Closes the socket at once (the port closed).
    pub(crate) fn close_now(&self) {
        self.state.lock().udp.socket = None;
        self.waker.settle();
    }

    /// Applies the `active` options among `data`'s.
    fn set_active(&self, st: &mut UdpState, mut data: &[u8]) -> Result<(), ()> {
        while let Some((&opt, rest)) = data.split_first() {
            let n = inet::value_len(opt, rest)
                .filter(|&n| n <= rest.len())
                .ok_or(())?;
            if opt == OPT_ACTIVE {
                let (active, passive) = st.active.set(&rest[..n]).ok_or(())?;
                st.active = active;
                if passive {
                    passive_note(self.number);
                }
            }
            data = &rest[n..];
        }
        Ok(())
    }

    /// `port_command` from `caller`: `[Family, PortHi, PortLo, Address..,
    /// AncLen32, Anc.. | Data]`, sent to that address; answered
    /// `{inet_reply, Port, Status}`.
    pub(crate) fn send(&self, caller: Term, data: &[u8]) {
        let st = self.state.lock();
        let res = match send_to(&st.udp, data) {
            Ok(()) => Res::Ok,
            Err(why) => Res::Err(why),
        };
        reply_shaped(self.number, caller, Reply::Inet(res), st.shape());
    }
}

/// Sends one datagram as `port_command`'s data asks.
fn send_to(udp: &Udp, data: &[u8]) -> Result<(), &'static str> {
    let Some(sock) = &udp.socket else {
        return Err("enotconn");
    };
    let addr_len = match data.first() {
        Some(&inet::AF_INET) => 7,
        Some(&inet::AF_INET6) => 19,
        _ => 3,
    };
    let to = inet::parse_addr(data, inet::AF_INET).ok_or("einval")?;
    let anc = int32(data, addr_len)
        .and_then(|n| usize::try_from(n).ok())
        .ok_or("einval")?;
    let body = data.get(addr_len + 4 + anc..).ok_or("einval")?;
    // `gen_udp:send/2` names `{any, 0}`: the connected peer.
    let sent = if to.port() == 0 && to.ip().is_unspecified() {
        match sock.peer_addr() {
            Ok(_) => sock.send(body),
            Err(_) => return Err("einval"),
        }
    } else {
        sock.send_to(body, to)
    };
    match sent {
        Ok(_) => Ok(()),
        // A full send buffer drops the datagram, as UDP may.
        Err(e) if e.kind() == ErrorKind::WouldBlock => Ok(()),
        Err(e) => Err(errno(&e)),
    }
}

/// `{udp_passive, Port}` to the connected process.
fn passive_note(number: u64) {
    to_owner_with(number, |h, port| h.tuple(&[atom("udp_passive"), port]));
}

/// An address as the term `{udp, _, IP, _, _}` carries.
fn ip_term(h: &mut Heap, ip: IpAddr) -> Term {
    let parts: Vec<Term> = match ip {
        IpAddr::V4(a) => a
            .octets()
            .iter()
            .map(|&b| Term::small(i64::from(b)))
            .collect(),
        IpAddr::V6(a) => a
            .segments()
            .iter()
            .map(|&w| Term::small(i64::from(w)))
            .collect(),
    };
    h.tuple(&parts)
}

/// Reads and delivers datagrams while someone wants them.
fn pump(number: u64, st: &mut UdpState) {
    let mut buf = vec![0u8; 65536];
    while st.wants() {
        let Some(sock) = &st.udp.socket else {
            return;
        };
        let (n, from): (usize, SocketAddr) = match sock.recv_from(&mut buf) {
            Ok(x) => x,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) if e.kind() == ErrorKind::WouldBlock => return,
            // An error the socket reports (`econnrefused` after a
            // connected send found no one) answers a waiting receive.
            Err(e) => {
                if let Some(p) = st.recvs.pop_front() {
                    let res = Res::Err(errno(&e));
                    reply_shaped(number, p.caller, Reply::Async(p.reference, res), st.shape());
                    continue;
                }
                return;
            }
        };
        // A datagram longer than `buffer` is cut to it, as the driver's.
        let data = &buf[..n.min(st.udp.buffer())];
        let shape = st.shape();
        if st.active == Active::Passive {
            let Some(p) = st.recvs.pop_front() else {
                return;
            };
            let head = inet::addr_reply(from)[1..].to_vec();
            let res = Res::Datagram(head, data.to_vec());
            reply_shaped(number, p.caller, Reply::Async(p.reference, res), shape);
            continue;
        }
        to_owner_with(number, |h, port| {
            let ip = ip_term(h, from.ip());
            let d = shape.term(h, data);
            let in_port = Term::small(i64::from(from.port()));
            h.tuple(&[atom("udp"), port, ip, in_port, d])
        });
        let (active, passive) = st.active.after_message();
        st.active = active;
        if passive {
            passive_note(number);
        }
    }
}

/// Answers the receives whose time is up with `timeout`.
fn expire(number: u64, st: &mut UdpState) {
    let now = Instant::now();
    let shape = st.shape();
    let (late, keep): (Vec<_>, Vec<_>) = st
        .recvs
        .drain(..)
        .partition(|p| p.deadline.is_some_and(|d| d <= now));
    st.recvs.extend(keep);
    for p in late {
        let res = Res::Err("timeout");
        reply_shaped(number, p.caller, Reply::Async(p.reference, res), shape);
    }
}

/// Starts port `u`'s thread; false if it could not start.
fn start(u: Arc<UdpPort>) -> bool {
    start_thread("udp-port", move || run(&u))
}

fn run(u: &UdpPort) {
    while !u.waker.is_closed() {
        let (fd, events, timeout) = {
            let st = u.state.lock();
            // A socket nobody waits on is not polled: an error it holds
            // would end every poll at once.
            let (fd, events) = match &st.udp.socket {
                Some(s) if st.wants() => (s.as_raw_fd(), libc::POLLIN),
                _ => (-1, 0),
            };
            let deadline = st.recvs.iter().filter_map(|p| p.deadline).min();
            (fd, events, sock::timeout_ms(deadline))
        };
        u.waker.wait(fd, events, timeout);
        if u.waker.is_closed() {
            break;
        }
        let mut st = u.state.lock();
        pump(u.number, &mut st);
        expire(u.number, &mut st);
    }
    let mut st = u.state.lock();
    let shape = st.shape();
    for p in std::mem::take(&mut st.recvs) {
        let res = Res::Err("closed");
        reply_shaped(u.number, p.caller, Reply::Async(p.reference, res), shape);
    }
}
