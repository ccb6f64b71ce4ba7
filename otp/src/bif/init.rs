//! `init`'s functions that OTP's libraries ask while Enigma runs without
//! booting `init` (`enigma run`): the `-Flag Values` arguments are those
//! `erl -noshell` gives its programs (`root`, `bindir`, `progname`,
//! `home`, `noshell`), then those of `enigma run`'s command line (`-pa`,
//! `-pz`, `-config` and the user's own `-Flag Values`, in their order);
//! the plain arguments are those after `-extra`. `init`'s process is a stand-in (`enigma_kernel:init/0`):
//! `stop/0,1`, `reboot/0` and `restart/0` send it `{stop, How}` as
//! `init.erl` does, and first tell the scheduler that the system is
//! stopping, so that the VM ends at that stop's `halt` even if the caller
//! is the main process and returns at once.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use enigma_interp::sched;
use enigma_vm::atom::Atom;
use enigma_vm::bif::BifEntry;
use enigma_vm::exception::Exception;
use enigma_vm::process::{Message, Process};
use enigma_vm::term::Term;
use ibig::IBig;

/// The `init` functions.
pub const TABLE: &[BifEntry] = &[
    BifEntry {
        module: "init",
        name: "get_arguments",
        arity: 0,
        f: get_arguments_0,
    },
    BifEntry {
        module: "init",
        name: "get_argument",
        arity: 1,
        f: get_argument_1,
    },
    BifEntry {
        module: "init",
        name: "get_plain_arguments",
        arity: 0,
        f: get_plain_arguments_0,
    },
    BifEntry {
        module: "init",
        name: "stop",
        arity: 0,
        f: stop_0,
    },
    BifEntry {
        module: "init",
        name: "stop",
        arity: 1,
        f: stop_1,
    },
    BifEntry {
        module: "init",
        name: "reboot",
        arity: 0,
        f: reboot_0,
    },
    BifEntry {
        module: "init",
        name: "restart",
        arity: 0,
        f: restart_0,
    },
];

/// One `-Flag Values` occurrence of the command line.
type Argument = (String, Vec<String>);

/// The `-Flag Values` arguments, and the plain ones.
static ARGUMENTS: OnceLock<(Vec<Argument>, Vec<String>)> = OnceLock::new();

/// Records the arguments `erl` would have for a run of the OTP
/// installation at `root` with the command line's `flags` (in their
/// order) and `plain` arguments (after `-extra`).
pub fn set_arguments(root: &Path, flags: &[Argument], plain: &[String]) {
    let text = |p: &Path| p.to_string_lossy().into_owned();
    let mut args: Vec<Argument> = vec![("root".into(), vec![text(root)])];
    if let Some(bin) = erts_bin(root) {
        args.push(("bindir".into(), vec![text(&bin)]));
    }
    args.push(("progname".into(), vec!["erl".to_owned()]));
    if let Ok(home) = std::env::var("HOME") {
        args.push(("home".into(), vec![home]));
    }
    args.push(("noshell".into(), Vec::new()));
    args.extend_from_slice(flags);
    let _ = ARGUMENTS.set((args, plain.to_vec()));
}

/// `ROOT/erts-VSN/bin`, the emulator's directory (the newest if several).
fn erts_bin(root: &Path) -> Option<PathBuf> {
    let mut erts: Vec<PathBuf> = std::fs::read_dir(root)
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("erts-"))
        })
        .collect();
    erts.sort();
    erts.pop().map(|d| d.join("bin"))
}

fn arguments() -> &'static [Argument] {
    ARGUMENTS.get().map(|(a, _)| a.as_slice()).unwrap_or(&[])
}

fn strings(p: &mut Process, values: &[String]) -> Term {
    let terms: Vec<Term> = values.iter().map(|v| p.heap.string(v)).collect();
    p.heap.list(&terms)
}

fn get_arguments_0(p: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    let mut pairs = Vec::new();
    for (flag, values) in arguments() {
        let flag = Atom::intern(flag).map_err(|_| Exception::system_limit())?;
        let values = strings(p, values);
        pairs.push(p.heap.tuple(&[Term::atom(flag), values]));
    }
    Ok(p.heap.list(&pairs))
}

/// `{ok, [Values, ...]}`, one list per occurrence, or `error`.
fn get_argument_1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let flag = args[0].as_atom().ok_or_else(Exception::badarg)?;
    let found: Vec<Term> = arguments()
        .iter()
        .filter(|(f, _)| *f == flag.name())
        .map(|(_, values)| strings(p, values))
        .collect();
    if found.is_empty() {
        return Ok(Term::atom(Atom::ERROR));
    }
    let occurrences = p.heap.list(&found);
    Ok(p.heap.tuple(&[Term::atom(Atom::OK), occurrences]))
}

fn get_plain_arguments_0(p: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    let plain = ARGUMENTS.get().map(|(_, p)| p.as_slice()).unwrap_or(&[]);
    Ok(strings(p, plain))
}

/// `init:stop/0`: the system stops, exit status 0.
fn stop_0(_: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    send_stop(atom("stop")?)
}

/// `init:stop(Status)`: a non-negative integer or a byte list (the
/// `halt/1` slogan), else `badarg`.
fn stop_1(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let status = args[0];
    let ok = if let Some(n) = status.as_small() {
        n >= 0
    } else if let Some(n) = status.as_bignum() {
        n >= IBig::from(0u8)
    } else {
        is_byte_list(status)
    };
    if !ok {
        return Err(Exception::badarg());
    }
    let mut m = Message::copy(status).map_err(|_| Exception::badarg())?;
    m.term = m.fragment.tuple(&[atom("stop")?, m.term]);
    send_stop_message(m)
}

fn reboot_0(_: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    send_stop(atom("reboot")?)
}

fn restart_0(_: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    send_stop(atom("restart")?)
}

fn is_byte_list(mut t: Term) -> bool {
    while let Some((h, tail)) = t.as_cons() {
        if !h.as_small().is_some_and(|b| (0..=255).contains(&b)) {
            return false;
        }
        t = tail;
    }
    t == Term::NIL
}

fn atom(name: &str) -> Result<Term, Exception> {
    Atom::intern(name)
        .map(Term::atom)
        .map_err(|_| Exception::system_limit())
}

/// Sends `{stop, How}` to the registered `init`; `ok`.
fn send_stop(how: Term) -> Result<Term, Exception> {
    let m = Message::copy(how).map_err(|_| Exception::badarg())?;
    send_stop_message(m)
}

/// Sends `{stop, M}` to the registered `init` (if there is none, the
/// message is lost, as a send to a name that is not registered would
/// fail in `init.erl`); `ok`.
fn send_stop_message(mut m: Message) -> Result<Term, Exception> {
    m.term = m.fragment.tuple(&[atom("stop")?, m.term]);
    let init = Atom::intern("init").map_err(|_| Exception::system_limit())?;
    if let Some(pid) = sched::whereis(init) {
        sched::stop_pending();
        sched::deliver(pid, m);
    }
    Ok(Term::atom(Atom::OK))
}
