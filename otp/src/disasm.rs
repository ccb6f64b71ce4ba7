//! `enigma disasm`: prints a module's generic instruction stream, function by
//! function, with each operand as the Erlang term `beam_disasm` would show
//! for it (printed with `~w`).
//!
//! Operand forms: `u` as a plain integer; `{integer,N}`, `{atom,A}`, `nil`,
//! `{x,N}`, `{y,N}`, `{f,N}`, `{h,N}`, `{float,F}`, `{fr,N}`,
//! `{list,[...]}`, `{alloc,[{words,N},...]}`, `{literal,T}` (`{float,F}`
//! for a float literal) and `{tr,Reg,{TypeBits,Min,Max}}` with the type
//! entry's raw fields (Min and Max unsigned, as `beam_types:decode_ext/1`
//! reads them). Import indices of calls and BIFs are shown as
//! `{extfunc,M,F,A}`, and string-table references as the string
//! (`{string,Bytes}` for `bs_put_string`, a binary for `bs_match_string`).

use std::fmt::Write;

use enigma_vm::atom::Atom;
use enigma_vm::loader::compact::{AllocKind, Operand, Reg};
use enigma_vm::loader::container;
use enigma_vm::loader::generic::{self, GenInstr};
use enigma_vm::loader::literals::LiteralArea;
use enigma_vm::loader::{BeamFile, ErrorKind, GenOp, LoadError};
use enigma_vm::term::print::quote_atom;
use enigma_vm::term::{Heap, Term};
use ibig::IBig;

/// Disassembles the `.beam` file `bytes` into `out`.
pub fn disasm(bytes: &[u8], out: &mut String) -> Result<(), LoadError> {
    let names = Names::new()?;
    let bytes = container::gunzip_if_compressed(bytes)?;
    let file = BeamFile::parse(&bytes)?;
    let code = generic::decode(&file)?;
    let functions = generic::functions(&file, &code)?;
    let literals =
        LiteralArea::decode(&file.literals).map_err(|e| e.in_module(file.module.name()))?;
    let mut p = Printer {
        file: &file,
        literals: &literals,
        names,
        heap: Heap::new(),
    };
    let _ = writeln!(out, "module {}", quote_atom(file.module.name()));
    for f in &functions {
        let _ = writeln!(out, "function {}/{}", quote_atom(f.name.name()), f.arity);
        for ins in &code[f.instrs.clone()] {
            p.instr(ins, out)?;
        }
    }
    Ok(())
}

/// The atoms the operand forms use, interned before any file's atoms can
/// fill the atom table.
struct Names {
    extfunc: Term,
    string: Term,
    integer: Term,
    atom: Term,
    nil: Term,
    x: Term,
    y: Term,
    f: Term,
    h: Term,
    fr: Term,
    float: Term,
    list: Term,
    alloc: Term,
    words: Term,
    floats: Term,
    funs: Term,
    literal: Term,
    tr: Term,
}

impl Names {
    fn new() -> Result<Names, LoadError> {
        let a = |n: &str| {
            Atom::intern(n).map(Term::atom).map_err(|_| {
                LoadError::new(enigma_vm::loader::ChunkId::HEADER, 0, ErrorKind::AtomLimit)
            })
        };
        Ok(Names {
            extfunc: a("extfunc")?,
            string: a("string")?,
            integer: a("integer")?,
            atom: a("atom")?,
            nil: a("nil")?,
            x: a("x")?,
            y: a("y")?,
            f: a("f")?,
            h: a("h")?,
            fr: a("fr")?,
            float: a("float")?,
            list: a("list")?,
            alloc: a("alloc")?,
            words: a("words")?,
            floats: a("floats")?,
            funs: a("funs")?,
            literal: a("literal")?,
            tr: a("tr")?,
        })
    }
}

struct Printer<'a> {
    file: &'a BeamFile<'a>,
    literals: &'a LiteralArea,
    names: Names,
    /// Scratch space for the operand terms.
    heap: Heap,
}

