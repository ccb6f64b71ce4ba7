//! `erlang:load_nif/2`. Enigma runs no native code, so loading a NIF
//! library always fails, the way BEAM's does when `dlopen` refuses: a
//! module whose `on_load` falls back on a missing NIF still loads, and one
//! that needs its NIF stays unloaded (its calls raise `undef`).

use enigma_vm::bif::BifEntry;
use enigma_vm::exception::Exception;
use enigma_vm::process::Process;
use enigma_vm::term::Term;

use crate::bif::arg::entry;
use crate::bif::helpers::atom;

/// The NIF BIFs.
pub const TABLE: &[BifEntry] = &[entry("erlang", "load_nif", 2, load_nif_2)];

/// `{error, {load_failed, Text}}` with the text BEAM gives for the library
/// `Path ++ ".so"`: `dlopen`'s own when the file is missing.
fn load_nif_2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let mut path = String::new();
    chardata(args[0], &mut path).ok_or_else(Exception::badarg)?;
    let file = format!("{path}.so");
    let why = if std::path::Path::new(&file).exists() {
        "Enigma does not load native code"
    } else {
        "cannot open shared object file: No such file or directory"
    };
    // dlopen's message is a C string: its UTF-8 bytes, one per element.
    let bytes: Vec<Term> = format!("Failed to load NIF library: '{file}: {why}'")
        .bytes()
        .map(|b| Term::small(i64::from(b)))
        .collect();
    let text = p.heap.list(&bytes);
    let reason = p.heap.tuple(&[atom("load_failed")?, text]);
    Ok(p.heap.tuple(&[atom("error")?, reason]))
}

/// Appends the characters of `t`, a flat list of characters or a binary,
/// to `out`; `None` if `t` is not such data.
fn chardata(t: Term, out: &mut String) -> Option<()> {
    if let Some(bytes) = t.as_binary() {
        out.push_str(&String::from_utf8_lossy(bytes));
        return Some(());
    }
    for c in t.proper_list()? {
        out.push(char::from_u32(u32::try_from(c.as_small()?).ok()?)?);
    }
    Some(())
}
