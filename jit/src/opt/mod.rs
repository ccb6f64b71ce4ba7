//! OPT: the passes run on a recorded trace before register allocation, in
//! order: constant folding, redundant-guard elimination, guard-implied
//! constants in snapshots, loop peeling, dead-code elimination. Each rewrites uses and turns what it removes into
//! [`Op::Nop`](crate::ir::Op::Nop); [`optimize`] compacts at the end.
//!
//! (X-register store-to-load forwarding happens in the recorder's slot
//! map, see `record.rs`.)

pub mod dce;
pub mod fold;
pub mod guards;
pub mod implied;
pub mod peel;

use crate::ir::{Ref, Trace};

/// Runs every pass.
pub fn optimize(t: &mut Trace) {
    fold::run(t);
    guards::run(t);
    implied::run(t);
    peel::run(t);
    dce::run(t);
    t.compact();
}

/// Replaces every use of `r` by `subst[r]` (the identity where unchanged).
pub(crate) fn substitute(t: &mut Trace, subst: &[Ref]) {
    t.map_uses(|r| subst[r as usize]);
}
