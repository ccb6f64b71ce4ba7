//! Replays the inputs kept under `fuzz/regressions/` through the same checks
//! as the cargo-fuzz targets (`fuzz/fuzz_targets/`), so every input that
//! once crashed or that covers a tricky path stays covered by `cargo test`.

use std::path::PathBuf;

use enigma_vm::etf::{decode, decode_prefix, encode, EncodeOptions};
use enigma_vm::term::order::eq_exact;
use enigma_vm::term::Heap;

fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/regressions")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.file_name().is_some_and(|n| n != "README.md"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no inputs in {}", dir.display());
    files
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).expect("read input");
            (p, bytes)
        })
        .collect()
}

#[test]
fn etf_decode_inputs_round_trip_or_fail_cleanly() {
    for (path, data) in inputs("etf_decode") {
        let mut heap = Heap::new();
        let _ = decode_prefix(&data, &mut heap, true);
        if let Ok(term) = decode(&data, &mut heap) {
            let bytes = encode(term, &EncodeOptions::default()).unwrap_or_else(|e| {
                panic!("{}: decoded term does not encode: {e}", path.display())
            });
            let again = decode(&bytes, &mut heap).unwrap_or_else(|e| {
                panic!("{}: re-encoded term does not decode: {e}", path.display())
            });
            assert!(
                eq_exact(term, again),
                "{}: round trip changed the term",
                path.display()
            );
        }
    }
}

#[test]
fn loader_inputs_load_or_fail_cleanly() {
    for (_, data) in inputs("loader") {
        let _ = enigma_vm::loader::load(&data);
    }
}
