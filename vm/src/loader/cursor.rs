//! A bounds-checked reader over one chunk. Every read either succeeds or
//! returns a [`LoadError`] naming the chunk and the file offset; nothing is
//! ever allocated from a size field before the bytes it claims are known to
//! exist.

use super::error::{ChunkId, ErrorKind, LoadError};

/// A position in a chunk's data.
#[derive(Clone)]
pub struct Cursor<'a> {
    data: &'a [u8],
    pos: usize,
    /// File offset of `data[0]`.
    base: usize,
    chunk: ChunkId,
}

impl<'a> Cursor<'a> {
    /// A cursor at the start of `data`, which sits at file offset `base`.
    pub fn new(chunk: ChunkId, data: &'a [u8], base: usize) -> Cursor<'a> {
        Cursor {
            data,
            pos: 0,
            base,
            chunk,
        }
    }

    /// The file offset of the next byte.
    pub fn offset(&self) -> usize {
        self.base + self.pos
    }

    /// The chunk being read.
    pub fn chunk(&self) -> ChunkId {
        self.chunk
    }

    /// Bytes not read yet.
    pub fn remaining(&self) -> usize {
        self.data.len() - self.pos
    }

    /// Whether everything was read.
    pub fn is_empty(&self) -> bool {
        self.remaining() == 0
    }

    /// An error at the current position.
    pub fn error(&self, kind: ErrorKind) -> LoadError {
        self.error_at(self.offset(), kind)
    }

    /// An error at file offset `offset` of this chunk.
    pub fn error_at(&self, offset: usize, kind: ErrorKind) -> LoadError {
        LoadError::new(self.chunk, offset, kind)
    }

    /// The next `n` bytes.
    pub fn bytes(&mut self, n: usize) -> Result<&'a [u8], LoadError> {
        if n > self.remaining() {
            return Err(self.error(ErrorKind::Truncated));
        }
        let s = &self.data[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    /// Everything not read yet.
    pub fn rest(&mut self) -> &'a [u8] {
        let s = &self.data[self.pos..];
        self.pos = self.data.len();
        s
    }

    /// One byte.
    pub fn u8(&mut self) -> Result<u8, LoadError> {
        Ok(self.bytes(1)?[0])
    }

    /// A big-endian 16-bit word.
    pub fn u16(&mut self) -> Result<u16, LoadError> {
        let b = self.bytes(2)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }

    /// A big-endian 32-bit word.
    pub fn u32(&mut self) -> Result<u32, LoadError> {
        let b = self.bytes(4)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// A big-endian 64-bit word.
    pub fn u64(&mut self) -> Result<u64, LoadError> {
        let b = self.bytes(8)?;
        let mut w = [0; 8];
        w.copy_from_slice(b);
        Ok(u64::from_be_bytes(w))
    }

    /// A count of items that each take at least `min_item_bytes` bytes,
    /// rejected if the rest of the chunk cannot hold that many. This is what
    /// keeps a lying count from causing a huge allocation.
    pub fn count(&mut self, min_item_bytes: usize) -> Result<usize, LoadError> {
        let at = self.offset();
        let n = self.u32()? as usize;
        self.check_count(n, min_item_bytes, at)?;
        Ok(n)
    }

    /// Checks that `n` items of at least `min_item_bytes` bytes each fit in
    /// the rest of the chunk; `at` is where the count was read.
    pub fn check_count(&self, n: usize, min_item_bytes: usize, at: usize) -> Result<(), LoadError> {
        if n.saturating_mul(min_item_bytes.max(1)) > self.remaining() {
            return Err(self.error_at(
                at,
                ErrorKind::Malformed(format!(
                    "count {n} does not fit in the {} remaining bytes",
                    self.remaining()
                )),
            ));
        }
        Ok(())
    }
}
