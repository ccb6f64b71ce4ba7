//! `string:list_to_float/1`: the float at the start of a list, and the rest.
//!
//! BEAM (`string_list_to_float_1` in `bif.c`) scans the list with a small
//! state machine, copying the characters of the float into a buffer that
//! [`text_to_float`] then converts. An `e` is only part of the float if an
//! exponent follows it; otherwise the scan backs up to the `e`, which is
//! left in the rest (`"1.5ex"` gives `{1.5, "ex"}`). A leading `+` is
//! skipped, a leading `-` kept, and at least three characters must have
//! been taken when a character that cannot continue the float ends it.

use enigma_vm::term::Term;

use super::{text_to_float, PrefixError};

/// Where the scan is in `[+-] int [.,] frac [eE [+-] exp]`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    Sign,
    Int,
    Frac,
    ExpSign,
    /// After the exponent's sign, before its first digit.
    Exp0,
    /// Among the exponent's digits.
    Exp1,
    End,
}

/// The float at the start of `list` and the rest of the list.
pub fn float_prefix(list: Term) -> Result<(f64, Term), PrefixError> {
    if list.is_nil() {
        return Err(PrefixError::NoNumber);
    }
    if list.as_cons().is_none() {
        return Err(PrefixError::NotAList);
    }
    let mut buf = Vec::new();
    let mut part = Part::Sign;
    let mut rest = list;
    // The buffer length and the list at the last `e`, to back up to.
    let mut at_e = (0, list);
    while let Some((head, tail)) = rest.as_cons() {
        let Some(c) = head.as_small().and_then(|v| u8::try_from(v).ok()) else {
            break;
        };
        // A leading `+` is skipped, not copied.
        let skip = c == b'+' && part == Part::Sign;
        let mut back_up = false;
        part = match (c, part) {
            (b'-', Part::Sign) | (b'+', Part::Sign) => Part::Int,
            (b'-' | b'+', Part::ExpSign) => Part::Exp0,
            (b'-' | b'+', Part::Exp0) => {
                back_up = true;
                Part::End
            }
            (b'.' | b',', Part::Int) => Part::Frac,
            (b'.' | b',', Part::ExpSign | Part::Exp0) => {
                back_up = true;
                Part::End
            }
            (b'e' | b'E', Part::Frac) => {
                at_e = (buf.len(), rest);
                Part::ExpSign
            }
            (b'e' | b'E', Part::ExpSign | Part::Exp0) => {
                back_up = true;
                Part::End
            }
            (b'-' | b'+' | b'.' | b',' | b'e' | b'E', _) => Part::End,
            (b'0'..=b'9', Part::Sign) => Part::Int,
            (b'0'..=b'9', Part::ExpSign | Part::Exp0) => Part::Exp1,
            (b'0'..=b'9', p) => p,
            _ => break,
        };
        if back_up {
            buf.truncate(at_e.0);
            rest = at_e.1;
        }
        if part == Part::End {
            if buf.len() < 3 {
                return Err(PrefixError::NoNumber);
            }
            break;
        }
        if !skip {
            buf.push(c);
        }
        rest = tail;
    }
    // Ended right after an `e` or its sign: they are not part of the float.
    if part == Part::ExpSign || part == Part::Exp0 {
        buf.truncate(at_e.0);
        rest = at_e.1;
    }
    if buf.is_empty() {
        return Err(PrefixError::NoNumber);
    }
    let f = text_to_float(&buf).map_err(|_| PrefixError::NoNumber)?;
    Ok((f, rest))
}
