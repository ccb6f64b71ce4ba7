//! Enigma's benchmarks: Erlang programs timed on `erl` and on Enigma in one
//! run, reported as the median of several alternating runs and the
//! Enigma/BEAM ratio.
//!
//! Each program in `bench/programs/` takes one size argument (`MOD:main([N])`,
//! as `erl -run` passes it), times its own work with `timer:tc/1` so that
//! neither VM's start-up is measured, and prints `MICROSECONDS RESULT`. The
//! runner checks that both VMs printed the same result.

#![forbid(unsafe_code)]

pub mod idle;

use std::path::{Path, PathBuf};
use std::process::Command;

/// One benchmark program and its sizes.
#[derive(Clone, Copy, Debug)]
pub struct Program {
    /// The module (and file) name.
    pub module: &'static str,
    /// Size argument for a real measurement.
    pub size: u64,
    /// Size argument for a smoke run.
    pub quick_size: u64,
}

/// The benchmark programs: issue 3's set, issue 4's (binaries and maps),
/// issue 5's (processes, and binary-trees for the collector), issue 6's
/// float kernels, and OTP's compiler as a real program.
pub const PROGRAMS: &[Program] = &[
    Program {
        module: "bench_fib",
        size: 33,
        quick_size: 15,
    },
    Program {
        module: "bench_tak",
        size: 500,
        quick_size: 2,
    },
    Program {
        module: "bench_nrev",
        size: 100_000,
        quick_size: 100,
    },
    Program {
        module: "bench_sum",
        size: 60_000_000,
        quick_size: 1000,
    },
    Program {
        module: "bench_float",
        size: 10_000_000,
        quick_size: 1000,
    },
    Program {
        module: "bench_bin_parse",
        size: 10_000_000,
        quick_size: 1000,
    },
    Program {
        module: "bench_bin_scan",
        size: 10_000_000,
        quick_size: 1000,
    },
    Program {
        module: "bench_bin_build",
        size: 3_000_000,
        quick_size: 1000,
    },
    Program {
        module: "bench_bin_match",
        size: 5_000_000,
        quick_size: 1000,
    },
    Program {
        module: "bench_bin_split",
        size: 5_000_000,
        quick_size: 1000,
    },
    Program {
        module: "bench_map_count",
        size: 400_000,
        quick_size: 100,
    },
    Program {
        module: "bench_mandel",
        size: 400,
        quick_size: 8,
    },
    Program {
        module: "bench_nbody",
        size: 200_000,
        quick_size: 10,
    },
    Program {
        module: "bench_spawn",
        size: 200_000,
        quick_size: 100,
    },
    Program {
        module: "bench_ring",
        size: 1_000_000,
        quick_size: 2000,
    },
    Program {
        module: "bench_collatz",
        size: 300_000,
        quick_size: 100,
    },
    Program {
        module: "bench_binary_trees",
        size: 16,
        quick_size: 6,
    },
    Program {
        module: "bench_compile",
        size: 3,
        quick_size: 1,
    },
];

/// Which VM a run is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Vm {
    /// BEAM, as `erl`.
    Beam,
    /// Enigma, as `enigma run`.
    Enigma,
}

/// What one run printed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sample {
    /// The program's own timing of its work.
    pub micros: u64,
    /// The value it computed, as printed.
    pub result: String,
}

/// The directory holding the benchmark sources.
pub fn programs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("programs")
}

/// Compiles every program with `erlc` into `out`.
pub fn compile(out: &Path) -> Result<(), String> {
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let sources: Vec<PathBuf> = PROGRAMS
        .iter()
        .map(|p| p.module)
        .chain([idle::PROGRAM])
        .map(|m| programs_dir().join(format!("{m}.erl")))
        .collect();
    let status = Command::new("erlc")
        .arg("-o")
        .arg(out)
        .args(&sources)
        .status()
        .map_err(|e| format!("erlc: {e}"))?;
    status
        .success()
        .then_some(())
        .ok_or_else(|| "erlc failed".to_string())
}

/// The Enigma to run: its binary and the options given to `enigma run`
/// (`--jit=off`, `--jit-threshold N`...).
#[derive(Clone, Debug, Default)]
pub struct Enigma {
    /// The `enigma` binary.
    pub path: PathBuf,
    /// Options after `run`.
    pub args: Vec<String>,
}

