//! Calls and returns: local, remote and tail calls, `apply`, and what a
//! call through an export entry does when the entry holds no code (a BIF,
//! an interpreter operation, or an undefined function: load the module on
//! demand, else `undef`, as BEAM's `error_handler` does).
//!
//! The stack discipline (docs/RUNTIME.md): a non-tail call pushes its
//! continuation pointer; `allocate N` pushes N Y slots above it (y0 on
//! top); `deallocate N` pops them; `return` pops the continuation pointer.

use enigma_vm::atom::Atom;
use enigma_vm::code::{Countdown, Instr, Target};
use enigma_vm::exception::Exception;
use enigma_vm::saved_calls::SavedCall;
use enigma_vm::term::fun::Export;
use enigma_vm::term::Term;

use crate::code::{self, Loaded};
use crate::cursor::Cursor;
use crate::instr::except::{bif_head, Head};
use crate::regs::XBase;
use crate::run::{Outcome, Run, Step, Stop, NUM_REGS};
use crate::stack::Sp;
use crate::{sched, special};

/// What a fused call form found at its callee's head ([`callee_head`]).
pub(crate) enum Callee {
    /// The callee returns at once, its result in x0 (set): the call and
    /// its return are done.
    Returns,
    /// The callee's head test is done and passed on: its code goes on at
    /// this position (the call's target itself when there was no test).
    At(Target),
}

/// The head test of the function at `target`, called with its arguments
/// in the X registers `xs`, run by a fused call form in its own dispatch
/// (`Run::pre_run_call`, `Run::run_last`) when its head is a base case
/// that returns an argument or keeps x0 (`IsLtXXElseReturnX`, tak's
/// `tak(X, Y, Z) when Y < X -> ...; tak(_, _, Z) -> Z`; `IsLtXIReturn`,
/// fib's `fib(N) when N < 2 -> N`): a call whose callee returns at once
/// then pushes no continuation and takes no dispatch for the callee and
/// its return, and one whose callee goes on enters it past the test.
/// Only small integers are compared here: anything else enters at
/// `target`, whose test takes the general path. Neither test has an
/// effect but the x0 it returns.
#[inline(always)]
pub(crate) fn callee_head(cur: &Cursor, xs: XBase, target: Target) -> Callee {
    match *cur.peek_at(target) {
        Instr::IsLtXXElseReturnX { a, b, src } => {
            let (ta, tb) = (xs.get(usize::from(a)), xs.get(usize::from(b)));
            if !(ta.is_small() && tb.is_small()) {
                Callee::At(target)
            } else if (ta.raw() as i64) < (tb.raw() as i64) {
                // Past the fused test and its one copy, `IsLtXX`.
                Callee::At(target + 2)
            } else {
                xs.set(0, xs.get(usize::from(src)));
                Callee::Returns
            }
        }
        Instr::IsLtXIReturn { fail, a, imm } => {
            let t = xs.get(usize::from(a));
            if !t.is_small() {
                Callee::At(target)
            } else if (t.raw() as i64) < (imm.raw() as i64) {
                Callee::Returns
            } else {
                Callee::At(fail.raw())
            }
        }
        _ => Callee::At(target),
    }
}

