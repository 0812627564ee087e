// One pass over a trace's events gathering what the renderers need: the NExT entries of every line,
// which lines ran, the frames (calls) with their callers, the exception events, and the per-line
// counts of the head/tail gap of a long run. Linear in the number of events.
import { defLineFrom } from '../source/pyStructure';
import type { Trace, TraceEvent } from '../trace/model';
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

export function indexTrace(trace: Trace): TraceIndex {
  const lines = new Map<string, string[]>();
  for (const s of trace.sources)
    if (s.text) lines.set(s.path, s.text.replace(/\r\n?/g, '\n').split('\n'));
  const entries = new Map<string, Map<number, Entry[]>>();
  const executed = new Map<string, Set<number>>();
  const frames = new Map<number, FrameSummary>();
  const exceptions: ExceptionEvent[] = [];
  let last: TraceEvent | undefined;
  let totalSteps = 0;
  const gapAt = trace.elided?.at;
  let gapBefore: number | null = null;
  let gapAfter: number | null = null;
  // Calls whose calling line is not known yet: the caller's next line event tells it.
  const pendingChildren = new Map<number, FrameSummary[]>();
  for (const ev of trace.events) {
    last = ev;
    add(executed, ev.file, () => new Set()).add(ev.line);
    let frame = frames.get(ev.callId);
    if (!frame) {
      frame = {
        callId: ev.callId,
        file: ev.file,
        function: ev.function,
        firstLine: ev.line,
        firstIndex: ev.index,
        lastIndex: ev.index,
        steps: 0,
      };
      if (ev.parentCallId !== undefined) {
        frame.parentCallId = ev.parentCallId;
        add(pendingChildren, ev.parentCallId, () => []).push(frame);
      }
      frames.set(ev.callId, frame);
    }
    frame.lastIndex = ev.index;
    if (ev.kind === 'line') {
      const waiting = pendingChildren.get(ev.callId);
      if (waiting) {
        for (const child of waiting) child.calledFromLine = ev.line;
        pendingChildren.delete(ev.callId);
      }
    }
    if (ev.kind === 'exception')
      exceptions.push({
        index: ev.index,
        callId: ev.callId,
        type: ev.exception?.type ?? 'Exception',
        file: ev.file,
        line: ev.line,
      });
    if (gapAt !== undefined && ev.step !== null) {
      if (ev.index < gapAt) gapBefore = ev.step;
      else if (gapAfter === null) gapAfter = ev.step;
    }
    if (ev.step === null) continue;
    const parts = changeParts(ev);
    if (parts.length === 0) continue;
    totalSteps++;
    frame.steps++;
    const line = ev.kind === 'call' ? defLine(lines.get(ev.file), ev.line) : ev.line;
    add(
      add(entries, ev.file, () => new Map<number, Entry[]>()),
      line,
      (): Entry[] => [],
    ).push({ step: ev.step, index: ev.index, parts });
  }
  // The frame's failing line has no line event after its calls when the line raised: use the
  // exception event's line for calls still pending in a frame that raised.
  for (const x of exceptions) {
    const waiting = pendingChildren.get(x.callId);
    if (waiting)
      for (const child of waiting) if (child.firstIndex < x.index) child.calledFromLine ??= x.line;
  }
  const gapRuns = new Map<string, Map<number, number>>();
  for (const l of trace.elided?.lines ?? []) {
    if (l.count <= 0) continue;
    add(gapRuns, l.file, () => new Map()).set(l.line, l.count);
    add(executed, l.file, () => new Set()).add(l.line);
  }
  const index: TraceIndex = { entries, executed, gapRuns, frames, exceptions, lines, totalSteps };
  if (last) index.last = last;
  if (trace.elided) index.gapSteps = { before: gapBefore, after: gapAfter };
  return index;
}
