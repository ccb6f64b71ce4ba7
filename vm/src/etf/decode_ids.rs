//! Decoding of identifiers and funs: pids, ports, references, `fun M:F/A`
//! and closures.
//!
//! Limits are OTP 25's: a local pid has a 15-bit number and a 13-bit serial,
//! a local port a 28-bit number, a local reference at most 3 id words whose
//! first is below 2^18; the one-byte creations of the old tags are 0..=3.

use super::cursor::Cursor;
use super::decode::{Decoder, Open, Step};
use super::{tags, EtfError, LOCAL_CREATION, LOCAL_NODE};
use crate::atom::Atom;
use crate::term::fun::{Export, FunEntry};
use crate::term::Term;

const MAX_LOCAL_PID_NUMBER: u32 = (1 << 15) - 1;
const MAX_LOCAL_PID_SERIAL: u32 = (1 << 13) - 1;
const MAX_LOCAL_PORT_NUMBER: u64 = (1 << 28) - 1;
/// First id word of a local reference, and of any reference in the old tags.
const REF_FIRST_ID_LIMIT: u32 = 1 << 18;
const MAX_REF_IDS: usize = 5;
const LOCAL_REF_IDS: usize = 3;
/// Largest creation the one-byte creation fields may hold.
const MAX_TINY_CREATION: u32 = 3;

fn is_local(node: Atom, creation: u32) -> bool {
    node == LOCAL_NODE && creation == LOCAL_CREATION
}

