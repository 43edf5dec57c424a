//! Every object identifier the engine matches on, in one place, each with
//! the document that assigns it. Names follow the ASN.1 value names of that
//! document (`id-ce-basicConstraints` is [`ID_CE_BASIC_CONSTRAINTS`]);
//! where the document gives none, the name says what it identifies.

use der::asn1::ObjectIdentifier as Oid;

// Certificate extensions (RFC 5280 section 4.2).

/// id-ce-subjectKeyIdentifier (RFC 5280 section 4.2.1.2).
pub const ID_CE_SUBJECT_KEY_IDENTIFIER: Oid = Oid::new_unwrap("2.5.29.14");
/// id-ce-keyUsage (RFC 5280 section 4.2.1.3).
pub const ID_CE_KEY_USAGE: Oid = Oid::new_unwrap("2.5.29.15");
/// id-ce-subjectAltName (RFC 5280 section 4.2.1.6).
pub const ID_CE_SUBJECT_ALT_NAME: Oid = Oid::new_unwrap("2.5.29.17");
/// id-ce-issuerAltName (RFC 5280 section 4.2.1.7).
pub const ID_CE_ISSUER_ALT_NAME: Oid = Oid::new_unwrap("2.5.29.18");
/// id-ce-basicConstraints (RFC 5280 section 4.2.1.9).
pub const ID_CE_BASIC_CONSTRAINTS: Oid = Oid::new_unwrap("2.5.29.19");
/// id-ce-nameConstraints (RFC 5280 section 4.2.1.10).
pub const ID_CE_NAME_CONSTRAINTS: Oid = Oid::new_unwrap("2.5.29.30");
/// id-ce-cRLDistributionPoints (RFC 5280 section 4.2.1.13).
pub const ID_CE_CRL_DISTRIBUTION_POINTS: Oid = Oid::new_unwrap("2.5.29.31");
/// id-ce-certificatePolicies (RFC 5280 section 4.2.1.4).
pub const ID_CE_CERTIFICATE_POLICIES: Oid = Oid::new_unwrap("2.5.29.32");
/// id-ce-policyMappings (RFC 5280 section 4.2.1.5).
pub const ID_CE_POLICY_MAPPINGS: Oid = Oid::new_unwrap("2.5.29.33");
/// id-ce-authorityKeyIdentifier (RFC 5280 section 4.2.1.1).
pub const ID_CE_AUTHORITY_KEY_IDENTIFIER: Oid = Oid::new_unwrap("2.5.29.35");
/// id-ce-policyConstraints (RFC 5280 section 4.2.1.11).
pub const ID_CE_POLICY_CONSTRAINTS: Oid = Oid::new_unwrap("2.5.29.36");
/// id-ce-extKeyUsage (RFC 5280 section 4.2.1.12).
pub const ID_CE_EXT_KEY_USAGE: Oid = Oid::new_unwrap("2.5.29.37");
/// id-ce-inhibitAnyPolicy (RFC 5280 section 4.2.1.14).
pub const ID_CE_INHIBIT_ANY_POLICY: Oid = Oid::new_unwrap("2.5.29.54");
// CRL and CRL entry extensions (RFC 5280 sections 5.2 and 5.3).

/// id-ce-cRLNumber (RFC 5280 section 5.2.3).
pub const ID_CE_CRL_NUMBER: Oid = Oid::new_unwrap("2.5.29.20");
/// id-ce-cRLReasons (RFC 5280 section 5.3.1).
pub const ID_CE_CRL_REASONS: Oid = Oid::new_unwrap("2.5.29.21");
/// id-ce-holdInstructionCode (RFC 3280 section 5.3.2; dropped by RFC 5280).
pub const ID_CE_HOLD_INSTRUCTION_CODE: Oid = Oid::new_unwrap("2.5.29.23");
/// id-ce-invalidityDate (RFC 5280 section 5.3.2).
pub const ID_CE_INVALIDITY_DATE: Oid = Oid::new_unwrap("2.5.29.24");
/// id-ce-deltaCRLIndicator (RFC 5280 section 5.2.4).
pub const ID_CE_DELTA_CRL_INDICATOR: Oid = Oid::new_unwrap("2.5.29.27");
/// id-ce-issuingDistributionPoint (RFC 5280 section 5.2.5).
pub const ID_CE_ISSUING_DISTRIBUTION_POINT: Oid = Oid::new_unwrap("2.5.29.28");
/// id-ce-certificateIssuer (RFC 5280 section 5.3.3).
pub const ID_CE_CERTIFICATE_ISSUER: Oid = Oid::new_unwrap("2.5.29.29");
/// id-ce-freshestCRL (RFC 5280 section 5.2.6).
pub const ID_CE_FRESHEST_CRL: Oid = Oid::new_unwrap("2.5.29.46");

