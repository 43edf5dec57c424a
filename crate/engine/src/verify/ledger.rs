//! Signature checks made ahead of time, for hosts whose crypto is
//! asynchronous (the browser's WebCrypto) while the engine is not.
//!
//! The host runs the engine against a [`Ledger`]. A check the ledger has no
//! result for is noted as wanted and, for that run only, assumed to hold, so
//! the run goes on to show every further check the same path needs. The
//! host makes the wanted checks, records their results and runs again. A
//! run that wanted nothing relied on real results only: its verdict is the
//! one to keep, and every other run's verdict must be thrown away. After
//! [`MAX_ROUNDS`] the ledger is sealed, and an unknown check then fails as
//! [`SignatureError::NotChecked`]: never "good" by accident.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

use super::{Check, KeyKind, SignatureAlgorithm, SignatureError, SignatureVerifier};

/// Runs before the ledger is sealed. One run normally finds every check
/// (the issuer's or a delegated responder's signature, for the staple and
/// the live answer); more happen only when a check fails and the validator
/// tries another candidate signer, at most one per certificate a response
/// may carry.
pub const MAX_ROUNDS: usize = 2 + crate::limits::MAX_OCSP_RESPONSE_CERTS;

/// A [`Check`] with its own bytes, to be made later.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WantedCheck {
    pub algorithm: SignatureAlgorithm,
    pub key: KeyKind,
    pub spki: Vec<u8>,
    pub message: Vec<u8>,
    pub signature: Vec<u8>,
}

impl WantedCheck {
    fn of(check: &Check<'_>) -> Self {
        WantedCheck {
            algorithm: check.algorithm,
            key: check.key,
            spki: check.spki.to_vec(),
            message: check.message.to_vec(),
            signature: check.signature.to_vec(),
        }
    }

    fn is(&self, check: &Check<'_>) -> bool {
        self.algorithm == check.algorithm
            && self.key == check.key
            && self.spki == check.spki
            && self.message == check.message
            && *self.signature == *check.signature
    }

    pub fn as_check(&self) -> Check<'_> {
        Check {
            algorithm: self.algorithm,
            key: self.key,
            spki: &self.spki,
            message: &self.message,
            signature: std::borrow::Cow::Borrowed(&self.signature),
        }
    }
}

/// Results of checks made so far, and the checks runs asked for beyond them.
#[derive(Debug, Default)]
pub struct Ledger {
    made: Vec<(WantedCheck, Result<(), SignatureError>)>,
    wanted: RefCell<Vec<WantedCheck>>,
    sealed: bool,
}

impl Ledger {
    pub fn new() -> Self {
        Ledger::default()
    }

    /// The checks the last run asked for and the ledger had no result for.
    /// Empty means the run's verdict stands on made checks alone.
    pub fn take_wanted(&mut self) -> Vec<WantedCheck> {
        std::mem::take(self.wanted.get_mut())
    }

    pub fn record(&mut self, check: WantedCheck, result: Result<(), SignatureError>) {
        if !self.made.iter().any(|(made, _)| *made == check) {
            self.made.push((check, result));
        }
    }

    /// From now on a check without a result fails as not checked.
    pub fn seal(&mut self) {
        self.sealed = true;
    }
}

impl SignatureVerifier for Ledger {
    fn check(&self, check: &Check<'_>) -> Result<(), SignatureError> {
        if let Some((_, result)) = self.made.iter().find(|(made, _)| made.is(check)) {
            return result.clone();
        }
        if self.sealed {
            return Err(SignatureError::NotChecked);
        }
        let mut wanted = self.wanted.borrow_mut();
        if !wanted.iter().any(|w| w.is(check)) {
            wanted.push(WantedCheck::of(check));
        }
        Ok(())
    }
}

/// The ledger protocol: runs `run` until a run wants no check the ledger
/// lacks, making each round's wanted checks with `make` in between (in the
/// browser build WebCrypto, all of a round's checks side by side). `make`
/// answers one result per check, in order; a check left unanswered stays
/// wanted, and fails as not checked once the ledger is sealed. Returns the
/// verdict of the run that wanted nothing, or of the run after sealing.
pub async fn settle<T, F>(
    mut run: impl FnMut(&Ledger) -> T,
    mut make: impl FnMut(Vec<WantedCheck>) -> F,
) -> T
where
    F: Future<Output = Vec<(WantedCheck, Result<(), SignatureError>)>>,
{
    let mut ledger = Ledger::new();
    for _ in 0..MAX_ROUNDS {
        let out = run(&ledger);
        let wanted = ledger.take_wanted();
        if wanted.is_empty() {
            return out;
        }
        for (check, result) in make(wanted).await {
            ledger.record(check, result);
        }
    }
    ledger.seal();
    run(&ledger)
}

/// [`settle`] with a synchronous backend, on the same code path: every
/// check is ready at once, so the future completes on its first poll.
pub fn settle_now<T>(run: impl FnMut(&Ledger) -> T, backend: &dyn SignatureVerifier) -> T {
    let settling = settle(run, |wanted| {
        let made = wanted
            .into_iter()
            .map(|check| {
                let result = backend.check(&check.as_check());
                (check, result)
            })
            .collect();
        std::future::ready(made)
    });
    match poll_once(std::pin::pin!(settling)) {
        Poll::Ready(out) => out,
        // Nothing in `settle` awaits anything but the ready futures above.
        Poll::Pending => unreachable!("a synchronous backend left the ledger waiting"),
    }
}

/// Polls `future` once, with a waker that does nothing: enough to learn
/// whether a settling finished without waiting (no checks wanted, or a
/// synchronous backend). A future left pending must be polled again with a
/// real waker, which it then wakes.
pub fn poll_once<F: Future>(future: Pin<&mut F>) -> Poll<F::Output> {
    struct NoWake;
    impl Wake for NoWake {
        fn wake(self: Arc<Self>) {}
    }
    let waker = Waker::from(Arc::new(NoWake));
    future.poll(&mut Context::from_waker(&waker))
}
