//! The frame-size pass (a small part of OTP's `beam_validator`): proves,
//! over the generic code, that every Y register an instruction names is
//! inside the stack frame its function allocated, and that `deallocate`,
//! `trim` and the tail calls that drop a frame drop no more than it has,
//! so the interpreter reads and writes Y registers and drops frames
//! without a bounds test (docs/RUNTIME.md, session 9).
//!
//! Per instruction the pass knows a lower bound of the frame's size in
//! words (the words above the function's continuation pointer): 0 at a
//! function's entry (after `func_info`, at the labels of calls, exports
//! and lambdas), `+N` after `allocate* N`, `-N` after `deallocate N` /
//! `trim N`; at a label the smallest size of the edges that reach it (every
//! label operand but a call's target is an edge; `try`/`catch` handlers
//! too). `call_ext_last` and `apply_last` are not checked: the compiler
//! names the whole frame in its tail calls to `erlang:error/1` and the
//! other functions that never return even where a path to them trimmed
//! it (`beam_validator` does not check those), so the interpreter clamps
//! what they drop to the stack's depth (out of line, where they run).
//! Exception handlers are also entered by unwinding, which restores
//! the frame to its size at the raise: the size the pass assumed at each
//! handler is returned, and the interpreter checks it there (a `trim`
//! between a `try` and a raise, which valid code never does, fails that
//! check instead of reading outside the frame).

use super::chunks::BeamFile;
use super::compact::{Operand, Reg};
use super::error::{ChunkId, ErrorKind, LoadError};
use super::generic::GenInstr;
use super::genop::GenOp;

/// A frame size no edge reached yet.
const UNREACHED: u32 = u32::MAX;

/// Checks `gen` (see the module docs); returns `(label, words)` for every
/// exception handler whose code assumes a frame of `words > 0` words.
pub fn check(file: &BeamFile, gen: &[GenInstr]) -> Result<Vec<(u32, u32)>, LoadError> {
    let entries = file.exports.iter().map(|e| e.label);
    let entries = entries.chain(file.lambdas.iter().map(|l| l.label));
    check_code(file.code.label_count, entries, gen)
}

/// [`check`] of `gen`, with `labels` labels and `entries` (the exports'
/// and lambdas' labels) entered from outside.
fn check_code(
    labels: u32,
    entries: impl Iterator<Item = u32>,
    gen: &[GenInstr],
) -> Result<Vec<(u32, u32)>, LoadError> {
    let labels = labels as usize;
    let mut at = vec![usize::MAX; labels];
    for (i, ins) in gen.iter().enumerate() {
        if let (GenOp::Label, Some(&Operand::U(l))) = (ins.op, ins.args.first()) {
            if let Some(slot) = usize::try_from(l).ok().and_then(|l| at.get_mut(l)) {
                *slot = i;
            }
        }
    }
    let mut state = vec![UNREACHED; gen.len() + 1];
    let mut work: Vec<usize> = Vec::new();
    let join = |state: &mut [u32], work: &mut Vec<usize>, i: usize, f: u32| {
        if f < state[i] {
            state[i] = f;
            work.push(i);
        }
    };
    let entry = |l: u32| at.get(l as usize).copied().filter(|&i| i != usize::MAX);
    // Function entries: exports, lambdas and every call's target.
    for l in entries {
        if let Some(i) = entry(l) {
            join(&mut state, &mut work, i, 0);
        }
    }
    for (i, ins) in gen.iter().enumerate() {
        if ins.op == GenOp::FuncInfo {
            join(&mut state, &mut work, i + 1, 0);
        }
        if let Some(l) = call_target(ins) {
            if let Some(t) = entry(l) {
                join(&mut state, &mut work, t, 0);
            }
        }
    }
    while let Some(i) = work.pop() {
        let Some(ins) = gen.get(i) else { continue };
        let f = state[i];
        let after = transfer(ins, f)?;
        if falls_through(ins.op) {
            join(&mut state, &mut work, i + 1, after);
        }
        let mut edge = |l: u32| -> Result<(), LoadError> {
            if l == 0 {
                return Ok(());
            }
            let t = entry(l).ok_or_else(|| bad(ins, format!("label {l} is not defined")))?;
            join(&mut state, &mut work, t, after);
            Ok(())
        };
        if call_target(ins).is_none() {
            for a in &ins.args {
                each_label(a, &mut edge)?;
            }
        }
    }
    let mut handlers = Vec::new();
    for ins in gen {
        if matches!(ins.op, GenOp::Try | GenOp::Catch) {
            if let Some(&Operand::Label(l)) = ins.args.get(1) {
                if let Some(f) = entry(l)
                    .map(|t| state[t])
                    .filter(|&f| f != UNREACHED && f > 0)
                {
                    handlers.push((l, f));
                }
            }
        }
    }
    handlers.sort_unstable();
    handlers.dedup();
    Ok(handlers)
}

