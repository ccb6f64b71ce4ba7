use std::cmp::Ordering;

use ahash::AHashMap;
use ibig::IBig;

use super::hamt::{self, KeyHash};
use super::hash::{internal_hash_with, map_salt};
use super::*;
use crate::atom::Atom;
use crate::term::order::{compare, eq_exact};

/// Orders printed by OTP 25 (`vm/tests/maps/gen_order.erl`).
const FIXTURE: &str = include_str!("../../../tests/maps/order.txt");

/// Key `i` (from 1) of a family, as `key/3` in gen_order.erl builds it.
fn key(h: &mut Heap, family: &str, i: i64) -> Term {
    match family {
        "salted" => Term::small(salted_keys()[i as usize - 1]),
        "ints" => Term::small(i),
        "negs" => Term::small(-i),
        "bigs" if i % 2 == 0 => h.big(&((IBig::from(1u8) << 64) * i + i)),
        "bigs" => h.big(&(-((IBig::from(1u8) << 100) + i))),
        "floats" if i % 2 == 0 => h.float(i as f64 * 0.25 - 10.0),
        "floats" => h.float(-i as f64 * 1.1 - 1000.0),
        "atoms" => Term::atom(Atom::intern(&format!("ka{i}")).unwrap()),
        "binaries" => {
            let s = "x".repeat((i % 20) as usize) + &i.to_string();
            h.binary(s.as_bytes())
        }
        "bitstrings" => {
            let n = (i % 7 + 17) as usize;
            let v = (i as u64) << (32 - n);
            h.bitstring(&(v as u32).to_be_bytes(), n)
        }
        "tuples" => {
            let f = h.float(i as f64);
            h.tuple(&[Term::small(i), Term::small(-i), f])
        }
        "lists" if i % 3 == 0 => {
            let mut l: Vec<Term> = (1..=i % 7).map(Term::small).collect();
            l.push(Term::small(i));
            h.list(&l)
        }
        "lists" if i % 3 == 1 => h.cons(Term::small(i), Term::small(i)),
        "lists" => {
            let inner = h.list(&[Term::small(i % 256)]);
            let ab = h.string("ab");
            h.list(&[inner, ab, Term::small(i)])
        }
        "pids" => Term::pid(i as u32, (i % 3) as u32),
        "ports" => Term::port(i as u64),
        "refs" => h.local_ref(&[(i * 13) as u32, (i % 3) as u32, i as u32]),
        "maps" if i % 2 == 0 => h.map_from_pairs(&[
            (Term::small(i), Term::small(i)),
            (Term::small(-i), Term::NIL),
        ]),
        "maps" => {
            let pairs: Vec<(Term, Term)> =
                (1..=33).map(|j| (Term::small(j), Term::small(i))).collect();
            h.map_from_pairs(&pairs)
        }
        "mixed" => match (i % 8, i) {
            (0, _) => key(h, "ints", i),
            (1, _) => key(h, "bigs", i),
            (2, _) => key(h, "floats", i),
            (3, _) => key(h, "binaries", i),
            (4, _) => key(h, "tuples", i),
            (5, _) => key(h, "lists", i),
            (6, _) => key(h, "pids", i),
            (_, 7) => h.float(-0.0),
            (_, 15) => Term::NIL,
            (_, 23) => h.tuple(&[]),
            _ => key(h, "bitstrings", i),
        },
        other => panic!("unknown key family {other}"),
    }
}

/// The `colliding()` keys of gen_order.erl.
fn salted_keys() -> Vec<i64> {
    let text = include_str!("../../../tests/maps/gen_order.erl");
    let body = &text[text.find("colliding() ->").unwrap()..];
    let body = &body[body.find('[').unwrap() + 1..body.find(']').unwrap()];
    body.split(',').map(|s| s.trim().parse().unwrap()).collect()
}

/// BEAM's hash with atoms numbered as the BEAM that wrote the fixture
/// numbered them.
struct BeamAtoms(AHashMap<u32, u32>);

impl KeyHash for BeamAtoms {
    fn hash(&self, key: Term, salt_level: u32) -> u32 {
        let index = |a: Atom| self.0.get(&a.index()).copied().unwrap_or(a.index());
        internal_hash_with(key, map_salt(salt_level), &index)
    }
}

