//! Enigma's tracing JIT (DESIGN §6), one stage per module as in LuaJIT:
//!
//! | stage | module |
//! |---|---|
//! | recording (interpreter instructions → IR, slot map) | [`record`] |
//! | IR (SSA, guards, loop marker) | [`ir`] |
//! | snapshots (exit state) | [`snapshot`] |
//! | calls into nested loops' traces, as recorded | `nested` |
//! | passes (fold, guards, dce) | [`opt`] |
//! | register allocation (linear scan) | [`regalloc`] |
//! | returns into a recursion's frames | [`returns`] |
//! | backends (interface, x86-64) | [`backend`] |
//! | executable memory, entering a trace | [`exec`] |
//! | the compile thread | [`background`] |
//! | calls out to Rust (`lists:reverse/1`) | `helper` |
//! | traces by number, blacklisting | [`cache`] |
//! | `--jit-stats` | [`stats`] |
//! | `--jit-dump=asm` listings | [`dump`] |
//!
//! The interpreter reaches all this through `enigma_interp::seam::Jit`,
//! which [`install`] fills with the [`Engine`].

#![deny(unsafe_code)]

pub mod backend;
pub mod background;
pub mod cache;
pub mod dump;
pub mod exec;
mod helper;
pub mod ir;
mod nested;
pub mod opt;
pub mod record;
pub mod regalloc;
pub mod returns;
pub mod snapshot;
pub mod stats;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::Instant;

use enigma_interp::counters::WITH_RETURNS;
use enigma_interp::seam::{
    self, After, Anchor, Forgotten, Jit, Recorded, Recorder, Seam, EXIT_GUARD,
};
use enigma_vm::code::{Instr, Module, Target};
use enigma_vm::term::Term;

use cache::{Cache, Compiled, Table};
use record::{Recording, Step};
use stats::{Totals, TraceStats};

/// What the JIT writes about each compiled trace: `--jit-dump` (IR,
/// disassembly, and where to) and `--perf-map`.
#[derive(Debug, Default)]
pub struct Dump {
    /// The IR after optimisation.
    pub ir: bool,
    /// The machine code, disassembled.
    pub asm: bool,
    /// The file to write to (`--jit-dump-file`); standard error if `None`.
    pub to: Option<std::fs::File>,
    /// `--perf-map`: `/tmp/perf-PID.map`, one line per trace (start, size,
    /// name), so that `perf report` names the code of compiled traces.
    pub perf_map: Option<std::fs::File>,
}

/// The JIT: the trace cache and the statistics.
#[derive(Default)]
pub struct Engine {
    cache: Mutex<Cache>,
    table: Table,
    totals: Mutex<Totals>,
    dump: Mutex<Dump>,
    /// Root traces' IR as compiled, by number: what an if-converted side
    /// trace merges with (`opt/ifconv.rs`).
    roots: Mutex<std::collections::HashMap<u32, ir::Trace>>,
    /// Where recorded traces are compiled.
    compiler: background::Compiler,
}

static ENGINE: OnceLock<Engine> = OnceLock::new();

/// Times a guard exit is taken before a side trace is recorded from it
/// (LuaJIT's `hotexit`).
pub const HOT_EXIT: u64 = 10;

/// The exit number a return trace is compiled under (it is a side trace
/// of its function trace reached through a region, not through an exit).
const RETURN_TRACE: u32 = u32::MAX;

/// If-conversion pays for both paths in every iteration: worth it only
/// when the branch it removes is mispredicted often, i.e. when the side
/// path takes between 1/8 and 7/8 of the iterations (`docs/JIT.md`,
/// *If-conversion*). `(taken, iterations)` is the exit's share so far.
fn unpredictable((taken, iterations): (u64, u64)) -> bool {
    taken * 8 >= iterations && taken * 8 <= iterations * 7
}

/// Whether this build has a backend for the machine it runs on.
pub const AVAILABLE: bool = cfg!(any(target_arch = "x86_64", target_arch = "aarch64"));

