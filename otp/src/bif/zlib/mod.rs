//! Module `zlib`: OTP's own `zlib.erl` (erts' preloaded module) is loaded
//! unchanged, and its NIF stubs enter these functions (the loader's
//! native entries), erts' `zlib_nif.c` on C zlib, so every exported
//! function, the one-shot `compress/1` & co. included, runs `zlib.erl`'s
//! code with BEAM's bytes and errors.
//!
//! A stream is a magic reference owning a [`ZData`] (erts' resource): only
//! its controlling process may use it (`not_on_controlling_process`
//! otherwise); a bad argument is `badarg`, a zlib stream or data error is
//! raised as `stream_error` / `data_error`, other zlib codes are returned
//! as atoms, as `zlib_return` does.

// The C zlib calls: the only unsafe code of the zlib NIFs.
#[allow(unsafe_code)]
mod ffi;
mod stream;

use std::ffi::c_int;
use std::sync::Arc;

use enigma_vm::bif::{BifEntry, BifFn};
use enigma_vm::exception::Exception;
use enigma_vm::process::{Message, Process};
use enigma_vm::term::copy::copy_onto;
use enigma_vm::term::ids::fresh_ref_ids;
use enigma_vm::term::magic::Magic;
use enigma_vm::term::{Kind, Term};
use flate2::{Decompress, FlushDecompress, Status};
use parking_lot::Mutex;

use crate::bif::arg::entry;
use crate::bif::helpers::{atom, iodata_bytes};
use ffi::Side;
use stream::{EndOfStream, State, Step, ZData};

/// The `zlib` NIFs (`zlib.erl`'s `-nifs` list).
pub const TABLE: &[BifEntry] = &[
    e("open_nif", 0, open_nif),
    e("close_nif", 1, close_nif),
    e("set_controller_nif", 2, set_controller_nif),
    e("deflateInit_nif", 6, deflate_init_nif),
    e("deflateSetDictionary_nif", 2, deflate_set_dictionary_nif),
    e("deflateReset_nif", 1, deflate_reset_nif),
    e("deflateEnd_nif", 1, deflate_end_nif),
    e("deflateParams_nif", 3, deflate_params_nif),
    e("deflate_nif", 4, deflate_nif),
    e("inflateInit_nif", 3, inflate_init_nif),
    e("inflateSetDictionary_nif", 2, inflate_set_dictionary_nif),
    e("inflateGetDictionary_nif", 1, inflate_get_dictionary_nif),
    e("inflateReset_nif", 1, inflate_reset_nif),
    e("inflateEnd_nif", 1, inflate_end_nif),
    e("inflate_nif", 4, inflate_nif),
    e("crc32_nif", 1, crc32_nif),
    e("getStash_nif", 1, get_stash_nif),
    e("clearStash_nif", 1, clear_stash_nif),
    e("setStash_nif", 2, set_stash_nif),
    e("getBufSize_nif", 1, get_buf_size_nif),
    e("setBufSize_nif", 2, set_buf_size_nif),
    e("enqueue_nif", 2, enqueue_nif),
];

const fn e(name: &'static str, arity: u32, f: BifFn) -> BifEntry {
    entry("zlib", name, arity, f)
}

/// How many list elements `enqueue_nif/2` takes per call (erts'
/// `enif_inspect_iovec` limit); `zlib.erl` calls again with the rest.
const ENQUEUE_MAX: usize = 256;

/// BEAM's reductions per time slice (`CONTEXT_REDS`), which
/// `enif_consume_timeslice` charges by percent.
const SLICE_REDS: usize = 4000;

fn raise(name: &str) -> Exception {
    match atom(name) {
        Ok(a) => Exception::error(a),
        Err(e) => e,
    }
}

/// A C int argument (`enif_get_int`).
fn int_arg(t: Term) -> Result<i32, Exception> {
    t.as_small()
        .and_then(|v| i32::try_from(v).ok())
        .ok_or_else(Exception::badarg)
}

