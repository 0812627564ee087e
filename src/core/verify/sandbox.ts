// Runs model-written code where it can touch nothing of the user's (sandboxArgs.ts says what it
// sees): on Linux inside bubblewrap, as an unprivileged id in a user namespace of its own, with the
// user's folders and every home hidden, no network, only its copy and a private /tmp writable
// (size-limited), and limits on processes and memory (sandboxLimits.ts). Elsewhere, or when bwrap
// cannot create namespaces here, the probe says why and the edges decide (the CLI needs
// --no-sandbox, the editor asks once).
import { chownSync, lchownSync, readdirSync } from 'node:fs';
import { chown, lchown, readdir } from 'node:fs/promises';
import * as path from 'node:path';
import type { SpawnWrapper } from '../trace/options';
import {
  SANDBOX_ID,
  hiddenDirs,
  sandboxCommand,
  type AvailableSandbox,
  type ExtraBinds,
  type SandboxMode,
  type SandboxSpec,
} from './sandboxArgs';
import {
  DEFAULT_SANDBOX_LIMITS,
  createRunCgroup,
  type RunCgroup,
  type SandboxLimits,
} from './sandboxLimits';
import { seccompFilterFile } from './sandboxSeccomp';

export { probeSandbox, resetSandboxProbe, SANDBOX_ENV } from './sandboxProbe';
export {
  SANDBOX_ID,
  HIDDEN_DIRS,
  mountArgs,
  sandboxCommand,
  type SandboxStatus,
  type AvailableSandbox,
  type SandboxSpec,
  type SandboxMode,
  type ExtraBinds,
} from './sandboxArgs';
export { DEFAULT_SANDBOX_LIMITS, type SandboxLimits } from './sandboxLimits';

/** A SpawnWrapper that also takes extra binds from its caller; assignable to SpawnWrapper. */
export type SandboxedSpawnWrapper = (
  command: string,
  args: string[],
  extra?: ExtraBinds,
) => { command: string; args: string[] };

/** One sandbox for the runs of one copy (a verification; a re-trace's preflight and recording). */
export interface Sandbox {
  wrap: SandboxedSpawnWrapper & SpawnWrapper;
  mode: SandboxMode;
  limits: SandboxLimits;
  /** How the run's total memory and processes are bounded: a cgroup, or per-process limits only. */
  bound: 'cgroup v1' | 'cgroup v2' | 'rlimit';
  /** Whether the kernel killed a process of the run for going over the memory limit (cgroup only). */
  oomKilled(): boolean;
  /** Removes the run's cgroup (and kills what is left in it). */
  dispose(): Promise<void>;
}

export interface SandboxOptions {
  /** The user's folders the copy was made from (hidden with HIDDEN_DIRS and the caller's home). */
  originals: string[];
  /** The copy's temporary folder and its size. */
  copyDir: string;
  copyBytes: number;
  copyFiles: number;
  readOnly: string[];
  cwd: string;
  /** The interpreter as given (a shim, say) → the executable it runs; run directly inside. */
  commands?: Record<string, string>;
  /** The caller's home, hidden too (default $HOME). */
  home?: string;
  limits?: Partial<SandboxLimits>;
}

let serial = 0;

/** Hands `dir` and everything under it to `id` (a root caller's sandbox runs as SANDBOX_ID). */
async function chownTree(dir: string, id: number): Promise<void> {
  await chown(dir, id, id);
  const entries = await readdir(dir, { withFileTypes: true });
  await Promise.all(
    entries.map((e) => {
      const p = path.join(dir, e.name);
      return e.isDirectory() && !e.isSymbolicLink() ? chownTree(p, id) : lchown(p, id, id);
    }),
  );
}

function chownShallow(dir: string, id: number): void {
  chownSync(dir, id, id);
  for (const e of readdirSync(dir)) lchownSync(path.join(dir, e), id, id);
}

/** A sandbox for runs in a copy; a root caller's copy is handed to SANDBOX_ID first. */
export async function createSandbox(status: AvailableSandbox, o: SandboxOptions): Promise<Sandbox> {
  const limits: SandboxLimits = { ...DEFAULT_SANDBOX_LIMITS, ...o.limits };
  const asRoot = status.mode !== 'user';
  if (asRoot) await chownTree(o.copyDir, SANDBOX_ID);
  const cgroup: RunCgroup | undefined = createRunCgroup(
    limits,
    `tracefix-${process.pid}-${++serial}`,
  );
  const spec: SandboxSpec = {
    masked: [...o.originals, ...hiddenDirs(o.home ?? process.env.HOME)],
    copyDir: o.copyDir,
    copyBytes: o.copyBytes,
    copyFiles: o.copyFiles,
    readOnly: o.readOnly,
    cwd: o.cwd,
    limits,
    commands: o.commands,
    cgroupProcs: cgroup?.procs,
    seccomp: seccompFilterFile(),
  };
  const wrap = (command: string, args: string[], extra?: ExtraBinds) => {
    // The recorder's channel folder (a socket and a few files): usable by the sandbox's id before
    // the spawn, so synchronously.
    if (asRoot) for (const d of extra?.readWrite ?? []) chownShallow(d, SANDBOX_ID);
    return sandboxCommand(status, spec, command, args, extra);
  };
  return {
    wrap,
    mode: status.mode,
    limits,
    bound: cgroup ? `cgroup ${cgroup.kind}` : 'rlimit',
    oomKilled: () => (cgroup?.oomKills() ?? 0) > 0,
    dispose: async () => {
      await cgroup?.dispose();
    },
  };
}
