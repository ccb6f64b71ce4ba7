//! Unit tests: hand-checked encodings (bytes taken from OTP 25's
//! `term_to_binary`), malformed input, and deep terms.

use super::*;
use crate::term::{Heap, Kind, Term};

fn dec(bytes: &[u8]) -> Result<Term, EtfError> {
    // The heap must outlive the term for inspection: leak it in tests.
    decode(bytes, Box::leak(Box::new(Heap::new())))
}

#[test]
fn decodes_simple_terms() {
    assert_eq!(dec(&[131, 97, 1]).unwrap(), Term::small(1));
    assert_eq!(
        dec(&[131, 98, 255, 255, 255, 255]).unwrap(),
        Term::small(-1)
    );
    assert_eq!(dec(&[131, 106]).unwrap(), Term::NIL);
    let t = dec(&[131, 100, 0, 3, 97, 98, 99]).unwrap();
    assert_eq!(t.as_atom().unwrap().name(), "abc");
    let t = dec(&[131, 119, 3, 104, 195, 169]).unwrap();
    assert_eq!(t.as_atom().unwrap().name(), "hé");
    let t = dec(&[131, 100, 0, 2, 104, 233]).unwrap();
    assert_eq!(t.as_atom().unwrap().name(), "hé");
    let t = dec(&[131, 70, 63, 248, 0, 0, 0, 0, 0, 0]).unwrap();
    assert_eq!(t.as_float(), Some(1.5));
    let t = dec(&[131, 77, 0, 0, 0, 1, 3, 32]).unwrap();
    assert_eq!(t.to_string(), "<<1:3>>");
    // binary_to_term(<<131,110,1,2,5>>) =:= -5 on OTP 25.
    assert_eq!(dec(&[131, 110, 1, 2, 5]).unwrap(), Term::small(-5));
}

#[test]
fn decodes_local_and_external_ids() {
    // term_to_binary(self()) on a non-distributed OTP 25 node: <0.9.0>.
    let mut pid = vec![131, 88, 100, 0, 13];
    pid.extend_from_slice(b"nonode@nohost");
    pid.extend_from_slice(&[0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0]);
    assert_eq!(dec(&pid).unwrap(), Term::pid(9, 0));
    // Creation 5 makes it a pid of another incarnation of the node.
    let last = pid.len() - 1;
    pid[last] = 5;
    assert_eq!(dec(&pid).unwrap().kind(), Kind::Pid);
    assert!(dec(&pid).unwrap().as_external_pid().is_some());
}

#[test]
fn compressed_terms_inflate() {
    // term_to_binary(lists:duplicate(20, a), [compressed]) on OTP 25.
    let c = [
        131, 80, 0, 0, 0, 86, 120, 156, 203, 97, 96, 96, 16, 73, 97, 96, 76, 164, 38, 206, 2, 0,
        173, 210, 16, 99,
    ];
    let t = dec(&c).unwrap();
    assert_eq!(t.list_length(), Some(20));
    // OTP 25 accepts bytes after the zlib stream; `used` stops at its end.
    let mut longer = c.to_vec();
    longer.extend_from_slice(&[1, 2, 3]);
    assert!(dec(&longer).is_ok());
    let mut h = Heap::new();
    assert_eq!(decode_prefix(&longer, &mut h, false).unwrap().1, c.len());
    // A declared size one off either way is refused.
    let mut wrong = c.to_vec();
    wrong[5] = 87;
    assert!(dec(&wrong).is_err());
    wrong[5] = 85;
    assert!(dec(&wrong).is_err());
}

/// `[131, {{{...{[]}...}}}]` nested `depth` deep, written by hand.
fn nested_tuples(depth: usize) -> Vec<u8> {
    let mut b = vec![131];
    for _ in 0..depth {
        b.extend_from_slice(&[104, 1]);
    }
    b.push(106);
    b
}

#[test]
fn a_tuple_nested_a_million_deep_round_trips() {
    let bytes = nested_tuples(1_000_000);
    let mut h = Heap::new();
    let t = decode(&bytes, &mut h).unwrap();
    let mut depth = 0;
    let mut cur = t;
    while let Some(tu) = cur.as_tuple() {
        depth += 1;
        cur = tu.elements()[0];
    }
    assert_eq!((depth, cur), (1_000_000, Term::NIL));
    assert!(encode(t, &EncodeOptions::default()).unwrap() == bytes);
}

#[test]
fn a_list_nested_a_million_deep_round_trips() {
    // [[[...[]...]]]: LIST_EXT of one element, whose tail is NIL, each time.
    let depth = 1_000_000;
    let mut bytes = vec![131];
    for _ in 0..depth {
        bytes.extend_from_slice(&[108, 0, 0, 0, 1]);
    }
    bytes.extend(std::iter::repeat_n(106, depth + 1));
    let mut h = Heap::new();
    let t = decode(&bytes, &mut h).unwrap();
    assert!(encode(t, &EncodeOptions::default()).unwrap() == bytes);
    let compressed = encode(t, &EncodeOptions::compressed()).unwrap();
    let back = decode(&compressed, &mut h).unwrap();
    assert!(crate::term::order::eq_exact(back, t));
}