fn keys_text(h: &mut Heap, map: Term) -> String {
    let keys: Vec<Term> = entries(map).into_iter().map(|(k, _)| k).collect();
    h.list(&keys).to_string()
}

fn crc(text: &str) -> u32 {
    let mut c = flate2::Crc::new();
    c.update(text.as_bytes());
    c.sum()
}

#[test]
fn tries_iterate_in_beams_order() {
    let atom_base: u32 = FIXTURE
        .lines()
        .find_map(|l| l.strip_prefix("atom_base "))
        .and_then(|b| b.parse().ok())
        .expect("atom_base line");
    let mut checked = 0;
    let mut wrong = Vec::new();
    for line in FIXTURE
        .lines()
        .filter(|l| l.starts_with("list ") || l.starts_with("crc "))
    {
        let mut f = line.splitn(4, ' ');
        let (what, family, n, expected) = (
            f.next().unwrap(),
            f.next().unwrap(),
            f.next().unwrap(),
            f.next().unwrap(),
        );
        let n: i64 = n.parse().unwrap();
        let mut h = Heap::new();
        let keys: Vec<Term> = (1..=n).map(|i| key(&mut h, family, i)).collect();
        let pairs: Vec<(Term, Term)> = keys
            .iter()
            .zip(1..)
            .map(|(k, i)| (*k, Term::small(i)))
            .collect();
        let map = if family == "atoms" {
            let beam: AHashMap<u32, u32> = keys
                .iter()
                .zip(atom_base..)
                .map(|(k, b)| (k.as_atom().unwrap().index(), b))
                .collect();
            hamt::from_pairs(&mut h, &BeamAtoms(beam), &pairs)
        } else {
            h.map_from_pairs(&pairs)
        };
        assert_eq!(map.map_size(), Some(n as usize), "{family} {n}");
        let text = keys_text(&mut h, map);
        let got = if what == "list" {
            text.clone()
        } else {
            crc(&text).to_string()
        };
        if got != expected {
            wrong.push(format!("{family} {n}: {got}"));
        }
        if family != "atoms" && n <= 10_000 {
            // Insertion one key at a time builds the same trie.
            let mut m = empty_map(&mut h);
            for p in &pairs {
                m = h.map_put(m, p.0, p.1).unwrap();
            }
            assert_eq!(keys_text(&mut h, m), text, "{family} {n} by put");
            assert!(eq_exact(m, map));
        }
        checked += 1;
    }
    assert_eq!(wrong, Vec::<String>::new());
    assert_eq!(checked, 14 * 5 + 2);
}

#[test]
fn maps_print_in_iteration_order() {
    let expected = |name: &str| {
        FIXTURE
            .lines()
            .find_map(|l| l.strip_prefix(&format!("print {name} ")))
            .expect("print line")
            .to_string()
    };
    let mut h = Heap::new();
    let pairs: Vec<(Term, Term)> = (1..=40).map(|i| (Term::small(i), Term::small(i))).collect();
    let m40 = h.map_from_pairs(&pairs);
    assert_eq!(m40.to_string(), expected("ints40"));
    let nested: Vec<(Term, Term)> = (1..=35).map(|i| (key(&mut h, "mixed", i), m40)).collect();
    let nested = h.map_from_pairs(&nested);
    assert_eq!(nested.to_string(), expected("nested"));
    let forward: Vec<Term> = iter(m40).map(|(k, _)| k).collect();
    let mut backward: Vec<Term> = entries(m40).into_iter().map(|(k, _)| k).collect();
    backward.reverse();
    assert_eq!(forward, backward);
}

