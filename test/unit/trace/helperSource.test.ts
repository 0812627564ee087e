import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeHelper } from '../../../src/core/trace/helperSource';

const DEBUGGEE = path.join(__dirname, '../../../src/core/trace/debuggee');

describe('the recorder helper bundle', () => {
  it('writes every debuggee module (a module missing from the bundle fails only at import, in the debuggee)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tfx-helper-'));
    writeHelper(
      dir,
      {
        root: dir,
        main: '',
        repr: 120,
        recordImports: false,
        excluded: [],
        notUserCode: [],
        channel: '',
        engine: 'fast',
        pytest: false,
        stdin: null,
        speedUp: false,
      },
      { kind: 'script', path: 'main.py', args: [] },
    );
    const sources = readdirSync(DEBUGGEE).filter((f) => f.endsWith('.py'));
    expect(sources.length).toBeGreaterThan(10);
    expect(
      readdirSync(dir)
        .filter((f) => f.endsWith('.py'))
        .sort(),
    ).toEqual(sources.sort());
  });
});
