// Turns the helper's records (records.ts) into trace events in a column store. A raw line record
// carries the frame's state *before* that line runs, i.e. the effect of the frame's previous line;
// so each line's event is emitted when the frame's next record arrives, after any calls the line
// made — the order in which the NExT format numbers state changes.
// Long runs keep their head and a sliding tail window (TailWindow): the trace always ends with what
// really happened, and what was left out between is counted per line.
import type { Delta, ExceptionInfo, ImportSummary, OutputChunk, TestReport, UseRow } from './model';
import type { RawDelta, RawIds, RawRecord } from './records';
import type { EventStore, EventInput } from './store';
import { TailWindow, type ElisionWithState } from './tailWindow';

interface FrameState {
  callId: number;
  file: string;
  function: string;
  /** A function call (not a module or class body, whose "return" is not a value anyone sees). */
  isFunction: boolean;
  /** Current locals (bounded reprs), for the state at an elision point. */
  locals: Record<string, string>;
  /** The line that started executing and whose effect is not yet known. */
  pendingLine: number | null;
  /** The pending line is a `yield` being resumed: only emit it if the resumption changed something. */
  pendingAfterYield: boolean;
}

const COMPREHENSIONS = new Set(['<listcomp>', '<setcomp>', '<dictcomp>', '<genexpr>']);

export interface HelperInfo {
  protocol: number;
  python: string;
  backend: string;
  debugpy: string;
  pid: number;
}

/** Incremental assembler: feed record batches as they arrive, then `finish()`. */
export class TraceAssembler {
  readonly output: OutputChunk[] = [];
  readonly files: string[] = [];
  readonly imports: ImportSummary[] = [];
  readonly warnings: string[] = [];
  /** file → statement rows of the recorded functions (what each line reads and writes). */
  readonly uses: Record<string, UseRow[]> = {};
  private readonly useStarts = new Map<string, Set<number>>();
  end: { reason: string; events: number; ms: number; code: number | null } | undefined;
  helper: HelperInfo | undefined;
  tracerTakenOver: { file?: string; line?: number; afterEvent: number } | undefined;
  test: TestReport | undefined;
  /** The exception pytest reported for the selected test (type, message, where in user code). */
  testException: ExceptionInfo | undefined;
  /** The last exception that left an outermost user frame (uncaught in a script / out of a test). */
  topException: ExceptionInfo | undefined;
  firstEventAt: number | undefined;
  private unwinding:
    { callId: number; type: string; message: string; file: string; line: number } | undefined;
  private readonly frames = new Map<number, FrameState>();
  private readonly callCounts = new Map<string, number>();
  private readonly window: TailWindow;
  private step = 0;
  private recorded = 0;

  constructor(maxEvents = Number.MAX_SAFE_INTEGER) {
    this.window = new TailWindow(maxEvents);
  }

  private sealed: { events: EventStore; elided?: ElisionWithState } | undefined;

  /** Events recorded (kept or elided). */
  get eventCount(): number {
    return this.recorded;
  }

  /** The kept events; available once `finish()` ran. */
  get events(): EventStore {
    if (!this.sealed) throw new Error('finish() the assembler first');
    return this.sealed.events;
  }

  /** The gap between head and tail of a long run, once `finish()` ran. */
  get elided(): ElisionWithState | undefined {
    return this.sealed?.elided;
  }

  push(records: RawRecord[]): void {
    for (const r of records) this.apply(r);
  }

