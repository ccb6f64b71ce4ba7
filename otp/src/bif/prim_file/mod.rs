//! The native half of `prim_file` (erts' `prim_file_nif.c`): the
//! file-system operations on paths, and the name conversions BEAM has as
//! BIFs. `prim_file.beam` is loaded unchanged; its `*_nif` stubs enter
//! these functions (the loader's native entries), and OTP's
//! `file_server` (kernel) calls it as on BEAM.
//!
//! Paths reach the NIFs as `internal_name2native/1` made them: UTF-8 with
//! a closing NUL. Errors are `{error, Posix}` with errno's name.

use std::ffi::OsStr;
use std::fs;
use std::io;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::PathBuf;

use enigma_vm::bif::BifEntry;
use enigma_vm::exception::Exception;
use enigma_vm::process::Process;
use enigma_vm::term::bignum::Int;
use enigma_vm::term::Term;

use crate::bif::arg::entry;

pub mod buffer;
pub mod handle;
#[allow(unsafe_code)]
mod posix;
use crate::bif::helpers::{atom, binary_bytes, int};

/// The `prim_file` functions on paths (the open-file ones are in
/// [`handle`]).
pub const TABLE: &[BifEntry] = &[
    entry("prim_file", "internal_name2native", 1, name2native_1),
    entry("prim_file", "internal_native2name", 1, native2name_1),
    entry("prim_file", "internal_normalize_utf8", 1, normalize_utf8_1),
    entry("prim_file", "is_translatable", 1, is_translatable_1),
    entry("prim_file", "read_file_nif", 1, read_file_nif_1),
    entry("prim_file", "list_dir_nif", 1, list_dir_nif_1),
    entry("prim_file", "read_link_nif", 1, read_link_nif_1),
    entry("prim_file", "read_info_nif", 2, read_info_nif_2),
    entry("prim_file", "make_hard_link_nif", 2, make_hard_link_nif_2),
    entry("prim_file", "make_soft_link_nif", 2, make_soft_link_nif_2),
    entry("prim_file", "rename_nif", 2, rename_nif_2),
    entry("prim_file", "make_dir_nif", 1, make_dir_nif_1),
    entry("prim_file", "del_file_nif", 1, del_file_nif_1),
    entry("prim_file", "del_dir_nif", 1, del_dir_nif_1),
    entry("prim_file", "set_cwd_nif", 1, set_cwd_nif_1),
    entry("prim_file", "get_cwd_nif", 0, get_cwd_nif_0),
    entry("prim_file", "get_device_cwd_nif", 1, not_supported),
    entry("prim_file", "altname_nif", 1, not_supported),
    entry("prim_file", "set_permissions_nif", 2, set_permissions_nif_2),
    entry("prim_file", "set_owner_nif", 3, set_owner_nif_3),
    entry("prim_file", "set_time_nif", 4, set_time_nif_4),
];

/// `internal_name2native/1`: a file name as UTF-8 bytes with a closing
/// NUL; `badarg` for what erts refuses (an atom: `file` makes names of
/// atoms itself; a binary inside a list; an improper list; a NUL).
fn name2native_1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let mut bytes = native_name(args[0]).ok_or_else(Exception::badarg)?;
    if bytes.contains(&0) {
        return Err(Exception::badarg());
    }
    bytes.push(0);
    Ok(p.heap.binary(&bytes))
}

/// The bytes of a file name as erts takes one: a bitstring's whole bytes,
/// or a flat or deep proper list of Unicode characters in UTF-8.
fn native_name(t: Term) -> Option<Vec<u8>> {
    if let Some(bits) = t.as_bits() {
        return Some((0..bits.bit_size / 8).map(|i| bits.byte(i)).collect());
    }
    let mut out = Vec::new();
    let mut stack = vec![t];
    while let Some(t) = stack.pop() {
        if t.is_nil() {
            continue;
        }
        let (h, tl) = t.as_cons()?;
        stack.push(tl);
        match h.as_small() {
            Some(c) => {
                let c = char::from_u32(u32::try_from(c).ok()?)?;
                out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
            }
            None if h.is_nil() || h.as_cons().is_some() => stack.push(h),
            None => return None,
        }
    }
    Some(out)
}

