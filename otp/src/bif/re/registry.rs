//! Compiled patterns by content.
//!
//! The binary in a `{re_pattern, ...}` term is Enigma's own: a tag, the
//! compile options and the pattern source. A pattern term therefore stands
//! for itself: it can be sent, stored, written with `term_to_binary` and
//! read back, and still runs (the code is compiled again when it is not
//! cached). The cache keeps the PCRE2 code of the most recent patterns, so
//! a loop running the same pattern compiles it once.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock};

use parking_lot::Mutex;

use super::options::CompileOpts;
use super::pcre::{self, Code, CompileError};

/// The tag that starts a pattern binary (with a format version).
const TAG: &[u8; 5] = b"ENRE\x01";

/// Most patterns kept; the cache is emptied when full.
const CAPACITY: usize = 512;

static CACHE: LazyLock<Mutex<HashMap<Vec<u8>, Arc<Code>>>> = LazyLock::new(Default::default);

/// The binary of a pattern term: tag, options, newline, bsr, source.
pub fn key(opts: &CompileOpts, source: &[u8]) -> Vec<u8> {
    let mut k = Vec::with_capacity(TAG.len() + 6 + source.len());
    k.extend_from_slice(TAG);
    k.extend_from_slice(&opts.options.to_le_bytes());
    k.push(opts.newline as u8);
    k.push(opts.bsr as u8);
    k.extend_from_slice(source);
    k
}

/// The options and source of a pattern binary (`None` if it is not one).
pub fn parse_key(k: &[u8]) -> Option<(CompileOpts, &[u8])> {
    let rest = k.strip_prefix(TAG)?;
    if rest.len() < 6 {
        return None;
    }
    let options = u32::from_le_bytes(rest[..4].try_into().ok()?);
    // Only the conventions `re:compile` can make (not PCRE2's NUL newline).
    if rest[4] > 5 || rest[5] > 2 {
        return None;
    }
    let opts = CompileOpts {
        options,
        newline: u32::from(rest[4]),
        bsr: u32::from(rest[5]),
    };
    Some((opts, &rest[6..]))
}

/// The code for `opts` and `source`, compiled or from the cache.
pub fn code(opts: &CompileOpts, source: &[u8]) -> Result<(Vec<u8>, Arc<Code>), CompileError> {
    let k = key(opts, source);
    if let Some(c) = CACHE.lock().get(&k) {
        return Ok((k, c.clone()));
    }
    let c = Arc::new(pcre::compile(source, opts.options, opts.newline, opts.bsr)?);
    let mut cache = CACHE.lock();
    if cache.len() >= CAPACITY {
        cache.clear();
    }
    cache.insert(k.clone(), c.clone());
    Ok((k, c))
}
