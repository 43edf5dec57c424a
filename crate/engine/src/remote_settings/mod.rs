//! Remote Settings: how OneCRL reaches Firefox, and reaches us. A sync asks
//! the server which collections changed, fetches the changeset, applies it
//! to the collection in force, and keeps the result only when its content
//! signature verifies, as Firefox's RemoteSettingsClient does.
//!
//! Pure like the rest of the engine: [`sync`] says which URLs to fetch and
//! judges what came back; the host (CLI or extension) makes the requests
//! and stores the result.

pub mod canonical_json;
pub mod collection;
pub mod content_signature;
pub mod error;
pub mod sync;

pub use collection::{Changeset, Collection, SignatureRef};
pub use content_signature::{ContentSignatureError, Signer, Trust};
pub use error::SyncError;
