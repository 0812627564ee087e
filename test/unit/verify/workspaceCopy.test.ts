import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CancelledError, UserError } from '../../../src/core/errors';
import { copyWorkspace } from '../../../src/core/verify/workspaceCopy';
import {
  copyForRun,
  foldersToCopy,
  recordOptionsInCopy,
  targetInCopy,
} from '../../../src/core/verify/targetInCopy';
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
  write(
    'tests/test_calc.py',
    'from calc import add\n\ndef test_add():\n    assert add(1, 2) == 3\n',
  );
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
  it('copies the root minus VCS, venvs, caches and node_modules, writes patched files only into the copy', async () => {
    const before = snapshot(user);
    const copy = await copyWorkspace(user, [
      { path: 'calc.py', text: 'def add(a, b):\n    return a + b\n' },
      { path: 'pkg/new.py', text: 'N = 1\n' },
    ]);
    try {
      expect(path.basename(copy.root)).toBe('proj');
      expect(copy.root.startsWith(os.tmpdir())).toBe(true);
      const copied = snapshot(copy.root);
      expect(Object.keys(copied).sort()).toEqual([
        'calc.py',
        'data/input.txt',
        'pkg/new.py',
        'tests/test_calc.py',
      ]);
      expect(copied['calc.py']).toContain('a + b');
      expect(snapshot(user)).toEqual(before);
      expect(copy.map(path.join(user, 'tests', 'test_calc.py'))).toBe(
        path.join(copy.root, 'tests', 'test_calc.py'),
      );
      expect(copy.map('/usr/lib')).toBe('/usr/lib');
    } finally {
      copy.dispose();
    }
    expect(existsSync(copy.root)).toBe(false);
    expect(existsSync(path.dirname(copy.root))).toBe(false);
    copy.dispose(); // idempotent
  });

  it('refuses a patched path that escapes the root and leaves no temp folder behind', async () => {
    const tmpBefore = readdirSync(os.tmpdir()).filter((n) =>
      n.startsWith('tracefix-verify-'),
    ).length;
    await expect(copyWorkspace(user, [{ path: '../evil.py', text: 'x' }])).rejects.toThrow(
      UserError,
    );
    expect(existsSync(path.join(path.dirname(user), 'evil.py'))).toBe(false);
    expect(readdirSync(os.tmpdir()).filter((n) => n.startsWith('tracefix-verify-')).length).toBe(
      tmpBefore,
    );
  });

  it('fails with a clear UserError when the folder is over the limits', async () => {
    await expect(copyWorkspace(user, [], { limits: { maxFiles: 2 } })).rejects.toThrow(
      /too large to copy for verification/,
    );
    await expect(copyWorkspace(user, [], { limits: { maxBytes: 10 } })).rejects.toThrow(UserError);
  });

  it('is cancellable: an aborted signal rejects with CancelledError and leaves no temp folder', async () => {
    for (let i = 0; i < 300; i++) write(`many/f${i}.txt`, 'x'.repeat(100));
    const ac = new AbortController();
    const before = readdirSync(os.tmpdir()).filter((n) => n.startsWith('tracefix-verify-'));
    const p = copyWorkspace(user, [], { signal: ac.signal });
    ac.abort();
    await expect(p).rejects.toBeInstanceOf(CancelledError);
    const after = readdirSync(os.tmpdir()).filter(
      (n) => n.startsWith('tracefix-verify-') && !before.includes(n),
    );
    expect(after.filter((n) => existsSync(path.join(os.tmpdir(), n, 'proj', 'calc.py')))).toEqual(
      [],
    );
  });

  it('does not block the event loop while copying a large folder', async () => {
    for (let i = 0; i < 2000; i++) write(`bulk/d${i % 40}/f${i}.py`, `X = ${i}\n`);
    let ticks = 0;
    const timer = setInterval(() => (ticks += 1), 1);
    const copy = await copyWorkspace(user);
    clearInterval(timer);
    try {
      expect(copy.files).toBeGreaterThan(2000);
      // A synchronous walk would let no timer fire until it returned.
      expect(ticks).toBeGreaterThan(0);
    } finally {
      copy.dispose();
    }
  });

  it('keeps links inside the root as relative links into the copy, materialises linked files and folders from elsewhere', async () => {
    const outside = path.join(path.dirname(user), 'shared');
    mkdirSync(outside);
    writeFileSync(path.join(outside, 'big.csv'), 'a,b\n');
    writeFileSync(path.join(outside, 'helper.py'), 'H = 1\n');
    // A link back into the project from the linked folder stays a link into the copy.
    symlinkSync(path.join(user, 'calc.py'), path.join(outside, 'calc_alias.py'));
    symlinkSync(outside, path.join(outside, 'loop')); // would recurse
    symlinkSync(outside, path.join(user, 'shared'));
    symlinkSync(path.join(user, 'calc.py'), path.join(user, 'alias.py'));
    symlinkSync(path.join(outside, 'helper.py'), path.join(user, 'helper.py'));
    symlinkSync(path.join(user, 'data'), path.join(user, 'data_link'));
    symlinkSync(path.join(user, 'myenv', 'lib'), path.join(user, 'envlib')); // into a venv: not copied
    symlinkSync(path.dirname(user), path.join(user, 'up')); // would recurse
    // A patch to the link's target is seen through the link in the copy.
    const copy = await copyWorkspace(user, [
      { path: 'calc.py', text: 'PATCHED = 1\n' },
      { path: 'helper.py', text: 'H = 2\n' },
    ]);
    try {
      const inCopy = (rel: string) => path.join(copy.root, rel);
      expect(lstatSync(inCopy('alias.py')).isSymbolicLink()).toBe(true);
      expect(readlinkSync(inCopy('alias.py'))).toBe('calc.py');
      expect(readFileSync(inCopy('alias.py'), 'utf8')).toBe('PATCHED = 1\n');
      expect(readlinkSync(inCopy('data_link'))).toBe('data');
      expect(lstatSync(inCopy('helper.py')).isFile()).toBe(true);
      expect(readFileSync(inCopy('helper.py'), 'utf8')).toBe('H = 2\n');
      expect(readFileSync(path.join(outside, 'helper.py'), 'utf8')).toBe('H = 1\n');
      expect(lstatSync(inCopy('shared')).isDirectory()).toBe(true);
      expect(readFileSync(inCopy('shared/big.csv'), 'utf8')).toBe('a,b\n');
      expect(readlinkSync(inCopy('shared/calc_alias.py'))).toBe('../calc.py');
      expect(readFileSync(inCopy('shared/calc_alias.py'), 'utf8')).toBe('PATCHED = 1\n');
      expect(existsSync(inCopy('shared/loop'))).toBe(false);
      expect(lstatSync(inCopy('envlib')).isDirectory()).toBe(true);
      expect(readFileSync(inCopy('envlib/site.py'), 'utf8')).toBe('x = 1\n');
      expect(existsSync(inCopy('up'))).toBe(false);
      // Every link in the copy resolves inside it.
      for (const link of linksUnder(copy.dir))
        expect(realpathSync(link).startsWith(realpathSync(copy.dir) + path.sep)).toBe(true);
    } finally {
      copy.dispose();
    }
    expect(existsSync(outside)).toBe(true);
  });

  it('attack: a patch to a shared helper.py reached through a folder symlink lands in the copy only', async () => {
    const outside = path.join(path.dirname(user), 'shared');
    mkdirSync(outside);
    writeFileSync(path.join(outside, 'helper.py'), 'def helper():\n    return 1\n');
    symlinkSync(outside, path.join(user, 'lib'));
    const evil = 'import os\nos.system("touch /tmp/pwned")\n';
    const copy = await copyWorkspace(user, [{ path: 'lib/helper.py', text: evil }]);
    try {
      expect(readFileSync(path.join(copy.root, 'lib', 'helper.py'), 'utf8')).toBe(evil);
    } finally {
      copy.dispose();
    }
    expect(readFileSync(path.join(outside, 'helper.py'), 'utf8')).toBe(
      'def helper():\n    return 1\n',
    );
  });
});

function linksUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isSymbolicLink()) out.push(p);
    else if (e.isDirectory()) out.push(...linksUnder(p));
  }
  return out;
}

describe('targetInCopy', () => {
  it('maps a pytest node id, cwd and root into the copy', async () => {
    const copy = await copyWorkspace(user);
    try {
      const t = targetInCopy(
        { target: { kind: 'pytest', nodeId: 'tests/test_calc.py::test_add' }, cwd: user },
        copy,
      );
      expect(t.target).toEqual({ kind: 'pytest', nodeId: 'tests/test_calc.py::test_add' });
      expect(t.cwd).toBe(copy.root);
      expect(t.root).toBe(copy.root);
      expect(t.pythonPath).toBe('');
    } finally {
      copy.dispose();
    }
  });

  it('a script outside the cwd: the cwd is copied too, the program runs there and the copied root is on PYTHONPATH', async () => {
    const elsewhere = mkdtempSync(path.join(os.tmpdir(), 'tfx-cwd-'));
    writeFileSync(path.join(elsewhere, 'input.txt'), 'data\n');
    const opts = {
      target: { kind: 'script' as const, path: path.join(user, 'calc.py') },
      cwd: elsewhere,
      env: { PYTHONPATH: '/opt/x' },
    };
    expect(foldersToCopy({ root: user, cwd: elsewhere })).toEqual({
      base: user,
      extra: [elsewhere],
    });
    const copy = await copyForRun(opts, [{ path: 'calc.py', text: 'X = 1\n' }]);
    try {
      const r = recordOptionsInCopy(opts, copy);
      expect(r.target).toEqual({ kind: 'script', path: path.join(copy.root, 'calc.py') });
      expect(r.cwd.startsWith(copy.dir)).toBe(true);
      expect(readFileSync(path.join(r.cwd, 'input.txt'), 'utf8')).toBe('data\n');
      expect(readFileSync(path.join(copy.root, 'calc.py'), 'utf8')).toBe('X = 1\n');
      expect(r.root).toBe(copy.root);
      expect(r.programEnv?.PYTHONPATH).toBe(`${copy.root}${path.delimiter}/opt/x`);
      expect(copy.originals.sort()).toEqual([elsewhere, user].sort());
    } finally {
      copy.dispose();
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('--root src run from the project folder: the project is copied, the cwd and root both map into it, patches land under src', async () => {
    write('src/pkg/mod.py', 'V = 1\n');
    const opts = {
      target: { kind: 'pytest' as const, nodeId: 'tests/test_calc.py::test_add' },
      cwd: user,
      root: 'src',
    };
    expect(foldersToCopy({ root: path.join(user, 'src'), cwd: user })).toEqual({
      base: user,
      extra: [],
    });
    const copy = await copyForRun(opts, [{ path: 'pkg/mod.py', text: 'V = 2\n' }]);
    try {
      const t = targetInCopy(opts, copy);
      expect(t.cwd).toBe(copy.root);
      expect(t.root).toBe(path.join(copy.root, 'src'));
      expect(t.target).toEqual({ kind: 'pytest', nodeId: 'tests/test_calc.py::test_add' });
      expect(t.pythonPath).toBe(path.join(copy.root, 'src'));
      expect(readFileSync(path.join(copy.root, 'src/pkg/mod.py'), 'utf8')).toBe('V = 2\n');
      expect(readFileSync(path.join(user, 'src/pkg/mod.py'), 'utf8')).toBe('V = 1\n');
    } finally {
      copy.dispose();
    }
  });

  it('refuses to copy a home folder or / that merely contains the root', () => {
    expect(() =>
      foldersToCopy({ root: path.join(os.homedir(), 'proj'), cwd: os.homedir() }),
    ).toThrow(/too broad to copy/);
    expect(() => foldersToCopy({ root: '/srv/proj', cwd: '/' })).toThrow(UserError);
  });
});
