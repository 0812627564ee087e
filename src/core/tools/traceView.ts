// What the query tools look things up by, read from the recording model (trace/recordingModel.ts):
// step → event, the step in force at any event, each frame's events and calls, the head/tail gap of
// a long run, and the trace's source lines. Field access goes through the column store's accessors
// when the events are one (no event objects are made for a scan).
import type { EventKind, Trace, TraceEvent } from '../trace/model';
import {
  recordingModel,
  type RecordedFrame,
  type RecordingGap,
  type RecordingModel,
} from '../trace/recordingModel';

/** A frame as the tools see it: the recording model's (events ascending, children in call order). */
export type FrameRow = RecordedFrame;

/** The events a long run left out between its head and its tail. */
export type GapView = RecordingGap;

export class TraceView {
  readonly length: number;
  readonly frames: ReadonlyMap<number, FrameRow>;
  /** Frames with no user caller, in order. */
  readonly roots: readonly number[];
  readonly gap: GapView | undefined;
  readonly maxStep: number;
  /** Lowest step recorded (-1: none). */
  readonly minStep: number;
  readonly model: RecordingModel;

  constructor(readonly trace: Trace) {
    const model = (this.model = recordingModel(trace));
    this.length = model.length;
    this.frames = model.frames;
    this.roots = model.roots;
    this.maxStep = model.maxStep;
    this.minStep = model.minStep;
    this.gap = model.gap && model.gap.events > 0 ? model.gap : undefined;
  }

  event(i: number): TraceEvent {
    return this.model.event(i);
  }

  kindAt(i: number): EventKind {
    return this.model.kindAt(i);
  }

  callIdAt(i: number): number {
    return this.model.callIdAt(i);
  }

  lineAt(i: number): number {
    return this.model.lineAt(i);
  }

  stepAt(i: number): number | null {
    return this.model.stepAt(i);
  }

  fileAt(i: number): string {
    return this.model.fileAt(i);
  }

  /** Changed and deleted names of event i (deleted: value undefined); no deltas. */
  eachChange(i: number, fn: (name: string, value: string | undefined) => void): void {
    this.model.eachChange(i, fn);
  }

  /** Index of the event that has step `step` (undefined: no such step recorded). */
  indexOfStep(step: number): number | undefined {
    return this.model.indexOfStep(step);
  }

  /** The step in force at event i: its own, else the last one before it (null: none yet). */
  stepAtOrBefore(i: number): number | null {
    return this.model.stepAtOrBefore(i);
  }

  /** First event index whose step is >= `step`, or at/after the event of that step; `length` if none. */
  indexFromStep(step: number | undefined): number {
    return this.model.indexFromStep(step);
  }

  /** Is step `step` inside the unrecorded gap (numbered past, never recorded)? */
  stepInGap(step: number): boolean {
    return this.model.stepInGap(step);
  }

  /** `fn#k` (the k-th call of fn), or `<module> of file`. */
  frameLabel(callId: number): string {
    const f = this.frames.get(callId);
    if (!f) return '?';
    return f.function === '<module>' ? `<module> of ${f.file}` : `${f.function}#${f.callIndex}`;
  }

  /** Last event of frame `callId` at or before index i (-1: none). */
  frameEventAtOrBefore(callId: number, i: number): number {
    return this.model.frameEventAtOrBefore(callId, i);
  }

  /** First event of frame `callId` after index i (-1: none). */
  frameEventAfter(callId: number, i: number): number {
    return this.model.frameEventAfter(callId, i);
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
  if (!v || v.model !== recordingModel(trace)) views.set(trace, (v = new TraceView(trace)));
  return v;
}
