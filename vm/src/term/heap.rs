//! A heap that terms are built on: bump allocation in chunks that never move.
//!
//! This is the allocation interface every term builder in `vm` uses (the
//! external term format decoder, the loader's literal areas, tests). An
//! allocation never moves earlier objects and never collects, so a builder can
//! hold raw terms across allocations; collection happens only at safe points
//! chosen by the process that owns the heap (DESIGN §3).
//!
//! The heap also owns the references to off-heap binaries its objects hold,
//! and to the objects of magic references, and releases them when it is
//! dropped.
//!
//! A process heap is collected by [`super::gc`], which copies the live
//! objects into a fresh `Heap` and drops the old one. To tell the process
//! when, the heap counts its *pressure*: words allocated plus the size, in
//! words, of the off-heap binaries it was the first to hold (BEAM's
//! "virtual binary heap"), so a loop that makes large binaries and little
//! else is collected too.

use std::sync::Arc;

use super::binary::BinaryBuf;
use super::boxed::{Header, Subtag};
use super::chunk::Chunk;
use super::magic::Magic;
use super::Term;
use crate::few::Few;

/// Default size of the first chunk, in words (BEAM's minimal heap is 233 words).
pub(super) const FIRST_CHUNK_WORDS: usize = 233;

/// A chunked bump-allocated heap.
pub struct Heap {
    /// Full chunks and the words used in each (the collector walks them in
    /// order); their memory is pinned while the heap lives.
    pub(super) full: Few<(Chunk, usize)>,
    /// The chunk being filled.
    pub(super) current: Chunk,
    /// Words used in `current`.
    pub(super) top: usize,
    /// Words in full chunks that are in use.
    used_in_full: usize,
    /// `used_in_full` plus the virtual words of fresh off-heap binaries:
    /// with `top`, the pressure.
    retired: usize,
    /// The pressure at which the owner wants to collect.
    limit: usize,
    /// `limit - retired`: the value of `top` at which the pressure reaches
    /// the limit, so that the test is one comparison.
    gc_at: usize,
    /// `min(gc_at, current.len())`, kept by every change to either: an
    /// allocation that ends at or below it needs neither a collection
    /// first nor a new chunk ([`Heap::bump`]: one test for both).
    fast_end: usize,
    /// Off-heap binaries referenced from this heap.
    pub(super) binaries: Few<Arc<BinaryBuf>>,
    /// Objects of magic references on this heap (rare: one word while
    /// empty, and every process and message carries a heap).
    magics: Few<Arc<Magic>>,
    /// Chunks this heap owns but has not used yet, taken before fresh
    /// memory when the current chunk is full: a process's collector puts
    /// its from-space's chunks here ([`Heap::add_reserve`]), memory
    /// already paged in, reused rather than fresh pages the kernel must
    /// find and zero.
    reserve: Few<Chunk>,
}

impl Default for Heap {
    fn default() -> Self {
        Heap::new()
    }
}

impl Heap {
    /// An empty heap.
    pub fn new() -> Heap {
        Heap::with_capacity(FIRST_CHUNK_WORDS)
    }

    /// An empty heap whose first chunk holds `words` words.
    pub fn with_capacity(words: usize) -> Heap {
        Heap::with_chunk(Chunk::new(words))
    }

    /// An empty heap with `chunk` as its first chunk (what it holds is
    /// stale and never read: only allocated words are).
    pub fn with_chunk(chunk: Chunk) -> Heap {
        let mut heap = Heap {
            full: Few::default(),
            current: chunk,
            top: 0,
            used_in_full: 0,
            retired: 0,
            limit: usize::MAX,
            gc_at: usize::MAX,
            fast_end: 0,
            binaries: Few::default(),
            magics: Few::default(),
            reserve: Few::default(),
        };
        heap.set_gc_at();
        heap
    }

    /// Sets `gc_at` from the limit and the retired words, and `fast_end`
    /// from it and the current chunk.
    #[inline]
    fn set_gc_at(&mut self) {
        self.gc_at = self.limit.saturating_sub(self.retired);
        self.fast_end = self.gc_at.min(self.current.len());
    }

    /// Drops the heap (releasing its binaries) but keeps the memory of its
    /// chunks, used or not, for reuse.
    pub fn into_chunks(self) -> Vec<Chunk> {
        // Taken apart, not emptied: emptying would allocate a chunk to put
        // in `current`'s place at every collection.
        let Heap {
            full,
            current,
            reserve,
            ..
        } = self;
        let mut chunks: Vec<Chunk> = reserve.into_iter().collect();
        chunks.reserve(full.len() + 1);
        chunks.extend(full.into_iter().map(|(c, _)| c));
        chunks.push(current);
        chunks
    }

