//! Filling the atom table: the atom after the limit is an error, never a
//! crash, and existing atoms keep working. (Its own test binary, because the
//! limit is global to the process.)

use enigma_vm::atom::{atom_count, set_atom_limit, Atom, AtomError};

#[test]
fn a_full_atom_table_is_a_system_limit_error() {
    let base = atom_count();
    set_atom_limit(base + 1000);
    let made: Vec<Atom> = (0..1000)
        .map(|i| Atom::intern(&format!("limit_test_{i}")).expect("below the limit"))
        .collect();
    assert_eq!(atom_count(), base + 1000);
    assert_eq!(Atom::intern("one_atom_too_many"), Err(AtomError::TableFull));
    // Existing atoms are still found, and their names still read.
    assert_eq!(Atom::intern("limit_test_7"), Ok(made[7]));
    assert_eq!(made[999].name(), "limit_test_999");
    assert_eq!(Atom::existing("one_atom_too_many"), None);
}
