//! The `.beam` loader on arbitrary bytes: a malformed file is an error, never
//! a panic or an out-of-memory abort.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = enigma_vm::loader::load(data);
});