#[test]
fn big_maps_build_and_look_up() {
    let mut h = Heap::new();
    let n = 100_000;
    let pairs: Vec<(Term, Term)> = (0..n).map(|i| (Term::small(i), Term::small(-i))).collect();
    let m = h.map_from_pairs(&pairs);
    assert_eq!(m.map_size(), Some(n as usize));
    for i in 0..n {
        assert_eq!(m.map_get(Term::small(i)), Some(Term::small(-i)));
    }
    let k = Term::small(77);
    assert_eq!(m.map_get_hashed(k, key_hash(k)), Some(Term::small(-77)));
    assert_eq!(m.map_get(Term::small(n)), None);
    let f = h.float(5.0);
    assert_eq!(m.map_get(f), None);
    assert_eq!(iter(m).count(), n as usize);
    let mut r = m;
    for i in (0..n).step_by(20) {
        r = h.map_remove(r, Term::small(i)).unwrap();
    }
    assert_eq!(r.map_size(), Some(n as usize - 5000));
    for i in 0..n {
        let expected = (i % 20 != 0).then_some(Term::small(-i));
        assert_eq!(r.map_get(Term::small(i)), expected);
    }
    // Remove all but 32 keys of a smaller one: it ends flat, in key order.
    let pairs: Vec<(Term, Term)> = (0..1000).map(|i| (Term::small(i), Term::NIL)).collect();
    let mut r = h.map_from_pairs(&pairs);
    for i in (32..1000).rev() {
        r = h.map_remove(r, Term::small(i)).unwrap();
        assert_eq!(r.map_size(), Some(i as usize));
        assert_eq!(iter(r).count(), i as usize);
    }
    assert!(!is_hamt(r));
    let keys: Vec<Term> = entries(r).into_iter().map(|(k, _)| k).collect();
    assert_eq!(keys, (0..32).map(Term::small).collect::<Vec<_>>());
    // The original is untouched.
    assert_eq!(m.map_size(), Some(n as usize));
    assert_eq!(m.map_get(Term::small(n - 1)), Some(Term::small(1 - n)));
}

#[test]
fn updates_share_and_switch_representation() {
    let mut h = Heap::new();
    let pairs: Vec<(Term, Term)> = (1..=32).map(|i| (Term::small(i), Term::NIL)).collect();
    let flat = h.map_from_pairs(&pairs);
    assert!(!is_hamt(flat));
    let big = h.map_put(flat, Term::small(33), Term::TRUE).unwrap();
    assert!(is_hamt(big));
    assert_eq!(big.map_size(), Some(33));
    assert_eq!(flat.map_size(), Some(32));
    assert_eq!(h.map_put(big, Term::small(33), Term::TRUE), Ok(big));
    let same = h.map_remove(big, Term::small(99)).unwrap();
    assert_eq!(same, big);
    let back = h.map_remove(big, Term::small(33)).unwrap();
    assert!(!is_hamt(back));
    assert!(eq_exact(back, flat));
    let upd = h.map_update(big, Term::small(5), Term::FALSE).unwrap();
    assert_eq!(upd.map_get(Term::small(5)), Some(Term::FALSE));
    assert_eq!(big.map_get(Term::small(5)), Some(Term::NIL));
    assert_eq!(compare(upd, big), Ordering::Less, "false < []");
    assert_eq!(
        h.map_update(big, Term::small(0), Term::NIL),
        Err(MapError::BadKey)
    );
    assert_eq!(
        h.map_update(Term::NIL, Term::small(0), Term::NIL),
        Err(MapError::BadMap)
    );
    assert_eq!(
        h.map_put(Term::small(1), Term::NIL, Term::NIL),
        Err(MapError::BadMap)
    );
    assert_eq!(h.map_remove(Term::NIL, Term::NIL), Err(MapError::BadMap));
    // A trie and a flat map differ in size; tries compare by sorted keys.
    assert_eq!(compare(flat, big), Ordering::Less);
    let sorted: Vec<Term> = sorted_entries(big).into_iter().map(|(k, _)| k).collect();
    assert_eq!(sorted, (1..=33).map(Term::small).collect::<Vec<_>>());
}

#[test]
fn zero_keys_follow_beam() {
    // Observed on OTP 25: maps:from_list keeps the later pair, maps:put keeps
    // a flat map's key but replaces a trie's.
    let mut h = Heap::new();
    let (pz, nz) = (h.float(0.0), h.float(-0.0));
    let (a, b) = (Term::small(1), Term::small(2));
    assert_eq!(
        h.map_from_pairs(&[(pz, a), (nz, b)]).to_string(),
        "#{-0.0 => 2}"
    );
    let m = h.map_from_pairs(&[(pz, a)]);
    assert_eq!(h.map_put(m, nz, b).unwrap().to_string(), "#{0.0 => 2}");
    let mut pairs: Vec<(Term, Term)> = (1..=40).map(|i| (Term::small(i), Term::NIL)).collect();
    pairs.push((pz, a));
    let big = h.map_from_pairs(&pairs);
    let put = h.map_put(big, nz, b).unwrap();
    assert_eq!(put.map_get(pz), Some(b));
    let floats: Vec<String> = iter(put)
        .filter(|(k, _)| k.is_float())
        .map(|(k, _)| k.to_string())
        .collect();
    assert_eq!(floats, ["-0.0"]);
}

