//! Standard input for a differential program (`run_X.stdin` beside it):
//! plain bytes, written at once, or a script written in steps so that a
//! program can wait for input that has not come yet — the same way on
//! both VMs, whatever their speed.
//!
//! A script's first line is `%% stdin script`; each later line is
//! `send TEXT` (TEXT and a newline; consecutive sends are one write) or
//! `await TEXT` (write nothing more until the program's standard output
//! holds TEXT). Standard input is closed after the last line.

use std::io::Write;
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

/// What a program reads.
#[derive(Clone, Debug)]
pub enum Input {
    /// These bytes, then the end of input.
    Bytes(Vec<u8>),
    /// Writes, each after the output holds its marker (if any).
    Script(Vec<(Option<String>, Vec<u8>)>),
}

impl Input {
    /// The input a `.stdin` file's contents describe.
    pub fn parse(file: Vec<u8>) -> Input {
        let Some(body) = file.strip_prefix(b"%% stdin script\n") else {
            return Input::Bytes(file);
        };
        let mut steps: Vec<(Option<String>, Vec<u8>)> = vec![(None, Vec::new())];
        for line in String::from_utf8_lossy(body).lines() {
            if let Some(marker) = line.strip_prefix("await ") {
                steps.push((Some(marker.to_string()), Vec::new()));
            } else if let Some(text) = line.strip_prefix("send ") {
                if let Some(last) = steps.last_mut() {
                    last.1.extend_from_slice(text.as_bytes());
                    last.1.push(b'\n');
                }
            }
        }
        Input::Script(steps)
    }
}

/// A program's standard output as it comes, for scripts to wait on.
#[derive(Default)]
pub struct Output {
    bytes: Mutex<Vec<u8>>,
    grew: Condvar,
}

impl Output {
    /// Appends what the program wrote.
    pub fn push(&self, chunk: &[u8]) {
        self.bytes.lock().expect("lock").extend_from_slice(chunk);
        self.grew.notify_all();
    }

    /// Everything written so far.
    pub fn take(&self) -> Vec<u8> {
        std::mem::take(&mut *self.bytes.lock().expect("lock"))
    }

    /// Waits until the output holds `marker`; false at `deadline`.
    fn wait_for(&self, marker: &str, deadline: Instant) -> bool {
        let mut bytes = self.bytes.lock().expect("lock");
        loop {
            if bytes.windows(marker.len()).any(|w| w == marker.as_bytes()) {
                return true;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            bytes = self.grew.wait_timeout(bytes, left).expect("lock").0;
        }
    }
}

/// Writes `input` to `stdin` (waiting on `output` for a script's
/// markers, at most `timeout` in all), then closes it. A program that
/// stops reading early closes the pipe: not an error.
pub fn feed(mut stdin: impl Write, input: &Input, output: &Output, timeout: Duration) {
    match input {
        Input::Bytes(b) => {
            let _ = stdin.write_all(b);
        }
        Input::Script(steps) => {
            let deadline = Instant::now() + timeout;
            for (marker, text) in steps {
                if let Some(m) = marker {
                    if !output.wait_for(m, deadline) {
                        return;
                    }
                }
                if stdin.write_all(text).and_then(|()| stdin.flush()).is_err() {
                    return;
                }
            }
        }
    }
}
