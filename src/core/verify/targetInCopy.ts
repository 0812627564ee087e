// Points a run (script, module or pytest node id, its cwd and root) at a workspace copy, so the
// same command runs — or is traced — against the patched files instead of the user's. The working
// directory is always inside the copy: a program that writes relative to its cwd writes there.
import * as os from 'node:os';
import * as path from 'node:path';
import { UserError } from '../errors';
import { resolveTarget, type ResolvedTarget } from '../trace/targets';
import type { RecordOptions, RunTarget } from '../trace/options';
import {
  copyWorkspace,
  isInside,
  type CopyLimits,
  type PatchedFile,
  type WorkspaceCopy,
} from './workspaceCopy';

export interface TargetInCopy {
  target: RunTarget;
  cwd: string;
  root: string;
  /** Extra PYTHONPATH entry (the copied root) when the cwd is outside the root, so imports of
   * user modules find the patched copies. Empty otherwise. */
  pythonPath: string;
  resolved: ResolvedTarget;
}

/** The user's run as resolved by the tracer (real paths, default root). */
export function resolveRun(
  opts: Pick<RecordOptions, 'target' | 'cwd' | 'args' | 'root'>,
): ResolvedTarget {
  return resolveTarget(opts.target, opts.cwd, opts.args ?? [], opts.root);
}

/** What to copy for a run: the root; the cwd instead when it holds the root (`--root src` run from
 * the project); both when neither holds the other. */
export function foldersToCopy(resolved: Pick<ResolvedTarget, 'root' | 'cwd'>): {
  base: string;
  extra: string[];
} {
  const { root, cwd } = resolved;
  if (isInside(cwd, root)) return { base: root, extra: [] };
  if (isInside(root, cwd)) {
    if (cwd === path.parse(cwd).root || cwd === os.homedir()) {
      throw new UserError(
        'bad-argument',
        `The working directory ${cwd} holds the root ${root} but is too broad to copy for verification.`,
        'Run from the project folder (or pass --cwd inside it).',
      );
    }
    return { base: cwd, extra: [] };
  }
  return { base: root, extra: [cwd] };
}

/** Copies what the run needs (foldersToCopy) with `files` (relative to the root) patched in. */
export async function copyForRun(
  opts: Pick<RecordOptions, 'target' | 'cwd' | 'args' | 'root'>,
  files: PatchedFile[],
  options: { limits?: Partial<CopyLimits>; signal?: AbortSignal } = {},
): Promise<WorkspaceCopy> {
  const resolved = resolveRun(opts);
  const { base, extra } = foldersToCopy(resolved);
  const rel = (p: string) =>
    path
      .relative(base, path.resolve(resolved.root, p.split(/[\\/]/).join(path.sep)))
      .split(path.sep)
      .join('/');
  const patched = base === resolved.root ? files : files.map((f) => ({ ...f, path: rel(f.path) }));
  return copyWorkspace(base, patched, { ...options, extraFolders: extra });
}

export function targetInCopy(
  opts: Pick<RecordOptions, 'target' | 'cwd' | 'args' | 'root'>,
  copy: WorkspaceCopy,
): TargetInCopy {
  const resolved = resolveRun(opts);
  const cwdInsideRoot = isInside(resolved.cwd, resolved.root);
  const cwd = copy.map(resolved.cwd);
  const root = copy.map(resolved.root);
  let target: RunTarget;
  switch (opts.target.kind) {
    case 'script':
      target = {
        kind: 'script',
        path: copy.map(resolved.launch.program ?? path.resolve(resolved.cwd, opts.target.path)),
      };
      break;
    case 'module':
      target = { kind: 'module', module: opts.target.module };
      break;
    case 'pytest': {
      const [file = '', ...rest] = opts.target.nodeId.split('::');
      const abs = path.resolve(resolved.cwd, file);
      // A relative id stays as given when it still names the copied file from the copied cwd.
      const mapped = copy.map(abs);
      const keepRelative =
        !path.isAbsolute(file) && path.relative(cwd, mapped) === path.relative(resolved.cwd, abs);
      target = { kind: 'pytest', nodeId: [keepRelative ? file : mapped, ...rest].join('::') };
      break;
    }
  }
  return { target, cwd, root, pythonPath: cwdInsideRoot ? '' : root, resolved };
}

/** RecordOptions that trace the same run inside the copy. */
export function recordOptionsInCopy(opts: RecordOptions, copy: WorkspaceCopy): RecordOptions {
  const t = targetInCopy(opts, copy);
  const env = opts.env ?? process.env;
  const programEnv = { ...opts.programEnv };
  if (t.pythonPath)
    programEnv.PYTHONPATH = [t.pythonPath, programEnv.PYTHONPATH ?? env.PYTHONPATH]
      .filter(Boolean)
      .join(path.delimiter);
  return { ...opts, target: t.target, cwd: t.cwd, root: t.root, programEnv };
}

/** Interpreter arguments for a plain (untraced) run of the target, as the tracer launches it. */
export function plainArgv(target: RunTarget, args: string[]): string[] {
  switch (target.kind) {
    case 'script':
      return [target.path, ...args];
    case 'module':
      return ['-m', target.module, ...args];
    case 'pytest':
      // Same flags as the traced run: quiet report, never a .pytest_cache.
      return ['-m', 'pytest', target.nodeId, '-q', '-p', 'no:cacheprovider', ...args];
  }
}