/// Whether `enigma run` traces by default (`--jit=on` and `--jit=off`
/// choose): on x86-64; on aarch64 the backend compiles a subset of the IR
/// yet (docs/JIT.md, *Session 24: the aarch64 backend*), so it is asked
/// for.
pub const DEFAULT_ON: bool = cfg!(target_arch = "x86_64");

/// Installs the JIT into the interpreter: loop anchors are recorded after
/// `threshold` backward tail calls; root traces are compiled on a thread
/// of their own (but eagerly, at threshold 1, or when `dump` writes
/// anything: see [`background`]). Does nothing where no backend exists.
pub fn install(threshold: u32, dump: Dump) {
    if !AVAILABLE {
        return;
    }
    let in_place = threshold <= 1 || dump.ir || dump.asm || dump.perf_map.is_some();
    let e = ENGINE.get_or_init(|| Engine {
        dump: Mutex::new(dump),
        ..Engine::default()
    });
    backend::x86_64::has_avx();
    exec::reserve();
    if !in_place {
        e.compiler.start();
    }
    seam::install(e, threshold);
}

/// The `--jit-stats` report lines (empty when the JIT is not installed).
pub fn report() -> Vec<String> {
    let Some(e) = ENGINE.get() else {
        return Vec::new();
    };
    e.compiler.settle(std::time::Duration::from_secs(1));
    let cache = lock(&e.cache);
    let totals = lock(&e.totals);
    let traces: Vec<&TraceStats> = cache.all().iter().map(|c| &c.stats).collect();
    stats::report(&totals, &traces)
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The newest root trace at `anchor`, which a trace may call (a loop's,
/// or a function trace's: see `record/call.rs`), its code's address and
/// the words of the frame buffer it uses (with the traces it calls). Without one, [`cache::NO_CALLEE_TRACE`] only while
/// the anchor has no live root trace at all (one may still come: the
/// caller's abort does not count toward its blacklisting).
fn callee(anchor: Anchor) -> Result<(u32, u64, u32), &'static str> {
    let engine = ENGINE.get().ok_or(cache::NO_CALLEE_TRACE)?;
    let cache = lock(&engine.cache);
    let mut roots = cache.all().iter().enumerate().rev().filter(|(i, c)| {
        c.anchor == anchor && c.root as usize == i + 1 && !c.forgotten.load(Ordering::Relaxed)
    });
    let (i, c) = roots.next().ok_or(cache::NO_CALLEE_TRACE)?;
    Ok((i as u32 + 1, c.code.base(), c.frame_words))
}

/// Whether the arrival at `anchor` with the process stack `stack` is a
/// call the function made to itself (its continuation on top).
fn recursive(module: &Module, anchor: Anchor, stack: &[Term]) -> bool {
    let cp = stack.last().and_then(|&t| enigma_interp::code::as_cp(t));
    cp.is_some_and(|(id, ret)| {
        id == anchor.id
            && module
                .function_at(ret)
                .is_some_and(|f| f.entry == anchor.pc)
    })
}

/// Whether `pc` holds the first plain copy of a fused instruction at
/// `at`, which the interpreter skips while recording
/// (`enigma_vm::code::fuse`): a continuation that starts with one is
/// recorded from its copies.
fn copies_at(module: &Module, at: Target, pc: Target) -> bool {
    pc == at.wrapping_add(1) && module.code.get(at as usize).is_some_and(|i| i.copies() > 0)
}

/// `Mod:Fun/Arity` of the function at `pc`.
fn anchor_name(m: &Module, pc: Target) -> String {
    match m.function_at(pc) {
        Some(f) => format!("{}:{}/{}", m.name, f.name, f.arity),
        None => format!("{}:?", m.name),
    }
}

impl Engine {
    /// The module version of `anchor`.
    fn module_of(&self, anchor: Anchor) -> Option<&'static Module> {
        enigma_interp::code::loaded(anchor.id).map(|l| &*l.module)
    }

    fn abort(&self, anchor: Anchor, name: &str, reason: &str) {
        log::debug!("jit: abort at {name}: {reason}");
        lock(&self.cache).aborted(anchor, reason);
        lock(&self.totals).abort(reason, name);
    }

    /// Optimises, compiles and caches a recorded trace: a root trace at
    /// `anchor`, or a side trace of exit `exit` of trace `parent`.
    fn compile(
        &self,
        mut trace: ir::Trace,
        anchor: Anchor,
        name: String,
        side: Option<(u32, u32)>,
    ) -> Result<u32, String> {
        let start = Instant::now();
        let unchecked = trace.clone();
        opt::optimize(&mut trace, opt::Reach::Widest);
        let mut cache = lock(&self.cache);
        let n = cache.next();
        if n as usize > cache::MAX_TRACES {
            return Err("too many traces".into());
        }
        let parent = match side {
            Some((p, _)) => Some(cache.get(p).ok_or("no parent trace")?),
            None => None,
        };
        if !AVAILABLE {
            return Err("no backend for this architecture".into());
        }
        // A return trace ending in a tail call of another function trace
        // links to that trace (`ir::Trace::tail`), not to its own root.
        let tail = match trace.tail {
            Some(t) => Some(cache.get(t).ok_or("no tail-called trace")?),
            None => None,
        };
        let link = tail.or(parent).map(|p| &p.link);
        let generate = |trace: &ir::Trace| {
            let exits: Box<[AtomicU64]> = trace.snaps.iter().map(|_| AtomicU64::new(0)).collect();
            // A return trace is entered by a return into the frame
            // buffer, which leaves the buffer's base in a register.
            let mut b = backend::Native::new(n, exits.as_ptr() as u64);
            if side.is_some_and(|(_, exit)| exit == RETURN_TRACE) {
                b = b.entered_with_frame_base();
            }
            backend::compile(trace, b, link).map(|out| (exits, out))
        };
        // A short, pure side trace of a guard in its root's loop runs both
        // paths in a loop of its own, without the branch.
        let converted = match self.if_converted(side, parent, &trace) {
            Some(m) if generate(&m).is_ok() => {
                trace = m;
                true
            }
            _ => false,
        };
        // Forwarded Y registers and float checks moved to the end of
        // their runs keep values alive longer: with less of them the
        // trace may fit.
        let mut generated = generate(&trace);
        for reach in [opt::Reach::Wide, opt::Reach::Narrow] {
            if !matches!(&generated, Err(e) if e.contains("out of registers")) {
                break;
            }
            trace = unchecked.clone();
            opt::optimize(&mut trace, reach);
            generated = generate(&trace);
        }
        let (exits, out) = generated?;
        if side.is_none() {
            lock(&self.roots).insert(n, trace.clone());
        }
        let name = if converted {
            format!("{name}, if-converted")
        } else {
            name
        };
        let code = exec::Code::new(&out.bytes).map_err(|e| format!("executable memory: {e}"))?;
        for (e, &at) in exits.iter().zip(&out.exits) {
            e.store(code.base() + at as u64, Ordering::Relaxed);
        }
        self.dump(n, &name, &trace, &out, code.base(), side);
        let (root, link) = match &parent {
            Some(p) => (p.root, p.link.clone()),
            None => (
                n,
                backend::Link {
                    entry: code.base() + out.entry as u64,
                    head: out.head.map(|(at, phis)| (code.base() + at as u64, phis)),
                },
            ),
        };
        let stats = TraceStats {
            anchor: name,
            ir_size: trace.ins.len(),
            code_bytes: out.bytes.len(),
            entries: AtomicU64::new(0),
            reductions: AtomicU64::new(0),
            exits: trace.snaps.iter().map(|_| AtomicU64::new(0)).collect(),
            // A return's exit is the interpreter's return, no yield.
            yield_snap: match (trace.ret, trace.leave) {
                (None, None) => trace.yield_snap,
                _ => u32::MAX,
            },
            compile: start.elapsed(),
        };
        let base = code.base();
        // Its own frames, and those of the traces it calls above its frame
        // and trailer.
        let frame_words = trace
            .ins
            .iter()
            .filter_map(|i| match i.op {
                ir::Op::StoreY(n, _) | ir::Op::LoadY(n) | ir::Op::LoadYFloat(n) => {
                    Some(u32::from(n) + 1)
                }
                _ => None,
            })
            .chain(trace.calls.iter().map(|c| c.frame.words + 1 + c.words))
            .max()
            .unwrap_or(0);
        let trailers: Vec<u64> = trace
            .ins
            .iter()
            .filter_map(|i| match i.op {
                ir::Op::PushFrame(t, _) => Some(t),
                _ => None,
            })
            .collect();
        // Before the insert, so that a function trace knows its region.
        returns::compiled(anchor, n, trace.recursive.is_some(), &trailers);
        let (c, n) = cache.insert(Compiled {
            code,
            stats,
            exits,
            root,
            link,
            anchor,
            inherit: out.inherit,
            known: out.known,
            frame_words,
            recursion: trace.recursive.map(|f| (f.words, AtomicU64::new(0))),
            ret: trace
                .ret
                .and_then(|r| Some((r.snap, returns::region(anchor)?))),
            region: trace.recursive.and_then(|_| returns::region(anchor)),
            forgotten: Default::default(),
            no_side: trace.snaps.iter().map(|_| Default::default()).collect(),
        });
        self.table.set(n, c);
        enigma_interp::seam::set_sampling(false);
        if let (Some(p), Some((_, exit))) = (parent, side) {
            if let Some(slot) = p.exits.get(exit as usize) {
                slot.store(base, Ordering::Release);
            }
        }
        drop(cache);
        let mut totals = lock(&self.totals);
        totals.compiled += 1;
        totals.compile_time += start.elapsed();
        Ok(n)
    }

    /// The side trace `trace` of exit `exit` of root trace `parent`,
    /// if-converted (`opt/ifconv.rs`), when it qualifies.
    fn if_converted(
        &self,
        side: Option<(u32, u32)>,
        parent: Option<&Compiled>,
        trace: &ir::Trace,
    ) -> Option<ir::Trace> {
        let ((p, exit), c) = side.zip(parent)?;
        if c.root != p || !unpredictable(c.stats.share(exit)) {
            return None;
        }
        let inherited = c.inherit.get(exit as usize)?.as_ref()?;
        let roots = lock(&self.roots);
        opt::ifconv::merge(roots.get(&p)?, exit, inherited, trace)
    }

    /// `--jit-dump`, `--perf-map`: writes what is asked of trace `n`.
    fn dump(
        &self,
        n: u32,
        name: &str,
        trace: &ir::Trace,
        out: &backend::Output,
        base: u64,
        side: Option<(u32, u32)>,
    ) {
        let mut dump = lock(&self.dump);
        if let Some(map) = dump.perf_map.as_mut() {
            let what = match side {
                Some((parent, exit)) => format!(" (side trace of {parent} at exit {exit})"),
                None => String::new(),
            };
            let line = format!(
                "{base:x} {:x} enigma trace {n} {name}{what}\n",
                out.bytes.len()
            );
            if let Err(e) = std::io::Write::write_all(map, line.as_bytes()) {
                log::warn!("jit: --perf-map: {e}");
            }
        }
        let mut text = String::new();
        if dump.ir {
            text += &format!("jit: trace {n} at {name}, IR:\n{trace}\n");
        }
        if dump.asm {
            let mut marks = dump::Landmarks::default();
            marks.add(out.entry, "entry");
            if let Some((at, _)) = &out.head {
                marks.add(*at, "loop");
            }
            for (i, &at) in out.exits.iter().enumerate() {
                marks.add(at, format!("exit {i} (restore)"));
            }
            text += &format!(
                "jit: trace {n} at {name}, {} bytes at {base:#x}:\n{}",
                out.bytes.len(),
                dump::native(&out.bytes, &marks)
            );
        }
        if text.is_empty() {
            return;
        }
        let written = match dump.to.as_mut() {
            Some(f) => std::io::Write::write_all(f, text.as_bytes()),
            None => std::io::Write::write_all(&mut std::io::stderr(), text.as_bytes()),
        };
        if let Err(e) = written {
            log::warn!("jit: --jit-dump: {e}");
        }
    }
}

