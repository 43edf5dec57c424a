// The engine's verdict as the wasm package hands it over: the same JSON as
// `revoscope inspect --json` (crate/src/verdict.rs is the contract).

export type Status =
  | 'good' | 'revoked' | 'unknown' | 'offline' | 'exempt' | 'not-checked' | 'pending' | 'error';
export type Outcome = 'accept' | 'block' | 'soft-fail-accept' | 'incomplete';

export interface TraceEntry {
  step: string;
  outcome: string;
  detail: string;
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
}

export interface Verdict {
  policy: string;
  evaluated_at: string;
  onecrl: { timestamp: number; records: number; age_secs: number; stale: boolean };
  certificates: CertVerdict[];
  outcome: Outcome;
  hard_fail_would_block: boolean | null;
}

export interface LiveRequest {
  responder: string;
  method: string;
  elapsed_ms: number;
}
