//! A C zlib stream (`z_stream`) owned by Rust: the calls the zlib NIFs
//! make, each one the C function of the same name, returning zlib's code.
//! C zlib (`libz-sys`, the system's library as BEAM links it) gives BEAM's
//! bytes; every `unsafe` block of the zlib NIFs is in this file.

use std::ffi::{c_int, c_uint, c_void};

use libz_sys as z;

/// zlib's return codes the NIFs tell apart.
pub const Z_OK: c_int = z::Z_OK;
/// The end of the stream was reached.
pub const Z_STREAM_END: c_int = z::Z_STREAM_END;
/// A preset dictionary is needed.
pub const Z_NEED_DICT: c_int = z::Z_NEED_DICT;
/// A system error (`errno`).
pub const Z_ERRNO: c_int = z::Z_ERRNO;
/// Bad parameters or state.
pub const Z_STREAM_ERROR: c_int = z::Z_STREAM_ERROR;
/// Corrupt input.
pub const Z_DATA_ERROR: c_int = z::Z_DATA_ERROR;
/// Out of memory.
pub const Z_MEM_ERROR: c_int = z::Z_MEM_ERROR;
/// No progress was possible.
pub const Z_BUF_ERROR: c_int = z::Z_BUF_ERROR;
/// Incompatible library version.
pub const Z_VERSION_ERROR: c_int = z::Z_VERSION_ERROR;
/// Flush mode: none.
pub const Z_NO_FLUSH: c_int = z::Z_NO_FLUSH;

extern "C" {
    // zlib 1.2.7.1 and later; libz-sys does not declare it.
    fn inflateGetDictionary(strm: z::z_streamp, dictionary: *mut u8, len: *mut c_uint) -> c_int;
}

/// zlib's window is at most 32 KiB, so is a dictionary it returns.
const DICT_MAX: usize = 32768;

/// zlib's allocator, as its default (`malloc`, not zeroed: a deflate
/// state is over 256 KiB that zlib initialises itself).
extern "C" fn zalloc(_: *mut c_void, items: c_uint, size: c_uint) -> *mut c_void {
    let Some(bytes) = (items as usize).checked_mul(size as usize) else {
        return std::ptr::null_mut();
    };
    // SAFETY: malloc has no preconditions; zlib checks for NULL.
    unsafe { libc::malloc(bytes) }
}

extern "C" fn zfree(_: *mut c_void, ptr: *mut c_void) {
    // SAFETY: zlib frees only what `zalloc` returned.
    unsafe { libc::free(ptr) }
}

/// Which side a stream was initialised for (what its end calls).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Side {
    /// `deflateInit2`.
    Deflate,
    /// `inflateInit2`.
    Inflate,
}

/// A `z_stream`, boxed because zlib's state points back at it; `side` is
/// set while zlib holds state for it (between a successful init and its
/// end), and dropping the stream ends it.
pub struct ZStream {
    s: Box<z::z_stream>,
    side: Option<Side>,
}

// SAFETY: a z_stream holds no thread-bound state; the NIFs reach it
// through a mutex, one thread at a time.
unsafe impl Send for ZStream {}

impl Default for ZStream {
    fn default() -> Self {
        ZStream::new()
    }
}

impl ZStream {
    /// A stream not initialised yet (`Z_BINARY`, as erts' `zlib_open`).
    pub fn new() -> ZStream {
        ZStream {
            s: Box::new(z::z_stream {
                next_in: std::ptr::null_mut(),
                avail_in: 0,
                total_in: 0,
                next_out: std::ptr::null_mut(),
                avail_out: 0,
                total_out: 0,
                msg: std::ptr::null_mut(),
                state: std::ptr::null_mut(),
                zalloc,
                zfree,
                opaque: std::ptr::null_mut(),
                data_type: z::Z_BINARY,
                adler: 0,
                reserved: 0,
            }),
            side: None,
        }
    }

    /// The stream's `adler` field (the dictionary's id at `Z_NEED_DICT`).
    pub fn adler(&self) -> u64 {
        self.s.adler
    }

    fn stream_size() -> c_int {
        std::mem::size_of::<z::z_stream>() as c_int
    }

    /// `deflateInit2`.
    pub fn deflate_init(
        &mut self,
        level: i32,
        method: i32,
        bits: i32,
        mem: i32,
        strategy: i32,
    ) -> c_int {
        self.end();
        // SAFETY: the stream is boxed (it does not move) and not initialised.
        let res = unsafe {
            z::deflateInit2_(
                &mut *self.s,
                level,
                method,
                bits,
                mem,
                strategy,
                z::zlibVersion(),
                Self::stream_size(),
            )
        };
        if res == Z_OK {
            self.side = Some(Side::Deflate);
        }
        res
    }

    /// `inflateInit2`.
    pub fn inflate_init(&mut self, bits: i32) -> c_int {
        self.end();
        // SAFETY: the stream is boxed (it does not move) and not initialised.
        let res =
            unsafe { z::inflateInit2_(&mut *self.s, bits, z::zlibVersion(), Self::stream_size()) };
        if res == Z_OK {
            self.side = Some(Side::Inflate);
        }
        res
    }

