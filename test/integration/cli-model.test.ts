// `tracefix fix` end to end against model faults on the loopback OpenAI-protocol server: an endless
// trickle stream, an HTML page where the API should be, a 5 MB answer, a server without /models, a
// base URL nothing listens on — each ends in bounded time with one clear line and nothing written —
// plus max_tokens and which key goes to which endpoint.
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  startOpenAIServer,
  steps,
  type OpenAIServer,
  type ScriptStep,
  type OpenAIServerOptions,
} from '../support/openaiServer';
import { buildCli, runCli, ROOT, type CliRun } from './cliRun';
import { modelConfig } from '../../src/cli/fixModel';
import { RIGHT_FIX } from './fix/answers';

const FIXTURE = path.join(ROOT, 'test/fixtures/fix/average');
const ORIGINAL = readFileSync(path.join(FIXTURE, 'average.py'), 'utf8');
const TEST_ID = 'tests/test_average.py::test_average';
let cli: { cli: string; dispose: () => void };
let user: string;
let server: OpenAIServer | undefined;

beforeAll(async () => {
  cli = await buildCli();
});
afterAll(() => cli.dispose());
beforeEach(() => {
  user = path.join(mkdtempSync(path.join(os.tmpdir(), 'tfx-cli-model-')), 'average');
  cpSync(FIXTURE, user, { recursive: true });
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  rmSync(path.dirname(user), { recursive: true, force: true });
});

async function fix(
  script: ScriptStep[] | OpenAIServerOptions,
  args: string[],
  env: Record<string, string> = {},
): Promise<CliRun & { server: OpenAIServer }> {
  server = await startOpenAIServer(script);
  const r = await runCli(cli.cli, ['fix', '--test', TEST_ID, '--no-sandbox', ...args], user, {
    TRACEFIX_BASE_URL: server.url,
    ...env,
  });
  return { ...r, server };
}

/** The one `tracefix: …` error line (progress lines aside). */
function errorLine(stderr: string): string {
  const lines = stderr
    .split('\n')
    .filter(
      (l) => l.startsWith('tracefix: ') && !/tracing|recorded|asking|verifying|note:/.test(l),
    );
  expect(lines, stderr).toHaveLength(1);
  return lines[0] ?? '';
}

function untouched(): void {
  expect(readFileSync(path.join(user, 'average.py'), 'utf8')).toBe(ORIGINAL);
  expect(readdirSync(user).sort()).toEqual(['average.py', 'tests']);
}

