import { mkdtemp, readFile, readdir, rm, stat, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors';
import { writePatchedFile } from '../../../src/core/patch/applyFile';
import { hashText } from '../../../src/core/patch/guard';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tracefix-apply-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writePatchedFile', () => {
  const before = 'def f():\r\n    return 1\r\n';
  const after = 'def f():\r\n    return 2\r\n';

  it('writes the new text, keeps a .orig backup and the file mode', async () => {
    const file = path.join(dir, 'f.py');
    await writeFile(file, before);
    await chmod(file, 0o640);
    const r = await writePatchedFile(file, after, { expectedHash: hashText(before) });
    expect(r).toEqual({ path: file, backupPath: `${file}.orig`, changed: true });
    expect(await readFile(file, 'utf8')).toBe(after);
    expect(await readFile(`${file}.orig`, 'utf8')).toBe(before);
    expect((await stat(file)).mode & 0o777).toBe(0o640);
    // No temporary files left behind.
    expect((await readdir(dir)).sort()).toEqual(['f.py', 'f.py.orig']);
  });

  it('can skip the backup, and writes nothing when the text is already there', async () => {
    const file = path.join(dir, 'g.py');
    await writeFile(file, before);
    expect(await writePatchedFile(file, after, { backup: false })).toEqual({ path: file, backupPath: undefined, changed: true });
    expect(await writePatchedFile(file, after)).toEqual({ path: file, changed: false });
    expect(await readdir(dir)).toEqual(['g.py']);
  });

  it('refuses when the file changed since the trace, leaving it untouched', async () => {
    const file = path.join(dir, 'h.py');
    await writeFile(file, 'def f():\r\n    return 99\r\n');
    const err = await writePatchedFile(file, after, { expectedHash: hashText(before), displayPath: 'h.py' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).code).toBe('patch-conflict');
    expect(await readFile(file, 'utf8')).toBe('def f():\r\n    return 99\r\n');
    expect(await readdir(dir)).toEqual(['h.py']);
  });

  it('a missing file is file-not-found', async () => {
    const err = await writePatchedFile(path.join(dir, 'nope.py'), after).catch((e: unknown) => e);
    expect((err as UserError).code).toBe('file-not-found');
  });
});
