//! Operands of loaded instructions, shaped at load time so the interpreter
//! and the JIT's recorder never decode compact terms.

use crate::term::{Term, TAG_HEADER};

/// The X registers BEAM has (`MAX_REG`); live counts and X operands are
/// below it.
pub const MAX_X_REGS: u32 = 1024;
/// Y registers (stack slots) a frame can address with [`Reg`].
pub const MAX_Y_REGS: u32 = 0x8000;

/// A register: `{x,N}` or `{y,N}`, packed in 16 bits (bit 15 set for Y).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Reg(u16);

impl Reg {
    const Y_BIT: u16 = 0x8000;

    /// `{x,n}`; `n` must be below [`MAX_X_REGS`].
    pub const fn x(n: u16) -> Reg {
        Reg(n)
    }

    /// `{y,n}`; `n` must be below [`MAX_Y_REGS`].
    pub const fn y(n: u16) -> Reg {
        Reg(n | Reg::Y_BIT)
    }

    /// Whether this is a Y register.
    pub const fn is_y(self) -> bool {
        self.0 & Reg::Y_BIT != 0
    }

    /// The register number.
    pub const fn index(self) -> usize {
        (self.0 & !Reg::Y_BIT) as usize
    }

    /// The number of a register known to be an X register (an operand the
    /// loader only makes X: `AddXI`'s destination and the like): no mask
    /// to clear the Y bit.
    #[inline(always)]
    pub const fn x_index(self) -> usize {
        debug_assert!(!self.is_y());
        self.0 as usize
    }
}

impl std::fmt::Debug for Reg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{{{},{}}}",
            if self.is_y() { 'y' } else { 'x' },
            self.index()
        )
    }
}

/// A source operand: a register or a constant term, in one word.
///
/// A constant is the term itself (an immediate, or a pointer into the
/// module's literal area). A register uses the header tag (`00`), which no
/// term a program can hold has: bit 2 says X or Y and the number sits above
/// bit 3. So "is it a register?" is one test of the low two bits.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Src(u64);

/// A decoded [`Src`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SrcKind {
    /// `{x,N}`.
    X(usize),
    /// `{y,N}`.
    Y(usize),
    /// A constant.
    Const(Term),
}

impl Src {
    /// A register source.
    pub const fn reg(r: Reg) -> Src {
        Src(((r.index() as u64) << 3) | if r.is_y() { 0b100 } else { 0 } | TAG_HEADER)
    }

    /// A constant source. `t` must be a real term (never a header word).
    pub const fn constant(t: Term) -> Src {
        Src(t.raw())
    }

    /// The operand word: a constant term, or a register in the header tag
    /// with bit 2 set for Y and the number from bit 3 (the interpreter
    /// decodes it inline).
    #[inline(always)]
    pub const fn raw(self) -> u64 {
        self.0
    }

    /// Whether this is a register.
    pub const fn is_reg(self) -> bool {
        self.0 & 0b11 == TAG_HEADER
    }

    /// The register, if this is one.
    pub const fn as_reg(self) -> Option<Reg> {
        if !self.is_reg() {
            return None;
        }
        let n = (self.0 >> 3) as u16;
        Some(if self.0 & 0b100 != 0 {
            Reg::y(n)
        } else {
            Reg::x(n)
        })
    }

    /// What this operand is.
    pub fn kind(self) -> SrcKind {
        match self.as_reg() {
            Some(r) if r.is_y() => SrcKind::Y(r.index()),
            Some(r) => SrcKind::X(r.index()),
            None => SrcKind::Const(Term::from_raw(self.0)),
        }
    }
}

impl std::fmt::Debug for Src {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.kind() {
            SrcKind::X(n) => write!(f, "{{x,{n}}}"),
            SrcKind::Y(n) => write!(f, "{{y,{n}}}"),
            SrcKind::Const(t) => write!(f, "{t}"),
        }
    }
}

/// A jump target: an instruction index in the module's code.
pub type Target = u32;

/// A failure target: an instruction index, or none (the instruction raises
/// instead of jumping; `{f,0}` in the generic code).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fail(u32);

impl Fail {
    /// No failure label.
    pub const NONE: Fail = Fail(u32::MAX);

    /// Jump to instruction `index` on failure.
    pub const fn to(index: Target) -> Fail {
        Fail(index)
    }

    /// The target, if any.
    pub const fn target(self) -> Option<Target> {
        if self.0 == u32::MAX {
            None
        } else {
            Some(self.0)
        }
    }
}

impl Fail {
    /// The target, or `end` when there is none.
    pub const fn target_or_end(self, end: Target) -> Target {
        if self.0 == u32::MAX {
            end
        } else {
            self.0
        }
    }

    /// The target as stored: a test instruction's always is one in a
    /// loaded module ([`super::Instr::test_fail_mut`]).
    pub const fn raw(self) -> Target {
        self.0
    }
}

impl std::fmt::Debug for Fail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.target() {
            Some(t) => write!(f, "->{t}"),
            None => write!(f, "raise"),
        }
    }
}

/// A float register `{fr,N}`.
pub type FReg = u16;

/// A run of operands in the module's operand side table
/// ([`super::Module::operands`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Span {
    /// Index of the first operand.
    pub start: u32,
    /// Number of operands.
    pub len: u32,
}

impl Span {
    /// The indices it covers.
    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.start as usize + self.len as usize
    }
}

/// What an allocating instruction needs on the heap (`{alloc,[...]}` or a
/// plain word count).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct HeapNeed {
    /// Words.
    pub words: u32,
    /// Floats.
    pub floats: u32,
    /// Funs.
    pub funs: u32,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::atom::Atom;

    #[test]
    fn src_packs_registers_and_constants() {
        assert_eq!(Src::reg(Reg::x(5)).kind(), SrcKind::X(5));
        assert_eq!(Src::reg(Reg::y(1023)).kind(), SrcKind::Y(1023));
        for t in [Term::NIL, Term::small(-7), Term::atom(Atom::TRUE)] {
            assert_eq!(Src::constant(t).kind(), SrcKind::Const(t));
            assert!(!Src::constant(t).is_reg());
        }
        assert_eq!(Src::reg(Reg::y(3)).as_reg(), Some(Reg::y(3)));
    }
}
