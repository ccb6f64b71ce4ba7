//! Unit tests: hand-checked encodings (bytes taken from OTP 25's
//! `term_to_binary`), malformed input, and deep terms.

use super::*;
use crate::term::{Heap, Kind, Term};

fn dec(bytes: &[u8]) -> Result<Term, EtfError> {
    // The heap must outlive the term for inspection: leak it in tests.
    decode(bytes, Box::leak(Box::new(Heap::new())))
}

#[test]
fn decodes_simple_terms() {
    assert_eq!(dec(&[131, 97, 1]).unwrap(), Term::small(1));
    assert_eq!(
        dec(&[131, 98, 255, 255, 255, 255]).unwrap(),
        Term::small(-1)
    );
    assert_eq!(dec(&[131, 106]).unwrap(), Term::NIL);
    let t = dec(&[131, 100, 0, 3, 97, 98, 99]).unwrap();
    assert_eq!(t.as_atom().unwrap().name(), "abc");
    let t = dec(&[131, 119, 3, 104, 195, 169]).unwrap();
    assert_eq!(t.as_atom().unwrap().name(), "hé");
    let t = dec(&[131, 100, 0, 2, 104, 233]).unwrap();
    assert_eq!(t.as_atom().unwrap().name(), "hé");
    let t = dec(&[131, 70, 63, 248, 0, 0, 0, 0, 0, 0]).unwrap();
    assert_eq!(t.as_float(), Some(1.5));
    let t = dec(&[131, 77, 0, 0, 0, 1, 3, 32]).unwrap();
    assert_eq!(t.to_string(), "<<1:3>>");
    // binary_to_term(<<131,110,1,2,5>>) =:= -5 on OTP 25.
    assert_eq!(dec(&[131, 110, 1, 2, 5]).unwrap(), Term::small(-5));
}

#[test]
fn decodes_local_and_external_ids() {
    // term_to_binary(self()) on a non-distributed OTP 25 node: <0.9.0>.
    let mut pid = vec![131, 88, 100, 0, 13];
    pid.extend_from_slice(b"nonode@nohost");
    pid.extend_from_slice(&[0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0]);
    assert_eq!(dec(&pid).unwrap(), Term::pid(9, 0));
    // Creation 5 makes it a pid of another incarnation of the node.
    let last = pid.len() - 1;
    pid[last] = 5;
    assert_eq!(dec(&pid).unwrap().kind(), Kind::Pid);
    assert!(dec(&pid).unwrap().as_external_pid().is_some());
}

#[test]
fn compressed_terms_inflate() {
    // term_to_binary(lists:duplicate(20, a), [compressed]) on OTP 25.
    let c = [
        131, 80, 0, 0, 0, 86, 120, 156, 203, 97, 96, 96, 16, 73, 97, 96, 76, 164, 38, 206, 2, 0,
        173, 210, 16, 99,
    ];
    let t = dec(&c).unwrap();
    assert_eq!(t.list_length(), Some(20));
    // OTP 25 accepts bytes after the zlib stream; `used` stops at its end.
    let mut longer = c.to_vec();
    longer.extend_from_slice(&[1, 2, 3]);
    assert!(dec(&longer).is_ok());
    let mut h = Heap::new();
    assert_eq!(decode_prefix(&longer, &mut h, false).unwrap().1, c.len());
    // A declared size one off either way is refused.
    let mut wrong = c.to_vec();
    wrong[5] = 87;
    assert!(dec(&wrong).is_err());
    wrong[5] = 85;
    assert!(dec(&wrong).is_err());
}
