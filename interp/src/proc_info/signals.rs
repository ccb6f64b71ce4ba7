//! The items of a process's signals: `message_queue_len`, `messages`,
//! `links`, `monitors`, `monitored_by` and `suspending`.

use enigma_vm::atom::Atom;
use enigma_vm::term::{Heap, Term};

use super::{copy, View};
use crate::sched::{atom, Meta, Sched};

/// The value of signal item `name`; `None` if it is not one.
pub(super) fn value(heap: &mut Heap, v: &View<'_>, name: &str) -> Option<Term> {
    Some(match name {
        "message_queue_len" => Term::small(v.messages.len() as i64),
        "messages" => {
            let ms: Vec<Term> = v
                .messages
                .iter()
                .map(|&m| copy(heap, m, v.foreign))
                .collect();
            heap.list(&ms)
        }
        "links" => heap.list(&v.meta.links),
        "monitors" => {
            let process = atom("process");
            let items: Vec<Term> = v
                .monitors
                .iter()
                .map(|&(pid, name)| {
                    if pid.as_atom().is_some() {
                        // `monitor(time_offset, clock_service)`.
                        return heap.tuple(&[atom("time_offset"), pid]);
                    }
                    let object = match name {
                        Some(n) => heap.tuple(&[Term::atom(n), Term::atom(Atom::NONODE)]),
                        None => pid,
                    };
                    heap.tuple(&[process, object])
                })
                .collect();
            heap.list(&items)
        }
        "monitored_by" => heap.list(&v.monitored_by),
        "suspending" => {
            // `{Suspendee, ActiveCount, OutstandingCount}`: every request
            // is granted at once here, none is outstanding.
            let items: Vec<Term> = v
                .meta
                .suspending
                .iter()
                .map(|&(p, n)| heap.tuple(&[p, Term::small(n as i64), Term::small(0)]))
                .collect();
            heap.list(&items)
        }
        _ => return None,
    })
}

/// `(pid, name)` of the monitors a process holds, and the pids of its
/// watchers.
pub(super) type MonitorLists = (Vec<(Term, Option<Atom>)>, Vec<Term>);

pub(super) fn monitor_lists(s: &Sched, meta: &Meta) -> MonitorLists {
    let holds = meta
        .watching
        .iter()
        .filter_map(|k| s.monitors.get(k))
        .map(|m| (m.target, m.name))
        .collect();
    let by = meta
        .monitors
        .iter()
        .filter_map(|k| s.monitors.get(k))
        .map(|m| m.watcher)
        .collect();
    (holds, by)
}
