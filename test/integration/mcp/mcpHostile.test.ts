// `tracefix mcp` against a hostile client (the model driving it): modules and arguments it may not
// run, a FIFO, a cyclic trace file, a trace whose values make number matching slow, messages over the
// size limit or not JSON-RPC at all, and SIGTERM while busy. Each gets a clear answer in bounded time,
// and the server goes on (or ends, for SIGTERM).
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processesMentioning } from '../../support/python';
import { buildCli, cleanEnv } from '../cliRun';

const FIXTURE = path.resolve(__dirname, '../../fixtures/fix/average');
const SAVED = path.resolve(__dirname, '../../fixtures/traces/average_bug.json');
let cli: { cli: string; dispose: () => void };
let tmp: string;
let ws: string;

beforeAll(async () => {
  cli = await buildCli();
  tmp = mkdtempSync(path.join(os.tmpdir(), 'tfx-mcp-hostile-'));
  ws = path.join(tmp, 'ws');
  cpSync(FIXTURE, ws, { recursive: true });
  writeFileSync(path.join(ws, 'argv.py'), 'import sys\nargs = sys.argv[1:]\nprint(args)\n');
  writeFileSync(
    path.join(ws, 'forever.py'),
    'import time\nn = 0\nwhile True:\n    n += 1\n    time.sleep(0.01)\n',
  );
  writeFileSync(path.join(ws, 'ok.json'), readFileSync(SAVED));
});
afterAll(() => {
  cli.dispose();
  rmSync(tmp, { recursive: true, force: true });
});

async function connect(extra: string[] = []): Promise<Client> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [cli.cli, 'mcp', '--root', ws, ...extra],
    env: cleanEnv({}) as Record<string, string>,
    cwd: ws,
    stderr: 'pipe',
  });
  const client = new Client({ name: 'hostile', version: '1.0.0' });
  await client.connect(transport);
  return client;
}

type Result = { content: { text: string }[]; isError?: boolean };
async function call(
  client: Client,
  name: string,
  args: Record<string, unknown> = {},
): Promise<{ text: string; isError: boolean }> {
  const r = (await client.callTool({ name, arguments: args })) as Result;
  return { text: r.content.map((c) => c.text).join('\n'), isError: r.isError === true };
}

/** The saved fixture trace with `edit` applied to its JSON, written into the workspace. */
function traceFile(name: string, edit: (t: Record<string, unknown>) => void): string {
  const t = JSON.parse(readFileSync(SAVED, 'utf8')) as Record<string, unknown>;
  edit(t);
  writeFileSync(path.join(ws, name), JSON.stringify(t));
  return name;
}

/** A raw server: JSON-RPC lines in and out, to send what no SDK client would. */
class RawServer {
  readonly proc: ChildProcessWithoutNullStreams;
  private buffer = '';
  private readonly lines: string[] = [];
  private waiting: (() => void) | undefined;
  readonly exited: Promise<number | null>;

  constructor(extra: string[] = []) {
    this.proc = spawn(process.execPath, [cli.cli, 'mcp', '--root', ws, ...extra], {
      cwd: ws,
      env: cleanEnv({}),
    });
    this.proc.stdout.setEncoding('utf8').on('data', (t: string) => {
      this.buffer += t;
      let nl;
      while ((nl = this.buffer.indexOf('\n')) >= 0) {
        this.lines.push(this.buffer.slice(0, nl));
        this.buffer = this.buffer.slice(nl + 1);
      }
      this.waiting?.();
    });
    this.proc.stdin.on('error', () => undefined);
    this.exited = new Promise((r) => this.proc.on('exit', (code) => r(code)));
  }

  send(text: string): void {
    this.proc.stdin.write(text);
  }

