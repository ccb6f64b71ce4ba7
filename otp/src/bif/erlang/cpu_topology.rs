//! The CPU topology BEAM detects (`system_info(cpu_topology)`), read from
//! Linux's `/sys/devices/system/cpu`: NUMA nodes (a level only when there
//! are several), processors (packages), cores, and hardware threads (a
//! level only in a core that has several), each level's entries in the
//! order of their first logical CPU. `undefined` where nothing can be read.

use enigma_vm::term::{Heap, Term};

use crate::bif::helpers::atom;
use enigma_vm::exception::Exception;

/// One online logical CPU: `(node, package, core, logical id)`.
type Cpu = (i64, i64, i64, i64);

/// The online logical CPUs, sorted by node, package, core and id.
fn detect() -> Vec<Cpu> {
    let root = std::path::Path::new("/sys/devices/system/cpu");
    let online = std::fs::read_to_string(root.join("online")).unwrap_or_default();
    let read = |cpu: i64, file: &str| -> Option<i64> {
        let p = root.join(format!("cpu{cpu}/topology/{file}"));
        std::fs::read_to_string(p).ok()?.trim().parse().ok()
    };
    let node = |cpu: i64| -> i64 {
        let dir = root.join(format!("cpu{cpu}"));
        std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
            .find_map(|e| e.file_name().to_str()?.strip_prefix("node")?.parse().ok())
            .unwrap_or(0)
    };
    let mut cpus: Vec<Cpu> = ranges(&online)
        .filter_map(|id| {
            Some((
                node(id),
                read(id, "physical_package_id")?,
                read(id, "core_id")?,
                id,
            ))
        })
        .collect();
    cpus.sort_unstable();
    cpus
}

/// The numbers of a kernel CPU list (`0-3,6`).
fn ranges(list: &str) -> impl Iterator<Item = i64> + '_ {
    list.trim()
        .split(',')
        .filter(|r| !r.is_empty())
        .flat_map(|r| {
            let (a, b) = r.split_once('-').unwrap_or((r, r));
            let (a, b) = (a.parse().unwrap_or(0), b.parse().unwrap_or(-1));
            a..=b
        })
}

/// Groups consecutive CPUs by `key`.
fn groups(cpus: &[Cpu], key: impl Fn(&Cpu) -> i64) -> Vec<&[Cpu]> {
    cpus.chunk_by(|a, b| key(a) == key(b)).collect()
}

/// The topology as `system_info(cpu_topology)` gives it.
pub fn term(heap: &mut Heap) -> Result<Term, Exception> {
    let cpus = detect();
    if cpus.is_empty() {
        return Ok(Term::atom(enigma_vm::atom::Atom::UNDEFINED));
    }
    let (node_t, processor, core, thread, logical) = (
        atom("node")?,
        atom("processor")?,
        atom("core")?,
        atom("thread")?,
        atom("logical")?,
    );
    let logical_of = |heap: &mut Heap, id: i64| heap.tuple(&[logical, Term::small(id)]);
    let nodes = groups(&cpus, |c| c.0);
    let mut node_terms = Vec::new();
    for node in &nodes {
        let mut packages = Vec::new();
        for package in groups(node, |c| c.1) {
            let mut cores = Vec::new();
            for c in groups(package, |c| c.2) {
                let sub = if let [only] = c {
                    logical_of(heap, only.3)
                } else {
                    let threads: Vec<Term> = c
                        .iter()
                        .map(|t| {
                            let l = logical_of(heap, t.3);
                            heap.tuple(&[thread, l])
                        })
                        .collect();
                    heap.list(&threads)
                };
                cores.push(heap.tuple(&[core, sub]));
            }
            let cores = heap.list(&cores);
            packages.push(heap.tuple(&[processor, cores]));
        }
        node_terms.push(packages);
    }
    if let [packages] = &node_terms[..] {
        return Ok(heap.list(packages));
    }
    let nodes: Vec<Term> = node_terms
        .iter()
        .map(|packages| {
            let l = heap.list(packages);
            heap.tuple(&[node_t, l])
        })
        .collect();
    Ok(heap.list(&nodes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_lists_read_as_the_kernel_writes_them() {
        assert_eq!(ranges("0-3,6\n").collect::<Vec<_>>(), [0, 1, 2, 3, 6]);
        assert_eq!(ranges("0").collect::<Vec<_>>(), [0]);
        assert_eq!(ranges("").count(), 0);
    }
}
