//! Subjects and patterns as bytes, captured text as terms, and compile
//! errors in the words of BEAM's PCRE.

use enigma_vm::process::Process;
use enigma_vm::term::{Kind, Term};
use pcre2_sys as sys;

use crate::bif::helpers::{binary_bytes, deep_bytes, iodata_bytes};

/// The bytes of a subject or pattern: iodata, or in Unicode mode also
/// chardata (code points above 255, encoded as UTF-8). `None` for a term
/// that is neither.
pub fn bytes(t: Term, unicode: bool) -> Option<Vec<u8>> {
    if t.kind() == Kind::Binary {
        return binary_bytes(t);
    }
    if !unicode {
        return iodata_bytes(t);
    }
    deep_bytes(t, |c, out| {
        let c = u32::try_from(c).ok().and_then(char::from_u32)?;
        out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
        Some(())
    })
}

/// Captured text as a list: code points in Unicode mode, bytes otherwise.
pub fn list(p: &mut Process, b: &[u8], unicode: bool) -> Term {
    let items: Vec<Term> = match std::str::from_utf8(b) {
        Ok(s) if unicode => s
            .chars()
            .map(|c| p.heap.int(i64::from(u32::from(c))))
            .collect(),
        _ => b.iter().map(|&c| p.heap.int(i64::from(c))).collect(),
    };
    p.heap.list(&items)
}

/// The message BEAM's PCRE 8.44 gives for a PCRE2 compile error, where the
/// two differ in wording; PCRE2's own message otherwise.
pub fn compile_message(code: i32) -> String {
    if code < 0 {
        // A UTF-8 error in the pattern.
        return "invalid UTF-8 string".to_string();
    }
    let pcre1 = match code as u32 {
        sys::PCRE2_ERROR_UNKNOWN_ESCAPE => "unrecognized character follows \\",
        sys::PCRE2_ERROR_QUANTIFIER_INVALID => "nothing to repeat",
        sys::PCRE2_ERROR_MISSING_CLOSING_PARENTHESIS => "missing )",
        sys::PCRE2_ERROR_UNMATCHED_CLOSING_PARENTHESIS => "unmatched parentheses",
        sys::PCRE2_ERROR_MISSING_COMMENT_CLOSING => "missing ) after comment",
        sys::PCRE2_ERROR_BAD_SUBPATTERN_REFERENCE => "reference to non-existent subpattern",
        sys::PCRE2_ERROR_DUPLICATE_SUBPATTERN_NAME => "two named subpatterns have the same name",
        sys::PCRE2_ERROR_QUANTIFIER_TOO_BIG => "number too big in {} quantifier",
        sys::PCRE2_ERROR_MISSING_NAME_TERMINATOR => {
            "syntax error in subpattern name (missing terminator)"
        }
        _ => return super::pcre::error_message(code),
    };
    pcre1.to_string()
}
