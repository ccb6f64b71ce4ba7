//! Every `.beam` of the installed OTP loads without error.

use std::path::{Path, PathBuf};

use enigma_vm::loader;

const OTP_LIB: &str = "/usr/lib/erlang/lib";

fn otp_beams() -> Option<Vec<PathBuf>> {
    let lib = Path::new(OTP_LIB);
    if !lib.is_dir() {
        return None;
    }
    let mut beams = Vec::new();
    for app in std::fs::read_dir(lib).ok()? {
        let ebin = app.ok()?.path().join("ebin");
        let Ok(entries) = std::fs::read_dir(&ebin) else {
            continue;
        };
        for e in entries {
            let p = e.ok()?.path();
            if p.extension().is_some_and(|x| x == "beam") {
                beams.push(p);
            }
        }
    }
    beams.sort();
    Some(beams)
}

#[test]
fn every_installed_otp_module_loads() {
    let Some(beams) = otp_beams() else {
        eprintln!("skipped: no OTP installation at {OTP_LIB}");
        return;
    };
    assert!(
        beams.len() > 100,
        "only {} .beam files found under {OTP_LIB}",
        beams.len()
    );
    let mut failures = Vec::new();
    for path in &beams {
        let bytes = std::fs::read(path).expect("readable .beam");
        if let Err(e) = loader::load(&bytes) {
            failures.push(format!("{}: {e}", path.display()));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} modules failed:\n{}",
        failures.len(),
        beams.len(),
        failures.join("\n")
    );
}
