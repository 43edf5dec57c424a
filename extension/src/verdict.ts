// The engine's verdict as the wasm package hands it over: the same JSON as
// `revoscope inspect --json`. The types are generated from the Rust ones
// (extension/src/engine-types, written by ts-rs; `npm test` fails when they
// are stale), so they cannot drift from the engine.
export type { CertVerdict } from './engine-types/CertVerdict';
export type { CrliteStatus } from './engine-types/CrliteStatus';
export type { FilterSetInfo } from './engine-types/FilterSetInfo';
export type { Lookup as CrliteLookup } from './engine-types/Lookup';
export type { Outcome } from './engine-types/Outcome';
export type { Status } from './engine-types/Status';
export type { TraceEntry } from './engine-types/TraceEntry';
export type { Verdict } from './engine-types/Verdict';

/** The live OCSP request `Engine.inspect` made (crate/wasm/src/lib.rs). */
export interface LiveRequest {
  responder: string;
  method: 'GET' | 'POST';
  elapsed_ms: number;
}
