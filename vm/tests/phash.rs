//! `erlang:phash2/1,2` and `erlang:phash/2` against values from real BEAM.
//!
//! The fixture `phash/fixture.txt` is the output of `phash/gen_fixture.erl`
//! run on OTP 25 (see that file for how to run it and for the format). Each
//! `term` line spells its term in a compact prefix encoding that this test
//! rebuilds on a heap; each `gen` line names a large term built here by name.

use std::str::FromStr;

use enigma_vm::atom::Atom;
use enigma_vm::term::binary::BinaryBuf;
use enigma_vm::term::fun::{Export, FunEntry};
use enigma_vm::term::phash::{phash, phash2, phash2_range};
use enigma_vm::term::{map, Heap, Kind, Term};
use ibig::IBig;

const FIXTURE: &str = include_str!("phash/fixture.txt");

/// The ranges of the fixture's columns.
struct Ranges {
    phash2: Vec<u64>,
    phash: Vec<u64>,
}

fn ranges() -> Ranges {
    let row = |name: &str| -> Vec<u64> {
        let line = FIXTURE
            .lines()
            .find(|l| l.split(' ').next() == Some(name))
            .unwrap_or_else(|| panic!("fixture has no {name} line"));
        line.split(' ')
            .skip(1)
            .map(|v| v.parse().unwrap())
            .collect()
    };
    Ranges {
        phash2: row("ranges2"),
        phash: row("ranges1"),
    }
}

/// Our values for `t`, in the fixture's column order.
fn our_hashes(t: Term, r: &Ranges) -> Vec<u64> {
    let mut v = vec![u64::from(phash2(t))];
    v.extend(
        r.phash2
            .iter()
            .map(|&n| u64::from(phash2_range(t, n).unwrap())),
    );
    v.extend(r.phash.iter().map(|&n| phash(t, n).unwrap()));
    v
}

fn parse_hashes(fields: &[&str]) -> Vec<u64> {
    fields.iter().map(|v| v.parse().unwrap()).collect()
}

/// Reads the fixture's term encoding.
struct Reader<'a> {
    s: &'a str,
}

impl<'a> Reader<'a> {
    fn byte(&mut self) -> u8 {
        let b = self.s.as_bytes()[0];
        self.s = &self.s[1..];
        b
    }

    /// Text up to (not including) the next `end`, which is consumed.
    fn until(&mut self, end: char) -> &'a str {
        let i = self.s.find(end).expect("unterminated field");
        let field = &self.s[..i];
        self.s = &self.s[i + 1..];
        field
    }

    fn num<T: FromStr>(&mut self, end: char) -> T
    where
        T::Err: std::fmt::Debug,
    {
        self.until(end).parse().unwrap()
    }

    fn hex(&mut self, end: char) -> Vec<u8> {
        let h = self.until(end);
        (0..h.len() / 2)
            .map(|i| u8::from_str_radix(&h[2 * i..2 * i + 2], 16).unwrap())
            .collect()
    }

    fn atom(&mut self, end: char) -> Atom {
        Atom::intern(&String::from_utf8(self.hex(end)).unwrap()).unwrap()
    }

    fn terms(&mut self, heap: &mut Heap, n: usize) -> Vec<Term> {
        (0..n).map(|_| self.term(heap)).collect()
    }

    fn term(&mut self, heap: &mut Heap) -> Term {
        match self.byte() {
            b'i' => heap.big(&IBig::from_str(self.until(';')).unwrap()),
            b'f' => {
                let bits = u64::from_str_radix(&self.s[..16], 16).unwrap();
                self.s = &self.s[16..];
                heap.float(f64::from_bits(bits))
            }
            b'a' => Term::atom(self.atom(';')),
            b'n' => Term::NIL,
            b'l' => {
                let n = self.num(';');
                let elems = self.terms(heap, n);
                let tail = self.term(heap);
                heap.list_with_tail(&elems, tail)
            }
            b't' => {
                let n = self.num(';');
                let elems = self.terms(heap, n);
                heap.tuple(&elems)
            }
            b'b' => {
                let bits = self.num(':');
                let bytes = self.hex(';');
                heap.bitstring(&bytes, bits)
            }
            b'm' => {
                let n: usize = self.num(';');
                let flat = self.terms(heap, 2 * n);
                let pairs: Vec<(Term, Term)> = flat.chunks(2).map(|p| (p[0], p[1])).collect();
                heap.map_from_pairs(&pairs)
            }
            b'p' => Term::pid(self.num('.'), self.num(';')),
            b'P' => {
                let node = self.atom(':');
                let (id, serial, creation) = (self.num('.'), self.num('.'), self.num(';'));
                heap.external_pid(node, id, serial, creation)
            }
            b'o' => Term::port(self.num(';')),
            b'O' => {
                let node = self.atom(':');
                let (id, creation) = (self.num('.'), self.num(';'));
                heap.external_port(node, id, creation)
            }
            b'r' => {
                let ids = self.ids();
                heap.local_ref(&ids)
            }
            b'R' => {
                let node = self.atom(':');
                let creation = self.num(':');
                let ids = self.ids();
                heap.external_ref(node, creation, &ids)
            }
            b'e' => {
                let (m, f, a) = (self.atom(':'), self.atom(':'), self.num(';'));
                heap.export_fun(Export::get_or_create(m, f, a))
            }
            b'c' => {
                let module = self.atom(':');
                let (old_index, old_uniq, index) = (self.num(':'), self.num(':'), self.num(':'));
                let uniq: [u8; 16] = self.hex(':').try_into().unwrap();
                let (arity, num_free) = (self.num(':'), self.num(';'));
                let env = self.terms(heap, num_free as usize);
                let entry =
                    FunEntry::intern(module, uniq, index, old_index, old_uniq, arity, num_free);
                heap.closure(entry, Term::pid(0, 0), &env)
            }
            other => panic!("unknown tag {:?} in fixture", other as char),
        }
    }

    fn ids(&mut self) -> Vec<u32> {
        self.until(';')
            .split('.')
            .map(|v| v.parse().unwrap())
            .collect()
    }
}

