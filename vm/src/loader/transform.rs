//! Translation of the generic instruction stream into Enigma's loaded code
//! ([`crate::code`]), the job BEAM's `ops.tab` rules and `beam_makeops` do.
//!
//! Every opcode OTP 25's loader accepts is handled below; none is dropped
//! without a rule saying so. The rules, in the order `translate_one` tries
//! them (`A | B` is a pair of consecutive instructions, `_` removes):
//!
//! ```text
//! label L                          => _            (L resolves to the next instruction's index)
//! line Loc                         => _            (line_marks: index -> Loc)
//! func_info M F A                  => FuncInfo     (+ functions[], entry = next index)
//! on_load                          => _            (on_load = current function)
//! bif1 _ erlang:F/1 _ _            => error         (F in length, size, abs, float, round, trunc,
//!                                                     is_constant: "too old compiler", as BEAM)
//! func_info M module_info A | label | move [] {x,0}
//!                                  => error         (R9C module_info, "too old compiler", as BEAM)
//! is_tuple F S | test_arity F S A  => IsTupleOfArity F S A
//! move S {x,0} | return            => MoveReturn S
//! deallocate N | return            => DeallocateReturn N
//! is_eq_exact F A Imm              => IsEqExactImm F A Imm   (Imm atom, small or []; either side)
//! is_ne_exact F A Imm              => IsNeExactImm F A Imm
//! select_val S F [V L ...]         => SelectVal S F table    (Jump if dense small ints,
//!                                                             Sorted if all immediates, else Linear)
//! select_tuple_arity S F [A L ...] => SelectTupleArity S F table (Sorted)
//! bs_start_match4 no_fail|F ...    => BsStartMatch           (BsStartMatchResume for `resume`)
//! bs_start_match3 F S L D          => BsStartMatch
//! make_fun2 I                      => MakeFun (env = x0..x(NumFree-1))
//! make_fun3 I D Env                => MakeFun
//! fmove fr fr / fr reg / src fr    => FmoveFr / FstoreFr / FloadFr
//! fadd/fsub/fmul/fdiv _ A B D      => Fadd.. (the fail label is always {f,0})
//! bif0 / bif1 / bif2               => Bif0 / Bif1 / Bif2     (import -> &'static Export)
//! gc_bif1 / gc_bif2 / gc_bif3      => GcBif1 / GcBifN        (arguments in operands[])
//! call_ext* I                      => CallExt*               (import -> &'static Export)
//! is_bitstr                        => IsBitstring
//! call_fun2 safe|unsafe|I A F       => CallFun2 (I: the FunT index of a known lambda)
//! anything else                    => the variant of the same name, operands shaped:
//!     labels -> instruction indices, {f,0} -> Fail::NONE, x/y/typed registers -> Reg,
//!     sources -> Src (register or constant term: atoms, integers (bignums and
//!     floats built in the literal area), literals), lists -> operands[] spans,
//!     allocation lists -> HeapNeed, BIF/import indices -> &'static Export,
//!     string table offsets -> spans checked against StrT.
//! ```
//!
//! Labels are resolved with two passes over the stream: the first records
//! where each label lands, the second translates with those positions.
//! The translation is deterministic, so both passes emit the same code.

use ahash::AHashMap;

use super::chunks::BeamFile;
use super::compact::{AllocKind, Operand, Reg as CReg};
use super::error::{ErrorKind, LoadError};
use super::generic::GenInstr;
use super::genop::GenOp;
use super::literals::LiteralArea;
use crate::atom::Atom;
use crate::code::instr::{BsAppend, BsCreateBin, BsGet, BsKind, BsSegment, PutMap, SelectTable};
use crate::code::operand::{FReg, HeapNeed, MAX_X_REGS, MAX_Y_REGS};
use crate::code::{Fail, FunctionInfo, Instr, LambdaInfo, Module, Reg, Span, Src, Target};
use crate::term::fun::{Export, FunEntry};
use crate::term::order::eq_exact;
use crate::term::{Kind, Term};

type R<T> = Result<T, LoadError>;

/// Translates the decoded stream `gen` of `file` into a loaded module that
/// owns `literals`.
pub fn translate(file: &BeamFile, gen: &[GenInstr], literals: LiteralArea) -> R<Module> {
    let imports = file
        .imports
        .iter()
        .map(|i| Export::get_or_create(i.module, i.function, i.arity))
        .collect();
    let mut lambdas = Vec::with_capacity(file.lambdas.len());
    for (i, l) in file.lambdas.iter().enumerate() {
        // FunT's arity counts the free variables; a fun's arity does not.
        let arity = l.arity.checked_sub(l.num_free).ok_or_else(|| {
            LoadError::new(
                super::error::ChunkId(*b"FunT"),
                0,
                ErrorKind::Malformed(format!("lambda {i} has more free variables than arguments")),
            )
            .in_module(file.module.name())
        })?;
        lambdas.push(FunEntry::intern(
            file.module,
            file.md5,
            i as u32,
            l.index,
            l.old_uniq,
            arity,
            l.num_free,
        ));
    }
    let mut tx = Tx {
        file,
        gen,
        labels: vec![None; file.code.label_count as usize],
        first_pass: true,
        imports,
        lambdas,
        literals,
        out: Out::default(),
    };
    tx.pass()?;
    tx.first_pass = false;
    tx.out = Out::default();
    tx.pass()?;
    tx.finish().map_err(|e| e.in_module(file.module.name()))
}

/// What one pass produces.
#[derive(Default)]
struct Out {
    code: Vec<Instr>,
    operands: Vec<Src>,
    selects: Vec<SelectTable>,
    functions: Vec<FunctionInfo>,
    line_marks: Vec<(Target, u32)>,
    on_load: Option<u32>,
}

struct Tx<'a> {
    file: &'a BeamFile<'a>,
    gen: &'a [GenInstr],
    /// Label number -> instruction index, filled by the first pass.
    labels: Vec<Option<Target>>,
    first_pass: bool,
    imports: Vec<&'static Export>,
    lambdas: Vec<&'static FunEntry>,
    literals: LiteralArea,
    out: Out,
}

fn bad(ins: &GenInstr, why: impl Into<String>) -> LoadError {
    LoadError::new(
        super::error::ChunkId(*b"Code"),
        ins.offset,
        ErrorKind::BadInstruction {
            op: ins.op.name(),
            why: why.into(),
        },
    )
}