/// Sends every key down the same path, so all end in one collision node.
struct Constant;

impl KeyHash for Constant {
    fn hash(&self, _key: Term, _salt_level: u32) -> u32 {
        0x5A5A_5A5A
    }
}

#[test]
fn full_collisions_share_a_node() {
    let mut h = Heap::new();
    let pairs: Vec<(Term, Term)> = (1..=40)
        .rev()
        .map(|i| (Term::small(i), Term::small(i * 2)))
        .collect();
    let m = hamt::from_pairs(&mut h, &Constant, &pairs);
    assert_eq!(m.map_size(), Some(40));
    for i in 1..=40 {
        assert_eq!(
            hamt::get(&Constant, m, Term::small(i)),
            Some(Term::small(i * 2))
        );
    }
    let keys: Vec<Term> = iter(m).map(|(k, _)| k).collect();
    assert_eq!(keys, (1..=40).map(Term::small).collect::<Vec<_>>());
    let m2 = hamt::put(&mut h, &Constant, m, Term::small(41), Term::NIL);
    let m2 = hamt::put(&mut h, &Constant, m2, Term::small(3), Term::NIL);
    assert_eq!(m2.map_size(), Some(41));
    assert_eq!(hamt::get(&Constant, m2, Term::small(3)), Some(Term::NIL));
    let m3 = hamt::remove(&mut h, &Constant, m2, Term::small(7));
    assert_eq!(m3.map_size(), Some(40));
    assert_eq!(hamt::get(&Constant, m3, Term::small(7)), None);
    assert_eq!(
        hamt::get(&Constant, m3, Term::small(8)),
        Some(Term::small(16))
    );
}

#[test]
fn maps_sort_keys_and_keep_the_last_duplicate() {
    let mut h = Heap::new();
    let a = Term::atom(Atom::intern("a").unwrap());
    let b = Term::atom(Atom::intern("b").unwrap());
    let f = h.float(1.0);
    let m = h.map_from_pairs(&[
        (a, Term::small(1)),
        (Term::small(1), Term::small(2)),
        (f, Term::small(3)),
        (b, Term::NIL),
        (a, Term::small(9)),
    ]);
    assert_eq!(m.map_size(), Some(4));
    // Printed by erl: #{1 => 2,1.0 => 3,a => 1,b => []} (with a => 9 here).
    assert_eq!(m.to_string(), "#{1 => 2,1.0 => 3,a => 9,b => []}");
    assert_eq!(m.map_get(f), Some(Term::small(3)));
    assert_eq!(m.map_get(Term::small(7)), None);
    assert_eq!(empty_map(&mut h).to_string(), "#{}");
}

#[test]
fn equal_terms_hash_equally_whatever_their_representation() {
    use super::hash::internal_hash;
    let mut h = Heap::new();
    // A bitstring at bit offset 3 of a larger binary, and the same bits fresh.
    let base = h.binary(&[0b1011_0110, 0b0101_1100, 0b1110_0011, 0xFF]);
    let sub = h.sub_view(base, 3, 19);
    let bits = sub.as_bits().unwrap().to_vec();
    let fresh = h.bitstring(&bits, 19);
    assert_eq!(internal_hash(sub, 0), internal_hash(fresh, 0));
    // An off-heap binary and a heap binary of the same bytes.
    let bytes: Vec<u8> = (0..=200).collect();
    let refc = h.binary(&bytes);
    let small = h.binary(&bytes[..40]);
    let slice = h.sub_view(refc, 0, 8 * 40);
    assert_eq!(internal_hash(small, 0), internal_hash(slice, 0));
    // 0.0 and -0.0 are one key.
    let (pz, nz) = (h.float(0.0), h.float(-0.0));
    assert_eq!(internal_hash(pz, 7), internal_hash(nz, 7));
    // A trie key built by insertion and one built at once.
    let pairs: Vec<(Term, Term)> = (0..50).map(|i| (Term::small(i), Term::NIL)).collect();
    let at_once = h.map_from_pairs(&pairs);
    let mut one_by_one = empty_map(&mut h);
    for p in pairs.iter().rev() {
        one_by_one = h.map_put(one_by_one, p.0, p.1).unwrap();
    }
    assert_eq!(internal_hash(at_once, 0), internal_hash(one_by_one, 0));
    // Salts change the hash.
    assert_ne!(internal_hash(at_once, 0), internal_hash(at_once, 1));
}

