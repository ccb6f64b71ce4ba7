//! The hand-off to and from compiled traces at loop anchors (DESIGN §6):
//! counting backward tail calls, recording a hot loop through the JIT's
//! [`Recorder`], entering a compiled trace and resuming where it exits.
//!
//! The normal instruction loop pays one countdown per backward tail call
//! (`enigma_vm::code::Countdown`, in the instruction); everything else
//! happens in cold functions here, and recording runs its own loop
//! ([`Run::record_loop`]) over `Run::exec_one`.

use enigma_vm::code::{Countdown, Instr, Target};
use enigma_vm::exception::Exception;
use enigma_vm::term::Term;

use crate::code;
use crate::counters::{Kind, BLACKLISTED, WITH_RETURNS};
use crate::cursor::Cursor;
use crate::run::{Run, Step, Stop};
use crate::seam::{self, After, Anchor, Forgotten, Recorded, Recorder, Seam, EXIT_RETURN};

/// How many times the threshold a loop over a binary's bytes waits before
/// it is recorded. The interpreter runs such a loop as a `ByteLoop` at
/// 39-58 machine instructions per byte, which its trace brings to 30-33
/// (callgrind, bench_bin_scan and bench_bin_parse at 1,000,000 bytes):
/// recording and compiling it (150,000-280,000 instructions) pays back
/// only after the bytes on which the trace saves that much, 11,000-17,000
/// of them. That saving, not the interpreter's whole cost, is the rent of
/// the ski-rental bound: waiting about that long before compiling is
/// within twice the better choice made in hindsight. At 12,800 arrivals
/// the worst run (just over them) is about 1.3 times the interpreter's,
/// where 3,200 (16 thresholds) made a 4,000-byte run 2-2.3 times; a
/// 10,000,000-byte run pays 0.05% for the later start (`docs/JIT.md`,
/// *Measurements*, session 15).
const BYTE_LOOP_SCALE: u64 = 64;

/// How long the JIT waits, once an anchor has reached the threshold,
/// before the first recording of a run. Until the JIT has recorded
/// something its code and data are cold: the first recording costs the
/// interpreter about 35 µs (33-41 µs, whether it compiles or aborts:
/// bench_sum, bench_fib, bench_float, bench_collatz and bench_bin_build at
/// their `--quick` sizes, JIT on against off), a later one of the same
/// loop 3-7 µs; and the first compile, 60-215 µs (`--jit-stats`, the
/// first traces of bench_sum, bench_collatz and bench_mandel), takes the
/// interpreter's core when no other is free. Waiting about that price
/// (the ski-rental choice), in time rather than arrivals (bench_sum's
/// iteration takes 10 ns, bench_nbody's `pull/4` several µs: 16
/// thresholds of arrivals cost bench_nbody 20,000 8.6% more
/// instructions), a run whose loops end within the wait pays nothing for
/// the JIT, one that ends just after it at most about twice its loops'
/// time, and a long run 200 µs once (`docs/JIT.md`, *Measurements*,
/// session 18).
const COLD_WAIT: std::time::Duration = std::time::Duration::from_micros(200);

/// The period of an anchor's countdown while the JIT compiles a trace
/// elsewhere (`Jit::compiling`): the trace, when published, is entered
/// within this many arrivals (after a threshold's, bench_mandel 8 ran a
/// sixth of its points interpreted with a trace ready), and an arrival
/// that finds none costs only the countdown's cold path.
const PENDING_PERIOD: u64 = 16;

/// The longest period of a call's countdown while its target is not yet
/// hot: the calls of a function go through several instructions (fib's
/// two recursive calls), so each checks the target's total often enough
/// to see it reach the threshold, and later its trace, within a few calls.
const CALL_PERIOD: u64 = 16;