/// id-pe-authorityInfoAccess (RFC 5280 section 4.2.2.1).
pub const ID_PE_AUTHORITY_INFO_ACCESS: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.1.1");
/// id-pe-tlsfeature, the TLS Feature extension (RFC 7633 section 6).
pub const ID_PE_TLSFEATURE: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.1.24");
/// The certificate extension that embeds an SCT list (RFC 6962 section 3.3).
pub const EMBEDDED_SCT_LIST: Oid = Oid::new_unwrap("1.3.6.1.4.1.11129.2.4.2");

// Access methods of the Authority Information Access extension.

/// id-ad-ocsp (RFC 5280 section 4.2.2.1).
pub const ID_AD_OCSP: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.48.1");
/// id-ad-caIssuers (RFC 5280 section 4.2.2.1).
pub const ID_AD_CA_ISSUERS: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.48.2");

// Extended key usages.

/// id-kp-codeSigning (RFC 5280 section 4.2.1.12), required of a Remote
/// Settings content signer.
pub const ID_KP_CODE_SIGNING: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.3.3");
/// id-kp-OCSPSigning (RFC 5280 section 4.2.1.12), required of a delegated
/// OCSP responder (RFC 6960 section 4.2.2.2).
pub const ID_KP_OCSP_SIGNING: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.3.9");

// OCSP (RFC 6960).

/// id-pkix-ocsp-basic (RFC 6960 section 4.2.1).
pub const ID_PKIX_OCSP_BASIC: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.48.1.1");
/// id-pkix-ocsp-nonce (RFC 6960 section 4.4.1).
pub const ID_PKIX_OCSP_NONCE: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.48.1.2");
/// The SingleResponse extension that carries an SCT list (RFC 6962 section 3.3).
pub const OCSP_SCT_LIST: Oid = Oid::new_unwrap("1.3.6.1.4.1.11129.2.4.5");

// Hash functions.

/// id-sha1 (RFC 3279 section 2.1.3), as an OCSP CertID names it.
pub const ID_SHA1: Oid = Oid::new_unwrap("1.3.14.3.2.26");
/// id-sha256 (RFC 5758 section 2).
pub const ID_SHA256: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.1");
/// id-sha384 (RFC 5758 section 2).
pub const ID_SHA384: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.2");
/// id-sha512 (RFC 5758 section 2).
pub const ID_SHA512: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.3");

// Public keys and signature algorithms.

/// rsaEncryption (RFC 3279 section 2.3.1).
pub const RSA_ENCRYPTION: Oid = Oid::new_unwrap("1.2.840.113549.1.1.1");
/// id-mgf1 (RFC 4055 section 2.2).
pub const ID_MGF1: Oid = Oid::new_unwrap("1.2.840.113549.1.1.8");
/// id-RSASSA-PSS (RFC 4055 section 3.1).
pub const ID_RSASSA_PSS: Oid = Oid::new_unwrap("1.2.840.113549.1.1.10");
/// sha1WithRSAEncryption (RFC 3279 section 2.2.1).
pub const SHA1_WITH_RSA_ENCRYPTION: Oid = Oid::new_unwrap("1.2.840.113549.1.1.5");
/// sha256WithRSAEncryption (RFC 4055 section 5).
pub const SHA256_WITH_RSA_ENCRYPTION: Oid = Oid::new_unwrap("1.2.840.113549.1.1.11");
/// sha384WithRSAEncryption (RFC 4055 section 5).
pub const SHA384_WITH_RSA_ENCRYPTION: Oid = Oid::new_unwrap("1.2.840.113549.1.1.12");
/// sha512WithRSAEncryption (RFC 4055 section 5).
pub const SHA512_WITH_RSA_ENCRYPTION: Oid = Oid::new_unwrap("1.2.840.113549.1.1.13");
/// id-ecPublicKey (RFC 5480 section 2.1.1).
pub const ID_EC_PUBLIC_KEY: Oid = Oid::new_unwrap("1.2.840.10045.2.1");
/// secp256r1, the P-256 curve (RFC 5480 section 2.1.1.1).
pub const SECP256R1: Oid = Oid::new_unwrap("1.2.840.10045.3.1.7");
/// secp384r1, the P-384 curve (RFC 5480 section 2.1.1.1).
pub const SECP384R1: Oid = Oid::new_unwrap("1.3.132.0.34");
/// ecdsa-with-SHA256 (RFC 5758 section 3.2).
pub const ECDSA_WITH_SHA256: Oid = Oid::new_unwrap("1.2.840.10045.4.3.2");
/// ecdsa-with-SHA384 (RFC 5758 section 3.2).
pub const ECDSA_WITH_SHA384: Oid = Oid::new_unwrap("1.2.840.10045.4.3.3");
/// ecdsa-with-SHA512 (RFC 5758 section 3.2).
pub const ECDSA_WITH_SHA512: Oid = Oid::new_unwrap("1.2.840.10045.4.3.4");

