//! `prim_file`'s NIFs on open files: a file is a magic reference owning
//! the OS file (closed when `close_nif` runs or the last reference dies).
//! `prim_file.erl` keeps the read-ahead buffer, the owner check and the
//! `#file_descriptor{}` record; these are the system calls under them.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::{FileExt, OpenOptionsExt};
use std::os::unix::io::AsRawFd;
use std::sync::Arc;

use parking_lot::Mutex;

use enigma_vm::bif::BifEntry;
use enigma_vm::exception::Exception;
use enigma_vm::process::Process;
use enigma_vm::term::bignum::Int;
use enigma_vm::term::ids::fresh_ref_ids;
use enigma_vm::term::magic::Magic;
use enigma_vm::term::Term;

use super::{errno, error, file_info, ok, ok_or_error, path, posix};
use crate::bif::arg::entry;
use crate::bif::helpers::{atom, int, iodata_bytes};

/// The open-file NIFs.
pub const TABLE: &[BifEntry] = &[
    entry("prim_file", "open_nif", 2, open_nif_2),
    entry("prim_file", "close_nif", 1, close_nif_1),
    entry("prim_file", "delayed_close_nif", 1, close_nif_1),
    entry("prim_file", "read_nif", 2, read_nif_2),
    entry("prim_file", "write_nif", 2, write_nif_2),
    entry("prim_file", "pread_nif", 3, pread_nif_3),
    entry("prim_file", "pwrite_nif", 3, pwrite_nif_3),
    entry("prim_file", "seek_nif", 3, seek_nif_3),
    entry("prim_file", "sync_nif", 2, sync_nif_2),
    entry("prim_file", "truncate_nif", 1, truncate_nif_1),
    entry("prim_file", "advise_nif", 4, advise_nif_4),
    entry("prim_file", "allocate_nif", 3, allocate_nif_3),
    entry(
        "prim_file",
        "read_handle_info_nif",
        1,
        read_handle_info_nif_1,
    ),
    entry("prim_file", "get_handle_nif", 1, get_handle_nif_1),
    entry(
        "prim_file",
        "ipread_s32bu_p32bu_nif",
        3,
        ipread_s32bu_p32bu_nif_3,
    ),
    entry(
        "prim_file",
        "file_desc_to_ref_nif",
        1,
        file_desc_to_ref_nif_1,
    ),
];

/// An open file; `None` once closed.
type Handle = Mutex<Option<File>>;

/// `{ok, Ref}` for the file at the path, opened with `prim_file`'s mode
/// list (`read`, `write`, `append`, `exclusive`, `sync`; the rest are
/// `prim_file`'s own). As erts: read when neither read nor write is given,
/// a write-only open truncates, and a directory is `eisdir`.
fn open_nif_2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let name = path(args[0])?;
    let modes = args[1].proper_list().ok_or_else(Exception::badarg)?;
    let has = |m: &str| {
        modes
            .iter()
            .any(|t| t.as_atom().is_some_and(|a| a.name() == m))
    };
    let append = has("append");
    let write = has("write") || append;
    let read = has("read") || !write;
    let mut opts = OpenOptions::new();
    opts.read(read)
        .write(write && !append)
        .append(append)
        .create(write)
        .truncate(write && !read && !append);
    if has("exclusive") && write {
        opts.create_new(true);
    }
    if has("sync") {
        opts.custom_flags(libc::O_SYNC);
    }
    let file = match opts.open(&name) {
        Ok(f) => f,
        Err(e) => return error(p, &e),
    };
    match file.metadata() {
        Ok(m) if m.is_dir() => {
            return errno(p, libc::EISDIR);
        }
        Err(e) => return error(p, &e),
        Ok(_) => {}
    }
    file_ref(p, file)
}

/// `{ok, Ref}` for an open file.
fn file_ref(p: &mut Process, file: File) -> Result<Term, Exception> {
    let handle: Handle = Mutex::new(Some(file));
    let fref = p.heap.magic_ref(fresh_ref_ids(), Magic::new(handle));
    ok(p, fref)
}

/// `{ok, Ref}` for an open file descriptor, which the file then owns
/// (`prim_file:file_desc_to_ref/2`); `badarg` for a term that is no
/// 32-bit integer, as erts.
fn file_desc_to_ref_nif_1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let fd = args[0].as_small().and_then(|n| i32::try_from(n).ok());
    match posix::adopt(fd.ok_or_else(Exception::badarg)?) {
        Ok(file) => file_ref(p, file),
        Err(e) => error(p, &e),
    }
}

