// The "trace this test / file" tool every surface offers beside the query tools: its input schema
// (exactly one of script, test, module, inside the workspace) and the checks of that input. Running
// it is the surface's business: the editor's recorder flow in VS Code, recordTrace in `tracefix mcp`.
import { realpathSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../errors';
import type { RunTarget } from '../trace/options';
import type { JsonSchema } from './types';

export const RECORD_TRACE_NAME = 'record_trace';

export const RECORD_TRACE_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    script: {
      type: 'string',
      maxLength: 1000,
      description: 'A Python script to run, relative to the workspace folder (e.g. "app/main.py").',
    },
    test: {
      type: 'string',
      maxLength: 1000,
      description:
        'A pytest node id or test file, relative to the workspace folder (e.g. "tests/test_stats.py::test_median").',
    },
    module: {
      type: 'string',
      maxLength: 200,
      description: 'A module to run as `python -m MODULE` from the workspace folder.',
    },
    args: {
      type: 'array',
      items: { type: 'string' },
      description: 'Arguments for the script or module.',
    },
  },
  additionalProperties: false,
};

export const RECORD_TRACE_DESCRIPTION =
  "Runs a Python script, module or pytest test of the workspace under Tracefix's recorder (it RUNS the program, within the configured step and time limits) and makes the recording current: every line that ran with the values it produced. Give exactly one of script, test, module. Answers with the outcome and the NExT-annotated code that ran (`# (k) name=value;` after each executed line); then ask the other Tracefix tools about steps, lines and variables.";

function realpathOr(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

/** `given` resolved inside `root` (symlinks followed); UserError when it leaves it. */
export function insideRoot(root: string, given: string, what: string): string {
  const abs = realpathOr(path.resolve(root, given));
  const rel = path.relative(realpathOr(root), abs);
  if (rel.startsWith('..') || path.isAbsolute(rel)) {
    throw new UserError(
      'bad-argument',
      `${what}: ${given} is outside the workspace root ${root}.`,
      'Only files inside the workspace can be recorded or loaded.',
    );
  }
  return abs;
}

/** The run target of a record_trace call (paths relative to `root`), checked: one kind, inside the root, existing. */
export function recordTarget(
  args: Record<string, unknown>,
  root: string,
): { target: RunTarget; args: string[]; label: string } {
  const str = (k: string) =>
    typeof args[k] === 'string' && args[k].trim() ? args[k].trim() : undefined;
  const script = str('script');
  const test = str('test');
  const module = str('module');
  const programArgs = Array.isArray(args.args)
    ? args.args.filter((a): a is string => typeof a === 'string')
    : [];
  const given = [script, test, module].filter((x) => x !== undefined).length;
  if (given !== 1)
    throw new UserError(
      'bad-argument',
      'record_trace: give exactly one of script, test (a pytest node id or test file) or module.',
    );
  const base = realpathOr(root);
  if (module !== undefined) {
    if (!/^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$/.test(module))
      throw new UserError('bad-argument', `record_trace: "${module}" is not a module name.`);
    return { target: { kind: 'module', module }, args: programArgs, label: `-m ${module}` };
  }
  const [file = '', ...rest] = (test ?? script ?? '').split('::');
  const abs = insideRoot(root, file, 'record_trace');
  if (!statSync(abs, { throwIfNoEntry: false })?.isFile())
    throw new UserError(
      'file-not-found',
      `record_trace: no ${test !== undefined ? 'test file' : 'script'} ${file} in ${root}.`,
    );
  const rel = path.relative(base, abs).split(path.sep).join('/');
  if (test !== undefined) {
    const nodeId = [rel, ...rest].join('::');
    return { target: { kind: 'pytest', nodeId }, args: [], label: nodeId };
  }
  // Relative, as the CLI and the editor name a script inside the root.
  return { target: { kind: 'script', path: rel }, args: programArgs, label: rel };
}
