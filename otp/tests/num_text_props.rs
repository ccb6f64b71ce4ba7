//! Properties of the number/text conversions whose oracle is exact: round
//! trips through text, and agreement between independent paths. The inputs
//! are pseudo-random with a fixed seed, so failures reproduce.

use enigma_otp::bif::num_text::{
    binary_bytes, ceil_float, floor_float, format_float, int_to_float, integer_to_text, list_bytes,
    round_float, text_to_float, text_to_integer, trunc_float, BadArg, Base, FloatFormat,
};
use enigma_vm::term::bignum::Int;
use enigma_vm::term::{Heap, Term};
use ibig::{IBig, UBig};

/// xorshift64*: small, deterministic, good enough to spread bit patterns.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A finite float of any magnitude: random bits, NaN and infinities
    /// skipped.
    fn float(&mut self) -> f64 {
        loop {
            let f = f64::from_bits(self.next());
            if f.is_finite() {
                return f;
            }
        }
    }

    /// A random integer of up to `max_bits` bits, either sign.
    fn int(&mut self, max_bits: u64) -> Int {
        let bits = self.next() % max_bits + 1;
        let limbs: Vec<u8> = (0..bits.div_ceil(64))
            .flat_map(|_| self.next().to_le_bytes())
            .collect();
        let mag = UBig::from_le_bytes(&limbs) >> (limbs.len() * 8 - bits as usize);
        let v = IBig::from(mag);
        let v = if self.next() & 1 == 0 { v } else { -v };
        match i64::try_from(&v) {
            Ok(s) => Int::Small(s),
            Err(_) => Int::Big(v),
        }
    }
}

const N: usize = 200_000;

#[test]
fn short_text_reads_back_as_the_same_float() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..N {
        let f = rng.float();
        let text = format_float(f, FloatFormat::Short).unwrap();
        assert_eq!(text_to_float(text.as_bytes()), Ok(f), "{text}");
    }
}

#[test]
fn seventeen_digits_read_back_as_the_same_float() {
    let mut rng = Rng(12345);
    for _ in 0..N {
        let f = rng.float();
        let text = format_float(f, FloatFormat::Scientific(16)).unwrap();
        assert_eq!(text_to_float(text.as_bytes()), Ok(f), "{text}");
    }
}

#[test]
fn integral_floats_print_as_their_integers() {
    // Above 2^53 every float is an integer, and `{decimals, 0}` prints it
    // exactly: the same digits as the integer `trunc/1` gives.
    let mut rng = Rng(777);
    for _ in 0..20_000 {
        let f = rng.float().abs().max(1.0e16);
        let fixed = format_float(
            f,
            FloatFormat::Decimals {
                decimals: 0,
                compact: false,
            },
        );
        match fixed {
            Ok(s) => assert_eq!(s, integer_to_text(&trunc_float(f), Base::DECIMAL)),
            // Only floats of 256 digits or more overflow BEAM's buffer.
            Err(BadArg) => assert!(f >= 1.0e255, "{f:e}"),
        }
    }
}

#[test]
fn float_to_integer_conversions_are_exact() {
    let mut rng = Rng(4242);
    for _ in 0..N {
        let f = rng.float();
        // An integral float converts to an integer and back without loss.
        let back = |i: Int| int_to_float(&i).unwrap();
        assert_eq!(back(trunc_float(f)), f.trunc());
        assert_eq!(back(floor_float(f)), f.floor());
        assert_eq!(back(ceil_float(f)), f.ceil());
        assert_eq!(back(round_float(f)), f.round());
    }
}

#[test]
fn integer_text_round_trips_in_every_base() {
    let mut rng = Rng(31337);
    for i in 0..20_000 {
        let n = rng.int(if i % 4 == 0 { 2000 } else { 130 });
        let base = Base::new((rng.next() % 35 + 2) as u32).unwrap();
        let text = integer_to_text(&n, base);
        assert_eq!(text_to_integer(text.as_bytes(), base), Ok(n.clone()));
        let lower = text.to_ascii_lowercase();
        assert_eq!(text_to_integer(lower.as_bytes(), base), Ok(n));
    }
}

#[test]
fn a_million_digits_round_trip() {
    // BEAM takes about 10 s to parse this and a minute to print it; ibig's
    // divide-and-conquer conversions take well under a second.
    let text: String = "7".repeat(1_000_000);
    let n = text_to_integer(text.as_bytes(), Base::DECIMAL).unwrap();
    assert_eq!(integer_to_text(&n, Base::DECIMAL), text);
    let neg = format!("-{text}");
    let m = text_to_integer(neg.as_bytes(), Base::DECIMAL).unwrap();
    assert_eq!(integer_to_text(&m, Base::DECIMAL), neg);
}

// Expected results below were given by `erl` (OTP 25.2.3).
#[test]
fn lists_of_non_bytes_are_badarg() {
    let mut h = Heap::new();
    let wide = h.list(&[Term::small(49), Term::small(46), Term::small(309)]);
    assert_eq!(list_bytes(wide), Err(BadArg));
    let negative = h.list(&[Term::small(49), Term::small(-1)]);
    assert_eq!(list_bytes(negative), Err(BadArg));
    let improper = h.list_with_tail(&[Term::small(49), Term::small(46)], Term::small(48));
    assert_eq!(list_bytes(improper), Err(BadArg));
    assert_eq!(list_bytes(Term::NIL), Ok(Vec::new()));
}

#[test]
fn unaligned_binaries_are_read_whole() {
    // erl: <<_:4, B:2/binary, _:4>> = <<16#03, 16#13, 16#20>> is <<"12">>,
    // and binary_to_integer(B) is 12.
    let mut h = Heap::new();
    let whole = h.binary(&[0x03, 0x13, 0x20]);
    let b = h.sub_binary(whole, 4, 16);
    let bytes = binary_bytes(b).unwrap();
    assert_eq!(text_to_integer(&bytes, Base::DECIMAL), Ok(Int::Small(12)));
    let odd = h.sub_binary(whole, 4, 12);
    assert_eq!(binary_bytes(odd), Err(BadArg));
    assert_eq!(binary_bytes(Term::NIL), Err(BadArg));
}
