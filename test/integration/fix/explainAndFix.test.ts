// The explain-and-fix loop in-process: real debugpy traces, the real OpenAI client against the
// scripted server on 127.0.0.1, real verification runs.
import {
  cpSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors';
import { explainAndFix, type FixEvent } from '../../../src/core/fix';
import { createOpenAIProvider } from '../../../src/core/model/client/openaiProvider';
import type { RecordOptions } from '../../../src/core/trace/options';
import { recordTrace } from '../../../src/core/trace/record';
import {
  startOpenAIServer,
  steps,
  type OpenAIServer,
  type ScriptStep,
} from '../../support/openaiServer';
import { NO_CODE, RIGHT_FIX, WRONG_FIX } from './answers';

const FIXTURE = path.resolve(__dirname, '../../fixtures/fix/average');
let user: string;
let server: OpenAIServer | undefined;

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile())
      out[path.relative(dir, path.join(e.parentPath, e.name))] = readFileSync(
        path.join(e.parentPath, e.name),
        'utf8',
      );
  }
  return out;
}

beforeEach(() => {
  user = path.join(mkdtempSync(path.join(os.tmpdir(), 'tfx-fix-')), 'average');
  cpSync(FIXTURE, user, { recursive: true });
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  rmSync(path.dirname(user), { recursive: true, force: true });
});

async function run(
  script: ScriptStep[],
  rec: Partial<RecordOptions> = {},
  extra: { maxRounds?: number; useTrace?: boolean; allowTestEdits?: boolean } = {},
) {
  server = await startOpenAIServer(script);
  const provider = createOpenAIProvider({
    model: 'test-model',
    baseURL: server.url,
    apiKey: '',
    retry: { maxRetries: 0 },
  });
  const events: FixEvent[] = [];
  const recordOptions: RecordOptions = {
    target: { kind: 'pytest', nodeId: 'tests/test_average.py::test_average' },
    cwd: user,
    ...rec,
  };
  const result = await explainAndFix({
    recordOptions,
    provider,
    onEvent: (e) => events.push(e),
    ...extra,
  });
  return { result, events, server };
}

function userMessage(s: OpenAIServer, i: number): string {
  const body = s.completions()[i]?.body as
    { messages: { role: string; content: string }[] } | undefined;
  return body?.messages.find((m) => m.role === 'user')?.content ?? '';
}