/// `internal_native2name/1`: UTF-8 bytes as a list of characters;
/// `{error, warning}` when they are not UTF-8 (BEAM's `+fnuw` default:
/// `list_dir/1` then skips the name, `list_dir_all/1` keeps its bytes).
fn native2name_1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let bytes = binary_bytes(args[0]).ok_or_else(Exception::badarg)?;
    match std::str::from_utf8(&bytes) {
        Ok(s) => Ok(p.heap.string(s)),
        Err(_) => {
            let why = atom("warning")?;
            Ok(p.heap.tuple(&[atom("error")?, why]))
        }
    }
}

/// `internal_normalize_utf8/1`: Linux file names are not normalised.
fn normalize_utf8_1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let bytes = binary_bytes(args[0]).ok_or_else(Exception::badarg)?;
    let s = std::str::from_utf8(&bytes).map_err(|_| Exception::badarg())?;
    Ok(p.heap.string(s))
}

/// `is_translatable/1`: whether a binary name is UTF-8.
fn is_translatable_1(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let bytes = binary_bytes(args[0]).ok_or_else(Exception::badarg)?;
    Ok(if std::str::from_utf8(&bytes).is_ok() {
        Term::TRUE
    } else {
        Term::FALSE
    })
}

/// A path argument: a binary ending in NUL, as `internal_name2native/1`
/// makes them (`badarg` otherwise, as the NIFs give).
pub(crate) fn path(t: Term) -> Result<PathBuf, Exception> {
    let bytes = binary_bytes(t).ok_or_else(Exception::badarg)?;
    match bytes.split_last() {
        Some((0, name)) if !name.contains(&0) => Ok(PathBuf::from(OsStr::from_bytes(name))),
        _ => Err(Exception::badarg()),
    }
}

/// `{error, Posix}` for an I/O error.
pub(crate) fn error(p: &mut Process, e: &io::Error) -> Result<Term, Exception> {
    let reason = atom(posix_name(e))?;
    Ok(p.heap.tuple(&[atom("error")?, reason]))
}

/// `{error, Posix}` for errno `code`.
pub(crate) fn errno(p: &mut Process, code: i32) -> Result<Term, Exception> {
    error(p, &io::Error::from_raw_os_error(code))
}

/// `{ok, Binary}` of the bytes, or `{error, Posix}`.
fn ok_bytes(p: &mut Process, r: io::Result<impl AsRef<[u8]>>) -> Result<Term, Exception> {
    match r {
        Ok(bytes) => {
            let bin = p.heap.binary(bytes.as_ref());
            ok(p, bin)
        }
        Err(e) => error(p, &e),
    }
}

/// `ok`, or `{error, Posix}`.
pub(crate) fn ok_or_error(p: &mut Process, r: io::Result<()>) -> Result<Term, Exception> {
    match r {
        Ok(()) => atom("ok"),
        Err(e) => error(p, &e),
    }
}

/// `{ok, Value}`.
pub(crate) fn ok(p: &mut Process, value: Term) -> Result<Term, Exception> {
    Ok(p.heap.tuple(&[atom("ok")?, value]))
}

/// errno's name, as erts' `erl_errno_id` gives it.
pub(crate) fn posix_name(e: &io::Error) -> &'static str {
    let Some(n) = e.raw_os_error() else {
        return "eio";
    };
    match n {
        libc::EPERM => "eperm",
        libc::ENOENT => "enoent",
        libc::ESRCH => "esrch",
        libc::EINTR => "eintr",
        libc::EIO => "eio",
        libc::ENXIO => "enxio",
        libc::E2BIG => "e2big",
        libc::EBADF => "ebadf",
        libc::EAGAIN => "eagain",
        libc::ENOMEM => "enomem",
        libc::EACCES => "eacces",
        libc::EFAULT => "efault",
        libc::EBUSY => "ebusy",
        libc::EEXIST => "eexist",
        libc::EXDEV => "exdev",
        libc::ENODEV => "enodev",
        libc::ENOTDIR => "enotdir",
        libc::EISDIR => "eisdir",
        libc::EINVAL => "einval",
        libc::ENFILE => "enfile",
        libc::EMFILE => "emfile",
        libc::ETXTBSY => "etxtbsy",
        libc::EFBIG => "efbig",
        libc::ENOSPC => "enospc",
        libc::ESPIPE => "espipe",
        libc::EROFS => "erofs",
        libc::EMLINK => "emlink",
        libc::EPIPE => "epipe",
        libc::ENAMETOOLONG => "enametoolong",
        libc::ENOTEMPTY => "eexist",
        libc::ELOOP => "eloop",
        libc::ENOTSUP => "enotsup",
        libc::EDQUOT => "edquot",
        libc::ESTALE => "estale",
        _ => "eio",
    }
}

