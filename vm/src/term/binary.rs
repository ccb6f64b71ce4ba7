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

/// The smallest writable binary an append makes (OTP 25, `erts_bs_append`).
const MIN_APPEND_CAPACITY: usize = 256;

/// The bytes of an off-heap binary: `capacity` bytes of which the first
/// `used` bits are claimed. A buffer made for appending (`with_capacity`)
/// grows in place: an append claims the bits after `used` (compare-exchange)
/// and writes them, then a new term views the longer prefix. No term ever
/// views bits beyond the `used` of its creation, so no viewed bit is
/// written; only an append to a bitstring that ends inside a byte writes
/// that byte's free bits, and only while no other heap can view the buffer
/// (see [`BinaryBuf::mark_shared`]).
#[derive(Debug)]
pub struct BinaryBuf {
    data: Box<[UnsafeCell<u8>]>,
    /// Length at creation: what [`BinaryBuf::bytes`] shows.
    len: usize,
    /// Claimed bits.
    used: AtomicUsize,
    /// Whether another heap than the creator's may view it (set when a
    /// term is copied between heaps, [`super::copy`]).
    shared: AtomicBool,
    /// The size in bytes BEAM's binary has in the same place, which
    /// `binary:referenced_byte_size/1` reports: a buffer made for
    /// appending has BEAM's writable binary's size until
    /// [`BinaryBuf::seal`] cuts it to the bytes used.
    beam_size: AtomicUsize,
    /// The bits appends may claim up to: `beam_size` bytes while BEAM's
    /// binary is writable (`PB_IS_WRITABLE`), 0 once it is not.
    room: AtomicUsize,
    /// `used` at the owning heap's last collection: it was appended to
    /// since (BEAM's `PB_ACTIVE_WRITER`) when `used` differs.
    swept: AtomicUsize,
}

// SAFETY: bytes are written only after being claimed through `used` (one
// writer per byte, once) and are read only through views no longer than
// `used` was when the view's term was made (see the type's doc).
unsafe impl Sync for BinaryBuf {}

/// Bytes held by every live buffer (`erlang:memory(binary)`).
static LIVE_BYTES: AtomicUsize = AtomicUsize::new(0);

/// Bytes held by the off-heap binary buffers alive now.
pub fn live_bytes() -> usize {
    LIVE_BYTES.load(Ordering::Relaxed)
}

impl Drop for BinaryBuf {
    fn drop(&mut self) {
        LIVE_BYTES.fetch_sub(self.data.len(), Ordering::Relaxed);
    }
}

impl BinaryBuf {
    /// A buffer holding `bytes`.
    pub fn new(bytes: Vec<u8>) -> Arc<BinaryBuf> {
        let len = bytes.len();
        LIVE_BYTES.fetch_add(len, Ordering::Relaxed);
        Arc::new(BinaryBuf {
            data: bytes.into_iter().map(UnsafeCell::new).collect(),
            len,
            used: AtomicUsize::new(len * 8),
            shared: AtomicBool::new(false),
            beam_size: AtomicUsize::new(len),
            room: AtomicUsize::new(0),
            swept: AtomicUsize::new(len * 8),
        })
    }

    /// A buffer holding `bytes` with room to grow to `capacity` bytes by
    /// [`BinaryBuf::try_append`]; `None` if the memory cannot be had.
    pub fn with_capacity(bytes: &[u8], capacity: usize) -> Option<Arc<BinaryBuf>> {
        BinaryBuf::with_capacity_bits(bytes, bytes.len() * 8, capacity)
    }

