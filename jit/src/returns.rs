//! RETURNS: return traces, so that a recursion runs on in machine code
//! after its function trace's recursive calls (LuaJIT's up-recursion).
//!
//! A function trace leaves each frame of its recursive calls in the frame
//! buffer, followed by a trailer word naming the call's continuation and
//! the frame's shape (`enigma_interp::seam::trailer`). A side trace of
//! the function trace that ends at a `return` (the recursion's base
//! case), and a return trace, end by looking at the frame below the
//! buffer's base ([`crate::backend::Backend::ret`]): when its trailer is
//! the one a return trace was recorded for, the frame is dropped from the
//! buffer (it becomes that trace's frame, as `return` makes the caller's
//! frame current) and the return trace runs; when the buffer is empty or
//! no trace fits, the trace exits at the `return`, where the interpreter
//! pushes the frames and returns.
//!
//! A return trace starts at a recursive call's continuation with that
//! frame live in the buffer and x0 in a register ([`X0`]). It ends at another
//! recursive call (pushing its frame with that call's trailer and
//! jumping to the function trace: fib's `fib(N - 1)` continuation calls
//! `fib(N - 2)`), at a tail call of the function (tak's last call), or at
//! its own `return` (fib's `fib(N - 2)` continuation adds and returns to
//! whichever continuation is below). So a whole recursion stays in
//! machine code from the interpreter's call to its last return.
//!
//! Continuations are found through a [`Region`] per function trace
//! anchor: [`SITES`] fixed slots, each the trailer its trace was recorded
//! for and the trace's code, compared in turn by every return's dispatch,
//! so a return trace compiled later is found by code compiled before it.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};

use enigma_interp::seam::Anchor;
use enigma_vm::code::Target;

/// The register (allocation index) a return into a return trace passes
/// x0 in (a term), which the return trace starts from: x0 is not written
/// to memory and read back on the way (session 14: 4-5 instructions a
/// return), only by the exits that need it there.
pub const X0: u8 = 0;

/// Continuations of one function's recursive calls that may have return
/// traces (fib has 2, tak 3).
pub const SITES: usize = enigma_interp::seam::RETURN_SITES;
/// Bytes per [`Site`] (the backend's stride).
pub const SITE_SIZE: i32 = 40;
/// Offset of [`Site::key`].
pub const SITE_KEY: i32 = 0;
/// Offset of [`Site::code`].
pub const SITE_CODE: i32 = 8;
/// Offset of [`Site::bytes`].
pub const SITE_BYTES: i32 = 16;

/// Returns into a region's frames that find no return trace per
/// recording of one. Fewer than a guard's [`crate::HOT_EXIT`]: such a
/// return leaves the rest of the recursion to the interpreter, whose calls
/// then enter the function trace afresh (with no frames below), so some
/// recursions (one deep on one side, `lean(N) -> lean(N - 1) + lean(0)`)
/// miss only once per outer call; and each site's recordings are bounded.
const MISSES: u64 = 2;

/// Recordings a continuation may abort before it gets none any more.
const MAX_TRIES: u64 = 3;

/// One continuation of a recursive call.
#[repr(C)]
#[derive(Default)]
pub struct Site {
    /// The trailer its return trace was recorded for, once its code is in
    /// `code` (0 before: no trailer is 0).
    key: AtomicU64,
    /// The return trace's code.
    code: AtomicU64,
    /// Bytes of the frame with `key` and its trailer in the frame buffer
    /// (what a return into it moves the buffer's base down by).
    bytes: AtomicU64,
    /// The trailer the traces that push frames for this continuation
    /// write (the first one compiled), 0 while the site is free.
    shape: AtomicU64,
    /// Recordings started.
    tries: AtomicU64,
}

const _: () = {
    assert!(std::mem::size_of::<Site>() == SITE_SIZE as usize);
    assert!(std::mem::offset_of!(Site, key) == SITE_KEY as usize);
    assert!(std::mem::offset_of!(Site, code) == SITE_CODE as usize);
    assert!(std::mem::offset_of!(Site, bytes) == SITE_BYTES as usize);
};

/// The return traces of one function trace anchor.
#[derive(Default)]
pub struct Region {
    sites: [Site; SITES],
    /// The number of the anchor's newest function trace, which return
    /// traces jump to (and, as side traces, belong to).
    root: AtomicU32,
    /// Returns into frames of the region that found no return trace.
    missed: AtomicU64,
}

/// Regions by anchor (code id, entry).
static REGIONS: OnceLock<Mutex<HashMap<(u32, Target), &'static Region>>> = OnceLock::new();

fn regions() -> std::sync::MutexGuard<'static, HashMap<(u32, Target), &'static Region>> {
    REGIONS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|p| p.into_inner())
}

/// The region of `anchor`, if a function trace was compiled there.
pub fn region(anchor: Anchor) -> Option<&'static Region> {
    regions().get(&(anchor.id, anchor.pc)).copied()
}

/// Notes a compiled trace at `anchor`: the trailers of the frames it
/// pushes, and, for a function trace (`root`), its number.
pub fn compiled(anchor: Anchor, n: u32, root: bool, trailers: &[u64]) {
    if trailers.is_empty() {
        return;
    }
    let r = *regions()
        .entry((anchor.id, anchor.pc))
        .or_insert_with(|| Box::leak(Box::default()));
    if root {
        r.root.store(n, Ordering::Release);
    }
    for &t in trailers {
        r.pushes(t);
    }
}

