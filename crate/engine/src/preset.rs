//! The built-in policies, by name: the vocabulary that [`crate::policy`]
//! builds a [`crate::Policy`] from and that [`crate::Error::UnknownPolicy`]
//! lists. It sits below both, so neither has to import the other for it.

/// A built-in policy; [`crate::Policy::preset`] gives its tunables.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Preset {
    MozillaPlan,
    HardFail,
    FirefoxToday,
    Inspector,
    ChromeToday,
}

impl Preset {
    pub(crate) const fn name(self) -> &'static str {
        match self {
            Preset::MozillaPlan => "mozilla-plan",
            Preset::HardFail => "hard-fail",
            Preset::FirefoxToday => "firefox-today",
            Preset::Inspector => "inspector",
            Preset::ChromeToday => "chrome-today",
        }
    }

    pub(crate) fn from_name(name: &str) -> Option<Self> {
        [
            Preset::MozillaPlan,
            Preset::HardFail,
            Preset::FirefoxToday,
            Preset::Inspector,
            Preset::ChromeToday,
        ]
        .into_iter()
        .find(|p| p.name() == name)
    }
}

/// The names of the built-in policies.
pub const PRESET_NAMES: &[&str] = &[
    Preset::MozillaPlan.name(),
    Preset::HardFail.name(),
    Preset::FirefoxToday.name(),
    Preset::Inspector.name(),
    Preset::ChromeToday.name(),
];
