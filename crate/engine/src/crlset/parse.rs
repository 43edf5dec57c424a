//! Reading a CRLSet file: the header's length and JSON (header.rs), the
//! parent blocks (`ReadCRL` in Chromium's net/cert/crl_set.cc), then the
//! hash lists, in the order Chromium's `CRLSet::Parse` takes them, so that
//! an input with several faults reports the one Chromium stops at.

use super::header::{self, Limited, Lists};
use super::{CrlSet, CrlSetError, LimitedSubject, Parent, ParentPart, SerialRef};
use crate::limits::{MAX_CRLSET_LEN, MAX_CRLSET_PARENTS, MAX_CRLSET_SERIALS_PER_PARENT};

impl CrlSet {
    /// Reads a CRLSet file (the component's `crl-set` file, as Chromium's
    /// `CRLSet::Parse` reads it). Any input either reads or is refused with
    /// the error that names why; nothing panics.
    pub fn from_bytes(bytes: &[u8]) -> Result<CrlSet, CrlSetError> {
        if bytes.len() > MAX_CRLSET_LEN {
            return Err(CrlSetError::TooLarge {
                len: bytes.len(),
                max: MAX_CRLSET_LEN,
            });
        }
        let [lo, hi, rest @ ..] = bytes else {
            return Err(CrlSetError::TruncatedHeaderLength { len: bytes.len() });
        };
        let header_len = usize::from(u16::from_le_bytes([*lo, *hi]));
        if rest.len() < header_len {
            return Err(CrlSetError::TruncatedHeader {
                declared: header_len,
                available: rest.len(),
            });
        }
        let fields = header::read_fields(&rest[..header_len])?;
        let body_at = 2 + header_len;
        let (serials, parents) = read_parents(&bytes[body_at..], body_at)?;
        let lists = header::read_lists(&fields.object)?;
        let Lists {
            mut blocked_spkis,
            mut known_interception_spkis,
            blocked_interception_spkis,
            limited_subjects,
            unmatchable,
        } = lists;
        // BlockedInterceptionSPKIs go into both lists.
        blocked_spkis.extend_from_slice(&blocked_interception_spkis);
        known_interception_spkis.extend_from_slice(&blocked_interception_spkis);
        blocked_spkis.sort_unstable();
        blocked_spkis.dedup();
        known_interception_spkis.sort_unstable();
        known_interception_spkis.dedup();
        Ok(CrlSet {
            sequence: fields.sequence,
            not_after: fields.not_after,
            declared_parents: fields.declared_parents,
            body: bytes[body_at..].into(),
            serials,
            parents,
            blocked_spkis,
            known_interception_spkis,
            limited_subjects: index_limited_subjects(limited_subjects),
            unmatchable_hashes: unmatchable,
        })
    }
}

/// The parent blocks up to the end of `body` (which starts at `base` in the
/// file, for the offsets errors name). Serials point into `body`. A parent
/// listed twice keeps its last block, as Chromium's map assignment does.
fn read_parents(body: &[u8], base: usize) -> Result<(Vec<SerialRef>, Vec<Parent>), CrlSetError> {
    let mut serials: Vec<SerialRef> = Vec::new();
    let mut parents: Vec<Parent> = Vec::new();
    let mut at = 0usize;
    while at < body.len() {
        let parent = parents.len();
        if parent == MAX_CRLSET_PARENTS {
            return Err(CrlSetError::TooManyParents {
                max: MAX_CRLSET_PARENTS,
            });
        }
        let take = |part: ParentPart, at: &mut usize, n: usize| {
            let available = body.len() - *at;
            if available < n {
                return Err(CrlSetError::Truncated {
                    parent,
                    part,
                    offset: base + *at,
                    needed: n,
                    available,
                });
            }
            let start = *at;
            *at += n;
            Ok(&body[start..*at])
        };
        let spki_sha256: [u8; 32] = take(ParentPart::SpkiHash, &mut at, 32)?
            .try_into()
            .expect("32 bytes taken");
        let count_bytes: [u8; 4] = take(ParentPart::SerialCount, &mut at, 4)?
            .try_into()
            .expect("4 bytes taken");
        let count = u32::from_le_bytes(count_bytes);
        if count > MAX_CRLSET_SERIALS_PER_PARENT {
            return Err(CrlSetError::TooManySerials {
                parent,
                count,
                max: MAX_CRLSET_SERIALS_PER_PARENT,
            });
        }
        // Each serial takes at least its length byte: room is reserved for
        // no more than the bytes left could hold.
        let first = serials.len();
        serials.reserve((count as usize).min(body.len() - at));
        for _ in 0..count {
            let len = take(ParentPart::SerialLength, &mut at, 1)?[0];
            let start = at;
            take(ParentPart::Serial, &mut at, usize::from(len))?;
            serials.push(SerialRef {
                // MAX_CRLSET_LEN keeps every offset within 32 bits.
                at: start as u32,
                len,
            });
        }
        let listed = &mut serials[first..];
        listed.sort_unstable_by(|a, b| serial_of(body, *a).cmp(serial_of(body, *b)));
        parents.push(Parent {
            spki_sha256,
            serials: first as u32..serials.len() as u32,
        });
    }
    // Stable: blocks of the same parent stay in file order, and the last wins.
    parents.sort_by_key(|p| p.spki_sha256);
    let mut unique: Vec<Parent> = Vec::with_capacity(parents.len());
    for parent in parents {
        match unique.last_mut() {
            Some(last) if last.spki_sha256 == parent.spki_sha256 => *last = parent,
            _ => unique.push(parent),
        }
    }
    Ok((serials, unique))
}

fn serial_of(body: &[u8], serial: SerialRef) -> &[u8] {
    let at = serial.at as usize;
    &body[at..at + usize::from(serial.len)]
}

/// Sorted by subject hash; a subject whose key appears twice (two base64
/// spellings of one hash) keeps the last in key order, as Chromium's map
/// assignment does.
fn index_limited_subjects(entries: Vec<Limited>) -> Vec<LimitedSubject> {
    let mut entries: Vec<LimitedSubject> = entries
        .into_iter()
        .map(|(subject_sha256, mut allowed_spkis)| {
            allowed_spkis.sort_unstable();
            allowed_spkis.dedup();
            LimitedSubject {
                subject_sha256,
                allowed_spkis,
            }
        })
        .collect();
    entries.sort_by_key(|e| e.subject_sha256);
    let mut unique: Vec<LimitedSubject> = Vec::with_capacity(entries.len());
    for entry in entries {
        match unique.last_mut() {
            Some(last) if last.subject_sha256 == entry.subject_sha256 => *last = entry,
            _ => unique.push(entry),
        }
    }
    unique
}
