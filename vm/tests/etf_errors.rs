//! Malformed external terms are errors, never panics: the inputs of
//! `etf/errors.txt` (each one rejected with `badarg` by OTP 25's
//! `binary_to_term/1`, as `etf/gen_corpus.erl` checked on `erl`), every
//! truncation of the corpus encodings, and random corruptions of them.

use enigma_vm::etf::{decode, decode_prefix};
use enigma_vm::term::Heap;

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
}

/// Every encoding in the corpus (plain and all option sets).
fn corpus_encodings() -> Vec<(String, Vec<u8>)> {
    include_str!("etf/corpus.txt")
        .lines()
        .flat_map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            let name = cols[0].to_owned();
            cols[1..8]
                .iter()
                .filter(|c| **c != "=")
                .map(|c| (name.clone(), unhex(c)))
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn inputs_beam_rejects_are_errors() {
    let mut n = 0;
    for line in include_str!("etf/errors.txt").lines() {
        let (name, hex) = line.split_once('\t').expect("errors.txt line");
        let bytes = unhex(hex);
        let mut heap = Heap::new();
        assert!(decode(&bytes, &mut heap).is_err(), "{name} decoded");
        assert!(
            decode_prefix(&bytes, &mut heap, false).is_err(),
            "{name} decoded as a prefix"
        );
        n += 1;
    }
    assert!(n >= 60);
}

/// The format is prefix-free, so no strict prefix of an encoding is a term.
#[test]
fn every_truncation_is_an_error() {
    for (name, bytes) in corpus_encodings() {
        // Every cut of the short ones; a few hundred spread over the long ones.
        let step = (bytes.len() / 300).max(1);
        for cut in (0..bytes.len()).step_by(step) {
            let mut heap = Heap::new();
            assert!(
                decode(&bytes[..cut], &mut heap).is_err(),
                "{name} cut at {cut} of {} decoded",
                bytes.len()
            );
        }
    }
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

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[test]
fn corrupted_encodings_never_panic() {
    let small: Vec<Vec<u8>> = corpus_encodings()
        .into_iter()
        .map(|(_, b)| b)
        .filter(|b| b.len() <= 2048)
        .collect();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..40_000 {
        let mut bytes = small[rng.below(small.len())].clone();
        for _ in 0..1 + rng.below(4) {
            let i = rng.below(bytes.len());
            bytes[i] = match rng.below(4) {
                0 => 0,
                1 => 0xFF,
                2 => bytes[i].wrapping_add(1),
                _ => rng.next() as u8,
            };
        }
        let mut heap = Heap::new();
        // Either outcome is fine; a panic or an abort is not.
        let _ = decode(&bytes, &mut heap);
        let _ = decode_prefix(&bytes, &mut heap, true);
    }
}
