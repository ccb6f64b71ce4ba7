//! `enigma run`: runs `MOD:FUN()` (or `MOD:FUN([ArgString...])`, as
//! `erl -run` does) on the interpreter, loading modules on demand from the
//! code path: the `-pa` directories, then the installed OTP's `lib/*/ebin`.
//! A `FILE.erl` argument is compiled with `erlc` first, into a cache keyed
//! by the file's content.

use std::path::{Path, PathBuf};
use std::process::Command;

use std::io::Write;

use enigma_interp::run::Start;
use enigma_interp::sched::{Priority, SpawnOpts};
use enigma_interp::{code, sched, Outcome, Registers};
use enigma_vm::atom::Atom;
use enigma_vm::exception::Class;
use enigma_vm::term::fun::Export;
use enigma_vm::term::{Heap, Term};
use md5::{Digest, Md5};

use crate::bif::erlang::display::display_bytes;

/// Usage of `enigma run`.
pub const USAGE: &str = "\
usage: enigma run [-pa DIR]... [-pz DIR]... [-config FILE]... [--otp-root DIR]
                  [--jit=on|off] [--jit-threshold N]
                  [--jit-stats] [--jit-dump=ir,asm] [--jit-dump-file FILE] [--perf-map]
                  [--gc-stats] [--gc-stress]
                  [+S N | --schedulers N] [+pc unicode|latin1]
                  [-FLAG [VALUE...]... --]
                  [-s MOD [FUN [ARG...]]]... [-run MOD [FUN [ARG...]]]... [-eval EXPR]...
                  MOD|FILE.erl [FUN [ARG...]] [-extra PLAIN...]
Any other -FLAG takes the arguments after it up to the next one that starts
with - or +, as erl's do (init:get_argument/1, -App Key Value); end them
with -- before the module. -s, -run and -eval run in order before the
module's function, as erl's init runs them; with them the module is optional.
";

/// Backward tail calls to a loop anchor before it is recorded. Root traces
/// compile on the JIT's thread, so what a recording costs the interpreter
/// is recording it and handing it over: 3-7 µs once the JIT's code is warm
/// (session 18, `docs/JIT.md`), the time of 300-700 iterations of
/// bench_sum's loop (8-13 ns each), 60-120 of bench_float's (~55 ns).
/// Starting at 200 is the ski-rental choice between them: a loop that
/// stops right after being recorded costs at most about twice what
/// interpreting it would have. The first recording of a run costs about
/// 35 µs (cold code) and also waits 200 µs from the first hot anchor
/// (`enigma_interp`'s `hot.rs`, `COLD_WAIT`).
pub const DEFAULT_JIT_THRESHOLD: u32 = 200;

struct Options {
    /// The `-Flag Values` arguments `init:get_arguments/0` answers besides
    /// erl's own, in command-line order (`-pa`, `-pz` and `-config` too).
    flags: Vec<(String, Vec<String>)>,
    /// After `-extra`: `init:get_plain_arguments/0`.
    plain: Vec<String>,
    /// `-s`, `-run` and `-eval` with their values, in command-line order:
    /// run before the module's function, as `erl`'s `init` runs them.
    starts: Vec<(String, Vec<String>)>,
    jit: bool,
    jit_threshold: u32,
    jit_dump: enigma_jit::Dump,
    jit_stats: bool,
    gc_stats: bool,
    schedulers: usize,
    otp_root: Option<PathBuf>,
    /// The module (or `.erl` file) whose function runs; optional when
    /// start commands are given.
    target: Option<String>,
    function: String,
    args: Vec<String>,
}

impl Options {
    /// Whether the command line may configure applications (flags other
    /// than the code path's): only then is the configuration's reader
    /// loaded and kernel's logger configuration applied.
    fn configures(&self) -> bool {
        !self.starts.is_empty() || self.flags.iter().any(|(f, _)| f != "pa" && f != "pz")
    }
}

