// Compares two recordings of the same program: which lines changed between the code they ran, how
// their steps align, and where they first part (divergence.ts). Run A is the one being explained
// (the failing run), run B the reference (a passing run). The alignment of a pair of recordings is
// kept (weakly) so paging through divergences does not align again.
import type { Trace } from '../trace/model';
import { traceFailure, tracePassed } from '../verify/traceOutcome';
import { alignRuns, type Alignment } from './align';
import { scanDivergences, type Divergence } from './divergence';
import { noiseContext, type NoiseKind } from './noise';
import { SourceMaps, type ChangedRegion, type FileLineMap } from './sourceMap';

export interface CompareOptions {
  /** Divergences described after the first (distinct places; default 5). */
  next?: number;
  /** Only divergences at or after this step of run A. */
  fromStep?: number;
  /** Mark each row of the alignment (ROW_MARK) into this array (alignment.rows.length / 2 long). */
  marks?: Uint8Array;
  /** Called as the runs are aligned and scanned; throws to stop (a tool call's time bound). An
   * alignment stopped this way is not kept. */
  tick?: () => void;
}

export interface RunInfo {
  passed: boolean;
  /** One line on how it ended ('passed' when it passed). */
  outcome: string;
  /** Events recorded (kept + left out). */
  events: number;
  kept: number;
  /** Events left out between the head and the tail (--max-events). */
  elided: number;
  /** The recording stopped before the program did (timeout, a lost channel). */
  partial: boolean;
}

/** Lines that differ between the two runs' text of one file. */
export interface SourceChange {
  path: string;
  /** Lines of A that are new or edited, and of B that are gone or edited. */
  added: number;
  removed: number;
  /** Unified-diff hunks (B as the old text, A as the new), one line of context. */
  hunks: { aFrom: number; aTo: number; bFrom: number; bTo: number; text: string }[];
}

export interface RunComparison {
  a: RunInfo;
  b: RunInfo;
  /** The first divergence, then the first of the next few other places; empty: none found. */
  divergences: Divergence[];
  /** The first control-flow divergence when it is not among `divergences`. */
  firstFlow?: Divergence;
  /** Divergent places and steps in all (at or after fromStep). */
  places: number;
  steps: number;
  /** Differences the noise rule ignored, by kind. */
  noise: Partial<Record<NoiseKind, number>>;
  /** Events aligned (matched in both runs), and calls. */
  matched: number;
  calls: number;
  /** Set when a run was not recorded whole: what each kept (a clause per run). */
  coverage?: { a?: string; b?: string };
  /** Steps next to an unrecorded stretch that were not compared. */
  notCompared: number;
  changes: SourceChange[];
  /** Time to align and scan. */
  ms: number;
}

interface Prepared {
  maps: SourceMaps;
  alignment: Alignment;
  alignMs: number;
}

const prepared = new WeakMap<Trace, WeakMap<Trace, Prepared>>();

function prepare(a: Trace, b: Trace, tick?: () => void): Prepared {
  let byB = prepared.get(a);
  if (!byB) prepared.set(a, (byB = new WeakMap()));
  let p = byB.get(b);
  if (!p) {
    const started = performance.now();
    const maps = new SourceMaps(a, b);
    const alignment = alignRuns(a, b, maps, tick);
    p = { maps, alignment, alignMs: performance.now() - started };
    byB.set(b, p);
  }
  return p;
}

/** The alignment of two recordings (built once per pair). */
export function alignmentOf(a: Trace, b: Trace): Alignment {
  return prepare(a, b).alignment;
}

export function compareRuns(a: Trace, b: Trace, opts: CompareOptions = {}): RunComparison {
  const started = performance.now();
  const p = prepare(a, b, opts.tick);
  const scan = scanDivergences(
    p.alignment,
    {
      a: { trace: a, run: p.alignment.a, noise: noiseContext(a) },
      b: { trace: b, run: p.alignment.b, noise: noiseContext(b) },
    },
    p.maps,
    {
      next: opts.next ?? 5,
      ...(opts.fromStep !== undefined ? { fromStep: opts.fromStep } : {}),
      ...(opts.marks ? { marks: opts.marks } : {}),
      ...(opts.tick ? { tick: opts.tick } : {}),
    },
  );
  const coverage = coverageOf(a, b);
  return {
    a: runInfo(a),
    b: runInfo(b),
    divergences: scan.divergences,
    ...(scan.firstFlow ? { firstFlow: scan.firstFlow } : {}),
    places: scan.places,
    steps: scan.steps,
    noise: scan.noise,
    matched: p.alignment.matched,
    calls: p.alignment.calls,
    ...(coverage ? { coverage } : {}),
    notCompared: scan.notCompared,
    changes: p.maps.changedFiles().map(sourceChange),
    ms: Math.round(p.alignMs + performance.now() - started),
  };
}