/// Runs `f` on the open file of `t`: `badarg` for a term that is no file,
/// `{error, einval}` for a closed one, as erts.
fn with_file(
    p: &mut Process,
    t: Term,
    f: impl FnOnce(&mut Process, &mut File) -> Result<Term, Exception>,
) -> Result<Term, Exception> {
    let magic: Arc<Magic> = t.as_magic().ok_or_else(Exception::badarg)?;
    let handle = magic.get::<Handle>().ok_or_else(Exception::badarg)?;
    let mut guard = handle.lock();
    match guard.as_mut() {
        Some(file) => f(p, file),
        None => errno(p, libc::EINVAL),
    }
}

fn close_nif_1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let magic: Arc<Magic> = args[0].as_magic().ok_or_else(Exception::badarg)?;
    let handle = magic.get::<Handle>().ok_or_else(Exception::badarg)?;
    let closed = handle.lock().take();
    match closed {
        Some(_) => atom("ok"),
        None => errno(p, libc::EINVAL),
    }
}

/// A NIF's 64-bit integer argument as erts reads it (`enif_is_number`,
/// then `enif_get_int64`): `badarg` for a term that is no number;
/// `Ok(None)` for a float or an integer outside the signed 64-bit range,
/// and (`nonneg`) for a negative one, which the NIF answers `einval`.
fn int64(t: Term, nonneg: bool) -> Result<Option<i64>, Exception> {
    if !t.is_number() {
        return Err(Exception::badarg());
    }
    Ok(match t.as_int() {
        Some(Int::Small(v)) if v >= 0 || !nonneg => Some(v),
        _ => None,
    })
}

/// A buffer of `n` bytes' capacity; `None` when the memory is not there
/// (erts answers `enomem`, as its binary allocation fails).
fn buffer(n: u64) -> Option<Vec<u8>> {
    let mut buf = Vec::new();
    buf.try_reserve_exact(usize::try_from(n).ok()?).ok()?;
    Some(buf)
}

/// `{ok, Bytes}` of what was read, `eof` when nothing was.
fn read_result(p: &mut Process, bytes: io::Result<Vec<u8>>) -> Result<Term, Exception> {
    match bytes {
        Ok(b) if b.is_empty() => atom("eof"),
        Ok(b) => {
            let bin = p.heap.binary(&b);
            ok(p, bin)
        }
        Err(e) => error(p, &e),
    }
}

/// Reads up to `n` bytes at the file position.
fn read_nif_2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    with_file(p, args[0], |p, f| {
        let Some(n) = int64(args[1], true)?.map(i64::unsigned_abs) else {
            return errno(p, libc::EINVAL);
        };
        let Some(mut buf) = buffer(n) else {
            return errno(p, libc::ENOMEM);
        };
        let r = f.take(n).read_to_end(&mut buf).map(|_| buf);
        read_result(p, r)
    })
}

/// Reads up to `n` bytes at an offset, not moving the file position.
fn pread_nif_3(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    with_file(p, args[0], |p, f| {
        let (at, n) = (int64(args[1], true)?, int64(args[2], true)?);
        let (Some(at), Some(n)) = (at, n) else {
            return errno(p, libc::EINVAL);
        };
        let Some(r) = pread(f, at.unsigned_abs(), n.unsigned_abs()) else {
            return errno(p, libc::ENOMEM);
        };
        // erts answers `eof` to a pread of nothing, as to one past the end.
        read_result(p, r)
    })
}

/// Up to `n` bytes at offset `at`, fewer at the end of the file; `None`
/// when the memory for them is not there.
fn pread(f: &File, at: u64, n: u64) -> Option<io::Result<Vec<u8>>> {
    let mut buf = buffer(n)?;
    buf.resize(buf.capacity(), 0);
    let mut got = 0;
    let r = loop {
        if got == buf.len() {
            break Ok(());
        }
        match f.read_at(&mut buf[got..], at + got as u64) {
            Ok(0) => break Ok(()),
            Ok(k) => got += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => break Err(e),
        }
    };
    buf.truncate(got);
    Some(r.map(|()| buf))
}

