// verifyPatch with real Python: the patched copy runs, the user's tree is never written, and the
// process group is gone afterwards.
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CancelledError } from '../../../src/core/errors';
import { verifyPatch } from '../../../src/core/verify';
import { snapshot } from '../../support/files';
import { processesMentioning } from '../../support/python';

const FIXTURE = path.resolve(__dirname, '../../fixtures/fix/average');
const FIXED = readFileSync(path.join(FIXTURE, 'average.py'), 'utf8').replace(
  '(len(xs) + 1)',
  'len(xs)',
);

let user: string;

beforeEach(() => {
  user = path.join(mkdtempSync(path.join(os.tmpdir(), 'tfx-verify-')), 'average');
  cpSync(FIXTURE, user, { recursive: true });
});

afterEach(() => {
  rmSync(path.dirname(user), { recursive: true, force: true });
});

describe('verifyPatch', () => {
  it('passes a fixed script in the copy and leaves the user tree byte-for-byte unchanged', async () => {
    const before = snapshot(user);
    const r = await verifyPatch({
      target: { kind: 'script', path: 'average.py' },
      cwd: user,
      files: [{ path: 'average.py', text: FIXED }],
    });
    expect(r.failure).toBe('');
    expect(r).toMatchObject({ passed: true, exitCode: 0, timedOut: false });
    expect(r.output).toContain('ok');
    expect(r.command).toBe('python average.py');
    expect(snapshot(user)).toEqual(before);
  });

  it('fails the unpatched script with the assertion line as summary', async () => {
    const r = await verifyPatch({
      target: { kind: 'script', path: 'average.py' },
      cwd: user,
      files: [],
    });
    expect(r).toMatchObject({
      passed: false,
      exitCode: 1,
      timedOut: false,
      failure: 'AssertionError: expected 4, got 3.0',
    });
  });

  it('runs a pytest node id: fails before the patch, passes after, no .pytest_cache or __pycache__ in the user tree', async () => {
    const target = { kind: 'pytest' as const, nodeId: 'tests/test_average.py::test_average' };
    const bad = await verifyPatch({ target, cwd: user, files: [] });
    expect(bad.passed).toBe(false);
    expect(bad.failure).toBe('FAILED tests/test_average.py::test_average - assert 3.0 == 4');
    const good = await verifyPatch({
      target,
      cwd: user,
      files: [{ path: 'average.py', text: FIXED }],
    });
    expect(good.passed).toBe(true);
    expect(good.output).toMatch(/1 passed/);
    expect(existsSync(path.join(user, '.pytest_cache'))).toBe(false);
    expect(existsSync(path.join(user, '__pycache__'))).toBe(false);
    expect(existsSync(path.join(user, 'tests', '__pycache__'))).toBe(false);
  });

  it('counts pytest exit 5 (no tests ran) as a failure with a clear message', async () => {
    const r = await verifyPatch({
      target: { kind: 'pytest', nodeId: 'tests/test_empty.py' },
      cwd: user,
      files: [],
    });
    expect(r.passed).toBe(false);
    expect(r.exitCode).toBe(5);
    expect(r.failure).toMatch(/^no tests ran/);
  });

  it('runs a module with args and gives stdin only when asked (EOF otherwise)', async () => {
    writeFileSync(
      path.join(user, 'echo_input.py'),
      'import sys\nline = input()\nprint("got", line, sys.argv[1:])\n',
    );
    const eof = await verifyPatch({
      target: { kind: 'module', module: 'echo_input' },
      args: ['a b'],
      cwd: user,
      files: [],
    });
    expect(eof.passed).toBe(false);
    expect(eof.failure).toBe('EOFError: EOF when reading a line');
    expect(eof.command).toBe("python -m echo_input 'a b'");
    const fed = await verifyPatch({
      target: { kind: 'module', module: 'echo_input' },
      args: ['a b'],
      cwd: user,
      stdin: 'hello\n',
      files: [],
    });
    expect(fed.passed).toBe(true);
    expect(fed.output).toContain("got hello ['a b']");
  });

  for (const sandbox of [true, false]) {
    it(`times out, says so, and kills the whole process tree (children too)${sandbox ? ' in the sandbox' : ' without a sandbox'}`, async () => {
      const token = `tfx-spin-${process.pid}-${Date.now()}-${sandbox}`;
      writeFileSync(
        path.join(user, 'spin.py'),
        [
          'import subprocess, sys, time',
          `child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)", "${token}"])`,
          'print("child started", flush=True)',
          'while True:',
          '    time.sleep(0.05)',
          '',
        ].join('\n'),
      );
      const r = await verifyPatch({
        target: { kind: 'script', path: 'spin.py' },
        cwd: user,
        files: [],
        timeoutMs: 1500,
        sandbox,
      });
      expect(r).toMatchObject({
        passed: false,
        timedOut: true,
        exitCode: null,
        failure: 'timed out after 1.5 s',
        sandboxed: sandbox,
      });
      expect(r.output).toContain('child started');
      // Orphans are reaped shortly after the kill; wait for that rather than for a time.
      for (let i = 0; i < 100 && processesMentioning(token).length; i++)
        await new Promise((res) => setTimeout(res, 50));
      expect(processesMentioning(token)).toEqual([]);
    });
  }

  it('rejects with CancelledError when aborted and removes its copy', async () => {
    writeFileSync(
      path.join(user, 'slow.py'),
      'import time\nprint("started", flush=True)\ntime.sleep(300)\n',
    );
    const before = readdirSync(os.tmpdir())
      .filter((n) => n.startsWith('tracefix-verify-'))
      .sort();
    const ac = new AbortController();
    const p = verifyPatch({
      target: { kind: 'script', path: 'slow.py' },
      cwd: user,
      files: [],
      signal: ac.signal,
    });
    setTimeout(() => ac.abort(), 300);
    await expect(p).rejects.toBeInstanceOf(CancelledError);
    const after = readdirSync(os.tmpdir())
      .filter((n) => n.startsWith('tracefix-verify-'))
      .sort();
    // Other workers may create copies concurrently; ours must not be among the leftovers.
    expect(
      after
        .filter((n) => !before.includes(n))
        .every((n) => !existsSync(path.join(os.tmpdir(), n, 'average', 'slow.py'))),
    ).toBe(true);
  });

  it('bounds the output it keeps', async () => {
    writeFileSync(
      path.join(user, 'loud.py'),
      'for i in range(20000):\n    print("line", i)\nraise SystemExit(3)\n',
    );
    const r = await verifyPatch({
      target: { kind: 'script', path: 'loud.py' },
      cwd: user,
      files: [],
      maxOutputChars: 4000,
    });
    expect(r.output.length).toBeLessThan(4200);
    expect(r.output).toMatch(/characters of output elided/);
    expect(r.output).toContain('line 19999');
    expect(r.failure).toBe('exit code 3: line 19999');
  });
});
