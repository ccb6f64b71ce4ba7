//! Modules `atomics` and `counters`: arrays of 64-bit integers shared by
//! every process, behind a magic reference (`erts_internal:atomics_new/2`
//! and `erts_internal:counters_new/1`, which OTP's `atomics.erl` and
//! `counters.erl` call, and the `atomics` BIFs). Arithmetic wraps; an
//! unsigned array holds `0..2^64`. A `write_concurrency` counter array is
//! the same object here (BEAM spreads it over cache lines per scheduler,
//! which `counters:info/1`'s `memory` reports as BEAM does).

use std::sync::atomic::{AtomicU64, Ordering::SeqCst};
use std::sync::Arc;

use enigma_vm::bif::{BifEntry, BifFn};
use enigma_vm::exception::Exception;
use enigma_vm::process::Process;
use enigma_vm::term::ids::fresh_ref_ids;
use enigma_vm::term::magic::Magic;
use enigma_vm::term::Term;
use ibig::IBig;

use crate::bif::arg::{arity, entry};
use crate::bif::helpers::{atom, to_ibig};

/// The `atomics` BIFs and the `erts_internal` ones behind `counters`.
pub const TABLE: &[BifEntry] = &[
    entry("erts_internal", "atomics_new", 2, atomics_new),
    a("put", 3, put),
    a("get", 2, get),
    a("add", 3, add),
    a("add_get", 3, add_get),
    a("exchange", 3, exchange),
    a("compare_exchange", 4, compare_exchange),
    a("info", 1, atomics_info),
    c("counters_new", 1, counters_new),
    c("counters_get", 2, get),
    c("counters_add", 3, add),
    c("counters_put", 3, put),
    c("counters_info", 1, counters_info),
];

const fn a(name: &'static str, arity: u32, f: BifFn) -> BifEntry {
    entry("atomics", name, arity, f)
}

const fn c(name: &'static str, arity: u32, f: BifFn) -> BifEntry {
    entry("erts_internal", name, arity, f)
}

/// An array of atomics (two's complement words read as signed or not).
struct Atomics {
    signed: bool,
    cells: Box<[AtomicU64]>,
}

impl Atomics {
    fn new(size: usize, signed: bool) -> Atomics {
        Atomics {
            signed,
            cells: (0..size).map(|_| AtomicU64::new(0)).collect(),
        }
    }

    /// The smallest and largest value a cell holds.
    fn range(&self) -> (IBig, IBig) {
        if self.signed {
            (IBig::from(i64::MIN), IBig::from(i64::MAX))
        } else {
            (IBig::from(0u8), IBig::from(u64::MAX))
        }
    }

    /// A value argument as the cell's bits (`None` out of range).
    fn bits(&self, t: Term) -> Option<u64> {
        let v = to_ibig(t)?;
        let (min, max) = self.range();
        (v >= min && v <= max).then(|| wrap(&v))
    }

    fn term(&self, p: &mut Process, bits: u64) -> Term {
        if self.signed {
            p.heap.int(bits as i64)
        } else {
            crate::bif::helpers::int(&mut p.heap, i128::from(bits))
        }
    }
}

/// The low 64 bits of `v` (two's complement).
fn wrap(v: &IBig) -> u64 {
    let m = v % IBig::from(1u128 << 64);
    let m = if m < IBig::from(0u8) {
        m + IBig::from(1u128 << 64)
    } else {
        m
    };
    u64::try_from(&m).unwrap_or(0)
}

/// An increment: anything from `-2^63` to `2^64 - 1`, as BEAM takes it.
fn incr(t: Term) -> Option<u64> {
    let v = to_ibig(t)?;
    (v >= IBig::from(i64::MIN) && v <= IBig::from(u64::MAX)).then(|| wrap(&v))
}

fn new_ref(p: &mut Process, atomics: Atomics) -> Term {
    p.heap
        .magic_ref(fresh_ref_ids(), Magic::new(Arc::new(atomics)))
}

fn size_arg(t: Term) -> Result<usize, Exception> {
    t.as_small()
        .and_then(|n| usize::try_from(n).ok())
        .filter(|&n| n > 0 && n < 1 << 40)
        .ok_or_else(Exception::badarg)
}

