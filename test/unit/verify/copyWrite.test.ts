// Writing a patched file into a verification copy by its resolved path: links that lead out of
// the copy are refused, wherever they are on the path, and a link swapped in between the check and
// the write is not followed.
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { writePatched } from '../../../src/core/verify/copyWrite';

// The race is made deterministic: a hook runs right after writePatched's lstat of a path.
let afterLstat: ((p: string) => void) | undefined;
vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...fs,
    lstat: async (p: string) => {
      const st = await fs.lstat(p);
      afterLstat?.(p);
      return st;
    },
  };
});

describe('writePatched (by resolved path)', () => {
  let fence: string;
  let root: string;
  let outside: string;
  beforeEach(() => {
    fence = mkdtempSync(path.join(os.tmpdir(), 'tfx-fence-'));
    root = path.join(fence, 'proj');
    mkdirSync(path.join(root, 'pkg'), { recursive: true });
    outside = mkdtempSync(path.join(os.tmpdir(), 'tfx-outside-'));
    writeFileSync(path.join(outside, 'helper.py'), 'H = 1\n');
  });
  afterEach(() => {
    rmSync(fence, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  it('refuses a folder link, a file link and a link in the middle of the path that lead outside the copy', async () => {
    symlinkSync(outside, path.join(root, 'lib'));
    symlinkSync(path.join(outside, 'helper.py'), path.join(root, 'pkg', 'helper.py'));
    symlinkSync(outside, path.join(root, 'pkg', 'deep'));
    for (const rel of ['lib/helper.py', 'pkg/helper.py', 'pkg/deep/new.py', 'lib/sub/new.py']) {
      await expect(writePatched(root, fence, { path: rel, text: 'EVIL\n' })).rejects.toThrow(
        /outside the copy/,
      );
    }
    expect(readdirSync(outside)).toEqual(['helper.py']);
    expect(readFileSync(path.join(outside, 'helper.py'), 'utf8')).toBe('H = 1\n');
  });

  it('writes through links that stay inside the copy, creates missing folders, refuses ../ and absolute paths', async () => {
    writeFileSync(path.join(root, 'pkg', 'real.py'), 'R = 1\n');
    symlinkSync('real.py', path.join(root, 'pkg', 'alias.py'));
    symlinkSync('pkg', path.join(root, 'pkglink'));
    await writePatched(root, fence, { path: 'pkg/alias.py', text: 'R = 2\n' });
    await writePatched(root, fence, { path: 'pkglink/new.py', text: 'N = 1\n' });
    await writePatched(root, fence, { path: 'a/b/c.py', text: 'C = 1\n' });
    expect(readFileSync(path.join(root, 'pkg', 'real.py'), 'utf8')).toBe('R = 2\n');
    expect(lstatSync(path.join(root, 'pkg', 'alias.py')).isSymbolicLink()).toBe(true);
    expect(readFileSync(path.join(root, 'pkg', 'new.py'), 'utf8')).toBe('N = 1\n');
    expect(readFileSync(path.join(root, 'a', 'b', 'c.py'), 'utf8')).toBe('C = 1\n');
    for (const rel of ['../x.py', '/etc/x.py', 'pkg/../../x.py'])
      await expect(writePatched(root, fence, { path: rel, text: 'x' })).rejects.toThrow(
        /outside the root/,
      );
  });

  it('a link swapped in for the file after the check is not written through (O_NOFOLLOW)', async () => {
    const target = path.join(root, 'pkg', 'mod.py');
    writeFileSync(target, 'M = 1\n');
    // Swap the file for a link outside while writePatched is between its lstat and its open.
    afterLstat = (p) => {
      if (p !== target) return;
      afterLstat = undefined;
      rmSync(target);
      symlinkSync(path.join(outside, 'helper.py'), target);
    };
    await expect(writePatched(root, fence, { path: 'pkg/mod.py', text: 'EVIL\n' })).rejects.toThrow(
      /outside the copy/,
    );
    expect(afterLstat).toBeUndefined();
    expect(readFileSync(path.join(outside, 'helper.py'), 'utf8')).toBe('H = 1\n');
  });
});
