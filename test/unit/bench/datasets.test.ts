// Loading the benchmark data the repository carries (benchmarks/, read-only).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  defaultDataDir,
  loadHumanEvalFix,
  loadHumanEvalFixPlus,
} from '../../../src/core/bench/datasets';
import { UserError } from '../../../src/core/errors';

const DATA = defaultDataDir() ?? '';

describe('benchmark datasets', () => {
  it("finds the repository's benchmarks/; TRACEFIX_BENCH_DATA overrides; nothing found elsewhere", () => {
    expect(DATA).toBe(path.resolve(__dirname, '../../../benchmarks'));
    expect(defaultDataDir({ TRACEFIX_BENCH_DATA: '/some/where' })).toBe(
      path.resolve('/some/where'),
    );
    const empty = mkdtempSync(path.join(os.tmpdir(), 'tfx-nodata-'));
    try {
      expect(defaultDataDir({}, empty)).toBeUndefined();
      // The nearest package root decides: its benchmarks/ or none, never one further out.
      const outer = path.join(empty, 'benchmarks', 'humanevalfix');
      mkdirSync(outer, { recursive: true });
      writeFileSync(path.join(outer, 'humanevalpack_python.jsonl'), '');
      mkdirSync(path.join(empty, 'pkg', 'dist'), { recursive: true });
      writeFileSync(path.join(empty, 'pkg', 'package.json'), '{}');
      expect(defaultDataDir({}, path.join(empty, 'pkg', 'dist'))).toBeUndefined();
      writeFileSync(path.join(empty, 'package.json'), '{}');
      expect(defaultDataDir({}, path.join(empty, 'dist'))).toBe(path.join(empty, 'benchmarks'));
      expect(() => loadHumanEvalFix(empty)).toThrow(UserError);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('HumanEvalFix: 164 tasks, program = prompt + buggy_solution, test calls check(entry_point) once', () => {
    const tasks = loadHumanEvalFix(DATA);
    expect(tasks).toHaveLength(164);
    const t0 = tasks[0];
    expect(t0?.id).toBe('Python/0');
    expect(t0?.program).toContain('distance = elem - elem2');
    expect(t0?.reference).toContain('distance = abs(elem - elem2)');
    for (const t of tasks) {
      expect(t.test.match(new RegExp(`^check\\(${t.entryPoint}\\)`, 'gm')), t.id).toHaveLength(1);
      expect(t.test).toContain('import solution as _solution');
      expect(t.program).not.toBe(t.reference);
    }
    const types = new Map<string, number>();
    for (const t of tasks) types.set(t.bugType, (types.get(t.bugType) ?? 0) + 1);
    expect(Object.fromEntries(types)).toEqual({
      'value misuse': 44,
      'missing logic': 33,
      'excess logic': 31,
      'operator misuse': 25,
      'variable misuse': 23,
      'function misuse': 8,
    });
    expect(
      tasks
        .filter((t) => t.symptom !== 'incorrect output')
        .map((t) => t.id)
        .sort(),
    ).toEqual(['Python/10', 'Python/156', 'Python/44', 'Python/76']);
  });

  it('HumanEvalFix-Plus: the same programs, judged by the HumanEval+ check of the same number', () => {
    const base = loadHumanEvalFix(DATA);
    const plus = loadHumanEvalFixPlus(DATA);
    expect(plus).toHaveLength(164);
    plus.forEach((t, i) => {
      expect(t.program).toBe(base[i]?.program);
      expect(t.judge, t.id).toContain(`# HumanEval/${t.id.split('/')[1]}: HumanEval+ tests`);
      expect(t.judge).toMatch(new RegExp(`\\ncheck\\(${t.entryPoint}\\)\\n$`));
    });
    // The oracle answers with HumanEval+'s corrected solution (HumanEval's counts bools as ints).
    expect(plus[22]?.reference).not.toBe(base[22]?.reference);
    expect(plus[22]?.reference).toContain('def filter_integers');
  });
});
