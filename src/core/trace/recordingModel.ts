// The one in-memory model of a recording that every reader shares (render, tools, replay, editor
// decorations and hovers): the frame tree, the events of every (file, line), the step numbers, the
// locals of a frame at any event and the head/tail gap of a long run. Built in one pass over the
// events (through the column store's accessors: no event objects are made) the first time anyone
// asks, then kept for as long as the events are (WeakMap). Readers derive their own views from it
// instead of walking the events again.
import { FrameLocals, lastAtOrBefore } from './frameLocals';
import type { Elision, EventKind, EventSeq, Trace, TraceEvent } from './model';
import { EventStore, KIND_CODE } from './store';

const LINE = KIND_CODE.line;
const EXCEPTION = KIND_CODE.exception;

export interface RecordedFrame {
  callId: number;
  /** callId of the calling user frame, 0 when none was recorded. */
  parentCallId: number;
  file: string;
  function: string;
  /** 1-based count of calls of this function so far. */
  callIndex: number;
  depth: number;
  /** Event indices of this frame, ascending. */
  events: number[];
  /** Frames it called (those recorded after it began), in call order. */
  children: number[];
  /** The caller's line that made this call: the caller's first `line` event after this frame began
   * (a line is recorded once it finished, so after its calls), else the line of the caller's first
   * exception event after it (the calling line raised). Undefined: neither was recorded. */
  callLine?: number;
}

/** The events a long run left out between its head and its tail (trace.elided). */
export interface RecordingGap {
  /** Index of the first event after the gap. */
  at: number;
  events: number;
  steps: number;
  /** Last step recorded before the gap and the first after it (null: none recorded there). */
  before: number | null;
  after: number | null;
  /** file → line → executions in the gap (lines with a count above 0). */
  lines: Map<string, Map<number, number>>;
}

export class RecordingModel {
  /** How many models were built in this process (tests check the memo; the benchmark prints it). */
  static builds = 0;
  readonly length: number;
  readonly frames = new Map<number, RecordedFrame>();
  /** Frames with no recorded caller (or whose caller was not seen before them), in order. */
  readonly roots: number[] = [];
  /** file → line → indices of every event there, ascending; files and lines in first-event order. */
  readonly byLine = new Map<string, Map<number, number[]>>();
  /** Indices of the exception events, ascending. */
  readonly exceptionEvents: number[] = [];
  /** Indices of the events that carry a step number, ascending. */
  readonly stepEvents: number[] = [];
  /** Highest and lowest step recorded (-1: none). */
  readonly maxStep: number;
  readonly minStep: number;
  /** Present when the recording is a head and a tail (trace.elided). */
  readonly gap: RecordingGap | undefined;
  readonly store: EventStore | undefined;
  private readonly stepIndex = new Map<number, number>();
  /** Step in force at each event: its own, else the last before it (-1: none yet). */
  private readonly stepBefore: Int32Array;
  private lineRuns?: Map<string, Map<number, number[]>>;
  private calls?: Map<string, number>;
  private locals?: FrameLocals;

  constructor(
    readonly events: EventSeq,
    readonly elided: Elision | undefined,
  ) {
    RecordingModel.builds++;
    const store = (this.store = events instanceof EventStore ? events : undefined);
    const n = (this.length = events.length);
    this.stepBefore = new Int32Array(n);
    // Frames whose calling line is not known yet: the caller's next line event tells it.
    const pending = new Map<number, RecordedFrame[]>();
    let stepNow = -1;
    let max = -1;
    let min = -1;
    // Consecutive events are mostly of one frame: its record and its file's lines are kept at hand.
    let f: RecordedFrame | undefined;
    let lines: Map<number, number[]> | undefined;
    for (let i = 0; i < n; i++) {
      const e = store ? undefined : (events.at(i) as TraceEvent);
      const callId = store ? store.callIdAt(i) : e!.callId;
      const kind = store ? store.kindCodeAt(i) : KIND_CODE[e!.kind];
      const line = store ? store.lineAt(i) : e!.line;
      const step = store ? store.stepAt(i) : e!.step;
      if (f === undefined || f.callId !== callId) {
        f = this.frames.get(callId);
        if (!f) f = this.addFrame(callId, store, e ?? (events.at(i) as TraceEvent), pending);
        lines = this.byLine.get(f.file);
        if (!lines) this.byLine.set(f.file, (lines = new Map<number, number[]>()));
      }
      f.events.push(i);
      const at = lines!.get(line);
      if (at) at.push(i);
      else lines!.set(line, [i]);
      if (kind === LINE) {
        const waiting = pending.size > 0 ? pending.get(callId) : undefined;
        if (waiting) {
          for (const child of waiting) child.callLine = line;
          pending.delete(callId);
        }
      } else if (kind === EXCEPTION) this.exceptionEvents.push(i);
      if (step !== null) {
        stepNow = step;
        if (step > max) {
          max = step;
          this.stepIndex.set(step, i);
        } else if (!this.stepIndex.has(step)) this.stepIndex.set(step, i);
        if (min < 0 || step < min) min = step;
        this.stepEvents.push(i);
      }
      this.stepBefore[i] = stepNow;
    }
    // A calling line that raised has no line event after its calls: the exception event's line.
    for (const x of this.exceptionEvents) {
      const waiting = pending.get(this.callIdAt(x));
      if (waiting)
        for (const child of waiting)
          if ((child.events[0] as number) < x) child.callLine ??= this.lineAt(x);
    }
    this.maxStep = max;
    this.minStep = min;
    this.gap = elided ? this.gapOf(elided) : undefined;
  }

