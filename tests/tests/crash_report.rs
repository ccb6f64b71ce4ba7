//! BEAM's crash report for a process ended by an uncaught error or throw:
//! `erl -noshell` and Enigma print it through their logger on standard
//! output. The reports must be the same but for the time stamp and pid
//! numbers: the header's shape, the text, and the exit value laid out as
//! `~p` does (long values wrap). And the report of a process killed for
//! growing past its `max_heap_size`, but for its figures too.

use std::path::{Path, PathBuf};
use std::process::Command;

use enigma_tests::{erl_main, erlc, have, temp_dir, tests_dir};

/// The `=ERROR REPORT====` blocks of `text` (each up to its blank line),
/// with the time stamp checked and replaced and pids replaced, sorted
/// (reports are printed by another process than the one that crashed).
fn reports(text: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let Some(stamp) = line
            .strip_prefix("=ERROR REPORT==== ")
            .and_then(|l| l.strip_suffix(" ==="))
        else {
            continue;
        };
        assert!(is_time_stamp(stamp), "time stamp {stamp:?} in {text}");
        let mut block = String::from("=ERROR REPORT==== TIME ===\n");
        for l in lines.by_ref().take_while(|l| !l.is_empty()) {
            block.push_str(&mask_pids(l));
            block.push('\n');
        }
        blocks.push(block);
    }
    blocks.sort();
    blocks
}

/// `text` without its `=ERROR REPORT====` blocks (each up to and with
/// its blank line): what the program printed itself.
fn outside_reports(text: &str) -> String {
    let mut out = String::new();
    let mut in_report = false;
    for line in text.lines() {
        if line.starts_with("=ERROR REPORT==== ") {
            in_report = true;
        } else if in_report {
            in_report = !line.is_empty();
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// Whether `s` is `D-Mon-YYYY::HH:MM:SS.UUUUUU`, as BEAM's logger prints.
fn is_time_stamp(s: &str) -> bool {
    let Some((date, time)) = s.split_once("::") else {
        return false;
    };
    let digits = |t: &str, n: usize| t.len() == n && t.bytes().all(|b| b.is_ascii_digit());
    let date: Vec<&str> = date.split('-').collect();
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let date_ok = matches!(date.as_slice(),
        [d, m, y] if (digits(d, 1) || digits(d, 2)) && MONTHS.contains(m) && digits(y, 4));
    let time: Vec<&str> = time.split([':', '.']).collect();
    let time_ok = matches!(time.as_slice(),
        [h, m, s, us] if digits(h, 2) && digits(m, 2) && digits(s, 2) && digits(us, 6));
    date_ok && time_ok
}

/// `line` with every `<A.B.C>` pid written `<PID>`.
fn mask_pids(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        match tail.find('>').filter(|&j| {
            let inner = &tail[1..j];
            inner.split('.').count() == 3
                && inner
                    .split('.')
                    .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        }) {
            Some(j) => {
                out.push_str("<PID>");
                rest = &tail[j + 1..];
            }
            None => {
                out.push('<');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// `tests/erlang/MODULE.erl` and the module it waits for reports with.
fn with_report_wait(module: &str) -> [PathBuf; 2] {
    let erlang = tests_dir().join("erlang");
    [
        erlang.join(format!("{module}.erl")),
        erlang.join("report_wait.erl"),
    ]
}

fn on_enigma(dir: &Path, module: &str, schedulers: &str) -> (String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_enigma-under-test"))
        .args(["run", "+S", schedulers, "-pa"])
        .arg(dir)
        .arg(module)
        .output()
        .expect("run enigma");
    assert!(out.status.success(), "{module}: {out:?}");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn crash_reports_match_erl() {
    if !have("erlc") {
        eprintln!("erl/erlc not installed: skipped");
        return;
    }
    let dir = temp_dir("crash");
    erlc(&with_report_wait("crash_report"), &dir);
    let erl = String::from_utf8_lossy(&erl_main(&dir, "crash_report").stdout).into_owned();
    let want = reports(&erl);
    assert_eq!(want.len(), 4, "erl's reports: {erl}");
    for s in ["1", "2"] {
        let (stdout, stderr) = on_enigma(&dir, "crash_report", s);
        assert_eq!(outside_reports(&stdout), "done\n", "+S {s}: {stdout}");
        assert_eq!(stderr, "", "+S {s}");
        assert_eq!(reports(&stdout), want, "+S {s}: {stdout}");
    }
}

/// `line` with every run of digits written `N`.
fn mask_numbers(line: &str) -> String {
    let mut out = String::new();
    for c in line.chars() {
        if !c.is_ascii_digit() {
            out.push(c);
        } else if !out.ends_with('N') {
            out.push('N');
        }
    }
    out
}

#[test]
fn max_heap_size_reports_match_erl_but_for_figures() {
    if !have("erlc") {
        eprintln!("erl/erlc not installed: skipped");
        return;
    }
    let dir = temp_dir("max_heap_report");
    erlc(&with_report_wait("max_heap_report"), &dir);
    let masked =
        |text: &str| -> Vec<String> { reports(text).iter().map(|r| mask_numbers(r)).collect() };
    let erl = String::from_utf8_lossy(&erl_main(&dir, "max_heap_report").stdout).into_owned();
    let want = masked(&erl);
    assert_eq!(want.len(), 3, "erl's reports: {erl}");
    assert!(want[0].contains("GC Info:"), "{erl}");
    let (stdout, stderr) = on_enigma(&dir, "max_heap_report", "1");
    assert_eq!(outside_reports(&stdout), "done\n", "{stdout}");
    assert_eq!(stderr, "");
    assert_eq!(masked(&stdout), want, "{stdout}");
}

#[test]
fn report_parts() {
    assert!(is_time_stamp("5-Dec-2026::18:06:00.190328"));
    assert!(is_time_stamp("15-Jan-2027::08:00:59.000001"));
    assert!(!is_time_stamp("5-Dec-2026::18:06:00"));
    assert!(!is_time_stamp("5-Dex-2026::18:06:00.190328"));
    assert_eq!(mask_pids("x <0.79.0>, <a> <1.2>"), "x <PID>, <a> <1.2>");
    let text =
        "out\n=ERROR REPORT==== 5-Dec-2026::18:06:00.190328 ===\nError in <0.1.0>\n{a}\n\nmore\n";
    assert_eq!(
        reports(text),
        ["=ERROR REPORT==== TIME ===\nError in <PID>\n{a}\n"]
    );
    assert_eq!(outside_reports(text), "out\nmore\n");
}
