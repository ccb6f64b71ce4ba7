//! The one-shot functions of module `zlib` (`compress/1`, `uncompress/1`,
//! `zip/1`, `unzip/1`, `gzip/1`, `gunzip/1`), done in Rust on C zlib.
//!
//! On BEAM they are Erlang code over the zlib NIF's stream API; the compiler
//! (`beam_asm` compresses literal chunks) and `beam_lib` need only these.
//! C zlib with BEAM's parameters (default level, window 15, memory level 8)
//! gives the same bytes. Failures raise what BEAM's raise (`badarg` for
//! data that is not iodata, `data_error` for a corrupt stream), with this
//! function's frame rather than the NIF's.

use enigma_vm::atom::Atom;
use enigma_vm::bif::{BifEntry, BifFn};
use enigma_vm::exception::Exception;
use enigma_vm::process::Process;
use enigma_vm::term::Term;
use flate2::{Compress, Compression, Decompress, FlushCompress, FlushDecompress, Status};

use crate::bif::arg::{arity, entry};
use crate::bif::helpers::iodata_bytes;

/// The `zlib` one-shot functions.
pub const TABLE: &[BifEntry] = &[
    e("compress", 1, compress),
    e("uncompress", 1, uncompress),
    e("zip", 1, zip),
    e("unzip", 1, unzip),
    e("gzip", 1, gzip),
    e("gunzip", 1, gunzip),
];

const fn e(name: &'static str, arity: u32, f: BifFn) -> BifEntry {
    entry("zlib", name, arity, f)
}

/// zlib's largest window (`MAX_WBITS`).
const WINDOW: u8 = 15;

/// Which header a stream has.
#[derive(Clone, Copy)]
enum Format {
    /// zlib header and Adler-32 trailer.
    Zlib,
    /// No header (zip members).
    Raw,
    /// gzip header and CRC-32 trailer.
    Gzip,
}

fn data_error() -> Exception {
    Exception::error(Term::atom(
        Atom::intern("data_error").unwrap_or(Atom::BADARG),
    ))
}

fn deflate(data: &[u8], format: Format) -> Vec<u8> {
    let level = Compression::default();
    let mut z = match format {
        Format::Zlib => Compress::new(level, true),
        Format::Raw => Compress::new(level, false),
        Format::Gzip => Compress::new_gzip(level, WINDOW),
    };
    let mut out = Vec::with_capacity(data.len() / 2 + 64);
    loop {
        let consumed = z.total_in() as usize;
        out.reserve(out.len().max(64));
        match z.compress_vec(&data[consumed..], &mut out, FlushCompress::Finish) {
            Ok(Status::StreamEnd) => return out,
            Ok(_) => {}
            // Deflating memory cannot fail but for a zlib bug.
            Err(_) => return out,
        }
    }
}

fn inflate(data: &[u8], format: Format) -> Result<Vec<u8>, Exception> {
    let mut z = match format {
        Format::Zlib => Decompress::new(true),
        Format::Raw => Decompress::new(false),
        Format::Gzip => Decompress::new_gzip(WINDOW),
    };
    let mut out = Vec::with_capacity(data.len() * 2 + 64);
    loop {
        let consumed = z.total_in() as usize;
        let before = (z.total_in(), z.total_out());
        out.reserve(out.len().max(64));
        let status = z
            .decompress_vec(&data[consumed..], &mut out, FlushDecompress::None)
            .map_err(|_| data_error())?;
        match status {
            // Bytes after the end of the stream are ignored, as on BEAM.
            Status::StreamEnd => return Ok(out),
            _ if (z.total_in(), z.total_out()) == before => return Err(data_error()),
            _ => {}
        }
    }
}

/// The bytes a gzip stream holds (`None` if it is not one).
pub fn gunzip_bytes(data: &[u8]) -> Option<Vec<u8>> {
    inflate(data, Format::Gzip).ok()
}

fn bytes_of(t: Term) -> Result<Vec<u8>, Exception> {
    iodata_bytes(t).ok_or_else(Exception::badarg)
}

fn packed(p: &mut Process, args: &[Term], format: Format) -> Result<Term, Exception> {
    let [data] = arity(args)?;
    let out = deflate(&bytes_of(data)?, format);
    Ok(p.heap.binary(&out))
}

fn unpacked(p: &mut Process, args: &[Term], format: Format) -> Result<Term, Exception> {
    let [data] = arity(args)?;
    let out = inflate(&bytes_of(data)?, format)?;
    Ok(p.heap.binary(&out))
}

fn compress(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    packed(p, args, Format::Zlib)
}

fn uncompress(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [data] = arity(args)?;
    // BEAM refuses anything shorter than a zlib header and trailer.
    if bytes_of(data)?.len() < 8 {
        return Err(data_error());
    }
    unpacked(p, args, Format::Zlib)
}

fn zip(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    packed(p, args, Format::Raw)
}

fn unzip(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    unpacked(p, args, Format::Raw)
}

fn gzip(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    packed(p, args, Format::Gzip)
}

fn gunzip(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    unpacked(p, args, Format::Gzip)
}
