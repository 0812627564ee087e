// The bubblewrap sandbox with real processes: the user's folder is hidden and read-only, /tmp is
// private, a virtual environment inside the project still runs (bound read-only), an editable
// install's path points at the patched copy, and a caller's extra folder (a socket) is usable.
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runProgram } from '../../../src/core/verify/runProgram';
import {
  createSandbox,
  probeSandbox,
  type AvailableSandbox,
  type SandboxedSpawnWrapper,
} from '../../../src/core/verify/sandbox';
import { verifyPatch } from '../../../src/core/verify/verify';
import { copyWorkspace } from '../../../src/core/verify/workspaceCopy';
import { snapshot } from '../../support/files';

const FIXTURE = path.resolve(__dirname, '../../fixtures/fix/average');
const FIXED = readFileSync(path.join(FIXTURE, 'average.py'), 'utf8').replace(
  '(len(xs) + 1)',
  'len(xs)',
);
let status: AvailableSandbox;
let work: string;
let user: string;

beforeAll(async () => {
  const s = await probeSandbox({});
  if (!s.available) throw new Error(`these tests need bubblewrap: ${s.reason}`);
  status = s;
});
beforeEach(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'tfx-sandbox-'));
  user = path.join(work, 'average');
  cpSync(FIXTURE, user, { recursive: true });
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

describe('sandboxed runs', () => {
  it('the user folder is hidden and read-only, the copy writable, /tmp private; the folder is byte-identical afterwards', async () => {
    const secret = path.join(os.tmpdir(), `tfx-host-only-${process.pid}`);
    writeFileSync(secret, 'host\n');
    const before = snapshot(user);
    const probe = [
      'import os, sys',
      `user = ${JSON.stringify(user)}`,
      'print("LIST", sorted(os.listdir(user)))',
      'for p in [os.path.join(user, "average.py"), os.path.join(user, "x.txt"), "/etc/tfx-x", "copy-ok.txt"]:',
      '    try:',
      '        open(p, "w").write("x")',
      '        print("WROTE", p)',
      '    except OSError as e:',
      '        print("BLOCKED", p, e.strerror)',
      `print("TMP", os.path.exists(${JSON.stringify(secret)}))`,
      FIXED,
    ].join('\n');
    try {
      const r = await verifyPatch({
        target: { kind: 'script', path: 'average.py' },
        cwd: user,
        files: [{ path: 'average.py', text: probe }],
        python: '/usr/bin/python3',
      });
      expect(r.sandboxed).toBe(true);
      expect(r.output).toContain('LIST []');
      expect(r.output).toContain(`BLOCKED ${path.join(user, 'average.py')} Read-only file system`);
      expect(r.output).toContain(`BLOCKED ${path.join(user, 'x.txt')} Read-only file system`);
      expect(r.output).toContain('BLOCKED /etc/tfx-x Read-only file system');
      expect(r.output).toContain('WROTE copy-ok.txt');
      expect(r.output).toContain('TMP False');
      expect(r.passed).toBe(true);
      expect(snapshot(user)).toEqual(before);
      expect(existsSync('/etc/tfx-x')).toBe(false);
    } finally {
      rmSync(secret, { force: true });
    }
  });

  it('a virtual environment inside the project runs (bound read-only) and an editable install imports the patched copy', async () => {
    execFileSync('/usr/bin/python3', [
      '-m',
      'venv',
      '--without-pip',
      '--system-site-packages',
      path.join(user, '.venv'),
    ]);
    const venvPython = path.join(user, '.venv', 'bin', 'python');
    const site = execFileSync(venvPython, ['-c', 'import site; print(site.getsitepackages()[0])'], {
      encoding: 'utf8',
    }).trim();
    mkdirSync(path.join(user, 'src', 'calc'), { recursive: true });
    writeFileSync(
      path.join(user, 'src', 'calc', '__init__.py'),
      'def add(a, b):\n    return a - b\n',
    );
    // What `pip install -e .` leaves: a .pth naming the project's src folder.
    writeFileSync(path.join(site, 'calc-editable.pth'), `${path.join(user, 'src')}\n`);
    writeFileSync(
      path.join(user, 'use_calc.py'),
      'import calc, sys\nprint("FROM", calc.__file__)\nassert calc.add(1, 2) == 3\n',
    );
    const before = snapshot(path.join(user, 'src'));
    const r = await verifyPatch({
      target: { kind: 'script', path: 'use_calc.py' },
      cwd: user,
      python: venvPython,
      files: [{ path: 'src/calc/__init__.py', text: 'def add(a, b):\n    return a + b\n' }],
    });
    expect(r.failure).toBe('');
    expect(r.sandboxed).toBe(true);
    // The output names the user's paths, but the module came from the copy (the original still subtracts).
    expect(r.output).toContain(`FROM ${path.join(user, 'src', 'calc', '__init__.py')}`);
    expect(snapshot(path.join(user, 'src'))).toEqual(before);
    const unpatched = await verifyPatch({
      target: { kind: 'script', path: 'use_calc.py' },
      cwd: user,
      python: venvPython,
      files: [],
    });
    expect(unpatched.failure).toBe('AssertionError');
  });

  it("a caller's extra folder for one spawn (the recorder's channel): its socket is connectable, the folder read-only", async () => {
    const copy = await copyWorkspace(user);
    const extra = mkdtempSync(path.join(os.tmpdir(), 'tfx-sock-'));
    const sock = path.join(extra, 'chan.sock');
    const got: string[] = [];
    const server = net.createServer((c) => c.on('data', (d) => got.push(d.toString())));
    await new Promise<void>((resolve) => server.listen(sock, resolve));
    const sandbox = await createSandbox(status, {
      originals: copy.originals,
      copyDir: copy.dir,
      copyBytes: copy.bytes,
      copyFiles: copy.files,
      readOnly: [],
      cwd: copy.root,
    });
    try {
      const script = [
        'import socket',
        `s = socket.socket(socket.AF_UNIX); s.connect(${JSON.stringify(sock)}); s.sendall(b"hi"); s.close()`,
        'try:',
        `    open(${JSON.stringify(path.join(extra, 'x'))}, "w")`,
        'except OSError as e:',
        '    print("BLOCKED", e.strerror)',
      ].join('\n');
      const run = (wrap: SandboxedSpawnWrapper) =>
        runProgram({
          python: '/usr/bin/python3',
          argv: ['-c', script],
          cwd: copy.root,
          env: { PATH: '/usr/bin:/bin' },
          timeoutMs: 20_000,
          wrap,
        });
      const withBind = await run((c, a) => sandbox.wrap(c, a, { readWrite: [extra] }));
      expect(withBind.output).toContain('BLOCKED Read-only file system');
      expect(withBind.exitCode).toBe(0);
      expect(got.join('')).toBe('hi');
      const without = await run(sandbox.wrap);
      expect(without.exitCode).toBe(1);
      expect(without.output).toMatch(/No such file or directory/);
      expect(existsSync(path.join(extra, 'x'))).toBe(false);
    } finally {
      server.close();
      await sandbox.dispose();
      copy.dispose();
      rmSync(extra, { recursive: true, force: true });
    }
  });
});
