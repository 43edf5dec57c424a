// The dashboard's charts, drawn by uPlot (bundled: no remote code, no eval).
// Each builder takes plain arrays; the dashboard shapes the telemetry.
import uPlot from 'uplot';
import { formatDay, formatNumber, t, uiLanguage } from '../extension/src/i18n';

/** The page's colours, read from its CSS variables (canvas needs concrete values). */
export interface Theme {
  fg: string;
  muted: string;
  grid: string;
  link: string;
  good: string;
  warn: string;
  bad: string;
}

/** One style read per draw, before the page changes (no forced recalculation in between). */
export function readTheme(): Theme {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string) => css.getPropertyValue(name).trim();
  return { fg: v('--fg'), muted: v('--muted'), grid: v('--line'), link: v('--link'), good: v('--good'), warn: v('--warn'), bad: v('--bad') };
}

/**
 * The charts of one draw: created together, resized together, destroyed
 * before the next draw. `whenDrawn` resolves once every chart has painted
 * (uPlot paints in a microtask after construction).
 */
export class ChartSet {
  private plots: uPlot[] = [];
  private drawn: Promise<void>[] = [];

  add(host: HTMLElement, opts: uPlot.Options, data: uPlot.AlignedData): void {
    let done!: () => void;
    this.drawn.push(new Promise<void>((resolve) => { done = resolve; }));
    const hooks = opts.hooks ?? {};
    opts.hooks = { ...hooks, ready: [...(hooks.ready ?? []), () => done()] };
    this.plots.push(new uPlot(opts, data, host));
  }

  whenDrawn(): Promise<void> {
    return Promise.all(this.drawn).then(() => undefined);
  }

  resize(width: number): void {
    for (const plot of this.plots) {
      if (plot.width !== width) plot.setSize({ width, height: plot.height });
    }
  }

  destroy(): void {
    for (const plot of this.plots) plot.destroy();
    this.plots = [];
    this.drawn = [];
  }
}

const FONT = '11px system-ui, sans-serif';
const DAY = 86_400;
const HALF_DAY = 43_200;
/** uPlot's own time tick steps from one day up (days, ~months, ~years): a
 * day axis gets no ticks at noon, however short the range. */
const DAY_INCRS = [
  ...[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 15].map((d) => d * DAY),
  ...[1, 2, 3, 4, 6].map((m) => m * 30 * DAY),
  ...[1, 2, 5, 10].map((y) => y * 365 * DAY),
];
/** Room a bucket label such as "8k–16k" needs, in CSS pixels. */
const TICK_WIDTH = 50;
/** Whole-number tick steps, for counts. */
const COUNT_INCRS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000,
  // Counts summed across users (the public dashboard) run higher.
  200_000, 500_000, 1_000_000, 2_000_000, 5_000_000, 10_000_000, 20_000_000, 50_000_000, 100_000_000];

function axis(theme: Theme, extra: uPlot.Axis = {}): uPlot.Axis {
  return {
    stroke: theme.muted,
    font: FONT,
    grid: { stroke: theme.grid, width: 1 },
    ticks: { stroke: theme.grid, width: 1, size: 4 },
    ...extra,
  };
}

/** Days are UTC days: ticks and the legend's date read in UTC, not local time. */
const utc = (secs: number) => uPlot.tzDate(new Date(secs * 1000), 'Etc/UTC');

/**
 * uPlot's day-axis templates ("{M}/{D}", "{MMM}", "{YYYY}", a year under
 * the first tick) in the UI language: "12/7" and "Dec" in English as uPlot
 * writes them, "7.12." and "Dez." in German. The dates are utc()'s, whose
 * local fields are the UTC day: read them as local.
 */
function fmtDate(tpl: string): (date: Date) => string {
  const parts = tpl.split('\n').map((part) => {
    const options: Intl.DateTimeFormatOptions | undefined = part === '{M}/{D}' ? { month: 'numeric', day: 'numeric' }
      : part === '{MMM}' ? { month: 'short' } : part === '{YYYY}' ? { year: 'numeric' } : undefined;
    if (!options) return uPlot.fmtDate(part);
    const format = new Intl.DateTimeFormat(uiLanguage(), options);
    return (date: Date) => format.format(date);
  });
  return (date) => parts.map((part) => part(date)).join('\n');
}

