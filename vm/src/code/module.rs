//! One loaded version of a module: its code, side tables and metadata.

use std::borrow::Cow;

use ahash::AHashMap;

use super::instr::{Instr, SelectTable};
use super::operand::{Reg, Src, Target};
use crate::atom::Atom;
use crate::loader::chunks::{LineTable, TypeEntry};
use crate::loader::literals::LiteralArea;
use crate::term::fun::{Export, FunEntry};

/// A function of the module.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FunctionInfo {
    /// Name.
    pub name: Atom,
    /// Arity.
    pub arity: u32,
    /// Index of its [`Instr::FuncInfo`] (where `function_clause` is raised).
    pub func_info: Target,
    /// Index of its first instruction after `func_info`.
    pub entry: Target,
}

/// A lambda of the module (`FunT`).
#[derive(Clone, Copy, Debug)]
pub struct LambdaInfo {
    /// The global fun entry.
    pub entry: &'static FunEntry,
    /// Where its code starts.
    pub code: Target,
}

/// A loaded module version. Immutable once built; the module table shares
/// it between processes.
pub struct Module {
    /// Module name.
    pub name: Atom,
    /// The MD5 of the module's significant chunks (`module_info(md5)`).
    pub md5: [u8; 16],
    /// The instructions. The loader guarantees what the interpreter's
    /// unchecked instruction cursor relies on: the last one is
    /// [`Instr::CodeEnd`], and every position it stores (jump and fail
    /// targets, select tables, function entries, exports, lambdas) is an
    /// index below the length.
    pub code: Vec<Instr>,
    /// Operand lists that instructions refer to with a [`super::Span`].
    pub operands: Vec<Src>,
    /// Jump tables of `select_val` / `select_tuple_arity`.
    pub selects: Vec<SelectTable>,
    /// Functions in code order.
    pub functions: Vec<FunctionInfo>,
    /// Function index by name and arity.
    pub function_index: AHashMap<(Atom, u32), u32>,
    /// Exported functions and their entry points.
    pub exports: Vec<(&'static Export, Target)>,
    /// Imports, by import index.
    pub imports: Vec<&'static Export>,
    /// Lambdas, by `FunT` index.
    pub lambdas: Vec<LambdaInfo>,
    /// The function to run after loading (`-on_load`), by function index.
    pub on_load: Option<u32>,
    /// `(instruction index, location)` sorted by index: the location of
    /// every instruction from that index until the next entry. Location 0
    /// is unknown, others index [`LineTable::locations`] from 1.
    pub line_marks: Vec<(Target, u32)>,
    /// `(instruction index, register, type index)` for every typed-register
    /// source operand, sorted by index: what the compiler proved about the
    /// register's value there. Type indices point into `types`.
    pub reg_types: Vec<(Target, Reg, u32)>,
    /// The `Type` chunk (empty if absent or of another version).
    pub types: Box<[TypeEntry]>,
    /// The `Line` chunk's file and location tables.
    pub line_table: LineTable,
    /// The string table (`StrT`), read by binary instructions.
    pub strings: Box<[u8]>,
    /// The literal area; constants in [`Src`] operands point into it.
    pub literals: LiteralArea,
    /// The `Attr` chunk, an external term (decoded on demand).
    pub attributes: Box<[u8]>,
    /// The `CInf` chunk, an external term (decoded on demand).
    pub compile_info: Box<[u8]>,
    /// `(instruction index, words)` sorted by index: the exception
    /// handlers (`try`/`catch` labels) whose code the loader's frame-size
    /// pass (`loader::frames`) proved safe for a frame of at least `words`
    /// words; unwinding checks the frame it restores there.
    pub handler_frames: Vec<(Target, u32)>,
}

impl std::fmt::Debug for Module {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Module")
            .field("name", &self.name)
            .field("instructions", &self.code.len())
            .field("functions", &self.functions.len())
            .finish_non_exhaustive()
    }
}

impl Module {
    /// The function `name/arity`, if the module defines it.
    pub fn function(&self, name: Atom, arity: u32) -> Option<&FunctionInfo> {
        let i = *self.function_index.get(&(name, arity))?;
        self.functions.get(i as usize)
    }

    /// The function whose code contains instruction `pc`.
    pub fn function_at(&self, pc: Target) -> Option<&FunctionInfo> {
        let i = self.functions.partition_point(|f| f.func_info <= pc);
        self.functions.get(i.checked_sub(1)?)
    }

    /// The frame size in words the exception handler at `pc` needs (0 for
    /// none or no handler): see [`Module::handler_frames`].
    pub fn handler_frame(&self, pc: Target) -> u32 {
        self.handler_frames
            .binary_search_by_key(&pc, |&(at, _)| at)
            .map_or(0, |i| self.handler_frames[i].1)
    }

    /// The compiler's types for the typed-register operands of instruction
    /// `pc`.
    pub fn operand_types(&self, pc: Target) -> impl Iterator<Item = (Reg, TypeEntry)> + '_ {
        let start = self.reg_types.partition_point(|&(at, _, _)| at < pc);
        self.reg_types[start..]
            .iter()
            .take_while(move |&&(at, _, _)| at == pc)
            .filter_map(|&(_, r, t)| Some((r, *self.types.get(t as usize)?)))
    }

    /// The source file and line of instruction `pc`, if known.
    pub fn location(&self, pc: Target) -> Option<(Cow<'_, str>, u32)> {
        let i = self.line_marks.partition_point(|&(at, _)| at <= pc);
        let (_, loc) = *self.line_marks.get(i.checked_sub(1)?)?;
        let &(file, line) = self
            .line_table
            .locations
            .get((loc as usize).checked_sub(1)?)?;
        let name = match file {
            0 => Cow::Owned(format!("{}.erl", self.name.name())),
            n => Cow::Borrowed(self.line_table.files.get(n as usize - 1)?.as_str()),
        };
        Some((name, line))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modules_can_be_shared_between_schedulers() {
        fn shareable<T: Send + Sync>() {}
        shareable::<Module>();
    }
}