/// The command that runs `program` (`MOD:main([SIZE])`) on `vm`, with its
/// `.beam` in `ebin`.
pub fn command(vm: Vm, enigma: &Enigma, ebin: &Path, program: &str, size: u64) -> Command {
    let size = size.to_string();
    let mut c = match vm {
        Vm::Beam => {
            let mut c = Command::new("erl");
            c.args(["-noshell", "-pa"])
                .arg(ebin)
                .args(["-run", program, "main", &size, "-s", "init", "stop"]);
            c
        }
        Vm::Enigma => {
            let mut c = Command::new(&enigma.path);
            c.arg("run")
                .args(&enigma.args)
                .arg("-pa")
                .arg(ebin)
                .args([program, "main", &size]);
            c
        }
    };
    c.stdin(std::process::Stdio::null());
    c
}

/// Runs `program` with `size` once on `vm`, with its `.beam` in `ebin`.
pub fn run_once(
    vm: Vm,
    enigma: &Enigma,
    ebin: &Path,
    program: &str,
    size: u64,
) -> Result<Sample, String> {
    let output = command(vm, enigma, ebin, program, size)
        .output()
        .map_err(|e| format!("{vm:?} {program}: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(format!(
            "{vm:?} {program} exited with {}: {}{}",
            output.status,
            stdout,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let line = stdout.lines().last().unwrap_or("");
    let (micros, result) = line
        .split_once(' ')
        .ok_or_else(|| format!("{vm:?} {program}: unexpected output {stdout:?}"))?;
    Ok(Sample {
        micros: micros
            .parse()
            .map_err(|_| format!("{vm:?} {program}: bad time in {line:?}"))?,
        result: result.to_string(),
    })
}

/// The median of `xs` (the lower middle for an even count).
pub fn median(xs: &mut [u64]) -> u64 {
    xs.sort_unstable();
    xs[(xs.len() - 1) / 2]
}

/// Medians of one program on both VMs.
#[derive(Clone, Debug)]
pub struct Row {
    /// The program.
    pub module: &'static str,
    /// Median on BEAM, microseconds.
    pub beam: u64,
    /// Median on Enigma, microseconds.
    pub enigma: u64,
}

impl Row {
    /// Enigma's time over BEAM's.
    pub fn ratio(&self) -> f64 {
        self.enigma as f64 / self.beam.max(1) as f64
    }
}

/// Runs `program` `runs` times on each VM, alternating, and checks that every
/// run computed the same result.
pub fn measure(
    enigma: &Enigma,
    ebin: &Path,
    program: &Program,
    runs: usize,
    quick: bool,
) -> Result<Row, String> {
    let size = if quick {
        program.quick_size
    } else {
        program.size
    };
    let (mut beam, mut ours) = (Vec::new(), Vec::new());
    let mut expected: Option<String> = None;
    for _ in 0..runs.max(1) {
        for vm in [Vm::Beam, Vm::Enigma] {
            let s = run_once(vm, enigma, ebin, program.module, size)?;
            match &expected {
                Some(e) if *e != s.result => {
                    return Err(format!(
                        "{}: {vm:?} computed {}, expected {e}",
                        program.module, s.result
                    ))
                }
                Some(_) => {}
                None => expected = Some(s.result.clone()),
            }
            if vm == Vm::Beam { &mut beam } else { &mut ours }.push(s.micros);
        }
    }
    Ok(Row {
        module: program.module,
        beam: median(&mut beam),
        enigma: median(&mut ours),
    })
}

/// The table the runner prints (Markdown, as the README shows it).
pub fn table(rows: &[Row]) -> String {
    let mut s =
        String::from("| program | BEAM (ms) | Enigma (ms) | Enigma/BEAM |\n|---|---:|---:|---:|\n");
    for r in rows {
        s.push_str(&format!(
            "| {} | {:.1} | {:.1} | {:.2} |\n",
            r.module,
            r.beam as f64 / 1000.0,
            r.enigma as f64 / 1000.0,
            r.ratio()
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_and_ratios() {
        assert_eq!(median(&mut [5, 1, 3]), 3);
        assert_eq!(median(&mut [4, 1, 3, 2]), 2);
        let r = Row {
            module: "m",
            beam: 2000,
            enigma: 3000,
        };
        assert_eq!(r.ratio(), 1.5);
        assert!(table(&[r]).contains("| m | 2.0 | 3.0 | 1.50 |"));
    }
}
