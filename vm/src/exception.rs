//! Erlang exceptions as the runtime passes them around: a class and a
//! reason term. Stack traces are attached by the interpreter when it unwinds
//! (it knows the code positions); a BIF only says what went wrong.

use crate::atom::Atom;
use crate::term::Term;

/// The class of an exception.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    /// `error:Reason`.
    Error,
    /// `exit:Reason`.
    Exit,
    /// `throw:Reason`.
    Throw,
}

impl Class {
    /// The class as Erlang names it.
    pub fn atom(self) -> Atom {
        match self {
            Class::Error => Atom::ERROR,
            Class::Exit => Atom::EXIT_CLASS,
            Class::Throw => Atom::THROW,
        }
    }
}

/// An exception on its way out of a BIF or an instruction. The reason
/// term lives on the heap of the process that raises it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Exception {
    /// The class.
    pub class: Class,
    /// The reason (the thrown value for `throw`).
    pub reason: Term,
}

impl Exception {
    /// `error:Reason`.
    pub fn error(reason: Term) -> Exception {
        Exception::new(Class::Error, reason)
    }

    /// An exception of `class` with `reason`, without a cause.
    pub fn new(class: Class, reason: Term) -> Exception {
        Exception { class, reason }
    }

    /// `error:badarg`, the error of a BIF called with wrong arguments.
    pub fn badarg() -> Exception {
        Exception::error(Term::atom(Atom::BADARG))
    }

    /// `error:badarith`.
    pub fn badarith() -> Exception {
        Exception::error(Term::atom(Atom::BADARITH))
    }

    /// `error:system_limit`.
    pub fn system_limit() -> Exception {
        Exception::error(Term::atom(Atom::SYSTEM_LIMIT))
    }

    /// `exit:Reason`.
    pub fn exit(reason: Term) -> Exception {
        Exception {
            class: Class::Exit,
            reason,
        }
    }

    /// `throw:Value`.
    pub fn throw(value: Term) -> Exception {
        Exception {
            class: Class::Throw,
            reason: value,
        }
    }
}