/// The stream behind a reference (`badarg` for anything else).
fn resource(t: Term) -> Result<Arc<Magic>, Exception> {
    t.as_magic()
        .filter(|m| m.get::<Mutex<ZData>>().is_some())
        .ok_or_else(Exception::badarg)
}

/// Runs `f` on the stream `t` once the caller is its controlling process.
fn with<R>(
    p: &mut Process,
    t: Term,
    f: impl FnOnce(&mut Process, &mut ZData) -> Result<R, Exception>,
) -> Result<R, Exception> {
    let magic = resource(t)?;
    let cell = magic.get::<Mutex<ZData>>().ok_or_else(Exception::badarg)?;
    let mut d = cell.lock();
    if d.controller != p.pid {
        return Err(raise("not_on_controlling_process"));
    }
    f(p, &mut d)
}

/// [`with`] for a stream initialised as `state` (`not_initialized` else).
fn with_state<R>(
    p: &mut Process,
    t: Term,
    state: State,
    f: impl FnOnce(&mut Process, &mut ZData) -> Result<R, Exception>,
) -> Result<R, Exception> {
    with(p, t, |p, d| {
        if d.state != state {
            return Err(raise("not_initialized"));
        }
        f(p, d)
    })
}

/// zlib's code as erts' `zlib_return` gives it: an atom, `errno`, or
/// raised for stream and data errors.
fn zlib_return(code: c_int) -> Result<Term, Exception> {
    atom(match code {
        ffi::Z_OK => "ok",
        ffi::Z_STREAM_END => "stream_end",
        ffi::Z_ERRNO => {
            let errno = std::io::Error::last_os_error().raw_os_error().unwrap_or(0);
            return Ok(Term::small(i64::from(errno)));
        }
        ffi::Z_STREAM_ERROR => return Err(raise("stream_error")),
        ffi::Z_DATA_ERROR => return Err(raise("data_error")),
        ffi::Z_MEM_ERROR => "mem_error",
        ffi::Z_BUF_ERROR => "buf_error",
        ffi::Z_VERSION_ERROR => "version_error",
        _ => "unknown_error",
    })
}

fn open_nif(p: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    let magic = Magic::new(Mutex::new(ZData::new(p.pid)));
    Ok(p.heap.magic_ref(fresh_ref_ids(), magic))
}

fn close_nif(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    with(p, args[0], |_, d| {
        if d.state == State::Closed {
            return Err(raise("not_initialized"));
        }
        d.close();
        atom("ok")
    })
}

fn set_controller_nif(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    resource(args[0])?;
    let owner = args[1];
    owner.as_local_pid().ok_or_else(Exception::badarg)?;
    with(p, args[0], |_, d| {
        d.controller = owner;
        atom("ok")
    })
}

fn deflate_init_nif(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    resource(args[0])?;
    let [level, method, bits, mem, strategy] = [1, 2, 3, 4, 5].map(|i| int_arg(args[i]));
    let (level, method, bits, mem, strategy) = (level?, method?, bits?, mem?, strategy?);
    with(p, args[0], |_, d| {
        if d.state != State::None {
            return Err(raise("already_initialized"));
        }
        let res = d.z.deflate_init(level, method, bits, mem, strategy);
        if res == ffi::Z_OK {
            d.initialised(Side::Deflate, bits);
        }
        zlib_return(res)
    })
}

fn deflate_set_dictionary_nif(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    resource(args[0])?;
    let dict = iodata_bytes(args[1]).ok_or_else(Exception::badarg)?;
    with_state(p, args[0], State::Deflate, |p, d| {
        let res = d.z.set_dictionary(&dict);
        if res != ffi::Z_OK {
            return zlib_return(res);
        }
        // zlib leaves `adler` alone for a raw stream: erts computes it
        // (from 0, not adler32's initial 1).
        let checksum = if d.is_raw {
            ffi::adler32(0, &dict)
        } else {
            d.z.adler()
        };
        Ok(p.heap.int(checksum as i64))
    })
}

fn deflate_reset_nif(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    with_state(p, args[0], State::Deflate, |_, d| zlib_return(d.reset()))
}