function runInfo(t: Trace): RunInfo {
  const passed = tracePassed(t);
  return {
    passed,
    outcome: passed ? 'passed' : traceFailure(t) || 'failed',
    events: t.outcome.eventCount,
    kept: t.events.length,
    elided: t.elided?.events ?? 0,
    partial: t.outcome.partial,
  };
}

/** What each run kept when one was not recorded whole (undefined when both were). */
function coverageOf(a: Trace, b: Trace): RunComparison['coverage'] {
  const kept = (t: Trace): string | undefined => {
    if (t.elided && t.elided.events > 0)
      return `ran past --max-events (${t.limits.maxSteps}) and kept its first ${t.elided.at} and last ${t.events.length - (t.elided.tail ?? t.elided.at)} of ${t.outcome.eventCount} events${keptMiddle(t.elided)}`;
    if (t.outcome.partial || t.outcome.status === 'timeout')
      return `was recorded only in part (${t.outcome.status === 'timeout' ? 'timed out' : 'the recording ended before the program'})`;
    return undefined;
  };
  const ka = kept(a);
  const kb = kept(b);
  if (!ka && !kb) return undefined;
  return { ...(ka ? { a: ka } : {}), ...(kb ? { b: kb } : {}) };
}

/** Changed regions this close (unchanged lines between) share one hunk. */
const HUNK_GAP = 2;

function sourceChange(m: FileLineMap): SourceChange {
  let added = 0;
  let removed = 0;
  // Regions close together form one hunk, with the unchanged lines between them as context.
  const groups: ChangedRegion[][] = [];
  for (const r of m.regions) {
    added += r.aTo - r.aFrom;
    removed += r.bTo - r.bFrom;
    const last = groups[groups.length - 1];
    const prev = last?.[last.length - 1];
    if (last && prev && r.aFrom - prev.aTo <= HUNK_GAP) last.push(r);
    else groups.push([r]);
  }
  const hunks = groups.map((g) => {
    const first = g[0] as ChangedRegion;
    const end = g[g.length - 1] as ChangedRegion;
    const lines: string[] = [];
    const before = first.aFrom > 1 ? 1 : 0;
    const after = end.aTo <= m.aLines.length ? 1 : 0;
    if (before) lines.push(` ${m.aLines[first.aFrom - 2] ?? ''}`);
    g.forEach((r, k) => {
      for (let i = r.bFrom; i < r.bTo; i++) lines.push(`-${m.bLines[i - 1] ?? ''}`);
      for (let i = r.aFrom; i < r.aTo; i++) lines.push(`+${m.aLines[i - 1] ?? ''}`);
      const next = g[k + 1];
      if (next) for (let i = r.aTo; i < next.aFrom; i++) lines.push(` ${m.aLines[i - 1] ?? ''}`);
    });
    if (after) lines.push(` ${m.aLines[end.aTo - 1] ?? ''}`);
    const header = `@@ -${first.bFrom - before},${end.bTo - first.bFrom + before + after} +${first.aFrom - before},${end.aTo - first.aFrom + before + after} @@`;
    return {
      aFrom: first.aFrom,
      aTo: end.aTo,
      bFrom: first.bFrom,
      bTo: end.bTo,
      text: [header, ...lines].join('\n'),
    };
  });
  return { path: m.path, added, removed, hunks };
}

/** The middle executions a long run kept (the first and last of each line that ran there). */
function keptMiddle(g: NonNullable<Trace['elided']>): string {
  const n = (g.tail ?? g.at) - g.at;
  return n > 0 ? ` (and ${n} executions from the middle)` : '';
}
