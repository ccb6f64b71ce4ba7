//! A safe face on the PCRE2 C library (`pcre2-sys`, built from its vendored
//! source): compile a pattern, read its groups and names, match it.
//!
//! BEAM links PCRE 8.44; PCRE2 is that library's successor with the same
//! pattern language and options, so Enigma's `re` uses it (see
//! `docs/RUNTIME.md` for where the two differ). No JIT: BEAM's `re` does
//! not use PCRE's JIT either, and the match limits count the interpreter's
//! steps.

use std::ptr;

use pcre2_sys as sys;

/// A compile failure: PCRE2's error code and the pattern offset it names.
#[derive(Debug, Clone, Copy)]
pub struct CompileError {
    /// PCRE2's error code (negative for invalid UTF-8 in the pattern).
    pub code: i32,
    /// Byte offset in the pattern.
    pub offset: usize,
}

/// A compiled pattern: the PCRE2 code and what `re` needs to know of it.
pub struct Code {
    ptr: *mut sys::pcre2_code_8,
    /// Number of capturing groups.
    pub groups: usize,
    /// The name table in PCRE2's order (sorted by name), duplicates adjacent:
    /// each name with its group number.
    pub names: Vec<(Vec<u8>, usize)>,
    /// The newline convention in force (`PCRE2_NEWLINE_*`).
    pub newline: u32,
    /// Whether the pattern is in UTF mode (option or `(*UTF)`).
    pub utf: bool,
}

// SAFETY: compiled PCRE2 code is immutable after `pcre2_compile`, and PCRE2
// documents matching one code from several threads at once as safe.
unsafe impl Send for Code {}
// SAFETY: as above: `&Code` only reads the compiled code.
unsafe impl Sync for Code {}

impl Drop for Code {
    fn drop(&mut self) {
        // SAFETY: `ptr` came from `pcre2_compile_8` and is freed once, here.
        unsafe { sys::pcre2_code_free_8(self.ptr) }
    }
}

/// The outcome of one match attempt.
pub enum Outcome {
    /// Matched: each group's `(start, end)`, `None` when unset, as many as
    /// PCRE2 reports (the highest set group and those before it).
    Match(Vec<Option<(usize, usize)>>),
    /// No match.
    NoMatch,
    /// Another PCRE2 error (a limit, bad UTF-8 in the subject, ...).
    Error(i32),
}

/// Compiles `pattern` with PCRE2 `options`, `newline` and `bsr` (0: the
/// library's default).
pub fn compile(pattern: &[u8], options: u32, newline: u32, bsr: u32) -> Result<Code, CompileError> {
    let mut code = 0;
    let mut offset = 0;
    // SAFETY: the context is created, used and freed here; the pattern
    // pointer and length describe a live slice; the tables are static.
    let ptr = unsafe {
        let ctx = sys::pcre2_compile_context_create_8(ptr::null_mut());
        if !ctx.is_null() {
            sys::pcre2_set_character_tables_8(ctx, super::latin1::TABLES.as_ptr());
            if newline != 0 {
                sys::pcre2_set_newline_8(ctx, newline);
            }
            if bsr != 0 {
                sys::pcre2_set_bsr_8(ctx, bsr);
            }
        }
        let p = sys::pcre2_compile_8(
            pattern.as_ptr(),
            pattern.len(),
            options,
            &mut code,
            &mut offset,
            ctx,
        );
        if !ctx.is_null() {
            sys::pcre2_compile_context_free_8(ctx);
        }
        p
    };
    if ptr.is_null() {
        return Err(CompileError { code, offset });
    }
    let mut c = Code {
        ptr,
        groups: 0,
        names: Vec::new(),
        newline: 0,
        utf: false,
    };
    c.groups = c.info_u32(sys::PCRE2_INFO_CAPTURECOUNT) as usize;
    c.newline = c.info_u32(sys::PCRE2_INFO_NEWLINE);
    c.utf = c.info_u32(sys::PCRE2_INFO_ALLOPTIONS) & sys::PCRE2_UTF != 0;
    c.names = c.name_table();
    Ok(c)
}

/// PCRE2's message for an error code.
pub fn error_message(code: i32) -> String {
    let mut buf = [0u8; 256];
    // SAFETY: PCRE2 writes at most `buf.len()` bytes, NUL included.
    let n = unsafe { sys::pcre2_get_error_message_8(code, buf.as_mut_ptr(), buf.len()) };
    let n = usize::try_from(n).unwrap_or(0);
    String::from_utf8_lossy(&buf[..n]).into_owned()
}

