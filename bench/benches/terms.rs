//! Micro-benchmarks of runtime pieces the interpreter leans on: external
//! term format round trips, term comparison, and map lookups.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use enigma_vm::atom::Atom;
use enigma_vm::etf::{decode, encode, EncodeOptions};
use enigma_vm::term::order::compare;
use enigma_vm::term::{Heap, Term};

/// A term of mixed kinds, about 10,000 words.
fn sample(heap: &mut Heap) -> Term {
    let ok = Term::atom(Atom::OK);
    let items: Vec<Term> = (0..1000)
        .map(|i| {
            let f = heap.float(i as f64 / 3.0);
            let b = heap.binary(&[i as u8; 10]);
            heap.tuple(&[ok, Term::small(i), f, b])
        })
        .collect();
    heap.list(&items)
}

fn etf(c: &mut Criterion) {
    let mut heap = Heap::new();
    let t = sample(&mut heap);
    let bytes = encode(t, &EncodeOptions::default()).expect("encodes");
    c.bench_function("term_to_binary 1000 tuples", |b| {
        b.iter(|| encode(black_box(t), &EncodeOptions::default()))
    });
    c.bench_function("binary_to_term 1000 tuples", |b| {
        b.iter(|| decode(black_box(&bytes), &mut Heap::new()))
    });
}

fn order(c: &mut Criterion) {
    let mut heap = Heap::new();
    let (x, y) = (sample(&mut heap), sample(&mut heap));
    c.bench_function("compare equal 1000 tuples", |b| {
        b.iter(|| compare(black_box(x), black_box(y)))
    });
}

fn maps(c: &mut Criterion) {
    let mut heap = Heap::new();
    for n in [16usize, 1000] {
        let pairs: Vec<(Term, Term)> = (0..n as i64)
            .map(|i| (Term::small(i), Term::small(-i)))
            .collect();
        let m = heap.map_from_pairs(&pairs);
        c.bench_function(&format!("map_get {n} keys"), |b| {
            b.iter(|| m.map_get(black_box(Term::small(n as i64 / 2))))
        });
    }
}

criterion_group!(benches, etf, order, maps);
criterion_main!(benches);
