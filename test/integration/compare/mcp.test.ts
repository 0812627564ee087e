// compare_runs over MCP, as a client would use it: record the failing test (uncommitted work broke a
// helper in a git repository made at test time), record the passing run at HEAD with
// record_baseline, ask compare_runs and the passing run; and the limits: no passing run yet, a
// trace file outside the workspace root, and a loaded recording that names a program outside the
// root, an interpreter module, program arguments or an interpreter of its own (record_baseline runs
// what record_trace may run, with the server's interpreter).
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, cleanEnv, runCli } from '../cliRun';
import { edit, makeRepo, withRegression } from './gitRepo';

let cli: { cli: string; dispose: () => void };
let tmp: string;
beforeAll(async () => {
  cli = await buildCli();
  tmp = mkdtempSync(path.join(os.tmpdir(), 'tfx-mcp-compare-'));
});
afterAll(() => {
  cli.dispose();
  rmSync(tmp, { recursive: true, force: true });
});

type Result = { content: { type: string; text: string }[]; isError?: boolean };

async function connect(ws: string, extra: string[] = []) {
  const client = new Client({ name: 'tracefix-test', version: '1.0.0' });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [cli.cli, 'mcp', '--root', ws, ...extra],
      env: cleanEnv({}) as Record<string, string>,
      cwd: ws,
      stderr: 'pipe',
    }),
  );
  const call = async (name: string, args: Record<string, unknown> = {}) => {
    const r = (await client.callTool({ name, arguments: args })) as Result;
    return { text: r.content.map((c) => c.text).join('\n'), isError: r.isError === true };
  };
  return { client, call };
}

describe('compare_runs over MCP', () => {
  it('records the passing run at HEAD and tells where the failing run parts from it', async () => {
    const ws = path.join(tmp, 'ws');
    makeRepo(ws);
    edit(ws, 'fmt.py', withRegression);
    const { client, call } = await connect(ws);
    try {
      const { tools } = await client.listTools();
      expect(tools.find((t) => t.name === 'compare_runs')?.annotations).toMatchObject({
        readOnlyHint: true,
      });
      expect(tools.find((t) => t.name === 'record_baseline')?.annotations).toMatchObject({
        readOnlyHint: false,
      });
      expect((await call('record_trace', { test: 'test_fmt.py::test_format' })).isError).toBe(
        false,
      );
      expect(await call('compare_runs')).toEqual({
        isError: true,
        text: 'No passing run to compare with yet: call record_baseline first (e.g. {"baseline": "git"}).',
      });
      const outside = await call('record_baseline', { baseline: 'trace:../elsewhere.json' });
      expect(outside.isError).toBe(true);
      expect(outside.text).toMatch(/is outside the workspace root/);
      const base = await call('record_baseline', { baseline: 'git' });
      expect(base.isError).toBe(false);
      expect(base.text).toMatch(
        /^Recorded the passing run: the same test at HEAD \([0-9a-f]{7}\), where it passes/,
      );
      expect(base.text).toContain('First divergence:');
      const cmp = await call('compare_runs', { limit: 1 });
      expect(cmp.text).toContain(
        'step (5) at fmt.py:3 in _afterpoint#1 `i = i + 1` — only the failing run took it',
      );
      expect(cmp.text).toContain('__return__: 2 (failing) vs 3 (passing)');
      const passing = await call('variable_history', { name: 'w', run: 'passing' });
      expect(passing.text).toMatch(/w=3/);
    } finally {
      await client.close();
    }
  });

  it('runs for a loaded recording only what record_trace may run, with its own interpreter', async () => {
    const ws = path.join(tmp, 'loaded');
    makeRepo(ws);
    edit(ws, 'fmt.py', withRegression);
    const saved = path.join(ws, 'failing.json');
    const r = await runCli(
      cli.cli,
      ['trace', '--test', 'test_fmt.py::test_format', '--format', 'json', '--out', saved],
      ws,
      {},
    );
    expect(r.code).toBe(0);
    const original = JSON.parse(readFileSync(saved, 'utf8')) as {
      program: Record<string, unknown>;
      interpreter: Record<string, unknown>;
    };
    // An "interpreter" that leaves a mark when it is run.
    const marker = path.join(tmp, 'fake-python-ran');
    const fake = path.join(tmp, 'fake-python');
    writeFileSync(fake, `#!/bin/sh\ntouch '${marker}'\nexec python3 "$@"\n`);
    chmodSync(fake, 0o755);
    const variant = (name: string, program: Record<string, unknown>) => {
      const t = {
        ...original,
        program: { ...original.program, ...program },
        interpreter: { ...original.interpreter, path: fake },
      };
      writeFileSync(path.join(ws, name), JSON.stringify(t));
      return name;
    };
    const files = {
      own: variant('own.json', {}),
      outside: variant('outside.json', { cwd: path.join(tmp, 'elsewhere') }),
      module: variant('module.json', { kind: 'module', target: 'timeit', args: [] }),
      args: variant('args.json', { kind: 'script', target: 'fmt.py', args: ['--all'] }),
    };
    const { client, call } = await connect(ws);
    try {
      const refused = async (file: string, baseline: string) => {
        expect((await call('load_trace', { path: file })).isError).toBe(false);
        const b = await call('record_baseline', { baseline });
        expect(b.isError).toBe(true);
        return b.text;
      };
      expect(await refused(files.outside, 'git')).toMatch(
        /^record_baseline: .*test_fmt\.py is outside the workspace root/,
      );
      expect(await refused(files.module, 'git')).toMatch(
        /^record_baseline: module timeit is not a module of the workspace/,
      );
      expect(await refused(files.args, 'git')).toMatch(
        /^record_baseline: program arguments are not allowed.*tracefix mcp --allow-args/,
      );
      expect(await refused(files.own, 'test:../other/test_x.py::test_y')).toMatch(
        /^record_baseline: .*is outside the workspace root/,
      );
      expect((await call('load_trace', { path: files.own })).isError).toBe(false);
      const base = await call('record_baseline', { baseline: 'git' });
      expect(base.text).toMatch(/^Recorded the passing run: the same test at HEAD/);
      expect(base.isError).toBe(false);
      // The passing run was recorded with the server's interpreter, not the one the file names.
      expect(existsSync(marker)).toBe(false);
    } finally {
      await client.close();
    }
  });
});
