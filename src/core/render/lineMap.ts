// Where the lines of a traced file are now, after edits. The trace speaks about the file as it was
// recorded; once the user edits it, each recorded line is either still there with the same text
// (possibly moved) or gone. The map comes from a line diff of the recorded text against the current
// one, so it survives any kind of edit (typing, undo, format-on-save, a change on disk). Decorations
// and hovers go through it: no value is ever shown on a line whose text changed, nor on a line that
// merely took another line's place.

import { diffArrays } from 'diff';

/** Past this many differing lines the diff gives up and every line counts as gone. */
const MAX_EDIT_LENGTH = 2000;

export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

export class LineMap {
  /** original line - 1 → current line (1-based), or 0 when the line is gone / changed. */
  private readonly current: number[];
  private readonly original = new Map<number, number>();

  private constructor(
    current: number[],
    /** True when the text is exactly the recorded one. */
    readonly identity: boolean,
  ) {
    this.current = current;
    current.forEach((c, i) => {
      if (c) this.original.set(c, i + 1);
    });
  }

  static identityOf(lineCount: number): LineMap {
    return new LineMap(
      Array.from({ length: lineCount }, (_, i) => i + 1),
      true,
    );
  }

  static between(recorded: string, now: string): LineMap {
    const before = splitLines(recorded);
    if (recorded === now) return LineMap.identityOf(before.length);
    const after = splitLines(now);
    const current = new Array<number>(before.length).fill(0);
    const changes = diffArrays(before, after, { maxEditLength: MAX_EDIT_LENGTH });
    if (changes) {
      let o = 0;
      let n = 0;
      for (const c of changes) {
        const count = c.value.length;
        if (c.added) n += count;
        else if (c.removed) o += count;
        else for (let i = 0; i < count; i++) current[o++] = ++n;
      }
    }
    return new LineMap(current, false);
  }

  get lineCount(): number {
    return this.current.length;
  }

  /** Where recorded line `original` is now, or undefined when it was edited away. */
  toCurrent(original: number): number | undefined {
    const c = this.current[original - 1];
    return c ? c : undefined;
  }

  /** Which recorded line is now at `current`, if an unedited one is. */
  toOriginal(current: number): number | undefined {
    return this.original.get(current);
  }
}
