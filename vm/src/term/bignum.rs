//! Integers beyond the small range: bignums stored inline on the heap as
//! little-endian 64-bit limbs, converted to `ibig` for arithmetic.
//!
//! A bignum on the heap is always normalised: its value does not fit in a
//! small integer, and its top limb is not zero.

use ibig::ops::UnsignedAbs;
use ibig::{IBig, UBig};

use super::boxed::Subtag;
use super::{Heap, Term};

/// An integer term's value: small or big.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Int {
    /// Fits in an `i64` (not necessarily in a small integer).
    Small(i64),
    /// Does not fit in an `i64`.
    Big(IBig),
}

impl Int {
    /// The value as an `IBig`.
    pub fn to_ibig(&self) -> IBig {
        match self {
            Int::Small(v) => IBig::from(*v),
            Int::Big(b) => b.clone(),
        }
    }

    /// The value as a float, as BEAM converts integers (see [`ibig_to_f64`]).
    pub fn to_f64(&self) -> f64 {
        match self {
            Int::Small(v) => *v as f64,
            Int::Big(b) => ibig_to_f64(b),
        }
    }
}

/// Converts an `IBig` to a float as BEAM's `big_to_double` does (infinite
/// when out of range, where BEAM raises): the 64-bit limbs are folded in
/// from the most significant, `d = d * 2^64 + limb`, each step rounded to
/// nearest. That rounds twice, so the result is not always the nearest
/// float: `float((2^53 + 1) * 2^64 + 2^64 - 1)` is 2^117 on BEAM.
pub fn ibig_to_f64(b: &IBig) -> f64 {
    const LIMB: f64 = 18446744073709551616.0;
    let mag: UBig = b.unsigned_abs();
    let bytes = mag.to_le_bytes();
    let d = bytes.chunks(8).rev().fold(0.0, |d, c| {
        let mut w = [0u8; 8];
        w[..c.len()].copy_from_slice(c);
        d * LIMB + u64::from_le_bytes(w) as f64
    });
    if *b < IBig::from(0u8) {
        -d
    } else {
        d
    }
}

impl Heap {
    /// An integer term for `v`: small when it fits, a bignum otherwise.
    pub fn int(&mut self, v: i64) -> Term {
        if Term::fits_small(v) {
            Term::small(v)
        } else {
            self.big(&IBig::from(v))
        }
    }

    /// An integer term for `v`, normalised (small when it fits).
    pub fn big(&mut self, v: &IBig) -> Term {
        if let Ok(s) = i64::try_from(v) {
            if Term::fits_small(s) {
                return Term::small(s);
            }
        }
        let negative = *v < IBig::from(0u8);
        let mag: UBig = v.unsigned_abs();
        let bytes = mag.to_le_bytes();
        let limbs: Vec<u64> = bytes
            .chunks(8)
            .map(|c| {
                let mut w = [0u8; 8];
                w[..c.len()].copy_from_slice(c);
                u64::from_le_bytes(w)
            })
            .collect();
        let subtag = if negative {
            Subtag::NegBig
        } else {
            Subtag::PosBig
        };
        self.boxed(subtag, &limbs)
    }
}

impl Term {
    /// The integer's value, if this is an integer.
    pub fn as_int(self) -> Option<Int> {
        if let Some(v) = self.as_small() {
            return Some(Int::Small(v));
        }
        let big = self.as_bignum()?;
        Some(match i64::try_from(&big) {
            Ok(v) => Int::Small(v),
            Err(_) => Int::Big(big),
        })
    }

    /// The bignum's value, if this is a bignum.
    pub fn as_bignum(self) -> Option<IBig> {
        let h = self.header()?;
        let negative = match h.subtag() {
            Subtag::PosBig => false,
            Subtag::NegBig => true,
            _ => return None,
        };
        let bytes: Vec<u8> = self
            .boxed_words()
            .iter()
            .flat_map(|w| w.to_le_bytes())
            .collect();
        let mag = IBig::from(UBig::from_le_bytes(&bytes));
        Some(if negative { -mag } else { mag })
    }