describe('explainAndFix', () => {
  it('a good answer is verified in one round; events in order; the user tree is untouched', async () => {
    const before = snapshot(user);
    const { result, events, server: s } = await run([steps.answer(RIGHT_FIX, { chunkSize: 5 })]);
    expect(result.fixed).toBe(true);
    expect(result.rounds).toHaveLength(1);
    const r = result.rounds[0]!;
    expect(r.state).toBe('ok');
    expect(r.summary).toBe('Divide by len(xs) instead of len(xs) + 1.');
    expect(r.steps).toEqual([7, 8]);
    expect(r.verification).toMatchObject({ passed: true, exitCode: 0, failure: '' });
    expect(r.patch?.diff).toContain('+    return total / len(xs)');
    expect(result.patch).toBe(r.patch);
    expect(result.failure).toMatch(/assert 3\.0 == 4/);
    // What the round records as its prompt is exactly what was sent.
    expect((s.completions()[0]?.body as { messages: unknown }).messages).toEqual(r.prompt);
    expect(userMessage(s, 0)).toContain('return total / (len(xs) + 1)  # (8) __return__=3.0');
    const types = events
      .map((e) => e.type)
      .filter((t, i, a) => t !== 'rationale-delta' || a[i - 1] !== 'rationale-delta');
    expect(types).toEqual([
      'trace-start',
      'trace-done',
      'model-start',
      'rationale-delta',
      'answer',
      'verify-start',
      'verify-done',
      'round-done',
    ]);
    const streamed = events.flatMap((e) => (e.type === 'rationale-delta' ? [e.text] : [])).join('');
    expect(streamed).toBe(RIGHT_FIX.slice(0, RIGHT_FIX.indexOf('```')));
    expect(snapshot(user)).toEqual(before);
  });

  it('a wrong fix fails verification; round 2 traces the patched program and its prompt carries that trace and the failure', async () => {
    const {
      result,
      events,
      server: s,
    } = await run([steps.answer(WRONG_FIX), steps.answer(RIGHT_FIX)]);
    expect(result.fixed).toBe(true);
    expect(result.rounds.map((r) => r.verification?.passed)).toEqual([false, true]);
    expect(result.rounds[0]?.failure).toBe(
      'FAILED tests/test_average.py::test_average - assert 3.4285714285714284 == 4',
    );
    expect(
      events
        .filter((e) => e.type === 'trace-start')
        .map((e) => e.type === 'trace-start' && e.patched),
    ).toEqual([false, true]);
    const second = userMessage(s, 1);
    expect(second).toContain('## Earlier attempts that did not fix it');
    expect(second).toContain('+    return total / (len(xs) + 0.5)');
    expect(second).toContain('assert 3.4285714285714284 == 4');
    // The NExT trace of the PATCHED run: the patched line with the value it produced.
    expect(second).toMatch(
      /Trace of the patched run:\n```python\n[\s\S]*return total \/ \(len\(xs\) \+ 0\.5\) {2}# \(8\) __return__=3\.4285714285714284/,
    );
    // The original trace is still there, and the prompt names no temporary paths.
    expect(second).toContain('return total / (len(xs) + 1)  # (8) __return__=3.0');
    expect(second).not.toContain('tracefix-verify-');
    expect(userMessage(s, 0)).not.toContain('Earlier attempts');
  });

  it('a patch that breaks the syntax: verification fails, the patched run cannot be traced, round 2 still happens', async () => {
    const broken = RIGHT_FIX.replace('return total / len(xs)', 'return total / len(xs]').replace(
      'Summary: Divide by',
      'Summary: Also divide by',
    );
    const {
      result,
      events,
      server: s,
    } = await run([steps.answer(broken), steps.answer(RIGHT_FIX)], {
      target: { kind: 'script', path: 'average.py' },
    });
    expect(result.fixed).toBe(true);
    expect(result.rounds[0]?.verification?.passed).toBe(false);
    expect(result.rounds[0]?.failure).toBe(
      "SyntaxError: closing parenthesis ']' does not match opening parenthesis '('",
    );
    const failed = events.find((e) => e.type === 'trace-failed');
    expect(failed?.type === 'trace-failed' ? failed.message : '').toMatch(
      /average\.py:6: SyntaxError/,
    );
    const second = userMessage(s, 1);
    expect(second).toContain('Also divide by');
    expect(second).not.toContain('Trace of the patched run');
    // The failure quotes the user's path, not the temporary copy.
    expect(second).toContain(`File "${realpathSync(user)}/average.py", line 6`);
    expect(second).not.toContain('tracefix-verify-');
  });

  it('answers without usable code use up the rounds: not fixed, no patch, the next prompt says why', async () => {
    const { result, server: s } = await run(
      [steps.answer(NO_CODE), steps.answer(NO_CODE)],
      {},
      { maxRounds: 2 },
    );
    expect(result.fixed).toBe(false);
    expect(result.patch).toBeNull();
    expect(result.rounds.map((r) => [r.state, r.verification])).toEqual([
      ['no-code', null],
      ['no-code', null],
    ]);
    expect(result.rounds[0]?.failure).toMatch(/^the answer has no usable code/);
    expect(userMessage(s, 1)).toContain('No change could be taken from the answer.');
  });

  it('an answer cut by the token limit is incomplete: no patch is taken from it', async () => {
    const { result } = await run(
      [
        steps.answer(RIGHT_FIX.slice(0, RIGHT_FIX.indexOf('    return total')), {
          finishReason: 'length',
        }),
      ],
      {},
      { maxRounds: 1 },
    );
    expect(result.fixed).toBe(false);
    expect(result.rounds[0]).toMatchObject({
      state: 'incomplete',
      patch: null,
      verification: null,
    });
    expect(result.rounds[0]?.failure).toMatch(/^model answer incomplete/);
  });

  it("a stream that breaks off rejects with the model layer's UserError", async () => {
    const err = await run([steps.truncated(RIGHT_FIX, 120)]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).code).toBe('model-incomplete');
  });

  it('--no-trace ablation: no trace in the prompt and the failed patch is not traced', async () => {
    const {
      result,
      events,
      server: s,
    } = await run([steps.answer(WRONG_FIX), steps.answer(RIGHT_FIX)], {}, { useTrace: false });
    expect(result.fixed).toBe(true);
    for (const i of [0, 1]) {
      expect(userMessage(s, i)).not.toContain('NExT');
      expect(userMessage(s, i)).not.toContain('__return__');
    }
    expect(userMessage(s, 1)).toContain('assert 3.4285714285714284 == 4');
    expect(events.filter((e) => e.type === 'trace-start')).toHaveLength(1);
  });

  it('a script target: verified when it runs to its end, task from the function the failure points at', async () => {
    const { result, server: s } = await run([steps.answer(RIGHT_FIX)], {
      target: { kind: 'script', path: 'average.py' },
    });
    expect(result.fixed).toBe(true);
    expect(result.command).toBe('python average.py');
    expect(result.failure).toBe('AssertionError: expected 4, got 3.0');
    expect(userMessage(s, 0)).toContain('Function under test: average(xs) (average.py)');
  });

  it('uses a trace recorded beforehand (as the editor passes it) instead of recording again', async () => {
    const recordOptions: RecordOptions = {
      target: { kind: 'pytest', nodeId: 'tests/test_average.py::test_average' },
      cwd: user,
    };
    const trace = await recordTrace(recordOptions);
    server = await startOpenAIServer([steps.answer(RIGHT_FIX)]);
    const provider = createOpenAIProvider({
      model: 'test-model',
      baseURL: server.url,
      apiKey: '',
      retry: { maxRetries: 0 },
    });
    const events: FixEvent[] = [];
    const result = await explainAndFix({
      recordOptions,
      provider,
      trace,
      onEvent: (e) => events.push(e),
    });
    expect(result.fixed).toBe(true);
    expect(result.trace).toBe(trace);
    expect(events[0]?.type).toBe('trace-done');
    expect(events.some((e) => e.type === 'trace-start')).toBe(false);
  });

  it('a patch that edits the failing test is neither verified nor offered; round 2 is told to leave the tests alone', async () => {
    const cheat =
      '```python tests/test_average.py\ndef test_average():\n    assert average([2, 4, 6]) == 3\n```\n';
    const { result, events } = await run(
      [
        steps.answer(`The test expects the wrong value.\nSummary: expect 3.\n\n${cheat}`),
        steps.answer(RIGHT_FIX),
      ],
      {},
      { maxRounds: 2 },
    );
    const first = result.rounds[0];
    expect(first?.changesTests).toEqual(['tests/test_average.py']);
    expect(first?.verification).toBeNull();
    expect(first?.failure).toBe(
      'changes the tests (tests/test_average.py), so it is neither verified nor offered as the fix',
    );
    expect(events.filter((e) => e.type === 'verify-start').map((e) => e.round)).toEqual([2]);
    // The test-editing patch is not run at all, so round 2 has no trace of it either.
    expect(events.some((e) => e.type === 'trace-start' && e.patched)).toBe(false);
    expect(userMessage(server!, 1)).toContain(
      'The patch changed the tests (tests/test_average.py), which is not allowed',
    );
    expect(result.fixed).toBe(true);
    expect(result.patch?.files.map((f) => f.path)).toEqual(['average.py']);
  });

  it('with allowTestEdits the same patch is verified like any other', async () => {
    const cheat =
      '```python tests/test_average.py\ndef test_average():\n    assert average([2, 4, 6]) == 3\n```\n';
    const { result } = await run(
      [steps.answer(`The test expects the wrong value.\nSummary: expect 3.\n\n${cheat}`)],
      {},
      { maxRounds: 1, allowTestEdits: true },
    );
    expect(result.rounds[0]?.changesTests).toEqual(['tests/test_average.py']);
    expect(result.rounds[0]?.verification?.passed).toBe(true);
    expect(result.fixed).toBe(true);
  });

  it('refuses to "fix" a run that already passes, before asking the model', async () => {
    writeFileSync(
      path.join(user, 'fine.py'),
      'from average import average\nprint(average([]) if False else "fine")\n',
    );
    const err = await run([], { target: { kind: 'script', path: 'fine.py' } }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toMatch(/^Nothing to fix: `python fine.py` passes/);
    expect(server?.completions()).toHaveLength(0);
  });
});
