//! `prim_buffer`'s NIFs (erts' `prim_buffer_nif.c`): the mutable byte
//! buffer `prim_file` keeps a raw file's read-ahead in. A buffer is a
//! magic reference owning its bytes; `prim_buffer.erl` is loaded unchanged
//! and its stubs enter these functions.

use std::sync::Arc;

use parking_lot::Mutex;

use enigma_vm::bif::BifEntry;
use enigma_vm::exception::Exception;
use enigma_vm::process::Process;
use enigma_vm::term::magic::Magic;
use enigma_vm::term::Term;

use crate::bif::arg::{entry, index};
use crate::bif::helpers::{atom, iodata_bytes};
use enigma_vm::term::ids::fresh_ref_ids;

/// The `prim_buffer` NIFs.
pub const TABLE: &[BifEntry] = &[
    entry("prim_buffer", "new", 0, new_0),
    entry("prim_buffer", "size", 1, size_1),
    entry("prim_buffer", "peek_head", 1, peek_head_1),
    entry("prim_buffer", "copying_read", 2, copying_read_2),
    entry("prim_buffer", "write", 2, write_2),
    entry("prim_buffer", "skip", 2, skip_2),
    entry("prim_buffer", "find_byte_index", 2, find_byte_index_2),
    entry("prim_buffer", "try_lock", 1, try_lock_1),
    entry("prim_buffer", "unlock", 1, unlock_1),
];

/// The bytes not read yet, and the lock `try_lock/1` takes.
#[derive(Default)]
struct Buffer {
    bytes: Vec<u8>,
    /// How many of `bytes` were read (dropped when the buffer empties).
    read: usize,
    locked: bool,
}

impl Buffer {
    fn unread(&self) -> &[u8] {
        &self.bytes[self.read..]
    }

    /// Drops the first `n` unread bytes (`None` if there are fewer).
    fn skip(&mut self, n: usize) -> Option<()> {
        (n <= self.unread().len()).then_some(())?;
        self.read += n;
        if self.read == self.bytes.len() {
            self.bytes.clear();
            self.read = 0;
        }
        Some(())
    }
}

/// The buffer behind a magic reference (`badarg` for anything else).
fn buffer(t: Term) -> Result<Arc<Magic>, Exception> {
    t.as_magic()
        .filter(|m| m.get::<Mutex<Buffer>>().is_some())
        .ok_or_else(Exception::badarg)
}

/// Runs `f` on the buffer of `t`.
fn with<R>(t: Term, f: impl FnOnce(&mut Buffer) -> R) -> Result<R, Exception> {
    let magic = buffer(t)?;
    let cell = magic.get::<Mutex<Buffer>>().ok_or_else(Exception::badarg)?;
    let mut guard = cell.lock();
    Ok(f(&mut guard))
}

fn new_0(p: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    let magic = Magic::new(Mutex::new(Buffer::default()));
    Ok(p.heap.magic_ref(fresh_ref_ids(), magic))
}

fn size_1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let n = with(args[0], |b| b.unread().len())?;
    Ok(p.heap.int(n as i64))
}

/// The unread bytes as one binary (the buffer keeps them in one piece).
fn peek_head_1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let head = with(args[0], |b| b.unread().to_vec())?;
    Ok(p.heap.binary(&head))
}

fn copying_read_2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let n = index(args[1]).ok_or_else(Exception::badarg)?;
    let bytes = with(args[0], |b| {
        let out = b.unread().get(..n)?.to_vec();
        b.skip(n)?;
        Some(out)
    })?
    .ok_or_else(Exception::badarg)?;
    Ok(p.heap.binary(&bytes))
}

fn write_2(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let bytes = iodata_bytes(args[1]).ok_or_else(Exception::badarg)?;
    with(args[0], |b| b.bytes.extend_from_slice(&bytes))?;
    atom("ok")
}

fn skip_2(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let n = index(args[1]).ok_or_else(Exception::badarg)?;
    with(args[0], |b| b.skip(n))?.ok_or_else(Exception::badarg)?;
    atom("ok")
}

/// `{ok, Index}` of the first `Byte`, or `not_found`.
fn find_byte_index_2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let byte = args[1].as_small().and_then(|b| u8::try_from(b).ok());
    let byte = byte.ok_or_else(Exception::badarg)?;
    match with(args[0], |b| b.unread().iter().position(|&c| c == byte))? {
        Some(i) => {
            let i = p.heap.int(i as i64);
            Ok(p.heap.tuple(&[atom("ok")?, i]))
        }
        None => atom("not_found"),
    }
}

fn try_lock_1(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let acquired = with(args[0], |b| !std::mem::replace(&mut b.locked, true))?;
    atom(if acquired { "acquired" } else { "busy" })
}

fn unlock_1(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    with(args[0], |b| b.locked = false)?;
    atom("ok")
}
