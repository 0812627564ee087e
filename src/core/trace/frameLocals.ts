// The locals of a frame at any event, rebuilt from the recorded changes: events carry only what
// changed (a copy of every local per event was most of a v1 trace's size). Each frame's event list
// comes from the recording model; a snapshot every CHECKPOINT events of a frame keeps a lookup short
// on long runs.
import type { EventSeq, Trace } from './model';
import { EventStore } from './store';

const CHECKPOINT = 256;

export class FrameLocals {
  private readonly snapshots = new Map<number, Map<number, Record<string, string>>>();

  /** `frameEvents(callId)`: the frame's event indices, ascending. */
  constructor(
    private readonly events: EventSeq,
    private readonly gap: Trace['elided'],
    private readonly callIdOf: (index: number) => number | undefined,
    private readonly frameEvents: (callId: number) => readonly number[],
  ) {}

  at(index: number): Record<string, string> {
    const callId = this.callIdOf(index);
    if (callId === undefined) return {};
    const list = this.frameEvents(callId);
    const pos = lastAtOrBefore(list, index);
    if (pos < 0) return {};
    // An execution kept from the middle of a long run carries its frame's locals.
    const kept = this.gap?.kept?.[index];
    if (kept) return { ...kept };
    // Frames running across an elision restart from their state at the gap (where the tail starts).
    const baseline = this.gap?.frames?.[callId];
    const tailAt = this.gap ? (this.gap.tail ?? this.gap.at) : 0;
    let from = 0;
    let locals: Record<string, string> = {};
    if (baseline && this.gap && index >= tailAt) {
      from = firstAtOrAfter(list, tailAt);
      locals = { ...baseline };
    }
    // Nearest snapshot at or before pos (snapshots are taken at positions that are multiples of CHECKPOINT).
    const snaps = this.snapshots.get(callId);
    for (let k = Math.floor(pos / CHECKPOINT) * CHECKPOINT; k > from && snaps; k -= CHECKPOINT) {
      const s = snaps.get(k);
      if (s) {
        locals = { ...s };
        from = k;
        break;
      }
    }
    for (let p = from; p <= pos; p++) {
      if (p > from && p % CHECKPOINT === 0) {
        let m = this.snapshots.get(callId);
        if (!m) this.snapshots.set(callId, (m = new Map<number, Record<string, string>>()));
        if (!m.has(p)) m.set(p, { ...locals });
      }
      this.apply(list[p] as number, locals);
    }
    return locals;
  }

  private apply(i: number, locals: Record<string, string>): void {
    if (this.events instanceof EventStore) {
      this.events.eachChange(i, (name, value) => {
        if (value === undefined) delete locals[name];
        else locals[name] = value;
      });
      return;
    }
    const e = this.events.at(i);
    if (!e) return;
    Object.assign(locals, e.changed);
    for (const d of e.deleted ?? []) delete locals[d];
  }
}

/** Position in ascending `list` of the last element <= value (-1 if none). */
export function lastAtOrBefore(list: readonly number[], value: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((list[mid] as number) <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

function firstAtOrAfter(list: readonly number[], value: number): number {
  return lastAtOrBefore(list, value - 1) + 1;
}
