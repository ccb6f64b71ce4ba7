//! Binaries and bitstrings.
//!
//! Three representations, as on BEAM:
//! - heap binary: up to [`HEAP_BIN_LIMIT`] bytes stored in the heap,
//!   `[hdr, byte size, bytes..]`;
//! - reference-counted binary: a [`BinaryBuf`] off the heap shared between
//!   processes, `[hdr, byte size, Arc pointer]`; the owning heap keeps one
//!   strong count for each such object;
//! - sub-binary: any bit range of one of the two above,
//!   `[hdr, bit size, bit offset, original]`. Bitstrings whose size is not a
//!   multiple of 8 are always sub-binaries.

use std::cell::UnsafeCell;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use super::boxed::Subtag;
use super::{Heap, Term};

/// Binaries up to this many bytes live on the heap.
pub const HEAP_BIN_LIMIT: usize = 64;

/// The bytes of an off-heap binary: `capacity` bytes of which the first
/// `used` are claimed. A buffer made for appending (`with_capacity`) grows in
/// place: an append claims the bytes after `used` (compare-exchange) and
/// writes them, then a new term views the longer prefix. No term ever views
/// bytes beyond the `used` of its creation, so no viewed byte is written.
#[derive(Debug)]
pub struct BinaryBuf {
    data: Box<[UnsafeCell<u8>]>,
    /// Length at creation: what [`BinaryBuf::bytes`] shows.
    len: usize,
    used: AtomicUsize,
    /// Whether another heap than the creator's may view it (set when a
    /// term is copied between heaps, [`super::copy`]).
    shared: AtomicBool,
}

// SAFETY: bytes are written only after being claimed through `used` (one
// writer per byte, once) and are read only through views no longer than
// `used` was when the view's term was made (see the type's doc).
unsafe impl Sync for BinaryBuf {}

impl BinaryBuf {
    /// A buffer holding `bytes`.
    pub fn new(bytes: Vec<u8>) -> Arc<BinaryBuf> {
        let len = bytes.len();
        Arc::new(BinaryBuf {
            data: bytes.into_iter().map(UnsafeCell::new).collect(),
            len,
            used: AtomicUsize::new(len),
            shared: AtomicBool::new(false),
        })
    }

    /// A buffer holding `bytes` with room to grow to `capacity` bytes by
    /// [`BinaryBuf::try_append`]; `None` if the memory cannot be had.
    pub fn with_capacity(bytes: &[u8], capacity: usize) -> Option<Arc<BinaryBuf>> {
        let mut data = Vec::new();
        data.try_reserve_exact(capacity.max(bytes.len())).ok()?;
        data.extend(bytes.iter().map(|&b| UnsafeCell::new(b)));
        data.resize_with(capacity.max(bytes.len()), || UnsafeCell::new(0));
        Some(Arc::new(BinaryBuf {
            data: data.into_boxed_slice(),
            len: bytes.len(),
            used: AtomicUsize::new(bytes.len()),
            shared: AtomicBool::new(false),
        }))
    }

    /// Records that a heap other than its creator's views it: from then on
    /// no byte a view may cover is written again, not even the free bits
    /// of a bitstring's last byte.
    pub fn mark_shared(&self) {
        self.shared.store(true, Ordering::Release);
    }

    /// Whether [`BinaryBuf::mark_shared`] was called.
    pub fn is_shared(&self) -> bool {
        self.shared.load(Ordering::Acquire)
    }

    /// Bytes of memory it holds (its capacity).
    pub fn capacity(&self) -> usize {
        self.data.len()
    }

    /// The bytes it was created with.
    pub fn bytes(&self) -> &[u8] {
        self.prefix(self.len)
    }

    /// The first `len` bytes (at most the capacity); `len` must not exceed
    /// what was claimed when the caller's view was made.
    #[inline]
    pub fn prefix(&self, len: usize) -> &[u8] {
        let len = len.min(self.data.len());
        // SAFETY: `UnsafeCell<u8>` has `u8`'s layout, and claimed bytes are
        // never written again.
        unsafe { std::slice::from_raw_parts(self.data.as_ptr() as *const u8, len) }
    }

    /// Writes `extra` at byte `at` if `at` is exactly the end of what is
    /// claimed and there is room; `false` otherwise (nothing written).
    pub fn try_append(&self, at: usize, extra: &[u8]) -> bool {
        if !self.claim_range(at, extra.len()) {
            return false;
        }
        self.write_claimed(at, extra);
        true
    }

