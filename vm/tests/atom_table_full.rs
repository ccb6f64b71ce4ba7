//! The atom table at BEAM's real default limit: atom number 1,048,577 is a
//! `system_limit` error. (Its own test binary: it fills the global table.)

use enigma_vm::atom::{atom_count, Atom, AtomError, MAX_ATOMS};

#[test]
fn the_table_holds_exactly_beams_default_limit() {
    let mut i = 0u64;
    let err = loop {
        match Atom::intern(&format!("fill_{i}")) {
            Ok(_) => i += 1,
            Err(e) => break e,
        }
    };
    assert_eq!(err, AtomError::TableFull);
    assert_eq!(atom_count(), MAX_ATOMS);
    assert_eq!(MAX_ATOMS, 1_048_576);
    assert!(
        Atom::intern("fill_0").is_ok(),
        "existing atoms still intern"
    );
}
