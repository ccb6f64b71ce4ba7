//! A bounds-checked reader over the input bytes.

use super::EtfError;

/// Reads big-endian fields; every read checks the bytes left first.
pub(super) struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    pub(super) fn new(bytes: &'a [u8]) -> Cursor<'a> {
        Cursor { bytes, pos: 0 }
    }

    /// Current offset.
    pub(super) fn pos(&self) -> usize {
        self.pos
    }

    /// Bytes not read yet.
    pub(super) fn remaining(&self) -> usize {
        self.bytes.len() - self.pos
    }

    /// The next `n` bytes.
    pub(super) fn take(&mut self, n: usize) -> Result<&'a [u8], EtfError> {
        if n > self.remaining() {
            return Err(EtfError::Truncated(self.bytes.len()));
        }
        let s = &self.bytes[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    pub(super) fn u8(&mut self) -> Result<u8, EtfError> {
        Ok(self.take(1)?[0])
    }

    pub(super) fn u16(&mut self) -> Result<u16, EtfError> {
        let b = self.take(2)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }

    pub(super) fn u32(&mut self) -> Result<u32, EtfError> {
        let b = self.take(4)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }

    pub(super) fn u64(&mut self) -> Result<u64, EtfError> {
        let b = self.take(8)?;
        let mut w = [0u8; 8];
        w.copy_from_slice(b);
        Ok(u64::from_be_bytes(w))
    }

    /// A length field's value, checked against the bytes left: every item it
    /// counts takes at least `min_item` bytes.
    pub(super) fn len(&self, n: u64, min_item: usize) -> Result<usize, EtfError> {
        let n = usize::try_from(n).map_err(|_| EtfError::Truncated(self.bytes.len()))?;
        if n.saturating_mul(min_item) > self.remaining() {
            return Err(EtfError::Truncated(self.bytes.len()));
        }
        Ok(n)
    }
}