    /// Claims the `n` bytes at `at` if `at` is exactly the end of what is
    /// claimed and there is room.
    fn claim_range(&self, at: usize, n: usize) -> bool {
        match at.checked_add(n) {
            Some(end) if end <= self.data.len() => self
                .used
                .compare_exchange(at, end, Ordering::AcqRel, Ordering::Acquire)
                .is_ok(),
            _ => false,
        }
    }

    /// Writes bytes of a range its caller claimed (`claim_range`).
    fn write_claimed(&self, at: usize, bytes: &[u8]) {
        for (cell, &b) in self.data[at..].iter().zip(bytes) {
            // SAFETY: the caller claimed these bytes alone (compare-exchange
            // on `used`), so no other writer touches them; the only views
            // covering them are the claimant's own terms under construction.
            unsafe { *cell.get() = b };
        }
    }

    /// Claims the `n` bytes at `at` (the end of what is claimed) for one
    /// writer that fills them in place: the pre-OTP 25 construction
    /// instructions make the result term first and write into it after.
    pub fn claim(self: &Arc<Self>, at: usize, n: usize) -> Option<Claim> {
        self.claim_range(at, n).then(|| Claim {
            buf: self.clone(),
            start: at,
            len: n,
        })
    }
}

/// Bytes of an off-heap buffer claimed by one writer ([`BinaryBuf::claim`]).
/// Writes stay inside the claimed range, so they never change a byte any
/// other term or writer owns.
#[derive(Debug)]
pub struct Claim {
    buf: Arc<BinaryBuf>,
    start: usize,
    len: usize,
}

impl Claim {
    /// The buffer the bytes are in.
    pub fn buf(&self) -> &Arc<BinaryBuf> {
        &self.buf
    }

    /// The first claimed byte's index in the buffer.
    pub fn start(&self) -> usize {
        self.start
    }

    /// Number of bytes claimed.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether no byte is claimed.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Writes `bytes` at `offset` in the claimed range, cut at its end.
    pub fn write(&self, offset: usize, bytes: &[u8]) {
        if offset < self.len {
            let n = bytes.len().min(self.len - offset);
            self.buf.write_claimed(self.start + offset, &bytes[..n]);
        }
    }
}

/// A bitstring's bits: `bit_size` bits of `bytes` starting at bit
/// `bit_offset` (big-endian bit order within bytes, as Erlang numbers them).
#[derive(Clone, Copy)]
pub struct Bits<'a> {
    /// The underlying bytes.
    pub bytes: &'a [u8],
    /// Offset of the first bit.
    pub bit_offset: usize,
    /// Number of bits.
    pub bit_size: usize,
}

impl<'a> Bits<'a> {
    /// The bytes when the bitstring is byte-aligned and a whole number of bytes.
    pub fn as_bytes(&self) -> Option<&'a [u8]> {
        (self.bit_offset.is_multiple_of(8) && self.bit_size.is_multiple_of(8)).then(|| {
            let start = self.bit_offset / 8;
            &self.bytes[start..start + self.bit_size / 8]
        })
    }

    /// Bit `i` (0 = the first, most significant bit).
    pub fn bit(&self, i: usize) -> bool {
        let b = self.bit_offset + i;
        self.bytes[b / 8] & (0x80 >> (b % 8)) != 0
    }

    /// Byte `i` of the bitstring, whatever its alignment; the last partial
    /// byte has its bits at the top.
    pub fn byte(&self, i: usize) -> u8 {
        let start = self.bit_offset + 8 * i;
        let (idx, shift) = (start / 8, start % 8);
        let hi = self.bytes[idx] << shift;
        let lo = if shift == 0 || idx + 1 >= self.bytes.len() {
            0
        } else {
            self.bytes[idx + 1] >> (8 - shift)
        };
        let v = hi | lo;
        let remaining = self.bit_size - 8 * i;
        if remaining < 8 {
            v & (0xFFu8 << (8 - remaining))
        } else {
            v
        }
    }

    /// The bits packed from bit 0, with the trailing partial byte (if any)
    /// padded with zero bits.
    pub fn to_vec(&self) -> Vec<u8> {
        if let Some(b) = self.as_bytes() {
            return b.to_vec();
        }
        (0..self.bit_size.div_ceil(8))
            .map(|i| self.byte(i))
            .collect()
    }
}

