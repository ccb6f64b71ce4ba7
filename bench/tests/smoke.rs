//! A quick run of the benchmark runner, as CI keeps it: every program at its
//! smallest size, once on `erl` and once on Enigma, with both computing the
//! same result. (Timings are printed, never asserted.)

use std::path::PathBuf;
use std::process::Command;

use enigma_bench::{compile, idle, measure, table, Enigma, Vm, PROGRAMS};

fn have(cmd: &str) -> bool {
    Command::new(cmd).arg("-version").output().is_ok()
}

#[test]
fn every_benchmark_runs_on_both_vms_with_equal_results() {
    if !have("erl") || !have("erlc") {
        eprintln!("skipped: erl/erlc not installed");
        return;
    }
    let path = PathBuf::from(env!("CARGO_BIN_EXE_enigma-bench")).with_file_name("enigma");
    assert!(
        path.exists(),
        "build the enigma binary first: {}",
        path.display()
    );
    let enigma = Enigma {
        path,
        args: Vec::new(),
    };
    let ebin = std::env::temp_dir().join(format!("enigma-bench-smoke-{}", std::process::id()));
    compile(&ebin).expect("benchmarks compile");
    let rows: Vec<_> = PROGRAMS
        .iter()
        .map(|p| measure(&enigma, &ebin, p, 1, true).unwrap_or_else(|e| panic!("{e}")))
        .collect();
    let _ = std::fs::remove_dir_all(&ebin);
    assert_eq!(rows.len(), PROGRAMS.len());
    eprint!("{}", table(&rows));
}

#[test]
fn the_idle_memory_mode_reads_both_vms() {
    if !have("erl") || !have("erlc") || !std::path::Path::new("/proc/self/status").exists() {
        eprintln!("skipped: erl/erlc or /proc not available");
        return;
    }
    let path = PathBuf::from(env!("CARGO_BIN_EXE_enigma-bench")).with_file_name("enigma");
    let enigma = Enigma {
        path,
        args: Vec::new(),
    };
    let ebin = std::env::temp_dir().join(format!("enigma-bench-idle-{}", std::process::id()));
    compile(&ebin).expect("benchmarks compile");
    let beam = idle::per_process(Vm::Beam, &enigma, &ebin, 1000, 1);
    let ours = idle::per_process(Vm::Enigma, &enigma, &ebin, 1000, 1);
    let _ = std::fs::remove_dir_all(&ebin);
    let (beam, ours) = (
        beam.unwrap_or_else(|e| panic!("{e}")),
        ours.unwrap_or_else(|e| panic!("{e}")),
    );
    eprint!("{}", idle::table(beam, ours, 1000));
}
