//! The IFF container: `FOR1`, the form size, `BEAM`, then chunks of
//! `Id:4 Size:32 Data:Size` padded to a multiple of four bytes. A file may
//! also be gzip-compressed as a whole (`compile:file/2` with `compressed`),
//! which BEAM's loader accepts too.

use std::borrow::Cow;
use std::io::Read;

use super::cursor::Cursor;
use super::error::{ChunkId, ErrorKind, LoadError};

/// Most bytes a gzip-compressed `.beam` may inflate to. There is no size
/// field to check; this bounds what a hostile stream can make us allocate.
pub const MAX_INFLATED: u64 = 256 << 20;

/// `bytes`, inflated first if it is gzip-compressed. Offsets in later
/// errors are then offsets in the inflated file.
pub fn gunzip_if_compressed(bytes: &[u8]) -> Result<Cow<'_, [u8]>, LoadError> {
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        return Ok(Cow::Borrowed(bytes));
    }
    let mut out = Vec::new();
    let bad = |why: String| LoadError::new(ChunkId::HEADER, 0, ErrorKind::Malformed(why));
    flate2::read::GzDecoder::new(bytes)
        .take(MAX_INFLATED + 1)
        .read_to_end(&mut out)
        .map_err(|e| bad(format!("gzip: {e}")))?;
    if out.len() as u64 > MAX_INFLATED {
        return Err(bad(format!("inflates to more than {MAX_INFLATED} bytes")));
    }
    Ok(Cow::Owned(out))
}

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
    fn reads_gzip_compressed_files() {
        use std::io::Write;
        let f = file(&[(b"AtU8", b"abc")]);
        let mut z = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(&f).unwrap();
        let gz = z.finish().unwrap();
        assert_eq!(&*gunzip_if_compressed(&gz).unwrap(), &f[..]);
        assert!(matches!(
            gunzip_if_compressed(&f).unwrap(),
            Cow::Borrowed(_)
        ));
        let e = gunzip_if_compressed(&gz[..gz.len() / 2]).unwrap_err();
        assert!(matches!(e.kind, ErrorKind::Malformed(_)));
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
