//! The `enigma` command.

#![forbid(unsafe_code)]

/// mimalloc rather than the system allocator: a process's life is a few
/// allocations of every size (its struct, first heap chunk, message
/// fragments, table entries) made on one scheduler and often freed on
/// another, where glibc's malloc, free and consolidation were about a
/// quarter of `bench_spawn`'s time (see `enigma_otp::alloc` for how it
/// is called).
#[global_allocator]
static ALLOCATOR: enigma_otp::alloc::Allocator = enigma_otp::alloc::Allocator;

fn main() {
    enigma_otp::alloc::no_transparent_huge_pages();
    std::process::exit(enigma_otp::cli::main(std::env::args().skip(1).collect()));
}
