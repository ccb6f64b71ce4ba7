//! Differential tests: every `tests/erlang/run_*.erl` is compiled with
//! `erlc` and run both on real BEAM (`erl -noshell -pa DIR -eval
//! 'MOD:main(), halt().'`) and under `enigma run -pa DIR MOD`; standard
//! output and exit status must be equal (but for BEAM's own report of an
//! uncaught exception, see `on_erl`). Programs under
//! `tests/erlang/wishlist/` (waiting for BIFs or instructions of other
//! issues) run the same way, and their results are reported, not asserted.
//! Assembly modules (`*.S`) beside the programs are compiled with them, for
//! instructions today's compiler no longer emits. A program's `run_X.stdin`
//! beside it is given to both VMs as standard input, at once or as a
//! script in steps (`enigma_tests::input`); else the input is at its end
//! at once. A program's `run_X.args` gives both VMs command-line flags
//! (`-config F`, `-App Key Value`, `-Flag Values`, and after `-extra` the
//! plain arguments), and `*.config` files beside the programs are copied
//! where they run. A run that hangs is killed after a timeout and
//! reported as a difference.
//!
//! Enigma runs each program three ways (DESIGN §8): with the JIT off, with
//! the default, and eagerly (`--jit-threshold 1`: every loop anchor is
//! recorded on its first backward tail call, so every guard is exercised).
//!
//! With `ENIGMA_CROSS` set (`enigma_tests::enigma_command`), a build for
//! another architecture runs instead, through an emulator, without the
//! GC-stress pass: the JIT's programs (`run_jit_*`) in the three modes
//! with the JIT asked for ([`CROSS_JIT_MODES`]: aarch64's default is off),
//! the others with the JIT off only (the emulator is slow).
//!
//! Under GC stress (`ENIGMA_GC_STRESS=1`: a collection at every safe
//! point, a full sweep at every eighth) the programs must still match; a
//! full sweep copies all live data and every collection scans the whole
//! stack, so stress is quadratic in a program's live size and the few
//! programs listed in [`TOO_BIG_FOR_STRESS`] are left out, as are
//! those that print heap sizes ([`SIZES_DEPEND_ON_COLLECTIONS`]).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use enigma_tests::input::{self, Input};
use enigma_tests::{cross, enigma_command, erl_command_with, erlc, have, temp_dir, tests_dir};

/// stdout and exit status of one run.
#[derive(Debug, PartialEq)]
struct Run {
    stdout: String,
    status: Option<i32>,
}

impl Run {
    fn of(out: Output) -> Run {
        Run {
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            status: out.status.code(),
        }
    }
}

/// How long one run of one program may take before it is killed and
/// reported (`ENIGMA_RUN_TIMEOUT` seconds; default 600, far above the
/// slowest program under GC stress on a loaded machine): a hang fails the
/// test instead of stalling CI.
fn run_timeout() -> Duration {
    let secs = std::env::var("ENIGMA_RUN_TIMEOUT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(600);
    Duration::from_secs(secs)
}

/// Runs `cmd` to its end with `input` on its standard input (none: an
/// input that is at its end at once); a run that outlives
/// [`run_timeout`] is killed, and its output says so.
fn output_with_input(cmd: &mut Command, input: Option<&Input>) -> Output {
    let mut child = cmd
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run");
    let seen = Arc::new(input::Output::default());
    let writer = input.map(|input| {
        let stdin = child.stdin.take().expect("stdin");
        let (input, seen) = (input.clone(), Arc::clone(&seen));
        std::thread::spawn(move || input::feed(stdin, &input, &seen, run_timeout()))
    });
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let out_reader = {
        let seen = Arc::clone(&seen);
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n @ 1..) = out.read(&mut buf) {
                seen.push(&buf[..n]);
            }
        })
    };
    let err_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = err.read_to_end(&mut v);
        v
    });
    let deadline = Instant::now() + run_timeout();
    let mut timed_out = false;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if Instant::now() >= deadline {
            timed_out = true;
            let _ = child.kill();
            break child.wait().expect("wait");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let _ = out_reader.join();
    let mut stdout = seen.take();
    let stderr = err_reader.join().unwrap_or_default();
    if let Some(w) = writer {
        let _ = w.join();
    }
    if timed_out {
        let note = format!("\n<killed after {} s>\n", run_timeout().as_secs());
        stdout.extend_from_slice(note.as_bytes());
    }
    Output {
        status,
        stdout,
        stderr,
    }
}

