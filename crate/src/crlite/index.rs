//! What a filter set looks up on every query, laid out at load time so a
//! query costs one issuer lookup and a few array reads, not a coverage map
//! and an index search in every filter.
//!
//! The answers are exactly clubcard-crlite's, filter by filter
//! (`CRLiteClubcard::contains`): a filter that covers none of the
//! certificate's SCTs says not covered; one whose index lacks the issuer
//! says not enrolled; otherwise its ribbon decides. The ribbon is read with
//! clubcard's own `Equation`s, from the issuer's block entry as found once
//! at load, and only in the filters whose block can say revoked. A test
//! checks every answer against clubcard's own `contains` over generated
//! keys.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use clubcard::{ClubcardIndexEntry, Equation};
use sha2::{Digest, Sha256};

use super::filter::Filter;
use crate::sct::Sct;

/// Issuer SPKI hashes and CT log ids are SHA-256 outputs: their first
/// eight bytes are already a uniform hash, so the map keeps them as is
/// instead of running SipHash over 32 bytes per lookup. Keys come from
/// filters and certificates anyone can make, so a crafted collision costs
/// a longer probe, never a wrong answer (keys are compared in full).
#[derive(Default)]
pub(crate) struct PrefixHasher(u64);

impl Hasher for PrefixHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Fed the length, then the 32 bytes: the first 8 bytes decide.
        let mut word = [0u8; 8];
        let n = bytes.len().min(8);
        word[..n].copy_from_slice(&bytes[..n]);
        self.0 = self.0.rotate_left(5) ^ u64::from_le_bytes(word);
    }
}

type Map<V> = HashMap<[u8; 32], V, BuildHasherDefault<PrefixHasher>>;

/// One issuer across the filters.
struct IssuerRow {
    /// The filters whose index has the issuer, in set order.
    enrolled: Vec<u16>,
    /// Of those, the ones whose block can say revoked (an empty block
    /// that is not inverted says not revoked to every serial), with the
    /// block's entry.
    can_revoke: Vec<(u16, Block)>,
}

/// An issuer's block in one filter: a copy of its index entry.
struct Block {
    approx_m: usize,
    approx_offset: usize,
    rank: usize,
    exact_m: usize,
    exact_offset: usize,
    inverted: bool,
    exceptions: Vec<Vec<u8>>,
}

impl Block {
    fn of(entry: &ClubcardIndexEntry) -> Block {
        Block {
            approx_m: entry.approx_filter_m,
            approx_offset: entry.approx_filter_offset,
            rank: entry.approx_filter_rank,
            exact_m: entry.exact_filter_m,
            exact_offset: entry.exact_filter_offset,
            inverted: entry.inverted,
            exceptions: entry.exceptions.clone(),
        }
    }

    /// Whether the filter lists the key as revoked: the key's equation is
    /// zero on each of the block's approximate columns and on the exact
    /// column, and the serial is not an exception; inverted blocks say the
    /// opposite. An empty block lists nothing. `Filter::from_bytes` checked
    /// that the rank fits the columns.
    fn revokes(&self, filter: &Filter, key: &KeyWords, serial: &[u8]) -> bool {
        let clubcard = filter.clubcard().as_ref();
        let listed = self.approx_m != 0 && {
            let approx = key.equation(self.approx_m, self.approx_offset);
            clubcard.approx_filter[..self.rank]
                .iter()
                .all(|column| approx.eval(column) == 0)
                && key
                    .equation(self.exact_m, self.exact_offset)
                    .eval(&clubcard.exact_filter)
                    == 0
                && !self.exceptions.iter().any(|e| e == serial)
        };
        listed ^ self.inverted
    }
}

/// A key's equation coefficients, derived once per query as
/// clubcard-crlite's `CRLiteQuery::as_query` derives them for every block
/// it reads: SHA-256(issuer SPKI hash || serial) as four little-endian
/// words, the lowest bit set. Only the row differs from block to block.
pub(crate) struct KeyWords([u64; 4]);

impl KeyWords {
    pub fn new(issuer: &[u8; 32], serial: &[u8]) -> KeyWords {
        let hash: [u8; 32] = Sha256::new()
            .chain_update(issuer)
            .chain_update(serial)
            .finalize()
            .into();
        let mut words = [0u64; 4];
        for (word, bytes) in words.iter_mut().zip(hash.chunks_exact(8)) {
            *word = u64::from_le_bytes(bytes.try_into().unwrap_or_default());
        }
        words[0] |= 1;
        KeyWords(words)
    }

