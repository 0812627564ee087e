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

/**
 * A line's history: the first `keep` entries, `...(N more);`, the last entry; the runs that fell in
 * the unrecorded gap of a long run are counted where they happened. Returns the pieces and how many
 * entries they show.
 */
export function historyPieces(
  list: readonly Entry[],
  level: Level,
  gapRuns = 0,
  gapAt = Infinity,
): { pieces: string[]; shown: number } {
  const before = gapRuns > 0 ? list.filter((e) => e.index < gapAt).length : -1;
  const pieces: string[] = [];
  if (list.length <= level.keep + 1) {
    list.forEach((e, i) => {
      if (i === before) pieces.push(gapText(gapRuns));
      pieces.push(entryText(e, level.width));
    });
    if (before === list.length) pieces.push(gapText(gapRuns));
    return { pieces, shown: list.length };
  }
  const skipped = list.length - level.keep - 1;
  const inMiddle = before >= level.keep && before <= list.length - 1;
  for (let i = 0; i < level.keep; i++) {
    if (i === before) pieces.push(gapText(gapRuns));
    pieces.push(entryText(list[i]!, level.width));
  }
  pieces.push(
    inMiddle ? `...(${skipped} more; ${gapRuns} more runs not recorded);` : `...(${skipped} more);`,
  );
  if (before === list.length)
    pieces.push(entryText(list[list.length - 1]!, level.width), gapText(gapRuns));
  else pieces.push(entryText(list[list.length - 1]!, level.width));
  return { pieces, shown: level.keep + 1 };
}
