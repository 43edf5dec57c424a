//! OCSP (RFC 6960). This engine builds requests; the host fetches them.

pub mod request;

pub use request::{FetchMethod, OcspFetch};