impl Decoder<'_> {
    fn creation(&mut self, c: &mut Cursor, tiny: bool, at: usize) -> Result<u32, EtfError> {
        if !tiny {
            return c.u32();
        }
        let cre = c.u8()? as u32;
        if cre > MAX_TINY_CREATION {
            return Err(EtfError::Invalid {
                what: "creation",
                offset: at,
            });
        }
        Ok(cre)
    }

    pub(super) fn pid_after_tag(
        &mut self,
        c: &mut Cursor,
        tag: u8,
        at: usize,
    ) -> Result<Term, EtfError> {
        let node = self.atom(c)?;
        let id = c.u32()?;
        let serial = c.u32()?;
        let creation = self.creation(c, tag == tags::PID, at)?;
        if !is_local(node, creation) {
            return Ok(self.heap.external_pid(node, id, serial, creation));
        }
        if id > MAX_LOCAL_PID_NUMBER || serial > MAX_LOCAL_PID_SERIAL {
            return Err(EtfError::Invalid {
                what: "local pid",
                offset: at,
            });
        }
        Ok(Term::pid(id, serial))
    }

    pub(super) fn port_after_tag(
        &mut self,
        c: &mut Cursor,
        tag: u8,
        at: usize,
    ) -> Result<Term, EtfError> {
        let node = self.atom(c)?;
        let id = if tag == tags::V4_PORT {
            c.u64()?
        } else {
            c.u32()? as u64
        };
        let creation = self.creation(c, tag == tags::PORT, at)?;
        if !is_local(node, creation) {
            return Ok(self.heap.external_port(node, id, creation));
        }
        if id > MAX_LOCAL_PORT_NUMBER {
            return Err(EtfError::Invalid {
                what: "local port",
                offset: at,
            });
        }
        Ok(Term::port(id))
    }

    pub(super) fn ref_after_tag(
        &mut self,
        c: &mut Cursor,
        tag: u8,
        at: usize,
    ) -> Result<Term, EtfError> {
        let count = if tag == tags::REFERENCE {
            1
        } else {
            c.u16()? as usize
        };
        let node = self.atom(c)?;
        let bad = EtfError::Invalid {
            what: "reference",
            offset: at,
        };
        if tag == tags::REFERENCE {
            let id = c.u32()?;
            let creation = self.creation(c, true, at)?;
            return self.make_ref(node, creation, vec![id], true).ok_or(bad);
        }
        let creation = self.creation(c, tag == tags::NEW_REFERENCE, at)?;
        // With a count of 0, OTP 25 reads an id word that is not there and
        // accepts or refuses depending on what memory holds; refuse it.
        if count == 0 || count > MAX_REF_IDS {
            return Err(bad);
        }
        let ids = (0..count)
            .map(|_| c.u32())
            .collect::<Result<Vec<u32>, _>>()?;
        self.make_ref(node, creation, ids, tag != tags::NEWER_REFERENCE)
            .ok_or(bad)
    }

    fn make_ref(
        &mut self,
        node: Atom,
        creation: u32,
        mut ids: Vec<u32>,
        old_tag: bool,
    ) -> Option<Term> {
        let local = is_local(node, creation);
        if (local || old_tag) && ids[0] >= REF_FIRST_ID_LIMIT {
            return None;
        }
        if !local {
            return Some(self.heap.external_ref(node, creation, &ids));
        }
        if ids.len() > LOCAL_REF_IDS {
            return None;
        }
        ids.resize(LOCAL_REF_IDS, 0);
        if let Some(object) = crate::term::magic::lookup(&ids) {
            let ids = <[u32; 3]>::try_from(ids.as_slice()).ok()?;
            return Some(self.heap.magic_ref(ids, object));
        }
        Some(self.heap.local_ref(&ids))
    }

    pub(super) fn export(&mut self, c: &mut Cursor, at: usize) -> Result<Term, EtfError> {
        let module = self.atom(c)?;
        let function = self.atom(c)?;
        // OTP 25 takes any non-negative small integer term as the arity.
        let arity = u32::try_from(self.small_int(c, at)?).map_err(|_| EtfError::Invalid {
            what: "export arity",
            offset: at,
        })?;
        // Safe decoding creates no export entries and refers only to known
        // ones: an entry only an earlier plain decode created is not one.
        let export = if self.safe {
            Export::lookup(module, function, arity)
                .filter(|e| e.is_known())
                .ok_or(EtfError::Invalid {
                    what: "unknown export (safe decoding)",
                    offset: at,
                })?
        } else {
            Export::get_or_create_decoded(module, function, arity)
        };
        Ok(self.heap.export_fun(export))
    }

    /// `NEW_FUN_EXT`: everything up to the creator pid, which the caller
    /// collects, with the free variables, as the items of an open container.
    pub(super) fn new_fun(&mut self, c: &mut Cursor, at: usize) -> Result<Step, EtfError> {
        // OTP 25 ignores the size field.
        c.u32()?;
        let arity = c.u8()? as u32;
        let mut uniq = [0u8; 16];
        uniq.copy_from_slice(c.take(16)?);
        let index = c.u32()?;
        let num_free = c.u32()? as u64;
        let num_free = c.len(num_free, 1)?;
        let module = self.atom(c)?;
        // OTP 25 keeps the low 32 bits of any small integer here.
        let old_index = self.small_int(c, at)? as u32;
        let old_uniq = self.small_int(c, at)? as u32;
        let entry = FunEntry::intern(
            module,
            uniq,
            index,
            old_index,
            old_uniq,
            arity,
            num_free as u32,
        );
        // The creator pid and the free variables follow. OTP 25 takes any
        // term as the creator (and crashes re-encoding a non-pid one).
        Ok(Step::Open(Open::Fun(entry), num_free + 1))
    }

    /// An integer term that is a small integer (bignum tags included, when
    /// their value is small), for the integer fields of funs.
    fn small_int(&mut self, c: &mut Cursor, at: usize) -> Result<i64, EtfError> {
        let bad = EtfError::Invalid {
            what: "integer field",
            offset: at,
        };
        let n = match c.u8()? {
            tags::SMALL_INTEGER => return Ok(c.u8()? as i64),
            tags::INTEGER => return Ok(c.u32()? as i32 as i64),
            tags::SMALL_BIG => c.u8()? as usize,
            tags::LARGE_BIG => c.u32()? as usize,
            _ => return Err(bad),
        };
        let negative = c.u8()? != 0;
        let digits = c.take(n)?;
        if digits.iter().skip(8).any(|&b| b != 0) {
            return Err(bad);
        }
        let mag = digits
            .iter()
            .take(8)
            .rev()
            .fold(0u64, |acc, &b| acc << 8 | b as u64);
        let v = if negative {
            -(mag as i128)
        } else {
            mag as i128
        };
        match i64::try_from(v) {
            Ok(v) if Term::fits_small(v) => Ok(v),
            _ => Err(bad),
        }
    }
}
