// The timeline's step list: one row per recorded event, and one for the events a long run left
// out. Only the rows in view (and a margin) are in the DOM, each placed at its offset inside a
// spacer as tall as the whole list: a recording keeps up to tracefix.maxEvents events (20,000 by
// default), and building a row for each took seconds and blocked the view. The keyboard, clicks and
// scrolling behave as with every row present; each selection is handed to `onSelect`.
import type { ElisionRow, TimelineRow } from '../../extension/timeline/protocol';
import { el } from '../shared/dom';

/** Rows built beyond each edge of the viewport. */
const OVERSCAN = 30;
/** Deepest call nesting shown by indentation. */
const MAX_INDENT = 12;

export class StepList {
  private rows: readonly TimelineRow[] = [];
  /** How the passing run is named, when the rows are aligned with one. */
  private bShort = '';
  private elision: ElisionRow | null = null;
  private selected: number | undefined;
  /** Events on the why-chain shown (marked rows). */
  private marked: ReadonlySet<number> = new Set();
  private readonly spacer = el('div', 'spacer');
  /** Item index of the elision row (-1: none); items are the rows with that row inserted. */
  private gapAt = -1;
  /** Measured from a rendered row (fractional, so offsets never drift). */
  private rowH = 20;
  private gapH = 24;
  private shown = { first: -1, last: -1 };
  /** An item to scroll to once the list has a size (the view may be hidden when a trace arrives). */
  private pendingScroll = -1;
  private frameRequest = 0;

  constructor(
    private readonly list: HTMLElement,
    private readonly onSelect: (eventIndex: number) => void,
  ) {
    list.addEventListener('scroll', () => this.scheduleWindow(), { passive: true });
    new ResizeObserver(() => this.scheduleWindow()).observe(list);
    list.addEventListener('click', (ev) => this.onClick(ev));
    list.addEventListener('keydown', (ev) => this.onKey(ev));
  }

  get length(): number {
    return this.rows.length;
  }

  /** Shows a recording's rows (none: the list is emptied), `selected` marked and scrolled to.
   * `bShort` names the passing run when the rows are aligned with one. */
  setRows(
    rows: readonly TimelineRow[],
    elision: ElisionRow | null,
    selected?: number,
    bShort = '',
  ): void {
    this.rows = rows;
    this.bShort = bShort;
    this.elision = elision;
    this.selected = selected;
    this.list.textContent = '';
    this.shown = { first: -1, last: -1 };
    this.pendingScroll = -1;
    if (rows.length === 0) return;
    this.gapAt = elision ? rows.findIndex((r) => r.i === elision.at) : -1;
    this.spacer.style.height = `${this.offsetOf(this.itemCount())}px`;
    this.list.append(this.spacer);
    this.list.scrollTop = 0;
    this.highlight();
  }

  /** Marks the rows of these events as on the why-chain (none: no marks). */
  setMarked(events: readonly number[]): void {
    this.marked = new Set(events);
    this.renderWindow(true);
  }

  /** Event indices of the rows built now that carry the why-chain mark. */
  markedBuilt(): number[] {
    return [...this.spacer.querySelectorAll<HTMLElement>('.row.on-chain')].map((r) =>
      Number(r.dataset.index),
    );
  }

  /** Marks event `index` selected and shows it (without telling `onSelect`: the extension chose it). */
  show(index: number): void {
    this.selected = index;
    this.highlight();
  }

  private itemCount(): number {
    return this.rows.length + (this.gapAt >= 0 ? 1 : 0);
  }

  private itemOf(p: number): number {
    return p + (this.gapAt >= 0 && p >= this.gapAt ? 1 : 0);
  }

  private offsetOf(j: number): number {
    return j * this.rowH + (this.gapAt >= 0 && j > this.gapAt ? this.gapH - this.rowH : 0);
  }

