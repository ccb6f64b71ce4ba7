//! The instruction loop: one `match` over [`Instr`], each family of
//! instructions implemented in `crate::instr::*` as methods of [`Run`].
//!
//! Between two instructions the whole truth is the process (heap, stack),
//! the X and float registers and the code position `(id, pc)`; `m` only
//! caches `code::module(id)`.

use enigma_vm::atom::Atom;
use enigma_vm::code::{ArithOp, Instr, Module, Reg, Src, Target};
use enigma_vm::exception::Exception;
use enigma_vm::process::Process;
use enigma_vm::term::fun::Export;
use enigma_vm::term::Term;

use crate::code;
use crate::cursor::Cursor;
use crate::instr::arith::{small2, small_op};
use crate::instr::bs_match::Utf;
use crate::instr::except::Head;
use crate::stack::Top;

/// Number of X and float registers.
pub const NUM_REGS: usize = enigma_vm::code::operand::MAX_X_REGS as usize;

/// The X and float registers of one executor (a scheduler thread); a
/// process borrows them while it runs (docs/RUNTIME.md).
pub struct Registers {
    /// X registers (an array: an index masked to its size needs no bounds
    /// check).
    pub x: Box<[Term; NUM_REGS]>,
    /// Float registers (an array, as `x`).
    pub f: Box<[f64; NUM_REGS]>,
}

impl Default for Registers {
    fn default() -> Self {
        Registers {
            x: Box::new([Term::NIL; NUM_REGS]),
            f: Box::new([0.0; NUM_REGS]),
        }
    }
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Outcome {
    /// The called function returned this value.
    Returned(Term),
    /// An exception nobody caught: class and reason, and the stack trace.
    Raised(Exception, Term),
    /// `erlang:halt/0,1,2` with this status.
    Halt(i32),
    /// The reductions ran out at a call: resume at `(id, pc)` with `live`
    /// argument registers.
    Yielded {
        /// Code id.
        id: u32,
        /// Instruction index.
        pc: Target,
        /// Live X registers.
        live: u32,
    },
    /// Waiting in `receive`: resume at `on_message` when a message
    /// arrives, at `on_timeout` when `timeout_ms` (if any) has passed. No X
    /// register is live.
    Waiting {
        /// Code id.
        id: u32,
        /// Where a new message resumes.
        on_message: Target,
        /// Where the timeout resumes.
        on_timeout: Target,
        /// The timeout, `None` for `infinity`.
        timeout_ms: Option<u64>,
    },
}

/// How a process starts.
#[derive(Clone, Copy, Debug)]
pub enum Start {
    /// Call this function with the arguments in the registers.
    Export(&'static Export),
    /// Call this fun with the arguments in the registers.
    Fun(Term),
    /// Call `Module:Function/Arity` with the arguments in the registers,
    /// as BEAM's `spawn/3` does: no export entry made before the module
    /// loads (`spawn/3`, `spawn_request`, `enigma run`).
    Apply(Atom, Atom, u32),
}

/// Why the loop leaves an instruction early.
pub(crate) enum Stop {
    /// An exception to unwind, with how its stack trace starts.
    Raise(Exception, Head),
    /// An exception whose stack trace is already built (`raise/3`).
    Reraise(Exception, Term),
    /// The run is over.
    Done(Outcome),
}

impl From<Exception> for Stop {
    fn from(e: Exception) -> Stop {
        Stop::Raise(e, Head::Current)
    }
}

/// Result of one instruction.
pub(crate) type Step = Result<(), Stop>;

/// A running process: its registers, its code position and the process.
///
/// `repr(C)` with the stack's top first: its address is then `Run`'s own,
/// which the instruction loop holds in a register anyway (laid out by the
/// compiler, the loop kept the field's address as a value of its own and
/// recomputed it with a `lea` before most pushes and pops).
#[repr(C)]
pub(crate) struct Run<'a> {
    /// The stack's top (`crate::stack`): `p.stack`'s length is stale
    /// while the run runs.
    pub st: Top,
    /// The X registers (the instruction loop keeps their address in a
    /// local: [`crate::regs::XBase`]).
    pub x: crate::regs::XRegs<'a>,
    pub f: &'a mut [f64; NUM_REGS],
    pub p: &'a mut Process,
    pub m: &'static Module,
    /// The next instruction of `m.code`, with the slice's budget.
    pub cur: Cursor,
    pub counters: &'static crate::counters::Counters,
    /// The running code's id (0 in the boot code's first instructions,
    /// `start`), set with [`Run::set_id`].
    pub id: u32,
    /// `code::cp_high(id)`.
    pub cp_high: u64,
    /// `code::cp_key(id)`.
    pub cp_key: u64,
    /// `cur.budget` (the reductions left in this slice) when the
    /// reductions spent were last added to `Process::reductions`
    /// (`Run::sync_reductions`): a call only decrements the budget.
    pub reds_mark: i64,
    /// Loop-anchor count at which the JIT takes over (`seam::threshold`).
    pub threshold: u32,
    /// Whether a trace is being recorded (no nested recording).
    pub recording: bool,
    /// What a call through an export entry compares the budget with: 0,
    /// or `i64::MAX` while the process saves its calls
    /// (`process_flag(save_calls, N)`), so that such a call takes the
    /// cold path, which saves it, at no cost to the others.
    pub export_floor: i64,
}

/// [`Run::export_floor`] for process `p`.
pub(crate) fn export_floor(p: &Process) -> i64 {
    if p.saved_calls.is_some() {
        i64::MAX
    } else {
        0
    }
}

/// Calls `export` (module, function, arity of `args`) in process `p` and
/// runs until it returns or raises, without yielding. Re-entrant: the
/// caller's X registers must be saved by the caller if it needs them.
pub fn call(
    regs: &mut Registers,
    p: &mut Process,
    export: &'static Export,
    args: &[Term],
) -> Outcome {
    if args.len() > NUM_REGS {
        return Outcome::Raised(Exception::system_limit(), Term::NIL);
    }
    regs.x[..args.len()].copy_from_slice(args);
    let base = p.stack.len();
    // The caller holds terms the collector cannot see.
    p.block_gc();
    let out = start(regs, p, Start::Export(export), args.len() as u32, i64::MAX);
    p.unblock_gc();
    p.stack.truncate(base);
    out
}

/// Starts a process: `what` with `arity` arguments already in the X
/// registers, for at most `budget` reductions.
pub fn start(
    regs: &mut Registers,
    p: &mut Process,
    what: Start,
    arity: u32,
    budget: i64,
) -> Outcome {
    p.stack.push(code::EXIT_CP);
    let Some(boot) = code::loaded(crate::boot_id()) else {
        return Outcome::Raised(Exception::badarg(), Term::NIL);
    };
    let Some(cur) = Cursor::at(&boot.module.code, 0, budget) else {
        return Outcome::Raised(Exception::badarg(), Term::NIL);
    };
    let st = Top::of(p);
    let floor = export_floor(p);
    let mut run = Run {
        x: crate::regs::XRegs::new(&mut regs.x),
        f: &mut regs.f,
        p,
        m: &boot.module,
        cur,
        st,
        counters: &boot.counters,
        id: 0,
        cp_high: code::cp_high(0),
        cp_key: code::cp_key(0),
        reds_mark: budget,
        threshold: crate::seam::threshold(),
        recording: false,
        export_floor: floor,
    };
    let entered = match what {
        Start::Fun(f) => run.enter_fun(f, arity),
        Start::Apply(m, f, arity) => match Export::lookup(m, f, arity) {
            Some(e) => run.enter_start(e, arity),
            None => run.start_unloaded(m, f, arity),
        },
        Start::Export(e) => run.enter_start(e, arity),
    };
    match entered {
        Ok(()) => run.run(),
        Err(stop) => match run.stop(stop) {
            Some(out) => {
                run.sync_reductions();
                out
            }
            None => run.run(),
        },
    }
}

/// Resumes a process at `(id, pc)` (its live X registers restored by the
/// caller) for at most `budget` reductions.
pub fn resume(regs: &mut Registers, p: &mut Process, id: u32, pc: Target, budget: i64) -> Outcome {
    let (id, pc) = if crate::call_trace::ever() {
        crate::call_trace::redirect(id, pc)
    } else {
        (id, pc)
    };
    let Some((l, cur)) =
        code::loaded(id).and_then(|l| Some((l, Cursor::at(&l.module.code, pc, budget)?)))
    else {
        return Outcome::Raised(Exception::badarg(), Term::NIL);
    };
    let st = Top::of(p);
    let floor = export_floor(p);
    let mut run = Run {
        x: crate::regs::XRegs::new(&mut regs.x),
        f: &mut regs.f,
        p,
        m: &l.module,
        cur,
        st,
        counters: &l.counters,
        id,
        cp_high: code::cp_high(id),
        cp_key: code::cp_key(id),
        reds_mark: budget,
        threshold: crate::seam::threshold(),
        recording: false,
        export_floor: floor,
    };
    run.run()
}

/// Runs `$ok`, an instruction's fast path that neither reads nor moves
/// the code position and tells whether it succeeded; when it did not,
/// writes the loop's cursor back and raises `$error` (see [`dispatch`]).
macro_rules! fallible {
    ($this:ident, $cur:ident, $ok:expr, $error:expr) => {
        if !$ok {
            $this.cur = $cur;
            return Err($error.into());
        }
    };
}

/// A fused float load and operation (`FloadImmAdd` and the like):
/// `$load` (`fload_imm_arith` or `fload_x_arith`) with the operator `$op`,
/// `badarith` when it fails.
macro_rules! fload_op {
    ($this:ident, $cur:ident, $load:ident($f:ident, $op:tt)) => {
        fallible!(
            $this,
            $cur,
            $this.$load($f, |x, y| x $op y),
            Exception::badarith()
        )
    };
}

/// A fused add, moves and body call (`Run::pre_run_call`): the move
/// shape `$shape` (a `move_run` constant), whether the add reads a Y
/// register, allocates a frame and ends in a `trim`, the register
/// numbers' count `$n`, and the call when the instruction holds it.
macro_rules! pre_run {
    ($this:ident, $cur:ident, $xs:ident, $instr:ident, $shape:ident, $y:literal, $alloc:literal,
     $trim:literal, $n:literal, $regs:expr, $pre:expr, $copies:expr, $call:expr) => {
        $this.pre_run_call::<P, { enigma_vm::code::move_run::$shape }, $y, $alloc, $trim, $n>(
            &mut $cur, $xs, $instr, $regs, $pre, $copies, $call,
        )?
    };
}

/// Runs `$body`, an instruction arm that reads or moves the code position
/// through [`Run`]'s accessors or may leave the loop, with `$this.cur` in
/// step with the loop's local cursor `$cur` (see [`dispatch`]).
macro_rules! synced {
    ($this:ident, $cur:ident, $body:expr) => {{
        $this.cur = $cur;
        $body;
        $cur = $this.cur;
    }};
}

/// [`synced`], with `$body` run out of line ([`outline`]: one call per
/// arm): for the arms that are rare in loops (calls to BIFs and other
/// modules, funs, receive, exceptions), so that their code does not take
/// registers from the loop's hot arms.
macro_rules! outlined {
    ($this:ident, $cur:ident, $body:expr) => {{
        $this.cur = $cur;
        outline($this, |$this: &mut Run<'_>| {
            $body;
            Ok(())
        })?;
        $cur = $this.cur;
    }};
}

