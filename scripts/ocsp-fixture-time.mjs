// The time at which the committed OCSP fixture responses (fixtures/ocsp)
// are valid: a minute after the response's producedAt. They carry the real
// time at which scripts/make-ocsp-fixtures.sh made them, so a benchmark that
// validated them at the clock's time would fail once they expire.
import * as pkijs from 'pkijs';

/** Milliseconds since the epoch: producedAt of the OCSP response `der` + 60 s. */
export function ocspFixtureTime(der) {
  const response = pkijs.OCSPResponse.fromBER(der);
  const basic = pkijs.BasicOCSPResponse.fromBER(response.responseBytes.response.valueBlock.valueHexView);
  return basic.tbsResponseData.producedAt.getTime() + 60_000;
}
