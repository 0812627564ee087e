// The slice on real recordings: fixtures where the wrong value is made in a call that returned before
// the failure (through an attribute, a list under another name, a branch), 2–4 calls deep. Goldens
// of their NExT text and of their prompts at several budgets; the line that made the wrong value is
// there with its values at every budget, and the whole prompt keeps its budget.
// Regenerate the goldens after an intended change:
//   UPDATE_GOLDEN=1 npx vitest run test/integration/slice/slice.test.ts
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildFixPrompt } from '../../../src/core/fix/explainAndFix';
import { renderNext } from '../../../src/core/render/next';
import { countTokens } from '../../../src/core/render/tokens';
import type { Trace } from '../../../src/core/trace/model';
import { recordTrace } from '../../../src/core/trace/record';
import { ToolSession, TRACE_TOOLS } from '../../../src/core/tools';
import { goldenFile } from '../../support/golden';
import { PROGRAMS } from '../../support/python';

const DIR = path.join(PROGRAMS, 'slice');
const GOLDEN = path.join(DIR, 'golden');
const python = process.env.TRACEFIX_TEST_PYTHON ?? '/usr/bin/python3';

/** Each fixture, the line that makes the wrong value, and the name to ask `why` about at the end. */
const CASES = [
  { name: 'inventory', bug: 'self.qty = qty - 1 if qty > 1 else qty', ask: 'result', fn: 'report' },
  { name: 'aliasing', bug: 'out.append(0.0)', ask: 'count', fn: 'checkout' },
  { name: 'branch', bug: 'return "silver"', ask: '__exception__', fn: 'invoice' },
] as const;

function checkGolden(file: string, text: string): void {
  if (process.env.UPDATE_GOLDEN) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  expect(existsSync(file), `missing golden file ${file}`).toBe(true);
  expect(text).toBe(readFileSync(file, 'utf8'));
}

/** The line of source `src` as shown in a NExT text, with at least one `(k)` entry. */
function withValues(text: string, src: string): boolean {
  return text.split('\n').some((l) => l.trimStart().startsWith(src) && / {2}# .*\(\d+\)/.test(l));
}

describe.each(CASES)('slice/$name', (c) => {
  let trace: Trace;
  beforeAll(async () => {
    trace = await recordTrace({
      target: { kind: 'script', path: `${c.name}.py` },
      cwd: DIR,
      python,
    });
  }, 120_000);

  it('NExT text: the line that made the wrong value, with its values, at every budget', () => {
    expect(trace.outcome.status).toBe('exception');
    for (const budget of [300, 600, 1000, 2000, 6000]) {
      const r = renderNext(trace, { budget });
      expect(r.tokens).toBeLessThanOrEqual(budget);
      if (budget >= 1000) expect(withValues(r.text, c.bug), `${budget}:\n${r.text}`).toBe(true);
    }
    checkGolden(
      goldenFile(GOLDEN, `${c.name}.next-1000`, trace.interpreter.version),
      renderNext(trace, { budget: 1000 }).text,
    );
  });

  it('prompt: the whole prompt within the budget, the slice in its code and trace', async () => {
    for (const budget of [2000, 4000, 6000]) {
      const p = await buildFixPrompt({
        recordOptions: { target: { kind: 'script', path: `${c.name}.py` }, cwd: DIR, python },
        trace,
        budget,
        maxToolCalls: 8,
      });
      const tokens = p.messages.reduce((n, m) => n + countTokens(m.content) + 4, 0);
      expect(tokens, `budget ${budget}`).toBeLessThanOrEqual(budget);
      const user = p.messages[1]?.content ?? '';
      const traceText = user.slice(user.indexOf('## Execution trace'));
      expect(withValues(traceText, c.bug), `${budget}:\n${traceText}`).toBe(true);
      expect(user.slice(user.indexOf('## Code'), user.indexOf('## Execution trace'))).toContain(
        c.bug,
      );
      expect(user).toMatch(new RegExp(`^## Task\\nFunction under test: ${c.fn}\\(`, 'm'));
      // The traceback names the fixture by its absolute path: the checkout's, not the golden's.
      if (budget === 2000)
        checkGolden(
          goldenFile(GOLDEN, `${c.name}.prompt-2000`, trace.interpreter.version),
          // The budget left for the trace counts the traceback's paths, which depend on where the
          // repository is checked out: the number is not part of the golden.
          user
            .split(DIR)
            .join('<fixtures>')
            .replace(/within the \d+-token budget/, 'within the N-token budget'),
        );
    }
  });

  it('why: the chain from the failing value back to the line that made it', () => {
    const s = new ToolSession(trace, { tools: TRACE_TOOLS });
    const a = s.call('why', { name: c.ask, limit: 60, depth: 40 });
    expect(a.error, a.text).toBe(false);
    expect(a.text).toContain(c.bug);
  });
});