impl Tx<'_> {
    fn pass(&mut self) -> R<()> {
        let mut i = 0;
        while i < self.gen.len() {
            i += self
                .translate_one(i)
                .map_err(|e| e.in_module(self.file.module.name()))?;
        }
        Ok(())
    }

    fn finish(self) -> R<Module> {
        let file = self.file;
        let label = |l: u32, what: &str| -> R<Target> {
            self.labels
                .get(l as usize)
                .copied()
                .flatten()
                .ok_or_else(|| {
                    LoadError::new(
                        super::error::ChunkId(*b"ExpT"),
                        0,
                        ErrorKind::Malformed(format!("{what} refers to undefined label {l}")),
                    )
                })
        };
        let mut exports = Vec::with_capacity(file.exports.len());
        for e in &file.exports {
            let at = label(e.label, "export")?;
            exports.push((Export::get_or_create(file.module, e.function, e.arity), at));
        }
        let mut lambdas = Vec::with_capacity(self.lambdas.len());
        for (l, entry) in file.lambdas.iter().zip(&self.lambdas) {
            lambdas.push(LambdaInfo {
                entry,
                code: label(l.label, "lambda")?,
            });
        }
        let function_index: AHashMap<(Atom, u32), u32> = self
            .out
            .functions
            .iter()
            .enumerate()
            .map(|(i, f)| ((f.name, f.arity), i as u32))
            .collect();
        Ok(Module {
            name: file.module,
            md5: file.md5,
            code: self.out.code,
            operands: self.out.operands,
            selects: self.out.selects,
            functions: self.out.functions,
            function_index,
            exports,
            imports: self.imports,
            lambdas,
            on_load: self.out.on_load,
            line_marks: self.out.line_marks,
            line_table: file.lines.clone().unwrap_or_default(),
            strings: file.strings.into(),
            literals: self.literals,
            attributes: file.attributes.unwrap_or_default().into(),
            compile_info: file.compile_info.unwrap_or_default().into(),
        })
    }

    fn emit(&mut self, i: Instr) {
        self.out.code.push(i);
    }

    fn here(&self) -> Target {
        self.out.code.len() as Target
    }

    // ---- operand shaping ----

    fn label_target(&self, ins: &GenInstr, l: u32) -> R<Target> {
        if l as usize >= self.labels.len() {
            return Err(bad(
                ins,
                format!("label {l} not below the label count {}", self.labels.len()),
            ));
        }
        if self.first_pass {
            return Ok(0);
        }
        self.labels[l as usize].ok_or_else(|| bad(ins, format!("label {l} is never defined")))
    }

    fn target(&self, ins: &GenInstr, op: &Operand) -> R<Target> {
        match *op {
            Operand::Label(l) if l != 0 => self.label_target(ins, l),
            _ => Err(bad(ins, "expected a label")),
        }
    }

    fn fail(&self, ins: &GenInstr, op: &Operand) -> R<Fail> {
        match *op {
            Operand::Label(0) => Ok(Fail::NONE),
            Operand::Label(l) => Ok(Fail::to(self.label_target(ins, l)?)),
            _ => Err(bad(ins, "expected a failure label")),
        }
    }

    fn reg(&self, ins: &GenInstr, op: &Operand) -> R<Reg> {
        let (y, n) = match *op {
            Operand::X(n) | Operand::TypedReg(CReg::X(n), _) => (false, n),
            Operand::Y(n) | Operand::TypedReg(CReg::Y(n), _) => (true, n),
            _ => return Err(bad(ins, "expected a register")),
        };
        match (y, n) {
            (false, n) if n < MAX_X_REGS => Ok(Reg::x(n as u16)),
            (true, n) if n < MAX_Y_REGS => Ok(Reg::y(n as u16)),
            _ => Err(bad(ins, format!("register {n} out of range"))),
        }
    }

    fn src(&mut self, ins: &GenInstr, op: &Operand) -> R<Src> {
        Ok(match op {
            Operand::X(_) | Operand::Y(_) | Operand::TypedReg(..) => Src::reg(self.reg(ins, op)?),
            Operand::Atom(a) => Src::constant(Term::atom(*a)),
            Operand::Nil => Src::constant(Term::NIL),
            Operand::Int(n) => Src::constant(self.literals.heap_mut().int(*n)),
            Operand::BigInt(b) => Src::constant(self.literals.heap_mut().big(b)),
            Operand::Char(c) => Src::constant(Term::small(i64::from(*c))),
            Operand::Float(f) => Src::constant(self.literals.heap_mut().float(*f)),
            Operand::Literal(i) => Src::constant(
                self.literals
                    .get(*i)
                    .ok_or_else(|| bad(ins, format!("literal {i} out of range")))?,
            ),
            _ => return Err(bad(ins, "expected a register or a constant")),
        })
    }

    fn u(&self, ins: &GenInstr, op: &Operand) -> R<u32> {
        match *op {
            Operand::U(n) => {
                u32::try_from(n).map_err(|_| bad(ins, format!("number {n} too large")))
            }
            _ => Err(bad(ins, "expected an unsigned number")),
        }
    }

    fn live(&self, ins: &GenInstr, op: &Operand) -> R<u32> {
        let n = self.u(ins, op)?;
        if n > MAX_X_REGS {
            return Err(bad(ins, format!("live count {n} out of range")));
        }
        Ok(n)
    }

    fn freg(&self, ins: &GenInstr, op: &Operand) -> R<FReg> {
        match *op {
            Operand::FloatReg(n) if n < MAX_X_REGS => Ok(n as FReg),
            _ => Err(bad(ins, "expected a float register")),
        }
    }

    fn atom(&self, ins: &GenInstr, op: &Operand) -> R<Atom> {
        match *op {
            Operand::Atom(a) => Ok(a),
            _ => Err(bad(ins, "expected an atom")),
        }
    }

    fn heap_need(&self, ins: &GenInstr, op: &Operand) -> R<HeapNeed> {
        match op {
            Operand::U(_) => Ok(HeapNeed {
                words: self.u(ins, op)?,
                ..HeapNeed::default()
            }),
            Operand::Alloc(items) => {
                let mut need = HeapNeed::default();
                for &(kind, n) in items {
                    let n = u32::try_from(n).map_err(|_| bad(ins, "allocation too large"))?;
                    match kind {
                        AllocKind::Words => need.words = need.words.saturating_add(n),
                        AllocKind::Floats => need.floats = need.floats.saturating_add(n),
                        AllocKind::Funs => need.funs = need.funs.saturating_add(n),
                    }
                }
                Ok(need)
            }
            _ => Err(bad(ins, "expected a heap need")),
        }
    }

    fn import(&self, ins: &GenInstr, op: &Operand) -> R<&'static Export> {
        let i = self.u(ins, op)? as usize;
        self.imports
            .get(i)
            .copied()
            .ok_or_else(|| bad(ins, format!("import {i} out of range")))
    }

    fn list<'o>(&self, ins: &GenInstr, op: &'o Operand) -> R<&'o [Operand]> {
        match op {
            Operand::List(items) => Ok(items),
            _ => Err(bad(ins, "expected a list")),
        }
    }

    fn span_of(&mut self, srcs: Vec<Src>) -> R<Span> {
        let start = u32::try_from(self.out.operands.len()).unwrap_or(u32::MAX);
        let len = srcs.len() as u32;
        self.out.operands.extend(srcs);
        Ok(Span { start, len })
    }

    fn src_span(&mut self, ins: &GenInstr, items: &[Operand]) -> R<Span> {
        let srcs = items
            .iter()
            .map(|o| self.src(ins, o))
            .collect::<R<Vec<_>>>()?;
        self.span_of(srcs)
    }

    fn string(&self, ins: &GenInstr, offset: u32, len: u32) -> R<Span> {
        let end = offset as usize + len as usize;
        if end > self.file.strings.len() {
            return Err(bad(
                ins,
                format!("string {offset}+{len} outside the string table"),
            ));
        }
        Ok(Span { start: offset, len })
    }

    fn flags(&self, ins: &GenInstr, op: &Operand) -> R<u32> {
        match op {
            Operand::U(_) => self.u(ins, op),
            Operand::Nil => Ok(0),
            Operand::Literal(i) => {
                let t = self
                    .literals
                    .get(*i)
                    .ok_or_else(|| bad(ins, "literal out of range"))?;
                let mut flags = 0;
                for f in t.list_iter() {
                    flags |= match f.as_atom().map(Atom::name) {
                        Some("aligned") => 1,
                        Some("little") => 2,
                        Some("signed") => 4,
                        Some("exact") => 8,
                        Some("native") => 16,
                        Some("big" | "unsigned") => 0,
                        _ => return Err(bad(ins, "unknown segment flag")),
                    };
                }
                Ok(flags)
            }
            _ => Err(bad(ins, "expected segment flags")),
        }
    }

    fn select(&mut self, ins: &GenInstr, op: &Operand, arities: bool) -> R<u32> {
        let items = self.list(ins, op)?;
        if items.len() % 2 != 0 {
            return Err(bad(ins, "odd select list"));
        }
        let mut pairs = Vec::with_capacity(items.len() / 2);
        for p in items.chunks_exact(2) {
            let key = if arities {
                Term::small(i64::from(self.u(ins, &p[0])?))
            } else {
                match self.src(ins, &p[0])? {
                    s if s.is_reg() => return Err(bad(ins, "select on a register value")),
                    s => match s.kind() {
                        crate::code::SrcKind::Const(t) => t,
                        _ => return Err(bad(ins, "select value")),
                    },
                }
            };
            pairs.push((key, self.target(ins, &p[1])?));
        }
        let table = build_select(pairs, arities);
        self.out.selects.push(table);
        Ok(self.out.selects.len() as u32 - 1)
    }

    // ---- the rules ----

    /// `bif1` of a guard BIF that used to build heap fragments, which OTP
    /// 25's loader no longer accepts.
    fn is_old_guard_bif(&self, ins: &GenInstr, op: &Operand) -> bool {
        self.import(ins, op).is_ok_and(|e| {
            e.module == Atom::ERLANG
                && e.arity == 1
                && matches!(
                    e.function.name(),
                    "length" | "size" | "abs" | "float" | "round" | "trunc" | "is_constant"
                )
        })
    }

    /// R9C's `module_info` bodies: `func_info M module_info A`, a label and
    /// `move [] {x,0}`.
    fn is_r9c_module_info(&self, i: usize) -> bool {
        let g = self.gen;
        matches!(g[i].args.get(1), Some(Operand::Atom(f)) if f.name() == "module_info")
            && g.get(i + 1).is_some_and(|n| n.op == GenOp::Label)
            && g.get(i + 2)
                .is_some_and(|n| n.op == GenOp::Move && n.args == [Operand::Nil, Operand::X(0)])
    }

    /// Translates the instruction at `i` (and maybe the next); returns how
    /// many generic instructions it consumed.
    fn translate_one(&mut self, i: usize) -> R<usize> {
        let ins = &self.gen[i];
        let next = self.gen.get(i + 1);
        let a = ins.args.as_slice();
        use GenOp as G;
        let instr = match ins.op {
            G::Label => {
                let l = self.u(ins, &a[0])?;
                if self.first_pass {
                    let here = self.here();
                    match self.labels.get_mut(l as usize) {
                        Some(slot @ None) => *slot = Some(here),
                        Some(Some(_)) => return Err(bad(ins, format!("label {l} defined twice"))),
                        None => {
                            return Err(bad(ins, format!("label {l} not below the label count")))
                        }
                    }
                }
                return Ok(1);
            }
            G::Line => {
                let loc = self.u(ins, &a[0])?;
                if let Some(t) = &self.file.lines {
                    if loc as usize > t.locations.len() {
                        return Err(bad(ins, format!("location {loc} not in the line table")));
                    }
                }
                let here = self.here();
                match self.out.line_marks.last_mut() {
                    Some(last) if last.0 == here => last.1 = loc,
                    _ => self.out.line_marks.push((here, loc)),
                }
                return Ok(1);
            }
            G::FuncInfo if self.is_r9c_module_info(i) => {
                return Err(bad(
                    ins,
                    "too old compiler: please re-compile this module with an OTP 25 compiler",
                ));
            }
            G::FuncInfo => {
                let m = self.atom(ins, &a[0])?;
                if m != self.file.module {
                    return Err(bad(ins, format!("func_info names module {}", m.name())));
                }
                let name = self.atom(ins, &a[1])?;
                let arity = self.u(ins, &a[2])?;
                let here = self.here();
                let function = self.out.functions.len() as u32;
                self.out.functions.push(FunctionInfo {
                    name,
                    arity,
                    func_info: here,
                    entry: here + 1,
                });
                Instr::FuncInfo { function }
            }
            G::OnLoad => {
                let f = self
                    .out
                    .functions
                    .len()
                    .checked_sub(1)
                    .ok_or_else(|| bad(ins, "outside a function"))?;
                self.out.on_load = Some(f as u32);
                return Ok(1);
            }
            G::IsTuple
                if next.is_some_and(|n| {
                    n.op == G::TestArity && n.args[0] == a[0] && n.args[1] == a[1]
                }) =>
            {
                let n = &self.gen[i + 1];
                let instr = Instr::IsTupleOfArity {
                    fail: self.fail(ins, &a[0])?,
                    src: self.src(ins, &a[1])?,
                    arity: self.u(n, &n.args[2])?,
                };
                self.emit(instr);
                return Ok(2);
            }
            G::Move if a[1] == Operand::X(0) && next.is_some_and(|n| n.op == G::Return) => {
                let src = self.src(ins, &a[0])?;
                self.emit(Instr::MoveReturn { src });
                return Ok(2);
            }
            G::Deallocate if next.is_some_and(|n| n.op == G::Return) => {
                let words = self.u(ins, &a[0])?;
                self.emit(Instr::DeallocateReturn { words });
                return Ok(2);
            }
            G::IsEqExact | G::IsNeExact => {
                let fail = self.fail(ins, &a[0])?;
                let (x, y) = (self.src(ins, &a[1])?, self.src(ins, &a[2])?);
                let imm = |s: Src| match s.kind() {
                    crate::code::SrcKind::Const(t) if is_immediate(t) => Some(t),
                    _ => None,
                };
                let eq = ins.op == G::IsEqExact;
                match (imm(x), imm(y)) {
                    (_, Some(t)) if eq => Instr::IsEqExactImm {
                        fail,
                        src: x,
                        imm: t,
                    },
                    (Some(t), None) if eq => Instr::IsEqExactImm {
                        fail,
                        src: y,
                        imm: t,
                    },
                    (_, Some(t)) => Instr::IsNeExactImm {
                        fail,
                        src: x,
                        imm: t,
                    },
                    (Some(t), None) => Instr::IsNeExactImm {
                        fail,
                        src: y,
                        imm: t,
                    },
                    (None, None) if eq => Instr::IsEqExact { fail, a: x, b: y },
                    (None, None) => Instr::IsNeExact { fail, a: x, b: y },
                }
            }
            _ => self.simple(ins)?,
        };
        self.emit(instr);
        Ok(1)
    }

    /// One generic instruction to one loaded instruction, operands shaped.
    fn simple(&mut self, ins: &GenInstr) -> R<Instr> {
        let a = ins.args.as_slice();
        use GenOp as G;
        Ok(match ins.op {
            G::Call => Instr::Call {
                arity: self.u(ins, &a[0])?,
                target: self.target(ins, &a[1])?,
            },
            G::CallLast => Instr::CallLast {
                arity: self.u(ins, &a[0])?,
                target: self.target(ins, &a[1])?,
                dealloc: self.u(ins, &a[2])?,
            },
            G::CallOnly => Instr::CallOnly {
                arity: self.u(ins, &a[0])?,
                target: self.target(ins, &a[1])?,
            },
            G::CallExt => Instr::CallExt {
                arity: self.u(ins, &a[0])?,
                export: self.import(ins, &a[1])?,
            },
            G::CallExtLast => Instr::CallExtLast {
                arity: self.u(ins, &a[0])?,
                export: self.import(ins, &a[1])?,
                dealloc: self.u(ins, &a[2])?,
            },
            G::CallExtOnly => Instr::CallExtOnly {
                arity: self.u(ins, &a[0])?,
                export: self.import(ins, &a[1])?,
            },
            G::Bif0 => Instr::Bif0 {
                bif: self.import(ins, &a[0])?,
                dst: self.reg(ins, &a[1])?,
            },
            G::Bif1 if self.is_old_guard_bif(ins, &a[1]) => {
                return Err(bad(
                    ins,
                    "too old compiler: please re-compile this module with an OTP 25 compiler",
                ));
            }
            G::Bif1 => Instr::Bif1 {
                fail: self.fail(ins, &a[0])?,
                bif: self.import(ins, &a[1])?,
                a: self.src(ins, &a[2])?,
                dst: self.reg(ins, &a[3])?,
            },
            G::Bif2 => Instr::Bif2 {
                fail: self.fail(ins, &a[0])?,
                bif: self.import(ins, &a[1])?,
                a: self.src(ins, &a[2])?,
                b: self.src(ins, &a[3])?,
                dst: self.reg(ins, &a[4])?,
            },
            G::GcBif1 => Instr::GcBif1 {
                fail: self.fail(ins, &a[0])?,
                live: self.live(ins, &a[1])? as u16,
                bif: self.import(ins, &a[2])?,
                a: self.src(ins, &a[3])?,
                dst: self.reg(ins, &a[4])?,
            },
            G::GcBif2 | G::GcBif3 => {
                let n = a.len();
                Instr::GcBifN {
                    fail: self.fail(ins, &a[0])?,
                    live: self.live(ins, &a[1])? as u16,
                    bif: self.import(ins, &a[2])?,
                    args: self.src_span(ins, &a[3..n - 1])?,
                    dst: self.reg(ins, &a[n - 1])?,
                }
            }
            G::Allocate => Instr::Allocate {
                stack: self.u(ins, &a[0])?,
                live: self.live(ins, &a[1])?,
            },
            G::AllocateHeap => Instr::AllocateHeap {
                stack: self.u(ins, &a[0])?,
                heap: self.heap_need(ins, &a[1])?,
                live: self.live(ins, &a[2])?,
            },
            G::AllocateZero => Instr::AllocateZero {
                stack: self.u(ins, &a[0])?,
                live: self.live(ins, &a[1])?,
            },
            G::AllocateHeapZero => Instr::AllocateHeapZero {
                stack: self.u(ins, &a[0])?,
                heap: self.heap_need(ins, &a[1])?,
                live: self.live(ins, &a[2])?,
            },
            G::TestHeap => Instr::TestHeap {
                heap: self.heap_need(ins, &a[0])?,
                live: self.live(ins, &a[1])?,
            },
            G::Init => Instr::Init {
                dst: self.reg(ins, &a[0])?,
            },
            G::InitYregs => {
                let items = self.list(ins, &a[0])?;
                let regs = items
                    .iter()
                    .map(|o| self.reg(ins, o).map(Src::reg))
                    .collect::<R<Vec<_>>>()?;
                Instr::InitYregs {
                    regs: self.span_of(regs)?,
                }
            }
            G::Deallocate => Instr::Deallocate {
                words: self.u(ins, &a[0])?,
            },
            G::Return => Instr::Return,
            G::Send => Instr::Send,
            G::RemoveMessage => Instr::RemoveMessage,
            G::Timeout => Instr::Timeout,
            G::LoopRec => Instr::LoopRec {
                fail: self.fail(ins, &a[0])?,
                dst: self.reg(ins, &a[1])?,
            },
            G::LoopRecEnd => Instr::LoopRecEnd {
                target: self.target(ins, &a[0])?,
            },
            G::Wait => Instr::Wait {
                target: self.target(ins, &a[0])?,
            },
            G::WaitTimeout => Instr::WaitTimeout {
                target: self.target(ins, &a[0])?,
                timeout: self.src(ins, &a[1])?,
            },
            G::IsLt | G::IsGe | G::IsEq | G::IsNe => {
                let fail = self.fail(ins, &a[0])?;
                let (x, y) = (self.src(ins, &a[1])?, self.src(ins, &a[2])?);
                match ins.op {
                    G::IsLt => Instr::IsLt { fail, a: x, b: y },
                    G::IsGe => Instr::IsGe { fail, a: x, b: y },
                    G::IsEq => Instr::IsEq { fail, a: x, b: y },
                    _ => Instr::IsNe { fail, a: x, b: y },
                }
            }
            G::IsInteger
            | G::IsFloat
            | G::IsNumber
            | G::IsAtom
            | G::IsPid
            | G::IsReference
            | G::IsPort
            | G::IsNil
            | G::IsBinary
            | G::IsList
            | G::IsNonemptyList
            | G::IsTuple
            | G::IsFunction
            | G::IsBoolean
            | G::IsBitstr
            | G::IsMap => {
                let fail = self.fail(ins, &a[0])?;
                let src = self.src(ins, &a[1])?;
                type_test(ins.op, fail, src)
            }
            G::TestArity => Instr::TestArity {
                fail: self.fail(ins, &a[0])?,
                src: self.src(ins, &a[1])?,
                arity: self.u(ins, &a[2])?,
            },
            G::IsTaggedTuple => Instr::IsTaggedTuple {
                fail: self.fail(ins, &a[0])?,
                src: self.src(ins, &a[1])?,
                arity: self.u(ins, &a[2])?,
                tag: Term::atom(self.atom(ins, &a[3])?),
            },
            G::IsFunction2 => Instr::IsFunction2 {
                fail: self.fail(ins, &a[0])?,
                src: self.src(ins, &a[1])?,
                arity: self.src(ins, &a[2])?,
            },
            G::HasMapFields => {
                let keys = self.list(ins, &a[2])?;
                Instr::HasMapFields {
                    fail: self.fail(ins, &a[0])?,
                    src: self.src(ins, &a[1])?,
                    keys: self.src_span(ins, keys)?,
                }
            }
            G::SelectVal => Instr::SelectVal {
                src: self.src(ins, &a[0])?,
                fail: self.fail(ins, &a[1])?,
                table: self.select(ins, &a[2], false)?,
            },
            G::SelectTupleArity => Instr::SelectTupleArity {
                src: self.src(ins, &a[0])?,
                fail: self.fail(ins, &a[1])?,
                table: self.select(ins, &a[2], true)?,
            },
            G::Jump => Instr::Jump {
                target: self.target(ins, &a[0])?,
            },
            G::Catch => Instr::Catch {
                y: self.reg(ins, &a[0])?,
                target: self.target(ins, &a[1])?,
            },
            G::CatchEnd => Instr::CatchEnd {
                y: self.reg(ins, &a[0])?,
            },
            G::Try => Instr::Try {
                y: self.reg(ins, &a[0])?,
                target: self.target(ins, &a[1])?,
            },
            G::TryEnd => Instr::TryEnd {
                y: self.reg(ins, &a[0])?,
            },
            G::TryCase => Instr::TryCase {
                y: self.reg(ins, &a[0])?,
            },
            G::TryCaseEnd => Instr::TryCaseEnd {
                src: self.src(ins, &a[0])?,
            },
            G::Raise => Instr::Raise {
                trace: self.src(ins, &a[0])?,
                value: self.src(ins, &a[1])?,
            },
            G::BuildStacktrace => Instr::BuildStacktrace,
            G::RawRaise => Instr::RawRaise,
            G::Badmatch => Instr::Badmatch {
                src: self.src(ins, &a[0])?,
            },
            G::IfEnd => Instr::IfEnd,
            G::CaseEnd => Instr::CaseEnd {
                src: self.src(ins, &a[0])?,
            },
            G::Badrecord => Instr::Badrecord {
                src: self.src(ins, &a[0])?,
            },
            G::Move => Instr::Move {
                src: self.src(ins, &a[0])?,
                dst: self.reg(ins, &a[1])?,
            },
            G::Swap => Instr::Swap {
                a: self.reg(ins, &a[0])?,
                b: self.reg(ins, &a[1])?,
            },
            G::GetList => Instr::GetList {
                src: self.src(ins, &a[0])?,
                head: self.reg(ins, &a[1])?,
                tail: self.reg(ins, &a[2])?,
            },
            G::GetHd => Instr::GetHd {
                src: self.src(ins, &a[0])?,
                dst: self.reg(ins, &a[1])?,
            },
            G::GetTl => Instr::GetTl {
                src: self.src(ins, &a[0])?,
                dst: self.reg(ins, &a[1])?,
            },
            G::GetTupleElement => Instr::GetTupleElement {
                src: self.src(ins, &a[0])?,
                index: self.u(ins, &a[1])?,
                dst: self.reg(ins, &a[2])?,
            },
            G::SetTupleElement => Instr::SetTupleElement {
                value: self.src(ins, &a[0])?,
                tuple: self.src(ins, &a[1])?,
                index: self.u(ins, &a[2])?,
            },
            G::PutList => Instr::PutList {
                head: self.src(ins, &a[0])?,
                tail: self.src(ins, &a[1])?,
                dst: self.reg(ins, &a[2])?,
            },
            G::PutTuple2 => {
                let items = self.list(ins, &a[1])?;
                Instr::PutTuple2 {
                    dst: self.reg(ins, &a[0])?,
                    elements: self.src_span(ins, items)?,
                }
            }
            G::MakeFun2 => {
                let i = self.u(ins, &a[0])? as usize;
                let fun = *self
                    .lambdas
                    .get(i)
                    .ok_or_else(|| bad(ins, format!("lambda {i} out of range")))?;
                let env = (0..fun.num_free.min(MAX_X_REGS))
                    .map(|n| Src::reg(Reg::x(n as u16)))
                    .collect();
                Instr::MakeFun {
                    fun,
                    dst: Reg::x(0),
                    env: self.span_of(env)?,
                }
            }
            G::MakeFun3 => {
                let i = self.u(ins, &a[0])? as usize;
                let fun = *self
                    .lambdas
                    .get(i)
                    .ok_or_else(|| bad(ins, format!("lambda {i} out of range")))?;
                let items = self.list(ins, &a[2])?;
                if items.len() != fun.num_free as usize {
                    return Err(bad(ins, "environment size differs from the lambda's"));
                }
                Instr::MakeFun {
                    fun,
                    dst: self.reg(ins, &a[1])?,
                    env: self.src_span(ins, items)?,
                }
            }
            G::PutMapAssoc | G::PutMapExact => {
                let items = self.list(ins, &a[4])?;
                if items.len() % 2 != 0 {
                    return Err(bad(ins, "odd key/value list"));
                }
                let m = Box::new(PutMap {
                    fail: self.fail(ins, &a[0])?,
                    src: self.src(ins, &a[1])?,
                    dst: self.reg(ins, &a[2])?,
                    live: self.live(ins, &a[3])?,
                    pairs: self.src_span(ins, items)?,
                });
                if ins.op == G::PutMapAssoc {
                    Instr::PutMapAssoc(m)
                } else {
                    Instr::PutMapExact(m)
                }
            }
            G::GetMapElements => {
                let items = self.list(ins, &a[2])?;
                if items.len() % 2 != 0 {
                    return Err(bad(ins, "odd key/destination list"));
                }
                let mut srcs = Vec::with_capacity(items.len());
                for p in items.chunks_exact(2) {
                    srcs.push(self.src(ins, &p[0])?);
                    srcs.push(Src::reg(self.reg(ins, &p[1])?));
                }
                Instr::GetMapElements {
                    fail: self.fail(ins, &a[0])?,
                    src: self.src(ins, &a[1])?,
                    pairs: self.span_of(srcs)?,
                }
            }
            G::CallFun => Instr::CallFun {
                arity: self.u(ins, &a[0])?,
            },
            G::CallFun2 => {
                let (lambda, safe) = match &a[0] {
                    Operand::Atom(t) if t.name() == "safe" => (None, true),
                    Operand::Atom(t) if t.name() == "unsafe" => (None, false),
                    Operand::U(i) => {
                        let l = usize::try_from(*i).ok().and_then(|i| self.lambdas.get(i));
                        (
                            Some(*l.ok_or_else(|| bad(ins, format!("lambda {i} out of range")))?),
                            true,
                        )
                    }
                    _ => return Err(bad(ins, "bad call_fun2 tag")),
                };
                Instr::CallFun2 {
                    lambda,
                    safe,
                    arity: self.u(ins, &a[1])?,
                    fun: self.src(ins, &a[2])?,
                }
            }
            G::Apply => Instr::Apply {
                arity: self.u(ins, &a[0])?,
            },
            G::ApplyLast => Instr::ApplyLast {
                arity: self.u(ins, &a[0])?,
                dealloc: self.u(ins, &a[1])?,
            },
            G::Trim => Instr::Trim {
                words: self.u(ins, &a[0])?,
                remaining: self.u(ins, &a[1])?,
            },
            G::NifStart => Instr::NifStart,
            G::RecvMarkerBind => Instr::RecvMarkerBind {
                marker: self.src(ins, &a[0])?,
                reference: self.src(ins, &a[1])?,
            },
            G::RecvMarkerClear => Instr::RecvMarkerClear {
                reference: self.src(ins, &a[0])?,
            },
            G::RecvMarkerReserve => Instr::RecvMarkerReserve {
                dst: self.reg(ins, &a[0])?,
            },
            G::RecvMarkerUse => Instr::RecvMarkerUse {
                reference: self.src(ins, &a[0])?,
            },
            G::RecvMark => Instr::RecvMark {
                target: self.target(ins, &a[0])?,
            },
            G::RecvSet => Instr::RecvSet {
                target: self.target(ins, &a[0])?,
            },
            G::Fclearerror => Instr::Fclearerror,
            G::Fcheckerror => Instr::Fcheckerror,
            G::Fmove => match (&a[0], &a[1]) {
                (Operand::FloatReg(_), Operand::FloatReg(_)) => Instr::FmoveFr {
                    src: self.freg(ins, &a[0])?,
                    dst: self.freg(ins, &a[1])?,
                },
                (Operand::FloatReg(_), _) => Instr::FstoreFr {
                    src: self.freg(ins, &a[0])?,
                    dst: self.reg(ins, &a[1])?,
                },
                _ => Instr::FloadFr {
                    src: self.src(ins, &a[0])?,
                    dst: self.freg(ins, &a[1])?,
                },
            },
            G::Fconv => Instr::Fconv {
                src: self.src(ins, &a[0])?,
                dst: self.freg(ins, &a[1])?,
            },
            G::Fadd | G::Fsub | G::Fmul | G::Fdiv => {
                let (x, y, d) = (
                    self.freg(ins, &a[1])?,
                    self.freg(ins, &a[2])?,
                    self.freg(ins, &a[3])?,
                );
                match ins.op {
                    G::Fadd => Instr::Fadd { a: x, b: y, dst: d },
                    G::Fsub => Instr::Fsub { a: x, b: y, dst: d },
                    G::Fmul => Instr::Fmul { a: x, b: y, dst: d },
                    _ => Instr::Fdiv { a: x, b: y, dst: d },
                }
            }
            G::Fnegate => Instr::Fnegate {
                a: self.freg(ins, &a[1])?,
                dst: self.freg(ins, &a[2])?,
            },
            _ => self.binary(ins)?,
        })
    }

    /// Bit syntax instructions.
    fn binary(&mut self, ins: &GenInstr) -> R<Instr> {
        let a = ins.args.as_slice();
        use GenOp as G;
        Ok(match ins.op {
            G::BsCreateBin => Instr::BsCreateBin(Box::new(self.bs_create_bin(ins)?)),
            G::BsInit2 | G::BsInitBits => {
                let (fail, size) = (self.fail(ins, &a[0])?, self.src(ins, &a[1])?);
                let (words, live) = (self.u(ins, &a[2])?, self.live(ins, &a[3])?);
                let (flags, dst) = (self.flags(ins, &a[4])?, self.reg(ins, &a[5])?);
                if ins.op == G::BsInit2 {
                    Instr::BsInit2 {
                        fail,
                        size,
                        words,
                        live,
                        flags,
                        dst,
                    }
                } else {
                    Instr::BsInitBits {
                        fail,
                        size,
                        words,
                        live,
                        flags,
                        dst,
                    }
                }
            }
            G::BsAdd => Instr::BsAdd {
                fail: self.fail(ins, &a[0])?,
                a: self.src(ins, &a[1])?,
                b: self.src(ins, &a[2])?,
                unit: self.u(ins, &a[3])?,
                dst: self.reg(ins, &a[4])?,
            },
            G::BsAppend => Instr::BsAppend(Box::new(BsAppend {
                fail: self.fail(ins, &a[0])?,
                size: self.src(ins, &a[1])?,
                extra: self.u(ins, &a[2])?,
                live: self.live(ins, &a[3])?,
                unit: self.u(ins, &a[4])?,
                bin: self.src(ins, &a[5])?,
                flags: self.flags(ins, &a[6])?,
                dst: self.reg(ins, &a[7])?,
            })),
            G::BsPrivateAppend => Instr::BsPrivateAppend {
                fail: self.fail(ins, &a[0])?,
                size: self.src(ins, &a[1])?,
                unit: self.u(ins, &a[2])?,
                bin: self.src(ins, &a[3])?,
                flags: self.flags(ins, &a[4])?,
                dst: self.reg(ins, &a[5])?,
            },
            G::BsInitWritable => Instr::BsInitWritable,
            G::BsPutInteger | G::BsPutBinary | G::BsPutFloat => {
                let (fail, size) = (self.fail(ins, &a[0])?, self.src(ins, &a[1])?);
                let (unit, flags, src) = (
                    self.u(ins, &a[2])?,
                    self.flags(ins, &a[3])?,
                    self.src(ins, &a[4])?,
                );
                match ins.op {
                    G::BsPutInteger => Instr::BsPutInteger {
                        fail,
                        size,
                        unit,
                        flags,
                        src,
                    },
                    G::BsPutBinary => Instr::BsPutBinary {
                        fail,
                        size,
                        unit,
                        flags,
                        src,
                    },
                    _ => Instr::BsPutFloat {
                        fail,
                        size,
                        unit,
                        flags,
                        src,
                    },
                }
            }
            G::BsPutString => {
                let (len, off) = (self.u(ins, &a[0])?, self.u(ins, &a[1])?);
                Instr::BsPutString {
                    string: self.string(ins, off, len)?,
                }
            }
            G::BsPutUtf8 | G::BsPutUtf16 | G::BsPutUtf32 => {
                let (fail, flags, src) = (
                    self.fail(ins, &a[0])?,
                    self.flags(ins, &a[1])?,
                    self.src(ins, &a[2])?,
                );
                match ins.op {
                    G::BsPutUtf8 => Instr::BsPutUtf8 { fail, flags, src },
                    G::BsPutUtf16 => Instr::BsPutUtf16 { fail, flags, src },
                    _ => Instr::BsPutUtf32 { fail, flags, src },
                }
            }
            G::BsUtf8Size | G::BsUtf16Size => {
                let (fail, src, dst) = (
                    self.fail(ins, &a[0])?,
                    self.src(ins, &a[1])?,
                    self.reg(ins, &a[2])?,
                );
                if ins.op == G::BsUtf8Size {
                    Instr::BsUtf8Size { fail, src, dst }
                } else {
                    Instr::BsUtf16Size { fail, src, dst }
                }
            }
            G::BsStartMatch3 => Instr::BsStartMatch {
                fail: self.fail(ins, &a[0])?,
                src: self.src(ins, &a[1])?,
                live: self.live(ins, &a[2])?,
                dst: self.reg(ins, &a[3])?,
            },
            G::BsStartMatch4 => {
                let (live, src, dst) = (
                    self.live(ins, &a[1])?,
                    self.src(ins, &a[2])?,
                    self.reg(ins, &a[3])?,
                );
                match &a[0] {
                    Operand::Atom(m) if m.name() == "resume" => {
                        Instr::BsStartMatchResume { src, dst }
                    }
                    Operand::Atom(m) if m.name() == "no_fail" => Instr::BsStartMatch {
                        fail: Fail::NONE,
                        src,
                        live,
                        dst,
                    },
                    f => Instr::BsStartMatch {
                        fail: self.fail(ins, f)?,
                        src,
                        live,
                        dst,
                    },
                }
            }
            G::BsGetInteger2 | G::BsGetFloat2 | G::BsGetBinary2 => {
                let get = Box::new(BsGet {
                    fail: self.fail(ins, &a[0])?,
                    ctx: self.reg(ins, &a[1])?,
                    live: self.live(ins, &a[2])?,
                    size: self.src(ins, &a[3])?,
                    unit: self.u(ins, &a[4])?,
                    flags: self.flags(ins, &a[5])?,
                    dst: self.reg(ins, &a[6])?,
                });
                match ins.op {
                    G::BsGetInteger2 => Instr::BsGetInteger2(get),
                    G::BsGetFloat2 => Instr::BsGetFloat2(get),
                    _ => Instr::BsGetBinary2(get),
                }
            }
            G::BsSkipBits2 => Instr::BsSkipBits2 {
                fail: self.fail(ins, &a[0])?,
                ctx: self.reg(ins, &a[1])?,
                size: self.src(ins, &a[2])?,
                unit: self.u(ins, &a[3])?,
                flags: self.flags(ins, &a[4])?,
            },
            G::BsTestTail2 => Instr::BsTestTail2 {
                fail: self.fail(ins, &a[0])?,
                ctx: self.reg(ins, &a[1])?,
                bits: self.u(ins, &a[2])?,
            },
            G::BsTestUnit => Instr::BsTestUnit {
                fail: self.fail(ins, &a[0])?,
                ctx: self.reg(ins, &a[1])?,
                unit: self.u(ins, &a[2])?,
            },
            G::BsMatchString => {
                let (bits, off) = (self.u(ins, &a[2])?, self.u(ins, &a[3])?);
                Instr::BsMatchString {
                    fail: self.fail(ins, &a[0])?,
                    ctx: self.reg(ins, &a[1])?,
                    bits,
                    string: self.string(ins, off, bits.div_ceil(8))?,
                }
            }
            G::BsGetUtf8 | G::BsGetUtf16 | G::BsGetUtf32 => {
                let (fail, ctx) = (self.fail(ins, &a[0])?, self.reg(ins, &a[1])?);
                self.live(ins, &a[2])?;
                let (flags, dst) = (self.flags(ins, &a[3])?, self.reg(ins, &a[4])?);
                match ins.op {
                    G::BsGetUtf8 => Instr::BsGetUtf8 {
                        fail,
                        ctx,
                        flags,
                        dst,
                    },
                    G::BsGetUtf16 => Instr::BsGetUtf16 {
                        fail,
                        ctx,
                        flags,
                        dst,
                    },
                    _ => Instr::BsGetUtf32 {
                        fail,
                        ctx,
                        flags,
                        dst,
                    },
                }
            }
            G::BsSkipUtf8 | G::BsSkipUtf16 | G::BsSkipUtf32 => {
                let (fail, ctx) = (self.fail(ins, &a[0])?, self.reg(ins, &a[1])?);
                self.live(ins, &a[2])?;
                let flags = self.flags(ins, &a[3])?;
                match ins.op {
                    G::BsSkipUtf8 => Instr::BsSkipUtf8 { fail, ctx, flags },
                    G::BsSkipUtf16 => Instr::BsSkipUtf16 { fail, ctx, flags },
                    _ => Instr::BsSkipUtf32 { fail, ctx, flags },
                }
            }
            G::BsGetTail | G::BsGetPosition => {
                let (ctx, dst, live) = (
                    self.reg(ins, &a[0])?,
                    self.reg(ins, &a[1])?,
                    self.live(ins, &a[2])?,
                );
                if ins.op == G::BsGetTail {
                    Instr::BsGetTail { ctx, dst, live }
                } else {
                    Instr::BsGetPosition { ctx, dst, live }
                }
            }
            G::BsSetPosition => Instr::BsSetPosition {
                ctx: self.reg(ins, &a[0])?,
                pos: self.src(ins, &a[1])?,
            },
            op => {
                // Unreachable for a stream from `generic::decode`, which
                // rejects obsolete opcodes; kept as an error, not a panic.
                return Err(bad(
                    ins,
                    format!("{} is not accepted by OTP 25's loader", op.name()),
                ));
            }
        })
    }

    fn bs_create_bin(&mut self, ins: &GenInstr) -> R<BsCreateBin> {
        let a = ins.args.as_slice();
        let items = self.list(ins, &a[5])?;
        if items.len() % 6 != 0 {
            return Err(bad(ins, "segment list is not a multiple of six operands"));
        }
        let mut segments = Vec::with_capacity(items.len() / 6);
        for s in items.chunks_exact(6) {
            let kind = match self.atom(ins, &s[0])?.name() {
                "integer" => BsKind::Integer,
                "float" => BsKind::Float,
                "binary" => BsKind::Binary,
                "utf8" => BsKind::Utf8,
                "utf16" => BsKind::Utf16,
                "utf32" => BsKind::Utf32,
                "string" => BsKind::String,
                "append" => BsKind::Append,
                "private_append" => BsKind::PrivateAppend,
                other => return Err(bad(ins, format!("unknown segment type {other}"))),
            };
            let size = match &s[5] {
                Operand::Atom(a) if matches!(a.name(), "all" | "undefined") => None,
                op => Some(self.src(ins, op)?),
            };
            let (value, string) = if kind == BsKind::String {
                let len = match size.map(|s| s.kind()) {
                    Some(crate::code::SrcKind::Const(t)) => {
                        t.as_small().and_then(|n| u32::try_from(n).ok())
                    }
                    _ => None,
                };
                let len = len.ok_or_else(|| bad(ins, "string segment without a byte count"))?;
                (
                    Src::constant(Term::NIL),
                    self.string(ins, self.u(ins, &s[4])?, len)?,
                )
            } else {
                (self.src(ins, &s[4])?, Span { start: 0, len: 0 })
            };
            segments.push(BsSegment {
                kind,
                segment: self.u(ins, &s[1])?,
                unit: self.u(ins, &s[2])?,
                flags: self.flags(ins, &s[3])?,
                value,
                size,
                string,
            });
        }
        Ok(BsCreateBin {
            fail: self.fail(ins, &a[0])?,
            alloc: self.heap_need(ins, &a[1])?,
            live: self.live(ins, &a[2])?,
            unit: self.u(ins, &a[3])?,
            dst: self.reg(ins, &a[4])?,
            segments: segments.into(),
        })
    }
}