impl Printer<'_> {
    fn instr(&mut self, ins: &GenInstr, out: &mut String) -> Result<(), LoadError> {
        out.push_str(ins.op.name());
        for (i, arg) in ins.args.iter().enumerate() {
            let t = match (ins.op, i, arg) {
                (
                    GenOp::CallExt
                    | GenOp::CallExtLast
                    | GenOp::CallExtOnly
                    | GenOp::Bif1
                    | GenOp::Bif2,
                    1,
                    Operand::U(n),
                )
                | (GenOp::Bif0, 0, Operand::U(n))
                | (GenOp::GcBif1 | GenOp::GcBif2 | GenOp::GcBif3, 2, Operand::U(n)) => {
                    self.import(ins, *n)?
                }
                (GenOp::BsPutString, 1, Operand::U(off)) => {
                    let s = self.string(ins, &ins.args[0], *off, false)?;
                    let bytes: Vec<Term> = s.iter().map(|&b| Term::small(i64::from(b))).collect();
                    let list = self.heap.list(&bytes);
                    self.tagged(self.names.string, list)
                }
                (GenOp::BsMatchString, 3, Operand::U(off)) => {
                    let s = self.string(ins, &ins.args[2], *off, true)?;
                    self.heap.binary(&s)
                }
                _ => self.operand(ins, arg)?,
            };
            let _ = write!(out, " {t}");
        }
        out.push('\n');
        Ok(())
    }

    fn error(&self, ins: &GenInstr, why: String) -> LoadError {
        LoadError::new(
            self.file.code.code.id,
            ins.offset,
            ErrorKind::BadInstruction {
                op: ins.op.name(),
                why,
            },
        )
        .in_module(self.file.module.name())
    }

    fn import(&mut self, ins: &GenInstr, n: u64) -> Result<Term, LoadError> {
        let imp = usize::try_from(n)
            .ok()
            .and_then(|i| self.file.imports.get(i))
            .ok_or_else(|| self.error(ins, format!("import index {n} out of range")))?;
        let ext = self.names.extfunc;
        Ok(self.heap.tuple(&[
            ext,
            Term::atom(imp.module),
            Term::atom(imp.function),
            Term::small(i64::from(imp.arity)),
        ]))
    }

    /// `len` bytes of the string table at `off`; `len` is the operand
    /// `len_op` (a byte count), or for `bits` a bit count rounded up.
    fn string(
        &self,
        ins: &GenInstr,
        len_op: &Operand,
        off: u64,
        bits: bool,
    ) -> Result<Vec<u8>, LoadError> {
        let Operand::U(len) = *len_op else {
            return Err(self.error(ins, "string length is not a number".into()));
        };
        let bytes = if bits { len.div_ceil(8) } else { len };
        usize::try_from(off)
            .ok()
            .zip(usize::try_from(bytes).ok())
            .and_then(|(o, n)| self.file.strings.get(o..o.checked_add(n)?))
            .map(<[u8]>::to_vec)
            .ok_or_else(|| {
                self.error(
                    ins,
                    format!("string {off}+{bytes} outside the string table"),
                )
            })
    }

    fn tagged(&mut self, tag: Term, v: Term) -> Term {
        self.heap.tuple(&[tag, v])
    }

    fn uint(&mut self, v: u64) -> Term {
        match i64::try_from(v) {
            Ok(v) => self.heap.int(v),
            Err(_) => self.heap.big(&IBig::from(v)),
        }
    }

    fn operand(&mut self, ins: &GenInstr, op: &Operand) -> Result<Term, LoadError> {
        Ok(match op {
            Operand::U(n) => self.uint(*n),
            Operand::Int(n) => {
                let v = self.heap.int(*n);
                self.tagged(self.names.integer, v)
            }
            Operand::BigInt(b) => {
                let v = self.heap.big(b);
                self.tagged(self.names.integer, v)
            }
            Operand::Atom(a) => self.tagged(self.names.atom, Term::atom(*a)),
            Operand::Nil => self.names.nil,
            Operand::X(n) => self.tagged(self.names.x, Term::small(i64::from(*n))),
            Operand::Y(n) => self.tagged(self.names.y, Term::small(i64::from(*n))),
            Operand::Label(n) => self.tagged(self.names.f, Term::small(i64::from(*n))),
            Operand::Char(n) => self.tagged(self.names.h, Term::small(i64::from(*n))),
            Operand::FloatReg(n) => self.tagged(self.names.fr, Term::small(i64::from(*n))),
            Operand::Float(f) => {
                let v = self.heap.float(*f);
                self.tagged(self.names.float, v)
            }
            Operand::List(items) => {
                let mut ts = Vec::with_capacity(items.len());
                for item in items {
                    ts.push(self.operand(ins, item)?);
                }
                let l = self.heap.list(&ts);
                self.tagged(self.names.list, l)
            }
            Operand::Alloc(items) => {
                let mut ts = Vec::with_capacity(items.len());
                for &(kind, n) in items {
                    let name = match kind {
                        AllocKind::Words => self.names.words,
                        AllocKind::Floats => self.names.floats,
                        AllocKind::Funs => self.names.funs,
                    };
                    let v = self.uint(n);
                    ts.push(self.tagged(name, v));
                }
                let l = self.heap.list(&ts);
                self.tagged(self.names.alloc, l)
            }
            Operand::Literal(i) => {
                let t = self
                    .literals
                    .get(*i)
                    .ok_or_else(|| self.error(ins, format!("literal {i} out of range")))?;
                match t.as_float() {
                    Some(_) => self.tagged(self.names.float, t),
                    None => self.tagged(self.names.literal, t),
                }
            }
            Operand::TypedReg(reg, ty) => {
                let r = match reg {
                    Reg::X(n) => self.tagged(self.names.x, Term::small(i64::from(*n))),
                    Reg::Y(n) => self.tagged(self.names.y, Term::small(i64::from(*n))),
                };
                let entry = self
                    .file
                    .types
                    .as_ref()
                    .and_then(|t| t.get(*ty as usize))
                    .copied()
                    .ok_or_else(|| self.error(ins, format!("type {ty} unknown")))?;
                let min = self.uint(entry.min as u64);
                let max = self.uint(entry.max as u64);
                let ty = self
                    .heap
                    .tuple(&[Term::small(i64::from(entry.bits)), min, max]);
                self.heap.tuple(&[self.names.tr, r, ty])
            }
        })
    }
}