    /// One `deflate` or `inflate` call (by the stream's side) on `input`,
    /// appending to `out` until it is `limit` bytes long (in its spare
    /// capacity, which need not be initialised, as erts' binary is not).
    /// Returns zlib's code and the bytes of `input` consumed.
    pub fn code(
        &mut self,
        input: &[u8],
        out: &mut Vec<u8>,
        limit: usize,
        flush: c_int,
    ) -> (c_int, usize) {
        let Some(side) = self.side else {
            return (Z_STREAM_ERROR, 0);
        };
        let want = limit.saturating_sub(out.len());
        out.reserve_exact(want);
        let room = &mut out.spare_capacity_mut()[..want];
        // zlib never writes through next_in; its buffers are at most 4 GiB here.
        self.s.next_in = input.as_ptr().cast_mut();
        self.s.avail_in = c_uint::try_from(input.len()).unwrap_or(c_uint::MAX);
        self.s.next_out = room.as_mut_ptr().cast();
        self.s.avail_out = c_uint::try_from(room.len()).unwrap_or(c_uint::MAX);
        let (avail_in, avail_out) = (self.s.avail_in, self.s.avail_out);
        // SAFETY: next_in/next_out describe live buffers of the given
        // lengths, and the stream was initialised for this side.
        let res = unsafe {
            match side {
                Side::Deflate => z::deflate(&mut *self.s, flush),
                Side::Inflate => z::inflate(&mut *self.s, flush),
            }
        };
        let written = (avail_out - self.s.avail_out) as usize;
        // SAFETY: zlib wrote `written` bytes at the start of the spare capacity.
        unsafe { out.set_len(out.len() + written) };
        let consumed = (avail_in - self.s.avail_in) as usize;
        self.s.next_in = std::ptr::null_mut();
        self.s.next_out = std::ptr::null_mut();
        (res, consumed)
    }

    /// `deflateParams` with a one-byte output buffer, as erts calls it (the
    /// caller flushed first); also whether that byte was used.
    pub fn deflate_params(&mut self, level: i32, strategy: i32) -> (c_int, bool) {
        if self.side != Some(Side::Deflate) {
            return (Z_STREAM_ERROR, false);
        }
        let mut dummy = 0u8;
        self.s.next_out = &mut dummy;
        self.s.avail_out = 1;
        // SAFETY: an initialised deflate stream; next_out is one live byte.
        let res = unsafe { z::deflateParams(&mut *self.s, level, strategy) };
        let used = self.s.avail_out == 0;
        self.s.next_out = std::ptr::null_mut();
        self.s.avail_out = 0;
        (res, used)
    }

    /// `deflateSetDictionary` or `inflateSetDictionary`, by the side.
    pub fn set_dictionary(&mut self, dict: &[u8]) -> c_int {
        let len = c_uint::try_from(dict.len()).unwrap_or(c_uint::MAX);
        // SAFETY: an initialised stream of that side; `dict` is live for `len` bytes.
        unsafe {
            match self.side {
                Some(Side::Deflate) => z::deflateSetDictionary(&mut *self.s, dict.as_ptr(), len),
                Some(Side::Inflate) => z::inflateSetDictionary(&mut *self.s, dict.as_ptr(), len),
                None => Z_STREAM_ERROR,
            }
        }
    }

    /// `inflateGetDictionary`: the window's contents, or zlib's code.
    pub fn get_dictionary(&mut self) -> Result<Vec<u8>, c_int> {
        if self.side != Some(Side::Inflate) {
            return Err(Z_STREAM_ERROR);
        }
        let mut buf = vec![0u8; DICT_MAX];
        let mut len: c_uint = 0;
        // SAFETY: an initialised inflate stream; zlib writes at most its
        // window size (32 KiB) into `buf`.
        let res = unsafe { inflateGetDictionary(&mut *self.s, buf.as_mut_ptr(), &mut len) };
        if res < 0 {
            return Err(res);
        }
        buf.truncate(len as usize);
        Ok(buf)
    }

    /// `deflateReset` or `inflateReset`, by the side.
    pub fn reset(&mut self) -> c_int {
        // SAFETY: an initialised stream of that side.
        unsafe {
            match self.side {
                Some(Side::Deflate) => z::deflateReset(&mut *self.s),
                Some(Side::Inflate) => z::inflateReset(&mut *self.s),
                None => Z_STREAM_ERROR,
            }
        }
    }

    /// `deflateEnd` or `inflateEnd`, by the side; the stream is then not
    /// initialised (zlib frees its state whatever it returns).
    pub fn end(&mut self) -> c_int {
        let Some(side) = self.side.take() else {
            return Z_STREAM_ERROR;
        };
        // SAFETY: an initialised stream of that side, ended once.
        unsafe {
            match side {
                Side::Deflate => z::deflateEnd(&mut *self.s),
                Side::Inflate => z::inflateEnd(&mut *self.s),
            }
        }
    }
}

impl Drop for ZStream {
    fn drop(&mut self) {
        self.end();
    }
}

/// zlib's `crc32` continued from `crc` over `bytes`.
pub fn crc32(crc: u64, bytes: &[u8]) -> u64 {
    bytes.chunks(1 << 30).fold(crc, |crc, c| {
        // SAFETY: `c` is live for its length, which fits a c_uint.
        unsafe { z::crc32(crc, c.as_ptr(), c.len() as c_uint) }
    })
}

/// zlib's `adler32` continued from `adler` over `bytes`.
pub fn adler32(adler: u64, bytes: &[u8]) -> u64 {
    bytes.chunks(1 << 30).fold(adler, |a, c| {
        // SAFETY: `c` is live for its length, which fits a c_uint.
        unsafe { z::adler32(a, c.as_ptr(), c.len() as c_uint) }
    })
}
