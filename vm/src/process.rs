//! The Erlang process: identity, heap and the Erlang call stack. BIFs reach
//! the process's heap and identity through it; the interpreter keeps the
//! process's stack here (never on the native stack), so deep recursion
//! grows this struct, not the Rust stack.

use std::collections::VecDeque;

use crate::few::Few;
use crate::pdict::Dictionary;
use crate::term::{Heap, Term};

/// One Erlang process.
pub struct Process {
    /// Its pid (a local pid immediate).
    pub pid: Term,
    /// Its heap; everything a BIF returns is built here. Collected at safe
    /// points ([`crate::gc`]): a term held across one must be a root.
    pub heap: Heap,
    /// Its group leader (where `io` sends requests).
    pub group_leader: Term,
    /// The Erlang stack, growing upward: Y registers, continuation pointers
    /// (non-term words with the header tag, written by the interpreter) and
    /// catch markers. The layout is the interpreter's (see docs/RUNTIME.md).
    pub stack: Vec<Term>,
    /// Its process dictionary (`put/2`, `get/1`...).
    pub dictionary: Dictionary,
    /// Messages received and not yet taken out by `receive`, oldest first.
    pub mailbox: VecDeque<Message>,
    /// Position of `receive`'s scan in `mailbox` (`loop_rec`'s current
    /// message).
    pub recv_cursor: usize,
    /// Receive markers: where a `receive` on a fresh reference starts.
    pub recv_markers: crate::recv_marker::RecvMarkers,
    /// Heap fragments of received messages (and of spawn arguments too
    /// large for the first chunk), part of from-space until the next
    /// collection copies what is live out of them; add to it with
    /// [`Process::add_fragment`].
    pub fragments: Few<Heap>,
    /// The key of the scheduler timer of the `receive ... after` this
    /// process is in, once its first wait started it: later waits of the
    /// same `receive` (woken by messages that did not match) keep its
    /// deadline, as BEAM does; `remove_message` and `timeout` end it.
    /// Keys start at 1: the option takes one word.
    pub recv_timer: Option<std::num::NonZeroU64>,
    /// In a `receive` whose `after` operand was `infinity`: like a running
    /// [`Process::recv_timer`], it tells a `wait_timeout` run again (after
    /// a message that did not match) not to read its operand, which may be
    /// a dead X register by then.
    pub recv_forever: bool,
    /// How many messages in `mailbox` may point into this process's own
    /// heap (sent to itself, not copied, as BEAM's self-sends are not):
    /// the collector's roots, while not zero (it recounts them).
    pub own_messages: u32,
    /// Reductions executed so far; the interpreter counts them and
    /// `statistics(reductions)` reports them.
    pub reductions: u64,
    /// Reductions a BIF charged for its work beyond the call's one
    /// ([`Process::charge`]); the interpreter takes them off the slice's
    /// budget when the BIF returns.
    pub bif_reductions: u64,
    /// The binary the pre-OTP 25 `bs_put_*` instructions write into (no
    /// heap terms: the collector need not see it). Boxed: rare, and 88
    /// bytes inline.
    pub construction: Option<Box<crate::term::construct::Construction>>,
    /// Its last calls, while `process_flag(save_calls, N)` is on.
    pub saved_calls: Option<Box<crate::saved_calls::SavedCalls>>,
    /// When to collect, and how big the heap is.
    pub(crate) gc: crate::gc::GcState,
}

impl Process {
    /// A process with an empty heap and stack whose group leader is itself.
    pub fn new(pid: Term) -> Process {
        Process {
            pid,
            heap: Process::initial_heap(),
            group_leader: pid,
            stack: Vec::new(),
            dictionary: Dictionary::default(),
            mailbox: VecDeque::new(),
            recv_cursor: 0,
            recv_markers: Default::default(),
            fragments: Few::default(),
            recv_timer: None,
            own_messages: 0,
            recv_forever: false,
            reductions: 0,
            bif_reductions: 0,
            construction: None,
            saved_calls: None,
            gc: Default::default(),
        }
    }
}

impl Process {
    /// Charges `n` reductions for a BIF's work, as BEAM's `BUMP_REDS`: a
    /// BIF walking a long list or binary spends its slice in proportion,
    /// so the process is switched out after it and others get to run.
    #[inline]
    pub fn charge(&mut self, n: usize) {
        self.bif_reductions += n as u64;
    }

    /// Saves `call` if `process_flag(save_calls, N)` is on.
    #[inline]
    pub fn save_call(&mut self, call: crate::saved_calls::SavedCall) {
        if let Some(s) = &mut self.saved_calls {
            s.push(call);
        }
    }
}

/// A message in a mailbox: the term and the heap fragment it was copied
/// into by the sender.
pub struct Message {
    /// The message.
    pub term: Term,
    /// Where `term` lives.
    pub fragment: Heap,
}

impl Message {
    /// Copies `term` into a fresh fragment of exactly its size
    /// (`term::copy`: explicit work lists, deep terms never recurse
    /// natively); an immediate needs no words. Fails on a term holding a
    /// binary match state, which is no data.
    pub fn copy(term: Term) -> Result<Message, crate::etf::EtfError> {
        let (term, fragment) = crate::term::copy::copy_fresh(term)
            .map_err(|_| crate::etf::EtfError::Unencodable("an internal value"))?;
        Ok(Message { term, fragment })
    }

    /// [`Message::copy`] of a message sent to another process: its
    /// literals are shared, not copied (`term::copy::copy_message`).
    pub fn send(term: Term) -> Result<Message, crate::etf::EtfError> {
        let (term, fragment) = crate::term::copy::copy_message(term)
            .map_err(|_| crate::etf::EtfError::Unencodable("an internal value"))?;
        Ok(Message { term, fragment })
    }

    /// A message a process sends itself: not copied, as on BEAM (its
    /// heap does not grow, its binaries are held once); the term stays on
    /// the sender's heap, so the collector takes such messages as roots
    /// (`Process::own_messages`), and a fragment with no words tells them
    /// apart. Its binaries made by appending stay writable, as on BEAM.
    pub fn to_self(p: &mut Process, term: Term) -> Message {
        use crate::term::{TAG_BOXED, TAG_LIST};
        if matches!(term.primary_tag(), TAG_LIST | TAG_BOXED) {
            p.own_messages = p.own_messages.saturating_add(1);
        }
        Message {
            term,
            fragment: Heap::with_capacity(1),
        }
    }
}
