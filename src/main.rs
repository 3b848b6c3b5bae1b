//! The `dsr` binary: everything lives in the library; see `dsr::cli`.

/// mimalloc instead of the system allocator: a batch renders and builds
/// thousands of letters on several threads, and with glibc's malloc half
/// of its CPU time went to allocating and freeing (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    dsr::cli::main()
}
