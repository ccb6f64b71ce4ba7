//! BEAM's `trace_file_drv`, the driver `dbg:trace_port(file, File)`
//! opens (`open_port({spawn, "trace_file_drv n File"}, [eof])`): a port
//! that writes each trace message sent to it (it is a tracer:
//! `erlang:trace/3` with `{tracer, Port}`) to `File` as
//! `<<0, Size:32, (term_to_binary(Msg))/binary>>`, the format
//! `dbg:trace_client(file, File)` reads back. Wrap logs (`"w ..."`) are
//! not made: such a port is refused as the spawn of a missing program.
//!
//! Each message is written when it is sent (no buffer to lose when the
//! VM halts, and the file is whole once `port_close` returns, which
//! `fprof` counts on before it reads it).

use std::fs::File;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock};

use ahash::AHashMap;
use enigma_vm::term::Term;

use super::{add_port, NEXT_PORT};
use crate::sched;

/// The open trace files, by port number.
fn files() -> MutexGuard<'static, AHashMap<u64, File>> {
    static FILES: OnceLock<Mutex<AHashMap<u64, File>>> = OnceLock::new();
    FILES
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner())
}

/// Whether a trace file port was ever opened: a port's close looks in
/// the table only then.
static EVER: AtomicBool = AtomicBool::new(false);

/// The driver's name, as the spawn command starts with it.
pub(super) const DRIVER: &str = "trace_file_drv ";

/// Opens the port of command `command` (`"trace_file_drv n File"`)
/// connected to (and linked with) `owner`; `None` for another command
/// (a wrap log) or a file that cannot be created.
pub(super) fn open(owner: Term, command: &str) -> Option<Term> {
    let name = command.strip_prefix(DRIVER)?.strip_prefix("n ")?;
    let file = File::create(name).ok()?;
    let number = NEXT_PORT.fetch_add(1, Ordering::Relaxed);
    EVER.store(true, Ordering::Relaxed);
    files().insert(number, file);
    sched::with(|s| add_port(s, number, command, owner, None));
    Some(Term::port(number))
}

/// Writes trace message `encoded` (`term_to_binary`'s bytes) to trace
/// port `number`'s file; false if it is no open trace port (its tracing
/// stops).
pub(crate) fn write(number: u64, encoded: &[u8]) -> bool {
    let mut files = files();
    let Some(f) = files.get_mut(&number) else {
        return false;
    };
    let mut framed = Vec::with_capacity(encoded.len() + 5);
    framed.push(0);
    framed.extend_from_slice(&(encoded.len() as u32).to_be_bytes());
    framed.extend_from_slice(encoded);
    // A write error (a full disk) loses the message, as the driver's.
    let _ = f.write_all(&framed);
    true
}

/// Whether port `number` is an open trace port.
pub(crate) fn is_open(number: u64) -> bool {
    EVER.load(Ordering::Relaxed) && files().contains_key(&number)
}

/// Port `number` closed: its file is closed if it was a trace port's.
pub(super) fn closed(number: u64) {
    if EVER.load(Ordering::Relaxed) {
        files().remove(&number);
    }
}