    /// The equation in a block of `m` rows that starts at row `offset`.
    fn equation(&self, m: usize, offset: usize) -> Equation<4> {
        // As clubcard-crlite: the row is the last word modulo the rows.
        let row = (self.0[3] % m.max(1) as u64) as usize;
        Equation::homogeneous(row + offset, self.0)
    }
}

pub(crate) struct SetIndex {
    /// Every CT log any filter covers, numbered.
    /// (u32: each filter may cover 65,535 logs, and a set holds up to
    /// 257 filters.)
    logs: Map<u32>,
    /// Per filter, per log number, the covered timestamp interval.
    coverage: Vec<Vec<Option<(u64, u64)>>>,
    issuers: Map<IssuerRow>,
}

impl core::fmt::Debug for SetIndex {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SetIndex")
            .field("logs", &self.logs.len())
            .field("issuers", &self.issuers.len())
            .finish_non_exhaustive()
    }
}

/// What the filters of a set say of one certificate, before the ranking:
/// the first filter to say each thing.
pub(crate) struct Answer {
    pub revoked_in: Option<usize>,
    pub not_revoked_in: Option<usize>,
    pub not_enrolled_in: Option<usize>,
}

impl SetIndex {
    pub fn new(filters: &[Filter]) -> SetIndex {
        let mut logs: Map<u32> = Map::default();
        for filter in filters {
            for (log, _) in filter.clubcard().universe().iter() {
                let next = logs.len() as u32;
                logs.entry(log.0).or_insert(next);
            }
        }
        let coverage = filters
            .iter()
            .map(|filter| {
                let mut row = vec![None; logs.len()];
                for (log, interval) in filter.clubcard().universe().iter() {
                    row[logs[&log.0] as usize] = Some((interval.low.0, interval.high.0));
                }
                row
            })
            .collect();
        let mut issuers: Map<IssuerRow> = Map::default();
        for (n, filter) in filters.iter().enumerate() {
            // At most MAX_CRLITE_DELTAS + 1 = 257 filters (FilterSet::new).
            let n = n as u16;
            for (block, entry) in &filter.clubcard().as_ref().index {
                let Ok(issuer) = <[u8; 32]>::try_from(block.as_slice()) else {
                    // No issuer hash is this long: no query reaches it.
                    continue;
                };
                let row = issuers.entry(issuer).or_insert_with(|| IssuerRow {
                    enrolled: Vec::new(),
                    can_revoke: Vec::new(),
                });
                row.enrolled.push(n);
                if entry.approx_filter_m != 0 || entry.inverted {
                    row.can_revoke.push((n, Block::of(entry)));
                }
            }
        }
        SetIndex {
            logs,
            coverage,
            issuers,
        }
    }

    /// Asks every filter of `filters` (the set this index was made from).
    pub fn ask(
        &self,
        filters: &[Filter],
        key: &KeyWords,
        issuer: &[u8; 32],
        serial: &[u8],
        scts: &[Sct],
    ) -> Answer {
        // The certificate's SCTs in logs some filter covers, by log number.
        let mut seen = [(0u32, 0u64); 8];
        let mut more = Vec::new();
        let mut count = 0;
        for sct in scts {
            if let Some(&log) = self.logs.get(&sct.log_id) {
                if count < seen.len() {
                    seen[count] = (log, sct.timestamp_ms);
                    count += 1;
                } else {
                    more.push((log, sct.timestamp_ms));
                }
            }
        }
        let stamped = &seen[..count];
        let covers = |filter: u16| {
            let row = &self.coverage[usize::from(filter)];
            stamped.iter().chain(&more).any(|&(log, ms)| {
                row[log as usize].is_some_and(|(low, high)| low <= ms && ms <= high)
            })
        };
        let mut answer = Answer {
            revoked_in: None,
            not_revoked_in: None,
            not_enrolled_in: None,
        };
        if count == 0 {
            return answer;
        }
        let row = self.issuers.get(issuer);
        if let Some(row) = row {
            for (n, block) in &row.can_revoke {
                if covers(*n) && block.revokes(&filters[usize::from(*n)], key, serial) {
                    answer.revoked_in = Some(usize::from(*n));
                    return answer;
                }
            }
            answer.not_revoked_in = row
                .enrolled
                .iter()
                .copied()
                .find(|&n| covers(n))
                .map(usize::from);
            if answer.not_revoked_in.is_some() {
                return answer;
            }
        }
        // No filter that covers the certificate knows the issuer.
        answer.not_enrolled_in = (0..filters.len() as u16)
            .find(|&n| covers(n))
            .map(usize::from);
        answer
    }
}
