// How tool answers are written: one line per step with where it ran (`(7) stats.py:16 spread#1`),
// values cut to a width, and a bounded list that says what it left out and how to page on. Plain
// text a model reads well and the editor can link: every step appears as `(k)`.
import { shortenValue } from '../render/changes';
import { ToolInputError, type ToolLimits } from './types';
import type { TraceView } from './traceView';

/** `(k)` for an event with a step; `(after k)` for one that changed nothing. */
export function stepRef(view: TraceView, i: number): string {
  const own = view.stepAt(i);
  if (own !== null) return `(${own})`;
  const before = view.stepAtOrBefore(i);
  return before === null ? '(start)' : `(after ${before})`;
}

/** `stats.py:16 spread#1` — where event i ran and in which call. */
export function whereAt(view: TraceView, i: number): string {
  return `${view.fileAt(i)}:${view.lineAt(i)} ${view.frameLabel(view.callIdAt(i))}`;
}

export function cut(value: string, limits: ToolLimits): string {
  return shortenValue(value.replace(/\n/g, '\\n'), limits.valueWidth);
}

/**
 * A list bounded by items and characters. `add` returns false once the list is full; the caller
 * then only counts what is left (`skip`) and names the step to page from.
 */
export class BoundedList {
  private readonly lines: string[] = [];
  private chars = 0;
  private full = false;
  private nextStep: number | null | undefined;
  /** Items not listed (found after the list was full). */
  left = 0;
  count = 0;

  constructor(
    private readonly maxItems: number,
    private readonly maxChars: number,
  ) {}

  /** Adds one item (may span lines); false when it did not fit (the list is full from then on). A
   * function is only called while the list takes items: a long tail is counted, not formatted. */
  add(item: string | (() => string), step: number | null): boolean {
    this.count++;
    const text =
      this.full || this.lines.length >= this.maxItems
        ? ''
        : typeof item === 'string'
          ? item
          : item();
    if (
      !this.full &&
      this.lines.length < this.maxItems &&
      this.chars + text.length + 1 <= this.maxChars
    ) {
      this.lines.push(text);
      this.chars += text.length + 1;
      return true;
    }
    if (!this.full) {
      this.full = true;
      this.nextStep = step;
    }
    this.left++;
    return false;
  }

  get isFull(): boolean {
    return this.full;
  }

  get items(): number {
    return this.lines.length;
  }

  text(): string {
    return this.lines.join('\n');
  }

  /** `… 12 more; ask again with from_step=40 for them.` ('' when everything was listed). */
  more(what: string): string {
    if (this.left === 0) return '';
    const page =
      this.nextStep !== null && this.nextStep !== undefined
        ? `; ask again with from_step=${this.nextStep} for them`
        : '';
    return `… ${this.left} more ${what} not listed (answer bounded)${page}.`;
  }
}

/** Items per answer: the call's `limit` within [1, max], else the default. */
export function itemLimit(limit: number | undefined, limits: ToolLimits, max: number): number {
  if (limit !== undefined && Number.isInteger(limit) && limit > 0) return Math.min(limit, max);
  return limits.maxItems;
}

/** The sentence on the unrecorded middle of a long run, when there is one. */
export function gapSentence(view: TraceView): string | undefined {
  const g = view.gap;
  if (!g) return undefined;
  return `${g.events} events (${g.steps} steps) between step (${g.before ?? '?'}) and step (${g.after ?? '?'}) were not recorded (a long run keeps its head and tail)`;
}

/** Files matching a path given by the model: exact, or by its end (`stats.py` for `pkg/stats.py`). */
export function matchFiles(view: TraceView, file: string | undefined): Set<string> | undefined {
  if (file === undefined) return undefined;
  const want = file.replace(/\\/g, '/').replace(/^\.\//, '');
  const all = new Set<string>();
  for (const f of view.frames.values()) all.add(f.file);
  for (const f of view.gap?.lines.keys() ?? []) all.add(f);
  const exact = [...all].filter((f) => f === want);
  if (exact.length) return new Set(exact);
  const tail = [...all].filter((f) => f.endsWith(`/${want}`));
  if (tail.length) return new Set(tail);
  throw new ToolInputError(
    `no recorded file matches "${file}"; recorded files: ${[...all].slice(0, 20).join(', ') || 'none'}`,
  );
}

/** Does frame function `fn` match the name the model gave (`spread`, `Stats.spread`, `<module>`)? */
export function functionMatches(fn: string, want: string | undefined): boolean {
  if (want === undefined) return true;
  if (fn === want) return true;
  const simple = want.split('.').pop() ?? want;
  return fn === simple;
}

/** Every function that ran (for "did you mean" answers). */
export function functionNames(view: TraceView): string[] {
  const names = new Set<string>();
  for (const f of view.frames.values()) names.add(f.function);
  return [...names];
}
