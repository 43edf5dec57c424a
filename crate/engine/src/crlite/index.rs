//! What a filter set looks up on every query, laid out at load time so a
//! query costs one issuer lookup and a few array reads, not a coverage map
//! and an index search in every filter.
//!
//! The answers are exactly clubcard-crlite's, filter by filter
//! (`CRLiteClubcard::contains`): a filter that covers none of the
//! certificate's SCTs says not covered; one whose index lacks the issuer
//! says not enrolled; otherwise its ribbon decides. The ribbon is read as
//! clubcard's `Equation::eval` reads it (with clubcard's own code at a
//! column's end), from the issuer's block entry as found once at load, and
//! only in the filters whose block can say revoked. A test checks every
//! answer against clubcard's own `contains` over generated keys, and one
//! below checks the evaluation against clubcard's at every bit offset.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use clubcard::{ClubcardIndexEntry, Equation};
use sha2::{Digest, Sha256};

use super::filter::Filter;
use super::CrliteStatus;
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
    /// that the rank fits the columns and that offset plus rows fit 32 bits.
    fn revokes(&self, filter: &Filter, key: &KeyWords, serial: &[u8]) -> bool {
        let clubcard = filter.clubcard().as_ref();
        let listed = self.approx_m != 0 && {
            // One row for all the approximate columns, as in clubcard.
            let row = key.at_row(key.row(self.approx_m) + self.approx_offset);
            clubcard.approx_filter[..self.rank]
                .iter()
                .all(|column| !row.eval(column))
                && !key
                    .at_row(key.row(self.exact_m) + self.exact_offset)
                    .eval(&clubcard.exact_filter)
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

    /// The key's row in a block of `m` rows: as clubcard-crlite, the last
    /// word modulo the rows.
    fn row(&self, m: usize) -> usize {
        (self.0[3] % m.max(1) as u64) as usize
    }

    /// The key's equation at `row`, ready to be evaluated on the columns
    /// of a block (they share the row).
    fn at_row(&self, row: usize) -> RowEquation<'_> {
        // The words shifted up to the row's bit: then the equation is the
        // plain AND of its five words with the column's, with no shift per
        // column. `>> 1 >> (63 - shift)` is `>> (64 - shift)` that gives 0
        // for shift 0.
        let shift = (row % 64) as u32;
        let [a0, a1, a2, a3] = self.0;
        let carry = |low: u64| low >> 1 >> (63 - shift);
        RowEquation {
            key: self,
            row,
            mask: [
                a0 << shift,
                (a1 << shift) | carry(a0),
                (a2 << shift) | carry(a1),
                (a3 << shift) | carry(a2),
                carry(a3),
            ],
        }
    }
}

/// A key's equation at one row, its words aligned to the column's.
struct RowEquation<'a> {
    key: &'a KeyWords,
    row: usize,
    mask: [u64; 5],
}

impl RowEquation<'_> {
    /// The equation evaluated on `column`: clubcard's `Equation::eval`
    /// (the parity of the column's 256 bits from the row on, masked by the
    /// key's words), which it calls where the five words the row spans
    /// are not all in the column, as for a block at a column's very end.
    /// The key's words are aligned (lowest bit set), so the equation is
    /// the words themselves, without clubcard's alignment pass.
    fn eval(&self, column: &[u64]) -> bool {
        let limb = self.row / 64;
        let Some(z) = column.get(limb..limb + 5) else {
            let equation: Equation<4> = Equation {
                s: self.row,
                a: self.key.0,
                b: 0,
            };
            return equation.eval(column) == 1;
        };
        let m = &self.mask;
        let masked = (z[0] & m[0]) ^ (z[1] & m[1]) ^ (z[2] & m[2]) ^ (z[3] & m[3]) ^ (z[4] & m[4]);
        masked.count_ones() & 1 == 1
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

    /// Asks every filter of `filters` (the set this index was made from)
    /// and ranks their answers: revoked in any, else not revoked in any,
    /// else not enrolled in any, else not covered; with the first filter
    /// that gave the answer. The key is hashed only when a filter that
    /// covers the certificate has a block for its issuer that can say
    /// revoked.
    pub fn ask(
        &self,
        filters: &[Filter],
        issuer: &[u8; 32],
        serial: &[u8],
        scts: &[Sct],
    ) -> (CrliteStatus, Option<usize>) {
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
            let inside = |&(log, ms): &(u32, u64)| {
                row[log as usize].is_some_and(|(low, high)| low <= ms && ms <= high)
            };
            stamped.iter().any(inside) || more.iter().any(inside)
        };
        let Some(first_covering) = (0..filters.len() as u16).find(|&n| covers(n)) else {
            return (CrliteStatus::NotCovered, None);
        };
        let Some(row) = self.issuers.get(issuer) else {
            // No filter that covers the certificate knows the issuer.
            return (CrliteStatus::NotEnrolled, Some(usize::from(first_covering)));
        };
        let mut key = None;
        for (n, block) in &row.can_revoke {
            if covers(*n) {
                let key = key.get_or_insert_with(|| KeyWords::new(issuer, serial));
                if block.revokes(&filters[usize::from(*n)], key, serial) {
                    return (CrliteStatus::RevokedInFilter, Some(usize::from(*n)));
                }
            }
        }
        match row.enrolled.iter().copied().find(|&n| covers(n)) {
            Some(n) => (CrliteStatus::NotRevoked, Some(usize::from(n))),
            // The filters that know the issuer do not cover the certificate.
            None => (CrliteStatus::NotEnrolled, Some(usize::from(first_covering))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// xorshift64: test data without a dependency that wasm32 lacks.
    fn words(state: &mut u64, n: usize) -> Vec<u64> {
        (0..n)
            .map(|_| {
                *state ^= *state << 13;
                *state ^= *state >> 7;
                *state ^= *state << 17;
                *state
            })
            .collect()
    }

    #[test]
    fn eval_is_clubcards_at_every_row() {
        let mut state = 0x9e37_79b9_7f4a_7c15;
        for len in [1, 4, 5, 6, 9] {
            let column = words(&mut state, len);
            for _ in 0..8 {
                let mut a: [u64; 4] = words(&mut state, 4).try_into().unwrap();
                a[0] |= 1;
                let key = KeyWords(a);
                // Every row of the column and a few beyond its end.
                for row in 0..64 * len + 70 {
                    let equation: Equation<4> = Equation { s: row, a, b: 0 };
                    assert_eq!(
                        key.at_row(row).eval(&column),
                        equation.eval(&column) == 1,
                        "row {row} of a {len}-limb column"
                    );
                }
            }
        }
    }

    #[test]
    fn aligned_words_are_clubcards_homogeneous_equation() {
        let mut state = 0x2545_f491_4f6c_dd1d;
        for _ in 0..64 {
            let mut a: [u64; 4] = words(&mut state, 4).try_into().unwrap();
            a[0] |= 1;
            let row = (state % 1000) as usize;
            assert_eq!(Equation::homogeneous(row, a), Equation { s: row, a, b: 0 });
        }
    }
}