fn parse(args: &[String]) -> Result<Options, String> {
    let mut flags: Vec<(String, Vec<String>)> = Vec::new();
    let mut starts: Vec<(String, Vec<String>)> = Vec::new();
    let mut otp_root = None;
    let mut jit_stats = false;
    let mut jit = enigma_jit::DEFAULT_ON;
    let mut jit_threshold = DEFAULT_JIT_THRESHOLD;
    let mut jit_dump = enigma_jit::Dump::default();
    let mut gc_stats = false;
    let mut schedulers = enigma_interp::smp::default_schedulers();
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            // One value each, unlike erl's, so that the module can follow.
            flag @ ("-pa" | "-pz" | "-config") => {
                let v = args.get(i + 1).ok_or(format!("{flag} needs a value"))?;
                flags.push((flag[1..].to_owned(), vec![v.clone()]));
                i += 2;
            }
            "--otp-root" => {
                let d = args.get(i + 1).ok_or("--otp-root needs a directory")?;
                otp_root = Some(PathBuf::from(d));
                i += 2;
            }
            "--jit-stats" => {
                jit_stats = true;
                i += 1;
            }
            "--jit=on" => {
                jit = true;
                i += 1;
            }
            "--jit=off" => {
                jit = false;
                i += 1;
            }
            "--jit-threshold" => {
                let n = args.get(i + 1).ok_or("--jit-threshold needs a number")?;
                jit_threshold = n
                    .parse()
                    .ok()
                    .filter(|&n| n > 0)
                    .ok_or("--jit-threshold needs a positive number")?;
                i += 2;
            }
            s if s.starts_with("--jit-dump=") => {
                for what in s["--jit-dump=".len()..].split(',') {
                    match what {
                        "ir" => jit_dump.ir = true,
                        "asm" => jit_dump.asm = true,
                        _ => return Err(format!("--jit-dump: unknown {what}")),
                    }
                }
                i += 1;
            }
            "--jit-dump-file" => {
                let path = args.get(i + 1).ok_or("--jit-dump-file needs a file name")?;
                let file = std::fs::File::create(path)
                    .map_err(|e| format!("--jit-dump-file {path}: {e}"))?;
                jit_dump.to = Some(file);
                i += 2;
            }
            "--perf-map" => {
                // perf's convention for code it cannot otherwise name.
                let path = format!("/tmp/perf-{}.map", std::process::id());
                let file =
                    std::fs::File::create(&path).map_err(|e| format!("--perf-map {path}: {e}"))?;
                jit_dump.perf_map = Some(file);
                i += 1;
            }
            "--gc-stats" => {
                gc_stats = true;
                i += 1;
            }
            "+S" | "--schedulers" => {
                let n = args.get(i + 1).ok_or("+S needs a number")?;
                // `erl`'s `+S Schedulers:SchedulersOnline`: both are one here.
                let n = n.split(':').next().unwrap_or_default();
                schedulers = n
                    .parse()
                    .ok()
                    .filter(|n| (1..=1024).contains(n))
                    .ok_or("+S needs a number from 1 to 1024")?;
                i += 2;
            }
            "+pc" => {
                let unicode = match args.get(i + 1).map(String::as_str) {
                    Some("unicode") => true,
                    Some("latin1") => false,
                    _ => return Err("+pc needs unicode or latin1".into()),
                };
                crate::bif::io::set_printable_range(unicode);
                i += 2;
            }
            "--gc-stress" => {
                enigma_vm::gc::set_stress(true);
                i += 1;
            }
            "--" => {
                i += 1;
                break;
            }
            "-extra" => break,
            s if s.starts_with("--") => return Err(format!("unknown option {s}")),
            s if s.starts_with('-') && s.len() > 1 => {
                let values: Vec<String> = args[i + 1..]
                    .iter()
                    .take_while(|a| !a.starts_with('-') && !a.starts_with('+'))
                    .cloned()
                    .collect();
                i += 1 + values.len();
                match &s[1..] {
                    "s" | "run" | "eval" => starts.push((s[1..].to_owned(), values)),
                    flag => flags.push((flag.to_owned(), values)),
                }
            }
            _ => break,
        }
    }
    // Without a module, `-extra` may follow the flags at once.
    let target = args.get(i).filter(|a| *a != "-extra").cloned();
    if target.is_none() && starts.is_empty() {
        return Err("no module given (end -FLAG values with -- before the module)".into());
    }
    let mut rest = args
        .get(i + usize::from(target.is_some())..)
        .unwrap_or(&[])
        .to_vec();
    let plain = match rest.iter().position(|a| a == "-extra") {
        Some(at) => {
            let plain = rest.split_off(at + 1);
            rest.pop();
            plain
        }
        None => Vec::new(),
    };
    let function = if rest.is_empty() {
        "main".into()
    } else {
        rest.remove(0)
    };
    Ok(Options {
        flags,
        plain,
        starts,
        jit,
        jit_threshold,
        jit_dump,
        jit_stats,
        gc_stats,
        schedulers,
        otp_root,
        target,
        function,
        args: rest,
    })
}

