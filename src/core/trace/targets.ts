// Resolves what to run into a debugpy launch configuration and the user-code root, and checks up
// front what would otherwise only fail inside the debuggee (missing file, syntax error, no pytest).
// Nothing here looks at the other files under the root: what is user code is decided at run time.
import { execFile } from 'node:child_process';
import { existsSync, realpathSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../errors';
import type { Interpreter } from '../dap/python';
import type { RunTarget, SpawnWrapper } from './options';
import type { TargetKind } from './model';
import { PYTEST_PLUGIN } from './helperSource';

export interface ResolvedTarget {
  kind: TargetKind;
  label: string;
  /** Fields merged into the debugpy launch request. */
  launch: { program?: string; module?: string; args: string[] };
  root: string;
  cwd: string;
  /** The file the user pointed at (script or test file), if any. */
  mainFile?: string;
}

export function resolveTarget(
  target: RunTarget,
  cwdIn: string,
  args: string[],
  rootIn?: string,
): ResolvedTarget {
  const cwd = realpath(path.resolve(cwdIn));
  if (!isDir(cwd)) throw new UserError('file-not-found', `Working directory not found: ${cwdIn}`);
  if (rootIn !== undefined && !isDir(path.resolve(cwd, rootIn)))
    throw new UserError('file-not-found', `Root folder not found: ${rootIn}`);
  switch (target.kind) {
    case 'script': {
      const file = path.resolve(cwd, target.path);
      if (!existsSync(file) || !statSync(file).isFile())
        throw new UserError('file-not-found', `File not found: ${target.path}`);
      const real = realpath(file);
      const root = rootIn
        ? realpath(path.resolve(cwd, rootIn))
        : inside(real, cwd)
          ? cwd
          : path.dirname(real);
      return {
        kind: 'script',
        label: target.path,
        launch: { program: real, args },
        root,
        cwd,
        mainFile: real,
      };
    }
    case 'module': {
      if (!/^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$/.test(target.module)) {
        throw new UserError('bad-argument', `Not a Python module name: ${target.module}`);
      }
      const root = rootIn ? realpath(path.resolve(cwd, rootIn)) : cwd;
      return {
        kind: 'module',
        label: `-m ${target.module}`,
        launch: { module: target.module, args },
        root,
        cwd,
      };
    }
    case 'pytest': {
      const filePart = target.nodeId.split('::')[0] ?? '';
      const file = path.resolve(cwd, filePart);
      if (!filePart || !existsSync(file))
        throw new UserError('file-not-found', `Test file not found: ${filePart || target.nodeId}`);
      const real = realpath(file);
      const root = rootIn
        ? realpath(path.resolve(cwd, rootIn))
        : inside(real, cwd)
          ? cwd
          : path.dirname(real);
      // -p no:cacheprovider: never write .pytest_cache into the user's tree; -q: short report;
      // Tracefix's plugin arms the recording around the selected test only (injected at entry).
      const pytestArgs = [
        target.nodeId,
        '-q',
        '-p',
        'no:cacheprovider',
        '-p',
        PYTEST_PLUGIN,
        ...args,
      ];
      return {
        kind: 'pytest',
        label: target.nodeId,
        launch: { module: 'pytest', args: pytestArgs },
        root,
        cwd,
        mainFile: isDir(real) ? undefined : real,
      };
    }
  }
}

// The working directory is the user's folder: a json/ or re/ package there must not shadow the
// standard library this check imports (sys is built in; the cwd is put back for find_spec only).
const PREFLIGHT = `
import sys
sys.path[:] = [p for p in sys.path if p not in ('', '.')]
import json, importlib.util
req = json.loads(sys.argv[1])
out = {}
for f in req.get("compile", []):
    try:
        with open(f, "rb") as fh:
            compile(fh.read(), f, "exec", dont_inherit=True)
    except SyntaxError as e:
        out["syntaxError"] = {"file": e.filename or f, "line": e.lineno or 0, "msg": e.msg}
        break
if req.get("module"):
    sys.path.insert(0, req["cwd"])
    try:
        spec = importlib.util.find_spec(req["module"])
        if spec is None:
            out["moduleMissing"] = True
        else:
            origin = spec.origin
            if spec.submodule_search_locations is not None:
                main = importlib.util.find_spec(req["module"] + ".__main__")
                origin = main.origin if main is not None else origin
            out["origin"] = origin
    except Exception as e:
        out["moduleMissing"] = True
if req.get("pytest"):
    try:
        import pytest
    except Exception:
        out["pytestMissing"] = True
print(json.dumps(out))
`;

/** Fails with a clear UserError for what cannot produce a trace: syntax error, missing module or
 * pytest. Returns the file a module target runs (its `__main__` for a package). */
export async function preflight(
  interp: Interpreter,
  t: ResolvedTarget,
  env: NodeJS.ProcessEnv,
  wrap?: SpawnWrapper,
): Promise<{ mainFile?: string }> {
  const req = {
    compile: t.mainFile ? [t.mainFile] : [],
    module: t.kind === 'module' ? t.launch.module : undefined,
    pytest: t.kind === 'pytest',
    cwd: t.cwd,
  };
  const stdout = await new Promise<string>((resolve, reject) => {
    // Importing a package to find a module runs its __init__: model-written code in a patched copy,
    // so this runs in the same sandbox as the recording when there is one.
    const args = ['-c', PREFLIGHT, JSON.stringify(req)];
    const cmd = wrap ? wrap(interp.python, args) : { command: interp.python, args };
    execFile(cmd.command, cmd.args, { cwd: t.cwd, env, timeout: 20_000 }, (err, out, errOut) => {
      if (err)
        reject(
          new UserError(
            'no-python',
            `Could not run ${interp.python}: ${errOut.trim() || err.message}`,
          ),
        );
      else resolve(out);
    });
  });
  const r = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as {
    syntaxError?: { file: string; line: number; msg: string };
    moduleMissing?: boolean;
    pytestMissing?: boolean;
    origin?: string;
  };
  if (r.syntaxError) {
    const rel = path.relative(t.cwd, r.syntaxError.file) || r.syntaxError.file;
    throw new UserError(
      'syntax-error',
      `${rel}:${r.syntaxError.line}: SyntaxError: ${r.syntaxError.msg}`,
    );
  }
  if (r.moduleMissing)
    throw new UserError(
      'file-not-found',
      `No module named ${t.launch.module} (searched from ${t.cwd}).`,
    );
  if (r.pytestMissing) {
    throw new UserError(
      'no-pytest',
      `pytest is not installed for ${interp.python}.`,
      'Install it: `sudo apt-get install python3-pytest` (Debian/Ubuntu system python) or `<python> -m pip install pytest`.',
    );
  }
  return r.origin ? { mainFile: realpath(r.origin) } : {};
}

function realpath(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function inside(file: string, dir: string): boolean {
  const rel = path.relative(dir, file);
  return !!rel && !rel.startsWith('..') && !path.isAbsolute(rel);
}
