//! Bounds on untrusted input, in one place, each with where it comes from.
//!
//! docs/limits.md lists, for each, where it is enforced, the error that
//! names it and the tests; `crate/engine/tests/limits.rs` tests each one at its
//! edge (at the limit accepted, one past it refused).

/// Largest certificate accepted, in bytes. mozpkix's `Input` holds at most
/// 65,535 bytes (pkix/Input.h, `Input::Init`), so Firefox accepts no larger.
pub const MAX_CERT_LEN: usize = 65_535;

/// Longest chain accepted. mozpkix builds paths of at most the end entity,
/// `MAX_SUBCA_COUNT` = 6 intermediates (pkixbuild.cpp) and the trust anchor.
pub const MAX_CHAIN_LEN: usize = 8;

/// Longest serial number, in content octets. RFC 5280 section 4.1.2.2 caps
/// serials at 20 octets; one more octet carries the sign bit of a 20-octet
/// positive serial, and a little slack admits the non-conforming serials that
/// OneCRL itself lists.
pub const MAX_SERIAL_LEN: usize = 32;

/// Largest OneCRL snapshot accepted, in bytes. The real collection is about
/// 1 MB (1,918 records); 32 MiB leaves room to grow while bounding memory.
pub const MAX_SNAPSHOT_LEN: usize = 32 * 1024 * 1024;

/// Most records accepted in one OneCRL snapshot (or synced collection):
/// about 100 times the real collection's 1,918. The size bound alone would
/// admit some two million tombstones (`{"deleted":true}`).
pub const MAX_SNAPSHOT_RECORDS: usize = 200_000;

/// Most embedded SCTs read from one certificate; real certificates carry 2 to 5.
pub const MAX_SCTS: usize = 64;

/// Smallest RSA modulus a signature is accepted from. Firefox's CertVerifier
/// uses `MIN_RSA_BITS_WEAK` = 1024 for ordinary (non-EV) verification, and
/// its OCSP signer checks go through the same trust domain.
pub const MIN_RSA_MODULUS_BITS: usize = 1024;

/// Largest RSA modulus accepted: a bound on the work one signature check can
/// cost. Public CAs use 2048 to 4096 bits.
pub const MAX_RSA_MODULUS_BITS: usize = 8192;

/// Largest OCSP response accepted, in bytes: mozpkix reads the response
/// into an `Input`, which holds at most 65,535 bytes (pkix/Input.h), so
/// Firefox can use no larger. Real responses are 300 bytes to 4 KB.
pub const MAX_OCSP_RESPONSE_LEN: usize = 65_535;

/// Largest body accepted from an AIA caIssuers URL, in bytes: Chromium's
/// cap on AIA fetches (`kMaxResponseSizeInBytesForAia`, 64 KiB, in
/// net/cert_net/cert_net_fetcher_url_request.cc). A certificate is a few KB;
/// a PKCS#7 bundle a few of them.
pub const MAX_ISSUER_FETCH_LEN: usize = 64 * 1024;

/// Most certificates read from a PKCS#7 "certs-only" bundle fetched for a
/// missing issuer. CAs serve the issuer alone, or with its own chain.
pub const MAX_ISSUER_BUNDLE_CERTS: usize = MAX_CHAIN_LEN;

/// Most SingleResponses read from one OCSP response. Responders answer for
/// the one CertID asked, or for a handful when they pre-sign batches.
pub const MAX_OCSP_SINGLE_RESPONSES: usize = 512;

/// Most certificates a BasicOCSPResponse may carry for the signer. A
/// delegated responder sends its own certificate, at most with its chain:
/// `MAX_CHAIN_LEN` of them.
pub const MAX_OCSP_RESPONSE_CERTS: usize = 8;

/// Most OCSP responder hosts kept per day in local telemetry; further hosts
/// are counted under `other`. A browsing day meets a few dozen CAs at most.
pub const MAX_TELEMETRY_RESPONDERS: usize = 200;

/// Longest telemetry retention, in days: ten years (the default is 90).
pub const MAX_TELEMETRY_RETENTION_DAYS: u16 = 3_660;

/// Largest stored telemetry day accepted, in bytes. A full day (every label,
/// every bucket, `MAX_TELEMETRY_RESPONDERS` hosts) serialises to about 100 KB.
pub const MAX_TELEMETRY_DAY_LEN: usize = 1024 * 1024;

/// Largest CRLite filter file accepted, in bytes. Mozilla's full clubcard
/// filters are 1 to 5 MB (CRLite's clubcards replaced ~20 MB cascades);
/// 32 MiB bounds memory with room to grow.
pub const MAX_CRLITE_FILTER_LEN: usize = 32 * 1024 * 1024;

/// Most deltas chained to one full filter. Mozilla publishes a full filter
/// about daily and a delta about every 6 hours, so a chain is a few deltas;
/// the benchmark loads 30.
pub const MAX_CRLITE_DELTAS: usize = 256;

