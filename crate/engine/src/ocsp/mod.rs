//! OCSP (RFC 6960). The engine builds requests and validates responses; the
//! host fetches.

pub mod cache;
pub mod fetch;
pub mod request;
pub mod response;

pub use cache::{CacheEntry, Cached, OcspCache};
pub use fetch::{FetchOutcome, LiveAnswer, Offline};
pub use request::{Exchange, FetchMethod, MethodChoice, OcspFetch, Plan};
pub use response::{validate, Answer, OcspError, Signer, ValidResponse};
