// The browser's own error codes for refused handshakes, in words. Firefox's
// codes and meanings are from security/manager/locales/en-US/...
// nsserrors.ftl and mozpkix's pkixnss.h (error names only).

const WORDS: Record<string, string> = {
  SEC_ERROR_REVOKED_CERTIFICATE: 'the browser found the certificate revoked (OneCRL, CRLite or OCSP)',
  SEC_ERROR_OCSP_UNKNOWN_CERT: 'the OCSP responder says it does not know this certificate',
  SEC_ERROR_OCSP_SERVER_ERROR: 'the OCSP responder answered with an error',
  SEC_ERROR_OCSP_BAD_SIGNATURE: 'the OCSP response has a bad signature',
  SEC_ERROR_OCSP_OLD_RESPONSE: 'the OCSP response is too old',
  SEC_ERROR_OCSP_FUTURE_RESPONSE: 'the OCSP response is not yet valid',
  SEC_ERROR_OCSP_INVALID_SIGNING_CERT: 'the OCSP response is signed by a certificate not allowed to sign it',
  SEC_ERROR_OCSP_MALFORMED_RESPONSE: 'the OCSP response is malformed',
  SEC_ERROR_OCSP_TRY_SERVER_LATER: 'the OCSP responder said to try later',
  MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING:
    'the certificate requires a stapled OCSP response (must-staple) and the server sent none',
  SEC_ERROR_UNKNOWN_ISSUER: 'the browser does not trust the certificate issuer',
  SEC_ERROR_EXPIRED_CERTIFICATE: 'the certificate has expired',
  SSL_ERROR_BAD_CERT_DOMAIN: 'the certificate is not valid for this host name',
};

export function browserErrorWords(code: string): string {
  return WORDS[code] ?? `the browser refused the connection (${code})`;
}

/** Errors that mean the browser refused the certificate or the handshake. */
export function isHandshakeRefusal(code: string): boolean {
  return /^(SEC_ERROR_|SSL_ERROR_|MOZILLA_PKIX_ERROR_|net::ERR_CERT_)/.test(code);
}
