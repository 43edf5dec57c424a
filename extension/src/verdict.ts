// The engine's verdict as the wasm package hands it over: the same JSON as
// `revoscope inspect --json`. The types are generated from the Rust ones
// (extension/src/engine-types, written by ts-rs from crate/engine and
// crate/wasm/src/contract.rs; `npm test` fails when they are stale), so they
// cannot drift from the engine.
export type { CertVerdict } from './engine-types/CertVerdict';
export type { CrliteStatus } from './engine-types/CrliteStatus';
export type { FilterSetInfo } from './engine-types/FilterSetInfo';
export type { Lookup as CrliteLookup } from './engine-types/Lookup';
export type { Outcome } from './engine-types/Outcome';
export type { Status } from './engine-types/Status';
export type { TraceEntry } from './engine-types/TraceEntry';
export type { Verdict } from './engine-types/Verdict';
export type { LiveOcspRequest as LiveRequest } from './engine-types/LiveOcspRequest';
