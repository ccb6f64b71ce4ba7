//! The external term format against real OTP 25: every term of
//! `etf/corpus.txt` (written by `etf/gen_corpus.erl` on `erl`) must decode,
//! and re-encode under each option set to exactly the bytes BEAM wrote.

use enigma_vm::etf::{decode, encode, EncodeOptions};
use enigma_vm::term::order::eq_exact;
use enigma_vm::term::{Heap, Term};

/// The option sets of the corpus columns after `Plain`, in order.
const OPTIONS: [(&str, EncodeOptions); 6] = [
    ("minor_version 0", opts(0, 0)),
    ("minor_version 1", opts(0, 1)),
    ("minor_version 2", opts(0, 2)),
    ("compressed", opts(6, 1)),
    ("compressed 1", opts(1, 1)),
    ("compressed 9", opts(9, 1)),
];

const fn opts(compression: u32, minor_version: u8) -> EncodeOptions {
    EncodeOptions {
        compression,
        minor_version,
    }
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("corpus hex"))
        .collect()
}

struct Entry {
    name: String,
    plain: Vec<u8>,
    variants: Vec<Vec<u8>>,
    exact_bytes: bool,
}

fn corpus() -> Vec<Entry> {
    let text = include_str!("etf/corpus.txt");
    text.lines()
        .map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            assert_eq!(cols.len(), 9, "corpus line {line:.60}");
            let plain = unhex(cols[1]);
            let variants = cols[2..8]
                .iter()
                .map(|c| if *c == "=" { plain.clone() } else { unhex(c) })
                .collect();
            Entry {
                name: cols[0].to_owned(),
                plain,
                variants,
                exact_bytes: cols[8] == "bytes",
            }
        })
        .collect()
}

fn check(e: &Entry, heap: &mut Heap) -> Vec<String> {
    let mut failures = Vec::new();
    let term: Term = match decode(&e.plain, heap) {
        Ok(t) => t,
        Err(err) => return vec![format!("{}: decode failed: {err}", e.name)],
    };
    for ((label, o), expected) in OPTIONS.iter().zip(&e.variants) {
        match decode(expected, heap) {
            Ok(t) if eq_exact(t, term) => {}
            Ok(t) => failures.push(format!("{} [{label}]: decodes to {t}, not {term}", e.name)),
            Err(err) => failures.push(format!("{} [{label}]: decode failed: {err}", e.name)),
        }
        let got = match encode(term, o) {
            Ok(b) => b,
            Err(err) => {
                failures.push(format!("{} [{label}]: encode failed: {err}", e.name));
                continue;
            }
        };
        if e.exact_bytes {
            if &got != expected {
                failures.push(format!(
                    "{} [{label}]: encoded {} bytes differ from BEAM's {} (first difference at {})",
                    e.name,
                    got.len(),
                    expected.len(),
                    got.iter().zip(expected).take_while(|(a, b)| a == b).count()
                ));
            }
        } else {
            match decode(&got, heap) {
                Ok(t) if eq_exact(t, term) => {}
                _ => failures.push(format!(
                    "{} [{label}]: re-encoding does not decode back",
                    e.name
                )),
            }
        }
    }
    failures
}

#[test]
fn corpus_round_trips_byte_for_byte() {
    let entries = corpus();
    assert!(entries.len() > 200);
    let mut heap = Heap::new();
    let failures: Vec<String> = entries.iter().flat_map(|e| check(e, &mut heap)).collect();
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
