//! The telemetry collector: receives the daily reports users opt in to
//! share, keeps them, and publishes k-anonymous daily aggregates.
//!
//! What it never keeps: a client's address (used in memory for rate
//! limiting only, never stored or logged), the time a report arrived, any
//! header. A report carries no site, no client id and no time finer than
//! its day (see `revoscope::telemetry::report`).

pub mod aggregate;
pub mod api;
pub mod args;
pub mod log;
pub mod rate;
pub mod store;
pub mod writer;

use std::net::SocketAddr;
use std::sync::Arc;

use crate::aggregate::Layout;
use crate::api::{Clock, Service};
use crate::args::Args;
use crate::rate::{RateLimiter, PRUNE_EVERY};
use crate::store::StoreError;
use crate::writer::Writer;

/// Why the collector could not start or stopped.
#[derive(Debug)]
pub enum ServeError {
    Store(StoreError),
    Listen {
        addr: SocketAddr,
        source: std::io::Error,
    },
    /// Starting the writer thread, or the server's accept loop.
    Io(std::io::Error),
    WriterPanicked,
}

impl core::fmt::Display for ServeError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Store(e) => e.fmt(f),
            Self::Listen { addr, source } => write!(f, "cannot listen on {addr}: {source}"),
            Self::Io(e) => e.fmt(f),
            Self::WriterPanicked => f.write_str("the writer thread panicked"),
        }
    }
}

impl std::error::Error for ServeError {}

/// Serves until SIGINT or SIGTERM, then answers the requests under way,
/// waits for the writer to commit what it accepted, and returns.
/// `today` is the clock the report days are checked against.
pub async fn serve(args: &Args, today: Clock) -> Result<(), ServeError> {
    let store: Arc<dyn store::Store> = Arc::from(store::open(args).map_err(ServeError::Store)?);
    let (writer, writer_thread) = Writer::spawn(store.clone()).map_err(ServeError::Io)?;
    let service = Arc::new(Service {
        store,
        writer,
        limiter: RateLimiter::new(args.rate_limit),
        k: args.k,
        max_age_days: args.max_age_days,
        today,
        layout: Layout::new(),
    });
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|source| ServeError::Listen {
            addr: args.listen,
            source,
        })?;
    let addr = listener.local_addr().map_err(ServeError::Io)?;
    // The tests wait for this line to learn the port.
    log::line(&format!("revoscope-collector: listening on http://{addr}"));

    let pruning = service.limiter.is_some().then(|| {
        let service = service.clone();
        tokio::spawn(async move {
            let mut every = tokio::time::interval(PRUNE_EVERY);
            loop {
                every.tick().await;
                if let Some(limiter) = &service.limiter {
                    limiter.prune(std::time::Instant::now());
                }
            }
        })
    });
    let app = api::router(service, args.dashboard.as_deref());
    let served = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await;
    if let Some(task) = pruning {
        task.abort();
        let _ = task.await;
    }
    served.map_err(ServeError::Io)?;
    // Every sender is gone with the router: the writer drains and ends.
    tokio::task::spawn_blocking(move || writer_thread.join())
        .await
        .map_err(|_| ServeError::WriterPanicked)?
        .map_err(|_| ServeError::WriterPanicked)?;
    log::line("revoscope-collector: stopped");
    Ok(())
}

async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut terminate =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(signal) => signal,
                Err(_) => return interrupt.await.unwrap_or(()),
            };
        tokio::select! {
            _ = interrupt => {}
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = interrupt.await;
}
