import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors';
import { applyPatch, makePatch, patchStats } from '../../../src/core/fix/patchAdapter';

const OLD = 'def add(a, b):\n    return a - b\n\n\ndef sub(a, b):\n    return a - b\n';
const NEW = OLD.replace('def add(a, b):\n    return a - b', 'def add(a, b):\n    return a + b');

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'tfx-apply-'));
  writeFileSync(path.join(root, 'calc.py'), OLD);
  writeFileSync(path.join(root, 'other.py'), 'X = 1\n');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('makePatch', () => {
  it('keeps only changed files, with one minimal hunk and a unified diff', () => {
    const p = makePatch(
      [
        { path: 'calc.py', text: OLD },
        { path: 'other.py', text: 'X = 1\n' },
      ],
      [
        { path: 'calc.py', newText: NEW },
        { path: 'other.py', newText: 'X = 1\n' },
      ],
    );
    expect(p.files.map((f) => f.path)).toEqual(['calc.py']);
    const f = p.files[0]!;
    expect(f.hunks).toHaveLength(1);
    expect(f.hunks[0]).toMatchObject({
      startLine: 1,
      endLine: 2,
      oldLines: ['    return a - b'],
      newLines: ['    return a + b'],
    });
    expect(p.diff).toContain('--- a/calc.py\n+++ b/calc.py\n');
    expect(p.diff).toContain('-    return a - b\n+    return a + b\n');
    expect(patchStats(p)).toEqual({ added: 1, removed: 1 });
  });
});

describe('applyPatch', () => {
  it('writes the new text and keeps FILE.orig', async () => {
    const p = makePatch([{ path: 'calc.py', text: OLD }], [{ path: 'calc.py', newText: NEW }]);
    const written = await applyPatch(root, p);
    expect(readFileSync(path.join(root, 'calc.py'), 'utf8')).toBe(NEW);
    expect(readFileSync(path.join(root, 'calc.py.orig'), 'utf8')).toBe(OLD);
    expect(written[0]?.backupPath).toBe(path.join(root, 'calc.py.orig'));
  });

  it('without backup writes no .orig', async () => {
    const p = makePatch([{ path: 'calc.py', text: OLD }], [{ path: 'calc.py', newText: NEW }]);
    await applyPatch(root, p, { backup: false });
    expect(readFileSync(path.join(root, 'calc.py'), 'utf8')).toBe(NEW);
    expect(existsSync(path.join(root, 'calc.py.orig'))).toBe(false);
  });

  it('writes nothing when any file changed since the trace', async () => {
    const p = makePatch(
      [
        { path: 'calc.py', text: OLD },
        { path: 'other.py', text: 'X = 1\n' },
      ],
      [
        { path: 'calc.py', newText: NEW },
        { path: 'other.py', newText: 'X = 2\n' },
      ],
    );
    writeFileSync(path.join(root, 'other.py'), 'X = 1  # edited\n');
    const err = await applyPatch(root, p).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).code).toBe('patch-conflict');
    expect(readFileSync(path.join(root, 'calc.py'), 'utf8')).toBe(OLD);
    expect(existsSync(path.join(root, 'calc.py.orig'))).toBe(false);
  });

  it('refuses paths outside the root', async () => {
    const p = makePatch(
      [{ path: '../evil.py', text: '' }],
      [{ path: '../evil.py', newText: 'x = 1\n' }],
    );
    await expect(applyPatch(root, p)).rejects.toThrow(/outside/);
  });
});
