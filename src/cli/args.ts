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
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UserError(
      'bad-argument',
      (e as Error).message.replace(/^TypeError \[\w+\]: /, ''),
      'Run `tracefix --help` for usage.',
    );
  }
}

/** `--engine NAME` (default: the core's default engine). */
export function engineArg(value: string | undefined): EngineName {
  const engine = value === undefined ? DEFAULT_ENGINE : engineNamed(value);
  if (!engine) throw new UserError('bad-argument', `--engine must be fast or step (got ${value}).`);
  return engine;
}

export function positiveInt(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0)
    throw new UserError('bad-argument', `--${name} must be a positive number (got ${v}).`);
  return n;
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
  const timeout = positiveInt('timeout', str('timeout'));
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
    maxSteps: positiveInt('max-steps', str('max-steps')),
    timeoutMs: timeout === undefined ? undefined : timeout * 1000,
    reprLength: positiveInt('repr-length', str('repr-length')),
    budget: positiveInt('budget', str('budget')),
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
