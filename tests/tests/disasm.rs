//! `enigma disasm` agrees with OTP's own `beam_disasm:file/1`, function by
//! function and instruction by instruction, on a sample of OTP modules and
//! on the project's test modules (tests/erlang/*.erl, compiled with `erlc`).
//!
//! `tests/disasm/beam_disasm_norm.escript` prints beam_disasm's view in
//! `enigma disasm`'s format; see its header for what it normalises.

use std::path::{Path, PathBuf};
use std::process::Command;

use enigma_tests::{erlang_sources, erlc, have, otp_beam, temp_dir, tests_dir, OTP_LIB};

/// (application, module): big and small modules across applications.
const SAMPLE: &[(&str, &str)] = &[
    ("stdlib", "lists"),
    ("stdlib", "io_lib_format"),
    ("stdlib", "maps"),
    ("stdlib", "gen_server"),
    ("stdlib", "ets"),
    ("stdlib", "string"),
    ("stdlib", "unicode_util"),
    ("stdlib", "erl_parse"),
    ("stdlib", "binary"),
    ("stdlib", "re"),
    ("stdlib", "supervisor"),
    ("stdlib", "io_lib"),
    ("stdlib", "dets_v9"),
    ("stdlib", "shell_docs"),
    ("kernel", "code"),
    ("kernel", "gen_tcp"),
    ("kernel", "inet"),
    ("kernel", "application_controller"),
    ("kernel", "logger"),
    ("compiler", "beam_ssa_opt"),
    ("compiler", "beam_ssa_type"),
    ("compiler", "beam_ssa_codegen"),
    ("compiler", "beam_ssa_pre_codegen"),
    ("compiler", "beam_ssa_bsm"),
    ("compiler", "beam_asm"),
    ("compiler", "beam_types"),
    ("compiler", "v3_core"),
    ("compiler", "beam_call_types"),
    ("compiler", "sys_messages"),
    ("erts", "erlang"),
    ("erts", "prim_file"),
    ("erts", "init"),
    ("crypto", "crypto"),
    ("ssl", "ssl_cipher"),
    ("xmerl", "xmerl_scan"),
    ("mnesia", "mnesia_lib"),
];

/// Module name -> its functions, each a header line and its instruction
/// lines, in output order.
type Listing = Vec<(String, Vec<(String, Vec<String>)>)>;

fn parse(text: &str) -> Listing {
    let mut out: Listing = Vec::new();
    for line in text.lines() {
        if let Some(m) = line.strip_prefix("module ") {
            out.push((m.to_string(), Vec::new()));
        } else if line.starts_with("function ") {
            let m = out.last_mut().expect("function before module line");
            m.1.push((line.to_string(), Vec::new()));
        } else {
            let m = out.last_mut().expect("instruction before module line");
            let f = m.1.last_mut().expect("instruction before function line");
            f.1.push(line.to_string());
        }
    }
    out
}

fn compare(expected: &Listing, actual: &Listing) -> Vec<String> {
    let mut problems = Vec::new();
    if expected.len() != actual.len() {
        problems.push(format!(
            "{} modules from beam_disasm, {} from enigma",
            expected.len(),
            actual.len()
        ));
    }
    for ((em, efs), (am, afs)) in expected.iter().zip(actual) {
        if em != am {
            problems.push(format!("module {em} from beam_disasm, {am} from enigma"));
            continue;
        }
        if efs.len() != afs.len() {
            problems.push(format!(
                "{em}: {} functions from beam_disasm, {} from enigma",
                efs.len(),
                afs.len()
            ));
        }
        for ((eh, eis), (ah, ais)) in efs.iter().zip(afs) {
            if eh != ah {
                problems.push(format!("{em}: `{eh}` from beam_disasm, `{ah}` from enigma"));
                continue;
            }
            if let Some(i) = (0..eis.len().max(ais.len())).find(|&i| eis.get(i) != ais.get(i)) {
                problems.push(format!(
                    "{em} {eh}, instruction {i}:\n  beam_disasm: {}\n  enigma:      {}",
                    eis.get(i).map_or("(end)", String::as_str),
                    ais.get(i).map_or("(end)", String::as_str)
                ));
            }
        }
    }
    problems
}

