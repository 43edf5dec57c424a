//! revoscope's revocation engine: certificate facts, the OneCRL snapshot, the
//! revocation policy ladder and OCSP requests.
//!
//! The engine is pure, as Firefox's mozpkix is: no network, no clock, no
//! storage. Its hosts (the `revoscope` CLI in `crate/cli`, the browser
//! binding in `crate/wasm`) pass the time and any fetched data in, and do
//! the I/O the verdict asks for.

pub mod cert;
pub mod cert_cache;
pub mod compare;
pub mod crl;
pub mod crlite;
pub mod crlset;
pub mod crx3;
pub mod error;
pub mod hex;
pub mod issuer;
pub mod ladder;
pub mod limits;
pub mod name;
pub mod ocsp;
pub mod oid;
pub mod onecrl;
pub mod pem;
pub mod policy;
mod preset;
mod reasons;
pub mod remote_settings;
mod rfc3339;
pub mod sct;
pub mod telemetry;
pub mod time;
mod validity;
pub mod verdict;
pub mod verify;

pub use cert::Cert;
pub use cert_cache::CertCache;
pub use compare::{compare, Comparison, Missing, View};
pub use error::{CertField, Error};
pub use ladder::{evaluate, evaluate_cached, Input};
pub use onecrl::Snapshot;
pub use policy::Policy;
pub use time::UnixTime;
pub use verdict::{CertVerdict, Outcome, Role, Status, Step, StepOutcome, Verdict};
