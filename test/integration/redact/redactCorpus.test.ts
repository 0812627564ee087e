// False-positive check of redaction on a large body of ordinary code: the installed CPython
// standard library (found through the real interpreter) and the TypeScript compiler source.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { redact } from '../../../src/core/redact/redact';
import { CORPUS_SECRETS } from '../../support/secretsCorpus';

function ordinaryCode(): string[] {
  const stdlib = execFileSync(
    '/usr/bin/python3',
    ['-c', 'import sysconfig; print(sysconfig.get_paths()["stdlib"])'],
    { encoding: 'utf8' },
  ).trim();
  const texts = readdirSync(stdlib)
    .filter((f) => f.endsWith('.py'))
    .map((f) => readFileSync(path.join(stdlib, f), 'utf8'));
  texts.push(readFileSync(require.resolve('typescript/lib/typescript.js'), 'utf8'));
  return texts;
}

describe('redaction on ordinary code', () => {
  it('changes nothing in the Python standard library or typescript.js', () => {
    const texts = ordinaryCode();
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

  it('with known secrets (every form searched: spaced, chunked, encoded, XOR-ed) it changes nothing either', () => {
    const secrets = CORPUS_SECRETS.map((c) => c.value);
    const changed: string[] = [];
    let chars = 0;
    for (const text of ordinaryCode()) {
      // Whole files, as prompts are redacted: the forms are searched across lines too.
      chars += text.length;
      const r = redact(text, { secrets });
      if (r.count) changed.push(...r.text.split('\n').filter((l) => l.includes('<redacted>')));
    }
    console.log(
      `redaction corpus with known secrets: ${chars} characters, ${changed.length} lines changed`,
    );
    expect(changed).toEqual([]);
  });
});