/// Calls `f`, an instruction arm of [`dispatch`] that is not on its fast
/// path, as a function of its own: each arm's closure is a distinct type,
/// so each gets its own copy of this function, which is never inlined
/// into the loop.
#[inline(never)]
fn outline<'a, F: FnOnce(&mut Run<'a>) -> Step>(run: &mut Run<'a>, f: F) -> Step {
    f(run)
}

/// The body of the instruction loop: executes `instr` (`pc` already
/// points past it) on `$this`, a [`Run`], whose code position and budget
/// are `$cur`, a local [`Cursor`] (registers in the loop, where a field of
/// `Run` would be loaded and stored at every dispatch). The hot arms use
/// `$cur` directly, and hand its budget to what may collect or grow the
/// stack (`Run::allocate_in`, `Run::safe_point_in`, ...: either may end
/// the slice); the others run [`synced`], and every arm that leaves the
/// loop writes `$cur` back to `Run::cur` first. `$xs` is the X registers'
/// address ([`crate::regs::XBase`]), a local too: it does not change
/// while the run runs, so it needs no writing back. A macro, not a function, so
/// that [`Run::step`] keeps it inline with no result test per instruction
/// (an early `return`/`?` leaves the loop), and the recording loop
/// (`crate::hot`) reuses it one instruction at a time. A `const P: bool`
/// in scope says whether calls and back edges count at their anchors.
macro_rules! dispatch {
    ($this:ident, $instr:ident, $cur:ident, $xs:ident) => {
        match *$instr {
            Instr::FuncInfo { function } => {
                $this.cur = $cur;
                return $this.func_info(function);
            }
            // The instructions that do nothing store the cursor, so that
            // no jump-table entry leads straight back to the dispatch: a
            // dispatch that is its own successor is never tail-duplicated
            // into the arms (docs/RUNTIME.md, session 14).
            Instr::NifStart => $this.cur = $cur,
            Instr::TraceCall { function, entry } => {
                outlined!($this, $cur, $this.trace_call(function, entry)?)
            }
            Instr::TraceReturn => outlined!($this, $cur, $this.trace_return()?),
            Instr::TraceCatch => outlined!($this, $cur, $this.trace_catch()?),
            Instr::CodeEnd => {
                $this.cur = $cur;
                return Err(Exception::badarg().into());
            }
            Instr::Call {
                target,
                ref count,
                cont,
                ..
            } => $this.call_local::<P>(&mut $cur, target, count, cont)?,
            Instr::Move2XYXXCall {
                ref moves,
                target,
                ref count,
                cont,
                ..
            } => {
                $this.move2::<false, true, false, false>($xs, moves);
                $this.call_local::<P>(&mut $cur, target, count, cont)?
            }
            Instr::CallLast {
                arity,
                target,
                dealloc,
                ref count,
            } => $this.call_last::<P>(&mut $cur, target, arity, dealloc, count)?,
            // Fused with their plain copies (`enigma_vm::code::fuse`): a
            // fast path that does not apply goes on into the copies.
            Instr::ListAllocXYX {
                fail,
                src,
                head,
                tail,
                words,
            } => match $xs.get(src as usize).as_cons() {
                Some((h, t)) => {
                    $this.allocate_in(&mut $cur.budget, words);
                    $this.top().set_y16(head, h);
                    $xs.set(tail as usize, t);
                    $cur.skip(3)
                }
                None => $cur.goto(fail.raw()),
            },
            Instr::ListAllocXYXCall {
                fail,
                src,
                head,
                tail,
                words,
            } => match $xs.get(src as usize).as_cons() {
                Some((h, t)) => {
                    $xs.set(tail as usize, t);
                    $this.run_framed_call::<P>(&mut $cur, $instr, words, head, h)?
                }
                None => $cur.goto(fail.raw()),
            },
            Instr::PutListYXDeallocReturn {
                live,
                head,
                tail,
                under,
            } => {
                let c = $this.test_heap_cons(&mut $cur.budget, live, |r| {
                    (r.top().y16(head), r.xr(tail as usize))
                });
                $xs.set(0, c);
                let sp = $this.top();
                $this.ret_from(&mut $cur, sp, under as isize)?
            }
            Instr::IsLtXIReturn { fail, a, imm } => {
                if lt_imm($xs.get(a as usize), imm) {
                    $this.ret_at(&mut $cur)?
                } else {
                    $cur.goto(fail.raw())
                }
            }
            Instr::IsLtXXElseReturnX { a, b, src } => {
                if small_lt($xs.get(a as usize), $xs.get(b as usize)) {
                    $cur.skip(1)
                } else {
                    $xs.set(0, $xs.get(src as usize));
                    $this.ret_at(&mut $cur)?
                }
            }
            Instr::IsEqExactXIReturnX { a, src, imm } => {
                if $xs.get(a as usize) == imm {
                    $xs.set(0, $xs.get(src as usize));
                    $this.ret_at(&mut $cur)?
                } else {
                    $cur.skip(2)
                }
            }
            Instr::AddYXDeallocReturn { a, b, under } => {
                let sp = $this.top();
                let (ta, tb) = (sp.y16(a), $xs.get(b as usize));
                if let Some(v) = add_tagged(ArithOp::Add, ta, tb) {
                    $xs.set(0, v);
                    $this.ret_from(&mut $cur, sp, under as isize)?
                }
            }
            Instr::AddXIAllocate {
                a,
                dst,
                words,
                delta,
            } => {
                if let Some(v) = add_delta($xs.get(a as usize), delta) {
                    $xs.set(dst as usize, v);
                    $this.allocate_in(&mut $cur.budget, words);
                    $cur.skip(2)
                }
            }
            Instr::MoveXXCall {
                src,
                dst,
                target,
                ref count,
                cont,
                ..
            } => {
                $xs.set(dst as usize, $xs.get(src as usize));
                $this.call_local::<P>(&mut $cur, target, count, cont)?
            }
            Instr::TrimCall {
                words,
                target,
                ref count,
                cont,
                ..
            } => {
                $this.deallocate(words);
                $this.call_local::<P>(&mut $cur, target, count, cont)?
            }
            Instr::MoveYXLoopLast {
                src,
                dst,
                arity,
                target,
                dealloc,
                ref count,
            } => {
                $xs.set(dst as usize, $this.y(src as usize));
                $this.loop_last::<P>(&mut $cur, target, arity.into(), dealloc, count)?
            }
            Instr::MovesXYXYXYXXCall { ref regs, copies } => {
                $this.move_run::<{ enigma_vm::code::move_run::XY_XY_XY_XX }>($xs, regs);
                $this.run_call::<P>(&mut $cur, $instr, copies)?
            }
            Instr::MovesYXXYYXXXXXCall { ref regs, copies } => {
                $this.move_run::<{ enigma_vm::code::move_run::YX_XY_YX_XX_XX }>($xs, regs);
                $this.run_call::<P>(&mut $cur, $instr, copies)?
            }
            Instr::MovesYXXYYXXXXXYYTrimCall { ref regs, copies } => {
                $this.move_run::<{ enigma_vm::code::move_run::YX_XY_YX_XX_XX_YY }>($xs, regs);
                $this.run_trim_call::<P>(&mut $cur, $instr, copies)?
            }
            Instr::AddXIAllocMovesXYXXCall {
                ref moves,
                ref pre,
                copies,
                target,
                cont,
                ..
            } => {
                let call = Some((target, cont));
                pre_run!($this, $cur, $xs, $instr, XY_XX, false, true, false, 4,
                         moves, pre, copies, call)
            }
            Instr::AddYIMovesXYXXCall {
                ref moves,
                ref pre,
                copies,
                target,
                cont,
                ..
            } => {
                let call = Some((target, cont));
                pre_run!($this, $cur, $xs, $instr, XY_XX, true, false, false, 4,
                         moves, pre, copies, call)
            }
            Instr::AddXIAllocMovesXYXYXYXXCall {
                ref regs,
                copies,
                ref pre,
            } => pre_run!($this, $cur, $xs, $instr, XY_XY_XY_XX, false, true, false, 12,
                          regs, pre, copies, None),
            Instr::AddYIMovesYXXYYXXXXXCall {
                ref regs,
                copies,
                ref pre,
            } => pre_run!($this, $cur, $xs, $instr, YX_XY_YX_XX_XX, true, false, false, 12,
                          regs, pre, copies, None),
            Instr::AddYIMovesYXXYYXXXXXYYTrimCall {
                ref regs,
                copies,
                ref pre,
            } => pre_run!($this, $cur, $xs, $instr, YX_XY_YX_XX_XX_YY, true, false, true, 12,
                          regs, pre, copies, None),
            Instr::MovesYXYXYXLast { ref regs, copies } => {
                $this.move_run::<{ enigma_vm::code::move_run::YX_YX_YX }>($xs, regs);
                $this.run_last::<P>(&mut $cur, $xs, $instr, copies)?
            }
            Instr::MovesYXXXYXLast { ref regs, copies } => {
                $this.move_run::<{ enigma_vm::code::move_run::YX_XX_YX }>($xs, regs);
                $this.run_last::<P>(&mut $cur, $xs, $instr, copies)?
            }
            Instr::MovesXXYXYXLast { ref regs, copies } => {
                $this.move_run::<{ enigma_vm::code::move_run::XX_YX_YX }>($xs, regs);
                $this.run_last::<P>(&mut $cur, $xs, $instr, copies)?
            }
            Instr::MovesYXYXYXYXLast { ref regs, copies } => {
                $this.move_run::<{ enigma_vm::code::move_run::YX_YX_YX_YX }>($xs, regs);
                $this.run_last::<P>(&mut $cur, $xs, $instr, copies)?
            }
            Instr::MovesYXYXYXYXYXLast { ref regs, copies } => {
                $this.move_run::<{ enigma_vm::code::move_run::YX_YX_YX_YX_YX }>($xs, regs);
                $this.run_last::<P>(&mut $cur, $xs, $instr, copies)?
            }
            Instr::CallOnly {
                arity,
                target,
                ref count,
            } => $this.call_only::<P>(&mut $cur, target, arity, count)?,
            Instr::MoveCallOnly {
                src,
                dst,
                arity,
                target,
                ref count,
            } => {
                $xs.set(dst as usize, $xs.get(src as usize));
                $this.call_only::<P>(&mut $cur, target, arity, count)?
            }
            Instr::LoopLast {
                arity,
                target,
                dealloc,
                ref count,
            } => $this.loop_last::<P>(&mut $cur, target, arity, dealloc, count)?,
            Instr::LoopOnly {
                arity,
                target,
                ref count,
            } => $this.loop_only::<P>(&mut $cur, target, arity, count)?,
            Instr::MoveLoopOnly {
                src,
                dst,
                arity,
                target,
                ref count,
            } => {
                $xs.set(dst as usize, $xs.get(src as usize));
                $this.loop_only::<P>(&mut $cur, target, arity, count)?
            }
            Instr::AddBandLoop(ref op) => $this.add_band_loop(&mut $cur, op)?,
            Instr::ByteLoop(ref back) => outlined!($this, $cur, $this.byte_loop(back)?),
            Instr::CallExt {
                arity,
                export,
                ref count,
            } => outlined!($this, $cur, $this.call_ext(export, arity, count)?),
            Instr::CallExtLast {
                arity,
                export,
                dealloc,
            } => outlined!($this, $cur, $this.call_ext_last(export, arity, dealloc)?),
            Instr::CallExtOnly { arity, export } => {
                outlined!($this, $cur, $this.call_ext_only(export, arity)?)
            }
            Instr::Apply { arity } => outlined!($this, $cur, $this.apply(arity, None)?),
            Instr::ApplyLast { arity, dealloc } => {
                outlined!($this, $cur, $this.apply(arity, Some(dealloc))?)
            }
            Instr::CallFun { arity } => outlined!($this, $cur, $this.call_fun(arity)?),
            Instr::CallFun2 { arity, fun, .. } => {
                outlined!($this, $cur, $this.call_fun2(arity, fun)?)
            }
            Instr::CallFunLast {
                arity,
                dealloc,
                fun,
            } => outlined!($this, $cur, $this.call_fun_last(arity, dealloc, fun)?),
            Instr::Return => $this.ret_at(&mut $cur)?,
            Instr::MoveReturn { src } => {
                $xs.set(0, $this.get(src));
                $this.ret_at(&mut $cur)?
            }
            Instr::MoveReturnX { src } => {
                $xs.set(0, $xs.get(src as usize));
                $this.ret_at(&mut $cur)?
            }
            Instr::DeallocateReturn { words } => {
                $this.dealloc_ret_at(&mut $cur, words)?
            }
            Instr::Bif0 { bif, dst } => outlined!($this, $cur, $this.bif0(bif, dst)?),
            Instr::Bif1 { fail, bif, a, dst } => {
                outlined!($this, $cur, $this.bif1(fail, bif, a, dst)?)
            }
            Instr::Bif2 {
                fail,
                bif,
                a,
                b,
                dst,
            } => outlined!($this, $cur, $this.bif2(fail, bif, a, b, dst)?),
            Instr::Op2 {
                op,
                fail,
                live,
                a,
                b,
                dst,
            } => match small2(op, $this.get(a), $this.get(b)) {
                Some(v) => $this.set(dst, v),
                None => outlined!($this, $cur, $this.op2_slow(op, fail, live, a, b, dst)?),
            },
            Instr::Op2XI {
                op,
                fail,
                live,
                a,
                imm,
                dst,
            } => {
                let t = $xs.get(a as usize);
                match t
                    .is_small()
                    .then(|| small_op(op, t.small_value(), imm))
                    .flatten()
                {
                    Some(v) => $this.set(dst, v),
                    None => outlined!($this, $cur, $this.op2_xi_slow(op, fail, live, a, imm, dst)?),
                }
            }
            // The loader's `AddXI`, `BandXI` and `AddYI` write X registers.
            Instr::AddXI { a, delta, dst, .. } => match add_delta($xs.get(a as usize), delta) {
                Some(v) => $xs.set(dst.x_index(), v),
                None => outlined!($this, $cur, $this.op2_general_slow($instr)?),
            },
            Instr::AddXIY { a, delta, dst, .. } => match add_delta($xs.get(a as usize), delta) {
                Some(v) => $this.set(dst, v),
                None => outlined!($this, $cur, $this.op2_general_slow($instr)?),
            },
            Instr::BandXI { a, mask, dst, .. } => {
                let t = $xs.get(a as usize);
                if t.is_small() {
                    $xs.set(dst.x_index(), Term::from_raw(t.raw() & mask as u64))
                } else {
                    outlined!($this, $cur, $this.op2_general_slow($instr)?)
                }
            }
            Instr::AddYI { a, delta, dst, .. } => match add_delta($this.y(a as usize), delta) {
                Some(v) => $xs.set(dst.x_index(), v),
                None => outlined!($this, $cur, $this.op2_general_slow($instr)?),
            },
            Instr::AddRR { op, a, b, dst, .. } => {
                match add_tagged(op, $this.reg(a), $this.reg(b)) {
                    Some(v) => $this.set(dst, v),
                    None => outlined!($this, $cur, $this.op2_general_slow($instr)?),
                }
            }
            Instr::AddXX { a, b, dst, .. } => {
                let (ta, tb) = ($xs.get(a as usize), $xs.get(b as usize));
                match add_tagged(ArithOp::Add, ta, tb) {
                    Some(v) => $xs.set(dst as usize, v),
                    None => outlined!($this, $cur, $this.op2_general_slow($instr)?),
                }
            }
            Instr::AddYX { a, b, dst, .. } => {
                let (ta, tb) = ($this.y(a as usize), $xs.get(b as usize));
                match add_tagged(ArithOp::Add, ta, tb) {
                    Some(v) => $xs.set(dst as usize, v),
                    None => outlined!($this, $cur, $this.op2_general_slow($instr)?),
                }
            }
            Instr::GcBif1 {
                fail,
                live,
                bif,
                a,
                dst,
            } => outlined!($this, $cur, {
                $this.safe_point_bif1(live, a);
                $this.bif1(fail, bif, a, dst)?
            }),
            Instr::GcBifN {
                fail,
                live,
                bif,
                args,
                dst,
            } => outlined!($this, $cur, $this.gc_bif_n(fail, live, bif, args, dst)?),
            Instr::Allocate { stack, .. } | Instr::AllocateZero { stack, .. } => {
                $this.allocate_in(&mut $cur.budget, stack)
            }
            Instr::AllocateHeap { stack, live, .. }
            | Instr::AllocateHeapZero { stack, live, .. } => {
                $this.safe_point_in(&mut $cur.budget, live);
                $this.allocate_in(&mut $cur.budget, stack)
            }
            // The heap grows on demand: `test_heap` is only a safe point.
            Instr::TestHeap { live, .. } => $this.safe_point_in(&mut $cur.budget, live),
            Instr::Init { dst } => $this.set(dst, Term::NIL),
            Instr::InitYregs { regs } => $this.init_yregs(regs),
            Instr::Deallocate { words } => $this.deallocate(words),
            Instr::Trim { words, .. } => $this.deallocate(words),
            Instr::IsLt { fail, a, b } => outlined!($this, $cur, $this.is_lt(fail, a, b)),
            Instr::IsGe { fail, a, b } => outlined!($this, $cur, $this.is_ge(fail, a, b)),
            Instr::IsLtXI { fail, a, imm } => {
                let ok = lt_imm($xs.get(a as usize), imm);
                $cur.test(fail, ok)
            }
            Instr::IsGeXI { fail, a, imm } => {
                let ok = !lt_imm($xs.get(a as usize), imm);
                $cur.test(fail, ok)
            }
            Instr::IsLtIX { fail, imm, a } => {
                let ok = imm_lt(imm, $xs.get(a as usize));
                $cur.test(fail, ok)
            }
            Instr::IsGeIX { fail, imm, a } => {
                let ok = !imm_lt(imm, $xs.get(a as usize));
                $cur.test(fail, ok)
            }
            Instr::IsLtXX { fail, a, b } => {
                let ok = small_lt($xs.get(a as usize), $xs.get(b as usize));
                $cur.test(fail, ok)
            }
            Instr::IsGeXX { fail, a, b } => {
                let ok = !small_lt($xs.get(a as usize), $xs.get(b as usize));
                $cur.test(fail, ok)
            }
            Instr::IsEq { fail, a, b } => outlined!($this, $cur, $this.is_eq(fail, a, b, true)),
            Instr::IsNe { fail, a, b } => outlined!($this, $cur, $this.is_eq(fail, a, b, false)),
            Instr::IsEqExact { fail, a, b } => {
                outlined!($this, $cur, $this.is_eq_exact(fail, a, b, true))
            }
            Instr::IsNeExact { fail, a, b } => {
                outlined!($this, $cur, $this.is_eq_exact(fail, a, b, false))
            }
            Instr::IsEqExactImm { fail, src, imm } => {
                let ok = $this.get(src) == imm;
                $cur.test(fail, ok)
            }
            Instr::IsNeExactImm { fail, src, imm } => {
                let ok = $this.get(src) != imm;
                $cur.test(fail, ok)
            }
            Instr::IsEqExactXI { fail, a, imm } => {
                let ok = $xs.get(a as usize) == imm;
                $cur.test(fail, ok)
            }
            Instr::IsNeExactXI { fail, a, imm } => {
                let ok = $xs.get(a as usize) != imm;
                $cur.test(fail, ok)
            }
            Instr::IsInteger { fail, src } => {
                let ok = $this.get(src).is_integer();
                $cur.test(fail, ok)
            }
            Instr::IsFloat { fail, src } => {
                let ok = $this.get(src).is_float();
                $cur.test(fail, ok)
            }
            Instr::IsNumber { fail, src } => {
                let ok = $this.get(src).is_number();
                $cur.test(fail, ok)
            }
            Instr::IsAtom { fail, src } => {
                let ok = $this.get(src).is_atom();
                $cur.test(fail, ok)
            }
            Instr::IsNil { fail, src } => {
                let ok = $this.get(src).is_nil();
                $cur.test(fail, ok)
            }
            Instr::IsNonemptyList { fail, src } => {
                let ok = $this.get(src).is_list();
                $cur.test(fail, ok)
            }
            Instr::IsNonemptyListX { fail, a } => {
                let ok = $xs.get(a as usize).is_list();
                $cur.test(fail, ok)
            }
            Instr::IsList { fail, src } => {
                let t = $this.get(src);
                $cur.test(fail, t.is_list() || t.is_nil())
            }
            Instr::IsTuple { fail, src } => {
                let ok = $this.get(src).is_tuple();
                $cur.test(fail, ok)
            }
            Instr::IsPid { fail, src }
            | Instr::IsReference { fail, src }
            | Instr::IsPort { fail, src }
            | Instr::IsBinary { fail, src }
            | Instr::IsBitstring { fail, src }
            | Instr::IsFunction { fail, src }
            | Instr::IsBoolean { fail, src }
            | Instr::IsMap { fail, src } => {
                let ok = type_test($instr, $this.get(src));
                $cur.test(fail, ok)
            }
            Instr::IsFunction2 { fail, src, arity } => {
                outlined!($this, $cur, $this.is_function2(fail, src, arity))
            }
            Instr::TestArity { fail, src, arity } | Instr::IsTupleOfArity { fail, src, arity } => {
                let ok = $this.tuple_of_arity(src, arity);
                $cur.test(fail, ok)
            }
            Instr::IsTaggedTuple {
                fail,
                src,
                arity,
                tag,
            } => outlined!($this, $cur, $this.is_tagged_tuple(fail, src, arity, tag)),
            Instr::SelectVal { src, fail, table } => {
                outlined!($this, $cur, $this.select_val(src, fail, table)?)
            }
            Instr::SelectTupleArity { src, fail, table } => {
                outlined!($this, $cur, { $this.select_tuple_arity(src, fail, table)? })
            }
            Instr::Jump { target } => $cur.goto(target),
            Instr::Catch { y, target } | Instr::Try { y, target } => {
                let marker = code::catch_marker($this.id, target);
                $this.set(y, marker)
            }
            Instr::CatchEnd { y } => outlined!($this, $cur, $this.catch_end(y)),
            Instr::TryEnd { y } => $this.set(y, Term::NIL),
            Instr::TryCase { y } => outlined!($this, $cur, $this.try_case(y)),
            Instr::TryCaseEnd { src } => {
                $this.cur = $cur;
                return $this.error_tuple("try_clause", src);
            }
            Instr::Raise { trace, value } => {
                $this.cur = $cur;
                return $this.raise_instr(trace, value);
            }
            Instr::BuildStacktrace => outlined!($this, $cur, $this.build_stacktrace()),
            Instr::RawRaise => {
                $this.cur = $cur;
                return $this.raw_raise();
            }
            Instr::Badmatch { src } => {
                $this.cur = $cur;
                return $this.error_tuple("badmatch", src);
            }
            Instr::CaseEnd { src } => {
                $this.cur = $cur;
                return $this.error_tuple("case_clause", src);
            }
            Instr::Badrecord { src } => {
                $this.cur = $cur;
                return $this.error_tuple("badrecord", src);
            }
            Instr::IfEnd => {
                $this.cur = $cur;
                let reason = Term::atom(enigma_vm::atom::Atom::IF_CLAUSE);
                return Err(Exception::error(reason).into());
            }
            Instr::Move { src, dst } => {
                let t = $this.get(src);
                $this.set(dst, t)
            }
            Instr::Move2 {
                src1,
                dst1,
                src2,
                dst2,
            } => {
                let t = $this.get(src1);
                $this.set(dst1, t);
                let t = $this.get(src2);
                $this.set(dst2, t)
            }
            Instr::Move2R {
                src1,
                dst1,
                src2,
                dst2,
            } => {
                let t = $this.reg(src1);
                $this.set(dst1, t);
                let t = $this.reg(src2);
                $this.set(dst2, t)
            }
            Instr::Move2XXXX(ref r) => $this.move2::<false, false, false, false>($xs, r),
            Instr::Move2XYXY(ref r) => $this.move2::<false, true, false, true>($xs, r),
            Instr::Move2YXYX(ref r) => $this.move2::<true, false, true, false>($xs, r),
            Instr::Move2XYXX(ref r) => $this.move2::<false, true, false, false>($xs, r),
            Instr::Move2YXXX(ref r) => $this.move2::<true, false, false, false>($xs, r),
            Instr::Move2XXYX(ref r) => $this.move2::<false, false, true, false>($xs, r),
            Instr::Move2YXXY(ref r) => $this.move2::<true, false, false, true>($xs, r),
            Instr::Move2XXYY(ref r) => $this.move2::<false, false, true, true>($xs, r),
            Instr::MoveXX { src, dst } => $xs.set(dst as usize, $xs.get(src as usize)),
            Instr::MoveXY { src, dst } => {
                let t = $xs.get(src as usize);
                $this.set_y(dst as usize, t)
            }
            Instr::MoveYX { src, dst } => $xs.set(dst as usize, $this.y(src as usize)),
            Instr::Swap { a, b } => $this.swap(a, b),
            Instr::GetList { src, head, tail } => {
                fallible!(
                    $this,
                    $cur,
                    $this.get_list(src, head, tail),
                    Exception::badarg()
                )
            }
            Instr::GetListX { src, head, tail } => match $xs.get(src as usize).as_cons() {
                Some((h, t)) => {
                    $this.set(head, h);
                    $this.set(tail, t)
                }
                None => {
                    $this.cur = $cur;
                    return Err(Exception::badarg().into());
                }
            },
            Instr::GetListXYX { src, head, tail } => match $xs.get(src as usize).as_cons() {
                Some((h, t)) => {
                    $this.set_y(head as usize, h);
                    $xs.set(tail as usize, t)
                }
                None => {
                    $this.cur = $cur;
                    return Err(Exception::badarg().into());
                }
            },
            Instr::GetHd { src, dst } => {
                fallible!($this, $cur, $this.get_hd(src, dst), Exception::badarg())
            }
            Instr::GetTl { src, dst } => {
                fallible!($this, $cur, $this.get_tl(src, dst), Exception::badarg())
            }
            Instr::GetTupleElement { src, index, dst } => {
                fallible!(
                    $this,
                    $cur,
                    $this.get_tuple_element(src, index, dst),
                    Exception::badarg()
                )
            }
            Instr::GetPairXX { .. } => {
                fallible!($this, $cur, $this.get_pair_xx($instr), Exception::badarg())
            }
            Instr::SetTupleElement {
                value,
                tuple,
                index,
            } => outlined!($this, $cur, $this.set_tuple_element(value, tuple, index)?),
            Instr::PutList { head, tail, dst } => $this.put_list(head, tail, dst),
            Instr::TestHeapPutList {
                live,
                head,
                tail,
                dst,
                ..
            } => {
                let c = $this.test_heap_cons(&mut $cur.budget, live, |r| (r.get(head), r.get(tail)));
                $this.set(dst, c)
            }
            Instr::TestHeapPutListYX {
                live,
                head,
                tail,
                dst,
                ..
            } => {
                let c =
                    $this.test_heap_cons(&mut $cur.budget, live, |r| (r.y(head as usize), r.get(tail)));
                $xs.set(dst as usize, c)
            }
            Instr::PutTuple2 { dst, elements } => $this.put_tuple2(dst, elements),
            Instr::TestHeapPutPair {
                live, dst, a, b, ..
            } => $this.test_heap_put_pair(&mut $cur.budget, live, dst, a, b),
            Instr::MakeFun { fun, dst, env } => {
                outlined!($this, $cur, $this.make_fun(fun, dst, env))
            }
            Instr::Fclearerror | Instr::Fcheckerror => $this.cur = $cur,
            Instr::FloadFr { src, dst } => {
                fallible!($this, $cur, $this.fload(src, dst), Exception::badarith())
            }
            Instr::FloadImm { value, dst, .. } => $this.set_fr(dst as usize, value),
            Instr::FloadX { src, dst } => match $xs.get(src as usize).as_float() {
                Some(f) => $this.set_fr(dst as usize, f),
                None => {
                    $this.cur = $cur;
                    return Err(Exception::badarith().into());
                }
            },
            Instr::FstoreFr { src, dst } => $this.fstore(src, dst),
            Instr::TestHeapFstore { live, src, dst, .. } => {
                let t = $this.test_heap_float(&mut $cur.budget, live, $this.fr(src as usize));
                $this.set(dst, t)
            }
            Instr::FmoveFr { src, dst } => $this.set_fr(dst as usize, $this.fr(src as usize)),
            Instr::Fconv { src, dst } => {
                let t = $this.get(src);
                fallible!($this, $cur, $this.fconv(t, dst), Exception::badarith())
            }
            Instr::FconvX { src, dst } => {
                let t = $xs.get(src as usize);
                fallible!($this, $cur, $this.fconv(t, dst), Exception::badarith())
            }
            Instr::Fadd { a, b, dst } => {
                fallible!(
                    $this,
                    $cur,
                    $this.farith(a, b, dst, |x, y| x + y),
                    Exception::badarith()
                )
            }
            Instr::Fsub { a, b, dst } => {
                fallible!(
                    $this,
                    $cur,
                    $this.farith(a, b, dst, |x, y| x - y),
                    Exception::badarith()
                )
            }
            Instr::Fmul { a, b, dst } => {
                fallible!(
                    $this,
                    $cur,
                    $this.farith(a, b, dst, |x, y| x * y),
                    Exception::badarith()
                )
            }
            Instr::Fdiv { a, b, dst } => {
                fallible!(
                    $this,
                    $cur,
                    $this.farith(a, b, dst, |x, y| x / y),
                    Exception::badarith()
                )
            }
            Instr::FloadImmAdd(ref f) => fload_op!($this, $cur, fload_imm_arith(f, +)),
            Instr::FloadImmSub(ref f) => fload_op!($this, $cur, fload_imm_arith(f, -)),
            Instr::FloadImmMul(ref f) => fload_op!($this, $cur, fload_imm_arith(f, *)),
            Instr::FloadImmDiv(ref f) => fload_op!($this, $cur, fload_imm_arith(f, /)),
            Instr::FloadXAdd(ref f) => fload_op!($this, $cur, fload_x_arith(f, +)),
            Instr::FloadXSub(ref f) => fload_op!($this, $cur, fload_x_arith(f, -)),
            Instr::FloadXMul(ref f) => fload_op!($this, $cur, fload_x_arith(f, *)),
            Instr::FloadXDiv(ref f) => fload_op!($this, $cur, fload_x_arith(f, /)),
            Instr::Fnegate { a, dst } => fallible!(
                $this,
                $cur,
                // BEAM computes `0.0 - a`: never `-0.0`.
                $this.farith(a, a, dst, |x, _| 0.0 - x),
                Exception::badarith()
            ),
            Instr::Send => outlined!($this, $cur, $this.send_instr()?),
            Instr::PutMapAssoc(ref op) => outlined!($this, $cur, {
                $this.safe_point_put_map(op);
                $this.put_map(op, false)?
            }),
            Instr::PutMapExact(ref op) => outlined!($this, $cur, {
                $this.safe_point_put_map(op);
                $this.put_map(op, true)?
            }),
            Instr::GetMapElements { fail, src, pairs } => {
                outlined!($this, $cur, { $this.get_map_elements(fail, src, pairs)? })
            }
            Instr::HasMapFields { fail, src, keys } => {
                outlined!($this, $cur, $this.has_map_fields(fail, src, keys))
            }
            Instr::RemoveMessage => outlined!($this, $cur, $this.remove_message()),
            Instr::Timeout => outlined!($this, $cur, $this.timeout()),
            Instr::LoopRec { fail, dst } => outlined!($this, $cur, $this.loop_rec(fail, dst)?),
            Instr::LoopRecEnd { target } => outlined!($this, $cur, $this.loop_rec_end(target)),
            Instr::Wait { target } => outlined!($this, $cur, $this.wait(target, None)?),
            Instr::WaitTimeout { target, timeout } => {
                outlined!($this, $cur, $this.wait(target, Some(timeout))?)
            }
            Instr::RecvMarkerReserve { dst } => {
                outlined!($this, $cur, $this.recv_marker_reserve(dst))
            }
            Instr::RecvMarkerBind { marker, reference } => {
                outlined!($this, $cur, $this.recv_marker_bind(marker, reference))
            }
            Instr::RecvMarkerUse { reference } => {
                outlined!($this, $cur, $this.recv_marker_use(reference))
            }
            Instr::RecvMarkerClear { reference } => {
                outlined!($this, $cur, $this.recv_marker_clear(reference))
            }
            Instr::RecvMark { .. } | Instr::RecvSet { .. } => $this.cur = $cur,
            Instr::BsCreateBin(ref op) => outlined!($this, $cur, {
                $this.safe_point_bs_create_bin(op);
                $this.bs_create_bin(op)?
            }),
            // The append optimisation is not done yet: appending
            // copies, so the writable binary is any empty one.
            Instr::BsInitWritable => $xs.set(0, $this.p.heap.writable_binary($this.x[0])),
            Instr::BsStartMatch { fail, src, dst, .. } => {
                outlined!($this, $cur, $this.bs_start_match(fail, src, dst)?)
            }
            Instr::BsStartMatchResume { src, dst } => {
                let t = $this.get(src);
                $this.set(dst, t)
            }
            Instr::BsStartMatchPos {
                fail,
                src,
                dst,
                pos,
                ..
            } => outlined!($this, $cur, $this.bs_start_match_pos(fail, src, dst, pos)?),
            Instr::BsGetInteger2(ref op) => outlined!($this, $cur, $this.bs_get_integer(op)?),
            Instr::BsGetU8 { fail, ctx, dst } => {
                synced!($this, $cur, $this.bs_get_be::<1>(fail, ctx, dst)?)
            }
            Instr::BsGetU8Eq { .. } => synced!($this, $cur, $this.bs_get_u8_eq($instr)?),
            Instr::BsGetU8Select { .. } => synced!($this, $cur, $this.bs_get_u8_select($instr)?),
            Instr::BsStartU8Eq(ref op) => $this.bs_start_u8_eq(&mut $cur, op)?,
            Instr::BsGetU16 { fail, ctx, dst } => {
                outlined!($this, $cur, $this.bs_get_be::<2>(fail, ctx, dst)?)
            }
            Instr::BsGetU32 { fail, ctx, dst } => {
                outlined!($this, $cur, $this.bs_get_be::<4>(fail, ctx, dst)?)
            }
            Instr::BsGetUint {
                fail,
                ctx,
                bits,
                dst,
            } => outlined!($this, $cur, $this.bs_get_uint(fail, ctx, bits, dst)?),
            Instr::BsGetFloat2(ref op) => outlined!($this, $cur, $this.bs_get_float(op)?),
            Instr::BsGetBinary2(ref op) => outlined!($this, $cur, $this.bs_get_binary(op)?),
            Instr::BsSkipBits2 {
                fail,
                ctx,
                size,
                unit,
                ..
            } => outlined!($this, $cur, $this.bs_skip_bits(fail, ctx, size, unit)?),
            Instr::BsTestTail2 { fail, ctx, bits } => {
                outlined!($this, $cur, $this.bs_test_tail(fail, ctx, bits)?)
            }
            Instr::BsTestUnit { fail, ctx, unit } => {
                outlined!($this, $cur, $this.bs_test_unit(fail, ctx, unit)?)
            }
            Instr::BsTestUnit8 { fail, ctx } => {
                outlined!($this, $cur, $this.bs_test_unit8(fail, ctx)?)
            }
            Instr::BsMatchString {
                fail,
                ctx,
                bits,
                string,
            } => outlined!($this, $cur, $this.bs_match_string(fail, ctx, bits, string)?),
            Instr::BsGetUtf8 {
                fail,
                ctx,
                flags,
                dst,
            } => outlined!(
                $this,
                $cur,
                $this.bs_utf(fail, ctx, flags, Utf::Utf8, Some(dst))?
            ),
            Instr::BsGetUtf16 {
                fail,
                ctx,
                flags,
                dst,
            } => outlined!(
                $this,
                $cur,
                $this.bs_utf(fail, ctx, flags, Utf::Utf16, Some(dst))?
            ),
            Instr::BsGetUtf32 {
                fail,
                ctx,
                flags,
                dst,
            } => outlined!(
                $this,
                $cur,
                $this.bs_utf(fail, ctx, flags, Utf::Utf32, Some(dst))?
            ),
            Instr::BsSkipUtf8 { fail, ctx, flags } => outlined!($this, $cur, {
                $this.bs_utf(fail, ctx, flags, Utf::Utf8, None)?
            }),
            Instr::BsSkipUtf16 { fail, ctx, flags } => outlined!($this, $cur, {
                $this.bs_utf(fail, ctx, flags, Utf::Utf16, None)?
            }),
            Instr::BsSkipUtf32 { fail, ctx, flags } => outlined!($this, $cur, {
                $this.bs_utf(fail, ctx, flags, Utf::Utf32, None)?
            }),
            Instr::BsGetTail { ctx, dst, .. } => {
                outlined!($this, $cur, $this.bs_get_tail(ctx, dst)?)
            }
            Instr::BsGetPosition { ctx, dst, .. } => {
                outlined!($this, $cur, $this.bs_get_position(ctx, dst)?)
            }
            Instr::BsSetPosition { ctx, pos } => {
                outlined!($this, $cur, $this.bs_set_position(ctx, pos)?)
            }
            Instr::BsInit2 { .. }
            | Instr::BsInitBits { .. }
            | Instr::BsAdd { .. }
            | Instr::BsAppend(_)
            | Instr::BsPrivateAppend { .. }
            | Instr::BsPutInteger { .. }
            | Instr::BsPutBinary { .. }
            | Instr::BsPutFloat { .. }
            | Instr::BsPutString { .. }
            | Instr::BsPutUtf8 { .. }
            | Instr::BsPutUtf16 { .. }
            | Instr::BsPutUtf32 { .. }
            | Instr::BsUtf8Size { .. }
            | Instr::BsUtf16Size { .. } => outlined!($this, $cur, $this.bs_old($instr)?),
        }
    };
}