/// The frame size after `ins`, run with a frame of at least `f` words,
/// or an error if it names a Y register or drops words outside it.
fn transfer(ins: &GenInstr, f: u32) -> Result<u32, LoadError> {
    let mut top = None;
    for a in &ins.args {
        max_y(a, &mut top);
    }
    if let Some(y) = top.filter(|&y| y >= f) {
        return Err(bad(
            ins,
            format!("y register {y} outside a frame of {f} words"),
        ));
    }
    let drop = |n: u64| -> Result<u32, LoadError> {
        u32::try_from(n)
            .ok()
            .and_then(|n| f.checked_sub(n))
            .ok_or_else(|| bad(ins, format!("drops {n} words of a frame of {f}")))
    };
    let u = |k: usize| match ins.args.get(k) {
        Some(&Operand::U(n)) => n,
        _ => 0,
    };
    Ok(match ins.op {
        GenOp::Allocate | GenOp::AllocateHeap | GenOp::AllocateZero | GenOp::AllocateHeapZero => {
            let n = u32::try_from(u(0)).map_err(|_| bad(ins, "frame too large"))?;
            f.checked_add(n)
                .ok_or_else(|| bad(ins, "frame too large"))?
        }
        GenOp::Deallocate | GenOp::Trim => drop(u(0))?,
        GenOp::CallLast => drop(u(2))?,
        _ => f,
    })
}

/// Whether the instruction after `op` can run next: not after a return,
/// a jump, a tail call, a `select_*`, `wait` or an instruction that always
/// raises.
fn falls_through(op: GenOp) -> bool {
    !matches!(
        op,
        GenOp::Return
            | GenOp::Jump
            | GenOp::CallOnly
            | GenOp::CallLast
            | GenOp::CallExtOnly
            | GenOp::CallExtLast
            | GenOp::ApplyLast
            | GenOp::SelectVal
            | GenOp::SelectTupleArity
            | GenOp::Wait
            | GenOp::FuncInfo
            | GenOp::Badmatch
            | GenOp::CaseEnd
            | GenOp::IfEnd
            | GenOp::TryCaseEnd
            | GenOp::Badrecord
            | GenOp::Raise
            | GenOp::RawRaise
    )
}

/// The label a local call goes to: a function's entry, not an edge.
fn call_target(ins: &GenInstr) -> Option<u32> {
    match (ins.op, ins.args.get(1)) {
        (GenOp::Call | GenOp::CallLast | GenOp::CallOnly, Some(&Operand::Label(l))) => Some(l),
        _ => None,
    }
}

/// The highest Y register `a` names (in lists and typed registers too).
fn max_y(a: &Operand, top: &mut Option<u32>) {
    let y = match a {
        Operand::Y(y) | Operand::TypedReg(Reg::Y(y), _) => *y,
        Operand::List(l) => {
            l.iter().for_each(|a| max_y(a, top));
            return;
        }
        _ => return,
    };
    *top = Some(top.map_or(y, |t| t.max(y)));
}

/// Calls `f` with every label `a` names (in lists too).
fn each_label(
    a: &Operand,
    f: &mut impl FnMut(u32) -> Result<(), LoadError>,
) -> Result<(), LoadError> {
    match a {
        Operand::Label(l) => f(*l),
        Operand::List(l) => l.iter().try_for_each(|a| each_label(a, f)),
        _ => Ok(()),
    }
}

