//! The generic instruction stream of a `Code` chunk, decoded but not yet
//! translated: what `beam_disasm` shows. The stream ends at `int_code_end`.

use std::ops::Range;

use super::chunks::BeamFile;
use super::compact::{read_operand, Operand, Tables};
use super::error::{ErrorKind, LoadError};
use super::genop::GenOp;
use crate::atom::Atom;

/// One generic instruction.
#[derive(Clone, Debug, PartialEq)]
pub struct GenInstr {
    /// The opcode.
    pub op: GenOp,
    /// Its operands, `op.arity()` of them.
    pub args: Vec<Operand>,
    /// File offset of the opcode byte.
    pub offset: usize,
}

/// Decodes the whole instruction stream of `file`, up to and excluding
/// `int_code_end`.
pub fn decode(file: &BeamFile) -> Result<Vec<GenInstr>, LoadError> {
    decode_inner(file).map_err(|e| e.in_module(file.module.name()))
}

fn decode_inner(file: &BeamFile) -> Result<Vec<GenInstr>, LoadError> {
    let tables = Tables {
        atoms: &file.atoms,
        literals: file.literals.entries.len(),
        types: file.types.as_ref().map(Vec::len),
    };
    let mut c = file.code.code.cursor();
    let mut out = Vec::new();
    loop {
        let offset = c.offset();
        let n = c.u8()?;
        let op =
            GenOp::from_number(n).ok_or_else(|| c.error_at(offset, ErrorKind::UnknownOpcode(n)))?;
        if u32::from(n) > file.code.max_opcode {
            return Err(c.error_at(
                offset,
                ErrorKind::Malformed(format!(
                    "opcode {n} above the declared maximum {}",
                    file.code.max_opcode
                )),
            ));
        }
        if op.is_obsolete() {
            return Err(c.error_at(offset, ErrorKind::ObsoleteOpcode(op.name())));
        }
        if op == GenOp::IntCodeEnd {
            return Ok(out);
        }
        let mut args = Vec::with_capacity(op.arity());
        for _ in 0..op.arity() {
            args.push(read_operand(&mut c, &tables)?);
        }
        out.push(GenInstr { op, args, offset });
    }
}

/// A function of the generic stream, split the way `beam_disasm` splits it:
/// the labels and `line`s just before a `func_info` belong to its function.
#[derive(Clone, Debug, PartialEq)]
pub struct GenFunction {
    /// Name, from `func_info`.
    pub name: Atom,
    /// Arity, from `func_info`.
    pub arity: u32,
    /// Its instructions' indices in the stream.
    pub instrs: Range<usize>,
}

/// Splits a decoded stream into functions. Instructions before the first
/// function's leading labels are an error, as is a malformed `func_info`.
pub fn functions(file: &BeamFile, code: &[GenInstr]) -> Result<Vec<GenFunction>, LoadError> {
    let bad = |i: &GenInstr, why: &str| {
        LoadError::new(
            file.code.code.id,
            i.offset,
            ErrorKind::BadInstruction {
                op: i.op.name(),
                why: why.into(),
            },
        )
        .in_module(file.module.name())
    };
    let mut heads = Vec::new();
    for (i, ins) in code.iter().enumerate() {
        if ins.op != GenOp::FuncInfo {
            continue;
        }
        let (name, arity) = match ins.args.as_slice() {
            [Operand::Atom(_), Operand::Atom(f), Operand::U(a)] => {
                (*f, u32::try_from(*a).map_err(|_| bad(ins, "arity"))?)
            }
            _ => return Err(bad(ins, "expected module, name, arity")),
        };
        let mut start = i;
        while start > 0 && matches!(code[start - 1].op, GenOp::Label | GenOp::Line) {
            start -= 1;
        }
        heads.push((start, name, arity));
    }
    if let Some(first) = code.first() {
        if heads.first().is_none_or(|h| h.0 != 0) {
            return Err(bad(first, "code outside any function"));
        }
    }
    let mut out = Vec::with_capacity(heads.len());
    for (k, &(start, name, arity)) in heads.iter().enumerate() {
        let end = heads.get(k + 1).map_or(code.len(), |h| h.0);
        out.push(GenFunction {
            name,
            arity,
            instrs: start..end,
        });
    }
    Ok(out)
}
