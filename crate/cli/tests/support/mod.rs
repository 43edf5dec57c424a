//! The engine's test support (fixtures, the test PKI, CRLite filters), and
//! what the CLI's tests add: the binary itself, responders and servers on
//! 127.0.0.1, scratch directories.
#![allow(dead_code)]

#[path = "../../../engine/tests/support/mod.rs"]
mod engine;
pub mod programs;
pub mod tls_server;

pub use engine::*;