/// The same bits as `t` in other representations: a sub-binary at every bit
/// offset 0..8 of a larger binary, and an off-heap binary.
fn other_representations(heap: &mut Heap, t: Term) -> Vec<Term> {
    let bits = t.as_bits().unwrap();
    let n = bits.bit_size;
    let mut out = Vec::new();
    for offset in 0..8 {
        // `offset` one bits, then the bitstring, then one bits to a byte.
        let total = (offset + n).div_ceil(8) * 8 + 8;
        let mut buf = vec![0xFFu8; total / 8];
        for i in 0..n {
            let at = offset + i;
            if !bits.bit(i) {
                buf[at / 8] &= !(0x80 >> (at % 8));
            }
        }
        let whole = heap.binary(&buf);
        out.push(heap.sub_binary(whole, offset, n));
    }
    let packed = bits.to_vec();
    let refc = heap.refc_binary(BinaryBuf::new(packed));
    out.push(if n.is_multiple_of(8) {
        refc
    } else {
        heap.sub_binary(refc, 0, n)
    });
    out
}

#[test]
fn terms_hash_as_on_beam() {
    let r = ranges();
    let columns = 1 + r.phash2.len() + r.phash.len();
    let mut heap = Heap::new();
    let mut failures = Vec::new();
    let mut count = 0;
    for line in FIXTURE.lines().filter(|l| l.starts_with("term ")) {
        let fields: Vec<&str> = line.split(' ').collect();
        assert_eq!(fields.len(), 2 + columns, "malformed line: {line}");
        let expected = parse_hashes(&fields[1..1 + columns]);
        let desc = fields[1 + columns];
        let mut reader = Reader { s: desc };
        let t = reader.term(&mut heap);
        assert!(reader.s.is_empty(), "trailing text in {desc}");
        let mut variants = vec![t];
        if t.kind() == Kind::Binary {
            variants.extend(other_representations(&mut heap, t));
        }
        for v in variants {
            let got = our_hashes(v, &r);
            if got != expected {
                failures.push(format!("{t}\n  expected {expected:?}\n  got      {got:?}"));
            }
        }
        count += 1;
    }
    assert!(count > 250, "fixture too small: {count} terms");
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The large terms of the fixture's `gen` lines (see gen_fixture.erl).
fn generate(heap: &mut Heap, name: &str, n: usize) -> Term {
    let k = Term::atom(Atom::intern("k").unwrap());
    let nest = |heap: &mut Heap, seed: Term, wrap: &dyn Fn(&mut Heap, Term) -> Term| {
        (0..n).fold(seed, |t, _| wrap(heap, t))
    };
    match name {
        "seq_list" => (1..=n as i64)
            .rev()
            .fold(Term::NIL, |l, i| heap.cons(Term::small(i), l)),
        "byte_list" => (1..=n as i64)
            .rev()
            .fold(Term::NIL, |l, i| heap.cons(Term::small(i % 256), l)),
        "deep_tuple" => nest(heap, Term::NIL, &|h, t| h.tuple(&[t])),
        "deep_list" => nest(heap, Term::NIL, &|h, t| h.cons(t, Term::NIL)),
        "deep_map" => {
            let empty = map::empty_map(heap);
            nest(heap, empty, &|h, t| h.map_from_pairs(&[(k, t)]))
        }
        "big_binary" => {
            let bytes: Vec<u8> = (1..=n).map(|i| ((i * 7) % 256) as u8).collect();
            heap.binary(&bytes)
        }
        "wide_tuple" => {
            let elems: Vec<Term> = (1..=n as i64).map(Term::small).collect();
            heap.tuple(&elems)
        }
        "big_integer" => heap.big(&IBig::from(3u8).pow(n)),
        other => panic!("unknown generated term {other}"),
    }
}

#[test]
fn large_and_deep_terms_hash_as_on_beam() {
    let r = ranges();
    let mut count = 0;
    for line in FIXTURE.lines().filter(|l| l.starts_with("gen ")) {
        let fields: Vec<&str> = line.split(' ').collect();
        let (name, n) = (fields[1], fields[2].parse().unwrap());
        let expected = parse_hashes(&fields[3..]);
        let mut heap = Heap::new();
        let t = generate(&mut heap, name, n);
        assert_eq!(our_hashes(t, &r), expected, "{name} {n}");
        count += 1;
    }
    assert_eq!(count, 8);
}
