//! `+pc unicode|latin1`: programs print what erl prints with the same
//! flag (`io:printable_range/0`, `~p` of lists of characters).

use std::process::Command;

use enigma_tests::{erl_command, erlc, have, temp_dir, tests_dir};

#[test]
fn printable_range_follows_pc() {
    if !have("erlc") {
        eprintln!("erl/erlc not installed: skipped");
        return;
    }
    let dir = temp_dir("printable");
    erlc(&[tests_dir().join("erlang/printable_range.erl")], &dir);
    for flag in [&[][..], &["+pc", "unicode"], &["+pc", "latin1"]] {
        let erl = erl_command(&dir, "printable_range")
            .args(flag)
            .output()
            .expect("run erl");
        let enigma = Command::new(env!("CARGO_BIN_EXE_enigma-under-test"))
            .arg("run")
            .args(flag)
            .arg("-pa")
            .arg(&dir)
            .arg("printable_range")
            .output()
            .expect("run enigma");
        assert!(enigma.status.success(), "{flag:?}: {enigma:?}");
        assert_eq!(
            String::from_utf8_lossy(&erl.stdout),
            String::from_utf8_lossy(&enigma.stdout),
            "{flag:?}"
        );
    }
}
