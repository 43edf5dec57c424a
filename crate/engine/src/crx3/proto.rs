//! The three protocol-buffer messages of a CRX3 header, as Chromium's
//! components/crx_file/crx3.proto declares them (proto2), for `prost`.
//! Fields this module does not name (`sha256_with_ecdsa`'s neighbours that
//! newer writers add, for one) are skipped, as protobuf readers do.

/// ```text
/// message CrxFileHeader {
///   repeated AsymmetricKeyProof sha256_with_rsa = 2;
///   repeated AsymmetricKeyProof sha256_with_ecdsa = 3;
///   optional bytes signed_header_data = 10000;
/// }
/// ```
#[derive(Clone, PartialEq, prost::Message)]
pub(super) struct CrxFileHeader {
    #[prost(message, repeated, tag = "2")]
    pub sha256_with_rsa: Vec<AsymmetricKeyProof>,
    #[prost(message, repeated, tag = "3")]
    pub sha256_with_ecdsa: Vec<AsymmetricKeyProof>,
    #[prost(bytes = "vec", optional, tag = "10000")]
    pub signed_header_data: Option<Vec<u8>>,
}

/// ```text
/// message AsymmetricKeyProof {
///   optional bytes public_key = 1;   // a DER SubjectPublicKeyInfo
///   optional bytes signature = 2;
/// }
/// ```
#[derive(Clone, PartialEq, prost::Message)]
pub(super) struct AsymmetricKeyProof {
    #[prost(bytes = "vec", optional, tag = "1")]
    pub public_key: Option<Vec<u8>>,
    #[prost(bytes = "vec", optional, tag = "2")]
    pub signature: Option<Vec<u8>>,
}

/// ```text
/// message SignedData {
///   optional bytes crx_id = 1;   // the first 16 bytes of SHA-256(public key)
/// }
/// ```
#[derive(Clone, PartialEq, prost::Message)]
pub(super) struct SignedData {
    #[prost(bytes = "vec", optional, tag = "1")]
    pub crx_id: Option<Vec<u8>>,
}
