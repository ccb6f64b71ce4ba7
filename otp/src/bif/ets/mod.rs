//! `ets`: tables of tuples shared between processes. The store and its
//! locks are in [`store`], the objects of one table in [`objects`] (a hash
//! table's buckets in [`hash`]), match
//! specifications in [`matchspec`]; the BIFs are grouped by what they do
//! ([`admin`], [`access`], [`select`]). docs/RUNTIME.md, "ETS".

pub mod access;
pub mod admin;
pub mod hash;
pub mod matchspec;
pub mod objects;
pub mod select;
pub mod store;

use ibig::IBig;

use enigma_vm::atom::Atom;
use enigma_vm::bif::BifEntry;
use enigma_vm::exception::Exception;
use enigma_vm::process::{Message, Process};
use enigma_vm::term::copy::copy_onto;
use enigma_vm::term::Term;

pub use store::owner_exit;

/// `badarg`, the error of every bad ETS argument.
fn badarg() -> Exception {
    Exception::badarg()
}

/// An atom term (names the VM interns at boot cannot fail).
fn atom(name: &str) -> Term {
    Term::atom(Atom::intern(name).unwrap_or(Atom::UNDEFINED))
}

/// `true`/`false`.
fn boolean(t: Term) -> Option<bool> {
    crate::bif::arg::boolean(t)
}

/// A 1-based tuple position.
fn position(t: Term) -> Option<usize> {
    t.as_small()
        .and_then(|i| usize::try_from(i).ok())
        .filter(|&i| i >= 1)
}

/// An integer argument of any size.
fn integer(t: Term) -> Option<IBig> {
    t.as_int().map(|i| i.to_ibig())
}

/// The key of object `obj`: its `keypos`th element (`None` if it is no
/// tuple that long).
fn key_of(obj: Term, keypos: usize) -> Option<Term> {
    obj.as_tuple()?.get(keypos - 1)
}

/// A copy of a stored term on the caller's heap.
fn out(p: &mut Process, t: Term) -> Term {
    copy_onto(t, &mut p.heap).unwrap_or(t)
}

/// Copies of stored objects as a list on the caller's heap.
fn out_list(p: &mut Process, objs: &[Message]) -> Term {
    p.charge(objs.len());
    // Built from the end, with no vector (one object is the usual case).
    objs.iter().rev().fold(Term::NIL, |tail, o| {
        let head = out(p, o.term);
        p.heap.cons(head, tail)
    })
}

macro_rules! entries {
    ($($module:literal $name:literal / $arity:literal => $f:path),* $(,)?) => {
        &[$(BifEntry { module: $module, name: $name, arity: $arity, f: $f }),*]
    };
}

/// The `ets` BIFs, and `erlang:match_spec_test/3`.
pub const TABLE: &[BifEntry] = entries![
    "ets" "new"/2 => admin::new_2,
    "ets" "delete"/1 => admin::delete_1,
    "ets" "give_away"/3 => admin::give_away_3,
    "ets" "rename"/2 => admin::rename_2,
    "ets" "whereis"/1 => admin::whereis_1,
    "ets" "internal_request_all"/0 => admin::internal_request_all_0,
    "ets" "info"/1 => admin::info_1,
    "ets" "info"/2 => admin::info_2,
    "ets" "setopts"/2 => admin::setopts_2,
    "ets" "safe_fixtable"/2 => admin::safe_fixtable_2,
    "ets" "insert"/2 => access::insert_2,
    "ets" "insert_new"/2 => access::insert_new_2,
    "ets" "lookup"/2 => access::lookup_2,
    "ets" "lookup_element"/3 => access::lookup_element_3,
    "ets" "member"/2 => access::member_2,
    "ets" "take"/2 => access::take_2,
    "ets" "delete"/2 => access::delete_2,
    "ets" "delete_object"/2 => access::delete_object_2,
    "ets" "internal_delete_all"/2 => access::internal_delete_all_2,
    "ets" "update_counter"/3 => access::update_counter_3,
    "ets" "update_counter"/4 => access::update_counter_4,
    "ets" "update_element"/3 => access::update_element_3,
    "ets" "first"/1 => access::first_1,
    "ets" "next"/2 => access::next_2,
    "ets" "last"/1 => access::last_1,
    "ets" "prev"/2 => access::prev_2,
    "ets" "slot"/2 => access::slot_2,
    "ets" "match"/1 => select::select_1,
    "ets" "match"/2 => select::match_2_3,
    "ets" "match"/3 => select::match_2_3,
    "ets" "match_object"/1 => select::select_1,
    "ets" "match_object"/2 => select::match_object_2_3,
    "ets" "match_object"/3 => select::match_object_2_3,
    "ets" "select"/1 => select::select_1,
    "ets" "select"/2 => select::select_2,
    "ets" "select"/3 => select::select_3,
    "ets" "select_reverse"/1 => select::select_1,
    "ets" "select_reverse"/2 => select::select_reverse_2,
    "ets" "select_reverse"/3 => select::select_reverse_3,
    "ets" "select_count"/2 => select::select_count_2,
    "ets" "internal_select_delete"/2 => select::select_delete_2,
    "ets" "select_replace"/2 => select::select_replace_2,
    "ets" "match_spec_compile"/1 => select::match_spec_compile_1,
    "ets" "match_spec_run_r"/3 => select::match_spec_run_r_3,
    "ets" "is_compiled_ms"/1 => select::is_compiled_ms_1,
    "erlang" "match_spec_test"/3 => select::match_spec_test_3,
];
