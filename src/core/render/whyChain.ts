// "Why does `name` have this value here?" for the editor: the why-chain (core/slice/why) of a value a
// hover shows, as the timeline marks it (its events, nearest the question first) and the code
// highlights it (the distinct lines it ran on), with a one-line title. Free of the editor.
import { localsAt } from '../trace/locals';
import type { Trace } from '../trace/model';
import { sliceIndexOf } from '../slice/slice';
import { why } from '../slice/why';
import { clip } from './valueHistory';

/** Steps a chain marks at most (the tool answers longer ones in text). */
export const WHY_CHAIN_STEPS = 40;
const WHY_CHAIN_DEPTH = 24;
const TITLE_VALUE = 60;

export interface WhyChain {
  name: string;
  /** The value asked about (clipped), when the recording has it. */
  value?: string;
  /** The event asked about. */
  event: number;
  /** `why total = 33.0 at (16)`. */
  title: string;
  /** The chain's events, nearest the question first (the event where the value was made first). */
  events: number[];
  /** The lines the chain ran on, in chain order, each once. */
  lines: { file: string; line: number }[];
  /** Steps of the chain not marked (the bound), and whether it goes further back. */
  more: number;
  deeper: boolean;
}

/** `(k)` for an event with a step, `(after k)` for one between steps (a call), `(start)` before any. */
export function stepLabel(trace: Trace, index: number): string {
  for (let i = index; i >= 0; i--) {
    const s = trace.events.at(i)?.step;
    if (s !== null && s !== undefined) return i === index ? `(${s})` : `(after ${s})`;
  }
  return '(start)';
}

function valueAt(trace: Trace, name: string, index: number): string | undefined {
  const e = trace.events.at(index);
  if (!e) return undefined;
  if (name === '__return__' || name === '__yield__') return e.value;
  return e.changed[name] ?? localsAt(trace, index)[name];
}

/**
 * The why-chain of `name` (a local, `self.count`, `rows[]` or `__return__`) right after event
 * `index`, or a sentence saying why there is none.
 */
export function whyChain(trace: Trace, name: string, index: number): WhyChain | { error: string } {
  if (!trace.events.at(index)) return { error: 'That step is not in the recording on screen.' };
  if (!sliceIndexOf(trace).hasUses)
    return {
      error:
        'This recording has no statement data (it was made by an older Tracefix): record it again to ask why.',
    };
  const answer = why(trace, {
    name,
    event: index,
    maxSteps: WHY_CHAIN_STEPS,
    maxDepth: WHY_CHAIN_DEPTH,
  });
  const at = stepLabel(trace, index);
  if (answer.origin < 0)
    return { error: `\`${name}\` has no recorded value at ${at}: nothing recorded made it.` };
  const events = answer.links.map((l) => l.event);
  const seen = new Set<string>();
  const lines: WhyChain['lines'] = [];
  for (const i of events) {
    const e = trace.events.at(i);
    if (!e) continue;
    const key = `${e.file}\n${e.line}`;
    if (seen.has(key)) continue;
    seen.add(key);
    lines.push({ file: e.file, line: e.line });
  }
  const raw = valueAt(trace, name, index);
  const value = raw === undefined ? undefined : clip(raw.replace(/\s*\n\s*/g, ' '), TITLE_VALUE);
  return {
    name,
    ...(value !== undefined ? { value } : {}),
    event: index,
    title: `why ${name}${value !== undefined ? ` = ${value}` : ''} at ${at}`,
    events,
    lines,
    more: answer.more,
    deeper: answer.deeper,
  };
}
