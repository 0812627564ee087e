// The sandbox's command line (what each mode asks of bubblewrap, setpriv and prlimit), the run
// environment's allow-list, and the probe. What the commands achieve is tested against real
// bubblewrap in test/integration/verify/containment.test.ts.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InternalError, UserError } from '../../../src/core/errors';
import { buildRunEnv, parsePassedEnv } from '../../../src/core/verify/runEnv';
import {
  SANDBOX_ID,
  STAGE_DIR,
  hiddenDirs,
  mountArgs,
  sandboxCommand,
  type AvailableSandbox,
  type SandboxSpec,
} from '../../../src/core/verify/sandboxArgs';
import { DEFAULT_SANDBOX_LIMITS, prlimitOptions } from '../../../src/core/verify/sandboxLimits';
import { probeSandbox, resetSandboxProbe } from '../../../src/core/verify/sandboxProbe';

afterEach(() => resetSandboxProbe());

/** Index of the option `flag` with the given operands, -1 when absent. */
function at(args: string[], flag: string, ...operands: string[]): number {
  return args.findIndex((a, i) => a === flag && operands.every((o, k) => args[i + 1 + k] === o));
}

const tools = {
  bwrap: '/usr/bin/bwrap',
  sh: '/bin/sh',
  cp: '/bin/cp',
  prlimit: '/usr/bin/prlimit',
  setpriv: '/usr/bin/setpriv',
};
const status = (mode: AvailableSandbox['mode']): AvailableSandbox => ({
  available: true,
  kind: 'bwrap',
  command: tools.bwrap,
  mode,
  tools,
});

const spec: SandboxSpec = {
  masked: ['/home/u/proj', '/home', '/root', '/run'],
  copyDir: '/tmp/tracefix-verify-1',
  copyBytes: 10_000,
  copyFiles: 3,
  readOnly: ['/home/u/proj/.venv', '/usr', '/tmp/py', '/root/.pyenv/versions/3.12.1'],
  cwd: '/tmp/tracefix-verify-1/proj',
  limits: DEFAULT_SANDBOX_LIMITS,
};

