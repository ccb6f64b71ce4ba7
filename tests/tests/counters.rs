//! The profiling counters at loop and call anchors count exactly (one
//! scheduler, the JIT off): `--jit-stats` lists every arrival, although
//! the instruction loop only counts down and hands its counts over when a
//! period runs out.

use std::process::Command;

use enigma_tests::{erlc, have, temp_dir, tests_dir};

/// The `(count, kind)` `--jit-stats` reports for `anchor`.
fn reported(stats: &str, anchor: &str) -> Vec<(u64, String)> {
    stats
        .lines()
        .filter_map(|l| {
            let mut f = l.split_whitespace();
            let (count, kind, name) = (f.next()?, f.next()?, f.next()?);
            (name == anchor).then(|| (count.parse().ok(), kind.to_string()))
        })
        .filter_map(|(c, k)| Some((c?, k)))
        .collect()
}

#[test]
fn hottest_anchors_count_every_arrival() {
    if !have("erlc") {
        eprintln!("erlc not installed: skipped");
        return;
    }
    let dir = temp_dir("counters");
    erlc(
        &[tests_dir().join("erlang").join("anchor_counts.erl")],
        &dir,
    );
    let out = Command::new(env!("CARGO_BIN_EXE_enigma-under-test"))
        .env("ENIGMA_GC_STRESS", "0")
        .args(["run", "--jit=off", "--jit-stats", "+S", "1", "-pa"])
        .arg(&dir)
        .arg("anchor_counts")
        .output()
        .expect("run enigma");
    assert!(out.status.success(), "{out:?}");
    let stats = String::from_utf8_lossy(&out.stderr);
    // Only the hottest 20 are listed: the single calls from `main/0` are
    // not among them.
    let loop_kind = |anchor| {
        let all = reported(&stats, anchor);
        all.into_iter()
            .filter(|(_, k)| k == "loop")
            .collect::<Vec<_>>()
    };
    assert_eq!(
        loop_kind("anchor_counts:loop/2"),
        [(100000, "loop".to_string())],
        "{stats}"
    );
    assert_eq!(
        loop_kind("anchor_counts:calls/2"),
        [(20000, "loop".to_string())],
        "{stats}"
    );
    // One arrival per byte, whichever clause's back edge.
    assert_eq!(
        loop_kind("anchor_counts:bytes/3"),
        [(100000, "loop".to_string())],
        "{stats}"
    );
    assert_eq!(
        loop_kind("anchor_counts:sum/2"),
        [(100000, "loop".to_string())],
        "{stats}"
    );
    assert_eq!(
        loop_kind("anchor_counts:lines/2"),
        [(70000, "loop".to_string())],
        "{stats}"
    );
    assert_eq!(
        reported(&stats, "anchor_counts:helper/1"),
        [(40000, "call".to_string())],
        "{stats}"
    );
}