fn deflate_end_nif(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    with_state(p, args[0], State::Deflate, |_, d| zlib_return(d.end()))
}

fn deflate_params_nif(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    resource(args[0])?;
    let (level, strategy) = (int_arg(args[1])?, int_arg(args[2])?);
    with_state(p, args[0], State::Deflate, |_, d| {
        // `zlib.erl` flushed first, so nothing should be pending; a byte
        // written into erts' one-byte buffer says otherwise.
        match d.z.deflate_params(level, strategy) {
            (_, true) => zlib_return(ffi::Z_STREAM_ERROR),
            (res, false) => zlib_return(res),
        }
    })
}

/// `deflate_nif/4` and `inflate_nif/4`'s arguments: the input and output
/// chunk sizes and the flush mode.
fn codec_args(args: &[Term]) -> Result<(i32, i32, i32), Exception> {
    resource(args[0])?;
    Ok((int_arg(args[1])?, int_arg(args[2])?, int_arg(args[3])?))
}

/// One codec step as a term: `{finished | continue, Output}` or
/// `{need_dictionary, Adler, Output}`, Output a list of at most one binary.
fn codec(
    p: &mut Process,
    d: &mut ZData,
    (input, output, flush): (i32, i32, i32),
) -> Result<Term, Exception> {
    // enif_alloc_binary fails on a negative size (a size_t that large).
    let Ok(output) = usize::try_from(output) else {
        return zlib_return(ffi::Z_MEM_ERROR);
    };
    // A negative int is a huge size_t in erts' loop.
    let limit = usize::try_from(input).unwrap_or(usize::MAX);
    let before = d.queued();
    let step = d.codec(limit, output, flush);
    let consumed = before - d.queued();
    p.charge(
        (consumed.saturating_mul(SLICE_REDS) / limit.max(1)).clamp(SLICE_REDS / 100, SLICE_REDS),
    );
    let (tag, adler, bytes) = match step {
        Step::Code(res) => return zlib_return(res),
        Step::Stuck => return zlib_return(ffi::Z_DATA_ERROR),
        Step::Finished(out) => ("finished", None, out),
        Step::Continue(out) => ("continue", None, out),
        Step::NeedDict(adler, out) => ("need_dictionary", Some(adler), out),
    };
    let list = if bytes.is_empty() {
        Term::NIL
    } else {
        let bin = p.heap.binary(&bytes);
        p.heap.list(&[bin])
    };
    let tag = atom(tag)?;
    Ok(match adler {
        Some(adler) => {
            let adler = p.heap.int(adler as i64);
            p.heap.tuple(&[tag, adler, list])
        }
        None => p.heap.tuple(&[tag, list]),
    })
}

fn deflate_nif(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let sizes = codec_args(args)?;
    with_state(p, args[0], State::Deflate, |p, d| codec(p, d, sizes))
}

fn inflate_init_nif(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    resource(args[0])?;
    let (bits, eos) = (int_arg(args[1])?, int_arg(args[2])?);
    with(p, args[0], |_, d| {
        if d.state != State::None {
            return Err(raise("already_initialized"));
        }
        let res = d.z.inflate_init(bits);
        if res == ffi::Z_OK {
            d.initialised(Side::Inflate, bits);
            d.eos = EndOfStream::from_arg(eos);
        }
        zlib_return(res)
    })
}

fn inflate_set_dictionary_nif(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    resource(args[0])?;
    let dict = iodata_bytes(args[1]).ok_or_else(Exception::badarg)?;
    with_state(p, args[0], State::Inflate, |_, d| {
        zlib_return(d.z.set_dictionary(&dict))
    })
}

fn inflate_get_dictionary_nif(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    with_state(p, args[0], State::Inflate, |p, d| {
        match d.z.get_dictionary() {
            Ok(dict) => Ok(p.heap.binary(&dict)),
            Err(res) => zlib_return(res),
        }
    })
}

fn inflate_reset_nif(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    with_state(p, args[0], State::Inflate, |_, d| zlib_return(d.reset()))
}