/// The return trace at `code`, of frames of shape `trailer`, ends in a
/// tail call of the function trace at `callee` (`ir::Trace::tail`): that
/// recursion's last return finds such a frame below it, so the trace is
/// a site of `callee`'s region too (when one is free), and bench_nrev's
/// `app/2` returns into `nrev/1`'s next frame without leaving the code.
pub fn tail_called(callee: Anchor, trailer: u64, code: u64) {
    if let Some(r) = region(callee) {
        r.pushes(trailer);
        r.publish(trailer, code);
    }
}

impl Region {
    /// The sites' address, for the backend's dispatch.
    pub fn addr(&'static self) -> u64 {
        self.sites.as_ptr() as u64
    }

    /// The function trace return traces jump to.
    pub fn root(&self) -> u32 {
        self.root.load(Ordering::Acquire)
    }

    /// The sites' keys (0 where none has a return trace yet).
    pub fn keys(&self) -> [u64; SITES] {
        std::array::from_fn(|i| self.sites[i].key.load(Ordering::Acquire))
    }

    /// Whether a return trace runs here: the function trace then pays
    /// however shallow each entry's recursion is.
    pub fn active(&self) -> bool {
        self.sites
            .iter()
            .any(|s| s.key.load(Ordering::Acquire) != 0)
    }

    /// A trace pushes frames with `trailer`: the site of its continuation
    /// gets that shape, unless it has one or no site is free.
    fn pushes(&self, trailer: u64) {
        let cont = trailer as u32;
        if self.site(cont).is_some() {
            return;
        }
        for s in &self.sites {
            let free = s
                .shape
                .compare_exchange(0, trailer, Ordering::AcqRel, Ordering::Acquire);
            if free.is_ok() {
                return;
            }
        }
    }

    /// The site of continuation `cont`.
    fn site(&self, cont: Target) -> Option<&Site> {
        self.sites.iter().find(|s| {
            let shape = s.shape.load(Ordering::Acquire);
            shape != 0 && shape as u32 == cont
        })
    }

    /// The frame shape (trailer) to record a return trace at `cont` with,
    /// when it has none yet and its recordings have not aborted too often.
    pub fn start(&self, cont: Target) -> Result<u64, &'static str> {
        let s = self
            .site(cont)
            .ok_or("return to a continuation without a site")?;
        if s.key.load(Ordering::Acquire) != 0 {
            return Err("return to a continuation with a trace");
        }
        if s.tries.fetch_add(1, Ordering::Relaxed) >= MAX_TRIES {
            return Err("return trace aborted too often");
        }
        Ok(s.shape.load(Ordering::Acquire))
    }

    /// A return into a frame of the region found no return trace: whether
    /// to record one now (every [`MISSES`]th time, while some site may
    /// still get one).
    pub fn due(&self) -> bool {
        let n = self.missed.fetch_add(1, Ordering::Relaxed) + 1;
        n.is_multiple_of(MISSES) && self.wanted(None)
    }

    /// Whether recording a return trace at `cont` may still pay.
    pub fn wanted(&self, cont: Option<Target>) -> bool {
        self.sites.iter().any(|s| {
            let shape = s.shape.load(Ordering::Acquire);
            shape != 0
                && cont.is_none_or(|c| shape as u32 == c)
                && s.key.load(Ordering::Acquire) == 0
                && s.tries.load(Ordering::Relaxed) < MAX_TRIES
        })
    }

    /// The return trace at `code` runs frames of shape `trailer` from now
    /// on.
    pub fn publish(&self, trailer: u64, code: u64) {
        if let Some(s) = self.site(trailer as u32) {
            let words = enigma_interp::seam::untrailer(trailer).1 as u64;
            s.code.store(code, Ordering::Release);
            s.bytes.store((words + 1) * 8, Ordering::Release);
            s.key.store(trailer, Ordering::Release);
            enigma_interp::seam::set_returns();
        }
    }
}

/// The `return` a trace ends with (see [`crate::backend::Backend::ret`]):
/// its snapshot (at the `return`, taken when no return trace runs) and
/// the region whose sites it looks up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ret {
    /// The snapshot the trace exits through to the interpreter's return.
    pub snap: u32,
    /// The snapshot, taken after the frame is dropped, of the exit when
    /// the buffer holds no frame below (the function trace was entered
    /// from the interpreter, whose continuation is on the process stack):
    /// an [`enigma_interp::seam::EXIT_RETURN`], where the interpreter
    /// returns at once, without the frame pushed again (and its floats
    /// boxed) only to be dropped (bench_nbody's comprehension, at every
    /// step).
    pub empty: u32,
    /// [`Region::addr`].
    pub sites: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use enigma_interp::seam::trailer;

    #[test]
    fn sites_take_the_first_shape_and_publish_once_compiled() {
        let anchor = Anchor {
            id: 9999,
            pc: 10,
            arity: 1,
        };
        let c1 = trailer(14, 1, 1, 0).unwrap();
        let c2 = trailer(20, 1, 1, 0).unwrap();
        compiled(anchor, 3, true, &[c1]);
        compiled(anchor, 4, false, &[c2, trailer(14, 2, 3, 0).unwrap()]);
        let r = region(anchor).expect("a region");
        assert_eq!(r.root(), 3);
        assert!(!r.active());
        assert!(r.wanted(Some(20)));
        // The first shape at 14 stays.
        assert_eq!(r.start(14), Ok(c1));
        assert!(r.start(99).is_err());
        r.publish(c1, 0x1000);
        assert!(r.active());
        assert!(r.start(14).is_err());
        assert!(!r.wanted(Some(14)));
        // Three tries, then no more.
        assert_eq!(r.start(20), Ok(c2));
        assert_eq!(r.start(20), Ok(c2));
        assert_eq!(r.start(20), Ok(c2));
        assert!(r.start(20).is_err());
        assert!(!r.wanted(None));
    }
}
