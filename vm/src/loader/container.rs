//! The IFF container: `FOR1`, the form size, `BEAM`, then chunks of
//! `Id:4 Size:32 Data:Size` padded to a multiple of four bytes.

use super::cursor::Cursor;
use super::error::{ChunkId, ErrorKind, LoadError};

/// One chunk of a `.beam` file.
#[derive(Clone, Copy, Debug)]
pub struct Chunk<'a> {
    /// The chunk id.
    pub id: ChunkId,
    /// File offset of the chunk's data.
    pub offset: usize,
    /// The data, without padding.
    pub data: &'a [u8],
}

impl<'a> Chunk<'a> {
    /// A reader over the chunk's data.
    pub fn cursor(&self) -> Cursor<'a> {
        Cursor::new(self.id, self.data, self.offset)
    }
}

/// The chunks of a file, in file order.
#[derive(Debug)]
pub struct Container<'a> {
    /// Every chunk, in file order.
    pub chunks: Vec<Chunk<'a>>,
}

impl<'a> Container<'a> {
    /// Splits `file` into its chunks.
    pub fn parse(file: &'a [u8]) -> Result<Container<'a>, LoadError> {
        let mut c = Cursor::new(ChunkId::HEADER, file, 0);
        let not_beam = |c: &Cursor| c.error_at(0, ErrorKind::NotBeam);
        if c.bytes(4).map_err(|_| not_beam(&c))? != b"FOR1" {
            return Err(not_beam(&c));
        }
        let size_at = c.offset();
        let form_size = c.u32()? as usize;
        if form_size > c.remaining() {
            return Err(c.error_at(size_at, ErrorKind::Truncated));
        }
        let mut form = Cursor::new(ChunkId::HEADER, c.bytes(form_size)?, 8);
        if form.bytes(4).map_err(|_| not_beam(&c))? != b"BEAM" {
            return Err(not_beam(&c));
        }
        let mut chunks = Vec::new();
        while form.remaining() >= 8 {
            let header_at = form.offset();
            let mut id = [0; 4];
            id.copy_from_slice(form.bytes(4)?);
            let id = ChunkId(id);
            let size = form.u32()? as usize;
            if size > form.remaining() {
                return Err(LoadError::new(id, header_at, ErrorKind::Truncated));
            }
            let offset = form.offset();
            let data = form.bytes(size)?;
            // The last chunk's padding may be missing.
            let pad = (4 - size % 4) % 4;
            form.bytes(pad.min(form.remaining()))?;
            if chunks.iter().any(|c: &Chunk| c.id == id) {
                return Err(LoadError::new(id, header_at, ErrorKind::DuplicateChunk));
            }
            chunks.push(Chunk { id, offset, data });
        }
        if !form.is_empty() {
            return Err(form.error(ErrorKind::Truncated));
        }
        Ok(Container { chunks })
    }

    /// The chunk with id `id`, if present.
    pub fn get(&self, id: &[u8; 4]) -> Option<Chunk<'a>> {
        self.chunks.iter().find(|c| &c.id.0 == id).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(chunks: &[(&[u8; 4], &[u8])]) -> Vec<u8> {
        let mut body = b"BEAM".to_vec();
        for (id, data) in chunks {
            body.extend_from_slice(*id);
            body.extend_from_slice(&(data.len() as u32).to_be_bytes());
            body.extend_from_slice(data);
            body.resize(body.len().next_multiple_of(4), 0);
        }
        let mut f = b"FOR1".to_vec();
        f.extend_from_slice(&(body.len() as u32).to_be_bytes());
        f.extend_from_slice(&body);
        f
    }

    #[test]
    fn splits_chunks() {
        let f = file(&[(b"AtU8", b"abc"), (b"Code", b"12345678")]);
        let c = Container::parse(&f).unwrap();
        assert_eq!(c.chunks.len(), 2);
        assert_eq!(c.get(b"AtU8").unwrap().data, b"abc");
        assert_eq!(c.get(b"Code").unwrap().offset, 12 + 8 + 4 + 8);
    }

    #[test]
    fn rejects_bad_headers_and_sizes() {
        assert_eq!(
            Container::parse(b"FOR2").unwrap_err().kind,
            ErrorKind::NotBeam
        );
        let mut f = file(&[(b"AtU8", b"abc")]);
        f[16..20].copy_from_slice(&1000u32.to_be_bytes());
        let e = Container::parse(&f).unwrap_err();
        assert_eq!(
            (e.chunk, e.offset, e.kind),
            (ChunkId(*b"AtU8"), 12, ErrorKind::Truncated)
        );
        let f = file(&[(b"AtU8", b"abc")]);
        let e = Container::parse(&f[..f.len() - 2]).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Truncated);
    }
}
