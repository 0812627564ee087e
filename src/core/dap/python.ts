// Finds a Python interpreter and the debugpy it runs. Interpreter: --python, else TRACEFIX_PYTHON,
// else every python3 / python on PATH in order (a pyenv shim first on PATH may lack debugpy while the
// system python3 has it). debugpy, in this order: the interpreter's own; the folder given as
// `debugpyPath` (--debugpy-path, or the Python Debugger extension's bundled/libs); Tracefix's own
// bundled copy (bundled/libs next to dist/, installed at package time by scripts/bundle-debugpy.mjs).
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../errors';
import type { InterpreterOptions } from './types';

export interface Interpreter {
  python: string;
  version: string;
  debugpyVersion: string;
  /** Folder that contains the `debugpy` package. */
  debugpyPath: string;
  /** PYTHONPATH entry needed to import debugpy ('' when the interpreter has it). */
  extraPythonPath: string;
  /** Where debugpy came from: the interpreter itself, `debugpyPath`, or Tracefix's bundled copy. */
  debugpySource?: DebugpySource;
}

export type DebugpySource = 'interpreter' | 'debugpy-path' | 'bundled';

export interface FindInterpreterOptions extends InterpreterOptions {
  /** Tracefix's own debugpy folder. Default: bundled/libs next to the running code (defaultBundledDebugpy);
   * null: none (tests of the other sources). */
  bundledDebugpyPath?: string | null;
}

// Run in the user's folder: a json/ package there must not shadow the standard library. The folders
// given as arguments are tried, in order, when the interpreter has no debugpy of its own (one process
// instead of one per folder: each Python start-up is paid by every recording).
const PROBE = `
import sys
sys.path[:] = [p for p in sys.path if p not in ('', '.')]
import json, os
out = {"version": sys.version.split()[0], "executable": sys.executable}
def found():
    import debugpy
    return {"version": debugpy.__version__, "path": os.path.dirname(os.path.dirname(os.path.abspath(debugpy.__file__)))}
try:
    out["debugpy"] = found()
except Exception as e:
    out["debugpyError"] = type(e).__name__ + ": " + str(e)
    for folder in sys.argv[1:]:
        for name in [m for m in sys.modules if m == "debugpy" or m.startswith("debugpy.")]:
            del sys.modules[name]
        sys.path.insert(0, folder)
        try:
            out["fallback"] = dict(found(), root=folder)
            break
        except Exception:
            sys.path.remove(folder)
print(json.dumps(out))
`;

interface ProbeResult {
  version: string;
  executable: string;
  debugpy?: { version: string; path: string };
  debugpyError?: string;
  /** The first of the fallback folders given whose debugpy imports (no debugpy of its own). */
  fallback?: { version: string; path: string; root: string };
}

export const DEBUGPY_INSTALL_HINT =
  'Install debugpy for that interpreter: `sudo apt-get install python3-debugpy` (Debian/Ubuntu system python) ' +
  'or `<python> -m pip install debugpy`; or point Tracefix at a debugpy folder with --debugpy-path ' +
  '(the ms-python.debugpy VS Code extension bundles one in <extension>/bundled/libs).';

function probe(
  python: string,
  env: NodeJS.ProcessEnv,
  pythonPath?: string,
  fallbacks: string[] = [],
): Promise<ProbeResult | undefined> {
  const childEnv = { ...env };
  if (pythonPath)
    childEnv.PYTHONPATH = [pythonPath, env.PYTHONPATH].filter(Boolean).join(path.delimiter);
  return new Promise((resolve) => {
    execFile(
      python,
      ['-c', PROBE, ...fallbacks],
      { env: childEnv, timeout: 15_000 },
      (err, stdout) => {
        if (err) return resolve(undefined);
        try {
          resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '') as ProbeResult);
        } catch {
          resolve(undefined);
        }
      },
    );
  });
}

/** The folder to put on PYTHONPATH so that `import debugpy` finds the package in `dir`. */
export function debugpyImportRoot(dir: string): string | undefined {
  const abs = path.resolve(dir);
  if (existsSync(path.join(abs, 'debugpy', '__init__.py'))) return abs;
  if (existsSync(path.join(abs, '__init__.py')) && path.basename(abs) === 'debugpy')
    return path.dirname(abs);
  if (existsSync(path.join(abs, 'bundled', 'libs', 'debugpy', '__init__.py')))
    return path.join(abs, 'bundled', 'libs');
  return undefined;
}

