// What to run, decided without the editor: the plan a trace is recorded from, built from the file /
// test at the cursor, the `tracefix.launch` setting or a debugpy launch.json configuration (with its
// ${variables} substituted). Kept free of `vscode` so it is unit-tested directly.
import * as path from 'node:path';
import { UserError } from '../../core/errors';
import { isPytestFile } from '../../core/source/pytest';
import type { RunTarget } from '../../core/trace/options';

export type PlanOrigin =
  'test-at-cursor' | 'test-file' | 'file' | 'setting' | 'launch' | 'picked' | 'explicit';

export interface RunPlan {
  target: RunTarget;
  args: string[];
  /** Absolute working directory. */
  cwd: string;
  /** Absolute folder whose Python files are user code (the workspace folder). */
  root: string;
  env?: Record<string, string>;
  /** Interpreter named by the launch configuration, if any. */
  python?: string;
  /** Short text for titles: `tests/test_calc.py::test_mean`, `app.py`, `-m pkg`. */
  label: string;
  origin: PlanOrigin;
}

export interface VariableContext {
  workspaceFolder: string;
  /** The active file, for ${file} and friends. */
  file?: string;
  env: NodeJS.ProcessEnv;
  userHome: string;
}

/** The fields of a `debugpy` / `python` launch configuration Tracefix understands. */
export interface PythonLaunchConfig {
  name?: string;
  type?: string;
  request?: string;
  program?: string;
  module?: string;
  args?: string[] | string;
  cwd?: string;
  env?: Record<string, string>;
  python?: string;
}

/** `tracefix.launch` as an object: what to run instead of the file / test at the cursor. */
export interface LaunchSetting {
  program?: string;
  module?: string;
  /** A pytest node id (`tests/test_x.py::test_y`) or test file. */
  pytest?: string;
  args?: string[];
  cwd?: string;
  env?: Record<string, string>;
}

export function isPythonLaunchConfig(c: unknown): c is PythonLaunchConfig & { name: string } {
  if (typeof c !== 'object' || c === null) return false;
  const v = c as PythonLaunchConfig;
  return (
    typeof v.name === 'string' &&
    (v.type === 'debugpy' || v.type === 'python') &&
    v.request === 'launch'
  );
}

/** Replaces the VS Code variables a Python launch configuration commonly uses. */
export function substitute(value: string, ctx: VariableContext): string {
  return value.replace(/\$\{([^}]+)\}/g, (whole, name: string) => {
    const file = ctx.file;
    const needFile = (v: (f: string) => string) => {
      if (!file) throw new UserError('bad-argument', `${whole} needs an open file.`);
      return v(file);
    };
    if (name.startsWith('env:')) return ctx.env[name.slice(4)] ?? '';
    switch (name) {
      case 'workspaceFolder':
      case 'workspaceRoot':
        return ctx.workspaceFolder;
      case 'workspaceFolderBasename':
        return path.basename(ctx.workspaceFolder);
      case 'userHome':
        return ctx.userHome;
      case 'pathSeparator':
        return path.sep;
      case 'file':
        return needFile((f) => f);
      case 'fileDirname':
        return needFile((f) => path.dirname(f));
      case 'fileBasename':
        return needFile((f) => path.basename(f));
      case 'fileBasenameNoExtension':
        return needFile((f) => path.basename(f, path.extname(f)));
      case 'fileExtname':
        return needFile((f) => path.extname(f));
      case 'relativeFile':
        return needFile((f) => path.relative(ctx.workspaceFolder, f));
      case 'relativeFileDirname':
        return needFile((f) => path.relative(ctx.workspaceFolder, path.dirname(f)));
      default:
        throw new UserError(
          'bad-argument',
          `Tracefix cannot substitute ${whole} in a launch configuration.`,
          'Use a literal value, or one of ${workspaceFolder}, ${file}, ${fileDirname}, ${relativeFile}, ${env:NAME}.',
        );
    }
  });
}

/** Splits a command-line string the way a POSIX shell would for plain words and quotes. */
export function splitArgs(text: string): string[] {
  const out: string[] = [];
  const re = /"((?:\\.|[^"\\])*)"|'([^']*)'|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)))
    out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? m[3] ?? ''));
  return out;
}

