// Walks two aligned runs in order and finds where they part: a matched step whose values differ
// (after the noise rule, noise.ts), or a stretch of steps only one run took (another branch, an
// extra or missing call, an extra loop turn). The first one, and the first of the next few other
// places, are described; every other divergent step is counted by place.
import { localsAt } from '../trace/locals';
import type { Trace } from '../trace/model';
import type { Alignment } from './align';
import { compareValues, type NoiseContext, type NoiseKind } from './noise';
import type { RunIndex } from './runIndex';
import type { SourceMaps } from './sourceMap';

/** Where one run was at a divergence. */
export interface SideAt {
  index: number;
  /** The NExT step (k) of the event, or null when it changed nothing. */
  step: number | null;
  /** `(k)`, or `(after k)` for an event that changed nothing. */
  stepRef: string;
  kind: string;
  file: string;
  line: number;
  function: string;
  /** `fn#n`: the n-th call of fn. */
  call: string;
  /** Calls from the outermost to this one (`test_spread#1 → spread#1`), at most the last 8. */
  path: string[];
  /** The source line, trimmed. */
  source?: string;
  /** For an exception event: the exception's type. */
  exception?: string;
}

export interface ValueDifference {
  /** A variable, a path into a value (`memo[3]`), `__return__`, `__yield__` or `__exception__`. */
  name: string;
  /** The value in run A (undefined: not bound there). */
  a?: string;
  b?: string;
}

export interface Divergence {
  /** 'value': both runs took the step, with other values; 'flow': only one run took these steps. */
  kind: 'value' | 'flow';
  /** Value: A's step. Flow: the first step only A took (absent: A took none here). */
  a?: SideAt;
  b?: SideAt;
  values: ValueDifference[];
  /** Flow: the step each run went on to instead, when the run took no step of its own here. */
  aNext?: SideAt;
  bNext?: SideAt;
  /** Flow: steps only A / only B took in this stretch, and the calls among them. */
  onlyA: number;
  onlyB: number;
  callsA: string[];
  callsB: string[];
  /** Other divergent steps at the same place later on (the same line, or the same branch). */
  alsoHere: number;
  /** Why the runs might differ here: the line changed between them, or a function that changed ran before. */
  cause?: { kind: 'changed-line' | 'after-change'; function?: string };
}

export interface ScanOptions {
  /** Divergences described after the first (distinct places). */
  next: number;
  /** Only divergences at or after this step of run A (paging). */
  fromStep?: number;
  /** Filled per alignment row (the timeline's marks): ROW_MARK values. */
  marks?: Uint8Array;
  /** Called as rows are scanned; throws to stop the scan (a tool call's time bound). */
  tick?: () => void;
}

/** What a row of the alignment is, for the timeline. */
export const ROW_MARK = { same: 0, value: 1, flow: 2, notCompared: 3 } as const;

export interface ScanResult {
  divergences: Divergence[];
  /** The first place where only one run took steps (another branch, an extra call), when the
   * listed divergences do not include it: runs with different inputs differ in values at once. */
  firstFlow?: Divergence;
  /** Divergent places (lines / branches) in all, and divergent steps in all. */
  places: number;
  steps: number;
  noise: Partial<Record<NoiseKind, number>>;
  /** Steps of stretches not compared, because a run's recording has no events there. */
  notCompared: number;
}

const MAX_PATH = 8;
const MAX_CALLS_LISTED = 3;

export function sideAt(run: RunIndex, i: number): SideAt {
  const callId = run.callIds[i] as number;
  const path: string[] = [];
  for (let c: number | undefined = callId; c && run.calls.has(c) && path.length < MAX_PATH;) {
    path.unshift(run.callLabel(c));
    c = run.calls.get(c)?.parentCallId;
  }
  const file = run.fileAt(i);
  const kind = run.kindAt(i);
  // A call's line is its code's first line (a decorator): shown on the `def` line, as NExT does.
  const line =
    kind === 'call' ? run.defLine(file, run.lines[i] as number) : (run.lines[i] as number);
  const source = run.sourceLine(file, line);
  const step = run.steps[i] as number;
  const exception = kind === 'exception' ? run.trace.events.at(i)?.exception?.type : undefined;
  return {
    index: i,
    step: step >= 0 ? step : null,
    stepRef: run.stepRef(i),
    kind,
    file,
    line,
    function: run.functionAt(i),
    call: run.callLabel(callId),
    path,
    ...(source !== undefined ? { source } : {}),
    ...(exception !== undefined ? { exception } : {}),
  };
}

const PLAIN_NAME = /^[A-Za-z_]\w*$/;

