//! The zlib stream of compressed terms (tag 80).

use flate2::{Compress, Compression, Decompress, FlushCompress, FlushDecompress, Status};

use super::EtfError;

/// zlib cannot expand data by more than about 1032:1; a declared size beyond
/// that bound is a lie, refused before anything is allocated.
const MAX_RATIO: usize = 1032;
/// Output is grown in steps of at most this many bytes, so a lying size
/// costs no more memory than the data really inflates to.
const STEP: usize = 1 << 16;

/// Inflates the zlib stream at the start of `input`, which must produce
/// exactly `size` bytes. Returns them and the number of input bytes the
/// stream took (bytes after the stream's end are left alone).
pub(super) fn inflate(input: &[u8], size: usize) -> Result<(Vec<u8>, usize), EtfError> {
    if size > input.len().saturating_mul(MAX_RATIO).saturating_add(64) {
        return Err(EtfError::Compressed(
            "declared size beyond what the data can hold",
        ));
    }
    let mut z = Decompress::new(true);
    let mut out: Vec<u8> = Vec::new();
    loop {
        // Room for one byte more than declared, to notice a longer stream.
        let room = (size + 1 - out.len()).min(STEP);
        out.reserve(room);
        let before = (z.total_in(), z.total_out());
        let consumed = z.total_in() as usize;
        let status = z
            .decompress_vec(&input[consumed..], &mut out, FlushDecompress::None)
            .map_err(|_| EtfError::Compressed("corrupt zlib stream"))?;
        if out.len() > size {
            return Err(EtfError::Compressed("inflates past the declared size"));
        }
        match status {
            Status::StreamEnd => break,
            _ if (z.total_in(), z.total_out()) == before => {
                return Err(EtfError::Compressed("truncated zlib stream"));
            }
            _ => {}
        }
    }
    if out.len() != size {
        return Err(EtfError::Compressed("inflates short of the declared size"));
    }
    Ok((out, z.total_in() as usize))
}
/// Deflates `data` at `level` (0..=9) with zlib's default window and memory
/// settings, as BEAM's `term_to_binary(T, [compressed])` does. Returns `None`
/// when the result would be longer than `limit` bytes (BEAM then keeps the
/// term uncompressed).
pub(super) fn deflate(data: &[u8], level: u32, limit: usize) -> Option<Vec<u8>> {
    let mut z = Compress::new(Compression::new(level), true);
    let mut out = Vec::with_capacity(limit);
    loop {
        let consumed = z.total_in() as usize;
        let before = (z.total_in(), z.total_out());
        let status = z
            .compress_vec(&data[consumed..], &mut out, FlushCompress::Finish)
            .ok()?;
        if status == Status::StreamEnd {
            return Some(out);
        }
        if out.len() == out.capacity() || (z.total_in(), z.total_out()) == before {
            return None;
        }
    }
}
