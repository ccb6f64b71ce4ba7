//! The seam between the interpreter and compiled traces (DESIGN §6,
//! docs/RUNTIME.md): the `#[repr(C)]` state a trace reads and writes at
//! fixed offsets, and the table through which the interpreter calls the JIT
//! without depending on it (`vm <- interp <- jit`: the JIT crate installs
//! an implementation of [`Jit`] at startup).
//!
//! The contract:
//! - a trace is entered at its anchor, an instruction boundary, with a
//!   [`Seam`] describing the process state there;
//! - it keeps the loop's values in machine registers and never writes the
//!   X array until it leaves;
//! - it leaves through a snapshot: the X registers the snapshot names are
//!   written back (tagged), `pc` is set to the instruction to resume at,
//!   `reds` holds the reductions left, and `exit` says why it left;
//! - a float it kept unboxed is written back to an X register as its raw
//!   `f64` bits with the register's bit set in `boxmask`: the interpreter
//!   boxes it on the process heap before it runs anything else (so exits
//!   never allocate), and float registers get raw `f64`s;
//! - a stack frame the trace allocated and still holds at an exit is in the
//!   `y` buffer: the interpreter pushes it (`yframe`, `yset`, `yfloats`);
//!   the frames below `y` in the buffer (a function trace's recursive
//!   calls, or the callers' frames of a trace called by a trace, at any
//!   depth) are each followed by their [`trailer`] word (continuation
//!   and shape), which the interpreter pushes first, each with its
//!   continuation.

use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU8, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use enigma_vm::code::{Instr, Target};
use enigma_vm::term::Term;

/// Process state at an instruction boundary, as a trace sees it. Field
/// offsets are part of the contract (the `OFF_*` constants); the backends
/// address the fields by them.
#[repr(C)]
#[derive(Debug)]
pub struct Seam {
    /// The X register array (`NUM_REGS` terms).
    pub x: *mut Term,
    /// The top word of the process stack (`y0`; `y(i)` is `ytop - i`), or
    /// null when the stack is empty.
    pub ytop: *mut Term,
    /// Reductions left in this slice; a trace subtracts one per loop
    /// iteration (one per call, as the interpreter counts).
    pub reds: i64,
    /// Where the interpreter resumes (an instruction index of the anchor's
    /// module version), written by every exit.
    pub pc: u64,
    /// Why the trace left: [`EXIT_GUARD`], [`EXIT_YIELD`], [`EXIT_HEAP`] or
    /// [`EXIT_RETURN`].
    pub exit: u32,
    /// The number of the exit taken (its snapshot), for statistics.
    pub snapshot: u32,
    /// The trace that exit belongs to (a side trace's exits are its own).
    pub trace: u32,
    /// The float register array (`NUM_REGS` `f64`s).
    pub f: *mut f64,
    /// X registers `i < 64` whose bit is set hold raw `f64` bits the
    /// interpreter must box (written by exits, cleared by the interpreter).
    pub boxmask: u64,
    /// The process heap's top: a trace allocates here and moves it up.
    pub htop: *mut u64,
    /// The end of the room a trace may allocate in (the current chunk, up
    /// to the collection limit; `htop` itself when a collection is due): a
    /// trace's heap check exits when its allocation would pass it, and the
    /// interpreter collects at the `test_heap` it resumes at.
    pub hlimit: *mut u64,
    /// The frame buffer ([`FRAME_WORDS`] terms): Y register `i` of a stack
    /// frame the trace allocated is word `i`.
    pub y: *mut Term,
    /// Words of the frame an exit leaves live (0: none): the interpreter
    /// pushes them from `y` after the trace returns.
    pub yframe: u64,
    /// Y registers of that frame the trace stored to (the others are
    /// `[]`, as `allocate` leaves them).
    pub yset: u64,
    /// Y registers of that frame holding raw `f64` bits, which the
    /// interpreter boxes.
    pub yfloats: u64,
    /// The end of the frame buffer: a function trace's recursive call
    /// exits when another frame would not fit below it.
    pub ylimit: *mut Term,
}

/// Words in [`Seam::y`] a trace's own frames take: the largest frame a
/// trace allocates, with the frames and trailers of the traces it calls
/// (each above its caller's frame and trailer).
pub const FRAME_WORDS: usize = 64;