/// Most records accepted from the cert-revocations collection. Each
/// channel needs a full filter and at most `MAX_CRLITE_DELTAS` deltas (257
/// records); 1,024 leaves room for several channels.
pub const MAX_CRLITE_RECORDS: usize = 1_024;

/// Largest telemetry report accepted, in bytes. A report of schema 2 with
/// every one of its 1,092 counts at the clip is under 7 KB (schema 1's 758,
/// under 5 KB).
pub const MAX_REPORT_LEN: usize = 16 * 1024;

/// Largest CRL accepted, in bytes. Netcraft's survey of 2012 found CAs'
/// CRLs averaging 1 KB to 512 KB (summarised at unmitigatedrisk.com/?p=351);
/// the CRLs of the 50 intermediates most seen on the web in 2024 were
/// measured in "How big are CRLs?" (technotes.seastrom.com, 2024-07-31);
/// partitioned CRLs such as Let's Encrypt's shards are smaller still. 32 MiB
/// admits the largest with room, and bounds the memory one fetch can cost.
pub const MAX_CRL_LEN: usize = 32 * 1024 * 1024;

/// Most entries read from one CRL. The smallest entry (a one-octet serial
/// and a UTCTime) takes 20 bytes, so `MAX_CRL_LEN` alone would admit some
/// 1.7 million; a million bounds the index at about 50 MB.
pub const MAX_CRL_ENTRIES: usize = 1_000_000;

/// Largest CRLSet file accepted, in bytes. Chrome's full set was 612 KB
/// (version 9982, August 2025) and the set of Android's low-memory cohort
/// 24 KB (agl/crlset-tools pull request 13); 16 MiB, about 27 times the
/// full set, leaves room to grow while bounding memory. Chromium's
/// `CRLSet::Parse` (net/cert/crl_set.cc) itself takes any size.
pub const MAX_CRLSET_LEN: usize = 16 * 1024 * 1024;

/// Longest CRLSet JSON header, in bytes: the format's own bound, a
/// little-endian uint16 length (net/cert/crl_set.cc), named so that the
/// limit is stated with the others. A length past the bytes that follow is
/// `CrlSetError::TruncatedHeader`.
pub const MAX_CRLSET_HEADER_LEN: usize = u16::MAX as usize;

/// Most parents (issuer SPKI hashes with their serials) read from one
/// CRLSet. The full set covers the CRLs of the CAs disclosed in CCADB, a
/// few thousand (agl/crlset-tools pull request 13); Chromium reserves room
/// for 64 ("value observed experimentally", net/cert/crl_set.cc), the
/// count before the full set. Each parent takes at least 36 bytes, so
/// `MAX_CRLSET_LEN` alone would admit some 466,000.
pub const MAX_CRLSET_PARENTS: usize = 65_536;

/// Most serials one parent may declare: Chromium's own sanity check in
/// `ReadCRL` (net/cert/crl_set.cc), 32 Mi. Room is reserved for no more
/// serials than the bytes left could hold (each takes at least its length
/// byte), and a count past them ends as `CrlSetError::Truncated` where the
/// bytes run out, so `MAX_CRLSET_LEN` bounds the real number far lower.
pub const MAX_CRLSET_SERIALS_PER_PARENT: u32 = 32 * 1024 * 1024;

/// Longest serial in a CRLSet, in bytes: the format's own bound, one length
/// byte (net/cert/crl_set.cc). Chromium reads any length from 0 to 255, so
/// a shorter limit would refuse, whole, a set Chrome uses; serials longer
/// than `MAX_SERIAL_LEN` simply never match a certificate the engine reads.
pub const MAX_CRLSET_SERIAL_LEN: usize = u8::MAX as usize;

/// Largest CRX3 package accepted, in bytes: a `crl-set` of
/// `MAX_CRLSET_LEN` stored uncompressed, plus 1 MiB for the header (at
/// most `MAX_CRX_HEADER_LEN`), the manifest and the zip's records. Chrome's
/// full CRLSet package is well under a megabyte.
pub const MAX_CRX_LEN: usize = MAX_CRLSET_LEN + 1024 * 1024;

/// Longest CRX3 header (the `CrxFileHeader` protocol buffer), in bytes:
/// Chromium's own bound, `kMaxHeaderSize` = 1 << 18 in
/// components/crx_file/crx_verifier.cc.
pub const MAX_CRX_HEADER_LEN: usize = 1 << 18;

/// Most signature proofs read from one CRX3 header. A package carries its
/// developer's proof and, from the Chrome Web Store, a publisher proof;
/// Chromium sets no bound, but each proof costs a signature check over the
/// whole archive (with RSA keys of up to `MAX_RSA_MODULUS_BITS`).
pub const MAX_CRX_PROOFS: usize = 8;