  private addFrame(
    callId: number,
    store: EventStore | undefined,
    e: TraceEvent,
    pending: Map<number, RecordedFrame[]>,
  ): RecordedFrame {
    const info = store?.frame(callId) ?? {
      parentCallId: e.parentCallId ?? 0,
      file: e.file,
      function: e.function,
      callIndex: e.callIndex,
      depth: e.depth,
    };
    const f: RecordedFrame = {
      callId,
      parentCallId: info.parentCallId,
      file: info.file,
      function: info.function,
      callIndex: info.callIndex,
      depth: info.depth,
      events: [],
      children: [],
    };
    this.frames.set(callId, f);
    // A frame naming itself as its caller (a damaged file) is a root.
    const parent = f.parentCallId !== callId ? this.frames.get(f.parentCallId) : undefined;
    if (parent) parent.children.push(callId);
    else this.roots.push(callId);
    if (f.parentCallId) {
      const list = pending.get(f.parentCallId);
      if (list) list.push(f);
      else pending.set(f.parentCallId, [f]);
    }
    return f;
  }

  private gapOf(g: Elision): RecordingGap {
    const lines = new Map<string, Map<number, number>>();
    for (const l of g.lines) {
      if (l.count <= 0) continue;
      let m = lines.get(l.file);
      if (!m) lines.set(l.file, (m = new Map<number, number>()));
      m.set(l.line, (m.get(l.line) ?? 0) + l.count);
    }
    const before = g.at > 0 ? (this.stepBefore[Math.min(g.at, this.length) - 1] ?? -1) : -1;
    const firstAfter = this.stepEvents[lastAtOrBefore(this.stepEvents, g.at - 1) + 1];
    const after = firstAfter === undefined ? null : this.stepAt(firstAfter);
    return {
      at: g.at,
      events: g.events,
      steps: g.steps,
      before: before < 0 ? null : before,
      after,
      lines,
    };
  }

  // ---- one event's fields, without making the event object when the events are a column store ----

  event(i: number): TraceEvent {
    const e = i >= 0 ? this.events.at(i) : undefined;
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
    return this.store ? this.store.stepAt(i) : (this.events.at(i)?.step ?? null);
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

  // ---- lines ----

  /** Indices of every event at file:line (any kind), ascending. */
  eventsAt(file: string, line: number): readonly number[] {
    return this.byLine.get(file)?.get(line) ?? [];
  }

  /** Indices of the `line` events that executed file:line, ascending (made on first ask). */
  executionsOf(file: string, line: number): readonly number[] {
    const runsByFile = (this.lineRuns ??= new Map<string, Map<number, number[]>>());
    let lines = runsByFile.get(file);
    if (!lines) runsByFile.set(file, (lines = new Map<number, number[]>()));
    let runs = lines.get(line);
    if (!runs)
      lines.set(line, (runs = this.eventsAt(file, line).filter((i) => this.kindAt(i) === 'line')));
    return runs;
  }

  // ---- frames ----

  /** How many calls of `fn` in `file` the recording holds. */
  callsOf(file: string, fn: string): number {
    if (!this.calls) {
      this.calls = new Map();
      for (const f of this.frames.values()) {
        const key = `${f.file}\0${f.function}`;
        this.calls.set(key, (this.calls.get(key) ?? 0) + 1);
      }
    }
    return this.calls.get(`${file}\0${fn}`) ?? 0;
  }

  /** Last event of frame `callId` at or before index i (-1: none). */
  frameEventAtOrBefore(callId: number, i: number): number {
    const list = this.frames.get(callId)?.events ?? [];
    const k = lastAtOrBefore(list, i);
    return k >= 0 ? (list[k] as number) : -1;
  }

  /** First event of frame `callId` after index i (-1: none). */
  frameEventAfter(callId: number, i: number): number {
    const list = this.frames.get(callId)?.events ?? [];
    const k = lastAtOrBefore(list, i) + 1;
    return k < list.length ? (list[k] as number) : -1;
  }

  /** All locals (bounded reprs) of the frame of event `index`, after that event. */
  localsAt(index: number): Record<string, string> {
    this.locals ??= new FrameLocals(
      this.events,
      this.elided,
      (i) => (i >= 0 && i < this.length ? this.callIdAt(i) : undefined),
      (callId) => this.frames.get(callId)?.events ?? [],
    );
    return this.locals.at(index);
  }

  // ---- steps ----

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
    if (!g || g.events <= 0 || this.stepIndex.has(step)) return false;
    const lo = g.before ?? -1;
    const hi = g.after ?? Infinity;
    return step > lo && step < hi;
  }
}

const models = new WeakMap<EventSeq, RecordingModel>();

/**
 * The model of a recording, built once per events object. Keyed by the events (not the Trace) so the
 * replay, which holds only the events and the gap, shares the model of the trace they came from; a
 * different gap or a length that changed since (a hand-made array grown after) builds it anew.
 */
export function recordingModel(trace: Pick<Trace, 'events' | 'elided'>): RecordingModel {
  const m = models.get(trace.events);
  if (m && m.elided === trace.elided && m.length === trace.events.length) return m;
  const built = new RecordingModel(trace.events, trace.elided);
  models.set(trace.events, built);
  return built;
}
