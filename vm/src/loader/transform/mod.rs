//! Translation of the generic instruction stream into Enigma's loaded code
//! ([`crate::code`]), the job BEAM's `ops.tab` rules and `beam_makeops` do.
//!
//! Every opcode OTP 25's loader accepts is handled; none is dropped without
//! a rule saying so. The rules, in the order they are tried (`A | B` is a
//! pair of consecutive instructions, `_` removes): the first ones are in
//! `translate_one` below, the one-to-one rules in `simple.rs` and, for the
//! bit syntax, `binary.rs`.
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
//! move S {x,0} | return            => MoveReturn S          (MoveReturnX N for S = {x,N})
//! get_tuple_element {x,S} I {x,D0} | get_tuple_element {x,S} I+1 {x,D1}
//!                                  => GetPairXX S I D0 D1     (D0 not S)
//! move A B | move C D              => Move2 A B C D (in order; unless the second is a MoveReturn's)
//!                                  => Move2R A B C D         (A and C registers)
//!                                  => Move2XXXX/XYXY/YXYX/XYXX/YXXX/XXYX/YXXY/XXYY (by which are X
//!                                                             and Y registers)
//! deallocate N | return            => DeallocateReturn N
//! call_fun A / call_fun2 T A F | deallocate N | return
//!                                  => CallFunLast A N F, then DeallocateReturn N
//! test_heap H L | put_list A B D   => TestHeapPutList        (H words only)
//!                                  => TestHeapPutListYX      (A a Y register, D an X register)
//! test_heap H L | fmove {fr,S} D   => TestHeapFstore
//! test_heap H L | put_tuple2 D [A B] => TestHeapPutPair     (H words only, below 2^16)
//! move {x,S} {x,D} | call_only A L => MoveCallOnly S D A L (MoveLoopOnly if L is earlier)
//! Move2XYXX R | call A L           => Move2XYXXCall R A L, Call A L (the second only where a
//!                                                             trace exit resumes: the first
//!                                                             returns past it)
//! is_nonempty_list F {x,S} | allocate N L | get_list {x,S} {y,H} {x,T}
//!                                  => ListAllocXYX, then the plain three (fused.rs: a fused
//!                                     instruction followed by its copies, code::fuse)
//! ... the same three (| line) | call A L
//!                                  => ListAllocXYXCall, the three, Call
//! test_heap | put_list {y,H} {x,T} {x,0} | deallocate N | return
//!                                  => PutListYXDeallocReturn, TestHeapPutListYX, DeallocateReturn
//! is_lt F {x,A} Imm | return       => IsLtXIReturn, IsLtXI, Return
//! is_eq_exact/is_nil F {x,A} Imm | move {x,N} {x,0} | return | label F
//!                                  => IsEqExactXIReturnX A N Imm, IsEqExactXI, MoveReturnX
//! is_lt F {x,A} {x,B} (F: move {x,N} {x,0} | return)
//!                                  => IsLtXXElseReturnX A B N, IsLtXX
//! gc_bif2 + {y,A} {x,B} {x,0} | deallocate N | return
//!                                  => AddYXDeallocReturn, AddYX, DeallocateReturn
//! gc_bif2 +|- {x,A} K {x,D} | allocate N L (| init_yregs)
//!                                  => AddXIAllocate, AddXI, Allocate
//! ... | moves | call A L           => AddXIAllocMoves<shape>Call, then the plain translation
//! gc_bif2 +|- {y,A} K {x,D} | moves | call A L (or | trim N R | call A L)
//!                                  => AddYIMoves<shape>Call / ...TrimCall, AddYI, the moves'
//!                                     translation, (Trim,) Call (code::move_run: fib's and
//!                                     tak's shapes, Instr::pre_run_shape)
//! move {x,S} {x,D} | call A L      => MoveXXCall, MoveXX, Call
//! trim N R | call A L              => TrimCall, Trim, Call
//! move {y,S} {x,D} | call_last A L N => MoveYXLoopLast, MoveYX, LoopLast (L earlier)
//! move R R | ... (3 to 6 register moves) | call A L / trim N R | call A L / call_last A L N
//!                                  => Moves<shape>Call / ...TrimCall / ...Last, then the plain
//!                                     translation (fused.rs, code::move_run: six shapes)
//! call_only A L / call_last A L N  => LoopOnly / LoopLast    (L earlier: a loop's back edge,
//!                                                             with its profiling countdown)
//! allocate* ... | init_yregs _      => Allocate* ...          (allocate's Y slots are [] already)
//! is_eq_exact F A Imm              => IsEqExactImm F A Imm   (Imm atom, small or []; either side)
//! is_ne_exact F A Imm              => IsNeExactImm F A Imm
//!                                  => IsEqExactXI / IsNeExactXI F N Imm (A an X register)
//! is_lt/is_ge F {x,N} Imm         => IsLtXI / IsGeXI F N Imm (Imm a small integer; either side:
//! is_lt/is_ge F Imm {x,N}         => IsLtIX / IsGeIX F Imm N  one compare of tagged words)
//! is_lt/is_ge F {x,A} {x,B}       => IsLtXX / IsGeXX F A B
//! select_val S F [V L ...]         => SelectVal S F table    (Jump if dense small ints,
//!                                                             Sorted if all immediates, else Linear)
//! select_tuple_arity S F [A L ...] => SelectTupleArity S F table (Sorted)
//! bs_start_match4 no_fail|F ...    => BsStartMatch           (BsStartMatchResume for `resume`)
//! bs_start_match3 F S L D          => BsStartMatch
//! bs_start_match3/4 F S L D | bs_get_position D P L2
//!                                  => BsStartMatchPos F S L D P L2 (not for `resume`)
//! bs_get_integer2 F C L Sz U Fl D  => BsGetUint F C Bits D  (Sz a literal, Sz*U in 1..=59,
//!                                                             unsigned, big-endian or <= 8 bits)
//!                                  => BsGetU8/U16/U32 F C D  (Bits 8, 16 or 32)
//! bs_get_integer2 ... D | is_eq_exact Ne D Byte
//!                                  => BsGetU8Eq F C D Byte Ne U (the get a BsGetU8, Byte 0..=255;
//!                                                             U the fail label of a `bs_test_unit U
//!                                                             C 8` at Ne, which is not fused with
//!                                                             what follows it, else none)
//! bs_get_integer2 ... D | select_val D F2 Table
//!                                  => BsGetU8Select F C D F2 Table (the get a BsGetU8, D not C)
//! bs_start_match3/4 | bs_get_position | bs_get_integer2 | is_eq_exact
//!                                  => BsStartU8Eq             (BsStartMatchPos, then BsGetU8Eq on
//!                                                             its context; all X registers)
//! bs_test_unit F C 8               => BsTestUnit8 F C
//! gc_bif2 +|- A B S | gc_bif2 band S M D | move {x,_} {x,_} | call_only N L
//!                                  => AddBandLoop             (AddRR, BandXI, MoveLoopOnly: L earlier,
//!                                                             no fail labels, X registers below 256,
//!                                                             S not A or B, M tagged in 32 bits)
//! LoopOnly / MoveLoopOnly / AddBandLoop to L
//!                                  => ByteLoop                (L starts a match, every instruction
//!                                                             from L to here one a byte loop runs)
//! get_list {x,N} H T               => GetListX N H T
//!                                  => GetListXYX N H T       (H a Y register, T an X register)
//! make_fun2 I                      => MakeFun (env = x0..x(NumFree-1))
//! make_fun3 I D Env                => MakeFun
//! fmove fr fr / fr reg / src fr    => FmoveFr / FstoreFr / FloadFr (FloadImm for a float literal,
//!                                                             FloadX for an X register)
//! fconv S D                        => Fconv S D              (FconvX N D for S = {x,N})
//! fadd/fsub/fmul/fdiv _ A B D      => Fadd.. (the fail label is always {f,0})
//! fmove Lit|{x,N} K | fadd.. A B D  => FloadImmAdd.. / FloadXAdd.. (a FloadImm or FloadX, then the
//!                                                             operation: one dispatch)
//! bif0 / bif1 / bif2               => Bif0 / Bif1 / Bif2     (import -> &'static Export)
//! bif2/gc_bif2 of erlang:Op/2      => Op2 op                 (Op an ArithOp: + - * div rem band bor
//!                                                             bxor bsl bsr < > =< >= == /= =:= =/=)
//!                                  => Op2XI op               (A an X register, B a small integer)
//!                                  => AddXI op               (that, op + or -, D an X register;
//!                                                             AddXIY for a Y register)
//!                                  => BandXI mask            (A and D X registers, B a small integer,
//!                                                             op band)
//!                                  => AddYI op               (A a Y register, D an X register, B a
//!                                                             small integer, op + or -)
//!                                  => AddRR op               (A and B registers, op + or -)
//!                                  => AddXX / AddYX          (op +, A an X / Y register, B and D
//!                                                             X registers)
//! gc_bif1 / gc_bif2 / gc_bif3      => GcBif1 / GcBifN        (arguments in operands[])
//! call_ext* I                      => CallExt*               (import -> &'static Export)
//! move {x,S}|{y,S} {x,D}|{y,D}     => MoveXX / MoveXY / MoveYX (register to register; Move otherwise)
//! is_nil F {x,N}                   => IsEqExactXI F N []
//! is_nonempty_list F {x,N}         => IsNonemptyListX F N
//! is_bitstr                        => IsBitstring
//! call_fun2 safe|unsafe|I A F      => CallFun2 (I: the FunT index of a known lambda)
//! anything else                    => the variant of the same name, operands shaped:
//!     labels -> instruction indices, {f,0} -> Fail::NONE, x/y registers -> Reg,
//!     typed registers -> Reg (+ reg_types: index, register, Type chunk entry),
//!     sources -> Src (register or constant term: atoms, integers (bignums and
//!     floats built in the literal area), literals), lists -> operands[] spans,
//!     allocation lists -> HeapNeed, BIF/import indices -> &'static Export,
//!     string table offsets -> spans checked against StrT.
//! ```
//!
//! Labels are resolved with two passes over the stream: the first records
//! where each label lands, the second translates with those positions.
//! No rule's output size may depend on label positions or constant values,
//! so both passes emit the same number of instructions (checked). The code
//! ends with `CodeEnd`, which no generic instruction becomes.