/// Words of the frame buffer ([`Seam::y`] up to [`Seam::ylimit`]): room
/// for the frames of a function trace's recursive calls.
pub const BUFFER_WORDS: usize = 1024;

/// The word just below the frame buffer (below [`Seam::y`] at a trace's
/// entry): a return into the buffer that finds it there has no frame to
/// return into, without comparing addresses on every return. No
/// [`trailer`] equals it (its words field would be 255); it has the
/// [`CALLER`] bit, as a calling trace's trailer has (the return leaves
/// the trace either way: a return into the buffer tests that bit).
pub const BUFFER_BOTTOM: u64 = u64::MAX;

/// Largest frame (in words) a function trace's recursive call leaves in
/// the frame buffer: its [`trailer`] has a bit per Y register.
pub const TRAILER_FRAME: u32 = 12;

/// The word that follows a frame a function trace's recursive call left in
/// the frame buffer (below [`Seam::y`]): the call's continuation `cont`
/// (bits 0-31), the frame's `words` (32-35; bit 36 is [`CALLER`], 37-39
/// are 0), the Y registers the trace stored to, `set` (40-51), and those
/// of them holding raw `f64` bits, `floats` (52-63). The interpreter
/// pushes each frame from it at an exit, and a trace returning into such
/// a frame compares it whole with the one its continuation's trace was
/// recorded with. `None` for frames larger than [`TRAILER_FRAME`].
pub fn trailer(cont: Target, words: u32, set: u64, floats: u64) -> Option<u64> {
    let fits = |m: u64| m >> TRAILER_FRAME == 0;
    (words <= TRAILER_FRAME && fits(set) && fits(floats))
        .then(|| u64::from(cont) | u64::from(words) << 32 | set << 40 | floats << 52)
}

/// The mark of a [`trailer`] a trace calling another trace writes after
/// its own frame (the callee runs above it): no return site's key (a
/// recursive call's trailer) has it, so a return into the buffer never
/// takes a caller's frame for a frame of its recursion.
pub const CALLER: u64 = 1 << 36;

/// A [`trailer`]'s continuation, words, stored Y registers and raw floats
/// (whether it is marked [`CALLER`] or not).
pub fn untrailer(w: u64) -> (Target, usize, u64, u64) {
    let mask = (1 << TRAILER_FRAME) - 1;
    (
        w as u32,
        (w >> 32 & 0xF) as usize,
        w >> 40 & mask,
        w >> 52 & mask,
    )
}

/// Offset of [`Seam::x`].
pub const OFF_X: i32 = 0;
/// Offset of [`Seam::ytop`].
pub const OFF_YTOP: i32 = 8;
/// Offset of [`Seam::reds`].
pub const OFF_REDS: i32 = 16;
/// Offset of [`Seam::pc`].
pub const OFF_PC: i32 = 24;
/// Offset of [`Seam::exit`].
pub const OFF_EXIT: i32 = 32;
/// Offset of [`Seam::snapshot`].
pub const OFF_SNAPSHOT: i32 = 36;
/// Offset of [`Seam::trace`].
pub const OFF_TRACE: i32 = 40;
/// Offset of [`Seam::f`].
pub const OFF_F: i32 = 48;
/// Offset of [`Seam::boxmask`].
pub const OFF_BOXMASK: i32 = 56;
/// Offset of [`Seam::htop`].
pub const OFF_HTOP: i32 = 64;
/// Offset of [`Seam::hlimit`].
pub const OFF_HLIMIT: i32 = 72;
/// Offset of [`Seam::y`].
pub const OFF_Y: i32 = 80;
/// Offset of [`Seam::yframe`].
pub const OFF_YFRAME: i32 = 88;
/// Offset of [`Seam::yset`].
pub const OFF_YSET: i32 = 96;
/// Offset of [`Seam::yfloats`].
pub const OFF_YFLOATS: i32 = 104;
/// Offset of [`Seam::ylimit`].
pub const OFF_YLIMIT: i32 = 112;
const _: () = {
    assert!(std::mem::offset_of!(Seam, x) == OFF_X as usize);
    assert!(std::mem::offset_of!(Seam, ytop) == OFF_YTOP as usize);
    assert!(std::mem::offset_of!(Seam, reds) == OFF_REDS as usize);
    assert!(std::mem::offset_of!(Seam, pc) == OFF_PC as usize);
    assert!(std::mem::offset_of!(Seam, exit) == OFF_EXIT as usize);
    assert!(std::mem::offset_of!(Seam, snapshot) == OFF_SNAPSHOT as usize);
    assert!(std::mem::offset_of!(Seam, trace) == OFF_TRACE as usize);
    assert!(std::mem::offset_of!(Seam, f) == OFF_F as usize);
    assert!(std::mem::offset_of!(Seam, boxmask) == OFF_BOXMASK as usize);
    assert!(std::mem::offset_of!(Seam, htop) == OFF_HTOP as usize);
    assert!(std::mem::offset_of!(Seam, hlimit) == OFF_HLIMIT as usize);
    assert!(std::mem::offset_of!(Seam, y) == OFF_Y as usize);
    assert!(std::mem::offset_of!(Seam, yframe) == OFF_YFRAME as usize);
    assert!(std::mem::offset_of!(Seam, yset) == OFF_YSET as usize);
    assert!(std::mem::offset_of!(Seam, yfloats) == OFF_YFLOATS as usize);
    assert!(std::mem::offset_of!(Seam, ylimit) == OFF_YLIMIT as usize);
};

