//! Binaries as lists and sizes: `binary_to_list/1,3`,
//! `bitstring_to_list/1`, `list_to_binary/1`, `list_to_bitstring/1`,
//! `iolist_to_binary/1`, `iolist_size/1`, `split_binary/2`,
//! `binary_part/2,3`, `byte_size/1`, `bit_size/1`.

use enigma_vm::bif::{BifEntry, BifFn};
use enigma_vm::exception::Exception;
use enigma_vm::process::Process;
use enigma_vm::term::Term;

use crate::bif::arg::{arity, entry, index};
use crate::bif::binary::{part_range, range};
use crate::bif::num_text::binary_bytes;

/// The binary BIFs.
pub const TABLE: &[BifEntry] = &[
    e("binary_to_list", 1, binary_to_list),
    e("binary_to_list", 3, binary_to_list_range),
    e("bitstring_to_list", 1, bitstring_to_list),
    e("list_to_binary", 1, list_to_binary),
    e("list_to_bitstring", 1, list_to_bitstring),
    e("binary_part", 2, binary_part2),
    e("binary_part", 3, binary_part3),
    e("iolist_to_binary", 1, iolist_to_binary),
    e("iolist_size", 1, iolist_size),
    e("split_binary", 2, split_binary),
    e("byte_size", 1, byte_size),
    e("bit_size", 1, bit_size),
];

const fn e(name: &'static str, arity: u32, f: BifFn) -> BifEntry {
    entry("erlang", name, arity, f)
}

/// Bytes `binary_to_list` and `list_to_binary`/`iolist_to_binary` copy
/// per reduction (BEAM's `ERTS_B2L_BYTES_PER_REDUCTION` and
/// `ERTS_IOLIST_TO_BUF_BYTES_PER_RED`, both 256).
const BYTES_PER_RED: usize = 256;

fn bytes_to_list(p: &mut Process, bytes: &[u8]) -> Term {
    p.charge(bytes.len() / BYTES_PER_RED);
    let items: Vec<Term> = bytes.iter().map(|&b| Term::small(i64::from(b))).collect();
    p.heap.list(&items)
}

fn binary_to_list(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [b] = arity(args)?;
    let bytes = binary_bytes(b).map_err(|_| Exception::badarg())?;
    Ok(bytes_to_list(p, &bytes))
}

fn binary_to_list_range(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [b, start, stop] = arity(args)?;
    // The whole bytes of a bitstring, as `binary_part/3` takes them.
    let bits = b.as_bits().ok_or_else(Exception::badarg)?;
    let whole = bits.bit_size / 8;
    match (index(start), index(stop)) {
        (Some(i), Some(j)) if 1 <= i && i <= j && j <= whole => {
            let bytes: Vec<u8> = (i - 1..j).map(|k| bits.byte(k)).collect();
            Ok(bytes_to_list(p, &bytes))
        }
        _ => Err(Exception::badarg()),
    }
}

fn bitstring_to_list(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [b] = arity(args)?;
    let bits = b.as_bits().ok_or_else(Exception::badarg)?;
    let whole = bits.bit_size / 8;
    let rest = bits.bit_size % 8;
    let mut items: Vec<Term> = (0..whole)
        .map(|i| Term::small(i64::from(bits.byte(i))))
        .collect();
    if rest != 0 {
        items.push(p.heap.sub_binary(b, whole * 8, rest));
    }
    Ok(p.heap.list(&items))
}

/// A leaf of an iolist: a byte or a bitstring.
enum Leaf {
    Byte(u8),
    Bits(Term),
}

/// Walks an iolist (bytes, bitstrings and nested lists, with `[]` or a
/// bitstring as any tail) with an explicit stack, handing each leaf to
/// `out`; `badarg` on anything else.
fn walk(t: Term, out: &mut impl FnMut(Leaf) -> Result<(), Exception>) -> Result<(), Exception> {
    let mut stack = vec![t];
    while let Some(x) = stack.pop() {
        if x.is_nil() {
            continue;
        }
        if let Some((head, tail)) = x.as_cons() {
            stack.push(tail);
            if let Some(v) = head.as_small() {
                out(Leaf::Byte(
                    u8::try_from(v).map_err(|_| Exception::badarg())?,
                ))?;
            } else if head.is_list() || head.is_nil() {
                stack.push(head);
            } else if head.is_bitstring() {
                out(Leaf::Bits(head))?;
            } else {
                return Err(Exception::badarg());
            }
        } else if x.is_bitstring() {
            out(Leaf::Bits(x))?;
        } else {
            return Err(Exception::badarg());
        }
    }
    Ok(())
}

/// Walks an iolist whose binaries are all whole bytes, handing each run
/// of bytes to `out`.
fn walk_iolist(t: Term, out: &mut impl FnMut(&[u8])) -> Result<(), Exception> {
    walk(t, &mut |leaf| {
        match leaf {
            Leaf::Byte(b) => out(&[b]),
            Leaf::Bits(b) => out(&binary_bytes(b).map_err(|_| Exception::badarg())?),
        }
        Ok(())
    })
}

/// An iolist's bytes.
fn iolist_bytes(t: Term) -> Result<Vec<u8>, Exception> {
    let mut bytes = Vec::new();
    walk_iolist(t, &mut |b| bytes.extend_from_slice(b))?;
    Ok(bytes)
}

