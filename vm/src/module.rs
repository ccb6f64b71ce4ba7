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
