//! The exact semantics of the `erlang` BIFs that convert between numbers and
//! text, as pure functions for the BIF table to wrap:
//!
//! | BIF | here |
//! |---|---|
//! | `float_to_list/1,2`, `float_to_binary/1,2` | [`float_to_text`] |
//! | `list_to_float/1`, `binary_to_float/1` | [`text_to_float`] |
//! | `integer_to_list/1,2`, `integer_to_binary/1,2` | [`integer_to_text`] |
//! | `list_to_integer/1,2` | [`list_to_integer`] |
//! | `binary_to_integer/1,2` | [`text_to_integer`] |
//! | `string:list_to_integer/1` | [`integer_prefix`] |
//! | `string:list_to_float/1` | [`float_prefix`] |
//! | `float/1` of an integer | [`int_to_float`] |
//! | `round/1`, `trunc/1`, `floor/1`, `ceil/1` of a float | [`round_float`] and friends |
//!
//! Most `list_` and `binary_` variants share one function over bytes:
//! [`list_bytes`] and [`binary_bytes`] take the argument term apart as BEAM
//! does. `list_to_integer` reads the list itself, because BEAM keeps only
//! the low byte of each element there. The base of the `/2` integer BIFs
//! goes through [`base_arg`].
//! Every failure is [`BadArg`], which the BIF raises as `error:badarg`.

mod float_format;
mod float_int;
mod float_parse;
mod float_prefix;
mod integer_text;

pub use float_format::{float_options, float_to_text, format_float, FloatFormat, DEFAULT_FORMAT};
pub use float_int::{ceil_float, floor_float, int_to_float, round_float, trunc_float};
pub use float_parse::text_to_float;
pub use float_prefix::float_prefix;
pub use integer_text::{
    base_arg, integer_prefix, integer_to_text, list_to_integer, text_to_integer, Base,
};

use std::borrow::Cow;

use enigma_vm::term::Term;

/// A conversion BIF's argument was not acceptable: BEAM raises `badarg`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("badarg")]
pub struct BadArg;

/// Why `string:list_to_integer/1` or `string:list_to_float/1` found no
/// number: they return `{error, not_a_list}` or `{error, no_integer}` /
/// `{error, no_float}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PrefixError {
    /// The argument is neither a list nor `[]`.
    #[error("not_a_list")]
    NotAList,
    /// The list does not start with a number.
    #[error("no number")]
    NoNumber,
}

/// The bytes of a proper list of integers 0..=255, as BEAM's
/// `intlist_to_buf` takes the argument of `list_to_float/1` apart.
pub fn list_bytes(list: Term) -> Result<Vec<u8>, BadArg> {
    let mut it = list.list_iter();
    let bytes = it
        .by_ref()
        .map(|c| {
            c.as_small()
                .and_then(|v| u8::try_from(v).ok())
                .ok_or(BadArg)
        })
        .collect::<Result<Vec<u8>, BadArg>>()?;
    if it.tail().is_nil() {
        Ok(bytes)
    } else {
        Err(BadArg)
    }
}

/// The bytes of a binary (a bitstring of whole bytes), the argument of
/// `binary_to_float/1` and `binary_to_integer/1,2`; copied only when the
/// binary does not start on a byte boundary.
pub fn binary_bytes<'a>(bin: Term) -> Result<Cow<'a, [u8]>, BadArg> {
    let bits = bin.as_bits().ok_or(BadArg)?;
    if !bits.bit_size.is_multiple_of(8) {
        return Err(BadArg);
    }
    Ok(match bits.as_bytes() {
        Some(bytes) => Cow::Borrowed(bytes),
        None => Cow::Owned(bits.to_vec()),
    })
}