mod binary;
mod fused;
mod loop_tail;
mod operands;
mod simple;

use ahash::AHashMap;

use super::chunks::BeamFile;
use super::compact::Operand;
use super::error::{ErrorKind, LoadError};
use super::generic::GenInstr;
use super::genop::GenOp;
use super::literals::LiteralArea;
use crate::atom::Atom;
use crate::code::instr::SelectTable;
use crate::code::{
    ArithOp, Countdown, Fail, FunctionInfo, Instr, LambdaInfo, Module, Reg, Src, SrcKind, Target,
};
use crate::term::fun::{Export, FunEntry};

use operands::is_immediate;

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
                l.at,
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
    let handlers = super::frames::check(file, gen).map_err(|e| e.in_module(file.module.name()))?;
    let mut tx = Tx {
        file,
        gen,
        labels: vec![None; file.code.label_count as usize],
        label_at: label_positions(gen, file.code.label_count),
        first_pass: true,
        plain_only: false,
        imports,
        lambdas,
        literals,
        out: Out::default(),
        native_entry: None,
    };
    tx.pass()?;
    let first_len = tx.out.code.len();
    tx.first_pass = false;
    tx.out = Out::default();
    tx.pass()?;
    if tx.out.code.len() != first_len {
        // A rule whose output size depends on label positions or constant
        // values would make the resolved labels wrong.
        return Err(LoadError::new(
            super::error::ChunkId(*b"Code"),
            file.code.code.offset,
            ErrorKind::Malformed("internal: translation passes disagree".into()),
        )
        .in_module(file.module.name()));
    }
    tx.finish(&handlers)
        .map_err(|e| e.in_module(file.module.name()))
}

