// What model-driven tools read is validated and what they do is bounded: trace files (regular files
// only, frames acyclic, payloads flat), the time of a query, the modules and arguments a recording
// may run.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors';
import { numericValue } from '../../../src/core/tools/condition';
import { TRACE_TOOLS, ToolSession } from '../../../src/core/tools';
import { moduleFileInRoot, recordTarget } from '../../../src/core/tools/recordTool';
import { traceFromJson, traceToJson } from '../../../src/core/trace/json';
import { readRegularFile } from '../../../src/core/trace/traceFile';
import { TraceBuilder } from '../render/traceBuilder';
import { spreadTrace } from './sampleTrace';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'tfx-hostile-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const raw = (): Record<string, unknown> =>
  JSON.parse(traceToJson(spreadTrace())) as Record<string, unknown>;

describe('trace files', () => {
  it('refuses a parent cycle, a frame that is its own parent, and repeated frames', () => {
    const cyclic = raw();
    const frames = cyclic.frames as number[][];
    expect(frames.length).toBe(2);
    frames[0]![1] = frames[1]![0]!;
    frames[1]![1] = frames[0]![0]!;
    expect(() => traceFromJson(cyclic, 'c.json')).toThrow(
      /^c\.json: the frames' callers form a cycle/,
    );
    const self = raw();
    (self.frames as number[][])[0]![1] = (self.frames as number[][])[0]![0]!;
    expect(() => traceFromJson(self, 's.json')).toThrow(/form a cycle/);
    const twice = raw();
    (twice.frames as unknown[]).push((twice.frames as unknown[])[0]);
    expect(() => traceFromJson(twice, 't.json')).toThrow(/repeats call/);
    // Version 1 (events as objects): the same check.
    const v1 = { ...raw(), version: 1, events: spreadTrace().events.map((e) => ({ ...e })) };
    const events = v1.events as { callId: number; parentCallId?: number }[];
    for (const e of events) e.parentCallId = e.callId === 1 ? 2 : 1;
    expect(() => traceFromJson(v1, 'v1.json')).toThrow(/form a cycle/);
  });

  it.each([
    [
      'a nested change',
      (t: Record<string, unknown>) => ((t.events as unknown[][])[1]![3] = { c: { x: [1] } }),
    ],
    [
      'a bad delta',
      (t: Record<string, unknown>) => ((t.events as unknown[][])[1]![3] = { x: [['a', 'rm']] }),
    ],
    ['a bad line', (t: Record<string, unknown>) => ((t.events as unknown[][])[1]![2] = -1)],
    ['a source without text', (t: Record<string, unknown>) => (t.sources = [{ path: 'a.py' }])],
    ['an outcome without a status', (t: Record<string, unknown>) => (t.outcome = {})],
    [
      'a frame with a missing file',
      (t: Record<string, unknown>) => ((t.frames as unknown[][])[0]![2] = 7),
    ],
    [
      'an output chunk with a fractional position',
      (t: Record<string, unknown>) =>
        (t.output = [{ stream: 'stdout', text: 'x', afterEvent: 0.5 }]),
    ],
  ])('refuses %s with a one-line error', (_what, edit) => {
    const t = raw();
    edit(t);
    expect(() => traceFromJson(t, 'x.json')).toThrow(UserError);
    expect(() => traceFromJson(t, 'x.json')).toThrow(/^x\.json: /);
  });

  it('reads regular files only: a FIFO, a folder and a file over the limit are refused at once', async () => {
    const fifo = path.join(dir, 'p.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    await expect(readRegularFile(fifo, 1000)).rejects.toThrow(
      /is not a regular file \(a named pipe\)/,
    );
    await expect(readRegularFile(dir, 1000)).rejects.toThrow(/\(a folder\)/);
    writeFileSync(path.join(dir, 'big.json'), 'x'.repeat(2000));
    await expect(readRegularFile(path.join(dir, 'big.json'), 1000)).rejects.toThrow(/larger than/);
    await expect(readRegularFile(path.join(dir, 'none.json'), 1000)).rejects.toThrow(
      /Cannot read the trace file .*: no such file/,
    );
    expect(await readRegularFile(path.join(dir, 'big.json'), 2000)).toHaveLength(2000);
  });
});

describe('queries', () => {
  it('a query past its time stops with an answer that says how to narrow it', () => {
    const b = new TraceBuilder().source('loop.py', 'for i in range(5000):\n    x = i\n');
    b.call('loop.py', '<module>', 1);
    for (let i = 0; i < 3000; i++) b.line(2, { x: String(i) });
    const session = new ToolSession(b.build(), { tools: TRACE_TOOLS, limits: { timeMs: 0 } });
    const a = session.call('find_first', { condition: 'x == -1' });
    expect(a.error).toBe(true);
    expect(a.text).toMatch(/stopped after 0 s: .*narrow it \(from_step, function, file or name\)/);
    const fine = new ToolSession(b.build(), { tools: TRACE_TOOLS });
    expect(fine.call('find_first', { condition: 'x == 2999' }).text).toMatch(/first holds/);
  });

  it('number reprs: same values as before, huge ones are not numbers', () => {
    expect(numericValue('12')).toBe(12);
    expect(numericValue('1.')).toBe(1);
    expect(numericValue('.5')).toBe(0.5);
    expect(numericValue('-3.25e2')).toBe(-325);
    expect(numericValue("Decimal('2.50')")).toBe(2.5);
    expect(numericValue('12x')).toBeUndefined();
    expect(numericValue('1'.repeat(5000))).toBeUndefined();
  });
});

describe('record_trace targets', () => {
  const deny = { allowArgs: false, allowHint: 'say so' };
  it('a module counts only when its file is in the workspace; interpreter modules never', () => {
    const ws = path.join(dir, 'ws');
    mkdirSync(path.join(ws, 'pkg', 'sub'), { recursive: true });
    writeFileSync(path.join(ws, 'tool.py'), '');
    writeFileSync(path.join(ws, 'os.py'), '');
    writeFileSync(path.join(ws, 'pkg', '__init__.py'), '');
    writeFileSync(path.join(ws, 'pkg', '__main__.py'), '');
    writeFileSync(path.join(ws, 'pkg', 'sub', 'run.py'), '');
    writeFileSync(path.join(dir, 'outside.py'), '');
    symlinkSync(path.join(dir, 'outside.py'), path.join(ws, 'linked.py'));
    expect(moduleFileInRoot(ws, 'tool')).toBe(path.join(ws, 'tool.py'));
    expect(moduleFileInRoot(ws, 'pkg')).toBe(path.join(ws, 'pkg', '__main__.py'));
    expect(moduleFileInRoot(ws, 'pkg.sub.run')).toBe(path.join(ws, 'pkg', 'sub', 'run.py'));
    for (const m of ['timeit', 'http.server', 'os', 'linked', 'pkg.sub'])
      expect(moduleFileInRoot(ws, m), m).toBeUndefined();
    expect(recordTarget({ module: 'tool' }, ws, deny).target).toEqual({
      kind: 'module',
      module: 'tool',
    });
    expect(() => recordTarget({ module: 'timeit' }, ws, deny)).toThrow(
      /module timeit is not a module of the workspace/,
    );
    expect(() => recordTarget({ script: 'tool.py', args: ['-x'] }, ws, deny)).toThrow(
      /program arguments are not allowed/,
    );
    expect(
      recordTarget({ script: 'tool.py', args: ['-x'] }, ws, { ...deny, allowArgs: true }).args,
    ).toEqual(['-x']);
  });
});
