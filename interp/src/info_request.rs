//! Requests to a process running on another scheduler, as signals:
//! `process_info/1,2`, `garbage_collect/1,2` and `process_flag/3`.
//!
//! BEAM sends the target a request and the caller waits for the reply in
//! a `receive`; the target answers when it handles its signals. Here the
//! request waits in the target's `Running` entry (`Running::requests`)
//! and the caller continues in `enigma_boot:await_reply/1`, which
//! receives `{Ref, Answer}` (or, for `garbage_collect(Pid, [{async,
//! ReqId}])`, returns `async` at once and later gets `{garbage_collect,
//! ReqId, Result}`). The target's scheduler answers when the target's
//! slice ends ([`Sched::answer_requests`]): the process is back in the
//! table with what reached it meanwhile in its mailbox, so the request is
//! served as for any process that is not running, and the answer is
//! delivered to the caller as a message of its own. No scheduler thread
//! waits, and signals between the pair keep their order: a message the
//! caller sent before asking is in the target's inbox, which joins its
//! mailbox before the answer is built. Two processes asking each other
//! both end their slices in `await_reply`, which answers the other.

use enigma_vm::atom::Atom;
use enigma_vm::exception::Exception;
use enigma_vm::process::Message;
use enigma_vm::term::fun::Export;
use enigma_vm::term::{Heap, Term};

use crate::proc_info::{of_stopped, save_calls_of_stopped, Query};
use crate::run::{Run, Step};
use crate::sched::{collect_stopped, pid_number, ref_term, Sched};

/// What a request asks for.
pub(crate) enum Asked {
    /// `process_info`.
    Info(Query),
    /// `garbage_collect`: a full sweep or a minor collection; with the
    /// request id of `{async, ReqId}` (in a message of its own), the
    /// reply is `{garbage_collect, ReqId, Result}`.
    Gc {
        major: bool,
        request: Option<Message>,
    },
    /// `process_flag(Pid, save_calls, Size)`: the reply is the old size.
    SaveCalls(i64),
}

/// A request waiting for its target's slice to end.
pub(crate) struct Request {
    /// The asking process.
    from: Term,
    /// The key of the reference the reply is tagged with.
    key: u64,
    asked: Asked,
}

/// Sends process `n`, running on another scheduler, a request of
/// `from`'s: the key of the reply's reference.
pub(crate) fn ask(s: &mut Sched, n: u32, from: Term, asked: Asked) -> u64 {
    let key = s.next_key();
    if let Some(r) = s.running.get_mut(&n) {
        r.requests.push(Request { from, key, asked });
    }
    key
}

/// Whether process `n` runs on another scheduler (alive): a request to
/// it is a signal.
pub(crate) fn runs_elsewhere(s: &Sched, n: u32) -> bool {
    s.alive(n) && s.running.contains_key(&n)
}

/// Continues the caller in `enigma_boot:await_reply(Ref)`, which returns
/// the reply tagged `r`.
pub(crate) fn await_reply(run: &mut Run<'_>, r: Term) -> Step {
    let (Ok(m), Ok(f)) = (Atom::intern("enigma_boot"), Atom::intern("await_reply")) else {
        return Err(Exception::system_limit().into());
    };
    run.x[0] = r;
    run.enter_export(Export::get_or_create(m, f, 1), 1)
}

impl Sched {
    /// Serves the requests process `n` received while it ran, now that its
    /// slice has ended (it is back in the table, or dead: then the answer
    /// is `undefined` or `false`).
    pub(crate) fn answer_requests(&mut self, n: u32, requests: Vec<Request>) {
        for Request { from, key, asked } in requests {
            let reply = match asked {
                Asked::Info(query) => {
                    let mut heap = Heap::new();
                    let answer = of_stopped(self, n, &query, &mut heap);
                    tagged(heap, key, answer)
                }
                Asked::SaveCalls(size) => {
                    let old = save_calls_of_stopped(self, n, size);
                    tagged(Heap::with_capacity(8), key, old)
                }
                Asked::Gc { major, request } => {
                    let done = Term::bool(collect_stopped(self, n, major));
                    match request {
                        Some(mut m) => {
                            let tag = crate::sched::atom("garbage_collect");
                            m.term = m.fragment.tuple(&[tag, m.term, done]);
                            m
                        }
                        None => tagged(Heap::with_capacity(8), key, done),
                    }
                }
            };
            if let Some(to) = pid_number(from) {
                self.deliver_to(to, reply);
            }
        }
    }
}

/// The reply `{Ref, Answer}` to request `key`, `answer` living on `heap`.
fn tagged(mut heap: Heap, key: u64, answer: Term) -> Message {
    let tag = ref_term(&mut heap, key);
    let term = heap.tuple(&[tag, answer]);
    Message {
        term,
        fragment: heap,
    }
}
