// The selected step's detail in the timeline: where it ran, what it changed (also inside cut
// values), what it returned or raised, and every local at that point.
import type { StepDetail } from '../../extension/timeline/protocol';
import { el } from '../shared/dom';

function table(
  title: string,
  values: Record<string, string>,
  extra: readonly string[] = [],
): HTMLElement {
  const box = el('div', 'vars');
  box.append(el('h3', '', title));
  const names = Object.keys(values);
  if (names.length === 0 && extra.length === 0) {
    box.append(el('p', 'empty', 'none'));
    return box;
  }
  const t = el('table');
  for (const n of names) {
    const tr = el('tr');
    tr.append(el('th', '', n), el('td', '', values[n]));
    t.append(tr);
  }
  for (const d of extra) {
    const tr = el('tr', 'delta');
    tr.append(el('th', '', 'inside'), el('td', '', d));
    t.append(tr);
  }
  box.append(t);
  return box;
}

/** The elements showing `d`, for the detail pane. */
export function detailElements(d: StepDetail): HTMLElement[] {
  const out: HTMLElement[] = [
    ...(d.run ? [el('p', 'other-run', d.run)] : []),
    el('h2', '', `${d.k === null ? 'event' : `step ${d.k}`} · ${d.file}:${d.line}`),
    el(
      'p',
      'meta',
      `${d.kind} in ${d.fn} #${d.call} · depth ${d.depth}${d.caller ? ` · called from ${d.caller}` : ''}`,
    ),
  ];
  if (d.exception) out.push(el('p', 'exception', `✗ ${d.exception}`));
  if (d.value !== undefined)
    out.push(el('p', 'value', `${d.kind === 'yield' ? 'yielded' : 'returned'} ${d.value}`));
  out.push(table('Changed', d.changed, d.deltas), table('Locals', d.locals));
  return out;
}