thread_local! {
    /// The frame buffer a trace keeps its stack frames in (`Seam::y`),
    /// kept from one trace entry to the next (an exit pushes only the
    /// words the trace stored, so it needs no clearing).
    static FRAMES: std::cell::Cell<Vec<Term>> = const { std::cell::Cell::new(Vec::new()) };
}

impl Run<'_> {
    /// The countdown of a call to `(id, pc)` ran out: its arrivals go to
    /// that call anchor's totals.
    #[cold]
    #[inline(never)]
    pub(crate) fn call_anchor_due(&mut self, count: &Countdown, id: u32, pc: Target) {
        let n = count.pending();
        count.restart(u64::MAX);
        let counters = match code::loaded(id) {
            Some(_) if id == self.id => self.counters,
            Some(l) => &l.counters,
            None => return,
        };
        counters.add(Kind::Call, pc, n);
    }

    /// The countdown of a back edge to `target` (already the current pc,
    /// with `arity` live arguments) ran out: count its arrivals, and once
    /// the anchor has had `threshold` hand it to the JIT. The next period
    /// runs until the threshold, or is a single arrival while the JIT
    /// wants every one (to enter the trace, or record again), or
    /// the JIT's backoff after an abort (`Jit::retry_after`), or
    /// [`PENDING_PERIOD`] while it compiles elsewhere (`Jit::compiling`:
    /// nothing is recorded meanwhile), or the longest when no JIT will.
    #[cold]
    #[inline(never)]
    pub(crate) fn loop_anchor_due(
        &mut self,
        count: &'static Countdown,
        target: Target,
        arity: u32,
    ) -> Step {
        let total = self.counters.add(Kind::Loop, target, count.pending());
        let threshold = self.loop_threshold();
        if total < threshold {
            count.restart(threshold - total);
            return Ok(());
        }
        if self.cold() {
            count.restart(u64::from(self.threshold));
            return Ok(());
        }
        if self.counters.trace(target) == 0 && seam::jit().is_some_and(|j| j.compiling()) {
            count.restart(PENDING_PERIOD);
            return Ok(());
        }
        // Recording runs the loop's body, which may come back here.
        count.restart(u64::MAX);
        let out = self.hot_anchor(target, arity);
        let anchor = Anchor {
            id: self.id,
            pc: target,
            arity,
        };
        let next = match (seam::jit(), self.counters.trace(target)) {
            (None, _) | (_, BLACKLISTED) => u64::MAX,
            (Some(jit), 0) if jit.compiling() => PENDING_PERIOD,
            (Some(jit), 0) => jit.retry_after(anchor, threshold),
            _ => 1,
        };
        self.counters.add(Kind::Loop, target, count.pending());
        count.restart(next);
        out
    }

    /// Arrivals before the loop anchor at the current pc is recorded: the
    /// JIT's threshold, [`BYTE_LOOP_SCALE`] times that for a loop whose
    /// head starts a binary match (but at threshold 1, which compiles
    /// everything).
    fn loop_threshold(&self) -> u64 {
        let threshold = u64::from(self.threshold);
        match self.cur.peek() {
            Instr::BsStartMatch { .. } | Instr::BsStartMatchPos { .. } | Instr::BsStartU8Eq(_)
                if threshold > 1 =>
            {
                threshold * BYTE_LOOP_SCALE
            }
            _ => threshold,
        }
    }

    /// Whether a hot anchor waits before recording: nothing has been
    /// recorded in this run and [`COLD_WAIT`] has not passed since the
    /// first anchor was found hot (never at threshold 1, which compiles
    /// everything). It looks again after another threshold of arrivals.
    fn cold(&self) -> bool {
        self.threshold > 1 && !seam::warm() && seam::hot_for() < COLD_WAIT
    }

    /// The countdown of a non-tail local call to `target` (already the
    /// current pc, with `arity` live arguments) ran out: count its
    /// arrivals and, when `target` is a loop anchor with a trace, enter it,
    /// so a loop called from interpreted code runs compiled from its first
    /// iteration (the trace leaves the continuation pointer the call pushed
    /// alone); a recursive call of a function called `threshold` times
    /// records a function trace. The next period is one call while there
    /// is a trace to enter; while there is none, at most [`CALL_PERIOD`]
    /// calls until the threshold, then the threshold (a new trace is found
    /// within that many calls), and the JIT's backoff after a recording at
    /// a recursive call that did not compile (`Jit::retry_after`: it began
    /// at the recursion's base case, or aborted); the longest when no JIT
    /// runs or the target is blacklisted: the instruction loop itself only
    /// counts down. While recording, too: the recorder showed this call
    /// and expects the callee's trace to run (a nested loop, which the
    /// outer trace calls).
    #[cold]
    #[inline(never)]
    pub(crate) fn local_call_due(&mut self, count: &Countdown, target: Target, arity: u32) -> Step {
        let total = self.counters.add(Kind::Call, target, count.pending());
        let threshold = u64::from(self.threshold);
        let Some(jit) = seam::jit() else {
            count.restart(u64::MAX);
            return Ok(());
        };
        match self.counters.trace(target) {
            BLACKLISTED => count.restart(u64::MAX),
            0 if total < threshold => count.restart((threshold - total).min(CALL_PERIOD)),
            0 if jit.compiling() => count.restart(PENDING_PERIOD),
            // A function called only a few times (the first call of a
            // recursion) is not worth recording yet, nor one found hot
            // while the JIT is cold (`Run::cold`).
            0 if self.recursive_call(target) && !self.cold() => {
                let out = self.hot_anchor(target, arity);
                let anchor = Anchor {
                    id: self.id,
                    pc: target,
                    arity,
                };
                count.restart(match self.counters.trace(target) {
                    BLACKLISTED => u64::MAX,
                    0 if jit.compiling() => PENDING_PERIOD,
                    0 => jit.retry_after(anchor, threshold),
                    _ => 1,
                });
                return out;
            }
            0 => count.restart(threshold),
            trace => {
                count.restart(1);
                return self.enter_trace(jit, trace, target, arity);
            }
        }
        Ok(())
    }

    /// The countdown of a local tail call to `target` (already the current
    /// pc, with `arity` live arguments) ran out: enter the trace there if
    /// there is one (bench_nbody's `advance/2` calls its comprehension's
    /// function trace last, whose first iteration and its return ran
    /// interpreted at every step), as a `call` would, the continuation on
    /// the stack being the caller's. A tail call records nothing and counts
    /// toward no anchor's totals (the call and loop counts decide what is
    /// recorded): with no trace yet it looks again after a threshold of
    /// calls, never for a blacklisted target. While recording too: the
    /// recorder saw the tail call first and follows the trace's return
    /// (a tail call from inside a function the trace called or inlined,
    /// `jit/src/record/call.rs`), or gave up before it ran.
    #[cold]
    #[inline(never)]
    pub(crate) fn tail_call_due(&mut self, count: &Countdown, target: Target, arity: u32) -> Step {
        let Some(jit) = seam::jit() else {
            count.restart(u64::MAX);
            return Ok(());
        };
        match self.counters.trace(target) {
            BLACKLISTED => count.restart(u64::MAX),
            0 => count.restart(u64::from(self.threshold)),
            trace => {
                count.restart(1);
                return self.enter_trace(jit, trace, target, arity);
            }
        }
        Ok(())
    }

    /// Whether the call that just arrived at `target` (its continuation
    /// on top of the stack) was made by the function at `target` itself:
    /// non-tail recursion, which the JIT records as a function trace.
    fn recursive_call(&self, target: Target) -> bool {
        let cp = self.stack_top().and_then(code::as_cp);
        let caller = match cp {
            Some((id, ret)) if id == self.id => self.m.function_at(ret),
            _ => None,
        };
        caller.is_some_and(|f| f.entry == target)
    }

    /// A hot anchor: enter its trace, or record one.
    #[inline(never)]
    fn hot_anchor(&mut self, target: Target, arity: u32) -> Step {
        // A process saving its calls runs interpreted: traces save none.
        let Some(jit) = seam::jit().filter(|_| !self.recording && self.export_floor == 0) else {
            return Ok(());
        };
        match self.counters.trace(target) {
            BLACKLISTED => Ok(()),
            0 => {
                let anchor = Anchor {
                    id: self.id,
                    pc: target,
                    arity,
                };
                match jit.record(anchor, self.m) {
                    Some(rec) => {
                        seam::set_warm();
                        self.record_loop(rec, Some(target))
                    }
                    None => {
                        self.counters.set_trace(target, BLACKLISTED);
                        seam::set_sampling(jit.idle());
                        Ok(())
                    }
                }
            }
            trace => self.enter_trace(jit, trace, target, arity),
        }
    }

    /// Runs trace `stored` (its number as stored at its anchor, the
    /// current pc: [`crate::counters::Counters::trace`]) and continues where it exits.
    fn enter_trace(
        &mut self,
        jit: &'static dyn seam::Jit,
        stored: u32,
        anchor: Target,
        arity: u32,
    ) -> Step {
        if self.export_floor != 0 {
            return Ok(());
        }
        let trace = stored & !WITH_RETURNS;
        self.sync_stack();
        let mut frame = FRAMES.take();
        // The buffer's words follow its bottom mark (the returns' test
        // for an empty buffer).
        frame.resize(seam::BUFFER_WORDS + 1, Term::NIL);
        frame[0] = Term::from_raw(seam::BUFFER_BOTTOM);
        // Only a function trace's entry asks for its return traces' keys.
        let pulled = if stored & WITH_RETURNS == 0 || self.recording || !seam::returns() {
            0
        } else {
            self.pull_frames(jit.return_keys(trace), &mut frame[1..])
        };
        let ytop = match self.p.stack.last_mut() {
            Some(t) => t as *mut _,
            None => std::ptr::null_mut(),
        };
        let (htop, hlimit) = self.p.heap.bump_window();
        let ylimit = frame.as_mut_ptr_range().end;
        let mut s = Seam {
            x: self.x.as_mut_ptr(),
            ytop,
            reds: self.cur.budget,
            pc: u64::from(self.pc()),
            exit: 0,
            snapshot: 0,
            trace,
            f: self.f.as_mut_ptr(),
            boxmask: 0,
            htop,
            hlimit,
            y: frame[1 + pulled..].as_mut_ptr(),
            yframe: 0,
            yset: 0,
            yfloats: 0,
            ylimit,
        };
        let after = jit.enter(trace, &mut s);
        self.p.heap.set_bump_top(s.htop);
        self.box_exit_floats(s.boxmask);
        self.push_exit_frame(&s, &frame[1..]);
        FRAMES.set(frame);
        // What the trace spent is counted by the next `sync_reductions`.
        self.cur.budget = s.reds;
        // A trace resumes in its anchor's code, at a position it recorded.
        let (code, pc) = (self.cur.code(), s.pc as Target);
        self.cur = Cursor::at(code, pc, s.reds).ok_or_else(|| Stop::from(Exception::badarg()))?;
        // A forgotten trace is unhooked even when this entry left to yield.
        if let After::Forget(f) = after {
            self.unhook(f, trace, anchor);
        }
        // A yield (1) or a return (3): the odd kinds, one test.
        if s.exit & 1 != 0 {
            return if s.exit == EXIT_RETURN {
                self.return_from_trace()
            } else {
                self.check_budget(self.yield_live(pc, arity))
            };
        }
        match after {
            After::Resume | After::Forget(_) => Ok(()),
            After::Record(rec) => self.record_loop(rec, None),
        }
    }

    /// Unhooks forgotten root trace `f` from its anchor, in whichever
    /// loaded module version holds it: the entered trace `entered` at
    /// `anchor` (the current module's), or one it linked to or called.
    /// In the latter case the entered trace is unhooked too: its code
    /// goes into the forgotten one's, whose entry check would fail at
    /// every entry (session 24: a loop calling a loop whose argument
    /// turned float, 120,000 entries of the caller, each leaving at the
    /// callee's check); recorded again, it calls the callee's next trace
    /// or runs it interpreted.
    #[cold]
    fn unhook(&self, f: Forgotten, entered: u32, anchor: Target) {
        if f.trace != entered {
            self.counters.unhook(anchor, entered);
        }
        let counters = match code::loaded(f.id) {
            Some(_) if f.id == self.id => self.counters,
            Some(l) => &l.counters,
            None => return,
        };
        counters.unhook(f.pc, f.trace);
    }

    /// The X registers live at a yield exit that resumes at `pc` (an
    /// anchor, a function's entry): that function's arguments, which the
    /// process keeps while it waits. Not always the entered anchor's
    /// `arity`: a return trace that tail-calls another function's trace
    /// (session 21, bench_nrev's `app(nrev(T), [H])`) runs on in that
    /// trace, and either yields at that function's entry with its
    /// arguments. Kept as the caller's, `app/2`'s x1 was dropped, and the
    /// process resumed with what another process had left in its
    /// scheduler's X registers (session 23, docs/JIT.md).
    #[cold]
    fn yield_live(&self, pc: Target, arity: u32) -> u32 {
        match self.m.function_at(pc) {
            Some(f) if f.entry == pc => f.arity,
            _ => arity,
        }
    }

    /// The interpreter's `return` after a trace that ended in a tail call
    /// it made or at a `return` with no frame of its own below
    /// ([`EXIT_RETURN`]): its reduction is counted here, not in the
    /// trace. Out of `enter_trace`'s way.
    #[cold]
    #[inline(never)]
    fn return_from_trace(&mut self) -> Step {
        self.ret_counted()
    }

    /// Boxes the floats an exit left as raw bits in the X registers of
    /// `mask` (see [`Seam::boxmask`]).
    fn box_exit_floats(&mut self, mut mask: u64) {
        while mask != 0 {
            let i = mask.trailing_zeros() as usize;
            mask &= mask - 1;
            let bits = self.x[i].raw();
            self.x[i] = self.p.heap.float(f64::from_bits(bits));
        }
    }

    /// Executes instructions from the current pc (an anchor, or a side
    /// exit), showing each to `rec` first, until the loop closes or the
    /// recorder gives up; then the normal loop continues at the current pc
    /// (for a closed loop, the tail call back to the anchor, which enters
    /// the trace). A root trace's number is stored at `anchor`.
    fn record_loop(&mut self, mut rec: Box<dyn Recorder>, anchor: Option<Target>) -> Step {
        if self.recording {
            rec.interrupted("nested recording");
            return Ok(());
        }
        self.recording = true;
        let out = loop {
            let instr = self.cur.peek();
            if instr.copies() > 0 {
                // A fused instruction: its plain copies follow, and those
                // are what the recorder sees (`enigma_vm::code::fuse`).
                self.cur.fetch();
                continue;
            }
            self.sync_stack();
            match rec.instr(self.pc(), instr, &self.x[..], &self.p.stack) {
                Recorded::Continue => {}
                Recorded::Abort => break Ok(()),
                Recorded::Done => {
                    if let (Some(trace), Some(at)) = (rec.finish(), anchor) {
                        self.counters.set_trace(at, trace);
                    }
                    break Ok(());
                }
            }
            self.cur.fetch();
            if let Err(stop) = self.exec_one(instr) {
                rec.interrupted("exception or yield while recording");
                break Err(stop);
            }
        };
        self.recording = false;
        out
    }
}
