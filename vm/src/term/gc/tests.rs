use std::sync::Arc;

use ibig::IBig;

use super::*;
use crate::atom::Atom;
use crate::etf::{encode, EncodeOptions};
use crate::term::binary::BinaryBuf;
use crate::term::fun::{Export, FunEntry};
use crate::term::order::eq_exact;

/// Collects `heap` with `roots`; returns the new heap (the old one is
/// dropped, as a process drops it).
fn collect(mut heap: Heap, roots: &mut [Term]) -> Heap {
    let mut c = Collector::new([&mut heap], Heap::new());
    c.roots(roots);
    c.finish()
}

fn etf(t: Term) -> Vec<u8> {
    encode(t, &EncodeOptions::default()).expect("encodable")
}

/// One term of every kind a program can see, built on `h`.
fn every_kind(h: &mut Heap) -> Term {
    let n = |s: &str| Atom::intern(s).unwrap();
    let a = |s: &str| Term::atom(n(s));
    let big = h.big(&(IBig::from(1u8) << 200));
    let negbig = h.big(&-(IBig::from(3u8) << 100));
    let float = h.float(-2.5);
    let heap_bin = h.binary(b"small");
    let refc: Vec<u8> = (0..200u8).collect();
    let refc = h.binary(&refc);
    let sub = h.sub_view(refc, 3, 77);
    let sub_of_heap = h.sub_view(heap_bin, 8, 16);
    let string = h.string("hello");
    let entry = FunEntry::intern(n("gc_test"), [1; 16], 0, 0, 7, 1, 2);
    let closure = h.closure(entry, Term::pid(4, 1), &[string, big]);
    let export = h.export_fun(Export::get_or_create(
        Atom::intern("lists").unwrap(),
        Atom::intern("map").unwrap(),
        2,
    ));
    let local_ref = h.local_ref(&[1, 2, 3]);
    let ext_pid = h.external_pid(n("n@h"), 5, 6, 7);
    let ext_port = h.external_port(n("n@h"), 8, 9);
    let ext_ref = h.external_ref(n("n@h"), 3, &[4, 5, 6]);
    let flat_pairs: Vec<(Term, Term)> = (0..5).map(|i| (Term::small(i), float)).collect();
    let flat = h.map_from_pairs(&flat_pairs);
    let trie_pairs: Vec<(Term, Term)> = (0..100)
        .map(|i| {
            let k = h.tuple(&[Term::small(i), string]);
            (k, Term::small(i * i))
        })
        .collect();
    let trie = h.map_from_pairs(&trie_pairs);
    let improper = h.cons(Term::small(1), Term::small(2));
    h.tuple(&[
        big,
        negbig,
        float,
        heap_bin,
        refc,
        sub,
        sub_of_heap,
        string,
        closure,
        export,
        local_ref,
        ext_pid,
        ext_port,
        ext_ref,
        flat,
        trie,
        improper,
        Term::NIL,
        a("ok"),
        Term::pid(1, 2),
        Term::port(3),
    ])
}

#[test]
fn every_kind_survives_with_its_value() {
    let mut h = Heap::new();
    let t = every_kind(&mut h);
    let before = etf(t);
    let mut roots = [t];
    let new = collect(h, &mut roots);
    assert_ne!(roots[0], t, "the term moved");
    assert_eq!(etf(roots[0]), before);
    // Maps still find their keys (hashes are of values, not addresses).
    let trie = roots[0].as_tuple().unwrap().get(15).unwrap();
    let mut probe = Heap::new();
    let s = probe.string("hello");
    let key = probe.tuple(&[Term::small(42), s]);
    assert_eq!(trie.map_get(key), Some(Term::small(42 * 42)));
    assert!(new.words_used() > 0);
}

#[test]
fn match_states_keep_their_binary_and_position() {
    let mut h = Heap::new();
    let data: Vec<u8> = (0..100u8).collect();
    let bin = h.binary(&data);
    let ms = h.match_state(bin);
    ms.as_match_state().unwrap().set_position(24);
    let mut roots = [ms];
    let _new = collect(h, &mut roots);
    let ms = roots[0].as_match_state().unwrap();
    assert_eq!(ms.position(), 24);
    assert_eq!(ms.binary().as_binary(), Some(&data[..]));
}

