// Explain & Fix compared with a passing run at HEAD: a git repository made at test time whose
// uncommitted work broke a helper two calls deep; the real recorder records both runs, the prompt
// carries the First divergence section, the model (the scripted OpenAI-protocol server) asks
// compare_runs and the passing run's history, and its fix is verified.
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explainAndFix, type FixEvent } from '../../../src/core/fix';
import { createOpenAIProvider } from '../../../src/core/model/client/openaiProvider';
import { startOpenAIServer, steps, type OpenAIServer } from '../../support/openaiServer';
import { edit, FMT, makeRepo, withRegression } from './gitRepo';

let tmp: string;
let server: OpenAIServer | undefined;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'tfx-fix-base-'));
});
afterAll(async () => {
  await server?.close();
  rmSync(tmp, { recursive: true, force: true });
});

type Msg = { role: string; content: string | null; tool_call_id?: string };
type Body = { messages: Msg[]; tools?: { function: { name: string } }[] };

const FIX = `Step (5) adds one to i: the passing run at HEAD has no such step, and from there on the helper returns 2 instead of 3.

Summary: Remove the extra increment of i in _afterpoint.

\`\`\`python fmt.py
def _afterpoint(s):
    i = s.find('.')
    return len(s) - i - 1
\`\`\`
`;

describe('Explain & Fix with a passing run at HEAD', () => {
  it('shows the first divergence, answers compare_runs and the passing run, verifies the fix', async () => {
    const dir = path.join(tmp, 'repo');
    makeRepo(dir);
    edit(dir, 'fmt.py', withRegression);
    server = await startOpenAIServer([
      steps.tools([
        { name: 'compare_runs', arguments: { limit: 2 } },
        { name: 'variable_history', arguments: { name: 'i', run: 'passing' } },
      ]),
      steps.answer(FIX),
    ]);
    const events: FixEvent[] = [];
    const result = await explainAndFix({
      recordOptions: {
        target: { kind: 'pytest', nodeId: 'test_fmt.py::test_format' },
        cwd: dir,
        python: '/usr/bin/python3',
      },
      provider: createOpenAIProvider({
        model: 'test-model',
        baseURL: server.url,
        apiKey: '',
        retry: { maxRetries: 0 },
      }),
      baseline: { kind: 'git', ref: 'HEAD' },
      maxRounds: 1,
      onEvent: (e) => events.push(e),
    });
    expect(result.fixed).toBe(true);
    expect(result.comparison?.description).toMatch(
      /^the same test at HEAD \([0-9a-f]{7}\), where it passes$/,
    );
    expect(result.comparison?.result.divergences[0]?.a?.source).toBe('i = i + 1');
    const done = events.find((e) => e.type === 'baseline-done');
    expect(done && done.type === 'baseline-done' && done.baseline?.labels.bShort).toBe('at HEAD');
    expect(
      events.some(
        (e) =>
          e.type === 'baseline-progress' &&
          /^recording test_fmt.py::test_format at HEAD/.test(e.text),
      ),
    ).toBe(true);

    const bodies = server.completions().map((r) => r.body as Body);
    expect(bodies[0]?.tools?.map((t) => t.function.name)).toContain('compare_runs');
    const user = bodies[0]?.messages.find((m) => m.role === 'user')?.content ?? '';
    expect(user).toContain('## First divergence from a passing run');
    expect(user).toContain('w: 2 (now) vs 3 (at HEAD)');
    const answers = bodies[1]!.messages
      .filter((m) => m.role === 'tool')
      .map((m) => m.content ?? '');
    expect(answers[0]).toContain('First divergence:');
    expect(answers[0]).toContain('only the failing run took it');
    expect(answers[0]).toContain('+    i = i + 1');
    // The passing run's own history of i: found, then returned, without the increment.
    expect(answers[1]).toMatch(/i=1/);
    expect(answers[1]).not.toMatch(/i=2/);
    // The fix restores HEAD's helper.
    expect(result.patch?.files[0]?.newText).toBe(FMT);
  });
});
