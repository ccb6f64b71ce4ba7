//! A port's program: started as a child process, its standard input fed
//! by a writer thread, its standard output read by a reader thread that
//! sends what it reads to the connected process.

use std::io::{ErrorKind, PipeReader, Read, Write};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::AtomicBool;
use std::sync::mpsc::{channel, Sender};
use std::sync::Arc;

use enigma_vm::term::{Heap, Term};

use super::frame::{Chunk, Deframer};
use super::{close_at_end, source_done, OpenError, PortOpts, Program};
use crate::sched::atom;

/// A started program: what the port keeps, and what its reader takes.
pub(super) struct Spawned {
    pub os_pid: u32,
    pub writer: Option<Sender<Vec<u8>>>,
    pub reader: Reader,
}

/// The reader thread's side of a program.
pub(super) struct Reader {
    child: Child,
    out: Option<PipeReader>,
}

/// The name of a (Linux) `errno` as BEAM reports it.
fn errno_name(e: &std::io::Error) -> &'static str {
    match e.raw_os_error() {
        Some(2) => "enoent",
        Some(13) => "eacces",
        Some(8) => "enoexec",
        Some(20) => "enotdir",
        Some(7) => "e2big",
        Some(12) => "enomem",
        Some(24) => "emfile",
        _ => "einval",
    }
}

/// The error `execve` would give for `path` (relative to `cd`, if any):
/// `enoent` for a missing file, `eacces` for one that is not an executable
/// file. Checked before spawning because a failed exec in the child is not
/// always reported back (under qemu-user, `posix_spawn`'s child shares no
/// memory with its parent); the child still reports what this misses.
fn check_executable(path: &std::ffi::OsStr, cd: Option<&std::path::Path>) -> Result<(), OpenError> {
    use std::os::unix::fs::PermissionsExt;
    let path = std::path::Path::new(path);
    let full = match cd {
        Some(dir) if path.is_relative() => dir.join(path),
        _ => path.to_path_buf(),
    };
    let meta = std::fs::metadata(&full).map_err(|e| OpenError(errno_name(&e)))?;
    if !meta.is_file() || meta.permissions().mode() & 0o111 == 0 {
        return Err(OpenError("eacces"));
    }
    Ok(())
}

/// Starts `program` as the options ask.
pub(super) fn spawn(program: &Program, opts: &PortOpts) -> Result<Spawned, OpenError> {
    let mut cmd = match program {
        Program::Shell(line) => {
            let mut c = Command::new("/bin/sh");
            c.arg("-c").arg(line);
            c
        }
        Program::Executable(file) => {
            // A name without a slash is a file here, not a `PATH` search.
            let path = if file.as_encoded_bytes().contains(&b'/') {
                file.clone()
            } else {
                let mut p = std::ffi::OsString::from("./");
                p.push(file);
                p
            };
            check_executable(&path, opts.cd.as_deref())?;
            let mut c = Command::new(path);
            c.arg0(opts.arg0.as_deref().unwrap_or(file));
            c.args(&opts.args);
            c
        }
    };
    if let Some(dir) = &opts.cd {
        cmd.current_dir(dir);
    }
    for (k, v) in &opts.env {
        match v {
            Some(v) => cmd.env(k, v),
            None => cmd.env_remove(k),
        };
    }
    let (child, out, input) = if opts.nouse_stdio {
        start_fds_3_4(cmd, opts)?
    } else {
        start_stdio(cmd, opts)?
    };
    Ok(Spawned {
        os_pid: child.id(),
        writer: input.and_then(start_writer),
        reader: Reader { child, out },
    })
}

/// The program's input as the writer thread takes it.
type Input = Box<dyn Write + Send>;

/// Starts `cmd` on pipes for standard input and output.
fn start_stdio(
    mut cmd: Command,
    opts: &PortOpts,
) -> Result<(Child, Option<PipeReader>, Option<Input>), OpenError> {
    let fail = |e: std::io::Error| OpenError(errno_name(&e));
    cmd.stdin(if opts.output {
        Stdio::piped()
    } else {
        Stdio::null()
    });
    let out = if opts.input {
        let (r, w) = std::io::pipe().map_err(fail)?;
        if opts.stderr_to_stdout {
            cmd.stderr(w.try_clone().map_err(fail)?);
        }
        cmd.stdout(w);
        Some(r)
    } else {
        cmd.stdout(Stdio::null());
        None
    };
    let mut child = cmd.spawn().map_err(fail)?;
    // The command holds the pipe's writing ends: dropped, the reader sees
    // the end of the output when the program (and its children) close it.
    drop(cmd);
    let input = child.stdin.take().map(|i| Box::new(i) as Input);
    Ok((child, out, input))
}