impl Jit for Engine {
    fn record(&'static self, anchor: Anchor, module: &'static Module) -> Option<Box<dyn Recorder>> {
        if self.compiler.pending() {
            // A compile taken back here may have been this anchor's.
            self.compiler.steal(background::STALE);
            return Some(Box::new(Pending));
        }
        if lock(&self.cache).blacklisted(anchor) {
            return None;
        }
        lock(&self.totals).recorded += 1;
        Some(Box::new(Active {
            engine: self,
            anchor,
            name: anchor_name(module, anchor.pc),
            module,
            side: None,
            ret: None,
            rec: None,
        }))
    }

    fn retry_after(&self, anchor: Anchor, threshold: u64) -> u64 {
        lock(&self.cache).retry_after(anchor, threshold)
    }

    /// A root trace's compile is pending, after one that waited too long
    /// for the thread was compiled here ([`background::STALE`]).
    fn compiling(&self) -> bool {
        if !self.compiler.pending() {
            return false;
        }
        self.compiler.steal(background::STALE);
        self.compiler.pending()
    }

    fn idle(&self) -> bool {
        lock(&self.cache).idle()
    }

    fn return_keys(&self, trace: u32) -> [u64; seam::RETURN_SITES] {
        match self.table.get(trace).and_then(|t| t.region) {
            // A watching recording follows the entry to its exit at the
            // call's continuation: the callee's returns stay its own.
            Some(r) if !nested::watching() => r.keys(),
            _ => [0; seam::RETURN_SITES],
        }
    }

