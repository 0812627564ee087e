// Where an interpreter keeps itself and its libraries (prefixes, sys.path), asked once per
// interpreter and PYTHONPATH. A sandbox binds these read-only when they lie inside the hidden
// project folder (a `.venv` in the project); sys.path entries in the project that belong to no
// prefix (editable installs, PYTHONPATH) must point at the patched copy instead of the original.
import { execFile } from 'node:child_process';
import * as path from 'node:path';

export interface InterpreterPaths {
  /** sys.executable: what actually runs (a pyenv shim's real interpreter; a venv's own python). */
  executable: string;
  /** sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix and the executable's folder. */
  prefixes: string[];
  /** sys.path entries at startup (absolute; '' and the script folder excluded). */
  sysPath: string[];
}

const PROBE = `
import json, os, sys
exe = os.path.realpath(sys.executable) if sys.executable else ''
prefixes = [sys.prefix, sys.base_prefix, sys.exec_prefix, getattr(sys, 'base_exec_prefix', sys.exec_prefix)]
if sys.executable:
    prefixes += [os.path.dirname(os.path.abspath(sys.executable)), os.path.dirname(os.path.dirname(exe))]
print(json.dumps({"executable": sys.executable or "", "prefixes": prefixes, "sysPath": [p for p in sys.path[1:] if p]}))
`;

const cache = new Map<string, Promise<InterpreterPaths>>();

/** The interpreter's paths; empty when it cannot be asked (the run then reports the problem). */
export function interpreterPaths(
  python: string,
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<InterpreterPaths> {
  const key = `${python}\0${cwd}\0${env.PYTHONPATH ?? ''}\0${env.PYTHONHOME ?? ''}`;
  let p = cache.get(key);
  if (!p) {
    p = ask(python, env, cwd);
    cache.set(key, p);
  }
  return p;
}

function ask(python: string, env: NodeJS.ProcessEnv, cwd: string): Promise<InterpreterPaths> {
  return new Promise((resolve) => {
    // The run's own environment and cwd: relative PYTHONPATH entries resolve as they will in the run.
    execFile(python, ['-c', PROBE], { env, timeout: 15_000, cwd }, (err, stdout) => {
      if (err) return resolve({ executable: '', prefixes: [], sysPath: [] });
      try {
        const r = JSON.parse(stdout.trim().split('\n').pop() ?? '') as InterpreterPaths;
        const abs = (xs: unknown[]) => [
          ...new Set(
            xs
              .filter((x): x is string => typeof x === 'string' && path.isAbsolute(x))
              .map((x) => path.resolve(x)),
          ),
        ];
        const exe = typeof r.executable === 'string' && path.isAbsolute(r.executable);
        resolve({
          executable: exe ? r.executable : '',
          prefixes: abs(r.prefixes),
          sysPath: abs(r.sysPath),
        });
      } catch {
        resolve({ executable: '', prefixes: [], sysPath: [] });
      }
    });
  });
}
