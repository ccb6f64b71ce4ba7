//! The Erlang process as BIFs see it. The interpreter (issue 3) and the
//! scheduler and collector (issue 5) grow this struct; BIFs reach the
//! process's heap and identity through it.

use crate::pdict::Dictionary;
use crate::term::{Heap, Term};

/// One Erlang process.
pub struct Process {
    /// Its pid (a local pid immediate).
    pub pid: Term,
    /// Its heap; everything a BIF returns is built here.
    pub heap: Heap,
    /// Its group leader (where `io` sends requests).
    pub group_leader: Term,
    /// Its process dictionary (`put/2`, `get/1`...).
    pub dictionary: Dictionary,
    /// Reductions executed so far; the interpreter counts them and
    /// `statistics(reductions)` reports them.
    pub reductions: u64,
}

impl Process {
    /// A process with an empty heap whose group leader is itself.
    pub fn new(pid: Term) -> Process {
        Process {
            pid,
            heap: Heap::new(),
            group_leader: pid,
            dictionary: Dictionary::default(),
            reductions: 0,
        }
    }
}
