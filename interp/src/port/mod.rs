//! Ports to external programs (`open_port({spawn, Cmd} |
//! {spawn_executable, File}, Opts)`), as BEAM's spawn driver runs them.
//!
//! A port is an entry of the scheduler's table ([`Sched::ports`], under
//! the same lock as processes, so its links, monitors and messages keep
//! their order with theirs). Its program runs as a child process: a
//! writer thread per port feeds the child's standard input from a channel
//! (a slow reader never blocks a scheduler), and a reader thread turns
//! its standard output into `{Port, {data, D}}` messages to the connected
//! process, then reports `eof` and `{exit_status, N}` and closes the port
//! (`child.rs`). Closing a port (`port_close/1`, `{Pid, close}`, an exit
//! signal from its connected process or a linked one with a reason other
//! than `normal`, the program's end) sends its links exit signals and its
//! monitors `'DOWN'` messages, as a process ending does.
//!
//! A port may instead be a driver's (`open_port({spawn_driver, Name},
//! _)`): stand-ins for BEAM's `udp_inet`, which answers `port_control/3`
//! (`inet.rs`) and carries no data, and `tcp_inet`, a TCP socket served
//! by a thread of its own (`tcp.rs`, `tcp_io.rs`).

mod child;
#[allow(unsafe_code)]
pub mod esock;
#[allow(unsafe_code)]
mod fds;
mod frame;
mod inet;
#[allow(unsafe_code)]
mod netif;
pub mod packet;
#[allow(unsafe_code)]
mod sock;
mod sockopts;
#[allow(unsafe_code)]
mod tcp;
mod tcp_busy;
mod tcp_io;
mod tcp_packet;
pub(crate) mod trace_file;
mod udp_io;
mod waiting;

use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::Sender;
use std::sync::Arc;

use ahash::AHashMap;
use enigma_vm::atom::Atom;
use enigma_vm::few::Few;
use enigma_vm::process::Message;
use enigma_vm::term::{Heap, Term};

use crate::sched::{self, atom, pid_number, Sched};
use crate::signals::Via;

pub use frame::Framing;

/// What to run.
pub enum Program {
    /// `{spawn, Command}`: a command line run by `/bin/sh -c`.
    Shell(String),
    /// `{spawn_executable, File}`: a file run with `{args, _}`.
    Executable(OsString),
}

/// The options of `open_port/2` that shape the child and its data.
pub struct PortOpts {
    pub framing: Framing,
    /// Data as binaries (`binary`) rather than byte lists.
    pub binary: bool,
    /// `eof`: report the end of the output and stay open.
    pub eof: bool,
    /// `exit_status`: report the program's exit status.
    pub exit_status: bool,
    /// `in` / `out`: which of the child's standard streams are connected.
    pub input: bool,
    pub output: bool,
    pub stderr_to_stdout: bool,
    /// `nouse_stdio`: the program uses descriptors 3 and 4.
    pub nouse_stdio: bool,
    /// `{args, _}` and `{arg0, _}` (`spawn_executable` only).
    pub args: Vec<OsString>,
    pub arg0: Option<OsString>,
    pub cd: Option<PathBuf>,
    /// `{env, _}`: a variable set, or unset (`false`).
    pub env: Vec<(OsString, Option<OsString>)>,
}

/// A live port.
pub(crate) struct Port {
    /// The program's name as `port_info(P, name)` reports it.
    name: String,
    /// The connected process: where its messages go.
    owner: Term,
    /// Linked processes.
    links: Few<Term>,
    /// Keys of the monitors watching it.
    monitors: Few<u64>,
    input: u64,
    output: u64,
    /// The program's OS process (`None` for a driver's port).
    os_pid: Option<u32>,
    /// A driver's state, which answers `port_control`; kept out of the
    /// table's lock while it works.
    driver: Option<Driver>,
    /// What `port_set_data/2` stored.
    data: Option<Message>,
    /// Bytes to the child's standard input; dropped when the port closes,
    /// which closes the child's input once what is queued is written.
    writer: Option<Sender<Vec<u8>>>,
    framing: Framing,
    /// Whether the port still counts as a source of messages
    /// (`sched::external_source`): until its reader is done or it closes.
    source: Arc<AtomicBool>,
    /// The name it is registered under (`register/2`).
    pub(crate) registered: Option<Atom>,
}

