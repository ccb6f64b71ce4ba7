//! Profiling counters at the anchors of DESIGN §6.
//!
//! - a **loop anchor** is a function entry reached by a backward tail call
//!   (`call_only`/`call_last` to an earlier index: a self tail call, or a
//!   mutually recursive loop), the loader's `LoopOnly`/`LoopLast`/
//!   `MoveLoopOnly`;
//! - a **call anchor** is a function entry reached by a non-tail call
//!   (local `Call`, or `CallExt` to code).
//!
//! Each of those instructions carries a [`Countdown`]: the instruction loop
//! only decrements it, and when it runs out the cold path here adds what it
//! counted to the anchor's totals, kept per instruction index of each
//! loaded module version, and `crate::hot` decides what the JIT does. The
//! count of an anchor is its totals plus what its instructions counted
//! since (their [`Countdown::pending`]).
//!
//! Compiled out without the `counters` feature (on by default), to measure
//! their cost (docs/RUNTIME.md); the JIT then never sees a hot anchor.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use enigma_vm::code::{Countdown, Instr, Module, Target};

/// What kind of anchor a counter counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Function entry reached by a backward tail call.
    Loop,
    /// Function entry reached by a non-tail call.
    Call,
}

/// The totals of one module version: two per instruction index, and the
/// JIT's trace number per loop anchor.
pub struct Counters {
    loops: Box<[AtomicU64]>,
    calls: Box<[AtomicU64]>,
    traces: Box<[AtomicU32]>,
}

/// [`Counters::trace`] of an anchor the JIT gave up on.
pub const BLACKLISTED: u32 = u32::MAX;

/// The bit of a stored trace number ([`Counters::trace`]) saying that the
/// trace is a function trace with return traces to go on into, whose
/// entry asks the JIT for their keys (`Run::pull_frames`). Loop traces
/// lack it, so their entries (bench_nbody's, bench_mandel's) skip that
/// call. Never set in [`BLACKLISTED`]'s place: trace numbers stay below
/// it (at most `enigma_jit::cache::MAX_TRACES`).
pub const WITH_RETURNS: u32 = 1 << 30;

impl Counters {
    /// Counters for code of `len` instructions.
    pub fn new(len: usize) -> Counters {
        let n = if cfg!(feature = "counters") { len } else { 0 };
        Counters {
            loops: (0..n).map(|_| AtomicU64::new(0)).collect(),
            calls: (0..n).map(|_| AtomicU64::new(0)).collect(),
            traces: (0..n).map(|_| AtomicU32::new(0)).collect(),
        }
    }

    /// Adds `n` arrivals at anchor `pc`; returns its new total.
    pub fn add(&self, kind: Kind, pc: Target, n: u64) -> u64 {
        let v = match kind {
            Kind::Loop => &self.loops,
            Kind::Call => &self.calls,
        };
        v.get(pc as usize).map_or(0, |c| {
            let total = c.load(Ordering::Relaxed).saturating_add(n);
            c.store(total, Ordering::Relaxed);
            total
        })
    }

    /// The JIT's trace number at loop anchor `pc`: 0 for none,
    /// [`BLACKLISTED`], or what `seam::Recorder::finish` returned (the
    /// number, with [`WITH_RETURNS`] for a function trace).
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

    /// Unhooks root trace `trace` from loop anchor `pc` (sets
    /// [`Counters::trace`] to 0) if the anchor still holds it, with or
    /// without [`WITH_RETURNS`]: a trace published there since, or a
    /// blacklisting, stays.
    pub fn unhook(&self, pc: Target, trace: u32) {
        if let Some(t) = self.traces.get(pc as usize) {
            let held = t.load(Ordering::Relaxed);
            if held != BLACKLISTED && held & !WITH_RETURNS == trace {
                let _ = t.compare_exchange(held, 0, Ordering::Relaxed, Ordering::Relaxed);
            }
        }
    }

    /// Every non-zero total: `(kind, pc, count)`.
    fn nonzero(&self) -> impl Iterator<Item = (Kind, Target, u64)> + '_ {
        let all = [(Kind::Loop, &self.loops), (Kind::Call, &self.calls)];
        all.into_iter().flat_map(|(kind, v)| {
            v.iter().enumerate().filter_map(move |(pc, c)| {
                let n = c.load(Ordering::Relaxed);
                (n > 0).then_some((kind, pc as Target, n))
            })
        })
    }
}

/// The anchor an instruction counts at, `(code id, pc)` (a remote call's
/// callee as its export says now), with its kind and counter.
fn counted_at(id: u32, instr: &Instr) -> Option<((u32, Target), Kind, &Countdown)> {
    match instr {
        Instr::Call { target, count, .. }
        | Instr::Move2XYXXCall { target, count, .. }
        | Instr::MoveXXCall { target, count, .. }
        | Instr::TrimCall { target, count, .. } => Some(((id, *target), Kind::Call, count)),
        Instr::LoopLast { target, count, .. }
        | Instr::LoopOnly { target, count, .. }
        | Instr::MoveLoopOnly { target, count, .. }
        | Instr::MoveYXLoopLast { target, count, .. } => Some(((id, *target), Kind::Loop, count)),
        Instr::AddBandLoop(op) => Some(((id, op.target), Kind::Loop, &op.count)),
        Instr::ByteLoop(back) => counted_at(id, back),
        Instr::CallExt { export, count, .. } => {
            let addr = export.address();
            (addr >= 1 << 32).then(|| (crate::code::split(addr), Kind::Call, count))
        }
        _ => None,
    }
}

/// The hottest `n` anchors of all loaded code: `(Mod:Fun/Arity, kind,
/// count)`, hottest first.
pub fn hottest(n: usize) -> Vec<(String, Kind, u64)> {
    let mut counts: HashMap<(u32, Target, Kind), u64> = HashMap::new();
    for (id, m, counters) in crate::code::all() {
        for (kind, pc, count) in counters.nonzero() {
            *counts.entry((id, pc, kind)).or_default() += count;
        }
        for instr in m.code.iter() {
            if let Some(((to, pc), kind, c)) = counted_at(id, instr) {
                let pending = c.pending();
                if pending > 0 {
                    *counts.entry((to, pc, kind)).or_default() += pending;
                }
            }
        }
    }
    let mut all: Vec<(String, Kind, u64)> = counts
        .into_iter()
        .map(|((id, pc, kind), count)| (anchor_name(crate::code::module(id), pc), kind, count))
        .collect();
    all.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
    all.truncate(n);
    all
}

/// `Mod:Fun/Arity` of the function at `pc`.
fn anchor_name(m: Option<&Module>, pc: Target) -> String {
    match m {
        Some(m) => match m.function_at(pc) {
            Some(f) => format!("{}:{}/{}", m.name, f.name, f.arity),
            None => format!("{}:?", m.name),
        },
        None => "?".to_string(),
    }
}
