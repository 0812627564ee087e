// The replay state machine: a position over the recorded events and the debugger motions over it,
// forwards and backwards. Pure (no DAP, no I/O) so it can be tested on its own.
//
// Positions and stops
// - The position is an event index. Every event is a stop position: a `call` event is the frame's
//   entry (locals = the argument bindings), a `line` event shows that line with the state AFTER it ran
//   (the recorder places it after the calls the line made), a `return`/`yield` event shows the value
//   leaving the frame (`__return__`), an `exception` event shows the exception leaving the frame.
// - Breakpoints (file + line) match `line` events only, so a breakpoint on a `def` line stops where
//   the def statement ran, not on every call (as in debugpy).
// - With the exception filter on, `continue` (and steps passing over code) stop at exception events
//   where the exception was raised; the same exception propagating through the callers is not a new
//   stop (it is still a step position).
// - Going forward past the last event leaves the position on the last event and reports `end`
//   ("End of recording"), so the user can still step back; going back before the first event reports
//   `entry` at event 0.

import { UserError } from '../errors';
import type { Elision, EventSeq, ExceptionInfo, TraceEvent } from '../trace/model';
import { recordingModel, type RecordingModel } from '../trace/recordingModel';
import { FrameIndex, type FrameView } from './frames';

export type StopReason = 'entry' | 'step' | 'breakpoint' | 'exception' | 'goto' | 'restart' | 'end';

export interface Stop {
  index: number;
  reason: StopReason;
}

export interface BreakpointResult {
  line: number;
  verified: boolean;
}

export type EvaluateResult =
  | { recorded: true; value: string }
  | { recorded: false; message: typeof NOT_RECORDED; detail: string };

export const NOT_RECORDED = 'not recorded';

const IDENTIFIER = /^[\p{L}_][\p{L}\p{N}_]*$/u;

export class Timeline {
  readonly frames: FrameIndex;
  /** Stop at raise points on continue/steps (the `exceptions` filter). */
  exceptionFilter = true;
  private pos = 0;
  private readonly breakpoints = new Map<string, Set<number>>();
  private readonly raisePoints = new Set<number>();
  private readonly model: RecordingModel;

  constructor(
    readonly events: EventSeq,
    elided?: Elision,
  ) {
    if (events.length === 0)
      throw new UserError(
        'no-trace',
        'The recording holds no events, so there is nothing to replay.',
      );
    this.model = recordingModel({ events, elided });
    this.frames = new FrameIndex(this.model);
    for (const i of this.model.exceptionEvents) if (!this.isPropagation(i)) this.raisePoints.add(i);
  }

  /** The event at `index`; undefined outside the recording (never counted from the end). */
  private eventAt(index: number): TraceEvent | undefined {
    return index >= 0 ? this.events.at(index) : undefined;
  }

  get position(): number {
    return this.pos;
  }

  get length(): number {
    return this.events.length;
  }

  get atEnd(): boolean {
    return this.pos === this.events.length - 1;
  }

  get current(): TraceEvent {
    return this.eventAt(this.pos) as TraceEvent;
  }

  stack(pos = this.pos): FrameView[] {
    return this.frames.stackAt(pos);
  }

  // ---- motions (each moves the position and says why it stopped there) ----

  /** Before the first stop: event 0 on entry, otherwise the first breakpoint/raise point. */
  start(stopOnEntry: boolean): Stop {
    if (stopOnEntry) return this.moveTo(0, 'entry');
    for (let i = 0; i < this.events.length; i++) {
      const hit = this.hitAt(i);
      if (hit !== undefined) return this.moveTo(i, hit);
    }
    return this.moveTo(this.events.length - 1, 'end');
  }

  /** The very next event, whatever frame it is in (entering calls). */
  stepIn(): Stop {
    return this.scan(1, () => true);
  }

  /** The previous event, whatever frame it is in (reverse step in). */
  reverseStepIn(): Stop {
    return this.scan(-1, () => true);
  }

  /** Step over: the next event of this frame, or of a caller once this frame is left. */
  next(): Stop {
    const cur = this.current;
    const leaving = cur.kind === 'return' || cur.kind === 'yield' || cur.kind === 'exception';
    if (leaving) return this.stepOut();
    return this.scan(1, (i, e) => e.callId === cur.callId || this.isOutside(cur, i, e));
  }

  /** Reverse of `next`: the previous event of this frame, or of a caller before this frame began. */
  stepBack(): Stop {
    const cur = this.current;
    const first = this.frames.first(cur.callId) ?? 0;
    return this.scan(
      -1,
      (i, e) =>
        e.callId === cur.callId || e.depth < cur.depth || (i < first && this.isSiblingTop(cur, e)),
    );
  }

  /** The first event after this frame is left (in its caller, or the next top-level frame). */
  stepOut(): Stop {
    const cur = this.current;
    return this.scan(1, (i, e) => this.isOutside(cur, i, e));
  }

  continue(): Stop {
    return this.scan(1, () => false);
  }

  reverseContinue(): Stop {
    return this.scan(-1, () => false);
  }

  /** Forward to the next execution of file:line (breakpoints on the way still stop); undefined if none. */
  runToLine(file: string, line: number): Stop | undefined {
    const runs = this.model.executionsOf(file, line);
    const after = runs.length > 0 && (runs[runs.length - 1] as number) > this.pos;
    if (!after) return undefined;
    return this.scan(1, (_i, e) => e.kind === 'line' && e.file === file && e.line === line);
  }

  /** Back to the frame's first event (its `call` event when recorded). */
  restartFrame(callId: number): Stop | undefined {
    const first = this.frames.first(callId);
    return first === undefined ? undefined : this.moveTo(first, 'restart');
  }

