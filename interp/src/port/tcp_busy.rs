//! A TCP socket port's busy state, as `inet_drv`'s watermarks and
//! `send_timeout` make it (session 23).
//!
//! A send that finds output queued and leaves the queue at or over
//! `high_watermark` makes the port busy: its `{inet_reply, S, _}` is held
//! until the port's thread has written the queue down to
//! `low_watermark` (`ok`) or `send_timeout` has passed (`{error,
//! timeout}`, and with `send_timeout_close` the socket closes); with
//! `send_timeout` 0 it is answered `timeout` at once and the port is not
//! made busy. The data is queued either way. While the port is busy,
//! `erlang:port_command/2,3` from any process waits: BEAM suspends the
//! caller until the port is no longer busy; here the BIF answers a
//! reference, which `erlang.erl` waits on (`receive {Ref, Res}`), and the
//! command is kept and taken when the port stops being busy, `{Ref,
//! true}` then sent (`{Ref, badarg}` if the port closes first). With
//! `nosuspend` it answers `false` (`gen_tcp:send/2` with it: `{error,
//! busy}`); with `force` the data is taken at once. A system monitor
//! watching `busy_port` is told of each command that waits.

use std::time::{Duration, Instant};

use enigma_vm::process::Message;
use enigma_vm::term::{Heap, Term};

use super::tcp::{send_data, State};
use super::tcp_io::{reply, Reply, Res};
use super::{CommandFlags, Sent};
use crate::sched::{self, atom, pid_number};

const OPT_HIGH_WATERMARK: u8 = 27;
const OPT_LOW_WATERMARK: u8 = 28;
const OPT_SEND_TIMEOUT: u8 = 30;
const OPT_SEND_TIMEOUT_CLOSE: u8 = 35;

/// The send that made the port busy: whose reply is held, until when.
pub(super) struct Busy {
    caller: Term,
    deadline: Option<Instant>,
}

/// A command that found the port busy: taken when it is no longer.
pub(super) struct Blocked {
    caller: Term,
    /// The reference the BIF answered, `{Ref, Result}` sent when done.
    reference: [u32; 3],
    data: Vec<u8>,
}

/// `port_command` from `caller` on a socket in state `st`.
pub(super) fn command(
    number: u64,
    st: &mut State,
    caller: Term,
    data: &[u8],
    flags: CommandFlags,
) -> Sent {
    if st.busy.is_some() && !flags.force {
        if flags.nosuspend {
            return Sent::Busy;
        }
        let reference = enigma_vm::term::ids::fresh_ref_ids();
        busy_port_event(number, caller);
        st.blocked.push_back(Blocked {
            caller,
            reference,
            data: data.to_vec(),
        });
        return Sent::Later(reference);
    }
    take(number, st, caller, data);
    Sent::Done
}

/// Sends `data` and answers `caller`, or holds the answer and makes the
/// port busy (`inet_drv`'s `tcp_sendv`).
fn take(number: u64, st: &mut State, caller: Term, data: &[u8]) {
    let was_queued = !st.output.is_empty();
    let res = match send_data(number, st, data) {
        Err(why) => Res::Err(why),
        Ok(()) if was_queued && st.output.len() >= watermark(st, OPT_HIGH_WATERMARK) => {
            let ms = st.opt(OPT_SEND_TIMEOUT);
            if ms == 0 {
                Res::Err("timeout")
            } else {
                match &mut st.busy {
                    // Forced past the busy state: the driver's one held
                    // reply goes to its last caller.
                    Some(b) => b.caller = caller,
                    None => {
                        let deadline = u64::try_from(ms)
                            .ok()
                            .map(|ms| Instant::now() + Duration::from_millis(ms));
                        st.busy = Some(Busy { caller, deadline });
                    }
                }
                return;
            }
        }
        Ok(()) => Res::Ok,
    };
    reply(number, caller, Reply::Inet(res), st);
}

fn watermark(st: &State, opt: u8) -> usize {
    usize::try_from(st.opt(opt)).unwrap_or(0)
}

/// The busy send's deadline, if any.
pub(super) fn deadline(st: &State) -> Option<Instant> {
    st.busy.as_ref().and_then(|b| b.deadline)
}

/// After the port's thread wrote: a queue down to `low_watermark` ends
/// the busy state.
pub(super) fn drained(number: u64, st: &mut State) {
    if st.busy.is_some() && st.output.len() <= watermark(st, OPT_LOW_WATERMARK) {
        unbusy(number, st, Res::Ok);
    }
}

/// `send_timeout` passed for the busy send: `{error, timeout}`, and with
/// `send_timeout_close` the socket closes (later requests: `enotconn`).
pub(super) fn expire(number: u64, st: &mut State, now: Instant) {
    if deadline(st).is_some_and(|d| d <= now) {
        if let Some(b) = st.busy.take() {
            reply(number, b.caller, Reply::Inet(Res::Err("timeout")), st);
        }
        if st.opt(OPT_SEND_TIMEOUT_CLOSE) != 0 {
            st.drop_socket();
        }
        unbusy(number, st, Res::Ok);
    }
}

/// The port is no longer busy: the held send gets `res`, then the
/// commands that waited are taken in order until one makes it busy again.
fn unbusy(number: u64, st: &mut State, res: Res) {
    if let Some(b) = st.busy.take() {
        reply(number, b.caller, Reply::Inet(res), st);
    }
    while st.busy.is_none() {
        let Some(b) = st.blocked.pop_front() else {
            return;
        };
        answer(&b, atom("true"));
        take(number, st, b.caller, &b.data);
    }
}

/// The port closed: the held send gets `{error, closed}`, the commands
/// that waited `badarg` (what BEAM's retried `port_command` answers).
pub(super) fn closed(number: u64, st: &mut State) {
    if let Some(b) = st.busy.take() {
        reply(number, b.caller, Reply::Inet(Res::Err("closed")), st);
    }
    for b in std::mem::take(&mut st.blocked) {
        answer(&b, atom("badarg"));
    }
}

/// `{Ref, Result}` to a command's caller.
fn answer(b: &Blocked, result: Term) {
    let mut h = Heap::new();
    let r = h.local_ref(&b.reference);
    let msg = h.tuple(&[r, result]);
    if let (Some(n), Ok(m)) = (pid_number(b.caller), Message::copy(msg)) {
        sched::with(|s| s.deliver_to(n, m));
    }
}

/// `{monitor, Caller, busy_port, Port}` to the system monitor watching
/// `busy_port` (not about itself), as BEAM sends when it suspends a
/// process on a busy port.
fn busy_port_event(number: u64, caller: Term) {
    let Some(to) = enigma_vm::gc::monitor::settings()
        .filter(|m| m.busy_port && m.pid != caller)
        .and_then(|m| pid_number(m.pid))
    else {
        return;
    };
    let mut h = Heap::new();
    let msg = h.tuple(&[
        atom("monitor"),
        caller,
        atom("busy_port"),
        Term::port(number),
    ]);
    if let Ok(m) = Message::copy(msg) {
        sched::with(|s| s.deliver_to(to, m));
    }
}
