// `tracefix mcp` driven by the official MCP SDK client over stdio, as Claude Code or Cursor would:
// list the tools, record a failing pytest test of a fixture with the real recorder, query the
// recording, load a saved trace, and the limits: the workspace root, redaction, bad calls.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ListRootsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRACE_TOOLS } from '../../../src/core/tools';
import { buildCli, cleanEnv, runCli } from '../cliRun';

const FIXTURE = path.resolve(__dirname, '../../fixtures/fix/average');
let cli: { cli: string; dispose: () => void };
let tmp: string;
let ws: string;

beforeAll(async () => {
  cli = await buildCli();
  tmp = mkdtempSync(path.join(os.tmpdir(), 'tfx-mcp-'));
  ws = path.join(tmp, 'average');
  cpSync(FIXTURE, ws, { recursive: true });
  writeFileSync(
    path.join(ws, 'leak.py'),
    "import os\n\ntoken = os.environ['SERVICE_TOKEN']\nsize = len(token)\nassert size == 0, 'token set'\n",
  );
});
afterAll(() => {
  cli.dispose();
  rmSync(tmp, { recursive: true, force: true });
});

const SECRET = 'Qm7xV2pL9sK4tR8wN3zB6yH1';

async function connect(
  args: string[],
  opts: { cwd?: string; roots?: string[] } = {},
): Promise<Client> {
  const env = cleanEnv({ SERVICE_TOKEN: SECRET }) as Record<string, string>;
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [cli.cli, 'mcp', ...args],
    env,
    cwd: opts.cwd ?? ws,
    stderr: 'pipe',
  });
  const client = new Client(
    { name: 'tracefix-test', version: '1.0.0' },
    { capabilities: opts.roots ? { roots: {} } : {} },
  );
  if (opts.roots) {
    const roots = opts.roots;
    client.setRequestHandler(ListRootsRequestSchema, () => ({
      roots: roots.map((r) => ({ uri: pathToFileURL(r).href, name: path.basename(r) })),
    }));
  }
  await client.connect(transport);
  return client;
}

type Result = { content: { type: string; text: string }[]; isError?: boolean };
async function call(
  client: Client,
  name: string,
  args: Record<string, unknown> = {},
): Promise<{ text: string; isError: boolean }> {
  const r = (await client.callTool({ name, arguments: args })) as Result;
  return { text: r.content.map((c) => c.text).join('\n'), isError: r.isError === true };
}

