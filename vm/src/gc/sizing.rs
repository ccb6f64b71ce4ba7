//! How big a process's heaps are: BEAM's heap-size steps and its rules
//! (erts/emulator/beam/erl_gc.c: `erts_next_heap_size`,
//! `minor_collection`, `major_collection`, `adjust_after_fullsweep`) for
//! the young heap after each kind of collection and for the old heap.
//!
//! Our Erlang stack is a `Vec` of its own, not the far end of the young
//! heap as on BEAM; the collector adds its size where erl_gc.c does, so
//! that the heap sizes are BEAM's.

use std::sync::OnceLock;

/// BEAM's default minimal heap size, in words.
pub const MIN_HEAP_SIZE: usize = 233;

/// The first heap chunk of a process that has not collected yet, in
/// words. BEAM's 233-word minimal heap holds its stack too; ours is a
/// `Vec` of its own. 233 words (1,864 bytes) would sit in the allocator's
/// 2,048-byte size class (mimalloc's classes are four per power of two),
/// wasting 184 bytes of every idle process; 224 words fill the 1,792-byte
/// class exactly, and with the stack the process still has about BEAM's
/// 233 words. Collections size the heap by BEAM's steps from
/// [`MIN_HEAP_SIZE`] on.
pub(crate) const FIRST_CHUNK: usize = 224;

/// BEAM's heap sizes: a Fibonacci-like sequence from 12 and 38 (each the
/// sum of the two before plus one) for 23 steps, then 20% growth.
fn heap_sizes() -> &'static [usize] {
    static SIZES: OnceLock<Vec<usize>> = OnceLock::new();
    SIZES.get_or_init(|| {
        let mut v = vec![12usize, 38];
        while v.len() < 23 {
            let n = v.len();
            v.push(v[n - 1] + v[n - 2] + 1);
        }
        while let Some(&last) = v.last() {
            if last > usize::MAX / 8 / 6 {
                break;
            }
            v.push(last + last / 5);
        }
        v
    })
}

/// The smallest heap size step at or above `words`
/// (`erts_next_heap_size(words, 0)`).
pub fn next_heap_size(words: usize) -> usize {
    step_after(words, 0)
}

/// The step `offset` steps above the smallest one at or above `words`
/// (`erts_next_heap_size(words, offset)`).
fn step_after(words: usize, offset: usize) -> usize {
    let sizes = heap_sizes();
    let i = sizes.partition_point(|&s| s < words) + offset;
    sizes.get(i).copied().unwrap_or(words)
}

/// The young heap that BEAM's stack and heap, holding `words` words
/// together, last filled (the largest step at or below `words`, never
/// below `min`), and the step after it (the heap a full sweep of that one
/// grows into).
pub(crate) fn filled_and_next(words: usize, min: usize) -> (usize, usize) {
    let sizes = heap_sizes();
    let i = sizes.partition_point(|&s| s <= words).saturating_sub(1);
    let filled = sizes.get(i).copied().unwrap_or(MIN_HEAP_SIZE).max(min);
    (filled, step_after(filled, 1))
}

/// The step at or above `words`, but never below `min` (erl_gc.c's
/// `next_heap_size`).
fn step_at_least(words: usize, min: usize) -> usize {
    next_heap_size(words).max(min)
}

/// The young heap size (the to-space) of a minor collection of a young
/// heap holding `usage` words, live or not, with its fragments
/// (`minor_collection`: `next_heap_size(size_before)`).
pub(crate) fn minor_to_space(usage: usize, min: usize) -> usize {
    step_at_least(usage, min)
}

/// The young heap size after a minor collection into a heap of `size`
/// words left `live` young words (with the stack: BEAM's `need_after`),
/// with an old heap of `old_size` words:
/// a heap over 3,000 words that is more than four times what it holds
/// (and over 8,000 words, or larger than the old heap) shrinks to three
/// times that, but not below an eighth of a much larger old heap; one
/// that is too small for it grows to the step that holds it.
pub(crate) fn after_minor(size: usize, live: usize, old_size: usize, min: usize) -> usize {
    if size > 3000 && live.saturating_mul(4) < size && (size > 8000 || size > old_size) {
        let mut wanted = live.saturating_mul(3);
        if wanted.saturating_mul(9) < old_size {
            wanted = wanted.max(old_size / 8);
        }
        let wanted = if wanted < min {
            min
        } else {
            next_heap_size(wanted)
        };
        wanted.min(size)
    } else if live > size {
        step_at_least(live, min)
    } else {
        size
    }
}

/// The young heap size (the to-space) of a full sweep of `usage` words
/// (young, fragments and old), live or not, from a young heap of `size`
/// words; `grow` asks for a step more when that is where it would stay
/// (`major_collection`, the `F_HEAP_GROW` flag).
pub(crate) fn major_to_space(usage: usize, size: usize, grow: bool, min: usize) -> usize {
    let s = step_at_least(usage, min);
    if s == size && grow {
        step_after(s, 1)
    } else {
        s
    }
}

/// What a full sweep into a heap of `size` words that left `live` words
/// does to the heap size (`adjust_after_fullsweep`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum AfterMajor {
    /// The heap size is now this.
    Size(usize),
    /// The heap is more than 75% full: it stays, and the next full sweep
    /// grows it a step.
    GrowNext,
}

