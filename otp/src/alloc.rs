//! The `enigma` binary's global allocator: mimalloc, called so that a
//! block of an exact size class stays in that class.
//!
//! The `mimalloc` crate's allocator passes every request to
//! `mi_malloc_aligned(size, align)`. Above 1 KiB, unless the size class is
//! a power of two, mimalloc serves that by over-allocating `size + align -
//! 1` bytes, which moves a request that fills its class exactly into the
//! next one: a process's 224-word (1,792-byte) first heap chunk took a
//! 2,048-byte block. Every mimalloc block is a multiple of 8 bytes from an
//! 8-byte-aligned page start, so a plain `mi_malloc` is aligned enough for
//! any layout aligned to at most 8; larger alignments still go through the
//! aligned calls.
//!
//! It also keeps mimalloc from handing out transparent huge pages
//! ([`no_transparent_huge_pages`]).
//!
//! `unsafe` is allowed here because `GlobalAlloc` is an unsafe trait whose
//! methods call the allocator's C functions.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

use libmimalloc_sys as mi;
use mimalloc::MiMalloc;

/// Turns transparent huge pages off for this process, unless
/// `MIMALLOC_ALLOW_THP` asks otherwise (mimalloc's own option, read before
/// `main`).
///
/// mimalloc advises huge pages on its 1 GiB arena (`MADV_HUGEPAGE`), so
/// where the system leaves THP to `madvise`, the first touch of any new
/// part of the arena makes the kernel zero 2 MB at once: with process
/// heaps growing and collections taking fresh chunks, that zeroing was
/// about a quarter of bench_binary_trees' time (`perf`: `clear_page_erms`
/// under mimalloc's page allocation; 0.10-0.16 s of system time a run,
/// 0.01 s without). BEAM's allocators give no such advice. This is what
/// mimalloc does itself when its option is 0, but the option is read when
/// mimalloc starts, before `main` can set it; the kernel checks the flag
/// at each fault, so the arena mapped before is covered too.
pub fn no_transparent_huge_pages() {
    if std::env::var_os("MIMALLOC_ALLOW_THP").is_some() {
        return;
    }
    // SAFETY: `prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0)` only sets a flag of
    // this process; an error (an old kernel) leaves things as they were.
    #[cfg(target_os = "linux")]
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// Alignment every mimalloc block has.
const BLOCK_ALIGN: usize = 8;

/// mimalloc, with layouts aligned to at most 8 bytes allocated by size
/// alone.
pub struct Allocator;

// SAFETY: each method returns memory from mimalloc with at least the
// layout's size and alignment (plain calls only for alignments mimalloc
// always gives), and frees only what mimalloc allocated.
unsafe impl GlobalAlloc for Allocator {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if layout.align() <= BLOCK_ALIGN {
            // SAFETY: `mi_malloc` takes any size; see the module comment
            // for the alignment.
            unsafe { mi::mi_malloc(layout.size()) as *mut u8 }
        } else {
            // SAFETY: forwarded with the caller's guarantees.
            unsafe { MiMalloc.alloc(layout) }
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if layout.align() <= BLOCK_ALIGN {
            // SAFETY: as `alloc`.
            unsafe { mi::mi_zalloc(layout.size()) as *mut u8 }
        } else {
            // SAFETY: forwarded with the caller's guarantees.
            unsafe { MiMalloc.alloc_zeroed(layout) }
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from this allocator, so from mimalloc.
        unsafe { MiMalloc.dealloc(ptr, layout) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if layout.align() <= BLOCK_ALIGN {
            // SAFETY: `ptr` came from mimalloc; `mi_realloc` keeps the
            // 8-byte alignment of every block.
            unsafe { mi::mi_realloc(ptr as *mut c_void, new_size) as *mut u8 }
        } else {
            // SAFETY: forwarded with the caller's guarantees.
            unsafe { MiMalloc.realloc(ptr, layout, new_size) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_aligned_and_keep_their_bytes() {
        for (size, align) in [
            (8, 8),
            (24, 8),
            (1792, 8),
            (4000, 8),
            (64, 32),
            (1 << 20, 64),
        ] {
            let layout = Layout::from_size_align(size, align).unwrap();
            // SAFETY: non-zero sizes; every pointer is freed once with its
            // layout, and only its own bytes are written.
            unsafe {
                let p = Allocator.alloc(layout);
                assert!(!p.is_null());
                assert_eq!(p as usize % align, 0);
                p.write_bytes(7, size);
                let q = Allocator.realloc(p, layout, size * 2);
                assert_eq!(q as usize % align, 0);
                assert_eq!(*q.add(size - 1), 7);
                Allocator.dealloc(q, Layout::from_size_align(size * 2, align).unwrap());
                let z = Allocator.alloc_zeroed(layout);
                assert_eq!(*z.add(size - 1), 0);
                Allocator.dealloc(z, layout);
            }
        }
    }
}
