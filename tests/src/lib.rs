//! Helpers for Enigma's integration tests, which check Enigma's behaviour
//! against real BEAM (`erl`, `erlc` from Debian's `erlang-base`).
