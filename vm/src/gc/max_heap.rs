//! `max_heap_size`: the most a process's heaps may take before it is
//! killed or reported (`spawn_opt`, `process_flag/2`), checked at each
//! collection as BEAM counts it (erl_gc.c, `minor_collection` and
//! `major_collection`, before copying: a minor collection counts the
//! young words in use, the old heap or the one it is about to make, and
//! the young heap's size; a full sweep both heaps' sizes and the new
//! young heap's), and when the stack grows (BEAM's stack shares the young
//! heap and collects where the two meet).

use super::sizing;
use crate::atom::Atom;
use crate::process::Process;
use crate::term::{Heap, Term};

/// A process's `max_heap_size` setting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MaxHeapSize {
    /// Words; 0 is no limit.
    pub size: usize,
    /// Whether reaching it kills the process (with reason `killed`).
    pub kill: bool,
    /// Whether reaching it prints an error report.
    pub error_logger: bool,
}

impl Default for MaxHeapSize {
    /// BEAM's default: no limit, `kill` and `error_logger` on.
    fn default() -> Self {
        MaxHeapSize {
            size: 0,
            kill: true,
            error_logger: true,
        }
    }
}

impl MaxHeapSize {
    /// Reads a setting as `spawn_opt` and `process_flag/2` take it: a
    /// non-negative integer (the size) or a map with a `size` and optional
    /// boolean `kill` and `error_logger` (other keys are ignored); the
    /// flags not given are `base`'s (the system-wide setting's, as BEAM's
    /// `erts_max_heap_size`); `None` for anything else.
    pub fn from_term(t: Term, base: MaxHeapSize) -> Option<MaxHeapSize> {
        let mut m = base;
        let size = if t.is_map() {
            let get = |name: &str| t.map_get(Term::atom(Atom::intern(name).ok()?));
            let flag = |name: &str, v: &mut bool| -> Option<()> {
                if let Some(b) = get(name) {
                    *v = b == Term::TRUE;
                    (*v || b == Term::FALSE).then_some(())?;
                }
                Some(())
            };
            flag("kill", &mut m.kill)?;
            flag("error_logger", &mut m.error_logger)?;
            get("size")?
        } else {
            t
        };
        m.size = usize::try_from(size.as_small()?).ok()?;
        Some(m)
    }

    /// The setting as `process_info/2` shows it:
    /// `#{error_logger => _, kill => _, size => _}`.
    pub fn to_term(self, heap: &mut Heap) -> Term {
        let key = |name: &str| Term::atom(Atom::intern(name).unwrap_or(Atom::UNDEFINED));
        let pairs = [
            (key("error_logger"), Term::bool(self.error_logger)),
            (key("kill"), Term::bool(self.kill)),
            (key("size"), Term::small(self.size as i64)),
        ];
        heap.map_from_pairs(&pairs)
    }
}

/// A collection found the process over its `max_heap_size`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MaxHeapReached {
    /// The setting it went over.
    pub limit: MaxHeapSize,
    /// The heap size, in words, that went over it.
    pub total: usize,
}

impl Process {
    /// The process's `max_heap_size`.
    pub fn max_heap_size(&self) -> MaxHeapSize {
        self.gc.max_heap
    }

    /// Sets `max_heap_size`; the previous setting.
    pub fn set_max_heap_size(&mut self, m: MaxHeapSize) -> MaxHeapSize {
        std::mem::replace(&mut self.gc.max_heap, m)
    }

    /// Takes what the last collection found if it went over
    /// `max_heap_size` (the caller kills or reports the process).
    pub fn take_max_heap_reached(&mut self) -> Option<MaxHeapReached> {
        self.gc.max_heap_reached.take().map(|r| *r)
    }

    /// Notes whether the heaps and the stack, which grew to hold `stack`
    /// words without a collection, reach the limit. BEAM's stack is the
    /// far end of its young heap, so a body recursion that allocates
    /// nothing still collects each time the two meet, and the last such
    /// collection (of the heap they filled) finds the process over its
    /// `max_heap_size`: by a minor collection's count, or a full sweep's
    /// when there is no old heap and nothing that survived a collection
    /// (erl_gc.c's `minor_collection` gives up then).
    pub fn check_max_heap_stack(&mut self, stack: usize) {
        let usage = self.young_usage();
        let (filled, next) = sizing::filled_and_next(stack + usage, self.gc.min_heap_size);
        let total = if self.beam_sweeps_fully() {
            filled + next
        } else {
            usage + self.old_heap_size(0) + filled
        };
        self.check_max_heap(total);
    }