  goto(index: number): Stop | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.events.length) return undefined;
    return this.moveTo(index, 'goto');
  }

  // ---- breakpoints ----

  /** Replaces the breakpoints of `file`; a line is verified only if it executed in the recording. */
  setBreakpoints(file: string, lines: readonly number[]): BreakpointResult[] {
    const active = new Set<number>();
    const results = lines.map((line) => {
      const verified = this.model.executionsOf(file, line).length > 0;
      if (verified) active.add(line);
      return { line, verified };
    });
    this.breakpoints.set(file, active);
    return results;
  }

  /** Indices of the `line` events that executed file:line, ascending. */
  executionsOf(file: string, line: number): readonly number[] {
    return this.model.executionsOf(file, line);
  }

  isRaisePoint(index: number): boolean {
    return this.raisePoints.has(index);
  }

  hitAt(index: number): 'breakpoint' | 'exception' | undefined {
    const e = this.eventAt(index);
    if (e === undefined) return undefined;
    if (this.exceptionFilter && this.raisePoints.has(index)) return 'exception';
    if (e.kind === 'line' && this.breakpoints.get(e.file)?.has(e.line) === true)
      return 'breakpoint';
    return undefined;
  }

  // ---- inspection ----

  /** A bare recorded name (or `__return__`) in the frame `callId` (default: top); nothing is guessed. */
  evaluate(expression: string, callId?: number): EvaluateResult {
    const name = expression.trim();
    const notRecorded = (detail: string): EvaluateResult => ({
      recorded: false,
      message: NOT_RECORDED,
      detail,
    });
    if (!IDENTIFIER.test(name))
      return notRecorded('only the names of recorded variables can be evaluated in a replay');
    const stack = this.stack();
    const frame = callId === undefined ? stack[0] : stack.find((f) => f.callId === callId);
    if (frame === undefined) return notRecorded('that frame is not on the stack at this position');
    if (name === '__return__') {
      return frame.returnValue === undefined
        ? notRecorded('no value is returned at this position')
        : { recorded: true, value: frame.returnValue };
    }
    if (Object.prototype.hasOwnProperty.call(frame.locals, name))
      return { recorded: true, value: frame.locals[name] as string };
    return notRecorded(`'${name}' is not a recorded local of ${frame.function} at this position`);
  }

  /** The exception leaving the frame at `index` (an `exception` event), if any. */
  exceptionAt(index = this.pos): ExceptionInfo | undefined {
    const e = this.eventAt(index);
    return e?.kind === 'exception' ? e.exception : undefined;
  }

  /** A short human description of the event at `index`, for status lines. */
  describe(index = this.pos): string {
    const e = this.eventAt(index);
    if (e === undefined) return '';
    const where = `${e.file}:${e.line}`;
    switch (e.kind) {
      case 'call': {
        const args = Object.entries(e.changed)
          .map(([k, v]) => `${k}=${v}`)
          .join(', ');
        return `Entered ${e.function}(${args}) at ${where}`;
      }
      case 'line':
        return `Executed ${where} in ${e.function}`;
      case 'return':
        return `${e.function} returned ${e.value ?? '?'} at ${where}`;
      case 'yield':
        return `${e.function} yielded ${e.value ?? '?'} at ${where}`;
      case 'exception':
        return `${e.exception?.type ?? 'Exception'} ${this.raisePoints.has(index) ? 'raised' : 'propagated'} at ${where}`;
    }
  }

  // ---- internals ----

  private moveTo(index: number, reason: StopReason): Stop {
    this.pos = index;
    return { index, reason };
  }

  /**
   * Walks from the position in `dir` and stops at the first target event; raise points (filter on)
   * and breakpoints passed on the way stop too, as a real debugger's step would. Without any stop the
   * position ends on the last event ('end') or the first ('entry').
   */
  private scan(dir: 1 | -1, isTarget: (index: number, e: TraceEvent) => boolean): Stop {
    for (let i = this.pos + dir; i >= 0 && i < this.events.length; i += dir) {
      const e = this.eventAt(i) as TraceEvent;
      const hit = this.hitAt(i);
      if (hit === 'exception') return this.moveTo(i, 'exception');
      if (isTarget(i, e)) return this.moveTo(i, 'step');
      if (hit === 'breakpoint') return this.moveTo(i, 'breakpoint');
    }
    return dir > 0 ? this.moveTo(this.events.length - 1, 'end') : this.moveTo(0, 'entry');
  }

  /** After the frame of `cur` ended: an event of a caller, or of the next top-level frame. */
  private isOutside(cur: TraceEvent, index: number, e: TraceEvent): boolean {
    if (e.depth < cur.depth) return true;
    const last = this.frames.last(cur.callId) ?? index;
    return index > last && this.isSiblingTop(cur, e);
  }

  /** Top-level frames (no recorded caller, e.g. several pytest calls) are siblings of each other. */
  private isSiblingTop(cur: TraceEvent, e: TraceEvent): boolean {
    return (
      cur.parentCallId === undefined &&
      e.parentCallId === undefined &&
      e.callId !== cur.callId &&
      e.depth <= cur.depth
    );
  }

  /** An exception event right after the same exception left a frame called by this one. */
  private isPropagation(index: number): boolean {
    const e = this.eventAt(index);
    if (e?.kind !== 'exception') return false;
    // The recorder notes the caller's line (the call that raised) before the exception leaves it:
    // look past those to the event the exception came from.
    let i = index - 1;
    let prev = this.eventAt(i);
    while (prev?.kind === 'line' && prev.callId === e.callId) prev = this.eventAt(--i);
    if (prev?.kind !== 'exception' || prev.parentCallId !== e.callId) return false;
    return (
      prev.exception?.type === e.exception?.type && prev.exception?.message === e.exception?.message
    );
  }
}
