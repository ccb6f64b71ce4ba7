//! Enigma's baseline interpreter: the instruction loop over loaded code,
//! calls, returns and exceptions, and the profiling counters at loop and call
//! anchors that hand hot code to the JIT (DESIGN §5).
//!
//! Instructions are grouped by family in `instr/` (named after BEAM's
//! `instr_*.cpp`, so the JIT's recorder can mirror them file for file).

// Three modules may use `unsafe`: the instruction cursor, the stack
// frames and the register accessors, whose soundness arguments are in
// their docs (and `port::fds`, for the descriptors of `nouse_stdio`).
#![deny(unsafe_code)]

mod beam_bifs;
pub mod call_trace;
pub mod code;
pub mod counters;
#[allow(unsafe_code)]
mod cursor;
pub mod defaults;
mod exit_frame;
mod hot;
mod info_request;
pub mod instr;
pub mod port;
mod proc_info;
mod proc_ops;
#[allow(unsafe_code)]
mod regs;
pub mod run;
mod runq;
pub mod sched;
pub mod sched_flags;
pub mod seam;
mod signals;
pub mod smp;
mod spawn_request;
pub mod special;
#[allow(unsafe_code)]
mod stack;
mod suspend;
mod system_monitor;
mod timers;
pub mod trace;

pub use run::{call, Outcome, Registers};
pub use signals::{set_owner_exit, OwnerExit};
pub use suspend::hold_for;

use std::sync::OnceLock;

use std::sync::atomic::Ordering;

use code::CodeError;
use enigma_vm::atom::Atom;
use enigma_vm::term::fun::Export;

/// The compiled boot module (see `boot/enigma_boot.erl`).
const BOOT_BEAM: &[u8] = include_bytes!("../boot/enigma_boot.beam");

/// The compiled stand-ins for kernel's servers (see `boot/enigma_kernel.erl`).
const KERNEL_BEAM: &[u8] = include_bytes!("../boot/enigma_kernel.beam");

/// The command line's application configuration, read at boot (see
/// `boot/enigma_config.erl`).
const CONFIG_BEAM: &[u8] = include_bytes!("../boot/enigma_config.beam");

/// Loads the reader of the command line's application configuration
/// (`boot/enigma_config.erl`), which the boot uses when it is loaded: a
/// start without configuration does not pay for loading it.
pub fn load_config_reader() -> Result<(), CodeError> {
    code::install(enigma_vm::loader::load(CONFIG_BEAM)?)?;
    Ok(())
}

/// Code id of the boot module.
pub(crate) fn boot_id() -> u32 {
    BOOT.get().copied().unwrap_or(0)
}

static BOOT: OnceLock<u32> = OnceLock::new();

/// Prepares the interpreter: interpreter operations and the boot module.
/// Idempotent.
pub fn init() -> Result<(), CodeError> {
    if BOOT.get().is_some() {
        return Ok(());
    }
    special::install().map_err(|_| CodeError::Full)?;
    let m = enigma_vm::loader::load(BOOT_BEAM)?;
    let id = code::install(m)?;
    code::install(enigma_vm::loader::load(KERNEL_BEAM)?)?;
    let _ = BOOT.set(id);
    // `erl_prim_loader:get_modules/2,3` ask a process Enigma does not
    // start: the boot module answers them (a later load of
    // `erl_prim_loader` points them back at its own code).
    let (loader, boot) = (Atom::intern("erl_prim_loader"), Atom::intern("enigma_boot"));
    let (Ok(loader), Ok(boot), Ok(f)) = (loader, boot, Atom::intern("get_modules")) else {
        return Err(CodeError::Full);
    };
    for arity in [2, 3] {
        if let Some(e) = Export::lookup(boot, f, arity) {
            let to = Export::get_or_create(loader, f, arity);
            to.address.store(e.address(), Ordering::Release);
        }
    }
    Ok(())
}