#[test]
fn shared_terms_are_copied_once() {
    let mut h = Heap::new();
    let shared = h.list(&[Term::small(1), Term::small(2), Term::small(3)]);
    let t = h.tuple(&[shared, shared]);
    let mut roots = [t, shared];
    let new = collect(h, &mut roots);
    let tup = roots[0].as_tuple().unwrap();
    assert_eq!(tup.get(0), tup.get(1));
    assert_eq!(tup.get(0), Some(roots[1]));
    assert_eq!(new.words_used(), 3 + 6, "one tuple and one three-cell list");
}

#[test]
fn garbage_is_left_behind() {
    let mut h = Heap::new();
    for i in 0..10_000 {
        h.tuple(&[Term::small(i)]);
    }
    let keep = h.cons(Term::small(7), Term::NIL);
    let mut roots = [keep];
    let new = collect(h, &mut roots);
    assert_eq!(new.words_used(), 2);
    assert_eq!(roots[0].as_cons(), Some((Term::small(7), Term::NIL)));
}

#[test]
fn a_million_long_list_collects() {
    let mut h = Heap::new();
    let mut l = Term::NIL;
    for i in 0..1_000_000 {
        l = h.cons(Term::small(i), l);
    }
    let mut roots = [l];
    let new = collect(h, &mut roots);
    assert_eq!(new.words_used(), 2_000_000);
    let sum: i64 = roots[0].list_iter().map(|t| t.small_value()).sum();
    assert_eq!(sum, 999_999 * 1_000_000 / 2);
}

#[test]
fn terms_outside_from_space_are_left_alone() {
    let mut literals = Heap::new();
    let lit = literals.tuple(&[Term::small(1), Term::small(2)]);
    let lit_list = literals.list(&[Term::small(3)]);
    let mut h = Heap::new();
    let t = h.tuple(&[lit, lit_list]);
    let mut roots = [t, lit];
    let _new = collect(h, &mut roots);
    assert_eq!(roots[1], lit);
    let tup = roots[0].as_tuple().unwrap();
    assert_eq!(tup.elements(), &[lit, lit_list]);
    assert_eq!(
        lit.as_tuple().unwrap().elements(),
        &[Term::small(1), Term::small(2)]
    );
}

#[test]
fn fragments_are_from_space_too() {
    let mut h = Heap::new();
    let mut frag = Heap::new();
    let msg = frag.tuple(&[Term::small(9)]);
    let t = h.cons(msg, Term::NIL);
    let mut roots = [t];
    let mut c = Collector::new([&mut h, &mut frag], Heap::new());
    c.roots(&mut roots);
    let new = c.finish();
    drop(frag);
    drop(h);
    assert_eq!(new.words_used(), 2 + 2);
    let (head, _) = roots[0].as_cons().unwrap();
    assert_eq!(head.as_tuple().unwrap().elements(), &[Term::small(9)]);
}

#[test]
fn unreferenced_binaries_are_released() {
    let buf = BinaryBuf::new(vec![7; 1000]);
    let weak = Arc::downgrade(&buf);
    let mut h = Heap::new();
    let bin = h.refc_binary(buf);
    let sub = h.sub_view(bin, 0, 80);
    // Kept through a sub-binary: the buffer survives, held once per
    // surviving object.
    let mut roots = [sub];
    let h = collect(h, &mut roots);
    assert!(weak.upgrade().is_some());
    assert_eq!(h.binary_count(), 1);
    assert_eq!(roots[0].as_binary(), Some(&[7u8; 10][..]));
    // No longer referenced: the collection releases it.
    let h = collect(h, &mut []);
    assert_eq!(h.binary_count(), 0);
    assert!(weak.upgrade().is_none());
}

#[test]
fn collected_values_equal_a_copy() {
    let mut h = Heap::new();
    let t = every_kind(&mut h);
    let mut other = Heap::new();
    let copy = crate::etf::decode(&etf(t), &mut other).unwrap();
    let mut roots = [t];
    let _new = collect(h, &mut roots);
    assert!(eq_exact(roots[0], copy));
}

