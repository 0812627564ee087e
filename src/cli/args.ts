// Argument parsing for the CLI (node:util parseArgs); everything after `--` goes to the program.
import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { UserError } from '../core/errors';
import {
  DEFAULT_ENGINE,
  engineNamed,
  type EngineName,
  type RunTarget,
} from '../core/trace/options';

export interface CommonTraceArgs {
  target: RunTarget;
  programArgs: string[];
  python?: string;
  debugpyPath?: string;
  engine: EngineName;
  cwd: string;
  root?: string;
  stdinFile?: string;
  maxSteps?: number;
  timeoutMs?: number;
  reprLength?: number;
  budget?: number;
  recordImports: boolean;
  verbose: boolean;
}

export const TRACE_OPTIONS = {
  test: { type: 'string' },
  module: { type: 'string', short: 'm' },
  python: { type: 'string' },
  'debugpy-path': { type: 'string' },
  engine: { type: 'string' },
  cwd: { type: 'string' },
  root: { type: 'string' },
  stdin: { type: 'string' },
  'max-events': { type: 'string' },
  'max-steps': { type: 'string' },
  timeout: { type: 'string' },
  'repr-length': { type: 'string' },
  budget: { type: 'string' },
  'record-imports': { type: 'boolean' },
  verbose: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function splitDashDash(argv: string[]): [string[], string[]] {
  const i = argv.indexOf('--');
  return i < 0 ? [argv, []] : [argv.slice(0, i), argv.slice(i + 1)];
}

export function parse<
  O extends Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>,
>(argv: string[], options: O) {
  try {
    return parseArgs({
      args: joinNegativeValues(argv, options),
      options,
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    throw new UserError(
      'bad-argument',
      (e as Error).message.replace(/^TypeError \[\w+\]: /, ''),
      'Run `tracefix --help` for usage.',
    );
  }
}

/** `--timeout -5` → `--timeout=-5`: parseArgs takes a value starting with `-` for an option (and
 * calls it ambiguous); a negative number after an option that takes a value is that value. */
function joinNegativeValues(
  argv: string[],
  options: Record<string, { type: 'string' | 'boolean'; short?: string }>,
): string[] {
  const takesValue = new Set<string>();
  for (const [name, o] of Object.entries(options)) {
    if (o.type !== 'string') continue;
    takesValue.add(`--${name}`);
    if (o.short) takesValue.add(`-${o.short}`);
  }
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const next = argv[i + 1];
    if (takesValue.has(a) && next !== undefined && /^-\.?\d/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

interface NumberSpec {
  min: number;
  max: number;
  whole: boolean;
  /** What the number counts, for the message. */
  unit: string;
}

/** Every number option of the CLI, one line each: its range, whole or not, and its unit. */
export const NUMBER_OPTIONS = {
  timeout: { min: 1, max: 86_400, whole: false, unit: 'seconds' },
  'verify-timeout': { min: 1, max: 86_400, whole: false, unit: 'seconds' },
  'model-timeout': { min: 1, max: 86_400, whole: false, unit: 'seconds' },
  'max-events': { min: 1, max: 100_000_000, whole: true, unit: 'events' },
  'max-steps': { min: 1, max: 100_000_000, whole: true, unit: 'events' },
  'repr-length': { min: 8, max: 1_000_000, whole: true, unit: 'characters' },
  budget: { min: 100, max: 10_000_000, whole: true, unit: 'tokens' },
  rounds: { min: 1, max: 10, whole: true, unit: 'rounds' },
  'max-tokens': { min: 16, max: 1_000_000, whole: true, unit: 'tokens' },
  'max-tool-calls': { min: 0, max: 50, whole: true, unit: 'calls' },
  limit: { min: 1, max: 1_000_000, whole: true, unit: 'tasks' },
  jobs: { min: 1, max: 64, whole: true, unit: 'tasks' },
  next: { min: 0, max: 50, whole: true, unit: 'divergences' },
  'from-step': { min: 0, max: 100_000_000, whole: true, unit: 'steps' },
} as const satisfies Record<string, NumberSpec>;

export type NumberOption = keyof typeof NUMBER_OPTIONS;

const DECIMAL = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;

/** `--max-events`, or its old name `--max-steps` (it counts events, not steps). */
export function maxEventsOption(
  value: string | undefined,
  oldName: string | undefined,
): number | undefined {
  if (value !== undefined && oldName !== undefined)
    throw new UserError('bad-argument', '--max-steps is the old name of --max-events: give one.');
  return value !== undefined
    ? numberOption('max-events', value)
    : numberOption('max-steps', oldName);
}

/** The value of a number option checked against NUMBER_OPTIONS; a one-line UserError otherwise. */
export function numberOption(name: NumberOption, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const spec: NumberSpec = NUMBER_OPTIONS[name];
  const n = DECIMAL.test(v.trim()) ? Number(v) : NaN;
  if (Number.isFinite(n) && n >= spec.min && n <= spec.max && (!spec.whole || Number.isInteger(n)))
    return n;
  const kind = spec.whole ? `a whole number of ${spec.unit}` : `a number of ${spec.unit}`;
  throw new UserError(
    'bad-argument',
    `--${name} must be ${kind} from ${spec.min} to ${spec.max} (got ${v}).`,
  );
}

/** `--engine NAME` (default: the core's default engine). */
export function engineArg(value: string | undefined): EngineName {
  const engine = value === undefined ? DEFAULT_ENGINE : engineNamed(value);
  if (!engine) throw new UserError('bad-argument', `--engine must be fast or step (got ${value}).`);
  return engine;
}

export function traceArgs(
  values: Record<string, string | boolean | undefined>,
  positionals: string[],
  programArgs: string[],
): CommonTraceArgs {
  const str = (k: string) => (typeof values[k] === 'string' ? values[k] : undefined);
  const test = str('test');
  const module = str('module');
  const script = positionals[0];
  const given = [test, module, script].filter((x) => x !== undefined).length;
  if (given === 0)
    throw new UserError(
      'bad-argument',
      'Nothing to trace: give a script, --test NODEID or --module NAME.',
      'Run `tracefix trace --help` for usage.',
    );
  if (given > 1)
    throw new UserError(
      'bad-argument',
      'Give only one of: a script, --test NODEID, --module NAME.',
    );
  if (positionals.length > 1)
    throw new UserError(
      'bad-argument',
      `Unexpected argument: ${positionals[1]} (program arguments go after \`--\`).`,
    );
  const engine = engineArg(str('engine'));
  const target: RunTarget = test
    ? { kind: 'pytest', nodeId: test }
    : module
      ? { kind: 'module', module }
      : { kind: 'script', path: script ?? '' };
  const timeout = numberOption('timeout', str('timeout'));
  const cwd = str('cwd') ?? process.cwd();
  // Checked before anything runs: a bad path is a one-line error, not a failed recording.
  const stdinFile = str('stdin');
  if (stdinFile !== undefined && !isFile(path.resolve(cwd, stdinFile)))
    throw new UserError('file-not-found', `--stdin: file not found: ${stdinFile}`);
  const root = str('root');
  if (root !== undefined && !isDir(path.resolve(cwd, root)))
    throw new UserError('file-not-found', `--root: folder not found: ${root}`);
  return {
    target,
    programArgs,
    python: str('python'),
    debugpyPath: str('debugpy-path'),
    engine,
    cwd,
    root,
    stdinFile: stdinFile === undefined ? undefined : path.resolve(cwd, stdinFile),
    maxSteps: maxEventsOption(str('max-events'), str('max-steps')),
    timeoutMs: timeout === undefined ? undefined : timeout * 1000,
    reprLength: numberOption('repr-length', str('repr-length')),
    budget: numberOption('budget', str('budget')),
    recordImports: values['record-imports'] === true,
    verbose: values.verbose === true,
  };
}

function isFile(p: string): boolean {
  return existsSync(p) && statSync(p).isFile();
}

function isDir(p: string): boolean {
  return existsSync(p) && statSync(p).isDirectory();
}