/// A guard failed: resume at `pc` and execute normally.
pub const EXIT_GUARD: u32 = 0;
/// The reductions ran out at the loop's back edge: the process yields at
/// `pc` (the anchor) as a call that spent the budget does.
pub const EXIT_YIELD: u32 = 1;

/// A heap check failed: resume at `pc` (a `test_heap`, where the
/// interpreter collects or takes a new chunk), or a `return` would have
/// spent the slice (the interpreter returns and yields); never a side
/// trace's start.
pub const EXIT_HEAP: u32 = 2;

/// The trace ended in a tail call of a library function whose result it
/// computed (`call_ext_only lists:reverse/1`), with no frame of its own:
/// x0 holds the result and the interpreter returns to the continuation
/// on the stack, as the function would have; `pc` is the call's. Never
/// a side trace's start. Odd, as [`EXIT_YIELD`] is: the interpreter
/// tells the two from the others with one test.
pub const EXIT_RETURN: u32 = 3;

/// A loop anchor: a code position.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Anchor {
    /// Code id of the module version.
    pub id: u32,
    /// Instruction index of the function entry.
    pub pc: Target,
    /// Arguments live at the anchor.
    pub arity: u32,
}

/// What the recorder says about one instruction.
#[derive(Debug, PartialEq, Eq)]
pub enum Recorded {
    /// Recorded; execute it and show the next one.
    Continue,
    /// The loop closed at this instruction (the tail call back to the
    /// anchor): the trace is complete.
    Done,
    /// Recording gave up.
    Abort,
}

/// A trace being recorded (DESIGN §6): the interpreter shows it each
/// instruction before executing it, with the registers as they are.
pub trait Recorder {
    /// Records `instr` at `pc` with the X registers and stack it will run
    /// on.
    fn instr(&mut self, pc: Target, instr: &Instr, x: &[Term], stack: &[Term]) -> Recorded;
    /// The recording stopped for a reason of the interpreter's (an
    /// exception, a yield) before it closed.
    fn interrupted(self: Box<Self>, why: &'static str);
    /// The loop closed: compile it. Returns the trace number to store at
    /// the anchor (see [`crate::counters::Counters::trace`]), if any, with
    /// [`crate::counters::WITH_RETURNS`] for a function trace.
    fn finish(self: Box<Self>) -> Option<u32>;
}

/// What the interpreter does after a trace exits.
pub enum After {
    /// Resume at `seam.pc`.
    Resume,
    /// The exit taken has become hot: resume at `seam.pc`, recording a
    /// side trace with this recorder.
    Record(Box<dyn Recorder>),
    /// Resume, and forget a root trace: its entry keeps failing (the
    /// loop now runs on other types) or it does not pay, so the next hot
    /// arrival at its anchor records again (or finds the anchor
    /// blacklisted). Not always the trace the interpreter entered: a
    /// root reached by a link or a call fails its entry check inside the
    /// entered one, and its own anchor is the one to unhook.
    Forget(Forgotten),
}

/// The root trace an [`After::Forget`] unhooks, and where.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Forgotten {
    /// Code id of the anchor's module version.
    pub id: u32,
    /// The anchor: the function entry the trace's number is stored at.
    pub pc: Target,
    /// The trace's number (as [`Recorder::finish`] returned it, without
    /// [`crate::counters::WITH_RETURNS`]): the anchor is unhooked only
    /// while it still holds this one.
    pub trace: u32,
}