describe('hiddenDirs', () => {
  it('hides every top-level folder that is not the system’s (those that exist), the homes, /run and the mail spool', () => {
    const hidden = hiddenDirs('/root', [
      'usr',
      'etc',
      'opt',
      'var',
      'tmp',
      'proc',
      'srv',
      'work',
      'no-such-folder-here',
      'bin',
    ]);
    // /srv and /work exist on this machine's image only sometimes: each is hidden when it is a folder.
    expect(hidden).toEqual(expect.arrayContaining(['/root', '/run']));
    for (const d of [
      '/usr',
      '/etc',
      '/opt',
      '/var',
      '/tmp',
      '/proc',
      '/bin',
      '/no-such-folder-here',
    ])
      expect(hidden).not.toContain(d);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tfx-top-'));
    try {
      // A name that is not the system's, given as an absolute-looking top entry of a real folder.
      const rel = path.relative('/', dir);
      expect(hiddenDirs(undefined, [rel])).toContain(dir);
      expect(hiddenDirs(undefined, ['tmp'])).not.toContain('/tmp');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('mountArgs', () => {
  it('read-only root, fresh /dev and /proc, size-limited private /tmp and /dev/shm, /dev read-only', () => {
    const args = mountArgs(spec);
    expect(at(args, '--ro-bind', '/', '/')).toBe(0);
    const tmp = at(args, '--tmpfs', '/tmp');
    expect(args.slice(tmp - 4, tmp)).toEqual([
      '--perms',
      '1777',
      '--size',
      String(DEFAULT_SANDBOX_LIMITS.tmpBytes),
    ]);
    expect(at(args, '--tmpfs', '/dev/shm')).toBeGreaterThan(at(args, '--dev', '/dev'));
    expect(at(args, '--remount-ro', '/dev')).toBeGreaterThan(at(args, '--tmpfs', '/dev/shm'));
    expect(args.slice(-2)).toEqual(['--chdir', '/']);
  });

  it('hides the project and the homes, re-binds what is needed inside them read-only with traversable parents, then makes the masks read-only', () => {
    const args = mountArgs(spec);
    const home = at(args, '--tmpfs', '/home');
    const mask = at(args, '--tmpfs', '/home/u/proj');
    const venv = at(args, '--ro-bind-try', '/home/u/proj/.venv', '/home/u/proj/.venv');
    const pyenv = '/root/.pyenv/versions/3.12.1';
    expect(home).toBeGreaterThan(0);
    expect(mask).toBeGreaterThan(home); // shallowest first
    expect(venv).toBeGreaterThan(mask);
    expect(at(args, '--dir', '/root/.pyenv/versions')).toBeLessThan(
      at(args, '--ro-bind-try', pyenv, pyenv),
    );
    expect(args[at(args, '--dir', '/root/.pyenv') - 1]).toBe('0755');
    expect(at(args, '--remount-ro', '/home/u/proj')).toBeGreaterThan(venv);
    // Visible anyway through the read-only root: not bound again.
    expect(at(args, '--ro-bind-try', '/usr', '/usr')).toBe(-1);
    // Hidden by the private /tmp only: bound before the masks.
    expect(at(args, '--ro-bind-try', '/tmp/py', '/tmp/py')).toBeLessThan(home);
  });

  it('the copy: staged read-only, then a tmpfs at its own path sized to the copy plus the disk limit', () => {
    const args = mountArgs(spec);
    expect(at(args, '--ro-bind', '/tmp/tracefix-verify-1', STAGE_DIR)).toBeGreaterThan(0);
    const tmpfs = at(args, '--tmpfs', '/tmp/tracefix-verify-1');
    expect(tmpfs).toBeGreaterThan(at(args, '--ro-bind', '/tmp/tracefix-verify-1', STAGE_DIR));
    const size = Number(args[tmpfs - 1]);
    expect(size).toBeGreaterThan(DEFAULT_SANDBOX_LIMITS.diskBytes + 10_000);
    expect(size).toBeLessThan(DEFAULT_SANDBOX_LIMITS.diskBytes + 16 * 1024 * 1024);
    expect(at(args, '--bind', '/tmp/tracefix-verify-1', '/tmp/tracefix-verify-1')).toBe(-1);
  });

  it('extra folders of one spawn (the recorder channel) are bound read-only; a bound folder never holds a hidden one', () => {
    const args = mountArgs(spec, { readWrite: ['/tmp/tfx-rec-1'] });
    expect(at(args, '--ro-bind', '/tmp/tfx-rec-1', '/tmp/tfx-rec-1')).toBeGreaterThan(0);
    expect(() => mountArgs({ ...spec, copyDir: '/home/u' })).toThrow(InternalError);
    expect(() => mountArgs(spec, { readWrite: ['/home/u/proj'] })).toThrow(InternalError);
  });
});

describe('sandboxCommand', () => {
  const init = (args: string[]) => args.slice(args.indexOf('/bin/sh'));

  it('an unprivileged caller: one bwrap with its own user namespace as nobody, no capabilities, no further namespaces, then the limits', () => {
    const c = sandboxCommand(status('user'), spec, '/usr/bin/python3', ['-c', 'pass']);
    expect(c.command).toBe(tools.bwrap);
    for (const f of [
      '--unshare-user',
      '--disable-userns',
      '--unshare-net',
      '--unshare-pid',
      '--unshare-ipc',
      '--new-session',
      '--die-with-parent',
    ])
      expect(c.args).toContain(f);
    expect(at(c.args, '--cap-drop', 'ALL')).toBeGreaterThan(0);
    expect(at(c.args, '--uid', '65534')).toBeGreaterThan(0);
    expect(c.args).not.toContain(tools.setpriv);
    const tail = init(c.args);
    expect(tail.slice(-3)).toEqual(['/usr/bin/python3', '-c', 'pass']);
    expect(tail[2]).toContain(prlimitOptions(DEFAULT_SANDBOX_LIMITS).join(' '));
  });

  it('root: the outer bwrap mounts, setpriv drops to SANDBOX_ID with nothing left, an inner bwrap gives it a user namespace', () => {
    const c = sandboxCommand(status('root'), spec, '/usr/bin/python3', []);
    const drop = c.args.indexOf(tools.setpriv);
    expect(c.command).toBe(tools.bwrap);
    expect(c.args.slice(0, drop)).not.toContain('--unshare-user');
    expect(c.args.slice(drop, drop + 8)).toEqual([
      tools.setpriv,
      `--reuid=${SANDBOX_ID}`,
      `--regid=${SANDBOX_ID}`,
      '--clear-groups',
      '--inh-caps=-all',
      '--bounding-set=-all',
      '--no-new-privs',
      '--',
    ]);
    const inner = c.args.slice(drop + 8);
    expect(inner[0]).toBe(tools.bwrap);
    expect(inner).toContain('--disable-userns');
    expect(at(inner, '--dev-bind', '/', '/')).toBeGreaterThan(0);
    const noUserns = sandboxCommand(status('root-no-userns'), spec, 'python3', []);
    expect(noUserns.args.slice(noUserns.args.indexOf('--no-new-privs') + 2)[0]).toBe('/bin/sh');
  });

  it('runs the real interpreter instead of a shim, and joins a cgroup first when there is one', () => {
    const c = sandboxCommand(
      status('user'),
      {
        ...spec,
        commands: {
          '/home/u/.pyenv/shims/python3': '/home/u/.pyenv/versions/3.12.1/bin/python3.12',
        },
        cgroupProcs: ['/sys/fs/cgroup/memory/x/cgroup.procs', '/sys/fs/cgroup/pids/x/cgroup.procs'],
      },
      '/home/u/.pyenv/shims/python3',
      ['a.py'],
    );
    expect(c.command).toBe('/bin/sh');
    expect(c.args.slice(2, 6)).toEqual([
      'sh',
      '2',
      '/sys/fs/cgroup/memory/x/cgroup.procs',
      '/sys/fs/cgroup/pids/x/cgroup.procs',
    ]);
    expect(c.args.slice(-2)).toEqual(['/home/u/.pyenv/versions/3.12.1/bin/python3.12', 'a.py']);
  });
});

describe('sandboxCommand: the seccomp filter', () => {
  it('a shell opens the filter file on fd 9 and execs the outer bwrap, which loads it (--seccomp 9)', () => {
    for (const mode of ['user', 'root'] as const) {
      const c = sandboxCommand(
        status(mode),
        { ...spec, seccomp: '/tmp/tracefix-seccomp-x/keyring.bpf' },
        'python3',
        [],
      );
      expect(c.command).toBe('/bin/sh');
      expect(c.args[1]).toBe('exec 9<"$1" || exit 125; shift; exec "$@"');
      expect(c.args.slice(2, 5)).toEqual([
        'sh',
        '/tmp/tracefix-seccomp-x/keyring.bpf',
        tools.bwrap,
      ]);
      const outer = c.args.slice(4);
      const end = outer.indexOf('--');
      expect(at(outer.slice(0, end), '--seccomp', '9')).toBeGreaterThan(0);
      // Only the outer bwrap takes it: the inner one (root) inherits the filter.
      expect(outer.slice(end).filter((a) => a === '--seccomp')).toEqual([]);
    }
  });
});

describe('buildRunEnv', () => {
  const base = {
    PATH: '/usr/bin:/bin',
    HOME: '/home/u',
    LANG: 'C.UTF-8',
    LC_TIME: 'de_DE.UTF-8',
    PYTHONWARNINGS: 'error',
    OPENAI_API_KEY: 'sk-live',
    TRACEFIX_API_KEY: 'tfx',
    AWS_SECRET_ACCESS_KEY: 'aws',
    AWS_PROFILE: 'prod',
    GITHUB_TOKEN: 'ghp',
    DATABASE_URL: 'postgres://u:p@h/db',
    SSH_AUTH_SOCK: '/run/user/1000/ssh',
    XDG_RUNTIME_DIR: '/run/user/1000',
  };

  it('takes the allow-list, points HOME and the temp folders into the copy, and nothing else', () => {
    const env = buildRunEnv(base, { home: '/tmp/c/.home', tmp: '/tmp' });
    expect(env).toEqual({
      PATH: '/usr/bin:/bin',
      LANG: 'C.UTF-8',
      LC_TIME: 'de_DE.UTF-8',
      PYTHONWARNINGS: 'error',
      HOME: '/tmp/c/.home',
      TMPDIR: '/tmp',
      TMP: '/tmp',
      TEMP: '/tmp',
    });
  });

  it('adds what the user passed by name (its value here) or with a value; Tracefix settings win', () => {
    const env = buildRunEnv(base, {
      home: '/h',
      tmp: '/tmp',
      passed: parsePassedEnv(['DATABASE_URL', 'MODE=test', 'UNSET_HERE']),
      set: { PYTHONWARNINGS: undefined, PWD: '/tmp/c/proj' },
    });
    expect(env.DATABASE_URL).toBe('postgres://u:p@h/db');
    expect(env.MODE).toBe('test');
    expect('UNSET_HERE' in env).toBe(false);
    expect('PYTHONWARNINGS' in env).toBe(false);
    expect(env.PWD).toBe('/tmp/c/proj');
  });

  it("refuses the model's key and names that are not names", () => {
    expect(() => parsePassedEnv(['OPENAI_API_KEY'])).toThrow(UserError);
    expect(() => parsePassedEnv(['tracefix_api_key=x'])).toThrow(/model's API key/);
    expect(() => parsePassedEnv(['A-B'])).toThrow(/NAME or NAME=VALUE/);
  });
});

describe('probeSandbox', () => {
  it(`TRACEFIX_SANDBOX=off reports no sandbox with the reason`, async () => {
    const s = await probeSandbox({ TRACEFIX_SANDBOX: 'off' });
    expect(s).toEqual({
      available: false,
      reason: 'sandboxing is turned off (TRACEFIX_SANDBOX=off)',
    });
  });

  it('runs the sandbox once and caches the answer; root gets the root mode', async () => {
    const a = probeSandbox({});
    expect(probeSandbox({})).toBe(a);
    const s = await a;
    // This machine has bubblewrap (the CI installs it); elsewhere the reason says what is missing.
    if (s.available) {
      expect(s.command).toMatch(/bwrap$/);
      expect(s.mode === 'user').toBe(process.getuid?.() !== 0);
    } else expect(s.reason).toMatch(/bubblewrap|bwrap|not found/);
  });

  it('an older bubblewrap that does not know an option: the version needed, not just its complaint', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tfx-oldbwrap-'));
    const fake = path.join(dir, 'bwrap');
    writeFileSync(
      fake,
      '#!/bin/sh\n[ "$1" = --version ] && { echo "bubblewrap 0.6.1"; exit 0; }\necho "bwrap: Unknown option --disable-userns" >&2\nexit 1\n',
    );
    chmodSync(fake, 0o755);
    const saved = process.env.PATH;
    process.env.PATH = `${dir}${path.delimiter}${saved ?? ''}`;
    try {
      const s = await probeSandbox({});
      expect(s).toEqual({
        available: false,
        reason:
          'bubblewrap 0.6.1 is too old: Tracefix needs 0.8.0 or later (bwrap: Unknown option --disable-userns)',
      });
    } finally {
      process.env.PATH = saved;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