#[test]
fn a_list_of_ten_million_elements_round_trips() {
    let n = 10_000_000;
    let mut h = Heap::new();
    let items: Vec<Term> = (0..n).map(|i| Term::small(i % 1000)).collect();
    let list = h.list(&items);
    drop(items);
    let bytes = encode(list, &EncodeOptions::default()).unwrap();
    assert_eq!(&bytes[..6], &[131, 108, 0x00, 0x98, 0x96, 0x80]);
    let back = decode(&bytes, &mut h).unwrap();
    assert_eq!(back.list_length(), Some(n as usize));
    assert!(crate::term::order::eq_exact(back, list));
}

#[test]
fn lying_container_sizes_fail_before_allocating() {
    // A hundred thousand lists each claiming 2^32-1 elements, more than
    // the whole input holds: refused at the first header.
    let mut bytes = vec![131];
    for _ in 0..100_000 {
        bytes.extend_from_slice(&[108, 255, 255, 255, 255]);
    }
    let mut h = Heap::new();
    assert!(matches!(
        decode(&bytes, &mut h),
        Err(EtfError::Truncated(_))
    ));
    assert!(h.words_used() < 1000);
    // Nested one-element tuples whose innermost one claims more than is left.
    let mut bytes = nested_tuples(1000);
    let last = bytes.len() - 1;
    bytes[last - 1] = 200;
    assert!(decode(&bytes, &mut h).is_err());
}

#[test]
fn safe_decoding_refuses_new_atoms() {
    let mut b = vec![131, 119, 26];
    b.extend_from_slice(b"etf_safe_never_seen_before");
    let mut h = Heap::new();
    assert_eq!(
        decode_prefix(&b, &mut h, true).unwrap_err(),
        EtfError::NotExistingAtom(1)
    );
    let (t, used) = decode_prefix(&b, &mut h, false).unwrap();
    assert_eq!(used, b.len());
    assert_eq!(decode_prefix(&b, &mut h, true).unwrap().0, t);
}

#[test]
fn trailing_bytes_are_ignored_as_by_beam() {
    // binary_to_term(<<131,97,1,2>>) =:= 1 on OTP 25; `used` is 3.
    let mut h = Heap::new();
    assert_eq!(decode(&[131, 97, 1, 2], &mut h).unwrap(), Term::small(1));
    assert_eq!(decode_prefix(&[131, 97, 1, 2], &mut h, false).unwrap().1, 3);
}

#[test]
fn a_fun_creator_need_not_be_a_pid() {
    // OTP 25's binary_to_term accepts this NEW_FUN_EXT whose creator is 1.
    let mut b = vec![131, 112, 0, 0, 0, 44, 0];
    b.extend_from_slice(&[0; 16]);
    b.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 0, 100, 0, 1, b'm', 97, 0, 97, 0, 97, 1]);
    let mut h = Heap::new();
    let f = decode(&b, &mut h).unwrap();
    let c = f.as_closure().unwrap();
    assert_eq!(c.creator(), Term::small(1));
    assert!(c.free_vars().is_empty());
    assert_eq!(c.entry().module.name(), "m");
}

#[test]
fn options_out_of_range_are_errors() {
    let bad_level = EncodeOptions {
        compression: 10,
        ..Default::default()
    };
    assert!(encode(Term::NIL, &bad_level).is_err());
    let bad_minor = EncodeOptions {
        minor_version: 3,
        ..Default::default()
    };
    assert!(encode(Term::NIL, &bad_minor).is_err());
    assert!(encode(Term::catch(3), &EncodeOptions::default()).is_err());
}

#[test]
fn bignums_stop_at_beams_size_limit() {
    // OTP 25 decodes a LARGE_BIG_EXT of 4194296 magnitude bytes, not one more.
    let big = |n: usize| {
        let mut b = vec![131, 111];
        b.extend_from_slice(&(n as u32).to_be_bytes());
        b.push(0);
        b.resize(b.len() + n - 1, 0);
        b.push(1);
        b
    };
    let mut h = Heap::new();
    assert!(decode(&big(4_194_296), &mut h).is_ok());
    assert!(decode(&big(4_194_297), &mut h).is_err());
}

#[test]
fn safe_decoding_refuses_new_exports() {
    // OTP 25: binary_to_term(<<131,113,...lists:map/9>>, [safe]) is badarg,
    // lists:map/2 (a loaded function) decodes; an entry a plain decode
    // made for lists:map/9 does not make it safe.
    let export = |arity: u8| {
        let mut b = vec![131, 113, 100, 0, 5];
        b.extend_from_slice(b"lists");
        b.extend_from_slice(&[100, 0, 3, b'm', b'a', b'p', 97, arity]);
        b
    };
    let mut h = Heap::new();
    let lists = crate::atom::Atom::intern("lists").unwrap();
    let map = crate::atom::Atom::intern("map").unwrap();
    crate::term::fun::Export::get_or_create(lists, map, 2);
    assert!(decode_prefix(&export(2), &mut h, true).is_ok());
    assert!(decode_prefix(&export(9), &mut h, true).is_err());
    assert!(decode_prefix(&export(9), &mut h, false).is_ok());
    assert!(decode_prefix(&export(9), &mut h, true).is_err());
}

