// The compact index of one recording that the alignment walks: per event its kind, line, call and
// the step in force; per call its events (one shared array, sliced by offsets) and the calls it made.
// One pass over the column store's accessors, no event objects, for the per-event columns; the calls
// come from the recording model (trace/recordingModel.ts).
import { changeParts } from '../render/changes';
import { defLine } from '../render/traceIndex';
import type { Delta, EventKind, ExceptionInfo, Trace } from '../trace/model';
import { recordingModel } from '../trace/recordingModel';
import { EventStore } from '../trace/store';

export const KIND_CODE: Record<EventKind, number> = {
  call: 0,
  line: 1,
  return: 2,
  yield: 3,
  exception: 4,
};
const KIND_NAME: EventKind[] = ['call', 'line', 'return', 'yield', 'exception'];

export interface CallInfo {
  callId: number;
  parentCallId: number;
  file: string;
  function: string;
  callIndex: number;
  /** Calls it made, in call order. */
  children: number[];
  /** Position of its events in RunIndex.frameEvents: [from, to). */
  from: number;
  to: number;
}

export class RunIndex {
  readonly length: number;
  readonly kinds: Uint8Array;
  readonly lines: Int32Array;
  readonly callIds: Int32Array;
  /** Step of the event, or -1. */
  readonly steps: Int32Array;
  /** The step in force at each event (its own or the last before it; -1: none yet). */
  readonly stepBefore: Int32Array;
  readonly calls = new Map<number, CallInfo>();
  /** Calls with no recorded caller, in order. */
  readonly roots: number[] = [];
  /** Event indices grouped by call (see CallInfo.from / to), ascending within a call. */
  readonly frameEvents: Int32Array;
  private sourceLines = new Map<string, string[]>();
  private readonly store: EventStore | undefined;

  constructor(readonly trace: Trace) {
    const events = trace.events;
    const store = (this.store = events instanceof EventStore ? events : undefined);
    const n = (this.length = events.length);
    this.kinds = new Uint8Array(n);
    this.lines = new Int32Array(n);
    this.callIds = new Int32Array(n);
    this.steps = new Int32Array(n);
    this.stepBefore = new Int32Array(n);
    let last = -1;
    for (let i = 0; i < n; i++) {
      if (store) {
        this.callIds[i] = store.callIdAt(i);
        this.kinds[i] = store.kindCodeAt(i);
        this.lines[i] = store.lineAt(i);
        this.steps[i] = store.stepAt(i) ?? -1;
      } else {
        const e = events.at(i);
        this.callIds[i] = e?.callId ?? 0;
        this.kinds[i] = e ? KIND_CODE[e.kind] : 1;
        this.lines[i] = e?.line ?? 0;
        this.steps[i] = e?.step ?? -1;
      }
      if ((this.steps[i] as number) >= 0) last = this.steps[i] as number;
      this.stepBefore[i] = last;
    }
    // The calls, their callers and their events: the recording model's frame tree, packed.
    const model = recordingModel(trace);
    for (const r of model.roots) this.roots.push(r);
    this.frameEvents = new Int32Array(n);
    let at = 0;
    for (const f of model.frames.values()) {
      const from = at;
      for (const i of f.events) this.frameEvents[at++] = i;
      this.calls.set(f.callId, {
        callId: f.callId,
        parentCallId: f.parentCallId,
        file: f.file,
        function: f.function,
        callIndex: f.callIndex,
        children: f.children,
        from,
        to: at,
      });
    }
  }

  /**
   * What event i changed, as flat (name, value) pairs appended to `out`: bindings, deletions
   * (`<deleted>`), `__return__` / `__yield__`, `__exception__` (`Type: message`) and deltas (named by
   * their text before the value: `memo[3]=`, `seen.add(`, `del book['x']`).
   */
  payload(i: number, out: string[]): void {
    const kind = this.kinds[i] as number;
    if (this.store) {
      this.store.eachPayload(i, (k, name, value) => {
        if (k === 'changed') out.push(name, value);
        else if (k === 'deleted') out.push(name, '<deleted>');
        else if (k === 'value')
          out.push(kind === KIND_CODE.yield ? '__yield__' : '__return__', value);
        else out.push(deltaName(k, name, value), k === 'more' || k === 'del' ? '' : value);
      });
      const exc = kind === KIND_CODE.exception ? this.store.exceptionAt(i) : undefined;
      if (exc) out.push('__exception__', exceptionText(exc));
      return;
    }
    const e = this.trace.events.at(i);
    if (!e) return;
    for (const p of changeParts(e)) {
      if (p.kind === 'del') out.push(p.name, '<deleted>');
      else if (p.kind === 'delta' && p.delta)
        out.push(deltaName(p.delta.op, p.delta.path, p.delta.value ?? ''), p.value ?? '');
      else if (p.kind === 'exception' && e.exception) out.push(p.name, exceptionText(e.exception));
      else out.push(p.name, p.value ?? '');
    }
  }

  kindAt(i: number): EventKind {
    return KIND_NAME[this.kinds[i] as number] ?? 'line';
  }

  fileAt(i: number): string {
    return this.calls.get(this.callIds[i] as number)?.file ?? '?';
  }

  functionAt(i: number): string {
    return this.calls.get(this.callIds[i] as number)?.function ?? '?';
  }

  /** The first event of a call (-1: none kept). */
  firstEvent(callId: number): number {
    const c = this.calls.get(callId);
    return c && c.to > c.from ? (this.frameEvents[c.from] as number) : -1;
  }

  /** `fn#k` (the k-th call of fn), or `<module> of file`. */
  callLabel(callId: number): string {
    const c = this.calls.get(callId);
    if (!c) return '?';
    return c.function === '<module>' ? `<module> of ${c.file}` : `${c.function}#${c.callIndex}`;
  }

  /** `(k)` for an event with a step, `(after k)` for one that changed nothing. */
  stepRef(i: number): string {
    const own = this.steps[i] as number;
    if (own >= 0) return `(${own})`;
    const before = this.stepBefore[i] as number;
    return before < 0 ? '(start)' : `(after ${before})`;
  }

  private linesOf(file: string): string[] | undefined {
    let lines = this.sourceLines.get(file);
    if (!lines) {
      const text = this.trace.sources.find((s) => s.path === file)?.text;
      if (text === undefined) return undefined;
      this.sourceLines.set(file, (lines = text.replace(/\r\n?/g, '\n').split('\n')));
    }
    return lines;
  }

  sourceLine(file: string, line: number): string | undefined {
    return this.linesOf(file)?.[line - 1]?.trim();
  }

  /** The `def` line of a function whose code starts at `first` (its first decorator). */
  defLine(file: string, first: number): number {
    return defLine(this.linesOf(file), first);
  }
}

function deltaName(op: Delta['op'], path: string, value: string): string {
  switch (op) {
    case '=':
      return `${path}=`;
    case 'del':
      return `del ${path}`;
    case 'add':
    case 'discard':
      return `${path}.${op}(…)`;
    case 'more':
      return `...(${value} more changes in ${path})`;
  }
}

function exceptionText(e: ExceptionInfo): string {
  return e.message ? `${e.type}: ${e.message}` : e.type;
}

const indexes = new WeakMap<Trace, RunIndex>();

export function runIndex(trace: Trace): RunIndex {
  let r = indexes.get(trace);
  if (!r) indexes.set(trace, (r = new RunIndex(trace)));
  return r;
}
