//! The JSON header, read as Chromium's `CRLSet::Parse` reads it
//! (net/cert/crl_set.cc): `ReadHeader` (JSON with trailing commas allowed,
//! an object), then `ContentType`, `Version`, `Sequence` and `NotAfter`
//! before the parent blocks, and the hash lists after them
//! (`CopyHashListFromHeader`, `CopyHashToHashesMapFromHeader`).

use std::borrow::Cow;

use base64::alphabet::STANDARD;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;
use serde_json::{Map, Value};

use super::CrlSetError;
use crate::time::UnixTime;

/// What comes before the parent blocks.
pub(super) struct Fields {
    pub object: Map<String, Value>,
    pub sequence: u32,
    pub not_after: Option<UnixTime>,
    pub declared_parents: Option<u64>,
}

/// The header's hash lists, decoded; hashes of other than 32 bytes dropped
/// and counted (they can never equal a SHA-256).
#[derive(Default)]
pub(super) struct Lists {
    pub blocked_spkis: Vec<[u8; 32]>,
    pub known_interception_spkis: Vec<[u8; 32]>,
    pub blocked_interception_spkis: Vec<[u8; 32]>,
    /// In key order, as Chromium walks its dictionary.
    pub limited_subjects: Vec<Limited>,
    pub unmatchable: usize,
}

/// A limited subject's hash and the SPKI hashes allowed for it.
pub(super) type Limited = ([u8; 32], Vec<[u8; 32]>);

/// Base64 as Chromium's `base::Base64Decode` (modp_b64) reads it: the
/// standard alphabet, padding required, no whitespace, the unused low bits
/// of the last symbol not checked.
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::RequireCanonical)
        .with_decode_allow_trailing_bits(true),
);

/// `ReadHeader`, then the fields `Parse` checks before the parents.
pub(super) fn read_fields(header: &[u8]) -> Result<Fields, CrlSetError> {
    let value: Value = serde_json::from_slice(&allow_trailing_commas(header)).map_err(|e| {
        CrlSetError::HeaderNotJson {
            cause: e.to_string(),
        }
    })?;
    let Value::Object(object) = value else {
        return Err(CrlSetError::HeaderNotObject);
    };
    let text = |key: &str| object.get(key).map(Value::to_string);

    // `FindString("ContentType")`, compared with the magic value.
    if object.get("ContentType").and_then(Value::as_str) != Some("CRLSet") {
        return Err(CrlSetError::WrongContentType {
            found: text("ContentType"),
        });
    }
    // `FindInt("Version") != kCurrentFileVersion`: absent, a float or any
    // other integer is refused.
    if object.get("Version").and_then(int32) != Some(0) {
        return Err(CrlSetError::UnsupportedVersion {
            found: text("Version"),
        });
    }
    // `FindInt("Sequence")`, then `static_cast<uint32_t>`.
    let sequence =
        object
            .get("Sequence")
            .and_then(int32)
            .ok_or_else(|| CrlSetError::BadSequence {
                found: text("Sequence"),
            })? as u32;
    // `FindDouble("NotAfter").value_or(0)`: an integer or a float; anything
    // else counts as absent. Below zero refuses the file; the cast to
    // uint64 drops the fraction (and saturates here, where C++ would be
    // undefined). 0 means no expiry (`IsExpired`).
    let not_after = match object.get("NotAfter").and_then(Value::as_f64) {
        Some(n) if n < 0.0 => {
            return Err(CrlSetError::NegativeNotAfter {
                found: text("NotAfter").unwrap_or_default(),
            })
        }
        Some(n) => Some(n as u64).filter(|&secs| secs != 0).map(UnixTime),
        None => None,
    };
    let declared_parents = object.get("NumParents").and_then(Value::as_u64);
    Ok(Fields {
        object,
        sequence,
        not_after,
        declared_parents,
    })
}

/// The hash lists, in `Parse`'s order: `BlockedSPKIs`, `LimitedSubjects`,
/// `KnownInterceptionSPKIs`, `BlockedInterceptionSPKIs`.
pub(super) fn read_lists(object: &Map<String, Value>) -> Result<Lists, CrlSetError> {
    let mut lists = Lists::default();
    lists.blocked_spkis = hash_list(object, "BlockedSPKIs", &mut lists.unmatchable)?;
    lists.limited_subjects = limited_subjects(object, &mut lists.unmatchable)?;
    lists.known_interception_spkis =
        hash_list(object, "KnownInterceptionSPKIs", &mut lists.unmatchable)?;
    lists.blocked_interception_spkis =
        hash_list(object, "BlockedInterceptionSPKIs", &mut lists.unmatchable)?;
    Ok(lists)
}

/// A JSON integer of 32 signed bits: what `base::Value::FindInt` finds
/// (base's JSON reader makes any other number a double).
fn int32(value: &Value) -> Option<i32> {
    value.as_i64().and_then(|n| i32::try_from(n).ok())
}

