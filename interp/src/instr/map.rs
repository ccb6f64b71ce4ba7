//! Map instructions: building (`put_map_assoc`, `put_map_exact`) and
//! matching (`get_map_elements`, `has_map_fields`), over the term model's
//! maps.

use enigma_vm::atom::Atom;
use enigma_vm::code::instr::PutMap;
use enigma_vm::code::{Fail, Span, Src};
use enigma_vm::exception::Exception;
use enigma_vm::term::map::MapError;
use enigma_vm::term::Term;

use crate::run::{Run, Step};

impl Run<'_> {
    /// `put_map_assoc` (`exact` false) / `put_map_exact` (`exact` true).
    pub(crate) fn put_map(&mut self, op: &PutMap, exact: bool) -> Step {
        let m = self.m;
        let mut map = self.get(op.src);
        let pairs = &m.operands[op.pairs.range()];
        for kv in pairs.chunks_exact(2) {
            let (k, v) = (self.get(kv[0]), self.get(kv[1]));
            let r = if exact {
                self.p.heap.map_update(map, k, v)
            } else {
                self.p.heap.map_put(map, k, v)
            };
            map = match r {
                Ok(m) => m,
                Err(e) => {
                    if let Some(t) = op.fail.target() {
                        self.goto(t);
                        return Ok(());
                    }
                    let (tag, what) = match e {
                        MapError::BadMap => (Atom::BADMAP, map),
                        MapError::BadKey => (Atom::BADKEY, k),
                    };
                    let reason = self.p.heap.tuple(&[Term::atom(tag), what]);
                    return Err(Exception::error(reason).into());
                }
            };
        }
        self.set(op.dst, map);
        Ok(())
    }

    /// `get_map_elements`: every key's value into its register, or jump.
    pub(crate) fn get_map_elements(&mut self, fail: Fail, src: Src, pairs: Span) -> Step {
        let m = self.m;
        let map = self.get(src);
        for kd in m.operands[pairs.range()].chunks_exact(2) {
            let value = map.map_get(self.get(kd[0]));
            match (value, kd[1].as_reg()) {
                (Some(v), Some(r)) => self.set(r, v),
                _ => {
                    self.test(fail, false);
                    return Ok(());
                }
            }
        }
        Ok(())
    }

    /// `has_map_fields`.
    pub(crate) fn has_map_fields(&mut self, fail: Fail, src: Src, keys: Span) {
        let m = self.m;
        let map = self.get(src);
        let ok = map.is_map()
            && m.operands[keys.range()]
                .iter()
                .all(|&k| map.map_get(self.get(k)).is_some());
        self.test(fail, ok)
    }
}