fn type_test(op: GenOp, fail: Fail, src: Src) -> Instr {
    use GenOp as G;
    match op {
        G::IsInteger => Instr::IsInteger { fail, src },
        G::IsFloat => Instr::IsFloat { fail, src },
        G::IsNumber => Instr::IsNumber { fail, src },
        G::IsAtom => Instr::IsAtom { fail, src },
        G::IsPid => Instr::IsPid { fail, src },
        G::IsReference => Instr::IsReference { fail, src },
        G::IsPort => Instr::IsPort { fail, src },
        G::IsNil => Instr::IsNil { fail, src },
        G::IsBinary => Instr::IsBinary { fail, src },
        G::IsList => Instr::IsList { fail, src },
        G::IsNonemptyList => Instr::IsNonemptyList { fail, src },
        G::IsTuple => Instr::IsTuple { fail, src },
        G::IsFunction => Instr::IsFunction { fail, src },
        G::IsBoolean => Instr::IsBoolean { fail, src },
        G::IsBitstr => Instr::IsBitstring { fail, src },
        _ => Instr::IsMap { fail, src },
    }
}

/// Whether `t` is an immediate (compared by its word alone).
fn is_immediate(t: Term) -> bool {
    matches!(t.kind(), Kind::Small | Kind::Atom | Kind::Nil)
}