/// `prim_file:ipread_s32bu_p32bu_nif(File, Offset, MaxSize)`, which `dets`
/// reads its buckets with: at `Offset` a block's size and position (32-bit
/// big-endian each), then the block. `eof` when the pair is not all there
/// or the size is over `MaxSize`; `{ok, {Size, Position, eof}}` when
/// nothing of the block is; else `{ok, {Size, Position, Data}}`, `Data`
/// cut short at the end of the file.
fn ipread_s32bu_p32bu_nif_3(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    with_file(p, args[0], |p, f| {
        let (at, max) = (int64(args[1], true)?, int64(args[2], false)?);
        let (Some(at), Some(max)) = (at, max.filter(|&m| m < 1 << 31)) else {
            return errno(p, libc::EINVAL);
        };
        let pair = match pread(f, at.unsigned_abs(), 8) {
            Some(Ok(pair)) => pair,
            Some(Err(e)) => return error(p, &e),
            None => return errno(p, libc::ENOMEM),
        };
        let (Some(size), Some(pos)) = (pair.get(..4), pair.get(4..8)) else {
            return atom("eof");
        };
        let size = u32::from_be_bytes([size[0], size[1], size[2], size[3]]);
        let pos = u32::from_be_bytes([pos[0], pos[1], pos[2], pos[3]]);
        if i64::from(size) > max {
            return atom("eof");
        }
        let data = match pread(f, u64::from(pos), u64::from(size)) {
            Some(Ok(d)) if d.is_empty() => atom("eof")?,
            Some(Ok(d)) => p.heap.binary(&d),
            Some(Err(e)) => return error(p, &e),
            None => return errno(p, libc::ENOMEM),
        };
        let (size, pos) = (int(&mut p.heap, size.into()), int(&mut p.heap, pos.into()));
        let block = p.heap.tuple(&[size, pos, data]);
        ok(p, block)
    })
}

fn write_nif_2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let bytes = iodata_bytes(args[1]).ok_or_else(Exception::badarg)?;
    with_file(p, args[0], |p, f| ok_or_error(p, f.write_all(&bytes)))
}

fn pwrite_nif_3(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    with_file(p, args[0], |p, f| {
        let at = int64(args[1], true)?;
        let bytes = iodata_bytes(args[2]).ok_or_else(Exception::badarg)?;
        match at {
            Some(at) => ok_or_error(p, f.write_all_at(&bytes, at.unsigned_abs())),
            None => errno(p, libc::EINVAL),
        }
    })
}

/// `{ok, Position}` after moving to `Offset` from `bof`, `cur` or `eof`
/// (an offset outside the signed 64-bit range is `badarg` here, as erts).
fn seek_nif_3(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    with_file(p, args[0], |p, f| {
        let Some(Int::Small(off)) = args[2].as_int() else {
            return Err(Exception::badarg());
        };
        let to = match args[1].as_atom().map(|a| a.name()) {
            Some("bof") => match u64::try_from(off) {
                Ok(o) => SeekFrom::Start(o),
                Err(_) => return errno(p, libc::EINVAL),
            },
            Some("cur") => SeekFrom::Current(off),
            Some("eof") => SeekFrom::End(off),
            _ => return Err(Exception::badarg()),
        };
        match f.seek(to) {
            Ok(pos) => {
                let pos = int(&mut p.heap, i128::from(pos));
                ok(p, pos)
            }
            Err(e) => error(p, &e),
        }
    })
}

fn sync_nif_2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let data_only = args[1].as_small().ok_or_else(Exception::badarg)? != 0;
    with_file(p, args[0], |p, f| {
        let r = if data_only {
            f.sync_data()
        } else {
            f.sync_all()
        };
        ok_or_error(p, r)
    })
}

/// Cuts the file at the current position.
fn truncate_nif_1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    with_file(p, args[0], |p, f| {
        let r = f.stream_position().and_then(|pos| f.set_len(pos));
        ok_or_error(p, r)
    })
}

/// An offset and a length as `advise` and `allocate` take them; `None`
/// for the NIF to answer `einval`.
fn range(args: &[Term]) -> Result<Option<(i64, i64)>, Exception> {
    let (at, len) = (int64(args[0], true)?, int64(args[1], true)?);
    Ok(at.zip(len))
}

/// `posix_fadvise` with one of erts' six advice atoms (another is
/// `einval`). Its answer is not looked at: erts tests it for -1, which it
/// never returns, so advice never fails once its arguments are good.
fn advise_nif_4(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    with_file(p, args[0], |p, f| {
        let Some((at, len)) = range(&args[1..3])? else {
            return errno(p, libc::EINVAL);
        };
        let Some(advice) = args[3].as_atom().and_then(|a| posix::advice(a.name())) else {
            return errno(p, libc::EINVAL);
        };
        posix::advise(f, at, len, advice);
        atom("ok")
    })
}

/// Makes room for `len` bytes at `at` (`posix_fallocate`: the file grows
/// to hold them, as erts' `fallocate` does).
fn allocate_nif_3(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    with_file(p, args[0], |p, f| match range(&args[1..3])? {
        Some((at, len)) => ok_or_error(p, posix::allocate(f, at, len)),
        None => errno(p, libc::EINVAL),
    })
}

fn read_handle_info_nif_1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    with_file(p, args[0], |p, f| match f.metadata() {
        Ok(m) => file_info(p, &m, None),
        Err(e) => error(p, &e),
    })
}

/// The file descriptor as erts gives it: a native 32-bit integer.
fn get_handle_nif_1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    with_file(p, args[0], |p, f| {
        let fd = f.as_raw_fd();
        Ok(p.heap.binary(&fd.to_ne_bytes()))
    })
}
