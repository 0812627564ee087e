// The model/patch core end to end: prompt → real `openai` client → scripted server → parse →
// hunks → file written → the fixed program checked by real Python.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { createOpenAIProvider } from '../../../src/core/model/client/openaiProvider';
import { parseAnswer } from '../../../src/core/model/answer/parse';
import { extractTask } from '../../../src/core/fix/task';
import { buildPrompt } from '../../../src/core/model/prompt';
import { writePatchedFile } from '../../../src/core/patch/applyFile';
import { hashText } from '../../../src/core/patch/guard';
import { diffFile } from '../../../src/core/patch/hunks';
import { startOpenAIServer, steps, type OpenAIServer } from '../../support/openaiServer';

const PYTHON = '/usr/bin/python3';

const stats = `API_TOKEN = "ghp_${'Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8Qr9St0Uv1Wx2'}"


def median(xs):
    """Return the median of a non-empty list (the mean of the middle two for an even count)."""
    xs = sorted(xs)
    mid = len(xs) // 2
    return xs[mid]
`;

const testFile = `from stats import median


def test_median_even():
    assert median([4, 1, 3, 2]) == 2.5
`;

const trace = `def median(xs):
    xs = sorted(xs)  # (1) xs=[1, 2, 3, 4]
    mid = len(xs) // 2  # (2) mid=2
    return xs[mid]  # (3) __return__=3`;

const answer = `At (1) the list is sorted to [1, 2, 3, 4] and at (2) mid=2. Step (3) returns xs[2]=3, but for an even count the task expects the mean of xs[1] and xs[2], 2.5. The divergence is at (3).

Summary: return the mean of the two middle values when the count is even.

\`\`\`python stats.py
def median(xs):
    """Return the median of a non-empty list (the mean of the middle two for an even count)."""
    xs = sorted(xs)
    mid = len(xs) // 2
    if len(xs) % 2 == 0:
        return (xs[mid - 1] + xs[mid]) / 2
    return xs[mid]
\`\`\`
`;

let server: OpenAIServer | undefined;
let dir: string | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

function input() {
  const files = [{ path: 'stats.py', text: stats }];
  return {
    task: extractTask({
      files: [...files, { path: 'test_stats.py', text: testFile }],
      testName: 'test_stats.py::test_median_even',
    }),
    files,
    command: 'python -m pytest test_stats.py::test_median_even',
    error: 'assert 3 == 2.5',
    nextTrace: trace,
  };
}

describe('explain and fix through the model core', () => {
  it('redacts the prompt, streams the answer, and the parsed patch makes the test pass', async () => {
    server = await startOpenAIServer([
      steps.rateLimited(0),
      steps.answer(answer, { chunkSize: 16 }),
    ]);
    const provider = createOpenAIProvider({
      model: 'test-model',
      baseURL: server.url,
      retry: { baseDelayMs: 1 },
    });
    const { request, redactions } = buildPrompt(input(), { maxTokens: 2000, temperature: 0 });
    expect(redactions).toBe(1);

    let streamed = '';
    const result = await provider.complete(request, { onDelta: (d) => (streamed += d) });
    expect(result.finishReason).toBe('stop');
    expect(streamed).toBe(answer);

    // What left the machine: the task and trace are there, the token is not.
    const sent = JSON.stringify(server.completions().at(-1)?.body);
    expect(sent).toContain('Failing test: test_median_even');
    expect(sent).toContain('assert median([4, 1, 3, 2]) == 2.5');
    expect(sent).toContain('# (2) mid=2');
    expect(sent).not.toContain('ghp_');
    expect(sent).toContain('API_TOKEN = \\"<redacted>\\"');

    const parsed = parseAnswer(result.text, [{ path: 'stats.py', text: stats }], {
      finishReason: result.finishReason,
      maxStep: 3,
    });
    expect(parsed.state).toBe('ok');
    expect(parsed.steps).toEqual([1, 2, 3]);
    expect(parsed.summary).toBe('return the mean of the two middle values when the count is even.');
    const newText = parsed.files?.[0]?.newText ?? '';
    // The real token survives in the patched file (the model never saw it).
    expect(newText).toContain('ghp_Ab1Cd2');

    const patch = diffFile('stats.py', stats, newText);
    expect(patch.hunks).toHaveLength(1);
    expect(patch.hunks[0]).toMatchObject({ startLine: 7, endLine: 7 });
    expect(patch.unifiedDiff).toContain('+        return (xs[mid - 1] + xs[mid]) / 2');

    dir = await mkdtemp(path.join(tmpdir(), 'tracefix-fix-'));
    await writeFile(path.join(dir, 'stats.py'), stats);
    await writeFile(path.join(dir, 'test_stats.py'), testFile);
    const run = (): Promise<{ stdout: string }> =>
      promisify(execFile)(
        PYTHON,
        ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', 'test_stats.py'],
        { cwd: dir },
      );
    await expect(run()).rejects.toMatchObject({ code: 1 });
    const written = await writePatchedFile(path.join(dir, 'stats.py'), newText, {
      expectedHash: hashText(stats),
    });
    expect(written.changed).toBe(true);
    expect(await readFile(path.join(dir, 'stats.py.orig'), 'utf8')).toBe(stats);
    const passed = await run();
    expect(passed.stdout).toMatch(/1 passed/);
  });

  it('a cut-off answer (finish_reason length) gives rationale but no code', async () => {
    server = await startOpenAIServer([
      steps.answer(answer.slice(0, answer.indexOf('    if len')), { finishReason: 'length' }),
    ]);
    const provider = createOpenAIProvider({ model: 'test-model', baseURL: server.url });
    const result = await provider.complete(buildPrompt(input()).request);
    expect(result.finishReason).toBe('length');
    const parsed = parseAnswer(result.text, [{ path: 'stats.py', text: stats }], {
      finishReason: result.finishReason,
    });
    expect(parsed.state).toBe('incomplete');
    expect(parsed.files).toBeNull();
    expect(parsed.rationale).toContain('The divergence is at (3).');
  });

  it('an answer with no usable code is reported as such', async () => {
    server = await startOpenAIServer([
      steps.answer('¯\\_(ツ)_/¯ maybe try turning it off and on again?'),
    ]);
    const provider = createOpenAIProvider({
      model: 'test-model',
      baseURL: server.url,
      stream: false,
    });
    const result = await provider.complete(buildPrompt(input()).request);
    const parsed = parseAnswer(result.text, [{ path: 'stats.py', text: stats }], {
      finishReason: result.finishReason,
    });
    expect(parsed.state).toBe('no-code');
    expect(parsed.files).toBeNull();
  });
});
