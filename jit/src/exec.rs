//! EXEC: executable memory and entering a trace. With `helper`, one of
//! the two modules of the crate with `unsafe` (and `background`'s one
//! call to set its thread's scheduling).
//!
//! Traces' code goes into an arena: chunks of shared memory (a `memfd`)
//! mapped twice, once readable and writable, once readable and
//! executable. Installing a trace is a copy through the writable view to
//! the next free bytes; it runs from the executable view. No view is ever
//! writable and executable at once, and installing costs no system call:
//! a mapping of its own per trace, flipped to read+execute by `mprotect`,
//! cost 10-20 µs of each trace's 30-100 µs compile (`docs/JIT.md`,
//! *Measurements*, session 16). Code is never written again once
//! installed, and chunks are never unmapped (traces are never freed).
//!
//! Where `memfd_create` fails (not Linux, or forbidden), each trace gets
//! an anonymous mapping of its own, written, then flipped to
//! read+execute, as before the arena.

#![allow(unsafe_code)]

use std::sync::Mutex;

use enigma_interp::seam::Seam;
use memmap2::{Mmap, MmapMut, MmapOptions};

/// A compiled trace's machine code, executable, never unmapped.
pub struct Code {
    /// The address of its first byte.
    base: u64,
    len: usize,
}

/// The signature of a trace: the platform's C calling convention (System
/// V on x86-64 Linux, AAPCS64 on aarch64), which every backend follows.
type Entry = extern "C" fn(*mut Seam);

/// Bytes of a chunk (a larger trace gets a chunk of its size): address
/// space only until written, a page at a time.
const CHUNK: usize = 1 << 20;

/// Each trace starts on a cache line of its own.
const ALIGN: usize = 64;

/// A chunk of the arena: the same pages mapped twice.
struct Chunk {
    write: MmapMut,
    exec: Mmap,
    used: usize,
}

impl Chunk {
    /// A chunk of at least `len` bytes, or the error of the first system
    /// call that failed.
    fn new(len: usize) -> std::io::Result<Chunk> {
        let file = memfd()?;
        let len = len.max(CHUNK);
        file.set_len(len as u64)?;
        // SAFETY: the memfd is this chunk's alone (no name, closed when
        // the views are made): nothing but `write` changes its pages, and
        // only through `install`, at bytes not yet handed out.
        let write = unsafe { MmapOptions::new().len(len).map_mut(&file)? };
        // SAFETY: as above; this view is never written.
        let exec = unsafe { MmapOptions::new().len(len).map_exec(&file)? };
        Ok(Chunk {
            write,
            exec,
            used: 0,
        })
    }

    /// Copies `bytes` to the first free bytes, if they fit; returns
    /// their address in the executable view.
    fn install(&mut self, bytes: &[u8]) -> Option<u64> {
        let at = self.used.next_multiple_of(ALIGN);
        let end = at.checked_add(bytes.len())?;
        self.write.get_mut(at..end)?.copy_from_slice(bytes);
        self.used = end;
        let code = &self.exec[at..end];
        dynasmrt::cache_control::synchronize_icache(code);
        Some(code.as_ptr() as u64)
    }
}

/// A `memfd` (anonymous shared memory), closed on `exec`.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn memfd() -> std::io::Result<std::fs::File> {
    use std::os::fd::FromRawFd;
    // SAFETY: the name is a NUL-terminated string; the call has no other
    // memory effect.
    let fd = unsafe { libc::memfd_create(c"enigma-jit".as_ptr(), libc::MFD_CLOEXEC) };
    if fd < 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: `fd` was just opened and is owned by nothing else.
    Ok(unsafe { std::fs::File::from_raw_fd(fd) })
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn memfd() -> std::io::Result<std::fs::File> {
    Err(std::io::ErrorKind::Unsupported.into())
}

/// The arena: its chunks (the last one is filled), or `None` once a chunk
/// could not be made.
static ARENA: Mutex<Option<Vec<Chunk>>> = Mutex::new(Some(Vec::new()));