impl Run<'_> {
    /// A source operand's value.
    #[inline(always)]
    pub fn get(&self, s: Src) -> Term {
        // `Src::raw`'s layout, decoded here without building a `SrcKind`.
        let raw = s.raw();
        if raw & 0b11 != enigma_vm::term::TAG_HEADER {
            return Term::from_raw(raw);
        }
        let i = (raw >> 3) as usize;
        if raw & 0b100 == 0 {
            self.xr(i)
        } else {
            self.y(i)
        }
    }

    /// A register's value.
    #[inline(always)]
    pub fn reg(&self, r: Reg) -> Term {
        if r.is_y() {
            self.y(r.index())
        } else {
            self.xr(r.index())
        }
    }

    /// Writes a register.
    #[inline(always)]
    pub fn set(&mut self, r: Reg, t: Term) {
        if r.is_y() {
            self.set_y(r.index(), t)
        } else {
            self.set_xr(r.index(), t);
        }
    }

    /// The index of the next instruction.
    #[inline(always)]
    pub fn pc(&self) -> Target {
        self.cur.pc()
    }

    /// Continues at `t`, a position in the running code that the loader
    /// resolved (see [`Cursor::goto`]).
    #[inline(always)]
    pub fn goto(&mut self, t: Target) {
        self.cur.goto(t)
    }

    /// Continues at `(id, pc)`: in the running code a continuation
    /// pointer or a loaded export's entry, elsewhere a position checked
    /// against its code.
    #[inline(always)]
    pub fn jump_to(&mut self, id: u32, pc: Target) -> Step {
        if id != self.id {
            return self.switch_to(id, pc);
        }
        self.goto(pc);
        Ok(())
    }

    /// [`Run::jump_to`] into another module version.
    #[inline(never)]
    fn switch_to(&mut self, id: u32, pc: Target) -> Step {
        // A module version a traced copy replaced (or a copy dropped).
        let (id, pc) = if crate::call_trace::ever() {
            crate::call_trace::redirect(id, pc)
        } else {
            (id, pc)
        };
        let l = code::loaded(id).ok_or_else(|| Stop::from(Exception::badarg()))?;
        self.cur = Cursor::at(&l.module.code, pc, self.cur.budget)
            .ok_or_else(|| Stop::from(Exception::badarg()))?;
        self.m = &l.module;
        self.counters = &l.counters;
        self.set_id(id);
        Ok(())
    }

    /// Sets the running code's id and what continuation pointers into it
    /// look like.
    pub fn set_id(&mut self, id: u32) {
        self.id = id;
        self.cp_high = code::cp_high(id);
        self.cp_key = code::cp_key(id);
    }

    /// Handles a stop: `None` when an exception was caught and the loop
    /// goes on, the outcome otherwise.
    /// `Process::stack` is up to date after it (the run may end here).
    pub fn stop(&mut self, stop: Stop) -> Option<Outcome> {
        let out = match stop {
            Stop::Done(out) => Some(out),
            Stop::Raise(e, head) => {
                let trace = self.stacktrace(head);
                self.unwind(e, trace)
            }
            Stop::Reraise(e, trace) => self.unwind(e, trace),
        };
        self.sync_stack();
        out
    }

    /// Runs until the outermost frame returns or an exception escapes.
    pub fn run(&mut self) -> Outcome {
        loop {
            let stepped = if crate::seam::profiling() {
                self.step::<true>()
            } else {
                self.step::<false>()
            };
            if let Err(stop) = stepped {
                if let Some(out) = self.stop(stop) {
                    self.sync_reductions();
                    return out;
                }
            }
        }
    }

    /// Executes instructions until one stops; calls and back edges count
    /// their arrivals at their anchors when `P` ([`crate::seam::profiling`]:
    /// the JIT or `--jit-stats` reads them), and do not otherwise. Two
    /// copies of the loop, so that one without a JIT or statistics does
    /// not pay a countdown's load, decrement, store and test at every
    /// call.
    fn step<const P: bool>(&mut self) -> Step {
        // A name the out-of-line arms can rebind (`synced`).
        let this = self;
        let mut cur = this.cur;
        let xs = this.x.base();
        loop {
            let instr = cur.fetch();
            dispatch!(this, instr, cur, xs);
        }
    }

    /// Executes one instruction (`pc` already points past it), for the
    /// recording loop.
    #[inline(never)]
    pub(crate) fn exec_one(&mut self, instr: &'static Instr) -> Step {
        // Recording runs only with a JIT, which reads the counts.
        const P: bool = true;
        let this = self;
        let mut cur = this.cur;
        let xs = this.x.base();
        dispatch!(this, instr, cur, xs);
        this.cur = cur;
        Ok(())
    }

    /// Jumps to `fail` unless `ok`.
    #[inline(always)]
    pub fn test(&mut self, fail: enigma_vm::code::Fail, ok: bool) {
        if !ok {
            if let Some(t) = fail.target() {
                self.goto(t);
            }
        }
    }
}