impl Run<'_> {
    /// Counts a reduction (one per call, as BEAM): in the slice's budget
    /// only; [`Run::sync_reductions`] adds what was spent to the process's
    /// total. Outside the instruction loop's fast paths, which spend from
    /// their local cursor's ([`Cursor::reduce`]).
    #[inline(always)]
    pub(crate) fn reduce(&mut self) {
        self.cur.reduce();
    }

    /// Adds the reductions spent since the last call (what `budget` went
    /// down by since `reds_mark`) to `Process::reductions`: at the end of
    /// a run, before a BIF or operation that may read the total, and
    /// wherever the budget is set rather than spent.
    pub(crate) fn sync_reductions(&mut self) {
        let spent = self.reds_mark.wrapping_sub(self.cur.budget);
        self.p.reductions = self.p.reductions.wrapping_add(spent as u64);
        self.reds_mark = self.cur.budget;
    }

    /// Sets the budget left in this slice (0 ends it at the next call)
    /// without counting the change as reductions spent.
    pub(crate) fn set_budget(&mut self, budget: i64) {
        self.sync_reductions();
        self.cur.budget = budget;
        self.reds_mark = budget;
    }

    /// After a call has reached its target: a yield when the slice is
    /// spent, and then a safe point (the `arity` argument registers are
    /// live). Only there: the fast path of a call costs nothing more.
    #[inline(always)]
    pub(crate) fn check_budget(&mut self, arity: u32) -> Step {
        if self.cur.budget <= 0 {
            self.safe_point(arity);
            return Err(Stop::Done(Outcome::Yielded {
                id: self.id,
                pc: self.pc(),
                live: arity,
            }));
        }
        Ok(())
    }

    /// Pushes the continuation pointer of the next instruction.
    #[inline(always)]
    fn push_cp(&mut self) {
        let cp = code::cp(self.id, self.pc());
        self.push(cp);
    }

    /// `call`, at the loop's cursor `cur` (`crate::run::dispatch`):
    /// `self.cur` is written only where the call leaves the loop's fast
    /// path (a yield, the anchor's countdown running out). `cont` is the
    /// instruction's continuation pointer (`Instr::Call`'s, complete
    /// since the code was installed).
    #[inline(always)]
    pub(crate) fn call_local<const P: bool>(
        &mut self,
        cur: &mut Cursor,
        target: u32,
        count: &Countdown,
        cont: u64,
    ) -> Step {
        cur.reduce();
        debug_assert_eq!(
            code::as_cp(Term::from_raw(cont)).map(|c| c.0),
            Some(self.id)
        );
        self.push_in(&mut cur.budget, Term::from_raw(cont));
        self.enter_local::<P>(cur, target, count)
    }

    /// [`Run::call_local`] once its continuation is pushed (and its
    /// reduction counted): to `target`, counted at its anchor when `P`
    /// (the loop profiles: [`crate::seam::profiling`]). Only the cold
    /// path needs the call's arity, and reads it from the plain `Call`
    /// before the continuation just pushed ([`Run::pushed_call_arity`]):
    /// the fast path loads none (each call form loaded it, or spilled
    /// it to the native stack, for the cold path's sake).
    #[inline(always)]
    pub(crate) fn enter_local<const P: bool>(
        &mut self,
        cur: &mut Cursor,
        target: u32,
        count: &Countdown,
    ) -> Step {
        cur.goto(target);
        let due = P && cfg!(feature = "counters") && count.tick();
        if cur.budget <= 0 || due {
            // Out of the fast path's way (docs/RUNTIME.md, session 14).
            std::hint::cold_path();
            self.cur = *cur;
            let arity = self.pushed_call_arity();
            self.check_budget(arity)?;
            if due {
                self.local_call_due(count, target, arity)?;
            }
            *cur = self.cur;
        }
        Ok(())
    }

    /// The arity of the body call whose continuation pointer is on top
    /// of the stack, just pushed ([`Run::enter_local`]'s cold path). Every
    /// body call form pushes the position after a plain `Call` in the
    /// running code (its own, or the last of its copies:
    /// `enigma_vm::code::fuse`), so the instruction before that position
    /// is the `Call` and holds the arity.
    #[inline(never)]
    fn pushed_call_arity(&self) -> u32 {
        let pos = self.stack_top().and_then(code::as_cp).map(|(_, pc)| pc);
        match pos.and_then(|pc| self.m.code.get(pc.checked_sub(1)? as usize)) {
            Some(Instr::Call { arity, .. }) => *arity,
            _ => unreachable!("a body call's continuation follows its plain Call"),
        }
    }

    /// `call_last` to a later instruction, at the loop's cursor `cur`.
    #[inline(always)]
    pub(crate) fn call_last<const P: bool>(
        &mut self,
        cur: &mut Cursor,
        target: u32,
        arity: u32,
        dealloc: u32,
        count: &Countdown,
    ) -> Step {
        self.deallocate(dealloc);
        self.call_only::<P>(cur, target, arity, count)
    }

    /// `call_only` to a later instruction, at the loop's cursor `cur`;
    /// when `count` runs out, a trace at `target` is entered
    /// (`Run::tail_call_due`).
    #[inline(always)]
    pub(crate) fn call_only<const P: bool>(
        &mut self,
        cur: &mut Cursor,
        target: u32,
        arity: u32,
        count: &Countdown,
    ) -> Step {
        cur.reduce();
        cur.goto(target);
        let due = P && cfg!(feature = "counters") && count.tick();
        if cur.budget <= 0 || due {
            // Out of the fast path's way (docs/RUNTIME.md, session 14).
            std::hint::cold_path();
            self.cur = *cur;
            self.check_budget(arity)?;
            if due {
                self.tail_call_due(count, target, arity)?;
            }
            *cur = self.cur;
        }
        Ok(())
    }

    /// `call_last` back to loop anchor `target`, at the loop's cursor
    /// `cur`.
    #[inline(always)]
    pub(crate) fn loop_last<const P: bool>(
        &mut self,
        cur: &mut Cursor,
        target: u32,
        arity: u32,
        dealloc: u32,
        count: &'static Countdown,
    ) -> Step {
        self.deallocate(dealloc);
        self.loop_only::<P>(cur, target, arity, count)
    }

    /// `call_only` back to loop anchor `target`, at the loop's cursor
    /// `cur`: counted there; the JIT's side (`crate::hot`) runs only when
    /// the countdown runs out.
    #[inline(always)]
    pub(crate) fn loop_only<const P: bool>(
        &mut self,
        cur: &mut Cursor,
        target: u32,
        arity: u32,
        count: &'static Countdown,
    ) -> Step {
        cur.reduce();
        cur.goto(target);
        // Counted before a yield can leave: an arrival left due is taken
        // (with the next) at the next arrival.
        let due = P && cfg!(feature = "counters") && count.tick();
        if cur.budget <= 0 || due {
            // Out of the fast path's way (docs/RUNTIME.md, session 14).
            std::hint::cold_path();
            self.cur = *cur;
            self.check_budget(arity)?;
            if due {
                self.loop_anchor_due(count, target, arity)?;
            }
            *cur = self.cur;
        }
        Ok(())
    }

    /// `call_ext`.
    #[inline(always)]
    pub(crate) fn call_ext(&mut self, e: &'static Export, arity: u32, count: &Countdown) -> Step {
        self.push_cp();
        let addr = e.address();
        if cfg!(feature = "counters") && addr >= 1 << 32 && count.tick() {
            let (id, pc) = code::split(addr);
            self.call_anchor_due(count, id, pc);
        }
        self.enter_export(e, arity)
    }

    /// `call_ext_last`.
    #[inline(always)]
    pub(crate) fn call_ext_last(&mut self, e: &'static Export, arity: u32, dealloc: u32) -> Step {
        self.deallocate_clamped(dealloc);
        self.call_ext_only(e, arity)
    }

    /// `call_ext_only` (and `call_ext_last` once its frame is dropped).
    /// BEAM runs a BIF called in a tail position as `allocate`, a call
    /// and `deallocate_return`: its return costs a reduction more, which
    /// a BIF called with `call_ext` (no `return`) does not.
    pub(crate) fn call_ext_only(&mut self, e: &'static Export, arity: u32) -> Step {
        let addr = e.address();
        if addr < 1 << 32 && (addr != 0 || e.bif().is_some()) {
            self.reduce();
        }
        self.enter_export(e, arity)
    }

    /// Returns from a BIF or an operation the interpreter runs as a call:
    /// no reduction (BEAM's BIFs return without a `return`).
    pub(crate) fn ret(&mut self) -> Step {
        let mut cur = self.cur;
        let r = self.ret_to(&mut cur, self.top(), -1);
        self.cur = cur;
        r
    }

    /// The `return` instruction outside the loop's dispatch (after a
    /// trace's [`crate::seam::EXIT_RETURN`]), as [`Run::ret_at`].
    pub(crate) fn ret_counted(&mut self) -> Step {
        let mut cur = self.cur;
        let r = self.ret_at(&mut cur);
        self.cur = cur;
        r
    }

    /// The `return` instruction, at the loop's cursor `cur`: one
    /// reduction, as BEAM's JIT charges every `return` (fib(20): 21,891
    /// calls and as many returns, 43,785 reductions on erl), and a yield
    /// at the continuation (x0 live) when that spends the slice.
    #[inline(always)]
    pub(crate) fn ret_at(&mut self, cur: &mut Cursor) -> Step {
        self.dealloc_ret_at(cur, 0)
    }

    /// `deallocate words` and [`Run::ret_at`]: the continuation pointer
    /// read from under the frame, the stack's top set once.
    #[inline(always)]
    pub(crate) fn dealloc_ret_at(&mut self, cur: &mut Cursor, words: u32) -> Step {
        let sp = self.top();
        self.ret_from(cur, sp, -(words as isize) - 1)
    }

    /// [`Run::dealloc_ret_at`] with the stack's top `sp` as [`Run::top`]
    /// read it (not moved since), the continuation pointer `under` words
    /// from it (`-(words + 1)`, [`Sp::word_at`]): an arm that read the
    /// top before storing an X register does not load it again after the
    /// store (which might alias `Run::st`, as far as the compiler knows),
    /// and a fused return that holds `under` (`Instr::AddYXDeallocReturn`)
    /// does not negate its frame's size.
    #[inline(always)]
    pub(crate) fn ret_from(&mut self, cur: &mut Cursor, sp: Sp, under: isize) -> Step {
        cur.reduce();
        self.ret_to(cur, sp, under)?;
        if cur.budget <= 0 {
            std::hint::cold_path();
            self.cur = *cur;
            self.check_budget(1)?;
        }
        Ok(())
    }

    /// Drops the frame and the continuation pointer `under` words from
    /// the top `sp` (as [`Run::ret_from`]'s) and returns to that
    /// continuation, at the loop's cursor `cur` (written back to
    /// `self.cur` where the return leaves the loop or switches module
    /// versions).
    #[inline(always)]
    fn ret_to(&mut self, cur: &mut Cursor, sp: Sp, under: isize) -> Step {
        // A continuation pointer into the running module version: its
        // position's bits alone are left when the key is taken off
        // (`code::cp_key`), and they are the target's offset.
        let pos = sp.word_at(under).raw().wrapping_sub(self.cp_key);
        self.drop_to(sp, under);
        if pos & code::CP_FAST_MASK == 0 {
            cur.goto((pos >> 2) as Target);
            return Ok(());
        }
        std::hint::cold_path();
        self.cur = *cur;
        // The word read again (kept from the fast path, it took a register
        // copy on every return; `pos` plus the key folds back to it).
        let cp = sp.word_at(under);
        self.ret_slow(cp)?;
        *cur = self.cur;
        Ok(())
    }

    /// `return` to the end of the run or into another module version,
    /// `cp` the word popped.
    #[inline(never)]
    fn ret_slow(&mut self, cp: Term) -> Step {
        match code::as_cp(cp) {
            Some((0, _)) | None => Err(Stop::Done(Outcome::Returned(self.x[0]))),
            Some((id, pc)) => self.jump_to(id, pc),
        }
    }

    /// Continues in `e` with its arguments in x0..x(arity-1); the
    /// continuation pointer is already on the stack.
    pub(crate) fn enter_export(&mut self, e: &'static Export, arity: u32) -> Step {
        self.reduce();
        let addr = e.address();
        if addr >= 1 << 32 {
            let (id, pc) = code::split(addr);
            self.jump_to(id, pc)?;
            // One test for the slice's end and for a process saving its
            // calls (`Run::export_floor`).
            if self.cur.budget <= self.export_floor {
                return self.entered_export(e, arity);
            }
            return Ok(());
        }
        self.call_non_code(e, arity, addr)
    }

    /// A call through an export entry reached its code with the slice
    /// spent or the process saving its calls.
    #[cold]
    #[inline(never)]
    fn entered_export(&mut self, e: &'static Export, arity: u32) -> Step {
        if self.export_floor != 0 {
            self.p.save_call(SavedCall::Export(e));
        }
        self.check_budget(arity)
    }

    #[inline(never)]
    fn call_non_code(&mut self, e: &'static Export, arity: u32, addr: usize) -> Step {
        if self.export_floor != 0 {
            special::save_call(self, e, addr);
        }
        // `statistics(reductions)`, `process_info(self(), reductions)`.
        self.sync_reductions();
        if addr != 0 {
            return special::call(self, addr, arity);
        }
        if let Some(bif) = e.bif() {
            let traced = if crate::call_trace::bifs_traced() {
                self.trace_bif_call(e, arity)
            } else {
                crate::call_trace::BifCall::default()
            };
            let n = arity as usize;
            let before = self.p.heap.words_used();
            let r = bif(self.p, &self.x[..n]);
            if traced.ends() {
                self.trace_bif_end(e, traced, &r);
            }
            self.take_bif_reductions();
            return match r {
                Ok(v) => {
                    // A safe point after a BIF called like a function: its
                    // result is all that is live.
                    self.x[0] = v;
                    self.after_bif(before);
                    self.ret()
                }
                Err(ex) => {
                    let args = self.x[..n].to_vec();
                    let frame = self.bif_frame(e, &args, &ex);
                    let head = if self.in_native_entry(e) {
                        // A NIF replaces its stub: no frame of its own.
                        Head::FrameThenStack(frame)
                    } else {
                        bif_head(e, frame)
                    };
                    Err(Stop::Raise(ex, head))
                }
            };
        }
        self.undefined(e, arity)
    }

    /// A call to a function with no code: load its module on demand (and
    /// run its `on_load`), or raise `undef`; a process whose
    /// `error_handler` flag names another module calls its
    /// `undefined_function(M, F, Args)` instead (if loaded, as BEAM).
    #[inline(never)]
    fn undefined(&mut self, e: &'static Export, arity: u32) -> Step {
        let n = arity as usize;
        if let Some(handler) = self.custom_error_handler() {
            return self.call_handler(handler, e.module, e.function, n);
        }
        self.load_or_undef(e, arity)
    }

    /// Calls `handler` (`ErrorHandler:undefined_function/3`) for a call of
    /// `m:f` with the `n` arguments in x0.. (`undef` if it is not loaded).
    fn call_handler(&mut self, handler: &'static Export, m: Atom, f: Atom, n: usize) -> Step {
        if handler.address() == 0 {
            return self.raise_undef_mfa(m, f, n);
        }
        let args = self.p.heap.list(&self.x[..n]);
        self.x[0] = Term::atom(m);
        self.x[1] = Term::atom(f);
        self.x[2] = args;
        self.enter_export(handler, 3)
    }

    /// The default error handler (`error_handler:undefined_function/3`):
    /// load `e`'s module if it is not loaded and call `e`, or raise
    /// `undef`.
    pub(crate) fn load_or_undef(&mut self, e: &'static Export, arity: u32) -> Step {
        let n = arity as usize;
        if e.address() != 0 || e.bif().is_some() {
            return self.enter_export(e, arity);
        }
        let loaded = match code::ensure_loaded(e.module) {
            // Its `on_load` function runs in this process, then the call
            // goes on (BEAM's error handler waits for the code server).
            Ok(Loaded::New(id)) if code::is_pending(id) => {
                return self.boot_call("on_load_call", e, n);
            }
            Ok(Loaded::Pending) => return self.boot_call("await_call", e, n),
            Ok(Loaded::New(_)) if is_service(e.module) => return self.service_call(e, n),
            // Another scheduler loaded it since this call looked.
            Ok(_) => true,
            Err(code::CodeError::NotFound(_)) => false,
            // erl's code server logs why it refused the file, then `undef`.
            Err(err) => {
                let info = special::bad_file(self, e.module, &err)?;
                return self.failed_load_call(info, e, n);
            }
        };
        if loaded && (e.address() != 0 || e.bif().is_some()) {
            return self.enter_export(e, arity);
        }
        if let Some(handler) = loaded
            .then(|| undefined_function_handler(e.module))
            .flatten()
        {
            return self.call_undefined_handler(handler, e.function, n);
        }
        self.raise_undef(e, n)
    }

    /// As `error_handler:undefined_function/3`: a loaded module that
    /// exports `'$handle_undefined_function'/2` (`handler`) gets the call
    /// of its undefined `f` with the `n` arguments in x0.., a tail call in
    /// the error handler's place.
    fn call_undefined_handler(&mut self, handler: &'static Export, f: Atom, n: usize) -> Step {
        let args = self.p.heap.list(&self.x[..n]);
        self.x[0] = Term::atom(f);
        self.x[1] = args;
        self.enter_export(handler, 2)
    }

    /// Continues the call of `e` (arguments in x0..x(n-1)) as a call of
    /// `enigma_boot:F(Module, Function, Args)`, which makes the call once
    /// the module's `on_load` function has run.
    fn boot_call(&mut self, f: &str, e: &'static Export, n: usize) -> Step {
        self.call_boot_module("enigma_boot", f, e, n)
    }

    /// Continues the call of `e` (arguments in x0..x(n-1)) as a call of
    /// `Boot:F(Module, Function, Args)` of a boot module.
    fn call_boot_module(&mut self, boot: &str, f: &str, e: &'static Export, n: usize) -> Step {
        let args = self.p.heap.list(&self.x[..n]);
        self.x[0] = Term::atom(e.module);
        self.x[1] = Term::atom(e.function);
        self.x[2] = args;
        self.enter_boot(boot, f, 3)
    }

    /// Tail-calls `Boot:F/arity` of a boot module, its arguments in x0...
    pub(crate) fn enter_boot(&mut self, boot: &str, f: &str, arity: u32) -> Step {
        let boot = Atom::intern(boot).map_err(|_| Exception::system_limit())?;
        let f = Atom::intern(f).map_err(|_| Exception::system_limit())?;
        self.enter_export(Export::get_or_create(boot, f, arity), arity)
    }

    /// Continues the call of `e` (arguments in x0..x(n-1)), whose module's
    /// file the loader refused, as `enigma_boot:undef_after_load(Info,
    /// Module, Function, Args)`: it logs what erl logs (`Info` is
    /// `load_failed/1`'s) and raises `undef` as the call would have.
    fn failed_load_call(&mut self, info: Term, e: &'static Export, n: usize) -> Step {
        let args = self.p.heap.list(&self.x[..n]);
        self.x[0] = info;
        self.x[1] = Term::atom(e.module);
        self.x[2] = Term::atom(e.function);
        self.x[3] = args;
        self.enter_boot("enigma_boot", "undef_after_load", 4)
    }

    /// Continues the call of `e` (arguments in x0..x(n-1)), which loaded
    /// a server's module, as `enigma_kernel:service_call(Module, Function,
    /// Args)`, which starts the server as `erl`'s boot does before the call
    /// goes on.
    fn service_call(&mut self, e: &'static Export, n: usize) -> Step {
        self.call_boot_module("enigma_kernel", "service_call", e, n)
    }

    /// `error:undef` for a call of `e` with the `n` arguments in x0..
    fn raise_undef(&mut self, e: &'static Export, n: usize) -> Step {
        self.raise_undef_mfa(e.module, e.function, n)
    }

    /// `error:undef` for a call of `m:f` with the `n` arguments in x0..
    fn raise_undef_mfa(&mut self, m: Atom, f: Atom, n: usize) -> Step {
        let args = self.p.heap.list(&self.x[..n]);
        let frame = self
            .p
            .heap
            .tuple(&[Term::atom(m), Term::atom(f), args, Term::NIL]);
        Err(Stop::Raise(
            Exception::error(Term::atom(Atom::UNDEF)),
            Head::FrameThenStack(frame),
        ))
    }

    /// `ErrorHandler:undefined_function/3` when this process's
    /// `error_handler` flag names another module than `error_handler`
    /// (whose work [`Run::undefined`] does itself).
    fn custom_error_handler(&self) -> Option<&'static Export> {
        let key = Atom::intern("error_handler").ok()?;
        let n = sched::pid_number(self.p.pid)?;
        let flag = sched::with(|s| {
            let meta = s.meta.get(&n)?;
            meta.flags.iter().find(|(a, _)| *a == key).map(|&(_, v)| v)
        })?;
        let m = flag.as_atom().filter(|&m| m != key)?;
        let f = Atom::intern("undefined_function").ok()?;
        Some(Export::get_or_create(m, f, 3))
    }

    /// `apply Arity` (module in x(arity), function in x(arity+1));
    /// `dealloc` is set for `apply_last`.
    pub(crate) fn apply(&mut self, arity: u32, dealloc: Option<u32>) -> Step {
        let n = arity as usize;
        let (m, f) = (self.x[n], self.x[n + 1]);
        match dealloc {
            Some(words) => self.deallocate_clamped(words),
            None => self.push_cp(),
        }
        self.apply_mfa(m, f, arity)
    }

    /// Calls `M:F` with the `arity` arguments in x0.. (continuation pointer
    /// already pushed).
    pub(crate) fn apply_mfa(&mut self, m: Term, f: Term, arity: u32) -> Step {
        let (Some(ma), Some(fa)) = (m.as_atom(), f.as_atom()) else {
            let args = self.p.heap.list(&self.x[..arity as usize]);
            let apply = Export::get_or_create(
                Atom::ERLANG,
                Atom::intern("apply").map_err(|_| Exception::system_limit())?,
                3,
            );
            let ex = Exception::badarg();
            let frame = self.bif_frame(apply, &[m, f, args], &ex);
            return Err(Stop::Raise(ex, Head::FrameThenCaller(frame)));
        };
        let e = Export::get_or_create(ma, fa, arity);
        self.enter_export(e, arity)
    }

    /// Starts a process at `e`: an error of `apply/2` (a bad fun) is
    /// reported under its frame, as BEAM's process start reports it.
    pub(crate) fn enter_start(&mut self, e: &'static Export, arity: u32) -> Step {
        self.enter_export(e, arity)
            .map_err(|stop| self.apply_frame(e, stop))
    }

    /// Starts a process at `M:F` that has no export entry, as BEAM's
    /// `spawn/3` does: it makes none, but calls the error handler, whose
    /// load of `M` makes `M`'s entries in their order (as
    /// `module_info(exports)` shows them). (`apply` makes the entry first.)
    #[inline(never)]
    pub(crate) fn start_unloaded(&mut self, m: Atom, f: Atom, arity: u32) -> Step {
        let n = arity as usize;
        if let Some(handler) = self.custom_error_handler() {
            return self.call_handler(handler, m, f, n);
        }
        let loaded = code::ensure_loaded(m);
        let waits = match loaded {
            Ok(Loaded::New(id)) if code::is_pending(id) => Some("on_load_call"),
            Ok(Loaded::Pending) => Some("await_call"),
            Ok(Loaded::New(_)) if is_service(m) => Some("service_call"),
            _ => None,
        };
        match (Export::lookup(m, f, arity), waits) {
            (Some(e), Some("service_call")) => self.service_call(e, n),
            (Some(e), Some(boot)) => self.boot_call(boot, e, n),
            (Some(e), None) if e.address() != 0 || e.bif().is_some() => self.enter_export(e, arity),
            _ => match loaded.ok().and_then(|_| undefined_function_handler(m)) {
                Some(handler) => self.call_undefined_handler(handler, f, n),
                None => self.raise_undef_mfa(m, f, n),
            },
        }
    }

    /// Spreads the proper list `args` into x0..; its length, or `None` if
    /// it is not a proper list that fits (the registers are then
    /// untouched: the error reports the arguments of the `apply`).
    pub(crate) fn spread_args(&mut self, args: Term) -> Option<u32> {
        let mut it = args.list_iter();
        let n = it.by_ref().take(NUM_REGS - 1).count();
        if n > NUM_REGS - 2 || !it.tail().is_nil() {
            return None;
        }
        for (x, a) in self.x.iter_mut().zip(args.list_iter()) {
            *x = a;
        }
        Some(n as u32)
    }
}

/// `M:'$handle_undefined_function'/2`, when module `m`'s loaded code
/// exports it.
fn undefined_function_handler(m: Atom) -> Option<&'static Export> {
    let f = Atom::intern("$handle_undefined_function").ok()?;
    Export::lookup(m, f, 2).filter(|h| h.address() >= 1 << 32)
}

/// Whether `m` is the module of a server `erl`'s boot starts and OTP's
/// libraries read without a call (`inet_db`, whose named tables `inet`'s
/// resolver reads): a call that loads it starts the server first
/// (`enigma_kernel:service_call/3`), so a program that never uses it
/// never pays for it. `prim_socket` and `prim_net` are the same: `erl`'s
/// boot (`erl_init`) runs their `on_load/0`, which starts the socket
/// registry and fills the persistent terms `socket` reads.
fn is_service(m: Atom) -> bool {
    matches!(m.name(), "inet_db" | "prim_socket" | "prim_net")
}
