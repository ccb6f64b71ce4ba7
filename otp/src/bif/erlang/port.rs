//! Ports to external programs and the `udp_inet` and `tcp_inet` drivers
//! (`enigma_interp::port`): the `erts_internal` BIFs OTP 25's `erlang.erl`
//! calls for `open_port/2`, `port_command/2,3`, `port_close/1`,
//! `port_connect/2`, `port_control/3` and `port_info/1,2`, and
//! `erlang:ports/0`, `port_get_data/1`, `port_set_data/2`. As BEAM's, the
//! `erts_internal` ones return an error atom (`badarg`, `badopt`,
//! `enoent`, ...) rather than raise it, and `erlang.erl` raises it with
//! its `error_info`.

use std::ffi::OsString;
use std::path::PathBuf;

use enigma_interp::port::{self, Framing, OpenError, PortError, PortOpts, Program};
use enigma_vm::atom::Atom;
use enigma_vm::bif::{BifEntry, BifFn};
use enigma_vm::exception::Exception;
use enigma_vm::process::{Message, Process};
use enigma_vm::term::{Heap, Kind, Term};

use crate::bif::arg::{arity, entry};
use crate::bif::helpers::{atom, binary_bytes, iodata_bytes, is_atom};

/// The port BIFs.
pub const TABLE: &[BifEntry] = &[
    e("open_port", 2, open_port_2),
    e("port_command", 3, port_command_3),
    e("port_close", 1, port_close_1),
    e("port_connect", 2, port_connect_2),
    e("port_info", 1, port_info_1),
    e("port_info", 2, port_info_2),
    e("port_control", 3, port_control_3),
    entry("erlang", "ports", 0, ports_0),
    entry("erlang", "port_get_data", 1, port_get_data_1),
    entry("erlang", "port_set_data", 2, port_set_data_2),
];

const fn e(name: &'static str, arity: u32, f: BifFn) -> BifEntry {
    entry("erts_internal", name, arity, f)
}

/// Text of a file name, command or argument: a character list, a binary
/// (UTF-8) or, where BEAM takes one, an atom.
fn text(t: Term) -> Option<String> {
    if let Some(a) = t.as_atom() {
        return Some(a.name().to_string());
    }
    if t.kind() == Kind::Binary {
        return String::from_utf8(binary_bytes(t)?).ok();
    }
    t.proper_list()?
        .iter()
        .map(|c| char::from_u32(u32::try_from(c.as_small()?).ok()?))
        .collect()
}

/// A failed parse: `badarg` or `badopt`.
type Bad = &'static str;

/// `open_port`'s settings (`badopt` for an unknown or malformed one);
/// `spawn_executable` says whether `args`/`arg0` are allowed.
fn settings(t: Term, spawn_executable: bool) -> Result<PortOpts, Bad> {
    let mut o = PortOpts {
        framing: Framing::Stream,
        binary: false,
        eof: false,
        exit_status: false,
        input: true,
        output: true,
        stderr_to_stdout: false,
        nouse_stdio: false,
        args: Vec::new(),
        arg0: None,
        cd: None,
        env: Vec::new(),
    };
    let (mut only_in, mut only_out) = (false, false);
    for opt in t.proper_list().ok_or("badopt")? {
        if let Some(a) = opt.as_atom() {
            match a.name() {
                "binary" => o.binary = true,
                "eof" => o.eof = true,
                "exit_status" => o.exit_status = true,
                "stderr_to_stdout" => o.stderr_to_stdout = true,
                "in" => only_in = true,
                "out" => only_out = true,
                "stream" => o.framing = Framing::Stream,
                "use_stdio" => o.nouse_stdio = false,
                "nouse_stdio" => o.nouse_stdio = true,
                "hide" | "overlapped_io" => {}
                _ => return Err("badopt"),
            }
            continue;
        }
        let pair = opt.as_tuple().filter(|t| t.len() == 2).ok_or("badopt")?;
        let (k, v) = (pair.get(0).ok_or("badopt")?, pair.get(1).ok_or("badopt")?);
        match k.as_atom().map(|a| a.name()).unwrap_or("") {
            "packet" => match v.as_small() {
                Some(n @ (1 | 2 | 4)) => o.framing = Framing::Packet(n as u8),
                _ => return Err("badopt"),
            },
            "line" => match v.as_small().and_then(|n| usize::try_from(n).ok()) {
                Some(n) if n > 0 => o.framing = Framing::Line(n),
                _ => return Err("badopt"),
            },
            "cd" => o.cd = Some(PathBuf::from(text(v).ok_or("badopt")?)),
            "env" => o.env = env(v).ok_or("badopt")?,
            "args" if spawn_executable => {
                let args = v.proper_list().ok_or("badopt")?;
                o.args = args
                    .iter()
                    .map(|&a| text(a).map(OsString::from))
                    .collect::<Option<_>>()
                    .ok_or("badopt")?;
            }
            "arg0" if spawn_executable => {
                o.arg0 = Some(OsString::from(text(v).ok_or("badopt")?));
            }
            "args" | "arg0" => return Err("badarg"),
            "parallelism" if v == Term::TRUE || v == Term::FALSE => {}
            "busy_limits_port" | "busy_limits_msgq" => {}
            _ => return Err("badopt"),
        }
    }
    // `in` alone reads only, `out` alone writes only.
    if only_in != only_out {
        o.input = only_in;
        o.output = only_out;
    }
    Ok(o)
}