fn read_file_nif_1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let path = path(args[0])?;
    ok_bytes(p, fs::read(path))
}

/// `{ok, [RawName]}`: the names in reverse directory order (erts' NIF
/// prepends each; `prim_file:list_dir/1` reverses them back), without
/// `.`/`..`.
fn list_dir_nif_1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let path = path(args[0])?;
    let names: io::Result<Vec<Vec<u8>>> = fs::read_dir(&path).and_then(|dir| {
        dir.map(|e| e.map(|e| e.file_name().as_bytes().to_vec()))
            .collect()
    });
    match names {
        Ok(names) => {
            let names: Vec<Term> = names.iter().rev().map(|n| p.heap.binary(n)).collect();
            let list = p.heap.list(&names);
            ok(p, list)
        }
        Err(e) => error(p, &e),
    }
}

fn read_link_nif_1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let path = path(args[0])?;
    ok_bytes(
        p,
        fs::read_link(path).map(|t| t.into_os_string().into_vec()),
    )
}

/// A `#file_info{}` record with POSIX-second times (`prim_file` converts
/// them), or `{error, Posix}`.
fn read_info_nif_2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let path = path(args[0])?;
    let follow = args[1].as_small().ok_or_else(Exception::badarg)? != 0;
    let meta = if follow {
        fs::metadata(&path)
    } else {
        fs::symlink_metadata(&path)
    };
    match meta {
        Ok(m) => {
            let access = Some(access(&path));
            file_info(p, &m, access)
        }
        Err(e) => error(p, &e),
    }
}

/// What the caller may do with the file at `path`, as erts asks it of
/// `access(2)` (so root may write a read-only file).
fn access(path: &std::path::Path) -> &'static str {
    access_name(
        posix::may(path, posix::Access::Read),
        posix::may(path, posix::Access::Write),
    )
}

/// The `access` field's atom.
fn access_name(read: bool, write: bool) -> &'static str {
    match (read, write) {
        (true, true) => "read_write",
        (true, false) => "read",
        (false, true) => "write",
        (false, false) => "none",
    }
}

/// The record `prim_file` expects from `read_info_nif`/`read_handle_info_nif`,
/// `access` its access field (`None`: from the owner's permission bits,
/// for an open file, which has no path to ask about).
pub(crate) fn file_info(
    p: &mut Process,
    m: &fs::Metadata,
    access: Option<&'static str>,
) -> Result<Term, Exception> {
    let ft = m.file_type();
    let kind = if ft.is_file() {
        "regular"
    } else if ft.is_dir() {
        "directory"
    } else if ft.is_symlink() {
        "symlink"
    } else {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_block_device() || ft.is_char_device() {
            "device"
        } else {
            "other"
        }
    };
    let mode = m.mode();
    let access = access.unwrap_or_else(|| access_name(mode & 0o400 != 0, mode & 0o200 != 0));
    // erts' `efile_fileinfo_t`: times no earlier than 1902-01-01
    // (`EFILE_MIN_FILETIME`), and 32-bit fields past the times.
    let time = |t: i64| i128::from(t.max(-2_145_916_800));
    let word = |v: u64| i128::from(v as u32);
    let fields = [
        atom("file_info")?,
        int(&mut p.heap, i128::from(m.size())),
        atom(kind)?,
        atom(access)?,
        int(&mut p.heap, time(m.atime())),
        int(&mut p.heap, time(m.mtime())),
        int(&mut p.heap, time(m.ctime())),
        int(&mut p.heap, i128::from(mode)),
        int(&mut p.heap, word(m.nlink())),
        int(&mut p.heap, word(m.dev())),
        int(&mut p.heap, word(m.rdev())),
        int(&mut p.heap, word(m.ino())),
        int(&mut p.heap, i128::from(m.uid())),
        int(&mut p.heap, i128::from(m.gid())),
    ];
    Ok(p.heap.tuple(&fields))
}

