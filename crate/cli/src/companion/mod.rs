//! `revoscope companion`: the extension's optional native messaging host.
//!
//! Browsers do not show extensions the stapled OCSP response, nor the
//! chain of a page they refused (Mozilla bug 1474657); this host makes its
//! own TLS handshake with the page's host and hands both over. It speaks
//! the WebExtension native messaging protocol ([`framing`]) on stdin and
//! stdout: one JSON request in, one JSON reply out, matched by `id`.
//!
//! Requests are read one after another on this thread; `hello` and
//! `browser-lists` are answered at once, each probe on a thread of its own
//! (at most [`MAX_PROBES`] at a time), so a slow server holds up nothing
//! else. Replies are written whole, one at a time.

pub mod browser;
mod error;
mod framing;
mod host;
pub mod install;
mod lists;
mod probe;
mod request;

use std::io::{self, Stdout};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::SystemTime;

use serde::Serialize;
use serde_json::{json, Value};

use crate::{CliError, Exit};
use error::Error;
use framing::{FrameError, REPLY_LIMIT, REQUEST_LIMIT};
use request::Request;

/// Probes running at once; one more is answered `busy`. The extension
/// probes the page the user is on, one at a time, so four is room enough
/// for a few tabs, and little for anyone who would use it as a scanner.
pub const MAX_PROBES: usize = 4;

/// What the extension may ask for, as `hello` announces it.
const CAPABILITIES: [&str; 2] = ["probe", "browser-lists"];

#[derive(Debug)]
pub struct CompanionArgs {
    /// Let probes reach loopback, private, link-local... addresses.
    pub allow_private: bool,
}

/// Serves requests until stdin ends (exit 0) or can no longer be trusted
/// (a length over the limit: exit 1, after the `too-large` reply).
pub fn run(args: &CompanionArgs) -> Result<Exit, CliError> {
    let out = Arc::new(Replies {
        stdout: Mutex::new(io::stdout()),
    });
    let running = Arc::new(AtomicUsize::new(0));
    let mut probes: Vec<JoinHandle<()>> = Vec::new();
    let mut input = io::stdin().lock();
    loop {
        let body = match framing::read_frame(&mut input, REQUEST_LIMIT) {
            Ok(Some(body)) => body,
            Ok(None) => break,
            Err(FrameError::TooLarge { length, limit }) => {
                // Whatever follows the prefix is not a message boundary we
                // can find again: answer, and hold stdout until we exit so
                // no other reply starts.
                let error = Error::TooLarge { length, limit };
                let _ = out.send(&failure(None, &error));
                let held = out.stdout.lock();
                std::mem::forget(held);
                return Err(CliError::input(format!("companion: {error}")));
            }
            Err(e) => return Err(CliError::input(format!("companion: {e}"))),
        };
        let (id, request) = request::parse(&body);
        let reply = match request {
            Err(error) => failure(id.as_ref(), &error),
            Ok(Request::Hello) => success(
                id.as_ref(),
                "hello",
                &json!({
                    "version": env!("CARGO_PKG_VERSION"),
                    "capabilities": CAPABILITIES,
                }),
            ),
            Ok(Request::BrowserLists(asked)) => match lists::find(&asked, SystemTime::now()) {
                Ok(found) => success(id.as_ref(), "browser-lists", &found),
                Err(error) => failure(id.as_ref(), &error),
            },
            Ok(Request::Probe(asked)) => {
                probes.retain(|p| !p.is_finished());
                match start_probe(asked, id.clone(), args.allow_private, &out, &running) {
                    Ok(handle) => {
                        probes.push(handle);
                        continue;
                    }
                    Err(error) => failure(id.as_ref(), &error),
                }
            }
        };
        out.send(&reply)
            .map_err(|e| CliError::input(format!("companion: cannot write to stdout: {e}")))?;
    }
    // The browser closed the port: finish the probes under way (each has
    // its deadline) so their replies are not cut off, then end.
    for probe in probes {
        let _ = probe.join();
    }
    Ok(Exit::Clear)
}

/// Runs a probe on its own thread, unless [`MAX_PROBES`] are running.
fn start_probe(
    asked: request::Probe,
    id: Option<Value>,
    allow_private: bool,
    out: &Arc<Replies>,
    running: &Arc<AtomicUsize>,
) -> Result<JoinHandle<()>, Error> {
    running
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
            (n < MAX_PROBES).then_some(n + 1)
        })
        .map_err(|_| Error::Busy { limit: MAX_PROBES })?;
    let slot = Slot(Arc::clone(running));
    let out = Arc::clone(out);
    thread::Builder::new()
        .name("companion-probe".into())
        .spawn(move || {
            let _slot = slot;
            let reply = match probe::run(&asked, allow_private) {
                Ok(found) => success(id.as_ref(), "probe", &found),
                Err(error) => failure(id.as_ref(), &error),
            };
            // A browser that went away cannot be told; nothing to do.
            let _ = out.send(&reply);
        })
        .map_err(|e| Error::Internal(format!("cannot start a probe thread: {e}")))
}

/// A probe's place among the [`MAX_PROBES`], given back when its thread
/// ends however it ends.
struct Slot(Arc<AtomicUsize>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Stdout, one whole reply at a time.
struct Replies {
    stdout: Mutex<Stdout>,
}

impl Replies {
    fn send(&self, reply: &Value) -> io::Result<()> {
        let body = reply.to_string();
        let frame = match framing::encode(body.as_bytes()) {
            Some(frame) => frame,
            None => {
                let error = Error::ReplyTooLarge {
                    size: body.len(),
                    limit: REPLY_LIMIT,
                };
                let small = failure(reply.get("id"), &error).to_string();
                framing::encode(small.as_bytes()).unwrap_or_default()
            }
        };
        // A poisoned lock only means another thread panicked mid-reply;
        // the stream itself is whole (each frame is one write_all).
        let mut stdout = self.stdout.lock().unwrap_or_else(|p| p.into_inner());
        framing::write_frame(&mut *stdout, &frame)
    }
}

/// `{"id", "ok": true, "type", ...fields}`.
fn success<T: Serialize>(id: Option<&Value>, kind: &str, fields: &T) -> Value {
    let mut reply = serde_json::to_value(fields).unwrap_or_else(|_| json!({}));
    if let Value::Object(map) = &mut reply {
        map.insert("ok".into(), Value::Bool(true));
        map.insert("type".into(), Value::from(kind));
        if let Some(id) = id {
            map.insert("id".into(), id.clone());
        }
    }
    reply
}

/// `{"id" (when known), "ok": false, "error": {"code", "message"}}`.
fn failure(id: Option<&Value>, error: &Error) -> Value {
    let mut reply = json!({
        "ok": false,
        "error": {"code": error.code(), "message": error.to_string()},
    });
    if let Some(id) = id {
        reply["id"] = id.clone();
    }
    reply
}