    /// Compares two integer terms by value without converting bignums
    /// (term order sorts large maps' keys and lists of bignums with it).
    /// `None` unless both are integers.
    pub fn cmp_int(self, other: Term) -> Option<std::cmp::Ordering> {
        use std::cmp::Ordering;
        // A bignum is normalised: out of the small range, top limb non-zero.
        let big = |t: Term| -> Option<(bool, &[u64])> {
            match t.header()?.subtag() {
                Subtag::PosBig => Some((false, t.boxed_words())),
                Subtag::NegBig => Some((true, t.boxed_words())),
                _ => None,
            }
        };
        match (self.as_small(), other.as_small()) {
            (Some(x), Some(y)) => Some(x.cmp(&y)),
            (Some(_), None) => Some(if big(other)?.0 {
                Ordering::Greater
            } else {
                Ordering::Less
            }),
            (None, Some(_)) => Some(if big(self)?.0 {
                Ordering::Less
            } else {
                Ordering::Greater
            }),
            (None, None) => {
                let ((na, la), (nb, lb)) = (big(self)?, big(other)?);
                let magnitude = la
                    .len()
                    .cmp(&lb.len())
                    .then_with(|| la.iter().rev().cmp(lb.iter().rev()));
                Some(match (na, nb) {
                    (false, false) => magnitude,
                    (true, true) => magnitude.reverse(),
                    (true, false) => Ordering::Less,
                    (false, true) => Ordering::Greater,
                })
            }
        }
    }

    /// Is this a negative bignum? (Cheap: reads only the header.)
    pub fn is_negative_big(self) -> bool {
        matches!(self.header(), Some(h) if h.subtag() == Subtag::NegBig)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::term::{Kind, MAX_SMALL, MIN_SMALL};

    #[test]
    fn integers_normalise() {
        let mut h = Heap::new();
        assert!(h.int(MAX_SMALL).is_small());
        let big = h.int(MAX_SMALL + 1);
        assert_eq!(big.kind(), Kind::Big);
        assert_eq!(big.as_int(), Some(Int::Small(MAX_SMALL + 1)));
        let neg = h.int(MIN_SMALL - 1);
        assert!(neg.is_negative_big());
        assert_eq!(neg.as_int(), Some(Int::Small(MIN_SMALL - 1)));
        let huge: IBig = IBig::from(1u8) << 200;
        let t = h.big(&(-huge.clone()));
        assert_eq!(t.as_bignum(), Some(-huge));
        assert!(h.big(&IBig::from(7)).is_small());
    }

    #[test]
    fn integers_compare_without_conversion() {
        let mut h = Heap::new();
        let one = IBig::from(1u8);
        let values: Vec<IBig> = vec![
            -(one.clone() << 200),
            -(one.clone() << 64) - 1,
            -(one.clone() << 64),
            IBig::from(MIN_SMALL) - 1,
            IBig::from(-5),
            IBig::from(0),
            IBig::from(MAX_SMALL),
            IBig::from(MAX_SMALL) + 1,
            (one.clone() << 64) - 1,
            one.clone() << 64,
            (one.clone() << 64) + 1,
            one << 200,
        ];
        let terms: Vec<Term> = values.iter().map(|v| h.big(v)).collect();
        for (x, tx) in values.iter().zip(&terms) {
            for (y, ty) in values.iter().zip(&terms) {
                assert_eq!(tx.cmp_int(*ty), Some(x.cmp(y)), "{x} vs {y}");
            }
        }
        assert_eq!(terms[0].cmp_int(Term::NIL), None);
    }

    #[test]
    fn bignum_to_float_rounds_as_beam_does() {
        let x: IBig = (IBig::from(1u8) << 100) + IBig::from(1u8);
        assert_eq!(ibig_to_f64(&x), 2f64.powi(100));
        let y: IBig = IBig::from(u64::MAX);
        assert_eq!(ibig_to_f64(&y), u64::MAX as f64);
        let z: IBig = -(IBig::from(1u8) << 1100);
        assert_eq!(ibig_to_f64(&z), f64::NEG_INFINITY);
        // erl: float((1 bsl 53 + 1) bsl 64 + (1 bsl 64 - 1)) =:= float(1 bsl 117).
        let w: IBig =
            (((IBig::from(1u8) << 53usize) + 1) << 64usize) + ((IBig::from(1u8) << 64usize) - 1);
        assert_eq!(ibig_to_f64(&w), 2f64.powi(117));
    }
}