fn make_hard_link_nif_2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let (from, to) = (path(args[0])?, path(args[1])?);
    ok_or_error(p, fs::hard_link(from, to))
}

fn make_soft_link_nif_2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let (from, to) = (path(args[0])?, path(args[1])?);
    ok_or_error(p, std::os::unix::fs::symlink(from, to))
}

fn rename_nif_2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let (from, to) = (path(args[0])?, path(args[1])?);
    ok_or_error(p, fs::rename(from, to))
}

fn make_dir_nif_1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let dir = path(args[0])?;
    use std::os::unix::fs::DirBuilderExt;
    ok_or_error(p, fs::DirBuilder::new().mode(0o777).create(dir))
}

fn del_file_nif_1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let file = path(args[0])?;
    match fs::remove_file(file) {
        // POSIX's answer for a directory, which erts gives on every system
        // (Linux's `unlink` says EISDIR).
        Err(e) if e.raw_os_error() == Some(libc::EISDIR) => errno(p, libc::EPERM),
        r => ok_or_error(p, r),
    }
}

fn del_dir_nif_1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let dir = path(args[0])?;
    ok_or_error(p, fs::remove_dir(dir))
}

fn set_cwd_nif_1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let dir = path(args[0])?;
    ok_or_error(p, std::env::set_current_dir(dir))
}

fn get_cwd_nif_0(p: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    ok_bytes(
        p,
        std::env::current_dir().map(|d| d.into_os_string().into_vec()),
    )
}

fn set_permissions_nif_2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let file = path(args[0])?;
    let mode = args[1].as_small().and_then(|m| u32::try_from(m).ok());
    let mode = mode.ok_or_else(Exception::badarg)?;
    ok_or_error(
        p,
        fs::set_permissions(file, fs::Permissions::from_mode(mode)),
    )
}

/// `chown`; -1 leaves an id as it is.
fn set_owner_nif_3(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let file = path(args[0])?;
    // erts reads C ints and passes them on as `uid_t`/`gid_t`.
    let id = |t: Term| match t.as_small().map(i32::try_from) {
        Some(Ok(-1)) => Ok(None),
        Some(Ok(n)) => Ok(Some(n as u32)),
        _ => Err(Exception::badarg()),
    };
    let (uid, gid) = (id(args[1])?, id(args[2])?);
    ok_or_error(p, std::os::unix::fs::chown(file, uid, gid))
}

/// Access and modification times in POSIX seconds, any signed 64-bit
/// ones as erts takes them (the file system clamps them to its range; a
/// change time cannot be set: the system sets it).
fn set_time_nif_4(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    use std::time::{Duration, SystemTime, UNIX_EPOCH};
    let time = |t: Term| match t.as_int() {
        Some(Int::Small(s)) => Ok(s),
        _ => Err(Exception::badarg()),
    };
    let (accessed, modified) = (time(args[1])?, time(args[2])?);
    time(args[3])?;
    let file = path(args[0])?;
    let at = |s: i64| -> Option<SystemTime> {
        let d = Duration::from_secs(s.unsigned_abs());
        if s >= 0 {
            UNIX_EPOCH.checked_add(d)
        } else {
            UNIX_EPOCH.checked_sub(d)
        }
    };
    let (Some(accessed), Some(modified)) = (at(accessed), at(modified)) else {
        return errno(p, libc::EINVAL);
    };
    let times = fs::FileTimes::new()
        .set_accessed(accessed)
        .set_modified(modified);
    ok_or_error(p, fs::File::open(file).and_then(|f| f.set_times(times)))
}

/// Windows-only operations: `{error, enotsup}` on Unix, as erts.
fn not_supported(p: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    errno(p, libc::ENOTSUP)
}
