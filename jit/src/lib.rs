//! Enigma's tracing JIT (DESIGN §6), one stage per module as in LuaJIT:
//!
//! | stage | module |
//! |---|---|
//! | recording (interpreter instructions → IR, slot map) | [`record`] |
//! | IR (SSA, guards, loop marker) | [`ir`] |
//! | snapshots (exit state) | [`snapshot`] |
//! | passes (fold, guards, dce) | [`opt`] |
//! | register allocation (linear scan) | [`regalloc`] |
//! | backends (interface, x86-64) | [`backend`] |
//! | executable memory, entering a trace | [`exec`] |
//! | traces by number, blacklisting | [`cache`] |
//! | `--jit-stats` | [`stats`] |
//!
//! The interpreter reaches all this through `enigma_interp::seam::Jit`,
//! which [`install`] fills with the [`Engine`].

#![deny(unsafe_code)]

pub mod backend;
pub mod cache;
pub mod exec;
pub mod ir;
pub mod opt;
pub mod record;
pub mod regalloc;
pub mod snapshot;
pub mod stats;

use std::sync::atomic::AtomicU64;
use std::sync::{Mutex, OnceLock};
use std::time::Instant;

use enigma_interp::seam::{self, Anchor, Jit, Recorded, Recorder, Seam};
use enigma_vm::code::{Instr, Module, Target};
use enigma_vm::term::Term;

use cache::{Cache, Compiled};
use record::{Recording, Step};
use stats::{Totals, TraceStats};

/// What `--jit-dump` prints for each compiled trace, on standard error.
#[derive(Clone, Copy, Debug, Default)]
pub struct Dump {
    /// The IR after optimisation.
    pub ir: bool,
    /// The machine code, in hex.
    pub asm: bool,
}

/// The JIT: the trace cache and the statistics.
#[derive(Default)]
pub struct Engine {
    cache: Mutex<Cache>,
    totals: Mutex<Totals>,
    dump: Dump,
}

static ENGINE: OnceLock<Engine> = OnceLock::new();

/// Whether this build has a backend for the machine it runs on.
pub const AVAILABLE: bool = cfg!(target_arch = "x86_64");

/// Installs the JIT into the interpreter: loop anchors are recorded after
/// `threshold` backward tail calls. Does nothing where no backend exists.
pub fn install(threshold: u32, dump: Dump) {
    if !AVAILABLE {
        return;
    }
    let e = ENGINE.get_or_init(|| Engine {
        dump,
        ..Engine::default()
    });
    seam::install(e, threshold);
}

/// The `--jit-stats` report lines (empty when the JIT is not installed).
pub fn report() -> Vec<String> {
    let Some(e) = ENGINE.get() else {
        return Vec::new();
    };
    let cache = lock(&e.cache);
    let totals = lock(&e.totals);
    let traces: Vec<&TraceStats> = cache.all().iter().map(|c| &c.stats).collect();
    stats::report(&totals, &traces)
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// `Mod:Fun/Arity` of the function at `pc`.
fn anchor_name(m: &Module, pc: Target) -> String {
    match m.function_at(pc) {
        Some(f) => format!("{}:{}/{}", m.name, f.name, f.arity),
        None => format!("{}:?", m.name),
    }
}

impl Engine {
    fn abort(&self, anchor: Anchor, name: &str, reason: &str) {
        log::debug!("jit: abort at {name}: {reason}");
        lock(&self.cache).aborted(anchor);
        lock(&self.totals).abort(reason, name);
    }

    /// Optimises, compiles and caches a recorded loop.
    fn compile(&self, mut trace: ir::Trace, name: String) -> Result<u32, String> {
        let start = Instant::now();
        opt::optimize(&mut trace);
        let bytes = if cfg!(target_arch = "x86_64") {
            backend::compile(&trace, backend::x86_64::X64::default())?
        } else {
            return Err("no backend for this architecture".into());
        };
        let code = exec::Code::new(&bytes).map_err(|e| format!("executable memory: {e}"))?;
        if self.dump.ir {
            eprintln!("jit: trace at {name}, IR:\n{trace}");
        }
        if self.dump.asm {
            let hex: Vec<String> = bytes.iter().map(|b| format!("{b:02x}")).collect();
            eprintln!(
                "jit: trace at {name}, {} bytes:\n{}",
                bytes.len(),
                hex.join(" ")
            );
        }
        let stats = TraceStats {
            anchor: name,
            ir_size: trace.ins.len(),
            code_bytes: bytes.len(),
            entries: AtomicU64::new(0),
            exits: trace.snaps.iter().map(|_| AtomicU64::new(0)).collect(),
            yield_snap: trace.yield_snap,
        };
        let n = lock(&self.cache).insert(Compiled { code, stats });
        let mut totals = lock(&self.totals);
        totals.compiled += 1;
        totals.compile_time += start.elapsed();
        Ok(n)
    }
}

impl Jit for Engine {
    fn record(&'static self, anchor: Anchor, module: &'static Module) -> Option<Box<dyn Recorder>> {
        if lock(&self.cache).blacklisted(anchor) {
            return None;
        }
        lock(&self.totals).recorded += 1;
        Some(Box::new(Active {
            engine: self,
            anchor,
            name: anchor_name(module, anchor.pc),
            module,
            rec: None,
        }))
    }

    fn enter(&self, trace: u32, seam: &mut Seam) {
        let Some(t) = lock(&self.cache).get(trace) else {
            return;
        };
        t.code.enter(seam);
        t.stats.count(seam.snapshot);
    }
}

/// A recording, as the interpreter drives it.
struct Active {
    engine: &'static Engine,
    anchor: Anchor,
    name: String,
    module: &'static Module,
    rec: Option<Recording>,
}

impl Recorder for Active {
    fn instr(&mut self, pc: Target, instr: &Instr, x: &[Term], _stack: &[Term]) -> Recorded {
        let (anchor, module) = (self.anchor, self.module);
        let rec = self
            .rec
            .get_or_insert_with(|| Recording::new(anchor, &module.selects, x));
        match rec.instr(pc, instr, x) {
            Ok(Step::Continue) => Recorded::Continue,
            Ok(Step::Closed) => Recorded::Done,
            Err(reason) => {
                self.engine.abort(self.anchor, &self.name, &reason);
                Recorded::Abort
            }
        }
    }

    fn interrupted(self: Box<Self>, why: &'static str) {
        self.engine.abort(self.anchor, &self.name, why);
    }

    fn finish(self: Box<Self>) -> Option<u32> {
        let trace = self.rec?.into_trace();
        match self.engine.compile(trace, self.name.clone()) {
            Ok(n) => Some(n),
            Err(reason) => {
                self.engine.abort(self.anchor, &self.name, &reason);
                None
            }
        }
    }
}
