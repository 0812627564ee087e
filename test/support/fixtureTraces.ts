// The replay fixtures (test/fixtures/traces/*.json): recordings of the programs in
// test/fixtures/traces/src made by the real recorder with the system Python (/usr/bin/python3:
// Debian's 3.11 with debugpy 1.6, what CI has). What differs from run to run or machine to machine is
// normalised: the time of recording, durations, and the folder the programs were recorded in (a
// placeholder, in the program's paths and its printed tracebacks alike). The events are written one
// row per line so a regenerated fixture gives a readable diff.
//
// The currency test (test/integration/replay/fixtureTraces.test.ts) records them again and fails when
// they differ; regenerate after an intended recorder change with `npm run fixtures:traces`.
import * as path from 'node:path';
import { traceToJson } from '../../src/core/trace/json';
import type { Trace } from '../../src/core/trace/model';
import { recordTrace } from '../../src/core/trace/record';

export const FIXTURE_DIR = path.resolve(__dirname, '../fixtures/traces');
export const FIXTURE_SRC = path.join(FIXTURE_DIR, 'src');
export const FIXTURES = ['factorial', 'average_bug', 'nested'] as const;
export type FixtureName = (typeof FIXTURES)[number];

/** The interpreter the fixtures are recorded with. */
export const FIXTURE_PYTHON = '/usr/bin/python3';
/** Stands for FIXTURE_SRC in the committed files (loadFixture puts the real folder back). */
export const FIXTURE_ROOT = '/tracefix-fixtures/src';

export function fixturePath(name: FixtureName): string {
  return path.join(FIXTURE_DIR, `${name}.json`);
}

/** Records fixture program `name` the way the committed fixture was recorded. */
export function recordFixture(name: FixtureName): Promise<Trace> {
  return recordTrace({
    target: { kind: 'script', path: `${name}.py` },
    cwd: FIXTURE_SRC,
    root: FIXTURE_SRC,
    python: FIXTURE_PYTHON,
  });
}

/** The committed text of a recording: run-dependent fields normalised, one event row per line. */
export function fixtureText(trace: Trace): string {
  const normal: Trace = {
    ...trace,
    createdAt: '2025-01-01T00:00:00.000Z',
    program: { ...trace.program, cwd: FIXTURE_ROOT, root: FIXTURE_ROOT },
    outcome: {
      ...trace.outcome,
      durationMs: 0,
      startupMs: 0,
      ...(trace.outcome.recordingMs !== undefined ? { recordingMs: 0 } : {}),
    },
    output: trace.output.map((o) => ({ ...o, text: o.text.split(FIXTURE_SRC).join(FIXTURE_ROOT) })),
  };
  const { events, ...header } = JSON.parse(traceToJson(normal)) as { events: unknown[] };
  const text = JSON.stringify({ ...header, events: '@events' }, null, 1);
  return `${text.replace('"@events"', `[\n${events.map((e) => JSON.stringify(e)).join(',\n')}\n]`)}\n`;
}
