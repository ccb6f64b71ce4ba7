//! Reductions match BEAM's with the JIT off: a byte loop that the
//! interpreter runs through several back edges in one dispatch
//! (`Instr::ByteLoop`) still spends one reduction per back edge, as
//! `process_info(_, reductions)` shows on both (to one reduction: see
//! [`within_one`]). (Traces count their
//! reductions their own way, so the JIT stays off here.)

use std::process::Command;

use enigma_tests::{erl_main, erlc, have, temp_dir, tests_dir};

#[test]
fn a_byte_loop_spends_beams_reductions() {
    if !have("erlc") || !have("erl") {
        eprintln!("erlc or erl not installed: skipped");
        return;
    }
    let dir = temp_dir("reductions");
    erlc(
        &[tests_dir().join("erlang").join("byte_loop_reds.erl")],
        &dir,
    );
    let want = erl_main(&dir, "byte_loop_reds");
    assert!(want.status.success(), "{want:?}");
    let got = Command::new(env!("CARGO_BIN_EXE_enigma-under-test"))
        .env("ENIGMA_GC_STRESS", "0")
        .args(["run", "--jit=off", "+S", "1", "-pa"])
        .arg(&dir)
        .arg("byte_loop_reds")
        .output()
        .expect("run enigma");
    assert!(got.status.success(), "{got:?}");
    let (got, want) = (
        String::from_utf8_lossy(&got.stdout),
        String::from_utf8_lossy(&want.stdout),
    );
    assert_eq!(got.lines().count(), want.lines().count(), "{got}\n{want}");
    for (g, w) in got.lines().zip(want.lines()) {
        assert!(within_one(g, w), "enigma: {g}\nerl:    {w}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Whether two lines `LABEL... N` agree, their counts by at most one:
/// BEAM itself now and then charges one reduction more for the largest
/// run (seen once in CI-like parallel runs, not reproducible alone).
fn within_one(got: &str, want: &str) -> bool {
    let split = |l: &str| {
        let (label, n) = l.rsplit_once(' ')?;
        Some((label.to_string(), n.parse::<i64>().ok()?))
    };
    match (split(got), split(want)) {
        (Some((gl, gn)), Some((wl, wn))) => gl == wl && (gn - wn).abs() <= 1,
        _ => got == want,
    }
}

/// Compiled traces spend the interpreter's reductions, one per call
/// (`tests/erlang/jit_reds.erl`): peeled loops and function traces, whose
/// peeled first iteration counts its call before the loop, and recursions
/// whose returns run compiled. (BEAM counts body recursion differently,
/// so the interpreter is the reference here; the test above holds it to
/// BEAM's counts.)
#[test]
fn traces_spend_the_interpreters_reductions() {
    if !have("erlc") {
        eprintln!("erlc not installed: skipped");
        return;
    }
    let dir = temp_dir("jit-reductions");
    erlc(&[tests_dir().join("erlang").join("jit_reds.erl")], &dir);
    let run = |jit: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_enigma-under-test"))
            .env("ENIGMA_GC_STRESS", "0")
            .arg("run")
            .args(jit)
            .args(["+S", "1", "-pa"])
            .arg(&dir)
            .arg("jit_reds")
            .output()
            .expect("run enigma");
        assert!(out.status.success(), "{out:?}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let want = run(&["--jit=off"]);
    assert_eq!(want.lines().count(), 6, "{want}");
    for jit in [&["--jit=on"][..], &["--jit-threshold", "1"]] {
        assert_eq!(run(jit), want, "{jit:?}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