impl Code {
    fn info_u32(&self, what: u32) -> u32 {
        let mut v: u32 = 0;
        // SAFETY: these items write one uint32_t.
        unsafe { sys::pcre2_pattern_info_8(self.ptr, what, (&mut v as *mut u32).cast()) };
        v
    }

    fn name_table(&self) -> Vec<(Vec<u8>, usize)> {
        let count = self.info_u32(sys::PCRE2_INFO_NAMECOUNT) as usize;
        let size = self.info_u32(sys::PCRE2_INFO_NAMEENTRYSIZE) as usize;
        if count == 0 || size < 3 {
            return Vec::new();
        }
        let mut table: *const u8 = ptr::null();
        // SAFETY: NAMETABLE writes a pointer to `count` entries of `size`
        // bytes (two bytes of group number, then the NUL-terminated name),
        // owned by the code and alive while it is.
        let bytes = unsafe {
            sys::pcre2_pattern_info_8(
                self.ptr,
                sys::PCRE2_INFO_NAMETABLE,
                (&mut table as *mut *const u8).cast(),
            );
            if table.is_null() {
                return Vec::new();
            }
            std::slice::from_raw_parts(table, count * size)
        };
        bytes
            .chunks(size)
            .map(|e| {
                let group = usize::from(e[0]) << 8 | usize::from(e[1]);
                let name = &e[2..];
                let end = name.iter().position(|&b| b == 0).unwrap_or(name.len());
                (name[..end].to_vec(), group)
            })
            .collect()
    }

    /// A matcher with its own match data and limits, for one `re:run`.
    pub fn matcher(&self, match_limit: Option<u32>, depth_limit: Option<u32>) -> Matcher<'_> {
        // SAFETY: both are created for this code and freed by `Matcher`'s Drop.
        let (data, ctx) = unsafe {
            let data = sys::pcre2_match_data_create_from_pattern_8(self.ptr, ptr::null_mut());
            let ctx = if match_limit.is_some() || depth_limit.is_some() {
                let ctx = sys::pcre2_match_context_create_8(ptr::null_mut());
                if !ctx.is_null() {
                    if let Some(l) = match_limit {
                        sys::pcre2_set_match_limit_8(ctx, l);
                    }
                    if let Some(l) = depth_limit {
                        sys::pcre2_set_depth_limit_8(ctx, l);
                    }
                }
                ctx
            } else {
                ptr::null_mut()
            };
            (data, ctx)
        };
        Matcher {
            code: self,
            data,
            ctx,
        }
    }
}

/// Match data and context for matching one code, reused across the
/// attempts of a global match.
pub struct Matcher<'a> {
    code: &'a Code,
    data: *mut sys::pcre2_match_data_8,
    ctx: *mut sys::pcre2_match_context_8,
}

impl Drop for Matcher<'_> {
    fn drop(&mut self) {
        // SAFETY: created in `Code::matcher`, freed once here (free of NULL is a no-op).
        unsafe {
            sys::pcre2_match_data_free_8(self.data);
            sys::pcre2_match_context_free_8(self.ctx);
        }
    }
}

impl Matcher<'_> {
    /// Matches `subject` from byte `start` with PCRE2 match `options`.
    pub fn exec(&mut self, subject: &[u8], start: usize, options: u32) -> Outcome {
        if self.data.is_null() {
            return Outcome::Error(sys::PCRE2_ERROR_NOMEMORY);
        }
        // SAFETY: the subject slice is live for the call; data and context
        // belong to this matcher's code.
        let rc = unsafe {
            sys::pcre2_match_8(
                self.code.ptr,
                subject.as_ptr(),
                subject.len(),
                start,
                options,
                self.data,
                self.ctx,
            )
        };
        if rc == sys::PCRE2_ERROR_NOMATCH {
            return Outcome::NoMatch;
        }
        if rc <= 0 {
            return Outcome::Error(rc);
        }
        let pairs = usize::try_from(rc).unwrap_or(0);
        // SAFETY: the ovector holds at least `rc` pairs after a match.
        let ov = unsafe {
            std::slice::from_raw_parts(sys::pcre2_get_ovector_pointer_8(self.data), 2 * pairs)
        };
        let groups = ov
            .chunks(2)
            .map(|p| (p[0] != usize::MAX && p[0] <= p[1]).then_some((p[0], p[1])))
            .collect();
        Outcome::Match(groups)
    }
}
