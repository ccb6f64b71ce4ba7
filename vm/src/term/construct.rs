//! A binary built by the pre-OTP 25 construction instructions
//! (`bs_init2`, `bs_init_bits`, `bs_append`, `bs_private_append`, then
//! `bs_put_*`): the result term exists before its bits are written, so
//! the bits go in place into bytes claimed for it ([`Claim`]).

use super::binary::{Bits, Claim};
use super::bits::BitWriter;

/// The binary under construction: its claimed bytes and what was put.
#[derive(Debug)]
pub struct Construction {
    claim: Claim,
    /// Every bit put so far, from the first claimed byte.
    written: BitWriter,
    /// Bits the construction was sized for.
    capacity: usize,
}

impl Construction {
    /// A construction of `capacity` bits into `claim`, whose first bits
    /// are `prefix` (an unaligned bitstring being appended to).
    pub fn new(claim: Claim, prefix: Option<Bits>, capacity: usize) -> Construction {
        let mut c = Construction {
            claim,
            written: BitWriter::default(),
            capacity,
        };
        if let Some(p) = prefix {
            c.put(p);
        }
        c
    }

    /// Puts `bits` after what was put; `false` (nothing put) past the
    /// size the construction was made for.
    pub fn put(&mut self, bits: Bits) -> bool {
        let before = self.written.bit_len();
        if before + bits.bit_size > self.capacity {
            return false;
        }
        self.written.put_bits(bits);
        // The byte holding `before` may be partly written: write it again.
        let from = before / 8;
        self.claim.write(from, &self.written.bytes()[from..]);
        true
    }
}