function isExecutableFile(p: string): boolean {
  try {
    const s = statSync(p);
    return s.isFile() && (s.mode & 0o111) !== 0;
  } catch {
    return false;
  }
}

/** Every python3 then python on PATH, in PATH order, without duplicates. */
export function pathCandidates(env: NodeJS.ProcessEnv): string[] {
  const dirs = (env.PATH ?? '').split(path.delimiter).filter(Boolean);
  const names =
    process.platform === 'win32' ? ['python.exe', 'python3.exe'] : ['python3', 'python'];
  const seen = new Set<string>();
  const out: string[] = [];
  for (const name of names) {
    for (const dir of dirs) {
      const p = path.join(dir, name);
      if (!isExecutableFile(p)) continue;
      let key = p;
      try {
        key = realpathSync(p);
      } catch {
        /* keep p */
      }
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(p);
    }
  }
  return out;
}

/**
 * Tracefix's bundled debugpy (`bundled/libs`): next to `dist/` in the VSIX, the npm package and a built
 * checkout, or three levels above src/core/dap when the sources run directly (tests).
 */
export function defaultBundledDebugpy(from: string = __dirname): string | undefined {
  for (const up of ['..', path.join('..', '..', '..')]) {
    const libs = path.resolve(from, up, 'bundled', 'libs');
    if (existsSync(path.join(libs, 'debugpy', '__init__.py'))) return libs;
  }
  return undefined;
}

/** `Requires-Python` of the debugpy wheel installed in `root` (pip --target keeps its dist-info). */
export function debugpyRequiresPython(root: string): string | undefined {
  try {
    const distInfo = readdirSync(root).find((d) => /^debugpy-.+\.dist-info$/.test(d));
    if (!distInfo) return undefined;
    return /^Requires-Python:\s*(.+?)\s*$/m.exec(
      readFileSync(path.join(root, distInfo, 'METADATA'), 'utf8'),
    )?.[1];
  } catch {
    return undefined;
  }
}

function versionParts(v: string): number[] {
  return v
    .split('.')
    .map((p) => Number.parseInt(p, 10))
    .map((n) => (Number.isFinite(n) ? n : 0));
}

function compareVersions(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Whether Python `version` (e.g. 3.12.1) meets a Requires-Python such as `>=3.10` or `>=3.8, !=3.9.*`.
 * Clauses it cannot read are taken as met: the probe that follows is the real test. */
export function satisfiesRequiresPython(version: string, spec: string): boolean {
  const have = versionParts(version);
  for (const clause of spec
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean)) {
    const m = /^(>=|<=|==|!=|~=|>|<)\s*([0-9][0-9.]*)(\.\*)?$/.exec(clause);
    if (!m) continue;
    const [, op, raw = '', wildcard] = m;
    const want = versionParts(raw);
    const cmp = compareVersions(wildcard ? have.slice(0, want.length) : have, want);
    const ok =
      op === '>='
        ? cmp >= 0
        : op === '<='
          ? cmp <= 0
          : op === '>'
            ? cmp > 0
            : op === '<'
              ? cmp < 0
              : op === '=='
                ? cmp === 0
                : op === '!='
                  ? cmp !== 0
                  : // ~=X.Y: >= X.Y and == X.*
                    cmp >= 0 &&
                    compareVersions(have.slice(0, want.length - 1), want.slice(0, -1)) === 0;
    if (!ok) return false;
  }
  return true;
}

interface DebugpyFolder {
  root: string;
  source: Exclude<DebugpySource, 'interpreter'>;
  requiresPython?: string;
}

const cache = new Map<string, Promise<Interpreter>>();

