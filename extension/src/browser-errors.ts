// Why the browser refused a page. Firefox's webRequest.onErrorOccurred gives
// network failures as XPCOM names (NS_ERROR_UNKNOWN_HOST, NS_BINDING_ABORTED)
// and certificate or TLS failures as NSS's message text in the browser's
// language. The en-US texts below are read from Firefox ESR's
// chrome/en-US/locale/en-US/pipnss/nsserrors.properties (omni.ja); in other
// languages the code stays unknown and the browser's own words are shown.
// Either way a refusal is recognised as one: network failures come as
// XPCOM names in every language, anything else is the browser refusing.
import { t } from './i18n';

const CODES: Record<string, string> = {
  'Peer’s Certificate has been revoked.': 'SEC_ERROR_REVOKED_CERTIFICATE',
  'A required TLS feature is missing.': 'MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING',
  'The OCSP server has no status for the certificate.': 'SEC_ERROR_OCSP_UNKNOWN_CERT',
  'The OCSP server experienced an internal error.': 'SEC_ERROR_OCSP_SERVER_ERROR',
  'The OCSP server suggests trying again later.': 'SEC_ERROR_OCSP_TRY_SERVER_LATER',
  'The OCSP server returned unexpected/invalid HTTP data.': 'SEC_ERROR_OCSP_BAD_HTTP_RESPONSE',
  'The response from the OCSP server was corrupted or improperly formed.': 'SEC_ERROR_OCSP_MALFORMED_RESPONSE',
  'The OCSP response contains out-of-date information.': 'SEC_ERROR_OCSP_OLD_RESPONSE',
  'The OCSP response is not yet valid (contains a date in the future).': 'SEC_ERROR_OCSP_FUTURE_RESPONSE',
  'Invalid OCSP signing certificate in OCSP response.': 'SEC_ERROR_OCSP_INVALID_SIGNING_CERT',
  'OCSP response has an invalid signature.': 'SEC_ERROR_OCSP_BAD_SIGNATURE',
  'The OCSP response does not include a status for the certificate being verified.': 'MOZILLA_PKIX_ERROR_OCSP_RESPONSE_FOR_CERT_MISSING',
  'Peer’s Certificate issuer is not recognized.': 'SEC_ERROR_UNKNOWN_ISSUER',
  'Peer’s Certificate has expired.': 'SEC_ERROR_EXPIRED_CERTIFICATE',
  'Unable to communicate securely with peer: requested domain name does not match the server’s certificate.': 'SSL_ERROR_BAD_CERT_DOMAIN',
};

/** What revoscope adds to the browser's words, for the revocation failures. */
function explained(code: string): string | null {
  switch (code) {
    case 'SEC_ERROR_REVOKED_CERTIFICATE': return t('refusal_revoked');
    case 'MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING': return t('refusal_must_staple');
    case 'SEC_ERROR_OCSP_UNKNOWN_CERT': return t('refusal_ocsp_unknown');
    default: return null;
  }
}

export interface Refusal {
  /** NSS's error name when the message is one we know, else null. */
  code: string | null;
  words: string;
}

/** A refused certificate or handshake, or null for other failures (network, user abort). */
export function refusalOf(error: string): Refusal | null {
  if (/^NS_/.test(error)) return null;
  const code = CODES[error] ?? null;
  const added = code ? explained(code) : null;
  return { code, words: added ? t('refusal_explained', added, error) : error };
}
