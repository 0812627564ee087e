import {
  chmod,
  lstat,
  mkdtemp,
  readFile,
  readdir,
  readlink,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
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
    expect(r).toMatchObject({ path: file, backupPath: `${file}.orig`, changed: true });
    expect(await readFile(file, 'utf8')).toBe(after);
    expect(await readFile(`${file}.orig`, 'utf8')).toBe(before);
    expect((await stat(file)).mode & 0o777).toBe(0o640);
    // No temporary files left behind.
    expect((await readdir(dir)).sort()).toEqual(['f.py', 'f.py.orig']);
  });

  it('can skip the backup, and writes nothing when the text is already there', async () => {
    const file = path.join(dir, 'g.py');
    await writeFile(file, before);
    expect(await writePatchedFile(file, after, { backup: false })).toMatchObject({
      path: file,
      backupPath: undefined,
      changed: true,
    });
    expect(await writePatchedFile(file, after)).toMatchObject({ path: file, changed: false });
    expect(await readdir(dir)).toEqual(['g.py']);
  });

  it('refuses when the file changed since the trace, leaving it untouched', async () => {
    const file = path.join(dir, 'h.py');
    await writeFile(file, 'def f():\r\n    return 99\r\n');
    const err = await writePatchedFile(file, after, {
      expectedHash: hashText(before),
      displayPath: 'h.py',
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).code).toBe('patch-conflict');
    expect(await readFile(file, 'utf8')).toBe('def f():\r\n    return 99\r\n');
    expect(await readdir(dir)).toEqual(['h.py']);
  });

  it('a missing file is file-not-found', async () => {
    const err = await writePatchedFile(path.join(dir, 'nope.py'), after).catch((e: unknown) => e);
    expect((err as UserError).code).toBe('file-not-found');
  });

  it('never replaces an existing backup: the next free .orig.N gets the original bytes', async () => {
    const file = path.join(dir, 'k.py');
    const latin1 = Buffer.from(
      '# -*- coding: latin-1 -*-\nname = "caf\xe9"\ndef f():\n    return 1\n',
      'latin1',
    );
    await writeFile(file, latin1);
    await writeFile(`${file}.orig`, 'an older backup\n');
    await writeFile(`${file}.orig.1`, 'another one\n');
    const r = await writePatchedFile(
      file,
      '# -*- coding: latin-1 -*-\nname = "caf\xe9"\ndef f():\n    return 2\n',
      { baseText: latin1.toString('utf8') },
    );
    expect(r.backupPath).toBe(`${file}.orig.2`);
    expect(await readFile(`${file}.orig`, 'utf8')).toBe('an older backup\n');
    expect(await readFile(`${file}.orig.1`, 'utf8')).toBe('another one\n');
    expect((await readFile(`${file}.orig.2`)).equals(latin1)).toBe(true);
    expect(
      (await readFile(file)).equals(
        Buffer.from(latin1.toString('latin1').replace('return 1', 'return 2'), 'latin1'),
      ),
    ).toBe(true);
    expect(r.encoding?.name).toBe('iso-8859-1');
  });

  it('writes through a symlink: the link stays a link and its target gets the fix', async () => {
    const real = path.join(dir, 'real.py');
    const link = path.join(dir, 'link.py');
    await writeFile(real, before);
    await symlink('real.py', link);
    const r = await writePatchedFile(link, after, { backup: false });
    expect(r.changed).toBe(true);
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readlink(link)).toBe('real.py');
    expect(await readFile(real, 'utf8')).toBe(after);
  });
});