/// The installed OTP's root: `--otp-root`, `$ERL_ROOT`, the `ROOTDIR` of
/// the `erl` script on `PATH`, or `/usr/lib/erlang`.
fn otp_root(given: Option<PathBuf>) -> Option<PathBuf> {
    let has_lib = |p: &Path| p.join("lib").is_dir();
    if let Some(p) = given {
        return has_lib(&p).then_some(p);
    }
    if let Some(p) = std::env::var_os("ERL_ROOT").map(PathBuf::from) {
        if has_lib(&p) {
            return Some(p);
        }
    }
    let from_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join("erl"))
            .find(|p| p.is_file())
            .and_then(|erl| rootdir_of_script(&erl))
    });
    if let Some(p) = from_path.filter(|p| has_lib(p)) {
        return Some(p);
    }
    let default = PathBuf::from("/usr/lib/erlang");
    has_lib(&default).then_some(default)
}

/// The `ROOTDIR=` the `erl` script sets, or the directory above its
/// `bin/` once symlinks are resolved.
fn rootdir_of_script(erl: &Path) -> Option<PathBuf> {
    let text = std::fs::read_to_string(erl).ok()?;
    let set = text.lines().find_map(|l| {
        let v = l.trim().strip_prefix("ROOTDIR=")?;
        let v = v.trim_matches('"');
        (!v.contains('$')).then(|| PathBuf::from(v))
    });
    set.or_else(|| {
        let real = std::fs::canonicalize(erl).ok()?;
        Some(real.parent()?.parent()?.to_path_buf())
    })
}

/// `root/lib/*/ebin` (or the application directory when it has no
/// `ebin`) in the order of erl's code path.
fn otp_ebins(root: &Path) -> Vec<PathBuf> {
    let mut apps: Vec<PathBuf> = std::fs::read_dir(root.join("lib"))
        .map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    // kernel and stdlib first (the boot script's), the others as the code
    // server adds them: newest name first.
    let rank = |app: &Path| {
        let name = app.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let base = name.split('-').next().unwrap_or("");
        ["kernel", "stdlib"]
            .iter()
            .position(|a| *a == base)
            .unwrap_or(2)
    };
    apps.sort_by(|a, b| rank(a).cmp(&rank(b)).then_with(|| b.cmp(a)));
    apps.into_iter()
        .filter(|a| a.is_dir())
        .map(|a| {
            let ebin = a.join("ebin");
            if ebin.is_dir() {
                ebin
            } else {
                a
            }
        })
        .collect()
}

