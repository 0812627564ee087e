// False-positive check of redaction on a large body of ordinary code: the installed CPython
// standard library (found through the real interpreter) and the TypeScript compiler source.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { redact } from '../../../src/core/model/redact';

describe('redaction on ordinary code', () => {
  it('changes nothing in the Python standard library or typescript.js', () => {
    const stdlib = execFileSync(
      '/usr/bin/python3',
      ['-c', 'import sysconfig; print(sysconfig.get_paths()["stdlib"])'],
      { encoding: 'utf8' },
    ).trim();
    const texts = readdirSync(stdlib)
      .filter((f) => f.endsWith('.py'))
      .map((f) => readFileSync(path.join(stdlib, f), 'utf8'));
    texts.push(readFileSync(require.resolve('typescript/lib/typescript.js'), 'utf8'));
    expect(texts.length).toBeGreaterThan(100);
    const changed: string[] = [];
    let lines = 0;
    for (const text of texts) {
      for (const line of text.split('\n')) {
        lines++;
        if (redact(line).count) changed.push(line.trim());
      }
    }
    console.log(`redaction corpus: ${lines} lines, ${changed.length} changed`);
    expect(changed).toEqual([]);
  });
});
