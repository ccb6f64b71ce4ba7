//! `init`'s functions that OTP's libraries ask while Enigma runs without
//! booting `init` (`enigma run`): the command line has no emulator flags,
//! plain arguments or `-Flag Values` pairs.

use enigma_vm::atom::Atom;
use enigma_vm::bif::BifEntry;
use enigma_vm::exception::Exception;
use enigma_vm::process::Process;
use enigma_vm::term::Term;

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
        f: get_arguments_0,
    },
];

fn get_arguments_0(_: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    Ok(Term::NIL)
}

fn get_argument_1(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    if args[0].as_atom().is_none() {
        return Err(Exception::badarg());
    }
    Ok(Term::atom(Atom::ERROR))
}
