//! Bounded memory: a process that allocates 10 GB of short-lived data over
//! its life (`tests/erlang/gc_churn.erl`) keeps its heap under 10 MB, and
//! the whole VM's peak resident memory stays small, so neither heap words
//! nor off-heap binaries pile up. The figures are those `enigma run
//! --gc-stats` prints; the result must be `erl`'s. And generational
//! collection: long-lived data beside short-lived churn
//! (`tests/erlang/gc_longlived.erl`) is copied a few times in all, not at
//! every collection. And an idle process takes no more of
//! `erlang:memory(processes)` than on BEAM (`tests/erlang/gc_idle.erl`).

use std::process::{Command, Output};

use enigma_tests::{erlc, have, temp_dir, tests_dir};

/// Megabytes the program allocates: the 10 GB (about 2 s of CPU
/// on Enigma and on erl each, most of it two large terms per round).
const TOTAL_MB: &str = "10240";

/// `(largest process heap in words, peak RSS in kB)` from `--gc-stats`.
fn gc_stats(stderr: &str) -> Option<(u64, u64)> {
    let line = stderr.lines().find(|l| l.starts_with("gc: "))?;
    let number_before = |word: &str| -> Option<u64> {
        let words: Vec<&str> = line.split_whitespace().collect();
        let i = words.iter().position(|w| w.starts_with(word))?;
        words.get(i.checked_sub(1)?)?.parse().ok()
    };
    let heap = line
        .split("largest process heap ")
        .nth(1)?
        .split_whitespace()
        .next()?
        .parse()
        .ok()?;
    Some((heap, number_before("kB")?))
}

/// Compiles `tests/erlang/MODULE.erl` and runs its `main([Arg])` on
/// `erl` and on Enigma (with `enigma_flags` before the module); both
/// outputs, Enigma's checked for success.
fn on_both(module: &str, arg: &str, enigma_flags: &[&str]) -> (Output, Output) {
    let dir = temp_dir(module);
    erlc(
        &[tests_dir().join("erlang").join(format!("{module}.erl"))],
        &dir,
    );
    let erl = Command::new("erl")
        .args(["-noshell", "-pa"])
        .arg(&dir)
        .arg("-eval")
        .arg(format!("{module}:main([\"{arg}\"]), halt()."))
        .output()
        .expect("run erl");
    let enigma = Command::new(env!("CARGO_BIN_EXE_enigma-under-test"))
        .env("ENIGMA_GC_STRESS", "0")
        .arg("run")
        .args(enigma_flags)
        .arg("-pa")
        .arg(&dir)
        .args([module, "main", arg])
        .output()
        .expect("run enigma");
    assert!(enigma.status.success(), "enigma failed: {enigma:?}");
    (erl, enigma)
}

/// Runs `tests/erlang/MODULE.erl`'s `main([Arg])` on `erl` and on Enigma
/// with `--gc-stats`, checks that both print the same, and returns
/// Enigma's standard error.
fn run_with_gc_stats(module: &str, arg: &str) -> String {
    let (erl, enigma) = on_both(module, arg, &["--gc-stats"]);
    assert_eq!(
        String::from_utf8_lossy(&enigma.stdout),
        String::from_utf8_lossy(&erl.stdout)
    );
    String::from_utf8_lossy(&enigma.stderr).into_owned()
}

#[test]
fn allocating_ten_gigabytes_keeps_the_heap_small() {
    if !have("erlc") {
        eprintln!("erl/erlc not installed: skipped");
        return;
    }
    let stderr = run_with_gc_stats("gc_churn", TOTAL_MB);
    let (heap_words, rss_kb) = gc_stats(&stderr).expect("a --gc-stats line");
    assert!(
        heap_words * 8 < 10 << 20,
        "largest process heap {heap_words} words: {stderr}"
    );
    // The VM with OTP's modules loaded takes some 10-40 MB; without the
    // collector (or with refc binaries never released) this run needs
    // gigabytes.
    assert!(rss_kb < 200 << 10, "peak RSS {rss_kb} kB: {stderr}");
}

/// `(collections, words copied, words promoted)` from `--gc-stats`.
fn gc_counts(stderr: &str) -> Option<(u64, u64, u64)> {
    let line = stderr.lines().find(|l| l.starts_with("gc: "))?;
    let words: Vec<&str> = line
        .split(|c: char| c.is_whitespace() || c == '(')
        .collect();
    let before = |word: &str| -> Option<u64> {
        let i = words.iter().position(|w| w.starts_with(word))?;
        words.get(i.checked_sub(1)?)?.parse().ok()
    };
    Some((before("collections")?, before("words")?, {
        let i = words.iter().position(|&w| w == "promoted,")?;
        words.get(i.checked_sub(2)?)?.parse().ok()?
    }))
}

/// Elements of long-lived data `gc_longlived` keeps (7 words each).
const LONG_LIVED: u64 = 100_000;

#[test]
fn long_lived_data_is_not_copied_at_every_collection() {
    if !have("erlc") {
        eprintln!("erl/erlc not installed: skipped");
        return;
    }
    let stderr = run_with_gc_stats("gc_longlived", &LONG_LIVED.to_string());
    let (collections, copied, promoted) = gc_counts(&stderr).expect("a --gc-stats line");
    // The churn takes many collections (the young heap is sized after
    // the old one, as BEAM's: some a hundred); a collector that copied
    // the 700,000 live words at each would copy tens of millions. Built
    // while collections run, the long-lived list is copied a few times.
    assert!(collections > 50, "{stderr}");
    assert!(
        copied + promoted < 8 * 7 * LONG_LIVED,
        "{} words copied: {stderr}",
        copied + promoted
    );
}

/// Idle processes `gc_idle` spawns.
const IDLE: &str = "20000";

/// The bytes of `erlang:memory(processes)` each idle process adds, as
/// `gc_idle` prints them, on `erl` and on Enigma.
fn idle_process_bytes() -> (u64, u64) {
    let (erl, enigma) = on_both("gc_idle", IDLE, &[]);
    let bytes = |out: &[u8]| -> u64 {
        let s = String::from_utf8_lossy(out);
        s.trim()
            .parse()
            .unwrap_or_else(|_| panic!("not a number: {s}"))
    };
    (bytes(&erl.stdout), bytes(&enigma.stdout))
}

#[test]
fn an_idle_process_takes_no_more_memory_than_on_beam() {
    if !have("erlc") {
        eprintln!("erl/erlc not installed: skipped");
        return;
    }
    let (beam, enigma) = idle_process_bytes();
    // BEAM: about 2.7 KB, most of it the 233-word first heap, which
    // Enigma's processes have too.
    assert!(enigma >= 233 * 8, "{enigma} bytes per idle process");
    assert!(
        enigma <= beam,
        "{enigma} bytes per idle process, BEAM {beam}"
    );
}

#[test]
fn gc_stats_line_parses() {
    let line = "gc: 12 collections (10 minor, 2 major), 345 words copied, 67 words promoted, \
                largest process heap 699 words, peak RSS 8912 kB";
    assert_eq!(gc_stats(line), Some((699, 8912)));
    assert_eq!(gc_counts(line), Some((12, 345, 67)));
    assert_eq!(gc_stats("nothing"), None);
}
