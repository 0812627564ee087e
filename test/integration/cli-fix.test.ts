// `tracefix fix` as a real process (the CLI bundled with esbuild as scripts/build.mjs does), with
// real debugpy and the scripted OpenAI-protocol server on 127.0.0.1.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { nodeBundle } from '../../scripts/esbuild-options.mjs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  startOpenAIServer,
  steps,
  type OpenAIServer,
  type ScriptStep,
} from '../support/openaiServer';
import { NO_CODE, RIGHT_FIX, WRONG_FIX } from './fix/answers';

const ROOT = path.resolve(__dirname, '../..');
const FIXTURE = path.join(ROOT, 'test/fixtures/fix/average');
const ORIGINAL = readFileSync(path.join(FIXTURE, 'average.py'), 'utf8');
const TEST_ID = 'tests/test_average.py::test_average';
let buildDir: string;
let cli: string;
let user: string;
let server: OpenAIServer | undefined;

beforeAll(async () => {
  buildDir = mkdtempSync(path.join(os.tmpdir(), 'tfx-cli-build-'));
  cli = path.join(buildDir, 'cli.js');
  await esbuild.build({
    ...nodeBundle,
    absWorkingDir: ROOT,
    entryPoints: ['src/cli/main.ts'],
    outfile: cli,
  });
});
afterAll(() => rmSync(buildDir, { recursive: true, force: true }));

beforeEach(() => {
  user = path.join(mkdtempSync(path.join(os.tmpdir(), 'tfx-cli-fix-')), 'average');
  cpSync(FIXTURE, user, { recursive: true });
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  rmSync(path.dirname(user), { recursive: true, force: true });
});

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of ['OPENAI_API_KEY', 'TRACEFIX_BASE_URL', 'TRACEFIX_MODEL', 'TRACEFIX_DEBUG'])
    delete env[k];
  return { ...env, ...extra };
}

function tracefix(args: string[], env: Record<string, string>): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [cli, ...args], { cwd: user, env: cleanEnv(env) });
    let stdout = '';
    let stderr = '';
    p.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
    p.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function fix(
  script: ScriptStep[],
  args: string[],
  env: Record<string, string> = {},
): Promise<CliRun & { server: OpenAIServer }> {
  server = await startOpenAIServer(script);
  const r = await tracefix(['fix', ...args], { TRACEFIX_BASE_URL: server.url, ...env });
  return { ...r, server };
}

function userMessage(s: OpenAIServer, i: number): string {
  const body = s.completions()[i]?.body as
    { messages: { role: string; content: string }[] } | undefined;
  return body?.messages.find((m) => m.role === 'user')?.content ?? '';
}

const current = () => readFileSync(path.join(user, 'average.py'), 'utf8');
const hasBackup = () => existsSync(path.join(user, 'average.py.orig'));