/// erl's code path: the current directory and OTP's, each `-pa`
/// directory of `flags` in turn put first, then each `-pz` one last,
/// moved from where it was if it was there already (so of two `-pa` flags
/// the second comes first, as on erl).
fn code_path(otp: Vec<PathBuf>, flags: &[(String, Vec<String>)]) -> Vec<PathBuf> {
    let dirs = |name: &'static str| {
        flags
            .iter()
            .filter(move |(f, _)| f == name)
            .filter_map(|(_, v)| v.first().map(PathBuf::from))
    };
    let mut path = vec![PathBuf::from(".")];
    path.extend(otp);
    for d in dirs("pa") {
        path.retain(|p| *p != d);
        path.insert(0, d);
    }
    for d in dirs("pz") {
        path.retain(|p| *p != d);
        path.push(d);
    }
    path
}

/// Where compiled `FILE.erl`s are cached.
fn cache_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("XDG_CACHE_HOME") {
        return PathBuf::from(d).join("enigma");
    }
    if let Some(h) = std::env::var_os("HOME") {
        return PathBuf::from(h).join(".cache").join("enigma");
    }
    std::env::temp_dir().join("enigma-cache")
}

/// Compiles `file` with `erlc` into a directory named by its content's
/// MD5 (reused when present); returns the directory and module name.
fn compile(file: &Path) -> Result<(PathBuf, String), String> {
    let src = std::fs::read(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let module = file
        .file_stem()
        .and_then(|s| s.to_str())
        .ok_or_else(|| format!("{}: bad file name", file.display()))?
        .to_string();
    let digest: String = Md5::digest(&src)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let dir = cache_dir().join(format!("{module}-{digest}"));
    if dir.join(format!("{module}.beam")).is_file() {
        return Ok((dir, module));
    }
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let status = Command::new("erlc")
        .arg("-o")
        .arg(&dir)
        .arg(file)
        .status()
        .map_err(|e| format!("cannot run erlc: {e}"))?;
    if !status.success() {
        return Err(format!("erlc failed on {}", file.display()));
    }
    Ok((dir, module))
}

/// Runs `enigma run ARGS`; returns the exit status.
pub fn main(args: &[String]) -> i32 {
    let mut opts = match parse(args) {
        Ok(o) => o,
        Err(e) => {
            eprint!("enigma run: {e}\n{USAGE}");
            return 2;
        }
    };
    let mut compiled = None;
    if let Some(file) = opts.target.as_ref().filter(|t| t.ends_with(".erl")) {
        match compile(Path::new(file)) {
            Ok((dir, module)) => {
                compiled = Some(dir);
                opts.target = Some(module);
            }
            Err(e) => {
                eprintln!("enigma run: {e}");
                return 1;
            }
        }
    }
    // As on BEAM, the module's name and then the atoms of `erl -eval`'s
    // evaluation come right after the booted system's atoms.
    if enigma_vm::atom::begin_program(opts.target.as_deref()).is_err() {
        eprintln!("enigma run: bad module name");
        return 2;
    }
    let Some(root) = otp_root(opts.otp_root.clone()) else {
        eprintln!(
            "enigma run: no Erlang/OTP installation found (tried --otp-root, $ERL_ROOT, \
             erl on PATH, /usr/lib/erlang); install OTP 25 or pass --otp-root DIR"
        );
        return 1;
    };
    let mut path = code_path(otp_ebins(&root), &opts.flags);
    if let Some(dir) = compiled {
        path.insert(0, dir);
    }
    code::set_path(path);
    crate::bif::init::set_arguments(&root, &opts.flags, &opts.plain);
    crate::bif::code::set_root(root);
    if let Err(e) = enigma_interp::init() {
        eprintln!("enigma run: {e}");
        return 1;
    }
    if opts.configures() {
        if let Err(e) = enigma_interp::load_config_reader() {
            eprintln!("enigma run: {e}");
            return 1;
        }
    }
    enigma_interp::set_owner_exit(crate::bif::ets::owner_exit);
    crate::bif::erlang::trace_pattern::install();
    enigma_interp::trace::set_monotonic_clock(|| crate::bif::erlang::time::monotonic_ns() as i64);
    enigma_interp::port::set_iodata(crate::bif::helpers::iodata_bytes);
    if let Err(e) = crate::bif::install_all() {
        eprintln!("enigma run: {e}");
        return 1;
    }
    if opts.jit {
        enigma_jit::install(opts.jit_threshold, std::mem::take(&mut opts.jit_dump));
    } else if !opts.jit_stats {
        // No one reads the anchors' counts: the loop without them.
        enigma_interp::seam::set_profiling(false);
    }
    run_main(&opts)
}

fn run_main(opts: &Options) -> i32 {
    let (Ok(boot), Ok(kernel), Ok(server)) = (
        Atom::intern("enigma_boot"),
        Atom::intern("enigma_kernel"),
        Atom::intern("io_server"),
    ) else {
        eprintln!("enigma run: bad module or function name");
        return 2;
    };
    let io = sched::spawn(
        Start::Export(Export::get_or_create(boot, server, 0)),
        &[],
        SpawnOpts::default(),
    );
    if let Ok(user) = Atom::intern("user") {
        // Fresh processes and names: this cannot fail.
        let _ = sched::register(user, io);
    }
    spawn_registered(boot, "standard_error", "error_server", io, Priority::Normal);
    let mut scratch = Heap::new();
    let Some((m, f, args)) = main_call(opts, &mut scratch) else {
        eprintln!("enigma run: bad module or function name");
        return 2;
    };
    // As the process `erl -eval` runs an expression in, the main process
    // traps exits.
    let main_opts = SpawnOpts {
        group_leader: Some(io),
        trap_exit: true,
        ..SpawnOpts::default()
    };
    enigma_vm::atom::program_starts();
    // As BEAM's `-eval` of `M:F()`, no export entry is made before `M`
    // loads (`Start::Apply`).
    let main = sched::spawn(Start::Apply(m, f, args.len() as u32), &args, main_opts);
    // Spawned after the main process, which keeps its pid (<0.2.0>).
    spawn_registered(boot, "code_server", "code_server", io, Priority::Normal);
    // `timer`'s server is started under it (docs/RUNTIME.md, "ETS").
    spawn_registered(kernel, "kernel_sup", "kernel_sup", io, Priority::Normal);
    spawn_registered(kernel, "file_server_2", "file_server", io, Priority::Normal);
    // Their tables must exist before any program reads them: they run
    // first.
    let logger = spawn_registered(kernel, "logger", "logger_server", io, Priority::Max);
    enigma_interp::hold_for(logger, main);
    spawn_registered(
        kernel,
        "global_name_server",
        "global_name_server",
        io,
        Priority::Max,
    );
    // The program's process waits until the logger and the controller have
    // filled their tables (the controller from the configuration, or it
    // ends the run on an error in it).
    let controller = spawn_registered(
        kernel,
        "application_controller",
        "application_controller",
        io,
        Priority::Max,
    );
    enigma_interp::hold_for(controller, main);
    // Kernel's logger configuration, applied once the controller answers
    // (`boot/enigma_config.erl`), before the program runs.
    if opts.configures() {
        if let Ok(config) = Atom::intern("enigma_config") {
            let configurer = spawn_boot(config, "configure_logger", io, Priority::Normal);
            enigma_interp::hold_for(configurer, main);
        }
    }
    // After the controller, which it links to.
    spawn_registered(kernel, "init", "init", io, Priority::Max);
    // `dets`, `disk_log` and `inet_gethost_native` start their servers
    // under it; logger handlers added at run time under `logger_sup`.
    for sup in ["kernel_safe_sup", "logger_sup", "logger_handler_watcher"] {
        spawn_registered(kernel, sup, sup, io, Priority::Normal);
    }
    let mut regs = Registers::default();
    let out = enigma_interp::smp::run_until(main, &mut regs, opts.schedulers);
    let _ = std::io::stdout().flush();
    if opts.jit_stats {
        print_stats();
    }
    if opts.gc_stats {
        print_gc_stats();
    }
    match out {
        Outcome::Returned(_) => 0,
        Outcome::Halt(n) => n,
        Outcome::Raised(e, trace) => {
            // As BEAM's init reports it (with erlang:display/1's format),
            // but on standard error.
            let show = |t: Term| String::from_utf8_lossy(&display_bytes(t)).into_owned();
            let reason = match e.class {
                Class::Error => format!("{{{},{}}}", show(e.reason), show(trace)),
                Class::Throw => format!("{{{{nocatch,{}}},{}}}", show(e.reason), show(trace)),
                Class::Exit => show(e.reason),
            };
            eprintln!("{{\"init terminating in do_boot\",{reason}}}");
            1
        }
        Outcome::Yielded { .. } | Outcome::Waiting { .. } => 1,
    }
}

/// What the program's process applies: the module's function, with the
/// arguments as one list of strings if there are any (`erl -run`'s
/// form), or, with start commands, `enigma_config:start/1` given them
/// and the module's function as a last `-run`. `None` for a name that
/// cannot be an atom.
fn main_call(opts: &Options, scratch: &mut Heap) -> Option<(Atom, Atom, Vec<Term>)> {
    let strings = |scratch: &mut Heap, values: &[String]| {
        let values: Vec<Term> = values.iter().map(|v| scratch.string(v)).collect();
        scratch.list(&values)
    };
    if opts.starts.is_empty() {
        let m = Atom::intern(opts.target.as_deref()?).ok()?;
        let args = if opts.args.is_empty() {
            Vec::new()
        } else {
            vec![strings(scratch, &opts.args)]
        };
        return Some((m, Atom::intern(&opts.function).ok()?, args));
    }
    let mut commands = Vec::new();
    let module = opts.target.iter().map(|t| {
        let mut values = vec![t.clone(), opts.function.clone()];
        values.extend(opts.args.iter().cloned());
        ("run".to_owned(), values)
    });
    for (kind, values) in opts.starts.iter().cloned().chain(module) {
        let kind = Term::atom(Atom::intern(&kind).ok()?);
        let values = strings(scratch, &values);
        commands.push(scratch.tuple(&[kind, values]));
    }
    let commands = scratch.list(&commands);
    Some((
        Atom::intern("enigma_config").ok()?,
        Atom::intern("start").ok()?,
        vec![commands],
    ))
}

/// Spawns `module:f()` registered as `name` (a server of a boot module);
/// its pid (`NIL` if the atoms could not be made).
fn spawn_registered(module: Atom, name: &str, f: &str, user: Term, priority: Priority) -> Term {
    let Ok(name) = Atom::intern(name) else {
        return Term::NIL;
    };
    let pid = spawn_boot(module, f, user, priority);
    // A fresh process and a name not taken: this cannot fail.
    let _ = sched::register(name, pid);
    pid
}

/// Spawns `module:f()` with `user` as its group leader: what it starts
/// (`timer_server`, and the processes that runs for `timer:apply_after`)
/// inherits it, so their output reaches standard output as through
/// kernel's application master. Its pid (`NIL` if `f` is no atom).
fn spawn_boot(module: Atom, f: &str, user: Term, priority: Priority) -> Term {
    let Ok(f) = Atom::intern(f) else {
        return Term::NIL;
    };
    let opts = SpawnOpts {
        group_leader: Some(user),
        priority,
        ..SpawnOpts::default()
    };
    sched::spawn(
        Start::Export(Export::get_or_create(module, f, 0)),
        &[],
        opts,
    )
}

/// `--gc-stats`: minor and major collections, words copied into young
/// heaps and promoted into old ones, the largest heap a process had when it was
/// collected, and the OS process's peak resident memory, on standard error.
fn print_gc_stats() {
    let s = enigma_vm::gc::global_stats();
    let hwm_kb = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
            line.split_whitespace().nth(1)?.parse::<u64>().ok()
        })
        .unwrap_or(0);
    eprintln!(
        "gc: {} collections ({} minor, {} major), {} words copied, {} words promoted, largest process heap {} words, peak RSS {hwm_kb} kB",
        s.minor + s.major,
        s.minor,
        s.major,
        s.copied,
        s.promoted,
        s.peak_words
    );
}

