//! The loaded representation agrees with what real BEAM reports for the same
//! `.beam` files: MD5, function and export tables, lambdas (fun entries),
//! and source locations; and its internal invariants hold (every jump lands
//! inside the code, exports point just past their `func_info`).

use std::path::{Path, PathBuf};

use enigma_tests::{erl_eval, erlang_sources, erlc, have, otp_beam, temp_dir};
use enigma_vm::atom::Atom;
use enigma_vm::code::instr::SelectTable;
use enigma_vm::code::{Instr, Module};
use enigma_vm::loader;

fn load(path: &Path) -> Module {
    let bytes = std::fs::read(path).expect("read .beam");
    loader::load(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn compiled_test_modules() -> Option<(PathBuf, Vec<PathBuf>)> {
    if !have("erlc") || !have("erl") {
        eprintln!("skipped: erlc/erl not installed");
        return None;
    }
    let dir = temp_dir("loaded");
    let beams = erlc(&erlang_sources("disasm_"), &dir);
    Some((dir, beams))
}

fn bytes_list(b: &[u8]) -> String {
    let items: Vec<String> = b.iter().map(u8::to_string).collect();
    format!("[{}]", items.join(","))
}

fn sorted_mfa_list(mut v: Vec<(Atom, u32)>) -> String {
    v.sort_by(|a, b| (a.0.name(), a.1).cmp(&(b.0.name(), b.1)));
    let items: Vec<String> = v
        .iter()
        .map(|(f, a)| format!("{{{},{a}}}", enigma_vm::term::print::quote_atom(f.name())))
        .collect();
    format!("[{}]", items.join(","))
}

/// What `erl` says about module `m`, one fact per line, in the format
/// [`facts`] prints.
fn erl_facts(dir: &Path, m: &str) -> String {
    erl_eval(
        dir,
        &format!(
            "M = {m}, \
             io:format(\"md5 ~w~n\", [binary_to_list(M:module_info(md5))]), \
             io:format(\"exports ~w~n\", [lists:sort(M:module_info(exports))]), \
             io:format(\"functions ~w~n\", [lists:sort(M:module_info(functions))])."
        ),
    )
}

fn facts(m: &Module) -> String {
    let exports = m
        .exports
        .iter()
        .map(|(e, _)| (e.function, e.arity))
        .collect();
    let functions = m.functions.iter().map(|f| (f.name, f.arity)).collect();
    format!(
        "md5 {}\nexports {}\nfunctions {}\n",
        bytes_list(&m.md5),
        sorted_mfa_list(exports),
        sorted_mfa_list(functions)
    )
}

fn check_invariants(m: &Module) {
    let n = m.code.len() as u32;
    for (pc, ins) in m.code.iter().enumerate() {
        // A byte loop is the back edge it holds (and holds one).
        let ins = match ins {
            Instr::ByteLoop(back) => {
                assert!(matches!(
                    **back,
                    Instr::LoopOnly { .. } | Instr::MoveLoopOnly { .. } | Instr::AddBandLoop(_)
                ));
                &**back
            }
            ins => ins,
        };
        let targets: Vec<u32> = match ins {
            Instr::Call { target, .. }
            | Instr::Move2XYXXCall { target, .. }
            | Instr::MoveXXCall { target, .. }
            | Instr::TrimCall { target, .. }
            | Instr::MoveYXLoopLast { target, .. }
            | Instr::CallLast { target, .. }
            | Instr::CallOnly { target, .. }
            | Instr::MoveCallOnly { target, .. }
            | Instr::LoopLast { target, .. }
            | Instr::LoopOnly { target, .. }
            | Instr::MoveLoopOnly { target, .. }
            | Instr::Jump { target }
            | Instr::LoopRecEnd { target }
            | Instr::Wait { target }
            | Instr::WaitTimeout { target, .. }
            | Instr::Catch { target, .. }
            | Instr::Try { target, .. } => vec![*target],
            Instr::AddBandLoop(op) => vec![op.target],
            Instr::IsEqExact { fail, .. }
            | Instr::ListAllocXYX { fail, .. }
            | Instr::ListAllocXYXCall { fail, .. }
            | Instr::IsLtXIReturn { fail, .. }
            | Instr::IsTuple { fail, .. }
            | Instr::IsNil { fail, .. } => fail.target().into_iter().collect(),
            Instr::SelectVal { table, fail, .. } | Instr::SelectTupleArity { table, fail, .. } => {
                let mut t: Vec<u32> = match &m.selects[*table as usize] {
                    SelectTable::Jump { targets, .. } => {
                        targets.iter().flatten().copied().collect()
                    }
                    SelectTable::Sorted { targets, .. } | SelectTable::Linear { targets, .. } => {
                        targets.to_vec()
                    }
                };
                t.extend(fail.target());
                t
            }
            _ => Vec::new(),
        };
        for t in targets {
            assert!(t < n, "{}: instruction {pc} jumps to {t} of {n}", m.name);
        }
        // A back edge (with its loop counter) goes back, and only a back
        // edge does.
        match ins {
            Instr::LoopLast { target, .. }
            | Instr::LoopOnly { target, .. }
            | Instr::MoveLoopOnly { target, .. }
            | Instr::MoveYXLoopLast { target, .. } => {
                assert!(*target < pc as u32, "{}: back edge at {pc}", m.name)
            }
            Instr::AddBandLoop(op) => {
                assert!(op.target < pc as u32, "{}: back edge at {pc}", m.name)
            }
            Instr::CallLast { target, .. }
            | Instr::CallOnly { target, .. }
            | Instr::MoveCallOnly { target, .. } => {
                assert!(*target > pc as u32, "{}: forward tail call at {pc}", m.name)
            }
            _ => {}
        }
        // The interpreter writes these destinations as X registers.
        if let Instr::AddXI { dst, .. } | Instr::AddYI { dst, .. } | Instr::BandXI { dst, .. } = ins
        {
            assert!(!dst.is_y(), "{}: a Y destination at {pc}", m.name);
        }
        // A fused call is followed by the plain call it holds (where a
        // trace exit resumes).
        if let Instr::Move2XYXXCall {
            arity,
            target,
            cont,
            ..
        } = ins
        {
            assert!(
                matches!(m.code.get(pc + 1), Some(Instr::Call { arity: a, target: t, cont: c, .. })
                    if *a == u32::from(*arity) && t == target && c == cont),
                "{}: fused call at {pc} without its plain call",
                m.name
            );
        }
        // A fused instruction is followed by the plain instructions it
        // stands for (`code::fuse`).
        let n = ins.copies();
        if n > 0 {
            let copies = m
                .code
                .get(pc + 1..pc + 1 + n)
                .expect("copies inside the code");
            let again = match (ins, copies) {
                (Instr::IsLtXXElseReturnX { src, .. }, [test]) => Instr::else_return(test, *src),
                _ => Instr::fuse(copies),
            };
            assert_eq!(
                format!("{again:?}"),
                format!("{:?}", Some(ins)),
                "{}: fused instruction at {pc} without its copies",
                m.name
            );
        }
        if let (Instr::IsLtXXElseReturnX { src, .. }, Some(Instr::IsLtXX { fail, .. })) =
            (ins, m.code.get(pc + 1))
        {
            assert!(
                matches!(m.code.get(fail.raw() as usize), Some(Instr::MoveReturnX { src: s }) if s == src),
                "{}: the return at {pc} is not its test's fail label's",
                m.name
            );
        }
        if let (Instr::IsEqExactXIReturnX { .. }, Some(Instr::IsEqExactXI { fail, .. })) =
            (ins, m.code.get(pc + 1))
        {
            assert_eq!(
                fail.raw() as usize,
                pc + 3,
                "{}: the test at {pc} does not fail past its copies",
                m.name
            );
        }
        if let Instr::Call { target, .. }
        | Instr::Move2XYXXCall { target, .. }
        | Instr::MoveXXCall { target, .. }
        | Instr::TrimCall { target, .. }
        | Instr::CallOnly { target, .. }
        | Instr::LoopOnly { target, .. } = ins
        {
            let f = m.function_at(*target).expect("call target in a function");
            assert_eq!(
                f.entry, *target,
                "{}: local calls go to function entries",
                m.name
            );
        }
    }
    for (e, at) in &m.exports {
        let f = m
            .function(e.function, e.arity)
            .expect("exported function defined");
        assert_eq!(
            *at, f.entry,
            "{}: export {}/{}",
            m.name, e.function, e.arity
        );
        assert!(matches!(
            m.code[f.func_info as usize],
            Instr::FuncInfo { .. }
        ));
        assert_eq!(f.entry, f.func_info + 1);
    }
}

#[test]
fn tables_match_beam() {
    let Some((dir, beams)) = compiled_test_modules() else {
        return;
    };
    let mut files = beams.clone();
    for (app, m) in [
        ("stdlib", "lists"),
        ("stdlib", "gen_server"),
        ("compiler", "beam_ssa_opt"),
    ] {
        files.push(otp_beam(app, m).expect("OTP module installed"));
    }
    for f in &files {
        let m = load(f);
        check_invariants(&m);
        assert_eq!(facts(&m), erl_facts(&dir, m.name.name()), "{}", f.display());
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn lambdas_match_beam_fun_info() {
    let Some((dir, _)) = compiled_test_modules() else {
        return;
    };
    let expected = erl_eval(
        &dir,
        "F = disasm_data:adder(1), \
         [{new_index, I}, {new_uniq, U}, {index, OI}, {uniq, OU}, {name, N}, {arity, A}] = \
             [erlang:fun_info(F, K) || K <- [new_index, new_uniq, index, uniq, name, arity]], \
         io:format(\"~w ~w ~w ~w ~w ~w~n\", [I, binary_to_list(U), OI, OU, N, A]).",
    );
    let m = load(&dir.join("disasm_data.beam"));
    let index: usize = expected.split(' ').next().unwrap().parse().unwrap();
    let l = &m.lambdas[index];
    let f = m.function_at(l.code).expect("lambda code in a function");
    let e = l.entry;
    let actual = format!(
        "{} {} {} {} {} {}\n",
        e.index,
        bytes_list(&e.uniq),
        e.old_index,
        e.old_uniq,
        enigma_vm::term::print::quote_atom(f.name.name()),
        e.arity
    );
    assert_eq!(actual, expected);
    assert_eq!(f.entry, l.code, "lambda code is its function's entry");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn locations_match_beam_stacktraces() {
    let Some((dir, _)) = compiled_test_modules() else {
        return;
    };
    let expected = erl_eval(
        &dir,
        "try disasm_control:guard_mix(3, [a, b]) \
         catch error:_:S -> \
             [{_, _, _, Info} | _] = S, \
             io:format(\"~s ~w~n\", [proplists:get_value(file, Info), proplists:get_value(line, Info)]) \
         end.",
    );
    let m = load(&dir.join("disasm_control.beam"));
    let f = m
        .function(Atom::intern("guard_mix").unwrap(), 2)
        .expect("guard_mix/2");
    let error1 = |ins: &Instr| match ins {
        Instr::CallExt { export, .. }
        | Instr::CallExtOnly { export, .. }
        | Instr::CallExtLast { export, .. } => {
            export.module == Atom::ERLANG && export.function.name() == "error" && export.arity == 1
        }
        _ => false,
    };
    let end = m
        .functions
        .iter()
        .map(|g| g.func_info)
        .find(|&s| s > f.func_info)
        .unwrap_or(m.code.len() as u32);
    let pc = (f.entry..end)
        .find(|&pc| error1(&m.code[pc as usize]))
        .expect("call to erlang:error/1");
    let (file, line) = m.location(pc).expect("location of the call");
    assert_eq!(format!("{file} {line}\n"), expected);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn instructions_are_small() {
    assert!(std::mem::size_of::<Instr>() <= 32);
}

#[test]
fn compressed_modules_load_like_plain_ones() {
    if !have("erlc") {
        eprintln!("skipped: erlc not installed");
        return;
    }
    let src = erlang_sources("disasm_control");
    let plain_dir = temp_dir("plain");
    let gz_dir = temp_dir("gz");
    let plain = load(&erlc(&src, &plain_dir)[0]);
    let status = std::process::Command::new("erlc")
        .args(["+compressed", "-o"])
        .arg(&gz_dir)
        .args(&src)
        .status()
        .expect("run erlc");
    assert!(status.success());
    let gz_path = gz_dir.join("disasm_control.beam");
    assert_eq!(
        &std::fs::read(&gz_path).unwrap()[..2],
        &[0x1f, 0x8b],
        "erlc +compressed gzips"
    );
    let gz = load(&gz_path);
    assert_eq!(gz.md5, plain.md5);
    assert_eq!(gz.code.len(), plain.code.len());
    assert_eq!(facts(&gz), facts(&plain));
    let _ = std::fs::remove_dir_all(&plain_dir);
    let _ = std::fs::remove_dir_all(&gz_dir);
}

#[test]
fn typed_registers_keep_their_types() {
    let Some((dir, beams)) = compiled_test_modules() else {
        return;
    };
    let mut files = beams;
    files.extend(otp_beam("compiler", "beam_ssa_opt"));
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        let m = loader::load(&bytes).unwrap();
        let mut text = String::new();
        enigma_otp::disasm::disasm(&bytes, &mut text).unwrap();
        assert_eq!(
            text.matches("{tr,").count(),
            m.reg_types.len(),
            "{}",
            f.display()
        );
        assert!(m.reg_types.windows(2).all(|w| w[0].0 <= w[1].0));
        for &(pc, reg, ty) in &m.reg_types {
            assert!((pc as usize) < m.code.len());
            let t = m.types[ty as usize];
            assert!(m.operand_types(pc).any(|(r, e)| r == reg && e == t));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_byte_loop_fuses_its_head_and_its_tail() {
    if !have("erlc") {
        eprintln!("skipped: erlc not installed");
        return;
    }
    let dir = temp_dir("fused");
    let beams = erlc(&erlang_sources("run_loop_tail"), &dir);
    let m = load(&beams[0]);
    check_invariants(&m);
    let count = |f: fn(&Instr) -> bool| m.code.iter().filter(|i| f(i)).count();
    // sum, over, neg, sub, keep and small_mask end in an add, a band and
    // a back edge; sum's head also tests its byte for a literal.
    assert_eq!(count(|i| matches!(i, Instr::BsStartU8Eq(_))), 1);
    let tail = |i: &Instr| match i {
        Instr::ByteLoop(back) => matches!(**back, Instr::AddBandLoop(_)),
        i => matches!(i, Instr::AddBandLoop(_)),
    };
    assert_eq!(count(tail), 6);
    // Each of them is a byte loop: its head starts a match, and what
    // follows it up to the edge is byte reads, arithmetic and edges.
    assert_eq!(count(|i| matches!(i, Instr::ByteLoop(_))), 7);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn one_clause_byte_loops_are_byte_loops() {
    if !have("erlc") {
        eprintln!("skipped: erlc not installed");
        return;
    }
    let dir = temp_dir("byte_scan");
    let beams = erlc(&erlang_sources("run_byte_scan"), &dir);
    let m = load(&beams[0]);
    check_invariants(&m);
    let loops = |name: &str| {
        let pcs = m.code.iter().enumerate();
        pcs.filter(|(pc, i)| {
            matches!(i, Instr::ByteLoop(_))
                && m.function_at(*pc as u32).unwrap().name.name() == name
        })
        .count()
    };
    for (name, n) in [
        ("sum", 1),
        ("acc", 1),
        ("len", 1),
        ("both", 1),
        ("lines", 2),
        ("spaces", 2),
        ("digits", 2),
        ("moved", 1),
        ("bits", 1),
        // Its multiply is not one the byte loop runs.
        ("hash", 0),
    ] {
        assert_eq!(loops(name), n, "{name}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
