// `tracefix fix` end to end: model-written code runs in the bubblewrap sandbox — in verification
// and when a failed patch is traced for the next round — and cannot write to the user's folder by
// absolute path, through $PWD or relative to a cwd outside the root, nor reach the network. Where
// no sandbox is available the CLI refuses in one line unless --no-sandbox.
import { lstatSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { snapshot } from '../../support/files';
import { CliHarness, TEST_ID, answer, averageWith } from './cli';

const h = new CliHarness();
beforeAll(() => h.build());
afterAll(() => h.dispose());
afterEach(() => h.afterEach());

/** Python lines (module level) that try to write `targets` and print what happened to each. */
function attemptWrites(targets: string[]): string[] {
  return [
    'import os as _os',
    `for _t in ${JSON.stringify(targets)}:`,
    '    _t = _t.replace("$PWD", _os.environ.get("PWD", "."))',
    '    try:',
    '        with open(_t, "w") as _f:',
    '            _f.write("pwned")',
    '        print("WROTE", _t, flush=True)',
    '    except OSError as _e:',
    '        print("BLOCKED", _t, _e.strerror, flush=True)',
    '',
  ];
}

describe('tracefix fix: the sandbox', () => {
  it('writes by absolute path into the user folder and to $PWD are blocked, in verification and in the re-trace of round 2', async () => {
    const user = h.project();
    const before = snapshot(user);
    const targets = [
      path.join(user, 'average.py'),
      path.join(user, 'tests', 'test_average.py'),
      '$PWD/pwned.txt',
      path.join(user, 'new.txt'),
    ];
    const wrong = averageWith({ top: attemptWrites(targets) }).replace(
      'return total / len(xs)',
      'return total / (len(xs) + 0.5)',
    );
    const right = averageWith({ top: attemptWrites(targets) });
    const r = await h.fix(
      [
        answer('Smaller divisor.', { 'average.py': wrong }),
        answer('Divide by len(xs).', { 'average.py': right }),
      ],
      ['--test', TEST_ID, '--rounds', '2', '--json', '--', '-s'],
      user,
    );
    expect(r.stderr).not.toMatch(/internal error/);
    const out = JSON.parse(r.stdout) as {
      fixed: boolean;
      rounds: { verification: { passed: boolean; output: string; sandboxed: boolean } | null }[];
    };
    expect(out.rounds.map((x) => x.verification?.passed)).toEqual([false, true]);
    expect(out.rounds.every((x) => x.verification?.sandboxed)).toBe(true);
    const output = out.rounds.map((x) => x.verification?.output ?? '').join('\n');
    // The user's folder is hidden behind an empty read-only mount; $PWD names the copy's cwd (the
    // output names it by the user's path, as it does every path of the copy).
    expect(output).toContain(`BLOCKED ${path.join(user, 'average.py')} Read-only file system`);
    expect(output).toContain(`BLOCKED ${path.join(user, 'new.txt')} Read-only file system`);
    expect(output).toContain(
      `BLOCKED ${path.join(user, 'tests', 'test_average.py')} No such file or directory`,
    );
    expect(output.match(/^WROTE .*$/gm)).toEqual([
      `WROTE ${path.join(user, 'pwned.txt')}`,
      `WROTE ${path.join(user, 'pwned.txt')}`,
    ]);
    // Round 2 was asked with the trace of the patched program, which ran the writes too.
    const second =
      (
        r.server.completions()[1]?.body as { messages: { role: string; content: string }[] }
      ).messages.find((m) => m.role === 'user')?.content ?? '';
    expect(second).toContain('Trace of the patched run');
    expect(snapshot(user)).toEqual(before);
    expect(out.fixed).toBe(true);
  });

  it('--root src run from the project folder: the unaccepted patch runs in a copy of the project, never in the real cwd', async () => {
    const user = h.project();
    mkdirSync(path.join(user, 'src'));
    writeFileSync(
      path.join(user, 'src', 'average.py'),
      readFileSync(path.join(user, 'average.py')),
    );
    writeFileSync(
      path.join(user, 'average.py'),
      'raise SystemExit("the copy at the top must not be imported")\n',
    );
    writeFileSync(path.join(user, 'pytest.ini'), '[pytest]\npythonpath = src\n');
    writeFileSync(path.join(user, 'data.txt'), 'precious\n');
    const before = snapshot(user);
    const fixed = averageWith({
      top: attemptWrites(['data.txt', 'notes.txt', path.join(user, 'data.txt')]),
    });
    const r = await h.fix(
      [answer('Divide by len(xs).', { 'average.py': fixed })],
      ['--test', TEST_ID, '--root', 'src', '--rounds', '1', '--json', '--', '-s'],
      user,
    );
    const out = JSON.parse(r.stdout) as {
      fixed: boolean;
      rounds: { verification: { output: string } | null }[];
    };
    const output = out.rounds[0]?.verification?.output ?? '';
    // Relative writes land in the copy of the cwd (allowed, thrown away); the absolute one is blocked.
    expect(output).toContain('WROTE data.txt');
    expect(output).toContain(`BLOCKED ${path.join(user, 'data.txt')} Read-only file system`);
    expect(out.fixed).toBe(true);
    expect(snapshot(user)).toEqual(before);
  });

  it('has no network: the patched code cannot reach a server on 127.0.0.1 (it can with --no-sandbox)', async () => {
    const hits: string[] = [];
    const probeServer = http.createServer((req, res) => {
      hits.push(req.url ?? '');
      res.end('hi');
    });
    await new Promise<void>((resolve) => probeServer.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(probeServer.address() as AddressInfo).port}/from-patched-code`;
      const fixed = averageWith({
        top: [
          'import urllib.request',
          'try:',
          `    urllib.request.urlopen(${JSON.stringify(url)}, timeout=5).read()`,
          '    print("NETWORK reached", flush=True)',
          'except OSError as _e:',
          '    print("NETWORK blocked", type(_e).__name__, flush=True)',
          '',
        ],
      });
      const user = h.project();
      const r = await h.fix(
        [answer('Divide by len(xs).', { 'average.py': fixed })],
        ['--test', TEST_ID, '--rounds', '1', '--json', '--', '-s'],
        user,
      );
      const out = JSON.parse(r.stdout) as {
        fixed: boolean;
        rounds: { verification: { output: string } | null }[];
      };
      expect(out.rounds[0]?.verification?.output).toContain('NETWORK blocked');
      expect(hits).toEqual([]);
      await h.afterEach();
      const user2 = h.project();
      const open = await h.fix(
        [answer('Divide by len(xs).', { 'average.py': fixed })],
        ['--test', TEST_ID, '--rounds', '1', '--json', '--no-sandbox', '--', '-s'],
        user2,
      );
      const out2 = JSON.parse(open.stdout) as {
        rounds: { verification: { output: string; sandboxed: boolean } | null }[];
      };
      expect(out2.rounds[0]?.verification).toMatchObject({ sandboxed: false });
      expect(out2.rounds[0]?.verification?.output).toContain('NETWORK reached');
      expect(hits.length).toBeGreaterThan(0);
    } finally {
      await new Promise((resolve) => probeServer.close(resolve));
    }
  });

  it('without a sandbox: one line naming --no-sandbox, exit 2, before tracing or asking the model; --no-sandbox runs and says so', async () => {
    const user = h.project();
    const refused = await h.fix(
      [answer('Divide by len(xs).', { 'average.py': averageWith() })],
      ['--test', TEST_ID],
      user,
      { TRACEFIX_SANDBOX: 'off' },
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      'tracefix: Not running model-written code: sandboxing is turned off (TRACEFIX_SANDBOX=off). Install bubblewrap (apt-get install bubblewrap), or pass --no-sandbox to run the patched code without one.\n',
    );
    expect(refused.server.completions()).toEqual([]);
    expect(refused.stderr).not.toContain('tracing');
    await h.afterEach();
    const user2 = h.project();
    const allowed = await h.fix(
      [answer('Divide by len(xs).', { 'average.py': averageWith() })],
      ['--test', TEST_ID, '--no-sandbox'],
      user2,
      { TRACEFIX_SANDBOX: 'off' },
    );
    expect(allowed.stdout).toContain('verified: test passes (run without a sandbox)\n');
    expect(allowed.code).toBe(0);
  });

  it('a module symlinked inside the root gets the fix (through the link in the copy), not the test file', async () => {
    const user = h.project();
    mkdirSync(path.join(user, 'impl'));
    writeFileSync(
      path.join(user, 'impl', 'average_impl.py'),
      readFileSync(path.join(user, 'average.py')),
    );
    rmSync(path.join(user, 'average.py'));
    symlinkSync(path.join('impl', 'average_impl.py'), path.join(user, 'average.py'));
    const shown = await h.run(['fix', '--test', TEST_ID, '--prompt-only'], user);
    // Named as Python named it (by the link the test imports), like a traceback would.
    expect(shown.stdout).toContain('```python average.py');
    const r = await h.fix(
      [answer('Divide by len(xs).', { 'average.py': averageWith() })],
      ['--test', TEST_ID, '--rounds', '1', '--apply'],
      user,
    );
    expect(r.stdout).toContain('verified: test passes\n');
    expect(r.code).toBe(0);
    expect(lstatSync(path.join(user, 'average.py')).isSymbolicLink()).toBe(true);
    expect(readFileSync(path.join(user, 'average.py'), 'utf8')).toBe(averageWith());
    expect(readFileSync(path.join(user, 'impl', 'average_impl.py'), 'utf8')).toBe(averageWith());
  });

  it('the re-trace of a failed patch runs in the built environment: no key, HOME in the copy, what --env passed', async () => {
    const user = h.project();
    const probe = [
      'import os as _os',
      '_NAMES = ("OPENAI_API_KEY", "AWS_SECRET_ACCESS_KEY", "GITHUB_TOKEN", "TFX_PLAIN_SETTING")',
      '',
    ];
    const look = [
      'leaked = [k for k in _NAMES if k in _os.environ]',
      'mode = _os.environ.get("TFX_MODE")',
      'home_in_copy = "tracefix-verify-" in _os.environ.get("HOME", "")',
    ];
    const wrong = averageWith({ top: probe, body: look }).replace(
      'return total / len(xs)',
      'return total / (len(xs) + 0.5)',
    );
    const r = await h.fix(
      [
        answer('Smaller divisor.', { 'average.py': wrong }),
        answer('Divide by len(xs).', { 'average.py': averageWith() }),
      ],
      ['--test', TEST_ID, '--rounds', '2', '--json', '--env', 'TFX_MODE'],
      user,
      {
        OPENAI_API_KEY: 'sk-proj-retraceTEST0123456789abcdefghij',
        AWS_SECRET_ACCESS_KEY: 'retraceAwsSecret0123456789abcdefghij',
        GITHUB_TOKEN: 'ghp_retraceToken0123456789abcdefghijkl',
        TFX_PLAIN_SETTING: 'plain',
        TFX_MODE: 'integration-7',
      },
    );
    expect(r.stderr).not.toMatch(/internal error/);
    const second =
      (
        r.server.completions()[1]?.body as { messages: { role: string; content: string }[] }
      ).messages.find((m) => m.role === 'user')?.content ?? '';
    expect(second).toContain('Trace of the patched run');
    expect(second).toContain('leaked=[]');
    expect(second).toContain("mode='integration-7'");
    expect(second).toContain('home_in_copy=True');
  });

  it('--env refuses the model key in one line before anything runs', async () => {
    const user = h.project();
    const r = await h.fix([], ['--test', TEST_ID, '--env', 'OPENAI_API_KEY'], user);
    expect(r.stderr).toMatch(/OPENAI_API_KEY is the model's API key/);
    expect(r.code).toBe(2);
    expect(r.server.completions()).toHaveLength(0);
  });
});
