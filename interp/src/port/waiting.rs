//! What the socket stand-ins (`tcp.rs`, `udp_io.rs`) share about who
//! waits for data: the `{active, _}` state with the driver's rules for
//! counting it down, and requests that wait for an answer.

use std::time::{Duration, Instant};

use enigma_vm::term::Term;

/// `{active, _}`.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub(super) enum Active {
    #[default]
    Passive,
    On,
    Once,
    /// `{active, N}`: N messages left.
    Multi(i32),
}

impl Active {
    /// The state `setopts` sets from option value `value` (`INET_PASSIVE`,
    /// `ACTIVE`, `ONCE`, or `MULTI` and a count added to what is left),
    /// and whether the port says `{tcp_passive, _}` (a count that ends at
    /// or below zero); `None` for a bad value or a count over 32767.
    pub(super) fn set(self, value: &[u8]) -> Option<(Active, bool)> {
        Some(match (int32(value, 0)?, value.get(4..6)) {
            (0, _) => (Active::Passive, false),
            (1, _) => (Active::On, false),
            (2, _) => (Active::Once, false),
            (3, Some(&[hi, lo])) => {
                let have = match self {
                    Active::Multi(k) => k,
                    _ => 0,
                };
                let total = have + i32::from(i16::from_be_bytes([hi, lo]));
                if total > 32767 {
                    return None;
                }
                if total <= 0 {
                    (Active::Passive, true)
                } else {
                    (Active::Multi(total), false)
                }
            }
            _ => return None,
        })
    }

    /// The state after one message, and whether the port says it went
    /// passive (`{active, N}` at zero).
    pub(super) fn after_message(self) -> (Active, bool) {
        match self {
            Active::Once => (Active::Passive, false),
            Active::Multi(1) => (Active::Passive, true),
            Active::Multi(k) => (Active::Multi(k - 1), false),
            a => (a, false),
        }
    }

    /// The option's value as `GETOPTS` answers it.
    pub(super) fn encode(self) -> Vec<u8> {
        match self {
            Active::Passive => vec![0, 0, 0, 0],
            Active::On => vec![0, 0, 0, 1],
            Active::Once => vec![0, 0, 0, 2],
            Active::Multi(n) => {
                let [hi, lo] = (n as i16).to_be_bytes();
                vec![0, 0, 0, 3, hi, lo]
            }
        }
    }
}

/// A request that waits: who asked, its reference, until when, and (for
/// a receive) how many bytes.
pub(super) struct Pending {
    pub caller: Term,
    pub reference: u16,
    pub deadline: Option<Instant>,
    pub len: usize,
}

impl Pending {
    /// A waiting request from `caller` with a timeout in milliseconds
    /// (negative: none), numbered after `last`.
    pub(super) fn new(last: &mut u16, caller: Term, ms: i32, len: usize) -> Pending {
        *last = last.wrapping_add(1);
        let deadline = u64::try_from(ms)
            .ok()
            .map(|ms| Instant::now() + Duration::from_millis(ms));
        Pending {
            caller,
            reference: *last,
            deadline,
            len,
        }
    }
}

/// A 32-bit big-endian integer at `at`.
pub(super) fn int32(data: &[u8], at: usize) -> Option<i32> {
    Some(i32::from_be_bytes(data.get(at..at + 4)?.try_into().ok()?))
}
