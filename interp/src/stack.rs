//! The process's Erlang stack (`Process::stack`, a `Vec` growing upward,
//! y0 on top) as the instruction loop sees it: while a [`Run`] runs, its
//! top is a pointer in `Run` ([`Top`]), so a push is a compare, a store
//! and an add, and a Y register one load, with no detour through the
//! process and the `Vec`'s length. Y registers and dropped frames need no
//! bounds test: the loader's frame-size pass (`loader::frames`) proved
//! every Y index an instruction names inside its function's frame, and
//! every `deallocate`/`trim` no larger than it; unwinding checks the frame
//! it restores against what the handler's code was proved for.
//!
//! The `Vec`'s length is stale while a run runs: [`Run::sync_stack`]
//! writes it back for code that reads `Process::stack` (the collector,
//! stack traces and unwinding, the JIT's recorder and trace entry,
//! `process_info`), and [`Run::reload_stack`] takes the pointers again
//! after code that changed or moved it (unwinding, `reserve`). Everything
//! else in the interpreter goes through the methods here.
//!
//! The `unsafe` here: reads and writes between the buffer's start and the
//! top, and writes of new words between the top and the capacity's end.

use enigma_vm::process::Process;
use enigma_vm::term::Term;

use crate::run::Run;

/// The stack's buffer as a run sees it. Invariant (while the run owns
/// the process): `base` is `Process::stack`'s buffer, `end` its
/// capacity's end, `base <= sp <= end`, and the words from `base` to `sp`
/// are initialised terms (the stack's true contents).
#[derive(Clone, Copy)]
#[repr(C)]
pub(crate) struct Top {
    /// One past the top word (y0 is `sp[-1]`).
    pub sp: *mut Term,
    /// The buffer's start.
    pub base: *mut Term,
    /// The capacity's end.
    pub end: *mut Term,
}

impl Top {
    /// The pointers of `p`'s stack, whose length is up to date.
    pub fn of(p: &mut Process) -> Top {
        let len = p.stack.len();
        let cap = p.stack.capacity();
        let base = p.stack.as_mut_ptr();
        Top {
            sp: base.wrapping_add(len),
            base,
            end: base.wrapping_add(cap),
        }
    }

    /// Words on the stack.
    #[inline(always)]
    fn depth(&self) -> usize {
        (self.sp as usize - self.base as usize) / std::mem::size_of::<Term>()
    }
}

/// Frame words `allocate` fills without a loop (see [`Run::allocate_in`]).
pub(crate) const SMALL_FRAME: usize = 4;

/// The stack's top as an instruction arm read it once ([`Run::top`]):
/// its Y registers are read and written through this copy and its push
/// made at it, where each store through the stack made the compiler
/// reload `Run::st` (it could alias it, as far as the compiler knew).
/// Valid until the top moves: the arm stores it back once
/// ([`Run::push_at`]).
#[derive(Clone, Copy)]
pub(crate) struct Sp(*mut Term);

impl Sp {
    /// Y register `!c` of the frame under this top, `c` its complement
    /// in `BITS` bits as a fused instruction holds it
    /// (`enigma_vm::code::move_run::y_byte`): `2^BITS - 1 - i`, so that
    /// `sp - (i + 1)` is `sp - 2^BITS + c`, one address with a constant
    /// displacement (no negation of the number first).
    #[inline(always)]
    fn yc_slot<const BITS: u32>(self, c: usize) -> *mut Term {
        self.0.wrapping_sub(1 << BITS).wrapping_add(c)
    }

    /// Y register `!c` (an 8-bit complement: a move run's byte).
    #[inline(always)]
    pub fn y8(self, c: u8) -> Term {
        // SAFETY: as `Run::y`: the slot is y`!c`'s, which the loader
        // proved inside the frame.
        unsafe { *self.yc_slot::<8>(usize::from(c)) }
    }

    /// Writes Y register `!c` (as [`Sp::y8`]).
    #[inline(always)]
    pub fn set_y8(self, c: u8, t: Term) {
        // SAFETY: as `Sp::y8`.
        unsafe { *self.yc_slot::<8>(usize::from(c)) = t }
    }

    /// Y register `!c` (a 16-bit complement: `code::fuse`'s forms).
    #[inline(always)]
    pub fn y16(self, c: u16) -> Term {
        // SAFETY: as `Sp::y8`.
        unsafe { *self.yc_slot::<16>(usize::from(c)) }
    }

    /// Writes Y register `!c` (as [`Sp::y16`]).
    #[inline(always)]
    pub fn set_y16(self, c: u16, t: Term) {
        // SAFETY: as `Sp::y8`.
        unsafe { *self.yc_slot::<16>(usize::from(c)) = t }
    }