/// The JIT as the interpreter sees it.
pub trait Jit: Sync {
    /// The anchor is hot and has no trace: start recording, or `None` when
    /// it is blacklisted.
    fn record(
        &'static self,
        anchor: Anchor,
        module: &'static enigma_vm::code::Module,
    ) -> Option<Box<dyn Recorder>>;
    /// Runs trace `trace` (a number [`Recorder::finish`] returned) on
    /// `seam` until it exits, and says what to do next.
    fn enter(&'static self, trace: u32, seam: &mut Seam) -> After;
    /// Arrivals at `anchor` before it is recorded again, after a
    /// recording there aborted: `threshold` when it waited for what takes
    /// time (a callee's trace), otherwise a backoff that grows with the
    /// anchor's aborts (1 is the next arrival).
    fn retry_after(&self, anchor: Anchor, threshold: u64) -> u64 {
        let _ = (anchor, threshold);
        1
    }
    /// Whether a trace is being compiled elsewhere (on the JIT's compile
    /// thread) and may be published at any moment: a hot anchor without a
    /// trace records nothing meanwhile and looks again soon.
    fn compiling(&self) -> bool {
        false
    }
    /// Whether the JIT has compiled nothing and blacklisted every anchor
    /// it recorded: the interpreter may then sample its counts
    /// ([`set_sampling`]).
    fn idle(&self) -> bool {
        false
    }
    /// The [`trailer`]s of the frames a return in trace `trace`'s
    /// recursion takes up in machine code (its return traces' keys; 0
    /// where a site has none): before entering it, the interpreter moves
    /// the frames on top of the process stack that have one of these
    /// shapes into the frame buffer, so that the recursion's returns go
    /// on into them compiled rather than exit (session 22: tak's frames
    /// after a yield). All 0 for a trace that is no function trace, and
    /// while a recording watches the entry.
    fn return_keys(&self, trace: u32) -> [u64; RETURN_SITES] {
        let _ = trace;
        [0; RETURN_SITES]
    }
}

/// Set once the JIT has published a return trace: until then no entry
/// asks it for [`Jit::return_keys`] (a call at every entry, which loops
/// entered often, bench_mandel's and bench_nbody's, paid for nothing).
static RETURNS: AtomicBool = AtomicBool::new(false);

/// A return trace was published (see [`Jit::return_keys`]).
pub fn set_returns() {
    RETURNS.store(true, Ordering::Relaxed);
}

/// Whether a return trace was ever published.
pub(crate) fn returns() -> bool {
    RETURNS.load(Ordering::Relaxed)
}

/// Return traces per function trace anchor (one per continuation of its
/// recursive calls: fib has 2, tak 3): see [`Jit::return_keys`].
pub const RETURN_SITES: usize = 4;

static JIT: OnceLock<&'static dyn Jit> = OnceLock::new();

/// Loop-anchor count at which recording starts; `u32::MAX` (the default)
/// leaves the JIT off.
static THRESHOLD: AtomicU32 = AtomicU32::new(u32::MAX);

/// How the instruction loop counts arrivals at call and loop anchors
/// (`Run::step`), one word so that a run's start reads one atomic and
/// writes none: 0 counts every run; [`NO_PROFILING`] none
/// ([`set_profiling`]); [`SAMPLING`] alone one run in [`SAMPLE_EVERY`]
/// ([`set_sampling`]).
static MODE: AtomicU8 = AtomicU8::new(0);

/// [`MODE`]'s bit: nothing reads the counts, no run counts.
const NO_PROFILING: u8 = 1;

/// [`MODE`]'s bit: the JIT is idle, one run in [`SAMPLE_EVERY`] counts.
const SAMPLING: u8 = 2;

thread_local! {
    /// Runs this scheduler started while [`SAMPLING`], counted to pick
    /// the one that counts: per thread, as a counter every scheduler
    /// wrote at every run cost a store to a shared cache line per run
    /// (bench_ring: one run a message).
    static SAMPLED: Cell<u32> = const { Cell::new(0) };
}

/// While the JIT is idle, one run (a slice) in this many counts arrivals
/// at its anchors: a countdown costs 6-7 instructions at every call and
/// back edge (bench_bin_build's loop, blacklisted at its `bs_create_bin`,
/// paid 1.2% of its instructions for them), and with no trace to enter
/// and nothing left to record only a loop that becomes hot later needs
/// them, found after this many times the threshold's arrivals.
pub const SAMPLE_EVERY: u32 = 16;

/// Whether the instruction loop counts arrivals at its anchors.
#[inline]
pub(crate) fn profiling() -> bool {
    // Tested in this order, neither `--jit=off` nor a JIT that counts
    // every run pays more than with two flags (one test each).
    let mode = MODE.load(Ordering::Relaxed);
    if mode & NO_PROFILING != 0 {
        return false;
    }
    if mode == 0 {
        return true;
    }
    SAMPLED.with(|n| {
        let next = n.get().wrapping_add(1);
        n.set(next);
        next.is_multiple_of(SAMPLE_EVERY)
    })
}

/// Samples the anchors' counts (`on`: the JIT has no trace and every
/// anchor it recorded is blacklisted) or counts them all again (a trace
/// was compiled). Never at threshold 1, which records everything.
pub fn set_sampling(on: bool) {
    if on && threshold() > 1 {
        MODE.fetch_or(SAMPLING, Ordering::Relaxed);
    } else {
        MODE.fetch_and(!SAMPLING, Ordering::Relaxed);
    }
}

/// Turns the anchors' counting off (or on again) for the runs that start
/// or resume after it: for a VM with no JIT whose counts no one reads
/// (`--jit=off` without `--jit-stats`). Recording never runs then.
pub fn set_profiling(on: bool) {
    if on {
        MODE.fetch_and(!NO_PROFILING, Ordering::Relaxed);
    } else {
        MODE.fetch_or(NO_PROFILING, Ordering::Relaxed);
    }
}

/// Installs the JIT, recording anchors hot after `threshold` backward tail
/// calls. Once per run; later calls are ignored.
pub fn install(jit: &'static dyn Jit, threshold: u32) {
    if JIT.set(jit).is_ok() {
        THRESHOLD.store(threshold.max(1), Ordering::Relaxed);
    }
}

/// The installed JIT.
pub(crate) fn jit() -> Option<&'static dyn Jit> {
    JIT.get().copied()
}

