//! A traced copy of a module version: the same code at the same
//! positions, then a traced entry per traced function
//! ([`Instr::TraceCall`], which goes on at the function's own entry), the
//! return and exception landing of trace frames ([`Instr::TraceReturn`],
//! [`Instr::TraceCatch`]) and the closing [`Instr::CodeEnd`]. The exports
//! of the traced functions lead to their traced entries; so do the local
//! calls and the funs of those traced `local`.
//!
//! Fused instructions run as their plain copies (a jump to them), so that
//! every call's target is in a plain instruction that can be pointed
//! elsewhere; a byte loop runs as the back edge it holds. The copy refers
//! to its original's literals, which live as long as the VM.

use ahash::AHashMap;
use enigma_vm::code::{Instr, LambdaInfo, Module, Target};

/// The position of the trace frames' return landing in a copy.
pub(super) fn return_pc(m: &Module) -> Target {
    m.code.len() as Target - 3
}

/// The position of the trace frames' catch landing in a copy.
pub(super) fn catch_pc(m: &Module) -> Target {
    m.code.len() as Target - 2
}

/// A copy of `orig` with traced entries for `traced` (function index,
/// whether local calls are traced too), and the traced entries of those
/// traced `local` by their function's entry.
pub(super) fn traced_copy(
    orig: &Module,
    traced: &[(u32, bool)],
) -> (Module, AHashMap<Target, Target>) {
    // Every function has a traced entry, at the same place in every copy
    // of `orig` (a process moved from one copy to the next goes on at the
    // same positions: `super::redirect`), used or not.
    let base = orig.code.len() as Target;
    let stub = |f: u32| base + f;
    let local: AHashMap<Target, Target> = traced
        .iter()
        .filter(|&&(_, local)| local)
        .map(|&(f, _)| (orig.functions[f as usize].entry, stub(f)))
        .collect();
    let mut code = Vec::with_capacity(orig.code.len() + orig.functions.len() + 3);
    for (pc, i) in orig.code.iter().enumerate() {
        let mut i = match i {
            _ if i.copies() > 0 => Instr::Jump {
                target: pc as Target + 1,
            },
            Instr::ByteLoop(back) => (**back).clone(),
            _ => i.clone(),
        };
        if let Some(cont) = i.cont_mut() {
            // The position's bits stay; installing the copy ORs in its
            // own code id's.
            *cont &= (1 << 34) - 1;
        }
        if let Some(target) = i.call_target_mut() {
            if let Some(&s) = local.get(target) {
                *target = s;
            }
        }
        code.push(i);
    }
    for (f, info) in orig.functions.iter().enumerate() {
        code.push(Instr::TraceCall {
            function: f as u32,
            entry: info.entry,
        });
    }
    code.extend([Instr::TraceReturn, Instr::TraceCatch, Instr::CodeEnd]);
    let exports = orig
        .exports
        .iter()
        .map(|&(e, at)| {
            let f = traced
                .iter()
                .find(|&&(f, _)| orig.functions[f as usize].entry == at);
            (e, f.map_or(at, |&(f, _)| stub(f)))
        })
        .collect();
    let m = Module {
        name: orig.name,
        md5: orig.md5,
        code,
        operands: orig.operands.clone(),
        selects: orig.selects.clone(),
        functions: orig.functions.clone(),
        function_index: orig.function_index.clone(),
        exports,
        imports: orig.imports.clone(),
        lambdas: orig
            .lambdas
            .iter()
            .map(|l| LambdaInfo {
                entry: l.entry,
                code: local.get(&l.code).copied().unwrap_or(l.code),
            })
            .collect(),
        on_load: orig.on_load,
        line_marks: orig.line_marks.clone(),
        reg_types: orig.reg_types.clone(),
        types: orig.types.clone(),
        line_table: orig.line_table.clone(),
        strings: orig.strings.clone(),
        literals: orig.literals.shared_copy(),
        attributes: orig.attributes.clone(),
        compile_info: orig.compile_info.clone(),
        handler_frames: orig.handler_frames.clone(),
    };
    (m, local)
}