/// `GetPairXX` for two `get_tuple_element`s of consecutive elements of
/// one X register into X registers, the first not overwriting the tuple.
fn get_pair(first: &Instr, second: &Instr) -> Option<Instr> {
    let (
        &Instr::GetTupleElement { src, index, dst },
        &Instr::GetTupleElement {
            src: src1,
            index: index1,
            dst: dst1,
        },
    ) = (first, second)
    else {
        return None;
    };
    let x = |r: Reg| (!r.is_y()).then(|| r.index() as u16);
    let (s, d0, d1) = (x(src.as_reg()?)?, x(dst)?, x(dst1)?);
    (src1 == src && index.checked_add(1) == Some(index1) && d0 != s).then_some(Instr::GetPairXX {
        src: s,
        index,
        dst0: d0,
        dst1: d1,
    })
}

/// What one pass produces.
#[derive(Default)]
struct Out {
    code: Vec<Instr>,
    operands: Vec<Src>,
    selects: Vec<SelectTable>,
    functions: Vec<FunctionInfo>,
    line_marks: Vec<(Target, u32)>,
    reg_types: Vec<(Target, Reg, u32)>,
    on_load: Option<u32>,
}

struct Tx<'a> {
    file: &'a BeamFile<'a>,
    gen: &'a [GenInstr],
    /// Label number -> instruction index, filled by the first pass.
    labels: Vec<Option<Target>>,
    /// Label number -> index in `gen` of its `label` (`usize::MAX` if
    /// none): what a rule that looks at a jump's target reads.
    label_at: Vec<usize>,
    first_pass: bool,
    /// Translating the plain copies of a fused instruction (`fused.rs`):
    /// no fusing again.
    plain_only: bool,
    imports: Vec<&'static Export>,
    lambdas: Vec<&'static FunEntry>,
    literals: LiteralArea,
    out: Out,
    /// The function whose `func_info` was just translated, when it is a
    /// NIF stub with a native implementation: its entry label gets a
    /// call of that implementation (arity, export).
    native_entry: Option<(u32, &'static Export)>,
}

