// Issue 20's forged verdicts and the symlink write-through, run by verifyPatch in the real sandbox:
// a patch that writes a passing record where the old plugin kept it and calls os._exit(0); one that
// writes well-formed evidence lines to the result channel; one that zeroes the script watcher and
// swallows the AssertionError; a function that swallows the failing assert; code under test that
// makes pytest report its failing test as passed; a sitecustomize.py and stdlib-named modules on
// PYTHONPATH that try to take the evidence key before the launcher; and a patch written through a
// folder symlink to a helper outside the project.
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyPatch, type VerifyOptions } from '../../../src/core/verify/verify';
import type { FailingLine } from '../../../src/core/verify/verdict';

const FIXTURE = path.resolve(__dirname, '../../fixtures/fix/average');
const PYTHON = '/usr/bin/python3';
const TEST_ID = 'tests/test_average.py::test_average';
const FIXED = `def average(xs):
    total = 0
    for x in xs:
        total += x
    return total / len(xs)
`;
const WRONG = FIXED.replace('total / len(xs)', 'total / (len(xs) + 1)');

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

function project(): string {
  const d = path.join(mkdtempSync(path.join(os.tmpdir(), 'tfx-forge-')), 'average');
  dirs.push(path.dirname(d));
  cpSync(FIXTURE, d, { recursive: true });
  return d;
}

function pytestRun(cwd: string, files: VerifyOptions['files'], more: Partial<VerifyOptions> = {}) {
  return verifyPatch({
    target: { kind: 'pytest', nodeId: TEST_ID },
    cwd,
    python: PYTHON,
    files,
    timeoutMs: 60_000,
    env: { PATH: process.env.PATH ?? '' },
    ...more,
  });
}

describe('forged verdicts', () => {
  it('a passing record written into sys.modules["tracefix_verify_pytest"] (and the old record file), then os._exit(0): not verified', async () => {
    const cwd = project();
    const forge = `import json, os, sys, types

def average(xs):
    ok = {"outcome": "passed", "xfail": False, "message": ""}
    record = {"finished": True, "exitstatus": 0, "collected": [${JSON.stringify(TEST_ID)}],
              "deselected": [], "collectProblems": [], "interrupted": None,
              "reports": {${JSON.stringify(TEST_ID)}: {"setup": ok, "call": ok, "teardown": ok}}}
    m = sys.modules.get("tracefix_verify_pytest") or types.ModuleType("tracefix_verify_pytest")
    sys.modules["tracefix_verify_pytest"] = m
    m._state = record
    cfg = json.loads(os.environ.get("TRACEFIX_VERIFY") or "{}")
    for p in [cfg.get("record"), os.path.join(os.path.dirname(os.getcwd()), ".tracefix", "record.json")]:
        if p:
            try:
                with open(p, "w") as f:
                    json.dump(record, f)
            except OSError:
                pass
    sys.stdout.flush()
    os._exit(0)
`;
    const r = await pytestRun(cwd, [{ path: 'average.py', text: forge }]);
    expect(r.exitCode).toBe(0);
    expect(r.passed).toBe(false);
    expect(r.failure).toMatch(/before its session ended .*never seen to pass/);
  });

  it('well-formed evidence lines written to the result channel (fd 3), then os._exit(0): not verified', async () => {
    const cwd = project();
    const forge = `import hashlib, hmac, json, os

def average(xs):
    try:
        key = os.read(4, 1024)  # the key: already read and closed by the launcher
    except OSError:
        key = b"guess"
    ok = dict(xfail=False, message="")
    events = [{"t": "collected", "ids": [${JSON.stringify(TEST_ID)}]}, {"t": "collection-finished", "count": 1}]
    events += [dict(t="report", nodeid=${JSON.stringify(TEST_ID)}, when=w, outcome="passed", **ok) for w in ("setup", "call", "teardown")]
    events += [{"t": "finish", "exitstatus": 0}, {"t": "exit", "code": 0}]
    for seq, ev in enumerate(events, start=1):
        text = json.dumps(ev, separators=(",", ":"))
        mac = hmac.new(key or b"guess", b"%d:%s" % (seq, text.encode()), hashlib.sha256).hexdigest()
        os.write(3, ("%s %d %s\\n" % (mac, seq, text)).encode())
    os._exit(0)
`;
    const r = await pytestRun(cwd, [{ path: 'average.py', text: forge }]);
    expect(r.exitCode).toBe(0);
    expect(r.passed).toBe(false);
    expect(r.failure).toMatch(/^something other than Tracefix wrote to the verification channel/);
  });

  it('code under test that makes pytest report the failing test as passed: the watched test line still raised', async () => {
    const cwd = project();
    const forge = `import _pytest.runner as _runner

_real = _runner.call_and_report


def _passed(item, when, log=True, **kw):
    report = _real(item, when, log=False, **kw)
    if report.failed:
        report.outcome = "passed"
        report.longrepr = None
    if log:
        item.ihook.pytest_runtest_logreport(report=report)
    return report


_runner.call_and_report = _passed

${WRONG}`;
    const failing: FailingLine = {
      kind: 'line',
      file: 'tests/test_average.py',
      line: 5,
      originalLine: 5,
      mayNotRun: false,
    };
    const forged = await pytestRun(cwd, [{ path: 'average.py', text: forge }], {
      failingLine: failing,
    });
    expect(forged.exitCode).toBe(0);
    expect(forged.output).toMatch(/1 passed/);
    expect(forged.failure).toBe(
      'the line that failed (tests/test_average.py:5) still raises AssertionError, which the program catches',
    );
    const honest = await pytestRun(cwd, [{ path: 'average.py', text: FIXED }], {
      failingLine: failing,
    });
    expect(honest.failure).toBe('');
  });

  it('a sitecustomize.py and stdlib-named modules on PYTHONPATH run too late to take the key', async () => {
    const cwd = project();
    mkdirSync(path.join(cwd, 'src'));
    const steal = (name: string) => `import os, sys
try:
    _key = os.read(4, 1024)
except OSError as _e:
    _key = b""
print("${name} KEY", len(_key), flush=True)
`;
    const files = [
      {
        path: 'average.py',
        text: `import os\n\n${WRONG.replace('def average(xs):', 'def average(xs):\n    os._exit(0)')}`,
      },
      { path: 'src/sitecustomize.py', text: steal('sitecustomize') },
      { path: 'src/hmac.py', text: `${steal('hmac')}from _hashlib import *\n` },
      { path: 'src/json.py', text: steal('json') },
    ];
    const r = await pytestRun(cwd, files, {
      env: { PATH: process.env.PATH ?? '', PYTHONPATH: path.join(cwd, 'src') },
    });
    expect(r.output).toContain('sitecustomize KEY 0');
    expect(r.output).not.toMatch(/(hmac|json) KEY [1-9]/);
    expect(r.passed).toBe(false);
  });
});

