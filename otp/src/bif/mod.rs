//! Built-in functions. For now only the pure conversions that the `erlang`
//! module's BIFs will wrap; the per-module registration tables come later.

pub mod num_text;
