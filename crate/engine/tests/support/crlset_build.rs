//! Builds CRLSet files for the tests, byte for byte as Chromium's test-set
//! generator writes them (net/data/ssl/scripts/crlsetutil.py): the header
//! is Python's `json.dumps` of the keys Version, ContentType, Sequence,
//! NumParents, BlockedSPKIs, LimitedSubjects, KnownInterceptionSPKIs,
//! BlockedInterceptionSPKIs in that order (separators `", "` and `": "`),
//! the parents sorted by SPKI hash, each serial without the leading 0x00 of
//! a positive INTEGER (an empty one written as one zero byte). `not_after`,
//! which crlsetutil.py never writes, goes last when set.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;

#[derive(Clone, Debug)]
pub struct CrlSetSpec {
    pub sequence: i64,
    pub blocked_spkis: Vec<[u8; 32]>,
    /// Issuer SPKI hash and the serials (content octets, as certificates
    /// encode them) of the certificates it revoked.
    pub parents: Vec<([u8; 32], Vec<Vec<u8>>)>,
    /// Subject Name hash and the SPKI hashes allowed for it, in order.
    pub limited_subjects: Vec<([u8; 32], Vec<[u8; 32]>)>,
    pub known_interception_spkis: Vec<[u8; 32]>,
    pub blocked_interception_spkis: Vec<[u8; 32]>,
    pub not_after: Option<u64>,
}

impl Default for CrlSetSpec {
    /// crlsetutil.py's defaults: sequence 1, nothing listed.
    fn default() -> Self {
        CrlSetSpec {
            sequence: 1,
            blocked_spkis: Vec::new(),
            parents: Vec::new(),
            limited_subjects: Vec::new(),
            known_interception_spkis: Vec::new(),
            blocked_interception_spkis: Vec::new(),
            not_after: None,
        }
    }
}

fn b64_list(hashes: &[[u8; 32]]) -> String {
    let items: Vec<String> = hashes
        .iter()
        .map(|h| format!("\"{}\"", STANDARD.encode(h)))
        .collect();
    format!("[{}]", items.join(", "))
}

impl CrlSetSpec {
    pub fn header(&self) -> String {
        let limited: Vec<String> = self
            .limited_subjects
            .iter()
            .map(|(subject, allowed)| {
                format!("\"{}\": {}", STANDARD.encode(subject), b64_list(allowed))
            })
            .collect();
        let mut header = format!(
            "{{\"Version\": 0, \"ContentType\": \"CRLSet\", \"Sequence\": {}, \"NumParents\": {}, \
             \"BlockedSPKIs\": {}, \"LimitedSubjects\": {{{}}}, \"KnownInterceptionSPKIs\": {}, \
             \"BlockedInterceptionSPKIs\": {}",
            self.sequence,
            self.parents.len(),
            b64_list(&self.blocked_spkis),
            limited.join(", "),
            b64_list(&self.known_interception_spkis),
            b64_list(&self.blocked_interception_spkis),
        );
        if let Some(not_after) = self.not_after {
            header.push_str(&format!(", \"NotAfter\": {not_after}"));
        }
        header.push('}');
        header
    }

    pub fn bytes(&self) -> Vec<u8> {
        let mut parents = self.parents.clone();
        parents.sort_by_key(|p| p.0);
        let mut body = Vec::new();
        for (spki, serials) in &parents {
            let stored: Vec<&[u8]> = serials
                .iter()
                .map(|s| match s.as_slice() {
                    [] => &[0u8][..],
                    [0, rest @ ..] if !rest.is_empty() => rest,
                    other => other,
                })
                .collect();
            body.extend(parent_block(spki, &stored));
        }
        raw(&self.header(), &body)
    }
}

/// A file of this header text and these parent blocks.
pub fn raw(header: &str, body: &[u8]) -> Vec<u8> {
    let len = u16::try_from(header.len()).expect("a header under 64 KiB");
    let mut out = len.to_le_bytes().to_vec();
    out.extend_from_slice(header.as_bytes());
    out.extend_from_slice(body);
    out
}

/// One parent block: the hash, the count, each serial with its length byte.
pub fn parent_block(spki_sha256: &[u8; 32], serials: &[&[u8]]) -> Vec<u8> {
    let mut out = spki_sha256.to_vec();
    out.extend_from_slice(&(serials.len() as u32).to_le_bytes());
    for serial in serials {
        out.push(u8::try_from(serial.len()).expect("a serial under 256 bytes"));
        out.extend_from_slice(serial);
    }
    out
}

/// The smallest header Chromium reads (its `BuiltinCRLSet`), plus `extra`
/// members (`"Key": value` text, comma-separated, without the braces).
pub fn minimal_header(extra: &str) -> String {
    let mut header = String::from(r#"{"ContentType":"CRLSet","Sequence":0,"Version":0"#);
    if !extra.is_empty() {
        header.push(',');
        header.push_str(extra);
    }
    header.push('}');
    header
}
