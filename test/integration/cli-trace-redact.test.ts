// `tracefix trace` prints the program's own values raw; with --redact, the NExT text and the JSON
// trace go through the prompt's redaction (URL passwords in code and reprs, this environment's secret
// values, also base64-encoded), and the JSON stays valid.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildCli, runCli } from './cliRun';

let cli: { cli: string; dispose: () => void };
let dir: string;

beforeAll(async () => {
  cli = await buildCli();
});
afterAll(() => cli.dispose());
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'tfx-cli-trace-redact-'));
  writeFileSync(
    path.join(dir, 'app.py'),
    `import base64
import os
from urllib.parse import urlparse

DSN = "postgresql://app:Url-Pa55word-77@db.internal:5432/shop"


def main():
    url = urlparse(DSN)
    pw = os.environ["MYSQL_PWD"]
    enc = base64.b64encode(pw.encode()).decode()
    print("connecting", url.hostname, pw, enc)
    assert url.port == 5433, url


main()
`,
  );
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const ENV = { MYSQL_PWD: 'mysql-Secret-4242' };
const SECRETS = [
  'Url-Pa55word-77',
  'mysql-Secret-4242',
  Buffer.from('mysql-Secret-4242').toString('base64').slice(0, 20),
];

describe('tracefix trace --redact', () => {
  it('NExT text: raw without --redact (documented), redacted with it', async () => {
    const raw = await runCli(cli.cli, ['trace', 'app.py'], dir, ENV);
    expect(raw.code, raw.stderr).toBe(0);
    for (const s of SECRETS) expect(raw.stdout + raw.stderr).toContain(s);
    const red = await runCli(cli.cli, ['trace', 'app.py', '--redact'], dir, ENV);
    expect(red.code, red.stderr).toBe(0);
    for (const s of SECRETS) expect(red.stdout + red.stderr).not.toContain(s);
    expect(red.stdout).toContain('postgresql://app:<redacted>@db.internal:5432/shop');
    expect(red.stdout).toMatch(/pw='<redacted>'/);
  });

  it('JSON: redacted and still a valid trace', async () => {
    const red = await runCli(
      cli.cli,
      ['trace', 'app.py', '--format', 'json', '--redact'],
      dir,
      ENV,
    );
    expect(red.code, red.stderr).toBe(0);
    for (const s of SECRETS) expect(red.stdout + red.stderr).not.toContain(s);
    const trace = JSON.parse(red.stdout) as { schema: string; sources: { text: string }[] };
    expect(trace.schema).toBeTruthy();
    expect(trace.sources[0]?.text).toContain('postgresql://app:<redacted>@db.internal');
  });
});