/// Chooses the table shape for a select: a jump table when the keys are
/// small integers covering at least half of their range (and the range is
/// modest), a bisection table when all keys are immediates, else a linear
/// list compared with `=:=`. Later duplicates of a key never match, as in
/// a linear scan.
fn build_select(mut pairs: Vec<(Term, Target)>, arities: bool) -> SelectTable {
    let mut seen: Vec<(Term, Target)> = Vec::with_capacity(pairs.len());
    let mut immediates = ahash::AHashSet::new();
    for (k, t) in pairs.drain(..) {
        let new = if is_immediate(k) {
            immediates.insert(k.raw())
        } else {
            !seen.iter().any(|&(s, _)| eq_exact(s, k))
        };
        if new {
            seen.push((k, t));
        }
    }
    let pairs = seen;
    let smalls: Option<Vec<i64>> = pairs.iter().map(|(k, _)| k.as_small()).collect();
    if let (Some(vals), false) = (&smalls, arities) {
        if let (Some(&min), Some(&max)) = (vals.iter().min(), vals.iter().max()) {
            let range = max.abs_diff(min) + 1;
            if range <= 4096 && range <= 2 * vals.len() as u64 {
                let mut targets = vec![None; range as usize];
                for (&v, &(_, t)) in vals.iter().zip(&pairs) {
                    targets[v.abs_diff(min) as usize] = Some(t);
                }
                return SelectTable::Jump {
                    min,
                    targets: targets.into(),
                };
            }
        }
    }
    if pairs.iter().all(|(k, _)| is_immediate(*k)) {
        let mut sorted: Vec<(u64, Target)> = pairs
            .iter()
            .map(|&(k, t)| {
                (
                    if arities {
                        k.as_small().unwrap_or(0) as u64
                    } else {
                        k.raw()
                    },
                    t,
                )
            })
            .collect();
        sorted.sort_by_key(|&(k, _)| k);
        return SelectTable::Sorted {
            keys: sorted.iter().map(|&(k, _)| k).collect(),
            targets: sorted.iter().map(|&(_, t)| t).collect(),
        };
    }
    SelectTable::Linear {
        keys: pairs.iter().map(|&(k, _)| k).collect(),
        targets: pairs.iter().map(|&(_, t)| t).collect(),
    }
}
