// Which line of one run's source is which line of the other's. Two runs of a regression ran
// different commits: lines were added, removed or edited in between, so line numbers alone do not
// say which steps correspond. A line diff of each file's recorded text (the sources both traces
// carry) matches the unchanged lines; inside a changed region, edited lines are paired with their
// most similar counterpart (`low = 0` ↔ `low = values[0]`), so an edited line still aligns and is
// reported as changed. Files whose text is the same map line to line at no cost.
import { diffArrays } from 'diff';
import type { Trace } from '../trace/model';

/** Past this many differing lines in one file the diff gives up: lines map by position. */
const MAX_EDIT_LENGTH = 4000;
/** Changed regions up to this many line pairs are paired by similarity; larger ones by position. */
const MAX_PAIRING = 2500;
/** How alike two edited lines must be (Dice coefficient of their character pairs) to pair them. */
const MIN_SIMILARITY = 0.5;

/** One changed region: lines [aFrom, aTo) of run A replace lines [bFrom, bTo) of run B (1-based). */
export interface ChangedRegion {
  aFrom: number;
  aTo: number;
  bFrom: number;
  bTo: number;
}

export class FileLineMap {
  /** B line → A line (index line - 1; 0 = none). */
  private readonly bToA: Int32Array;
  private readonly aToB: Int32Array;

  constructor(
    readonly path: string,
    readonly aLines: readonly string[],
    readonly bLines: readonly string[],
    /** A lines that are not unchanged copies of a B line (added or edited). */
    readonly changedA: ReadonlySet<number>,
    readonly changedB: ReadonlySet<number>,
    readonly regions: readonly ChangedRegion[],
    pairs: Iterable<[number, number]>,
  ) {
    this.bToA = new Int32Array(bLines.length + 1);
    this.aToB = new Int32Array(aLines.length + 1);
    for (const [a, b] of pairs) {
      this.bToA[b - 1] = a;
      this.aToB[a - 1] = b;
    }
  }

  get identical(): boolean {
    return this.regions.length === 0;
  }

  /** The A line that B line `b` corresponds to (unchanged or edited), if any. */
  toA(b: number): number | undefined {
    const a = this.bToA[b - 1];
    return a ? a : undefined;
  }

  toB(a: number): number | undefined {
    const b = this.aToB[a - 1];
    return b ? b : undefined;
  }
}

export function splitSource(text: string): string[] {
  return text.replace(/\r\n?/g, '\n').split('\n');
}

/** Characters of a line its similarity reads (a 300 KB line costs no more than this). */
const SIMILARITY_CHARS = 400;

/** Character-pair Dice similarity of two trimmed lines (1: equal), on their first 400 characters. */
export function lineSimilarity(x: string, y: string): number {
  const a = x.trim().slice(0, SIMILARITY_CHARS);
  const b = y.trim().slice(0, SIMILARITY_CHARS);
  if (a === b) return 1;
  if (a.length < 2 || b.length < 2) return 0;
  const pairs = new Map<string, number>();
  for (let i = 0; i < a.length - 1; i++) {
    const p = a.slice(i, i + 2);
    pairs.set(p, (pairs.get(p) ?? 0) + 1);
  }
  let common = 0;
  for (let i = 0; i < b.length - 1; i++) {
    const p = b.slice(i, i + 2);
    const c = pairs.get(p) ?? 0;
    if (c > 0) {
      common++;
      pairs.set(p, c - 1);
    }
  }
  return (2 * common) / (a.length - 1 + (b.length - 1));
}

/** Pairs edited lines of one changed region in order, by similarity (a small LCS over "alike"). */
function pairRegion(
  aLines: readonly string[],
  bLines: readonly string[],
  r: ChangedRegion,
  out: [number, number][],
): void {
  const p = r.aTo - r.aFrom;
  const q = r.bTo - r.bFrom;
  if (p === 0 || q === 0) return;
  // As many lines on both sides: the same lines, edited (whatever the edit).
  if (p === q || p * q > MAX_PAIRING) {
    for (let k = 0; k < Math.min(p, q); k++) out.push([r.aFrom + k, r.bFrom + k]);
    return;
  }
  const alike = (i: number, j: number): boolean =>
    lineSimilarity(aLines[r.aFrom + i - 1] ?? '', bLines[r.bFrom + j - 1] ?? '') >= MIN_SIMILARITY;
  const dp = new Int32Array((p + 1) * (q + 1));
  const w = q + 1;
  for (let i = p - 1; i >= 0; i--)
    for (let j = q - 1; j >= 0; j--)
      dp[i * w + j] = alike(i, j)
        ? (dp[(i + 1) * w + j + 1] as number) + 1
        : Math.max(dp[(i + 1) * w + j] as number, dp[i * w + j + 1] as number);
  let i = 0;
  let j = 0;
  while (i < p && j < q) {
    if (alike(i, j) && dp[i * w + j] === (dp[(i + 1) * w + j + 1] as number) + 1) {
      out.push([r.aFrom + i, r.bFrom + j]);
      i++;
      j++;
    } else if ((dp[(i + 1) * w + j] as number) >= (dp[i * w + j + 1] as number)) i++;
    else j++;
  }
}

