//! Messages: `send`, and the receive loop (`loop_rec`, `loop_rec_end`,
//! `remove_message`, `wait`, `wait_timeout`, `timeout`, receive markers).
//!
//! The scan position is `Process::recv_cursor`. Receive markers
//! (`Process::recv_markers`, see [`enigma_vm::recv_marker`]) let a
//! receive on a fresh reference start its scan after the messages that
//! were queued before the reference was made.

use enigma_vm::code::{Fail, Reg, Src, Target};
use enigma_vm::exception::Exception;
use enigma_vm::process::Message;
use enigma_vm::recv_marker::RefKey;
use enigma_vm::saved_calls::SavedCall;
use enigma_vm::term::{Kind, Term};

use enigma_vm::atom::Atom;
use enigma_vm::term::fun::Export;

use crate::instr::except::Head;
use crate::run::{Outcome, Run, Step, Stop};
use crate::sched;

impl Run<'_> {
    /// The `send` instruction: BEAM's calls `erlang:send/2`, which a
    /// process saving its calls saves.
    pub(crate) fn send_instr(&mut self) -> Step {
        if self.export_floor != 0 {
            if let Ok(send) = Atom::intern("send") {
                let e = Export::get_or_create(Atom::ERLANG, send, 2);
                self.p.save_call(SavedCall::Export(e));
            }
        }
        self.send()
    }

    /// `send`: x1 to x0; x0 becomes x1.
    pub(crate) fn send(&mut self) -> Step {
        let (to, msg) = (self.x[0], self.x[1]);
        self.reduce();
        if to.as_local_port().is_some() {
            crate::port::send_message(to, msg);
            self.x[0] = msg;
            return Ok(());
        }
        let dest = sched::destination(to);
        if crate::trace::active() {
            let me = self.p.pid;
            let delivered = match dest {
                Ok(Some(pid)) => sched::is_alive(pid),
                Ok(None) => to.kind() != Kind::Pid,
                Err(()) => true,
            };
            sched::with(|s| s.trace_send(me, msg, to, delivered));
        }
        let pid = match dest {
            Ok(Some(pid)) => pid,
            Ok(None) => {
                self.x[0] = msg;
                return Ok(());
            }
            Err(()) => {
                // BEAM reports the `send` instruction as `erlang:send/2`.
                let send = Atom::intern("send").map_err(|_| Exception::system_limit())?;
                let e = Export::get_or_create(Atom::ERLANG, send, 2);
                let ex = Exception::badarg();
                let frame = self.bif_frame(e, &[to, msg], &ex);
                return Err(Stop::Raise(ex, Head::FrameThenCurrent(frame)));
            }
        };
        // A name registered to a port.
        if pid.as_local_port().is_some() {
            crate::port::send_message(pid, msg);
            self.x[0] = msg;
            return Ok(());
        }
        self.p.save_call(SavedCall::Send);
        if pid == self.p.pid {
            // Sent by pid or name, the message is not copied, as on BEAM;
            // to one of its aliases it is, as BEAM copies it then.
            let m = if to.kind() == Kind::Ref {
                Message::send(msg).map_err(|_| Exception::badarg())?
            } else {
                Message::to_self(self.p, msg)
            };
            if crate::trace::active() {
                if let Some(n) = sched::pid_number(self.p.pid) {
                    sched::with(|s| s.trace_receive(n, m.term));
                }
            }
            sched::send_to_self(self.p, m);
        } else {
            let m = Message::send(msg).map_err(|_| Exception::badarg())?;
            sched::deliver(pid, m);
        }
        self.x[0] = msg;
        Ok(())
    }

    /// `loop_rec`: the current message into `dst`, or jump to `fail` when
    /// every message has been looked at.
    /// Messages sent by processes on other schedulers during this slice
    /// are taken in when the scan reaches the end of the queue.
    pub(crate) fn loop_rec(&mut self, fail: Fail, dst: Reg) -> Step {
        let cursor = self.p.recv_cursor;
        if cursor >= self.p.mailbox.len() && !sched::absorb_inbox(self.p) {
            if let Some(t) = fail.target() {
                self.goto(t);
            }
            return Ok(());
        }
        if let Some(m) = self.p.mailbox.get(cursor) {
            let t = m.term;
            self.set(dst, t);
        }
        Ok(())
    }

    /// `loop_rec_end`: next message.
    pub(crate) fn loop_rec_end(&mut self, target: Target) {
        self.p.recv_cursor += 1;
        self.goto(target);
    }

    /// `remove_message`: the current message leaves the queue; its heap
    /// fragment, if it holds anything, joins the process's.
    pub(crate) fn remove_message(&mut self) {
        if let Some(k) = self.p.recv_timer.take() {
            sched::cancel_timer(k.get());
        }
        self.p.recv_forever = false;
        if self.export_floor != 0 {
            self.p.save_call(SavedCall::Receive);
        }
        if !self.p.recv_markers.is_empty() {
            self.p.recv_markers.removed(self.p.recv_cursor);
        }
        if let Some(m) = self.p.mailbox.remove(self.p.recv_cursor) {
            // An immediate's fragment holds nothing.
            if m.fragment.words_used() > 0 {
                self.p.add_fragment(m.fragment);
            }
        }
        self.p.recv_cursor = 0;
    }

    /// `wait` / `wait_timeout`: suspend until a message arrives (resuming
    /// at `target`) or the timeout passes (resuming after this
    /// instruction). Messages already in the mailbox do not count: the
    /// `loop_rec` before looked at them all, or the `receive` has no
    /// clauses (`receive after T`) and ignores them.
    pub(crate) fn wait(&mut self, target: Target, timeout: Option<Src>) -> Step {
        // A timer already running (or an `infinity` already read) belongs
        // to this `receive`: its operand (whose register no longer holds
        // it) is not read again.
        let timeout = timeout.filter(|_| self.p.recv_timer.is_none() && !self.p.recv_forever);
        let ms = match timeout.map(|s| self.get(s)) {
            None => None,
            Some(t) if t == Term::atom(enigma_vm::atom::Atom::INFINITY) => {
                self.p.recv_forever = true;
                None
            }
            Some(t) => match t.as_small() {
                Some(0) => return Ok(()),
                // OTP 25 takes at most 2^32 - 1 ms (erl_process.h
                // `ERTS_TMO_MAX`) in `receive ... after`.
                Some(n) if n > 0 && n <= u32::MAX as i64 => Some(n as u64),
                _ => {
                    let reason = Term::atom(
                        enigma_vm::atom::Atom::intern("timeout_value")
                            .map_err(|_| Exception::system_limit())?,
                    );
                    return Err(Exception::error(reason).into());
                }
            },
        };
        // Switched out with no X register live: a safe point; and idle,
        // so the memory kept for the next collection goes.
        self.safe_point(0);
        self.p.release_spare();
        Err(Stop::Done(Outcome::Waiting {
            id: self.id,
            on_message: target,
            on_timeout: self.pc(),
            timeout_ms: ms,
        }))
    }

    /// `timeout`: the `receive` ended by its timer.
    pub(crate) fn timeout(&mut self) {
        if self.export_floor != 0 {
            self.p.save_call(SavedCall::Timeout);
        }
        self.p.recv_timer = None;
        self.p.recv_cursor = 0;
    }

    /// `recv_marker_reserve`: a marker at the end of the mailbox; its id.
    pub(crate) fn recv_marker_reserve(&mut self, dst: Reg) {
        let id = self.p.recv_markers.reserve(self.p.mailbox.len());
        self.set(dst, Term::small(id as i64));
    }

    /// `recv_marker_bind`: the marker belongs to `reference` (a local
    /// reference; anything else keeps no marker).
    pub(crate) fn recv_marker_bind(&mut self, marker: Src, reference: Src) {
        let (marker, reference) = (self.get(marker), self.get(reference));
        if let (Some(id), Some(r)) = (marker.as_small(), RefKey::of(reference)) {
            self.p.recv_markers.bind(id as u64, r);
        }
    }

    /// `recv_marker_use`: the receive that follows starts at the marker
    /// of `reference`, if it has one.
    pub(crate) fn recv_marker_use(&mut self, reference: Src) {
        if self.p.recv_markers.is_empty() {
            return;
        }
        if let Some(pos) =
            RefKey::of(self.get(reference)).and_then(|r| self.p.recv_markers.position(r))
        {
            self.p.recv_cursor = pos.min(self.p.mailbox.len());
        }
    }

    /// `recv_marker_clear`: the marker of `reference` is no longer needed.
    pub(crate) fn recv_marker_clear(&mut self, reference: Src) {
        if self.p.recv_markers.is_empty() {
            return;
        }
        if let Some(r) = RefKey::of(self.get(reference)) {
            self.p.recv_markers.clear(r);
        }
    }
}