/** A day of the x axis in the legend ("Dec 7, 2026"). */
const dayValue = (_u: uPlot, secs: number | null) => (secs === null || secs === undefined ? '--' : formatDay(secs * 1000));

/** Percent (0 to 100) in the UI language: "12.5%" / "12,5 %". */
const percentOf = (v: number, options: Intl.NumberFormatOptions) => formatNumber(v / 100, { style: 'percent', ...options });

/** What every chart shares: no zoom by dragging, a quiet legend. */
function base(width: number, height: number, className: string): Pick<uPlot.Options, 'width' | 'height' | 'class' | 'cursor' | 'select' | 'legend'> {
  return {
    width,
    height,
    class: className,
    cursor: { drag: { x: false, y: false, setScale: false }, points: { size: 7 } },
    select: { show: false, left: 0, top: 0, width: 0, height: 0 },
    legend: { live: true },
  };
}

/** A day axis over `days` (UTC midnights, oldest first) with half a day
 * each side, so edge points and bars show whole. From the days, not from
 * uPlot's min and max: with one day uPlot widens those by itself. */
function dayScale(days: number[]): uPlot.Scale {
  const range: uPlot.Range.MinMax = [days[0] - HALF_DAY, days[days.length - 1] + HALF_DAY];
  return { time: true, range: () => range };
}

export interface Line {
  label: string;
  color: string;
  /** Percent, or null for a gap. */
  values: (number | null)[];
}

/** Percent per day (0 to 100), one line per series; null days are gaps. */
export function percentLines(set: ChartSet, host: HTMLElement, width: number, theme: Theme, days: number[], lines: Line[]): void {
  set.add(host, {
    ...base(width, 220, 'chart-percent'),
    tzDate: utc,
    fmtDate,
    scales: { x: dayScale(days), y: { range: [0, 100] } },
    axes: [
      axis(theme, { incrs: DAY_INCRS }),
      axis(theme, { size: 48, values: (_u, splits) => splits.map((v) => percentOf(v, { maximumFractionDigits: 2 })) }),
    ],
    series: [
      { label: t('dashboard_chart_day'), value: dayValue },
      ...lines.map((line): uPlot.Series => ({
        label: line.label,
        stroke: line.color,
        width: 2,
        spanGaps: false,
        // Isolated days (a gap on each side) would be invisible without points.
        points: { show: true, size: 6, fill: line.color, stroke: line.color },
        value: (_u, v) => (v === null || v === undefined ? '—' : percentOf(v, { minimumFractionDigits: 1, maximumFractionDigits: 1 })),
      })),
    ],
  }, [days, ...lines.map((l) => l.values)]);
}

export interface Layer {
  label: string;
  color: string;
  /** Per day; null when the count is not known (suppressed in the public aggregates): no bar, "suppressed" in the legend. */
  counts: (number | null)[];
}

/**
 * Counts per day, stacked: layers[0] at the bottom. Each layer is drawn as a
 * bar from 0 to its cumulative top, tallest first, so each lower layer
 * paints over the one above it; the legend still shows each layer's own count.
 */
