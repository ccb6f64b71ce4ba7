//! Memory per idle process (`enigma-bench --idle-memory`): the resident
//! memory a VM adds for each process waiting in `receive`.
//!
//! Method: `bench_idle` spawns N processes that wait in `receive`, makes
//! sure each has reached it (`process_info(P, status)` answers once the
//! process has run), prints `ready N` and sleeps. When the line appears
//! the runner reads the VM's `VmRSS` (resident now) and `VmHWM` (peak
//! resident) from `/proc/PID/status` and kills it. The same with N = 0
//! gives the VM's own footprint; the difference over N is the figure, in
//! bytes. `erl` runs its emulator in the process it was started as, so
//! both VMs are read the same way (Linux only).

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::Stdio;

use crate::{command, median, Enigma, Vm};

/// The program the measurement runs.
pub const PROGRAM: &str = "bench_idle";

/// Idle processes in a measurement.
pub const PROCESSES: u64 = 100_000;

/// Resident memory of one VM, in kB: now and at its peak.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Rss {
    /// `VmRSS`.
    pub now_kb: u64,
    /// `VmHWM`.
    pub peak_kb: u64,
}

/// Runs `bench_idle` with `n` processes on `vm` and reads its memory once
/// they all wait.
pub fn rss_with(vm: Vm, enigma: &Enigma, ebin: &Path, n: u64) -> Result<Rss, String> {
    let mut child = command(vm, enigma, ebin, PROGRAM, n)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("{vm:?} {PROGRAM}: {e}"))?;
    let ready = child.stdout.take().map(BufReader::new).and_then(|out| {
        out.lines()
            .map_while(Result::ok)
            .find(|l| l.starts_with("ready"))
    });
    let status = std::fs::read_to_string(format!("/proc/{}/status", child.id()));
    let _ = child.kill();
    let _ = child.wait();
    if ready.is_none() {
        return Err(format!("{vm:?} {PROGRAM} {n}: ended before it was ready"));
    }
    let status = status.map_err(|e| format!("/proc/{}/status: {e}", child.id()))?;
    Ok(Rss {
        now_kb: status_kb(&status, "VmRSS:").ok_or("no VmRSS")?,
        peak_kb: status_kb(&status, "VmHWM:").ok_or("no VmHWM")?,
    })
}

/// A `kB` field of `/proc/PID/status`.
fn status_kb(status: &str, field: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with(field))?;
    line[field.len()..].split_whitespace().next()?.parse().ok()
}

/// Bytes per idle process on one VM: resident now and at the peak.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PerProcess {
    /// Growth of `VmRSS` over the processes.
    pub now: u64,
    /// Growth of `VmHWM` over the processes.
    pub peak: u64,
}

/// The bytes per idle process on `vm`: the median of `runs` pairs of
/// runs (N processes, then none), `n` processes.
pub fn per_process(
    vm: Vm,
    enigma: &Enigma,
    ebin: &Path,
    n: u64,
    runs: usize,
) -> Result<PerProcess, String> {
    let (mut now, mut peak) = (Vec::new(), Vec::new());
    for _ in 0..runs.max(1) {
        let full = rss_with(vm, enigma, ebin, n)?;
        let empty = rss_with(vm, enigma, ebin, 0)?;
        let per = |a: u64, b: u64| a.saturating_sub(b) * 1024 / n.max(1);
        now.push(per(full.now_kb, empty.now_kb));
        peak.push(per(full.peak_kb, empty.peak_kb));
    }
    Ok(PerProcess {
        now: median(&mut now),
        peak: median(&mut peak),
    })
}

/// The table `--idle-memory` prints (Markdown).
pub fn table(beam: PerProcess, enigma: PerProcess, n: u64) -> String {
    let ratio = |a: u64, b: u64| a as f64 / b.max(1) as f64;
    format!(
        "| idle processes ({n}) | BEAM (bytes each) | Enigma (bytes each) | Enigma/BEAM |\n\
         |---|---:|---:|---:|\n\
         | resident (VmRSS) | {} | {} | {:.2} |\n\
         | peak resident (VmHWM) | {} | {} | {:.2} |\n",
        beam.now,
        enigma.now,
        ratio(enigma.now, beam.now),
        beam.peak,
        enigma.peak,
        ratio(enigma.peak, beam.peak)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_fields_parse() {
        let s = "Name:\tbeam.smp\nVmHWM:\t  318144 kB\nVmRSS:\t  317000 kB\n";
        assert_eq!(status_kb(s, "VmHWM:"), Some(318_144));
        assert_eq!(status_kb(s, "VmRSS:"), Some(317_000));
        assert_eq!(status_kb(s, "VmSwap:"), None);
        let p = PerProcess {
            now: 2000,
            peak: 3000,
        };
        assert!(table(p, p, 10).contains("| resident (VmRSS) | 2000 | 2000 | 1.00 |"));
    }
}
