// The locals of a frame at any event: the recording model rebuilds them from the recorded changes
// (frameLocals.ts); this is the entry point readers that hold only a trace use.
import type { Trace } from './model';
import { recordingModel } from './recordingModel';

/** All locals (bounded reprs) of the frame of event `index`, after that event. */
export function localsAt(
  trace: Pick<Trace, 'events' | 'elided'>,
  index: number,
): Record<string, string> {
  return recordingModel(trace).localsAt(index);
}
