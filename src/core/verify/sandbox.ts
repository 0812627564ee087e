// Runs model-written code where it cannot touch the user's files: on Linux inside bubblewrap
// (`bwrap`) with the whole filesystem read-only, the user's project folder hidden behind an empty
// tmpfs, a private /tmp, no network, and only the temporary copy (plus paths the caller names, such
// as a recorder's socket folder) writable. Elsewhere, or when bwrap cannot create namespaces here,
// the probe says why and the edges decide (the CLI needs --no-sandbox, the editor asks once).
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { InternalError } from '../errors';
import type { SpawnWrapper } from '../trace/options';

export type SandboxStatus =
  { available: true; kind: 'bwrap'; command: string } | { available: false; reason: string };

/** Environment variable that makes the probe report "no sandbox" (tests; machines where bwrap misbehaves).
 * It can only make Tracefix more careful: running unsandboxed still needs --no-sandbox or the editor's consent. */
export const SANDBOX_ENV = 'TRACEFIX_SANDBOX';

/** What the sandboxed process may see and write. All paths absolute. */
export interface SandboxSpec {
  /** Folders hidden behind an empty tmpfs: the user's project (the copy's original). */
  masked: string[];
  /** Bound read-write at the same path: the temporary copy and its record files. */
  readWrite: string[];
  /** Bound read-only at the same path when they would otherwise be hidden (under a masked folder
   * or /tmp): the interpreter's prefixes and libraries, a debugpy folder. */
  readOnly: string[];
  /** Working directory inside the sandbox. */
  cwd: string;
}

/** Extra binds the code that spawns can add per call (e.g. the recorder's socket folder). */
export interface ExtraBinds {
  readWrite?: string[];
  readOnly?: string[];
}

/** A SpawnWrapper that also takes extra binds from its caller; assignable to SpawnWrapper. */
export type SandboxedSpawnWrapper = (
  command: string,
  args: string[],
  extra?: ExtraBinds,
) => { command: string; args: string[] };

const PROBE_TIMEOUT_MS = 10_000;
let cached: { key: string; status: Promise<SandboxStatus> } | undefined;

/** The namespaces and mounts every sandboxed run uses: the probe runs exactly these. */
function baseArgs(): string[] {
  return [
    '--die-with-parent',
    // A new session: the program cannot push keystrokes into the user's terminal (TIOCSTI).
    '--new-session',
    '--unshare-all', // user (when unprivileged), ipc, pid, net, uts, cgroup
    '--ro-bind',
    '/',
    '/',
    '--dev',
    '/dev',
    '--proc',
    '/proc',
    '--tmpfs',
    '/tmp',
    '--setenv',
    'TMPDIR',
    '/tmp',
    '--setenv',
    'TMP',
    '/tmp',
    '--setenv',
    'TEMP',
    '/tmp',
  ];
}

/**
 * Whether model-written code can be sandboxed here. Runs `bwrap … true` once with the same
 * namespaces and mounts as a real run and caches the answer (per TRACEFIX_SANDBOX value).
 */
export function probeSandbox(env: NodeJS.ProcessEnv = process.env): Promise<SandboxStatus> {
  const setting = (env[SANDBOX_ENV] ?? '').trim().toLowerCase();
  const key = `${process.platform}:${setting}`;
  if (cached?.key === key) return cached.status;
  const status = runProbe(setting);
  cached = { key, status };
  return status;
}

/** Forget the cached probe (tests; after installing bubblewrap). */
export function resetSandboxProbe(): void {
  cached = undefined;
}

function runProbe(setting: string): Promise<SandboxStatus> {
  if (setting === 'off' || setting === 'none' || setting === '0') {
    return Promise.resolve({
      available: false,
      reason: `sandboxing is turned off (${SANDBOX_ENV}=${setting})`,
    });
  }
  if (process.platform !== 'linux') {
    return Promise.resolve({
      available: false,
      reason: `no sandbox on ${process.platform} (Tracefix sandboxes with bubblewrap, on Linux only)`,
    });
  }
  return new Promise((resolve) => {
    execFile(
      'bwrap',
      [...baseArgs(), 'true'],
      { timeout: PROBE_TIMEOUT_MS, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } },
      (err, _stdout, stderr) => {
        if (!err) return resolve({ available: true, kind: 'bwrap', command: 'bwrap' });
        const e = err as NodeJS.ErrnoException & { killed?: boolean };
        if (e.code === 'ENOENT')
          return resolve({
            available: false,
            reason:
              'bubblewrap (bwrap) is not installed (Debian/Ubuntu: apt-get install bubblewrap)',
          });
        const why = String(stderr).trim().split('\n').pop() || (e.killed ? 'timed out' : e.message);
        resolve({ available: false, reason: `bubblewrap cannot create a sandbox here: ${why}` });
      },
    );
  });
}

function isInside(p: string, dir: string): boolean {
  const rel = path.relative(dir, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function unique(paths: string[]): string[] {
  return [...new Set(paths.filter(Boolean).map((p) => path.resolve(p)))];
}

/**
 * bwrap's arguments (without the command) for `spec`. Mount order matters: read-only binds that
 * only /tmp hides, then the masks, then read-only binds inside masked folders, then the writable
 * binds, then the masks turn read-only (their bound sub-folders keep their own mode). A writable
 * bind must never contain a masked folder (it would expose it): InternalError.
 */
export function bwrapArgs(spec: SandboxSpec, extra: ExtraBinds = {}): string[] {
  const masked = unique(spec.masked);
  const readWrite = unique([...spec.readWrite, ...(extra.readWrite ?? [])]);
  const readOnly = unique([...spec.readOnly, ...(extra.readOnly ?? [])]).filter(
    (p) => !readWrite.some((w) => isInside(p, w)),
  );
  for (const w of readWrite) {
    const exposed = masked.find((m) => isInside(m, w));
    if (exposed)
      throw new InternalError(
        `Sandbox: the writable folder ${w} contains the hidden folder ${exposed}`,
      );
  }
  const insideMask = (p: string) => masked.some((m) => isInside(p, m));
  const args = baseArgs();
  // Paths only the private /tmp hides (an interpreter or debugpy under /tmp); never re-exposing a mask's contents.
  for (const p of readOnly)
    if (!insideMask(p) && isInside(p, '/tmp')) args.push('--ro-bind-try', p, p);
  for (const m of masked) args.push('--tmpfs', m);
  for (const p of readOnly) if (insideMask(p)) args.push('--ro-bind-try', p, p);
  for (const w of readWrite) args.push('--bind', w, w);
  // Writing into a hidden folder fails (EROFS) instead of landing silently in a throw-away tmpfs.
  for (const m of masked) args.push('--remount-ro', m);
  args.push('--chdir', spec.cwd);
  return args;
}

/** A spawn wrapper that runs the command inside bwrap per `spec` (plus per-call extra binds). */
export function sandboxWrapper(
  status: Extract<SandboxStatus, { available: true }>,
  spec: SandboxSpec,
): SandboxedSpawnWrapper & SpawnWrapper {
  return (command: string, args: string[], extra?: ExtraBinds) => ({
    command: status.command,
    args: [...bwrapArgs(spec, extra), command, ...args],
  });
}
