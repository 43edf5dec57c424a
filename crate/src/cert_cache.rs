//! A bounded cache of parsed CA certificates, keyed by their exact DER.
//!
//! The same few hundred intermediates and roots come back on nearly every
//! page load, and parsing a certificate is about two thirds of an
//! evaluation, so a long-lived host (the extension's engine) keeps their
//! facts. End-entity certificates are never cached: they differ per site,
//! and a cache of them would be a list of the sites the user visited.

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::Hasher;
use std::sync::Arc;

use crate::cert::Cert;
use crate::error::Error;

/// How many CA certificates the cache keeps before it starts over. Firefox
/// ships about 1,900 intermediates (its `intermediates.json` preload list);
/// a user meets a fraction of them. 512 entries is under 1 MiB.
pub const CERT_CACHE_CAPACITY: usize = 512;

/// The bucket of a certificate's DER: its length and last 32 bytes, which
/// lie inside the signature and differ between any two real certificates.
/// Entries in a bucket are compared on every byte, so a crafted collision
/// only makes a lookup compare more bytes, never a wrong hit.
fn bucket(der: &[u8]) -> u64 {
    let mut state = DefaultHasher::new();
    state.write_usize(der.len());
    state.write(&der[der.len().saturating_sub(32)..]);
    state.finish()
}

/// The certificates of one bucket: exact DER and parsed facts.
type Bucket = Vec<(Box<[u8]>, Arc<Cert>)>;

/// Parsed CA certificates by DER; see the module documentation.
#[derive(Default)]
pub struct CertCache {
    buckets: HashMap<u64, Bucket>,
    len: usize,
}

impl CertCache {
    pub fn new() -> Self {
        Self::default()
    }

    /// The parsed certificate for `der`, parsed now if it is not cached.
    /// Only certificates that parse are kept; a failure is returned as is.
    pub fn get_or_parse(&mut self, der: &[u8]) -> Result<Arc<Cert>, Error> {
        let key = bucket(der);
        if let Some(entries) = self.buckets.get(&key) {
            if let Some((_, cert)) = entries.iter().find(|(cached, _)| **cached == *der) {
                return Ok(Arc::clone(cert));
            }
        }
        let cert = Arc::new(Cert::from_der(der)?);
        if self.len >= CERT_CACHE_CAPACITY {
            // Starting over is simpler than LRU bookkeeping and bounds memory
            // the same way; the common intermediates come back at once.
            self.buckets.clear();
            self.len = 0;
        }
        self.buckets
            .entry(key)
            .or_default()
            .push((der.into(), Arc::clone(&cert)));
        self.len += 1;
        Ok(cert)
    }

    /// How many certificates are cached.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}
