// The building blocks of a dashboard page, shared by the extension's
// dashboard and the public one: sections, headline cards, the places charts
// are drawn in, bars made of spans, and charts that follow the page's width
// and theme.
import type { ChartSet, Theme } from './charts';
import { h } from './dom';
import { dataValue, num } from './telemetry-words';
import { percentWords as percent } from './words';

/** The ranges both dashboards offer, in days, and the one they open on. */
export const RANGE_CHOICES = [7, 30, 90];
export const DEFAULT_DAYS = 30;

export type ChartJob = (set: ChartSet, width: number, theme: Theme) => void;

/** The charts of a page being built: drawn once the sections are in the page and the width is known. */
export interface Draft {
  jobs: ChartJob[];
  hosts: HTMLElement[];
}

export const newDraft = (): Draft => ({ jobs: [], hosts: [] });

/** A chart's place in the page, its height reserved by CSS so nothing moves when it draws. */
export function chartHost(draft: Draft, label: string, job: (host: HTMLElement) => ChartJob): HTMLElement {
  const host = h('div', { class: 'chart', role: 'img', 'aria-label': label });
  draft.hosts.push(host);
  draft.jobs.push(job(host));
  return host;
}

/**
 * Draws the draft's charts into `set`, with one layout read for them all
 * (they span the same width); resolves once every chart has painted.
 */
export function drawCharts(draft: Draft, set: ChartSet, theme: Theme): Promise<void> {
  if (draft.hosts.length > 0) {
    const width = draft.hosts[0].clientWidth;
    for (const job of draft.jobs) job(set, width, theme);
  }
  return set.whenDrawn();
}

/** The stand-in for `sentence`'s `i`th node, given to t() as a substitution. */
export const slot = (i: number) => String.fromCharCode(0xe000 + i);

/**
 * A message with elements in it (a number the tests read, say): each
 * slot(i) in `message` becomes `nodes[i]`, wherever the translation puts it.
 */
export function sentence(message: string, ...nodes: Node[]): (Node | string)[] {
  return message.split(/([\ue000-\ue0ff])/).filter((part) => part !== '').map((part) => {
    const i = part.charCodeAt(0) - 0xe000;
    return part.length === 1 && i >= 0 && i < nodes.length ? nodes[i] : part;
  });
}

export function section(id: string, title: string, ...children: (Node | string | null | false)[]): HTMLElement {
  return h('section', { class: 'box', id }, h('h2', {}, title), ...children);
}

/** A number the tests read: its value in data-value, its words as text. */
export function stat(id: string, value: number | null, text: string): HTMLElement {
  return h('strong', { id, 'data-value': dataValue(value) }, text);
}

export function card(title: string, big: HTMLElement, ...detail: (Node | string)[]): HTMLElement {
  big.classList.add('big');
  return h('div', { class: 'stat' }, h('div', { class: 'muted' }, title), big, h('p', {}, ...detail));
}

export function swatch(color: string): HTMLElement {
  const el = h('span', { class: 'swatch', 'aria-hidden': 'true' });
  el.style.background = color;
  return el;
}

/** One bar split in proportion to `parts` (a stacked bar made of spans). */
export function stackBar(id: string, whole: number, parts: [label: string, n: number, color: string][]): HTMLElement {
  const bar = h('div', { class: 'stack', id, role: 'presentation' });
  for (const [label, n, color] of parts) {
    if (n <= 0 || whole <= 0) continue;
    const part = h('span', { title: `${label}: ${num(n)} (${percent(n / whole)})` });
    part.style.width = `${(n / whole) * 100}%`;
    part.style.background = color;
    bar.append(part);
  }
  return bar;
}

/** What `followLayout` needs of a page: its charts now, and how to draw them again. */
export interface ChartedPage {
  charts(): ChartSet;
  /** A chart place of the current draw, if any: all span the same width. */
  firstHost(): HTMLElement | undefined;
  /** Draws the page again, in the new theme. */
  redraw(): void;
}

/** Charts follow the page's width (debounced) and the system's light or dark theme. */
export function followLayout(page: ChartedPage): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastWidth = -1;
  window.addEventListener('resize', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const host = page.firstHost();
      if (!host || !host.isConnected) return;
      const width = host.clientWidth;
      if (width !== lastWidth) page.charts().resize(width);
      lastWidth = width;
    }, 150);
  });
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => page.redraw());
}
