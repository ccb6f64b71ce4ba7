//! `enigma_io`: the output primitive under Enigma's group leader
//! (`interp/boot/enigma_boot.erl`).
//!
//! Standard input is read by a thread of its own (`start_stdin/0`), which
//! sends each chunk to the io server as a message, so no scheduler blocks
//! on a read.
//!
//! Standard output is a Latin-1 device, as with `erl -noshell` writing to a
//! pipe: characters below 256 are written as one byte, others as
//! `\x{HEX}`, which is what BEAM's `user` io server prints for them.

use std::io::Write;

use enigma_interp::sched;
use enigma_vm::atom::Atom;
use enigma_vm::bif::BifEntry;
use enigma_vm::exception::Exception;
use enigma_vm::process::{Message, Process};
use enigma_vm::term::{Heap, Term};

/// The `enigma_io` BIFs.
pub const TABLE: &[BifEntry] = &[
    BifEntry {
        module: "enigma_io",
        name: "put_chars",
        arity: 2,
        f: put_chars,
    },
    BifEntry {
        module: "enigma_io",
        name: "put_error",
        arity: 2,
        f: put_error,
    },
    BifEntry {
        module: "enigma_io",
        name: "start_stdin",
        arity: 0,
        f: start_stdin,
    },
];

/// The characters of chardata `data` (`unicode`: binaries are UTF-8;
/// `latin1`: binaries are bytes and characters are below 256), walked
/// with an explicit stack.
pub fn chars(data: Term, unicode: bool) -> Option<Vec<u32>> {
    let mut out = Vec::new();
    let mut stack = vec![data];
    while let Some(t) = stack.pop() {
        if let Some((h, tl)) = t.as_cons() {
            stack.push(tl);
            stack.push(h);
        } else if t.is_nil() {
        } else if let Some(c) = t.as_small() {
            let max = if unicode { 0x10FFFF } else { 0xFF };
            if !(0..=max).contains(&c) || (0xD800..0xE000).contains(&c) && unicode {
                return None;
            }
            out.push(c as u32);
        } else if let Some(b) = t.as_binary() {
            if unicode {
                out.extend(std::str::from_utf8(b).ok()?.chars().map(|c| c as u32));
            } else {
                out.extend(b.iter().map(|&c| c as u32));
            }
        } else {
            return None;
        }
    }
    Some(out)
}

/// `enigma_io:put_chars(Encoding, Chardata)`: on standard output.
fn put_chars(_p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    write_to(&mut std::io::stdout().lock(), args)
}

/// `enigma_io:put_error(Encoding, Chardata)`: on standard error (crash
/// reports, `enigma_boot:crash_report/3`).
fn put_error(_p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    write_to(&mut std::io::stderr().lock(), args)
}

/// Writes chardata `args[1]` in encoding `args[0]` to `out`, Latin-1.
fn write_to(out: &mut impl Write, args: &[Term]) -> Result<Term, Exception> {
    let unicode = match args[0].as_atom().map(|a| a.name()) {
        Some("unicode" | "utf8") => true,
        Some("latin1") => false,
        _ => return Err(Exception::badarg()),
    };
    let chars = chars(args[1], unicode).ok_or_else(Exception::badarg)?;
    let mut bytes = Vec::with_capacity(chars.len());
    for c in chars {
        if c < 256 {
            bytes.push(c as u8);
        } else {
            bytes.extend_from_slice(format!("\\x{{{c:X}}}").as_bytes());
        }
    }
    out.write_all(&bytes).map_err(|_| Exception::badarg())?;
    Ok(Term::atom(Atom::OK))
}

/// `enigma_io:start_stdin()`: starts (once) the thread that reads standard
/// input and sends the caller `{enigma_stdin, Bytes}` for each chunk read,
/// then `{enigma_stdin, eof}` at its end (or on a read error).
fn start_stdin(p: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    static STARTED: std::sync::Once = std::sync::Once::new();
    let server = p.pid;
    let tag = Atom::intern("enigma_stdin").map_err(|_| Exception::system_limit())?;
    STARTED.call_once(|| {
        let reader = move || {
            let mut buf = vec![0u8; 64 * 1024];
            let mut stdin = std::io::stdin().lock();
            loop {
                let n = std::io::Read::read(&mut stdin, &mut buf).unwrap_or(0);
                let mut heap = Heap::new();
                let data = if n == 0 {
                    Term::atom(Atom::intern("eof").unwrap_or(Atom::UNDEFINED))
                } else {
                    heap.binary(&buf[..n])
                };
                let msg = heap.tuple(&[Term::atom(tag), data]);
                if let Ok(m) = Message::copy(msg) {
                    sched::deliver(server, m);
                }
                if n == 0 {
                    break;
                }
            }
            sched::external_source(false);
        };
        sched::external_source(true);
        // Without the thread, input requests wait for ever, as on a
        // terminal nobody types at.
        if std::thread::Builder::new()
            .name("stdin".into())
            .spawn(reader)
            .is_err()
        {
            sched::external_source(false);
        }
    });
    Ok(Term::atom(Atom::OK))
}
