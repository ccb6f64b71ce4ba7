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
    let at = super::transform::label_positions(gen, labels);
    let entry = |l: u32| at.get(l as usize).copied().filter(|&i| i != usize::MAX);
    let mut state = vec![UNREACHED; gen.len() + 1];
    let mut work: Vec<usize> = Vec::new();
    let join = |state: &mut [u32], work: &mut Vec<usize>, i: usize, f: u32| {
        if f < state[i] {
            state[i] = f;
            work.push(i);
        }
    };
    // Function entries: exports, lambdas, every call's target and the
    // instruction after each `func_info`.
    for l in entries {
        if let Some(i) = entry(l) {
            join(&mut state, &mut work, i, 0);
        }
    }
    // What each instruction does, read once: the worklist below revisits
    // instructions without walking their operands again.
    let mut nodes = Vec::with_capacity(gen.len());
    let mut edges: Vec<u32> = Vec::new();
    let mut found = Vec::new();
    for (i, ins) in gen.iter().enumerate() {
        let mut needs = 0;
        found.clear();
        for a in &ins.args {
            scan(a, &mut needs, &mut found);
        }
        let first = edges.len() as u32;
        if let Some(l) = call_target(ins) {
            if let Some(t) = entry(l) {
                join(&mut state, &mut work, t, 0);
            }
        } else {
            for &l in found.iter().filter(|&&l| l != 0) {
                let t = entry(l).ok_or_else(|| bad(ins, format!("label {l} is not defined")))?;
                edges.push(t as u32);
            }
        }
        if ins.op == GenOp::FuncInfo {
            join(&mut state, &mut work, i + 1, 0);
        }
        nodes.push(Node {
            needs,
            effect: effect(ins),
            falls: falls_through(ins.op),
            edges: first..edges.len() as u32,
        });
    }
    while let Some(i) = work.pop() {
        let Some(n) = nodes.get(i) else { continue };
        let f = state[i];
        let ins = &gen[i];
        if n.needs > f {
            let y = n.needs - 1;
            return Err(bad(
                ins,
                format!("y register {y} outside a frame of {f} words"),
            ));
        }
        let after = match n.effect {
            Effect::Keep => f,
            Effect::Push(k) => f
                .checked_add(k)
                .ok_or_else(|| bad(ins, "frame too large"))?,
            Effect::Drop(k) => f
                .checked_sub(k)
                .ok_or_else(|| bad(ins, format!("drops {k} words of a frame of {f}")))?,
        };
        if n.falls {
            join(&mut state, &mut work, i + 1, after);
        }
        for &t in &edges[n.edges.start as usize..n.edges.end as usize] {
            join(&mut state, &mut work, t as usize, after);
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

/// An instruction as the pass sees it.
struct Node {
    /// One more than the highest Y register it names (0: none).
    needs: u32,
    /// What it does to the frame.
    effect: Effect,
    /// Whether the next instruction can follow it.
    falls: bool,
    /// Where its label operands are in the edge list (`gen` indices).
    edges: std::ops::Range<u32>,
}

/// What an instruction does to its function's frame.
#[derive(Clone, Copy)]
enum Effect {
    Keep,
    /// `allocate* N`.
    Push(u32),
    /// `deallocate N`, `trim N`, `call_last _ _ N`.
    Drop(u32),
}

/// What `ins` does to the frame. `call_ext_last` and `apply_last` drop
/// their words unchecked (the module docs); a count above `u32::MAX` is
/// one no frame has.
fn effect(ins: &GenInstr) -> Effect {
    let u = |k: usize| match ins.args.get(k) {
        Some(&Operand::U(n)) => u32::try_from(n).unwrap_or(u32::MAX),
        _ => 0,
    };
    match ins.op {
        GenOp::Allocate | GenOp::AllocateHeap | GenOp::AllocateZero | GenOp::AllocateHeapZero => {
            Effect::Push(u(0))
        }
        GenOp::Deallocate | GenOp::Trim => Effect::Drop(u(0)),
        GenOp::CallLast => Effect::Drop(u(2)),
        _ => Effect::Keep,
    }
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

/// Raises `needs` to one more than each Y register `a` names and adds
/// the labels it names to `labels` (in lists and typed registers too).
fn scan(a: &Operand, needs: &mut u32, labels: &mut Vec<u32>) {
    match a {
        Operand::Y(y) | Operand::TypedReg(Reg::Y(y), _) => {
            *needs = (*needs).max(y.saturating_add(1));
        }
        Operand::Label(l) => labels.push(*l),
        Operand::List(l) => l.iter().for_each(|a| scan(a, needs, labels)),
        _ => {}
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