/// `--jit-stats`: the JIT's report and the hottest anchors, on standard
/// error. (The counts are the arrivals the interpreter saw: iterations a
/// trace runs are not among them.)
fn print_stats() {
    for line in enigma_jit::report() {
        eprintln!("{line}");
    }
    eprintln!("hottest anchors (interpreter counts):");
    eprintln!("{:>12}  {:<5} anchor", "count", "kind");
    for (name, kind, count) in enigma_interp::counters::hottest(20) {
        let kind = match kind {
            enigma_interp::counters::Kind::Loop => "loop",
            enigma_interp::counters::Kind::Call => "call",
        };
        eprintln!("{count:>12}  {kind:<5} {name}");
    }
}

#[cfg(test)]
mod tests {
    use super::parse;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn erl_flags_before_the_module() {
        let o = parse(&args(
            "-pa d -config c -app k v -empty -- m f a1 a2 -extra p1 -p2",
        ))
        .expect("parses");
        let flags: Vec<(&str, Vec<&str>)> = o
            .flags
            .iter()
            .map(|(f, v)| (f.as_str(), v.iter().map(String::as_str).collect()))
            .collect();
        assert_eq!(
            flags,
            [
                ("pa", vec!["d"]),
                ("config", vec!["c"]),
                ("app", vec!["k", "v"]),
                ("empty", vec![]),
            ]
        );
        assert_eq!((o.target.as_deref(), o.function.as_str()), (Some("m"), "f"));
        assert_eq!(o.args, ["a1", "a2"]);
        assert_eq!(o.plain, ["p1", "-p2"]);
    }

