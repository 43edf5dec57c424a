//! ReasonFlags (RFC 5280 section 4.2.1.13), shared by a certificate's CRL
//! distribution points and a CRL's Issuing Distribution Point. Depends on
//! nothing else in the engine.

/// ReasonFlags bit names (RFC 5280 section 4.2.1.13), bit 0 first.
const REASON_FLAG_NAMES: [&str; 9] = [
    "unused",
    "keyCompromise",
    "cACompromise",
    "affiliationChanged",
    "superseded",
    "cessationOfOperation",
    "certificateHold",
    "privilegeWithdrawn",
    "aACompromise",
];

/// Every reason a CRL can cover (bits 1 to 8 of ReasonFlags).
pub(crate) const ALL_REASONS: u16 = 0b1_1111_1110;

/// The names of the ReasonFlags bits set in `bits`.
pub fn reason_names(bits: u16) -> Vec<&'static str> {
    REASON_FLAG_NAMES
        .iter()
        .enumerate()
        .filter(|(bit, _)| bits & (1 << bit) != 0)
        .map(|(_, name)| *name)
        .collect()
}

pub(crate) fn covers_all_reasons(bits: u16) -> bool {
    bits & ALL_REASONS == ALL_REASONS
}
