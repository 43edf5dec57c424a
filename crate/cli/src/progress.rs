//! What a sync shows while it downloads: one line on stderr (indicatif)
//! naming the request and the bytes received, cleared when the sync ends.
//! Only on a terminal, and never with `--json`: stderr then stays exactly
//! what it is without it.

use std::io::IsTerminal as _;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

/// How often the spinner turns while a request waits.
const TICK: Duration = Duration::from_millis(120);

/// The progress line of one sync; inert when hidden.
pub struct Progress(ProgressBar);

impl Progress {
    /// A line for `what` (`onecrl sync`...), shown only when stderr is a
    /// terminal and the output is not `--json`.
    pub fn new(what: &'static str, json: bool) -> Progress {
        if json || !std::io::stderr().is_terminal() {
            return Progress(ProgressBar::hidden());
        }
        let bar = ProgressBar::new_spinner().with_prefix(what);
        bar.enable_steady_tick(TICK);
        Progress(bar)
    }

    /// A request starts.
    pub fn request(&self, url: &str) {
        self.0.set_style(style(
            "{spinner} {prefix}: {bytes} {wide_msg}",
            ProgressStyle::default_spinner,
        ));
        self.0.unset_length();
        self.0.set_position(0);
        // The URL may come from the server (x5u, attachments): no control
        // characters reach the terminal.
        self.0.set_message(crate::one_line(url));
    }

    /// `received` bytes of the body so far, of `announced` when its length
    /// is known.
    pub fn body(&self, received: u64, announced: Option<u64>) {
        if let Some(total) = announced {
            if self.0.length() != Some(total) {
                self.0.set_style(style(
                    "{prefix}: [{bar:30}] {bytes}/{total_bytes} {wide_msg}",
                    ProgressStyle::default_bar,
                ));
                self.0.set_length(total);
            }
        }
        self.0.set_position(received);
    }

    /// The sync is over: the line goes, before the report is printed.
    pub fn finish(&self) {
        self.0.finish_and_clear();
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

/// A style from a template written here; the default one should it not
/// parse.
fn style(template: &str, default: fn() -> ProgressStyle) -> ProgressStyle {
    ProgressStyle::with_template(template)
        .map(|s| s.progress_chars("=> "))
        .unwrap_or_else(|_| default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_with_json_and_off_a_terminal() {
        assert!(Progress::new("onecrl sync", true).0.is_hidden());
        // Under `cargo test`, stderr is captured or piped, not a terminal.
        if !std::io::stderr().is_terminal() {
            assert!(Progress::new("crlite sync", false).0.is_hidden());
        }
        // Hidden, it takes every call and shows nothing.
        let progress = Progress::new("crlite sync", true);
        progress.request("http://127.0.0.1/v1/");
        progress.body(10, Some(20));
        progress.body(30, None);
        progress.finish();
    }
}
