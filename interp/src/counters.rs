//! Profiling counters at the anchors of DESIGN §6, kept per instruction
//! index of each loaded module version (a relaxed load and store of one
//! `u32` per call: no hashing, no allocation).
//!
//! - a **loop anchor** is a function entry reached by a backward tail call
//!   (`call_only`/`call_last` to an earlier index: a self tail call, or a
//!   mutually recursive loop);
//! - a **call anchor** is a function entry reached by a non-tail call
//!   (local or remote).
//!
//! Compiled out without the `counters` feature (on by default), to measure
//! their cost (see the README).

use std::sync::atomic::{AtomicU32, Ordering};

use enigma_vm::code::Target;

/// What kind of anchor a counter counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Function entry reached by a backward tail call.
    Loop,
    /// Function entry reached by a non-tail call.
    Call,
}

/// The counters of one module version: two per instruction index, and
/// the JIT's trace number per loop anchor.
pub struct Counters {
    loops: Box<[AtomicU32]>,
    calls: Box<[AtomicU32]>,
    traces: Box<[AtomicU32]>,
}

/// [`Counters::trace`] of an anchor the JIT gave up on.
pub const BLACKLISTED: u32 = u32::MAX;

impl Counters {
    /// Counters for code of `len` instructions.
    pub fn new(len: usize) -> Counters {
        let zeros = |n: usize| (0..n).map(|_| AtomicU32::new(0)).collect();
        Counters {
            loops: zeros(if cfg!(feature = "counters") { len } else { 0 }),
            calls: zeros(if cfg!(feature = "counters") { len } else { 0 }),
            traces: zeros(if cfg!(feature = "counters") { len } else { 0 }),
        }
    }

    /// Counts one backward tail call to `pc`; returns the new count.
    #[inline(always)]
    pub fn hit_loop(&self, pc: Target) -> u32 {
        match self.loops.get(pc as usize) {
            Some(c) => {
                let n = c.load(Ordering::Relaxed).wrapping_add(1);
                c.store(n, Ordering::Relaxed);
                n
            }
            None => 0,
        }
    }

    /// The JIT's trace number at loop anchor `pc`: 0 for none,
    /// [`BLACKLISTED`], or what `seam::Recorder::finish` returned.
    pub fn trace(&self, pc: Target) -> u32 {
        self.traces
            .get(pc as usize)
            .map_or(0, |t| t.load(Ordering::Relaxed))
    }

    /// Sets [`Counters::trace`].
    pub fn set_trace(&self, pc: Target, trace: u32) {
        if let Some(t) = self.traces.get(pc as usize) {
            t.store(trace, Ordering::Relaxed);
        }
    }

    /// Counts one arrival at `pc`.
    #[inline(always)]
    pub fn hit(&self, kind: Kind, pc: Target) {
        if cfg!(feature = "counters") {
            let v = match kind {
                Kind::Loop => &self.loops,
                Kind::Call => &self.calls,
            };
            if let Some(c) = v.get(pc as usize) {
                c.store(c.load(Ordering::Relaxed).wrapping_add(1), Ordering::Relaxed);
            }
        }
    }

    /// Every non-zero counter: `(kind, pc, count)`.
    pub fn nonzero(&self) -> Vec<(Kind, Target, u32)> {
        let mut out = Vec::new();
        for (kind, v) in [(Kind::Loop, &self.loops), (Kind::Call, &self.calls)] {
            for (pc, c) in v.iter().enumerate() {
                let n = c.load(Ordering::Relaxed);
                if n > 0 {
                    out.push((kind, pc as Target, n));
                }
            }
        }
        out
    }
}

/// The hottest `n` anchors of all loaded code: `(Mod:Fun/Arity, kind,
/// count)`, hottest first.
pub fn hottest(n: usize) -> Vec<(String, Kind, u32)> {
    let mut all = Vec::new();
    for (m, counters) in crate::code::all() {
        for (kind, pc, count) in counters.nonzero() {
            let name = match m.function_at(pc) {
                Some(f) => format!("{}:{}/{}", m.name, f.name, f.arity),
                None => format!("{}:?", m.name),
            };
            all.push((name, kind, count));
        }
    }
    all.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
    all.truncate(n);
    all
}
