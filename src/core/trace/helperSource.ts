// The recorder helper's Python modules (src/core/trace/debuggee/*.py, bundled as text), written into
// the recording's private folder for the debuggee to import.
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import boot from './debuggee/pydevd_tracefix_boot.py';
import channel from './debuggee/pydevd_tracefix_channel.py';
import code from './debuggee/pydevd_tracefix_code.py';
import compare from './debuggee/pydevd_tracefix_compare.py';
import core from './debuggee/pydevd_tracefix_core.py';
import delta from './debuggee/pydevd_tracefix_delta.py';
import install from './debuggee/pydevd_tracefix_install.py';
import monitor from './debuggee/pydevd_tracefix_monitor.py';
import nodes from './debuggee/pydevd_tracefix_nodes.py';
import pydevd from './debuggee/pydevd_tracefix_pydevd.py';
import pytestPlugin from './debuggee/pydevd_tracefix_pytest.py';
import repr from './debuggee/pydevd_tracefix_repr.py';
import roots from './debuggee/pydevd_tracefix_roots.py';
import settrace from './debuggee/pydevd_tracefix_settrace.py';
import step from './debuggee/pydevd_tracefix_step.py';
import uses from './debuggee/pydevd_tracefix_uses.py';
import walk from './debuggee/pydevd_tracefix_walk.py';
import watch from './debuggee/pydevd_tracefix_watch.py';
import { HELPER_PROTOCOL } from './records';

/** The helper's modules (each only imports modules listed before it). */
const MODULES: [string, string][] = [
  ['pydevd_tracefix_repr', repr],
  ['pydevd_tracefix_compare', compare],
  ['pydevd_tracefix_watch', watch],
  ['pydevd_tracefix_nodes', nodes],
  ['pydevd_tracefix_walk', walk],
  ['pydevd_tracefix_delta', delta],
  ['pydevd_tracefix_channel', channel],
  ['pydevd_tracefix_code', code],
  ['pydevd_tracefix_roots', roots],
  ['pydevd_tracefix_uses', uses],
  ['pydevd_tracefix_core', core],
  ['pydevd_tracefix_monitor', monitor],
  ['pydevd_tracefix_settrace', settrace],
  ['pydevd_tracefix_step', step],
  ['pydevd_tracefix_pydevd', pydevd],
  ['pydevd_tracefix_install', install],
];

/** The pytest plugin (imports pytest): loaded by `-p` for pytest targets. */
export const PYTEST_PLUGIN = 'pydevd_tracefix_pytest';

/** What the fast engine's bootstrap runs once the recorder is installed. */
export type BootTarget =
  | { kind: 'script'; path: string; args: string[] }
  | { kind: 'module'; module: string; args: string[] };

export interface HelperConfig {
  root: string;
  main: string;
  repr: number;
  recordImports: boolean;
  excluded: readonly string[];
  /** Folders never user code besides those the helper finds (Tracefix's own, its debugpy). */
  notUserCode: readonly string[];
  channel: string;
  engine: 'fast' | 'step';
  pytest: boolean;
  stdin: string | null;
  speedUp: boolean;
}

/** Writes the helper modules, the pytest plugin, the bootstrap and the config into `dir` (the
 * recording's private folder). Returns the bootstrap's path: debugpy launches that file as the
 * program (fast engine); the stepping engine imports the helper from `dir` at its entry stop. */
export function writeHelper(dir: string, cfg: HelperConfig, target: BootTarget): string {
  for (const [name, text] of [...MODULES, [PYTEST_PLUGIN, pytestPlugin] as [string, string]])
    writeFileSync(path.join(dir, `${name}.py`), text);
  const file = path.join(dir, 'pydevd_tracefix_boot.py');
  writeFileSync(file, boot);
  writeFileSync(
    path.join(dir, 'cfg.json'),
    JSON.stringify({ ...cfg, protocol: HELPER_PROTOCOL, target }),
  );
  return file;
}

/** The stepping engine's injection at the entry stop (the folder is on the debuggee's PYTHONPATH). */
export function installExpression(dir: string): string {
  const cfg = pyString(path.join(dir, 'cfg.json'));
  return `__import__('pydevd_tracefix_install').install(__import__('json').load(open(${cfg})))`;
}

/** A Python string literal for any text (JSON string syntax is valid Python for these escapes). */
export function pyString(s: string): string {
  return JSON.stringify(s)
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