  private itemAt(y: number): number {
    const { gapAt, rowH, gapH } = this;
    if (gapAt < 0 || y < gapAt * rowH) return Math.floor(y / rowH);
    if (y < gapAt * rowH + gapH) return gapAt;
    return gapAt + 1 + Math.floor((y - gapAt * rowH - gapH) / rowH);
  }

  /** Position of the selected event among the rows (-1: none). */
  private position(): number {
    const s = this.selected;
    return s === undefined ? -1 : this.rows.findIndex((r) => r.i === s);
  }

  private rowEl(p: number): HTMLElement {
    const r = this.rows[p]!;
    const onChain = this.marked.has(r.i);
    const marks = `${r.mark ? ` mark-${r.mark}` : ''}${r.first ? ' first' : ''}${r.b !== undefined ? ' has-b' : ''}${onChain ? ' on-chain' : ''}`;
    const row = el('div', `row kind-${r.kind}${marks}`);
    row.setAttribute('role', 'option');
    if (onChain) row.setAttribute('aria-description', 'on the why chain');
    row.setAttribute('aria-setsize', String(this.rows.length));
    row.setAttribute('aria-posinset', String(p + 1));
    row.dataset.index = String(r.i);
    const theirs = r.b !== undefined ? `\n${this.bShort}: ${r.b}` : '';
    row.title = `${r.file}:${r.line} ${r.fn} — ${r.text}${theirs}${markTitle(r, this.bShort)}${onChain ? ' (on the why chain)' : ''}`;
    row.id = `row-${r.i}`;
    const indent = '  '.repeat(Math.min(r.depth, MAX_INDENT));
    row.append(
      el('span', 'k', r.k === null ? '·' : r.i < 0 ? '' : r.k),
      el('span', 'where', `${r.file}:${r.line}`),
      el('span', 'fn', `${indent}${r.fn}${r.call > 1 ? ` #${r.call}` : ''}`),
      el('span', 'text', r.mark === 'only-b' ? `${this.bShort} only: ${r.text}` : r.text),
    );
    // Compared with a passing run: its value beside ours where they differ.
    if (r.b !== undefined) row.append(el('span', 'theirs', `≠ ${r.b}`));
    return row;
  }

  private gapEl(): HTMLElement {
    const g = this.elision;
    const gap = el('div', 'row elision', g ? g.text : '');
    gap.title = g ? `${g.text}\n${g.title}` : '';
    gap.setAttribute('role', 'separator');
    return gap;
  }

  /** Builds the items in view; `force` rebuilds them even if the range is unchanged. */
  private renderWindow(force: boolean): void {
    const n = this.itemCount();
    if (n === 0) return;
    const { list, spacer, gapAt } = this;
    const h = list.clientHeight || 400;
    const first = Math.max(0, this.itemAt(list.scrollTop) - OVERSCAN);
    const last = Math.min(n - 1, this.itemAt(list.scrollTop + h) + OVERSCAN);
    if (!force && first === this.shown.first && last === this.shown.last) return;
    this.shown = { first, last };
    const frag = document.createDocumentFragment();
    for (let j = first; j <= last; j++) {
      const item = j === gapAt ? this.gapEl() : this.rowEl(j - (gapAt >= 0 && j > gapAt ? 1 : 0));
      item.style.top = `${this.offsetOf(j)}px`;
      frag.append(item);
    }
    spacer.replaceChildren(frag);
    this.markSelected();
    // Heights follow the editor font: measure them from what was just built.
    const rh = spacer.querySelector('.row:not(.elision)')?.getBoundingClientRect().height ?? 0;
    const gh = spacer.querySelector('.row.elision')?.getBoundingClientRect().height ?? 0;
    if (
      (rh > 0 && Math.abs(rh - this.rowH) > 0.01) ||
      (gh > 0 && Math.abs(gh - this.gapH) > 0.01)
    ) {
      if (rh > 0) this.rowH = rh;
      if (gh > 0) this.gapH = gh;
      spacer.style.height = `${this.offsetOf(n)}px`;
      if (this.pendingScroll < 0 && this.position() >= 0)
        this.pendingScroll = this.itemOf(this.position());
      this.scrollToPending();
      this.renderWindow(true);
    }
  }

  private scheduleWindow(): void {
    if (this.frameRequest) return;
    this.frameRequest = requestAnimationFrame(() => {
      this.frameRequest = 0;
      this.scrollToPending();
      this.renderWindow(false);
    });
  }

  /** Scrolls the pending item into view, as scrollIntoView({ block: 'nearest' }) would. */
  private scrollToPending(): void {
    const { list, pendingScroll } = this;
    const h = list.clientHeight;
    if (pendingScroll < 0 || h === 0) return;
    const top = this.offsetOf(pendingScroll);
    const bottom = top + (pendingScroll === this.gapAt ? this.gapH : this.rowH);
    if (top < list.scrollTop) list.scrollTop = top;
    else if (bottom > list.scrollTop + h) list.scrollTop = Math.max(0, bottom - h);
    this.pendingScroll = -1;
  }

  private markSelected(): void {
    for (const old of this.spacer.querySelectorAll('.row.selected')) {
      old.classList.remove('selected');
      old.removeAttribute('aria-selected');
    }
    const s = this.selected;
    const row = s === undefined ? null : this.spacer.querySelector(`#row-${s}`);
    if (!row) {
      this.list.removeAttribute('aria-activedescendant');
      return;
    }
    row.classList.add('selected');
    row.setAttribute('aria-selected', 'true');
    this.list.setAttribute('aria-activedescendant', row.id);
  }

  /** Shows the selected step: scrolled into view, built and marked. */
  private highlight(): void {
    const p = this.position();
    if (p >= 0) this.pendingScroll = this.itemOf(p);
    this.scrollToPending();
    this.renderWindow(true);
    // After layout: right after a trace arrives the list may not have its size yet.
    if (this.pendingScroll >= 0) this.scheduleWindow();
  }

  /** Selects the row at position `p` (as the user did) and tells `onSelect`. */
  private select(p: number): void {
    const r = this.rows[p];
    if (!r) return;
    this.selected = r.i;
    this.highlight();
    this.onSelect(r.i);
  }

  private onClick(ev: MouseEvent): void {
    const row =
      ev.target instanceof Element ? ev.target.closest<HTMLElement>('.row[data-index]') : null;
    if (!row) return;
    this.select(this.rows.findIndex((r) => String(r.i) === row.dataset.index));
    this.list.focus();
  }

  private onKey(ev: KeyboardEvent): void {
    const p = this.position();
    const last = this.rows.length - 1;
    const page = Math.max(1, Math.floor(this.list.clientHeight / this.rowH) - 1);
    const moves: Record<string, number> = {
      ArrowLeft: p - 1,
      ArrowUp: p - 1,
      ArrowRight: p + 1,
      ArrowDown: p + 1,
      PageUp: Math.max(0, p - page),
      PageDown: Math.min(last, p + page),
      Home: 0,
      End: last,
    };
    const to = moves[ev.key];
    if (to === undefined) return;
    ev.preventDefault();
    this.select(p < 0 && ev.key !== 'End' ? 0 : to);
  }
}

/** The tooltip's line on a row's mark, when compared with a passing run. */
function markTitle(r: TimelineRow, bShort: string): string {
  const first = r.first ? '\nThe first divergence.' : '';
  switch (r.mark) {
    case 'value':
      return `\nA value differs ${bShort}.${first}`;
    case 'only-a':
      return `\nOnly this run took this step (not ${bShort}).${first}`;
    case 'only-b':
      return `\nOnly the run ${bShort} took this step.${first}`;
    case 'skipped':
      return '\nNot compared: next to a stretch one run did not record.';
    default:
      return first;
  }
}