/// A SHA-256 hash, or `None` for bytes of another length.
fn hash32(bytes: Vec<u8>, unmatchable: &mut usize) -> Option<[u8; 32]> {
    let hash = <[u8; 32]>::try_from(bytes).ok();
    if hash.is_none() {
        *unmatchable += 1;
    }
    hash
}

/// `CopyHashListFromHeader`: absent, or not a list, is no list.
fn hash_list(
    object: &Map<String, Value>,
    key: &'static str,
    unmatchable: &mut usize,
) -> Result<Vec<[u8; 32]>, CrlSetError> {
    let Some(Value::Array(list)) = object.get(key) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::with_capacity(list.len());
    for (index, item) in list.iter().enumerate() {
        let bad = |why| CrlSetError::BadHashList { key, index, why };
        let text = item.as_str().ok_or_else(|| bad("is not a string"))?;
        let bytes = BASE64.decode(text).map_err(|_| bad("is not base64"))?;
        out.extend(hash32(bytes, unmatchable));
    }
    Ok(out)
}

/// `CopyHashToHashesMapFromHeader` over `LimitedSubjects`: absent, or not
/// an object, is no map. For each entry, in key order: the value must be a
/// list of base64 strings, then the key must be base64.
fn limited_subjects(
    object: &Map<String, Value>,
    unmatchable: &mut usize,
) -> Result<Vec<Limited>, CrlSetError> {
    let Some(Value::Object(map)) = object.get("LimitedSubjects") else {
        return Ok(Vec::new());
    };
    let mut entries: Vec<(&String, &Value)> = map.iter().collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    let mut out = Vec::with_capacity(entries.len());
    for (subject, allowed) in entries {
        let bad = |why| CrlSetError::BadLimitedSubject {
            subject: subject.clone(),
            why,
        };
        let Value::Array(allowed) = allowed else {
            return Err(bad("is not a list"));
        };
        let mut spkis = Vec::with_capacity(allowed.len());
        for item in allowed {
            let text = item
                .as_str()
                .ok_or_else(|| bad("lists something other than a string"))?;
            let bytes = BASE64
                .decode(text)
                .map_err(|_| bad("lists a string that is not base64"))?;
            spkis.extend(hash32(bytes, unmatchable));
        }
        let key = BASE64.decode(subject).map_err(|_| bad("is not base64"))?;
        // A subject hash of another length limits nothing a certificate has.
        if let Some(key) = hash32(key, unmatchable) {
            out.push((key, spkis));
        }
    }
    Ok(out)
}

/// The header with each trailing comma removed: a comma that follows a
/// value and is followed, after whitespace, by `]` or `}`. Base's JSON
/// reader accepts those under `JSON_ALLOW_TRAILING_COMMAS`; a comma after
/// `[`, `{` or another comma stays, and is refused by the JSON reader as
/// base's is.
fn allow_trailing_commas(json: &[u8]) -> Cow<'_, [u8]> {
    let is_space = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r');
    let mut drop = Vec::new();
    let (mut in_string, mut escaped) = (false, false);
    let mut last = 0u8; // the last significant byte outside strings
    for (i, &b) in json.iter().enumerate() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b',' if !matches!(last, b'[' | b'{' | b',' | 0) => {
                let next = json[i + 1..].iter().copied().find(|&c| !is_space(c));
                if matches!(next, Some(b']' | b'}')) {
                    drop.push(i);
                    continue; // `last` stays the value before the comma
                }
            }
            _ => {}
        }
        if !is_space(b) {
            last = b;
        }
    }
    if drop.is_empty() {
        return Cow::Borrowed(json);
    }
    let mut out = Vec::with_capacity(json.len() - drop.len());
    let mut from = 0;
    for at in drop {
        out.extend_from_slice(&json[from..at]);
        from = at + 1;
    }
    out.extend_from_slice(&json[from..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::allow_trailing_commas;

    fn strip(s: &str) -> String {
        String::from_utf8(allow_trailing_commas(s.as_bytes()).into_owned()).unwrap()
    }

    #[test]
    fn only_commas_after_a_value_before_a_close_go() {
        assert_eq!(strip(r#"{"a":[1,2,],}"#), r#"{"a":[1,2]}"#);
        assert_eq!(strip("[1 ,\n ]"), "[1 \n ]");
        assert_eq!(strip(r#"{"a":"x,]",}"#), r#"{"a":"x,]"}"#);
        assert_eq!(strip(r#"["\",]"]"#), r#"["\",]"]"#);
        // Not after a value: left for the JSON reader to refuse.
        assert_eq!(strip("[,]"), "[,]");
        assert_eq!(strip("{,}"), "{,}");
        assert_eq!(strip("[1,,]"), "[1,,]");
        assert_eq!(strip(",]"), ",]");
    }
}