    /// Gives the heap `chunk` to use, unused, when its current chunk is
    /// full.
    pub fn add_reserve(&mut self, chunk: Chunk) {
        self.reserve.push(chunk);
    }

    /// Replaces its reserve with `chunks` (a collection's kept chunks: one
    /// vector moved in, not one push per chunk).
    pub fn set_reserve(&mut self, chunks: Vec<Chunk>) {
        self.reserve = chunks.into();
    }

    /// Takes back the chunks of its reserve.
    pub fn take_reserve(&mut self) -> Vec<Chunk> {
        std::mem::take(&mut self.reserve).into_iter().collect()
    }

    /// Words in the chunks of its reserve.
    pub fn reserve_words(&self) -> usize {
        self.reserve.iter().map(Chunk::len).sum()
    }

    /// Allocates `words` contiguous words. They stay at their address for the
    /// heap's life. Chunks are not zeroed, so the words hold whatever the
    /// allocator left: every caller writes them all before anything reads
    /// them (the collector scans only below `top`, and only built objects).
    #[inline]
    pub fn alloc(&mut self, words: usize) -> &mut [u64] {
        let p = if words > self.current.len() - self.top {
            self.alloc_outside(words)
        } else {
            self.alloc_raw(words)
        };
        // SAFETY: `alloc_raw` and `alloc_outside` give `words` words of the current chunk that
        // no earlier allocation was given; the borrow of `self` keeps the
        // chunk alive; callers only write the words before reading them.
        unsafe { std::slice::from_raw_parts_mut(p, words) }
    }

    /// Allocates `words` contiguous words, as [`Heap::alloc`], and returns
    /// their address: the collector writes through it while it allocates
    /// more.
    #[inline(always)]
    pub(super) fn alloc_raw(&mut self, words: usize) -> *mut u64 {
        if words > self.current.len() - self.top {
            self.new_chunk(words);
        }
        let start = self.top;
        self.top += words;
        self.current.as_ptr().wrapping_add(start)
    }

    /// Allocates `words` that do not fit in the current chunk. One that is
    /// a good part of its size (a BIF's large result) and that no chunk of
    /// the reserve holds gets a chunk of its own, exactly that size: the
    /// current chunk stays current, its free words still used, and the
    /// heap does not double its largest chunk for one object (most of a
    /// doubled chunk of a large heap would never be used). Not for the
    /// collector: its scan walks the chunks of its to-space in order, the
    /// current one last.
    #[cold]
    #[inline(never)]
    fn alloc_outside(&mut self, words: usize) -> *mut u64 {
        let fits = |c: &Chunk| c.len() >= words;
        if words < own_chunk_min(&self.current)
            || self.full.len() >= MAX_OWN_CHUNKS
            || self.reserve.iter().any(fits)
        {
            return self.alloc_raw(words);
        }
        let chunk = self.current.next_of(words);
        let p = chunk.as_ptr();
        self.full.push((chunk, words));
        self.used_in_full += words;
        self.retired += words;
        self.set_gc_at();
        p
    }

    /// Retires the current chunk for one of at least `words` words (twice
    /// the current one's size, so a growing heap has few chunks).
    #[cold]
    #[inline(never)]
    fn new_chunk(&mut self, words: usize) {
        let fresh = self.reserve_chunk(words).unwrap_or_else(|| {
            let size = words.max(self.current.len() * 2);
            self.current.next_of(size)
        });
        let old = std::mem::replace(&mut self.current, fresh);
        self.used_in_full += self.top;
        self.retired += self.top;
        self.full.push((old, self.top));
        self.top = 0;
        self.set_gc_at();
    }

    /// The largest chunk of the reserve if it holds at least `words`,
    /// taken out of the reserve.
    fn reserve_chunk(&mut self, words: usize) -> Option<Chunk> {
        let (i, _) = self
            .reserve
            .iter()
            .enumerate()
            .filter(|(_, c)| c.len() >= words)
            .max_by_key(|(_, c)| c.len())?;
        Some(self.reserve.swap_remove(i))
    }

