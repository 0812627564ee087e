// Both engines must produce exactly the golden NExT text for every fixture.
// Regenerate after an intended change: UPDATE_GOLDEN=1 npx vitest run test/integration/trace/golden.test.ts
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderNext } from '../../../src/core/render/next';
import { recordTrace } from '../../../src/core/trace/record';
import type { RunTarget } from '../../../src/core/trace/options';
import { goldenFile } from '../../support/golden';
import { PROGRAMS } from '../../support/python';

const CASES: { name: string; target: RunTarget; stdin?: string }[] = [
  { name: 'loop', target: { kind: 'script', path: 'loop.py' } },
  { name: 'nested_calls', target: { kind: 'script', path: 'nested_calls.py' } },
  { name: 'recursion', target: { kind: 'script', path: 'recursion.py' } },
  { name: 'generator', target: { kind: 'script', path: 'generator.py' } },
  { name: 'comprehension', target: { kind: 'script', path: 'comprehension.py' } },
  { name: 'classes', target: { kind: 'script', path: 'classes.py' } },
  { name: 'mutable_default', target: { kind: 'script', path: 'mutable_default.py' } },
  { name: 'exceptions', target: { kind: 'script', path: 'exceptions.py' } },
  { name: 'unicode_values', target: { kind: 'script', path: 'unicode_values.py' } },
  { name: 'big_list', target: { kind: 'script', path: 'big_list.py' } },
  { name: 'reads_stdin', target: { kind: 'script', path: 'reads_stdin.py' }, stdin: 'a\nb\n' },
  { name: 'print_order', target: { kind: 'script', path: 'print_order.py' } },
  { name: 'pytest_stats', target: { kind: 'pytest', nodeId: 'tests/test_stats.py::test_mean' } },
  // Objects that refer to each other and objects shared between values: references, never a walk
  // around the cycle, and no change reported on a line that made none (`if len(md.refs):`).
  { name: 'cyclic', target: { kind: 'script', path: 'cyclic.py' } },
  // Generators closed and thrown into, async generators and coroutines: each frame leaves as it
  // really did, awaits are not yields, and nothing of the recorder's own appears.
  { name: 'suspend', target: { kind: 'script', path: 'suspend.py' } },
  // An object whose repr fails while its __init__ runs shows the attributes it has.
  { name: 'partial_init', target: { kind: 'script', path: 'partial_init.py' } },
];

describe.each(CASES)('golden NExT: $name', ({ name, target, stdin }) => {
  for (const engine of ['fast', 'step'] as const) {
    it(`${engine} engine`, async () => {
      // The stepping engine stops on every line: on pure-Python pydevd (3.12+) that takes a while.
      const trace = await recordTrace({
        target,
        cwd: PROGRAMS,
        engine,
        stdin,
        limits: { timeoutMs: 90_000 },
      });
      const golden = goldenFile(
        path.join(PROGRAMS, 'golden'),
        name,
        trace.interpreter.version,
        engine,
      );
      const text = renderNext(trace).text;
      if (process.env.UPDATE_GOLDEN && engine === 'fast') writeFileSync(golden, text);
      expect(existsSync(golden), `missing golden file ${golden}`).toBe(true);
      expect(text).toBe(readFileSync(golden, 'utf8'));
      expect(trace.engine).toBe(engine);
    });
  }
});
