// The panel's disclosure sections: the answer stays short, each detail one
// click away, and a section left open is open again next time (a view
// preference, kept in the page's own localStorage).
import { h, type Child } from './dom';

const KEY = 'revoscope.panel.open';

function readOpen(): Set<string> {
  try {
    const ids: unknown = JSON.parse(localStorage.getItem(KEY) ?? '[]');
    return new Set(Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : []);
  } catch {
    return new Set();
  }
}

const open = readOpen();

/** A `<details>` section `id` titled `title`, open if it was left open. */
export function disclosure(id: string, title: Child, ...content: Child[]): HTMLElement {
  const section = h('details', { class: 'section', 'data-section': id, ...(open.has(id) ? { open: '' } : {}) },
    h('summary', {}, title), ...content) as HTMLDetailsElement;
  section.addEventListener('toggle', () => {
    if (section.open === open.has(id)) return;
    if (section.open) open.add(id);
    else open.delete(id);
    try {
      localStorage.setItem(KEY, JSON.stringify([...open]));
    } catch {
      // Storage full or refused: the section works, it is only not remembered.
    }
  });
  return section;
}