fn bad(ins: &GenInstr, why: impl Into<String>) -> LoadError {
    LoadError::new(
        ChunkId(*b"Code"),
        ins.offset,
        ErrorKind::BadInstruction {
            op: ins.op.name(),
            why: why.into(),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::atom::Atom;
    use Operand::{Label as L, List, U, X, Y};

    fn ins(op: GenOp, args: Vec<Operand>) -> GenInstr {
        GenInstr {
            op,
            args,
            offset: 0,
        }
    }

    /// `label 1; func_info; label 2; BODY...`, entered at label 2.
    fn function(body: Vec<GenInstr>) -> Vec<GenInstr> {
        let f = Operand::Atom(Atom::intern("f").expect("atom"));
        let mut v = vec![
            ins(GenOp::Label, vec![U(1)]),
            ins(GenOp::FuncInfo, vec![f.clone(), f, U(0)]),
            ins(GenOp::Label, vec![U(2)]),
        ];
        v.extend(body);
        v
    }

    fn run(body: Vec<GenInstr>) -> Result<Vec<(u32, u32)>, LoadError> {
        check_code(8, [2].into_iter(), &function(body))
    }

    #[test]
    fn a_frame_covers_its_y_registers() {
        let ok = run(vec![
            ins(GenOp::Allocate, vec![U(2), U(1)]),
            ins(GenOp::Move, vec![X(0), Y(1)]),
            ins(GenOp::Call, vec![U(1), L(2)]),
            ins(GenOp::Trim, vec![U(1), U(1)]),
            ins(GenOp::Move, vec![Y(0), X(0)]),
            ins(GenOp::Deallocate, vec![U(1)]),
            ins(GenOp::Return, vec![]),
        ]);
        assert_eq!(ok.expect("valid"), []);
    }

    #[test]
    fn a_y_register_outside_the_frame_is_refused() {
        let moved = run(vec![
            ins(GenOp::Allocate, vec![U(1), U(1)]),
            ins(GenOp::Move, vec![X(0), Y(1)]),
            ins(GenOp::Return, vec![]),
        ]);
        assert!(moved.is_err());
        // In a list operand, after a trim.
        let listed = run(vec![
            ins(GenOp::Allocate, vec![U(2), U(1)]),
            ins(GenOp::Trim, vec![U(1), U(1)]),
            ins(GenOp::InitYregs, vec![List(vec![Y(1)])]),
            ins(GenOp::Return, vec![]),
        ]);
        assert!(listed.is_err());
        let dropped = run(vec![
            ins(GenOp::Allocate, vec![U(1), U(1)]),
            ins(GenOp::Deallocate, vec![U(2)]),
            ins(GenOp::Return, vec![]),
        ]);
        assert!(dropped.is_err());
    }

    #[test]
    fn a_label_takes_the_smallest_frame_of_its_edges() {
        // Label 3 is reached with one word (the test's fail edge) and with
        // two: y1 there is refused, y0 is not.
        let body = |y: u32| {
            vec![
                ins(GenOp::Allocate, vec![U(1), U(1)]),
                ins(GenOp::IsNil, vec![L(3), X(0)]),
                ins(GenOp::Allocate, vec![U(1), U(1)]),
                ins(GenOp::Label, vec![U(3)]),
                ins(GenOp::Move, vec![Y(y), X(0)]),
                ins(GenOp::Return, vec![]),
            ]
        };
        assert!(run(body(0)).is_ok());
        assert!(run(body(1)).is_err());
    }

    #[test]
    fn handlers_report_their_frames() {
        let handlers = run(vec![
            ins(GenOp::Allocate, vec![U(2), U(1)]),
            ins(GenOp::Try, vec![Y(1), L(4)]),
            ins(GenOp::Call, vec![U(0), L(2)]),
            ins(GenOp::TryEnd, vec![Y(1)]),
            ins(GenOp::Deallocate, vec![U(2)]),
            ins(GenOp::Return, vec![]),
            ins(GenOp::Label, vec![U(4)]),
            ins(GenOp::TryCase, vec![Y(1)]),
            ins(GenOp::Deallocate, vec![U(2)]),
            ins(GenOp::Return, vec![]),
        ]);
        assert_eq!(handlers.expect("valid"), [(4, 2)]);
    }
}
