// The fixture traces the replay tests run on must follow src/core/trace/model.ts exactly, or those
// tests prove nothing: indices, frames, depths, parents, call numbers, state changes, sources. They
// are real recordings (kept current by test/integration/replay/fixtureTraces.test.ts); the format-1
// file is an old saved trace that must still read the same.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { localsAt } from '../../../src/core/trace/locals';
import {
  TRACE_SCHEMA_VERSION,
  isTrace,
  type Trace,
  type TraceEvent,
} from '../../../src/core/trace/model';
import { parseTrace } from '../../../src/core/trace/json';
import { FIXTURES, FIXTURE_SRC, loadFixture, V1_FIXTURE } from './fixtures';

const v1 = (): Trace => {
  const t = parseTrace(readFileSync(V1_FIXTURE, 'utf8'), 'v1/factorial.json');
  return { ...t, program: { ...t.program, root: FIXTURE_SRC } };
};
const CASES = [
  ...FIXTURES.map((name) => [name, () => loadFixture(name)] as const),
  ['v1/factorial', v1] as const,
];

describe.each(CASES)('fixture trace %s', (_name, load) => {
  const trace = load();
  const ev = trace.events.map((e) => e);

  it('is a trace of the current schema with consistent indices and counts', () => {
    expect(isTrace(trace)).toBe(true);
    expect(trace.version).toBe(TRACE_SCHEMA_VERSION);
    ev.forEach((e, i) => expect(e.index).toBe(i));
    expect(trace.outcome.eventCount).toBe(ev.length);
    for (const o of trace.output) expect(o.afterEvent).toBeGreaterThanOrEqual(0);
    for (const o of trace.output) expect(o.afterEvent).toBeLessThanOrEqual(ev.length);
  });

  it('keeps each frame consistent: one function, depth, parent and call number; entered by a call', () => {
    const byCall = new Map<number, TraceEvent[]>();
    for (const e of ev) byCall.set(e.callId, [...(byCall.get(e.callId) ?? []), e]);
    const callCounts = new Map<string, number>();
    for (const [callId, list] of byCall) {
      const first = list[0] as TraceEvent;
      expect(first.kind, `frame ${callId} starts with a call`).toBe('call');
      const count = (callCounts.get(`${first.file}:${first.function}`) ?? 0) + 1;
      callCounts.set(`${first.file}:${first.function}`, count);
      for (const e of list) {
        expect([e.function, e.file, e.depth, e.callIndex, e.parentCallId]).toEqual([
          first.function,
          first.file,
          first.depth,
          count,
          first.parentCallId,
        ]);
      }
      const endIdx = list.findIndex((e) => e.kind === 'return' || e.kind === 'exception');
      expect(
        endIdx === -1 || endIdx === list.length - 1,
        `frame ${callId} has nothing after it ended`,
      ).toBe(true);
      if (first.parentCallId === undefined) expect(first.depth).toBe(0);
      else {
        const parent = byCall.get(first.parentCallId)?.[0];
        expect(parent, `parent of ${callId}`).toBeDefined();
        expect(first.depth).toBe((parent as TraceEvent).depth + 1);
        expect((parent as TraceEvent).index).toBeLessThan(first.index);
      }
      // Everything between a frame's first and last event is the frame itself or deeper.
      const last = list[list.length - 1] as TraceEvent;
      for (let i = first.index; i <= last.index; i++)
        expect((ev[i] as TraceEvent).depth).toBeGreaterThanOrEqual(first.depth);
    }
  });

  it('records each change once: a changed name differs from its value before, a deleted one was there', () => {
    for (const e of ev) {
      const before = e.kind === 'call' ? {} : localsBefore(e);
      for (const [k, v] of Object.entries(e.changed))
        expect(before[k], `event ${e.index}: ${k}`).not.toBe(v);
      for (const k of e.deleted ?? []) expect(k in before, `event ${e.index}: ${k}`).toBe(true);
      if (e.kind === 'return') expect(typeof e.value).toBe('string');
      if (e.kind === 'exception') expect(e.exception?.type).toMatch(/Error$/);
    }
  });

  /** The frame's locals as of its previous event. */
  function localsBefore(e: TraceEvent): Record<string, string> {
    for (let i = e.index - 1; i >= 0; i--) {
      if ((ev[i] as TraceEvent).callId === e.callId) return localsAt(trace, i);
    }
    return {};
  }

  it('carries the sources that are kept in test/fixtures/traces/src', () => {
    const files = new Set(ev.map((e) => e.file));
    expect(new Set(trace.sources.map((s) => s.path))).toEqual(files);
    for (const s of trace.sources)
      expect(s.text).toBe(readFileSync(path.join(FIXTURE_SRC, s.path), 'utf8'));
    const lineCount = (trace.sources[0]?.text ?? '').split('\n').length;
    for (const e of ev) expect(e.line).toBeGreaterThanOrEqual(1);
    for (const e of ev) expect(e.line).toBeLessThanOrEqual(lineCount);
  });
});

describe('fixture trace v1/factorial, as format 1 stored it', () => {
  const trace = v1();
  const ev = trace.events.map((e) => e);
  /** Format 1 stores every event with all its frame's locals. */
  const storedLocals = (
    JSON.parse(readFileSync(V1_FIXTURE, 'utf8')) as {
      events: { locals: Record<string, string> }[];
    }
  ).events.map((e) => e.locals);

  it("records changed/deleted as the difference from the frame's previous state", () => {
    const state = new Map<number, Record<string, string>>();
    for (const e of ev) {
      const locals = storedLocals[e.index] ?? {};
      const before = e.kind === 'call' ? {} : (state.get(e.callId) ?? {});
      const changed = Object.fromEntries(
        Object.entries(locals).filter(([k, v]) => before[k] !== v),
      );
      expect(e.changed, `event ${e.index}`).toEqual(changed);
      expect(e.deleted ?? [], `event ${e.index}`).toEqual(
        Object.keys(before).filter((k) => !(k in locals)),
      );
      state.set(e.callId, locals);
      if (e.kind === 'return') expect(typeof e.value).toBe('string');
      if (e.kind === 'exception') expect(e.exception?.type).toMatch(/Error$/);
    }
  });

  it('rebuilds the locals of every event from the changes alone, as v1 stored them', () => {
    for (const e of ev)
      expect(localsAt(trace, e.index), `event ${e.index}`).toEqual(storedLocals[e.index]);
  });
});

describe("format 1's own names, read as format 2's", () => {
  const stored = JSON.parse(readFileSync(V1_FIXTURE, 'utf8')) as Record<string, unknown>;
  const read = (patch: Record<string, unknown>): Trace =>
    parseTrace(JSON.stringify({ ...stored, ...patch }), 'v1/factorial.json');

  it("the 'logpoint' engine is the fast one", () => {
    expect(read({ engine: 'logpoint' }).engine).toBe('fast');
    expect(read({}).engine).toBe('step');
  });

  it("a run ended at the step limit ('step-limit') is a partial run ended by a limit", () => {
    const outcome = stored.outcome as Record<string, unknown>;
    const t = read({ outcome: { ...outcome, status: 'step-limit', exitCode: null } });
    expect(t.outcome).toMatchObject({
      status: 'timeout',
      partial: true,
      message: 'Recording stopped after 20000 steps.',
    });
    expect(read({}).outcome.status).toBe('completed');
  });
});
