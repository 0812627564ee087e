// Frame bookkeeping for the replay, read from the recording model: which events belong to which
// call, and the call stack as it was at any event index.

import type { EventSeq } from '../trace/model';
import type { RecordedFrame, RecordingModel } from '../trace/recordingModel';

/** A recorded call: the recording model's frame (parentCallId 0: no recorded caller). */
export type FrameRecord = RecordedFrame;

/** One frame of the call stack at a position. */
export interface FrameView {
  callId: number;
  function: string;
  file: string;
  /** The line shown for this frame (see `FrameIndex.stackAt` for how callers get theirs). */
  line: number;
  depth: number;
  callIndex: number;
  /** Locals as of `stateIndex` (the frame's last event at or before the position); {} when none. */
  locals: Record<string, string>;
  stateIndex: number | null;
  /** The event at the position itself belongs to this frame. */
  isTop: boolean;
  /** For the top frame at a return/yield event: the recorded return (or yielded) value. */
  returnValue?: string;
  /** A caller whose calling line could not be found (the recording ends inside the call). */
  lineApproximate?: boolean;
}

export class FrameIndex {
  private readonly events: EventSeq;

  constructor(private readonly model: RecordingModel) {
    this.events = model.events;
  }

  get(callId: number): FrameRecord | undefined {
    return this.model.frames.get(callId);
  }

  first(callId: number): number | undefined {
    return this.model.frames.get(callId)?.events[0];
  }

  last(callId: number): number | undefined {
    const ev = this.model.frames.get(callId)?.events;
    return ev?.[ev.length - 1];
  }

  /** How many calls of `fn` in `file` the recording holds (to decide whether to label call numbers). */
  callsOf(file: string, fn: string): number {
    return this.model.callsOf(file, fn);
  }

  /** The frame's last event index at or before `pos`, if any. */
  lastAtOrBefore(callId: number, pos: number): number | undefined {
    const i = this.model.frameEventAtOrBefore(callId, pos);
    return i < 0 ? undefined : i;
  }

  /** The frame's first event index after `pos`, if any. */
  firstAfter(callId: number, pos: number): number | undefined {
    const i = this.model.frameEventAfter(callId, pos);
    return i < 0 ? undefined : i;
  }

  /**
   * The call stack at event `pos`, innermost first.
   *
   * Top frame: the event's own frame, line and locals. Caller frames: locals as of their last event at
   * or before `pos`; their line is the line that made the call, taken from the caller's NEXT event
   * after `pos` (the recorder places a line event after the calls it made, so that next event — a
   * `line`, or an `exception`/`return` when the call line ended the frame — describes the calling
   * line). If the recording ends inside the call there is no such event: the caller's last known line
   * is shown and `lineApproximate` is set.
   */
  stackAt(pos: number): FrameView[] {
    const at = this.events.at(pos);
    if (at === undefined) return [];
    const stack: FrameView[] = [];
    const top: FrameView = {
      ...this.base(at.callId),
      line: at.line,
      locals: this.model.localsAt(pos),
      stateIndex: pos,
      isTop: true,
    };
    if ((at.kind === 'return' || at.kind === 'yield') && at.value !== undefined)
      top.returnValue = at.value;
    stack.push(top);
    const seen = new Set<number>([at.callId]);
    let parent = this.model.frames.get(at.callId)?.parentCallId;
    while (parent !== undefined && !seen.has(parent) && this.model.frames.has(parent)) {
      seen.add(parent);
      stack.push(this.callerView(parent, pos));
      parent = this.model.frames.get(parent)?.parentCallId;
    }
    return stack;
  }

  private base(callId: number): Omit<FrameView, 'line' | 'locals' | 'stateIndex' | 'isTop'> {
    const f = this.model.frames.get(callId);
    if (f === undefined) throw new Error(`unknown callId ${callId}`);
    return { callId, function: f.function, file: f.file, depth: f.depth, callIndex: f.callIndex };
  }

  private callerView(callId: number, pos: number): FrameView {
    const stateIndex = this.lastAtOrBefore(callId, pos);
    const state = stateIndex === undefined ? undefined : this.events.at(stateIndex);
    const nextIndex = this.firstAfter(callId, pos);
    const next = nextIndex === undefined ? undefined : this.events.at(nextIndex);
    const view: FrameView = {
      ...this.base(callId),
      line: next?.line ?? state?.line ?? 0,
      locals: stateIndex === undefined ? {} : this.model.localsAt(stateIndex),
      stateIndex: stateIndex ?? null,
      isTop: false,
    };
    if (next === undefined) view.lineApproximate = true;
    return view;
  }
}