/// The element of `[Bin]`, a list of one bitstring (of whole bytes
/// unless `bits`), which BEAM's `list_to_binary/1`, `iolist_to_binary/1`
/// and `list_to_bitstring/1` (and `unicode:characters_to_binary/2`)
/// return as it is, not copied (so a small
/// piece of a large binary still references it).
pub(crate) fn lone_binary(l: Term, bits: bool) -> Option<Term> {
    let (head, tail) = l.as_cons()?;
    let fits = head
        .bitstring_size()
        .is_some_and(|n| bits || n.is_multiple_of(8));
    (tail.is_nil() && fits).then_some(head)
}

/// `erlang:list_to_binary/1` (also `binary:list_to_bin/1`).
pub(crate) fn list_to_binary(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [l] = arity(args)?;
    if !(l.is_list() || l.is_nil()) {
        return Err(Exception::badarg());
    }
    if let Some(b) = lone_binary(l, false) {
        return Ok(b);
    }
    let bytes = iolist_bytes(l)?;
    p.charge(bytes.len() / BYTES_PER_RED);
    Ok(p.heap.binary(&bytes))
}

/// Bits appended one bitstring at a time.
#[derive(Default)]
struct BitWriter {
    bytes: Vec<u8>,
    bits: usize,
}

impl BitWriter {
    fn push_bit(&mut self, bit: bool) {
        if self.bits.is_multiple_of(8) {
            self.bytes.push(0);
        }
        if bit {
            let last = self.bytes.len() - 1;
            self.bytes[last] |= 0x80 >> (self.bits % 8);
        }
        self.bits += 1;
    }

    fn push(&mut self, leaf: Leaf) {
        match leaf {
            Leaf::Byte(b) if self.bits.is_multiple_of(8) => {
                self.bytes.push(b);
                self.bits += 8;
            }
            Leaf::Byte(b) => (0..8).for_each(|i| self.push_bit(b & (0x80 >> i) != 0)),
            Leaf::Bits(t) => {
                let Some(bits) = t.as_bits() else { return };
                match bits.as_bytes() {
                    Some(whole) if self.bits.is_multiple_of(8) => {
                        self.bytes.extend_from_slice(whole);
                        self.bits += whole.len() * 8;
                    }
                    _ => (0..bits.bit_size).for_each(|i| self.push_bit(bits.bit(i))),
                }
            }
        }
    }
}

fn list_to_bitstring(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [l] = arity(args)?;
    if !(l.is_list() || l.is_nil()) {
        return Err(Exception::badarg());
    }
    if let Some(b) = lone_binary(l, true) {
        return Ok(b);
    }
    let mut w = BitWriter::default();
    walk(l, &mut |leaf| {
        w.push(leaf);
        Ok(())
    })?;
    Ok(p.heap.bitstring(&w.bytes, w.bits))
}

/// The whole bytes of a bitstring argument of `binary_part/2,3`.
fn whole_bytes(b: Term) -> Result<usize, Exception> {
    b.as_bits()
        .map(|bits| bits.bit_size / 8)
        .ok_or_else(Exception::badarg)
}

/// `binary_part/2` (and `binary:part/2`).
pub(crate) fn binary_part2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [b, spec] = arity(args)?;
    let size = whole_bytes(b)?;
    let (start, end) = part_range(spec, size)?;
    Ok(p.heap.sub_binary(b, start * 8, (end - start) * 8))
}

/// `binary_part/3` (and `binary:part/3`).
pub(crate) fn binary_part3(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [b, pos, len] = arity(args)?;
    let size = whole_bytes(b)?;
    let (start, end) = range(pos, len, size)?;
    Ok(p.heap.sub_binary(b, start * 8, (end - start) * 8))
}

fn iolist_to_binary(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [l] = arity(args)?;
    if l.is_bitstring() {
        return binary_bytes(l).map(|_| l).map_err(|_| Exception::badarg());
    }
    if !(l.is_list() || l.is_nil()) {
        return Err(Exception::badarg());
    }
    if let Some(b) = lone_binary(l, false) {
        return Ok(b);
    }
    let bytes = iolist_bytes(l)?;
    p.charge(bytes.len() / BYTES_PER_RED);
    Ok(p.heap.binary(&bytes))
}

fn iolist_size(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [l] = arity(args)?;
    if !(l.is_list() || l.is_nil() || l.is_bitstring()) {
        return Err(Exception::badarg());
    }
    let mut n: u64 = 0;
    walk_iolist(l, &mut |b| n += b.len() as u64)?;
    Ok(p.heap.int(n as i64))
}

fn split_binary(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [b, n] = arity(args)?;
    let bits = b.as_bits().ok_or_else(Exception::badarg)?;
    let at = match index(n) {
        Some(at) if at * 8 <= bits.bit_size => at * 8,
        _ => return Err(Exception::badarg()),
    };
    let first = p.heap.sub_binary(b, 0, at);
    let second = p.heap.sub_binary(b, at, bits.bit_size - at);
    Ok(p.heap.tuple(&[first, second]))
}

fn byte_size(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [b] = arity(args)?;
    let bits = b.as_bits().ok_or_else(Exception::badarg)?;
    Ok(Term::small(bits.bit_size.div_ceil(8) as i64))
}

fn bit_size(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [b] = arity(args)?;
    let bits = b.as_bits().ok_or_else(Exception::badarg)?;
    Ok(Term::small(bits.bit_size as i64))
}
