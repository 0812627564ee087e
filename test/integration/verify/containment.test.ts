// Issue 20's attacks on the sandbox, each run by a patch through verifyPatch against real
// bubblewrap — as the test process (root in CI) and, when the tests run as root, again as an
// unprivileged user (test/support/asUser.ts): capabilities and root powers (remount /, write the
// host, open core_pattern, read /etc/shadow), host sockets (filesystem and abstract) and the
// network, processes / memory / disk / /tmp limits, the timeout, the environment (no keys) and the
// kernel keyring (no key of the caller's session keyring).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePassedEnv } from '../../../src/core/verify/runEnv';
import { runProgram } from '../../../src/core/verify/runProgram';
import { SANDBOX_ID, createSandbox, probeSandbox } from '../../../src/core/verify/sandbox';
import { copyWorkspace } from '../../../src/core/verify/workspaceCopy';
import { createRunCgroup, DEFAULT_SANDBOX_LIMITS } from '../../../src/core/verify/sandboxLimits';
import {
  verifyPatch,
  type VerifyOptions,
  type VerifyResult,
} from '../../../src/core/verify/verify';
import { TEST_UID, callerRunner, unprivilegedRunner, type UserRunner } from '../../support/asUser';
import { keyringWrapper, probes } from './containmentProbes';

const FIXTURE = path.resolve(__dirname, '../../fixtures/fix/average');
const PYTHON = '/usr/bin/python3';
const SECRETS = {
  OPENAI_API_KEY: 'sk-proj-containmentTEST0123456789abcdef',
  TRACEFIX_API_KEY: 'tfx-containment-key-0123456789',
  AWS_ACCESS_KEY_ID: 'AKIACONTAINMENT01234',
  AWS_SECRET_ACCESS_KEY: 'containmentAwsSecret0123456789abcdefghij',
  GITHUB_TOKEN: 'ghp_containmentToken0123456789abcdefghij',
  TFX_PLAIN_SETTING: 'plain-value-not-passed-4711',
};
const root = process.getuid?.() === 0;

interface Variant {
  name: string;
  /** Host uid the sandboxed program must run as. */
  hostUid: number;
  project(): string;
  home: string;
  verify(opts: VerifyOptions, env?: Record<string, string>): Promise<VerifyResult>;
  /** verifyPatch in a process of its own started through `wrapper` (asUser.ts). */
  verifyWrapped(opts: VerifyOptions, wrapper: string[]): Promise<VerifyResult>;
}

let user: UserRunner | undefined;
let caller: UserRunner | undefined;
const dirs: string[] = [];
const variants: Variant[] = [];
/** Why the unprivileged variant cannot run here (set in beforeAll). */
let unprivilegedSkip = '';

beforeAll(async () => {
  const s = await probeSandbox({});
  if (!s.available) throw new Error(`these tests need bubblewrap: ${s.reason}`);
  const home = mkdtempSync(path.join(os.tmpdir(), 'tfx-home-'));
  dirs.push(home);
  variants.push({
    name: root ? 'as root' : 'as this user',
    hostUid: root ? SANDBOX_ID : (process.getuid?.() ?? -1),
    home,
    project() {
      const d = path.join(mkdtempSync(path.join(os.tmpdir(), 'tfx-contain-')), 'average');
      dirs.push(path.dirname(d));
      cpSync(FIXTURE, d, { recursive: true });
      return d;
    },
    verify: (opts, env = {}) =>
      verifyPatch({ ...opts, env: { PATH: process.env.PATH ?? '', HOME: home, ...env } }),
    verifyWrapped: async (opts, wrapper) => {
      caller ??= await callerRunner();
      return (await caller.verify(opts, { HOME: home }, wrapper)).result;
    },
  });
  user = await unprivilegedRunner();
  if (!user) {
    unprivilegedSkip = root
      ? 'setpriv (util-linux) is missing, so the tests cannot start a process as another user'
      : 'the tests do not run as root: variant 0 is already an unprivileged caller';
    return;
  }
  const asUser = await user.probe();
  if (!asUser.available) {
    // Unprivileged user namespaces are off on this machine for users other than root.
    unprivilegedSkip = `bubblewrap cannot sandbox an unprivileged caller here (${asUser.reason})`;
    return;
  }
  const u = user;
  const uhome = u.folder('home');
  variants.push({
    name: 'as an unprivileged user',
    hostUid: TEST_UID,
    home: uhome,
    project() {
      const d = u.folder('average');
      cpSync(FIXTURE, d, { recursive: true });
      u.give(d);
      return d;
    },
    verify: async (opts, env = {}) => (await u.verify(opts, { HOME: uhome, ...env })).result,
    verifyWrapped: async (opts, wrapper) => (await u.verify(opts, { HOME: uhome }, wrapper)).result,
  });
}, 120_000);