#[test]
fn unaligned_sub_binaries_encode_their_bits() {
    // On OTP 25, with <<_:3, X:13/bitstring, _/bitstring>> = <<16#A5,16#5A,16#FF>>,
    // term_to_binary(X) is <<131,77,0,0,0,2,5,42,208>>; with 16 bits,
    // <<131,109,0,0,0,2,42,215>>.
    let mut h = Heap::new();
    let bin = h.binary(&[0xA5, 0x5A, 0xFF]);
    let x = h.sub_view(bin, 3, 13);
    let o = EncodeOptions::default();
    assert_eq!(encode(x, &o).unwrap(), [131, 77, 0, 0, 0, 2, 5, 42, 208]);
    let y = h.sub_view(bin, 3, 16);
    assert_eq!(encode(y, &o).unwrap(), [131, 109, 0, 0, 0, 2, 42, 215]);
}

/// A small deterministic generator (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// A random term of every kind the decoder can produce, `depth` levels deep.
fn random_term(rng: &mut Rng, h: &mut Heap, depth: u32) -> Term {
    let leaf = depth == 0;
    match rng.below(if leaf { 9 } else { 13 }) {
        0 => h.int(rng.next() as i64 >> rng.below(64)),
        1 => h.big(&(ibig::IBig::from(rng.next()) << (rng.below(300) as usize))),
        2 => h.float(f64::from_bits(rng.next() & !(0x7FF << 52)) * 1e10),
        3 => Term::atom(
            crate::atom::Atom::intern(["", "a", "hé", "h€", "ok"][rng.below(5) as usize]).unwrap(),
        ),
        4 => {
            let bytes: Vec<u8> = (0..rng.below(100)).map(|_| rng.next() as u8).collect();
            let bits = bytes.len() * 8;
            let whole = h.binary(&bytes);
            let off = rng.below(bits as u64 + 1) as usize;
            let len = rng.below((bits - off) as u64 + 1) as usize;
            h.sub_view(whole, off, len)
        }
        5 => Term::pid(rng.below(1 << 15) as u32, rng.below(1 << 13) as u32),
        6 => h.local_ref(&[
            rng.below(1 << 18) as u32,
            rng.next() as u32,
            rng.next() as u32,
        ]),
        7 => {
            let node = crate::atom::Atom::intern("n@h").unwrap();
            h.external_port(node, rng.next() >> rng.below(64), rng.next() as u32)
        }
        8 => Term::NIL,
        9 => {
            let items: Vec<Term> = (0..rng.below(6))
                .map(|_| random_term(rng, h, depth - 1))
                .collect();
            h.tuple(&items)
        }
        10 => {
            let items: Vec<Term> = (0..rng.below(6))
                .map(|_| random_term(rng, h, depth - 1))
                .collect();
            let tail = random_term(rng, h, depth - 1);
            h.list_with_tail(&items, tail)
        }
        11 => {
            let pairs: Vec<(Term, Term)> = (0..rng.below(40))
                .map(|_| {
                    (
                        random_term(rng, h, depth - 1),
                        random_term(rng, h, depth - 1),
                    )
                })
                .collect();
            h.map_from_pairs(&pairs)
        }
        _ => {
            let m = crate::atom::Atom::intern("etf_random").unwrap();
            let entry = crate::term::fun::FunEntry::intern(m, [3; 16], 1, 1, 77, 2, 2);
            let free = [
                random_term(rng, h, depth - 1),
                random_term(rng, h, depth - 1),
            ];
            h.closure(entry, Term::pid(1, 0), &free)
        }
    }
}

#[test]
fn random_terms_round_trip_under_every_option() {
    let mut rng = Rng(0x0123_4567_89AB_CDEF);
    let mut h = Heap::new();
    for i in 0..3000 {
        let t = random_term(&mut rng, &mut h, 4);
        let o = EncodeOptions {
            compression: (i % 10) as u32,
            minor_version: (i % 3) as u8,
            deterministic: i % 2 == 0,
        };
        let bytes = encode(t, &o).unwrap();
        let back = decode(&bytes, &mut h).unwrap();
        assert!(
            crate::term::order::eq_exact(back, t),
            "{t} came back as {back}"
        );
        let (_, used) = decode_prefix(&bytes, &mut h, false).unwrap();
        assert_eq!(used, bytes.len());
    }
}

#[test]
fn highly_compressed_terms_are_within_the_ratio_bound() {
    // Ten million zero bytes deflate about 1026:1 (BEAM's {compressed, 9}
    // gives 9750 bytes), close to zlib's 1032:1 ceiling.
    let mut h = Heap::new();
    let zeros = h.binary(&vec![0; 10_000_000]);
    let opts = EncodeOptions {
        compression: 9,
        ..Default::default()
    };
    let bytes = encode(zeros, &opts).unwrap();
    assert_eq!(bytes.len(), 9750);
    let back = decode(&bytes, &mut h).unwrap();
    assert_eq!(back.as_binary().map(|b| b.len()), Some(10_000_000));
}