describe('tracefix mcp (SDK client over stdio)', () => {
  it('lists the tools, records a failing test, answers queries from the recording', async () => {
    const client = await connect(['--root', ws]);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual([
        'record_trace',
        'record_baseline',
        'load_trace',
        ...TRACE_TOOLS.map((t) => t.name),
        'compare_runs',
      ]);
      const history = tools.find((t) => t.name === 'variable_history');
      expect(history?.inputSchema).toEqual(
        TRACE_TOOLS.find((t) => t.name === 'variable_history')?.inputSchema,
      );
      expect(history?.annotations).toMatchObject({ readOnlyHint: true });
      expect(tools.find((t) => t.name === 'record_trace')?.annotations).toMatchObject({
        readOnlyHint: false,
        destructiveHint: false,
      });
      expect(client.getInstructions()).toMatch(/record_trace/);

      expect(await call(client, 'variable_history', { name: 'total' })).toEqual({
        isError: true,
        text: 'No recording yet: call record_trace (run a test or script) or load_trace (a saved trace JSON) first.',
      });

      const rec = await call(client, 'record_trace', {
        test: 'tests/test_average.py::test_average',
      });
      expect(rec.isError).toBe(false);
      expect(rec.text).toMatch(
        /^Recorded `pytest tests\/test_average\.py::test_average` in .*average \(\d+ events, \d+ ms\)\./,
      );
      expect(rec.text).toMatch(/Outcome: failed — .*assert 3\.0 == 4/);
      expect(rec.text).toMatch(/total \+= x {2}# \(3\) total=2; \(5\) total=6; \(7\) total=12;/);

      expect(
        (await call(client, 'variable_history', { name: 'total', function: 'average' })).text,
      ).toBe(
        [
          'History of `total` in average: 4 changes recorded:',
          '(1) average.py:3 average#1 total=0',
          '(3) average.py:5 average#1 total=2',
          '(5) average.py:5 average#1 total=6',
          '(7) average.py:5 average#1 total=12',
        ].join('\n'),
      );
      expect((await call(client, 'find_first', { condition: 'total > 5' })).text).toMatch(
        /^`total > 5` first holds after step \(5\), at average\.py:5 average#1\./,
      );
      expect((await call(client, 'calls', { function: 'average' })).text).toMatch(
        /average#1\(xs=\[2, 4, 6\]\) → 3\.0, steps \(0\)–\(8\); called from tests\/test_average\.py:5 in test_average#1/,
      );
      // why: from the failing assertion back to where the wrong average was made.
      const why = await call(client, 'why', { name: '__return__', step: 8 });
      expect(why.isError).toBe(false);
      expect(why.text).toMatch(
        /^Why `__return__` has its value at \(8\) average\.py:\d+ average#1/,
      );
      expect(why.text).toMatch(/\(7\) average\.py:5 average#1 `total \+= x` {2}total=12/);
      const bad = await call(client, 'state_at_step', { step: 1000 });
      expect(bad).toEqual({
        isError: true,
        text: 'Error: state_at_step: there is no step (1000); recorded steps run from (0) to (9).',
      });
    } finally {
      await client.close();
    }
  });

  it('loads a saved trace (inside the root only) and redacts secrets in every answer', async () => {
    const saved = path.join(ws, 'run.json');
    const r = await runCli(cli.cli, ['trace', 'leak.py', '--format', 'json', '--out', saved], ws, {
      SERVICE_TOKEN: SECRET,
    });
    expect(r.code).toBe(0);
    const outside = path.join(tmp, 'elsewhere.json');
    writeFileSync(outside, '{}');
    const client = await connect(['--root', ws]);
    try {
      const outsideRoot = await call(client, 'load_trace', { path: '../elsewhere.json' });
      expect(outsideRoot.isError).toBe(true);
      expect(outsideRoot.text).toMatch(/is outside the workspace root/);
      const loaded = await call(client, 'load_trace', { path: 'run.json' });
      expect(loaded.text).toMatch(/^Loaded .*run\.json/);
      const state = await call(client, 'state_at_step', { step: 0 });
      expect(state.text).toMatch(/token='<redacted>'/);
      for (const q of [
        state,
        loaded,
        await call(client, 'search_values', { text: SECRET.slice(0, 8) }),
        await call(client, 'trace_overview'),
      ])
        expect(q.text).not.toContain(SECRET.slice(3, 15));
      const escape = await call(client, 'record_trace', { script: '../../etc/passwd' });
      expect(escape.isError).toBe(true);
      expect(escape.text).toMatch(/outside the workspace root/);
      expect(await call(client, 'record_trace', { script: 'leak.py', test: 'x' })).toMatchObject({
        isError: true,
        text: 'record_trace: give exactly one of script, test (a pytest node id or test file) or module.',
      });
      expect(await call(client, 'record_trace', { module: 'os; rm -rf /' })).toMatchObject({
        isError: true,
      });
    } finally {
      await client.close();
    }
  });

  it("without --root it records in the client's root, and refuses a root as wide as the file system", async () => {
    const withRoots = await connect([], { cwd: '/', roots: [ws] });
    try {
      const rec = await call(withRoots, 'record_trace', { script: 'average.py' });
      expect(rec.isError).toBe(false);
      expect(rec.text).toMatch(/^Recorded `python average\.py` in .*average/);
    } finally {
      await withRoots.close();
    }
    const none = await connect([], { cwd: '/' });
    try {
      const rec = await call(none, 'record_trace', { script: 'average.py' });
      expect(rec.isError).toBe(true);
      expect(rec.text).toMatch(
        /needs a workspace root to record in, and \/ is too wide .* --root PROJECT_DIR/,
      );
    } finally {
      await none.close();
    }
  });

  it('--trace loads a recording at start; --help documents that record_trace runs the program', async () => {
    const saved = path.join(ws, 'run2.json');
    expect(
      (
        await runCli(
          cli.cli,
          [
            'trace',
            '--test',
            'tests/test_average.py::test_average',
            '--format',
            'json',
            '--out',
            saved,
          ],
          ws,
          {},
        )
      ).code,
    ).toBe(0);
    const client = await connect(['--root', ws, '--trace', saved]);
    try {
      expect((await call(client, 'line_executions', { line: 5, file: 'average.py' })).text).toMatch(
        /^average\.py:5 `total \+= x`: 3 executions recorded/,
      );
    } finally {
      await client.close();
    }
    const help = await runCli(cli.cli, ['mcp', '--help'], ws, {});
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/record_trace RUNS YOUR PROGRAM/);
  });
});