/// The loop-anchor threshold (`u32::MAX` when no JIT is installed).
pub(crate) fn threshold() -> u32 {
    THRESHOLD.load(Ordering::Relaxed)
}

/// Whether any recording has started in this run (see [`warm`]).
static WARM: AtomicBool = AtomicBool::new(false);

/// Whether the JIT has started a recording in this run: until then its
/// code is cold, and the first recording costs several times a later one
/// (`hot.rs`, `COLD_WAIT`).
pub(crate) fn warm() -> bool {
    WARM.load(Ordering::Relaxed)
}

/// Notes that a recording has started (any scheduler's).
pub(crate) fn set_warm() {
    WARM.store(true, Ordering::Relaxed);
}

/// When an anchor was first found hot in this run (see [`hot_for`]).
static HOT_SINCE: OnceLock<Instant> = OnceLock::new();

/// How long since an anchor was first found hot in this run (zero at the
/// first call, which starts the clock).
pub(crate) fn hot_for() -> Duration {
    HOT_SINCE.get_or_init(Instant::now).elapsed()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailers_hold_a_frames_continuation_and_shape() {
        let t = trailer(123_456, 12, 0xFFF, 0x801).unwrap();
        assert_eq!(untrailer(t), (123_456, 12, 0xFFF, 0x801));
        assert_eq!(untrailer(t | CALLER), untrailer(t));
        assert_ne!(t | CALLER, t);
        assert_ne!(trailer(1, 0, 0, 0), Some(0));
        assert_eq!(trailer(1, 13, 0, 0), None);
        assert_eq!(trailer(1, 12, 1 << 12, 0), None);
    }
}