  private apply(r: RawRecord): void {
    switch (r[0]) {
      case 'V':
        this.helper = { protocol: r[1], python: r[2], backend: r[3], debugpy: r[4], pid: r[5] };
        return;
      case 'F':
        this.files[r[1]] = r[2];
        return;
      case 'C': {
        const [, callId, parentCallId, fileIdx, line, fn, depth, bindings, scope, ids] = r;
        this.firstEventAt ??= Date.now();
        const file = this.files[fileIdx] ?? '?';
        const key = `${file}:${fn}`;
        const callIndex = (this.callCounts.get(key) ?? 0) + 1;
        this.callCounts.set(key, callIndex);
        const frame: FrameState = {
          callId,
          file,
          function: fn,
          isFunction: scope === 'f',
          locals: { ...(bindings || {}) },
          pendingLine: null,
          pendingAfterYield: false,
        };
        this.frames.set(callId, frame);
        this.window.addFrame({ callId, parentCallId, file, function: fn, depth, callIndex });
        const shown = frame.isFunction && bindings !== 0 && Object.keys(bindings).length > 0;
        this.emit(
          frame,
          { kind: 'call', callId, line, step: null, changed: bindings || null, ids: ids || null },
          shown,
        );
        return;
      }
      case 'U':
        this.addUses(this.files[r[1]] ?? '?', r[2]);
        return;
      case 'L': {
        const [, callId, line, changed, deleted, deltas, ids] = r;
        const frame = this.frames.get(callId);
        if (!frame) return;
        this.completePending(
          frame,
          changed || null,
          deleted || null,
          deltas ? deltas.map(toDelta) : null,
          ids,
        );
        frame.pendingLine = line;
        frame.pendingAfterYield = false;
        return;
      }
      case 'R': {
        const [, callId, line, kind, value, changed, deleted, deltas, ids] = r;
        const frame = this.frames.get(callId);
        if (!frame) return;
        this.completePending(
          frame,
          changed || null,
          deleted || null,
          deltas ? deltas.map(toDelta) : null,
          ids,
        );
        if (kind === 'e') {
          const [type, message, repr] = Array.isArray(value)
            ? value
            : ['Exception', '', 'Exception()'];
          const exception: ExceptionInfo = { type, message, repr, file: frame.file, line };
          this.emit(frame, { kind: 'exception', callId, line, step: null, exception }, true);
          // Where it was raised: the same exception leaving a callee of this frame just before is a propagation.
          const prev = this.unwinding;
          const propagated =
            prev !== undefined &&
            prev.type === type &&
            prev.message === message &&
            this.window.frame(prev.callId)?.parentCallId === callId;
          this.unwinding = {
            callId,
            type,
            message,
            file: propagated ? prev.file : frame.file,
            line: propagated ? prev.line : line,
          };
          if (this.window.frame(callId)?.parentCallId === 0)
            this.topException = {
              ...exception,
              file: this.unwinding.file,
              line: this.unwinding.line,
            };
        } else {
          const shown = frame.isFunction && !COMPREHENSIONS.has(frame.function);
          this.emit(
            frame,
            {
              kind: kind === 'y' ? 'yield' : 'return',
              callId,
              line,
              step: null,
              value: typeof value === 'string' ? value : 'None',
              ids: ids && ids.__return__ ? { __return__: ids.__return__ } : null,
            },
            shown,
          );
        }
        if (kind === 'y') {
          frame.pendingLine = line;
          frame.pendingAfterYield = true;
        } else {
          this.frames.delete(callId);
          this.window.frameEnded(callId);
        }
        return;
      }
      case 'O': {
        const stream = r[1] === 2 ? 'stderr' : 'stdout';
        const at = this.window.length;
        const last = this.output[this.output.length - 1];
        if (last && last.stream === stream && last.afterEvent === at) last.text += r[2];
        else this.output.push({ stream, text: r[2], afterEvent: at });
        return;
      }
      case 'I':
        this.imports.push({ file: this.files[r[1]] ?? '?', calls: r[2], ms: r[3] });
        return;
      case 'T':
        this.tracerTakenOver ??= {
          file: this.files[r[1]],
          line: r[2] || undefined,
          afterEvent: this.window.length,
        };
        return;
      case 'P':
        this.pytest(r);
        return;
      case 'W':
        this.warnings.push(`${r[1]}: ${r[2]}`);
        return;
      case 'E':
        this.end = { reason: r[1], events: r[2], ms: r[3], code: r[4] };
        return;
    }
  }

