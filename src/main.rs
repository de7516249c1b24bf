//! The `gatesim` binary: everything is in the library; this only hands over.

fn main() -> std::process::ExitCode {
    gatesim::main()
}
