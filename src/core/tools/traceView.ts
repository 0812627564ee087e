// One pass over a recording gathering what the query tools look things up by: step → event, the
// step in force at any event, each frame's events and calls, and the head/tail gap of a long run.
// Field access goes through the column store's accessors when the events are one (no event objects
// are made for a scan); hand-made traces (arrays) work the same way, slower.
import type { EventKind, Trace, TraceEvent } from '../trace/model';
import { EventStore } from '../trace/store';

export interface FrameRow {
  callId: number;
  parentCallId: number;
  file: string;
  function: string;
  callIndex: number;
  depth: number;
  /** Event indices of this frame, ascending. */
  events: number[];
  /** Frames it called, in call order. */
  children: number[];
}

export interface GapView {
  /** Index of the first event after the gap. */
  at: number;
  events: number;
  steps: number;
  /** Last step before it and first step after it (null: none recorded there). */
  before: number | null;
  after: number | null;
  /** file → line → executions in the gap. */
  lines: Map<string, Map<number, number>>;
}

export class TraceView {
  readonly length: number;
  readonly frames = new Map<number, FrameRow>();
  /** Frames with no user caller, in order. */
  readonly roots: number[] = [];
  readonly gap: GapView | undefined;
  readonly maxStep: number;
  /** Lowest step recorded (-1: none). */
  readonly minStep: number;
  private readonly stepIndex = new Map<number, number>();
  /** Step of the last event at or before i that has one (-1: none yet). */
  private readonly stepBefore: Int32Array;
  private readonly store: EventStore | undefined;

  constructor(readonly trace: Trace) {
    const events = trace.events;
    this.store = events instanceof EventStore ? events : undefined;
    const n = (this.length = events.length);
    this.stepBefore = new Int32Array(n);
    let last = -1;
    let max = -1;
    let min = -1;
    for (let i = 0; i < n; i++) {
      const step = this.stepAt(i);
      if (step !== null) {
        last = step;
        max = Math.max(max, step);
        if (min < 0 || step < min) min = step;
        if (!this.stepIndex.has(step)) this.stepIndex.set(step, i);
      }
      this.stepBefore[i] = last;
      const callId = this.callIdAt(i);
      let f = this.frames.get(callId);
      if (!f) {
        f = this.newFrame(callId, i);
        this.frames.set(callId, f);
        const parent = this.frames.get(f.parentCallId);
        if (parent) parent.children.push(callId);
        else this.roots.push(callId);
      }
      f.events.push(i);
    }
    this.maxStep = max;
    this.minStep = min;
    this.gap = this.gapView();
  }

  private newFrame(callId: number, i: number): FrameRow {
    const info = this.store?.frame(callId);
    if (info) {
      return {
        callId,
        parentCallId: info.parentCallId,
        file: info.file,
        function: info.function,
        callIndex: info.callIndex,
        depth: info.depth,
        events: [],
        children: [],
      };
    }
    const e = this.event(i);
    return {
      callId,
      parentCallId: e.parentCallId ?? 0,
      file: e.file,
      function: e.function,
      callIndex: e.callIndex,
      depth: e.depth,
      events: [],
      children: [],
    };
  }

  private gapView(): GapView | undefined {
    const g = this.trace.elided;
    if (!g || g.events <= 0) return undefined;
    const lines = new Map<string, Map<number, number>>();
    for (const l of g.lines) {
      if (l.count <= 0) continue;
      let m = lines.get(l.file);
      if (!m) lines.set(l.file, (m = new Map<number, number>()));
      m.set(l.line, (m.get(l.line) ?? 0) + l.count);
    }
    const before = g.at > 0 ? (this.stepBefore[Math.min(g.at, this.length) - 1] ?? -1) : -1;
    let after: number | null = null;
    for (let i = g.at; i < this.length && after === null; i++) after = this.stepAt(i);
    return {
      at: g.at,
      events: g.events,
      steps: g.steps,
      before: before < 0 ? null : before,
      after,
      lines,
    };
  }

  event(i: number): TraceEvent {
    const e = this.trace.events.at(i);
    if (!e) throw new RangeError(`no event ${i}`);
    return e;
  }

  kindAt(i: number): EventKind {
    return this.store ? this.store.kindAt(i) : this.event(i).kind;
  }