/// A program's command-line flags (`run_X.args`): those before `-extra`,
/// and the plain arguments after it.
struct Args {
    flags: Vec<String>,
    plain: Vec<String>,
}

impl Args {
    fn of(program: &Path) -> Args {
        let text = std::fs::read_to_string(program.with_extension("args")).unwrap_or_default();
        let mut words: Vec<String> = text.split_whitespace().map(String::from).collect();
        let plain = match words.iter().position(|w| w == "-extra") {
            Some(at) => words.split_off(at).split_off(1),
            None => Vec::new(),
        };
        Args {
            flags: words,
            plain,
        }
    }

    /// `-extra` and the plain arguments, if any.
    fn extra(&self) -> Vec<&str> {
        if self.plain.is_empty() {
            return Vec::new();
        }
        std::iter::once("-extra")
            .chain(self.plain.iter().map(String::as_str))
            .collect()
    }
}

fn on_erl(dir: &Path, module: &str, input: Option<&Input>, args: &Args) -> Run {
    let mut cmd = erl_command_with(dir, &args.flags, module);
    cmd.args(args.extra());
    let mut run = Run::of(output_with_input(&mut cmd, input));
    // BEAM's init reports an uncaught exception of `-eval` with
    // `erlang:display/1` on standard output; its stack trace names
    // erl_eval and init frames. Enigma reports on standard error.
    if let Some(at) = run.stdout.find("{\"init terminating in do_boot\"") {
        run.stdout.truncate(at);
    }
    run
}

/// The JIT settings every program runs under.
const MODES: [&[&str]; 3] = [&["--jit=off"], &[], &["--jit-threshold", "1"]];

/// The JIT's programs under a cross build: off, on, and eager, each asked
/// for (the JIT is off by default where its backend covers a subset).
const CROSS_JIT_MODES: [&[&str]; 3] = [
    &["--jit=off"],
    &["--jit=on"],
    &["--jit=on", "--jit-threshold", "1"],
];

/// Under GC stress, the default JIT setting only (stress is slow).
const STRESS_MODES: [&[&str]; 1] = [&[]];

/// Programs whose live data or stack is too large for a collection at
/// every safe point within CI's time (minutes each: `run_arity_limit`
/// 109 s of CPU, `run_ets_order` 88 s); `run_rand_bits` runs
/// OTP's compiler on six generated modules, `run_otp_pp_roundtrip` prints
/// whole OTP modules.
const TOO_BIG_FOR_STRESS: &[&str] = &[
    "run_arity_limit",
    "run_bif_reductions",
    "run_bits_random",
    "run_calls",
    "run_deep",
    "run_ets_large",
    "run_ets_order",
    "run_gc",
    "run_jit_alloc",
    "run_large",
    "run_max_heap_size",
    "run_max_heap_stack",
    "run_otp_pp_roundtrip",
    "run_rand_bits",
    "run_stress",
    "run_unicode_conv",
];

/// Programs whose system calls a cross build's emulator does not carry
/// out as the kernel does (`run_inet_getopts`: qemu-user's `setsockopt`
/// refuses `IP_MULTICAST_IF` and others with `enoprotoopt`).
const NOT_UNDER_EMULATION: &[&str] = &["run_inet_getopts"];

