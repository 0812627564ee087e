import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SourceMap, checkTrace, loadTrace } from '../../../src/core/replay/traceSource';
import { traceFromJson, traceToJson } from '../../../src/core/trace/json';
import { FIXTURE_SRC, fixturePath, loadFixture } from './fixtures';

describe('SourceMap', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'tracefix-sources-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('uses the file on disk when it is the recorded text', () => {
    const map = new SourceMap(loadFixture('factorial'), FIXTURE_SRC);
    expect(map.resolve('factorial.py')).toEqual({
      file: 'factorial.py',
      path: path.join(FIXTURE_SRC, 'factorial.py'),
    });
    expect(map.fileFor({ path: path.join(FIXTURE_SRC, 'factorial.py') })).toBe('factorial.py');
    expect(map.fileFor({ path: path.join(os.tmpdir(), 'factorial.py') })).toBeUndefined();
  });

  it('serves the recorded copy when the file changed since the recording or is missing', () => {
    const trace = loadFixture('factorial');
    writeFileSync(
      path.join(dir, 'factorial.py'),
      '# edited after the recording\n' + (trace.sources[0]?.text ?? ''),
    );
    const changed = new SourceMap(trace, dir).resolve('factorial.py');
    expect(changed).toMatchObject({
      file: 'factorial.py',
      sourceReference: 1,
      origin: expect.stringContaining('changed') as unknown,
    });
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
    await expect(loadTrace({ trace: path.join(FIXTURE_SRC, 'factorial.py') })).rejects.toThrow(
      /not valid JSON/,
    );
    const trace = loadFixture('factorial');
    const raw = JSON.parse(readFileSync(fixturePath('factorial'), 'utf8')) as Record<
      string,
      unknown
    > & { events: unknown[] };
    expect(() => traceFromJson({ ...raw, version: 3 }, 'x.json')).toThrow(
      /version 3; this Tracefix reads versions 1 and 2/,
    );
    expect(() => traceFromJson({ ...raw, schema: 'other' }, 'x.json')).toThrow(
      /not a Tracefix trace/,
    );
    expect(() =>
      traceFromJson({ ...raw, events: [raw.events[0], { kind: 'line' }] }, 'x.json'),
    ).toThrow(/event 1 is malformed/);
    expect(() => checkTrace({ ...trace, events: [] }, 'x.json')).toThrow(/no events/);
    expect(() => checkTrace({ ...trace, schema: 'nope' }, 'x.json')).toThrow(
      /not a Tracefix trace/,
    );
    // A v2 file (what `tracefix trace --format json` writes now) reads back to the same events.
    const again = traceFromJson(JSON.parse(traceToJson(trace)), 'again.json');
    expect(again.events.map((e) => e)).toEqual(trace.events.map((e) => e));
    expect(() =>
      traceFromJson({ ...JSON.parse(traceToJson(trace)), frames: [] }, 'x.json'),
    ).toThrow(/event 0 is malformed/);
  });
});
