// A tiny element builder: text goes in as text, never as HTML.
import { t } from '../extension/src/i18n';

export type Child = Node | string | null | undefined | false;

/** The page's element with this id; every page's ids are its own HTML's. */
export const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

export function h(tag: string, attrs: Record<string, string> = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, value);
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return el;
}

/** A definition list from [term, value] pairs; empty values are skipped. */
export function facts(pairs: [string, string | undefined][]): HTMLElement {
  const dl = h('dl');
  for (const [term, value] of pairs) {
    if (value === undefined || value === '') continue;
    dl.append(h('dt', {}, term), h('dd', {}, value));
  }
  return dl;
}

/**
 * Wires a box's "… now" button: while `redraw` runs (a sync in the
 * background, say) the button is disabled and says `busy`; the box it
 * resolves to takes `box`'s place; a failure is said under the box, and
 * the button comes back.
 */
export function redrawOnClick(box: HTMLElement, button: HTMLButtonElement, busy: string,
  redraw: () => Promise<HTMLElement>): void {
  const label = button.textContent ?? '';
  button.addEventListener('click', async () => {
    button.disabled = true;
    button.textContent = busy;
    try {
      box.replaceWith(await redraw());
    } catch (e) {
      button.disabled = false;
      button.textContent = label;
      box.append(h('p', { class: 'bad' }, t('redraw_failed', (e as Error).message)));
    }
  });
}
