//! The collector's items: `heap_size`, `total_heap_size`, `stack_size`,
//! `memory`, `min_heap_size`, `fullsweep_after`, `max_heap_size`,
//! `garbage_collection`, `garbage_collection_info` and `binary`.

use enigma_vm::gc::HeapStats;
use enigma_vm::term::{Heap, Term};

use super::flags::flag;
use super::View;
use crate::sched::atom;

/// The value of memory item `name`; `None` if it is not one.
pub(super) fn value(heap: &mut Heap, v: &View<'_>, name: &str) -> Option<Term> {
    let words = |n: usize| Term::small(n as i64);
    let s = &v.stats;
    Some(match name {
        "heap_size" => words(s.heap_size),
        "total_heap_size" => words(s.total_heap_size),
        "stack_size" => words(s.stack_size),
        "memory" => words(s.memory_bytes),
        "min_heap_size" => words(s.min_heap_size),
        "fullsweep_after" => Term::small(s.fullsweep_after as i64),
        "max_heap_size" => s.max_heap.to_term(heap),
        "garbage_collection" => {
            let mhs = s.max_heap.to_term(heap);
            let mut items = vec![heap.tuple(&[atom("max_heap_size"), mhs])];
            let vheap = flag(v.meta, "min_bin_vheap_size");
            items.push(heap.tuple(&[atom("min_bin_vheap_size"), vheap]));
            for (key, n) in [
                ("min_heap_size", s.min_heap_size as u64),
                ("fullsweep_after", s.fullsweep_after),
                ("minor_gcs", s.minor_gcs),
            ] {
                items.push(heap.tuple(&[atom(key), Term::small(n as i64)]));
            }
            heap.list(&items)
        }
        "garbage_collection_info" => gc_info(heap, s, flag(v.meta, "min_bin_vheap_size")),
        "binary" => {
            let items: Vec<Term> = v
                .binaries
                .iter()
                .map(|&(at, len, refs)| {
                    let id = heap.int(at as i64);
                    heap.tuple(&[id, words(len), words(refs)])
                })
                .collect();
            heap.list(&items)
        }
        _ => return None,
    })
}

/// `garbage_collection_info`: BEAM's eleven items, in its order, with
/// `vheap_block` the binary heap's block size (`min_bin_vheap_size`).
/// `recent_size` (what survived the last collection) is not tracked: the
/// young heap's use stands for it.
pub(crate) fn gc_info(heap: &mut Heap, s: &HeapStats, vheap_block: Term) -> Term {
    let words = |n: usize| Term::small(n as i64);
    let items: Vec<Term> = [
        ("old_heap_block_size", words(s.old_heap_size)),
        ("heap_block_size", words(s.heap_size)),
        ("mbuf_size", words(s.fragment_words)),
        ("recent_size", words(s.young_used)),
        ("stack_size", words(s.stack_size)),
        ("old_heap_size", words(s.old_used)),
        ("heap_size", words(s.young_used)),
        ("bin_vheap_size", words(s.young_binary_words)),
        ("bin_vheap_block_size", vheap_block),
        ("bin_old_vheap_size", words(s.old_binary_words)),
        ("bin_old_vheap_block_size", vheap_block),
    ]
    .into_iter()
    .map(|(k, n)| heap.tuple(&[atom(k), n]))
    .collect();
    heap.list(&items)
}