/** The line map of one file between run A's text and run B's. */
export function fileLineMap(path: string, aText: string, bText: string): FileLineMap {
  const aLines = splitSource(aText);
  const bLines = splitSource(bText);
  const pairs: [number, number][] = [];
  const changedA = new Set<number>();
  const changedB = new Set<number>();
  const regions: ChangedRegion[] = [];
  if (aText === bText) {
    return new FileLineMap(
      path,
      aLines,
      bLines,
      changedA,
      changedB,
      regions,
      aLines.map((_, i): [number, number] => [i + 1, i + 1]),
    );
  }
  const parts = diffArrays(bLines, aLines, { maxEditLength: MAX_EDIT_LENGTH });
  if (!parts) {
    // Too different to diff: by position, every line counted as changed.
    const n = Math.min(aLines.length, bLines.length);
    for (let k = 1; k <= aLines.length; k++) changedA.add(k);
    for (let k = 1; k <= bLines.length; k++) changedB.add(k);
    regions.push({ aFrom: 1, aTo: aLines.length + 1, bFrom: 1, bTo: bLines.length + 1 });
    for (let k = 1; k <= n; k++) pairs.push([k, k]);
    return new FileLineMap(path, aLines, bLines, changedA, changedB, regions, pairs);
  }
  let a = 1;
  let b = 1;
  let open: ChangedRegion | undefined;
  const close = (): void => {
    if (!open) return;
    open.aTo = a;
    open.bTo = b;
    regions.push(open);
    pairRegion(aLines, bLines, open, pairs);
    open = undefined;
  };
  for (const part of parts) {
    const count = part.value.length;
    if (!part.added && !part.removed) {
      close();
      for (let k = 0; k < count; k++) pairs.push([a++, b++]);
      continue;
    }
    open ??= { aFrom: a, aTo: a, bFrom: b, bTo: b };
    if (part.added) for (let k = 0; k < count; k++) changedA.add(a++);
    else for (let k = 0; k < count; k++) changedB.add(b++);
  }
  close();
  return new FileLineMap(path, aLines, bLines, changedA, changedB, regions, pairs);
}

/** Line maps of every file either run recorded (a file only one run has maps to nothing). */
export class SourceMaps {
  private readonly maps = new Map<string, FileLineMap>();
  private readonly aText = new Map<string, string>();
  private readonly bText = new Map<string, string>();

  constructor(a: Pick<Trace, 'sources'>, b: Pick<Trace, 'sources'>) {
    for (const s of a.sources) this.aText.set(s.path, s.text);
    for (const s of b.sources) this.bText.set(s.path, s.text);
  }

  /** The map of `path`; undefined when only one run has its text. */
  file(path: string): FileLineMap | undefined {
    let m = this.maps.get(path);
    if (m) return m;
    const a = this.aText.get(path);
    const b = this.bText.get(path);
    if (a === undefined || b === undefined) return undefined;
    this.maps.set(path, (m = fileLineMap(path, a, b)));
    return m;
  }

  /** B's line `line` of `path` in A's numbering (the same number when a text is missing). */
  toA(path: string, line: number): number | undefined {
    const m = this.file(path);
    return m ? m.toA(line) : line;
  }

  /** Files both runs recorded whose text differs (a file one run never ran is not a change). */
  changedFiles(): FileLineMap[] {
    const out: FileLineMap[] = [];
    for (const p of this.aText.keys()) {
      const m = this.bText.has(p) ? this.file(p) : undefined;
      if (m && !m.identical) out.push(m);
    }
    return out.sort((x, y) => x.path.localeCompare(y.path));
  }
}
