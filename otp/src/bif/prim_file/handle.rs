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
use enigma_vm::term::ids::fresh_ref_ids;
use enigma_vm::term::magic::Magic;
use enigma_vm::term::Term;

use super::{errno, error, file_info, ok, ok_or_error, path};
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
    let handle: Handle = Mutex::new(Some(file));
    let fref = p.heap.magic_ref(fresh_ref_ids(), Magic::new(handle));
    ok(p, fref)
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

/// A byte count argument.
fn size(t: Term) -> Result<usize, Exception> {
    t.as_small()
        .and_then(|n| usize::try_from(n).ok())
        .ok_or_else(Exception::badarg)
}

/// An offset argument.
fn offset(t: Term) -> Result<i64, Exception> {
    t.as_small().ok_or_else(Exception::badarg)
}

/// `{ok, Bytes}` of what was read, `eof` when nothing was.
fn read_result(
    p: &mut Process,
    bytes: io::Result<Vec<u8>>,
    asked: usize,
) -> Result<Term, Exception> {
    match bytes {
        Ok(b) if b.is_empty() && asked > 0 => atom("eof"),
        Ok(b) => {
            let bin = p.heap.binary(&b);
            ok(p, bin)
        }
        Err(e) => error(p, &e),
    }
}

fn read_nif_2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let n = size(args[1])?;
    with_file(p, args[0], |p, f| {
        let mut buf = Vec::new();
        let r = f.take(n as u64).read_to_end(&mut buf).map(|_| buf);
        read_result(p, r, n)
    })
}

fn pread_nif_3(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let (at, n) = (offset(args[1])?, size(args[2])?);
    let Ok(at) = u64::try_from(at) else {
        return errno(p, libc::EINVAL);
    };
    with_file(p, args[0], |p, f| {
        let mut buf = vec![0; n];
        let mut got = 0;
        let r = loop {
            match f.read_at(&mut buf[got..], at + got as u64) {
                Ok(0) => break Ok(()),
                Ok(k) => {
                    got += k;
                    if got == n {
                        break Ok(());
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => break Err(e),
            }
        };
        buf.truncate(got);
        // erts answers `eof` to a pread of nothing, as to one past the end.
        read_result(p, r.map(|()| buf), n.max(1))
    })
}

fn write_nif_2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let bytes = iodata_bytes(args[1]).ok_or_else(Exception::badarg)?;
    with_file(p, args[0], |p, f| ok_or_error(p, f.write_all(&bytes)))
}

fn pwrite_nif_3(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let at = u64::try_from(offset(args[1])?).map_err(|_| Exception::badarg())?;
    let bytes = iodata_bytes(args[2]).ok_or_else(Exception::badarg)?;
    with_file(p, args[0], |p, f| {
        ok_or_error(p, f.write_all_at(&bytes, at))
    })
}

/// `{ok, Position}` after moving to `Offset` from `bof`, `cur` or `eof`.
fn seek_nif_3(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let off = offset(args[2])?;
    let mark = args[1].as_atom().map(|a| a.name());
    let to = match mark {
        Some("bof") => match u64::try_from(off) {
            Ok(o) => SeekFrom::Start(o),
            Err(_) => return errno(p, libc::EINVAL),
        },
        Some("cur") => SeekFrom::Current(off),
        Some("eof") => SeekFrom::End(off),
        _ => return Err(Exception::badarg()),
    };
    with_file(p, args[0], |p, f| match f.seek(to) {
        Ok(pos) => {
            let pos = int(&mut p.heap, i128::from(pos));
            ok(p, pos)
        }
        Err(e) => error(p, &e),
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

/// Advice is only advice: `ok` for an open file.
fn advise_nif_4(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    with_file(p, args[0], |_, _| atom("ok"))
}

/// `{error, enotsup}`, as erts where `fallocate` is missing.
fn allocate_nif_3(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    with_file(p, args[0], |p, _| errno(p, libc::ENOTSUP))
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