    fn enter(&'static self, trace: u32, seam: &mut Seam) -> After {
        let Some(t) = self.table.get(trace) else {
            return After::Resume;
        };
        let entries = stats::bump(&t.stats.entries, 1);
        let (reds, y) = (seam.reds, seam.y);
        t.code.enter(seam);
        let spent = u64::try_from(reds.saturating_sub(seam.reds)).unwrap_or(0);
        stats::bump(&t.stats.reductions, spent);
        if nested::entered(trace, seam, y) {
            // A recording of a loop that calls this one watches: it
            // follows the exit, and no side trace starts now.
            return After::Resume;
        }
        if let Some(after) = self.shallow(t, trace, seam, entries) {
            return after;
        }
        // One test an entry: a power of two is a multiple of the probation.
        if entries.is_multiple_of(cache::PAY_PROBATION) {
            if let Some(after) = self.unpaid(t, trace, entries) {
                return after;
            }
        }
        let exited = if seam.trace == trace {
            t
        } else {
            match self.table.get(seam.trace) {
                Some(e) => e,
                None => return After::Resume,
            }
        };
        let taken = exited.stats.count_exit(seam.snapshot);
        if let Some((_, region)) = exited.ret.filter(|r| r.0 == seam.snapshot) {
            return self.return_trace(exited, region, seam);
        }
        // Every HOT_EXIT-th time only: an exit that stays hot without a
        // side trace (its recordings abort) costs no lock and no lookup.
        if seam.exit != EXIT_GUARD || taken % HOT_EXIT != 0 {
            return After::Resume;
        }
        if exited.root == seam.trace && seam.snapshot == 0 {
            // The entry's type checks fail: the loop runs on other types
            // now. A side trace there would only lead back here; forget
            // the trace when most entries fail (counted as an abort, so
            // the anchor is blacklisted if this keeps happening).
            if taken * 2 < entries {
                return After::Resume;
            }
            self.abort(exited.anchor, &exited.stats.anchor, "entry types changed");
            // The exited root's anchor, which is not the entered one's
            // when a link or a call reached it (session 24).
            return forget(exited, seam.trace);
        }
        let s = seam.snapshot as usize;
        let Some(Some(inherited)) = exited.inherit.get(s) else {
            return After::Resume;
        };
        if exited
            .no_side
            .get(s)
            .is_none_or(|f| f.load(Ordering::Relaxed))
        {
            return After::Resume;
        }
        if !lock(&self.cache).try_side(seam.trace, seam.snapshot) {
            if let Some(f) = exited.no_side.get(s) {
                f.store(true, Ordering::Relaxed);
            }
            return After::Resume;
        }
        let Some(module) = self.module_of(exited.anchor) else {
            return After::Resume;
        };
        lock(&self.totals).recorded += 1;
        After::Record(Box::new(Active {
            engine: self,
            anchor: exited.anchor,
            name: format!(
                "{} (side of trace {} exit {})",
                exited.stats.anchor, seam.trace, seam.snapshot
            ),
            module,
            side: Some(Side {
                parent: seam.trace,
                exit: seam.snapshot,
                pc: seam.pc as Target,
                inherited: inherited.clone(),
                known: exited.known.get(s).copied().flatten(),
            }),
            ret: None,
            rec: None,
        }))
    }
}

