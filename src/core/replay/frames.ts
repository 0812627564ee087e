// Frame bookkeeping for the replay: which events belong to which call, and the call stack as it was
// at any event index, reconstructed from the events alone.

import type { EventSeq } from '../trace/model';

export interface FrameRecord {
  callId: number;
  function: string;
  file: string;
  depth: number;
  callIndex: number;
  parentCallId?: number;
  /** Indices of this frame's events, ascending. */
  events: number[];
}

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
  private readonly frames = new Map<number, FrameRecord>();
  private readonly callCounts = new Map<string, number>();

  /** `localsOf(i)`: all locals of event i's frame after it (trace/locals.ts). */
  constructor(
    private readonly events: EventSeq,
    private readonly localsOf: (index: number) => Record<string, string>,
  ) {
    events.forEach((e, i) => {
      let f = this.frames.get(e.callId);
      if (f === undefined) {
        f = {
          callId: e.callId,
          function: e.function,
          file: e.file,
          depth: e.depth,
          callIndex: e.callIndex,
          events: [],
        };
        if (e.parentCallId !== undefined) f.parentCallId = e.parentCallId;
        this.frames.set(e.callId, f);
        const key = `${e.file}\0${e.function}`;
        this.callCounts.set(key, (this.callCounts.get(key) ?? 0) + 1);
      }
      f.events.push(i);
    });
  }

  get(callId: number): FrameRecord | undefined {
    return this.frames.get(callId);
  }

  first(callId: number): number | undefined {
    return this.frames.get(callId)?.events[0];
  }

  last(callId: number): number | undefined {
    const ev = this.frames.get(callId)?.events;
    return ev?.[ev.length - 1];
  }

  /** How many calls of `fn` in `file` the recording holds (to decide whether to label call numbers). */
  callsOf(file: string, fn: string): number {
    return this.callCounts.get(`${file}\0${fn}`) ?? 0;
  }

  /** The frame's last event index at or before `pos`, if any. */
  lastAtOrBefore(callId: number, pos: number): number | undefined {
    const ev = this.frames.get(callId)?.events ?? [];
    return ev[firstGreater(ev, pos) - 1];
  }

  /** The frame's first event index after `pos`, if any. */
  firstAfter(callId: number, pos: number): number | undefined {
    const ev = this.frames.get(callId)?.events ?? [];
    return ev[firstGreater(ev, pos)];
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
      locals: this.localsOf(pos),
      stateIndex: pos,
      isTop: true,
    };
    if ((at.kind === 'return' || at.kind === 'yield') && at.value !== undefined)
      top.returnValue = at.value;
    stack.push(top);
    const seen = new Set<number>([at.callId]);
    let parent = this.frames.get(at.callId)?.parentCallId;
    while (parent !== undefined && !seen.has(parent) && this.frames.has(parent)) {
      seen.add(parent);
      stack.push(this.callerView(parent, pos));
      parent = this.frames.get(parent)?.parentCallId;
    }
    return stack;
  }

  private base(callId: number): Omit<FrameView, 'line' | 'locals' | 'stateIndex' | 'isTop'> {
    const f = this.frames.get(callId);
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
      locals: stateIndex === undefined ? {} : this.localsOf(stateIndex),
      stateIndex: stateIndex ?? null,
      isTop: false,
    };
    if (next === undefined) view.lineApproximate = true;
    return view;
  }
}

/** Index of the first element of the ascending array `sorted` greater than `pos` (length if none). */
function firstGreater(sorted: number[], pos: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) <= pos) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