impl Heap {
    /// A binary holding `bytes`: on the heap when small, off-heap otherwise.
    pub fn binary(&mut self, bytes: &[u8]) -> Term {
        if bytes.len() <= HEAP_BIN_LIMIT {
            let words = bytes.len().div_ceil(8);
            let slot = self.alloc(2 + words);
            slot[0] = super::boxed::Header::new(Subtag::HeapBin, 1 + words).0;
            slot[1] = bytes.len() as u64;
            for (w, chunk) in slot[2..].iter_mut().zip(bytes.chunks(8)) {
                let mut b = [0u8; 8];
                b[..chunk.len()].copy_from_slice(chunk);
                *w = u64::from_ne_bytes(b);
            }
            Term::boxed_ptr(slot.as_ptr())
        } else {
            self.refc_binary(BinaryBuf::new(bytes.to_vec()))
        }
    }

    /// A reference to an off-heap binary; this heap keeps it alive.
    pub fn refc_binary(&mut self, buf: Arc<BinaryBuf>) -> Term {
        let len = buf.bytes().len();
        self.refc_view(buf, len)
    }

    /// A reference to the first `len` bytes of an off-heap binary (bytes
    /// already claimed in it); this heap keeps it alive.
    pub fn refc_view(&mut self, buf: Arc<BinaryBuf>, len: usize) -> Term {
        let len = len as u64;
        let ptr = Arc::as_ptr(&buf) as u64;
        self.keep_binary(buf);
        self.boxed(Subtag::RefcBin, &[len, ptr])
    }

    /// A bitstring of `bit_size` bits taken from `bits` (packed from bit 0).
    pub fn bitstring(&mut self, bits: &[u8], bit_size: usize) -> Term {
        let whole = self.binary(&bits[..bit_size.div_ceil(8)]);
        if bit_size.is_multiple_of(8) {
            whole
        } else {
            self.sub_binary(whole, 0, bit_size)
        }
    }

    /// A sub-binary of `bit_size` bits of `orig` starting at bit `bit_offset`
    /// (relative to `orig`, which may itself be a sub-binary).
    pub fn sub_binary(&mut self, orig: Term, bit_offset: usize, bit_size: usize) -> Term {
        let (base, base_offset) = match orig.header().map(|h| h.subtag()) {
            Some(Subtag::SubBin) => (
                Term::from_raw(orig.boxed_word(2)),
                orig.boxed_word(1) as usize,
            ),
            _ => (orig, 0),
        };
        self.boxed(
            Subtag::SubBin,
            &[
                bit_size as u64,
                (base_offset + bit_offset) as u64,
                base.raw(),
            ],
        )
    }
}

impl Term {
    /// Is this a binary or bitstring?
    pub fn is_bitstring(self) -> bool {
        matches!(
            self.header().map(|h| h.subtag()),
            Some(Subtag::HeapBin | Subtag::RefcBin | Subtag::SubBin)
        )
    }

    /// The size in bits of a binary or bitstring, read from its header
    /// words alone (cheaper than [`Term::as_bits`] when only the size is
    /// needed, as in a matching loop).
    #[inline]
    pub fn bitstring_size(self) -> Option<usize> {
        match self.header()?.subtag() {
            Subtag::HeapBin | Subtag::RefcBin => Some(self.boxed_word(0) as usize * 8),
            Subtag::SubBin => Some(self.boxed_word(0) as usize),
            _ => None,
        }
    }

    /// The bits of a binary or bitstring.
    #[inline]
    pub fn as_bits<'a>(self) -> Option<Bits<'a>> {
        match self.header()?.subtag() {
            Subtag::HeapBin | Subtag::RefcBin => {
                let bytes = self.whole_binary_bytes();
                Some(Bits {
                    bytes,
                    bit_offset: 0,
                    bit_size: bytes.len() * 8,
                })
            }
            Subtag::SubBin => {
                let base = Term::from_raw(self.boxed_word(2));
                Some(Bits {
                    bytes: base.whole_binary_bytes(),
                    bit_offset: self.boxed_word(1) as usize,
                    bit_size: self.boxed_word(0) as usize,
                })
            }
            _ => None,
        }
    }

