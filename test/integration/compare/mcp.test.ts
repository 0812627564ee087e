// compare_runs over MCP, as a client would use it: record the failing test (uncommitted work broke a
// helper in a git repository made at test time), record the passing run at HEAD with
// record_baseline, ask compare_runs and the passing run; and the limits: no passing run yet, a
// trace file outside the workspace root.
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, cleanEnv } from '../cliRun';
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

describe('compare_runs over MCP', () => {
  it('records the passing run at HEAD and tells where the failing run parts from it', async () => {
    const ws = path.join(tmp, 'ws');
    makeRepo(ws);
    edit(ws, 'fmt.py', withRegression);
    const client = new Client({ name: 'tracefix-test', version: '1.0.0' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [cli.cli, 'mcp', '--root', ws],
        env: cleanEnv({}) as Record<string, string>,
        cwd: ws,
        stderr: 'pipe',
      }),
    );
    const call = async (name: string, args: Record<string, unknown> = {}) => {
      const r = (await client.callTool({ name, arguments: args })) as Result;
      return { text: r.content.map((c) => c.text).join('\n'), isError: r.isError === true };
    };
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
});
