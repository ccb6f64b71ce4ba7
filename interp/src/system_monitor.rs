//! Sends the system monitor (`erlang:system_monitor/2`; its settings are
//! `enigma_vm::gc::monitor`'s) the events the collector raised:
//! `{monitor, Pid, long_gc, [{timeout, Ms} | Info]}` and `{monitor, Pid,
//! large_heap, Info}`, as BEAM's `monitor_long_gc` and
//! `monitor_large_heap`. The monitor is not told about its own
//! collections; a monitor that is gone is cleared.

use enigma_vm::gc::monitor::{self, GcEvent};
use enigma_vm::process::Message;
use enigma_vm::term::{Heap, Term};

use crate::sched::{self, atom, pid_number, Sched};

/// Sends `events` (`(pid of the process that collected, event)`) to the
/// system monitor, with the scheduler's table `s`.
pub(crate) fn send(s: &mut Sched, events: Vec<(Term, GcEvent)>) {
    for (pid, e) in events {
        let Some(to) = monitor::settings().map(|m| m.pid) else {
            return;
        };
        let Some(n) = pid_number(to).filter(|&n| s.alive(n)) else {
            monitor::clear_if(to);
            return;
        };
        if pid == to {
            continue;
        }
        if let Some(ms) = e.long_gc {
            s.deliver_to(n, message(pid, &e, Some(ms)));
        }
        if e.large_heap {
            s.deliver_to(n, message(pid, &e, None));
        }
    }
}

/// Sends what the collections that just ran raised, if anything (the
/// scheduler's table is not locked).
pub(crate) fn send_pending() {
    let events = monitor::take_events();
    if !events.is_empty() {
        sched::with(|s| send(s, events));
    }
}

/// The `long_gc` message (with the collection's `timeout`) or the
/// `large_heap` one.
fn message(pid: Term, e: &GcEvent, timeout: Option<u64>) -> Message {
    let mut heap = Heap::new();
    let mut items: Vec<Term> = Vec::with_capacity(7);
    if let Some(ms) = timeout {
        let t = heap.int(ms as i64);
        items.push(heap.tuple(&[atom("timeout"), t]));
    }
    for (key, n) in e.info {
        let n = heap.int(n as i64);
        items.push(heap.tuple(&[atom(key), n]));
    }
    let info = heap.list(&items);
    let kind = atom(if timeout.is_some() {
        "long_gc"
    } else {
        "large_heap"
    });
    let term = heap.tuple(&[atom("monitor"), pid, kind, info]);
    Message {
        term,
        fragment: heap,
    }
}
