// What the slice index reads from a recording: its events as an EventStore (a loaded trace's plain
// events are packed once), statement rows checked for shape, and the binary search its lookups use.
import type { Trace, UseRow } from '../trace/model';
import { EventStore, packEvents } from '../trace/store';

/** Position in ascending `list` of the last element < value (-1 if none). */
export function lastBefore(list: readonly number[], value: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((list[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

export function storeOf(trace: Trace): EventStore {
  return trace.events instanceof EventStore ? trace.events : packEvents(trace.events);
}

export function validRow(r: unknown): r is UseRow {
  return (
    Array.isArray(r) &&
    r.length === 5 &&
    Number.isInteger(r[0]) &&
    Number.isInteger(r[1]) &&
    Array.isArray(r[2]) &&
    Array.isArray(r[3]) &&
    Number.isInteger(r[4])
  );
}
