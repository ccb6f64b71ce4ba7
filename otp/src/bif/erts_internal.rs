//! BIFs of module `erts_internal` that OTP's libraries call at run time.

use std::cmp::Ordering;

use enigma_vm::atom::Atom;
use enigma_vm::bif::BifEntry;
use enigma_vm::exception::Exception;
use enigma_vm::loader::chunks::module_md5;
use enigma_vm::loader::container::Container;
use enigma_vm::process::Process;
use enigma_vm::term::order::compare_exact;
use enigma_vm::term::Term;

use crate::bif::helpers::binary_bytes;

/// The `erts_internal` BIFs.
pub const TABLE: &[BifEntry] = &[
    BifEntry {
        module: "erts_internal",
        name: "cmp_term",
        arity: 2,
        f: cmp_term_2,
    },
    BifEntry {
        module: "erts_internal",
        name: "beamfile_chunk",
        arity: 2,
        f: beamfile_chunk_2,
    },
    BifEntry {
        module: "erts_internal",
        name: "beamfile_module_md5",
        arity: 1,
        f: beamfile_module_md5_1,
    },
];

/// `-1`, `0` or `1` by exact term order (`1` and `1.0` differ: integers
/// come first).
fn cmp_term_2(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [a, b] = args else {
        return Err(Exception::badarg());
    };
    Ok(Term::small(match compare_exact(*a, *b) {
        Ordering::Less => -1,
        Ordering::Equal => 0,
        Ordering::Greater => 1,
    }))
}

/// The bytes of a `.beam` binary argument (`badarg` for a non-binary).
fn beam_bytes(t: Term) -> Result<Vec<u8>, Exception> {
    binary_bytes(t).ok_or_else(Exception::badarg)
}

/// The data of chunk `Id` (a four-character Latin-1 string) of a `.beam`
/// binary (`code:get_chunk/2`), or `undefined` if the file is malformed or
/// has no such chunk.
fn beamfile_chunk_2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [beam, id] = args else {
        return Err(Exception::badarg());
    };
    let bytes = beam_bytes(*beam)?;
    let id: [u8; 4] = id
        .proper_list()
        .and_then(|cs| {
            cs.iter()
                .map(|c| u8::try_from(c.as_small()?).ok())
                .collect::<Option<Vec<u8>>>()
        })
        .and_then(|v| v.try_into().ok())
        .ok_or_else(Exception::badarg)?;
    match Container::parse(&bytes).ok().and_then(|c| c.get(&id)) {
        Some(chunk) => Ok(p.heap.binary(chunk.data)),
        None => Ok(Term::atom(Atom::UNDEFINED)),
    }
}

/// The module MD5 of a `.beam` binary (`code:module_md5/1`), as
/// `module_info(md5)` reports it once loaded, or `undefined`.
fn beamfile_module_md5_1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [beam] = args else {
        return Err(Exception::badarg());
    };
    let bytes = beam_bytes(*beam)?;
    match Container::parse(&bytes) {
        Ok(c) if c.get(b"Code").is_some() => Ok(p.heap.binary(&module_md5(&c))),
        _ => Ok(Term::atom(Atom::UNDEFINED)),
    }
}
