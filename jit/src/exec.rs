//! EXEC: executable memory and entering a trace. With `helper`, one of
//! the two modules of the crate with `unsafe`.
//!
//! Code is copied into a fresh anonymous mapping while it is writable,
//! then the mapping is flipped to read+execute (`memmap2`'s `make_exec`)
//! before anything can run it: no page is ever writable and executable at
//! once. A mapping is never written again and lives as long as its trace.

#![allow(unsafe_code)]

use enigma_interp::seam::Seam;
use memmap2::{Mmap, MmapMut};

/// A compiled trace's machine code, executable.
pub struct Code {
    map: Mmap,
}

/// The signature of a trace: the platform's C calling convention (System
/// V on x86-64 Linux, AAPCS64 on aarch64), which every backend follows.
type Entry = extern "C" fn(*mut Seam);

impl Code {
    /// Makes `bytes` executable.
    pub fn new(bytes: &[u8]) -> std::io::Result<Code> {
        let mut w = MmapMut::map_anon(bytes.len().max(1))?;
        w[..bytes.len()].copy_from_slice(bytes);
        let map = w.make_exec()?;
        Ok(Code { map })
    }

    /// The address of the code's first byte.
    pub fn base(&self) -> u64 {
        self.map.as_ptr() as u64
    }

    /// Size in bytes.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether there is no code.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Runs the trace (a root trace, whose code starts with its prologue)
    /// on `seam` until it exits.
    pub fn enter(&self, seam: &mut Seam) {
        // SAFETY: the mapping holds a complete function produced by a
        // backend for the `Entry` signature (C convention, one pointer
        // argument, callee-saved registers restored on every exit); it is
        // executable and never unmapped while `self` lives. The trace reads
        // and writes only through `seam`: `seam.x` points at the
        // interpreter's X register array (`NUM_REGS` terms, and the trace
        // touches only registers its recording saw), borrowed mutably for
        // this call. Exit slots hold only addresses in this code (each
        // exit's way out, ending at its epilogue) or side traces' code
        // (kept alive by the cache, never unmapped), which run in this
        // frame and return through an epilogue.
        let f: Entry = unsafe { std::mem::transmute::<*const u8, Entry>(self.map.as_ptr()) };
        f(seam);
    }
}
