// Which recording a step reference in a round's rationale cites. Round 1 read the failing run; a
// later round read that run AND the run of the previous round's patched program, and usually talks
// about the latter. A reference followed by a value (`(2) low=1`, "(2) `low = 1`") goes to the run
// where that step has that value; otherwise to the round's own run. Free of `vscode` (unit-tested).
import type { Trace, TraceEvent } from '../../core/trace/model';
import { recordingModel } from '../../core/trace/recordingModel';
import type { StepResolver } from './markdown';

export interface StepSource {
  /** Recording id (what the link opens). */
  rec: number;
  trace: Trace;
  /** "the failing run", "round 1's patched run". */
  label: string;
}

export function eventOfStep(trace: Trace, step: number): TraceEvent | undefined {
  const i = recordingModel(trace).indexOfStep(step);
  return i === undefined ? undefined : trace.events.at(i);
}

const CITED_VALUE = /^[\s:,;]*`?\s*([A-Za-z_][\w.]*)\s*={1,2}\s*([^`;,\s)]+)/;

function cites(e: TraceEvent, name: string, value: string): boolean {
  const v = e.changed[name];
  if (v === undefined) return false;
  return v === value || v.startsWith(value) || value.startsWith(v.replace(/…$/, ''));
}

/** Resolves `(k)` for a round whose own run is `own` among `sources` (own first is fine). */
export function stepResolver(sources: readonly StepSource[], own: StepSource): StepResolver {
  return (step, following) => {
    const having = sources.filter((s) => eventOfStep(s.trace, step) !== undefined);
    if (having.length === 0) return undefined;
    let pick = having.includes(own) ? own : having[0];
    const cited = CITED_VALUE.exec(following);
    if (cited && having.length > 1) {
      const [, name = '', value = ''] = cited;
      const matching = having.filter((s) => cites(eventOfStep(s.trace, step)!, name, value));
      if (matching.length === 1) pick = matching[0];
    }
    if (!pick) return undefined;
    return {
      rec: pick.rec,
      title: `Step ${step} of ${pick.label}: select it in the timeline and show its line`,
    };
  };
}