    /// The free words of the current chunk, up to where the pressure
    /// reaches the collection limit, as addresses `(top, limit)`: compiled
    /// code (the JIT's traces) bump-allocates there and hands the new top
    /// back with [`Heap::set_bump_top`]. Empty when a collection is due.
    #[inline]
    pub fn bump_window(&mut self) -> (*mut u64, *mut u64) {
        let end = self.current.len().min(self.gc_at.max(self.top));
        let base = self.current.as_ptr();
        (base.wrapping_add(self.top), base.wrapping_add(end))
    }

    /// Takes back a top that compiled code advanced within the window
    /// [`Heap::bump_window`] gave (the words below it are initialised
    /// objects). An address outside the window is ignored.
    #[inline]
    pub fn set_bump_top(&mut self, top: *mut u64) {
        let base = self.current.as_ptr() as usize;
        let words = (top as usize).wrapping_sub(base) / 8;
        if (self.top..=self.current.len()).contains(&words) {
            self.top = words;
        }
    }

    /// Allocates `words` when that needs neither a collection first (the
    /// pressure stays below the limit: [`Heap::needs_gc`] is false now and
    /// after) nor a new chunk, with one test for both; `None` otherwise,
    /// when nothing changed. A safe point followed by a small
    /// construction (`test_heap | put_list`) takes this first and the two
    /// steps only when it fails.
    #[inline(always)]
    pub fn bump(&mut self, words: usize) -> Option<&mut [u64]> {
        let end = self.top + words;
        if end > self.fast_end {
            return None;
        }
        let p = self.current.as_ptr().wrapping_add(self.top);
        self.top = end;
        // SAFETY: as `alloc`'s: `end <= fast_end <= current.len()`, so the
        // words are in the current chunk, past every earlier allocation.
        Some(unsafe { std::slice::from_raw_parts_mut(p, words) })
    }

    /// [`Heap::cons`] where [`Heap::bump`] allocates it.
    #[inline(always)]
    pub fn try_cons(&mut self, head: Term, tail: Term) -> Option<Term> {
        let slot = self.bump(2)?;
        slot[0] = head.raw();
        slot[1] = tail.raw();
        Some(Term::list_ptr(slot.as_ptr()))
    }

    /// [`Heap::tuple`] where [`Heap::bump`] allocates it.
    #[inline(always)]
    pub fn try_tuple(&mut self, elements: &[Term]) -> Option<Term> {
        let slot = self.bump(1 + elements.len())?;
        slot[0] = Header::new(Subtag::Tuple, elements.len()).0;
        copy_words(&mut slot[1..], elements);
        Some(Term::boxed_ptr(slot.as_ptr()))
    }

    /// [`Heap::float`] where [`Heap::bump`] allocates it.
    #[inline(always)]
    pub fn try_float(&mut self, f: f64) -> Option<Term> {
        let slot = self.bump(2)?;
        slot[0] = Header::new(Subtag::Float, 1).0;
        slot[1] = f.to_bits();
        Some(Term::boxed_ptr(slot.as_ptr()))
    }

    /// Words the current chunk has left: what can be allocated without a
    /// new chunk.
    pub fn room(&self) -> usize {
        self.current.len() - self.top
    }

    /// Words allocated so far.
    pub fn words_used(&self) -> usize {
        self.used_in_full + self.top
    }

    /// Words allocated plus the virtual words of the off-heap binaries
    /// this heap was the first to hold: what a collection is triggered by.
    pub fn pressure(&self) -> usize {
        self.retired + self.top
    }

    /// Whether the pressure has reached the limit set by
    /// [`Heap::set_gc_limit`] (never, by default).
    #[inline(always)]
    pub fn needs_gc(&self) -> bool {
        self.top >= self.gc_at
    }

    /// The pressure at which [`Heap::needs_gc`] turns true.
    pub fn gc_limit(&self) -> usize {
        self.limit
    }

    /// Sets the pressure at which [`Heap::needs_gc`] turns true.
    pub fn set_gc_limit(&mut self, limit: usize) {
        self.limit = limit;
        self.set_gc_at();
    }

    /// Words of memory the chunks take, used or not.
    pub fn capacity(&self) -> usize {
        self.full.iter().map(|(c, _)| c.len()).sum::<usize>() + self.current.len()
    }

