//! The SMP scheduler: programs give `erl`'s output on one scheduler (an
//! endless loop must not starve the others: preemption, not a second
//! thread, lets them run) and on more schedulers than cores, with the
//! JIT's traces too (processes taking turns on one scheduler's X
//! registers); an idle VM sleeps instead of spinning.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use enigma_tests::{erl_main, erlc, have, temp_dir, tests_dir};

fn on_erl(dir: &Path, module: &str) -> String {
    String::from_utf8_lossy(&erl_main(dir, module).stdout).into_owned()
}

fn on_enigma(dir: &Path, module: &str, schedulers: &str, mode: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_enigma-under-test"))
        .env("ENIGMA_GC_STRESS", "0")
        .args(["run", "+S", schedulers])
        .args(mode)
        .arg("-pa")
        .arg(dir)
        .arg(module)
        .output()
        .expect("run enigma");
    assert!(
        out.status.success(),
        "{module} on +S {schedulers} {mode:?}: {out:?}"
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn programs_match_erl_on_one_and_four_schedulers() {
    if !have("erlc") {
        eprintln!("erl/erlc not installed: skipped");
        return;
    }
    let dir = temp_dir("smp");
    let erlang = tests_dir().join("erlang");
    let modules = [
        "run_fairness",
        "run_smp",
        "run_links",
        "run_monitors",
        "run_procs",
        "run_suspend",
        "run_msg_copy",
        "run_spawn_request",
        "run_recv_midslice",
        "run_info_signal",
    ];
    let srcs: Vec<_> = modules
        .iter()
        .map(|m| erlang.join(format!("{m}.erl")))
        .collect();
    erlc(&srcs, &dir);
    for m in modules {
        let want = on_erl(&dir, m);
        for s in ["1", "4"] {
            assert_eq!(on_enigma(&dir, m, s, &[]), want, "{m} on +S {s}");
        }
    }
}

/// Processes that yield inside traces and resume after another process
/// ran on their scheduler, which one scheduler makes certain: a yield
/// must keep the X registers of the function it resumes in, not those of
/// the function whose trace was entered (session 23: a return trace's
/// tail call of another function trace lost x1 on every run).
#[test]
fn traces_yield_with_their_arguments_on_one_scheduler() {
    if !have("erlc") {
        eprintln!("erl/erlc not installed: skipped");
        return;
    }
    let dir = temp_dir("smp_jit");
    let m = "run_jit_tail_yield";
    erlc(&[tests_dir().join("erlang").join(format!("{m}.erl"))], &dir);
    let want = on_erl(&dir, m);
    for mode in [&[][..], &["--jit-threshold", "1"]] {
        assert_eq!(on_enigma(&dir, m, "1", mode), want, "{m} on +S 1 {mode:?}");
    }
}

/// User plus system CPU time of process `pid`, from `/proc`.
fn cpu_time(pid: u32) -> Duration {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("read /proc stat");
    // Fields after the command name (which may hold spaces): utime and
    // stime are the 12th and 13th, in clock ticks (USER_HZ, 100 on Linux).
    let rest = &stat[stat.rfind(')').expect("stat format") + 2..];
    let fields: Vec<u64> = rest
        .split_whitespace()
        .skip(11)
        .take(2)
        .map(|f| f.parse().expect("a tick count"))
        .collect();
    Duration::from_millis(10 * fields.iter().sum::<u64>())
}

#[test]
fn an_idle_vm_sleeps() {
    if !have("erlc") || !Path::new("/proc/self/stat").exists() {
        eprintln!("erl/erlc or /proc missing: skipped");
        return;
    }
    let dir = temp_dir("idle");
    erlc(&[tests_dir().join("erlang").join("smp_idle.erl")], &dir);
    let mut child = Command::new(env!("CARGO_BIN_EXE_enigma-under-test"))
        .args(["run", "+S", "2", "-pa"])
        .arg(&dir)
        .arg("smp_idle")
        .stdout(Stdio::piped())
        .spawn()
        .expect("run enigma");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let first = lines.next().and_then(Result::ok);
    assert_eq!(first.as_deref(), Some("idle"));
    let (wall0, cpu0) = (Instant::now(), cpu_time(child.id()));
    std::thread::sleep(Duration::from_millis(2000));
    let (wall, cpu) = (wall0.elapsed(), cpu_time(child.id()) - cpu0);
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    assert!(child.wait().expect("wait").success());
    assert_eq!(rest, ["done"]);
    // Two spinning schedulers would use twice the wall time; sleeping
    // ones use next to nothing (a tenth leaves room for a loaded machine).
    assert!(
        cpu < wall / 10,
        "an idle VM used {cpu:?} of CPU in {wall:?}"
    );
}
