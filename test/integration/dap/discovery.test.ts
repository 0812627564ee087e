// Where debugpy comes from, with real interpreters: the interpreter's own, then the folder given as
// debugpyPath (the Python Debugger extension's bundled/libs, or --debugpy-path), then Tracefix's own
// bundled copy (bundled/libs, debugpy 1.8). Recordings on pyenv 3.12 / 3.13 (no debugpy of their own)
// prove the bundled copy really runs there.
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBundledDebugpy } from '../../../scripts/bundle-debugpy.mjs';
import { findInterpreter } from '../../../src/core/dap/python';
import { UserError } from '../../../src/core/errors';
import { recordTrace } from '../../../src/core/trace/record';

const SYSTEM_PYTHON = '/usr/bin/python3';
const tmp = mkdtempSync(path.join(tmpdir(), 'tfx-discovery-'));

/** `$(pyenv root)/versions/<minor>.x/bin/python`: the machine image has 3.8–3.13, none with debugpy. */
function pyenvPython(minor: string): string {
  const root = process.env.PYENV_ROOT || path.join(homedir(), '.pyenv');
  const versions = existsSync(path.join(root, 'versions'))
    ? readdirSync(path.join(root, 'versions'))
    : [];
  const v = versions
    .filter((d) => d.startsWith(`${minor}.`))
    .sort()
    .pop();
  if (!v)
    throw new Error(
      `this test needs a pyenv Python ${minor} in ${root}/versions (found: ${versions.join(', ') || 'none'})`,
    );
  return path.join(root, 'versions', v, 'bin', 'python');
}

/** /usr/bin/python3 without site-packages: cannot import the system's debugpy, but PYTHONPATH works. */
function pythonWithoutDebugpy(): string {
  const wrapper = path.join(tmp, 'python-no-site');
  writeFileSync(wrapper, `#!/bin/sh\nexec ${SYSTEM_PYTHON} -S "$@"\n`, { mode: 0o755 });
  return wrapper;
}

/** A stand-in Python Debugger extension folder whose bundled/libs/debugpy is a link to `debugpyPackage`. */
function debugpyExtension(name: string, debugpyPackage: string): string {
  const ext = path.join(tmp, name);
  mkdirSync(path.join(ext, 'bundled', 'libs'), { recursive: true });
  symlinkSync(debugpyPackage, path.join(ext, 'bundled', 'libs', 'debugpy'));
  return ext;
}

/** A dir holding `python3` → target, for PATH searches. */
function pathDir(name: string, target: string): string {
  const dir = path.join(tmp, name);
  mkdirSync(dir);
  symlinkSync(target, path.join(dir, 'python3'));
  return dir;
}

let bundled: string;
let systemDebugpy: string;

beforeAll(() => {
  bundled = ensureBundledDebugpy({ log: () => {} }).path;
  systemDebugpy = path.dirname(
    execFileSync(SYSTEM_PYTHON, ['-c', 'import debugpy; print(debugpy.__file__)'], {
      encoding: 'utf8',
    }).trim(),
  );
}, 120_000);