/// Programs that print heap sizes, which depend on when collections run:
/// a collection at every safe point changes them.
const SIZES_DEPEND_ON_COLLECTIONS: &[&str] = &[
    "run_heap_growth",
    "run_heap_bif_result",
    "run_literal_share",
];

fn on_enigma(
    dir: &Path,
    module: &str,
    mode: &[&str],
    gc_stress: bool,
    input: Option<&Input>,
    args: &Args,
) -> Run {
    let mut cmd = enigma_command(env!("CARGO_BIN_EXE_enigma-under-test"));
    cmd.env("ENIGMA_GC_STRESS", if gc_stress { "1" } else { "0" })
        .current_dir(dir)
        .arg("run")
        .args(mode)
        .arg("-pa")
        .arg(dir)
        .args(&args.flags)
        .arg("--")
        .arg(module)
        .args(args.extra());
    Run::of(output_with_input(&mut cmd, input))
}

/// The `run_*.erl` programs in `dir`; with `ENIGMA_ONLY=a,b` set, only
/// those whose names contain one of the comma-separated words (to iterate
/// on a few programs).
fn sources(dir: &Path) -> Vec<PathBuf> {
    let only = std::env::var("ENIGMA_ONLY").unwrap_or_default();
    let only: Vec<&str> = only.split(',').filter(|w| !w.is_empty()).collect();
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                        n.starts_with("run_")
                            && n.ends_with(".erl")
                            && (only.is_empty() || only.iter().any(|w| n.contains(w)))
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// The files named `*.ext` in the directories of `srcs`.
fn beside(srcs: &[PathBuf], ext: &str) -> Vec<PathBuf> {
    let mut dirs: Vec<&Path> = srcs.iter().filter_map(|s| s.parent()).collect();
    dirs.dedup();
    let mut v: Vec<PathBuf> = dirs
        .iter()
        .filter_map(|d| std::fs::read_dir(d).ok())
        .flat_map(|rd| rd.filter_map(Result::ok).map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    v.sort();
    v
}

/// A readable line diff of two outputs.
fn diff(want: &str, got: &str) -> String {
    let (w, g): (Vec<&str>, Vec<&str>) = (want.lines().collect(), got.lines().collect());
    let mut out = String::new();
    for i in 0..w.len().max(g.len()) {
        match (w.get(i), g.get(i)) {
            (Some(a), Some(b)) if a == b => {}
            (a, b) => {
                out.push_str(&format!(
                    "  line {}:\n    erl:    {}\n    enigma: {}\n",
                    i + 1,
                    a.unwrap_or(&"<none>"),
                    b.unwrap_or(&"<none>")
                ));
            }
        }
    }
    out
}

/// Runs every program of `srcs` both ways (two at a time), Enigma with GC
/// stress if `gc_stress`; returns the failures as readable reports.
fn compare_all(name: &str, srcs: &[PathBuf], gc_stress: bool) -> (usize, Vec<String>) {
    let srcs: Vec<PathBuf> = srcs
        .iter()
        .filter(|s| {
            let stem = s.file_stem().and_then(|n| n.to_str()).unwrap_or("");
            !(cross() && NOT_UNDER_EMULATION.contains(&stem))
        })
        .cloned()
        .collect();
    let srcs = &srcs[..];
    if srcs.is_empty() {
        return (0, Vec::new());
    }
    let dir = temp_dir(name);
    // Hand-assembled helper modules (`*.S` beside the programs) too.
    let mut all = srcs.to_vec();
    all.extend(beside(srcs, "S"));
    erlc(&all, &dir);
    for config in beside(srcs, "config") {
        if let Some(name) = config.file_name() {
            std::fs::copy(&config, dir.join(name)).expect("copy a .config file");
        }
    }
    let modules: Vec<String> = srcs
        .iter()
        .filter_map(|s| s.file_stem()?.to_str().map(String::from))
        .collect();
    // `run_X.stdin` beside a program is its standard input.
    let inputs: Vec<Option<Input>> = srcs
        .iter()
        .map(|s| {
            std::fs::read(s.with_extension("stdin"))
                .ok()
                .map(Input::parse)
        })
        .collect();
    let args: Vec<Args> = srcs.iter().map(|s| Args::of(s)).collect();
    let modes: &[&[&str]] = match (gc_stress, cross()) {
        (true, _) => &STRESS_MODES,
        (false, true) => &MODES[..1],
        (false, false) => &MODES,
    };
    let failures = Mutex::new(Vec::new());
    let times = Mutex::new(Vec::new());
    let next = Mutex::new(0usize);
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| loop {
                let i = {
                    let mut n = next.lock().expect("lock");
                    *n += 1;
                    *n - 1
                };
                let Some(m) = modules.get(i) else { break };
                let input = inputs.get(i).and_then(Option::as_ref);
                let start = Instant::now();
                let args = &args[i];
                let want = on_erl(&dir, m, input, args);
                let modes = match cross() && !gc_stress && m.starts_with("run_jit_") {
                    true => &CROSS_JIT_MODES[..],
                    false => modes,
                };
                for &mode in modes {
                    let got = on_enigma(&dir, m, mode, gc_stress, input, args);
                    if want != got {
                        let mut r = format!(
                            "{m} {mode:?}: exit status erl {:?}, enigma {:?}\n",
                            want.status, got.status
                        );
                        r.push_str(&diff(&want.stdout, &got.stdout));
                        failures.lock().expect("lock").push(r);
                    }
                }
                times.lock().expect("lock").push((start.elapsed(), m));
            });
        }
    });
    report_slowest(name, times.into_inner().expect("lock"));
    let mut f = failures.into_inner().expect("lock");
    f.sort();
    (modules.len(), f)
}