  callIdAt(i: number): number {
    return this.store ? this.store.callIdAt(i) : this.event(i).callId;
  }

  lineAt(i: number): number {
    return this.store ? this.store.lineAt(i) : this.event(i).line;
  }

  stepAt(i: number): number | null {
    return this.store ? this.store.stepAt(i) : (this.trace.events.at(i)?.step ?? null);
  }

  fileAt(i: number): string {
    return this.frames.get(this.callIdAt(i))?.file ?? '?';
  }

  /** Changed and deleted names of event i (deleted: value undefined); no deltas. */
  eachChange(i: number, fn: (name: string, value: string | undefined) => void): void {
    if (this.store) return this.store.eachChange(i, fn);
    const e = this.event(i);
    for (const k in e.changed) fn(k, e.changed[k]);
    for (const d of e.deleted ?? []) fn(d, undefined);
  }

  /** Index of the event that has step `step` (undefined: no such step recorded). */
  indexOfStep(step: number): number | undefined {
    return this.stepIndex.get(step);
  }

  /** The step in force at event i: its own, else the last one before it (null: none yet). */
  stepAtOrBefore(i: number): number | null {
    const s = i >= 0 && i < this.length ? (this.stepBefore[i] as number) : -1;
    return s < 0 ? null : s;
  }

  /** First event index whose step is >= `step`, or at/after the event of that step; `length` if none. */
  indexFromStep(step: number | undefined): number {
    if (step === undefined || step <= 0) return 0;
    const exact = this.stepIndex.get(step);
    if (exact !== undefined) return exact;
    // The first event after the last one whose step-in-force is below `step`.
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.stepBefore[mid] as number) < step) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Is step `step` inside the unrecorded gap (numbered past, never recorded)? */
  stepInGap(step: number): boolean {
    const g = this.gap;
    if (!g || this.stepIndex.has(step)) return false;
    const lo = g.before ?? -1;
    const hi = g.after ?? Infinity;
    return step > lo && step < hi;
  }

  /** `fn#k` (the k-th call of fn), or `<module> of file`. */
  frameLabel(callId: number): string {
    const f = this.frames.get(callId);
    if (!f) return '?';
    return f.function === '<module>' ? `<module> of ${f.file}` : `${f.function}#${f.callIndex}`;
  }

  /** Last event of frame `callId` at or before index i (-1: none). */
  frameEventAtOrBefore(callId: number, i: number): number {
    const list = this.frames.get(callId)?.events ?? [];
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((list[mid] as number) <= i) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 ? (list[lo - 1] as number) : -1;
  }

  /** First event of frame `callId` after index i (-1: none). */
  frameEventAfter(callId: number, i: number): number {
    const list = this.frames.get(callId)?.events ?? [];
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((list[mid] as number) <= i) lo = mid + 1;
      else hi = mid;
    }
    return lo < list.length ? (list[lo] as number) : -1;
  }

  /** The line of the caller that made call `callId` (the caller's next event after the call began). */
  callSite(callId: number): { callId: number; line: number; index: number } | undefined {
    const f = this.frames.get(callId);
    const first = f?.events[0];
    if (!f || first === undefined || !this.frames.has(f.parentCallId)) return undefined;
    let at = this.frameEventAfter(f.parentCallId, first);
    if (at < 0) at = this.frameEventAtOrBefore(f.parentCallId, first);
    return at < 0 ? undefined : { callId: f.parentCallId, line: this.lineAt(at), index: at };
  }

  /** Source line text (trimmed), if the file's text was recorded. */
  sourceLine(file: string, line: number): string | undefined {
    let lines = this.sourceLines.get(file);
    if (!lines) {
      const src = this.trace.sources.find((s) => s.path === file)?.text;
      if (src === undefined) return undefined;
      lines = src.replace(/\r\n?/g, '\n').split('\n');
      this.sourceLines.set(file, lines);
    }
    return lines[line - 1]?.trim();
  }

  private readonly sourceLines = new Map<string, string[]>();
}

const views = new WeakMap<Trace, TraceView>();

/** The view of `trace`, built once. */
export function traceView(trace: Trace): TraceView {
  let v = views.get(trace);
  if (!v) views.set(trace, (v = new TraceView(trace)));
  return v;
}