/// `a < b` in term order where one of them is a small integer: when both
/// are, their tagged words compare as their values do.
#[inline(always)]
pub(crate) fn small_lt(a: Term, b: Term) -> bool {
    if a.is_small() && b.is_small() {
        (a.raw() as i64) < (b.raw() as i64)
    } else {
        // Out of the small integers' way: the fast path's blocks
        // then follow each other with no jump between them.
        std::hint::cold_path();
        crate::instr::select::less(a, b)
    }
}

/// `a < imm` in term order, `imm` a small integer (`IsLtXI`'s and
/// `IsGeXI`'s, by the loader): only `a` needs its tag tested.
#[inline(always)]
fn lt_imm(a: Term, imm: Term) -> bool {
    if a.is_small() {
        (a.raw() as i64) < (imm.raw() as i64)
    } else {
        std::hint::cold_path();
        crate::instr::select::less(a, imm)
    }
}

/// `imm < a` in term order, `imm` a small integer (as [`lt_imm`]).
#[inline(always)]
fn imm_lt(imm: Term, a: Term) -> bool {
    if a.is_small() {
        (imm.raw() as i64) < (a.raw() as i64)
    } else {
        std::hint::cold_path();
        crate::instr::select::less(imm, a)
    }
}

/// `t + d` when `t` is a small integer and so is the result, `d` an
/// immediate shifted to the small integers' tag (`Instr::add_delta`): one
/// add of the tagged words, which overflows exactly when the result is no
/// small integer.
#[inline(always)]
pub(crate) fn add_delta(t: Term, delta: i64) -> Option<Term> {
    if !t.is_small() {
        return None;
    }
    let v = (t.raw() as i64).checked_add(delta)?;
    Some(Term::from_raw(v as u64))
}

