// Whether model-written code can be sandboxed here, and how: bubblewrap run by an unprivileged
// caller creates the user namespace itself ('user'); run by root, an outer bwrap sets up the mounts
// and the program drops to SANDBOX_ID with setpriv, then an inner unprivileged bwrap gives it a user
// namespace of its own ('root'); where unprivileged user namespaces are off, root still drops to
// SANDBOX_ID without one ('root-no-userns'). The probe runs exactly what a run runs, once.
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import * as path from 'node:path';
import {
  probeCommand,
  type SandboxMode,
  type SandboxStatus,
  type SandboxTools,
} from './sandboxArgs';
import { seccompFilterFile } from './sandboxSeccomp';

export type { SandboxStatus };

/** Environment variable that makes the probe report "no sandbox" (tests; machines where bwrap misbehaves).
 * It can only make Tracefix more careful: running unsandboxed still needs --no-sandbox or the editor's consent. */
export const SANDBOX_ENV = 'TRACEFIX_SANDBOX';

const PROBE_TIMEOUT_MS = 10_000;
/** The first bubblewrap with every option the sandbox uses (`--disable-userns`; `--size` is 0.7.0). */
export const MIN_BWRAP_VERSION = '0.8.0';
let cached: { key: string; status: Promise<SandboxStatus> } | undefined;

function which(name: string, envPath: string): string | undefined {
  for (const dir of envPath.split(path.delimiter).filter(Boolean)) {
    const p = path.join(dir, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // next
    }
  }
  return undefined;
}

/**
 * Whether model-written code can be sandboxed here. Runs the sandbox once with `true` inside and
 * caches the answer (per TRACEFIX_SANDBOX value).
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

function runOnce(c: { command: string; args: string[] }): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(
      c.command,
      c.args,
      { timeout: PROBE_TIMEOUT_MS, env: { PATH: '/usr/bin:/bin' } },
      (err, _stdout, stderr) => {
        if (!err) return resolve(undefined);
        const e = err as NodeJS.ErrnoException & { killed?: boolean };
        resolve(String(stderr).trim().split('\n').pop() || (e.killed ? 'timed out' : e.message));
      },
    );
  });
}

async function runProbe(setting: string): Promise<SandboxStatus> {
  if (setting === 'off' || setting === 'none' || setting === '0')
    return { available: false, reason: `sandboxing is turned off (${SANDBOX_ENV}=${setting})` };
  if (process.platform !== 'linux')
    return {
      available: false,
      reason: `no sandbox on ${process.platform} (Tracefix sandboxes with bubblewrap, on Linux only)`,
    };
  const searchPath = `${process.env.PATH ?? ''}${path.delimiter}/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin`;
  const bwrap = which('bwrap', searchPath);
  if (!bwrap)
    return {
      available: false,
      reason: 'bubblewrap (bwrap) is not installed (Debian/Ubuntu: apt-get install bubblewrap)',
    };
  const root = process.getuid?.() === 0;
  const need = root ? ['sh', 'cp', 'prlimit', 'setpriv'] : ['sh', 'cp', 'prlimit'];
  const found = Object.fromEntries(need.map((n) => [n, which(n, searchPath)]));
  const missing = need.filter((n) => !found[n]);
  if (missing.length)
    return {
      available: false,
      reason: `${missing.join(' and ')} not found (util-linux and coreutils provide them)`,
    };
  const tools: SandboxTools = {
    bwrap,
    sh: found.sh ?? '',
    cp: found.cp ?? '',
    prlimit: found.prlimit ?? '',
    ...(root ? { setpriv: found.setpriv } : {}),
  };
  const modes: SandboxMode[] = root ? ['root', 'root-no-userns'] : ['user'];
  let why = '';
  for (const mode of modes) {
    const status = {
      available: true as const,
      kind: 'bwrap' as const,
      command: bwrap,
      mode,
      tools,
    };
    const failed = await runOnce(probeCommand(status, seccompFilterFile()));
    if (failed === undefined) return status;
    why ||= failed;
  }
  // An older bubblewrap (Ubuntu 22.04 has 0.6.1) stops at an option it does not know: say which
  // version is needed rather than quoting its complaint.
  if (/unknown option|unrecognized option/i.test(why)) {
    const version = await bwrapVersion(bwrap);
    return {
      available: false,
      reason: `bubblewrap ${version || '(version unknown)'} is too old: Tracefix needs ${MIN_BWRAP_VERSION} or later (${why})`,
    };
  }
  return { available: false, reason: `bubblewrap cannot create a sandbox here: ${why}` };
}

function bwrapVersion(bwrap: string): Promise<string> {
  return new Promise((resolve) => {
    execFile(bwrap, ['--version'], { timeout: PROBE_TIMEOUT_MS }, (err, stdout) =>
      resolve(err ? '' : (/\d+(?:\.\d+)+/.exec(String(stdout))?.[0] ?? '')),
    );
  });
}
