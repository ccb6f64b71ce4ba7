//! The two-argument operators of module `erlang` that the loader turns into
//! their own instruction ([`super::Instr::Op2`]), so the interpreter and
//! the JIT's recorder know the operation without looking at the BIF; and
//! the float operations a fused float load names ([`FArith`]).

use std::sync::OnceLock;

use super::operand::FReg;
use super::Instr;
use crate::atom::Atom;
use crate::term::fun::Export;

/// A two-argument operator with an inline small-integer path.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ArithOp {
    /// `+`.
    Add,
    /// `-`.
    Sub,
    /// `*`.
    Mul,
    /// `div`.
    Div,
    /// `rem`.
    Rem,
    /// `band`.
    Band,
    /// `bor`.
    Bor,
    /// `bxor`.
    Bxor,
    /// `bsl`.
    Bsl,
    /// `bsr`.
    Bsr,
    /// `<`.
    Lt,
    /// `>`.
    Gt,
    /// `=<`.
    Le,
    /// `>=`.
    Ge,
    /// `==`.
    Eq,
    /// `/=`.
    Ne,
    /// `=:=`.
    EqExact,
    /// `=/=`.
    NeExact,
}

/// The `live` of an `Op2` made from a `bif2` (which states no live count):
/// it is not a safe point.
pub const NO_LIVE: u16 = u16::MAX;

/// Every operator with its name in module `erlang`.
pub const ARITH_OPS: [(ArithOp, &str); 18] = [
    (ArithOp::Add, "+"),
    (ArithOp::Sub, "-"),
    (ArithOp::Mul, "*"),
    (ArithOp::Div, "div"),
    (ArithOp::Rem, "rem"),
    (ArithOp::Band, "band"),
    (ArithOp::Bor, "bor"),
    (ArithOp::Bxor, "bxor"),
    (ArithOp::Bsl, "bsl"),
    (ArithOp::Bsr, "bsr"),
    (ArithOp::Lt, "<"),
    (ArithOp::Gt, ">"),
    (ArithOp::Le, "=<"),
    (ArithOp::Ge, ">="),
    (ArithOp::Eq, "=="),
    (ArithOp::Ne, "/="),
    (ArithOp::EqExact, "=:="),
    (ArithOp::NeExact, "=/="),
];

impl ArithOp {
    /// The operator that `export` names, if it is `erlang:Op/2` for one of
    /// [`ARITH_OPS`].
    pub fn of_export(export: &Export) -> Option<ArithOp> {
        if export.module != Atom::ERLANG || export.arity != 2 {
            return None;
        }
        let name = export.function.name();
        ARITH_OPS
            .iter()
            .find(|&&(_, n)| *n == *name)
            .map(|&(op, _)| op)
    }

    /// The export entry `erlang:Op/2` (its BIF does what the inline path
    /// does not: bignums, floats, errors).
    pub fn export(self) -> &'static Export {
        static EXPORTS: [OnceLock<&'static Export>; ARITH_OPS.len()] =
            [const { OnceLock::new() }; ARITH_OPS.len()];
        EXPORTS[self as usize].get_or_init(|| {
            let name = ARITH_OPS[self as usize].1;
            let f = Atom::intern(name).unwrap_or(Atom::UNDEFINED);
            Export::get_or_create(Atom::ERLANG, f, 2)
        })
    }
}

/// A float operation, as the loader fuses it with the load before it
/// ([`Instr::fload_arith`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FArith {
    /// `fadd`.
    Add,
    /// `fsub`.
    Sub,
    /// `fmul`.
    Mul,
    /// `fdiv`.
    Div,
}

impl FArith {
    /// The operation of `instr` and its operands `(a, b, dst)`, if it is
    /// `fadd`, `fsub`, `fmul` or `fdiv`.
    pub fn of(instr: &Instr) -> Option<(FArith, FReg, FReg, FReg)> {
        match *instr {
            Instr::Fadd { a, b, dst } => Some((FArith::Add, a, b, dst)),
            Instr::Fsub { a, b, dst } => Some((FArith::Sub, a, b, dst)),
            Instr::Fmul { a, b, dst } => Some((FArith::Mul, a, b, dst)),
            Instr::Fdiv { a, b, dst } => Some((FArith::Div, a, b, dst)),
            _ => None,
        }
    }

    /// The plain instruction doing this operation ([`FArith::of`]'s
    /// inverse).
    pub fn instr(self, a: FReg, b: FReg, dst: FReg) -> Instr {
        match self {
            FArith::Add => Instr::Fadd { a, b, dst },
            FArith::Sub => Instr::Fsub { a, b, dst },
            FArith::Mul => Instr::Fmul { a, b, dst },
            FArith::Div => Instr::Fdiv { a, b, dst },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operator_round_trips_through_its_export() {
        for (i, &(op, _)) in ARITH_OPS.iter().enumerate() {
            assert_eq!(op as usize, i);
            assert_eq!(ArithOp::of_export(op.export()), Some(op));
        }
        let other = Export::get_or_create(Atom::ERLANG, Atom::intern("max").unwrap(), 2);
        assert_eq!(ArithOp::of_export(other), None);
    }
}