#[test]
fn duplicates_in_many_pairs() {
    // Observed on OTP 25: maps:from_list/1 of 40 pairs over 30 keys gives a
    // flat map (flat size 64) with keys in order.
    let mut h = Heap::new();
    let pairs: Vec<(Term, Term)> = (1..=40)
        .map(|i| (Term::small(i % 30), Term::small(i)))
        .collect();
    let m = h.map_from_pairs(&pairs);
    assert!(!is_hamt(m));
    let keys: Vec<Term> = entries(m).into_iter().map(|(k, _)| k).collect();
    assert_eq!(keys, (0..30).map(Term::small).collect::<Vec<_>>());
    assert_eq!(m.map_get(Term::small(5)), Some(Term::small(35)));
    // In a trie the later value wins too.
    let pairs: Vec<(Term, Term)> = (0..100)
        .map(|i| (Term::small(i % 50), Term::small(i)))
        .collect();
    let m = h.map_from_pairs(&pairs);
    assert!(is_hamt(m));
    assert_eq!(m.map_size(), Some(50));
    for i in 0..50 {
        assert_eq!(m.map_get(Term::small(i)), Some(Term::small(i + 50)));
    }
}

#[test]
fn closure_keys_iterate_in_beams_order() {
    use crate::term::fun::FunEntry;
    let field = |prefix: &'static str| FIXTURE.lines().filter_map(move |l| l.strip_prefix(prefix));
    let module_index: u32 = field("fun_module ").next().unwrap().parse().unwrap();
    let module = Atom::intern(&format!("enigma_map_funs_{module_index}")).unwrap();
    let mut lambdas = Vec::new();
    for line in field("fun ") {
        let (nums, uniq) = line.split_once(" [").unwrap();
        let n: Vec<u32> = nums.split(' ').map(|x| x.parse().unwrap()).collect();
        let uniq: Vec<u8> = uniq
            .trim_end_matches(']')
            .split(',')
            .map(|x| x.parse().unwrap())
            .collect();
        let (index, new_index, old_uniq, arity) = (n[1], n[2], n[3], n[4]);
        lambdas.push(FunEntry::intern(
            module,
            uniq.try_into().unwrap(),
            new_index,
            index,
            old_uniq,
            arity,
            1,
        ));
    }
    assert_eq!(lambdas.len(), 3);
    let hasher = BeamAtoms([(module.index(), module_index)].into_iter().collect());
    for line in field("funs ") {
        let (n, expected) = line.split_once(' ').unwrap();
        let n: i64 = n.parse().unwrap();
        let mut h = Heap::new();
        let mut names = AHashMap::new();
        let pairs: Vec<(Term, Term)> = (1..=n)
            .map(|i| {
                let f = h.closure(
                    lambdas[(i % 3) as usize],
                    Term::pid(0, 0),
                    &[Term::small(i)],
                );
                names.insert(f.raw(), format!("{{{},{}}}", i % 3, i));
                (f, Term::NIL)
            })
            .collect();
        let m = hamt::from_pairs(&mut h, &hasher, &pairs);
        let got: Vec<String> = entries(m)
            .iter()
            .map(|(k, _)| names[&k.raw()].clone())
            .collect();
        assert_eq!(format!("[{}]", got.join(",")), expected, "{n} funs");
    }
}

#[test]
fn deep_keys_hash_without_recursion() {
    use super::hash::internal_hash;
    let mut h = Heap::new();
    let (mut t, mut l) = (Term::NIL, Term::NIL);
    for i in 0..1_000_000 {
        t = h.tuple(&[t]);
        l = h.cons(Term::small(i), l);
    }
    let nested = h.list(&[t, l]);
    assert_eq!(internal_hash(nested, 0), internal_hash(nested, 0));
    let pairs: Vec<(Term, Term)> = (0..40)
        .map(|i| (h.tuple(&[t, Term::small(i)]), l))
        .collect();
    let m = h.map_from_pairs(&pairs);
    let k = h.tuple(&[t, Term::small(39)]);
    assert_eq!(m.map_get(k), Some(l));
}