/// Forgets root trace `t`, number `trace`: no trace calls it any more,
/// and the interpreter unhooks it from its own anchor (`After::Forget`).
fn forget(t: &Compiled, trace: u32) -> After {
    t.forgotten.store(true, Ordering::Relaxed);
    After::Forget(Forgotten {
        id: t.anchor.id,
        pc: t.anchor.pc,
        trace,
    })
}

impl Engine {
    /// Forgets loop trace `t` at its [`cache::PAY_PROBATION`]th entry, and
    /// each later power of two, if its entries spent too few reductions
    /// in it ([`cache::MIN_PAID`]).
    #[cold]
    fn unpaid(&self, t: &Compiled, trace: u32, entries: u64) -> Option<After> {
        if entries & (entries - 1) != 0 || t.recursion.is_some() {
            return None;
        }
        let spent = t.stats.reductions.load(Ordering::Relaxed);
        if spent.saturating_mul(t.stats.ir_size as u64) >= entries.saturating_mul(cache::MIN_PAID) {
            return None;
        }
        self.abort(t.anchor, &t.stats.anchor, "entries leave at once");
        lock(&self.cache).give_up(t.anchor);
        Some(forget(t, trace))
    }
}

impl Engine {
    /// Counts the frames function trace `t` left (its recursive calls)
    /// at the exit `seam` describes; at its [`cache::RECURSION_PROBATION`]th
    /// entry, forgets it if they were too few ([`cache::MIN_RECURSION`]).
    /// Past the probation nothing reads the count: no division then (each
    /// of nrev's rounds enters `app/2`'s function trace 30 times).
    fn shallow(&self, t: &Compiled, trace: u32, seam: &Seam, entries: u64) -> Option<After> {
        let (words, frames) = t.recursion.as_ref()?;
        if entries > cache::RECURSION_PROBATION {
            return None;
        }
        let start = (seam.ylimit as usize).saturating_sub(seam::BUFFER_WORDS * 8);
        let deep = (seam.y as usize).saturating_sub(start) / ((*words as usize + 1) * 8);
        let all = stats::bump(frames, deep as u64);
        if entries != cache::RECURSION_PROBATION || all >= entries * cache::MIN_RECURSION {
            return None;
        }
        // With return traces, each entry runs its whole recursion.
        if returns::region(t.anchor).is_some_and(|r| r.active()) {
            return None;
        }
        self.abort(t.anchor, &t.stats.anchor, "recursion too shallow");
        lock(&self.cache).give_up(t.anchor);
        Some(forget(t, trace))
    }
}

