import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors';
import { copyWorkspace } from '../../../src/core/verify/workspaceCopy';
import { recordOptionsInCopy, targetInCopy } from '../../../src/core/verify/targetInCopy';
import { snapshot } from '../../support/files';

let user: string;


function write(rel: string, text: string) {
  const p = path.join(user, rel);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, text);
}

beforeEach(() => {
  user = path.join(mkdtempSync(path.join(os.tmpdir(), 'tfx-user-')), 'proj');
  write('calc.py', 'def add(a, b):\n    return a - b\n');
  write('tests/test_calc.py', 'from calc import add\n\ndef test_add():\n    assert add(1, 2) == 3\n');
  write('data/input.txt', 'hello\n');
  write('.git/HEAD', 'ref: refs/heads/main\n');
  write('node_modules/x/index.js', '1');
  write('__pycache__/calc.cpython-312.pyc', 'bytecode');
  write('.venv/pyvenv.cfg', 'home = /usr\n');
  write('myenv/pyvenv.cfg', 'home = /usr\n');
  write('myenv/lib/site.py', 'x = 1\n');
});

afterEach(() => {
  rmSync(path.dirname(user), { recursive: true, force: true });
});

describe('copyWorkspace', () => {
  it('copies the root minus VCS, venvs, caches and node_modules, writes patched files only into the copy', () => {
    const before = snapshot(user);
    const copy = copyWorkspace(user, [{ path: 'calc.py', text: 'def add(a, b):\n    return a + b\n' }, { path: 'pkg/new.py', text: 'N = 1\n' }]);
    try {
      expect(path.basename(copy.root)).toBe('proj');
      expect(copy.root.startsWith(os.tmpdir())).toBe(true);
      const copied = snapshot(copy.root);
      expect(Object.keys(copied).sort()).toEqual(['calc.py', 'data/input.txt', 'pkg/new.py', 'tests/test_calc.py']);
      expect(copied['calc.py']).toContain('a + b');
      expect(snapshot(user)).toEqual(before);
      expect(copy.map(path.join(user, 'tests', 'test_calc.py'))).toBe(path.join(copy.root, 'tests', 'test_calc.py'));
      expect(copy.map('/usr/lib')).toBe('/usr/lib');
    } finally {
      copy.dispose();
    }
    expect(existsSync(copy.root)).toBe(false);
    expect(existsSync(path.dirname(copy.root))).toBe(false);
    copy.dispose(); // idempotent
  });

  it('refuses a patched path that escapes the root and leaves no temp folder behind', () => {
    const tmpBefore = readdirSync(os.tmpdir()).filter((n) => n.startsWith('tracefix-verify-')).length;
    expect(() => copyWorkspace(user, [{ path: '../evil.py', text: 'x' }])).toThrow(UserError);
    expect(existsSync(path.join(path.dirname(user), 'evil.py'))).toBe(false);
    expect(readdirSync(os.tmpdir()).filter((n) => n.startsWith('tracefix-verify-')).length).toBe(tmpBefore);
  });

  it('fails with a clear UserError when the folder is over the limits', () => {
    expect(() => copyWorkspace(user, [], { maxFiles: 2 })).toThrow(/too large to copy for verification/);
    expect(() => copyWorkspace(user, [], { maxBytes: 10 })).toThrow(UserError);
  });

  it('copies symlinked files as files and keeps links to folders outside the root', () => {
    const outside = path.join(path.dirname(user), 'shared');
    mkdirSync(outside);
    writeFileSync(path.join(outside, 'big.csv'), 'a,b\n');
    symlinkSync(outside, path.join(user, 'shared'));
    symlinkSync(path.join(user, 'calc.py'), path.join(user, 'alias.py'));
    symlinkSync(path.dirname(user), path.join(user, 'up')); // would recurse
    const copy = copyWorkspace(user);
    try {
      expect(lstatSync(path.join(copy.root, 'alias.py')).isFile()).toBe(true);
      expect(lstatSync(path.join(copy.root, 'shared')).isSymbolicLink()).toBe(true);
      expect(readFileSync(path.join(copy.root, 'shared', 'big.csv'), 'utf8')).toBe('a,b\n');
      expect(existsSync(path.join(copy.root, 'up'))).toBe(false);
    } finally {
      copy.dispose();
    }
    expect(existsSync(outside)).toBe(true);
  });
});

describe('targetInCopy', () => {
  it('maps a pytest node id, cwd and root into the copy', () => {
    const copy = copyWorkspace(user);
    try {
      const t = targetInCopy({ target: { kind: 'pytest', nodeId: 'tests/test_calc.py::test_add' }, cwd: user }, copy);
      expect(t.target).toEqual({ kind: 'pytest', nodeId: 'tests/test_calc.py::test_add' });
      expect(t.cwd).toBe(copy.root);
      expect(t.root).toBe(copy.root);
      expect(t.pythonPath).toBe('');
    } finally {
      copy.dispose();
    }
  });

  it('for a script outside the cwd keeps the cwd, runs the copied script and puts the copy on PYTHONPATH', () => {
    const elsewhere = mkdtempSync(path.join(os.tmpdir(), 'tfx-cwd-'));
    const copy = copyWorkspace(user);
    try {
      const opts = recordOptionsInCopy({ target: { kind: 'script', path: path.join(user, 'calc.py') }, cwd: elsewhere, env: { PYTHONPATH: '/opt/x' } }, copy);
      expect(opts.target).toEqual({ kind: 'script', path: path.join(copy.root, 'calc.py') });
      expect(opts.cwd).toBe(elsewhere);
      expect(opts.root).toBe(copy.root);
      expect(opts.programEnv?.PYTHONPATH).toBe(`${copy.root}${path.delimiter}/opt/x`);
    } finally {
      copy.dispose();
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});
