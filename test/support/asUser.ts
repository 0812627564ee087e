// Runs verifyPatch in a process of its own: the driver (verifyDriver.ts) bundled with esbuild into a
// folder anyone can read, started as the test process's own user or — from a root test process —
// with setpriv as a user id no account uses (no /etc/passwd entry needed; bubblewrap only needs the
// id), optionally through a wrapper command (one that first puts a key in a fresh session keyring).
// `unprivilegedRunner` is undefined where the tests do not run as root or setpriv is missing.
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { nodeBundle } from '../../scripts/esbuild-options.mjs';
import type { SandboxStatus } from '../../src/core/verify/sandbox';
import type { VerifyOptions, VerifyResult } from '../../src/core/verify/verify';

const ROOT = path.resolve(__dirname, '../..');

/** A user id with no account and no process on this machine. */
export const TEST_UID = 64_123;

export interface UserRunner {
  uid: number;
  /** A fresh folder the user owns (its home for the run, or a project). */
  folder(name: string): string;
  /** Hands a folder tree to the user. */
  give(dir: string): void;
  /** verifyPatch in the driver; `wrapper` (a command line ending in the command it runs) goes first. */
  verify(
    opts: VerifyOptions,
    env: Record<string, string>,
    wrapper?: string[],
  ): Promise<{ result: VerifyResult; status: SandboxStatus }>;
  /** The sandbox probe as the user sees it (user namespaces may be off for unprivileged users). */
  probe(): Promise<SandboxStatus>;
  dispose(): void;
}

function chownTree(p: string, uid: number): void {
  chownSync(p, uid, uid);
  if (statSync(p).isDirectory()) for (const e of readdirSync(p)) chownTree(path.join(p, e), uid);
}

/** The driver, run as this process's user. */
export function callerRunner(): Promise<UserRunner> {
  return runner(undefined);
}

/** The driver, run as TEST_UID (root only, with setpriv); undefined where that is impossible. */
export async function unprivilegedRunner(): Promise<UserRunner | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  try {
    execFileSync('setpriv', ['--version'], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  return runner(TEST_UID);
}

async function runner(uid: number | undefined): Promise<UserRunner> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tfx-asuser-'));
  chmodSync(dir, 0o755);
  const driver = path.join(dir, 'driver.js');
  await esbuild.build({
    ...nodeBundle,
    sourcemap: false,
    absWorkingDir: ROOT,
    entryPoints: ['test/support/verifyDriver.ts'],
    outfile: driver,
  });
  chmodSync(driver, 0o644);
  const made: string[] = [];
  const owner = uid ?? process.getuid?.() ?? 0;
  const setpriv =
    uid === undefined
      ? []
      : ['setpriv', `--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', '--inh-caps=-all'];
  return {
    uid: owner,
    folder(name) {
      const d = path.join(mkdtempSync(path.join(os.tmpdir(), 'tfx-user-')), name);
      made.push(path.dirname(d));
      execFileSync('mkdir', ['-p', d]);
      if (uid !== undefined) chownTree(path.dirname(d), uid);
      return d;
    },
    give: (d) => {
      if (uid !== undefined) chownTree(d, uid);
    },
    probe() {
      return drive({ probeOnly: true, opts: {} }, { HOME: '/' }, '/', []).then((r) => r.status);
    },
    async verify(opts, env, wrapper = []) {
      const r = await drive({ opts }, env, opts.cwd ?? '/', wrapper);
      if (r.error || !r.result) throw new Error(r.error ?? 'no result');
      return { result: r.result, status: r.status };
    },
    dispose() {
      for (const d of made) rmSync(d, { recursive: true, force: true });
      rmSync(dir, { recursive: true, force: true });
    },
  };

  function drive(
    input: object,
    env: Record<string, string>,
    cwd: string,
    wrapper: string[],
  ): Promise<{ result?: VerifyResult; status: SandboxStatus; error?: string }> {
    return new Promise((resolve, reject) => {
      const [command = process.execPath, ...args] = [
        ...setpriv,
        ...wrapper,
        process.execPath,
        driver,
      ];
      const p = spawn(command, args, {
        cwd,
        env: { PATH: '/usr/local/bin:/usr/bin:/bin', ...env },
      });
      let out = '';
      let err = '';
      p.stdout.setEncoding('utf8').on('data', (t: string) => (out += t));
      p.stderr.setEncoding('utf8').on('data', (t: string) => (err += t));
      p.on('error', reject);
      p.on('close', () => {
        try {
          resolve(
            JSON.parse(out) as { result?: VerifyResult; status: SandboxStatus; error?: string },
          );
        } catch {
          reject(new Error(`driver failed: ${err || out}`));
        }
      });
      p.stdin.end(JSON.stringify(input));
    });
  }
}