describe('tracefix fix', () => {
  it('good answer: streams the rationale, prints the diff and "verified", exit 0; --apply writes the file and keeps .orig', async () => {
    const r = await fix([steps.answer(RIGHT_FIX)], ['--test', TEST_ID, '--apply'], {
      TRACEFIX_MODEL: 'my-model',
    });
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('returns 3.0 at step (8) because it divides by len(xs) + 1');
    expect(r.stdout).toContain('Summary: Divide by len(xs) instead of len(xs) + 1.');
    expect(r.stdout).toContain('--- a/average.py\n+++ b/average.py\n');
    expect(r.stdout).toContain('-    return total / (len(xs) + 1)\n+    return total / len(xs)\n');
    expect(r.stdout).toContain('verified: test passes\n');
    expect(r.stdout).toContain('applied: average.py');
    // The code block itself is not echoed: the diff shows the change.
    expect(r.stdout).not.toContain('```');
    expect(current()).toBe(ORIGINAL.replace('(len(xs) + 1)', 'len(xs)'));
    expect(readFileSync(path.join(user, 'average.py.orig'), 'utf8')).toBe(ORIGINAL);
    expect((r.server.completions()[0]?.body as { model: string }).model).toBe('my-model');
  });

  it('wrong fix first: round 2 prompt carries the trace of the patched program; --json result; --no-backup', async () => {
    const r = await fix(
      [steps.answer(WRONG_FIX), steps.answer(RIGHT_FIX)],
      ['--test', TEST_ID, '--json', '--apply', '--no-backup'],
    );
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      fixed: boolean;
      rounds: {
        verification: { passed: boolean; failure: string } | null;
        prompt: { role: string; content: string }[];
        patch: { diff: string } | null;
      }[];
      patch: { files: string[]; verified: boolean };
      applied: { path: string; backup: string | null }[];
    };
    expect(out.fixed).toBe(true);
    expect(out.rounds.map((x) => x.verification?.passed)).toEqual([false, true]);
    expect(out.rounds[0]?.verification?.failure).toBe(
      'FAILED tests/test_average.py::test_average - assert 3.4285714285714284 == 4',
    );
    expect(out.patch).toEqual({
      diff: expect.stringContaining('+    return total / len(xs)') as string,
      files: ['average.py'],
      verified: true,
    });
    expect(out.applied).toEqual([{ path: 'average.py', backup: null }]);
    expect(r.server.completions()).toHaveLength(2);
    const second = userMessage(r.server, 1);
    expect(second).toMatch(
      /Trace of the patched run:\n```python\n[\s\S]*return total \/ \(len\(xs\) \+ 0\.5\) {2}# \(8\) __return__=3\.4285714285714284/,
    );
    expect(out.rounds[1]?.prompt.find((m) => m.role === 'user')?.content).toBe(second);
    expect(current()).toContain('return total / len(xs)');
    expect(hasBackup()).toBe(false);
  });

  it('garbage answers: not fixed, exit 1, nothing written even with --apply', async () => {
    const r = await fix(
      [steps.answer(NO_CODE), steps.answer('```\nnot python at all {{{\n```\n')],
      ['--test', TEST_ID, '--rounds', '2', '--apply'],
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/not verified: the answer has no usable code/);
    expect(r.stderr).toContain('not applied: no verified fix');
    expect(current()).toBe(ORIGINAL);
    expect(hasBackup()).toBe(false);
  });

  it('a stream that breaks off: "model answer incomplete", exit 2, nothing written', async () => {
    const r = await fix([steps.truncated(RIGHT_FIX, 200)], ['--test', TEST_ID, '--apply']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/tracefix: model answer incomplete: /);
    expect(current()).toBe(ORIGINAL);
    expect(hasBackup()).toBe(false);
  });

  it('401 from the endpoint: exit 2 with a message naming the key to set', async () => {
    server = await startOpenAIServer({ steps: [], apiKey: 'sk-right' });
    const r = await tracefix(['fix', 'average.py'], {
      TRACEFIX_BASE_URL: server.url,
      OPENAI_API_KEY: 'sk-wrong',
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/rejected the credentials \(HTTP 401\)/);
    expect(r.stderr).toContain('OPENAI_API_KEY');
    expect(current()).toBe(ORIGINAL);
  });

  it('no key and no base URL: exit 2 saying how to configure, before tracing', async () => {
    const r = await tracefix(['fix', 'average.py'], {});
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /No model configured: set OPENAI_API_KEY .* --base-url URL or TRACEFIX_BASE_URL/,
    );
    expect(r.stderr).not.toContain('tracing');
  });

  it('--show-prompt prints exactly what was sent; --no-trace leaves the trace out', async () => {
    const r = await fix([steps.answer(RIGHT_FIX)], ['average.py', '--show-prompt', '--no-trace']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('verified: `python average.py` exits 0');
    const sent = userMessage(r.server, 0);
    expect(r.stdout).toContain(
      `----- user -----\n${sent.replace(/\n+$/, '')}\n===== end of prompt =====`,
    );
    expect(sent).toContain('AssertionError: expected 4, got 3.0');
    expect(sent).not.toContain('__return__');
    expect(current()).toBe(ORIGINAL);
  });

  it('--prompt-only prints the round-1 prompt without a model configured', async () => {
    server = await startOpenAIServer([steps.answer(RIGHT_FIX)]);
    const shown = await tracefix(['fix', '--test', TEST_ID, '--prompt-only'], {});
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^===== prompt \(round 1\) =====\n----- system -----\n/);
    expect(shown.stdout).toContain('return total / (len(xs) + 1)  # (8) __return__=3.0');
    // The same prompt as a real round 1 sends.
    const real = await tracefix(['fix', '--test', TEST_ID], { TRACEFIX_BASE_URL: server.url });
    expect(real.code).toBe(0);
    // pytest's summary line carries the wall time of each run ("1 failed in 0.07s").
    const timeless = (s: string) => s.replace(/ in \d+(\.\d+)?s\b/g, ' in Ns');
    expect(timeless(shown.stdout)).toContain(
      timeless(
        `----- user -----\n${userMessage(server, 0).replace(/\n+$/, '')}\n===== end of prompt =====`,
      ),
    );
  });

  it('bad arguments exit 2; fix --help exits 0', async () => {
    const help = await tracefix(['fix', '--help'], {});
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: tracefix fix');
    const bad = await tracefix(['fix', 'average.py', '--rounds', '0'], {
      TRACEFIX_BASE_URL: 'http://127.0.0.1:9/v1',
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      'tracefix: --rounds must be a whole number of rounds from 1 to 10 (got 0).\n',
    );
  });
});