    /// The word `under` words from the top (`under` negative: a
    /// return's continuation pointer, `-(n + 1)` for a frame of `n`),
    /// with no test for an empty stack: a run's stack is never empty.
    /// [`crate::run::start`] pushes `EXIT_CP` first, and nothing pops it
    /// but the `return` that ends the run: `deallocate` and `trim` stay
    /// inside their frame (`loader::frames`; a frame's `n` is such a
    /// count), [`Run::deallocate_clamped`] keeps the bottom word,
    /// unwinding stops at `EXIT_CP`, and `hibernate`, which empties the
    /// stack, ends the run and starts afresh.
    #[inline(always)]
    pub fn word_at(self, under: isize) -> Term {
        debug_assert!(under < 0);
        // SAFETY: the stack holds more than `n` words (above), so
        // `sp + under`, `sp - n - 1`, is one of them.
        unsafe { *self.0.offset(under) }
    }

    /// The top once `words` are dropped (`trim`, inside the frame:
    /// `loader::frames`).
    #[inline(always)]
    pub fn trim(self, words: u32) -> Sp {
        Sp(self.0.wrapping_sub(words as usize))
    }
}

impl Run<'_> {
    /// Writes the stack's length back to `Process::stack`.
    #[inline(always)]
    pub(crate) fn sync_stack(&mut self) {
        let n = self.st.depth();
        debug_assert!(n <= self.p.stack.capacity());
        // SAFETY: `Top`'s invariant: the first `n` words of the buffer are
        // initialised and `n` is within its capacity.
        unsafe { self.p.stack.set_len(n) }
    }

    /// Takes the pointers again from `Process::stack`, after code that
    /// changed it through the `Vec`.
    #[inline(always)]
    pub(crate) fn reload_stack(&mut self) {
        self.st = Top::of(self.p);
    }

    /// The top word, if any.
    #[inline(always)]
    pub(crate) fn stack_top(&self) -> Option<Term> {
        if self.st.sp == self.st.base {
            return None;
        }
        // SAFETY: the stack is not empty, so `sp - 1` is its top word.
        Some(unsafe { *self.st.sp.sub(1) })
    }

    /// Pops the top word, if there is one.
    pub(crate) fn pop(&mut self) -> Option<Term> {
        if self.st.sp == self.st.base {
            return None;
        }
        // SAFETY: the stack is not empty, so `sp - 1` is its top word.
        unsafe {
            self.st.sp = self.st.sp.sub(1);
            Some(*self.st.sp)
        }
    }

    /// Pushes `t`.
    #[inline(always)]
    pub(crate) fn push(&mut self, t: Term) {
        let mut budget = self.cur.budget;
        self.push_in(&mut budget, t);
        self.cur.budget = budget;
    }

    /// [`Run::push`] in the instruction loop's fast path, whose budget is
    /// `budget` (its local cursor's): growing the stack may end the slice
    /// ([`Run::stack_grew`]).
    #[inline(always)]
    pub(crate) fn push_in(&mut self, budget: &mut i64, t: Term) {
        if self.st.sp == self.st.end {
            *budget = self.grow_with(*budget, 1);
        }
        // SAFETY: `sp < end` (grown above): the word is in the buffer.
        unsafe {
            self.st.sp.write(t);
            self.st.sp = self.st.sp.add(1);
        }
    }

    /// `allocate words`, Y register `!head` (its complement, as
    /// [`Sp::y16`]'s) set to `h`, then `cp` pushed: a
    /// body-recursive list head's frame and its call's continuation
    /// pointer (`Instr::ListAllocXYXCall`). A frame smaller than
    /// `SMALL_FRAME` leaves room for the push in what `allocate` tested.
    /// A frame of one word is the head's alone (`head` is in the frame:
    /// `loader::frames`), so it is not filled with `[]` first.
    /// `budget` is the instruction loop's (as [`Run::push_in`]).
    #[inline(always)]
    pub(crate) fn allocate_and_push(
        &mut self,
        budget: &mut i64,
        words: u32,
        head: u16,
        h: Term,
        cp: Term,
    ) {
        if words == 1 {
            let sp = self.allocate_one_at(budget, self.top());
            sp.set_y16(head, h);
            return self.push_at(budget, sp, true, cp);
        }
        if words as usize >= SMALL_FRAME {
            std::hint::cold_path();
            self.allocate_in(budget, words);
            self.top().set_y16(head, h);
            return self.push_in(budget, cp);
        }
        if self.st.sp.wrapping_add(SMALL_FRAME) > self.st.end {
            *budget = self.grow_with(*budget, SMALL_FRAME);
        }
        // As `allocate`, with the top in a local: a store through the
        // stack could alias `Run::st` as far as the compiler knows, which
        // reloaded the top after each of the frame's stores.
        let sp = self.st.sp;
        // SAFETY: `sp + SMALL_FRAME <= end` (grown above), and the frame
        // with the pushed word is smaller: every write is in the buffer,
        // `head` inside the frame (`loader::frames`).
        unsafe {
            for i in 0..SMALL_FRAME {
                sp.add(i).write(Term::NIL);
            }
            let top = sp.add(words as usize);
            Sp(top).set_y16(head, h);
            top.write(cp);
            self.st.sp = top.add(1);
        }
    }

    /// The stack's top, for an arm that works through a copy ([`Sp`]).
    #[inline(always)]
    pub(crate) fn top(&self) -> Sp {
        Sp(self.st.sp)
    }

    /// `allocate words` (at most `SMALL_FRAME`) at `sp`, the top as
    /// [`Run::top`] read it (not moved since): the new top, with a word of
    /// room above it for the call's push ([`Run::push_at`] with `room`).
    /// `budget` as [`Run::allocate_in`]'s.
    #[inline(always)]
    pub(crate) fn allocate_small_at(&mut self, budget: &mut i64, sp: Sp, words: u32) -> Sp {
        debug_assert!(words as usize <= SMALL_FRAME);
        let mut sp = sp.0;
        if sp.wrapping_add(SMALL_FRAME + 1) > self.st.end {
            *budget = self.grow_with(*budget, SMALL_FRAME + 1);
            sp = self.st.sp;
        }
        // SAFETY: `sp + SMALL_FRAME < end` (grown above): the writes stay
        // in the buffer, as `allocate_in`'s.
        unsafe {
            for i in 0..SMALL_FRAME {
                sp.add(i).write(Term::NIL);
            }
        }
        Sp(sp.wrapping_add(words as usize))
    }

    /// `allocate 1` at `sp` (as [`Run::allocate_small_at`]) for an arm
    /// that writes the frame's one word, y0, before anything can read the
    /// stack: the word is not filled with `[]` first (the collector scans
    /// every stack word, but none runs between this and that write). The
    /// new top, with a word of room above it for the call's push.
    #[inline(always)]
    pub(crate) fn allocate_one_at(&mut self, budget: &mut i64, sp: Sp) -> Sp {
        let mut sp = sp.0;
        if sp.wrapping_add(2) > self.st.end {
            *budget = self.grow_with(*budget, 2);
            sp = self.st.sp;
        }
        Sp(sp.wrapping_add(1))
    }

    /// Pushes `t` at `sp` (the top as [`Run::top`] read it, moved only
    /// through [`Sp`] since) and stores the top: `room` when a word above
    /// `sp` is known free ([`Run::allocate_small_at`]), else tested.
    /// `budget` as [`Run::push_in`]'s.
    #[inline(always)]
    pub(crate) fn push_at(&mut self, budget: &mut i64, sp: Sp, room: bool, t: Term) {
        let mut sp = sp.0;
        if !room && sp == self.st.end {
            self.st.sp = sp;
            *budget = self.grow_with(*budget, 1);
            sp = self.st.sp;
        }
        // SAFETY: `sp < end` (`room`, or grown above).
        unsafe {
            sp.write(t);
            self.st.sp = sp.add(1);
        }
    }

    /// Sets the stack's top to `sp`, a top an arm read ([`Run::top`]) and
    /// moved through [`Sp`] inside the buffer (a frame allocated or
    /// trimmed, no word pushed).
    #[inline(always)]
    pub(crate) fn set_top(&mut self, sp: Sp) {
        debug_assert!(sp.0 >= self.st.base && sp.0 <= self.st.end);
        self.st.sp = sp.0;
    }

    /// Drops words down to `len` (nothing if it has no more).
    pub(crate) fn truncate_stack(&mut self, len: usize) {
        if len < self.st.depth() {
            self.st.sp = self.st.base.wrapping_add(len);
        }
    }

    /// `allocate*`: pushes `n` slots holding `[]` (the collector scans
    /// every stack word as a term, so a fresh Y slot must hold one before
    /// anything reads it). `budget` is the instruction loop's (its local
    /// cursor's): growing the stack may end the slice
    /// ([`Run::stack_grew`]).
    #[inline(always)]
    pub(crate) fn allocate_in(&mut self, budget: &mut i64, n: u32) {
        let n = n as usize;
        if n > SMALL_FRAME {
            *budget = self.allocate_large(*budget, n);
            return;
        }
        // Frames are small: room for `SMALL_FRAME` words lets the common
        // frame be filled with that many plain stores (words past the new
        // top are spare capacity, so writing them is harmless), with no
        // loop. The room is tested as addresses (no division of the gap).
        if self.st.sp.wrapping_add(SMALL_FRAME) > self.st.end {
            *budget = self.grow_with(*budget, SMALL_FRAME);
        }
        let sp = self.st.sp;
        // SAFETY: `sp + SMALL_FRAME <= end` (grown above): the writes stay
        // in the buffer.
        unsafe {
            for i in 0..SMALL_FRAME {
                sp.add(i).write(Term::NIL);
            }
        }
        self.st.sp = sp.wrapping_add(n);
    }

    /// [`Run::allocate_in`] of a frame larger than `SMALL_FRAME` words, the
    /// slice's budget `budget`: the budget after it.
    #[inline(never)]
    fn allocate_large(&mut self, budget: i64, n: usize) -> i64 {
        let mut budget = budget;
        if (self.st.end as usize - self.st.sp as usize) / std::mem::size_of::<Term>() < n {
            budget = self.grow_with(budget, n);
        }
        let sp = self.st.sp;
        for i in 0..n {
            // SAFETY: `sp + n <= end` (grown above).
            unsafe { sp.add(i).write(Term::NIL) };
        }
        self.st.sp = sp.wrapping_add(n);
        budget
    }

    /// `deallocate` / `trim`: pops `n` slots (y0 first), no more than the
    /// frame has (the loader's frame-size pass, `loader::frames`).
    #[inline(always)]
    pub(crate) fn deallocate(&mut self, n: u32) {
        debug_assert!(n as usize <= self.st.depth());
        self.st.sp = self.st.sp.wrapping_sub(n as usize);
    }

    /// A `return`'s pops: the frame and the continuation pointer
    /// `under` words from `sp` (as [`Sp::word_at`]'s), the top as
    /// [`Run::top`] read it (not moved since).
    #[inline(always)]
    pub(crate) fn drop_to(&mut self, sp: Sp, under: isize) {
        debug_assert!(sp.0 == self.st.sp && under < 0 && under.unsigned_abs() <= self.st.depth());
        self.st.sp = sp.0.wrapping_offset(under);
    }

    /// `call_ext_last` / `apply_last`: pops `n` slots, never the stack's
    /// bottom word (the loader does not check their count:
    /// `loader::frames`; [`Sp::word_at`] needs a word).
    pub(crate) fn deallocate_clamped(&mut self, n: u32) {
        let n = (n as usize).min(self.st.depth().saturating_sub(1));
        self.st.sp = self.st.sp.wrapping_sub(n);
    }

    /// Y register `i` of the current frame (y0 is the top of the stack).
    #[inline(always)]
    pub fn y(&self, i: usize) -> Term {
        let at = self.y_slot(i);
        // SAFETY: the word is in the frame, below the top (`y_slot`).
        unsafe { *at }
    }

    /// Y register `i` of the current frame, written.
    #[inline(always)]
    pub fn set_y(&mut self, i: usize, t: Term) {
        let at = self.y_slot(i);
        // SAFETY: the word is in the frame, below the top (`y_slot`).
        unsafe { *at = t }
    }

    /// Where Y register `i` is: inside the current frame, by the loader's
    /// frame-size pass (`loader::frames`), so no bounds test.
    #[inline(always)]
    fn y_slot(&self, i: usize) -> *mut Term {
        debug_assert!(i < self.st.depth());
        self.st.sp.wrapping_sub(i + 1)
    }

    /// [`Run::grow`] with the slice's budget `budget` in `Run` while it
    /// runs (growing may end the slice: [`Run::stack_grew`]): the budget
    /// after it.
    #[cold]
    #[inline(never)]
    fn grow_with(&mut self, budget: i64, n: usize) -> i64 {
        self.cur.budget = budget;
        self.grow(n);
        self.cur.budget
    }

    /// Makes room for `n` more words: the stack grows rarely, so out of
    /// line. The buffer may move.
    #[cold]
    #[inline(never)]
    fn grow(&mut self, n: usize) {
        self.sync_stack();
        self.p.stack.reserve(n);
        self.reload_stack();
        self.stack_grew(self.p.stack.len() + n);
    }

    /// After the stack's buffer grew to hold `words` words: a process
    /// over its `max_heap_size` with those words counted is reported and
    /// killed, as BEAM's collection when its stack meets its heap would
    /// have found it. The words the stack holds count, not the buffer's
    /// capacity (which doubles): BEAM's stack and heap share one block,
    /// sized to what they hold.
    #[cold]
    pub(crate) fn stack_grew(&mut self, words: usize) {
        self.p.check_max_heap_stack(words);
        if let Some(r) = self.p.take_max_heap_reached() {
            self.max_heap_reached(r);
        }
    }
}