/// Spreads small integer keys over few slots of few levels, so that tries
/// are deep and narrow and a salt change is reached.
struct Narrow;

impl KeyHash for Narrow {
    fn hash(&self, key: Term, salt_level: u32) -> u32 {
        let v = key.as_small().unwrap_or(0) as u32;
        (v.wrapping_mul(0x9E37_79B9) >> 7 ^ salt_level) & 0x0303_0F03
    }
}

/// `hamt::merge` of roots `a` and `b` against putting `b`'s pairs into
/// `a` one by one: the same size, pairs and iteration order.
fn merge_matches_puts<H: KeyHash>(
    h: &mut Heap,
    hasher: &H,
    a: &[(Term, Term)],
    b: &[(Term, Term)],
) {
    let (ma, mb) = (
        hamt::from_pairs(h, hasher, a),
        hamt::from_pairs(h, hasher, b),
    );
    let merged = hamt::merge(h, hasher, ma, mb);
    let mut puts = ma;
    for &(k, v) in b {
        puts = hamt::put(h, hasher, puts, k, v);
    }
    assert_eq!(merged.map_size(), puts.map_size());
    let pairs = |m: Term| iter(m).collect::<Vec<_>>();
    assert_eq!(pairs(merged), pairs(puts));
    for &(k, v) in b {
        assert_eq!(hamt::get(hasher, merged, k), Some(v));
    }
}

#[test]
fn tries_merge_like_puts() {
    let mut h = Heap::new();
    let ints = |r: std::ops::RangeInclusive<i64>, tag: i64| -> Vec<(Term, Term)> {
        r.map(|i| (Term::small(i), Term::small(i * 10 + tag)))
            .collect()
    };
    let cases = [
        (ints(1..=300, 1), ints(200..=700, 2)),
        (ints(1..=40, 1), ints(1..=40, 2)),
        (ints(1..=1000, 1), ints(2000..=2040, 2)),
        (ints(500..=540, 1), ints(1..=2000, 2)),
    ];
    for (a, b) in &cases {
        merge_matches_puts(&mut h, &BeamHash, a, b);
        merge_matches_puts(&mut h, &BeamHash, b, a);
        merge_matches_puts(&mut h, &Narrow, a, b);
        merge_matches_puts(&mut h, &Narrow, b, a);
    }
    // Collision nodes, and a collision node against another.
    merge_matches_puts(&mut h, &Constant, &ints(1..=40, 1), &ints(30..=80, 2));
    // Keys of every family, each map with some of the other's.
    let families = ["ints", "bigs", "floats", "atoms", "binaries", "bitstrings"];
    let mut all = Vec::new();
    for f in families {
        for i in 1..=60 {
            let k = key(&mut h, f, i);
            all.push((k, Term::small(i)));
        }
    }
    let (a, b): (Vec<_>, Vec<_>) = all.iter().enumerate().partition(|(i, _)| i % 3 != 0);
    let a: Vec<(Term, Term)> = a.into_iter().map(|(_, p)| *p).collect();
    let mut b: Vec<(Term, Term)> = b.into_iter().map(|(_, p)| *p).collect();
    b.extend(a.iter().step_by(5).map(|&(k, _)| (k, Term::NIL)));
    merge_matches_puts(&mut h, &BeamHash, &a, &b);
    merge_matches_puts(&mut h, &BeamHash, &b, &a);
}

#[test]
fn merge_keeps_flat_maps_and_tries_apart() {
    let mut h = Heap::new();
    let small: Vec<(Term, Term)> = (1..=10).map(|i| (Term::small(i), Term::NIL)).collect();
    let big: Vec<(Term, Term)> = (5..=60).map(|i| (Term::small(i), Term::small(i))).collect();
    let (s, b) = (h.map_from_pairs(&small), h.map_from_pairs(&big));
    let sb = h.map_merge(s, b).unwrap();
    let bs = h.map_merge(b, s).unwrap();
    assert_eq!((sb.map_size(), bs.map_size()), (Some(60), Some(60)));
    assert_eq!(sb.map_get(Term::small(7)), Some(Term::small(7)));
    assert_eq!(bs.map_get(Term::small(7)), Some(Term::NIL));
    let two_flat = h.map_merge(s, s).unwrap();
    assert_eq!(two_flat.map_size(), Some(10));
    assert_eq!(h.map_merge(s, Term::NIL), Err(MapError::BadMap));
}