/// `{env, [{Name, Value | false}]}`.
fn env(t: Term) -> Option<Vec<(OsString, Option<OsString>)>> {
    t.proper_list()?
        .iter()
        .map(|pair| {
            let p = pair.as_tuple().filter(|p| p.len() == 2)?;
            let name = OsString::from(text(p.get(0)?)?);
            let v = p.get(1)?;
            let value = if v == Term::FALSE {
                None
            } else {
                Some(OsString::from(text(v)?))
            };
            Some((name, value))
        })
        .collect()
}

/// `erts_internal:open_port(PortName, PortSettings)`: the port, or the
/// error `erlang:open_port/2` raises.
fn open_port_2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [name, opts] = arity(args)?;
    let bad = |why: &str| atom(why);
    let Some(spec) = name.as_tuple().filter(|t| t.len() == 2) else {
        return bad("badarg");
    };
    let (kind, what) = (spec.get(0), spec.get(1));
    let (Some(kind), Some(what)) = (kind, what) else {
        return bad("badarg");
    };
    if is_atom(kind, "spawn_driver") {
        // The drivers are the UDP and TCP sockets' (`prim_inet:open/3`);
        // an unknown one is `badarg`, as BEAM's.
        return match (text(what), settings(opts, false)) {
            (Some(name), Ok(_)) => match port::open_driver(p.pid, &name) {
                Some(port) => Ok(port),
                None => bad("badarg"),
            },
            (_, Err(why)) => bad(why),
            (None, _) => bad("badarg"),
        };
    }
    let executable = if is_atom(kind, "spawn_executable") {
        true
    } else if is_atom(kind, "spawn") {
        false
    } else {
        return bad("badarg");
    };
    let Some(cmd) = text(what).filter(|c| !c.is_empty() && !c.contains('\0')) else {
        return bad("badarg");
    };
    let settings = match settings(opts, executable) {
        Ok(s) => s,
        Err(why) => return bad(why),
    };
    let program = if executable {
        Program::Executable(OsString::from(&cmd))
    } else {
        // BEAM's `erl_child_setup` runs `sh -c "exec Command"`.
        Program::Shell(format!("exec {cmd}"))
    };
    match port::open(p.pid, program, cmd, settings) {
        Ok(port) => Ok(port),
        Err(OpenError(why)) => bad(why),
    }
}

/// `true`, or `badarg` for a closed port (or a name no port holds).
fn done(r: Result<(), PortError>) -> Result<Term, Exception> {
    match r {
        Ok(()) => Ok(Term::TRUE),
        Err(PortError::Closed) => atom("badarg"),
    }
}

/// `erts_internal:port_command(Port, Data, Flags)`.
fn port_command_3(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [port, data, flags] = arity(args)?;
    let known = |f: &Term| is_atom(*f, "force") || is_atom(*f, "nosuspend");
    let Some(flags) = flags.proper_list().filter(|l| l.iter().all(known)) else {
        return atom("badopt");
    };
    let flags = port::CommandFlags {
        force: flags.iter().any(|&f| is_atom(f, "force")),
        nosuspend: flags.iter().any(|&f| is_atom(f, "nosuspend")),
    };
    let Some(bytes) = iodata_bytes(data) else {
        return atom("badarg");
    };
    match port::command(p.pid, port::resolve(port), &bytes, flags) {
        Ok(port::Sent::Done) => Ok(Term::TRUE),
        Ok(port::Sent::Busy) => Ok(Term::FALSE),
        // A busy port: `erlang.erl` waits for `{Ref, Result}`.
        Ok(port::Sent::Later(ids)) => Ok(p.heap.local_ref(&ids)),
        Ok(port::Sent::NotSup) => atom("notsup"),
        Err(PortError::Closed) => atom("badarg"),
    }
}

/// `erts_internal:port_close(Port)`.
fn port_close_1(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [port] = arity(args)?;
    done(port::close(port::resolve(port)))
}

/// `erts_internal:port_connect(Port, Pid)`.
fn port_connect_2(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [port, pid] = arity(args)?;
    done(port::connect(port::resolve(port), pid))
}

/// A port argument of `port_info` (a port or its registered name): the
/// port and its state, `None` for a closed port or a name no port holds;
/// `Err` for anything else.
fn info_of(t: Term) -> Result<(Term, Option<port::Info>), ()> {
    let t = port::resolve(t);
    if t.as_atom().is_some() {
        return Ok((t, None));
    }
    if t.as_local_port().is_none() {
        return Err(());
    }
    Ok((t, port::info(t)))
}

