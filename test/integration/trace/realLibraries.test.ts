// Real libraries record completely under default options (issue 18): for each library of the shared
// suite (test/support/realLibraries.ts: the package folder as the user's code, an injected bug, a
// failing pytest test, built at run time from the local package index), the recording reaches
// pytest's own report of the failing call — no limit cut it — and holds the buggy function's lines
// with the value that shows the bug. Completion, not timing: the figures are `npm run bench -- trace`.
// The interpreter matrix runs this file on every interpreter (TRACEFIX_TEST_PYTHON).
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { Trace } from '../../../src/core/trace/model';
import { recordTrace } from '../../../src/core/trace/record';
import {
  completed,
  evidenceValues,
  libraryWorkspace,
  REAL_LIBRARIES,
} from '../../support/realLibraries';

const python = process.env.TRACEFIX_TEST_PYTHON ?? '/usr/bin/python3';
const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function summary(t: Trace): string {
  const o = t.outcome;
  return `status ${o.status}, partial ${String(o.partial)}, events ${o.eventCount}, call phase ${o.test?.phases.call ?? '-'}${o.recordingStopped ? `, recording stopped at ${JSON.stringify(o.recordingStopped)}` : ''}`;
}

describe.each(REAL_LIBRARIES.map((l) => [l.id, l] as const))(
  'real library %s under default options',
  (_id, lib) => {
    it('records the whole failing test, the buggy function with its values', async () => {
      const root = libraryWorkspace(lib);
      made.push(root);
      const t = await recordTrace({
        target: { kind: 'pytest', nodeId: lib.test.nodeId },
        cwd: root,
        python,
      });
      // Whole: not cut by a limit, and pytest's own verdict on the call is in the recording.
      expect(completed(t), summary(t)).toBe(true);
      expect(t.outcome.recordingStopped, summary(t)).toBeUndefined();
      expect(t.outcome.test?.failureText ?? '', summary(t)).toMatch(lib.failure);
      // The bug's function ran on its injected lines, and the value that shows the bug is there.
      const inBug = t.events.filter(
        (e) => e.file === lib.bug.file && e.function === lib.bug.function,
      );
      expect(inBug.length, `${lib.bug.file}:${lib.bug.function}`).toBeGreaterThan(0);
      expect(evidenceValues(lib, t.events).some((v) => lib.bug.evidence.value.test(v))).toBe(true);
    }, 300_000);
  },
);