export function stackedDayBars(set: ChartSet, host: HTMLElement, width: number, theme: Theme, days: number[], layers: Layer[]): void {
  const tops: (number | null)[][] = [];
  let below = days.map(() => 0);
  for (const layer of layers) {
    const top = below.map((b, i) => b + (layer.counts[i] ?? 0));
    tops.push(top.map((t, i) => ((layer.counts[i] ?? 0) > 0 ? t : null)));
    below = top;
  }
  const order = layers.map((_, i) => i).reverse();
  const bars = uPlot.paths.bars!({ size: [0.7, 28], align: 0 });
  set.add(host, {
    ...base(width, 200, 'chart-stacked'),
    tzDate: utc,
    fmtDate,
    scales: { x: dayScale(days), y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
    axes: [axis(theme, { incrs: DAY_INCRS }), axis(theme, { size: 48, incrs: COUNT_INCRS })],
    series: [
      { label: t('dashboard_chart_day'), value: dayValue },
      ...order.map((i): uPlot.Series => ({
        label: layers[i].label,
        stroke: layers[i].color,
        fill: layers[i].color,
        width: 0,
        paths: bars,
        points: { show: false },
        value: (_u, _v, _s, idx) => {
          const n = idx === null ? undefined : layers[i].counts[idx];
          return n === undefined ? '' : n === null ? t('dashboard_chart_suppressed') : formatNumber(n);
        },
      })),
    ],
  }, [days, ...order.map((i) => tops[i])]);
}

export interface Marker {
  label: string;
  /** Position on the bucket axis (bucket index, fractional within a bucket). */
  at: number;
}

export interface Buckets {
  /** Short tick labels, one per bucket. */
  ticks: string[];
  /** Full labels for the legend. */
  names: string[];
  counts: number[];
  color: string;
  markers: Marker[];
}

/** Bars over ordered buckets (a histogram), with dashed markers such as p50 and p95. */
export function bucketBars(set: ChartSet, host: HTMLElement, width: number, theme: Theme, buckets: Buckets): void {
  const xs = buckets.counts.map((_, i) => i);
  set.add(host, {
    ...base(width, 200, 'chart-buckets'),
    // Headroom above the tallest bar keeps the marker labels clear of it.
    scales: { x: { time: false, range: [-0.5, xs.length - 0.5] }, y: { range: (_u, _min, max) => [0, Math.max(1, Math.ceil(max * 1.2))] } },
    axes: [
      axis(theme, { grid: { show: false }, splits: () => xs, values: (u, splits) => thinTicks(u, splits, buckets.ticks) }),
      axis(theme, { size: 48, incrs: COUNT_INCRS }),
    ],
    series: [
      { label: t('dashboard_latency'), value: (_u, v) => buckets.names[v] ?? '' },
      {
        label: t('dashboard_requests'),
        stroke: buckets.color,
        fill: buckets.color,
        width: 0,
        paths: uPlot.paths.bars!({ size: [0.8, 64], align: 0 }),
        points: { show: false },
      },
    ],
    hooks: { draw: [(u) => drawMarkers(u, theme, buckets.markers)] },
  }, [xs, buckets.counts]);
}

/** Every bucket's label when there is room, else every second or third. */
function thinTicks(u: uPlot, splits: number[], ticks: string[]): string[] {
  const perBucket = u.bbox.width / uPlot.pxRatio / Math.max(1, ticks.length);
  const step = Math.max(1, Math.ceil(TICK_WIDTH / perBucket));
  return splits.map((i) => (i % step === 0 ? ticks[i] ?? '' : ''));
}

function drawMarkers(u: uPlot, theme: Theme, markers: Marker[]): void {
  const ctx = u.ctx;
  const px = uPlot.pxRatio;
  const { left, top, width, height } = u.bbox;
  ctx.save();
  ctx.strokeStyle = theme.fg;
  ctx.fillStyle = theme.fg;
  ctx.lineWidth = px;
  ctx.setLineDash([4 * px, 3 * px]);
  ctx.font = `${11 * px}px system-ui, sans-serif`;
  ctx.textBaseline = 'alphabetic';
  markers.forEach((m, n) => {
    const x = Math.round(u.valToPos(m.at, 'x', true));
    ctx.beginPath();
    ctx.moveTo(x, top);
    ctx.lineTo(x, top + height);
    ctx.stroke();
    // Right of the line, unless that runs off the plot; one under the other
    // in case the markers are close.
    const fitsRight = x + 4 * px + ctx.measureText(m.label).width <= left + width;
    ctx.textAlign = fitsRight ? 'left' : 'right';
    ctx.fillText(m.label, fitsRight ? x + 4 * px : x - 4 * px, top + (12 + 13 * n) * px);
  });
  ctx.restore();
}
