//! Timer BIFs: `send_after/3,4`, `start_timer/3,4`, `cancel_timer/1,2`,
//! `read_timer/1,2`. The timers themselves are the scheduler's
//! (`enigma_interp::sched`); a timer reference names one by its key.

use std::time::{Duration, Instant};

use enigma_interp::sched;
use enigma_vm::atom::Atom;
use enigma_vm::bif::BifEntry;
use enigma_vm::exception::Exception;
use enigma_vm::process::{Message, Process};
use enigma_vm::term::Term;

/// The timer BIFs of module `erlang`.
pub const TABLE: &[BifEntry] = &[
    BifEntry {
        module: "erlang",
        name: "send_after",
        arity: 3,
        f: send_after,
    },
    BifEntry {
        module: "erlang",
        name: "send_after",
        arity: 4,
        f: send_after,
    },
    BifEntry {
        module: "erlang",
        name: "start_timer",
        arity: 3,
        f: start_timer,
    },
    BifEntry {
        module: "erlang",
        name: "start_timer",
        arity: 4,
        f: start_timer,
    },
    BifEntry {
        module: "erlang",
        name: "cancel_timer",
        arity: 1,
        f: cancel_timer,
    },
    BifEntry {
        module: "erlang",
        name: "cancel_timer",
        arity: 2,
        f: cancel_timer,
    },
    BifEntry {
        module: "erlang",
        name: "read_timer",
        arity: 1,
        f: read_timer,
    },
    BifEntry {
        module: "erlang",
        name: "read_timer",
        arity: 2,
        f: read_timer,
    },
];

fn atom(name: &str) -> Term {
    Term::atom(Atom::intern(name).unwrap_or(Atom::UNDEFINED))
}

/// The `{Key, Bool}` options of `opts` (an empty list when absent), each
/// key one of `keys`; `None` for anything else.
fn bool_options(opts: Option<&Term>, keys: &[&'static str]) -> Option<Vec<(&'static str, bool)>> {
    let Some(opts) = opts else {
        return Some(Vec::new());
    };
    let mut out = Vec::new();
    for o in opts.proper_list()? {
        let t = o.as_tuple().filter(|t| t.len() == 2)?;
        let key = t.get(0)?.as_atom()?.name();
        let v = t.get(1)?;
        if !(v == Term::TRUE || v == Term::FALSE) {
            return None;
        }
        let key = *keys.iter().find(|k| **k == key)?;
        out.push((key, v == Term::TRUE));
    }
    Some(out)
}

/// The last setting of `key` in `opts`, else `default`.
fn option(opts: &[(&str, bool)], key: &str, default: bool) -> bool {
    opts.iter()
        .rev()
        .find(|(k, _)| *k == key)
        .map_or(default, |&(_, v)| v)
}

/// The deadline of a timer set for `time` ms (relative, or absolute
/// Erlang monotonic time with `{abs, true}`); `None` for a bad time. A
/// time too far to represent is a century away.
fn deadline(time: Term, abs: bool) -> Option<Instant> {
    let t = time.as_small()?;
    let far = || Instant::now() + Duration::from_secs(100 * 365 * 86_400);
    if abs {
        return Some(super::time::instant_at(i128::from(t) * 1_000_000).unwrap_or_else(far));
    }
    let t = u64::try_from(t).ok()?;
    Some(
        Instant::now()
            .checked_add(Duration::from_millis(t))
            .unwrap_or_else(far),
    )
}

/// `send_after/3,4` and `start_timer/3,4` (`wrap`: the message is
/// `{timeout, TimerRef, Msg}`).
fn set_timer(p: &mut Process, args: &[Term], wrap: bool) -> Result<Term, Exception> {
    let (time, dest, msg) = (args[0], args[1], args[2]);
    // BEAM checks the options, then the time, then the destination.
    let opts =
        bool_options(args.get(3), &["abs"]).ok_or_else(|| Exception::badarg_because("badopt"))?;
    let at = deadline(time, option(&opts, "abs", false))
        .ok_or_else(|| Exception::badarg_because("time"))?;
    if dest.as_local_pid().is_none() && dest.as_atom().is_none() {
        return Err(Exception::badarg());
    }
    let key = sched::next_ref_key();
    let r = sched::ref_of_key(&mut p.heap, key);
    let msg = if wrap {
        p.heap.tuple(&[atom("timeout"), r, msg])
    } else {
        msg
    };
    let m = Message::copy(msg).map_err(|_| Exception::badarg())?;
    sched::send_after(key, at, dest, m);
    Ok(r)
}

fn send_after(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    set_timer(p, args, false)
}

fn start_timer(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    set_timer(p, args, true)
}

/// The time left, in milliseconds rounded up (BEAM rounds both the
/// deadline and now up to the next millisecond: a timer read within the
/// millisecond it was set shows its whole time), or `false`.
fn time_left(left: Option<Duration>) -> Term {
    left.map_or(Term::FALSE, |d| {
        Term::small(d.as_nanos().div_ceil(1_000_000) as i64)
    })
}

/// The answer of a timer operation: the value itself, or `ok` and (with
/// `info`) `{Tag, TimerRef, Value}` sent to the caller.
fn answer(p: &mut Process, tag: &str, r: Term, v: Term, asynch: bool, info: bool) -> Term {
    if !asynch {
        return if info { v } else { Term::atom(Atom::OK) };
    }
    if info {
        let msg = p.heap.tuple(&[atom(tag), r, v]);
        if let Ok(m) = Message::copy(msg) {
            sched::send_to_self(p, m);
        }
    }
    Term::atom(Atom::OK)
}

fn cancel_timer(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let r = args[0];
    let opts = bool_options(args.get(1), &["async", "info"]).ok_or_else(Exception::badarg)?;
    if r.kind() != enigma_vm::term::Kind::Ref {
        return Err(Exception::badarg());
    }
    let left = sched::key_of_ref(r).and_then(sched::cancel_timer);
    let (asynch, info) = (option(&opts, "async", false), option(&opts, "info", true));
    Ok(answer(p, "cancel_timer", r, time_left(left), asynch, info))
}

fn read_timer(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let r = args[0];
    let opts = bool_options(args.get(1), &["async"]).ok_or_else(Exception::badarg)?;
    if r.kind() != enigma_vm::term::Kind::Ref {
        return Err(Exception::badarg());
    }
    let left = sched::key_of_ref(r).and_then(sched::read_timer);
    let asynch = option(&opts, "async", false);
    Ok(answer(p, "read_timer", r, time_left(left), asynch, true))
}
