//! `--jit-dump=ir,asm --jit-dump-file F`: each compiled trace's optimised
//! IR and its machine code, disassembled, with the trace's landmarks.

use std::process::Command;

use enigma_tests::{erlc, have, temp_dir, tests_dir};

/// tests/erlang/anchor_counts.erl compiled into a new directory `name`,
/// or `None` where this test cannot run.
fn compiled(name: &str) -> Option<std::path::PathBuf> {
    if !cfg!(target_arch = "x86_64") || !have("erlc") {
        eprintln!("no x86-64 backend or no erlc: skipped");
        return None;
    }
    let dir = temp_dir(name);
    erlc(
        &[tests_dir().join("erlang").join("anchor_counts.erl")],
        &dir,
    );
    Some(dir)
}

#[test]
fn dump_lists_ir_and_disassembly() {
    let Some(dir) = compiled("jit_dump") else {
        return;
    };
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

#[test]
fn perf_map_names_each_trace() {
    let Some(dir) = compiled("perf_map") else {
        return;
    };
    let child = Command::new(env!("CARGO_BIN_EXE_enigma-under-test"))
        .env("ENIGMA_GC_STRESS", "0")
        .args(["run", "--jit=on", "--perf-map", "-pa"])
        .arg(&dir)
        .arg("anchor_counts")
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("run enigma");
    let map = format!("/tmp/perf-{}.map", child.id());
    let out = child.wait_with_output().expect("enigma ends");
    assert!(out.status.success(), "{out:?}");
    let text = std::fs::read_to_string(&map).expect("perf map written");
    let _ = std::fs::remove_file(&map);
    let lines: Vec<Vec<&str>> = text.lines().map(|l| l.split(' ').collect()).collect();
    assert!(!lines.is_empty(), "empty perf map");
    for l in &lines {
        // `START SIZE NAME`, both numbers in hex, as perf reads them.
        assert!(u64::from_str_radix(l[0], 16).is_ok_and(|a| a > 0), "{text}");
        assert!(u64::from_str_radix(l[1], 16).is_ok_and(|s| s > 0), "{text}");
        assert_eq!(l[2..4], ["enigma", "trace"], "{text}");
    }
    assert!(
        lines
            .iter()
            .any(|l| l[4..6] == ["1", "anchor_counts:loop/2"]),
        "{text}"
    );
}