impl Engine {
    /// The `return` trace `t` ends with exited at `seam` (no return trace
    /// for the frame below): when it returns into a frame a function
    /// trace left, records a return trace from there now and then
    /// (`returns::Region::due`).
    /// Only exits with frames below count (a return into an interpreted
    /// caller is the recursion's normal end).
    fn return_trace(
        &'static self,
        t: &Compiled,
        region: &'static returns::Region,
        seam: &Seam,
    ) -> After {
        let start = (seam.ylimit as usize).saturating_sub(seam::BUFFER_WORDS * 8);
        // A return that would have spent the slice found its trace (or
        // not): the interpreter yields there; no miss.
        if (seam.y as usize) <= start || seam.reds <= 1 || !region.due() {
            return After::Resume;
        }
        let Some(module) = self.module_of(t.anchor) else {
            return After::Resume;
        };
        lock(&self.totals).recorded += 1;
        After::Record(Box::new(Active {
            engine: self,
            anchor: t.anchor,
            name: format!("{} (return)", anchor_name(module, t.anchor.pc)),
            module,
            side: None,
            ret: Some(Returning {
                region,
                trailer: None,
            }),
            rec: None,
        }))
    }
}

/// A recording, as the interpreter drives it.
struct Active {
    engine: &'static Engine,
    anchor: Anchor,
    name: String,
    module: &'static Module,
    side: Option<Side>,
    /// A return trace's recording (see `crate::returns`).
    ret: Option<Returning>,
    rec: Option<Recording>,
}

