//! `binary_to_term` on arbitrary bytes: never a panic; whatever decodes
//! re-encodes and decodes back to an `=:=` term.
#![no_main]

use enigma_vm::etf::{decode, decode_prefix, encode, EncodeOptions};
use enigma_vm::term::order::eq_exact;
use enigma_vm::term::Heap;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut heap = Heap::new();
    let _ = decode_prefix(data, &mut heap, true);
    if let Ok(term) = decode(data, &mut heap) {
        let bytes = encode(term, &EncodeOptions::default()).expect("a decoded term encodes");
        let again = decode(&bytes, &mut heap).expect("an encoded term decodes");
        assert!(eq_exact(term, again), "round trip changed {term}");
    }
});
