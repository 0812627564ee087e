import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SourceMap, checkTrace, loadTrace } from '../../../src/core/replay/traceSource';
import type { Trace } from '../../../src/core/trace/model';
import { FIXTURE_SRC, fixturePath, loadFixture } from './fixtures';

describe('SourceMap', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'tracefix-sources-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('uses the file on disk when it is the recorded text', () => {
    const map = new SourceMap(loadFixture('factorial'), FIXTURE_SRC);
    expect(map.resolve('factorial.py')).toEqual({ file: 'factorial.py', path: path.join(FIXTURE_SRC, 'factorial.py') });
    expect(map.fileFor({ path: path.join(FIXTURE_SRC, 'factorial.py') })).toBe('factorial.py');
    expect(map.fileFor({ path: path.join(os.tmpdir(), 'factorial.py') })).toBeUndefined();
  });

  it('serves the recorded copy when the file changed since the recording or is missing', () => {
    const trace = loadFixture('factorial');
    writeFileSync(path.join(dir, 'factorial.py'), '# edited after the recording\n' + (trace.sources[0]?.text ?? ''));
    const changed = new SourceMap(trace, dir).resolve('factorial.py');
    expect(changed).toMatchObject({ file: 'factorial.py', sourceReference: 1, origin: expect.stringContaining('changed') as unknown });
    expect(changed.path).toBeUndefined();

    const missing = new SourceMap(trace, path.join(dir, 'nowhere'));
    const r = missing.resolve('factorial.py');
    expect(r.origin).toContain('not at the source root');
    expect(missing.textOf(r.sourceReference ?? 0)).toBe(trace.sources[0]?.text);
    expect(missing.fileFor({ sourceReference: r.sourceReference ?? 0 })).toBe('factorial.py');
  });
});

describe('loadTrace / checkTrace', () => {
  it('loads a saved trace file', async () => {
    const trace = await loadTrace({ trace: fixturePath('average_bug') });
    expect(trace.outcome.status).toBe('exception');
  });

  it('says what is wrong with a file that is not a usable trace', async () => {
    await expect(loadTrace({})).rejects.toThrow(/needs `trace`/);
    await expect(loadTrace({ trace: path.join(FIXTURE_SRC, 'factorial.py') })).rejects.toThrow(/not valid JSON/);
    const trace = loadFixture('factorial');
    expect(() => checkTrace({ ...trace, version: 2 }, 'x.json')).toThrow(/version 2/);
    expect(() => checkTrace({ ...trace, events: [] }, 'x.json')).toThrow(/no events/);
    const shuffled: Trace = { ...trace, events: [trace.events[1], trace.events[0]] as Trace['events'] };
    expect(() => checkTrace(shuffled, 'x.json')).toThrow(/event 0 is malformed/);
  });
});