/** Run-level context of the scan. */
interface Sides {
  a: { trace: Trace; run: RunIndex; noise: NoiseContext };
  b: { trace: Trace; run: RunIndex; noise: NoiseContext };
}

const bufA: string[] = [];
const bufB: string[] = [];

/** The values of matched events x (A) and y (B) that differ, counting the differences the rule ignored. */
function differences(
  s: Sides,
  x: number,
  y: number,
  noise: Partial<Record<NoiseKind, number>>,
): ValueDifference[] {
  bufA.length = 0;
  bufB.length = 0;
  s.a.run.payload(x, bufA);
  s.b.run.payload(y, bufB);
  if (bufA.length === bufB.length) {
    let same = true;
    for (let k = 0; k < bufA.length && same; k++) same = bufA[k] === bufB[k];
    if (same) return [];
  }
  const va = pairs(bufA);
  const vb = pairs(bufB);
  const out: ValueDifference[] = [];
  let localsA: Record<string, string> | undefined;
  let localsB: Record<string, string> | undefined;
  for (const name of new Set([...va.keys(), ...vb.keys()])) {
    let a = va.get(name);
    let b = vb.get(name);
    // A name one run changed here and the other did not: compare with the other's current value.
    if (a === undefined && PLAIN_NAME.test(name)) a = (localsA ??= localsAt(s.a.trace, x))[name];
    if (b === undefined && PLAIN_NAME.test(name)) b = (localsB ??= localsAt(s.b.trace, y))[name];
    if (a !== undefined && b !== undefined) {
      const same = compareValues(a, b, s.a.noise, s.b.noise);
      if (same.same) {
        if (same.noise) noise[same.noise] = (noise[same.noise] ?? 0) + 1;
        continue;
      }
    }
    out.push({ name, ...(a !== undefined ? { a } : {}), ...(b !== undefined ? { b } : {}) });
  }
  return out;
}

function pairs(flat: string[]): Map<string, string> {
  const m = new Map<string, string>();
  for (let k = 0; k + 1 < flat.length; k += 2) m.set(flat[k] as string, flat[k + 1] as string);
  return m;
}

/** Indexes of the gap in a run's events (elided, with the middle executions kept in it: [at,
 * until)), or -1; and whether the run was cut short. */
function gapOf(trace: Trace): { at: number; until: number; end: boolean } {
  const g = trace.elided && trace.elided.events > 0 ? trace.elided : undefined;
  return {
    at: g ? g.at : -1,
    until: g ? (g.tail ?? g.at) : -1,
    end: trace.outcome.partial || trace.outcome.status === 'timeout',
  };
}