/// A return trace being recorded: it starts after the `return` the
/// interpreter runs first, at the continuation below.
struct Returning {
    region: &'static returns::Region,
    /// The shape of the frame it starts in, once the return is seen.
    trailer: Option<u64>,
}

/// Where a side trace starts.
struct Side {
    /// The parent trace.
    parent: u32,
    /// Its exit.
    exit: u32,
    /// Where that exit resumes.
    pc: Target,
    /// What the exit holds as the side trace starts (see
    /// `backend::Output::inherit`).
    inherited: Vec<backend::Store>,
    /// What holds there (see [`ir::Trace::known`]).
    known: Option<ir::Known>,
}

impl Recorder for Active {
    fn instr(&mut self, pc: Target, instr: &Instr, x: &[Term], stack: &[Term]) -> Recorded {
        if let Some(r) = self.ret.as_mut().filter(|_| self.rec.is_none()) {
            let start = match r.trailer {
                // The return, into the continuation of a frame the
                // function trace left.
                None => match record::returns::continuation(instr, stack) {
                    Some((id, cont)) if id == self.anchor.id => r.region.start(cont).map(|t| {
                        r.trailer = Some(t);
                        self.name = format!("{} to {cont}", self.name);
                        None
                    }),
                    _ => Err("return into another function"),
                },
                Some(t) if t as u32 == pc || copies_at(self.module, t as u32, pc) => Ok(Some(t)),
                Some(_) => Err("return went elsewhere"),
            };
            match start {
                Ok(None) => return Recorded::Continue,
                Ok(Some(t)) => {
                    self.rec = Some(
                        Recording::returning(self.anchor, &self.module.selects, pc, t)
                            .with_operands(&self.module.operands)
                            .with_code(&self.module.code)
                            .with_strings(&self.module.strings),
                    );
                }
                Err(reason) => {
                    self.engine.abort(self.anchor, &self.name, reason);
                    return Recorded::Abort;
                }
            }
        }
        let (anchor, module, side) = (self.anchor, self.module, &self.side);
        let selects = &module.selects;
        let rec = self.rec.get_or_insert_with(|| {
            match side {
                Some(s) => Recording::side(anchor, selects, s.pc, &s.inherited).with_known(s.known),
                None => Recording::new(anchor, selects, x)
                    .with_recursion(recursive(module, anchor, stack)),
            }
            .with_operands(&module.operands)
            .with_code(&module.code)
            .with_strings(&module.strings)
        });
        match rec.step(pc, instr, x, stack) {
            Ok(Step::Continue) => Recorded::Continue,
            Ok(Step::Closed) => Recorded::Done,
            Err(reason) => {
                self.engine.abort(self.anchor, &self.name, &reason);
                if self.side.is_none() && self.ret.is_none() && cache::recurs(&reason) {
                    lock(&self.engine.cache).give_up(self.anchor);
                }
                Recorded::Abort
            }
        }
    }

