//! The state behind a `zlib` stream reference (erts' `zlib_data_t`): the
//! C stream, its input queue, the checksums `zlib:crc32/1` reads, the
//! stash and the controlling process; and the codec step `deflate_nif/4`
//! and `inflate_nif/4` share (`zlib_flush_queue` and `zlib_codec`).

use std::collections::VecDeque;
use std::ffi::c_int;

use enigma_vm::process::Message;
use enigma_vm::term::Term;

use super::ffi::{self, Side, ZStream, Z_BUF_ERROR, Z_NEED_DICT, Z_NO_FLUSH, Z_OK, Z_STREAM_END};

/// What a stream was last initialised as (erts' `zlib_state_t`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum State {
    /// Opened, or ended, not initialised.
    None,
    /// `deflateInit` succeeded.
    Deflate,
    /// `inflateInit` succeeded.
    Inflate,
    /// `close/1`d: only the reference remains.
    Closed,
}

/// What inflating does with input after the end of a stream
/// (`inflateInit/3`'s `EoSBehavior`, numbered as `zlib.erl` passes it).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum EndOfStream {
    /// `error`: a data error.
    Error,
    /// `reset`: inflate it as the next stream (concatenated gzip members).
    Reset,
    /// `cut`: drop it (the default).
    Cut,
}

impl EndOfStream {
    /// From `zlib.erl`'s number (0, 1, 2); others act as `cut`.
    pub fn from_arg(n: i32) -> EndOfStream {
        match n {
            0 => EndOfStream::Error,
            1 => EndOfStream::Reset,
            _ => EndOfStream::Cut,
        }
    }
}

/// One stream's state, behind a mutex in a magic reference.
pub struct ZData {
    /// The C stream.
    pub z: ZStream,
    /// What it is initialised as.
    pub state: State,
    /// What to do with input after the end of the stream.
    pub eos: EndOfStream,
    /// Whether inflating reached the end of the stream.
    pub eos_seen: bool,
    /// CRC-32 of the plain text deflated (raw streams only).
    pub input_crc: u64,
    /// CRC-32 of the plain text inflated (raw streams only).
    pub output_crc: u64,
    /// Whether `input_crc` / `output_crc` are kept.
    pub want_input_crc: bool,
    /// See `want_input_crc`.
    pub want_output_crc: bool,
    /// A raw stream (negative window bits).
    pub is_raw: bool,
    /// `inflateChunk/1`'s output size (`setBufSize/2`).
    pub buf_size: i32,
    /// The only process that may use the stream (a local pid).
    pub controller: Term,
    /// Input enqueued and not consumed yet, in order; `head` bytes of the
    /// first block are consumed.
    pub queue: VecDeque<Vec<u8>>,
    head: usize,
    /// The term `setStash_nif/2` keeps (progress held across calls).
    pub stash: Option<Message>,
}

/// What one codec step gives back to `zlib.erl`.
pub enum Step {
    /// zlib's code for an error, or a code that is returned as is.
    Code(c_int),
    /// No progress although input remains: a data error.
    Stuck,
    /// `{finished, Output}`.
    Finished(Vec<u8>),
    /// `{continue, Output}`.
    Continue(Vec<u8>),
    /// `{need_dictionary, Adler, Output}`.
    NeedDict(u64, Vec<u8>),
}

impl ZData {
    /// A fresh stream owned by `controller` (erts' `zlib_open`).
    pub fn new(controller: Term) -> ZData {
        ZData {
            z: ZStream::new(),
            state: State::None,
            eos: EndOfStream::Cut,
            eos_seen: false,
            input_crc: 0,
            output_crc: 0,
            want_input_crc: false,
            want_output_crc: false,
            is_raw: false,
            buf_size: 4000,
            controller,
            queue: VecDeque::new(),
            head: 0,
            stash: None,
        }
    }

    /// Bytes in the input queue.
    pub fn queued(&self) -> usize {
        self.queue.iter().map(Vec::len).sum::<usize>() - self.head
    }

    /// Drops the input queue and the stash (`zlib_reset_input`).
    pub fn reset_input(&mut self) {
        self.queue.clear();
        self.head = 0;
        self.stash = None;
    }

    /// Ends the C stream and marks the reference closed
    /// (`zlib_internal_close`).
    pub fn close(&mut self) {
        self.z.end();
        self.stash = None;
        self.state = State::Closed;
    }

    /// `deflateReset` or `inflateReset`, which also forget the side's
    /// checksum, the end of the stream, the input and the stash.
    pub fn reset(&mut self) -> c_int {
        let res = self.z.reset();
        match self.state {
            State::Deflate => self.input_crc = 0,
            _ => self.output_crc = 0,
        }
        self.eos_seen = false;
        self.reset_input();
        res
    }

    /// `deflateEnd` or `inflateEnd`: a data error when input is left or,
    /// inflating, the stream did not end; the stream is then not
    /// initialised whatever zlib said.
    pub fn end(&mut self) -> c_int {
        let unfinished = self.state == State::Inflate && !self.eos_seen;
        let mut res = self.z.end();
        if res == Z_OK && (unfinished || self.queued() > 0) {
            res = ffi::Z_DATA_ERROR;
        }
        self.reset_input();
        self.state = State::None;
        res
    }

    /// After a successful init as `side` with `bits` window bits.
    pub fn initialised(&mut self, side: Side, bits: i32) {
        self.state = match side {
            Side::Deflate => State::Deflate,
            Side::Inflate => State::Inflate,
        };
        self.eos_seen = false;
        self.is_raw = bits < 0;
        self.want_input_crc = side == Side::Deflate && self.is_raw;
        self.want_output_crc = side == Side::Inflate && self.is_raw;
        self.input_crc = 0;
        self.output_crc = 0;
    }

