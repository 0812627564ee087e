// Runs verifyPatch as an unprivileged user from a root test process: the driver (verifyDriver.ts)
// bundled with esbuild into a folder anyone can read, started with setpriv as a user id no account
// uses (no /etc/passwd entry needed; bubblewrap only needs the id). Undefined where the tests do not
// run as root or setpriv is missing: the unprivileged variant is then the test process itself.
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
  verify(
    opts: VerifyOptions,
    env: Record<string, string>,
  ): Promise<{ result: VerifyResult; status: SandboxStatus }>;
  /** The sandbox probe as the user sees it (user namespaces may be off for unprivileged users). */
  probe(): Promise<SandboxStatus>;
  dispose(): void;
}

function chownTree(p: string, uid: number): void {
  chownSync(p, uid, uid);
  if (statSync(p).isDirectory()) for (const e of readdirSync(p)) chownTree(path.join(p, e), uid);
}

export async function unprivilegedRunner(): Promise<UserRunner | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  try {
    execFileSync('setpriv', ['--version'], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
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
  return {
    uid: TEST_UID,
    folder(name) {
      const d = path.join(mkdtempSync(path.join(os.tmpdir(), 'tfx-user-')), name);
      made.push(path.dirname(d));
      execFileSync('mkdir', ['-p', d]);
      chownTree(path.dirname(d), TEST_UID);
      return d;
    },
    give: (d) => chownTree(d, TEST_UID),
    probe() {
      return drive({ probeOnly: true, opts: {} }, { HOME: '/' }, '/').then((r) => r.status);
    },
    async verify(opts, env) {
      const r = await drive({ opts }, env, opts.cwd ?? '/');
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
  ): Promise<{ result?: VerifyResult; status: SandboxStatus; error?: string }> {
    return new Promise((resolve, reject) => {
      const p = spawn(
        'setpriv',
        [
          `--reuid=${TEST_UID}`,
          `--regid=${TEST_UID}`,
          '--clear-groups',
          '--inh-caps=-all',
          process.execPath,
          driver,
        ],
        { cwd, env: { PATH: '/usr/local/bin:/usr/bin:/bin', ...env } },
      );
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