  request(id: number, method: string, params: unknown = {}): void {
    this.send(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
  }

  async next(): Promise<Record<string, unknown>> {
    while (!this.lines.length) await new Promise<void>((r) => (this.waiting = r));
    return JSON.parse(this.lines.shift() as string) as Record<string, unknown>;
  }

  async initialize(): Promise<void> {
    this.request(0, 'initialize', {
      protocolVersion: '2025-06-18',
      capabilities: {},
      clientInfo: { name: 'raw', version: '1' },
    });
    expect((await this.next()).id).toBe(0);
    this.send('{"jsonrpc":"2.0","method":"notifications/initialized"}\n');
  }
}

describe('record_trace runs only the workspace, with arguments only when allowed', () => {
  it("refuses modules of the interpreter or installed (timeit, http.server), runs the workspace's own", async () => {
    const client = await connect();
    try {
      for (const module of ['timeit', 'http.server', 'os', 'pip']) {
        const r = await call(client, 'record_trace', { module });
        expect(r.isError, module).toBe(true);
        expect(r.text).toMatch(
          new RegExp(`module ${module.replace('.', '\\.')} is not a module of the workspace`),
        );
      }
      const own = await call(client, 'record_trace', { module: 'average' });
      expect(own.isError, own.text).toBe(false);
      expect(own.text).toMatch(/^Recorded `python -m average`/);
    } finally {
      await client.close();
    }
  });

  it('refuses program arguments unless the server was started with --allow-args; the schema offers them only then', async () => {
    const client = await connect();
    try {
      const { tools } = await client.listTools();
      const record = tools.find((t) => t.name === 'record_trace');
      expect(Object.keys(record?.inputSchema.properties ?? {})).toEqual([
        'script',
        'test',
        'module',
      ]);
      const r = await call(client, 'record_trace', {
        script: 'argv.py',
        args: ['-c', 'import os'],
      });
      expect(r).toEqual({
        isError: true,
        text: 'record_trace: program arguments are not allowed; record without args. The user can allow them: start the server with `tracefix mcp --allow-args`.',
      });
    } finally {
      await client.close();
    }
    const allowed = await connect(['--allow-args']);
    try {
      const r = await call(allowed, 'record_trace', { script: 'argv.py', args: ['one', 'two'] });
      expect(r.isError, r.text).toBe(false);
      expect(r.text).toContain("args=['one', 'two']");
    } finally {
      await allowed.close();
    }
  });
});

describe('what the tools read is validated', () => {
  it('load_trace on a FIFO answers at once that it is not a regular file; the server goes on', async () => {
    const fifo = path.join(ws, 'trace.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const client = await connect();
    try {
      const r = await call(client, 'load_trace', { path: 'trace.fifo' });
      expect(r).toEqual({
        isError: true,
        text: `${fifo} is not a regular file (a named pipe); a trace file is read from a file.`,
      });
      expect((await call(client, 'load_trace', { path: '.' })).text).toMatch(/a folder/);
      expect((await call(client, 'load_trace', { path: path.relative(ws, SAVED) })).isError).toBe(
        true,
      );
      expect((await call(client, 'load_trace', { path: 'ok.json' })).text).toMatch(/^Loaded /);
    } finally {
      await client.close();
    }
  });

  it('a trace whose frames form a parent cycle is refused on load (it sent state_at_step into an endless loop)', async () => {
    const cyclic = traceFile('cyclic.json', (t) => {
      const frames = t.frames as number[][];
      // Every frame's parent is the next one; the last one's is the first.
      frames.forEach((f, i) => (f[1] = (frames[(i + 1) % frames.length] as number[])[0] as number));
    });
    const client = await connect();
    try {
      const r = await call(client, 'load_trace', { path: cyclic });
      expect(r.isError).toBe(true);
      expect(r.text).toMatch(/cyclic\.json: the frames' callers form a cycle/);
      for (const [name, edit] of [
        [
          'deep.json',
          (t: Record<string, unknown>) =>
            ((t.events as unknown[][])[3]![3] = { c: { x: ['nested'] } }),
        ],
        ['frame.json', (t: Record<string, unknown>) => ((t.frames as unknown[][])[0]![2] = 99)],
        ['header.json', (t: Record<string, unknown>) => (t.program = 'x')],
      ] as const) {
        const bad = await call(client, 'load_trace', { path: traceFile(name, edit) });
        expect(bad.isError, name).toBe(true);
        expect(bad.text, name).toMatch(new RegExp(`^${name.replace('.', '\\.')}: `));
      }
      // Still answering.
      expect((await call(client, 'load_trace', { path: 'ok.json' })).isError).toBe(false);
    } finally {
      await client.close();
    }
  });

  it('number matching stays linear: find_first over 400 values of 20,000 digits answers (it took ~0.5 s per value)', async () => {
    const digits = traceFile('digits.json', (t) => {
      const rows = t.events as unknown[][];
      const callId = 1;
      const extra = Array.from({ length: 400 }, (_, i) => [
        3,
        0,
        5,
        { c: { total: `${'9'.repeat(20_000)}${i}x` } },
      ]);
      // Appended to the first frame's events (call deltas are relative: go back to frame 1 first).
      const current = rows.reduce((c, r) => c + (r[1] as number), 0);
      (extra[0] as unknown[])[1] = callId - current;
      t.events = [...rows, ...extra];
    });
    const client = await connect();
    try {
      expect((await call(client, 'load_trace', { path: digits })).isError).toBe(false);
      const r = await call(client, 'find_first', { condition: 'total == 5 and total > 1e308' });
      expect(r.text).toMatch(/never holds/);
    } finally {
      await client.close();
    }
  });
});

describe('the protocol: oversized and malformed messages, SIGTERM', () => {
  it('a message over the limit (11 MB) gets a JSON-RPC error with its id; the server answers the next call', async () => {
    const client = await connect();
    try {
      await expect(
        client.callTool({
          name: 'search_values',
          arguments: { text: 'x'.repeat(11 * 1024 * 1024) },
        }),
      ).rejects.toThrow(
        /the message is \d+ bytes; tracefix mcp reads messages of at most 4194304 bytes/,
      );
      const r = await call(client, 'load_trace', { path: 'ok.json' });
      expect(r.text).toMatch(/^Loaded /);
    } finally {
      await client.close();
    }
  });

  it('lines that are not JSON or not JSON-RPC are answered with errors, in order, and the server goes on', async () => {
    const raw = new RawServer();
    try {
      await raw.initialize();
      raw.send('this is not json\n');
      expect(await raw.next()).toMatchObject({ id: null, error: { code: -32700 } });
      raw.send('{"id": 7, "hello": 1}\n');
      expect(await raw.next()).toMatchObject({ id: 7, error: { code: -32600 } });
      // Oversized without a recognisable id: answered with id null.
      raw.send(`[${'1,'.repeat(3_000_000)}1]\n`);
      expect(await raw.next()).toMatchObject({ id: null, error: { code: -32600 } });
      raw.request(8, 'tools/list');
      const list = await raw.next();
      expect(list.id).toBe(8);
      expect(JSON.stringify(list)).toContain('record_trace');
    } finally {
      raw.proc.kill('SIGKILL');
    }
  });

  it('SIGTERM ends the server after the cyclic-trace attack (load it, ask state_at_step, SIGTERM)', async () => {
    const cyclic = traceFile('cyclic2.json', (t) => {
      const frames = t.frames as number[][];
      frames.forEach((f, i) => (f[1] = (frames[(i + 1) % frames.length] as number[])[0] as number));
    });
    const raw = new RawServer();
    try {
      await raw.initialize();
      raw.request(1, 'tools/call', { name: 'load_trace', arguments: { path: cyclic } });
      await raw.next();
      raw.request(2, 'tools/call', { name: 'state_at_step', arguments: { step: 3 } });
      await new Promise((r) => setTimeout(r, 500));
      raw.proc.kill('SIGTERM');
      expect(await raw.exited).not.toBeNull();
    } finally {
      if (raw.proc.exitCode === null) raw.proc.kill('SIGKILL');
    }
  });

  it('SIGTERM ends the server, also while it records (and the recorded program is gone)', async () => {
    const idle = new RawServer();
    await idle.initialize();
    idle.proc.kill('SIGTERM');
    expect(await idle.exited).toBe(0);

    const busy = new RawServer();
    await busy.initialize();
    busy.request(1, 'tools/call', { name: 'record_trace', arguments: { script: 'forever.py' } });
    const program = path.join(ws, 'forever.py');
    for (let i = 0; i < 100 && processesMentioning(program).length === 0; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(processesMentioning(program).length).toBeGreaterThan(0);
    busy.proc.kill('SIGTERM');
    expect(await busy.exited).not.toBeNull();
    for (let i = 0; i < 30 && processesMentioning(program).length > 0; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(processesMentioning(program)).toEqual([]);
    expect(existsSync(program)).toBe(true);
  });
});
