// The plan's budget rules on a cost model with known prices: which slice lines a small budget keeps.
import { describe, expect, it } from 'vitest';
import { planUnits, type CostModel } from '../../../src/core/render/plan';
import type { CodeUnit } from '../../../src/core/render/units';

function unit(id: number, name: string, first: number, body: number[], slice: number): CodeUnit {
  return {
    id,
    file: 'lib.py',
    kind: 'def',
    name,
    lines: [first, ...body],
    headerEnd: first,
    context: [],
    failure: true,
    slice,
    sliceLines: body,
    steps: body.length,
  };
}

/** A test whose assertion reads a value made in `compute` (distance 5) from an object built line
 * by line in `build` (20 lines, distances 1-20: nearer, as values come before the reasons a line ran). */
function model(withOrigin: boolean): { m: CostModel; compute: CodeUnit; build: CodeUnit } {
  const test = unit(0, 'test_it', 1, [2], 0);
  const build = unit(
    1,
    'Box.build',
    10,
    Array.from({ length: 20 }, (_, i) => 11 + i),
    1,
  );
  const compute = unit(2, 'compute', 40, [41, 42], 5);
  const order = [
    { unit: test, line: 2, d: 0 },
    ...build.sliceLines.map((line, i) => ({ unit: build, line, d: 1 + i / 4 })),
    { unit: compute, line: 42, d: 5 },
    { unit: compute, line: 41, d: 6 },
  ].sort((a, b) => a.d - b.d);
  const linesCost = (_u: CodeUnit, _level: number, lines: readonly number[]) =>
    10 + 20 * lines.length;
  const m: CostModel = {
    units: [test, compute, build],
    levelCount: 3,
    failureLevels: 2,
    fileHeader: 10,
    unitCost: (u) => 10 + 20 * u.lines.length,
    window: () => undefined,
    sliceOrder: () => order.map(({ unit: u, line }) => ({ unit: u, line })),
    statementLines: (_u, line) => [line],
    linesCost,
    ...(withOrigin ? { originUnit: () => compute } : {}),
  };
  return { m, compute, build };
}

describe('the plan of a small budget', () => {
  it('gives the function that made the wrong value room before the steps that built its input', () => {
    const { m, compute, build } = model(true);
    const plan = planUnits(m, 300);
    expect(plan.windows.get(compute.id)).toEqual([40, 41, 42]);
    // The rest of the room still goes to the nearest steps of the object's construction.
    expect(plan.windows.get(build.id)?.length).toBeGreaterThan(5);
  });

  it('without an origin, walks by distance alone (the builder takes the room)', () => {
    const { m, compute } = model(false);
    const plan = planUnits(m, 300);
    expect(plan.windows.get(compute.id)).toBeUndefined();
  });
});
