// The engine's verdict as the wasm package hands it over: the same JSON as
// `revoscope inspect --json` (crate/src/verdict.rs is the contract).
import type { CrliteLabel } from './telemetry-types';

export type Status =
  | 'good' | 'revoked' | 'unknown' | 'offline' | 'exempt' | 'not-checked' | 'pending' | 'error';
export type Outcome = 'accept' | 'block' | 'soft-fail-accept' | 'incomplete';

export interface TraceEntry {
  step: string;
  outcome: string;
  detail: string;
}

/** Firefox's cert_verifier.crlite_status labels (crate/src/crlite/mod.rs). */
export type CrliteStatus = CrliteLabel;

/** What the CRLite filters said of a leaf, and which filter said it. */
export interface CrliteLookup {
  status: CrliteStatus;
  filter?: string;
}

/** A CRLite filter set in brief (crlite::FilterSetInfo). */
export interface FilterSetInfo {
  full_id: string;
  /** RFC 3339. */
  full_effective: string;
  deltas: number;
  newest_effective: string;
  /** When a filter was last installed (RFC 3339), and how long before the evaluation. */
  installed_at: string;
  age_secs: number;
  /** Ten days without an install: the set counts as no filter. */
  stale: boolean;
  bytes: number;
  enrolled_issuers: number;
  coverage: { logs: number; earliest_ms: number | null; latest_ms: number | null };
}

export interface CertVerdict {
  index: number;
  role: 'leaf' | 'intermediate' | 'root';
  subject: string;
  issuer: string;
  serial_hex: string;
  not_before: string;
  not_after: string;
  lifetime_secs: number;
  status: Status;
  decided_by: string;
  reason: string;
  trace: TraceEntry[];
  fetch?: { responder: string; method: string; get_url?: string };
  ocsp_response?: { status: string; this_update: number; next_update?: number; revocation_time?: number };
  offline?: { class: string };
  elapsed_ms?: number;
  /** What the engine stored in its OCSP cache for this certificate. */
  cache_update?: { key: string };
  /** The leaf, when the policy consults CRLite. */
  crlite?: CrliteLookup;
}

export interface Verdict {
  policy: string;
  evaluated_at: string;
  onecrl: { timestamp: number; records: number; age_secs: number; stale: boolean };
  /** The CRLite filter set the evaluation had, if any. */
  crlite?: FilterSetInfo;
  certificates: CertVerdict[];
  outcome: Outcome;
  hard_fail_would_block: boolean | null;
}

export interface LiveRequest {
  responder: string;
  method: string;
  elapsed_ms: number;
}