    #[test]
    fn code_path_as_erl_builds_it() {
        let p = |s: &str| std::path::PathBuf::from(s);
        let flag = |f: &str, d: &str| (f.to_owned(), vec![d.to_owned()]);
        let flags = [
            flag("pz", "a"),
            flag("pa", "a"),
            flag("pa", "b"),
            flag("config", "c"),
            flag("pa", "."),
            flag("pz", "a"),
        ];
        let path = super::code_path(vec![p("k"), p("s")], &flags);
        assert_eq!(path, [p("."), p("b"), p("k"), p("s"), p("a")]);
    }

    #[test]
    fn module_alone_and_missing() {
        let o = parse(&args("-pa d m -extra")).expect("parses");
        assert_eq!(
            (o.target.as_deref(), o.function.as_str()),
            (Some("m"), "main")
        );
        assert!(o.args.is_empty() && o.plain.is_empty());
        // A flag's values run to the next flag: the module needs `--`.
        let e = parse(&args("-app k v m")).err().expect("no module");
        assert!(e.contains("--"), "{e}");
        assert!(parse(&args("--bogus m")).is_err());
    }

    #[test]
    fn start_commands_in_order_without_a_module() {
        let o = parse(&args("-s m f a -app k v -eval e -run m2 -extra p")).expect("parses");
        let starts: Vec<(&str, Vec<&str>)> = o
            .starts
            .iter()
            .map(|(f, v)| (f.as_str(), v.iter().map(String::as_str).collect()))
            .collect();
        assert_eq!(
            starts,
            [
                ("s", vec!["m", "f", "a"]),
                ("eval", vec!["e"]),
                ("run", vec!["m2"]),
            ]
        );
        assert_eq!(
            o.flags,
            [("app".to_owned(), vec!["k".to_owned(), "v".to_owned()])]
        );
        assert_eq!(o.target, None);
        assert_eq!(o.plain, ["p"]);
        let o = parse(&args("-eval e -- m -extra p")).expect("parses");
        assert_eq!(
            (o.target.as_deref(), o.plain.as_slice()),
            (Some("m"), &["p".to_owned()][..])
        );
    }
}
