//! `revoscope`: the command-line host of the revocation engine.
//!
//! The engine is pure; this binary does the I/O it leaves to its host:
//! reading files, reading the clock, the network, and printing the verdict.
//! It is a native program; on wasm32 (where `cargo test` builds every
//! target) it only says so.

#[cfg(not(target_arch = "wasm32"))]
mod cli;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::main()
}

#[cfg(target_arch = "wasm32")]
fn main() -> std::process::ExitCode {
    eprintln!(
        "revoscope: the command line runs natively only; the wasm build is the engine library"
    );
    std::process::ExitCode::FAILURE
}
