// A tiny element builder: text goes in as text, never as HTML.

type Child = Node | string | null | undefined | false;

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