/// Where each label of `gen` is (see `Tx::label_at`; `usize::MAX` for
/// none).
pub(super) fn label_positions(gen: &[GenInstr], count: u32) -> Vec<usize> {
    let mut at = vec![usize::MAX; count as usize];
    for (i, ins) in gen.iter().enumerate() {
        if let (GenOp::Label, Some(&Operand::U(l))) = (ins.op, ins.args.first()) {
            if let Some(slot) = usize::try_from(l).ok().and_then(|l| at.get_mut(l)) {
                *slot = i;
            }
        }
    }
    at
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

    /// The module; `handlers` are the frame sizes of exception handlers
    /// by label (`frames::check`).
    fn finish(mut self, handlers: &[(u32, u32)]) -> R<Module> {
        // Labels resolve to the index of the next instruction: with this
        // one after the last, every resolved position is below the length
        // (`Module::code`).
        self.out.code.push(Instr::CodeEnd);
        // A test with no fail label (no compiler emits one) fails into
        // `CodeEnd`, which raises `badarg`: every test then has a target
        // the interpreter jumps to unchecked (`Cursor::test`).
        let end = self.out.code.len() as Target - 1;
        for i in &mut self.out.code {
            if let Some(fail) = i.test_fail_mut() {
                *fail = Fail::to(fail.target_or_end(end));
            }
        }
        let file = self.file;
        let label = |l: u32, chunk: &[u8; 4], at: usize| -> R<Target> {
            self.labels
                .get(l as usize)
                .copied()
                .flatten()
                .ok_or_else(|| {
                    LoadError::new(
                        super::error::ChunkId(*chunk),
                        at,
                        ErrorKind::Malformed(format!("entry refers to undefined label {l}")),
                    )
                })
        };
        let mut exports = Vec::with_capacity(file.exports.len());
        for e in &file.exports {
            let at = label(e.label, b"ExpT", e.at)?;
            exports.push((Export::get_or_create(file.module, e.function, e.arity), at));
        }
        let mut lambdas = Vec::with_capacity(self.lambdas.len());
        for (l, entry) in file.lambdas.iter().zip(&self.lambdas) {
            lambdas.push(LambdaInfo {
                entry,
                code: label(l.label, b"FunT", l.at)?,
            });
        }
        let mut handler_frames: Vec<(Target, u32)> = handlers
            .iter()
            .filter_map(|&(l, words)| {
                Some((self.labels.get(l as usize).copied().flatten()?, words))
            })
            .collect();
        // Labels that resolve to one position: the code there needs the
        // smallest of their frames.
        handler_frames.sort_unstable();
        handler_frames.dedup_by_key(|&mut (at, _)| at);
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
            line_marks: if crate::module::is_preloaded(file.module) {
                Vec::new()
            } else {
                self.out.line_marks
            },
            reg_types: self.out.reg_types,
            types: file.types.clone().unwrap_or_default().into(),
            line_table: file.lines.clone().unwrap_or_default(),
            strings: file.strings.into(),
            literals: self.literals,
            attributes: file.attributes.unwrap_or_default().into(),
            compile_info: file.compile_info.unwrap_or_default().into(),
            handler_frames,
        })
    }

    fn emit(&mut self, i: Instr) {
        let i = self.byte_loop(i);
        self.out.code.push(i);
    }

    fn here(&self) -> Target {
        self.out.code.len() as Target
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

    /// Whether `e` is one of the BIFs the compiler knows never return
    /// (`erl_bifs:is_exit_bif/3`).
    fn is_exit_bif(&self, e: &Export) -> bool {
        e.module == Atom::ERLANG
            && matches!(
                (e.function.name(), e.arity),
                ("exit", 1) | ("throw", 1) | ("error", 1) | ("error", 2)
            )
    }

    /// The operator a `bif2`/`gc_bif2` calls, if it is one of
    /// [`ArithOp`]'s.
    fn arith_op(&self, ins: &GenInstr) -> Option<ArithOp> {
        let at = if ins.op == GenOp::GcBif2 { 2 } else { 1 };
        let e = self.import(ins, ins.args.get(at)?).ok()?;
        ArithOp::of_export(e)
    }

    /// `bif2 F Op A B D` / `gc_bif2 F Live Op A B D` of an [`ArithOp`].
    fn op2(&mut self, ins: &GenInstr) -> R<Instr> {
        let a = ins.args.as_slice();
        let (live, at) = match ins.op {
            GenOp::GcBif2 => (self.live(ins, &a[1])? as u16, 3),
            _ => (crate::code::arith::NO_LIVE, 2),
        };
        let op = self
            .arith_op(ins)
            .ok_or_else(|| bad(ins, "not an operator"))?;
        let fail = self.fail(ins, &a[0])?;
        let (sa, b) = (self.src(ins, &a[at])?, self.src(ins, &a[at + 1])?);
        let dst = self.reg(ins, &a[at + 2])?;
        let small = match b.kind() {
            SrcKind::Const(t) if t.is_small() => Some(t.small_value()),
            _ => None,
        };
        let delta = small.and_then(|k| Instr::add_delta(op, k));
        Ok(match (sa.as_reg(), b.as_reg()) {
            (Some(r), None) if delta.is_some() && !(r.is_y() && dst.is_y()) => {
                Instr::add_imm(op, fail, live, r, delta.unwrap_or(0), dst)
            }
            (Some(r), None)
                if !r.is_y() && !dst.is_y() && op == ArithOp::Band && small.is_some() =>
            {
                Instr::BandXI {
                    fail,
                    live,
                    a: r.index() as u16,
                    mask: small.unwrap_or(0) << 4 | 0xF,
                    dst,
                }
            }
            (Some(a), Some(b)) if matches!(op, ArithOp::Add | ArithOp::Sub) => Instr::AddRR {
                op,
                fail,
                live,
                a,
                b,
                dst,
            },
            (Some(r), None) if !r.is_y() && small.is_some() => Instr::Op2XI {
                op,
                fail,
                live,
                a: r.index() as u16,
                imm: small.unwrap_or(0),
                dst,
            },
            _ => Instr::Op2 {
                op,
                fail,
                live,
                a: sa,
                b,
                dst,
            },
        })
    }

    /// Whether instructions `i` and `i + 1` are `move S {x,0} | return`.
    fn is_move_return(&self, i: usize) -> bool {
        let g = self.gen;
        g.get(i)
            .is_some_and(|m| m.op == GenOp::Move && m.args[1] == Operand::X(0))
            && g.get(i + 1).is_some_and(|r| r.op == GenOp::Return)
    }

    /// Whether `test_heap` at `i` fuses with the next instruction: a
    /// `put_list` (when the heap need is words only) or an `fmove` from a
    /// float register to a register.
    fn fuses_after_test_heap(&self, i: usize) -> bool {
        let (ins, Some(n)) = (&self.gen[i], self.gen.get(i + 1)) else {
            return false;
        };
        match n.op {
            GenOp::PutList => self
                .heap_need(ins, &ins.args[0])
                .is_ok_and(|h| h.floats == 0 && h.funs == 0),
            GenOp::Fmove => {
                matches!(n.args[0], Operand::FloatReg(_))
                    && !matches!(n.args[1], Operand::FloatReg(_))
            }
            GenOp::PutTuple2 => {
                self.heap_need(ins, &ins.args[0])
                    .is_ok_and(|h| h.floats == 0 && h.funs == 0 && u16::try_from(h.words).is_ok())
                    && self.list(n, &n.args[1]).is_ok_and(|l| l.len() == 2)
            }
            _ => false,
        }
    }

    /// The native implementation of the function whose `func_info` is at
    /// `i`, when its body is a NIF stub (`erlang:nif_error/1,2` after a
    /// `nif_start` and a move or two, as `erlc` compiles `f(_) ->
    /// erlang:nif_error(undef)`, or a tail call of the module's own
    /// `nif_stub_error/1`, as `crypto` writes its stubs) and a BIF is
    /// registered under its name: as BEAM's loaded NIFs and BIF stubs
    /// (`lists:reverse/2`), local calls reach it too, not only remote ones.
    fn native_stub(&self, i: usize, m: Atom, f: Atom, arity: u32) -> Option<&'static Export> {
        let export = Export::lookup(m, f, arity).filter(|e| e.bif().is_some())?;
        let call = self.gen.get(i + 1..)?.iter().take(6).find(|g| {
            !matches!(
                g.op,
                GenOp::Label | GenOp::Line | GenOp::NifStart | GenOp::Move
            )
        })?;
        let stub = match call.op {
            GenOp::CallExtOnly | GenOp::CallExtLast => {
                let callee = self.import(call, call.args.get(1)?).ok()?;
                callee.module == Atom::ERLANG && callee.function.name() == "nif_error"
            }
            GenOp::CallOnly | GenOp::CallLast => match call.args.get(1)? {
                Operand::Label(l) => self.function_at(*l)? == "nif_stub_error",
                _ => false,
            },
            _ => false,
        };
        stub.then_some(export)
    }

    /// The name of the function whose entry is label `l` (the label right
    /// after its `func_info`).
    fn function_at(&self, l: u32) -> Option<&'static str> {
        let at = self.gen.windows(2).position(|w| {
            w[0].op == GenOp::FuncInfo
                && w[1].op == GenOp::Label
                && matches!(w[1].args.first(), Some(Operand::U(n)) if *n == u64::from(l))
        })?;
        match self.gen[at].args.get(1)? {
            Operand::Atom(name) => Some(name.name()),
            _ => None,
        }
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
        if let Some(n) = self.fused_with_copies(i)? {
            return Ok(n);
        }
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
                if let Some((arity, export)) = self.native_entry.take() {
                    self.emit(Instr::CallExtOnly { arity, export });
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
                // BEAM's limit on arguments (and on a fun's free variables
                // plus arguments, in the function it is lifted to).
                if arity > 255 {
                    return Err(bad(ins, format!("too many arguments: {arity}")));
                }
                self.native_entry = self.native_stub(i, m, name, arity).map(|e| (arity, e));
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
            G::Fmove
                if next.is_some_and(|n| matches!(n.op, G::Fadd | G::Fsub | G::Fmul | G::Fdiv)) =>
            {
                let load = self.simple(ins)?;
                match Instr::fload_arith(&load, &self.simple(&self.gen[i + 1])?) {
                    Some(fused) => {
                        self.emit(fused);
                        return Ok(2);
                    }
                    None => load,
                }
            }
            G::GetTupleElement if next.is_some_and(|n| n.op == G::GetTupleElement) => {
                let first = self.simple(ins)?;
                match get_pair(&first, &self.simple(&self.gen[i + 1])?) {
                    Some(pair) => {
                        self.emit(pair);
                        return Ok(2);
                    }
                    None => first,
                }
            }
            G::Move if a[1] == Operand::X(0) && next.is_some_and(|n| n.op == G::Return) => {
                let src = self.src(ins, &a[0])?;
                self.emit(match src.kind() {
                    SrcKind::X(i) => Instr::MoveReturnX { src: i as u16 },
                    _ => Instr::MoveReturn { src },
                });
                return Ok(2);
            }
            G::Move if next.is_some_and(|n| n.op == G::CallOnly) => {
                let n = &self.gen[i + 1];
                let instr = match self.simple(ins)? {
                    Instr::MoveXX { src, dst } => {
                        let arity = self.u(n, &n.args[0])?;
                        let target = self.target(n, &n.args[1])?;
                        if target < self.here() {
                            Instr::MoveLoopOnly {
                                src,
                                dst,
                                arity,
                                target,
                                count: Countdown::new(),
                            }
                        } else {
                            Instr::MoveCallOnly {
                                src,
                                dst,
                                arity,
                                target,
                                count: Countdown::new(),
                            }
                        }
                    }
                    // Not fused: the move alone, then the call.
                    other => {
                        self.emit(other);
                        return Ok(1);
                    }
                };
                self.emit(instr);
                return Ok(2);
            }
            G::Move if next.is_some_and(|n| n.op == G::Move) && !self.is_move_return(i + 1) => {
                let n = &self.gen[i + 1];
                let (src1, dst1) = (self.src(ins, &a[0])?, self.reg(ins, &a[1])?);
                let (src2, dst2) = (self.src(n, &n.args[0])?, self.reg(n, &n.args[1])?);
                let instr = match (src1.as_reg(), src2.as_reg()) {
                    (Some(src1), Some(src2)) => Instr::move2(src1, dst1, src2, dst2),
                    _ => Instr::Move2 {
                        src1,
                        dst1,
                        src2,
                        dst2,
                    },
                };
                if let (Instr::Move2XYXX(moves), Some(call)) = (&instr, self.gen.get(i + 2)) {
                    if call.op == G::Call {
                        // The fused call, then the plain one as the
                        // position a trace exit resumes at (see
                        // `Instr::Move2XYXXCall`).
                        let Instr::Call { arity, target, .. } = self.simple(call)? else {
                            return Err(bad(call, "internal: call fusion"));
                        };
                        let short = u16::try_from(arity);
                        let short = short.map_err(|_| bad(call, "arity above 65535"))?;
                        // Both return past the plain call.
                        let cont = Instr::cont_bits(self.here() + 2);
                        self.emit(Instr::Move2XYXXCall {
                            moves: *moves,
                            arity: short,
                            target,
                            count: Countdown::new(),
                            cont,
                        });
                        self.emit(Instr::Call {
                            arity,
                            target,
                            count: Countdown::new(),
                            cont,
                        });
                        return Ok(3);
                    }
                }
                self.emit(instr);
                return Ok(2);
            }
            G::Allocate | G::AllocateHeap | G::AllocateZero | G::AllocateHeapZero
                if next.is_some_and(|n| n.op == G::InitYregs) =>
            {
                // `allocate` fills its Y slots with `[]` already.
                let instr = self.simple(ins)?;
                self.emit(instr);
                return Ok(2);
            }
            G::BsStartMatch3 | G::BsStartMatch4 if next.is_some() => {
                if let Some(fused) = self.bs_start_u8_eq(i)? {
                    self.emit(fused);
                    return Ok(4);
                }
                let n = &self.gen[i + 1];
                if let Some(fused) = self.bs_start_match_pos(ins, n)? {
                    self.emit(fused);
                    return Ok(2);
                }
                self.simple(ins)?
            }
            G::BsGetInteger2 if next.is_some() => {
                let n = &self.gen[i + 1];
                let fused = match n.op {
                    G::IsEqExact => self.bs_get_u8_eq(ins, n)?,
                    G::SelectVal => self.bs_get_u8_select(ins, n)?,
                    _ => None,
                };
                if let Some(fused) = fused {
                    self.emit(fused);
                    return Ok(2);
                }
                self.binary(ins)?
            }
            G::GcBif2 if self.gen.len() > i + 3 => {
                if let Some(fused) = self.add_band_loop(i)? {
                    self.emit(fused);
                    return Ok(4);
                }
                self.simple(ins)?
            }
            G::TestHeap if self.fuses_after_test_heap(i) => {
                let heap = self.heap_need(ins, &a[0])?;
                let live = self.live(ins, &a[1])?;
                let instr = match self.simple(&self.gen[i + 1])? {
                    Instr::PutList { head, tail, dst } => match head.as_reg() {
                        Some(h) if h.is_y() && !dst.is_y() => Instr::TestHeapPutListYX {
                            words: heap.words,
                            live,
                            head: h.index() as u16,
                            tail,
                            dst: dst.index() as u16,
                        },
                        _ => Instr::TestHeapPutList {
                            words: heap.words,
                            live,
                            head,
                            tail,
                            dst,
                        },
                    },
                    Instr::FstoreFr { src, dst } => Instr::TestHeapFstore {
                        heap,
                        live,
                        src,
                        dst,
                    },
                    Instr::PutTuple2 { dst, elements } => {
                        let m = &self.out.operands[elements.range()];
                        Instr::TestHeapPutPair {
                            words: heap.words as u16,
                            live: live as u16,
                            dst,
                            a: m[0],
                            b: m[1],
                            elements,
                        }
                    }
                    _ => return Err(bad(ins, "internal: test_heap fusion")),
                };
                self.emit(instr);
                return Ok(2);
            }
            G::CallFun | G::CallFun2
                if next.is_some_and(|n| n.op == G::Deallocate)
                    && self.gen.get(i + 2).is_some_and(|n| n.op == G::Return) =>
            {
                let words = self.u(&self.gen[i + 1], &self.gen[i + 1].args[0])?;
                let (arity, fun) = if ins.op == G::CallFun {
                    let arity = self.u(ins, &a[0])?;
                    let x = u16::try_from(arity).map_err(|_| bad(ins, "call_fun arity"))?;
                    (arity, Src::reg(Reg::x(x)))
                } else {
                    (self.u(ins, &a[1])?, self.src(ins, &a[2])?)
                };
                self.emit(Instr::CallFunLast {
                    arity,
                    dealloc: words,
                    fun,
                });
                return Ok(1);
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
                    SrcKind::Const(t) if is_immediate(t) => Some(t),
                    _ => None,
                };
                let eq = ins.op == G::IsEqExact;
                let instr = match (imm(x), imm(y)) {
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
                };
                instr.shaped()
            }
            _ => self.simple(ins)?,
        };
        self.emit(instr);
        Ok(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(src: Src, index: u32, dst: Reg) -> Instr {
        Instr::GetTupleElement { src, index, dst }
    }

    #[test]
    fn consecutive_elements_of_an_x_register_fuse() {
        let t = Src::reg(Reg::x(0));
        let fused = get_pair(&get(t, 0, Reg::x(1)), &get(t, 1, Reg::x(0)));
        assert!(matches!(
            fused,
            Some(Instr::GetPairXX {
                src: 0,
                index: 0,
                dst0: 1,
                dst1: 0
            })
        ));
        // The first get overwrites the tuple; elements not consecutive;
        // another tuple; a Y register.
        assert!(get_pair(&get(t, 0, Reg::x(0)), &get(t, 1, Reg::x(1))).is_none());
        assert!(get_pair(&get(t, 0, Reg::x(1)), &get(t, 2, Reg::x(2))).is_none());
        let u = Src::reg(Reg::x(3));
        assert!(get_pair(&get(t, 0, Reg::x(1)), &get(u, 1, Reg::x(2))).is_none());
        assert!(get_pair(&get(t, 0, Reg::y(1)), &get(t, 1, Reg::x(2))).is_none());
    }
}
