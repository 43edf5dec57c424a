//! OCSP (RFC 6960). The engine builds requests and validates responses; the
//! host fetches.
//!
//! One concept per module, in dependency order: each uses only those above
//! it in this list:
//! - [`request`]: the OCSPRequest DER and its CertID;
//! - [`error`]: why a response cannot be used, [`OcspError`];
//! - [`parse`]: the parse-only reading of an OCSPResponse, [`read`] into a
//!   [`ResponseSummary`]: what it says, not whether to believe it;
//! - [`response`]: validation of an OCSPResponse (signer, signature,
//!   CertID match, times), read through [`parse`], into an [`Answer`] or
//!   an [`OcspError`];
//! - [`exchange`]: one live request: URL, GET or POST (the GET form of
//!   appendix A.1), the host's [`FetchOutcome`] and its classification,
//!   through [`validate`], into a [`LiveAnswer`] or an [`Offline`] class;
//! - [`cache`]: the host-kept cache of answers and failures.

pub mod cache;
pub mod error;
pub mod exchange;
pub mod parse;
pub mod request;
pub mod response;

pub use cache::{CacheEntry, Cached, OcspCache};
pub use error::{ErrorStatus, OcspError};
pub use exchange::{
    Exchange, FetchMethod, FetchOutcome, LiveAnswer, MethodChoice, OcspFetch, Offline, Plan,
};
pub use parse::{
    read, Answer, CertId, CertIdAlgorithm, ResponderId, ResponseData, ResponseSummary,
    SingleResponse,
};
pub use response::{validate, validate_with, CertIdHashes, Signer, ValidResponse};