/// `erts_internal:atomics_new(Arity, EncodedOpts)`: bit 0 of the options
/// is `signed`.
fn atomics_new(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [size, opts] = arity(args)?;
    let size = size_arg(size)?;
    let opts = opts.as_small().ok_or_else(Exception::badarg)?;
    Ok(new_ref(p, Atomics::new(size, opts & 1 != 0)))
}

fn counters_new(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [size] = arity(args)?;
    let size = size_arg(size)?;
    Ok(new_ref(p, Atomics::new(size, true)))
}

/// The array of a reference argument and the cell of a 1-based index.
fn cell(r: Term, ix: Term) -> Result<(Arc<Atomics>, usize), Exception> {
    let magic = r.as_magic().ok_or_else(Exception::badarg)?;
    let atomics = magic
        .get::<Arc<Atomics>>()
        .cloned()
        .ok_or_else(Exception::badarg)?;
    let i = ix
        .as_small()
        .and_then(|i| usize::try_from(i).ok())
        .filter(|&i| i >= 1 && i <= atomics.cells.len())
        .ok_or_else(Exception::badarg)?;
    Ok((atomics, i - 1))
}

fn put(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [r, ix, v] = arity(args)?;
    let (at, i) = cell(r, ix)?;
    let bits = at.bits(v).ok_or_else(Exception::badarg)?;
    at.cells[i].store(bits, SeqCst);
    atom("ok")
}

fn get(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [r, ix] = arity(args)?;
    let (at, i) = cell(r, ix)?;
    let bits = at.cells[i].load(SeqCst);
    Ok(at.term(p, bits))
}

fn add(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [r, ix, v] = arity(args)?;
    let (at, i) = cell(r, ix)?;
    let d = incr(v).ok_or_else(Exception::badarg)?;
    at.cells[i].fetch_add(d, SeqCst);
    atom("ok")
}

fn add_get(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [r, ix, v] = arity(args)?;
    let (at, i) = cell(r, ix)?;
    let d = incr(v).ok_or_else(Exception::badarg)?;
    let bits = at.cells[i].fetch_add(d, SeqCst).wrapping_add(d);
    Ok(at.term(p, bits))
}

fn exchange(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [r, ix, v] = arity(args)?;
    let (at, i) = cell(r, ix)?;
    let bits = at.bits(v).ok_or_else(Exception::badarg)?;
    let old = at.cells[i].swap(bits, SeqCst);
    Ok(at.term(p, old))
}

/// `ok` if the cell held `Expected` (and now holds `Desired`), else what
/// it holds.
fn compare_exchange(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [r, ix, expected, desired] = arity(args)?;
    let (at, i) = cell(r, ix)?;
    let expected = at.bits(expected).ok_or_else(Exception::badarg)?;
    let desired = at.bits(desired).ok_or_else(Exception::badarg)?;
    match at.cells[i].compare_exchange(expected, desired, SeqCst, SeqCst) {
        Ok(_) => atom("ok"),
        Err(now) => Ok(at.term(p, now)),
    }
}

fn the_array(r: Term) -> Result<Arc<Atomics>, Exception> {
    let magic = r.as_magic().ok_or_else(Exception::badarg)?;
    magic
        .get::<Arc<Atomics>>()
        .cloned()
        .ok_or_else(Exception::badarg)
}

/// `#{size, max, min, memory}`, `memory` as BEAM counts it (a 40-byte
/// header and the words).
fn atomics_info(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [r] = arity(args)?;
    let at = the_array(r)?;
    let n = at.cells.len();
    let (min, max) = at.range();
    let pairs = [
        (atom("size")?, Term::small(n as i64)),
        (atom("max")?, p.heap.big(&max)),
        (atom("min")?, p.heap.big(&min)),
        (atom("memory")?, Term::small(40 + 8 * n as i64)),
    ];
    Ok(p.heap.map_from_pairs(&pairs))
}

/// `#{size, memory}`, `memory` as BEAM's `write_concurrency` arrays take
/// it: a 32-byte header and, per scheduler and one more, the counters
/// rounded up to 64-byte cache lines.
fn counters_info(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [r] = arity(args)?;
    let n = the_array(r)?.cells.len();
    let lines = (n * 8).div_ceil(64) * 64;
    let copies = enigma_interp::smp::schedulers() + 1;
    let pairs = [
        (atom("size")?, Term::small(n as i64)),
        (atom("memory")?, Term::small((32 + copies * lines) as i64)),
    ];
    Ok(p.heap.map_from_pairs(&pairs))
}
