//! `erlang:suspend_process/1,2` and `resume_process/1`.
//!
//! A process suspended by anyone (`Meta::suspend_count` above 0) is not
//! taken to run (`Sched::take`): it stays in the table, keeps receiving
//! messages and signals, and is queued again when the last suspension is
//! lifted. Each suspender keeps its own count per suspendee
//! (`Meta::suspending`, what `process_info(P, suspending)` lists), so
//! only it can resume what it suspended, and its suspensions are lifted
//! when it exits, as on BEAM. A process running on another scheduler is
//! suspended at the end of its slice.

use enigma_vm::term::Term;

use crate::sched::{pid_number, Sched, State};

/// Holds `target` until `by` resumes it (`erlang:resume_process/1`), as
/// if `by` had suspended it; false when either is not alive. `enigma run`
/// keeps the program's process from running before the boot's
/// application controller has filled `ac_tab` from the configuration.
pub fn hold_for(by: Term, target: Term) -> bool {
    crate::sched::with(|s| s.suspend(by, target, false)).is_some()
}

impl Sched {
    /// `by` suspends `target` (once more, or not if `unless_suspending`
    /// and it already does); `None` when `target` is `by` or not alive
    /// (`badarg`), else whether a suspension was added.
    pub(crate) fn suspend(
        &mut self,
        by: Term,
        target: Term,
        unless_suspending: bool,
    ) -> Option<bool> {
        let tn = pid_number(target).filter(|&n| self.alive(n) && target != by)?;
        let me = self.meta.get_mut(&pid_number(by)?)?;
        match me.suspending.iter_mut().find(|(p, _)| *p == target) {
            Some(_) if unless_suspending => return Some(false),
            Some((_, count)) => *count += 1,
            None => me.suspending.push((target, 1)),
        }
        self.meta.get_mut(&tn)?.suspend_count += 1;
        Some(true)
    }

    /// `by` lifts one of its suspensions of `target`; false when it holds
    /// none (`badarg`).
    pub(crate) fn resume(&mut self, by: Term, target: Term) -> bool {
        let (Some(bn), Some(tn)) = (pid_number(by), pid_number(target)) else {
            return false;
        };
        if !self.alive(tn) {
            return false;
        }
        let Some(me) = self.meta.get_mut(&bn) else {
            return false;
        };
        let Some(i) = me.suspending.iter().position(|(p, _)| *p == target) else {
            return false;
        };
        me.suspending[i].1 -= 1;
        if me.suspending[i].1 == 0 {
            me.suspending.swap_remove(i);
        }
        self.lift(tn, 1);
        true
    }

    /// Lifts the suspensions a process that ended held (its `suspending`).
    pub(crate) fn release_suspendees(&mut self, suspending: enigma_vm::few::Few<(Term, u32)>) {
        for (target, count) in suspending {
            if let Some(n) = pid_number(target) {
                self.lift(n, count);
            }
        }
    }

    /// Takes `count` suspensions off process `n`, queueing it if that was
    /// the last and it is runnable.
    fn lift(&mut self, n: u32, count: u32) {
        let Some(m) = self.meta.get_mut(&n) else {
            return;
        };
        m.suspend_count = m.suspend_count.saturating_sub(count);
        let runnable = m.suspend_count == 0
            && self
                .procs
                .get(&n)
                .is_some_and(|p| matches!(p.state, State::New(_) | State::Ready { .. }));
        if runnable {
            self.enqueue(n);
        }
    }
}
