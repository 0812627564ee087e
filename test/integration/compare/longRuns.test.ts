// Runs past --max-events compared on what both kept: two real recordings of a long loop, one with a
// regression in its last iterations, both cut to their head and tail. The divergence in the tail is
// found, nothing is reported at the unrecorded gap, and the comparison says what each run kept.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareRuns } from '../../../src/core/compare/compare';
import { comparisonText } from '../../../src/core/compare/format';
import type { Trace } from '../../../src/core/trace/model';
import { recordTrace } from '../../../src/core/trace/record';

const program = (tweak: string) => `def scale(v):
    return v * 3${tweak}


def run(n):
    total = 0
    for i in range(n):
        total += scale(i)
    return total


print(run(3000))
`;

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'tfx-longruns-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function record(name: string, source: string): Promise<Trace> {
  const dir = path.join(tmp, name);
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'prog.py'), source);
  return recordTrace({
    target: { kind: 'script', path: 'prog.py' },
    cwd: dir,
    python: '/usr/bin/python3',
    limits: { maxSteps: 2000, timeoutMs: 60_000 },
  });
}

describe('runs past --max-events', () => {
  it('are compared on what both kept, and say so', async () => {
    const good = await record('good', program(''));
    const bad = await record('bad', program(' + (1 if v >= 2995 else 0)'));
    expect(good.elided?.events).toBeGreaterThan(0);
    expect(bad.elided?.events).toBeGreaterThan(0);
    const cmp = compareRuns(bad, good);
    expect(cmp.coverage?.a).toMatch(
      /^ran past --max-events \(2000\) and kept its first 500 and last 1500 of \d+ events( \(and \d+ executions from the middle\))?$/,
    );
    expect(cmp.coverage?.b).toMatch(/^ran past --max-events \(2000\)/);
    // The first divergence is the regression in the tail: the head, the gap and the tail's
    // beginning (where the two windows may start at different places) report nothing.
    const first = cmp.divergences[0];
    expect(first).toMatchObject({
      kind: 'value',
      a: { function: 'scale', line: 2 },
      values: [{ name: '__return__', a: '8986', b: '8985' }],
    });
    const text = comparisonText(cmp);
    expect(text).toMatch(
      /Run A ran past --max-events \(2000\)|The failing run ran past --max-events \(2000\)/,
    );
    expect(text).toContain('the runs were compared on what both kept');
  });
});
