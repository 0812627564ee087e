// Turns the helper's raw records (see debuggee/pydevd_tracefix_helper.py) into trace events.
// A raw line record carries the frame's state *before* that line runs, i.e. the effect of the
// frame's previous line; so each line's event is emitted when the frame's next record arrives,
// after any calls the line made — the order in which the NExT format numbers state changes.
import type { ExceptionInfo, OutputChunk, TraceEvent } from './model';

export type RawRecord =
  | ['F', number, string]
  /** scope: 'f' function, 'm' module body, 'c' class body. */
  | ['C', number, number, number, number, string, number, Record<string, string>, 'f' | 'm' | 'c']
  | ['L', number, number, Record<string, string>, string[]]
  | ['R', number, number, 'r' | 'y' | 'e', string | null, Record<string, string>, string[]]
  | ['X', string, string, string]
  | ['O', 1 | 2, string]
  /** End of recording: why, events counted by the helper, ms from injection to the end (in the debuggee). */
  | ['E', 'limit' | 'exit', number, number];

interface FrameState {
  callId: number;
  parentCallId: number;
  file: string;
  function: string;
  /** A function call (not a module or class body, whose "return" is not a value anyone sees). */
  isFunction: boolean;
  depth: number;
  callIndex: number;
  locals: Record<string, string>;
  /** The line that started executing and whose effect is not yet known. */
  pendingLine: number | null;
  /** The pending line is a `yield` being resumed: only emit it if the resumption changed something. */
  pendingAfterYield: boolean;
}

const COMPREHENSIONS = new Set(['<listcomp>', '<setcomp>', '<dictcomp>', '<genexpr>']);

/** Incremental assembler: feed record batches as they arrive, then `finish()`. */
export class TraceAssembler {
  readonly events: TraceEvent[] = [];
  readonly output: OutputChunk[] = [];
  readonly files: string[] = [];
  end: 'limit' | 'exit' | undefined;
  /** Time the debuggee spent between the helper's injection and the end of recording. */
  recordingMs: number | undefined;
  private readonly frames = new Map<number, FrameState>();
  private readonly callCounts = new Map<string, number>();
  private pendingExceptions: TraceEvent[] = [];
  private step = 0;
  /** Most recent exception info seen (from the helper or a DAP exception stop). */
  lastException: ExceptionInfo | undefined;
  firstEventAt: number | undefined;

  push(records: RawRecord[]): void {
    if (this.firstEventAt === undefined && records.some((r) => r[0] === 'L' || r[0] === 'C')) {
      this.firstEventAt = Date.now();
    }
    for (const r of records) this.apply(r);
  }

  private apply(r: RawRecord): void {
    switch (r[0]) {
      case 'F':
        this.files[r[1]] = r[2];
        return;
      case 'C': {
        const [, callId, parentCallId, fileIdx, line, fn, depth, bindings, scope] = r;
        const file = this.files[fileIdx] ?? '?';
        const key = `${file}:${fn}`;
        const callIndex = (this.callCounts.get(key) ?? 0) + 1;
        this.callCounts.set(key, callIndex);
        const frame: FrameState = {
          callId, parentCallId, file, function: fn, isFunction: scope === 'f', depth, callIndex, locals: { ...bindings },
          pendingLine: null, pendingAfterYield: false,
        };
        this.frames.set(callId, frame);
        const shown = frame.isFunction && Object.keys(bindings).length > 0;
        this.emit(frame, 'call', line, bindings, undefined, shown);
        return;
      }
      case 'L': {
        const [, callId, line, changed, deleted] = r;
        const frame = this.frames.get(callId);
        if (!frame) return;
        this.completePending(frame, changed, deleted);
        frame.pendingLine = line;
        frame.pendingAfterYield = false;
        return;
      }
      case 'R': {
        const [, callId, line, kind, value, changed, deleted] = r;
        const frame = this.frames.get(callId);
        if (!frame) return;
        this.completePending(frame, changed, deleted);
        if (kind === 'e') {
          const ev = this.emit(frame, 'exception', line, {}, undefined, true);
          this.pendingExceptions.push(ev);
          if (this.lastException) ev.exception = { ...this.lastException };
        } else {
          const shown = frame.isFunction && !COMPREHENSIONS.has(frame.function);
          const ev = this.emit(frame, kind === 'y' ? 'yield' : 'return', line, {}, undefined, shown);
          ev.value = value ?? 'None';
        }
        if (kind === 'y') {
          frame.pendingLine = line;
          frame.pendingAfterYield = true;
        } else {
          this.frames.delete(callId);
        }
        return;
      }
      case 'X':
        this.noteException({ type: r[1], message: unquote(r[2]), repr: r[3] });
        return;
      case 'O': {
        const stream = r[1] === 2 ? 'stderr' : 'stdout';
        const last = this.output[this.output.length - 1];
        if (last && last.stream === stream && last.afterEvent === this.events.length) last.text += r[2];
        else this.output.push({ stream, text: r[2], afterEvent: this.events.length });
        return;
      }
      case 'E':
        this.end = r[1];
        this.recordingMs = r[3];
        return;
    }
  }

  /** Attach exception info learnt outside the record stream (a DAP exception stop). */
  noteException(info: ExceptionInfo): void {
    this.lastException = info;
    for (const ev of this.pendingExceptions) ev.exception = { ...info, file: ev.file, line: ev.line };
    this.pendingExceptions = [];
  }

  private completePending(frame: FrameState, changed: Record<string, string>, deleted: string[]): void {
    const hasChange = Object.keys(changed).length > 0 || deleted.length > 0;
    Object.assign(frame.locals, changed);
    for (const d of deleted) delete frame.locals[d];
    if (frame.pendingLine === null) return;
    if (frame.pendingAfterYield && !hasChange) return;
    this.emit(frame, 'line', frame.pendingLine, changed, deleted, hasChange);
  }

  private emit(
    frame: FrameState, kind: TraceEvent['kind'], line: number, changed: Record<string, string>,
    deleted: string[] | undefined, shown: boolean,
  ): TraceEvent {
    const ev: TraceEvent = {
      index: this.events.length,
      step: shown ? this.step++ : null,
      kind,
      file: frame.file,
      line,
      function: frame.function,
      depth: frame.depth,
      callId: frame.callId,
      callIndex: frame.callIndex,
      changed: { ...changed },
      locals: { ...frame.locals },
    };
    if (deleted && deleted.length) ev.deleted = [...deleted];
    if (frame.parentCallId) ev.parentCallId = frame.parentCallId;
    this.events.push(ev);
    return ev;
  }

  /** Lines that started but whose effect was never observed (the recording was cut short). */
  finish(): void {
    for (const frame of this.frames.values()) {
      if (frame.pendingLine !== null && !frame.pendingAfterYield) this.emit(frame, 'line', frame.pendingLine, {}, undefined, false);
      frame.pendingLine = null;
    }
    if (this.lastException) for (const ev of this.pendingExceptions) ev.exception = { ...this.lastException, file: ev.file, line: ev.line };
  }
}

/** The helper sends messages as bounded Python reprs; recover the text of a quoted string. */
export function unquote(repr: string): string {
  const m = /^(['"])([\s\S]*)\1(\.\.\.)?$/.exec(repr);
  if (!m) return repr;
  const body = (m[2] ?? '').replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g, (_s, e: string) => {
    switch (e[0]) {
      case 'n': return '\n';
      case 't': return '\t';
      case 'r': return '\r';
      case 'x': case 'u': case 'U': return String.fromCodePoint(parseInt(e.slice(1), 16));
      default: return e;
    }
  });
  return body + (m[3] ?? '');
}
