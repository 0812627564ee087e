// The slice on real libraries (the shared suite of test/support/realLibraries.ts: a library from the
// package index, an injected bug whose wrong value is made in a call that returned before the test
// failed): the round-1 prompt, with default options, holds the buggy function's lines with their
// values in its trace and the function in its code. One library per way the wrong value travels.
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { buildFixPrompt } from '../../../src/core/fix/explainAndFix';
import { countTokens } from '../../../src/core/render/tokens';
import { REAL_LIBRARIES } from '../../support/realLibraries';
import { buildLibrary, promptShowsBug, type BuiltCase } from '../../support/sliceCases';

const python = process.env.TRACEFIX_TEST_PYTHON ?? '/usr/bin/python3';
const made: BuiltCase[] = [];
afterAll(() => {
  for (const b of made) rmSync(b.root, { recursive: true, force: true });
});

/** Library id → how its wrong value reaches the failure. */
const KINDS: Record<string, string> = {
  tabulate: 'a value returned by a helper, used by its caller',
  dateutil: 'an attribute written in one method, read in another',
  sortedcontainers: 'a container filled across calls, a branch in a loop',
  networkx: 'a function passed on as an argument and called later',
};

describe.each(Object.keys(KINDS))('real library %s', (id) => {
  it(`the prompt shows the buggy function with its values (${KINDS[id]})`, async () => {
    const lib = REAL_LIBRARIES.find((l) => l.id === id);
    expect(lib, id).toBeDefined();
    const b = buildLibrary(lib!);
    made.push(b);
    const p = await buildFixPrompt({
      recordOptions: {
        target: { kind: 'pytest', nodeId: b.nodeId },
        cwd: b.root,
        python,
        limits: { timeoutMs: 180_000 },
      },
      maxToolCalls: 8,
    });
    const user = p.messages[1]?.content ?? '';
    const check = promptShowsBug(user, b);
    expect(check.functionWithValues, user).toBe(true);
    expect(check.inCode).toBe(true);
    const tokens = p.messages.reduce((n, m) => n + countTokens(m.content) + 4, 0);
    expect(tokens).toBeLessThanOrEqual(12_000);
  }, 300_000);
});