export function findInterpreter(opts: FindInterpreterOptions = {}): Promise<Interpreter> {
  const env = opts.env ?? process.env;
  const bundled =
    opts.bundledDebugpyPath === undefined
      ? defaultBundledDebugpy()
      : (opts.bundledDebugpyPath ?? undefined);
  const key = JSON.stringify([
    opts.python,
    opts.debugpyPath,
    bundled,
    env.TRACEFIX_PYTHON,
    env.PATH,
  ]);
  let p = cache.get(key);
  if (!p) {
    p = discover(opts, env, bundled);
    cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return p;
}

function fallbackFolders(opts: InterpreterOptions, bundled: string | undefined): DebugpyFolder[] {
  const folders: DebugpyFolder[] = [];
  if (opts.debugpyPath) {
    const root = debugpyImportRoot(opts.debugpyPath);
    if (!root) {
      throw new UserError(
        'no-debugpy',
        `No debugpy package found in ${opts.debugpyPath}.`,
        'Give the folder that contains the `debugpy` package (e.g. <ms-python.debugpy extension>/bundled/libs).',
      );
    }
    folders.push({ root, source: 'debugpy-path', requiresPython: debugpyRequiresPython(root) });
  }
  const bundledRoot = bundled ? debugpyImportRoot(bundled) : undefined;
  if (bundledRoot && !folders.some((f) => f.root === bundledRoot)) {
    folders.push({
      root: bundledRoot,
      source: 'bundled',
      requiresPython: debugpyRequiresPython(bundledRoot),
    });
  }
  return folders;
}

async function discover(
  opts: InterpreterOptions,
  env: NodeJS.ProcessEnv,
  bundled: string | undefined,
): Promise<Interpreter> {
  const explicit = opts.python ?? (env.TRACEFIX_PYTHON || undefined);
  const candidates = explicit ? [explicit] : pathCandidates(env);
  const from = opts.python ? '--python' : explicit ? 'TRACEFIX_PYTHON' : 'PATH';
  if (candidates.length === 0) {
    throw new UserError(
      'no-python',
      'No Python interpreter found: neither python3 nor python is on PATH.',
      'Install Python 3 (`sudo apt-get install python3`) or pass --python /path/to/python.',
    );
  }
  const folders = fallbackFolders(opts, bundled);
  // 1. An interpreter with its own debugpy, in candidate order (probed at once: a pyenv shim alone
  // takes ~0.1 s to start).
  const runnable: { python: string; version: string; fallback?: ProbeResult['fallback'] }[] = [];
  const probes = candidates.map((python) =>
    probe(
      python,
      env,
      undefined,
      folders.map((f) => f.root),
    ),
  );
  for (const [i, python] of candidates.entries()) {
    const r = await probes[i];
    if (!r) continue;
    runnable.push({ python, version: r.version, fallback: r.fallback });
    if (r.debugpy) {
      return {
        python,
        version: r.version,
        debugpyVersion: r.debugpy.version,
        debugpyPath: r.debugpy.path,
        extraPythonPath: '',
        debugpySource: 'interpreter',
      };
    }
  }
  if (runnable.length === 0) {
    throw new UserError(
      'no-python',
      explicit
        ? `The Python interpreter from ${from} (${explicit}) could not be run.`
        : 'No working Python interpreter found on PATH.',
      'Install Python 3 or pass --python /path/to/python.',
    );
  }
  // 2. The given debugpy folder, then 3. Tracefix's bundled copy, each with the first interpreter it supports.
  const unsupported: string[] = [];
  for (const folder of folders) {
    for (const { python, version, fallback } of runnable) {
      if (folder.requiresPython && !satisfiesRequiresPython(version, folder.requiresPython)) {
        unsupported.push(
          `${folder.source === 'bundled' ? "Tracefix's bundled debugpy" : `the debugpy in ${folder.root}`} needs Python ${folder.requiresPython} (${python} is ${version})`,
        );
        continue;
      }
      // The first probe tried the folders in order: the one it imported from needs no second Python
      // start-up; those before it did not import. Only a folder after one refused here (its
      // Requires-Python) is probed again.
      const at = fallback ? folders.findIndex((f) => f.root === fallback.root) : folders.length;
      const here = folders.indexOf(folder);
      const r =
        here === at
          ? { version, executable: python, debugpy: fallback }
          : here < at
            ? undefined
            : await probe(python, env, folder.root);
      if (r?.debugpy) {
        return {
          python,
          version: r.version,
          debugpyVersion: r.debugpy.version,
          debugpyPath: r.debugpy.path,
          extraPythonPath: folder.root,
          debugpySource: folder.source,
        };
      }
    }
  }
  const tried = candidates.join(', ');
  const why = unsupported.length ? `; ${unsupported.join('; ')}` : '';
  throw new UserError(
    'no-debugpy',
    `debugpy is not installed for ${explicit ? explicit : `any Python on PATH (tried ${tried})`}${why}.`,
    DEBUGPY_INSTALL_HINT,
  );
}