    /// A buffer holding the first `bits` bits of `bytes` (the rest of the
    /// last byte is free) with room to grow to `capacity` bytes by
    /// [`BinaryBuf::try_append_bits`].
    pub fn with_capacity_bits(
        bytes: &[u8],
        bits: usize,
        capacity: usize,
    ) -> Option<Arc<BinaryBuf>> {
        let mut data = Vec::new();
        data.try_reserve_exact(capacity.max(bytes.len())).ok()?;
        data.extend(bytes.iter().map(|&b| UnsafeCell::new(b)));
        data.resize_with(capacity.max(bytes.len()), || UnsafeCell::new(0));
        LIVE_BYTES.fetch_add(data.len(), Ordering::Relaxed);
        let data_len = data.len();
        Some(Arc::new(BinaryBuf {
            beam_size: AtomicUsize::new(data_len),
            data: data.into_boxed_slice(),
            len: bytes.len(),
            used: AtomicUsize::new(bits),
            shared: AtomicBool::new(false),
            room: AtomicUsize::new(data_len * 8),
            // Made by an append: an active writer.
            swept: AtomicUsize::new(usize::MAX),
        }))
    }

    /// The capacity BEAM gives the writable binary an append of `bytes`
    /// bytes in all makes (`erts_bs_append`): twice that, at least 256.
    pub fn append_capacity(bytes: usize) -> usize {
        bytes.saturating_mul(2).max(MIN_APPEND_CAPACITY)
    }

    /// BEAM's size of the binary (see the field `beam_size`).
    pub fn beam_size(&self) -> usize {
        self.beam_size.load(Ordering::Relaxed)
    }

    /// Ends appending in place, as BEAM's `erts_emasculate_writable_binary`
    /// does when a match starts on the binary or it is sent to another
    /// process: BEAM then shrinks its binary to the bytes used, unless that
    /// frees fewer than 8.
    pub fn seal(&self) {
        if self.room.swap(0, Ordering::AcqRel) != 0 {
            self.shrink_to_used(8);
        }
    }