#[test]
fn aged_objects_are_promoted_with_what_they_reach() {
    let buf = BinaryBuf::new(vec![5; 200]);
    let weak = Arc::downgrade(&buf);
    let mut young = Heap::new();
    let bin = young.refc_binary(buf);
    let kept = young.tuple(&[bin, Term::small(1)]);
    // The first collection: everything is young and copied to a fresh
    // young heap; afterwards it is all aged.
    let mut roots = [kept];
    let mut young = collect(young, &mut roots);
    let mut aged: Vec<_> = used_ranges(&young).collect();
    aged.sort_unstable();
    let fresh = young.cons(roots[0], Term::NIL);
    let mut roots = [fresh];
    let mut old = Heap::new();
    let mut c = Collector::new([&mut young], Heap::new()).promoting(&aged, &mut old);
    c.roots(&mut roots);
    let new_young = c.finish();
    drop(young);
    // The cons cell (allocated after the first collection) stays young;
    // the aged tuple and its binary go to the old heap.
    assert_eq!(new_young.words_used(), 2);
    assert_eq!(old.words_used(), 3 + 3);
    assert_eq!(old.binary_count(), 1);
    assert_eq!(new_young.binary_count(), 0);
    assert!(old.pressure() > old.words_used(), "the binary counts");
    let (head, _) = roots[0].as_cons().unwrap();
    let t = head.as_tuple().unwrap();
    assert_eq!(t.get(0).and_then(Term::as_binary), Some(&[5u8; 200][..]));
    // A minor collection leaves the old heap alone: its objects are not
    // from-space, and nothing is copied twice.
    let mut roots2 = [roots[0]];
    let mut y = new_young;
    let mut again = Collector::new([&mut y], Heap::new());
    again.roots(&mut roots2);
    let y2 = again.finish();
    assert_eq!(y2.words_used(), 2);
    assert_eq!(roots2[0].as_cons().unwrap().0, head);
    drop((y, y2));
    assert!(weak.upgrade().is_some());
    drop(old);
    assert!(weak.upgrade().is_none());
}

/// A binary tree of `depth` levels whose nodes are tuples of `1 + depth %
/// 6` elements (objects of 2 to 7 words: both ways of copying), the last
/// two elements being the subtrees, with shared leaves.
fn tree(h: &mut Heap, depth: i64, leaf: Term) -> Term {
    if depth == 0 {
        return leaf;
    }
    let l = tree(h, depth - 1, leaf);
    let r = tree(h, depth - 1, leaf);
    let mut e: Vec<Term> = (0..depth % 6).map(Term::small).collect();
    e.extend([l, r]);
    h.tuple(&e)
}

#[test]
fn scans_cross_chunks_of_a_small_to_space_and_old_heap() {
    // From-space in many pieces (more than the short-loop range check
    // takes), to-space and the old heap starting at 3 words: every scan
    // crosses chunk boundaries while it allocates.
    let mut frags: Vec<Heap> = (0..6).map(|_| Heap::with_capacity(5)).collect();
    let leaves: Vec<Term> = frags
        .iter_mut()
        .enumerate()
        .map(|(i, f)| f.list(&[Term::small(i as i64), Term::NIL]))
        .collect();
    let mut h = Heap::with_capacity(7);
    let trees: Vec<Term> = leaves.iter().map(|&l| tree(&mut h, 7, l)).collect();
    let want: Vec<Vec<u8>> = trees.iter().map(|&t| etf(t)).collect();
    let mut roots = trees.clone();
    let from = std::iter::once(&mut h).chain(frags.iter_mut());
    let mut c = Collector::new(from, Heap::with_capacity(3));
    c.roots(&mut roots);
    let mut young = c.finish();
    drop((h, frags));
    let got: Vec<Vec<u8>> = roots.iter().map(|&t| etf(t)).collect();
    assert_eq!(got, want);
    let words = young.words_used();
    // A minor collection promoting all of it, into a 3-word old heap, with
    // a new root reaching the old data.
    let mut aged: Vec<_> = used_ranges(&young).collect();
    aged.sort_unstable();
    let fresh = young.list(&roots);
    let mut roots = [fresh];
    let mut old = Heap::with_capacity(3);
    let mut c = Collector::new([&mut young], Heap::with_capacity(3)).promoting(&aged, &mut old);
    c.roots(&mut roots);
    let new_young = c.finish();
    drop(young);
    assert_eq!(old.words_used(), words);
    assert_eq!(new_young.words_used(), 2 * want.len());
    let got: Vec<Vec<u8>> = roots[0].list_iter().map(etf).collect();
    assert_eq!(got, want);
}