describe('tracefix fix: model faults end in bounded time with one clear line', () => {
  it('a stream that sends "." every 2 s forever stops at --model-timeout', async () => {
    const r = await fix([steps.trickle('.', 2000)], ['--model-timeout', '5', '--apply']);
    expect(r.code).toBe(2);
    expect(errorLine(r.stderr)).toMatch(
      /^tracefix: The model endpoint http:\/\/127\.0\.0\.1:\d+\/v1 did not finish its answer within 5 s \(\d+ characters had arrived\)\. Try again, raise --model-timeout SECONDS \(now 5\), or use a faster model\.$/,
    );
    expect(r.stderr).not.toMatch(/Maximum call stack|internal error/);
    untouched();
  });

  it('a web page where the API should be: "not an OpenAI-compatible endpoint", before tracing', async () => {
    const r = await fix({ modelsRoute: 'html', steps: [steps.html()] }, []);
    expect(r.code).toBe(2);
    const line = errorLine(r.stderr);
    expect(line).toContain(
      `${r.server.url} is not an OpenAI-compatible endpoint: it answered with text/html`,
    );
    expect(line).toMatch(/usually ending in \/v1/);
    expect(r.stderr).not.toContain('tracing');
    expect(r.server.completions()).toHaveLength(0);
  });

  it('an HTML 200 to the chat request itself (after a good /models) is the same clear line, not "broke off after 0 characters"', async () => {
    const r = await fix([steps.html()], ['--apply']);
    expect(r.code).toBe(2);
    expect(errorLine(r.stderr)).toContain(
      `${r.server.url} is not an OpenAI-compatible endpoint: it answered with text/html`,
    );
    expect(r.stderr).not.toMatch(/broke off/);
    untouched();
  });

  it('a 5 MB code block is cut off with one line, never a stack overflow', async () => {
    const huge = `Summary: x\n\n\`\`\`python average.py\ndef average(xs):\n${'    x = 1\n'.repeat(500_000)}    return 1\n\`\`\`\n`;
    const r = await fix([steps.answer(huge, { chunkSize: 64 * 1024 })], ['--apply']);
    expect(r.code).toBe(2);
    expect(errorLine(r.stderr)).toMatch(
      /^tracefix: The answer from http:\/\/127\.0\.0\.1:\d+\/v1 grew past 200,000 characters, far beyond the 8192 tokens asked for; it was cut off and not used\./,
    );
    expect(r.stderr).not.toMatch(/Maximum call stack|internal error/);
    untouched();
  });

  it('a server without GET /models is not rejected for that: the empty chat probe shows it is an API, and the fix goes through', async () => {
    const r = await fix({ modelsRoute: 'missing', steps: [steps.answer(RIGHT_FIX)] }, []);
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('verified: test passes');
    const paths = r.server.requests.map((q) => `${q.method} ${q.path}`);
    expect(paths.slice(0, 2)).toEqual(['GET /v1/models', 'POST /v1/chat/completions']);
    expect(r.server.completions()).toHaveLength(1);
  });

  it('nothing listening at the base URL: one line before tracing', async () => {
    const s = await startOpenAIServer([]);
    const url = s.url;
    await s.close();
    const r = await runCli(cli.cli, ['fix', '--test', TEST_ID], user, { TRACEFIX_BASE_URL: url });
    expect(r.code).toBe(2);
    expect(errorLine(r.stderr)).toBe(
      `tracefix: Could not connect to the model endpoint ${url} (connection refused). Check the base URL and that the server is running.`,
    );
    expect(r.stderr).not.toContain('tracing');
  });

  it("a wrong model name on a server that lists models is a note, and the server's own 404 is the error", async () => {
    const r = await fix({ models: ['llama3'], steps: [steps.modelNotFound('gpt-x')] }, [
      '--model',
      'gpt-x',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('tracefix: note: model "gpt-x" is not among the 1 models');
    expect(errorLine(r.stderr)).toMatch(/Model "gpt-x" was not found/);
  });
});

describe('tracefix fix: request limits and keys', () => {
  it('max_tokens is always sent (8192, or --max-tokens); OPENAI_API_KEY never goes to another endpoint, TRACEFIX_API_KEY does', async () => {
    const r = await fix([steps.answer(RIGHT_FIX)], ['--max-tokens', '1000'], {
      OPENAI_API_KEY: 'sk-openai-only-0123456789abcdef',
      TRACEFIX_API_KEY: 'local-key-0123456789',
    });
    expect(r.code).toBe(0);
    const req = r.server.completions()[0];
    expect((req?.body as { max_tokens?: number }).max_tokens).toBe(1000);
    for (const q of r.server.requests) {
      expect(q.headers.authorization).toBe('Bearer local-key-0123456789');
      expect(q.raw).not.toContain('sk-openai-only');
    }
  });

  it('with only OPENAI_API_KEY set, a custom endpoint gets no key; its 401 says to set TRACEFIX_API_KEY', async () => {
    const r = await fix({ apiKey: 'server-key-123456', steps: [] }, [], {
      OPENAI_API_KEY: 'sk-openai-only-0123456789abcdef',
    });
    expect(r.code).toBe(2);
    for (const q of r.server.requests)
      expect(q.headers.authorization ?? '').not.toContain('sk-openai-only');
    const line = errorLine(r.stderr);
    expect(line).toMatch(/rejected the credentials \(HTTP 401\)/);
    expect(line).toContain(
      `Set TRACEFIX_API_KEY to the key for ${r.server.url} (OPENAI_API_KEY is only ever sent to api.openai.com)`,
    );
    expect(r.stderr).not.toContain('tracing');
  });

  it('the default max_tokens is 8192', async () => {
    const r = await fix([steps.answer(RIGHT_FIX)], []);
    expect(r.code).toBe(0);
    expect((r.server.completions()[0]?.body as { max_tokens?: number }).max_tokens).toBe(8192);
  });
});

describe('modelConfig: which key goes where', () => {
  const OPENAI = 'sk-openai-0123456789abcdef';
  const OWN = 'own-key-0123456789';
  it.each([
    [
      'OpenAI (default URL) with OPENAI_API_KEY',
      {},
      { OPENAI_API_KEY: OPENAI },
      OPENAI,
      'OPENAI_API_KEY',
    ],
    ['OpenAI with only TRACEFIX_API_KEY', {}, { TRACEFIX_API_KEY: OWN }, OWN, 'TRACEFIX_API_KEY'],
    [
      'a custom URL never gets OPENAI_API_KEY',
      { baseURL: 'https://llm.example.com/v1' },
      { OPENAI_API_KEY: OPENAI },
      '',
      '',
    ],
    [
      'a custom URL gets TRACEFIX_API_KEY',
      { baseURL: 'https://llm.example.com/v1' },
      { OPENAI_API_KEY: OPENAI, TRACEFIX_API_KEY: OWN },
      OWN,
      'TRACEFIX_API_KEY',
    ],
    [
      "http://api.openai.com is not OpenAI's API (no TLS)",
      { baseURL: 'http://api.openai.com/v1' },
      { OPENAI_API_KEY: OPENAI },
      '',
      '',
    ],
    [
      "a look-alike host is not OpenAI's API",
      { baseURL: 'https://api.openai.com.evil.example/v1' },
      { OPENAI_API_KEY: OPENAI },
      '',
      '',
    ],
  ] as const)('%s', (_name, flags, env, key, keyVar) => {
    const cfg = modelConfig(flags, env);
    expect(cfg.apiKey).toBe(key);
    expect(cfg.keyVar).toBe(keyVar);
  });

  it('no key and no URL is a configuration error naming both ways', () => {
    expect(() => modelConfig({}, {})).toThrow(
      /No model configured: set OPENAI_API_KEY .* --base-url URL or TRACEFIX_BASE_URL/,
    );
  });
});