describe('debugpy discovery order', () => {
  it("1. the interpreter's own debugpy comes first, even with a debugpyPath and the bundled copy present", async () => {
    const ext = debugpyExtension('ext-own', path.join(bundled, 'debugpy'));
    const i = await findInterpreter({
      python: SYSTEM_PYTHON,
      debugpyPath: ext,
      bundledDebugpyPath: bundled,
    });
    expect(i.debugpySource).toBe('interpreter');
    expect(i.debugpyPath).toBe(path.dirname(systemDebugpy));
    expect(i.extraPythonPath).toBe('');
  });

  it("2. the Python Debugger extension's copy (debugpyPath) comes before Tracefix's bundled copy", async () => {
    const python = pythonWithoutDebugpy();
    const ext = debugpyExtension('ext-second', systemDebugpy);
    const i = await findInterpreter({ python, debugpyPath: ext, bundledDebugpyPath: bundled });
    expect(i.debugpySource).toBe('debugpy-path');
    expect(i.debugpyPath).toBe(path.join(ext, 'bundled', 'libs'));
    expect(i.debugpyVersion).toMatch(/^1\.6\./);
  });

  it("3. Tracefix's bundled debugpy 1.8 when neither has one, and a real recording works with it", async () => {
    const python = pythonWithoutDebugpy();
    const i = await findInterpreter({ python, bundledDebugpyPath: bundled });
    expect(i).toMatchObject({
      python,
      debugpySource: 'bundled',
      debugpyPath: bundled,
      extraPythonPath: bundled,
    });
    expect(i.debugpyVersion).toMatch(/^1\.8\./);
    // Without bundledDebugpyPath, the copy next to the sources (bundled/libs of this checkout) is found.
    expect((await findInterpreter({ python })).debugpyPath).toBe(bundled);
  });

  it('nothing anywhere: one no-debugpy error naming the interpreter and how to get debugpy', async () => {
    const python = pythonWithoutDebugpy();
    const e = await findInterpreter({ python, bundledDebugpyPath: null }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UserError);
    expect((e as UserError).code).toBe('no-debugpy');
    expect((e as UserError).message).toContain(python);
    expect((e as UserError).hint).toMatch(/pip install debugpy/);
  });

  it('a bundled copy whose Requires-Python excludes the interpreter is skipped, and the error says so', async () => {
    const libs = path.join(tmp, 'future-libs');
    mkdirSync(path.join(libs, 'debugpy-9.0.0.dist-info'), { recursive: true });
    symlinkSync(path.join(bundled, 'debugpy'), path.join(libs, 'debugpy'));
    writeFileSync(
      path.join(libs, 'debugpy-9.0.0.dist-info', 'METADATA'),
      'Name: debugpy\nVersion: 9.0.0\nRequires-Python: >=3.99\n',
    );
    const python = pythonWithoutDebugpy();
    const e = await findInterpreter({ python, bundledDebugpyPath: libs }).catch((x: unknown) => x);
    expect((e as UserError).code).toBe('no-debugpy');
    expect((e as UserError).message).toMatch(
      /Tracefix's bundled debugpy needs Python >=3\.99 \(.* is 3\.\d+\.\d+\)/,
    );
    // The real bundled 1.8 declares >=3.10: a 3.9 interpreter gets the same explanation.
    const py39 = pyenvPython('3.9');
    const e39 = await findInterpreter({ python: py39, bundledDebugpyPath: bundled }).catch(
      (x: unknown) => x,
    );
    expect((e39 as UserError).message).toMatch(/needs Python >=3\.10 \(.*3\.9\.\d+\)/);
  });

  it('PATH: an interpreter with its own debugpy is preferred; otherwise the first one, with the bundled copy', async () => {
    const noDebugpy = pathDir('path-a', pyenvPython('3.12'));
    const system = pathDir('path-b', SYSTEM_PYTHON);
    const both = await findInterpreter({
      env: { PATH: `${noDebugpy}:${system}` },
      bundledDebugpyPath: bundled,
    });
    expect(both).toMatchObject({
      python: path.join(system, 'python3'),
      debugpySource: 'interpreter',
    });
    const only = await findInterpreter({ env: { PATH: noDebugpy }, bundledDebugpyPath: bundled });
    expect(only).toMatchObject({
      python: path.join(noDebugpy, 'python3'),
      debugpySource: 'bundled',
    });
    // TRACEFIX_PYTHON names the interpreter; the bundled copy still supplies debugpy.
    const viaEnv = await findInterpreter({
      env: { PATH: system, TRACEFIX_PYTHON: pyenvPython('3.13') },
      bundledDebugpyPath: bundled,
    });
    expect(viaEnv).toMatchObject({ python: pyenvPython('3.13'), debugpySource: 'bundled' });
  });
});

describe('recording with the bundled debugpy 1.8', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tfx-bundled-rec-'));
  writeFileSync(
    path.join(dir, 'prog.py'),
    'def total(xs):\n    t = 0\n    for x in xs:\n        t += x\n    return t\n\nassert total([1, 2, 3]) == 7\n',
  );

  it.each(['3.12', '3.13'])(
    'pyenv %s (no debugpy of its own) records a real trace',
    async (minor) => {
      const python = pyenvPython(minor);
      // No debugpyPath: the recorder finds this checkout's bundled/libs by itself.
      const trace = await recordTrace({
        target: { kind: 'script', path: 'prog.py' },
        cwd: dir,
        python,
      });
      expect(trace.interpreter).toMatchObject({ path: python, debugpyPath: bundled });
      expect(trace.interpreter.debugpyVersion).toMatch(/^1\.8\./);
      expect(trace.outcome.exception?.type).toBe('AssertionError');
      expect(trace.events.length).toBeGreaterThan(8);
    },
  );
});
