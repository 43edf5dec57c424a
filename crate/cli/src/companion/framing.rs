//! The native messaging framing: each message is a 32-bit length in the
//! platform's native byte order, then that many bytes of UTF-8 JSON, on
//! stdin (from the browser) and stdout (to it). MDN, "Native messaging":
//! <https://developer.mozilla.org/en-US/docs/Mozilla/Add-ons/WebExtensions/Native_messaging>;
//! Chrome: <https://developer.chrome.com/docs/extensions/develop/concepts/native-messaging>.

use std::fmt;
use std::io::{self, Read, Write};

/// The largest request read. Chrome lets an extension send up to 64 MiB;
/// the companion's requests are a few hundred bytes, so anything near this
/// is not one of ours and is refused before a byte of it is allocated.
pub const REQUEST_LIMIT: usize = 64 * 1024;

/// The largest reply written: Chrome's limit on a message from the host
/// ("The maximum size of a single message from the native messaging host
/// is 1 MB"); Firefox allows more, the smaller bound serves both.
pub const REPLY_LIMIT: usize = 1024 * 1024;

/// Why no message could be read.
#[derive(Debug)]
pub enum FrameError {
    /// The length prefix announces more than the limit. What follows it
    /// cannot be skipped safely (it may never come), so the stream is over.
    TooLarge { length: u32, limit: usize },
    /// The input ended inside a message (its prefix or its body).
    Truncated,
    /// Reading failed.
    Io(io::Error),
}

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FrameError::TooLarge { length, limit } => write!(
                f,
                "a message of {length} bytes was announced; requests are at most {limit} bytes"
            ),
            FrameError::Truncated => f.write_str("the input ended inside a message"),
            FrameError::Io(e) => write!(f, "cannot read stdin: {e}"),
        }
    }
}

/// Reads one message's bytes; `None` at the end of the input between
/// messages (the browser closed the port).
pub fn read_frame(input: &mut impl Read, limit: usize) -> Result<Option<Vec<u8>>, FrameError> {
    let mut prefix = [0u8; 4];
    let mut filled = 0;
    while filled < prefix.len() {
        match input.read(&mut prefix[filled..]) {
            Ok(0) if filled == 0 => return Ok(None),
            Ok(0) => return Err(FrameError::Truncated),
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(FrameError::Io(e)),
        }
    }
    let length = u32::from_ne_bytes(prefix);
    let size = usize::try_from(length)
        .ok()
        .filter(|&n| n <= limit)
        .ok_or(FrameError::TooLarge { length, limit })?;
    let mut body = vec![0u8; size];
    input.read_exact(&mut body).map_err(|e| match e.kind() {
        io::ErrorKind::UnexpectedEof => FrameError::Truncated,
        _ => FrameError::Io(e),
    })?;
    Ok(Some(body))
}

/// The message with its length prefix, ready to be written in one piece.
/// `None` when the body exceeds [`REPLY_LIMIT`].
pub fn encode(body: &[u8]) -> Option<Vec<u8>> {
    let length = u32::try_from(body.len())
        .ok()
        .filter(|_| body.len() <= REPLY_LIMIT)?;
    let mut frame = Vec::with_capacity(4 + body.len());
    frame.extend_from_slice(&length.to_ne_bytes());
    frame.extend_from_slice(body);
    Some(frame)
}

/// Writes a frame from [`encode`] whole and flushes it, so the browser
/// never sees half a message.
pub fn write_frame(output: &mut impl Write, frame: &[u8]) -> io::Result<()> {
    output.write_all(frame)?;
    output.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that hands out at most `chunk` bytes per read, as a pipe
    /// may.
    struct Trickle<'a> {
        data: &'a [u8],
        chunk: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.chunk.min(buf.len()).min(self.data.len());
            buf[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    #[test]
    fn messages_round_trip_whatever_the_reads() {
        let mut stream = encode(br#"{"a":1}"#).unwrap();
        stream.extend(encode(b"").unwrap());
        stream.extend(encode(br#"{"b":2}"#).unwrap());
        for chunk in [1, 3, 5, 1024] {
            let mut input = Trickle {
                data: &stream,
                chunk,
            };
            let mut got = Vec::new();
            while let Some(body) = read_frame(&mut input, REQUEST_LIMIT).unwrap() {
                got.push(body);
            }
            assert_eq!(
                got,
                [br#"{"a":1}"#.to_vec(), vec![], br#"{"b":2}"#.to_vec()],
                "{chunk}"
            );
        }
    }

    #[test]
    fn truncated_and_oversized_inputs_are_refused() {
        let frame = encode(b"hello").unwrap();
        for cut in [1, 3, 4, 8] {
            let r = read_frame(&mut &frame[..cut], REQUEST_LIMIT);
            assert!(matches!(r, Err(FrameError::Truncated)), "{cut}: {r:?}");
        }
        let huge = u32::MAX.to_ne_bytes();
        assert!(matches!(
            read_frame(&mut &huge[..], REQUEST_LIMIT),
            Err(FrameError::TooLarge {
                length: u32::MAX,
                ..
            })
        ));
        let just_over = u32::try_from(REQUEST_LIMIT + 1).unwrap().to_ne_bytes();
        assert!(matches!(
            read_frame(&mut &just_over[..], REQUEST_LIMIT),
            Err(FrameError::TooLarge { .. })
        ));
    }

    #[test]
    fn replies_over_chromes_limit_are_not_encoded() {
        assert!(encode(&vec![b' '; REPLY_LIMIT]).is_some());
        assert!(encode(&vec![b' '; REPLY_LIMIT + 1]).is_none());
    }
}