/// Prints the programs that took longest (erl and every Enigma mode
/// together), to see where CI's time goes (`--nocapture`, or with a
/// failure's report).
fn report_slowest(name: &str, mut times: Vec<(Duration, &String)>) {
    times.sort_by(|a, b| b.cmp(a));
    let slowest: Vec<String> = times
        .iter()
        .take(8)
        .map(|(t, m)| format!("{m} {:.1} s", t.as_secs_f64()))
        .collect();
    eprintln!("{name}: slowest {}", slowest.join(", "));
}

#[test]
fn programs_match_erl() {
    if !have("erlc") {
        eprintln!("erl/erlc not installed: skipped");
        return;
    }
    let srcs = sources(&tests_dir().join("erlang"));
    let (n, failures) = compare_all("run", &srcs, false);
    assert!(
        failures.is_empty(),
        "{} of {n} programs differ from erl:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!("{n} programs match erl");
}

#[test]
fn programs_match_erl_under_gc_stress() {
    if !have("erlc") || cross() {
        eprintln!("erl/erlc not installed, or a cross build: skipped");
        return;
    }
    let srcs: Vec<PathBuf> = sources(&tests_dir().join("erlang"))
        .into_iter()
        .filter(|s| {
            let stem = s.file_stem().and_then(|n| n.to_str()).unwrap_or("");
            !TOO_BIG_FOR_STRESS.contains(&stem) && !SIZES_DEPEND_ON_COLLECTIONS.contains(&stem)
        })
        .collect();
    let (n, failures) = compare_all("stress", &srcs, true);
    assert!(
        failures.is_empty(),
        "{} of {n} programs differ from erl under GC stress:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!("{n} programs match erl under GC stress");
}

#[test]
fn wishlist_report() {
    if !have("erlc") {
        return;
    }
    let srcs = sources(&tests_dir().join("erlang").join("wishlist"));
    let (n, failures) = compare_all("wishlist", &srcs, false);
    eprintln!(
        "wishlist: {} of {n} programs match erl\n{}",
        n - failures.len(),
        failures.join("\n")
    );
}
