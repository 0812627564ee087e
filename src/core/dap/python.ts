// Finds a Python interpreter that can run debugpy: --python, else TRACEFIX_PYTHON, else every
// python3 / python on PATH in order (a pyenv shim first on PATH may lack debugpy while the system
// python3 has it), falling back to a debugpy folder (e.g. the ms-python.debugpy extension's bundled copy).
import { execFile } from 'node:child_process';
import { existsSync, realpathSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../errors';
import type { InterpreterOptions } from '../trace/options';

export interface Interpreter {
  python: string;
  version: string;
  debugpyVersion: string;
  /** Folder that contains the `debugpy` package. */
  debugpyPath: string;
  /** PYTHONPATH entry needed to import debugpy ('' when the interpreter has it). */
  extraPythonPath: string;
}

const PROBE = `
import json, sys
out = {"version": sys.version.split()[0], "executable": sys.executable}
try:
    import debugpy, os
    out["debugpy"] = {"version": debugpy.__version__, "path": os.path.dirname(os.path.dirname(os.path.abspath(debugpy.__file__)))}
except Exception as e:
    out["debugpyError"] = type(e).__name__ + ": " + str(e)
print(json.dumps(out))
`;

interface ProbeResult {
  version: string;
  executable: string;
  debugpy?: { version: string; path: string };
  debugpyError?: string;
}

export const DEBUGPY_INSTALL_HINT =
  'Install debugpy for that interpreter: `sudo apt-get install python3-debugpy` (Debian/Ubuntu system python) ' +
  'or `<python> -m pip install debugpy`; or point Tracefix at a debugpy folder with --debugpy-path ' +
  '(the ms-python.debugpy VS Code extension bundles one in <extension>/bundled/libs).';

function probe(python: string, env: NodeJS.ProcessEnv, pythonPath?: string): Promise<ProbeResult | undefined> {
  const childEnv = { ...env };
  if (pythonPath) childEnv.PYTHONPATH = [pythonPath, env.PYTHONPATH].filter(Boolean).join(path.delimiter);
  return new Promise((resolve) => {
    execFile(python, ['-c', PROBE], { env: childEnv, timeout: 15_000 }, (err, stdout) => {
      if (err) return resolve(undefined);
      try {
        resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '') as ProbeResult);
      } catch {
        resolve(undefined);
      }
    });
  });
}

/** The folder to put on PYTHONPATH so that `import debugpy` finds the package in `dir`. */
export function debugpyImportRoot(dir: string): string | undefined {
  const abs = path.resolve(dir);
  if (existsSync(path.join(abs, 'debugpy', '__init__.py'))) return abs;
  if (existsSync(path.join(abs, '__init__.py')) && path.basename(abs) === 'debugpy') return path.dirname(abs);
  if (existsSync(path.join(abs, 'bundled', 'libs', 'debugpy', '__init__.py'))) return path.join(abs, 'bundled', 'libs');
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
  const names = process.platform === 'win32' ? ['python.exe', 'python3.exe'] : ['python3', 'python'];
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

const cache = new Map<string, Promise<Interpreter>>();

export function findInterpreter(opts: InterpreterOptions = {}): Promise<Interpreter> {
  const env = opts.env ?? process.env;
  const key = JSON.stringify([opts.python, opts.debugpyPath, env.TRACEFIX_PYTHON, env.PATH]);
  let p = cache.get(key);
  if (!p) {
    p = discover(opts, env);
    cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return p;
}

async function discover(opts: InterpreterOptions, env: NodeJS.ProcessEnv): Promise<Interpreter> {
  const explicit = opts.python ?? (env.TRACEFIX_PYTHON || undefined);
  const candidates = explicit ? [explicit] : pathCandidates(env);
  const from = opts.python ? '--python' : explicit ? 'TRACEFIX_PYTHON' : 'PATH';
  if (candidates.length === 0) {
    throw new UserError('no-python', 'No Python interpreter found: neither python3 nor python is on PATH.',
      'Install Python 3 (`sudo apt-get install python3 python3-debugpy`) or pass --python /path/to/python.');
  }
  let extra: string | undefined;
  if (opts.debugpyPath) {
    extra = debugpyImportRoot(opts.debugpyPath);
    if (!extra) {
      throw new UserError('no-debugpy', `No debugpy package found in ${opts.debugpyPath}.`,
        'Give the folder that contains the `debugpy` package (e.g. <ms-python.debugpy extension>/bundled/libs).');
    }
  }
  const found: ProbeResult[] = [];
  for (const python of candidates) {
    const r = await probe(python, env);
    if (!r) continue;
    found.push(r);
    if (r.debugpy) {
      return { python, version: r.version, debugpyVersion: r.debugpy.version, debugpyPath: r.debugpy.path, extraPythonPath: '' };
    }
  }
  if (found.length === 0) {
    throw new UserError('no-python', explicit
      ? `The Python interpreter from ${from} (${explicit}) could not be run.`
      : 'No working Python interpreter found on PATH.', 'Install Python 3 or pass --python /path/to/python.');
  }
  if (extra) {
    for (const python of candidates) {
      const r = await probe(python, env, extra);
      if (r?.debugpy) {
        return { python, version: r.version, debugpyVersion: r.debugpy.version, debugpyPath: r.debugpy.path, extraPythonPath: extra };
      }
    }
  }
  const tried = candidates.join(', ');
  throw new UserError('no-debugpy', `debugpy is not installed for ${explicit ? explicit : `any Python on PATH (tried ${tried})`}.`,
    DEBUGPY_INSTALL_HINT);
}