fn inflate_end_nif(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    with_state(p, args[0], State::Inflate, |_, d| zlib_return(d.end()))
}

fn inflate_nif(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let sizes = codec_args(args)?;
    with_state(p, args[0], State::Inflate, |p, d| {
        if d.eos_seen && d.queued() > 0 {
            match d.eos {
                EndOfStream::Error => return zlib_return(ffi::Z_DATA_ERROR),
                EndOfStream::Reset => {
                    let res = d.z.reset();
                    if res != ffi::Z_OK {
                        return zlib_return(res);
                    }
                    d.eos_seen = false;
                }
                EndOfStream::Cut => d.reset_input(),
            }
        }
        codec(p, d, sizes)
    })
}

fn crc32_nif(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    with(p, args[0], |p, d| {
        let crc = match d.state {
            State::Deflate => d.input_crc,
            State::Inflate => d.output_crc,
            _ => return Err(raise("not_initialized")),
        };
        Ok(p.heap.int(crc as i64))
    })
}

fn get_stash_nif(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    with(p, args[0], |p, d| {
        let Some(stash) = &d.stash else {
            return atom("empty");
        };
        let term = copy_onto(stash.term, &mut p.heap).map_err(|_| Exception::badarg())?;
        Ok(p.heap.tuple(&[atom("ok")?, term]))
    })
}

fn clear_stash_nif(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    with(p, args[0], |_, d| {
        d.stash.take().ok_or_else(|| raise("error"))?;
        atom("ok")
    })
}

fn set_stash_nif(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    with(p, args[0], |_, d| {
        if d.stash.is_some() {
            return Err(raise("error"));
        }
        d.stash = Some(Message::copy(args[1]).map_err(|_| Exception::badarg())?);
        atom("ok")
    })
}

fn get_buf_size_nif(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    with(p, args[0], |_, d| Ok(Term::small(i64::from(d.buf_size))))
}

fn set_buf_size_nif(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    with(p, args[0], |_, d| {
        d.buf_size = int_arg(args[1])?;
        atom("ok")
    })
}

/// Queues the binaries of an iovec (a list of binaries, as
/// `erlang:iolist_to_iovec/1` makes): `ok`, or `{continue, Rest}` after
/// [`ENQUEUE_MAX`] of them.
fn enqueue_nif(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    with(p, args[0], |p, d| {
        if !matches!(d.state, State::Deflate | State::Inflate) {
            return Err(raise("not_initialized"));
        }
        let mut blocks = Vec::new();
        let mut rest = args[1];
        while blocks.len() < ENQUEUE_MAX && rest.kind() == Kind::List {
            let (head, tail) = rest.as_cons().ok_or_else(Exception::badarg)?;
            blocks.push(head.as_binary().ok_or_else(Exception::badarg)?);
            rest = tail;
        }
        if blocks.len() < ENQUEUE_MAX && rest != Term::NIL {
            return Err(Exception::badarg());
        }
        d.queue.extend(
            blocks
                .into_iter()
                .filter(|b| !b.is_empty())
                .map(<[u8]>::to_vec),
        );
        if rest == Term::NIL {
            return atom("ok");
        }
        Ok(p.heap.tuple(&[atom("continue")?, rest]))
    })
}

/// The bytes a gzip stream holds (`None` if it is not one), for
/// `erlang:prepare_loading/2`'s compressed `.beam` files.
pub fn gunzip_bytes(data: &[u8]) -> Option<Vec<u8>> {
    let mut z = Decompress::new_gzip(15);
    let mut out = Vec::with_capacity(data.len() * 2 + 64);
    loop {
        let consumed = z.total_in() as usize;
        let before = (z.total_in(), z.total_out());
        out.reserve(out.len().max(64));
        match z
            .decompress_vec(&data[consumed..], &mut out, FlushDecompress::None)
            .ok()?
        {
            Status::StreamEnd => return Some(out),
            _ if (z.total_in(), z.total_out()) == before => return None,
            _ => {}
        }
    }
}