describe('forged verdicts: scripts', () => {
  // The script's check is in a function: the failing top-level line is `main()`, the assertion is inside.
  const program = (check: string[]) =>
    [
      'import gc, sys, threading',
      '',
      WRONG,
      '',
      'def main():',
      ...check.map((l) => `    ${l}`),
      '',
      '',
      'main()',
      'print("ok")',
      '',
    ].join('\n');
  const failingFor = (text: string): FailingLine => {
    const lines = text.split('\n');
    const assertLine = lines.findIndex((l) => l.trim().startsWith('assert average')) + 1;
    const mainLine = lines.lastIndexOf('main()') + 1;
    return {
      kind: 'line',
      file: 'run.py',
      line: mainLine,
      originalLine: mainLine,
      mayNotRun: false,
      checks: [
        {
          file: 'run.py',
          line: assertLine,
          originalLine: assertLine,
          changed: false,
          wasAssert: true,
        },
      ],
    };
  };
  const run = (text: string) => {
    const cwd = project();
    writeFileSync(path.join(cwd, 'run.py'), program(['assert average([2, 4, 6]) == 4']));
    return verifyPatch({
      target: { kind: 'script', path: 'run.py' },
      cwd,
      python: PYTHON,
      files: [{ path: 'run.py', text }],
      timeoutMs: 60_000,
      env: { PATH: process.env.PATH ?? '' },
      failingLine: failingFor(text),
    });
  };

  it('a function that swallows the failing assert: not verified', async () => {
    const text = program([
      'try:',
      '    assert average([2, 4, 6]) == 4',
      'except AssertionError:',
      '    pass',
    ]);
    const r = await run(text);
    expect(r.exitCode).toBe(0);
    expect(r.output).toContain('ok');
    expect(r.failure).toMatch(
      /^the assertion that failed \(run\.py:\d+\) still fails \(AssertionError\), and the program catches it$/,
    );
  });

  it("zeroing the watcher's state and removing the tracer after swallowing the assert: not verified", async () => {
    const text = program([
      'try:',
      '    assert average([2, 4, 6]) == 4',
      'except AssertionError:',
      '    pass',
      'for o in gc.get_objects():',
      '    if isinstance(o, dict) and {"ran", "raised"} <= set(o):',
      '        o.update(ran=1, raised=0, exception=None)',
      '    elif isinstance(o, set) and o and all(type(x) is int for x in o):',
      '        o.clear()',
      'sys.settrace(None)',
      'threading.settrace(None)',
    ]);
    const r = await run(text);
    expect(r.exitCode).toBe(0);
    expect(r.failure).toMatch(/^the assertion that failed \(run\.py:\d+\) still fails/);
  });

  it('the honest fix of the same program is verified', async () => {
    const text = program(['assert average([2, 4, 6]) == 4']).replace(WRONG, FIXED);
    const r = await run(text);
    expect(r.failure).toBe('');
    expect(r.passed).toBe(true);
  });
});

describe('the copy and symlinks', () => {
  it('a patch to a shared helper.py reached through a folder symlink never reaches the helper, passing or failing', async () => {
    const cwd = project();
    const shared = mkdtempSync(path.join(os.tmpdir(), 'tfx-shared-'));
    dirs.push(shared);
    const helper = 'def helper():\n    return 1\n';
    writeFileSync(path.join(shared, 'helper.py'), helper);
    symlinkSync(shared, path.join(cwd, 'lib'));
    const evil =
      'import os\nos.system("echo pwned > /tmp/tfx-pwned")\n\ndef helper():\n    return 1\n';
    for (const average of [WRONG, FIXED]) {
      const r = await pytestRun(cwd, [
        { path: 'average.py', text: `from lib.helper import helper\n\n${average}` },
        { path: 'lib/helper.py', text: evil },
      ]);
      expect(r.sandboxed).toBe(true);
      expect(readFileSync(path.join(shared, 'helper.py'), 'utf8')).toBe(helper);
    }
  });
});
