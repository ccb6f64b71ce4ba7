//! The items that read a process's code position and stack:
//! `current_function`, `current_location`, `current_stacktrace`,
//! `backtrace` and `catchlevel`.

use enigma_vm::atom::Atom;
use enigma_vm::term::{Heap, Term};

use super::{mfa, View};

/// The items whose answer walks the process's stack.
pub(super) const STACK_ITEMS: &[&str] = &["current_location", "current_stacktrace", "backtrace"];

/// The value of stack item `name`; `None` if it is not one.
pub(super) fn value(heap: &mut Heap, v: &View<'_>, name: &str) -> Option<Term> {
    Some(match name {
        "current_function" => match v.current {
            Some(c) => mfa(heap, c),
            None => Term::atom(Atom::UNDEFINED),
        },
        "current_stacktrace" => v.stacktrace,
        "current_location" => match (v.stacktrace.list_iter().next(), v.current) {
            (Some(top), _) => top,
            (None, Some((m, f, a))) => {
                let a = Term::small(a as i64);
                heap.tuple(&[Term::atom(m), Term::atom(f), a, Term::NIL])
            }
            (None, None) => Term::atom(Atom::UNDEFINED),
        },
        "backtrace" => heap.binary(v.backtrace.as_deref().unwrap_or("").as_bytes()),
        "catchlevel" => Term::small(v.catches as i64),
        _ => return None,
    })
}

/// `process_info(P, backtrace)`'s text, in the shape of BEAM's: the code
/// position (`Program counter`), then a `Return addr` line per
/// continuation pointer on the stack from its top, ending with
/// `<terminate process normally>`. Its addresses are Enigma's code
/// positions and stack slots, its offsets in instructions.
pub(super) fn backtrace(at: Option<(u32, u32)>, stack: &[Term]) -> String {
    let place = |id: u32, pc: u32| match crate::code::module(id)
        .and_then(|m| Some((m.name, m.function_at(pc)?)))
    {
        Some((m, f)) => format!("{}:{}/{} + {}", m, f.name, f.arity, pc - f.func_info),
        None => "unknown function".to_string(),
    };
    let mut out = match at {
        Some((id, pc)) => format!(
            "Program counter: {:#018x} ({})\n",
            crate::code::cp(id, pc).raw(),
            place(id, pc)
        ),
        None => "Program counter: 0x0000000000000000 (unknown function)\n".to_string(),
    };
    out.push('\n');
    for (i, &w) in stack.iter().enumerate().rev() {
        let what = match crate::code::as_cp(w) {
            _ if w == crate::code::EXIT_CP => "<terminate process normally>".to_string(),
            Some((id, pc)) => place(id, pc.saturating_sub(1)),
            None => continue,
        };
        let slot = (i * 8) as u64;
        out.push_str(&format!(
            "{slot:#018x} Return addr {:#018x} ({what})\n",
            w.raw()
        ));
        if w == crate::code::EXIT_CP {
            break;
        }
    }
    out
}

pub(super) fn code_function(id: u32, pc: u32) -> Option<(Atom, Atom, u32)> {
    let m = crate::code::module(id)?;
    let f = m.function_at(pc)?;
    Some((m.name, f.name, f.arity))
}
