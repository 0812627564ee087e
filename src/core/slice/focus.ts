// The slice as the renderers use it: which events, lines and frames are on it and how far each is
// from the failure, computed once per trace. The NExT text, `## Code` and the prompt's task spend
// their budget on these first.
import type { Trace } from '../trace/model';
import { backwardSlice, failingEvent, sliceIndexOf, type SliceResult } from './slice';

export interface SliceFocus {
  result: SliceResult;
  /** Event index → distance from the failing point (events on the slice only). */
  distance: Map<number, number>;
  /** file → line → the smallest distance of a slice event there (calls not counted). */
  lines: Map<string, Map<number, number>>;
  /** file → first lines (the first decorator of a decorated function) of the calls on the slice →
   * the smallest distance; their entries are written on the `def` line. */
  calls: Map<string, Map<number, number>>;
  /** callId → the smallest distance of its slice events. */
  frames: Map<number, number>;
  /** The returns whose values the slice uses, nearest the failure first (at most MAX_RETURNS): the
   * first of a user function among them is where the wrong value was made (the renderers give it
   * room first). */
  returns: { file: string; line: number; event: number }[];
}

const MAX_RETURNS = 16;

const cache = new WeakMap<Trace, SliceFocus | null>();

/** Most events a rendering's slice visits: the renderers need its near part, the tools go further. */
const RENDER_SLICE_EVENTS = 50_000;

/**
 * The slice from the failing point, when there is one to start from: an exception ended the run or
 * failed the test, or the program exited with an error code (a timeout's last line is where the
 * clock ran out, not a failure). Undefined too for recordings without statement rows (older traces),
 * where a slice could only follow calls.
 */
export function sliceFocus(trace: Trace): SliceFocus | undefined {
  const hit = cache.get(trace);
  if (hit !== undefined) return hit ?? undefined;
  const o = trace.outcome;
  const failed =
    o.status === 'exception' ||
    o.status === 'exited' ||
    o.status === 'crashed' ||
    (o.status === 'completed' && o.exitCode !== 0 && o.exitCode !== null);
  const idx = failed ? sliceIndexOf(trace) : undefined;
  const criterion = idx?.hasUses ? failingEvent(trace, idx) : -1;
  if (!idx || criterion < 0) {
    cache.set(trace, null);
    return undefined;
  }
  const result = backwardSlice(trace, criterion, { maxEvents: RENDER_SLICE_EVENTS });
  const lines = new Map<string, Map<number, number>>();
  const frames = new Map<number, number>();
  const calls = new Map<string, Map<number, number>>();
  const store = idx.store;
  const returns: SliceFocus['returns'] = [];
  for (const e of result.order) {
    const d = result.distance.get(e) as number;
    const callId = store.callIdAt(e);
    const file = idx.fileOf(callId);
    const into = store.kindAt(e) === 'call' ? calls : lines;
    let m = into.get(file);
    if (!m) into.set(file, (m = new Map<number, number>()));
    const line = store.lineAt(e);
    if (!m.has(line)) m.set(line, d);
    if (!frames.has(callId)) frames.set(callId, d);
    if (returns.length < MAX_RETURNS && result.links.get(e)?.kind === 'return')
      returns.push({ file, line, event: e });
  }
  const focus = { result, distance: result.distance, lines, calls, frames, returns };
  cache.set(trace, focus);
  return focus;
}
