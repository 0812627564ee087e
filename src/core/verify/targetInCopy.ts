// Points a run (script, module or pytest node id, its cwd and root) at a workspace copy, so the
// same command runs — or is traced — against the patched files instead of the user's.
import * as path from 'node:path';
import { resolveTarget, type ResolvedTarget } from '../trace/targets';
import type { RecordOptions, RunTarget } from '../trace/options';
import { isInside, type WorkspaceCopy } from './workspaceCopy';

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
export function resolveRun(opts: Pick<RecordOptions, 'target' | 'cwd' | 'args' | 'root'>): ResolvedTarget {
  return resolveTarget(opts.target, opts.cwd, opts.args ?? [], opts.root);
}

export function targetInCopy(opts: Pick<RecordOptions, 'target' | 'cwd' | 'args' | 'root'>, copy: WorkspaceCopy): TargetInCopy {
  const resolved = resolveRun(opts);
  const cwdInside = isInside(resolved.cwd, copy.originalRoot);
  // A cwd outside the root is not copied: the program runs there as it did when traced.
  const cwd = cwdInside ? copy.map(resolved.cwd) : resolved.cwd;
  let target: RunTarget;
  switch (opts.target.kind) {
    case 'script':
      target = { kind: 'script', path: copy.map(resolved.launch.program ?? path.resolve(resolved.cwd, opts.target.path)) };
      break;
    case 'module':
      target = { kind: 'module', module: opts.target.module };
      break;
    case 'pytest': {
      const [file = '', ...rest] = opts.target.nodeId.split('::');
      const abs = path.resolve(resolved.cwd, file);
      // Relative ids keep working from the mapped cwd; otherwise name the copied file absolutely.
      const mappedFile = cwdInside && !path.isAbsolute(file) ? file : copy.map(abs);
      target = { kind: 'pytest', nodeId: [mappedFile, ...rest].join('::') };
      break;
    }
  }
  return { target, cwd, root: copy.root, pythonPath: cwdInside ? '' : copy.root, resolved };
}

/** RecordOptions that trace the same run inside the copy. */
export function recordOptionsInCopy(opts: RecordOptions, copy: WorkspaceCopy): RecordOptions {
  const t = targetInCopy(opts, copy);
  const env = opts.env ?? process.env;
  const programEnv = { ...opts.programEnv };
  if (t.pythonPath) programEnv.PYTHONPATH = [t.pythonPath, programEnv.PYTHONPATH ?? env.PYTHONPATH].filter(Boolean).join(path.delimiter);
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
