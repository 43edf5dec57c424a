//! The log: one line per request on stderr, with the method, the route, the
//! status and a word for the outcome. Never a client address, never a
//! report id, never a query string.

use std::io::Write;

/// Writes `text` and a newline in one write, so lines from concurrent
/// requests do not interleave.
pub fn line(text: &str) {
    let mut buffer = String::with_capacity(text.len() + 1);
    buffer.push_str(text);
    buffer.push('\n');
    // A closed stderr must not take the service down.
    let _ = std::io::stderr().lock().write_all(buffer.as_bytes());
}
