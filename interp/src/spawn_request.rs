//! `erts_internal:spawn_request/4`, on which OTP's `erlang.erl` builds
//! `erlang:spawn_request/1..5` for the local node: the new process is
//! made at once, and the reply `{ReplyTag, ReqId, ok, Pid}` (unless
//! `{reply, no | error_only}`; `{ReplyTag, ReqId, error, badopt}` for a
//! bad option in the list) is in the caller's mailbox before the
//! call returns, ahead of anything the new process sends. With
//! `monitor`, the request id is the monitor's reference, as on BEAM.

use enigma_vm::process::Message;
use enigma_vm::term::Term;

use crate::proc_ops::{spawn_option, spawn_with, SpawnFlag};
use crate::run::{Run, Start};
use crate::sched::{self, atom, ref_term, SpawnOpts};

/// `erts_internal:spawn_request(M, F, A, Opts)` with its arguments in
/// x0..: the request id, or the atom `badarg` (bad `M`, `F` or `A`) or
/// `badopt` (a bad option), which `erlang.erl` turns into errors.
pub(crate) fn spawn_request(run: &mut Run<'_>) -> Term {
    let (m, f) = match (run.x[0].as_atom(), run.x[1].as_atom()) {
        (Some(m), Some(f)) => (m, f),
        _ => return atom("badarg"),
    };
    let Some(args) = run.x[2].proper_list() else {
        return atom("badarg");
    };
    let Some(list) = run.x[3].proper_list() else {
        return atom("badopt");
    };
    let mut opts = SpawnOpts {
        group_leader: Some(run.p.group_leader),
        ..SpawnOpts::default()
    };
    let (mut link, mut monitor, mut tag, mut bad) = (false, None, atom("spawn_reply"), false);
    // Replies wanted on success and on error.
    let mut reply = (true, true);
    for o in list {
        let pair = o.as_tuple().filter(|t| t.len() == 2);
        let key = pair.and_then(|t| t.get(0)).and_then(|k| k.as_atom());
        let value = pair.and_then(|t| t.get(1));
        match (key.map(|k| k.name()), value) {
            (Some("reply_tag"), Some(v)) => tag = v,
            (Some("reply"), Some(v)) => match v.as_atom().map(|a| a.name()) {
                Some("yes") => reply = (true, true),
                Some("no") => reply = (false, false),
                Some("error_only") => reply = (false, true),
                Some("success_only") => reply = (true, false),
                _ => bad = true,
            },
            _ => match spawn_option(o, &mut opts) {
                Some(SpawnFlag::Link) => link = true,
                Some(SpawnFlag::Monitor(m)) => monitor = Some(m),
                Some(SpawnFlag::Other) => {}
                None => bad = true,
            },
        }
    }
    // A bad option in the list is answered by an error reply, as on BEAM.
    let (outcome, value, key) = if bad {
        ("error", atom("badopt"), None)
    } else {
        let what = Start::Apply(m, f, args.len() as u32);
        let (pid, key) = spawn_with(run.p.pid, what, &args, opts, link, monitor);
        ("ok", pid, key)
    };
    let key = key.unwrap_or_else(sched::next_ref_key);
    let id = ref_term(&mut run.p.heap, key);
    if (bad && reply.1) || (!bad && reply.0) {
        let msg = run.p.heap.tuple(&[tag, id, atom(outcome), value]);
        if let Ok(m) = Message::copy(msg) {
            sched::send_to_self(run.p, m);
        }
    }
    id
}
