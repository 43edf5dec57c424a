// The telemetry summary as the engine hands it over: the types are generated
// from the Rust ones (extension/src/engine-types, written by ts-rs), so they
// cannot drift from crate/engine/src/telemetry.
import type { Summary } from './engine-types/Summary';

export type { Breakage } from './engine-types/Breakage';
export type { CrlClass } from './engine-types/CrlClass';
export type { CrlHostRow } from './engine-types/CrlHostRow';
export type { RevocationInfo } from './engine-types/RevocationInfo';
export type { CrliteStatus as CrliteLabel } from './engine-types/CrliteStatus';
export type { DayRow } from './engine-types/DayRow';
export type { HardFail } from './engine-types/HardFail';
export type { LiveClass } from './engine-types/LiveClass';
export type { LiveRates } from './engine-types/LiveRates';
export type { NotAsked } from './engine-types/NotAsked';
export type { PageLoad } from './engine-types/PageLoad';
export type { Path } from './engine-types/Path';
export type { ResponderRow } from './engine-types/ResponderRow';
export type { Summary };

/** A count per label, as the engine's maps of counts serialise (labels with
 * no count are absent). */
export type Counts<K extends string> = { [key in K]?: number };

/** What the background answers to `telemetry-summary`. */
export interface TelemetryReply {
  summary: Summary;
  /** Stored days that could not be read, kept aside in storage (key and why). */
  unreadable: { key: string; error: string }[];
  /** Whether the extension records at all (the option). */
  recording: boolean;
}

export interface TelemetryExport {
  filename: string;
  mime: string;
  text: string;
}
