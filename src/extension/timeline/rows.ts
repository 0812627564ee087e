// What the timeline webview shows of a trace, free of `vscode` (unit-tested): one row per event,
// one row standing for the events a long run left out between its head and tail, and the detail of
// a selected step (its changes, including those inside cut values, and every local at that point).
import { changeParts, partText } from '../../core/render/changes';
import { clip } from '../../core/render/valueHistory';
import { localsAt } from '../../core/trace/locals';
import { recordingModel } from '../../core/trace/recordingModel';
import { deltaText, type Trace, type TraceEvent } from '../../core/trace/model';
import type { ElisionRow, StepDetail, TimelineRow } from './protocol';

const ROW_TEXT = 100;

/** What an event changed, as one line, written as the NExT text and the editor write it (core
 * render/changes): `x=1, out[7]=1, seen.add(4), __return__=8`; an exception as `✗ Type: message`. */
export function changeText(e: TraceEvent): string {
  const parts = changeParts(e).map((p) =>
    p.kind === 'exception' && e.exception
      ? `✗ ${e.exception.type}: ${e.exception.message}`
      : partText(p),
  );
  if (e.kind === 'call') parts.unshift('call');
  return parts.join(e.kind === 'call' ? ' ' : ', ').replace(/\s*\n\s*/g, ' ⏎ ');
}

export function rowOf(e: TraceEvent): TimelineRow {
  return {
    i: e.index,
    k: e.step,
    kind: e.kind,
    file: e.file,
    line: e.line,
    fn: e.function,
    call: e.callIndex,
    depth: e.depth,
    text: clip(changeText(e), ROW_TEXT),
  };
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

/** The row for the events left out of a long run, or undefined when the run was kept whole. */
export function elisionRowOf(trace: Trace): ElisionRow | undefined {
  const g = trace.elided;
  if (!g || g.events <= 0) return undefined;
  const busiest = [...g.lines]
    .sort((a, b) => b.count - a.count)
    .slice(0, 3)
    .map((l) => `${l.file}:${l.line} ×${l.count.toLocaleString('en-US')}`);
  return {
    at: g.at,
    text: `⋯ ${plural(g.events, 'event')} not kept here (${plural(g.steps, 'step')}); the recording keeps the start and the end of the run`,
    title: `Long runs keep their first and last events (tracefix.maxEvents = ${trace.limits.maxSteps.toLocaleString('en-US')}).${busiest.length ? ` Most run in the gap: ${busiest.join(', ')}.` : ''} Step numbers after the gap continue past the left-out steps.`,
  };
}

export function detailOf(trace: Trace, e: TraceEvent): StepDetail {
  const parent =
    e.parentCallId === undefined ? undefined : recordingModel(trace).frames.get(e.parentCallId);
  const d: StepDetail = {
    i: e.index,
    k: e.step,
    kind: e.kind,
    file: e.file,
    line: e.line,
    fn: e.function,
    call: e.callIndex,
    depth: e.depth,
    changed: e.changed,
    deltas: (e.deltas ?? []).map(deltaText),
    locals: localsAt(trace, e.index),
  };
  if (parent) d.caller = `${parent.function} (${parent.file})`;
  if (e.value !== undefined) d.value = e.value;
  if (e.exception) d.exception = `${e.exception.type}: ${e.exception.message}`;
  return d;
}

/** One line on a recording: `test_calc.py::test_spread · fails: AssertionError · 42 events`. */
export function summaryOf(trace: Trace): string {
  const o = trace.outcome;
  const passed =
    o.status === 'completed' &&
    o.exitCode === 0 &&
    (trace.program.kind !== 'pytest' || o.testPassed !== false);
  const result = passed
    ? trace.program.kind === 'pytest'
      ? 'passes'
      : 'runs to its end'
    : o.exception
      ? `fails: ${o.exception.type}`
      : o.status === 'completed'
        ? `exit code ${o.exitCode ?? '?'}`
        : o.status;
  const events =
    o.eventCount > trace.events.length
      ? `${plural(o.eventCount, 'event')} (${trace.events.length.toLocaleString('en-US')} kept)`
      : plural(trace.events.length, 'event');
  return `${trace.program.target} · ${result} · ${events}${o.partial ? ' · partial' : ''}`;
}
