//! A full atom table makes decoding a new atom fail with the error that
//! `binary_to_term` turns into `system_limit`. Its own test binary, because
//! the limit is global.

use enigma_vm::atom::{atom_count, set_atom_limit};
use enigma_vm::etf::{decode, EtfError};
use enigma_vm::term::Heap;

#[test]
fn a_full_atom_table_is_an_error() {
    set_atom_limit(atom_count());
    let mut h = Heap::new();
    let mut fresh = vec![131, 100, 0, 21];
    fresh.extend_from_slice(b"etf_atom_limit_unseen");
    assert_eq!(decode(&fresh, &mut h), Err(EtfError::AtomTableFull));
    // Atoms that exist still decode.
    assert!(decode(&[131, 100, 0, 4, b't', b'r', b'u', b'e'], &mut h).is_ok());
}