/// Starts `cmd` with pipes on its descriptors 3 (input) and 4 (output),
/// its standard input `/dev/null` (`nouse_stdio`).
fn start_fds_3_4(
    mut cmd: Command,
    opts: &PortOpts,
) -> Result<(Child, Option<PipeReader>, Option<Input>), OpenError> {
    let fail = |e: std::io::Error| OpenError(errno_name(&e));
    let (in_r, in_w) = std::io::pipe().map_err(fail)?;
    let (out_r, out_w) = std::io::pipe().map_err(fail)?;
    cmd.stdin(Stdio::null());
    super::fds::use_fds_3_4(&mut cmd, &in_r, &out_w);
    let child = cmd.spawn().map_err(fail)?;
    // The child has its copies: the parent's ends close, so the reader
    // sees the output's end and the program its input's.
    drop((in_r, out_w));
    let out = opts.input.then_some(out_r);
    let input = opts.output.then(|| Box::new(in_w) as Input);
    Ok((child, out, input))
}

/// The thread that writes what the port is sent to the program's input;
/// it closes that input when the port closes (the channel's end).
fn start_writer(mut stdin: Input) -> Option<Sender<Vec<u8>>> {
    let (tx, rx) = channel::<Vec<u8>>();
    let body = move || {
        for bytes in rx {
            if stdin.write_all(&bytes).is_err() {
                break;
            }
        }
    };
    std::thread::Builder::new()
        .name("port-writer".into())
        .spawn(body)
        .ok()
        .map(|_| tx)
}

/// What a reader delivers.
pub(super) enum Body {
    Data(Chunk),
    Eof,
    ExitStatus(i32),
}

impl Body {
    /// The term after `{Port, _`: `{data, D}`, `eof`, `{exit_status, N}`.
    pub(super) fn term(self, h: &mut Heap, binary: bool) -> Term {
        let data = |h: &mut Heap, b: &[u8]| {
            if binary {
                h.binary(b)
            } else {
                let bytes: Vec<Term> = b.iter().map(|&c| Term::small(i64::from(c))).collect();
                h.list(&bytes)
            }
        };
        match self {
            Body::Data(Chunk::Bytes(b)) => {
                let d = data(h, &b);
                h.tuple(&[atom("data"), d])
            }
            Body::Data(Chunk::Line { eol, bytes }) => {
                let d = data(h, &bytes);
                let tag = atom(if eol { "eol" } else { "noeol" });
                let line = h.tuple(&[tag, d]);
                h.tuple(&[atom("data"), line])
            }
            Body::Eof => atom("eof"),
            Body::ExitStatus(n) => h.tuple(&[atom("exit_status"), Term::small(i64::from(n))]),
        }
    }
}

/// Starts port `number`'s reader thread.
pub(super) fn start_reader(number: u64, reader: Reader, opts: PortOpts, source: Arc<AtomicBool>) {
    let src = source.clone();
    let body = move || read_loop(number, reader, &opts, &src);
    if std::thread::Builder::new()
        .name("port-reader".into())
        .spawn(body)
        .is_err()
    {
        source_done(&source);
        close_at_end(number);
    }
}

/// Reads the program's output until its end, then reports `eof` and the
/// exit status as asked, and closes the port unless `eof` keeps it open.
/// Stops delivering once the port is closed; reaps the child last.
fn read_loop(number: u64, mut r: Reader, opts: &PortOpts, source: &AtomicBool) {
    let deliver = |input: usize, bodies: Vec<Body>| super::emit(number, input, bodies, opts.binary);
    let mut open = true;
    if let Some(mut out) = r.out.take() {
        let mut deframer = Deframer::new(opts.framing);
        let mut buf = vec![0u8; 64 * 1024];
        while open {
            let n = match out.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(_) => break,
            };
            let mut chunks = Vec::new();
            deframer.push(&buf[..n], &mut chunks);
            open = deliver(n, chunks.into_iter().map(Body::Data).collect());
        }
        if open {
            let mut chunks = Vec::new();
            deframer.finish(&mut chunks);
            open = deliver(0, chunks.into_iter().map(Body::Data).collect());
        }
    }
    if open && opts.eof {
        open = deliver(0, vec![Body::Eof]);
    }
    if open && opts.exit_status {
        let status = match r.child.wait() {
            Ok(s) => s
                .code()
                .or_else(|| s.signal().map(|g| 128 + g))
                .unwrap_or(0),
            Err(_) => 0,
        };
        open = deliver(0, vec![Body::ExitStatus(status)]);
    }
    // The port's end is its last message: it stops counting as a source
    // only after it (closing it counts it out).
    if open && !opts.eof {
        close_at_end(number);
    }
    source_done(source);
    let _ = r.child.wait();
}
