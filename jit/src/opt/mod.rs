//! OPT: the passes run on a recorded trace before register allocation, in
//! order: constant folding, reads of tuples and boxes the trace built,
//! Y-register store-to-load forwarding,
//! redundant-guard and common subexpression elimination, guard-implied
//! constants in snapshots, loop peeling, one finiteness check per run of
//! float arithmetic, dead-code elimination, and last what loop-carried
//! tuples are known to hold. Each rewrites uses and turns
//! what it removes into [`Op::Nop`](crate::ir::Op::Nop); [`optimize`]
//! compacts at the end.
//!
//! (X-register store-to-load forwarding happens in the recorder's slot
//! map, see `record.rs`.)

pub mod carried;
pub mod dce;
pub mod fcheck;
pub mod fold;
pub mod fresh;
pub mod guards;
pub mod ifconv;
pub mod implied;
pub mod peel;
pub mod yforward;

use crate::ir::{Ref, Trace};

/// Runs every pass; forwarding from tuples and Y registers and the float
/// checks only with `wide` (they keep more values in machine registers:
/// see [`fresh`], [`yforward`] and [`fcheck`]), and with it what
/// loop-carried tuples hold ([`carried`]).
pub fn optimize(t: &mut Trace, wide: bool) {
    fold::run(t);
    if wide {
        fresh::run(t);
        yforward::run(t);
    }
    guards::run(t);
    implied::run(t);
    peel::run(t);
    if wide {
        fcheck::run(t);
    }
    dce::run(t);
    if wide {
        carried::run(t);
    }
    t.compact();
}

/// Replaces every use of `r` by `subst[r]` (the identity where unchanged).
pub(crate) fn substitute(t: &mut Trace, subst: &[Ref]) {
    t.map_uses(|r| subst[r as usize]);
}
