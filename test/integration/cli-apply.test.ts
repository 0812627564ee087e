// `tracefix fix --apply` writes a verified fix byte for byte: a latin-1 file with a PEP 263 cookie, a
// UTF-8 file with a BOM and CRLF line ends, a file with mixed line ends and no final newline; the
// original bytes go to FILE.orig, and an existing FILE.orig is never replaced (FILE.orig.1 is used).
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startOpenAIServer, steps, type OpenAIServer } from '../support/openaiServer';
import { buildCli, fixAnswer, runCli, type CliRun } from './cliRun';

let cli: { cli: string; dispose: () => void };
let dir: string;
let server: OpenAIServer | undefined;

beforeAll(async () => {
  cli = await buildCli();
});
afterAll(() => cli.dispose());
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'tfx-cli-apply-'));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const latin1 = (s: string): Buffer => Buffer.from(s, 'latin1');

/** A project with `module.py` (given bytes) and a failing `test_module.py`. */
function project(moduleBytes: Buffer, test: string): void {
  writeFileSync(path.join(dir, 'module.py'), moduleBytes);
  writeFileSync(path.join(dir, 'test_module.py'), test);
}

async function fixApply(answer: string, extra: string[] = []): Promise<CliRun> {
  server = await startOpenAIServer([steps.answer(answer)]);
  return runCli(
    cli.cli,
    ['fix', '--test', 'test_module.py::test_it', '--apply', '--no-sandbox', ...extra],
    dir,
    { TRACEFIX_BASE_URL: server.url },
  );
}

const read = (name: string): Buffer => readFileSync(path.join(dir, name));

describe('tracefix fix --apply is byte-faithful', () => {
  const TOTAL_BUGGY =
    '\ndef total(prices):\n    s = 0\n    for p in prices[1:]:\n        s += p\n    return s\n';
  const TOTAL_FIXED =
    'def total(prices):\n    s = 0\n    for p in prices:\n        s += p\n    return s';
  const TEST = 'from module import total\n\n\ndef test_it():\n    assert total([1, 2, 3]) == 6\n';

  it('latin-1 with a coding cookie: only the fixed line changes; .orig holds the original bytes', async () => {
    const original = latin1(
      `# -*- coding: latin-1 -*-\n"""Prix en \xe9cus \xa3."""\nGREETING = "Bienvenue \xe0 la boutique"\n\n${TOTAL_BUGGY}\n\nLABEL = "r\xe9sum\xe9"  # \xa9\n`,
    );
    project(original, TEST);
    const r = await fixApply(fixAnswer('module.py', TOTAL_FIXED));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('verified: test passes');
    expect(r.stdout).toContain('applied: module.py (previous version in module.py.orig)');
    expect(read('module.py').toString('hex')).toBe(
      latin1(original.toString('latin1').replace('prices[1:]', 'prices')).toString('hex'),
    );
    expect(read('module.py.orig').toString('hex')).toBe(original.toString('hex'));
    expect(read('module.py').includes(Buffer.from('\ufffd', 'utf8'))).toBe(false);
  });

  it('UTF-8 with a BOM and CRLF line ends: BOM and every CRLF stay', async () => {
    const text = `"""D\u00e9j\u00e0 vu \u2014 totals."""\r\n${TOTAL_BUGGY.replace(/\n/g, '\r\n')}\r\nNAME = "caf\u00e9"\r\n`;
    const original = Buffer.concat([BOM, Buffer.from(text, 'utf8')]);
    project(original, TEST);
    const r = await fixApply(fixAnswer('module.py', TOTAL_FIXED));
    expect(r.code, r.stderr).toBe(0);
    const expected = Buffer.concat([
      BOM,
      Buffer.from(text.replace('prices[1:]', 'prices'), 'utf8'),
    ]);
    expect(read('module.py').toString('hex')).toBe(expected.toString('hex'));
    expect(read('module.py.orig').toString('hex')).toBe(original.toString('hex'));
  });

  it('mixed line ends and no final newline: every unchanged line keeps its own line end', async () => {
    const text =
      '"""Totals."""\r\nimport os\n\n\r\ndef total(prices):\r\n    s = 0\n    for p in prices[1:]:\r\n        s += p\n    return s';
    project(Buffer.from(text), TEST);
    const r = await fixApply(fixAnswer('module.py', TOTAL_FIXED));
    expect(r.code, r.stderr).toBe(0);
    expect(read('module.py').toString()).toBe(text.replace('prices[1:]', 'prices'));
  });

  it('an existing module.py.orig is never overwritten: the backup goes to module.py.orig.1', async () => {
    const original = Buffer.from(`"""Totals."""\n${TOTAL_BUGGY}`);
    project(original, TEST);
    writeFileSync(path.join(dir, 'module.py.orig'), 'my own backup, keep me\n');
    const r = await fixApply(fixAnswer('module.py', TOTAL_FIXED));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('applied: module.py (previous version in module.py.orig.1)');
    expect(read('module.py.orig').toString()).toBe('my own backup, keep me\n');
    expect(read('module.py.orig.1').equals(original)).toBe(true);
    expect(read('module.py').toString()).toBe(original.toString().replace('prices[1:]', 'prices'));
    expect(
      readdirSync(dir)
        .filter((f) => f.startsWith('module.py'))
        .sort(),
    ).toEqual(['module.py', 'module.py.orig', 'module.py.orig.1']);
  });

  it('--json reports the backup actually written', async () => {
    project(Buffer.from(`"""Totals."""\n${TOTAL_BUGGY}`), TEST);
    writeFileSync(path.join(dir, 'module.py.orig'), 'older\n');
    const r = await fixApply(fixAnswer('module.py', TOTAL_FIXED), ['--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { applied: { path: string; backup: string | null }[] };
    expect(out.applied).toEqual([{ path: 'module.py', backup: 'module.py.orig.1' }]);
    expect(existsSync(path.join(dir, 'module.py.orig.2'))).toBe(false);
  });
});
