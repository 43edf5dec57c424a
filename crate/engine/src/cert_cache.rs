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

/// `a == b`, eight bytes at a time. In wasm `==` on slices is
/// compiler-builtins' `memcmp`, a loop over single bytes, and a hit compares
/// a whole certificate: this made it a measurable share of an evaluation
/// (`npm run bench`).
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let (a_words, b_words) = (a.chunks_exact(8), b.chunks_exact(8));
    a_words.remainder() == b_words.remainder()
        && a_words.zip(b_words).all(|(x, y)| {
            u64::from_ne_bytes(x.try_into().unwrap_or_default())
                == u64::from_ne_bytes(y.try_into().unwrap_or_default())
        })
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
            if let Some((_, cert)) = entries.iter().find(|(cached, _)| same_bytes(cached, der)) {
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

#[cfg(test)]
mod tests {
    use super::same_bytes;

    #[test]
    fn same_bytes_is_slice_equality() {
        for len in 0..40usize {
            let a: Vec<u8> = (0..len as u8).collect();
            assert!(same_bytes(&a, &a.clone()));
            assert!(!same_bytes(&a, &a[..len.saturating_sub(1)]) || len == 0);
            for at in 0..len {
                let mut b = a.clone();
                b[at] ^= 0x80;
                assert!(!same_bytes(&a, &b), "a change at byte {at} of {len}");
            }
        }
    }
}
