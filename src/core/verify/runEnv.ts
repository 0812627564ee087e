// The environment of a run of model-written code (verification, the re-trace of a failed patch, a
// benchmark's judge) is built, never inherited: an allow-list of what an interpreter needs to run
// (PATH, locale, time zone, the interpreter's own PYTHON* settings), HOME and the temp folders
// pointed into the copy, plus what the user passed by name (`--env NAME`, `tracefix.verify.env`).
// Nothing else of the user's environment — API keys, cloud credentials, tokens — reaches the run.
import * as path from 'node:path';
import { UserError } from '../errors';

/** Taken from the caller's environment when set. */
const ALLOWED = new Set([
  'PATH',
  'LANG',
  'LANGUAGE',
  'TZ',
  // The interpreter's own settings (https://docs.python.org/3/using/cmdline.html#environment-variables).
  'PYTHONHOME',
  'PYTHONPATH',
  'PYTHONSAFEPATH',
  'PYTHONPLATLIBDIR',
  'PYTHONOPTIMIZE',
  'PYTHONBREAKPOINT',
  'PYTHONDEBUG',
  'PYTHONUNBUFFERED',
  'PYTHONVERBOSE',
  'PYTHONCASEOK',
  'PYTHONDONTWRITEBYTECODE',
  'PYTHONPYCACHEPREFIX',
  'PYTHONHASHSEED',
  'PYTHONINTMAXSTRDIGITS',
  'PYTHONIOENCODING',
  'PYTHONNOUSERSITE',
  'PYTHONUSERBASE',
  'PYTHONWARNINGS',
  'PYTHONFAULTHANDLER',
  'PYTHONTRACEMALLOC',
  'PYTHONPROFILEIMPORTTIME',
  'PYTHONASYNCIODEBUG',
  'PYTHONMALLOC',
  'PYTHONMALLOCSTATS',
  'PYTHONUTF8',
  'PYTHONWARNDEFAULTENCODING',
  'PYTHONNODEBUGRANGES',
  'PYTHONCOERCECLOCALE',
  'PYTHONDEVMODE',
  'PYTHONPERFSUPPORT',
  'PYTHON_CPU_COUNT',
  'PYTHON_FROZEN_MODULES',
  'PYTHON_GIL',
  'PYTHON_COLORS',
  // Which environment is active (tools read it; it names a folder, nothing secret).
  'VIRTUAL_ENV',
  'CONDA_PREFIX',
  'CONDA_DEFAULT_ENV',
]);

/** Locale categories (LC_ALL, LC_CTYPE, …). */
const LOCALE = /^LC_[A-Z]+$/;

/** Keys Tracefix itself sends to a model: never handed to model-written code, even when asked. */
export const MODEL_KEY_NAMES: readonly string[] = ['OPENAI_API_KEY', 'TRACEFIX_API_KEY'];

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** What the user passed: `NAME` (its value in Tracefix's environment) or `NAME=VALUE`. */
export interface PassedEnv {
  name: string;
  value?: string;
}

/** Parses `--env` / `tracefix.verify.env` entries; UserError for a bad name or a model key. */
export function parsePassedEnv(entries: readonly string[]): PassedEnv[] {
  return entries.map((entry) => {
    const eq = entry.indexOf('=');
    const name = (eq < 0 ? entry : entry.slice(0, eq)).trim();
    if (!NAME.test(name))
      throw new UserError(
        'bad-argument',
        `--env takes NAME or NAME=VALUE (a variable name: letters, digits, _), not "${entry}".`,
      );
    if (MODEL_KEY_NAMES.includes(name.toUpperCase()))
      throw new UserError(
        'bad-argument',
        `${name} is the model's API key: Tracefix never hands it to model-written code.`,
      );
    return eq < 0 ? { name } : { name, value: entry.slice(eq + 1) };
  });
}

/** The values the user gave on the command line or in settings (`NAME=VALUE`), by name: a secret
 * among them (`--env DB_PASSWORD=…`) is in no environment, so redaction must be told of it. */
export function passedValues(passed: readonly PassedEnv[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of passed) if (p.value !== undefined) out[p.name] = p.value;
  return out;
}

export interface RunEnvOptions {
  /** The home of the run: a folder of the copy (created by the caller). */
  home: string;
  /** Temp folder of the run: /tmp in the sandbox (its own), a folder of the copy without one. */
  tmp: string;
  /** Passed by the user (parsePassedEnv). */
  passed?: readonly PassedEnv[];
  /** Set by Tracefix for this run (PYTHONPATH into the copy, PWD…); wins over everything. */
  set?: Readonly<Record<string, string | undefined>>;
}

/** The run's environment from `base` (Tracefix's own environment). */
export function buildRunEnv(base: NodeJS.ProcessEnv, o: RunEnvOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(base))
    if (v !== undefined && (ALLOWED.has(k) || LOCALE.test(k))) env[k] = v;
  env.PATH ??= ['/usr/local/bin', '/usr/bin', '/bin'].join(path.delimiter);
  Object.assign(env, { HOME: o.home, TMPDIR: o.tmp, TMP: o.tmp, TEMP: o.tmp });
  for (const p of o.passed ?? []) {
    const v = p.value ?? base[p.name];
    if (v !== undefined) env[p.name] = v;
  }
  for (const [k, v] of Object.entries(o.set ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}