/// The items of `port_info/1`, in BEAM's order (`registered_name` only
/// for a registered port).
const INFO_ITEMS: [&str; 8] = [
    "registered_name",
    "name",
    "links",
    "id",
    "connected",
    "input",
    "output",
    "os_pid",
];

/// `{Item, Value}` of a port (`None`: no such item).
fn item(h: &mut Heap, port: Term, i: &port::Info, name: &str) -> Result<Option<Term>, Exception> {
    let value = match name {
        "name" => h.string(&i.name),
        "links" => h.list(&i.links),
        "id" => Term::small(port.as_local_port().unwrap_or(0) as i64),
        "connected" => i.owner,
        "input" => Term::small(i.input as i64),
        "output" => Term::small(i.output as i64),
        "os_pid" => match i.os_pid {
            Some(n) => Term::small(i64::from(n)),
            None => Term::atom(Atom::UNDEFINED),
        },
        "monitors" => Term::NIL,
        "monitored_by" => h.list(&i.monitored_by),
        "registered_name" => match i.registered {
            Some(name) => Term::atom(name),
            None => return Ok(Some(Term::NIL)),
        },
        "locking" => atom("port_level")?,
        "parallelism" => Term::FALSE,
        "queue_size" | "memory" => Term::small(0),
        _ => return Ok(None),
    };
    Ok(Some(h.tuple(&[atom(name)?, value])))
}

/// `erts_internal:port_info(Port)`.
fn port_info_1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [port] = arity(args)?;
    let Ok((port, info)) = info_of(port) else {
        return atom("badarg");
    };
    let Some(i) = info else {
        return Ok(Term::atom(Atom::UNDEFINED));
    };
    let mut items = Vec::new();
    for name in INFO_ITEMS {
        if name == "registered_name" && i.registered.is_none() {
            continue;
        }
        items.extend(item(&mut p.heap, port, &i, name)?);
    }
    Ok(p.heap.list(&items))
}

/// `erts_internal:port_info(Port, Item)`.
fn port_info_2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [port, what] = arity(args)?;
    let Ok((port, info)) = info_of(port) else {
        return atom("badarg");
    };
    let Some(name) = what.as_atom().map(|a| a.name()) else {
        return atom("badarg");
    };
    let Some(i) = info else {
        // A known item of a closed port is `undefined`.
        let probe = port::Info {
            name: String::new(),
            registered: None,
            owner: Term::NIL,
            links: Vec::new(),
            monitored_by: Vec::new(),
            input: 0,
            output: 0,
            os_pid: None,
        };
        return match item(&mut p.heap, port, &probe, name)? {
            Some(_) => Ok(Term::atom(Atom::UNDEFINED)),
            None => atom("badarg"),
        };
    };
    match item(&mut p.heap, port, &i, name)? {
        Some(t) => Ok(t),
        None => atom("badarg"),
    }
}

/// `erts_internal:port_control(Port, Operation, Data)`: the driver's
/// answer as a byte list, or `badarg` (a closed port, a port whose driver
/// takes no requests, an operation that is no 32-bit unsigned integer,
/// data that is no iodata).
fn port_control_3(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [port, op, data] = arity(args)?;
    let op = op.as_small().and_then(|n| u32::try_from(n).ok());
    let (Some(op), Some(bytes)) = (op, iodata_bytes(data)) else {
        return atom("badarg");
    };
    let port = port::resolve(port);
    if port.as_local_port().is_none() {
        return atom("badarg");
    }
    match port::control(p.pid, port, u64::from(op), &bytes) {
        Ok(reply) => {
            let items: Vec<Term> = reply.iter().map(|&b| Term::small(i64::from(b))).collect();
            Ok(p.heap.list(&items))
        }
        Err(PortError::Closed) => atom("badarg"),
    }
}

/// A port argument of `port_get_data`/`port_set_data` (a port or its
/// registered name): `badarg` for anything else.
fn port_arg(t: Term) -> Result<Term, Exception> {
    let t = port::resolve(t);
    match t.as_local_port() {
        Some(_) => Ok(t),
        None => Err(Exception::badarg()),
    }
}

/// `erlang:port_get_data(Port)`: what was stored, else `undefined`.
fn port_get_data_1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [port] = arity(args)?;
    match port::get_data(port_arg(port)?, &mut p.heap) {
        Ok(Some(t)) => Ok(t),
        Ok(None) => Ok(Term::atom(Atom::UNDEFINED)),
        Err(PortError::Closed) => Err(Exception::badarg()),
    }
}

/// `erlang:port_set_data(Port, Data)`.
fn port_set_data_2(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [port, data] = arity(args)?;
    let data = Message::copy(data).map_err(|_| Exception::badarg())?;
    match port::set_data(port_arg(port)?, data) {
        Ok(()) => Ok(Term::TRUE),
        Err(PortError::Closed) => Err(Exception::badarg()),
    }
}

/// `erlang:ports()`: the open ports.
fn ports_0(p: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    Ok(p.heap.list(&port::all()))
}
