//! The `gatesim` binary: everything is in the library; this only hands over.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    gatesim::main()
}
