// Latency as telemetry keeps it: counts in power-of-two buckets (the engine's
// `Histogram`, crate/src/telemetry/day.rs), their names, where a time sits on
// the bucket axis, and percentiles estimated from the buckets.
import type { Marker } from './charts';

/** "<1 ms", "1–2 ms", … "≥16384 ms" and the short tick labels "<1", "1–2", … "≥16k". */
export function bucketNames(floors: number[]): { names: string[]; ticks: string[] } {
  const k = (v: number) => (v >= 1024 ? `${v / 1024}k` : String(v));
  const last = floors.length - 1;
  const names = floors.map((f, i) => (i === 0 ? `<${floors[1] ?? 1} ms` : i === last ? `≥${f} ms` : `${f}–${floors[i + 1]} ms`));
  const ticks = floors.map((f, i) => (i === 0 ? `<${floors[1] ?? 1}` : i === last ? `≥${k(f)}` : `${k(f)}–${k(floors[i + 1])}`));
  return { names, ticks };
}

/** Where `ms` sits on the bucket axis: linear inside its bucket, as the estimate interpolates. */
export function bucketPosition(ms: number, floors: number[]): number {
  let i = floors.length - 1;
  while (i > 0 && ms < floors[i]) i--;
  const next = floors[i + 1];
  const within = next === undefined ? 0 : (ms - floors[i]) / (next - floors[i]);
  return i - 0.5 + Math.min(1, Math.max(0, within));
}

/**
 * The `q` quantile (0 < q <= 1) in ms of `counts` over buckets starting at
 * `floors`, interpolated linearly inside its bucket; null when empty. In the
 * open last bucket it answers that bucket's floor: a lower bound. The same
 * estimate as the engine's `Histogram::quantile`, for counts the engine did
 * not sum (the collector's aggregates).
 */
export function quantile(counts: number[], floors: number[], q: number): number | null {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const last = floors.length - 1;
  const rank = Math.min(1, Math.max(0, q)) * total;
  let below = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i];
    if (c > 0 && below + c >= rank) {
      const lo = floors[i];
      if (i === last) return lo;
      const hi = floors[i + 1];
      return lo + (hi - lo) * Math.min(1, Math.max(0, (rank - below) / c));
    }
    below += c;
  }
  return floors[last];
}

/** The dashed p50 and p95 lines of a latency chart ("p95 ≥" in the open last bucket). */
export function percentileMarkers(p50: number | null, p95: number | null, floors: number[]): Marker[] {
  const lastFloor = floors[floors.length - 1] ?? Infinity;
  return [['p50', p50], ['p95', p95]]
    .filter((m): m is [string, number] => m[1] !== null)
    .map(([label, ms]) => ({ label: ms >= lastFloor ? `${label} ≥` : label, at: bucketPosition(ms, floors) }));
}
