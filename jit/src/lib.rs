//! Enigma's tracing JIT: recording, IR, snapshots, optimisation, register
//! allocation and the x86-64 and aarch64 backends (DESIGN §6). Built in issue 6.

#![forbid(unsafe_code)]
