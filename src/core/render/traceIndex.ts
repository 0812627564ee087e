// What the renderers need of a trace, derived from its recording model (trace/recordingModel.ts) and
// kept per trace: the NExT entries of every line (only the events that carry a step are read), which
// lines ran, the frames (calls) with their callers, the exception events, and the per-line counts of
// the head/tail gap of a long run.
import { defLineFrom } from '../source/pyStructure';
import type { Trace, TraceEvent } from '../trace/model';
import { recordingModel, type RecordingModel } from '../trace/recordingModel';
import { changeParts, type ChangePart } from './changes';

/** One `(k) …;` entry of a line: what one step changed there. */
export interface Entry {
  step: number;
  /** Index of the event in `trace.events`. */
  index: number;
  parts: ChangePart[];
}

export interface FrameSummary {
  callId: number;
  parentCallId?: number;
  file: string;
  function: string;
  /** Line of its first event (the call event's line: the first decorator or the def line). */
  firstLine: number;
  firstIndex: number;
  lastIndex: number;
  /** Entries (steps) recorded in this frame. */
  steps: number;
  /** For each line of the caller: the line event after this call in the caller's frame, if any. */
  calledFromLine?: number;
}

export interface ExceptionEvent {
  index: number;
  callId: number;
  type: string;
  file: string;
  line: number;
}

export interface TraceIndex {
  /** The recording model it was made from. */
  model: RecordingModel;
  /** file → line → entries in step order. */
  entries: Map<string, Map<number, Entry[]>>;
  /** file → lines that carry at least one event (or ran in the unrecorded gap). */
  executed: Map<string, Set<number>>;
  /** file → line → executions in the head/tail gap (trace.elided). */
  gapRuns: Map<string, Map<number, number>>;
  frames: Map<number, FrameSummary>;
  exceptions: ExceptionEvent[];
  /** Source lines (LF-split) of each file with text. */
  lines: Map<string, string[]>;
  /** The last event, if any. */
  last?: TraceEvent;
  /** Step of the last event before the gap and of the first after it (when trace.elided). */
  gapSteps?: { before: number | null; after: number | null };
  totalSteps: number;
}

/** A decorated function's code starts at its first decorator; NExT puts the bindings on the `def`. */
export function defLine(lines: string[] | undefined, first: number): number {
  return defLineFrom(lines, first);
}

function add<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let v = map.get(key);
  if (v === undefined) map.set(key, (v = make()));
  return v;
}

const indexes = new WeakMap<Trace, TraceIndex>();

/** The index of `trace`, built once (the prompt, its excerpt and the trace context all ask). */
export function indexTrace(trace: Trace): TraceIndex {
  const model = recordingModel(trace);
  let index = indexes.get(trace);
  if (!index || index.model !== model) indexes.set(trace, (index = buildIndex(trace, model)));
  return index;
}

/** The renderers' view, from the recording model: only the events that carry a step are read. */
function buildIndex(trace: Trace, model: RecordingModel): TraceIndex {
  traceIndexBuilds.count++;
  const lines = new Map<string, string[]>();
  for (const s of trace.sources)
    if (s.text) lines.set(s.path, s.text.replace(/\r\n?/g, '\n').split('\n'));
  const executed = new Map<string, Set<number>>();
  for (const [file, byLine] of model.byLine) executed.set(file, new Set(byLine.keys()));
  const frames = new Map<number, FrameSummary>();
  for (const f of model.frames.values()) {
    const first = f.events[0] as number;
    const frame: FrameSummary = {
      callId: f.callId,
      file: f.file,
      function: f.function,
      firstLine: model.lineAt(first),
      firstIndex: first,
      lastIndex: f.events[f.events.length - 1] as number,
      steps: 0,
    };
    if (f.parentCallId) frame.parentCallId = f.parentCallId;
    if (f.callLine !== undefined) frame.calledFromLine = f.callLine;
    frames.set(f.callId, frame);
  }
  const exceptions: ExceptionEvent[] = model.exceptionEvents.map((i) => {
    const ev = model.event(i);
    return {
      index: i,
      callId: ev.callId,
      type: ev.exception?.type ?? 'Exception',
      file: ev.file,
      line: ev.line,
    };
  });
  const entries = new Map<string, Map<number, Entry[]>>();
  let totalSteps = 0;
  for (const i of model.stepEvents) {
    const ev = model.event(i);
    const parts = changeParts(ev);
    if (parts.length === 0) continue;
    totalSteps++;
    const frame = frames.get(ev.callId);
    if (frame) frame.steps++;
    const line = ev.kind === 'call' ? defLine(lines.get(ev.file), ev.line) : ev.line;
    add(
      add(entries, ev.file, () => new Map<number, Entry[]>()),
      line,
      (): Entry[] => [],
    ).push({ step: ev.step as number, index: ev.index, parts });
  }
  const gapRuns = model.gap?.lines ?? new Map<string, Map<number, number>>();
  for (const [file, counts] of gapRuns) {
    const set = add(executed, file, () => new Set<number>());
    for (const line of counts.keys()) set.add(line);
  }
  const index: TraceIndex = {
    model,
    entries,
    executed,
    gapRuns,
    frames,
    exceptions,
    lines,
    totalSteps,
  };
  if (model.length > 0) index.last = model.event(model.length - 1);
  if (model.gap) index.gapSteps = { before: model.gap.before, after: model.gap.after };
  return index;
}

/** Builds of the index in this process (the memo test counts them). */
export const traceIndexBuilds = { count: 0 };
