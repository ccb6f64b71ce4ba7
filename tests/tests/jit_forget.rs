//! A root trace forgotten where a link or a call reached it is unhooked
//! from its own anchor (`seam::After::Forget`), not the entered one's:
//! `--jit-stats` on one scheduler counts the forgettings.

use std::process::Command;

use enigma_tests::{erlc, have, temp_dir, tests_dir};

/// The count of the `--jit-stats` abort line with `reason` at `anchor`.
fn aborts(stats: &str, reason: &str, anchor: &str) -> u64 {
    stats
        .lines()
        .filter(|l| l.trim_start().starts_with("abort") && l.contains(reason))
        .filter_map(|l| {
            let at = l.split("  at ").nth(1)?;
            let n = at.strip_prefix(anchor)?.trim().strip_prefix('x')?;
            n.parse::<u64>().ok()
        })
        .sum()
}

#[test]
fn a_callee_forgotten_inside_its_caller_is_unhooked_at_its_anchor() {
    if !have("erlc") {
        eprintln!("erlc not installed: skipped");
        return;
    }
    if cfg!(not(target_arch = "x86_64")) {
        eprintln!("no JIT on this target: skipped");
        return;
    }
    let dir = temp_dir("jit_forget");
    erlc(
        &[tests_dir().join("erlang").join("run_jit_forget_callee.erl")],
        &dir,
    );
    let out = Command::new(env!("CARGO_BIN_EXE_enigma-under-test"))
        .env("ENIGMA_GC_STRESS", "0")
        .args(["run", "--jit-stats", "+S", "1", "-pa"])
        .arg(&dir)
        .arg("run_jit_forget_callee")
        .output()
        .expect("run enigma");
    assert!(out.status.success(), "{out:?}");
    let stats = String::from_utf8_lossy(&out.stderr);
    // `inner/3`'s trace fails its entry check first inside `outer/2`'s
    // trace, and is forgotten there. Unhooked from `outer/2`'s anchor
    // only (before session 24), it stayed hooked at its own and every
    // interpreted arrival there entered it and failed again, until a
    // second forgetting; unhooked from neither, `outer/2`'s trace went
    // on calling it (each of 120,000 entries leaving at once).
    assert_eq!(
        aborts(
            &stats,
            "entry types changed",
            "run_jit_forget_callee:inner/3"
        ),
        1,
        "{stats}"
    );
}
