//! Reports for the collector's benchmark, shared by `load` and `bench`:
#![allow(dead_code)] // each example uses part of it
//! report `n` of a seed is the same in every process, so the load
//! generator and the peers write the same reports without passing them.
//!
//! Shaped like a real user's day rather than uniform noise: 10 to about
//! 300 page loads spread over a few paths, hard-fail answers and CRLite
//! results (Firefox), about a tenth of them live OCSP requests to one to
//! three responders with their outcomes and latencies. About 30 of the
//! cells are nonzero, the rest 0, each clipped to 1023. Schema 2's, with
//! nothing in the sections it added (CRLs, the leaves' revocation
//! information): the same load as the schema-1 reports the figures in
//! docs/performance.md were measured with.

use revoscope::telemetry::report::{Browser, Report, ReportCounts, REPORT_CLIP, SECTIONS};
use revoscope::telemetry::Day;

/// splitmix64: small, fast, and the same everywhere.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in 0..n (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }
}

/// Where each section starts in the vector.
fn offsets() -> [usize; SECTIONS.len() + 1] {
    let mut at = [0; SECTIONS.len() + 1];
    for (i, s) in SECTIONS.iter().enumerate() {
        at[i + 1] = at[i] + s.len;
    }
    at
}

/// Adds `total` to `parts` cells of section `section` (cells drawn among
/// its first `among`, or all), unevenly.
fn spread(
    rng: &mut Rng,
    vector: &mut [u32],
    at: &[usize],
    section: usize,
    among: Option<(usize, usize)>,
    parts: u64,
    total: u64,
) {
    let (first, len) = among.unwrap_or((0, at[section + 1] - at[section]));
    let mut left = total;
    for part in 0..parts {
        let share = if part + 1 == parts {
            left
        } else {
            rng.below(left + 1)
        };
        left -= share;
        let cell = at[section] + first + rng.below(len as u64) as usize;
        vector[cell] = vector[cell].saturating_add(share as u32);
    }
}

/// The `n`th report of `seed`; its day drawn from `days` by weight.
pub fn report(seed: u64, n: u64, days: &[(Day, u32)]) -> Report {
    let mut rng = Rng::new(seed ^ n.wrapping_mul(0xd6e8_feb8_6659_fd93));
    let mut id = [0u8; 16];
    id[..8].copy_from_slice(&rng.next().to_le_bytes());
    id[8..].copy_from_slice(&rng.next().to_le_bytes());
    let weights: u64 = days.iter().map(|(_, w)| u64::from(*w)).sum();
    let mut pick = rng.below(weights);
    let day = days
        .iter()
        .find(|(_, w)| {
            let hit = pick < u64::from(*w);
            pick = pick.saturating_sub(u64::from(*w));
            hit
        })
        .map(|(d, _)| *d)
        .unwrap_or(days[0].0);
    let browser = if rng.below(10) < 6 {
        Browser::Firefox
    } else {
        Browser::Chrome
    };

    let at = offsets();
    let mut v = vec![0u32; at[SECTIONS.len()]];
    // 10 pages and up, most days under 100, some far over.
    let pages = 10 + rng.below(40) + rng.below(60) * rng.below(5);
    let live = pages / 10 + rng.below(3);
    let (
        paths,
        not_asked,
        outcomes,
        methods,
        latency,
        hard_fail,
        crlite,
        browser_ocsp,
        r_out,
        r_lat,
    ) = (0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    let parts = 1 + rng.below(4);
    spread(&mut rng, &mut v, &at, paths, None, parts, pages);
    let parts = 1 + rng.below(2);
    spread(&mut rng, &mut v, &at, hard_fail, None, parts, pages);
    if rng.below(4) == 0 {
        let total = 1 + rng.below(5);
        spread(&mut rng, &mut v, &at, not_asked, None, 1, total);
    }
    if browser == Browser::Firefox {
        let parts = 1 + rng.below(2);
        spread(&mut rng, &mut v, &at, crlite, None, parts, pages);
        v[at[browser_ocsp]] = pages as u32;
        v[at[browser_ocsp] + 1] = rng.below(pages / 5 + 1) as u32;
    }
    spread(&mut rng, &mut v, &at, methods, None, 1, live);
    // The live requests: mostly good, to one to three responders.
    let classes = SECTIONS[outcomes].len;
    let buckets = SECTIONS[latency].len;
    let responders = 1 + rng.below(3);
    let mut left = live;
    for r in 0..responders {
        let count = if r + 1 == responders {
            left
        } else {
            rng.below(left + 1)
        };
        left -= count;
        if count == 0 {
            continue;
        }
        let slot = rng.below(SECTIONS[r_out].len as u64 / classes as u64) as usize;
        let good = count - rng.below(count / 4 + 1);
        for (class, share) in [(0, good), (1 + rng.below(classes as u64 - 1), count - good)] {
            if share > 0 {
                v[at[outcomes] + class as usize] += share as u32;
                v[at[r_out] + slot * classes + class as usize] += share as u32;
            }
        }
        // Latency: 16 to 256 ms mostly.
        let bucket = (5 + rng.below(5)) as usize;
        let spread_to = (bucket + rng.below(2) as usize).min(buckets - 1);
        let first = count / 2;
        for (b, share) in [(bucket, first), (spread_to, count - first)] {
            if share > 0 {
                v[at[latency] + b] += share as u32;
                v[at[r_lat] + slot * buckets + b] += share as u32;
            }
        }
    }
    for cell in &mut v {
        *cell = (*cell).min(REPORT_CLIP);
    }
    Report {
        schema: revoscope::telemetry::report::REPORT_SCHEMA,
        id: revoscope::hex::encode(&id),
        day,
        extension: "0.1".into(),
        browser,
        counts: ReportCounts::from_vector(&v).expect("REPORT_LEN cells"),
    }
}

/// Today, UTC, by this machine's clock.
pub fn today() -> Day {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    Day::of(revoscope::UnixTime(secs))
}

/// The last `count` days up to `today`, weighted like a day of real
/// traffic: most reports are for yesterday (sent the day after), some
/// for today so far and the days before.
pub fn recent_days(today: Day, count: u32) -> Vec<(Day, u32)> {
    (0..count)
        .map(|back| {
            let weight = match back {
                0 => 10,
                1 => 70,
                _ => 20 / (count - 1).max(1),
            };
            (Day(today.0 - back), weight.max(1))
        })
        .collect()
}
