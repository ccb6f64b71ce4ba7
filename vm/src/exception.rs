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
    /// The `cause` of a BIF's `error_info` (BEAM's `EXF_HAS_EXT_INFO`
    /// with `p->fvalue`): an atom's index plus one, 0 for none. A raw
    /// index keeps the struct at two words.
    cause: u32,
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
        Exception {
            class,
            cause: 0,
            reason,
        }
    }

    /// `error:badarg` whose `error_info` names `cause` (`badopt`,
    /// `badtype`, `time`...), as BEAM's BIFs report some bad arguments.
    pub fn badarg_because(cause: &str) -> Exception {
        let cause = Atom::intern(cause).map_or(0, |a| a.index() + 1);
        Exception {
            cause,
            ..Exception::badarg()
        }
    }

    /// The cause given by [`Exception::badarg_because`].
    pub fn cause(&self) -> Option<Atom> {
        self.cause.checked_sub(1).and_then(Atom::from_index)
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
        Exception::new(Class::Exit, reason)
    }

    /// `throw:Value`.
    pub fn throw(value: Term) -> Exception {
        Exception::new(Class::Throw, value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_exception_stays_two_words() {
        // BIFs return `Result<Term, Exception>`: the cause lives in the
        // padding beside the class.
        assert_eq!(std::mem::size_of::<Exception>(), 16);
        assert_eq!(std::mem::size_of::<Result<Term, Exception>>(), 16);
    }

    #[test]
    fn a_cause_reads_back() {
        assert_eq!(Exception::badarg().cause(), None);
        let e = Exception::badarg_because("badopt");
        assert_eq!(e.cause().map(|a| a.name()), Some("badopt"));
        assert_eq!(e.reason, Term::atom(Atom::BADARG));
    }
}
