// Shared helpers for the replay tests: the fixture traces (real recordings, see
// test/support/fixtureTraces.ts) and a builder for small synthetic traces.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseTrace } from '../../../src/core/trace/json';
import type { EventKind, Trace, TraceEvent } from '../../../src/core/trace/model';
import {
  FIXTURE_DIR,
  FIXTURE_SRC,
  FIXTURES,
  fixturePath,
  type FixtureName,
} from '../../support/fixtureTraces';

export { FIXTURE_DIR, FIXTURE_SRC, FIXTURES, fixturePath };

/** A trace saved in format version 1 (every event with all its frame's locals): still read. */
export const V1_FIXTURE = path.join(FIXTURE_DIR, 'v1', 'factorial.json');

/** A fixture recording, with the folder it was recorded in at its real place in this checkout. */
export function loadFixture(name: FixtureName): Trace {
  const trace = parseTrace(readFileSync(fixturePath(name), 'utf8'), name);
  return { ...trace, program: { ...trace.program, cwd: FIXTURE_SRC, root: FIXTURE_SRC } };
}

export interface EventSpec {
  kind: EventKind;
  callId: number;
  fn: string;
  line: number;
  depth: number;
  parent?: number;
  locals?: Record<string, string>;
  value?: string;
  file?: string;
}

/** Events from compact specs (index, callIndex 1, changed = locals) for motion edge cases. */
export function events(specs: EventSpec[]): TraceEvent[] {
  return specs.map((s, index) => {
    const e: TraceEvent = {
      index,
      step: null,
      kind: s.kind,
      file: s.file ?? 'prog.py',
      line: s.line,
      function: s.fn,
      depth: s.depth,
      callId: s.callId,
      callIndex: 1,
      changed: s.locals ?? {},
    };
    if (s.parent !== undefined) e.parentCallId = s.parent;
    if (s.value !== undefined) e.value = s.value;
    return e;
  });
}
