//! `--jit-dump=ir,asm --jit-dump-file F`: each compiled trace's optimised
//! IR and its machine code, disassembled, with the trace's landmarks.

use std::process::Command;

use enigma_tests::{erlc, have, temp_dir, tests_dir};

#[test]
fn dump_lists_ir_and_disassembly() {
    if !cfg!(target_arch = "x86_64") || !have("erlc") {
        eprintln!("no x86-64 backend or no erlc: skipped");
        return;
    }
    let dir = temp_dir("jit_dump");
    erlc(
        &[tests_dir().join("erlang").join("anchor_counts.erl")],
        &dir,
    );
    let file = dir.join("dump.txt");
    let out = Command::new(env!("CARGO_BIN_EXE_enigma-under-test"))
        .env("ENIGMA_GC_STRESS", "0")
        .args(["run", "--jit=on", "--jit-dump=ir,asm", "--jit-dump-file"])
        .arg(&file)
        .arg("-pa")
        .arg(&dir)
        .arg("anchor_counts")
        .output()
        .expect("run enigma");
    assert!(out.status.success(), "{out:?}");
    let dump = std::fs::read_to_string(&file).expect("dump file written");
    assert!(dump.contains("at anchor_counts:loop/2, IR:"), "{dump}");
    assert!(dump.contains("at anchor_counts:loop/2, "), "{dump}");
    let asm: Vec<&str> = dump.lines().collect();
    for label in ["entry:", "loop:", "exit 0 (restore):"] {
        assert!(asm.contains(&label), "no {label} in\n{dump}");
    }
    // The loop's additions carry overflow guards, and the prologue's
    // matching epilogue returns to the interpreter.
    let ops = |op: &str| {
        asm.iter()
            .filter(|l| l.split_whitespace().nth(2) == Some(op))
            .count()
    };
    assert!(
        ops("jo") >= 1 && ops("ret") >= 1 && ops("push") >= 1,
        "{dump}"
    );
    // Nothing of it went to standard error.
    assert!(!String::from_utf8_lossy(&out.stderr).contains("IR:"));
}
