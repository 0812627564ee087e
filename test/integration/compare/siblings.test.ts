// A passing sibling of a failing pytest test, with real pytest and the real recorder: another
// parametrization of the same test (one case of three fails), and a passing test that calls the same
// function; compared with the failing run, the first place the paths part is named.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { obtainBaseline } from '../../../src/core/compare/baseline';
import { compareRuns } from '../../../src/core/compare/compare';
import type { RecordOptions } from '../../../src/core/trace/options';
import { recordTrace } from '../../../src/core/trace/record';

const STATS = `def spread(values):
    low = 0
    high = values[0]
    for v in values:
        if v < low:
            low = v
        if v > high:
            high = v
    return high - low
`;

const TESTS = `import pytest
from stats import spread


@pytest.mark.parametrize("data,want", [([1, 2, 3], 2), ([3, 5, 8], 5), ([0, 4], 4)], ids=["1-2-3", "3-5-8", "0-4"])
def test_spread(data, want):
    assert spread(data) == want


def test_single():
    assert spread([7]) == 0


def test_unrelated():
    assert sorted([2, 1]) == [1, 2]
`;

let dir: string;
beforeAll(() => {
  dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'tfx-siblings-')), 'proj');
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'stats.py'), STATS);
  writeFileSync(path.join(dir, 'test_stats.py'), TESTS);
});
afterAll(() => rmSync(path.dirname(dir), { recursive: true, force: true }));

async function siblingOf(nodeId: string, kind: 'auto' | 'sibling') {
  const rec: RecordOptions = {
    target: { kind: 'pytest', nodeId },
    cwd: dir,
    python: '/usr/bin/python3',
  };
  const failing = await recordTrace(rec);
  const got = await obtainBaseline({ kind }, { rec, failing });
  return { failing, got };
}

describe('a passing sibling test', () => {
  it('is another parametrization when one passes, chosen automatically', async () => {
    const { failing, got } = await siblingOf('test_stats.py::test_spread[3-5-8]', 'auto');
    // Not a git repository: the automatic choice says so and goes on to the parametrizations.
    expect(got.notes).toEqual([expect.stringMatching(/is not in a git repository/)]);
    expect(got.baseline?.description).toBe(
      'test_stats.py::test_spread[0-4], another parametrization of the same test, which passes',
    );
    const cmp = compareRuns(failing, got.baseline!.trace, { next: 10 });
    // The inputs differ first (on the def line, not the decorator), then the values made from them,
    // and the failing run's third element takes one more turn of the loop.
    expect(cmp.divergences[0]).toMatchObject({
      kind: 'value',
      a: { function: 'test_spread', line: 6, source: 'def test_spread(data, want):' },
      values: [
        { name: 'data', a: '[3, 5, 8]', b: '[0, 4]' },
        { name: 'want', a: '5', b: '4' },
      ],
    });
    const extraTurn = cmp.divergences.find((d) => d.kind === 'flow');
    expect(extraTurn).toMatchObject({ a: { source: 'if v < low:' }, onlyA: 4, onlyB: 0 });
  });

  it('is a passing test calling the same function when asked for', async () => {
    const { got } = await siblingOf('test_stats.py::test_single', 'sibling');
    expect(got.baseline?.description).toBe(
      'test_stats.py::test_spread[0-4], a passing test that also calls `spread`, which passes',
    );
    const auto = await siblingOf('test_stats.py::test_single', 'auto');
    expect(auto.got.baseline).toBeUndefined();
  });
});
