// DOM builders of the Explanation webview: the icons drawn here, the Markdown tree the extension
// posts (never HTML), diffs and buttons. Elements get their text through textContent only.
import type { Block, Inline, ViewAction } from '../../extension/explain/protocol';
import { el } from '../shared/dom';

const SVG = 'http://www.w3.org/2000/svg';

export type IconKind = 'ok' | 'warn' | 'error' | 'info' | 'running';

// 16×16 icons drawn here (no icon font, nothing loaded).
const ICONS: Record<IconKind, string> = {
  ok: 'M8 1a7 7 0 1 0 0 14A7 7 0 0 0 8 1zm3.35 5.15-4 4.5a.5.5 0 0 1-.72.02l-2-2a.5.5 0 1 1 .7-.7l1.63 1.62 3.64-4.1a.5.5 0 1 1 .75.66z',
  warn: 'M8.57 1.5a.65.65 0 0 0-1.14 0L.6 13.6a.65.65 0 0 0 .57.97h13.66a.65.65 0 0 0 .57-.97L8.57 1.5zM8.75 12.5h-1.5V11h1.5v1.5zm0-2.75h-1.5V5.5h1.5v4.25z',
  error:
    'M8 1a7 7 0 1 0 0 14A7 7 0 0 0 8 1zm2.85 9.15a.5.5 0 0 1-.7.7L8 8.71l-2.15 2.14a.5.5 0 0 1-.7-.7L7.29 8 5.15 5.85a.5.5 0 1 1 .7-.7L8 7.29l2.15-2.14a.5.5 0 0 1 .7.7L8.71 8l2.14 2.15z',
  info: 'M8 1a7 7 0 1 0 0 14A7 7 0 0 0 8 1zm.75 10.5h-1.5V7h1.5v4.5zM8 6a.9.9 0 1 1 0-1.8A.9.9 0 0 1 8 6z',
  running: 'M8 2a6 6 0 1 0 6 6h-1.5A4.5 4.5 0 1 1 8 3.5V2z',
};

export function icon(kind: IconKind): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('width', '16');
  svg.setAttribute('height', '16');
  svg.setAttribute('class', `icon icon-${kind}`);
  svg.setAttribute('aria-hidden', 'true');
  const p = document.createElementNS(SVG, 'path');
  p.setAttribute('d', ICONS[kind]);
  svg.append(p);
  return svg;
}

const EMPHASIS = { b: 'strong', i: 'em', s: 'del' } as const;

/** Appends inline Markdown to `parent`. Links are never followed by the webview: a click posts them. */
export function inlines(parent: Node, list: readonly Inline[]): void {
  for (const x of list)
    parent.appendChild(typeof x === 'string' ? document.createTextNode(x) : inline(x));
}

function inline(x: Exclude<Inline, string>): HTMLElement {
  switch (x.t) {
    case 'code':
      return el('code', '', x.text);
    case 'b':
    case 'i':
    case 's': {
      const e = el(EMPHASIS[x.t]);
      inlines(e, x.c);
      return e;
    }
    case 'link': {
      const a = el('a', 'external');
      a.href = '#';
      a.title = x.href;
      a.dataset.href = x.href;
      inlines(a, x.c);
      return a;
    }
    case 'step': {
      const a = el('a', 'step', x.text);
      a.href = '#';
      a.dataset.step = String(x.step);
      a.dataset.rec = String(x.rec);
      a.title = x.title;
      return a;
    }
  }
}

export function block(b: Block): HTMLElement {
  switch (b.t) {
    case 'p': {
      const p = el('p');
      inlines(p, b.c);
      return p;
    }
    case 'h': {
      const h = el(`h${Math.min(6, b.level + 2)}` as 'h3', 'md-heading');
      inlines(h, b.c);
      return h;
    }
    case 'summary': {
      const p = el('p', 'summary');
      p.append(el('span', 'summary-label', 'Summary: '));
      inlines(p, b.c);
      return p;
    }
    case 'ul':
    case 'ol': {
      const list = el(b.t);
      if (b.start !== undefined) list.setAttribute('start', String(b.start));
      for (const it of b.items) {
        const li = el('li');
        inlines(li, it.c);
        for (const sub of it.blocks ?? []) li.append(block(sub));
        list.append(li);
      }
      return list;
    }
    case 'quote': {
      const q = el('blockquote');
      for (const c of b.c) q.append(block(c));
      return q;
    }
    case 'code': {
      const pre = el('pre', 'code');
      pre.append(el('code', b.lang ? `lang-${b.lang}` : '', b.text));
      return pre;
    }
    case 'table': {
      const t = el('table', 'md-table');
      const tr = el('tr');
      for (const c of b.head) {
        const th = el('th');
        inlines(th, c);
        tr.append(th);
      }
      t.append(tr);
      for (const row of b.rows) {
        const r = el('tr');
        for (const c of row) {
          const td = el('td');
          inlines(td, c);
          r.append(td);
        }
        t.append(r);
      }
      return t;
    }
    case 'hr':
      return el('hr');
  }
}

function diffClass(line: string): string {
  if (line.startsWith('+++') || line.startsWith('---')) return 'meta';
  if (line.startsWith('+')) return 'add';
  if (line.startsWith('-')) return 'del';
  if (line.startsWith('@@')) return 'hunk';
  return '';
}

/** A unified diff, one coloured line per line. */
export function diffBlock(diff: string): HTMLElement {
  const pre = el('pre', 'diff');
  for (const line of diff.replace(/\n$/, '').split('\n'))
    pre.append(el('span', `line ${diffClass(line)}`, `${line}\n`));
  return pre;
}

/** A row of buttons; a click posts the button's action (see explain/view.ts). */
export function buttons(actions: readonly ViewAction[]): HTMLElement {
  const bar = el('div', 'buttons');
  for (const a of actions) {
    const b = el('button', a.primary ? 'primary' : 'secondary', a.label);
    b.dataset.action = a.type;
    b.dataset.round = String(a.round);
    if (a.confirmed) b.dataset.confirmed = 'true';
    if (a.title) b.title = a.title;
    bar.append(b);
  }
  return bar;
}