/// Maps the arena's first chunk ahead of the first trace (the JIT's
/// installation), so that no compile pays for it.
pub fn reserve() {
    let mut arena = ARENA.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(chunks) = arena.as_mut().filter(|c| c.is_empty()) {
        match Chunk::new(CHUNK) {
            Ok(c) => chunks.push(c),
            Err(e) => {
                log::debug!("jit: no code arena ({e}): a mapping per trace");
                *arena = None;
            }
        }
    }
}

/// Copies `bytes` into the arena; returns their executable address, or
/// `None` without an arena.
fn install(bytes: &[u8]) -> Option<u64> {
    let mut arena = ARENA.lock().unwrap_or_else(|p| p.into_inner());
    let chunks = arena.as_mut()?;
    if let Some(at) = chunks.last_mut().and_then(|c| c.install(bytes)) {
        return Some(at);
    }
    match Chunk::new(bytes.len().next_multiple_of(ALIGN)) {
        Ok(mut c) => {
            let at = c.install(bytes);
            chunks.push(c);
            at
        }
        Err(e) => {
            log::debug!("jit: code arena full ({e}): a mapping per trace");
            *arena = None;
            None
        }
    }
}

impl Code {
    /// Makes `bytes` executable.
    pub fn new(bytes: &[u8]) -> std::io::Result<Code> {
        if let Some(base) = install(bytes) {
            return Ok(Code {
                base,
                len: bytes.len(),
            });
        }
        let mut w = MmapMut::map_anon(bytes.len().max(1))?;
        w[..bytes.len()].copy_from_slice(bytes);
        // Kept for the rest of the run, as the arena's chunks are.
        let map = std::mem::ManuallyDrop::new(w.make_exec()?);
        Ok(Code {
            base: map.as_ptr() as u64,
            len: bytes.len(),
        })
    }

    /// The address of the code's first byte.
    pub fn base(&self) -> u64 {
        self.base
    }

    /// Size in bytes.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there is no code.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Runs the trace (a root trace, whose code starts with its prologue)
    /// on `seam` until it exits.
    pub fn enter(&self, seam: &mut Seam) {
        // SAFETY: `base` is the start of a complete function produced by a
        // backend for the `Entry` signature (C convention, one pointer
        // argument, callee-saved registers restored on every exit); it is
        // executable and never unmapped (an arena chunk, or a mapping of
        // its own, both kept for the whole run). The trace reads
        // and writes only through `seam`: `seam.x` points at the
        // interpreter's X register array (`NUM_REGS` terms, and the trace
        // touches only registers its recording saw), borrowed mutably for
        // this call. Exit slots hold only addresses in this code (each
        // exit's way out, ending at its epilogue) or side traces' code
        // (kept alive by the cache, never unmapped), which run in this
        // frame and return through an epilogue.
        let f: Entry = unsafe { std::mem::transmute::<*const u8, Entry>(self.base as *const u8) };
        f(seam);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bytes at `c`'s executable address.
    fn read(c: &Code) -> &[u8] {
        // SAFETY: `c` is `len` readable bytes, never unmapped.
        unsafe { std::slice::from_raw_parts(c.base() as *const u8, c.len()) }
    }

    #[test]
    fn traces_share_chunks_each_on_its_own_cache_line() {
        reserve();
        let a = Code::new(&[1, 2, 3]).unwrap();
        let b = Code::new(&[4; 100]).unwrap();
        assert_eq!(read(&a), [1, 2, 3]);
        assert_eq!(read(&b), [4; 100]);
        assert_eq!(a.base() % ALIGN as u64, 0);
        assert_eq!(b.base() % ALIGN as u64, 0);
        assert_ne!(a.base(), b.base());
        // A trace larger than a chunk gets a chunk of its size.
        let big: Vec<u8> = (0..CHUNK + 1).map(|i| i as u8).collect();
        let c = Code::new(&big).unwrap();
        assert_eq!(read(&c), &big[..]);
        let d = Code::new(&[5]).unwrap();
        assert_eq!(read(&d), [5]);
    }
}