    /// Whether BEAM's next collection is a full sweep whatever the
    /// settings: no old heap and no words that survived a collection.
    pub(super) fn beam_sweeps_fully(&self) -> bool {
        self.gc.old.is_none() && self.gc.aged.is_empty()
    }

    /// Notes, before a minor collection, whether the process reaches its
    /// limit by BEAM's count (erl_gc.c `minor_collection`): the young
    /// generation's words in use, the old heap's size (or `new_old`, the
    /// one the collection is about to make), and the young heap's size.
    pub(super) fn check_max_heap_minor(&mut self, new_old: usize) {
        let total = self.young_usage() + self.old_heap_size(new_old) + self.gc.heap_size;
        self.check_max_heap(total);
    }

    /// Notes, before a major collection into a young heap of `new_young`
    /// words, whether the process reaches its limit by BEAM's count
    /// (`major_collection`): both heaps' sizes and the new one's.
    pub(super) fn check_max_heap_major(&mut self, new_young: usize) {
        let total = self.gc.heap_size + self.old_heap_size(0) + new_young;
        self.check_max_heap(total);
    }

    /// The young generation's words in use, received fragments with it
    /// (BEAM's `young_gen_usage`).
    fn young_usage(&self) -> usize {
        self.heap.words_used() + self.fragments.iter().map(Heap::words_used).sum::<usize>()
    }

    /// The old heap's size by BEAM's rules, or `none` without one.
    fn old_heap_size(&self, none: usize) -> usize {
        self.gc.old.as_ref().map_or(none, |_| self.gc.old_size)
    }

    /// Notes a `total` heap size over the limit, for the caller to act on.
    fn check_max_heap(&mut self, total: usize) {
        let limit = self.gc.max_heap;
        if limit.size != 0 && total > limit.size {
            self.gc.max_heap_reached = Some(Box::new(MaxHeapReached { limit, total }));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_read_as_beam_reads_them() {
        let mut h = Heap::new();
        let def = MaxHeapSize::default();
        assert_eq!(
            MaxHeapSize::from_term(Term::small(1000), MaxHeapSize::default()),
            Some(MaxHeapSize { size: 1000, ..def })
        );
        assert_eq!(
            MaxHeapSize::from_term(Term::small(-1), MaxHeapSize::default()),
            None
        );
        let m = MaxHeapSize {
            size: 2000,
            kill: false,
            error_logger: true,
        };
        let t = m.to_term(&mut h);
        assert_eq!(MaxHeapSize::from_term(t, MaxHeapSize::default()), Some(m));
        let no_size = h.map_from_pairs(&[(Term::atom(Atom::intern("kill").unwrap()), Term::TRUE)]);
        assert_eq!(
            MaxHeapSize::from_term(no_size, MaxHeapSize::default()),
            None
        );
        let bad_kill = h.map_from_pairs(&[
            (Term::atom(Atom::intern("kill").unwrap()), Term::small(1)),
            (Term::atom(Atom::intern("size").unwrap()), Term::small(1)),
        ]);
        assert_eq!(
            MaxHeapSize::from_term(bad_kill, MaxHeapSize::default()),
            None
        );
    }

    #[test]
    fn a_collection_notes_a_heap_over_the_limit() {
        let mut p = Process::new(Term::pid(1, 0));
        p.set_max_heap_size(MaxHeapSize {
            size: 5000,
            ..Default::default()
        });
        let mut x = [Term::NIL];
        for i in 0..3000 {
            x[0] = p.heap.cons(Term::small(i), x[0]);
            if p.needs_gc() {
                p.collect(&mut x, &mut []);
            }
        }
        let hit = p.take_max_heap_reached().expect("over the limit");
        assert!(hit.total > 5000);
        assert_eq!(p.take_max_heap_reached(), None);
    }
}