    /// What BEAM's collector does to the writable binaries a process still
    /// holds after a collection (`sweep_off_heap`): one appended to since the
    /// last collection is only marked as not since; the others are shrunk
    /// towards their bytes used, keeping some room when no binary was
    /// appended to and only a few are shrunk.
    pub fn sweep_writable<'a>(held: impl Iterator<Item = &'a Arc<BinaryBuf>>) {
        let mut writable: Vec<&BinaryBuf> = held
            .filter(|b| b.room.load(Ordering::Relaxed) != 0)
            .map(|b| &**b)
            .collect();
        if writable.is_empty() {
            return;
        }
        writable.sort_unstable_by_key(|b| *b as *const BinaryBuf);
        writable.dedup_by_key(|b| *b as *const BinaryBuf);
        let mut active = 0;
        writable.retain(|b| {
            let used = b.used.load(Ordering::Acquire);
            if b.swept.swap(used, Ordering::Relaxed) != used {
                active += 1;
                return false;
            }
            b.beam_size() >= used.div_ceil(8) + 8
        });
        // OTP 25's ERTS_INACT_WR_PB_LEAVE_* rules: the unused room kept is
        // 100 / `leave` times the bytes used.
        let leave = match (active, writable.len()) {
            (0, 1) => 20,
            (0, 2..=10) => 10,
            _ => 0,
        };
        for b in writable {
            let used = b.used.load(Ordering::Acquire).div_ceil(8);
            let size = used + (used * 100).checked_div(leave).unwrap_or(0);
            if leave == 0 || size + 8 < b.beam_size() {
                b.beam_size.store(size, Ordering::Relaxed);
                b.room.store(size * 8, Ordering::Relaxed);
            }
        }
    }

    /// Sets BEAM's size to the bytes used if that frees at least `min_gain`.
    fn shrink_to_used(&self, min_gain: usize) {
        let used = self.used.load(Ordering::Acquire).div_ceil(8);
        if self.beam_size() >= used + min_gain {
            self.beam_size.store(used, Ordering::Relaxed);
        }
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
        if !self.claim_bits(at * 8, extra.len() * 8) {
            return false;
        }
        self.write_claimed(at, extra);
        true
    }

    /// Writes `bits` at bit `at` if `at` is exactly the end of what is
    /// claimed, there is room, and, when `at` falls inside a byte (whose
    /// first bits a view shows), no other heap can view the buffer; `false`
    /// otherwise (nothing written).
    pub fn try_append_bits(&self, at: usize, bits: Bits) -> bool {
        if !at.is_multiple_of(8) && self.is_shared() {
            return false;
        }
        if !self.claim_bits(at, bits.bit_size) {
            return false;
        }
        let mut pos = at;
        for i in 0..bits.bit_size.div_ceil(8) {
            let n = (bits.bit_size - 8 * i).min(8);
            self.put_bits_at(pos, bits.byte(i), n);
            pos += n;
        }
        true
    }

    /// Writes the top `n` bits of `byte` at bit `pos`, which the caller
    /// claimed; the bits after them in their bytes are free and left zero.
    fn put_bits_at(&self, pos: usize, byte: u8, n: usize) {
        let (i, shift) = (pos / 8, pos % 8);
        let cell = self.data[i].get();
        // SAFETY: the bits from `pos` on are claimed by the caller alone; the
        // bits before `pos` in this byte, if any, belong to views of this
        // buffer, which no other heap can see (`try_append_bits` checks
        // `is_shared` for an unaligned `pos`), so only this thread reads the
        // byte while it is rewritten with those bits unchanged.
        unsafe {
            let keep = if shift == 0 {
                0
            } else {
                *cell & !(0xFF >> shift)
            };
            *cell = keep | (byte >> shift);
        }
        if shift + n > 8 {
            // SAFETY: bits `8 - shift ..` of the write fall in the next byte,
            // wholly claimed by the caller.
            unsafe { *self.data[i + 1].get() = byte << (8 - shift) };
        }
    }

    /// Claims the `n` bits at bit `at` if `at` is exactly the end of what
    /// is claimed and there is room.
    fn claim_bits(&self, at: usize, n: usize) -> bool {
        // Up to BEAM's binary's size (its collector may have shrunk it): an
        // append past that reallocates there, makes a new buffer here.
        match at.checked_add(n) {
            Some(end) if end <= self.room.load(Ordering::Relaxed) => self
                .used
                .compare_exchange(at, end, Ordering::AcqRel, Ordering::Acquire)
                .is_ok(),
            _ => false,
        }
    }

    /// Writes bytes of a range its caller claimed (`claim_range`).
    fn write_claimed(&self, at: usize, bytes: &[u8]) {
        if let ([b], Some(cell)) = (bytes, self.data.get(at)) {
            // The usual append of one byte: a store, not a `memcpy` call.
            // SAFETY: as below.
            unsafe { *cell.get() = *b };
            return;
        }
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
        self.claim_bits(at * 8, n * 8).then(|| Claim {
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
            let bits = Bits {
                bytes,
                bit_offset: 0,
                bit_size: bytes.len() * 8,
            };
            let slot = self.alloc(heap_binary_words(bytes.len()));
            write_heap_binary(slot, bits)
        } else {
            self.refc_binary(BinaryBuf::new(bytes.to_vec()))
        }
    }

    /// `bs_init_writable`: an empty binary whose buffer has room for
    /// `size` bytes (a non-negative small integer; else 1024, as BEAM's
    /// `erts_bs_init_writable`) appended in place; an empty heap binary if
    /// the memory cannot be had.
    pub fn writable_binary(&mut self, size: Term) -> Term {
        let bytes = size
            .as_small()
            .and_then(|n| usize::try_from(n).ok())
            .unwrap_or(1024);
        match BinaryBuf::with_capacity(&[], bytes) {
            Some(buf) => self.refc_view(buf, 0),
            None => self.binary(&[]),
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

    /// `base` followed by `extra`, written in place: when `base` is a
    /// reference-counted binary ending its buffer's claimed bytes and the
    /// buffer has room (`BinaryBuf::try_append`), the new, longer view of
    /// the buffer; `None` otherwise (nothing written). In an append loop
    /// this heap already holds the buffer, last: the view then takes no
    /// reference count (no atomic operation but the claim).
    pub fn append_in_place(&mut self, base: Term, extra: &[u8]) -> Option<Term> {
        if base.header()?.subtag() != Subtag::RefcBin {
            return None;
        }
        let len = base.boxed_word(0) as usize;
        let ptr = base.boxed_word(1) as *const BinaryBuf;
        // SAFETY: the pointer came from `Arc::as_ptr` and the heap holding
        // `base` (a live term of the caller's) owns a strong count for it.
        let buf = unsafe { &*ptr };
        if !buf.try_append(len, extra) {
            return None;
        }
        let n = (len + extra.len()) as u64;
        if self.binaries.last().is_some_and(|b| Arc::as_ptr(b) == ptr) {
            return Some(self.boxed(Subtag::RefcBin, &[n, ptr as u64]));
        }
        // SAFETY: as above; the new count is this heap's, for the view.
        let arc = unsafe {
            Arc::increment_strong_count(ptr);
            Arc::from_raw(ptr)
        };
        Some(self.refc_view(arc, n as usize))
    }

    /// A view of the first `bits` bits of an off-heap buffer: a binary, or
    /// a sub-binary of one when `bits` is not a whole number of bytes.
    pub fn refc_bits(&mut self, buf: Arc<BinaryBuf>, bits: usize) -> Term {
        let whole = self.refc_view(buf, bits.div_ceil(8));
        if bits.is_multiple_of(8) {
            whole
        } else {
            self.sub_view(whole, 0, bits)
        }
    }

    /// A bitstring of `bit_size` bits taken from `bits` (packed from bit 0).
    pub fn bitstring(&mut self, bits: &[u8], bit_size: usize) -> Term {
        let whole = self.binary(&bits[..bit_size.div_ceil(8)]);
        if bit_size.is_multiple_of(8) {
            whole
        } else {
            self.sub_view(whole, 0, bit_size)
        }
    }

    /// The `bit_size` bits of `orig` (a bitstring) at bit `bit_offset`
    /// (relative to `orig`, which may itself be a sub-binary), cut out as
    /// BEAM cuts pieces (OTP 25's `erts_extract_sub_binary`, which bit
    /// syntax matching, `split_binary/2`, `binary_part/2,3` and
    /// `binary:split/2,3` share): a piece of at most [`HEAP_BIN_LIMIT`]
    /// whole bytes is copied into a heap binary of its own (so it does not
    /// keep a large original alive, and `binary:referenced_byte_size/1`
    /// is its own size), anything else is a sub-binary of the original.
    pub fn sub_binary(&mut self, orig: Term, bit_offset: usize, bit_size: usize) -> Term {
        if copies_piece(bit_size) {
            if let Some(piece) = orig.as_bits().and_then(|b| b.slice(bit_offset, bit_size)) {
                let slot = self.alloc(heap_binary_words(bit_size / 8));
                return write_heap_binary(slot, piece);
            }
        }
        self.sub_view(orig, bit_offset, bit_size)
    }

    /// A sub-binary of `bit_size` bits of `orig` starting at bit
    /// `bit_offset` (relative to `orig`, which may itself be a
    /// sub-binary), whatever its size.
    pub fn sub_view(&mut self, orig: Term, bit_offset: usize, bit_size: usize) -> Term {
        self.boxed(
            Subtag::SubBin,
            &sub_binary_fields(orig, bit_offset, bit_size),
        )
    }
}

/// Words of a sub-binary: header, bit size, bit offset, original.
pub(crate) const SUB_BINARY_WORDS: usize = 4;

/// The words after its header of a sub-binary of `bit_size` bits of
/// `orig` at bit `bit_offset` (relative to `orig`, which may itself be a
/// sub-binary: the new one points at its original).
#[inline(always)]
pub(crate) fn sub_binary_fields(orig: Term, bit_offset: usize, bit_size: usize) -> [u64; 3] {
    let (base, base_offset) = match orig.header().map(|h| h.subtag()) {
        Some(Subtag::SubBin) => (orig.boxed_word(2), orig.boxed_word(1) as usize),
        _ => (orig.raw(), 0),
    };
    [bit_size as u64, (base_offset + bit_offset) as u64, base]
}

/// Does BEAM copy a piece of `bit_size` bits cut out of a bitstring into a
/// heap binary of its own ([`Heap::sub_binary`])? When it is whole bytes,
/// at most [`HEAP_BIN_LIMIT`] of them; a piece ending inside a byte is
/// always a sub-binary.
#[inline]
pub fn copies_piece(bit_size: usize) -> bool {
    bit_size <= HEAP_BIN_LIMIT * 8 && bit_size.is_multiple_of(8)
}

/// Words of a heap binary of `len` bytes: header, byte size, the bytes.
#[inline]
pub fn heap_binary_words(len: usize) -> usize {
    2 + len.div_ceil(8)
}

/// Writes into `slot` ([`heap_binary_words`] of its whole bytes long) the
/// heap binary of the whole bytes of `bits` (at most [`HEAP_BIN_LIMIT`]),
/// whatever their alignment, and returns it.
pub fn write_heap_binary(slot: &mut [u64], bits: Bits) -> Term {
    let len = bits.bit_size / 8;
    let words = len.div_ceil(8);
    slot[0] = super::boxed::Header::new(Subtag::HeapBin, 1 + words).0;
    slot[1] = len as u64;
    let out = &mut slot[2..2 + words];
    let whole = bits.slice(0, len * 8).and_then(|b| b.as_bytes());
    match whole {
        Some(bytes) => {
            if let Some(last) = out.last_mut() {
                *last = 0;
            }
            // One copy of the bytes (pieces are cut by the million in
            // parsing loops); the words hold them in memory order, as
            // `u64::from_ne_bytes` reads them.
            // SAFETY: `out` is `words` initialised words, `words * 8 >=
            // len` bytes; every byte pattern is a valid `u64`, and bytes
            // need no alignment.
            let dst =
                unsafe { std::slice::from_raw_parts_mut(out.as_mut_ptr().cast::<u8>(), words * 8) };
            dst[..len].copy_from_slice(bytes);
        }
        None => {
            for (k, w) in out.iter_mut().enumerate() {
                let mut b = [0u8; 8];
                let n = (len - 8 * k).min(8);
                for (j, byte) in b[..n].iter_mut().enumerate() {
                    *byte = bits.byte(8 * k + j);
                }
                *w = u64::from_ne_bytes(b);
            }
        }
    }
    Term::boxed_ptr(slot.as_ptr())
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

    /// Runs `f` on the off-heap buffer a binary or sub-binary views, if
    /// it views one.
    fn with_off_heap_buffer<R>(self, f: impl FnOnce(&BinaryBuf) -> R) -> Option<R> {
        let base = match self.header()?.subtag() {
            Subtag::SubBin => Term::from_raw(self.boxed_word(2)),
            _ => self,
        };
        if base.header()?.subtag() != Subtag::RefcBin {
            return None;
        }
        let buf = base.boxed_word(1) as *const BinaryBuf;
        // SAFETY: the pointer came from `Arc::as_ptr` and the heap holding
        // `base` (live while the caller holds this term) owns a count.
        Some(f(unsafe { &*buf }))
    }

    /// Ends appending in place to the buffer this bitstring views, as BEAM
    /// does to a writable binary a match starts on or another process gets
    /// ([`BinaryBuf::seal`]).
    pub fn seal_writable(self) {
        self.with_off_heap_buffer(BinaryBuf::seal);
    }

    /// `binary:referenced_byte_size/1`: the size of the binary this
    /// bitstring is, or is part of, as BEAM has it (for a buffer made by
    /// appending, the size BEAM's writable binary has).
    pub fn referenced_byte_size(self) -> Option<usize> {
        let bits = self.as_bits()?;
        Some(
            self.with_off_heap_buffer(BinaryBuf::beam_size)
                .unwrap_or(bits.bytes.len()),
        )
    }

    /// The off-heap buffer a bitstring starts and the number of its bits
    /// the bitstring views: an off-heap binary, or a sub-binary from bit 0
    /// of one (what appending to a bitstring in place needs).
    pub fn as_refc_prefix(self) -> Option<(Arc<BinaryBuf>, usize)> {
        match self.header()?.subtag() {
            Subtag::RefcBin => self.as_refc_buf().map(|(b, n)| (b, n * 8)),
            Subtag::SubBin if self.boxed_word(1) == 0 => {
                let (b, _) = Term::from_raw(self.boxed_word(2)).as_refc_buf()?;
                Some((b, self.boxed_word(0) as usize))
            }
            _ => None,
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

    fn bits_of(bytes: &[u8], bit_size: usize) -> Bits<'_> {
        Bits {
            bytes,
            bit_offset: 0,
            bit_size,
        }
    }

    #[test]
    fn bit_appends_claim_bits_once_and_keep_earlier_bits() {
        // 0b101 then 0b11111 then 0x0F in 8 bits: 10111111 00001111.
        let buf = BinaryBuf::with_capacity_bits(&[0b1010_0000], 3, 4).unwrap();
        assert!(buf.try_append_bits(3, bits_of(&[0xFF], 5)));
        assert!(
            !buf.try_append_bits(3, bits_of(&[0], 1)),
            "bits 3.. are taken"
        );
        assert!(buf.try_append_bits(8, bits_of(&[0x0F], 8)));
        assert!(!buf.try_append_bits(16, bits_of(&[0; 3], 17)), "no room");
        let mut h = Heap::new();
        let t = h.refc_bits(buf.clone(), 16);
        assert_eq!(t.as_binary(), Some(&[0b1011_1111, 0x0F][..]));
        // Unaligned: 3 bits into the third byte, then 7 across it.
        assert!(buf.try_append_bits(16, bits_of(&[0b0100_0000], 3)));
        assert!(buf.try_append_bits(19, bits_of(&[0b1111_1110], 7)));
        let t = h.refc_bits(buf.clone(), 26);
        assert_eq!(t.as_refc_prefix().map(|(_, n)| n), Some(26));
        assert_eq!(
            t.as_bits().unwrap().to_vec(),
            vec![0xBF, 0x0F, 0b0101_1111, 0b1100_0000]
        );
        // Once another heap may view it, no byte a view covers is written.
        buf.mark_shared();
        assert!(!buf.try_append_bits(26, bits_of(&[0], 1)));
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
    fn small_whole_byte_pieces_are_copied() {
        let mut h = Heap::new();
        let data: Vec<u8> = (0..200).map(|i| i as u8).collect();
        let big = h.binary(&data);
        let subtag = |t: Term| t.header().unwrap().subtag();
        for (off, bits, copied) in [
            (8, 0, true),
            (8, 16, true),
            (3, 512, true),
            (8, 520, false),
            (3, 9, false),
            (0, 1600, false),
        ] {
            let piece = h.sub_binary(big, off, bits);
            let want = big.as_bits().unwrap().slice(off, bits).unwrap().to_vec();
            assert_eq!(piece.as_bits().unwrap().to_vec(), want, "{off} {bits}");
            let tag = if copied {
                Subtag::HeapBin
            } else {
                Subtag::SubBin
            };
            assert_eq!(subtag(piece), tag, "{off} {bits}");
        }
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
        assert_eq!(subsub.header().unwrap().subtag(), Subtag::HeapBin);
        let view = h.sub_view(sub, 4, 8);
        assert_eq!(view.header().unwrap().subtag(), Subtag::SubBin);
        assert_eq!(view.as_binary(), Some(&[0b1111_0000][..]));
        let bs = h.bitstring(&[0b1110_0000], 3);
        assert_eq!(bs.as_bits().unwrap().bit_size, 3);
        assert!(bs.as_bits().unwrap().bit(0) && !bs.as_bits().unwrap().bit(3 - 1 + 1));
    }
}