afterAll(() => {
  user?.dispose();
  caller?.dispose();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function script(v: Variant, text: string, more: Partial<VerifyOptions> = {}) {
  const cwd = v.project();
  return {
    cwd,
    opts: {
      target: { kind: 'script' as const, path: 'average.py' },
      cwd,
      python: PYTHON,
      files: [{ path: 'average.py', text }],
      timeoutMs: 60_000,
      ...more,
    },
  };
}

/** A server on the abstract socket `@name` (Python: libuv pads abstract names to the full length). */
function abstractServer(name: string): Promise<ChildProcess> {
  const code = [
    'import socket, sys',
    's = socket.socket(socket.AF_UNIX)',
    `s.bind("\\0" + ${JSON.stringify(name)})`,
    's.listen(8)',
    'print("READY", flush=True)',
    'while True:',
    '    c, _ = s.accept()',
    '    c.sendall(b"hello")',
    '    c.close()',
  ].join('\n');
  return new Promise((resolve, reject) => {
    const p = spawn(PYTHON, ['-c', code], { stdio: ['ignore', 'pipe', 'inherit'] });
    p.on('error', reject);
    p.stdout.once('data', () => resolve(p));
  });
}

/** Host uids of processes whose command line contains `mark`, polled until `done` settles. */
async function hostUids(mark: string, done: Promise<unknown>): Promise<Set<number>> {
  const seen = new Set<number>();
  let over = false;
  void done.finally(() => (over = true));
  while (!over) {
    const ps = execFileSync('ps', ['-eo', 'uid=,args='], { encoding: 'utf8' });
    for (const line of ps.split('\n'))
      if (line.includes(mark) && !line.includes('bwrap') && !line.includes('setpriv'))
        seen.add(Number(line.trim().split(/\s+/)[0]));
    await new Promise((r) => setTimeout(r, 100));
  }
  return seen;
}

describe.each([
  [0, root ? 'as root' : 'as this user'],
  [1, 'as an unprivileged user'],
])('containment, variant %i (%s)', (index) => {
  /** The variant, or a skip that says why; the caller's own variant (root in CI) never skips. */
  const v = (ctx: { skip: (note?: string) => never }): Variant => {
    const variant = variants[index];
    if (variant) return variant;
    if (index === 0) throw new Error("the caller's own variant was not set up (see beforeAll)");
    return ctx.skip(unprivilegedSkip || 'the unprivileged variant was not set up');
  };

  it('privileges: an unprivileged host id with no capability; / cannot be remounted, the host not written, core_pattern not opened, /etc/shadow not read, no user namespace made', async (ctx) => {
    const variant = v(ctx);
    const marker = `/etc/tfx-escape-${process.pid}-${index}`;
    // A file name of this run's own: other test files run verifications (as SANDBOX_ID) meanwhile.
    const name = `privileges_${process.pid}_${index}.py`;
    const text = probes.privileges(marker);
    const { cwd, opts } = script(variant, text, {
      target: { kind: 'script', path: name },
      files: [{ path: name, text }],
    });
    writeFileSync(path.join(cwd, name), text);
    chmodSync(path.join(cwd, name), 0o644);
    const done = variant.verify(opts);
    const uids = await hostUids(name, done);
    const r = await done;
    expect(r.sandboxed).toBe(true);
    expect([...uids]).toEqual([variant.hostUid]);
    expect(r.output).toContain('CAPEFF 0000000000000000');
    expect(r.output).toContain('UID 65534');
    for (const tag of ['SHADOW', 'COREPATTERN', 'HOSTWRITE', 'SETUID0'])
      expect(r.output).toMatch(new RegExp(`^${tag} DENIED`, 'm'));
    expect(r.output).toMatch(/^REMOUNT FAILED/m);
    expect(r.output).toMatch(/^REMOUNT-BIND FAILED/m);
    expect(r.output).toMatch(/^USERNS FAILED/m);
    expect(existsSync(marker)).toBe(false);
    expect(r.passed).toBe(true);
  });

  it('host sockets: none is reachable — in /tmp, /run, /var/run or the home, an abstract one, 127.0.0.1', async (ctx) => {
    const variant = v(ctx);
    const tag = `tfx-sock-${process.pid}-${index}`;
    const paths = [
      path.join(os.tmpdir(), `${tag}.sock`),
      path.join(variant.home, `${tag}.sock`),
      ...(root ? [`/run/${tag}.sock`, `/var/run/${tag}-v.sock`] : []),
    ];
    const servers: net.Server[] = [];
    let abstract: ChildProcess | undefined;
    const listen = (where: string | number) =>
      new Promise<net.Server>((resolve) => {
        const s = net.createServer((c) => c.end('hello'));
        servers.push(s);
        s.listen(where as never, () => resolve(s));
      });
    try {
      for (const p of paths) {
        await listen(p);
        chmodSync(p, 0o777); // reachable by any user without the sandbox
      }
      abstract = await abstractServer(tag);
      const tcp = (await listen(0)).address() as net.AddressInfo;
      const targets = [...paths, `@${tag}`, `tcp:${tcp.port}`];
      const { opts } = script(variant, probes.sockets(targets));
      const r = await variant.verify(opts);
      for (const t of targets) expect(r.output).toMatch(new RegExp(`^UNREACHABLE ${t} `, 'm'));
      expect(r.output).not.toMatch(/^CONNECTED/m);
      if (index === 0 && root) {
        // The same probe without the sandbox reaches every one of them: the probe works.
        const control = await variant.verify({
          ...script(variant, probes.sockets(targets)).opts,
          sandbox: false,
        });
        for (const t of targets)
          expect(control.output).toMatch(new RegExp(`^CONNECTED ${t}$`, 'm'));
      }
    } finally {
      for (const s of servers) s.close();
      abstract?.kill();
    }
  });

  it('limits: a fork bomb, a big allocation, a huge file or many files in the copy, a full /tmp or /dev/shm stop at the limits', async (ctx) => {
    const variant = v(ctx);
    const MiB = 1024 * 1024;
    const { opts } = script(variant, probes.limits(), {
      sandboxLimits: {
        processes: 64,
        memoryBytes: 256 * MiB,
        diskBytes: 64 * MiB,
        tmpBytes: 32 * MiB,
      },
    });
    const r = await variant.verify(opts);
    const num = (re: RegExp) => Number(re.exec(r.output)?.[1] ?? NaN);
    expect(num(/^FORK STOPPED (\d+)/m)).toBeLessThan(64);
    expect(r.output).toMatch(/^ALLOC 1024 MiB MemoryError/m);
    expect(r.output).toMatch(/^ALLOC 100 MiB OK/m);
    expect(num(/^FILL big\.bin STOPPED (\d+) File too large/m)).toBeLessThanOrEqual(64);
    expect(num(/^MANY STOPPED (\d+) No space left on device/m)).toBeLessThanOrEqual(72);
    expect(num(/^FILL \/tmp\/big\.bin STOPPED (\d+) No space left on device/m)).toBeLessThanOrEqual(
      32,
    );
    expect(
      num(/^FILL \/dev\/shm\/big\.bin STOPPED (\d+) No space left on device/m),
    ).toBeLessThanOrEqual(8);
    expect(r.output).toMatch(/^DEV DENIED Read-only file system/m);
  });

  it('time: the timeout ends every process of the run, a daemon that ignores SIGTERM included', async (ctx) => {
    const variant = v(ctx);
    const mark = `tfx-daemon-${process.pid}-${index}`;
    const { opts } = script(variant, probes.daemon(mark), { timeoutMs: 4000 });
    const r = await variant.verify(opts);
    expect(r.timedOut).toBe(true);
    expect(r.output).toContain('DAEMON STARTED');
    await new Promise((res) => setTimeout(res, 500));
    expect(execFileSync('ps', ['-eo', 'args='], { encoding: 'utf8' })).not.toContain(mark);
  });

  it('environment: no key of the user reaches the run, not even through /proc; HOME is in the copy; --env passes a named variable', async (ctx) => {
    const variant = v(ctx);
    const { opts } = script(variant, probes.environment(), {
      passEnv: parsePassedEnv(['PASS_ME', 'SET_HERE=given']),
    });
    const r = await variant.verify(opts, { ...SECRETS, PASS_ME: 'passed-4711' });
    for (const value of Object.values(SECRETS)) expect(r.output).not.toContain(value);
    const keys = JSON.parse(/^KEYS (.*)$/m.exec(r.output)?.[1] ?? '[]') as string[];
    for (const k of Object.keys(SECRETS)) expect(keys).not.toContain(k);
    expect(keys).toEqual(expect.arrayContaining(['PATH', 'HOME', 'PASS_ME', 'SET_HERE', 'TMPDIR']));
    expect(r.output).toContain('PASS_ME passed-4711');
    expect(r.output).toContain('SET_HERE given');
    expect(r.output).toMatch(/^HOME \/tmp\/tracefix-verify-\w+\/\.home$/m);
    expect(r.output).toMatch(/^PROC-ENVIRON \d+ files/m);
  });

  it('files outside the system folders: a top-level data folder and the mail spool are hidden', async (ctx) => {
    const variant = v(ctx);
    if (!root) return ctx.skip('only root can make a top-level folder and a mail file to look for');
    const top = `/tfx-data-${process.pid}-${index}`;
    const files = [path.join(top, 'notes.txt')];
    if (existsSync('/var/mail')) files.push(`/var/mail/tfx-${process.pid}-${index}`);
    try {
      mkdirSync(top);
      chmodSync(top, 0o755);
      for (const f of files) {
        writeFileSync(f, `readable-by-all ${f}\n`);
        chmodSync(f, 0o644);
      }
      const r = await variant.verify(script(variant, probes.files(files)).opts);
      for (const f of files) expect(r.output).toMatch(new RegExp(`^HIDDEN ${f} `, 'm'));
      expect(r.output).not.toMatch(/^READ /m);
      expect(r.passed).toBe(true);
      if (index === 0) {
        const control = await variant.verify({
          ...script(variant, probes.files(files)).opts,
          sandbox: false,
        });
        for (const f of files) expect(control.output).toContain(`READ ${f} readable-by-all ${f}`);
      }
    } finally {
      rmSync(top, { recursive: true, force: true });
      for (const f of files.slice(1)) rmSync(f, { force: true });
    }
  });

  it("kernel keyring: a key in the caller's session keyring is out of reach, and none can be added", async (ctx) => {
    const variant = v(ctx);
    const here = keyringUsable();
    if (here) return ctx.skip(here);
    const secret = `keyring-secret-${process.pid}-${index}`;
    const wrapper = keyringWrapper(PYTHON, secret);
    const r = await variant.verifyWrapped(script(variant, probes.keyring()).opts, wrapper);
    expect(r.sandboxed).toBe(true);
    expect(r.output).not.toContain(secret);
    expect(r.output).toMatch(/^KEYRING DENIED Operation not permitted$/m);
    expect(r.output).toMatch(/^ADDKEY DENIED Operation not permitted$/m);
    // The same run without the sandbox reads the key: it was there to be read.
    const control = await variant.verifyWrapped(
      { ...script(variant, probes.keyring()).opts, sandbox: false },
      wrapper,
    );
    expect(control.output).toContain(`KEYRING READ ${secret}`);
  });
});

/** Why the keyring test cannot run here ('' when it can): a container's seccomp may refuse keyctl. */
function keyringUsable(): string {
  const [python = PYTHON, ...rest] = keyringWrapper(PYTHON, 'probe');
  try {
    execFileSync(python, [...rest, 'true'], { stdio: ['ignore', 'ignore', 'pipe'] });
    return '';
  } catch (e) {
    const why = String((e as { stderr?: Buffer }).stderr ?? '').trim();
    return `the kernel keyring cannot be used here at all (${why || (e as Error).message})`;
  }
}

describe('containment: the run as a whole', () => {
  it('memory in total: where a cgroup can be made, processes that each stay under their own limit are stopped together', async (ctx) => {
    const probeCg = createRunCgroup(DEFAULT_SANDBOX_LIMITS, `tracefix-probe-${process.pid}`);
    if (!probeCg)
      return ctx.skip(
        'no writable cgroup tree here: per-process limits only (README, The sandbox)',
      );
    await probeCg.dispose();
    const variant = variants[0];
    if (!variant) throw new Error("the caller's own variant was not set up (see beforeAll)");
    const MiB = 1024 * 1024;
    const { opts } = script(variant, probes.memoryTogether(4, 120), {
      sandboxLimits: { memoryBytes: 256 * MiB },
    });
    const r = await variant.verify(opts);
    expect(r.passed).toBe(false);
    expect(r.failure).toMatch(/^the run went over the sandbox's memory limit \(256 MB\)/);
  });

  it('root where user namespaces are off (the fallback): still SANDBOX_ID with no capability, nothing of root', async (ctx) => {
    if (!root) return ctx.skip("the fallback is root's: the tests do not run as root");
    const s = await probeSandbox({});
    const variant = variants[0];
    if (!s.available || !variant) throw new Error(`no sandbox: ${s.available ? '' : s.reason}`);
    const copy = await copyWorkspace(variant.project());
    const sandbox = await createSandbox(
      { ...s, mode: 'root-no-userns' },
      {
        originals: copy.originals,
        copyDir: copy.dir,
        copyBytes: copy.bytes,
        copyFiles: copy.files,
        readOnly: [],
        cwd: copy.root,
      },
    );
    try {
      const code = [
        'import os',
        'st = open("/proc/self/status").read()',
        'print("CAPEFF", [l.split()[1] for l in st.splitlines() if l.startswith("CapEff")][0])',
        'print("UID", os.getuid(), os.getgid(), os.getgroups())',
        'for p in ["/etc/shadow", "/root"]:',
        '    try:',
        '        os.listdir(p) if p == "/root" else open(p).read()',
        '        print("READ", p)',
        '    except OSError as e:',
        '        print("DENIED", p, e.strerror)',
      ].join('\n');
      const r = await runProgram({
        python: PYTHON,
        argv: ['-c', code],
        cwd: copy.root,
        env: { PATH: '/usr/bin:/bin' },
        timeoutMs: 20_000,
        wrap: sandbox.wrap,
      });
      expect(r.output).toContain('CAPEFF 0000000000000000');
      expect(r.output).toContain(`UID ${SANDBOX_ID} ${SANDBOX_ID} []`);
      expect(r.output).toContain('DENIED /etc/shadow Permission denied');
      expect(r.output).toMatch(/^(DENIED|READ) \/root/m); // hidden: an empty folder at most
    } finally {
      await sandbox.dispose();
      copy.dispose();
    }
  });
});
