//! The `enigma disasm` command line: output on stdout, errors on stderr
//! with a non-zero status.

use std::process::Command;

fn enigma(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_enigma"))
        .args(args)
        .output()
        .expect("run enigma")
}

#[test]
fn disasm_prints_modules_and_reports_errors() {
    let lists = "/usr/lib/erlang/lib/stdlib-4.2/ebin/lists.beam";
    if std::path::Path::new(lists).exists() {
        let out = enigma(&["disasm", lists]);
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            text.starts_with("module lists\nfunction "),
            "{}",
            &text[..40]
        );
    }

    let missing = enigma(&["disasm", "/nonexistent/x.beam"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("/nonexistent/x.beam"));

    let dir = std::env::temp_dir().join(format!("enigma-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let junk = dir.join("junk.beam");
    std::fs::write(&junk, b"FOR1\0\0\0\x04BEAX").unwrap();
    let bad = enigma(&["disasm", junk.to_str().unwrap()]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("not a BEAM file"));
    let _ = std::fs::remove_dir_all(&dir);

    assert_eq!(enigma(&[]).status.code(), Some(2));
    assert_eq!(enigma(&["disasm"]).status.code(), Some(2));
}
