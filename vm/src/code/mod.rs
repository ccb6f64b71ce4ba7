//! Loaded code (DESIGN §4): one immutable version of a module as the
//! interpreter and the JIT see it. `docs/LOADER.md` describes the shape.

pub mod arith;
pub mod countdown;
mod fuse;
pub mod instr;
pub mod module;
pub mod move_run;
pub mod operand;

pub use arith::{ArithOp, FArith};
pub use countdown::Countdown;
pub use instr::{FloadImmOp, FloadXOp, Instr, Move2Regs};
pub use module::{FunctionInfo, LambdaInfo, Module};
pub use operand::{Fail, Reg, Span, Src, SrcKind, Target};
