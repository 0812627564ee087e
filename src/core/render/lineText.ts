// How one line of a rendering is written: the source line (a very long one cut with a count) and,
// in the NExT text, its history of entries `(k) name=value;` with the elided middle and the
// unrecorded gap of a long run counted where they are.
import { partText } from './changes';
import type { Entry } from './traceIndex';

export interface Level {
  /** Leading entries a line keeps before `...(N more);` and its last entry. */
  keep: number;
  /** Longest value shown, in characters. */
  width: number;
  /** Runs of this many lines or more that did not run are collapsed to a marker. */
  gap: number;
}

/** Longest source line shown; the rest is replaced by a count (a 300 KB literal is not code to read). */
export const MAX_LINE_CHARS = 400;
/** Longest value shown even at full width (the recorder's repr limit is normally far below). */
export const VALUE_CEILING = 1000;
export function cutLine(line: string): string {
  return line.length <= MAX_LINE_CHARS
    ? line
    : `${line.slice(0, MAX_LINE_CHARS)} <... ${line.length - MAX_LINE_CHARS} more characters>`;
}

export function entryText(e: Entry, width: number): string {
  return `(${e.step}) ${e.parts.map((p) => `${partText(p, Math.min(width, VALUE_CEILING))};`).join(' ')}`;
}

function gapText(runs: number): string {
  return `...(${runs} more runs not recorded);`;
}

/** Slice entries a line keeps besides its first and last ones, nearest the failure first. */
export const SLICE_ENTRIES = 3;

/**
 * Which entries of a line's history are written (positions, ascending): the first `keep`, the last,
 * and the SLICE_ENTRIES entries on the slice nearest the failure (`focus` gives an event's distance
 * from the failure when it is on the slice), so the run that made the wrong value keeps its values.
 */
export function pickEntries(
  list: readonly Entry[],
  keep: number,
  focus?: (index: number) => number | undefined,
): number[] {
  const n = list.length;
  if (n <= keep + 1 && !(keep === 0 && n === 1)) return list.map((_, i) => i);
  const picked = new Set<number>();
  if (keep === 0 && focus) {
    // The tersest level: the entry on the slice nearest the failure stands for the line (else the last).
    let best = -1;
    let bestD = Infinity;
    list.forEach((e, i) => {
      const d = focus(e.index);
      if (d !== undefined && d < bestD) {
        bestD = d;
        best = i;
      }
    });
    return [best >= 0 ? best : n - 1];
  }
  for (let i = 0; i < keep; i++) picked.add(i);
  picked.add(n - 1);
  if (focus) {
    const onSlice: [number, number][] = [];
    list.forEach((e, i) => {
      const d = focus(e.index);
      if (d !== undefined && !picked.has(i)) onSlice.push([d, i]);
    });
    onSlice.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
    for (const [, i] of onSlice.slice(0, SLICE_ENTRIES)) picked.add(i);
  }
  return [...picked].sort((a, b) => a - b);
}

/**
 * A line's history: the picked entries (pickEntries) with `...(N more);` for each run left out; the
 * runs that fell in the unrecorded gap of a long run are counted where they happened. Returns the
 * pieces and how many entries they show.
 */
export function historyPieces(
  list: readonly Entry[],
  level: Level,
  gapRuns = 0,
  gapAt = Infinity,
  focus?: (index: number) => number | undefined,
): { pieces: string[]; shown: number } {
  const gap = gapRuns > 0 ? list.filter((e) => e.index < gapAt).length : -1;
  const picked = pickEntries(list, level.keep, focus);
  const pieces: string[] = [];
  let gapDone = gap < 0;
  let prev = -1;
  for (const i of picked) {
    if (i > prev + 1) {
      const skipped = i - prev - 1;
      const inside = !gapDone && gap >= prev + 1 && gap <= i;
      if (inside) gapDone = true;
      pieces.push(
        inside
          ? `...(${skipped} more; ${gapRuns} more runs not recorded);`
          : `...(${skipped} more);`,
      );
    }
    if (!gapDone && gap === i) {
      pieces.push(gapText(gapRuns));
      gapDone = true;
    }
    pieces.push(entryText(list[i]!, level.width));
    prev = i;
  }
  if (!gapDone) pieces.push(gapText(gapRuns));
  return { pieces, shown: picked.length };
}