export function scanDivergences(
  al: Alignment,
  sides: Sides,
  maps: SourceMaps,
  opts: ScanOptions,
): ScanResult {
  const { a: va, b: vb, rows } = al;
  const gapA = gapOf(sides.a.trace);
  const gapB = gapOf(sides.b.trace);
  const noise: Partial<Record<NoiseKind, number>> = {};
  const places = new Map<string, Divergence>();
  const listed: Divergence[] = [];
  let firstFlow: Divergence | undefined;
  let steps = 0;
  let notCompared = 0;
  let lastChanged: string | undefined;
  let aPrev = -1;
  let bPrev = -1;
  const fromStep = opts.fromStep;
  const wanted = (x: number): boolean =>
    fromStep === undefined || (va.stepBefore[x] as number) >= fromStep;

  const changedLine = (run: RunIndex, i: number, side: 'a' | 'b'): boolean => {
    const m = maps.file(run.fileAt(i));
    return m ? (side === 'a' ? m.changedA : m.changedB).has(run.lines[i] as number) : false;
  };
  const causeFor = (x: number | undefined, y: number | undefined): Divergence['cause'] => {
    if (
      (x !== undefined && changedLine(va, x, 'a')) ||
      (y !== undefined && changedLine(vb, y, 'b'))
    )
      return { kind: 'changed-line' };
    return lastChanged ? { kind: 'after-change', function: lastChanged } : undefined;
  };
  const record = (key: string, make: () => Divergence): void => {
    steps++;
    const known = places.get(key);
    if (known) {
      known.alsoHere++;
      return;
    }
    const d = make();
    places.set(key, d);
    if (listed.length <= opts.next) listed.push(d);
    if (d.kind === 'flow') firstFlow ??= d;
  };

  // A stretch of rows only one run has: [from, to).
  const flow = (from: number, to: number): void => {
    const onlyA: number[] = [];
    const onlyB: number[] = [];
    for (let r = from; r < to; r++) {
      const x = rows[2 * r] as number;
      const y = rows[2 * r + 1] as number;
      if (x >= 0) onlyA.push(x);
      if (y >= 0) onlyB.push(y);
    }
    let aNext = -1;
    let bNext = -1;
    for (let r = to; r < rows.length / 2 && (aNext < 0 || bNext < 0); r++) {
      if (aNext < 0 && (rows[2 * r] as number) >= 0) aNext = rows[2 * r] as number;
      if (bNext < 0 && (rows[2 * r + 1] as number) >= 0) bNext = rows[2 * r + 1] as number;
    }
    // Next to a stretch a run did not record (its gap, the end of a cut-short run): not compared.
    const atGap = (
      g: { at: number; until: number; end: boolean },
      prev: number,
      next: number,
      n: number,
    ): boolean =>
      (g.at >= 0 && prev < g.until && (next < 0 ? n : next) >= g.at) || (g.end && next < 0);
    const skip = atGap(gapA, aPrev, aNext, va.length) || atGap(gapB, bPrev, bNext, vb.length);
    const firstA = onlyA[0];
    const firstB = onlyB[0];
    const cause = causeFor(firstA, firstB);
    // Changed lines only one run ran (added or removed code) count as "the change ran" from here on.
    for (const x of onlyA) if (changedLine(va, x, 'a')) lastChanged = functionOf(va, x);
    for (const y of onlyB) if (changedLine(vb, y, 'b')) lastChanged = functionOf(vb, y);
    if (onlyA.length) aPrev = onlyA[onlyA.length - 1] as number;
    if (onlyB.length) bPrev = onlyB[onlyB.length - 1] as number;
    if (opts.marks) opts.marks.fill(skip ? ROW_MARK.notCompared : ROW_MARK.flow, from, to);
    if (skip) {
      notCompared += onlyA.length + onlyB.length;
      return;
    }
    const anchor = firstA ?? aNext;
    if (anchor >= 0 && !wanted(anchor)) return;
    const key = `flow:${firstA !== undefined ? `${va.fileAt(firstA)}:${va.lines[firstA]}` : '-'}:${firstB !== undefined ? `${vb.fileAt(firstB)}:${vb.lines[firstB]}` : '-'}`;
    const callsOf = (run: RunIndex, list: number[]): string[] =>
      list
        .filter((i) => run.kinds[i] === 0)
        .slice(0, MAX_CALLS_LISTED)
        .map((i) => run.callLabel(run.callIds[i] as number));
    record(key, () => ({
      kind: 'flow',
      ...(firstA !== undefined ? { a: sideAt(va, firstA) } : {}),
      ...(firstB !== undefined ? { b: sideAt(vb, firstB) } : {}),
      ...(firstA === undefined && aNext >= 0 ? { aNext: sideAt(va, aNext) } : {}),
      ...(firstB === undefined && bNext >= 0 ? { bNext: sideAt(vb, bNext) } : {}),
      values: [],
      onlyA: onlyA.length,
      onlyB: onlyB.length,
      callsA: callsOf(va, onlyA),
      callsB: callsOf(vb, onlyB),
      alsoHere: 0,
      ...causeOf(cause),
    }));
  };

  const total = rows.length / 2;
  const tick = opts.tick ?? ((): void => undefined);
  let open = -1;
  for (let r = 0; r < total; r++) {
    tick();
    const x = rows[2 * r] as number;
    const y = rows[2 * r + 1] as number;
    if (x < 0 || y < 0) {
      if (open < 0) open = r;
      continue;
    }
    if (open >= 0) {
      flow(open, r);
      open = -1;
    }
    if (wanted(x)) {
      const diffs = differences(sides, x, y, noise);
      if (diffs.length && opts.marks) opts.marks[r] = ROW_MARK.value;
      if (diffs.length)
        record(`value:${va.fileAt(x)}:${va.lines[x]}`, () => ({
          kind: 'value',
          a: sideAt(va, x),
          b: sideAt(vb, y),
          values: diffs,
          onlyA: 0,
          onlyB: 0,
          callsA: [],
          callsB: [],
          alsoHere: 0,
          ...causeOf(causeFor(x, y)),
        }));
    }
    if (changedLine(va, x, 'a') || changedLine(vb, y, 'b')) lastChanged = functionOf(va, x);
    aPrev = x;
    bPrev = y;
  }
  if (open >= 0) flow(open, total);
  return {
    divergences: listed,
    ...(firstFlow && !listed.includes(firstFlow) ? { firstFlow } : {}),
    places: places.size,
    steps,
    noise,
    notCompared,
  };
}

function functionOf(run: RunIndex, i: number): string | undefined {
  return run.functionAt(i);
}

function causeOf(c: Divergence['cause']): { cause?: Divergence['cause'] } {
  return c ? { cause: c } : {};
}
