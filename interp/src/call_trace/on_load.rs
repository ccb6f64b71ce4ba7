//! `trace_pattern(on_load, ...)`: the patterns modules loaded from now on
//! get (BEAM's `change_on_load_trace_pattern` rules), read back by
//! `trace_info(on_load, Item)`, and applied when a load makes a module
//! current ([`loaded`]).

use std::sync::atomic::Ordering;
use std::sync::Arc;

use enigma_vm::atom::Atom;
use enigma_vm::process::Message;
use enigma_vm::term::Term;

use super::{bif, ever, set_in, table, CountOp, OnLoad, Setting, EVER};

/// What `trace_pattern(on_load, MatchSpec, Flags)` asks, as BEAM's
/// flags: no local flag is a global trace.
#[derive(Clone, Copy, Debug, Default)]
pub struct OnLoadChange {
    /// `MatchSpec` is not `false`.
    pub on: bool,
    /// `MatchSpec` is `true`, `[]` or a match specification (not
    /// `restart` or `pause`).
    pub set: bool,
    /// `local`.
    pub local: bool,
    /// `meta` (accepted, not acted on).
    pub meta: bool,
    /// `call_count`.
    pub count: bool,
    /// `call_time`.
    pub time: bool,
    /// A match specification (`None`: `true`).
    pub ms: Option<Term>,
}

/// `trace_pattern(on_load, ...)`: changes the patterns modules loaded
/// from now on get, as BEAM's `change_on_load_trace_pattern` does.
pub fn set_on_load(c: OnLoadChange) {
    EVER.store(true, Ordering::Relaxed);
    let mut t = table();
    let o = &mut t.on_load;
    let breakpoint = c.local || c.meta || c.count || c.time;
    if c.local || !breakpoint {
        o.ms = c.ms.and_then(|ms| Message::copy(ms).ok()).map(Arc::new);
    }
    match (o.breakpoint, breakpoint) {
        (true, true) if c.on => {
            o.local |= c.local;
            o.count |= c.set && c.count;
            o.time |= c.set && c.time;
        }
        (true, true) => {
            o.local &= !c.local;
            o.count &= !c.count;
            o.time &= !c.time;
            o.breakpoint = o.local || o.count || o.time;
            if !o.breakpoint {
                o.on = false;
            }
        }
        (false, false) => o.on = c.on,
        (true, false) => {
            if c.on {
                *o = OnLoad {
                    on: true,
                    ms: o.ms.take(),
                    ..OnLoad::default()
                };
            }
        }
        (false, true) => {
            if c.on {
                let (count, time) = (c.set && c.count, c.set && c.time);
                o.local = c.local;
                o.count = count;
                o.time = time;
                o.breakpoint = c.local || c.meta || count || time;
                o.on = o.breakpoint;
            }
        }
    }
}

/// What `trace_info(on_load, Item)` reads: `None` when no `on_load`
/// pattern is on.
#[derive(Debug)]
pub struct OnLoadInfo {
    /// `global`, `local` or `false` (`None`).
    pub traced: Option<bool>,
    /// Whether a trace's match specification applies.
    pub traces: bool,
    /// The match specification (on the caller's heap), if one was given.
    pub ms: Option<Term>,
    /// `call_count`.
    pub count: bool,
    /// `call_time`.
    pub time: bool,
}

/// The `on_load` patterns (the match specification copied to `heap`).
pub fn on_load_info(heap: &mut enigma_vm::term::Heap) -> Option<OnLoadInfo> {
    let t = table();
    let o = &t.on_load;
    if !o.on {
        return None;
    }
    let traced = if !o.breakpoint {
        Some(false)
    } else {
        o.local.then_some(true)
    };
    Some(OnLoadInfo {
        traced,
        traces: !o.breakpoint || o.local,
        ms: o
            .ms
            .as_ref()
            .and_then(|m| enigma_vm::term::copy::copy_onto(m.term, heap).ok()),
        count: o.count,
        time: o.time,
    })
}

/// Module `name` was made current by a load (the caller holds the
/// loading lock): its functions lose the patterns of a previous version
/// and take the `on_load` ones.
pub fn loaded(name: Atom) {
    if !ever() {
        return;
    }
    let mut t = table();
    t.copies.remove(&name);
    t.fns.retain(|k, _| k.0 != name);
    let o = t.on_load.clone();
    if !o.on {
        return;
    }
    let all = (None, None);
    if !o.breakpoint {
        let ms = o.ms.as_ref().map(|m| m.term);
        let setting = Setting::Trace { ms, local: false };
        set_in(&mut t, name, all, setting, &o.ms);
        bif::update(&t);
        return;
    }
    if o.local {
        let ms = o.ms.as_ref().map(|m| m.term);
        set_in(&mut t, name, all, Setting::Trace { ms, local: true }, &o.ms);
    }
    if o.count {
        set_in(&mut t, name, all, Setting::Count(CountOp::Start), &None);
    }
    if o.time {
        set_in(&mut t, name, all, Setting::Time(CountOp::Start), &None);
    }
    bif::update(&t);
}
