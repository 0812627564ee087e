// Shared helpers for the replay tests: the fixture traces and a builder for small synthetic traces.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseTrace } from '../../../src/core/trace/json';
import type { EventKind, Trace, TraceEvent } from '../../../src/core/trace/model';

export const FIXTURE_DIR = path.resolve(__dirname, '../../fixtures/traces');
export const FIXTURE_SRC = path.join(FIXTURE_DIR, 'src');
export const FIXTURES = ['factorial', 'average_bug', 'nested'] as const;

export function fixturePath(name: (typeof FIXTURES)[number]): string {
  return path.join(FIXTURE_DIR, `${name}.json`);
}

export function loadFixture(name: (typeof FIXTURES)[number]): Trace {
  return parseTrace(readFileSync(fixturePath(name), 'utf8'), name);
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