    /// The address of a bitstring's first byte if that is at a byte
    /// boundary of an off-heap buffer (which never moves, so a match
    /// context can keep it), else 0.
    pub(crate) fn off_heap_start(self) -> u64 {
        let (base, offset) = match self.header().map(|h| h.subtag()) {
            Some(Subtag::RefcBin) => (self, 0),
            Some(Subtag::SubBin) => (
                Term::from_raw(self.boxed_word(2)),
                self.boxed_word(1) as usize,
            ),
            _ => return 0,
        };
        let refc = base.header().is_some_and(|h| h.subtag() == Subtag::RefcBin);
        match base.whole_binary_bytes().get(offset / 8..) {
            Some(rest) if refc && offset.is_multiple_of(8) => rest.as_ptr() as u64,
            _ => 0,
        }
    }

    /// The off-heap buffer of a reference-counted binary and the number of
    /// its bytes this term views.
    pub fn as_refc_buf(self) -> Option<(Arc<BinaryBuf>, usize)> {
        if self.header()?.subtag() != Subtag::RefcBin {
            return None;
        }
        let buf = self.boxed_word(1) as *const BinaryBuf;
        // SAFETY: the pointer came from `Arc::as_ptr` and the heap holding
        // this object owns a strong count, so adding one is sound.
        let arc = unsafe {
            Arc::increment_strong_count(buf);
            Arc::from_raw(buf)
        };
        Some((arc, self.boxed_word(0) as usize))
    }

    /// The bytes of a binary (a bitstring of whole bytes), however stored.
    pub fn as_binary<'a>(self) -> Option<&'a [u8]> {
        self.as_bits()?.as_bytes()
    }

    #[inline]
    fn whole_binary_bytes<'a>(self) -> &'a [u8] {
        let len = self.boxed_word(0) as usize;
        match self.header().map(|h| h.subtag()) {
            // SAFETY: a heap binary's bytes follow its size word, `len` of them.
            Some(Subtag::HeapBin) => unsafe {
                std::slice::from_raw_parts(self.ptr().add(2) as *const u8, len)
            },
            Some(Subtag::RefcBin) => {
                let buf = self.boxed_word(1) as *const BinaryBuf;
                // SAFETY: the heap holding this object keeps the Arc alive.
                unsafe { (*buf).prefix(len) }
            }
            _ => &[],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_and_large_binaries() {
        let mut h = Heap::new();
        let small = h.binary(b"hello");
        assert_eq!(small.header().unwrap().subtag(), Subtag::HeapBin);
        assert_eq!(small.as_binary(), Some(&b"hello"[..]));
        let data: Vec<u8> = (0..=255).collect();
        let large = h.binary(&data);
        assert_eq!(large.header().unwrap().subtag(), Subtag::RefcBin);
        assert_eq!(large.as_binary(), Some(&data[..]));
        assert_eq!(h.binary(b"").as_binary(), Some(&b""[..]));
    }

    #[test]
    fn appends_claim_bytes_once() {
        let buf = BinaryBuf::with_capacity(b"abc", 8).unwrap();
        assert!(buf.try_append(3, b"de"));
        assert!(!buf.try_append(3, b"xy"), "bytes 3.. are taken");
        assert!(!buf.try_append(5, b"toolong"), "no room");
        assert!(buf.try_append(5, b"f"));
        let mut h = Heap::new();
        let old = h.refc_view(buf.clone(), 3);
        let new = h.refc_view(buf, 6);
        assert_eq!(old.as_binary(), Some(&b"abc"[..]));
        assert_eq!(new.as_binary(), Some(&b"abcdef"[..]));
        assert_eq!(new.as_refc_buf().map(|(_, n)| n), Some(6));
    }

    #[test]
    fn sub_binaries_and_bitstrings() {
        let mut h = Heap::new();
        let bin = h.binary(&[0b1010_1010, 0b1111_0000, 0xFF]);
        let sub = h.sub_binary(bin, 4, 12);
        let bits = sub.as_bits().unwrap();
        assert_eq!(bits.bit_size, 12);
        assert!(bits.as_bytes().is_none());
        assert_eq!(bits.to_vec(), vec![0b1010_1111, 0b0000_0000]);
        let subsub = h.sub_binary(sub, 4, 8);
        assert_eq!(subsub.as_binary(), Some(&[0b1111_0000][..]));
        let bs = h.bitstring(&[0b1110_0000], 3);
        assert_eq!(bs.as_bits().unwrap().bit_size, 3);
        assert!(bs.as_bits().unwrap().bit(0) && !bs.as_bits().unwrap().bit(3 - 1 + 1));
    }
}
