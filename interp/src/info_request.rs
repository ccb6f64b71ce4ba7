//! `process_info` of a process running on another scheduler, as a signal.
//!
//! BEAM sends the target a request and the caller waits for the reply in
//! a `receive`; the target answers when it handles its signals. Here the
//! request waits in the target's `Running` entry (`Running::info_requests`)
//! and the caller continues in `enigma_boot:await_reply/1`, which
//! receives `{Ref, Answer}`. The target's scheduler answers when the
//! target's slice ends ([`Sched::answer_info_requests`]): the process is
//! back in the table with what reached it meanwhile in its mailbox, so
//! the answer is built as for any process that is not running, onto a
//! message of its own, and delivered to the caller. No scheduler thread
//! waits, and signals between the pair keep their order: a message the
//! caller sent before asking is in the target's inbox, which joins its
//! mailbox before the answer is built. Two processes asking each other
//! both end their slices in `await_reply`, which answers the other.

use enigma_vm::atom::Atom;
use enigma_vm::process::Message;
use enigma_vm::term::fun::Export;
use enigma_vm::term::{Heap, Term};

use crate::proc_info::{of_stopped, Query};
use crate::sched::{pid_number, ref_term, Sched};

/// A `process_info` request waiting for its target's slice to end.
pub(crate) struct InfoRequest {
    /// The asking process.
    from: Term,
    /// The key of the reference the reply is tagged with.
    key: u64,
    query: Query,
}

/// Sends the running process `n` a request of `from`'s, tagged `key`.
pub(crate) fn ask(s: &mut Sched, n: u32, from: Term, key: u64, query: Query) {
    if let Some(r) = s.running.get_mut(&n) {
        r.info_requests.push(InfoRequest { from, key, query });
    }
}

/// `enigma_boot:await_reply/1`: where the caller waits for the reply.
pub(crate) fn await_reply() -> Option<&'static Export> {
    let (Ok(m), Ok(f)) = (Atom::intern("enigma_boot"), Atom::intern("await_reply")) else {
        return None;
    };
    Some(Export::get_or_create(m, f, 1))
}

impl Sched {
    /// Answers the requests process `n` received while it ran, now that
    /// its slice has ended (it is back in the table, or dead: then the
    /// answer is `undefined`).
    pub(crate) fn answer_info_requests(&mut self, n: u32, requests: Vec<InfoRequest>) {
        for InfoRequest { from, key, query } in requests {
            let mut heap = Heap::new();
            let answer = of_stopped(self, n, &query, &mut heap);
            let tag = ref_term(&mut heap, key);
            let term = heap.tuple(&[tag, answer]);
            if let Some(to) = pid_number(from) {
                self.deliver_to(
                    to,
                    Message {
                        term,
                        fragment: heap,
                    },
                );
            }
        }
    }
}