/// A driver's state.
#[derive(Clone)]
enum Driver {
    Udp(Arc<udp_io::UdpPort>),
    Tcp(Arc<tcp::Tcp>),
}

/// The port table: live ports by number.
pub(crate) type Ports = AHashMap<u64, Port>;

/// BEAM's boot opens ports 0 to 4 (`erl -noshell`), so the first port a
/// program opens prints as `#Port<0.5>` on both.
static NEXT_PORT: AtomicU64 = AtomicU64::new(5);

/// Stops counting a port as a message source, once.
fn source_done(source: &AtomicBool) {
    if source.swap(false, Ordering::SeqCst) {
        sched::external_source(false);
    }
}

/// Why `open_port` failed: an errno's name (`enoent`, `eacces`, ...).
pub struct OpenError(pub &'static str);

/// Opens a port connected to (and linked with) `owner`.
///
/// # Errors
///
/// The program could not be started (`enoent` for a missing executable).
pub fn open(
    owner: Term,
    program: Program,
    name: String,
    opts: PortOpts,
) -> Result<Term, OpenError> {
    if matches!(program, Program::Shell(_)) && name.starts_with(trace_file::DRIVER) {
        return trace_file::open(owner, &name).ok_or(OpenError("enoent"));
    }
    // BEAM makes the port before it starts the program: a program that
    // cannot start uses up a port number too.
    let number = NEXT_PORT.fetch_add(1, Ordering::Relaxed);
    let spawned = child::spawn(&program, &opts)?;
    let port = Term::port(number);
    let source = Arc::new(AtomicBool::new(true));
    sched::external_source(true);
    sched::with(|s| {
        s.ports.insert(
            number,
            Port {
                name,
                owner,
                links: vec![owner].into(),
                monitors: Few::default(),
                input: 0,
                output: 0,
                os_pid: Some(spawned.os_pid),
                driver: None,
                data: None,
                writer: spawned.writer,
                framing: opts.framing,
                source: source.clone(),
                registered: None,
            },
        );
        if let Some(m) = pid_number(owner).and_then(|n| s.meta.get_mut(&n)) {
            m.links.push(port);
        }
    });
    child::start_reader(number, spawned.reader, opts, source);
    Ok(port)
}

/// Opens a port to driver `name` connected to (and linked with) `owner`:
/// `udp_inet` or `tcp_inet`, BEAM's socket drivers, as far as their
/// stand-ins go; `None` for another driver.
pub fn open_driver(owner: Term, name: &str) -> Option<Term> {
    let number = NEXT_PORT.fetch_add(1, Ordering::Relaxed);
    let driver = match name {
        "udp_inet" => Driver::Udp(Arc::new(udp_io::UdpPort::new(number).ok()?)),
        "tcp_inet" => Driver::Tcp(Arc::new(tcp::Tcp::new(number).ok()?)),
        _ => return None,
    };
    sched::with(|s| add_driver_port(s, number, name, owner, driver.clone()));
    if let Driver::Tcp(t) = driver {
        if !tcp_io::start(t) {
            sched::with(|s| {
                s.port_terminate(number, Term::atom(Atom::NORMAL));
                s.flush_signals();
            });
            return None;
        }
    }
    Some(Term::port(number))
}

/// Enters driver port `number` in the table, connected to and linked
/// with `owner`.
fn add_driver_port(s: &mut Sched, number: u64, name: &str, owner: Term, driver: Driver) {
    add_port(s, number, name, owner, Some(driver));
}

/// Enters port `number`, of `driver` (`None`: one with no program and no
/// driver state, as a trace port), in the table, connected to and linked
/// with `owner`.
fn add_port(s: &mut Sched, number: u64, name: &str, owner: Term, driver: Option<Driver>) {
    let port = Term::port(number);
    s.ports.insert(
        number,
        Port {
            name: name.to_string(),
            owner,
            links: vec![owner].into(),
            monitors: Few::default(),
            input: 0,
            output: 0,
            os_pid: None,
            driver,
            data: None,
            writer: None,
            framing: Framing::Stream,
            source: Arc::new(AtomicBool::new(false)),
            registered: None,
        },
    );
    if let Some(m) = pid_number(owner).and_then(|n| s.meta.get_mut(&n)) {
        m.links.push(port);
    }
}

/// Opens the port of a connection a TCP port accepted, in state `st`,
/// connected to (and linked with) `owner`; its number, `None` if `owner`
/// is no longer alive.
fn open_tcp(owner: Term, st: tcp::State) -> Option<u64> {
    let number = NEXT_PORT.fetch_add(1, Ordering::Relaxed);
    let t = Arc::new(tcp::Tcp::with_state(number, st).ok()?);
    let added = sched::with(|s| {
        let alive = pid_number(owner).is_some_and(|n| s.alive(n));
        if alive {
            add_driver_port(s, number, "tcp_inet", owner, Driver::Tcp(t.clone()));
        }
        alive
    });
    if !added {
        return None;
    }
    if !tcp_io::start(t) {
        sched::with(|s| {
            s.port_terminate(number, Term::atom(Atom::NORMAL));
            s.flush_signals();
        });
        return None;
    }
    Some(number)
}

/// `port_control/3` from `caller`: the driver's answer to request `op`
/// with `data`.
///
/// # Errors
///
/// The port is closed, or its driver takes no control requests (BEAM's
/// spawn driver).
pub fn control(caller: Term, port: Term, op: u64, data: &[u8]) -> Result<Vec<u8>, PortError> {
    let n = port.as_local_port().ok_or(PortError::Closed)?;
    let driver = sched::with(|s| s.ports.get(&n).and_then(|p| p.driver.clone()));
    match driver.ok_or(PortError::Closed)? {
        Driver::Udp(u) => Ok(u.control(caller, op, data)),
        Driver::Tcp(t) => Ok(t.control(caller, op, data)),
    }
}

/// `port_get_data/1`: what `port_set_data/2` stored (`None`: nothing),
/// copied onto `heap`.
///
/// # Errors
///
/// The port is closed.
pub fn get_data(port: Term, heap: &mut Heap) -> Result<Option<Term>, PortError> {
    let n = port.as_local_port().ok_or(PortError::Closed)?;
    sched::with(|s| {
        let p = s.ports.get(&n).ok_or(PortError::Closed)?;
        Ok(p.data
            .as_ref()
            .map(|m| enigma_vm::term::copy::copy_onto(m.term, heap).unwrap_or(m.term)))
    })
}

/// `port_set_data/2`.
///
/// # Errors
///
/// The port is closed.
pub fn set_data(port: Term, data: Message) -> Result<(), PortError> {
    let n = port.as_local_port().ok_or(PortError::Closed)?;
    sched::with(|s| {
        let p = s.ports.get_mut(&n).ok_or(PortError::Closed)?;
        p.data = Some(data);
        Ok(())
    })
}

/// Delivers `{Port, Body}` for each of `bodies` to port `number`'s
/// connected process, counting `input` bytes read; false if the port is
/// closed (nothing is delivered).
fn emit(number: u64, input: usize, bodies: Vec<child::Body>, binary: bool) -> bool {
    sched::with(|s| {
        let Some(p) = s.ports.get_mut(&number) else {
            return false;
        };
        p.input += input as u64;
        let owner = pid_number(p.owner);
        for b in bodies {
            let mut h = Heap::new();
            let body = b.term(&mut h, binary);
            let msg = h.tuple(&[Term::port(number), body]);
            if let (Some(n), Ok(m)) = (owner, Message::copy(msg)) {
                s.deliver_to(n, m);
            }
        }
        true
    })
}

/// Closes port `number` as its program's end closes it (reason `normal`).
fn close_at_end(number: u64) {
    sched::with(|s| {
        s.port_terminate(number, Term::atom(Atom::NORMAL));
        s.flush_signals();
    });
}

/// Why a port operation failed, as `erts_internal`'s port BIFs answer.
pub enum PortError {
    /// Not an open port: `badarg`.
    Closed,
}

/// `port_command/3`'s options.
#[derive(Clone, Copy, Default)]
pub struct CommandFlags {
    /// `force`: taken even if the port is busy.
    pub force: bool,
    /// `nosuspend`: `false` rather than waiting while the port is busy.
    pub nosuspend: bool,
}

/// What became of a command.
pub enum Sent {
    /// Taken: `true`.
    Done,
    /// The port is busy and `nosuspend` was given: `false`.
    Busy,
    /// The port is busy: the command is taken when it no longer is, and
    /// `{Ref, true}` sent then; the BIF answers `Ref` (these ids).
    Later([u32; 3]),
    /// `force` on a port whose driver cannot take data past its busy
    /// state (BEAM's spawn driver): `notsup`.
    NotSup,
}

/// `port_command/2,3` from `caller`: queues `data` for the program's
/// standard input, or sends it on a socket (answered `{inet_reply,
/// Port, Status}`; a busy TCP socket keeps it: `tcp_busy.rs`).
///
/// # Errors
///
/// The port is closed.
pub fn command(
    caller: Term,
    port: Term,
    data: &[u8],
    flags: CommandFlags,
) -> Result<Sent, PortError> {
    let n = port.as_local_port().ok_or(PortError::Closed)?;
    let socket = sched::with(|s| match s.ports.get(&n).map(|p| &p.driver) {
        Some(Some(d)) => Ok(Some(d.clone())),
        Some(None) if flags.force => Ok(None),
        Some(None) => s.port_command(n, data).map(|()| None),
        None => Err(PortError::Closed),
    })?;
    Ok(match socket {
        Some(Driver::Tcp(t)) => t.send(caller, data, flags),
        Some(Driver::Udp(u)) => {
            u.send(caller, data);
            Sent::Done
        }
        None if flags.force => Sent::NotSup,
        None => Sent::Done,
    })
}

/// `port_close/1`.
///
/// # Errors
///
/// The port is closed.
pub fn close(port: Term) -> Result<(), PortError> {
    let n = port.as_local_port().ok_or(PortError::Closed)?;
    let driver = sched::with(|s| {
        let driver = s.ports.get(&n).and_then(|p| p.driver.clone());
        if !s.port_terminate(n, Term::atom(Atom::NORMAL)) {
            return Err(PortError::Closed);
        }
        s.flush_signals();
        Ok(driver)
    })?;
    // As BEAM's, a socket closed with `port_close` is closed when it
    // returns (a port can take no driver lock while its table is locked).
    match driver {
        Some(Driver::Tcp(t)) => t.close_now(),
        Some(Driver::Udp(u)) => u.close_now(),
        None => {}
    }
    Ok(())
}

/// `port_connect/2`: `pid` becomes the connected process, and is linked.
///
/// # Errors
///
/// The port is closed, or `pid` is not alive.
pub fn connect(port: Term, pid: Term) -> Result<(), PortError> {
    let n = port.as_local_port().ok_or(PortError::Closed)?;
    sched::with(|s| {
        let alive = pid_number(pid).is_some_and(|x| s.alive(x));
        if !alive || !s.ports.contains_key(&n) {
            return Err(PortError::Closed);
        }
        s.link(pid, port);
        if let Some(p) = s.ports.get_mut(&n) {
            p.owner = pid;
        }
        Ok(())
    })
}

/// What `port_info/1,2` reports of a port (`None`: it is closed).
pub struct Info {
    pub name: String,
    /// The name it is registered under.
    pub registered: Option<Atom>,
    pub owner: Term,
    pub links: Vec<Term>,
    pub monitored_by: Vec<Term>,
    pub input: u64,
    pub output: u64,
    /// `None` for a driver's port.
    pub os_pid: Option<u32>,
}

/// The port registered as `t` if `t` is such a name, else `t` itself:
/// the port BIFs take a port or its registered name.
pub fn resolve(t: Term) -> Term {
    match t.as_atom() {
        Some(name) => match sched::whereis(name) {
            Some(port) if port.as_local_port().is_some() => port,
            _ => t,
        },
        None => t,
    }
}

/// The state of `port`, if it is open.
pub fn info(port: Term) -> Option<Info> {
    let n = port.as_local_port()?;
    sched::with(|s| {
        let p = s.ports.get(&n)?;
        Some(Info {
            name: p.name.clone(),
            registered: p.registered,
            owner: p.owner,
            links: p.links.to_vec(),
            monitored_by: p
                .monitors
                .iter()
                .filter_map(|k| s.monitors.get(k).map(|m| m.watcher))
                .collect(),
            input: p.input,
            output: p.output,
            os_pid: p.os_pid,
        })
    })
}

/// Every open port, oldest first (`erlang:ports/0`).
pub fn all() -> Vec<Term> {
    let mut v: Vec<u64> = sched::with(|s| s.ports.keys().copied().collect());
    v.sort_unstable();
    v.into_iter().map(Term::port).collect()
}

/// How a command's iodata is read (installed at start-up: the BIFs'
/// reader, `otp`'s `helpers::iodata_bytes`).
pub type IodataFn = fn(Term) -> Option<Vec<u8>>;

static IODATA: std::sync::OnceLock<IodataFn> = std::sync::OnceLock::new();

/// Installs the iodata reader (once, at start-up).
pub fn set_iodata(f: IodataFn) {
    let _ = IODATA.set(f);
}

/// `Port ! Msg` (see [`send`]) with the installed iodata reader.
pub(crate) fn send_message(port: Term, msg: Term) {
    let read = IODATA.get().copied();
    send(port, msg, |t| read.and_then(|f| f(t)));
}

/// `Port ! Msg`: `{Pid, {command, Data}}`, `{Pid, close}`
/// (answered `{Port, closed}`), `{Pid, {connect, NewPid}}` (answered
/// `{Port, connected}`), `Pid` being the connected process; anything
/// else is `badsig`.
/// `data` reads a command's iodata. A message to a closed port is dropped.
pub fn send(port: Term, msg: Term, data: impl Fn(Term) -> Option<Vec<u8>>) {
    let Some(n) = port.as_local_port() else {
        return;
    };
    let pair = msg.as_tuple().filter(|t| t.len() == 2);
    let sender = pair
        .and_then(|t| t.get(0))
        .filter(|p| p.as_local_pid().is_some());
    let what = pair.and_then(|t| t.get(1));
    let (Some(sender), Some(what)) = (sender, what) else {
        return badsig(n);
    };
    // Only the connected process's messages are taken.
    if sched::with(|s| s.ports.get(&n).map(|p| p.owner)) != Some(sender) {
        return badsig(n);
    }
    if what == atom("close") {
        sched::with(|s| {
            if s.port_terminate(n, Term::atom(Atom::NORMAL)) {
                s.flush_signals();
                reply(s, sender, port, atom("closed"));
            }
        });
        return;
    }
    let op = what.as_tuple().filter(|t| t.len() == 2);
    let (tag, arg) = match op.and_then(|t| Some((t.get(0)?, t.get(1)?))) {
        Some(x) => x,
        None => return badsig(n),
    };
    if tag == atom("command") {
        match data(arg) {
            Some(bytes) => {
                let _ = sched::with(|s| s.port_command(n, &bytes));
            }
            None => badsig(n),
        }
    } else if tag == atom("connect") && arg.as_local_pid().is_some() {
        sched::with(|s| {
            let Some(p) = s.ports.get_mut(&n) else {
                return;
            };
            p.owner = arg;
            reply(s, sender, port, atom("connected"));
        });
    } else {
        badsig(n);
    }
}

/// `{Port, What}` to `to`.
fn reply(s: &mut Sched, to: Term, port: Term, what: Term) {
    let mut h = Heap::with_capacity(3);
    let msg = h.tuple(&[port, what]);
    if let (Some(x), Ok(m)) = (pid_number(to), Message::copy(msg)) {
        s.deliver_to(x, m);
    }
}

/// A message the port does not take: as on BEAM, the port sends its
/// connected process an exit signal `badsig`, linked or not, which ends
/// it (and so, through their link, the port) unless it traps exits.
fn badsig(n: u64) {
    sched::with(|s| {
        if let Some(owner) = s.ports.get(&n).map(|p| p.owner) {
            s.queue_exit(owner, Term::port(n), atom("badsig"), Via::Exit2);
            s.flush_signals();
        }
    });
}

impl Sched {
    /// Queues `data` for port `n`'s program (framed by its packet mode).
    pub(crate) fn port_command(&mut self, n: u64, data: &[u8]) -> Result<(), PortError> {
        let p = self.ports.get_mut(&n).ok_or(PortError::Closed)?;
        // A socket's data does not go through the driver's stand-in.
        if p.driver.is_some() {
            return Err(PortError::Closed);
        }
        let framed = p.framing.frame_output(data).ok_or(PortError::Closed)?;
        p.output += data.len() as u64;
        if let Some(w) = &p.writer {
            // The writer is gone only once the child closed its input:
            // BEAM drops the data then too.
            let _ = w.send(framed);
        }
        Ok(())
    }

    /// Port `n` closes with `reason`: its links get exit signals and its
    /// monitors `'DOWN'` messages (queued: the caller flushes them). False
    /// if it was closed already.
    pub(crate) fn port_terminate(&mut self, n: u64, reason: Term) -> bool {
        let Some(p) = self.ports.remove(&n) else {
            return false;
        };
        trace_file::closed(n);
        if let Some(name) = p.registered {
            self.names.remove(&name);
        }
        source_done(&p.source);
        if let Some(d) = &p.driver {
            d.closed();
        }
        let port = Term::port(n);
        for l in p.links {
            if let Some(m) = pid_number(l).and_then(|x| self.meta.get_mut(&x)) {
                m.links.retain(|&x| x != port);
            }
            self.queue_exit(l, port, reason, Via::Link);
        }
        self.fire_monitors(p.monitors, reason);
        true
    }

    /// Port `n` closes itself as a driver's `driver_exit` closes it (what
    /// `inet_drv` does when an active socket with `exit_on_close` reaches
    /// its stream's end or a read error): a soft exit, which first unlinks
    /// the connected process, so only the other links get the exit signal
    /// and the monitors their `'DOWN'`. The owner learns of the close from
    /// the `tcp_closed` before it, and OTP's ssl, which traps exits and
    /// stops at `{'EXIT', Socket, normal}` from its socket, would lose the
    /// data it still holds for a passive reader (session 22).
    pub(crate) fn port_driver_exit(&mut self, n: u64, reason: Term) -> bool {
        if let Some(owner) = self.ports.get(&n).map(|p| p.owner) {
            self.port_unlink(owner, n);
        }
        self.port_terminate(n, reason)
    }

    /// An exit signal reaches port `n` and closes it, but for a link's
    /// `normal` from a process other than the connected one (`kill` from
    /// `exit/2` closes it as `killed`).
    pub(crate) fn port_exit_signal(&mut self, n: u64, from: Term, reason: Term, via: Via) {
        let Some(p) = self.ports.get_mut(&n) else {
            return;
        };
        if via == Via::Link {
            p.links.retain(|&l| l != from);
        }
        // A link's `normal` closes it only from the connected process;
        // `exit/2` closes it with any reason.
        if via == Via::Link && reason == Term::atom(Atom::NORMAL) && from != p.owner {
            return;
        }
        let why = if via == Via::Exit2 && reason == Term::atom(Atom::KILL) {
            Term::atom(Atom::KILLED)
        } else {
            reason
        };
        // `why` lives in the signal being acted on; what it causes copies it.
        self.port_terminate(n, why);
    }

    /// Links process `pid` with port `n`; false if the port is closed.
    pub(crate) fn port_link(&mut self, pid: Term, n: u64) -> bool {
        let Some(p) = self.ports.get_mut(&n) else {
            return false;
        };
        if !p.links.contains(&pid) {
            p.links.push(pid);
        }
        let port = Term::port(n);
        if let Some(m) = pid_number(pid).and_then(|x| self.meta.get_mut(&x)) {
            if !m.links.contains(&port) {
                m.links.push(port);
            }
        }
        true
    }

    /// Removes the link between process `pid` and port `n`.
    pub(crate) fn port_unlink(&mut self, pid: Term, n: u64) {
        if let Some(p) = self.ports.get_mut(&n) {
            p.links.retain(|&l| l != pid);
        }
        let port = Term::port(n);
        if let Some(m) = pid_number(pid).and_then(|x| self.meta.get_mut(&x)) {
            m.links.retain(|&l| l != port);
        }
    }

    /// Records monitor `key` on port `n`; false if the port is closed.
    pub(crate) fn port_watch(&mut self, n: u64, key: u64) -> bool {
        match self.ports.get_mut(&n) {
            Some(p) => {
                p.monitors.push(key);
                true
            }
            None => false,
        }
    }

    /// Forgets monitor `key` on port `n`.
    pub(crate) fn port_unwatch(&mut self, n: u64, key: u64) {
        if let Some(p) = self.ports.get_mut(&n) {
            p.monitors.retain(|&k| k != key);
        }
    }
}