/** `rel/path/test_x.py::Class::test_y` relative to `cwd`, with forward slashes as pytest prints it. */
export function pytestNodeId(cwd: string, file: string, testId?: string): string {
  const rel = path.relative(cwd, file).split(path.sep).join('/');
  return testId ? `${rel}::${testId}` : rel;
}

/** The plan for a file the user pointed at: a test file runs under pytest, anything else as a script. */
export function planForFile(
  file: string,
  workspaceFolder: string,
  testId?: string,
  origin?: PlanOrigin,
): RunPlan {
  const cwd = workspaceFolder;
  const rel = path.relative(cwd, file).split(path.sep).join('/');
  if (isPytestFile(file)) {
    const nodeId = pytestNodeId(cwd, file, testId);
    return {
      target: { kind: 'pytest', nodeId },
      args: [],
      cwd,
      root: workspaceFolder,
      label: nodeId,
      origin: origin ?? (testId ? 'test-at-cursor' : 'test-file'),
    };
  }
  // Relative to cwd when inside it: that is how the trace (and the timeline) name the program.
  const scriptPath = rel.startsWith('../') || path.isAbsolute(rel) ? file : rel;
  return {
    target: { kind: 'script', path: scriptPath },
    args: [],
    cwd,
    root: workspaceFolder,
    label: rel,
    origin: origin ?? 'file',
  };
}

function targetFrom(
  program: string | undefined,
  module: string | undefined,
  args: string[],
  cwd: string,
  what: string,
): { target: RunTarget; args: string[]; label: string } {
  if (program) {
    const file = path.resolve(cwd, program);
    return {
      target: { kind: 'script', path: file },
      args,
      label: path.relative(cwd, file).split(path.sep).join('/'),
    };
  }
  if (module === 'pytest') {
    const i = args.findIndex((a) => !a.startsWith('-'));
    if (i < 0)
      throw new UserError(
        'bad-argument',
        `${what} runs pytest without a test path; Tracefix needs one test or test file.`,
      );
    const nodeId = args[i]!;
    return {
      target: { kind: 'pytest', nodeId },
      args: args.filter((_, j) => j !== i),
      label: nodeId,
    };
  }
  if (module) return { target: { kind: 'module', module }, args, label: `-m ${module}` };
  throw new UserError('bad-argument', `${what} names neither a program nor a module.`);
}

export function planFromLaunchConfig(cfg: PythonLaunchConfig, ctx: VariableContext): RunPlan {
  const sub = (v: string) => substitute(v, ctx);
  const cwd = cfg.cwd ? path.resolve(ctx.workspaceFolder, sub(cfg.cwd)) : ctx.workspaceFolder;
  const rawArgs =
    typeof cfg.args === 'string' ? splitArgs(sub(cfg.args)) : (cfg.args ?? []).map(sub);
  const what = `The launch configuration "${cfg.name ?? '?'}"`;
  const t = targetFrom(
    cfg.program && sub(cfg.program),
    cfg.module && sub(cfg.module),
    rawArgs,
    cwd,
    what,
  );
  const plan: RunPlan = {
    ...t,
    cwd,
    root: ctx.workspaceFolder,
    label: `${cfg.name ?? t.label}`,
    origin: 'launch',
  };
  if (cfg.env)
    plan.env = Object.fromEntries(Object.entries(cfg.env).map(([k, v]) => [k, sub(String(v))]));
  if (cfg.python) plan.python = sub(cfg.python);
  return plan;
}

export function planFromSetting(s: LaunchSetting, ctx: VariableContext): RunPlan {
  const sub = (v: string) => substitute(v, ctx);
  const cwd = s.cwd ? path.resolve(ctx.workspaceFolder, sub(s.cwd)) : ctx.workspaceFolder;
  const args = (s.args ?? []).map(sub);
  const what = 'The tracefix.launch setting';
  const t = s.pytest
    ? { target: { kind: 'pytest' as const, nodeId: sub(s.pytest) }, args, label: sub(s.pytest) }
    : targetFrom(s.program && sub(s.program), s.module && sub(s.module), args, cwd, what);
  const plan: RunPlan = { ...t, cwd, root: ctx.workspaceFolder, origin: 'setting' };
  if (s.env)
    plan.env = Object.fromEntries(Object.entries(s.env).map(([k, v]) => [k, sub(String(v))]));
  return plan;
}
