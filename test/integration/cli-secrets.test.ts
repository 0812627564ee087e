// Secrets stay home, end to end: a program whose source, trace and output hold a PostgreSQL URL with
// a password and environment secrets (DB_PASS, PGPASSWORD, MYSQL_PWD, a service token, the model
// keys). Round 1's patch prints every secret raw and base64/hex/URL-encoded into its verification
// output, which round 2's prompt quotes. Nothing of it — in any of those forms — may reach the model
// (every request body the server received) or `fix --json`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { secretVariants } from '../../src/core/redact/secretValues';
import { startOpenAIServer, steps, type OpenAIServer } from '../support/openaiServer';
import { buildCli, fixAnswer, runCli } from './cliRun';

let cli: { cli: string; dispose: () => void };
let dir: string;
let server: OpenAIServer | undefined;

beforeAll(async () => {
  cli = await buildCli();
});
afterAll(() => cli.dispose());
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'tfx-cli-secrets-'));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const ENV = {
  DB_PASS: 'plain-but-long-pass',
  PGPASSWORD: 'Tr0ub4dor&3xx',
  MYSQL_PWD: 'mysqlpass42zz',
  SERVICE_TOKEN: 'tok_live_5f4dcc3b5aa7e1',
  OPENAI_API_KEY: 'sk-proj-openaionly0123456789abcdef',
  TRACEFIX_API_KEY: 'local-endpoint-key-98765',
};
const URL_PASSWORD = 'Url-Pa55word-77';
/** Given to model-written runs by value only (`--env DEPLOY_SECRET=…`): in no environment. */
const PASSED_SECRET = 'deploy-Secret-by-value-31';

const MODULE = `import os
from urllib.parse import urlparse

DSN = "postgresql://app:${URL_PASSWORD}@db.internal:5432/shop"


def connect_info():
    url = urlparse(DSN)
    pw = os.environ["DB_PASS"]
    print("connecting", url, pw, os.environ["PGPASSWORD"])
    return url.port + 1
`;

const TEST =
  'from module import connect_info\n\n\ndef test_it():\n    assert connect_info() == 5432\n';

/** Round 1: a "fix" that leaks every secret, encoded every way, into its verification output. */
const LEAKY = fixAnswer(
  'module.py',
  `def connect_info():
    import base64
    import urllib.parse
    url = urlparse(DSN)
    for name in ("DB_PASS", "PGPASSWORD", "MYSQL_PWD", "SERVICE_TOKEN", "DEPLOY_SECRET", "OPENAI_API_KEY", "TRACEFIX_API_KEY"):
        v = os.environ.get(name, "")
        print(name, "b64=" + base64.b64encode(v.encode()).decode(), "b64x=" + base64.b64encode(("k=" + v).encode()).decode(),
              "hex=" + v.encode().hex(), "url=" + urllib.parse.quote(v), "raw=" + v)
    print("dsn", url.password, base64.b64encode(url.password.encode()).decode())
    return url.port + 2`,
  'Return the port plus two.',
);

const RIGHT = fixAnswer(
  'module.py',
  `def connect_info():
    url = urlparse(DSN)
    pw = os.environ["DB_PASS"]
    print("connecting", url, pw, os.environ["PGPASSWORD"])
    return url.port`,
  'Return the port itself.',
);

function forbidden(): string[] {
  const values = [...Object.values(ENV), URL_PASSWORD, PASSED_SECRET];
  return [...new Set(values.flatMap((v) => secretVariants(v)))];
}

describe('tracefix fix keeps secrets home', () => {
  it('through two rounds: no secret, raw or encoded, reaches the model or --json; the leak did reach the verification output', async () => {
    writeFileSync(path.join(dir, 'module.py'), MODULE);
    writeFileSync(path.join(dir, 'test_module.py'), TEST);
    server = await startOpenAIServer([steps.answer(LEAKY), steps.answer(RIGHT)]);
    const r = await runCli(
      cli.cli,
      // The run's environment is built: the user passes the program's secrets by name (the model
      // keys cannot be passed at all).
      [
        'fix',
        '--test',
        'test_module.py::test_it',
        '--json',
        '--no-sandbox',
        ...['DB_PASS', 'PGPASSWORD', 'MYSQL_PWD', 'SERVICE_TOKEN'].flatMap((n) => ['--env', n]),
        ...['--env', `DEPLOY_SECRET=${PASSED_SECRET}`],
      ],
      dir,
      { TRACEFIX_BASE_URL: server.url, ...ENV },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(server.completions()).toHaveLength(2);
    const bodies = server.requests.map((q) => q.raw);
    for (const secret of forbidden()) {
      for (const body of bodies)
        expect(body.includes(secret), `a request carried ${secret}`).toBe(false);
      expect(r.stdout.includes(secret), `--json printed ${secret}`).toBe(false);
    }
    // The model key went only where it belongs: as this endpoint's bearer, never in a message.
    expect(
      server.requests.every((q) => q.headers.authorization === `Bearer ${ENV.TRACEFIX_API_KEY}`),
    ).toBe(true);
    const round2 =
      (
        server.completions()[1]?.body as { messages: { role: string; content: string }[] }
      ).messages.find((m) => m.role === 'user')?.content ?? '';
    // The leaking output did get into round 2's prompt, redacted.
    expect(round2).toContain('Result: still failing');
    // Base64 keeps its last character or two: they mix the secret's last bits with padding.
    expect(round2).toMatch(
      /PGPASSWORD b64=<redacted>\S{0,3} b64x=\S{0,3}<redacted>\S{0,3} hex=<redacted> url=<redacted> raw=<redacted>/,
    );
    // Five secrets reached the run and were printed (the four passed by name, DEPLOY_SECRET by
    // value); the model keys were not there to print.
    expect(round2.match(/ raw=<redacted>$/gm)).toHaveLength(5);
    expect(round2).toMatch(/^OPENAI_API_KEY b64= b64x=az0= hex= url= raw=$/m);
    expect(round2).toContain('dsn <redacted> <redacted>');
    expect(round2).toContain("netloc='app:<redacted>@db.internal:5432'");
    const out = JSON.parse(r.stdout) as {
      fixed: boolean;
      rounds: { verification: { output: string } | null }[];
    };
    expect(out.fixed).toBe(true);
    expect(out.rounds[0]?.verification?.output).toMatch(/MYSQL_PWD b64=<redacted>\S{0,3} /);
  });
});
