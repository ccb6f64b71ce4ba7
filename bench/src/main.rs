//! `enigma-bench [--quick] [--runs N] [--only MODULE] [--enigma PATH]
//! [--enigma-arg ARG]... [--idle-memory]`: times the benchmark programs on
//! `erl` and on Enigma (`enigma run ARG... `, e.g. `--enigma-arg
//! --jit=off`) and prints a table of medians and ratios; with
//! `--idle-memory`, measures the resident memory per idle process instead
//! (`enigma_bench::idle`).

#![forbid(unsafe_code)]

use std::path::PathBuf;

use enigma_bench::{compile, idle, measure, table, Enigma, Vm, PROGRAMS};

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut quick, mut runs, mut only, mut enigma) = (false, 5usize, None, None);
    let mut idle = false;
    let mut enigma_args = Vec::new();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--quick" => quick = true,
            "--idle-memory" => idle = true,
            "--runs" => runs = args.next().and_then(|n| n.parse().ok()).unwrap_or(runs),
            "--only" => only = args.next(),
            "--enigma" => enigma = args.next().map(PathBuf::from),
            "--enigma-arg" => enigma_args.extend(args.next()),
            _ => {
                eprintln!(
                    "usage: enigma-bench [--quick] [--runs N] [--only MODULE] [--enigma PATH] \
                     [--enigma-arg ARG]... [--idle-memory]"
                );
                std::process::exit(2);
            }
        }
    }
    let enigma = Enigma {
        path: enigma.unwrap_or_else(enigma_beside_me),
        args: enigma_args,
    };
    let ebin = std::env::temp_dir().join(format!("enigma-bench-{}", std::process::id()));
    if let Err(e) = compile(&ebin) {
        eprintln!("enigma-bench: {e}");
        std::process::exit(1);
    }
    if idle {
        let n = if quick { 1000 } else { idle::PROCESSES };
        let result = idle::per_process(Vm::Beam, &enigma, &ebin, n, runs).and_then(|beam| {
            Ok((
                beam,
                idle::per_process(Vm::Enigma, &enigma, &ebin, n, runs)?,
            ))
        });
        let _ = std::fs::remove_dir_all(&ebin);
        match result {
            Ok((beam, ours)) => print!("{}", idle::table(beam, ours, n)),
            Err(e) => {
                eprintln!("enigma-bench: {e}");
                std::process::exit(1);
            }
        }
        return;
    }
    let mut rows = Vec::new();
    for p in PROGRAMS
        .iter()
        .filter(|p| only.as_deref().is_none_or(|o| o == p.module))
    {
        match measure(&enigma, &ebin, p, runs, quick) {
            Ok(row) => rows.push(row),
            Err(e) => {
                eprintln!("enigma-bench: {e}");
                std::process::exit(1);
            }
        }
    }
    let _ = std::fs::remove_dir_all(&ebin);
    print!("{}", table(&rows));
}

/// The `enigma` binary in the same target directory as this one.
fn enigma_beside_me() -> PathBuf {
    let me = std::env::current_exe().unwrap_or_default();
    me.with_file_name("enigma")
}
