// The "trace this test / file" tool every surface offers beside the query tools: its input schema
// (exactly one of script, test, module, inside the workspace) and the checks of that input: what a
// model may run is the workspace's own code (a module counts when its file is in the workspace), with
// program arguments only when the user allowed them. Running
// it is the surface's business: the editor's recorder flow in VS Code, recordTrace in `tracefix mcp`.
import { realpathSync, statSync } from 'node:fs';
import * as path from 'node:path';
import * as z from 'zod';
import { errorMessage, UserError } from '../errors';
import type { RunTarget } from '../trace/options';
import { jsonSchemaOf, parseToolArgs } from './schema';
import type { JsonSchema, ToolArgs } from './types';

export const RECORD_TRACE_NAME = 'record_trace';
export const RECORD_TRACE_TITLE = 'Trace a Test or File';
export const RECORD_TRACE_SUMMARY =
  'Run a pytest test, a script or a module under the Tracefix recorder (asks first) and show the recording.';

/** Program arguments a model may give (when allowed), and the longest of them. */
const MAX_PROGRAM_ARGS = 100;
const MAX_PROGRAM_ARG_CHARS = 1000;

export const RECORD_TRACE_INPUT = z.strictObject({
  script: z
    .string()
    .max(1000)
    .describe('A Python script to run, relative to the workspace folder (e.g. "app/main.py").')
    .optional(),
  test: z
    .string()
    .max(1000)
    .describe(
      'A pytest node id or test file, relative to the workspace folder (e.g. "tests/test_stats.py::test_median").',
    )
    .optional(),
  module: z
    .string()
    .max(200)
    .describe(
      'A module of the workspace (its file inside the workspace folder) to run as `python -m MODULE` from there.',
    )
    .optional(),
  args: z
    .array(z.string().max(MAX_PROGRAM_ARG_CHARS))
    .max(MAX_PROGRAM_ARGS)
    .describe(
      'Arguments for the script or module; refused unless the user allowed program arguments.',
    )
    .optional(),
});

export const RECORD_TRACE_SCHEMA: JsonSchema = jsonSchemaOf(RECORD_TRACE_INPUT);
const RECORD_TRACE_SCHEMA_WITHOUT_ARGS = jsonSchemaOf(RECORD_TRACE_INPUT.omit({ args: true }));

/** The schema without `args`: what a model is offered while the user has not allowed arguments. */
export function recordTraceSchema(allowArgs: boolean): JsonSchema {
  return allowArgs ? RECORD_TRACE_SCHEMA : RECORD_TRACE_SCHEMA_WITHOUT_ARGS;
}

/** What a model-driven recording may run. */
export interface RecordPolicy {
  /** Program arguments given by the model are passed on (the user allowed it); else refused. */
  allowArgs: boolean;
  /** How the user allows them, for the refusal's hint. */
  allowHint: string;
  /** The tool named in refusals (default record_trace). */
  tool?: string;
}

/** Modules Python finds before the workspace (built in or frozen): `-m os` never runs a workspace os.py. */
const INTERPRETER_MODULES = new Set([
  ...['abc', 'codecs', 'genericpath', 'io', 'ntpath', 'os', 'posixpath', 'runpy', 'site', 'stat'],
  ...['zipimport', '_collections_abc', '_sitebuiltins', '__hello__', '__phello__', 'importlib'],
  ...['sys', 'builtins', 'time', 'errno', 'gc', 'itertools', 'marshal', 'posix', 'pwd', 'atexit'],
  ...['faulthandler', '_thread', '_io', '_imp', '_warnings', '_weakref', '_signal', '_abc'],
]);

/**
 * The file `python -m module` runs from `root` when the module is the workspace's: `a/b.py`, or a
 * package's `a/b/__main__.py`, every part inside the root (links resolved). Undefined otherwise:
 * the module is the interpreter's or an installed one, and a model may not run those.
 */
export function moduleFileInRoot(root: string, module: string): string | undefined {
  const parts = module.split('.');
  if (INTERPRETER_MODULES.has(parts[0] ?? '')) return undefined;
  const base = realpathOr(root);
  const candidates = [path.join(base, ...parts) + '.py', path.join(base, ...parts, '__main__.py')];
  for (const c of candidates) {
    const real = realpathOr(c);
    const rel = path.relative(base, real);
    if (rel.startsWith('..') || path.isAbsolute(rel)) continue;
    if (statSync(real, { throwIfNoEntry: false })?.isFile()) return real;
  }
  return undefined;
}

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
  args: ToolArgs,
  root: string,
  policy: RecordPolicy,
): { target: RunTarget; args: string[]; label: string } {
  const tool = policy.tool ?? RECORD_TRACE_NAME;
  let input: z.output<typeof RECORD_TRACE_INPUT>;
  try {
    // Unknown fields are left out (what is run is only what the schema names).
    input = parseToolArgs(
      { name: tool, input: RECORD_TRACE_INPUT, inputSchema: RECORD_TRACE_SCHEMA },
      args,
      [],
    );
  } catch (e) {
    throw new UserError('bad-argument', `${tool}: ${errorMessage(e)}.`);
  }
  const str = (v: string | undefined) => (v?.trim() ? v.trim() : undefined);
  const script = str(input.script);
  const test = str(input.test);
  const module = str(input.module);
  const programArgs = input.args ?? [];
  const given = [script, test, module].filter((x) => x !== undefined).length;
  if (given !== 1)
    throw new UserError(
      'bad-argument',
      `${tool}: give exactly one of script, test (a pytest node id or test file) or module.`,
    );
  if (programArgs.length && !policy.allowArgs)
    throw new UserError(
      'bad-argument',
      `${tool}: program arguments are not allowed; record without args.`,
      `The user can allow them: ${policy.allowHint}.`,
    );
  const base = realpathOr(root);
  if (module !== undefined) {
    if (!/^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$/.test(module))
      throw new UserError('bad-argument', `${tool}: "${module}" is not a module name.`);
    if (!moduleFileInRoot(root, module))
      throw new UserError(
        'bad-argument',
        `${tool}: module ${module} is not a module of the workspace ${root} (no ${module.replace(/\./g, '/')}.py or ${module.replace(/\./g, '/')}/__main__.py in it).`,
        "Only the workspace's own scripts, tests and modules can be recorded.",
      );
    return { target: { kind: 'module', module }, args: programArgs, label: `-m ${module}` };
  }
  const [file = '', ...rest] = (test ?? script ?? '').split('::');
  const abs = insideRoot(root, file, tool);
  if (!statSync(abs, { throwIfNoEntry: false })?.isFile())
    throw new UserError(
      'file-not-found',
      `${tool}: no ${test !== undefined ? 'test file' : 'script'} ${file} in ${root}.`,
    );
  const rel = path.relative(base, abs).split(path.sep).join('/');
  if (test !== undefined) {
    const nodeId = [rel, ...rest].join('::');
    return { target: { kind: 'pytest', nodeId }, args: [], label: nodeId };
  }
  // Relative, as the CLI and the editor name a script inside the root.
  return { target: { kind: 'script', path: rel }, args: programArgs, label: rel };
}
