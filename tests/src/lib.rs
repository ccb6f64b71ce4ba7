//! Helpers for Enigma's integration tests, which check Enigma's behaviour
//! against real BEAM (`erl`, `erlc` from Debian's `erlang-base`).

#![forbid(unsafe_code)]

pub mod input;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The installed OTP's application directory.
pub const OTP_LIB: &str = "/usr/lib/erlang/lib";

/// The `tests` crate's directory.
pub fn tests_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

/// The installed OTP's `APP/ebin/MODULE.beam`, if present.
pub fn otp_beam(app: &str, module: &str) -> Option<PathBuf> {
    let prefix = format!("{app}-");
    let dir = std::fs::read_dir(OTP_LIB)
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(&prefix))
        })?;
    let beam = dir.join("ebin").join(format!("{module}.beam"));
    beam.exists().then_some(beam)
}

/// The command that runs the Enigma under test: `own` (the workspace's
/// build for this machine), or, with `ENIGMA_CROSS=BINARY` set, that
/// binary (built for another architecture) run through the command in
/// `ENIGMA_CROSS_RUNNER` (e.g. `qemu-aarch64 -L /usr/aarch64-linux-gnu`).
pub fn enigma_command(own: &str) -> Command {
    let Some(binary) = std::env::var_os("ENIGMA_CROSS") else {
        return Command::new(own);
    };
    let runner = std::env::var("ENIGMA_CROSS_RUNNER").unwrap_or_default();
    let mut words = runner.split_whitespace();
    match words.next() {
        Some(first) => {
            let mut c = Command::new(first);
            c.args(words).arg(binary);
            c
        }
        None => Command::new(binary),
    }
}

/// Whether the tests run a cross-built Enigma (see [`enigma_command`]).
pub fn cross() -> bool {
    std::env::var_os("ENIGMA_CROSS").is_some()
}

/// Whether the command `cmd` can be run.
pub fn have(cmd: &str) -> bool {
    Command::new(cmd).arg("-version").output().is_ok()
}

/// A fresh directory under the system's temporary directory, unique to
/// this call (tests run in parallel threads of one process).
pub fn temp_dir(name: &str) -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("enigma-{name}-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create temp dir");
    dir
}

/// The test modules `tests/erlang/PREFIX*.erl`, sorted.
pub fn erlang_sources(prefix: &str) -> Vec<PathBuf> {
    let src = tests_dir().join("erlang");
    let mut sources: Vec<PathBuf> = std::fs::read_dir(&src)
        .expect("tests/erlang")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(prefix) && n.ends_with(".erl"))
        })
        .collect();
    sources.sort();
    sources
}

/// Compiles `sources` with `erlc` into `out_dir`; returns the `.beam` paths.
pub fn erlc(sources: &[PathBuf], out_dir: &Path) -> Vec<PathBuf> {
    let status = Command::new("erlc")
        .arg("-o")
        .arg(out_dir)
        .args(sources)
        .status()
        .expect("run erlc");
    assert!(status.success(), "erlc failed");
    sources
        .iter()
        .map(|s| out_dir.join(s.with_extension("beam").file_name().expect("file name")))
        .collect()
}

/// Runs `erl -noshell -pa DIR -eval EXPR -s init stop` and returns stdout.
pub fn erl_eval(code_path: &Path, expr: &str) -> String {
    let out = Command::new("erl")
        .arg("-noshell")
        .arg("-pa")
        .arg(code_path)
        .arg("-eval")
        .arg(expr)
        .arg("-s")
        .arg("init")
        .arg("stop")
        .output()
        .expect("run erl");
    assert!(
        out.status.success(),
        "erl failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 from erl")
}

/// Runs `MODULE:main()` on BEAM (`erl -noshell -pa DIR -eval
/// 'MODULE:main(), halt().'`) in `dir`.
pub fn erl_main(dir: &Path, module: &str) -> std::process::Output {
    erl_command(dir, module).output().expect("run erl")
}

/// The `erl` command [`erl_main`] runs, to run with other settings. Its
/// schedulers do not spin while they wait (`+sbwt none` and the dirty
/// schedulers' likewise): on CI's two cores the spinning took CPU from the
/// other runs, and it changes no program's output.
pub fn erl_command(dir: &Path, module: &str) -> Command {
    erl_command_with(dir, &[], module)
}

/// [`erl_command`] with init flags before the module's `-eval`: start
/// commands among them (`-s`, `-run`, `-eval`) run before it, as
/// `enigma run`'s do before its module.
pub fn erl_command_with(dir: &Path, flags: &[String], module: &str) -> Command {
    let mut cmd = Command::new("erl");
    cmd.current_dir(dir)
        .env("ERL_CRASH_DUMP_SECONDS", "0")
        .args(["+sbwt", "none", "+sbwtdcpu", "none", "+sbwtdio", "none"])
        .args(["-noshell", "-pa"])
        .arg(dir)
        .args(flags)
        .arg("-eval")
        .arg(format!("{module}:main(), halt()."));
    cmd
}