fn check(files: &[PathBuf]) {
    check_with_known_differences(files, &[]);
}

/// Like [`check`], but the instructions named in `known` (as `"MODULE
/// function NAME/ARITY, instruction N"`) must differ, and nothing else may.
fn check_with_known_differences(files: &[PathBuf], known: &[&str]) {
    let script = tests_dir().join("disasm/beam_disasm_norm.escript");
    let out = Command::new("escript")
        .arg(&script)
        .args(files)
        .output()
        .expect("run escript");
    assert!(
        out.status.success(),
        "normaliser failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let expected = parse(&String::from_utf8(out.stdout).expect("UTF-8 from escript"));

    let mut text = String::new();
    for f in files {
        let bytes = std::fs::read(f).expect("read .beam");
        enigma_otp::disasm::disasm(&bytes, &mut text)
            .unwrap_or_else(|e| panic!("{}: {e}", f.display()));
    }
    let actual = parse(&text);

    assert_eq!(
        expected.len(),
        files.len(),
        "one module per file from beam_disasm"
    );
    let mut problems = compare(&expected, &actual);
    for k in known {
        let before = problems.len();
        problems.retain(|p| !p.starts_with(&format!("{k}:")));
        assert_eq!(
            before,
            problems.len() + 1,
            "known difference `{k}` did not occur"
        );
    }
    assert!(
        problems.is_empty(),
        "{} differences:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn otp_sample_matches_beam_disasm() {
    if !have("escript") || !Path::new(OTP_LIB).is_dir() {
        eprintln!("skipped: no Erlang/OTP installation (escript, {OTP_LIB})");
        return;
    }
    let files: Vec<PathBuf> = SAMPLE
        .iter()
        .map(|(app, m)| otp_beam(app, m).unwrap_or_else(|| panic!("{app}/{m}.beam not installed")))
        .collect();
    check(&files);
}

/// Maps of more than 32 keys print in BEAM's hash-trie order, and BEAM
/// hashes an atom by its index in BEAM's own atom table, which depends on
/// what BEAM's boot loaded before. Two literals in `ssl` are such maps with
/// atom keys: their entries agree, their printed order cannot.
const ATOM_KEYED_HASH_MAPS: &[&str] = &[
    "ssl function handle_options/5, instruction 13",
    "ssl function validate_option/3, instruction 461",
];

/// Every installed OTP module (one `escript` run per application).
#[test]
fn all_otp_modules_match_beam_disasm() {
    if !have("escript") || !Path::new(OTP_LIB).is_dir() {
        eprintln!("skipped: no Erlang/OTP installation (escript, {OTP_LIB})");
        return;
    }
    let mut apps: Vec<PathBuf> = std::fs::read_dir(OTP_LIB)
        .expect("OTP lib")
        .filter_map(Result::ok)
        .map(|e| e.path().join("ebin"))
        .filter(|p| p.is_dir())
        .collect();
    apps.sort();
    for ebin in apps {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&ebin)
            .expect("ebin")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "beam"))
            .collect();
        files.sort();
        if files.is_empty() {
            continue;
        }
        if ebin.to_string_lossy().contains("/ssl-") {
            check_with_known_differences(&files, ATOM_KEYED_HASH_MAPS);
        } else {
            check(&files);
        }
    }
}

#[test]
fn test_modules_match_beam_disasm() {
    if !have("erlc") || !have("escript") {
        eprintln!("skipped: erlc/escript not installed");
        return;
    }
    let sources = erlang_sources("disasm_");
    assert!(!sources.is_empty(), "no tests/erlang/disasm_*.erl");
    let out_dir = temp_dir("disasm");
    let beams = erlc(&sources, &out_dir);
    check(&beams);
    let _ = std::fs::remove_dir_all(&out_dir);
}