/// `adjust_after_fullsweep`: grow to hold `live` words, mark a heap more
/// than 75% full to grow at the next full sweep, and shrink one less than
/// 25% full to the step above twice its live data (not below `min`).
pub(crate) fn after_major(size: usize, live: usize, min: usize) -> AfterMajor {
    if size < live {
        AfterMajor::Size(step_at_least(live, min))
    } else if size.saturating_mul(3) < live.saturating_mul(4) {
        AfterMajor::GrowNext
    } else if live.saturating_mul(4) < size && size > MIN_HEAP_SIZE {
        AfterMajor::Size(step_at_least(live.saturating_mul(2), min).min(size))
    } else {
        AfterMajor::Size(size)
    }
}

/// The size of an old heap created by a minor collection of a young heap
/// holding `usage` words: a step above, which "seems to reduce the number
/// of fullsweeps" (`minor_collection`).
pub(crate) fn new_old_heap(usage: usize) -> usize {
    step_after(usage, 1)
}

/// BEAM's default `min_bin_vheap_size`, in words: the off-heap binaries
/// the old heap may hold before a full sweep, at least.
pub(crate) const MIN_BIN_VHEAP: usize = 46_422;

/// Words a process may allocate before its next collection, in a heap of
/// `size` words that `needed` fill (live data and stack).
///
/// A `growing` process (most of what its last collection saw survived)
/// collects when BEAM's would, once the heap and its stack meet, so that
/// its heap grows by BEAM's steps (a growing process's
/// collections copy what it builds; they are not the fixed cost the
/// budget saves). Any other gets what is free, less an eighth of the
/// heap, so that what a process allocates between reaching the limit and
/// its next safe point usually still fits in the chunk (no fresh chunk),
/// and never less than [`MIN_BUDGET`].
pub(crate) fn budget(size: usize, needed: usize, growing: bool) -> usize {
    if growing {
        return size.saturating_sub(needed).max(1);
    }
    size.saturating_sub(needed)
        .saturating_sub(size / 8)
        .max(MIN_BUDGET)
}

/// Words a process may allocate between two collections at least. A
/// collection has a fixed cost (the stack and dictionary are scanned, the
/// aged data of the young heap is promoted), so a small heap that
/// collected every ~200 words (BEAM's smallest step) spent more time
/// collecting than computing: with this floor bench_nbody made 11x fewer
/// collections and ran 1.6x faster, for at most 48 KB of garbage per
/// running process (a waiting one drops its reserve chunks). 6,144 words:
/// until session 12 a churning process's heap size followed its use
/// (4,096 words gave ~6,772), so its budget was ~5,800 words in effect;
/// with the heap sizes now BEAM's, the floor says so.
const MIN_BUDGET: usize = 6144;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heap_sizes_are_beams() {
        let s = heap_sizes();
        assert_eq!(&s[..8], &[12, 38, 51, 90, 142, 233, 376, 610]);
        assert_eq!(s[22], 833026);
        assert_eq!(s[23], 833026 + 833026 / 5);
        assert_eq!(next_heap_size(233), 233);
        assert_eq!(next_heap_size(234), 376);
        assert_eq!(next_heap_size(0), 12);
        assert_eq!(step_after(233, 1), 376);
        assert_eq!(new_old_heap(300), 610);
    }

    #[test]
    fn minor_collections_shrink_only_large_mostly_empty_heaps() {
        // (heap size, live, old heap size, expected, why)
        let cases = [
            (2586, 10, 0, 2586, "under 3,000 words: kept"),
            (10958, 100, 0, 376, "over 8,000, 1% full: shrunk"),
            (10958, 1000, 0, 4185, "to the step above 3 × live"),
            (10958, 3000, 0, 10958, "27% full: kept"),
            (
                200_000,
                100,
                833_026,
                121_536,
                "not below an eighth of a large old heap",
            ),
            (4185, 100, 6772, 4185, "smaller than the old heap: kept"),
            (233, 1000, 0, 1598, "too small: grown"),
        ];
        for (size, live, old, expected, why) in cases {
            assert_eq!(after_minor(size, live, old, 233), expected, "{why}");
        }
    }

    #[test]
    fn growing_processes_collect_when_the_heap_is_full() {
        assert_eq!(budget(376, 300, true), 76);
        assert_eq!(budget(376, 400, true), 1);
        assert_eq!(budget(233, 20, false), MIN_BUDGET);
        assert_eq!(budget(46422, 1000, false), 46422 - 1000 - 46422 / 8);
    }

    #[test]
    fn full_sweeps_resize_as_beam() {
        assert_eq!(after_major(233, 300, 233), AfterMajor::Size(376));
        assert_eq!(after_major(376, 300, 233), AfterMajor::GrowNext);
        assert_eq!(after_major(10958, 100, 233), AfterMajor::Size(233));
        assert_eq!(after_major(10958, 1000, 2586), AfterMajor::Size(2586));
        assert_eq!(after_major(10958, 4000, 233), AfterMajor::Size(10958));
        assert_eq!(major_to_space(300, 376, true, 233), 610);
        assert_eq!(major_to_space(300, 376, false, 233), 376);
        assert_eq!(minor_to_space(10, 233), 233);
    }
}
