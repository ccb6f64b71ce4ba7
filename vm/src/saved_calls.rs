//! `process_flag(save_calls, N)`: the last N calls a process made through
//! export entries (remote calls, `apply`, external funs, BIFs called as
//! functions) and its `send`s, `receive`s and `receive` timeouts, oldest
//! first, as `process_info(P, last_calls)` reports them.

use std::collections::VecDeque;

use crate::term::fun::Export;

/// One saved call.
#[derive(Clone, Copy)]
pub enum SavedCall {
    /// A call through an export entry: `{M, F, A}`.
    Export(&'static Export),
    /// A message sent: `send`.
    Send,
    /// A message taken out of the mailbox: `'receive'`.
    Receive,
    /// A `receive` ended by its timeout: `timeout`.
    Timeout,
}

/// The last `size` calls (1 to 10,000).
pub struct SavedCalls {
    size: usize,
    calls: VecDeque<SavedCall>,
}

impl SavedCalls {
    /// An empty buffer of `size` calls.
    pub fn new(size: usize) -> SavedCalls {
        SavedCalls {
            size,
            calls: VecDeque::with_capacity(size.min(64)),
        }
    }

    /// How many calls it keeps.
    pub fn size(&self) -> usize {
        self.size
    }

    /// Saves `call`, dropping the oldest when full.
    pub fn push(&mut self, call: SavedCall) {
        if self.calls.len() == self.size {
            self.calls.pop_front();
        }
        self.calls.push_back(call);
    }

    /// The calls, oldest first.
    pub fn calls(&self) -> impl Iterator<Item = SavedCall> + '_ {
        self.calls.iter().copied()
    }
}
