//! Group commit: one writer thread takes the reports waiting in its queue,
//! up to the store's batch limit ([`Store::batch_limit`], by default
//! [`crate::store::MAX_BATCH`]) at a time, commits them in one
//! transaction, then answers each request. Under load a commit (one fsync)
//! carries hundreds of reports; when idle a report is committed on its own
//! at once.

use std::sync::Arc;
use std::thread::JoinHandle;

use revoscope::telemetry::report::Report;
use tokio::sync::{mpsc, oneshot};

use crate::store::{Inserted, Store, StoreError};

/// Why a report was not committed.
#[derive(Clone, Debug)]
pub enum WriteError {
    /// The store failed the batch the report was in.
    Store(Arc<StoreError>),
    /// The writer thread is gone (shutting down, or it panicked).
    Stopped,
}

impl core::fmt::Display for WriteError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Store(e) => e.fmt(f),
            Self::Stopped => f.write_str("the writer has stopped"),
        }
    }
}

struct Job {
    report: Report,
    reply: oneshot::Sender<Result<Inserted, WriteError>>,
}

/// Sends reports to the writer thread; cheap to clone.
#[derive(Clone)]
pub struct Writer {
    queue: mpsc::Sender<Job>,
}

impl Writer {
    /// Starts the writer thread. It ends when every [`Writer`] is dropped
    /// and the queue is empty: join the handle to know every accepted
    /// report was answered.
    pub fn spawn(store: Arc<dyn Store>) -> std::io::Result<(Writer, JoinHandle<()>)> {
        // Reports waiting for the writer at most; further requests wait to
        // enqueue (back-pressure on the connections, not unbounded memory).
        let (queue, jobs) = mpsc::channel(4 * store.batch_limit().max(1));
        let thread = std::thread::Builder::new()
            .name("writer".into())
            .spawn(move || run(store, jobs))?;
        Ok((Writer { queue }, thread))
    }

    /// Commits `report` (with whatever else is waiting); answers once it is
    /// durable, or a replay.
    pub async fn submit(&self, report: Report) -> Result<Inserted, WriteError> {
        let (reply, answer) = oneshot::channel();
        self.queue
            .send(Job { report, reply })
            .await
            .map_err(|_| WriteError::Stopped)?;
        answer.await.unwrap_or(Err(WriteError::Stopped))
    }

    pub fn is_running(&self) -> bool {
        !self.queue.is_closed()
    }
}

fn run(store: Arc<dyn Store>, mut jobs: mpsc::Receiver<Job>) {
    let limit = store.batch_limit().max(1);
    let mut reports = Vec::with_capacity(limit);
    let mut replies = Vec::with_capacity(limit);
    while let Some(first) = jobs.blocking_recv() {
        let mut next = Some(first);
        while let Some(job) = next {
            reports.push(job.report);
            replies.push(job.reply);
            next = if reports.len() < limit {
                jobs.try_recv().ok()
            } else {
                None
            };
        }
        let outcome = store.insert(&reports).and_then(|outcome| {
            if outcome.len() == reports.len() {
                Ok(outcome)
            } else {
                Err(StoreError::Corrupt(format!(
                    "the store answered {} outcomes for a batch of {}",
                    outcome.len(),
                    reports.len()
                )))
            }
        });
        reports.clear();
        match outcome {
            Ok(outcome) => {
                for (reply, inserted) in replies.drain(..).zip(outcome) {
                    // The client may have gone; the report is stored anyway
                    // and a resend will be a replay.
                    let _ = reply.send(Ok(inserted));
                }
            }
            Err(e) => {
                crate::log::line(&format!(
                    "writer: a batch of {} reports failed: {e}",
                    replies.len()
                ));
                let e = Arc::new(e);
                for reply in replies.drain(..) {
                    let _ = reply.send(Err(WriteError::Store(e.clone())));
                }
            }
        }
    }
}
