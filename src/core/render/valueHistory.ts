// How a variable's successive values on one line are written inline, the way a person scans them:
// `i = 0 → 1 → 2 … 9 (×10)`. The full values live in the hover; this text only has to fit.

export interface History {
  name: string;
  /** Values in execution order (one per execution that changed the variable). */
  values: string[];
  /** 'call' for a change inside a container shown as a method call: `seen.add(4 → 5)`. Default 'assign'. */
  style?: 'assign' | 'call';
}

export interface HistoryStyle {
  /** How many leading values to show before eliding to the last one. */
  head: number;
  /** Longest shown value; longer ones are cut with `…`. Infinity = no cut. */
  valueWidth: number;
  /** Leave out the `(×n)` count (the tersest style, when nothing else fits). */
  noCount?: boolean;
}

export const ARROW = ' → ';
export const ELLIPSIS = '…';

/** Cuts `text` to at most `width` characters, marking the cut with `…`. */
export function clip(text: string, width: number): string {
  if (width <= 0) return '';
  if (text.length <= width) return text;
  if (width === 1) return ELLIPSIS;
  return text.slice(0, width - 1) + ELLIPSIS;
}

/** Drops consecutive repeats, so `0 → 0 → 0` reads as one value (the count still says ×3). */
export function collapseRepeats(values: readonly string[]): string[] {
  const out: string[] = [];
  for (const v of values) if (out[out.length - 1] !== v) out.push(v);
  return out;
}

/** `name = v1 → v2 → v3 … vn (×count)`; the count appears when some values are not shown. */
export function formatHistory(h: History, style: HistoryStyle): string {
  const distinct = collapseRepeats(h.values);
  const shown = (v: string) => clip(v, style.valueWidth);
  let body: string;
  if (distinct.length <= style.head + 1) {
    body = distinct.map(shown).join(ARROW);
  } else if (style.head === 0) {
    body = `${ELLIPSIS} ${shown(distinct[distinct.length - 1]!)}`;
  } else {
    const head = distinct.slice(0, style.head).map(shown).join(ARROW);
    body = `${head} ${ELLIPSIS} ${shown(distinct[distinct.length - 1]!)}`;
  }
  const count = h.values.length;
  const elided = distinct.length > style.head + 1 || distinct.length < count;
  const times = elided && count > 1 && !style.noCount ? ` (×${count})` : '';
  return h.style === 'call' ? `${h.name}(${body})${times}` : `${h.name} = ${body}${times}`;
}

const STYLES: HistoryStyle[] = [
  { head: 3, valueWidth: Infinity },
  { head: 2, valueWidth: Infinity },
  { head: 1, valueWidth: Infinity },
  { head: 1, valueWidth: 24 },
  { head: 1, valueWidth: 12 },
  { head: 0, valueWidth: 12 },
  { head: 0, valueWidth: 6 },
  { head: 0, valueWidth: 6, noCount: true },
];

/**
 * Writes the parts of one line (`i = 0 → 1`, `✗ ValueError`) joined by `; ` within `width` characters,
 * trying progressively terser styles for the histories before cutting the whole text.
 */
export function fitLine(
  histories: readonly History[],
  tail: readonly string[],
  width: number,
): string {
  let text = '';
  for (const style of STYLES) {
    text = [...histories.map((h) => formatHistory(h, style)), ...tail].join('; ');
    if (text.length <= width) return text;
  }
  return clip(text, width);
}
