//! The browsers the companion knows.

/// A browser whose revocation data and native messaging setup we know.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Browser {
    Firefox,
    Chromium,
    /// Google Chrome: Chromium's files in its own directories.
    Chrome,
}

impl Browser {
    pub const ALL: [Browser; 3] = [Browser::Firefox, Browser::Chromium, Browser::Chrome];

    /// The name requests and `--browser` use.
    pub fn name(self) -> &'static str {
        match self {
            Browser::Firefox => "firefox",
            Browser::Chromium => "chromium",
            Browser::Chrome => "chrome",
        }
    }

    pub fn from_name(name: &str) -> Option<Browser> {
        Browser::ALL.into_iter().find(|b| b.name() == name)
    }
}