    /// Keeps an off-heap binary alive as long as this heap lives. A buffer
    /// no one else holds yet (a fresh one) adds its size to the pressure;
    /// one shared with another heap (a view of an existing buffer, a copy
    /// made by the collector) was counted where it was made.
    pub fn keep_binary(&mut self, bin: Arc<BinaryBuf>) {
        // Appending in a loop makes one object per step over one buffer:
        // a single count keeps it alive for all of them (nothing is freed
        // before the heap is).
        if self.binaries.last().is_some_and(|b| Arc::ptr_eq(b, &bin)) {
            return;
        }
        if Arc::strong_count(&bin) == 1 {
            self.count_virtual(bin.capacity().div_ceil(8));
        }
        self.binaries.push(bin);
    }

    /// Adds `words` virtual words (of an off-heap binary) to the pressure.
    pub(super) fn count_virtual(&mut self, words: usize) {
        self.retired += words;
        self.set_gc_at();
    }

    /// Keeps a magic reference's object alive as long as this heap lives.
    pub fn keep_magic(&mut self, object: Arc<Magic>) {
        self.magics.push(object);
    }

    /// The size, in words, of the off-heap binaries this heap holds (a
    /// buffer held by several of its objects counts once per object).
    pub fn binary_words(&self) -> usize {
        self.binaries.iter().map(|b| b.capacity().div_ceil(8)).sum()
    }

    /// The off-heap binaries this heap holds (once per reference).
    pub fn binaries(&self) -> impl Iterator<Item = &Arc<BinaryBuf>> {
        self.binaries.iter()
    }

    /// Number of off-heap binary references this heap holds.
    pub fn binary_count(&self) -> usize {
        self.binaries.len()
    }

    /// Allocates a boxed object with the given header and payload words.
    #[inline]
    pub fn boxed(&mut self, subtag: Subtag, payload: &[u64]) -> Term {
        let slot = self.alloc(1 + payload.len());
        slot[0] = Header::new(subtag, payload.len()).0;
        slot[1..].copy_from_slice(payload);
        Term::boxed_ptr(slot.as_ptr())
    }

    /// A tuple of the given elements.
    #[inline]
    pub fn tuple(&mut self, elements: &[Term]) -> Term {
        let slot = self.alloc(1 + elements.len());
        slot[0] = Header::new(Subtag::Tuple, elements.len()).0;
        copy_words(&mut slot[1..], elements);
        Term::boxed_ptr(slot.as_ptr())
    }

    /// A tuple of `arity` elements, all `fill`; elements are set later with
    /// [`Heap::set_tuple_element`] while the builder still owns it.
    pub fn tuple_filled(&mut self, arity: usize, fill: Term) -> Term {
        let slot = self.alloc(1 + arity);
        slot[0] = Header::new(Subtag::Tuple, arity).0;
        slot[1..].fill(fill.raw());
        Term::boxed_ptr(slot.as_ptr())
    }

    /// Sets element `i` of a tuple this builder just allocated and that no
    /// one else can observe yet.
    pub fn set_tuple_element(&mut self, tuple: Term, i: usize, value: Term) {
        let t = tuple.as_tuple().expect("set_tuple_element on a non-tuple");
        assert!(i < t.len(), "tuple index out of range");
        // SAFETY: the tuple lives on this heap (the `&mut self` borrow is the
        // builder's proof of ownership) and `i` is in range.
        unsafe { *(t.as_ptr() as *mut u64).add(1 + i) = value.raw() }
    }

    /// A cons cell `[head | tail]`.
    #[inline]
    pub fn cons(&mut self, head: Term, tail: Term) -> Term {
        let slot = self.alloc(2);
        slot[0] = head.raw();
        slot[1] = tail.raw();
        Term::list_ptr(slot.as_ptr())
    }

    /// A proper list of the given elements.
    pub fn list(&mut self, elements: &[Term]) -> Term {
        self.list_with_tail(elements, Term::NIL)
    }

    /// A list of the given elements ending in `tail`.
    pub fn list_with_tail(&mut self, elements: &[Term], tail: Term) -> Term {
        if elements.is_empty() {
            return tail;
        }
        let slot = self.alloc(2 * elements.len());
        let base = slot.as_ptr() as u64;
        let n = elements.len();
        for (i, e) in elements.iter().enumerate() {
            slot[2 * i] = e.raw();
            slot[2 * i + 1] = if i + 1 == n {
                tail.raw()
            } else {
                (base + 16 * (i as u64 + 1)) | super::TAG_LIST
            };
        }
        Term::list_ptr(slot.as_ptr())
    }

    /// A float (inline: float arithmetic boxes every result).
    #[inline]
    pub fn float(&mut self, f: f64) -> Term {
        let slot = self.alloc(2);
        slot[0] = Header::new(Subtag::Float, 1).0;
        slot[1] = f.to_bits();
        Term::boxed_ptr(slot.as_ptr())
    }

