//! `erlang:load_nif/2`. Enigma runs no native code, so loading a NIF
//! library fails, the way BEAM's does when `dlopen` refuses: a module
//! whose `on_load` falls back on a missing NIF still loads, and one that
//! needs its NIF stays unloaded (its calls raise `undef`). The exceptions
//! are the NIF modules whose NIFs Enigma implements natively (erts'
//! `prim_file`, `prim_buffer`, `prim_socket` and `prim_net` (library
//! `net`), `crypto` and `asn1`'s `asn1rt_nif`:
//! `is_otp_lib`): their stubs already enter the native functions (the
//! loader's native entries), and loading "the library" succeeds. `zlib`'s
//! NIFs are native too (`bif::zlib`); BEAM loads them when `erl_init`
//! calls `zlib:on_load/0` (the module has no `-on_load` attribute), which
//! Enigma's boot does not run, so `load_nif` is never asked for them.

use enigma_vm::bif::BifEntry;
use enigma_vm::exception::Exception;
use enigma_vm::process::Process;
use enigma_vm::term::Term;

use crate::bif::arg::entry;
use crate::bif::helpers::atom;

/// The NIF BIFs.
pub const TABLE: &[BifEntry] = &[entry("erlang", "load_nif", 2, load_nif_2)];

/// The NIF libraries built into Enigma, by the name their modules load.
const NATIVE: &[&str] = &["prim_file", "prim_buffer", "prim_socket", "net"];

/// The OTP NIF libraries Enigma implements: `(application, library)`.
const OTP_LIBS: &[(&str, &str)] = &[("crypto", "crypto"), ("asn1", "asn1rt_nif")];

/// Whether `path` is one of `OTP_LIBS` (`priv/lib/Library` under an
/// `App` or `App-Vsn` application directory), whose NIFs are Enigma's
/// (`bif::crypto`, `bif::asn1`).
fn is_otp_lib(path: &str) -> bool {
    let p = std::path::Path::new(path);
    let app = p
        .parent()
        .and_then(|lib| lib.parent())
        .and_then(|priv_dir| priv_dir.parent())
        .and_then(|app| app.file_name())
        .and_then(|app| app.to_str());
    OTP_LIBS.iter().any(|(a, lib)| {
        p.file_name().is_some_and(|f| f == *lib)
            && app.is_some_and(|app| {
                app == *a || app.strip_prefix(a).is_some_and(|v| v.starts_with('-'))
            })
    })
}

/// `{error, {load_failed, Text}}` with the text BEAM gives for the library
/// `Path ++ ".so"`: `dlopen`'s own when the file is missing.
fn load_nif_2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    // A flat string or a binary.
    let path = match args[0].as_binary() {
        Some(bytes) => String::from_utf8_lossy(bytes).into_owned(),
        None => args[0].as_string().ok_or_else(Exception::badarg)?,
    };
    if path == "prim_socket" {
        crate::bif::socket::loaded(args[1]);
    }
    if NATIVE.contains(&path.as_str()) || is_otp_lib(&path) {
        return atom("ok");
    }
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
