//! The module table: for each module, its current and old loaded versions,
//! as Erlang's code loading needs them (DESIGN §4). Loading makes the
//! current version old; purging drops the old one. Processes still running
//! old code keep their `Arc` to it.

use std::sync::Arc;

use ahash::AHashMap;
use parking_lot::RwLock;
use thiserror::Error;

use crate::atom::Atom;
use crate::code::Module;

/// The modules BEAM has preloaded (`erlang:pre_loaded()` on OTP 25).
pub const PRE_LOADED: &[&str] = &[
    "persistent_term",
    "counters",
    "atomics",
    "erts_dirty_process_signal_handler",
    "erts_literal_area_collector",
    "erl_tracer",
    "erts_internal",
    "erlang",
    "erl_prim_loader",
    "prim_zip",
    "prim_net",
    "prim_socket",
    "socket_registry",
    "zlib",
    "prim_file",
    "prim_inet",
    "prim_eval",
    "prim_buffer",
    "init",
    "erl_init",
    "erts_code_purger",
];

/// Whether BEAM has module `m` preloaded. BEAM's preloaded modules carry
/// no line information: their stack frames have no location.
pub fn is_preloaded(m: Atom) -> bool {
    PRE_LOADED.contains(&m.name())
}

/// Why a module table operation was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ModuleTableError {
    /// The module has old code that must be purged first
    /// (`{error,not_purged}` in Erlang).
    #[error("module {0} has old code that is not purged")]
    NotPurged(Atom),
    /// The module is not loaded.
    #[error("module {0} is not loaded")]
    NotLoaded(Atom),
}

#[derive(Default)]
struct Versions {
    current: Option<Arc<Module>>,
    old: Option<Arc<Module>>,
}

/// Current and old code of every loaded module.
#[derive(Default)]
pub struct ModuleTable {
    modules: RwLock<AHashMap<Atom, Versions>>,
}

impl ModuleTable {
    /// An empty table.
    pub fn new() -> ModuleTable {
        ModuleTable::default()
    }

    /// Installs `module` as the current version of its module; the previous
    /// current version becomes old. Refused while old code exists.
    pub fn install(&self, module: Module) -> Result<Arc<Module>, ModuleTableError> {
        let name = module.name;
        let mut t = self.modules.write();
        let v = t.entry(name).or_default();
        if v.current.is_some() && v.old.is_some() {
            return Err(ModuleTableError::NotPurged(name));
        }
        let new = Arc::new(module);
        if let Some(prev) = v.current.replace(Arc::clone(&new)) {
            v.old = Some(prev);
        }
        Ok(new)
    }

    /// The current version.
    pub fn current(&self, name: Atom) -> Option<Arc<Module>> {
        self.modules.read().get(&name)?.current.clone()
    }

    /// The old version.
    pub fn old(&self, name: Atom) -> Option<Arc<Module>> {
        self.modules.read().get(&name)?.old.clone()
    }

    /// Makes the current version old (`erlang:delete_module/1`).
    pub fn delete(&self, name: Atom) -> Result<(), ModuleTableError> {
        let mut t = self.modules.write();
        let v = t.get_mut(&name).ok_or(ModuleTableError::NotLoaded(name))?;
        if v.old.is_some() {
            return Err(ModuleTableError::NotPurged(name));
        }
        v.old = Some(v.current.take().ok_or(ModuleTableError::NotLoaded(name))?);
        Ok(())
    }

    /// Drops the old version; returns whether there was one.
    pub fn purge(&self, name: Atom) -> bool {
        let mut t = self.modules.write();
        let Some(v) = t.get_mut(&name) else {
            return false;
        };
        let had = v.old.take().is_some();
        if v.current.is_none() {
            t.remove(&name);
        }
        had
    }

    /// Names of the modules with current code, in no particular order.
    pub fn loaded(&self) -> Vec<Atom> {
        self.modules
            .read()
            .iter()
            .filter(|(_, v)| v.current.is_some())
            .map(|(&n, _)| n)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn module(name: &str) -> Module {
        let atoms = [name, "f"];
        crate::loader::load(&sample_beam(&atoms)).unwrap()
    }

    /// A `.beam` with `f/0 -> ok`, assembled by hand.
    fn sample_beam(atoms: &[&str]) -> Vec<u8> {
        let be = |v: u32| v.to_be_bytes();
        let mut at = be(atoms.len() as u32).to_vec();
        for a in atoms {
            at.push(a.len() as u8);
            at.extend_from_slice(a.as_bytes());
        }
        let mut code = Vec::new();
        for w in [16, 0, 180, 3, 1] {
            code.extend_from_slice(&be(w));
        }
        // label 1; func_info M f 0; label 2; move nil x0; return; int_code_end
        code.extend_from_slice(&[
            0x01, 0x10, 0x02, 0x12, 0x22, 0x00, 0x01, 0x20, 0x40, 0x02, 0x03, 0x13, 0x03,
        ]);
        let mut exp = be(1).to_vec();
        for w in [2, 0, 2] {
            exp.extend_from_slice(&be(w));
        }
        let chunks: [(&[u8; 4], Vec<u8>); 5] = [
            (b"AtU8", at),
            (b"Code", code),
            (b"StrT", Vec::new()),
            (b"ImpT", be(0).to_vec()),
            (b"ExpT", exp),
        ];
        let mut body = b"BEAM".to_vec();
        for (id, data) in chunks {
            body.extend_from_slice(id);
            body.extend_from_slice(&be(data.len() as u32));
            body.extend_from_slice(&data);
            body.resize(body.len().next_multiple_of(4), 0);
        }
        let mut f = b"FOR1".to_vec();
        f.extend_from_slice(&be(body.len() as u32));
        f.extend_from_slice(&body);
        f
    }

    #[test]
    fn load_makes_the_previous_version_old_and_purge_drops_it() {
        let t = ModuleTable::new();
        let name = Atom::intern("module_table_test").unwrap();
        let v1 = t.install(module("module_table_test")).unwrap();
        assert!(Arc::ptr_eq(&t.current(name).unwrap(), &v1));
        assert!(t.old(name).is_none());
        let v2 = t.install(module("module_table_test")).unwrap();
        assert!(Arc::ptr_eq(&t.current(name).unwrap(), &v2));
        assert!(Arc::ptr_eq(&t.old(name).unwrap(), &v1));
        assert_eq!(
            t.install(module("module_table_test")).unwrap_err(),
            ModuleTableError::NotPurged(name)
        );
        assert!(t.purge(name));
        assert!(!t.purge(name));
        assert!(t.old(name).is_none());
        assert_eq!(t.loaded(), vec![name]);
        t.delete(name).unwrap();
        assert!(t.current(name).is_none());
        assert!(Arc::ptr_eq(&t.old(name).unwrap(), &v2));
        assert_eq!(
            t.delete(name).unwrap_err(),
            ModuleTableError::NotPurged(name)
        );
        assert!(t.purge(name));
        assert!(t.loaded().is_empty());
        assert_eq!(
            t.delete(name).unwrap_err(),
            ModuleTableError::NotLoaded(name)
        );
    }
}