    /// A string as a list of its Unicode code points.
    pub fn string(&mut self, s: &str) -> Term {
        let chars: Vec<Term> = s.chars().map(|c| Term::small(c as i64)).collect();
        self.list(&chars)
    }
}

/// Chunks a heap may have before an object that does not fit in the
/// current chunk no longer gets one of its own ([`Heap::alloc_outside`])
/// but a new current chunk twice as large: the collector finds the chunk
/// of a pointer among them, and a builder that made many large objects
/// between two collections must not make as many chunks.
const MAX_OWN_CHUNKS: usize = 8;

/// The smallest allocation that, not fitting in `current`, gets a chunk of
/// its own ([`Heap::alloc_outside`]): a quarter of the current chunk,
/// and at least 1,024 words (below that a chunk of its own per object
/// would make many small chunks).
#[inline(always)]
fn own_chunk_min(current: &Chunk) -> usize {
    (current.len() / 4).max(1024)
}

/// Copies terms into heap words, word by word: the objects are small, and
/// a word loop costs less than a call to `memcpy`.
#[inline(always)]
pub(super) fn copy_words(dst: &mut [u64], src: &[Term]) {
    for (w, e) in dst.iter_mut().zip(src) {
        *w = e.raw();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bump_window_stops_at_the_collection_limit() {
        let mut h = Heap::with_capacity(16);
        h.alloc(2);
        h.set_gc_limit(10);
        let (top, limit) = h.bump_window();
        assert_eq!((limit as usize - top as usize) / 8, 8);
        h.set_bump_top(top.wrapping_add(3));
        assert_eq!(h.words_used(), 5);
        // Outside the window: ignored.
        h.set_bump_top(top.wrapping_sub(1));
        h.set_bump_top(top.wrapping_add(100));
        assert_eq!(h.words_used(), 5);
        h.alloc(6);
        assert!(h.needs_gc());
        let (top, limit) = h.bump_window();
        assert_eq!(top, limit);
    }

    #[test]
    fn large_allocations_take_a_reserve_chunk_or_one_of_their_own() {
        let mut h = Heap::with_capacity(8000);
        h.alloc(5010);
        // Does not fit, large: a chunk of its own; the current chunk stays.
        h.alloc(4000);
        assert_eq!((h.capacity(), h.room()), (12_000, 2990));
        // Small: still in the current chunk.
        h.alloc(100);
        assert_eq!(h.room(), 2890);
        // A reserve chunk that holds it comes first, as the new current one.
        h.add_reserve(Chunk::new(10_000));
        h.alloc(5000);
        assert_eq!(
            (h.reserve_words(), h.capacity(), h.room()),
            (0, 22_000, 5000)
        );
        assert_eq!(h.words_used(), 5010 + 4000 + 100 + 5000);
        let sizes: Vec<usize> = h.into_chunks().iter().map(Chunk::len).collect();
        assert_eq!(sizes.iter().sum::<usize>(), 22_000);
    }

    #[test]
    fn allocations_never_move() {
        let mut h = Heap::with_capacity(4);
        let a = h.tuple(&[Term::small(1), Term::small(2)]);
        for i in 0..1000 {
            h.cons(Term::small(i), Term::NIL);
        }
        let t = a.as_tuple().unwrap();
        assert_eq!(t.elements(), &[Term::small(1), Term::small(2)]);
        assert_eq!(h.words_used(), 3 + 2000);
    }

    #[test]
    fn lists_link_their_cells() {
        let mut h = Heap::new();
        let l = h.list(&[Term::small(1), Term::small(2), Term::small(3)]);
        let items: Vec<i64> = l.list_iter().map(|t| t.small_value()).collect();
        assert_eq!(items, [1, 2, 3]);
        assert!(h.list(&[]).is_nil());
    }

    #[test]
    fn tuples_and_floats() {
        let mut h = Heap::new();
        let f = h.float(2.5);
        assert_eq!(f.as_float(), Some(2.5));
        let t = h.tuple_filled(3, Term::NIL);
        h.set_tuple_element(t, 1, f);
        let tup = t.as_tuple().unwrap();
        assert_eq!(tup.len(), 3);
        assert_eq!(tup.get(1), Some(f));
        assert_eq!(tup.get(3), None);
        assert!(h.tuple(&[]).as_tuple().unwrap().is_empty());
    }
}
