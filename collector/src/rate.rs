//! Per-address rate limiting of report submissions: a token bucket per
//! client address, in memory only (the addresses are never written
//! anywhere, and a bucket is forgotten as soon as it is full again).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Buckets held at most; beyond it (after dropping the full ones) new
/// addresses pass unlimited rather than grow memory without bound.
pub const MAX_TRACKED: usize = 100_000;

/// How often the server drops the buckets that are full again.
pub const PRUNE_EVERY: Duration = Duration::from_secs(60);

/// What to do with one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Admission {
    Allowed,
    /// Over the limit; a token is back after this many seconds.
    Limited {
        retry_after_secs: u64,
    },
}

/// A client as the limiter counts it: an IPv4 address, or the /64 an IPv6
/// address is in (one host usually holds a whole /64).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Client {
    V4(u32),
    V6(u64),
}

impl Client {
    fn of(addr: IpAddr) -> Client {
        match addr.to_canonical() {
            IpAddr::V4(v4) => Client::V4(v4.into()),
            IpAddr::V6(v6) => Client::V6((u128::from(v6) >> 64) as u64),
        }
    }
}

struct Bucket {
    tokens: f64,
    at: Instant,
}

/// `per_minute` requests a minute per client, in bursts of up to
/// `per_minute`.
pub struct RateLimiter {
    capacity: f64,
    /// Tokens per second.
    refill: f64,
    buckets: Mutex<HashMap<Client, Bucket>>,
}

impl RateLimiter {
    /// None when `per_minute` is 0 (no limit).
    pub fn new(per_minute: u32) -> Option<RateLimiter> {
        (per_minute > 0).then(|| RateLimiter {
            capacity: f64::from(per_minute),
            refill: f64::from(per_minute) / 60.0,
            buckets: Mutex::new(HashMap::new()),
        })
    }

    pub fn check(&self, addr: IpAddr, now: Instant) -> Admission {
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        let client = Client::of(addr);
        if !buckets.contains_key(&client) && buckets.len() >= MAX_TRACKED {
            self.prune_locked(&mut buckets, now);
            if buckets.len() >= MAX_TRACKED {
                return Admission::Allowed;
            }
        }
        let bucket = buckets.entry(client).or_insert(Bucket {
            tokens: self.capacity,
            at: now,
        });
        bucket.tokens = self.refilled(bucket, now);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Admission::Allowed
        } else {
            let wait = (1.0 - bucket.tokens) / self.refill;
            Admission::Limited {
                retry_after_secs: (wait.ceil() as u64).max(1),
            }
        }
    }

    /// Forgets the clients whose bucket is full again.
    pub fn prune(&self, now: Instant) {
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        self.prune_locked(&mut buckets, now);
    }

    pub fn tracked(&self) -> usize {
        self.buckets.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    fn prune_locked(&self, buckets: &mut HashMap<Client, Bucket>, now: Instant) {
        buckets.retain(|_, b| self.refilled(b, now) < self.capacity);
    }

    fn refilled(&self, bucket: &Bucket, now: Instant) -> f64 {
        let elapsed = now.saturating_duration_since(bucket.at).as_secs_f64();
        (bucket.tokens + elapsed * self.refill).min(self.capacity)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_then_one_token_per_interval() {
        let limiter = RateLimiter::new(3).unwrap();
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        let b: IpAddr = "192.0.2.2".parse().unwrap();
        let t0 = Instant::now();
        for _ in 0..3 {
            assert_eq!(limiter.check(a, t0), Admission::Allowed);
        }
        assert_eq!(
            limiter.check(a, t0),
            Admission::Limited {
                retry_after_secs: 20
            }
        );
        // Another client is not affected.
        assert_eq!(limiter.check(b, t0), Admission::Allowed);
        // 3 a minute: one token back after 20 s.
        let t1 = t0 + Duration::from_secs(20);
        assert_eq!(limiter.check(a, t1), Admission::Allowed);
        assert!(matches!(limiter.check(a, t1), Admission::Limited { .. }));
    }

    #[test]
    fn full_buckets_are_forgotten() {
        let limiter = RateLimiter::new(60).unwrap();
        let t0 = Instant::now();
        limiter.check("192.0.2.1".parse().unwrap(), t0);
        limiter.check("2001:db8::1".parse().unwrap(), t0);
        assert_eq!(limiter.tracked(), 2);
        limiter.prune(t0 + Duration::from_millis(500));
        assert_eq!(limiter.tracked(), 2);
        limiter.prune(t0 + Duration::from_secs(1));
        assert_eq!(limiter.tracked(), 0);
    }

    #[test]
    fn an_ipv6_slash_64_is_one_client_and_mapped_ipv4_is_ipv4() {
        let limiter = RateLimiter::new(1).unwrap();
        let t0 = Instant::now();
        assert_eq!(
            limiter.check("2001:db8::1".parse().unwrap(), t0),
            Admission::Allowed
        );
        assert!(matches!(
            limiter.check("2001:db8::ffff:2".parse().unwrap(), t0),
            Admission::Limited { .. }
        ));
        assert_eq!(
            limiter.check("2001:db8:0:1::1".parse().unwrap(), t0),
            Admission::Allowed
        );
        assert_eq!(
            limiter.check("192.0.2.9".parse().unwrap(), t0),
            Admission::Allowed
        );
        assert!(matches!(
            limiter.check("::ffff:192.0.2.9".parse().unwrap(), t0),
            Admission::Limited { .. }
        ));
    }

    #[test]
    fn no_limit_at_zero() {
        assert!(RateLimiter::new(0).is_none());
    }
}
