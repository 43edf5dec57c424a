//! `revoscope`: the command-line host of the revocation engine.
//!
//! The engine is pure; this binary does the I/O it leaves to its host:
//! reading files, reading the clock, and printing the verdict.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