// Attribute types of a Name: RFC 5280 appendix A.1 declares those it
// requires or recommends; RFC 4519 section 2 gives the LDAP short names.

/// id-at-commonName, `CN` (RFC 5280 appendix A.1; RFC 4519 section 2).
pub const ID_AT_COMMON_NAME: Oid = Oid::new_unwrap("2.5.4.3");
/// id-at-serialNumber, `serialNumber` (RFC 5280 appendix A.1; RFC 4519 section 2).
pub const ID_AT_SERIAL_NUMBER: Oid = Oid::new_unwrap("2.5.4.5");
/// id-at-countryName, `C` (RFC 5280 appendix A.1; RFC 4519 section 2).
pub const ID_AT_COUNTRY_NAME: Oid = Oid::new_unwrap("2.5.4.6");
/// id-at-localityName, `L` (RFC 5280 appendix A.1; RFC 4519 section 2).
pub const ID_AT_LOCALITY_NAME: Oid = Oid::new_unwrap("2.5.4.7");
/// id-at-stateOrProvinceName, `ST` (RFC 5280 appendix A.1; RFC 4519 section 2).
pub const ID_AT_STATE_OR_PROVINCE_NAME: Oid = Oid::new_unwrap("2.5.4.8");
/// streetAddress, `STREET` (RFC 4514 section 3; RFC 4519 section 2).
pub const ID_AT_STREET_ADDRESS: Oid = Oid::new_unwrap("2.5.4.9");
/// id-at-organizationName, `O` (RFC 5280 appendix A.1; RFC 4519 section 2).
pub const ID_AT_ORGANIZATION_NAME: Oid = Oid::new_unwrap("2.5.4.10");
/// id-at-organizationalUnitName, `OU` (RFC 5280 appendix A.1; RFC 4519 section 2).
pub const ID_AT_ORGANIZATIONAL_UNIT_NAME: Oid = Oid::new_unwrap("2.5.4.11");
/// businessCategory (RFC 4519 section 2).
pub const ID_AT_BUSINESS_CATEGORY: Oid = Oid::new_unwrap("2.5.4.15");
/// id-at-organizationIdentifier (ITU-T X.520; the CA/Browser Forum's EV
/// Guidelines require it of some EV certificates).
pub const ID_AT_ORGANIZATION_IDENTIFIER: Oid = Oid::new_unwrap("2.5.4.97");
/// userId, `UID` (RFC 4519 section 2).
pub const ID_UID: Oid = Oid::new_unwrap("0.9.2342.19200300.100.1.1");
/// id-domainComponent, `DC` (RFC 5280 appendix A.1; RFC 4519 section 2).
pub const ID_DOMAIN_COMPONENT: Oid = Oid::new_unwrap("0.9.2342.19200300.100.1.25");
/// id-emailAddress, legacy in Names (RFC 5280 appendix A.1 and section 4.1.2.6).
pub const ID_EMAIL_ADDRESS: Oid = Oid::new_unwrap("1.2.840.113549.1.9.1");
/// jurisdictionLocalityName (the CA/Browser Forum's EV Guidelines).
pub const ID_EV_JURISDICTION_LOCALITY: Oid = Oid::new_unwrap("1.3.6.1.4.1.311.60.2.1.1");
/// jurisdictionStateOrProvinceName (the CA/Browser Forum's EV Guidelines).
pub const ID_EV_JURISDICTION_STATE_OR_PROVINCE: Oid = Oid::new_unwrap("1.3.6.1.4.1.311.60.2.1.2");
/// jurisdictionCountryName (the CA/Browser Forum's EV Guidelines).
pub const ID_EV_JURISDICTION_COUNTRY: Oid = Oid::new_unwrap("1.3.6.1.4.1.311.60.2.1.3");

// Cryptographic Message Syntax (RFC 5652).

/// id-signedData (RFC 5652 section 5.1): the content type of a "certs-only"
/// message, as an AIA caIssuers URL may serve (RFC 5280 section 4.2.2.1).
pub const ID_SIGNED_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.2");
