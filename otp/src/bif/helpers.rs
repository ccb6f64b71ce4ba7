//! Small argument and result helpers shared by the BIFs of this branch.

use enigma_vm::atom::Atom;
use enigma_vm::exception::Exception;
use enigma_vm::term::{Heap, Kind, Term};

/// The atom `name` as a term (`system_limit` if the atom table is full).
pub fn atom(name: &str) -> Result<Term, Exception> {
    Atom::intern(name)
        .map(Term::atom)
        .map_err(|_| Exception::system_limit())
}

/// Is `t` the atom named `name`?
pub fn is_atom(t: Term, name: &str) -> bool {
    t.as_atom().is_some_and(|a| a.name() == name)
}

/// An integer term from an `i128` (small or bignum).
pub fn int(heap: &mut Heap, v: i128) -> Term {
    match i64::try_from(v) {
        Ok(v) => heap.int(v),
        Err(_) => heap.big(&ibig::IBig::from(v)),
    }
}

/// The bytes of an iolist or binary (`None` if `t` is not iodata). Deep
/// lists are walked with an explicit stack.
pub fn iodata_bytes(t: Term) -> Option<Vec<u8>> {
    deep_bytes(t, |c, out| {
        out.push(u8::try_from(c).ok()?);
        Some(())
    })
}

/// The bytes of a binary or a deep list of binaries and small integers,
/// each integer written by `put` (`None` for any other shape, or when
/// `put` refuses an integer).
pub fn deep_bytes(
    t: Term,
    mut put: impl FnMut(i64, &mut Vec<u8>) -> Option<()>,
) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut stack = vec![t];
    while let Some(t) = stack.pop() {
        match t.kind() {
            Kind::Binary => out.extend_from_slice(&binary_bytes(t)?),
            Kind::Nil => {}
            Kind::List => {
                let (h, tl) = t.as_cons()?;
                if !matches!(tl.kind(), Kind::List | Kind::Nil | Kind::Binary) {
                    return None;
                }
                stack.push(tl);
                match h.kind() {
                    Kind::Small => put(h.small_value(), &mut out)?,
                    Kind::Binary | Kind::List | Kind::Nil => stack.push(h),
                    _ => return None,
                }
            }
            _ => return None,
        }
    }
    Some(out)
}

/// An integer term's value as a bignum, or `None`.
pub fn to_ibig(t: Term) -> Option<ibig::IBig> {
    match t.as_small() {
        Some(v) => Some(ibig::IBig::from(v)),
        None => t.as_bignum(),
    }
}

/// The bytes of a binary, aligned or not (`None` for a bitstring with
/// trailing bits or a non-binary).
pub fn binary_bytes(t: Term) -> Option<Vec<u8>> {
    let bits = t.as_bits()?;
    bits.bit_size.is_multiple_of(8).then(|| bits.to_vec())
}