    fn interrupted(self: Box<Self>, why: &'static str) {
        self.engine.abort(self.anchor, &self.name, why);
    }

    fn finish(self: Box<Self>) -> Option<u32> {
        let trace = self.rec?.into_trace();
        let engine = self.engine;
        let (anchor, name) = (self.anchor, self.name);
        let side = self.side.map(|s| (s.parent, s.exit));
        let ret = self.ret.map(|r| (r.region, r.trailer));
        // Side and return traces compile in place: what watches a trace's
        // first entries (the recursion probation, hot exits) expects them
        // at once. So does a trace holding a pointer constant (see
        // `background::movable`).
        let root = side.is_none() && ret.is_none();
        if !root || !engine.compiler.in_background() || background::movable(&trace) {
            return engine.publish(trace, anchor, name, side, ret);
        }
        engine.compiler.run(Box::new(move || {
            let n = engine.publish(trace, anchor, name, None, None);
            if let (Some(n), Some(l)) = (n, enigma_interp::code::loaded(anchor.id)) {
                l.counters.set_trace(anchor.pc, n);
            }
        }));
        None
    }
}

/// The recorder a hot anchor gets while a compile is pending: it gives up
/// at once, and counts as no abort (the interpreter looks again soon:
/// [`Jit::compiling`]).
struct Pending;

impl Recorder for Pending {
    fn instr(&mut self, _: Target, _: &Instr, _: &[Term], _: &[Term]) -> Recorded {
        Recorded::Abort
    }

    fn interrupted(self: Box<Self>, _: &'static str) {}

    fn finish(self: Box<Self>) -> Option<u32> {
        None
    }
}

impl Engine {
    /// Root trace `n`'s number as its anchor stores it: with
    /// [`WITH_RETURNS`] for a function trace, whose entries take frames
    /// for its return traces from the process stack; a loop trace's
    /// entries skip asking for their keys.
    fn stored(&self, n: u32) -> u32 {
        match self.table.get(n) {
            Some(c) if c.region.is_some() => n | WITH_RETURNS,
            _ => n,
        }
    }

    /// Compiles a recorded trace and makes it reachable: a return trace
    /// through its region (`ret`: the region and the frame shape it starts
    /// in), a side trace through its parent's exit (`side`); returns a
    /// root trace's number, for its anchor. A failed compile counts as an
    /// abort at `anchor`.
    fn publish(
        &self,
        trace: ir::Trace,
        anchor: Anchor,
        name: String,
        side: Option<(u32, u32)>,
        ret: Option<(&'static returns::Region, Option<u64>)>,
    ) -> Option<u32> {
        if let Some((region, trailer)) = ret {
            // A return trace runs as a side trace of the function trace
            // (its link), reached through the region, not an exit.
            let trailer = trailer?;
            let tail = trace.tail;
            match self.compile(
                trace,
                anchor,
                name.clone(),
                Some((region.root(), RETURN_TRACE)),
            ) {
                Ok(n) => {
                    if let Some(c) = self.table.get(n) {
                        region.publish(trailer, c.code.base());
                        if let Some(callee) = tail.and_then(|t| self.table.get(t)) {
                            returns::tail_called(callee.anchor, trailer, c.code.base());
                        }
                    }
                }
                Err(reason) => self.abort(anchor, &name, &reason),
            }
            return None;
        }
        match self.compile(trace, anchor, name.clone(), side) {
            // A side trace is reached through its parent's exit, not from
            // an anchor.
            Ok(n) => side.is_none().then(|| self.stored(n)),
            Err(reason) => {
                self.abort(anchor, &name, &reason);
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_unpredictable_branches_are_converted() {
        // Collatz's parity, a branch taken once in 256, and one taken
        // almost always.
        assert!(super::unpredictable((10, 30)));
        assert!(super::unpredictable((10, 80)));
        assert!(!super::unpredictable((10, 2560)));
        assert!(!super::unpredictable((10, 11)));
    }
}