    /// Drops `n` bytes from the front of the queue (there are as many).
    fn dequeue(&mut self, mut n: usize) {
        while n > 0 {
            let Some(first) = self.queue.front() else {
                return;
            };
            let left = first.len() - self.head;
            if n < left {
                self.head += n;
                return;
            }
            n -= left;
            self.head = 0;
            self.queue.pop_front();
        }
    }

    /// Codes queued input through the stream: whole queue blocks with no
    /// flush until `input_limit` bytes are consumed or the output (of
    /// `output_size` bytes) is full, then, with the queue empty and room
    /// left, one call with `flush` (`zlib_flush_queue` and `zlib_codec`).
    pub fn codec(&mut self, input_limit: usize, output_size: usize, flush: c_int) -> Step {
        let mut out = Vec::with_capacity(output_size);
        let mut consumed = 0;
        let mut res = Z_OK;
        let mut block = 0;
        while res == Z_OK && block < self.queue.len() && consumed < input_limit {
            let start = if block == 0 { self.head } else { 0 };
            let bytes = &self.queue[block][start..];
            let input = &bytes[..bytes.len().min(input_limit)];
            let (r, used) = self.z.code(input, &mut out, output_size, Z_NO_FLUSH);
            res = r;
            consumed += used;
            if self.want_input_crc {
                self.input_crc = ffi::crc32(self.input_crc, &input[..used]);
            }
            block += 1;
        }
        self.dequeue(consumed);
        let remaining = self.queued();
        if res == Z_OK && remaining == 0 && out.len() < output_size {
            // The end of the input: flush (a no-op when nothing is left).
            res = self.z.code(&[], &mut out, output_size, flush).0;
        }
        let produced = out.len();
        if res < 0 && res != Z_BUF_ERROR {
            return Step::Code(res);
        }
        if res == Z_STREAM_END {
            self.eos_seen = true;
        }
        if self.want_output_crc {
            self.output_crc = ffi::crc32(self.output_crc, &out);
        }
        if consumed == 0 && produced == 0 && remaining != 0 {
            Step::Stuck
        } else if remaining == 0 && produced < output_size {
            Step::Finished(out)
        } else if res != Z_NEED_DICT {
            Step::Continue(out)
        } else {
            Step::NeedDict(self.z.adler(), out)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stream(side: Side, bits: i32) -> ZData {
        let mut d = ZData::new(Term::NIL);
        let res = match side {
            Side::Deflate => d.z.deflate_init(-1, 8, bits, 8, 0),
            Side::Inflate => d.z.inflate_init(bits),
        };
        assert_eq!(res, Z_OK);
        d.initialised(side, bits);
        d
    }

    /// Runs codec steps until one finishes, joining their output.
    fn drain(d: &mut ZData, flush: c_int) -> Vec<u8> {
        let mut all = Vec::new();
        loop {
            match d.codec(8192, 8192, flush) {
                Step::Continue(out) => all.extend(out),
                Step::Finished(out) => return [all, out].concat(),
                _ => panic!("unexpected step"),
            }
        }
    }

    #[test]
    fn raw_round_trip_keeps_crcs() {
        let text: Vec<u8> = (0..100_000u32)
            .flat_map(|i| (i % 251).to_le_bytes())
            .collect();
        let mut d = stream(Side::Deflate, -15);
        d.queue.extend(text.chunks(10_000).map(<[u8]>::to_vec));
        let packed = drain(&mut d, libz_sys::Z_FINISH);
        assert!(packed.len() < text.len() / 10);
        assert_eq!(d.input_crc, ffi::crc32(0, &text));
        assert_eq!(d.end(), Z_OK);

        let mut i = stream(Side::Inflate, -15);
        i.queue.push_back(packed);
        let plain = drain(&mut i, Z_NO_FLUSH);
        assert_eq!(plain, text);
        assert!(i.eos_seen);
        assert_eq!(i.output_crc, ffi::crc32(0, &text));
        assert_eq!(i.end(), Z_OK);
    }

    #[test]
    fn corrupt_input_is_a_data_error_and_early_end_too() {
        let mut i = stream(Side::Inflate, 15);
        i.queue.push_back(b"not a zlib stream".to_vec());
        assert!(matches!(
            i.codec(8192, 16384, Z_NO_FLUSH),
            Step::Code(ffi::Z_DATA_ERROR)
        ));
        let mut j = stream(Side::Inflate, 15);
        assert_eq!(j.end(), ffi::Z_DATA_ERROR);
        assert_eq!(j.state, State::None);
    }

    #[test]
    fn a_preset_dictionary_is_asked_for() {
        let dict = b"a dictionary of words".to_vec();
        let mut d = stream(Side::Deflate, 15);
        assert_eq!(d.z.set_dictionary(&dict), Z_OK);
        d.queue.push_back(b"words of a dictionary".to_vec());
        let packed = drain(&mut d, libz_sys::Z_FINISH);
        let mut i = stream(Side::Inflate, 15);
        i.queue.push_back(packed);
        match i.codec(8192, 16384, Z_NO_FLUSH) {
            Step::NeedDict(adler, out) => {
                assert_eq!(adler, ffi::adler32(1, &dict));
                assert!(out.is_empty());
            }
            _ => panic!("no dictionary asked for"),
        }
        assert_eq!(i.z.set_dictionary(&dict), Z_OK);
        assert_eq!(drain(&mut i, Z_NO_FLUSH), b"words of a dictionary");
    }
}
