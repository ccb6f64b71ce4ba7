//! Distribution as a node that is not alive sees it (`nonode@nohost`, as
//! `erl -noshell` without `-sname`): `nodes/1,2`, `monitor_node/2,3`,
//! spawning on another node (`noconnection`), the
//! `dist_ctrl_*` BIFs (no distribution channel exists), and the port BIFs
//! no port answers (`port_call`: `badarg`, as BEAM's spawn driver and
//! `udp_inet`; the others are in `port.rs`).

use enigma_vm::atom::Atom;
use enigma_vm::bif::{BifEntry, BifFn};
use enigma_vm::exception::Exception;
use enigma_vm::process::{Message, Process};
use enigma_vm::term::map;
use enigma_vm::term::Term;

use crate::bif::arg::{arity, boolean, entry};
use crate::bif::helpers::{atom, is_atom};

/// The distribution and port BIFs.
pub const TABLE: &[BifEntry] = &[
    e("nodes", 1, nodes_1),
    e("nodes", 2, nodes_2),
    e("monitor_node", 2, monitor_node_2),
    e("monitor_node", 3, monitor_node_3),
    entry(
        "erts_internal",
        "dist_spawn_request",
        4,
        dist_spawn_request_4,
    ),
    e("port_call", 2, no_port),
    e("port_call", 3, no_port),
    e("dist_get_stat", 1, no_port),
    e("dist_ctrl_put_data", 2, no_port),
    e("dist_ctrl_get_data_notification", 1, notsup),
    e("dist_ctrl_get_opt", 2, notsup),
    e("dist_ctrl_set_opt", 3, notsup),
    e("dist_ctrl_input_handler", 2, notsup),
];

const fn e(name: &'static str, arity: u32, f: BifFn) -> BifEntry {
    entry("erlang", name, arity, f)
}

/// Whether node type `t` includes this node (`this`, `known`), or is one
/// of the others (`visible`, `hidden`, `connected`): `None` if it is no
/// node type.
fn includes_self(t: Term) -> Option<bool> {
    match t.as_atom()?.name() {
        "this" | "known" => Some(true),
        "visible" | "hidden" | "connected" => Some(false),
        _ => None,
    }
}

/// `nodes(Type | [Type])`: whether this node is in the answer.
fn node_arg(t: Term) -> Result<bool, Exception> {
    if t.as_atom().is_some() {
        return includes_self(t).ok_or_else(Exception::badarg);
    }
    let types = t.proper_list().ok_or_else(Exception::badarg)?;
    types.iter().try_fold(false, |acc, &t| {
        includes_self(t)
            .map(|s| acc | s)
            .ok_or_else(Exception::badarg)
    })
}

fn nodes_1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [t] = arity(args)?;
    Ok(if node_arg(t)? {
        p.heap.list(&[Term::atom(Atom::NONODE)])
    } else {
        Term::NIL
    })
}

/// `nodes(Type, #{connection_id => Bool, node_type => Bool})`:
/// `[{Node, Info}]`.
fn nodes_2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [t, opts] = arity(args)?;
    let this = node_arg(t)?;
    if !opts.is_map() {
        return Err(Exception::badarg());
    }
    let mut info = Vec::new();
    for (k, v) in map::sorted_entries(opts) {
        let on = boolean(v).ok_or_else(Exception::badarg)?;
        let value = if is_atom(k, "connection_id") {
            Term::atom(Atom::UNDEFINED)
        } else if is_atom(k, "node_type") {
            atom("this")?
        } else {
            return Err(Exception::badarg());
        };
        if on {
            info.push((k, value));
        }
    }
    if !this {
        return Ok(Term::NIL);
    }
    let info = p.heap.map_from_pairs(&info);
    let item = p.heap.tuple(&[Term::atom(Atom::NONODE), info]);
    Ok(p.heap.list(&[item]))
}

/// Monitoring this node succeeds (it never goes down while the VM runs);
/// any other node needs distribution: `notalive`.
fn monitor_node_2(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [node, flag] = arity(args)?;
    match node.as_atom() {
        None => Err(Exception::badarg()),
        Some(Atom::NONODE) if boolean(flag).is_some() => Ok(Term::TRUE),
        Some(Atom::NONODE) => Err(Exception::badarg()),
        Some(_) => Err(Exception::error(atom("notalive")?)),
    }
}

/// As `monitor_node/2`; the one option is `allow_passive_connect`.
fn monitor_node_3(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [node, flag, opts] = arity(args)?;
    let opts = opts
        .proper_list()
        .ok_or_else(|| Exception::badarg_because("badopt"))?;
    if !opts.iter().all(|&o| is_atom(o, "allow_passive_connect")) {
        return Err(Exception::badarg_because("badopt"));
    }
    monitor_node_2(p, &[node, flag])
}

/// `erts_internal:dist_spawn_request(Node, {M, F, A}, Opts, Type)`, what
/// `erlang.erl` calls to spawn on another node: a node that is not alive
/// reaches none, so the request fails at once with `noconnection` (or
/// `badopt` for a bad `reply` option), sent as BEAM sends it, `{Tag,
/// ReqId, error, Reason}` unless `{reply, no}` (a `spawn_opt` request
/// always gets its `spawn_reply`, which `erlang.erl` waits for). Returns
/// the request id (`spawn_request`) or `{ReqId, Monitor}` (`spawn_opt`),
/// or `badarg` for a node, function or option list that is not one.
fn dist_spawn_request_4(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [node, mfa, opts, kind] = arity(args)?;
    let mfa = mfa
        .as_tuple()
        .filter(|t| t.len() == 3)
        .and_then(|t| Some((t.get(0)?, t.get(1)?, t.get(2)?)));
    let good_mfa =
        mfa.is_some_and(|(m, f, a)| m.is_atom() && f.is_atom() && a.proper_list().is_some());
    let Some(list) = opts.proper_list().filter(|_| node.is_atom() && good_mfa) else {
        return atom("badarg");
    };
    let spawn_opt = is_atom(kind, "spawn_opt");
    let (mut tag, mut reply, mut monitor) = (atom("spawn_reply")?, true, false);
    let mut reason = atom("noconnection")?;
    for o in list {
        let pair = o.as_tuple().filter(|t| t.len() == 2);
        let (k, v) = (pair.and_then(|t| t.get(0)), pair.and_then(|t| t.get(1)));
        if is_atom(o, "monitor") || k.is_some_and(|k| is_atom(k, "monitor")) {
            monitor = true;
        }
        match (k, v) {
            (Some(k), Some(v)) if is_atom(k, "reply_tag") && !spawn_opt => tag = v,
            (Some(k), Some(v)) if is_atom(k, "reply") && !spawn_opt => {
                match v.as_atom().map(|a| a.name()) {
                    Some("yes" | "error_only") => reply = true,
                    Some("no" | "success_only") => reply = false,
                    _ => reason = atom("badopt")?,
                }
            }
            _ => {}
        }
    }
    let id = p.heap.local_ref(&enigma_vm::term::ids::fresh_ref_ids());
    if reply || reason != atom("noconnection")? {
        let msg = p.heap.tuple(&[tag, id, atom("error")?, reason]);
        let msg = Message::copy(msg).map_err(|_| Exception::badarg())?;
        enigma_interp::sched::send_to_self(p, msg);
    }
    if spawn_opt {
        let monitor = if monitor { Term::TRUE } else { Term::FALSE };
        return Ok(p.heap.tuple(&[id, monitor]));
    }
    Ok(id)
}

fn no_port(_: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    Err(Exception::badarg())
}

fn notsup(_: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    Err(Exception::error(atom("notsup")?))
}