  private pytest(r: Extract<RawRecord, ['P', ...unknown[]]>): void {
    const t = (this.test ??= { nodeId: '', collected: [], phases: {} });
    const what = r[1];
    if (what === 'collected') t.collected = (r[3] as string[] | undefined) ?? [];
    else if (what === 'start' && !t.nodeId) t.nodeId = String(r[2]);
    else if (what === 'collect-error') t.collectError = typeof r[3] === 'string' ? r[3] : '';
    else if (what === 'finish') t.exitStatus = Number(r[2]);
    else if (what === 'report') {
      const [, , nodeId, when, outcome, text] = r as [
        string,
        string,
        string,
        'setup' | 'call' | 'teardown',
        string,
        string,
      ];
      if (!t.nodeId) t.nodeId = nodeId;
      if (nodeId === t.nodeId) {
        t.phases[when] = outcome;
        if (text && !t.failureText) t.failureText = text;
      }
    } else if (what === 'exception') {
      const [, , nodeId, , type, message, repr, fileIdx, line] = r as [
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        number,
        number,
      ];
      if (!this.testException && (!t.nodeId || nodeId === t.nodeId)) {
        this.testException = {
          type,
          message,
          repr,
          file: fileIdx >= 0 ? this.files[fileIdx] : undefined,
          line: line || undefined,
        };
      }
    }
  }

  /** Rows of one code object's statements (a row per statement start, whichever code sent it). */
  private addUses(file: string, rows: UseRow[]): void {
    let starts = this.useStarts.get(file);
    if (!starts) this.useStarts.set(file, (starts = new Set()));
    const list = (this.uses[file] ??= []);
    for (const row of rows) {
      if (starts.has(row[0])) continue;
      starts.add(row[0]);
      list.push(row);
    }
  }

  private completePending(
    frame: FrameState,
    changed: Record<string, string> | null,
    deleted: string[] | null,
    deltas: Delta[] | null,
    ids?: RawIds,
  ): void {
    const hasChange =
      (changed !== null && Object.keys(changed).length > 0) ||
      (deleted !== null && deleted.length > 0) ||
      (deltas !== null && deltas.length > 0);
    if (changed) Object.assign(frame.locals, changed);
    if (deleted) for (const d of deleted) delete frame.locals[d];
    if (frame.pendingLine === null) return;
    if (frame.pendingAfterYield && !hasChange) return;
    this.emit(
      frame,
      {
        kind: 'line',
        callId: frame.callId,
        line: frame.pendingLine,
        step: null,
        changed,
        deleted,
        deltas,
        ids: ids || null,
      },
      hasChange,
    );
  }

  private emit(frame: FrameState, e: EventInput, shown: boolean): void {
    e.step = shown ? this.step++ : null;
    this.recorded++;
    this.window.push(
      e,
      frame.locals,
      () => new Map([...this.frames].map(([id, f]) => [id, f.locals])),
    );
  }

  /** Ends assembly: lines that started but whose effect was never observed (the recording was cut
   * short) are emitted, head and tail joined, output placed among the kept events. Idempotent. */
  finish(): void {
    if (this.sealed) return;
    for (const frame of this.frames.values()) {
      if (frame.pendingLine !== null && !frame.pendingAfterYield) {
        this.emit(
          frame,
          { kind: 'line', callId: frame.callId, line: frame.pendingLine, step: null },
          false,
        );
      }
      frame.pendingLine = null;
    }
    this.sealed = this.window.seal();
    for (const o of this.output) o.afterEvent = this.window.position(o.afterEvent);
    if (this.tracerTakenOver)
      this.tracerTakenOver.afterEvent = this.window.position(this.tracerTakenOver.afterEvent);
  }
}

function toDelta(d: RawDelta): Delta {
  if (d.length === 1) return { path: d[0], op: 'del' };
  if (d.length === 2) return { path: d[0], op: '=', value: d[1] };
  return { path: d[0], op: d[2] === '+' ? 'add' : d[2] === '-' ? 'discard' : 'more', value: d[1] };
}

/** The helper sends messages as bounded Python reprs; recover the text of a quoted string. */
export function unquote(repr: string): string {
  const m = /^(['"])([\s\S]*)\1(\.\.\.)?$/.exec(repr);
  if (!m) return repr;
  const body = (m[2] ?? '').replace(
    /\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g,
    (_s, e: string) => {
      switch (e[0]) {
        case 'n':
          return '\n';
        case 't':
          return '\t';
        case 'r':
          return '\r';
        case 'x':
        case 'u':
        case 'U':
          return String.fromCodePoint(parseInt(e.slice(1), 16));
        default:
          return e;
      }
    },
  );
  return body + (m[3] ?? '');
}