/// `a + b` or `a - b` (`op` is one of them) when both are small integers
/// and so is the result: `v << 4 | 0xF` words add and subtract as their
/// values do once one tag is cleared, and overflow `i64` exactly when the
/// result is no small integer (small integers have 60 bits).
#[inline(always)]
pub(crate) fn add_tagged(op: ArithOp, a: Term, b: Term) -> Option<Term> {
    if !(a.is_small() && b.is_small()) {
        return None;
    }
    let (x, y) = (a.raw() as i64, (b.raw() & !0xF) as i64);
    let v = if op == ArithOp::Sub {
        x.checked_sub(y)?
    } else {
        x.checked_add(y)?
    };
    Some(Term::from_raw(v as u64))
}

/// The type tests that need a term's kind.
fn type_test(instr: &Instr, t: Term) -> bool {
    use enigma_vm::term::Kind;
    let k = t.kind();
    match instr {
        Instr::IsPid { .. } => k == Kind::Pid,
        Instr::IsReference { .. } => k == Kind::Ref,
        Instr::IsPort { .. } => k == Kind::Port,
        Instr::IsBinary { .. } => t.as_binary().is_some(),
        Instr::IsBitstring { .. } => k == Kind::Binary,
        Instr::IsFunction { .. } => k == Kind::Fun,
        Instr::IsBoolean { .. } => t == Term::TRUE || t == Term::FALSE,
        Instr::IsMap { .. } => k == Kind::Map,
        _ => false,
    }
}
